import { Segmented } from 'antd';
import { useLang } from '../i18n';

/** LanguageSwitch switches between 中文 and English (antd's locale follows, see App.tsx). */
export function LanguageSwitch() {
  const [lang, setLang] = useLang();
  return (
    <Segmented
      size="small"
      value={lang}
      onChange={(v) => setLang(v as 'zh-CN' | 'en')}
      options={[{ label: '中文', value: 'zh-CN' }, { label: 'English', value: 'en' }]}
    />
  );
}
