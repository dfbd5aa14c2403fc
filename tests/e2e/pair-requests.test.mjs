// A grid worker asks for a pairing on an unpaired elder's page (申请结对: a helper of their grids,
// a note) and sees it waiting; the township's officer declines it on 结对管理 with a reason the
// grid worker then reads on the elder's page, and accepts the next one on the elder's page: the
// elder is paired, the pair's reason the request's; the grid worker's 结对申请 page lists what became
// of each (declined and why, accepted). A grid worker could not ask at all: pairing
// was the officers' alone, with no way for the one who knows the village to propose.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, DEMO_PW, budget, idNumber } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function ask(page, helper, note) {
  await page.getByTestId('pair-request').click();
  const dlg = page.getByTestId('pair-request-dialog');
  await dlg.getByTestId('pair-request-helper').click();
  await page.getByTestId(`pair-request-option-${helper.id}`).click();
  await dlg.getByTestId('pair-request-reason').fill(note);
  await dlg.getByTestId('pair-request-confirm').click();
  await page.getByText('已提交结对申请，等待乡镇（街道）审核').first().waitFor();
  await page.getByTestId('pair-request-pending').getByText(`已申请与 ${helper.name} 结对`, { exact: false }).waitFor();
}

test('pairing requests: a grid worker asks, the officer declines with a reason, then accepts; the elder is paired', { timeout: budget(150000) }, async () => {
  const grid = await openPage(browser, { width: 1366, height: 900 });
  await login(grid.page, 'grid01', DEMO_PW);
  const g = grid.page;
  const gridId = (await apiGet(g, '/elders?status=active&limit=1')).items[0].grid_id;
  const n = Date.now() % 100000;
  const elder = await apiSend(g, 'post', '/elders', { name: `待结对老人${n}`, sex: 'F', birth_date: '1942-05-06', id_number: idNumber('19420506'), grid_id: gridId, ability_level: 1 });
  const helper = await apiSend(g, 'post', '/helpers', { name: `邻居帮手${n}`, sex: 'F', birth_date: '1972-05-06', id_number: idNumber('19720506'), grid_id: gridId, skills: ['companionship', 'meals'], capacity: 2 });

  // asked on the elder's page; a grid worker does not pair by hand
  await g.goto(`/elders/${elder.id}`);
  await g.getByTestId('pair-request').waitFor();
  assert.equal(await g.getByTestId('pair-by-hand').count(), 0);
  await ask(g, helper, '邻居，老人点名要她');
  assert.equal(await g.getByTestId('pair-request-withdraw').count(), 1);

  // the officer declines it on 结对管理, with a reason
  const off = await openPage(browser, { width: 1366, height: 900 });
  await login(off.page, 'officer', DEMO_PW);
  const o = off.page;
  const req = (await apiGet(o, `/pair-requests?elder_id=${elder.id}`)).items[0];
  assert.equal(req.state, 'pending');
  await o.goto('/pairing');
  const table = o.getByTestId('pair-requests');
  await table.getByText(elder.name).waitFor();
  await table.getByText('邻居，老人点名要她').waitFor();
  await o.getByTestId('request-decline-' + req.id).click();
  const prompt = o.getByRole('dialog', { name: '不同意结对申请' });
  await prompt.getByRole('button', { name: '不同意' }).click();
  await prompt.getByText('请填写原因').waitFor(); // a reason is required
  await prompt.locator('input').fill('请先上门评估');
  await prompt.getByRole('button', { name: '不同意' }).click();
  await o.getByText('已退回结对申请').waitFor();
  await table.getByText(elder.name).waitFor({ state: 'detached' });

  // the grid worker reads why, and asks again
  await g.reload();
  await g.getByTestId('pair-request-declined').getByText('上次结对申请未获同意：请先上门评估').waitFor();
  await ask(g, helper, '已上门评估');

  // the officer accepts it on the elder's page: the elder is paired
  await o.goto(`/elders/${elder.id}`);
  await o.getByTestId('pair-request-pending').waitFor();
  await o.getByTestId('pair-request-accept').click();
  const confirm = o.getByRole('dialog', { name: '同意结对申请' });
  await confirm.getByText(`同意${elder.name}与${helper.name}结对？`, { exact: false }).waitFor();
  await confirm.getByRole('button', { name: '同意' }).click();
  await o.getByRole('link', { name: helper.name }).first().waitFor();
  const pairs = (await apiGet(o, `/pairs?elder_id=${elder.id}`)).items;
  assert.equal(pairs.length, 1);
  assert.equal(pairs[0].state, 'active');
  assert.equal(pairs[0].helper_id, helper.id);
  assert.equal(pairs[0].reason, 'requested by grid01: 已上门评估');
  assert.equal(await o.getByTestId('pair-request-box').count(), 0, 'a paired elder has no request box');

  // the grid worker's list of requests (结对申请 in the menu): what became of each
  await g.goto('/elders');
  await g.getByRole('menuitem', { name: '结对申请' }).click();
  await g.getByRole('heading', { name: '结对申请' }).waitFor();
  const stateBox = g.getByTestId('request-state');
  await stateBox.click();
  await g.getByRole('option', { name: '未同意', exact: true }).click();
  const list = g.getByTestId('request-list');
  await list.getByText(elder.name).first().waitFor();
  await g.getByTestId('request-decision-' + req.id).getByText('请先上门评估', { exact: false }).waitFor();
  await stateBox.click();
  await g.getByRole('option', { name: '已同意', exact: true }).click();
  const accepted = (await apiGet(g, `/pair-requests?elder_id=${elder.id}&state=accepted`)).items[0];
  await g.getByTestId('request-state-' + accepted.id).getByText('已同意').waitFor();
  assert.equal(await g.locator('[data-testid^="list-withdraw-"]').count(), 0, 'nothing to withdraw once decided');
  assert.deepEqual(g.problems, [], 'grid worker: console errors');
  assert.deepEqual(o.problems, [], 'officer: console errors');
  await grid.context.close();
  await off.context.close();
});

