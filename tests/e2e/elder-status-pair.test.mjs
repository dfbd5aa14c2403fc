// An elder marked deceased or moved in the console: their active pair ends on the server, and the
// form says so first, naming the helper (cancel keeps everything), then reports the ended pair —
// as a helper's deactivation does. It was saved with a bare 已保存 and the helper's place freed
// without a word.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, choose, budget, idNumber } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

test('an elder marked deceased: the officer is told first that the pair with the helper ends, cancel keeps it, confirmed it ends', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const n = Date.now() % 100000;
  const elder = await apiSend(page, 'post', '/elders', {
    name: `结对老人${n}`, sex: 'F', birth_date: '1941-04-05', id_number: idNumber('19410405'), grid_id: grid, ability_level: 1,
  });
  const helper = await apiSend(page, 'post', '/helpers', {
    name: `结对帮手${n}`, sex: 'F', birth_date: '1971-04-05', id_number: idNumber('19710405'), grid_id: grid, skills: ['companionship'], capacity: 2,
  });
  const pair = await apiSend(page, 'post', '/pairs', { elder_id: elder.id, helper_id: helper.id });

  await page.goto(`/elders/${elder.id}/edit`);
  await choose(page, page.getByTestId('f-status'), '已故');
  await page.getByTestId('save-elder').click();
  const box = page.getByRole('dialog', { name: '结束结对' });
  await box.getByText(`${elder.name} 现与互助员 ${helper.name} 结对。状态改为“已故”后该结对将结束，互助员空出一个名额。`).waitFor();
  await box.getByRole('button', { name: '取消' }).click();
  await box.waitFor({ state: 'hidden' });
  let now = await apiGet(page, `/elders/${elder.id}`);
  assert.equal(now.status, 'active', 'cancelled: still active');
  assert.equal(now.paired_helper?.helper_id, helper.id, 'cancelled: still paired');
  await page.getByTestId('save-elder').click();
  await box.getByRole('button', { name: '保存并结束结对' }).click();
  await page.getByText(`已保存，已结束与 ${helper.name} 的结对`).waitFor();
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  now = await apiGet(page, `/elders/${elder.id}`);
  assert.equal(now.status, 'deceased');
  assert.equal(now.paired_helper, null);
  const ended = (await apiGet(page, `/pairs?elder_id=${elder.id}`)).items.find((p) => p.id === pair.id);
  assert.equal(ended.state, 'ended');
  assert.equal(ended.ended_note, 'deceased');
  // an unpaired elder's status change asks nothing
  const other = await apiSend(page, 'post', '/elders', {
    name: `未结对老人${n}`, sex: 'F', birth_date: '1941-04-05', id_number: idNumber('19410405'), grid_id: grid, ability_level: 1,
  });
  await page.goto(`/elders/${other.id}/edit`);
  await choose(page, page.getByTestId('f-status'), '迁出');
  await page.getByTestId('save-elder').click();
  await page.waitForURL(new RegExp(`/elders/${other.id}$`));
  assert.equal(await box.count(), 0);
  assert.equal((await apiGet(page, `/elders/${other.id}`)).status, 'moved');
  await noProblems(page);
  await context.close();
});

test('an elder moved to a grid of another township: the pair with the helper ends, said first', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const here = await apiGet(page, `/elders/${(await apiGet(page, '/elders?status=active&limit=1')).items[0].id}`);
  const district = (await apiGet(page, `/regions/${here.township_id}`)).parent_id;
  const children = async (id) => (await apiGet(page, `/regions?parent_id=${id}&limit=200`)).items;
  const town = (await children(district)).find((x) => x.id !== here.township_id && x.type === 'township');
  assert.ok(town, 'another township');
  let village, grid;
  for (const v of await children(town.id)) {
    grid = (await children(v.id)).find((x) => x.type === 'grid');
    if (grid) {
      village = v;
      break;
    }
  }
  assert.ok(grid, 'a grid of another township');
  const n = Date.now() % 100000;
  const elder = await apiSend(page, 'post', '/elders', {
    name: `迁居老人${n}`, sex: 'F', birth_date: '1941-04-05', id_number: idNumber('19410405'), grid_id: here.grid_id, ability_level: 1,
  });
  const helper = await apiSend(page, 'post', '/helpers', {
    name: `迁居帮手${n}`, sex: 'F', birth_date: '1971-04-05', id_number: idNumber('19710405'), grid_id: here.grid_id, skills: ['companionship'], capacity: 2,
  });
  await apiSend(page, 'post', '/pairs', { elder_id: elder.id, helper_id: helper.id });
  await page.goto(`/elders/${elder.id}/edit`);
  await page.getByTestId('f-status').waitFor();
  await choose(page, page.getByTestId('filter-township'), town.name);
  await choose(page, page.getByTestId('filter-village'), village.name);
  await choose(page, page.getByTestId('filter-grid'), grid.name);
  await page.getByTestId('save-elder').click();
  const box = page.getByRole('dialog', { name: '结束结对' });
  await box.getByText(`${elder.name} 现与互助员 ${helper.name} 结对。迁往另一个乡镇后该结对将结束（结对在乡镇内组织），互助员空出一个名额。`).waitFor();
  await box.getByRole('button', { name: '保存并结束结对' }).click();
  await page.getByText(`已保存，已结束与 ${helper.name} 的结对`).waitFor();
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  const now = await apiGet(page, `/elders/${elder.id}`);
  assert.equal(now.grid_id, grid.id);
  assert.equal(now.paired_helper, null);
  await noProblems(page);
  await context.close();
});

