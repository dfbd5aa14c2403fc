// The time bank on a helper's page: the ledger pages through every entry (it showed the newest
// 20 with no way to see more) and says how many there are, the entries shown adding up to the
// balance once all are there; 兑换服务 is not offered to a holder under the redeem age (the
// server's may_redeem), the reason said instead, nor to an elder who moved away or died (their
// own reason, not the age), nor to a helper whose own elder record did (that reason, not the
// age: the server's redeem_refusal); and the transfer's elder picker tells apart
// elders of the same name in the same grid without unmasking anything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, idNumber, BASE, ADMIN_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

async function call(page, method, p, data) {
  const res = await page.request.fetch(BASE + '/api/v1' + p, { method, data });
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

/** An active helper under 60 with an account of at least n entries (service logs added). */
async function helperWithEntries(page, n) {
  const h = (await apiGet(page, '/helpers?limit=100')).items.find((x) => x.active && x.credit_account_id && x.age < 60);
  assert.ok(h, 'an active helper under 60 with an account');
  const have = (await apiGet(page, `/credit-accounts/${h.credit_account_id}?limit=500`)).entries.length;
  if (have < n) {
    const elder = (await apiGet(page, '/elders?status=active&limit=1')).items[0];
    // one an hour in the evenings two days ago and before (the demo's visits end by 17:30 in
    // Beijing): one helper's logs may not overlap
    const day = Math.floor((Date.now() + 8 * 3600e3) / 86400e3) * 86400e3 - 8 * 3600e3;
    const at = (i) => new Date(day - (2 + Math.floor(i / 10)) * 86400e3 + (19 + (i % 10)) * 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const entries = Array.from({ length: n - have }, (_, i) => ({ elder_id: elder.id, kind: 'companionship', helper_id: h.id, time_in: at(i), minutes: 10 + i }));
    await call(page, 'POST', '/service-logs', { entries });
  }
  return h;
}

test('a helper\'s ledger: 20 at first, the count said, more until every entry; 兑换服务 not offered under 60', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'admin', ADMIN_PW);
  const h = await helperWithEntries(page, 45);
  const acc = await apiGet(page, `/credit-accounts/${h.credit_account_id}?limit=500`);
  const total = acc.entries.length;
  assert.ok(total >= 45, `${total} entries`);
  await page.goto(`/helpers/${h.id}`);
  const ledger = page.getByTestId('credit-ledger');
  const rows = ledger.locator('.el-table__body-wrapper tbody tr');
  await rows.nth(19).waitFor();
  assert.equal(await rows.count(), 20, 'the newest 20 first');
  await ledger.getByTestId('ledger-count').getByText(`显示最近 20 条，共 ${total} 条`).waitFor();
  // more, page by page, until every entry is there
  for (let i = 0; i < 20 && (await rows.count()) < total; i++) {
    const shown = await rows.count();
    await ledger.getByTestId('ledger-more').click();
    await rows.nth(shown).waitFor();
  }
  assert.equal(await rows.count(), total, 'every entry');
  assert.equal(await ledger.getByTestId('ledger-more').count(), 0, 'nothing more to load');
  const sum = (acc.entries.reduce((a, e) => a + e.amount_min, 0) / 60).toFixed(2);
  assert.equal(sum, acc.credits.toFixed(2), 'the entries add up to the balance');
  await ledger.getByTestId('ledger-count').getByText(`共 ${total} 条记录，合计 ${sum} 时间币（与余额一致）`).waitFor();
  // the oldest entry is the API's last one
  const last = acc.entries[total - 1];
  assert.match(await rows.nth(total - 1).innerText(), new RegExp(`${last.amount_min >= 0 ? '\\+' : '-'}${Math.abs(last.amount_min / 60).toFixed(2)}`));
  // under 60: 兑换服务 is shown disabled with the reason, 转赠亲属 still offered
  assert.equal(acc.may_redeem, false);
  await ledger.getByTestId('credit-redeem').waitFor();
  assert.equal(await ledger.getByTestId('credit-redeem').isDisabled(), true, '兑换服务 disabled');
  await ledger.getByTestId('credit-redeem-why').getByText('未满 60 岁，不能兑换').waitFor();
  assert.equal(await ledger.getByTestId('credit-transfer').isDisabled(), false);
  await shot(page, 'timebank-ledger');
  noProblems(page);
  await context.close();
});

