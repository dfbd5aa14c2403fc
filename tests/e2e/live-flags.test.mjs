// The emergency overview's live conversions say which site is over its deadline or behind its
// adopted plan: the overview carries deadline_minutes, over_deadline and behind_plan as the
// conversion itself shows them, and the dashboard tags such a row in Chinese and English. The
// figures are the server's; to see the tags on demand, the answer is marked for one row (the
// rest of it is the server's own).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';
import { liveFirst, liveFlagged } from '../../web/src/utils/dualuse.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('live conversions on the dashboard', { timeout: budget(120000) }, () => {
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

  test('the rows that need the officer come first: over the deadline, behind the plan, overdue steps; the rest as given', () => {
    const rows = [
      { conversion_id: 1 },
      { conversion_id: 2, overdue_steps: 1 },
      { conversion_id: 3, behind_plan: 1 },
      { conversion_id: 4 },
      { conversion_id: 5, behind_plan: 2 },
      { conversion_id: 6, over_deadline: true },
    ];
    assert.deepEqual(
      liveFirst(rows).map((r) => r.conversion_id),
      [6, 5, 3, 2, 1, 4],
    );
    assert.equal(liveFlagged(rows), 4);
    assert.deepEqual(liveFirst(undefined), []);
    assert.equal(rows[0].conversion_id, 1, 'the rows given are left as they are');
  });

  test('sites behind the plan beyond the first eight rows are on the dashboard, and the list of conversions tags them', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const ov = await apiGet(page, '/overview?scenario=epidemic');
    const base = ov.live_conversions[0];
    // twelve rows in start order, the 10th and 12th behind the plan (the server's fields)
    const rows = Array.from({ length: 12 }, (_, i) => ({ ...base, conversion_id: base.conversion_id, facility_name: `场所${i + 1}号`, over_deadline: false, overdue_steps: 0, behind_plan: i === 9 ? 1 : i === 11 ? 2 : 0 }));
    await page.route('**/api/v1/overview?*', async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      json.live_conversions = rows;
      await route.fulfill({ response: res, json });
    });
    await page.goto('/?scenario=epidemic');
    const card = page.getByTestId('live-conversions');
    await card.getByTestId('live-flagged').getByText('2 项超时、落后计划或有超时步骤（排在最前）').waitFor();
    const names = await card.getByTestId('live-table').locator('tbody tr .pj-strong').allInnerTexts();
    assert.deepEqual(names.slice(0, 2), ['场所12号', '场所10号'], names.join(' '));
    assert.equal(await card.getByTestId('live-behind-plan').count(), 2);
    await card.getByTestId('live-more').getByText('另有 4 项').waitFor();

    // the list it links to: the conversion behind the plan is tagged as on the dashboard
    const list = await apiGet(page, '/conversions?mode=live&limit=20');
    const marked = list.items[0];
    await page.route('**/api/v1/conversions?*', async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      for (const r of json.items || []) r.progress = { ...r.progress, behind_plan: r.id === marked.id ? 2 : 0 };
      await route.fulfill({ response: res, json });
    });
    await page.goto('/conversions?mode=live');
    const row = page.getByTestId('conversion-table').locator('tr', { has: page.locator(`a[href="/conversions/${marked.id}"]`) }).first();
    await row.getByTestId('row-behind-plan').getByText('落后计划 2 步').waitFor();
    assert.equal(await page.getByTestId('conversion-table').getByTestId('row-behind-plan').count(), 1);
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    await context.close();
  });
});
