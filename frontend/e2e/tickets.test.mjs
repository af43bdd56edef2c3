// The ticket loop in the browser: the dispatcher accepts and routes, the officer signs and
// resolves, two browsers on one ticket (the friendly 412), a leader's instruction and its answer.
import { apiAs, assert, login } from './harness.mjs';

const desktop = { viewport: { width: 1440, height: 900 } };
const phone = { viewport: { width: 390, height: 844 }, mobile: true };
const LAND = '01900000-0000-7000-8000-000000000003'; // 用地 → 区自然资源和规划局, officer1's department
/** ok is a button of the open dialog's footer. */
const ok = (page, name) => page.locator('.ant-modal button:visible', { hasText: new RegExp(`^${[...name].join('\\s*')}$`) });
const btn = (scope, name) => scope.getByRole('button', { name: new RegExp(`^${[...name].join('\\s*')}$`) });

/** newTicket files a hotline ticket (用地) for an enterprise in leader1's portfolio, as the dispatcher. */
async function newTicket(ctx, title) {
  const leader = await apiAs(ctx, 'leader1');
  const me = await leader.get('/me');
  const a = await leader.get(`/assignments?leader_id=${me.body.id}&subject_type=enterprise&active=true&limit=1`);
  const enterprise = a.body.items[0].subject_id;
  const d = await apiAs(ctx, 'dispatcher');
  const r = await d.post('/tickets', { enterprise_id: enterprise, category_id: LAND, title, source: 'hotline',
    description: '企业反映新厂区用地红线与规划图不一致，需要自然资源部门现场核实。' }, { 'Idempotency-Key': `e2e-${Date.now()}-${Math.random()}` });
  assert(r.status === 201, `create ticket: ${r.status} ${JSON.stringify(r.body)}`);
  return { ticket: r.body, dispatcher: d, leader, officer: await apiAs(ctx, 'officer1') };
}

async function open(page, id) {
  await page.goto(`/tickets/${id}`);
  await page.getByTestId('ticket-number').waitFor();
}

