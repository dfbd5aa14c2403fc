// A stood-down plan's sites are restored together from the plan's page: one button for the
// sites still in emergency use, a confirmation, progress, and the sites that could not be
// restored listed with their conversion's link and the server's reason (each had to be
// restored on its own conversion's page). A server of the file's own (the demo district): the
// plan's sites are converted and restored here, which would change the figures of the other
// files sharing the run's demo.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, shot, ownServer, ownApi, workPhase, budget } from './lib.mjs';

let browser;
let own;
before(async () => {
  browser = await launch();
  own = await ownServer({ demo: true, env: { PINGJI_DEMO_ELDERS: '2000' } });
});
after(async () => {
  await browser?.close();
  await own?.stop();
});

test('a stood-down plan: its sites in emergency use restored together, with progress; one restored meanwhile is listed with the reason', { timeout: budget(240000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 }, { baseURL: own.base });
  await login(page, 'officer', own.demoPw);
  const api = (method, p, data) => ownApi(own, page, method, p, data);
  const work = async (id, phase) => workPhase(api, await api('GET', `/conversions/${id}`), phase);
  const towns = (await api('GET', '/regions?type=township&limit=500')).items;
  const town = towns.find((x) => x.name === '金海湖地区');
  const plan = await api('POST', '/plans?wait=1', {
    name: '汛期安置（解除后恢复）',
    scenario: 'disaster',
    role: 'resettlement',
    affected: { township_ids: [town.id] },
    demand: { share: 0.05 },
    teams: { cleaning: 20, logistics: 20, security: 20, medical: 20, catering: 20, it: 20, disinfection: 20 },
    time_limit_s: 0.5,
  });
  const adopted = await api('POST', `/plans/${plan.id}/adopt`, { confirm: true });
  const convs = adopted.conversions;
  assert.ok(convs.length >= 2, `the plan converts at least two sites (${convs.length})`);
  // all but the last made ready; the last left converting
  for (const c of convs.slice(0, -1)) assert.equal((await work(c.conversion_id, 'convert')).state, 'emergency');
  await api('POST', `/plans/${plan.id}/close`, { reason: '汛情解除，安置人员已返家' });

  await page.goto(`/plans/${plan.id}`);
  const box = page.getByTestId('restore-all-box');
  const ready = convs.length - 1;
  await box.getByTestId('restore-all').getByText(`全部开始恢复（${ready} 个场所）`).waitFor();
  await box.getByTestId('restore-converting').getByText('另有 1 个场所仍在转换中：请在其转换页完成或中止').waitFor();
  // one restored meanwhile on its own page: the page still offers it
  const first = convs[0].conversion_id;
  await api('POST', `/conversions/${first}/restore`);
  // cancelled: nothing restored
  await box.getByTestId('restore-all').click();
  const dlg = page.getByRole('dialog', { name: '恢复方案的场所' });
  await dlg.getByText(`已解除：其 ${ready} 个急时运行中的场所将按各自手册开始恢复平时`, { exact: false }).waitFor();
  await dlg.getByRole('button', { name: '取消' }).click();
  assert.equal((await api('GET', `/conversions/${convs[1].conversion_id}`)).state, 'emergency');
  await box.getByTestId('restore-all').click();
  await dlg.getByRole('button', { name: '全部开始恢复' }).click();
  await page.getByText(`已开始恢复 ${ready - 1} 个场所`).waitFor();
  // the one restored meanwhile: listed with its link and the reason, not counted
  const failed = box.getByTestId('restore-all-failed');
  await failed.locator(`a[href="/conversions/${first}"]`).waitFor();
  await failed.getByText('已不在急时运行（现为“恢复中”），未恢复', { exact: false }).waitFor();
  assert.equal(await failed.locator('li').count(), 1);
  for (const c of convs.slice(0, -1)) assert.equal((await api('GET', `/conversions/${c.conversion_id}`)).state, 'restoring');
  // nothing left in emergency use: no button; the converting one still said
  await box.getByTestId('restore-all').waitFor({ state: 'detached' });
  await box.getByTestId('restore-converting').waitFor();
  await shot(page, 'plan-restore-all');
  // the restore steps worked to their end: the sites back in peacetime
  for (const c of convs.slice(0, -1)) assert.equal((await work(c.conversion_id, 'restore')).state, 'completed');
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});
