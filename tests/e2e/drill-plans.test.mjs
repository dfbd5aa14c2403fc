// The drill plan (演练计划) on the drills page: a district officer plans a hotel's epidemic drill,
// is told at the date when the same day is planned twice, starts the drill from the plan (the
// plan shows it running), sees an aborted drill give the plan back, cancels it; the dashboard's
// drills overdue say which facility's next drill is planned and open the plan's form for one
// that is not. In English, a township officer changes only plans of his township. The hotel's
// drill is aborted and its plan cancelled: the other files find the demo as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, choose, DEMO_PW, budget } from './lib.mjs';
import { addDays, beijingToday } from '../../web/src/utils/dualuse.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** A hotel in peacetime with an epidemic manual, no drill running and no drill plan. */
async function freeHotel(page) {
  const manuals = (await apiGet(page, '/manuals?scenario=epidemic&limit=500')).items;
  const planned = new Set((await apiGet(page, '/drill-plans?limit=500')).items.map((p) => p.facility_id));
  const running = new Set((await apiGet(page, '/conversions?state=running&limit=500')).items.map((c) => c.facility_id));
  for (const m of manuals.sort((a, b) => b.facility_id - a.facility_id)) {
    if (planned.has(m.facility_id) || running.has(m.facility_id)) continue;
    const f = await apiGet(page, `/facilities/${m.facility_id}`);
    if (f.type === 'hotel' && f.state === 'peacetime') return f;
  }
  return null;
}

