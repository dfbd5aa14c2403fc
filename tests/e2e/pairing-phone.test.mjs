// The pairing pages on a phone (390 px) and the pair history: a run's states are scrolled
// sideways inside their card, not cut at the screen's edge; each proposal is a block with its
// buttons in view (no table 840 px wide); the history opens on the newest pairs (a pair just
// made was on the last of hundreds of pages, oldest first).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, villageRun, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

test('a pairing run on a phone: states within the card, proposals as blocks; the history newest first', async () => {
  const { context, page } = await openPage(browser, { width: 390, height: 844 });
  await login(page, 'jinhaihu', DEMO_PW);
  const { run } = await villageRun(page); // a run of a village of his township, with a proposal
  await page.goto(`/pairing/${run.id}`);
  const seg = page.getByTestId('proposal-state');
  await seg.waitFor();
  // the page never scrolls sideways; the states' strip scrolls inside its card
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `the page is ${wide} px wide`);
  const box = await seg.locator('..').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the states' strip: ${box.x}..${box.x + box.width}`);
  await seg.getByText('全部', { exact: true }).click();
  const rows = page.getByTestId('proposal-row');
  await rows.first().waitFor();
  for (const b of await rows.first().locator('button').all()) {
    const r = await b.boundingBox();
    assert.ok(r.x + r.width <= 390, 'a proposal\'s button in view');
  }
  assert.equal(await page.locator('[data-testid="proposals"] table').count(), 0, 'no table on a phone');
  // the run's total distance: metres grouped, or km from 10 km (was 2.16万 米)
  const total = await page.getByTestId('run-stats').innerText();
  assert.doesNotMatch(total, /万 米/);
  const m = (await apiGet(page, `/pairing-runs/${run.id}`)).run.total_distance_m;
  assert.match(total, m >= 10000 ? new RegExp(`${(Math.round(m / 100) / 10).toLocaleString('zh-CN')} 公里`) : new RegExp(`${Math.round(m).toLocaleString('zh-CN')} 米`));
  await shot(page, 'pairing-run-phone');
  // the history: the newest pair first
  await page.goto('/pairing');
  const newest = (await apiGet(page, '/pairs?order=newest&limit=1')).items[0];
  await page.getByTestId('pairs').getByText(newest.elder_name).first().waitFor();
  noProblems(page);
  await context.close();
});
