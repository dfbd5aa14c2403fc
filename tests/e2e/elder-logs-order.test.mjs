// The elder's page lists the service logs by when the service was done, newest first: in id
// order a visit entered late (two days after it was made) showed above today's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiPost, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const iso = (ms) => new Date(Math.floor(ms / 60000) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');

test("the elder's service logs in the order of the visits, a late entry in its place", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW, { land: false });
  const items = (await apiGet(page, '/elders?status=active&limit=100')).items;
  const elder = items[items.length - 3];
  const now = Date.now();
  // today's service entered first, then one of two days ago entered late
  const today = await apiPost(page, '/service-logs', { elder_id: elder.id, kind: 'escort', time_in: iso(now - 3600e3), minutes: 20, remarks: 'today' }, 201);
  const late = await apiPost(page, '/service-logs', { elder_id: elder.id, kind: 'escort', time_in: iso(now - 2 * 86400e3), minutes: 20, remarks: 'entered late' }, 201);
  assert.ok(late.id > today.id);
  await page.goto(`/elders/${elder.id}`);
  const rows = page.getByTestId('elder-logs').locator('.el-table__body-wrapper tbody tr');
  await rows.first().waitFor();
  const texts = await rows.allInnerTexts();
  const at = (what) => texts.findIndex((x) => x.includes(what));
  assert.ok(at('today') >= 0 && at('entered late') >= 0);
  assert.ok(at('today') < at('entered late'), "today's visit above the one of two days ago");
  const times = (await page.getByTestId('elder-logs').locator('.el-table__body-wrapper tbody tr td:nth-child(2)').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(times, times.slice().sort().reverse(), 'newest visit first');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
