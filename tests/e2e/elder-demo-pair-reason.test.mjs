// Every demo pair's reason (结对原因) showed "demo: proposed by the solver, accepted" in the zh-CN
// console. The demo writes the reason a pairing run gives its proposals (helper, distance,
// village, skills, rank among the helpers within the walk), which the elder page says in its
// language; a database built by an older demo keeps the old text, now said in words too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a demo pair's reason is the pairing run's, said in the console's language", { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'officer', DEMO_PW);
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  const pair = (await apiGet(page, '/pairs?state=active&limit=50')).items.find((p) => p.created_by === 'demo');
  assert.ok(pair, 'the demo has pairs');
  assert.match(pair.reason, /^.+: \d+ m away, (same village|another village \(no free helper nearer at home\)); has [a-z+]+; choice \d+ of \d+ helpers within \d+\.\d km$/);
  assert.ok(pair.reason.startsWith(pair.helper_name + ': '), pair.reason);
  await page.goto(`/elders/${pair.elder_id}`);
  const reason = page.getByTestId('elder-pairs').locator('tr', { hasText: pair.helper_name }).getByTestId('pair-reason');
  await reason.waitFor();
  const zh = await reason.innerText();
  assert.match(zh, new RegExp(`^${pair.helper_name}：相距 ${pair.distance_m.toLocaleString('zh-CN')} 米，(同村|外村（本村无空位）)；具备.+；步行 \\d+\\.\\d 公里内 \\d+ 名互助员中第 \\d+ 选$`));
  assert.ok(!/[A-Za-z]/.test(zh), `no English in the zh-CN reason: ${zh}`);

  // an older demo's text, as a database built before keeps it
  await page.route(
    (url) => url.pathname === '/api/v1/pairs',
    async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      return route.fulfill({ response: res, json: { ...body, items: body.items.map((p) => ({ ...p, reason: 'demo: proposed by the solver, accepted' })) } });
    },
  );
  await page.reload();
  await page.getByTestId('elder-pairs').getByTestId('pair-reason').getByText('演示数据：由配对算法提出并已接受').waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.getByTestId('elder-pairs').getByTestId('pair-reason').getByText('Demo data: proposed by the solver, accepted').waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
