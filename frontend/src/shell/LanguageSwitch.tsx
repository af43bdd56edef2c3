import { Button, Segmented } from 'antd';
import { languageNames, useLang, type Lang } from '../i18n';

/**
 * LanguageSwitch switches between 中文 and English (antd's locale follows, see App.tsx): both
 * names side by side, or, `compact` (a phone's top bar), one button naming the other language.
 */
export function LanguageSwitch({ compact }: { compact?: boolean }) {
  const [lang, setLang] = useLang();
  if (compact) {
    const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
    return (
      <Button type="text" lang={other} aria-label={languageNames[other].switchTo} onClick={() => setLang(other)}>
        {languageNames[other].short}
      </Button>
    );
  }
  return (
    <Segmented
      size="small"
      value={lang}
      onChange={(v) => setLang(v as Lang)}
      options={(['zh-CN', 'en'] as const).map((l) => ({ label: languageNames[l].name, value: l }))}
    />
  );
}
