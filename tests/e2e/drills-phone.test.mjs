// On a phone the drills page's tables kept their actions column fixed on the right, over the
// facility's name ("峪口…", "南山…"): there it scrolls with the rest, as on the conversions page;
// on a laptop it stays fixed.
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

for (const [label, view, fixed] of [
  ['390 px: the actions scroll with the row; the facility name is whole', { width: 390, height: 844 }, false],
  ['1366 px: the actions column stays fixed', { width: 1366, height: 900 }, true],
]) {
  test(`drills page tables, ${label}`, { timeout: budget(60000) }, async () => {
    const { context, page } = await openPage(browser, view, view.width < 500 ? { hasTouch: true, isMobile: true } : {});
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/drills');
    for (const id of ['drill-plan-table', 'drill-table']) {
      const table = page.getByTestId(id);
      await table.locator('tbody tr').first().waitFor();
      const n = await table.locator('td.el-table-fixed-column--right').count();
      assert.equal(n > 0, fixed, `${id}: fixed actions column ${fixed ? 'kept' : 'gone'}`);
      if (!fixed) {
        // the first row's facility name shown whole (the demo plans overdue hotels' drills)
        const cell = table.locator('tbody tr').first().locator('td').filter({ hasText: /酒店|民宿|基地|中心|服务区|库/ }).first();
        const box = await cell.boundingBox();
        assert.ok(box && box.x + box.width <= view.width + 1, `${id}: the facility cell within the screen`);
      }
    }
    await shot(page, `drills-${view.width}`);
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
}
