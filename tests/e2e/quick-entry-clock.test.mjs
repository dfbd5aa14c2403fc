// The quick entry's times that the page fills in ("the last 30 minutes") are taken when the
// visit is saved, by the server's clock: they were taken once, when the page was opened (or the
// last visit saved), and from the phone's clock — a page open two hours logged the visit two
// hours early, and a phone 8 minutes fast had every entry refused as in the future. The times
// filled in are now sent as a quick entry line of minutes without times (the server dates it by
// its clock, and lays a helper's round back to back); times the user typed are sent as typed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PHONE = { width: 375, height: 667 };
const MIN = 60000;

/** A phone whose clock is off by globalThis.__off ms (changed by the test as it goes). */
async function phone(offMs) {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true, timezoneId: 'Asia/Shanghai' });
  await context.addInitScript((off) => {
    const RD = Date;
    globalThis.__off = off;
    class D extends RD {
      constructor(...a) {
        if (a.length === 0) super(RD.now() + globalThis.__off);
        else super(...a);
      }
      static now() {
        return RD.now() + globalThis.__off;
      }
    }
    globalThis.Date = D;
  }, offMs);
  return { context, page };
}

/** picks the n-th elder of the list (one the other tests leave alone: a second visit of the same
 * kind and time would be refused as a duplicate), the kind, and saves */
async function pickAndSave(page, n, kind = 'companionship') {
  await page.getByTestId('entry-elders').locator('[data-elder]').nth(n).tap();
  await page.getByTestId('entry-elder').waitFor();
  await page.locator(`[data-kind="${kind}"]`).tap();
  const posted = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/service-logs' && r.method() === 'POST');
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/service-logs' && r.request().method() === 'POST');
  await page.getByTestId('entry-save').tap();
  const body = JSON.parse((await posted).postData());
  const res = await answered;
  const answer = res.ok() ? await res.json() : null;
  // the line filled in: its minutes, no times; the log as the server dated it
  const sent = body.entries ? body.entries[0] : body;
  const log = answer && answer.items ? answer.items[0] : answer;
  return { body: sent, log, status: res.status(), at: Date.now() };
}

// (20 minutes: within the session's 30 idle minutes, which the page's clock also counts)
test('a page opened 20 minutes ago logs the visit as the last 30 minutes before the save', { timeout: budget(120000) }, async () => {
  const { context, page } = await phone(-20 * MIN);
  await login(page, 'grid01', DEMO_PW);
  // the world 20 minutes ago: the phone's clock and the server's answers agree on it
  await page.route('**/api/v1/**', async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, headers: { ...res.headers(), date: new Date(Date.now() - 20 * MIN).toUTCString() } });
  });
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').first().waitFor();
  await page.waitForTimeout(500);
  const opened = await page.getByTestId('time-out').inputValue();
  // 20 minutes later, the visit is logged
  await page.unrouteAll({ behavior: 'wait' });
  await page.evaluate(() => (globalThis.__off = 0));
  const { body, log, status, at } = await pickAndSave(page, 4);
  assert.equal(status, 201);
  assert.equal(body.minutes, 30);
  assert.equal(body.time_in, undefined, 'no times of the page sent');
  const out = Date.parse(log.time_out);
  assert.ok(Math.abs(out - at) < 2 * MIN, `time_out ${log.time_out} is the save's minute (page opened with ${opened} Beijing)`);
  assert.equal(Date.parse(log.time_out) - Date.parse(log.time_in), 30 * MIN);
  await context.close();
});

test('a phone 8 minutes fast: the times filled in are the server\'s, saved, and the skew is said', { timeout: budget(120000) }, async () => {
  const { context, page } = await phone(8 * MIN);
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').first().waitFor();
  const { body, log, status, at } = await pickAndSave(page, 5);
  assert.equal(status, 201, 'not refused as in the future');
  assert.equal(body.time_out, undefined, "no times of the phone's clock sent");
  assert.ok(Math.abs(Date.parse(log.time_out) - at) < 2 * MIN, `time_out ${log.time_out} by the server's clock`);
  await page.getByTestId('clock-skew').getByText('手机时间比服务器快 8 分钟', { exact: false }).waitFor();
  await shot(page, 'quick-entry-clock-skew');
  // a shortcut button: also the server's clock
  await page.getByRole('button', { name: '最近 60 分钟' }).tap();
  const { body: b2, log: l2, status: s2, at: at2 } = await pickAndSave(page, 5, 'cleaning');
  assert.equal(s2, 201);
  assert.equal(b2.minutes, 60);
  assert.ok(Math.abs(Date.parse(l2.time_out) - at2) < 2 * MIN && Date.parse(l2.time_out) - Date.parse(l2.time_in) === 60 * MIN);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('times typed by the user are sent as typed, not replaced at the save', { timeout: budget(120000) }, async () => {
  const { context, page } = await phone(0);
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').nth(6).tap();
  await page.getByTestId('entry-elder').waitFor();
  const beijing = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 16);
  const start = Date.now() - 3 * 3600000;
  await page.getByTestId('time-in').fill(beijing(start));
  await page.getByTestId('time-out').fill(beijing(start + 45 * MIN));
  assert.equal(await page.getByTestId('times-auto').count(), 0, 'no longer said to be filled in');
  const posted = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/service-logs' && r.method() === 'POST');
  await page.getByTestId('entry-save').tap();
  const body = JSON.parse((await posted).postData());
  assert.equal(body.time_in.slice(0, 16), new Date(start).toISOString().slice(0, 16));
  assert.equal(Date.parse(body.time_out) - Date.parse(body.time_in), 45 * MIN);
  await context.close();
});
