// A bank publishes and changes its financing products in the console (政银企 › 金融产品: it could
// only read them there; a product was published through the API). A bank's account publishes for
// its own bank and edits only its own products; the rule is checked before saving; the district
// picks the bank. Enterprises and viewers are offered neither.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, ADMIN_PW, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('金融产品: a bank publishes one and changes it; others see no buttons', { timeout: budget(120000) }, async () => {
  const admin = await openPage(browser);
  await login(admin.page, 'admin', ADMIN_PW);
  const abc = (await apiGet(admin.page, '/organisations?q=' + encodeURIComponent('中国农业银行北京平谷支行'))).items.find((o) => o.type === 'bank');
  const tag = String(Date.now() % 100000);
  await apiSend(admin.page, 'post', '/users', { username: `bankp${tag}`, role: 'enterprise', organisation_id: abc.id, password: 'long-enough-pw-9' });
  await admin.context.close();

  const { context, page } = await openPage(browser);
  await login(page, `bankp${tag}`, 'long-enough-pw-9', { land: false });
  await page.goto('/enterprise/finance');
  await page.getByRole('tab', { name: '金融产品' }).click();
  await page.getByTestId('new-product').click();
  const form = page.getByTestId('product-form');
  assert.equal(await form.getByTestId('prf-bank').count(), 0, 'a bank publishes for its own bank');
  const name = `控制台贷${tag}`;
  await form.getByTestId('prf-name').locator('input').fill(name);
  await form.getByTestId('prf-min').locator('input').fill('50');
  await form.getByTestId('prf-max').locator('input').fill('500');
  await form.getByTestId('prf-rate').locator('input').fill('3.2');
  await form.getByTestId('prf-term').locator('input').fill('24');
  const rule = form.getByTestId('pf-rule').locator('textarea');
  await rule.fill('employees >= and credit == "A"');
  await form.getByTestId('pf-check').click();
  await form.locator('.el-form-item__error').filter({ hasText: 'column' }).waitFor();
  await rule.fill('employees >= 10 and credit == "A"');
  await form.getByTestId('pf-check').click();
  await form.getByTestId('pf-check-ok').waitFor();
  const made = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/enterprise/bank-products'));
  await form.getByTestId('prf-save').click();
  assert.equal((await made).status(), 201);
  await form.waitFor({ state: 'hidden' });
  const row = page.getByTestId('product-table').locator('tr', { hasText: name });
  await row.waitFor();
  const p = (await apiGet(page, '/enterprise/bank-products?limit=500')).items.find((x) => x.name === name);
  assert.equal(p.bank_id, abc.id);
  assert.equal(p.min_wan, 50);
  assert.equal(p.max_wan, 500);
  assert.equal(p.conditions, 'employees >= 10 and credit == "A"');
  // changed: the rate only, under its version
  await page.getByTestId('edit-product-' + p.id).click();
  await form.getByTestId('prf-rate').locator('input').fill('2.9');
  const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/enterprise/bank-products/${p.id}`));
  await form.getByTestId('prf-save').click();
  const pr = await patched;
  assert.equal(pr.status(), 200);
  assert.deepEqual(Object.keys(JSON.parse(pr.request().postData())).sort(), ['rate_pct', 'version']);
  const after = await apiGet(page, `/enterprise/bank-products/${p.id}`);
  assert.equal(after.rate_pct, 2.9);
  // another bank's product: no 编辑
  const other = (await apiGet(page, '/enterprise/bank-products?limit=500')).items.find((x) => x.bank_id !== abc.id);
  if (other) assert.equal(await page.getByTestId('edit-product-' + other.id).count(), 0);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
  for (const who of ['jd', 'viewer']) {
    const o = await openPage(browser);
    await login(o.page, who, DEMO_PW);
    await o.page.goto('/enterprise/finance');
    await o.page.getByRole('tab', { name: '金融产品' }).click();
    await o.page.getByTestId('product-table').waitFor();
    assert.equal(await o.page.getByTestId('new-product').count(), 0, `${who}: no 发布金融产品`);
    await o.context.close();
  }
});
