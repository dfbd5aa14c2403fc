// What an adopted plan sends to a site, on the cockpit of the conversion it started (本站接收):
// the people placed there and those needing medical care, the villages they come from, and the
// supply flows into the site with what was shipped and what is still to ship — the server's
// figures for that site (the conversion's plan_sites), in zh-CN and English. A conversion started
// by hand has no such panel. A server of the file's own (the demo district): the plan is solved,
// adopted and shipped through the API, the cockpit read as the district officer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, budget } from './lib.mjs';
import { formatNumber } from '../../web/src/utils/format.js';

let browser;
let own;

before(async () => {
  browser = await launch();
  own = await ownServer({ demo: true });
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

describe('cockpit: what the plan sends to the site', { timeout: budget(180000) }, () => {
  test('people, vulnerable, villages and supply flows of the site; none for a conversion by hand', async () => {
    const { page } = await openPage(browser, undefined, { baseURL: own.base });
    await login(page, 'officer', own.demoPw, { land: false });
    const api = async (method, p, data) => {
      const res = await page.request.fetch(`${own.base}/api/v1${p}`, { method, data });
      assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
      return res.status() === 204 ? null : res.json();
    };
    const plan = await api('POST', '/plans?wait=1', {
      name: '三镇 安置（本站接收）',
      scenario: 'disaster',
      role: 'resettlement',
      affected: { township_ids: [303, 1073, 523] },
      demand: { share: 0.1 },
      teams: { cleaning: 12, logistics: 16, security: 4, medical: 10, catering: 6, it: 2, disinfection: 8 },
      vulnerable: { count: 150, needs: 'medical_or_barrier_free' },
      supplies: { days: 3 },
      time_limit_s: 0.3,
    });
    const adopted = await api('POST', `/plans/${plan.id}/adopt`, { version: plan.version, confirm: true });
    // a site with people needing medical care and supply flows, from more than one village if any
    const res = plan.result;
    const flowsTo = (fid) => res.supplies.flows.filter((f) => f.facility_id === fid);
    const villagesTo = (fid) => new Set(res.assignments.filter((a) => a.facility_id === fid).map((a) => a.village_id));
    const convs = adopted.conversions.filter((c) => flowsTo(c.facility_id).length > 0);
    assert.ok(convs.length > 0, 'a site with supply flows');
    convs.sort((a, b) => {
      const sa = res.sites.find((s) => s.facility_id === a.facility_id);
      const sb = res.sites.find((s) => s.facility_id === b.facility_id);
      return sb.vulnerable - sa.vulnerable || villagesTo(b.facility_id).size - villagesTo(a.facility_id).size;
    });
    const { conversion_id: cid, facility_id: fid } = convs[0];
    const site = res.sites.find((s) => s.facility_id === fid);
    const flow = flowsTo(fid).sort((a, b) => b.quantity - a.quantity)[0];
    await api('POST', `/plans/${plan.id}/shipments`, { store_id: flow.store_id, facility_id: fid, category: flow.category, quantity: 3 });

    await page.goto(`/conversions/${cid}`);
    const panel = page.getByTestId('plan-site');
    await panel.waitFor();
    assert.equal(await panel.count(), 1, 'one plan sends people here');
    assert.equal(await panel.getAttribute('data-plan'), String(plan.id));
    await panel.getByText('本站接收', { exact: true }).waitFor();
    assert.equal(await panel.getAttribute('data-in-force'), 'true');
    assert.equal(await page.getByTestId('plan-site-people').getAttribute('data-n'), String(site.used));
    assert.ok((await page.getByTestId('plan-site-people').innerText()).includes(formatNumber(site.used, 'zh-CN')));
    assert.equal(await page.getByTestId('plan-site-vulnerable').getAttribute('data-n'), String(site.vulnerable));
    assert.equal(await page.getByTestId('plan-site-village-count').getAttribute('data-n'), String(villagesTo(fid).size));
    // each village of the site, and only those
    for (const v of villagesTo(fid)) await page.getByTestId(`plan-site-village-${v}`).waitFor();
    const other = res.assignments.find((a) => a.facility_id !== fid && !villagesTo(fid).has(a.village_id));
    if (other) assert.equal(await page.getByTestId(`plan-site-village-${other.village_id}`).count(), 0, 'another site’s village');
    // the flows into the site: the shipped one with 3 shipped and the rest to ship
    assert.equal(await page.getByTestId('plan-site-flows').locator('tbody tr').count(), flowsTo(fid).length);
    const row = page.getByTestId('plan-site-flows').locator('tbody tr', { has: page.getByTestId(`plan-site-flow-${flow.category}-${flow.store_id}`) });
    assert.match(await row.getByTestId('plan-site-shipped').innerText(), /^3\D/);
    assert.ok((await row.getByTestId('plan-site-remaining').innerText()).startsWith(formatNumber(flow.quantity - 3, 'zh-CN')));
    await page.getByTestId('plan-site-plan').click();
    await page.waitForURL(new RegExp(`/plans/${plan.id}$`));
    await shot(page, 'plan-site-plan');

    // English
    await page.evaluate(() => localStorage.setItem('pj_locale', 'en'));
    await page.goto(`/conversions/${cid}`);
    await page.getByTestId('plan-site').getByText('Arriving at this site', { exact: true }).waitFor();
    await page.getByTestId('plan-site').getByText('Needing medical care', { exact: true }).waitFor();
    await shot(page, 'plan-site-en');
    await page.evaluate(() => localStorage.setItem('pj_locale', 'zh-CN'));

    // a conversion started by hand: no panel
    const peace = (await api('GET', '/facilities?state=peacetime&limit=200')).items;
    let byHand = null;
    for (const f of peace) {
      const m = (await api('GET', `/manuals?facility_id=${f.id}&limit=5`)).items[0];
      if (!m) continue;
      byHand = await api('POST', '/conversions', { facility_id: f.id, scenario: m.scenario, mode: 'drill' });
      break;
    }
    assert.ok(byHand, 'a facility with a manual to drill');
    assert.deepEqual(byHand.plan_sites, []);
    await page.goto(`/conversions/${byHand.id}`);
    await page.getByTestId('conv-tags').waitFor();
    assert.equal(await page.getByTestId('plan-site').count(), 0);
    assert.deepEqual(page.problems, [], 'console errors');
  });
});
