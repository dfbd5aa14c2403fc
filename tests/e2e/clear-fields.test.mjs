// Emptying a field in an edit form: what may be empty is cleared (an elder's family-doctor
// contract that ended), what may not is refused at its field in Chinese and nothing is saved
// (a facility's peacetime capacity). The server once answered both with success and kept the
// old values. The facility form names every refusal of a save at once (it named one per try).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
/** No Latin word of three letters or more: the server's English text is not shown in zh-CN. */
const NO_ENGLISH = /[A-Za-z]{3,}/;

describe('emptying fields', () => {
  test('a grid worker ends an elder’s family-doctor contract by emptying its fields', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'grid01', DEMO_PW, { land: false });
    const list = (await apiGet(page, '/elders?limit=100')).items;
    const e = list.find((x) => x.doctor_contracted && x.status === 'active');
    assert.ok(e, 'an elder of grid01 with a family doctor');
    const before = await apiGet(page, `/elders/${e.id}`);
    assert.ok(before.doctor_name);
    await page.goto(`/elders/${e.id}/edit`);
    const field = (label) => page.locator('.el-form-item', { has: page.getByText(label, { exact: true }) }).locator('input');
    await field('签约医生').waitFor();
    assert.notEqual(await field('签约医生').inputValue(), '');
    for (const label of ['签约医生', '所属机构', '签约开始', '签约到期', '最近就诊']) await field(label).fill('');
    await page.getByTestId('save-elder').click();
    await page.waitForURL((u) => !u.pathname.endsWith('/edit'));
    const after = await apiGet(page, `/elders/${e.id}`);
    assert.equal(after.doctor_name, null);
    assert.equal(after.doctor_clinic, null);
    assert.equal(after.doctor_from, null);
    assert.equal(after.doctor_until, null);
    assert.equal(after.doctor_contracted, false);
    assert.equal(after.version, before.version + 1);
    await shot(page, 'clear-doctor');
    noProblems(page);
    await context.close();
  });

  test('an officer empties a facility’s peacetime capacity: refused at the field, nothing saved', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const f = (await apiGet(page, '/facilities?type=hotel&limit=1')).items[0];
    const before = await apiGet(page, `/facilities/${f.id}`);
    assert.ok(before.peacetime_capacity > 0);
    await page.goto(`/facilities/${f.id}/edit`);
    const item = page.locator('.el-form-item', { has: page.getByText('平时容量', { exact: true }) });
    await item.locator('input').fill('');
    await item.locator('input').blur();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const err = item.locator('.el-form-item__error');
    await err.waitFor();
    const msg = await err.innerText();
    assert.match(msg, /不能为空/);
    assert.doesNotMatch(msg, NO_ENGLISH);
    const after = await apiGet(page, `/facilities/${f.id}`);
    assert.equal(after.peacetime_capacity, before.peacetime_capacity);
    assert.equal(after.version, before.version);
    await shot(page, 'clear-capacity');
    // more refusals at once: each at its field, in the server's words, nothing sent (the form
    // named one per attempt, as the server answers)
    const patches = [];
    page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.url()));
    const at = (label) => page.locator('.el-form-item', { has: page.getByText(label, { exact: true }) });
    await at('名称').locator('input').fill('   ');
    await at('纬度').locator('input').fill('95');
    await at('纬度').locator('input').blur();
    const cap0 = page.getByTestId('role-row-0').getByTestId('capacity-item');
    await cap0.locator('input').fill('1.5');
    await cap0.locator('input').blur();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await cap0.locator('.el-form-item__error').waitFor();
    const said = async (item) => item.locator('.el-form-item__error').innerText();
    assert.match(await said(item), /不能为空/);
    assert.match(await said(at('名称')), /不能只有空格/);
    assert.match(await said(at('纬度')), /-90.*90/);
    assert.match(await said(cap0), /整数/);
    for (const x of [item, at('名称'), at('纬度'), cap0]) assert.doesNotMatch(await said(x), NO_ENGLISH);
    assert.deepEqual(patches, []);
    assert.equal((await apiGet(page, `/facilities/${f.id}`)).version, before.version);
    await shot(page, 'facility-refusals-at-once');
    noProblems(page);
    await context.close();
  });
});
