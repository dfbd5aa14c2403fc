// Registering an elder as a grid worker on a phone: 性别 is not assumed (it was pre-filled 女, so a
// correct man's ID number was refused with a bare 身份证号无效) but read from the ID number's 17th
// digit as it is typed, and an ID number that disagrees with the sex chosen is said so at both
// fields, in Chinese and English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, idNumber, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const PHONE = { width: 390, height: 844 };

test('a new elder: 性别 starts unset, a man’s ID number makes it 男 and fills the birth date; a mismatch is said at 性别 and the ID', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  const me = await apiGet(page, '/auth/me');
  const grid = await apiGet(page, `/regions/${me.grid_ids[0]}`);
  await page.goto('/elders/new');
  await page.getByRole('heading', { name: '登记老人' }).waitFor();
  const sex = page.getByTestId('f-sex');
  assert.equal(await sex.locator('.el-select__selected-item:not(.is-hidden)').first().textContent().then((s) => s.trim()), '请选择', '性别 not pre-filled');
  const name = '测试登记' + (Date.now() % 100000);
  const id = idNumber('19500307', 'M');
  await page.getByTestId('f-name').locator('input').fill(name);
  await page.getByTestId('f-id').locator('input').fill(id);
  await sex.getByText('男', { exact: true }).waitFor();
  assert.equal(await page.getByTestId('f-birth').locator('input').inputValue(), '1950-03-07');
  await choose(page, page.getByTestId('f-grid').getByTestId('filter-grid'), grid.name);
  // the worker picks 女 against the ID: the reason at both fields
  await choose(page, sex, '女');
  await page.getByTestId('save-elder').click();
  const said = '身份证号与性别不符';
  await page.locator('.el-form-item', { has: sex }).locator('.el-form-item__error').getByText(said).waitFor();
  await page.getByTestId('f-id').locator('.el-form-item__error').getByText(said).waitFor();
  await shot(page, 'elder-new-sex-mismatch');
  assert.equal((await apiGet(page, '/elders?q=' + encodeURIComponent(name))).items.length, 0, 'nothing written');
  // in English too
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.getByRole('heading', { name: 'Register elder' }).waitFor();
  await page.getByTestId('f-name').locator('input').fill(name);
  await page.getByTestId('f-id').locator('input').fill(id);
  await sex.getByText('M', { exact: true }).waitFor();
  await choose(page, page.getByTestId('f-grid').getByTestId('filter-grid'), grid.name);
  await choose(page, sex, 'F');
  await page.getByTestId('save-elder').click();
  await page.getByTestId('f-id').locator('.el-form-item__error').getByText('The ID number does not match the sex').waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  // the sex the ID says: saved
  await choose(page, sex, 'M');
  await page.getByTestId('save-elder').click();
  await page.waitForURL(/\/elders\/\d+$/);
  const e = await apiGet(page, `/elders/${page.url().match(/elders\/(\d+)/)[1]}`);
  assert.equal(e.sex, 'M');
  noProblems(page);
  await context.close();
});

// 来源 of an elder registered in the console said in words (it showed the raw `manual`)
test('an elder registered in the console shows 来源 人工录入 (Entered by hand in English)', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  const me = await apiGet(page, '/auth/me');
  const id = idNumber('19500307', 'F');
  const res = await page.request.post('/api/v1/elders', {
    data: { name: '测试来源' + (Date.now() % 100000), sex: 'F', birth_date: '1950-03-07', id_number: id, grid_id: me.grid_ids[0], ability_level: 0 },
  });
  assert.ok(res.ok(), await res.text());
  const e = await res.json();
  assert.equal(e.source, 'manual');
  await page.goto(`/elders/${e.id}`);
  await page.getByText('人工录入', { exact: true }).waitFor();
  assert.equal(await page.getByText('manual', { exact: true }).count(), 0, 'no raw source value');
  await shot(page, 'elder-source-manual');
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.getByText('Entered by hand', { exact: true }).waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  noProblems(page);
  await context.close();
});

// a half-filled registration left by the back gesture asks first (it was discarded without a
// word); an untouched form leaves at once
test('leaving a half-filled elder or helper form asks first; kept on 继续填写, left on 放弃并离开; an empty one leaves at once', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/elders');
  const open = async () => {
    await page.getByTestId('new-elder').click();
    await page.getByRole('heading', { name: '登记老人' }).waitFor();
  };
  const box = page.getByRole('dialog', { name: '放弃未保存的内容？' });
  // nothing typed: back at once
  await open();
  await page.goBack();
  await page.waitForURL((u) => u.pathname === '/elders');
  assert.equal(await page.locator('.el-message-box').count(), 0, 'no question for an empty form');
  await open();
  await page.getByTestId('f-name').locator('input').fill('未保存的人');
  await page.goBack();
  await box.waitFor();
  await shot(page, 'elder-new-leave');
  await box.getByRole('button', { name: '继续填写' }).click();
  await box.waitFor({ state: 'hidden' });
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).pathname, '/elders/new', 'still on the form');
  assert.equal(await page.getByTestId('f-name').locator('input').inputValue(), '未保存的人', 'what was typed is kept');
  await page.goBack();
  await box.getByRole('button', { name: '放弃并离开' }).click();
  await page.waitForURL((u) => u.pathname === '/elders');
  // an elder's edit form, nothing changed: back at once
  const one = (await apiGet(page, '/elders?limit=1')).items[0];
  await page.getByTestId('new-elder').waitFor();
  await page.evaluate((id) => {
    history.pushState({}, '', `/elders/${id}/edit`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, one.id);
  await page.getByRole('heading', { name: new RegExp(one.name) }).waitFor();
  await page.waitForTimeout(1000);
  await page.goBack();
  await page.waitForURL((u) => u.pathname === '/elders');
  assert.equal(await page.locator('.el-message-box').count(), 0, 'no question for an unchanged edit form');
  // the helper form alike
  await page.goto('/helpers');
  await page.getByRole('link', { name: '登记互助员' }).click();
  await page.waitForURL((u) => u.pathname === '/helpers/new');
  await page.locator('.pj-form input').first().fill('未保存的帮扶人');
  // saved with the name alone: every other required field named at once, nothing sent (the
  // server names one per attempt: it took five saves)
  const posts = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/v1/helpers') && posts.push(r.url()));
  await page.getByTestId('save-helper').click();
  const summary = page.getByTestId('form-error');
  await summary.waitFor();
  assert.equal(await summary.innerText(), '请填写必填项：性别、出生日期、身份证号、所属网格');
  const fieldErrors = page.locator('.pj-form .el-form-item__error');
  await fieldErrors.nth(3).waitFor();
  assert.deepEqual(await fieldErrors.allInnerTexts(), ['请填写性别', '请填写出生日期', '请填写身份证号', '请填写所属网格']);
  assert.deepEqual(posts, []);
  await page.goBack();
  await box.waitFor();
  await box.getByRole('button', { name: '放弃并离开' }).click();
  await page.waitForURL((u) => u.pathname === '/helpers');
  noProblems(page);
  await context.close();
});
