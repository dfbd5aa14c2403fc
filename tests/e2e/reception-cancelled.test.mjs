// A reception day as a firm signed up for it reads it: while planned, the firm withdraws its
// sign-up (撤回报名) and signs up again with a corrected topic; cancelled, the day says so (its
// state beside the date, and that the sign-up stands if the day is put back), and the sign-up
// count above the firm's own sign-up is the day's (signup_count, as on the tile), not 1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, apiSend, beijingToday, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('a cancelled reception day for a firm', { timeout: budget(120000) }, () => {
  test('withdrawn and signed up again; cancelled after the firm signed up: said so; the count is the day\'s', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const y = Number(beijingToday().slice(0, 4));
    const ahead = async () => (await apiGet(off.page, '/enterprise/reception-days?limit=200')).items.filter((d) => d.state === 'planned' && d.held_on > beijingToday() && !d.signup_count);
    for (const year of [y, y + 1]) {
      if ((await ahead()).length) break;
      if (!(await apiGet(off.page, `/enterprise/calendar?year=${year}`)).items.length)
        await apiSend(off.page, 'post', '/enterprise/calendar', { day: `${year}-01-01`, kind: 'holiday', name: '元旦' });
      await apiSend(off.page, 'post', '/enterprise/reception-days', { year });
    }
    const day = (await ahead()).sort((a, b) => a.held_on.localeCompare(b.held_on))[0];
    assert.ok(day, 'a reception day ahead with no sign-ups');
    const jd = await openPage(browser);
    await login(jd.page, 'jd', DEMO_PW);
    await apiSend(jd.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '物流园道路限行问题（写错）' });
    const detail = jd.page.getByTestId('reception-detail');
    const openDay = async () => {
      await jd.page.goto(`/enterprise/reception-days?year=${day.held_on.slice(0, 4)}`);
      await jd.page.getByTestId('reception-calendar').locator(`[data-day="${day.held_on}"]`).click();
      await detail.getByText(`${day.held_on} 接待日`).waitFor();
    };
    await openDay();
    await detail.getByTestId('signed-up').getByText('写错').waitFor();
    // the list read again after the withdrawal held back (a slow network, a busy server): the
    // form shows with the withdrawn topic already in it, and what the firm types meanwhile is
    // not overwritten when the list comes
    const list = /\/api\/v1\/enterprise\/reception-days(\?|$)/;
    let release;
    const held = new Promise((r) => (release = r));
    await jd.page.route(list, async (route) => {
      await held;
      await route.continue();
    });
    const listed = jd.page.waitForResponse((r) => list.test(r.url()));
    await detail.getByTestId('signup-withdraw').click();
    const topic = detail.getByTestId('signup-topic');
    await topic.waitFor();
    assert.equal(await topic.inputValue(), '物流园道路限行问题（写错）', 'the withdrawn topic to correct');
    await topic.fill('物流园道路限行问题');
    release();
    await listed;
    await jd.page.getByText('已撤回报名，可重新填写议题报名').first().waitFor();
    await jd.page.unroute(list);
    assert.equal(await topic.inputValue(), '物流园道路限行问题', 'what the firm typed, kept');
    await detail.getByTestId('signup-save').click();
    await detail.getByTestId('signed-up').getByText('议题：物流园道路限行问题').waitFor();
    assert.equal((await apiGet(off.page, `/enterprise/reception-days/${day.id}`)).signups.length, 1);
    const jdOrg = (await apiGet(jd.page, '/auth/me')).organisation_id;
    const second = (await apiGet(off.page, '/organisations?type=enterprise&limit=10')).items.find((o) => o.id !== jdOrg);
    await apiSend(off.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '园区用地', organisation_id: second.id });
    const cur = await apiGet(off.page, `/enterprise/reception-days/${day.id}`);
    await apiSend(off.page, 'patch', `/enterprise/reception-days/${day.id}`, { version: cur.version, state: 'cancelled' });
    await openDay();
    await detail.getByTestId('reception-day-state').getByText('已取消').waitFor();
    await detail.getByTestId('signed-up-cancelled').getByText('该接待日已取消').waitFor();
    assert.equal(await detail.getByTestId('signup-withdraw').count(), 0, 'nothing to withdraw from a cancelled day');
    assert.equal(await detail.getByTestId('signup-heading').innerText(), '报名企业 2 家，贵企业的报名');
    await shot(jd.page, 'reception-cancelled-firm');
    // as it was, for the other tests: put back
    const now = await apiGet(off.page, `/enterprise/reception-days/${day.id}`);
    await apiSend(off.page, 'patch', `/enterprise/reception-days/${day.id}`, { version: now.version, state: 'planned' });
    await off.context.close();
    await jd.context.close();
  });

  test('another day picked while a withdrawal is on its way gets no withdrawn topic', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    const y = Number(beijingToday().slice(0, 4));
    const ahead = async () => (await apiGet(off.page, '/enterprise/reception-days?limit=200')).items.filter((d) => d.state === 'planned' && d.held_on > beijingToday() && !d.signup_count);
    for (const year of [y, y + 1]) {
      if ((await ahead()).length >= 2) break;
      if (!(await apiGet(off.page, `/enterprise/calendar?year=${year}`)).items.length)
        await apiSend(off.page, 'post', '/enterprise/calendar', { day: `${year}-01-01`, kind: 'holiday', name: '元旦' });
      await apiSend(off.page, 'post', '/enterprise/reception-days', { year });
    }
    // two days of one year (the page shows a year at a time)
    const days = (await ahead()).sort((a, b) => a.held_on.localeCompare(b.held_on));
    const first = days.find((d) => days.some((e) => e.id !== d.id && e.held_on.slice(0, 4) === d.held_on.slice(0, 4)));
    assert.ok(first, 'two reception days ahead in one year, with no sign-ups');
    const other = days.find((d) => d.id !== first.id && d.held_on.slice(0, 4) === first.held_on.slice(0, 4));
    const jd = await openPage(browser);
    await login(jd.page, 'jd', DEMO_PW);
    await apiSend(jd.page, 'post', `/enterprise/reception-days/${first.id}/signups`, { topic: '只属于第一天的议题' });
    const detail = jd.page.getByTestId('reception-detail');
    const cal = jd.page.getByTestId('reception-calendar');
    await jd.page.goto(`/enterprise/reception-days?year=${first.held_on.slice(0, 4)}`);
    await cal.locator(`[data-day="${first.held_on}"]`).click();
    await detail.getByTestId('signed-up').getByText('只属于第一天的议题').waitFor();
    // the withdrawal held back; meanwhile the firm opens the other day
    const url = new RegExp(`/reception-days/${first.id}/signups/withdraw$`);
    let release;
    const held = new Promise((r) => (release = r));
    await jd.page.route(url, async (route) => {
      await held;
      await route.continue();
    });
    const answered = jd.page.waitForResponse((r) => url.test(r.url()));
    await detail.getByTestId('signup-withdraw').click();
    await cal.locator(`[data-day="${other.held_on}"]`).click();
    await detail.getByText(`${other.held_on} 接待日`).waitFor();
    const topic = detail.getByTestId('signup-topic');
    await topic.waitFor();
    release();
    await answered;
    await jd.page.getByText('已撤回报名，可重新填写议题报名').first().waitFor();
    await jd.page.unroute(url);
    await detail.getByText(`${other.held_on} 接待日`).waitFor();
    assert.equal(await topic.inputValue(), '', 'the other day\'s sign-up form stays empty');
    assert.equal((await apiGet(off.page, `/enterprise/reception-days/${first.id}`)).signups.length, 0, 'withdrawn');
    await off.context.close();
    await jd.context.close();
  });
});
