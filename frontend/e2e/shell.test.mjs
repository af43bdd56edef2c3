// The shell: logging in, each role's home, the bell, the language, a session that ends.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assert, login, PASSWORD, scriptSizes, userMenu } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe runs axe-core on the page and answers its serious and critical violations. */
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

const homes = [['steward1', /管家工作台/], ['officer1', /部门收件箱/], ['dispatcher', /调度工作台/], ['leader1', /领导工作台/]];

export const tests = [
  {
    name: 'each staff role logs in and sees its home, with no serious accessibility violation',
    async run(ctx) {
      const problems = [];
      for (const [user, heading] of homes) {
        // axe is injected as an inline script, which the server's CSP (rightly) refuses.
        const page = await ctx.page({ bypassCSP: true });
        await login(page, user);
        await page.getByRole('heading', { name: heading }).waitFor();
        await page.waitForLoadState('networkidle');
        await ctx.shot(page, `home-${user}`);
        assert(page.errors.length === 0, `page errors for ${user}: ${page.errors}`);
        const v = await axe(page);
        if (v.length) problems.push(`${user}: ${v.join('; ')}`);
      }
      assert(problems.length === 0, `axe-core found serious or critical violations:\n${problems.join('\n')}`);
    },
  },
  {
    name: 'the login page explains a wrong password in plain Chinese and loads little JavaScript',
    async run(ctx) {
      const page = await ctx.page({ bypassCSP: true });
      const sizes = scriptSizes(page);
      await page.goto('/login');
      await page.getByRole('button', { name: /登\s*录/ }).waitFor();
      await page.waitForLoadState('networkidle');
      const js = await sizes();
      console.log(`     login route: ${js.scripts} scripts, ${(js.raw / 1024).toFixed(0)} KB, ${(js.gzip / 1024).toFixed(0)} KB gzipped (target ≤ 300 KB)`);
      assert((await axe(page)).length === 0, 'the login page has serious accessibility violations');
      await page.getByLabel('用户名').fill('steward1');
      await page.getByLabel('密码').fill('not-the-password');
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByRole('alert').getByText('用户名或密码不正确').waitFor();
      await ctx.shot(page, 'login-wrong-password');
    },
  },
  {
    name: 'the bell shows a new notification without a reload',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'officer1');
      await page.getByRole('heading', { name: /部门收件箱/ }).waitFor();
      const bell = page.getByTestId('bell');
      const count = async () => Number((await bell.getAttribute('aria-label')).match(/(\d+)/)[1]);
      await page.waitForLoadState('networkidle');
      const before = await count();

      // A dispatcher routes a new ticket to the officer's department.
      const officer = await ctx.api('officer1');
      const me = (await officer.get('/me')).body;
      const steward = await ctx.api('steward1');
      const cat = (await steward.get('/categories?active=true')).body.items[0];
      const ent = (await steward.get(`/enterprises?steward_id=${(await steward.get('/me')).body.id}&limit=1`)).body.items[0];
      const created = await steward.post('/tickets', { enterprise_id: ent.id, category_id: cat.id, title: '铃铛测试：厂区道路破损',
        description: '厂区门口市政道路破损严重，影响货车进出，请尽快修复。', priority: 'normal' });
      assert(created.status === 201, `create ticket: ${created.status} ${JSON.stringify(created.body)}`);
      const dispatcher = await ctx.api('dispatcher');
      const act = async (action, body) => {
        const cur = await dispatcher.get(`/tickets/${created.body.id}`);
        const r = await dispatcher.call('POST', `/tickets/${created.body.id}/actions/${action}`, body, { 'If-Match': cur.headers.get('etag') });
        assert(r.status === 200, `${action}: ${r.status} ${JSON.stringify(r.body)}`);
      };
      await act('accept', {});
      await act('assign', { department_id: me.department_id });

      await page.waitForFunction((n) => {
        const m = document.querySelector('[data-testid=bell]')?.getAttribute('aria-label')?.match(/(\d+)/);
        return m && Number(m[1]) > n;
      }, before, { timeout: 20_000 });
      await page.getByText('铃铛测试：厂区道路破损').first().waitFor(); // the pop-up of the new notification
      await ctx.shot(page, 'bell-new-notification');
      await bell.click();
      await page.locator('.bell-panel').getByText(/铃铛测试/).first().waitFor();
      await ctx.shot(page, 'bell-open');
    },
  },
  {
    name: 'switching to English changes the UI, antd included, and stays after a reload',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'steward1');
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Steward workbench' }).waitFor();
      await page.getByRole('button', { name: /Log a visit/ }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Steward workbench' }).waitFor();
      await page.getByRole('button', { name: /Log a visit/ }).click();
      await page.getByText('Visited at').waitFor();
      await ctx.shot(page, 'visit-new-english');
      const chinese = await page.evaluate(() => (document.querySelector('main, .app-content')?.innerText ?? '').match(/[\u4e00-\u9fa5]{2,}/g));
      console.log(`     Chinese left on the English page (names from data are expected): ${(chinese ?? []).slice(0, 8).join(' ')}`);
    },
  },
  {
    name: 'an ended session leads to the login page and back to the page the user was on',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'dispatcher');
      await page.goto('/projects?stage=under_construction');
      await page.getByRole('heading', { name: '项目' }).waitFor();
      await page.context().clearCookies(); // the session ends (idle, or ended elsewhere)
      await page.getByRole('menuitem', { name: /企业/ }).click();
      await page.waitForURL(/\/login\?from=/);
      await page.getByText('登录已超时').waitFor();
      await ctx.shot(page, 'login-session-expired');
      await page.getByLabel('用户名').fill('dispatcher');
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.waitForURL((u) => u.pathname === '/enterprises');
      await page.getByRole('heading', { name: '企业' }).waitFor();
    },
  },
];

tests.push({
  name: 'a user creates an API token, sees it once, and finds it in the list',
  async run(ctx) {
    const page = await ctx.page();
    await login(page, 'leader1');
    await userMenu(page, 'API 令牌', (timeout) => page.waitForURL(/\/me\/tokens/, { timeout }));
    await page.getByLabel('名称').fill('月报脚本');
    await page.getByRole('button', { name: /创\s*建/ }).click();
    const token = await page.getByTestId('new-token').innerText();
    assert(token.length > 20, `the token should be shown once: ${token}`);
    await ctx.shot(page, 'token-shown-once');
    await page.getByRole('button', { name: /我已保存/ }).click();
    await page.getByRole('cell', { name: '月报脚本' }).waitFor();
    const r = await fetch(`${ctx.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token.trim()}` } });
    assert(r.status === 200, `the token should work for a script: ${r.status}`);
    await ctx.shot(page, 'tokens');
    await page.goto('/visits');
    await page.getByRole('heading', { name: '走访记录' }).waitFor();
    await ctx.shot(page, 'visit-list');
  },
});
