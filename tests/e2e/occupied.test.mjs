// Restoring a site that still houses people an adopted plan placed there: the cockpit's restore
// is answered 409 occupied, and the console asks for the confirmation with a reason (required),
// naming the people and the plan; cancelling leaves the site as it was; confirmed, the site
// starts restoring, the reason is in the audit log, and the plan's page marks the site as no
// longer housing its people. The test plans and adopts its own small plan (将军关村) and, whatever
// happens, brings its site back to peacetime (the demo is shared by the files).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, login, shot, apiGet, apiPost, workPhase, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

const LAPTOP = { width: 1366, height: 900 };
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The shared server's API as the page's user, for workPhase. */
const apiAs = (page) => (method, p, data) => apiPost(page, p, data, 200);

describe('restoring a site that houses people', { timeout: budget(240000) }, () => {
  test('the cockpit asks to confirm with a reason; the plan marks the site', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const village = (await apiGet(page, '/regions?type=village&q=' + encodeURIComponent('将军关村'))).items[0];
    assert.ok(village, '将军关村 in the demo');
    const plan = await apiPost(
      page,
      '/plans?wait=1',
      {
        name: '将军关 安置确认测试',
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
      const site = adopted.result.sites.find((s) => s.facility_id === c0.facility_id);
      assert.equal(site.in_force, true);
      // aborting while the site still converts: nobody is housed there yet, the plan's people
      // are to go there; the plan is called adopted
      await page.goto(`/conversions/${c0.conversion_id}`);
      await page.getByTestId('conv-state').getByText('转换中').waitFor();
      await page.getByTestId('abort').click();
      const ask = page.getByRole('dialog', { name: /中止/ });
      await ask.locator('textarea').fill('雨停');
      await ask.getByRole('button', { name: '中止' }).click();
      const planned = page.getByRole('dialog', { name: '中止：该设施承担已采纳方案的安置任务' });
      await planned.getByText(`已采纳的方案（#${plan.id}）计划安置在此的 ${site.used} 人将没有安置场所。`).waitFor();
      assert.ok(!/仍安置着|已通过/.test(await planned.innerText()), await planned.innerText());
      await shot(page, 'o0-abort-converting');
      await planned.getByRole('button', { name: '取消' }).click();
      await planned.waitFor({ state: 'hidden' });
      assert.equal((await apiGet(page, `/conversions/${c0.conversion_id}`)).state, 'converting', 'cancelled: nothing changed');

      let conv = await workPhase(apiAs(page), await apiGet(page, `/conversions/${c0.conversion_id}`), 'convert');
      assert.equal(conv.state, 'emergency');

      // a plan using the site as it is now (converted): the page says so, the adoption converts nothing
      const more = await apiPost(page, '/plans?wait=1', { name: '将军关 补充 1人', scenario: 'disaster', role: 'resettlement', affected: { village_ids: [village.id] }, demand: { people: 1 }, vulnerable: false, max_distance_km: 3, teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 }, time_limit_s: 0.5 }, 201);
      const ready = more.result.sites.find((s) => s.facility_id === c0.facility_id);
      assert.ok(ready && ready.ready_at_start && more.result.sites.length === 1, JSON.stringify(more.result.sites));
      assert.equal(ready.already_housing, site.used);
      await page.goto(`/plans/${more.id}`);
      const readyRow = page.getByTestId('plan-sites').locator('tr', { has: page.getByTestId('site-ready-' + c0.facility_id) });
      await readyRow.getByText('已转换，立即可用').waitFor();
      await readyRow.getByTestId('site-housing-' + c0.facility_id).getByText(`已安置其他已采纳方案的 ${site.used} 人`).waitFor();
      assert.ok(!(await readyRow.innerText()).includes('手册关键路径'), await readyRow.innerText());
      await page.getByTestId('adopt').click();
      const dlg = page.getByRole('dialog', { name: '采纳方案' });
      await dlg.getByText(`采纳“将军关 补充 1人”不启动新的转换：其场所已转换完毕，按现状使用。确定采纳？`, { exact: false }).waitFor();
      assert.ok(!(await dlg.innerText()).includes('启动实战转换'), await dlg.innerText());
      await shot(page, 'o1-adopt-ready');
      await dlg.getByRole('button', { name: '取消' }).click();
      await dlg.waitFor({ state: 'hidden' });

      await page.goto(`/conversions/${conv.id}`);
      await page.getByTestId('conv-state').getByText('急时运行').waitFor();
      // restore: the usual question, then the server's answer asks for the confirmation
      await page.getByTestId('restore').click();
      await page.getByRole('dialog', { name: '开始恢复' }).getByRole('button', { name: '开始恢复' }).click();
      let box = page.getByRole('dialog', { name: /该设施仍安置着已采纳方案的人员/ });
      await box.getByText(`已采纳的方案（#${plan.id}）安置在此的 ${site.used} 人将失去安置场所。`, { exact: false }).waitFor();
      await box.getByRole('button', { name: '开始恢复' }).click();
      await box.getByText('请填写原因').waitFor(); // the reason is required
      await shot(page, 'o1-restore-occupied');
      await box.getByRole('button', { name: '取消' }).click();
      await box.waitFor({ state: 'hidden' });
      assert.equal((await apiGet(page, `/conversions/${conv.id}`)).state, 'emergency', 'cancelled: nothing changed');
      assert.equal(await page.locator('.el-message--error').count(), 0, 'cancelling is no error');
      // again, with the reason
      await page.getByTestId('restore').click();
      await page.getByRole('dialog', { name: '开始恢复' }).getByRole('button', { name: '开始恢复' }).click();
      box = page.getByRole('dialog', { name: /该设施仍安置着已采纳方案的人员/ });
      await box.locator('textarea').fill('汛情解除，人员已转移');
      await box.getByRole('button', { name: '开始恢复' }).click();
      await page.getByTestId('conv-state').getByText(/恢复中|已完成/).waitFor();
      await page.locator('.el-message', { hasText: '已开始恢复' }).first().waitFor();
      const rows = (await apiGet(page, `/audit?entity=conversion&entity_id=${conv.id}&limit=20`)).items || [];
      const row = rows.find((r) => r.action === 'restore_start');
      assert.ok(row, 'the restore is audited');
      assert.equal(row.after.occupied.reason, '汛情解除，人员已转移');
      assert.equal(row.after.occupied.people, site.used);

      // the plan's page: that site no longer houses the plan's people
      const now = await apiGet(page, `/plans/${plan.id}`);
      assert.equal(now.status, 'adopted');
      assert.equal(now.result.sites.find((s) => s.facility_id === c0.facility_id).in_force, false);
      await page.goto(`/plans/${plan.id}`);
      await page.getByTestId('plan-sites').getByTestId('site-not-in-force-' + c0.facility_id).getByText('已不再安置').waitFor();
      // a restored site counts as an aborted one: its people have no place, said at the top,
      // in the head cards and in the plan list
      const gone = now.result.sites.filter((s) => s.in_force === false).reduce((n, s) => n + s.used, 0);
      assert.ok(gone >= site.used);
      const unc = page.getByTestId('adopted').getByTestId('uncovered');
      await unc.getByText(`原安排在那里的 ${gone} 人暂无安置场所`, { exact: false }).waitFor();
      assert.equal(Number(await unc.getAttribute('data-people')), gone);
      const short = page.locator('[data-stat="shortfall"]');
      assert.equal((await short.locator('.pj-stat-value').innerText()).trim(), String(now.result.summary.shortfall + gone));
      assert.ok(!(await short.innerText()).includes('需求全部满足'), await short.innerText());
      await short.getByTestId('stat-extra').getByText(`含 ${gone} 人`, { exact: false }).waitFor();
      // placed as it is now, the solve's figure beside it (it read served = demand beside the shortfall)
      const served = page.locator('[data-stat="served"]');
      assert.equal((await served.locator('.pj-stat-value').innerText()).trim(), `${formatNumber(now.result.summary.served - gone)} / ${formatNumber(now.result.summary.demand)}`);
      await served.getByTestId('stat-extra').getByText(`方案安置 ${formatNumber(now.result.summary.served)} 人，其中 ${gone} 人所在场所已恢复或中止，暂无安置场所`).waitFor();
      // who goes where: the rows of that site marked, in the table and in the CSV handed out
      const rowOf = now.result.assignments.find((a) => a.facility_id === site.facility_id);
      await page.getByTestId(`assignment-gone-${rowOf.village_id}-${site.facility_id}`).waitFor();
      const download = page.waitForEvent('download');
      await page.getByTestId('plan-export-assignments').click();
      const csv = readFileSync(await (await download).path(), 'utf8');
      const lines = csv.split(/\r?\n/).filter((l) => l.includes(`,${site.facility_id},`));
      assert.ok(lines.length > 0 && lines.every((l) => l.includes('该场所已恢复或中止，暂无安置场所')), csv.slice(0, 600));
      await shot(page, 'o2-plan-site-not-in-force');
      // those people planned again: their villages and numbers, the closed site excluded
      const leftBy = new Map();
      for (const a of now.result.assignments) if (a.facility_id === site.facility_id) leftBy.set(a.village_id, (leftBy.get(a.village_id) || 0) + a.people);
      await page.getByTestId('plan-replan-uncovered').click();
      await page.waitForURL(/\/plans\/new\?replan=/);
      await page.getByTestId('plan-replan').waitFor();
      const table = page.getByTestId('plan-village-demand');
      for (const [vid, n] of leftBy) assert.equal(await page.getByTestId('village-demand-' + vid).locator('input').inputValue(), String(n));
      await page.getByTestId('plan-exclude-' + site.facility_id).waitFor();
      assert.equal(await table.locator('tbody tr').count(), leftBy.size);
      const made = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/plans');
      await page.getByTestId('solve').click();
      const again = await (await made).json();
      assert.deepEqual(
        again.request.demand.villages.map((x) => [x.village_id, x.people]).sort((a, b) => a[0] - b[0]),
        [...leftBy].sort((a, b) => a[0] - b[0]),
      );
      assert.ok(again.request.exclude_facility_ids.includes(site.facility_id));
      await page.waitForURL(/\/plans\/\d+$/);
      const solved = await apiGet(page, `/plans/${again.id}`);
      if (solved.result) assert.ok(solved.result.sites.every((x) => x.facility_id !== site.facility_id), 'the closed site is not chosen again');
      await page.goto(`/plans/${plan.id}`);
      await page.goto('/plans?status=adopted');
      const listRow = page.locator('tr', { hasText: plan.name }).getByTestId('row-gone');
      await listRow.getByText(`${gone} 人暂无安置场所（场所已恢复或中止）`).waitFor();
      noProblems(page);
    } finally {
      // the demo as it was: every site of the plan back in peacetime
      for (const c of adopted?.conversions || []) {
        let cv = await apiGet(page, `/conversions/${c.conversion_id}`);
        if (cv.state === 'converting') await apiPost(page, `/conversions/${c.conversion_id}/abort`, { reason: '测试结束', confirm: true }, 200);
        if (cv.state === 'emergency') cv = await apiPost(page, `/conversions/${c.conversion_id}/restore`, { confirm: true, reason: '测试结束' }, 200);
        if (cv.state === 'restoring') await workPhase(apiAs(page), cv, 'restore');
      }
      await context.close();
    }
  });
});
