// The carbon page's energy use records: the year's records as the API holds them; a district
// officer records a use (its emissions said), a period overlapping it is refused at the
// period field in Chinese and writes nothing; the year's emissions include the new use; a
// township officer reads without the button. Years are relative to the records added here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function energyOf(page, year) {
  const all = [];
  for (let cursor; ; ) {
    const p = await apiGet(page, `/carbon/energy?limit=500${cursor ? '&cursor=' + cursor : ''}`);
    all.push(...p.items);
    if (!p.next_cursor) break;
    cursor = p.next_cursor;
  }
  return all.filter((r) => r.period.startsWith(String(year)));
}

test('energy use: the year\'s records, one recorded (emissions said), an overlapping period refused at its field; a township officer reads', { timeout: 120000 }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const year = 2024; // the demo's records
  const before2024 = await energyOf(page, year);
  assert.ok(before2024.length > 0, 'the demo records energy use in 2024');
  await page.goto('/development/carbon');
  const card = page.getByTestId('energy-records');
  await card.getByText(`${year} 年用能记录`).waitFor();
  await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr').nth(before2024.length - 1).waitFor();
  assert.equal(await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr').count(), before2024.length);

  // a farm sector's electricity of March 2024 (no organisation: a sector total)
  const exists = before2024.some((r) => r.sector === 'agriculture');
  assert.equal(exists, false, 'no agriculture use recorded yet');
  await card.getByTestId('energy-add').click();
  const dlg = page.getByRole('dialog', { name: '录入用能' });
  await choose(page, dlg.getByTestId('energy-sector'), '农业');
  await dlg.getByTestId('energy-period').fill('2024-03');
  await choose(page, dlg.getByTestId('energy-type'), '电力（kWh）');
  await dlg.getByTestId('energy-quantity').locator('input').fill('10000');
  await dlg.getByTestId('energy-source').fill('电力公司账单');
  await shot(page, '62-energy-record');
  await dlg.getByTestId('energy-save').click();
  await page.getByText(/^已录入：.+ 吨 CO₂e，.+ 吨标准煤$/).waitFor();
  const after2024 = await energyOf(page, year);
  const mine = after2024.find((r) => r.sector === 'agriculture' && r.period === '2024-03' && r.energy_type === 'electricity');
  assert.ok(mine, 'stored');
  assert.equal(mine.quantity, 10000);
  assert.equal(mine.source, '电力公司账单');
  assert.ok(mine.t_co2e > 0 && mine.tce > 0);
  await card.getByTestId('energy-table').locator('.el-table__body-wrapper tr', { hasText: '农业' }).filter({ hasText: '2024-03' }).waitFor();
  // the year's emissions include it (by sector: the agriculture sector appears)
  const em = await apiGet(page, `/carbon/emissions?year=${year}&by=sector`);
  assert.ok(em.groups.some((g) => (g.key ?? g.name) === 'agriculture'), JSON.stringify(em.groups));

  // the whole year overlaps March: refused at the period field, nothing written
  await card.getByTestId('energy-add').click();
  await choose(page, dlg.getByTestId('energy-sector'), '农业');
  await dlg.getByTestId('energy-period').fill('2024');
  await choose(page, dlg.getByTestId('energy-type'), '电力（kWh）');
  await dlg.getByTestId('energy-quantity').locator('input').fill('120000');
  await dlg.getByTestId('energy-save').click();
  await dlg.locator('.el-form-item', { hasText: '期间' }).locator('.el-form-item__error').getByText('与已登记的时段重叠', { exact: false }).waitFor();
  assert.equal((await energyOf(page, year)).length, after2024.length);
  await dlg.getByRole('button', { name: '取消' }).click();
  assert.deepEqual(page.problems, []);
  await context.close();

  const town = await openPage(browser);
  await login(town.page, 'jinhaihu', DEMO_PW);
  await town.page.goto('/development/carbon');
  await town.page.getByTestId('energy-records').getByText(`${year} 年用能记录`).waitFor();
  assert.equal(await town.page.getByTestId('energy-add').count(), 0);
  await town.context.close();
});
