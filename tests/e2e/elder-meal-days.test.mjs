// The days of an elder's meals: 每周助餐天数 was a count, read by the missed-meal scan as that many
// days in a row from Monday — an elder with meals on Mon/Wed/Fri entered as 3 had a false 漏餐 on
// Tuesday. The form asks for the days (周一…周日), says that missed meals are checked on those
// only, and saves them (meal_weekdays); the elder's page names them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('助餐日: Mon/Wed/Fri ticked in the form are saved as those days and named on the elder page', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW, { land: false });
  const items = (await apiGet(page, '/elders?status=active&view=full&limit=100')).items.reverse();
  const elder = items.find((e) => e.meal_provider !== 'none' && e.meal_days >= 2 && e.meal_days <= 6);
  assert.ok(elder, 'an elder with meals on some days of the week');
  const names = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
  // a count of before: its days, from Monday, said
  await page.goto(`/elders/${elder.id}`);
  await page.getByTestId('meal-days').getByText(`每周 ${elder.meal_days} 天（${elder.meal_weekdays.map((d) => names[d]).join('、')}）`, { exact: true }).waitFor();
  assert.deepEqual(elder.meal_weekdays, [1, 2, 3, 4, 5, 6].slice(0, elder.meal_days));

  await page.goto(`/elders/${elder.id}/edit`);
  const days = page.getByTestId('f-meal-weekdays');
  await days.waitFor();
  for (let d = 1; d <= 7; d++) {
    const box = days.locator(`[data-day="${d}"]`);
    const on = await box.locator('input').isChecked();
    if (on !== [1, 3, 5].includes(d)) await box.click();
  }
  const hint = page.getByTestId('meal-days-hint');
  await hint.getByText('每周 3 天：周一、周三、周五。漏餐提醒只在这些日子检查，其余日子不提醒。', { exact: true }).waitFor();
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/elders/${elder.id}` && r.request().method() === 'PATCH');
  await page.getByTestId('save-elder').click();
  const res = await saved;
  assert.equal(res.status(), 200);
  assert.deepEqual(JSON.parse(res.request().postData()).meal_weekdays, [1, 3, 5]);
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  const now = await apiGet(page, `/elders/${elder.id}`);
  assert.deepEqual(now.meal_weekdays, [1, 3, 5]);
  assert.equal(now.meal_days, 3);
  await page.getByTestId('meal-days').getByText('每周 3 天（周一、周三、周五）', { exact: true }).waitFor();
  // in English
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.getByTestId('meal-days').getByText('3 days a week (Monday, Wednesday, Friday)', { exact: true }).waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
