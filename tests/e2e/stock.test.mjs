// The emergency stock page as its users rely on it: the district officer sees per category
// what is usable, expiring and expired (the figures the API's lines add up to), where a
// category is held (a chart), adds a line (a refused one says why at its field), changes and
// deletes it; a township officer may change only the lines of their township's stores; a
// viewer reads; an enterprise user has no such page. Units and sources read in the user's
// language; a line someone else changed or deleted meanwhile is said to be so (in Chinese) and
// the list refreshed; an edit that met a newer version reloads keeping what was typed; the add
// dialog offers only the facilities the user may write. Dates are relative to Beijing's today.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { addDays, beijingToday, stockState, STOCK_SOON_DAYS } from '../../web/src/utils/dualuse.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('stock states of the lines, on a given day', () => {
  const today = '2026-11-30';
  assert.equal(addDays(today, 1), '2026-12-01');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(beijingToday(Date.UTC(2026, 10, 30, 16, 30)), '2026-12-01', 'Beijing is UTC+8');
  const lines = [
    { category: 'grain', unit: 'kg', quantity: 100, expiry: '2027-06-30', expired: false },
    { category: 'grain', unit: 'kg', quantity: 40, expiry: addDays(today, STOCK_SOON_DAYS), expired: false },
    { category: 'grain', unit: 'kg', quantity: 7, expiry: '2026-11-01', expired: true },
    { category: 'water', unit: 'L', quantity: 5, expiry: null, expired: false },
  ];
  assert.deepEqual(lines.map((l) => stockState(l, today)), ['ok', 'soon', 'expired', 'ok']);
});

