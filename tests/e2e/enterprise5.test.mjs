// The enterprise-service pages, fifth round. Reception days for a firm: its own wording when
// none is scheduled, 已报名 (with its topic) in place of the form once signed up, a second
// sign-up refused with a message; English months (Jan…Dec) and "1 sign-up". An appeal's
// timeline and ratings name their departments for the firm, its details one column on a
// phone; the appeal list and the cooperation board as cards on a phone, the board's demo posts
// in Chinese. A township officer's firm search keeps to the township, a refusal names it; a
// re-dispatch after a return leaves the returning department out; 办结 asks first; the list
// puts open and new appeals first; English ratings in full.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, DEMO_PW, budget } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}
async function noSideways(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`);
}
async function within(loc, what, width = PHONE.width) {
  const b = await loc.boundingBox();
  assert.ok(b && b.x >= 0 && b.x + b.width <= width, `${what} spans ${b && b.x}–${b && b.x + b.width} px`);
}
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Beijing's

/** An appeal of jd's firm, filed by the officer, taken through the actions given. */
async function jdAppeal(page, title, category, steps = []) {
  const jdOrg = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
  let a = await call(page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'help', category, title, description: '测试' });
  for (const [action, body] of steps) a = await call(page, 'POST', `/enterprise/appeals/${a.id}/${action}`, { version: a.version, ...body });
  return a;
}

describe('enterprise services (5)', { timeout: budget(240000) }, () => {
  test('reception days for a firm: its own wording with none ahead; 已报名 once signed up, a second sign-up refused with a message; English months and "1 sign-up"', async () => {
    const jd = await openPage(browser, PHONE);
    await login(jd.page, 'jd', DEMO_PW);
    const ahead = async () => (await apiGet(jd.page, '/enterprise/reception-days?limit=200')).items.filter((d) => d.state === 'planned' && d.held_on >= today());
    if (!(await ahead()).length) {
      await jd.page.goto('/enterprise/reception-days');
      const none = jd.page.getByTestId('reception-none');
      await none.getByText('区里安排后会在这里显示').waitFor();
      assert.doesNotMatch(await none.innerText(), /区级干部|生成/, 'not the officers\' wording');
    }
    // the officer schedules this year and the next (a year without holidays entered gets 元旦)
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const y = Number(today().slice(0, 4));
    for (const year of [y, y + 1]) {
      if (!(await apiGet(off.page, `/enterprise/calendar?year=${year}`)).items.length)
        await call(off.page, 'POST', '/enterprise/calendar', { day: `${year}-01-01`, kind: 'holiday', name: '元旦' });
      await call(off.page, 'POST', '/enterprise/reception-days', { year });
    }
    await off.context.close();
    // days the firm has not signed up for (other files sign jd up for the next day)
    const days = (await ahead()).filter((d) => !d.signups.length).sort((a, b) => a.held_on.localeCompare(b.held_on));
    assert.ok(days.length >= 2, 'two reception days ahead');
    const [first, second] = days;

    const { page } = jd;
    const detail = page.getByTestId('reception-detail');
    const cal = page.getByTestId('reception-calendar');
    const openDay = async (d) => {
      await page.goto(`/enterprise/reception-days?year=${d.held_on.slice(0, 4)}`);
      await cal.locator(`[data-day="${d.held_on}"]`).click();
      await detail.getByText(`${d.held_on} 接待日`).waitFor();
    };
    await openDay(first);
    await page.getByTestId('signup-topic').fill('冷链仓储用电增容');
    await page.getByTestId('signup-save').click();
    const signed = page.getByTestId('signed-up');
    await signed.getByText('已报名').waitFor();
    await signed.getByText('议题：冷链仓储用电增容').waitFor();
    assert.equal(await page.getByTestId('signup-topic').count(), 0, 'no second sign-up form');
    await noSideways(page, 'signed up');
    await shot(page, 'e5-reception-signed-up');
    // the form open while the firm signs up elsewhere: the refusal is said, then 已报名
    await openDay(second);
    await page.getByTestId('signup-topic').fill('第二次报名');
    await call(page, 'POST', `/enterprise/reception-days/${second.id}/signups`, { topic: '另一处报名' });
    await page.getByTestId('signup-save').click();
    await detail.getByText('贵企业已报名该接待日，不能重复报名').waitFor();
    await signed.getByText('议题：另一处报名').waitFor();
    assert.equal(await page.getByTestId('signup-topic').count(), 0);
    await shot(page, 'e5-reception-refused');

    // English: months by name, one sign-up in the singular
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto(`/enterprise/reception-days?year=${first.held_on.slice(0, 4)}`);
    await cal.locator(`[data-day="${first.held_on}"]`).waitFor();
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(first.held_on.slice(5, 7)) - 1];
    await cal.locator(`[data-day="${first.held_on}"]`).getByText(month, { exact: true }).waitFor();
    assert.doesNotMatch(await cal.innerText(), /Month \d/);
    // the next day's count in the singular or plural as its number needs (other files may
    // have signed firms up for it too)
    const next = await page.getByTestId('reception-next').innerText();
    const m = next.match(/\b(\d+) sign-ups?\b/);
    assert.ok(m, next);
    assert.equal(m[0], m[1] === '1' ? '1 sign-up' : `${m[1]} sign-ups`);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    noProblems(page);
    await jd.context.close();
  });

  // closed at the firm's rating, before a call-back: no call-back deadline beside the time to
  // complete, and the description slid into that row's right half
  test('an appeal closed before a call-back: the description on a row of its own', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    let a = await jdAppeal(off.page, '用电增容咨询（e2e5）', 'permits', [['dispatch', {}], ['accept', {}], ['reply', { reply: '已答复', resolved: true }]]);
    const jd = await openPage(browser);
    await login(jd.page, 'jd', DEMO_PW);
    a = await call(jd.page, 'POST', `/enterprise/appeals/${a.id}/rate`, { version: a.version, rating: 'satisfied' });
    assert.equal(a.state, 'closed');
    assert.equal(a.visited_at, null);
    await jd.context.close();
    await off.page.goto(`/enterprise/appeals/${a.id}`);
    const details = off.page.getByTestId('appeal-details');
    const label = (text) => details.locator('.el-descriptions__label', { hasText: text }).first();
    await label('诉求内容').waitFor();
    const [org, due, desc] = await Promise.all(['企业', '办结时限', '诉求内容'].map((x) => label(x).boundingBox()));
    assert.equal(Math.round(desc.x), Math.round(org.x), 'the description starts its row');
    assert.ok(desc.y > due.y + 1, 'below the time to complete');
    noProblems(off.page);
    await off.context.close();
  });

  test('an appeal on a phone (jd): one column of details, the timeline and ratings name the department', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const cat = (await apiGet(off.page, '/enterprise/dispatch-catalogue')).items.find((c) => c.category === 'permits');
    const a = await jdAppeal(off.page, '审批时限咨询（e2e5）', 'permits', [['dispatch', {}], ['accept', {}], ['reply', { reply: '已答复', resolved: true }]]);
    await off.context.close();

    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'jd', DEMO_PW);
    await call(page, 'POST', `/enterprise/appeals/${a.id}/rate`, { version: a.version, rating: 'satisfied' });
    await page.goto(`/enterprise/appeals/${a.id}`);
    const details = page.getByTestId('appeal-details');
    await details.waitFor();
    // one item a row: a label and its value
    const cells = await details.locator('tbody tr').first().locator('td, th').count();
    assert.equal(cells, 2, 'one column of details on a phone');
    const label = details.locator('.el-descriptions__label', { hasText: '办结时限' });
    const lb = await label.boundingBox();
    assert.ok(lb.height < 40, `the label 办结时限 on one line (${lb.height} px high)`);
    await noSideways(page, 'appeal detail');
    const timeline = page.getByTestId('appeal-timeline');
    await timeline.getByTestId('event-department').first().waitFor();
    const depts = await timeline.getByTestId('event-department').allInnerTexts();
    assert.ok(depts.length >= 2 && depts.every((d) => d === cat.department), `the timeline's departments: ${depts}`);
    const ratings = page.getByTestId('appeal-ratings');
    await ratings.getByText(cat.department).waitFor();
    assert.doesNotMatch(await ratings.innerText(), /#\d+/);
    assert.doesNotMatch(await timeline.innerText(), /#\d+/);
    await shot(page, 'e5-appeal-phone');
    noProblems(page);
    await context.close();
  });

  test('jd\'s appeals and the cooperation board on a phone: cards with the state, the board\'s posts in Chinese', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'jd', DEMO_PW, { land: false });
    await page.goto('/enterprise/appeals');
    const cards = page.getByTestId('appeal-cards');
    const card = cards.locator('.pj-acard').first();
    await card.waitFor();
    await card.getByTestId('card-state').waitFor();
    await within(card, 'an appeal card');
    await within(card.getByTestId('card-state'), 'its state');
    await noSideways(page, 'appeal list');
    await shot(page, 'e5-appeals-phone');

    await page.goto('/enterprise/cooperation');
    const posts = page.getByTestId('coop-post-cards');
    const post = posts.locator('.pj-pcard').first();
    await post.waitFor();
    await within(post, 'a post card');
    const text = await posts.innerText();
    assert.match(text, /[供需]：\S+合作 #\d+/);
    assert.doesNotMatch(text, /[A-Za-z]/, 'no category codes or English in the demo posts');
    await post.click();
    const matches = page.getByTestId('coop-matches');
    await matches.waitFor();
    assert.doesNotMatch(await matches.innerText(), /synthetic/);
    await within(matches, 'the matches card');
    await noSideways(page, 'cooperation board');
    await shot(page, 'e5-coop-phone');
    noProblems(page);
    await context.close();
  });

  test('a township officer (en): the firm search keeps to the township, a refusal names it; a new appeal first in the list', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'jinhaihu', DEMO_PW);
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    const me = await apiGet(page, '/auth/me');
    const town = await apiGet(page, `/regions/${me.township_id}`);
    const firms = (await apiGet(page, '/organisations?type=enterprise&limit=200')).items;
    const outside = firms.find((o) => o.township_id && o.township_id !== me.township_id);
    const inside = (await apiGet(page, `/organisations?type=enterprise&township_id=${me.township_id}&limit=1`)).items[0];
    assert.ok(outside && inside, 'firms inside and outside the township');
    await page.goto('/enterprise/appeals');
    await page.getByTestId('new-appeal').click();
    const org = page.getByTestId('appeal-org');
    // the search asks for the township's firms only: a firm outside is not offered
    const asked = page.waitForRequest((r) => r.url().includes('/api/v1/organisations?'));
    await org.click();
    await page.keyboard.type(outside.name);
    const url = new URL((await asked).url());
    assert.equal(url.searchParams.get('township_id'), String(me.township_id));
    await page.waitForTimeout(500);
    assert.equal(await page.getByRole('option', { name: outside.name, exact: true }).count(), 0, 'a firm outside the township is not offered');
    await page.keyboard.press('Escape');
    // were one chosen (an old list), the server's refusal names the township
    await page.route('**/api/v1/organisations?*', (r) => r.fulfill({ json: { items: [outside], next_cursor: null } }));
    await org.click();
    await page.keyboard.type(outside.name.slice(0, 4));
    await page.getByRole('option', { name: outside.name, exact: true }).click();
    await choose(page, page.getByTestId('appeal-category'), 'Permits');
    await page.getByTestId('appeal-title').fill('Outside the township (e2e5)');
    await page.getByTestId('appeal-description').fill('refused');
    await page.getByTestId('appeal-save').click();
    const dlg = page.getByRole('dialog');
    await dlg.getByText(`Not permitted: this firm is not in ${town.name}`).waitFor();
    assert.doesNotMatch(await dlg.innerText(), /only your organisation/);
    await shot(page, 'e5-outside-township');
    await page.unroute('**/api/v1/organisations?*');
    await page.keyboard.press('Escape');

    // a new appeal for a firm of the township: first on the list's first page (open, newest)
    const a = await call(page, 'POST', '/enterprise/appeals', { organisation_id: inside.id, channel: 'phone', type: 'help', category: 'permits', title: 'Newest appeal (e2e5)', description: 'first' });
    await page.goto('/enterprise/appeals');
    const table = page.getByTestId('appeal-table');
    await table.getByRole('link', { name: 'Newest appeal (e2e5)' }).waitFor();
    const firstRow = table.locator('tbody tr').first();
    assert.match(await firstRow.innerText(), new RegExp(`#${a.id}\\b`));
    const states = await table.locator('tbody tr .el-tag[data-value]').evaluateAll((els) => els.map((e) => e.dataset.value));
    const firstClosed = states.indexOf('closed');
    assert.ok(firstClosed === -1 || states.slice(firstClosed).every((s) => s === 'closed'), `open ones before closed ones: ${states}`);
    await shot(page, 'e5-township-list');
    noProblems(page);
    await context.close();
  });

  test('re-dispatch after a return leaves the returning department out; 办结 asks first; English ratings in full', async () => {
    const { context, page } = await openPage(browser, LAPTOP);
    await login(page, 'officer', DEMO_PW);
    const cat = (await apiGet(page, '/enterprise/dispatch-catalogue')).items;
    const def = cat.find((c) => c.category === 'land');
    // dispatched to the catalogue's department for land, which returns it
    const a = await jdAppeal(page, '用地手续退回后再派（e2e5）', 'land', [['dispatch', {}], ['return', { reason: '不属本部门' }]]);
    assert.equal(a.state, 'returned');
    await page.goto(`/enterprise/appeals/${a.id}`);
    await page.getByTestId('act-dispatch').click();
    const select = page.getByTestId('dispatch-department');
    await select.waitFor();
    assert.doesNotMatch(await select.innerText(), new RegExp(def.department), 'the returning department is not preselected');
    await select.click();
    const other = cat.find((c) => c.department_id !== def.department_id);
    await page.getByRole('option', { name: other.department, exact: true }).waitFor();
    assert.equal(await page.getByRole('option', { name: def.department, exact: true }).count(), 0, 'nor offered');
    await page.getByRole('option', { name: other.department, exact: true }).click();
    await page.getByTestId('action-submit').click();
    await page.getByTestId('appeal-state').getByText('已派单').waitFor();
    assert.equal((await apiGet(page, `/enterprise/appeals/${a.id}`)).department_id, other.department_id);

    // 办结: asked first; cancelled, nothing happens
    let b = await jdAppeal(page, '办结确认（e2e5）', 'tax', [['dispatch', {}], ['accept', {}], ['reply', { reply: '已答复', resolved: true }]]);
    // not offered before the return visit: the firm has not rated the reply (409 visit_required)
    await page.goto(`/enterprise/appeals/${b.id}`);
    await page.getByTestId('act-visit').waitFor();
    assert.equal(await page.getByTestId('act-close').count(), 0, '办结 not offered before the return visit');
    b = await call(page, 'POST', `/enterprise/appeals/${b.id}/visit`, { version: b.version, note: '电话回访，企业未评价' });
    await page.goto(`/enterprise/appeals/${b.id}`);
    await page.getByTestId('act-close').click();
    const box = page.locator('.el-message-box');
    await box.getByText('办结后不能撤销').waitFor();
    await shot(page, 'e5-close-confirm');
    await box.getByRole('button', { name: '取消' }).click();
    await box.waitFor({ state: 'hidden' });
    assert.equal((await apiGet(page, `/enterprise/appeals/${b.id}`)).state, 'replied');
    await page.getByTestId('act-close').click();
    await box.getByRole('button', { name: '办结' }).click();
    await page.getByTestId('appeal-state').getByText('已办结').waitFor();

    // English: 基本满意 in full in the list's rating column
    b = await jdAppeal(page, 'Rated basically (e2e5)', 'tax', [['dispatch', {}], ['accept', {}], ['reply', { reply: 'done', resolved: true }]]);
    noProblems(page);
    await context.close();
    const jd = await openPage(browser, LAPTOP);
    await login(jd.page, 'jd', DEMO_PW);
    await call(jd.page, 'POST', `/enterprise/appeals/${b.id}/rate`, { version: b.version, rating: 'basically' });
    await jd.page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await jd.page.goto('/enterprise/appeals?state=closed');
    const row = jd.page.getByTestId('appeal-table').locator('tr', { hasText: 'Rated basically (e2e5)' });
    await row.getByText('Basically satisfied').waitFor();
    await shot(jd.page, 'e5-rating-en');
    noProblems(jd.page);
    await jd.context.close();
  });
});
