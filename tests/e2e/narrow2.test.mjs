// On a phone 390 px wide a record's details (el-descriptions) show every field: a facility's
// and a helper's fields in one column, each label and value inside its card (two or three
// columns of label and value ran past the card's right edge, which cut them off: a facility's
// state, township, address, coordinates and peacetime capacity could not be read), in English
// and in Chinese. The coverage report's totals (meals, doctor, company, visits…) keep their
// figures inside their cards (three cards a row ran 80.5% and 134.5 past the cards' edges).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Every cell of the details lies within its card and the window; returns the cells cut off. */
async function cutCells(page, testid) {
  const fields = page.getByTestId(testid);
  await fields.locator('.el-descriptions__cell').first().waitFor();
  return fields.evaluate((el) => {
    const card = el.closest('.el-card__body') || el.parentElement;
    const right = Math.min(card.getBoundingClientRect().right, window.innerWidth);
    return [...el.querySelectorAll('.el-descriptions__cell')].filter((c) => c.getBoundingClientRect().right > right + 1).map((c) => c.textContent.trim());
  });
}

describe('390 px wide: record details', () => {
  for (const locale of ['en', 'zh-CN']) {
    test(`a facility's and a helper's fields all within their card (${locale})`, async () => {
      const { context, page } = await openPage(browser, PHONE);
      await context.addInitScript((l) => localStorage.setItem('pj_locale', l), locale);
      await login(page, 'officer', DEMO_PW, { land: false });
      await page.goto('/facilities/1');
      assert.deepEqual(await cutCells(page, 'facility-fields'), [], 'facility: fields cut off at the right');
      await shot(page, `narrow2-facility-${locale}`);
      const helper = (await apiGet(page, '/helpers?limit=1')).items[0];
      await page.goto(`/helpers/${helper.id}`);
      assert.deepEqual(await cutCells(page, 'helper-fields'), [], 'helper: fields cut off at the right');
      await shot(page, `narrow2-helper-${locale}`);
      assert.deepEqual(page.problems, [], 'console errors');
      await context.close();
    });
  }

  test('the coverage report: every total inside its card (en)', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/eldercare/coverage');
    const totals = page.getByTestId('coverage-total');
    await totals.locator('.pj-total b').first().waitFor();
    const over = await totals.evaluate((el) =>
      [...el.querySelectorAll('.pj-total')]
        .filter((card) => {
          const c = card.getBoundingClientRect();
          return [...card.querySelectorAll('b, .pj-muted')].some((x) => {
            const r = document.createRange();
            r.selectNodeContents(x);
            return [...r.getClientRects()].some((b) => b.right > c.right + 0.5 || b.right > window.innerWidth);
          });
        })
        .map((card) => card.textContent.trim()),
    );
    assert.deepEqual(over, [], 'totals whose text runs past their card');
    await shot(page, 'narrow2-coverage-en');
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
});
