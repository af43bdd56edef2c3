// The enterprise portal on a phone: an enterprise submits a request (a double tap makes one
// ticket), follows it while staff move it, rates it unsatisfied (rework shown), then satisfied
// (closed); another enterprise's request is "not found"; and nothing internal — not in any page,
// not in any API answer the portal received — ever reaches the enterprise.
import { apiAs, assert, login } from './harness.mjs';

const phone = { viewport: { width: 390, height: 844 }, mobile: true };
const desktop = { viewport: { width: 1280, height: 800 } };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

/** record keeps the text of every API answer a page receives. */
function record(page) {
  const answers = [];
  page.on('response', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/api/')) return;
    answers.push(r.text().then((body) => ({ url: r.url(), body }), () => ({ url: r.url(), body: '' })));
  });
  return async () => Promise.all(answers);
}

/** star picks n stars of the rating row labelled label. */
async function star(page, label, n) {
  await page.locator('.ant-form-item', { hasText: label }).locator('.ant-rate-star [role="radio"]').nth(n - 1).click();
}

export const tests = [
  {
    name: 'an enterprise on a phone submits a request (a double tap makes one ticket), follows it, rates it unsatisfied and then satisfied; nothing internal reaches it',
    async run(ctx) {
      const marker = `INTERNAL-MARKER-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      const page = await ctx.page(phone);
      const answers = record(page);
      const pages = [];
      const look = async (name) => { await ctx.shot(page, name); pages.push({ name, html: await page.content() }); };
      const creates = [];
      page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/tickets') creates.push(r); });

      await login(page, 'ent1');
      await page.waitForURL((u) => u.pathname === '/portal');
      await page.getByRole('navigation', { name: '门户导航' }).waitFor();
      const me = (await (await apiAs(ctx, 'ent1')).get('/me/enterprise')).body;
      await page.getByTestId('portal-enterprise').getByText(me.enterprise.name).waitFor();
      await look('portal-home-phone');

      // 提交诉求: the category picker says each category's limits.
      await page.getByRole('navigation', { name: '门户导航' }).getByRole('link', { name: '提交诉求' }).click();
      await page.getByText('签收 1 个工作日内，办结 15 个工作日内').first().waitFor();
      await page.getByRole('radio', { name: /用地/ }).check();
      const title = `新厂区用地红线核实 ${Date.now()}`;
      await page.getByLabel('标题').fill(title);
      await page.getByLabel('详细说明').fill('新厂区用地红线与规划图不一致，影响二期厂房开工，请协调自然资源部门现场核实。');
      await page.getByRole('switch', { name: '申请加急' }).click();
      await page.locator('input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
      await look('portal-new-phone');
      await page.getByTestId('portal-submit').dblclick(); // a double tap
      await page.getByTestId('portal-new-number').waitFor();
      const number = (await page.getByTestId('portal-new-number').innerText()).match(/SQ-\d{4}-\d{6}/)[0];
      await look('portal-new-done-phone');

      const dispatcher = await apiAs(ctx, 'dispatcher');
      const found = (await dispatcher.get(`/tickets?q=${encodeURIComponent(title)}`)).body.items;
      assert(found.length === 1, `a double tap made ${found.length} tickets (${creates.length} POSTs)`);
      const id = found[0].id;
      assert(found[0].number === number && found[0].source === 'portal', `the ticket: ${JSON.stringify(found[0])}`);
      assert(found[0].urgency_requested === true && found[0].priority === 'normal', `urgency is a request: ${JSON.stringify(found[0])}`);
      const files = (await dispatcher.get(`/tickets/${id}/attachments`)).body.items;
      assert(files.length === 1 && files[0].file_name === '现场照片.png', `attachments: ${JSON.stringify(files)}`);

      await page.getByRole('button', { name: '查看办理进展' }).click();
      await page.getByTestId('portal-ticket-number').getByText(number).waitFor();
      await page.getByText('已提交，待受理').first().waitFor();

      // Staff move it, and talk among themselves.
      const officer = await apiAs(ctx, 'officer1');
      const dept = (await officer.get('/me')).body.department_id;
      await dispatcher.act(id, 'accept', {});
      await dispatcher.act(id, 'assign', { department_id: dept });
      await officer.act(id, 'sign');
      let r = await officer.post(`/tickets/${id}/comments`, { body: `内部：企业用地指标尚未落实 ${marker}`, internal: true });
      assert(r.status === 201, `internal comment: ${r.status}`);
      const publicText = '已安排下周二现场踏勘，请企业准备好宗地图。';
      r = await officer.post(`/tickets/${id}/comments`, { body: publicText });
      assert(r.status === 201, `public comment: ${r.status}`);
      const staffSees = JSON.stringify((await officer.get(`/tickets/${id}/events`)).body);
      assert(staffSees.includes(marker), 'the internal comment was not recorded: the check below could not fail');
      const resolution = '已现场核实，红线与规划一致，已出具书面答复。';
      await officer.act(id, 'resolve', { resolution });

      await page.reload();
      await page.getByText(publicText).waitFor();
      await page.getByTestId('portal-resolution').getByText(resolution).waitFor();
      await page.getByTestId('portal-rate').waitFor();
      await look('portal-request-resolved-phone');

      // The bell: the request's moves are in my notifications; opening one marks it read.
      await page.getByTestId('portal-bell').click();
      await page.waitForURL((u) => u.pathname === '/portal/notifications');
      const note = page.getByRole('button', { name: new RegExp(`未读 您的诉求已办结，请评价：${number}`) });
      await note.waitFor();
      await look('portal-notifications-phone');
      await note.click();
      await page.waitForURL((u) => u.pathname === `/portal/tickets/${id}`);
      const notes = (await (await apiAs(ctx, 'ent1')).get('/notifications')).body.items;
      const read = notes.find((n) => n.title.includes('已办结') && n.link === `/portal/tickets/${id}`);
      assert(read && read.read_at, `the opened notification is not marked read: ${JSON.stringify(notes)}`);

      // Unsatisfied: the request goes back to the department on a new clock.
      await star(page, '问题解决了吗', 2);
      await star(page, '服务态度', 4);
      await page.getByText('问题解决低于 3 星：提交后诉求会交回重新办理。').waitFor();
      await page.getByRole('checkbox', { name: '办理拖延' }).check();
      await page.getByLabel('评价意见（可选）').fill('踏勘后还没有书面答复原件。');
      await look('portal-rate-phone');
      await page.getByRole('button', { name: '提交评价' }).click();
      await page.getByTestId('portal-rework').waitFor();
      const reworked = (await dispatcher.get(`/tickets/${id}`)).body;
      assert(reworked.status === 'in_progress' && reworked.reopen_count === 1, `after an unsatisfied rating: ${reworked.status} ${reworked.reopen_count}`);
      const reworkText = await page.getByTestId('portal-rework').innerText();
      assert(reworkText.includes(reworked.department_name) && reworkText.includes(reworked.due_resolve_at.slice(0, 10)),
        `the rework notice does not say the department and the new deadline: ${reworkText}`);
      await page.getByText('评价不满意，交回重办').waitFor();
      await look('portal-rework-phone');

      // Resolved again, then satisfied: closed.
      await officer.act(id, 'resolve', { resolution: '已将书面答复原件送达企业。' });
      await page.reload();
      await page.getByTestId('portal-rate').waitFor();
      await star(page, '问题解决了吗', 5);
      await star(page, '服务态度', 5);
      await page.getByRole('checkbox', { name: '办事高效' }).check();
      await page.getByRole('button', { name: '提交评价' }).click();
      await page.getByTestId('portal-closed').waitFor();
      const closed = (await dispatcher.get(`/tickets/${id}`)).body;
      assert(closed.status === 'closed' && closed.rating.solved === 5, `after a satisfied rating: ${JSON.stringify(closed)}`);
      await look('portal-closed-phone');

      // The list shows it closed; the filter is in the URL.
      await page.getByRole('navigation', { name: '门户导航' }).getByRole('link', { name: '我的诉求' }).click();
      await page.locator('.ant-segmented-item', { hasText: '已完结' }).click();
      await page.waitForURL((u) => u.searchParams.get('status') === 'closed');
      await page.getByTestId('portal-requests').getByText(title).waitFor();
      await look('portal-list-closed-phone');

      // Another enterprise's request: not found.
      const other = await apiAs(ctx, 'ent2');
      const theirs = await other.post('/tickets', { category_id: '01900000-0000-7000-8000-000000000003', title: `别家企业的诉求 ${Date.now()}`,
        description: '另一家企业提交的诉求，门户里别的企业不应看到。' }, { 'Idempotency-Key': `e2e-${Date.now()}` });
      assert(theirs.status === 201, `ent2's request: ${theirs.status}`);
      await page.goto(`/portal/tickets/${theirs.body.id}`);
      await page.getByText('找不到这条诉求').waitFor();
      await look('portal-not-found-phone');
      await page.goto('/portal/no-such-page');
      await page.getByText('找不到这个页面').waitFor();

      // Staff pages are not offered to the enterprise.
      await page.goto('/tickets');
      await page.waitForURL((u) => u.pathname === '/portal');

      // Nothing internal anywhere the portal went or in anything it was answered.
      const got = await answers();
      assert(got.length > 20, `only ${got.length} API answers were recorded`);
      for (const a of got) assert(!a.body.includes(marker), `an API answer to the portal holds the internal comment: ${a.url}`);
      for (const p of pages) assert(!p.html.includes(marker), `the page ${p.name} shows the internal comment`);
      assert(!got.some((a) => a.body.includes('内部：企业用地指标')), 'the internal comment reached the portal');
      assert(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
    },
  },
  {
    name: 'an enterprise sees its steward and leader, keeps its contacts up to date, and staff are not offered the portal',
    async run(ctx) {
      const page = await ctx.page(phone);
      await login(page, 'ent1');
      await page.waitForURL((u) => u.pathname === '/portal');
      const mine = (await (await apiAs(ctx, 'ent1')).get('/me/enterprise')).body;
      const dispatcher = await apiAs(ctx, 'dispatcher');
      const a = (await dispatcher.get(`/assignments?subject_type=enterprise&subject_id=${mine.enterprise.id}&active=true`)).body.items[0];

      await page.getByRole('navigation', { name: '门户导航' }).getByRole('link', { name: '我的管家' }).click();
      await page.getByTestId('portal-steward').getByText(a.steward_name).waitFor();
      await page.getByTestId('portal-leader').getByText(a.leader_name).waitFor();
      const call = page.getByRole('link', { name: new RegExp(`拨打 ${mine.steward.phone}`) });
      assert((await call.getAttribute('href')) === `tel:${mine.steward.phone.replace(/[\s-]/g, '')}`, 'the call button does not dial the steward');
      await ctx.shot(page, 'portal-steward-phone');

      await page.getByRole('navigation', { name: '门户导航' }).getByRole('link', { name: '企业信息' }).click();
      await page.getByText(mine.enterprise.credit_code).waitFor();
      await page.getByRole('button', { name: '修改联系人' }).click();
      await page.getByRole('button', { name: '添加联系人' }).click();
      const n = (mine.enterprise.contacts ?? []).length + 1;
      const card = page.locator('.ant-card', { hasText: `联系人 ${n}` }).last();
      await card.getByLabel('姓名').fill('赵助理');
      await card.getByLabel('电话').fill('不是电话');
      await page.getByRole('button', { name: '保存联系人' }).click();
      await page.getByText('请填写正确的电话号码').waitFor();
      await card.getByLabel('电话').fill('0512-66668888');
      await ctx.shot(page, 'portal-contacts-edit-phone');
      // Meanwhile the bureau changes the record: the save gets 412, keeps what was typed, and goes through on the second try.
      const cur = await dispatcher.get(`/enterprises/${mine.enterprise.id}`);
      const p = await dispatcher.patch(`/enterprises/${mine.enterprise.id}`, { address: cur.body.address || '工业园区8号' }, cur.headers.get('etag'));
      assert(p.status === 200, `the dispatcher's change: ${p.status} ${JSON.stringify(p.body)}`);
      await page.getByRole('button', { name: '保存联系人' }).click();
      await page.getByText('企业信息刚刚被他人更新').waitFor();
      assert((await card.getByLabel('姓名').inputValue()) === '赵助理', 'the 412 threw away what was typed');
      await ctx.shot(page, 'portal-contacts-stale-phone');
      await page.getByRole('button', { name: '保存联系人' }).click();
      await page.getByTestId('portal-contacts').getByText('赵助理').waitFor();
      const after = (await dispatcher.get(`/enterprises/${mine.enterprise.id}`)).body;
      assert(after.contacts.some((c) => c.name === '赵助理' && c.phone === '0512-66668888'), `contacts on the record: ${JSON.stringify(after.contacts)}`);
      await ctx.shot(page, 'portal-profile-phone');

      // English, on a desktop.
      const wide = await ctx.page(desktop);
      await login(wide, 'ent1');
      await wide.waitForURL((u) => u.pathname === '/portal');
      await wide.getByText('English').click();
      await wide.getByRole('navigation', { name: 'Portal navigation' }).getByRole('link', { name: 'My requests' }).waitFor();
      await ctx.shot(wide, 'portal-home-desktop-en');
      await wide.getByRole('navigation', { name: 'Portal navigation' }).getByRole('link', { name: 'New request' }).click();
      await wide.getByText('Kind of problem', { exact: true }).waitFor();
      await ctx.shot(wide, 'portal-new-desktop-en');
      await wide.getByText('中文').click();
      await wide.getByRole('navigation', { name: '门户导航' }).getByRole('link', { name: '企业信息' }).click();
      await wide.getByTestId('watermark').waitFor();
      await ctx.shot(wide, 'portal-profile-desktop');

      // Staff are not offered the portal.
      const staff = await ctx.page(desktop);
      await login(staff, 'dispatcher');
      await staff.goto('/portal');
      await staff.waitForURL((u) => u.pathname === '/');
      assert(page.errors.length === 0 && wide.errors.length === 0, `page errors: ${[...page.errors, ...wide.errors].join('; ')}`);
    },
  },
  {
    name: "an enterprise follows its project's approval plan, read only, without the bureau's notes",
    async run(ctx) {
      const marker = `PLAN-NOTE-${Date.now()}`;
      const ent = await apiAs(ctx, 'ent1');
      const project = (await ent.get('/projects?limit=1')).body.items[0];
      assert(project, 'ent1 has no project in the demo district');
      const admin = await apiAs(ctx, 'admin');
      const depts = (await admin.get('/departments?limit=200')).body.items.filter((d) => d.kind !== 'bureau');
      const tpl = await admin.post('/plan-templates', { name: `门户测试模板 ${Date.now()}`, project_kind: project.kind, nodes: [
        { key: 'filing', name: '立项备案', department_id: depts[0].id, days: 5, after: [] },
        { key: 'eia', name: '环境影响评价', department_id: depts[1 % depts.length].id, days: 20, after: ['filing'] },
        { key: 'energy', name: '节能审查', department_id: depts[2 % depts.length].id, days: 10, after: ['filing'] },
        { key: 'permit', name: '施工许可', department_id: depts[0].id, days: 7, after: ['eia', 'energy'] },
      ] });
      assert(tpl.status === 201, `template: ${tpl.status} ${JSON.stringify(tpl.body)}`);
      const dispatcher = await apiAs(ctx, 'dispatcher');
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // Beijing date
      let plan = await dispatcher.post(`/projects/${project.id}/plan`, { template_id: tpl.body.id, start: today });
      assert(plan.status === 201, `plan: ${plan.status} ${JSON.stringify(plan.body)}`);
      const node = (key) => plan.body.nodes.find((n) => n.key === key);
      const move = async (key, action, body) => {
        const cur = await dispatcher.get(`/projects/${project.id}/plan`);
        const r = await dispatcher.post(`/projects/${project.id}/plan/nodes/${node(key).id}/actions/${action}`, body, { 'If-Match': cur.headers.get('etag') });
        assert(r.status === 200, `${action} ${key}: ${r.status} ${JSON.stringify(r.body)}`);
        plan = r;
      };
      await move('filing', 'start', {});
      await move('filing', 'finish', { date: today, note: `文号 ${marker}` });
      await move('energy', 'waive', { reason: `告知承诺制 ${marker}` });
      await move('eia', 'start', {});

      const page = await ctx.page(phone);
      const answers = record(page);
      await login(page, 'ent1');
      await page.getByRole('navigation', { name: '门户导航' }).getByRole('link', { name: '企业信息' }).click();
      await page.getByTestId('portal-projects').getByRole('link', { name: new RegExp(project.name.replace(/[()（）]/g, '.')) }).first().click();
      await page.waitForURL((u) => u.pathname === `/portal/projects/${project.id}`);
      await page.getByTestId('portal-plan').waitFor();
      await page.getByTestId('plan-node-filing').getByText('已完成').waitFor();
      await page.getByTestId('plan-node-energy').getByText('免于办理').first().waitFor();
      await page.getByTestId('plan-node-eia').getByText('办理中', { exact: true }).waitFor();
      await page.getByTestId('plan-node-permit').getByText('等待前序节点').waitFor();
      await ctx.shot(page, 'portal-plan-phone');
      const html = await page.content();
      const got = await answers();
      assert(!html.includes(marker), 'the plan page shows a note or reason of the bureau');
      for (const a of got) assert(!a.body.includes(marker), `an API answer to the portal holds a plan note: ${a.url}`);
      const staff = JSON.stringify((await dispatcher.get(`/projects/${project.id}/plan`)).body);
      assert(staff.includes(marker), 'the note was not recorded: the check above could not fail');

      // Another enterprise's project is not found.
      const other = (await dispatcher.get('/projects?limit=50')).body.items.find((p) => p.enterprise_id !== project.enterprise_id);
      await page.goto(`/portal/projects/${other.id}`);
      await page.getByText('找不到这个页面').waitFor();
    },
  },
];
