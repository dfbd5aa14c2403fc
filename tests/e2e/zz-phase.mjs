// phase timing (not a test file)
import { openPage, login, DEMO_PW, BASE } from './lib.mjs';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const extra = (process.env.XF || '').split(' ').filter(Boolean);
const launch = () => chromium.launch({ executablePath: process.env.PJ_CHROMIUM, headless: true, args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--lang=zh-CN', ...extra] });
const t = () => performance.now();
const browser = await launch();
const res = {};
const add = (k, v) => (res[k] = (res[k] || []).concat(Math.round(v)));
for (let i = 0; i < 5; i++) {
  let a = t();
  const { context, page } = await openPage(browser);
  add('context', t() - a); a = t();
  await login(page, 'officer', DEMO_PW);
  add('login', t() - a); a = t();
  await page.waitForLoadState('networkidle');
  add('dashboard-idle', t() - a); a = t();
  await page.goto('/facilities');
  await page.waitForLoadState('networkidle');
  add('goto-facilities', t() - a); a = t();
  await page.goto('/eldercare/elders');
  await page.waitForLoadState('networkidle');
  add('goto-elders', t() - a); a = t();
  await page.screenshot({ path: '/tmp/eb/x.png' });
  add('shot', t() - a); a = t();
  await context.close();
  add('close', t() - a);
}
const med=(a)=>a.slice(1).sort((x,y)=>x-y)[2]; console.log((process.env.XF||'base').padEnd(60), Object.entries(res).map(([k,v])=>k+'='+med(v)).join(' '), 'sum='+Object.values(res).reduce((s,v)=>s+med(v),0));
await browser.close();
