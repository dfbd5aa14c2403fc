// The district has villages and communities of the same name: two 后坨社区 in 滨河街道, 王店村 in
// four townships, and their grids are namesakes too (后坨社区第1网格, 王店村第1网格). The region
// pickers offered two identical labels, so an officer could pick the wrong village. A name
// another option shares now carries what tells them apart: the township (or the village and
// township of a grid), and the region code where those are the same. And the elder form, saved
// with a village and no grid picked, took the village for a grid of another township and asked
// whether to end the pair of a move that was none.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, choose, apiGet, apiSend, idNumber, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const optionNames = async (page) => (await page.getByRole('option').allInnerTexts()).map((s) => s.trim());

test('the village picker tells the two 后坨社区 of one township apart by their codes, other villages by name alone', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const twins = (await apiGet(page, `/regions?q=${encodeURIComponent('后坨社区')}&type=community&limit=50`)).items.filter((r) => r.name === '后坨社区');
  assert.equal(twins.length, 2, 'the demo has two 后坨社区');
  assert.equal(twins[0].parent_id, twins[1].parent_id, 'of one township');
  const town = await apiGet(page, `/regions/${twins[0].parent_id}`);
  const villages = (await apiGet(page, `/regions?parent_id=${town.id}&limit=200`)).items.filter((r) => r.type === 'village' || r.type === 'community');
  const single = villages.find((v) => villages.filter((x) => x.name === v.name).length === 1);

  await page.goto('/elders');
  await choose(page, page.getByTestId('filter-township'), town.name);
  await page.getByTestId('filter-village').click();
  await page.getByRole('option', { name: single.name, exact: true }).waitFor();
  const names = await optionNames(page);
  for (const v of twins) assert.ok(names.includes(`后坨社区（${v.code}）`), `${v.code} offered with its code: ${names}`);
  assert.ok(!names.includes('后坨社区'), 'no bare 后坨社区 left');
  assert.equal(new Set(names).size, names.length, 'no two options read the same');
  // the one picked is the one filtered by, and shown with its code when opened from the address
  const second = twins[1];
  await page.getByRole('option', { name: `后坨社区（${second.code}）`, exact: true }).click();
  await page.waitForURL(new RegExp(`region_id=${second.id}(&|$)`));
  await page.goto(`/elders?region_id=${second.id}`);
  await page.getByTestId('filter-village').getByText(`后坨社区（${second.code}）`, { exact: true }).waitFor();
  await noProblems(page);
  await context.close();
});

test('the grid search of a user account tells grids of the same name apart by township, and by code within one', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const grids = async (name) => {
    const out = [];
    for (const g of (await apiGet(page, `/regions?q=${encodeURIComponent(name)}&type=grid&limit=50`)).items.filter((x) => x.name === name)) {
      const v = await apiGet(page, `/regions/${g.parent_id}`);
      out.push({ ...g, town: (await apiGet(page, `/regions/${v.parent_id}`)).name });
    }
    return out;
  };
  const wang = await grids('王店村第1网格');
  assert.ok(wang.length >= 2 && new Set(wang.map((g) => g.town)).size === wang.length, 'namesakes in several townships');
  const hou = await grids('后坨社区第1网格');
  assert.equal(hou.length, 2);

  await page.goto('/admin/users');
  await page.getByRole('button', { name: '新建用户' }).click();
  const dialog = page.getByRole('dialog');
  await choose(page, dialog.getByTestId('user-role'), '网格员');
  const select = dialog.locator('.el-form-item', { hasText: '负责网格' }).locator('.el-select');
  await select.click();
  await page.keyboard.type('王店村第1网格');
  for (const g of wang) await page.getByRole('option', { name: `王店村第1网格（${g.town}）`, exact: true }).waitFor();
  assert.equal(await page.getByRole('option', { name: '王店村第1网格', exact: true }).count(), 0, 'no bare namesake');
  // picked: the chip says which one
  await page.getByRole('option', { name: `王店村第1网格（${wang[1].town}）`, exact: true }).click();
  await dialog.locator('.el-select__tags-text, .el-tag').getByText(`王店村第1网格（${wang[1].town}）`, { exact: true }).first().waitFor();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('后坨社区第1网格');
  // the same village name and township: their codes
  for (const g of hou) await page.getByRole('option', { name: `后坨社区第1网格（${g.code}）`, exact: true }).waitFor();
  await noProblems(page);
  await context.close();
});

