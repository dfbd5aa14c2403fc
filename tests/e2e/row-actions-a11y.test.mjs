// The daily row actions with the keyboard and a screen reader: the plan's Gantt chart reads out
// the sites' ready minutes (not their row numbers); after an alert is acknowledged, a pair
// ended (结对管理, an elder's page, a helper's page), a checklist item signed or a service visit
// saved the keyboard focus is on the next control (it fell to <body>, the user started again at
// the top of the page); the row buttons
// name what they act on (fifty buttons named 确认 told nothing); and the quick entry's elders
// and kinds are radio groups of one Tab stop each, its "请先选择老人" read out with the focus
// on the elders.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiPost, apiSend, idNumber, solvedPlan, ADMIN_PW, DEMO_PW, budget } from './lib.mjs';
import zh from '../../web/src/i18n/zh-CN.js';

const LAPTOP = { width: 1366, height: 768 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The focused element: its tag, test id, row (data-row-action) and name. */
const focused = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return { tag: a?.tagName, testid: a?.dataset?.testid, row: a?.dataset?.rowAction, label: a?.getAttribute('aria-label'), text: a?.textContent?.trim() };
  });
/** The focus once the page has settled after an action (the list read again, the dialog gone). */
async function focusAfter(page) {
  await page.waitForTimeout(800);
  const f = await focused(page);
  assert.notEqual(f.tag, 'BODY', 'the keyboard focus fell to <body>');
  return f;
}
const rowsOf = (locator) => locator.evaluateAll((bs) => bs.map((b) => b.dataset.rowAction));

test("the plan's Gantt chart reads out each site's ready minutes", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'officer', DEMO_PW);
  const plan = await solvedPlan(page, '读屏就绪时间');
  const ready = new Map((await apiGet(page, `/plans/${plan.id}`)).result.sites.map((s) => [s.name, s.ready_minutes]));
  await page.goto(`/plans/${plan.id}`);
  const chart = page.getByTestId('plan-gantt').locator('[role=img]');
  await chart.waitFor();
  const label = await chart.getAttribute('aria-label');
  const said = label.split(`${zh.plan.readyAt}: `)[1];
  assert.ok(said, `the chart's name has the ready times: ${label}`);
  const points = said
    .replace(/[;,] …$/, '')
    .split(', ')
    .map((p) => p.match(/^(.*) (\S+)$/));
  assert.ok(points.length >= 3, said);
  for (const [, name, v] of points) {
    assert.ok(ready.has(name), `${name} is a site of the plan`);
    assert.equal(Number(v), +ready.get(name).toFixed(2), `${name}: its ready minutes, not its row (${said})`);
  }
  await context.close();
});

test('an alert acknowledged with the keyboard: the focus goes on to the next alert; the buttons name the alert', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/elder-alerts');
  const acks = page.getByTestId('alert-table').getByTestId('ack');
  await acks.first().waitFor();
  const [id, next] = await rowsOf(acks);
  assert.ok(next, 'two open alerts');
  const alerts = (await apiGet(page, '/elder-alerts?state=open&limit=200')).items;
  const a = alerts.find((x) => String(x.id) === id);
  assert.equal(await acks.first().getAttribute('aria-label'), `确认预警：${zh.eldercare.alertKinds[a.kind]} · ${a.elder_name || a.helper_name}`);
  assert.match(await page.getByTestId('alert-table').getByTestId('resolve').first().getAttribute('aria-label'), /^办结预警：.+ · .+/);

  await acks.first().focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('alert-note').focus();
  await page.keyboard.type('已电话联系');
  await page.getByTestId('alert-confirm').focus();
  await page.keyboard.press('Enter');
  await page.locator('.el-message', { hasText: '已确认' }).first().waitFor();
  await page.locator(`[data-testid=ack][data-row-action="${id}"]`).waitFor({ state: 'detached' });
  const f = await focusAfter(page);
  assert.deepEqual([f.testid, f.row], ['ack', next], `the next alert's 确认 has the focus (${JSON.stringify(f)})`);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a pair ended with the keyboard: the focus goes on to the next pair; the button names the pair', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'jinhaihu', DEMO_PW, { land: false });
  await page.goto('/pairing');
  const ends = page.getByTestId('pairs').getByTestId('pair-end');
  await ends.first().waitFor();
  const [id, next] = await rowsOf(ends);
  assert.ok(next, 'two active pairs');
  const pair = (await apiGet(page, '/pairs?state=active&limit=200')).items.find((x) => String(x.id) === id);
  assert.equal(await ends.first().getAttribute('aria-label'), `结束结对：${pair.elder_name}–${pair.helper_name}`);

  await ends.first().focus();
  await page.keyboard.press('Enter');
  const dlg = page.getByTestId('pair-end-dialog');
  await dlg.waitFor();
  await dlg.getByTestId('pair-end-confirm').focus();
  await page.keyboard.press('Enter');
  await dlg.waitFor({ state: 'hidden' });
  await page.locator(`[data-testid=pair-end][data-row-action="${id}"]`).waitFor({ state: 'detached' });
  const f = await focusAfter(page);
  assert.deepEqual([f.testid, f.row], ['pair-end', next], `the next pair's 结束结对 has the focus (${JSON.stringify(f)})`);

  assert.deepEqual(page.problems, []);
  await context.close();
});

