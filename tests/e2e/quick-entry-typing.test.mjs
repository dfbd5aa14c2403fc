// 服务快速登记: the elders' list follows the name as it is typed. It narrowed on Enter only,
// with nothing saying so: a grid worker typing 杨国庆 and picking the first 杨国庆 card logged a
// meal for an elder of the unfiltered list, another grid's namesake.
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

test('quick entry: typing a name narrows the elders, no Enter needed', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW, { land: false });
  // a name some but not all of the first page's elders have
  const first = (await apiGet(page, '/elders?status=active&limit=200')).items;
  const name = first[first.length - 1].name;
  const want = (await apiGet(page, `/elders?status=active&limit=200&q=${encodeURIComponent(name)}`)).items.map((e) => String(e.id));
  assert.ok(want.length > 0 && want.length < first.length, `${name}: ${want.length} of ${first.length}`);
  await page.goto('/service-entry');
  const cards = page.getByTestId('entry-elders').locator('[data-elder]');
  await cards.first().waitFor();
  await page.getByTestId('entry-search').click();
  await page.keyboard.type(name, { delay: 40 });
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="entry-elders"] [data-elder]').length === n,
    want.length,
    { timeout: 10000 },
  );
  assert.deepEqual((await cards.evaluateAll((els) => els.map((e) => e.dataset.elder))).sort(), [...want].sort());
  // cleared, the whole list again
  await page.getByTestId('entry-search').fill('');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="entry-elders"] [data-elder]').length >= n, Math.min(first.length, 200));
  assert.deepEqual(page.problems, [], 'console errors');
  await context.close();
});
