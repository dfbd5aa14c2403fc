// The emergency stock page with many lines shows them a page at a time (a district's large
// stores hold up to 20,000, which Element Plus took half a minute and more to draw in one
// table): the table holds one page, the pager's total is the lines listed, the next page shows
// the next lines in their order, a filter (a category's card, the expiry state) or another page
// size starts again at page 1, a line added is shown on its page, and deleting the last line of
// the last page shows the page before. The rows of every page have their table roles. The page
// asks the server for the page it shows (GET /stock with the filters, limit and offset), never
// for every line: on a district of 3,000 lines opening it and clicking a card are one list
// request each. On servers of their own: they write hundreds and thousands of lines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, ownServer, choose, shot, DESKTOP, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { beijingToday, stockState } from '../../web/src/utils/dualuse.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const rowsOf = (page) => page.getByTestId('stock-table').locator('.el-table__body > tbody > tr');

/** The quantity column of the rows shown, as text. */
const quantities = (page) =>
  page.getByTestId('stock-table').evaluate((root) => [...root.querySelectorAll('.el-table__body > tbody > tr')].map((tr) => tr.children[2].textContent.trim()));

/** Waits until the table shows the quantities of these lines, in this order. */
async function shows(page, lines, what) {
  const want = lines.map((l) => formatNumber(l.quantity, 'zh-CN'));
  try {
    await page.waitForFunction(
      (w) => {
        const got = [...document.querySelectorAll('[data-testid=stock-table] .el-table__body > tbody > tr')].map((tr) => tr.children[2].textContent.trim());
        return got.length === w.length && got.every((g, i) => g.startsWith(w[i]));
      },
      want,
      { timeout: 20000 },
    );
  } catch {
    assert.fail(`${what}: the table shows ${JSON.stringify((await quantities(page)).slice(0, 5))}… (${await rowsOf(page).count()} rows), not ${JSON.stringify(want.slice(0, 5))}… (${want.length})`);
  }
}

/** The pager as the user reads it: its total, the page count line, the current page. */
async function pager(page) {
  const p = page.getByTestId('stock-pager');
  return {
    total: (await p.locator('.el-pagination__total').innerText()).trim(),
    of: (await page.getByTestId('stock-page-of').innerText()).trim(),
    current: (await p.locator('.el-pager li[aria-current=true]').innerText()).trim(),
  };
}

/** Every row and cell of the table has its ARIA role (plugins/table-roles.js, with paging). */
async function rolesOn(page, what) {
  const bare = await page.getByTestId('stock-table').evaluate(
    (root) =>
      root.querySelectorAll('.el-table__body > tbody > tr:not([role=row]), .el-table__body > tbody > tr > td:not([role=cell])').length +
      (root.getAttribute('role') === 'table' ? 0 : 1),
  );
  assert.equal(bare, 0, `${what}: rows or cells without their role`);
}

