// The last pick wins (web/src/utils/latest.js): on a page that loads on a user's choice, the
// answer to an earlier choice arriving after a later one's (a slow network, a busy server)
// neither replaces what was picked last nor shows an error. Each test holds the earlier
// request back until the later choice is shown, then lets it answer: a list with a filter
// (facilities), a list's next page overtaken by a filter (elders), an indicator picked on the
// district dashboard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, choose, apiGet, holdFirst, BASE, ADMIN_PW, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** The error alerts the page shows. */
const errors = (page) => page.locator('.el-alert--error');

/** A drill of its own on a hotel (the facility's state is not touched); abort it at the end. */
async function ownDrill(page) {
  for (const h of (await apiGet(page, '/facilities?type=hotel&state=peacetime&limit=20')).items) {
    const res = await page.request.post(BASE + '/api/v1/conversions', { data: { facility_id: h.id, scenario: 'epidemic', mode: 'drill' } });
    if (res.status() === 201) return res.json();
  }
  assert.fail('a drill started on a hotel with an epidemic manual');
}
async function abortDrill(page, drill) {
  const res = await page.request.post(BASE + `/api/v1/conversions/${drill.id}/abort`, { data: { reason: '测试结束' } });
  assert.equal(res.status(), 200, await res.text());
}

describe('the last pick wins', { timeout: budget(180000) }, () => {
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
    await login(page, 'officer', DEMO_PW, { land: false });
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

  test('cockpit: a step started shows in the activity list, though the list asked before it answers after', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const drill = await ownDrill(page);
    try {
      const step = drill.steps.find((x) => x.phase === 'convert' && x.status === 'pending' && !x.predecessors.length);
      assert.ok(step, 'a step that may start');
      const first = await holdFirst(page, (u) => u.pathname === `/api/v1/conversions/${drill.id}/timeline`, { early: true });
      await page.goto(`/conversions/${drill.id}`);
      await first.caught;
      await page.getByTestId('start-' + step.code).click();
      const started = page.getByTestId('timeline').locator('li', { hasText: `开始步骤 ${step.code}` });
      await started.waitFor();
      await first.release();
      assert.equal(await started.count(), 1, 'the step’s start stays in the activity list');
      assert.equal(await errors(page).count(), 0);
      noProblems(page);
    } finally {
      await abortDrill(page, drill);
      await context.close();
    }
  });

  test('cockpit: a step finished elsewhere stays finished, though the reload after a failed start answers after the poll that showed it', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const drill = await ownDrill(page);
    try {
      const step = drill.steps.find((x) => x.phase === 'convert' && x.status === 'pending' && !x.predecessors.length);
      const next = drill.steps.find((x) => x.phase === 'convert' && x.predecessors.length === 1 && x.predecessors[0] === step?.code);
      assert.ok(step && next, 'a step that may start and one that follows it alone');
      await page.goto(`/conversions/${drill.id}`);
      const start = page.getByTestId('start-' + step.code);
      await start.waitFor();
      // someone else starts the step; the page, not polled since, still offers to start it
      const move = async (what) => {
        const res = await page.request.post(BASE + `/api/v1/conversion-steps/${step.id}/${what}`, { data: {} });
        assert.equal(res.status(), 200, await res.text());
      };
      await move('start');
      const reload = await holdFirst(page, (u) => u.pathname === `/api/v1/conversions/${drill.id}`, { method: 'GET', early: true });
      await start.click(); // refused (409): the page fetches the conversion again, held back
      await reload.caught; // its answer as it was then: the step running
      // then the step is finished elsewhere too, and the poll shows it: the next step may start
      await move('finish');
      const startNext = page.getByTestId('start-' + next.code);
      await startNext.waitFor();
      await reload.release();
      assert.equal(await startNext.count(), 1, 'the next step may still start');
      assert.equal(await page.getByTestId('finish-' + step.code).count(), 0, 'the step is not shown running again');
      assert.equal(await errors(page).count(), 0);
      noProblems(page);
    } finally {
      await abortDrill(page, drill);
      await context.close();
    }
  });

  test('elders: the township picked stays in the pickers, though the village of the address is found after it', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const town = async (name) => (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent(name))).items[0];
    const [from, other] = [await town('金海湖地区'), await town('马昌营镇')];
    const village = (await apiGet(page, `/regions?parent_id=${from.id}&limit=50`)).items.find((r) => r.type === 'village');
    assert.ok(village, 'a village of 金海湖地区');
    const found = await holdFirst(page, (u) => u.pathname === `/api/v1/regions/${village.id}`);
    await page.goto(`/elders?region_id=${village.id}`);
    await found.caught;
    await choose(page, page.getByTestId('filter-township'), other.name);
    await page.waitForURL(new RegExp(`region_id=${other.id}(&|$)`));
    await found.release();
    assert.match(await page.getByTestId('filter-township').innerText(), new RegExp(other.name));
    assert.doesNotMatch(await page.getByTestId('filter-village').innerText(), new RegExp(village.name), 'no village of the address');
    assert.match(page.url(), new RegExp(`region_id=${other.id}(&|$)`));
    assert.equal(await errors(page).count(), 0);
    noProblems(page);
    await context.close();
  });
});

describe('one export at a time', { timeout: budget(120000) }, () => {
  test('facilities: a second export asked while the first is on its way gives no second file', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/facilities');
    await page.getByTestId('facility-table').locator('tbody tr').first().waitFor();
    let asked = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/facilities/export') asked++;
    });
    const files = [];
    page.on('download', (d) => files.push(d.suggestedFilename()));
    const first = await holdFirst(page, (u) => u.pathname === '/api/v1/facilities/export');
    const open = page.getByTestId('facility-export-open');
    await open.click();
    await page.getByTestId('facility-export-csv').click();
    await first.caught;
    const xlsx = page.getByTestId('facility-export-xlsx');
    await xlsx.waitFor({ state: 'hidden' }); // the menu closed on the pick
    // the button says the export is under way and offers no other meanwhile
    const disabled = await open.isDisabled();
    const loading = /is-loading/.test((await open.getAttribute('class')) || '');
    await open.click({ force: true });
    await xlsx.waitFor({ state: 'visible', timeout: 1500 }).then(
      () => xlsx.click(),
      () => {},
    );
    await page.waitForTimeout(500);
    assert.equal(asked, 1, 'one export asked');
    assert.ok(disabled && loading, 'the export button shows loading and is disabled while the file is on its way');
    await first.release();
    await page.waitForTimeout(500);
    assert.deepEqual(files, ['facilities.csv'], 'one file, of the export asked first');
    assert.ok(await open.isEnabled(), 'the button is offered again once the file is there');
    noProblems(page);
    await context.close();
  });
});
