// A township officer's firm pickers on 企间合作, 政银企对接 and 惠企政策. 请求联系 offered a
// message prompt only, so an officer's request (which must name the firm asking) was always
// refused with organisation_id 必填: the dialog now asks for the firm, among the township's, and
// the request is sent for it (a firm's request, as before, carries the message alone).
// 发布融资需求 and 匹配说明 offered every firm of the district and, for one outside the
// township, said 只能处理本单位的记录 or 对象不存在: they search the township's firms only, and
// a refusal names the township.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

/** jinhaihu logged in, with the township's name, a firm outside it and the township's firms. */
async function officer() {
  const { context, page } = await openPage(browser);
  await login(page, 'jinhaihu', DEMO_PW);
  const me = await apiGet(page, '/auth/me');
  const town = await apiGet(page, `/regions/${me.township_id}`);
  const all = (await apiGet(page, '/organisations?type=enterprise&limit=200')).items;
  const outside = all.find((o) => o.township_id && o.township_id !== me.township_id);
  const inside = (await apiGet(page, `/organisations?type=enterprise&township_id=${me.township_id}&limit=50`)).items;
  assert.ok(outside && inside.length > 1, 'firms inside and outside the township');
  return { context, page, me, town, outside, inside };
}

/** The firm select (企业) of a dialog. */
const firmSelect = (dlg) => dlg.locator('.el-form-item', { hasText: '企业' }).locator('.el-select');

/** Types a name into a remote firm select: the search asks for the township's firms only, and
 * a firm outside the township is not offered. */
async function searchKeepsToTownship(page, select, me, outside) {
  const asked = page.waitForRequest((r) => r.url().includes('/api/v1/organisations?'));
  await select.click();
  await page.keyboard.type(outside.name);
  const url = new URL((await asked).url());
  assert.equal(url.searchParams.get('township_id'), String(me.township_id), 'the search keeps to the township');
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('option', { name: outside.name, exact: true }).count(), 0, 'a firm outside the township is not offered');
  await page.keyboard.press('Escape');
}

/** Picks a firm by typing its name, less its last character, into a remote select (the
 * select searches nothing for the text it searched last, typed again). */
async function pick(page, select, name) {
  await select.click();
  await page.keyboard.type(name.slice(0, -1));
  await page.getByRole('option', { name, exact: true }).click();
}

