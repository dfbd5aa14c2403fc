// The enterprise-service pages, third round. The KPI period includes the last day picked (a
// year is 1 January – 31 December; one day is that day, not a refused query). Bank matching
// with the actions the API allows each role: the firm consents, applies, withdraws and
// refuses; the product's bank approves (with the amount); an officer rejects; the need shows
// its state, and once matched its approved match, and offers no further consent. A reception
// day still ahead is not offered as held.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, openNeed, ADMIN_PW, DEMO_PW, budget } from './lib.mjs';
import { financeActions, kpiPeriod, kpiYear } from '../../web/src/utils/biz.js';
import { addDays } from '../../web/src/utils/calendar.js';
import { formatNumber } from '../../web/src/utils/format.js';
import { can } from '../../web/src/auth/permissions.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}
/** The status and error code of a call expected to fail. */
async function refused(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  return { status: res.status(), code: (await res.json()).error?.code };
}
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Beijing's

/** The two inputs of the KPI page's date range (the picker's own element in the page head). */
const rangeInputs = (page) => page.locator('.pj-page-head .el-range-editor input');
/** Types a period into the KPI page's date range and waits for the address to follow. */
async function pickPeriod(page, from, last) {
  const inputs = rangeInputs(page);
  await inputs.nth(0).fill(from);
  await inputs.nth(1).fill(last);
  await inputs.nth(1).press('Enter');
  await page.waitForURL(new RegExp(`from=${from}&to=${last}$`));
}

/** The match table's row of a product. */
const matchRow = (page, product) => page.getByTestId('need-matches').locator('tbody tr', { hasText: product });
/** The actions a match row offers (its last cell's buttons). */
const buttons = async (row) => (await row.locator('td').last().locator('button').allInnerTexts()).map((s) => s.trim());
const press = (row, name) => row.locator('td').last().getByRole('button', { name, exact: true }).click();

