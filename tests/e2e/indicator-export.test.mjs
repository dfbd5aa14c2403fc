// The indicators are every role's to read (the district's public statistics), and so to export:
// a viewer and a township officer export all values from 指标数据 and one indicator's from its
// page, CSV and XLSX, as the API gives them; the import page stays the district's.
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
async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

describe('indicator export for every reader', { timeout: budget(120000) }, () => {
  for (const user of ['viewer', 'jinhaihu']) {
    test(`${user}: exports all values from the list and one indicator's from its page`, async () => {
      const { context, page } = await openPage(browser);
      await login(page, user, DEMO_PW, { land: false });
      await page.goto('/development/indicators');
      await page.getByTestId('ind-table').locator('tbody tr').first().waitFor();
      const all = await download(page, 'export-values');
      assert.equal(all.name, 'indicators.csv');
      const api = await (await page.request.get(BASE + '/api/v1/indicators/export')).text();
      assert.equal(all.bytes.toString('utf8').replace(/^\uFEFF/, ''), api.replace(/^\uFEFF/, ''));
      await page.getByTestId('ind-open-gdp').click();
      await page.getByTestId('ind-value-table').waitFor();
      const one = await download(page, 'export-values');
      assert.equal(one.name, 'indicator-gdp.csv');
      const lines = one.bytes.toString('utf8').trim().split(/\r?\n/);
      assert.match(lines[0], /^\uFEFF?code,region,period,value/);
      assert.ok(lines.length > 2);
      assert.ok(lines.slice(1).every((l) => l.startsWith('gdp,')), 'only gdp');
      const x = await download(page, 'export-xlsx');
      assert.equal(x.name, 'indicator-gdp.xlsx');
      assert.deepEqual([...x.bytes.subarray(0, 4)], [0x50, 0x4b, 3, 4], 'an XLSX file');
      // the import stays the district's
      await page.goto('/development/import');
      await page.getByText(/无权访问此页面/).waitFor();
      noProblems(page);
      await context.close();
    });
  }
});
