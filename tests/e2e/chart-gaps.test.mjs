// Trend charts draw what was picked, and only that: an indicator without yearly values or a
// product without sales clears the chart and says there is nothing to draw (never the previous
// choice's figures under the new name). A trend's axis has every period of its range: one without
// a value is a gap in the line (null), not a zero and not joined across.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
/** the chart's canvas has no painted pixel */
const blank = (chart) =>
  chart.locator('canvas').first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i]) return false;
    return true;
  });
/** the accessible name of the chart labelled `label`: its data as text, "period value" per point */
const summary = (page, label) => page.locator(`[role="img"][aria-label^="${label}"]`).first().getAttribute('aria-label');
async function pick(page, select, name) {
  await select.click();
  await page.getByRole('option', { name }).first().click();
}

describe('charts of a choice with nothing to draw', { timeout: budget(120000) }, () => {
  test('dashboard trend: an indicator without yearly values clears the chart and says so', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/dashboard');
    const chart = page.getByTestId('trend-chart');
    const img = chart.getByRole('img');
    await chart.locator('canvas').first().waitFor();
    await page.waitForFunction(() => /519\.37/.test(document.querySelector('[data-testid="trend-chart"] [role="img"]')?.getAttribute('aria-label') || ''));
    assert.equal(await blank(chart), false, 'GDP drawn');
    const rev = await apiGet(page, '/indicators/values?code=budget_revenue&region=' + encodeURIComponent('平谷区'));
    assert.ok(rev.items.length && rev.items.every((v) => !/^\d{4}$/.test(v.period)), 'budget revenue has half-year values only');
    await pick(page, page.getByTestId('trend-indicator'), /^一般公共预算收入/);
    await chart.getByTestId('chart-empty').getByText('该指标暂无年度数据').waitFor();
    assert.doesNotMatch(await img.getAttribute('aria-label'), /519\.37|442/, "GDP's figures are gone");
    assert.equal(await blank(chart), true, 'nothing drawn');
    // back to GDP: drawn again, the note gone
    await pick(page, page.getByTestId('trend-indicator'), /^地区生产总值/);
    await page.waitForFunction(() => /519\.37/.test(document.querySelector('[data-testid="trend-chart"] [role="img"]')?.getAttribute('aria-label') || ''));
    assert.equal(await chart.getByTestId('chart-empty').count(), 0);
    assert.equal(await blank(chart), false);
    noProblems(page);
    await context.close();
  });

  test('e-commerce: a product without sales clears the sales chart and says so', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const name = '测试核桃' + String(Date.now() % 1e7);
    await apiSend(page, 'post', '/ecommerce/products', { name, category: 'food' });
    await page.goto('/development/ecommerce');
    const chart = page.getByTestId('ec-sales');
    await chart.locator('canvas').first().waitFor();
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="ec-sales"] [role="img"]')?.getAttribute('aria-label') || ''));
    assert.equal(await blank(chart), false, 'the first product has sales drawn');
    await pick(page, page.getByTestId('ec-product'), name);
    await chart.getByTestId('chart-empty').getByText('该产品暂无销售记录').waitFor();
    assert.equal(await blank(chart), true, 'nothing drawn');
    assert.equal(await page.getByTestId('ec-sales-rows').count(), 0);
    noProblems(page);
    await context.close();
  });

  test('dashboard trend: a year without a value is on the axis, empty', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const vals = (await apiGet(page, '/indicators/values?code=industrial_output&region=' + encodeURIComponent('平谷区'))).items.map((v) => v.period).sort();
    assert.deepEqual(vals, ['2021', '2023'], 'the demo has no 2022 value');
    await page.goto('/development/dashboard');
    await page.getByTestId('trend-chart').locator('canvas').first().waitFor();
    await pick(page, page.getByTestId('trend-indicator'), /^规模以上工业总产值/);
    await page.waitForFunction(() => /250/.test(document.querySelector('[data-testid="trend-chart"] [role="img"]')?.getAttribute('aria-label') || ''));
    assert.match(await summary(page, '指标走势与同比'), /: 2021 200, 2022 —, 2023 250/);
    noProblems(page);
    await context.close();
  });

  test('logistics: the freight chart has the 12 months of its window, a month without records empty', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const f = (await apiGet(page, '/logistics/kpi')).freight;
    const recorded = new Set(f.by_month.map((m) => m.month));
    await page.goto('/logistics');
    const label = '月度货运量与 2035 年目标';
    await page.locator(`[role="img"][aria-label^="${label}"]`).first().waitFor();
    const text = await summary(page, label);
    const points = text.slice(text.indexOf(': ') + 2).split(', ');
    assert.equal(points.length, 12, text);
    assert.equal(points[0].split(' ')[0], f.window_from);
    assert.equal(points[11].split(' ')[0], f.latest_month);
    assert.ok(recorded.size < 12, 'the demo window has months without records');
    for (const p of points) {
      const [month, v] = p.split(' ');
      assert.equal(v === '—', !recorded.has(month), p);
    }
    noProblems(page);
    await context.close();
  });

  test('agricultural output: an earlier year typed in stands apart from the next recorded one', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const v = await apiSend(page, 'post', '/indicators/values', { code: 'agri_output', period: '2019', value: 30.1, source: 'synthetic' });
    try {
      await page.goto('/agri/output');
      const label = '农业总产值';
      await page.locator(`[role="img"][aria-label^="${label}"]`).first().waitFor();
      assert.match(await summary(page, label), /农业总产值: 2019 30\.1, 2020 —, 2021 —, 2022 34\.68, 2023 39\.4/);
      noProblems(page);
    } finally {
      await apiSend(page, 'delete', '/indicators/values/' + v.id);
      await context.close();
    }
  });
});
