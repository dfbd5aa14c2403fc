// The enterprise-service pages, sixth round. Rating a reply starts with no choice: 评价 without
// one sends nothing and asks at the field; 不满意 reopens the appeal.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, choose, DEMO_PW } from './lib.mjs';

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

describe('enterprise services (6)', { timeout: 180000 }, () => {
  test('rating a reply: no rating preset, 评价 without one sends nothing; 不满意 reopens', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const jdOrg = (await apiGet(off.page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    let a = await call(off.page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'help', category: 'permits', title: '评价测试诉求', description: '测试' });
    for (const [action, body] of [['dispatch', {}], ['accept', {}], ['reply', { reply: '已安排下周现场检查', resolved: true }]])
      a = await call(off.page, 'POST', `/enterprise/appeals/${a.id}/${action}`, { version: a.version, ...body });
    await off.context.close();

    const { page } = await openPage(browser);
    await login(page, 'jd', DEMO_PW);
    const rates = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/rate') && rates.push(r.url()));
    await page.goto(`/enterprise/appeals/${a.id}`);
    await page.getByTestId('appeal-state').getByText('已答复').waitFor();
    await page.getByTestId('act-rate').click();
    const select = page.getByTestId('rate-rating');
    await select.locator('.el-select__placeholder.is-transparent').getByText('请选择评价', { exact: true }).waitFor(); // nothing chosen
    await page.getByTestId('action-submit').click();
    await page.getByTestId('action-form').locator('.el-form-item__error').getByText('请选择评价', { exact: true }).waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(rates, [], 'nothing sent without a rating');
    assert.equal((await apiGet(page, `/enterprise/appeals/${a.id}`)).state, 'replied');
    await choose(page, select, '不满意');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('appeal-state').getByText('重新办理').waitFor();
    const after = await apiGet(page, `/enterprise/appeals/${a.id}`);
    assert.equal(after.state, 'reopened');
    assert.equal(rates.length, 1);
  });
});
