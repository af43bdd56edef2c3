// Co-handling (主办/协办) in the browser: the dispatcher routes a ticket with a co-handling
// department, the lead's resolve is refused in plain words while its opinion is owed, the
// dispatcher waives it and the lead resolves; a co-handling officer gives its opinion from the
// "opinions we owe" list of its home.
import { apiAs, assert, login, pick, shownOption } from './harness.mjs';

const desktop = { viewport: { width: 1280, height: 860 } };
const phone = { viewport: { width: 390, height: 844 }, mobile: true };
const LAND = '01900000-0000-7000-8000-000000000003'; // the 用地 category
const LEAD = '区自然资源和规划局'; // officer1's department
const CO = '区生态环境局'; // officer5's department
const ok = (page, name) => page.locator('.ant-modal button:visible', { hasText: new RegExp(`^${[...name].join('\\s*')}$`) });
const btn = (scope, name) => scope.getByRole('button', { name: new RegExp(`^${[...name].join('\\s*')}$`) });

/** world files an accepted 用地 ticket for an enterprise of leader1's portfolio and finds the departments. */
async function world(ctx, title) {
  const leader = await apiAs(ctx, 'leader1');
  const me = await leader.get('/me');
  const a = await leader.get(`/assignments?leader_id=${me.body.id}&subject_type=enterprise&active=true&limit=1`);
  const dispatcher = await apiAs(ctx, 'dispatcher');
  const r = await dispatcher.post('/tickets', { enterprise_id: a.body.items[0].subject_id, category_id: LAND, title, source: 'hotline',
    description: '企业新厂区用地涉及河道蓝线，需自然资源部门牵头、生态环境部门出具意见。' }, { 'Idempotency-Key': `e2e-co-${Date.now()}-${Math.random()}` });
  assert(r.status === 201, `create ticket: ${r.status} ${JSON.stringify(r.body)}`);
  await dispatcher.act(r.body.id, 'accept');
  const depts = (await dispatcher.get('/departments?limit=200')).body.items;
  const id = (name) => depts.find((d) => d.name === name).id;
  return { ticket: r.body, dispatcher, lead: id(LEAD), co: id(CO), leadOfficer: await apiAs(ctx, 'officer1'), coOfficer: await apiAs(ctx, 'officer5') };
}

const shown = shownOption;

async function open(page, id) {
  await page.goto(`/tickets/${id}`);
  await page.getByTestId('ticket-number').waitFor();
}

