// On a laptop 1440 px wide (the side menu open) the bank-matching page shows every column of
// the needs and of a need's matches, the actions with them: the two tables side by side were
// each narrower than their columns, which cut off the matches' outcome and hid the bank's and
// the firm's buttons (approve, grant consent…) to the right of a sideways scroll. Below 1920 px
// they are stacked, and the matches of the need clicked are scrolled into view.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, DEMO_PW } from './lib.mjs';

const LAPTOP = { width: 1440, height: 900 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** How far the table's body scrolls sideways (0: every column shown). */
const hidden = (table) => table.evaluate((el) => Math.max(0, ...[...el.querySelectorAll('.el-scrollbar__wrap')].map((w) => w.scrollWidth - w.clientWidth)));

describe('1440 px wide', () => {
  test('bank matching: the needs and a need\'s matches with all their columns, the matches in view', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/enterprise/finance');
    const needs = page.getByTestId('need-table');
    await needs.locator('tbody tr').first().waitFor();
    assert.equal(await hidden(needs), 0, 'the needs table scrolls sideways');
    await needs.locator('tbody tr').nth(5).click();
    const matches = page.getByTestId('match-table');
    await matches.locator('tbody tr').first().waitFor();
    await page.waitForTimeout(800); // the scroll into view
    assert.equal(await hidden(matches), 0, 'the matches table scrolls sideways (its last columns are hidden)');
    const head = await page.getByTestId('need-matches').boundingBox();
    assert.ok(head.y >= 0 && head.y < LAPTOP.height - 100, `the matches begin at ${head.y} px, out of view`);
    await shot(page, 'laptop-finance');
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
});

describe('1440 px wide: registers', () => {
  test('the actions of a register stay in view (warehouses, doctor farms, a cohort\'s enrolments), in English', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
    const cohort = (await (await page.request.get('/api/v1/academy/cohorts?limit=1')).json()).items[0].id;
    for (const [path, id] of [
      ['/logistics/warehouses', 'warehouse-table'],
      ['/agri', 'agri-farms'],
      [`/academy/cohorts/${cohort}`, 'enrolment-table'],
    ]) {
      await page.goto(path);
      const table = page.getByTestId(id);
      await table.locator('tbody tr').first().waitFor();
      const out = await table.evaluate((t) => {
        const right = t.getBoundingClientRect().right;
        return [...t.querySelectorAll('.el-table__header th')].filter((th) => /^(Actions)$/.test(th.textContent.trim()) && th.getBoundingClientRect().right > right + 1).length;
      });
      const shown = await table.locator('.el-table__header th', { hasText: /^Actions$/ }).count();
      assert.ok(shown > 0, `${path}: no Actions column`);
      assert.equal(out, 0, `${path}: the Actions column lies to the right of the table's sideways scroll`);
      await shot(page, `laptop-${id}`);
    }
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
});
