// A value entered by hand on an indicator's page (录入数值): a district officer gives the region,
// period, value and source; a period not begun and a region that is no district are said at
// their fields and nothing is written; the value entered is listed with its source, and a second
// one for the same period is told to revise the first. A viewer has no such button. The value is
// removed at the end (the other files read the demo's figures).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const PG = '平谷区';

describe('an indicator value entered by hand', { timeout: budget(120000) }, () => {
  test('an officer enters a value; refusals at their fields; a viewer cannot', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    await login(page, 'officer', DEMO_PW, { land: false });
    const ind = (await apiGet(page, '/indicators?limit=500')).items.find((i) => i.code === 'gdp');
    assert.ok(ind, 'the demo has gdp');
    const values = (await apiGet(page, `/indicators/values?code=gdp&region=${encodeURIComponent(PG)}&limit=500`)).items;
    let year = 2010;
    while (values.some((v) => v.period === String(year))) year++;
    const period = String(year);
    await page.goto(`/development/indicators/${ind.id}`);
    await page.getByTestId('ind-add').click();
    const dlg = page.getByTestId('ind-revise-dialog');
    const field = (testid) => dlg.locator('.el-form-item', { has: page.getByTestId(testid) }).locator('.el-form-item__error');
    assert.equal(await dlg.getByTestId('ind-input-region').inputValue(), PG, 'the region shown');
    // nothing given: the period first
    await dlg.getByTestId('ind-save').click();
    await field('ind-input-period').getByText('请填写期间').waitFor();
    // a period not begun, a region that is no district: said at the field, nothing written
    await dlg.getByTestId('ind-input-period').fill('2099');
    await dlg.getByTestId('ind-input-value').locator('input').fill('123.4');
    await dlg.getByTestId('ind-input-source').fill('区统计局快报');
    await dlg.getByTestId('ind-save').click();
    await field('ind-input-period').getByText('期间尚未开始；计划数请作为目标值录入').waitFor();
    await dlg.getByTestId('ind-input-period').fill(period);
    await dlg.getByTestId('ind-input-region').fill('火星区');
    await dlg.getByTestId('ind-save').click();
    await field('ind-input-region').getByText('不是已知的区').waitFor();
    assert.equal((await apiGet(page, `/indicators/values?code=gdp&period=${period}`)).items.length, 0, 'nothing written');
    // entered: listed with its source
    await dlg.getByTestId('ind-input-region').fill(PG);
    await dlg.getByTestId('ind-input-note').fill('手工录入');
    await dlg.getByTestId('ind-save').click();
    await page.getByText(`已录入：${PG} ${period}`).waitFor();
    const row = page.getByTestId('ind-value-table').locator('tr', { hasText: period });
    await row.getByText('区统计局快报').waitFor();
    await row.getByTestId('ind-value').getByText('123.4').waitFor();
    const [made] = (await apiGet(page, `/indicators/values?code=gdp&region=${encodeURIComponent(PG)}&period=${period}`)).items;
    assert.equal(made.value, 123.4);
    assert.equal(made.note, '手工录入');
    await shot(page, 'indicator-entry');
    // the same period again: revise it
    await page.getByTestId('ind-add').click();
    await dlg.getByTestId('ind-input-period').fill(period);
    await dlg.getByTestId('ind-input-value').locator('input').fill('1');
    await dlg.getByTestId('ind-input-source').fill('又一次');
    await dlg.getByTestId('ind-save').click();
    await dlg.getByText('该地区该期间已有数值：请在列表中修订它').waitFor();
    await dlg.getByRole('button', { name: '取消', exact: true }).click();
    await apiSend(page, 'delete', `/indicators/values/${made.id}?version=${made.version}`);
    noProblems(page);
    await context.close();

    const v = await openPage(browser);
    await login(v.page, 'viewer', DEMO_PW);
    await v.page.goto(`/development/indicators/${ind.id}`);
    await v.page.getByTestId('ind-value-table').waitFor();
    assert.equal(await v.page.getByTestId('ind-add').count(), 0, 'a viewer enters nothing');
    await v.context.close();
  });
});
