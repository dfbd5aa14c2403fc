// A drill started on a facility under a live conversion (the server allows it) went ahead
// without a word: the probe's 去发起 started one on a hotel converting for an adopted plan. It is
// asked first, the facility's state said; cancelled, nothing is started.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a drill beside a live conversion is asked first; cancelled, none started', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW, { land: false });
  // a hotel in peacetime with an epidemic manual, converting for real from now on
  const manuals = (await apiGet(page, '/manuals?scenario=epidemic&limit=500')).items;
  let hotel = null;
  for (const m of manuals) {
    const f = await apiGet(page, `/facilities/${m.facility_id}`);
    if (f.type === 'hotel' && f.state === 'peacetime') {
      hotel = f;
      break;
    }
  }
  assert.ok(hotel, 'a hotel in peacetime with an epidemic manual');
  const live = await apiSend(page, 'post', '/conversions', { facility_id: hotel.id, scenario: 'epidemic', mode: 'live' });
  try {
    await page.goto(`/drills?facility_id=${hotel.id}`);
    await page.getByTestId('start-scenario').getByText('平疫').waitFor();
    const drills0 = (await apiGet(page, `/conversions?facility_id=${hotel.id}&mode=drill`)).items.length;
    await page.getByTestId('start-drill').click();
    const ask = page.locator('.el-message-box', { hasText: '确定发起演练' });
    await ask.getByText('该设施当前处于“转换中”状态').waitFor();
    await ask.getByRole('button', { name: '取消' }).click();
    await ask.waitFor({ state: 'hidden' });
    assert.equal((await apiGet(page, `/conversions?facility_id=${hotel.id}&mode=drill`)).items.length, drills0, 'nothing started');
    // confirmed: the drill starts beside it
    await page.getByTestId('start-drill').click();
    await ask.getByRole('button', { name: '开始演练' }).click();
    await page.waitForURL(/\/conversions\/\d+$/);
    const drill = Number(page.url().match(/conversions\/(\d+)/)[1]);
    assert.equal((await apiGet(page, `/conversions/${drill}`)).mode, 'drill');
    await apiSend(page, 'post', `/conversions/${drill}/abort`, { reason: 'e2e: drill beside live' });
    assert.deepEqual(page.problems, [], 'console errors');
  } finally {
    await page.request.post(`/api/v1/conversions/${live.id}/abort`, { data: { reason: 'e2e: drill beside live done', confirm: true } });
    await context.close();
  }
});
