// Trend charts draw what was picked, and only that: an indicator without yearly values or a
// product without sales clears the chart and says there is nothing to draw (never the previous
// choice's figures under the new name).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, DEMO_PW } from './lib.mjs';

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
async function pick(page, select, name) {
  await select.click();
  await page.getByRole('option', { name }).first().click();
}

describe('charts of a choice with nothing to draw', { timeout: 120000 }, () => {
  test('dashboard trend: an indicator without yearly values clears the chart and says so', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
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
    await login(page, 'officer', DEMO_PW);
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
});