test('an elder saved with a village and no grid: no question of a move to another township, the grid asked for', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const here = await apiGet(page, `/elders/${(await apiGet(page, '/elders?status=active&limit=1')).items[0].id}`);
  const grid = await apiGet(page, `/regions/${here.grid_id}`);
  const village = await apiGet(page, `/regions/${grid.parent_id}`);
  const town = await apiGet(page, `/regions/${village.parent_id}`);
  const villages = (await apiGet(page, `/regions?parent_id=${town.id}&limit=200`)).items.filter((r) => r.type === 'village' || r.type === 'community');
  const siblings = villages.filter((r) => r.name === village.name);
  const other = villages.find((v) => v.id !== village.id && villages.filter((x) => x.name === v.name).length === 1);
  const villageLabel = siblings.length > 1 ? `${village.name}（${village.code}）` : village.name;
  const n = Date.now() % 100000;
  const elder = await apiSend(page, 'post', '/elders', {
    name: `未选网格老人${n}`, sex: 'F', birth_date: '1942-03-04', id_number: idNumber('19420304'), grid_id: grid.id, ability_level: 1,
  });
  const helper = await apiSend(page, 'post', '/helpers', {
    name: `未选网格帮手${n}`, sex: 'F', birth_date: '1972-03-04', id_number: idNumber('19720304'), grid_id: grid.id, skills: ['companionship'], capacity: 2,
  });
  await apiSend(page, 'post', '/pairs', { elder_id: elder.id, helper_id: helper.id });

  await page.goto(`/elders/${elder.id}/edit`);
  const field = page.getByTestId('f-grid');
  await field.getByTestId('filter-grid').getByText(grid.name, { exact: true }).waitFor();
  // another village picked, then the elder's own again: the grid left empty (the value a village)
  await choose(page, field.getByTestId('filter-village'), other.name);
  await choose(page, field.getByTestId('filter-village'), villageLabel);
  await field.getByTestId('filter-grid').getByText(grid.name, { exact: true }).waitFor({ state: 'detached' });
  await page.getByTestId('save-elder').click();
  // the server refuses a village for a grid, at the field; nothing asked before
  const asked = page.getByRole('dialog', { name: '结束结对' });
  await Promise.race([field.locator('.el-form-item__error').waitFor(), asked.waitFor()]);
  assert.equal(await asked.count(), 0, 'no question of ending the pair');
  await field.locator('.el-form-item__error').waitFor();
  const now = await apiGet(page, `/elders/${elder.id}`);
  assert.equal(now.grid_id, grid.id, 'not moved');
  assert.equal(now.paired_helper?.helper_id, helper.id, 'still paired');
  await context.close();
});

test('the plan village picker tells namesakes apart: 王店村 by township, the two 后坨社区 of 滨河街道 by code', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const named = async (name) => (await apiGet(page, `/regions?q=${encodeURIComponent(name)}&limit=50`)).items.filter((r) => r.name === name);
  const hou = await named('后坨社区');
  const wang = await named('王店村');
  const townOf = async (r) => (await apiGet(page, `/regions/${r.parent_id}`)).name;
  await page.goto('/plans/new');
  await page.getByTestId('affected-by').getByText('按村（社区）').click();
  await page.getByTestId('plan-villages').click();
  const typed = page.getByTestId('plan-villages').locator('input');
  await typed.fill('后坨社区');
  for (const v of hou) await page.getByRole('option', { name: new RegExp(`^后坨社区（${v.code}）`) }).waitFor();
  await typed.fill('王店村');
  for (const v of wang) await page.getByRole('option', { name: new RegExp(`^王店村（${await townOf(v)}）`) }).waitFor();
  assert.equal(await page.getByRole('option', { name: /^王店村\s*$/ }).count(), 0, 'no bare namesake');
  // picked: the tag says which one
  await page.getByRole('option', { name: new RegExp(`^王店村（${await townOf(wang[2])}）`) }).click();
  await page.getByTestId('plan-villages').getByText(`王店村（${await townOf(wang[2])}）`, { exact: true }).waitFor();
  await noProblems(page);
  await context.close();
});
