// 老人台账 → 待探访: the elders overdue for a visit, or due by today / within 7 days, as a filter
// (the server's visit_overdue / visit_due_by): a grid worker's round was 21 pages of cards in
// id order to read through. On a phone, kept in the URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, choose, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('老人台账 on a phone: 待探访 lists the overdue elders, then those due within 7 days', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 375, height: 667 }, { hasTouch: true, isMobile: true, timezoneId: 'Asia/Shanghai' });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/elders');
  await page.getByTestId('next-visit').first().waitFor();
  const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/elders' && new URL(r.url()).searchParams.get('visit_overdue') === '1');
  await page.getByTestId('filters-toggle').click(); // on a phone the filters are folded behind 筛选
  await choose(page, page.getByTestId('filter-due'), '探访已逾期');
  await asked;
  await page.waitForURL((u) => u.searchParams.get('due') === 'overdue');
  await page.waitForTimeout(500);
  const want = (await apiGet(page, '/elders?visit_overdue=1&limit=50')).items;
  assert.ok(want.length > 0, 'grid01 has overdue elders');
  assert.ok(want.every((e) => e.visit_overdue));
  const shown = page.getByTestId('next-visit');
  assert.equal(await shown.count(), want.length, 'only the overdue elders');
  assert.equal(await page.locator('.pj-overdue', { hasText: '逾期' }).count(), want.length, 'each marked overdue');
  await shot(page, 'elders-due-overdue');
  // this week's round: the overdue ones and those due within 7 days
  const week = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/elders' && new URL(r.url()).searchParams.has('visit_due_by'));
  await choose(page, page.getByTestId('filter-due'), '7 天内到期（含逾期）');
  const by = new URL((await week).url()).searchParams.get('visit_due_by');
  const today = new Date(Date.now() + 8 * 3600000);
  assert.equal(by, new Date(today.getTime() + 7 * 86400000).toISOString().slice(0, 10), 'today + 7, Beijing');
  await page.waitForTimeout(500);
  const dueWeek = (await apiGet(page, `/elders?visit_due_by=${by}&limit=50`)).items;
  assert.ok(dueWeek.length >= Math.min(50, want.length));
  const end = Date.parse(by + 'T16:00:00Z');
  assert.ok(dueWeek.every((e) => Date.parse(e.next_visit_due) < end));
  assert.equal(await shown.count(), dueWeek.length);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
