// The registry keeper adds and removes a facility in the console (新建设施, 删除): the console
// could only import, edit and export facilities — a new hotel or a demolished one needed the
// API. A new one's missing fields are said at once at each; a facility still referred to is
// not deleted and the page says by what.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, choose, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('新建设施 and 删除: a facility created with its fields, refused without them, deleted unless in use', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW, { land: false });
  await page.goto('/facilities');
  await page.getByTestId('facility-new').click();
  await page.waitForURL((u) => u.pathname === '/facilities/new');
  await page.getByRole('heading', { name: '新建设施' }).waitFor();
  // saved without a name, a township or a place: each said at its field, nothing created
  const before = (await apiGet(page, '/facilities?limit=1')).items[0]?.id;
  await page.getByRole('button', { name: '保存' }).click();
  const item = (label) => page.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) });
  for (const label of ['名称', '乡镇（街道）', '纬度', '经度']) await item(label).locator('.el-form-item__error').waitFor();
  assert.equal((await apiGet(page, '/facilities?limit=1')).items[0]?.id, before, 'nothing created');
  const name = `测试酒店${Date.now() % 100000}`;
  await item('名称').locator('input').fill(name);
  const town = (await apiGet(page, '/regions?type=township&limit=1')).items[0];
  await choose(page, item('乡镇（街道）').locator('.el-select'), town.name);
  await item('纬度').locator('input').fill('40.15');
  await item('经度').locator('input').fill('117.12');
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/facilities');
  await page.getByRole('button', { name: '保存' }).click();
  assert.equal((await created).status(), 201);
  await page.waitForURL(/\/facilities\/\d+$/);
  const id = Number(page.url().match(/facilities\/(\d+)$/)[1]);
  await page.getByRole('heading', { name }).waitFor();
  const f = await apiGet(page, `/facilities/${id}`);
  assert.equal(f.township_id, town.id);
  assert.equal(f.state, 'peacetime');
  assert.deepEqual([f.lat, f.lon], [40.15, 117.12]);

  // deleted, asked first
  await page.getByTestId('facility-delete').click();
  await page.locator('.el-message-box').getByText(`删除设施“${name}”？`).waitFor();
  await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
  await page.waitForURL((u) => u.pathname === '/facilities');
  const gone = await page.request.get(`/api/v1/facilities/${id}`);
  assert.equal(gone.status(), 404);

  // one in use (the demo hotel, converted, its conversions): refused, the page says so
  await page.goto('/facilities/1');
  await page.getByTestId('facility-delete').click();
  await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
  await page.getByRole('alert').filter({ hasText: '正在使用，无法删除' }).first().waitFor();
  assert.equal((await page.request.get('/api/v1/facilities/1')).status(), 200);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();

  // a viewer is offered neither
  const v = await openPage(browser);
  await login(v.page, 'viewer', DEMO_PW);
  await v.page.goto('/facilities/1');
  await v.page.getByRole('heading').first().waitFor();
  assert.equal(await v.page.getByTestId('facility-delete').count(), 0);
  await v.page.goto('/facilities');
  await v.page.getByRole('heading', { name: '设施台账' }).waitFor();
  assert.equal(await v.page.getByTestId('facility-new').count(), 0);
  await v.context.close();
});

// A facility whose operator's account was disabled could not be deleted, and the page said
// only "正在使用，无法删除": the account keeps its scope while disabled. Now the page names the
// account, as disabled, and says to give it another scope first; given one, the delete goes.
test('删除 a facility whose operator account is disabled: the account named as disabled, what to do said; re-scoped, deleted', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const town = (await apiGet(page, '/regions?type=township&limit=1')).items[0];
  const stamp = Date.now() % 100000;
  let res = await page.request.post('/api/v1/facilities', { data: { name: `停用账号的驿站${stamp}`, type: 'school', township_id: town.id, lat: 40.1, lon: 117.1 } });
  assert.equal(res.status(), 201, await res.text());
  const fac = await res.json();
  const username = `op${stamp}`;
  res = await page.request.post('/api/v1/users', { data: { username, role: 'facility_operator', password: 'long-enough-pw-7', facility_id: fac.id } });
  assert.equal(res.status(), 201, await res.text());
  const user = await res.json();
  res = await page.request.delete(`/api/v1/users/${user.id}`);
  assert.equal(res.status(), 204, await res.text());

  await page.goto(`/facilities/${fac.id}`);
  await page.getByTestId('facility-delete').click();
  await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: `正在使用，无法删除：是用户账号 ${username}（已停用） 的管辖范围；请先在“用户管理”中为这些账号改设范围（已停用的账号仍保留范围，同样需要改设）` })
    .first()
    .waitFor();
  assert.equal((await page.request.get(`/api/v1/facilities/${fac.id}`)).status(), 200, 'not deleted');

  // the account given another facility: the delete goes
  const u = await apiGet(page, `/users/${user.id}`);
  res = await page.request.patch(`/api/v1/users/${user.id}`, { data: { version: u.version, facility_id: 1 } });
  assert.equal(res.status(), 200, await res.text());
  await page.getByTestId('facility-delete').click();
  await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
  await page.waitForURL((x) => x.pathname === '/facilities');
  assert.equal((await page.request.get(`/api/v1/facilities/${fac.id}`)).status(), 404);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