export const tests = [
  {
    name: 'a dispatcher routes a ticket with a co-handler; the lead cannot resolve while its opinion is owed; the dispatcher waives it and the lead resolves',
    async run(ctx) {
      const w = await world(ctx, `河道蓝线核实 ${Date.now()}`);
      // The dispatcher routes it in the browser: lead 自然资源, co-handler 生态环境 (the lead is not offered).
      const d = await ctx.page(desktop);
      await login(d, 'dispatcher');
      await open(d, w.ticket.id);
      await btn(d.getByTestId('ticket-actions'), '分派').click();
      const dialog = d.getByRole('dialog');
      await pick(d, () => dialog.getByLabel('承办部门').click(), LEAD, { type: true });
      await pick(d, () => dialog.getByLabel('协办部门（可选）').click(), CO, { type: true });
      // The lead is not offered as its own co-handler.
      await dialog.getByLabel('协办部门（可选）').click();
      await d.keyboard.type(LEAD);
      await d.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-empty').waitFor();
      assert(!(await shown(d, LEAD).count()), 'the lead is offered as co-handler');
      await d.keyboard.press('Escape');
      await ctx.shot(d, 'cohandling-assign-dialog');
      await ok(d, '分派').click();
      await d.getByTestId('opinions').getByText(CO).waitFor();
      let t = (await w.dispatcher.get(`/tickets/${w.ticket.id}`)).body;
      assert(t.status === 'assigned' && t.department_id === w.lead && JSON.stringify(t.co_department_ids) === JSON.stringify([w.co]),
        `after assign: ${t.status} ${t.department_id} ${JSON.stringify(t.co_department_ids)}`);
      await w.leadOfficer.act(w.ticket.id, 'sign');

      // The lead tries to resolve: refused, in words that name the owing department; the text stays.
      const lead = await ctx.page(desktop);
      await login(lead, 'officer1');
      await open(lead, w.ticket.id);
      await lead.getByTestId(`opinion-${w.co}`).getByText('待出具').waitFor();
      await btn(lead.getByTestId('ticket-actions'), '办结').click();
      const typed = '经现场核实，用地红线已避让河道蓝线，已书面答复企业。';
      await lead.getByRole('dialog').getByLabel('办结意见').fill(typed);
      await ok(lead, '办结').click();
      const refusal = lead.getByTestId('opinions-pending');
      await refusal.getByText('暂不能办结').waitFor();
      const words = await refusal.innerText();
      assert(words.includes(CO) && words.includes('尚未出具') && words.includes('调度员豁免'), `the refusal says: ${words}`);
      assert(!words.includes('出错了'), `a generic error instead of the reason: ${words}`);
      assert(await lead.getByRole('dialog').getByLabel('办结意见').inputValue() === typed, 'the typed resolution was lost');
      await ctx.shot(lead, 'cohandling-resolve-refused');
      t = (await w.dispatcher.get(`/tickets/${w.ticket.id}`)).body;
      assert(t.status === 'in_progress', `refused resolve changed the ticket: ${t.status}`);

      // The dispatcher waives the owed opinion with a reason.
      await d.reload();
      const row = d.getByTestId(`opinion-${w.co}`);
      await row.getByText('待出具').waitFor();
      await btn(row, '豁免').click();
      const waive = d.getByRole('dialog', { name: new RegExp(`豁免 ${CO}`) });
      await ok(d, '豁免').click();
      await waive.getByText('请填写此项').waitFor(); // the reason is required
      const reason = '该地块不涉及环评审批事项，无需生态环境部门意见。';
      await waive.getByLabel('豁免理由').fill(reason);
      await ok(d, '豁免').click();
      await row.getByText('已豁免').waitFor();
      await row.getByText(reason, { exact: false }).waitFor();
      await d.getByTestId('timeline').getByText(`豁免协办意见 · ${CO}`).waitFor();
      await ctx.shot(d, 'cohandling-waived');

      // The lead resolves now, from the refreshed page.
      await ok(lead, '取消').click();
      await lead.reload();
      await lead.getByTestId(`opinion-${w.co}`).getByText('已豁免').waitFor();
      await btn(lead.getByTestId('ticket-actions'), '办结').click();
      await lead.getByRole('dialog').getByLabel('办结意见').fill(typed);
      await ok(lead, '办结').click();
      await lead.getByText('已办结').first().waitFor();
      t = (await w.dispatcher.get(`/tickets/${w.ticket.id}`)).body;
      assert(t.status === 'resolved' && t.resolution === typed, `after resolve: ${t.status} ${t.resolution}`);
      const ops = (await w.dispatcher.get(`/tickets/${w.ticket.id}/opinions`)).body.items;
      assert(ops.length === 1 && ops[0].status === 'waived' && ops[0].body === reason, `opinions: ${JSON.stringify(ops)}`);
      const ev = (await w.dispatcher.get(`/tickets/${w.ticket.id}/events`)).body.items;
      const waived = ev.find((e) => e.action === 'waive-opinion');
      assert(waived && !waived.public && waived.body === reason, `the waiver's event: ${JSON.stringify(waived)}`);
    },
  },
  {
    name: 'a co-handling officer finds the opinion it owes on its home and gives it; the lead sees it on the timeline',
    async run(ctx) {
      const w = await world(ctx, `协办意见出具 ${Date.now()}`);
      await w.dispatcher.act(w.ticket.id, 'assign', { department_id: w.lead, co_department_ids: [w.co] });
      const co = await ctx.page(desktop);
      await login(co, 'officer5');
      const owed = co.getByTestId('opinions-owed');
      await owed.getByText(w.ticket.title).waitFor();
      await owed.getByText(LEAD).waitFor(); // the lead department
      await owed.getByText(/剩余 \d+ 个工作日|今日到期/).first().waitFor();
      // Not in the department's own inbox: it does not lead the ticket.
      assert(!(await co.getByTestId('inbox').getByText(w.ticket.title).count()), 'the co-handled ticket is in the inbox');
      await ctx.shot(co, 'cohandling-officer-home');
      const mobile = await ctx.page(phone);
      await login(mobile, 'officer5');
      await mobile.getByTestId('opinions-owed').getByText(w.ticket.title).waitFor();
      await ctx.shot(mobile, 'cohandling-officer-home-phone');

      await owed.getByRole('link', { name: w.ticket.title }).click();
      await co.getByTestId('ticket-number').waitFor();
      const row = co.getByTestId(`opinion-${w.co}`);
      await row.getByText('待出具').waitFor();
      // Only the lead works the ticket: the co-handler has no sign or resolve.
      assert(!(await btn(co.getByTestId('ticket-actions'), '签收').count()), 'a co-handler is offered to sign');
      const opinion = '经核查，该地块位于河道蓝线外 30 米，不影响行洪，同意按规划办理。';
      await row.getByLabel('本部门协办意见').fill(opinion);
      await btn(row, '出具意见').click();
      await row.getByText('已出具').waitFor();
      await row.getByText(opinion).waitFor();
      await co.getByTestId('timeline').getByText(`出具协办意见 · ${CO}`).waitFor();
      await ctx.shot(co, 'cohandling-opinion-given');
      const ops = (await w.dispatcher.get(`/tickets/${w.ticket.id}/opinions`)).body.items;
      assert(ops.length === 1 && ops[0].status === 'given' && ops[0].body === opinion, `opinions: ${JSON.stringify(ops)}`);
      await co.goto('/');
      await co.getByTestId('opinions-owed').getByText('没有待出具的协办意见').or(co.getByTestId('opinions-owed').locator('tbody tr')).first().waitFor();
      assert(!(await co.getByTestId('opinions-owed').getByText(w.ticket.title).count()), 'the given opinion is still listed as owed');

      // The lead sees the opinion on its page and timeline, and may resolve.
      const lead = await ctx.page(desktop);
      await login(lead, 'officer1');
      await open(lead, w.ticket.id);
      await lead.getByTestId(`opinion-${w.co}`).getByText(opinion).waitFor();
      await lead.getByTestId('timeline').getByText(`出具协办意见 · ${CO}`).waitFor();
    },
  },
];
