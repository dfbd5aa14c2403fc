// The review sweep in English: amounts and units in English words and brackets (agricultural
// output in billion yuan, indicator units, financing amounts with their currency), the district
// dashboard's cards each named apart with a capital letter, validation messages said once in
// plain words, the elder form's "Enter the name", an operator's own organisation by name, and
// the holiday calendar's legend marks within their swatches.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, ADMIN_PW, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

async function english(page, user, pw = DEMO_PW) {
  await login(page, user, pw);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
}
async function back(page, context) {
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  noProblems(page);
  await context.close();
}

describe('English sweep', () => {
  test('agricultural output in billion yuan; indicator units and brackets in English', async () => {
    const { context, page } = await openPage(browser);
    await english(page, 'officer');
    const out = await apiGet(page, '/agri/output');
    await page.goto('/agri/output');
    const latest = await page.getByTestId('output-latest').innerText();
    assert.match(latest, /^[\d.]+ billion yuan$/, latest);
    assert.doesNotMatch(latest, /100 M/);
    await page.locator('.el-table tbody tr').first().waitFor();
    const cells = await page.locator('.el-table tbody td:nth-child(2)').allInnerTexts();
    assert.equal(cells.filter((c) => /亿元/.test(c)).length, 0, 'no 亿元 in the output column');
    assert.ok(cells.some((c) => /billion yuan/.test(c)), 'the table in billion yuan');
    assert.ok(out.years.length > 0);

    await page.goto('/development/indicators');
    const table = page.getByTestId('ind-table');
    await table.locator('tbody tr').first().waitFor();
    const units = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
    assert.deepEqual(units.filter((u) => CJK.test(u)), [], 'units in Chinese');
    assert.ok(units.includes('100 M yuan'), units.join(','));
    await page.getByTestId('ind-open-gdp').click();
    await page.getByTestId('ind-info').waitFor();
    const h1 = await page.locator('h1').first().innerText();
    assert.match(h1, / \(100 M yuan\)$/, h1);
    const info = await page.getByTestId('ind-info').innerText();
    assert.doesNotMatch(info, /[（）]/, 'full-width brackets in English');
    await shot(page, 'en-indicator');

    await page.goto('/development/dashboard');
    await page.getByTestId('dash-figures').locator('.pj-fig').first().waitFor();
    const titles = await page.getByTestId('dash-figures').locator('.pj-fig-label').allInnerTexts();
    assert.ok(titles.length >= 10);
    assert.equal(new Set(titles).size, titles.length, `cards named alike: ${titles.join(' | ')}`);
    const lower = titles.filter((x) => !/^[A-Z]/.test(x));
    assert.deepEqual(lower, [], 'card titles starting lower case');
    await page.getByTestId('trend-indicator').click();
    await page.locator('.el-select-dropdown__item:visible').first().waitFor();
    const opts = await page.locator('.el-select-dropdown__item:visible').allInnerTexts();
    // the unit in English brackets after the name (the seeded indicators named in English)
    assert.ok(opts.length > 0 && opts.every((o) => !/）$/.test(o.trim())), `selector options: ${opts.slice(0, 3)}`);
    assert.ok(opts.some((o) => / \(100 M yuan\)$/.test(o.trim())), `selector options: ${opts.slice(0, 3)}`);
    await page.keyboard.press('Escape');
    await shot(page, 'en-district-dashboard');
    await back(page, context);
  });

  test('financing amounts carry their currency; the calendar legend marks fit their swatches', async () => {
    const { context, page } = await openPage(browser);
    await english(page, 'officer');
    await page.goto('/enterprise/finance');
    const rows = page.getByTestId('need-table').locator('tbody tr');
    await rows.first().waitFor();
    const cells = await page.getByTestId('need-table').locator('tbody td').allInnerTexts();
    const amounts = cells.filter((c) => /^\d{1,3}(,\d{3})+$|million|billion|yuan/.test(c.trim()));
    assert.ok(amounts.length > 0, 'amounts in the needs table');
    assert.ok(amounts.every((a) => / yuan$/.test(a.trim())), `amounts without a currency: ${amounts.slice(0, 3)}`);
    await shot(page, 'en-finance');
    await page.goto('/enterprise/calendar');
    const sw = page.locator('.pj-legend .pj-swatch.workday');
    await sw.waitFor();
    assert.equal(await sw.innerText(), 'Work');
    const fit = await page.locator('.pj-legend .pj-swatch').evaluateAll((els) => els.every((e) => e.scrollWidth <= e.clientWidth + 1));
    assert.ok(fit, 'a legend mark overflows its swatch');
    await shot(page, 'en-calendar');
    await back(page, context);
  });

  test('validation: an empty required field and a short user name said once in plain words', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await english(page, 'admin', ADMIN_PW);
    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dlg = page.getByRole('dialog', { name: 'New user' });
    await dlg.locator('input[name="new-username"]').fill('ab');
    await dlg.locator('input[name="new-password"]').fill('a-long-enough-password');
    await dlg.getByTestId('user-role').click();
    await page.getByRole('option', { name: 'Viewer', exact: true }).click();
    await dlg.getByTestId('user-save').click();
    const err = dlg.locator('.el-form-item__error');
    await err.first().waitFor();
    const text = (await err.first().innerText()).trim();
    assert.doesNotMatch(text, /Out of range/, text);
    assert.match(text, /at least 3 characters/, text);
    await dlg.getByRole('button', { name: 'Cancel' }).click();

    // adding stock without a facility: "Facility is required", not "Required: Facility is required"
    await page.goto('/stock');
    await page.getByTestId('stock-add').click();
    await page.getByTestId('stock-save').click();
    const stockErr = page.locator('.el-dialog .el-form-item__error, .el-dialog .el-alert__title').first();
    await stockErr.waitFor();
    const said = (await stockErr.innerText()).trim();
    assert.doesNotMatch(said, /^Required:/, said);
    assert.match(said, /^[A-Z].* is required$/, said);
    await page.keyboard.press('Escape');

    // the new elder form: "Enter the name", not "Enter the Name"
    await page.goto('/elders/new');
    await page.getByTestId('save-elder').click();
    await page.locator('.el-form-item__error').first().waitFor();
    const errs = await page.locator('.el-form-item__error').allInnerTexts();
    assert.ok(errs.includes('Enter the name'), errs.join(' | '));
    assert.ok(errs.includes('Enter the birth date'), errs.join(' | '));
    assert.deepEqual(errs.filter((e) => /Enter the [A-Z][a-z]/.test(e)), [], 'a capitalised label inside a sentence');
    await back(page, context);
  });

  test('an operator editing their facility sees their organisation by name', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'wanda', DEMO_PW, { land: false });
    const own = (await apiGet(page, '/facilities?limit=50')).items.find((f) => f.operator_id);
    assert.ok(own, 'wanda has a facility with an operator');
    const org = await apiGet(page, `/organisations/${own.operator_id}`);
    await page.goto(`/facilities/${own.id}/edit`);
    const item = page.locator('.el-form-item', { hasText: '运营单位' }).first();
    await item.locator('.el-select').waitFor();
    await item.getByText(org.name).waitFor();
    assert.doesNotMatch(await item.innerText(), /#\d+/);
    noProblems(page);
    await context.close();
  });
});
