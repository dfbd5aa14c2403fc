// The time-bank ledger's entry for a voided log said "void of log 6744: 录错了老人" in the zh-CN
// console: the server wrote English before the reason. It keeps the reason alone now (the
// entry's kind and log_id say the rest) and the console words it: 作废服务记录 #6744：录错了老人,
// "Void of service log #6744: 录错了老人" in English.
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

test("a void's ledger entry names the log and the reason in the console's language", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  // an elder and a helper of their own: no other test's services at that time
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const elder = await apiPost(page, '/elders', { name: '作废账目老人', sex: 'F', birth_date: '1945-02-03', id_number: idNumber('19450203'), grid_id: grid, ability_level: 1 }, 201);
  const helper = await apiPost(page, '/helpers', { name: '作废账目互助员', sex: 'F', birth_date: '1975-04-05', id_number: idNumber('19750405'), phone: '13900001111', grid_id: grid, skills: ['companionship'], capacity: 2 }, 201);
  const log = await apiPost(page, '/service-logs', { elder_id: elder.id, helper_id: helper.id, kind: 'companionship', time_in: iso(Date.now() - 3 * 3600e3), minutes: 45 }, 201);
  await apiPost(page, `/service-logs/${log.id}/void`, { reason: '录错了老人' }, 200);

  await page.goto(`/helpers/${helper.id}`);
  const ledger = page.getByTestId('credit-ledger');
  const row = ledger.locator('tbody tr', { hasText: '记录作废扣回' });
  await row.waitFor();
  assert.ok(!(await ledger.innerText()).includes('void of log'), 'no English in the zh-CN ledger');
  assert.equal(await row.getByTestId('ledger-note').innerText(), `作废服务记录 #${log.id}：录错了老人`);
  assert.equal((await ledger.locator('tbody tr', { hasText: '服务获得' }).getByTestId('ledger-note').innerText()).trim(), '陪伴探访');

  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  const en = page.getByTestId('credit-ledger').locator('tbody tr', { hasText: 'Log voided' });
  await en.waitFor();
  assert.equal(await en.getByTestId('ledger-note').innerText(), `Void of service log #${log.id}: 录错了老人`);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
