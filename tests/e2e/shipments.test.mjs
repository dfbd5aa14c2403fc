// The shipments of an adopted plan's supply flows on its page: each flow shows shipped / planned
// with a bar, the total and each site a bar of their own; 发货 opens a dialog with what is left
// of the flow as the quantity; a refusal (someone shipped meanwhile) is said at the field in
// Chinese with the server's figures (the error's details) and the table refreshed; a shipment is
// recorded, listed and taken off the store's stock (the API's figures); a viewer is offered no
// 发货; the English labels; Enter pressed twice before a slow answer records one shipment; the
// records asked for first answering after a shipment's do not hide it; a site stopped (its
// conversion aborted) shown apart, its rest no longer planned. The test plans
// and adopts its own plan (马昌营镇) and, whatever happens, aborts the conversions it started and
// puts the stock it shipped back (the demo is shared by the files).
// The helpers of web/src/utils/plans.js behind the page are checked first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiPost, usableStock, holdFirst, BASE, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { mayShip, shipRefusal, shippingProgress } from '../../web/src/utils/plans.js';

const LAPTOP = { width: 1366, height: 900 };
const fmt = (n) => formatNumber(n, 'zh-CN');
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const keyOf = (f) => `${f.store_id}-${f.facility_id}-${f.category}`;

