// Review fixes of the dual-use pages: the cockpit's messages (aborting completes no phase), the
// deadline of a conversion started by adopting a plan (the plan's ready time, not the
// standard's target), the overview opening on the scenario with conversions under way with its
// figures whole, and tables that keep their columns clear of the fixed actions column at
// 1366 px. The pure helpers behind them are tested first. A plan is solved and adopted through
// the API; its conversions are aborted at the end, so the facilities are in peacetime again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import en from '../../web/src/i18n/en.js';
import { busiestScenario, completedPhase, formatMinutes, ganttMarks, ganttRowLabel, planClock } from '../../web/src/utils/dualuse.js';

const WIDE = { width: 1366, height: 768 };
let browser;
const started = []; // conversions started by adopting, aborted in after()
let cleaner = null;

before(async () => {
  browser = await launch();
});
after(async () => {
  if (cleaner) {
    for (const id of started) {
      const c = await apiGet(cleaner, `/conversions/${id}`).catch(() => null);
      if (c && c.state === 'converting') await cleaner.request.post(`/api/v1/conversions/${id}/abort`, { data: { reason: 'e2e: dualuse2 done', confirm: true } });
    }
    await cleaner.context().close();
  }
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
async function apiPost(page, p, data) {
  const res = await page.request.post('/api/v1' + p, data === undefined ? {} : { data });
  if (!res.ok()) throw new Error(`POST ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}
/** The element's text is not cut off ("…" or clipped): nothing wider than its box. */
async function whole(locator, what) {
  // measured once the layout has settled (columns are laid out again after a change of
  // language or scroll bar): a real cut stays
  let cut = [];
  for (let i = 0; i < 20; i++) {
    cut = await locator.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.trim()));
    if (!cut.length) return;
    await new Promise((res) => setTimeout(res, 150));
  }
  assert.deepEqual(cut, [], `${what}: cut off`);
}
/** The el-table does not scroll sideways: every column is in view, none under the fixed one. */
async function tableFits(table, what) {
  // the table lays its columns out again after a change of language or of the page's scroll
  // bar: a real overflow stays, a passing one is gone within a couple of seconds
  let r;
  for (let i = 0; i < 20; i++) {
    r = await table.evaluate((el) => {
      const wrap = el.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') || el.querySelector('.el-table__body-wrapper');
      return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
    });
    if (r.scroll <= r.client + 1) return;
    await new Promise((res) => setTimeout(res, 150));
  }
  assert.ok(r.scroll <= r.client + 1, `${what}: the table is ${r.scroll} px wide in ${r.client} px`);
}

describe('dual-use review fixes: helpers', () => {
  test('completedPhase: only the end of a phase, not aborting or starting to restore', () => {
    const c = (state) => ({ state });
    assert.equal(completedPhase(c('converting'), c('emergency')), 'convert');
    assert.equal(completedPhase(c('running'), c('finished')), 'convert');
    assert.equal(completedPhase(c('restoring'), c('completed')), 'restore');
    // a conversion aborted after work began ends aborted once its restore steps are done
    assert.equal(completedPhase(c('restoring'), c('aborted')), 'restore');
    // restoring a manual without restore steps (emergency → completed) completes no steps: the
    // restore's own message says the facility is back in peacetime, one message
    assert.equal(completedPhase(c('emergency'), c('completed')), null);
    assert.equal(completedPhase(c('converting'), c('restoring')), null);
    assert.equal(completedPhase(c('converting'), c('aborted')), null);
    assert.equal(completedPhase(c('running'), c('aborted')), null);
    assert.equal(completedPhase(c('emergency'), c('restoring')), null);
    assert.equal(completedPhase(c('converting'), c('converting')), null);
    assert.equal(completedPhase(null, c('emergency')), null);
  });

  test('busiestScenario: the scenario with the most conversions under way, 平疫 by default and on a tie', () => {
    assert.equal(busiestScenario({ epidemic: 1, disaster: 16, holiday: 0, event: 0 }), 'disaster');
    assert.equal(busiestScenario({ epidemic: 0, disaster: 0, holiday: 0, event: 2 }), 'event');
    assert.equal(busiestScenario({ epidemic: 2, disaster: 2 }), 'epidemic');
    assert.equal(busiestScenario({}), 'epidemic');
    assert.equal(busiestScenario(undefined), 'epidemic');
  });

  test('English counts read right for one: no "1 sites" or "1 steps"', () => {
    const fill = (msg, vars) => msg.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));
    const counted = [
      ['plan.uncovered', en.plan.uncovered],
      ['drill.tooFast', en.drill.tooFast],
      ['drill.tooFastShort', en.drill.tooFastShort],
    ];
    for (const [key, msg] of counted)
      for (const n of [1, 2]) {
        const text = fill(msg, { n, p: '50', pct: 25 });
        assert.ok(!/(^|[^\d.,])1 [a-z]+s\b/.test(text), `${key} with n = ${n}: ${text}`);
        assert.ok(text.includes(String(n)), `${key}: the count is said`);
      }
    assert.equal(fill(en.plan.uncovered, { n: 1, p: '50' }), 'Sites no longer housing (conversion aborted or site restored): 1; the people planned there (50) have no place');
  });

  test('the Gantt on a phone: codes as labels; now labelled below, the target above', () => {
    const row = { code: 'S1', name: '清空住客并实施封闭管理（全楼）', critical: true };
    assert.equal(ganttRowLabel(row, true), '★ S1 清空住客并实施封闭管理…');
    assert.equal(ganttRowLabel(row, false), '★ S1');
    assert.equal(ganttRowLabel({ ...row, critical: false }, false), 'S1');
    // now and the target close together: their labels at opposite ends of the lines
    const [now, target] = ganttMarks({ now: 110, target: 120, max: 1440, nowLabel: '当前', targetLabel: '时限 2 小时' });
    assert.equal(now.label.formatter, '当前');
    assert.equal(target.label.formatter, '时限 2 小时');
    assert.notEqual(now.label.position, target.label.position);
    assert.equal(target.label.align, 'center');
    // a target near the right edge ends at its line
    assert.equal(ganttMarks({ target: 1400, max: 1440 })[0].label.align, 'right');
    assert.deepEqual(ganttMarks({}), []);
  });
});

describe('dual-use review fixes: pages', { timeout: budget(180000) }, () => {
  let conv = null; // a conversion of the adopted plan whose ready time lies past the target

  test('a conversion started by a plan counts against the plan\'s ready time, in the cockpit and the list', async () => {
    const { page } = await openPage(browser, WIDE);
    await login(page, 'officer', DEMO_PW);
    cleaner = page;
    const tw = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('夏各庄镇'))).items[0].id;
    const plan = await apiPost(page, '/plans?wait=1', {
      name: '夏各庄 平灾安置（时限）',
      scenario: 'disaster',
      role: 'resettlement',
      affected: { township_ids: [tw] },
      demand: { share: 0.3 },
      teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
      time_limit_s: 1,
    });
    assert.equal(plan.status, 'draft', 'the plan is solved');
    const adopted = await apiPost(page, `/plans/${plan.id}/adopt`, { version: plan.version, confirm: true });
    started.push(...adopted.conversions.map((c) => c.conversion_id));
    for (const c of adopted.conversions) {
      const x = await apiGet(page, `/conversions/${c.conversion_id}`);
      if (x.target_hours != null && x.plan_ready_minutes > x.target_hours * 60) {
        conv = x;
        break;
      }
    }
    assert.ok(conv, 'a site the plan expects ready after the standard\'s target');
    const ready = Math.max(...conv.steps.filter((s) => s.phase === 'convert').map((s) => s.planned_end_min));
    assert.equal(conv.plan_ready_minutes, ready);
    assert.equal(conv.deadline_minutes, ready);
    assert.equal(conv.deadline_from, 'plan');
    assert.equal(conv.over_deadline, false);

    // the cockpit: the plan's ready time is the deadline; the standard's target for reference
    await page.goto(`/conversions/${conv.id}`);
    await page.getByRole('heading', { name: conv.facility_name }).waitFor();
    const stat = page.getByTestId('stat-elapsed');
    await stat.getByText('已用时 / 方案就绪时限').waitFor();
    assert.equal((await stat.getByTestId('deadline').innerText()).trim(), `方案就绪时限 ${formatMinutes(ready)}（${planClock(conv.started_at, ready)}）`);
    assert.equal((await stat.getByTestId('standard-target').innerText()).trim(), `标准时限 ${formatMinutes(conv.target_hours * 60)}（参考）`);
    assert.equal(await stat.locator('.pj-over').count(), 0, 'not overdue');
    // the step table at 1366 px: the plan's column in, nothing under the fixed actions column
    await page.getByTestId('steps-convert').locator('tbody tr').first().waitFor();
    await tableFits(page.getByTestId('steps-convert').locator('.el-table'), 'cockpit steps');
    await shot(page, 'du2-cockpit-plan-deadline');

    // the list: the plan's ready time, not the target
    await page.goto('/conversions?mode=live');
    const row = page.getByTestId('conversion-table').locator('tr', { has: page.getByRole('link', { name: `#${conv.id}`, exact: true }) });
    assert.equal((await row.getByTestId('deadline').innerText()).trim(), `/ 方案 ${formatMinutes(ready)}`);
    assert.equal(await row.locator('.pj-over').count(), 0, 'not overdue');
    await tableFits(page.getByTestId('conversion-table'), 'conversion list');
    await shot(page, 'du2-list-plan-deadline');
    // in English too: every column in view, no tag or figure cut off
    await page.locator('.pj-tools').getByText('English').click();
    await page.getByRole('heading', { name: 'Conversions and drills' }).waitFor();
    assert.equal((await row.getByTestId('deadline').innerText()).trim(), `/ plan ${formatMinutes(ready, 'en')}`);
    await tableFits(page.getByTestId('conversion-table'), 'conversion list (en)');
    await whole(page.getByTestId('conversion-table').locator('.el-table__body-wrapper td .cell'), 'conversion list cells (en)');
    await shot(page, 'du2-list-plan-deadline-en');
    await page.locator('.pj-tools').getByText('中文').click();
    noProblems(page);
  });

  test('the overview opens on the scenario with conversions under way; its figures and headers whole', async () => {
    assert.ok(conv, 'the first test adopted a plan');
    for (const lang of ['zh-CN', 'en']) {
      const { context, page } = await openPage(browser, WIDE);
      await login(page, 'officer', DEMO_PW);
      if (lang === 'en') {
        await page.locator('.pj-tools').getByText('English').click();
        await page.getByRole('heading', { name: 'Overview' }).waitFor();
      } else await page.getByRole('heading', { name: '平急总览' }).waitFor();
      const ov = await apiGet(page, '/overview?scenario=disaster');
      assert.ok(ov.live_by_scenario.disaster > ov.live_by_scenario.epidemic, 'more disaster conversions under way');
      const n = formatNumber(ov.live_by_scenario.disaster, lang);
      await page.getByTestId('scenario-switch').locator('.is-selected').getByText(lang === 'en' ? `Disaster (${n})` : `平灾（${n}）`).waitFor();
      await page.getByText(lang === 'en' ? 'Emergency capacity (Disaster)' : '应急能力（平灾）').waitFor();
      const beds = ov.roles.find((r) => r.role === 'resettlement');
      assert.ok(beds.converting > 0, 'beds converting');
      const table = page.getByTestId('capacity-table');
      await table.locator('tr', { hasText: lang === 'en' ? 'Resettlement beds' : '安置床位' }).getByText(formatNumber(beds.converting, lang), { exact: true }).waitFor();
      await whole(table.locator('th .cell'), `${lang} capacity headers`);
      await whole(table.locator('td .pj-num'), `${lang} capacity figures`);
      await tableFits(table, `${lang} capacity table`);
      // the live conversions: at most 8 rows, their step columns in view
      const live = page.getByTestId('live-conversions');
      await live.locator('tbody tr').first().waitFor();
      assert.ok((await live.locator('tbody tr').count()) <= 8);
      await tableFits(live.locator('.el-table'), `${lang} live conversions`);
      if (ov.live_conversions.length > 8) await live.getByTestId('live-more').waitFor();
      await shot(page, `du2-overview-${lang}`);
      // a scenario chosen in the address stays chosen
      await page.goto('/dashboard?scenario=epidemic');
      await page.getByText(lang === 'en' ? 'Emergency capacity (Epidemic)' : '应急能力（平疫）').waitFor();
      await page.waitForTimeout(500);
      assert.match(page.url(), /scenario=epidemic/);
      noProblems(page);
      await context.close();
    }
  });
});

