// The emergency overview's live conversions say which site is over its deadline or behind its
// adopted plan: the overview carries deadline_minutes, over_deadline and behind_plan as the
// conversion itself shows them, and the dashboard tags such a row in Chinese and English. The
// figures are the server's; to see the tags on demand, the answer is marked for one row (the
// rest of it is the server's own).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('live conversions on the dashboard', { timeout: 120000 }, () => {
  test('each carries its deadline and plan standing; a row over its deadline and behind plan is tagged in both languages', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const ov = await apiGet(page, '/overview?scenario=epidemic');
    assert.ok(ov.live_conversions.length > 0, 'the demo has a live epidemic conversion');
    for (const row of ov.live_conversions) {
      const conv = await apiGet(page, `/conversions/${row.conversion_id}`);
      assert.equal(row.deadline_minutes, conv.deadline_minutes, `${row.facility_name}: deadline`);
      assert.equal(row.over_deadline, conv.over_deadline, `${row.facility_name}: over_deadline`);
      assert.equal(row.behind_plan, conv.progress.behind_plan, `${row.facility_name}: behind_plan`);
    }

    // the first row over its deadline and 2 steps behind its plan, the others neither
    const marked = ov.live_conversions[0];
    await page.route('**/api/v1/overview?*', async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      for (const r of json.live_conversions || []) {
        const it = r.conversion_id === marked.conversion_id;
        r.over_deadline = it;
        r.behind_plan = it ? 2 : 0;
      }
      await route.fulfill({ response: res, json });
    });
    const card = page.getByTestId('live-conversions');
    const row = card.locator('tr', { hasText: marked.facility_name });
    await page.goto('/?scenario=epidemic');
    await row.getByTestId('live-over-deadline').getByText('超出时限').waitFor();
    await row.getByTestId('live-behind-plan').getByText('落后计划 2 步').waitFor();
    assert.equal(await card.getByTestId('live-over-deadline').count(), 1, 'only the marked row');
    assert.equal(await card.getByTestId('live-behind-plan').count(), 1, 'only the marked row');

    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    await row.getByTestId('live-over-deadline').getByText('Over its deadline').waitFor();
    await row.getByTestId('live-behind-plan').getByText('Steps behind plan: 2').waitFor();
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    await context.close();
  });
});
