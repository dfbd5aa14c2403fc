// Tap targets on a phone (375×667): the alert cards' 确认 / 办结 were 48×24 px, 4 px apart, the
// elder's name 24 px high, the header's user menu 34×14 and 退出登录 26×32 px side by side — a
// slip from one landed on the other. Now 44 px high (the quick entry's own size), apart, and
// the page still does not scroll sideways.
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

const box = async (loc) => {
  const b = await loc.boundingBox();
  assert.ok(b, 'shown');
  return b;
};

test('phone: alert card buttons, the elder link and the header controls are a finger\'s size', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, { width: 375, height: 667 }, { hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/elder-alerts');
  const card = page.getByTestId('alert-table').locator('.pj-acard', { has: page.getByTestId('ack') }).first();
  await card.waitFor();
  const ack = await box(card.getByTestId('ack'));
  const resolve = await box(card.getByTestId('resolve'));
  for (const [name, b] of [['确认', ack], ['办结', resolve]]) {
    assert.ok(b.height >= 44 && b.width >= 64, `${name} ${b.width}×${b.height}`);
  }
  const gap = resolve.y === ack.y ? resolve.x - (ack.x + ack.width) : resolve.y - (ack.y + ack.height);
  assert.ok(gap >= 8, `确认 and 办结 ${gap} px apart`);
  const who = await box(card.getByTestId('alert-who'));
  assert.ok(who.height >= 44, `the elder's link ${who.height} px high`);
  const user = await box(page.locator('.pj-user'));
  const out = await box(page.getByTestId('logout'));
  assert.ok(user.width >= 44 && user.height >= 44, `user menu ${user.width}×${user.height}`);
  assert.ok(out.width >= 44 && out.height >= 44, `logout ${out.width}×${out.height}`);
  assert.ok(out.x >= user.x + user.width, 'side by side, not overlapping');
  assert.ok(out.x + out.width <= 375, 'logout on the screen');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, 'no sideways scroll');
  await shot(page, 'tap-targets-alerts');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('phone: the elder cards\' 查看 and 编辑, the helpers\' actions and the elder page\'s buttons are a finger\'s size', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, { width: 375, height: 667 }, { hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/elders');
  const card = page.locator('.pj-ecard').first();
  await card.waitFor();
  // they were 32×24 and 12 px apart, the name 24 px high
  const view = await box(card.locator('.pj-ecard-foot').getByRole('link', { name: '查看' }));
  const edit = await box(card.locator('.pj-ecard-foot').getByRole('link', { name: '编辑' }));
  assert.ok(view.height >= 44 && edit.height >= 44, `查看 ${view.height}, 编辑 ${edit.height} px high`);
  assert.ok(edit.x - (view.x + view.width) >= 16, `查看 and 编辑 ${edit.x - (view.x + view.width)} px apart`);
  const name = await box(card.locator('.pj-ecard-head .pj-name'));
  assert.ok(name.height >= 44, `the name ${name.height} px high`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, 'no sideways scroll');
  const elderId = await card.getAttribute('data-elder');
  // the filters fold behind 筛选: the first elder on the first screen (at y≈556 of 667 before)
  assert.ok((await box(card)).y < 667 / 2, `the first card at y ${(await box(card)).y}`);
  assert.equal(await page.getByTestId('filter-due').isVisible(), false, 'the filters folded');
  await page.getByTestId('filters-toggle').click();
  await page.getByTestId('filter-due').click();
  await page.getByRole('option', { name: '探访已逾期' }).click();
  await page.getByTestId('filters-toggle').getByText('筛选（1 项）').waitFor();
  await page.getByTestId('filters-toggle').click();
  assert.equal(await page.getByTestId('filter-due').isVisible(), false, 'folded again, the filter kept');
  await page.waitForURL((u) => u.searchParams.get('due') === 'overdue');

  await page.goto('/helpers');
  const hview = page.locator('.el-table__fixed-right, .el-table__body').getByRole('link', { name: '查看' }).first();
  await hview.waitFor();
  assert.ok((await box(hview)).height >= 44, 'a helper\'s 查看 44 px high (28×20 before)');

  await page.goto(`/elders/${elderId}`);
  const reveal = page.getByTestId('reveal-numbers');
  await reveal.waitFor();
  assert.ok((await box(reveal)).height >= 44, '显示完整号码 44 px high (24 before)');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, 'no sideways scroll');
  await shot(page, 'tap-targets-elder');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
