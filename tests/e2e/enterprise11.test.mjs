// The enterprise-service pages, eleventh round. 企业档案: a firm reads its credit rating,
// high-tech and 专精特新 standings (certified by the district or township) and cannot change them
// (its form offered them, and the firm qualified at once for the policies asking for them); it
// still corrects the figures it reports; the officers' form offers them.
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
const LAPTOP = { width: 1366, height: 768 };
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}

describe('enterprise services (11)', { timeout: budget(240000) }, () => {
  test('企业档案: the firm reads its certified standings, officers change them', async () => {
    const jd = await openPage(browser, LAPTOP);
    await login(jd.page, 'jd', DEMO_PW);
    const org = (await apiGet(jd.page, '/auth/me')).organisation_id;
    const prof = await apiGet(jd.page, `/enterprise/profiles/${org}`);
    await jd.page.goto('/enterprise/profile');
    await jd.page.getByTestId('profile-form').waitFor();
    // its reported figures are inputs, the certified ones text, with the note
    await jd.page.getByTestId('profile-employees').locator('input').waitFor();
    for (const k of ['credit', 'high_tech', 'specialized']) {
      const el = jd.page.getByTestId('profile-' + k);
      await el.waitFor();
      assert.equal(await el.locator('input').count(), 0, `${k} is not offered to the firm`);
    }
    assert.equal(await jd.page.getByTestId('profile-credit').innerText(), prof.credit ?? '未填写');
    await jd.page.getByTestId('profile-certified-note').getByText('信用等级、高新技术企业、专精特新由区或街乡镇主管部门认定').waitFor();
    await shot(jd.page, 'e11-profile-certified-readonly');
    // a figure it reports still saves (the certified ones are not sent)
    const saved = jd.page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/enterprise/profiles/${org}`));
    const emp = jd.page.getByTestId('profile-employees').locator('input');
    await emp.fill(String(prof.employees + 1));
    await emp.press('Tab');
    await jd.page.getByTestId('profile-save').click();
    const res = await saved;
    assert.equal(res.status(), 200);
    assert.deepEqual(Object.keys(JSON.parse(res.request().postData())).sort(), ['employees', 'version']);
    // the refusal of a change, as the API says it
    const now = await apiGet(jd.page, `/enterprise/profiles/${org}`);
    const refused = await jd.page.request.fetch(`/api/v1/enterprise/profiles/${org}`, { method: 'PATCH', data: { version: now.version, high_tech: !now.high_tech } });
    assert.equal(refused.status(), 403);
    assert.equal((await refused.json()).error.field, 'high_tech');
    await call(jd.page, 'PATCH', `/enterprise/profiles/${org}`, { version: now.version, employees: prof.employees });
    noProblems(jd.page);
    await jd.context.close();
    // the district's officer is offered them
    const off = await openPage(browser, LAPTOP);
    await login(off.page, 'officer', DEMO_PW);
    await off.page.goto(`/enterprise/profiles/${org}`);
    await off.page.getByTestId('profile-form').waitFor();
    for (const k of ['credit', 'high_tech', 'specialized']) await off.page.getByTestId('profile-' + k).locator('input').waitFor();
    assert.equal(await off.page.getByTestId('profile-certified-note').count(), 0);
    noProblems(off.page);
    await off.context.close();
  });
});
