// Who acted, by name: where a page showed the username a record keeps (a plan's created_by, a
// conversion's started_by) it shows that user's display name, the username as the hover text;
// the platform's own actors, no accounts (the demo data's "demo"), are named in the console's
// language (演示数据 / Demo data), without a hover text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'no console errors');
}

describe('who acted, by name', { timeout: budget(120000) }, () => {
  test('a plan lists and shows its author by display name, the username on hover', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('金海湖地区'))).items[0];
    const res = await page.request.post('/api/v1/plans?wait=1', {
      data: {
        name: '署名核对方案',
        scenario: 'disaster',
        role: 'resettlement',
        affected: { township_ids: [town.id] },
        demand: { people: 300 },
        vulnerable: false,
        teams: { cleaning: 12, logistics: 16, security: 4, medical: 4, catering: 6, it: 2 },
        time_limit_s: 0.3,
      },
    });
    assert.equal(res.status(), 201, await res.text());
    const plan = await res.json();
    assert.equal(plan.created_by, 'officer');
    assert.equal(plan.created_by_name, '区应急局值班员');

    await page.goto('/plans');
    const row = page.getByTestId('plan-table').locator('.el-table__row', { hasText: '署名核对方案' });
    const who = row.locator('.pj-user');
    await who.waitFor();
    assert.equal((await who.innerText()).trim(), '区应急局值班员');
    assert.equal(await who.getAttribute('title'), 'officer');
    assert.equal(await row.getByText('officer', { exact: true }).count(), 0, 'no username in the row');

    await page.goto(`/plans/${plan.id}`);
    const created = page.getByTestId('plan-created-by');
    await created.getByText(/^区应急局值班员 创建于 /).waitFor();
    assert.equal(await created.getAttribute('title'), 'officer');
    await shot(page, 'names-plan');
    noProblems(page);
    await context.close();
  });

  test('a conversion the demo data started names the demo data in the console\'s language, not a user "demo"', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const list = await apiGet(page, '/conversions?limit=100');
    const conv = list.items.find((c) => c.started_by === 'demo');
    assert.ok(conv, 'a demo conversion');
    assert.equal(conv.started_by_name, null);
    for (const [lang, name] of [['zh-CN', '演示数据'], ['en', 'Demo data']]) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto(`/conversions/${conv.id}`);
      const who = page.getByTestId('conv-started-by');
      await page.getByTestId('conv-started-by').filter({ hasText: name }).waitFor();
      assert.equal((await who.innerText()).trim(), name);
      assert.equal(await who.getAttribute('title'), null);
      assert.equal(await who.getAttribute('data-username'), 'demo');
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });
});
