// The district-development create and edit forms as their users rely on them: a record made
// through the form shows in its table (with the names of what it refers to, not ids), bad input
// is refused with the API's message at the field it names and nothing is written (the API
// confirms), an edit is saved with its version; a streamer and a cohort through the academy's
// forms, then the streamer changed; a zone enterprise and its job post; read-only roles see no
// create or edit buttons, and an enterprise user only those of the kinds their organisation
// owns (job posts: its own).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, searchAnswered, ADMIN_PW, DEMO_PW, budget } from './lib.mjs';
import zh from '../../web/src/i18n/zh-CN.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const stamp = () => String(Date.now() % 1000000);
async function noProblems(page) {
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
}
/** The answer to the next write to a path ending in `tail`. */
const answer = (page, method, tail) => page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(tail));
const item = (dlg, key) => dlg.getByTestId('f-' + key);
async function fill(dlg, key, value) {
  const input = item(dlg, key).locator('input, textarea').first();
  await input.fill(String(value));
  await input.press('Tab');
}
async function fillDate(dlg, key, value) {
  const input = item(dlg, key).locator('input').first();
  await input.fill(value);
  await input.press('Enter');
}
async function pickEnum(page, dlg, key, label) {
  await item(dlg, key).locator('.el-select').click();
  await page.getByRole('option', { name: label, exact: true }).click();
}
/** A reference picked by name: type part of it, choose the option — once the search for it has
 *  answered (searchAnswered), not from the list the field opened with. */
