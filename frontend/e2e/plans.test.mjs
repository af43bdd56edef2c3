// Approval plans (审批节点计划) in the browser: the dispatcher makes a project's plan from a
// template, an officer finds the node it owes on its home, finishes it on the project page (after
// a friendly 412) and the chart moves; an administrator edits a template and a cyclic
// predecessor is refused beside the field.
import { join } from 'node:path';
import { apiAs, assert, login, pick, SHOTS, shownOption } from './harness.mjs';

const desktop = { viewport: { width: 1280, height: 860 } };
const phone = { viewport: { width: 390, height: 844 }, mobile: true };
const ok = (page, name) => page.locator('.ant-modal button:visible', { hasText: new RegExp(`^${[...name].join('\\s*')}$`) });
const btn = (scope, name) => scope.getByRole('button', { name: new RegExp(`^${[...name].join('\\s*')}$`) });
const shown = shownOption;

async function departments(api) {
  const list = (await api.get('/departments?limit=200')).body.items;
  return (name) => list.find((d) => d.name === name).id;
}

/** beijingDate is the Beijing date `days` days from today. */
const beijingDate = (days) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

const gantt = async (page) => JSON.parse(await page.getByTestId('plan-gantt').getAttribute('data-gantt'));

export const tests = [
  {
    name: 'the dispatcher makes a plan from a template; an officer finishes its node on the project page and the chart moves',
    async run(ctx) {
      const admin = await apiAs(ctx, 'admin'), dispatcher = await apiAs(ctx, 'dispatcher');
      const dept = await departments(admin);
      const name = `工业技改审批计划 ${Date.now()}`;
      const tpl = await admin.post('/plan-templates', { name, project_kind: 'renovation', nodes: [
        { key: 'landpre', name: '用地预审', department_id: dept('区自然资源和规划局'), days: 10, after: [] },
        { key: 'eia', name: '环境影响评价', department_id: dept('区生态环境局'), days: 3, after: [] },
        { key: 'build', name: '施工许可', department_id: dept('区住房和城乡建设局'), days: 5, after: ['landpre'] },
      ] });
      assert(tpl.status === 201, `template: ${tpl.status} ${JSON.stringify(tpl.body)}`);
      // A project without a plan yet.
      let project;
      for (const p of (await dispatcher.get('/projects?limit=50')).body.items) {
        if ((await dispatcher.get(`/projects/${p.id}/plan`)).status === 404) { project = p; break; }
      }
      assert(project, 'no project without a plan');
      const start = beijingDate(-20);

      // The dispatcher makes the plan on the project page.
      const d = await ctx.page(desktop);
      await login(d, 'dispatcher');
      await d.goto(`/projects/${project.id}`);
      const section = d.getByTestId('plan');
      await section.getByText('本项目尚未制定审批节点计划').waitFor();
      await pick(d, () => section.getByLabel('计划模板').click(), `${name}（技改 · 3 个事项）`);
      const startInput = section.getByLabel('计划开始日期');
      await startInput.click();
      await startInput.fill(start);
      await startInput.press('Tab');
      await ctx.shot(d, 'plan-create');
      await btn(section, '按模板制定计划').click();
      await d.getByTestId('node-landpre').waitFor();
      const plan = (await dispatcher.get(`/projects/${project.id}/plan`)).body;
      assert(plan.start === start && plan.template_id === tpl.body.id && plan.nodes.length === 3, `plan: ${JSON.stringify(plan).slice(0, 300)}`);
      await d.getByTestId('plan-forecast').getByText(plan.forecast_finish).waitFor();
      await ctx.shot(d, 'plan-project-page');
      await d.getByTestId('plan').screenshot({ path: join(SHOTS, 'plan-section.png') });
      const mobile = await ctx.page(phone);
      await login(mobile, 'dispatcher');
      await mobile.goto(`/projects/${project.id}`);
      await mobile.getByTestId('node-landpre').waitFor();
      await ctx.shot(mobile, 'plan-project-page-phone');
      await mobile.getByTestId('plan').screenshot({ path: join(SHOTS, 'plan-section-phone.png') });
      const english = await ctx.page(desktop);
      await english.addInitScript(() => localStorage.setItem('steward.lang', 'en'));
      await login(english, 'dispatcher');
      await english.goto(`/projects/${project.id}`);
      await english.getByTestId('plan').getByText('Forecast finish').waitFor();
      await ctx.shot(english, 'plan-project-page-en');

      // The officer of 自然资源 finds the node on its home, red first, and opens the project's plan.
      const o = await ctx.page(desktop);
      await login(o, 'officer1');
      const owed = o.getByTestId('nodes-owed');
      const row = owed.locator('tr', { hasText: project.name }).filter({ hasText: '用地预审' });
      await row.waitFor();
      await row.getByText('红灯').waitFor(); // 20 days since the start: overdue
      await ctx.shot(o, 'plan-officer-home');
      await row.getByRole('link', { name: '用地预审' }).click();
      await o.getByTestId('node-landpre').waitFor();
      const before = await gantt(o);
      const node = o.getByTestId('node-landpre');
      assert((await node.getByTestId('node-status').innerText()).includes('可办理'), 'the node is not ready');
      assert(before.forecast_finish === plan.forecast_finish, `chart forecast ${before.forecast_finish}; plan ${plan.forecast_finish}`);
      // Only its own department's node offers moves to it.
      assert(!(await btn(o.getByTestId('node-eia'), '办结').count()), 'the officer is offered to finish another department\'s node');

      // Meanwhile the dispatcher starts 环评: the officer's plan is stale.
      await btn(node, '办结').click();
      const dialog = o.getByRole('dialog');
      const dateInput = dialog.getByLabel('办结日期');
      await dateInput.click();
      await dateInput.fill(start);
      await dateInput.press('Enter');
      const note = '自然资源预审字〔2026〕18号';
      await dialog.getByLabel('办结说明').fill(note);
      const fresh = await dispatcher.get(`/projects/${project.id}/plan`);
      const eia = fresh.body.nodes.find((n) => n.key === 'eia');
      const started = await dispatcher.post(`/projects/${project.id}/plan/nodes/${eia.id}/actions/start`, undefined, { 'If-Match': fresh.etag });
      assert(started.status === 200, `dispatcher start: ${started.status} ${JSON.stringify(started.body)}`);
      await ok(o, '办结').click();
      await dialog.getByText('此计划已被他人更新').waitFor();
      assert(await dialog.getByLabel('办结说明').inputValue() === note, 'the typed note was lost');
      await ctx.shot(o, 'plan-node-412');
      await ok(o, '按最新状态重试').click();
      await node.getByTestId('node-status').getByText('已完成').waitFor();

      // The chart moved: the node is done, its bar ends on the date given, the forecast follows the server.
      const after = (await dispatcher.get(`/projects/${project.id}/plan`)).body;
      const done = after.nodes.find((n) => n.key === 'landpre');
      assert(done.status === 'done' && done.finished_on === start && done.note === note, `node after: ${JSON.stringify(done)}`);
      assert(after.nodes.find((n) => n.key === 'build').status === 'ready', 'the next node did not become ready');
      await o.getByTestId('plan-forecast').getByText(after.forecast_finish).waitFor();
      const moved = await gantt(o);
      const b0 = before.nodes.find((n) => n.key === 'landpre'), b1 = moved.nodes.find((n) => n.key === 'landpre');
      assert(b0.status !== 'done' && b1.status === 'done' && b1.bar[1] === start && b1.color !== b0.color, `landpre bar ${JSON.stringify(b0)} → ${JSON.stringify(b1)}`);
      assert(moved.forecast_finish === after.forecast_finish && moved.forecast_finish !== before.forecast_finish,
        `forecast ${before.forecast_finish} → ${moved.forecast_finish} (server ${after.forecast_finish})`);
      await ctx.shot(o, 'plan-node-finished');
      await o.getByTestId('plan').screenshot({ path: join(SHOTS, 'plan-section-finished.png') });
      await o.goto('/');
      await o.getByTestId('nodes-owed').locator('tbody tr').first().waitFor();
      assert(!(await o.getByTestId('nodes-owed').locator('tr', { hasText: '用地预审' }).filter({ hasText: project.name }).count()), 'the finished node is still owed');
    },
  },
  {
    name: 'an administrator edits a plan template: a cyclic predecessor is refused beside the field, then the fix is saved',
    async run(ctx) {
      const admin = await apiAs(ctx, 'admin');
      const dept = await departments(admin);
      const name = `新建项目审批链 ${Date.now()}`;
      const tpl = await admin.post('/plan-templates', { name, project_kind: 'new', nodes: [
        { key: 'filing', name: '立项备案', department_id: dept('区发展和改革局'), days: 3, after: [] },
        { key: 'landpre', name: '用地预审', department_id: dept('区自然资源和规划局'), days: 10, after: ['filing'] },
        { key: 'permit', name: '规划许可', department_id: dept('区自然资源和规划局'), days: 8, after: ['landpre'] },
      ] });
      assert(tpl.status === 201, `template: ${tpl.status} ${JSON.stringify(tpl.body)}`);
      const page = await ctx.page(desktop);
      await login(page, 'admin');
      await page.locator('main').getByRole('link', { name: /审批计划模板/ }).click(); // the admin home's card (the menu folds it away on narrow screens)
      await page.getByTestId('plan-templates').getByRole('link', { name }).click();
      await page.getByTestId('template-node-2').waitFor();
      await ctx.shot(page, 'plan-template-editor');

      // 立项备案 after 规划许可 closes a cycle: refused, and said beside that node's predecessors.
      const first = page.getByTestId('template-node-0');
      await pick(page, () => first.getByLabel('前置节点').click(), 'permit · 规划许可');
      await page.keyboard.press('Escape');
      await btn(page, '保存').click();
      const error = first.getByText(/前置节点形成循环/);
      await error.waitFor();
      const words = await error.innerText();
      assert(words.includes('filing') && words.includes('permit'), `the cycle is not named: ${words}`);
      assert(!(await page.getByTestId('template-node-1').getByText(/前置节点形成循环/).count()), 'the error is shown beside another node');
      await ctx.shot(page, 'plan-template-cycle');
      let saved = (await admin.get(`/plan-templates/${tpl.body.id}`)).body;
      assert(saved.version === tpl.body.version && saved.nodes[0].after.length === 0, `the refused edit was saved: ${JSON.stringify(saved.nodes[0])}`);

      // The fix: no predecessor for 立项备案, a longer limit for 规划许可, and a new node after it.
      await first.locator('.ant-select').getByLabel('close', { exact: true }).click(); // the tag's ×
      assert(!(await first.getByText('permit · 规划许可').count()), 'the predecessor was not removed');
      await page.getByTestId('template-node-2').getByLabel('承诺时限（工作日）').fill('12');
      await page.getByRole('button', { name: /添加审批事项/ }).click();
      const added = page.getByTestId('template-node-3');
      await added.getByLabel('编号').fill('build');
      await added.getByLabel('审批事项').fill('施工许可');
      await pick(page, () => added.getByLabel('责任部门').click(), '区住房和城乡建设局');
      await added.getByLabel('承诺时限（工作日）').fill('7');
      await pick(page, () => added.getByLabel('前置节点').click(), 'permit · 规划许可');
      await page.keyboard.press('Escape');
      // The form's 保存 sits at the top of a long page: found by its text, scrolled to, clicked.
      const save = page.locator('button:visible', { hasText: /^保\s*存$/ });
      await save.scrollIntoViewIfNeeded();
      await save.click();
      await page.getByText('模板已保存').waitFor();
      saved = (await admin.get(`/plan-templates/${tpl.body.id}`)).body;
      const keys = saved.nodes.map((n) => `${n.key}:${n.days}:${n.after.join('+')}`).join(' ');
      assert(keys === 'filing:3: landpre:10:filing permit:12:landpre build:7:permit', `saved nodes: ${keys}`);
      await ctx.shot(page, 'plan-template-saved');
    },
  },
];
