// The ARIA roles of the console's data tables (web/src/plugins/table.js, table-roles.js: the
// box a table, its rows and cells, their column headers) stay right as the rows change. After
// the first drawing only what a change adds gets its roles, so every kind of change is checked,
// with the rows it drew anew counted (a change that drew none would prove nothing):
// - the emergency stock (row-key: rows are kept, moved or removed, not redrawn): a category
//   chosen (rows removed), chosen again (rows back, drawn anew between the ones that stayed),
//   a category and a state with no line (the "no data" row, its text a cell of it), cleared;
//   paged (50 a page: rows removed; page 2: every row drawn anew; 200 a page: rows back);
//   then one change that removes a row, adds one and re-orders all the others (a line deleted
//   on the page: the list loaded again, a line added through the API meanwhile, the API's
//   answer in the reverse order, as a sort would draw it — the rows moved, not redrawn);
// - the user list as the window widens: columns come (their headers, a cell in each row);
// - the coverage report sorted by a column (Element Plus' sort: the rows patched in place).
// The stock page runs on a server of its own (it writes); the other two only read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, ownServer, choose, ADMIN_PW, DEMO_PW, DESKTOP, TABLET, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';
import { beijingToday, stockState } from '../../web/src/utils/dualuse.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * The table (its test id) as a screen reader gets its structure: each element of its rows,
 * cells and groups without the role it should have (described), and how many rows, headers and
 * cells were drawn since the last look (each element is marked when looked at).
 */
async function look(page, testid) {
  return page.getByTestId(testid).evaluate((root) => {
    const OWN = 'table.el-table__header, table.el-table__body, table.el-table__footer';
    const ownTable = (t) => !!t && t.tagName === 'TABLE' && t.matches(OWN) && t.closest('.el-table') === root;
    const ownGroup = (g) => !!g && /^(THEAD|TBODY|TFOOT)$/.test(g.tagName) && ownTable(g.parentElement);
    const ownRow = (r) => !!r && r.tagName === 'TR' && ownGroup(r.parentElement);
    const want = (el) => {
      if (el.tagName === 'TABLE') return ownTable(el) ? 'presentation' : null;
      if (/^(THEAD|TBODY|TFOOT)$/.test(el.tagName)) return ownGroup(el) ? 'rowgroup' : null;
      if (el.tagName === 'TR') return ownRow(el) ? 'row' : null;
      if (el.tagName === 'TH' || el.tagName === 'TD') return ownRow(el.parentElement) ? (el.tagName === 'TH' ? 'columnheader' : 'cell') : null;
      if (el.matches('.el-table__empty-block')) return 'row';
      if (el.matches('.el-table__empty-text')) return 'cell';
      return null;
    };
    const bare = [];
    const fresh = { TR: 0, TH: 0, TD: 0 };
    if (root.getAttribute('role') !== 'table') bare.push(`the box: role=${root.getAttribute('role')}`);
    for (const el of root.querySelectorAll('table, thead, tbody, tfoot, tr, th, td, .el-table__empty-block, .el-table__empty-text')) {
      if (el.closest('.el-table') !== root) continue;
      const w = want(el);
      if (!w) continue;
      if (el.getAttribute('role') !== w) bare.push(`<${el.tagName.toLowerCase()} class="${el.className}"> "${el.textContent.trim().slice(0, 40)}": role=${el.getAttribute('role')}, not ${w}`);
      if (!el.__pjSeen && el.tagName in fresh) fresh[el.tagName]++;
      el.__pjSeen = true;
    }
    const empty = root.querySelector('.el-table__empty-block');
    return {
      bare: bare.slice(0, 8),
      nBare: bare.length,
      fresh,
      rows: root.querySelectorAll('.el-table__body > tbody > tr').length,
      headers: [...root.querySelectorAll('.el-table__header th')].map((th) => th.textContent.trim()),
      empty: empty && getComputedStyle(empty).display !== 'none' ? empty.textContent.trim() : null,
      firstRow: root.querySelector('.el-table__body > tbody > tr')?.textContent.trim() ?? null,
    };
  });
}

