// 老人详情 / 互助员详情 / 结对管理: an officer ends one pair in the console (a helper who stops
// visiting this elder but keeps the others) with a date and a note, and every pair table says
// why a pair ended — the note typed, or the server's own notes (老人已故, 互助员已停用, …) in
// the console's language. Before, ending a pair and its reason were only in the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, villageRun, apiGet, DEMO_PW, budget } from './lib.mjs';
import { endedNoteText } from '../../web/src/utils/eldercare.js';

const LAPTOP = { width: 1366, height: 768 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the server notes read in the console language, a typed note as written', () => {
  const t = (k) => `<${k}>`;
  assert.equal(endedNoteText(t, 'helper inactive'), '<eldercare.endedNotes.helper inactive>');
  assert.equal(endedNoteText(t, 'deceased'), '<eldercare.endedNotes.deceased>');
  assert.equal(endedNoteText(t, '老人要求更换'), '老人要求更换');
  assert.equal(endedNoteText(t, null), '');
});

test('an officer ends a pair on the elder page; the note shows on every pair table', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'jinhaihu', DEMO_PW);
  const { run, p } = await villageRun(page);
  const res = await page.request.post(`/api/v1/pairing-runs/${run.id}/accept`, { data: { proposal_ids: [p.id] } });
  assert.ok(res.ok(), await res.text());
  const pair = (await apiGet(page, `/pairs?elder_id=${p.elder_id}&state=active`)).items[0];
  assert.ok(pair, 'the accepted pair is active');

  await page.goto(`/elders/${p.elder_id}`);
  const table = page.getByTestId('elder-pairs');
  await table.getByTestId('pair-end').first().click();
  const dlg = page.getByTestId('pair-end-dialog');
  await dlg.getByText(`结束与${p.helper_name}的结对？`).waitFor();
  // the end date's picker, today (Beijing): it was not registered on the page, and no date showed
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  assert.equal(await dlg.locator('.el-date-editor input').first().inputValue(), today);
  await dlg.getByTestId('pair-end-note').fill('老人要求更换互助员');
  await dlg.getByTestId('pair-end-confirm').click();
  await page.locator('.el-message', { hasText: '结对已结束' }).first().waitFor();
  await table.getByText('老人要求更换互助员').waitFor();
  assert.equal(await table.getByTestId('pair-end').count(), 0, 'no active pair left to end');
  await shot(page, 'pair-end-elder');
  const after = (await apiGet(page, `/pairs?elder_id=${p.elder_id}`)).items.find((x) => x.id === pair.id);
  assert.equal(after.state, 'ended');
  assert.equal(after.ended_note, '老人要求更换互助员');

  // the helper's page and the pairing history say the same
  await page.goto(`/helpers/${p.helper_id}`);
  await page.getByTestId('helper-pairs').getByText('老人要求更换互助员').waitFor();

  // a pair ended by the server (the helper stopped): its note in Chinese, and in English
  const other = (await apiGet(page, '/pairs?state=active&limit=200')).items.find((x) => x.helper_id !== p.helper_id);
  assert.ok(other, 'another active pair in the township');
  const h = await apiGet(page, `/helpers/${other.helper_id}`);
  const off = await page.request.patch(`/api/v1/helpers/${other.helper_id}`, { data: { active: false, version: h.version } });
  assert.ok(off.ok(), await off.text());
  await page.goto(`/elders/${other.elder_id}`);
  await page.getByTestId('elder-pairs').getByTestId('pair-ended-note').getByText('互助员已停用').first().waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.getByTestId('elder-pairs').getByTestId('pair-ended-note').getByText('the helper stopped').first().waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('an officer pairs an unpaired elder by hand, from the helpers of the township with a place', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'jinhaihu', DEMO_PW, { land: false });
  // an unpaired active elder of the township, and its township's helpers with a place left
  const e = (await apiGet(page, '/elders?unpaired=1&status=active&limit=50')).items.at(-1);
  assert.ok(e, 'an unpaired elder');
  await page.goto(`/elders/${e.id}`);
  await page.getByTestId('pair-by-hand').click();
  const dlg = page.getByTestId('pair-by-hand-dialog');
  await dlg.getByText(`为${e.name}手动结对`).waitFor();
  await dlg.getByTestId('pair-by-hand-reason').fill('村里现场商定');
  // the helpers offered, one after another until the server takes one: a refused one (the
  // sex the elder prefers, say) is said at the field and the dialog stays open; one without the
  // skills needed is offered disabled (pair-by-hand-skills.test.mjs)
  let helperId = 0;
  for (let k = 0; k < 12 && !helperId; k++) {
    await dlg.getByTestId('pair-by-hand-helper').click();
    const options = page.locator('.el-select-dropdown__item:visible:not(.is-disabled)');
    await options.first().waitFor();
    if (k >= (await options.count())) break;
    const option = options.nth(k);
    const label = await option.innerText();
    assert.match(label, /余\d+个名额（#\d+） · 相距 [\d,.]+ (米|公里)$/, label); // how far they live from the elder
    await option.click();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/pairs') && r.request().method() === 'POST');
    await dlg.getByTestId('pair-by-hand-confirm').click();
    if ((await answer).status() === 201) {
      await page.locator('.el-message', { hasText: '已结对' }).first().waitFor();
      helperId = Number(/#(\d+)）/.exec(label)[1]);
    } else {
      await dlg.locator('.el-form-item__error').first().waitFor();
    }
  }
  assert.ok(helperId, 'a helper of the township was taken');
  await page.getByTestId('elder-pairs').getByText('进行中').waitFor();
  assert.equal(await page.getByTestId('pair-by-hand').count(), 0, 'a paired elder is offered no second pair');
  const pair = (await apiGet(page, `/pairs?elder_id=${e.id}&state=active`)).items[0];
  assert.equal(pair.helper_id, helperId);
  await shot(page, 'pair-by-hand');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('a grid worker sees why a pair ended but has no end button', { timeout: budget(60000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'grid01', DEMO_PW, { land: false });
  const pair = (await apiGet(page, '/pairs?state=active&limit=1')).items[0];
  assert.ok(pair, 'an active pair in the grid worker\'s grids');
  await page.goto(`/elders/${pair.elder_id}`);
  await page.getByTestId('elder-pairs').getByText(pair.helper_name).first().waitFor();
  assert.equal(await page.getByTestId('pair-end').count(), 0);
  await context.close();
});

// Someone else ends the pair while the dialog is open: the 409 is said in the dialog, which
// stays with the date and note typed; closing it reads the pair again. Before, the reload on
// the 409 removed the row's 结束结对 and with it the dialog, without a word.
test('a pair ended meanwhile by someone else: the dialog says so and stays', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'jinhaihu', DEMO_PW, { land: false });
  const pair = (await apiGet(page, '/pairs?state=active&limit=1')).items[0];
  assert.ok(pair, 'an active pair in the township');
  await page.goto(`/elders/${pair.elder_id}`);
  const table = page.getByTestId('elder-pairs');
  await table.getByTestId('pair-end').first().click();
  const dlg = page.getByTestId('pair-end-dialog');
  await dlg.getByTestId('pair-end-note').fill('我方填写的原因');
  const res = await page.request.post(`/api/v1/pairs/${pair.id}/end`, { data: { version: pair.version, note: '他人先结束' } });
  assert.ok(res.ok(), await res.text());
  await dlg.getByTestId('pair-end-confirm').click();
  await dlg.getByTestId('pair-end-conflict').waitFor();
  assert.ok(await dlg.isVisible(), 'the dialog stays');
  assert.equal(await dlg.getByTestId('pair-end-note').inputValue(), '我方填写的原因');
  await shot(page, 'pair-end-meanwhile');
  await dlg.getByRole('button', { name: '取消' }).click();
  await table.getByText('他人先结束').waitFor();
  assert.equal(await table.getByTestId('pair-end').count(), 0, 'the ended pair offers no 结束结对');
  await context.close();
});
