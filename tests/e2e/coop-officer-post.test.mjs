// 发布供需 was offered to enterprise users only, though the API lets officers post for a firm
// (organisation_id; a township officer for the township's firms). Now an officer posts from
// the board for a firm picked in the dialog (required), the township the post is for taking
// the firm's; the server's refusals are shown at the field they name.
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

/** The dialog's form item labelled `label` (exactly). */
const item = (dlg, label) => dlg.locator('.el-form-item').filter({ has: dlg.page().locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) });

/** Picks a firm by typing its name, less its last character, into the remote select (the
 * select searches nothing for the text it searched last, typed again). */
async function pick(page, select, name) {
  await select.click();
  await page.keyboard.type(name.slice(0, -1));
  await page.getByRole('option', { name, exact: true }).click();
}

/** The board's first row, once it shows the post titled `title` (the board is newest first:
 * a post just made heads its first page). */
async function boardTop(page, title) {
  const top = page.getByTestId('coop-posts').locator('tbody tr').first();
  await top.filter({ hasText: title }).waitFor();
  return top;
}

const postsUrl = (r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/enterprise/coop-posts');

describe('an officer posts on the cooperation board for a firm', { timeout: budget(180000) }, () => {
  test('the district officer picks a firm: the post is its, for its township, and shows its name', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const firms = (await apiGet(page, '/organisations?type=enterprise&limit=100')).items;
    const firm = firms.find((o) => o.township_id);
    assert.ok(firm, 'a firm with a township');
    const town = await apiGet(page, `/regions/${firm.township_id}`);
    await page.goto('/enterprise/cooperation');
    await page.getByTestId('coop-new').click();
    const dlg = page.getByRole('dialog', { name: '发布供需' });
    const org = dlg.getByTestId('coop-post-org');
    await org.waitFor();
    // nothing picked, no title: both named at once, nothing sent
    let sent = 0;
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/enterprise/coop-posts') && sent++);
    await dlg.getByTestId('coop-save').click();
    await item(dlg, '企业').getByText('必填').waitFor();
    await item(dlg, '标题').getByText('必填').waitFor();
    assert.equal(sent, 0);

    // a firm that is none (an old list): the server's 422 shown at the firm
    await page.route('**/api/v1/organisations?*', (r) => r.fulfill({ json: { items: [{ ...firm, id: 999999, name: '已注销企业' }], next_cursor: null } }));
    await pick(page, org, '已注销企业');
    const title = `冷库租赁 ${Date.now()}`;
    await dlg.getByTestId('coop-title').fill(title);
    let res = page.waitForResponse(postsUrl);
    await dlg.getByTestId('coop-save').click();
    assert.equal((await res).status(), 422);
    await item(dlg, '企业').locator('.el-form-item__error', { hasText: '引用的对象不存在' }).waitFor();
    await page.unroute('**/api/v1/organisations?*');

    // the firm: the township follows it, and the post is sent for it
    await pick(page, org, firm.name);
    await item(dlg, '街乡镇').getByText(town.name, { exact: true }).waitFor();
    const req = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/enterprise/coop-posts'));
    res = page.waitForResponse(postsUrl);
    await dlg.getByTestId('coop-save').click();
    assert.deepEqual((await req).postDataJSON(), { kind: 'offer', category: 'supply', title, body: '', organisation_id: firm.id, township_id: firm.township_id });
    const made = await (await res).json();
    assert.equal((await res).status(), 201, JSON.stringify(made));
    assert.equal(made.organisation_id, firm.id);
    assert.equal(made.township_id, firm.township_id);
    await dlg.waitFor({ state: 'hidden' });
    // opened beside the board, and at the top of the board's first page with its firm's name
    // and township
    await page.getByTestId('coop-matches').getByText(title).first().waitFor();
    const row = await boardTop(page, title);
    await row.getByText(firm.name, { exact: true }).waitFor();
    await row.getByText(town.name, { exact: true }).waitFor();
    await shot(page, 'coop-officer-post');
    noProblems(page);
    await context.close();
  });

  test('a township officer is offered the township’s firms only; one outside is refused naming the township', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const me = await apiGet(page, '/auth/me');
    const town = await apiGet(page, `/regions/${me.township_id}`);
    const all = (await apiGet(page, '/organisations?type=enterprise&limit=200')).items;
    const outside = all.find((o) => o.township_id && o.township_id !== me.township_id);
    const inside = (await apiGet(page, `/organisations?type=enterprise&township_id=${me.township_id}&limit=50`)).items;
    assert.ok(outside && inside.length, 'firms inside and outside the township');
    await page.goto('/enterprise/cooperation');
    await page.getByTestId('coop-new').click();
    const dlg = page.getByRole('dialog', { name: '发布供需' });
    const org = dlg.getByTestId('coop-post-org');
    await org.waitFor();
    // the search keeps to the township: the firm outside is not offered, the township's are
    let asked = page.waitForRequest((r) => r.url().includes('/api/v1/organisations?'));
    await org.click();
    await page.keyboard.type(outside.name);
    assert.equal(new URL((await asked).url()).searchParams.get('township_id'), String(me.township_id), 'the search keeps to the township');
    await page.waitForTimeout(500);
    assert.equal(await page.getByRole('option', { name: outside.name, exact: true }).count(), 0, 'a firm outside the township is not offered');
    await page.keyboard.press('Escape');
    asked = page.waitForResponse((r) => r.url().includes('/api/v1/organisations?'));
    await org.click();
    await page.keyboard.type(inside[0].name.slice(0, -1));
    const offered = (await (await asked).json()).items;
    assert.ok(offered.length && offered.every((o) => o.township_id === me.township_id), 'only the township’s firms');
    await page.getByRole('option', { name: inside[0].name, exact: true }).waitFor();
    await page.keyboard.press('Escape');

    // were a firm outside offered (an old list), the refusal is at the firm, naming the township
    await page.route('**/api/v1/organisations?*', (r) => r.fulfill({ json: { items: [outside], next_cursor: null } }));
    await pick(page, org, outside.name);
    await dlg.getByTestId('coop-title').fill(`农机共享 ${Date.now()}`);
    const res = page.waitForResponse(postsUrl);
    await dlg.getByTestId('coop-save').click();
    assert.equal((await res).status(), 403);
    await item(dlg, '企业').getByText(`无权限：该企业不在${town.name}`).waitFor();
    await page.unroute('**/api/v1/organisations?*');
    await shot(page, 'coop-township-post-outside');
    noProblems(page);
    await context.close();
  });
});
