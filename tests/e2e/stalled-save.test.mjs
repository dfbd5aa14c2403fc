// A save on a stalled connection (open, no answer: a phone whose network hangs) spun for ever:
// the console's fetch had no time limit. Now each request has one (api/client.js, made a few
// seconds here with window.pjRequestLimits); when it passes the request is aborted, the button
// stops, the form keeps what was typed and the user is told that the save may or may not have
// reached the server, and that saving again is safe: every write carries an Idempotency-Key,
// sent again with it the server answers as the first time and makes it once (a visit, which the
// server also refuses to log twice; an edit; a time-bank redemption, debited once).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PHONE = { width: 390, height: 844 };
const LIMIT = 3000; // the writes' time limit in this test (ms)
const isPost = (p) => (r) => new URL(r.url()).pathname === p && r.method() === 'POST';

/** clicks `button` and waits for `message` (a locator) to show; the ms it took */
async function timedSave(page, button, message) {
  const t0 = Date.now();
  await button.click();
  await page.waitForFunction((el) => el.classList.contains('is-loading'), await button.elementHandle(), { timeout: 2000 });
  await message.waitFor({ timeout: LIMIT + 10000 });
  return Date.now() - t0;
}

/** the message on the screen (a phone's user is at the button, far below the form's top) */
async function onScreen(page, message, what) {
  await page.waitForTimeout(300);
  const box = await message.boundingBox();
  const height = page.viewportSize().height;
  assert.ok(box && box.y >= 0 && box.y + box.height <= height, `${what}: the message in view (${JSON.stringify(box)})`);
}

/** the button usable again: not spinning, not disabled */
async function usable(button, what) {
  assert.equal(await button.evaluate((el) => el.classList.contains('is-loading')), false, `${what}: the button stops spinning`);
  assert.equal(await button.isEnabled(), true, `${what}: the button can be clicked again`);
}

