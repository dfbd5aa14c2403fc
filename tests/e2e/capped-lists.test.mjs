// Figures that were counted from a list read page by page, which stops at a limit (200 pages
// for the home page's map): past it, in a large district, the home page's counts fell short.
// The figures are the server's count now (GET /facilities/summary). Pages of 1 (the request
// rewritten) make the demo's ≈300 facilities longer than the limit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** the facilities list answers pages of 1 where the console asks for 500; edit(items) changes
 * what a page holds */
async function pagesOfOne(page, edit) {
  await page.route(/\/api\/v1\/facilities\?/, async (route) => {
    const u = new URL(route.request().url());
    if (u.searchParams.get('limit') === '500') u.searchParams.set('limit', '1');
    if (!edit) return route.continue({ url: u.toString() });
    const res = await route.fetch({ url: u.toString() });
    const body = await res.json();
    edit(body.items || []);
    await route.fulfill({ response: res, json: body });
  });
}

const kpi = (page, key) => page.locator(`[data-kpi="${key}"] .pj-kpi-value`);
const fmt = (n) => formatNumber(n, 'zh-CN');

test("home page: the facility cards are the district's count, though the map's list stops at 200", { timeout: 180000 }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  const sum = await apiGet(page, '/facilities/summary');
  assert.ok(sum.facilities > 200, `more facilities than 200 pages of 1 (${sum.facilities})`);
  await pagesOfOne(page);
  await page.goto('/dashboard');
  await kpi(page, 'facilities').getByText(fmt(sum.facilities), { exact: true }).waitFor({ timeout: 90000 });
  for (const [key, state] of [['ready', 'emergency'], ['converting', 'converting'], ['restoring', 'restoring'], ['peacetime', 'peacetime']])
    assert.equal(await kpi(page, key).innerText(), fmt(sum.states[state]), key);
  // the map alone is the first 200, and says so
  await page.getByTestId('dashboard-partial').getByText('地图仅显示前 200 个设施；各项统计按全部设施计算').waitFor();
  await shot(page, 'dashboard-counts-capped-list');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('home page without the overview (enterprise): the capacity per role is summed over every facility', { timeout: 180000 }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW);
  const sum = await apiGet(page, '/facilities/summary');
  await pagesOfOne(page);
  await page.goto('/dashboard');
  await kpi(page, 'facilities').getByText(fmt(sum.facilities), { exact: true }).waitFor({ timeout: 90000 });
  const line = sum.capacity.find((c) => c.role === 'resettlement' && c.unit === 'beds');
  const row = page.getByTestId('capacity-table').locator('tr', { hasText: '安置床位' });
  await row.getByText(fmt(line.total), { exact: true }).waitFor();
  await row.getByText(`设施数 ${fmt(line.facilities)}`).waitFor();
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
