// The enterprise-service pages as the firm reads them, eighth round: a returned appeal reads
// 重新派单中 with no handling department and no return reason, and says nothing is asked of the
// firm; 办结 is not offered before the return visit (enterprise5). A policy the firm no longer
// qualifies for after a profile save is linked from the profile page and opens with why, not
// as "对象不存在". Deadlines read as the day they end (24:00), the call-back's as 回访期限, and
// not at all on an appeal closed without a call-back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}
/** An appeal of jd's firm, filed by the officer, taken through the actions given. */
async function jdAppeal(page, title, category, steps = []) {
  const jdOrg = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
  let a = await call(page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'inquiry', category, title, description: '测试' });
  for (const [action, body] of steps) a = await call(page, 'POST', `/enterprise/appeals/${a.id}/${action}`, { version: a.version, ...body });
  return a;
}

describe('enterprise services (8)', { timeout: budget(240000) }, () => {
  test('a returned appeal, as the firm reads it: 重新派单中, no 承办部门, no return reason', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const a = await jdAppeal(page, '跨区经营纳税地点咨询（e2e8）', 'tax', [['dispatch', {}], ['return', { reason: '不属于我局职责，请改派区商务局' }]]);
    assert.equal(a.state, 'returned');
    await context.close();
    const jd = await openPage(browser);
    await login(jd.page, 'jd', DEMO_PW);
    await jd.page.goto(`/enterprise/appeals/${a.id}`);
    await jd.page.getByTestId('appeal-state').getByText('重新派单中').waitFor();
    assert.equal(await jd.page.getByTestId('appeal-department').innerText(), '—');
    await jd.page.getByTestId('no-actions').getByText('区里正在改派其他部门办理').waitFor();
    const timeline = await jd.page.getByTestId('appeal-timeline').innerText();
    assert.match(timeline, /调整承办部门/);
    assert.doesNotMatch(timeline, /退回|不属于我局职责/);
    assert.doesNotMatch(await jd.page.locator('.pj-page').innerText(), /已退回/);
    await shot(jd.page, 'e8-firm-returned');
    await jd.page.goto('/enterprise/appeals');
    const row = jd.page.getByTestId('appeal-table').locator('tr', { hasText: '跨区经营纳税地点咨询（e2e8）' });
    await row.getByText('重新派单中').waitFor();
    assert.doesNotMatch(await row.innerText(), /已退回|税务局/);
    noProblems(jd.page);
    await jd.context.close();
  });

  test('a policy the firm no longer qualifies for: linked from its profile, opened with the reason', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    await login(page, 'jd', DEMO_PW, { land: false });
    const org = (await apiGet(page, '/auth/me')).organisation_id;
    const policies = (await apiGet(page, '/enterprise/policies?limit=200')).items;
    const pol = policies.find((x) => /revenue_wan\s*</.test(x.conditions));
    assert.ok(pol, 'jd qualifies for a policy capped by revenue');
    const prof = await apiGet(page, `/enterprise/profiles/${org}`);
    await page.goto('/enterprise/profile');
    const rev = page.getByTestId('profile-revenue_wan').locator('input');
    await rev.fill('99999999');
    await rev.press('Tab');
    await page.getByTestId('profile-save').click();
    const lost = page.getByTestId('profile-lost');
    await lost.getByRole('link', { name: pol.title }).click();
    await page.waitForURL(new RegExp(`/enterprise/policies/${pol.id}$`));
    await page.getByTestId('policy-firm-out').getByText('贵企业目前不符合此政策').waitFor();
    await page.locator('h1').getByText(pol.title).waitFor();
    await page.getByTestId('near-miss').waitFor();
    assert.equal(await page.getByText('对象不存在').count(), 0);
    await shot(page, 'e8-policy-firm-out');
    const now = await apiGet(page, `/enterprise/profiles/${org}`);
    await call(page, 'PATCH', `/enterprise/profiles/${org}`, { version: now.version, revenue_wan: prof.revenue_wan });
    noProblems(page);
    await context.close();
  });

  test('deadlines: the day they end, 24:00; 回访期限 gone once closed without a call-back', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    await login(page, 'officer', DEMO_PW);
    const a = await jdAppeal(page, '园区道路限行影响配送（e2e8）', 'logistics', [['dispatch', {}], ['accept', {}], ['reply', { reply: '已协调', resolved: true }]]);
    await page.goto(`/enterprise/appeals/${a.id}`);
    const details = page.getByTestId('appeal-details');
    await details.getByText('回访期限').waitFor();
    const text = await details.innerText();
    assert.match(text, /\d{4}-\d{2}-\d{2} 24:00/);
    assert.doesNotMatch(text, /00:00:00/);
    assert.match(await page.getByTestId('appeal-visit-due').innerText(), /^\d{4}-\d{2}-\d{2} 24:00$/);
    await context.close();
    const jd = await openPage(browser, { width: 1366, height: 768 });
    await login(jd.page, 'jd', DEMO_PW);
    await call(jd.page, 'POST', `/enterprise/appeals/${a.id}/rate`, { version: a.version, rating: 'satisfied' });
    await jd.page.goto(`/enterprise/appeals/${a.id}`);
    await jd.page.getByTestId('appeal-state').getByText('已办结').waitFor();
    assert.equal(await jd.page.getByTestId('appeal-visit-due').count(), 0);
    assert.doesNotMatch(await jd.page.getByTestId('appeal-details').innerText(), /回访/);
    await jd.page.goto('/enterprise/appeals');
    const row = jd.page.getByTestId('appeal-table').locator('tr', { hasText: '园区道路限行影响配送（e2e8）' });
    assert.match(await row.innerText(), /24:00/);
    noProblems(jd.page);
    await jd.context.close();
  });
});
