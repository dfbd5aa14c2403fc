// The appeal KPIs open on this year when it has appeals, otherwise on the latest year that has
// (the API's `years`), and say which year is shown instead of showing an empty year.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, ADMIN_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('appeal KPIs: the year opened on', { timeout: budget(120000) }, () => {
  test('a year without appeals is not opened on; the page says which year it shows', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const { context, page } = await openPage(browser);
      await login(page, 'admin', ADMIN_PW);
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      const thisYear = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
      const { years } = await apiGet(page, `/enterprise/kpis?from=${thisYear}-01-01&to=${thisYear + 1}-01-01`);
      assert.ok(years.length > 0, 'the seed has years with appeals');
      const expected = years.includes(thisYear) ? thisYear : Math.max(...years);
      await page.goto('/enterprise/kpis');
      await page.waitForURL(new RegExp(`from=${expected}-01-01&to=${expected}-12-31`));
      await page.getByTestId('kpi-tiles').waitFor();
      assert.equal((await page.getByTestId('kpi-year').innerText()).match(/\d{4}/)?.[0], String(expected));
      const k = await apiGet(page, `/enterprise/kpis?from=${expected}-01-01&to=${expected + 1}-01-01`);
      assert.ok(k.district.appeals > 0, `${expected} has appeals`);
      const note = page.getByTestId('kpi-fell-back');
      if (expected !== thisYear) {
        await note.getByText(lang === 'en' ? `No appeals in ${thisYear} yet: showing ${expected}, the latest year with appeals` : `${thisYear} 年尚无诉求，显示有诉求的最近一年：${expected} 年`).waitFor();
        // this year is still offered, and picking it drops the note
        await page.getByTestId('kpi-year').click();
        await page.getByRole('option', { name: String(thisYear), exact: true }).click();
        await page.waitForURL(new RegExp(`from=${thisYear}-01-01`));
        await note.waitFor({ state: 'detached' });
      } else assert.equal(await note.count(), 0);
      await shot(page, `kpi-year-${lang}`);
      assert.deepEqual(page.problems, []);
      await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
      await context.close();
    }
  });
});