describe('enterprise services (3)', { timeout: budget(240000) }, () => {
  test('the KPI period: the days picked, both included → the API’s [from, to)', () => {
    assert.deepEqual(kpiPeriod(['2026-11-01', '2026-11-30']), { from: '2026-11-01', to: '2026-12-01' });
    assert.deepEqual(kpiPeriod(['2026-11-30', '2026-11-30']), { from: '2026-11-30', to: '2026-12-01' });
    assert.deepEqual(kpiPeriod(['2026-01-01', '2026-12-31']), { from: '2026-01-01', to: '2027-01-01' });
    assert.deepEqual(kpiYear(2026), ['2026-01-01', '2026-12-31']);
  });

  test('KPIs: the year is 1 January – 31 December; a month counts an appeal of its last day; one day is a period', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    // an appeal received today (Beijing): the last day of the period picked below
    const jd = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    await call(page, 'POST', '/enterprise/appeals', { organisation_id: jd.id, channel: 'phone', type: 'inquiry', category: 'tax', title: '考核期间末日受理（e2e）', description: '今天来电咨询。' });
    const d = today();
    const y = Number(d.slice(0, 4));
    await page.goto('/enterprise/kpis');
    await page.waitForURL(new RegExp(`from=${y}-01-01&to=${y}-12-31$`));
    const inputs = rangeInputs(page);
    await inputs.nth(1).waitFor();
    assert.equal(await inputs.nth(0).inputValue(), `${y}-01-01`);
    assert.equal(await inputs.nth(1).inputValue(), `${y}-12-31`, 'the year ends on 31 December');
    const yearK = await apiGet(page, `/enterprise/kpis?from=${y}-01-01&to=${y + 1}-01-01`);
    const appeals = page.getByTestId('kpi-appeals');
    await appeals.getByText(formatNumber(yearK.district.appeals, 'zh-CN'), { exact: true }).waitFor();

    // from the 1st of the month to today: today's appeal counts
    const first = d.slice(0, 8) + '01';
    await pickPeriod(page, first, d);
    const month = await apiGet(page, `/enterprise/kpis?from=${first}&to=${addDays(d, 1)}`);
    assert.ok(month.district.appeals >= 1, 'the API counts today’s appeal');
    await appeals.getByText(formatNumber(month.district.appeals, 'zh-CN'), { exact: true }).waitFor();
    assert.equal(await page.getByTestId('kpi-year').innerText().then((s) => /\d{4}/.test(s)), false, 'a period of its own, not a year');
    await shot(page, '42b-ent-kpis-month');

    // one day: today, no refused query, the tiles there
    await pickPeriod(page, d, d);
    const day = await apiGet(page, `/enterprise/kpis?from=${d}&to=${addDays(d, 1)}`);
    assert.ok(day.district.appeals >= 1);
    await appeals.getByText(formatNumber(day.district.appeals, 'zh-CN'), { exact: true }).waitFor();
    assert.equal(await page.locator('.el-alert--error').count(), 0, 'no error');
    await page.getByTestId('kpi-composite').waitFor();
    await shot(page, '42c-ent-kpis-day');

    // the year from the picker again: 1 January – 31 December
    await page.getByTestId('kpi-year').click();
    await page.getByRole('option', { name: String(y), exact: true }).click();
    await page.waitForURL(new RegExp(`from=${y}-01-01&to=${y}-12-31$`));
    assert.equal(await inputs.nth(1).inputValue(), `${y}-12-31`);
    noProblems(page);
    await context.close();
  });

  test('the actions on a financing match by role, need state, consent and outcome', () => {
    const firm = { role: 'enterprise', organisation_id: 7 };
    const bank = { role: 'enterprise', organisation_id: 3 };
    const officer = { role: 'township_officer', organisation_id: null };
    const viewer = { role: 'viewer' };
    const open = { state: 'open' };
    const matched = { state: 'matched' };
    const m = (consent, outcome) => ({ bank_id: 3, consent, outcome, enterprise: { organisation_id: 7 } });
    assert.deepEqual(financeActions(firm, open, m('pending', 'pending')), ['grant', 'refuse']);
    assert.deepEqual(financeActions(firm, matched, m('pending', 'pending')), ['refuse'], 'no consent once matched');
    assert.deepEqual(financeActions(firm, open, m('granted', 'pending')), ['apply', 'withdraw', 'revoke']);
    assert.deepEqual(financeActions(firm, matched, m('granted', 'pending')), ['withdraw', 'revoke']);
    assert.deepEqual(financeActions(firm, open, m('granted', 'applied')), ['withdraw'], 'an application withdrawn before the consent is revoked');
    assert.deepEqual(financeActions(firm, open, m('granted', 'withdrawn')), ['revoke'], 'withdrawn: the consent may still be taken back');
    assert.deepEqual(financeActions(firm, open, m('granted', 'approved')), [], 'the bank\'s decision keeps its consent');
    assert.deepEqual(financeActions(firm, open, m('revoked', 'withdrawn')), []);
    assert.deepEqual(financeActions(officer, open, m('granted', 'withdrawn')), [], 'a consent is the firm\'s own to revoke');
    assert.deepEqual(financeActions(bank, open, m('granted', 'applied')), ['approve', 'reject']);
    assert.deepEqual(financeActions(bank, matched, m('granted', 'applied')), ['reject'], 'no second approval');
    assert.deepEqual(financeActions(bank, open, m('granted', 'pending')), []);
    assert.deepEqual(financeActions(officer, open, m('pending', 'pending')), [], 'consent is the firm’s own');
    assert.deepEqual(financeActions(officer, open, m('granted', 'applied')), ['approve', 'reject', 'withdraw']);
    assert.deepEqual(financeActions(officer, matched, m('granted', 'applied')), ['reject', 'withdraw']);
    assert.deepEqual(financeActions(officer, open, m('granted', 'approved')), []);
    assert.deepEqual(financeActions(viewer, open, m('granted', 'applied')), []);
    assert.deepEqual(financeActions({ role: 'enterprise', organisation_id: 9 }, open, m('granted', 'applied')), [], 'another firm');
    // a bank's account does not act as an enterprise (no needs, appeals, sign-ups, posts)
    assert.equal(can({ ...firm, organisation_type: 'enterprise' }, 'ent.act'), true);
    assert.equal(can({ ...bank, organisation_type: 'bank' }, 'ent.act'), false);
    assert.equal(can({ ...bank, organisation_type: 'bank' }, 'ent.read'), true);
    assert.equal(can({ ...officer, organisation_type: null }, 'ent.act'), true);
  });

  test('bank matching: consent, application, approval by the bank with its amount, rejection, withdrawal; a matched need takes no further consent', async () => {
    const admin = await openPage(browser);
    await login(admin.page, 'admin', ADMIN_PW);
    const orgId = async (name) => (await apiGet(admin.page, '/organisations?q=' + encodeURIComponent(name))).items.find((o) => o.name === name).id;
    const abc = await orgId('中国农业银行北京平谷支行');
    const rcb = await orgId('北京农商银行平谷支行');
    const ccb = await orgId('中国建设银行北京平谷支行');
    // a bank user of 农行, and four products only a need of 778 万元 fits, ranked by rate
    const tag = String(Date.now() % 100000);
    await call(admin.page, 'POST', '/users', { username: `abc${tag}`, role: 'enterprise', organisation_id: abc, password: 'long-enough-pw-9' });
    const prods = [
      [abc, `甲贷${tag}`, 1.01],
      [rcb, `乙贷${tag}`, 1.02],
      [rcb, `丙贷${tag}`, 1.03],
      [ccb, `丁贷${tag}`, 1.04],
    ];
    for (const [bank_id, name, rate_pct] of prods) await call(admin.page, 'POST', '/enterprise/bank-products', { bank_id, name, min_wan: 777, max_wan: 779, rate_pct, term_months: 36, conditions: 'true' });
    await admin.context.close();
    const [P1, P2, P3, P4] = prods.map((p) => p[1]);

    // jd posts the need; in the console grants consent to three banks and applies to two
    const firm = await openPage(browser);
    await login(firm.page, 'jd', DEMO_PW);
    const need = await call(firm.page, 'POST', '/enterprise/financing-needs', { amount_wan: 778, term_months: 12, purpose: `冷库设备（e2e ${tag}）` });
    assert.deepEqual(need.matches.slice(0, 4).map((m) => m.product), [P1, P2, P3, P4]);
    await firm.page.goto('/enterprise/finance');
    const listRow = await openNeed(firm.page, need.id);
    for (const p of [P1, P2, P3]) {
      await press(matchRow(firm.page, p), '授权银行查看');
      await matchRow(firm.page, p).getByText('已授权').waitFor();
    }
    for (const p of [P1, P2]) {
      await press(matchRow(firm.page, p), '申请');
      await matchRow(firm.page, p).getByText('已申请').waitFor();
    }
    assert.deepEqual(await buttons(matchRow(firm.page, P1)), ['撤回'], 'applied: the firm may withdraw');
    assert.deepEqual(await buttons(matchRow(firm.page, P3)), ['申请', '撤回', '撤回授权']);
    assert.deepEqual(await buttons(matchRow(firm.page, P4)), ['授权银行查看', '拒绝']);
    await listRow.getByTestId('need-state').getByText('待对接').waitFor();
    await firm.page.getByTestId('need-detail-state').getByText('待对接').waitFor();

    // 农行's user sees its own match only and approves it, naming the amount
    const bank = await openPage(browser);
    await login(bank.page, `abc${tag}`, 'long-enough-pw-9');
    await bank.page.goto('/enterprise/finance');
    await openNeed(bank.page, need.id);
    assert.equal(await bank.page.getByTestId('new-need').count(), 0, 'a bank posts no financing need');
    assert.equal(await bank.page.getByTestId('need-matches').locator('tbody tr').count(), 1, 'the bank sees its consented match only');
    assert.deepEqual(await buttons(matchRow(bank.page, P1)), ['批准', '不批准']);
    await press(matchRow(bank.page, P1), '批准');
    const dlg = bank.page.getByTestId('approve-dialog');
    const amount = dlg.getByTestId('approve-amount').locator('input');
    assert.equal(Number(await amount.inputValue()), 778, 'at most what the firm asked');
    await amount.fill('700');
    await amount.press('Tab');
    await shot(bank.page, '49b-ent-finance-approve');
    await dlg.getByTestId('approve-save').click();
    await bank.page.getByTestId('need-approved').getByText(`已对接：中国农业银行北京平谷支行「${P1}」，批准 700万`).waitFor();
    await bank.page.getByTestId('need-detail-state').getByText('已对接').waitFor();
    assert.deepEqual(await buttons(matchRow(bank.page, P1)), []);
    noProblems(bank.page);
    await bank.context.close();
    const after = await apiGet(firm.page, `/enterprise/financing-needs/${need.id}`);
    assert.equal(after.state, 'matched');
    assert.equal(after.matches.find((m) => m.product === P1).approved_wan, 700);

    // an officer: the other application may be rejected or withdrawn, not approved
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    await off.page.goto('/enterprise/finance');
    const offRow = await openNeed(off.page, need.id);
    await offRow.getByTestId('need-state').getByText('已对接').waitFor();
    await off.page.getByTestId('need-approved').getByText(`「${P1}」`).waitFor();
    assert.deepEqual(await buttons(matchRow(off.page, P2)), ['不批准', '撤回'], 'no second approval');
    assert.deepEqual(await buttons(matchRow(off.page, P3)), ['撤回'], 'no new application');
    assert.deepEqual(await buttons(matchRow(off.page, P4)), [], 'consent is the firm’s own');
    await press(matchRow(off.page, P2), '不批准');
    await off.page.getByRole('dialog').getByRole('button', { name: '不批准' }).click();
    await matchRow(off.page, P2).getByText('未获批').waitFor();
    await shot(off.page, '49c-ent-finance-matched');
    noProblems(off.page);
    await off.context.close();

    // jd: no consent for a matched need (the server refuses it too); withdraws and refuses
    await firm.page.reload();
    await openNeed(firm.page, need.id);
    await firm.page.getByTestId('need-approved').waitFor();
    assert.deepEqual(await buttons(matchRow(firm.page, P4)), ['拒绝'], 'no 授权银行查看 once matched');
    const m4 = after.matches.find((m) => m.product === P4);
    assert.deepEqual(await refused(firm.page, 'POST', `/enterprise/financing-matches/${m4.id}/consent`, { version: m4.version, consent: 'granted' }), { status: 409, code: 'already_matched' });
    await press(matchRow(firm.page, P3), '撤回');
    await firm.page.getByRole('dialog').getByRole('button', { name: '撤回' }).click();
    await matchRow(firm.page, P3).getByText('已撤回').waitFor();
    // its consent taken back (the bank no longer sees the firm): asked first, naming the bank
    assert.deepEqual(await buttons(matchRow(firm.page, P3)), ['撤回授权']);
    await press(matchRow(firm.page, P3), '撤回授权');
    await firm.page.getByRole('dialog').getByText('该银行将不再看到本需求、企业联系人和匹配说明').waitFor();
    await firm.page.getByRole('dialog').getByRole('button', { name: '撤回授权' }).click();
    await matchRow(firm.page, P3).getByText('已撤回授权').waitFor();
    assert.deepEqual(await buttons(matchRow(firm.page, P3)), []);
    await press(matchRow(firm.page, P4), '拒绝');
    await matchRow(firm.page, P4).getByText('已拒绝').waitFor();
    const last = await apiGet(firm.page, `/enterprise/financing-needs/${need.id}`);
    assert.deepEqual(last.matches.slice(0, 4).map((m) => [m.consent, m.outcome]), [
      ['granted', 'approved'],
      ['granted', 'rejected'],
      ['revoked', 'withdrawn'],
      ['refused', 'pending'],
    ]);
    noProblems(firm.page);
    await firm.context.close();
  });

  test('reception days: a day still ahead is not offered as held (已召开); its other fields are saved', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const d = today();
    let days = (await apiGet(page, '/enterprise/reception-days?limit=500')).items;
    let ahead = days.find((x) => x.held_on > d && x.state === 'planned');
    if (!ahead) {
      // late in December: next year's days (its calendar first, as the officer would)
      const y = Number(d.slice(0, 4)) + 1;
      if (!(await apiGet(page, `/enterprise/calendar?year=${y}`)).items.length) await call(page, 'POST', '/enterprise/calendar', { day: `${y}-01-01`, kind: 'holiday', name: '元旦' });
      await call(page, 'POST', '/enterprise/reception-days', { year: y });
      days = (await apiGet(page, '/enterprise/reception-days?limit=500')).items;
      ahead = days.find((x) => x.held_on > d && x.state === 'planned');
    }
    assert.ok(ahead, 'a planned day ahead');
    await page.goto(`/enterprise/reception-days?year=${ahead.held_on.slice(0, 4)}`);
    await page.getByTestId('reception-calendar').locator(`[data-day="${ahead.held_on}"]`).click();
    await page.getByTestId('reception-detail').getByText(`${ahead.held_on} 接待日`).waitFor();
    await page.getByTestId('edit-reception').click();
    await page.getByTestId('reception-detail').locator('.el-select').nth(1).click(); // the state
    await page.getByRole('option', { name: '已取消', exact: true }).waitFor();
    await page.getByRole('option', { name: '已安排', exact: true }).waitFor();
    assert.equal(await page.getByRole('option', { name: '已召开', exact: true }).count(), 0, 'held is not offered before the day');
    await page.keyboard.press('Escape');
    await page.getByTestId('reception-held-hint').getByText(`${ahead.held_on} 当天起可标记为已召开`).waitFor();
    await shot(page, '46b-ent-reception-ahead');
    // the server refuses it as well; leaders are saved as before (the state unchanged)
    assert.deepEqual(await refused(page, 'PATCH', `/enterprise/reception-days/${ahead.id}`, { version: ahead.version, state: 'held' }), { status: 409, code: 'day_ahead' });
    await page.getByTestId('reception-detail').locator('input').first().fill('区长');
    await page.getByTestId('reception-detail').getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').first().waitFor();
    const saved = await apiGet(page, `/enterprise/reception-days/${ahead.id}`);
    assert.deepEqual(saved.leaders, ['区长']);
    assert.equal(saved.state, 'planned');
    // a day past (or today) offers held
    const past = days.find((x) => x.held_on <= d && x.state === 'planned');
    if (past) {
      await page.goto(`/enterprise/reception-days?year=${past.held_on.slice(0, 4)}`);
      await page.getByTestId('reception-calendar').locator(`[data-day="${past.held_on}"]`).click();
      await page.getByTestId('reception-detail').getByText(`${past.held_on} 接待日`).waitFor();
      await page.getByTestId('edit-reception').click();
      assert.equal(await page.getByTestId('reception-held-hint').count(), 0);
      await page.getByTestId('reception-detail').locator('.el-select').nth(1).click();
      await page.getByRole('option', { name: '已召开', exact: true }).waitFor();
      await page.keyboard.press('Escape');
    }
    noProblems(page);
    await context.close();
  });

  test('reception days: the day clicked is the day shown and edited, though the page\'s first day answers later', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const d = today();
    const days = (await apiGet(page, '/enterprise/reception-days?limit=500')).items;
    // the day the page opens on (the next one not cancelled, else the last), and another of its year
    const first = days.find((x) => x.held_on >= d && x.state !== 'cancelled') || days[days.length - 1];
    const year = first.held_on.slice(0, 4);
    const other = days.find((x) => x.held_on.startsWith(year) && x.id !== first.id);
    assert.ok(other, `a second reception day in ${year}`);
    // a slow network: the page's own first request for a day is answered after the click's
    let slowed = 0;
    await page.route(/\/api\/v1\/enterprise\/reception-days\/\d+$/, async (route) => {
      if (!slowed++) await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(`/enterprise/reception-days?year=${year}`);
    const detail = page.getByTestId('reception-detail');
    await page.getByTestId('reception-calendar').locator(`[data-day="${other.held_on}"]`).click();
    await detail.getByText(`${other.held_on} 接待日`).waitFor();
    await page.getByTestId('edit-reception').click();
    await page.getByTestId('reception-state').waitFor();
    await page.waitForTimeout(2500); // the first day's answer has come by now
    assert.ok(slowed >= 2, 'the page asked for its first day and the day clicked');
    assert.equal(await detail.getByText(`${other.held_on} 接待日`).count(), 1, 'the day clicked is still shown');
    assert.equal(await page.getByTestId('reception-state').count(), 1, 'its edit is still open');
    await detail.getByRole('button', { name: '取消' }).click();
    noProblems(page);
    await context.close();
  });
});
