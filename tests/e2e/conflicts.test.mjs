// The admin's user form after someone else saved the user meanwhile ("数据已被他人修改"): every
// retry used to conflict again until the page was reloaded. 重新加载 now fetches the user as it
// is, keeps what was typed in the form on top of it, says which fields the other change touched
// (and which of them keep what was typed), and saving again succeeds with both changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, ADMIN_PW, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

async function patchUser(page, id, data) {
  const res = await page.request.patch(`${BASE}/api/v1/users/${id}`, { data });
  assert.equal(res.status(), 200, await res.text());
  return res.json();
}

test('user form: a conflict is reloaded with the typed edits kept, the other change named, and saved', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'admin', ADMIN_PW, { land: false });
  const res = await page.request.post(BASE + '/api/v1/users', { data: { username: 'stale01', display_name: '原名', role: 'viewer', password: 'a-long-enough-password' } });
  assert.equal(res.status(), 201, await res.text());
  let user = await res.json();
  await page.goto('/admin/users');
  const row = page.getByTestId('user-table').locator('tbody tr', { hasText: 'stale01' }).first();
  await row.getByRole('button', { name: '编辑' }).click();
  const dlg = page.getByRole('dialog', { name: '编辑用户 stale01' });
  const name = dlg.locator('input[name="display-name"]');
  await name.fill('新名字甲');
  // meanwhile someone else makes the user a district officer
  user = await patchUser(page, user.id, { version: user.version, role: 'district_officer' });
  await dlg.getByTestId('user-save').click();
  const conflict = dlg.getByTestId('user-conflict');
  await conflict.getByText('该用户已被他人修改。请重新加载最新数据（您填写的内容会保留）后再保存').waitFor();
  await shot(page, 'user-conflict');
  await conflict.getByRole('button', { name: '重新加载' }).click();
  await dlg.getByTestId('user-reloaded').getByText('已载入最新数据：他人修改了角色。您填写的内容仍保留，请核对后再保存').waitFor();
  assert.equal(await name.inputValue(), '新名字甲', 'the name typed is kept');
  await dlg.getByTestId('user-role').getByText('区级工作人员').waitFor();
  await shot(page, 'user-reloaded');
  await dlg.getByTestId('user-save').click();
  await dlg.waitFor({ state: 'hidden' });
  let now = await apiGet(page, `/users/${user.id}`);
  assert.equal(now.display_name, '新名字甲');
  assert.equal(now.role, 'district_officer', 'their change stays');
  await row.getByText('新名字甲').waitFor();

  // both change the same field: what was typed here is kept, and the message says so
  await row.getByRole('button', { name: '编辑' }).click();
  await name.fill('名字乙');
  await patchUser(page, user.id, { version: now.version, display_name: '名字丙' });
  await dlg.getByTestId('user-save').click();
  await dlg.getByTestId('user-conflict').getByRole('button', { name: '重新加载' }).click();
  await dlg.getByTestId('user-reloaded').getByText('已载入最新数据：他人修改了姓名，其中姓名保留您填写的内容。请核对后再保存').waitFor();
  assert.equal(await name.inputValue(), '名字乙');
  await dlg.getByTestId('user-save').click();
  await dlg.waitFor({ state: 'hidden' });
  now = await apiGet(page, `/users/${user.id}`);
  assert.equal(now.display_name, '名字乙');
  noProblems(page);
  await context.close();
});

// The facility edit form the same way: 重新加载 after a stale save used to refill the form from
// the server, dropping every field typed (an address, a function, rows of emergency roles).
test('facility form: a conflict is reloaded with the typed edits kept, the other change named, and saved', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const id = 30;
  const field = (label) => page.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) }).locator('input');
  const patch = async (data) => {
    const res = await page.request.patch(`${BASE}/api/v1/facilities/${id}`, { data });
    assert.equal(res.status(), 200, await res.text());
    return res.json();
  };
  let f = await apiGet(page, `/facilities/${id}`);
  await page.goto(`/facilities/${id}/edit`);
  await page.getByRole('heading', { name: /编辑设施/ }).waitFor();
  await field('地址').fill('第二位编辑填写的新地址');
  await field('平时功能').fill('酒店住宿与会议');
  // meanwhile someone else changes the peacetime capacity
  f = await patch({ version: f.version, peacetime_capacity: f.peacetime_capacity + 10 });
  await page.getByRole('button', { name: '保存' }).click();
  const conflict = page.getByTestId('facility-conflict');
  await conflict.getByText('该设施已被他人修改（当前版本较新）。请重新加载最新数据（您填写的内容会保留）后再保存').waitFor();
  await conflict.getByRole('button', { name: '重新加载' }).click();
  await page.getByTestId('facility-reloaded').getByText('已载入最新数据：他人修改了平时容量。您填写的内容仍保留，请核对后再保存').waitFor();
  assert.equal(await field('地址').inputValue(), '第二位编辑填写的新地址', 'the address typed is kept');
  assert.equal(await field('平时功能').inputValue(), '酒店住宿与会议', 'the function typed is kept');
  assert.equal(await field('平时容量').inputValue(), String(f.peacetime_capacity), 'their capacity is shown');
  await shot(page, 'facility-reloaded');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(new RegExp(`/facilities/${id}$`));
  let now = await apiGet(page, `/facilities/${id}`);
  assert.equal(now.address, '第二位编辑填写的新地址');
  assert.equal(now.peacetime_function, '酒店住宿与会议');
  assert.equal(now.peacetime_capacity, f.peacetime_capacity, 'their change stays');
  assert.equal(now.version, f.version + 1);

  // both change the same field: what was typed here is kept, and the message says so
  await page.goto(`/facilities/${id}/edit`);
  await page.getByRole('heading', { name: /编辑设施/ }).waitFor();
  await field('地址').fill('地址乙');
  await patch({ version: now.version, address: '地址丙' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('facility-conflict').getByRole('button', { name: '重新加载' }).click();
  await page.getByTestId('facility-reloaded').getByText('已载入最新数据：他人修改了地址，其中地址保留您填写的内容。请核对后再保存').waitFor();
  assert.equal(await field('地址').inputValue(), '地址乙');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(new RegExp(`/facilities/${id}$`));
  now = await apiGet(page, `/facilities/${id}`);
  assert.equal(now.address, '地址乙');
  noProblems(page);
  await context.close();
});
