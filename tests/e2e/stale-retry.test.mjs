// A write after someone else changed the record: the page kept the version it had read, so the
// write was refused as version_conflict on every click until the page was reloaded (a cohort's
// state step, enabling an account, a warehouse's status step, a pairing proposal's helper, a product's sales corrected, an enrolment withdrawn). Now the refusal reloads the
// record and says so, and the next click is sent with the current version.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, villageRun, ADMIN_PW, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

async function send(page, method, p, data, want) {
  const res = await page.request[method]('/api/v1' + p, { data });
  assert.equal(res.status(), want, await res.text());
  return res.json();
}

test('academy: a state step refused as changed meanwhile reloads the cohorts, and the retry succeeds', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', ADMIN_PW);
  const any = (await apiGet(page, '/academy/cohorts?limit=1')).items[0];
  const name = `并发修改班${Date.now() % 100000}（合成）`;
  const made = await send(page, 'post', '/academy/cohorts', { course_id: any.course_id, base_id: any.base_id, name, starts_on: '2026-12-01', ends_on: '2026-12-31', capacity: 5 }, 201);
  await page.goto('/academy');
  await choose(page, page.locator('.el-select', { has: page.getByRole('combobox', { name: '状态' }) }).first(), '筹备');
  const step = page.getByTestId('cohort-step-' + made.id);
  await step.waitFor();
  // meanwhile someone else renames the cohort (version 1 → 2)
  const renamed = name.replace('并发修改班', '他人改名班');
  await send(page, 'patch', `/academy/cohorts/${made.id}`, { version: made.version, name: renamed }, 200);
  await step.click();
  await page.locator('.el-message').getByText('该记录已被他人修改，列表已刷新，请核对后重试').waitFor();
  // the list shows the cohort as it is now
  await page.getByTestId('cohort-table').getByText(renamed).waitFor();
  await shot(page, 'cohort-changed-meanwhile');
  // and the retry is sent with the current version
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/academy/cohorts/${made.id}/state`));
  await step.click();
  assert.equal((await answer).status(), 200, 'the retry is accepted');
  await page.locator('.el-message').getByText('已变更为「招生中」').waitFor();
  assert.equal((await apiGet(page, `/academy/cohorts/${made.id}`)).state, 'open');
  noProblems(page);
  await context.close();
});

test('users: enabling an account changed meanwhile reloads it, and the retry enables it', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', ADMIN_PW);
  const username = `stale${Date.now() % 1000000}`;
  const made = await send(page, 'post', '/users', { username, role: 'viewer', display_name: '并发启用（合成）', password: 'long-enough-pw-9' }, 201);
  const off = await page.request.delete(`/api/v1/users/${made.id}`);
  assert.ok(off.ok(), await off.text());
  await page.goto('/admin/users');
  await choose(page, page.locator('.el-select', { has: page.getByRole('combobox', { name: '按角色筛选' }) }).first(), '只读用户');
  const row = page.getByTestId('user-table').locator('tbody tr', { hasText: username }).first();
  const enable = row.getByRole('button', { name: '启用' });
  await enable.waitFor();
  // meanwhile someone else renames the account (its version moves on)
  const now = await apiGet(page, `/users/${made.id}`);
  await send(page, 'patch', `/users/${made.id}`, { version: now.version, display_name: '他人改名（合成）' }, 200);
  await enable.click();
  await page.locator('.el-message').getByText('该记录已被他人修改，列表已刷新，请核对后重试').waitFor();
  await row.getByText('他人改名（合成）').waitFor();
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${made.id}`) && r.request().method() === 'PATCH');
  await enable.click();
  assert.equal((await answer).status(), 200, 'the retry is accepted');
  await page.locator('.el-message').getByText(`已启用 ${username}`).waitFor();
  assert.equal((await apiGet(page, `/users/${made.id}`)).disabled, false);
  noProblems(page);
  await context.close();
});