test('stock lines a page at a time: the pager counts them all, page 2 the next ones, a filter back to page 1', { timeout: budget(300000) }, async () => {
  const srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '200' } });
  const { context, page } = await openPage(browser, DESKTOP, { baseURL: srv.base });
  const api = async (method, p, data) => {
    const res = await page.request.fetch('/api/v1' + p, { method, data });
    assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.status() === 204 ? null : res.json();
  };
  const all = async () => {
    const out = [];
    for (let cursor; ; ) {
      const p = await api('GET', `/stock?limit=500${cursor ? '&cursor=' + cursor : ''}`);
      out.push(...p.items);
      if (!p.next_cursor) return out;
      cursor = p.next_cursor;
    }
  };
  try {
    await login(page, 'admin', srv.adminPw, { land: false });
    // the demo's lines topped up to 640, each quantity its own (a row is known by it); one
    // category (oil) to 51 lines: a last page of one row at 50 a page
    const demo = await all();
    const stores = [...new Set(demo.map((l) => l.facility_id))];
    const cats = [...new Set(demo.map((l) => l.category))].filter((c) => c !== 'oil');
    const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
    const oil = demo.filter((l) => l.category === 'oil').length;
    assert.ok(oil < 51 && cats.length >= 3, `the demo's oil lines: ${oil}`);
    const todo = [];
    for (let i = 0; i < 51 - oil; i++) todo.push({ category: 'oil' });
    while (demo.length + todo.length < 640) todo.push({ category: cats[todo.length % cats.length] });
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < todo.length; i = next++) {
        const expiry = i % 5 === 0 ? day(-30 - i) : i % 5 === 1 ? day(20) : day(400 + i);
        await api('POST', '/stock', { facility_id: stores[i % stores.length], ...todo[i], quantity: 700001 + i * 7, expiry, source: 'test' });
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const lines = await all();
    assert.equal(lines.length, 640);

    await page.goto('/stock');
    // one page: the first 50 lines in the API's order (by id); the pager counts all 640
    await shows(page, lines.slice(0, 50), 'page 1');
    assert.equal(await rowsOf(page).count(), 50);
    assert.deepEqual(await pager(page), { total: '共 640 条', of: '第 1 / 13 页', current: '1' });
    await page.getByText('显示 640 / 640 条').waitFor();
    await rolesOn(page, 'page 1');

    // page 2: the next 50
    await page.getByTestId('stock-pager').locator('.btn-next').click();
    await shows(page, lines.slice(50, 100), 'page 2');
    assert.deepEqual(await pager(page), { total: '共 640 条', of: '第 2 / 13 页', current: '2' });
    await rolesOn(page, 'page 2');
    // a page number: page 5
    await page.getByTestId('stock-pager').locator('.el-pager li', { hasText: /^5$/ }).click();
    await shows(page, lines.slice(200, 250), 'page 5');

    // a category's card: its lines from page 1, the total theirs
    const cat = cats[0];
    const ofCat = lines.filter((l) => l.category === cat);
    await page.getByTestId(`stock-cat-${cat}`).click();
    await shows(page, ofCat.slice(0, 50), `${cat}, page 1`);
    assert.deepEqual(await pager(page), { total: `共 ${ofCat.length} 条`, of: `第 1 / ${Math.ceil(ofCat.length / 50)} 页`, current: '1' });
    await page.getByText(`显示 ${ofCat.length} / 640 条`).waitFor();
    await rolesOn(page, `${cat}, page 1`);

    // page 2 of it, then an expiry state: page 1 again
    await page.getByTestId('stock-pager').locator('.btn-next').click();
    await shows(page, ofCat.slice(50, 100), `${cat}, page 2`);
    const today = beijingToday();
    const expired = ofCat.filter((l) => stockState(l, today) === 'expired');
    assert.ok(expired.length > 0 && expired.length < 50, `expired ${cat} lines: ${expired.length}`);
    await choose(page, page.getByTestId('stock-filter-state'), '已过期');
    await shows(page, expired, `${cat}, expired`);
    assert.deepEqual(await pager(page), { total: `共 ${expired.length} 条`, of: '第 1 / 1 页', current: '1' });

    // the state cleared, the card clicked again: every line, page 1
    await page.getByTestId('stock-filter-state').hover();
    await page.getByTestId('stock-filter-state').locator('.el-select__clear').click();
    await page.getByTestId(`stock-cat-${cat}`).click();
    await shows(page, lines.slice(0, 50), 'every line again');

    // 100 a page: page 1 of 7; its page 2 the lines 100–199
    await page.getByTestId('stock-pager').locator('.btn-next').click();
    await shows(page, lines.slice(50, 100), 'page 2 before the size');
    await choose(page, page.getByTestId('stock-page-size'), '每页 100 条');
    await shows(page, lines.slice(0, 100), '100 a page');
    assert.deepEqual(await pager(page), { total: '共 640 条', of: '第 1 / 7 页', current: '1' });
    await page.getByTestId('stock-pager').locator('.btn-next').click();
    await shows(page, lines.slice(100, 200), '100 a page, page 2');
    await rolesOn(page, '100 a page, page 2');

    // back to 50 a page; oil's 51 lines: the last page one row; deleting it shows page 1
    await choose(page, page.getByTestId('stock-page-size'), '每页 50 条');
    const oils = lines.filter((l) => l.category === 'oil');
    assert.equal(oils.length, 51);
    await page.getByTestId('stock-cat-oil').click();
    await shows(page, oils.slice(0, 50), 'oil, page 1');
    await page.getByTestId('stock-pager').locator('.btn-next').click();
    await shows(page, oils.slice(50), 'oil, page 2');
    assert.deepEqual(await pager(page), { total: '共 51 条', of: '第 2 / 2 页', current: '2' });
    await rowsOf(page).getByTestId('stock-delete').click();
    await page.getByRole('dialog', { name: '删除库存' }).getByRole('button', { name: '删除' }).click();
    await page.getByText('已删除', { exact: true }).waitFor();
    await shows(page, oils.slice(0, 50), 'oil after the delete');
    assert.deepEqual(await pager(page), { total: '共 50 条', of: '第 1 / 1 页', current: '1' });

    // a line added (the last by id): shown on its page, the second of oil's
    await page.getByTestId('stock-add').click();
    const dlg = page.getByRole('dialog', { name: '新增库存' });
    await dlg.getByTestId('stock-facility').locator('input').fill('万达锦华酒店');
    await page.locator('.el-select-dropdown__item', { hasText: '万达锦华酒店' }).first().click();
    await dlg.getByTestId('stock-quantity').locator('input').fill('654321');
    await dlg.getByTestId('stock-save').click();
    await page.getByText('已新增 万达锦华酒店 的库存').waitFor();
    const added = (await all()).find((l) => l.quantity === 654321);
    assert.equal(added?.category, 'oil', 'added with the category filtered by');
    await shows(page, [added], 'the line added, on its page');
    assert.deepEqual(await pager(page), { total: '共 51 条', of: '第 2 / 2 页', current: '2' });
    await rolesOn(page, 'after the add');
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

    // a phone: the pager within the screen's width, its next page at hand
    const phone = await openPage(browser, { width: 390, height: 844 }, { baseURL: srv.base });
    try {
      await login(phone.page, 'admin', srv.adminPw);
      await phone.page.goto('/stock');
      const all640 = await all();
      await shows(phone.page, all640.slice(0, 50), 'a phone, page 1');
      const box = await phone.page.getByTestId('stock-pager').evaluate((el) => {
        const r = [...el.querySelectorAll('*')].reduce((m, e) => Math.max(m, e.getBoundingClientRect().right), 0);
        return { right: r, width: document.documentElement.clientWidth };
      });
      assert.ok(box.right <= box.width, `the pager ends at ${box.right} px on a ${box.width} px screen`);
      await phone.page.getByTestId('stock-pager').locator('.btn-next').click();
      await shows(phone.page, all640.slice(50, 100), 'a phone, page 2');
      await shot(phone.page, '61c-stock-pager-390');
      assert.deepEqual(phone.page.problems, [], 'console errors (CSP violations, exceptions)');
    } finally {
      await phone.context.close();
    }
  } finally {
    await context.close();
    await srv.stop();
  }
});

