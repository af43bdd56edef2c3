// Enterprises and projects: the 360 page with the audited reveal, lists with filters in the URL,
// the project page and its stage move.
import { assert, login, pick } from './harness.mjs';

export const tests = [
  {
    name: 'a steward opens an enterprise 360 page, and sees its profile, projects, visits and timeline',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'steward1');
      await page.goto('/enterprises?q=mxqc');
      const link = page.getByRole('link', { name: '苏州美讯汽车零部件有限公司' });
      await link.waitFor();
      await ctx.shot(page, 'enterprise-list-filtered');
      await link.click();
      await page.getByRole('heading', { name: '苏州美讯汽车零部件有限公司' }).waitFor();
      assert(await page.getByTestId('watermark').count() > 0, 'the 360 page should carry the watermark');
      assert(await page.getByRole('button', { name: /显\s*示/ }).count() === 0, 'the steward sees the phones in full: no 显示');
      await ctx.shot(page, 'enterprise-360-profile');
      await page.getByRole('tab', { name: '项目' }).click();
      await page.waitForTimeout(500);
      await ctx.shot(page, 'enterprise-360-projects');
      await page.getByRole('tab', { name: '动态' }).click();
      await page.waitForTimeout(500);
      await ctx.shot(page, 'enterprise-360-timeline');
      await page.getByRole('tab', { name: '走访' }).click();
      await ctx.shot(page, 'enterprise-360-visits');
    },
  },
  {
    name: 'an officer sees masked phones and reveals them with 显示 (audited)',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'officer1');
      await page.goto('/enterprises');
      await page.locator('.ant-table-row a').first().click();
      const phone = page.getByTestId('contact-phone').first();
      await phone.waitFor();
      const masked = await phone.innerText();
      assert(masked.includes('*'), `a phone should be masked before 显示, got ${masked}`);
      await ctx.shot(page, 'enterprise-360-officer-masked');
      await page.getByRole('button', { name: /显\s*示/ }).click();
      await page.getByText('本次查看已记入审计日志').waitFor();
      assert(!(await phone.innerText()).includes('*'), 'the revealed phone is still masked');
      await ctx.shot(page, 'enterprise-360-officer-revealed');
    },
  },
  {
    name: 'a dispatcher filters projects in the URL and moves one back a stage with a reason',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'dispatcher');
      await page.goto('/projects?stage=under_construction');
      await page.locator('.ant-table-row').first().waitFor();
      await ctx.shot(page, 'project-list-under-construction');
      await page.locator('.ant-table-row a').first().click();
      await page.getByRole('button', { name: /变更阶段/ }).waitFor();
      await page.waitForTimeout(500);
      await ctx.shot(page, 'project-page');
      const id = page.url().split('/').pop();
      await page.getByRole('button', { name: /变更阶段/ }).click();
      const dialog = page.getByRole('dialog');
      await pick(page, () => dialog.getByLabel('变更为').click(), '审批');
      await dialog.getByLabel('原因').waitFor(); // going back needs a reason
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.getByText('请填写原因').waitFor();
      await dialog.getByLabel('原因').fill('施工许可证被撤回，需重新审批');
      await ctx.shot(page, 'project-move-dialog');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('阶段已变更').waitFor();
      const api = await ctx.api('dispatcher');
      const p = (await api.get(`/projects/${id}`)).body;
      assert(p.stage === 'permitting', `the project should be in 审批 now, got ${p.stage}`);
      await ctx.shot(page, 'project-page-moved');
    },
  },
];
