// Two villages of one name in a township (金海湖地区 has two 小屯村) may each have a mutual-aid
// point: the centres page tells them apart by the village's code, as the elder and pairing
// filters do ("小屯村（110117006007）"); the rows read the same before. The two points are made
// here and removed at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, choose, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('an officer tells the points of namesake villages apart', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW, { land: false });
  const villages = (await apiGet(page, '/regions?type=village&limit=500')).items;
  const seen = new Map();
  let pair = null;
  for (const v of villages) {
    const key = `${v.parent_id}/${v.name}`;
    if (seen.has(key)) {
      pair = [seen.get(key), v];
      break;
    }
    seen.set(key, v);
  }
  assert.ok(pair, 'two villages of one name in one township');
  const made = [];
  for (const v of pair) made.push(await apiSend(page, 'post', '/elder-centres', { kind: 'village', region_id: v.id, name: `${v.name}测试互助点`, status: 'planned' }));
  const town = await apiGet(page, `/regions/${pair[0].parent_id}`);
  await page.goto('/eldercare/centres');
  await choose(page, page.getByTestId('centre-township'), town.name);
  const table = page.getByTestId('centre-table');
  for (const v of pair) await table.getByText(`${v.name}（${v.code}）`).first().waitFor();
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  for (const c of made) await apiSend(page, 'delete', `/elder-centres/${c.id}`);
  await context.close();
});
