// The district-development pages (区域发展): the dashboard's headline figures equal the API's
// and lead to their source rows; an indicator table with a bad row is reported line by line
// and nothing of it is imported; a studio slot is booked and a double booking is refused
// with the server's message; carbon and the e-commerce zone draw their charts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, DEMO_PW, TABLET, budget, dayAhead, plusDays } from './lib.mjs';
import { withUnit } from '../../web/src/utils/biz.js';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

describe('district development', { timeout: budget(120000) }, () => {
  test('dashboard: headline figures equal the API, each traced to its source rows; trend and rank charts', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'viewer', DEMO_PW, { land: false });
    await page.goto('/development/dashboard');
    await page.getByRole('heading', { name: '区域发展看板' }).waitFor();
    const dash = await apiGet(page, '/dashboard');
    const fig = (k) => dash.figures.find((f) => f.key === k).figure;
    // the seed's figures, as the server computes them
    assert.equal(fig('gdp_avg_growth_3y').rounded, 9.1);
    assert.equal(fig('revenue_h1').current, 54.8);
    assert.equal(fig('revenue_h1').rounded, 10.2);
    assert.equal(fig('land_transfer_points').rounded, 13.59);
    const card = (k) => page.getByTestId('fig-' + k);
    await card('gdp_avg_growth_3y').getByTestId('fig-value').getByText(withUnit(fig('gdp_avg_growth_3y').rounded, '%'), { exact: true }).waitFor();
    await card('revenue_h1').getByTestId('fig-value').getByText(withUnit(fig('revenue_h1').rounded, '%'), { exact: true }).waitFor();
    await card('revenue_h1').getByText(/54\.8 亿元/).waitFor();
    await card('revenue_h1_rank').getByTestId('fig-value').getByText(`${fig('revenue_h1_rank').rank}/${fig('revenue_h1_rank').of}`, { exact: true }).waitFor();
    await card('high_tech_share').getByTestId('fig-value').getByText(`${fig('high_tech_share').rounded}%`, { exact: true }).waitFor();
    await card('ecommerce_enterprises').getByTestId('fig-value').getByText(withUnit(fig('ecommerce_enterprises').value, '家'), { exact: true }).waitFor();
    assert.equal(await page.getByTestId('dash-figures').locator('[data-testid^="fig-"]:not([data-testid="fig-value"])').count(), dash.figures.length);

    // the 9.1 % average: its three yearly rates as source rows
    await card('gdp_avg_growth_3y').click();
    const src = page.getByTestId('fig-sources');
    const rows = src.locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), fig('gdp_avg_growth_3y').sources.length);
    for (const s of fig('gdp_avg_growth_3y').sources) await src.locator('tr', { hasText: String(s.period) }).getByText(String(s.value_id), { exact: true }).waitFor();
    // H1 revenue: the seed's row
    await card('revenue_h1').click();
    const seedRow = src.locator('tr', { hasText: '上半年一般公共预算收入54.8亿元' });
    await seedRow.getByText('公开资料', { exact: true }).waitFor(); // the source tag translated as on every page
    await seedRow.getByText('54.8 亿元').waitFor();
    // a count kept in a register: the register by its name, in Chinese, not its table's
    await card('streamers').click();
    const regRow = src.locator('tbody tr').first();
    await regRow.getByTestId('fig-source-name').getByText('主播登记', { exact: true }).waitFor();
    await regRow.getByText('登记簿', { exact: true }).waitFor();
    // the warehouses by stage, each row with its projects counted
    await card('warehouse_progress').click();
    const wh = fig('warehouse_progress');
    await src.locator('tbody tr').nth(wh.sources.length - 1).waitFor();
    for (const r of wh.sources) {
      const stage = { planned: '规划', under_construction: '在建', operating: '运营' }[r.code.split(' ')[1]];
      await src.locator('tr', { hasText: `仓储项目登记 · ${stage}` }).getByText(`${r.note} 个项目`, { exact: true }).waitFor();
    }
    const shown = await src.locator('tbody').innerText();
    assert.doesNotMatch(shown, /\b(lg|ec|ent|ag)_[a-z_]+|\bregister\b/, 'no table name or bare code on the page');
    await page.getByTestId('trend-chart').locator('canvas').first().waitFor();
    await page.getByTestId('rank-chart').locator('canvas').first().waitFor();
    await shot(page, '50-dev-dashboard');
    noProblems(page);
    await context.close();
  });

  test('import: a bad row is reported with its line and reason and nothing is imported; a clean file commits', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/import');
    await page.getByRole('heading', { name: '指标导入' }).waitFor();
    const before = (await apiGet(page, '/indicators/values?code=freight_volume&limit=500')).items.length;
    const bad = 'code,period,value,source\nfreight_volume,2016,900,区统计局\nfreight_volume,2017,9.0.1,区统计局\nfreight_volume,2018,1000,区统计局\n';
    await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + bad) });
    const check = page.getByTestId('import-check');
    await check.getByText('共 3 行，错误 1 行').waitFor();
    const err = page.getByTestId('import-errors').locator('tbody tr');
    assert.equal(await err.count(), 1);
    const cells = (await err.first().locator('td').allInnerTexts()).map((c) => c.trim());
    assert.equal(cells[0], '3');
    assert.equal(cells[1], '数值');
    // the reason in Chinese, from the row's stable reason and its particulars
    assert.equal(cells[2], '“9.0.1”不是数字');
    await check.getByText('有 1 行错误，改正后才能导入').waitFor();
    assert.equal(await page.getByTestId('import-commit').isDisabled(), true);
    await shot(page, '51-dev-import-bad-row');
    // the server refuses the commit too, and writes nothing
    const res = await page.request.post('/api/v1/indicators/import', { data: { csv: bad, dry_run: false } });
    assert.equal(res.status(), 422);
    assert.equal((await res.json()).error.field, 'value');
    assert.equal((await apiGet(page, '/indicators/values?code=freight_volume&limit=500')).items.length, before, 'nothing imported');

    // the same table corrected: preview, then commit
    const good = bad.replace('9.0.1', '950');
    await page.getByTestId('import-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await check.getByText('共 3 行，错误 0 行').waitFor();
    assert.equal(await page.getByTestId('import-preview').locator('tbody tr').count(), 3);
    // the check says what the commit would do, row by row
    await page.getByTestId('import-would').getByText('导入后：新增 3，修订 0，未变 0').waitFor();
    assert.equal((await page.getByTestId('import-preview').locator('tbody tr').first().locator('td').nth(1).innerText()).trim(), '新增');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').getByText('已导入 3 行：新增 3').waitFor();
    const after = (await apiGet(page, '/indicators/values?code=freight_volume&limit=500')).items;
    assert.equal(after.length, before + 3);
    assert.deepEqual(after.filter((v) => ['2016', '2017', '2018'].includes(v.period)).map((v) => v.value), [900, 950, 1000]);
    // the same table once more, one value changed: one revision (with its old value), two unchanged
    await page.getByTestId('import-file').setInputFiles({ name: 'again.csv', mimeType: 'text/csv', buffer: Buffer.from(good.replace('1000', '1010')) });
    await page.getByTestId('import-would').getByText('导入后：新增 0，修订 1，未变 2').waitFor();
    const third = (await page.getByTestId('import-preview').locator('tbody tr').nth(2).locator('td').allInnerTexts()).map((c) => c.trim());
    assert.equal(third[1], '修订');
    assert.equal(third[5], '1010');
    assert.equal(third[6], '1000');
    // a row without a source: the server's "import", named in Chinese (the preview showed the code)
    await page.getByTestId('import-file').setInputFiles({ name: 'nosource.csv', mimeType: 'text/csv', buffer: Buffer.from('code,period,value\nfreight_volume,2019,1100\n') });
    await page.getByTestId('import-would').getByText('导入后：新增 1，修订 0，未变 0').waitFor();
    const plain = (await page.getByTestId('import-preview').locator('tbody tr').first().locator('td').allInnerTexts()).map((c) => c.trim());
    assert.equal(plain[8], '导入', plain.join(' | '));
    noProblems(page);
    await context.close();
  });

  test('studios: jd books a slot; a double booking is refused with the server’s message at the start time', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'jd', DEMO_PW, { land: false });
    const base = (await apiGet(page, '/ecommerce/bases?limit=100')).items.find((b) => b.studios >= 40);
    assert.ok(base, 'the 供销 park with its 40 studios');
    const day = dayAhead(40, 40); // 40–79 days ahead: 直播间02 at 10:00 is this test's
    await page.goto(`/development/studios?base_id=${base.id}&day=${day}`);
    await page.getByRole('heading', { name: '直播间预约' }).waitFor();
    const grid = page.getByTestId('st-grid');
    await grid.locator('tr[data-studio="直播间02"]').waitFor();
    assert.equal(await grid.locator('tbody tr').count(), base.studios);
    // click the free 10:00 cell of 直播间02: studio, start and end (10:30) are filled in
    await grid.locator('tr[data-studio="直播间02"] td[data-slot="10:00"]').click();
    await page.getByTestId('st-start').getByText('10:00').waitFor();
    await choose(page, page.getByTestId('st-end'), '11:00');
    await page.getByTestId('st-purpose').fill('平谷大桃预售专场');
    await page.getByTestId('st-book').click();
    await page.getByTestId('st-bookings').getByText('平谷大桃预售专场').waitFor();
    await grid.locator('tr[data-studio="直播间02"] td.busy[data-slot="10:30"]').waitFor();
    // the day's bookings in the order of their hours (they came in the order they were made)
    const starts = await page.getByTestId('st-bookings').locator('tbody tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual([...starts].sort(), starts, 'by their start');
    await shot(page, '52-dev-studio-booked');

    // 10:30–12:00 overlaps: refused, the server's message next to the start time
    await grid.locator('tr[data-studio="直播间02"] td[data-slot="11:00"]').click(); // an hour from 11:00
    await page.getByTestId('st-end').getByText('12:00').waitFor();
    await choose(page, page.getByTestId('st-start'), '10:30');
    await page.getByTestId('st-book').click();
    const fieldError = page.getByTestId('st-form').locator('.el-form-item', { has: page.getByTestId('st-start') }).locator('.el-form-item__error');
    await fieldError.getByText(/^该时段已被预约$/).waitFor(); // in zh-CN the code's label, not the server's English
    const booked = (await apiGet(page, `/ecommerce/bookings?base_id=${base.id}&from=${day}&to=${plusDays(day, 1)}`)).items;
    assert.equal(booked.length, 1, 'only the first booking exists');
    assert.equal(booked[0].purpose, '平谷大桃预售专场');
    await shot(page, '53-dev-studio-double-booking');
    noProblems(page);
    await context.close();
  });

  test('carbon and the e-commerce zone: factors, emissions, intensity decline, bases, KPIs with the seed’s figures', async () => {
    const { context, page } = await openPage(browser, TABLET);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/carbon');
    const factors = (await apiGet(page, '/carbon/factors?limit=500')).items;
    await page.getByTestId('factor-table').locator('tbody tr').nth(factors.length - 1).waitFor();
    assert.equal(await page.getByTestId('factor-table').locator('tbody tr').count(), factors.length);
    const int = await apiGet(page, '/carbon/intensity?year=2023');
    await page.getByTestId('intensity-latest').getByText(`下降 ${int.decline_rate_rounded}%`).waitFor();
    await page.getByTestId('carbon-intensity').locator('canvas').first().waitFor();
    await page.getByTestId('carbon-emissions').locator('canvas').first().waitFor();
    await shot(page, '54-dev-carbon-tablet');

    await page.goto('/development/ecommerce');
    const kpi = await apiGet(page, '/ecommerce/kpi');
    assert.equal(kpi.zone_enterprises, 284);
    assert.equal(kpi.streamers, 140);
    assert.equal(kpi.avg_followers, 10000);
    await page.getByTestId('ec-zone_enterprises').getByText(formatNumber(284), { exact: true }).waitFor();
    await page.getByTestId('ec-avg_followers').getByText(formatNumber(10000), { exact: true }).waitFor();
    await page.getByTestId('ec-bases').getByText('国农港智慧云供销村播产业园').waitFor();
    await page.getByTestId('ec-map').locator('canvas').first().waitFor();
    await page.getByTestId('ec-sessions').locator('canvas').first().waitFor();
    await page.getByTestId('ec-streamers').locator('tbody tr').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, 'fits 1024 px');
    await shot(page, '55-dev-ecommerce-tablet');
    noProblems(page);
    await context.close();
  });
});
