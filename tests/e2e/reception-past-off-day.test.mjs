// A past reception day still planned (never marked held or cancelled) whose date is a holiday:
// the API says not_workday, but the page showed nothing of it. It is tagged 接待日当天为非工作日
// in the year strip. The server moves a day to a date of its month from today on, so while the
// day's month is not over (Beijing) its detail says it can still be rescheduled, with 改期 and
// the date field (the page said it could not, steering the district to cancel it, which tells
// every firm signed up); once its month is over it says so without 改期, in Chinese and in
// English; marked held, the tag is gone. On a server of its own: a year gone by is scheduled and
// a holiday entered on one of its days; for the month not over, the browser's clock is set
// within a month of a year ahead, as the server moves days only to dates not past.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, budget } from './lib.mjs';

let browser, own;
before(async () => {
  browser = await launch();
  own = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '300' } });
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

async function api(page, method, p, data) {
  const res = await page.request.fetch(`${own.base}/api/v1${p}`, { method, data });
  const body = res.status() === 204 ? null : await res.json();
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

describe('a past planned reception day on a holiday', { timeout: budget(180000) }, () => {
  test('its month over: tagged 接待日当天为非工作日 with no 改期, for the district and a firm, in both languages', async () => {
    const off = await openPage(browser, undefined, { baseURL: own.base });
    await login(off.page, 'officer', own.demoPw);
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2001-01-01', kind: 'holiday', name: '元旦' });
    const made = await api(off.page, 'POST', '/enterprise/reception-days', { year: 2001 });
    const day = made.created.find((d) => d.held_on === '2001-03-05');
    const april = made.created.find((d) => d.held_on === '2001-04-02');
    assert.ok(day && april, 'the first Mondays of March and April 2001');
    // the calendar makes the past day a holiday: not named to move (it no longer moves), flagged
    const set = await api(off.page, 'POST', '/enterprise/calendar', { day: '2001-03-05', kind: 'holiday', name: '调研' });
    assert.deepEqual(set.reception_days_to_move, []);
    assert.equal((await api(off.page, 'GET', `/enterprise/reception-days/${day.id}`)).not_workday, true);
    assert.equal((await api(off.page, 'GET', `/enterprise/reception-days/${april.id}`)).not_workday, false);

    await off.page.goto(`/enterprise/reception-days?year=2001&day=${day.id}`);
    const strip = off.page.getByTestId('reception-calendar');
    const cell = strip.locator('[data-day="2001-03-05"]');
    await cell.getByTestId('day-past-off-day').getByText('接待日当天为非工作日').waitFor();
    await cell.getByTestId('day-past').getByText('已过').waitFor();
    assert.equal(await strip.getByTestId('day-past-off-day').count(), 1, 'only the day on the holiday');
    assert.equal(await strip.getByTestId('day-not-workday').count(), 0, 'not 需改期: a past day does not move');
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText('2001-03-05 接待日').waitFor();
    const note = detail.getByTestId('reception-past-off-day');
    await note.getByText('2001-03-05 非工作日，该接待日已过，仍未标记召开或取消').waitFor();
    assert.match(await note.innerText(), /已过且当月已结束，不能再改期.*已召开.*已取消/);
    assert.equal(await detail.getByTestId('reception-not-workday').count(), 0);
    assert.equal(await detail.getByTestId('reception-move-now').count(), 0, 'no 改期');
    assert.doesNotMatch(await note.innerText(), /仍可改期/);
    // nor a date field in the edit form
    await detail.getByTestId('edit-reception').click();
    await detail.getByTestId('reception-save').waitFor();
    assert.equal(await detail.locator('.el-date-editor').count(), 0, 'no date field');
    await detail.getByRole('button', { name: '取消' }).click();
    await shot(off.page, 'reception-past-off-day');

    // in English
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await off.page.reload();
    await cell.getByTestId('day-past-off-day').getByText('Now on a day off').waitFor();
    await note.getByText('2001-03-05 is no working day; this past reception day is still not marked held or cancelled').waitFor();
    assert.match(await note.innerText(), /its month is over, so it can no longer be rescheduled/);
    assert.equal(await detail.getByTestId('reception-move-now').count(), 0);
    await shot(off.page, 'reception-past-off-day-en');
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));

    // a firm is told the same, without the district's instruction
    const jd = await openPage(browser, undefined, { baseURL: own.base });
    await login(jd.page, 'jd', own.demoPw);
    await jd.page.goto(`/enterprise/reception-days?year=2001&day=${day.id}`);
    await jd.page.getByTestId('reception-calendar').locator('[data-day="2001-03-05"]').getByTestId('day-past-off-day').waitFor();
    const firmNote = jd.page.getByTestId('reception-past-off-day');
    await firmNote.getByText('接待日当天为非工作日；该接待日已过，区里尚未标记召开或取消').waitFor();
    assert.deepEqual(jd.page.problems, []);
    await jd.context.close();

    // marked held, the day is no longer flagged
    await api(off.page, 'PATCH', `/enterprise/reception-days/${day.id}`, { version: day.version, state: 'held' });
    await off.page.reload();
    await cell.getByText('已召开').waitFor();
    assert.equal(await strip.getByTestId('day-past-off-day').count(), 0);
    assert.equal(await off.page.getByTestId('reception-past-off-day').count(), 0);
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });

  test('its month not over: 改期 and the date field, the day moved later in the month', async () => {
    const off = await openPage(browser, undefined, { baseURL: own.base });
    await login(off.page, 'officer', own.demoPw);
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2099-01-01', kind: 'holiday', name: '元旦' });
    const made = await api(off.page, 'POST', '/enterprise/reception-days', { year: 2099 });
    const day = made.created.find((d) => d.held_on === '2099-03-02');
    assert.ok(day, 'the first Monday of March 2099');
    const org = (await api(off.page, 'GET', '/organisations?type=enterprise&limit=1')).items[0].id;
    await api(off.page, 'POST', `/enterprise/reception-days/${day.id}/signups`, { topic: '用地指标', organisation_id: org });
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2099-03-02', kind: 'holiday', name: '调研' });
    // the browser on 2099-03-10 (Beijing): the day is past, its month is not over
    await off.page.clock.install({ time: new Date('2099-03-10T10:00:00+08:00') });
    await off.page.goto(`/enterprise/reception-days?year=2099&day=${day.id}`);
    const strip = off.page.getByTestId('reception-calendar');
    const cell = strip.locator('[data-day="2099-03-02"]');
    await cell.getByTestId('day-past-off-day').getByText('接待日当天为非工作日').waitFor();
    await cell.getByTestId('day-past').waitFor();
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText('2099-03-02 接待日').waitFor();
    const note = detail.getByTestId('reception-past-off-day');
    assert.match(await note.innerText(), /当月尚未结束，仍可改期.*本月今天或以后的一个工作日/);
    assert.doesNotMatch(await note.innerText(), /不能再改期/);
    await shot(off.page, 'reception-past-off-day-movable');

    // in English
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await off.page.reload();
    await cell.getByTestId('day-past-off-day').getByText('Now on a day off').waitFor();
    assert.match(await note.innerText(), /its month is not over, so it can still be rescheduled/);
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    await off.page.reload();
    await note.getByText('仍可改期', { exact: false }).waitFor();

    // a firm is told the district may still reschedule it
    const jd = await openPage(browser, undefined, { baseURL: own.base });
    await login(jd.page, 'jd', own.demoPw);
    await jd.page.clock.install({ time: new Date('2099-03-10T10:00:00+08:00') });
    await jd.page.goto(`/enterprise/reception-days?year=2099&day=${day.id}`);
    await jd.page.getByTestId('reception-past-off-day').getByText('接待日当天为非工作日；该接待日已过，区里仍可在本月内改期，或标记召开或取消').waitFor();
    assert.equal(await jd.page.getByTestId('reception-move-now').count(), 0);
    assert.deepEqual(jd.page.problems, []);
    await jd.context.close();

    // 改期: the edit form at its date field; the day moved to a later Monday of the month
    await note.getByTestId('reception-move-now').click();
    const picker = detail.locator('.el-date-editor input').first();
    await picker.waitFor();
    assert.equal(await detail.locator('.el-date-editor').count(), 1, 'the date field');
    await picker.fill('2099-03-16');
    await picker.press('Enter');
    await detail.getByTestId('reception-save').click();
    await detail.getByText('2099-03-16 接待日').waitFor();
    await detail.getByTestId('reception-notified').getByText('1', { exact: false }).waitFor();
    assert.equal(await detail.getByTestId('reception-past-off-day').count(), 0);
    assert.equal(await strip.getByTestId('day-past-off-day').count(), 0);
    const now = await api(off.page, 'GET', `/enterprise/reception-days/${day.id}`);
    assert.equal(now.held_on, '2099-03-16');
    assert.equal(now.state, 'planned');
    assert.equal(now.not_workday, false);
    assert.equal(now.signup_count, 1, 'the sign-up stays');
    await shot(off.page, 'reception-past-off-day-moved');
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });

  test('its month not over but no working day of it left: no 改期, marked held or cancelled', async () => {
    const off = await openPage(browser, undefined, { baseURL: own.base });
    await login(off.page, 'officer', own.demoPw);
    // 2099 was scheduled by the test before; April's day is on Monday 2099-04-06
    const days = await api(off.page, 'GET', '/enterprise/reception-days?limit=200');
    const day = days.items.find((d) => d.held_on === '2099-04-06');
    assert.ok(day, 'the first Monday of April 2099');
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2099-04-06', kind: 'holiday', name: '调研' });
    // the browser on Thursday 2099-04-30, the month's last day, made a holiday: nothing left
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2099-04-30', kind: 'holiday', name: '调休' });
    await off.page.clock.install({ time: new Date('2099-04-30T10:00:00+08:00') });
    await off.page.goto(`/enterprise/reception-days?year=2099&day=${day.id}`);
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText('2099-04-06 接待日').waitFor();
    const note = detail.getByTestId('reception-past-off-day');
    await note.getByTestId('reception-no-workday-left').getByText('本月已没有可改期的工作日', { exact: false }).waitFor();
    assert.equal(await note.getByTestId('reception-move-now').count(), 0, 'no 改期');
    await detail.getByTestId('edit-reception').click();
    await detail.getByTestId('reception-save').waitFor();
    assert.equal(await detail.locator('.el-date-editor').count(), 0, 'no date field');
    await detail.getByRole('button', { name: '取消' }).click();
    // a working day entered on the 30th (make-up work): 改期 again
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2099-04-30', kind: 'workday', name: '调休' });
    await off.page.reload();
    await note.getByTestId('reception-move-now').waitFor();
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });
});
