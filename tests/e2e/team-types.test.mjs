// The team types page (队伍类型) as the district relies on it: the district officer adds a
// team type (a code that breaks the rule is said at its field, before anything is sent),
// renames it — the new name is what the manual editor and the plan form offer, since the
// Chinese console shows the district's own name — and removes it; one that manual steps still
// use is refused with how many steps of how many manuals, in Chinese, and stays. How many teams
// of a type the district can put to work at once is recorded there and is a new plan's default
// (the plan form offered fixed numbers: 8 medical teams where the demo's medical bases need 10).
// A viewer reads the list without the buttons.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('team types', { timeout: budget(180000) }, () => {
  test('the district officer adds, renames and removes a team type; one in use is refused and stays', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'officer', DEMO_PW);
    await page.getByRole('menuitem', { name: '队伍类型' }).click();
    await page.getByRole('heading', { name: '队伍类型' }).waitFor();
    const table = page.getByTestId('tt-table');
    await table.getByText('后勤保障').waitFor();
    // add: a code with capitals is said at its field, nothing sent
    await page.getByTestId('tt-add').click();
    const dlg = page.getByRole('dialog', { name: '新增队伍类型' });
    await dlg.getByTestId('tt-code').fill('Psych');
    // with the name left empty too, both are said at once (the name was said only once the code was right)
    await dlg.getByTestId('tt-save').click();
    await dlg.locator('.el-form-item__error').getByText('编码只能包含小写字母、数字和下划线').waitFor();
    assert.deepEqual(
      (await dlg.locator('.el-form-item__error').allInnerTexts()).map((x) => x.trim()),
      ['编码只能包含小写字母、数字和下划线（1–32 个字符）', '请输入名称'],
    );
    await dlg.getByTestId('tt-name-input').fill('心理疏到');
    await dlg.getByTestId('tt-save').click();
    await dlg.locator('.el-form-item__error').getByText('请输入名称').waitFor({ state: 'detached' });
    await dlg.locator('.el-form-item__error').getByText('编码只能包含小写字母、数字和下划线').waitFor();
    assert.equal((await apiGet(page, '/team-types')).items.some((x) => x.name === '心理疏到'), false);
    // a name another type has: refused by the server, said at the name
    await dlg.getByTestId('tt-code').fill('psych');
    await dlg.getByTestId('tt-name-input').fill('消杀');
    await dlg.getByTestId('tt-save').click();
    await dlg.locator('.el-form-item__error').getByText('已有同名记录').waitFor();
    await dlg.getByTestId('tt-name-input').fill('心理疏到');
    await dlg.getByTestId('tt-save').click();
    await page.getByText('已新增“心理疏到”').waitFor();
    const mine = (await apiGet(page, '/team-types')).items.find((x) => x.code === 'psych');
    assert.equal(mine.name, '心理疏到');
    // renamed: the code stays, shown but not editable
    const row = table.locator('.el-table__body-wrapper tr', { hasText: 'psych' });
    await row.getByTestId('tt-rename').click();
    const ren = page.getByRole('dialog', { name: '修改队伍类型' });
    assert.equal(await ren.getByTestId('tt-code').isDisabled(), true);
    await ren.getByTestId('tt-name-input').fill('心理疏导');
    await ren.getByTestId('tt-save').click();
    await page.getByText('已改名为“心理疏导”').waitFor();
    await row.getByText('心理疏导').waitFor();
    const renamed = (await apiGet(page, '/team-types')).items.find((x) => x.code === 'psych');
    assert.deepEqual([renamed.name, renamed.version], ['心理疏导', 2]);
    await shot(page, '62-team-types');
    // a type of the demo renamed (餐饮 → 餐饮保障): the plan form counts teams by the new name,
    // not by the console's own table of the demo's names; then named back
    const cat = table.locator('.el-table__body-wrapper tr', { hasText: 'catering' });
    const rename = async (name) => {
      await cat.getByTestId('tt-rename').click();
      await ren.getByTestId('tt-name-input').fill(name);
      await ren.getByTestId('tt-save').click();
      await page.getByText(`已改名为“${name}”`).waitFor();
    };
    await rename('餐饮保障');
    await page.getByRole('menuitem', { name: '应急规划' }).click();
    await page.getByTestId('new-plan').click();
    await page.locator('input[aria-label="餐饮保障"]').waitFor();
    await page.locator('input[aria-label="心理疏导"]').waitFor();
    assert.equal(await page.locator('input[aria-label="餐饮"]').count(), 0);
    await page.getByRole('menuitem', { name: '队伍类型' }).click();
    await rename('餐饮');
    // medical: named by the demo manuals' steps, refused with the count, still listed
    const med = table.locator('.el-table__body-wrapper tr', { hasText: 'medical' });
    await med.getByTestId('tt-delete').click();
    await page.getByRole('dialog', { name: '删除队伍类型' }).getByRole('button', { name: '删除' }).click();
    const box = page.getByRole('dialog', { name: '该队伍类型仍在使用' });
    await box.getByText(/工作手册中有 \d+ 本手册的 \d+ 个步骤使用该队伍类型（手册编号 1, 2, 3, 4, 5, …）/).waitFor();
    await box.getByRole('button').last().click();
    assert.ok((await apiGet(page, '/team-types')).items.some((x) => x.code === 'medical'));
    // removed
    await row.getByTestId('tt-delete').click();
    await page.getByRole('dialog', { name: '删除队伍类型' }).getByText('删除队伍类型“心理疏导”（psych）？').waitFor();
    await page.getByRole('dialog', { name: '删除队伍类型' }).getByRole('button', { name: '删除' }).click();
    await page.getByText('已删除“心理疏导”').waitFor();
    await row.waitFor({ state: 'detached' });
    assert.equal((await apiGet(page, '/team-types')).items.some((x) => x.code === 'psych'), false);
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    await context.close();
  });

  test('the teams available recorded on a type are a new plan’s default; a bad count is said at its field', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/team-types');
    const table = page.getByTestId('tt-table');
    const med = table.locator('.el-table__body-wrapper tr', { hasText: 'medical' });
    assert.equal((await med.getByTestId('tt-available').innerText()).trim(), '10 支');
    const dlg = page.getByRole('dialog', { name: '修改队伍类型' });
    const edit = async (value) => {
      await med.getByTestId('tt-rename').click();
      await dlg.getByTestId('tt-available-input').fill(value);
      await dlg.getByTestId('tt-save').click();
    };
    const planTeams = async () => {
      await page.goto('/plans/new');
      // once the team types are read: before, the fields hold the form's own numbers (医疗 8),
      // and the cleared case below would pass whatever the page did
      await page.locator('[data-testid="plan-teams"]:not([data-types="0"])').waitFor();
      const v = await page.locator('input[aria-label="医疗"]').inputValue();
      await page.goto('/team-types');
      return v;
    };
    try {
      // the demo's 10, not the form's own 8
      assert.equal(await planTeams(), '10');
      // a bad count: said at the field, nothing sent
      await edit('-1');
      await dlg.locator('.el-form-item__error').getByText('请输入 0–10000 的整数，或留空').waitFor();
      assert.equal((await apiGet(page, '/team-types')).items.find((x) => x.code === 'medical').available, 10);
      await dlg.getByRole('button', { name: '取消' }).click();
      await edit('12');
      await page.getByText('已保存“医疗”').waitFor();
      await med.getByText('12 支').waitFor();
      assert.equal(await planTeams(), '12');
      // cleared: not recorded, the form's own number
      await edit('');
      await med.getByText('未登记').waitFor();
      assert.equal((await apiGet(page, '/team-types')).items.find((x) => x.code === 'medical').available, null);
      assert.equal(await planTeams(), '8');
    } finally {
      const t = (await apiGet(page, '/team-types')).items.find((x) => x.code === 'medical');
      if (t.available !== 10) await page.request.patch(`/api/v1/team-types/${t.id}`, { data: { available: 10, version: t.version } });
    }
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    await context.close();
  });

  test('a viewer reads the list without buttons', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'viewer', DEMO_PW, { land: false });
    await page.goto('/team-types');
    await page.getByTestId('tt-table').getByText('后勤保障').waitFor();
    assert.equal(await page.getByTestId('tt-add').count(), 0);
    assert.equal(await page.getByTestId('tt-rename').count(), 0);
    await context.close();
  });
});