describe('step remarks', { timeout: budget(120000) }, () => {
  const PHONE = { width: 390, height: 844 };
  /** The message box lies within the window, its buttons on screen. */
  async function boxFits(page, box, what) {
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`);
    const b = await box.boundingBox();
    assert.ok(b.x >= 0 && b.x + b.width <= width, `${what}: the box spans ${b.x}–${b.x + b.width} px of ${width}`);
    for (const btn of await box.getByRole('button').all()) {
      const r = await btn.boundingBox();
      if (r) assert.ok(r.x >= 0 && r.x + r.width <= width, `${what}: a button spans ${r.x}–${r.x + r.width} px`);
    }
  }

  test('on a phone a facility operator starts a step with remarks and finishes it noting a problem met', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'wanda', DEMO_PW, { land: false });
    // a drill of her own hotel, aborted at the end
    const drill = await apiPost(page, '/conversions', { facility_id: 1, scenario: 'epidemic', mode: 'drill' });
    try {
      const s1 = drill.steps.find((s) => s.phase === 'convert' && !s.predecessors.length);
      const step = async () => (await apiGet(page, `/conversions/${drill.id}`)).steps.find((x) => x.id === s1.id);
      await page.goto(`/conversions/${drill.id}`);
      const card = page.getByTestId('card-' + s1.code);
      await card.getByTestId('start-' + s1.code).waitFor();
      // start with remarks: a box asks for them (optional), its button starts the step
      await card.getByTestId('start-remarks-' + s1.code).click();
      const box = page.getByRole('dialog', { name: `开始步骤 ${s1.code}（附备注）` });
      await box.locator('textarea').fill('  安保组 4 人到岗  ');
      await boxFits(page, box, 'the start box');
      await shot(page, 'du2-remarks-start-phone');
      await box.getByRole('button', { name: '开始', exact: true }).click();
      await card.locator('[data-status="running"]').waitFor();
      await card.getByText('备注：安保组 4 人到岗').waitFor();
      let s = await step();
      assert.equal(s.status, 'running');
      assert.equal(s.remarks, '安保组 4 人到岗');
      // finish with remarks: the box holds the step's remarks, the problem is added to them
      await card.getByTestId('finish-remarks-' + s1.code).click();
      const fbox = page.getByRole('dialog', { name: `完成步骤 ${s1.code}（附备注）` });
      const area = fbox.locator('textarea');
      assert.equal(await area.inputValue(), '安保组 4 人到岗');
      await area.fill('安保组 4 人到岗；消防通道堵塞，已通知物业清理');
      await boxFits(page, fbox, 'the finish box');
      await shot(page, 'du2-remarks-finish-phone');
      await fbox.getByRole('button', { name: '完成', exact: true }).click();
      await card.locator('[data-status="done"]').waitFor();
      await card.getByText('备注：安保组 4 人到岗；消防通道堵塞，已通知物业清理').waitFor();
      s = await step();
      assert.equal(s.status, 'done');
      assert.equal(s.finished_by, 'wanda');
      assert.equal(s.remarks, '安保组 4 人到岗；消防通道堵塞，已通知物业清理');
      await card.scrollIntoViewIfNeeded();
      await shot(page, 'du2-remarks-done-phone');
      // cancelling the box does nothing
      const next = (await apiGet(page, `/conversions/${drill.id}`)).steps.find((x) => x.phase === 'convert' && x.predecessors.includes(s1.code));
      await page.getByTestId('card-' + next.code).getByTestId('start-remarks-' + next.code).click();
      const nbox = page.getByRole('dialog', { name: `开始步骤 ${next.code}（附备注）` });
      await nbox.getByRole('button', { name: '取消', exact: true }).click();
      await nbox.waitFor({ state: 'hidden' });
      assert.equal((await apiGet(page, `/conversions/${drill.id}`)).steps.find((x) => x.id === next.id).status, 'pending');
      // at 1366 px the table's actions column holds the button and the remarks link, the
      // columns still in view
      await page.setViewportSize(WIDE);
      const table = page.getByTestId('steps-convert').locator('.el-table');
      await table.getByTestId('start-remarks-' + next.code).waitFor();
      await tableFits(table, 'cockpit steps with the remarks link');
      await table.getByTestId('start-remarks-' + next.code).scrollIntoViewIfNeeded();
      await shot(page, 'du2-remarks-table');
      const link = await table.getByTestId('start-remarks-' + next.code).boundingBox();
      const btn = await table.getByTestId('start-' + next.code).boundingBox();
      assert.ok(link.y >= btn.y + btn.height - 1, 'the remarks link sits under the start button');
      noProblems(page);
    } finally {
      await page.request.post(`/api/v1/conversions/${drill.id}/abort`, { data: { reason: 'e2e: step remarks done' } });
      await context.close();
    }
  });
});

describe('writes within scope', { timeout: budget(120000) }, () => {
  test('a facility drilled once shows its drill\'s target in the trend (one point draws no line)', async () => {
    const { context, page } = await openPage(browser, WIDE);
    await login(page, 'officer', DEMO_PW, { land: false });
    try {
      // a facility of the demo with exactly one finished drill and a target for it
      let one = null;
      for (const f of (await apiGet(page, '/facilities?limit=200')).items) {
        const d = (await apiGet(page, `/facilities/${f.id}/drills`)).drills;
        if (d.length === 1 && d[0].target_minutes > 0) {
          one = f;
          break;
        }
      }
      assert.ok(one, 'a facility drilled once');
      await page.goto(`/facilities/${one.id}`);
      const trend = page.getByTestId('drill-trend');
      await trend.locator('canvas').first().waitFor();
      await trend.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      // the target's orange (#ea580c), apart from the bars' green and red, in the plot (below
      // the legend, whose key of the target is orange too)
      const ink = await trend.evaluate((el) => {
        const c = el.querySelector('canvas');
        const top = Math.ceil((40 * c.height) / c.clientHeight);
        const d = c.getContext('2d').getImageData(0, top, c.width, c.height - top).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 234) < 24 && Math.abs(d[i + 1] - 88) < 24 && d[i + 2] < 50 && d[i + 3] > 200) n++;
        return n;
      });
      assert.ok(ink > 20, `the target drawn (${ink} pixels of its colour)`);
      await shot(page, 'du2-trend-one-drill');
      noProblems(page);
    } finally {
      await context.close();
    }
  });

  test('a township officer is offered to close the open findings of their township only', async () => {
    const { context, page } = await openPage(browser, WIDE);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    // a drill of a facility of his township with a finding, and the findings of the district
    const mine = (await apiGet(page, `/facilities?township_id=${me.township_id}&limit=500`)).items.map((f) => f.id);
    const manual = (await apiGet(page, '/manuals?scenario=epidemic&limit=500')).items.find((m) => mine.includes(m.facility_id));
    const drill = await apiPost(page, '/conversions', { facility_id: manual.facility_id, scenario: 'epidemic', mode: 'drill' });
    try {
      const text = `e2e 对讲机电量不足 ${Date.now()}`;
      const own = await apiPost(page, `/conversions/${drill.id}/findings`, { finding: text, owner: '值班经理', due_date: '2099-12-31' });
      assert.equal(own.township_id, me.township_id);
      const open = (await apiGet(page, '/findings?status=open&limit=50')).items;
      const others = open.filter((f) => f.township_id !== me.township_id);
      assert.ok(others.length > 0, 'the district has open findings of other townships');
      await page.goto('/drills');
      const table = page.getByTestId('open-findings').getByTestId('finding-table');
      await table.getByText(text).waitFor();
      await table.getByText(others[0].finding).first().waitFor();
      await shot(page, 'du2-findings-township');
      // the button on his township's findings, on no other
      const closable = open.filter((f) => f.township_id === me.township_id).length;
      assert.equal(await table.getByTestId('close-finding').count(), closable);
      const row = table.locator('tr', { hasText: text });
      assert.equal(await row.getByTestId('close-finding').count(), 1);
      noProblems(page);
    } finally {
      await page.request.post(`/api/v1/conversions/${drill.id}/abort`, { data: { reason: 'e2e: findings within scope done' } });
      await context.close();
    }
  });

  test('a facility operator is offered to start drills of her own facility only', async () => {
    const { context, page } = await openPage(browser, WIDE);
    await login(page, 'wanda', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    const other = (await apiGet(page, '/manuals?scenario=epidemic&limit=500')).items.find((m) => m.facility_id !== me.facility_id);
    // another facility picked on the drills page: its trend and drills, no start
    await page.goto(`/drills?facility_id=${other.facility_id}`);
    await page.getByText(other.facility_name).first().waitFor();
    await page.getByTestId('drill-table').waitFor();
    assert.equal(await page.getByTestId('start-drill').count(), 0);
    // her own (the page's default): she may start one
    await page.goto('/drills');
    await page.getByTestId('start-drill').waitFor();
    noProblems(page);
    await context.close();
  });

  test('a new manual is offered for the facilities within scope: a township officer\'s township, an operator\'s own, and their own roles', async () => {
    const t = await openPage(browser, WIDE);
    await login(t.page, 'jinhaihu', DEMO_PW);
    const me = await apiGet(t.page, '/auth/me');
    const townName = (await apiGet(t.page, `/regions/${me.township_id}`)).name;
    await t.page.goto('/manuals');
    await t.page.getByTestId('manual-import').click();
    const dlg = t.page.getByRole('dialog', { name: '导入工作手册（CSV）' });
    const first = t.page.waitForResponse((r) => r.url().includes('/api/v1/facilities?'));
    await dlg.getByTestId('import-facility').click();
    assert.ok((await first).url().includes(`township_id=${me.township_id}`), 'the search asks for the township');
    const opts = t.page.locator('.el-select-dropdown__item:visible');
    await opts.first().waitFor();
    const notes = await opts.locator('.pj-muted').allTextContents();
    assert.ok(notes.length > 0);
    assert.deepEqual([...new Set(notes)], [townName], 'only facilities of the township');
    noProblems(t.page);
    await t.context.close();
    // a facility operator: her facility, fixed
    const o = await openPage(browser, WIDE);
    await login(o.page, 'wanda', DEMO_PW);
    await o.page.goto('/manuals');
    await o.page.getByTestId('manual-import').click();
    const odlg = o.page.getByRole('dialog', { name: '导入工作手册（CSV）' });
    const fac = odlg.getByTestId('import-facility');
    await fac.getByText('万达锦华酒店').waitFor();
    assert.ok(await fac.locator('input').isDisabled(), 'her facility is fixed');
    // the roles offered are her facility's own (a manual for another role is refused)
    const own = (await apiGet(o.page, `/facilities/${(await apiGet(o.page, '/auth/me')).facility_id}`)).emergency_roles.map((r) => r.role);
    const zhRole = { isolation: '隔离', resettlement: '安置', supply_store: '物资储备', medical: '医疗', transport_hub: '交通转运' };
    assert.ok(own.length > 0 && own.length < Object.keys(zhRole).length, 'her facility has some roles, not every one');
    await odlg.getByTestId('import-role').click();
    const roleOpts = o.page.locator('.el-select-dropdown__item:visible');
    await roleOpts.first().waitFor();
    await o.page.waitForFunction((n) => [...document.querySelectorAll('.el-select-dropdown__item')].filter((e) => e.offsetParent).length === n, own.length);
    assert.deepEqual((await roleOpts.allTextContents()).map((s) => s.trim()).sort(), own.map((r) => zhRole[r]).sort(), 'only her facility\'s roles');
    await o.page.keyboard.press('Escape');
    noProblems(o.page);
    await o.context.close();
  });
});
