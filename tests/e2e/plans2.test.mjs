// The scenario form's affected area drawn on the district map, as an officer on a 1024-px tablet
// uses it (taps, no keyboard for the area): four taps make a polygon, the villages inside are
// counted as the server will count them, the plan made from it covers exactly those villages and
// a plan made from that plan gets the same polygon back; fewer than 3 points cannot be solved;
// the API's errors about the polygon appear under the map.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, TABLET, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const fmt = (n) => formatNumber(n, 'zh-CN');
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
const planId = (page) => Number(page.url().match(/\/plans\/(\d+)$/)[1]);

/** Every village and community from the API (all pages). */
async function allVillages(page) {
  const out = [];
  for (const type of ['village', 'community']) {
    let cursor = '';
    do {
      const r = await apiGet(page, `/regions?type=${type}&limit=500${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
      out.push(...r.items);
      cursor = r.next_cursor || '';
    } while (cursor);
  }
  return out;
}

/** Even-odd rule: a horizontal ray from the point crosses the ring's edges an odd number of times. */
function inside(lat, lon, ring) {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i], ring[j]];
    if (a.lat > lat !== b.lat > lat && lon < b.lon + ((a.lon - b.lon) * (lat - b.lat)) / (a.lat - b.lat)) c = !c;
  }
  return c;
}
function km(lat1, lon1, lat2, lon2) {
  const d = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * d) / 2) ** 2 + Math.cos(lat1 * d) * Math.cos(lat2 * d) * Math.sin(((lon2 - lon1) * d) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(Math.min(1, a)));
}
const villagesIn = (vs, ring) => vs.filter((v) => v.lat != null && v.lon != null && inside(v.lat, v.lon, ring));

/** Taps the map canvas at fractions (fx, fy) of its box. */
async function tapMap(page, fx, fy) {
  const box = await page.getByTestId('affected-map').locator('canvas').first().boundingBox();
  await page.touchscreen.tap(box.x + fx * box.width, box.y + fy * box.height);
}
async function points(page, n) {
  await page.getByTestId('draw-points').getByText(`已圈 ${n} 个点`, { exact: true }).waitFor();
}

let drawn = null; // the plan made from the drawn polygon

describe('plans: the affected area drawn on the map', { timeout: budget(180000) }, () => {
  test('four taps on the map make the area; the villages shown inside are the plan’s villages (tablet, touch)', async () => {
    const { context, page } = await openPage(browser, TABLET, { hasTouch: true });
    await login(page, 'officer', DEMO_PW);
    const villages = await allVillages(page);
    await page.goto('/plans/new');
    await page.getByRole('heading', { name: '新建方案' }).waitFor();
    await page.getByTestId('plan-scenario').getByText('平灾').tap();
    await page.getByTestId('affected-by').getByText('在地图上圈定').tap();
    await page.getByTestId('affected-map').locator('canvas').first().waitFor();
    await page.waitForTimeout(300); // the villages are drawn
    assert.equal(await page.getByTestId('plan-townships').count(), 0, 'no township list for a drawn area');

    // no point yet: cannot be solved, says how many are missing
    await points(page, 0);
    assert.ok(await page.getByTestId('solve').isDisabled(), 'solve disabled without an area');
    await page.getByTestId('draw-too-few').getByText('还需至少 3 个点才能构成区域').waitFor();

    // a rectangle in the middle of the map, corner by corner; one tap undone on the way
    const corners = [
      [0.33, 0.33],
      [0.67, 0.33],
      [0.67, 0.67],
      [0.33, 0.67],
    ];
    await tapMap(page, ...corners[0]);
    await tapMap(page, ...corners[1]);
    await points(page, 2);
    assert.ok(await page.getByTestId('solve').isDisabled(), 'two points are no area');
    await page.getByTestId('draw-too-few').getByText('还需至少 1 个点才能构成区域').waitFor();
    await tapMap(page, 0.9, 0.1);
    await points(page, 3);
    assert.ok(await page.getByTestId('solve').isEnabled());
    await page.getByTestId('draw-undo').tap();
    await points(page, 2);
    await tapMap(page, ...corners[2]);
    await tapMap(page, ...corners[3]);
    await points(page, 4);
    const shown = page.getByTestId('draw-inside');
    await shown.waitFor();
    const n = Number(await shown.getAttribute('data-villages'));
    assert.ok(n > 0, 'the middle of the district holds villages');
    const text = await shown.innerText();
    await shot(page, '48-plan-draw-tablet');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, 'the form with the map fits 1024 px');

    await page.getByTestId('demand-by').getByText('按人口比例').tap();
    await input(page, 'plan-share').fill('5');
    await input(page, 'plan-time-limit').fill('1');
    await input(page, 'plan-name').fill('圈定区域 平灾安置 5%');
    await page.getByTestId('solve').tap();
    await page.waitForURL(/\/plans\/\d+$/, { timeout: 60000 });
    const p = await apiGet(page, `/plans/${planId(page)}`);
    drawn = p;

    // the polygon as drawn: 4 points in the order tapped (left → right along the top, down, back)
    const ring = p.request.affected.polygon;
    assert.equal(ring.length, 4);
    assert.deepEqual(Object.keys(p.request.affected), ['polygon']);
    const near = (a, b) => Math.abs(a - b) < 1e-5;
    assert.ok(ring[0].lon < ring[1].lon && near(ring[0].lat, ring[1].lat), 'top edge');
    assert.ok(ring[1].lat > ring[2].lat && near(ring[1].lon, ring[2].lon), 'right edge');
    assert.ok(ring[2].lon > ring[3].lon && near(ring[2].lat, ring[3].lat), 'bottom edge');
    assert.ok(near(ring[3].lon, ring[0].lon), 'left edge');
    // the count shown = the villages of the API's list inside that polygon = the plan's villages
    const want = villagesIn(villages, ring);
    assert.equal(n, want.length, 'villages shown inside');
    const pop = want.reduce((s, v) => s + (v.population || 0), 0);
    assert.equal(text, `区域内 ${fmt(want.length)} 个村（社区），常住人口 ${fmt(pop)} 人`);
    assert.equal(p.result.summary.villages, want.length, 'the plan covers the villages inside');
    await page.getByRole('heading', { name: p.name }).waitFor();
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a plan made from the drawn plan gets the same polygon back; cleared, it cannot be solved', async () => {
    assert.ok(drawn, 'the first test made a plan');
    const { context, page } = await openPage(browser, TABLET, { hasTouch: true });
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto(`/plans/new?from=${drawn.id}`);
    await points(page, 4);
    const shown = page.getByTestId('draw-inside');
    await shown.getByText(new RegExp(`^区域内 ${fmt(drawn.result.summary.villages)} 个村`)).waitFor();
    // the same polygon goes back to the API: the request is replayed and compared
    let sent = null;
    await page.route('**/api/v1/plans', async (route) => {
      if (route.request().method() === 'POST') sent = route.request().postDataJSON();
      await route.continue();
    });
    await input(page, 'plan-name').fill('圈定区域 平灾安置 5%（调整）');
    await page.getByTestId('solve').tap();
    await page.waitForURL(/\/plans\/\d+$/, { timeout: 60000 });
    assert.deepEqual(sent.affected, drawn.request.affected);
    const p2 = await apiGet(page, `/plans/${planId(page)}`);
    assert.equal(p2.result.summary.villages, drawn.result.summary.villages);

    await page.goto(`/plans/new?from=${drawn.id}`);
    await points(page, 4);
    await page.getByTestId('draw-clear').tap();
    await points(page, 0);
    assert.ok(await page.getByTestId('solve').isDisabled(), 'no area, no solving');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('the circle on the same map: the villages within the radius are counted, a click moves the centre', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const villages = await allVillages(page);
    await page.goto('/plans/new');
    await page.getByTestId('affected-by').getByText('按圆形区域').click();
    await page.getByTestId('affected-map').locator('canvas').first().waitFor();
    await input(page, 'plan-lat').fill('40.14');
    await input(page, 'plan-lon').fill('117.12');
    await input(page, 'plan-radius').fill('5');
    const want = villages.filter((v) => v.lat != null && km(40.14, 117.12, v.lat, v.lon) <= 5);
    assert.ok(want.length > 0);
    const shown = page.getByTestId('draw-inside');
    await shown.getByText(`区域内 ${fmt(want.length)} 个村（社区）`, { exact: false }).waitFor();
    assert.equal(await shown.getAttribute('data-villages'), String(want.length));
    const box = await page.getByTestId('affected-map').locator('canvas').first().boundingBox();
    await page.mouse.click(box.x + 0.3 * box.width, box.y + 0.5 * box.height);
    await page.waitForFunction(() => document.querySelector('input[data-testid="plan-lon"]').value !== '117.12');
    const lon = Number(await input(page, 'plan-lon').inputValue());
    assert.ok(lon > 116.5 && lon < 117.12, `the centre moved west: ${lon}`);
    await shot(page, '49a-plan-circle-map');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('errors about the area appear at the map: nothing inside (the API), a bad point (the API’s field)', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const before = (await apiGet(page, '/plans?limit=500')).items.length;
    await page.goto('/plans/new');
    await page.getByTestId('affected-by').getByText('在地图上圈定').click();
    const canvas = page.getByTestId('affected-map').locator('canvas').first();
    await canvas.waitFor();
    await page.waitForTimeout(300);
    // a small triangle in the map's top-left corner, outside the district
    const box = await canvas.boundingBox();
    for (const [fx, fy] of [
      [0.01, 0.01],
      [0.05, 0.01],
      [0.01, 0.05],
    ])
      await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
    await points(page, 3);
    const shown = page.getByTestId('draw-inside');
    assert.equal(await shown.getAttribute('data-villages'), '0');
    await shown.getByText('区域内 0 个村（社区），常住人口 0 人').waitFor();
    await input(page, 'plan-name').fill('圈定区域 无村');
    await page.getByTestId('solve').click();
    // the API's no_villages names `affected`: shown at the area's control
    await page.locator('.el-form-item', { has: page.getByTestId('affected-by') }).locator('.el-form-item__error').waitFor();
    await page.getByTestId('field-error-summary').waitFor();
    assert.equal((await apiGet(page, '/plans?limit=500')).items.length, before, 'nothing saved');

    // an error the API names at a point (affected.polygon[2].lat) goes under the map (the
    // answer is the test's: clicks cannot make a bad point); the bodies sent are kept
    const sent = [];
    await page.route('**/api/v1/plans', (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent.push(route.request().postDataJSON());
      return route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'invalid', message: 'lat must be between -90 and 90', field: 'affected.polygon[2].lat' } }),
      });
    });
    const triangle = async () => {
      for (const [fx, fy] of [
        [0.45, 0.45],
        [0.55, 0.45],
        [0.55, 0.55],
      ])
        await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
      await points(page, 3);
    };
    await page.getByTestId('draw-clear').click();
    await triangle();
    await page.getByTestId('solve').click();
    await page.getByTestId('polygon-error').getByText(/取值无效：须在 -90 到 90 之间/).waitFor();
    assert.equal(await page.getByTestId('form-error').count(), 0, 'not as a general message');
    // zoomed in, the same clicks make a smaller triangle: the drawing keeps the user's zoom
    await page.getByTestId('draw-clear').click();
    await page.mouse.move(box.x + 0.5 * box.width, box.y + 0.5 * box.height);
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(80);
    }
    await triangle();
    await page.getByTestId('solve').click();
    while (sent.length < 2) await page.waitForTimeout(50);
    const spread = (b) => b.affected.polygon[1].lon - b.affected.polygon[0].lon;
    assert.ok(spread(sent[0]) > 0 && spread(sent[1]) > 0);
    assert.ok(spread(sent[1]) < spread(sent[0]) / 1.5, `zoomed: ${spread(sent[1])} vs ${spread(sent[0])}`);
    await shot(page, '49-plan-draw-error');
    await context.close();
  });

  test('a township officer plans for the own township: it is chosen, no other is offered, its plan is made', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    await page.goto('/plans/new');
    await page.getByRole('heading', { name: '新建方案' }).waitFor();
    await page.getByTestId('plan-scenario').getByText('平灾').click();
    const towns = page.getByTestId('plan-townships');
    await towns.getByText('金海湖地区').waitFor();
    await towns.click();
    const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
    await options.first().waitFor();
    assert.deepEqual(await options.allInnerTexts(), ['金海湖地区'], 'only the own township');
    await page.keyboard.press('Escape');
    await page.getByTestId('solve').click();
    await page.waitForURL(/\/plans\/\d+$/, { timeout: 60000 });
    const plan = await apiGet(page, `/plans/${planId(page)}`);
    assert.deepEqual(plan.request.affected.township_ids, [me.township_id]);
    await context.close();
  });
});
