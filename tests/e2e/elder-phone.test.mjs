// An elder's phone is one someone can call back: "12345" was saved from the elder form (the form
// did not check it, the server took 5–20 digits). The form now says so at the field and sends
// nothing; the server refuses it too, and a real number is saved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('电话: a five-digit phone is refused at the field and nothing is sent; a real one is saved', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW);
  const elder = (await apiGet(page, '/elders?status=active&limit=1')).items[0];
  const sent = [];
  page.on('request', (r) => r.method() === 'PATCH' && new URL(r.url()).pathname === `/api/v1/elders/${elder.id}` && sent.push(r.postData()));
  await page.goto(`/elders/${elder.id}/edit`);
  const phone = page.getByTestId('f-phone').locator('input');
  await phone.waitFor();
  await phone.fill('12345');
  await page.getByTestId('save-elder').click();
  await page.getByTestId('f-phone').locator('.el-form-item__error').getByText('电话号码至少 7 位数字', { exact: true }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(sent.length, 0, 'nothing sent');
  // the server says the same to a client that does not check
  const v = (await apiGet(page, `/elders/${elder.id}`)).version;
  const refused = await page.request.patch(`${BASE}/api/v1/elders/${elder.id}`, { data: { version: v, phone: '12345' } });
  assert.equal(refused.status(), 422);
  assert.equal((await refused.json()).error.field, 'phone');
  await phone.fill('13800001234');
  await page.getByTestId('save-elder').click();
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  assert.equal(sent.length, 1);
  assert.equal(JSON.parse(sent[0]).phone, '13800001234');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
