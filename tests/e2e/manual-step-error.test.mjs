// The manual editor: a step field the server refuses (steps[i].name) is said with the step's
// code ("转换步骤 S3 名称：必填", "Conversion step S3: Name is required"), its input marked and
// scrolled into view; nothing is saved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW } from './lib.mjs';

const LAPTOP = { width: 1366, height: 768 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const steps = Array.from({ length: 10 }, (_, i) => ({ code: 'S' + (i + 1), name: '步骤' + (i + 1), planned_minutes: 30, team_type: 'cleaning', predecessors: i ? ['S' + i] : [] }));
const restore = [{ code: 'R1', name: '恢复', planned_minutes: 30, team_type: 'cleaning' }];

test('manual editor: a refused step field names its step, marked and in view, in both languages', async () => {
  const { page } = await openPage(browser, LAPTOP);
  await login(page, 'wanda', DEMO_PW);
  const facility = (await apiGet(page, '/auth/me')).facility_id;
  const res = await page.request.post('/api/v1/manuals', { data: { facility_id: facility, scenario: 'event', role: 'resettlement', title: '步骤报错测试手册', steps, restore_steps: restore } });
  assert.equal(res.status(), 201, await res.text());
  const m = await res.json();
  const count = async () => (await apiGet(page, `/manuals?facility_id=${facility}&scenario=event&limit=200`)).items.length;
  const before = await count();

  for (const [locale, text] of [
    ['zh-CN', '转换步骤 S3 名称：必填'],
    ['en', 'Conversion step S3: Name is required'],
  ]) {
    await page.evaluate((l) => localStorage.setItem('pj_locale', l), locale);
    await page.goto(`/manuals/${m.id}`);
    await page.getByTestId('edit-manual').click();
    const names = page.getByTestId('editor-convert').getByTestId('edit-name');
    await names.nth(2).fill('');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.getByTestId('save-version').click();
    await page.getByTestId('editor-error').getByText(text, { exact: true }).waitFor();
    const cell = names.nth(2);
    // the step's name is marked, and only it
    const marked = page.locator('[data-testid="manual-editor"] .pj-bad');
    assert.equal(await marked.count(), 1);
    assert.equal(await marked.locator('input[data-testid="edit-name"]').inputValue(), '');
    assert.equal(await page.getByTestId('editor-convert').locator('.edit-row-2 .pj-bad').count(), 1);
    await page.waitForFunction((el) => {
      const b = el.getBoundingClientRect();
      return b.top >= 0 && b.bottom <= window.innerHeight;
    }, await cell.elementHandle());
  }
  await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
  assert.equal(await count(), before, 'nothing saved');
});
