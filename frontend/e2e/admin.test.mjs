// Administration: the enterprise import and its refused rows, users, a category's limit, the
// calendar's warning for an uncovered year, a webhook's test post, and the River UI.
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { readFileSync } from 'node:fs';
import { assert, login, pick } from './harness.mjs';
import { readSheet } from './xlsx.mjs';

const TITLES = ['企业名称', '统一社会信用代码', '法定代表人', '行业门类', '企业规模', '重点级别', '地址', '所属街道', '标签', '联系人', '联系人职务', '联系电话', '联系邮箱'];
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** creditCode is a valid unified social credit code (GB 32100 check character) numbered n. */
function creditCode(n) {
  const first17 = `91320500${String(n).padStart(9, '0')}`;
  const sum = [...first17].reduce((s, c, i) => s + CHARSET.indexOf(c) * WEIGHTS[i], 0);
  return first17 + CHARSET[(31 - (sum % 31)) % 31];
}

const csvCell = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csv = (rows) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

export const tests = [
  {
    name: 'an admin imports a file with one bad row, sees that row reported and downloads exactly that row',
    async run(ctx) {
      const stamp = Date.now() % 1_000_000;
      const good1 = [`导入测试甲${stamp}有限公司`, creditCode(800_000_000 + stamp), '张三', 'C', '中型', '区级重点', '示例路 1 号', '金鸡湖街道', '', '王经理', '', '13812340001', ''];
      const bad = [`导入测试乙${stamp}有限公司`, '91320500BADCODE12', '李四', 'C', '小型', '区级重点', '示例路 2 号', '金鸡湖街道', '', '赵经理', '', '13812340002', ''];
      const good2 = [`导入测试丙${stamp}有限公司`, creditCode(810_000_000 + stamp), '王五', 'C', '微型', '区级重点', '示例路 3 号', '金鸡湖街道', '', '', '', '', ''];
      const file = Buffer.from('\uFEFF' + csv([TITLES, good1, bad, good2]), 'utf8');

      const page = await ctx.page();
      await login(page, 'admin');
      await page.getByRole('menuitem', { name: /(^|\s)企业导入$/ }).click();
      await page.getByRole('heading', { name: '企业导入' }).waitFor();
      const chooser = page.waitForEvent('filechooser');
      await page.getByText('点击或拖入 .xlsx / .csv 文件上传').click();
      await (await chooser).setFiles({ name: '企业名录.csv', mimeType: 'text/csv', buffer: file });
      await page.getByRole('status').getByText('导入完成').waitFor({ timeout: 30_000 });
      await page.getByText('有 1 行未导入').waitFor();
      const errors = page.getByRole('table').filter({ hasText: '未导入的行及原因' });
      const row = errors.getByRole('row').filter({ hasText: '统一社会信用代码' });
      assert(await row.count() === 1, 'the refused row is not listed once');
      assert((await row.getByRole('cell').first().innerText()).trim() === '3', `the row number shown is ${await row.getByRole('cell').first().innerText()}, want 3`);
      assert(/\/admin\/imports\?id=/.test(page.url()), `the import is not in the URL: ${page.url()}`);
      await ctx.shot(page, 'admin-import-one-bad-row');

      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: '下载未导入的行' }).click();
      const d = await download;
      const rows = readSheet(readFileSync(await d.path()));
      assert(rows.length === 2, `the download holds ${rows.length - 1} rows, want exactly the bad one: ${JSON.stringify(rows)}`);
      assert(JSON.stringify(rows[0].slice(0, TITLES.length)) === JSON.stringify(TITLES) && rows[0].at(-1) === '未导入原因', `header ${rows[0]}`);
      assert(JSON.stringify(rows[1].slice(0, bad.length)) === JSON.stringify(bad), `the row ${rows[1]} is not the bad row as uploaded`);
      assert(rows[1].at(-2) === '3' && rows[1].at(-1).includes('统一社会信用代码'), `row number and reason: ${rows[1].slice(-2)}`);

      // The good rows were registered (a dispatcher sees them in the register).
      const found = await (await ctx.api('dispatcher')).get(`/enterprises?q=${encodeURIComponent(`导入测试甲${stamp}`)}`);
      assert(found.body.items.length === 1, `the good row was not registered: ${JSON.stringify(found.body)}`);
    },
  },
  {
    name: 'an admin creates a user who logs in and must choose a password; failed logins lock them and the admin unlocks, disables and enables them',
    async run(ctx) {
      const username = `e2e${Date.now() % 1_000_000}`;
      const initial = 'Start-Passw0rd!x';
      const page = await ctx.page();
      await login(page, 'admin');
      await page.getByRole('menuitem', { name: /(^|\s)用户$/ }).click();
      await page.getByRole('button', { name: '新建用户' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('用户名').fill(username);
      await dialog.getByLabel('姓名').fill('测试管家');
      await pick(page, () => dialog.getByLabel('所属部门').click(), '区营商环境建设局');
      await dialog.getByLabel('初始密码').fill(initial);
      await ctx.shot(page, 'admin-user-create');
      await dialog.getByRole('button', { name: /创\s*建/ }).click();
      await page.getByText(`已创建用户 ${username}`).waitFor();

      // The new user logs in with the initial password and is made to choose their own.
      const user = await ctx.page();
      await user.goto('/login');
      await user.getByLabel('用户名').fill(username);
      await user.getByLabel(/^密码$/).fill(initial);
      await user.getByRole('button', { name: /登\s*录/ }).click();
      await user.getByText('您的密码由管理员设置').waitFor();
      await user.getByLabel('当前密码').fill(initial);
      await user.getByLabel('新密码', { exact: true }).fill('Mine-Passw0rd!x7');
      await user.getByLabel('确认新密码').fill('Mine-Passw0rd!x7');
      await user.getByRole('button', { name: '确认修改' }).click();
      await user.waitForURL((u) => u.pathname === '/');
      await ctx.shot(user, 'admin-new-user-home');

      // Five wrong passwords lock the account; the admin sees it and unlocks it.
      for (let i = 0; i < 5; i++) {
        await fetch(`${ctx.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username, password: 'wrong-password' }) });
      }
      const tryLogin = (password) => fetch(`${ctx.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }) }).then((r) => r.status);
      assert(await tryLogin('Mine-Passw0rd!x7') === 423, 'the account is not locked after five failed logins');
      await page.goto(`/admin/users?q=${username}`);
      const row = page.getByRole('row').filter({ hasText: username });
      await row.getByText('已锁定').waitFor();
      await ctx.shot(page, 'admin-user-locked');
      await row.getByRole('button', { name: `解锁 ${username}` }).click();
      await page.getByText('已解锁').first().waitFor();
      await row.getByText('正常').waitFor();
      assert(await tryLogin('Mine-Passw0rd!x7') === 200, 'the unlocked user cannot log in');

      // Disabled, they cannot log in; enabled, they can again.
      await row.getByRole('button', { name: `停用 ${username}` }).click();
      await row.getByText('已停用').waitFor();
      assert(await tryLogin('Mine-Passw0rd!x7') !== 200, 'a disabled user logged in');
      await row.getByRole('button', { name: `启用 ${username}` }).click();
      await row.getByText('正常').waitFor();
      assert(await tryLogin('Mine-Passw0rd!x7') === 200, 'the enabled user cannot log in');
      assert(page.errors.length === 0, `page errors: ${page.errors}`);
    },
  },
  {
    name: 'an admin changes a category’s resolve limit, and a stale edit keeps what was typed',
    async run(ctx) {
      const admin = await ctx.api('admin');
      const cats = (await admin.get('/categories')).body.items;
      const cat = cats[0];
      const page = await ctx.page();
      await login(page, 'admin');
      await page.getByRole('menuitem', { name: /(^|\s)诉求类别与时限$/ }).click();
      await page.getByRole('button', { name: `编辑 ${cat.name}` }).click();
      const dialog = page.getByRole('dialog');
      const limit = dialog.getByLabel('办结时限');
      await limit.fill(String(cat.resolve_days + 7));
      // Someone else changes the category meanwhile: saving answers 412 and keeps the form.
      const fresh = await admin.get(`/categories/${cat.id}`);
      const other = await admin.call('PATCH', `/categories/${cat.id}`, { description: '他人修改' }, { 'If-Match': fresh.headers.get('etag') });
      assert(other.status === 200, `the concurrent change failed: ${other.status}`);
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.getByText('此记录已被他人更新。').waitFor();
      assert(await limit.inputValue() === String(cat.resolve_days + 7), 'the typed limit was lost after the 412');
      await ctx.shot(page, 'admin-category-stale');
      await dialog.getByRole('button', { name: '载入最新版本' }).click();
      await dialog.getByText('此记录已被他人更新。').waitFor({ state: 'hidden' });
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      const row = page.getByRole('row').filter({ hasText: cat.name });
      await row.getByText(`${cat.resolve_days + 7} 个工作日`).waitFor();
      const after = (await admin.get(`/categories/${cat.id}`)).body;
      assert(after.resolve_days === cat.resolve_days + 7 && after.description === '他人修改', `saved ${JSON.stringify(after)}`);
      await ctx.shot(page, 'admin-category-saved');
    },
  },
  {
    name: 'the calendar warns about a year the statutory data does not cover, and an entered arrangement ends the warning',
    async run(ctx) {
      const page = await ctx.page();
      await login(page, 'admin');
      await page.goto('/admin/calendar?year=2026');
      await page.getByText('法定节假日（休息）').first().waitFor();
      assert(await page.getByText('年的法定节假日安排尚未收录').count() === 0, '2026 is covered but warned about');
      await page.getByRole('cell', { name: /10-01/ }).first().waitFor();
      await ctx.shot(page, 'admin-calendar-2026');
      await page.getByRole('button', { name: '下一年' }).waitFor();
      await page.goto('/admin/calendar?year=2099');
      await page.getByText('2099 年的法定节假日安排尚未收录').waitFor();
      await ctx.shot(page, 'admin-calendar-uncovered');
      await page.getByLabel('日期', { exact: true }).click();
      await page.getByLabel('日期', { exact: true }).fill('2099-01-01');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: /加\s*入/ }).click();
      await page.getByRole('button', { name: '保存本年安排' }).click();
      await page.getByText('已保存').first().waitFor();
      await page.getByText('当前使用管理员录入的安排').waitFor();
      assert(await page.getByText('2099 年的法定节假日安排尚未收录').count() === 0, 'the warning stays after the year was entered');
      const y = (await (await ctx.api('admin')).get('/calendar/2099')).body;
      assert(y.holidays.includes('2099-01-01'), `the server has ${JSON.stringify(y)}`);
    },
  },
  {
    name: 'an admin sends a test post to a webhook and sees it delivered, signed; the River UI is mounted for admins only',
    async run(ctx) {
      // The receiver listens on this machine's own network address: the server never posts to
      // loopback, and the harness lists the machine's private addresses in STEWARD_WEBHOOK_ALLOW.
      const addr = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
      assert(addr, 'this machine has no network address other than loopback for the receiver');
      const secret = 'e2e-secret-0123456789abcdef';
      const posts = [];
      const receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          const sig = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
          posts.push({ ok: req.headers['x-steward-signature'] === sig, body: JSON.parse(body) });
          res.writeHead(200).end('{}');
        });
      });
      await new Promise((r) => receiver.listen(0, addr, r));
      try {
        const url = `http://${addr}:${receiver.address().port}/steward`;
        const page = await ctx.page();
        await login(page, 'admin');
        await page.getByRole('menuitem', { name: /(^|\s)消息推送$/ }).click();
        await page.getByRole('button', { name: '新增推送' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('名称').fill('督办平台（测试）');
        await dialog.getByLabel('地址').fill(url);
        await dialog.getByLabel('签名密钥').fill(secret);
        await dialog.getByRole('button', { name: /保\s*存/ }).click();
        await dialog.waitFor({ state: 'hidden' });
        await page.getByRole('button', { name: '发送测试 督办平台（测试）' }).click();
        await page.getByRole('status').getByText('测试消息已送达').waitFor();
        await ctx.shot(page, 'admin-webhook-test');
        assert(posts.length === 1 && posts[0].ok && posts[0].body.kind === 'webhook_test', `the receiver got ${JSON.stringify(posts)}`);

        // The River UI behind the link: there for the admin, refused to others.
        const river = await page.request.get('/admin/river/');
        assert(river.status() === 200 && (await river.text()).toLowerCase().includes('<html'), `River UI answered ${river.status()}`);
        const other = await ctx.page();
        await login(other, 'dispatcher');
        const refused = await other.request.get('/admin/river/');
        assert([403, 404].includes(refused.status()), `the River UI answered ${refused.status()} to a dispatcher`);
      } finally {
        receiver.close();
      }
    },
  },
];

