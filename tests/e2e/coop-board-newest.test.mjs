// The cooperation board (企间合作) listed the oldest posts first, 20 a page: a firm that had just
// posted (or an officer posting for it) did not find its post on the first page, which showed
// the stalest offers and needs. The board is now newest first: a post just made heads the first
// page, and the next page holds the older ones.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const boardRead = (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/enterprise/coop-posts';
const ids = async (res) => (await (await res).json()).items.map((p) => p.id);

test('a firm posts from the second page of the board: back on the first page, its post on top', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW);
  const table = page.getByTestId('coop-posts');
  const first = page.waitForResponse(boardRead);
  await page.goto('/enterprise/cooperation');
  const one = await ids(first);
  assert.equal(one.length, 20, 'more posts than one page');
  assert.deepEqual(one, [...one].sort((a, b) => b - a), 'the first page newest first');
  // the next page: the older posts, none of the first page's again
  const second = page.waitForResponse(boardRead);
  await page.getByRole('button', { name: '下一页' }).click();
  const two = await ids(second);
  assert.ok(two.length > 0);
  assert.ok(Math.max(...two) < Math.min(...one), 'the next page holds the older posts');
  await page.getByText('第 2 页').waitFor();

  await page.getByTestId('coop-new').click();
  const dlg = page.getByRole('dialog', { name: '发布供需' });
  const title = `冷库余量对外开放 ${Date.now()}`;
  await dlg.getByTestId('coop-title').fill(title);
  const made = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/enterprise/coop-posts'));
  const reread = page.waitForResponse(boardRead);
  await dlg.getByTestId('coop-save').click();
  const post = await (await made).json();
  await dlg.waitFor({ state: 'hidden' });
  const res = await reread;
  assert.equal(new URL(res.url()).searchParams.get('cursor'), null, 'the first page read again');
  assert.equal((await ids(res))[0], post.id);
  await page.getByText('第 1 页').waitFor();
  const top = table.locator('tbody tr').first();
  await top.filter({ hasText: title }).waitFor();
  await shot(page, 'coop-board-newest');
  noProblems(page);
  await context.close();
});

test('a post an officer makes for a firm heads the first page of every reader’s board', { timeout: budget(120000) }, async () => {
  const off = await openPage(browser);
  await login(off.page, 'officer', DEMO_PW);
  const firm = (await apiGet(off.page, '/organisations?type=enterprise&limit=20')).items[0];
  const title = `代企业发布：包装材料采购 ${Date.now()}`;
  const post = await apiSend(off.page, 'post', '/enterprise/coop-posts', { organisation_id: firm.id, kind: 'need', category: 'supply', title });
  const { context, page } = await openPage(browser);
  await login(page, 'viewer', DEMO_PW, { land: false });
  await page.goto('/enterprise/cooperation');
  const top = page.getByTestId('coop-posts').locator('tbody tr').first();
  await top.filter({ hasText: title }).waitFor();
  await top.getByText(firm.name, { exact: true }).waitFor();
  assert.equal((await apiGet(page, '/enterprise/coop-posts?limit=20')).items[0].id, post.id);
  noProblems(page);
  await off.context.close();
  await context.close();
});
