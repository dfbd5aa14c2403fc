// The enterprise-service pages, seventh round. Deadlines running into a year the holiday
// calendar does not hold yet are marked 暂定 and the officers are told to enter that year.
// 派单 and 升级督办 offer every government department, the catalogue's preselected.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, choose, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}
// the server's answer with `extra` merged into it (into each item of a list)
async function augment(page, pattern, extra) {
  await page.route(pattern, async (r) => {
    const res = await r.fetch();
    const json = await res.json();
    if (Array.isArray(json.items) && !('years_missing' in extra)) json.items = json.items.map((i) => ({ ...i, ...extra }));
    else Object.assign(json, extra);
    await r.fulfill({ response: res, json });
  });
}

describe('enterprise services (7)', { timeout: budget(180000) }, () => {
  test('provisional deadlines: 暂定 on the appeal, a warning with a link to the missing year', async () => {
    const { page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const jdOrg = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    const a = await call(page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'help', category: 'permits', title: '跨年时限诉求', description: '测试' });
    // provisional exactly when a year it runs into has no calendar day (from mid-December the
    // 13 working days reach into a year the State Council has not yet been entered for)
    const beijingYear = (ms) => new Date(ms + 8 * 3600e3).getUTCFullYear();
    const years = [...new Set([beijingYear(Date.parse(a.received_at)), beijingYear(Date.parse(a.complete_due) - 1000)])];
    const missing = [];
    for (const y of years) if ((await apiGet(page, `/enterprise/calendar?year=${y}`)).items.length === 0) missing.push(y);
    assert.equal(a.deadline_provisional, missing.length > 0, `provisional ⇔ a year without calendar days (${missing})`);
    assert.ok(Array.isArray((await apiGet(page, '/enterprise/calendar?year=2026')).years_missing));
    await augment(page, '**/api/v1/enterprise/calendar?*', { years_missing: [2027] });
    await augment(page, `**/api/v1/enterprise/appeals/${a.id}`, { deadline_provisional: true });
    await augment(page, '**/api/v1/enterprise/appeals?*', { deadline_provisional: true });

    await page.goto('/enterprise/appeals');
    const warn = page.getByTestId('calendar-missing');
    await warn.getByText('有诉求的办理时限跨入 2027 年').waitFor();
    await page.getByTestId('appeal-table').getByTestId('provisional').first().getByText('暂定').waitFor();
    await page.goto(`/enterprise/appeals/${a.id}`);
    await page.getByTestId('provisional').getByText('暂定').waitFor();
    await page.goto('/enterprise/reception-days');
    await page.getByTestId('calendar-missing').waitFor();
    await page.getByTestId('calendar-missing-link').click();
    await page.waitForURL(/\/enterprise\/calendar\?year=2027/);
    await page.getByTestId('calendar-missing').getByText('录入 2027 年节假日与调休').waitFor();
  });

  test('without provisional deadlines there is no warning; an enterprise never sees it', async () => {
    const { page } = await openPage(browser);
    await login(page, 'jd', DEMO_PW);
    await page.route('**/api/v1/enterprise/calendar?*', (r) => r.fulfill({ json: { items: [], years_missing: [2027] } }));
    await page.goto('/enterprise/appeals');
    await page.getByTestId('new-appeal').waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('calendar-missing').count(), 0);
  });

  test('派单 offers every government department, the catalogue\'s preselected', async () => {
    const { page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const jdOrg = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    const a = await call(page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'help', category: 'land', title: '农业用地诉求', description: '测试' });
    const cat = (await apiGet(page, '/enterprise/dispatch-catalogue')).items.find((c) => c.category === 'land');
    const govs = (await apiGet(page, '/organisations?type=government&limit=500')).items;
    const inCatalogue = new Set((await apiGet(page, '/enterprise/dispatch-catalogue')).items.map((c) => c.department_id));
    const outside = govs.find((g) => !inCatalogue.has(g.id));
    assert.ok(outside, 'a government department outside the catalogue');
    await page.goto(`/enterprise/appeals/${a.id}`);
    await page.getByTestId('act-dispatch').click();
    const select = page.getByTestId('dispatch-department');
    await select.getByText(cat.department).waitFor(); // the catalogue's, preselected
    await select.click();
    for (const g of govs) await page.getByRole('option', { name: g.name, exact: true }).waitFor({ state: 'attached' });
    await page.keyboard.press('Escape');
    await choose(page, select, outside.name);
    await page.getByTestId('action-submit').click();
    await page.getByTestId('appeal-state').getByText('已派单').waitFor();
    assert.equal((await apiGet(page, `/enterprise/appeals/${a.id}`)).department_id, outside.id);
  });

  test('登记诉求 as an officer: 来源 接待日 with a day that took place (from the reception-days page), or 走访', async () => {
    const { page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const posts = [];
    page.on('request', (r) => r.method() === 'POST' && /\/enterprise\/appeals$/.test(r.url()) && posts.push(r.postDataJSON()));
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const days = (await apiGet(page, '/enterprise/reception-days?limit=500')).items;
    const held = days.filter((d) => d.state !== 'cancelled' && d.held_on <= today).sort((x, y) => (x.held_on < y.held_on ? 1 : -1))[0];
    assert.ok(held, 'a reception day that took place');
    const jdName = '京东（平谷）物流';
    async function fill(title) {
      const org = page.getByTestId('appeal-org');
      await org.click();
      await page.keyboard.type(jdName.slice(0, 2));
      await page.getByRole('option', { name: new RegExp('^' + jdName.slice(0, 2)) }).first().click();
      await choose(page, page.getByTestId('appeal-category'), '物流交通');
      await page.getByTestId('appeal-title').fill(title);
      await page.getByTestId('appeal-description').fill('现场提出');
    }
    // from the reception-days page: the dialog opens at that day
    await page.goto(`/enterprise/reception-days?year=${held.held_on.slice(0, 4)}`);
    await page.locator(`[data-day="${held.held_on}"]`).click();
    await page.getByTestId('reception-new-appeal').click();
    await page.waitForURL(/\/enterprise\/appeals/);
    await page.getByTestId('appeal-channel').getByText('接待日').waitFor();
    await page.getByTestId('appeal-reception-day').getByText(`${held.held_on} 接待日`).waitFor();
    await fill('接待日现场诉求（e2e7）');
    await page.getByTestId('appeal-save').click();
    await page.waitForURL(/\/enterprise\/appeals\/\d+$/);
    const id = Number(page.url().split('/').pop());
    const a = await apiGet(page, `/enterprise/appeals/${id}`);
    assert.equal(a.channel, 'reception_day');
    assert.equal(a.reception_day_id, held.id);

    // from the list: 走访 sends channel visit and no day; 接待日 without a day asks at the field
    await page.goto('/enterprise/appeals');
    await page.getByTestId('new-appeal').click();
    await choose(page, page.getByTestId('appeal-channel'), '接待日');
    await fill('走访诉求（e2e7）');
    const n = posts.length;
    await page.getByTestId('appeal-save').click();
    await page.getByRole('dialog').locator('.el-form-item__error').first().waitFor();
    assert.equal(posts.length, n, 'nothing sent without a reception day');
    await choose(page, page.getByTestId('appeal-channel'), '走访');
    await page.getByTestId('appeal-save').click();
    await page.waitForURL(/\/enterprise\/appeals\/\d+$/);
    const v = await apiGet(page, `/enterprise/appeals/${page.url().split('/').pop()}`);
    assert.equal(v.channel, 'visit');
    assert.equal(v.reception_day_id, null);
    assert.equal(posts.at(-1).channel, 'visit');
    assert.ok(!('reception_day_id' in posts.at(-1)));
  });

  test('待回访: every appeal awaiting the call-back counted and reachable, the longest overdue first', async () => {
    const { page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    // 24 awaiting, over two pages of the API (by id); the higher the id, the earlier due
    const item = (id) => ({ id, title: '回访诉求' + id, organisation: '京东（平谷）物流', state: 'dispatched', visit_due: new Date(Date.UTC(2026, 10, 30 - id)).toISOString().replace('.000', '') });
    const asked = [];
    await page.route('**/api/v1/enterprise/return-visits?*', (r) => {
      const cursor = new URL(r.request().url()).searchParams.get('cursor');
      asked.push(cursor);
      const ids = cursor ? [21, 22, 23, 24] : Array.from({ length: 20 }, (_, i) => i + 1);
      return r.fulfill({ json: { items: ids.map(item), next_cursor: cursor ? null : 20 } });
    });
    await page.goto('/enterprise/appeals');
    const card = page.getByTestId('return-visits');
    await card.getByTestId('return-visits-count').getByText('已过办结时限、待回访的诉求（24）').waitFor();
    assert.deepEqual(asked, [null, '20'], 'read to the end');
    const links = card.locator('a.pj-visit');
    assert.equal(await links.count(), 20);
    assert.match(await links.first().textContent(), /^#24 /, 'the longest overdue first');
    await card.getByTestId('return-visits-all').getByText('显示全部 24 条').click();
    assert.equal(await links.count(), 24);
    assert.match(await links.last().textContent(), /^#1 /);
  });

  test('the sweep\'s escalation reads 超期自动升级督办 in the timeline, not its code', async () => {
    const { page } = await openPage(browser);
    await login(page, 'jd', DEMO_PW);
    const a = await call(page, 'POST', '/enterprise/appeals', { type: 'help', category: 'permits', title: '超期升级诉求', description: '测试' });
    await page.route(`**/api/v1/enterprise/appeals/${a.id}`, async (r) => {
      const res = await r.fetch();
      const json = await res.json();
      json.events = [...json.events, { at: json.received_at, action: 'escalate', from_state: 'received', to_state: 'escalated', department_id: null, username: 'officer', display_name: null, note: 'overdue' }];
      await r.fulfill({ response: res, json });
    });
    await page.goto(`/enterprise/appeals/${a.id}`);
    const notes = page.getByTestId('appeal-timeline').getByTestId('event-note');
    await notes.getByText('超期自动升级督办', { exact: true }).waitFor();
    assert.equal(await notes.getByText('overdue', { exact: true }).count(), 0);
  });
});
