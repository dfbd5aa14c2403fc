// The console's pure helpers: Beijing-time dates, 万 numbers, capacity sums by state, and the
// dual-use arithmetic (which step may move, Gantt rows, critical path, cycles, minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, formatDate, formatDeadline, formatNumber, formatDuration, shanghaiDayStartUtc, compactNumber } from '../../web/src/utils/format.js';
import { capacityTotals, relativeSizes } from '../../web/src/utils/capacity.js';
import {
  axisMinutes, canFinishStep, canSign, canStartStep, signWaitsForStart, criticalPathMinutes, earliestStarts, findCycle, formatMinutes, ganttRows, manualSchedule,
  openPhase, phaseProgress, runningOverdue, serverNow, shownStatus, stepClockStop,
} from '../../web/src/utils/dualuse.js';

test('dates are Beijing time whatever the machine zone', () => {
  assert.equal(formatDateTime('2026-11-29T03:58:00Z'), '2026-11-29 11:58:00');
  assert.equal(formatDateTime('2026-12-31T16:30:05Z'), '2027-01-01 00:30:05');
  assert.equal(formatDate('2026-12-31T16:30:05Z'), '2027-01-01');
  assert.equal(formatDateTime(null), '—');
  assert.equal(shanghaiDayStartUtc('2026-11-29'), '2026-11-28T16:00:00Z');
  assert.equal(shanghaiDayStartUtc('2026-11-30', 1), '2026-11-30T16:00:00Z');
});

test('a deadline ending at Beijing midnight reads as the end of its day, not the next day 00:00', () => {
  // an appeal's working days end 24:00 Beijing time: the end of Friday 2026-12-04
  assert.equal(formatDeadline('2026-12-04T16:00:00Z'), '2026-12-04 24:00');
  assert.equal(formatDeadline('2026-12-31T16:00:00Z'), '2026-12-31 24:00');
  assert.equal(formatDeadline('2026-12-04T08:30:00Z'), '2026-12-04 16:30:00'); // any other instant as it is
  assert.equal(formatDeadline(null), '—');
});

test('numbers use 万 and 亿 in Chinese, grouping in English', () => {
  assert.equal(formatNumber(7192, 'zh-CN'), '7,192');
  assert.equal(formatNumber(47900, 'zh-CN'), '4.79万');
  assert.equal(formatNumber(10000, 'zh-CN'), '1万');
  assert.equal(formatNumber(2848300, 'zh-CN'), '284.83万');
  assert.equal(formatNumber(345000000, 'zh-CN'), '3.45亿');
  assert.equal(formatNumber(47900, 'en'), '47,900');
  assert.equal(formatNumber(0.5, 'en'), '0.5');
  assert.equal(formatNumber(null, 'en'), '—');
  assert.equal(formatDuration(1799), '29:59');
  assert.equal(formatDuration(3600), '1:00:00');
});

test('capacity totals by state group and (role, unit)', () => {
  const f = [
    { id: 1, state: 'peacetime', emergency_roles: [{ role: 'isolation', unit: 'rooms', capacity: 300 }, { role: 'resettlement', unit: 'beds', capacity: 500 }] },
    { id: 2, state: 'emergency', emergency_roles: [{ role: 'isolation', unit: 'rooms', capacity: 80 }] },
    { id: 3, state: 'converting', emergency_roles: [{ role: 'supply_store', unit: 't', capacity: 12.5 }] },
    { id: 4, state: 'restoring', emergency_roles: [] },
  ];
  const { lines, counts } = capacityTotals(f);
  assert.deepEqual(counts, { ready: 1, converting: 1, convertible: 1, restoring: 1, total: 4 });
  const iso = lines.find((l) => l.key === 'isolation:rooms');
  assert.deepEqual([iso.ready, iso.converting, iso.convertible, iso.total, iso.facilities], [80, 0, 300, 380, 2]);
  assert.equal(lines.find((l) => l.key === 'supply_store:t').converting, 12.5);
  assert.equal(lines.find((l) => l.key === 'medical:beds').total, 0, 'every API line is listed, even when empty');
  const size = relativeSizes(f);
  assert.equal(size.get(1), 1);
  assert.equal(size.get(2), 80 / 300);
  assert.equal(size.get(4), 0);
});

