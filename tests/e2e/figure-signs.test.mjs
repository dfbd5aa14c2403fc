// Figures that go the other way read right: a fall of the land-transfer rate is "-x 个百分点"
// (was "+-x"), a rise of the energy intensity is 上升 x% (was 下降 -x%), the live-commerce
// month under way is marked as not a whole month (it looked like a collapse beside the last
// whole month), and a dashboard figure its data do not give says why (was a bare — and 来源 0 条).
// Each test changes the shared demo through the API and puts it back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, beijingToday, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('logistics: a fall of the transferable land reads as a fall, never "+-"', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW, { land: false });
  // a large parcel whose transferable area falls from all to none turns the district's figures
  const parcel = await apiSend(page, 'post', '/logistics/parcels', { name: '符号测试地块', area_mu: 1000000, transferable_before_mu: 1000000, transferable_after_mu: 0 });
  try {
    const kpi = await apiGet(page, '/logistics/kpi');
    assert.ok(kpi.parcels.points < 0 && kpi.parcels.added_mu < 0, JSON.stringify(kpi.parcels));
    await page.goto('/logistics');
    const rates = page.getByTestId('parcel-rates');
    await rates.waitFor();
    assert.equal(await rates.innerText(), `${kpi.parcels.rate_before_pct}% → ${kpi.parcels.rate_after_pct}%`);
    const card = page.locator('.pj-fig').filter({ has: rates });
    const text = await card.first().innerText();
    assert.ok(text.includes(`${kpi.parcels.points} 个百分点`), text);
    assert.ok(!text.includes('+-'), text);
    const added = await page.getByTestId('parcel-added').innerText();
    assert.equal(added, `${kpi.parcels.added_mu} 亩`);
  } finally {
    await apiSend(page, 'delete', `/logistics/parcels/${parcel.id}`);
  }
  await context.close();
});

test('carbon: a rise of the energy intensity reads 上升, not 下降 -x%', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW, { land: false });
  const rows = (await apiGet(page, '/carbon/intensity/years')).items.filter((x) => x.comparable);
  const latest = rows[rows.length - 1];
  assert.ok(latest.decline_rate_rounded > 0, 'the demo intensity falls in its latest year');
  const gdp = latest.sources.find((s) => s.code === 'gdp' && s.period === String(latest.year));
  assert.ok(gdp, JSON.stringify(latest.sources));
  // half the GDP doubles the intensity: a rise
  const cut = await apiSend(page, 'patch', `/indicators/values/${gdp.value_id}`, { version: gdp.version, value: gdp.value / 2 });
  try {
    const risen = (await apiGet(page, '/carbon/intensity/years')).items.filter((x) => x.comparable).pop();
    assert.equal(risen.year, latest.year);
    assert.ok(risen.decline_rate_rounded < 0, JSON.stringify(risen));
    await page.goto('/development/carbon');
    const line = page.getByTestId('intensity-latest');
    await line.getByText(`上升 ${-risen.decline_rate_rounded}%`).waitFor();
    assert.ok(!(await line.innerText()).includes('下降'), await line.innerText());
  } finally {
    await apiSend(page, 'patch', `/indicators/values/${gdp.value_id}`, { version: cut.version, value: gdp.value });
  }
  await page.goto('/development/carbon');
  await page.getByTestId('intensity-latest').getByText(`下降 ${latest.decline_rate_rounded}%`).waitFor();
  await context.close();
});

test('live commerce: the month under way is marked as figures so far', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW, { land: false });
  const today = beijingToday();
  const s = (await apiGet(page, '/ecommerce/streamers?limit=1')).items[0];
  const session = await apiSend(page, 'post', '/ecommerce/sessions', { streamer_id: s.id, platform: 'douyin', date: today, duration_min: 60, orders: 1, gmv_fen: 100 });
  try {
    await page.goto('/development/ecommerce');
    const chart = page.locator('[data-testid="ec-sessions"][data-months]');
    await page.waitForFunction(() => (document.querySelector('[data-testid="ec-sessions"][data-months]')?.dataset.months || '').length > 0);
    const months = (await chart.getAttribute('data-months')).split(' ');
    assert.equal(months[months.length - 1], today.slice(0, 7));
    assert.equal(await chart.getAttribute('data-running'), today.slice(0, 7));
    assert.equal(await page.getByTestId('ec-month-so-far').innerText(), `${today.slice(0, 7)} 为本月，数据截至 ${+today.slice(8)} 日，未满整月`);
  } finally {
    await apiSend(page, 'delete', `/ecommerce/sessions/${session.id}`);
  }
  await context.close();
});

test('dashboard: a figure without its target says so, not a bare — with no sources', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW, { land: false });
  const dash = await apiGet(page, '/dashboard');
  // an indicator's progress (not the register's), its every target removed and put back after
  const fig = dash.figures.find((f) => f.figure.fn === 'progress' && f.figure.target && !f.figure.window_from);
  assert.ok(fig, 'the demo dashboard has a progress figure against a target');
  const targets = (await apiGet(page, `/indicators/targets?code=${fig.figure.code}`)).items;
  assert.ok(targets.some((x) => x.id === fig.figure.target.target_id), JSON.stringify(targets));
  for (const x of targets) await apiSend(page, 'delete', `/indicators/targets/${x.id}`);
  try {
    const gone = (await apiGet(page, '/dashboard')).figures.find((f) => f.key === fig.key);
    assert.equal(gone.figure.missing, 'missing_target', JSON.stringify(gone));
    await page.goto('/development/dashboard');
    const card = page.getByTestId('fig-' + fig.key);
    await card.getByText('尚未设定目标').waitFor();
    assert.ok(!(await card.innerText()).includes('来源'), await card.innerText());
  } finally {
    for (const { code, region, period, value, source, note } of targets) await apiSend(page, 'post', '/indicators/targets', { code, region, period, value, ...(source ? { source } : {}), ...(note ? { note } : {}) });
  }
  const back = (await apiGet(page, '/dashboard')).figures.find((f) => f.key === fig.key);
  assert.ok(!back.figure.missing, JSON.stringify(back));
  await context.close();
});
