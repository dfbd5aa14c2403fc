// The vulnerable-person sheet is the whole list: its count is the API's count, however many
// pages the list takes, and a list cut short says so and is not printed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, ADMIN_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Every vulnerable person of the admin's scope, read page by page from the API. */
async function apiTotal(page) {
  let n = 0;
  let cursor = '';
  for (;;) {
    const r = await apiGet(page, `/eldercare/vulnerable?limit=500${cursor ? '&cursor=' + cursor : ''}`);
    n += r.items.length;
    if (!r.next_cursor) return n;
    cursor = r.next_cursor;
  }
}

/** The page asks for pages of `size` people (the demo is small: small pages make it many). */
async function pagesOf(page, size) {
  await page.route(/\/api\/v1\/eldercare\/vulnerable\?/, (route) => {
    const u = new URL(route.request().url());
    u.searchParams.set('limit', String(size));
    return route.continue({ url: u.toString() });
  });
}

const rowsShown = (page) => page.getByTestId('vulnerable-sheet').locator('tbody tr').count();

describe('vulnerable-person sheet', { timeout: budget(300000) }, () => {
  test('the count shown is the API’s count, read over more than ten pages', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    const total = await apiTotal(page);
    const size = Math.ceil(total / 15); // 15–16 pages: more than the ten the sheet used to stop at
    assert.ok(size >= 2 && total > 10 * size, `a list of ${total} people in pages of ${size}`);
    await pagesOf(page, size);
    await page.goto('/eldercare/vulnerable');
    const sheet = page.getByTestId('vulnerable-sheet');
    // the count once the list is read (rows shown, the sheet's loading mask gone)
    await sheet.locator('tbody tr').first().waitFor({ timeout: 60000 });
    await sheet.locator('.el-loading-mask').waitFor({ state: 'hidden', timeout: 60000 });
    const shown = (await sheet.locator('p', { hasText: /共 [\d,]+ 人/ }).innerText()).match(/共 ([\d,]+) 人/)[1];
    assert.equal(Number(shown.replace(/,/g, '')), total, 'the count shown is the API’s');
    assert.equal(await rowsShown(page), total, 'a row for everyone');
    assert.equal(await page.getByTestId('vulnerable-partial').count(), 0);
    assert.equal(await page.getByTestId('print').isEnabled(), true);
    await shot(page, 'vulnerable-complete');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a list longer than the page reads says it is not complete, and is not printed', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    const total = await apiTotal(page);
    assert.ok(total > 200, `${total} people: more than 200 pages of one`);
    await pagesOf(page, 1);
    await page.goto('/eldercare/vulnerable');
    const partial = page.getByTestId('vulnerable-partial');
    await partial.waitFor({ timeout: 120000 });
    const shown = await rowsShown(page);
    assert.ok(shown < total);
    assert.match(await partial.innerText(), new RegExp(`Only the first ${shown.toLocaleString('en-US')} people`));
    // the sheet itself (what is printed) says so too, and has no complete-looking count
    assert.match(await page.getByTestId('vulnerable-count').innerText(), /NOT complete/);
    assert.equal(await page.locator('[data-count]').count(), 0);
    assert.equal(await page.getByTestId('print').isDisabled(), true);
    await shot(page, 'vulnerable-partial');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
