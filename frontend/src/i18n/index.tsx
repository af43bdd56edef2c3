// The translation table and the language switch. Chinese (zh-CN) is the default; the choice is
// kept in localStorage. `t('visit.new')`, `t('visit.count', {n: 3})` ({n} is replaced).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import zhCN from 'antd/locale/zh_CN';
import type { Locale } from 'antd/es/locale';
import 'dayjs/locale/zh-cn';
import { loadEnglish, zhTable, type Lang, type Table } from './tables';

export type { Lang } from './tables';
export type TFunction = ((key: string, vars?: Record<string, string | number>) => string) & { lang: Lang };

const STORAGE_KEY = 'steward.lang';

/**
 * Each language's own name and its "switch to me" phrase, written in that language (a language
 * switch names its target in the target's words, whatever the page is in), so they are not in the
 * translation table.
 */
export const languageNames: Record<Lang, { name: string; short: string; switchTo: string }> = {
  'zh-CN': { name: '中文', short: '中文', switchTo: '切换到中文' },
  en: { name: 'English', short: 'EN', switchTo: 'Switch to English' },
};

export function savedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

// The English table once loaded (it is its own chunk; Chinese is always there).
let english: Table | undefined;
let antdEnglish: Locale | undefined;

/** antdLocale is antd's own words for lang (English once ensureLang('en') has loaded them). */
export function antdLocale(lang: Lang): Locale {
  return lang === 'en' && antdEnglish ? antdEnglish : zhCN;
}

/** ensureLang loads what lang needs before makeT(lang) can answer in it. */
export async function ensureLang(lang: Lang): Promise<void> {
  if (lang === 'en' && !english) {
    const loaded = await loadEnglish();
    antdEnglish = loaded.antd;
    english = loaded.table;
  }
}

/** makeT answers the translate function of lang (Chinese until English has been loaded). */
export function makeT(lang: Lang): TFunction {
  const table = lang === 'en' && english ? english : zhTable;
  const t = ((key: string, vars?: Record<string, string | number>) => {
    let s = table[key] ?? zhTable[key];
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
  const [ready, setReady] = useState(lang !== 'en' || english !== undefined);
  const setLang = useCallback((l: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts this page only */
    }
    // The page switches once the words are there (English is its own chunk).
    ensureLang(l).then(() => setLangState(l), () => setLangState('zh-CN'));
  }, []);
  useEffect(() => {
    if (!ready) ensureLang(lang).finally(() => setReady(true));
  }, [lang, ready]);
  const value = useMemo(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = lang;
    return { t: makeT(lang), lang, setLang };
  }, [lang, setLang, ready]);
  if (!ready) return null; // an English page waits the moment its words take to load
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
