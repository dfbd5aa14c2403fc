// On a phone 390 px wide nothing is cut off at the right: the carbon page's cards, the
// conversion cockpit (a card per step), English table headers (whole words), the appeal KPIs'
// cards, the 发布融资需求 dialog (its save button on screen), the password dialog, the admin's
// user form and a reception day's sign-up form, the planner's pages (the new-plan form's
// choices, the plan list's buttons and filter, both plans on the compare page, the Gantt's bars
// wide enough to read, scrolled sideways inside their card; a plan's wide tables fade out at the
// edge they scroll towards), the overview's capacity table (within its card, scrolled inside it)
// — the page does not scroll sideways
// (scrollWidth against innerWidth) and a dialog lies within the window.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, BASE, ADMIN_PW, DEMO_PW } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** The page does not scroll sideways. */
async function noSideways(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`);
}

/** The dialog lies within the window, its overlay does not scroll sideways, and the buttons
 * named are on screen. */
async function dialogFits(page, dlg, what, buttons = []) {
  await noSideways(page, what);
  const r = await dlg.evaluate((el) => {
    const b = el.getBoundingClientRect();
    const overlay = el.closest('.el-overlay-dialog') || el.parentElement;
    return { left: b.left, right: b.right, width: window.innerWidth, over: overlay.scrollWidth - overlay.clientWidth };
  });
  assert.ok(r.left >= 0 && r.right <= r.width, `${what}: the dialog spans ${r.left}–${r.right} px of ${r.width}`);
  assert.ok(r.over <= 0, `${what}: the dialog's overlay scrolls sideways by ${r.over} px`);
  for (const name of buttons) {
    const b = await dlg.getByRole('button', { name, exact: true }).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= r.width, `${what}: the ${name} button is off screen (${b && b.x}+${b && b.width})`);
  }
}