test('minutes for people and for a Gantt axis', () => {
  assert.equal(formatMinutes(525, 'zh-CN'), '8 小时 45 分');
  assert.equal(formatMinutes(1440, 'zh-CN'), '24 小时');
  assert.equal(formatMinutes(45, 'zh-CN'), '45 分钟');
  assert.equal(formatMinutes(0.34, 'zh-CN'), '0.3 分钟');
  assert.equal(formatMinutes(525, 'en'), '8 h 45 min');
  assert.equal(formatMinutes(null, 'en'), '—');
  // a tenth of a minute is kept: 60.3 minutes against a step planned for an hour is late (the
  // API judges on the tenth), so it may not show as "1 小时"
  assert.equal(formatMinutes(60.3, 'zh-CN'), '1 小时 0.3 分');
  assert.equal(formatMinutes(45.3, 'zh-CN'), '45.3 分钟');
  assert.equal(formatMinutes(1440.1, 'en'), '24 h 0.1 min');
  assert.equal(formatMinutes(59.96, 'zh-CN'), '1 小时');
  assert.equal(formatMinutes(12.04, 'en'), '12 min');
  assert.equal(axisMinutes(525), '8:45');
  assert.equal(axisMinutes(-30), '-0:30');
});

// a conversion as GET /conversions/{id} gives it: S1 done, S2 running, S3 waits for S2, S4 for S1
const t0 = '2026-11-29T00:00:00Z';
const at = (m) => new Date(Date.parse(t0) + m * 60000).toISOString();
const step = (o) => ({ phase: 'convert', predecessors: [], checklist: [], status: 'pending', started_at: null, finished_at: null, actual_minutes: null, overdue: false, late: false, ...o });
const conv = {
  mode: 'live',
  state: 'converting',
  started_at: t0,
  elapsed_minutes: 100,
  ready_at: null,
  restore_started_at: null,
  steps: [
    step({ id: 1, code: 'S1', name: 'a', planned_minutes: 60, status: 'done', started_at: at(0), finished_at: at(70), actual_minutes: 70, late: true }),
    step({ id: 2, code: 'S2', name: 'b', planned_minutes: 20, predecessors: ['S1'], status: 'running', started_at: at(70), actual_minutes: 30, overdue: true, checklist: [{ item: 'x', signed_by: null }, { item: 'y', signed_by: 'wanda' }] }),
    step({ id: 3, code: 'S3', name: 'c', planned_minutes: 30, predecessors: ['S2'] }),
    step({ id: 4, code: 'S4', name: 'd', planned_minutes: 90, predecessors: ['S1'] }),
    step({ id: 5, phase: 'restore', code: 'R1', name: 'e', planned_minutes: 40 }),
  ],
};

