// Adding an emergency contact to an elder who has one: the form loads the contacts masked
// (135****8670) and the API replaces the whole list, so saving said 修改联系人时请重新输入完整电话
// — numbers the console never showed. The form now offers 显示完整号码 (an audited reveal=1 read):
// the contacts as loaded get their full numbers, and the new one is added without retyping them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('elder form: 显示完整号码, then a contact added keeps the others\' numbers', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'grid01', DEMO_PW, { land: false });
  // an active elder of grid01 with one or two contacts (from the end of the page)
  const items = (await apiGet(page, '/elders?status=active&view=full&limit=100')).items.reverse();
  const elder = items.find((e) => e.emergency_contacts.length >= 1 && e.emergency_contacts.length <= 3);
  assert.ok(elder, 'an elder with emergency contacts');
  assert.ok(elder.emergency_contacts[0].phone.includes('*'), 'masked as read');
  const full = (await apiGet(page, `/elders/${elder.id}?reveal=1`)).emergency_contacts;
  const n = full.length;

  await page.goto(`/elders/${elder.id}/edit`);
  await page.getByTestId('contact-phone-0').waitFor();
  assert.equal(await page.getByTestId('contact-phone-0').inputValue(), elder.emergency_contacts[0].phone);
  await page.getByTestId('contacts-masked').getByText('联系人电话显示为脱敏号码').waitFor();
  const revealed = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/elders/${elder.id}` && new URL(r.url()).searchParams.get('reveal') === '1');
  await page.getByTestId('reveal-contacts').click();
  assert.equal((await revealed).status(), 200);
  for (let i = 0; i < n; i++) {
    await page.waitForFunction(
      ([i, want]) => document.querySelector(`[data-testid="contact-phone-${i}"]`)?.value === want,
      [i, full[i].phone],
    );
  }
  assert.equal(await page.getByTestId('contacts-masked').count(), 0, 'nothing masked left');

  // a new contact, the others untouched
  await page.getByRole('button', { name: '添加联系人' }).click();
  const row = page.locator('.pj-contact').nth(n);
  await row.getByPlaceholder('联系人').fill('新联系人');
  // the relation picked among the family ties (子女 is `child`)
  await page.getByTestId(`contact-relation-${n}`).click();
  await page.getByRole('listbox', { name: `联系人 ${n + 1} 关系` }).getByRole('option', { name: '子女', exact: true }).click();
  await page.getByTestId(`contact-phone-${n}`).fill('13900001234');
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/elders/${elder.id}` && r.request().method() === 'PATCH');
  await page.getByTestId('save-elder').click();
  assert.equal((await saved).status(), 200);
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  assert.equal(await page.getByText('请重新输入完整电话').count(), 0);
  const now = (await apiGet(page, `/elders/${elder.id}?reveal=1`)).emergency_contacts;
  assert.deepEqual(now.slice(0, n), full, 'the contacts there before keep their numbers');
  assert.deepEqual(now[n], { name: '新联系人', relation: 'child', phone: '13900001234' });

  // the elder's page: masked, and 显示完整号码 there too
  await page.getByTestId('reveal-numbers').click();
  await page.getByTestId('numbers-revealed').waitFor();
  await page.getByText(full[0].phone, { exact: true }).first().waitFor();
  // a number shown whole is a link to call it (copied by hand before); a masked one is text
  const tel = page.getByRole('link', { name: full[0].phone, exact: true }).first();
  assert.equal(await tel.getAttribute('href'), `tel:${full[0].phone.replace(/[^\d+]/g, '')}`);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('elder form on a phone: a contact\'s name and number wide enough to read what is typed', { timeout: budget(90000) }, async () => {
  for (const width of [360, 390]) {
    const { context, page } = await openPage(browser, { width, height: 740 }, { hasTouch: true, isMobile: true });
    await login(page, 'grid01', DEMO_PW, { land: false });
    await page.goto('/elders/new');
    await page.getByRole('button', { name: '添加联系人' }).click();
    const name = page.getByTestId('contact-name-0');
    const phone = page.getByTestId('contact-phone-0');
    await name.fill('欧阳明亮');
    await phone.fill('13112341821');
    // in one row with the relation and the delete button they were 21-36 px wide
    for (const [box, what] of [[await name.boundingBox(), 'name'], [await phone.boundingBox(), 'phone']]) {
      assert.ok(box.width >= 120, `${what} at ${width}: ${box.width} px`);
      assert.ok(box.x + box.width <= width, `${what} at ${width} within the screen`);
    }
    assert.equal(await phone.getAttribute('type'), 'tel', 'the phone keypad');
    assert.equal(await name.getAttribute('aria-label'), '联系人 1 姓名');
    const del = await page.getByRole('button', { name: '删除联系人' }).boundingBox();
    assert.ok(del.height >= 44 && del.width >= 44, `delete ${del.width}×${del.height}`);
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    await context.close();
  }
});
