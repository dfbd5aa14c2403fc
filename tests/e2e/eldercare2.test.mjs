// The eldercare pages on the screens their users have: namesakes told
// apart by their address in the quick entry, whose time inputs stay in the card; the elder's
// page in one column on a phone; alerts and elders as cards on a phone, who and what on
// screen; an empty registration brings its first error into view; a pairing proposal is not
// offered a helper without a place; a township-wide run is confirmed with its count; the
// centre's source in words; the time-bank ledger names people, not account numbers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, apiGet, DEMO_PW, TABLET, ADMIN_PW, budget } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
const noProblems = (page) => assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
const PHONE = { width: 390, height: 844 };

/** Whether the element lies within the window's width and is not covered where it ends. */
async function onScreen(page, loc) {
  for (let i = 0; i < 30; i++) {
    const ok = await loc.evaluate((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.left < 0 || r.right > window.innerWidth) return false;
      const hit = document.elementFromPoint(r.right - 2, r.top + r.height / 2);
      return !!hit && (el === hit || el.contains(hit));
    });
    if (ok) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

describe('eldercare on phones and tablets', { timeout: budget(180000) }, () => {
  test('quick entry: namesakes show their address; the time inputs stay inside the card at 390 and 1024 px', async () => {
    for (const vp of [PHONE, TABLET]) {
      const { context, page } = await openPage(browser, vp);
      await login(page, 'grid01', DEMO_PW, { land: false });
      // a name two of grid01's elders share
      const all = (await apiGet(page, '/elders?status=active&limit=500')).items;
      const count = new Map();
      for (const e of all) count.set(e.name, (count.get(e.name) || 0) + 1);
      const name = [...count].find(([, n]) => n >= 2)?.[0];
      assert.ok(name, 'two elders of one name in grid01');
      const same = all.filter((e) => e.name === name);
      assert.ok(same.every((e) => e.household), 'the list gives each their household');
      await page.goto('/service-entry');
      await page.getByTestId('entry-search').fill(name);
      await page.getByTestId('entry-search').press('Enter');
      for (const e of same) await page.getByTestId('entry-elders').locator(`[data-elder="${e.id}"]`).getByTestId('elder-household').getByText(e.household, { exact: true }).waitFor();
      // the times within the step-2 card
      const out = await page.evaluate(() => {
        const card = document.querySelector('.pj-form').getBoundingClientRect();
        return ['time-in', 'time-out'].map((id) => {
          const i = document.querySelector(`[data-testid="${id}"]`);
          return Math.max(i.getBoundingClientRect().right, i.closest('.el-input').getBoundingClientRect().right) - card.right;
        });
      });
      for (const d of out) assert.ok(d <= 0, `a time input ends ${d} px beyond the card at ${vp.width} px`);
      await shot(page, `e2-quick-entry-${vp.width}`);
      noProblems(page);
      await context.close();
    }
  });

  test('an elder\'s page on a phone: one column, every field and its label on screen', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    const e = (await apiGet(page, '/elders?limit=1')).items[0];
    await page.goto(`/elders/${e.id}`);
    const fields = page.getByTestId('elder-fields');
    await page.getByTestId('elder-id-number').waitFor();
    const bad = await fields.evaluate((root) =>
      [...root.querySelectorAll('.el-descriptions__label, .el-descriptions__content')]
        .filter((c) => {
          const r = c.getBoundingClientRect();
          // on screen, and a label not wrapped one character a line
          return r.right > window.innerWidth || r.left < 0 || (c.classList.contains('el-descriptions__label') && r.width < 48);
        })
        .map((c) => c.textContent.trim()),
    );
    assert.deepEqual(bad, [], 'cells cut off or squeezed');
    for (const label of ['身份证号', '住址/户', '慢性病', '更新时间']) await fields.getByText(label, { exact: true }).waitFor();
    assert.ok(await onScreen(page, page.getByTestId('elder-id-number')), 'the ID number visible');
    await shot(page, 'e2-elder-390');
    noProblems(page);
    await context.close();
  });

  test('alerts on a phone: each a card with the elder, grid, detail and time above its actions; every state tab on screen', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    const a = (await apiGet(page, '/elder-alerts?state=open&limit=1')).items[0];
    assert.ok(a && a.elder_id, 'an open alert of an elder');
    await page.goto('/elder-alerts');
    const card = page.getByTestId('alert-table').locator(`[data-alert="${a.id}"]`);
    await card.waitFor();
    for (const loc of [card.getByTestId('alert-who'), card.getByText(a.grid_name).first(), card.getByTestId('alert-detail'), card.getByTestId('ack'), card.getByTestId('resolve')]) assert.ok(await onScreen(page, loc), `${await loc.innerText()} on screen`);
    await card.getByTestId('alert-who').getByText(a.elder_name).waitFor();
    const tabs = page.getByTestId('alert-state');
    assert.ok(await onScreen(page, tabs.getByText('全部', { exact: true })), '全部 on screen');
    await shot(page, 'e2-alerts-390');
    noProblems(page);
    await context.close();
  });

  test('elders on a phone: a card per elder, the next visit and the three needs on screen, nothing pinned over them', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    const e = (await apiGet(page, '/elders?limit=1')).items[0];
    await page.goto('/elders');
    const card = page.getByTestId('elder-table').locator(`[data-elder="${e.id}"]`);
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    for (const loc of [card.getByRole('link', { name: e.name }).first(), card.getByTestId('next-visit'), card.getByTestId('needs'), card.getByRole('link', { name: '编辑' })]) assert.ok(await onScreen(page, loc), `${await loc.innerText()} on screen`);
    await shot(page, 'e2-elders-390');
    noProblems(page);
    await context.close();
  });

  test('registering an elder on a phone: saving the empty form brings the first field in error into view', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await login(page, 'grid01', DEMO_PW, { land: false });
    await page.goto('/elders/new');
    const save = page.getByRole('button', { name: '保存', exact: true }).last();
    await save.scrollIntoViewIfNeeded();
    await save.click();
    const name = page.getByTestId('f-name');
    await name.getByText('请填写姓名').waitFor();
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid="f-name"]').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(await name.locator('input').evaluate((i) => i === document.activeElement), 'the name field focused');
    await shot(page, 'e2-elder-new-empty-390');
    noProblems(page);
    await context.close();
  });

  test('a pairing proposal edited: no helper without a place is offered; the chosen one saves', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    // a village's run (a few elders), to edit one of its proposals
    const villages = (await apiGet(page, '/regions?parent_id=303&limit=500')).items.filter((r) => r.type === 'village' || r.type === 'community');
    let run = null;
    for (const v of villages) {
      const res = await page.request.post('/api/v1/pairing-runs', { data: { region_id: v.id } });
      assert.ok(res.ok(), await res.text());
      const r = await res.json();
      if (r.proposed > 0) {
        run = r;
        break;
      }
    }
    assert.ok(run, 'a village with a proposal');
    const p = (await apiGet(page, `/pairing-runs/${run.id}?state=proposed`)).proposals.items[0];
    await page.goto(`/pairing/${run.id}`);
    const row = page.getByTestId('proposals').locator('.el-table__body-wrapper tr', { hasText: p.elder_name }).first();
    await row.getByTestId('edit-proposal').click();
    const dlg = page.getByRole('dialog', { name: '更换互助员' });
    await dlg.getByTestId('proposal-helper').locator('.el-select').click();
    const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
    await options.first().waitFor();
    const texts = await options.allInnerTexts();
    assert.ok(texts.length > 0);
    // every helper offered has a place (the one proposed now may be shown at 0)
    const full = texts.filter((x) => /余 0 位/.test(x) && !x.startsWith(p.helper_name + ' '));
    assert.deepEqual(full, [], 'full helpers offered');
    const other = texts.findIndex((x) => !x.startsWith(p.helper_name + ' '));
    if (other >= 0) await options.nth(other).click();
    else await options.first().click();
    await dlg.getByTestId('save-proposal').click();
    await dlg.waitFor({ state: 'hidden' });
    const after = (await apiGet(page, `/pairing-runs/${run.id}?state=proposed`)).proposals.items.find((x) => x.id === p.id);
    assert.ok(after, 'still proposed');
    if (other >= 0) assert.equal(after.helper_name, texts[other].split(' · ')[0]);
    // chosen by hand: said so, with no rank ("第 0 近") nor "none free at home" worked out
    const why = await row.getByTestId('why').innerText();
    assert.match(why, /；经办人指定$/, why);
    assert.doesNotMatch(why, /第 0 近|本村无空位/, why);
    noProblems(page);
    await context.close();
  });

  test('pairing with no village chosen asks first, saying how many elders; cancelled, no run starts', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    const before = (await apiGet(page, '/pairing-runs?limit=500')).items.length;
    const cov = await apiGet(page, '/eldercare/coverage?group=township&region_id=303');
    const n = cov.total.elders - cov.total.paired;
    await page.goto('/pairing');
    await page.getByTestId('run-pairing').click();
    const dlg = page.getByRole('dialog', { name: '为整个乡镇匹配？' });
    await dlg.getByText(`全部 ${n.toLocaleString('en-US')} 位未结对的在册老人`).waitFor();
    await shot(page, 'e2-pairing-confirm');
    await dlg.getByRole('button', { name: '取消' }).click();
    await dlg.waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    assert.equal(page.url().endsWith('/pairing'), true, 'still on the pairing page');
    assert.equal((await apiGet(page, '/pairing-runs?limit=500')).items.length, before, 'no run started');
    noProblems(page);
    await context.close();
  });

  test('a centre\'s dialog names the demo source in words', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'jinhaihu', DEMO_PW, { land: false });
    await page.goto('/eldercare/centres');
    await page.getByTestId('centre-table').getByTestId('centre-name').first().click();
    const src = page.getByTestId('centre-dialog').getByTestId('centre-source');
    await src.getByText('合成数据（演示）').waitFor();
    assert.equal(await page.getByTestId('centre-dialog').getByText('synthetic').count(), 0);
    noProblems(page);
    await context.close();
  });

  test('the time-bank ledger: a transfer names the elder it went to, earned credits the time bank', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'admin', ADMIN_PW, { land: false });
    const h = (await apiGet(page, '/helpers?active=1&limit=200')).items.find((x) => x.credit_balance_min >= 30);
    assert.ok(h, 'a helper with credits');
    const elder = (await apiGet(page, `/elders?status=active&region_id=${h.grid_id}&limit=1`)).items[0];
    const res = await page.request.post(`/api/v1/credit-accounts/${h.credit_account_id}/transfer`, { data: { minutes: 15, to_elder_id: elder.id, relation: 'parent' } });
    assert.ok(res.ok(), await res.text());
    await page.goto(`/helpers/${h.id}`);
    const ledger = page.getByTestId('credit-ledger');
    await ledger.getByTestId('ledger-counterparty').getByText(`${elder.name} · 父母`).first().waitFor();
    await ledger.getByTestId('ledger-counterparty').getByText('时间银行发放').first().waitFor();
    assert.equal(await ledger.getByTestId('ledger-counterparty').getByText(/^账户 #/).count(), 0, 'no bare account numbers');
    noProblems(page);
    await context.close();
  });

  test('coverage: an area with nothing to count against shows "—", not 0 % nor "null%"', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 900 });
    await login(page, 'officer', DEMO_PW);
    // the report as the server answers for an area without elders: its shares null
    let row = null;
    await page.route('**/api/v1/eldercare/coverage?*', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      row = body.rows[body.rows.length - 1];
      Object.assign(row, { elders: 0, meals_arranged: 0, doctor_contracted: 0, paired: 0, meals_pct: null, doctor_pct: null, paired_pct: null, visits_due: 0, visits_done: 0, visits_pct: null });
      Object.assign(body.total, { meals_pct: null, doctor_pct: null, paired_pct: null });
      await route.fulfill({ response: res, json: body });
    });
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/eldercare/coverage?'));
    await page.goto('/eldercare/coverage');
    await answered;
    await page.getByRole('heading', { name: '三有覆盖报表' }).waitFor();
    const tr = page.getByTestId('coverage-table').locator('.el-table__body-wrapper tbody tr', { hasText: row.name });
    await tr.waitFor();
    const cells = (await tr.locator('td').allInnerTexts()).map((x) => x.trim());
    assert.deepEqual(cells.slice(2, 5), ['—', '—', '—'], `the three shares of ${row.name}: ${cells}`);
    for (const k of ['meals_pct', 'doctor_pct', 'paired_pct']) assert.equal((await page.getByTestId('coverage-total').locator(`[data-need="${k}"] b`).innerText()).trim(), '—');
    await page.getByTestId('coverage-map').getByText('无老人').waitFor();
    assert.doesNotMatch(await page.locator('.pj-page').innerText(), /null|NaN/);
    noProblems(page);
    await context.close();
  });
});
