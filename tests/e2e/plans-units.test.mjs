// A supply store's or a transport hub's plan counts the role's own units (m³, vehicles per hour),
// not people: the form plans no supplies (a ration per person and day) and no people needing
// medical care for it, and says why. The helpers of web/src/utils/plans.js behind it are checked
// first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, DEMO_PW } from './lib.mjs';
import { emptyForm, housesPeople, scenarioBody } from '../../web/src/utils/plans.js';

const LAPTOP = { width: 1366, height: 900 };
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const input = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

describe('plans of roles that house no one: helpers', () => {
  test('no supplies or vulnerable people sent', () => {
    assert.ok(housesPeople('resettlement') && housesPeople('isolation') && housesPeople('medical'));
    assert.ok(!housesPeople('supply_store') && !housesPeople('transport_hub'));
    const f = { ...emptyForm(), township_ids: [303], supplyDays: 3 };
    const people = scenarioBody(f);
    assert.deepEqual(people.supplies, { days: 3 });
    assert.equal(people.vulnerable, true);
    for (const role of ['supply_store', 'transport_hub']) {
      const b = scenarioBody({ ...f, role });
      assert.equal(b.supplies, undefined, role);
      assert.equal(b.vulnerable, false, role);
    }
  });
});

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('plans of roles that house no one', { timeout: 240000 }, () => {
  test('the form plans no supplies for a supply store or a hub, and says why', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    await page.goto('/plans/new');
    await page.getByRole('heading', { name: '新建方案' }).waitFor();
    const days = input(page, 'plan-supply-days');
    assert.ok(!(await days.isDisabled()), 'a resettlement plan plans supplies');
    await page.getByTestId('plan-vulnerable-by').waitFor();
    await page.getByTestId('plan-role').click();
    await page.getByRole('option', { name: '物资储备', exact: true }).click();
    await page.getByTestId('plan-no-supplies-note').getByText('物资储备方案按本角色自身单位计，不是人数：不计划人均物资').waitFor();
    await page.getByTestId('plan-units-note').waitFor();
    assert.ok(await days.isDisabled(), 'no supplies for a supply store plan');
    assert.equal(await page.getByTestId('plan-vulnerable-by').count(), 0, 'no people needing medical care either');
    await shot(page, 'pu-form-store');
    await page.getByTestId('plan-role').click();
    await page.getByRole('option', { name: '安置', exact: true }).click();
    await page.getByTestId('plan-vulnerable-by').waitFor();
    assert.ok(!(await days.isDisabled()));
    assert.equal(await page.getByTestId('plan-no-supplies-note').count(), 0);
    noProblems(page);
    await context.close();
  });
});
