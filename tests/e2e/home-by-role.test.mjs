// A grid worker's log-in (and `/`) lands on the eldercare alerts of their grids, not on the
// facility overview (which showed none of their work, and made a phone fetch the charts, the
// facilities and the overview first); an enterprise user's on its firm's appeals (the overview
// of the district's emergency capacity told it "your role cannot view the conversions'
// overview"); the other roles still land on the overview.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('grid worker on a phone: log-in and / open 养老预警; no charts or facilities fetched', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, { width: 375, height: 667 }, { hasTouch: true, isMobile: true });
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await login(page, 'grid01', DEMO_PW);
  await page.waitForURL((u) => u.pathname === '/elder-alerts');
  await page.getByRole('heading', { name: '养老预警' }).waitFor();
  assert.ok(!fetched.some((p) => /echarts/.test(p) || p === '/api/v1/facilities' || p === '/api/v1/overview'), fetched.join(' '));
  await page.goto('/');
  await page.waitForURL((u) => u.pathname === '/elder-alerts');
  // the overview is still there from the menu
  await page.goto('/dashboard');
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('an enterprise user: log-in and / open its appeals; the overview still there from the menu', { timeout: budget(60000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW);
  await page.waitForURL((u) => u.pathname === '/enterprise/appeals');
  await page.getByTestId('appeal-table').waitFor();
  await page.goto('/');
  await page.waitForURL((u) => u.pathname === '/enterprise/appeals');
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: '平急总览' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('an officer still lands on the overview', { timeout: budget(60000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  await page.waitForURL((u) => u.pathname === '/dashboard');
  await page.goto('/');
  await page.waitForURL((u) => u.pathname === '/dashboard');
  await context.close();
});
