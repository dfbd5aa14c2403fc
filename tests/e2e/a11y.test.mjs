// Accessibility of the console (GB/T 37668, WCAG 2.1 AA): every page of the router, as the
// demo roles see it, checked by axe-core for the WCAG 2 A/AA rules (and heading order and
// landmarks) in zh-CN and in English, at desktop width and, for the grid worker's pages, at
// 390 px; besides: <html lang> follows the chosen language, each chart has a text alternative,
// and the main flows work with the keyboard alone (log in, open a menu page, submit a form,
// close a dialog, with the focus visible). One login per role; the pages are visited inside the
// console (router.push), axe injected once per load.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { launch, openPage, login, apiGet, apiPost, apiSend, solvedPlan, shot, OUT, ADMIN_PW, DEMO_PW, DESKTOP, budget } from './lib.mjs';
import { chartSummary } from '../../web/src/utils/chartText.js';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const AXE = require.resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
// the console's CSP (script-src 'self') would refuse the injected script
const CTX = { bypassCSP: true };

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  // beyond the success criteria: the outline a screen reader user moves through
  rules: { 'heading-order': { enabled: true }, 'landmark-one-main': { enabled: true }, 'landmark-unique': { enabled: true }, 'page-has-heading-one': { enabled: true } },
  resultTypes: ['violations'],
  elementRef: true,
};

/**
 * Element Plus internals the console cannot reasonably change, each a rule and a selector of
 * the nodes it may fail on, with the reason. Everything else fails the test.
 */
const EXCLUDE = []; // none needed: every violation found so far was ours to fix

let browser;
const report = [];
before(async () => {
  browser = await launch();
});
after(async () => {
  writeFileSync(path.join(OUT, 'a11y.json'), JSON.stringify(report, null, 1));
  await browser?.close();
});

/** Waits for the page to settle: no request in flight for 100 ms, no loading mask, two frames. */
function trackRequests(page) {
  page.inflight = 0;
  page.quietSince = Date.now();
  const done = () => {
    page.inflight = Math.max(0, page.inflight - 1);
    if (page.inflight === 0) page.quietSince = Date.now();
  };
  page.on('request', () => page.inflight++);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}
async function settle(page) {
  const t0 = Date.now();
  while (Date.now() - t0 < 10000) {
    if (page.inflight === 0 && Date.now() - page.quietSince > 100) {
      const busy = await page.evaluate(() => [...document.querySelectorAll('.el-loading-mask')].some((m) => m.offsetParent !== null));
      if (!busy) break;
    }
    await page.waitForTimeout(100);
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(100); // transitions (a violation seen is checked again a second later)
}

async function fresh(viewport, user, password, locale = 'zh-CN') {
  const { context, page } = await openPage(browser, viewport, CTX);
  trackRequests(page);
  if (locale !== 'zh-CN') await context.addInitScript((l) => localStorage.setItem('pj_locale', l), locale);
  if (user) await login(page, user, password);
  return { context, page };
}

/** Goes to a console path without reloading (the router of the mounted app). */
async function visit(page, url) {
  const ok = await page.evaluate(async (u) => {
    const app = document.querySelector('#app')?.__vue_app__;
    if (!app) return false;
    await app.config.globalProperties.$router.push(u);
    return true;
  }, url);
  if (!ok) await page.goto(url);
  await settle(page);
}

/** Runs axe on the page; returns the violations as lines "where: rule impact target — why". A
 * page with violations is checked again a second later, and only those that stay count: a
 * button still fading in from disabled, a card while its chart resizes, are not the page. */
async function axe(page, where, options) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  let found = await axeRun(page, options);
  if (found.length) {
    await page.waitForTimeout(1000);
    found = await axeRun(page, options);
  }
  for (const f of found) report.push({ where, ...f });
  return found.map((f) => `${where}: ${f.rule} (${f.impact}) ${f.target} — ${f.why} ${f.html}`);
}

