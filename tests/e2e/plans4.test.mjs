// The planner says what it was asked and what it did: the form's choice of the people needing
// medical care (the eldercare list, a number with what they need, or none) is sent as chosen
// and kept when a plan is made again from another; the plan page says where those people came
// from. The helpers of web/src/utils/plans.js behind them are checked first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';
import { adoptRefusal, compareInputs, emptyForm, formFromRequest, ganttBySite, scenarioBody, shortWhy } from '../../web/src/utils/plans.js';

const LAPTOP = { width: 1440, height: 900 };
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

describe('plans helpers: the people needing medical care', () => {
  test('the form sends the choice as made: the eldercare list, a number with its needs, or none', () => {
    const f = emptyForm();
    assert.equal(f.vulnerableBy, 'eldercare', 'the API’s default, said');
    assert.equal(scenarioBody(f).vulnerable, true);
    f.vulnerableBy = 'none';
    assert.equal(scenarioBody(f).vulnerable, false);
    f.vulnerableBy = 'count';
    f.vulnerable = '0';
    assert.deepEqual(scenarioBody(f).vulnerable, { count: 0, needs: 'medical_or_barrier_free' }, 'a typed 0 is sent, with the API’s default needs');
    f.vulnerable = '25';
    f.vulnerableNeeds = 'medical';
    assert.deepEqual(scenarioBody(f).vulnerable, { count: 25, needs: 'medical' });
    // a blank number is sent blank: the API names the field
    f.vulnerable = '';
    assert.ok('vulnerable' in scenarioBody(f) && scenarioBody(f).vulnerable.count === undefined);
  });

  test('making a plan again keeps what the request had', () => {
    const base = { name: 'x', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [1] }, demand: { share: 0.1 }, teams: { cleaning: 1 } };
    const again = (v) => scenarioBody(formFromRequest(v === undefined ? base : { ...base, vulnerable: v })).vulnerable;
    assert.equal(again(undefined), true, 'no key: the eldercare list (what the API did)');
    assert.equal(again(true), true);
    assert.equal(again(false), false);
    assert.deepEqual(again({ count: 30, needs: 'medical_or_barrier_free' }), { count: 30, needs: 'medical_or_barrier_free' });
    assert.deepEqual(again({ count: 30 }), { count: 30, needs: 'medical_or_barrier_free' }, 'no needs: the API’s default');
    assert.deepEqual(again({ count: 7, needs: 'medical' }), { count: 7, needs: 'medical' });
  });
});

