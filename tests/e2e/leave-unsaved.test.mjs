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
