// The district indicators in the console (issue 8): the import sends the file's bytes as they
// are, so an XLSX workbook previews and imports (the console's own XLSX export, read back), and
// a CSV in GBK (Excel's "CSV" on a Chinese Windows) is refused with a message that says so —
// nothing garbled is previewed and nothing can be committed; on a phone the bad rows' reasons
// are shown whole. An indicator's values by period, newest first with their change on a year
// earlier; a district officer revises a value (a value changed meanwhile: the 409 is offered
// for reloading, the officer's change kept) and reads its revision history (who, when,
// old → new, source); a value typed for the wrong period is deleted after a confirmation (the
// audit log keeps it with its revisions); a viewer reads only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** gdp's value of 平谷区 for a period, as the API has it now. */
async function gdpValue(page, period) {
  const items = (await apiGet(page, `/indicators/values?code=gdp&region=${encodeURIComponent('平谷区')}&period=${period}`)).items;
  assert.equal(items.length, 1, `gdp ${period}`);
  return items[0];
}

describe('district indicators', { timeout: budget(120000) }, () => {
  test('export: an XLSX workbook next to the CSV export', async () => {
    const { context, page } = await openPage(browser, undefined, { acceptDownloads: true });
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/import');
    await page.getByRole('heading', { name: '指标导入' }).waitFor();
    await page.getByTestId('export-values').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const xlsx = readFileSync(await download.path());
    assert.deepEqual([...xlsx.subarray(0, 4)], [0x50, 0x4b, 3, 4], 'an XLSX file (zip signature)');
    // the bytes as the server sent them (not text decoded and encoded again, which breaks the
    // zip's offsets): the central directory where its end record says, ending at that record
    const end = xlsx.length - 22;
    assert.equal(xlsx.readUInt32LE(end), 0x06054b50, 'the zip end record last');
    const cdSize = xlsx.readUInt32LE(end + 12), cdAt = xlsx.readUInt32LE(end + 16);
    assert.equal(cdAt + cdSize, end);
    assert.equal(xlsx.readUInt32LE(cdAt), 0x02014b50, 'the central directory where its end record says');
    // and as big as the API's export (its document properties hold the time it was made: a
    // second later, a byte more or less once compressed)
    const api = await page.request.get('/api/v1/indicators/export?format=xlsx');
    assert.ok(Math.abs(xlsx.length - (await api.body()).length) <= 8, `${xlsx.length} bytes against the API's ${(await api.body()).length}`);
    noProblems(page);
    await context.close();
  });

  test('import: an XLSX workbook previews (one revision, the rest unchanged) and imports', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/import');
    await page.getByRole('heading', { name: '指标导入' }).waitFor();
    // the bureau's workbook: here the API's own export of every value
    const res0 = await page.request.get('/api/v1/indicators/export?format=xlsx');
    assert.equal(res0.status(), 200);
    const xlsx = await res0.body();
    const total = (await apiGet(page, '/indicators/values?limit=500')).items.length;

    // someone changes one value after the export: importing the workbook revises it back
    const v = await gdpValue(page, '2020');
    const res = await page.request.patch(`/api/v1/indicators/values/${v.id}`, { data: { version: v.version, value: v.value + 1 } });
    assert.equal(res.status(), 200, await res.text());
    await page.getByTestId('import-file').setInputFiles({ name: '统计表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    const check = page.getByTestId('import-check');
    await check.getByText(`共 ${total} 行，错误 0 行`).waitFor();
    await page.getByTestId('import-would').getByText(`导入后：新增 0，修订 1，未变 ${total - 1}`).waitFor();
    assert.equal(await page.getByTestId('import-error').count(), 0);
    await shot(page, '53-dev-import-xlsx');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').getByText(`已导入 ${total} 行：新增 0，修订 1`).waitFor();
    assert.equal((await gdpValue(page, '2020')).value, v.value, 'the exported value is back');
    noProblems(page);
    await context.close();
  });

  test('import: a GBK CSV is refused (save as UTF-8); nothing garbled is previewed or can be committed', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/import');
    await page.getByRole('heading', { name: '指标导入' }).waitFor();
    const before = (await apiGet(page, '/indicators/values?code=gdp&limit=500')).items.length;
    // code,region,period,value,source / gdp,平谷区,2019,380,区统计局 — in GBK
    const gbk = Buffer.concat([
      Buffer.from('code,region,period,value,source\ngdp,'),
      Buffer.from('c6bdb9c8c7f8', 'hex'),
      Buffer.from(',2019,380,'),
      Buffer.from('c7f8cdb3bcc6bed6', 'hex'),
      Buffer.from('\n'),
    ]);
    await page.getByTestId('import-file').setInputFiles({ name: 'gbk.csv', mimeType: 'text/csv', buffer: gbk });
    const err = page.getByTestId('import-error');
    await err.getByText(/GBK.*UTF-8/).waitFor();
    assert.match(await err.innerText(), /另存为“CSV UTF-8/);
    assert.equal(await page.getByTestId('import-check').count(), 0, 'no preview');
    assert.equal(await page.getByTestId('import-commit').count(), 0, 'nothing to commit');
    assert.equal(await page.getByText('\ufffd').count(), 0, 'no replacement characters on the page');
    await shot(page, '54-dev-import-gbk');
    // an old binary .xls workbook: the server cannot read it, and the console says what to do
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    await page.getByTestId('import-file').setInputFiles({ name: '统计表.xls', mimeType: 'application/vnd.ms-excel', buffer: xls });
    await err.getByText(/\.xls）无法读取.*另存为“Excel 工作簿（\.xlsx）”/).waitFor();
    assert.equal(await page.getByTestId('import-commit').count(), 0, 'nothing to commit');
    assert.equal((await apiGet(page, '/indicators/values?code=gdp&limit=500')).items.length, before, 'nothing imported');
    noProblems(page);
    await context.close();
  });

  test('import on a phone: the bad rows’ line, column and reason are shown whole', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/import');
    const bad = 'code,period,value,source\nfreight_volume,2012,900,区统计局\nfreight_volume,2013,9.0.1,区统计局\nfreight_volume,2014,1000,区统计局\n';
    await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByTestId('import-check').getByText('共 3 行，错误 1 行').waitFor();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const text = await errors.innerText();
    assert.match(text, /3/);
    assert.match(text, /数值/);
    // every piece of text of the bad rows lies within the window (none cut off at the right)
    const cut = await errors.evaluate((el) => {
      const out = [];
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (!n.textContent.trim()) continue;
        const r = document.createRange();
        r.selectNodeContents(n);
        for (const b of r.getClientRects()) if (b.right > window.innerWidth + 0.5 || b.left < -0.5) out.push(`${n.textContent.trim()} (${Math.round(b.left)}–${Math.round(b.right)})`);
      }
      return out;
    });
    assert.deepEqual(cut, [], 'text of the bad rows outside the 390 px window');
    await shot(page, '55-dev-import-phone-errors');
    noProblems(page);
    await context.close();
  });

  test('an indicator’s values newest first with their change; an officer revises one (409: reload keeps the change); its history', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/indicators');
    await page.getByRole('heading', { name: '指标数据' }).waitFor();
    await page.getByTestId('ind-open-gdp').click();
    await page.getByRole('heading', { name: /地区生产总值/ }).waitFor();
    const table = page.getByTestId('ind-value-table');
    const rows = table.locator('.el-table__body-wrapper tbody tr');
    const api = (await apiGet(page, `/indicators/values?code=gdp&region=${encodeURIComponent('平谷区')}`)).items;
    await rows.nth(api.length - 1).waitFor();
    assert.equal(await rows.count(), api.length);
    const periods = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td').innerText.trim()));
    assert.deepEqual(periods, ['2024H1', '2023', '2023H1', '2022', '2021', '2020'], 'newest first');
    // the change on a year earlier, as the server derives it
    const yoy = await apiGet(page, `/indicators/derived?fn=yoy&code=gdp&period=2023&region=${encodeURIComponent('平谷区')}`);
    const row2023 = rows.nth(1);
    await row2023.getByTestId('ind-yoy').getByText(`+${yoy.rounded}%`).waitFor();
    assert.equal((await rows.nth(5).getByTestId('ind-yoy').innerText()).trim(), '—', '2020 has no year before');

    // revise 2022: value, source, note
    const v2022 = await gdpValue(page, '2022');
    await page.getByTestId('ind-revise-2022').click();
    const dlg = page.getByTestId('ind-revise-dialog');
    await dlg.getByTestId('ind-input-value').locator('input').fill('480');
    await dlg.getByTestId('ind-input-source').fill('区统计局');
    await dlg.getByTestId('ind-input-note').fill('统计年鉴更正');
    await dlg.getByTestId('ind-save').click();
    await rows.nth(3).getByText('480 亿元').waitFor();
    const after = await gdpValue(page, '2022');
    assert.equal(after.value, 480);
    assert.equal(after.source, '区统计局');
    assert.equal(after.note, '统计年鉴更正');
    assert.equal(after.version, v2022.version + 1);

    // revise 2021 while someone else changes it: 409, reload keeps the officer's value
    const v2021 = await gdpValue(page, '2021');
    await page.getByTestId('ind-revise-2021').click();
    await dlg.getByTestId('ind-input-value').locator('input').fill('445');
    const other = await page.request.patch(`/api/v1/indicators/values/${v2021.id}`, { data: { version: v2021.version, value: 443, source: '市统计局' } });
    assert.equal(other.status(), 200, await other.text());
    await dlg.getByTestId('ind-save').click();
    await dlg.getByTestId('ind-conflict').waitFor();
    await dlg.getByTestId('ind-reload').click();
    await dlg.getByTestId('ind-current').getByText(`第 ${v2021.version + 1} 版`).waitFor();
    assert.equal(await dlg.getByTestId('ind-input-value').locator('input').inputValue(), '445', 'the officer’s value kept');
    assert.equal(await dlg.getByTestId('ind-input-source').inputValue(), '市统计局', 'the latest source');
    await dlg.getByTestId('ind-save').click();
    await rows.nth(4).getByText('445 亿元').waitFor();
    assert.equal((await gdpValue(page, '2021')).version, v2021.version + 2);

    // the history of 2021: two revisions, newest first, who, old → new, source
    await page.getByTestId('ind-history-2021').click();
    const hist = page.getByTestId('ind-history');
    const revs = hist.getByTestId('ind-revision');
    await revs.nth(1).waitFor();
    assert.equal(await revs.count(), 2);
    assert.match(await revs.nth(0).getByTestId('ind-rev-value').innerText(), /443 亿元 → 445 亿元/);
    assert.match(await revs.nth(1).getByTestId('ind-rev-value').innerText(), /442 亿元 → 443 亿元/);
    assert.match(await revs.nth(1).getByTestId('ind-rev-source').innerText(), /模拟数据 → 市统计局/);
    // who revised it: the display name, the username as the hover text
    const by = revs.nth(0).getByTestId('ind-rev-by');
    assert.equal((await by.innerText()).trim(), '区应急局值班员');
    assert.equal(await by.getAttribute('title'), 'officer');
    await shot(page, '56-dev-indicator-history');
    noProblems(page);
    await context.close();
  });

  test('an officer deletes a value typed for the wrong period, after a confirmation; the audit log keeps it', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    // GDP of 2024 typed as 0 (and revised once): the 2024 growth counts it
    const made = await page.request.post('/api/v1/indicators/values', { data: { code: 'gdp', period: '2024', value: 0 } });
    assert.equal(made.status(), 201, await made.text());
    const stray = await made.json();
    const fixed = await page.request.patch(`/api/v1/indicators/values/${stray.id}`, { data: { version: 1, value: 5 } });
    assert.equal(fixed.status(), 200, await fixed.text());
    await page.goto('/development/indicators');
    await page.getByTestId('ind-open-gdp').click();
    const rows = page.getByTestId('ind-value-table').locator('.el-table__body-wrapper tbody tr');
    const row2024 = rows.filter({ hasText: /^\s*2024\s/ });
    await page.getByTestId('ind-delete-2024').waitFor();
    // cancelled: nothing sent
    await page.getByTestId('ind-delete-2024').click();
    let box = page.getByRole('dialog', { name: '删除数值' });
    await box.getByText('平谷区 2024 5 亿元', { exact: false }).waitFor();
    await box.getByRole('button', { name: '取消' }).click();
    await box.waitFor({ state: 'hidden' });
    assert.equal((await gdpValue(page, '2024')).id, stray.id);
    // confirmed: gone, with its revision
    await page.getByTestId('ind-delete-2024').click();
    box = page.getByRole('dialog', { name: '删除数值' });
    await box.getByRole('button', { name: '删除' }).click();
    await page.getByText('已删除：平谷区 2024 5 亿元').waitFor();
    await page.getByTestId('ind-delete-2024').waitFor({ state: 'detached' });
    assert.equal(await row2024.count(), 0);
    assert.equal((await page.request.get(`/api/v1/indicators/values/${stray.id}`)).status(), 404);
    const yoy = await page.request.get(`/api/v1/indicators/derived?fn=yoy&code=gdp&period=2024`);
    assert.equal(yoy.status(), 404, 'the growth no longer counts it');
    // the audit log: the deletion with the value as it was and its revision (0 → 5)
    await page.goto('/admin/audit?entity=indicator_value');
    const entry = page.getByTestId('audit-table').locator('tr.el-table__row', { hasText: `#${stray.id}` }).first();
    await entry.waitFor();
    await entry.getByText('删除').first().waitFor();
    await entry.locator('.el-table__expand-icon').click();
    const expanded = page.getByTestId('audit-table').locator('.pj-expand').first();
    await expanded.locator('.pj-diff th', { hasText: '修订记录' }).waitFor();
    const shown = await expanded.locator('.pj-diff th').allInnerTexts();
    assert.ok(shown.includes('期间') && shown.includes('数值'), shown.join(' '));
    await expanded.getByText('0 → 5', { exact: false }).waitFor();
    noProblems(page);
    await context.close();
  });

  test('a viewer reads an indicator’s values (from the dashboard) and history, without a revise action', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'viewer', DEMO_PW, { land: false });
    // from the dashboard's trend card: the chosen indicator's values
    await page.goto('/development/dashboard');
    await page.getByTestId('trend-values').click();
    await page.getByRole('heading', { name: /地区生产总值/ }).waitFor();
    const rows = page.getByTestId('ind-value-table').locator('.el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    await page.getByTestId('ind-history-2022').waitFor();
    assert.equal(await page.locator('[data-testid^="ind-revise-"], [data-testid^="ind-delete-"]').count(), 0, 'no revise or delete buttons');
    await page.getByTestId('ind-history-2022').click();
    const revs = page.getByTestId('ind-history').getByTestId('ind-revision');
    await revs.first().waitFor();
    assert.match(await revs.first().getByTestId('ind-rev-value').innerText(), /→ 480 亿元/);
    assert.match(await revs.first().getByTestId('ind-rev-source').innerText(), /→ 区统计局/);
    assert.equal(await page.getByTestId('ind-history').getByRole('button', { name: /修订|保存/ }).count(), 0);
    noProblems(page);
    await context.close();
  });
});