async function axeRun(page, options = AXE_OPTIONS) {
  return page.evaluate(
    async ({ options, exclude }) => {
      const r = await window.axe.run(document, options);
      const out = [];
      for (const v of r.violations) {
        for (const n of v.nodes) {
          if (exclude.some((x) => x.rule === v.id && n.element && n.element.closest(x.selector))) continue;
          out.push({ rule: v.id, impact: v.impact, target: n.target.join(' '), why: (n.failureSummary || '').split('\n').slice(1, 2).join('').trim(), html: n.html.slice(0, 160) });
        }
      }
      return out;
    },
    { options, exclude: EXCLUDE },
  );
}

/** What axe does not see: <html lang> is the chosen language; every chart names itself. */
async function ownChecks(page, where, locale) {
  const r = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    charts: [...document.querySelectorAll('[_echarts_instance_]')].filter((c) => !(c.getAttribute('role') === 'img' && (c.getAttribute('aria-label') || '').trim())).map((c) => c.outerHTML.slice(0, 120)),
  }));
  const out = [];
  if (r.lang !== locale) out.push(`${where}: <html lang="${r.lang}">, the console shows ${locale}`);
  for (const c of r.charts) out.push(`${where}: a chart without role="img" and a label: ${c}`);
  return out;
}

// Colours and font sizes do not change with the language: the second walk of the same pages in
// English leaves out the contrast rule, by far the slowest (it measures every text's background).
const AXE_NO_CONTRAST = { ...AXE_OPTIONS, rules: { ...AXE_OPTIONS.rules, 'color-contrast': { enabled: false } } };

async function check(page, where, locale, options = AXE_OPTIONS) {
  return [...(await axe(page, where, options)), ...(await ownChecks(page, where, locale))];
}

/** The console pages of the router (with an example id for the detail pages; /elders/new and
 * /helpers/new are the edit forms of the same components, visited with their values). */
async function adminPages(page) {
  const first = async (p) => (await apiGet(page, p)).items[0]?.id;
  const ids = {
    facility: await first('/facilities?limit=1'),
    conversion: await first('/conversions?limit=1&mode=live'),
    drill: await first('/conversions?limit=1&mode=drill'),
    manual: await first('/manuals?limit=1'),
    elder: await first('/elders?limit=1'),
    helper: await first('/helpers?limit=1'),
    appeal: await first('/enterprise/appeals?limit=1'),
    policy: await first('/enterprise/policies?limit=1'),
    org: await first('/organisations?limit=1&type=enterprise'),
    indicator: await first('/indicators?limit=1'),
    cohort: await first('/academy/cohorts?limit=1'),
  };
  for (const [k, v] of Object.entries(ids)) assert.ok(v, `the demo has no ${k}`);
  return [
    '/dashboard',
    '/facilities',
    `/facilities/${ids.facility}`,
    `/facilities/${ids.facility}/edit`,
    '/conversions',
    `/conversions/${ids.conversion}`,
    '/manuals',
    `/manuals/${ids.manual}`,
    '/stock',
    '/drills',
    `/drills/${ids.drill}`,
    '/elders',
    `/elders/${ids.elder}`,
    `/elders/${ids.elder}/edit`,
    '/helpers',
    `/helpers/${ids.helper}`,
    `/helpers/${ids.helper}/edit`,
    '/pairing',
    '/pair-requests',
    '/service-entry',
    '/elder-alerts',
    '/eldercare/coverage',
    '/eldercare/vulnerable',
    '/eldercare/centres',
    '/plans',
    '/plans/new',
    '/plans/compare',
    '/admin/users',
    '/admin/audit',
    '/enterprise/reception-days',
    '/enterprise/calendar',
    '/enterprise/appeals',
    `/enterprise/appeals/${ids.appeal}`,
    '/enterprise/kpis',
    '/enterprise/policies',
    `/enterprise/policies/${ids.policy}`,
    '/enterprise/finance',
    `/enterprise/profiles/${ids.org}`,
    '/enterprise/cooperation',
    '/development/dashboard',
    '/development/indicators',
    `/development/indicators/${ids.indicator}`,
    '/development/import',
    '/development/carbon',
    '/development/ecommerce',
    '/development/studios',
    '/academy',
    `/academy/cohorts/${ids.cohort}`,
    '/academy/kpi',
    '/agri',
    '/agri/output',
    '/logistics',
    '/logistics/warehouses',
    '/no-such-page',
  ];
}

