// Key figures fit their cards at 1366 px: the e-commerce tiles (成交额 read "5705.5…", cut with
// an ellipsis) and the coverage report's visits done / due in English ("84,913 / 115,8…").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const LAPTOP = { width: 1366, height: 768 };

test('the e-commerce tiles show their figures whole (zh)', async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await login(page, 'officer', DEMO_PW);
  // a larger zone's figures (the probe's demo: 5705.66万 yuan of sales)
  await page.route('**/api/v1/ecommerce/kpi*', async (r) => {
    const res = await r.fetch();
    const body = await res.json();
    if (body && 'gmv_fen' in body) Object.assign(body, { gmv_fen: 5705660000, orders: 3456789 });
    return r.fulfill({ response: res, json: body });
  });
  await page.goto('/development/ecommerce');
  const tiles = page.getByTestId('ec-kpis').locator('.pj-big');
  await page.getByTestId('ec-gmv').locator('.pj-big').getByText('5706万').waitFor();
  for (const el of await tiles.all()) {
    const [sw, cw, text] = await el.evaluate((e) => [e.scrollWidth, e.clientWidth, e.textContent]);
    assert.ok(sw <= cw, `"${text}" is cut: ${sw} px in ${cw} px`);
  }
  await shot(page, 'ec-tiles-laptop');
  await context.close();
});

test('the coverage report\'s visits done / due fit their card (en, district-wide)', async () => {
  const { context, page } = await openPage(browser, LAPTOP);
  await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
  await login(page, 'viewer', DEMO_PW);
  // the district's figures of a larger demo (the probe's: 84,913 done of 115,800 due)
  await page.route('**/api/v1/eldercare/coverage?*', async (r) => {
    const res = await r.fetch();
    const body = await res.json();
    Object.assign(body.total, { visits_done: 84913, visits_due: 115800 });
    return r.fulfill({ response: res, json: body });
  });
  await page.goto('/eldercare/coverage');
  const pair = page.getByTestId('coverage-visits-total');
  await pair.waitFor();
  const card = pair.locator('xpath=ancestor::div[contains(@class,"el-card__body")][1]');
  const [sw, cw] = await card.evaluate((e) => [e.scrollWidth, e.clientWidth]);
  assert.ok(sw <= cw, `visits ${await pair.innerText()}: ${sw} px in ${cw} px`);
  const due = await pair.locator('.pj-due').evaluate((e) => {
    const r = e.getBoundingClientRect();
    const c = e.closest('.el-card').getBoundingClientRect();
    return r.right <= c.right;
  });
  assert.ok(due, 'the due figure within the card');
  await shot(page, 'coverage-visits-laptop-en');
  await context.close();
});

test('an appeal\'s steps on a phone in English: no letter under the chevrons\' notches', async () => {
  const { context, page } = await openPage(browser, { width: 390, height: 844 });
  await context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
  await login(page, 'jd', DEMO_PW, { land: false });
  const a = (await apiGet(page, '/enterprise/appeals?limit=1')).items[0];
  assert.ok(a, 'an appeal of jd');
  await page.goto(`/enterprise/appeals/${a.id}`);
  const steps = page.getByTestId('appeal-flow').locator('.pj-step');
  await steps.first().waitFor();
  for (const el of await steps.all()) {
    const [left, right, textLeft, textRight, text, notch, nrects] = await el.evaluate((e) => {
      const r = e.getBoundingClientRect();
      const cut = getComputedStyle(e).clipPath !== 'none' ? 10 : 0;
      const range = document.createRange();
      range.selectNodeContents(e);
      const rects = [...range.getClientRects()];
      return [r.left, r.right, Math.min(...rects.map((x) => x.left)), Math.max(...rects.map((x) => x.right)), e.textContent, cut, rects.length];
    });
    assert.ok(textLeft >= left + notch && textRight <= right - notch, `"${text}": text ${textLeft}..${textRight} in ${left}..${right}`);
    // a word kept whole on one line (not "Receiv / e")
    if (!/\s/.test(text.trim())) assert.equal(nrects, 1, `"${text}" on ${nrects} lines`);
  }
  await shot(page, 'appeal-flow-phone-en');
  await context.close();
});
