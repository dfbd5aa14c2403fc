// Review fixes of the cockpit after an abort sent a live conversion to its restore steps:
// - its clock and Gantt froze at the abort: the server's now was taken from the first running
//   step — the stopped convert step, whose minutes end at the abort — so the 当前 line stayed
//   there and a restore step started later had a bar of no length. Now the answer's as_of is.
// - the convert step left running by the abort showed 进行中 with a timer stuck at the abort;
//   it shows 已中止 with its minutes, no timer (its stored status stays running), and the
//   after-action report says 已中止 (result stopped), not 进行中.
// A server of the file's own (the demo district); the manual written here (scenario event) is
// the newest of its facility × scenario, which no other test should find. Real clock: the test
// waits between the abort, the restore step's start and the page's load.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, budget } from './lib.mjs';

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

function apiOf(page) {
  return async (method, p, data) => {
    const res = await page.request.fetch(`${own.base}/api/v1${p}`, { method, data });
    assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
}
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const minutesFrom = (t0, iso) => (Date.parse(iso) - Date.parse(t0)) / 60000;

describe('the cockpit after an abort sent a site to its restore steps', { timeout: budget(180000) }, () => {
  test('the now line and a restore bar follow the server clock; the stopped convert step says 已中止', async () => {
    const { context, page } = await openPage(browser, undefined, { baseURL: own.base });
    await login(page, 'officer', own.demoPw);
    const api = apiOf(page);
    const fac = (await api('GET', '/facilities?state=peacetime&limit=200')).items.find((f) => (f.emergency_roles || []).length);
    assert.ok(fac, 'a facility in peacetime with an emergency role');
    const team = (await api('GET', '/team-types')).items[0];
    const manual = await api('POST', '/manuals', {
      facility_id: fac.id,
      scenario: 'event',
      role: fac.emergency_roles[0].role,
      title: '大型活动保障（中止后恢复）',
      steps: [{ code: 'C1', name: '场地布置', planned_minutes: 30, team_type: team.code }],
      restore_steps: [{ code: 'R1', name: '撤场复原', planned_minutes: 30, team_type: team.code }],
    });
    let conv = await api('POST', '/conversions', { facility_id: fac.id, scenario: 'event', mode: 'live', manual_id: manual.id });
    const c1 = conv.steps.find((s) => s.code === 'C1');
    const r1 = conv.steps.find((s) => s.code === 'R1');
    await api('POST', `/conversion-steps/${c1.id}/start`);
    await sleep(2000);
    conv = await api('POST', `/conversions/${conv.id}/abort`, { reason: '活动取消' });
    assert.equal(conv.state, 'restoring', 'aborted after work began: to the restore steps');
    // the restore step starts well after the abort, and runs a while before the page loads
    await sleep(13000);
    conv = await api('POST', `/conversion-steps/${r1.id}/start`);
    await sleep(13000);

    await page.goto(`/conversions/${conv.id}`);
    await page.getByRole('heading', { name: fac.name }).waitFor();
    const gantt = page.getByTestId('gantt');
    await gantt.locator('canvas').first().waitFor();
    const shown = await api('GET', `/conversions/${conv.id}`); // the server's clock, just after the page's
    const t0 = shown.started_at;
    const abortAt = minutesFrom(t0, shown.restore_started_at);
    const r1Start = minutesFrom(t0, shown.steps.find((s) => s.code === 'R1').started_at);
    const serverNow = minutesFrom(t0, shown.as_of);
    assert.ok(r1Start - abortAt > 0.2, `R1 started ${r1Start - abortAt} min after the abort`);

    const now = Number(await gantt.getAttribute('data-now'));
    // the page asked the server a moment before this test did: its now is the server's then,
    // past R1's start — not the abort, where the stopped C1's minutes end
    assert.ok(now > r1Start + 0.15, `the now line (${now}) is past R1's start (${r1Start}), not at the abort (${abortAt})`);
    assert.ok(now <= serverNow + 0.01 && serverNow - now < 0.5, `the now line (${now}) is the server's now (${serverNow})`);
    const bars = JSON.parse(await gantt.getAttribute('data-actual'));
    const [a, b] = bars['restore:R1'];
    assert.ok(Math.abs(a - r1Start) < 0.011, `R1's bar starts when it started (${a}, ${r1Start})`);
    assert.ok(b - a > 0.15, `R1's bar runs to the server now: ${a} → ${b}`);
    assert.ok(Math.abs(b - now) < 0.011, "R1's bar ends at the now line");
    // C1's bar stops at the abort
    assert.ok(Math.abs(bars['convert:C1'][1] - abortAt) < 0.011, `C1's bar ends at the abort (${bars['convert:C1'][1]}, ${abortAt})`);

    // C1: 已中止 with its minutes, no timer; R1 runs with its timer
    const c1Row = page.getByTestId('steps-convert').locator('tr', { has: page.getByTestId('step-C1') });
    await c1Row.locator('[data-status="running"]').getByText('已中止').waitFor();
    assert.equal(await c1Row.getByText('进行中').count(), 0);
    assert.equal(await c1Row.getByRole('timer').count(), 0, 'no running timer');
    await c1Row.getByTestId('stopped-C1').waitFor();
    const r1Row = page.getByTestId('steps-restore').locator('tr', { has: page.getByTestId('step-R1') });
    await r1Row.getByText('进行中').waitFor();
    await r1Row.getByRole('timer').waitFor();
    await gantt.locator('[data-legend="stopped"]').getByText('已中止').waitFor();
    await shot(page, 'cockpit-abort-clock');

    // the after-action report: C1 已中止, not 进行中
    await page.goto(`/conversions/${conv.id}/report`);
    const steps = page.getByTestId('report-steps');
    const c1Report = steps.locator('tr', { hasText: '场地布置' });
    await c1Report.locator('[data-value="stopped"]').getByText('已中止').waitFor();
    assert.equal(await c1Report.getByText('进行中').count(), 0);
    await steps.locator('tr', { hasText: '撤场复原' }).locator('[data-value="running"]').getByText('进行中').waitFor();
    noProblems(page);
    await context.close();
  });
});
