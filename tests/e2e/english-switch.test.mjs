// The console in English, and a switch of language on a page already showing messages:
// - an indicator is named as on the district dashboard (dev.ind.names) on the indicator list
//   (and its name filter) and on the indicator's page; they were in Chinese;
// - the messages on screen (the log-in error, a form's field errors and its summary) follow a
//   switch of language at once; they stayed in the language they were made in;
// - a deleted streamer is "Deleted streamer #N" in English (the server's placeholder is Chinese)
//   in the livestream zone's list and its dialog; in Chinese the placeholder as stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, DEMO_PW, budget } from './lib.mjs';
import en from '../../web/src/i18n/en.js';

const CJK = /[\u4e00-\u9fff]/;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const english = async (context) => context.addInitScript(() => localStorage.getItem('pj_locale') || localStorage.setItem('pj_locale', 'en'));
// the language switch of the login page or the console's header
const switchTo = (page, label) => page.locator('.el-segmented').getByText(label, { exact: true }).click();

describe('English', () => {
  test('indicators: named in English on the list, by the filter and on the indicator page', async () => {
    const { context, page } = await openPage(browser, { width: 1440, height: 900 });
    await english(context);
    await login(page, 'officer', DEMO_PW, { land: false });
    const got = await apiGet(page, '/indicators');
    const inds = Array.isArray(got) ? got : got.items;
    const gdp = inds.find((i) => i.code === 'gdp');
    assert.ok(gdp && CJK.test(gdp.name), 'the seeded indicator has its Chinese name');
    const named = en.dev.ind.names;
    await page.goto('/development/indicators');
    const link = page.getByTestId('ind-open-gdp');
    await link.waitFor();
    assert.equal((await link.textContent()).trim(), named.gdp);
    for (const i of inds.filter((x) => named[x.code])) assert.equal((await page.getByTestId('ind-open-' + i.code).textContent()).trim(), named[i.code], i.code);
    // the filter finds it by its English name
    await page.getByTestId('ind-search').fill(named.gdp.split(' ').slice(0, 3).join(' '));
    await page.getByTestId('ind-open-gdp').waitFor();
    assert.equal(await page.getByTestId('ind-open-budget_revenue').count(), 0);
    await shot(page, 'en-indicator-list');
    await link.click();
    const h1 = page.locator('h1');
    await h1.filter({ hasText: named.gdp }).waitFor();
    assert.ok(!CJK.test(await h1.textContent()), await h1.textContent());
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });

  test('a deleted streamer: "Deleted streamer #N" in English, the placeholder in Chinese', async () => {
    const { context, page } = await openPage(browser, { width: 1440, height: 900 });
    await english(context);
    await login(page, 'officer', DEMO_PW, { land: false });
    const st = await apiSend(page, 'post', '/ecommerce/streamers', { name: `注销显示主播${Date.now() % 100000}`, birth_date: '1994-04-04', skill_level: 2 });
    await apiSend(page, 'delete', `/ecommerce/streamers/${st.id}`);
    const gone = await apiGet(page, `/ecommerce/streamers/${st.id}`);
    assert.equal(gone.anonymised, true);
    const find = async () => {
      await page.goto('/development/ecommerce');
      const q = page.getByTestId('ec-streamer-q');
      await q.fill(gone.name);
      await q.press('Enter');
      const b = page.getByTestId('ec-streamer-' + st.id);
      await b.waitFor();
      return b;
    };
    const button = await find();
    assert.equal((await button.textContent()).trim(), `Deleted streamer #${st.id}`);
    await button.click();
    const dlg = page.getByTestId('streamer-dialog');
    await dlg.locator('.el-dialog__title').filter({ hasText: `Deleted streamer #${st.id}` }).waitFor();
    await shot(page, 'en-deleted-streamer');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.equal((await (await find()).textContent()).trim(), gone.name);
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
});

describe('a switch of language', () => {
  test('the log-in error, then a form\'s field errors and summary, follow the switch both ways', { timeout: budget(120000) }, async () => {
    const { context, page } = await openPage(browser, { width: 1440, height: 900 });
    await page.goto('/login');
    await page.getByLabel('用户名').fill('nobody' + (Date.now() % 100000));
    await page.getByLabel('密码', { exact: true }).fill('wrongpass-' + Date.now());
    await page.getByRole('button', { name: '登录' }).click();
    const error = page.locator('.pj-login .el-form-item__error, .pj-login .el-alert--error');
    await error.first().waitFor();
    const zh = await error.first().textContent();
    assert.ok(CJK.test(zh), zh);
    await switchTo(page, 'English');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForFunction((s) => ![...document.querySelectorAll('.pj-login .el-form-item__error, .pj-login .el-alert--error')].some((e) => /[\u4e00-\u9fff]/.test(e.textContent)), null);
    const said = (await error.allTextContents()).join(' | ');
    assert.match(said, /password/i, 'the error said again in English');
    await shot(page, 'switch-login-error-en');
    // empty fields: the form's own messages, back to Chinese
    await page.getByLabel('User name').fill('');
    await page.getByLabel('Password', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.el-form-item__error').filter({ hasText: /user name/i }).waitFor();
    await switchTo(page, '中文');
    await page.getByRole('button', { name: '登录' }).waitFor();
    const back = (await page.locator('.el-form-item__error').allTextContents()).join(' | ');
    assert.ok(back && CJK.test(back) && !/[a-z]{3,}/i.test(back), back);

    await context.close();
  });

  test('a form\'s field errors and its summary follow the switch', { timeout: budget(120000) }, async () => {
    const { context, page } = await openPage(browser, { width: 1440, height: 900 });
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/elders/new');
    await page.getByTestId('save-elder').click();
    const fieldErr = page.getByTestId('f-name').locator('.el-form-item__error');
    await fieldErr.waitFor();
    assert.ok(CJK.test(await fieldErr.textContent()));
    const summary = page.getByTestId('form-error');
    assert.ok(CJK.test(await summary.textContent()));
    await switchTo(page, 'English');
    await fieldErr.filter({ hasText: 'Enter the name' }).waitFor();
    await summary.filter({ hasText: /^Fill in the required fields: Name/ }).waitFor();
    const all = (await page.locator('.el-form-item__error').allTextContents()).join(' | ');
    assert.ok(!CJK.test(all), all);
    await shot(page, 'switch-elder-form-en');
    await switchTo(page, '中文');
    await fieldErr.filter({ hasText: '请填写姓名' }).waitFor();
    assert.ok(CJK.test(await summary.textContent()) && !/Fill in/.test(await summary.textContent()));
    assert.deepEqual(page.problems, [], 'console errors');
    await context.close();
  });
});
