// Runs the browser tests (e2e/*.test.mjs, each exporting `tests`: [{name, run(ctx)}]) against the
// real binary. Prints one line per test and "N passed, N failed".
import { readdirSync } from 'node:fs';
import { startBrowser, startServer, makeCtx } from './harness.mjs';

const only = process.argv[2];
const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.test.mjs')).sort();
const server = await startServer();
const { browser, close } = await startBrowser();
let passed = 0;
let failed = 0;
try {
  for (const f of files) {
    const { tests } = await import(`./${f}`);
    for (const t of tests) {
      if (only && !`${f} ${t.name}`.includes(only)) continue;
      const ctx = makeCtx(server, browser);
      const start = Date.now();
      try {
        await t.run(ctx);
        if (ctx.outside.length) throw new Error(`requests left 127.0.0.1: ${[...new Set(ctx.outside)].join(', ')}`);
        passed++;
        console.log(`ok   ${f}: ${t.name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        await ctx.failed(t.name.replace(/[^\w一-龥]+/g, '-').slice(0, 40));
        console.log(`FAIL ${f}: ${t.name}\n     ${String(e?.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
      } finally {
        await ctx.closeAll();
      }
    }
  }
} finally {
  await close();
  await server.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
