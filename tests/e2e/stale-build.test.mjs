// A console left open while the server got a new build: its pages' chunks have new names and
// the old ones are gone. A menu click then asked for a chunk the server no longer has and did
// nothing at all; the console now loads the new build at the page asked for.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a menu click after a new build opens the page asked for (the new build loaded)', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  await page.getByTestId('console-menu').waitFor();
  // the old build's chunks are gone: every script or style asked for answers 404, until the
  // page is loaded again (the new build's, served as usual)
  let stale = true;
  let refused = 0;
  page.on('request', (r) => {
    if (r.isNavigationRequest()) stale = false;
  });
  await page.route(/\/assets\/.*\.(js|css)$/, (route) => {
    if (!stale) return route.continue();
    refused++;
    return route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' });
  });
  await page.getByTestId('console-menu').getByText('演练管理').click();
  await page.waitForURL((u) => u.pathname === '/drills');
  await page.getByTestId('drill-table').waitFor();
  assert.ok(refused > 0, 'the page asked for a chunk of the old build');
  assert.equal(stale, false, 'the page was loaded again');
  // the new build runs: the page works, its menu too
  await page.getByTestId('console-menu').getByText('转换驾驶舱').click();
  await page.waitForURL((u) => u.pathname === '/conversions');
  const unexpected = page.problems.filter((p) => !/dynamically imported module|Failed to load module script|Unable to preload/i.test(p));
  assert.deepEqual(unexpected, [], 'console errors other than the old chunk missing');
  await context.close();
});
