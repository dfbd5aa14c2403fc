// An indicator's targets on its page (指标数据 → an indicator): a district officer adds a target
// (the server's 422 shown by the field it names, a second target for the same region and period
// a 409 at the period), sees it listed, drawn on the trend beside the values and measured by the
// progress card (the API's fn=progress: current, target, percentage, what remains); corrects it
// (PATCH with its version; someone else's change meanwhile is a 409 that reloads the target and
// keeps the officer's value); removes it after a confirmation. A cap (lower is better) reads 100 %
// at the cap and below 100 % above it, with what is to cut. A viewer reads the targets and the
// progress without any write action, as the server refuses a viewer's write (403).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, ADMIN_PW, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const PG = '平谷区';
const suffix = String(Date.now() % 1e8);
/** the accessible name of the targets chart: its data as text, "period value" per point */
const chartText = (page) => page.getByTestId('tgt-chart').getByRole('img').getAttribute('aria-label');
async function chartHas(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid="tgt-chart"] [role="img"]')?.getAttribute('aria-label') || ''), re.source);
}
/** the chart's canvas has painted pixels */
const drawn = (page) =>
  page.getByTestId('tgt-chart').locator('canvas').first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i]) return true;
    return false;
  });
/** A new indicator of the officer's with yearly values of 平谷区 (no other test reads it). */
async function indicator(page, { code, name, unit, hib, values }) {
  const ind = await apiSend(page, 'post', '/indicators', { code, name, unit, kind: 'level', higher_is_better: hib, source: '区统计局' });
  for (const [period, value] of values) await apiSend(page, 'post', '/indicators/values', { code, region: PG, period, value, source: '区统计局' });
  return ind;
}
const targetsOf = async (page, code) => (await apiGet(page, `/indicators/targets?code=${code}`)).items;