describe('plans: what a refused adoption says of its site', () => {
  test('a site no longer in peacetime, a converted site no longer converted, one whose places were taken and one whose capacity was lowered are told apart', () => {
    assert.deepEqual(adoptRefusal({ code: 'facility_busy', message: '万达锦华酒店 (facility 2) is converting: a conversion can start only in peacetime' }), { key: 'adoptRefused', fid: 2 });
    assert.deepEqual(adoptRefusal({ code: 'facility_changed', message: 'facility 3 was converted when the plan was made and is no longer; plan again' }), { key: 'adoptNoLongerConverted', fid: 3 });
    const taken = { code: 'facility_changed', message: 'C (facility 3) has 10 places free now (20 taken by adopted plans), the plan puts 20 people there; plan again', details: { facility_id: 3, used: 20, free: 10, taken: 20 } };
    assert.deepEqual(adoptRefusal(taken), { key: 'adoptPlacesTaken', fid: 3, free: 10, used: 20 });
    // the figures from the details, not the message: a name with digits in it does not mislead
    assert.equal(adoptRefusal({ ...taken, message: 'facility 99 酒店 (facility 3) has …' }).fid, 3);
    const lowered = { code: 'facility_changed', message: 'A (facility 1) has a capacity of 50 now, the plan puts 107 people there; plan again', details: { facility_id: 1, used: 107, free: 50, taken: 0 } };
    assert.deepEqual(adoptRefusal(lowered), { key: 'adoptCapacityLowered', fid: 1, free: 50, used: 107 });
    const rooms = { code: 'facility_changed', message: 'B (facility 2) has 2 places for people needing medical care now (its barrier-free rooms), the plan puts 3 of them there; plan again', details: { facility_id: 2, vulnerable: 3, vulnerable_free: 2, barrier_free_rooms: 2 } };
    assert.deepEqual(adoptRefusal(rooms), { key: 'adoptRoomsLowered', fid: 2, free: 2, used: 3 }, 'not told as a site no longer converted');
    const deleted = { code: 'facility_changed', message: 'A 近 (facility 1) no longer exists; plan again', details: { facility_id: 1, reason: 'deleted' } };
    assert.deepEqual(adoptRefusal(deleted), { key: 'adoptSiteDeleted', fid: 1 }, 'not told as a site no longer converted');
    const manual = { code: 'facility_changed', message: 'A 近 (facility 1) has a newer manual than the plan\'s (version 2, id 4; the plan was made with version 1, id 1); plan again', details: { facility_id: 1, reason: 'manual_changed', manual_id: 1, newest_manual_id: 4 } };
    assert.deepEqual(adoptRefusal(manual), { key: 'adoptManualChanged', fid: 1 }, 'a superseded manual is not told as a site no longer converted');
    assert.equal(adoptRefusal({ code: 'version_conflict', message: 'the plan was changed' }), null);
    assert.equal(adoptRefusal({ code: 'facility_busy', message: 'no id here' }), null);
  });

  test('a store whose stock the plan counts on is held by plans adopted since is told with its figures', () => {
    const held = { code: 'supplies_changed', message: 'S (facility 9) has 16 kg of grain to promise now (30 usable, 14 held by adopted plans), the plan ships 24 from it; plan again', details: { store_id: 9, category: 'grain', planned: 24, available: 16, usable: 30, held: 14 } };
    assert.deepEqual(adoptRefusal(held), { key: 'adoptSuppliesTaken', store: 9, category: 'grain', planned: 24, available: 16, usable: 30, held: 14 });
    assert.equal(adoptRefusal({ code: 'supplies_changed', message: 'no figures' }), null, 'without its details: the message as it is');
    const gone = { code: 'supplies_changed', message: 'S (facility 9) is no longer a supply store, the plan ships 24 kg of grain from it; plan again', details: { store_id: 9, category: 'grain', planned: 24, available: 0, usable: 0, held: 0, reason: 'not_a_store' } };
    assert.equal(adoptRefusal(gone).key, 'adoptStoreGone', 'a store that lost its role is said so, not as stock held by others');
  });
});

describe('plans helpers: why a village is short', () => {
  test('the reason of the people short, and of those needing medical care when it is another, about the sites that may take them', () => {
    const mixed = { village_id: 1, people: 40, vulnerable: 5, demand: 100, reason: 'sites_full', vulnerable_reason: 'out_of_reach' };
    assert.deepEqual(shortWhy(mixed, 'medical'), { main: { reason: 'sites_full', sites: 'shortSites' }, them: { reason: 'out_of_reach', sites: 'shortSitesMedical' } });
    assert.deepEqual(shortWhy(mixed, 'medical_or_barrier_free').them, { reason: 'out_of_reach', sites: 'shortSitesMedicalBf' });
    assert.equal(shortWhy({ ...mixed, vulnerable_reason: 'sites_full' }, 'medical').them, null, 'the same reason is said once');
    const onlyVuln = { people: 14, vulnerable: 14, reason: 'out_of_reach', vulnerable_reason: 'out_of_reach' };
    assert.deepEqual(shortWhy(onlyVuln, 'medical'), { main: { reason: 'out_of_reach', sites: 'shortSitesMedical' }, them: null }, 'all of them need medical care: their sites');
    assert.deepEqual(shortWhy({ people: 40, vulnerable: 0, reason: 'no_location', vulnerable_reason: null }), { main: { reason: 'no_location', sites: 'shortSites' }, them: null });
    assert.equal(shortWhy({ people: 3, vulnerable: 0 }), null, 'a plan made before reasons were given says none');
  });
});

