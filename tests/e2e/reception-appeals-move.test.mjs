// A reception day with appeals raised at it keeps its date: the server refuses the move (409
// has_appeals on held_on, counting the appeals). The edit form says so at its date field, as a
// move refused, in Chinese (该接待日已登记 2 条诉求，不能改期 — not the cancellation's 不能取消) and in
// English, and the day stays on its date. A day read with appeals shows its date read-only
// (reception-appeals-count.test.mjs): the refusal is for appeals raised after the form was
// opened, as here. On a server of its own: the appeals are raised while the day is put in the
// past by hand, then it is put back on its 2099 date, so that its edit form offered the date
// whatever today is.
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

describe('a reception day with appeals', { timeout: budget(180000) }, () => {
  test('a move is refused at the date field, the appeals counted, in both languages', async () => {
    const off = await openPage(browser, undefined, { baseURL: own.base });
    await login(off.page, 'officer', own.demoPw);
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2099-01-01', kind: 'holiday', name: '元旦' });
    const made = await api(off.page, 'POST', '/enterprise/reception-days', { year: 2099 });
    const day = made.created.find((d) => d.held_on === '2099-03-02');
    const apr = made.created.find((d) => d.held_on === '2099-04-06');
    assert.ok(day && apr, 'the first Mondays of March and April 2099');
    const org = (await api(off.page, 'GET', '/organisations?type=enterprise&limit=1')).items[0].id;
    // appeals raised at the day (by another officer) once its edit form is open
    const raise = async (d, titles) => {
      execFileSync('sqlite3', ['-cmd', '.timeout 10000', own.db, `UPDATE ent_reception_days SET held_on = '2001-03-05' WHERE id = ${d.id}`]);
      for (const title of titles)
        await api(off.page, 'POST', '/enterprise/appeals', { organisation_id: org, channel: 'reception_day', reception_day_id: d.id, type: 'help', category: 'permits', title, description: '现场登记' });
      execFileSync('sqlite3', ['-cmd', '.timeout 10000', own.db, `UPDATE ent_reception_days SET held_on = '${d.held_on}' WHERE id = ${d.id}`]);
    };

    await off.page.goto(`/enterprise/reception-days?year=2099&day=${day.id}`);
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText('2099-03-02 接待日').waitFor();
    await detail.getByTestId('edit-reception').click();
    const picker = detail.locator('.el-date-editor input').first();
    await picker.waitFor();
    await raise(day, ['接待日诉求一', '接待日诉求二']);
    await picker.fill('2099-03-03');
    await picker.press('Enter');
    await detail.getByTestId('reception-save').click();
    const said = detail.locator('.el-form-item__error');
    await said.first().waitFor();
    assert.equal(await said.count(), 1);
    assert.equal((await said.innerText()).trim(), '该接待日已登记 2 条诉求，不能改期');
    // at the date field, not above the form
    assert.equal(await detail.locator('.el-form-item', { has: off.page.locator('.el-date-editor') }).locator('.el-form-item__error').count(), 1);
    assert.equal((await api(off.page, 'GET', `/enterprise/reception-days/${day.id}`)).held_on, '2099-03-02');
    await shot(off.page, 'reception-appeals-move');

    // in English: the server's words, the count in them (April's day, one appeal)
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await off.page.goto(`/enterprise/reception-days?year=2099&day=${apr.id}`);
    await detail.getByText('2099-04-06').first().waitFor();
    await detail.getByTestId('edit-reception').click();
    await picker.waitFor();
    await raise(apr, ['接待日诉求三']);
    await picker.fill('2099-04-07');
    await picker.press('Enter');
    await detail.getByTestId('reception-save').click();
    await said.first().waitFor();
    assert.match(await said.innerText(), /1 appeal was raised at the reception day 2099-04-06: a day with appeals is not moved/);
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });
});
