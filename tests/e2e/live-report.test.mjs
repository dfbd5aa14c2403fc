// A live conversion's after-action report (复盘报告): the lessons of a real crisis are tracked
// like a drill's, but the console had no page for them — 演练管理 linked a live conversion's
// finding to the drill report, which called the conversion an unfinished, failed drill and
// left the finding out. The live report has its own page, reached from the cockpit, the list
// and a finding's link; it shows the report's figures (no score) and the findings.
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

test('a live conversion has an after-action report with its findings, in Chinese and English', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'wanda', DEMO_PW, { land: false });
  const live = (await apiGet(page, '/conversions?mode=live&facility_id=1')).items[0];
  assert.ok(live, 'the demo hotel has a live conversion');
  const text = `复盘问题${Date.now() % 100000}`;
  await apiSend(page, 'post', `/conversions/${live.id}/findings`, { finding: text, action: '提前签约第三方评估机构', owner: '工程部', due_date: '2099-12-31' });
  const report = await apiGet(page, `/conversions/${live.id}/report`);

  // a finding's link (演练管理) opens the drill page: it goes on to the live report
  await page.goto(`/drills/${live.id}`);
  await page.waitForURL(`**/conversions/${live.id}/report`);
  await page.locator('h1', { hasText: `复盘报告 · ${report.facility_name}` }).waitFor();
  const findings = page.getByTestId('findings');
  await findings.getByText(text).waitFor();
  assert.equal(await page.getByTestId('drill-score').count(), 0, 'no score: not a drill');
  assert.equal(await page.getByText('演练尚未结束').count(), 0);
  const rows = page.getByTestId('report-steps').locator('tbody tr');
  assert.equal(await rows.count(), report.steps.length, 'every step of both phases');
  assert.match(await rows.first().innerText(), new RegExp(report.steps[0].code));
  const state = await page.getByTestId('live-report-state').getAttribute('data-value');
  assert.equal(state, report.state);
  // the operator adds a finding on the page
  await page.getByTestId('add-finding').click();
  await page.getByTestId('finding-text').fill(`${text}乙`);
  await page.getByTestId('finding-owner').fill('前厅部');
  await page.getByTestId('finding-due').fill('2099-12-30');
  await page.getByTestId('finding-save').click();
  await findings.getByText(`${text}乙`).waitFor();
  const saved = (await apiGet(page, `/findings?facility_id=1`)).items.filter((f) => f.conversion_id === live.id).map((f) => f.finding);
  assert.ok(saved.includes(`${text}乙`));

  // the cockpit links to it
  await page.goto(`/conversions/${live.id}`);
  await page.getByRole('link', { name: '复盘报告' }).click();
  await page.waitForURL(`**/conversions/${live.id}/report`);

  await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
  await page.reload();
  await page.locator('h1', { hasText: `After-action report · ` }).waitFor();
  await page.getByTestId('findings').getByText(text).first().waitFor();
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