/** Ends the pair of `id` in the table `list` with the keyboard (结束结对, Enter, confirm, Enter). */
async function endWithKeys(page, list, id) {
  await list.locator(`[data-testid=pair-end][data-row-action="${id}"]`).focus();
  await page.keyboard.press('Enter');
  const dlg = page.getByTestId('pair-end-dialog');
  await dlg.waitFor();
  await dlg.getByTestId('pair-end-confirm').focus();
  await page.keyboard.press('Enter');
  await dlg.waitFor({ state: 'hidden' });
  await list.locator(`[data-testid=pair-end][data-row-action="${id}"]`).waitFor({ state: 'detached' });
}

test("a pair ended with the keyboard on a helper's and on an elder's page: the focus goes on to the next pair, else to the pairs' heading", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'admin', ADMIN_PW, { land: false });
  // a helper of two places paired with two new elders of one grid (no other test's pairs)
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const n = Date.now() % 100000;
  const elder = (k, birth) => apiSend(page, 'post', '/elders', { name: `焦点老人${n}${k}`, sex: 'F', birth_date: birth, id_number: idNumber(birth.replaceAll('-', '')), grid_id: grid, ability_level: 1 });
  const a = await elder(1, '1940-03-04');
  const b = await elder(2, '1942-05-06');
  const helper = await apiSend(page, 'post', '/helpers', { name: `焦点帮手${n}`, sex: 'F', birth_date: '1972-03-04', id_number: idNumber('19720304'), grid_id: grid, skills: ['companionship'], capacity: 2 });
  for (const e of [a, b]) await apiSend(page, 'post', '/pairs', { elder_id: e.id, helper_id: helper.id });

  // the helper's page: the first pair ended, the focus is on the other's 结束结对
  await page.goto(`/helpers/${helper.id}`);
  const list = page.getByTestId('helper-pairs');
  const ends = list.getByTestId('pair-end');
  await ends.nth(1).waitFor();
  const [id, next] = await rowsOf(ends);
  await endWithKeys(page, list, id);
  let f = await focusAfter(page);
  assert.deepEqual([f.testid, f.row], ['pair-end', next], `the next pair's 结束结对 has the focus (${JSON.stringify(f)})`);
  // the last one ended: no 结束结对 left, the focus is on the pairs' heading
  await endWithKeys(page, list, next);
  f = await focusAfter(page);
  assert.deepEqual([f.tag, f.text], ['H2', zh.eldercare.pairs], `the pairs' heading has the focus (${JSON.stringify(f)})`);

  // an elder's page: their only pair ended, the focus is on the pairs' heading
  const pair = await apiSend(page, 'post', '/pairs', { elder_id: a.id, helper_id: helper.id });
  await page.goto(`/elders/${a.id}`);
  const elderList = page.getByTestId('elder-pairs');
  await elderList.getByTestId('pair-end').waitFor();
  await endWithKeys(page, elderList, pair.id);
  f = await focusAfter(page);
  assert.deepEqual([f.tag, f.text], ['H2', zh.eldercare.pairs], `the pairs' heading has the focus (${JSON.stringify(f)})`);
  assert.equal((await apiGet(page, `/pairs?elder_id=${a.id}`)).items.find((x) => x.id === pair.id).state, 'ended');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('开始匹配 without a region: the message is read out and the focus is on the region', { timeout: budget(60000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'officer', DEMO_PW, { land: false });
  await page.goto('/pairing');
  await page.getByTestId('run-pairing').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: zh.eldercare.pickRegion }).waitFor();
  assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=filter-township], [data-testid=filter-village]')), 'the focus is on the region');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('checklist items signed with the keyboard: the focus goes on to the next item, then to 完成; the buttons name item and step', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'officer', DEMO_PW, { land: false });
  let conv = null;
  for (const h of (await apiGet(page, '/facilities?type=hotel&state=peacetime&limit=50')).items) {
    if (!(await apiGet(page, `/manuals?facility_id=${h.id}&scenario=epidemic&limit=1`)).items.length) continue;
    conv = await apiPost(page, '/conversions', { facility_id: h.id, scenario: 'epidemic', mode: 'drill' }, 201);
    break;
  }
  assert.ok(conv, 'a drill on a hotel with an epidemic manual');
  try {
    // the first step with two items, its predecessors done through the API, it started
    const done = new Set();
    let step = null;
    for (const s of conv.steps.filter((x) => x.phase === 'convert')) {
      if (!s.predecessors.every((c) => done.has(c))) continue;
      await apiPost(page, `/conversion-steps/${s.id}/start`, undefined, 200);
      if (s.checklist.length >= 2) {
        step = s;
        break;
      }
      for (const c of s.checklist) await apiPost(page, `/conversion-steps/${s.id}/sign`, { item: c.item }, 200);
      await apiPost(page, `/conversion-steps/${s.id}/finish`, undefined, 200);
      done.add(s.code);
    }
    assert.ok(step, 'a step with two checklist items');
    await page.goto(`/conversions/${conv.id}`);
    const signs = page.getByTestId('steps-convert').locator(`[data-testid="sign-${step.code}"]`);
    await signs.first().waitFor();
    assert.deepEqual(await signs.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label'))), step.checklist.map((c) => `签字：${c.item}`));
    const finish = page.getByTestId('steps-convert').getByTestId('finish-' + step.code);
    assert.equal(await finish.getAttribute('aria-label'), `完成 ${step.code}`);
    assert.equal(await page.getByTestId('steps-convert').getByTestId('finish-remarks-' + step.code).getAttribute('aria-label'), `${zh.conversion.addRemarks} ${step.code}`);

    for (let i = 0; i < step.checklist.length; i++) {
      const n = step.checklist.length - i;
      await signs.first().focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(([code, left]) => document.querySelectorAll(`[data-testid="steps-convert"] [data-testid="sign-${code}"]`).length === left, [step.code, n - 1]);
      const f = await focusAfter(page);
      if (n > 1) assert.deepEqual([f.testid, f.label], ['sign-' + step.code, `签字：${step.checklist[i + 1].item}`], `the next item's 签字 has the focus (${JSON.stringify(f)})`);
      else assert.deepEqual([f.testid, f.row], ['finish-' + step.code, String(step.id)], `the step's 完成 has the focus (${JSON.stringify(f)})`);
    }
    assert.deepEqual(page.problems, []);
  } finally {
    await page.request.post(`/api/v1/conversions/${conv.id}/abort`, { data: { reason: 'e2e: keyboard test done' } });
    await context.close();
  }
});

