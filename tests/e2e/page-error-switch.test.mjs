// A page whose list fails to load says so above the list; a switch of language says it again
// in the new language at once, both ways (it stayed in the language it was made in: Chinese
// after the switch to English). Three pages of three kinds: the facility list and the elder
// list (a page of a list), the pairing runs (a list read with "load more").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, DEMO_PW, budget } from './lib.mjs';

const CJK = /[\u4e00-\u9fff]/;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// the language switch of the console's header
const switchTo = (page, label) => page.locator('.el-segmented').getByText(label, { exact: true }).click();

// a refusal of the server, as the API answers one (4xx, {"error": {code, message}})
const refuse = (status, code, message) => (route) =>
  route.request().method() === 'GET' ? route.fulfill({ status, contentType: 'application/json', body: JSON.stringify({ error: { code, message } }) }) : route.continue();

const PAGES = [
  { path: '/facilities', api: /\/api\/v1\/facilities\?/, status: 409, code: 'busy', message: 'too many exports at once', zh: '服务器繁忙，请稍后重试', en: 'Server busy, try again shortly: too many exports at once' },
  { path: '/elders', api: /\/api\/v1\/elders\?/, status: 400, code: 'bad_query', message: 'unknown sort order', zh: '查询参数有误', en: 'Bad query: unknown sort order' },
  { path: '/pairing', api: /\/api\/v1\/pairing-runs\?/, status: 409, code: 'busy', message: 'a run is being saved', zh: '服务器繁忙，请稍后重试', en: 'Server busy, try again shortly: a run is being saved' },
];

describe('a page whose load failed, then a switch of language', () => {
  for (const p of PAGES) {
    test(`${p.path}: the message follows the switch both ways`, { timeout: budget(120000) }, async () => {
      const { context, page } = await openPage(browser, { width: 1440, height: 900 });
      await login(page, 'officer', DEMO_PW);
      await page.route(p.api, refuse(p.status, p.code, p.message));
      await page.goto(p.path);
      const alert = page.locator('.el-alert--error');
      await alert.filter({ hasText: p.zh }).first().waitFor();
      assert.ok(!(await alert.allTextContents()).join(' ').includes(p.en), 'Chinese first');

      await switchTo(page, 'English');
      await alert.filter({ hasText: p.en }).first().waitFor({ timeout: 5000 });
      const en = (await alert.allTextContents()).join(' | ');
      assert.ok(!CJK.test(en), `no Chinese left: ${en}`);
      await shot(page, `page-error-en-${p.path.slice(1)}`);

      await switchTo(page, '中文');
      await alert.filter({ hasText: p.zh }).first().waitFor({ timeout: 5000 });
      const zh = (await alert.allTextContents()).join(' | ');
      assert.ok(!zh.includes('Server busy') && !zh.includes('Bad query'), `no English left: ${zh}`);
      assert.deepEqual(page.problems, [], 'console errors');
      await context.close();
    });
  }
});
