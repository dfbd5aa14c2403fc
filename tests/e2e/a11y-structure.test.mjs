// What a screen reader gets from the console's data tables, required fields and link buttons
// (web/README.md "Accessibility"), as Chromium's accessibility tree shows them:
// - a data table (Element Plus draws its headers and its rows as two <table>s) is one table:
//   its column headers and its cells in the same role=table, a cell's column found by its
//   place in the row (the register of elders; the enterprise appeals; after more rows came);
// - a new elder's required fields carry the asterisk and aria-required="true" before anything
//   is sent, the others neither;
// - a link drawn as a button (the cockpit's 返回, 工作手册, 设施详情…) is one control with one
//   role: one Tab stop per action, no link holding a button, and it still goes to its page
//   (a Ctrl+click leaves the page where it is, for a new tab).
// Nothing is stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/**
 * The first data table of the page as the accessibility tree has it: its column headers, and
 * for its first body row each cell with the header of its column (by position in the row, as
 * a screen reader pairs them in a table).
 */
async function tableAsRead(page) {
  const table = page.locator('.el-table').first();
  await table.locator('.el-table__row').first().waitFor();
  const snapshot = await table.ariaSnapshot();
  const roleTable = page.getByRole('table').filter({ has: page.locator('.el-table__row') }).first();
  const headers = (await roleTable.getByRole('columnheader').allInnerTexts()).map((x) => x.trim());
  const firstRow = roleTable.getByRole('row').filter({ has: page.getByRole('cell') }).first();
  const cells = (await firstRow.getByRole('cell').allInnerTexts()).map((x) => x.trim().replace(/\s+/g, ' '));
  // the role=table is the whole Element Plus table, not one of its two <table>s
  const whole = await roleTable.evaluate((el) => el.classList.contains('el-table'));
  return { snapshot, headers, cells, whole };
}

function assertOneTable(t, what, someHeaders) {
  assert.ok(t.whole, `${what}: the table role is on the whole table (headers and rows)\n${t.snapshot}`);
  for (const h of someHeaders) assert.ok(t.headers.includes(h), `${what}: column header ${h} in the table: ${t.headers.join(' | ')}`);
  assert.ok(t.cells.length > 1, `${what}: the first row's cells are in the table with the headers\n${t.snapshot}`);
  assert.equal(t.cells.length, t.headers.length, `${what}: one header per cell of a row (${t.headers.join(' | ')} / ${t.cells.join(' | ')})`);
  // the snapshot: headers and cells under one table, no second table inside it
  const lines = t.snapshot.split('\n');
  assert.match(lines[0], /^- table\b/, `${what}: the snapshot starts with the table\n${t.snapshot}`);
  assert.equal(lines.filter((l) => /^\s*- table\b/.test(l)).length, 1, `${what}: one table, not two\n${t.snapshot}`);
  assert.ok(lines.some((l) => /- columnheader\b/.test(l)) && lines.some((l) => /- cell\b/.test(l)), `${what}: column headers and cells\n${t.snapshot}`);
}

test('data tables: the column headers and the cells are one table (register of elders, appeals)', async () => {
  const { context, page } = await openPage(browser);
  try {
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    await page.goto('/elders');
    const elders = await tableAsRead(page);
    assertOneTable(elders, '/elders', ['姓名', '下次探访', '网格', '能力']);
    // the next-visit column's cell is a date, read under 下次探访
    const at = elders.headers.indexOf('下次探访');
    assert.match(elders.cells[at], /^\d{4}-\d{2}-\d{2}|—|-/, `下次探访 pairs with a date: ${elders.cells[at]}`);
    // the rows of another page of the register (drawn anew) are in the table too
    const firstBefore = await page.locator('.el-table__row').first().innerText();
    await page.getByRole('button', { name: '下一页' }).first().click();
    await page.waitForFunction((t) => document.querySelector('.el-table__row')?.innerText !== t, firstBefore);
    const bare = await page.evaluate(() => [...document.querySelectorAll('.el-table td, .el-table th')].filter((c) => !['cell', 'columnheader'].includes(c.getAttribute('role'))).length);
    assert.equal(bare, 0, 'every cell of the table has its role');
    noProblems(page);
  } finally {
    await context.close();
  }

  const { context: c2, page: p2 } = await openPage(browser);
  try {
    await login(p2, 'jd', DEMO_PW, { land: false });
    await p2.goto('/enterprise/appeals');
    const appeals = await tableAsRead(p2);
    assertOneTable(appeals, '/enterprise/appeals', ['标题', '状态']);
    noProblems(p2);
  } finally {
    await c2.close();
  }
});

