// The side menu's fold button stays below the menu: with the groups open, the menu is taller
// than a laptop's screen, and the button was drawn over its last entries (审计日志, 区域发展),
// which a click on them then missed. The menu scrolls within its own column instead, every
// entry can be brought into view and clicked, and the button never covers one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ADMIN_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The menu entries (items and group titles) the fold button overlaps, by their text. */
const covered = (page) =>
  page.evaluate(() => {
    const fold = document.querySelector('.pj-aside .pj-collapse').getBoundingClientRect();
    const aside = document.querySelector('.pj-aside');
    const nav = aside.querySelector('.pj-nav');
    // what is shown: the part of the column the menu's scrolling box (or the column) shows
    const box = (getComputedStyle(nav).overflowY === 'visible' ? aside : nav).getBoundingClientRect();
    return [...document.querySelectorAll('.pj-aside .el-menu-item, .pj-aside .el-sub-menu__title')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.height === 0) return false; // in a closed group
        const top = Math.max(r.top, box.top), bottom = Math.min(r.bottom, box.bottom);
        if (bottom <= top) return false; // scrolled out of view: not shown
        return top < fold.bottom - 1 && bottom > fold.top + 1;
      })
      .map((el) => el.textContent.trim());
  });

for (const [name, viewport] of [
  ['1366 × 768', { width: 1366, height: 768 }],
  ['1920 × 1080', { width: 1920, height: 1080 }],
]) {
  describe(`side menu at ${name}`, () => {
    test('every group open: the fold button covers no entry, the last entry scrolls into view and opens its page', async () => {
      const { context, page } = await openPage(browser, viewport);
      await login(page, 'admin', ADMIN_PW);
      const menu = page.getByTestId('console-menu');
      // open every closed group
      const titles = menu.locator('.el-sub-menu:not(.is-opened) > .el-sub-menu__title');
      for (let n = await titles.count(); n > 0; n = await titles.count()) {
        await titles.first().click();
        await page.waitForTimeout(350); // the group's opening
      }
      assert.deepEqual(await covered(page), [], 'entries under the fold button');
      const last = menu.locator('.el-menu-item').last();
      await last.scrollIntoViewIfNeeded();
      assert.deepEqual(await covered(page), [], 'entries under the fold button once scrolled');
      const text = (await last.textContent()).trim();
      const before = page.url();
      await last.click();
      await page.waitForURL((u) => u.href !== before);
      assert.equal((await menu.locator('.el-menu-item.is-active').textContent()).trim(), text, 'the last entry opened its page');
      // the fold button is still where it was, and works
      const fold = menu.locator('.pj-collapse');
      const box = await fold.boundingBox();
      assert.ok(box && box.y >= viewport.height - box.height - 2 && box.y + box.height <= viewport.height + 1, `the fold button is not at the foot of the menu (${JSON.stringify(box)})`);
      await shot(page, `menu-fold-${viewport.width}`);
      await fold.click();
      await page.waitForFunction(() => document.querySelector('.pj-aside').getBoundingClientRect().width < 100);
      assert.deepEqual(page.problems, [], 'console errors');
      await context.close();
    });
  });
}
