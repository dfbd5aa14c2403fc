// A drill's report compares it with the facility's drills of its own scenario: an aborted disaster
// drill's report drew the epidemic drills against their 24 h target, with no point for itself.
// The trend keeps to the drill's scenario, and an aborted drill says it is no point of it. The
// step chart's key names every colour it draws (a late step's orange was unexplained).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, ownServer, ownApi, budget } from './lib.mjs';

let browser, srv;
before(async () => {
  srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '200' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});
const api = (page, method, p, data) => ownApi(srv, page, method, p, data);

test("a drill's report shows the trend of its scenario's drills; an aborted one says it is no point of it", { timeout: budget(150000) }, async () => {
  const { context, page } = await openPage(browser, undefined, { baseURL: srv.base });
  await login(page, 'officer', srv.demoPw);
  // a facility with finished drills, and a manual of another scenario than theirs
  const manuals = (await api(page, 'get', '/manuals?latest=1&limit=500')).items;
  let pick = null;
  for (const m of manuals) {
    const trend = (await api(page, 'get', `/facilities/${m.facility_id}/drills`)).drills;
    if (trend.length && trend.some((d) => d.scenario !== m.scenario)) {
      pick = { m, trend };
      break;
    }
  }
  assert.ok(pick, "a facility whose drills are of another scenario than one of its manuals");
  const { m, trend } = pick;
  const drill = await api(page, 'post', '/conversions', { facility_id: m.facility_id, scenario: m.scenario, mode: 'drill' });
  await api(page, 'post', `/conversions/${drill.id}/abort`, { reason: '测试中止' });

  await page.goto(`/drills/${drill.id}`);
  await page.getByTestId('trend-aborted').getByText('本次演练已中止，不计入趋势').waitFor();
  const chart = page.getByTestId('drill-trend');
  await chart.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="drill-trend"]')?.hasAttribute('data-drills'));
  const shown = (await chart.getAttribute('data-drills')).split(' ').filter(Boolean).map(Number);
  const same = trend.filter((d) => d.scenario === m.scenario).map((d) => d.drill_id);
  assert.deepEqual(shown, same, `the ${m.scenario} drills only`);
  assert.ok(shown.length < trend.length, 'the other scenarios are left out');

  // a finished drill's report: its scenario's drills, itself among them
  const done = trend[trend.length - 1];
  await page.goto(`/drills/${done.drill_id}`);
  await page.waitForFunction((id) => (document.querySelector('[data-testid="drill-trend"]')?.getAttribute('data-drills') || '').split(' ').includes(String(id)), done.drill_id);
  const own = (await page.getByTestId('drill-trend').getAttribute('data-drills')).split(' ').map(Number);
  assert.deepEqual(own, trend.filter((d) => d.scenario === done.scenario).map((d) => d.drill_id));
  assert.equal(await page.getByTestId('trend-aborted').count(), 0);
  // the bars' colours named in the legend: a series of the passed drills and one of the failed,
  // each there when such drills are (one grey key named neither the green nor the red)
  const drawnDrills = trend.filter((d) => d.scenario === done.scenario);
  const label = await page.getByTestId('drill-trend').getByRole('img').getAttribute('aria-label');
  assert.equal(label.includes('总用时（通过）'), drawnDrills.some((d) => d.passed), label);
  assert.equal(label.includes('总用时（未通过）'), drawnDrills.some((d) => !d.passed), label);
  // the step chart's key says every colour drawn: planned, and the actual by each result there
  const report = await api(page, 'get', `/conversions/${done.drill_id}/report`);
  const results = [...new Set(report.steps.map((x) => x.result))];
  const key = page.getByTestId('report-bars').getByTestId('step-key');
  await key.getByText('计划', { exact: true }).waitFor();
  const drawn = await key.locator('[data-result]').evaluateAll((els) => els.map((e) => e.dataset.result));
  assert.deepEqual(drawn.sort(), results.sort());
  const zh = { on_time: '按时', late: '超时', not_done: '未完成', too_fast: '过快存疑', running: '进行中', stopped: '已中止' };
  for (const r of results) await key.getByText(`实际（${zh[r]}）`).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});
