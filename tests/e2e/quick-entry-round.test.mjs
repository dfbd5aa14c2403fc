// A helper's round in the quick entry: two elders served by the same helper, one after the other,
// with the times filled in. The page sent both as "the last 30 minutes", so the second overlapped
// the first and was refused (409 helper_busy, shown in zh with the server's English words). With
// the times filled in the page now sends a line of minutes without times, which the server lays
// after the helper's other services; a real overlap (times typed) is said in Chinese.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, TABLET, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const isPost = (r) => new URL(r.url()).pathname === '/api/v1/service-logs' && r.method() === 'POST';

test("quick entry: the same helper's second elder of a round is logged, not refused as busy", { timeout: budget(150000) }, async () => {
  const { context, page } = await openPage(browser, TABLET);
  await login(page, 'grid01', DEMO_PW, { land: false });
  // a helper of grid01 paired with two active elders (from the end: other tests take the first)
  const pairs = (await apiGet(page, '/pairs?state=active&limit=500')).items.reverse();
  const by = new Map();
  for (const p of pairs) by.set(p.helper_id, [...(by.get(p.helper_id) || []), p]);
  const two = [...by.values()].find((ps) => ps.length >= 2);
  assert.ok(two, 'a helper of grid01 with two active pairs');
  const [a, b] = await Promise.all(two.slice(0, 2).map((p) => apiGet(page, `/elders/${p.elder_id}`)));
  const helperId = two[0].helper_id;
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').first().waitFor();

  async function pick(e, kind) {
    await page.getByTestId('entry-search').fill(e.name);
    await page.getByTestId('entry-search').press('Enter');
    await page.getByTestId('entry-elders').locator(`[data-elder="${e.id}"]`).click();
    await page.getByTestId('entry-elder').getByText(e.name).waitFor();
    await page.locator(`[data-kind="${kind}"]`).click();
    // the paired helper is chosen by default
    await page.getByTestId('entry-helper').getByText(two[0].helper_name).waitFor();
  }
  async function save() {
    const posted = page.waitForRequest(isPost);
    const answered = page.waitForResponse((r) => isPost(r.request()));
    await page.getByTestId('entry-save').click();
    return { body: JSON.parse((await posted).postData()), res: await answered };
  }

  await pick(a, 'companionship');
  const first = await save();
  assert.equal(first.res.status(), 201);
  // a line of minutes, no times: the server's clock and its laying of the round
  assert.deepEqual(first.body, { entries: [{ elder_id: a.id, kind: 'companionship', minutes: 30, helper_id: helperId }] });
  const logA = (await first.res.json()).items[0];
  await pick(b, 'companionship');
  const second = await save();
  assert.equal(second.res.status(), 201, 'the second elder of the round is logged');
  const logB = (await second.res.json()).items[0];
  assert.equal(logB.minutes, 30);
  assert.ok(Date.parse(logB.time_out) <= Date.parse(logA.time_in), 'laid before the first, not overlapping it');
  assert.equal(await page.getByTestId('entry-error').count(), 0);
  await page.getByTestId('recent-logs').getByText(b.name).waitFor();
  assert.equal(await page.getByTestId('recent-logs').locator('tbody tr').count(), 2);
  // and the page says how the times filled in are taken
  await page.getByTestId('times-auto').getByText('同一互助员本轮的多次服务依次顺延').waitFor();

  // times typed over the first elder's visit: refused, and said in Chinese at 开始时间
  await pick(b, 'cleaning');
  const bj = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 16);
  const mid = Date.parse(logA.time_in) + 5 * 60e3;
  await page.getByTestId('time-in').fill(bj(mid));
  await page.getByTestId('time-out').fill(bj(mid + 10 * 60e3));
  const third = await save();
  assert.equal(third.res.status(), 409);
  assert.ok(third.body.time_in && !third.body.entries, 'typed times are sent as typed');
  const said = page.locator('.el-form-item', { has: page.getByTestId('time-in') }).locator('.el-form-item__error');
  await said.getByText(`互助员（编号 ${helperId}）该时段已登记为另一位老人（编号 ${a.id}）服务（记录 ${logA.id}），同一时间只能在一处`).waitFor();
  assert.equal(await page.getByText('is logged with another elder').count(), 0, 'no English server words');
  assert.deepEqual(page.problems.filter((p) => !/409/.test(p)), [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
