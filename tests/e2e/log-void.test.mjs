// 老人详情 → 服务记录: a log entered by mistake (480 minutes meant as 48, or the wrong elder) is
// voided with its reason (作废): it stays listed, struck through with who voided it and why, its
// credits are taken back, and it counts nowhere any more. Before, the console had no way to
// take a log back at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a service log is voided on the elder page, with its reason, in zh-CN and English', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW, { land: false });
  const elder = (await apiGet(page, '/elders?status=active&limit=1')).items[0];
  const helper = (await apiGet(page, '/helpers?active=1&limit=1')).items[0];
  // at night (04:xx Beijing time), some days back: no visit of the demo then
  const day = 3 + Math.floor(Math.random() * 20);
  const t = new Date(Date.now() - day * 86400000);
  t.setUTCHours(20, Math.floor(Math.random() * 50), 0, 0);
  if (t.getTime() > Date.now() - 3 * 3600000) t.setTime(t.getTime() - 86400000);
  const time_in = t.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const log = await apiSend(page, 'post', '/service-logs', { elder_id: elder.id, helper_id: helper.id, kind: 'cleaning', time_in, minutes: 120, remarks: '误录测试' });
  assert.ok(log.credit_txn_id, JSON.stringify(log));
  const acc0 = await apiGet(page, `/credit-accounts/${(await apiGet(page, `/helpers/${helper.id}`)).credit_account_id}`);

  await page.goto(`/elders/${elder.id}`);
  const table = page.getByTestId('elder-logs');
  const row = table.locator('tr', { hasText: '误录测试' }).first();
  await row.waitFor();
  await row.getByTestId('log-void').click();
  const dlg = page.getByRole('dialog', { name: '作废服务记录' });
  await dlg.getByText('已发放的 2 时间币将从互助员账户扣回', { exact: false }).waitFor();
  await dlg.getByRole('button', { name: '作废' }).click();
  await dlg.getByText('请填写作废原因').waitFor(); // the reason is required
  await dlg.locator('textarea').fill('记错了分钟数，应为 48 分钟');
  await dlg.getByRole('button', { name: '作废' }).click();
  await page.locator('.el-message', { hasText: '已作废，时间币已扣回' }).first().waitFor();
  await dlg.waitFor({ state: 'hidden' });
  const note = row.getByTestId('log-void-note');
  await note.waitFor();
  const text = await note.innerText();
  assert.ok(text.includes('已作废'), text);
  assert.ok(text.includes('：记错了分钟数，应为 48 分钟'), text);
  // struck through, and no second void offered
  const deco = await row.locator('.pj-strike').first().evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.equal(deco, 'line-through');
  assert.equal(await row.getByTestId('log-void').count(), 0);
  await row.scrollIntoViewIfNeeded();
  await shot(page, 'log-void-zh');

  // the server: voided, the credits taken back
  const voided = (await apiGet(page, `/service-logs?elder_id=${elder.id}&voided=1`)).items.find((x) => x.id === log.id);
  assert.ok(voided && voided.voided && voided.void_reason === '记错了分钟数，应为 48 分钟', JSON.stringify(voided));
  const acc = await apiGet(page, `/credit-accounts/${acc0.id}`);
  assert.equal(acc.balance_min, acc0.balance_min - 120);

  // in English
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  const en = await page.getByTestId('elder-logs').locator('tr', { hasText: '误录测试' }).first().getByTestId('log-void-note').innerText();
  assert.match(en, /Voided/);
  assert.ok(en.includes(': 记错了分钟数，应为 48 分钟'), en);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
