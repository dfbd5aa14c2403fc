// A call-back made while the department was still at an appeal is not the call-back on its
// reply: the appeal's page showed 已回访 <time> beside the return visit's deadline as if it
// were done, while 办结 was refused (409 visit_required). In hand, the visit says it came before
// the reply and the call-back after it is still due; once replied (the reply clears that visit),
// 答复后尚未回访 and no 办结; after the call-back on the reply, 已回访 and 办结. In English too.
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

async function call(page, method, p, data) {
  const res = await page.request.fetch('/api/v1' + p, { method, data });
  if (!res.ok()) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}

describe('a return visit before the reply', { timeout: budget(120000) }, () => {
  test('said as made in hand, the call-back on the reply still due until made', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW);
    const jdOrg = (await apiGet(page, '/organisations?q=' + encodeURIComponent('京东（平谷）物流'))).items[0];
    let a = await call(page, 'POST', '/enterprise/appeals', { organisation_id: jdOrg.id, channel: 'phone', type: 'help', category: 'tax', title: '办理中回访（e2e）', description: '测试' });
    for (const [action, body] of [['dispatch', {}], ['accept', {}], ['visit', { note: '办理中回访' }]])
      a = await call(page, 'POST', `/enterprise/appeals/${a.id}/${action}`, { version: a.version, ...body });
    const visited = page.getByTestId('appeal-visited');
    await page.goto(`/enterprise/appeals/${a.id}`);
    await visited.getByText('办理中已回访', { exact: false }).waitFor();
    assert.match(await visited.innerText(), /办理中已回访 .*答复后仍需回访/);

    a = await call(page, 'POST', `/enterprise/appeals/${a.id}/reply`, { version: a.version, reply: '已答复', resolved: true });
    assert.equal(a.visited_at, null, 'the reply clears the visit made before it');
    await page.goto(`/enterprise/appeals/${a.id}`);
    await page.getByTestId('act-visit').waitFor();
    assert.equal((await visited.innerText()).replace(/^\s*·\s*/, ''), '答复后尚未回访');
    assert.doesNotMatch(await page.getByTestId('appeal-visit-due').locator('..').innerText(), /已回访/);
    assert.equal(await page.getByTestId('act-close').count(), 0, '办结 not offered before the call-back on the reply');
    await shot(page, 'appeal-visit-after-reply-due');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.reload();
    await visited.getByText('the call-back after the reply is still due').waitFor();
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));

    a = await call(page, 'POST', `/enterprise/appeals/${a.id}/visit`, { version: a.version, note: '答复后回访' });
    await page.goto(`/enterprise/appeals/${a.id}`);
    await page.getByTestId('act-close').waitFor();
    assert.match(await visited.innerText(), /^\s*·\s*已回访 \d{4}-/);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
