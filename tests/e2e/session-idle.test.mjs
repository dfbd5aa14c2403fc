// The header's idle countdown is the server's idle time after a reload too: GET /auth/me says
// it (expires_in), so a server run with --idle-minutes 5 counts down from 5 minutes whether
// the page was opened by the log-in form or again on the session's cookie (it counted from 30
// after a reload). A server of its own (an empty database, the built console) for the option.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage, login, shot } from './lib.mjs';

const BIN = path.resolve(process.env.PJ_BIN || 'build/rel/pingji');
const DIST = path.resolve('web/dist');
let browser;
let server;
let dir;
let base;
let adminPw;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

before(async () => {
  browser = await launch();
  dir = mkdtempSync(path.join(os.tmpdir(), 'pingji-idle-'));
  const db = path.join(dir, 'pj.db');
  const init = execFileSync(BIN, ['init', '--db', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  adminPw = init.match(/admin login.*password: *(\S+)/)[1];
  const port = await freePort();
  server = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--web', DIST, '--quiet', '--fast-hash', '--idle-minutes', '5'], { stdio: 'ignore' });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not answer /api/v1/health');
});
after(async () => {
  await browser?.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const minutesLeft = async (page) => {
  const idle = (await page.getByTestId('idle-countdown').innerText()).trim();
  return { idle, m: Number(idle.split(':')[0]) };
};

test('the idle countdown is the server\'s --idle-minutes after the log-in and after a reload', { timeout: 120000 }, async () => {
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
