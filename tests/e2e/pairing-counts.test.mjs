// A pairing run's page counts its proposals by their state now, the same numbers its state tabs
// list: after a reject, a proposal gone stale at the accept (its elder paired by hand meanwhile)
// and an accept, the card's 待决定 / 未匹配 / 已采纳 / 已拒绝 / 已失效 each equal the tab's
// list (the card showed the solver's proposed and unmatched beside the live accepted and
// rejected, and no stale at all: they no longer added up).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, DEMO_PW, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

async function call(page, method, p, data) {
  const res = await page.request.fetch(BASE + '/api/v1' + p, { method, data });
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

const STATES = ['proposed', 'unmatched', 'accepted', 'rejected', 'stale'];

async function listed(page, id, state) {
  let n = 0;
  let cursor;
  for (let i = 0; i < 50; i++) {
    const res = await apiGet(page, `/pairing-runs/${id}?state=${state}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    n += res.proposals.items.length;
    cursor = res.proposals.next_cursor;
    if (!cursor) break;
  }
  return n;
}

test('a pairing run: the counts by state on its page equal its state tabs after a reject, a stale proposal and an accept', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  // a township other tests leave alone (not grid01's, not 金海湖's), with at least two proposals
  const towns = (await apiGet(page, '/regions?type=township&limit=100')).items.map((r) => r.id).filter((id) => id !== 303 && id !== 2);
  let run;
  let open = [];
  for (const t of towns.reverse()) {
    run = await call(page, 'POST', '/pairing-runs', { region_id: t });
    open = (await apiGet(page, `/pairing-runs/${run.id}?state=proposed&limit=500`)).proposals.items;
    if (open.length >= 3) break;
    if (open.length) await call(page, 'POST', `/pairing-runs/${run.id}/reject`, {});
  }
  assert.ok(open.length >= 3, 'a run with three proposals');
  // as little changed as it takes (other tests share the demo): one rejected, one paired by
  // hand meanwhile and so stale at its accept, one accepted, the rest left open
  const [rejected, stale, accepted] = open;
  await call(page, 'POST', `/pairing-runs/${run.id}/reject`, { proposal_ids: [rejected.id] });
  await call(page, 'POST', '/pairs', { elder_id: stale.elder_id, helper_id: stale.helper_id });
  await call(page, 'POST', `/pairing-runs/${run.id}/accept`, { proposal_ids: [stale.id, accepted.id] });
  const want = {};
  for (const s of STATES) want[s] = await listed(page, run.id, s);
  assert.equal(want.stale, 1, 'one proposal stale');
  assert.equal(want.rejected, 1, 'one rejected');
  assert.equal(want.accepted, 1, 'one accepted');
  assert.equal(want.proposed, open.length - 3, 'the rest open');
  await page.goto(`/pairing/${run.id}`);
  const stats = page.getByTestId('run-stats');
  for (const s of STATES) {
    const stat = stats.locator(`[data-stat="state-${s}"]`);
    await stat.getByText(formatNumber(want[s], 'zh-CN'), { exact: true }).waitFor();
  }
  await stats.locator('[data-stat="state-stale"]').getByText('已失效').waitFor();
  // each tab lists as many as its count says
  await page.getByTestId('proposal-state').getByText('已失效', { exact: true }).click();
  await page.getByTestId('proposals').locator('.el-table__body-wrapper tr', { hasText: stale.elder_name }).first().waitFor();
  await shot(page, 'pairing-run-counts');
  noProblems(page);
  await context.close();
});
