// The lists on an office laptop (1366 × 768, the side menu open), in Chinese and in English, as
// the admin (who sees every column): no table scrolls sideways under its fixed actions column (the
// facilities' time updated was hidden under it, "Upda…"; the warehouses' table was 1,440 px in
// 1,032), no state badge is cut in its cell ("Converting", "Under construction"), no cell cuts
// its text (a cohort's dates "2026-01-…", an alert's kind). Columns that do not fit there are
// shown from 1,500 px on. The appeals' and policies' long organisation names are cut with a
// tooltip by design and are not looked at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, ADMIN_PW, budget } from './lib.mjs';

const LAPTOP = { width: 1366, height: 768 };
const PAGES = ['/facilities', '/facilities/1', '/drills', '/conversions', '/manuals', '/stock', '/elders', '/helpers', '/elder-alerts', '/eldercare/centres', '/admin/audit', '/academy', '/agri', '/logistics/warehouses', '/development/carbon'];
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** What does not fit in the page's visible tables, once they have rows. */
const misfits = (page) =>
  page.evaluate(() => {
    const out = [];
    for (const t of document.querySelectorAll('.el-table')) {
      if (!t.offsetParent) continue;
      const name = t.dataset.testid || 'table';
      const w = t.querySelector('.el-table__body-wrapper .el-scrollbar__wrap');
      if (w && w.scrollWidth > w.clientWidth + 1) out.push(`${name} scrolls sideways: ${w.scrollWidth} px in ${w.clientWidth} px`);
      for (const tag of t.querySelectorAll('tbody .el-tag')) {
        const c = tag.closest('td').getBoundingClientRect();
        const b = tag.getBoundingClientRect();
        if (b.right > c.right + 1 || tag.scrollWidth > tag.clientWidth + 1) out.push(`${name}: the badge ${tag.textContent.trim()} is cut`);
      }
      for (const cell of t.querySelectorAll('tbody td .cell')) {
        if (cell.classList.contains('el-tooltip')) continue; // cut with a tooltip
        if (cell.scrollWidth > cell.clientWidth + 1) out.push(`${name}: the cell ${cell.textContent.trim().slice(0, 40)} is cut`);
      }
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('the page scrolls sideways');
    return [...new Set(out)];
  });

for (const lang of ['en', 'zh-CN']) {
  test(`lists at 1366 × 768 in ${lang}: every column in view, no badge or cell cut`, { timeout: budget(300000) }, async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await context.addInitScript((l) => localStorage.setItem('pj_locale', l), lang);
    await login(page, 'admin', ADMIN_PW, { land: false });
    const all = [];
    // a finished drill's cockpit too: its steps' status badges (Finished late) and teams
    const drill = (await (await page.request.get('/api/v1/conversions?mode=drill&state=finished&limit=1')).json()).items[0];
    assert.ok(drill, 'a finished drill');
    for (const p of [...PAGES, `/conversions/${drill.id}`]) {
      await page.goto(p);
      const rows = await page.locator('.el-table tbody tr').first().waitFor().then(() => true, () => false);
      if (!rows) {
        all.push(`${p}: no table with rows`);
        continue;
      }
      // the table lays its columns out again once the rows are in: a passing misfit is gone
      // within a couple of seconds, a real one stays
      let out = [];
      for (let i = 0; i < 20; i++) {
        out = await misfits(page);
        if (!out.length) break;
        await page.waitForTimeout(150);
      }
      all.push(...out.map((x) => `${p}: ${x}`));
    }
    assert.deepEqual(all, [], lang);
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
}
