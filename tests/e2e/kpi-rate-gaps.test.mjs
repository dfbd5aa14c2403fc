// A department's rate with nothing to count (null: none of its appeals closed, none rated) was
// drawn in the departments' chart as a 0 % bar, its tooltip saying 0%, while the table beside it
// shows —. It is a gap: no bar, the chart's text says —, the tooltip 暂无数据 (No data in
// English). On a server of its own: this year has one appeal only (the demo's are of earlier
// years), accepted by its department and neither closed nor rated.
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

describe('KPI rates without a figure', { timeout: budget(180000) }, () => {
  test('a gap in the departments chart, 暂无数据 in its tooltip, as — in the table', async () => {
    const off = await openPage(browser, undefined, { baseURL: own.base });
    await login(off.page, 'officer', own.demoPw);
    const org = (await api(off.page, 'GET', '/organisations?type=enterprise&limit=1')).items[0].id;
    let a = await api(off.page, 'POST', '/enterprise/appeals', { organisation_id: org, channel: 'phone', type: 'help', category: 'tax', title: '税费咨询（e2e）', description: '测试' });
    for (const action of ['dispatch', 'accept']) a = await api(off.page, 'POST', `/enterprise/appeals/${a.id}/${action}`, { version: a.version });
    const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
    const k = await api(off.page, 'GET', `/enterprise/kpis?from=${year}-01-01&to=${year + 1}-01-01`);
    assert.equal(k.departments.length, 1, 'one department this year');
    const dept = k.departments[0];
    assert.equal(dept.satisfaction_rate, null);
    assert.equal(dept.resolution_rate, null);
    const short = dept.department.replace(/^平谷区|^国家税务总局北京市平谷区/, '');

    await off.page.goto(`/enterprise/kpis?from=${year}-01-01&to=${year}-12-31`);
    const table = off.page.getByTestId('kpi-departments');
    await table.getByText(dept.department).waitFor();
    const img = off.page.locator('[role="img"][aria-label^="各部门考核"]');
    await img.waitFor();
    const label = await img.getAttribute('aria-label');
    assert.match(label, new RegExp(`满意率: ${short} —`), label);
    assert.match(label, new RegExp(`解决率: ${short} —`), label);
    assert.doesNotMatch(label, new RegExp(`(满意率|解决率): ${short} 0\\b`), label);
    // the tooltip of the one department (the middle of the chart)
    const box = await img.boundingBox();
    await off.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = img.locator(':scope > div').filter({ hasText: '满意率' });
    await tip.waitFor();
    const said = await tip.innerText();
    assert.match(said, /满意率\s*暂无数据/, said);
    assert.match(said, /解决率\s*暂无数据/, said);
    assert.doesNotMatch(said, /满意率\s*0%|解决率\s*0%/, said);
    await shot(off.page, 'kpi-rate-gaps');

    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await off.page.reload();
    const imgEn = off.page.locator('[role="img"][aria-label*="Data:"]').last();
    await table.getByText(dept.department).waitFor();
    const boxEn = await imgEn.boundingBox();
    await off.page.mouse.move(boxEn.x + boxEn.width / 2 + 1, boxEn.y + boxEn.height / 2);
    const tipEn = imgEn.locator(':scope > div').filter({ hasText: 'No data' });
    await tipEn.waitFor();
    await off.page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.deepEqual(off.page.problems, []);
    await off.context.close();
  });
});
