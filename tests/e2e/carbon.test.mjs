// The carbon page's energy use records: the year's records as the API holds them; a district
// officer records a use (its emissions said), a period overlapping it is refused at the
// period field in Chinese and writes nothing; the year's emissions include the new use; a
// township officer reads without the button. Years are relative to the records added here.
// The dialog opens empty and its untouched save is refused at its fields (the quantity among
// them) without a request; a record is corrected and deleted from its row. The charts: the
// intensity's value axis from 0 and its decline rounded as the header, the use without an
// organisation named in English, no request that fails on the page's load.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, DEMO_PW, budget } from './lib.mjs';
import { readFileSync } from 'node:fs';
import { SECTORS, emissionsOption, intensityOption } from '../../web/src/utils/carbon.js';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function energyOf(page, year) {
  const all = [];
  for (let cursor; ; ) {
    const p = await apiGet(page, `/carbon/energy?limit=500${cursor ? '&cursor=' + cursor : ''}`);
    all.push(...p.items);
    if (!p.next_cursor) break;
    cursor = p.next_cursor;
  }
  return all.filter((r) => r.period.startsWith(String(year)));
}

test('energy use: the year\'s records, one recorded (emissions said), an overlapping period refused at its field; a township officer reads', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const year = 2024; // the demo's records
  const before2024 = await energyOf(page, year);
  assert.ok(before2024.length > 0, 'the demo records energy use in 2024');
  await page.goto('/development/carbon');
  const card = page.getByTestId('energy-records');
  await card.getByText(`${year} 年用能记录`).waitFor();
  await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr').nth(before2024.length - 1).waitFor();
  assert.equal(await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr').count(), before2024.length);
  // the units said in Chinese on the Chinese page
  const heads = await card.getByTestId('energy-table').locator('.el-table__header-wrapper th').allInnerTexts();
  assert.ok(heads.includes('吨 CO₂e') && heads.includes('吨标准煤'), JSON.stringify(heads));

  // a farm sector's electricity of March 2024 (no organisation: a sector total)
  const exists = before2024.some((r) => r.sector === 'agriculture');
  assert.equal(exists, false, 'no agriculture use recorded yet');
  await card.getByTestId('energy-add').click();
  const dlg = page.getByRole('dialog', { name: '录入用能' });
  await choose(page, dlg.getByTestId('energy-sector'), '农业');
  await dlg.getByTestId('energy-period').fill('2024-03');
  await choose(page, dlg.getByTestId('energy-type'), '电力（kWh）');
  await dlg.getByTestId('energy-quantity').locator('input').fill('10000');
  await dlg.getByTestId('energy-source').fill('电力公司账单');
  await shot(page, '62-energy-record');
  await dlg.getByTestId('energy-save').click();
  await page.getByText(/^已录入：.+ 吨 CO₂e，.+ 吨标准煤$/).waitFor();
  const after2024 = await energyOf(page, year);
  const mine = after2024.find((r) => r.sector === 'agriculture' && r.period === '2024-03' && r.energy_type === 'electricity');
  assert.ok(mine, 'stored');
  assert.equal(mine.quantity, 10000);
  assert.equal(mine.source, '电力公司账单');
  assert.ok(mine.t_co2e > 0 && mine.tce > 0);
  await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr', { hasText: '农业' }).filter({ hasText: '2024-03' }).waitFor();
  // the year's emissions include it (by sector: the agriculture sector appears)
  const em = await apiGet(page, `/carbon/emissions?year=${year}&by=sector`);
  assert.ok(em.groups.some((g) => (g.key ?? g.name) === 'agriculture'), JSON.stringify(em.groups));

  // the whole year overlaps March: refused at the period field, nothing written
  await card.getByTestId('energy-add').click();
  await choose(page, dlg.getByTestId('energy-sector'), '农业');
  await dlg.getByTestId('energy-period').fill('2024');
  await choose(page, dlg.getByTestId('energy-type'), '电力（kWh）');
  await dlg.getByTestId('energy-quantity').locator('input').fill('120000');
  await dlg.getByTestId('energy-save').click();
  await dlg.locator('.el-form-item', { hasText: '期间' }).locator('.el-form-item__error').getByText('与已登记的时段重叠', { exact: false }).waitFor();
  assert.equal((await energyOf(page, year)).length, after2024.length);
  await dlg.getByRole('button', { name: '取消' }).click();
  assert.deepEqual(page.problems, []);
  await context.close();

  const town = await openPage(browser);
  await login(town.page, 'jinhaihu', DEMO_PW);
  await town.page.goto('/development/carbon');
  await town.page.getByTestId('energy-records').getByText(`${year} 年用能记录`).waitFor();
  assert.equal(await town.page.getByTestId('energy-add').count(), 0);
  await town.context.close();
});

