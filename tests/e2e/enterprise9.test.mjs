// The enterprise-service pages, ninth round. The firm corrects its registration (industry,
// contact) from its profile page: the change is saved with the organisation's version and
// rematches the policies; a field the server refuses is named at the field, and a change made
// meanwhile is a conflict that reloads keeping what was typed. A bank's account is not offered
// 企业档案 on a consented financing need (the bank may not open a firm's profile).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, choose, openNeed, ADMIN_PW, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

describe('enterprise services (9)', { timeout: budget(240000) }, () => {
  test('the firm edits its industry from its profile: saved, kept, field errors at the field, a stale version a conflict', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    await login(page, 'jd', DEMO_PW, { land: false });
    const orgId = (await apiGet(page, '/auth/me')).organisation_id;
    const was = await apiGet(page, `/organisations/${orgId}`);
    assert.equal(was.industry, 'logistics');
    await page.goto('/enterprise/profile');
    await page.getByTestId('profile-industry').getByText('物流').waitFor();
    assert.doesNotMatch(await page.getByTestId('profile-from-org').innerText(), /不在此修改/);

    // a phone the server refuses: its message at the field, nothing saved
    await page.getByTestId('org-edit').click();
    const dlg = page.getByTestId('org-dialog');
    await dlg.getByTestId('org-contact_phone').fill('电话');
    await dlg.getByTestId('org-save').click();
    await dlg.locator('.el-form-item', { has: page.getByTestId('org-contact_phone') }).locator('.el-form-item__error').waitFor();
    assert.equal((await apiGet(page, `/organisations/${orgId}`)).version, was.version);
    await dlg.getByTestId('org-contact_phone').fill(was.contact_phone || '');

    // the industry: saved with the version, shown on the page, kept after a reload
    await choose(page, dlg.getByTestId('org-industry'), '电子商务');
    await dlg.getByTestId('org-save').click();
    await dlg.waitFor({ state: 'hidden' });
    await page.getByTestId('profile-industry').getByText('电子商务').waitFor();
    await page.getByTestId('profile-change').waitFor();
    const now = await apiGet(page, `/organisations/${orgId}`);
    assert.equal(now.industry, 'ecommerce');
    assert.equal(now.version, was.version + 1);
    await page.reload();
    await page.getByTestId('profile-industry').getByText('电子商务').waitFor();
    await shot(page, 'e9-org-edited');

    // someone else changes the registration while the dialog is open: 409, shown as such; the
    // reload keeps the industry typed here and takes the other change
    await page.getByTestId('org-edit').click();
    await choose(page, dlg.getByTestId('org-industry'), '物流');
    const other = was.contact_name === '李建国' ? '赵立新' : '李建国';
    await apiSend(page, 'patch', `/organisations/${orgId}`, { version: now.version, contact_name: other });
    await dlg.getByTestId('org-save').click();
    await dlg.getByTestId('org-conflict').getByText('已被他人修改').waitFor();
    assert.equal((await apiGet(page, `/organisations/${orgId}`)).industry, 'ecommerce', 'nothing saved over the other change');
    await dlg.getByTestId('org-reload').click();
    await dlg.getByTestId('org-conflict').waitFor({ state: 'hidden' });
    assert.equal(await dlg.getByTestId('org-contact_name').inputValue(), other);
    await dlg.getByTestId('org-contact_name').fill(was.contact_name || '');
    await dlg.getByTestId('org-save').click();
    await dlg.waitFor({ state: 'hidden' });
    await page.getByTestId('profile-industry').getByText('物流').waitFor();
    const end = await apiGet(page, `/organisations/${orgId}`);
    assert.equal(end.industry, 'logistics');
    assert.equal(end.contact_name, was.contact_name);
    noProblems(page);
    await context.close();
  });

  test('a bank user is not offered 企业档案 on a consented need; the firm and an officer are, the officer may edit the registration, a viewer not', async () => {
    const admin = await openPage(browser);
    await login(admin.page, 'admin', ADMIN_PW);
    const abc = (await apiGet(admin.page, '/organisations?q=' + encodeURIComponent('中国农业银行北京平谷支行'))).items[0].id;
    const tag = String(Date.now() % 100000);
    await apiSend(admin.page, 'post', '/users', { username: `bank${tag}`, role: 'enterprise', organisation_id: abc, password: 'long-enough-pw-9' });
    const product = `档案贷${tag}`;
    await apiSend(admin.page, 'post', '/enterprise/bank-products', { bank_id: abc, name: product, min_wan: 881, max_wan: 883, rate_pct: 1.05, term_months: 36, conditions: 'true' });
    await admin.context.close();

    const firm = await openPage(browser);
    await login(firm.page, 'jd', DEMO_PW);
    const need = await apiSend(firm.page, 'post', '/enterprise/financing-needs', { amount_wan: 882, term_months: 12, purpose: `冷链车辆（e2e ${tag}）` });
    const m = need.matches.find((x) => x.product === product);
    assert.ok(m, 'the bank’s product matches the need');
    await apiSend(firm.page, 'post', `/enterprise/financing-matches/${m.id}/consent`, { version: m.version, consent: 'granted' });
    await firm.page.goto('/enterprise/finance');
    await openNeed(firm.page, need.id);
    await firm.page.getByTestId('need-profile').waitFor();
    await firm.context.close();

    const bank = await openPage(browser);
    await login(bank.page, `bank${tag}`, 'long-enough-pw-9');
    await bank.page.goto('/enterprise/finance');
    await openNeed(bank.page, need.id);
    await bank.page.getByTestId('need-matches').locator('tbody tr', { hasText: product }).waitFor();
    assert.equal(await bank.page.getByTestId('need-profile').count(), 0, 'no link to a profile the bank may not open');
    await shot(bank.page, 'e9-bank-need');
    noProblems(bank.page);
    await bank.context.close();

    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    await off.page.goto('/enterprise/finance');
    await openNeed(off.page, need.id);
    await off.page.getByTestId('need-profile').click();
    await off.page.waitForURL(/\/enterprise\/profiles\/\d+$/);
    await off.page.getByTestId('profile-title').getByText('京东').waitFor();
    await off.page.getByTestId('org-edit').waitFor(); // an officer may change the registration
    const firmId = off.page.url().match(/(\d+)$/)[1];
    await off.context.close();
    const viewer = await openPage(browser);
    await login(viewer.page, 'viewer', DEMO_PW);
    await viewer.page.goto(`/enterprise/profiles/${firmId}`);
    await viewer.page.getByTestId('profile-title').getByText('京东').waitFor();
    assert.equal(await viewer.page.getByTestId('org-edit').count(), 0, 'a viewer changes nothing');
    await viewer.context.close();
  });
});
