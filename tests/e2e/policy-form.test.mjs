// The district keeps the policy library in the console (it could only read it there: a policy
// was added or changed through the API or the command line). 新增政策 opens the form: the rule
// is checked before saving (a syntax error names its column at the field, a value no firm has
// is warned of); saved, the new policy opens on its page with the firms that qualify. 修改 on
// that page changes it under its version; a date the server refuses is said at its field and
// nothing is written. Township officers and viewers are offered neither.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('惠企政策: a policy added and changed from the console', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW, { land: false });
  const stamp = Date.now() % 100000;
  const title = `控制台政策${stamp}`;
  await page.goto('/enterprise/policies');
  await page.getByTestId('new-policy').click();
  const form = page.getByTestId('policy-form');
  await form.getByTestId('pf-title').locator('input').fill(title);
  await form.getByTestId('pf-issuer').locator('input').fill('区商务局');
  const rule = form.getByTestId('pf-rule').locator('textarea');
  // a syntax error: at the field, with its column
  await rule.fill('employees >= 10 and and industry == "logistics"');
  await form.getByTestId('pf-check').click();
  await form.locator('.el-form-item__error').filter({ hasText: 'column 21' }).waitFor();
  // a value no firm has: warned of, and the rule may still be saved
  await rule.fill('employees >= 10 and industry in ["logistics", "Logistix"]');
  await form.getByTestId('pf-check').click();
  await form.getByTestId('pf-check-warnings').getByText('Logistix', { exact: false }).waitFor();
  await form.locator('.el-form-item__error').waitFor({ state: 'detached' });
  await rule.fill('employees >= 10 and industry == "logistics"');
  await form.getByTestId('pf-check').click();
  await form.getByTestId('pf-check-ok').waitFor();
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/enterprise/policies'));
  await form.getByTestId('pf-save').click();
  assert.equal((await created).status(), 201);
  await page.waitForURL(/\/enterprise\/policies\/\d+$/);
  const id = Number(page.url().split('/').pop());
  const saved = await apiGet(page, `/enterprise/policies/${id}`);
  assert.equal(saved.title, title);
  assert.equal(saved.conditions, 'employees >= 10 and industry == "logistics"');
  assert.ok(saved.eligible_count > 0, 'the demo has logistics firms');
  await page.getByRole('heading', { name: title }).waitFor();
  // changed: an end before the issue date is refused at its field, nothing written
  await page.getByTestId('edit-policy').click();
  await form.getByTestId('pf-title').locator('input').waitFor();
  const until = form.getByTestId('pf-until').locator('input');
  await until.fill('2020-01-01');
  await until.press('Enter');
  await form.getByTestId('pf-save').click();
  await form.locator('.el-form-item__error').first().waitFor();
  assert.equal((await apiGet(page, `/enterprise/policies/${id}`)).version, saved.version);
  await until.fill('');
  await until.press('Enter');
  await form.getByTestId('pf-benefit').locator('textarea').fill('最高补贴 50 万元');
  const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/enterprise/policies/${id}`));
  await form.getByTestId('pf-save').click();
  assert.equal((await patched).status(), 200);
  await form.waitFor({ state: 'hidden' });
  const after = await apiGet(page, `/enterprise/policies/${id}`);
  assert.equal(after.benefit, '最高补贴 50 万元');
  assert.equal(after.valid_until ?? null, null);
  assert.equal(after.version, saved.version + 1);
  await page.getByText('最高补贴 50 万元').waitFor();
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
  // others are offered neither
  for (const who of ['jinhaihu', 'viewer']) {
    const o = await openPage(browser);
    await login(o.page, who, DEMO_PW);
    await o.page.goto(`/enterprise/policies/${id}`);
    await o.page.getByRole('heading', { name: title }).waitFor();
    assert.equal(await o.page.getByTestId('edit-policy').count(), 0, `${who}: no 修改`);
    await o.page.goto('/enterprise/policies');
    await o.page.getByTestId('policy-table').waitFor();
    assert.equal(await o.page.getByTestId('new-policy').count(), 0, `${who}: no 新增政策`);
    await o.context.close();
  }
});
