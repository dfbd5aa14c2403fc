// Back from a row's page, and a reload, return to the page of the list the user was on: the
// facilities list at page 3 came back at page 1 (the pages' cursors were the page's own state,
// only the filters were in the URL), and so did the appeals list in English. A filter changed
// starts at page 1 again, and Back then keeps that.
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

const pageNo = (page) => page.locator('.pj-page-no').innerText();

/** The first row's link text once the list shows page n. */
async function atPage(page, n, label, first) {
  await page.locator('.pj-page-no').getByText(label(n), { exact: true }).waitFor();
  const link = first(page);
  await link.waitFor();
  return (await link.innerText()).trim();
}

/** Waits until the first row's text is no longer `was` (the next page drawn). */
async function changed(page, first, was) {
  for (let i = 0; i < 100; i++) {
    const now = (await first(page).innerText()).trim();
    if (now !== was) return now;
    await page.waitForTimeout(100);
  }
  assert.fail(`the list still shows ${was} first`);
}

/** From page 1 to page n by the pager's next button: page n's first row. */
async function toPage(page, n, label, first) {
  const p1 = await atPage(page, 1, label, first);
  let shown = p1;
  for (let k = 2; k <= n; k++) {
    await page.locator('.pj-pager').first().getByRole('button').last().click();
    await page.locator('.pj-page-no').first().getByText(label(k), { exact: true }).waitFor();
    shown = await changed(page, first, shown);
  }
  assert.notEqual(shown, p1, `page ${n} shows other rows than page 1`);
  return shown;
}
const third = (page, label, first) => toPage(page, 3, label, first);
const second = (page, label, first) => toPage(page, 2, label, first);

test('Back and reload keep the list page: facilities (zh-CN) and appeals (English)', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 768 });
  await login(page, 'officer', DEMO_PW, { land: false });

  // facilities, 第 3 页
  const zh = (n) => `第 ${n} 页`;
  const facFirst = (p) => p.locator('.pj-name').first();
  await page.goto('/facilities');
  const p3 = await third(page, zh, facFirst);
  await facFirst(page).click();
  await page.waitForURL(/\/facilities\/\d+$/);
  await page.goBack();
  assert.equal(await atPage(page, 3, zh, facFirst), p3, 'Back: the same page 3');
  await page.reload();
  assert.equal(await atPage(page, 3, zh, facFirst), p3, 'reload: the same page 3');
  // the previous page is still there to go back to
  await page.locator('.pj-pager').getByRole('button', { name: '上一页' }).click();
  await atPage(page, 2, zh, facFirst);
  // a filter starts again at page 1, and Back from a row keeps page 1 of that filter
  await page.getByTestId('filter-type').click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().click();
  await page.waitForURL(/type=/);
  const f1 = await atPage(page, 1, zh, facFirst);
  await facFirst(page).click();
  await page.waitForURL(/\/facilities\/\d+$/);
  await page.goBack();
  assert.equal(await atPage(page, 1, zh, facFirst), f1);
  assert.equal(await pageNo(page), zh(1));

  // appeals in English, Page 3
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  const en = (n) => `Page ${n}`;
  const apFirst = (p) => p.getByTestId('appeal-table').locator('.el-table__body tr td a').first();
  await page.goto('/enterprise/appeals');
  const a3 = await third(page, en, apFirst);
  await apFirst(page).click();
  await page.waitForURL(/\/enterprise\/appeals\/\d+$/);
  await page.goBack();
  assert.equal(await atPage(page, 3, en, apFirst), a3, 'Back: the same appeals page 3');
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('Back keeps the page of the policies, and of a policy\'s qualifying firms', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 768 });
  await login(page, 'officer', DEMO_PW, { land: false });
  const zh = (n) => `第 ${n} 页`;
  // the policies (the demo's 40, twenty a page): page 2, a policy, Back
  const polFirst = (p) => p.getByTestId('policy-table').locator('.el-table__body tr td a').first();
  await page.goto('/enterprise/policies');
  const p2 = await second(page, zh, polFirst);
  await polFirst(page).click();
  await page.waitForURL(/\/enterprise\/policies\/\d+$/);
  await page.goBack();
  assert.equal(await atPage(page, 2, zh, polFirst), p2, 'Back: the same page 2 of the policies');
  // a policy more than twenty firms qualify for: page 2 of them, a firm's profile, Back
  const many = (await apiGet(page, '/enterprise/policies?limit=100')).items.find((x) => x.eligible_count > 20);
  assert.ok(many, 'a policy with more than twenty qualifying firms');
  await page.goto(`/enterprise/policies/${many.id}`);
  const firmFirst = (p) => p.getByTestId('policy-matches').locator('.el-table__body tr td .cell').first();
  const m2 = await second(page, zh, firmFirst);
  await page.getByTestId('policy-matches').getByTestId('policy-why').first().click();
  await page.getByTestId('explain-profile').click();
  await page.waitForURL(/\/enterprise\/profiles\/\d+$/);
  await page.goBack();
  assert.equal(await atPage(page, 2, zh, firmFirst), m2, 'Back: the same page 2 of the firms');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('Back from an elder keeps a pairing run’s tab and page: the unmatched ones, page 2', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 768 });
  await login(page, 'officer', DEMO_PW);
  // a run over the district: hundreds of elders no helper is left for, fifty a page
  const district = (await apiGet(page, '/regions?type=district&limit=1')).items[0];
  const res = await page.request.post('/api/v1/pairing-runs', { data: { region_id: district.id } });
  assert.ok(res.ok(), await res.text());
  const run = await res.json();
  assert.ok(run.unmatched > 50, `more than a page of unmatched elders (${run.unmatched})`);
  await page.goto(`/pairing/${run.id}`);
  await page.getByTestId('proposal-state').getByText('未匹配', { exact: true }).click();
  await page.waitForURL(/\?state=unmatched$/);
  const zh = (n) => `第 ${n} 页`;
  const elderFirst = (p) => p.getByTestId('proposals').locator('.el-table__body tr td a').first();
  const r2 = await second(page, zh, elderFirst);
  await elderFirst(page).click();
  await page.waitForURL(/\/elders\/\d+$/);
  await page.goBack();
  assert.equal(await atPage(page, 2, zh, elderFirst), r2, 'Back: the same page 2 of the unmatched');
  assert.match(page.url(), /\?state=unmatched$/);
  assert.equal((await page.getByTestId('proposal-state').locator('.is-selected').innerText()).trim(), '未匹配');
  // another tab: its page 1; the open proposals' tab has no state in the address
  await page.getByTestId('proposal-state').getByText('待决定', { exact: true }).click();
  await page.waitForURL(new RegExp(`/pairing/${run.id}$`));
  await page.locator('.pj-page-no').getByText(zh(1), { exact: true }).waitFor();
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  // the run's open proposals decided: no run over the district left waiting for the next tests
  if (run.proposed > 0) assert.ok((await page.request.post(`/api/v1/pairing-runs/${run.id}/reject`, { data: {} })).ok());
  await context.close();
});