/** No word of the cells' text is broken across two lines ("Emerge|ncy"). */
async function wordsWhole(cells, what) {
  const broken = await cells.evaluateAll((els) => {
    const out = [];
    for (const el of els) {
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const re = /[A-Za-z]{2,}/g;
        let m;
        while ((m = re.exec(n.data))) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  });
  assert.deepEqual(broken, [], `${what}: words broken across lines`);
}

describe('390 px wide', () => {
  test('the carbon page: its cards within the window', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/development/carbon');
    await page.getByTestId('carbon-emissions').waitFor();
    await page.getByTestId('factor-table').locator('tbody tr').first().waitFor();
    await noSideways(page, 'carbon');
    const card = await page.getByTestId('carbon-emissions').boundingBox();
    assert.ok(card.x + card.width <= PHONE.width, `carbon: the emissions card ends at ${card.x + card.width} px`);
    await shot(page, 'narrow-carbon');
    noProblems(page);
    await context.close();
  });

  test('the cockpit: one card per step with its name, status, checklist and action, all on screen', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'wanda', DEMO_PW, { land: false });
    const conv = (await apiGet(page, '/conversions?facility_id=1&mode=live&state=converting')).items[0];
    assert.ok(conv, 'the demo conversion of 万达锦华酒店');
    await page.goto(`/conversions/${conv.id}`);
    const convert = conv.steps.filter((s) => s.phase === 'convert');
    for (const s of convert) await page.getByTestId('card-' + s.code).waitFor();
    assert.equal(await page.getByTestId('steps-convert').locator('table').count(), 0, 'cards, not a table');
    await noSideways(page, 'cockpit');
    for (const s of convert) {
      const card = page.getByTestId('card-' + s.code);
      const b = await card.boundingBox();
      assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width, `${s.code}: the card spans ${b.x}–${b.x + b.width} px`);
      // the whole name, the status, every checklist item in the card
      const name = card.locator('.pj-step-name');
      assert.equal((await name.innerText()).trim(), s.name);
      assert.ok(await name.evaluate((e) => e.scrollWidth <= e.clientWidth + 1), `${s.code}: the name is cut off`);
      await card.locator(`[data-status="${s.status}"]`).waitFor();
      for (const c of s.checklist) {
        const item = card.locator('li', { hasText: c.item });
        const ib = await item.boundingBox();
        assert.ok(ib.x + ib.width <= b.x + b.width, `${s.code}: the item ${c.item} sticks out`);
      }
    }
    // the action of a step (finish a running one, or start one whose predecessors are done) sits
    // in its card, under its name, and says which step
    const done = new Set(convert.filter((s) => s.status === 'done').map((s) => s.code));
    const running = convert.find((s) => s.status === 'running');
    const next = running || convert.find((s) => s.status === 'pending' && s.predecessors.every((p) => done.has(p)));
    assert.ok(next, 'a step to finish or start');
    const action = page.getByTestId('card-' + next.code).getByTestId((running ? 'finish-' : 'start-') + next.code);
    await action.getByText(next.code).waitFor();
    const fb = await action.boundingBox();
    assert.ok(fb.x >= 0 && fb.x + fb.width <= PHONE.width, `the ${running ? 'finish' : 'start'} button spans ${fb.x}–${fb.x + fb.width} px`);
    const gantt = await page.getByTestId('gantt').boundingBox();
    assert.ok(gantt.x + gantt.width <= PHONE.width, `the Gantt ends at ${gantt.x + gantt.width} px`);
    await page.getByTestId('card-' + next.code).scrollIntoViewIfNeeded();
    await shot(page, 'narrow-cockpit');
    noProblems(page);
    await context.close();
  });

  test('a facility in English: table headers break between words, not inside them', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW);
    await page.locator('.pj-tools').getByText('English').click();
    await page.goto('/facilities/1');
    await page.getByTestId('facility-roles').locator('tbody tr').first().waitFor();
    await page.getByTestId('facility-manuals').locator('tbody tr').first().waitFor();
    for (const id of ['facility-roles', 'facility-manuals', 'facility-conversions']) await wordsWhole(page.getByTestId(id).locator('th .cell'), id);
    await page.goto('/conversions');
    await page.getByTestId('conversion-table').locator('tbody tr').first().waitFor();
    await wordsWhole(page.getByTestId('conversion-table').locator('th .cell'), 'conversion list');
    await shot(page, 'narrow-facility-en');
    await page.locator('.pj-tools').getByText('中文').click();
    noProblems(page);
    await context.close();
  });

  test('the appeal KPIs: their cards within the window', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/enterprise/kpis');
    await page.getByTestId('kpi-tiles').waitFor();
    await page.getByTestId('kpi-trend').locator('canvas').first().waitFor();
    await noSideways(page, 'KPIs');
    for (const id of ['kpi-trend', 'kpi-category']) {
      const b = await page.getByTestId(id).boundingBox();
      assert.ok(b.x + b.width <= PHONE.width, `KPIs: ${id} ends at ${b.x + b.width} px`);
    }
    await shot(page, 'narrow-kpis');
    noProblems(page);
    await context.close();
  });

  test('the 发布融资需求 dialog fits, its buttons on screen', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/enterprise/finance');
    await page.getByTestId('new-need').click();
    const dlg = page.getByRole('dialog', { name: '发布融资需求' });
    await dlg.getByTestId('need-purpose').waitFor();
    await dialogFits(page, dlg, '发布融资需求', ['保存', '取消']);
    await shot(page, 'narrow-finance-need');
    noProblems(page);
    await context.close();
  });

  test('the password dialog fits, its buttons on screen', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW);
    await page.locator('.pj-user').click();
    await page.getByRole('menuitem', { name: '修改密码' }).click();
    const dlg = page.getByRole('dialog', { name: '修改密码' });
    await dlg.locator('input').first().waitFor();
    await dialogFits(page, dlg, '修改密码', ['保存', '取消']);
    await shot(page, 'narrow-password');
    noProblems(page);
    await context.close();
  });

  test('the admin\'s user form fits', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/admin/users');
    await page.getByTestId('user-table').locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: '新建用户' }).click();
    const dlg = page.getByRole('dialog', { name: '新建用户' });
    await dlg.getByTestId('user-role').waitFor();
    await dialogFits(page, dlg, '新建用户', ['保存', '取消']);
    await shot(page, 'narrow-user-form');
    noProblems(page);
    await context.close();
  });

  test('a reception day\'s sign-up form fits', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW, { land: false });
    // a planned day ahead (Beijing's date), this year's or the next one's scheduled if none
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const ahead = async () =>
      (await apiGet(page, '/enterprise/reception-days?limit=100')).items.filter((d) => d.state === 'planned' && d.held_on >= today).sort((a, b) => a.held_on.localeCompare(b.held_on))[0];
    let day = await ahead();
    for (let y = Number(today.slice(0, 4)); !day && y <= Number(today.slice(0, 4)) + 1; y++) {
      if (!(await apiGet(page, `/enterprise/calendar?year=${y}`)).items.length)
        await page.request.post(BASE + '/api/v1/enterprise/calendar', { data: { day: `${y}-01-01`, kind: 'holiday', name: '元旦' } });
      await page.request.post(BASE + '/api/v1/enterprise/reception-days', { data: { year: y } });
      day = await ahead();
    }
    assert.ok(day, 'a reception day ahead');
    await page.goto(`/enterprise/reception-days?year=${day.held_on.slice(0, 4)}`);
    await page.getByTestId('reception-calendar').locator(`[data-day="${day.held_on}"]`).first().click();
    const topic = page.getByTestId('signup-topic');
    await topic.waitFor();
    await noSideways(page, 'sign-up');
    const detail = await page.getByTestId('reception-detail').boundingBox();
    const box = await topic.boundingBox();
    assert.ok(box.x + box.width <= detail.x + detail.width, `the topic field ends at ${box.x + box.width} px, its card at ${detail.x + detail.width}`);
    const save = await page.getByTestId('signup-save').boundingBox();
    assert.ok(save.x + save.width <= PHONE.width, `the sign-up button ends at ${save.x + save.width} px`);
    await shot(page, 'narrow-signup');
    noProblems(page);
    await context.close();
  });

  test('the planner: the new-plan form\'s choices, the list\'s buttons, both plans compared, a Gantt to read', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW);
    const within = async (loc, what) => {
      const b = await loc.boundingBox();
      assert.ok(b && b.x >= 0 && b.x + b.width <= PHONE.width, `${what} spans ${b && b.x}–${b && b.x + b.width} px`);
    };
    for (const lang of ['zh-CN', 'en']) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto('/plans/new');
      await page.getByTestId('scenario-form').waitFor();
      await noSideways(page, `new plan (${lang})`);
      for (const id of ['plan-scenario', 'affected-by', 'demand-by']) {
        const items = page.getByTestId(id).locator('.el-segmented__item');
        for (let i = 0; i < (await items.count()); i++) await within(items.nth(i), `${id} option ${i} (${lang})`);
      }
      await shot(page, `narrow-plan-new-${lang}`);
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    // two plans to list and compare
    const town = (await apiGet(page, '/regions?type=township&q=' + encodeURIComponent('金海湖地区'))).items[0].id;
    const ids = [];
    for (const share of [0.05, 0.1]) {
      const res = await page.request.post(BASE + '/api/v1/plans?wait=1', {
        data: { name: `金海湖 ${share * 100}%`, scenario: 'disaster', role: 'resettlement', affected: { township_ids: [town] }, demand: { share }, deadline_hours: 20, teams: { cleaning: 12, logistics: 16, security: 4, medical: 4, catering: 6, it: 2 }, time_limit_s: 0.3 },
      });
      assert.equal(res.status(), 201, await res.text());
      ids.push((await res.json()).id);
    }
    await page.goto('/plans');
    await page.getByTestId('plan-table').locator('tbody tr').first().waitFor();
    await noSideways(page, 'plans');
    await within(page.getByTestId('new-plan'), 'the new-plan button');
    await within(page.getByTestId('compare-picked'), 'the compare button');
    await within(page.getByTestId('status-filter'), 'the status filter');
    // the table's columns all within its card (no column cut off at the right)
    const over = await page.getByTestId('plan-table').evaluate((el) => Math.max(0, ...[...el.querySelectorAll('.el-scrollbar__wrap')].map((w) => w.scrollWidth - w.clientWidth)));
    assert.ok(over <= 1, `the plan table scrolls sideways by ${over} px`);
    await shot(page, 'narrow-plans');

    await page.goto(`/plans/compare?a=${ids[0]}&b=${ids[1]}`);
    const figs = page.getByTestId('compare-figures');
    await figs.locator('tbody tr').first().waitFor();
    await noSideways(page, 'compare');
    const row = figs.locator('tr', { has: page.locator('[data-fig="objective"]') });
    for (const ab of ['A', 'B']) await within(row.locator('.pj-ab-line', { hasText: ab }), `the objective of ${ab}`);
    for (const id of ['compare-figures', 'compare-inputs', 'compare-sites']) {
      const o = await page.getByTestId(id).evaluate((el) => Math.max(0, ...[...el.querySelectorAll('.el-scrollbar__wrap')].map((w) => w.scrollWidth - w.clientWidth)));
      assert.ok(o <= 1, `${id} scrolls sideways by ${o} px`);
    }
    await shot(page, 'narrow-plan-compare');

    // the Gantt: at least 600 px wide, scrolled inside its card; the site names short
    await page.goto(`/plans/${ids[1]}`);
    const gantt = page.getByTestId('gantt-scroll');
    await gantt.locator('canvas').first().waitFor();
    await noSideways(page, 'plan');
    const g = await gantt.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, canvas: el.querySelector('canvas').getBoundingClientRect().width }));
    assert.ok(g.canvas >= 600 && g.scroll >= 600, `the Gantt is ${g.canvas} px wide`);
    assert.ok(g.client < g.scroll, 'it scrolls inside its card');
    await gantt.scrollIntoViewIfNeeded();
    await shot(page, 'narrow-plan-gantt');
    // the sites table, wider than the phone, fades out at the edge it scrolls towards (its
    // columns beyond are seen to be there): the right one at first, both in the middle, the left
    // one at the end
    const sites = page.getByTestId('plan-sites');
    await sites.scrollIntoViewIfNeeded();
    const fade = () => sites.evaluate((el) => ({ cls: el.className, mask: getComputedStyle(el.querySelector('.el-table__body-wrapper')).maskImage }));
    let f = await fade();
    assert.match(f.cls, /is-scrolling-left/);
    assert.match(f.mask, /linear-gradient\(to right, rgb\(0, 0, 0\) calc\(100% - 36px\), rgba\(0, 0, 0, 0\)\)/, `right edge: ${f.mask}`);
    await sites.evaluate((el) => {
      const w = el.querySelector('.el-scrollbar__wrap');
      w.scrollLeft = (w.scrollWidth - w.clientWidth) / 2;
      w.dispatchEvent(new Event('scroll'));
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="plan-sites"]').classList.contains('is-scrolling-middle'));
    f = await fade();
    assert.match(f.mask, /rgba\(0, 0, 0, 0\), rgb\(0, 0, 0\) 36px, rgb\(0, 0, 0\) calc\(100% - 36px\), rgba\(0, 0, 0, 0\)/, `both edges: ${f.mask}`);
    await sites.evaluate((el) => {
      const w = el.querySelector('.el-scrollbar__wrap');
      w.scrollLeft = w.scrollWidth;
      w.dispatchEvent(new Event('scroll'));
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="plan-sites"]').classList.contains('is-scrolling-right'));
    f = await fade();
    assert.match(f.mask, /^linear-gradient\(to right, rgba\(0, 0, 0, 0\), rgb\(0, 0, 0\) 36px\)$/, `left edge: ${f.mask}`);

    noProblems(page);
    await context.close();
  });

  test('the overview\'s capacity per role: every figure within its card and on screen, nothing scrolled sideways', async () => {
    for (const [user, lang] of [['wanda', 'zh-CN'], ['jinhaihu', 'en']]) {
      const { context, page } = await openPage(browser, PHONE);
      await login(page, user, DEMO_PW);
      if (lang !== 'zh-CN') {
        await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
        await page.goto('/dashboard');
      }
      const cap = page.getByTestId('capacity-table');
      await cap.getByText(lang === 'en' ? 'Isolation rooms' : '隔离房间').first().waitFor();
      await page.waitForTimeout(300); // laid out
      await noSideways(page, `overview (${user})`);
      const card = page.locator('.pj-capacity-card');
      await card.scrollIntoViewIfNeeded();
      const c = await card.boundingBox();
      assert.ok(c.x >= 0 && c.x + c.width <= PHONE.width, `the capacity card spans ${c.x}–${c.x + c.width} px`);
      // every figure (ready, converting, convertible, per 10,000, target) of every role lies
      // inside the card, none in a part scrolled out of view
      const r = await cap.evaluate((el) => {
        const box = el.closest('.el-card').getBoundingClientRect();
        const figs = [...el.querySelectorAll('.pj-num')].map((n) => n.getBoundingClientRect());
        const scrolled = [...el.querySelectorAll('*')].filter((n) => n.scrollWidth > n.clientWidth + 1 && getComputedStyle(n).overflowX !== 'visible').length;
        return { left: box.left, right: box.right, n: figs.length, out: figs.filter((f) => f.left < box.left || f.right > box.right || f.right > window.innerWidth).length, scrolled };
      });
      const roles = (await apiGet(page, '/overview')).roles.length;
      assert.ok(r.n >= roles * 4, `${r.n} figures for ${roles} roles`); // a target where one is set
      assert.equal(r.out, 0, `${r.out} figures outside the card (${r.left}–${r.right} px)`);
      assert.equal(r.scrolled, 0, 'a part of the capacity scrolls sideways');
      await shot(page, `narrow-overview-capacity-${lang}`);
      noProblems(page);
      await context.close();
    }
  });
});

