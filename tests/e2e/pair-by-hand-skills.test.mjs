// 手动结对: the helpers of the township with a place were all offered alike, and one without a
// skill the elder needs was refused by the server (skills_missing) only after being chosen.
// Those with every skill needed come first; the others follow, not choosable, naming the skills
// they lack — in Chinese and in English. Each says how far they live from the elder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, idNumber, budget } from './lib.mjs';
import { distanceM } from '../../web/src/utils/eldercare.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens the hand-pair dialog and finds the helpers named `q`: the options shown, in order. */
async function offered(page, q) {
  await page.getByTestId('pair-by-hand').click();
  const dlg = page.getByTestId('pair-by-hand-dialog');
  await dlg.waitFor();
  // the cursor is in the helper search once the dialog is open (it was on the dialog's box)
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="pair-by-hand-dialog"] .el-select'));
  await dlg.getByTestId('pair-by-hand-helper').click();
  await page.keyboard.type(q);
  const options = page.locator('.el-select-dropdown__item:visible');
  await options.filter({ hasText: q }).nth(1).waitFor();
  return { dlg, options };
}

test('hand pairing: helpers with the skills needed first, the others disabled and naming what they lack', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD);
  const first = (await apiGet(page, '/elders?status=active&limit=1')).items[0];
  const grid = first.grid_id;
  const full = await apiGet(page, `/elders/${first.id}`);
  const at = { lat: full.lat, lon: full.lon };
  const n = Date.now() % 100000;
  const elder = await apiSend(page, 'post', '/elders', {
    name: `护理老人${n}`, sex: 'F', birth_date: '1940-06-07', id_number: idNumber('19400607'), grid_id: grid, ability_level: 3,
    help_needed: ['companionship', 'nursing'], ...at,
  });
  // registered first (listed first by the server), but without nursing; across the township
  const lacking = await apiSend(page, 'post', '/helpers', {
    name: `技能${n}甲`, sex: 'F', birth_date: '1970-06-07', id_number: idNumber('19700607'), grid_id: grid, skills: ['companionship'], capacity: 2,
    lat: at.lat + 0.02, lon: at.lon,
  });
  // a neighbour
  const able = await apiSend(page, 'post', '/helpers', {
    name: `技能${n}乙`, sex: 'F', birth_date: '1970-06-08', id_number: idNumber('19700608'), grid_id: grid, skills: ['companionship', 'nursing'], capacity: 2,
    lat: at.lat + 0.003, lon: at.lon,
  });
  const near = distanceM(at.lat, at.lon, at.lat + 0.003, at.lon);
  const far = distanceM(at.lat, at.lon, at.lat + 0.02, at.lon);
  assert.ok(near < 1000 && far > 1000, `${near} m, ${far} m`);
  const km = (m) => (Math.round(m / 100) / 10).toFixed(1);

  // in English first
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto(`/elders/${elder.id}`);
  let { options } = await offered(page, `技能${n}`);
  let mine = options.filter({ hasText: `技能${n}` });
  assert.equal(await mine.count(), 2);
  assert.match(await mine.nth(0).innerText(), new RegExp(`^技能${n}乙 · .* \\(#${able.id}\\) · ${near} m away$`));
  assert.match(await mine.nth(1).innerText(), new RegExp(`^技能${n}甲 · .* \\(#${lacking.id}\\) · ${km(far)} km away · lacks Nursing$`));
  await page.keyboard.press('Escape');

  // in Chinese; the one lacking nursing cannot be chosen, the other is paired
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  await page.reload();
  let dlg;
  ({ dlg, options } = await offered(page, `技能${n}`));
  mine = options.filter({ hasText: `技能${n}` });
  assert.match(await mine.nth(0).innerText(), new RegExp(`^技能${n}乙 · .*（#${able.id}） · 相距 ${near} 米$`));
  const no = mine.nth(1);
  assert.match(await no.innerText(), new RegExp(`^技能${n}甲 · .*（#${lacking.id}） · 相距 ${km(far)} 公里 · 缺少所需技能：护理$`));
  assert.match(await no.getAttribute('class'), /is-disabled/);
  await no.click({ force: true });
  assert.ok(await dlg.getByTestId('pair-by-hand-confirm').isDisabled(), 'a helper lacking a skill is not chosen');
  // the start date's picker is there (it was not registered on the page: no date at all), today
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const date = dlg.locator('.el-date-editor input').first();
  assert.equal(await date.inputValue(), today);
  await mine.nth(0).click();
  await dlg.getByTestId('pair-by-hand-confirm').click();
  await page.locator('.el-message', { hasText: '已结对' }).first().waitFor();
  const pair = (await apiGet(page, `/pairs?elder_id=${elder.id}&state=active`)).items[0];
  assert.equal(pair.helper_id, able.id);
  // the pair's reason names who made it by display name, as everywhere else (it read the user
  // name: 由 jinhaihu 结对)
  assert.equal(pair.created_by, 'admin');
  assert.ok(pair.created_by_name && pair.created_by_name !== 'admin', 'the admin has a display name');
  const reason = page.getByTestId('elder-pairs').locator('tr', { hasText: able.name }).getByTestId('pair-reason');
  assert.match((await reason.innerText()).trim(), new RegExp(`^由 ${pair.created_by_name} 结对；相距 \\d{1,3}(,\\d{3})* 米$`));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

