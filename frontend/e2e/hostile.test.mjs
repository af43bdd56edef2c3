// Hostile input (README, Reliability): an enterprise and a ticket whose text looks like markup
// and SQL are created through the API, and every page that shows them shows the text as text —
// no script runs, no dialog opens, no element is injected.
import { assert, login } from './harness.mjs';

const LAND = '01900000-0000-7000-8000-000000000003'; // 用地 → 区自然资源和规划局
const XSS_IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
const XSS_SCRIPT = '<script>window.__pwned=2;alert(2)</script>';
const SQL = "'; DROP TABLE tickets;--";
const XSS_LINK = '<a href="javascript:alert(3)">点我</a>';
const XSS_TAG = '<script>alert(4)'; // a tag is at most 20 characters

/** creditCode completes 17 characters with their GB 32100 check character. */
function creditCode(first17) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(first17[i]) * weights[i];
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

/** watch records what a page must never do: open a dialog, throw, or run the injected code. */
function watch(page) {
  const seen = { dialogs: [] };
  page.on('dialog', async (d) => {
    seen.dialogs.push(d.message());
    await d.dismiss();
  });
  return seen;
}

async function inert(page, seen, where) {
  assert(seen.dialogs.length === 0, `${where}: a dialog opened: ${seen.dialogs.join(', ')}`);
  assert((await page.evaluate(() => window.__pwned)) === undefined, `${where}: injected code ran`);
  assert((await page.locator('img[src="x"], script:not([src]):has-text("__pwned"), a[href^="javascript:"]').count()) === 0,
    `${where}: an injected element is in the page`);
  assert(page.errors.length === 0, `${where}: page errors: ${page.errors.join('; ')}`);
}

export const tests = [
  {
    name: 'markup and SQL in an enterprise and a ticket are shown as text on the list, 360 and ticket pages',
    async run(ctx) {
      const dispatcher = await ctx.api('dispatcher');
      const suffix = String(Date.now()).slice(-6);
      const name = `${XSS_IMG}恶意企业${suffix}`;
      const e = await dispatcher.post('/enterprises', {
        name, credit_code: creditCode(`91320500MA1${suffix}`), industry: 'C', scale: 'small', key_level: 'district',
        address: SQL, legal_representative: '<b>张三</b>', tags: [XSS_TAG],
      });
      assert(e.status === 201, `create enterprise: ${e.status} ${JSON.stringify(e.body)}`);
      const title = `${XSS_SCRIPT}${SQL}`;
      const description = `${XSS_IMG}\n${XSS_LINK}\n${SQL}`;
      const t = await dispatcher.call('POST', '/tickets', { enterprise_id: e.body.id, category_id: LAND, title, description, source: 'hotline' },
        { 'Idempotency-Key': `hostile-${suffix}` });
      assert(t.status === 201, `create ticket: ${t.status} ${JSON.stringify(t.body)}`);
      const c = await dispatcher.post(`/tickets/${t.body.id}/comments`, { body: `${XSS_LINK} ${XSS_IMG}`, internal: false });
      assert(c.status === 201 || c.status === 200, `comment: ${c.status} ${JSON.stringify(c.body)}`);

      const page = await ctx.page({ viewport: { width: 1440, height: 900 } });
      const seen = watch(page);
      await login(page, 'dispatcher');

      await page.goto(`/enterprises/${e.body.id}`);
      await page.getByRole('heading', { name }).waitFor();
      await page.getByText(SQL, { exact: true }).first().waitFor();
      await page.getByText(XSS_TAG, { exact: true }).first().waitFor();
      await inert(page, seen, 'the enterprise 360 page');
      await ctx.shot(page, 'hostile-enterprise-360');

      await page.goto(`/enterprises?q=${encodeURIComponent('恶意企业' + suffix)}`);
      await page.getByRole('link', { name }).waitFor();
      await inert(page, seen, 'the enterprise list');

      await page.goto(`/tickets/${t.body.id}`);
      await page.getByTestId('ticket-number').waitFor();
      await page.getByText(title).first().waitFor();
      await page.getByText(XSS_LINK).first().waitFor();
      await inert(page, seen, 'the ticket page');
      await ctx.shot(page, 'hostile-ticket');

      await page.goto(`/tickets?q=${encodeURIComponent(SQL)}`);
      await page.getByText(title).first().waitFor();
      await inert(page, seen, 'the ticket list searched for SQL');
      await ctx.shot(page, 'hostile-ticket-list');

      // The tickets table is still there, with the ticket in it.
      const back = await dispatcher.get(`/tickets/${t.body.id}`);
      assert(back.status === 200 && back.body.title === title, `the ticket reads back as ${JSON.stringify(back.body?.title)}`);
    },
  },
];
