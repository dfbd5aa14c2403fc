// A planned reception day the holiday calendar made a holiday after it was scheduled: the
// district moves it in the day's edit form (日期) to another working day of its month; the
// sign-ups stay and the day says the district moved it (not a calendar postponement). A date of another month is refused on the field.
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

describe('moving a reception day', { timeout: budget(120000) }, () => {
  test('a day made a holiday moves to the next working day of its month, sign-ups kept', async () => {
    const off = await openPage(browser);
    await login(off.page, 'officer', DEMO_PW);
    // a year of its own, well ahead, that the other tests leave alone
    const year = Number(beijingToday().slice(0, 4)) + 3;
    if (!(await apiGet(off.page, `/enterprise/calendar?year=${year}`)).items.length)
      await apiSend(off.page, 'post', '/enterprise/calendar', { day: `${year}-01-01`, kind: 'holiday', name: '元旦' });
    await apiSend(off.page, 'post', '/enterprise/reception-days', { year });
    const days = (await apiGet(off.page, '/enterprise/reception-days?limit=200')).items;
    const day = days.find((d) => d.held_on.startsWith(`${year}-06`) && d.state === 'planned');
    assert.ok(day, 'the June reception day');
    const jdOrg = (await apiGet(off.page, '/organisations?type=enterprise&limit=1')).items[0].id;
    await apiSend(off.page, 'post', `/enterprise/reception-days/${day.id}/signups`, { topic: '端午期间物流', organisation_id: jdOrg });
    // the day becomes a holiday after it was scheduled
    await apiSend(off.page, 'post', '/enterprise/calendar', { day: day.held_on, kind: 'holiday', name: '端午节' });
    const target = plusDays(day.held_on, 1);
    await off.page.goto(`/enterprise/reception-days?year=${year}`);
    await off.page.getByTestId('reception-calendar').locator(`[data-day="${day.held_on}"]`).click();
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText(`${day.held_on} 接待日`).waitFor();
    await detail.getByTestId('edit-reception').click();
    const picker = detail.locator('.el-date-editor input').first();
    await picker.waitFor();
    const pick = async (d) => {
      await picker.click();
      await picker.fill(d);
      await picker.press('Enter');
    };
    // another month: refused on the field, nothing moved
    await pick(plusDays(day.held_on, 31));
    await detail.getByTestId('reception-save').click();
    await detail.locator('.el-form-item__error').first().waitFor();
    assert.equal((await apiGet(off.page, `/enterprise/reception-days/${day.id}`)).held_on, day.held_on);
    await pick(target);
    await detail.getByTestId('reception-save').click();
    await detail.getByText(`${target} 接待日`).waitFor();
    const now = await apiGet(off.page, `/enterprise/reception-days/${day.id}`);
    assert.equal(now.held_on, target);
    assert.ok(now.moved_reason.includes(day.held_on), 'moved_reason names the date it left');
    assert.equal(now.signup_count, 1, 'the sign-up stays');
    // the district moved it: said so, not as a first-Monday postponement (its own tag too)
    const line = detail.getByTestId('reception-moved');
    await line.waitFor();
    const said = await line.textContent();
    assert.ok(said.includes(`区里改至 ${target}`), said);
    assert.ok(!said.includes('不是工作日'), `not a calendar postponement: ${said}`);
    await off.page.getByTestId('reception-calendar').locator(`[data-day="${target}"]`).getByText('已改期').waitFor();
    await shot(off.page, 'reception-moved');
    await off.context.close();
  });
});