/** The API requests of a page that failed (status 400 and above), as "METHOD path status". */
function failedRequests(page) {
  const failed = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400) failed.push(`${r.request().method()} ${new URL(r.url()).pathname}${new URL(r.url()).search} ${r.status()}`);
  });
  return failed;
}
/**
 * Saves the energy dialog and waits for the server's answer to its write: a refusal, or a save
 * that sent nothing (the form's own check), fails here with what the server or the form said.
 */
async function saved(page, dlg, method) {
  const answer = page
    .waitForResponse((r) => r.url().includes('/api/v1/carbon/energy') && r.request().method() === method, { timeout: 30000 })
    .catch(() => null);
  await dlg.getByTestId('energy-save').click();
  const r = await answer;
  if (!r) {
    const said = await dlg.locator('.el-form-item__error').allInnerTexts();
    assert.fail(`no ${method} sent in 30 s; the form says: ${said.join(' | ') || '(nothing)'}`);
  }
  assert.ok(r.ok(), `${method} ${r.status()}: ${await r.text()}`);
}
/** The energy use writes a page sends. */
function energyWrites(page) {
  const sent = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/carbon/energy') && r.method() !== 'GET') sent.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  return sent;
}

test('录入用能 opens empty; saved untouched it is refused at the quantity and the other fields, and nothing is sent', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const sent = energyWrites(page);
  const before2024 = await energyOf(page, 2024);
  await page.goto('/development/carbon');
  const card = page.getByTestId('energy-records');
  await card.getByText('2024 年用能记录').waitFor();
  await card.getByTestId('energy-add').click();
  const dlg = page.getByRole('dialog', { name: '录入用能' });
  await dlg.getByTestId('energy-save').waitFor();
  // nothing chosen for the user: no sector, period, energy type or quantity
  assert.equal(await dlg.getByTestId('energy-period').inputValue(), '');
  assert.equal(await dlg.getByTestId('energy-quantity').locator('input').inputValue(), '');
  for (const id of ['energy-sector', 'energy-type']) {
    // an Element Plus select without a value shows its placeholder greyed (is-transparent)
    await dlg.getByTestId(id).locator('.el-select__placeholder.is-transparent').getByText('请选择', { exact: true }).waitFor();
  }
  await dlg.getByTestId('energy-save').click();
  const fieldError = (label) => dlg.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) }).locator('.el-form-item__error');
  await fieldError('用量').getByText('请填写大于 0 的用量').waitFor();
  for (const label of ['行业', '期间', '能源']) await fieldError(label).getByText('请选择或填写').waitFor();
  await shot(page, '63-energy-untouched');
  // also: a quantity of 0 with everything else chosen is refused as well
  await choose(page, dlg.getByTestId('energy-sector'), '工业');
  await dlg.getByTestId('energy-period').fill('2024-01');
  await choose(page, dlg.getByTestId('energy-type'), '煤炭（t）');
  await dlg.getByTestId('energy-quantity').locator('input').fill('0');
  await dlg.getByTestId('energy-save').click();
  await fieldError('用量').getByText('请填写大于 0 的用量').waitFor();
  for (const label of ['行业', '期间', '能源']) await fieldError(label).waitFor({ state: 'detached' });
  await dlg.getByRole('button', { name: '取消' }).click();
  assert.deepEqual(sent, [], 'no energy use sent');
  assert.equal((await energyOf(page, 2024)).length, before2024.length);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a record corrected (编辑, its version sent) and deleted (删除) from its row; the emissions follow', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const sent = energyWrites(page);
  await page.goto('/development/carbon');
  const card = page.getByTestId('energy-records');
  await card.getByText('2024 年用能记录').waitFor();
  const em0 = await apiGet(page, '/carbon/emissions?year=2024&by=sector');
  // a transport sector total of diesel in May 2024
  await card.getByTestId('energy-add').click();
  const add = page.getByRole('dialog', { name: '录入用能' });
  await choose(page, add.getByTestId('energy-sector'), '交通');
  await add.getByTestId('energy-period').fill('2024-05');
  await choose(page, add.getByTestId('energy-type'), '柴油（L）');
  await add.getByTestId('energy-quantity').locator('input').fill('800');
  await saved(page, add, 'POST');
  await page.getByText(/^已录入：/).first().waitFor();
  const mine = (await energyOf(page, 2024)).find((r) => r.sector === 'transport' && r.energy_type === 'diesel');
  assert.ok(mine && mine.quantity === 800 && mine.version === 1, JSON.stringify(mine));

  // corrected: the quarter, 2,500 L
  await card.getByTestId('energy-edit-' + mine.id).click();
  const edit = page.getByRole('dialog', { name: '修改用能记录' });
  assert.equal(await edit.getByTestId('energy-period').inputValue(), '2024-05');
  assert.equal(await edit.getByTestId('energy-quantity').locator('input').inputValue(), '800');
  await edit.getByTestId('energy-period').fill('2024Q2');
  await edit.getByTestId('energy-quantity').locator('input').fill('2500');
  await shot(page, '64-energy-correct');
  await saved(page, edit, 'PATCH');
  await page.getByText(/^已修改：.+ 吨 CO₂e，.+ 吨标准煤$/).waitFor();
  const fixed = await apiGet(page, `/carbon/energy/${mine.id}`);
  assert.equal(fixed.period, '2024Q2');
  assert.equal(fixed.quantity, 2500);
  assert.equal(fixed.version, 2);
  await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr', { hasText: '2024Q2' }).filter({ hasText: '交通' }).waitFor();
  const em1 = await apiGet(page, '/carbon/emissions?year=2024&by=sector');
  assert.ok(Math.abs(em1.total_t_co2e - em0.total_t_co2e - fixed.t_co2e) < 1e-6);

  // deleted, after the confirmation
  await card.getByTestId('energy-delete-' + mine.id).click();
  const box = page.getByRole('dialog', { name: '删除用能记录' });
  await box.getByText('2024Q2', { exact: false }).waitFor();
  await box.getByRole('button', { name: '删除' }).click();
  await page.getByText(/^已删除：2024Q2/).waitFor();
  const gone = await page.request.get(`/api/v1/carbon/energy/${mine.id}`);
  assert.equal(gone.status(), 404);
  await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr', { hasText: '2024Q2' }).filter({ hasText: '交通' }).waitFor({ state: 'detached' });
  const em2 = await apiGet(page, '/carbon/emissions?year=2024&by=sector');
  assert.ok(Math.abs(em2.total_t_co2e - em0.total_t_co2e) < 1e-6);
  assert.deepEqual(sent, ['POST /api/v1/carbon/energy', `PATCH /api/v1/carbon/energy/${mine.id}`, `DELETE /api/v1/carbon/energy/${mine.id}`]);
  assert.deepEqual(page.problems, []);
  await context.close();

  // a township officer has neither
  const town = await openPage(browser);
  await login(town.page, 'jinhaihu', DEMO_PW);
  await town.page.goto('/development/carbon');
  await town.page.getByTestId('energy-table').locator('.el-table__body-wrapper tr').first().waitFor();
  assert.equal(await town.page.locator('[data-testid^="energy-edit-"], [data-testid^="energy-delete-"]').count(), 0);
  await town.context.close();
});

