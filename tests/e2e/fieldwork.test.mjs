// The console as the township and the grid use it. A grid worker on a phone (390 px) who logs a
// visit with a helper sees the helper's balance, ledger and the visit just logged within the
// screen: the page no longer grows sideways (the ledger's table widened the one-column grid to
// its own width, 650 px, and cut off the balance and every card's left part). A plan's sites
// table gives the unit of its mean distance (km) in both languages. A township's officer lists
// the conversions and drills of their township's facilities (the list had only a facility
// filter: in a crisis every township's conversions came mixed, newest first).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, BASE, DEMO_PW, budget } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('fieldwork', { timeout: budget(180000) }, () => {
  test('390 px: a visit logged with a helper, the balance, ledger and recent visits within the screen', async () => {
    const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true });
    await login(page, 'grid01', DEMO_PW, { land: false });
    await page.goto('/service-entry');
    // an elder and a kind no other test logs (the same elder, kind, helper and start is refused)
    await page.getByTestId('entry-elders').locator('.pj-elder').last().click();
    await page.locator('[data-kind="escort"]').click();
    await page.getByTestId('entry-helper').click();
    await page.getByRole('option').first().click();
    await page.locator('.pj-mins button').nth(3).click();
    await page.getByTestId('entry-save').click();
    await page.getByTestId('helper-credit').waitFor();
    await page.locator('.pj-credit .el-table tbody tr').first().waitFor();
    await page.getByTestId('recent-logs').locator('tbody tr').first().waitFor();
    const m = await page.evaluate(() => {
      const main = document.querySelector('main');
      const edge = main.getBoundingClientRect().right;
      const out = ['helper-credit', 'recent-logs'].map((id) => {
        const card = document.querySelector(`[data-testid="${id}"]`).closest('.pj-credit, .el-card');
        const r = card.getBoundingClientRect();
        return { id, left: r.left, right: r.right };
      });
      return { scroll: main.scrollWidth, client: main.clientWidth, edge, out };
    });
    assert.ok(m.scroll <= m.client, `the page scrolls sideways: ${m.scroll} px of content in ${m.client} px`);
    for (const c of m.out) assert.ok(c.right <= m.edge + 0.5 && c.left >= 0, `${c.id} runs from ${c.left} to ${c.right} px, the page ends at ${m.edge}`);
    await page.getByTestId('helper-credit').scrollIntoViewIfNeeded();
    assert.equal(await page.evaluate(() => document.querySelector('main').scrollLeft), 0, 'the page moved sideways to show the balance');
    await shot(page, 'fieldwork-entry-390');
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });

  test("a township officer's plan: the sites table says its distances are km (zh-CN and en)", async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'jinhaihu', DEMO_PW);
    const me = await apiGet(page, '/auth/me');
    const res = await page.request.post(BASE + '/api/v1/plans?wait=1', {
      data: { name: '金海湖 安置 km', scenario: 'disaster', role: 'resettlement', affected: { township_ids: [me.township_id] }, demand: { share: 0.05 }, teams: { cleaning: 12, logistics: 16, security: 4, medical: 4, catering: 6, it: 2 }, time_limit_s: 0.5 },
    });
    assert.equal(res.status(), 201, await res.text());
    const plan = await res.json();
    assert.ok(plan.result.sites.length > 0, 'the plan opens sites');
    for (const [lang, head] of [
      ['zh-CN', '平均距离（km）'],
      ['en', 'Mean km'],
    ]) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto(`/plans/${plan.id}`);
      const table = page.getByTestId('plan-sites');
      await table.locator('tbody tr').first().waitFor();
      const heads = (await table.locator('thead th').allInnerTexts()).map((x) => x.replace(/\s+/g, ''));
      assert.ok(heads.includes(head.replace(/\s+/g, '')), `${lang}: the heads ${JSON.stringify(heads)} name no ${head}`);
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });

  test("a township officer lists their township's conversions and drills", async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    const town = await apiGet(page, `/regions/${me.township_id}`);
    const ours = new Set((await apiGet(page, `/facilities?township_id=${me.township_id}&limit=500`)).items.map((f) => f.name));
    // a drill of one of the township's facilities, so that the township has a running one
    const fac = (await apiGet(page, `/facilities?township_id=${me.township_id}&state=peacetime&limit=500`)).items;
    let drill = null;
    for (const f of fac) {
      const r = await page.request.post(BASE + '/api/v1/conversions', { data: { facility_id: f.id, scenario: 'disaster', mode: 'drill' } });
      if (r.status() === 201) {
        drill = await r.json();
        break;
      }
    }
    assert.ok(drill, 'a drill started in the township');
    const all = (await apiGet(page, '/conversions?limit=100')).items;
    assert.ok(all.some((c) => !ours.has(c.facility_name)), 'other townships have conversions too');
    await page.goto('/conversions');
    await page.getByTestId('conversion-table').locator('tbody tr').first().waitFor();
    await choose(page, page.getByTestId('filter-township'), town.name);
    await page.waitForURL((u) => u.searchParams.get('township_id') === String(me.township_id));
    const table = page.getByTestId('conversion-table');
    await table.getByRole('link', { name: `#${drill.id}`, exact: true }).waitFor();
    const names = (await table.locator('tbody tr .pj-name').allInnerTexts()).map((x) => x.trim());
    const want = (await apiGet(page, `/conversions?township_id=${me.township_id}&limit=20`)).items;
    assert.deepEqual(names, want.map((c) => c.facility_name), 'the rows are the township\'s');
    for (const n of names) assert.ok(ours.has(n), `${n} is not a facility of ${town.name}`);
    // the filter is kept in the address: reloaded, the list is still the township's
    await page.reload();
    await table.getByRole('link', { name: `#${drill.id}`, exact: true }).waitFor();
    assert.deepEqual((await table.locator('tbody tr .pj-name').allInnerTexts()).map((x) => x.trim()), names);
    await shot(page, 'fieldwork-conversions-township');
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
});
