// A township officer's record forms offer what the server takes from it: the labs its projects
// link are of its township or the district's, an expert's lab, a milestone's project, an expert's
// or a transfer's farm, a tenancy's warehouse, a train line's park and a streamer's organisation
// of its township (the others are 403). The forms offered the whole district; a pick was refused on save.
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

/** every row of a list, page by page */
async function all(page, path) {
  const rows = [];
  for (let cur = ''; ; ) {
    const pg = await apiGet(page, `${path}${path.includes('?') ? '&' : '?'}limit=500${cur ? '&cursor=' + cur : ''}`);
    rows.push(...pg.items);
    if (!pg.next_cursor) return rows;
    cur = pg.next_cursor;
  }
}

/** The options a form's select offers once opened (a remote select opens nothing when it has none),
 *  then typed the name of one refused: not found. */
async function offers(page, dlg, key, what, rows, allowed) {
  const ok = new Set(rows.filter(allowed).map((r) => r.name));
  const refused = rows.find((r) => !allowed(r) && !ok.has(r.name));
  assert.ok(refused, `${what}: the demo has one of another township`);
  const field = dlg.getByTestId('f-' + key);
  const menu = page.locator('.el-select-dropdown:visible');
  if (ok.size > 0) {
    await field.locator('.el-select').click();
    await menu.locator('.el-select-dropdown__item').first().waitFor();
    const names = (await menu.locator('.el-select-dropdown__item').allInnerTexts()).map((x) => x.trim());
    for (const n of names) assert.ok(ok.has(n), `${what}: ${n} is offered, but the server refuses it`);
    // the select shows the first 50 matches: the allowed ones, as many as fit
    assert.equal(names.length, Math.min(ok.size, 50), `${what}: ${names.length} offered of ${ok.size} allowed`);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
  }
  await field.locator('.el-select').click();
  await field.locator('input').fill(refused.name);
  await menu.getByText(/无匹配数据|无数据/).waitFor();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
}

test("a township officer's record forms offer only what its writes may name", { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'jinhaihu', DEMO_PW, { land: false });
  const me = await apiGet(page, '/auth/me');
  const town = me.user?.township_id ?? me.township_id;
  assert.ok(town, 'the officer has a township');
  const own = (r) => r.township_id === town;
  const ownOrNone = (r) => r.township_id === town || r.township_id == null;

  await page.goto('/agri');
  const open = async (tab, kind) => {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await page.getByTestId('agri-add-' + kind).click();
    return page.getByTestId('agri-form-' + kind);
  };
  const labs = await all(page, '/agri/labs');
  const farms = await all(page, '/agri/farms');
  // the demo's labs are all of one other township: none is offered, typed or not
  let dlg = await open('国农港项目', 'projects');
  await offers(page, dlg, 'lab_id', 'project lab', labs, ownOrNone);
  await dlg.getByRole('button', { name: '取消' }).click();
  dlg = await open('专家', 'experts');
  await offers(page, dlg, 'farm_id', 'expert farm', farms, own);
  await offers(page, dlg, 'lab_id', 'expert lab', labs, own); // without a farm a district lab is refused
  await dlg.getByRole('button', { name: '取消' }).click();
  dlg = await open('成果转化', 'transfers');
  await offers(page, dlg, 'farm_id', 'transfer farm', farms, own);
  await dlg.getByRole('button', { name: '取消' }).click();
  dlg = await open('项目里程碑', 'milestones');
  await offers(page, dlg, 'project_id', 'milestone project', await all(page, '/agri/projects'), own);
  await dlg.getByRole('button', { name: '取消' }).click();

  // a tenancy is its warehouse's township's, a freight train line its park's
  await page.goto('/logistics');
  const openLog = async (tab, kind) => {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await page.getByTestId('log-add-' + kind).click();
    return page.getByTestId('log-form-' + kind);
  };
  dlg = await openLog('入驻企业', 'tenants');
  await offers(page, dlg, 'warehouse_id', 'tenancy warehouse', await all(page, '/logistics/warehouses'), own);
  await dlg.getByRole('button', { name: '取消' }).click();
  dlg = await openLog('货运班列', 'trains');
  await offers(page, dlg, 'park_id', 'train park', await all(page, '/logistics/parks'), own);
  await dlg.getByRole('button', { name: '取消' }).click();

  // a streamer's organisation sees their personal data: one of the officer's township
  await page.goto('/academy');
  await page.getByRole('tab', { name: '主播', exact: true }).click();
  await page.getByTestId('streamer-add').click();
  dlg = page.getByTestId('streamer-form');
  const orgs = await all(page, '/organisations');
  assert.ok(orgs.some(own), "organisations of the officer's township");
  await offers(page, dlg, 'organisation_id', 'streamer organisation', orgs, own);
  assert.deepEqual(page.problems, []);
  await context.close();
});
