// A reception day says how many appeals were raised at it (appeals): the page shows 诉求 N on its
// tile and in its heading, and its edit form shows the date read-only and 已取消 disabled, each
// saying why (a day with appeals keeps its date and is not cancelled: 409 has_appeals) — the
// officer learns it before saving, not from the refusal. A day without appeals shows no count,
// its date picker and 已取消 offered. On a server of its own: the appeals are raised while the
// day is put in the past by hand, then it is put back on its 2099 date, so that its edit form
// offers the date and the cancellation whatever today is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, openPage, login, shot, ownServer, budget } from './lib.mjs';

let browser, own;
before(async () => {
  browser = await launch();
  own = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '300' } });
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

async function api(page, method, p, data) {
  const res = await page.request.fetch(`${own.base}/api/v1${p}`, { method, data });
  const body = res.status() === 204 ? null : await res.json();
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

describe('the appeals of a reception day', { timeout: budget(180000) }, () => {
  test('a day with appeals shows them, keeps its date and is not cancelled; a day without does not', async () => {
    const off = await openPage(browser, undefined, { baseURL: own.base });
    const page = off.page;
    await login(page, 'officer', own.demoPw);
    await api(page, 'POST', '/enterprise/calendar', { day: '2099-01-01', kind: 'holiday', name: '元旦' });
    const made = await api(page, 'POST', '/enterprise/reception-days', { year: 2099 });
    const mar = made.created.find((d) => d.held_on === '2099-03-02');
    const apr = made.created.find((d) => d.held_on === '2099-04-06');
    assert.ok(mar && apr, 'the first Mondays of March and April 2099');
    const org = (await api(page, 'GET', '/organisations?type=enterprise&limit=1')).items[0].id;
    execFileSync('sqlite3', ['-cmd', '.timeout 10000', own.db, `UPDATE ent_reception_days SET held_on = '2001-03-05' WHERE id = ${mar.id}`]);
    for (const title of ['接待日诉求一', '接待日诉求二'])
      await api(page, 'POST', '/enterprise/appeals', { organisation_id: org, channel: 'reception_day', reception_day_id: mar.id, type: 'help', category: 'permits', title, description: '现场登记' });
    execFileSync('sqlite3', ['-cmd', '.timeout 10000', own.db, `UPDATE ent_reception_days SET held_on = '2099-03-02' WHERE id = ${mar.id}`]);

    await page.goto(`/enterprise/reception-days?year=2099&day=${mar.id}`);
    const detail = page.getByTestId('reception-detail');
    await detail.getByText('2099-03-02 接待日').waitFor();
    // the count on the day's tile and in its heading; none on April's
    const tiles = page.getByTestId('reception-calendar');
    assert.equal((await tiles.locator('[data-day="2099-03-02"]').getByTestId('day-appeals').innerText()).trim(), '诉求 2');
    assert.equal(await tiles.locator('[data-day="2099-04-06"]').getByTestId('day-appeals').count(), 0);
    assert.equal((await detail.getByTestId('reception-day-appeals').innerText()).trim(), '诉求 2');

    // the edit form: the date read-only, described by the reason; no date picker
    await detail.getByTestId('edit-reception').click();
    const date = detail.getByTestId('reception-held-on-readonly');
    await date.waitFor();
    assert.equal(await date.inputValue(), '2099-03-02');
    assert.equal(await date.getAttribute('readonly'), '');
    const dateNote = detail.getByTestId('reception-held-on-locked');
    assert.equal((await dateNote.innerText()).trim(), '已登记 2 条诉求，日期不能更改');
    assert.equal(await date.getAttribute('aria-describedby'), await dateNote.getAttribute('id'));
    assert.equal(await detail.locator('.el-date-editor').count(), 0);
    // 已取消 offered disabled, the reason beside the state
    assert.equal((await detail.getByTestId('reception-cancel-locked').innerText()).trim(), '已登记 2 条诉求，不能取消');
    await detail.getByTestId('reception-state').click();
    const cancel = page.getByRole('option', { name: '已取消', exact: true });
    await cancel.waitFor();
    assert.equal(await cancel.getAttribute('aria-disabled'), 'true');
    assert.equal(await cancel.getAttribute('aria-describedby'), 'reception-cancel-locked');
    assert.equal(await cancel.getAttribute('title'), '已登记 2 条诉求，不能取消');
    await cancel.click({ force: true });
    await page.keyboard.press('Escape');
    assert.match(await detail.getByTestId('reception-state').innerText(), /已安排/);
    await shot(page, 'reception-appeals-count');
    // the rest of the day is still saved, its date kept
    await detail.getByTestId('reception-save').click();
    await detail.getByTestId('edit-reception').waitFor();
    const kept = await api(page, 'GET', `/enterprise/reception-days/${mar.id}`);
    assert.equal(kept.held_on, '2099-03-02');
    assert.equal(kept.state, 'planned');
    assert.equal(kept.appeals, 2);

    // April's day, without appeals: no count, its date picker, 已取消 offered
    await tiles.locator('[data-day="2099-04-06"]').click();
    await detail.getByText('2099-04-06 接待日').waitFor();
    assert.equal(await detail.getByTestId('reception-day-appeals').count(), 0);
    await detail.getByTestId('edit-reception').click();
    await detail.locator('.el-date-editor').waitFor();
    assert.equal(await detail.getByTestId('reception-held-on-readonly').count(), 0);
    assert.equal(await detail.getByTestId('reception-held-on-locked').count(), 0);
    assert.equal(await detail.getByTestId('reception-cancel-locked').count(), 0);
    await detail.getByTestId('reception-state').click();
    const cancelApr = page.getByRole('option', { name: '已取消', exact: true });
    await cancelApr.waitFor();
    assert.notEqual(await cancelApr.getAttribute('aria-disabled'), 'true');
    assert.equal(await cancelApr.getAttribute('aria-describedby'), null);
    await page.keyboard.press('Escape');

    // in English
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto(`/enterprise/reception-days?year=2099&day=${mar.id}`);
    await detail.getByText('2099-03-02').first().waitFor();
    assert.equal((await detail.getByTestId('reception-day-appeals').innerText()).trim(), '2 appeals');
    await detail.getByTestId('edit-reception').click();
    assert.equal((await detail.getByTestId('reception-held-on-locked').innerText()).trim(), '2 appeals were raised at this day: its date cannot change');
    assert.equal((await detail.getByTestId('reception-cancel-locked').innerText()).trim(), '2 appeals were raised at this day: it cannot be cancelled');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.deepEqual(page.problems, []);
    await off.context.close();
  });
});
