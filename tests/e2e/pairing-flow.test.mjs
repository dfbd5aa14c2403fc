// Deciding a pairing run in bulk and starting one: 全部采纳 / 全部拒绝 decide every open
// proposal of the run — the pages not shown among them — so they ask first, naming the run's
// open count and that it cannot be undone (they decided at one click); a double tap on 开始匹配
// opens one confirmation and starts one run (it opened two and started two runs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, villageRun, DEMO_PW, TABLET, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

const openCount = async (page, id) => (await apiGet(page, `/pairing-runs/${id}?state=proposed&limit=1`)).run.by_state.proposed;

test('全部采纳 / 全部拒绝 ask first with the run’s open count; cancelled nothing is decided, confirmed all are', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser, TABLET);
  await login(page, 'officer', DEMO_PW);
  // the township run with the most open proposals (beyond the 50 a page shows, the dialog names
  // the ones not shown too; the demo's runs have fewer)
  const towns = (await apiGet(page, '/regions?type=township&limit=100')).items.map((r) => r.id).sort((a, b) => (b === 303) - (a === 303));
  let run;
  let n = 0;
  for (const town of towns) {
    const res = await page.request.post('/api/v1/pairing-runs', { data: { region_id: town } });
    assert.ok(res.ok(), await res.text());
    const r = await res.json();
    const open = await openCount(page, r.id);
    if (open > n) [run, n] = [r, open];
    if (n > 50) break;
  }
  assert.ok(n > 1, 'a run with open proposals');
  await page.goto(`/pairing/${run.id}`);
  const rows = Math.min(n, 50);
  await page.getByTestId('proposals').locator('.el-table__body-wrapper tr').nth(rows - 1).waitFor();
  let posts = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/pairing-runs\/\d+\/(accept|reject)/.test(r.url())) posts++;
  });
  await page.getByTestId('accept-all').click();
  const box = page.locator('.el-message-box');
  await box.getByText(`将采纳本次匹配全部 ${formatNumber(n, 'zh-CN')} 条待决定的建议`).waitFor();
  if (n > rows) await box.getByText(`其中 ${formatNumber(n - rows, 'zh-CN')} 条不在本页`).waitFor();
  await box.getByText('此操作不能撤销').waitFor();
  await shot(page, 'pairing-accept-all-confirm');
  await box.getByRole('button', { name: '取消' }).click();
  await box.waitFor({ state: 'hidden' });
  await page.waitForTimeout(300);
  assert.equal(posts, 0, 'cancelled: nothing sent');
  assert.equal(await openCount(page, run.id), n, 'cancelled: every proposal still open');
  await page.getByTestId('reject-all').click();
  await box.getByText(`将拒绝本次匹配全部 ${formatNumber(n, 'zh-CN')} 条待决定的建议`).waitFor();
  await box.getByRole('button', { name: `拒绝 ${formatNumber(n, 'zh-CN')} 条` }).click();
  await page.getByText(`已拒绝 ${n} 条`).waitFor();
  assert.equal(posts, 1, 'one request');
  assert.equal(await openCount(page, run.id), 0, 'confirmed: all decided');
  assert.equal((await apiGet(page, `/pairing-runs/${run.id}?state=rejected&limit=1`)).run.by_state.rejected, n);
  noProblems(page);
  await context.close();
});

test('a double tap on 开始匹配 opens one confirmation and starts one run; cancelled, the button works again', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, TABLET, { hasTouch: true });
  await login(page, 'jinhaihu', DEMO_PW, { land: false });
  const before = (await apiGet(page, '/pairing-runs?limit=500')).items.length;
  await page.goto('/pairing');
  const button = page.getByTestId('run-pairing');
  await button.waitFor();
  const dlg = page.getByRole('dialog', { name: '为整个乡镇匹配？' });
  await button.dblclick();
  await dlg.waitFor();
  await page.waitForTimeout(1000);
  assert.equal(await page.locator('.el-message-box').count(), 1, 'one confirmation');
  await dlg.getByRole('button', { name: '取消' }).click();
  await dlg.waitFor({ state: 'hidden' });
  // cancelled: a tap asks again
  await button.click();
  await dlg.waitFor();
  await dlg.getByRole('button', { name: '开始匹配' }).click();
  await page.waitForURL(/\/pairing\/\d+$/);
  await page.waitForTimeout(1000);
  assert.equal((await apiGet(page, '/pairing-runs?limit=500')).items.length, before + 1, 'one run started');
  await shot(page, 'pairing-one-run');
  noProblems(page);
  await context.close();
});

