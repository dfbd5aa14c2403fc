// The coverage report for a viewer: the API takes any region_id from a viewer (the report is
// district-wide), but the console gave viewers no township or village filter, only the whole
// district. They now pick from every township of the district, then its villages, as a
// district role does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, choose, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const rowNames = async (page) =>
  (await page.getByTestId('coverage-table').locator('.el-table__body-wrapper tbody tr td:first-child').allInnerTexts()).map((s) => s.trim()).sort();

test('a viewer filters the coverage report by township and village (every township offered)', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'viewer', DEMO_PW, { land: false });
  const towns = (await apiGet(page, '/regions?type=township&limit=200')).items;
  assert.ok(towns.length > 1, 'townships');
  await page.goto('/eldercare/coverage');
  await page.getByTestId('coverage-map').locator('canvas').first().waitFor();
  // every township of the district offered
  await page.getByTestId('filter-township').click();
  for (const x of towns) await page.getByRole('option', { name: x.name, exact: true }).waitFor();
  await page.keyboard.press('Escape');
  // a township, by village: that township's villages, as the API answers the viewer
  const town = towns.find((x) => x.name === '金海湖地区') ?? towns[0];
  await choose(page, page.getByTestId('filter-township'), town.name);
  await page.getByTestId('coverage-group').getByText('按村').click();
  const want = await apiGet(page, `/eldercare/coverage?group=village&region_id=${town.id}`);
  const names = want.rows.map((r) => r.name).sort();
  assert.ok(names.length > 1, 'villages of the township');
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="coverage-table"] .el-table__body-wrapper tbody tr').length === n,
    names.length,
  );
  assert.deepEqual(await rowNames(page), names);
  for (const k of ['meals_pct', 'doctor_pct', 'paired_pct'])
    await page.getByTestId('coverage-total').locator(`[data-need="${k}"]`).getByText(want.total[k] == null ? '—' : `${Number(want.total[k]).toFixed(1)}%`).waitFor();
  // a village of it: that village alone
  const village = want.rows.find((r) => want.rows.filter((x) => x.name === r.name).length === 1);
  await choose(page, page.getByTestId('filter-village'), village.name);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="coverage-table"] .el-table__body-wrapper tbody tr').length === 1);
  assert.deepEqual(await rowNames(page), [village.name]);
  await noProblems(page);
  await context.close();
});