test('服务快速登记 with the keyboard: the elders and kinds are radio groups; 请先选择老人 is read out; after saving the focus is on 保存', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  const grid = page.getByRole('radiogroup', { name: '选择老人' });
  const elders = grid.getByRole('radio');
  await elders.first().waitFor();
  const save = page.getByTestId('entry-save');

  // saving with no elder: the message is an alert, the focus on the elders
  await save.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: '请先选择老人' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'radio');
  assert.ok(await grid.evaluate((g) => g.contains(document.activeElement)), 'the focus is on the elders');

  // one Tab stop; Space chooses, the arrows move the choice; the name is in a live region
  assert.equal(await grid.locator('[tabindex="0"]').count(), 1, 'the elders are one Tab stop');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-checked') === 'true');
  await page.keyboard.press('ArrowRight');
  assert.equal(await elders.nth(1).getAttribute('aria-checked'), 'true');
  assert.equal(await elders.first().getAttribute('aria-checked'), 'false');
  assert.ok(await elders.nth(1).evaluate((b) => b === document.activeElement), 'the arrow moved the focus');
  const name = (await elders.nth(1).locator('b').innerText()).trim();
  await page.getByTestId('entry-elder').getByText(name).waitFor();
  assert.equal(await page.getByTestId('entry-elder-live').getAttribute('aria-live'), 'polite');
  await page.keyboard.press('Tab');
  assert.ok(!(await grid.evaluate((g) => g.contains(document.activeElement))), 'Tab leaves the elders');

  // the kinds: one Tab stop, ArrowRight chooses the next
  const kinds = page.getByRole('radiogroup', { name: zh.eldercare.kind });
  assert.equal(await kinds.locator('[tabindex="0"]').count(), 1, 'the kinds are one Tab stop');
  await kinds.locator('[aria-checked="true"]').focus();
  const before = await kinds.locator('[aria-checked="true"]').getAttribute('data-kind');
  await page.keyboard.press('ArrowRight');
  const now = await page.evaluate(() => document.activeElement?.dataset.kind);
  assert.notEqual(now, before, 'ArrowRight moved to the next kind');
  assert.equal(await kinds.locator(`[data-kind="${now}"]`).getAttribute('aria-checked'), 'true');

  // saved: the focus is back on 保存服务记录
  await save.focus();
  await page.keyboard.press('Enter');
  await page.locator('.el-message', { hasText: `已登记：${name}` }).first().waitFor();
  const f = await focusAfter(page);
  assert.equal(f.testid, 'entry-save', `the save button has the focus (${JSON.stringify(f)})`);
  assert.deepEqual(page.problems, []);
  await context.close();
});
