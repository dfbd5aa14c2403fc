// Leaving a facility's edit form with changes not saved asks first (a back gesture or the
// cancel button lost what was typed without a word): 继续填写 keeps the form and what was typed,
// 放弃并离开 leaves and writes nothing; an untouched form, or one just saved, leaves at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('facility edit: leaving with a change not saved asks first; untouched or saved it leaves at once', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 768 });
  await login(page, 'wanda', DEMO_PW);
  const id = (await apiGet(page, '/auth/me')).facility_id;
  const before = await apiGet(page, `/facilities/${id}`);
  const ask = page.getByRole('dialog', { name: '放弃未保存的内容？' });
  const address = page.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: /^地址$/ }) }).locator('input');

  // the edit form is opened from the facility's page, in the console's own history
  const edit = async () => {
    await page.getByRole('link', { name: '编辑' }).click();
    await address.waitFor();
  };
  await page.goto(`/facilities/${id}`);
  // untouched: the cancel button leaves at once
  await edit();
  await page.getByRole('link', { name: '取消' }).click();
  await page.waitForURL(new RegExp(`/facilities/${id}$`));
  assert.equal(await ask.count(), 0);

  // typed, then back: asked; 继续填写 keeps the form and the text
  await edit();
  await address.fill('未保存的新地址（测试）');
  await page.goBack();
  await ask.waitFor();
  await ask.getByRole('button', { name: '继续填写' }).click();
  await ask.waitFor({ state: 'hidden' });
  assert.match(page.url(), new RegExp(`/facilities/${id}/edit$`));
  assert.equal(await address.inputValue(), '未保存的新地址（测试）');

  // the cancel button asks too; 放弃并离开 leaves and nothing is written
  await page.getByRole('link', { name: '取消' }).click();
  await ask.getByRole('button', { name: '放弃并离开' }).click();
  await page.waitForURL(new RegExp(`/facilities/${id}$`));
  assert.equal((await apiGet(page, `/facilities/${id}`)).version, before.version);

  // saved: leaves for the facility's page without a question
  await edit();
  await address.fill(before.address + '（已核对）');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(new RegExp(`/facilities/${id}$`));
  assert.equal(await ask.count(), 0);
  assert.equal((await apiGet(page, `/facilities/${id}`)).address, before.address + '（已核对）');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a new plan: leaving with the form changed asks first; as loaded it leaves at once', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 768 });
  await login(page, 'officer', DEMO_PW);
  const ask = page.getByRole('dialog', { name: '放弃未保存的内容？' });
  const name = page.getByTestId('plan-name');
  const open = async () => {
    await page.goto('/plans');
    await page.getByTestId('new-plan').click();
    await page.waitForURL(/\/plans\/new$/);
    await name.waitFor();
    await page.waitForLoadState('networkidle');
  };
  const facilities = () => page.locator('.el-menu').getByText('设施台账', { exact: true }).first().click();
  // as loaded (the district's teams filled in): leaves at once
  await open();
  await facilities();
  await page.waitForURL(/\/facilities$/);
  assert.equal(await ask.count(), 0);
  // its name typed, then the menu: asked; 继续填写 keeps the form and the name
  await open();
  await name.fill('东部两镇 平灾安置（未保存）');
  await facilities();
  await ask.waitFor();
  await ask.getByRole('button', { name: '继续填写' }).click();
  await ask.waitFor({ state: 'hidden' });
  assert.match(page.url(), /\/plans\/new$/);
  assert.equal(await name.inputValue(), '东部两镇 平灾安置（未保存）');
  // Back asks too; 放弃并离开 leaves, and no plan is made
  const plans = (await apiGet(page, '/plans?limit=500')).items.length;
  await page.goBack();
  await ask.getByRole('button', { name: '放弃并离开' }).click();
  await page.waitForURL(/\/plans$/);
  assert.equal((await apiGet(page, '/plans?limit=500')).items.length, plans);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('an appeal written in its dialog: Esc, × and 取消 ask before dropping it; nothing written closes at once', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 768 });
  await login(page, 'jd', DEMO_PW);
  const ask = page.getByRole('dialog', { name: '放弃未保存的内容？' });
  const dlg = page.getByRole('dialog', { name: '登记诉求' });
  const text = page.getByTestId('appeal-description');
  await page.goto('/enterprise/appeals');
  // nothing typed: Esc closes it
  await page.getByTestId('new-appeal').click();
  await text.waitFor();
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'hidden' });
  assert.equal(await ask.count(), 0);
  // written: Esc asks; 继续填写 keeps the dialog and the text
  await page.getByTestId('new-appeal').click();
  await text.fill('园区道路夜间照明不足，货车进出有安全隐患（未提交）');
  await page.keyboard.press('Escape');
  await ask.waitFor();
  await ask.getByRole('button', { name: '继续填写' }).click();
  await ask.waitFor({ state: 'hidden' });
  assert.equal(await text.inputValue(), '园区道路夜间照明不足，货车进出有安全隐患（未提交）');
  // 取消 asks too; then × asks, and 放弃并离开 drops it: opened again, the form is empty
  await page.getByTestId('appeal-cancel').click();
  await ask.getByRole('button', { name: '继续填写' }).click();
  await ask.waitFor({ state: 'hidden' });
  await dlg.locator('.el-dialog__headerbtn').click();
  await ask.getByRole('button', { name: '放弃并离开' }).click();
  await dlg.waitFor({ state: 'hidden' });
  await page.getByTestId('new-appeal').click();
  assert.equal(await text.inputValue(), '');
  await page.getByTestId('appeal-cancel').click();
  await dlg.waitFor({ state: 'hidden' });
  assert.deepEqual(page.problems, []);
  await context.close();
});
