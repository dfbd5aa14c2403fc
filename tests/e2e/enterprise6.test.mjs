// The enterprise-service pages, sixth round. Rating a reply starts with no choice: 评价 without
// one sends nothing and asks at the field; 不满意 reopens the appeal. The appeal form checks its
// required fields and the phone's characters together, at their fields, before sending, and
// says what a phone or ID number may hold in Chinese.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, choose, DEMO_PW, budget } from './lib.mjs';

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

describe('enterprise services (6)', { timeout: budget(180000) }, () => {
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

  test('the appeal form: required fields and the phone checked together at their fields, before sending', async () => {
    const { page } = await openPage(browser);
    await login(page, 'jd', DEMO_PW);
    const posts = [];
    page.on('request', (r) => r.method() === 'POST' && /\/enterprise\/appeals$/.test(r.url()) && posts.push(r.url()));
    await page.goto('/enterprise/appeals');
    await page.getByTestId('new-appeal').click();
    const dialog = page.getByRole('dialog');
    await page.getByTestId('appeal-phone').fill('abc');
    await page.getByTestId('appeal-save').click();
    const errs = dialog.locator('.el-form-item__error');
    await errs.nth(3).waitFor();
    assert.deepEqual(await errs.allInnerTexts(), ['必填', '必填', '必填', '电话只能包含数字、+、- 和空格']);
    const items = dialog.locator('.el-form-item.is-error .el-form-item__label');
    // the category too: none is chosen for the user (it decides the department)
    assert.deepEqual(await items.allInnerTexts(), ['类别', '标题', '诉求内容', '联系电话']);
    assert.deepEqual(posts, [], 'nothing sent');
    // a number nobody can call back ("1", a mobile of 7 digits) is refused at the field too
    for (const [typed, said] of [['1', '电话号码至少 7 位数字'], ['1381234', '以 1 开头的手机号须为 11 位']]) {
      await page.getByTestId('appeal-phone').fill(typed);
      await page.getByTestId('appeal-save').click();
      await dialog.locator('.el-form-item', { has: page.getByTestId('appeal-phone') }).locator('.el-form-item__error').getByText(said, { exact: true }).waitFor();
    }
    assert.deepEqual(posts, [], 'nothing sent');
    // filled in, it is filed
    await choose(page, page.getByTestId('appeal-category'), '其他');
    await page.getByTestId('appeal-title').fill('表单测试诉求');
    await page.getByTestId('appeal-description').fill('内容');
    await page.getByTestId('appeal-phone').fill('010-6996 1234');
    await page.getByTestId('appeal-save').click();
    await page.getByTestId('appeal-state').waitFor();
    assert.equal(posts.length, 1);
  });

  test('the server’s words on phone and ID numbers, in Chinese', async () => {
    const { page } = await openPage(browser);
    await login(page, 'jd', DEMO_PW);
    // the server's refusals as they are sent (the same family: what a number may hold)
    const said = [
      ["a phone number has digits, '+', '-' and spaces only", '电话只能包含数字、+、- 和空格'],
      ['phone must be 11 digits starting 1', '须为以 1 开头的 11 位手机号'],
      ['a phone number has at least 7 digits', '电话号码至少 7 位数字'],
      ['a phone number has at most 15 digits', '电话号码最多 15 位数字'],
      ['a mobile number (beginning with 1) has 11 digits', '以 1 开头的手机号须为 11 位'],
      // the academy's and the livestream zone's rules: Chinese said only 取值无效 or 无权限
      ['ends_on is before starts_on', '结业日期不能早于开班日期'],
      ["organisation 2 is not of your township: the organisation would see the streamer's personal data, so the district links it", '该单位不属本乡镇（街道）：关联后该单位可看到主播的个人信息，须由区级关联'],
      ['a streamer of organisation 2 is in its township (238), not 298', '签约单位的主播属该单位所在的乡镇（街道），不能选择其他乡镇'],
      ['a session with GMV (gmv_fen 100000) has at least one order', '有成交额时订单数至少为 1'],
      ["the session is outside the cohort's dates 2026-09-01 to 2026-11-30", '该场直播不在本班级的起止日期内（2026-09-01 至 2026-11-30）'],
      ["the streamer was under 18 on 2026-10-15 and the guardian's consent is dated 2026-11-01, after it", '主播在 2026-10-15 未满 18 周岁，而监护人同意日期为 2026-11-01，晚于该日'],
      ['id_number must be an 18-character resident ID number with its check digit', '须为 18 位居民身份证号码，校验位正确'],
      ["id_number's characters 7-14 must be the birth date YYYYMMDD", '身份证号码第 7–14 位须为出生日期（年月日）'],
    ];
    let message = '';
    await page.route('**/api/v1/enterprise/appeals', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid_value', message, field: 'contact_phone' } }) })
        : route.continue(),
    );
    await page.goto('/enterprise/appeals');
    await page.getByTestId('new-appeal').click();
    await choose(page, page.getByTestId('appeal-category'), '其他');
    await page.getByTestId('appeal-title').fill('电话');
    await page.getByTestId('appeal-description').fill('内容');
    await page.getByTestId('appeal-phone').fill('010 1234');
    for (const [en, zh] of said) {
      message = en;
      await page.getByTestId('appeal-save').click();
      await page.getByRole('dialog').locator('.el-form-item__error').getByText(zh, { exact: true }).waitFor();
    }
  });
});
