// The facility list's export in the headings of the console's language: in Chinese the file's
// columns are the Chinese headings the import reads (编号, 版本, 名称, …), English headings one
// pick below; in English the other way round. Either file is the API's export with those
// headings, and the Chinese one imports back with nothing to change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, login, DEMO_PW, BASE, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
// picks the export from the menu (opened when it is not open)
async function download(page, testid) {
  if (!(await page.getByTestId(testid).isVisible())) await page.getByTestId('facility-export-open').click();
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  await page.getByTestId(testid).waitFor({ state: 'hidden' }); // the menu closed on the pick
  return { name: d.suggestedFilename(), text: readFileSync(await d.path()).toString('utf8').replace(/^\uFEFF/, '') };
}
const ZH = '编号,版本,名称,类型,乡镇,村/社区,地址,纬度,经度,运营单位,';
const EN = 'id,version,name,type,township,village,address,lat,lon,operator,';

describe('facility export headings', { timeout: budget(120000) }, () => {
  test('Chinese console: Chinese headings first, English on request; the file imports back unchanged', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/facilities?township_id=2');
    await page.getByTestId('facility-table').locator('tbody tr').first().waitFor();
    await page.getByTestId('facility-export-open').click();
    await page.getByTestId('facility-export-csv').getByText('导出 CSV（中文表头）').waitFor();
    await page.getByTestId('facility-export-csv-en').getByText('导出 CSV（英文表头）').waitFor();
    await page.getByTestId('facility-export-xlsx-en').getByText('导出 Excel（.xlsx，英文表头）').waitFor();
    const zh = await download(page, 'facility-export-csv');
    assert.equal(zh.name, 'facilities.csv');
    assert.ok(zh.text.startsWith(ZH), zh.text.slice(0, 80));
    const api = await (await page.request.get(BASE + '/api/v1/facilities/export?township_id=2&headings=zh')).text();
    assert.equal(zh.text, api, 'the API\'s export with Chinese headings, of the list\'s filter');
    const en = await download(page, 'facility-export-csv-en');
    assert.ok(en.text.startsWith(EN), en.text.slice(0, 80));
    assert.equal(en.text.slice(en.text.indexOf('\n')), zh.text.slice(zh.text.indexOf('\n')), 'the same rows');
    // the Chinese table read back: nothing to change
    const check = await page.request.post(BASE + '/api/v1/facilities/import?dry_run=1', { headers: { 'Content-Type': 'text/csv' }, data: Buffer.from(zh.text) });
    const got = await check.json();
    assert.ok(check.ok(), JSON.stringify(got));
    assert.equal(got.bad_rows, 0);
    assert.equal(got.unchanged, got.rows);
    assert.ok(got.rows > 0);
    noProblems(page);
    await context.close();
  });

  test('English console: English headings first, Chinese on request', async () => {
    const { context, page } = await openPage(browser);
    await context.addInitScript(() => localStorage.getItem('pj_locale') || localStorage.setItem('pj_locale', 'en'));
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/facilities?township_id=2');
    await page.getByTestId('facility-table').locator('tbody tr').first().waitFor();
    await page.getByTestId('facility-export-open').click();
    await page.getByTestId('facility-export-csv').getByText('Export CSV (English headings)').waitFor();
    await page.getByTestId('facility-export-csv-zh').getByText('Export CSV (Chinese headings)').waitFor();
    const en = await download(page, 'facility-export-csv');
    assert.ok(en.text.startsWith(EN), en.text.slice(0, 80));
    const zh = await download(page, 'facility-export-csv-zh');
    assert.ok(zh.text.startsWith(ZH), zh.text.slice(0, 80));
    noProblems(page);
    await context.close();
  });
});