// In a large township the first 50 helpers read were all that was offered before anything was
// typed: a suitable helper registered later never appeared unless searched by name. Those with
// every skill needed are asked for first. A helper of the sex the elder does not want is offered
// disabled, saying so (the server refuses them: sex_preference).
test('hand pairing: a suitable helper beyond the first page is offered, one of the other sex disabled', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD);
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const n = Date.now() % 100000;
  const elder = await apiSend(page, 'post', '/elders', {
    name: `偏好老人${n}`, sex: 'F', birth_date: '1941-06-07', id_number: idNumber('19410607'), grid_id: grid, ability_level: 3,
    help_needed: ['cleaning', 'escort', 'nursing'], helper_sex_pref: 'F',
  });
  const able = await apiSend(page, 'post', '/helpers', {
    name: `远端${n}甲`, sex: 'F', birth_date: '1971-06-07', id_number: idNumber('19710607'), grid_id: grid, skills: ['cleaning', 'escort', 'nursing'], capacity: 2,
  });
  const man = await apiSend(page, 'post', '/helpers', {
    name: `远端${n}乙`, sex: 'M', birth_date: '1971-06-08', id_number: idNumber('19710608', 'M'), grid_id: grid, skills: ['cleaning', 'escort', 'nursing'], capacity: 2,
  });
  // a large township: the first page of all its helpers ends before the suitable one (the list
  // answered without it, a cursor saying there are more); asked for by skills it is found
  await page.route(
    (url) => url.pathname === '/api/v1/helpers' && !url.searchParams.has('skills') && !url.searchParams.has('q'),
    async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      return route.fulfill({ response: res, json: { ...body, items: body.items.filter((h) => h.id !== able.id), next_cursor: body.next_cursor || String(able.id) } });
    },
  );

  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.goto(`/elders/${elder.id}`);
  await page.getByTestId('pair-by-hand').click();
  const dlg = page.getByTestId('pair-by-hand-dialog');
  await dlg.getByTestId('pair-by-hand-helper').click();
  // nothing typed: the suitable helper is offered, first
  const opt = page.getByTestId(`pair-by-hand-option-${able.id}`);
  await opt.waitFor();
  const options = page.locator('.el-select-dropdown__item:visible');
  assert.match(await options.nth(0).innerText(), new RegExp(`^远端${n}甲 · `));
  {
    const m = page.getByTestId(`pair-by-hand-option-${man.id}`);
    await m.waitFor();
    assert.match(await m.innerText(), / · the elder prefers a woman helper$/);
    assert.match(await m.getAttribute('class'), /is-disabled/);
    await page.keyboard.press('Escape');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    await page.reload();
    await page.getByTestId('pair-by-hand').click();
    await page.getByTestId('pair-by-hand-helper').click();
    await page.getByTestId(`pair-by-hand-option-${man.id}`).waitFor();
    assert.match(await page.getByTestId(`pair-by-hand-option-${man.id}`).innerText(), / · 老人希望女性互助员$/);
  }
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

