// A reception day's departments may be any organisation of type government (the API accepts
// any), not only the dispatch catalogue's: the page named such a department #id, and its edit
// form neither showed nor offered it. Named on the day and in the form, offered there (the
// catalogue's departments first, each once), and kept by a save. On a server of its own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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

describe('reception day departments', { timeout: budget(180000) }, () => {
  test('a government department outside the dispatch catalogue is named, offered and kept', async () => {
    const off = await openPage(browser, undefined, { baseURL: own.base });
    await login(off.page, 'officer', own.demoPw);
    const cat = (await api(off.page, 'GET', '/enterprise/dispatch-catalogue')).items;
    const govs = (await api(off.page, 'GET', '/organisations?type=government&limit=200')).items;
    const outside = govs.find((o) => !cat.some((c) => c.department_id === o.id));
    assert.ok(outside, 'a government department outside the catalogue');
    const inside = cat[0];
    await api(off.page, 'POST', '/enterprise/calendar', { day: '2099-01-01', kind: 'holiday', name: '元旦' });
    const made = await api(off.page, 'POST', '/enterprise/reception-days', { year: 2099 });
    let day = made.created.find((d) => d.held_on === '2099-03-02');
    day = await api(off.page, 'PATCH', `/enterprise/reception-days/${day.id}`, { version: day.version, department_ids: [inside.department_id, outside.id] });

    await off.page.goto(`/enterprise/reception-days?year=2099&day=${day.id}`);
    const detail = off.page.getByTestId('reception-detail');
    await detail.getByText('2099-03-02 接待日').waitFor();
    await detail.getByText(`${inside.department}、${outside.name}`).waitFor();
    assert.doesNotMatch(await detail.innerText(), new RegExp(`#${outside.id}\\b`));

    // the form shows both, and offers every government department, the catalogue's first, once each
    await detail.getByTestId('edit-reception').click();
    const select = detail.getByTestId('reception-departments');
    await select.getByText(outside.name).waitFor();
    await select.getByText(inside.department).waitFor();
    await select.click();
    const options = off.page.locator('.el-select-dropdown__item:visible');
    await options.first().waitFor();
    const names = await options.allInnerTexts();
    assert.equal(new Set(names).size, names.length, `each once: ${names}`);
    assert.ok(names.includes(outside.name), 'the department outside the catalogue offered');
    const catNames = [...new Set(cat.map((c) => c.department))];
    assert.deepEqual(names.slice(0, catNames.length), catNames, 'the catalogue first');
    assert.equal(names.length, new Set([...catNames, ...govs.map((o) => o.name)]).size);
    await off.page.keyboard.press('Escape');
    await shot(off.page, 'reception-departments');
    await detail.getByTestId('reception-save').click();
    await detail.getByText(`${inside.department}、${outside.name}`).waitFor();
    const now = await api(off.page, 'GET', `/enterprise/reception-days/${day.id}`);
    assert.deepEqual(now.department_ids, [inside.department_id, outside.id], 'both kept');
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });
});
