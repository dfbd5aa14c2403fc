// A course or a cohort entered by mistake is deleted in the console (asked first): a course
// where it is edited (the courses tab; zone enterprises and posts the same way), a cohort on its
// own page, which then goes back to the cohorts. Delete is offered only where nothing the page
// shows refers to the record (a course without cohorts, a cohort no one is enrolled in); one
// referred to meanwhile is refused by the server, said in a box naming what, and stays. The API
// had no delete for them: a record entered by mistake stayed for good.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, login, apiGet, apiSend, DEMO_PW, budget, beijingToday, plusDays } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('academy: a course and a cohort entered by mistake are deleted; one in use is refused and stays', { timeout: budget(120000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW, { land: false });
  const tag = Date.now() % 100000;
  const course = await apiSend(page, 'post', '/academy/courses', { title: `录错的课程${tag}`, category: 'other', hours: 2, level: 5, practice_hours: 0 });
  const cohorts = (await apiGet(page, '/academy/cohorts?limit=100')).items;
  const used = cohorts.find((h) => h.enrolled > 0);
  const base = cohorts[0].base_id;
  const cohortBody = (name) => ({ course_id: course.id, base_id: base, name, starts_on: '2030-03-01', ends_on: '2030-04-30', capacity: 5 });

  // a course without cohorts offers delete; a cohort made behind the page's back: refused,
  // said with what refers to it, the course still there
  await page.goto('/academy');
  const courses = page.getByTestId('course-table');
  await courses.getByText(course.title).waitFor();
  assert.equal(await page.getByTestId('course-delete-' + course.id).count(), 1);
  const usedCourse = (await apiGet(page, '/academy/courses?limit=100')).items.find((k) => k.cohorts > 0);
  assert.equal(await page.getByTestId('course-delete-' + usedCourse.id).count(), 0, 'a course with cohorts offers no delete');
  const cohort = await apiSend(page, 'post', '/academy/cohorts', cohortBody(`录错的班${tag}`));
  const box = page.getByRole('dialog', { name: '删除课程' });
  await page.getByTestId('course-delete-' + course.id).click();
  await box.getByText(`删除课程“${course.title}”？`, { exact: false }).waitFor();
  await box.getByRole('button', { name: '删除' }).click();
  await page.getByRole('dialog', { name: '删除课程' }).getByText(/正在使用，无法删除.*班级 1 条/).waitFor();
  await page.getByRole('dialog', { name: '删除课程' }).getByRole('button').last().click();
  assert.equal((await apiGet(page, `/academy/courses/${course.id}`)).id, course.id);

  // the cohort, on its page: cancelled it stays; deleted, back to the cohorts
  await page.goto(`/academy/cohorts/${cohort.id}`);
  await page.getByRole('heading', { name: cohort.name }).waitFor();
  await page.getByTestId('cohort-delete').click();
  const cbox = page.getByRole('dialog', { name: '删除班级' });
  await cbox.getByText(`删除班级“${cohort.name}”？`, { exact: false }).waitFor();
  await cbox.getByRole('button', { name: '取消' }).click();
  assert.equal((await apiGet(page, `/academy/cohorts/${cohort.id}`)).id, cohort.id);
  await page.getByTestId('cohort-delete').click();
  await cbox.getByRole('button', { name: '删除' }).click();
  await page.getByText(`已删除班级“${cohort.name}”`).waitFor();
  await page.waitForURL(/\/academy$/);
  assert.equal((await page.request.get(`/api/v1/academy/cohorts/${cohort.id}`)).status(), 404);

  // the course without cohorts again: deleted, gone from the table
  await courses.getByText(course.title).waitFor();
  await page.getByTestId('course-delete-' + course.id).click();
  await box.getByRole('button', { name: '删除' }).click();
  await page.getByText(`已删除课程“${course.title}”`).waitFor();
  await courses.getByText(course.title).waitFor({ state: 'detached' });
  assert.equal((await page.request.get(`/api/v1/academy/courses/${course.id}`)).status(), 404);

  // a cohort with students offers no delete
  await page.goto(`/academy/cohorts/${used.id}`);
  await page.getByTestId('cohort-desc').waitFor();
  assert.equal(await page.getByTestId('cohort-delete').count(), 0);
  assert.deepEqual(page.problems.filter((x) => !/status of 409/.test(x)), [], 'console errors (CSP violations, exceptions)');
  await context.close();
});

