// 老人详情 → 结对记录: a pair made by a pairing run said its reason in English on the Chinese
// console ("孙志强: 437 m away, same village; …"); it is said in the console's language, and a
// note typed for a hand pair as written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, villageRun, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a pair from a pairing run: its reason in Chinese on the elder page', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 375, height: 667 }, { hasTouch: true, isMobile: true });
  await login(page, 'officer', DEMO_PW);
  const { run, p } = await villageRun(page);
  const res = await page.request.post(`/api/v1/pairing-runs/${run.id}/accept`, { data: { proposal_ids: [p.id] } });
  assert.ok(res.ok(), await res.text());
  await page.goto(`/elders/${p.elder_id}`);
  const cell = page.getByTestId('elder-pairs').getByTestId('pair-reason').first();
  await cell.waitFor();
  const text = await cell.textContent();
  // the distance with its digits grouped (1,048 米), as everywhere on the pairing pages
  const d = p.distance_m.toLocaleString('zh-CN');
  assert.match(text, new RegExp(`^${p.helper_name}：相距 ${d} 米，(同村|外村（本村无空位）)；具备.*；步行 [\\d.]+ 公里内 \\d+ 名互助员中第 \\d+ 选$`), text);
  assert.doesNotMatch(text, /m away|helpers? within/);
  await cell.scrollIntoViewIfNeeded();
  await shot(page, 'pair-reason-zh');
  // in English: the English sentence
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  const en = await page.getByTestId('elder-pairs').getByTestId('pair-reason').first().textContent();
  assert.match(en, / m away, .*; has .*; choice \d+ of \d+ helpers? within [\d.]+ km$/, en);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
