// 每周助餐天数 is read by the missed-meal scan as N days in a row from Monday, which the form did
// not say: an elder with meals on Mon/Wed/Fri entered as 3 had a false 漏餐 on Tuesday. The form
// labels the field with the rule and says the days it makes; the elder's page says them too.
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

test('每周助餐天数: labelled 从周一起连续, the days it makes said in the form and on the elder page', { timeout: 120000 }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW);
  const items = (await apiGet(page, '/elders?status=active&view=full&limit=100')).items;
  const elder = items.find((e) => e.meal_provider !== 'none' && e.meal_days >= 2 && e.meal_days <= 6);
  assert.ok(elder, 'an elder with meals on some days of the week');
  const days = ['', '周一', '周二', '周三', '周四', '周五', '周六'];

  await page.goto(`/elders/${elder.id}`);
  await page.getByTestId('meal-days').getByText(`每周 ${elder.meal_days} 天（周一至${days[elder.meal_days]}）`, { exact: true }).waitFor();

  await page.goto(`/elders/${elder.id}/edit`);
  const item = page.locator('.el-form-item', { has: page.getByTestId('f-meal-days') });
  await item.getByText('每周助餐天数（从周一起连续）').waitFor();
  const input = page.getByTestId('f-meal-days').locator('input').or(page.locator('input[data-testid=f-meal-days]')).first();
  await input.fill('3');
  await input.press('Tab');
  const hint = page.getByTestId('meal-days-hint');
  await hint.getByText('漏餐提醒按从周一起连续 N 天计算：周一至周三有餐', { exact: false }).waitFor();
  await hint.getByText('隔天送餐（如周一、三、五）的老人，在无餐日也会被提醒漏餐', { exact: false }).waitFor();
  await input.fill('7');
  await input.press('Tab');
  await hint.getByText('每天有餐', { exact: false }).waitFor();
  // back as it was (nothing to save), then in English
  await input.fill(String(elder.meal_days));
  await input.press('Tab');
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.locator('.el-form-item', { has: page.getByTestId('f-meal-days') }).getByText('Meal days a week (in a row from Monday)').waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
