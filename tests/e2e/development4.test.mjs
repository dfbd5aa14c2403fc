// Errors in Chinese keep their numbers and dates (a tenancy larger than the warehouse has left;
// a date in the future), date pickers refuse future days where the server would; the carbon
// page shows each year the server lists with its energy source or that it is not comparable; a 429 at log-in says how long to wait, once; an error without a known code
// shows the server's words, never "错误代码 undefined".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const item = (dlg, key) => dlg.getByTestId('f-' + key);

describe('errors, dates and carbon', { timeout: budget(120000) }, () => {
  test('a tenancy larger than the warehouse has left: the Chinese message gives the numbers', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const tenancy = (await apiGet(page, '/logistics/tenants?limit=1')).items[0];
    await page.goto('/logistics');
    await page.getByRole('tab', { name: '入驻企业' }).click();
    await page.getByTestId('log-tenants').getByTestId('log-edit-' + tenancy.id).click();
    const dlg = page.getByTestId('log-form-tenants');
    const input = item(dlg, 'area_m2').locator('input').first();
    await input.fill('99000000');
    await input.press('Tab');
    const res = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/logistics/tenants/'));
    await dlg.getByTestId('record-save').click();
    const body = await (await res).json();
    assert.equal(body.error.code, 'out_of_range');
    const left = body.error.message.match(/\(([\d.,]+) m² left\)/)[1];
    const err = item(dlg, 'area_m2').locator('.el-form-item__error');
    await err.getByText(`剩余 ${left} 平方米`).waitFor();
    assert.match(await err.innerText(), /^99000000 平方米超出仓库剩余面积：仓库共 [\d.,]+ 平方米，同期已出租 [\d.,]+ 平方米，剩余/);
    await shot(page, '60-error-area-left');
    noProblems(page);
    await context.close();
  });

  test('a warehouse opened in the future: the date picker refuses it; the server\'s refusal says the date in Chinese', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const w = (await apiGet(page, '/logistics/warehouses?limit=500')).items.find((x) => x.status === 'operating');
    // the picker: tomorrow (Beijing) is disabled
    await page.goto('/logistics/warehouses');
    await page.getByTestId('wh-edit-' + w.id).click();
    const dlg = page.getByTestId('wh-form');
    // the panel shows today (Beijing), typed in: emptied, it would open on the old date's month
    // (2019), and its days say nothing of today. The context's time zone is London's, so from
    // 00:00 to 08:00 (winter) the browser's date is a day behind Beijing's: a day is disabled
    // exactly when it is after today in Beijing (the server's "today"), whatever the browser's date.
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const dateInput = item(dlg, 'opened').locator('input').first();
    await dateInput.fill(today);
    await dateInput.press('Enter');
    await dateInput.click();
    const panel = page.locator('.el-picker-panel:visible').last();
    const label = panel.locator('.el-date-picker__header-label');
    const readPanel = async (want) => {
      // the header says the month shown: "2026 年" "11 月"
      await label.filter({ hasText: new RegExp(`^${Number(want.slice(5, 7))} 月$`) }).waitFor();
      const [y, m] = (await label.allInnerTexts()).map((t) => Number(t.replace(/\D/g, '')));
      const month = `${y}-${String(m).padStart(2, '0')}`;
      assert.equal(month, want, 'the month shown');
      const cells = await panel.locator('td').evaluateAll((tds) =>
        tds.filter((td) => !td.classList.contains('prev-month') && !td.classList.contains('next-month') && /^\d+$/.test(td.innerText.trim())).map((td) => ({ day: Number(td.innerText.trim()), disabled: td.classList.contains('disabled') })),
      );
      assert.ok(cells.length >= 28, `the days of ${month}`);
      for (const c of cells) {
        const date = `${month}-${String(c.day).padStart(2, '0')}`;
        assert.equal(c.disabled, date > today, `${date} ${date > today ? 'is after' : 'is not after'} today (Beijing, ${today})`);
      }
      return { month, cells };
    };
    let shown = await readPanel(today.slice(0, 7));
    const cell = shown.cells.find((c) => c.day === Number(today.slice(8, 10)));
    assert.ok(cell, 'today (Beijing) in the panel');
    assert.equal(cell.disabled, false, 'today may be picked');
    // the month after: every day of it is disabled (tomorrow among them at a month's end)
    await panel.getByRole('button', { name: '下个月' }).click();
    shown = await readPanel(new Date(Date.parse(today.slice(0, 8) + '28') + 7 * 86400e3).toISOString().slice(0, 7));
    assert.ok(shown.cells.every((c) => c.disabled), 'the days of next month are disabled');
    await page.keyboard.press('Escape');
    // the server's answer to a future date (as src/domain/logistics.c words it), shown with its dates
    const tomorrow = new Date(Date.parse(today) + 86400e3).toISOString().slice(0, 10);
    await page.route(`**/api/v1/logistics/warehouses/${w.id}`, (r) =>
      r.request().method() === 'PATCH'
        ? r.fulfill({ status: 422, json: { error: { code: 'invalid_value', field: 'opened', message: `opened ${tomorrow} is in the future: the warehouse is operating (today is ${today})`, request_id: 'e2e' } } })
        : r.continue(),
    );
    // a change, so that the form sends its PATCH (answered above, nothing written)
    const nameInput = item(dlg, 'name').locator('input').first();
    await nameInput.fill(w.name + '（改）');
    await nameInput.press('Tab');
    await dlg.getByTestId('record-save').click();
    await item(dlg, 'opened').locator('.el-form-item__error').getByText(`${tomorrow} 晚于今天（${today}），不能是将来的日期`).waitFor();
    noProblems(page);
    await context.close();
  });

  test('carbon: each year with its energy source; a year whose sources differ shown as not comparable, one whose data give no intensity as not computable, with the reason in Chinese', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const real = await apiGet(page, '/carbon/intensity?year=2023');
    // the years listed as the server lists them: 2022 as a year whose sources differ, 2021 as
    // one from recorded use, 2023 as it is, 2024 as one whose GDP was typed as 0
    await page.route('**/api/v1/carbon/intensity/years', (r) =>
      r.fulfill({
        json: {
          region: '平谷区',
          items: [
            { ...real, comparable: true, year: 2021, energy_from: 'sum of energy use', energy_tce: 2500, previous_energy_tce: 2600 },
            { region: '平谷区', year: 2022, comparable: false, energy_source: 'indicator', previous_energy_source: 'use', needs_energy_consumption: 2021 },
            { ...real, comparable: true },
            { region: '平谷区', year: 2024, comparable: false, reason: 'undefined', value: { code: 'gdp', year: 2024, value: 0, value_id: 93 }, message: 'gdp of 平谷区 for 2024 is 0 (value 93): energy per GDP is undefined for a GDP of 0 or below' },
          ],
        },
      }),
    );
    await page.goto('/development/carbon');
    const years = page.getByTestId('intensity-years');
    const row = (y) => years.locator('.el-table__body-wrapper tr', { hasText: String(y) }).first();
    await row(2023).getByTestId('energy-source').getByText('能源消费总量（统计指标）').waitFor();
    await row(2021).getByTestId('energy-source').getByText('登记用能记录合计').waitFor();
    await row(2022).getByTestId('not-comparable').getByText('不可比较').waitFor();
    await row(2022).getByTestId('not-comparable-why').getByText('2022 年与 2021 年的能耗来源不同（2022 年：只有能源消费总量指标；2021 年：只有登记的用能记录），录入 2021 年的能源消费总量后才能比较').waitFor();
    // data that give no intensity (GDP typed as 0): not computable, naming the value to correct
    await row(2024).getByTestId('not-comparable').getByText('无法计算').waitFor();
    await row(2024).getByTestId('not-comparable-why').getByText('2024 年地区生产总值录入为 0（数值 #93）：GDP 为 0 或负数时无法计算单位 GDP 能耗，请在指标数据中更正或删除该数值').waitFor();
    await shot(page, '61-carbon-sources');
    noProblems(page);
    await context.close();
  });

  test('log-in 429: one sentence with the seconds to wait, in Chinese and in English', async () => {
    const { context, page } = await openPage(browser);
    const answer = { error: { code: 'too_many_requests', field: '', message: 'too many log-in attempts from this address; try again in 7 s', request_id: 'e2e' } };
    await page.route('**/api/v1/auth/login', (r) => r.fulfill({ status: 429, headers: { 'Retry-After': '7' }, json: answer }));
    await page.goto('/login');
    await page.getByLabel(/用户名/).fill('officer');
    await page.getByLabel(/^密码$/).fill('x');
    await page.getByRole('button', { name: /^登录$/ }).click();
    // one sentence (and the request id): nothing said twice
    const zh = page.locator('.el-alert', { hasText: '登录尝试过于频繁' });
    assert.match(await zh.innerText(), /^登录尝试过于频繁，请 7 秒后再试( \(e2e\))?$/);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    await page.getByLabel(/User name/).fill('officer');
    await page.getByLabel(/^Password$/).fill('x');
    await page.getByRole('button', { name: /^Sign in$/ }).click();
    const en = page.locator('.el-alert', { hasText: 'Too many log-in attempts' });
    assert.match(await en.innerText(), /^Too many log-in attempts; try again in 7 s( \(e2e\))?$/);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });

  test('a report 429 says the user\'s reports are busy, not log-ins', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const answer = { error: { code: 'too_many_requests', field: '', message: 'you have 2 reports waiting or running; ask again once one is answered (try again in 2 s)', request_id: 'e2e' } };
    await page.route('**/api/v1/eldercare/vulnerable?*format=csv*', (r) => r.fulfill({ status: 429, headers: { 'Retry-After': '2' }, json: answer }));
    await page.goto('/eldercare/vulnerable');
    await page.getByTestId('vulnerable-csv').click();
    const zh = page.locator('.el-alert', { hasText: '您已有报表或导出在生成' });
    assert.match(await zh.innerText(), /^您已有报表或导出在生成，请 2 秒后再试( \(e2e\))?$/);
    assert.equal(await page.locator('.el-alert', { hasText: '登录' }).count(), 0);
    noProblems(page);
    await context.close();
  });

  test('an error without a code the console knows: the server\'s message, never "错误代码 undefined"', async () => {
    const { context, page } = await openPage(browser);
    await page.route('**/api/v1/auth/login', (r) => r.fulfill({ status: 422, json: { error: { message: 'gdp has no value for 平谷区 1990', field: null } } }));
    await page.goto('/login');
    await page.getByLabel(/用户名/).fill('officer');
    await page.getByLabel(/^密码$/).fill('x');
    await page.getByRole('button', { name: /^登录$/ }).click();
    await page.getByText('操作未成功：gdp has no value for 平谷区 1990').waitFor();
    assert.equal(await page.getByText('undefined').count(), 0);
    noProblems(page);
    await context.close();
  });
});