const fail = (problems) => assert.deepEqual(problems, [], `${problems.length} accessibility problems:\n${problems.join('\n')}`);

/** Visits the pages in turn and checks each; `who` names the walk in the report. */
async function walk(page, who, locale, urls, options = AXE_OPTIONS) {
  const problems = [];
  for (const url of urls) {
    await visit(page, url);
    problems.push(...(await check(page, `${who} ${locale} ${url}`, locale, options)));
  }
  return problems;
}

/** Switches the console to English with the header's language control, as a user does. */
async function english(page) {
  await page.getByTestId('console-header').getByText('English', { exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settle(page);
}

/** Presses Tab until the focused element matches `selector` (at most `max` times). */
async function tabTo(page, selector, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`${selector} is not reached with the Tab key`);
}

async function shiftTabTo(page, selector, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Shift+Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`${selector} is not reached with Shift+Tab`);
}

/** The focused element shows where it is: an outline, or Element Plus' focus ring on its box. */
async function focusShown(page, what) {
  const r = await page.evaluate(() => {
    const a = document.activeElement;
    const box = a.closest('.el-input__wrapper, .el-select__wrapper') || a;
    const cs = getComputedStyle(a);
    const bs = getComputedStyle(box);
    return { outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0, ring: bs.boxShadow !== 'none', tag: a.tagName + '.' + a.className };
  });
  assert.ok(r.outline || r.ring, `${what}: the keyboard focus on ${r.tag} is not visible`);
}

