// 退出登录 with a visit typed and not logged: the page's question comes first, once, and the
// session ends only after 放弃并离开 — 继续填写 keeps a page that still saves (the session used to
// be ended first, two questions stacked, and every later save refused 401).
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

test('logout on a phone with a visit typed: one question first; 继续填写 keeps a working session', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await login(page, 'grid01', DEMO_PW);
  const logouts = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/auth/logout') logouts.push(r.method());
  });
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').first().tap();
  await page.getByTestId('entry-elder').waitFor();
  await page.getByTestId('entry-remarks').fill('误触退出测试');
  await page.getByTestId('logout').tap();
  const box = page.getByRole('dialog', { name: '放弃未保存的内容？' });
  await box.waitFor();
  await page.waitForTimeout(500);
  await shot(page, 'logout-unsaved-question');
  assert.equal(await page.locator('.el-message-box').count(), 1, 'one question');
  assert.deepEqual(logouts, [], 'the session is not ended before the answer');
  await box.getByRole('button', { name: '继续填写' }).tap();
  await box.waitFor({ state: 'hidden' });
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).pathname, '/service-entry');
  assert.equal(await page.locator('.el-message-box').count(), 0, 'no second question');
  assert.equal(await page.getByTestId('entry-remarks').inputValue(), '误触退出测试', 'the remark is kept');
  assert.deepEqual(logouts, [], 'still logged in');
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/service-logs' && r.request().method() === 'POST');
  await page.getByTestId('entry-save').tap();
  assert.equal((await saved).status(), 201, 'the page still saves');
  await page.getByTestId('recent-logs').waitFor();
  // typed again, then 放弃并离开: the login page, the session ended once
  await page.getByTestId('entry-remarks').fill('再次退出');
  await page.getByTestId('logout').tap();
  await box.waitFor();
  await box.getByRole('button', { name: '放弃并离开' }).tap();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.waitForTimeout(500);
  assert.deepEqual(logouts, ['POST'], 'logged out once');
  assert.equal(await page.locator('.el-message-box').count(), 0, 'no question left over');
  assert.equal((await page.request.get('/api/v1/auth/me')).status(), 401, 'the session is over');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('logout with nothing typed: straight to the login page, no question', { timeout: budget(60000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').first().waitFor();
  await page.getByTestId('logout').tap();
  await page.waitForURL((u) => u.pathname === '/login');
  assert.equal(await page.locator('.el-message-box').count(), 0);
  assert.equal((await page.request.get('/api/v1/auth/me')).status(), 401);
  await context.close();
});
