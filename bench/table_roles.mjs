// The console's table roles on the emergency stock page with 20,000 lines, per change of its
// rows, in Debian's Chromium: web/src/plugins/table-roles.js (roles on what each change adds)
// against the named reference bench/table_roles_reference.js (the walk of every row and cell
// that plugins/table.js did on every change before).
//
// Run by `make bench-table` (scripts/web.sh table-bench: the console built, Chromium there);
// PJ_WEB_DIST=DIR serves another build of the console (an older one, for a before/after).
// It starts its own demo server, tops the stock up to LINES lines through POST /api/v1/stock
// (spread over the demo's stores, the eight supply categories, expired, expiring and later
// dates), logs in as admin and opens /stock, which then shows every line — in one table, or a
// page of them when the page has its pager (data-testid=stock-pager, its data-page-size: the
// rows expected are then at most that many). Each run makes these changes in the page:
//   narrow  a supply category's card clicked: the table down to that category's lines (rows
//           removed only);
//   widen   the card clicked again: every line back (rows added between the ones that stayed);
//   reload  a line deleted (删除, confirmed): the list loaded again, one row fewer, the others
//           patched in place;
//   page    (a page with its pager only) the next page: the rows of page 2 instead of page 1,
//           then back to page 1 (not timed).
// A change is drawn when the table has the rows expected, the change made at least one record
// and none came for a moment, and a reload's loading mask has gone.
// During a change the bench's own MutationObserver on the table keeps the records (the ones the
// console's observer gets). Once it is drawn — the console's own observer has put the roles on
// already, and that is checked: every row and cell of the table with its role — the roles of
// what the change created are taken off again (not timed), and each way of putting them back
// is timed on that DOM, in the page: the reference's walk of the whole table, and the current
// addedRoles with the change's records; the order alternates from run to run, and after each
// every role is checked again. Also reported: the change itself (the click to the DOM patched
// and the console's roles on, narrow and widen). Medians of the runs; performance.now() in the
// page counts in steps of 0.1 ms, so a time below that shows as < 0.1 ms.
//
//   node bench/table_roles.mjs [--runs N] [--lines N] [--changes narrow,widen,reload,page]
//   (defaults 5, 20000 and all four; BENCH_QUICK=1: 2 runs)
import { createRequire } from 'node:module';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const RUNS = arg('runs', process.env.BENCH_QUICK === '1' ? 2 : 5);
const LINES = arg('lines', 20000);
// --changes narrow,widen: only those (a reload of 20,000 rows takes minutes on a busy machine)
const CHANGES = (process.argv.includes('--changes') ? process.argv[process.argv.indexOf('--changes') + 1] : 'narrow,widen,reload,page').split(',');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x < 0.1 ? '< 0.1' : x.toFixed(1));

// ---- the server: the demo district, its stock topped up through the API ----
async function startServer() {
  const bin = path.resolve(ROOT, process.env.PJ_BIN || 'build/rel/pingji');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pingji-tablebench-'));
  const db = path.join(dir, 'pj.db');
  const init = execFileSync(bin, ['init', '--db', db, '--demo'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PINGJI_DEMO_ELDERS: '200' } });
  const adminPw = init.match(/admin login.*password: *(\S+)/)[1];
  const port = await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
  const server = spawn(bin, ['serve', '--db', db, '--port', String(port), '--web', path.resolve(ROOT, process.env.PJ_WEB_DIST || 'web/dist'), '--quiet', '--fast-hash'], { stdio: 'ignore' });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return { base, adminPw, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('the server did not answer /api/v1/health');
}