test('warehouses: a status step refused as changed meanwhile reloads the warehouse, and the retry succeeds', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', ADMIN_PW);
  const name = `并发仓库${Date.now() % 100000}（合成）`;
  const made = await send(page, 'post', '/logistics/warehouses', { name, area_m2: 1000, status: 'planned' }, 201);
  await page.goto('/logistics/warehouses');
  await choose(page, page.locator('.el-select', { has: page.getByRole('combobox', { name: '状态' }) }).first(), '规划');
  const step = page.getByTestId('wh-step-' + made.id);
  await step.click();
  const dlg = page.getByTestId('wh-step-form');
  await dlg.waitFor();
  // meanwhile someone else renames the warehouse (version 1 → 2)
  const renamed = name.replace('并发仓库', '他人改名仓库');
  await send(page, 'patch', `/logistics/warehouses/${made.id}`, { version: made.version, name: renamed }, 200);
  const first = page.waitForResponse((r) => r.url().endsWith(`/api/v1/logistics/warehouses/${made.id}`) && r.request().method() === 'PATCH');
  await dlg.getByRole('button', { name: '保存' }).click();
  assert.equal((await first).status(), 409);
  await page.getByRole('dialog').getByText('该记录已被他人修改，列表已刷新，请核对后重试').waitFor();
  await page.getByTestId('warehouse-table').getByText(renamed).waitFor();
  // the retry from the same dialog is sent with the current version
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/logistics/warehouses/${made.id}`) && r.request().method() === 'PATCH');
  await dlg.getByRole('button', { name: '保存' }).click();
  assert.equal((await answer).status(), 200, 'the retry is accepted');
  await page.getByText('已变更为「在建」').waitFor();
  assert.equal((await apiGet(page, `/logistics/warehouses/${made.id}`)).status, 'under_construction');
  noProblems(page);
  await context.close();
});

test('pairing: a proposal saved after someone else changed it reloads it in the dialog, and the retry succeeds', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'jinhaihu', DEMO_PW);
  const { run, p } = await villageRun(page);
  await page.goto(`/pairing/${run.id}`);
  const row = page.getByTestId('proposals').locator('.el-table__body-wrapper tr', { hasText: p.elder_name }).first();
  await row.getByTestId('edit-proposal').click();
  const dlg = page.getByRole('dialog', { name: '更换互助员' });
  await dlg.getByTestId('proposal-helper').waitFor();
  // meanwhile someone else saves the proposal (its version moves on)
  await send(page, 'patch', `/pair-proposals/${p.id}`, { version: p.version, helper_id: p.helper_id }, 200);
  const first = page.waitForResponse((r) => r.url().endsWith(`/api/v1/pair-proposals/${p.id}`) && r.request().method() === 'PATCH');
  await dlg.getByTestId('save-proposal').click();
  assert.equal((await first).status(), 409);
  await dlg.getByText('该记录已被他人修改，列表已刷新，请核对后重试').waitFor();
  // the retry from the same dialog is sent with the current version
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/pair-proposals/${p.id}`) && r.request().method() === 'PATCH');
  await dlg.getByTestId('save-proposal').click();
  assert.equal((await answer).status(), 200, 'the retry is accepted');
  await dlg.waitFor({ state: 'hidden' });
  const now = (await apiGet(page, `/pairing-runs/${run.id}?state=proposed&limit=500`)).proposals.items.find((q) => q.id === p.id);
  assert.equal(now.version, p.version + 2, 'changed by the other and by the retry');
  noProblems(page);
  await context.close();
});