describe('shipment helpers', () => {
  test('shipped against planned per category in its unit, in total and per site', () => {
    const flows = [
      { store_id: 1, facility_id: 10, facility_name: '甲', category: 'grain', unit: 'kg', quantity: 100, shipped: 40 },
      { store_id: 2, facility_id: 10, facility_name: '甲', category: 'water', unit: 'L', quantity: 300, shipped: 0 },
      { store_id: 1, facility_id: 11, facility_name: '乙', category: 'grain', unit: 'kg', quantity: 50, shipped: 50 },
    ];
    assert.deepEqual(shippingProgress(flows), {
      // 60 % of the grain, none of the water: 30 %, not the 90 of 450 kilograms and litres added up
      total: {
        percent: 30,
        categories: [
          { category: 'grain', unit: 'kg', planned: 150, shipped: 90, withdrawn: 0, percent: 60 },
          { category: 'water', unit: 'L', planned: 300, shipped: 0, withdrawn: 0, percent: 0 },
        ],
        withdrawn: false,
      },
      sites: [
        { facility_id: 10, name: '甲', percent: 20, done: 0, count: 2 },
        { facility_id: 11, name: '乙', percent: 100, done: 1, count: 1 },
      ],
      stopped: [],
    });
    assert.equal(shippingProgress([]), null);
    assert.equal(shippingProgress(undefined), null);
  });

  test('a site no longer in force (aborted, restored) is shown apart; what it will not get is not planned in the total', () => {
    const flows = [
      { store_id: 1, facility_id: 10, facility_name: '甲', category: 'grain', unit: 'kg', quantity: 100, shipped: 100, in_force: true },
      { store_id: 1, facility_id: 11, facility_name: '乙', category: 'grain', unit: 'kg', quantity: 80, shipped: 30, in_force: false },
      { store_id: 2, facility_id: 11, facility_name: '乙', category: 'water', unit: 'L', quantity: 20, shipped: 0, in_force: false },
    ];
    assert.deepEqual(shippingProgress(flows), {
      // 130 kg shipped of 180 planned, of which 乙 will not get 50: all that can be shipped is;
      // the water goes to 乙 only: nothing of it is planned any more
      total: {
        percent: 100,
        categories: [
          { category: 'grain', unit: 'kg', planned: 130, shipped: 130, withdrawn: 50, percent: 100 },
          { category: 'water', unit: 'L', planned: 0, shipped: 0, withdrawn: 20, percent: 0 },
        ],
        withdrawn: true,
      },
      sites: [{ facility_id: 10, name: '甲', percent: 100, done: 1, count: 1 }],
      stopped: [
        {
          facility_id: 11,
          name: '乙',
          percent: 18.8, // 37.5 % of its grain, none of its water
          done: 0,
          count: 2,
          withdrawn: [
            { category: 'grain', unit: 'kg', quantity: 50 },
            { category: 'water', unit: 'L', quantity: 20 },
          ],
        },
      ],
    });
  });

  test('who may ship a flow: in force with something left, the store in the user’s scope', () => {
    const f = { store_id: 7, facility_id: 3, in_force: true, remaining: 5 };
    assert.ok(mayShip({ role: 'district_officer' }, f));
    assert.ok(mayShip({ role: 'admin' }, f));
    assert.ok(mayShip({ role: 'facility_operator', facility_id: 7 }, f));
    assert.ok(!mayShip({ role: 'facility_operator', facility_id: 3 }, f), 'the site’s operator is not the store’s');
    assert.ok(mayShip({ role: 'township_officer', township_id: 9 }, f, new Set([7])));
    assert.ok(!mayShip({ role: 'township_officer', township_id: 9 }, f, new Set([8])));
    assert.ok(!mayShip({ role: 'township_officer', township_id: 9 }, f, null));
    assert.ok(!mayShip({ role: 'viewer' }, f));
    assert.ok(!mayShip({ role: 'district_officer' }, { ...f, in_force: false }));
    assert.ok(!mayShip({ role: 'district_officer' }, { ...f, remaining: 0 }));
  });

  test('the figures of a refusal come from the error’s details, never its message', () => {
    assert.deepEqual(shipRefusal('exceeds_flow', { quantity: 400, left: 340, planned: 460, shipped: 120 }), { left: 340, planned: 460, shipped: 120 });
    assert.deepEqual(shipRefusal('insufficient_stock', { quantity: 40, usable: 30 }), { usable: 30 });
    assert.deepEqual(shipRefusal('insufficient_stock', { quantity: 1, usable: 0 }), { usable: 0 });
    // without them (or not numbers) the refusal is said as any other
    assert.equal(shipRefusal('exceeds_flow', null), null);
    assert.equal(shipRefusal('exceeds_flow', undefined), null);
    assert.equal(shipRefusal('exceeds_flow', { left: '340', planned: 460, shipped: 120 }), null);
    assert.equal(shipRefusal('insufficient_stock', {}), null);
    assert.equal(shipRefusal('not_in_force', { left: 1, planned: 1, shipped: 0 }), null);
  });
});

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('shipments of an adopted plan', { timeout: budget(240000) }, () => {
  test('the flows show shipped / planned; 发货 records a shipment taken off the stock; a refusal at the field; a viewer is offered none; English', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('马昌营镇'))).items[0].id;
    const plan = await apiPost(
      page,
      '/plans?wait=1',
      {
        name: '马昌营 发货测试',
        scenario: 'disaster',
        role: 'resettlement',
        affected: { township_ids: [town] },
        demand: { share: 0.05 },
        supplies: { days: 3 },
        teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
        time_limit_s: 0.5,
      },
      201,
    );
    assert.ok(plan.result.supplies?.flows.length > 0, 'the plan has supply flows');
    let adopted = null;
    const shipped = []; // the shipments this test made, to put their stock back
    try {
      adopted = await apiPost(page, `/plans/${plan.id}/adopt`, { confirm: true }, 200);
      const own = new Set(adopted.conversions.map((c) => c.facility_id));
      // the biggest flow to a site this plan converts
      const flow = [...adopted.result.supplies.flows].filter((f) => own.has(f.facility_id)).sort((a, b) => b.quantity - a.quantity)[0];
      assert.ok(flow && flow.quantity >= 10, 'a flow of 10 units or more');
      assert.deepEqual([flow.shipped, flow.remaining, flow.in_force], [0, flow.quantity, true]);
      const key = keyOf(flow);
      const stock0 = await usableStock(page, flow.store_id, flow.category);
      // the flow's category over the whole plan, in its unit (categories are not added up)
      const catPlanned = adopted.result.supplies.flows.filter((f) => f.category === flow.category).reduce((s, f) => s + f.quantity, 0);
      const nCats = new Set(adopted.result.supplies.flows.map((f) => f.category)).size;

      await page.goto(`/plans/${plan.id}`);
      await page.getByRole('heading', { name: plan.name }).waitFor();
      const card = page.getByTestId('plan-supplies');
      const prog = card.getByTestId('ship-progress');
      await prog.getByTestId('ship-total').getByText('已发 0%（各品类平均）').waitFor();
      const cat = prog.getByTestId('ship-cat-' + flow.category);
      assert.deepEqual([Number(await cat.getAttribute('data-shipped')), Number(await cat.getAttribute('data-planned'))], [0, catPlanned]);
      assert.ok((await cat.innerText()).includes(`0/${fmt(catPlanned)}`), await cat.innerText());
      assert.equal(await prog.getByTestId('ship-cats').locator('span').count(), nCats, 'each category its own figure');
      const sites = new Set(adopted.result.supplies.flows.map((f) => f.facility_id));
      assert.equal(await prog.getByTestId('ship-sites').locator('[role="progressbar"]').count(), sites.size, 'a bar per site');
      await card.getByTestId('shipped-' + key).getByText(`0/${fmt(flow.quantity)}`).waitFor();
      await card.getByTestId('ship-' + key).scrollIntoViewIfNeeded();
      // each 发货 of the table says which flow it ships (a screen reader heard 发货 alike 152 times)
      assert.ok((await card.getByTestId('ship-' + key).getAttribute('aria-label')).startsWith(`发货：${flow.store_name} → ${flow.facility_name}，`));
      await shot(page, 's1-flows-adopted');

      // 发货: the dialog offers what is left; meanwhile someone ships 1 (the API), so the whole
      // rest is refused at the field with the server's figures, and the table shows the 1
      await card.getByTestId('ship-' + key).click();
      const dlg = page.getByTestId('ship-dialog');
      await dlg.getByTestId('ship-flow').getByText(`${flow.store_name} → ${flow.facility_name}`, { exact: false }).waitFor();
      const q = dlg.getByTestId('ship-quantity').locator('input');
      assert.equal(await q.inputValue(), String(flow.quantity));
      const body = { store_id: flow.store_id, facility_id: flow.facility_id, category: flow.category };
      shipped.push(await apiPost(page, `/plans/${plan.id}/shipments`, { ...body, quantity: 1 }, 201));
      await dlg.getByTestId('ship-save').click();
      const err = dlg.locator('.el-form-item__error');
      const u = flow.unit === 'kg' ? '千克' : null;
      await err.getByText('超过该流向尚未发出的数量', { exact: false }).waitFor();
      assert.match(await err.innerText(), new RegExp(`尚余 ${fmt(flow.quantity - 1)}.*计划 ${fmt(flow.quantity)}.*已发 1`));
      if (u) assert.ok((await err.innerText()).includes(u), 'the unit in Chinese');
      assert.doesNotMatch(await err.innerText(), /[A-Za-z]{3,}/, 'no English in the Chinese message');
      await card.getByTestId('shipped-' + key).getByText(`1/${fmt(flow.quantity)}`).waitFor();
      await shot(page, 's2-ship-refused');

      // a part of it: recorded, the table, the bars and the records say so
      const part = Math.floor(flow.quantity / 2);
      await q.fill(String(part));
      await dlg.getByTestId('ship-save').click();
      await dlg.waitFor({ state: 'hidden' });
      await page.getByText(`已记录发货 ${fmt(part)}`, { exact: false }).waitFor();
      await card.getByTestId('shipped-' + key).getByText(`${fmt(part + 1)}/${fmt(flow.quantity)}`).waitFor();
      // the category's share shipped, counted as one category among the plan's
      const catPct = Math.round((1000 * (part + 1)) / catPlanned) / 10;
      await cat.getByText(`${fmt(part + 1)}/${fmt(catPlanned)}`, { exact: false }).waitFor();
      const pct = Math.round((10 * catPct) / nCats) / 10;
      await prog.getByTestId('ship-total').getByText(`已发 ${formatNumber(pct, 'zh-CN')}%（各品类平均）`).waitFor();
      assert.equal(Number(await prog.getAttribute('data-percent')), pct);
      const siteShipped = prog.getByTestId('ship-site-' + flow.facility_id);
      assert.ok(Number(await siteShipped.getAttribute('data-percent')) > 0, 'the site’s bar moved');
      const records = card.getByTestId('ship-records');
      await records.locator('tbody tr').nth(1).waitFor();
      assert.equal(await records.locator('tbody tr').count(), 2);
      assert.match(await records.locator('tbody tr').first().innerText(), new RegExp(`${flow.store_name} → ${flow.facility_name}[\\s\\S]*${fmt(part)}[\\s\\S]*区应急局值班员[\\s\\S]*#\\d+`));
      await records.scrollIntoViewIfNeeded();
      await shot(page, 's3-shipped');

      // the API agrees: the plan's flow, the shipments, the store's stock
      const now = await apiGet(page, `/plans/${plan.id}`);
      const f2 = now.result.supplies.flows.find((f) => keyOf(f) === key);
      assert.deepEqual([f2.shipped, f2.remaining], [part + 1, flow.quantity - part - 1]);
      assert.equal(now.result.supplies.shipped_so_far, part + 1);
      const list = await apiGet(page, `/plans/${plan.id}/shipments`);
      assert.equal(list.items.length, 2);
      shipped.push(list.items[0]);
      assert.equal(await usableStock(page, flow.store_id, flow.category), stock0 - part - 1);
      noProblems(page);

      // English
      await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
      await page.reload();
      await card.locator('thead').getByText('Shipped / planned').waitFor();
      await prog.getByTestId('ship-total').getByText(`Shipped ${formatNumber(pct, 'en')}% (mean over categories)`).waitFor();
      await card.getByTestId('ship-' + key).click();
      await page.getByRole('dialog', { name: 'Record a shipment' }).getByText('Quantity shipped now').waitFor();
      await page.waitForTimeout(400); // the dialog's fade-in
      await shot(page, 's4-ship-en');
      await page.getByRole('dialog', { name: 'Record a shipment' }).getByRole('button', { name: 'Cancel' }).click();
      await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
      noProblems(page);

      // a viewer reads the figures and is offered no 发货
      const v = await openPage(browser, LAPTOP);
      await login(v.page, 'viewer', DEMO_PW);
      await v.page.goto(`/plans/${plan.id}`);
      await v.page.getByTestId('plan-supplies').getByTestId('shipped-' + key).getByText(`${fmt(part + 1)}/${fmt(flow.quantity)}`).waitFor();
      assert.equal(await v.page.getByTestId('ship-' + key).count(), 0);
      assert.equal(await v.page.getByTestId('plan-supplies').locator('thead').getByText('操作').count(), 0);
      noProblems(v.page);
      await v.context.close();

      // Enter in the quantity submits the dialog; pressed again before a slow answer, it
      // records no second shipment
      await page.reload();
      await page.route('**/api/v1/plans/*/shipments', async (route) => {
        if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 800));
        await route.continue();
      });
      let posts = 0;
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith(`/plans/${plan.id}/shipments`)) posts++;
      });
      await card.getByTestId('ship-' + key).click();
      await q.fill('1');
      await q.press('Enter');
      await page.waitForTimeout(200);
      await q.press('Enter');
      await dlg.waitFor({ state: 'hidden' });
      await page.unroute('**/api/v1/plans/*/shipments');
      const list3 = await apiGet(page, `/plans/${plan.id}/shipments`);
      shipped.push(...list3.items.slice(0, list3.items.length - 2)); // put back whatever it was
      assert.equal(posts, 1, 'one request for two Enters');
      assert.equal(list3.items.length, 3, 'one shipment for two Enters');
      await card.getByTestId('shipped-' + key).getByText(`${fmt(part + 2)}/${fmt(flow.quantity)}`).waitFor();
      noProblems(page);

      // the records asked for when the page opened answer late, after those asked once a
      // shipment is recorded: the list keeps the shipment just recorded (the last asked wins)
      const firstList = await holdFirst(page, (u) => u.pathname === `/api/v1/plans/${plan.id}/shipments`, { method: 'GET', early: true });
      await page.reload();
      await firstList.caught;
      await card.getByTestId('ship-' + key).click();
      await q.fill('1');
      await dlg.getByTestId('ship-save').click();
      await dlg.waitFor({ state: 'hidden' });
      shipped.push((await apiGet(page, `/plans/${plan.id}/shipments`)).items[0]);
      await card.getByTestId('shipped-' + key).getByText(`${fmt(part + 3)}/${fmt(flow.quantity)}`).waitFor();
      await records.locator('tbody tr').nth(3).waitFor();
      await firstList.release();
      assert.equal(await records.getAttribute('data-count'), '4', 'the shipment just recorded stays listed');
      assert.equal(await records.locator('tbody tr').count(), 4);
      noProblems(page);

      // the site stopped (its conversion aborted): shown apart, with what it will not get; the
      // total plans only what can still be shipped, so it can reach 100 %
      const conv = adopted.conversions.find((c) => c.facility_id === flow.facility_id);
      await apiPost(page, `/conversions/${conv.conversion_id}/abort`, { reason: '测试：安置点停止', confirm: true }, 200);
      const now2 = await apiGet(page, `/plans/${plan.id}`);
      const out = now2.result.supplies.flows.filter((f) => !f.in_force);
      assert.ok(out.length > 0 && out.every((f) => f.facility_id === flow.facility_id), 'the flows of that site only are out of force');
      // of the flow's category: what the stopped site will not get, and what was shipped
      const withdrawn = out.filter((f) => f.category === flow.category).reduce((n, f) => n + f.remaining, 0);
      const sent = now2.result.supplies.flows.filter((f) => f.category === flow.category).reduce((n, f) => n + f.shipped, 0);
      assert.ok(withdrawn > 0);
      await page.reload();
      const stopped = prog.getByTestId('ship-stopped-' + flow.facility_id);
      await stopped.waitFor();
      const said = await stopped.innerText();
      assert.ok(said.includes(flow.facility_name) && said.includes('不再发货') && said.includes(`${fmt(withdrawn)}`), said);
      assert.deepEqual([Number(await cat.getAttribute('data-withdrawn')), Number(await cat.getAttribute('data-planned')), Number(await cat.getAttribute('data-shipped'))], [withdrawn, catPlanned - withdrawn, sent]);
      await cat.getByText(`${fmt(sent)}/${fmt(catPlanned - withdrawn)}`, { exact: false }).waitFor();
      await prog.getByTestId('ship-withdrawn').getByText(fmt(withdrawn), { exact: false }).waitFor();
      assert.equal(await prog.getByTestId('ship-site-' + flow.facility_id).count(), 0, 'no bar among the sites in force');
      assert.equal(await prog.getByTestId('ship-sites').locator('[role="progressbar"]').count(), sites.size - 1);
      await prog.scrollIntoViewIfNeeded();
      await shot(page, 's5-site-stopped');
      noProblems(page);
    } finally {
      // the demo as it was: this plan's conversions aborted (its flows no longer hold stock),
      // the stock it shipped back on the lines it came from
      for (const c of adopted?.conversions || []) {
        const cv = await apiGet(page, `/conversions/${c.conversion_id}`);
        if (cv.state === 'converting') await apiPost(page, `/conversions/${c.conversion_id}/abort`, { reason: '测试结束', confirm: true }, 200);
      }
      const back = new Map();
      for (const s of shipped) for (const l of s.lines) back.set(l.stock_line_id, (back.get(l.stock_line_id) || 0) + l.quantity);
      for (const [id, n] of back) {
        const s = shipped.find((x) => x.lines.some((l) => l.stock_line_id === id));
        const line = (await apiGet(page, `/stock?facility_id=${s.store_id}&category=${s.category}&limit=500`)).items.find((l) => l.id === id);
        const res = await page.request.patch(BASE + `/api/v1/stock/${id}`, { data: { quantity: line.quantity + n, version: line.version } });
        assert.equal(res.status(), 200, await res.text());
      }
      await context.close();
    }
  });
});
