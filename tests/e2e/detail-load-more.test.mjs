// An elder's pairs and alerts (first 50) and a helper's pairs (first 100) were shown as if they
// were all of them: a longer history ended silently at its first page. While the API says there
// are more (next_cursor), the table says how many are shown and offers 加载更多 / "Load more",
// which appends the next page. The API's pages are stood in for here (page.route): a first page
// with a cursor, the second without.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Answers GET `path` (`/pairs`, `/elder-alerts`) in two pages: the real first row, then `next`. */
async function twoPages(page, path, second) {
  await page.route(
    (url) => url.pathname === '/api/v1' + path,
    async (route) => {
      const url = new URL(route.request().url());
      if (url.searchParams.get('cursor') === 'p2') {
        return route.fulfill({ json: { items: [second], next_cursor: null } });
      }
      const res = await route.fetch();
      const body = await res.json();
      return route.fulfill({ response: res, json: { ...body, items: body.items.slice(0, 1), next_cursor: 'p2' } });
    },
  );
}

test('an elder page and a helper page: pairs and alerts beyond the first page are loaded on request', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD);
  const pair = (await apiGet(page, '/pairs?state=active&limit=1')).items[0];
  // an elder's alert (a helper's, e.g. helper_id_departed, has no elder page to open)
  const alert = (await apiGet(page, `/elder-alerts?limit=100`)).items.find((a) => a.elder_id);
  assert.ok(pair && alert, 'the demo has pairs and alerts');
  await twoPages(page, '/pairs', { ...pair, id: pair.id + 900000, helper_name: '第二页互助员', elder_name: '第二页老人', state: 'ended', end_date: pair.start_date, ended_note: 'moved' });
  await twoPages(page, '/elder-alerts', { ...alert, id: alert.id + 900000, kind: alert.kind });

  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  await page.goto(`/elders/${pair.elder_id}`);
  const pairs = page.getByTestId('elder-pairs');
  await pairs.locator('tbody tr').first().waitFor();
  assert.equal(await pairs.locator('tbody tr').count(), 1);
  const more = page.locator('[data-testid="load-more"][data-list="elder-pairs"]');
  assert.match(await more.innerText(), /已显示 1 条，还有更多/);
  await more.getByRole('button', { name: '加载更多' }).click();
  await pairs.getByText('第二页互助员').waitFor();
  assert.equal(await pairs.locator('tbody tr').count(), 2);
  await more.waitFor({ state: 'detached' });

  await page.goto(`/elders/${alert.elder_id}`);
  const alerts = page.getByTestId('elder-alerts');
  await alerts.locator('tbody tr').first().waitFor();
  const moreAlerts = page.locator('[data-testid="load-more"][data-list="elder-alerts"]');
  await moreAlerts.waitFor();
  assert.equal(await alerts.locator('tbody tr').count(), 1);
  await moreAlerts.getByRole('button', { name: '加载更多' }).click();
  await moreAlerts.waitFor({ state: 'detached' });
  assert.equal(await alerts.locator('tbody tr').count(), 2);

  // the helper's page, in English
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto(`/helpers/${pair.helper_id}`);
  const hp = page.getByTestId('helper-pairs');
  await hp.locator('tbody tr').first().waitFor();
  const moreH = page.locator('[data-testid="load-more"][data-list="helper-pairs"]');
  assert.match(await moreH.innerText(), /1 shown, there are more/);
  await moreH.getByRole('button', { name: 'Load more' }).click();
  await hp.getByText('第二页老人').waitFor();
  assert.equal(await hp.locator('tbody tr').count(), 2);
  assert.equal(await moreH.count(), 0);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