// The review sweep at 390 px: the vulnerable list's table readable (scrolled inside its group,
// printed as before), the service buttons' English labels whole, the KPI page's date range
// within the window, the alert state tabs whole, the elder form's region pickers stacked.
describe('sweep at 390 px', () => {
  test('sweep: the vulnerable list scrolls inside its group, names and phones each readable', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    await page.goto('/eldercare/vulnerable');
    const sheet = page.getByTestId('vulnerable-sheet');
    await sheet.locator('tbody tr').first().waitFor();
    await noSideways(page, 'vulnerable list');
    const r = await sheet.evaluate((el) => {
      const rows = [...el.querySelectorAll('tbody tr')].slice(0, 20);
      const lines = (n) => new Set([...n.getClientRects()].map((x) => Math.round(x.top))).size;
      const range = (n) => {
        const rg = document.createRange();
        rg.selectNodeContents(n);
        return rg;
      };
      return {
        names: rows.map((tr) => lines(tr.querySelector('b'))),
        over: rows.flatMap((tr) => [...tr.cells].filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent.trim())),
        phones: rows.flatMap((tr) => [...tr.cells].slice(5).map((td) => lines(range(td)))),
        scroll: [...el.querySelectorAll('[data-testid="vulnerable-scroll"]')].map((s) => s.scrollWidth > s.clientWidth),
        heads: [...el.querySelectorAll('thead tr:not(.pj-grid-head) th')].slice(0, 8).map((th) => th.getBoundingClientRect().width),
      };
    });
    assert.ok(r.names.every((n) => n === 1), `names broken over lines: ${r.names}`);
    assert.deepEqual(r.over, [], 'cells whose text runs out of them');
    assert.ok(r.phones.every((n) => n <= 2), `phone cells over ${Math.max(...r.phones)} lines`);
    assert.ok(r.scroll.length && r.scroll.every(Boolean), 'the table scrolls inside its group');
    assert.ok(r.heads.slice(1).every((w) => w >= 60), `columns too narrow: ${r.heads}`);
    await shot(page, 'narrow-vulnerable');
    // printed: the A4 layout (no phone width)
    await page.emulateMedia({ media: 'print' });
    const minW = await sheet.locator('table').first().evaluate((t) => getComputedStyle(t).minWidth);
    assert.ok(minW === '0px' || minW === 'auto', `printed table min-width ${minW}`);
    await page.emulateMedia({ media: 'screen' });
    noProblems(page);
    await context.close();
  });

  test('sweep: English service buttons show their whole labels; the alert state tabs too', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto('/service-entry');
    const kinds = page.locator('.pj-kind');
    await kinds.first().waitFor();
    await page.getByText('Companionship', { exact: true }).waitFor();
    await noSideways(page, 'service entry');
    const cut = await kinds.evaluateAll((els) => els.filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > window.innerWidth).map((b) => b.textContent.trim()));
    assert.deepEqual(cut, [], 'service buttons cut');
    await wordsWhole(kinds, 'service buttons');
    await shot(page, 'narrow-service-entry-en');
    await page.goto('/elder-alerts');
    const tabs = page.getByTestId('alert-state').locator('.el-segmented__item-label');
    await page.getByTestId('alert-state').getByText('Acknowledged').waitFor();
    await noSideways(page, 'alerts');
    const cutTabs = await tabs.evaluateAll((els) => els.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent.trim()));
    assert.deepEqual(cutTabs, [], 'state tabs cut');
    const off = await tabs.evaluateAll((els) => els.filter((l) => { const r = l.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; }).map((l) => l.textContent.trim()));
    assert.deepEqual(off, [], 'state tabs off screen');
    // the chosen tab's marker spans no more than its own row (no block over two rows)
    const tall = await page.getByTestId('alert-state').evaluate((el) => {
      const m = el.querySelector('.el-segmented__item-selected');
      const item = el.querySelector('.el-segmented__item').getBoundingClientRect().height;
      return m ? m.getBoundingClientRect().height - item : 0;
    });
    assert.ok(tall <= 4, `the chosen tab's marker is ${tall} px taller than a tab`);
    await shot(page, 'narrow-alerts-en');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });

  test('sweep: the KPI page date range lies within the window; the elder form stacks its region pickers', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/enterprise/kpis');
    await page.getByTestId('kpi-tiles').waitFor();
    await page.locator('.pj-filters .el-date-editor').first().waitFor();
    await noSideways(page, 'appeal KPIs');
    const b = await page.locator('.pj-filters .el-date-editor').first().boundingBox();
    assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width, `the date range spans ${b.x}–${b.x + b.width} px`);
    await shot(page, 'narrow-kpis');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto('/elders/new');
    const grid = page.getByTestId('f-grid');
    await grid.locator('.el-select').first().waitFor();
    const widths = await grid.locator('.el-select').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(widths.length >= 2 && widths.every((w) => w >= 250), `region pickers ${widths} px wide`);
    await noSideways(page, 'new elder');
    await shot(page, 'narrow-elder-form-en');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await context.close();
  });
});
