// Printing from the browser: every page prints whole (a conversion manual, a conversion's
// cockpit, a plan: more than one sheet, no menu or header, the main area not cut at the first
// screen); the vulnerable-person sheet starts each grid on a new sheet, names the grid on every
// sheet and numbers the sheets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, solvedPlan, DEMO_PW, budget } from './lib.mjs';

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

describe('printing', { timeout: budget(300000) }, () => {
  for (const [what, url] of [
    ['a conversion manual', '/manuals/1'],
    ['a conversion’s cockpit', '/conversions/1'],
  ]) {
    test(`${what} prints whole, without the menu`, async () => {
      const { context, page } = await openPage(browser, WINDOW);
      await login(page, 'officer', DEMO_PW, { land: false });
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

  test('the vulnerable-person sheet: each grid from a new sheet, its name on every sheet, the sheets numbered', async () => {
    const { context, page } = await openPage(browser, WINDOW);
    await login(page, 'grid01', DEMO_PW);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto('/eldercare/vulnerable');
    const sheet = page.getByTestId('vulnerable-sheet');
    await sheet.locator('[data-count]').waitFor({ timeout: 60000 });
    const groups = sheet.locator('section.pj-group');
    const n = await groups.count();
    assert.ok(n >= 2, `${n} grids`);
    await page.emulateMedia({ media: 'print' });
    for (let i = 0; i < n; i++) {
      const g = groups.nth(i);
      const name = (await g.locator('h2').textContent()).trim().split(' ')[0];
      const head = g.getByTestId('vulnerable-grid-head');
      assert.equal(await head.isVisible(), true, 'the grid’s name heads its table on paper');
      assert.match(await head.innerText(), new RegExp(name));
      assert.equal(await head.evaluate((tr) => tr.parentElement.tagName), 'THEAD', 'repeated with the column headers');
      assert.equal(await g.locator('h2').isVisible(), false, 'not named twice');
      assert.equal(await g.evaluate((s) => getComputedStyle(s).breakBefore), i ? 'page' : 'auto', `grid ${i + 1} from a new sheet`);
    }
    // the sheets numbered "page / pages" (a margin box of the sheet's own @page)
    const numbered = await page.evaluate(() =>
      [...document.styleSheets].some((ss) => {
        const walk = (rules) => [...rules].some((r) => (r.cssRules && walk(r.cssRules)) || (r instanceof CSSPageRule && /counter\(pages\)/.test(r.cssText)));
        try {
          return walk(ss.cssRules);
        } catch {
          return false;
        }
      }),
    );
    assert.ok(numbered, 'a page counter');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    assert.equal(sheets(pdf), n, 'one sheet per grid (each of the demo’s is short)');
    await shot(page, 'print-vulnerable');
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await groups.first().getByTestId('vulnerable-grid-head').isVisible(), false, 'on screen the heading names the grid');
    noProblems(page);
    await context.close();
  });
});
