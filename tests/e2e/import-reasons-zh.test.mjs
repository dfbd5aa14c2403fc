// The indicator import's bad rows in the reader's language: a table with a bad row of each
// kind, checked (a dry run, nothing written), lists every row's column by its Chinese heading
// and its reason as a Chinese sentence built from the row's particulars — a share beyond 100
// says a share is between 0 and 100, not the ±1e15 of any value; in English the same rows read
// in English.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// lines 2–8 bad, each in its own way; 9 good; 10 the same value as 9 again
const TABLE = [
  'code,region,period,value,unit,source,note',
  ',,2015,1,,,',
  'no_such_indicator,,2015,1,,,',
  'gdp,,2015X,1,,,',
  'gdp,,2015,abc,,,',
  'land_transfer_rate,,2015,150,,,',
  'gdp,,2015,1,米,,',
  'gdp,,2015,1,,' + 'x'.repeat(129) + ',',
  'freight_volume,,2014,1,,,',
  'freight_volume,,2014,2,,,',
].join('\n');

const WANT = {
  'zh-CN': [
    ['2', '指标代码', '指标代码为空'],
    ['3', '指标代码', '没有代码为 no_such_indicator 的指标'],
    ['4', '期间', '期间“2015X”格式不对，应为 2024、2024H1、2024Q2 或 2024-06'],
    ['5', '数值', '“abc”不是数字'],
    ['6', '数值', '150 超出范围：land_transfer_rate 是占比（%），须在 0 到 100 之间'],
    ['7', '单位', 'gdp 的单位是 亿元，不是 米；请先换算'],
    ['8', '来源', '超过 128 个字符'],
    ['10', '期间', 'freight_volume 平谷区 2014 与第 9 行重复；每个值只填一次'],
  ],
  en: [
    ['2', 'Code', 'the indicator code is empty'],
    ['3', 'Code', 'no indicator with code no_such_indicator'],
    ['4', 'Period', 'period “2015X” is not 2024, 2024H1, 2024Q2 or 2024-06'],
    ['5', 'Value', '“abc” is not a number'],
    ['6', 'Value', '150 is out of range: land_transfer_rate is a share in %, between 0 and 100'],
    ['7', 'Unit', 'gdp is in 亿元, not 米; convert before importing'],
    ['8', 'Source', 'longer than 128 characters'],
    ['10', 'Period', 'freight_volume 平谷区 2014 is also on line 9; give each value once'],
  ],
};

describe('import reasons in the reader’s language', { timeout: budget(120000) }, () => {
  for (const lang of ['zh-CN', 'en'])
    test(`${lang}: every bad row of an indicator table with its column and reason in ${lang}`, async () => {
      const { context, page } = await openPage(browser);
      if (lang !== 'zh-CN') await context.addInitScript((l) => localStorage.setItem('pj_locale', l), lang);
      await login(page, 'officer', DEMO_PW, { land: false });
      await page.goto('/development/import');
      await page.getByTestId('import-file').waitFor();
      await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(TABLE + '\n') });
      const rows = page.getByTestId('import-errors').locator('tbody tr');
      await rows.nth(WANT[lang].length - 1).waitFor();
      const got = [];
      for (let i = 0; i < (await rows.count()); i++) got.push((await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.trim()));
      assert.deepEqual(got, WANT[lang]);
      assert.equal(await page.getByTestId('import-commit').isDisabled(), true);
      assert.deepEqual(page.problems, []);
      await context.close();
    });
});
