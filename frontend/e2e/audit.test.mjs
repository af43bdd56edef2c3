// The audit log: the auditor verifies the chain and follows one entity's history; an
// administrator is told in plain words that the audit pages are not theirs (三权分立).
import { assert, login } from './harness.mjs';

export const tests = [
  {
    name: 'an auditor verifies the chain, sees it intact with the number checked, and filters the log to one entity’s history',
    async run(ctx) {
      // Something to follow: an admin changes a category twice.
      const admin = await ctx.api('admin');
      const cat = (await admin.get('/categories')).body.items[1];
      for (const description of ['审计一', '审计二']) {
        const cur = await admin.get(`/categories/${cat.id}`);
        const r = await admin.call('PATCH', `/categories/${cat.id}`, { description }, { 'If-Match': cur.headers.get('etag') });
        assert(r.status === 200, `PATCH ${r.status}`);
      }
      const page = await ctx.page();
      await login(page, 'auditor');
      await page.getByRole('menuitem', { name: '审计日志' }).click();
      await page.waitForURL(/\/audit/);
      await page.getByRole('button', { name: '校验哈希链' }).click();
      const ok = page.getByRole('status').filter({ hasText: '校验通过' });
      await ok.waitFor({ timeout: 60_000 });
      const checked = Number(/共核对 (\d+) 条记录/.exec(await ok.innerText())?.[1]);
      const verify = (await (await ctx.api('auditor')).get('/audit/verify')).body;
      assert(verify.ok && checked > 0 && checked <= verify.checked, `shown ${checked}, server ${JSON.stringify(verify)}`);
      await ctx.shot(page, 'audit-verified');

      // The category's history: click its id in the log.
      await page.getByLabel('对象类型').fill('category');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: `查看变更记录 category ${cat.id}` }).first().click();
      await page.getByText(`正在查看 category ${cat.id} 的全部变更记录`).waitFor();
      assert(new URL(page.url()).searchParams.get('entity_id') === cat.id, `the filter is not in the URL: ${page.url()}`);
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await rows.first().waitFor();
      const n = await rows.count();
      assert(n >= 2, `the history shows ${n} records, want both changes`);
      for (let i = 0; i < n; i++) assert((await rows.nth(i).innerText()).includes(cat.id), `row ${i} is another entity's`);
      // A record opens with its before and after.
      await rows.first().getByRole('button', { name: /展开行|Expand row/ }).click();
      await page.getByText('审计二').first().waitFor();
      await ctx.shot(page, 'audit-history');
      assert(page.errors.length === 0, `page errors: ${page.errors}`);
    },
  },
  {
    name: 'an admin cannot open the audit pages and is told so in plain words',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'admin');
      for (const path of ['/audit', '/audit/verify']) {
        await page.goto(path);
        await page.getByText('此页面仅供审计员使用').waitFor();
      }
      await ctx.shot(page, 'audit-admin-refused');
      assert(await page.getByRole('menuitem', { name: '审计日志' }).count() === 0, 'the admin has an audit menu entry');
      const admin = await ctx.api('admin');
      assert((await admin.get('/audit')).status === 403 && (await admin.get('/audit/verify')).status === 403, 'the API lets an admin read the audit log');
    },
  },
];