function assertRoles(t, what) {
  assert.equal(t.nBare, 0, `${what}: ${t.nBare} elements of the table without their role:\n${t.bare.join('\n')}`);
}

const rowsAre = (page, testid, n) =>
  page.waitForFunction(([id, k]) => document.querySelectorAll(`[data-testid="${id}"] .el-table__body > tbody > tr`).length === k, [testid, n]);

test('stock: the roles of rows removed, added and re-ordered, and of the "no data" row', { timeout: budget(240000) }, async () => {
  const srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '200' } });
  const { context, page } = await openPage(browser, DESKTOP, { baseURL: srv.base });
  const api = async (method, p, data) => {
    const res = await page.request.fetch('/api/v1' + p, { method, data });
    assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.status() === 204 ? null : res.json();
  };
  try {
    await login(page, 'admin', srv.adminPw);
    const lines = (await api('GET', '/stock?limit=500')).items;
    assert.ok(lines.length > 20 && lines.length < 500, `the demo's stock lines, one page: ${lines.length}`);
    await page.goto('/stock');
    // every demo line on one page (200 a page), so that each change below is the one described
    const sizes = page.getByTestId('stock-page-size');
    await choose(page, sizes, '每页 200 条');
    await rowsAre(page, 'stock-table', lines.length);
    let t = await look(page, 'stock-table');
    assertRoles(t, 'first drawn');
    assert.ok(t.headers.includes('数量') && t.headers.includes('有效期至'), `the column headers: ${t.headers}`);

    // rows removed: one category's lines left
    const byCat = new Map();
    for (const l of lines) byCat.set(l.category, [...(byCat.get(l.category) || []), l]);
    const [cat, kept] = [...byCat].sort((a, b) => a[1].length - b[1].length)[0];
    await page.getByTestId(`stock-cat-${cat}`).click();
    await rowsAre(page, 'stock-table', kept.length);
    t = await look(page, 'stock-table');
    assertRoles(t, `${cat} only`);
    assert.equal(t.fresh.TR, 0, 'choosing a category keeps its rows');

    // rows added: the others back, drawn anew
    await page.getByTestId(`stock-cat-${cat}`).click();
    await rowsAre(page, 'stock-table', lines.length);
    t = await look(page, 'stock-table');
    assertRoles(t, 'every line again');
    assert.equal(t.fresh.TR, lines.length - kept.length, 'the rows back are new rows');
    assert.ok(t.fresh.TD >= t.fresh.TR * 6, `with their cells: ${JSON.stringify(t.fresh)}`);

    // no row: a category and an expiry state that no line has (the "no data" row), then rows again
    const today = beijingToday();
    const states = { ok: '可用', soon: '90 天内到期', expired: '已过期' };
    const none = [...byCat.keys()].flatMap((c) => Object.keys(states).map((s) => [c, s])).find(([c, s]) => !byCat.get(c).some((l) => stockState(l, today) === s));
    assert.ok(none, 'a category with no line in some expiry state');
    await page.getByTestId(`stock-cat-${none[0]}`).click();
    await choose(page, page.getByTestId('stock-filter-state'), states[none[1]]);
    await rowsAre(page, 'stock-table', 0);
    await page.getByTestId('stock-table').locator('.el-table__empty-block').waitFor();
    t = await look(page, 'stock-table');
    assertRoles(t, 'no line');
    assert.equal(t.empty, '暂无数据', 'the "no data" row says so');
    await page.getByTestId('stock-filter-state').hover();
    await page.getByTestId('stock-filter-state').locator('.el-select__clear').click();
    await page.getByTestId(`stock-cat-${none[0]}`).click();
    await rowsAre(page, 'stock-table', lines.length);
    t = await look(page, 'stock-table');
    assertRoles(t, 'every line after none');
    assert.equal(t.fresh.TR, lines.length, 'every row drawn anew');

    // paged: 50 a page keeps the first 50 rows, page 2 draws 50 others, 200 a page brings the rest
    await choose(page, sizes, '每页 50 条');
    await rowsAre(page, 'stock-table', 50);
    t = await look(page, 'stock-table');
    assertRoles(t, '50 a page');
    assert.equal(t.fresh.TR, 0, 'the first page keeps its rows');
    await page.getByTestId('stock-pager').locator('.btn-next').click();
    await page.waitForFunction((q) => document.querySelector('[data-testid="stock-table"] .el-table__body > tbody > tr')?.textContent.includes(q), formatNumber(lines[50].quantity, 'zh-CN'));
    t = await look(page, 'stock-table');
    assertRoles(t, 'page 2');
    assert.equal(t.fresh.TR, 50, 'page 2: its rows drawn anew');
    await choose(page, sizes, '每页 200 条');
    await rowsAre(page, 'stock-table', lines.length);
    t = await look(page, 'stock-table');
    assertRoles(t, '200 a page again');
    assert.equal(t.fresh.TR, lines.length - 50, 'the rows of page 2 kept, the others drawn anew');

    // one reload: a row removed (the line deleted here), one added (through the API meanwhile)
    // and the others in the reverse order (the API's answer reversed)
    const added = await api('POST', '/stock', { facility_id: lines[0].facility_id, category: lines[0].category, quantity: 4321, source: 'test' });
    await page.route(/\/api\/v1\/stock\?/, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.items.reverse();
      return route.fulfill({ response: res, json: body });
    });
    const gone = lines[lines.length - 1];
    await page.getByTestId('stock-delete').last().click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.getByText('已删除').first().waitFor();
    await page.waitForFunction(
      (q) => document.querySelector('[data-testid="stock-table"] .el-table__body > tbody > tr')?.textContent.includes(q),
      formatNumber(added.quantity, 'zh-CN'),
    );
    await rowsAre(page, 'stock-table', lines.length);
    t = await look(page, 'stock-table');
    assertRoles(t, 'reloaded: one line deleted, one added, the order reversed');
    assert.equal(t.fresh.TR, 1, 'only the added line is a new row: the others were moved');
    const after = (await api('GET', '/stock?limit=500')).items;
    assert.ok(!after.some((l) => l.id === gone.id) && after.some((l) => l.id === added.id), 'deleted and added as shown');
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  } finally {
    await context.close();
    await srv.stop();
  }
});

