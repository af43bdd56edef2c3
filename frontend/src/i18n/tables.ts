// Every feature's translation table, merged in this one place. A feature adds its own
// src/<feature>/i18n.ts (the Chinese words, keys prefixed by the feature) and i18n.en.ts (the
// English ones, typed by the Chinese keys), and one line in zh.ts and in en.ts. The login page's
// Chinese is in the first chunk, the rest comes with the logged-in frame (zh.ts); English is
// loaded when it is chosen.
import type { Locale } from 'antd/es/locale';
import api from '../api/i18n';
import shell from '../shell/i18n';
import common from '../lib/i18n';

export type Lang = 'zh-CN' | 'en';
export type Table = Record<string, string>;

/**
 * zhFeatures is each feature's Chinese table (en.ts has the English ones under the same names):
 * the login page's own (api, shell, common) from the start, the others once ./zh has been
 * imported — the logged-in frames (shell/Layout, portal/PortalLayout) import it, so the login
 * route does not carry every page's words.
 */
export const zhFeatures: Record<string, Table> = { api, shell, common };

/** zhTable is every Chinese word known so far (addChinese adds to it in place). */
export const zhTable: Table = Object.assign({}, ...Object.values(zhFeatures));

/** addChinese registers the Chinese tables of more features (./zh calls it once). */
export function addChinese(features: Record<string, Table>) {
  Object.assign(zhFeatures, features);
  for (const table of Object.values(features)) Object.assign(zhTable, table);
}

/** loadEnglish fetches the English tables (their own chunk). */
export async function loadEnglish(): Promise<{ features: Record<string, Table>; table: Table; antd: Locale }> {
  const [{ enFeatures }, antd] = await Promise.all([import('./en'), import('antd/locale/en_US')]);
  return { features: enFeatures, table: Object.assign({}, ...Object.values(enFeatures)), antd: antd.default };
}
