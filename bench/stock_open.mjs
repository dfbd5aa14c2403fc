// Opening the emergency stock page (/stock) on a district of many stock lines, in Debian's
// Chromium: the time from the navigation to the table's first page drawn (its rows there and
// the cards shown), and what the page asked the API for on the way — the
// requests for the list (GET /api/v1/stock) and the bytes of their answers. Then a category's
// card is clicked and timed the same way (the rows of its first page drawn).
//
// It starts its own demo server (PJ_BIN, default build/rel/pingji) on a database whose stock is
// topped up to LINES lines before the server starts (one SQL statement: the demo's stores and
// the eight supply categories in turn, a tenth expired, a tenth expiring within 90 days, a tenth
// without expiry), serving the console of PJ_WEB_DIST (default web/dist: another build of the
// console, an older one, for a before/after), logs in as admin and opens /stock RUNS times.
//
//   node bench/stock_open.mjs [--runs N] [--lines N]     (defaults 5 and 20000)
import { createRequire } from 'node:module';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(ROOT, 'web/package.json'));
const { chromium } = require('playwright-core');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 5);
const LINES = arg('lines', 20000);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const bin = path.resolve(ROOT, process.env.PJ_BIN || 'build/rel/pingji');
const dir = mkdtempSync(path.join(os.tmpdir(), 'pingji-stockopen-'));
const db = path.join(dir, 'pj.db');
const init = execFileSync(bin, ['init', '--db', db, '--demo'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PINGJI_DEMO_ELDERS: '200' } });
const adminPw = init.match(/admin login.*password: *(\S+)/)[1];
// Beijing's today as an expiry is stored (00:00 UTC of the Beijing date)
const today = Math.floor((Date.now() / 1000 + 8 * 3600) / 86400) * 86400;
const now = Math.floor(Date.now() / 1000);
execFileSync('sqlite3', [
  db,
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LINES} - 1 - (SELECT COUNT(*) FROM stock_lines)),
   st AS (SELECT facility_id AS f, ROW_NUMBER() OVER (ORDER BY facility_id) - 1 AS k FROM (SELECT DISTINCT facility_id FROM stock_lines)),
   ca AS (SELECT code, unit, ROW_NUMBER() OVER (ORDER BY rowid) - 1 AS k FROM supply_categories)
   INSERT INTO stock_lines (facility_id, category, quantity, unit, expiry, source, created_at, updated_at)
   SELECT st.f, ca.code, 10 + i % 5000, ca.unit,
          CASE i % 10 WHEN 0 THEN ${today} - (20 + i % 300) * 86400 WHEN 1 THEN ${today} + (10 + i % 70) * 86400
                      WHEN 2 THEN NULL ELSE ${today} + (200 + i % 900) * 86400 END, 'bench', ${now}, ${now}
   FROM n JOIN st ON st.k = i % (SELECT COUNT(*) FROM st) JOIN ca ON ca.k = i % (SELECT COUNT(*) FROM ca)`,
]);
const lines = Number(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM stock_lines'], { encoding: 'utf8' }).trim());
const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port: p } = s.address();
    s.close(() => resolve(p));
  });
});
const web = path.resolve(ROOT, process.env.PJ_WEB_DIST || 'web/dist');
const server = spawn(bin, ['serve', '--db', db, '--port', String(port), '--web', web, '--quiet', '--fast-hash'], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
let browser;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 100) throw new Error('the server did not answer /api/v1/health');
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`${lines} stock lines; console ${path.relative(ROOT, web)}`);
  browser = await chromium.launch({
    executablePath: process.env.PJ_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', baseURL: base });
  const page = await context.newPage();
  page.setDefaultTimeout(600000);
  await page.goto('/login');
  await page.getByLabel(/用户名/).fill('admin');
  await page.getByLabel(/^密码$/).fill(adminPw);
  await page.getByRole('button', { name: /^登录$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  // the list's requests
  let asked = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/stock') asked++;
  });
  // the bytes of the list's answers, as the page's resource timing has them: sent (compressed)
  // and decoded (the JSON)
  const listBytes = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname === '/api/v1/stock')
        .reduce((b, e) => ({ sent: b.sent + e.encodedBodySize, json: b.json + e.decodedBodySize }), { sent: 0, json: 0 }),
    );
  // the table's page drawn: its rows there (a page, or every line of a page-less table), the
  // cards shown
  const drawn = (n) =>
    page.waitForFunction(
      (k) => {
        const pager = document.querySelector('[data-testid=stock-pager]');
        const want = Math.min(k, pager ? Number(pager.dataset.pageSize) : Infinity);
        const rows = document.querySelectorAll('[data-testid=stock-table] .el-table__body > tbody > tr').length;
        return rows === want && document.querySelector('[data-testid=stock-totals] .pj-cat');
      },
      n,
      { polling: 20 },
    );
  const cats = await (await page.request.get('/api/v1/stock/summary')).json();
  const cat = cats.categories[2];
  const open = [];
  const click = [];
  let openAsked = 0;
  let openBytes = { sent: 0, json: 0 };
  for (let run = 0; run < RUNS; run++) {
    await page.goto('/dashboard');
    await page.waitForLoadState('networkidle');
    asked = 0;
    const t0 = Date.now();
    await page.goto('/stock');
    await drawn(lines);
    open.push(Date.now() - t0);
    await page.waitForLoadState('networkidle');
    openAsked = asked;
    openBytes = await listBytes();
    // the click in the page, timed there: to the first frame with the card's rows (every row of
    // its category) and the pager's count drawn (the loading mask then fades out over them)
    const took = await page.evaluate(
      ([code, n]) =>
        new Promise((resolve) => {
          const pager = document.querySelector('[data-testid=stock-pager]');
          const want = Math.min(n, pager ? Number(pager.dataset.pageSize) : Infinity);
          const t0 = performance.now();
          document.querySelector(`[data-testid=stock-cat-${code}]`).click();
          const check = () => {
            const rows = document.querySelectorAll('[data-testid=stock-table] .el-table__body > tbody > tr').length;
            const total = document.querySelector('[data-testid=stock-pager] .el-pagination__total')?.textContent || '';
            const name = document.querySelector(`[data-testid=stock-cat-${code}] .pj-cat-name`).textContent.trim();
            const cells = [...document.querySelectorAll('[data-testid=stock-table] .el-table__body > tbody > tr')].map((tr) => tr.children[1].textContent.trim());
            if (rows === want && total.includes(String(n)) && cells.every((c) => c === name)) resolve(performance.now() - t0);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
      [cat.category, cat.lines],
    );
    click.push(Math.round(took));
    console.log(`run ${run + 1}: opened in ${open.at(-1)} ms (${openAsked} list requests, ${(openBytes.sent / 1024).toFixed(0)} KiB sent, ${(openBytes.json / 1024).toFixed(0)} KiB of JSON), card ${cat.category} in ${click.at(-1)} ms`);
  }
  console.log(`median of ${RUNS}: opened in ${median(open)} ms (runs ${open.join(' / ')}), ${openAsked} list requests, ${(openBytes.sent / 1024).toFixed(0)} KiB sent, ${(openBytes.json / 1024).toFixed(0)} KiB of JSON; the card in ${median(click)} ms (runs ${click.join(' / ')})`);
} finally {
  await browser?.close();
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
}
