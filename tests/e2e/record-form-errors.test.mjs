// The record forms (agri-tech, logistics, the academy's registers) named the API's fields in
// English messages — "Birth_date is required", "Tonnes is required" under 货运量 (Freight (t)) —
// and kept a field's message after the field was corrected, until the next save.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a record form: the label in the message, and the message gone once the field is changed', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto('/logistics');
  await page.getByRole('tab', { name: 'Monthly freight' }).click();
  await page.getByTestId('log-add-freight').click();
  const dlg = page.getByTestId('log-form-freight');
  const field = dlg.getByTestId('f-tonnes');
  const label = (await field.locator('.el-form-item__label').innerText()).trim();
  const month = dlg.getByTestId('f-month').locator('input').first();
  await month.fill('2019-03');
  await month.press('Enter');
  const input = field.locator('input').first();
  await input.fill('-5'); // refused by the server, at its field
  await input.press('Tab');
  const res = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/logistics/freight'));
  await dlg.getByTestId('record-save').click();
  const r = await res;
  assert.equal(r.status(), 422);
  assert.equal((await r.json()).error.field, 'tonnes');
  const err = field.locator('.el-form-item__error');
  await err.waitFor();
  const text = (await err.innerText()).trim();
  assert.ok(!/tonnes|_/i.test(text), `the API's name in "${text}"`);
  assert.ok(text.includes(label.replace(/^\*\s*/, '')), `"${text}" names ${label}`);
  // corrected: the message goes before any save
  await input.fill('1200');
  await input.press('Tab');
  await err.waitFor({ state: 'detached' });
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors');
  await context.close();
});
