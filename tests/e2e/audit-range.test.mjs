// The scheduled alert scan writes the elder-id range of each slice; the last slice's end is
// -1 ("to the last elder"), which the audit log says in words, never as a raw -1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, ADMIN_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('audit: the alert scan’s elder-id range', { timeout: 120000 }, () => {
  test('a range open at its end reads in words, not “0、-1”', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    // the scan the server runs about a second after it starts
    let row;
    for (let i = 0; i < 60 && !row; i++) {
      const r = await apiGet(page, '/audit?entity=elder_alerts&action=scan&limit=50');
      row = r.items.find((x) => x.after?.elder_ids?.[1] === -1);
      if (!row) await page.waitForTimeout(500);
    }
    assert.ok(row, 'a scheduled scan’s last slice in the audit log');
    const from = row.after.elder_ids[0];
    // a slice from the first elder covers everyone (the e2e demo is one slice); the words for a
    // later slice ("96001 起") are checked in auditlabels.test.mjs
    const words = from > 0 ? [`${from} 起`, `${from} onward`] : ['全部', 'All'];
    for (const [lang, text] of [['zh-CN', words[0]], ['en', words[1]]]) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto(`/admin/audit?entity=elder_alerts&action=scan&entity_id=${row.entity_id ?? ''}`);
      const table = page.getByTestId('audit-table');
      await table.getByText(text, { exact: true }).first().waitFor();
      assert.equal(await table.getByText(/(^|[、,\s])-1$/).count(), 0, `${lang}: no raw -1`);
      await shot(page, `audit-range-${lang}`);
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
