// Supervision in the browser: the dispatcher's statistics and charts, the department scorecard
// with its 红榜 and 黑榜, the monthly report downloaded and opened, a leader's portfolio, and the
// administrator's scorecard settings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { assert, login, SHOTS } from './harness.mjs';

const desktop = { viewport: { width: 1440, height: 900 } };

/** lastMonth is the month before this one, YYYY-MM: the demo's history has a whole month there. */
function lastMonth() {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

/** period is the from and to the page asks for a past month. */
function period(month) {
  const [y, m] = month.split('-').map(Number);
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return `from=${month}-01&to=${next}`;
}

/** cardNumber reads the value of an overview card as the page shows it. */
async function cardNumber(page, key) {
  const text = await page.getByTestId(`card-${key}`).locator('.ant-statistic-content').innerText();
  return text.replace(/[,\s]/g, '');
}

const pctOf = (r) => (r == null ? '—' : `${(r * 100).toFixed(1)}%`);

/** zipEntries reads every file of a zip archive (an .xlsx) with nothing but zlib: name → text. */
function zipEntries(buf) {
  const out = {};
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert(eocd >= 0, 'not a zip file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    assert(buf.readUInt32LE(p) === 0x02014b50, 'bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entry = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out[entry] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export const tests = [
  {
    name: 'the dispatcher sees the month at a glance: cards that match the statistics, trend and project charts, rankings',
    async run(ctx) {
      const month = lastMonth();
      const api = await ctx.api('dispatcher');
      const o = (await api.get(`/stats/overview?${period(month)}`)).body;
      const depts = (await api.get(`/stats/departments?${period(month)}`)).body.items;
      assert(o.tickets.total > 0, `the demo has no tickets in ${month}: nothing to check`);

      const page = await ctx.page(desktop);
      await login(page, 'dispatcher');
      await page.getByRole('menuitem', { name: /监督统计/ }).click();
      await page.waitForURL('**/supervision');
      await page.getByTestId('card-total').waitFor();
      // The month lives in the URL: a shared link opens the same month.
      await page.goto(`/supervision?month=${month}`);
      await page.getByText(`统计期间 ${month}-01`).waitFor();
      await page.getByTestId('card-total').waitFor();

      assert(await cardNumber(page, 'total') === String(o.tickets.total), `诉求总数 shows ${await cardNumber(page, 'total')}, the API says ${o.tickets.total}`);
      assert(await cardNumber(page, 'on_time_rate') === pctOf(o.tickets.on_time_rate), `按时办结率 ${await cardNumber(page, 'on_time_rate')}, API ${o.tickets.on_time_rate}`);
      assert(await cardNumber(page, 'first_time_rate') === pctOf(o.tickets.first_time_rate), `一次办结率 ${await cardNumber(page, 'first_time_rate')}, API ${o.tickets.first_time_rate}`);
      assert(await cardNumber(page, 'coverage_rate') === pctOf(o.visits.coverage_rate), `走访覆盖率 ${await cardNumber(page, 'coverage_rate')}, API ${o.visits.coverage_rate}`);

      // The definition is beside the statistic.
      await page.getByTestId('card-first_time_rate').getByRole('img', { name: /一次办结/ }).hover();
      await page.getByRole('tooltip').filter({ hasText: '既未因企业不满意而重办' }).waitFor();

      for (const label of ['月度趋势（近 6 个月）', '项目阶段与亮灯']) {
        const chart = page.getByRole('img', { name: label });
        await chart.locator('canvas').first().waitFor();
        const box = await chart.boundingBox();
        assert(box && box.height > 100, `${label}: the chart has no size`);
      }
      const ranking = page.getByTestId('rank-departments');
      await ranking.locator('tbody tr.ant-table-row').first().waitFor();
      const rows = await ranking.locator('tbody tr.ant-table-row').count();
      assert(rows === depts.length, `the department ranking has ${rows} rows, the API ${depts.length}`);
      // Sorting by on-time rate puts the best first (click twice: descending).
      const header2 = ranking.locator('th', { hasText: '按时办结率' });
      await header2.click();
      await header2.click();
      const best = Math.max(...depts.map((d) => d.tickets.on_time_rate ?? -1));
      const firstRate = await ranking.locator('tbody tr.ant-table-row').first().locator('td').nth(2).innerText();
      assert(firstRate === pctOf(best < 0 ? null : best), `sorted by on-time rate, the first row shows ${firstRate}, want ${pctOf(best)}`);
      await page.getByRole('tab', { name: '按项目管家' }).click();
      await page.getByTestId('rank-stewards').locator('tbody tr.ant-table-row').first().waitFor();
      await page.getByRole('tab', { name: '按承办部门' }).click();
      await page.getByRole('link', { name: '查看全部超期诉求' }).waitFor();
      assert(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
      await ctx.shot(page, 'supervision-dispatcher');
    },
  },
  {
    name: 'the scorecard shows its red and black lists, and the monthly report downloads as an xlsx with the scorecard sheet',
    async run(ctx) {
      const month = lastMonth();
      const api = await ctx.api('dispatcher');
      const card = (await api.get(`/stats/scorecard?month=${month}`)).body;
      const red = card.departments.filter((d) => d.list === 'red');
      const black = card.departments.filter((d) => d.list === 'black');
      assert(red.length > 0 && black.length > 0, `the demo's ${month} scorecard has no red or no black list: ${JSON.stringify(card)}`);

      const page = await ctx.page(desktop);
      await login(page, 'dispatcher');
      await page.goto(`/supervision/scorecard?month=${month}`);
      const redCard = page.getByTestId('red-list'), blackCard = page.getByTestId('black-list');
      for (const d of red) await redCard.getByText(d.name).waitFor();
      for (const d of black) await blackCard.getByText(d.name).waitFor();
      const table = page.getByTestId('scorecard');
      const rows = table.locator('tbody tr.ant-table-row');
      assert(await rows.count() === card.departments.length, `the table has ${await rows.count()} rows, the API ${card.departments.length}`);
      const top = card.departments[0];
      const first = rows.first();
      assert((await first.locator('td').nth(1).innerText()) === top.name, `first row ${await first.innerText()}, want ${top.name}`);
      assert((await first.locator('td').nth(2).innerText()) === top.score.toFixed(1), `first score ${await first.locator('td').nth(2).innerText()}, want ${top.score}`);
      await first.getByText('红榜').waitFor();
      await table.getByText('黑榜').first().waitFor();
      await page.getByRole('img', { name: '各部门考核得分' }).locator('canvas').first().waitFor();
      await ctx.shot(page, 'supervision-scorecard');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /下载月度通报/ }).click(),
      ]);
      assert(/\.xlsx$/.test(download.suggestedFilename()), `downloaded ${download.suggestedFilename()}, want an .xlsx`);
      const file = join(SHOTS, 'supervision-report.xlsx');
      await download.saveAs(file);
      const files = zipEntries(readFileSync(file));
      const workbook = files['xl/workbook.xml'];
      assert(workbook, `no xl/workbook.xml in the download: ${Object.keys(files).join(', ')}`);
      for (const sheet of ['总体情况', '部门', '考核得分']) {
        assert(workbook.includes(`name="${sheet}"`), `the report has no sheet ${sheet}: ${workbook.slice(0, 600)}`);
      }
      // The scorecard sheet names the red list's departments (in the sheets or their shared strings).
      const strings = Object.entries(files).filter(([n]) => n.startsWith('xl/worksheets/') || n === 'xl/sharedStrings.xml').map(([, v]) => v).join('');
      assert(strings.includes('红榜') && red.every((d) => strings.includes(d.name)), 'the report does not name the red list');
    },
  },
  {
    name: "a leader sees the statistics of their portfolio only, without the bureau's report",
    async run(ctx) {
      const month = lastMonth();
      const mine = (await (await ctx.api('leader1')).get(`/stats/overview?${period(month)}`)).body;
      const all = (await (await ctx.api('dispatcher')).get(`/stats/overview?${period(month)}`)).body;
      assert(mine.tickets.total < all.tickets.total, `leader1 counts ${mine.tickets.total} tickets, the district ${all.tickets.total}: not scoped`);
      const page = await ctx.page(desktop);
      await login(page, 'leader1');
      await page.goto(`/supervision?month=${month}`);
      await page.getByText('我包保的企业与项目').waitFor();
      await page.getByTestId('card-total').waitFor();
      assert(await cardNumber(page, 'total') === String(mine.tickets.total), `leader1's 诉求总数 ${await cardNumber(page, 'total')}, API ${mine.tickets.total}`);
      assert(await page.getByRole('link', { name: /下载月度通报/ }).count() === 0, 'a leader is offered the bureau’s monthly report');
      await ctx.shot(page, 'supervision-leader');
      await page.getByRole('menuitem', { name: /部门考核/ }).click();
      await page.waitForURL('**/supervision/scorecard');
      // Their scorecard: the departments of their portfolio's tickets, as the API counts them for them.
      const card = (await (await ctx.api('leader1')).get(`/stats/scorecard?month=${month}`)).body;
      await page.goto(`/supervision/scorecard?month=${month}`);
      if (card.departments.length === 0) {
        await page.getByText('本月没有可考核的部门').waitFor();
      } else {
        const first = page.getByTestId('scorecard').locator('tbody tr.ant-table-row').first();
        await first.waitFor();
        assert((await first.locator('td').nth(1).innerText()) === card.departments[0].name,
          `leader1's first department ${await first.locator('td').nth(1).innerText()}, want ${card.departments[0].name}`);
        assert(await page.getByTestId('scorecard').locator('tbody tr.ant-table-row').count() === card.departments.length, 'leader1 sees other departments');
      }
      await ctx.shot(page, 'supervision-leader-scorecard');

      // The same pages in English.
      const en = await ctx.page(desktop);
      await en.addInitScript(() => localStorage.setItem('steward.lang', 'en'));
      await login(en, 'leader1');
      await en.goto(`/supervision?month=${month}`);
      await en.getByText('My portfolio').waitFor();
      await en.getByTestId('card-first_time_rate').getByText('First-time resolution').waitFor();
      await en.getByRole('tab', { name: 'By steward' }).waitFor();
      await ctx.shot(en, 'supervision-leader-en');
    },
  },
  {
    name: 'the administrator changes the scorecard weights: a sum other than 100 is refused beside the form, then saved',
    async run(ctx) {
      const page = await ctx.page(desktop);
      await login(page, 'admin');
      await page.getByRole('menuitem', { name: /考核设置/ }).click();
      await page.waitForURL('**/admin/scorecard');
      const onTime = page.getByLabel('按时办结率（分）');
      await onTime.waitFor();
      assert(await onTime.inputValue() === '40', `按时办结率 starts at ${await onTime.inputValue()}, want the default 40`);
      await onTime.fill('50');
      await page.getByTestId('weights-sum').filter({ hasText: '须为 100 分' }).waitFor();
      await page.getByRole('button', { name: /保\s*存/ }).click();
      await page.locator('.ant-alert-error').waitFor();
      await ctx.shot(page, 'supervision-settings-invalid');
      const api = await ctx.api('admin');
      assert((await api.get('/settings/scorecard')).body.weights.on_time === 40, 'an invalid sum was saved');

      await page.getByLabel('满意率（分）').fill('20');
      await page.getByTestId('weights-sum').filter({ hasText: '合计 100 分' }).waitFor();
      await page.getByLabel('红榜部门数').fill('2');
      await page.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('考核设置已保存').waitFor();
      const saved = (await api.get('/settings/scorecard')).body;
      assert(saved.weights.on_time === 50 && saved.weights.satisfaction === 20 && saved.red === 2 && saved.version === 2,
        `saved ${JSON.stringify(saved)}`);
      const card = (await (await ctx.api('dispatcher')).get(`/stats/scorecard?month=${lastMonth()}`)).body;
      assert(card.weights.on_time === 50 && card.red === 2, `the scorecard still uses ${JSON.stringify(card.weights)}`);
      await ctx.shot(page, 'supervision-settings-saved');
    },
  },
];
