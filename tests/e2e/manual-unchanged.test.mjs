// The manual editor opened on the newest version and left as it was saves nothing: each click of
// 保存为新版本 made another version, identical (v2, v3 …), and drills run the newest. The button
// waits for a change (and says so); a change undone is no change. An older version opened is
// saved as it is, brought back as the newest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, ownServer, ownApi, budget } from './lib.mjs';

let browser, srv;
before(async () => {
  srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '200' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});
const api = (page, method, p, data) => ownApi(srv, page, method, p, data);

test('an unchanged newest manual is not saved again; a change is; an older version is brought back', { timeout: budget(150000) }, async () => {
  const { context, page } = await openPage(browser, undefined, { baseURL: srv.base });
  await login(page, 'wanda', srv.demoPw);
  const facility = (await api(page, 'get', '/auth/me')).facility_id;
  const versions = async (m) => (await api(page, 'get', `/manuals?facility_id=${facility}&scenario=${m.scenario}&limit=100`)).items.length;
  const m = (await api(page, 'get', `/manuals?facility_id=${facility}&limit=1`)).items[0];
  assert.ok(m, "the hotel's manual");
  const before = await versions(m);

  await page.goto(`/manuals/${m.id}`);
  await page.getByTestId('edit-manual').click();
  const save = page.getByTestId('save-version');
  await save.waitFor();
  assert.ok(await save.isDisabled(), 'nothing changed: nothing to save');
  await page.getByTestId('editor-unchanged').getByText('尚未修改：改动后可保存为新版本').waitFor();
  const title = page.getByTestId('edit-title');
  const was = await title.inputValue();
  await title.fill(was + '（修订）');
  assert.ok(await save.isEnabled(), 'a change may be saved');
  await page.getByTestId('editor-unchanged').waitFor({ state: 'detached' });
  // undone, it is no change again
  await title.fill(was);
  await page.getByTestId('editor-unchanged').waitFor();
  assert.ok(await save.isDisabled());
  assert.equal(await versions(m), before, 'nothing saved');
  // changed and saved: one version more
  await title.fill(was + '（修订）');
  await save.click();
  await page.waitForURL((u) => !u.pathname.endsWith(`/manuals/${m.id}`));
  await page.getByRole('heading', { name: was + '（修订）' }).waitFor();
  assert.equal(await versions(m), before + 1);

  // the older version opened: saved as it is, the newest again
  await page.goto(`/manuals/${m.id}`);
  await page.getByTestId('edit-manual').click();
  await save.waitFor();
  assert.ok(await save.isEnabled(), 'an older version may be brought back unchanged');
  assert.equal(await page.getByTestId('editor-unchanged').count(), 0);
  await save.click();
  await page.getByRole('heading', { name: was, exact: true }).waitFor();
  assert.equal(await versions(m), before + 2);
  assert.deepEqual(page.problems, []);
  await context.close();
});
