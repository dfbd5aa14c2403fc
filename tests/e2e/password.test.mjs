// The change-password dialog says every refusal, in the dialog's language, where it belongs: a
// weak new password at the new password (the server names field `password`), a wrong current
// password as such (not "wrong user name or password"), the lock after five wrong ones with
// how long it lasts (zh: the minutes too), whether the lock came with the fifth wrong password
// or is met later. And the user form's refusals say what is wrong: a user name taken, in
// Chinese; in English a field by its label, never its API name (facility_id).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, BASE, ADMIN_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** A viewer account made by the admin through the API; its password. */
async function newViewer(page, username) {
  const password = `Pw-${[...username].reverse().join("")}-2026!`;
  const res = await page.request.post(BASE + '/api/v1/users', { data: { username, display_name: username, role: 'viewer', password } });
  assert.equal(res.status(), 201, await res.text());
  return password;
}

/** Opens the dialog from the user menu (its title in the page's language). */
async function openDialog(page, title) {
  await page.locator('.pj-user').click();
  await page.getByRole('menuitem', { name: title }).click();
  const dlg = page.getByRole('dialog', { name: title });
  await dlg.waitFor();
  return dlg;
}

/** The error text shown under the form item labelled label ('' when none), read at once. An
 * error on its way out (Element Plus's leave transition keeps it in the page for a moment after
 * the next save cleared it) is not shown: counting it and then reading its text waited for an
 * element gone in between, when the server answered within the transition. */
async function fieldError(dlg, label) {
  const item = dlg.locator('.el-form-item', { has: dlg.page().locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) });
  const texts = await item.locator('.el-form-item__error:not(.el-zoom-in-top-leave-active)').allInnerTexts();
  return texts.join('').trim();
}

async function fill(dlg, labels, old, neu, again = neu) {
  const inputs = dlg.locator('input[type="password"], input[autocomplete$="password"]');
  await inputs.nth(0).fill(old);
  await inputs.nth(1).fill(neu);
  await inputs.nth(2).fill(again);
  await dlg.getByRole('button', { name: labels.save }).click();
}

const ZH = { title: '修改密码', old: '当前密码', neu: '新密码', save: '保存' };
const EN = { title: 'Change password', old: 'Current password', neu: 'New password', save: 'Save' };

