// A form's errors reach a screen reader and the keyboard (web/README.md "Accessibility"): a
// field's message is in a live region (role="alert"), its control is aria-invalid and described
// by the message (as Chromium's accessibility tree sees it), the focus goes to the first field
// in error, and all of it goes with the error. A form's own check (the login form, zh-CN, also
// failing again) and the server's 422 at a field (the user form, English), and a conflict (409)
// said above the form. Nothing is stored but one display name, put back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, choose, apiGet, BASE, ADMIN_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/**
 * What a screen reader gets from a form item's control: its aria-invalid, whether its
 * aria-describedby names the element holding the item's message, whether that message is in a
 * live region, whether the control has the focus, and Chromium's computed description and
 * invalid state of it.
 */
async function field(page, control) {
  const dom = await control.evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const msg = el.closest('.el-form-item').querySelector('.el-form-item__error');
    return {
      id: el.id,
      invalid: el.getAttribute('aria-invalid'),
      message: msg ? msg.textContent.trim() : '',
      describedByMessage: !!msg && ids.some((id) => document.getElementById(id) === msg),
      live: !!msg && !!msg.closest('[role="alert"], [aria-live="assertive"], [aria-live="polite"]'),
      focused: document.activeElement === el,
    };
  });
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#' + CSS_escape(dom.id) });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const ax = nodes[0];
    dom.axDescription = ax.description?.value || '';
    dom.axInvalid = (ax.properties || []).find((p) => p.name === 'invalid')?.value?.value || 'false';
  } finally {
    await cdp.detach();
  }
  return dom;
}
const CSS_escape = (s) => s.replace(/[^\w-]/g, (c) => '\\' + c);

/** The message is shown, announced, tied to the control, and the control has the focus. */
async function assertError(page, control, what, { focused = true } = {}) {
  await control.locator('xpath=ancestor::div[contains(@class,"el-form-item")][1]').locator('.el-form-item__error').waitFor();
  const f = await field(page, control);
  assert.ok(f.message, `${what}: a message is shown`);
  assert.ok(f.live, `${what}: the message is in a live region`);
  assert.equal(f.invalid, 'true', `${what}: aria-invalid`);
  assert.ok(f.describedByMessage, `${what}: aria-describedby names the message`);
  assert.equal(f.axDescription, f.message, `${what}: the accessible description is the message`);
  assert.notEqual(f.axInvalid, 'false', `${what}: invalid in the accessibility tree`);
  if (focused) assert.ok(f.focused, `${what}: has the focus`);
  return f;
}
async function assertFine(page, control, what) {
  const item = control.locator('xpath=ancestor::div[contains(@class,"el-form-item")][1]');
  await item.locator('.el-form-item__error').waitFor({ state: 'detached' });
  const f = await field(page, control);
  assert.equal(f.invalid, null, `${what}: no aria-invalid once right`);
  assert.ok(!f.describedByMessage, `${what}: described by no message`);
  assert.equal(f.axInvalid, 'false', `${what}: not invalid in the accessibility tree`);
}

test("a form's own check (login, zh-CN): both fields in error, the first focused; again with one fixed", async () => {
  const { context, page } = await openPage(browser);
  await page.goto('/login');
  const user = page.getByLabel('用户名');
  const pass = page.getByLabel(/^密码$/);
  await page.getByRole('button', { name: '登录' }).click();
  const u = await assertError(page, user, 'user name');
  assert.equal(u.message, '请输入用户名');
  await assertError(page, pass, 'password', { focused: false });
  // the user name filled in, sent again: its error goes, the password keeps its (same) message
  // and now has the focus
  await user.fill('admin');
  await page.getByRole('button', { name: '登录' }).click();
  await assertFine(page, user, 'user name');
  await assertError(page, pass, 'password (again)');
  noProblems(page);
  await context.close();
});

test("the server's 422 at a field (user form, English), then a 409 conflict said in an alert", async () => {
  const { context, page } = await openPage(browser);
  await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
  await login(page, 'admin', ADMIN_PW, { land: false });
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dlg = page.getByRole('dialog', { name: 'New user' });
  await dlg.getByLabel('User name').fill('a11y_never_saved');
  const pass = dlg.getByLabel('Password', { exact: true });
  await pass.fill('short');
  await dlg.getByTestId('user-save').click(); // 422 out_of_range at password: nothing stored
  const p = await assertError(page, pass, 'password');
  assert.match(p.message, /10/, 'the server rule (at least 10 characters) is said');
  // the password right, but a township officer without a township: 422 at the township select
  await pass.fill('Pinggu-a11y-2026');
  await choose(page, dlg.getByTestId('user-role'), 'Township officer');
  await dlg.getByTestId('user-save').click();
  const town = dlg.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: /^Township$/ }) }).locator('input[role="combobox"]');
  await assertError(page, town, 'township');
  await assertFine(page, pass, 'password');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await dlg.waitFor({ state: 'hidden' });
  const all = (await apiGet(page, '/users?limit=500')).items;
  assert.ok(!all.some((x) => x.username === 'a11y_never_saved'), 'no user was made');

  // a form-level error: someone else changed the user meanwhile (409), said in an alert
  const viewer = all.find((x) => x.role === 'viewer' && !x.disabled);
  assert.ok(viewer, 'a demo viewer to edit');
  await page.getByTestId('user-table').locator('tbody tr', { hasText: viewer.username }).first().getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: `Edit user ${viewer.username}` });
  await edit.locator('input[name="display-name"]').fill(viewer.display_name + ' (a11y)');
  const patch = async (v, display_name) => {
    const res = await page.request.patch(`${BASE}/api/v1/users/${viewer.id}`, { data: { version: v, display_name } });
    assert.equal(res.status(), 200, await res.text());
    return res.json();
  };
  const theirs = await patch(viewer.version, viewer.display_name + ' (meanwhile)');
  try {
    await edit.getByTestId('user-save').click();
    const alert = edit.getByRole('alert').filter({ hasText: 'Someone else changed this user meanwhile' });
    await alert.waitFor();
    assert.equal(await edit.getByTestId('user-conflict').getAttribute('role'), 'alert', 'the conflict is an alert');
  } finally {
    await patch(theirs.version, viewer.display_name); // the demo user's name as it was
  }
  noProblems(page);
  await context.close();
});
