// Two people editing one conversion manual: the editor's save names the version it started
// from, so a save after someone else saved a newer version meanwhile is refused instead of
// silently dropping their steps. The editor says who saved which version, keeps the draft
// (and offers it as a CSV to import again), and opens the newest version.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, login, shot, apiGet, DEMO_PW } from './lib.mjs';
import { manualCsv } from '../../web/src/utils/dualuse.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function post(page, p, data, want) {
  const res = await page.request.post('/api/v1' + p, { data });
  assert.equal(res.status(), want, await res.text());
  return res.json();
}

const S1 = { code: 'S1', name: '场地清理', planned_minutes: 60, team_type: 'cleaning' };
const S2 = { code: 'S2', name: '消防通道检查', planned_minutes: 30, team_type: 'security', predecessors: ['S1'], checklist: ['消防通道畅通'] };

test('manual editor: a save meeting a newer version is refused naming it, keeps the draft and opens the newest', async () => {
  const { context, page } = await openPage(browser);
  await login(page, 'wanda', DEMO_PW);
  const facility = (await apiGet(page, '/auth/me')).facility_id;
  const base = await post(page, '/manuals', { facility_id: facility, scenario: 'holiday', role: 'resettlement', title: '节假日安置手册（并发编辑）', steps: [S1] }, 201);

  // wanda opens the newest version in the editor and changes the title
  await page.goto(`/manuals/${base.id}`);
  await page.getByRole('heading', { name: base.title }).waitFor();
  await page.getByTestId('edit-manual').click();
  const title = page.getByTestId('edit-title');
  await title.fill('节假日安置手册（修订）');

  // meanwhile the officer saves a version with one more step
  const other = await openPage(browser);
  await login(other.page, 'officer', DEMO_PW);
  const newer = await post(other.page, '/manuals', { facility_id: facility, scenario: 'holiday', role: 'resettlement', title: base.title, steps: [S1, S2], based_on: base.version }, 201);
  assert.equal(newer.version, base.version + 1);
  await other.context.close();

  // wanda's save names the version she opened and is refused
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/manuals'));
  await page.getByTestId('save-version').click();
  assert.equal((await sent).postDataJSON().based_on, base.version);
  const box = page.getByTestId('editor-conflict');
  await box.getByText(`已保存了本手册的第 ${newer.version} 版`, { exact: false }).waitFor();
  assert.match(await box.innerText(), new RegExp(`${newer.created_by_name || newer.created_by} 已保存`));
  await shot(page, 'manual-conflict');
  const versions = (await apiGet(page, `/manuals?facility_id=${facility}&scenario=holiday&limit=200`)).items;
  assert.equal(Math.max(...versions.map((m) => m.version)), newer.version, 'nothing saved');
  assert.equal(versions.filter((m) => m.title === '节假日安置手册（修订）').length, 0);

  // the draft is still there and can be taken away as a CSV the import reads
  assert.equal(await title.inputValue(), '节假日安置手册（修订）');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('conflict-download').click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
  assert.match(csv, /^phase,code,name,planned_minutes,team_type,team_count,predecessors,checklist\r\nconvert,S1,场地清理,60,cleaning,1,,\r\n$/);

  // and the newest version opens
  await box.getByRole('button', { name: `打开第 ${newer.version} 版` }).click();
  await page.waitForURL((u) => u.pathname === `/manuals/${newer.id}`);
  await page.getByTestId('manual-version').getByText(`v${newer.version}`, { exact: true }).waitFor();
  await page.getByTestId('manual-steps-convert').getByText('消防通道检查').waitFor();
  assert.deepEqual(page.problems, [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('a draft as CSV: the columns the import reads, formula-like texts guarded as the export does', () => {
  const csv = manualCsv(
    [{ code: 'S1', name: '=清场', planned_minutes: 60, team_type: 'cleaning', team_count: 2, predecessors: [], checklist: ['a,b', '-5', "'+x"] }],
    [{ code: 'R1', name: '复原 "一"', planned_minutes: 30, team_type: 'cleaning', predecessors: [], checklist: [] }],
  );
  assert.equal(
    csv,
    'phase,code,name,planned_minutes,team_type,team_count,predecessors,checklist\r\n' +
      `convert,S1,"'=清场",60,cleaning,2,,"a,b;-5;'+x"\r\n` +
      'restore,R1,"复原 ""一""",30,cleaning,1,,\r\n',
  );
});
