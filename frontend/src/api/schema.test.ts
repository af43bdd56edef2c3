// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import openapiTS, { astToString } from 'openapi-typescript';

describe('the generated client', () => {
  it('was generated from the committed OpenAPI document (regenerate: make client)', async () => {
    const spec = JSON.parse(readFileSync('src/api/openapi.json', 'utf8'));
    const fresh = astToString(await openapiTS(spec));
    const committed = readFileSync('src/api/schema.d.ts', 'utf8');
    const body = (s: string) => s.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();
    expect(body(committed)).toBe(body(fresh));
  }, 30_000);
});
