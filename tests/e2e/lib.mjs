// Shared helpers for the console's end-to-end tests. Run through `scripts/web.sh e2e`, which
// starts a fresh demo server and sets PJ_BASE_URL, PJ_ADMIN_PASSWORD, PJ_DEMO_PASSWORD,
// PJ_E2E_OUT (screenshots) and PJ_CHROMIUM (Debian's /usr/bin/chromium; no downloaded browser).
import { createRequire } from 'node:module';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { idCheckChar } from '../../web/src/utils/eldercare.js';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const BASE = process.env.PJ_BASE_URL;
export const ADMIN_PW = process.env.PJ_ADMIN_PASSWORD;
export const DEMO_PW = process.env.PJ_DEMO_PASSWORD;
export const OUT = process.env.PJ_E2E_OUT || path.resolve('build/e2e');
if (!BASE || !ADMIN_PW || !DEMO_PW) throw new Error('run through scripts/web.sh e2e (PJ_BASE_URL and passwords are not set)');
mkdirSync(OUT, { recursive: true });

export const DESKTOP = { width: 1920, height: 1080 };
export const TABLET = { width: 1024, height: 768 };

/** One headless Chromium for a test file; close it in after(). Playwright gives each launch
 * a fresh temporary profile (it refuses --user-data-dir with launch()). */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.PJ_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
    ],
  });
  return browser;
}

/**
 * A test's time limit: ms for a run of its own, times the runs going at once (PJ_E2E_RUNS, set by
 * scripts/web.sh e2e) — two runs on two cores take each test up to twice as long. A limit is
 * there to stop a test that hangs, not to time one: how fast a page is, bench/ measures.
 */
export const budget = (ms) => ms * Math.max(1, Math.trunc(Number(process.env.PJ_E2E_RUNS)) || 1);

/**
 * A fresh context (own cookies) and page; extra: more context options (e.g. {hasTouch: true}).
 * Console errors and page errors — CSP violations among them — are collected in
 * page.problems; tests assert it stays empty.
 */
export async function openPage(browser, viewport = DESKTOP, extra = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Europe/London', baseURL: BASE, ...extra });
  const page = await context.newPage();
  page.setDefaultTimeout(budget(15000));
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return { context, page };
}

/**
 * Logs the page's context in as `username` through the API (the session cookie is the
 * context's), then opens the console at / — the user's start page, where the log-in form would
 * have taken them. `land: false` opens nothing: for a test whose next look at the page is a
 * page.goto of its own. The log-in form itself is tested where it is the subject (console,
 * a11y, a11y-forms, password…); here, typing into it was one page load of every test, and the
 * start page another, for most nothing but a way in (docs/BENCHMARKS.md, "The test suite's own
 * time").
 */
export async function login(page, username, password, { land = true } = {}) {
  const res = await page.request.post('/api/v1/auth/login', { data: { username, password } });
  if (!res.ok()) throw new Error(`log-in of ${username}: ${res.status()} ${await res.text()}`);
  if (!land) return;
  await page.goto('/');
  await page.waitForURL((u) => u.pathname !== '/');
}

/** A screenshot for the record; on a busy machine Chromium may take more than the default 15 s
 * to capture one, which says nothing of the page: it gets a minute. */
export async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: false, timeout: 60000 });
}

/**
 * Resolves once the page has had an answer to a request naming `text` (a remote select's search
 * for what is typed). Set up before typing: an option clicked before that search answered is one
 * of the list the field opened with, which the answer then replaces. A field that filters a list
 * it already holds sends no such request: when none has gone out 1.5 s after, it resolves then.
 * (It waited 10 s for an answer that never came — twelve times over in one file, two of its
 * three minutes.)
 */
export function searchAnswered(page, text) {
  const names = (r) => {
    try {
      return decodeURIComponent(r.url().replace(/\+/g, ' ')).includes(text);
    } catch {
      return false; // a URL that is not percent-encoded text
    }
  };
  return page
    .waitForRequest(names, { timeout: 1500 })
    .then((req) => req.response())
    .catch(() => null);
}

/** Picks an option of an Element Plus select (the dropdown is teleported to <body>). */
export async function choose(page, select, optionText) {
  await select.click();
  await page.getByRole('option', { name: optionText, exact: true }).click();
}

