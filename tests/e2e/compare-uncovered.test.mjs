// A plan adopted, one of its sites given back (its conversion aborted) since: its own page said
// "N 人暂无安置场所", the comparison showed it short of no one (its figures are the plan as
// solved). The comparison's head says what the plan's page says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, solvedPlan, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('compare: an adopted plan with a site given back says who has no place now', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const a = await solvedPlan(page, `比较甲${Date.now() % 100000}`);
  const b = await solvedPlan(page, `比较乙${Date.now() % 100000}`);
  const ad = await apiSend(page, 'post', `/plans/${b.id}/adopt`, { version: b.version, confirm: true });
  try {
    const c0 = ad.conversions[0];
    const people = b.result.sites.find((s) => s.facility_id === c0.facility_id).used;
    assert.ok(people > 0);
    await apiSend(page, 'post', `/conversions/${c0.conversion_id}/abort`, { reason: '场所另作他用', confirm: true });
    await page.goto(`/plans/compare?a=${a.id}&b=${b.id}`);
    const head = page.getByTestId('head-b');
    await head.getByTestId('uncovered-b').getByText(`原安排在那里的 ${people.toLocaleString('zh-CN')} 人暂无安置场所`, { exact: false }).waitFor();
    assert.equal(await page.getByTestId('uncovered-a').count(), 0, 'a draft places no one yet');
    // as the plan's own page says
    await page.goto(`/plans/${b.id}`);
    assert.equal(Number(await page.getByTestId('uncovered').getAttribute('data-people')), people);
    assert.deepEqual(page.problems, [], 'console errors');
  } finally {
    // the plan's other sites back to peacetime: the files after this one share the demo (the
    // overview's capacity converting was this plan's 844 beds)
    for (const c of ad.conversions)
      await page.request.post(`/api/v1/conversions/${c.conversion_id}/abort`, { data: { reason: 'e2e: compare test done', confirm: true } });
    await context.close();
  }
});
