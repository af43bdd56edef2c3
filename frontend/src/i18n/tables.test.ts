import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnglish, zhFeatures, zhTable, type Table } from './tables';
import './zh';

type Feature = Record<'zh-CN' | 'en', Table>;
let features: Record<string, Feature> = {};
let tables: Record<'zh-CN' | 'en', Table>;
beforeAll(async () => {
  const en = await loadEnglish();
  features = Object.fromEntries(Object.entries(zhFeatures).map(([k, zh]) => [k, { 'zh-CN': zh, en: en.features[k] ?? {} }]));
  tables = { 'zh-CN': zhTable, en: en.table };
});

describe('the translation table', () => {
  it('has exactly the same keys in Chinese and English, feature by feature', () => {
    expect(Object.keys(features).length).toBeGreaterThan(5);
    for (const [name, f] of Object.entries(features)) {
      const zh = Object.keys(f['zh-CN']).sort();
      const en = Object.keys(f.en).sort();
      expect(en, `feature ${name}`).toEqual(zh);
    }
  });
  it('has no empty text and no key defined by two features', () => {
    const seen = new Map<string, string>();
    for (const [name, f] of Object.entries(features)) {
      for (const [k, v] of Object.entries(f['zh-CN'])) {
        expect(seen.get(k), `key ${k} in ${name} and ${seen.get(k)}`).toBeUndefined();
        seen.set(k, name);
        expect(v.trim(), `zh-CN ${k}`).not.toBe('');
        expect(f.en[k].trim(), `en ${k}`).not.toBe('');
      }
    }
    expect(Object.keys(tables.en).length).toBe(Object.keys(tables['zh-CN']).length);
  });
  it('keeps the same {placeholders} in both languages', () => {
    for (const [k, v] of Object.entries(tables['zh-CN'])) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(tables.en[k]), k).toEqual(ph(v));
    }
  });
});
