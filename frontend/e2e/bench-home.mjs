// The bench's browser part (`steward bench`, README "Performance"): how long each staff home takes
// to show its first rows in Debian's Chromium, against the bench's own server on the scale
// district, and how much JavaScript the login route loads. The harness starts it with one JSON
// argument and reads one JSON object from stdout; progress goes to stderr.
//
//   node e2e/bench-home.mjs '{"base":"http://127.0.0.1:8080","password":"…","runs":5,"shots":"var/bench",
//     "homes":[{"name":"browser officer","role":"officer","username":"bench12"}],"login":true,"profile":false}'
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptSizes, startBrowser } from './harness.mjs';

const cfg = JSON.parse(process.argv[2] ?? '{}');
const runs = cfg.runs ?? 5;
const timeout = cfg.timeout_ms ?? 20_000;

// Each home's main list: the first thing on the page a user reads, and the request that fills it.
// A row is a data row (antd's tr.ant-table-row or .ant-list-item), never the empty state.
const mains = {
  officer: { list: 'inbox-red', row: 'tr.ant-table-row', request: (u) => isTickets(u, { mine: 'true', light: 'red' }) },
  dispatcher: { list: 'intake', row: 'tr.ant-table-row', request: (u) => isTickets(u, { status: 'submitted' }) },
  leader: { list: 'leader-red', row: 'tr.ant-table-row', request: (u) => isTickets(u, { mine: 'true', light: 'red' }) },
  steward: { list: 'due-visits', row: '.ant-list-item', request: (u) => u.pathname === '/api/v1/visits/due' },
};

function isTickets(u, want) {
  return u.pathname === '/api/v1/tickets' && !u.searchParams.has('cursor')
    && Object.entries(want).every(([k, v]) => u.searchParams.get(k) === v);
}

const log = (s) => process.stderr.write(`${s}\n`);
const round = (ms) => (ms == null ? null : Math.round(ms * 10) / 10);

/** measure navigates page to the home once and answers what it took, in ms from navigation start. */
async function measure(page, main) {
  await page.goto(`${cfg.base}/`, { waitUntil: 'commit' });
  // Polled in the page at every animation frame, so the time is the frame the row is painted in.
  const shown = await page.waitForFunction(({ list, row }) => {
    const box = document.querySelector(`[data-testid="${list}"]`);
    if (!box) return false;
    const r = [...box.querySelectorAll(row)].find((e) => e.checkVisibility() && e.getBoundingClientRect().height > 0);
    if (r) return { at: performance.now(), rows: box.querySelectorAll(row).length };
    // Loaded and empty: nothing to time (the district's user has nothing on this list).
    if (box.querySelector('.ant-empty') && !box.querySelector('.ant-spin-spinning, .ant-skeleton')) return { empty: true, at: performance.now() };
    return false;
  }, { list: main.list, row: main.row }, { polling: 'raf', timeout }).then((h) => h.jsonValue());
  // The rest of the page's requests, for where the time went.
  await page.waitForLoadState('networkidle', { timeout }).catch(() => {});
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const api = performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.startsWith('/api/v1/'))
      .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd }));
    return { doc: nav?.responseEnd, dcl: nav?.domContentLoadedEventEnd, api };
  });
  const api = t.api.filter((e) => e.end > 0);
  const req = api.find((e) => main.request(new URL(e.url)));
  const first = api.reduce((m, e) => (m == null || e.end < m.end ? e : m), null);
  return {
    first_row_ms: shown.empty ? null : round(shown.at),
    empty: !!shown.empty,
    rows: shown.rows ?? 0,
    document_ms: round(t.doc),
    dom_content_loaded_ms: round(t.dcl),
    first_answer_ms: round(first?.end),
    first_answer: first ? new URL(first.url).pathname : '',
    list_request_start_ms: round(req?.start),
    list_request_end_ms: round(req?.end),
    last_answer_ms: round(api.reduce((m, e) => Math.max(m, e.end), 0)),
    requests: api.length,
    api: api.map((e) => ({ path: new URL(e.url).pathname + new URL(e.url).search, start_ms: round(e.start), end_ms: round(e.end) })),
  };
}

async function home(browser, h) {
  const main = mains[h.role];
  const out = { name: h.name, role: h.role, username: h.username, list: `[data-testid="${main.list}"] ${main.row}`, runs: [] };
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', serviceWorkers: 'allow' });
  try {
    // The session cookie from POST /auth/login, in the context's own cookie jar.
    const r = await context.request.post(`${cfg.base}/api/v1/auth/login`, { data: { username: h.username, password: cfg.password } });
    if (!r.ok()) throw new Error(`login ${h.username}: ${r.status()} ${await r.text()}`);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (q) => {
      if (new URL(q.url()).hostname !== new URL(cfg.base).hostname) errors.push(`a request left the server: ${q.url()}`);
    });
    // The first navigation is cold (an empty profile: no HTTP cache, no service worker yet);
    // the others warm, as a staff member's browser is every day after the first.
    for (let i = 0; i < runs; i++) {
      // profile: the last navigation's JavaScript CPU profile (open it in Chromium's DevTools),
      // for where a slow home spends its time.
      const cdp = cfg.profile && i === runs - 1 ? await context.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      const m = await measure(page, main);
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        out.profile = join(cfg.shots, `home-${h.role}.cpuprofile`);
        writeFileSync(out.profile, JSON.stringify(profile));
        await cdp.detach();
      }
      m.cold = i === 0;
      out.runs.push(m);
      log(`${h.name} (${h.username}) run ${i + 1}: first row ${m.first_row_ms ?? 'none'} ms, list request ${m.list_request_start_ms}→${m.list_request_end_ms} ms, ${m.requests} API requests`);
    }
    if (cfg.shots) {
      out.screenshot = join(cfg.shots, `home-${h.role}.png`);
      await page.screenshot({ path: out.screenshot });
    }
    if (errors.length) out.errors = [...new Set(errors)].slice(0, 5);
  } catch (e) {
    out.error = String(e?.message || e).split('\n')[0];
  } finally {
    await context.close();
  }
  return out;
}

async function loginJS(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    const sizes = scriptSizes(page);
    await page.goto(`${cfg.base}/login`);
    await page.getByRole('button', { name: /登\s*录/ }).waitFor({ timeout });
    await page.waitForLoadState('networkidle', { timeout }).catch(() => {});
    const js = await sizes();
    log(`login route: ${js.scripts} scripts, ${js.raw} bytes, ${js.gzip} gzipped`);
    return { scripts: js.scripts, bytes: js.raw, gzip_bytes: js.gzip };
  } catch (e) {
    return { error: String(e?.message || e).split('\n')[0] };
  } finally {
    await context.close();
  }
}

const { browser, close } = await startBrowser();
const result = { chromium: browser.version(), runs, homes: [] };
try {
  if (cfg.login) result.login = await loginJS(browser);
  for (const h of cfg.homes ?? []) result.homes.push(await home(browser, h));
} finally {
  await close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
