// The academy and the streamers offer only what the server lets the user do:
// - a township officer sees the enrolments of their township's streamers in cohorts taught
//   elsewhere, but 登记实训 / 登记就业 / 退学 only in the cohorts of their township's bases (the
//   others were refused with 403 "the cohort is taught outside your township"); in the practice
//   dialog 录入新场次 only for a streamer whose sessions they record;
// - an enterprise user's enrolment form offers its own streamers and those no organisation has
//   signed, not another organisation's (403 at streamer_id), and enrols one of the unsigned;
// - a streamer of the officer's township signed with an organisation of no township is not
//   theirs to write: the streamer dialog offers no 录入直播场次, follower form or 注销主播, and the
//   session form's picker leaves the streamer out;
// - the picker's search asks the server for the writable streamers only (writable=true): a page
//   of it is a full page of choices, where it fetched 30 and hid the unwritable, none left when
//   the first 30 matches were all another's to write;
// - the enrolment picker likewise asks for the streamers the user may enrol (enrolable=true):
//   an anonymised streamer is not offered and a page of its search is full, where it fetched 30
//   and hid the anonymised ones;
// - the enrolment picker shows a minor without a guardian's consent on record (a record from
//   before the rule) as not to be picked, saying why (未成年，缺监护人同意 / minor without
//   guardian consent), where it offered them and the server refused the enrolment at the
//   streamer (422 guardian_consent_required, as tests/ecommerce/test_academy_api.c checks).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, openPage, login, choose, ownServer, budget } from './lib.mjs';

const LAPTOP = { width: 1366, height: 800 };
// a server of its own: these tests add streamers, cohorts and posts by the dozen, which would
// change the zone's and the academy's figures the district pages are checked against
let browser, srv;
before(async () => {
  srv = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '200' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});
