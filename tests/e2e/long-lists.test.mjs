// Lists longer than one page of the API are reachable from the console: a page that read one
// page of a paged list and dropped next_cursor showed its first rows as the whole list (a grid
// worker's first 200 elders, a village's first 100 helpers, the 20 newest pairing runs, a firm's
// first 50 contact requests, its first 20 notices, the in-force policies among a firm's
// 100 oldest matches, the newest 50 / 100 plans in the compare pickers).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, DEMO_PW, TABLET, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** GET from the API of the page's server (the shared one or a test's own) */
async function getJson(page, p) {
  const res = await page.request.get('/api/v1' + p);
  assert.ok(res.ok(), `GET ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

/** a write through the API (the page's session); the answer's JSON */
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

/** every row of a paged list, following next_cursor to the end */
async function walk(page, p) {
  const rows = [];
  for (let cursor; ; ) {
    const r = await getJson(page, p + (p.includes('?') ? '&' : '?') + 'limit=500' + (cursor ? '&cursor=' + cursor : ''));
    rows.push(...r.items);
    if (!r.next_cursor) return rows;
    cursor = r.next_cursor;
  }
}

// a district of 60,000 elders: grid01's three grids hold some 600 active elders, the
// village more than 100 active helpers (the shared demo server has 2,000 elders in all)
test("service entry: every active elder of a grid worker's grids is reachable, and any helper of the elder's village", { timeout: budget(300000) }, async () => {
  const own = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '60000' } });
  const { context, page } = await openPage(browser, TABLET, { baseURL: own.base });
  await login(page, 'grid01', own.demoPw);
  const all = await walk(page, '/elders?status=active');
  assert.ok(all.length > 200, `grid01 has more active elders than one page (${all.length})`);
  await page.goto('/service-entry');
  const buttons = page.getByTestId('entry-elders').locator('[data-elder]');
  await buttons.nth(199).waitFor();
  const more = page.getByTestId('load-more');
  await more.getByText('已显示 200 条，还有更多').waitFor();
  while (await more.count()) {
    const n = await buttons.count();
    await more.getByRole('button', { name: '加载更多' }).click();
    await buttons.nth(Math.min(n + 199, all.length - 1)).waitFor();
  }
  const shown = await buttons.evaluateAll((els) => els.map((e) => Number(e.dataset.elder)));
  assert.deepEqual(shown.sort((a, b) => a - b), all.map((e) => e.id).sort((a, b) => a - b), 'every active elder once');
  // the last elder of the list, and a helper of its village beyond the first hundred
  const last = all[all.length - 1];
  const { village_id: village } = await getJson(page, `/elders/${last.id}`);
  const helpers = await walk(page, `/helpers?region_id=${village}&active=1`);
  assert.ok(helpers.length > 100, `the village has more active helpers than the select read (${helpers.length})`);
  const far = helpers.slice(100).find((h) => helpers.filter((x) => x.name.includes(h.name)).length === 1 && h.id !== last.paired_helper?.helper_id);
  assert.ok(far, 'a helper beyond the first hundred with a name of its own');
  await page.getByTestId('entry-elders').locator(`[data-elder="${last.id}"]`).click();
  await page.getByTestId('entry-elder').getByText(last.name).waitFor();
  const sel = page.getByTestId('entry-helper');
  await sel.click();
  await sel.locator('input').fill(far.name);
  await page.getByRole('option', { name: far.name, exact: true }).click();
  await page.getByTestId('helper-credit').getByText(far.name).waitFor();
  await shot(page, 'quick-entry-all-elders');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
  await own.stop();
});

// the rule 京东物流 (organisation 2) meets, as do a few dozen demo firms
const JD_RULE = 'employees >= 100 and founded_year == 2013';
/** policies for JD_RULE: expired (valid in 2022) or in force (valid from 2026 on) */
async function addPolicies(page, n, title, expired) {
  const made = [];
  for (let i = 0; i < n; i++) {
    const valid = expired ? { valid_from: '2022-01-01', valid_until: '2022-12-31' } : { valid_from: '2026-01-01', valid_until: '2099-12-31' };
    const r = await call(page, 'POST', '/enterprise/policies', { title: `${title} 第${i + 1}项`, issuer: '区发改委', issued_on: valid.valid_from, ...valid, benefit: '', conditions: JD_RULE });
    made.push(r.policy || r);
  }
  return made;
}
/** expired from now on (kept out of the other tests' lists of firms' policies) */
async function expire(page, policies) {
  for (const p of policies) {
    const cur = await getJson(page, `/enterprise/policies/${p.id}`);
    await call(page, 'PATCH', `/enterprise/policies/${p.id}`, { version: cur.version, issued_on: '2022-01-01', valid_from: '2022-01-01', valid_until: '2022-12-31' });
  }
}

test("a firm's profile lists every policy in force it qualifies for, also those after the first hundred matches", { timeout: budget(300000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  await addPolicies(page, 101, `历年稳岗补贴 ${Date.now() % 100000}`, true);
  const fresh = await addPolicies(page, 1, `新设专精特新奖励 ${Date.now() % 100000}`, false);
  const all = await walk(page, '/enterprise/policies?organisation_id=2');
  assert.ok(all.findIndex((p) => p.id === fresh[0].id) >= 100, 'the new policy is after the first hundred matches');
  const want = all.filter((p) => p.status === 'in_force').map((p) => p.title);
  await page.goto('/enterprise/profiles/2');
  const list = page.getByTestId('profile-matches').getByTestId('profile-policies');
  await list.getByRole('link', { name: fresh[0].title }).waitFor();
  assert.deepEqual((await list.getByRole('link').allInnerTexts()).map((s) => s.trim()), want);
  await shot(page, 'profile-all-policies');
  await expire(page, fresh);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

/** clicks "load more" under a list until the whole list is shown */
async function loadAll(page, card) {
  const more = card.getByTestId('load-more');
  for (let i = 0; i < 50 && (await more.count()); i++) {
    const before = await card.locator('.el-table__body-wrapper tbody tr').count();
    await more.getByRole('button', { name: '加载更多' }).click();
    await card.locator('.el-table__body-wrapper tbody tr').nth(before).waitFor();
  }
}

test('cooperation: a firm with more contact requests than one page reaches and answers the newest', { timeout: budget(300000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW);
  const me = (await getJson(page, '/auth/me')).organisation_id;
  const stamp = Date.now() % 100000;
  const post = await call(page, 'POST', '/enterprise/coop-posts', { kind: 'offer', category: 'logistics', title: `冷链仓配能力开放 ${stamp}`, body: '' });
  // 51 firms ask for contact, entered by the district officer
  const off = await openPage(browser);
  await login(off.page, 'officer', DEMO_PW);
  const firms = (await getJson(off.page, '/organisations?type=enterprise&limit=100')).items.filter((o) => o.id !== me).slice(0, 51);
  assert.equal(firms.length, 51);
  let last = null;
  for (const [i, o] of firms.entries()) last = await call(off.page, 'POST', `/enterprise/coop-posts/${post.id}/contacts`, { message: `求联系 ${stamp} #${i + 1}`, organisation_id: o.id });
  await off.context.close();
  const total = (await walk(page, '/enterprise/coop-contacts')).length;
  assert.ok(total > 50, `more requests than one page (${total})`);

  await page.goto('/enterprise/cooperation');
  const card = page.locator('.el-card', { has: page.getByTestId('coop-contacts') });
  await card.locator('.el-table__body-wrapper tbody tr').nth(49).waitFor();
  await card.getByTestId('load-more').getByText('已显示 50 条，还有更多').waitFor();
  await loadAll(page, card);
  assert.equal(await card.locator('.el-table__body-wrapper tbody tr').count(), total);
  const row = card.locator('tr', { hasText: last.message });
  await row.getByTestId('coop-accept').click();
  // answered: the requests read again, the pages loaded kept in view
  await row.getByText('已同意', { exact: true }).waitFor();
  assert.equal(await card.locator('.el-table__body-wrapper tbody tr').count(), total);
  await shot(page, 'coop-contacts-more');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test("policies: a firm's notices go on past the first page, the newest policy's notice reachable", { timeout: budget(300000) }, async () => {
  const off = await openPage(browser);
  await login(off.page, 'officer', DEMO_PW);
  const fresh = await addPolicies(off.page, 21, `物流降本增效扶持 ${Date.now() % 100000}`, false);
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW);
  const notices = await walk(page, '/enterprise/notices');
  assert.ok(notices.length > 20, `more notices than one page (${notices.length})`);
  await page.goto('/enterprise/policies');
  const card = page.locator('.el-card', { has: page.getByTestId('notice-table') });
  await card.locator('.el-table__body-wrapper tbody tr').nth(19).waitFor();
  await loadAll(page, card);
  const newest = fresh[fresh.length - 1].title;
  await card.getByRole('link', { name: newest }).waitFor();
  assert.equal(await card.locator('.el-table__body-wrapper tbody tr').count(), notices.length);
  await shot(page, 'policy-notices-more');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
  await expire(off.page, fresh);
  await off.context.close();
});

test('pairing: the runs go on past the newest twenty, an older run open for decisions reachable', { timeout: budget(300000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  // the villages of the last township (the other tests run pairing in 金海湖, 303)
  const town = (await getJson(page, '/regions?parent_id=1&limit=500')).items.filter((r) => r.type === 'township' && r.id !== 303).pop();
  const villages = (await getJson(page, `/regions?parent_id=${town.id}&limit=500`)).items.filter((r) => r.type === 'village' || r.type === 'community');
  assert.ok(villages.length > 1, 'a township with villages');
  // an open run first, then runs enough for more than one page (their proposals rejected:
  // the villages' elders stay free for the other tests)
  const first = await call(page, 'POST', '/pairing-runs', { region_id: villages[0].id });
  for (let i = 0; (await getJson(page, '/pairing-runs?limit=21')).items.length <= 20 || i < 20; i++) {
    const r = await call(page, 'POST', '/pairing-runs', { region_id: villages[(i % (villages.length - 1)) + 1].id });
    if (r.proposed > 0) await call(page, 'POST', `/pairing-runs/${r.id}/reject`, {});
  }
  const runs = await walk(page, '/pairing-runs');
  await page.goto('/pairing');
  const card = page.locator('.el-card', { has: page.getByTestId('runs') });
  await card.locator('.el-table__body-wrapper tbody tr').nth(19).waitFor();
  assert.equal(await card.getByRole('link', { name: `#${first.id}`, exact: true }).count(), 0, 'the open run is not among the newest twenty');
  await loadAll(page, card);
  assert.equal(await card.locator('.el-table__body-wrapper tbody tr').count(), runs.length);
  await card.getByRole('link', { name: `#${first.id}`, exact: true }).click();
  await page.waitForURL(new RegExp(`/pairing/${first.id}$`));
  await shot(page, 'pairing-runs-more');
  if (first.proposed > 0) await call(page, 'POST', `/pairing-runs/${first.id}/reject`, {});
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('plan pickers offer any plan, also one older than the newest hundred; a ?b= link shows its name', { timeout: budget(600000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  const stamp = Date.now() % 100000;
  const solve = (name) =>
    call(page, 'POST', '/plans?wait=1', { name, scenario: 'disaster', role: 'resettlement', affected: { township_ids: [303] }, demand: { people: 1 }, teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 }, time_limit_s: 0.1 });
  const old = await solve(`演练基准 ${stamp}`);
  let last = null;
  for (let i = 1; i <= 101; i++) last = await solve(`隔离演练 ${stamp}-${i}`);
  const plans = await walk(page, '/plans');
  assert.ok(plans.findIndex((p) => p.id === old.id) >= 100, 'the first plan is older than the newest hundred');
  const label = `#${old.id} ${old.name}`;
  // the plan page's "compare with" select
  await page.goto(`/plans/${last.id}`);
  await page.getByTestId('compare-with').click();
  await page.getByRole('option', { name: label, exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/plans/compare' && u.searchParams.get('b') === String(old.id));
  // a link naming it: picker B shows its name, not the bare id
  await page.goto(`/plans/compare?a=${last.id}&b=${old.id}`);
  await page.getByTestId('pick-b').getByText(label, { exact: true }).waitFor();
  await shot(page, 'plan-compare-old');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

// the dashboard read at most 40 pages of facilities and counted those as the district's
// (20,000 of 20,113 at 500 a page); pages of 2 (the request rewritten) make the demo's
// facilities longer than 40 pages
test("dashboard: the facility count is the district's, read past the 40th page", { timeout: budget(300000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  const all = await walk(page, '/facilities');
  assert.ok(all.length > 80, `more facilities than 40 pages of 2 (${all.length})`);
  await page.route(/\/api\/v1\/facilities\?/, (route) => {
    const u = new URL(route.request().url());
    if (u.searchParams.get('limit') === '500') u.searchParams.set('limit', '2');
    return route.continue({ url: u.toString() });
  });
  await page.goto('/dashboard');
  const tile = page.locator('[data-kpi="facilities"] .pj-kpi-value');
  await tile.getByText(all.length.toLocaleString('en-US'), { exact: true }).waitFor({ timeout: 60000 });
  assert.equal(await page.getByTestId('dashboard-partial').count(), 0, 'a list read to its end says nothing');
  await shot(page, 'dashboard-all-facilities');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
