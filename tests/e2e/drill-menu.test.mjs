// A drill's cockpit is the conversions' page, but a drill is kept under 演练管理: opened from
// there, the menu highlighted 转换驾驶舱 and the user seemed to have left the drills. The menu
// shows the drill's entry once the cockpit knows it is a drill, a live conversion's its own.
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

test("a drill's cockpit highlights 演练管理, a live conversion's 转换驾驶舱", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  const drill = (await apiGet(page, '/conversions?mode=drill&limit=1')).items[0];
  const live = (await apiGet(page, '/conversions?mode=live&limit=1')).items[0];
  assert.ok(drill && live, 'the demo has a drill and a live conversion');
  const active = () => page.getByTestId('console-menu').locator('.el-menu-item.is-active');
  await page.goto('/drills');
  await active().getByText('演练管理').waitFor();
  // from the drills' page into a drill's cockpit, by the list's link (a client-side route change)
  await page.getByTestId('drill-table').locator('tbody tr a').first().click();
  await page.waitForURL(/\/conversions\/\d+$/);
  const drillId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByTestId('stat-overdue').waitFor();
  await active().getByText('演练管理').waitFor();
  assert.equal(await active().count(), 1);
  // a live conversion, opened in the same page without a reload
  await page.evaluate((id) => {
    window.history.pushState({}, '', `/conversions/${id}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, live.id);
  await active().getByText('转换驾驶舱').waitFor();
  // back to the drill
  await page.goBack();
  await page.waitForURL(`**/conversions/${drillId}`);
  await active().getByText('演练管理').waitFor();
  assert.deepEqual(page.problems, [], 'console errors');
  await context.close();
});