test('a grid worker’s request: the helper box says it lists their grids’ helpers, and why it finds none', { timeout: budget(60000) }, async () => {
  const { context, page } = await openPage(browser, { width: 390, height: 844 });
  await login(page, 'grid01', DEMO_PW, { land: false });
  const unpaired = (await apiGet(page, '/elders?status=active&unpaired=1&limit=1')).items[0];
  assert.ok(unpaired, 'an unpaired elder of grid01');
  await page.goto(`/elders/${unpaired.id}`);
  await page.getByTestId('pair-request').click();
  const dlg = page.getByTestId('pair-request-dialog');
  // (it said 本乡镇 under a hint saying the worker's own grids)
  await dlg.getByText('输入姓名查找本人网格中有空位的互助员').waitFor();
  await dlg.getByTestId('pair-request-helper').click();
  await page.keyboard.type('无此互助员');
  await page.getByText('没有找到：只列出在岗且尚有名额的互助员').waitFor();
  await page.keyboard.press('Escape');

  // the list of requests on the phone: each whole on the screen, 撤回申请 of a finger's size
  // (the table went off the screen after the helper, the button out of sight)
  const n = Date.now() % 100000;
  const gridId = unpaired.grid_id;
  const elder = await apiSend(page, 'post', '/elders', { name: `手机申请老人${n}`, sex: 'F', birth_date: '1941-05-06', id_number: idNumber('19410506'), grid_id: gridId, ability_level: 1 });
  const helper = await apiSend(page, 'post', '/helpers', { name: `手机帮手${n}`, sex: 'F', birth_date: '1971-05-06', id_number: idNumber('19710506'), grid_id: gridId, skills: ['companionship', 'meals'], capacity: 2 });
  const req = await apiSend(page, 'post', '/pair-requests', { elder_id: elder.id, helper_id: helper.id, note: '住得近' });
  await page.goto('/pair-requests');
  const withdraw = page.getByTestId('list-withdraw-' + req.id);
  await withdraw.waitFor();
  const b = await withdraw.boundingBox();
  assert.ok(b.x >= 0 && b.x + b.width <= 390 && b.height >= 44, `撤回申请 at ${b.x}+${b.width}, ${b.height} px high`);
  const row = page.locator(`[data-request="${req.id}"]`);
  await row.getByText(`手机帮手${n}`).waitFor();
  await row.getByText('住得近', { exact: false }).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing wider than the screen');
  await withdraw.click();
  await page.locator('.el-message-box').getByRole('button', { name: /撤回|确定/ }).last().click();
  await page.getByTestId('request-state-' + req.id).waitFor({ state: 'detached' });
  assert.deepEqual(page.problems, []);
  await context.close();
});
