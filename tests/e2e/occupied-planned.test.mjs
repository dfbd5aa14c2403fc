// A site stood down over the people of adopted plans is spoken of as it was then: one still
// converting housed nobody yet — the plans' people were only to be placed there — one in
// emergency housed them. Regression: the cockpit's timeline said of a confirmed abort of a site
// still converting that it was "still housing N people at confirmation" (确认时仍安置 N 人).
// Now the timeline's row carries the state the site was in (from_state, as the audit row's
// before holds it) and the cockpit says which, in zh-CN and English; so does the audit view,
// from the row's before (it said the people "will lose their places", 将失去安置场所).
// A server of the file's own (the demo district): two plans for 将军关村 adopted through the
// API, the first one's site aborted while converting, the second one's converted and restored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, workPhase, budget } from './lib.mjs';

let browser;
let own;

before(async () => {
  browser = await launch();
  own = await ownServer({ demo: true });
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

function apiOf(page) {
  return async (method, p, data) => {
    const res = await page.request.fetch(`${own.base}/api/v1${p}`, { method, data });
    assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
}

/** A plan of n people of 将军关村 to resettle, adopted: its first site's conversion and the site. */
async function adoptedPlan(api, village, name, n) {
  const plan = await api('POST', '/plans?wait=1', {
    name,
    scenario: 'disaster',
    role: 'resettlement',
    affected: { village_ids: [village.id] },
    demand: { people: n },
    vulnerable: false,
    teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
    time_limit_s: 0.5,
  });
  const adopted = await api('POST', `/plans/${plan.id}/adopt`, { confirm: true });
  assert.ok(adopted.conversions.length > 0, 'the plan converts a site');
  const conv = adopted.conversions[0];
  const site = adopted.result.sites.find((s) => s.facility_id === conv.facility_id);
  assert.ok(site.used > 0, JSON.stringify(site));
  return { plan, conv, site };
}

let world;
/** The two stood-down sites, made once for the file's tests. */
async function standDowns(api) {
  if (world) return world;
  const village = (await api('GET', '/regions?type=village&q=' + encodeURIComponent('将军关村'))).items[0];
  assert.ok(village, '将军关村 in the demo');
  // aborted while converting: nobody there yet
  const a = await adoptedPlan(api, village, '将军关 中止（尚未安置）', 20);
  assert.equal((await api('GET', `/conversions/${a.conv.conversion_id}`)).state, 'converting');
  await api('POST', `/conversions/${a.conv.conversion_id}/abort`, { reason: '雨停', confirm: true });
  // converted, then restored: the plan's people housed there
  const b = await adoptedPlan(api, village, '将军关 恢复（已安置）', 12);
  let c = await workPhase(api, await api('GET', `/conversions/${b.conv.conversion_id}`), 'convert');
  assert.equal(c.state, 'emergency');
  c = await api('POST', `/conversions/${b.conv.conversion_id}/restore`, { confirm: true, reason: '汛情解除' });
  world = { a, b };
  return world;
}

describe('a site stood down over the people of adopted plans', { timeout: budget(240000) }, () => {
  test('the cockpit timeline: to be placed for a site still converting, housed for one in emergency', async () => {
    const { context, page } = await openPage(browser, undefined, { baseURL: own.base });
    await login(page, 'officer', own.demoPw);
    const api = apiOf(page);
    const { a, b } = await standDowns(api);
    const timeline = page.getByTestId('timeline');
    for (const lang of ['zh-CN', 'en']) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      const zh = lang === 'zh-CN';
      // the abort of the site still converting: the people the plan was to place there
      await page.goto(`/conversions/${a.conv.conversion_id}`);
      const abort = timeline.locator('li', { hasText: '雨停' });
      const planned = zh ? `（确认时尚未安置人员，方案 ${a.plan.id} 计划安置 ${a.site.used} 人）` : `(nobody housed yet when confirmed: ${a.site.used} people to be placed here by plan(s) ${a.plan.id})`;
      await abort.getByText(planned, { exact: false }).waitFor();
      const text = await timeline.innerText();
      assert.ok(!(zh ? /仍安置/ : /still housing/).test(text), text);
      await abort.scrollIntoViewIfNeeded();
      await shot(page, `occupied-planned-timeline-${lang}`);
      // the restore of the site in emergency: the people housed there
      await page.goto(`/conversions/${b.conv.conversion_id}`);
      const housed = zh ? `（确认时仍安置 ${b.site.used} 人，方案 ${b.plan.id}）` : `(still housing ${b.site.used} people of plan(s) ${b.plan.id} when confirmed)`;
      await timeline.locator('li', { hasText: '汛情解除' }).getByText(housed, { exact: false }).waitFor();
      assert.ok(!(zh ? /尚未安置/ : /nobody housed/).test(await timeline.innerText()));
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });

  // Regression: the audit view said of the same abort that the plan's people placed there
  // "will lose their places" (将失去安置场所), as of a site that housed them.
  test('the audit view: the abort names the people to be placed, the restore those housed', async () => {
    const officer = await openPage(browser, undefined, { baseURL: own.base });
    await login(officer.page, 'officer', own.demoPw);
    const { a, b } = await standDowns(apiOf(officer.page));
    await officer.context.close();
    const { context, page } = await openPage(browser, undefined, { baseURL: own.base });
    await login(page, 'admin', own.adminPw);
    const table = page.getByTestId('audit-table');
    /** The expanded changes of the conversion's audit row of action. */
    async function changes(conv, action) {
      await page.goto(`/admin/audit?entity=conversion&entity_id=${conv}&action=${action}`);
      const row = table.locator('tr.el-table__row', { hasText: `#${conv}` }).first();
      await row.waitFor();
      await row.locator('.el-table__expand-icon').click();
      const expanded = table.locator('.pj-expand').first();
      await expanded.locator('.pj-diff').waitFor();
      return expanded;
    }
    const W = {
      'zh-CN': {
        label: '已采纳方案安置的人员（经确认并说明原因）',
        planned: (x) => `已采纳的方案（#${x.plan.id}）计划安置在此的 ${x.site.used} 人将没有安置场所。`,
        housed: (x) => `已采纳的方案（#${x.plan.id}）安置在此的 ${x.site.used} 人将失去安置场所。`,
        lose: /失去安置场所/,
      },
      en: {
        label: 'People adopted plans place at the site (confirmed with a reason)',
        planned: (x) => `Adopted plans (#${x.plan.id}) are to place people here (${x.site.used}): they will have no place.`,
        housed: (x) => `${x.site.used} people placed here by adopted plans (#${x.plan.id}) lose their places.`,
        lose: /lose their places|housed by/,
      },
    };
    for (const lang of ['zh-CN', 'en']) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      const w = W[lang];
      // the abort while converting: nobody was there to lose a place
      let ex = await changes(a.conv.conversion_id, 'convert_abort');
      const occ = ex.locator('tr', { has: page.getByRole('rowheader', { name: w.label, exact: true }) });
      await occ.getByText(w.planned(a), { exact: false }).waitFor();
      assert.match(await occ.innerText(), /雨停/, 'the reason');
      assert.doesNotMatch(await ex.innerText(), w.lose);
      await shot(page, `occupied-planned-audit-${lang}`);
      // the restore in emergency: the people housed there lose their places
      ex = await changes(b.conv.conversion_id, 'restore_start');
      await ex.getByText(w.housed(b), { exact: false }).waitFor();
      assert.ok(!(await ex.innerText()).includes(w.planned(b)));
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });
});