describe('plans helpers: the compared inputs', () => {
  test('“each village to one site” is what the request asked (or the API’s default), the solver’s split a row of its own', () => {
    const relaxed = { request: { role: 'resettlement', teams: {} }, role: 'resettlement', result: { summary: { single_source: false }, solver: { flags: { single_source_relaxed: true } } } };
    const whole = { request: { role: 'resettlement', teams: {} }, role: 'resettlement', result: { summary: { single_source: true }, solver: { flags: { single_source_relaxed: false } } } };
    const rows = Object.fromEntries(compareInputs(relaxed, whole).map((r) => [r.key, r]));
    assert.deepEqual([rows.single_source.a, rows.single_source.b, rows.single_source.same], [true, true, true], 'both asked (by default) for whole villages');
    assert.deepEqual([rows.single_source_relaxed.a, rows.single_source_relaxed.b, rows.single_source_relaxed.same], [true, false, false]);
    const keys = compareInputs(relaxed, whole).map((r) => r.key);
    assert.equal(keys.indexOf('single_source_relaxed'), keys.indexOf('single_source') + 1, 'next to what was asked');
    // no split in either: no row for it; an isolation plan asks for split villages by default
    const iso = { request: { role: 'isolation', teams: {} }, role: 'isolation', result: { summary: { single_source: false }, solver: { flags: {} } } };
    const asked = { ...whole, request: { ...whole.request, single_source: false } };
    const r2 = Object.fromEntries(compareInputs(iso, asked).map((r) => [r.key, r]));
    assert.equal(r2.single_source_relaxed, undefined);
    assert.deepEqual([r2.single_source.a, r2.single_source.b], [false, false]);
  });
});

let browser;
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
async function townId(page, name) {
  return (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent(name))).items[0].id;
}

describe('plans: the people needing medical care on the pages', { timeout: budget(180000) }, () => {
  test('a plan made again from one with a number keeps the number and the needs; “none” sends vulnerable: false; the plan page names the source', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const town = await townId(page, '金海湖地区');
    const base = { scenario: 'disaster', role: 'resettlement', affected: { township_ids: [town] }, demand: { share: 0.05 }, teams: TEAMS, time_limit_s: 0.5 };
    const counted = await makePlan(page, { ...base, name: 'e2e 指定医疗照护人数', vulnerable: { count: 12, needs: 'medical_or_barrier_free' } });
    const listed = await makePlan(page, { ...base, name: 'e2e 养老名单' });

    // the plan page says where the people needing medical care came from
    await page.goto(`/plans/${listed.id}`);
    const src = page.getByTestId('vulnerable-source');
    await src.waitFor();
    assert.equal(await src.getAttribute('data-source'), 'eldercare');
    assert.match(await src.innerText(), new RegExp(`需医疗照护 ${listed.result.vulnerable.total} 人：按养老服务脆弱人群名单`));
    // a viewer has no eldercare records: no count per village, the page still says the total
    const reg = listed.result.vulnerable.registered_total;
    assert.ok(reg > 0 && reg === listed.result.vulnerable.villages.reduce((n, v) => n + v.registered, 0));
    {
      const { context: vc, page: vp } = await openPage(browser, LAPTOP);
      await login(vp, 'viewer', DEMO_PW, { land: false });
      const seen = await apiGet(vp, `/plans/${listed.id}`);
      assert.ok(seen.result.vulnerable.villages.length > 0 && seen.result.vulnerable.villages.every((v) => v.registered === null && v.people >= 0));
      assert.equal(seen.result.vulnerable.registered_total, reg);
      await vp.goto(`/plans/${listed.id}`);
      await vp.getByTestId('vulnerable-source').waitFor();
      assert.ok((await vp.getByTestId('vulnerable-source').innerText()).includes(`受影响村在册 ${reg.toLocaleString('en-US')} 人`));
      noProblems(vp);
      await vc.close();
    }
    await page.goto(`/plans/${counted.id}`);
    await page.getByTestId('vulnerable-source').waitFor();
    assert.equal(await page.getByTestId('vulnerable-source').getAttribute('data-source'), 'count');
    assert.match(await page.getByTestId('vulnerable-source').innerText(), /需医疗照护 12 人：按方案指定的人数 · 安置要求：医疗场所或其他场所的无障碍房间/);

    // made again: the form shows the number and what they need, as the request had them
    await page.getByTestId('replan').click();
    await page.waitForURL(/\/plans\/new/);
    await input(page, 'plan-vulnerable').waitFor();
    assert.equal(await input(page, 'plan-vulnerable').inputValue(), '12');
    assert.match(await page.getByTestId('plan-vulnerable-needs').innerText(), /医疗场所或其他场所的无障碍房间/);
    assert.match(await page.getByTestId('plan-vulnerable-sends').innerText(), /指定人数需医疗照护/);
    await page.waitForTimeout(400); // the choice's slide
    await shot(page, '70-plan-vulnerable-count');

    // none: sent as vulnerable: false, and the plan says so
    await page.getByTestId('plan-vulnerable-by').getByText('无', { exact: true }).click();
    assert.match(await page.getByTestId('plan-vulnerable-sends').innerText(), /不区分/);
    assert.equal(await page.getByTestId('plan-vulnerable').count(), 0, 'no number asked for');
    await input(page, 'plan-name').fill('e2e 不区分医疗照护');
    await page.getByTestId('solve').click();
    await page.waitForURL(/\/plans\/\d+$/);
    const id = Number(page.url().match(/\/plans\/(\d+)$/)[1]);
    const p = await apiGet(page, `/plans/${id}`);
    assert.equal(p.request.vulnerable, false);
    assert.equal(p.result.vulnerable.source, 'none');
    assert.equal(p.result.summary.vulnerable, 0);
    await page.getByTestId('vulnerable-source').waitFor();
    assert.equal(await page.getByTestId('vulnerable-source').getAttribute('data-source'), 'none');
    noProblems(page);
    await context.close();
  });
});

