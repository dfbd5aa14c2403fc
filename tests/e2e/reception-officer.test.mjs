// Reception days as the officers see them. A township officer reads the sign-ups of the
// township's firms only: the heading said 报名企业（0） and the table 暂无企业报名 while the tile
// counted the day's other sign-ups; now it gives both numbers. An officer who signed a firm up
// by mistake withdraws it from the day's list (the API allowed it, the page offered nothing).
// A cancelled day put back to planned moves in the same save (the date field showed only for a
// day already planned).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, DEMO_PW, apiSend, beijingToday, plusDays, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');

describe('reception days for officers', { timeout: budget(120000) }, () => {
  let off, year, days;
  before(async () => {
    off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    // a year of its own, well ahead, that the other tests leave alone
    year = Number(beijingToday().slice(0, 4)) + 6;
    if (!(await apiGet(off.page, `/enterprise/calendar?year=${year}`)).items.length)
      await apiSend(off.page, 'post', '/enterprise/calendar', { day: `${year}-01-01`, kind: 'holiday', name: '元旦' });
    await apiSend(off.page, 'post', '/enterprise/reception-days', { year });
    days = (await apiGet(off.page, '/enterprise/reception-days?limit=200')).items.filter((d) => d.held_on.startsWith(`${year}-`));
  });
  after(async () => {
    await off?.context.close();
  });

  test('a township officer reads all sign-ups counted and its own listed; withdraws its firm\'s after a confirmation', async () => {
    const day = days.find((d) => d.held_on.startsWith(`${year}-03`));
    assert.ok(day, 'the March reception day');
    const jhh = await openPage(browser);
    await login(jhh.page, 'jinhaihu', DEMO_PW);
    const town = (await apiGet(jhh.page, '/auth/me')).township_id;
    const own = (await apiGet(off.page, `/organisations?type=enterprise&township_id=${town}&limit=1`)).items[0];
    const other = (await apiGet(off.page, '/organisations?type=enterprise&limit=50')).items.find((o) => o.township_id && o.township_id !== town);
    assert.ok(own && other, 'a firm of 金海湖 and one of another township');
    await apiSend(off.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '用工需求', organisation_id: own.id });
    await apiSend(off.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '物流用地', organisation_id: other.id });

    const page = jhh.page;
    await page.goto(`/enterprise/reception-days?year=${year}`);
    await page.getByTestId('reception-calendar').locator(`[data-day="${day.held_on}"]`).click();
    const detail = page.getByTestId('reception-detail');
    await detail.getByText(`${day.held_on} 接待日`).waitFor();
    const heading = detail.getByTestId('signup-heading');
    await heading.getByText('报名企业 2 家，本街乡 1 家').waitFor();
    const rows = detail.getByTestId('reception-signups').locator('tbody tr');
    assert.equal(await rows.count(), 1);
    await rows.first().getByText(own.name).waitFor();
    await shot(page, 'reception-township-signups');

    // withdrawn after a confirmation naming the firm; cancelling the box keeps it
    const withdraw = rows.first().getByTestId('signup-withdraw-row');
    assert.equal(await withdraw.getAttribute('aria-label'), `撤回${own.name}的报名`);
    await withdraw.click();
    const box = page.locator('.el-message-box');
    await box.getByText(own.name).waitFor();
    await box.getByRole('button', { name: '取消' }).click();
    await box.waitFor({ state: 'hidden' });
    assert.equal((await apiGet(off.page, `/enterprise/reception-days/${day.id}`)).signup_count, 2, 'kept');
    await withdraw.click();
    const sent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/reception-days/${day.id}/signups/withdraw`));
    await box.getByRole('button', { name: '撤回', exact: true }).click();
    const res = await sent;
    assert.equal(res.status(), 204);
    assert.deepEqual(res.request().postDataJSON(), { organisation_id: own.id });
    await heading.getByText('报名企业 1 家，本街乡 0 家').waitFor();
    await detail.getByText('本街乡暂无企业报名').waitFor();
    const now = await apiGet(off.page, `/enterprise/reception-days/${day.id}`);
    assert.deepEqual(now.signups.map((g) => g.organisation_id), [other.id], 'the other township\'s sign-up stays');
    noProblems(page);
    await jhh.context.close();
  });

  test('a cancelled day put back to planned moves to another working day in the same save', async () => {
    const day = days.find((d) => d.held_on.startsWith(`${year}-04`));
    assert.ok(day, 'the April reception day');
    const cancelled = await apiSend(off.page, 'patch', `/enterprise/reception-days/${day.id}`, { version: day.version, state: 'cancelled' });
    const target = plusDays(day.held_on, 1); // the Tuesday after its first Monday
    const page = off.page;
    await page.goto(`/enterprise/reception-days?year=${year}`);
    await page.getByTestId('reception-calendar').locator(`[data-day="${day.held_on}"]`).click();
    const detail = page.getByTestId('reception-detail');
    await detail.getByText(`${day.held_on} 接待日`).waitFor();
    await detail.getByTestId('edit-reception').click();
    await detail.getByTestId('reception-state').waitFor();
    assert.equal(await detail.getByTestId('reception-held-on').count(), 0, 'no date for a cancelled day');
    await choose(page, detail.getByTestId('reception-state'), '已安排');
    const picker = detail.locator('.el-date-editor input').first();
    await picker.waitFor();
    await picker.click();
    await picker.fill(target);
    await picker.press('Enter');
    const sent = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/reception-days/${day.id}`));
    await detail.getByTestId('reception-save').click();
    const res = await sent;
    assert.equal(res.status(), 200, await res.text());
    const body = res.request().postDataJSON();
    assert.equal(body.state, 'planned');
    assert.equal(body.held_on, target);
    await detail.getByText(`${target} 接待日`).waitFor();
    const now = await apiGet(page, `/enterprise/reception-days/${day.id}`);
    assert.equal(now.state, 'planned');
    assert.equal(now.held_on, target);
    assert.equal(now.version, cancelled.version + 1, 'one change');
    noProblems(page);
  });
});
