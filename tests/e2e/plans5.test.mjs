// The plan page says why each village is short (no candidate site within the distance, the
// sites in reach full, no location), in zh-CN and en; and an adoption refused because a store's
// stock the plan counts on was promised to a plan adopted since names the store, the category
// and the figures. Short solves (0.3 s).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

const LAPTOP = { width: 1440, height: 900 };
const fmt = (n) => formatNumber(n, 'zh-CN');
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const TEAMS = { cleaning: 12, logistics: 16, security: 4, medical: 10, catering: 6, it: 2, disinfection: 8 };

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
async function townId(page, name) {
  return (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent(name))).items[0].id;
}

describe('plans: why villages are short, why an adoption is refused for supplies', { timeout: budget(180000) }, () => {
  test('each village short says why, in Chinese and in English', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const town = await townId(page, '金海湖地区');
    // 4 km: some villages reach no site, others fill what they reach; those needing medical
    // care reach no medical site
    const p = await makePlan(page, { name: 'e2e 缺口原因', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [town] }, demand: { share: 0.5 }, vulnerable: { count: 300, needs: 'medical' }, max_distance_km: 4, teams: TEAMS, time_limit_s: 0.3 });
    const short = p.result.shortfall.villages;
    assert.ok(short.length > 0);
    const first = short[0];
    assert.ok(['out_of_reach', 'sites_full', 'no_location'].includes(first.reason), first.reason);
    const zh = {
      out_of_reach: (s) => `4 公里内没有${s}`,
      sites_full: (s) => `可达的${s}均已满`,
      no_location: () => '该村（社区）没有位置坐标',
    };
    const allVuln = first.vulnerable >= first.people;
    let want = '原因：' + zh[first.reason](allVuln ? '医疗场所' : '候选场所');
    if (!allVuln && first.vulnerable > 0 && first.vulnerable_reason !== first.reason) want += '；需医疗照护者：' + zh[first.vulnerable_reason]('医疗场所');
    await page.goto(`/plans/${p.id}`);
    const why = page.getByTestId('shortfall-list').getByTestId('short-reason').first();
    await why.waitFor();
    assert.equal(await why.getAttribute('data-reason'), first.reason);
    const text = await why.innerText();
    assert.ok(text.includes(want), `${text} / ${want}`);
    assert.equal(await page.getByTestId('shortfall-list').getByTestId('short-reason').count(), Math.min(short.length, 12));
    await shot(page, 'p5-short-reasons');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    const en = page.getByTestId('shortfall-list').getByTestId('short-reason').first();
    await en.waitFor();
    const enText = await en.innerText();
    const say = { out_of_reach: 'no ', sites_full: ' in reach is full', no_location: 'the village has no location' }[first.reason];
    assert.ok(enText.startsWith('. Why: ') && enText.includes(say), enText);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });

  test('two drafts side by side count the same stock: the second adoption is refused with the store, the category and the figures; it stays a draft', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const base = { scenario: 'disaster', role: 'resettlement', demand: { share: 0.1 }, vulnerable: false, max_distance_km: 15, teams: TEAMS, supplies: { days: 60 }, time_limit_s: 0.3 };
    const a = await makePlan(page, { ...base, name: 'e2e 物资 东', affected: { township_ids: [await townId(page, '金海湖地区')] } });
    const b = await makePlan(page, { ...base, name: 'e2e 物资 西', affected: { township_ids: [await townId(page, '马坊地区')] } });
    const sites = new Set(a.result.sites.map((s) => s.facility_id));
    assert.ok(b.result.sites.every((s) => !sites.has(s.facility_id)), 'no site in common');
    const res = await page.request.post(`${BASE}/api/v1/plans/${a.id}/adopt`, { data: { confirm: true } });
    assert.equal(res.status(), 200, await res.text());
    await page.goto(`/plans/${b.id}`);
    await page.getByTestId('adopt').click();
    const refused = page.waitForResponse((r) => r.url().endsWith(`/plans/${b.id}/adopt`));
    await page.getByRole('dialog', { name: '采纳方案' }).getByRole('button', { name: '采纳并启动转换' }).click();
    const body = await (await refused).json();
    assert.equal(body.error.code, 'supplies_changed', body.error.message);
    const d = body.error.details;
    const flow = b.result.supplies.flows.find((f) => f.store_id === d.store_id && f.category === d.category);
    assert.ok(flow && d.planned > d.available);
    const err = page.getByTestId('adopt-error');
    await err.waitFor();
    const text = await err.innerText();
    const unit = { kg: '千克', L: '升', box: '箱', pcs: '件' }[flow.unit] ?? flow.unit;
    assert.ok(text.startsWith(`采纳被拒绝：仓库“${flow.store_name}”的`), text);
    assert.ok(text.includes(`现可调运 ${fmt(d.available)}${unit}`) && text.includes(`调运 ${fmt(d.planned)}${unit}`), text);
    assert.equal((await apiGet(page, `/plans/${b.id}`)).status, 'draft');
    await shot(page, 'p5-adopt-supplies');
    noProblems(page);
    await context.close();
  });
});