describe('plans: what the plan left out', { timeout: budget(180000) }, () => {
  test('medical sites the teams cannot staff are named on the plan page with what they lack', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const teams = { ...TEAMS, disinfection: 8 };
    const body = { scenario: 'disaster', role: 'resettlement', affected: { township_ids: [303, 1073, 523] }, demand: { share: 0.1 }, vulnerable: { count: 150, needs: 'medical' }, time_limit_s: 0.5 };
    const p = await makePlan(page, { ...body, name: 'e2e 医疗队伍不足', teams });
    const ex = p.result.excluded;
    const base = ex.find((x) => x.facility_id === 4);
    assert.ok(base, 'the medical base is left out');
    assert.deepEqual(base.teams[0], { team_type: 'medical', needed: 10, given: 4 });
    await page.goto(`/plans/${p.id}`);
    const box = page.getByTestId('plan-excluded');
    await box.waitFor();
    assert.equal(Number(await box.getAttribute('data-count')), ex.length);
    assert.match(await box.innerText(), new RegExp(`${ex.length} 个可达的候选场所因队伍不足未纳入方案`));
    assert.match(await page.getByTestId('excluded-4').innerText(), new RegExp(`${base.name}（医疗）：医疗 需要 10 支，现有 4 支`));
    await box.scrollIntoViewIfNeeded();
    await shot(page, '71-plan-excluded');
    // enough medical teams: nothing left out, no box
    const q = await makePlan(page, { ...body, name: 'e2e 医疗队伍足够', teams: { ...teams, medical: 10 } });
    assert.ok(!q.result.excluded.some((x) => x.facility_id === 4 || x.facility_id === 5));
    assert.equal(q.result.summary.vulnerable_shortfall, 0);
    noProblems(page);
    await context.close();
  });

  // the schedule takes every team given as free from minute 0, while conversions under way (the
  // demo's, or an earlier adopted plan's) still have steps needing some of them: the draft says
  // so, naming the conversions, so that the officer can lower the teams
  test('a draft whose teams conversions under way still need says so, naming them', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const body = { scenario: 'disaster', role: 'resettlement', affected: { township_ids: [303] }, demand: { share: 0.05 }, time_limit_s: 0.5 };
    const p = await makePlan(page, { ...body, name: 'e2e 队伍仍在使用', teams: TEAMS });
    assert.ok(p.teams_busy.length > 0, 'the conversions under way need some of these teams');
    const b = p.teams_busy[0];
    const c = b.conversions[0];
    assert.ok(b.needed >= c.teams && c.teams > 0 && c.steps > 0);
    await page.goto(`/plans/${p.id}`);
    const box = page.getByTestId('plan-teams-busy');
    await box.waitFor();
    assert.equal(Number(await box.getAttribute('data-count')), p.teams_busy.length);
    assert.match(await box.innerText(), /部分给定队伍仍在执行进行中的转换，本方案排程却按全部空闲计算/);
    const li = await page.getByTestId('teams-busy-' + b.team_type).innerText();
    assert.match(li, new RegExp(`给定 ${b.given} 支，进行中的转换最多还需 ${b.needed} 支：`));
    assert.ok(li.includes(c.facility_name) && li.includes(`${c.steps} 个步骤未完成，需 ${c.teams} 支`), li);
    // a long list: the first three, the rest counted, all on demand
    const long = p.teams_busy.find((x) => x.conversions.length > 4);
    if (long) {
      const row = page.getByTestId('teams-busy-' + long.team_type);
      assert.ok((await row.innerText()).includes(`另有 ${long.conversions.length - 3} 个转换`));
      await page.getByTestId('teams-busy-more').click();
      assert.ok((await row.innerText()).includes(long.conversions.at(-1).facility_name));
    }
    await box.scrollIntoViewIfNeeded();
    await shot(page, '71-plan-teams-busy');
    // adopting it: the server refuses it unconfirmed (409 teams_busy naming the types), and the
    // page's adopt dialog names the busy teams (it sends the confirmation); cancelled here
    const res = await page.request.post(`${BASE}/api/v1/plans/${p.id}/adopt`, { data: {} });
    assert.equal(res.status(), 409);
    const err = (await res.json()).error;
    assert.equal(err.code, 'teams_busy');
    assert.equal(err.field, 'confirm');
    assert.ok(err.message.includes(`${b.team_type}: ${b.given} given, conversions under way still need up to ${b.needed}`), err.message);
    assert.equal((await apiGet(page, `/plans/${p.id}`)).status, 'draft', 'nothing adopted');
    await page.getByTestId('adopt').click();
    const dlg = page.getByRole('dialog', { name: '采纳方案' });
    await dlg.waitFor();
    const said = await dlg.innerText();
    assert.ok(said.includes('注意：排程按全部空闲计算的队伍仍在执行其他转换（') && said.includes(`给定 ${b.given} 支，进行中的转换最多还需 ${b.needed} 支`), said);
    await shot(page, '71-plan-teams-busy-adopt');
    await dlg.getByRole('button', { name: '取消' }).click();
    await dlg.waitFor({ state: 'hidden' });

    // a plan of one person, adopted from the page (confirmed in its dialog): it still says
    // which teams were at work when it was adopted
    const one = await makePlan(page, { ...body, name: 'e2e 队伍仍在使用 采纳', demand: { people: 1 }, vulnerable: false, teams: TEAMS });
    assert.ok(one.teams_busy.length > 0);
    await page.goto(`/plans/${one.id}`);
    await page.getByTestId('plan-teams-busy').waitFor();
    await page.getByTestId('adopt').click();
    const adoptDlg = page.getByRole('dialog', { name: '采纳方案' });
    await adoptDlg.getByText('注意：排程按全部空闲计算的队伍仍在执行其他转换', { exact: false }).waitFor();
    await adoptDlg.getByRole('button', { name: '采纳并启动转换' }).click();
    await adoptDlg.waitFor({ state: 'hidden' });
    await page.locator('.pj-page-head [data-testid="plan-status"][data-value="adopted"]').waitFor();
    const kept = page.getByTestId('plan-teams-busy');
    await kept.getByText('采纳时部分给定队伍仍在执行其他转换', { exact: false }).waitFor();
    const now = await apiGet(page, `/plans/${one.id}`);
    assert.equal(now.status, 'adopted');
    assert.deepEqual(now.teams_busy.map((x) => x.team_type), one.teams_busy.map((x) => x.team_type), 'kept as at its adoption, not recomputed to []');
    assert.equal(Number(await kept.getAttribute('data-count')), now.teams_busy.length);
    await shot(page, '71-plan-teams-busy-adopted');
    noProblems(page);
    await context.close();
  });
});