test("a new elder's required fields: the asterisk and aria-required before sending, the others neither", async () => {
  const { context, page } = await openPage(browser);
  try {
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    await page.goto('/elders/new');
    await page.getByTestId('f-name').waitFor();
    const items = await page.evaluate(() =>
      [...document.querySelectorAll('.el-form-item')].map((item) => ({
        label: (item.querySelector('.el-form-item__label')?.textContent || '').trim(),
        asterisk: item.classList.contains('is-required') && !!item.querySelector('.el-form-item__label') && getComputedStyle(item.querySelector('.el-form-item__label'), '::before').content.includes('*'),
        required: [...item.querySelectorAll('input:not([type="hidden"]), textarea')].filter((el) => el.closest('.el-form-item') === item).map((el) => el.getAttribute('aria-required')),
      })),
    );
    const by = (label) => items.find((x) => x.label === label);
    for (const label of ['姓名', '性别', '出生日期', '身份证号']) {
      const it = by(label);
      assert.ok(it, `${label}: on the form (${items.map((x) => x.label).join(', ')})`);
      assert.ok(it.asterisk, `${label}: the asterisk is shown`);
      assert.ok(it.required.length > 0 && it.required.every((v) => v === 'true'), `${label}: aria-required="true" on its control (${it.required})`);
    }
    const grid = page.getByTestId('f-grid');
    assert.ok(await grid.evaluate((el) => el.classList.contains('is-required')), '所属网格: the asterisk is shown');
    for (const label of ['电话', '签约医生']) {
      const it = by(label);
      assert.ok(it, `${label}: on the form`);
      assert.ok(!it.asterisk && it.required.every((v) => v === null), `${label}: not marked required (${JSON.stringify(it)})`);
    }
    // Chromium's tree: the name field is required for a screen reader
    await assert.doesNotReject(page.getByRole('textbox', { name: '姓名' }).and(page.locator('[aria-required="true"]')).waitFor({ timeout: 2000 }), '姓名: required in the tree');
    // a contract's date makes the doctor's name required, marked as it happens
    await page.getByLabel('签约开始').fill('2026-01-01');
    await page.waitForFunction(() => [...document.querySelectorAll('.el-form-item')].some((i) => i.querySelector('.el-form-item__label')?.textContent.trim() === '签约医生' && i.classList.contains('is-required') && i.querySelector('input')?.getAttribute('aria-required') === 'true'));
    noProblems(page);
  } finally {
    await context.close();
  }
});

test("the cockpit's links drawn as buttons: one Tab stop and one role each, and they still go to their page", async () => {
  const { context, page } = await openPage(browser);
  try {
    await login(page, 'wanda', DEMO_PW, { land: false });
    const conv = (await apiGet(page, '/conversions?limit=1')).items[0];
    assert.ok(conv, 'a conversion for the operator');
    await page.goto(`/conversions/${conv.id}`);
    const back = page.getByRole('link', { name: '返回' });
    await back.waitFor();
    // no link holding a button (or a button holding a link) anywhere on the page
    const nested = await page.evaluate(() => document.querySelectorAll('a button, a [role="button"], button a, [role="button"] a').length);
    assert.equal(nested, 0, 'no link holding a button');
    // Tab from the first action of the head: each step a new action, never a link and then a
    // button of the same name
    await back.focus();
    const stops = [];
    for (let i = 0; i < 4; i++) {
      stops.push(await page.evaluate(() => ({ tag: document.activeElement.tagName, text: document.activeElement.textContent.trim() })));
      await page.keyboard.press('Tab');
    }
    for (let i = 1; i < stops.length; i++) {
      assert.ok(!(stops[i].text && stops[i].text === stops[i - 1].text), `one Tab stop per action: ${stops.map((s) => s.tag + ' ' + s.text).join(' → ')}`);
    }
    const names = stops.map((s) => s.text);
    for (const name of ['返回', '工作手册', '设施详情']) assert.ok(names.includes(name), `${name} is a Tab stop: ${names.join(' → ')}`);
    const manual = page.getByRole('link', { name: '工作手册' });
    assert.equal(await manual.evaluate((el) => el.tagName), 'A');
    assert.match(await manual.getAttribute('href'), /^\/manuals\/\d+$/, 'a real address (a new tab can open it)');
    assert.equal(await page.getByRole('button', { name: '工作手册' }).count(), 0, 'not also a button');
    // Ctrl+click is left to the browser (a new tab): this page stays
    const here = page.url();
    const popup = context.waitForEvent('page', { timeout: 5000 }).catch(() => null);
    await manual.click({ modifiers: ['Control'] });
    const opened = await popup;
    assert.equal(page.url(), here, 'Ctrl+click does not navigate this page');
    if (opened) {
      await opened.waitForLoadState();
      assert.match(opened.url(), /\/manuals\/\d+$/, 'the new tab opened the manual');
      await opened.close();
    }
    // Enter on the focused link goes to the page, through the router (no reload)
    await page.evaluate(() => (window.__sameDocument = true));
    await manual.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/manuals\/\d+$/);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the router went there (no page load)');
    await page.getByRole('link', { name: '返回' }).click();
    await page.waitForURL(/\/manuals$/);
    noProblems(page);
  } finally {
    await context.close();
  }
});
