// The quick entry's times refused by the API say what to change at 结束时间: an end before the
// start, a visit longer than the limit (480 minutes, the API's elder_log_max_minutes) — both
// were a bare "数值超出允许范围" — in Chinese and English; nothing is logged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A datetime-local value in Beijing time, `h` hours from now. */
const beijing = (h) => new Date(Date.now() + (8 + h) * 3600000).toISOString().slice(0, 16);

test('quick entry: a reversed or too-long visit is said so at 结束时间, with the limit', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 390, height: 844 }, { hasTouch: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  const first = page.getByTestId('entry-elders').locator('[data-elder]').first();
  const elderId = await first.getAttribute('data-elder');
  const logs = async () => (await apiGet(page, `/service-logs?elder_id=${elderId}&limit=500`)).items.length;
  const before = await logs();
  await first.click();
  await page.getByTestId('entry-elder').waitFor();
  const end = page.locator('.el-form-item', { has: page.getByTestId('time-out') }).locator('.el-form-item__error');
  const save = async (from, to) => {
    await page.getByTestId('time-in').fill(from);
    await page.getByTestId('time-out').fill(to);
    await page.getByTestId('entry-save').click();
  };
  await save(beijing(-2), beijing(-3));
  await end.getByText('结束时间早于开始时间', { exact: true }).waitFor();
  await shot(page, 'quick-entry-reversed');
  await save(beijing(-13), beijing(-1));
  await end.getByText('单次服务最长 480 分钟（8 小时），请核对结束时间', { exact: true }).waitFor();
  await shot(page, 'quick-entry-too-long');
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.getByTestId('entry-elders').locator(`[data-elder="${elderId}"]`).click();
  await page.getByTestId('entry-elder').waitFor();
  await save(beijing(-13), beijing(-1));
  await end.getByText('A visit lasts at most 480 minutes (8 hours): check the end time', { exact: true }).waitFor();
  await save(beijing(-2), beijing(-3));
  await end.getByText('The end is before the start', { exact: true }).waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.equal(await logs(), before, 'nothing logged');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
