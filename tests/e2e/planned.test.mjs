// An adopted plan's schedule as the officer following its conversions sees it: the cockpit of a
// conversion started by the plan shows each step's planned window (a dashed box in the Gantt,
// Beijing clock times in the step list = started_at + the plan's minutes), marks the steps
// behind the plan and counts them; a conversion without a plan looks as before. A plan whose
// deadline some site misses marks that site (table, Gantt) and counts them in the summary.
// Real data, no interception: the plans are solved and adopted through the API; the
// conversions this file starts are aborted at its end, so the facilities are in peacetime again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';
import { formatDateTime } from '../../web/src/utils/format.js';
import { formatMinutes, planClock } from '../../web/src/utils/dualuse.js';

let browser;
const started = []; // conversion ids started by adopting, aborted in after()
let cleaner = null; // a page (officer's session) for the clean-up

before(async () => {
  browser = await launch();
});
after(async () => {
  if (cleaner) {
    for (const id of started) {
      const c = await apiGet(cleaner, `/conversions/${id}`).catch(() => null);
      if (c && c.state === 'converting')
        await cleaner.request.post(`/api/v1/conversions/${id}/abort`, { data: { reason: 'e2e: planned schedule test done', confirm: true } });
    }
    await cleaner.context().close();
  }
  await browser?.close();
});