test('e-commerce: sales corrected after someone else changed the product: the form takes its version, and the retry saves', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const p = await send(page, 'post', '/ecommerce/products', { name: `并发更正品${Date.now() % 1e7}`, category: 'fruit' }, 201);
  await send(page, 'post', `/ecommerce/products/${p.id}/sales`, { month: '2024-03', channel: 'wholesale', orders: 12, gmv_fen: 88000 }, 201);
  await page.goto('/development/ecommerce');
  await choose(page, page.getByTestId('ec-product'), p.name);
  await page.getByTestId('ec-sales-edit-2024-03-wholesale').click();
  const form = page.getByTestId('sales-form');
  await form.waitFor();
  // meanwhile someone else corrects the same row (the product's version moves on)
  const now = (await apiGet(page, '/ecommerce/products?limit=500')).items.find((x) => x.id === p.id);
  await send(page, 'patch', `/ecommerce/products/${p.id}/sales/2024-03/wholesale`, { version: now.version, orders: 13, gmv_fen: 88000 }, 200);
  const orders = form.getByTestId('sa-orders').locator('input');
  await orders.fill('15');
  await orders.press('Tab');
  const first = page.waitForResponse((r) => r.url().endsWith(`/api/v1/ecommerce/products/${p.id}/sales/2024-03/wholesale`) && r.request().method() === 'PATCH');
  await form.getByTestId('sa-save').click();
  assert.equal((await first).status(), 409);
  await page.getByRole('dialog').getByText('该记录已被他人修改，列表已刷新，请核对后重试').waitFor();
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/ecommerce/products/${p.id}/sales/2024-03/wholesale`) && r.request().method() === 'PATCH');
  await form.getByTestId('sa-save').click();
  assert.equal((await answer).status(), 200, 'the retry is accepted');
  await form.waitFor({ state: 'hidden' });
  const sales = (await apiGet(page, `/ecommerce/products/${p.id}/sales`)).items;
  assert.deepEqual(sales.map((x) => [x.month, x.channel, x.orders]), [['2024-03', 'wholesale', 15]]);
  noProblems(page);
  await context.close();
});

test('academy: an enrolment withdrawn meanwhile: 退学 reloads the enrolments and says so', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', ADMIN_PW);
  const any = (await apiGet(page, '/academy/cohorts?limit=1')).items[0];
  const cohort = await send(page, 'post', '/academy/cohorts', { course_id: any.course_id, base_id: any.base_id, name: `退学并发班${Date.now() % 100000}（合成）`, starts_on: '2026-12-01', ends_on: '2026-12-31', capacity: 5 }, 201);
  await send(page, 'post', `/academy/cohorts/${cohort.id}/state`, { state: 'open', version: cohort.version }, 200);
  const zone = (await apiGet(page, '/academy/posts?limit=1')).items[0].zone_enterprise_id;
  const post = await send(page, 'post', '/academy/posts', { zone_enterprise_id: zone, title: '退学并发岗（合成）', openings: 3 }, 201);
  const streamer = (await apiGet(page, '/ecommerce/streamers?limit=1')).items[0];
  const enr = await send(page, 'post', '/academy/enrolments', { cohort_id: cohort.id, streamer_id: streamer.id, post_id: post.id, enrolled_on: '2026-11-30' }, 201);
  await page.goto(`/academy/cohorts/${cohort.id}`);
  const withdraw = page.getByTestId('withdraw-' + enr.id);
  await withdraw.waitFor();
  // withdrawn meanwhile in another tab
  await send(page, 'post', `/academy/enrolments/${enr.id}/withdraw`, { version: enr.version }, 200);
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/academy/enrolments/${enr.id}/withdraw`));
  await withdraw.click();
  await page.getByRole('dialog').getByRole('button', { name: '退学' }).click();
  assert.equal((await refused).status(), 409);
  await page.locator('.el-message').getByText('该记录已被他人修改，列表已刷新，请核对后重试').waitFor();
  // the row shows it withdrawn, without the button
  await page.getByTestId('enrolment-table').getByText('已退学').waitFor();
  assert.equal(await withdraw.count(), 0);
  noProblems(page);
  await context.close();
});

test('academy: a graduate placed meanwhile: the placement dialog closes, reloads the enrolments and says so', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', ADMIN_PW, { land: false });
  const grad = (await apiGet(page, '/academy/enrolments?state=graduated&limit=1')).items[0];
  await page.goto(`/academy/cohorts/${grad.cohort_id}`);
  const place = page.getByTestId('place-' + grad.id);
  await place.waitFor();
  await place.click();
  await page.getByTestId('place-form').waitFor();
  // placed meanwhile in another tab, at its post the day after graduation
  const next = new Date(Date.parse(grad.graduated_on + 'T00:00:00Z') + 86400e3).toISOString().slice(0, 10);
  await send(page, 'post', `/academy/enrolments/${grad.id}/place`, { version: grad.version, placed_on: next, at: 'post' }, 200);
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/academy/enrolments/${grad.id}/place`));
  await page.getByTestId('place-save').click();
  assert.equal((await refused).status(), 409);
  await page.locator('.el-message').getByText('该记录已被他人修改，列表已刷新，请核对后重试').waitFor();
  // the dialog is closed and the row shows the placement, without the button
  await page.getByTestId('place-form').waitFor({ state: 'hidden' });
  await page.getByTestId('enrolment-table').locator('tr', { hasText: grad.streamer }).getByText(next).waitFor();
  assert.equal(await place.count(), 0);
  noProblems(page);
  await context.close();
});