test('the carbon charts: intensity from 0, the decline as the header rounds it, no failed request on load; by organisation in English', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const failed = failedRequests(page); // from the carbon page's load on (the log-in page asks who is in: 401)
  await page.goto('/development/carbon');
  const years = (await apiGet(page, '/carbon/intensity/years')).items;
  const rows = years.filter((x) => x.comparable);
  assert.ok(rows.length > 0, 'the demo has a comparable year');
  const latest = rows[rows.length - 1];
  await page.getByTestId('intensity-latest').getByText(`下降 ${latest.decline_rate_rounded}%`).waitFor();
  await page.getByTestId('carbon-intensity').locator('canvas').first().waitFor();
  await page.getByTestId('carbon-emissions').locator('canvas').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(failed, [], 'every request of the page answered');

  // the chart the page draws from these rows: bars from 0, the decline as the header has it
  const option = intensityOption(rows, { intensity: 'i', unit: 'u', decline: 'd' });
  assert.equal(option.yAxis[0].min, 0);
  assert.notEqual(option.yAxis[0].scale, true);
  const decline = option.series.find((x) => x.type === 'line');
  assert.equal(decline.data[decline.data.length - 1], latest.decline_rate_rounded);
  assert.equal(String(decline.data[decline.data.length - 1]), String(latest.decline_rate_rounded));

  // the table lists every year the chart shows (its first, the base of the next year's decline,
  // was missing: a bar for 2022 beside a table from 2023), each with the chart's intensity
  const chartYears = [...new Set(option.xAxis.data.map((x) => x.split('\n')[0]))];
  const table = page.getByTestId('intensity-years').locator('.el-table__body-wrapper tr');
  const tableYears = (await table.locator('td:first-child').allInnerTexts()).map((x) => x.trim());
  for (const y of chartYears) assert.ok(tableYears.includes(y), `the chart's ${y} is in the table (${tableYears.join(', ')})`);
  const base = table.filter({ has: page.getByTestId('base-year') }).first();
  await base.getByText('基期：下一年下降率的比较基准').waitFor();
  const baseYear = Number((await base.locator('td:first-child').innerText()).trim());
  const next = rows.find((x) => x.year === baseYear + 1);
  assert.equal((await base.locator('td').nth(1).innerText()).trim(), (+next.previous).toFixed(4));

  // by organisation: the use without one named in the console's language
  const byOrg = await apiGet(page, '/carbon/emissions?year=2024&by=organisation');
  const none = byOrg.groups.find((g) => g.key == null);
  assert.ok(none && none.organisation_id === null, 'the use without an organisation is null');
  const names = (table) => emissionsOption(byOrg.groups, (k) => k ?? table.dev.carbon.noOrgGroup).yAxis.data;
  assert.ok(names(en).includes('(no organisation)'));
  assert.ok(names(zh).includes('（未关联单位）'));
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.getByTestId('carbon-emissions').getByText(/^Total /).waitFor();
  const groupBy = page.getByTestId('carbon-emissions').locator('.el-select', { has: page.getByRole('combobox', { name: 'Group by' }) });
  await choose(page, groupBy, 'Enterprise');
  const chart = page.getByTestId('carbon-emissions').locator('.pj-chart');
  await chart.locator('canvas').first().waitFor();
  // the axis tooltip of each band names its group
  const box = await chart.boundingBox();
  const seen = new Set();
  for (let y = 34; y < box.height - 26; y += 8) {
    await page.mouse.move(box.x + 220, box.y + y);
    await page.waitForTimeout(60);
    seen.add((await chart.innerText()).split('\n')[0].trim());
  }
  assert.ok(seen.has('(no organisation)'), [...seen].join(' | '));
  assert.ok(![...seen].some((x) => /未关联/.test(x)), [...seen].join(' | '));
  await shot(page, '65-carbon-by-org-en');
  assert.deepEqual(failed, []);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the dialog offers the sectors the API takes (src/domain/carbon.c), each named in both languages', () => {
  const c = readFileSync(new URL('../../src/domain/carbon.c', import.meta.url), 'utf8');
  const m = /pj_carbon_sectors\[\]\s*=\s*\{([^}]*)\}/.exec(c);
  assert.ok(m, 'pj_carbon_sectors in carbon.c');
  const api = [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]);
  assert.deepEqual(SECTORS, api);
  for (const table of [zh, en]) for (const s of SECTORS) assert.equal(typeof table.dev.carbon.sectors[s], 'string', s);
});

