// The enterprise-service pages, tenth round. A reopened appeal sent on to a second department
// reads no rating while that department works it (it read 评价：不满意, the first round's, as if
// the second department had earned it): 评价 — with 本轮尚未评价，往轮评价见下表, the first round's
// not_satisfied in 历次评价 only, and the list shows none. Nor is the first department's reply
// read as the second's: 本轮尚未答复 · 第 1 轮的答复： before it.
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
const LAPTOP = { width: 1366, height: 768 };
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}
/** One action on the appeal with its current version. */
async function act(page, id, action, body = {}) {
  const a = await apiGet(page, `/enterprise/appeals/${id}`);
  return call(page, 'POST', `/enterprise/appeals/${id}/${action}`, { version: a.version, ...body });
}

describe('enterprise services (10)', { timeout: budget(240000) }, () => {
  test('a reopened appeal sent to another department: no rating of the earlier round on it', async () => {
    const off = await openPage(browser, LAPTOP);
    await login(off.page, 'officer', DEMO_PW);
    const depts = (await apiGet(off.page, '/organisations?type=government&limit=50')).items;
    assert.ok(depts.length >= 2);
    const [first, second] = depts;
    const jdOrg = (await apiGet(off.page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    const title = '退税进度查询（e2e10 改派）';
    const a = await call(off.page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'inquiry', category: 'tax', title, description: '测试' });
    await act(off.page, a.id, 'dispatch', { department_id: first.id });
    await act(off.page, a.id, 'accept');
    await act(off.page, a.id, 'reply', { reply: '已答复', resolved: true });
    const jd = await openPage(browser, LAPTOP);
    await login(jd.page, 'jd', DEMO_PW);
    await act(jd.page, a.id, 'rate', { rating: 'not_satisfied' });
    await act(off.page, a.id, 'accept');
    await act(off.page, a.id, 'return', { reason: '非本部门职责' });
    await act(off.page, a.id, 'dispatch', { department_id: second.id });
    await act(off.page, a.id, 'accept');
    // the second department's page: its round is not rated; the first round's rating in the history
    await off.page.goto(`/enterprise/appeals/${a.id}`);
    await off.page.getByTestId('appeal-department').getByText(second.name).waitFor();
    assert.equal(await off.page.getByTestId('appeal-rating').innerText(), '—');
    await off.page.getByTestId('appeal-round-unrated').getByText('本轮尚未评价，往轮评价见下表').waitFor();
    assert.doesNotMatch(await off.page.getByTestId('appeal-details').innerText(), /不满意/);
    // nor replied to: the reply shown is said to be the first round's, not the second department's
    assert.equal(await off.page.getByTestId('appeal-reply-earlier').innerText(), '本轮尚未答复 · 第 1 轮的答复：');
    assert.equal(await off.page.getByTestId('appeal-reply').innerText(), '已答复');
    const ratings = await off.page.getByTestId('appeal-ratings').innerText();
    assert.match(ratings, /第 1 轮/);
    assert.match(ratings, /不满意/);
    assert.match(ratings, new RegExp(first.name));
    await shot(off.page, 'e10-reopened-second-department');
    await off.page.goto('/enterprise/appeals');
    const row = off.page.getByTestId('appeal-table').locator('tr', { hasText: title });
    await row.waitFor();
    assert.doesNotMatch(await row.innerText(), /不满意/);
    noProblems(off.page);
    // the firm reads the same
    await jd.page.goto(`/enterprise/appeals/${a.id}`);
    await jd.page.getByTestId('appeal-round-unrated').waitFor();
    assert.doesNotMatch(await jd.page.getByTestId('appeal-details').innerText(), /不满意/);
    noProblems(jd.page);
    // in English
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await off.page.goto(`/enterprise/appeals/${a.id}`);
    await off.page.getByTestId('appeal-round-unrated').getByText('This round is not rated yet').waitFor();
    assert.match(await off.page.getByTestId('appeal-reply-earlier').innerText(), /^Not replied to in this round yet · round 1’s reply:/);
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    await off.context.close();
    await jd.context.close();
  });
});
