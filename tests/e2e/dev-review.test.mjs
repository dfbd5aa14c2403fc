// Regressions of the district development review, on a demo server of this file's own (they add
// indicator values, targets and records that would move the figures other files check).
// The energy intensity: a year whose energy is the sum of the recorded use compares with the year
// before only when the same reporters recorded both (two firms' use of 2023 against seven of
// 2024 said a rise of 234 % and drew a fall of 99.8 %): the page says why it does not compare,
// and the chart never draws one source's bar beside the other's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, ownServer, choose, budget } from './lib.mjs';
import { emissionsOption, intensityOption } from '../../web/src/utils/carbon.js';
import zh from '../../web/src/i18n/zh-CN.js';
import { formatNumber } from '../../web/src/utils/format.js';

const LAPTOP = { width: 1366, height: 900 };
let browser, srv;
before(async () => {
  srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '200' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});
const ownPage = () => openPage(browser, LAPTOP, { baseURL: srv.base });
async function apiGet(page, p) {
  const res = await page.request.get(`${srv.base}/api/v1${p}`);
  if (!res.ok()) throw new Error(`GET ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}
async function apiSend(page, method, p, data) {
  const res = await page.request[method](`${srv.base}/api/v1${p}`, data === undefined ? {} : { data });
  const body = res.status() === 204 ? null : await res.json();
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

test('intensity: the recorded use of other reporters does not compare; the chart keeps each source to itself', { timeout: budget(120000) }, async () => {
  const { context, page } = await ownPage();
  await login(page, 'officer', srv.demoPw, { land: false });
  await apiSend(page, 'post', '/indicators/values', { code: 'gdp', period: '2024', value: 560 });
  // 2024's reporters: the demo's firms and its sector total
  const uses = (await apiGet(page, '/carbon/energy?year=2024&limit=500')).items.filter((r) => r.period === '2024-01');
  assert.equal(uses.length, 7);
  const firms = uses.filter((r) => r.organisation_id != null);
  for (const r of firms.slice(0, 2)) await apiSend(page, 'post', '/carbon/energy', { organisation_id: r.organisation_id, sector: r.sector, period: '2023', energy_type: 'electricity', quantity: 30000000 });
  let y24 = (await apiGet(page, '/carbon/intensity/years')).items.find((x) => x.year === 2024);
  assert.equal(y24.comparable, false);
  assert.equal(y24.why, 'different_reporters');
  assert.equal(y24.decline_rate, undefined);
  await page.goto('/development/carbon');
  const row = page.getByTestId('intensity-years').locator('.el-table__body-wrapper tr').filter({ hasText: /^2024/ });
  await row.getByTestId('not-comparable').getByText('不可比较').waitFor();
  await row.getByText('录入单位不同（2024 年 7 个，其中 5 个 2023 年没有；2023 年 2 个，其中 0 个 2024 年没有）').waitFor();

  // the same reporters in 2023: 2024 compares the recorded use, 2023 the bureau's totals
  for (const r of uses.slice(2)) await apiSend(page, 'post', '/carbon/energy', { organisation_id: r.organisation_id ?? undefined, sector: r.sector, period: '2023', energy_type: 'electricity', quantity: 30000000 });
  const rows = (await apiGet(page, '/carbon/intensity/years')).items.filter((x) => x.comparable);
  y24 = rows.find((x) => x.year === 2024);
  assert.equal(y24.energy_from, 'sum of energy use');
  assert.equal(rows.find((x) => x.year === 2023).energy_from, 'indicator energy_consumption');
  const c = zh.dev.carbon;
  const option = intensityOption(rows, { intensity: c.intensity, unit: c.intensityUnit, decline: c.decline, sources: c.sourceShort });
  const bars = option.series.filter((s) => s.type === 'bar');
  assert.equal(bars.length, 2, 'a bar series for each source');
  // every category has one bar, of one source; 2023 is drawn once for each source
  const cats = option.xAxis.data;
  cats.forEach((_, i) => assert.equal(bars.filter((s) => s.data[i] != null).length, 1, cats[i]));
  assert.ok(cats.includes(`2023\n${c.sourceShort.indicator}`) && cats.includes(`2023\n${c.sourceShort.use}`), cats.join(' | '));
  const iUse = cats.indexOf(`2024\n${c.sourceShort.use}`), iPrev = cats.indexOf(`2023\n${c.sourceShort.use}`);
  const use = bars.find((s) => s.name.includes(c.sourceShort.use));
  assert.equal(use.data[iPrev], +(+y24.previous).toFixed(4), 'the bar beside 2024 is 2023 of the same source');
  assert.equal(use.data[iUse], +(+y24.intensity).toFixed(4));
  await page.reload();
  await page.getByTestId('carbon-intensity').locator('canvas').first().waitFor();
  assert.equal(await page.getByTestId('intensity-years').getByTestId('energy-source').filter({ hasText: '登记用能记录合计' }).count(), 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

// Freight progress: a quarter's target set after the year's is not the annualised figure's (it
// read 134.04 % for 33.51 %); the card and the chart name the year of the target they measure
// against, not a fixed 2035.
test('logistics: freight progress against the latest yearly target, its year named', { timeout: budget(120000) }, async () => {
  const { context, page } = await ownPage();
  await login(page, 'officer', srv.demoPw, { land: false });
  const before = (await apiGet(page, '/logistics/kpi')).freight;
  await apiSend(page, 'post', '/indicators/targets', { code: 'freight_volume', period: '2036Q1', value: 1000 });
  let f = (await apiGet(page, '/logistics/kpi')).freight;
  assert.equal(f.target.period, '2035');
  assert.equal(f.progress_pct, before.progress_pct);
  await page.goto('/logistics');
  const card = page.locator('.pj-fig', { has: page.getByTestId('freight-annualised') });
  await card.getByText(`达 2035 年目标 ${formatNumber(f.target.value)} 吨的 ${f.progress_pct}%`).waitFor();
  await page.getByTestId('freight-title').getByText('月度货运量与 2035 年目标').waitFor();
  // a later yearly target: named with its year
  await apiSend(page, 'post', '/indicators/targets', { code: 'freight_volume', period: '2040', value: 5000 });
  f = (await apiGet(page, '/logistics/kpi')).freight;
  assert.equal(f.target.period, '2040');
  await page.reload();
  await card.getByText(`达 2040 年目标 ${formatNumber(f.target.value)} 吨的 ${f.progress_pct}%`).waitFor();
  await page.getByTestId('freight-title').getByText('月度货运量与 2040 年目标').waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

// Warehouses without a plan target: the register's total is no plan. The card said "% of the
// 5,601,000 m² plan" and the chart drew a plan line at the total; it says no plan target is set
// and draws no plan line.
test('logistics: without a warehouse plan target no plan is shown', { timeout: budget(120000) }, async () => {
  const { context, page } = await ownPage();
  await login(page, 'officer', srv.demoPw, { land: false });
  const kpi = (await apiGet(page, '/logistics/kpi')).warehouses;
  await page.goto('/logistics');
  const card = page.locator('.pj-fig', { has: page.getByTestId('wh-started') });
  await card.getByText(`占规划 ${formatNumber(kpi.target.value)} m² 的 ${kpi.started_of_plan_pct}%`).waitFor();
  const chart = page.locator('[role="img"][aria-label^="仓储面积"]').first();
  await chart.waitFor();
  assert.match(await chart.getAttribute('aria-label'), /^仓储面积（按状态）与规划 · 规划 /);
  // the plan target removed
  const targets = (await apiGet(page, '/indicators/targets?code=warehouse_area_started')).items;
  for (const tg of targets) await apiSend(page, 'delete', `/indicators/targets/${tg.id}`);
  const after = (await apiGet(page, '/logistics/kpi')).warehouses;
  assert.equal(after.target, null);
  assert.equal(after.started_of_plan_pct, null);
  await page.reload();
  await card.getByText('未设定仓储开工面积规划目标').waitFor();
  assert.equal(await card.getByText(/占规划/).count(), 0);
  await page.getByTestId('area-title').getByText('仓储面积（按状态，未设定规划目标）').waitFor();
  const label = await page.locator('[role="img"][aria-label^="仓储面积"]').first().getAttribute('aria-label');
  assert.ok(!label.includes('规划 '), label);
  assert.ok(!label.includes(formatNumber(after.total_m2)), label);
  assert.deepEqual(page.problems, []);
  await context.close();
});

// Emissions by organisation: more organisations than a chart holds (the API answered 413 past
// 500) are the top ones by emissions and the rest as one group keeping the total; the page
// names that group and says how many it holds.
test('carbon: emissions by organisation, the top ones and the others as one group', { timeout: budget(180000) }, async () => {
  const { context, page } = await ownPage();
  await login(page, 'officer', srv.demoPw, { land: false });
  const used = new Set((await apiGet(page, '/carbon/energy?year=2024&limit=500')).items.map((r) => r.organisation_id));
  const orgs = (await apiGet(page, '/organisations?limit=100')).items.filter((o) => !used.has(o.id)).slice(0, 20);
  assert.equal(orgs.length, 20);
  for (const [i, o] of orgs.entries()) await apiSend(page, 'post', '/carbon/energy', { organisation_id: o.id, sector: 'industry', period: '2024', energy_type: 'electricity', quantity: 1000 * (i + 1) });
  const em = await apiGet(page, '/carbon/emissions?year=2024&by=organisation');
  assert.equal(em.organisations, 26);
  assert.equal(em.other_organisations, 6);
  const rest = em.groups.find((g) => g.others);
  assert.equal(rest.organisations, 6);
  const sum = em.groups.reduce((a, g) => a + g.t_co2e, 0);
  assert.ok(Math.abs(sum - em.total_t_co2e) < 1e-6, `${sum} ${em.total_t_co2e}`);
  const names = emissionsOption(em.groups, (k, g) => (g.others ? zh.dev.carbon.othersGroup.replace('{n}', g.organisations) : k ?? zh.dev.carbon.noOrgGroup)).yAxis.data;
  assert.ok(names.includes('其余 6 家单位'), names.join(' | '));
  await page.goto('/development/carbon?year=2024');
  const card = page.getByTestId('carbon-emissions');
  await card.getByText(/^合计 /).waitFor();
  const groupBy = card.locator('.el-select', { has: page.getByRole('combobox', { name: '分组' }) });
  await choose(page, groupBy, '按企业');
  await card.getByTestId('emissions-top').getByText('录入用能的 26 家单位中排放最多的 20 家；其余 6 家合为一组').waitFor();
  await card.locator('.pj-chart canvas').first().waitFor();
  // a bar pair a group: the chart is tall enough for its 22 groups
  const box = await card.locator('.pj-chart').boundingBox();
  assert.ok(box.height >= 22 * 30, String(box.height));
  assert.deepEqual(page.problems, []);
  await context.close();
});

// Freight of a township officer: the server takes only its own township's organisations (403
// for the others), so the form offers only those — it offered the whole register.
test('logistics: a township officer\'s freight form offers only its township\'s organisations', { timeout: budget(120000) }, async () => {
  const { context, page } = await ownPage();
  await login(page, 'jinhaihu', srv.demoPw, { land: false });
  const me = await apiGet(page, '/auth/me');
  const town = me.user?.township_id ?? me.township_id;
  assert.ok(town);
  const other = (await apiGet(page, '/organisations?limit=500')).items.find((o) => o.township_id && o.township_id !== town);
  assert.ok(other, 'an organisation of another township');
  const own = [];
  for (let cur = ''; ; ) {
    const pg = await apiGet(page, `/organisations?township_id=${town}&limit=500${cur ? '&cursor=' + cur : ''}`);
    own.push(...pg.items);
    if (!pg.next_cursor) break;
    cur = pg.next_cursor;
  }
  assert.ok(own.length > 0);
  await page.goto('/logistics');
  await page.getByRole('tab', { name: '月度货运' }).click();
  await page.getByTestId('log-add-freight').click();
  const dlg = page.getByTestId('log-form-freight');
  const field = dlg.getByTestId('f-organisation_id');
  await field.locator('.el-select').click();
  const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
  await options.first().waitFor();
  const offered = await options.allInnerTexts();
  const mine = new Set(own.map((o) => o.name));
  assert.ok(offered.length > 0);
  for (const name of offered) assert.ok(mine.has(name.trim()), `${name} is not of the officer's township`);
  // typed by name, another township's organisation is not found
  await field.locator('input').fill(other.name);
  await page.locator('.el-select-dropdown:visible').getByText(/无匹配数据|无数据/).waitFor();
  await page.keyboard.press('Escape');
  // its organisation's freight at another township's park is saved (every save was refused on
  // 乡镇（街道）, a field the form does not have: the park's township ruled)
  const park = (await apiGet(page, '/logistics/parks?limit=100')).items.find((p) => p.township_id !== town);
  assert.ok(park, "another township's park");
  const firm = offered[0].trim();
  await field.locator('.el-select').click();
  await field.locator('input').fill(firm);
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: firm }).first().click();
  const parkSel = dlg.getByTestId('f-park_id').locator('.el-select');
  await parkSel.click();
  await parkSel.locator('input').fill(park.name);
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: park.name }).first().click();
  const month = dlg.getByTestId('f-month').locator('input').first();
  await month.fill('2019-02');
  await month.press('Enter');
  const tonnes = dlg.getByTestId('f-tonnes').locator('input').first();
  await tonnes.fill('1200');
  await tonnes.press('Tab');
  const res = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/logistics/freight'));
  await dlg.getByTestId('record-save').click();
  const r = await res;
  assert.equal(r.status(), 201, await r.text());
  assert.deepEqual(page.problems, []);
  await context.close();
});
