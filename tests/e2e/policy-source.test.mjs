// The policy page: those who write the rules (the district: admin, district officers) open the
// rule's source under the words with 查看规则原文 / Show rule source — in monospace, the rule
// exactly as stored, copied with one click; the words alone until they ask. A township officer
// keeps the rule text in small type under the words, a firm reads the words only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, shot, BASE, DEMO_PW, budget } from './lib.mjs';

const LAPTOP = { width: 1366, height: 768 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('rule source on the policy page', { timeout: budget(180000) }, () => {
  for (const [lang, show, hide, copied] of [
    ['zh-CN', '查看规则原文', '收起规则原文', '规则原文已复制'],
    ['en', 'Show rule source', 'Hide rule source', 'Rule source copied'],
  ]) {
    test(`a district officer shows, reads and copies the rule source (${lang})`, async () => {
      const { context, page } = await openPage(browser, LAPTOP);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
      await context.addInitScript((l) => localStorage.setItem('pj_locale', l), lang);
      await login(page, 'officer', DEMO_PW, { land: false });
      const p = (await apiGet(page, '/enterprise/policies?limit=100')).items.find((x) => / and /.test(x.conditions));
      await page.goto(`/enterprise/policies/${p.id}`);
      await page.getByTestId('policy-rule').waitFor();
      const toggle = page.getByRole('button', { name: show, exact: true });
      await toggle.waitFor();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.getByTestId('rule-source').isVisible(), false, 'the source waits to be asked for');
      assert.equal(await page.getByTestId('rule-raw').count(), 0, 'no second copy of the rule in small type');
      await toggle.click();
      const src = page.getByTestId('rule-source');
      await src.waitFor();
      const hideButton = page.getByRole('button', { name: hide, exact: true });
      assert.equal(await hideButton.getAttribute('aria-expanded'), 'true');
      assert.equal(await src.innerText(), p.conditions, 'the rule exactly as stored');
      assert.match(await src.evaluate((el) => getComputedStyle(el).fontFamily), /mono/i, 'in monospace');
      assert.equal(await src.evaluate((el) => getComputedStyle(el).userSelect), 'text', 'selectable');
      await page.getByTestId('rule-source-copy').click();
      await page.locator('.el-message', { hasText: copied }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), p.conditions, 'the rule on the clipboard');
      await shot(page, `policy-source-${lang}`);
      await hideButton.click();
      await page.getByRole('button', { name: show, exact: true }).waitFor();
      assert.equal(await src.isVisible(), false);
      assert.deepEqual(page.problems, [], 'console errors');
      await context.close();
    });
  }

  test('a township officer keeps the rule text in small type, a firm the words only: no toggle', async () => {
    for (const [user, raw] of [
      ['jinhaihu', 1],
      ['jd', 0],
    ]) {
      const { context, page } = await openPage(browser, LAPTOP);
      await login(page, user, DEMO_PW, { land: false });
      const p = (await apiGet(page, '/enterprise/policies?limit=1')).items[0];
      await page.goto(`/enterprise/policies/${p.id}`);
      await page.getByTestId('policy-rule').waitFor();
      await page.waitForTimeout(500);
      assert.equal(await page.getByTestId('rule-raw').count(), raw, `${user}: the rule text in small type`);
      assert.equal(await page.getByTestId('rule-source-toggle').count(), 0, `${user}: no rule source toggle`);
      assert.deepEqual(page.problems, [], 'console errors');
      await context.close();
    }
  });
});
