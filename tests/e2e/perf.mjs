// Bundle sizes and first-load times of the console (scripts/web.sh bench). Writes
// build/e2e/perf.json. Loads are cold (new browser context: empty cache) against the
// local demo server; the median of 5 is reported.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { launch, openPage, login, ADMIN_PW, OUT, DESKTOP } from './lib.mjs';

const dist = path.resolve('web/dist');
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const size = (f) => {
  const b = readFileSync(path.join(dist, f));
  return { file: f, bytes: b.length, gzip: gzipSync(b, { level: 9 }).length };
};
const all = readdirSync(path.join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => size('assets/' + f));
const sum = (xs, k) => xs.reduce((s, x) => s + x[k], 0);
const init = initial.map(size);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const browser = await launch();
const loginRuns = [], dashRuns = [], dashBytes = [];
for (let i = 0; i < 5; i++) {
  // 1. the login page, cold
  {
    const { context, page } = await openPage(browser, DESKTOP);
    await page.goto('/login', { waitUntil: 'commit' });
    // time origin = navigation start; polled every animation frame in the page itself
    const formAt = await (await page.waitForFunction(() => document.querySelector('button[type=submit]') && performance.now(), null, { polling: 'raf' })).jsonValue();
    await page.waitForLoadState('load');
    loginRuns.push({
      form: formAt,
      ...(await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return { ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
      })),
    });
    await context.close();
  }
  // 2. the dashboard right after logging in, cold cache: until map and capacity figures show
  {
    const { context, page } = await openPage(browser, DESKTOP);
    await login(page, 'admin', ADMIN_PW); // warms nothing that matters: the next context is fresh
    const cookies = await context.cookies();
    await context.close();
    const fresh = await openPage(browser, DESKTOP);
    await fresh.context.addCookies(cookies);
    await fresh.page.goto('/dashboard', { waitUntil: 'commit' });
    const readyAt = await (
      await fresh.page.waitForFunction(
        () => {
          const t = document.querySelector('[data-testid=capacity-table]');
          const c = document.querySelector('[data-testid=district-map] canvas');
          return t && /安置床位/.test(t.textContent) && /\d/.test(t.querySelector('tbody')?.textContent || '') && c && performance.now();
        },
        null,
        { polling: 'raf' },
      )
    ).jsonValue();
    dashRuns.push({ ready: readyAt });
    dashBytes.push(
      await fresh.page.evaluate(() =>
        [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((s, e) => s + (e.encodedBodySize || 0), 0),
      ),
    );
    await fresh.context.close();
  }
}
await browser.close();

const pick = (runs, k) => Math.round(median(runs.map((r) => r[k])));
const result = {
  measured_at: new Date().toISOString(),
  bundle: {
    initial_js_css: { files: init, bytes: sum(init, 'bytes'), gzip: sum(init, 'gzip') },
    all_js_css: { bytes: sum(all, 'bytes'), gzip: sum(all, 'gzip') },
    largest: all.sort((a, b) => b.gzip - a.gzip).slice(0, 6),
  },
  login_page_ms: { ttfb: pick(loginRuns, 'ttfb'), dom_content_loaded: pick(loginRuns, 'dcl'), load: pick(loginRuns, 'load'), form_visible: pick(loginRuns, 'form'), runs: loginRuns.map((r) => Math.round(r.form)) },
  dashboard_ready_ms: { median: pick(dashRuns, 'ready'), runs: dashRuns.map((r) => Math.round(r.ready)), bytes_transferred: median(dashBytes) },
  note: 'localhost, Chromium headless, 1920x1080, cold cache; pingji serves files uncompressed',
};
writeFileSync(path.join(OUT, 'perf.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
