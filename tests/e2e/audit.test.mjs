// The audit log as a district official reads it: every entity and action in the filters
// (sorted by label, typed to filter), a reception day's and an appeal's changes shown field by
// field with the forms' Chinese (and English) labels and translated values — never a raw field
// key —, the entity linked to its own page, and the page on a 390 px phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, choose, apiGet, villageRun, ADMIN_PW, budget } from './lib.mjs';
import zh from '../../web/src/i18n/zh-CN.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  const body = await res.json();
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

/** The field labels of the changes shown in the audit table (every row on the page). */
const labels = (page) => page.getByTestId('audit-table').locator('.pj-diff th').allInnerTexts();
const RAW = /^[a-z][a-z0-9_]*$/; // a field key as the server writes it (labels are Chinese or capitalised)

/** A filter of the page (an Element Plus select) by its accessible name. */
const filter = (page, name) => page.locator('.el-select', { has: page.getByRole('combobox', { name, exact: true }) });

/** The options of an open Element Plus select, in order. */
async function openOptions(page, select) {
  await select.click();
  const list = page.locator('.el-select-dropdown:visible').last();
  await list.getByRole('option').first().waitFor();
  return list.getByRole('option').allInnerTexts();
}

describe('audit log', { timeout: budget(180000) }, () => {
  let minutes, day, appeal;

  test('admin changes a reception day and dispatches an appeal; the audit log finds them by entity and shows their fields by the forms’ labels', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    // a reception day's minutes, leaders and departments (the demo holds them in 2024–2025)
    day = (await apiGet(page, '/enterprise/reception-days?limit=5')).items[0];
    assert.ok(day, 'the demo has reception days');
    const cat = (await apiGet(page, '/enterprise/dispatch-catalogue')).items;
    minutes = `审计日志测试纪要 ${Date.now()}`;
    day = await call(page, 'PATCH', `/enterprise/reception-days/${day.id}`, { version: day.version, minutes, leaders: ['张区长'], department_ids: [cat[0].department_id] });
    // an appeal received by phone and dispatched (its department from the catalogue)
    const jd = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    appeal = await call(page, 'POST', '/enterprise/appeals', { organisation_id: jd.id, channel: 'phone', type: 'help', category: 'land', title: '审计日志测试诉求（e2e）', description: '核对审计日志的字段名称' });
    appeal = await call(page, 'POST', `/enterprise/appeals/${appeal.id}/dispatch`, { version: appeal.version });

    await page.goto('/admin/audit');
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();
    // every entity the console has a label for is offered, sorted by its Chinese label
    const entitySelect = filter(page, '对象类型');
    const offered = await openOptions(page, entitySelect);
    assert.equal(offered.length, Object.keys(zh.auditEntities).length, 'every entity is offered');
    assert.ok(offered.includes('接待日') && offered.includes('老人') && offered.includes('仓库'), offered.join(' '));
    const sorted = await page.evaluate((xs) => xs.every((x, i) => i === 0 || new Intl.Collator('zh-CN').compare(xs[i - 1], x) <= 0), offered);
    assert.ok(sorted, `sorted by label: ${offered.join(' ')}`);
    await page.keyboard.press('Escape');
    // typing filters the choices
    await entitySelect.click();
    await page.keyboard.type('接待');
    const typed = await page.locator('.el-select-dropdown:visible').last().getByRole('option').allInnerTexts();
    assert.ok(typed.length >= 1 && typed.every((x) => x.includes('接待')), typed.join(' '));
    await page.keyboard.press('Escape');

    // the reception day's change: by entity, with the minutes under their form's label
    await choose(page, entitySelect, '接待日');
    await page.waitForURL(/entity=ent_reception_day/);
    const table = page.getByTestId('audit-table');
    const row = table.locator('tr.el-table__row', { hasText: `#${day.id}` }).filter({ hasText: '修改' }).first();
    await row.waitFor();
    await row.locator('.el-table__expand-icon').click();
    const expanded = table.locator('.pj-expand').first();
    await expanded.getByText(minutes).waitFor();
    const shown = await expanded.locator('.pj-diff th').allInnerTexts();
    for (const l of ['会议纪要', '出席领导', '参加部门']) assert.ok(shown.includes(l), `${l} in ${shown.join(' ')}`);
    for (const k of ['minutes', 'leaders', 'department_ids']) assert.ok(!shown.includes(k), `raw ${k} in ${shown.join(' ')}`);
    await expanded.getByRole('cell', { name: cat[0].department, exact: true }).waitFor(); // the department by name, not its id
    assert.equal(await row.getByTestId('audit-entity-link').count(), 0, 'a reception day has no page of its own');
    const raw = (await labels(page)).filter((l) => RAW.test(l));
    assert.deepEqual(raw, [], 'raw field keys in the changes column');
    await shot(page, 'A1-audit-reception-day');

    // the appeal's dispatch: state and time translated, the id linked to the appeal's page
    await choose(page, entitySelect, '企业诉求');
    await choose(page, filter(page, '操作'), '派单');
    await page.waitForURL(/entity=ent_appeal.*action=dispatch|action=dispatch.*entity=ent_appeal/);
    const arow = table.locator('tr.el-table__row', { hasText: `#${appeal.id}` }).first();
    await arow.waitFor();
    const changes = arow.locator('.pj-diff');
    await changes.getByText('状态').waitFor();
    assert.match(await changes.innerText(), /状态\s*已受理\s*→\s*已派单/);
    assert.match(await changes.innerText(), /派单时间\s*—\s*→\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    assert.deepEqual((await labels(page)).filter((l) => RAW.test(l)), [], 'raw field keys in the changes column');
    // every row of the unfiltered first page too
    await page.getByRole('button', { name: '重置' }).click();
    await page.waitForURL((u) => !u.search.includes('entity='));
    await table.locator('tr.el-table__row').nth(5).waitFor();
    assert.deepEqual((await labels(page)).filter((l) => RAW.test(l)), [], 'raw field keys on the first page');
    await choose(page, entitySelect, '企业诉求');
    await choose(page, filter(page, '操作'), '派单');
    // the filtered list, not the one before it (where the appeal has more than one row)
    await page.waitForURL(/entity=ent_appeal.*action=dispatch|action=dispatch.*entity=ent_appeal/);
    const rowsOf = table.locator('tr.el-table__row', { hasText: `#${appeal.id}` });
    for (let i = 0; i < 100 && (await rowsOf.count()) !== 1; i++) await page.waitForTimeout(100);
    assert.equal(await rowsOf.count(), 1, 'one dispatch row of the appeal');
    await table.locator('tr.el-table__row', { hasText: `#${appeal.id}` }).getByTestId('audit-entity-link').click();
    await page.waitForURL(new RegExp(`/enterprise/appeals/${appeal.id}$`));
    await page.getByText('审计日志测试诉求（e2e）').first().waitFor();
    await noProblems(page);
    await context.close();
  });

  test('the same in English', async () => {
    const { context, page } = await openPage(browser);
    await page.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/admin/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();
    const offered = await openOptions(page, filter(page, 'Entity'));
    const sorted = await page.evaluate((xs) => xs.every((x, i) => i === 0 || new Intl.Collator('en').compare(xs[i - 1], x) <= 0), offered);
    assert.ok(sorted, `sorted by label: ${offered.join(' | ')}`);
    await page.keyboard.press('Escape');
    await choose(page, filter(page, 'Entity'), 'Reception day');
    const table = page.getByTestId('audit-table');
    const row = table.locator('tr.el-table__row', { hasText: `#${day.id}` }).filter({ hasText: 'Update' }).first();
    await row.waitFor();
    await row.locator('.el-table__expand-icon').click();
    const expanded = table.locator('.pj-expand').first();
    await expanded.getByText(minutes).waitFor();
    const shown = await expanded.locator('.pj-diff th').allInnerTexts();
    for (const l of ['Minutes', 'Leaders', 'Departments']) assert.ok(shown.includes(l), `${l} in ${shown.join(' | ')}`);
    assert.deepEqual((await labels(page)).filter((l) => RAW.test(l)), [], 'raw field keys in the changes column');
    await choose(page, filter(page, 'Entity'), 'Enterprise appeal');
    const arow = table.locator('tr.el-table__row', { hasText: `#${appeal.id}` }).filter({ hasText: 'Dispatched' }).first();
    await arow.waitFor();
    assert.match(await arow.locator('.pj-diff').innerText(), /State\s*Received\s*→\s*Dispatched/);
    assert.deepEqual((await labels(page)).filter((l) => RAW.test(l)), [], 'raw field keys in the changes column');
    await shot(page, 'A2-audit-en');
    await noProblems(page);
    await context.close();
  });

  test('a drill’s abort and a pairing run’s reject show the record before and after, the run’s row the proposal decided', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    let hotel = null;
    for (const h of (await apiGet(page, '/facilities?type=hotel&state=peacetime&limit=50')).items)
      if ((await apiGet(page, `/manuals?facility_id=${h.id}&scenario=epidemic&limit=1`)).items.length) {
        hotel = h;
        break;
      }
    assert.ok(hotel, 'a hotel in peacetime with an epidemic manual');
    const drill = await call(page, 'POST', '/conversions', { facility_id: hotel.id, scenario: 'epidemic', mode: 'drill' });
    await call(page, 'POST', `/conversions/${drill.id}/abort`, { reason: '审计日志测试中止' });
    const { run, p } = await villageRun(page);
    await call(page, 'POST', `/pairing-runs/${run.id}/reject`, { proposal_ids: [p.id] });
    const table = page.getByTestId('audit-table');
    // the drill: its state before → after (the row had no before: only the state after showed)
    await page.goto(`/admin/audit?entity=conversion&entity_id=${drill.id}&action=drill_abort`);
    const crow = table.locator('tr.el-table__row', { hasText: `#${drill.id}` }).first();
    await crow.waitFor();
    assert.match(await crow.locator('.pj-diff').innerText(), /状态\s*演练中\s*→\s*已中止/);
    // the run: its counts before → after and the proposal rejected
    await page.goto(`/admin/audit?entity=pair_run&entity_id=${run.id}&action=reject`);
    const rrow = table.locator('tr.el-table__row', { hasText: `#${run.id}` }).first();
    await rrow.waitFor();
    await rrow.locator('.el-table__expand-icon').click();
    const expanded = table.locator('.pj-expand').first();
    await expanded.locator('.pj-diff').waitFor();
    const text = await expanded.locator('.pj-diff').innerText();
    assert.match(text, new RegExp(`建议编号\\s*—\\s*→\\s*${p.id}\\b`));
    assert.match(text, new RegExp(`建议编号范围\\s*—\\s*→\\s*${p.id} – ${p.id}`));
    assert.match(text, /各状态建议数\s*待决定 \d+.*→.*已拒绝 1/s);
    assert.deepEqual((await labels(page)).filter((l) => RAW.test(l)), [], 'raw field keys in the changes column');
    await noProblems(page);
    await context.close();
  });

  test('390 px: the filters, the log and its changes fit a phone', async () => {
    const { context, page } = await openPage(browser, { width: 390, height: 844 }, { hasTouch: true });
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/admin/audit?entity=ent_reception_day');
    const table = page.getByTestId('audit-table');
    const row = table.locator('tr.el-table__row', { hasText: `#${day.id}` }).first();
    await row.waitFor();
    await page.waitForTimeout(300);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the page is ${wide} px wide`);
    const box = await filter(page, '对象类型').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `entity filter at ${JSON.stringify(box)}`);
    // the changes are on screen, not beyond a table to scroll sideways
    const label = row.locator('.pj-diff th', { hasText: '会议纪要' });
    const lb = await label.boundingBox();
    assert.ok(lb && lb.x >= 0 && lb.x + lb.width <= 390, `会议纪要 at ${JSON.stringify(lb)}`);
    const sideways = await table.locator('.el-table__body-wrapper .el-scrollbar__wrap').first().evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(sideways <= 1, `the table scrolls ${sideways} px sideways`);
    await row.getByText(minutes).waitFor();
    // the pager's count on one line
    const count = await page.getByText(/^本页 \d+ 条$/).boundingBox();
    assert.ok(count && count.height < 30, `the count is ${count && count.height} px high`);
    await shot(page, 'A3-audit-390');
    await noProblems(page);
    await context.close();
  });
});