describe('emergency stock', { timeout: budget(180000) }, () => {
  async function noProblems(page) {
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  }

  test('the district officer: totals as the lines add up, the chart, a line added (a refused one says why), changed and deleted', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'officer', DEMO_PW);
    const all = [];
    for (let cursor; ; ) {
      const p = await apiGet(page, `/stock?limit=500${cursor ? '&cursor=' + cursor : ''}`);
      all.push(...p.items);
      if (!p.next_cursor) break;
      cursor = p.next_cursor;
    }
    const today = beijingToday();
    const grainUsable = all.filter((l) => l.category === 'grain' && !l.expired).reduce((s, l) => s + l.quantity, 0);
    assert.ok(grainUsable > 0, 'the demo holds grain');
    await page.getByRole('menuitem', { name: '应急物资' }).click();
    await page.getByRole('heading', { name: '应急物资储备' }).waitFor();
    const grain = page.getByTestId('stock-cat-grain');
    await grain.getByText(formatNumber(grainUsable), { exact: true }).waitFor();
    // the cards are the server's totals over every line (GET /stock/summary), category by category
    const sum = await apiGet(page, '/stock/summary');
    assert.equal(sum.lines, all.length);
    for (const c of sum.categories) {
      const card = page.getByTestId(`stock-cat-${c.category}`);
      await card.locator('.pj-cat-q').getByText(formatNumber(c.usable), { exact: true }).waitFor();
      // every card says its lines (one said lines, the next expired stock, on the same line)
      assert.equal((await card.getByTestId('cat-lines').innerText()).trim(), `${c.lines} 条`);
      if (c.expired) await card.getByText(`${formatNumber(c.expired)} 已过期`).waitFor();
      if (c.soon) await card.getByText(`${formatNumber(c.soon)} 将到期`).waitFor();
    }
    await page.getByTestId('stock-chart').locator('canvas').first().waitFor();
    await page.getByText(`显示 ${all.length} / ${all.length} 条`).waitFor();
    // a card filters the lines to its category
    await grain.click();
    const nGrain = all.filter((l) => l.category === 'grain').length;
    await page.getByText(`显示 ${nGrain} / ${all.length} 条`).waitFor();
    await shot(page, '60-stock');
    await grain.click();

    // add: without a category the field says so, nothing written
    await page.getByTestId('stock-add').click();
    const dlg = page.getByRole('dialog', { name: '新增库存' });
    // nothing chosen: facility, category and quantity each said at once, nothing sent (the
    // server names one per attempt)
    const posts = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/v1/stock') && posts.push(r.url()));
    await dlg.getByTestId('stock-save').click();
    const said = dlg.locator('.el-form-item__error');
    await said.nth(2).waitFor();
    assert.deepEqual(await said.allInnerTexts(), ['必填', '必填', '必填']);
    assert.deepEqual(posts, []);
    await dlg.getByTestId('stock-facility').locator('input').fill('万达锦华酒店');
    await page.locator('.el-select-dropdown__item', { hasText: '万达锦华酒店' }).first().click();
    await dlg.getByTestId('stock-quantity').locator('input').fill('1200');
    await dlg.getByTestId('stock-save').click();
    await dlg.locator('.el-form-item__error').getByText('必填').waitFor();
    assert.equal((await apiGet(page, '/stock?limit=500&facility_id=1')).items.filter((l) => l.quantity === 1200).length, 0);
    // water, expiring in 30 days: added, shown as expiring soon
    await choose(page, dlg.getByTestId('stock-category'), '饮用水（升）');
    const expiry = addDays(today, 30);
    const date = dlg.locator('.el-form-item', { hasText: '有效期至' }).locator('input').first();
    // a date already past is said at the field (the line would count as expired), not refused
    await date.fill(addDays(today, -1));
    await date.press('Enter');
    await dlg.getByTestId('stock-expiry-past').getByText('该日期已过：这批物资登记后即为已过期，不计入可用库存和保障天数').waitFor();
    await date.fill(expiry);
    await date.press('Enter');
    await dlg.getByTestId('stock-expiry-past').waitFor({ state: 'detached' });
    await dlg.getByTestId('stock-source').fill('采购入库');
    await dlg.getByTestId('stock-save').click();
    await page.getByText('已新增 万达锦华酒店 的库存').waitFor();
    const mine = (await apiGet(page, '/stock?limit=500&facility_id=1')).items.find((l) => l.quantity === 1200 && l.category === 'water');
    assert.ok(mine, 'the line is stored');
    assert.equal(mine.expiry, expiry);
    assert.equal(mine.source, '采购入库');
    const row = page.getByTestId('stock-table').locator('.el-table__body-wrapper tr', { hasText: '万达锦华酒店' }).filter({ hasText: expiry });
    await row.getByTestId('stock-state').getByText('90 天内到期').waitFor();
    // change the quantity
    await row.getByTestId('stock-edit').click();
    const edit = page.getByRole('dialog', { name: '修改库存' });
    await edit.getByTestId('stock-quantity').locator('input').fill('1500');
    await edit.getByTestId('stock-save').click();
    await page.getByText('已保存').first().waitFor();
    await row.getByText('1,500升').waitFor();
    // delete it (asked first)
    await row.getByTestId('stock-delete').click();
    await page.getByRole('dialog', { name: '删除库存' }).getByRole('button', { name: '删除' }).click();
    await page.getByText('已删除', { exact: true }).waitFor();
    assert.equal((await apiGet(page, '/stock?limit=500&facility_id=1')).items.some((l) => l.id === mine.id), false);
    // a store's page links to its stock, filtered to it
    const store = all[0];
    await page.goto(`/facilities/${store.facility_id}`);
    await page.getByTestId('facility-stock').click();
    await page.waitForURL(/\/stock\?facility_id=/);
    const held = all.filter((l) => l.facility_id === store.facility_id).length;
    await page.getByText(`显示 ${held} / ${all.length} 条`).waitFor();
    // the cards follow the facility chosen: the store's own totals, as the server counts them
    await page.getByTestId('stock-totals').and(page.locator(`[data-facility="${store.facility_id}"]`)).waitFor();
    const mineSum = await apiGet(page, `/stock/summary?facility_id=${store.facility_id}`);
    const c0 = mineSum.categories.find((c) => c.lines > 0);
    const own = all.filter((l) => l.facility_id === store.facility_id && l.category === c0.category && !l.expired).reduce((s, l) => s + l.quantity, 0);
    assert.ok(Math.abs(own - c0.usable) < 1e-6, 'the store’s usable stock of a category');
    await page.getByTestId(`stock-cat-${c0.category}`).locator('.pj-cat-q').getByText(formatNumber(c0.usable), { exact: true }).waitFor();
    await noProblems(page);
    await context.close();
  });

  test('a township officer changes only their township\'s lines; a viewer reads; an enterprise user has no page; a phone keeps it usable', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    const town = me.township_id ?? me.user?.township_id;
    assert.ok(town, 'a township officer');
    const lines = (await apiGet(page, '/stock?limit=500')).items;
    const own = lines.find((l) => l.township_id === town);
    const other = lines.find((l) => l.township_id !== town);
    assert.ok(own && other, 'lines in and out of the township');
    await page.goto('/stock');
    await page.getByTestId('stock-add').waitFor();
    const table = page.getByTestId('stock-table');
    await table.locator('.el-table__body-wrapper tr', { hasText: own.facility_name }).first().getByTestId('stock-edit').waitFor();
    assert.equal(await table.locator('.el-table__body-wrapper tr', { hasText: other.facility_name }).first().getByTestId('stock-edit').count(), 0);
    await noProblems(page);
    await context.close();

    const v = await openPage(browser, { width: 390, height: 844 });
    await login(v.page, 'viewer', DEMO_PW);
    await v.page.goto('/stock');
    await v.page.getByRole('heading', { name: '应急物资储备' }).waitFor();
    await v.page.getByTestId('stock-cat-grain').waitFor();
    assert.equal(await v.page.getByTestId('stock-add').count(), 0);
    assert.equal(await v.page.getByTestId('stock-edit').count(), 0);
    // the cards and the table stay within the phone's width
    const wide = await v.page.getByTestId('stock-totals').evaluate((el) => el.scrollWidth <= window.innerWidth);
    assert.ok(wide, 'the category cards fit a 390 px screen');
    await shot(v.page, '61-stock-390');
    await v.page.getByTestId('stock-chart').scrollIntoViewIfNeeded();
    await shot(v.page, '61b-stock-chart-390');
    await v.context.close();

    const e = await openPage(browser);
    await login(e.page, 'jd', DEMO_PW);
    assert.equal(await e.page.getByRole('menuitem', { name: '应急物资' }).count(), 0);
    await e.page.goto('/stock');
    await e.page.getByText('无权限', { exact: true }).waitFor();
    await e.context.close();
  });

  // the page's own API calls, with the page's session
  async function api(page, method, p, data) {
    const res = await page.request.fetch('/api/v1' + p, { method, data });
    if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.status() === 204 ? null : res.json();
  }
  const rowOf = (page, text) => page.getByTestId('stock-table').locator('.el-table__body-wrapper tr', { hasText: text });

  test('units and sources in Chinese, as the other pages show them', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'officer', DEMO_PW);
    const a = await api(page, 'POST', '/stock', { facility_id: 1, category: 'medicine', quantity: 777, source: 'synthetic' });
    const b = await api(page, 'POST', '/stock', { facility_id: 1, category: 'ppe', quantity: 888 });
    await page.goto('/stock?facility_id=1');
    // the chart of where a category is held is the district's, and says so under a facility filter
    await page.getByTestId('stock-chart-district').getByText('全区各存放设施，不随设施筛选').waitFor();
    // the units as the other pages name them, the demo's source as 模拟数据
    await page.getByTestId('stock-cat-medicine').locator('.pj-unit').getByText('箱', { exact: true }).waitFor();
    await page.getByTestId('stock-cat-grain').locator('.pj-unit').getByText('千克', { exact: true }).waitFor();
    const ra = rowOf(page, '777箱');
    await ra.getByText('模拟数据', { exact: true }).waitFor();
    assert.equal(await ra.getByText('synthetic').count(), 0);
    await rowOf(page, '888件').getByText('人工录入', { exact: true }).waitFor();
    assert.equal(await page.getByTestId('stock-table').getByText(/\b(box|pcs|kg)\b/).count(), 0, 'no raw unit in the table');
    await page.getByTestId('stock-add').click();
    const dlg = page.getByRole('dialog', { name: '新增库存' });
    await choose(page, dlg.getByTestId('stock-category'), '药品（箱）');
    await dlg.getByText('箱', { exact: true }).waitFor(); // next to the quantity
    await dlg.getByRole('button', { name: '取消' }).click();
    await ra.getByTestId('stock-delete').click();
    const ask = page.getByRole('dialog', { name: '删除库存' });
    await ask.getByText('删除 万达锦华酒店 的药品库存（777箱）？', { exact: true }).waitFor();
    await shot(page, '62-stock-units-zh');
    await ask.getByRole('button', { name: '取消' }).click();
    await noProblems(page);
    for (const l of [a, b]) await api(page, 'DELETE', `/stock/${l.id}?version=${l.version}`);
    await context.close();
  });

  test('deleting a line someone else deleted or changed meanwhile says so in Chinese and refreshes the list', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'officer', DEMO_PW);
    const a = await api(page, 'POST', '/stock', { facility_id: 1, category: 'medicine', quantity: 7771 });
    const b = await api(page, 'POST', '/stock', { facility_id: 1, category: 'ppe', quantity: 8881 });
    await page.goto('/stock?facility_id=1');
    const ra = rowOf(page, '7,771');
    await ra.waitFor();
    // someone else deletes line a and adds another (a new id, never a's)
    await api(page, 'DELETE', `/stock/${a.id}?version=${a.version}`);
    const c = await api(page, 'POST', '/stock', { facility_id: 1, category: 'eggs', quantity: 5551 });
    assert.ok(c.id > a.id, 'ids are not reused');
    await ra.getByTestId('stock-delete').click();
    await page.getByRole('dialog', { name: '删除库存' }).getByRole('button', { name: '删除' }).click();
    await page.getByText('该库存已不存在（可能已被他人删除），列表已刷新', { exact: true }).waitFor();
    assert.equal(await page.getByText(/no stock line/).count(), 0, 'no English message');
    await ra.waitFor({ state: 'detached' });
    await rowOf(page, '5,551').waitFor(); // the list as it is now
    assert.ok((await apiGet(page, '/stock?limit=500&facility_id=1')).items.some((l) => l.id === c.id), 'the new line is untouched');

    // someone else changes line b: the stale delete is refused, the line kept, the list shows it
    await api(page, 'PATCH', `/stock/${b.id}`, { version: b.version, quantity: 9991 });
    await rowOf(page, '8,881').getByTestId('stock-delete').click();
    await page.getByRole('dialog', { name: '删除库存' }).getByRole('button', { name: '删除' }).click();
    await page.getByText('该库存已被他人修改，列表已刷新，请核对后再操作', { exact: true }).waitFor();
    await rowOf(page, '9,991').waitFor();
    assert.ok((await apiGet(page, '/stock?limit=500&facility_id=1')).items.some((l) => l.id === b.id), 'the changed line is kept');
    await shot(page, '62b-stock-delete-stale');
    await noProblems(page);
    for (const l of (await apiGet(page, '/stock?limit=500&facility_id=1')).items.filter((x) => [b.id, c.id].includes(x.id)))
      await api(page, 'DELETE', `/stock/${l.id}?version=${l.version}`);
    await context.close();
  });

  test('an edit that meets a newer version says so of the stock line, reloads keeping what was typed, and the list is refreshed', async () => {
    const { context, page } = await openPage(browser, { width: 390, height: 844 });
    await login(page, 'officer', DEMO_PW);
    const d = await api(page, 'POST', '/stock', { facility_id: 1, category: 'water', quantity: 4321 });
    await page.goto('/stock?facility_id=1');
    await rowOf(page, '4,321').getByTestId('stock-edit').click();
    const edit = page.getByRole('dialog', { name: '修改库存' });
    await edit.getByTestId('stock-quantity').locator('input').fill('6500');
    // meanwhile someone else sets its expiry
    const later = addDays(beijingToday(), 400);
    await api(page, 'PATCH', `/stock/${d.id}`, { version: d.version, expiry: later });
    await edit.getByTestId('stock-save').click();
    const warn = edit.getByTestId('stock-conflict');
    await warn.getByText('该库存已被他人修改', { exact: false }).waitFor();
    assert.equal(await edit.getByText('该设施').count(), 0, 'not a facility');
    await rowOf(page, later).filter({ hasText: '4,321' }).waitFor(); // the list refreshed
    await shot(page, '63-stock-conflict-390');
    await warn.getByTestId('stock-reload').click();
    await warn.waitFor({ state: 'detached' });
    assert.equal(await edit.getByTestId('stock-quantity').locator('input').inputValue(), '6500', 'the typed quantity is kept');
    assert.equal(await edit.locator('.el-form-item', { hasText: '有效期至' }).locator('input').first().inputValue(), later, 'the other change is shown');
    await edit.getByTestId('stock-save').click();
    await page.getByText('已保存').first().waitFor();
    const now = (await apiGet(page, '/stock?limit=500&facility_id=1')).items.find((l) => l.id === d.id);
    assert.equal(now.quantity, 6500);
    assert.equal(now.expiry, later);
    assert.equal(now.version, 3);
    await rowOf(page, '6,500').waitFor();
    await noProblems(page);
    await api(page, 'DELETE', `/stock/${d.id}?version=${now.version}`);
    await context.close();
  });

  test('an expiry can be removed in the edit dialog', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'officer', DEMO_PW);
    const e = await api(page, 'POST', '/stock', { facility_id: 1, category: 'oil', quantity: 2468, expiry: '2031-03-31' });
    await page.goto('/stock?facility_id=1');
    await rowOf(page, '2,468').getByTestId('stock-edit').click();
    const edit = page.getByRole('dialog', { name: '修改库存' });
    const date = edit.locator('.el-form-item', { hasText: '有效期至' });
    await date.locator('input').first().hover();
    await date.locator('.clear-icon').click();
    assert.equal(await date.locator('input').first().inputValue(), '');
    await edit.getByTestId('stock-save').click();
    await page.getByText('已保存').first().waitFor();
    const now = (await apiGet(page, '/stock?limit=500&facility_id=1')).items.find((l) => l.id === e.id);
    assert.equal(now.expiry, null, 'no expiry');
    await rowOf(page, '2,468').filter({ hasNotText: '2031-03-31' }).waitFor();
    await noProblems(page);
    await api(page, 'DELETE', `/stock/${e.id}?version=${now.version}`);
    await context.close();
  });

  test('the add dialog offers only the facilities the user may write', async () => {
    // a facility operator: their own facility, whatever the page is filtered by
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'wanda', DEMO_PW, { land: false });
    const other = (await apiGet(page, '/stock?limit=500')).items.find((l) => l.facility_id !== 1);
    await page.goto(`/stock?facility_id=${other.facility_id}`);
    await page.getByTestId('stock-add').click();
    const dlg = page.getByRole('dialog', { name: '新增库存' });
    const fac = dlg.getByTestId('stock-facility');
    await fac.getByText('万达锦华酒店').waitFor();
    assert.ok(await fac.locator('input').isDisabled(), 'the facility is fixed');
    await choose(page, dlg.getByTestId('stock-category'), '粮食（千克）');
    await dlg.getByTestId('stock-quantity').locator('input').fill('321');
    await dlg.getByTestId('stock-save').click();
    await page.getByText('已新增 万达锦华酒店 的库存').waitFor();
    const mine = (await apiGet(page, '/stock?limit=500&facility_id=1')).items.find((l) => l.quantity === 321 && l.category === 'grain');
    assert.ok(mine, 'stored at the operator\'s facility');
    await api(page, 'DELETE', `/stock/${mine.id}?version=${mine.version}`);
    await noProblems(page);
    await context.close();

    // a township officer: the facilities of their township only
    const t = await openPage(browser, { width: 1366, height: 900 });
    await login(t.page, 'jinhaihu', DEMO_PW);
    const me = await apiGet(t.page, '/auth/me');
    const town = me.township_id ?? me.user?.township_id;
    const townName = (await apiGet(t.page, `/regions/${town}`)).name;
    await t.page.goto('/stock');
    await t.page.getByTestId('stock-add').click();
    const tdlg = t.page.getByRole('dialog', { name: '新增库存' });
    const first = t.page.waitForResponse((r) => r.url().includes('/api/v1/facilities?'));
    await tdlg.getByTestId('stock-facility').click();
    assert.ok((await first).url().includes(`township_id=${town}`), 'the search asks for the township');
    const opts = t.page.locator('.el-select-dropdown__item:visible');
    await opts.first().waitFor();
    const notes = await opts.locator('.pj-muted').allTextContents();
    assert.ok(notes.length > 0);
    assert.deepEqual([...new Set(notes)], [townName], 'only facilities of the township');
    const found = t.page.waitForResponse((r) => r.url().includes('/api/v1/facilities?') && r.url().includes('q='));
    await tdlg.getByTestId('stock-facility').locator('input').fill('万达锦华');
    assert.deepEqual((await (await found).json()).items, [], 'another township\'s facility is not offered');
    assert.equal(await t.page.locator('.el-select-dropdown__item:visible', { hasText: '万达锦华酒店' }).count(), 0);
    await noProblems(t.page);
    await t.context.close();
  });
});