/** GET from the API with the page's session cookie. */
export async function apiGet(page, p) {
  const res = await page.request.get(BASE + '/api/v1' + p);
  if (!res.ok()) throw new Error(`GET ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

/** A write through the API as the page's user (its cookie); fails the test unless it succeeds. */
export async function apiSend(page, method, p, data) {
  const res = await page.request[method](BASE + '/api/v1' + p, data === undefined ? {} : { data });
  const body = res.status() === 204 ? null : await res.json();
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Works the steps of `phase` ('convert' or 'restore') of conversion c (as the API answers it) to
 * the phase's end through the API — each pending step whose predecessors are done started, its
 * checklist signed, finished — and returns the conversion as it is then. `api(method, path,
 * body)` makes a call that must succeed and gives its JSON (ownApi bound to a server, or the
 * shared server's apiSend).
 */
export async function workPhase(api, c, phase) {
  for (let guard = 0; guard < 60; guard++) {
    const byCode = new Map(c.steps.filter((s) => s.phase === phase).map((s) => [s.code, s]));
    const s = c.steps.find((x) => x.phase === phase && x.status === 'pending' && x.predecessors.every((p) => byCode.get(p).status === 'done'));
    if (!s) break;
    c = await api('POST', `/conversion-steps/${s.id}/start`, {});
    for (const k of s.checklist) if (!k.signed_by) c = await api('POST', `/conversion-steps/${s.id}/sign`, { item: k.item });
    c = await api('POST', `/conversion-steps/${s.id}/finish`, {});
  }
  return c;
}

/** A call of the API of srv (an ownServer) as the page's user: its JSON (null for a 204), 2xx asserted. */
export async function ownApi(srv, page, method, p, data) {
  const res = await page.request.fetch(`${srv.base}/api/v1${p}`, { method: method.toUpperCase(), data });
  const body = res.status() === 204 ? null : await res.json();
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

/** Today in Beijing, YYYY-MM-DD (the server's day for deadlines and reception days). */
export const beijingToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
/** The date n days after day (YYYY-MM-DD). */
export const plusDays = (day, n) => new Date(Date.parse(day + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10);
/** A day of a test's own ahead of today (Beijing): `from` days on plus one of `spread` days
 * picked by the clock, so that it stays ahead whatever day the tests run (a fixed date passes,
 * and then the server refuses it as past), lies past the demo's bookings (three weeks ahead),
 * and a test run again on the same database most likely picks another. Tests that book the same
 * studio take windows of their own. */
export const dayAhead = (from, spread) => plusDays(beijingToday(), from + (Date.now() % spread));

/** Opens a financing need from the list, paging on until its row shows. */
export async function openNeed(page, id) {
  const table = page.getByTestId('need-table');
  await table.locator('tbody tr').first().waitFor();
  for (let i = 0; i < 20; i++) {
    const row = table.locator('tbody tr').filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${id}$`) }) });
    if (await row.count()) {
      await row.locator('td').first().click();
      await page.getByTestId('need-matches').getByText(`需求 #${id}（`).waitFor();
      return row;
    }
    await page.getByRole('button', { name: '下一页' }).click();
    await page.waitForTimeout(200);
  }
  throw new Error(`need ${id} not in the list`);
}
/** A POST through the API as the page's user, which must answer `want`; its body. */
export async function apiPost(page, p, data, want) {
  const res = await page.request.post(BASE + '/api/v1' + p, { data });
  assert.equal(res.status(), want, `POST ${p}: ${await res.text()}`);
  return res.json();
}

/** The usable stock of a store's category (the lines not expired), from the API. */
export async function usableStock(page, store, cat) {
  const lines = (await apiGet(page, `/stock?facility_id=${store}&category=${cat}&limit=500`)).items;
  return lines.filter((l) => !l.expired).reduce((s, l) => s + l.quantity, 0);
}

/**
 * Holds back the answer to the first request of the page that `match(url)` takes (with
 * `method`, only requests of that method count). `caught` resolves once it is held; `release()`
 * lets it answer — unless the page has aborted it meanwhile — and resolves once the page has had
 * the answer a moment. The answer is fetched from the server on release, or, with `early`, at
 * once: the answer as it was when asked (what a slow network delivers late).
 */
