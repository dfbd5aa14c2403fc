// A record of the agri-tech and logistics registers entered by mistake is deleted from its table,
// asked first (the API deleted them; the console could not). One that others still refer to is
// refused and the box says by what, in Chinese (国农港项目 1 条), not the server's English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, ADMIN_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const stamp = () => String(Date.now() % 1e8);

test('agri-tech and logistics records are deleted from their tables, asked first; one still referred to is refused saying by what', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', ADMIN_PW, { land: false });
  const n = stamp();
  const lab = await apiSend(page, 'post', '/agri/labs', { name: `删除测试实验室${n}`, kind: 'other' });
  const project = await apiSend(page, 'post', '/agri/projects', { name: `删除测试项目${n}`, lab_id: lab.id });

  await page.goto('/agri');
  await page.getByRole('tab', { name: '实验室', exact: true }).click();
  const labRow = page.getByTestId('agri-labs').locator('tr', { hasText: lab.name });
  await labRow.waitFor();
  // still referred to by the project: refused, said in Chinese, nothing deleted
  await page.getByTestId('agri-labs').getByTestId(`agri-delete-${lab.id}`).click();
  let box = page.locator('.el-message-box', { hasText: lab.name });
  await box.getByRole('button', { name: '删除' }).click();
  const refused = page.locator('.el-message-box', { hasText: '仍被国农港项目 1 条引用' });
  await refused.waitFor();
  assert.doesNotMatch(await refused.innerText(), /referred|project/);
  await refused.getByRole('button', { name: /确定|OK/ }).click();
  assert.equal((await apiGet(page, `/agri/labs/${lab.id}`)).id, lab.id);

  // the project deleted (asked first: cancelling keeps it), then the lab
  await page.getByRole('tab', { name: '国农港项目', exact: true }).click();
  await page.getByTestId('agri-projects').getByTestId(`agri-delete-${project.id}`).click();
  box = page.locator('.el-message-box', { hasText: `删除国农港项目“${project.name}”？` });
  await box.getByRole('button', { name: '取消' }).click();
  await box.waitFor({ state: 'hidden' });
  assert.equal((await apiGet(page, `/agri/projects/${project.id}`)).id, project.id);
  await page.getByTestId('agri-projects').getByTestId(`agri-delete-${project.id}`).click();
  await page.locator('.el-message-box', { hasText: `删除国农港项目“${project.name}”？` }).getByRole('button', { name: '删除' }).click();
  await page.getByText(`已删除国农港项目“${project.name}”`).waitFor();
  await page.getByTestId('agri-projects').locator('tr', { hasText: project.name }).waitFor({ state: 'detached' });
  await page.getByRole('tab', { name: '实验室', exact: true }).click();
  await page.getByTestId('agri-labs').getByTestId(`agri-delete-${lab.id}`).click();
  await page.locator('.el-message-box', { hasText: `删除实验室“${lab.name}”？` }).getByRole('button', { name: '删除' }).click();
  await page.getByText(`已删除实验室“${lab.name}”`).waitFor();
  await labRow.waitFor({ state: 'detached' });
  const gone = await page.request.get(`/api/v1/agri/labs/${lab.id}`);
  assert.equal(gone.status(), 404);

  // a logistics park, in English, added through the form and so shown pinned atop the table: the
  // delete takes it off (it stayed shown, pinned)
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto('/logistics');
  await page.getByRole('tab', { name: 'Parks', exact: true }).click();
  await page.getByTestId('log-add-parks').click();
  const form = page.getByTestId('log-form-parks');
  await form.getByTestId('f-name').locator('input').fill(`删除测试园区${n}`);
  const made = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/logistics/parks'));
  await form.getByTestId('record-save').click();
  const park = await (await made).json();
  assert.equal(park.name, `删除测试园区${n}`);
  await page.getByTestId('log-parks').locator('tr', { hasText: park.name }).waitFor();
  await page.getByTestId('log-parks').getByTestId(`log-delete-${park.id}`).click();
  await page.locator('.el-message-box', { hasText: `Delete logistics park “${park.name}”?` }).getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('log-parks').locator('tr', { hasText: park.name }).waitFor({ state: 'detached' });
  assert.equal((await page.request.get(`/api/v1/logistics/parks/${park.id}`)).status(), 404);
  // the deletes are audited as deletes
  const audit = (await apiGet(page, `/audit?action=delete&limit=20`)).items.map((a) => `${a.entity}:${a.entity_id}`);
  for (const x of [`ag_lab:${lab.id}`, `ag_project:${project.id}`]) assert.ok(audit.includes(x), `${x} in ${audit}`);
  assert.deepEqual(page.problems, []);
  await context.close();
});