// a tablet (1024 px): the 状态 column lay half under the pinned 操作 column, with nothing to
// scroll; every column now fits and the row buttons are 32 px tall
test('a pairing run on a tablet: 状态 is not under 操作 and the row buttons are at least 32 px tall', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, TABLET, { hasTouch: true });
  await login(page, 'jinhaihu', DEMO_PW);
  const { run } = await villageRun(page);
  await page.goto(`/pairing/${run.id}`);
  const table = page.getByTestId('proposals');
  const row = table.locator('.el-table__body-wrapper tr').first();
  await row.getByTestId('accept').waitFor();
  for (const tab of ['待决定', '全部']) {
    await page.getByTestId('proposal-state').getByText(tab, { exact: true }).click();
    await row.getByTestId('proposal-state-cell').waitFor();
    await page.waitForTimeout(300);
    const cells = row.locator('td');
    const state = await cells.nth(4).boundingBox();
    const actions = await cells.nth(5).boundingBox();
    const box = await table.boundingBox();
    assert.ok(state.x + state.width <= actions.x + 1, `${tab}: 状态 (to ${state.x + state.width}) ends before 操作 (from ${actions.x})`);
    assert.ok(actions.x + actions.width <= box.x + box.width + 1, `${tab}: 操作 within the table`);
    const text = await row.getByTestId('proposal-state-cell').boundingBox();
    assert.ok(text.x + text.width <= actions.x, `${tab}: the state's text is clear of 操作`);
  }
  await page.getByTestId('proposal-state').getByText('待决定', { exact: true }).click();
  for (const b of ['accept', 'edit-proposal', 'reject']) {
    const h = (await row.getByTestId(b).boundingBox()).height;
    assert.ok(h >= 32, `${b}: ${h} px tall`);
  }
  await shot(page, 'pairing-run-tablet');
  noProblems(page);
  await context.close();
});

// A proposal rejected on its row was proposed again by the next run. Now the row's 拒绝 says
// what it means (its title) and, once done, that later runs leave the pair out; and they do.
test('拒绝 on a proposal: said to keep the pair out of later runs, and the next run proposes another helper for that elder', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jinhaihu', DEMO_PW, { land: false });
  const { run, p } = await villageRun(page);
  await page.goto(`/pairing/${run.id}`);
  const row = page.getByTestId('proposals').locator('.el-table__body-wrapper tr').first();
  const reject = row.getByTestId('reject');
  await reject.waitFor();
  assert.equal(await reject.getAttribute('title'), '拒绝这条建议：以后的结对运算不再为这位老人推荐这名互助员');
  const decided = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/pairing-runs/${run.id}/reject`);
  await reject.click();
  const body = JSON.parse((await decided).request().postData());
  assert.deepEqual(body, { proposal_ids: [p.id] }, 'the first row is the first open proposal');
  await page.getByText('已拒绝：以后的结对运算不再为这位老人推荐这名互助员（仍可手工结对）').waitFor();
  // the rest of the run rejected at once (no pair refused by that), then a new run of the village
  if ((await openCount(page, run.id)) > 0) {
    const res = await page.request.post(`/api/v1/pairing-runs/${run.id}/reject`, { data: {} });
    assert.ok(res.ok(), await res.text());
  }
  const res = await page.request.post('/api/v1/pairing-runs', { data: { region_id: run.region_id } });
  assert.ok(res.ok(), await res.text());
  const next = await res.json();
  const props = (await apiGet(page, `/pairing-runs/${next.id}?limit=500`)).proposals.items;
  const mine = props.filter((x) => x.elder_id === p.elder_id);
  assert.ok(mine.length <= 1);
  assert.ok(!mine.length || mine[0].helper_id !== p.helper_id, `elder ${p.elder_id} is not proposed helper ${p.helper_id} again`);
  const rest = await page.request.post(`/api/v1/pairing-runs/${next.id}/reject`, { data: {} });
  assert.ok(rest.ok() || rest.status() === 409, await rest.text());
  noProblems(page);
  await context.close();
});
