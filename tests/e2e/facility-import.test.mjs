// Facility import and export on the facility list: a township officer chooses a table, sees
// what each row would do (created, updated, unchanged, or an error with its column and reason
// in Chinese), cannot confirm while a row is bad, confirms a good table and finds the
// facilities in the list; the same table again changes nothing; a GBK CSV is refused with a
// message that says how to save it; the export downloads the list as an XLSX workbook. The
// facilities made here are of type "other" without emergency roles, so that no plan or
// overview of the other browser tests counts them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** The preview's rows as [line, action] pairs. */
async function actions(page) {
  const rows = page.getByTestId('facility-import-preview').locator('.el-table__body tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = rows.nth(i).locator('td');
    out.push([(await cells.nth(0).innerText()).trim(), (await cells.nth(1).innerText()).trim()]);
  }
  return out;
}

describe('facility import and export', { timeout: budget(120000) }, () => {
  test('a township officer previews, is stopped by a bad row, imports a good table, and exports', async () => {
    const { context, page } = await openPage(browser, undefined, { acceptDownloads: true });
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    await page.goto('/facilities');
    await page.getByRole('heading', { name: '设施台账' }).waitFor();
    const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + text) });

    // a table with a bad row (a latitude no place has) and one outside the officer's township
    await page.getByTestId('facility-import-open').click();
    const dialog = page.getByTestId('facility-import');
    await dialog.getByText('导入设施台账').waitFor();
    const bad = '名称,类型,乡镇,纬度,经度,地址\n' + '浏览器导入驿站,其他,金海湖地区,40.2,117.3,金海湖东\n' + '纬度写错,其他,金海湖地区,95,117.3,\n' + '别镇的站,其他,滨河街道,40.1,117.1,\n';
    await page.getByTestId('facility-import-file').setInputFiles(file('设施.csv', bad));
    await page.getByTestId('facility-import-blocked').getByText('3 行中有 2 行错误').waitFor();
    assert.deepEqual(await actions(page), [
      ['2', '新建'],
      ['3', '错误'],
      ['4', '错误'],
    ]);
    const preview = page.getByTestId('facility-import-preview');
    await preview.getByText('纬度：“95”超出允许范围').waitFor();
    await preview.getByText('乡镇：超出您的管辖范围').waitFor();
    assert.equal(await page.getByTestId('facility-import-commit').isDisabled(), true, 'a table with bad rows cannot be confirmed');
    await shot(page, '90-facility-import-errors');

    // the corrected table: previewed, confirmed, in the list
    const good = '名称,类型,乡镇,纬度,经度,地址\n' + '浏览器导入驿站,其他,金海湖地区,40.2,117.3,金海湖东\n' + '浏览器导入驿站二号,other,110117006,40.21,117.31,\n';
    await page.getByTestId('facility-import-file').setInputFiles(file('设施.csv', good));
    await page.getByTestId('facility-import-would').getByText('将新建 2，更新 0，未变 0').waitFor();
    await page.getByTestId('facility-import-commit').click();
    await page.getByTestId('facility-import-done').getByText('已导入：新建 2，更新 0，未变 0').waitFor();
    const made = (await apiGet(page, `/facilities?q=${encodeURIComponent('浏览器导入驿站')}&limit=50`)).items;
    assert.equal(made.length, 2);
    assert.deepEqual(new Set(made.map((f) => f.township_name)), new Set(['金海湖地区']));
    await dialog.getByRole('button', { name: '关闭', exact: true }).click();
    await page.goto(`/facilities?q=${encodeURIComponent('浏览器导入驿站')}`);
    await page.getByTestId('facility-table').getByText('浏览器导入驿站二号').waitFor();

    // the same table again: unchanged; then an edit: updated, naming what changes
    await page.getByTestId('facility-import-open').click();
    await page.getByTestId('facility-import-file').setInputFiles(file('设施.csv', good));
    await page.getByTestId('facility-import-would').getByText('将新建 0，更新 0，未变 2').waitFor();
    await page.getByTestId('facility-import-file').setInputFiles(file('设施.csv', good.replace('金海湖东', '金海湖西')));
    await page.getByTestId('facility-import-would').getByText('将新建 0，更新 1，未变 1').waitFor();
    await preview.getByText('更新：地址').waitFor();
    await page.getByTestId('facility-import-commit').click();
    await page.getByTestId('facility-import-done').waitFor();
    assert.equal((await apiGet(page, `/facilities?q=${encodeURIComponent('浏览器导入驿站')}&limit=50`)).items.find((f) => f.name === '浏览器导入驿站').address, '金海湖西');

    // Excel's "CSV" in GBK: refused, with how to save it
    const gbk = Buffer.concat([Buffer.from('c3fbb3c6', 'hex'), Buffer.from('\n'), Buffer.from('b2e2cad4', 'hex'), Buffer.from('\n')]);
    await page.getByTestId('facility-import-file').setInputFiles({ name: 'gbk.csv', mimeType: 'text/csv', buffer: gbk });
    await page.getByTestId('facility-import-error').getByText(/GBK.*UTF-8/).waitFor();
    assert.equal(await page.getByTestId('facility-import-preview').count(), 0, 'no preview');
    // a file of no bytes: said as such (was "send the table itself as …", the API's words)
    await page.getByTestId('facility-import-file').setInputFiles({ name: '空表.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await page.getByTestId('facility-import-error').getByText('空表.csv 是空文件（0 字节）：请选择存有表格的文件。本次未导入任何数据。').waitFor();
    // a header and no rows (a template saved before it was filled in): said so, no "0 imported"
    await page.getByTestId('facility-import-file').setInputFiles(file('模板.csv', 'name,township,address\n,,\n'));
    await page.getByTestId('facility-import-error').getByText('模板.csv 只有表头，没有数据行：请填写数据后重新选择。本次未导入任何数据。').waitFor();
    assert.equal(await page.getByTestId('facility-import-preview').count(), 0, 'no preview');
    await dialog.getByRole('button', { name: '取消', exact: true }).click();

    // the export: the list as an XLSX workbook, the API's bytes
    await page.getByTestId('facility-export-open').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('facility-export-xlsx').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const xlsx = readFileSync(await download.path());
    assert.deepEqual([...xlsx.subarray(0, 4)], [0x50, 0x4b, 3, 4], 'an XLSX file (zip signature)');
    // leave the demo's facilities as they were for the other files (they share one server)
    for (const f of (await apiGet(page, `/facilities?q=${encodeURIComponent('浏览器导入驿站')}&limit=50`)).items) {
      const del = await page.request.delete(`/api/v1/facilities/${f.id}`);
      assert.ok(del.ok(), await del.text());
    }
    noProblems(page);
    await context.close();
  });

  test('a district officer\'s row without township, and a type no facility has, say what to give', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/facilities');
    await page.getByRole('heading', { name: '设施台账' }).waitFor();
    const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + text) });
    await page.getByTestId('facility-import-open').click();
    const table = '名称,类型,乡镇,地址\n将军关村,,,新地址\n类型写错,宾馆,金海湖地区,\n';
    await page.getByTestId('facility-import-file').setInputFiles(file('设施.csv', table));
    await page.getByTestId('facility-import-blocked').getByText('2 行中有 2 行错误').waitFor();
    const preview = page.getByTestId('facility-import-preview');
    await preview.getByText('乡镇：要更新“将军关村”，请填写乡镇（街道）或设施编号（同名设施在金海湖地区）；新建设施还需填写类型、纬度和经度').waitFor();
    await preview.getByText('类型：“宾馆”不是设施类型：请填写酒店、民宿集群、村庄社区、高速服务区、仓储物流、医疗基地、体育场馆、学校或其他（也可填导出表中的英文代码）').waitFor();
    await shot(page, '91-facility-import-township-type');
    noProblems(page);
    await context.close();
  });

  test('the preview is of the file chosen last, though the first file\'s check answers later', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'jinhaihu', DEMO_PW);
    const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + text) });
    // a slow network: the first dry run is answered 1.5 s late
    let checks = 0;
    await page.route(/\/api\/v1\/facilities\/import\?/, async (route) => {
      if (!checks++) await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto('/facilities');
    await page.getByTestId('facility-import-open').click();
    const head = '名称,类型,乡镇,纬度,经度,地址\n';
    // the second file is chosen while the first one's check is on its way (on a loaded machine
    // the two choices could come before the first file was read, and only one was checked)
    const firstAsked = page.waitForRequest(/\/api\/v1\/facilities\/import\?/);
    await page.getByTestId('facility-import-file').setInputFiles(file('甲.csv', head + '迟到的甲表,其他,金海湖地区,40.2,117.3,\n'));
    await firstAsked;
    await page.getByTestId('facility-import-file').setInputFiles(file('乙.csv', head + '乙表一,其他,金海湖地区,40.2,117.3,\n乙表二,其他,金海湖地区,40.21,117.31,\n'));
    await page.getByTestId('facility-import-would').getByText('将新建 2，更新 0，未变 0').waitFor();
    await page.waitForTimeout(2000); // the first file's answer has come by now
    assert.equal(checks, 2, 'both files were checked');
    const preview = page.getByTestId('facility-import-preview');
    assert.equal(await preview.getByText('迟到的甲表').count(), 0, 'the first file is not previewed');
    await preview.getByText('乙表二').waitFor();
    await page.getByTestId('facility-import-would').getByText('将新建 2，更新 0，未变 0').waitFor();
    await page.getByTestId('facility-import').getByRole('button', { name: '取消', exact: true }).click();
    noProblems(page);
    await context.close();
  });
});
