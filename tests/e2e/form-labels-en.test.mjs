// Form labels in English: the forms whose label column was set for Chinese (96 px for 联系电话)
// broke "Contact phone", "Reception day", "Amount (10k yuan)", "Term (months)" and "Corrective
// action" over two lines of a label column's height. In English the column takes the widest
// label; every label is whole on one line, in English and in Chinese.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, choose, shot, DEMO_PW, budget } from './lib.mjs';

const LAPTOP = { width: 1366, height: 768 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The labels shown that are cut or set on more than one line. */
const brokenLabels = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.el-form-item__label')]
      .filter((el) => el.getClientRects().length && el.textContent.trim())
      .filter((el) => {
        const range = document.createRange();
        const tops = new Set();
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
        }
        return tops.size > 1 || el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => el.textContent.trim()),
  );

/** The broken labels of a form once it has settled (none within a few seconds: none at all). */
async function broken(page, what) {
  let cut = [];
  for (let i = 0; i < 20; i++) {
    cut = await brokenLabels(page);
    if (!cut.length) break;
    await page.waitForTimeout(150);
  }
  return cut.map((l) => `${what}: ${l}`);
}

for (const lang of ['en', 'zh-CN']) {
  test(`form labels whole on one line (${lang}): a new appeal, a financing need, a drill finding`, { timeout: budget(180000) }, async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await context.addInitScript((l) => localStorage.setItem('pj_locale', l), lang);
    await login(page, 'officer', DEMO_PW, { land: false });
    const bad = [];
    const whole = async (p, what) => bad.push(...(await broken(p, what)));

    await page.goto('/enterprise/appeals');
    await page.getByTestId('new-appeal').click();
    await page.getByTestId('appeal-phone').waitFor();
    await whole(page, 'a new appeal');
    await choose(page, page.getByTestId('appeal-channel'), lang === 'en' ? 'Reception day' : '接待日');
    await page.getByTestId('appeal-reception-day').waitFor();
    await whole(page, 'a new appeal taken at a reception day');
    await shot(page, `form-labels-appeal-${lang}`);

    await page.goto('/enterprise/finance');
    await page.getByTestId('new-need').click();
    await page.getByTestId('need-purpose').waitFor();
    await whole(page, 'a new financing need');
    await shot(page, `form-labels-need-${lang}`);

    const drill = (await apiGet(page, '/conversions?limit=1&mode=drill')).items[0];
    await page.goto(`/drills/${drill.id}`);
    await page.getByTestId('add-finding').click();
    await page.getByTestId('finding-form').waitFor();
    await whole(page, 'a drill finding');
    await shot(page, `form-labels-finding-${lang}`);
    assert.deepEqual(bad, [], 'labels broken');
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
}
