// A session that ends while a visit (or an alert's note) is typed and not saved: the save was
// refused 401, the console went to the login page and the typed work was lost. The same user
// now logs in again over the page, which is hidden meanwhile, and finds the work as it was;
// saved then. A page with nothing typed still goes to the login page.
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
/** the session ended on the server (as 30 idle minutes do), the page not told */
const endSession = (page) => page.evaluate(async () => (await fetch('/api/v1/auth/logout', { method: 'POST' })).status);

test('quick entry: a visit typed when the session ended is kept over a login in place, then saved', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  // an elder the other tests of the entry leave alone (a second companionship visit of the same
  // time would be refused as a duplicate)
  const first = page.getByTestId('entry-elders').locator('[data-elder]').nth(7);
  const elderId = await first.getAttribute('data-elder');
  await first.tap();
  await page.getByTestId('entry-elder').waitFor();
  await page.locator('[data-kind="companionship"]').tap();
  const remark = '老人血压偏高，已提醒按时服药，下周再来';
  await page.getByTestId('entry-remarks').fill(remark);
  assert.equal(await endSession(page), 204);
  const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/service-logs' && r.request().method() === 'POST');
  await page.getByTestId('entry-save').tap();
  assert.equal((await refused).status(), 401);
  const dlg = page.getByRole('dialog', { name: '请重新登录' });
  await dlg.waitFor();
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).pathname, '/service-entry', 'still on the page');
  assert.equal(await page.locator('.el-message-box').count(), 0, 'no question to drop the visit');
  assert.ok(!(await page.getByTestId('entry-remarks').isVisible()), 'the page is hidden until logged in');
  await shot(page, 'relogin-in-place');
  // a wrong password: said, still here
  await dlg.getByTestId('relogin-password').fill('not-the-password');
  await dlg.getByTestId('relogin-submit').tap();
  await dlg.locator('.el-form-item__error').waitFor();
  await dlg.getByTestId('relogin-password').fill(DEMO_PW);
  await dlg.getByTestId('relogin-submit').tap();
  await dlg.waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('entry-remarks').inputValue(), remark, 'the remark kept');
  assert.equal(await page.getByTestId('entry-elder').textContent(), await first.locator('b').textContent(), 'the elder kept');
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/service-logs' && r.request().method() === 'POST');
  await page.getByTestId('entry-save').tap();
  const res = await saved;
  assert.equal(res.status(), 201);
  // the times filled in: sent as a quick entry line ({entries:[…]}), answered {items:[log]}
  const body = await res.json();
  const log = body.items ? body.items[0] : body;
  assert.equal(log.remarks, remark);
  assert.equal(String(log.elder_id), elderId);
  assert.equal(log.kind, 'companionship');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('办结预警: a note typed when the session ended is kept over a login in place', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/elder-alerts');
  await page.getByTestId('alert-table').getByTestId('resolve').first().tap();
  const dlg = page.getByRole('dialog', { name: '办结预警' });
  const note = '已上门核实，老人由女儿接去城区居住';
  await dlg.getByTestId('alert-note').fill(note);
  assert.equal(await endSession(page), 204);
  await dlg.getByTestId('alert-confirm').tap();
  const again = page.getByRole('dialog', { name: '请重新登录' });
  await again.waitFor();
  assert.equal(new URL(page.url()).pathname, '/elder-alerts');
  await again.getByTestId('relogin-password').fill(DEMO_PW);
  await again.getByTestId('relogin-submit').tap();
  await again.waitFor({ state: 'hidden' });
  assert.equal(await dlg.getByTestId('alert-note').inputValue(), note, 'the note kept');
  const done = page.waitForResponse((r) => /\/api\/v1\/elder-alerts\/\d+\/resolve$/.test(new URL(r.url()).pathname));
  await dlg.getByTestId('alert-confirm').tap();
  assert.equal((await done).status(), 200);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('nothing typed: a session that ended goes to the login page as before', { timeout: budget(60000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').first().waitFor();
  await endSession(page);
  // a search (not a visit): refused 401
  await page.getByTestId('entry-search').fill('王');
  await page.getByTestId('entry-search').press('Enter');
  await page.waitForURL((u) => u.pathname === '/login');
  assert.equal(await page.getByRole('dialog', { name: '请重新登录' }).count(), 0);
  await context.close();
});
