// An elder recorded deceased leaves 老人台账: the list shows the elders on the register (在册) by
// default, and under 状态 已故 the elder is listed as 已故 — not with a next visit, a red
// 有人陪✗ and, once the date passed, 已逾期 for ever; the elder's page says so too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, choose, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('老人台账: an elder who died is off the default list, and listed as 已故 without a visit due', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW);
  // an overdue elder of grid01 (the last of a page: the other tests take the first ones)
  const overdue = (await apiGet(page, '/elders?visit_overdue=1&limit=50')).items;
  assert.ok(overdue.length > 1, 'grid01 has overdue elders');
  const x = overdue[overdue.length - 1];
  const elder = await apiGet(page, `/elders/${x.id}`);
  await apiSend(page, 'patch', `/elders/${elder.id}`, { version: elder.version, status: 'deceased' });

  // the list asks for the register by default, and the elder is not on it
  const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/elders');
  await page.goto(`/elders?q=${encodeURIComponent(elder.name)}`);
  assert.equal(new URL((await asked).url()).searchParams.get('status'), 'active');
  await page.getByTestId('filter-status').getByText('在册').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator(`[data-testid=elder-table] a[href="/elders/${elder.id}"]`).count(), 0, 'not on the register');

  // 状态 已故: listed, marked 已故, no visit due, no needs gaps in red
  const dead = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/elders' && new URL(r.url()).searchParams.get('status') === 'deceased');
  await choose(page, page.getByTestId('filter-status'), '已故');
  await dead;
  await page.waitForURL((u) => u.searchParams.get('status') === 'deceased');
  const row = page.getByTestId('elder-table').locator('tr', { has: page.locator(`a[href="/elders/${elder.id}"]`) }).first();
  await row.getByTestId('elder-status').getByText('已故', { exact: true }).waitFor();
  assert.equal(await row.getByTestId('next-visit').count(), 0, 'no next visit');
  assert.equal(await row.getByText('已逾期').count(), 0, 'not overdue');
  assert.equal(await row.getByTestId('needs').count(), 0, 'no 三有 gaps');
  // 全部状态 lists them all: the API asked without a status
  const all = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/elders' && !new URL(r.url()).searchParams.has('status'));
  await choose(page, page.getByTestId('filter-status'), '全部状态');
  await all;
  await row.getByTestId('elder-status').waitFor();

  // the elder's page: 已故, no more visits due
  await page.goto(`/elders/${elder.id}`);
  await page.getByTestId('elder-visit-status').getByText('已故').waitFor();
  await page.getByTestId('elder-visit-status').getByText('不再安排探访').waitFor();
  assert.equal(await page.getByTestId('elder-next-visit').count(), 0);
  assert.equal(await page.getByText('已逾期').count(), 0);
  // in English too
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto('/elders?status=deceased');
  await page.getByTestId('filter-status').getByText('Deceased').waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
