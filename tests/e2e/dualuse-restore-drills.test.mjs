// Two review fixes of the dual-use console. A live conversion whose manual has no restore
// steps (the API and the CSV import allow one) goes from emergency straight back to peacetime on
// 恢复: the cockpit says so — not "restoring started" — and treats it as the end of the restore,
// in zh-CN and English. 演练管理 offers a township officer every facility to read (its drills,
// trend and open findings: reads are open), while a drill is started only on a facility of his
// township; a drill over its time limit is marked late there. A server of the file's own (the demo district): the manual written here is the
// newest of its facility × scenario, which no other test should find.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, budget } from './lib.mjs';
import { formatMinutes } from '../../web/src/utils/dualuse.js';

let browser;
let own;

before(async () => {
  browser = await launch();
  own = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '2000' } });
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

/** The page's user's API calls against the file's own server; fails the test unless they succeed. */
function apiOf(page) {
  return async (method, p, data) => {
    const res = await page.request.fetch(`${own.base}/api/v1${p}`, { method, data });
    assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.status() === 204 ? null : res.json();
  };
}
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

describe('dual-use review fixes', { timeout: budget(240000) }, () => {
  test('restoring a live conversion whose manual has no restore steps says the facility is back in peacetime', async () => {
    const { context, page } = await openPage(browser, undefined, { baseURL: own.base });
    await login(page, 'officer', own.demoPw);
    const api = apiOf(page);
    // a facility in peacetime with an emergency role, and a manual of it with no restore steps
    const fac = (await api('GET', '/facilities?state=peacetime&limit=200')).items.find((f) => (f.emergency_roles || []).length);
    assert.ok(fac, 'a facility in peacetime with an emergency role');
    const team = (await api('GET', '/team-types')).items[0];
    const manual = await api('POST', '/manuals', {
      facility_id: fac.id,
      scenario: 'event',
      role: fac.emergency_roles[0].role,
      title: '大型活动保障（无恢复步骤）',
      steps: [{ code: 'C1', name: '场地布置', planned_minutes: 30, team_type: team.code }],
    });
    assert.deepEqual(manual.restore_steps, []);
    /** a live conversion of that manual worked through the API to emergency */
    const ready = async () => {
      let conv = await api('POST', '/conversions', { facility_id: fac.id, scenario: 'event', mode: 'live', manual_id: manual.id });
      const step = conv.steps.find((s) => s.code === 'C1');
      await api('POST', `/conversion-steps/${step.id}/start`);
      conv = await api('POST', `/conversion-steps/${step.id}/finish`);
      assert.equal(conv.state, 'emergency');
      return conv;
    };

    for (const lang of ['zh-CN', 'en']) {
      const zh = lang === 'zh-CN';
      const conv = await ready();
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto(`/conversions/${conv.id}`);
      await page.getByTestId('conv-state').getByText(zh ? '急时运行' : 'Emergency').waitFor();
      await page.getByTestId('restore').click();
      const box = page.getByRole('dialog', { name: zh ? '开始恢复' : 'Start restoring' });
      // the confirmation does not promise restore steps the manual does not have
      await box.getByText(zh ? '此工作手册没有恢复步骤，设施将直接恢复到平时' : 'The manual has no restore steps: the facility returns to peacetime at once').waitFor();
      await box.getByRole('button', { name: zh ? '开始恢复' : 'Start restoring' }).click();
      await page.getByTestId('conv-state').getByText(zh ? '已恢复平时' : 'Back in peacetime').waitFor();
      // said from the answer, once: back in peacetime — not "restoring started", nor "restore
      // steps complete" (there were none)
      await page.locator('.el-message', { hasText: zh ? '已恢复到平时' : 'The facility is back in peacetime' }).first().waitFor();
      assert.equal(await page.locator('.el-message', { hasText: zh ? '恢复步骤全部完成' : 'Restore steps complete' }).count(), 0, 'no "restore steps complete"');
      assert.equal(await page.locator('.el-message', { hasText: zh ? '已开始恢复' : 'Restoring started' }).count(), 0, 'no "restoring started"');
      assert.equal(await page.getByTestId('restore').count(), 0, 'nothing more to restore');
      assert.equal((await api('GET', `/facilities/${fac.id}`)).state, 'peacetime');
      const now = await api('GET', `/conversions/${conv.id}`);
      assert.equal(now.state, 'completed');
      await shot(page, `du-restore-no-steps-${lang}`);
      // the facility's page leads to the live conversion's review, as the conversions list
      // does (it offered 打开 only, the report to drills alone)
      await page.goto(`/facilities/${fac.id}`);
      const report = page.getByTestId('facility-conv-report').first();
      await report.getByText(zh ? '复盘报告' : 'After-action report').waitFor();
      await report.click();
      await page.waitForURL((u) => u.pathname === `/conversions/${conv.id}/report`);
      // its one step, 30 minutes planned, was recorded done at once: the review questions it
      await page.getByTestId('live-report-too-fast').getByText(zh ? '1 个步骤记录的用时不足计划的四分之一' : 'Steps recorded done in under a quarter of their planned time (questioned: check they were really done): 1').waitFor();
      await page.getByTestId('report-steps').getByText(zh ? '过快存疑' : 'Too fast').waitFor();
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });

  test('演练管理 offers a township officer any facility to read; a drill starts on his township\'s only', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 }, { baseURL: own.base });
    await login(page, 'jinhaihu', own.demoPw);
    const api = apiOf(page);
    const me = await api('GET', '/auth/me');
    const all = (await api('GET', '/facilities?limit=500')).items;
    // a facility of another township with finished drills, and one of his with an epidemic manual
    let other = null;
    for (const f of all.filter((x) => x.township_id !== me.township_id)) {
      const d = (await api('GET', `/facilities/${f.id}/drills`)).drills;
      if (d.length) {
        other = f;
        break;
      }
    }
    assert.ok(other, 'a facility of another township with finished drills');
    const mineIds = all.filter((f) => f.township_id === me.township_id).map((f) => f.id);
    const ownManual = (await api('GET', '/manuals?limit=500')).items.find((m) => mineIds.includes(m.facility_id));
    assert.ok(ownManual, 'a facility of his township with a manual');
    const drills = (await api('GET', `/conversions?mode=drill&facility_id=${other.id}&limit=20`)).items;
    assert.ok(drills.length > 0);

    await page.goto('/drills');
    await page.getByRole('heading', { name: '演练管理' }).waitFor();
    // the picker finds the other township's facility by name
    const picker = page.getByTestId('drill-facility');
    await picker.click();
    await page.keyboard.type(other.name);
    await page.getByRole('option', { name: new RegExp(`^${other.name}`) }).first().click();
    await page.waitForURL((u) => u.searchParams.get('facility_id') === String(other.id));
    // its trend, its drills
    await page.getByRole('heading', { name: `历次演练（${other.name}）` }).waitFor();
    await page.getByTestId('drill-trend').waitFor();
    const table = page.getByTestId('drill-table');
    await table.getByRole('link', { name: `#${drills[0].id}`, exact: true }).waitFor();
    // no start: the facility is outside his township, and the page says whose he starts
    await page.getByTestId('drill-start-scope').getByText('只能为本乡镇（街道）的设施发起演练').waitFor();
    assert.equal(await page.getByTestId('start-conversion').count(), 0, 'no start form for another township\'s facility');
    assert.equal(await page.getByTestId('start-drill').count(), 0);
    await shot(page, 'du-drills-other-township');

    // a facility of his township: the start form, no such note
    await page.goto(`/drills?facility_id=${ownManual.facility_id}`);
    await page.getByTestId('start-drill').waitFor();
    assert.equal(await page.getByTestId('drill-start-scope').count(), 0);
    noProblems(page);
    await context.close();
  });

  test('a drill that went over its time limit is marked so in the drill list, not only 演练结束; each its verdict', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 }, { baseURL: own.base });
    await login(page, 'officer', own.demoPw);
    const api = apiOf(page);
    const drills = (await api('GET', '/conversions?mode=drill&state=finished&limit=200')).items;
    // a facility whose drills include one over its deadline and one within it
    const byFac = new Map();
    for (const d of drills.filter((x) => x.deadline_minutes != null)) byFac.set(d.facility_id, [...(byFac.get(d.facility_id) || []), d]);
    const [facId, its] = [...byFac].find(([, ds]) => ds.some((d) => d.over_deadline) && ds.some((d) => !d.over_deadline)) || [];
    assert.ok(facId, 'a facility with a drill over its deadline and one within it');
    const late = its.find((d) => d.over_deadline);
    const fine = its.find((d) => !d.over_deadline);
    assert.ok(late.elapsed_minutes > late.deadline_minutes);
    for (const lang of ['zh-CN', 'en']) {
      const zh = lang === 'zh-CN';
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto(`/drills?facility_id=${facId}`);
      const table = page.getByTestId('drill-table');
      const rowOf = (d) => table.locator('tbody tr').filter({ has: page.getByRole('link', { name: `#${d.id}`, exact: true }) });
      await rowOf(late).waitFor();
      // the late drill: finished, and late — its time red against the limit
      await rowOf(late).getByText(zh ? '演练结束' : 'Finished').waitFor();
      assert.equal((await rowOf(late).getByTestId('drill-over-deadline').innerText()).trim(), zh ? '超时' : 'Late');
      assert.equal(await rowOf(late).getByTestId('elapsed').getAttribute('data-over'), 'true');
      assert.equal((await rowOf(late).getByTestId('deadline').innerText()).trim(), `/ ${formatMinutes(late.deadline_minutes, zh ? 'zh-CN' : 'en')}`);
      // the one within its limit: no such mark
      assert.equal(await rowOf(fine).getByTestId('drill-over-deadline').count(), 0);
      assert.equal(await rowOf(fine).getByTestId('elapsed').getAttribute('data-over'), 'false');
      // each drill's verdict, as its report gives it (演练结束 alone read as a pass: a late drill
      // has failed)
      for (const d of [late, fine]) {
        const passed = (await api('GET', `/conversions/${d.id}/report`)).passed;
        assert.equal(d.drill_passed, passed, `drill ${d.id}: the list's verdict is the report's`);
        const tag = rowOf(d).getByTestId('drill-verdict');
        assert.equal((await tag.innerText()).trim(), passed ? (zh ? '通过' : 'Passed') : zh ? '未通过' : 'Failed');
      }
      assert.equal(late.drill_passed, false, 'a drill over its target has not passed');
      await shot(page, `du-drills-late-${lang}`);
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });
});
