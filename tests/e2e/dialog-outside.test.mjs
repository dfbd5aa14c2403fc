// On a phone a tap outside a dialog is how the keyboard is put away: the alert's 办结 dialog
// closed on it and dropped the typed note. Write dialogs now stay open (closed by 取消 or ×).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('办结预警 on a phone: a tap outside the dialog keeps it and its note', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, { width: 375, height: 667 }, { hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/elder-alerts');
  await page.getByTestId('alert-table').getByTestId('resolve').first().tap();
  const dlg = page.getByRole('dialog', { name: '办结预警' });
  const note = '已上门核实，老人由女儿接去城区居住';
  await dlg.getByTestId('alert-note').fill(note);
  const box = await dlg.boundingBox();
  // below the dialog, on the dimmed page
  await page.touchscreen.tap(187, Math.min(660, box.y + box.height + 60));
  await page.waitForTimeout(600);
  assert.ok(await dlg.isVisible(), 'the dialog stays open');
  assert.equal(await dlg.getByTestId('alert-note').inputValue(), note, 'the note is kept');
  await shot(page, 'dialog-outside-tap');
  await dlg.getByRole('button', { name: '取消' }).tap();
  await dlg.waitFor({ state: 'hidden' });
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('企间合作 请求联系: a click outside the dialog keeps it and the message', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW, { land: false });
  const own = (await apiGet(page, '/auth/me')).organisation_id;
  const posts = (await apiGet(page, '/enterprise/coop-posts?limit=20')).items;
  const i = posts.findIndex((p) => p.organisation_id !== own && p.state === 'open');
  assert.ok(i >= 0, 'an open post of another firm');
  await page.goto('/enterprise/cooperation');
  await page.getByTestId('coop-open').nth(i).click();
  await page.getByTestId('coop-matches').getByRole('button', { name: '请求联系' }).first().click();
  const dlg = page.getByRole('dialog', { name: '请求联系' });
  await dlg.getByTestId('coop-ask-message').fill('想了解供货');
  const box = await dlg.boundingBox();
  await page.mouse.click(Math.max(5, box.x - 40), Math.max(5, box.y - 20));
  await page.waitForTimeout(600);
  assert.ok(await dlg.isVisible(), 'the dialog stays open');
  assert.equal(await dlg.getByTestId('coop-ask-message').inputValue(), '想了解供货', 'the message is kept');
  await dlg.getByRole('button', { name: '取消' }).click();
  await dlg.waitFor({ state: 'hidden' });
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
