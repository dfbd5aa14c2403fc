// The foundation's pages as an operator meets them: the log-in form's refusal said once in
// English, the audit table's changes as a preview of whole lines with a count of the rest, the
// user list and the overview on a phone with nothing cut off.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, BASE, ADMIN_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const PHONE = { width: 390, height: 844 };

describe('foundation pages', () => {
  test('English log-in: a wrong password said once, within the form on a phone', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await page.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto('/login');
    await page.getByLabel(/User name/).fill('admin');
    await page.getByLabel(/^Password$/).fill('not-the-password');
    await page.getByRole('button', { name: /^Sign in$/ }).click();
    const alert = page.locator('.el-alert--error, .el-form-item__error').first();
    await alert.waitFor();
    const text = (await alert.innerText()).trim();
    assert.equal((text.match(/wrong user name or password/gi) || []).length, 1, text);
    const box = await alert.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width + 1, `the message fits the phone: ${JSON.stringify(box)}`);
    await shot(page, 'foundation-login-wrong-en-390');
    noProblems(page);
    await context.close();
  });

  test('audit: a change of many fields previews four of them and says how many more', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'admin', ADMIN_PW, { land: false });
    // a facility changed in six fields (and put back afterwards: other files use the demo's
    // facilities by name and place): its audit row holds them all
    const list = (await (await page.request.get(BASE + '/api/v1/facilities?limit=500')).json()).items;
    const any = list[list.length - 1];
    const keep = { name: any.name, address: any.address, peacetime_function: any.peacetime_function, peacetime_capacity: any.peacetime_capacity, lat: any.lat, lon: any.lon };
    const res = await page.request.patch(BASE + `/api/v1/facilities/${any.id}`, {
      data: { version: any.version, name: any.name + '（审计）', address: '平谷区审计路 1 号', peacetime_function: '审计测试', peacetime_capacity: (any.peacetime_capacity || 0) + 1, lat: 40.14, lon: 117.12 },
    });
    assert.equal(res.status(), 200, await res.text());
    const changed = await res.json();
    await page.goto(`/admin/audit?entity=facility&entity_id=${any.id}`);
    const more = page.getByTestId('audit-more').first();
    await more.waitFor();
    assert.match(await more.innerText(), /另有 \d+ 个字段/);
    // each shown value whole lines: no cell cut in the middle of a line
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('.pj-preview .pj-v')].filter((e) => e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).webkitLineClamp !== '2').length,
    );
    assert.equal(cut, 0);
    await shot(page, 'foundation-audit-preview');
    const back = await page.request.patch(BASE + `/api/v1/facilities/${any.id}`, { data: { version: changed.version, ...keep } });
    assert.equal(back.status(), 200, await back.text());
    noProblems(page);
    await context.close();
  });

  test('phone: the user list shows role, scope and status of each account without scrolling sideways', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/admin/users');
    const card = page.getByTestId('user-card').filter({ hasText: 'jinhaihu' });
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /乡镇干部|乡镇/, text);
    assert.match(text, /金海湖/, text);
    const table = page.getByTestId('user-table').locator('.el-table__body-wrapper .el-scrollbar__wrap').first();
    const wide = await table.evaluate((e) => e.scrollWidth - e.clientWidth);
    assert.ok(wide <= 1, `the table scrolls sideways by ${wide} px`);
    await shot(page, 'foundation-users-390');
    noProblems(page);
    await context.close();
  });

  test('phone, English: the overview figures are not cut off', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await page.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
    await login(page, 'officer', process.env.PJ_DEMO_PASSWORD);
    await page.locator('.pj-kpi').first().waitFor();
    await page.waitForFunction(() => ![...document.querySelectorAll('.pj-kpi-value')].some((e) => e.textContent.includes('…')));
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('.pj-kpi-value, .pj-kpi-label')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => e.textContent.trim()),
    );
    assert.deepEqual(cut, []);
    const tools = await page.locator('.pj-head-tools').boundingBox();
    assert.ok(tools.x + tools.width <= PHONE.width + 1, `the scenario switch and refresh fit: ${JSON.stringify(tools)}`);
    await shot(page, 'foundation-overview-en-390');
    noProblems(page);
    await context.close();
  });
});
