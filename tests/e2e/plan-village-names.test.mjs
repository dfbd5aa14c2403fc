// A plan's villages are named with their township: the demo has four 王店村 in four townships,
// and a plan over them listed "王店村 → site" four times alike, in its assignments and in the
// cockpit's villages of a site. A village sharing its name with another of its township carries
// its code too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, solvedPlan, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a plan names its villages with their township, namesakes apart', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  const towns = new Map((await apiGet(page, '/regions?type=township&limit=100')).items.map((x) => [x.id, x.name]));
  const villages = (await apiGet(page, '/regions?type=village&q=' + encodeURIComponent('王店村') + '&limit=100')).items.filter((v) => v.name === '王店村');
  assert.ok(villages.length >= 2, `the demo's 王店村 (${villages.length})`);
  const plan = await solvedPlan(page, '同名村 方案测试', [...new Set(villages.map((v) => v.parent_id))]);
  const rows = plan.result.assignments.filter((a) => a.village_name === '王店村');
  assert.ok(new Set(rows.map((a) => a.village_id)).size >= 2, 'two 王店村 placed');
  await page.goto(`/plans/${plan.id}`);
  const cells = page.locator('.el-card', { has: page.getByRole('heading', { name: '人员分配' }) }).locator('tbody tr td:first-child');
  await cells.getByTestId('village-town').first().getByText(/（.+）/).waitFor(); // the townships come with the villages' reference data
  const shown = await cells.allInnerTexts();
  for (const v of new Set(rows.map((a) => a.village_id))) {
    const town = towns.get(villages.find((x) => x.id === v).parent_id);
    assert.ok(shown.some((x) => x.trim() === `王店村（${town}）`), `王店村（${town}） among ${shown.filter((x) => x.startsWith('王店村')).join(', ')}`);
  }
  assert.ok(shown.every((x) => /（.+）$/.test(x.trim())), 'every village with its township');

  // the cockpit of a site's conversion names its villages so too: the plan adopted
  const adopted = await page.request.post(`/api/v1/plans/${plan.id}/adopt`, { data: { confirm: true } });
  assert.equal(adopted.status(), 200, await adopted.text());
  const convs = (await adopted.json()).conversions;
  try {
    const site = rows[0].facility_id;
    const c = convs.find((x) => x.facility_id === site);
    await page.goto(`/conversions/${c.conversion_id}`);
    const cell = page.getByTestId('plan-site-villages').locator('tr', { has: page.getByTestId(`plan-site-village-${rows[0].village_id}`) });
    await cell.getByTestId('village-town').getByText(`（${towns.get(villages.find((x) => x.id === rows[0].village_id).parent_id)}）`).waitFor();
    assert.deepEqual(page.problems, [], 'console errors');
  } finally {
    for (const c of convs) await page.request.post(`/api/v1/conversions/${c.conversion_id}/abort`, { data: { reason: '测试结束', confirm: true } });
    await page.request.post(`/api/v1/plans/${plan.id}/close`, { data: { reason: '测试结束' } });
  }
  await context.close();
});

test('namesakes of one township carry their codes', async () => {
  const { villagePlaces } = await import('../../web/src/utils/regions.js');
  const villages = [
    { id: 1, parent_id: 10, code: '110117001001' },
    { id: 2, parent_id: 10, code: '110117001002' },
    { id: 3, parent_id: 11, code: '110117002001' },
  ];
  const towns = [{ id: 10, name: '甲镇' }, { id: 11, name: '乙镇' }];
  const rows = [{ village_id: 1, village_name: '后坨社区' }, { village_id: 2, village_name: '后坨社区' }, { village_id: 3, village_name: '后坨社区' }, { village_id: 1, village_name: '后坨社区' }];
  const m = villagePlaces(rows, villages, towns, (x) => `（${x}）`);
  assert.equal(m.get(1), '（甲镇 · 110117001001）');
  assert.equal(m.get(2), '（甲镇 · 110117001002）');
  assert.equal(m.get(3), '（乙镇）');
});