test('an elder who died: 兑换服务 not offered, the reason said (not the age); 转赠亲属 still offered', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'admin', ADMIN_PW);
  const h = (await apiGet(page, '/helpers?limit=100')).items.find((x) => x.active && x.credit_account_id && x.credits >= 1);
  assert.ok(h, 'an active helper with credits');
  // an elder aged 60 or more given an hour of the helper's credits (the account opens)
  const elder = (await apiGet(page, '/elders?status=active&limit=200')).items.find((e) => e.age >= 60);
  await call(page, 'POST', `/credit-accounts/${h.credit_account_id}/transfer`, { minutes: 60, to_elder_id: elder.id, relation: 'spouse' });
  let full = await apiGet(page, `/elders/${elder.id}`);
  assert.equal((await apiGet(page, `/credit-accounts/${full.credit_account_id}`)).may_redeem, true);
  await call(page, 'PATCH', `/elders/${elder.id}`, { version: full.version, status: 'deceased' });
  const acc = await apiGet(page, `/credit-accounts/${full.credit_account_id}`);
  assert.equal(acc.may_redeem, false);
  assert.equal(acc.holder_active, false);
  await page.goto(`/elders/${elder.id}`);
  const ledger = page.getByTestId('credit-ledger');
  await ledger.getByTestId('credit-redeem').waitFor();
  assert.equal(await ledger.getByTestId('credit-redeem').isDisabled(), true, '兑换服务 disabled');
  await ledger.getByTestId('credit-redeem-why').getByText('老人已迁出或去世，不能兑换').waitFor();
  assert.equal(await ledger.getByTestId('credit-redeem-why').getByText('未满').count(), 0, 'not the age');
  assert.equal(await ledger.getByTestId('credit-transfer').isDisabled(), false);
  // the server refuses it too, nothing written
  const res = await page.request.fetch(`${BASE}/api/v1/credit-accounts/${full.credit_account_id}/redeem`, { method: 'POST', data: { minutes: 30, note: '助浴' } });
  assert.equal(res.status(), 409);
  assert.equal((await res.json()).error.code, 'not_active');
  assert.equal((await apiGet(page, `/credit-accounts/${full.credit_account_id}`)).balance_min, acc.balance_min, 'nothing redeemed');
  // back on the register
  full = await apiGet(page, `/elders/${elder.id}`);
  await call(page, 'PATCH', `/elders/${elder.id}`, { version: full.version, status: 'active' });
  noProblems(page);
  await context.close();
});

test('a helper whose own elder record died: the reason is the record (the server\'s redeem_refusal), not the age', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'admin', ADMIN_PW);
  // one person on both registers (低龄助高龄): an elder record aged 64, a helper linked to it
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const n = Date.now() % 100000;
  const idn = idNumber('19620303', 'M');
  const self = await call(page, 'POST', '/elders', { name: `互助本人${n}`, sex: 'M', birth_date: '1962-03-03', id_number: idn, grid_id: grid, ability_level: 0 });
  const h = await call(page, 'POST', '/helpers', {
    name: `互助本人${n}`, sex: 'M', birth_date: '1962-03-03', id_number: idn, grid_id: grid, skills: ['companionship'], capacity: 2, elder_id: self.id,
  });
  const acc = h.credit_account_id ?? (await apiGet(page, `/helpers/${h.id}`)).credit_account_id;
  assert.equal((await apiGet(page, `/credit-accounts/${acc}`)).may_redeem, true, 'aged 64, on the register: may redeem');
  await call(page, 'PATCH', `/elders/${self.id}`, { version: self.version, status: 'deceased' });
  const a = await apiGet(page, `/credit-accounts/${acc}`);
  assert.equal(a.may_redeem, false);
  assert.equal(a.redeem_refusal, 'not_active');
  await page.goto(`/helpers/${h.id}`);
  const ledger = page.getByTestId('credit-ledger');
  await ledger.getByTestId('credit-redeem').waitFor();
  assert.equal(await ledger.getByTestId('credit-redeem').isDisabled(), true, '兑换服务 disabled');
  await ledger.getByTestId('credit-redeem-why').getByText('本人的老人档案已迁出或去世，不能兑换').waitFor();
  assert.equal(await ledger.getByTestId('credit-redeem-why').getByText('未满').count(), 0, 'not the age');
  // the server refuses it for that reason
  const res = await page.request.fetch(`${BASE}/api/v1/credit-accounts/${acc}/redeem`, { method: 'POST', data: { minutes: 30, note: '助浴' } });
  assert.equal(res.status(), 409);
  assert.equal((await res.json()).error.code, 'not_active');
  noProblems(page);
  await context.close();
});

test('the transfer\'s elder picker: two elders of the same name in one grid are told apart', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'admin', ADMIN_PW);
  const h = (await apiGet(page, '/helpers?limit=100')).items.find((x) => x.active && x.credit_account_id);
  // two active elders of one grid, given the same name
  const list = (await apiGet(page, '/elders?status=active&limit=200')).items;
  const byGrid = {};
  for (const e of list) (byGrid[e.grid_id] ||= []).push(e);
  const pair = Object.values(byGrid).find((g) => g.length >= 2);
  assert.ok(pair, 'a grid with two active elders');
  const NAME = '司马同名';
  for (const e of pair.slice(0, 2)) {
    const full = await apiGet(page, `/elders/${e.id}`);
    await call(page, 'PATCH', `/elders/${e.id}`, { version: full.version, name: NAME });
  }
  await page.goto(`/helpers/${h.id}`);
  const ledger = page.getByTestId('credit-ledger');
  await ledger.getByTestId('credit-transfer').click();
  const dlg = page.getByRole('dialog', { name: '转赠时间币给直系亲属' });
  await dlg.getByTestId('credit-elder').locator('input').fill(NAME);
  const options = page.locator('.el-select-dropdown__item', { hasText: NAME });
  await options.nth(1).waitFor();
  const labels = (await options.allInnerTexts()).map((s) => s.trim());
  assert.equal(labels.length, 2, labels.join(' | '));
  assert.notEqual(labels[0], labels[1], `told apart: ${labels.join(' | ')}`);
  for (const e of pair.slice(0, 2)) {
    const l = labels.find((x) => x.includes(`编号 ${e.id}`));
    assert.ok(l, `elder ${e.id} by number: ${labels.join(' | ')}`);
    assert.ok(l.includes(`${e.age} 岁`), `with the age: ${l}`);
    assert.ok(l.includes(e.grid_name), `with the grid: ${l}`);
    assert.doesNotMatch(l, /\d{6,}/, `nothing unmasked: ${l}`);
  }
  await shot(page, 'timebank-picker');
  noProblems(page);
  await context.close();
});