// A free place was judged in the browser on each page of 50 the server sent, so a township whose
// first 50 helpers were full offered nobody, and nothing beyond the first 50 could be reached
// without typing a name. The server now sends only helpers with a place left (free=1), of the
// sex the elder prefers first (sex=), and 加载更多 brings the next page.
test('hand pairing: a helper with no place left is not offered; 加载更多 brings the next page', { timeout: budget(180000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'admin', process.env.PJ_ADMIN_PASSWORD);
  const grid = (await apiGet(page, '/elders?status=active&limit=1')).items[0].grid_id;
  const n = Date.now() % 100000;
  const elder = await apiSend(page, 'post', '/elders', {
    name: `满员老人${n}`, sex: 'F', birth_date: '1942-06-07', id_number: idNumber('19420607'), grid_id: grid, ability_level: 1, helper_sex_pref: 'F',
  });
  const other = await apiSend(page, 'post', '/elders', {
    name: `满员老人${n}乙`, sex: 'F', birth_date: '1942-06-08', id_number: idNumber('19420608'), grid_id: grid, ability_level: 1,
  });
  // 51 helpers of that name with a place (one page of 50 and one more), and one without: the
  // first registered, so that the server would list it first
  const helper = (k, capacity) => {
    const b = `1973${String(1 + Math.floor(k / 28)).padStart(2, '0')}${String(1 + (k % 28)).padStart(2, '0')}`;
    return apiSend(page, 'post', '/helpers', {
      name: `满员${n}-${k}`, sex: 'F', birth_date: `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6)}`, id_number: idNumber(b), grid_id: grid, skills: ['companionship'], capacity,
    });
  };
  const full = await helper(0, 1);
  await apiSend(page, 'post', '/pairs', { elder_id: other.id, helper_id: full.id });
  const free = [];
  for (let k = 1; k <= 51; k++) free.push(await helper(k, 1));
  const asked = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/helpers') asked.push(u.searchParams);
  });

  await page.goto(`/elders/${elder.id}`);
  await page.getByTestId('pair-by-hand').click();
  const dlg = page.getByTestId('pair-by-hand-dialog');
  await dlg.getByTestId('pair-by-hand-helper').click();
  await page.keyboard.type(`满员${n}-`);
  const mine = page.locator('.pj-pair-helpers .el-select-dropdown__item', { hasText: `满员${n}-` });
  // a page of 50 (once the name typed last is answered), all with a place: the full one is not
  // among them
  const shown = (want) =>
    page.waitForFunction(
      ([t, k]) => [...document.querySelectorAll('.pj-pair-helpers .el-select-dropdown__item')].filter((e) => e.textContent.includes(t)).length === k,
      [`满员${n}-`, want],
    );
  await shown(50);
  assert.equal(await mine.count(), 50);
  assert.equal(await page.getByTestId(`pair-by-hand-option-${full.id}`).count(), 0, 'a helper with no place left is not offered');
  assert.equal(await page.getByTestId(`pair-by-hand-option-${free[50].id}`).count(), 0);
  await page.getByTestId('pair-by-hand-more').click();
  await shown(51);
  assert.equal(await page.getByTestId(`pair-by-hand-option-${free[50].id}`).count(), 1);
  // the other helpers' list (the ones who do not fit: none here) may still have a page: asked
  // for, it adds nobody and the button goes
  if (await page.getByTestId('pair-by-hand-more').count()) await page.getByTestId('pair-by-hand-more').click();
  await page.getByTestId('pair-by-hand-more').waitFor({ state: 'detached' });
  assert.equal(await mine.count(), 51);
  assert.equal(await page.getByTestId(`pair-by-hand-option-${full.id}`).count(), 0);
  assert.ok(asked.length > 0 && asked.every((q) => q.get('free') === '1'), 'every page asks for helpers with a place left');
  assert.ok(asked.some((q) => q.get('sex') === 'F'), 'the helpers of the sex the elder prefers are asked for first');
  // the one loaded last is chosen and paired
  await page.getByTestId(`pair-by-hand-option-${free[50].id}`).click();
  await dlg.getByTestId('pair-by-hand-confirm').click();
  await page.locator('.el-message', { hasText: '已结对' }).first().waitFor();
  assert.equal((await apiGet(page, `/pairs?elder_id=${elder.id}&state=active`)).items[0].helper_id, free[50].id);
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
