// A streamer's live sessions, in the streamer dialog and in the practice dialog's picker, are
// read page by page up to a limit; a streamer with more says the list is not complete (the cut
// list was shown as the whole one, its newest sessions left out without a word). Pages of one
// session (the request rewritten) make a demo streamer longer than the pages read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, beijingToday, plusDays, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PARTIAL = '仅显示前 10 条，列表不完整';

async function sessionsOf(page, streamerId) {
  let n = 0;
  for (let cursor; ; ) {
    const p = await apiGet(page, `/ecommerce/sessions?streamer_id=${streamerId}&limit=500${cursor ? '&cursor=' + cursor : ''}`);
    n += p.items.length;
    if (!p.next_cursor) return n;
    cursor = p.next_cursor;
  }
}

/** a demo streamer with more live sessions than the 10 pages of one the console reads below */
async function streamerOfMoreThan10(page) {
  const st = (await apiGet(page, '/ecommerce/streamers?limit=20')).items.find((x) => x.sessions > 10);
  assert.ok(st, 'a demo streamer with more than 10 sessions');
  return st;
}

/** the console's session reads in pages of one: 10 pages read, fewer than the streamer's */
const pagesOfOne = (page) =>
  page.route(/\/api\/v1\/ecommerce\/sessions\?/, (route) => {
    const u = new URL(route.request().url());
    u.searchParams.set('limit', '1');
    return route.continue({ url: u.toString() });
  });

test('streamer dialog: a streamer with more sessions than the pages read says the list is not complete; a complete one says nothing', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const st = await streamerOfMoreThan10(page);
  const total = await sessionsOf(page, st.id);
  await page.goto('/development/ecommerce');
  const open = async () => {
    const q = page.getByTestId('ec-streamer-q');
    await q.fill(st.name);
    await q.press('Enter');
    await page.getByTestId('ec-streamer-' + st.id).click();
    return page.getByTestId('streamer-dialog');
  };
  let dlg = await open();
  await dlg.getByTestId('sd-sessions').locator('.el-table__body-wrapper tr').nth(total - 1).waitFor();
  assert.equal(await dlg.getByTestId('sd-sessions-partial').count(), 0, 'a complete list says nothing');
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'hidden' });
  await pagesOfOne(page);
  dlg = await open();
  await dlg.getByTestId('sd-sessions-partial').getByText(PARTIAL, { exact: true }).waitFor();
  assert.equal(await dlg.getByTestId('sd-sessions').locator('.el-table__body-wrapper tr').count(), 10);
  await shot(page, 'streamer-sessions-partial');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('practice dialog: the session picker of a streamer with more sessions than the pages read says it is not complete', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  // a running cohort of its own (the demo's terms leave weeks without one, winter among them)
  // with a demo streamer of more than 10 sessions enrolled
  const st = await streamerOfMoreThan10(page);
  const course = (await apiGet(page, '/academy/courses?limit=1')).items[0];
  const base = (await apiGet(page, '/ecommerce/bases?limit=1')).items[0];
  const post = (await apiGet(page, '/academy/posts?limit=100')).items.find((x) => x.filled < x.openings);
  assert.ok(course && base && post, 'a demo course, base and post with an opening');
  const today = beijingToday();
  let cohort = await apiSend(page, 'post', '/academy/cohorts', {
    course_id: course.id, base_id: base.id, name: `分页实训班${Date.now() % 1e7}`,
    starts_on: plusDays(today, -10), ends_on: plusDays(today, 30), capacity: 5,
  });
  cohort = await apiSend(page, 'post', `/academy/cohorts/${cohort.id}/state`, { state: 'open', version: cohort.version });
  await apiSend(page, 'post', '/academy/enrolments', { cohort_id: cohort.id, streamer_id: st.id, post_id: post.id, enrolled_on: plusDays(today, -5) });
  await apiSend(page, 'post', `/academy/cohorts/${cohort.id}/state`, { state: 'running', version: cohort.version });
  await page.goto(`/academy/cohorts/${cohort.id}`);
  const row = page.getByTestId('enrolment-table').locator('tbody tr').filter({ hasText: st.name });
  await row.getByRole('button', { name: '登记实训' }).waitFor();
  const dlg = page.getByRole('dialog').filter({ has: page.getByTestId('practice-form') });
  await row.getByRole('button', { name: '登记实训' }).click();
  await dlg.getByTestId('practice-form').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await dlg.getByTestId('practice-partial').count(), 0, 'a complete list says nothing');
  await dlg.getByRole('button', { name: '取消' }).click();
  await dlg.waitFor({ state: 'hidden' });
  await pagesOfOne(page);
  await row.getByRole('button', { name: '登记实训' }).click();
  await dlg.getByTestId('practice-partial').getByText(PARTIAL, { exact: true }).waitFor();
  await shot(page, 'practice-sessions-partial');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