test('a district of 3,000 lines: the page asks for the page it shows, not every line', { timeout: budget(600000) }, async () => {
  const srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '200' } });
  const { context, page } = await openPage(browser, DESKTOP, { baseURL: srv.base });
  const api = async (method, p, data) => {
    const res = await page.request.fetch('/api/v1' + p, { method, data });
    assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.status() === 204 ? null : res.json();
  };
  const all = async (q = '') => {
    const out = [];
    for (let cursor; ; ) {
      const p = await api('GET', `/stock?limit=500${q}${cursor ? '&cursor=' + cursor : ''}`);
      out.push(...p.items);
      if (!p.next_cursor) return out;
      cursor = p.next_cursor;
    }
  };
  try {
    await login(page, 'admin', srv.adminPw);
    // the demo's lines topped up to 3,000 through the API: every category, store and expiry
    // state, each quantity its own (a row is known by it)
    const demo = await all();
    const stores = [...new Set(demo.map((l) => l.facility_id))];
    const cats = (await api('GET', '/stock/summary')).categories.map((c) => c.category);
    const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
    const need = 3000 - demo.length;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < need; i = next++) {
        const expiry = i % 7 === 0 ? day(-10 - (i % 200)) : i % 7 === 1 ? day(5 + (i % 60)) : i % 7 === 2 ? null : day(200 + (i % 700));
        await api('POST', '/stock', { facility_id: stores[i % stores.length], category: cats[i % cats.length], quantity: 800003 + i * 11, expiry, source: 'test' });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const lines = await all();
    assert.equal(lines.length, 3000);

    // every request for the list the page makes, with its parameters
    const asked = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/v1/stock') asked.push(Object.fromEntries(u.searchParams));
    });
    const open = Date.now();
    await page.goto('/stock');
    await shows(page, lines.slice(0, 50), 'opened');
    const opened = Date.now() - open;
    assert.deepEqual(await pager(page), { total: '共 3000 条', of: '第 1 / 60 页', current: '1' });
    await page.getByText('显示 3000 / 3000 条').waitFor();
    assert.deepEqual(asked, [{ limit: '50', offset: '0' }], 'opening: one request, of the page shown');

    // a category's card: one request, of its first page; the pager the server's count
    const cat = cats[2];
    const ofCat = lines.filter((l) => l.category === cat);
    assert.ok(ofCat.length > 100, `${cat}: ${ofCat.length} lines`);
    await page.getByTestId(`stock-cat-${cat}`).click();
    await shows(page, ofCat.slice(0, 50), `${cat}, page 1`);
    assert.deepEqual(await pager(page), { total: `共 ${ofCat.length} 条`, of: `第 1 / ${Math.ceil(ofCat.length / 50)} 页`, current: '1' });
    assert.deepEqual(asked.slice(1), [{ limit: '50', offset: '0', category: cat }], 'the card: one request');

    // its expiry states: each the server's filter, the rows the rule's (and coloured so), the
    // pager the summary's count; then page 2 of the usable ones
    const today = beijingToday();
    for (const [state, label, tag] of [
      ['expired', '已过期', '已过期'],
      ['soon', '90 天内到期', '90 天内到期'],
      ['ok', '可用', null],
    ]) {
      const want = ofCat.filter((l) => stockState(l, today) === state);
      assert.ok(want.length > 0, `${cat} ${state}: none`);
      const from = asked.length;
      await choose(page, page.getByTestId('stock-filter-state'), label);
      await shows(page, want.slice(0, 50), `${cat}, ${state}`);
      assert.deepEqual(await pager(page), { total: `共 ${want.length} 条`, of: `第 1 / ${Math.ceil(want.length / 50)} 页`, current: '1' });
      assert.deepEqual(asked.slice(from), [{ limit: '50', offset: '0', category: cat, expiry_state: state }], `${state}: one request`);
      const tags = await page.getByTestId('stock-table').getByTestId('stock-state').allInnerTexts();
      assert.deepEqual([...new Set(tags)], tag ? [tag] : [], `${state}: the rows' colouring`);
    }
    const ok = ofCat.filter((l) => stockState(l, today) === 'ok');
    assert.ok(ok.length > 50, `${cat} ok: ${ok.length}`);
    const from = asked.length;
    await page.getByTestId('stock-pager').locator('.btn-next').click();
    await shows(page, ok.slice(50, 100), `${cat}, ok, page 2`);
    assert.deepEqual(asked.slice(from), [{ limit: '50', offset: '50', category: cat, expiry_state: 'ok' }], 'the next page: one request');

    // never more than a page asked for, never a walk through every line
    assert.ok(asked.every((q) => Number(q.limit) <= 200 && !q.cursor), JSON.stringify(asked));
    console.log(`# /stock with 3,000 lines drawn in ${opened} ms; ${asked.length} list requests in all`);
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  } finally {
    await context.close();
    await srv.stop();
  }
});
