// A demo appeal (recorded without its events) shows its history from its timestamps: the
// call-back on the reply, made between the reply and the close, comes before 办结 (it was listed
// after it, as if the appeal had been called back once closed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('a demo appeal history', { timeout: budget(60000) }, () => {
  test('答复, 回访, 办结 in the order they happened', async () => {
    const { context, page } = await openPage(browser);
    await login(page, 'officer', DEMO_PW, { land: false });
    const a = (await apiGet(page, '/enterprise/appeals?state=closed&limit=200')).items.find((x) => x.source === 'synthetic');
    assert.ok(a, 'a closed demo appeal');
    assert.ok(a.replied_at < a.visited_at && a.visited_at < a.closed_at, `${a.replied_at} ${a.visited_at} ${a.closed_at}`);
    await page.goto(`/enterprise/appeals/${a.id}`);
    const steps = page.locator('.el-timeline-item strong');
    await page.getByText('该诉求没有逐步记录', { exact: false }).waitFor();
    const names = await steps.allInnerTexts();
    assert.deepEqual(names.slice(-3), ['答复', '回访', '办结'], names.join(' '));
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
