// 老人详情 → 服务记录 showed the 20 logs entered last and nothing more: older logs could be seen
// and voided nowhere (this table is the console's only list of them), and a visit made now but
// entered before 22 meals of earlier days was missing though 最近探访 showed it. The table now
// reads the elder's logs by when the service was done, newest first, a page at a time with
// 加载更多, like the pairs and alerts above it; a log of the second page is voided there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiPost, idNumber, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const iso = (ms) => new Date(Math.floor(ms / 60000) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');

test("an elder's service logs beyond the first 20: the newest visit on top, the rest on request, an old one voided", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  // an elder of their own, so that no other test's logs are among these
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const elder = await apiPost(page, '/elders', { name: '分页测试老人', sex: 'F', birth_date: '1944-05-06', id_number: idNumber('19440506'), grid_id: grid, ability_level: 1 }, 201);
  const now = Date.now();
  // the visit of now, entered first; then 22 meals of the 22 days before, by one quick entry
  await apiPost(page, '/service-logs', { elder_id: elder.id, kind: 'companionship', time_in: iso(now - 3600e3), minutes: 30, remarks: '刚才的探访' }, 201);
  const meals = [];
  for (let d = 1; d <= 22; d++) meals.push({ elder_id: elder.id, kind: 'meal', time_in: iso(now - d * 86400e3), minutes: 20, remarks: `第${d}天前的餐` });
  await apiPost(page, '/service-logs', { entries: meals }, 201);

  await page.goto(`/elders/${elder.id}`);
  const rows = page.getByTestId('elder-logs').locator('.el-table__body-wrapper tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 20);
  assert.ok((await rows.first().innerText()).includes('刚才的探访'), 'the visit of now on top');
  const more = page.locator('[data-testid="load-more"][data-list="elder-logs"]');
  assert.match(await more.innerText(), /已显示 20 条，还有更多/);
  await more.getByRole('button', { name: '加载更多' }).click();
  await more.waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 23);
  const texts = await rows.allInnerTexts();
  assert.ok(texts[22].includes('第22天前的餐'), 'the oldest last');

  // the oldest, on the second page, is voided there and stays in view, struck through
  const oldest = rows.filter({ hasText: '第22天前的餐' });
  await oldest.getByTestId('log-void').click();
  const dlg = page.getByRole('dialog', { name: '作废服务记录' });
  await dlg.locator('textarea').fill('重复录入');
  await dlg.getByRole('button', { name: '作废' }).click();
  await page.locator('.el-message', { hasText: '已作废' }).first().waitFor();
  await oldest.getByTestId('log-void-note').waitFor();
  assert.equal(await rows.count(), 23, 'the pages read stay after the void');
  const voided = (await apiGet(page, `/service-logs?elder_id=${elder.id}&voided=1`)).items;
  assert.equal(voided.length, 1);
  assert.equal(voided[0].remarks, '第22天前的餐');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
