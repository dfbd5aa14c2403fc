// A double-click on Save in the enterprise forms (企间合作 发布, 政银企 新增需求) used to send two
// POSTs and create two records with the same text; on a reception day's edit or a pairing proposal's it sent two PATCHes
// with the same version (the second refused, or applied over the first). Now a submit sends one
// request, and the button shows it is saving until the answer comes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, holdFirst, villageRun, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** Counts the page's POSTs to an API path. */
function countPosts(page, path) {
  const seen = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1' + path) seen.push(r.url());
  });
  return seen;
}

test('cooperation board: a double-click on Save posts once, the button loading meanwhile', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW, { land: false });
  await page.goto('/enterprise/cooperation');
  const posts = countPosts(page, '/enterprise/coop-posts');
  await page.getByTestId('coop-new').click();
  const title = `双击发布 ${Date.now()}`;
  await page.getByTestId('coop-title').fill(title);
  // the answer held back: the button says it is saving; the second click sends nothing
  const held = await holdFirst(page, '**/api/v1/enterprise/coop-posts', { method: 'POST' });
  const save = page.getByTestId('coop-save');
  await save.dblclick();
  await held.caught;
  await page.waitForTimeout(300);
  const loading = await save.evaluate((b) => b.classList.contains('is-loading'));
  await held.release();
  await page.getByTestId('coop-matches').getByText(title).waitFor();
  await page.waitForTimeout(500);
  assert.equal(posts.length, 1, `POSTs sent: ${posts.length}`);
  const mine = (await apiGet(page, '/enterprise/coop-posts?limit=100')).items.filter((p) => p.title === title);
  assert.equal(mine.length, 1, 'one post with the title');
  assert.ok(loading, 'the button shows it is saving while the answer is awaited');
  noProblems(page);
  await context.close();
});

test('finance: a double-click on Save posts one financing need, the button loading meanwhile', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW, { land: false });
  await page.goto('/enterprise/finance');
  const posts = countPosts(page, '/enterprise/financing-needs');
  await page.getByTestId('new-need').click();
  const purpose = `双击新增需求 ${Date.now()}`;
  await page.getByTestId('need-purpose').fill(purpose);
  const held = await holdFirst(page, '**/api/v1/enterprise/financing-needs', { method: 'POST' });
  const save = page.getByTestId('need-save');
  await save.dblclick();
  await held.caught;
  await page.waitForTimeout(300);
  const loading = await save.evaluate((b) => b.classList.contains('is-loading'));
  await held.release();
  await page.getByTestId('need-matches').getByText(purpose).waitFor();
  await page.waitForTimeout(500);
  assert.equal(posts.length, 1, `POSTs sent: ${posts.length}`);
  const mine = (await apiGet(page, '/enterprise/financing-needs?limit=100')).items.filter((n) => n.purpose === purpose);
  assert.equal(mine.length, 1, 'one need with the purpose');
  assert.ok(loading, 'the button shows it is saving while the answer is awaited');
  noProblems(page);
  await context.close();
});

/** Counts the page's requests of a method to an API path. */
function countSent(page, method, path) {
  const seen = [];
  page.on('request', (r) => {
    if (r.method() === method && new URL(r.url()).pathname === '/api/v1' + path) seen.push(r.url());
  });
  return seen;
}

test('reception days: a double-click on Save sends one change, the button loading meanwhile', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW, { land: false });
  // a day of the demo's last held year, the one other tests read but do not edit
  const one = (await apiGet(page, '/enterprise/reception-days?limit=100')).items.find((d) => d.held_on.startsWith('2025-'));
  assert.ok(one, 'a reception day in 2025');
  const day = await apiGet(page, `/enterprise/reception-days/${one.id}`);
  await page.goto('/enterprise/reception-days?year=2025');
  await page.getByTestId('reception-calendar').locator(`[data-day="${day.held_on}"]`).click();
  const detail = page.getByTestId('reception-detail');
  await detail.getByText(`${day.held_on} 接待日`).waitFor();
  await page.getByTestId('edit-reception').click();
  const minutes = `${day.minutes || ''}（双击保存 ${Date.now()}）`;
  await detail.locator('textarea').fill(minutes);
  const patches = countSent(page, 'PATCH', `/enterprise/reception-days/${day.id}`);
  const held = await holdFirst(page, `**/api/v1/enterprise/reception-days/${day.id}`, { method: 'PATCH' });
  const save = page.getByTestId('reception-save');
  await save.dblclick();
  await held.caught;
  await page.waitForTimeout(300);
  // (a second PATCH answered meanwhile closes the form: no button left to look at)
  const loading = (await save.count()) > 0 && (await save.evaluate((b) => b.classList.contains('is-loading')));
  await held.release();
  await page.locator('.el-message').getByText('已保存').waitFor();
  await page.waitForTimeout(500);
  assert.equal(patches.length, 1, `PATCHes sent: ${patches.length}`);
  const now = await apiGet(page, `/enterprise/reception-days/${day.id}`);
  assert.equal(now.minutes, minutes);
  assert.equal(now.version, day.version + 1, 'one change');
  assert.ok(loading, 'the button shows it is saving while the answer is awaited');
  noProblems(page);
  await context.close();
});

test('pairing: a double-click on Save in the proposal dialog sends one change, the button loading meanwhile', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'jinhaihu', DEMO_PW);
  const { run, p } = await villageRun(page);
  await page.goto(`/pairing/${run.id}`);
  const row = page.getByTestId('proposals').locator('.el-table__body-wrapper tr', { hasText: p.elder_name }).first();
  await row.getByTestId('edit-proposal').click();
  const dlg = page.getByRole('dialog', { name: '更换互助员' });
  await dlg.getByTestId('proposal-helper').waitFor();
  const patches = countSent(page, 'PATCH', `/pair-proposals/${p.id}`);
  const held = await holdFirst(page, `**/api/v1/pair-proposals/${p.id}`, { method: 'PATCH' });
  const save = dlg.getByTestId('save-proposal');
  await save.dblclick();
  await held.caught;
  await page.waitForTimeout(300);
  const loading = await save.evaluate((b) => b.classList.contains('is-loading'));
  await held.release();
  await dlg.waitFor({ state: 'hidden' });
  await page.waitForTimeout(500);
  assert.equal(patches.length, 1, `PATCHes sent: ${patches.length}`);
  const now = (await apiGet(page, `/pairing-runs/${run.id}?state=proposed&limit=500`)).proposals.items.find((q) => q.id === p.id);
  assert.equal(now.version, p.version + 1, 'one change');
  assert.ok(loading, 'the button shows it is saving while the answer is awaited');
  noProblems(page);
  await context.close();
});
