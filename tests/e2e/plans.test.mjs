// The plans pages as their users rely on them: a district officer makes a plan from a
// scenario (the API's validation error next to the field first), reads it on the map, the
// Gantt and the capacity-ready curve, makes a second plan from the first, compares the two and
// adopts one — its conversions start; a plan that cannot meet the demand says by how much and
// where; roles without plan access are refused the pages, a viewer reads without acting.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, choose, apiGet, DEMO_PW, TABLET, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { formatMinutes } from '../../web/src/utils/dualuse.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function noProblems(page) {
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
}
const fmt = (n) => formatNumber(n, 'zh-CN');
/** The text input of a form control (Element Plus puts data-testid on the <input> of an
 * el-input, on the wrapper of an el-select). */
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
/** The message under the form item that holds the element with data-testid id. */
const fieldError = (page, id) => page.locator('.el-form-item', { has: page.getByTestId(id) }).locator('.el-form-item__error');

/** Waits until the input holds the value (the form fills in after loading), then returns it. */
async function valueOf(loc, want, ms = 10000) {
  const end = Date.now() + ms;
  let v = await loc.inputValue();
  while (v !== want && Date.now() < end) {
    await loc.page().waitForTimeout(100);
    v = await loc.inputValue();
  }
  return v;
}

/** Canvas of a chart drawn: enough non-transparent pixels. */
async function inked(locator) {
  await locator.locator('canvas').first().waitFor();
  await locator.page().waitForTimeout(200);
  return locator.evaluate((el) => {
    const c = el.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) n++;
    return n;
  });
}

/** The plan's id from the detail page's URL. */
const planId = (page) => Number(page.url().match(/\/plans\/(\d+)$/)[1]);

let planA = null; // made by the first test, reused by the second

