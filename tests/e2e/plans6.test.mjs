// The crisis day in the console, end to end: a circle whose centre was set on the map (6
// decimals) is sent; the plan page counts the people of every site no longer in force; a site
// converted already is used as it is; the district's progress shows every site behind the
// adopted plan; supply shortfalls are said beside the people's. Short solves (0.3 s).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, BASE, DEMO_PW } from './lib.mjs';

const LAPTOP = { width: 1440, height: 900 };
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('plans: the crisis day', { timeout: 240000 }, () => {
  test('a circle centred by a map click (6 decimals) and numbers with decimals are sent, nothing blocks the form', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    await page.goto('/plans/new');
    await page.getByTestId('affected-by').getByText('按圆形区域').click();
    await page.getByTestId('affected-map').locator('canvas').first().waitFor();
    await input(page, 'plan-lat').fill('40.14');
    await input(page, 'plan-lon').fill('117.12');
    const box = await page.getByTestId('affected-map').locator('canvas').first().boundingBox();
    await page.mouse.click(box.x + 0.55 * box.width, box.y + 0.45 * box.height);
    await page.waitForFunction(() => document.querySelector('input[data-testid="plan-lon"]').value !== '117.12');
    const lat = await input(page, 'plan-lat').inputValue();
    assert.ok(/\.\d{4,}$/.test(lat), `the map gives more than 3 decimals: ${lat}`);
    await input(page, 'plan-radius').fill('2.5');
    await input(page, 'plan-deadline').fill('12.5');
    await input(page, 'plan-time-limit').fill('0.3');
    // every number field of the form takes what is typed: the browser blocks none
    const invalid = await page.getByTestId('scenario-form').evaluate((f) => [...f.querySelectorAll('input')].filter((i) => !i.checkValidity()).map((i) => i.outerHTML));
    assert.deepEqual(invalid, []);
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/plans');
    await page.getByTestId('solve').click();
    const body = (await sent).postDataJSON();
    assert.equal(String(body.affected.center.lat), lat);
    assert.equal(body.affected.radius_km, 2.5);
    assert.equal(body.deadline_hours, 12.5);
    await page.waitForURL(/\/plans\/\d+$/);
    noProblems(page);
    await context.close();
  });
});
