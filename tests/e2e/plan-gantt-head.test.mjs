// A plan's Gantt grows a row per site: a district plan's is thousands of pixels tall, and its
// hours were only at its foot — an officer reading when the first sites are ready scrolled past
// every site to learn the time scale. Beyond 15 sites the hours are at the chart's head too; a
// chart of a few sites keeps its one axis at the foot.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, solvedPlan, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Text ink in the Gantt canvas's band of CSS pixels [y0, y1) across the plotted width (right
 * of the site names): dark grey pixels, as the axis labels are — not the bars (coloured) nor the
 * light grid lines. */
async function inkBand(page, y0, y1) {
  const gantt = page.getByTestId('plan-gantt');
  await gantt.locator('canvas').first().waitFor();
  await page.waitForTimeout(300);
  return gantt.evaluate(
    (el, [a, b]) => {
      const c = el.querySelector('canvas');
      const k = c.width / c.getBoundingClientRect().width;
      const x0 = Math.floor(c.width * 0.3);
      const d = c.getContext('2d').getImageData(x0, Math.floor(a * k), c.width - x0, Math.max(1, Math.floor((b - a) * k))).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, bl, al] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
        if (al > 128 && Math.max(r, g, bl) < 160 && Math.max(r, g, bl) - Math.min(r, g, bl) < 40) n++;
      }
      return n;
    },
    [y0, y1],
  );
}

describe('plan Gantt: the hours at its head when it is tall', { timeout: budget(180000) }, () => {
  test('a plan of many sites has the hours above its first site; one of a few sites only at its foot', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const towns = (await apiGet(page, '/regions?type=township&limit=100')).items.map((r) => r.id);
    const big = await solvedPlan(page, 'Gantt 全区', towns);
    const nBig = new Set(big.result.schedule.gantt.map((j) => j.facility_id)).size;
    assert.ok(nBig > 15, `a plan of many sites (${nBig})`);
    let small = null;
    for (const id of towns) {
      const p = await solvedPlan(page, `Gantt ${id}`, [id]);
      const n = new Set(p.result.schedule.gantt.map((j) => j.facility_id)).size;
      if (n >= 2 && n <= 15) {
        small = p;
        break;
      }
    }
    assert.ok(small, 'a township whose plan converts 2 to 15 sites');

    await page.goto(`/plans/${big.id}`);
    await page.getByTestId('plan-gantt').locator('canvas').first().waitFor();
    await page.getByTestId('plan-gantt').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // the chart's head, above its first row: the hours (and the makespan's label) …
    const headBig = await inkBand(page, 0, 72);
    await shot(page, 'plan-gantt-head-big');
    await page.goto(`/plans/${small.id}`);
    await page.getByTestId('plan-gantt').locator('canvas').first().waitFor();
    await page.getByTestId('plan-gantt').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // … where a short chart has the makespan's label alone
    const headSmall = await inkBand(page, 0, 72);
    await shot(page, 'plan-gantt-head-small');
    console.log(`head ink: ${headBig} (${big.result.sites.length} sites), ${headSmall} (${small.result.sites.length} sites)`);
    assert.ok(headBig > 400, `hours drawn at the head of the tall chart (${headBig} pixels)`);
    assert.ok(headSmall * 3 < headBig, `none at the head of the short one (${headSmall} against ${headBig})`);
    await context.close();
  });
});