let capInd;
describe('an indicator’s targets', { timeout: budget(180000) }, () => {
  test('an officer adds a target, sees it listed, drawn and measured, corrects it (409 reloads), removes it', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const code = `tgt_freight_${suffix}`;
    const ind = await indicator(page, { code, name: `测试货运量${suffix}`, unit: '万吨', hib: true, values: [['2022', 800], ['2023', 900], ['2024', 1000]] });
    await page.goto(`/development/indicators/${ind.id}`);
    const card = page.getByTestId('tgt-card');
    const rows = card.locator('.el-table__body-wrapper tbody tr');
    await card.getByText('暂无目标值').waitFor();
    await page.getByTestId('tgt-progress-none').getByText('平谷区暂无目标值').waitFor();
    await chartHas(page, /2024 1000/);
    assert.doesNotMatch(await chartText(page), /目标值:/, 'no target drawn yet');

    // add: the server's refusals by the field they name, nothing written
    await page.getByTestId('tgt-add').click();
    const dlg = page.getByTestId('tgt-dialog');
    const field = (testid) => dlg.locator('.el-form-item', { has: page.getByTestId(testid) }).locator('.el-form-item__error');
    assert.equal(await dlg.getByTestId('tgt-input-region').inputValue(), PG, 'the region shown');
    await dlg.getByTestId('tgt-input-region').fill('火星区');
    await dlg.getByTestId('tgt-input-period').fill('2035');
    await dlg.getByTestId('tgt-input-value').locator('input').fill('2000');
    await dlg.getByTestId('tgt-save').click();
    await field('tgt-input-region').getByText('不是已知的区').waitFor();
    await dlg.getByTestId('tgt-input-region').fill(PG);
    await dlg.getByTestId('tgt-input-value').locator('input').fill('0');
    await dlg.getByTestId('tgt-save').click();
    await field('tgt-input-value').getByText('目标值超出允许范围').waitFor();
    await field('tgt-input-region').waitFor({ state: 'detached' }); // the region's message gone
    assert.deepEqual(await targetsOf(page, code), [], 'nothing written');
    await dlg.getByTestId('tgt-input-value').locator('input').fill('2000');
    await dlg.getByTestId('tgt-input-source').fill('区“十五五”规划');
    await dlg.getByTestId('tgt-input-note').fill('规划目标');
    await dlg.getByTestId('tgt-save').click();
    await page.getByText('已新增目标：平谷区 2035 2,000 万吨').waitFor();
    await dlg.waitFor({ state: 'hidden' });

    // listed: region, period, value with unit, source, note
    await rows.first().getByTestId('tgt-value').getByText('2,000 万吨').waitFor();
    const cells = await rows.first().locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 5).map((s) => s.trim()), [PG, '2035', '2,000 万吨', '区“十五五”规划', '规划目标']);
    let [tgt] = await targetsOf(page, code);
    assert.equal(tgt.value, 2000);

    // drawn: the target at 2035 beside the values, the years between on the axis
    await chartHas(page, /目标值: 2035 2000/);
    assert.match(await chartText(page), /2024 1000, 2025 —/, 'every year up to the target on the axis');
    assert.equal(await drawn(page), true);

    // measured: the server's progress, current 1000 of 2000
    const prog = page.getByTestId('tgt-progress');
    const api = await apiGet(page, `/indicators/derived?fn=progress&code=${code}&period=2024&target=2035&region=${encodeURIComponent(PG)}`);
    assert.equal(api.rounded, 50);
    await prog.getByTestId('tgt-progress-pct').getByText('50%').waitFor();
    assert.equal((await prog.getByTestId('tgt-progress-current').innerText()).trim(), '1,000 万吨');
    assert.equal((await prog.getByTestId('tgt-progress-target').innerText()).trim(), '2,000 万吨');
    assert.equal((await prog.getByTestId('tgt-progress-remaining').innerText()).trim(), '距目标还差 1,000 万吨');
    await prog.getByText('现值（2024）').waitFor();
    await prog.getByText('目标（2035）').waitFor();

    // a second target for the same region and period: 409 at the period
    await page.getByTestId('tgt-add').click();
    await dlg.getByTestId('tgt-input-period').fill('2035');
    await dlg.getByTestId('tgt-input-value').locator('input').fill('3000');
    await dlg.getByTestId('tgt-save').click();
    await field('tgt-input-period').getByText('该地区该期间已有目标值').waitFor();
    await dlg.getByRole('button', { name: '取消' }).click();
    assert.equal((await targetsOf(page, code)).length, 1);

    // correct it: PATCH with its version
    const edit = page.getByTestId(`tgt-edit-${PG}-2035`);
    await edit.click();
    await dlg.getByTestId('tgt-current').getByText('第 1 版').waitFor();
    assert.equal(await dlg.getByTestId('tgt-input-period').isDisabled(), true, 'the period stays');
    await dlg.getByTestId('tgt-input-value').locator('input').fill('2500');
    await dlg.getByTestId('tgt-save').click();
    await page.getByText('已修改目标：2,000 万吨 → 平谷区 2035 2,500 万吨').waitFor();
    await rows.first().getByTestId('tgt-value').getByText('2,500 万吨').waitFor();
    await chartHas(page, /目标值: 2035 2500/);
    await prog.getByTestId('tgt-progress-pct').getByText('40%').waitFor();
    [tgt] = await targetsOf(page, code);
    assert.deepEqual([tgt.value, tgt.version, tgt.note], [2500, 2, '规划目标']);

    // someone else corrects it meanwhile: 409, the target reloaded, the officer's value kept
    await edit.click();
    await dlg.getByTestId('tgt-input-value').locator('input').fill('2600');
    const other = await page.request.patch(`/api/v1/indicators/targets/${tgt.id}`, { data: { version: 2, value: 2400, note: '市里下达' } });
    assert.equal(other.status(), 200, await other.text());
    await dlg.getByTestId('tgt-save').click();
    const conflict = dlg.getByTestId('tgt-conflict');
    await conflict.getByText('已被他人修改').waitFor();
    await conflict.getByText('第 3 版，目标值 2,400 万吨').waitFor();
    await dlg.getByTestId('tgt-current').getByText('第 3 版').waitFor();
    assert.equal(await dlg.getByTestId('tgt-input-value').locator('input').inputValue(), '2600', 'the officer’s value kept');
    assert.equal(await dlg.getByTestId('tgt-input-note').inputValue(), '市里下达', 'the latest note');
    await rows.first().getByTestId('tgt-value').getByText('2,400 万吨').waitFor(); // the list reloaded too
    await dlg.getByTestId('tgt-save').click();
    await dlg.waitFor({ state: 'hidden' });
    await rows.first().getByTestId('tgt-value').getByText('2,600 万吨').waitFor();
    [tgt] = await targetsOf(page, code);
    assert.deepEqual([tgt.value, tgt.version], [2600, 4]);

    // remove it, after a confirmation (cancelled first: nothing sent)
    await page.getByTestId(`tgt-delete-${PG}-2035`).click();
    let box = page.getByRole('dialog', { name: '删除目标值' });
    await box.getByText('平谷区 2035 2,600 万吨', { exact: false }).waitFor();
    await box.getByRole('button', { name: '取消' }).click();
    await box.waitFor({ state: 'hidden' });
    assert.equal((await targetsOf(page, code)).length, 1);
    await page.getByTestId(`tgt-delete-${PG}-2035`).click();
    box = page.getByRole('dialog', { name: '删除目标值' });
    await box.getByRole('button', { name: '删除' }).click();
    await page.getByText('已删除目标：平谷区 2035 2,600 万吨').waitFor();
    await card.getByText('暂无目标值').waitFor();
    assert.equal((await page.request.get(`/api/v1/indicators/targets/${tgt.id}`)).status(), 404);
    await page.getByTestId('tgt-progress-none').getByText('平谷区暂无目标值').waitFor();
    await page.waitForFunction(() => !/目标值:/.test(document.querySelector('[data-testid="tgt-chart"] [role="img"]')?.getAttribute('aria-label') || ''));
    noProblems(page);
    await context.close();
  });

  test('a cap: 100 % at the cap, below 100 % above it, with what is to cut', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const code = `tgt_energy_${suffix}`;
    capInd = await indicator(page, { code, name: `测试能耗${suffix}`, unit: '万吨标准煤', hib: false, values: [['2023', 110], ['2024', 122]] });
    await apiSend(page, 'post', '/indicators/targets', { code, period: '2030', value: 110, source: '区发改委' });
    await page.goto(`/development/indicators/${capInd.id}`);
    const prog = page.getByTestId('tgt-progress');
    await prog.getByTestId('tgt-progress-pct').getByText('90.16%').waitFor();
    await prog.getByText('上限（2030）').waitFor();
    assert.equal((await prog.getByTestId('tgt-progress-remaining').innerText()).trim(), '超过上限 12 万吨标准煤，需压减 12 万吨标准煤');
    assert.match(await prog.getByTestId('tgt-progress-rule').innerText(), /恰在上限为 100%，超过上限低于 100%/);
    assert.equal(await prog.locator('.el-progress.is-success').count(), 0, 'not shown as achieved');
    // at the cap: 100 %
    const [v2024] = (await apiGet(page, `/indicators/values?code=${code}&period=2024`)).items;
    await apiSend(page, 'patch', `/indicators/values/${v2024.id}`, { version: v2024.version, value: 110 });
    await page.reload();
    await prog.getByTestId('tgt-progress-pct').getByText('100%').waitFor();
    assert.equal((await prog.getByTestId('tgt-progress-remaining').innerText()).trim(), '恰在上限');
    await chartHas(page, /目标值: 2030 110/);
    noProblems(page);
    await context.close();
  });

  test('an officer made a viewer while the page is open: the save refused (403) says so, nothing written', async () => {
    assert.ok(capInd, 'the cap indicator of the test before');
    const admin = await openPage(browser);
    await login(admin.page, 'admin', ADMIN_PW);
    const username = `tgt${suffix}`;
    const password = `Pj-${suffix}-Zq7!`;
    const user = await apiSend(admin.page, 'post', '/users', { username, display_name: '目标测试员', role: 'district_officer', password });
    const { context, page } = await openPage(browser);
    await login(page, username, password, { land: false });
    await page.goto(`/development/indicators/${capInd.id}`);
    await page.getByTestId('tgt-add').click();
    const dlg = page.getByTestId('tgt-dialog');
    await dlg.getByTestId('tgt-input-period').fill('2035');
    await dlg.getByTestId('tgt-input-value').locator('input').fill('100');
    await apiSend(admin.page, 'patch', `/users/${user.id}`, { version: user.version, role: 'viewer' });
    await dlg.getByTestId('tgt-save').click();
    await dlg.getByTestId('tgt-error').getByText('无权限：目标值由区级管理员和区级工作人员设定').waitFor();
    assert.equal((await targetsOf(page, capInd.code)).length, 1, 'nothing written');
    await admin.context.close();
    await context.close();
  });

  test('a viewer reads the targets and the progress, with no write action (the server refuses one)', async () => {
    assert.ok(capInd, 'the cap indicator of the test before');
    const { context, page } = await openPage(browser);
    await login(page, 'viewer', DEMO_PW, { land: false });
    await page.goto(`/development/indicators/${capInd.id}`);
    const card = page.getByTestId('tgt-card');
    await card.getByTestId('tgt-value').getByText('110 万吨标准煤').waitFor();
    await page.getByTestId('tgt-progress').getByTestId('tgt-progress-pct').getByText('100%').waitFor();
    await card.getByTestId('tgt-readonly').waitFor();
    assert.equal(await page.locator('[data-testid="tgt-add"], [data-testid^="tgt-edit-"], [data-testid^="tgt-delete-"]').count(), 0, 'no add, correct or delete');
    assert.equal(await card.getByRole('columnheader', { name: '操作' }).count(), 0, 'no actions column');
    const [tgt] = await targetsOf(page, capInd.code);
    const refused = await page.request.patch(`/api/v1/indicators/targets/${tgt.id}`, { data: { version: tgt.version, value: 100 } });
    assert.equal(refused.status(), 403, 'a viewer may not write targets');
    noProblems(page);
    await context.close();
    // on a phone: each target a block, its value whole, no action either
    const phone = await openPage(browser, { width: 390, height: 844 });
    await login(phone.page, 'viewer', DEMO_PW);
    await phone.page.goto(`/development/indicators/${capInd.id}`);
    const row = phone.page.getByTestId('tgt-row').first();
    await row.getByTestId('tgt-value').getByText('110 万吨标准煤').waitFor();
    assert.match(await row.innerText(), /平谷区 2030/);
    assert.equal(await phone.page.locator('[data-testid^="tgt-edit-"], [data-testid^="tgt-delete-"], [data-testid="tgt-add"]').count(), 0);
    noProblems(phone.page);
    await phone.context.close();
  });
});