describe('plans', { timeout: budget(180000) }, () => {
  test('make a plan: the API refuses negative people next to the field; solving shows progress; map, Gantt, curve and figures', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const before = (await apiGet(page, '/plans?limit=500')).items.length;
    await page.getByRole('menubar').getByText('应急规划').click();
    await page.waitForURL(/\/plans$/);
    await page.getByRole('heading', { name: '应急规划' }).waitFor();
    await page.getByTestId('new-plan').click();
    await page.waitForURL(/\/plans\/new$/);
    await page.getByRole('heading', { name: '新建方案' }).waitFor();

    // the scenario: 平灾 resettlement for 金海湖地区
    await page.getByTestId('plan-scenario').getByText('平灾').click();
    await choose(page, page.getByTestId('plan-townships'), '金海湖地区');
    await page.keyboard.press('Escape');
    await input(page, 'plan-deadline').fill('24');
    await input(page, 'plan-time-limit').fill('1');

    // a negative number of people: the API's 422 on demand.people, shown at that field
    await page.getByTestId('demand-by').getByText('按人数').click();
    await input(page, 'plan-people').fill('-5');
    await page.getByTestId('solve').click();
    const err = fieldError(page, 'plan-people');
    await err.getByText(/数值超出允许范围：须在 0 到 [\d,]+ 之间/).waitFor();
    await page.getByTestId('field-error-summary').waitFor();
    await shot(page, '40-plan-form-error');
    assert.equal((await apiGet(page, '/plans?limit=500')).items.length, before, 'nothing saved');

    // 5 % of the population instead; the name suggested from the choices is replaced
    await page.getByTestId('demand-by').getByText('按人口比例').click();
    await input(page, 'plan-share').fill('5');
    await input(page, 'plan-name').fill('金海湖 平灾安置 5%（甲）');
    await page.getByTestId('solve').click();
    // progress while the server solves: elapsed time and the phase
    const solving = page.getByTestId('solving');
    await solving.waitFor();
    assert.match(await solving.innerText(), /正在求解[\s\S]*\d+:\d\d[\s\S]*阶段/);
    await shot(page, '40b-plan-solving'); // may already show the plan: solving takes about a second
    await page.waitForURL(/\/plans\/\d+$/);
    const id = planId(page);
    const p = await apiGet(page, `/plans/${id}`);
    planA = p;
    assert.equal(p.name, '金海湖 平灾安置 5%（甲）');
    assert.equal(p.status, 'draft');
    assert.deepEqual(p.request.affected, { township_ids: [(await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('金海湖地区'))).items[0].id] });
    assert.deepEqual(p.request.demand, { share: 0.05 });
    assert.equal(p.request.time_limit_s, 1);
    const s = p.result.summary;
    assert.ok(s.sites > 0 && s.demand > 0, 'a plan with sites');

    await page.getByRole('heading', { name: p.name }).waitFor();
    const stats = page.getByTestId('plan-stats');
    await stats.locator('[data-stat="served"]').getByText(`${fmt(s.served)} / ${fmt(s.demand)}`).waitFor();
    await stats.locator('[data-stat="shortfall"]').getByText(fmt(s.shortfall), { exact: true }).waitFor();
    await stats.locator('[data-stat="sites"]').getByText(`${fmt(s.sites)} / ${fmt(s.candidates)}`).waitFor();
    await stats.locator('[data-stat="objective"]').getByText(fmt(Math.round(s.objective)), { exact: true }).waitFor(); // a cost: whole
    await stats.locator('[data-stat="ready"]').getByText(formatMinutes(s.max_ready_minutes), { exact: true }).waitFor();
    const pc = (g) => `${fmt(Math.round(g * 10000) / 100)}%`;
    if (p.result.solver.flags.vulnerable_first) {
      // two stages (the vulnerable first): no gap of the whole plan, each stage's said as such
      assert.equal(s.gap, null);
      await stats.locator('[data-stat="gap"]').getByText('—', { exact: true }).waitFor();
      await stats.locator('[data-stat="gap"]').getByText(`各阶段差距（以前一阶段的选址为前提）：需照护人员 ${pc(p.result.solver.location_vulnerable.gap)}`, { exact: false }).waitFor();
      assert.match(await stats.locator('[data-stat="gap"]').getAttribute('title'), /不能说明整个方案还能改进多少/);
    } else {
      await stats.locator('[data-stat="gap"]').getByText(pc(s.gap), { exact: true }).waitFor();
      // what the gap means, on the card (single-source: the bound is loose)
      assert.match(await stats.locator('[data-stat="gap"]').getAttribute('title'), s.single_source ? /至多还能节省[\s\S]*同村集中安置时下界偏松/ : /至多还能节省/);
    }
    if (s.shortfall === 0) assert.equal(await page.getByTestId('shortfall').count(), 0);
    // the sites, earliest ready first, with their ready times
    const siteRows = page.getByTestId('plan-sites').locator('tbody tr');
    await siteRows.first().waitFor();
    assert.equal(await siteRows.count(), p.result.sites.length);
    const first = [...p.result.sites].sort((a, b) => a.ready_minutes - b.ready_minutes || b.used - a.used)[0];
    assert.match(await siteRows.first().innerText(), new RegExp(`${first.name}[\\s\\S]*${fmt(first.used)}/${fmt(first.capacity)}[\\s\\S]*${formatMinutes(first.ready_minutes)}`));
    // the map, the Gantt and the curve are drawn
    assert.ok((await inked(page.getByTestId('plan-map'))) > 2000, 'map drawn');
    // the lines of those needing medical care, drawn in their colour, have a legend entry
    const legend = (await page.getByTestId('plan-map').getAttribute('data-legend')).split('|');
    const vulnAssigned = p.result.assignments.some((a) => a.class === 'vulnerable');
    assert.equal(legend.includes('村 → 场所（需医疗照护人员）'), vulnAssigned, `legend ${legend.join(', ')}`);
    assert.ok(legend.includes('村 → 场所'));
    assert.ok((await inked(page.getByTestId('plan-gantt'))) > 300, 'Gantt drawn');
    assert.ok((await inked(page.getByTestId('plan-curve'))) > 300, 'curve drawn');
    // the Gantt's legend names the team types the schedule uses
    await page.getByTestId('plan-gantt').getByText('后勤保障').waitFor();
    // supply flows and assignments as tables
    if (p.result.supplies) {
      const card = page.getByTestId('plan-supplies');
      assert.equal(await card.getByTestId('supply-flows').locator('tbody tr').count(), p.result.supplies.flows.length);
      // the totals per category, each in its unit (not kilograms and litres added up)
      const cats = p.result.supplies.categories;
      assert.ok(cats.length >= 2, 'several categories');
      const catRows = card.getByTestId('supply-categories').locator('tbody tr');
      assert.equal(await catRows.count(), cats.length);
      const water = cats.find((c) => c.category === 'water');
      assert.equal(water.unit, 'L');
      assert.match(await catRows.nth(cats.indexOf(water)).innerText(), new RegExp(`饮用水[\\s\\S]*${fmt(water.demand)}升[\\s\\S]*${fmt(water.shipped)}升`));
      assert.equal(await card.getByText(`需求 ${fmt(p.result.supplies.total_demand)}`).count(), 0, 'no sum of mixed units');
    }
    assert.equal(await page.getByTestId('plan-assignments').locator('tbody tr').count(), p.result.assignments.length);
    await page.getByTestId('plan-map').scrollIntoViewIfNeeded();
    await shot(page, '41-plan-detail');
    await page.getByTestId('plan-gantt').scrollIntoViewIfNeeded();
    await shot(page, '42-plan-gantt-curve');
    // the list shows it
    await page.goto('/plans');
    const row = page.getByTestId('plan-table').locator('tr', { hasText: p.name });
    await row.getByText('草案').waitFor();
    assert.match(await row.innerText(), new RegExp(`平灾 · 安置[\\s\\S]*区应急局值班员[\\s\\S]*${fmt(s.served)} / ${fmt(s.demand)}`));
    await noProblems(page);
    await context.close();
  });

  test('a plan that cannot meet the demand says by how much and where (tablet width)', async () => {
    // before the adoption below takes sites near these villages out of peacetime
    const { context, page } = await openPage(browser, TABLET);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/plans/new');
    await page.getByTestId('plan-scenario').getByText('平灾').click();
    await page.getByTestId('affected-by').getByText('按村（社区）').click();
    await choose(page, page.getByTestId('plan-townships'), '金海湖地区');
    await page.keyboard.press('Escape');
    await page.getByTestId('plan-villages').click();
    for (const v of ['南山村', '将军关村']) {
      await input(page, 'plan-villages').fill(v);
      await page.getByRole('option', { name: new RegExp('^' + v) }).click();
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('demand-by').getByText('按人数').click();
    await input(page, 'plan-people').fill('3000');
    await input(page, 'plan-max-km').fill('3');
    await input(page, 'plan-time-limit').fill('1');
    await input(page, 'plan-name').fill('南山村、将军关村 3000 人（3 公里内）');
    await page.getByTestId('solve').click();
    await page.waitForURL(/\/plans\/\d+$/);
    const p = await apiGet(page, `/plans/${planId(page)}`);
    assert.equal(p.request.affected.village_ids.length, 2);
    const sf = p.result.shortfall;
    assert.ok(sf.total > 0, 'more people than sites within 3 km');
    assert.equal(p.shortfall, sf.total);
    const alert = page.getByTestId('shortfall');
    await alert.getByText(`本方案无法满足全部需求：缺口 ${fmt(sf.total)} 人（需求 ${fmt(p.demand)}，可安置 ${fmt(p.served)}）`).waitFor();
    for (const v of sf.villages) await alert.locator('li', { hasText: v.village_name }).getByText(`缺 ${fmt(v.people)} 人（需求 ${fmt(v.demand)}）`).waitFor();
    await page.getByTestId('plan-stats').locator('[data-stat="shortfall"]').getByText(fmt(sf.total), { exact: true }).waitFor();
    await page.getByTestId('plan-map').locator('canvas').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, 'the plan page fits 1024 px');
    await shot(page, '45-plan-shortfall-tablet');
    await noProblems(page);
    await context.close();
  });

  test('a second plan from the first, compared side by side; adopting it starts its conversions', async () => {
    assert.ok(planA, 'the first test made a plan');
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto(`/plans/${planA.id}`);
    await page.getByTestId('replan').click();
    await page.waitForURL(new RegExp(`/plans/new\\?from=${planA.id}$`));
    // the form holds the first plan's scenario
    assert.equal(await valueOf(input(page, 'plan-name'), `${planA.name}（调整）`), `${planA.name}（调整）`);
    assert.equal(await input(page, 'plan-share').inputValue(), '5');
    await page.getByTestId('plan-townships').getByText('金海湖地区').waitFor();
    // nearer sites only, and a different name
    await input(page, 'plan-max-km').fill('12');
    await input(page, 'plan-name').fill('金海湖 平灾安置 5%（乙，12 公里内）');
    await page.getByTestId('solve').click();
    await page.waitForURL(/\/plans\/\d+$/);
    const idB = planId(page);
    const b = await apiGet(page, `/plans/${idB}`);
    assert.equal(b.request.max_distance_km, 12);
    assert.ok(b.result.summary.max_km <= 12 + 1e-9, 'no assignment beyond 12 km');
    await page.getByRole('heading', { name: b.name }).waitFor();

    // compare with the first plan
    await choose(page, page.getByTestId('compare-with'), `#${planA.id} ${planA.name}`);
    await page.waitForURL(new RegExp(`/plans/compare\\?a=${idB}&b=${planA.id}$`));
    const cmp = await apiGet(page, `/plans/compare?a=${idB}&b=${planA.id}`);
    const figs = page.getByTestId('compare-figures');
    await figs.getByTestId('head-a').getByText(`#${idB} ${b.name}`).waitFor();
    for (const [fig, label, show] of [
      ['objective', '目标值', (v) => fmt(Math.round(v))], // costs and person-km whole
      ['sites', '启用场所数', fmt],
      ['max_km', '最远距离', (v) => `${fmt(v)} km`],
      ['person_km', '人·公里', (v) => fmt(Math.round(v))],
      ['max_ready_minutes', '全部就绪用时', (v) => formatMinutes(v)],
    ]) {
      const cells = (await figs.locator('tr', { has: page.locator(`[data-fig="${fig}"]`) }).locator('td').allInnerTexts()).map((c) => c.trim());
      assert.deepEqual(cells.slice(0, 3), [label, show(cmp.a[fig]), show(cmp.b[fig])], fig);
    }
    // every site of either plan is listed
    assert.equal(await page.getByTestId('compare-sites').locator('tbody tr').count(), cmp.sites.length);
    assert.ok((await inked(page.locator('[data-testid="plan-curve"]'))) > 300, 'both curves drawn');
    await shot(page, '43-plan-compare');

    // adopt plan B: confirm, then its conversions are under way
    await figs.getByTestId('head-a').getByRole('link').click();
    await page.waitForURL(new RegExp(`/plans/${idB}$`));
    await page.getByTestId('adopt').click();
    const box = page.getByRole('dialog', { name: '采纳方案' });
    await box.getByText(`立即对 ${b.result.sites.length} 个场所启动实战转换`).waitFor();
    await box.getByRole('button', { name: '采纳并启动转换' }).click();
    const adopted = page.getByTestId('adopted');
    await adopted.getByText(`方案已采纳：${b.result.sites.length} 个场所的实战转换已启动`).waitFor();
    await page.locator('.pj-page-head').getByTestId('plan-status').getByText('已采纳').waitFor();
    assert.equal(await page.getByTestId('adopt').count(), 0, 'an adopted plan is not adopted again');
    const after = await apiGet(page, `/plans/${idB}`);
    assert.equal(after.status, 'adopted');
    assert.equal(after.adopted_by, 'officer');
    assert.deepEqual(after.conversions.map((c) => c.facility_id).sort((x, y) => x - y), b.result.sites.map((x) => x.facility_id).sort((x, y) => x - y));
    for (const c of after.conversions) {
      const conv = await apiGet(page, `/conversions/${c.conversion_id}`);
      assert.equal(conv.mode, 'live');
      assert.equal(conv.state, 'converting');
      assert.equal(conv.scenario, 'disaster');
      assert.equal((await apiGet(page, `/facilities/${c.facility_id}`)).state, 'converting');
    }
    await shot(page, '44-plan-adopted');
    // the links lead to the cockpit of each conversion and to the conversions page
    const c0 = after.conversions[0];
    const site0 = b.result.sites.find((x) => x.facility_id === c0.facility_id);
    await adopted.getByTestId('conversion-' + c0.conversion_id).click();
    await page.waitForURL(new RegExp(`/conversions/${c0.conversion_id}$`));
    await page.getByRole('heading', { name: site0.name }).waitFor();
    await page.getByTestId('conv-state').getByText('转换中').waitFor();
    await page.goBack();
    // the plan's own conversions (the whole district's list had every conversion: standing a
    // plan down, its sites could not be told from the others)
    await page.getByTestId('adopted').getByRole('link', { name: '查看本方案的转换 →' }).click();
    await page.waitForURL(new RegExp(`/conversions\\?plan_id=${b.id}$`));
    await page.getByTestId('filter-plan').getByText(`方案 #${b.id} 的转换`).waitFor();
    await page.getByTestId('conversion-table').getByText(site0.name, { exact: true }).first().waitFor();
    // those it started and those it found converted and placed people in (its plan_sites)
    const listed = await page.getByTestId('conversion-table').locator('tbody tr').count();
    assert.equal(listed, Math.min(after.conversions.length + b.result.sites.filter((x) => x.ready_at_start).length, 20));
    // cleared: every conversion again
    await page.getByTestId('filter-plan').locator('.el-tag__close').click();
    await page.waitForURL(/\/conversions$/);
    await noProblems(page);
    await context.close();
  });

  test('roles: an enterprise user is refused the plans pages; a viewer reads plans without making or adopting', async () => {
    assert.ok(planA, 'the first test made a plan');
    const { context, page } = await openPage(browser);
    const forbidden = [];
    page.on('response', (r) => r.status() === 403 && forbidden.push(r.url()));
    await login(page, 'jd', DEMO_PW, { land: false });
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: '平急总览' }).waitFor();
    const nav = page.getByRole('menubar');
    await nav.getByText('设施台账').waitFor();
    assert.equal(await nav.getByText('应急规划').count(), 0, 'menu entry hidden');
    for (const path of ['/plans', `/plans/${planA.id}`, '/plans/new', `/plans/compare?a=${planA.id}&b=${planA.id}`]) {
      await page.goto(path);
      await page.getByText('无权限', { exact: true }).waitFor();
    }
    await shot(page, '46-plans-enterprise-forbidden');
    assert.deepEqual(forbidden, [], 'the console does not call what the role may not');
    // the API agrees
    assert.equal((await page.request.get('/api/v1/plans')).status(), 403);
    await noProblems(page);
    await context.close();

    const v = await openPage(browser);
    await login(v.page, 'viewer', DEMO_PW);
    await v.page.getByRole('menubar').getByText('应急规划').click();
    await v.page.getByTestId('plan-table').getByText(planA.name).waitFor();
    assert.equal(await v.page.getByTestId('new-plan').count(), 0, 'no new-plan button');
    await v.page.goto(`/plans/${planA.id}`);
    await v.page.getByRole('heading', { name: planA.name }).waitFor();
    await v.page.getByTestId('plan-gantt').locator('canvas').first().waitFor();
    assert.equal(await v.page.getByTestId('adopt').count(), 0, 'no adopt button');
    assert.equal(await v.page.getByTestId('replan').count(), 0, 'no revise button');
    await v.page.goto('/plans/new');
    await v.page.getByText('无权限', { exact: true }).waitFor();
    await noProblems(v.page);
    await v.context.close();
  });
});
