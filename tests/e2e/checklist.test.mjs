// A checklist item checks its step's work: the cockpit offers to sign it only once the step is
// running or done, and says so on a pending step's items; the server refuses a pending step's
// item (409 step_not_started). A drill, so the facility stays in peacetime; aborted at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function apiPost(page, p, data) {
  const res = await page.request.post('/api/v1' + p, data === undefined ? {} : { data });
  if (!res.ok()) throw new Error(`POST ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}
/** A hotel in peacetime with an epidemic manual. */
async function epidemicHotel(page) {
  for (const h of (await apiGet(page, '/facilities?type=hotel&state=peacetime&limit=50')).items)
    if ((await apiGet(page, `/manuals?facility_id=${h.id}&scenario=epidemic&limit=1`)).items.length) return h;
  return null;
}
const stepRow = (page, code) => page.getByTestId('steps-convert').locator('tr', { has: page.getByTestId('step-' + code) });

describe('checklist signing', { timeout: budget(120000) }, () => {
  test('a pending step offers no signing and says why; once it runs its items are signed', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const hotel = await epidemicHotel(page);
    assert.ok(hotel, 'a hotel in peacetime with an epidemic manual');
    let conv = await apiPost(page, '/conversions', { facility_id: hotel.id, scenario: 'epidemic', mode: 'drill' });
    try {
      const convert = conv.steps.filter((s) => s.phase === 'convert');
      // a step with a checklist that waits for another (pending, cannot start yet)
      const waiting = convert.find((s) => s.checklist.length && s.predecessors.length);
      assert.ok(waiting, 'a step with a checklist and a predecessor');
      const item = waiting.checklist[0].item;

      // the server: 409 step_not_started at item, nothing signed
      const res = await page.request.post(`/api/v1/conversion-steps/${waiting.id}/sign`, { data: { item } });
      assert.equal(res.status(), 409);
      const body = await res.json();
      assert.equal(body.error.code, 'step_not_started');
      assert.equal(body.error.field, 'item');

      // the cockpit: no sign button on the pending step, the reason in its place
      await page.goto(`/conversions/${conv.id}`);
      await page.getByTestId('conv-state').getByText('演练中').waitFor();
      const row = stepRow(page, waiting.code);
      await row.getByTestId('item-waits-' + waiting.code).first().getByText('步骤开始后可签字').waitFor();
      assert.equal(await row.getByTestId('sign-' + waiting.code).count(), 0, 'no signing before the step starts');

      // its predecessors done (API), the step started from the cockpit: the items can be signed
      for (const code of waiting.predecessors) {
        const p = convert.find((s) => s.code === code);
        await apiPost(page, `/conversion-steps/${p.id}/start`);
        for (const c of p.checklist) await apiPost(page, `/conversion-steps/${p.id}/sign`, { item: c.item });
        await apiPost(page, `/conversion-steps/${p.id}/finish`);
      }
      await page.reload();
      await row.getByTestId('start-' + waiting.code).click();
      await row.locator('[data-status="running"]').waitFor();
      assert.equal(await row.getByTestId('item-waits-' + waiting.code).count(), 0, 'no reason once it runs');
      await row.locator('li', { hasText: item }).getByTestId('sign-' + waiting.code).click();
      await row.locator('li.signed', { hasText: item }).waitFor();
      conv = await apiGet(page, `/conversions/${conv.id}`);
      assert.ok(conv.steps.find((s) => s.id === waiting.id).checklist.find((c) => c.item === item).signed_by);
      assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    } finally {
      await page.request.post(`/api/v1/conversions/${conv.id}/abort`, { data: { reason: 'e2e: checklist test done' } });
      await context.close();
    }
  });
});
