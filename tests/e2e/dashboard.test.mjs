// The district dashboard, the logistics hub and agri-tech at 390 px and 1366 px, in Chinese and
// in English: the page does not scroll sideways and the cards lie within the window
// (screenshots dash-*); the dashboard's warehouse, doctor-farm and freight cards show the
// register pages' figures, the yearly freight statistic labelled as another figure; the
// logistics page says which months its freight covers. A township officer's new doctor farm is
// in their township (preselected, the only one offered) and is saved.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, openPage, login, shot, apiGet, DEMO_PW, OUT, budget } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The whole page, scrolled (the charts below the cards too). */
const fullShot = (page, name) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });

async function noSideways(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`);
}

/** Every element matched ends within the window. */
async function within(page, selector, what) {
  const out = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right).filter((r) => r > window.innerWidth + 0.5));
  assert.deepEqual(out, [], `${what}: ${selector} past the right edge`);
}

describe('dashboard, logistics and agri-tech pages', { timeout: budget(240000) }, () => {
  for (const lang of ['zh-CN', 'en'])
    for (const [vpName, vp] of [
      ['390', PHONE],
      ['1366', LAPTOP],
    ])
      test(`${lang} at ${vpName} px: nothing cut off sideways; the register figures agree`, async () => {
        const { context, page } = await openPage(browser, vp);
        await login(page, 'officer', DEMO_PW);
        await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
        await page.goto('/development/dashboard');
        await page.getByTestId('fig-warehouse_progress').waitFor();
        await page.getByTestId('trend-chart').waitFor();
        await noSideways(page, `dashboard ${lang} ${vpName}`);
        await within(page, '.pj-fig, .el-card', `dashboard ${lang} ${vpName}`);
        await fullShot(page, `dash-dashboard-${lang}-${vpName}`);
        await page.locator('.pj-grid2').screenshot({ path: path.join(OUT, `dash-dashboard-charts-${lang}-${vpName}.png`) });
        const d = await apiGet(page, '/dashboard');
        const lk = await apiGet(page, '/logistics/kpi');
        const ak = await apiGet(page, '/agri/kpi');
        const fig = (k) => d.figures.find((f) => f.key === k);
        assert.equal(fig('warehouse_progress').figure.rounded, lk.warehouses.started_of_plan_pct);
        assert.equal(fig('warehouse_progress').figure.current, lk.warehouses.started_m2);
        assert.equal(fig('doctor_farms').figure.value, ak.doctor_farms);
        assert.equal(fig('freight_register_progress').figure.rounded, lk.freight.progress_pct);
        assert.match(await page.getByTestId('fig-warehouse_progress').getByTestId('fig-value').innerText(), new RegExp(String(lk.warehouses.started_of_plan_pct).replace('.', '\\.')));
        assert.match(await page.getByTestId('fig-doctor_farms').getByTestId('fig-value').innerText(), new RegExp(`^${ak.doctor_farms}`));
        assert.match(await page.getByTestId('fig-freight_progress').innerText(), lang === 'en' ? /yearly statistics/ : /统计年报/);

        await page.goto('/logistics');
        await page.getByTestId('wh-started').waitFor();
        await page.getByTestId('freight-window').waitFor();
        assert.match(await page.getByTestId('freight-window').innerText(), new RegExp(lk.freight.latest_month));
        await page.locator('canvas').first().waitFor();
        await page.waitForTimeout(600); // the charts' first drawing
        await noSideways(page, `logistics ${lang} ${vpName}`);
        await within(page, '.el-card', `logistics ${lang} ${vpName}`);
        await fullShot(page, `dash-logistics-${lang}-${vpName}`);
        await page.locator('.pj-two').screenshot({ path: path.join(OUT, `dash-logistics-charts-${lang}-${vpName}.png`) });

        await page.goto('/agri');
        await page.getByTestId('doctor-farms').waitFor();
        await page.getByTestId('agri-farms').locator('tbody tr').first().waitFor();
        await noSideways(page, `agri ${lang} ${vpName}`);
        await within(page, '.el-card', `agri ${lang} ${vpName}`);
        await fullShot(page, `dash-agri-${lang}-${vpName}`);
        assert.deepEqual(page.problems, []);
        await context.close();
      });

  test('a township officer adds a doctor farm: their township is preselected and the only one', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    await page.goto('/agri');
    await page.getByTestId('agri-add-farms').click();
    const form = page.getByTestId('agri-form-farms');
    await form.waitFor();
    const field = form.getByTestId('f-township_id');
    await assert.doesNotReject(field.getByText('金海湖地区').waitFor());
    await field.locator('.el-select').click();
    const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
    await options.first().waitFor();
    assert.deepEqual(await options.allInnerTexts(), ['金海湖地区']);
    await page.keyboard.press('Escape');
    await form.getByTestId('f-name').locator('input').fill('金海湖博士农场（界面测试）');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/agri/farms') && r.request().method() === 'POST');
    await page.getByTestId('record-save').click();
    const res = await saved;
    assert.equal(res.status(), 201, await res.text());
    const farm = await res.json();
    assert.equal(farm.township_id, me.user?.township_id ?? me.township_id);
    await shot(page, 'dash-agri-town-farm');
    // leave the demo's 117 farms as they were for the other tests
    const del = await page.request.delete(`/api/v1/agri/farms/${farm.id}`);
    assert.ok(del.ok(), await del.text());
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