async function pickNamed(page, dlg, key, name) {
  const sel = item(dlg, key).locator('.el-select');
  await sel.click();
  const searched = searchAnswered(page, name);
  await sel.locator('input').fill(name);
  await searched;
  await page.getByRole('option', { name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().click();
}
/** The academy page's registers are tabs below the cohorts. */
const academyTab = (page, name) => page.getByRole('tab', { name, exact: true }).click();
/** The API's error at its field, in zh-CN (not the server's English): the sentence given, else the label of
 *  its code. */
async function fieldError(dlg, key, err, sentence) {
  const label = sentence || zh.apiErrors[err.code];
  assert.ok(label, `a label for ${err.code}`);
  const shown = item(dlg, key).locator('.el-form-item__error');
  await shown.getByText(label, { exact: false }).waitFor();
  assert.doesNotMatch(await shown.innerText(), /[A-Za-z]{3,}/);
}

describe('district development: create and edit forms', { timeout: budget(300000) }, () => {
  test('agri-tech: a result and its transfer through the forms, a bad year refused at its field, an edit saved', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/agri');
    await page.getByRole('heading', { name: '农业科技' }).waitFor();
    await page.getByRole('tab', { name: '科研成果' }).click();
    const before = (await apiGet(page, '/agri/results?limit=500')).items.length;
    const lab = (await apiGet(page, '/agri/labs?limit=1')).items[0];
    await page.getByTestId('agri-add-results').click();
    const dlg = page.getByTestId('agri-form-results');
    // saved empty: each required field said at once, nothing sent (the server names one per try)
    const posts = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/v1/agri/results') && posts.push(r.url()));
    await dlg.getByTestId('record-save').click();
    for (const key of ['title', 'kind', 'year']) await item(dlg, key).locator('.el-form-item__error').getByText('必填').waitFor();
    assert.equal(await dlg.locator('.el-form-item__error').count(), 3);
    assert.deepEqual(posts, []);
    const title = `测试成果${stamp()}（合成）`;
    await fill(dlg, 'title', title);
    await pickEnum(page, dlg, 'kind', '品种');
    await pickNamed(page, dlg, 'lab_id', lab.name);
    await fill(dlg, 'year', 1800);
    let res = answer(page, 'POST', '/agri/results');
    await dlg.getByTestId('record-save').click();
    let r = await res;
    assert.equal(r.status(), 422);
    let err = (await r.json()).error;
    assert.equal(err.field, 'year');
    await fieldError(dlg, 'year', err);
    assert.equal((await apiGet(page, '/agri/results?limit=500')).items.length, before, 'nothing written');
    await shot(page, 'a0-agri-result-bad-year');
    await fill(dlg, 'year', 2024);
    res = answer(page, 'POST', '/agri/results');
    await dlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 201);
    const made = await r.json();
    assert.equal(made.lab_id, lab.id, 'the lab picked by name is sent as its id');
    assert.equal(made.lab, lab.name);
    const table = page.getByTestId('agri-results');
    await table.getByText(title).waitFor();
    // an edit sends the change with the version
    await table.getByTestId('agri-edit-' + made.id).click();
    const title2 = title.replace('测试成果', '改名成果');
    await fill(dlg, 'title', title2);
    res = answer(page, 'PATCH', `/agri/results/${made.id}`);
    await dlg.getByTestId('record-save').click();
    assert.equal((await res).status(), 200);
    await table.getByText(title2).waitFor();
    assert.equal((await apiGet(page, `/agri/results/${made.id}`)).title, title2);

    // a transfer of it to a farm, both picked by name; the table shows the names, not ids
    const farm = (await apiGet(page, '/agri/farms?limit=1')).items[0];
    await page.getByRole('tab', { name: '成果转化' }).click();
    await page.getByTestId('agri-add-transfers').click();
    const tdlg = page.getByTestId('agri-form-transfers');
    await pickNamed(page, tdlg, 'result_id', title2);
    await pickNamed(page, tdlg, 'farm_id', farm.name);
    await fillDate(tdlg, 'date', '2024-05-01');
    await fill(tdlg, 'value_fen', 12345.67);
    res = answer(page, 'POST', '/agri/transfers');
    await tdlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 201, await r.text());
    const tr = await r.json();
    assert.equal(tr.value_fen, 1234567, 'entered in yuan, stored in fen');
    const row = page.getByTestId('agri-transfers').locator('tbody tr').filter({ hasText: title2 });
    await row.getByText(farm.name).waitFor();
    assert.doesNotMatch(await row.innerText(), new RegExp(`^\\s*${tr.result_id}\\s`), 'no raw id in the result column');
    await shot(page, 'a1-agri-transfer-names');
    await noProblems(page);
    await context.close();
  });

  test('logistics: a train service and a land parcel through the forms; transferable above the area refused; names in tables', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/logistics');
    await page.getByRole('heading', { name: '物流高地' }).waitFor();
    // tenancies show the warehouse's and the organisation's names
    const tenancy = (await apiGet(page, '/logistics/tenants?limit=1')).items[0];
    await page.getByRole('tab', { name: '入驻企业' }).click();
    const trow = page.getByTestId('log-tenants').locator('tbody tr').first();
    await trow.getByText(tenancy.warehouse).waitFor();
    await trow.getByText(tenancy.organisation).waitFor();

    // a land parcel: more transferable than its area is refused at that field, nothing written
    await page.getByRole('tab', { name: '土地地块' }).click();
    const before = (await apiGet(page, '/logistics/parcels?limit=500')).items.length;
    await page.getByTestId('log-add-parcels').click();
    const dlg = page.getByTestId('log-form-parcels');
    const name = `测试地块${stamp()}（合成）`;
    await fill(dlg, 'name', name);
    await fill(dlg, 'area_mu', 100);
    await fill(dlg, 'transferable_before_mu', 50);
    await fill(dlg, 'transferable_after_mu', 150);
    let res = answer(page, 'POST', '/logistics/parcels');
    await dlg.getByTestId('record-save').click();
    let r = await res;
    assert.equal(r.status(), 422);
    const err = (await r.json()).error;
    assert.equal(err.field, 'transferable_after_mu');
    await fieldError(dlg, 'transferable_after_mu', err);
    assert.equal((await apiGet(page, '/logistics/parcels?limit=500')).items.length, before, 'nothing written');
    await shot(page, 'a2-parcel-refused');
    // an area out of range names the API's bounds as written: 0.01 to 1,000,000 mu (the server's
    // 1e+06 was read as 1: "须在 0.01 到 1 之间")
    await fill(dlg, 'area_mu', -50);
    res = answer(page, 'POST', '/logistics/parcels');
    await dlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 422);
    assert.match((await r.json()).error.message, /between 0.01 and 1000000$/);
    await item(dlg, 'area_mu').locator('.el-form-item__error').getByText('须在 0.01 到 1,000,000 之间').waitFor();
    await fill(dlg, 'area_mu', 100);
    await fill(dlg, 'transferable_after_mu', 80);
    res = answer(page, 'POST', '/logistics/parcels');
    await dlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 201);
    const prow = page.getByTestId('log-parcels').locator('tbody tr').filter({ hasText: name });
    await prow.getByText('80%').waitFor(); // the rate after, as the API computes it

    // a train service at a park picked by name: the table shows the park's name
    const park = (await apiGet(page, '/logistics/parks?limit=1')).items[0];
    await page.getByRole('tab', { name: '货运班列' }).click();
    await page.getByTestId('log-add-trains').click();
    const tdlg = page.getByTestId('log-form-trains');
    const tname = `测试班列${stamp()}（合成）`;
    await fill(tdlg, 'name', tname);
    await pickEnum(page, tdlg, 'kind', '城市班列');
    await pickNamed(page, tdlg, 'park_id', park.name);
    res = answer(page, 'POST', '/logistics/trains');
    await tdlg.getByTestId('record-save').click();
    assert.equal((await res).status(), 201);
    await page.getByTestId('log-trains').locator('tbody tr').filter({ hasText: tname }).getByText(park.name).waitFor();
    await shot(page, 'a3-train-park-name');
    await noProblems(page);
    await context.close();
  });

  test('academy: a cohort and a streamer through the forms, the streamer then changed; dates out of order and an under-age streamer refused at the field', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW, { land: false });
    await page.goto('/academy');
    await page.getByRole('heading', { name: '村播学院' }).waitFor();
    const first = (await apiGet(page, '/academy/cohorts?limit=1')).items[0];
    const cohorts = (await apiGet(page, '/academy/cohorts?limit=500')).items.length;
    await page.getByTestId('cohort-add').click();
    const dlg = page.getByTestId('cohort-form');
    const name = `测试班${stamp()}（合成）`;
    await pickNamed(page, dlg, 'course_id', first.course);
    await pickNamed(page, dlg, 'base_id', first.base);
    await fill(dlg, 'name', name);
    await fill(dlg, 'capacity', 20);
    await fillDate(dlg, 'starts_on', '2027-03-01');
    await fillDate(dlg, 'ends_on', '2027-02-01');
    let res = answer(page, 'POST', '/academy/cohorts');
    await dlg.getByTestId('record-save').click();
    let r = await res;
    assert.equal(r.status(), 422);
    let err = (await r.json()).error;
    assert.equal(err.field, 'ends_on');
    await fieldError(dlg, 'ends_on', err, zh.apiRules.endsBeforeStarts); // says what to change, not only 取值无效
    assert.equal((await apiGet(page, '/academy/cohorts?limit=500')).items.length, cohorts, 'nothing written');
    await fillDate(dlg, 'ends_on', '2027-04-30');
    res = answer(page, 'POST', '/academy/cohorts');
    await dlg.getByTestId('record-save').click();
    assert.equal((await res).status(), 201);
    await page.getByTestId('cohort-table').getByText(name).waitFor();

    // a streamer of 15 is refused at the birth date; at 20 they are added and shown
    const sname = `测试主播${stamp()}`;
    await academyTab(page, '主播');
    await page.getByTestId('streamer-add').click();
    const sdlg = page.getByTestId('streamer-form');
    await fill(sdlg, 'name', sname);
    // this year in Beijing, as the server's age rule counts (not the machine's year: they differ from
    // 00:00 to 08:00 on 1 January Beijing time, and 15 would then be 16)
    const y = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
    await fillDate(sdlg, 'birth_date', `${y - 15}-01-01`);
    await fill(sdlg, 'skill_level', 3);
    res = answer(page, 'POST', '/ecommerce/streamers');
    await sdlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 422);
    err = (await r.json()).error;
    assert.equal(err.field, 'birth_date');
    await fieldError(sdlg, 'birth_date', err);
    assert.equal((await apiGet(page, '/ecommerce/streamers?q=' + encodeURIComponent(sname))).items.length, 0, 'nothing written');
    await shot(page, 'a4-streamer-too-young');
    await fillDate(sdlg, 'birth_date', `${y - 20}-01-01`);
    await pickEnum(page, sdlg, 'categories', '大桃');
    await item(sdlg, 'name').locator('label').click(); // close the multiple select's dropdown
    res = answer(page, 'POST', '/ecommerce/streamers');
    await sdlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 201, await r.text());
    const srow = page.getByTestId('streamer-table').locator('tbody tr').filter({ hasText: sname });
    await srow.getByText('大桃').waitFor();
    await shot(page, 'a5-streamer-added');
    // changed through the same form: only the changed field and the version are sent
    const sid = (await r.json()).id;
    await srow.getByTestId('streamer-edit-' + sid).click();
    assert.equal(await item(sdlg, 'name').locator('input').inputValue(), sname);
    await fill(sdlg, 'skill_level', 5);
    res = answer(page, 'PATCH', '/ecommerce/streamers/' + sid);
    await sdlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 200, await r.text());
    assert.deepEqual(JSON.parse(r.request().postData()), { skill_level: 5, version: 1 });
    assert.equal((await apiGet(page, '/ecommerce/streamers/' + sid)).skill_level, 5);
    await srow.locator('td').nth(2).getByText('5', { exact: true }).waitFor();
    await noProblems(page);
    await context.close();
  });

  test('academy: a zone enterprise and a job post through the forms; a post without openings refused at the field; the post closed by an edit', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    await page.goto('/academy');
    const zname = `测试入驻企业${stamp()}`;
    await academyTab(page, '功能区入驻企业');
    await page.getByTestId('zone-add').click();
    const zdlg = page.getByTestId('zone-form');
    await fill(zdlg, 'name', zname);
    await pickEnum(page, zdlg, 'kind', 'MCN 机构');
    let res = answer(page, 'POST', '/ecommerce/zone-enterprises');
    await zdlg.getByTestId('record-save').click();
    let r = await res;
    assert.equal(r.status(), 201, await r.text());
    await page.getByTestId('zone-table').locator('tbody tr').filter({ hasText: zname }).getByText('MCN 机构').waitFor();

    const title = `主播助理${stamp()}`;
    await academyTab(page, '就业岗位');
    await page.getByTestId('post-add').click();
    const pdlg = page.getByTestId('post-form');
    await pickNamed(page, pdlg, 'zone_enterprise_id', zname);
    await fill(pdlg, 'title', title);
    await fill(pdlg, 'openings', 0);
    res = answer(page, 'POST', '/academy/posts');
    await pdlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 422);
    const err = (await r.json()).error;
    assert.equal(err.field, 'openings');
    await fieldError(pdlg, 'openings', err);
    assert.equal((await apiGet(page, '/academy/posts?limit=500')).items.filter((p) => p.title === title).length, 0, 'nothing written');
    await fill(pdlg, 'openings', 3);
    res = answer(page, 'POST', '/academy/posts');
    await pdlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 201, await r.text());
    const post = await r.json();
    const prow = page.getByTestId('post-table').locator('tbody tr').filter({ hasText: title });
    await prow.getByText('0 / 3').waitFor();
    await prow.getByText(zname).waitFor();
    // closed by an edit: only the state and the version are sent
    await prow.getByTestId('post-edit-' + post.id).click();
    await pickEnum(page, pdlg, 'state', '已关闭');
    res = answer(page, 'PATCH', '/academy/posts/' + post.id);
    await pdlg.getByTestId('record-save').click();
    r = await res;
    assert.equal(r.status(), 200, await r.text());
    assert.deepEqual(JSON.parse(r.request().postData()), { state: 'closed', version: post.version });
    await prow.getByText('已关闭').waitFor();
    await shot(page, 'a9-zone-and-post');
    await noProblems(page);
    await context.close();
  });

  test('academy: practice is one of the streamer\'s own sessions picked from a list; one from before the enrolment is refused at the field', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW, { land: false });
    const send = async (method, p, data) => {
      const res = await page.request[method]('/api/v1' + p, { data });
      const body = res.status() === 204 ? null : await res.json();
      assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
      return body;
    };
    const day = (d) => new Date(Date.now() + d * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const first = (await apiGet(page, '/academy/cohorts?limit=1')).items[0];
    const taken = (await apiGet(page, '/academy/enrolments?limit=1')).items[0];
    const n = stamp();
    let cohort = await send('post', '/academy/cohorts', { course_id: first.course_id, base_id: first.base_id, name: `实训测试班${n}（合成）`, starts_on: day(0), ends_on: day(30), capacity: 5 });
    cohort = await send('post', `/academy/cohorts/${cohort.id}/state`, { state: 'open', version: cohort.version });
    const post = await send('post', '/academy/posts', { zone_enterprise_id: taken.zone_enterprise_id, title: `实训测试岗${n}（合成）`, openings: 2 });
    const streamer = await send('post', '/ecommerce/streamers', { name: `实训测试主播${n}`, birth_date: '2000-01-01', skill_level: 2 });
    const old = await send('post', '/ecommerce/sessions', { streamer_id: streamer.id, platform: 'douyin', date: day(-40), duration_min: 60, orders: 1, gmv_fen: 100 });
    const enrol = await send('post', '/academy/enrolments', { cohort_id: cohort.id, streamer_id: streamer.id, post_id: post.id });
    await send('post', `/academy/cohorts/${cohort.id}/state`, { state: 'running', version: cohort.version });
    const fresh = await send('post', '/ecommerce/sessions', { streamer_id: streamer.id, platform: 'kuaishou', date: day(0), duration_min: 90, orders: 3, gmv_fen: 3000 });

    await page.goto(`/academy/cohorts/${cohort.id}`);
    const table = page.getByTestId('enrolment-table');
    const row = table.locator('tbody tr').filter({ hasText: streamer.name });
    await row.getByRole('button', { name: '登记实训' }).click();
    const dlg = page.getByTestId('practice-form');
    const pickSession = async (label) => {
      await item(dlg, 'session_id').locator('.el-select').click();
      await page.getByRole('option', { name: label, exact: true }).click();
    };
    // a session before the enrolment is not offered (it was, and refused: 取值无效); said so
    await dlg.getByTestId('practice-outside').getByText('另有 1 场在入学前或开班期外，不能计入，未列出').waitFor();
    await item(dlg, 'session_id').locator('.el-select').click();
    await page.getByRole('option', { name: `${fresh.date} · 快手 · 90 分钟 · 3 单`, exact: true }).waitFor();
    assert.equal(await page.getByRole('option', { name: `${old.date} · 抖音 · 60 分钟 · 1 单`, exact: true }).count(), 0, 'the session before the enrolment is not offered');
    await page.keyboard.press('Escape');
    await shot(page, 'a8-practice-offered');
    await pickSession(`${fresh.date} · 快手 · 90 分钟 · 3 单`);
    let res = answer(page, 'POST', `/academy/enrolments/${enrol.id}/practice`);
    await dlg.getByRole('button', { name: '保存' }).click();
    assert.equal((await res).status(), 200);
    await row.getByText('1小时30分 /', { exact: false }).waitFor(); // in the page's language (read 1h30m)
    assert.equal((await apiGet(page, `/academy/enrolments/${enrol.id}`)).practice_minutes, 90);
    // the same session again: it counts once, said in words (not 取值无效)
    await row.getByRole('button', { name: '登记实训' }).click();
    await pickSession(`${fresh.date} · 快手 · 90 分钟 · 3 单`);
    res = answer(page, 'POST', `/academy/enrolments/${enrol.id}/practice`);
    await dlg.getByRole('button', { name: '保存' }).click();
    assert.equal((await res).status(), 409);
    await item(dlg, 'session_id').getByText('该场直播已计入实训（每场只计一次）').waitFor();
    assert.equal((await apiGet(page, `/academy/enrolments/${enrol.id}`)).practice_minutes, 90, 'counted once');
    await dlg.getByRole('button', { name: '取消' }).click();
    // 结业 before the practice hours are done: greyed, saying why (it was refused, 取值无效)
    const grad = row.getByTestId('graduate-' + enrol.id);
    assert.equal(await grad.isDisabled(), true, 'not ready to graduate');
    assert.equal(await grad.getAttribute('title'), '实训学时未满，尚不能结业');
    await noProblems(page);
    await context.close();
  });

  test('every other form: an empty form is refused at a required field writing nothing; filled, the record shows in its table', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'admin', ADMIN_PW);
    const s = stamp();
    const project = (await apiGet(page, '/agri/projects?limit=1')).items[0];
    const farm = (await apiGet(page, '/agri/farms?limit=1')).items[0];
    const park = (await apiGet(page, '/logistics/parks?limit=1')).items[0];
    // a warehouse with room left to let (tenancies may not let more than its area); the
    // tenancy is let ahead, from a day to come (one not yet operating is let no other way)
    let wh, whTenants;
    for (const w of (await apiGet(page, '/logistics/warehouses?limit=100')).items) {
      const ts = (await apiGet(page, `/logistics/tenants?warehouse_id=${w.id}&limit=500`)).items;
      if (w.area_m2 - ts.reduce((a, x) => a + (x.area_m2 || 0), 0) >= 1000) {
        wh = w;
        whTenants = ts;
        break;
      }
    }
    assert.ok(wh, 'a warehouse with room to let');
    // an organisation that is no tenant of that warehouse yet (one tenancy per pair)
    const tenants = new Set(whTenants.map((x) => x.organisation_id));
    const org = (await apiGet(page, '/organisations?limit=200')).items.find((o) => !tenants.has(o.id));
    const text = (key, v) => async (dlg) => fill(dlg, key, v);
    const cases = [
      { page: '/agri', tab: '实验室', kind: 'labs', path: '/agri/labs', shows: `测试实验室${s}`, steps: [text('name', `测试实验室${s}`), (d) => pickEnum(page, d, 'kind', '研究院所')] },
      { page: '/agri', tab: '国农港项目', kind: 'projects', path: '/agri/projects', shows: `测试项目${s}`, steps: [text('name', `测试项目${s}`), text('budget_fen', 1000)] },
      { page: '/agri', tab: '项目里程碑', kind: 'milestones', path: '/agri/milestones', shows: `测试里程碑${s}`, steps: [(d) => pickNamed(page, d, 'project_id', project.name), text('name', `测试里程碑${s}`), (d) => fillDate(d, 'due', '2027-06-30')] },
      { page: '/agri', tab: '博士农场', kind: 'farms', path: '/agri/farms', shows: `测试农场${s}`, steps: [text('name', `测试农场${s}`), text('area_mu', 12.5)] },
      { page: '/agri', tab: '专家', kind: 'experts', path: '/agri/experts', shows: `测试专家${s}`, steps: [text('name', `测试专家${s}`), (d) => pickEnum(page, d, 'title', '博士'), (d) => pickNamed(page, d, 'farm_id', farm.name)] },
      { page: '/agri', tab: '温室分区', kind: 'sections', path: '/agri/sections', shows: `测试分区${s}`, steps: [text('cluster', '测试集群'), text('name', `测试分区${s}`), text('area_m2', 1000)] },
      { page: '/logistics', tab: '物流园区', kind: 'parks', path: '/logistics/parks', shows: `测试园区${s}`, steps: [text('name', `测试园区${s}`)] },
      { page: '/logistics', tab: '入驻企业', kind: 'tenants', path: '/logistics/tenants', shows: org.name, steps: [(d) => pickNamed(page, d, 'warehouse_id', wh.name), (d) => pickNamed(page, d, 'organisation_id', org.name), text('area_m2', 500), (d) => fillDate(d, 'since', '2090-01-01')] },
      { page: '/logistics', tab: '月度货运', kind: 'freight', path: '/logistics/freight', shows: '2019-01', steps: [(d) => pickNamed(page, d, 'park_id', park.name), (d) => fillDate(d, 'month', '2019-01'), (d) => pickEnum(page, d, 'mode', '铁路'), text('tonnes', 4321)] },
      { page: '/logistics/warehouses', kind: 'warehouses', add: 'wh-add', form: 'wh-form', table: 'warehouse-table', path: '/logistics/warehouses', shows: `测试仓库${s}`, steps: [text('name', `测试仓库${s}`), text('area_m2', 20000)] },
      { page: '/academy', tab: '课程', kind: 'courses', add: 'course-add', form: 'course-form', table: 'course-table', path: '/academy/courses', shows: `测试课程${s}`, steps: [text('title', `测试课程${s}`), (d) => pickEnum(page, d, 'category', '短视频'), text('hours', 40), text('level', 2), text('practice_hours', 20)] },
    ];
    for (const c of cases) {
      const pre = c.page === '/agri' ? 'agri' : 'log';
      await page.goto(c.page);
      if (c.tab) await page.getByRole('tab', { name: c.tab, exact: true }).click();
      const count = (await apiGet(page, c.path + '?limit=500')).items.length;
      await page.getByTestId(c.add || `${pre}-add-${c.kind}`).click();
      const dlg = page.getByTestId(c.form || `${pre}-form-${c.kind}`);
      // empty: the form names its required fields itself, each with the label of the server's
      // code (必填), and sends nothing
      const posts = [];
      const onPost = (q) => q.method() === 'POST' && new URL(q.url()).pathname === '/api/v1' + c.path && posts.push(q.url());
      page.on('request', onPost);
      await dlg.getByTestId('record-save').click();
      await dlg.locator('.el-form-item__error').first().waitFor();
      for (const said of await dlg.locator('.el-form-item__error').allInnerTexts()) assert.equal(said, zh.apiErrors.missing_field, c.kind);
      page.off('request', onPost);
      assert.deepEqual(posts, [], `${c.kind}: nothing sent`);
      assert.equal((await apiGet(page, c.path + '?limit=500')).items.length, count, `${c.kind}: nothing written`);
      for (const step of c.steps) await step(dlg);
      let res = answer(page, 'POST', c.path);
      await dlg.getByTestId('record-save').click();
      const r = await res;
      assert.equal(r.status(), 201, `${c.kind}: ${await r.text()}`);
      const made = await r.json();
      const table = page.getByTestId(c.table || `${pre}-${c.kind}`);
      // the new record is in its table: at the top (highlighted) when its id is beyond this page
      await table.locator('tbody tr.pj-pinned').getByText(c.shows).first().waitFor();
      assert.equal((await apiGet(page, `${c.path}/${made.id}`)).id, made.id);
    }
    await shot(page, 'a7-course-added');
    await noProblems(page);
    await context.close();
  });

  test('roles: a viewer sees no create or edit buttons; an enterprise user only for the kinds it owns', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'viewer', DEMO_PW, { land: false });
    await page.goto('/agri');
    await page.getByTestId('agri-farms').locator('tbody tr').first().waitFor();
    for (const tab of ['实验室', '科研成果', '成果转化']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.locator('.el-tab-pane:visible tbody tr').first().waitFor();
    }
    assert.equal(await page.locator('[data-testid^="agri-add-"], [data-testid^="agri-edit-"]').count(), 0);
    await page.goto('/logistics');
    await page.getByTestId('log-parcels').locator('tbody tr').first().waitFor();
    assert.equal(await page.locator('[data-testid^="log-add-"], [data-testid^="log-edit-"]').count(), 0);
    await page.goto('/logistics/warehouses');
    await page.getByTestId('warehouse-table').locator('tbody tr').first().waitFor();
    assert.equal(await page.locator('[data-testid="wh-add"], [data-testid^="wh-edit-"], [data-testid^="wh-step-"]').count(), 0);
    await page.goto('/academy');
    await page.getByTestId('cohort-table').locator('tbody tr').first().waitFor();
    for (const [tab, table] of [['课程', 'course-table'], ['主播', 'streamer-table'], ['功能区入驻企业', 'zone-table'], ['就业岗位', 'post-table']]) {
      await academyTab(page, tab);
      await page.getByTestId(table).locator('tbody tr').first().waitFor();
    }
    assert.equal(await page.locator('[data-testid="cohort-add"], [data-testid="streamer-add"], [data-testid^="streamer-edit-"], [data-testid^="cohort-edit-"], [data-testid="course-add"], [data-testid^="course-edit-"], [data-testid="zone-add"], [data-testid^="zone-edit-"], [data-testid="post-add"], [data-testid^="post-edit-"]').count(), 0);
    await shot(page, 'a6-viewer-read-only');
    await noProblems(page);
    await context.close();

    // jd (an enterprise): farms are organisation-owned (its own may be added), results are not
    const e = await openPage(browser);
    await login(e.page, 'jd', DEMO_PW);
    await e.page.goto('/agri');
    await e.page.getByTestId('agri-add-farms').waitFor();
    await e.page.getByRole('tab', { name: '科研成果' }).click();
    await e.page.getByTestId('agri-results').locator('tbody tr').first().waitFor();
    assert.equal(await e.page.getByTestId('agri-add-results').count(), 0);
    await e.page.goto('/logistics/warehouses');
    await e.page.getByTestId('wh-add').waitFor();
    // job posts: its own may be added and changed; the zone's register is the district's
    await e.page.goto('/academy');
    await academyTab(e.page, '功能区入驻企业');
    await e.page.getByTestId('zone-table').locator('tbody tr').first().waitFor();
    await academyTab(e.page, '就业岗位');
    await e.page.getByTestId('post-add').waitFor();
    await e.page.getByTestId('post-table').locator('tbody tr').first().waitFor();
    assert.equal(await e.page.locator('[data-testid="zone-add"], [data-testid^="zone-edit-"]').count(), 0);
    const org = (await apiGet(e.page, '/auth/me')).organisation_id;
    const postRows = (await apiGet(e.page, '/academy/posts?limit=20')).items;
    for (const p of postRows) assert.equal(await e.page.getByTestId('post-edit-' + p.id).count(), p.organisation_id === org ? 1 : 0, `post ${p.id}`);
    await noProblems(e.page);
    await e.context.close();
  });
});
