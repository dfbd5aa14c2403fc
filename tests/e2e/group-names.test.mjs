// A screen reader says what each radio group and segmented control is for: the filters and
// view switches (alert state, proposal state, centre kind, coverage grouping and map need, a
// plan's affected area and demand, a calendar entry's one day or range) were read out as
// "segmented", or named by a form label that is not there. Every [role=radiogroup] of these
// pages has a name of its own, in Chinese and in English (a message key is not a name).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, villageRun, ADMIN_PW, DESKTOP, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Each radio group shown, with its accessible name (aria-labelledby's texts, else aria-label). */
const groups = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[role=radiogroup]')]
      .filter((el) => el.getClientRects().length)
      .map((el) => {
        const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
        const name = ids.length ? ids.map((id) => document.getElementById(id)?.textContent.trim() || '').join(' ').trim() : (el.getAttribute('aria-label') || '').trim();
        return { name, what: el.dataset.testid || el.className || el.tagName, options: el.textContent.trim().slice(0, 40) };
      }),
  );

/** The groups of the page that have no name of their own. */
function unnamed(found) {
  return found.filter((g) => !g.name || /^(segmented|radio-group)$/.test(g.name) || /^[a-zA-Z]+(\.[a-zA-Z_]+)+$/.test(g.name));
}

for (const lang of ['zh-CN', 'en']) {
  test(`every radio group and segmented control has a name (${lang})`, { timeout: budget(240000) }, async () => {
    const { context, page } = await openPage(browser, DESKTOP);
    await context.addInitScript((l) => localStorage.setItem('pj_locale', l), lang);
    const bad = [];
    let seen = 0;
    const check = async (where, min) => {
      let found = [];
      for (let i = 0; i < 20 && found.length < min; i++) {
        found = await groups(page);
        if (found.length < min) await page.waitForTimeout(150);
      }
      assert.ok(found.length >= min, `${where}: ${found.length} radio groups, ${min} expected`);
      seen += found.length;
      for (const g of unnamed(found)) bad.push(`${where}: ${g.what} (${g.options}) is named "${g.name}"`);
    };
    await page.goto('/login');
    await check('login', 1);
    await login(page, 'admin', ADMIN_PW);
    let run = (await apiGet(page, '/pairing-runs?limit=1')).items[0];
    if (!run) run = (await villageRun(page)).run;
    for (const [path, min] of [
      ['/dashboard?scenario=epidemic', 2],
      ['/plans', 2],
      ['/plans/new', 5],
      ['/elder-alerts', 2],
      ['/eldercare/coverage', 3],
      [`/pairing/${run.id}`, 2],
      ['/service-entry', 3],
    ]) {
      await page.goto(path);
      await page.locator('.pj-page').first().waitFor();
      await check(path, min);
    }
    await page.goto('/eldercare/centres');
    await check('/eldercare/centres', 2);
    await page.getByTestId('centre-add').click();
    await page.getByTestId('centre-a-kind').waitFor();
    await check('/eldercare/centres: a new centre', 4);
    await page.goto('/enterprise/calendar');
    await page.getByTestId('cal-add').click();
    await page.getByTestId('cal-mode').waitFor();
    await check('/enterprise/calendar: a new date', 3);
    assert.deepEqual(bad, [], `${bad.length} of ${seen} groups without a name`);
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
}
