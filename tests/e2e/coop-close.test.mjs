// A cooperation post could never be closed or corrected: a met need stayed open in every match
// list and kept drawing contact requests. Now jd closes its own post on 企间合作 (after a
// confirmation): the post is shown closed, leaves the other firm's counterparts, and is
// reopened and corrected (编辑) from the same panel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, DEMO_PW } from './lib.mjs';
import { mayChangePost } from '../../web/src/utils/biz.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** Opens the post titled `title`, made a moment ago, from the board's first page: the board is
 * newest first, so a post just made is there without paging on. */
async function openPost(page, title) {
  const table = page.getByTestId('coop-posts');
  await table.locator('tbody tr').first().waitFor();
  await page.getByText('第 1 页').waitFor();
  const row = table.locator('tbody tr', { hasText: title });
  assert.equal(await row.count(), 1, `post ${title} on the board's first page`);
  await row.getByTestId('coop-open').click();
  await page.getByTestId('coop-matches').getByText(title).first().waitFor();
  return row;
}

test('jd closes its own post: shown closed, gone from the other firm\'s matches; reopened and corrected', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW, { land: false });
  const stamp = Date.now();
  const title = `冷链运输运力 ${stamp}`;
  const mine = await apiSend(page, 'post', '/enterprise/coop-posts', { kind: 'offer', category: 'processing', title, body: '每日20车' });
  // a need of another firm in the same category, posted by the district officer
  const off = await openPage(browser);
  await login(off.page, 'officer', DEMO_PW);
  const orgs = (await apiGet(off.page, '/organisations?type=enterprise&limit=20')).items;
  const other = orgs.find((o) => o.id !== mine.organisation_id);
  assert.ok(other, 'another enterprise');
  const theirs = await apiSend(off.page, 'post', '/enterprise/coop-posts', { organisation_id: other.id, kind: 'need', category: 'processing', title: `加工需求 ${stamp}` });
  const inMatches = async () => (await apiGet(off.page, `/enterprise/coop-posts/${theirs.id}/matches?limit=100`)).items.some((m) => m.post.id === mine.id);
  assert.ok(await inMatches(), 'the open post is a counterpart');

  await page.goto('/enterprise/cooperation');
  const row = await openPost(page, title);
  const panel = page.getByTestId('coop-matches');
  await panel.getByTestId('coop-close').click();
  const box = page.locator('.el-message-box');
  await box.getByText(title).waitFor();
  const sent = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/enterprise/coop-posts/${mine.id}`));
  await box.getByRole('button', { name: '关闭', exact: true }).click();
  const res = await sent;
  assert.equal(res.status(), 200, await res.text());
  assert.deepEqual(res.request().postDataJSON(), { version: mine.version, state: 'closed' });
  await box.waitFor({ state: 'hidden' });
  await panel.getByTestId('coop-post-closed').waitFor();
  await panel.getByTestId('coop-reopen').waitFor();
  await row.getByTestId('coop-closed').waitFor();
  assert.equal((await apiGet(page, `/enterprise/coop-posts/${mine.id}`)).state, 'closed');
  assert.equal(await inMatches(), false, 'a closed post is no counterpart');
  await shot(page, 'coop-post-closed');

  // reopened, then its title corrected in the dialog
  await panel.getByTestId('coop-reopen').click();
  await panel.getByTestId('coop-close').waitFor();
  assert.equal(await panel.getByTestId('coop-post-closed').count(), 0);
  await panel.getByTestId('coop-edit').click();
  const fixed = `冷链运输运力（已更正）${stamp}`;
  await page.getByTestId('coop-edit-title').fill(fixed);
  await page.getByTestId('coop-edit-save').click();
  await panel.getByText(fixed).first().waitFor();
  const now = await apiGet(page, `/enterprise/coop-posts/${mine.id}`);
  assert.equal(now.title, fixed);
  assert.equal(now.state, 'open');
  assert.equal(now.version, mine.version + 3);
  noProblems(page);
  await off.context.close();
  await context.close();
});

// A post may be for another township than its firm's; the server lets the firm's township
// officer change it, and the console offered the buttons to the officer of the post's township
// instead (refused 403) and hid them from the right one.
test('who is offered 编辑 / 关闭: the firm\'s township officer, not the post\'s township\'s', () => {
  const post = { organisation_id: 7, organisation_township_id: 3, township_id: 9 };
  assert.ok(mayChangePost({ role: 'township_officer', township_id: 3 }, post), 'the firm\'s township');
  assert.ok(!mayChangePost({ role: 'township_officer', township_id: 9 }, post), 'the township the post is for');
  assert.ok(!mayChangePost({ role: 'township_officer', township_id: null }, post));
  assert.ok(mayChangePost({ role: 'enterprise', organisation_id: 7 }, post));
  assert.ok(!mayChangePost({ role: 'enterprise', organisation_id: 8 }, post));
  assert.ok(mayChangePost({ role: 'district_officer' }, post));
  assert.ok(!mayChangePost({ role: 'viewer' }, post));
});

test('金海湖\'s officer is not offered 编辑 / 关闭 on another township\'s firm\'s post for 金海湖', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jd', DEMO_PW);
  const me = await apiGet(page, '/auth/me');
  const jhh = await openPage(browser);
  await login(jhh.page, 'jinhaihu', DEMO_PW);
  const town = (await apiGet(jhh.page, '/auth/me')).township_id;
  const title = `金海湖民宿布草采购 ${Date.now()}`;
  const mine = await apiSend(page, 'post', '/enterprise/coop-posts', { kind: 'need', category: 'supply', township_id: town, title });
  assert.equal(mine.township_id, town);
  assert.notEqual(mine.organisation_township_id, town, 'jd is not a firm of 金海湖');
  assert.equal(mine.organisation_township_id, (await apiGet(page, `/organisations/${me.organisation_id}`)).township_id);
  await jhh.page.goto('/enterprise/cooperation');
  await openPost(jhh.page, title);
  const panel = jhh.page.getByTestId('coop-matches');
  await panel.getByText(title).first().waitFor();
  assert.equal(await panel.getByTestId('coop-close').count(), 0, 'no 关闭 for the post\'s township');
  assert.equal(await panel.getByTestId('coop-edit').count(), 0, 'no 编辑 for the post\'s township');
  noProblems(jhh.page);
  await jhh.context.close();
  await context.close();
});
