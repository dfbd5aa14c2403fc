// On a phone 360 × 740 the pages a grid worker, a township officer and a facility operator use
// in the field fit the window: the page does not scroll sideways, the page's content starts at
// the window's left edge (the menu is a drawer opened from the header, not a bar of icons beside
// the page) and every button of the page — a row's 结束结对 or 作废 in a table that scrolls
// inside its box among them — is on screen without panning. The menu drawer opens, lies within
// the window, takes the keyboard with it (Tab stays in it), takes the user to a page — the page
// shown too — and closes. The plan page's 作废, the cockpit's 本站接收 figures and the hand-pair
// options (why a helper is disabled) are within the window.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, apiSend, idNumber, solvedPlan, DEMO_PW, budget } from './lib.mjs';

const PHONE = { width: 360, height: 740 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The page fits the window: no sideways scroll of the document or of the main area, the
 * content from the window's left edge, every shown button of the page on screen. */
async function fits(page, what) {
  await page.waitForLoadState('networkidle');
  await page.locator('.pj-main h1').first().waitFor();
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => {
    const main = document.querySelector('.pj-main');
    const W = window.innerWidth;
    const off = [...main.querySelectorAll('button, a.el-button')]
      .filter((b) => b.offsetParent && getComputedStyle(b).visibility !== 'hidden')
      .map((b) => ({ b, r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width && (r.left < -0.5 || r.right > W + 0.5))
      .map(({ b, r }) => `${b.textContent.trim() || b.getAttribute('aria-label')} @ ${Math.round(r.left)}–${Math.round(r.right)}`);
    return {
      scroll: document.documentElement.scrollWidth,
      width: W,
      mainOver: main.scrollWidth - main.clientWidth,
      mainLeft: main.getBoundingClientRect().left,
      off,
    };
  });
  assert.ok(r.scroll <= r.width, `${what}: the page is ${r.scroll} px wide in a ${r.width} px window`);
  assert.ok(r.mainOver <= 0, `${what}: the main area scrolls sideways by ${r.mainOver} px`);
  assert.ok(r.mainLeft <= 0.5, `${what}: the page starts ${r.mainLeft} px from the window's left edge (a menu bar beside it)`);
  assert.deepEqual(r.off, [], `${what}: buttons off screen`);
}

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** The district drawn whole on a map's canvas: the columns where its fill (rgb) is seen are many,
 *  and none at either edge (a map fitted to the height of a card wider than the phone was cut). */
async function wholeDistrict(canvas, rgb) {
  await canvas.page().waitForTimeout(800); // the map drawn
  const r = await canvas.evaluate((c, [R, G, B]) => {
    const g = c.getContext('2d');
    const { width: w, height: h } = c;
    const d = g.getImageData(0, 0, w, h).data;
    const isMap = (i) => Math.abs(d[i] - R) < 6 && Math.abs(d[i + 1] - G) < 6 && Math.abs(d[i + 2] - B) < 6;
    const cols = [];
    for (let x = 0; x < w; x++) {
      let n = 0;
      for (let y = 0; y < h; y++) if (isMap((y * w + x) * 4)) n++;
      if (n > 0) cols.push(x);
    }
    return { w, first: cols[0], last: cols[cols.length - 1], n: cols.length };
  }, rgb);
  assert.ok(r.n > r.w / 3, `the district's fill found in ${r.n} of ${r.w} columns`);
  assert.ok(r.first > 2 && r.last < r.w - 3, `the district spans columns ${r.first}–${r.last} of ${r.w}: cut at the side`);
}

describe('360 px wide: the field pages fit the phone', () => {
  for (const locale of ['zh-CN', 'en']) test(`grid worker: overview, elders, helpers, alerts, vulnerable list, quick entry, an elder and a helper (${locale})`, async () => {
    const { context, page } = await openPage(browser, PHONE);
    await context.addInitScript((l) => localStorage.setItem('pj_locale', l), locale);
    await login(page, 'grid01', DEMO_PW, { land: false });
    const elder = (await apiGet(page, '/elders?limit=1')).items[0];
    const helper = (await apiGet(page, '/helpers?limit=1')).items[0];
    for (const [path, what] of [
      ['/dashboard', 'overview'],
      ['/elders', 'elders'],
      ['/helpers', 'helpers'],
      ['/elder-alerts', 'alerts'],
      ['/eldercare/vulnerable', 'vulnerable list'],
      ['/service-entry', 'quick entry'],
      [`/elders/${elder.id}`, 'an elder'],
      [`/helpers/${helper.id}`, 'a helper'],
    ]) {
      await page.goto(path);
      await fits(page, `grid01 ${what} (${locale})`);
    }
    await page.goto('/elders');
    await page.locator('.pj-main h1').first().waitFor();
    await shot(page, `phone-elders-${locale}`);
    noProblems(page);
    await context.close();
  });

  test('township officer: the pair records of an elder and a helper keep 结束结对 on screen', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const pair = (await apiGet(page, '/pairs?state=active&limit=1')).items[0];
    assert.ok(pair, 'an active pair in the township');
    for (const [path, what] of [
      [`/elders/${pair.elder_id}`, 'the elder'],
      [`/helpers/${pair.helper_id}`, 'the helper'],
      ['/pairing', 'pairing'],
      ['/elders', 'elders'],
      ['/elder-alerts', 'alerts'],
      ['/conversions', 'conversions'],
      ['/dashboard', 'overview'],
    ]) {
      await page.goto(path);
      await fits(page, `jinhaihu ${what}`);
    }
    await page.goto(`/helpers/${pair.helper_id}`);
    const end = page.locator('.pj-main').getByRole('button', { name: '结束结对' }).first();
    await end.waitFor();
    const b = await end.boundingBox();
    assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width, `结束结对 at ${b.x}+${b.width}`);
    await shot(page, 'phone-helper-pairs');
    noProblems(page);
    await context.close();
  });

  test('facility operator: the conversion list and cockpit', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'wanda', DEMO_PW, { land: false });
    const conv = (await apiGet(page, '/conversions?limit=1')).items[0];
    assert.ok(conv, 'a conversion of the operator’s facility');
    for (const [path, what] of [
      ['/dashboard', 'overview'],
      ['/conversions', 'conversions'],
      [`/conversions/${conv.id}`, 'the cockpit'],
    ]) {
      await page.goto(path);
      await fits(page, `wanda ${what}`);
    }
    await shot(page, 'phone-cockpit');
    noProblems(page);
    await context.close();
  });

  test('the menu: a drawer from the header, within the window, closes on choosing a page', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    await page.goto('/dashboard');
    await page.locator('.pj-main h1').first().waitFor();
    const menu = page.getByTestId('console-menu');
    assert.equal(await menu.isVisible(), false, 'the menu is hidden until opened');
    await page.getByTestId('menu-button').click();
    await menu.getByText('互助养老', { exact: true }).click();
    await menu.getByRole('menuitem', { name: '老人台账' }).waitFor();
    const r = await menu.boundingBox();
    assert.ok(r.x >= 0 && r.x + r.width <= PHONE.width, `the menu spans ${r.x}+${r.width}`);
    await shot(page, 'phone-menu');
    await menu.getByRole('menuitem', { name: '老人台账' }).click();
    await page.waitForURL(/\/elders$/);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid="console-menu"]')).visibility === 'hidden');
    // Esc closes it too, and the focus goes back to the menu button
    await page.getByTestId('menu-button').click();
    await menu.getByRole('menuitem', { name: '老人台账' }).waitFor();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid="console-menu"]')).visibility === 'hidden');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-button');
    noProblems(page);
    await context.close();
  });

  test('the menu drawer takes the focus and keeps Tab inside', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    await page.goto('/elders');
    await page.locator('.pj-main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const inMenu = () => page.evaluate(() => !!document.activeElement?.closest('[data-testid="console-menu"]'));
    await page.getByTestId('menu-button').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid="console-menu"]')).visibility === 'visible');
    await page.waitForTimeout(400);
    assert.ok(await inMenu(), `the focus is in the drawer once open (${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))})`);
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await inMenu(), `Tab ${i + 1} stays in the drawer`);
    }
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await inMenu(), `Shift+Tab ${i + 1} stays in the drawer`);
    }
    noProblems(page);
    await context.close();
  });

  test('the menu drawer closes on choosing the entry of the page shown', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    await page.goto('/elders');
    await page.locator('.pj-main h1').first().waitFor();
    await page.getByTestId('menu-button').click();
    await page.getByTestId('console-menu').getByRole('menuitem', { name: '老人台账' }).click();
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid="console-menu"]')).visibility === 'hidden', null, { timeout: 3000 });
    assert.equal(await page.getByTestId('menu-mask').count(), 0, 'no mask over the page');
    assert.match(page.url(), /\/elders$/);
    noProblems(page);
    await context.close();
  });

  test('officer: the plan page’s 作废 and the cockpit’s 本站接收 figures are on screen', { timeout: budget(180000) }, async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW, { land: false });
    const W = PHONE.width;
    const town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('马昌营镇'))).items[0].id;
    const plan = await apiSend(page, 'post', '/plans?wait=1', {
      name: '马昌营 手机查看',
      scenario: 'disaster',
      role: 'resettlement',
      affected: { township_ids: [town] },
      demand: { share: 0.05 },
      vulnerable: { count: 40, needs: 'medical_or_barrier_free' },
      supplies: { days: 3 },
      teams: { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 },
      time_limit_s: 0.5,
    });
    let adopted = null;
    let sh = null;
    try {
      adopted = await apiSend(page, 'post', `/plans/${plan.id}/adopt`, { confirm: true });
      const own = new Set(adopted.conversions.map((c) => c.facility_id));
      const flow = [...adopted.result.supplies.flows].filter((f) => own.has(f.facility_id)).sort((a, b) => b.quantity - a.quantity)[0];
      assert.ok(flow, 'a flow into a converted site');
      sh = await apiSend(page, 'post', `/plans/${plan.id}/shipments`, { store_id: flow.store_id, facility_id: flow.facility_id, category: flow.category, quantity: 1 });
      await page.goto(`/plans/${plan.id}`);
      const void1 = page.getByTestId('ship-void-' + sh.id);
      await void1.waitFor();
      // the page scrolled to the records, the table itself not scrolled sideways
      await page.getByTestId('ship-records').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      const b = await void1.evaluate((el) => el.getBoundingClientRect().toJSON());
      assert.ok(b.left >= 0 && b.right <= W, `作废 at ${Math.round(b.left)}–${Math.round(b.right)} in a ${W} px window`);
      await shot(page, 'phone-plan-void');

      const cid = adopted.conversions.find((c) => c.facility_id === flow.facility_id).conversion_id;
      for (const locale of ['zh-CN', 'en']) {
        await page.evaluate((l) => localStorage.setItem('pj_locale', l), locale);
        await page.goto(`/conversions/${cid}`);
        const panel = page.getByTestId('plan-site');
        await panel.getByTestId('plan-site-flows').waitFor();
        await page.waitForTimeout(300);
        const off = await panel.evaluate((el, w) => {
          const out = [];
          for (const c of el.querySelectorAll('th .cell, td .cell')) {
            const r = c.getBoundingClientRect();
            if (r.width && (r.left < -0.5 || r.right > w + 0.5)) out.push(`${c.textContent.trim()} @ ${Math.round(r.left)}–${Math.round(r.right)}`);
          }
          return out;
        }, W);
        assert.deepEqual(off, [], `${locale}: the panel's figures off screen`);
        const hidden = await panel.evaluate((el) => [...el.querySelectorAll('.el-table__body-wrapper .el-scrollbar__wrap')].map((w) => w.scrollWidth - w.clientWidth).filter((d) => d > 0));
        assert.deepEqual(hidden, [], `${locale}: a table of the panel scrolls sideways`);
        await shot(page, `phone-plan-site-${locale}`);
      }
      await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
      noProblems(page);
    } finally {
      if (sh) await apiSend(page, 'post', `/plans/${plan.id}/shipments/${sh.id}/void`, { reason: '测试结束' });
      for (const c of adopted?.conversions || []) {
        const cv = await apiGet(page, `/conversions/${c.conversion_id}`);
        if (cv.state === 'converting') await apiSend(page, 'post', `/conversions/${c.conversion_id}/abort`, { reason: '测试结束', confirm: true });
      }
      await context.close();
    }
  });

  test('hand pairing: the helper options, why one is disabled among them, within the dialog', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD, { land: false });
    const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
    const n = Date.now() % 100000;
    const elder = await apiSend(page, 'post', '/elders', {
      name: `手机老人${n}`, sex: 'F', birth_date: '1940-06-09', id_number: idNumber('19400609'), grid_id: grid, ability_level: 3,
      help_needed: ['companionship', 'nursing'],
    });
    await apiSend(page, 'post', '/helpers', {
      name: `手机${n}甲`, sex: 'F', birth_date: '1970-06-09', id_number: idNumber('19700609'), grid_id: grid, skills: ['companionship'], capacity: 2,
    });
    await page.goto(`/elders/${elder.id}`);
    await page.getByTestId('pair-by-hand').click();
    const dlg = page.getByTestId('pair-by-hand-dialog');
    await dlg.waitFor();
    await dlg.getByTestId('pair-by-hand-helper').click();
    await page.keyboard.type(`手机${n}`);
    const lacks = page.locator('.el-select-dropdown__item:visible', { hasText: `手机${n}甲` }).getByTestId('pair-by-hand-lacks');
    await lacks.waitFor();
    await page.waitForTimeout(300);
    const box = await dlg.locator('.el-dialog').evaluate((el) => el.getBoundingClientRect().toJSON()).catch(async () => (await dlg.boundingBox()));
    const r = await lacks.evaluate((el) => el.getBoundingClientRect().toJSON());
    assert.ok(r.right <= Math.min(box.right ?? box.x + box.width, PHONE.width) + 0.5, `why it is disabled ends at ${Math.round(r.right)}, the dialog at ${Math.round(box.right ?? box.x + box.width)}`);
    const items = await page.locator('.el-select-dropdown__item:visible').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().right)));
    assert.ok(items.every((x) => x <= PHONE.width), `the options end at ${items.join(', ')}`);
    await shot(page, 'phone-pair-by-hand');
    noProblems(page);
    await context.close();
  });

  // the district map fits the phone's width: at 480 px high its width followed the height and
  // the district was cut at both sides; the live conversions' steps and overdue columns lay
  // beyond the card
  test('officer: the dashboard map shows the whole district; the live conversions their steps', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW);
    const canvas = page.getByTestId('district-map').locator('canvas').first();
    await canvas.waitFor();
    await wholeDistrict(canvas, [0xe6, 0xee, 0xf9]);
    await canvas.scrollIntoViewIfNeeded();
    await shot(page, 'phone-dashboard-map');
    // the conversions under way: the steps' progress and the overdue ones under each name, on
    // screen (their columns lay beyond the card's right edge)
    const steps = page.getByTestId('live-conversions').getByTestId('live-steps').first();
    await steps.scrollIntoViewIfNeeded();
    assert.match((await steps.innerText()).replace(/\s+/g, ' ').trim(), /^步骤进度 \d+\/\d+ · 超时未完成 \d+$/);
    const sb = await steps.evaluate((el) => el.getBoundingClientRect().toJSON());
    assert.ok(sb.right <= PHONE.width, `the steps end at ${Math.round(sb.right)}`);
    const over = await page.getByTestId('live-table').locator('.el-scrollbar__wrap').first().evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(over <= 0, `the table scrolls sideways by ${over} px`);
    noProblems(page);
    await context.close();
  });

  // the coverage report's map likewise (cut at both sides and below, the townships' names to
  // the right of their points cut at the edge: 金…)
  test("township officer: the coverage map shows the whole district", async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    await page.goto('/eldercare/coverage');
    const canvas = page.getByTestId('coverage-map').locator('canvas').first();
    await canvas.waitFor();
    await canvas.scrollIntoViewIfNeeded();
    await wholeDistrict(canvas, [0xee, 0xf2, 0xf7]);
    await shot(page, 'phone-coverage-map');
    noProblems(page);
    await context.close();
  });

  // a plan's map likewise (it was cut at both sides, the villages at the east edge off the card)
  test("officer: a plan's map shows the whole district", async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW);
    const plan = await solvedPlan(page, '手机地图方案');
    await page.goto(`/plans/${plan.id}`);
    const canvas = page.getByTestId('plan-map').locator('canvas').first();
    await canvas.waitFor();
    await canvas.scrollIntoViewIfNeeded();
    await wholeDistrict(canvas, [0xee, 0xf3, 0xfa]);
    await shot(page, 'phone-plan-map');
    noProblems(page);
    await context.close();
  });
});
