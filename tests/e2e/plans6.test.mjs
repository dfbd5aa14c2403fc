// The crisis day in the console, end to end: a circle whose centre was set on the map (6
// decimals) is sent; the plan page counts the people of every site no longer in force; a site
// converted already is used as it is; the district's progress shows every site behind the
// adopted plan; supply shortfalls are said beside the people's. Short solves (0.3 s).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { supplyShortage } from '../../web/src/utils/plans.js';
import zh from '../../web/src/i18n/zh-CN.js';

const LAPTOP = { width: 1440, height: 900 };
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

const fmt = (n) => formatNumber(n, 'zh-CN');
const TEAMS = { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 };
async function makePlan(page, body) {
  const res = await page.request.post(BASE + '/api/v1/plans?wait=1', { data: body });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}
async function townId(page, name) {
  return (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent(name))).items[0].id;
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('plans: the crisis day', { timeout: budget(240000) }, () => {
  test('a circle centred by a map click (6 decimals) and numbers with decimals are sent, nothing blocks the form', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/plans/new');
    await page.getByTestId('affected-by').getByText('按圆形区域').click();
    await page.getByTestId('affected-map').locator('canvas').first().waitFor();
    await input(page, 'plan-lat').fill('40.14');
    await input(page, 'plan-lon').fill('117.12');
    const box = await page.getByTestId('affected-map').locator('canvas').first().boundingBox();
    await page.mouse.click(box.x + 0.55 * box.width, box.y + 0.45 * box.height);
    await page.waitForFunction(() => document.querySelector('input[data-testid="plan-lon"]').value !== '117.12');
    const lat = await input(page, 'plan-lat').inputValue();
    assert.ok(/\.\d{4,}$/.test(lat), `the map gives more than 3 decimals: ${lat}`);
    await input(page, 'plan-radius').fill('2.5');
    await input(page, 'plan-deadline').fill('12.5');
    await input(page, 'plan-time-limit').fill('0.3');
    // every number field of the form takes what is typed: the browser blocks none
    const invalid = await page.getByTestId('scenario-form').evaluate((f) => [...f.querySelectorAll('input')].filter((i) => !i.checkValidity()).map((i) => i.outerHTML));
    assert.deepEqual(invalid, []);
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/plans');
    await page.getByTestId('solve').click();
    const body = (await sent).postDataJSON();
    assert.equal(String(body.affected.center.lat), lat);
    assert.equal(body.affected.radius_km, 2.5);
    assert.equal(body.deadline_hours, 12.5);
    await page.waitForURL(/\/plans\/\d+$/);
    noProblems(page);
    await context.close();
  });

  test('supplies short: per category, the worst first; in the head cards, the adopt dialog (with the people short) and the compare page', async () => {
    assert.equal(supplyShortage(null), null);
    assert.equal(supplyShortage({ categories: [] }), null);
    const sh = supplyShortage({
      categories: [
        { category: 'grain', unit: 'kg', demand: 100, shipped: 100, unmet: 0 },
        { category: 'water', unit: 'L', demand: 1000, shipped: 56, unmet: 944 },
        { category: 'ppe', unit: 'pcs', demand: 10, shipped: 5, unmet: 5 },
      ],
    });
    assert.deepEqual(
      sh.short.map((c) => [c.category, c.percent]),
      [
        ['water', 94.4],
        ['ppe', 50],
      ],
    );
    assert.equal(sh.total, 3);
    assert.equal(sh.worst, 94.4);

    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const town = await townId(page, '金海湖地区');
    const base = { scenario: 'disaster', role: 'resettlement', affected: { township_ids: [town] }, demand: { share: 0.5 }, vulnerable: false, max_distance_km: 4, teams: TEAMS, time_limit_s: 0.3 };
    const p = await makePlan(page, { ...base, name: 'e2e 物资缺口', supplies: { days: 365 } });
    const q = await makePlan(page, { ...base, name: 'e2e 无物资' });
    const want = supplyShortage(p.result.supplies);
    assert.ok(want && want.short.length > 0, 'a year of supplies is short');
    assert.ok(p.result.summary.shortfall > 0, 'villages beyond 4 km are short');
    const first = want.short[0];
    const pctText = (x) => `${fmt(x)}%`;
    const firstText = `${zh.supplies?.[first.category] ?? first.category} 缺 ${pctText(first.percent)}`;

    await page.goto(`/plans/${p.id}`);
    const card = page.locator('[data-stat="supplies"]');
    assert.equal((await card.locator('.pj-stat-value').innerText()).trim(), `${want.short.length} / ${want.total}`);
    assert.ok(await card.locator('.pj-stat-value.pj-bad').count(), 'said as bad');
    assert.ok((await card.innerText()).includes(firstText), `${await card.innerText()} / ${firstText}`);
    await page.getByTestId('adopt').click();
    const dlg = page.getByRole('dialog', { name: '采纳方案' });
    await dlg.getByText(`注意：${fmt(p.result.summary.shortfall)} 人没有安置场所（需求缺口）。`, { exact: false }).waitFor();
    await dlg.getByText(`注意：物资不足——${firstText}`, { exact: false }).waitFor();
    await shot(page, 'p6-adopt-supplies-short');
    await dlg.getByRole('button', { name: '取消' }).click();
    assert.equal((await apiGet(page, `/plans/${p.id}`)).status, 'draft');

    await page.goto(`/plans/compare?a=${q.id}&b=${p.id}`);
    const figs = page.getByTestId('compare-figures');
    const shortRow = figs.locator('tr', { has: page.locator('[data-fig="supplies_short"]') });
    await shortRow.waitFor();
    const cells = (await shortRow.locator('td').allInnerTexts()).map((x) => x.trim());
    assert.deepEqual(cells.slice(0, 3), ['物资短缺类别', '—', `${want.short.length} / ${want.total}`]);
    const worst = (await figs.locator('tr', { has: page.locator('[data-fig="supplies_worst"]') }).locator('td').allInnerTexts()).map((x) => x.trim());
    assert.deepEqual(worst.slice(0, 3), ['物资最大缺口', '—', pctText(want.worst)]);
    await shot(page, 'p6-compare-supplies');
    noProblems(page);
    await context.close();
  });

  test('the suggested name counts the townships beyond the two it names', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    const names = ['金海湖地区', '南独乐河镇', '夏各庄镇', '大华山镇'];
    await page.goto('/plans/new');
    await page.getByTestId('plan-townships').click();
    for (const n of names.slice(0, 3)) await page.getByRole('option', { name: n, exact: true }).click();
    // three: all named
    await page.waitForFunction(() => document.querySelector('input[data-testid="plan-name"]').value.includes('夏各庄镇'));
    assert.equal(await input(page, 'plan-name').inputValue(), '金海湖地区、南独乐河镇、夏各庄镇 平灾安置 10%');
    await page.getByRole('option', { name: names[3], exact: true }).click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('input[data-testid="plan-name"]').value.includes('等'));
    assert.equal(await input(page, 'plan-name').inputValue(), '金海湖地区、南独乐河镇等 4 个乡镇 平灾安置 10%');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    await page.getByTestId('plan-townships').click();
    for (const n of names) await page.getByRole('option', { name: n, exact: true }).click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('input[data-testid="plan-name"]').value.includes('more'));
    assert.ok((await input(page, 'plan-name').inputValue()).startsWith('金海湖地区, 南独乐河镇 and 2 more'), await input(page, 'plan-name').inputValue());
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });
});