test('quick entry: a visit saved on a stalled connection ends with a message within the limit, the form kept; saved again, it is logged once and said to be', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true });
  await login(page, 'grid01', DEMO_PW, { land: false });
  await page.goto('/service-entry');
  await page.getByTestId('entry-elders').locator('[data-elder]').first().waitFor();
  // an elder without a paired helper (no helper busy elsewhere), of a kind no other test logs
  const elders = (await apiGet(page, '/elders?status=active&limit=200')).items.filter((e) => !e.paired_helper);
  assert.ok(elders.length > 2, 'elders of grid01 without a helper');
  const elder = elders[elders.length - 2];
  await page.getByTestId('entry-elders').locator(`[data-elder="${elder.id}"]`).tap();
  await page.getByTestId('entry-elder').getByText(elder.name).waitFor();
  await page.locator('[data-kind="nursing"]').tap();
  const remark = '测量血压，协助服药，网络时断时续';
  await page.getByTestId('entry-remarks').fill(remark);
  const logs = async () => (await apiGet(page, `/service-logs?elder_id=${elder.id}&kind=nursing`)).items;
  assert.equal((await logs()).length, 0, 'no nursing visit of this elder yet');
  await page.evaluate((ms) => (window.pjRequestLimits = { write: ms }), LIMIT);

  const save = page.getByTestId('entry-save');
  const error = page.getByTestId('entry-error');
  const said = error.getByText('网络无响应：本次提交可能已到达服务器，也可能没有。可以直接再提交一次：若已保存，服务器不会重复记录');
  const kept = async (what) => {
    await usable(save, what);
    assert.equal(await page.getByTestId('entry-remarks').inputValue(), remark, `${what}: the remark kept`);
    assert.equal((await page.getByTestId('entry-elder').textContent()).trim(), elder.name, `${what}: the elder kept`);
    assert.equal(await page.locator('[data-kind="nursing"]').getAttribute('aria-checked'), 'true', `${what}: the kind kept`);
    assert.equal(new URL(page.url()).pathname, '/service-entry', `${what}: still on the entry`);
  };

  // 1. the request never leaves (the connection hangs before the server has it)
  const held = [];
  await page.route('**/api/v1/service-logs', (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    held.push(route); // never answered
  });
  let took = await timedSave(page, save, said);
  assert.equal(held.length, 1, 'the save was sent once');
  assert.ok(took >= LIMIT - 100, `the message once the limit passed, not before (${took} ms)`);
  assert.ok(took < LIMIT + 10000, `the message within the limit and a moment (${took} ms)`);
  await kept('stalled before the server');
  await onScreen(page, said, 'stalled before the server');
  await shot(page, 'stalled-save');
  assert.equal((await logs()).length, 0, 'nothing logged');
  await page.unrouteAll({ behavior: 'ignoreErrors' });

  // 2. the request reaches the server, which saves the visit; its answer never comes back
  let reached = 0;
  await page.route('**/api/v1/service-logs', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const res = await route.fetch();
    if (res.status() === 201) reached++;
    // the answer is lost on the way back: never fulfilled
  });
  await error.waitFor({ state: 'visible' });
  took = await timedSave(page, save, said);
  assert.ok(took >= LIMIT - 100 && took < LIMIT + 10000, `stalled answer: the message within the limit (${took} ms)`);
  await kept('answer lost');
  assert.equal(reached, 1, 'the server had the visit');
  assert.equal((await logs()).length, 1, 'logged once');
  await page.unrouteAll({ behavior: 'ignoreErrors' });

  // 3. the network back: saved again as the message says — every try carried the first one's
  // Idempotency-Key, so the server answers as it did when it logged the visit: logged, once
  await page.evaluate(() => delete window.pjRequestLimits);
  const answered = page.waitForResponse((r) => isPost('/api/v1/service-logs')(r.request()));
  await save.tap();
  const res = await answered;
  assert.equal(res.status(), 201);
  assert.equal(res.headers()['idempotent-replayed'], 'true', 'the first answer, given again');
  assert.equal(res.request().headers()['idempotency-key'], held[0].request().headers()['idempotency-key'], 'the key of the first try');
  await page.getByText(`已登记：${elder.name}`).waitFor();
  await usable(save, 'saved again');
  const after = await logs();
  assert.equal(after.length, 1, 'the visit logged once');
  assert.equal(after[0].remarks, remark);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('English: an elder edited on a stalled connection: the change may or may not have reached the server, the form kept', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, PHONE, { hasTouch: true, isMobile: true, locale: 'en-GB' });
  await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
  await login(page, 'grid01', DEMO_PW, { land: false });
  const e = (await apiGet(page, '/elders?status=active&limit=200')).items.at(-5);
  const beforeEdit = await apiGet(page, `/elders/${e.id}`);
  await page.goto(`/elders/${e.id}/edit`);
  const name = page.getByTestId('f-name').locator('input');
  await name.waitFor();
  await page.waitForFunction((el) => el.value !== '', await name.elementHandle());
  const typed = beforeEdit.name + '乙';
  await name.fill(typed);
  await page.evaluate((ms) => (window.pjRequestLimits = { write: ms }), LIMIT);
  const held = [];
  await page.route(`**/api/v1/elders/${e.id}`, (route) => {
    if (route.request().method() !== 'PATCH') return route.fallback();
    held.push(route); // never answered
  });
  const save = page.getByTestId('save-elder');
  const said = page
    .getByTestId('form-error')
    .getByText('No answer from the server: the change may or may not have reached it. You can simply send it again: if it was saved, the server does not record it twice');
  const took = await timedSave(page, save, said);
  assert.equal(held.length, 1, 'the change was sent once');
  const key = held[0].request().headers()['idempotency-key'];
  assert.match(key || '', /^[0-9a-f-]{32,36}$/, 'the change carries an Idempotency-Key');
  assert.ok(took >= LIMIT - 100 && took < LIMIT + 10000, `the message within the limit (${took} ms)`);
  await usable(save, 'stalled edit');
  await onScreen(page, said, 'stalled edit');
  assert.equal(await name.inputValue(), typed, 'the typed name kept');
  assert.ok(new URL(page.url()).pathname.endsWith('/edit'), 'still on the form');
  await shot(page, 'stalled-save-en');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  assert.equal((await apiGet(page, `/elders/${e.id}`)).name, beforeEdit.name, 'nothing changed on the server');
  // the network back: saved again as the message says, with the first try's key, made once
  await page.evaluate(() => delete window.pjRequestLimits);
  const isPatch = (r) => r.method() === 'PATCH' && new URL(r.url()).pathname === `/api/v1/elders/${e.id}`;
  const sent = page.waitForRequest(isPatch);
  const answered = page.waitForResponse((r) => isPatch(r.request()));
  await save.click();
  assert.equal((await sent).headers()['idempotency-key'], key, 'sent again with the same key');
  assert.equal((await answered).status(), 200);
  const saved = await apiGet(page, `/elders/${e.id}`);
  assert.equal(saved.name, typed, 'the change made');
  assert.equal(saved.version, beforeEdit.version + 1, 'made once');
  const res = await page.request.patch(`/api/v1/elders/${e.id}`, { data: { version: saved.version, name: beforeEdit.name } });
  assert.ok(res.ok(), await res.text());
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('the time bank: a redemption whose answer is lost, confirmed again after the message, is debited once; redeemed again on purpose, twice', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW, { land: false });
  const h = (await apiGet(page, '/helpers?limit=200')).items.filter((x) => x.active && x.age >= 60 && x.credit_balance_min >= 180).at(-1);
  assert.ok(h, 'a helper of 60 or more with three hours of credits');
  const account = `/credit-accounts/${h.credit_account_id}`;
  const before = (await apiGet(page, `${account}?limit=1`)).balance_min;
  const balance = async () => (await apiGet(page, `${account}?limit=1`)).balance_min;
  await page.goto(`/helpers/${h.id}`);
  const ledger = page.getByTestId('credit-ledger');
  await ledger.getByTestId('credit-balance').waitFor();
  const dlg = page.getByRole('dialog', { name: '兑换时间币（本人享受服务）' });
  const confirm = dlg.getByTestId('credit-confirm');
  const redeem = async () => {
    await ledger.getByTestId('credit-redeem').click();
    await dlg.getByTestId('credit-hours').locator('input').fill('1');
    await dlg.getByTestId('credit-note').fill('助餐一次');
  };
  await redeem();

  // the redemption reaches the server, which debits it; the answer is lost on the way back
  await page.evaluate((ms) => (window.pjRequestLimits = { write: ms }), LIMIT);
  const keys = [];
  let reached = 0;
  await page.route(`**/api/v1${account}/redeem`, async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    const res = await route.fetch();
    if (res.status() === 200) reached++;
    // never fulfilled
  });
  const said = dlg.getByTestId('credit-error').getByText('网络无响应：本次提交可能已到达服务器，也可能没有。可以直接再提交一次：若已保存，服务器不会重复记录');
  await timedSave(page, confirm, said);
  await usable(confirm, 'answer lost');
  assert.equal(reached, 1, 'the server had the redemption');
  assert.equal(await balance(), before - 60, 'debited once');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.evaluate(() => delete window.pjRequestLimits);

  // confirmed again, as the message says: answered as the first time, not debited again
  const isRedeem = (r) => r.method() === 'POST' && new URL(r.url()).pathname === `/api/v1${account}/redeem`;
  let sent = page.waitForRequest(isRedeem);
  let answered = page.waitForResponse((r) => isRedeem(r.request()));
  await confirm.click();
  assert.equal((await sent).headers()['idempotency-key'], keys[0], 'sent again with the first try\'s key');
  const res = await answered;
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['idempotent-replayed'], 'true', 'the first answer, given again');
  await page.getByText('已兑换 1.00 时间币').waitFor();
  assert.equal(await balance(), before - 60, 'still debited once');
  await ledger.getByTestId('credit-balance').getByText(((before - 60) / 60).toFixed(2)).waitFor();

  // another redemption of the same hour, on purpose: a new write, debited
  await redeem();
  sent = page.waitForRequest(isRedeem);
  answered = page.waitForResponse((r) => isRedeem(r.request()));
  await confirm.click();
  assert.notEqual((await sent).headers()['idempotency-key'], keys[0], 'a new key');
  assert.equal((await answered).headers()['idempotent-replayed'], undefined);
  await ledger.getByTestId('credit-balance').getByText(((before - 120) / 60).toFixed(2)).waitFor();
  assert.equal(await balance(), before - 120, 'two redemptions, two debits');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
