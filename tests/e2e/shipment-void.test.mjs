// 方案详情 → 发货记录: a shipment recorded in error (the wrong quantity, typed twice) is voided
// with its reason (作废): its quantity goes back on the store's stock lines it was taken from,
// the flow no longer counts it as shipped, and it stays listed, struck through, labelled 已作废
// with who voided it, when and why. A viewer is offered no 作废; the English labels. Before, a
// shipment could not be taken back at all. The helper behind the action is checked first. The
// test plans and adopts its own plan (马昌营镇) and, whatever happens, aborts the conversions it
// started and voids what it shipped (the demo is shared by the files).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiPost, usableStock, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { mayVoidShipment } from '../../web/src/utils/plans.js';

const LAPTOP = { width: 1366, height: 900 };
const fmt = (n) => formatNumber(n, 'zh-CN');
const keyOf = (f) => `${f.store_id}-${f.facility_id}-${f.category}`;

describe('who may void a shipment', () => {
  test('as recording it: the district, the store’s operator, a township officer of the store’s township; never twice', () => {
    const sh = { id: 1, store_id: 7, facility_id: 3, voided: false };
    assert.ok(mayVoidShipment({ role: 'district_officer' }, sh));
    assert.ok(mayVoidShipment({ role: 'admin' }, sh));
    assert.ok(mayVoidShipment({ role: 'facility_operator', facility_id: 7 }, sh));
    assert.ok(!mayVoidShipment({ role: 'facility_operator', facility_id: 3 }, sh), 'the site’s operator is not the store’s');
    assert.ok(mayVoidShipment({ role: 'township_officer', township_id: 9 }, sh, new Set([7])));
    assert.ok(!mayVoidShipment({ role: 'township_officer', township_id: 9 }, sh, new Set([8])));
    assert.ok(!mayVoidShipment({ role: 'township_officer', township_id: 9 }, sh, null));
    assert.ok(!mayVoidShipment({ role: 'viewer' }, sh));
    assert.ok(!mayVoidShipment({ role: 'district_officer' }, { ...sh, voided: true }));
  });
});

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('voiding a shipment on the plan page', { timeout: budget(240000) }, () => {
  test('作废 with a reason puts the stock back; the record stays, struck through; a viewer is offered none; English', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('马昌营镇'))).items[0].id;
    const plan = await apiPost(
      page,
      '/plans?wait=1',
      {
        name: '马昌营 作废发货测试',
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
    let sh = null;
    try {
      adopted = await apiPost(page, `/plans/${plan.id}/adopt`, { confirm: true }, 200);
      const own = new Set(adopted.conversions.map((c) => c.facility_id));
      const flow = [...adopted.result.supplies.flows].filter((f) => own.has(f.facility_id)).sort((a, b) => b.quantity - a.quantity)[0];
      assert.ok(flow && flow.quantity >= 4, 'a flow of 4 units or more');
      const key = keyOf(flow);
      const stock0 = await usableStock(page, flow.store_id, flow.category);
      // the shipment typed in error: 3 units
      sh = await apiPost(page, `/plans/${plan.id}/shipments`, { store_id: flow.store_id, facility_id: flow.facility_id, category: flow.category, quantity: 3 }, 201);
      assert.equal(await usableStock(page, flow.store_id, flow.category), stock0 - 3);

      await page.goto(`/plans/${plan.id}`);
      await page.getByRole('heading', { name: plan.name }).waitFor();
      const card = page.getByTestId('plan-supplies');
      await card.getByTestId('shipped-' + key).getByText(`3/${fmt(flow.quantity)}`).waitFor();
      const records = card.getByTestId('ship-records');
      const row = records.locator('tbody tr').first();
      await row.waitFor();
      await records.scrollIntoViewIfNeeded();
      await row.getByTestId('ship-void-' + sh.id).click();
      const dlg = page.getByRole('dialog', { name: '作废发货记录' });
      await dlg.getByText(`${flow.store_name} 发往 ${flow.facility_name}`, { exact: false }).waitFor();
      await dlg.getByText('退回仓库原库存', { exact: false }).waitFor();
      await dlg.getByRole('button', { name: '作废' }).click();
      await dlg.getByText('请填写作废原因').waitFor(); // the reason is required
      await dlg.locator('textarea').fill('数量录错，应为 1');
      await shot(page, 'ship-void-dialog');
      await dlg.getByRole('button', { name: '作废' }).click();
      await page.locator('.el-message', { hasText: '已作废，3' }).first().waitFor();
      await dlg.waitFor({ state: 'hidden' });
      // the flow no longer counts it; the record stays, struck through, with who, when and why
      await card.getByTestId('shipped-' + key).getByText(`0/${fmt(flow.quantity)}`).waitFor();
      const note = row.getByTestId('ship-void-note');
      await note.waitFor();
      const text = await note.innerText();
      assert.ok(text.includes('已作废') && text.includes('区应急局值班员') && text.includes('：数量录错，应为 1'), text);
      const deco = await row.locator('.pj-strike').first().evaluate((el) => getComputedStyle(el).textDecorationLine);
      assert.equal(deco, 'line-through');
      assert.ok((await row.innerText()).includes('已退回：#'), await row.innerText());
      assert.equal(await row.getByTestId('ship-void-' + sh.id).count(), 0, 'no second void offered');
      assert.equal(await records.getAttribute('data-voided'), '1');
      // nothing in force: the voided one only is counted
      assert.equal(await records.getByTestId('ship-records-hint').innerText(), '1 次已作废，库存已退回');
      await shot(page, 'ship-void-zh');

      // the server agrees: voided, the stock back, the flow as before the shipment
      const list = await apiGet(page, `/plans/${plan.id}/shipments`);
      assert.ok(list.items[0].voided && list.items[0].void_reason === '数量录错，应为 1', JSON.stringify(list.items[0]));
      assert.equal(await usableStock(page, flow.store_id, flow.category), stock0);
      const now = await apiGet(page, `/plans/${plan.id}`);
      const f2 = now.result.supplies.flows.find((f) => keyOf(f) === key);
      assert.deepEqual([f2.shipped, f2.remaining, now.result.supplies.shipped_so_far], [0, flow.quantity, 0]);
      assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

      // a viewer sees the voided record and is offered no 作废
      const v = await openPage(browser, LAPTOP);
      await login(v.page, 'viewer', DEMO_PW);
      await v.page.goto(`/plans/${plan.id}`);
      await v.page.getByTestId('ship-void-note').waitFor();
      assert.equal(await v.page.getByTestId('ship-void-' + sh.id).count(), 0);
      assert.deepEqual(v.page.problems, []);
      await v.context.close();

      // English
      await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
      await page.reload();
      const en = await page.getByTestId('ship-void-note').innerText();
      assert.match(en, /Voided by .* at .*: 数量录错，应为 1/);
      assert.equal(await page.getByTestId('ship-records-hint').innerText(), '1 voided, its stock put back');
      await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
      assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    } finally {
      // the demo as it was: the shipment voided (its stock back), the conversions aborted
      if (sh) {
        const cur = (await apiGet(page, `/plans/${plan.id}/shipments`)).items.find((x) => x.id === sh.id);
        if (cur && !cur.voided) await apiPost(page, `/plans/${plan.id}/shipments/${sh.id}/void`, { reason: '测试结束' }, 200);
      }
      for (const c of adopted?.conversions || []) {
        const cv = await apiGet(page, `/conversions/${c.conversion_id}`);
        if (cv.state === 'converting') await apiPost(page, `/conversions/${c.conversion_id}/abort`, { reason: '测试结束', confirm: true }, 200);
      }
      await context.close();
    }
  });
});