const ownPage = (browser_, viewport) => openPage(browser_, viewport, { baseURL: srv.base });
/** GET from the own server's API as the page's user. */
async function apiGet(page, p) {
  const res = await page.request.get(`${srv.base}/api/v1${p}`);
  if (!res.ok()) throw new Error(`GET ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}
/** A write to the own server's API as the page's user; fails the test unless it succeeds. */
async function apiSend(page, method, p, data) {
  const res = await page.request[method](`${srv.base}/api/v1${p}`, data === undefined ? {} : { data });
  const body = res.status() === 204 ? null : await res.json();
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const stamp = () => String(Date.now() % 1e7);
const beijingDay = (plus = 0) => new Date(Date.now() + 8 * 3600e3 + plus * 86400e3).toISOString().slice(0, 10);

/** A running cohort at base `base` with the streamers enrolled on `post`: { cohort, enrolments }. */
async function runningCohort(page, { course, base, name, post, streamers }) {
  let cohort = await apiSend(page, 'post', '/academy/cohorts', { course_id: course, base_id: base, name, starts_on: beijingDay(-10), ends_on: beijingDay(30), capacity: 5 });
  cohort = await apiSend(page, 'post', `/academy/cohorts/${cohort.id}/state`, { state: 'open', version: cohort.version });
  const enrolments = [];
  for (const s of streamers) enrolments.push(await apiSend(page, 'post', '/academy/enrolments', { cohort_id: cohort.id, streamer_id: s.id, post_id: post, enrolled_on: beijingDay(-5) }));
  await apiSend(page, 'post', `/academy/cohorts/${cohort.id}/state`, { state: 'running', version: cohort.version });
  return { cohort, enrolments };
}

describe('the academy and the streamers offer what the server allows', { timeout: budget(240000) }, () => {
  test('a township officer: the enrolment actions in their township’s cohorts only; 录入新场次 for their own streamers only', async () => {
    const n = stamp();
    const jhh = await ownPage(browser, LAPTOP);
    await login(jhh.page, 'jinhaihu', srv.demoPw);
    const me = await apiGet(jhh.page, '/auth/me');
    const mine = await apiSend(jhh.page, 'post', '/ecommerce/streamers', { name: `本镇学员${n}`, birth_date: '1996-03-03', skill_level: 2 });
    assert.equal(mine.township_id, me.township_id);

    const off = await ownPage(browser, LAPTOP);
    await login(off.page, 'officer', srv.demoPw);
    const first = (await apiGet(off.page, '/academy/cohorts?limit=1')).items[0];
    const elsewhere = (await apiGet(off.page, '/ecommerce/bases?limit=200')).items.find((b) => b.township_id && b.township_id !== me.township_id);
    const ours = await apiSend(off.page, 'post', '/ecommerce/bases', { name: `本镇村播点${n}`, tier: 'village', township_id: me.township_id });
    const taken = (await apiGet(off.page, '/academy/enrolments?limit=1')).items[0];
    const post = await apiSend(off.page, 'post', '/academy/posts', { zone_enterprise_id: taken.zone_enterprise_id, title: `实训岗${n}`, openings: 5 });
    const away = await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `外镇学员${n}`, birth_date: '1995-04-04', skill_level: 2, township_id: elsewhere.township_id });
    const there = await runningCohort(off.page, { course: first.course_id, base: elsewhere.id, name: `外镇实训班${n}（合成）`, post: post.id, streamers: [mine] });
    const here = await runningCohort(off.page, { course: first.course_id, base: ours.id, name: `本镇实训班${n}（合成）`, post: post.id, streamers: [mine, away] });
    await off.context.close();

    const page = jhh.page;
    // taught elsewhere: their streamer's enrolment is shown, with no action (the server refuses)
    const refused = await page.request.post(`/api/v1/academy/enrolments/${there.enrolments[0].id}/withdraw`, { data: { version: there.enrolments[0].version } });
    assert.equal(refused.status(), 403, 'the server refuses the officer there');
    await page.goto(`/academy/cohorts/${there.cohort.id}`);
    const table = page.getByTestId('enrolment-table');
    const row = table.locator('tbody tr').filter({ hasText: `本镇学员${n}` });
    await row.waitFor();
    assert.equal(await row.getByRole('button').count(), 0, 'no 登记实训 / 退学 on a cohort taught outside the township');
    assert.equal(await page.getByTestId('withdraw-' + there.enrolments[0].id).count(), 0);

    // their township's cohort: the actions on both students
    await page.goto(`/academy/cohorts/${here.cohort.id}`);
    for (const e of here.enrolments) await page.getByTestId('withdraw-' + e.id).waitFor();
    const practise = async (name, id) => {
      const seen = page.waitForResponse((r) => r.url().endsWith(`/api/v1/ecommerce/streamers/${id}`));
      await table.locator('tbody tr').filter({ hasText: name }).getByRole('button', { name: '登记实训' }).click();
      assert.equal((await seen).status(), 200);
      const dlg = page.getByTestId('practice-form');
      await dlg.getByTestId('f-session_id').waitFor();
      await page.waitForTimeout(300);
      return dlg;
    };
    // their own streamer: a session may be recorded right there
    let dlg = await practise(`本镇学员${n}`, mine.id);
    await dlg.getByTestId('practice-new-session').waitFor();
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    // a streamer of another township: practice with the sessions there are, none recorded here
    // (the server refuses the officer a session of that streamer)
    dlg = await practise(`外镇学员${n}`, away.id);
    assert.equal(await dlg.getByTestId('practice-new-session').count(), 0, 'no 录入新场次 for another township’s streamer');
    const session = await page.request.post('/api/v1/ecommerce/sessions', { data: { streamer_id: away.id, platform: 'douyin', date: beijingDay(-1), duration_min: 60, orders: 0, gmv_fen: 0 } });
    assert.equal(session.status(), 403);
    noProblems(page);
    await jhh.context.close();
  });

  test('an enterprise enrols its own streamers and the unsigned ones: another organisation’s is not offered', async () => {
    const n = stamp();
    const off = await ownPage(browser, LAPTOP);
    await login(off.page, 'officer', srv.demoPw);
    const open = (await apiGet(off.page, '/academy/cohorts?state=open&limit=5')).items.find((c) => c.places_left > 0);
    assert.ok(open, 'an open cohort with a place');
    const zone = await apiSend(off.page, 'post', '/ecommerce/zone-enterprises', { name: `京东报名入驻${n}`, kind: 'ecommerce', organisation_id: 2, settled_on: '2020-01-01' });
    await apiSend(off.page, 'post', '/academy/posts', { zone_enterprise_id: zone.id, title: `京东报名岗${n}`, openings: 3 });
    const otherOrg = (await apiGet(off.page, '/organisations?type=enterprise&limit=50')).items.find((o) => o.id !== 2);
    const unsigned = await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `报名无签约${n}`, birth_date: '1994-05-05', skill_level: 3 });
    const others = await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `报名他企${n}`, birth_date: '1994-05-05', skill_level: 3, organisation_id: otherOrg.id });
    await off.context.close();

    const { context, page } = await ownPage(browser, LAPTOP);
    await login(page, 'jd', srv.demoPw, { land: false });
    const own = await apiSend(page, 'post', '/ecommerce/streamers', { name: `报名自家${n}`, birth_date: '1994-05-05', skill_level: 3 });
    assert.equal(own.organisation_id, 2);
    // the server's rule the form keeps to
    const refused = await page.request.post('/api/v1/academy/enrolments', { data: { cohort_id: open.id, streamer_id: others.id, post_id: (await apiGet(page, '/academy/posts?state=open&organisation_id=2&limit=200')).items.find((p) => p.title === `京东报名岗${n}`).id } });
    assert.equal(refused.status(), 403);
    assert.equal((await refused.json()).error.field, 'streamer_id');

    await page.goto(`/academy/cohorts/${open.id}`);
    const form = page.getByTestId('enrol-form');
    await form.waitFor();
    const sel = form.getByTestId('enrol-streamer').locator('.el-select');
    await sel.click();
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/ecommerce/streamers?') && r.url().includes('q='));
    await sel.locator('input').fill(String(n));
    const url = new URL((await searched).url());
    assert.equal(url.searchParams.get('enrolable'), 'true', 'the server lists the streamers it may enrol');
    assert.equal(url.searchParams.get('organisation_id'), null, 'not only its organisation’s');
    await page.getByRole('option', { name: new RegExp(`报名自家${n}`) }).waitFor();
    await page.getByRole('option', { name: new RegExp(`报名无签约${n}`) }).waitFor();
    assert.equal(await page.getByRole('option', { name: new RegExp(`报名他企${n}`) }).count(), 0, 'another organisation’s streamer is not offered');
    // the unsigned one enrols
    await page.getByRole('option', { name: new RegExp(`报名无签约${n}`) }).click();
    await choose(page, form.getByTestId('enrol-post'), `京东报名入驻${n} · 京东报名岗${n} (0/3)`);
    const res = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/academy/enrolments'));
    await form.getByRole('button', { name: '报名入学' }).click();
    assert.equal((await res).status(), 201, await (await res).text());
    await page.getByTestId('enrolment-table').locator('tbody tr').filter({ hasText: `报名无签约${n}` }).waitFor();
    assert.equal((await apiGet(page, `/academy/enrolments?cohort_id=${open.id}&streamer_id=${unsigned.id}`)).items.length, 1);
    noProblems(page);
    await context.close();
  });

  test('a township officer: a streamer of their township signed with a firm of no township offers no writes, nor is picked for a session', async () => {
    const n = stamp();
    const jhh = await ownPage(browser, LAPTOP);
    await login(jhh.page, 'jinhaihu', srv.demoPw);
    const me = await apiGet(jhh.page, '/auth/me');
    const own = await apiSend(jhh.page, 'post', '/ecommerce/streamers', { name: `无乡镇对照${n}`, birth_date: '1993-06-06', skill_level: 3 });
    const off = await ownPage(browser, LAPTOP);
    await login(off.page, 'officer', srv.demoPw);
    const firm = await apiSend(off.page, 'post', '/organisations', { name: `无乡镇直播公司${n}`, type: 'enterprise' });
    assert.equal(firm.township_id ?? null, null);
    const signed = await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `无乡镇签约${n}`, birth_date: '1993-06-06', skill_level: 3, organisation_id: firm.id, township_id: me.township_id });
    assert.equal(signed.township_id, me.township_id);
    await off.context.close();

    const page = jhh.page;
    const refused = await page.request.post(`/api/v1/ecommerce/streamers/${signed.id}/followers`, { data: { platform: 'douyin', as_of: beijingDay(-1), followers: 10 } });
    assert.equal(refused.status(), 403, 'the server refuses the officer');
    await page.goto('/development/ecommerce');
    const q = page.getByTestId('ec-streamer-q');
    const open = async (s) => {
      await q.fill(s.name);
      await q.press('Enter');
      const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/ecommerce/streamers/${s.id}`));
      await page.getByTestId('ec-streamer-' + s.id).click();
      await loaded;
      const dlg = page.getByTestId('streamer-dialog');
      await dlg.getByTestId('sd-sessions').waitFor();
      await page.waitForTimeout(300);
      return dlg;
    };
    // their own streamer: the writes are offered
    let dlg = await open(own);
    await dlg.getByTestId('sd-add-session').waitFor();
    await dlg.getByTestId('sd-followers-form').waitFor();
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    // the one signed with a firm of no township: none
    dlg = await open(signed);
    assert.equal(await dlg.getByTestId('sd-add-session').count(), 0, 'no 录入直播场次');
    assert.equal(await dlg.getByTestId('sd-followers-form').count(), 0, 'no follower form');
    assert.equal(await page.getByTestId('sd-delete').count(), 0, 'no 注销主播');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    // the session form's picker: the own one, not the signed one
    await page.getByTestId('ec-add-session').click();
    const sel = page.getByTestId('sf-streamer').locator('.el-select');
    await sel.click();
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/ecommerce/streamers?') && r.url().includes('q='));
    await sel.locator('input').fill(`无乡镇`);
    const res = await searched;
    // the server leaves out the ones the officer may not write (writable=true)
    assert.equal(new URL(res.url()).searchParams.get('writable'), 'true', 'the search asks for writable streamers');
    const found = await res.json();
    assert.ok(!found.items.some((s) => s.id === signed.id), 'the search leaves the signed one out');
    await page.getByRole('option', { name: new RegExp(`无乡镇对照${n}`) }).waitFor();
    assert.equal(await page.getByRole('option', { name: new RegExp(`无乡镇签约${n}`) }).count(), 0, 'not offered for a session');
    noProblems(page);
    await jhh.context.close();
  });

  test('a township officer: the session picker offers a full page of writable streamers, though the first 30 matches are not theirs to write', async () => {
    const n = stamp();
    const jhh = await ownPage(browser, LAPTOP);
    await login(jhh.page, 'jinhaihu', srv.demoPw);
    const me = await apiGet(jhh.page, '/auth/me');
    const off = await ownPage(browser, LAPTOP);
    await login(off.page, 'officer', srv.demoPw);
    const firm = await apiSend(off.page, 'post', '/organisations', { name: `满页公司${n}`, type: 'enterprise' });
    // 30 of the township signed with a firm of no township (not the officer's to write), then
    // 35 unsigned (theirs), all matching the same search
    const key = `满页${n}`;
    for (let i = 0; i < 30; i++) await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `${key}签${i}`, birth_date: '1993-06-06', skill_level: 3, organisation_id: firm.id, township_id: me.township_id });
    const mine = [];
    for (let i = 0; i < 35; i++) mine.push(await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `${key}本${i}号`, birth_date: '1994-06-06', skill_level: 3, township_id: me.township_id }));
    await off.context.close();

    const page = jhh.page;
    await page.goto('/development/ecommerce');
    await page.getByTestId('ec-add-session').click();
    const sel = page.getByTestId('sf-streamer').locator('.el-select');
    await sel.click();
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/ecommerce/streamers?') && r.url().includes('q='));
    await sel.locator('input').fill(key);
    await searched;
    await page.getByRole('option', { name: new RegExp(`${key}本0号`) }).waitFor();
    await page.waitForTimeout(300);
    // a full page (30) of the officer's own, none of the signed ones
    const offered = await page.getByRole('option', { name: new RegExp(key) }).allTextContents();
    assert.equal(offered.length, 30, `a full page offered: ${offered.length}`);
    assert.ok(offered.every((t) => t.includes(`${key}本`)), 'only writable streamers offered');
    // one is picked and a session recorded for it
    await page.getByRole('option', { name: new RegExp(`${key}本3号`) }).click();
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/ecommerce/sessions') && r.request().method() === 'POST');
    await page.getByTestId('sf-save').click();
    assert.equal((await saved).status(), 201, 'the session is recorded');
    const made = (await apiGet(page, `/ecommerce/sessions?streamer_id=${mine[3].id}`)).items;
    assert.equal(made.length, 1, 'the session is the picked streamer\'s');
    noProblems(page);
    await jhh.context.close();
  });

  test('an enterprise: the enrolment picker offers a full page of enrolable streamers, no anonymised one among them', async () => {
    const n = stamp();
    const jdp = await ownPage(browser, LAPTOP);
    await login(jdp.page, 'jd', srv.demoPw);
    const off = await ownPage(browser, LAPTOP);
    await login(off.page, 'officer', srv.demoPw);
    const open = (await apiGet(off.page, '/academy/cohorts?state=open&limit=5')).items.find((c) => c.places_left > 0);
    assert.ok(open, 'an open cohort with a place');
    const zone = await apiSend(off.page, 'post', '/ecommerce/zone-enterprises', { name: `京东满页入驻${n}`, kind: 'ecommerce', organisation_id: 2, settled_on: '2020-01-01' });
    await apiSend(off.page, 'post', '/academy/posts', { zone_enterprise_id: zone.id, title: `京东满页岗${n}`, openings: 3 });
    // 35 more unsigned streamers, so that more match the search than a page holds
    for (let i = 0; i < 35; i++) await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `满页主播${n}-${i}号`, birth_date: '1994-05-05', skill_level: 3 });
    // the first 10 live ones jd's organisation may enrol that the search matches, anonymised:
    // the first matches (by id) of the search the picker made before, which fetched 30 and hid
    // them (20 offered, of more)
    const before = (await apiGet(jdp.page, `/ecommerce/streamers?organisation_id=2&or_unsigned=true&q=${encodeURIComponent('主播')}&limit=30`)).items.filter((s) => !s.anonymised);
    const gone = before.slice(0, 10);
    for (const s of gone) await apiSend(off.page, 'delete', `/ecommerce/streamers/${s.id}`);
    await off.context.close();
    // they stay, anonymised (renamed 已注销主播#id, still matching the search); the old query
    // (organisation_id with or_unsigned) lists them no more either
    for (const g of gone) assert.ok((await apiGet(jdp.page, `/ecommerce/streamers/${g.id}`)).anonymised, `streamer ${g.id} anonymised`);
    const old = (await apiGet(jdp.page, `/ecommerce/streamers?organisation_id=2&or_unsigned=true&q=${encodeURIComponent('主播')}&limit=30`)).items;
    assert.ok(!old.some((s) => s.anonymised || gone.some((g) => g.id === s.id)), 'or_unsigned lists no anonymised streamer');

    const page = jdp.page;
    await page.goto(`/academy/cohorts/${open.id}`);
    const form = page.getByTestId('enrol-form');
    await form.waitFor();
    const sel = form.getByTestId('enrol-streamer').locator('.el-select');
    await sel.click();
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/ecommerce/streamers?') && r.url().includes('q='));
    await sel.locator('input').fill('主播');
    const res = await searched;
    assert.equal(new URL(res.url()).searchParams.get('enrolable'), 'true', 'the search asks for the enrolable streamers');
    const found = await res.json();
    assert.equal(found.items.length, 30, 'a full page from the server');
    assert.ok(found.next_cursor, 'and more beyond it');
    assert.ok(!found.items.some((s) => s.anonymised || gone.some((g) => g.id === s.id)), 'no anonymised streamer listed');
    await page.getByRole('option', { name: new RegExp(found.items[0].name) }).waitFor();
    await page.waitForTimeout(300);
    // a full page (30) offered, none anonymised
    const offered = await page.getByRole('option', { name: /主播/ }).allTextContents();
    assert.equal(offered.length, 30, `a full page offered: ${offered.length}`);
    assert.ok(!offered.some((t) => t.includes('已注销')), 'no anonymised streamer offered');
    // a narrower search picks one of the new ones, who enrols
    const narrowed = page.waitForResponse((r) => r.url().includes('/api/v1/ecommerce/streamers?') && r.url().includes('q='));
    await sel.locator('input').fill(`满页主播${n}-3号`);
    const pick = (await (await narrowed).json()).items.find((s) => s.name === `满页主播${n}-3号`);
    assert.ok(pick, 'the new streamer is found');
    await page.getByRole('option', { name: new RegExp(`满页主播${n}-3号`) }).click();
    await choose(page, form.getByTestId('enrol-post'), `京东满页入驻${n} · 京东满页岗${n} (0/3)`);
    const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/academy/enrolments'));
    await form.getByRole('button', { name: '报名入学' }).click();
    assert.equal((await saved).status(), 201, await (await saved).text());
    assert.equal((await apiGet(page, `/academy/enrolments?cohort_id=${open.id}&streamer_id=${pick.id}`)).items.length, 1);
    noProblems(page);
    await jdp.context.close();
  });
  test('the enrolment picker: a minor without a guardian’s consent is shown, not to be picked, with the reason', async () => {
    const n = stamp();
    const off = await ownPage(browser, LAPTOP);
    await login(off.page, 'officer', srv.demoPw);
    const open = (await apiGet(off.page, '/academy/cohorts?state=open&limit=5')).items.find((c) => c.places_left > 0);
    assert.ok(open, 'an open cohort with a place');
    // two unsigned streamers of 17, with a guardian's consent; one's consent then gone from the
    // record (as a record of a database from before the rule: the API no longer writes one)
    const b17 = beijingDay(-(17 * 365 + 30));
    const consent = { guardian_name: '王芳', guardian_relation: '母亲', guardian_consent_date: beijingDay(-10) };
    const none = await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `少年缺同意${n}`, birth_date: b17, skill_level: 2, ...consent });
    await apiSend(off.page, 'post', '/ecommerce/streamers', { name: `少年有同意${n}`, birth_date: b17, skill_level: 2, ...consent });
    execFileSync('sqlite3', [srv.db, `UPDATE ec_streamers SET guardian_name = NULL, guardian_relation = NULL, guardian_consent_date = NULL WHERE id = ${none.id}`]);
    const rec = await apiGet(off.page, `/ecommerce/streamers/${none.id}`);
    assert.equal(rec.age, 17);
    assert.equal(rec.guardian_consent, false);
    await off.context.close();

    for (const [lang, reason] of [
      ['zh-CN', '未成年，缺监护人同意'],
      ['en', 'minor without guardian consent'],
    ]) {
      const jdp = await ownPage(browser, LAPTOP);
      if (lang === 'en') await jdp.context.addInitScript(() => localStorage.setItem('pj_locale', 'en'));
      await login(jdp.page, 'jd', srv.demoPw);
      const page = jdp.page;
      await page.goto(`/academy/cohorts/${open.id}`);
      const form = page.getByTestId('enrol-form');
      await form.waitFor();
      const sel = form.getByTestId('enrol-streamer').locator('.el-select');
      await sel.click();
      const searched = page.waitForResponse((r) => r.url().includes('/api/v1/ecommerce/streamers?') && r.url().includes(`q=${n}`));
      await sel.locator('input').fill(n);
      await searched;
      const bad = page.getByRole('option', { name: new RegExp(`少年缺同意${n}`) });
      const good = page.getByRole('option', { name: new RegExp(`少年有同意${n}`) });
      await bad.waitFor();
      await good.waitFor();
      // shown with the reason, disabled; the one with consent can be picked
      assert.ok((await bad.textContent()).includes(reason), `${lang}: the reason shown: ${await bad.textContent()}`);
      assert.equal(await bad.getAttribute('aria-disabled'), 'true', `${lang}: not to be picked`);
      assert.notEqual(await good.getAttribute('aria-disabled'), 'true', `${lang}: the one with consent can be picked`);
      assert.ok(!(await good.textContent()).includes(reason));
      // a click on it picks nothing; the other one is picked
      await bad.click({ force: true });
      await page.waitForTimeout(200);
      assert.ok(!(await sel.textContent()).includes(`少年缺同意${n}`), `${lang}: nothing picked`);
      await good.click();
      await page.waitForTimeout(200);
      assert.ok((await sel.textContent()).includes(`少年有同意${n}`), `${lang}: the one with consent picked`);
      noProblems(page);
      await jdp.context.close();
    }
  });
});
