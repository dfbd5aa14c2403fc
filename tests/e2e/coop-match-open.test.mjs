// A post's matched counterparts on 企间合作 lead somewhere: a title opens that post (its body,
// its own matches), 请求联系 asks its firm for contact from the same row — they were plain
// text ("需：物流合作 #12"), to be found again by paging the board. jd's post is closed at the
// end (the other files' match lists stay as they were).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('jd opens a matched need from its offer and asks its firm for contact', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'jd', DEMO_PW, { land: false });
  const title = `冷链干线运力富余 ${Date.now()}`;
  const mine = await apiSend(page, 'post', '/enterprise/coop-posts', { kind: 'offer', category: 'logistics', title, body: '每日20车' });
  const matched = (await apiGet(page, `/enterprise/coop-posts/${mine.id}/matches?limit=20`)).items.map((m) => m.post);
  const other = matched.find((p) => p.state !== 'closed' && p.organisation_id !== mine.organisation_id);
  assert.ok(other, 'a need of another firm matches');
  await page.goto('/enterprise/cooperation');
  const board = page.getByTestId('coop-posts');
  await board.locator('tbody tr', { hasText: title }).getByTestId('coop-open').click();
  const card = page.getByTestId('coop-matches');
  const row = card.getByTestId('coop-match-table').locator('tbody tr', { hasText: other.title }).first();
  await row.waitFor();
  // 请求联系 from the row: the dialog for that post
  await row.getByTestId('coop-match-ask').click();
  const dlg = page.getByRole('dialog', { name: '请求联系' });
  await dlg.getByTestId('coop-ask-message').waitFor();
  await dlg.getByRole('button', { name: '取消', exact: true }).click();
  await dlg.waitFor({ state: 'hidden' });
  // the title opens the matched post itself
  await row.getByTestId('coop-match-open').click();
  await card.getByText(`与“${other.title}”匹配的供需`).waitFor();
  await shot(page, 'coop-match-open');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await apiSend(page, 'patch', `/enterprise/coop-posts/${mine.id}`, { version: mine.version, state: 'closed' });
  await context.close();
});
