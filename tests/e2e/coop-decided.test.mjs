// A contact request decided meanwhile (in another tab, or by a colleague of the firm) while the
// cooperation board shows it pending: 接受 was refused with 409 wrong_state, the error shown and
// the row left pending with its buttons, so every retry was refused the same way. Now the
// requests are loaded again, the message says someone else changed it, and the row shows its
// state without the buttons.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

test('a contact request declined meanwhile: accepting it reloads the requests and says so', async () => {
  const jd = await openPage(browser);
  const page = jd.page;
  await login(page, 'jd', DEMO_PW, { land: false });
  const org = (await apiGet(page, '/auth/me')).organisation_id;
  const title = `合作测试 ${Date.now()}`;
  const made = await page.request.post('/api/v1/enterprise/coop-posts', { data: { kind: 'offer', category: 'supply', title, body: '' } });
  assert.equal(made.status(), 201, await made.text());
  const post = await made.json();
  // another firm asks for contact, entered by the district officer
  const off = await openPage(browser);
  await login(off.page, 'officer', DEMO_PW);
  const orgs = (await apiGet(off.page, '/organisations?type=enterprise&limit=20')).items;
  const other = orgs.find((o) => o.id !== org);
  assert.ok(other, 'another enterprise');
  const asked = await off.page.request.post(`/api/v1/enterprise/coop-posts/${post.id}/contacts`, { data: { message: '求联系', organisation_id: other.id } });
  assert.equal(asked.status(), 201, await asked.text());
  const contact = await asked.json();
  await off.context.close();

  await page.goto('/enterprise/cooperation');
  const row = page.getByTestId('coop-contacts').locator('tr', { hasText: title });
  await row.getByTestId('coop-accept').waitFor();
  // declined in another tab
  const other_tab = await page.request.post(`/api/v1/enterprise/coop-contacts/${contact.id}/respond`, { data: { version: contact.version, decision: 'decline' } });
  assert.equal(other_tab.status(), 200, await other_tab.text());
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/enterprise/coop-contacts/${contact.id}/respond`));
  const reload = page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/enterprise/coop-contacts');
  await row.getByTestId('coop-accept').click();
  assert.equal((await refused).status(), 409);
  await reload;
  await page.locator('.el-message').getByText('该记录已被他人修改').waitFor();
  await row.getByText('已拒绝').waitFor();
  assert.equal(await row.getByTestId('coop-accept').count(), 0, 'no buttons on a decided request');
  await shot(page, 'coop-decided-meanwhile');
  noProblems(page);
  await jd.context.close();
});
