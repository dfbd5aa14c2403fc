// A helper moved to a grid of another township loses every pair (the server ends them: their
// elders stay in the old township, and pairing is organised within one). The form saved with
// only 已保存 and the pairs were gone; it now says first how many pairs end (cancel keeps them
// all) and, saved, how many ended (the save's answer, pairs_ended: a pair ended in between is
// not counted). A move within the township asks nothing and keeps them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, choose, apiGet, apiSend, idNumber, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

async function pickGrid(page, town, village, grid) {
  await choose(page, page.getByTestId('filter-township'), town.name);
  await choose(page, page.getByTestId('filter-village'), village.name);
  await choose(page, page.getByTestId('filter-grid'), grid.name);
}

test('a helper moved to another township: how many pairs end is said first, cancel keeps them, saved says how many ended', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW, { land: false });
  const here = await apiGet(page, `/elders/${(await apiGet(page, '/elders?status=active&limit=1')).items[0].id}`);
  const district = (await apiGet(page, `/regions/${here.township_id}`)).parent_id;
  const children = async (id) => (await apiGet(page, `/regions?parent_id=${id}&limit=200`)).items;
  // a grid of the helper's township other than theirs, and a grid of another township (of a
  // village whose name is its township's only one: the demo has two 后坨社区 in one township)
  const gridsOf = async (town) => {
    const out = [];
    const vs = await children(town.id);
    for (const v of vs.filter((x) => vs.filter((y) => y.name === x.name).length === 1))
      for (const g of await children(v.id)) if (g.type === 'grid') out.push({ town, village: v, grid: g });
    return out;
  };
  const ownTown = await apiGet(page, `/regions/${here.township_id}`);
  const near = (await gridsOf(ownTown)).find((x) => x.grid.id !== here.grid_id);
  assert.ok(near, 'another grid of the same township');
  const otherTown = (await children(district)).find((x) => x.id !== here.township_id && x.type === 'township');
  const far = (await gridsOf(otherTown))[0];
  assert.ok(far, 'a grid of another township');

  // a helper of the grid paired with three elders
  const n = Date.now() % 100000;
  const helper = await apiSend(page, 'post', '/helpers', {
    name: `迁乡帮手${n}`, sex: 'F', birth_date: '1972-06-07', id_number: idNumber('19720607'), grid_id: here.grid_id, skills: ['companionship'], capacity: 3,
  });
  for (let i = 0; i < 3; i++) {
    const elder = await apiSend(page, 'post', '/elders', {
      name: `迁乡老人${n}${i}`, sex: 'M', birth_date: '1940-06-07', id_number: idNumber('19400607', 'M'), grid_id: here.grid_id, ability_level: 1,
    });
    await apiSend(page, 'post', '/pairs', { elder_id: elder.id, helper_id: helper.id });
  }
  assert.equal((await apiGet(page, `/helpers/${helper.id}`)).paired_elders, 3);

  // within the township: no question, the pairs kept
  await page.goto(`/helpers/${helper.id}/edit`);
  await page.getByTestId('f-capacity').waitFor();
  await pickGrid(page, near.town, near.village, near.grid);
  const kept = page.waitForResponse((r) => r.url().endsWith(`/api/v1/helpers/${helper.id}`) && r.request().method() === 'PATCH');
  await page.getByTestId('save-helper').click();
  assert.equal((await (await kept).json()).pairs_ended, 0, 'the answer: no pair ended');
  await page.getByText('已保存', { exact: true }).waitFor();
  await page.waitForURL(new RegExp(`/helpers/${helper.id}$`));
  let now = await apiGet(page, `/helpers/${helper.id}`);
  assert.equal(now.grid_id, near.grid.id);
  assert.equal(now.paired_elders, 3, 'a move within the township keeps the pairs');

  // to another township: asked first, naming how many pairs end; cancel keeps everything
  await page.goto(`/helpers/${helper.id}/edit`);
  await page.getByTestId('f-capacity').waitFor();
  await pickGrid(page, far.town, far.village, far.grid);
  await page.getByTestId('save-helper').click();
  const box = page.getByRole('dialog', { name: '迁往另一个乡镇' });
  await box.getByText(`${helper.name} 现与 3 位老人结对。迁往另一个乡镇后这些结对将结束（结对在乡镇内组织），老人可重新结对。`).waitFor();
  await box.getByRole('button', { name: '取消' }).click();
  await box.waitFor({ state: 'hidden' });
  now = await apiGet(page, `/helpers/${helper.id}`);
  assert.equal(now.grid_id, near.grid.id, 'cancelled: not moved');
  assert.equal(now.paired_elders, 3, 'cancelled: the pairs kept');
  // confirmed: moved, and the message says how many pairs ended — the number the save's answer
  // gives (pairs_ended), not the count the question was asked with: a pair ended while the
  // question is open makes it 2
  await page.getByTestId('save-helper').click();
  await box.getByText(`${helper.name} 现与 3 位老人结对。`, { exact: false }).waitFor();
  const gone = (await apiGet(page, `/pairs?helper_id=${helper.id}&state=active`)).items[0];
  await apiSend(page, 'post', `/pairs/${gone.id}/end`, { version: gone.version });
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/helpers/${helper.id}`) && r.request().method() === 'PATCH');
  await box.getByRole('button', { name: '保存并结束结对' }).click();
  const answer = await (await answered).json();
  assert.equal(answer.pairs_ended, 2, 'the answer counts the pairs the save ended');
  await page.getByText('已保存，已结束 2 个结对').waitFor();
  assert.equal(await page.getByText('已保存，已结束 3 个结对').count(), 0, 'not the stale count');
  await page.waitForURL(new RegExp(`/helpers/${helper.id}$`));
  now = await apiGet(page, `/helpers/${helper.id}`);
  assert.equal(now.grid_id, far.grid.id);
  assert.equal(now.township_id, otherTown.id);
  assert.equal(now.paired_elders, 0);
  await noProblems(page);
  await context.close();
});
