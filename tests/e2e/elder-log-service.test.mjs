// An elder's page has 登记服务: the quick entry opens with that elder chosen (the list narrowed
// to their name, their paired helper filled in), ready for the kind and the times. A grid worker
// at the elder's page had to go to the quick entry and find the elder again among namesakes. An
// elder who moved away or died has no such button.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, ownServer, ownApi, budget } from './lib.mjs';

// a server of its own: an elder is recorded deceased
let browser, srv;
before(async () => {
  srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '300' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});
const api = (page, method, p, data) => ownApi(srv, page, method, p, data);
const apiGet = (page, p) => api(page, 'get', p);

test("an elder's page logs a service through the quick entry with the elder chosen", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, undefined, { baseURL: srv.base });
  await login(page, 'grid01', srv.demoPw, { land: false });
  const active = (await apiGet(page, '/elders?status=active&limit=200')).items;
  assert.ok(active.length > 1);
  // one with a paired helper, and namesakes or not: the card chosen is this one
  const e = active.find((x) => x.paired_helper) || active[0];
  await page.goto(`/elders/${e.id}`);
  await page.getByRole('heading', { name: e.name }).waitFor();
  await page.getByTestId('log-service').click();
  await page.waitForURL(new RegExp(`/service-entry\\?elder=${e.id}$`));
  await page.getByTestId('entry-elder').getByText(e.name, { exact: true }).waitFor();
  const card = page.getByTestId('entry-elders').locator(`[data-elder="${e.id}"]`);
  await card.waitFor();
  assert.equal(await card.getAttribute('aria-checked'), 'true');
  assert.equal(await page.getByTestId('entry-search').inputValue(), e.name);
  // the list is the elder's namesakes (the API's answer to the name)
  const namesakes = (await apiGet(page, `/elders?status=active&limit=200&q=${encodeURIComponent(e.name)}`)).items.length;
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="entry-elders"] [data-elder]').length === n, namesakes);
  if (e.paired_helper) await page.getByTestId('helper-credit').getByText(e.paired_helper.name).waitFor();
  // chosen by the link, nothing typed: back to the elder's page without a question
  await page.goBack();
  await page.waitForURL(new RegExp(`/elders/${e.id}$`));
  assert.equal(await page.locator('.el-message-box').count(), 0);

  // one who died: no 登记服务 (another of the worker's elders, recorded deceased)
  const gone = active.find((x) => x.id !== e.id);
  const full = await apiGet(page, `/elders/${gone.id}`);
  await api(page, 'patch', `/elders/${gone.id}`, { version: full.version, status: 'deceased' });
  await page.goto(`/elders/${gone.id}`);
  await page.getByRole('heading', { name: gone.name }).waitFor();
  await page.getByTestId('elder-fields').waitFor();
  assert.equal(await page.getByTestId('log-service').count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
});