test('academy: no delete where the user may not change the record', { timeout: budget(60000) }, async () => {
  const officer = await openPage(browser, { width: 1366, height: 900 });
  await login(officer.page, 'officer', DEMO_PW);
  const course = await apiSend(officer.page, 'post', '/academy/courses', { title: `无班课程${Date.now() % 100000}`, category: 'other', hours: 2, level: 5, practice_hours: 0 });
  await officer.context.close();
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'viewer', DEMO_PW, { land: false });
  const h = (await apiGet(page, '/academy/cohorts?state=planned&limit=1')).items[0];
  assert.equal(h.enrolled, 0);
  await page.goto('/academy');
  await page.getByTestId('course-table').getByText(course.title).waitFor();
  assert.equal(await page.getByTestId('course-delete-' + course.id).count(), 0);
  assert.equal(await page.getByTestId('course-edit-' + course.id).count(), 0);
  await page.goto(`/academy/cohorts/${h.id}`);
  await page.getByTestId('cohort-desc').waitFor();
  assert.equal(await page.getByTestId('cohort-delete').count(), 0);
  await context.close();
});

test('academy: an enrolment entered by mistake is deleted on its cohort’s page, its place freed', { timeout: budget(90000) }, async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 900 });
  await login(page, 'officer', DEMO_PW, { land: false });
  const tag = Date.now() % 100000;
  const course = await apiSend(page, 'post', '/academy/courses', { title: `误录课程${tag}`, category: 'other', hours: 2, level: 5, practice_hours: 0 });
  const base = (await apiGet(page, '/academy/cohorts?limit=1')).items[0].base_id;
  // a cohort starting within 180 days (an enrolment is taken no earlier before its start)
  let cohort = await apiSend(page, 'post', '/academy/cohorts', { course_id: course.id, base_id: base, name: `误录班${tag}`, starts_on: plusDays(beijingToday(), 30), ends_on: plusDays(beijingToday(), 60), capacity: 5 });
  cohort = await apiSend(page, 'post', `/academy/cohorts/${cohort.id}/state`, { state: 'open', version: cohort.version });
  const streamer = (await apiGet(page, '/ecommerce/streamers?enrolable=true&limit=1')).items[0];
  const post = (await apiGet(page, '/academy/posts?state=open&limit=50')).items.find((p) => p.filled < p.openings);
  const e = await apiSend(page, 'post', '/academy/enrolments', { cohort_id: cohort.id, streamer_id: streamer.id, post_id: post.id });
  assert.equal((await apiGet(page, `/academy/cohorts/${cohort.id}`)).enrolled, 1);

  await page.goto(`/academy/cohorts/${cohort.id}`);
  await page.getByTestId('enrolment-delete-' + e.id).click();
  const box = page.getByRole('dialog', { name: '删除报名记录' });
  await box.getByText('仅用于误录的记录', { exact: false }).waitFor();
  await box.getByRole('button', { name: '删除' }).click();
  await page.getByText('已删除报名记录').waitFor();
  await page.getByTestId('enrolment-delete-' + e.id).waitFor({ state: 'detached' });
  assert.equal((await page.request.get(`/api/v1/academy/enrolments/${e.id}`)).status(), 404);
  assert.equal((await apiGet(page, `/academy/cohorts/${cohort.id}`)).enrolled, 0);
  assert.equal((await apiGet(page, `/academy/posts/${post.id}`)).filled, post.filled);
  // nothing refers to the cohort now: it offers its own delete
  await page.getByTestId('cohort-delete').waitFor();
  await context.close();
});
