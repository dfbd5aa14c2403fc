// The district dashboard in English names a figure in its chart as in its tile: the rank card
// and its chart by the tile's label, the trend chart's series and the indicator picker by the
// seeded indicator's English name (no Chinese left but the districts' names, which are data).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

describe('district dashboard in English', { timeout: budget(120000) }, () => {
  test('the rank card is titled as its tile, the trend chart names the indicator in English', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto('/development/dashboard');
    const title = page.getByTestId('rank-title');
    await title.waitFor();
    for (const key of ['revenue_h1_rank', 'agri_output_rank']) {
      if (key !== 'revenue_h1_rank') await page.getByTestId('fig-' + key).click();
      const tile = (await page.getByTestId('fig-' + key).locator('.pj-fig-label').innerText()).trim();
      assert.doesNotMatch(tile, CJK);
      await page.waitForFunction(([t]) => document.querySelector('[data-testid=rank-title]').textContent.startsWith(t + ' ('), [tile]);
      const text = (await title.innerText()).trim();
      assert.match(text, /^.+ \(\d{4}(H1)?\): \d+ of \d+$/, text);
      assert.doesNotMatch(text, CJK, 'the rank card’s title in English');
      const chart = await page.getByTestId('rank-chart').locator('[role=img]').getAttribute('aria-label');
      assert.ok(chart.startsWith(text), `the rank chart is named as its card: ${chart.slice(0, 80)}`);
    }
    // the trend: GDP picked at first, named in English in the picker, the legend and the chart's name
    const trend = page.getByTestId('trend-chart').locator('[role=img]');
    await page.waitForFunction(() => /GDP at constant prices/.test(document.querySelector('[data-testid=trend-chart] [role=img]').getAttribute('aria-label')));
    const name = await trend.getAttribute('aria-label');
    assert.doesNotMatch(name, CJK, `the trend chart in English: ${name.slice(0, 120)}`);
    const picked = await page.getByTestId('trend-indicator').innerText();
    assert.equal(picked.trim(), 'GDP at constant prices (100 M yuan)');
    await shot(page, 'en-dashboard-charts');
    // in Chinese the district's own names
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    await page.reload();
    await page.waitForFunction(() => /地区生产总值（不变价）/.test(document.querySelector('[data-testid=trend-chart] [role=img]')?.getAttribute('aria-label') || ''));
    assert.match(await page.getByTestId('rank-title').innerText(), /^一般公共预算收入增速全市排名（2024H1）：第 \d+ \/ \d+$/);
    noProblems(page);
    await context.close();
  });
});