async function noProblems(page) {
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
}
async function apiPost(page, p, data) {
  const res = await page.request.post('/api/v1' + p, data === undefined ? {} : { data });
  if (!res.ok()) throw new Error(`POST ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

const TEAMS = { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 };
/** A plan for the villages of a township in the north (away from the 金海湖 plans of plans.test.mjs). */
async function makePlan(page, name, extra = {}) {
  const tw = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('熊儿寨乡'))).items[0].id;
  const p = await apiPost(page, '/plans?wait=1', {
    name,
    scenario: 'disaster',
    role: 'resettlement',
    affected: { township_ids: [tw] },
    demand: { share: 0.05 },
    teams: TEAMS,
    time_limit_s: 1,
    ...extra,
  });
  assert.equal(p.status, 'draft', `plan ${name} solved`);
  return p;
}

/** Pixels of the Gantt's canvas in the dashed box's violet (#7c3aed, also blended with white). */
async function violetPixels(gantt) {
  await gantt.locator('canvas').first().waitFor();
  await gantt.page().waitForTimeout(300);
  return gantt.evaluate((el) => {
    const c = el.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i + 2] - d[i] > 40 && d[i] - d[i + 1] > 30) n++;
    return n;
  });
}

describe('plan schedules in the console', { timeout: budget(180000) }, () => {
  test('a conversion started by a plan: planned windows in the Gantt and the step list, steps behind the plan marked and counted', async () => {
    const { page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    cleaner = page;
    const plan = await makePlan(page, '熊儿寨 平灾安置 5%（排程）');
    const adopted = await apiPost(page, `/plans/${plan.id}/adopt`, { version: plan.version, confirm: true });
    assert.equal(adopted.status, 'adopted');
    assert.ok(adopted.conversions.length > 0, 'conversions started');
    started.push(...adopted.conversions.map((c) => c.conversion_id));

    // a conversion with a step planned at the start (behind as soon as the clock moves on) and
    // steps planned later (not behind yet)
    let conv = null;
    for (const c of adopted.conversions) {
      const x = await apiGet(page, `/conversions/${c.conversion_id}`);
      const convert = x.steps.filter((s) => s.phase === 'convert');
      if (convert.some((s) => s.planned_start_min === 0) && convert.some((s) => s.planned_start_min > 0)) {
        conv = x;
        break;
      }
    }
    assert.ok(conv, 'a conversion with steps planned at the start and later');
    const convert = conv.steps.filter((s) => s.phase === 'convert');
    const restore = conv.steps.filter((s) => s.phase === 'restore');
    for (const s of convert) assert.ok(Number.isInteger(s.planned_start_min) && s.planned_end_min >= s.planned_start_min, `${s.code} has the plan's times`);
    const first = convert.filter((s) => s.planned_start_min === 0);
    const later = convert.filter((s) => s.planned_start_min > 0);

    await page.goto(`/conversions/${conv.id}`);
    await page.getByRole('heading', { name: conv.facility_name }).waitFor();
    await page.getByTestId('conv-tags').getByTestId('from-plan').getByText('按方案启动').waitFor();
    // the Gantt: a dashed box per convert step, named in the legend and the hint
    const gantt = page.getByTestId('gantt');
    await gantt.locator('[data-legend="schedule"]').getByText('方案排程').waitFor();
    await page.getByTestId('gantt-plan-hint').getByText(/虚线框为采纳方案的排程/).waitFor();
    assert.ok((await violetPixels(gantt)) > 100, 'the planned boxes are drawn');

    // the step list: the plan's window in Beijing time = started_at + the plan's minutes
    const steps = page.getByTestId('steps-convert');
    for (const s of convert)
      assert.equal(
        (await steps.getByTestId('plan-window-' + s.code).innerText()).trim(),
        `${planClock(conv.started_at, s.planned_start_min)}–${planClock(conv.started_at, s.planned_end_min)}`,
        s.code,
      );
    const s0 = later[0];
    const hhmm = (m) => formatDateTime(new Date(Date.parse(conv.started_at) + m * 60000)).slice(11, 16);
    const shown = (await steps.getByTestId('plan-window-' + s0.code).innerText()).trim();
    assert.ok(shown.split('–')[0].endsWith(hhmm(s0.planned_start_min)) && shown.split('–')[1].endsWith(hhmm(s0.planned_end_min)), `${s0.code}: ${shown}`);
    // restore steps are not in the plan
    for (const s of restore) assert.equal(await page.getByTestId('plan-window-' + s.code).count(), 0, `${s.code} has no plan window`);

    // behind the plan: a step planned at the start is not behind within the 15 minutes the teams
    // have to start after the adoption (it was "behind" a minute later), nor are the later ones
    assert.ok(first.length > 0);
    for (const s of convert) assert.equal(await steps.getByTestId('behind-' + s.code).count(), 0, `${s.code} is not behind yet`);
    const count = page.getByTestId('stat-progress').getByTestId('behind-plan');
    await count.getByText('无落后计划的步骤').waitFor();
    const api = await apiGet(page, `/conversions/${conv.id}`);
    assert.equal(api.progress.behind_plan, 0);
    await shot(page, '46-conversion-planned');

    // starting the behind steps puts them back on the plan: no marker, no count
    for (const s of first) {
      await steps.getByTestId('start-' + s.code).click();
      await steps.getByTestId('timer-' + s.code).waitFor();
      await steps.getByTestId('behind-' + s.code).waitFor({ state: 'detached' });
      // the actual window next to the planned one
      await steps.locator('tr', { has: page.getByTestId('plan-window-' + s.code) }).getByText(/^实际 \S+–…$/).waitFor();
    }
    await count.getByText('无落后计划的步骤').waitFor();
    assert.equal((await apiGet(page, `/conversions/${conv.id}`)).progress.behind_plan, 0);

    // a conversion not started by a plan looks as before
    const other = (await apiGet(page, '/conversions?limit=100')).items.find((c) => !started.includes(c.id) && c.steps.every((s) => s.planned_start_min === null));
    assert.ok(other, 'a conversion of the demo');
    const o = await apiGet(page, `/conversions/${other.id}`);
    assert.ok(o.steps.every((s) => s.planned_start_min === null && s.behind_plan === false));
    await page.goto(`/conversions/${o.id}`);
    await page.getByRole('heading', { name: o.facility_name }).waitFor();
    await page.getByTestId('steps-convert').locator('tbody tr').first().waitFor();
    assert.equal(await page.getByTestId('from-plan').count(), 0);
    assert.equal(await page.getByTestId('behind-plan').count(), 0);
    assert.equal(await page.getByTestId('gantt-plan-hint').count(), 0);
    assert.equal(await page.locator('[data-legend="schedule"]').count(), 0);
    assert.equal(await page.locator('[data-testid^="plan-window-"]').count(), 0);
    assert.doesNotMatch(await page.getByTestId('steps-convert').locator('thead').innerText(), /方案排程/);
    // no planned boxes: they are hundreds of pixels (above); a stray pixel where two bars' edges
    // blend is none (one such failed this once, beside other files' conversions)
    const violet = await violetPixels(page.getByTestId('gantt'));
    assert.ok(violet < 10, `no planned boxes (${violet} violet pixels)`);
    await noProblems(page);
  });

  test('a plan with a deadline some site misses: the site is marked in the table and the Gantt, the summary counts them', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    // 7 hours: the manuals' critical paths fit, the shared teams make some site later
    const plan = await makePlan(page, '熊儿寨 平灾安置 5%（7 小时）', { deadline_hours: 7 });
    const sum = plan.result.summary;
    const late = plan.result.sites.filter((x) => x.after_deadline);
    assert.ok(late.length > 0, 'some site is ready after the deadline');
    assert.equal(sum.sites_after_deadline, late.length);
    for (const x of plan.result.sites) assert.equal(x.after_deadline, x.ready_minutes > 7 * 60, x.name);

    await page.goto(`/plans/${plan.id}`);
    await page.getByRole('heading', { name: plan.name }).waitFor();
    const stat = page.getByTestId('plan-stats').locator('[data-stat="ready"]').getByTestId('sites-after-deadline');
    assert.equal((await stat.innerText()).trim(), `${late.length} 个场所在时限（${formatMinutes(420)}）后就绪`);
    const table = page.getByTestId('plan-sites');
    for (const x of plan.result.sites) {
      const mark = table.getByTestId('after-deadline-' + x.facility_id);
      if (x.after_deadline) {
        await mark.getByText('超出时限').waitFor();
        // in the site's own row, next to its ready time
        assert.match(await table.locator('tr', { has: page.getByTestId('after-deadline-' + x.facility_id) }).innerText(), new RegExp(x.name));
      } else assert.equal(await mark.count(), 0, `${x.name} is ready in time`);
    }
    await page.getByTestId('plan-gantt').locator('[data-legend="after-deadline"]').getByText('时限后就绪').waitFor();
    await page.getByTestId('plan-gantt').scrollIntoViewIfNeeded();
    await shot(page, '47-plan-after-deadline');

    // in English too
    await page.locator('.pj-tools').getByText('English').click();
    await table.getByTestId('after-deadline-' + late[0].facility_id).getByText('After deadline').waitFor();
    assert.equal((await stat.innerText()).trim(), `Sites ready after the deadline (${formatMinutes(420, 'en')}): ${late.length}`);

    // a plan without a deadline says nothing of it; the first plan of this file had none
    const plans = (await apiGet(page, '/plans?limit=50')).items;
    const free = plans.find((x) => x.name === '熊儿寨 平灾安置 5%（排程）');
    assert.ok(free, 'the plan of the first test');
    assert.equal((await apiGet(page, `/plans/${free.id}`)).result.summary.sites_after_deadline, null);
    await page.goto(`/plans/${free.id}`);
    await page.getByRole('heading', { name: free.name }).waitFor();
    await page.getByTestId('plan-stats').locator('[data-stat="ready"]').waitFor();
    assert.equal(await page.getByTestId('sites-after-deadline').count(), 0);
    assert.equal(await page.locator('[data-testid^="after-deadline-"]').count(), 0);
    assert.equal(await page.locator('[data-legend="after-deadline"]').count(), 0);
    await noProblems(page);
    await context.close();
  });
});