test('users: columns that come as the window widens have their roles; the coverage report sorted by a column', async () => {
  const { context, page } = await openPage(browser, TABLET);
  try {
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/admin/users');
    await page.getByTestId('user-table').locator('.el-table__body > tbody > tr').first().waitFor();
    let t = await look(page, 'user-table');
    assertRoles(t, 'users at 1024 px');
    const narrow = t.headers;
    await page.setViewportSize(DESKTOP);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="user-table"] .el-table__header th').length > n, narrow.length);
    t = await look(page, 'user-table');
    assertRoles(t, 'users at 1920 px');
    assert.ok(t.headers.length > narrow.length, `more columns: ${narrow} → ${t.headers}`);
    assert.ok(t.fresh.TH >= 1 && t.fresh.TD >= t.rows, `a new header and a new cell in each row: ${JSON.stringify(t.fresh)}`);
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  } finally {
    await context.close();
  }

  const { context: c2, page: p2 } = await openPage(browser);
  try {
    await login(p2, 'officer', DEMO_PW, { land: false });
    await p2.goto('/eldercare/coverage');
    await p2.getByTestId('coverage-table').locator('.el-table__body > tbody > tr').first().waitFor();
    let t = await look(p2, 'coverage-table');
    assertRoles(t, 'coverage report');
    const first = t.firstRow;
    await p2.getByTestId('coverage-table').locator('.el-table__header th').first().click();
    await p2.waitForFunction((f) => document.querySelector('[data-testid="coverage-table"] .el-table__body > tbody > tr')?.textContent.trim() !== f, first);
    t = await look(p2, 'coverage-table');
    assertRoles(t, 'coverage report sorted by region');
    assert.deepEqual(p2.problems, [], 'console errors (CSP violations, exceptions)');
  } finally {
    await c2.close();
  }
});