export const tests = [
  {
    name: 'dispatcher accepts and assigns a submitted ticket; the officer of that department signs and resolves it',
    async run(ctx) {
      const { ticket, dispatcher, officer: officerApi } = await newTicket(ctx, `用地红线核实 ${Date.now()}`);
      // The administrator routes 用地 to the department of land and planning by default.
      const land = (await officerApi.get('/me')).body.department_id;
      const p = await (await apiAs(ctx, 'admin')).patch(`/categories/${LAND}`, { default_department_id: land });
      assert(p.status === 200, `set the category's default department: ${p.status} ${JSON.stringify(p.body)}`);
      const page = await ctx.page(desktop);
      await login(page, 'dispatcher');
      await page.getByTestId('intake').getByText(ticket.title).waitFor();
      await ctx.shot(page, 'dispatcher-home');
      await page.goto('/tickets?status=submitted');
      await page.getByTestId('ticket-list').getByText(ticket.title).waitFor();
      await ctx.shot(page, 'ticket-list');
      const started = Date.now();
      await page.goto('/tickets?limit=50');
      await page.getByTestId('ticket-list').locator('tbody tr').nth(49).waitFor();
      console.log(`     the list of 50 rows rendered in ${Date.now() - started} ms`);
      await page.goto('/tickets/new');
      await ctx.shot(page, 'ticket-new');

      await open(page, ticket.id);
      await btn(page.getByTestId('ticket-actions'), '受理').click();
      let dialog = page.getByRole('dialog');
      await ctx.shot(page, 'ticket-accept-dialog');
      await ok(page, '受理').click();
      await page.getByText('已受理').first().waitFor();
      await btn(page.getByTestId('ticket-actions'), '分派').click();
      dialog = page.getByRole('dialog');
      await dialog.getByText('区自然资源和规划局').waitFor(); // the category's default department, preselected
      await ctx.shot(page, 'ticket-assign-dialog');
      await ok(page, '分派').click();
      await page.getByText('已分派').first().waitFor();
      await ctx.shot(page, 'ticket-detail-dispatcher');
      let t = (await dispatcher.get(`/tickets/${ticket.id}`)).body;
      assert(t.status === 'assigned' && t.department_name === '区自然资源和规划局', `after assign: ${t.status} ${t.department_name}`);

      const officer = await ctx.page(desktop);
      await login(officer, 'officer1');
      await officer.getByTestId('inbox').getByText(ticket.title).or(officer.getByTestId('inbox-red').getByText(ticket.title)).first().waitFor();
      await ctx.shot(officer, 'officer-home');
      const mobile = await ctx.page(phone);
      await login(mobile, 'officer1');
      await mobile.getByText(ticket.title).first().waitFor();
      await ctx.shot(mobile, 'officer-home-phone');
      await open(officer, ticket.id);
      await btn(officer.getByTestId('ticket-actions'), '签收').click();
      await ok(officer, '签收').click();
      await officer.getByText('办理中').first().waitFor();
      await btn(officer.getByTestId('ticket-actions'), '办结').click();
      const resolution = '已现场核实，红线与规划一致，已向企业解释并出具书面答复。';
      await officer.getByRole('dialog').getByLabel('办结意见').fill(resolution);
      await ok(officer, '办结').click();
      await officer.getByText('已办结').first().waitFor();
      await ctx.shot(officer, 'ticket-detail-resolved');
      t = (await dispatcher.get(`/tickets/${ticket.id}`)).body;
      assert(t.status === 'resolved' && t.resolution === resolution, `after resolve: ${t.status} ${t.resolution}`);
      const ev = (await dispatcher.get(`/tickets/${ticket.id}/events`)).body.items.map((e) => e.action);
      for (const a of ['accept', 'assign', 'sign', 'resolve']) assert(ev.includes(a), `timeline lacks ${a}: ${ev}`);
    },
  },
  {
    name: 'two browsers act on one ticket: the second is told 此诉求已被他人更新, keeps its text and retries',
    async run(ctx) {
      const { ticket, dispatcher, officer } = await newTicket(ctx, `并发办理 ${Date.now()}`);
      await dispatcher.act(ticket.id, 'accept', {});
      await dispatcher.act(ticket.id, 'assign', { department_id: (await officer.get('/me')).body.department_id });
      await officer.act(ticket.id, 'sign');
      const a = await ctx.page(desktop), b = await ctx.page(desktop);
      await login(a, 'officer1');
      await login(b, 'officer1');
      await open(a, ticket.id);
      await open(b, ticket.id);
      // B starts resolving; meanwhile A asks for an extension.
      await btn(b.getByTestId('ticket-actions'), '办结').click();
      const typed = '与企业协商后调整了供地方案，企业表示认可。';
      await b.getByRole('dialog').getByLabel('办结意见').fill(typed);
      await btn(a.getByTestId('ticket-actions'), '申请延期').click();
      await a.getByRole('dialog').getByLabel('延期工作日数').fill('3');
      await a.getByRole('dialog').getByLabel('理由').fill('需要等待市级部门会审');
      await ok(a, '申请延期').click();
      await a.getByText('延期申请：3 个工作日').first().waitFor();
      await ok(b, '办结').click();
      await b.getByText('此诉求已被他人更新').waitFor();
      await b.getByRole('dialog').getByText('延期申请：3 个工作日').waitFor(); // the fresh state
      assert(await b.getByRole('dialog').getByLabel('办结意见').inputValue() === typed, 'the typed resolution was lost');
      await ctx.shot(b, 'ticket-412');
      await b.getByRole('button', { name: /按最新状态重试/ }).click();
      await b.getByText('已办结').first().waitFor();
      const t = (await dispatcher.get(`/tickets/${ticket.id}`)).body;
      assert(t.status === 'resolved' && t.resolution === typed, `after retry: ${t.status} ${t.resolution}`);
    },
  },
  {
    name: 'a leader instructs on a ticket of the portfolio and the officer answers (and attaches the site record)',
    async run(ctx) {
      const { ticket, dispatcher, officer } = await newTicket(ctx, `领导批示 ${Date.now()}`);
      await dispatcher.act(ticket.id, 'accept', {});
      await dispatcher.act(ticket.id, 'assign', { department_id: (await officer.get('/me')).body.department_id });
      await officer.act(ticket.id, 'sign');
      const leader = await ctx.page(desktop);
      await login(leader, 'leader1');
      await leader.getByText(ticket.title).first().waitFor();
      await ctx.shot(leader, 'leader-home');
      await open(leader, ticket.id);
      const instruction = '请自然资源局本周内完成现场核实并向我报告。';
      await leader.getByLabel('批示内容').fill(instruction);
      await btn(leader.getByTestId('instructions'), '批示').click();
      await leader.getByText('待答复').waitFor();
      await ctx.shot(leader, 'ticket-instruction');

      const page = await ctx.page(desktop);
      await login(page, 'officer1');
      await open(page, ticket.id);
      await page.getByTestId('instructions').getByText(instruction).waitFor();
      const answer = '已安排周三现场核实，周四前书面报告。';
      await page.getByLabel('答复内容').fill(answer);
      await btn(page.getByTestId('instructions'), '答复').click();
      await page.getByText('已答复').waitFor();
      await ctx.shot(page, 'ticket-instruction-answered');
      // The officer attaches the site record; it is listed with a download link.
      await page.locator('input[type=file]').setInputFiles({ name: 'site-record.txt', mimeType: 'text/plain',
        buffer: Buffer.from('现场核实记录：红线与规划一致。\n') });
      await page.getByText('附件已上传').waitFor();
      await page.getByRole('link', { name: /下\s*载/ }).waitFor();
      const att = (await dispatcher.get(`/tickets/${ticket.id}/attachments`)).body.items;
      assert(att.length === 1 && att[0].file_name === 'site-record.txt', `attachments: ${JSON.stringify(att)}`);
      const ins = (await dispatcher.get(`/tickets/${ticket.id}/instructions`)).body.items;
      assert(ins.length === 1 && ins[0].body === instruction && ins[0].answer === answer && ins[0].answered_at, `instructions: ${JSON.stringify(ins)}`);
      await leader.reload();
      await leader.getByTestId('instructions').getByText(answer).waitFor(); // the leader sees the answer
    },
  },
];
