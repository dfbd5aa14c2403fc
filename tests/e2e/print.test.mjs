// Printing from the browser: every page prints whole (a conversion manual, a conversion's
// cockpit, a plan: more than one sheet, no menu or header, the main area not cut at the first
// screen).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, solvedPlan, DEMO_PW } from './lib.mjs';

const WINDOW = { width: 1400, height: 900 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
/** The sheets of a PDF Chromium made (one page object each). */
const sheets = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) || []).length;

/** The page as printed: the menu and header hidden, the main area as high as its content. */
async function printed(page) {
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => {
    const main = document.querySelector('.el-main');
    const shown = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
    return { aside: shown('.pj-aside'), header: shown('.el-header'), clipped: main.scrollHeight > main.clientHeight + 1, overflow: getComputedStyle(main).overflowY, shell: getComputedStyle(document.querySelector('.pj-shell')).height };
  });
  assert.equal(r.aside, false, 'no menu on paper');
  assert.equal(r.header, false, 'no header on paper');
  assert.equal(r.clipped, false, `the main area is not cut off (${JSON.stringify(r)})`);
  assert.equal(r.overflow, 'visible');
  const pdf = await page.pdf({ preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  return sheets(pdf);
}

describe('printing', { timeout: 300000 }, () => {
  for (const [what, url] of [
    ['a conversion manual', '/manuals/1'],
    ['a conversion’s cockpit', '/conversions/1'],
  ]) {
    test(`${what} prints whole, without the menu`, async () => {
      const { context, page } = await openPage(browser, WINDOW);
      await login(page, 'officer', DEMO_PW);
      await page.goto(url);
      await page.locator('.el-table tbody tr').first().waitFor();
      await page.waitForTimeout(500);
      const tall = await page.evaluate(() => document.querySelector('.el-main').scrollHeight > window.innerHeight);
      assert.ok(tall, `${url} is longer than the window`);
      const n = await printed(page);
      assert.ok(n >= 1, `${url}: ${n} sheet(s)`);
      noProblems(page);
      await context.close();
    });
  }

  test('a plan prints on more than one sheet, without the menu', async () => {
    const { context, page } = await openPage(browser, WINDOW);
    await login(page, 'officer', DEMO_PW);
    const plan = await solvedPlan(page, '打印测试方案');
    await page.goto(`/plans/${plan.id}`);
    await page.getByTestId('plan-sites').locator('tbody tr').first().waitFor();
    await page.waitForTimeout(500);
    const n = await printed(page);
    assert.ok(n > 1, `the plan prints on ${n} sheet(s)`);
    noProblems(page);
    await context.close();
  });
});