test('which step may move: the open phase, pending with every predecessor done, running to finish', () => {
  const [s1, s2, s3, s4, r1] = conv.steps;
  assert.equal(openPhase(conv), 'convert');
  assert.equal(openPhase({ ...conv, state: 'emergency' }), null);
  assert.equal(openPhase({ ...conv, state: 'restoring' }), 'restore');
  assert.equal(openPhase({ ...conv, mode: 'drill', state: 'running' }), 'convert');
  assert.deepEqual([s1, s2, s3, s4, r1].map((s) => canStartStep(conv, s)), [false, false, false, true, false]);
  assert.deepEqual([s1, s2, s3].map((s) => canFinishStep(conv, s)), [false, true, false]);
  assert.equal(canSign(conv, s2, s2.checklist[0]), true);
  assert.equal(canSign(conv, s2, s2.checklist[1]), false, 'signed once');
  assert.equal(canSign({ ...conv, state: 'emergency' }, s2, s2.checklist[0]), false, 'phase closed');
  // a pending step's items wait for it to start (409 step_not_started); a done step's may be signed
  const pending = { ...s3, checklist: [{ item: 'z', signed_by: null }] };
  assert.equal(canSign(conv, pending, pending.checklist[0]), false, 'step not started');
  assert.equal(signWaitsForStart(conv, pending, pending.checklist[0]), true);
  assert.equal(signWaitsForStart(conv, s2, s2.checklist[0]), false, 'running: signed now');
  assert.equal(canSign(conv, { ...s1, checklist: [{ item: 'w', signed_by: null }] }, { item: 'w', signed_by: null }), true, 'done');
  assert.deepEqual(phaseProgress(conv, 'convert'), { done: 1, total: 4, signed: 1, items: 2, overdue: 1, running: 1 });
});

test('Gantt rows: planned from the critical-path schedule, actual from the step times, restore after the plan', () => {
  const now = serverNow(conv);
  assert.equal(now, Date.parse(t0) + 100 * 60000, 'the server clock from elapsed_minutes');
  assert.equal(serverNow({ ...conv, state: 'emergency' }), Date.parse(at(100)), 'else from the running step');
  const rows = ganttRows(conv, {}, now);
  const by = Object.fromEntries(rows.map((r) => [r.code, r]));
  assert.deepEqual(by.S1.planned, [0, 60]);
  assert.deepEqual(by.S1.actual, [0, 70]);
  assert.deepEqual(by.S2.planned, [60, 80]);
  assert.deepEqual(by.S2.actual, [70, 100], 'running: up to now');
  assert.deepEqual(by.S3.planned, [80, 110]);
  assert.equal(by.S3.actual, null);
  assert.deepEqual(by.R1.planned, [150, 190], 'restore after the planned end of the convert phase (S4: 60 + 90)');
  assert.equal(ganttRows({ ...conv, mode: 'drill' }, {}, now).some((r) => r.phase === 'restore'), false, 'drills have no restore phase');
  // the manual's schedule wins (critical flags, earliest starts)
  const sched = manualSchedule({ steps: [{ code: 'S3', earliest_start: 95, slack: 0, critical: true }], restore_steps: [] });
  const r3 = ganttRows(conv, sched, now).find((r) => r.code === 'S3');
  assert.deepEqual([r3.planned, r3.critical], [[95, 125], true]);
});

// An abort after work began stops the running convert steps' clocks where the restore starts
// (the server's actual_minutes stop there); the cockpit kept counting and tagged the step 超时,
// and the Gantt drew its bar to now.
test('a running step of an aborted conversion: its clock stops at the restore, its bar too', () => {
  const aborted = { ...conv, state: 'restoring', restore_started_at: at(80) };
  const [, s2, , , r1] = aborted.steps;
  assert.equal(stepClockStop(conv, s2), null, 'converting: running on');
  assert.equal(stepClockStop(aborted, s2), at(80));
  assert.equal(stepClockStop(aborted, r1), null, 'the restore steps run on');
  assert.equal(stepClockStop({ ...aborted, state: 'aborted', ended_at: at(120) }, r1), at(120));
  // overdue only while the step's phase is open: a convert step left running by the abort, or
  // any step of an ended conversion, is not tagged 超时 however long it ran (the server's count)
  const long = { ...s2, status: 'running', planned_minutes: 5, overdue: true };
  assert.equal(runningOverdue(conv, long, 60), true, 'converting: overdue');
  assert.equal(runningOverdue(aborted, long, 60), false, 'the convert phase is over');
  const ended = { ...conv, state: 'aborted', ended_at: at(120) };
  assert.equal(runningOverdue(ended, long, 60), false, 'the conversion ended');
  assert.equal(runningOverdue(aborted, { ...r1, status: 'running', planned_minutes: 5 }, 60), true, 'a restore step running on past its time');
  const by = Object.fromEntries(ganttRows(aborted, {}, Date.parse(t0) + 200 * 60000).map((r) => [r.code, r]));
  assert.deepEqual(by.S2.actual, [70, 80], 'S2 started at 70, stopped with the abort at 80');
  // shown 已中止 (stopped), its stored status kept; the restore steps run on
  assert.equal(shownStatus(aborted, s2), 'stopped');
  assert.equal(by.S2.status, 'stopped', 'its Gantt bar: stopped, not running');
  assert.equal(shownStatus(conv, s2), 'running', 'converting: running');
  assert.equal(shownStatus(aborted, { ...r1, status: 'running' }), 'running');
  assert.equal(shownStatus(aborted, r1), 'pending');
});

