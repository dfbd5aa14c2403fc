// A conversion's card of overdue steps counts the open ones; once they were done, late, it read
// 超时步骤 0 beside steps tagged 超时完成, as if nothing had been late. The card says 超时未完成
// (Overdue, open) and, under it, how many steps were done late.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the overdue card counts the open steps and says how many were done late', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW, { land: false });
  // a finished drill with steps done late (the demo's drills: about a third over their limit)
  let conv = null;
  for (const c of (await apiGet(page, '/conversions?mode=drill&state=finished&limit=100')).items) {
    const full = await apiGet(page, `/conversions/${c.id}`);
    if (full.steps.some((s) => s.late)) {
      conv = full;
      break;
    }
  }
  assert.ok(conv, 'a finished drill with a step done late');
  const late = conv.steps.filter((s) => s.late).length;
  const open = conv.steps.filter((s) => s.overdue).length;
  await page.goto(`/conversions/${conv.id}`);
  const card = page.getByTestId('stat-overdue');
  await card.getByText('超时未完成').waitFor();
  assert.equal((await card.locator('.pj-stat-value').innerText()).trim(), String(open));
  assert.equal((await card.getByTestId('late-done').innerText()).trim(), `已超时完成 ${late} 步`);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await card.getByText('Overdue, open').waitFor();
  assert.equal((await card.getByTestId('late-done').innerText()).trim(), `${late} done late`);
  assert.deepEqual(page.problems, [], 'console errors');
  await context.close();
});
