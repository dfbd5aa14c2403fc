// A past reception day still planned (never marked held or cancelled) whose date is a holiday:
// the API says not_workday, but the page showed nothing of it. It cannot be moved (a past day
// does not move), so it is tagged 原定日为节假日 in the year strip and its detail says so without
// 改期, in Chinese and in English; marked held, the tag is gone. On a server of its own: a year
// gone by is scheduled and a holiday entered on one of its days.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer } from './lib.mjs';

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

describe('a past planned reception day on a holiday', { timeout: 180000 }, () => {
  test('is tagged 原定日为节假日 with no 改期, for the district and a firm, in both languages', async () => {
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
    await cell.getByTestId('day-past-off-day').getByText('原定日为节假日').waitFor();
    await cell.getByTestId('day-past').getByText('已过').waitFor();
    assert.equal(await strip.getByTestId('day-past-off-day').count(), 1, 'only the day on the holiday');
    assert.equal(await strip.getByTestId('day-not-workday').count(), 0, 'not 需改期: a past day does not move');
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText('2001-03-05 接待日').waitFor();
    const note = detail.getByTestId('reception-past-off-day');
    await note.getByText('2001-03-05 为节假日（非工作日），该接待日已过，仍未标记召开或取消').waitFor();
    assert.match(await note.innerText(), /已过的接待日不能改期.*已召开.*已取消/);
    assert.equal(await detail.getByTestId('reception-not-workday').count(), 0);
    assert.equal(await detail.getByTestId('reception-move-now').count(), 0, 'no 改期');
    await shot(off.page, 'reception-past-off-day');

    // in English
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await off.page.reload();
    await cell.getByTestId('day-past-off-day').getByText('Planned on a day off').waitFor();
    await note.getByText('2001-03-05 is no working day; this past reception day is still not marked held or cancelled').waitFor();
    assert.match(await note.innerText(), /A past day cannot be rescheduled/);
    assert.equal(await detail.getByTestId('reception-move-now').count(), 0);
    await shot(off.page, 'reception-past-off-day-en');
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));

    // a firm is told the same, without the district's instruction
    const jd = await openPage(browser, undefined, { baseURL: own.base });
    await login(jd.page, 'jd', own.demoPw);
    await jd.page.goto(`/enterprise/reception-days?year=2001&day=${day.id}`);
    await jd.page.getByTestId('reception-calendar').locator('[data-day="2001-03-05"]').getByTestId('day-past-off-day').waitFor();
    const firmNote = jd.page.getByTestId('reception-past-off-day');
    await firmNote.getByText('原定日为节假日；该接待日已过，区里尚未标记召开或取消').waitFor();
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
});
