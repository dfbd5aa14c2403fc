// The carbon review as real users: jd (an enterprise) sees on the carbon page only its own
// organisation's energy use and emissions and no factor buttons; a district officer adds a
// back-dated factor version — warned first how many recorded uses and which periods it
// recomputes, nothing written on cancel — corrects it and removes it from the factor table,
// the records' emissions following; the viewer has no buttons; the source tags read 公开资料 /
// 模拟数据 on the carbon page and the dashboard, and the intensity's source rows name their
// indicator, period and value.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function all(page, path) {
  const items = [];
  for (let cursor; ; ) {
    const p = await apiGet(page, `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? '&cursor=' + cursor : ''}`);
    items.push(...p.items);
    if (!p.next_cursor) break;
    cursor = p.next_cursor;
  }
  return items;
}

test('jd sees only its own energy use and emissions, and no factor buttons; the viewer no buttons', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'jd', DEMO_PW);
  const me = await apiGet(page, '/auth/me');
  const mine = (await all(page, '/carbon/energy')).filter((r) => r.period.startsWith('2024'));
  assert.ok(mine.length > 0);
  assert.ok(
    mine.every((r) => r.organisation_id === me.organisation_id),
    'the API gives jd its own records only',
  );
  await page.goto('/development/carbon');
  const table = page.getByTestId('energy-table');
  await table.locator('.el-table__body-wrapper tr').nth(mine.length - 1).waitFor();
  assert.equal(await table.locator('.el-table__body-wrapper tr').count(), mine.length);
  const org = mine[0].organisation;
  for (const row of await table.locator('.el-table__body-wrapper tr').all()) assert.ok((await row.innerText()).includes(org));
  await page.getByTestId('emissions-scope').getByText('仅含本单位的用能记录').waitFor();
  // the factor table: its rows, the sources translated, no buttons
  const factors = await all(page, '/carbon/factors');
  await page.getByTestId('factor-table').locator('tbody tr').nth(factors.length - 1).waitFor();
  await page.getByTestId('factor-table').getByText('模拟数据').first().waitFor();
  assert.equal(await page.getByTestId('factor-table').getByText('synthetic', { exact: true }).count(), 0);
  assert.equal(await page.locator('[data-testid="factor-add"], [data-testid^="factor-edit-"], [data-testid^="factor-delete-"]').count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();

  const v = await openPage(browser);
  await login(v.page, 'viewer', DEMO_PW);
  await v.page.goto('/development/carbon');
  await v.page.getByTestId('factor-table').locator('tbody tr').first().waitFor();
  assert.equal(await v.page.locator('[data-testid="factor-add"], [data-testid^="factor-edit-"], [data-testid^="factor-delete-"]').count(), 0);
  await v.context.close();
});

