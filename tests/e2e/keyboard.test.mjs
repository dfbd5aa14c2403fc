// What a mouse click opens, the keyboard opens too: a studio booking (its first cell in the
// grid and its row in the bookings table: focusable, named by studio, time and who booked it,
// opened with Enter or Space, a visible focus ring), a cooperation post, a financing need and a
// policy's "why" for an eligible firm (each row has a button the Tab key reaches).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget, beijingToday, plusDays } from './lib.mjs';

const WINDOW = { width: 1400, height: 900 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** Presses Tab until the focused element is inside `container` (a CSS selector); its outerHTML. */
async function tabInto(page, container, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate((sel) => {
      const a = document.activeElement;
      return !!a && !!a.closest(sel) && a.matches('button, a, [tabindex="0"]');
    }, container);
    if (inside) return page.evaluate(() => document.activeElement.outerHTML);
  }
  assert.fail(`Tab never reaches a control in ${container}`);
}
const focused = (page) => page.evaluate(() => ({ name: document.activeElement.getAttribute('aria-label') || document.activeElement.textContent.trim(), outline: getComputedStyle(document.activeElement).outlineStyle }));

describe('keyboard', { timeout: budget(300000) }, () => {
  test('studios: a booking is focused with Tab in the grid and in the table, named, and opened with Enter or Space to cancel it', async () => {
    const { context, page } = await openPage(browser, WINDOW);
    await login(page, 'jd', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    const any = (await apiGet(page, `/ecommerce/bookings?organisation_id=${me.organisation_id}&limit=1`)).items[0];
    assert.ok(any, 'a booking of jd');
    const studio = (await apiGet(page, `/ecommerce/studios?base_id=${any.base_id}&limit=100`)).items.find((s) => s.id === any.studio_id);
    // a day of its own about three years ahead (10:00–11:00 Beijing time), whatever day the tests
    // run; the test may run again on the same database (the first free one from 1,100 days on)
    let day, res;
    for (let k = 0; k < 300; k++) {
      day = plusDays(beijingToday(), 1100 + k);
      res = await page.request.post('/api/v1/ecommerce/bookings', { data: { studio_id: studio.id, starts_at: `${day}T02:00:00Z`, ends_at: `${day}T03:00:00Z`, purpose: '键盘预约' } });
      if (res.status() !== 409) break;
    }
    assert.ok(res.ok(), await res.text());
    const made = await res.json();
    await page.goto(`/development/studios?base_id=${any.base_id}&day=${day}`);
    const grid = page.getByTestId('st-grid');
    const cell = grid.locator(`tr[data-studio="${studio.name}"] td[data-slot="10:00"]`);
    await grid.locator(`tr[data-studio="${studio.name}"] td.busy[data-slot="10:00"]`).waitFor();
    // the booked cells are the grid's stops: the booking's first cell, named
    assert.equal(await grid.locator('td[tabindex="0"]').count(), await grid.locator('td.start').count(), 'one stop per booking');
    assert.equal(await cell.getAttribute('role'), 'button');
    await page.getByTestId('st-purpose').focus();
    const html = await tabInto(page, '[data-testid=st-grid]');
    assert.match(html, /<td/, 'Tab goes from the form into the grid');
    await cell.focus();
    const f = await focused(page);
    assert.match(f.name, new RegExp(`${studio.name} 10:00–11:00`));
    assert.ok(made.organisation && f.name.includes(made.organisation), `${f.name}: names who booked`);
    assert.notEqual(f.outline, 'none', 'a focus ring');
    const box = page.locator('.el-message-box');
    await page.keyboard.press('Enter');
    await box.getByText('键盘预约', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await box.waitFor({ state: 'hidden' });
    // the bookings table: a Details button per row, named the same way
    const open = page.getByTestId('st-bookings').getByRole('button', { name: new RegExp(`${studio.name} 10:00–11:00`) });
    await open.focus();
    await page.keyboard.press('Space');
    await box.getByText('键盘预约', { exact: false }).waitFor();
    await shot(page, 'kbd-studio-booking');
    // Escape closed it above; the cell and Space cancel it now
    await page.keyboard.press('Escape');
    await box.waitFor({ state: 'hidden' });
    await cell.focus();
    await page.keyboard.press('Space');
    await box.getByRole('button', { name: '取消预约' }).focus();
    await page.keyboard.press('Enter');
    // asked again: Enter on its 取消预约 cancels (the first box may still be closing)
    const ask = page.locator('.el-message-box', { hasText: '取消这次预约？' });
    await ask.getByRole('button', { name: '取消预约' }).focus();
    await page.keyboard.press('Enter');
    await ask.waitFor({ state: 'hidden' });
    await grid.locator(`tr[data-studio="${studio.name}"] td[data-slot="10:00"]:not(.busy)`).waitFor();
    assert.equal((await apiGet(page, `/ecommerce/bookings/${made.id}`)).state, 'cancelled');
    noProblems(page);
    await context.close();
  });

  test('cooperation: Tab reaches each post of the table; Enter and Space open its counterparts', async () => {
    const { context, page } = await openPage(browser, WINDOW);
    await login(page, 'jd', DEMO_PW, { land: false });
    await page.goto('/enterprise/cooperation');
    const rows = page.getByTestId('coop-posts').locator('tbody tr');
    await rows.nth(1).waitFor();
    const [first, second] = [await rows.nth(0).getByTestId('coop-open').innerText(), await rows.nth(1).getByTestId('coop-open').innerText()];
    await page.getByRole('heading', { level: 1 }).first().click();
    await tabInto(page, '[data-testid=coop-posts] tbody');
    assert.equal((await focused(page)).name, first.trim());
    await page.keyboard.press('Enter');
    await page.getByTestId('coop-matches').getByText(`“${first.trim()}”`, { exact: false }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, second.trim());
    await page.keyboard.press('Space');
    await page.getByTestId('coop-matches').getByText(`“${second.trim()}”`, { exact: false }).waitFor();
    noProblems(page);
    await context.close();
  });

  test('financing needs: Tab reaches each need of the table; Enter opens its products', async () => {
    const { context, page } = await openPage(browser, WINDOW);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/enterprise/finance');
    const rows = page.getByTestId('need-table').locator('tbody tr');
    await rows.nth(1).waitFor();
    const second = (await rows.nth(1).locator('td').first().innerText()).trim();
    await page.getByRole('heading', { level: 1 }).first().click();
    await tabInto(page, '[data-testid=need-table] tbody');
    await page.keyboard.press('Tab');
    assert.match((await focused(page)).name, new RegExp(`#${second}`));
    await page.keyboard.press('Enter');
    await page.getByTestId('need-matches').getByText(`需求 #${second}（`, { exact: false }).waitFor();
    noProblems(page);
    await context.close();
  });

  test('policy: Tab reaches each eligible firm’s “why”; Enter explains that firm', async () => {
    const { context, page } = await openPage(browser, WINDOW);
    await login(page, 'officer', DEMO_PW, { land: false });
    const matches = (await apiGet(page, '/enterprise/policies/1/matches?limit=2')).items;
    assert.equal(matches.length, 2, 'two eligible firms');
    await page.goto('/enterprise/policies/1');
    await page.getByTestId('policy-matches').getByText(matches[1].name).waitFor();
    await page.getByRole('heading', { level: 1 }).first().click();
    await tabInto(page, '[data-testid=policy-matches] tbody');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, `看原因：${matches[1].name}`);
    await page.keyboard.press('Enter');
    await page.getByTestId('explain-org').getByText(matches[1].name).waitFor();
    noProblems(page);
    await context.close();
  });
});
