// An emergency contact's relation was free text in the elder form but a family tie on the
// elder's page: the demo's `child` read 子女 on the page and "child" in the form. The form picks
// it among the family ties the credit transfer names (配偶, 父母, 子女, 祖父母, 孙辈); a relation
// typed as free text before stays shown as written, and can be kept or changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiPost, idNumber, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const shown = async (select) => (await select.locator('.el-select__selected-item:not(.is-hidden)').first().textContent()).trim();

test("the elder form's contact relation is a family tie, a free-text one kept visible", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const elder = await apiPost(page, '/elders', {
    name: '联系人测试老人', sex: 'F', birth_date: '1943-07-08', id_number: idNumber('19430708'), grid_id: grid, ability_level: 1,
    emergency_contacts: [{ name: '王建国', relation: 'child', phone: '13800001111' }, { name: '李大姐', relation: '邻居', phone: '13800002222' }],
  }, 201);
  await page.goto(`/elders/${elder.id}/edit`);
  const contacts = page.locator('.pj-contact');
  await contacts.nth(1).waitFor();
  // the relation is picked from a list (it was a text box showing "child")
  assert.equal(await contacts.nth(0).locator('.el-select').count(), 1, 'the relation is a select');
  const first = page.getByTestId('contact-relation-0');
  const second = page.getByTestId('contact-relation-1');
  assert.equal(await shown(first), '子女');
  assert.equal(await shown(second), '邻居', 'the free text stays visible');
  // the ties offered: the credit transfer's five (and, for the second, its own text)
  await first.click();
  const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
  await options.first().waitFor();
  assert.deepEqual((await options.allInnerTexts()).map((s) => s.trim()), ['配偶', '父母', '子女', '祖父母', '孙辈']);
  await page.keyboard.press('Escape');
  // the contacts go back as a whole list: their numbers in full first (显示完整号码)
  await page.getByTestId('reveal-contacts').click();
  await page.getByTestId('contacts-masked').waitFor({ state: 'detached' });
  await second.click();
  await page.getByRole('listbox', { name: '联系人 2 关系' }).getByRole('option', { name: '配偶', exact: true }).click();
  await page.locator('.pj-contact').first().scrollIntoViewIfNeeded();
  await shot(page, 'elder-contact-relation');
  await page.getByTestId('save-elder').click();
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  const now = await apiGet(page, `/elders/${elder.id}`);
  assert.deepEqual(now.emergency_contacts.map((c) => c.relation), ['child', 'spouse']);
  // the page fetches the elder after the URL changes: its contact rows come when the answer does
  const rowLocator = page.locator('.el-card', { hasText: '紧急联系人' }).locator('tbody tr');
  await rowLocator.nth(1).waitFor();
  const rows = await rowLocator.allInnerTexts();
  assert.ok(rows[0].includes('子女') && rows[1].includes('配偶'), rows.join(' / '));

  // in English the form says the same ties
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto(`/elders/${elder.id}/edit`);
  await page.getByTestId('contact-relation-1').waitFor();
  assert.equal(await shown(page.getByTestId('contact-relation-0')), 'Child');
  assert.equal(await shown(page.getByTestId('contact-relation-1')), 'Spouse');
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
