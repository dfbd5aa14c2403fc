// The planner pages say what the server knows: the adopt button is not offered for a plan whose
// sites another plan has taken (and a refusal names the site), the confirmation repeats the
// missed deadlines, an adopted plan shows how its conversions stand and the people an aborted
// one leaves without a place; the form shows the server's figures (every short team type, the
// shortest deadline, no demand as such, demand above the residents); the compare page shows the
// inputs; a long shortfall list is cut short with the townships named; the sites table fits its
// card at 1366 px. The helpers of web/src/utils/plans.js behind them are checked first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { formatMinutes } from '../../web/src/utils/dualuse.js';
import {
  affectedPopulation,
  busySites,
  capList,
  compareInputs,
  conversionCounts,
  largestShortfalls,
  quickestDeadline,
  refusedFacility,
  middleLabel,
  shortLabel,
  teamShortages,
  uncoveredSites,
} from '../../web/src/utils/plans.js';

const LAPTOP = { width: 1366, height: 768 };
const fmt = (n) => formatNumber(n, 'zh-CN');
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
const fieldError = (page, id) => page.locator('.el-form-item', { has: page.getByTestId(id) }).locator('.el-form-item__error');
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

describe('plans helpers', () => {
  test('team shortages and the quickest deadline are read from the server’s messages', () => {
    const msg = 'no candidate can be converted with the teams given; 南山村 (facility 2) needs 6 cleaning teams, 3 are available; 2 security teams, 1 is available';
    assert.deepEqual(teamShortages(msg), [
      { team: 'cleaning', need: 6, have: 3 },
      { team: 'security', need: 2, have: 1 },
    ]);
    // the schedule's own refusal says one the same way
    assert.deepEqual(teamShortages('step S2 (清洁) of 南山村 (facility 2) needs 4 it teams, 0 are available'), [{ team: 'it', need: 4, have: 0 }]);
    assert.deepEqual(teamShortages('something else'), []);
    assert.deepEqual(quickestDeadline('no candidate converts within 0.5 hours (by its manual\'s critical path); the quickest, 南山村 (facility 2), needs 6.5 hours'), { site: '南山村', hours: 6.5 });
    assert.deepEqual(quickestDeadline('…; the quickest (out of reach or short of teams), 某酒店 (facility 9), needs 3 hours'), { site: '某酒店', hours: 3 });
    assert.equal(quickestDeadline('no candidate converts within 1 hours (by its manual\'s critical path)'), null);
    assert.equal(refusedFacility('facility 12 cannot be converted: the facility is converting'), 12);
    assert.equal(refusedFacility(''), null);
  });

  test('busy sites, conversions by state, people left by aborts', () => {
    const sites = [
      { facility_id: 1, used: 100 },
      { facility_id: 2, used: 50 },
      { facility_id: 3, used: 70, ready_at_start: true },
      { facility_id: 4, used: 10 },
    ];
    const fac = new Map([
      [1, { state: 'peacetime' }],
      [2, { state: 'converting' }],
      [3, { state: 'restoring' }],
      [4, { state: 'peacetime' }],
    ]);
    assert.deepEqual(
      busySites(sites, fac).map((s) => [s.facility_id, s.state]),
      [
        [2, 'converting'],
        [3, 'restoring'],
      ],
    );
    assert.deepEqual(busySites(sites, null), []);
    const convs = [
      { facility_id: 1, state: 'converting' },
      { facility_id: 2, state: 'aborted' },
      { facility_id: 4, state: 'emergency' },
      { facility_id: 5, state: 'converting' },
    ];
    assert.deepEqual(conversionCounts(convs), [
      ['converting', 2],
      ['emergency', 1],
      ['aborted', 1],
    ]);
    // every site no longer in force (aborted or restored) counts; a draft's sites none
    const now = sites.map((x) => ({ ...x, in_force: x.facility_id !== 2 && x.facility_id !== 4 }));
    assert.deepEqual(uncoveredSites(now), { sites: 2, people: 60 });
    assert.deepEqual(uncoveredSites(now, false), { sites: 0, people: 0 });
  });

  test('lists capped, labels cut, the area’s residents, the compared inputs', () => {
    const xs = Array.from({ length: 30 }, (_, i) => i);
    assert.deepEqual(capList(xs, 12), { shown: xs.slice(0, 12), more: 18 });
    assert.deepEqual(capList(xs, 12, true), { shown: xs, more: 0 });
    assert.deepEqual(capList(xs.slice(0, 13), 12), { shown: xs.slice(0, 13), more: 0 }, 'one more is shown, not counted');
    assert.equal(shortLabel('夏各庄镇北各庄村酒店26号', 7), '夏各庄镇北各…');
    assert.equal(shortLabel('南山村', 7), '南山村');
    // on a phone the Gantt keeps a name's start and end: the sites of one village told apart
    // (its cut ends read 山东庄镇张各… twice)
    assert.equal(middleLabel('山东庄镇张各庄村酒店4号', 8), '山东庄…酒店4号');
    assert.notEqual(middleLabel('山东庄镇张各庄村酒店4号', 8), middleLabel('山东庄镇张各庄村酒店7号', 8));
    assert.equal(middleLabel('南山村', 8), '南山村');
    assert.equal(middleLabel('南独乐河镇王山村民宿集群69号', 8).length, 8);
    // the map labels only the largest shortfalls (a hundred labels overlap)
    const short = Array.from({ length: 20 }, (_, i) => ({ village_id: i + 1, people: (i * 7) % 20 }));
    assert.deepEqual([...largestShortfalls(short, 3)].sort((a, b) => a - b), [12, 15, 18]);
    const vs = [
      { id: 1, parent_id: 10, population: 100 },
      { id: 2, parent_id: 10, population: 50 },
      { id: 3, parent_id: 11, population: 7 },
    ];
    assert.equal(affectedPopulation(vs, { affectedBy: 'townships', township_ids: [10], village_ids: [] }), 150);
    assert.equal(affectedPopulation(vs, { affectedBy: 'villages', township_ids: [], village_ids: [3] }), 7);
    assert.equal(affectedPopulation(vs, { affectedBy: 'townships', township_ids: [], village_ids: [] }), null);
    assert.equal(affectedPopulation([], { affectedBy: 'townships', township_ids: [10], village_ids: [] }), null);
    const pa = { request: { demand: { share: 0.1 }, deadline_hours: 20, teams: { cleaning: 10, it: 2 } }, result: { summary: { villages: 35, sites_after_deadline: 12, max_distance_km: 30, single_source: true } } };
    const pb = { request: { demand: { share: 0.1 }, teams: { cleaning: 12, medical: 4 }, time_limit_s: 10 }, result: { summary: { villages: 35, sites_after_deadline: null, max_distance_km: 30, single_source: true } } };
    const rows = Object.fromEntries(compareInputs(pa, pb).map((r) => [r.key, r]));
    assert.deepEqual([rows.villages.same, rows.demand.same, rows.deadline_hours.same], [true, true, false]);
    assert.deepEqual([rows.deadline_hours.a, rows.deadline_hours.b], [20, null]);
    assert.deepEqual([rows.sites_after_deadline.a, rows.sites_after_deadline.b], [12, null]);
    assert.deepEqual([rows.time_limit_s.a, rows.time_limit_s.b], [3, 10]);
    assert.deepEqual([rows['teams.cleaning'].a, rows['teams.cleaning'].b, rows['teams.it'].b, rows['teams.medical'].a], [10, 12, 0, 0]);
  });
});

