// A new stock line holds something: the add dialog starts with no quantity, and a quantity of 0
// is said at the field before anything is sent (the server refuses it too); a line's edit to 0,
// a line used up, is saved.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, choose, DEMO_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('a new stock line', { timeout: budget(120000) }, () => {
  test('of 0 is refused at its field, nothing sent; an edit to 0 is saved', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'wanda', DEMO_PW, { land: false });
    await page.goto('/stock');
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/stock') posts++;
    });
    await page.getByTestId('stock-add').click();
    const dlg = page.getByRole('dialog', { name: '新增库存' });
    await dlg.getByTestId('stock-facility').getByText('万达锦华酒店').waitFor();
    assert.equal(await dlg.getByTestId('stock-quantity').locator('input').inputValue(), '', 'no quantity until one is typed');
    await choose(page, dlg.getByTestId('stock-category'), '粮食（千克）');
    await dlg.getByTestId('stock-quantity').locator('input').fill('0');
    await dlg.getByTestId('stock-save').click();
    await dlg.locator('.el-form-item', { hasText: '数量' }).locator('.el-form-item__error').getByText('新增库存的数量须大于 0').waitFor();
    assert.equal(posts, 0, 'nothing sent');
    // a quantity: added; then used up, edited to 0
    await dlg.getByTestId('stock-quantity').locator('input').fill('4321');
    await dlg.getByTestId('stock-save').click();
    await page.getByText('已新增 万达锦华酒店 的库存').waitFor();
    const mine = (await apiGet(page, '/stock?limit=500&facility_id=1')).items.find((l) => l.quantity === 4321 && l.category === 'grain');
    assert.ok(mine, 'the line is stored');
    const used = await apiSend(page, 'patch', `/stock/${mine.id}`, { version: mine.version, quantity: 0 });
    assert.equal(used.quantity, 0);
    await apiSend(page, 'delete', `/stock/${mine.id}?version=${used.version}`);
    assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
    await context.close();
  });
});