describe('accessibility', { timeout: budget(600000) }, () => {
  test("a chart's data as text: per series its name and its first points by category; maps and Gantt bars none", () => {
    const bars = { xAxis: { type: 'category', data: ['大华山镇', '峪口地区'] }, series: [{ name: '应探访', type: 'bar', data: [3, 4.126] }, { name: '已探访', type: 'bar', data: [{ value: 2 }, null] }] };
    assert.equal(chartSummary(bars), '应探访: 大华山镇 3, 峪口地区 4.13; 已探访: 大华山镇 2, 峪口地区 —');
    const rank = { xAxis: { type: 'value' }, yAxis: { type: 'category', data: ['平谷区', '顺义区'] }, series: [{ type: 'bar', data: [{ value: 5.2 }, { value: 4 }] }] };
    assert.equal(chartSummary(rank), '平谷区 5.2, 顺义区 4');
    assert.equal(chartSummary({ xAxis: { type: 'category', data: [] }, series: [{ type: 'line', data: Array.from({ length: 14 }, (_, i) => i) }] }).split(', ').length, 13, 'twelve points and an ellipsis');
    // points as [x, row] on a category y axis (the plan's ready times beside its Gantt bars): the
    // minutes on the value axis, not the row's index; a series' encode names the dimension
    const ready = { xAxis: { type: 'value' }, yAxis: { type: 'category', data: ['西沟村酒店', '张峪社区酒店', '下官庄村酒店'] }, series: [{ name: '就绪时间', type: 'scatter', data: [{ value: [390, 0], name: '西沟村酒店' }, { value: [390, 1], name: '张峪社区酒店' }, [570, 2]] }] };
    assert.equal(chartSummary(ready), '就绪时间: 西沟村酒店 390, 张峪社区酒店 390, 下官庄村酒店 570');
    assert.equal(chartSummary({ ...ready, series: [{ type: 'scatter', encode: { x: 1, y: 0 }, data: [{ value: [0, 45], name: 'A' }] }] }), 'A 45');
    assert.equal(chartSummary({ xAxis: { type: 'category', data: ['一月', '二月'] }, yAxis: { type: 'value' }, series: [{ type: 'line', data: [[0, 7, 99], [1, 8, 99]] }] }), '一月 7, 二月 8');
    assert.equal(chartSummary({ series: [{ type: 'scatter', coordinateSystem: 'geo', data: [[117.1, 40.1, 3]] }, { type: 'custom', data: [[0, 1, 2]] }] }), '');
  });

  test('the login page, in zh-CN and in English, at desktop width and on a phone', async () => {
    const problems = [];
    for (const [locale, viewport] of [['zh-CN', DESKTOP], ['en', DESKTOP], ['zh-CN', PHONE]]) {
      const { context, page } = await fresh(viewport, null, null, locale);
      await page.goto('/login');
      await settle(page);
      problems.push(...(await check(page, `login ${locale} ${viewport.width}px`, locale)));
      await context.close();
    }
    fail(problems);
  });

  test('every page as the admin sees it, in zh-CN and in English (desktop)', async () => {
    const { context, page } = await fresh(DESKTOP, 'admin', ADMIN_PW);
    const urls = await adminPages(page);
    const problems = await walk(page, 'admin', 'zh-CN', urls);
    await english(page);
    problems.push(...(await walk(page, 'admin', 'en', urls, AXE_NO_CONTRAST)));
    await context.close();
    fail(problems);
  });

  test('the other roles: their overview and own pages; the grid worker on a phone (390 px) in both languages', async () => {
    const problems = [];
    const roles = [
      ['officer', DESKTOP, ['/dashboard', '/plans']],
      ['jinhaihu', DESKTOP, ['/dashboard', '/elders']],
      ['wanda', DESKTOP, ['/dashboard', '/facilities/1/edit']],
      ['jd', DESKTOP, ['/dashboard', '/enterprise/profile', '/enterprise/appeals', '/admin/users']],
      ['viewer', DESKTOP, ['/dashboard', '/admin/users', '/eldercare/coverage']],
    ];
    for (const [user, viewport, urls] of roles) {
      const { context, page } = await fresh(viewport, user, DEMO_PW);
      problems.push(...(await walk(page, user, 'zh-CN', urls)));
      if (user === 'viewer') {
        // a chart's name tells its data: the visits bars name the first region of the table
        const name = await page.getByTestId('visits-bars').getAttribute('aria-label');
        const region = await page.getByTestId('coverage-table').locator('tbody tr td').first().innerText();
        assert.match(name, /^各地区应探访与已探访次数。数据：应探访: /);
        assert.ok(name.includes(region.trim()), `the visits chart's name (${name.slice(0, 80)}…) has ${region}`);
      }
      await context.close();
    }
    const { context, page } = await fresh(PHONE, 'grid01', DEMO_PW);
    const elder = (await apiGet(page, '/elders?limit=1')).items[0].id;
    const phone = ['/dashboard', '/elders', `/elders/${elder}`, '/service-entry', '/elder-alerts', '/eldercare/vulnerable', '/eldercare/coverage'];
    problems.push(...(await walk(page, 'grid01 390px', 'zh-CN', phone)));
    await english(page);
    problems.push(...(await walk(page, 'grid01 390px', 'en', phone)));
    await shot(page, 'a11y-grid-phone-en');
    await context.close();
    fail(problems);
  });

  test('the audit trail with a plan and a drill on its first page: their links told apart from the text around them', async () => {
    // the walk above sees the trail as the tests before it left it (no link on its first page)
    const { context, page } = await fresh(DESKTOP, 'admin', ADMIN_PW);
    const plan = await solvedPlan(page, '审计链接可辨');
    let hotel = null;
    for (const h of (await apiGet(page, '/facilities?type=hotel&state=peacetime&limit=50')).items)
      if ((await apiGet(page, `/manuals?facility_id=${h.id}&scenario=epidemic&limit=1`)).items.length) {
        hotel = h;
        break;
      }
    assert.ok(hotel, 'a hotel in peacetime with an epidemic manual');
    const drill = await apiPost(page, '/conversions', { facility_id: hotel.id, scenario: 'epidemic', mode: 'drill' }, 201);
    await apiSend(page, 'post', `/conversions/${drill.id}/abort`, { reason: '无障碍测试中止' });
    const problems = [];
    for (const [viewport, where] of [[DESKTOP, 'desktop'], [PHONE, '390px']]) {
      await page.setViewportSize(viewport);
      await visit(page, '/admin/audit');
      const hrefs = await page.getByTestId('audit-table').getByTestId('audit-entity-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const want of [`/plans/${plan.id}`, `/conversions/${drill.id}`]) assert.ok(hrefs.includes(want), `${where}: a link to ${want} on the first page (${hrefs.join(' ')})`);
      problems.push(...(await check(page, `admin zh-CN ${where} /admin/audit with links`, 'zh-CN')));
    }
    await context.close();
    fail(problems);
  });

  test('the keyboard alone: log in, open a menu page, submit a form in a dialog, close it (focus visible)', async () => {
    const { context, page } = await fresh(DESKTOP, null, null);
    await page.goto('/login');
    await settle(page);
    // the user name field has the focus; Tab to the password, Enter signs in
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'username');
    await focusShown(page, 'user name');
    await page.keyboard.type('viewer');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'password');
    await page.keyboard.type(DEMO_PW);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dashboard$/);
    await settle(page);
    // the first Tab stop skips to the page; the menu's entries are Tab stops, Enter opens one
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement?.matches('a.pj-skip')), 'the first Tab stop is the skip link');
    await focusShown(page, 'skip link');
    await tabTo(page, '.pj-nav .el-menu-item[aria-label="设施台账"]');
    await focusShown(page, 'menu entry');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/facilities$/);
    await page.getByRole('heading', { name: '设施台账' }).waitFor();
    // the page chosen has the focus, as after the skip link: its first Tab stop is the page's
    // (the focus stayed in the menu, 30 Tabs from the first elder of 老人台账)
    await page.waitForFunction(() => document.activeElement?.id === 'pj-main');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('pj-main').contains(document.activeElement)), 'the next Tab stop is in the page');
    // a group of the menu opens with Enter, its entries follow in the Tab order (back into
    // the menu from the page: past the header's controls)
    await shiftTabTo(page, '.pj-nav .el-sub-menu[data-key="eldercare"] > .el-sub-menu__title');
    await page.keyboard.press('Enter');
    await tabTo(page, '.pj-nav .el-menu-item[aria-label="三有覆盖"]', 12);
    // the user menu opens with Enter; 修改密码 opens the password dialog with the focus inside
    await tabTo(page, '.pj-user');
    await focusShown(page, 'user menu');
    await page.keyboard.press('Enter');
    const item = page.getByRole('menuitem', { name: '修改密码' });
    await item.waitFor();
    await item.focus();
    await page.keyboard.press('Enter');
    const dlg = page.getByRole('dialog', { name: '修改密码' });
    await dlg.waitFor();
    await page.waitForTimeout(300);
    assert.ok(await dlg.evaluate((d) => d.contains(document.activeElement)), 'the focus moved into the dialog');
    fail(await check(page, 'viewer zh-CN password dialog', 'zh-CN'));
    // fill it in with the keyboard; Enter submits: a wrong current password is refused at its field
    await tabTo(page, '.el-dialog input[autocomplete="current-password"]', 10);
    await page.keyboard.type('not-the-password');
    await page.keyboard.press('Tab');
    if (!(await page.evaluate(() => document.activeElement?.autocomplete === 'new-password'))) await tabTo(page, '.el-dialog input[autocomplete="new-password"]', 4);
    await page.keyboard.type('Another-pass-2026');
    await tabTo(page, '.el-dialog .el-form-item:nth-child(3) input', 4);
    await page.keyboard.type('Another-pass-2026');
    await page.keyboard.press('Enter');
    await dlg.locator('.el-form-item__error').first().waitFor();
    // Escape closes the dialog and the focus goes back to the page, not to nowhere
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    assert.ok(await page.evaluate(() => document.activeElement && document.activeElement !== document.body), 'the focus returned to the page after the dialog');
    await context.close();
  });
});
