// The steward logs visits on a phone, online and offline.
import { assert, login, pick } from './harness.mjs';

const phone = { viewport: { width: 390, height: 844 }, mobile: true };
const enterprise = '苏州美讯汽车零部件有限公司';

/** fillVisit fills 走访登记 as a steward does: initials for the enterprise, a summary, one finding raising a ticket. */
async function fillVisit(page, summary, search = 'mxqc') {
  await page.getByRole('button', { name: /走访登记/ }).click();
  await page.waitForURL('**/visits/new');
  const picker = page.getByLabel('企业', { exact: true });
  await picker.click();
  await picker.fill(search);
  await pick(page, () => picker.click(), enterprise);
  await page.getByLabel('走访内容').fill(summary);
  await page.getByRole('button', { name: /添加问题/ }).click();
  await page.getByLabel('问题描述').fill('企业二期厂房需要用电增容到 2000 千伏安，希望尽快协调供电公司。');
  await page.getByRole('switch', { name: '生成诉求' }).click();
  await pick(page, () => page.getByLabel('诉求类别').click(), '用电');
  await page.locator('[data-testid=photo-input]').setInputFiles({ name: 'site.png', mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') });
}

async function visitsWith(api, summary) {
  const r = await api.get('/visits?limit=200');
  return r.body.items.filter((v) => v.summary === summary);
}

export const tests = [
  {
    name: 'steward logs a visit on a phone whose finding raises a ticket',
    async run(ctx) {
      const page = await ctx.page(phone);
      await login(page, 'steward1');
      await ctx.shot(page, 'steward-home-phone');
      const summary = `在线走访 ${Date.now()}`;
      const started = Date.now();
      await fillVisit(page, summary);
      await ctx.shot(page, 'visit-new-phone');
      await page.getByRole('button', { name: /保存走访/ }).click();
      await page.getByText('走访已保存').waitFor();
      console.log(`     logging a visit took ${((Date.now() - started) / 1000).toFixed(1)} s of scripted input`);
      await page.getByText('已生成 1 条诉求').waitFor();
      await ctx.shot(page, 'visit-saved');

      const api = await ctx.api('steward1');
      const visits = await visitsWith(api, summary);
      assert(visits.length === 1, `want exactly one visit, got ${visits.length}`);
      assert(visits[0].ticket_ids?.length === 1, `the finding should have raised one ticket: ${JSON.stringify(visits[0])}`);
      assert(visits[0].photo_count === 1, `the photo should be on the visit: ${visits[0].photo_count}`);
      const ticket = await api.get(`/tickets/${visits[0].ticket_ids[0]}`);
      assert(ticket.body.category_name === '用电' && ticket.body.enterprise_name === enterprise, `ticket: ${JSON.stringify(ticket.body)}`);
    },
  },
  {
    name: 'steward logs a visit offline; it waits as 待同步, survives a reload and syncs once when back online',
    async run(ctx) {
      const page = await ctx.page(phone);
      await login(page, 'steward1');
      // The service worker has the app shell once it is active.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.reload();
      await page.getByRole('button', { name: /走访登记/ }).waitFor();
      const summary = `离线走访 ${Date.now()}`;
      const before = Date.now();
      await page.context().setOffline(true);
      // Offline the server's pinyin search is out of reach: the steward's own enterprises by name.
      await fillVisit(page, summary, '美讯');
      await page.getByRole('button', { name: /保存走访/ }).click();
      await page.getByText('已保存，待同步').waitFor();
      await ctx.shot(page, 'visit-offline-saved');

      // The app is closed and opened again, still without a network: the shell comes from the
      // service worker and the visit is still waiting.
      await page.reload();
      await page.getByRole('heading', { name: '走访登记' }).waitFor(); // the page it was on, from the service worker
      await page.goto('/');
      const box = page.getByTestId('outbox');
      await box.getByText('待同步').waitFor();
      await box.getByText('1 条走访保存在本机').waitFor();
      await ctx.shot(page, 'steward-home-outbox');
      const api = await ctx.api('steward1');
      assert((await visitsWith(api, summary)).length === 0, 'nothing should reach the server while offline');

      await page.context().setOffline(false);
      await box.waitFor({ state: 'detached', timeout: 40_000 });
      const visits = await visitsWith(api, summary);
      assert(visits.length === 1, `want exactly one visit after syncing, got ${visits.length}`);
      const at = Date.parse(visits[0].visited_at);
      assert(at <= before + 60_000 && at >= before - 10 * 60_000, `visited_at should be when it was logged offline, got ${visits[0].visited_at}`);
      assert(visits[0].ticket_ids?.length === 1 && visits[0].photo_count === 1, `ticket and photo: ${JSON.stringify(visits[0])}`);

      // Opening the app again sends nothing more.
      await page.reload();
      await page.getByRole('button', { name: /走访登记/ }).waitFor();
      await page.waitForTimeout(1500);
      assert((await visitsWith(api, summary)).length === 1, 'a reload must not send the visit again');
      await ctx.shot(page, 'steward-home-synced');
    },
  },
];
