// The scheduled alert scan writes the elder-id range of each slice; the last slice's end is
// -1 ("to the last elder"), which the audit log says in words, never as a raw -1.
// A scheduled scan writes an audit row only when it changes something, and what it finds
// depends on the Beijing time of day (no meal is missed just after midnight): the test runs a
// server of its own (a small demo, a scan every 2 s) and registers an elder without a family
// doctor, whom the next scan raises an alert for — a row at any hour.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, budget } from './lib.mjs';

let browser;
let own;
let base;
let adminPw;

before(async () => {
  browser = await launch();
  own = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '300' }, args: ['--alert-scan-s', '2'] });
  ({ base, adminPw } = own);
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

// a valid resident ID number (GB 11643) for a woman born on 1940-03-15
function idNumber(seq) {
  const p = `11011719400315${String(seq * 2).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return p + '10X98765432'[[...p].reduce((s, d, i) => s + Number(d) * w[i], 0) % 11];
}

describe('audit: the alert scan’s elder-id range', { timeout: budget(120000) }, () => {
  test('a range open at its end reads in words, not “0、-1”', async () => {
    const { context, page } = await openPage(browser, undefined, { baseURL: base });
    await login(page, 'admin', adminPw);
    const api = async (method, p, data) => {
      const res = await page.request.fetch(`${base}/api/v1${p}`, { method, data });
      assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
      return res.json();
    };
    const grid = (await api('GET', '/regions?type=grid&limit=1')).items[0];
    await api('POST', '/elders', { name: '测试老人', sex: 'F', birth_date: '1940-03-15', id_number: idNumber(401), grid_id: grid.id, ability_level: 1 });
    // the next scheduled scan (every 2 s) raises the missing family doctor
    let row;
    for (let i = 0; i < 60 && !row; i++) {
      const r = await api('GET', '/audit?entity=elder_alerts&action=scan&limit=50');
      row = r.items.find((x) => x.after?.scheduled && x.after?.elder_ids?.[1] === -1);
      if (!row) await page.waitForTimeout(500);
    }
    assert.ok(row, 'a scheduled scan’s last slice in the audit log');
    const from = row.after.elder_ids[0];
    // a slice from the first elder covers everyone (a small demo is one slice); the words for a
    // later slice ("96001 起") are checked in auditlabels.test.mjs
    const words = from > 0 ? [`${from} 起`, `${from} onward`] : ['全部', 'All'];
    for (const [lang, text] of [['zh-CN', words[0]], ['en', words[1]]]) {
      await page.evaluate((l) => localStorage.setItem('pj_locale', l), lang);
      await page.goto(`/admin/audit?entity=elder_alerts&action=scan&entity_id=${row.entity_id ?? ''}`);
      const table = page.getByTestId('audit-table');
      await table.getByText(text, { exact: true }).first().waitFor();
      assert.equal(await table.getByText(/(^|[、,\s])-1$/).count(), 0, `${lang}: no raw -1`);
      await shot(page, `audit-range-${lang}`);
    }
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
