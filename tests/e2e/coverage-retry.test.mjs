// A report asked while the user's others are still being made (a second tab open: 429 with
// Retry-After) is asked again by itself: the page showed "您已有报表或导出在生成，请 2 秒后再试"
// and stayed empty. The coverage table's hours and helpers are grouped in thousands as the cards
// above them (6,376.8, not 6376.8; 1,919 / 2,129, not 1919 / 2129), and the visits card keeps
// its two figures on one line.
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

test('a report answered 429 is asked again after its Retry-After; its figures are grouped', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  let asked = 0;
  const busy = { error: { code: 'too_many_requests', field: '', message: 'you have 2 reports waiting or running; ask again once one is answered (try again in 1 s)', request_id: 'e2e' } };
  await page.route('**/api/v1/eldercare/coverage?*', async (r) => {
    asked++;
    if (asked === 1) return r.fulfill({ status: 429, headers: { 'Retry-After': '1' }, json: busy });
    // the real report, its first row given figures in the thousands
    const res = await r.fetch();
    const body = await res.json();
    Object.assign(body.rows[0], { hours_given: 12345.6, helpers_active: 1919, helpers: 2129 });
    return r.fulfill({ response: res, json: body });
  });
  await page.goto('/eldercare/coverage');
  const table = page.getByTestId('coverage-table');
  await table.getByTestId('coverage-hours').first().waitFor();
  assert.ok(asked >= 2, 'asked again');
  assert.equal(await page.locator('.el-alert', { hasText: '您已有报表或导出在生成' }).count(), 0);
  assert.ok((await page.getByTestId('coverage-name').count()) > 0);
  assert.ok((await table.getByTestId('coverage-hours').allInnerTexts()).includes('12,345.6'));
  assert.ok((await table.getByTestId('coverage-helpers').allInnerTexts()).includes('1,919 / 2,129'));
  for (const h of await table.getByTestId('coverage-hours').allInnerTexts()) assert.match(h, /^\d{1,3}(,\d{3})*(\.\d)?$/);
  // the visits card: one line (its height one line of its figures, not two)
  const pair = page.getByTestId('coverage-visits-total');
  const box = await pair.boundingBox();
  const line = await pair.evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * 1.8);
  assert.ok(box.height < line, `visits card ${box.height}px tall, one line is under ${line}px`);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
