// The appeals list on a township office's laptop (1366 × 768, the side menu open), in Chinese and
// in English: every column is in view without a sideways scroll (in English the rating was
// behind one, "Basically satisfi…" cut at the table's edge), the row links (# and title) are on
// screen, an appeal's number is on one line (#138|6 wrapped), the state badges are whole inside
// their cells (Being re-routed), a deadline's day and time on one line, and the filter bar fits
// its card; the same just above 1600 px, where the type and time received join the table. The list's rows
// are rewritten on their way to the page so that every state, a rating, an overdue deadline and a
// provisional one are there whatever the demo's data holds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, DEMO_PW, budget } from './lib.mjs';

const LAPTOP = { width: 1366, height: 768 };
// the widest first: a firm with a single appeal sees Being re-routed
const STATES = ['returned', 'in_progress', 'escalated', 'dispatched', 'received', 'reopened', 'replied', 'closed'];
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Rewrites the list's answers: each state once, long numbers, a rating, an overdue deadline. */
async function everyState(page) {
  await page.route(
    (u) => u.pathname === '/api/v1/enterprise/appeals',
    async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      const res = await route.fetch();
      const body = await res.json();
      body.items = body.items.map((a, i) => ({
        ...a,
        id: 1380 + i,
        state: STATES[i % STATES.length],
        rating: i % 3 === 0 ? 'basically' : i % 3 === 1 ? 'not_satisfied' : null,
        complete_due: i % 2 ? '2020-01-07T16:00:00Z' : a.complete_due,
        deadline_provisional: i % 4 === 1,
      }));
      await route.fulfill({ response: res, json: body });
    },
  );
}

/** What does not fit: measured in the page once the table has laid its columns out. */
const misfits = (page) =>
  page.evaluate(() => {
    const out = [];
    const vw = document.documentElement.clientWidth;
    const table = document.querySelector('[data-testid=appeal-table]');
    const tbox = table.getBoundingClientRect();
    const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap');
    if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(`the table scrolls sideways: ${wrap.scrollWidth} px in ${wrap.clientWidth} px`);
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px in ${vw} px`);
    for (const th of table.querySelectorAll('.el-table__header th')) {
      const r = th.getBoundingClientRect();
      if (r.right > Math.min(tbox.right, vw) + 1) out.push(`header ${th.textContent.trim()} ends at ${Math.round(r.right)} px, the table at ${Math.round(tbox.right)} px`);
    }
    // the lines an element's text is set on
    const lines = (el) => {
      const range = document.createRange();
      const tops = new Set();
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      }
      return tops.size;
    };
    for (const tr of table.querySelectorAll('tbody tr')) {
      for (const a of tr.querySelectorAll('a')) {
        const r = a.getBoundingClientRect();
        if (r.left < 0 || r.right > vw + 1 || r.right > tbox.right + 1) out.push(`the link ${a.textContent.trim()} lies at ${Math.round(r.left)}–${Math.round(r.right)} px, out of view`);
      }
      const due = tr.querySelector('.pj-due');
      if (due && lines(due) > 1) out.push(`the deadline ${due.textContent.trim()} is broken across lines`);
      const num = tr.querySelector('td:first-child a');
      if (lines(num) > 1) out.push(`the number ${num.textContent.trim()} is broken across lines`);
      for (const tag of tr.querySelectorAll('.el-tag')) {
        const cell = tag.closest('td').getBoundingClientRect();
        const r = tag.getBoundingClientRect();
        if (r.right > cell.right + 1 || tag.scrollWidth > tag.clientWidth + 1 || lines(tag) > 1) out.push(`the badge ${tag.textContent.trim()} does not fit its cell (${Math.round(r.width)} px in ${Math.round(cell.width)} px)`);
      }
      // words break between words, not inside one (Chinese between characters)
      for (const cell of tr.querySelectorAll('td .cell')) {
        if (getComputedStyle(cell).textOverflow === 'ellipsis') continue; // cut with a tooltip
        const range = document.createRange();
        const texts = [...cell.querySelectorAll('*'), cell].flatMap((e) => [...e.childNodes]).filter((n) => n.nodeType === 3 && n.textContent.trim());
        for (const n of texts)
          for (const w of n.textContent.matchAll(/\S+/g)) {
            if (/[\u3000-\u9fff\uff00-\uffef]/.test(w[0])) continue;
            range.setStart(n, w.index);
            range.setEnd(n, w.index + w[0].length);
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) out.push(`the word ${w[0]} is broken across lines`);
          }
      }
    }
    const filters = document.querySelector('.pj-filters');
    const card = filters.closest('.el-card').getBoundingClientRect();
    if (filters.scrollWidth > filters.clientWidth + 1) out.push(`the filter bar scrolls: ${filters.scrollWidth} px in ${filters.clientWidth} px`);
    for (const el of filters.children) {
      const r = el.getBoundingClientRect();
      if (r.right > card.right + 1) out.push(`a filter ends at ${Math.round(r.right)} px, its card at ${Math.round(card.right)} px`);
    }
    return [...new Set(out)];
  });

for (const [user, lang, vp] of [
  ['officer', 'en', LAPTOP],
  ['officer', 'zh-CN', LAPTOP],
  ['jd', 'en', LAPTOP],
  ['officer', 'en', { width: 1610, height: 900 }], // just wide enough for the type and time received
]) {
  test(`appeals at ${vp.width} × ${vp.height}: ${user} in ${lang} sees every column, its links and badges whole`, { timeout: budget(120000) }, async () => {
    const { context, page } = await openPage(browser, vp);
    await context.addInitScript((l) => localStorage.setItem('pj_locale', l), lang);
    await login(page, user, DEMO_PW);
    await everyState(page);
    await page.goto('/enterprise/appeals');
    const table = page.getByTestId('appeal-table');
    await table.locator('tbody tr').first().waitFor();
    // the table lays its columns out again once the rows are in: a passing misfit is gone
    // within a couple of seconds, a real one stays
    let out = [];
    for (let i = 0; i < 20; i++) {
      out = await misfits(page);
      if (!out.length) break;
      await page.waitForTimeout(150);
    }
    await shot(page, `appeals-laptop-${user}-${lang}-${vp.width}`);
    assert.deepEqual(out, [], `${user} in ${lang}`);
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
}