let browser;
let town = null; // 金海湖地区
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function makePlan(page, body) {
  const res = await page.request.post(BASE + '/api/v1/plans?wait=1', { data: body });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}
const TEAMS = { cleaning: 12, logistics: 16, security: 4, medical: 4, catering: 6, it: 2 };
async function townId(page) {
  if (!town) town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('金海湖地区'))).items[0].id;
  return town;
}

let planX = null; // adopted
let planY = null; // shares sites with X, ready late after its deadline

describe('plans: what the server knows, said on the pages', { timeout: budget(240000) }, () => {
  test('a plan whose sites another plan took: the adopt button is not offered, the sites are named; a refusal names the site; the confirmation repeats the missed deadline', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const t = await townId(page);
    planX = await makePlan(page, { name: '甲 采纳', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [t] }, demand: { share: 0.1 }, teams: TEAMS, time_limit_s: 0.5 });
    planY = await makePlan(page, { name: '乙 24 小时', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [t] }, demand: { share: 0.3 }, deadline_hours: 24, teams: TEAMS, time_limit_s: 0.5 });
    assert.ok(planY.result.summary.sites_after_deadline > 0, 'plan Y has sites ready after its deadline');
    const xSites = new Set(planX.result.sites.map((s) => s.facility_id));
    const overlap = planY.result.sites.filter((s) => xSites.has(s.facility_id) && !s.ready_at_start);
    assert.ok(overlap.length > 0, 'the two plans share sites');

    // before X is adopted: Y may be adopted; the confirmation repeats the missed deadline, cancelled
    await page.goto(`/plans/${planY.id}`);
    await page.getByRole('heading', { name: planY.name }).waitFor();
    await page.getByTestId('plan-sites').locator('tbody tr').first().waitFor();
    assert.ok(!(await page.getByTestId('adopt').isDisabled()));
    await page.getByTestId('adopt').click();
    const box = page.getByRole('dialog', { name: '采纳方案' });
    await box.getByText(`注意：按共享队伍排程，其中 ${fmt(planY.result.summary.sites_after_deadline)} 个场所要到时限（${formatMinutes(24 * 60)}）之后才能就绪。`).waitFor();
    await shot(page, 'p3-adopt-confirm-late');
    await box.getByRole('button', { name: '取消' }).click();
    await box.waitFor({ state: 'hidden' });

    // X adopted (the API); then the page, with the facilities as they were, lets Y be tried:
    // the server's refusal names the site
    const ax = await page.request.post(BASE + `/api/v1/plans/${planX.id}/adopt`, { data: { confirm: true } });
    assert.equal(ax.status(), 200, await ax.text());
    const refused = await page.request.post(BASE + `/api/v1/plans/${planY.id}/adopt`, { data: {} });
    assert.equal(refused.status(), 409);
    const fid = refusedFacility((await refused.json()).error.message);
    const named = planY.result.sites.find((s) => s.facility_id === fid);
    assert.ok(named, 'the server names a site of the plan');
    // the page reads the plan's sites one by one (GET /facilities/{id})
    const asBefore = async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      for (const f of body.items || [body]) f.state = 'peacetime';
      await route.fulfill({ response: res, json: body });
    };
    await page.route(/\/api\/v1\/facilities(\/\d+)?(\?.*)?$/, asBefore);
    await page.reload();
    await page.getByRole('heading', { name: planY.name }).waitFor();
    await page.getByTestId('adopt').click();
    await page.getByRole('dialog', { name: '采纳方案' }).getByRole('button', { name: '采纳并启动转换' }).click();
    const err = page.getByTestId('adopt-error');
    await err.getByText(`采纳被拒绝：场所“${named.name}”已不在平时状态`, { exact: false }).waitFor();
    await shot(page, 'p3-adopt-refused');
    await page.unroute(/\/api\/v1\/facilities(\/\d+)?(\?.*)?$/, asBefore);

    // as the facilities are: the taken sites are listed, the button is not offered
    await page.reload();
    await page.getByRole('heading', { name: planY.name }).waitFor();
    const busy = page.getByTestId('adopt-busy');
    await busy.waitFor();
    assert.equal(Number(await busy.getAttribute('data-count')), overlap.length);
    for (const s of overlap) await busy.getByTestId('busy-' + s.facility_id).getByText(`${s.name}（转换中）`).waitFor();
    await busy.getByText(`${overlap.length} 个场所已不在平时状态，采纳会被拒绝`, { exact: false }).waitFor();
    assert.ok(await page.getByTestId('adopt').isDisabled(), 'the adopt button is disabled');
    // a facility named in the warning's text is a link told apart by more than its colour
    const deco = await busy.locator('a').first().evaluate((a) => getComputedStyle(a).textDecorationLine);
    assert.equal(deco, 'underline', 'the facility links in the warning are underlined');
    await shot(page, 'p3-adopt-busy');
    noProblems(page);
    await context.close();
  });

  test('the adopted plan: its conversions by state, the people an aborted one leaves without a place; the bound said as the solver table says it', async () => {
    assert.ok(planX, 'the first test adopted a plan');
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    const x = await apiGet(page, `/plans/${planX.id}`);
    const c0 = x.conversions[0];
    const ab = await page.request.post(BASE + `/api/v1/conversions/${c0.conversion_id}/abort`, { data: { reason: '场地漏水', confirm: true } });
    assert.equal(ab.status(), 200, await ab.text());
    const site0 = x.result.sites.find((s) => s.facility_id === c0.facility_id);
    await page.goto(`/plans/${planX.id}`);
    const adopted = page.getByTestId('adopted');
    const counts = adopted.getByTestId('conversion-counts');
    await counts.locator('[data-state="aborted"]').getByText('已中止 1').waitFor();
    await counts.locator('[data-state="converting"]').getByText(`转换中 ${x.conversions.length - 1}`).waitFor();
    await adopted.getByTestId('conversion-' + c0.conversion_id).getByText('已中止').waitFor();
    const unc = adopted.getByTestId('uncovered');
    await unc.getByText(`1 个场所已中止转换或已恢复（不再安置），原安排在那里的 ${fmt(site0.used)} 人暂无安置场所`).waitFor();
    // the sites table marks that site, and only it, as no longer housing the plan's people
    await page.getByTestId('plan-sites').getByTestId('site-not-in-force-' + c0.facility_id).getByText('已不再安置').waitFor();
    assert.equal(await page.getByTestId('plan-sites').locator('[data-testid^="site-not-in-force-"]').count(), 1);
    await shot(page, 'p3-adopted-states');

    // the gap's bound: the summary's, or — two stages — no gap of the whole plan ("—"), each
    // stage's gap said as such (each stage's bound takes the earlier stage's sites as fixed)
    const gap = page.locator('[data-stat="gap"]');
    const sv = x.result.solver;
    const rows = page.getByTestId('solver').locator('tbody tr');
    const pc = (g) => `${fmt(Math.round(g * 10000) / 100)}%`;
    if (x.result.summary.lower_bound == null) {
      assert.ok(x.result.solver.flags.vulnerable_first);
      assert.equal(x.result.summary.gap, null, 'no gap of the whole plan');
      assert.equal(x.gap, null);
      assert.equal((await gap.locator('.pj-stat-value').innerText()).trim(), '—');
      await gap.getByText(`分两阶段求解，无整体下界与差距；各阶段差距（以前一阶段的选址为前提）：需照护人员 ${pc(sv.location_vulnerable.gap)}，其他人员 ${pc(sv.location.gap)}`).waitFor();
      assert.match(await gap.getAttribute('title'), /每个阶段的下界都以前一阶段已选场所为前提/);
      assert.equal(await rows.count(), 4);
      const first = (await rows.nth(0).locator('td').allInnerTexts()).map((c) => c.trim());
      assert.equal(first[0], '选址（需照护人员）');
      assert.equal(first[2], sv.location_vulnerable.lower_bound == null ? '—' : fmt(sv.location_vulnerable.lower_bound));
      assert.equal((await rows.nth(1).locator('td').first().innerText()).trim(), '选址（其他人员）');
    } else {
      await gap.getByText(`下界 ${fmt(x.result.summary.lower_bound)}`).waitFor();
    }
    // the compare page: a plan without a gap of the whole plan says "—", its gap not ranked
    if (x.gap == null) {
      await page.goto(`/plans/compare?a=${planX.id}&b=${planY.id}`);
      const fig = page.getByTestId('compare-figures').locator('tr', { has: page.locator('[data-fig="gap"]') });
      await fig.getByText('与下界差距（分两阶段求解的方案无整体差距）').waitFor();
      assert.equal(await fig.locator('.pj-better, .pj-worse').count(), 0, 'a null gap is not ranked');
      assert.ok((await fig.innerText()).includes('—'));
    }
    noProblems(page);
    await context.close();
  });

  test('the sites table fits its card at 1366 px, the after-deadline tags inside it (both languages)', async () => {
    assert.ok(planY, 'the first test made plan Y');
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    for (const lang of ['zh-CN', 'en']) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto(`/plans/${planY.id}`);
      const table = page.getByTestId('plan-sites');
      await table.locator('tbody tr').first().waitFor();
      const fit = await table.evaluate((el) => {
        const card = el.closest('.el-card').getBoundingClientRect();
        const t = el.getBoundingClientRect();
        const wraps = [...el.querySelectorAll('.el-scrollbar__wrap, .el-table__body-wrapper')].map((w) => w.scrollWidth - w.clientWidth);
        const tags = [...el.querySelectorAll('[data-testid^="after-deadline-"]')].map((x) => x.getBoundingClientRect().right);
        return { card: card.right, table: t.right, over: Math.max(0, ...wraps), tags };
      });
      assert.ok(fit.over <= 1, `${lang}: the sites table scrolls sideways by ${fit.over} px`);
      assert.ok(fit.tags.length > 0, `${lang}: tags shown`);
      for (const r of fit.tags) assert.ok(r <= fit.table + 0.5, `${lang}: an after-deadline tag ends at ${r}, the table at ${fit.table}`);
      if (lang === 'en') await table.locator('thead').getByText('Used / capacity').waitFor();
      await shot(page, `p3-sites-table-${lang}`);
    }
    noProblems(page);
    await context.close();
  });

  test('the compare page shows the inputs that explain the differences', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto(`/plans/compare?a=${planX.id}&b=${planY.id}`);
    const ins = page.getByTestId('compare-inputs');
    await ins.locator('tbody tr').first().waitFor();
    const row = async (key) => (await ins.locator('tr', { has: page.locator(`[data-input="${key}"]`) }).locator('td').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(await row('deadline_hours'), ['转换时限', '不限', `24 小时`]);
    assert.deepEqual(await row('demand'), ['需求', '10%', '30%']);
    assert.deepEqual(await row('sites_after_deadline'), ['时限后就绪场所', '—', fmt(planY.result.summary.sites_after_deadline)]);
    assert.deepEqual((await row('teams.cleaning')).slice(1), ['12', '12']);
    // the rows that differ are marked, the others not
    const marked = await ins.locator('tr.pj-input-diff [data-input]').evaluateAll((els) => els.map((e) => e.dataset.input));
    assert.deepEqual(marked.sort(), ['deadline_hours', 'demand', 'sites_after_deadline']);
    await shot(page, 'p3-compare-inputs');
    noProblems(page);
    await context.close();
  });

  test('the form says the server’s figures: no demand, every short team type, the shortest deadline; demand above the residents; the English name', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const t = await townId(page);
    await page.goto('/plans/new');
    await page.getByRole('heading', { name: '新建方案' }).waitFor();
    await page.getByTestId('plan-townships').click();
    await page.getByRole('option', { name: '金海湖地区', exact: true }).click();
    await page.keyboard.press('Escape');
    await input(page, 'plan-time-limit').fill('0.3');

    // share 0: the server's no_demand, not the range
    await input(page, 'plan-share').fill('0');
    await page.getByTestId('solve').click();
    await fieldError(page, 'plan-share').getByText('没有需要安置的人员').waitFor();
    await shot(page, 'p3-no-demand');

    // one team of each: every type short, with its numbers, under its field
    await input(page, 'plan-share').fill('10');
    const one = { cleaning: 1, logistics: 1, security: 1, medical: 1, catering: 1, it: 1 };
    for (const k of Object.keys(one)) await page.getByTestId('team-' + k).locator('input').fill('1');
    const api = await page.request.post(BASE + '/api/v1/plans', {
      data: { name: 'x', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [t] }, demand: { share: 0.1 }, teams: { ...one, disinfection: 8 }, time_limit_s: 0.3 },
    });
    assert.equal(api.status(), 422);
    const short = teamShortages((await api.json()).error.message);
    assert.ok(short.length >= 2, 'several types short');
    await page.getByTestId('solve').click();
    for (const x of short) await page.getByTestId('team-' + x.team).locator('.el-form-item__error').getByText(`需要 ${x.need} 支，现有 ${x.have} 支`).waitFor();
    await page.getByTestId('teams-error').getByText(`还缺 ${short.length} 类队伍`, { exact: false }).waitFor();
    await shot(page, 'p3-teams-short');

    // a deadline of half an hour: the quickest candidate's hours
    for (const [k, v] of Object.entries(TEAMS)) await page.getByTestId('team-' + k).locator('input').fill(String(v));
    await input(page, 'plan-deadline').fill('0.5');
    const api2 = await page.request.post(BASE + '/api/v1/plans', {
      data: { name: 'x', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [t] }, demand: { share: 0.1 }, deadline_hours: 0.5, teams: { ...TEAMS, disinfection: 8 }, time_limit_s: 0.3 },
    });
    const q = quickestDeadline((await api2.json()).error.message);
    assert.ok(q && q.hours > 0.5);
    await page.getByTestId('solve').click();
    await fieldError(page, 'plan-deadline').getByText(`最快的“${q.site}”也需 ${fmt(q.hours)} 小时，时限至少应设为 ${fmt(q.hours)} 小时`, { exact: false }).waitFor();
    await shot(page, 'p3-deadline-short');

    // 9,999,999 people for one township: more than live there, said before solving; the name
    await input(page, 'plan-deadline').fill('');
    await page.getByTestId('demand-by').getByText('按人数').click();
    await input(page, 'plan-people').fill('9999999');
    await page.getByTestId('over-population').getByText(`需安置 ${fmt(9999999)} 人，超过受影响范围的常住人口`, { exact: false }).waitFor();
    assert.equal(await input(page, 'plan-name').inputValue(), `金海湖地区 平灾安置 ${fmt(9999999)} 人`);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    await page.getByRole('heading', { name: 'New plan' }).waitFor();
    await page.getByTestId('plan-townships').click();
    await page.getByRole('option', { name: '金海湖地区', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('demand-by').getByText('Number of people').click();
    await input(page, 'plan-people').fill('9999999');
    assert.equal(await input(page, 'plan-name').inputValue(), '金海湖地区 Disaster Resettlement 9,999,999 people');
    await page.getByTestId('over-population').waitFor();
    await shot(page, 'p3-over-population-en');
    noProblems(page);
    await context.close();
  });

  test('a plan short in a hundred villages: the list is cut short, namesakes with their township', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const towns = (await apiGet(page, '/regions?type=township&limit=100')).items.map((x) => x.id);
    const big = await makePlan(page, { name: '全区 超量', scenario: 'disaster', role: 'resettlement', affected: { township_ids: towns }, demand: { people: 9999999 }, teams: TEAMS, time_limit_s: 0.5 });
    const n = big.result.shortfall.villages.length;
    assert.ok(n > 13, `${n} villages short`);
    await page.goto(`/plans/${big.id}`);
    const box = page.getByTestId('shortfall');
    const list = box.getByTestId('shortfall-list');
    await list.locator('li').first().waitFor();
    assert.equal(await list.locator('li').count(), 12);
    await box.getByTestId('shortfall-more').getByText(`另有 ${n - 12} 个村，展开全部`).click();
    assert.equal(await list.locator('li').count(), n);
    // every village with its township
    assert.equal(await list.getByTestId('short-town').count(), n);
    await box.getByTestId('shortfall-more').getByText('收起').click();
    assert.equal(await list.locator('li').count(), 12);
    // demand above the residents, said on the result too
    await page.getByTestId('over-population').getByText(`需安置 ${fmt(9999999)} 人，超过受影响村（社区）的常住人口`, { exact: false }).waitFor();
    await page.getByTestId('plan-map').locator('canvas').first().waitFor();
    await shot(page, 'p3-shortfall-capped');
    noProblems(page);
    await context.close();
  });
});
