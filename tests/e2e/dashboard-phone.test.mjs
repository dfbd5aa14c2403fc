// On a phone the overview's coverage chart put the 18 townships' names across its foot, rotated,
// where they ran into one unreadable block: there the townships go down the side, a bar each,
// the chart as tall as they need; on a laptop they stay across.
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

for (const view of [{ width: 390, height: 844 }, { width: 1366, height: 900 }]) {
  test(`overview coverage chart at ${view.width} px`, { timeout: budget(60000) }, async () => {
    const { context, page } = await openPage(browser, view, view.width < 500 ? { hasTouch: true, isMobile: true } : {});
    await login(page, 'officer', DEMO_PW, { land: false });
    const ov = await apiGet(page, '/overview?scenario=disaster');
    const n = (ov.roles.find((r) => r.role === 'resettlement') || ov.roles[0]).townships.length;
    assert.ok(n >= 10, 'the demo has its townships');
    await page.goto('/dashboard');
    const chart = page.getByTestId('coverage-chart');
    await chart.locator('canvas').first().waitFor();
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    if (view.width < 500) assert.ok(box.height >= 60 + 22 * n - 1, `tall enough for ${n} bars down the side: ${box.height}`);
    else assert.ok(box.height <= 330, `as before on a laptop: ${box.height}`);
    await shot(page, `coverage-${view.width}`);
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
}