test('a factor version added back-dated (warned, cancel writes nothing), corrected and removed; the emissions follow', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const writes = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/carbon/factors') && r.method() !== 'GET') writes.push(`${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
  });
  await page.goto('/development/carbon');
  const factors0 = await all(page, '/carbon/factors');
  const ft = page.getByTestId('factor-table');
  await ft.locator('tbody tr').nth(factors0.length - 1).waitFor();
  const oct = (await all(page, '/carbon/energy')).filter((r) => r.energy_type === 'electricity' && r.period >= '2024-10' && r.period <= '2024-12');
  assert.ok(oct.length > 0, 'the demo records electricity in 2024 Q4');
  const em0 = await apiGet(page, '/carbon/emissions?year=2024&by=energy_type');

  // electricity 0.40 from 2024-10-01: periods already recorded change
  await page.getByTestId('factor-add').click();
  const dlg = page.getByRole('dialog', { name: '新增因子版本' });
  await choose(page, dlg.getByTestId('factor-type'), '电力（kWh）');
  assert.equal(await dlg.getByTestId('factor-unit').inputValue(), 'kWh');
  await dlg.getByTestId('factor-co2').locator('input').fill('0.40');
  await dlg.getByTestId('factor-ce').locator('input').fill('0.1229');
  await dlg.getByTestId('factor-from').fill('2024-10-01');
  await dlg.getByTestId('factor-save').click();
  const warn = page.getByRole('dialog', { name: '将重算已录入的排放' });
  await warn.getByText(`重算 ${oct.length} 条已录入用能记录的排放`, { exact: false }).waitFor();
  await warn.getByText('2024-10、2024-11、2024-12', { exact: false }).waitFor();
  await shot(page, '66-factor-recompute-warning');
  await warn.getByRole('button', { name: '取消' }).click();
  assert.equal((await all(page, '/carbon/factors')).length, factors0.length, 'cancelled: nothing written');
  await dlg.getByTestId('factor-save').click();
  await warn.getByRole('button', { name: '仍然保存' }).click();
  await page.getByText(`（重算 ${oct.length} 条用能记录）`, { exact: false }).waitFor();
  const added = (await all(page, '/carbon/factors')).find((f) => f.energy_type === 'electricity' && f.effective_from === '2024-10-01');
  assert.ok(added && added.kg_co2e_per_unit === 0.4, JSON.stringify(added));
  await ft.locator('tbody tr', { hasText: '2024-10-01' }).waitFor();
  const em1 = await apiGet(page, '/carbon/emissions?year=2024&by=energy_type');
  assert.ok(em1.total_t_co2e < em0.total_t_co2e);
  const rec = await apiGet(page, `/carbon/energy/${oct[0].id}`);
  assert.ok(Math.abs(rec.t_co2e - (rec.quantity * 0.4) / 1000) < 1e-6);

  // corrected to 0.50: its version sent, warned again
  await page.getByTestId('factor-edit-' + added.id).click();
  const edit = page.getByRole('dialog', { name: '修正因子版本' });
  assert.equal(await edit.getByTestId('factor-from').inputValue(), '2024-10-01');
  await edit.getByTestId('factor-co2').locator('input').fill('0.50');
  await edit.getByTestId('factor-save').click();
  await warn.getByRole('button', { name: '仍然保存' }).click();
  await page.getByText('已保存', { exact: false }).last().waitFor();
  const fixed = (await all(page, '/carbon/factors')).find((f) => f.id === added.id);
  assert.equal(fixed.kg_co2e_per_unit, 0.5);
  assert.equal(fixed.version, 2);

  // removed, after the confirmation that says what it recomputes
  await page.getByTestId('factor-delete-' + added.id).click();
  const box = page.getByRole('dialog', { name: '删除因子版本' });
  await box.getByText(`重算 ${oct.length} 条已录入用能记录的排放`, { exact: false }).waitFor();
  await box.getByRole('button', { name: '删除' }).click();
  await page.getByText(/^已删除 电力 2024-10-01$/).waitFor();
  await ft.locator('tbody tr', { hasText: '2024-10-01' }).waitFor({ state: 'detached' });
  const em2 = await apiGet(page, '/carbon/emissions?year=2024&by=energy_type');
  assert.ok(Math.abs(em2.total_t_co2e - em0.total_t_co2e) < 1e-6);

  // the first electricity version cannot go: the records before the next one need it
  const first = factors0.filter((f) => f.energy_type === 'electricity').sort((a, b) => a.effective_from.localeCompare(b.effective_from))[0];
  await page.getByTestId('factor-delete-' + first.id).click();
  await page.getByText('仍有用能记录需要此版本', { exact: false }).waitFor();
  assert.equal((await all(page, '/carbon/factors')).length, factors0.length);
  assert.deepEqual(writes, [
    'POST /api/v1/carbon/factors',
    'POST /api/v1/carbon/factors',
    'POST /api/v1/carbon/factors',
    `PATCH /api/v1/carbon/factors/${added.id}`,
    `PATCH /api/v1/carbon/factors/${added.id}`,
    `DELETE /api/v1/carbon/factors/${added.id}?version=2&dry_run=1`,
    `DELETE /api/v1/carbon/factors/${added.id}?version=2`,
    `DELETE /api/v1/carbon/factors/${first.id}?version=${first.version}&dry_run=1`,
  ]);
  await context.close();
});

test('the dashboard: the intensity traced to its value rows; source tags translated', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'viewer', DEMO_PW, { land: false });
  await page.goto('/development/dashboard');
  const dash = await apiGet(page, '/dashboard');
  const g = dash.figures.find((f) => f.key === 'energy_intensity_decline').figure;
  assert.ok(g.sources.length >= 2 && g.sources.every((s) => typeof s === 'object' && s.code && s.period), JSON.stringify(g.sources));
  await page.getByTestId('fig-energy_intensity_decline').click();
  const src = page.getByTestId('fig-sources');
  await src.locator('tbody tr').nth(g.sources.length - 1).waitFor();
  for (const s of g.sources) {
    const row = src.locator('tr').filter({ has: page.getByText(String(s.value_id), { exact: true }) });
    await row.getByText(String(s.period), { exact: true }).waitFor();
  }
  const tags = await src.locator('.el-tag').allInnerTexts();
  assert.ok(tags.length > 0 && tags.every((x) => x === '公开资料' || x === '模拟数据' || x === '人工录入' || !['seed', 'synthetic', 'manual'].includes(x)), JSON.stringify(tags));
  await shot(page, '67-dashboard-intensity-sources');
  assert.deepEqual(page.problems, []);
  await context.close();
});
