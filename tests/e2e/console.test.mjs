// The web console as its users rely on it: log in, read the overview, find and edit a
// facility, role limits, user administration, language, and the tablet layout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, choose, apiGet, ADMIN_PW, DEMO_PW, TABLET, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { capacityTotals } from '../../web/src/utils/capacity.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Beijing time of an API timestamp, computed independently of the console's code. */
function beijing(iso) {
  return new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
}

async function noProblems(page) {
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
}

describe('console', { timeout: budget(120000) }, () => {
  test('login: a wrong password is refused at the field; a deep link survives the login', async () => {
    const { context, page } = await openPage(browser);
    await page.goto('/facilities?type=hotel');
    await page.waitForURL(/\/login\?redirect=/);
    await shot(page, '01-login');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    const pwItem = page.locator('.el-form-item', { has: page.getByLabel('密码', { exact: true }) });
    await assert.doesNotReject(pwItem.getByText('用户名或密码错误', { exact: true }).waitFor()); // the code's label, not the server's English
    await page.getByLabel('密码', { exact: true }).fill(ADMIN_PW);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/facilities\?type=hotel$/);
    await page.getByRole('heading', { name: '设施台账' }).waitFor();
    // header: user, role, idle countdown close to 30 minutes
    await page.getByText('系统管理员').first().waitFor();
    const idle = await page.getByTestId('idle-countdown').innerText();
    const [m] = idle.trim().split(':').map(Number);
    assert.ok(m >= 29 && m <= 30, `idle countdown ${idle}`);
    await noProblems(page);
    await context.close();
  });

  test('dashboard: district map, facility counts, and capacity per role from the overview', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    await page.waitForURL(/\/dashboard$/);
    await page.getByRole('heading', { name: '平急总览' }).waitFor();
    const table = page.getByTestId('capacity-table');
    await table.getByText('安置床位').waitFor();

    const facilities = (await apiGet(page, '/facilities?limit=500')).items;
    const { counts } = capacityTotals(facilities);
    const kpi = page.locator('[data-kpi="facilities"]');
    await assert.doesNotReject(kpi.getByText(formatNumber(counts.total, 'zh-CN'), { exact: true }).waitFor());
    await page.locator('[data-kpi="converting"]').getByText(formatNumber(counts.converting, 'zh-CN'), { exact: true }).waitFor();
    // the card of facilities in peacetime says so: it counted every one as "convertible" (312)
    // beside the overview's convertible (in peacetime with a manual for the scenario: 99)
    const calm = page.locator('[data-kpi="peacetime"]');
    await calm.getByText(formatNumber(counts.convertible, 'zh-CN'), { exact: true }).waitFor();
    assert.match(await calm.innerText(), /在平时状态/);
    assert.equal(await page.locator('.pj-kpis').getByText('可转换').count(), 0, 'no card says convertible');
    // the capacity per role is the overview's for the scenario shown (平疫 first)
    const ov = await apiGet(page, '/overview?scenario=epidemic');
    for (const [label, role] of [
      ['安置床位', 'resettlement'],
      ['隔离房间', 'isolation'],
      ['物资储备容积', 'supply_store'],
    ]) {
      const line = ov.roles.find((r) => r.role === role);
      const row = table.locator('tr', { hasText: label });
      const cells = await row.locator('td').allInnerTexts();
      // columns: capacity (unit), ready, converting, convertible, per 10k residents, target
      assert.equal(cells[1].trim(), formatNumber(line.ready, 'zh-CN'), `${label} ready`);
      assert.equal(cells[2].trim(), formatNumber(line.converting, 'zh-CN'), `${label} converting`);
      assert.equal(cells[3].trim(), formatNumber(line.convertible, 'zh-CN'), `${label} convertible`);
      assert.equal(cells[4].trim(), formatNumber(line.per_10k_residents, 'zh-CN'), `${label} per 10k`);
    }
    // the map: a canvas with the district drawn (many non-blank pixels) and township labels
    const map = page.getByTestId('district-map');
    await map.locator('canvas').first().waitFor();
    await page.waitForTimeout(300);
    const inked = await map.evaluate((el) => {
      const c = el.querySelector('canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) n++;
      return { n, w: c.width, h: c.height };
    });
    assert.ok(inked.w > 300 && inked.h > 300, `map size ${inked.w}x${inked.h}`);
    assert.ok(inked.n > 2000, `map drawn (${inked.n} inked samples)`);
    await shot(page, '02-dashboard');
    await noProblems(page);
    await context.close();
  });

  test('facilities: filter by township 金海湖地区 and type, with cursor paging', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/facilities');
    const table = page.getByTestId('facility-table');
    await table.locator('tbody tr').first().waitFor();
    await choose(page, page.getByTestId('filter-township'), '金海湖地区');
    await page.waitForURL(/township_id=/);
    await choose(page, page.getByTestId('filter-type'), '民宿集群');
    await page.waitForURL(/type=homestay_cluster/);
    await page.waitForLoadState('networkidle');

    const town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('金海湖地区'))).items[0];
    const expected = (await apiGet(page, `/facilities?township_id=${town.id}&type=homestay_cluster&limit=50`)).items;
    assert.ok(expected.length > 0, 'the demo has homestays in 金海湖地区');
    const rows = table.locator('tbody tr');
    await assert.doesNotReject(rows.first().getByText(expected[0].name, { exact: true }).waitFor());
    assert.equal(await rows.count(), expected.length);
    for (const tr of await rows.all()) {
      const text = await tr.innerText();
      assert.match(text, /金海湖地区/);
      assert.match(text, /民宿集群/);
    }
    await shot(page, '03-facilities-filtered');

    // paging: 20 a page, next then previous
    await page.goto('/facilities');
    await table.locator('tbody tr').first().waitFor();
    await choose(page, page.locator('.pj-pager .el-select'), '每页 20 条');
    await page.getByText('第 1 页').waitFor();
    const first = await rows.first().innerText();
    // the page label changes before the new rows arrive: wait (up to 5 s) for the first row
    const firstRow = async (want) => {
      for (let i = 0; i < 50; i++) {
        const now = await rows.first().innerText();
        if (want(now)) return now;
        await page.waitForTimeout(100);
      }
      return rows.first().innerText();
    };
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByText('第 2 页').waitFor();
    assert.notEqual(await firstRow((x) => x !== first), first);
    await page.getByRole('button', { name: '上一页' }).click();
    await page.getByText('第 1 页').waitFor();
    assert.equal(await firstRow((x) => x === first), first);
    await noProblems(page);
    await context.close();
  });

  test('facility edit: a negative capacity shows the API message at the field; a valid edit saves and is audited', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/facilities');
    await page.getByLabel('关键词').fill('万达锦华');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: '万达锦华酒店' }).first().click();
    await page.getByRole('heading', { name: '万达锦华酒店' }).waitFor();
    const id = page.url().match(/facilities\/(\d+)/)[1];
    const before = await apiGet(page, `/facilities/${id}`);
    const iso = before.emergency_roles.find((r) => r.role === 'isolation');
    // dates are Beijing time although this browser runs in Europe/London
    await page.getByTestId('facility-fields').getByText(beijing(before.updated_at)).first().waitFor();
    await shot(page, '04-facility-detail');

    await page.getByRole('link', { name: '编辑' }).click();
    await page.getByRole('heading', { name: /编辑设施/ }).waitFor({ timeout: 30000 }); // slow on a loaded machine
    const rowIdx = before.emergency_roles.indexOf(iso);
    const capItem = page.getByTestId('role-row-' + rowIdx).getByTestId('capacity-item');
    const cap = capItem.locator('input');
    await cap.fill('-5');
    await page.getByRole('button', { name: '保存' }).click();
    await assert.doesNotReject(capItem.getByText(/^数值超出允许范围：须在 0 到 [\d,]+ 之间$/).waitFor()); // the API's rule, in Chinese
    await shot(page, '05-facility-edit-error');
    assert.equal((await apiGet(page, `/facilities/${id}`)).version, before.version, 'nothing saved');
    // rooms are counted: a fraction is refused at the cell, in Chinese
    await cap.fill('1.5');
    await page.getByRole('button', { name: '保存' }).click();
    await capItem.getByText('须为整数').waitFor();
    assert.equal((await apiGet(page, `/facilities/${id}`)).version, before.version, 'nothing saved');

    const newCap = iso.capacity - 20;
    await cap.fill(String(newCap));
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(new RegExp(`/facilities/${id}$`));
    const roles = page.getByTestId('facility-roles');
    await roles.locator('tr', { hasText: '隔离' }).getByText(String(newCap), { exact: true }).waitFor();
    const after = await apiGet(page, `/facilities/${id}`);
    assert.equal(after.version, before.version + 1);
    assert.equal(after.emergency_roles.find((r) => r.role === 'isolation').capacity, newCap);
    // the history shows who changed what
    const history = page.getByTestId('facility-history');
    const entry = history.locator('tbody tr').first();
    // by display name, the user name its hover text (it showed the user name alone)
    const who = entry.locator('[data-username="admin"]');
    await who.getByText('管理员', { exact: true }).waitFor();
    assert.equal(await who.getAttribute('title'), 'admin');
    const text = await entry.innerText();
    assert.match(text, /修改/);
    assert.match(text, new RegExp(`隔离 ${iso.capacity}间`));
    assert.match(text, new RegExp(`隔离 ${newCap}间`));
    await shot(page, '06-facility-saved-history');

    // a stale version is refused with a clear conflict message
    await page.getByRole('link', { name: '编辑' }).click();
    await page.getByRole('heading', { name: /编辑设施/ }).waitFor({ timeout: 30000 }); // slow on a loaded machine
    const res = await page.request.patch(`/api/v1/facilities/${id}`, { data: { address: after.address + '（核）', version: after.version } });
    assert.equal(res.status(), 200);
    await page.getByTestId('role-row-' + rowIdx).getByTestId('capacity-item').locator('input').fill(String(newCap + 1));
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('该设施已被他人修改').waitFor();
    await noProblems(page);
    await context.close();
  });

  test('a facility operator (wanda) edits only their own facility, and only the allowed fields', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'wanda', DEMO_PW, { land: false });
    await page.goto('/facilities');
    const table = page.getByTestId('facility-table');
    const own = table.locator('tr', { hasText: '万达锦华酒店' });
    await own.waitFor();
    assert.equal(await own.getByRole('link', { name: '编辑' }).count(), 1);
    assert.equal(await table.locator('tr', { hasText: '南山村' }).getByRole('link', { name: '编辑' }).count(), 0, 'no edit link elsewhere');
    await own.getByRole('link', { name: '编辑' }).click();
    await page.getByText('设施运营方只能修改名称、地址、平时功能、平时容量及单位、无障碍房间和急时能力').waitFor();
    const typeInput = page.locator('.el-form-item', { hasText: '类型' }).first().locator('input');
    assert.ok(await typeInput.isDisabled(), 'the type cannot be changed by an operator');
    assert.ok(await page.locator('.el-form-item', { hasText: '纬度' }).locator('input').isDisabled());
    const id = page.url().match(/facilities\/(\d+)/)[1];
    const before = await apiGet(page, `/facilities/${id}`);
    const idx = before.emergency_roles.findIndex((r) => r.role === 'resettlement');
    const want = before.emergency_roles[idx].capacity - 10;
    await page.getByTestId('role-row-' + idx).getByTestId('capacity-item').locator('input').fill(String(want));
    // the barrier-free rooms, which the planner places vulnerable people in, are the operator's too
    const bf = page.locator('.el-form-item', { hasText: '无障碍房间' }).locator('input');
    assert.equal(await bf.inputValue(), String(before.barrier_free_rooms));
    assert.ok(!(await bf.isDisabled()), 'an operator sets the barrier-free rooms');
    const wantBf = before.barrier_free_rooms + 7;
    await bf.fill(String(wantBf));
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(new RegExp(`/facilities/${id}$`));
    await page.getByTestId('facility-roles').locator('tr', { hasText: '安置' }).getByText(String(want), { exact: true }).waitFor();
    const saved = await apiGet(page, `/facilities/${id}`);
    assert.equal(saved.barrier_free_rooms, wantBf);
    const fields = page.getByTestId('facility-fields');
    const bfCell = fields.locator('.el-descriptions__label', { hasText: /^无障碍房间$/ }).locator('xpath=following-sibling::*[1]');
    assert.equal((await bfCell.innerText()).trim(), String(wantBf), 'the facility page shows the barrier-free rooms');
    assert.equal(await page.getByTestId('facility-history').count(), 0, 'history is for district roles');
    await noProblems(page);
    await context.close();
  });

  test('a facility operator (wanda) cannot open the admin pages', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'wanda', DEMO_PW);
    await page.getByText('设施运营方').first().waitFor();
    const nav = page.getByRole('menubar');
    await nav.getByText('设施台账').waitFor();
    assert.equal(await nav.getByText('系统管理').count(), 0, 'admin menu hidden');
    assert.equal(await nav.getByText('用户管理').count(), 0);
    await page.goto('/admin/users');
    await page.getByText('无权限', { exact: true }).waitFor();
    await page.getByText('/admin/users').waitFor();
    assert.equal(await page.getByTestId('user-table').count(), 0);
    await shot(page, '07-operator-forbidden');
    await page.goto('/admin/audit');
    await page.getByText('无权限', { exact: true }).waitFor();
    await noProblems(page);
    await context.close();
  });

  test('admin creates a user, who then appears in the list and can log in', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    await page.getByRole('menubar').getByText('用户管理').click();
    await page.waitForURL(/\/admin\/users$/);
    const table = page.getByTestId('user-table');
    await table.getByText('wanda', { exact: true }).waitFor();
    const name = 'e2e_' + Date.now().toString(36);
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill(name);
    await dialog.getByLabel('姓名').fill('测试乡镇员');
    await choose(page, dialog.getByTestId('user-role'), '乡镇（街道）工作人员');
    // the API wants a township for this role: its message appears at the township field
    await dialog.getByLabel('密码').fill('short');
    await dialog.getByTestId('user-save').click();
    await dialog.locator('.el-form-item', { hasText: '密码' }).locator('.el-form-item__error').getByText(/至少 10 个字符/).waitFor();
    await dialog.getByLabel('密码').fill('Pinggu-e2e-2026');
    await dialog.getByTestId('user-save').click();
    await dialog.locator('.el-form-item', { hasText: '所属乡镇（街道）' }).locator('.el-form-item__error').getByText('必填', { exact: true }).waitFor();
    await choose(page, dialog.locator('.el-form-item', { hasText: '所属乡镇（街道）' }).locator('.el-select'), '金海湖地区');
    await dialog.getByTestId('user-save').click();
    await page.getByText(`已创建用户 ${name}`).waitFor();
    const row = table.locator('tr', { hasText: name });
    await row.waitFor();
    assert.match(await row.innerText(), /测试乡镇员[\s\S]*乡镇（街道）工作人员[\s\S]*金海湖地区[\s\S]*正常/);
    await shot(page, '08-users-created');
    await page.reload();
    await table.getByText(name, { exact: true }).waitFor();
    // the audit log records the creation, with the township by name
    await page.getByRole('menubar').getByText('审计日志').click();
    const audit = page.getByTestId('audit-table');
    const created = audit.locator('tr', { hasText: '新建' }).filter({ hasText: name }).first();
    await created.waitFor();
    await created.getByText('金海湖地区').waitFor(); // the township's name is looked up after the row renders
    assert.match(await created.innerText(), /管理员[\s\S]*用户[\s\S]*金海湖地区/);
    await shot(page, '09-audit-log');
    await noProblems(page);
    await context.close();

    const second = await openPage(browser);
    await login(second.page, name, 'Pinggu-e2e-2026');
    await second.page.getByText('乡镇（街道）工作人员').first().waitFor();
    await second.context.close();
  });

  test('admin creates an enterprise user, finding the organisation among thousands by typing', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    await page.getByRole('menubar').getByText('用户管理').click();
    await page.getByTestId('user-table').getByText('wanda', { exact: true }).waitFor();
    const name = 'e2e_ent_' + Date.now().toString(36);
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill(name);
    await dialog.getByLabel('姓名').fill('测试企业联络员');
    await dialog.getByLabel('密码').fill('Pinggu-e2e-2026');
    await choose(page, dialog.getByTestId('user-role'), '企业用户');
    // the select offers a bounded list, filtered by what is typed (the register has thousands)
    const orgSelect = dialog.locator('.el-form-item', { hasText: '所属单位' }).locator('.el-select');
    await orgSelect.click();
    assert.ok((await page.getByRole('option').count()) <= 60, 'a bounded list of options');
    await page.keyboard.type('京东（平谷）物流');
    await page.getByRole('option', { name: '京东（平谷）物流有限公司', exact: true }).click();
    await dialog.getByTestId('user-save').click();
    await page.getByText(`已创建用户 ${name}`).waitFor();
    const users = await apiGet(page, '/users?role=enterprise&limit=200');
    const u = (users.items || []).find((x) => x.username === name);
    assert.ok(u, 'the user exists');
    assert.equal(u.role, 'enterprise');
    const org = await apiGet(page, `/organisations/${u.organisation_id}`);
    assert.equal(org.name, '京东（平谷）物流有限公司');
    await noProblems(page);
    await context.close();
  });

  test('a session that ends on the server returns the user to the login page, and back after logging in', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'viewer', DEMO_PW, { land: false });
    await page.goto('/facilities?type=school');
    await page.getByTestId('facility-table').getByText('学校').first().waitFor();
    await context.clearCookies(); // as when the server expires the session
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/\/login\?.*expired=1/);
    await page.getByText('会话已过期').waitFor();
    await page.getByLabel('用户名').fill('viewer');
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PW);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/facilities\?type=school$/);
    // a viewer reads but does not edit
    await page.getByTestId('facility-table').getByText('学校').first().waitFor();
    assert.equal(await page.getByTestId('facility-table').getByRole('link', { name: '编辑' }).count(), 0);
    await noProblems(page);
    await context.close();
  });

  test('the language switches to English for every label', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    await page.getByRole('heading', { name: '平急总览' }).waitFor();
    await page.locator('.pj-tools').getByText('English').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const nav = page.getByRole('menubar');
    for (const label of ['Overview', 'Facilities', 'Administration', 'Users', 'Audit log']) await nav.getByText(label, { exact: true }).waitFor();
    await page.getByTestId('capacity-table').getByText('Resettlement beds').waitFor();
    await page.getByText('Sign out', { exact: true }).first().waitFor();
    await page.getByText('Administrator').first().waitFor();
    await shot(page, '10-dashboard-en');
    await page.goto('/facilities');
    await page.getByRole('heading', { name: 'Facilities' }).waitFor();
    const head = await page.getByTestId('facility-table').locator('thead').innerText();
    for (const h of ['Name', 'Type', 'Township', 'State', 'Emergency roles and capacity']) assert.match(head, new RegExp(h));
    assert.doesNotMatch(head, /[\u4e00-\u9fff]/, 'no Chinese left in the table header');
    await page.getByTestId('facility-table').getByText('Homestay cluster').first().waitFor();
    await shot(page, '11-facilities-en');
    // the choice survives a reload; switch back
    await page.reload();
    await page.getByRole('heading', { name: 'Facilities' }).waitFor();
    await page.locator('.pj-tools').getByText('中文').click();
    await page.getByRole('heading', { name: '设施台账' }).waitFor();
    await noProblems(page);
    await context.close();
  });

  test('tablet 1024×768: district officer sees the overview, facilities and audit log without sideways scrolling', async () => {
    const { context, page } = await openPage(browser, TABLET);
    await login(page, 'officer', DEMO_PW);
    await page.getByRole('heading', { name: '平急总览' }).waitFor();
    await page.getByTestId('capacity-table').getByText('安置床位').waitFor();
    await page.getByTestId('district-map').locator('canvas').first().waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, 'dashboard fits 1024 px');
    await shot(page, '12-tablet-dashboard');
    // the menu is folded to icons; users are hidden for a district officer, audit is not
    const nav = page.getByRole('menubar');
    assert.equal(await nav.locator('.el-menu-item', { hasText: '用户管理' }).count(), 0);
    await page.goto('/facilities');
    await page.getByTestId('facility-table').locator('tbody tr').first().waitFor();
    assert.ok((await overflow()) <= 0, 'facilities fit 1024 px');
    await shot(page, '13-tablet-facilities');
    await page.goto('/admin/audit');
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await page.getByTestId('audit-table').getByText('区应急局值班员', { exact: true }).first().waitFor();
    assert.ok((await overflow()) <= 0, 'audit log fits 1024 px');
    await shot(page, '14-tablet-audit');
    await page.goto('/admin/users');
    await page.getByText('无权限', { exact: true }).waitFor();
    // sign out ends the session on the server too
    await page.goto('/dashboard');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login\?out=1/);
    await page.getByText('已退出登录').waitFor();
    const me = await page.request.get('/api/v1/auth/me');
    assert.equal(me.status(), 401);
    await noProblems(page);
    await context.close();
  });
});
