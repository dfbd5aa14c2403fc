// Lowering a site's capacity below the people an adopted plan placed there asks, in the facility
// edit form, for the same confirmation with a reason as restoring the site: the dialog names the
// people and the plan, cancelling saves nothing, confirming with a reason saves. The cockpit of a
// conversion an adopted plan started links its 按方案启动 tag to the plan, and the facility page
// lists the plans with a site there.
// Real data: the plan is solved and adopted through the API; its conversions are aborted and the
// capacity put back at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, solvedPlan, DEMO_PW, budget } from './lib.mjs';

let browser;
let cleaner = null;
const started = [];
let putBack = null; // {id, role, capacity}

before(async () => {
  browser = await launch();
});
after(async () => {
  if (cleaner) {
    for (const id of started) {
      const c = await apiGet(cleaner, `/conversions/${id}`).catch(() => null);
      if (c && c.state === 'converting') await apiSend(cleaner, 'post', `/conversions/${id}/abort`, { reason: 'e2e: facility occupied test done', confirm: true });
    }
    if (putBack) {
      const f = await apiGet(cleaner, `/facilities/${putBack.id}`);
      const roles = f.emergency_roles.map((r) => (r.role === putBack.role ? { ...r, capacity: putBack.capacity } : r));
      await apiSend(cleaner, 'patch', `/facilities/${putBack.id}`, { version: f.version, emergency_roles: roles });
    }
    await cleaner.context().close();
  }
  await browser?.close();
});

test('facility edit below an adopted plan\'s people: confirmation with a reason; the cockpit links the plan', { timeout: budget(180000) }, async () => {
  const { page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  cleaner = page;
  const plan = await solvedPlan(page, 'e2e 设施能力低于安置人数');
  const adopted = await apiSend(page, 'post', `/plans/${plan.id}/adopt`, { version: plan.version, confirm: true });
  started.push(...adopted.conversions.map((c) => c.conversion_id));
  const site = [...plan.result.sites].sort((a, b) => b.used - a.used)[0];
  assert.ok(site.used > 1, 'a site with people');
  const conv = adopted.conversions.find((c) => c.facility_id === site.facility_id).conversion_id;
  const f = await apiGet(page, `/facilities/${site.facility_id}`);
  const i = f.emergency_roles.findIndex((r) => r.role === 'resettlement');
  assert.ok(i >= 0);
  putBack = { id: f.id, role: 'resettlement', capacity: f.emergency_roles[i].capacity };

  // the conversion names its plan; the cockpit's tag links to it
  assert.equal((await apiGet(page, `/conversions/${conv}`)).plan_id, plan.id);
  await page.goto(`/conversions/${conv}`);
  const link = page.getByTestId('from-plan-link');
  await link.getByText('按方案启动').waitFor();
  assert.equal(await link.getAttribute('href'), `/plans/${plan.id}`);
  // the plans of the site
  const mine = await apiGet(page, `/plans?facility_id=${f.id}`);
  assert.ok(mine.items.some((p) => p.id === plan.id));

  await page.goto(`/facilities/${f.id}/edit`);
  const cap = page.getByTestId('role-row-' + i).getByTestId('capacity-item').locator('input');
  await cap.waitFor();
  await cap.fill(String(site.used - 1));
  await page.locator('form').getByRole('button', { name: '保存', exact: true }).click();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  const said = await box.innerText();
  assert.match(said, new RegExp(`#${plan.id}`));
  assert.match(said, new RegExp(`${site.used} 人`));
  assert.match(said, /原因/);
  // cancelled: nothing saved, the form stays
  await box.getByRole('button', { name: '取消' }).click();
  await box.waitFor({ state: 'hidden' });
  assert.ok(page.url().endsWith('/edit'));
  assert.equal((await apiGet(page, `/facilities/${f.id}`)).version, f.version);
  // confirmed with a reason: saved
  await page.locator('form').getByRole('button', { name: '保存', exact: true }).click();
  await box.waitFor();
  await box.locator('textarea').fill('两层客房停电检修');
  await box.getByRole('button', { name: '保存' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/edit'));
  const now = await apiGet(page, `/facilities/${f.id}`);
  assert.equal(now.emergency_roles.find((r) => r.role === 'resettlement').capacity, site.used - 1);
  // the facility page lists the plans with a site there, linked
  const plans = page.getByTestId('facility-plans');
  await plans.getByText(`#${plan.id}`).waitFor();
  assert.equal(await plans.getByRole('link', { name: new RegExp(`#${plan.id}`) }).getAttribute('href'), `/plans/${plan.id}`);
  assert.deepEqual(page.problems, [], 'console errors');
});
