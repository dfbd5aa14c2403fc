// A plan made for a drawn area shows that area on its map: the polygon as drawn, or the circle
// of its radius, outlined under the villages and sites, with its own legend entry (the map
// showed the villages and sites alone: whether the shelters lay inside the danger was guessed).
// A plan made by townships draws no area.
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

const TEAMS = { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 };

async function solve(page, name, affected) {
  const res = await page.request.post('/api/v1/plans?wait=1', {
    data: { name, scenario: 'disaster', role: 'resettlement', affected, demand: { share: 0.05 }, teams: TEAMS, time_limit_s: 0.5 },
  });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}

test('a plan of a drawn area outlines it on its map; one of townships draws none', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  // a quadrilateral around the middle of the villages
  const vs = (await apiGet(page, '/regions?type=village&limit=500')).items.filter((v) => v.lat != null);
  const mid = (k) => vs.map((v) => v[k]).sort((a, b) => a - b)[vs.length >> 1];
  const lat = mid('lat');
  const lon = mid('lon');
  const polygon = [
    { lat: lat + 0.03, lon: lon - 0.04 },
    { lat: lat + 0.03, lon: lon + 0.04 },
    { lat: lat - 0.03, lon: lon + 0.04 },
    { lat: lat - 0.03, lon: lon - 0.04 },
  ];
  const drawn = await solve(page, '划定区域地图', { polygon });
  const circle = await solve(page, '半径区域地图', { center: { lat, lon }, radius_km: 4 });
  const towns = await solve(page, '乡镇区域地图', { township_ids: [303] });

  const map = page.getByTestId('plan-map');
  await page.goto(`/plans/${drawn.id}`);
  await map.locator('canvas').first().waitFor();
  assert.equal(await map.getAttribute('data-area'), 'polygon:4');
  await map.scrollIntoViewIfNeeded();
  await map.screenshot({ path: 'build/e2e/plan-area-polygon.png' });

  await page.goto(`/plans/${circle.id}`);
  await map.locator('canvas').first().waitFor();
  assert.match(await map.getAttribute('data-area'), /^circle:\d+$/);

  await page.goto(`/plans/${towns.id}`);
  await map.locator('canvas').first().waitFor();
  assert.equal(await map.getAttribute('data-area'), null);
  assert.deepEqual(page.problems, []);
  await context.close();
});