describe('change password', () => {
  let admin;
  const pw = {};
  before(async () => {
    admin = await openPage(browser);
    await login(admin.page, 'admin', ADMIN_PW);
    for (const u of ['pwzh01', 'pwen01', 'pwzh02']) pw[u] = await newViewer(admin.page, u);
  });
  after(async () => {
    await admin?.context.close();
  });

  test('zh-CN: a weak new password at its field, a wrong current password as such, the lock with its minutes', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'pwzh01', pw.pwzh01);
    const dlg = await openDialog(page, ZH.title);
    // too short: the server's rule (at least 10 characters) at the new password
    await fill(dlg, ZH, pw.pwzh01, 'short1');
    await dlg.locator('.el-form-item__error').first().waitFor();
    assert.equal(await fieldError(dlg, ZH.neu), '密码强度不足：至少 10 个字符');
    // containing the user name: at the same field
    await fill(dlg, ZH, pw.pwzh01, 'xx-pwzh01-long-enough');
    await dlg.locator('.el-form-item__error', { hasText: '不能包含用户名' }).waitFor();
    assert.equal(await fieldError(dlg, ZH.neu), '密码强度不足：不能包含用户名');
    assert.equal(await fieldError(dlg, ZH.old), '');
    await shot(page, 'pw-weak-zh');
    // a wrong current password: said at the current password, as the current one
    await fill(dlg, ZH, 'not-the-password', 'a-good-new-password-1');
    await dlg.locator('.el-form-item__error', { hasText: '当前密码' }).waitFor();
    assert.equal(await fieldError(dlg, ZH.old), '当前密码不正确');
    assert.equal(await fieldError(dlg, ZH.neu), '');
    // three more wrong ones, then the fifth locks the name from this address for 15 minutes
    for (let i = 0; i < 3; i++) {
      await fill(dlg, ZH, 'not-the-password-' + i, 'a-good-new-password-1');
      await dlg.locator('.el-form-item__error', { hasText: '当前密码不正确' }).waitFor();
    }
    await fill(dlg, ZH, 'not-the-password-4', 'a-good-new-password-1');
    const alert = dlg.locator('.el-alert--error');
    await alert.waitFor();
    assert.match(await alert.innerText(), /^账号已被临时锁定：请 15 分钟后再试$/);
    await shot(page, 'pw-locked-zh');
    // while locked, even the right password is not checked: the lock again, with the minutes
    await fill(dlg, ZH, pw.pwzh01, 'a-good-new-password-1');
    await dlg.locator('.el-alert--error', { hasText: /请 1?\d 分钟后再试/ }).waitFor();
    assert.doesNotMatch(await dlg.innerText(), /[A-Za-z]{4,}/, 'no English in the Chinese dialog');
    noProblems(page);
    await context.close();
  });

  test('zh-CN: a password guessed first and the same password said as such; Enter saves', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'pwzh02', pw.pwzh02);
    const dlg = await openDialog(page, ZH.title);
    await fill(dlg, ZH, pw.pwzh02, '1234567890');
    await dlg.locator('.el-form-item__error', { hasText: '常见' }).waitFor();
    assert.equal(await fieldError(dlg, ZH.neu), '密码强度不足：过于常见，容易被猜中，请换一个');
    await fill(dlg, ZH, pw.pwzh02, 'aaaaabbbbb');
    await dlg.locator('.el-form-item__error', { hasText: '不同的字符' }).waitFor();
    await fill(dlg, ZH, pw.pwzh02, pw.pwzh02);
    await dlg.locator('.el-form-item__error', { hasText: '相同' }).waitFor();
    assert.equal(await fieldError(dlg, ZH.neu), '新密码不能与当前密码相同');
    // Enter in the last field saves, as the button does (the buttons stand outside the form)
    const inputs = dlg.locator('input[type="password"], input[autocomplete$="password"]');
    await inputs.nth(1).fill('Spring-rain-on-peach-2027');
    await inputs.nth(2).fill('Spring-rain-on-peach-2027');
    await inputs.nth(2).press('Enter');
    await dlg.waitFor({ state: 'hidden' });
    const res = await page.request.post(BASE + '/api/v1/auth/login', { data: { username: 'pwzh02', password: 'Spring-rain-on-peach-2027' } });
    assert.equal(res.status(), 200, 'the new password logs in');
    noProblems(page);
    await context.close();
  });

  test('English: the same refusals in English, without the log-in form\'s wording', async () => {
    const { context, page } = await openPage(browser, { width: 390, height: 844 });
    await page.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await login(page, 'pwen01', pw.pwen01);
    const dlg = await openDialog(page, EN.title);
    await fill(dlg, EN, pw.pwen01, 'short1');
    await dlg.locator('.el-form-item__error').first().waitFor();
    assert.match(await fieldError(dlg, EN.neu), /at least 10 characters/);
    await fill(dlg, EN, 'not-the-password', 'a-good-new-password-1');
    await dlg.locator('.el-form-item__error', { hasText: /current password/i }).waitFor();
    const wrong = await fieldError(dlg, EN.old);
    assert.match(wrong, /current password is wrong/i);
    assert.doesNotMatch(wrong, /user name/i);
    for (let i = 0; i < 4; i++) await fill(dlg, EN, 'not-the-password-' + i, 'a-good-new-password-1');
    const alert = dlg.locator('.el-alert--error');
    await alert.waitFor();
    assert.match(await alert.innerText(), /locked.*15 minutes/i);
    await shot(page, 'pw-locked-en-390');
    noProblems(page);
    await context.close();
  });
});

describe('user form wording', () => {
  test('zh-CN: a user name taken is said so; English: a field by its label, not its API name', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/admin/users');
    await page.getByRole('button', { name: '新建用户' }).click();
    let dlg = page.getByRole('dialog', { name: '新建用户' });
    await dlg.locator('input[name="new-username"]').fill('officer');
    await dlg.locator('input[name="new-password"]').fill('a-long-enough-password');
    await dlg.getByTestId('user-save').click();
    const taken = dlg.locator('.el-form-item__error');
    await taken.first().waitFor();
    assert.equal((await taken.first().innerText()).trim(), '该用户名已被使用');
    await dlg.getByRole('button', { name: '取消' }).click();

    await page.locator('.pj-tools').getByText('English').click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    dlg = page.getByRole('dialog', { name: 'New user' });
    await dlg.locator('input[name="new-username"]').fill('opfacility9');
    await dlg.locator('input[name="new-password"]').fill('a-long-enough-password');
    await dlg.getByTestId('user-role').click();
    await page.getByRole('option', { name: 'Facility operator', exact: true }).click();
    await dlg.getByTestId('user-save').click();
    const err = dlg.locator('.el-form-item__error');
    await err.first().waitFor();
    const text = (await err.first().innerText()).trim();
    assert.doesNotMatch(text, /facility_id/, text);
    assert.match(text, /Required: .*facility/i);
    await dlg.locator('input[name="new-username"]').fill('officer');
    await dlg.getByTestId('user-role').click();
    await page.getByRole('option', { name: 'Viewer', exact: true }).click();
    await dlg.getByTestId('user-save').click();
    await dlg.locator('.el-form-item__error', { hasText: /taken/ }).waitFor();
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });
});
