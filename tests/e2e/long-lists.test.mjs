// Lists longer than one page of the API are reachable from the console: a page that read one
// page of a paged list and dropped next_cursor showed its first rows as the whole list (a grid
// worker's first 200 elders, a village's first 100 helpers, the 20 newest pairing runs, a firm's
// 50 oldest contact requests, its 20 oldest policy notices, the in-force policies among a firm's
// 100 oldest matches, the newest 50 / 100 plans in the compare pickers).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, TABLET } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** GET from the API of the page's server (the shared one or a test's own) */
async function getJson(page, p) {
  const res = await page.request.get('/api/v1' + p);
  assert.ok(res.ok(), `GET ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

/** every row of a paged list, following next_cursor to the end */
async function walk(page, p) {
  const rows = [];
  for (let cursor; ; ) {
    const r = await getJson(page, p + (p.includes('?') ? '&' : '?') + 'limit=500' + (cursor ? '&cursor=' + cursor : ''));
    rows.push(...r.items);
    if (!r.next_cursor) return rows;
    cursor = r.next_cursor;
  }
}

// a district of 60,000 elders: grid01's three grids hold some 600 active elders, the
// village more than 100 active helpers (the shared demo server has 2,000 elders in all)
test("service entry: every active elder of a grid worker's grids is reachable, and any helper of the elder's village", { timeout: 300000 }, async () => {
  const own = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '60000' } });
  const { context, page } = await openPage(browser, TABLET, { baseURL: own.base });
  await login(page, 'grid01', own.demoPw);
  const all = await walk(page, '/elders?status=active');
  assert.ok(all.length > 200, `grid01 has more active elders than one page (${all.length})`);
  await page.goto('/service-entry');
  const buttons = page.getByTestId('entry-elders').locator('[data-elder]');
  await buttons.nth(199).waitFor();
  const more = page.getByTestId('load-more');
  await more.getByText('已显示 200 条，还有更多').waitFor();
  while (await more.count()) {
    const n = await buttons.count();
    await more.getByRole('button', { name: '加载更多' }).click();
    await buttons.nth(Math.min(n + 199, all.length - 1)).waitFor();
  }
  const shown = await buttons.evaluateAll((els) => els.map((e) => Number(e.dataset.elder)));
  assert.deepEqual(shown.sort((a, b) => a - b), all.map((e) => e.id).sort((a, b) => a - b), 'every active elder once');
  // the last elder of the list, and a helper of its village beyond the first hundred
  const last = all[all.length - 1];
  const { village_id: village } = await getJson(page, `/elders/${last.id}`);
  const helpers = await walk(page, `/helpers?region_id=${village}&active=1`);
  assert.ok(helpers.length > 100, `the village has more active helpers than the select read (${helpers.length})`);
  const far = helpers.slice(100).find((h) => helpers.filter((x) => x.name.includes(h.name)).length === 1 && h.id !== last.paired_helper?.helper_id);
  assert.ok(far, 'a helper beyond the first hundred with a name of its own');
  await page.getByTestId('entry-elders').locator(`[data-elder="${last.id}"]`).click();
  await page.getByTestId('entry-elder').getByText(last.name).waitFor();
  const sel = page.getByTestId('entry-helper');
  await sel.click();
  await sel.locator('input').fill(far.name);
  await page.getByRole('option', { name: far.name, exact: true }).click();
  await page.getByTestId('helper-credit').getByText(far.name).waitFor();
  await shot(page, 'quick-entry-all-elders');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
  await own.stop();
});
