// The last pick wins (web/src/utils/latest.js): on a page that loads on a user's choice, the
// answer to an earlier choice arriving after a later one's (a slow network, a busy server)
// neither replaces what was picked last nor shows an error. Each test holds the earlier
// request back until the later choice is shown, then lets it answer: a list with a filter
// (facilities), a list's next page overtaken by a filter (elders), an indicator picked on the
// district dashboard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, choose, apiGet, ADMIN_PW, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/**
 * Holds back the first request of the page that `match(url)` takes. `caught` resolves once it
 * is held; `release()` lets it answer — fetched from the server and handed to the page, unless
 * the page has aborted it meanwhile — and resolves once the page has had the answer a moment.
 */
async function holdFirst(page, match) {
  let caught, open, answered;
  const held = new Promise((r) => (caught = r));
  const gate = new Promise((r) => (open = r));
  const done = new Promise((r) => (answered = r));
  let n = 0;
  await page.route(match, async (route) => {
    if (n++) return route.continue();
    caught(route.request().url());
    await gate;
    try {
      await route.fulfill({ response: await route.fetch() });
    } catch {
      /* the page aborted it: nothing to answer */
    }
    answered();
  });
  return {
    caught: held,
    async release() {
      open();
      await done;
      await page.waitForTimeout(1000); // the page handles the late answer (or has none to handle)
    },
  };
}

/** The error alerts the page shows. */
const errors = (page) => page.locator('.el-alert--error');

describe('the last pick wins', { timeout: 180000 }, () => {
  test('facilities: the township picked stays listed when the unfiltered list asked first answers after it', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    const town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('金海湖地区'))).items[0];
    const expected = (await apiGet(page, `/facilities?township_id=${town.id}&limit=50`)).items;
    assert.ok(expected.length > 0, 'the demo has facilities in 金海湖地区');
    const first = await holdFirst(page, (u) => u.pathname === '/api/v1/facilities');
    await page.goto('/facilities');
    assert.doesNotMatch(await first.caught, /township_id/, 'the page asked for the whole list first');
    await choose(page, page.getByTestId('filter-township'), '金海湖地区');
    await page.waitForURL(/township_id=/);
    const rows = page.getByTestId('facility-table').locator('tbody tr');
    await rows.first().getByText(expected[0].name, { exact: true }).waitFor();
    await first.release();
    assert.equal(await rows.count(), expected.length, 'the township’s facilities, not the whole list');
    for (const text of await rows.allInnerTexts()) assert.match(text, /金海湖地区/);
    assert.equal(await errors(page).count(), 0);
    noProblems(page);
    await context.close();
  });

  test('elders: a filter picked while the next page is on its way shows its first page, not that next page', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const alone = (await apiGet(page, '/elders?living_alone=1&limit=50')).items;
    assert.ok(alone.length > 0, 'the demo has elders living alone');
    await page.goto('/elders');
    const body = page.getByTestId('elder-table').locator('.el-table__body-wrapper');
    await body.locator('tbody tr').first().waitFor();
    const next = await holdFirst(page, (u) => u.pathname === '/api/v1/elders' && u.searchParams.has('cursor'));
    await page.locator('.pj-pager').getByRole('button', { name: '下一页' }).click();
    await next.caught;
    await page.getByTestId('flag-living_alone').click();
    await page.waitForURL(/living_alone=1/);
    await body.locator('tbody tr').first().getByRole('link', { name: alone[0].name, exact: true }).waitFor();
    await next.release();
    assert.deepEqual(await body.locator('.pj-name').allInnerTexts(), alone.map((e) => e.name), 'the first page of those living alone');
    await page.locator('.pj-pager').getByText('第 1 页', { exact: true }).waitFor();
    assert.equal(await errors(page).count(), 0);
    noProblems(page);
    await context.close();
  });

  test('district dashboard: the indicator picked is the trend shown, though the first one’s values answer after it', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'viewer', DEMO_PW);
    const pinggu = encodeURIComponent('平谷区');
    const years = async (code) => (await apiGet(page, `/indicators/values?code=${code}&region=${pinggu}&limit=500`)).items.map((v) => v.period).filter((p) => /^\d{4}$/.test(p));
    const gdpYears = await years('gdp');
    const agriYears = await years('agri_output');
    const gdpOnly = gdpYears.find((y) => !agriYears.includes(y));
    assert.ok(gdpOnly && agriYears.length, 'GDP has a year the agricultural output has not');
    const first = await holdFirst(page, (u) => u.pathname === '/api/v1/indicators/values');
    await page.goto('/development/dashboard');
    assert.match(await first.caught, /code=gdp/, 'the page asked for the GDP trend first');
    const select = page.getByTestId('trend-indicator');
    await select.click();
    await page.getByRole('option', { name: /^农业总产值/ }).click();
    // the chart's accessible name carries its data: the years of the indicator picked
    const chart = page.getByTestId('trend-chart').getByRole('img');
    await page.waitForFunction((y) => document.querySelector('[data-testid="trend-chart"] [role="img"]')?.getAttribute('aria-label')?.includes(y), agriYears[0]);
    await first.release();
    const label = await chart.getAttribute('aria-label');
    for (const y of agriYears) assert.ok(label.includes(y), `${y} of the agricultural output in “${label}”`);
    assert.ok(!label.includes(gdpOnly), `no GDP year (${gdpOnly}) in “${label}”`);
    assert.match(await select.innerText(), /农业总产值/);
    assert.equal(await errors(page).count(), 0);
    noProblems(page);
    await context.close();
  });
});
