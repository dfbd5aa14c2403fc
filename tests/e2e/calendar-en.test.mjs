// The holiday calendar in English names the State Council's holidays in English (New Year's
// Day, Spring Festival…; a make-up working day as that of its holiday) in the months' runs, the
// days' titles and the list of days; they were shown in Chinese (元旦 1/1–1/3, 春节调休 2/14).
// A name of the officers' own stays as entered. In Chinese the names are as stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, DEMO_PW } from './lib.mjs';
import { holidayOf, HOLIDAY_NAMES, monthDay, monthDayRun } from '../../web/src/utils/calendar.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('holidayOf: the statutory names and their make-up days, nothing else', () => {
  assert.deepEqual(holidayOf('元旦'), { key: 'newYear', makeUp: false });
  assert.deepEqual(holidayOf('春节调休'), { key: 'springFestival', makeUp: true });
  assert.deepEqual(holidayOf(' 国庆节 '), { key: 'nationalDay', makeUp: false });
  for (const n of HOLIDAY_NAMES) assert.ok(holidayOf(n) && holidayOf(n + '调休').makeUp, n);
  for (const n of ['平谷桃花节', '调休', '', null, undefined, '春节调休调休']) assert.equal(holidayOf(n), null, String(n));
});

// a day without its year: 5/9 is 5月9日 in Chinese, but 5 September to a British reader
test('monthDay: "5/9" in Chinese, "9 May" in English; a run within a month names it once', () => {
  assert.equal(monthDay('2026-05-09', 'zh-CN'), '5/9');
  assert.equal(monthDay('2026-05-09', 'en'), '9 May');
  assert.equal(monthDay('2026-12-31', 'en'), '31 Dec');
  assert.deepEqual(monthDayRun('2026-04-04', '2026-04-06', 'en'), ['4', '6 Apr']);
  assert.deepEqual(monthDayRun('2026-09-30', '2026-10-08', 'en'), ['30 Sep', '8 Oct']);
  assert.deepEqual(monthDayRun('2026-04-04', '2026-04-06', 'zh-CN'), ['4/4', '4/6']);
});

describe('the holiday calendar', () => {
  test('in English: the holidays by their English names; in Chinese as stored', async () => {
    const { context, page } = await openPage(browser, { width: 1440, height: 900 });
    await context.addInitScript(() => localStorage.setItem('pj_locale', localStorage.getItem('pj_locale') || 'en'));
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/enterprise/calendar?year=2026');
    const runs = page.locator('.pj-month li');
    await runs.first().waitFor();
    const texts = await runs.allTextContents();
    assert.ok(texts.some((s) => /^New Year's Day 1(–\d+)? Jan$/.test(s.trim())), `runs: ${texts.join(' | ')}`);
    assert.ok(texts.some((s) => /Spring Festival/.test(s) && /make-up/i.test(s)), `runs: ${texts.join(' | ')}`);
    assert.deepEqual(texts.filter((s) => /[\u4e00-\u9fff]/.test(s)), [], 'Chinese holiday names in the English calendar');
    const title = await page.locator('[data-day="2026-01-01"]').first().getAttribute('title');
    assert.match(title, /New Year's Day/);
    await shot(page, 'calendar-en');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    await page.reload();
    await runs.first().waitFor();
    const zh = await runs.allTextContents();
    assert.ok(zh.some((s) => s.trim().startsWith('元旦')) && zh.some((s) => s.trim().startsWith('春节调休')), `runs: ${zh.join(' | ')}`);
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
});
