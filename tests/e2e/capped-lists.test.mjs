// Figures and lookups that read a list page by page, which stops at a limit (40 pages, 200 for
// the home page's map): past it, in a large district, the home page's counts fell short and the
// plan page's supply flows and busy sites from facilities past the limit were left out. The
// figures are the server's count now (GET /facilities/summary) and the plan page reads exactly
// the facilities its plan names. Pages of 1 (the request rewritten) make the demo's ≈300
// facilities longer than the limit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** the facilities list answers pages of 1 where the console asks for 500; edit(items) changes
 * what a page holds */
async function pagesOfOne(page, edit) {
  await page.route(/\/api\/v1\/facilities\?/, async (route) => {
    const u = new URL(route.request().url());
    if (u.searchParams.get('limit') === '500') u.searchParams.set('limit', '1');
    if (!edit) return route.continue({ url: u.toString() });
    const res = await route.fetch({ url: u.toString() });
    const body = await res.json();
    edit(body.items || []);
    await route.fulfill({ response: res, json: body });
  });
}

const kpi = (page, key) => page.locator(`[data-kpi="${key}"] .pj-kpi-value`);
const fmt = (n) => formatNumber(n, 'zh-CN');

test("home page: the facility cards are the district's count, though the map's list stops at 200", { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  const sum = await apiGet(page, '/facilities/summary');
  assert.ok(sum.facilities > 200, `more facilities than 200 pages of 1 (${sum.facilities})`);
  await pagesOfOne(page);
  await page.goto('/dashboard');
  await kpi(page, 'facilities').getByText(fmt(sum.facilities), { exact: true }).waitFor({ timeout: 90000 });
  for (const [key, state] of [['ready', 'emergency'], ['converting', 'converting'], ['restoring', 'restoring'], ['peacetime', 'peacetime']])
    assert.equal(await kpi(page, key).innerText(), fmt(sum.states[state]), key);
  // the map alone is the first 200, and says so
  await page.getByTestId('dashboard-partial').getByText('地图仅显示前 200 个设施；各项统计按全部设施计算').waitFor();
  await shot(page, 'dashboard-counts-capped-list');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('home page without the overview (enterprise): the capacity per role is summed over every facility', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW);
  const sum = await apiGet(page, '/facilities/summary');
  await pagesOfOne(page);
  await page.goto('/dashboard');
  await kpi(page, 'facilities').getByText(fmt(sum.facilities), { exact: true }).waitFor({ timeout: 90000 });
  const line = sum.capacity.find((c) => c.role === 'resettlement' && c.unit === 'beds');
  const row = page.getByTestId('capacity-table').locator('tr', { hasText: '安置床位' });
  await row.getByText(fmt(line.total), { exact: true }).waitFor();
  await row.getByText(`设施数 ${fmt(line.facilities)}`).waitFor();
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

/** a resettlement plan for 金海湖地区 (303) with supplies for 3 days, solved: share, the
 * share of its people to place */
async function supplyPlan(page, name, share = 0.05) {
  const res = await page.request.post(BASE + '/api/v1/plans?wait=1', {
    data: {
      name,
      scenario: 'disaster',
      role: 'resettlement',
      affected: { township_ids: [303] },
      demand: { share },
      teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
      supplies: { days: 3 },
      time_limit_s: 0.5,
    },
  });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}

const pairs = (flows) => new Set(flows.map((f) => `${f.store_id}-${f.facility_id}`)).size;

test("plan map: every supply flow is drawn, its store past the facilities list's limit too, a plan solved before flows said where their store is as well", { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  const p = await supplyPlan(page, '物资流向 全部绘出');
  const flows = p.result.supplies.flows;
  assert.ok(flows.length > 0, 'the plan ships supplies');
  // the 40 facilities pages of 1 hold: some store of the plan is past them
  const first40 = (await apiGet(page, '/facilities?limit=40')).items.map((f) => f.id);
  assert.ok(flows.some((f) => f.store_id > Math.max(...first40)), 'a store past the limit');
  assert.ok(flows.every((f) => Number.isFinite(f.store_lat) && Number.isFinite(f.store_lon)), 'each flow says where its store is');
  await pagesOfOne(page);
  const map = page.getByTestId('plan-map');
  await page.goto(`/plans/${p.id}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=plan-map]')?.dataset.supplyLines != null);
  assert.equal(Number(await map.getAttribute('data-supply-lines')), pairs(flows), 'one line per store → site');
  await shot(page, 'plan-map-all-flows');
  // a plan saved before flows carried their store's place: its stores are read by id
  await page.route(new RegExp(`/api/v1/plans/${p.id}$`), async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    for (const f of body.result?.supplies?.flows || []) {
      delete f.store_lat;
      delete f.store_lon;
    }
    await route.fulfill({ response: res, json: body });
  });
  const read = [];
  page.on('request', (r) => {
    const m = /\/api\/v1\/facilities\/(\d+)$/.exec(new URL(r.url()).pathname);
    if (m) read.push(Number(m[1]));
  });
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid=plan-map]')?.dataset.supplyLines != null);
  assert.equal(Number(await map.getAttribute('data-supply-lines')), pairs(flows), 'every flow of an older plan too');
  for (const id of new Set(flows.map((f) => f.store_id))) assert.ok(read.includes(id), `store ${id} read by id`);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('plan page: a site taken meanwhile is said before adopting, its id past the facilities list\'s limit too', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  // 40 % of the township: sites past the 40 resettlement facilities of the first pages too
  const p = await supplyPlan(page, '占用场所 提示', 0.4);
  const first40 = (await apiGet(page, '/facilities?role=resettlement&limit=40')).items.map((f) => f.id);
  const site = [...p.result.sites].sort((a, b) => b.facility_id - a.facility_id)[0];
  assert.ok(site.facility_id > Math.max(...first40), 'a site past the limit');
  // the site converting since the plan was solved (as another plan's adoption makes it),
  // wherever the page reads it
  const converting = (items) => items.forEach((f) => f.id === site.facility_id && (f.state = 'converting'));
  await pagesOfOne(page, converting);
  await page.route(/\/api\/v1\/facilities\/\d+$/, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    converting([body]);
    await route.fulfill({ response: res, json: body });
  });
  await page.goto(`/plans/${p.id}`);
  const warn = page.getByTestId('adopt-busy');
  await warn.waitFor();
  await warn.getByTestId(`busy-${site.facility_id}`).waitFor();
  assert.ok(await page.getByTestId('adopt').isDisabled(), 'adopting waits for the site');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