describe('a township officer’s firm pickers', { timeout: budget(180000) }, () => {
  test('企间合作: 请求联系 asks an officer for the firm, among the township’s, and sends it', async () => {
    const { context, page, me, town, outside, inside } = await officer();
    // the board is newest first: the posts other tests made lead it (one may be closed, be the
    // firm outside's own — never offered to ask for it — or be asked already by every firm of
    // the township), so an open post of its first page, of another firm than the one outside,
    // that a firm of the township has not asked yet
    const posts = (await apiGet(page, '/enterprise/coop-posts?limit=20')).items;
    let i = -1;
    let firm;
    for (const [k, p] of posts.entries()) {
      if (p.state !== 'open' || p.organisation_id === outside.id) continue;
      const asked = (await apiGet(page, `/enterprise/coop-contacts?post_id=${p.id}&limit=200`)).items.map((c) => c.from.organisation_id);
      firm = inside.find((o) => o.id !== p.organisation_id && !asked.includes(o.id));
      if (firm) {
        i = k;
        break;
      }
    }
    assert.ok(i >= 0, 'an open post a firm of the township has not asked');
    const post = posts[i];
    await page.goto('/enterprise/cooperation');
    await page.getByTestId('coop-open').nth(i).click();
    await page.getByTestId('coop-matches').getByTestId('coop-ask').click();
    const dlg = page.getByRole('dialog', { name: '请求联系' });
    const org = firmSelect(dlg);
    await org.waitFor();
    await searchKeepsToTownship(page, org, me, outside);
    // nothing chosen: both fields named at once, nothing sent
    let sent = 0;
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/contacts') && sent++);
    await dlg.getByTestId('coop-ask-send').click();
    await dlg.getByText('必填').first().waitFor();
    assert.equal(await dlg.getByText('必填').count(), 2, 'the firm and the message');
    assert.equal(sent, 0);
    // were a firm outside offered (an old list), the server's refusal names the township
    await page.route('**/api/v1/organisations?*', (r) => r.fulfill({ json: { items: [outside], next_cursor: null } }));
    await pick(page, org, outside.name);
    await dlg.getByTestId('coop-ask-message').fill('希望合作');
    await dlg.getByTestId('coop-ask-send').click();
    await dlg.getByText(`无权限：该企业不在${town.name}`).waitFor();
    await page.unroute('**/api/v1/organisations?*');
    // a firm of the township: sent for it
    await pick(page, org, firm.name);
    const req = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/v1/enterprise/coop-posts/${post.id}/contacts`));
    const res = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/enterprise/coop-posts/${post.id}/contacts`));
    await dlg.getByTestId('coop-ask-send').click();
    assert.deepEqual((await req).postDataJSON(), { message: '希望合作', organisation_id: firm.id });
    assert.equal((await res).status(), 201, await (await res).text());
    await page.locator('.el-message').getByText('已发送联系请求').waitFor();
    await dlg.waitFor({ state: 'hidden' });
    await page.getByTestId('coop-contacts').locator('tr', { hasText: firm.name }).filter({ hasText: '希望合作' }).waitFor();
    await shot(page, 'township-coop-ask');
    noProblems(page);
    await context.close();
  });

  test('企间合作: a firm’s 请求联系 asks for the message alone and sends it for the firm', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'jd', DEMO_PW, { land: false });
    const own = (await apiGet(page, '/auth/me')).organisation_id;
    const sent = (await apiGet(page, '/enterprise/coop-contacts?limit=200')).items.filter((c) => c.from.organisation_id === own).map((c) => c.post_id);
    const posts = (await apiGet(page, '/enterprise/coop-posts?limit=20')).items;
    const i = posts.findIndex((p) => p.organisation_id !== own && p.state === 'open' && !sent.includes(p.id));
    assert.ok(i >= 0, 'an open post of another firm not asked yet');
    await page.goto('/enterprise/cooperation');
    await page.getByTestId('coop-open').nth(i).click();
    await page.getByTestId('coop-matches').getByTestId('coop-ask').click();
    const dlg = page.getByRole('dialog', { name: '请求联系' });
    await dlg.getByTestId('coop-ask-message').fill('想了解供货');
    assert.equal(await firmSelect(dlg).count(), 0, 'no firm to pick: the firm asks for itself');
    const req = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/v1/enterprise/coop-posts/${posts[i].id}/contacts`));
    await dlg.getByTestId('coop-ask-send').click();
    assert.deepEqual((await req).postDataJSON(), { message: '想了解供货' });
    await page.locator('.el-message').getByText('已发送联系请求').waitFor();
    await page.getByTestId('coop-contacts').locator('tr', { hasText: '想了解供货' }).waitFor();
    noProblems(page);
    await context.close();
  });

  test('政银企对接: 发布融资需求 offers the township’s firms; a refusal names the township', async () => {
    const { context, page, me, town, outside } = await officer();
    await page.goto('/enterprise/finance');
    await page.getByTestId('new-need').click();
    const org = firmSelect(page.getByRole('dialog', { name: '发布融资需求' }));
    await org.waitFor();
    await searchKeepsToTownship(page, org, me, outside);
    await page.route('**/api/v1/organisations?*', (r) => r.fulfill({ json: { items: [outside], next_cursor: null } }));
    await pick(page, org, outside.name);
    await page.getByTestId('need-purpose').fill('流动资金');
    await page.getByTestId('need-save').click();
    const dlg = page.getByRole('dialog');
    await dlg.getByText(`无权限：该企业不在${town.name}`).waitFor();
    assert.doesNotMatch(await dlg.innerText(), /只能处理本单位的记录/);
    await shot(page, 'township-need-outside');
    await page.unroute('**/api/v1/organisations?*');
    noProblems(page);
    await context.close();
  });

  test('惠企政策: 匹配说明’s firm search keeps to the township', async () => {
    const { context, page, me, outside, inside } = await officer();
    const policy = (await apiGet(page, '/enterprise/policies?limit=1')).items[0];
    await page.goto(`/enterprise/policies/${policy.id}`);
    const org = page.getByTestId('explain-org');
    await org.waitFor();
    await searchKeepsToTownship(page, org, me, outside);
    // a firm of the township is offered and explained
    const explained = page.waitForResponse((r) => r.url().includes(`/api/v1/enterprise/policies/${policy.id}/explain?organisation_id=${inside[1].id}`));
    await pick(page, org, inside[1].name);
    assert.equal((await explained).status(), 200);
    await page.getByTestId('explain-result').waitFor();
    noProblems(page);
    await context.close();
  });
});
