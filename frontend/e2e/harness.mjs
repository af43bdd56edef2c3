// The browser-test harness: the real binary on a fresh state dir and a free port, Debian's
// Chromium through playwright-core, and a guard that no request leaves 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const PASSWORD = 'Demo-Passw0rd!e2e';
export const SHOTS = resolve(import.meta.dirname, '../test-results');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

/** startServer runs `steward dev` on a fresh state dir and waits until it is ready. */
export async function startServer() {
  const bin = process.env.STEWARD_BIN || resolve(import.meta.dirname, '../../bin/steward');
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'steward-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, STEWARD_ADDR: `127.0.0.1:${port}`, STEWARD_STATE_DIR: state,
    STEWARD_DEMO_PASSWORD: PASSWORD, STEWARD_BASE_URL: base, STEWARD_LOG_FORMAT: 'text' };
  delete env.DATABASE_URL;
  // Webhook tests' receivers listen on this machine's own address (never loopback, which
  // webhooks never reach): the private ones among them are listed as allowed.
  env.STEWARD_WEBHOOK_ALLOW ??= Object.values(networkInterfaces()).flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal && /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(i.address))
    .map((i) => i.address).join(',');
  const proc = spawn(bin, ['dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`steward dev exited ${proc.exitCode}:\n${log}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`steward dev not ready in 180 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    base,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
      rmSync(state, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  // playwright refuses --user-data-dir with launch(); launch() itself starts Chromium on a new
  // empty profile directory of its own (and removes it on close), which is what the flag is for.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',],
  });
  return { browser, close: () => browser.close() };
}

/**
 * Ctx is what each test gets: `page(opts)` opens a new browser context (its own cookies) on the
 * server, guarded so that any request to another host fails the test; `shot(page, name)` saves a
 * screenshot; `api(user)` is a logged-in HTTP client for checking what the server recorded.
 */
export function makeCtx(server, browser) {
  const contexts = [];
  const pages = [];
  const outside = [];
  mkdirSync(SHOTS, { recursive: true });
  return {
    base: server.base,
    outside,
    async page({ viewport = { width: 1280, height: 800 }, lang = 'zh-CN', mobile = false, bypassCSP = false } = {}) {
      const context = await browser.newContext({ viewport, locale: lang, isMobile: mobile, hasTouch: mobile,
        serviceWorkers: 'allow', baseURL: server.base, bypassCSP });
      contexts.push(context);
      context.on('request', (r) => {
        const u = new URL(r.url());
        if (['data:', 'blob:'].includes(u.protocol)) return;
        if (u.hostname !== '127.0.0.1') outside.push(r.url());
      });
      const page = await context.newPage();
      pages.push(page);
      page.setDefaultTimeout(15_000);
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
      return page;
    },
    async shot(page, name) {
      await page.waitForTimeout(150); // let antd's motion settle
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    async api(username) {
      const r = await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }) });
      if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
      const cookie = r.headers.get('set-cookie').split(';')[0];
      const call = async (method, path, body, headers = {}) => {
        const res = await fetch(`${server.base}/api/v1${path}`, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: server.base, ...headers },
          body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
      };
      return { call, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}) };
    },
    /** failed saves what each page of the test shows, for the report. */
    async failed(name) {
      for (const [i, p] of pages.entries()) await p.screenshot({ path: join(SHOTS, `FAILED-${name}-${i}.png`), fullPage: true }).catch(() => {});
    },
    async closeAll() {
      for (const c of contexts.splice(0)) await c.close();
    },
  };
}

/** login logs `username` in through the login page. */
export async function login(page, username) {
  await page.goto('/login');
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^密码$|^Password$/).fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * apiAs logs `username` in over HTTP: a second client beside the browser, for staff moves and
 * checks of the record. Answers are {status, body, headers, etag}; patch sends the ETag given, or
 * the current one; act runs a ticket action on the ticket's current ETag and fails the test on
 * anything but 200.
 */
export async function apiAs(ctx, username) {
  const r = await fetch(`${ctx.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }) });
  assert(r.ok, `login ${username}: ${r.status}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${ctx.base}/api/v1${path}`, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: ctx.base, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers, etag: res.headers.get('etag') };
  };
  return {
    call,
    get: (p) => call('GET', p),
    post: (p, b, h) => call('POST', p, b ?? {}, h),
    patch: async (p, b, etag) => call('PATCH', p, b, { 'If-Match': etag ?? (await call('GET', p)).etag }),
    async act(id, action, body = {}) {
      const t = await call('GET', `/tickets/${id}`);
      const res = await call('POST', `/tickets/${id}/actions/${action}`, body, { 'If-Match': t.etag });
      assert(res.status === 200, `${username} ${action}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}

/**
 * scriptSizes records the JavaScript a page loads from now on; the function it answers sums it up,
 * as sent and gzipped (what DESIGN.md §7's login-route budget counts), once the page has settled.
 */
export function scriptSizes(page) {
  const bodies = new Map();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') bodies.set(r.url(), r.body().catch(() => Buffer.alloc(0)));
  });
  return async () => {
    const all = await Promise.all(bodies.values());
    return { scripts: all.length, raw: all.reduce((n, b) => n + b.length, 0), gzip: all.reduce((n, b) => n + gzipSync(b).length, 0) };
  };
}

/**
 * userMenu chooses the item `name` of the user menu, one that opens a page, and waits until `done`
 * (a promise-returning check, given a timeout) holds. The drop-down opens with an animation, and a click during it (or while the page
 * behind it is still rendering its lists) can go nowhere; so a click that changed nothing is
 * tried again, up to three times.
 */
export async function userMenu(page, name, done) {
  for (let attempt = 1; ; attempt++) {
    const item = page.getByRole('menuitem', { name });
    if (!(await item.isVisible())) await page.getByTestId('user-menu').click();
    await item.click();
    try {
      await done(attempt < 3 ? 4000 : 15000);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * pick chooses the option titled name of an antd Select that open() opens (a click on the field,
 * say). The drop-down opens with an animation and a click during it can miss, so it waits for the
 * option, lets the animation end, and tries again (up to three times) while the drop-down stays open.
 */
export async function pick(page, open, name, { type = false } = {}) {
  for (let i = 0; i < 3; i++) {
    // type: the option's name is typed first, so that it is rendered even when the list is
    // longer than the drop-down shows at once (antd's lists are virtual).
    if (!(await shownOption(page, name).isVisible())) {
      await open();
      if (type) await page.keyboard.type(name);
    }
    await shownOption(page, name).waitFor();
    await page.waitForTimeout(250);
    await shownOption(page, name).click();
    try {
      // A single Select closes; a multiple one stays open with the option marked selected.
      await page.waitForFunction((n) => {
        const open = [...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')]
          .filter((o) => o.getAttribute('title') === n && o.checkVisibility());
        return open.length === 0 || open.some((o) => o.classList.contains('ant-select-item-option-selected'));
      }, name, { timeout: 2000 });
      return;
    } catch { /* the click missed */ }
  }
  throw new Error(`the option ${name} could not be chosen`);
}

/** shownOption is the option titled name in the drop-down that is open now (two Selects may list the same name). */
export const shownOption = (page, name) => page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${name}"]`);