// The year's records are asked of the server by year (the page read every record and kept the
// year's in the browser, so past its pages a year lost records without a word); a year with more
// records than the pages read says the list is not complete.
test('energy use: the page asks for the year, and a year longer than its pages says the list is not complete', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const year = 2024;
  const ofYear = await energyOf(page, year);
  const asked = [];
  page.on('request', (r) => {
    // the records' reads (the years looked at on opening, for the latest with use, ask one each)
    const u = new URL(r.url());
    if (/\/api\/v1\/carbon\/energy$/.test(u.pathname) && u.searchParams.get('limit') !== '1') asked.push(u.searchParams.get('year'));
  });
  await page.goto('/development/carbon');
  const card = page.getByTestId('energy-records');
  await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr').nth(ofYear.length - 1).waitFor();
  assert.ok(asked.length > 0 && asked.every((y) => y === String(year)), `every request names the year: ${asked}`);
  assert.equal(await card.getByTestId('energy-partial').count(), 0, 'a complete year says nothing');
  // pages of one record: the console reads at most 40 pages, fewer than the year's records
  assert.ok(ofYear.length > 40, 'the demo year has more records than 40 pages of one');
  await page.route(/\/api\/v1\/carbon\/energy\?/, (route) => {
    const u = new URL(route.request().url());
    u.searchParams.set('limit', '1');
    return route.continue({ url: u.toString() });
  });
  await page.reload();
  await card.getByTestId('energy-partial').getByText('本年记录超过 40 条，此处仅显示前 40 条，列表不完整').waitFor();
  assert.equal(await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr').count(), 40);
  await context.close();
});
