// The coverage report says what it shows. A grid worker's report by township counts their own
// grids only, but the row was named as the whole township (grid01 saw 滨河街道 with 1048 elders of
// the township's 10,640): it is named 滨河街道（本人网格）. The bars have room for 40 areas and
// showed the 40 with most elders, silently: they show the worst covered, and say so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, ADMIN_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const names = async (page) =>
  (await page.getByTestId('coverage-table').locator('.el-table__body-wrapper tbody tr td:first-child').allInnerTexts()).map((s) => s.trim());

test("a grid worker's report by township is named as their own grids", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW, { land: false });
  const town = (await apiGet(page, '/eldercare/coverage?group=township')).rows;
  assert.equal(town.length, 1);
  await page.goto('/eldercare/coverage');
  await page.getByTestId('coverage-own').getByText('统计范围：本人负责的网格').waitFor();
  await page.getByTestId('coverage-group').getByText('按乡镇').click();
  await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid=coverage-name]')].some((x) => x.textContent === want), `${town[0].name}（本人网格）`);
  assert.deepEqual(await names(page), [`${town[0].name}（本人网格）`]);
  const bars = page.getByTestId('coverage-bars').locator('[role=img]').first();
  assert.match(await bars.getAttribute('aria-label'), new RegExp(`${town[0].name}（本人网格）`));
  // by grid: the grids' own names
  await page.getByTestId('coverage-group').getByText('按网格').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=coverage-name]').length > 0 && ![...document.querySelectorAll('[data-testid=coverage-name]')].some((x) => x.textContent.includes('本人网格')));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('the bars show the worst-covered villages and say how many of how many', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', ADMIN_PW, { land: false });
  const rows = (await apiGet(page, '/eldercare/coverage?group=village')).rows;
  const worst = (r) => Math.min(...['meals_pct', 'doctor_pct', 'paired_pct'].map((k) => r[k]).filter((x) => x != null));
  const lowest = rows.filter((r) => r.elders > 0).sort((a, b) => worst(a) - worst(b))[0];
  await page.goto('/eldercare/coverage');
  await page.getByTestId('coverage-group').getByText('按村', { exact: true }).click();
  const note = page.getByTestId('bars-note');
  if (rows.length > 40) await note.getByText(`覆盖率最低的前 40 个（共 ${rows.length} 个，按三有中最低一项排序）`).waitFor();
  else await note.getByText(`全部 ${rows.length} 个，覆盖率最低的在前`).waitFor();
  const bars = page.getByTestId('coverage-bars').locator('[role=img]').first();
  await page.waitForFunction((n) => document.querySelector('[data-testid=coverage-bars] [role=img]')?.getAttribute('aria-label')?.includes(n), lowest.name);
  assert.ok((await bars.getAttribute('aria-label')).includes(lowest.name), 'the worst-covered village is in the bars');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