describe('plans: the plan page at 1440 px, the compare page’s inputs', { timeout: budget(180000) }, () => {
  test('the solver card shows every column; a Gantt label names its site in full on hover; compare shows what was asked', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const body = { scenario: 'disaster', role: 'resettlement', affected: { township_ids: [303, 1073, 523] }, demand: { share: 0.1 }, teams: { ...TEAMS, disinfection: 8 }, time_limit_s: 0.5 };
    const p = await makePlan(page, { ...body, name: 'e2e 三镇 10%' });
    await page.goto(`/plans/${p.id}`);
    const solver = page.getByTestId('solver');
    await solver.scrollIntoViewIfNeeded();
    await solver.locator('tbody tr').first().waitFor();
    // the table fits its card: no sideways scrolling, the last column inside the card
    const fit = await solver.evaluate((card) => {
      const wrap = card.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') || card.querySelector('.el-table__body-wrapper');
      const heads = card.querySelectorAll('.el-table__header th');
      const last = heads[heads.length - 1].getBoundingClientRect();
      const body = card.querySelector('.el-card__body').getBoundingClientRect();
      return { scroll: wrap.scrollWidth - wrap.clientWidth, lastRight: last.right, bodyRight: body.right };
    });
    assert.ok(fit.scroll <= 1, `the solver table scrolls sideways by ${fit.scroll} px`);
    assert.ok(fit.lastRight <= fit.bodyRight + 1, `the last column ends at ${fit.lastRight}, the card at ${fit.bodyRight}`);
    await shot(page, '72-plan-solver-1440');

    // the Gantt's labels: the longest name, cut before at 12 characters, is named in full on hover
    const rows = ganttBySite(p.result.schedule.gantt, p.result.schedule.ready);
    const i = rows.reduce((b, r, k) => (r.name.length > rows[b].name.length ? k : b), 0);
    assert.ok(rows[i].name.length > 12, 'a long name in the plan');
    const gantt = page.getByTestId('plan-gantt');
    await gantt.scrollIntoViewIfNeeded();
    const canvas = gantt.locator('canvas').first();
    await canvas.waitFor();
    const scroll = page.getByTestId('gantt-scroll');
    const seen = new Set();
    let box;
    // a busy machine may still lay the page out or draw the chart: the sweep is tried again
    // from the chart's box as it is then, up to three times
    for (let attempt = 0; attempt < 3 && !seen.has(rows[i].name); attempt++) {
      if (attempt) await page.waitForTimeout(1000);
      // the row in the middle of the window (the chart is taller than it)
      box = await canvas.boundingBox();
      // (the plot's top: 24 px, or 56 px below the hours at the head of a chart of over 15 sites)
      const top = rows.length > 15 ? 56 : 24;
      const rowY = top + ((i + 0.5) * (box.height - top - 34)) / rows.length;
      // scrolled by the box that scrolls the page (the console's main pane, not the window): the
      // row's place depends on the plan, which a 0.5 s solve on a busy machine may change
      await canvas.evaluate((el, dy) => {
        let p = el.parentElement;
        while (p && !(p.scrollHeight > p.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(p).overflowY))) p = p.parentElement;
        (p || document.scrollingElement).scrollBy(0, dy);
      }, box.y + rowY - LAPTOP.height / 2);
      await page.waitForTimeout(200);
      // the page still moving (layout, a late resize of the chart): wait until the box holds still
      box = await canvas.boundingBox();
      for (let k = 0; k < 10; k++) {
        await page.waitForTimeout(100);
        const b = await canvas.boundingBox();
        if (b.y === box.y && b.height === box.height && b.width === box.width) break;
        box = b;
      }
      const y = box.y + rowY;
      // the labels' text is the hover target: look along the row and up to a row's height above
      // and below (the rows' positions are estimated from the chart's box)
      const rowH = Math.max(12, (box.height - top - 34) / rows.length);
      for (let dy = 0; Math.abs(dy) <= rowH && !seen.has(rows[i].name); dy = dy > 0 ? -dy : 3 - dy)
        for (let x = box.x + 12; x < box.x + 300 && !seen.has(rows[i].name); x += 10) {
          await page.mouse.move(x, y + dy);
          const title = await scroll.getAttribute('title');
          if (title) seen.add(title);
        }
    }
    assert.ok(seen.has(rows[i].name), `hovered ${[...seen].join(', ')}; not ${rows[i].name}`);
    await page.mouse.move(box.x + box.width / 2, box.y + 4);
    await shot(page, '73-plan-gantt-labels-1440');

    // compare: the default (whole villages) shown as asked
    const q = await makePlan(page, { ...body, name: 'e2e 三镇 10% 分村', single_source: false });
    await page.goto(`/plans/compare?a=${p.id}&b=${q.id}`);
    const inputs = page.getByTestId('compare-inputs');
    await inputs.locator('[data-a="single_source"]').waitFor();
    assert.equal(await inputs.locator('[data-a="single_source"]').innerText(), '是');
    assert.equal(await inputs.locator('[data-b="single_source"]').innerText(), '否');
    const relaxed = p.result.solver.flags.single_source_relaxed;
    assert.equal(await inputs.locator('[data-a="single_source_relaxed"]').count(), relaxed ? 1 : 0);
    noProblems(page);
    await context.close();
  });
});

