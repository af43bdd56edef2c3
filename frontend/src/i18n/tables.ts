// Every feature's translation table, merged in this one place. A feature adds its own
// src/<feature>/i18n.ts ({'zh-CN': {...}, en: {...}}, keys prefixed by the feature) and one line here.
import api from '../api/i18n';
import shell from '../shell/i18n';
import common from '../lib/i18n';
import visits from '../visits/i18n';
import enterprises from '../enterprises/i18n';
import tickets from '../tickets/i18n';

export type Lang = 'zh-CN' | 'en';
export type Table = Record<string, string>;
export type FeatureTable = Record<Lang, Table>;

export const features: Record<string, FeatureTable> = { api, shell, common, visits, enterprises, tickets };

export const tables: Record<Lang, Table> = {
  'zh-CN': Object.assign({}, ...Object.values(features).map((f) => f['zh-CN'])),
  en: Object.assign({}, ...Object.values(features).map((f) => f.en)),
};
