// The header's idle countdown is the server's idle time after a reload too: GET /auth/me says
// it (expires_in), so a server run with --idle-minutes 5 counts down from 5 minutes whether
// the page was opened by the log-in form or again on the session's cookie (it counted from 30
// after a reload). A server of its own (an empty database, the built console) for the option.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, budget } from './lib.mjs';

let browser;
let own;
let base;
let adminPw;

before(async () => {
  browser = await launch();
  own = await ownServer({ args: ['--idle-minutes', '5'] });
  ({ base, adminPw } = own);
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

const minutesLeft = async (page) => {
  const idle = (await page.getByTestId('idle-countdown').innerText()).trim();
  return { idle, m: Number(idle.split(':')[0]) };
};

test('the idle countdown is the server\'s --idle-minutes after the log-in and after a reload', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, undefined, { baseURL: base });
  await login(page, 'admin', adminPw);
  await page.getByTestId('idle-countdown').waitFor();
  let { idle, m } = await minutesLeft(page);
  assert.ok(m >= 4 && m <= 5, `after the log-in: ${idle}`);
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
  assert.equal(me.expires_in, 300, 'GET /auth/me says the idle time');
  await page.reload();
  await page.getByTestId('idle-countdown').waitFor();
  ({ idle, m } = await minutesLeft(page));
  await shot(page, 'idle-after-reload');
  assert.ok(m >= 4 && m <= 5, `after a reload: ${idle} (was 29:5x)`);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
