// A supply store's or a transport hub's plan counts the role's own units (m³, vehicles per hour),
// not people: the form plans no supplies (a ration per person and day) and no people needing
// medical care for it, and says why; an adopted hub plan whose site's conversion was aborted
// marks the site "no longer in use" and counts no one as without a place, on its page and in
// the plan list. The helpers of web/src/utils/plans.js behind them are checked first. The test
// plans and adopts its own hub plan (金海湖) and aborts its conversion, which brings the site
// back to peacetime (the demo is shared by the files).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';
import { emptyForm, housesPeople, scenarioBody, uncoveredSites } from '../../web/src/utils/plans.js';
import { formatNumber } from '../../web/src/utils/format.js';

const LAPTOP = { width: 1366, height: 900 };
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

describe('plans of roles that house no one: helpers', () => {
  test('no supplies or vulnerable people sent; no one without a place', () => {
    assert.ok(housesPeople('resettlement') && housesPeople('isolation') && housesPeople('medical'));
    assert.ok(!housesPeople('supply_store') && !housesPeople('transport_hub'));
    const f = { ...emptyForm(), township_ids: [303], supplyDays: 3 };
    const people = scenarioBody(f);
    assert.deepEqual(people.supplies, { days: 3 });
    assert.equal(people.vulnerable, true);
    for (const role of ['supply_store', 'transport_hub']) {
      const b = scenarioBody({ ...f, role });
      assert.equal(b.supplies, undefined, role);
      assert.equal(b.vulnerable, false, role);
    }
    const sites = [
      { facility_id: 1, used: 100, in_force: false },
      { facility_id: 2, used: 40, in_force: true },
    ];
    assert.deepEqual(uncoveredSites(sites, true, 'resettlement'), { sites: 1, people: 100 });
    assert.deepEqual(uncoveredSites(sites, true), { sites: 1, people: 100 });
    assert.deepEqual(uncoveredSites(sites, true, 'supply_store'), { sites: 1, people: 0 });
    assert.deepEqual(uncoveredSites(sites, true, 'transport_hub'), { sites: 1, people: 0 });
  });
});

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('plans of roles that house no one', { timeout: budget(240000) }, () => {
  test('the form plans no supplies for a supply store or a hub, and says why', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/plans/new');
    await page.getByRole('heading', { name: '新建方案' }).waitFor();
    const days = input(page, 'plan-supply-days');
    assert.ok(!(await days.isDisabled()), 'a resettlement plan plans supplies');
    await page.getByTestId('plan-vulnerable-by').waitFor();
    await page.getByTestId('plan-role').click();
    await page.getByRole('option', { name: '物资储备', exact: true }).click();
    await page.getByTestId('plan-no-supplies-note').getByText('物资储备方案按本角色自身单位计，不是人数：不计划人均物资').waitFor();
    await page.getByTestId('plan-units-note').waitFor();
    assert.ok(await days.isDisabled(), 'no supplies for a supply store plan');
    assert.equal(await page.getByTestId('plan-vulnerable-by').count(), 0, 'no people needing medical care either');
    await shot(page, 'pu-form-store');
    await page.getByTestId('plan-role').click();
    await page.getByRole('option', { name: '安置', exact: true }).click();
    await page.getByTestId('plan-vulnerable-by').waitFor();
    assert.ok(!(await days.isDisabled()));
    assert.equal(await page.getByTestId('plan-no-supplies-note').count(), 0);
    noProblems(page);
    await context.close();
  });

  // a hub's plan short of throughput said "缺口 63,674 人", "已安置 / 需求", "缺 N 人" and, in
  // the adopt dialog, "注意：N 人没有安置场所": its figures are vehicles per hour
  test('a hub plan short of throughput says the shortfall in vehicles per hour, never people', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    const res = await page.request.post(BASE + '/api/v1/plans?wait=1', {
      data: { name: 'e2e 转运 缺口', scenario: 'holiday', role: 'transport_hub', affected: { township_ids: [303] }, demand: { people: 100000 }, vulnerable: false, teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 }, time_limit_s: 0.5 },
    });
    assert.equal(res.status(), 201, await res.text());
    const plan = await res.json();
    const s = plan.result.summary;
    assert.ok(s.shortfall > 0 && plan.result.shortfall.villages.length > 0);
    const n = (x) => formatNumber(x, 'zh-CN');
    await page.goto(`/plans/${plan.id}`);
    const short = page.locator('[data-stat="shortfall"]');
    await short.getByText('需求缺口（辆/时）').waitFor();
    assert.doesNotMatch(await short.innerText(), /人|安置/);
    await page.locator('[data-stat="served"]').getByText('已满足 / 需求（辆/时）').waitFor();
    const alert = page.getByTestId('shortfall');
    await alert.waitFor();
    const said = await alert.innerText();
    assert.ok(said.includes(`本方案无法满足全部需求：缺口 ${n(s.shortfall)} 辆/时（需求 ${n(s.demand)}，可满足 ${n(s.served)}）`), said);
    const v = plan.result.shortfall.villages[0];
    assert.ok((await page.getByTestId('shortfall-list').innerText()).includes(`缺 ${n(v.people)} 辆/时（需求 ${n(v.demand)}）`));
    assert.doesNotMatch(await page.getByTestId('shortfall-list').innerText(), /\d 人/);
    await page.getByTestId('adopt').click();
    const dlg = page.getByRole('dialog', { name: '采纳方案' });
    await dlg.getByText(`注意：${n(s.shortfall)} 辆/时的需求没有场所承担（需求缺口）。`, { exact: false }).waitFor();
    assert.ok(!(await dlg.innerText()).includes('人没有安置场所'));
    await shot(page, 'pu-hub-short-adopt');
    await dlg.getByRole('button', { name: '取消' }).click();
    await dlg.waitFor({ state: 'hidden' });
    // English
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    await page.locator('[data-stat="shortfall"]').getByText('Shortfall (vehicles/h)').waitFor();
    await page.getByTestId('shortfall').getByText(`This plan cannot meet the demand: ${formatNumber(s.shortfall, 'en')} vehicles/h short`, { exact: false }).waitFor();
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    // the list: the shortfall in the role's unit
    await page.goto('/plans?status=draft');
    const row = page.locator('tr', { hasText: 'e2e 转运 缺口' }).first();
    await row.getByTestId('row-short').getByText(`缺口 ${n(s.shortfall)} 辆/时`).waitFor();
    noProblems(page);
    await context.close();
  });

  test('an adopted hub plan whose site was aborted: no longer in use, no one without a place', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    const post = async (path, data, want) => {
      const res = await page.request.post(BASE + '/api/v1' + path, { data });
      assert.equal(res.status(), want, `POST ${path}: ${await res.text()}`);
      return res.json();
    };
    const body = {
      name: '金海湖 节假日转运 测试',
      scenario: 'holiday',
      role: 'transport_hub',
      affected: { township_ids: [303] },
      demand: { people: 50 },
      vulnerable: false,
      teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
      time_limit_s: 0.5,
    };
    // supplies for a hub: refused at the field
    const bad = await page.request.post(BASE + '/api/v1/plans?wait=1', { data: { ...body, supplies: { days: 3 } } });
    assert.equal(bad.status(), 422);
    assert.equal((await bad.json()).error.field, 'supplies');
    const plan = await post('/plans?wait=1', body, 201);
    assert.ok(plan.result.sites.length > 0, 'the plan takes the hub');
    const adopted = await post(`/plans/${plan.id}/adopt`, { confirm: true }, 200);
    const c0 = adopted.conversions[0];
    assert.ok(c0, 'the plan converts the hub');
    // aborted with a reason: no confirmation about people asked
    await post(`/conversions/${c0.conversion_id}/abort`, { reason: '客流回落' }, 200);
    const x = await apiGet(page, `/plans/${plan.id}`);
    assert.equal(x.result.sites.find((s) => s.facility_id === c0.facility_id).in_force, false);

    await page.goto(`/plans/${plan.id}`);
    const box = page.getByTestId('adopted');
    const unc = box.getByTestId('uncovered');
    await unc.getByText('1 个场所已中止转换或已恢复，不再为本交通转运方案使用').waitFor();
    assert.equal(await unc.getAttribute('data-people'), '0');
    assert.doesNotMatch(await unc.innerText(), /人/);
    await page.getByTestId('plan-sites').getByTestId('site-not-in-force-' + c0.facility_id).getByText('已不再使用').waitFor();
    assert.doesNotMatch(await page.locator('[data-stat="shortfall"]').innerText(), /暂无安置|不再安置/);
    await shot(page, 'pu-hub-aborted');
    // English: the role's plan, no people
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    await page.getByTestId('adopted').getByTestId('uncovered').getByText('Sites no longer in use for this Transport hub plan (conversion aborted or site restored): 1').waitFor();
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));

    // the plan list says nothing of people without a place for it
    await page.goto('/plans?status=adopted');
    const row = page.locator('tr', { hasText: body.name }).first();
    await row.waitFor();
    await page.waitForTimeout(800);
    assert.equal(await row.getByTestId('row-gone').count(), 0);
    noProblems(page);
    await context.close();
  });
});
