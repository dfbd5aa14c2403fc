// The carbon page opens on the latest year with energy use recorded (it always opened on 2024,
// whatever the year and the records), and keeps the year picked in its address: a reload and
// the back button show that year again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, choose, BASE, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const beijingYear = () => new Date(Date.now() + 8 * 3600000).getUTCFullYear();

test('carbon: opens on the latest year with energy use; the year picked stays in the address on reload and back', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW);
  const thisYear = beijingYear();
  const hasUse = async (y) => (await apiGet(page, `/carbon/energy?year=${y}&limit=1`)).items.length > 0;
  let latest = thisYear;
  for (let y = thisYear; y >= 2000; y--) { // the demo's years are fixed: further back each year
    if (await hasUse(y)) {
      latest = y;
      break;
    }
  }
  assert.ok(latest < thisYear - 1, `the demo's latest year with use (${latest}) is before last year`);
  const card = page.getByTestId('energy-records');
  const yearSelect = page.getByTestId('carbon-emissions').locator('.el-select').first();
  const shows = async (y) => {
    await page.waitForURL((u) => u.pathname === '/development/carbon' && u.searchParams.get('year') === String(y));
    await card.getByText(`${y} 年用能记录`).waitFor();
    assert.equal((await yearSelect.innerText()).trim(), String(y));
  };
  await page.goto('/development/carbon');
  await shows(latest);

  // a use of last year recorded: the page opens on last year
  const last = thisYear - 1;
  const res = await page.request.fetch(`${BASE}/api/v1/carbon/energy`, {
    method: 'POST',
    data: { sector: 'agriculture', period: `${last}-06`, energy_type: 'electricity', quantity: 100, source: '年份测试' },
  });
  assert.equal(res.status(), 201, await res.text());
  const rec = await res.json();
  try {
    await page.goto('/development/carbon');
    await shows(last);
    await card.getByText('年份测试').waitFor();
    await shot(page, 'carbon-latest-year');

    // another year picked: in the address, kept by a reload and by the back button
    const picked = thisYear - 3;
    await choose(page, yearSelect, String(picked));
    await shows(picked);
    await page.reload();
    await shows(picked);
    await page.goto('/development/indicators');
    await page.waitForURL((u) => u.pathname === '/development/indicators');
    await page.goBack();
    await shows(picked);
    // a year given in a link
    await page.goto(`/development/carbon?year=${latest}`);
    await shows(latest);
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  } finally {
    const del = await page.request.fetch(`${BASE}/api/v1/carbon/energy/${rec.id}?version=${rec.version}`, { method: 'DELETE' });
    assert.equal(del.status(), 204);
  }
  await context.close();
});
