// The translation table and the language switch. Chinese (zh-CN) is the default; the choice is
// kept in localStorage. `t('visit.new')`, `t('visit.count', {n: 3})` ({n} is replaced).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { tables, type Lang } from './tables';

export type { Lang } from './tables';
export type TFunction = ((key: string, vars?: Record<string, string | number>) => string) & { lang: Lang };

const STORAGE_KEY = 'steward.lang';

export function savedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function makeT(lang: Lang): TFunction {
  const table = tables[lang];
  const t = ((key: string, vars?: Record<string, string | number>) => {
    let s = table[key] ?? tables['zh-CN'][key];
    if (s === undefined) {
      if (import.meta.env.DEV) console.warn('missing translation', key);
      return key;
    }
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
  }) as TFunction;
  t.lang = lang;
  return t;
}

type Ctx = { t: TFunction; lang: Lang; setLang: (l: Lang) => void };
const I18nContext = createContext<Ctx>({ t: makeT('zh-CN'), lang: 'zh-CN', setLang: () => {} });

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(initial ?? savedLang());
  const setLang = useCallback((l: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts this page only */
    }
    setLangState(l);
  }, []);
  const value = useMemo(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = lang;
    return { t: makeT(lang), lang, setLang };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** useT answers the translate function of the current language. */
export function useT(): TFunction {
  return useContext(I18nContext).t;
}

export function useLang() {
  const { lang, setLang } = useContext(I18nContext);
  return [lang, setLang] as const;
}