async function api(base, token, method, p, body) {
  const res = await fetch(base + '/api/v1' + p, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function fillStock(base, token) {
  const summary = await api(base, token, 'GET', '/stock/summary');
  const cats = summary.categories.map((c) => c.category);
  const stores = [...new Set((await api(base, token, 'GET', '/stock?limit=500')).items.map((l) => l.facility_id))];
  const need = LINES - summary.lines;
  const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
  let next = 0;
  const t0 = Date.now();
  async function worker() {
    for (let i = next++; i < need; i = next++) {
      const expiry = i % 10 === 0 ? day(-20 - (i % 300)) : i % 10 === 1 ? day(10 + (i % 70)) : i % 10 === 2 ? null : day(200 + (i % 900));
      await api(base, token, 'POST', '/stock', { facility_id: stores[i % stores.length], category: cats[i % cats.length], quantity: 10 + (i % 5000), expiry, source: 'bench' });
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  console.log(`stock: ${summary.lines} demo lines + ${Math.max(need, 0)} added through POST /api/v1/stock in ${((Date.now() - t0) / 1000).toFixed(0)} s, over ${stores.length} stores`);
}

// ---- in the page ----
/** The roles code as the page can run it: an ES module without imports, its exports returned. */
function asScript(file, names) {
  const src = readFileSync(path.join(ROOT, file), 'utf8').replace(/^export /gm, '');
  return `(() => {\n${src}\nreturn { ${names.join(', ')} };\n})()`;
}

// Runs in the page (its source is sent with the two implementations): the checks, the records
// and the timings of one change of the stock table.
function harness(current, reference) {
  const root = document.querySelector('[data-testid=stock-table]');
  const OWN = 'table.el-table__header, table.el-table__body, table.el-table__footer';
  const ownTable = (t) => t && t.matches(OWN) && t.closest('.el-table') === root;
  const ownGroup = (g) => g && /^(THEAD|TBODY|TFOOT)$/.test(g.tagName) && ownTable(g.parentElement);
  const ownRow = (r) => r && r.tagName === 'TR' && ownGroup(r.parentElement);
  const structural = () => [...root.querySelectorAll('table, thead, tbody, tfoot, tr, th, td, .el-table__empty-block, .el-table__empty-text')].filter((el) => el.closest('.el-table') === root);
  // the role each element of the table's structure should have (null: none of ours)
  const want = (el) => {
    if (el.tagName === 'TABLE') return ownTable(el) ? 'presentation' : null;
    if (/^(THEAD|TBODY|TFOOT)$/.test(el.tagName)) return ownGroup(el) ? 'rowgroup' : null;
    if (el.tagName === 'TR') return ownRow(el) ? 'row' : null;
    if (el.tagName === 'TH' || el.tagName === 'TD') return ownRow(el.parentElement) ? (el.tagName === 'TH' ? 'columnheader' : 'cell') : null;
    if (el.matches('.el-table__empty-block')) return 'row';
    if (el.matches('.el-table__empty-text')) return 'cell';
    return null;
  };
  /** elements of the structure without their role (the box's own included) */
  const missing = () => structural().filter((el) => want(el) !== null && el.getAttribute('role') !== want(el)).length + (root.getAttribute('role') === 'table' ? 0 : 1);
  const rows = () => root.querySelectorAll('.el-table__body > tbody > tr').length;
  // the rows a list of n lines shows: all of them, or a page of them
  const pager = document.querySelector('[data-testid=stock-pager]');
  const perPage = pager ? Number(pager.dataset.pageSize) : Infinity;
  const expect = (n) => Math.min(n, perPage);

  let before, records, observer, t0, last, flip = false;
  return {
    rows,
    missing,
    expect,
    paged: !!pager,
    /**
     * the change has come (a record at least) and nothing for 100 ms, with n lines listed, and
     * the loading mask of a reload gone (it leaves after its fade: not a record of the next change)
     */
    settled: (n) => rows() === expect(n) && records.length > 0 && performance.now() - last > 100 && !root.querySelector('.el-loading-mask'),
    /** from now on the records of the table are kept */
    begin() {
      before = new Set(structural());
      records = [];
      last = 0;
      observer = new MutationObserver((rs) => {
        for (const r of rs) records.push(r);
        last = performance.now();
      });
      observer.observe(root, { childList: true, subtree: true });
      t0 = performance.now();
    },
    click(selector) {
      t0 = performance.now();
      document.querySelector(selector).click();
    },
    /** the change is drawn: the check of the console's roles, then both ways timed */
    end() {
      for (const r of observer.takeRecords()) records.push(r);
      observer.disconnect();
      const change = last - t0;
      const liveMissing = missing();
      const fresh = structural().filter((el) => !before.has(el));
      const strip = () => {
        for (const el of fresh) el.removeAttribute('role');
      };
      const time = (apply) => {
        strip();
        const a = performance.now();
        apply();
        const took = performance.now() - a;
        return { ms: took, missing: missing() };
      };
      const ways = [
        ['reference', () => reference.tableRoles(root)],
        ['current', () => current.addedRoles(root, records)],
      ];
      if ((flip = !flip)) ways.reverse();
      const out = { rows: rows(), added: fresh.filter((el) => el.tagName === 'TR').length, records: records.length, change, liveMissing, strippedMissing: 0 };
      strip();
      out.strippedMissing = missing(); // what the timed ways have to put back
      for (const [name, apply] of ways) out[name] = time(apply);
      records = before = null;
      return out;
    },
  };
}

const { base, adminPw, stop } = await startServer();
let browser;
try {
  const { token } = await api(base, null, 'POST', '/auth/login', { username: 'admin', password: adminPw });
  await fillStock(base, token);
  const summary = await api(base, token, 'GET', '/stock/summary');
  // the category the narrowing keeps: the one with the fewest lines, so that most rows go
  const narrowCat = summary.categories.reduce((a, b) => (b.lines < a.lines ? b : a)).category;

  browser = await chromium.launch({
    executablePath: process.env.PJ_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', baseURL: base });
  const page = await context.newPage();
  page.setDefaultTimeout(600000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto('/login');
  await page.getByLabel(/用户名/).fill('admin');
  await page.getByLabel(/^密码$/).fill(adminPw);
  await page.getByRole('button', { name: /^登录$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const t0 = Date.now();
  await page.goto('/stock');
  const total = Math.min(summary.lines, 20000);
  await page.waitForFunction(
    (n) => {
      const pager = document.querySelector('[data-testid=stock-pager]');
      const rows = Math.min(n, pager ? Number(pager.dataset.pageSize) : Infinity);
      return document.querySelectorAll('[data-testid=stock-table] .el-table__body > tbody > tr').length === rows;
    },
    total,
    { polling: 500 },
  );
  console.log(`/stock drawn with ${total} lines in ${((Date.now() - t0) / 1000).toFixed(1)} s (load, API pages and the first render)`);
  await page.evaluate(`window.__bench = (${harness})(${asScript('web/src/plugins/table-roles.js', ['tableRoles', 'addedRoles'])}, ${asScript('bench/table_roles_reference.js', ['tableRoles'])})`);
  const paged = await page.evaluate(() => window.__bench.paged);
  console.log(paged ? `the table shows a page of ${await page.evaluate(() => window.__bench.expect(Infinity))} rows` : 'the table shows every line');
  const first = await page.evaluate(() => window.__bench.missing());
  if (first) throw new Error(`after the first render ${first} elements of the table are without their role`);

  // the change has happened when a list of `n` lines is shown (and stays so for a moment)
  const drawn = (n) =>
    page.waitForFunction(
      (k) =>
        window.__bench.settled(k) &&
        new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(window.__bench.settled(k)), 50)))),
      n,
      { polling: 200 },
    );
  const results = { narrow: [], widen: [], reload: [], page: [] };
  let lines = total;
  for (let run = 0; run < RUNS; run++) {
    const cats = (await api(base, token, 'GET', '/stock/summary')).categories;
    const keep = cats.find((c) => c.category === narrowCat).lines;
    for (const [name, act, rows] of [
      ['narrow', () => page.evaluate((c) => (window.__bench.begin(), window.__bench.click(`[data-testid=stock-cat-${c}]`)), narrowCat), keep],
      ['widen', () => page.evaluate((c) => (window.__bench.begin(), window.__bench.click(`[data-testid=stock-cat-${c}]`)), narrowCat), lines],
      [
        'reload',
        async () => {
          // one of the bench's lines (the last row): 删除, confirmed; the list is loaded again
          await page.getByTestId('stock-delete').last().click();
          const ok = page.locator('.el-message-box__btns .el-button--primary');
          await ok.waitFor();
          await page.evaluate(() => window.__bench.begin());
          await ok.click();
          lines -= 1;
        },
        () => lines,
      ],
      ['page', () => page.evaluate(() => (window.__bench.begin(), window.__bench.click('[data-testid=stock-pager] .btn-next'))), () => lines],
    ].filter(([name]) => CHANGES.includes(name) && (name !== 'page' || paged))) {
      await act();
      await drawn(typeof rows === 'function' ? rows() : rows);
      const r = await page.evaluate(() => window.__bench.end());
      if (r.liveMissing) throw new Error(`${name}: ${r.liveMissing} elements without their role after the change (the console's plugin)`);
      for (const w of ['reference', 'current']) if (r[w].missing) throw new Error(`${name}: ${r[w].missing} elements without their role after the ${w} way`);
      results[name].push(r);
      if (name === 'page') {
        // back to page 1 for the next run (not timed)
        await page.evaluate(() => (window.__bench.begin(), window.__bench.click('[data-testid=stock-pager] .btn-prev')));
        await drawn(lines);
        await page.evaluate(() => window.__bench.end());
      }
      console.log(
        `run ${run + 1} ${name.padEnd(6)} rows ${String(r.rows).padStart(5)} (+${r.added} new rows, ${r.records} records, ${r.strippedMissing} roles to put back): ` +
          `reference ${ms(r.reference.ms)} ms, current ${ms(r.current.ms)} ms` +
          (name === 'reload' ? '' : `; the change ${r.change.toFixed(0)} ms`),
      );
    }
  }
  if (problems.length) throw new Error(`page errors: ${problems.join('\n')}`);
  console.log(`\n${RUNS} runs, ${total} stock lines, medians (reference = bench/table_roles_reference.js):`);
  console.log('| change | rows after | new rows | reference | current | current / reference | the change (click → drawn, roles on) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, rs] of Object.entries(results).filter(([, rs]) => rs.length)) {
    const ref = median(rs.map((r) => r.reference.ms));
    const cur = median(rs.map((r) => r.current.ms));
    // a time below the page's 0.1 ms step: the ratio is at most 0.1 ms / reference
    const ratio = cur < 0.1 ? `< ${(0.1 / ref).toFixed(3)}` : (cur / ref).toFixed(3);
    const change = name === 'reload' ? '—' : `${median(rs.map((r) => r.change)).toFixed(0)} ms`;
    console.log(`| ${name} | ${median(rs.map((r) => r.rows))} | ${median(rs.map((r) => r.added))} | ${ms(ref)} ms | ${ms(cur)} ms | ${ratio} | ${change} |`);
  }
} finally {
  await browser?.close();
  await stop();
}