describe('drill plans', { timeout: budget(150000) }, () => {
  test('an officer plans a drill, starts it from the plan, gets it back on abort and cancels it', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    await login(page, 'officer', DEMO_PW);
    const hotel = await freeHotel(page);
    assert.ok(hotel, 'a hotel to plan');
    const day = addDays(beijingToday(), 21);
    await page.goto('/drills');
    const card = page.getByTestId('drill-plans');
    await card.getByRole('heading', { name: '演练计划' }).waitFor();
    // the demo's plans, soonest first
    const rows = card.getByTestId('drill-plan-table').locator('.el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    const dates = await rows.locator('td:first-child').allInnerTexts();
    assert.ok(dates.length >= 8, 'the demo plans eight drills');
    assert.deepEqual([...dates].sort(), dates, 'soonest first');
    // the calendar: the open plans per month, its data said as text
    const cal = card.getByTestId('drill-plan-calendar');
    await cal.waitFor();
    assert.match(await cal.getAttribute('aria-label'), /未来一年每月计划的演练/);

    // a new plan
    await card.getByTestId('drill-plan-add').click();
    const dlg = page.getByTestId('drill-plan-dialog');
    await dlg.getByTestId('drill-plan-facility').locator('input').fill(hotel.name);
    await page.locator('.el-select-dropdown__item', { hasText: hotel.name }).first().click();
    await choose(page, dlg.getByTestId('drill-plan-scenario'), '平疫');
    const date = dlg.locator('.el-form-item', { hasText: '计划日期' }).locator('input').first();
    await date.fill(day);
    await date.press('Enter');
    await dlg.getByTestId('drill-plan-note').fill('年度演练');
    await dlg.getByTestId('drill-plan-save').click();
    await page.getByText(`已为${hotel.name}排定 ${day} 的演练`).waitFor();
    const mine = card.getByTestId('drill-plan-table').locator('tr', { hasText: hotel.name });
    await mine.getByTestId('drill-plan-status').getByText('待举行').waitFor();
    const [plan] = (await apiGet(page, `/drill-plans?facility_id=${hotel.id}`)).items;
    assert.equal(plan.planned_date, day);
    assert.equal(plan.note, '年度演练');
    await shot(page, 'drill-plans');
    // the same day again: said at the date
    await card.getByTestId('drill-plan-add').click();
    await dlg.getByTestId('drill-plan-facility').locator('input').fill(hotel.name);
    await page.locator('.el-select-dropdown__item', { hasText: hotel.name }).first().click();
    await choose(page, dlg.getByTestId('drill-plan-scenario'), '平疫');
    await date.fill(day);
    await date.press('Enter');
    await dlg.getByTestId('drill-plan-save').click();
    await dlg.locator('.el-form-item__error').getByText('该设施本场景在这一天已有演练计划').waitFor();
    await dlg.getByRole('button', { name: '取消', exact: true }).click();
    assert.equal((await apiGet(page, `/drill-plans?facility_id=${hotel.id}`)).items.length, 1);

    // from the plan to the start: the drill is held under the plan
    await mine.getByTestId('drill-plan-start').click();
    await page.waitForURL((u) => u.searchParams.get('facility_id') === String(hotel.id));
    await page.getByTestId('start-scenario').getByText('平疫').waitFor();
    await page.getByTestId('start-drill').click();
    await page.waitForURL(/\/conversions\/\d+$/);
    const drill = Number(page.url().match(/conversions\/(\d+)/)[1]);
    await page.goto(`/drills?facility_id=${hotel.id}`);
    const held = page.getByTestId('drill-plans').locator('tr', { hasText: hotel.name });
    await held.getByTestId('drill-plan-status').getByText('演练中').waitFor();
    await held.getByTestId('drill-plan-drill').getByText('打开').waitFor();
    assert.equal(await held.getByTestId('drill-plan-edit').count(), 0, 'a plan held by a drill is kept');
    // aborted: the plan is open again
    await apiSend(page, 'post', `/conversions/${drill}/abort`, { reason: '测试：演练计划' });
    await page.reload();
    await held.getByTestId('drill-plan-status').getByText('待举行').waitFor();

    // cancelled: gone from the open plans, shown with those held or cancelled
    await held.getByTestId('drill-plan-cancel').click();
    await page.locator('.el-message-box').getByRole('button', { name: '取消计划' }).click();
    await page.getByText('演练计划已取消').waitFor();
    await page.getByTestId('drill-plans').getByText('暂无待办的演练计划').waitFor();
    await page.getByTestId('drill-plans').getByText('含已举行和已取消（1）').click();
    await held.getByTestId('drill-plan-status').getByText('已取消').waitFor();

    // the dashboard: a planned facility says its day; another opens the plan's form
    const ov = await apiGet(page, '/overview?scenario=epidemic');
    const shown = ov.drills_overdue.slice(0, 8);
    const withPlan = shown.find((d) => d.planned_date);
    const without = shown.find((d) => !d.planned_date);
    assert.ok(withPlan && without, 'the first drills overdue: planned and not');
    await page.goto('/?scenario=epidemic');
    const due = page.getByTestId('drills-overdue');
    await due.locator('li', { hasText: withPlan.facility_name }).getByTestId('overdue-planned').getByText(`已排期 ${withPlan.planned_date}`).waitFor();
    await due.locator('li', { hasText: without.facility_name }).getByTestId('overdue-plan').click();
    await page.waitForURL((u) => u.pathname === '/drills' && u.searchParams.get('plan') === 'epidemic');
    await dlg.getByTestId('drill-plan-scenario').getByText('平疫').waitFor();
    await dlg.getByTestId('drill-plan-facility').getByText(without.facility_name).waitFor();
    noProblems(page);
    await context.close();
  });

  test('in English, a township officer changes only his township\'s plans', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    await page.goto('/drills');
    const card = page.getByTestId('drill-plans');
    await card.getByRole('heading', { name: 'Drill plan' }).waitFor();
    const plans = (await apiGet(page, '/drill-plans?state=planned&limit=500')).items.filter((p) => p.status === 'planned' || p.status === 'overdue');
    const other = plans.find((p) => p.township_id !== me.township_id);
    assert.ok(other, 'a plan of another township');
    const row = card.locator('tr', { hasText: other.facility_name });
    await row.getByTestId('drill-plan-status').getByText('Planned').waitFor();
    assert.equal(await row.getByTestId('drill-plan-edit').count(), 0, 'no change of another township\'s plan');
    assert.equal(await row.getByTestId('drill-plan-start').count(), 0, 'no start there either');
    await card.getByTestId('drill-plan-add').getByText('Plan a drill').waitFor();
    // a plan saved without its day: the form says so by the field's label, not the API's name
    await card.getByTestId('drill-plan-add').click();
    const dlg = page.getByTestId('drill-plan-dialog');
    await dlg.getByTestId('drill-plan-save').click();
    await dlg.getByText('Planned date is required').waitFor();
    assert.equal(await dlg.getByText(/planned_date/i).count(), 0, 'no API field name in the form');
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    noProblems(page);
    await context.close();
  });
});
