// An appeal the department closes while the firm is rating it: the firm's 评价 is refused
// (409 wrong_state), and the page reloads, shows 已办结 and says the state changed and the
// rating was not taken, in place of "状态：当前状态不允许该操作 (request id)" under a form
// still open.
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
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}

describe('an appeal closed meanwhile', { timeout: budget(120000) }, () => {
  test('the firm rating an appeal the department closed meanwhile is told so, the page reloaded', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const jdOrg = (await apiGet(off.page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    let a = await call(off.page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'inquiry', category: 'tax', title: '评价时已办结（e2e）', description: '测试' });
    for (const [action, body] of [['dispatch', {}], ['accept', {}], ['reply', { reply: '已答复', resolved: true }]]) a = await call(off.page, 'POST', `/enterprise/appeals/${a.id}/${action}`, { version: a.version, ...body });
    const jd = await openPage(browser);
    await login(jd.page, 'jd', DEMO_PW);
    await jd.page.goto(`/enterprise/appeals/${a.id}`);
    await jd.page.getByTestId('appeal-state').getByText('已答复').waitFor();
    await jd.page.getByTestId('act-rate').click();
    // meanwhile the department records the call-back and closes it
    a = await call(off.page, 'POST', `/enterprise/appeals/${a.id}/visit`, { version: a.version, note: '电话回访' });
    await call(off.page, 'POST', `/enterprise/appeals/${a.id}/close`, { version: a.version });
    await jd.page.getByTestId('rate-rating').click();
    await jd.page.getByRole('option', { name: '不满意', exact: true }).click();
    await jd.page.getByTestId('action-submit').click();
    await jd.page.getByTestId('appeal-state').getByText('已办结').waitFor();
    const msg = await jd.page.getByTestId('action-error').innerText();
    assert.match(msg, /已变为“已办结”.*未执行.*已刷新/);
    assert.doesNotMatch(msg, /当前状态不允许该操作|\(/);
    assert.equal(await jd.page.getByTestId('action-form').count(), 0, 'the rating form is closed');
    await jd.page.getByTestId('no-actions').waitFor();
    await shot(jd.page, 'closed-meanwhile');
    await off.context.close();
    await jd.context.close();
  });
});
