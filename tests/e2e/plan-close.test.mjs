// Standing a plan down when its crisis is over: the plan page offers 结束方案 to a district
// officer, asks for the reason (required), and the closed plan then counts no one as without a
// place; its site's conversion is aborted without the `occupied` confirmation; the plan list
// filters closed plans and shows them apart (greyed). The English page offers "Stand down".
// The test plans and adopts its own small plan (将军关村) and brings its site back to peacetime.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiPost, DEMO_PW, budget } from './lib.mjs';

const LAPTOP = { width: 1366, height: 900 };
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('standing a plan down', { timeout: budget(240000) }, () => {
  test('结束方案 asks for the reason; the closed plan houses no one and is listed apart', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const village = (await apiGet(page, '/regions?type=village&q=' + encodeURIComponent('将军关村'))).items[0];
    assert.ok(village, '将军关村 in the demo');
    const plan = await apiPost(
      page,
      '/plans?wait=1',
      {
        name: '将军关 结束方案测试',
        scenario: 'disaster',
        role: 'resettlement',
        affected: { village_ids: [village.id] },
        demand: { people: 20 },
        vulnerable: false,
        teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
        time_limit_s: 0.5,
      },
      201,
    );
    let adopted = null;
    try {
      adopted = await apiPost(page, `/plans/${plan.id}/adopt`, { confirm: true }, 200);
      assert.ok(adopted.conversions.length > 0, 'the plan converts a site');
      const c0 = adopted.conversions[0];
      // a draft offers no stand-down; the adopted plan does
      await page.goto(`/plans/${plan.id}`);
      await page.getByTestId('adopted').waitFor();
      await page.getByTestId('close-plan').click();
      let dlg = page.getByRole('dialog', { name: '结束方案' });
      await dlg.getByText('事态已结束，结束“将军关 结束方案测试”？', { exact: false }).waitFor();
      await dlg.getByRole('button', { name: '结束方案' }).click();
      await dlg.getByText('请填写结束原因').waitFor(); // the reason is required
      await shot(page, 'pc0-close-reason');
      await dlg.getByRole('button', { name: '取消' }).click();
      await dlg.waitFor({ state: 'hidden' });
      assert.equal((await apiGet(page, `/plans/${plan.id}`)).status, 'adopted', 'cancelled: nothing changed');
      await page.getByTestId('close-plan').click();
      dlg = page.getByRole('dialog', { name: '结束方案' });
      await dlg.locator('textarea').fill('汛情解除，安置人员已返家');
      await dlg.getByRole('button', { name: '结束方案' }).click();
      await page.getByTestId('plan-closed').waitFor();
      await page.locator('.el-message', { hasText: '方案已结束' }).first().waitFor();
      await page.getByTestId('plan-status').getByText('已结束').first().waitFor();
      // when, by whom and why, on the plan (not only in the audit)
      const closedBy = await page.getByTestId('plan-closed-by').innerText();
      assert.match(closedBy, /结束于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      assert.ok(closedBy.includes('：汛情解除，安置人员已返家'), closedBy);
      assert.equal(await page.getByTestId('close-plan').count(), 0, 'a closed plan is not closed again');
      assert.equal(await page.getByTestId('uncovered').count(), 0, 'no one is counted as without a place');
      assert.ok(!(await page.locator('.pj-page').innerText()).includes('暂无安置场所'));
      // its sites stay listed, each a link to its conversion, which goes on (they vanished once
      // the plan was closed, and with them the way to the conversions still to restore)
      const site = page.getByTestId('plan-closed').getByTestId('conversion-' + c0.conversion_id);
      await site.waitFor();
      await page.waitForFunction((id) => document.querySelector(`[data-testid="conversion-${id}"]`)?.dataset.state === 'converting', c0.conversion_id);
      await page.getByTestId('plan-closed').getByTestId('conversion-counts').getByText('转换中').waitFor();
      await shot(page, 'pc1-closed');
      const rows = (await apiGet(page, `/audit?entity=plan&entity_id=${plan.id}&limit=20`)).items || [];
      const row = rows.find((r) => r.action === 'close');
      assert.ok(row, 'the stand-down is audited');
      assert.equal(row.after.reason, '汛情解除，安置人员已返家');

      // a new plan for the same village: the stood-down plan's site, still converting, is no
      // candidate, and the new plan's page says so, naming the site, its state and that plan
      // (the plan did without it and said nothing)
      const again = await apiPost(page, '/plans?wait=1', { name: '将军关 再次规划', scenario: 'disaster', role: 'resettlement', affected: { village_ids: [village.id] }, demand: { people: 20 }, vulnerable: false, teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 }, time_limit_s: 0.5 }, 201);
      assert.ok(
        again.result.unavailable.some((u) => u.facility_id === c0.facility_id && u.plan_id === plan.id && u.state === 'converting'),
        JSON.stringify(again.result.unavailable),
      );
      await page.goto(`/plans/${again.id}`);
      const una = page.getByTestId('plan-unavailable');
      await una.getByText(/可达范围内另有 \d+ 个可供本方案选用的场所正在转换、急时使用或恢复中，未纳入本方案/).waitFor();
      const line = una.getByTestId('unavailable-' + c0.facility_id);
      await line.getByText('转换中').waitFor();
      assert.equal(await line.getByRole('link', { name: `（方案 #${plan.id}）` }).getAttribute('href'), `/plans/${plan.id}`);
      await shot(page, 'pc1b-unavailable');
      await apiPost(page, `/plans/${again.id}/close`, { reason: '测试结束' }, 200);

      // its site is not occupied any more: aborted without a confirmation
      await apiPost(page, `/conversions/${c0.conversion_id}/abort`, { reason: '汛情解除' }, 200);
      await page.goto(`/plans/${plan.id}`);
      await page.getByTestId('plan-closed').waitFor();
      await page.waitForFunction((id) => document.querySelector(`[data-testid="conversion-${id}"]`)?.dataset.state === 'aborted', c0.conversion_id);
      assert.ok(!(await page.locator('.pj-page').innerText()).includes('暂无安置场所'));
      // opened afresh, a closed plan is shown in full as a solved one (it was taken for one
      // without a result: no comparison offered, no conversions or shipments loaded)
      await page.getByTestId('compare-with').waitFor();

      // the list: filtered, greyed, no one without a place
      await page.goto('/plans?status=closed');
      const listRow = page.locator('tr.pj-plan-closed', { hasText: plan.name });
      await listRow.waitFor();
      assert.equal(await listRow.getByTestId('row-gone').count(), 0);
      await listRow.getByTestId('plan-status').getByText('已结束').waitFor();
      // when it was adopted and when it ended, each named (the adoption's time stood alone)
      const when = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.source;
      assert.match((await listRow.getByTestId('row-adopted').innerText()).trim(), new RegExp('^采纳于 ' + when));
      assert.match((await listRow.getByTestId('row-closed').innerText()).trim(), new RegExp('^结束于 ' + when));
      await page.goto('/plans');
      await page.locator('tr.pj-plan-closed', { hasText: plan.name }).waitFor();
      await shot(page, 'pc2-list');
      noProblems(page);

      // English: the status and the notice
      await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
      await page.goto(`/plans/${plan.id}`);
      await page.getByTestId('plan-closed').getByText('Plan stood down', { exact: false }).waitFor();
      await page.getByTestId('plan-status').getByText('Closed').first().waitFor();
      await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    } finally {
      for (const c of adopted?.conversions || []) {
        const cv = await apiGet(page, `/conversions/${c.conversion_id}`);
        if (cv.state === 'converting') await apiPost(page, `/conversions/${c.conversion_id}/abort`, { reason: '测试结束', confirm: true }, 200);
      }
      await context.close();
    }
  });

  test('an adopted plan offers "Stand down" in English', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await login(page, 'officer', DEMO_PW, { land: false });
    const village = (await apiGet(page, '/regions?type=village&q=' + encodeURIComponent('将军关村'))).items[0];
    const plan = await apiPost(page, '/plans?wait=1', { name: 'close-en', scenario: 'disaster', role: 'resettlement', affected: { village_ids: [village.id] }, demand: { people: 5 }, vulnerable: false, teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 }, time_limit_s: 0.5 }, 201);
    let adopted = null;
    try {
      adopted = await apiPost(page, `/plans/${plan.id}/adopt`, { confirm: true }, 200);
      await page.goto(`/plans/${plan.id}`);
      await page.getByTestId('close-plan').getByText('Stand down').waitFor();
      await page.getByTestId('close-plan').click();
      const dlg = page.getByRole('dialog', { name: 'Stand the plan down' });
      await dlg.locator('textarea').fill('crisis over');
      await dlg.getByRole('button', { name: 'Stand down' }).click();
      await page.getByTestId('plan-closed').waitFor();
    } finally {
      for (const c of adopted?.conversions || []) {
        const cv = await apiGet(page, `/conversions/${c.conversion_id}`);
        if (cv.state === 'converting') await apiPost(page, `/conversions/${c.conversion_id}/abort`, { reason: 'test over', confirm: true }, 200);
      }
      await context.close();
    }
  });

  test('放弃草案: a draft no one will adopt is set aside with its reason, and adopted no more', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    const village = (await apiGet(page, '/regions?type=village&q=' + encodeURIComponent('将军关村'))).items[0];
    const plan = await apiPost(page, '/plans?wait=1', { name: '将军关 放弃草案测试', scenario: 'disaster', role: 'resettlement', affected: { village_ids: [village.id] }, demand: { people: 5 }, vulnerable: false, time_limit_s: 0.5 }, 201);
    await page.goto(`/plans/${plan.id}`);
    await page.getByTestId('close-plan').getByText('放弃草案').waitFor();
    await page.getByTestId('close-plan').click();
    const dlg = page.getByRole('dialog', { name: '放弃草案' });
    await dlg.getByText('放弃草案“将军关 放弃草案测试”？', { exact: false }).waitFor();
    await dlg.locator('textarea').fill('选用了另一方案');
    await dlg.getByRole('button', { name: '放弃草案' }).click();
    await page.getByTestId('plan-closed').getByText('草案已放弃，未曾采纳').waitFor();
    const after = await apiGet(page, `/plans/${plan.id}`);
    assert.equal(after.status, 'closed');
    assert.equal(after.close_reason, '选用了另一方案');
    assert.equal(after.adopted_at, null);
    const refused = await page.request.post(`/api/v1/plans/${plan.id}/adopt`, { data: { confirm: true } });
    assert.equal(refused.status(), 409);
    assert.equal(await page.getByTestId('adopt').count(), 0, 'no 采纳 on a discarded draft');
    await context.close();
  });
});
