// A firm signed up for a reception day is told when the district moves it: the edit form says
// how many firms were told, and the firm reads the notice (接待日改期：原 … 改至 …) on top of
// its notices on the policies page (newest first: also with more notices than a page, 20),
// linked to the day.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, apiSend, beijingToday, plusDays, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const md = (iso) => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

describe('a moved reception day is noticed to the firms signed up', { timeout: budget(120000) }, () => {
  test('the district moves a day; the firm signed up reads the notice and opens the day', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    // a year of its own, well ahead, that the other tests leave alone
    const year = Number(beijingToday().slice(0, 4)) + 7;
    if (!(await apiGet(off.page, `/enterprise/calendar?year=${year}`)).items.length)
      await apiSend(off.page, 'post', '/enterprise/calendar', { day: `${year}-01-01`, kind: 'holiday', name: '元旦' });
    await apiSend(off.page, 'post', '/enterprise/reception-days', { year });
    const days = (await apiGet(off.page, '/enterprise/reception-days?limit=200')).items;
    const day = days.find((d) => d.held_on.startsWith(`${year}-09`) && d.state === 'planned');
    assert.ok(day, 'the September reception day');
    const firm = await openPage(browser);
    await login(firm.page, 'jd', DEMO_PW);
    // more notices than a page of the console: policies the firm qualifies for (expired at the
    // end, out of the other tests' way)
    const stamp = Date.now() % 100000;
    const policies = [];
    for (let i = 0; i < 21; i++) {
      const r = await apiSend(off.page, 'post', '/enterprise/policies', { title: `接待日通知翻页测试 ${stamp} 第${i + 1}项`, issuer: '区发改委', issued_on: '2026-01-01', valid_from: '2026-01-01', valid_until: '2099-12-31', benefit: '', conditions: 'employees >= 100 and founded_year == 2013' });
      policies.push(r.policy || r);
    }
    assert.ok((await apiGet(firm.page, '/enterprise/notices?limit=21')).items.length > 20, 'more notices than a page');
    await apiSend(firm.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '中秋期间物流' });
    const target = plusDays(day.held_on, 1); // the Tuesday after its first Monday

    await off.page.goto(`/enterprise/reception-days?year=${year}&day=${day.id}`);
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText(`${day.held_on} 接待日`).waitFor();
    await detail.getByTestId('edit-reception').click();
    const picker = detail.locator('.el-date-editor input').first();
    await picker.waitFor();
    await picker.click();
    await picker.fill(target);
    await picker.press('Enter');
    await detail.getByTestId('reception-save').click();
    await detail.getByText(`${target} 接待日`).waitFor();
    const told = detail.getByTestId('reception-notified');
    await told.waitFor();
    assert.equal((await told.textContent()).trim(), '已通知报名企业 1 家');
    await shot(off.page, 'reception-notified');

    await firm.page.goto('/enterprise/policies');
    const card = firm.page.locator('.el-card', { has: firm.page.getByTestId('notice-table') });
    const want = `接待日改期：原 ${md(day.held_on)} 改至 ${md(target)}`;
    const link = card.getByRole('link', { name: want });
    // on top of the first page, without 加载更多
    const first = card.locator('.el-table__body-wrapper tbody tr').first();
    await first.waitFor();
    assert.ok((await first.innerText()).includes(want), `the newest notice on top: ${await first.innerText()}`);
    await link.waitFor();
    await shot(firm.page, 'reception-notice-firm');
    await link.click();
    await firm.page.waitForURL((u) => u.pathname === '/enterprise/reception-days' && u.searchParams.get('day') === String(day.id));
    await firm.page.getByTestId('reception-detail').getByText(`${target} 接待日`).waitFor();
    assert.deepEqual(firm.page.problems, [], 'console errors (CSP violations, exceptions)');
    for (const p of policies) {
      const cur = await apiGet(off.page, `/enterprise/policies/${p.id}`);
      await apiSend(off.page, 'patch', `/enterprise/policies/${p.id}`, { version: cur.version, issued_on: '2022-01-01', valid_from: '2022-01-01', valid_until: '2022-12-31' });
    }
    await firm.context.close();
    await off.context.close();
  });
});