describe('plans: an adoption refused because a site changed', { timeout: budget(180000) }, () => {
  test('a site whose capacity was lowered since the plan: the page says so with the figures, in Chinese; nothing is adopted', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const town = await townId(page, '金海湖地区');
    const p = await makePlan(page, { name: 'e2e 容量下调', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [town] }, demand: { share: 0.02 }, vulnerable: false, teams: TEAMS, time_limit_s: 0.5 });
    const site = p.result.sites.find((s) => !s.ready_at_start && s.used > 1);
    assert.ok(site, 'a site to convert');
    const f = await apiGet(page, `/facilities/${site.facility_id}`);
    const roles = f.emergency_roles;
    const patch = async (version, emergency_roles) => {
      const res = await page.request.patch(`${BASE}/api/v1/facilities/${site.facility_id}`, { data: { version, emergency_roles } });
      assert.equal(res.status(), 200, await res.text());
      return res.json();
    };
    // the operator lowers its resettlement beds below what the plan puts there
    const lowered = await patch(f.version, roles.map((r) => (r.role === 'resettlement' ? { ...r, capacity: site.used - 1 } : r)));
    try {
      await page.goto(`/plans/${p.id}`);
      await page.getByTestId('adopt').click();
      const box = page.getByRole('dialog', { name: '采纳方案' });
      await box.getByRole('button', { name: '采纳并启动转换' }).click();
      const err = page.getByTestId('adopt-error');
      await err.waitFor();
      const text = await err.innerText();
      assert.ok(text.includes(`采纳被拒绝：场所“${site.name}”的容量在制定方案后已下调：现可容纳 ${site.used - 1}，本方案要安排 ${site.used} 人`), text);
      assert.ok(!text.includes('平时状态'), 'not said to be out of peacetime: it is in peacetime');
      const now = await apiGet(page, `/plans/${p.id}`);
      assert.equal(now.status, 'draft');
      assert.equal((await apiGet(page, `/facilities/${site.facility_id}`)).state, 'peacetime');
      noProblems(page);
    } finally {
      await patch(lowered.version, roles);
      await context.close();
    }
  });

  test('a plan that places no one offers no adoption (the server refuses it: nothing_to_adopt)', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const town = await townId(page, '金海湖地区');
    const v = (await apiGet(page, `/regions?parent_id=${town}&limit=1`)).items[0];
    // everyone needs a medical site; the medical bases need teams not given
    const p = await makePlan(page, { name: 'e2e 无人安置', scenario: 'disaster', role: 'resettlement', affected: { village_ids: [v.id] }, demand: { people: 20 }, vulnerable: { count: 20, needs: 'medical' }, teams: TEAMS, time_limit_s: 0.3 });
    assert.equal(p.result.sites.length, 0);
    assert.equal(p.result.summary.shortfall, 20);
    const res = await page.request.post(`${BASE}/api/v1/plans/${p.id}/adopt`, { data: {} });
    assert.equal(res.status(), 409);
    assert.equal((await res.json()).error.code, 'nothing_to_adopt');
    await page.goto(`/plans/${p.id}`);
    await page.locator('.pj-page-head').getByTestId('plan-status').waitFor();
    await page.getByTestId('replan').waitFor();
    assert.equal(await page.getByTestId('adopt').count(), 0, 'no adopt button');
    noProblems(page);
    await context.close();
  });
});
