// A holiday entered on the calendar page that falls on a planned reception day: the page says
// which reception day is now on a holiday and links to it; there the day is marked 需改期 in
// the year strip and the detail says 该日已非工作日，请改期, whose 改期 opens the edit form at its
// date picker; moved to the next working day, the mark is gone and the sign-ups stay. A make-up
// working day deleted on the calendar page under a planned reception day leaves that day on a
// Saturday off: the page says so as for a holiday entered (the delete named no day before).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, apiSend, beijingToday, plusDays, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The planned reception day of month mm ('06') in a year of its own, well ahead, that the other
// tests leave alone: its calendar entered and its days scheduled by the page's district user.
async function plannedDay(page, mm) {
  const year = Number(beijingToday().slice(0, 4)) + 5;
  if (!(await apiGet(page, `/enterprise/calendar?year=${year}`)).items.length)
    await apiSend(page, 'post', '/enterprise/calendar', { day: `${year}-01-01`, kind: 'holiday', name: '元旦' });
  await apiSend(page, 'post', '/enterprise/reception-days', { year });
  const days = (await apiGet(page, '/enterprise/reception-days?limit=500')).items;
  return { year, day: days.find((d) => d.held_on.startsWith(`${year}-${mm}`) && d.state === 'planned') };
}

describe('a reception day the calendar made a holiday', { timeout: budget(120000) }, () => {
  test('the calendar says so and links to the day, which is marked and moved by its date', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const { year, day } = await plannedDay(off.page, '06');
    assert.ok(day, 'the June reception day');
    assert.equal(day.not_workday, false);
    const org = (await apiGet(off.page, '/organisations?type=enterprise&limit=1')).items[0].id;
    await apiSend(off.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '端午期间物流', organisation_id: org });

    // the day becomes a holiday on the calendar page
    await off.page.goto(`/enterprise/calendar?year=${year}`);
    await off.page.getByTestId('cal-add').click();
    const dlg = off.page.getByTestId('cal-dialog');
    const from = dlg.getByTestId('cal-from').locator('input');
    await from.fill(day.held_on);
    await from.press('Enter');
    await dlg.getByTestId('cal-name').locator('input').fill('端午节');
    await dlg.getByTestId('cal-save').click();
    await off.page.getByText('已保存 1 天').waitFor();
    const note = off.page.getByTestId('cal-to-move');
    await note.getByText('以下接待日已非工作日，请改期').waitFor();
    const said = await note.textContent();
    assert.ok(said.includes(`${day.held_on} 接待日`) && said.includes('已有 1 家企业报名'), said);
    await shot(off.page, 'reception-holiday-calendar');
    await note.getByTestId('cal-to-move-link').click();

    // the day's page: picked, marked in the strip and in the detail
    await off.page.waitForURL(new RegExp(`/enterprise/reception-days\\?.*day=${day.id}`));
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText(`${day.held_on} 接待日`).waitFor();
    const strip = off.page.getByTestId('reception-calendar');
    await strip.locator(`[data-day="${day.held_on}"]`).getByTestId('day-not-workday').getByText('需改期').waitFor();
    assert.equal(await strip.getByTestId('day-not-workday').count(), 1, 'only the day on the holiday');
    const warn = detail.getByTestId('reception-not-workday');
    await warn.getByText('该日已非工作日，请改期', { exact: false }).waitFor();
    assert.ok((await warn.textContent()).includes(`${day.held_on} 已非工作日`));
    assert.equal((await apiGet(off.page, `/enterprise/reception-days/${day.id}`)).not_workday, true);
    await shot(off.page, 'reception-holiday-marked');

    // 改期: the edit form, its date picker focused; the next day (a Tuesday) is a working day
    await warn.getByTestId('reception-move-now').click();
    const picker = detail.locator('.el-date-editor input').first();
    await picker.waitFor();
    await off.page.waitForFunction(() => document.activeElement?.closest('.el-date-editor'));
    const target = plusDays(day.held_on, 1);
    await picker.fill(target);
    await picker.press('Enter');
    await detail.getByTestId('reception-save').click();
    await detail.getByText(`${target} 接待日`).waitFor();
    await detail.getByTestId('reception-moved').waitFor();
    assert.equal(await detail.getByTestId('reception-not-workday').count(), 0, 'no longer to move');
    assert.equal(await strip.getByTestId('day-not-workday').count(), 0);
    const now = await apiGet(off.page, `/enterprise/reception-days/${day.id}`);
    assert.equal(now.held_on, target);
    assert.equal(now.not_workday, false);
    assert.equal(now.signup_count, 1, 'the sign-up stays');
    await shot(off.page, 'reception-holiday-moved');
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });

  test('a make-up working day deleted under a planned reception day: the calendar says to move it', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const { year, day } = await plannedDay(off.page, '09');
    assert.ok(day, 'the September reception day');
    // its Saturday made a make-up working day, the reception day moved there, a firm signed up
    const sat = plusDays(day.first_monday, 5);
    assert.equal(new Date(sat + 'T00:00:00Z').getUTCDay(), 6);
    const made = await apiSend(off.page, 'post', '/enterprise/calendar', { day: sat, kind: 'workday', name: '国庆节调休' });
    assert.deepEqual(made.reception_days_to_move, []);
    const moved = await apiSend(off.page, 'patch', `/enterprise/reception-days/${day.id}`, { version: day.version, held_on: sat });
    assert.equal(moved.not_workday, false);
    const org = (await apiGet(off.page, '/organisations?type=enterprise&limit=1')).items[0].id;
    await apiSend(off.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '国庆前供货', organisation_id: org });

    // the make-up day deleted on the calendar page
    await off.page.goto(`/enterprise/calendar?year=${year}`);
    const row = off.page.getByTestId('cal-table').locator('tr', { has: off.page.getByTestId('cal-row-day').getByText(sat, { exact: true }) });
    await row.getByTestId('cal-remove').click();
    const box = off.page.locator('.el-message-box');
    await box.getByRole('button', { name: '删除' }).click();
    await off.page.getByText(`已删除 ${sat}`).waitFor();
    const note = off.page.getByTestId('cal-to-move');
    await note.getByText('以下接待日已非工作日，请改期').waitFor();
    const said = await note.textContent();
    assert.ok(said.includes(`${sat} 接待日（原定 ${day.first_monday}）`) && said.includes('已有 1 家企业报名'), said);
    assert.equal(await note.getByTestId('cal-to-move-link').count(), 1);
    assert.equal((await apiGet(off.page, `/enterprise/reception-days/${day.id}`)).not_workday, true);
    await shot(off.page, 'reception-holiday-workday-deleted');
    await note.getByTestId('cal-to-move-link').click();
    await off.page.waitForURL(new RegExp(`/enterprise/reception-days\\?.*day=${day.id}`));
    await off.page.getByTestId('reception-detail').getByTestId('reception-not-workday').waitFor();
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });
});
