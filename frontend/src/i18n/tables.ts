// Every feature's translation table, merged in this one place. A feature adds its own
// src/<feature>/i18n.ts (the Chinese words, keys prefixed by the feature) and i18n.en.ts (the
// English ones, typed by the Chinese keys), and one line here and in en.ts. Chinese is in the
// first chunk; English is loaded when it is chosen, so the login page carries one language.
import type { Locale } from 'antd/es/locale';
import api from '../api/i18n';
import shell from '../shell/i18n';
import common from '../lib/i18n';
import visits from '../visits/i18n';
import enterprises from '../enterprises/i18n';
import tickets from '../tickets/i18n';
import supervision from '../supervision/i18n';
import portal from '../portal/i18n';
import admin from '../admin/i18n';
import audit from '../audit/i18n';
import plans from '../plans/i18n';

export type Lang = 'zh-CN' | 'en';
export type Table = Record<string, string>;

/** zhFeatures is each feature's Chinese table (en.ts has the English ones under the same names). */
export const zhFeatures: Record<string, Table> = { api, shell, common, visits, enterprises, tickets, supervision, portal, admin, audit, plans };

export const zhTable: Table = Object.assign({}, ...Object.values(zhFeatures));

/** loadEnglish fetches the English tables (their own chunk). */
export async function loadEnglish(): Promise<{ features: Record<string, Table>; table: Table; antd: Locale }> {
  const [{ enFeatures }, antd] = await Promise.all([import('./en'), import('antd/locale/en_US')]);
  return { features: enFeatures, table: Object.assign({}, ...Object.values(enFeatures)), antd: antd.default };
}
