// An elder's death or move recorded days later: the elder form asks for the day it happened
// when the status leaves active (a date picker, today by default, no future day), and the
// server ends the pair on that day and keeps it as the elder's left_on. The change was dated
// the day it was recorded, whatever day the elder died.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiPost, choose, idNumber, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const bjDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

test('an elder marked deceased three days late: the form asks the date of death, the pair ends on it', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const today = bjDay(Date.now());
  const died = bjDay(Date.now() - 3 * 86400e3);
  // a paired elder of the demo, registered before that day
  const list = (await apiGet(page, '/elders?status=active&limit=200')).items;
  let elder = null;
  for (const x of list) {
    const e = await apiGet(page, `/elders/${x.id}`);
    if (e.paired_helper && bjDay(Date.parse(e.created_at)) < died && e.paired_helper.since <= died) {
      elder = e;
      break;
    }
  }
  assert.ok(elder, 'a paired elder registered more than three days ago');
  await page.goto(`/elders/${elder.id}/edit`);
  await page.getByTestId('f-status').waitFor();
  assert.equal(await page.getByTestId('f-left-on').count(), 0, 'no date while the status is active');
  await choose(page, page.getByTestId('f-status'), '已故');
  const item = page.getByTestId('f-left-on');
  await item.getByText('去世日期').waitFor();
  const input = item.locator('input').first();
  assert.equal(await input.inputValue(), today, 'today by default');
  await item.getByText(`不能早于登记日期（${bjDay(Date.parse(elder.created_at))}）`).waitFor();
  await input.fill(died);
  await input.press('Enter');
  await page.keyboard.press('Escape');
  assert.equal(await input.inputValue(), died);
  await page.getByTestId('save-elder').click();
  const box = page.getByRole('dialog', { name: '结束结对' });
  await box.getByRole('button', { name: '保存并结束结对' }).click();
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  await page.getByTestId('elder-left-on').getByText(`去世日期 ${died}`).waitFor();
  const now = await apiGet(page, `/elders/${elder.id}`);
  assert.equal(now.status, 'deceased');
  assert.equal(now.left_on, died);
  const ended = (await apiGet(page, `/pairs?elder_id=${elder.id}`)).items.find((p) => p.id === elder.paired_helper.pair_id);
  assert.equal(ended.state, 'ended');
  assert.equal(ended.end_date, died, 'the pair ends on the day of death');
  await noProblems(page);
  await context.close();
});

test('an elder who also helps marked deceased: the message names the helper record stopped', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
  const grid = (await apiGet(page, '/regions?type=grid&limit=1')).items[0];
  const idn = idNumber('19620507', 'M');
  const person = { name: '张互助', sex: 'M', birth_date: '1962-05-07', id_number: idn, grid_id: grid.id };
  const elder = await apiPost(page, '/elders', { ...person, ability_level: 0 }, 201);
  const helper = await apiPost(page, '/helpers', { ...person, skills: ['companionship'], capacity: 1 }, 201);
  await page.goto(`/elders/${elder.id}/edit`);
  await page.getByTestId('f-status').waitFor();
  await choose(page, page.getByTestId('f-status'), '已故');
  await page.getByTestId('save-elder').click();
  await page.locator('.el-message').getByText(`此人的互助员记录也已停用：#${helper.id}`).waitFor();
  await page.waitForURL(new RegExp(`/elders/${elder.id}$`));
  assert.equal((await apiGet(page, `/helpers/${helper.id}`)).active, false);
  await noProblems(page);
  await context.close();
});
