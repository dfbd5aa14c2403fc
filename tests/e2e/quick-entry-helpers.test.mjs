// The quick entry offers the helpers of the picked elder's village (and the elder's paired
// helper): the elders list has no village_id, so the helper list was asked without a region and
// a township officer was offered the first hundred helpers of the whole township.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, TABLET, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('quick entry helpers', { timeout: budget(180000) }, () => {
  test("a township officer picking an elder is offered the helpers of the elder's village", async () => {
    const { context, page } = await openPage(browser, TABLET);
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const town = (await apiGet(page, '/helpers?active=1&limit=100')).items;
    const elders = (await apiGet(page, '/elders?status=active&limit=200')).items;
    // an elder of a village whose helpers are not all the township's
    let elder = null;
    let want = null;
    for (const e of elders) {
      const { village_id: village } = await apiGet(page, `/elders/${e.id}`);
      const there = (await apiGet(page, `/helpers?region_id=${village}&active=1&limit=100`)).items;
      const paired = e.paired_helper ? e.paired_helper.helper_id : null;
      const ids = new Set([paired, ...there.map((h) => h.id)]);
      if (!there.length || town.every((h) => ids.has(h.id))) continue;
      elder = e;
      want = [...(e.paired_helper ? [e.paired_helper.name] : []), ...there.filter((h) => h.id !== paired).map((h) => h.name)].sort();
      break;
    }
    assert.ok(elder, "an elder of jinhaihu's township in a village with helpers, the township having helpers elsewhere");
    await page.goto('/service-entry');
    await page.getByTestId('entry-elders').locator(`[data-elder="${elder.id}"]`).click();
    await page.getByTestId('entry-elder').getByText(elder.name).waitFor();
    await page.getByTestId('entry-helper').click();
    const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
    await options.first().waitFor();
    let got = [];
    for (let i = 0; i < 50; i++) {
      got = (await options.allInnerTexts()).map((s) => s.trim()).sort();
      if (JSON.stringify(got) === JSON.stringify(want)) break;
      await page.waitForTimeout(100);
    }
    assert.deepEqual(got, want, "the helpers offered are the elder's village's");
    await shot(page, 'quick-entry-village-helpers');
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    await context.close();
  });
});
