// A grid worker records an elder as deceased whose ID number a helper of another township still
// has: the departure leaves that helper active (not the worker's to stop), and the district
// office reads a 同身份证号已迁出/去世 alert in its list — the helper's masked name linking to the
// helper's page, the detail in Chinese and in English, its badge whole (it was cut in its 120 px
// column) — while the recording worker's list shows nothing of it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, choose, idNumber, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const bjDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const english = async (context) => context.addInitScript(() => localStorage.getItem('pj_locale') || localStorage.setItem('pj_locale', 'en'));
/** The kind's badge of a row shows its whole label (it was cut in its 120 px column). */
async function badgeWhole(row) {
  const r = await row.locator('td').first().locator('.el-tag').evaluate((tag) => {
    const inner = tag.querySelector('.el-tag__content') || tag;
    const c = tag.closest('td').getBoundingClientRect(), b = tag.getBoundingClientRect();
    const cut = b.right > c.right + 1 || tag.scrollWidth > tag.clientWidth + 1 || inner.scrollWidth > inner.clientWidth + 1;
    return { cut, td: [c.left, c.right], tag: [b.left, b.right, tag.scrollWidth, tag.clientWidth], inner: [inner.scrollWidth, inner.clientWidth] };
  });
  assert.equal(r.cut, false, `the kind badge is cut: ${JSON.stringify(r)}`);
}

test('a departure alerts the district office of the helper of its number elsewhere, not the recording worker', { timeout: budget(120000) }, async () => {
  const grid = await openPage(browser);
  await login(grid.page, 'grid01', DEMO_PW);
  const off = await openPage(browser);
  await login(off.page, 'officer', DEMO_PW);
  const mine = new Set((await apiGet(grid.page, '/auth/me')).grid_ids);
  // a grid of the district that is none of grid01's: a demo helper's
  const far = (await apiGet(off.page, '/helpers?limit=200')).items.find((h) => !mine.has(h.grid_id));
  assert.ok(far, 'a helper outside grid01\'s grids');
  const idn = idNumber('19580709');
  const person = { name: '钱秀兰', sex: 'F', birth_date: '1958-07-09', id_number: idn };
  const helper = await apiSend(off.page, 'post', '/helpers', { ...person, grid_id: far.grid_id, skills: ['companionship'], capacity: 2 });
  const elder = await apiSend(grid.page, 'post', '/elders', { ...person, grid_id: [...mine][0], ability_level: 1 });
  const done = await apiSend(grid.page, 'patch', `/elders/${elder.id}`, { version: elder.version, status: 'deceased' });
  assert.deepEqual(done.helpers_stopped, []);
  assert.equal((await apiGet(off.page, `/helpers/${helper.id}`)).active, true);
  const alert = (await apiGet(off.page, '/elder-alerts?kind=helper_id_departed&limit=500')).items.find((a) => a.helper_id === helper.id);
  assert.ok(alert, 'the district office reads the alert');
  assert.equal(alert.helper_name, '钱*');
  const today = bjDay(Date.now());

  // the district office's list: the kind, the detail in Chinese, the masked name linking to the helper
  const page = off.page;
  await page.goto('/elder-alerts');
  await choose(page, page.getByTestId('alert-kind'), '同身份证号已迁出/去世');
  const row = page.getByTestId('alert-table').locator('.pj-arow', { has: page.locator(`a[href="/helpers/${helper.id}"]`) });
  await row.waitFor();
  await row.getByText('同身份证号已迁出/去世').waitFor();
  await badgeWhole(row);
  assert.equal((await row.getByTestId('alert-detail').innerText()).trim(), `同一身份证号的老人已于 ${today} 登记去世`);
  const link = row.getByRole('link', { name: '钱*' });
  await link.click();
  await page.waitForURL(`**/helpers/${helper.id}`);
  await page.getByRole('heading', { name: '钱秀兰' }).waitFor();
  await noProblems(page);

  // the recording worker: nothing of it under any state
  await grid.page.goto('/elder-alerts');
  await choose(grid.page, grid.page.getByTestId('alert-kind'), '同身份证号已迁出/去世');
  await grid.page.getByTestId('alert-state').getByText('全部').click();
  await grid.page.getByTestId('alert-table').getByText('暂无数据').first().waitFor();
  assert.equal(await grid.page.locator(`a[href="/helpers/${helper.id}"]`).count(), 0);
  await noProblems(grid.page);

  // in English
  const en = await openPage(browser);
  await english(en.context);
  await login(en.page, 'officer', DEMO_PW);
  await en.page.goto('/elder-alerts');
  const enRow = en.page.getByTestId('alert-table').locator('.pj-arow', { has: en.page.locator(`a[href="/helpers/${helper.id}"]`) });
  await enRow.waitFor();
  await enRow.getByText('Same ID number moved or deceased').waitFor();
  await badgeWhole(enRow);
  assert.equal((await enRow.getByTestId('alert-detail').innerText()).trim(), `An elder with the same ID number was recorded as deceased on ${today}`);
  await noProblems(en.page);
  for (const x of [grid, off, en]) await x.context.close();
});
