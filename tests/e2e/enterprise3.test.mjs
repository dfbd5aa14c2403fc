// The enterprise-service pages, third round. The KPI period includes the last day picked (a
// year is 1 January – 31 December; one day is that day, not a refused query).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW } from './lib.mjs';
import { kpiPeriod, kpiYear } from '../../web/src/utils/biz.js';
import { addDays } from '../../web/src/utils/calendar.js';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Beijing's

/** The two inputs of the KPI page's date range (the picker's own element in the page head). */
const rangeInputs = (page) => page.locator('.pj-page-head .el-range-editor input');
/** Types a period into the KPI page's date range and waits for the address to follow. */
async function pickPeriod(page, from, last) {
  const inputs = rangeInputs(page);
  await inputs.nth(0).fill(from);
  await inputs.nth(1).fill(last);
  await inputs.nth(1).press('Enter');
  await page.waitForURL(new RegExp(`from=${from}&to=${last}$`));
}

describe('enterprise services (3)', { timeout: 240000 }, () => {
  test('the KPI period: the days picked, both included → the API’s [from, to)', () => {
    assert.deepEqual(kpiPeriod(['2026-11-01', '2026-11-30']), { from: '2026-11-01', to: '2026-12-01' });
    assert.deepEqual(kpiPeriod(['2026-11-30', '2026-11-30']), { from: '2026-11-30', to: '2026-12-01' });
    assert.deepEqual(kpiPeriod(['2026-01-01', '2026-12-31']), { from: '2026-01-01', to: '2027-01-01' });
    assert.deepEqual(kpiYear(2026), ['2026-01-01', '2026-12-31']);
  });

  test('KPIs: the year is 1 January – 31 December; a month counts an appeal of its last day; one day is a period', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    // an appeal received today (Beijing): the last day of the period picked below
    const jd = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    await call(page, 'POST', '/enterprise/appeals', { organisation_id: jd.id, channel: 'phone', type: 'inquiry', category: 'tax', title: '考核期间末日受理（e2e）', description: '今天来电咨询。' });
    const d = today();
    const y = Number(d.slice(0, 4));
    await page.goto('/enterprise/kpis');
    await page.waitForURL(new RegExp(`from=${y}-01-01&to=${y}-12-31$`));
    const inputs = rangeInputs(page);
    await inputs.nth(1).waitFor();
    assert.equal(await inputs.nth(0).inputValue(), `${y}-01-01`);
    assert.equal(await inputs.nth(1).inputValue(), `${y}-12-31`, 'the year ends on 31 December');
    const yearK = await apiGet(page, `/enterprise/kpis?from=${y}-01-01&to=${y + 1}-01-01`);
    const appeals = page.getByTestId('kpi-appeals');
    await appeals.getByText(formatNumber(yearK.district.appeals, 'zh-CN'), { exact: true }).waitFor();

    // from the 1st of the month to today: today's appeal counts
    const first = d.slice(0, 8) + '01';
    await pickPeriod(page, first, d);
    const month = await apiGet(page, `/enterprise/kpis?from=${first}&to=${addDays(d, 1)}`);
    assert.ok(month.district.appeals >= 1, 'the API counts today’s appeal');
    await appeals.getByText(formatNumber(month.district.appeals, 'zh-CN'), { exact: true }).waitFor();
    assert.equal(await page.getByTestId('kpi-year').innerText().then((s) => /\d{4}/.test(s)), false, 'a period of its own, not a year');
    await shot(page, '42b-ent-kpis-month');

    // one day: today, no refused query, the tiles there
    await pickPeriod(page, d, d);
    const day = await apiGet(page, `/enterprise/kpis?from=${d}&to=${addDays(d, 1)}`);
    assert.ok(day.district.appeals >= 1);
    await appeals.getByText(formatNumber(day.district.appeals, 'zh-CN'), { exact: true }).waitFor();
    assert.equal(await page.locator('.el-alert--error').count(), 0, 'no error');
    await page.getByTestId('kpi-composite').waitFor();
    await shot(page, '42c-ent-kpis-day');

    // the year from the picker again: 1 January – 31 December
    await page.getByTestId('kpi-year').click();
    await page.getByRole('option', { name: String(y), exact: true }).click();
    await page.waitForURL(new RegExp(`from=${y}-01-01&to=${y}-12-31$`));
    assert.equal(await inputs.nth(1).inputValue(), `${y}-12-31`);
    noProblems(page);
    await context.close();
  });
});
