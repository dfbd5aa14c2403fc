// The facility edit form says the peacetime unit by its name (间, not the code rooms), in
// Chinese and English, and a unit chosen from the list is saved by its code; the operator's
// hint names every field an operator may change (docs/api.md §3), peacetime capacity and unit
// among them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, choose, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('facility edit: the peacetime unit by its name; the operator hint includes peacetime capacity and unit', async () => {
  const { page } = await openPage(browser);
  await login(page, 'wanda', DEMO_PW, { land: false });
  const id = (await apiGet(page, '/auth/me')).facility_id;
  const f = await apiGet(page, `/facilities/${id}`);
  assert.equal(f.peacetime_unit, 'rooms');
  await page.goto(`/facilities/${id}/edit`);
  const unit = page.getByTestId('peacetime-unit');
  const shown = unit.locator('.el-select__selected-item:not(.el-select__placeholder)').first();
  await unit.getByText('间', { exact: true }).waitFor();
  assert.doesNotMatch(await shown.innerText(), /rooms/);
  const hint = page.getByText(/^设施运营方只能修改/);
  assert.match(await hint.innerText(), /平时容量及单位/);

  // (not 床: its 500 resettlement beds would be more than 320 beds, refused)
  await choose(page, unit, '座');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/edit'));
  const after = await apiGet(page, `/facilities/${id}`);
  assert.equal(after.peacetime_unit, 'seats');
  assert.equal(after.version, f.version + 1);

  // English: the unit's English name, the hint with peacetime capacity and unit
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto(`/facilities/${id}/edit`);
  await unit.getByText('seats', { exact: true }).waitFor();
  assert.match(await page.getByText(/^A facility operator may change/).innerText(), /peacetime capacity and unit/);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  // the facility as it was, for the files after this one
  const res = await page.request.patch(`/api/v1/facilities/${id}`, { data: { version: after.version, peacetime_unit: 'rooms' } });
  assert.equal(res.status(), 200, await res.text());
});