// Regression: after an abort sent the site to its restore steps, the server's now was taken from
// the first running step — the stopped convert step, whose minutes end at the abort — so the
// Gantt's now line stayed at the abort and a restore step's bar had no length.
test("the server's now: the answer's as_of; without it, not a step whose clock stopped", () => {
  const r1 = { ...conv.steps[4], status: 'running', started_at: at(90), actual_minutes: 30 };
  const aborted = { ...conv, state: 'restoring', restore_started_at: at(80), steps: [...conv.steps.slice(0, 4), r1] };
  // S2 (running since 70, stopped at 80: actual_minutes 10) comes first in the steps
  aborted.steps[1] = { ...aborted.steps[1], actual_minutes: 10 };
  assert.equal(serverNow({ ...aborted, as_of: at(120) }), Date.parse(at(120)), 'as_of');
  assert.equal(serverNow({ ...conv, as_of: at(101) }), Date.parse(at(101)), 'as_of wins over elapsed_minutes');
  assert.equal(serverNow(aborted), Date.parse(at(120)), 'from R1 (90 + 30), not from the stopped S2 (80)');
  const by = Object.fromEntries(ganttRows(aborted, {}, serverNow({ ...aborted, as_of: at(120) })).map((r) => [r.code, r]));
  assert.deepEqual(by.R1.actual, [90, 120], 'the restore bar runs to the server now');
  assert.equal(serverNow({ ...aborted, steps: aborted.steps.slice(0, 4) }, 7), 7, 'only a stopped step: the fallback');
});

test('critical path and cycles of manual steps', () => {
  const steps = [
    { code: 'A', planned_minutes: 60, predecessors: [] },
    { code: 'B', planned_minutes: 180, predecessors: ['A'] },
    { code: 'C', planned_minutes: 60, predecessors: ['A'] },
    { code: 'D', planned_minutes: 60, predecessors: ['B', 'C'] },
  ];
  assert.deepEqual(Object.fromEntries(earliestStarts(steps)), { A: 0, B: 60, C: 60, D: 240 });
  assert.equal(criticalPathMinutes(steps), 300);
  assert.equal(findCycle(steps), null);
  const cyclic = steps.map((s) => (s.code === 'A' ? { ...s, predecessors: ['D'] } : s));
  const c = findCycle(cyclic);
  assert.ok(c && c[0] === c[c.length - 1] && c.length >= 3, `cycle ${c}`);
});

test('axis numbers are short: 万/亿 in Chinese, k/M/B in English (1,000,000 and 2,000,000 do not run together)', () => {
  assert.equal(compactNumber(1000000, 'en'), '1M');
  assert.equal(compactNumber(5600000, 'en'), '5.6M');
  assert.equal(compactNumber(250000, 'en'), '250k');
  assert.equal(compactNumber(2600000000, 'en'), '2.6B');
  assert.equal(compactNumber(999, 'en'), '999');
  assert.equal(compactNumber(5600000, 'zh-CN'), '560万');
  assert.equal(compactNumber(null, 'en'), '—');
});