export async function holdFirst(page, match, { method, early = false } = {}) {
  let caught, open, answered;
  const held = new Promise((r) => (caught = r));
  const gate = new Promise((r) => (open = r));
  const done = new Promise((r) => (answered = r));
  let n = 0;
  await page.route(match, async (route) => {
    if ((method && route.request().method() !== method) || n++) return route.fallback();
    caught(route.request().url());
    let response = null;
    try {
      if (early) response = await route.fetch();
      await gate;
      await route.fulfill({ response: response || (await route.fetch()) });
    } catch {
      /* the page aborted it: nothing to answer */
    }
    answered();
  });
  return {
    caught: held,
    async release() {
      open();
      await done;
      await page.waitForTimeout(1000); // the page handles the late answer (or has none to handle)
    },
  };
}

/** A village's pairing run with an open proposal (the villages from the last: eldercare2 takes the first). */
export async function villageRun(page) {
  const villages = (await apiGet(page, '/regions?parent_id=303&limit=500')).items.filter((r) => r.type === 'village' || r.type === 'community');
  for (const v of villages.reverse()) {
    const res = await page.request.post('/api/v1/pairing-runs', { data: { region_id: v.id } });
    assert.ok(res.ok(), await res.text());
    const r = await res.json();
    if (r.proposed > 0) return { run: r, p: (await apiGet(page, `/pairing-runs/${r.id}?state=proposed`)).proposals.items[0] };
  }
  assert.fail('a village with a proposal');
}

/** A plan solved through the API (waiting for the outcome): the given townships (default the
 * demo's 303) evacuated to resettlement sites, 5 % of the people. */
export async function solvedPlan(page, name, townshipIds = [303]) {
  const res = await page.request.post(BASE + '/api/v1/plans?wait=1', {
    data: {
      name,
      scenario: 'disaster',
      role: 'resettlement',
      affected: { township_ids: townshipIds },
      demand: { share: 0.05 },
      teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
      time_limit_s: 0.5,
    },
  });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}

/**
 * A server of a test's own, for a server option the shared one is not run with: a fresh
 * database (`demo`: the demo district, `env` for the demo's size), the built console, `args`
 * after `serve`. Resolves once it answers /api/v1/health to {base, adminPw, demoPw, db, stop()}
 * (demoPw: the demo accounts' password; db: the database file, for a record the API would not
 * write, as one of a database from before a rule); stop() ends the server and removes its
 * database.
 */
export async function ownServer({ args = [], demo = false, env = {} } = {}) {
  const bin = path.resolve(process.env.PJ_BIN || 'build/rel/pingji');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pingji-own-'));
  const db = path.join(dir, 'pj.db');
  const init = execFileSync(bin, ['init', '--db', db, ...(demo ? ['--demo'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const adminPw = init.match(/admin login.*password: *(\S+)/)[1];
  const demoPw = demo ? init.match(/demo accounts.*password: *(\S+)/)[1] : undefined;
  const port = await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
  const server = spawn(bin, ['serve', '--db', db, '--port', String(port), '--web', path.resolve('web/dist'), '--quiet', '--fast-hash', ...args], { stdio: 'ignore' });
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
      if ((await fetch(`${base}/api/v1/health`)).ok) return { base, adminPw, demoPw, db, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('the server did not answer /api/v1/health');
}

// Areas of Beijing's other districts: the demo's residents are all of Pinggu (110117), so a test's
// person never takes a demo resident's number.
const ID_AREAS = ['110101', '110102', '110105', '110106', '110107', '110108', '110109', '110111', '110112', '110113', '110114', '110115', '110116', '110118', '110119'];
const idsGiven = new Set();

/** A valid ID number born `birth8` (YYYYMMDD), a woman (a man: `sex` 'M'): drawn at random from
 * 7,500 for that day and sex, never one given before in this process. (It was the clock's
 * milliseconds modulo 400: two files of one run could draw the same number, and the second
 * person was refused as already registered.) */
export function idNumber(birth8, sex = 'F') {
  for (;;) {
    const area = ID_AREAS[randomInt(ID_AREAS.length)];
    const seq = String(100 + randomInt(450) * 2 + (sex === 'M' ? 1 : 0)).padStart(3, '0');
    const prefix = `${area}${birth8}${seq}`;
    if (idsGiven.has(prefix)) continue;
    idsGiven.add(prefix);
    return prefix + idCheckChar(prefix);
  }
}
