// Pure helpers of the dual-use pages (conversions, drills, manuals): which step may move,
// progress per phase, Gantt rows in minutes since the start, minutes for people. No Vue or
// browser imports: the e2e tests import this file too.
import { formatDateTime } from './format.js';
import { addDays, beijingToday } from './calendar.js';

export const SCENARIOS = ['epidemic', 'disaster', 'holiday', 'event'];
export const LIVE_STATES = ['converting', 'emergency', 'restoring', 'completed', 'aborted'];
export const DRILL_STATES = ['running', 'finished', 'aborted'];

/** The phase whose steps may be worked on now (as the server decides), or null. */
export function openPhase(conv) {
  if (!conv) return null;
  if (conv.state === 'converting' || conv.state === 'running') return 'convert';
  if (conv.state === 'restoring') return 'restore';
  return null;
}

/**
 * When a running step's clock stopped (an ISO time), or null while it runs on: a convert step
 * stops when the restore phase starts (an abort after work began), any step when the
 * conversion ends — where the server's actual_minutes stop too.
 */
export function stepClockStop(conv, step) {
  if (!conv || !step) return null;
  if (step.phase === 'convert' && conv.restore_started_at) return conv.restore_started_at;
  return conv.ended_at || null;
}

/**
 * A step's status as the console shows it: 'stopped' (已中止) for a step left running whose clock
 * stopped (stepClockStop: an abort sent the site to its restore steps, or the conversion ended),
 * as the report's result says; else its status. The server keeps its status 'running'.
 */
export function shownStatus(conv, step) {
  return step && step.status === 'running' && stepClockStop(conv, step) ? 'stopped' : step?.status;
}

/**
 * A running step overdue as the cockpit tags it: the server's `overdue`, or its minutes moved on
 * by the clock (`minutes`) past its planned ones — only while its phase is open. Once its clock
 * stopped (stepClockStop: the conversion ended, or an abort sent the site to its restore steps)
 * a step left running is not overdue, as the server counts it.
 */
export function runningOverdue(conv, step, minutes) {
  if (!step || step.status !== 'running' || stepClockStop(conv, step)) return false;
  return !!step.overdue || (minutes != null && minutes > step.planned_minutes);
}

/**
 * The phase an action completed, from the conversion before and after it: 'convert' when the
 * convert steps are all done (converting → emergency, a drill running → finished), 'restore'
 * when the restore steps are (restoring → completed, or aborted for a conversion aborted after
 * work began); null for any other change of state (aborting, starting to restore, and restoring a
 * manual without restore steps, emergency → completed, which the restore's own message says) or
 * none.
 */
export function completedPhase(before, after) {
  if (!before || !after || before.state === after.state) return null;
  if (before.state === 'converting' && after.state === 'emergency') return 'convert';
  if (before.state === 'running' && after.state === 'finished') return 'convert';
  if (before.state === 'restoring' && ['completed', 'aborted'].includes(after.state)) return 'restore';
  return null;
}

/**
 * The scenario the overview opens on: the one with the most live conversions under way
 * (`byScenario`: the overview's live_by_scenario), `fallback` when none has any or on a tie
 * with it, else the first of SCENARIOS among the busiest.
 */
export function busiestScenario(byScenario, fallback = 'epidemic') {
  const n = (s) => (byScenario && Number(byScenario[s])) || 0;
  let best = fallback;
  for (const s of SCENARIOS) if (n(s) > n(best)) best = s;
  return best;
}

/** Whether the conversion is still under way (polling, buttons). */
export function isActive(conv) {
  return !!conv && ['converting', 'emergency', 'restoring', 'running'].includes(conv.state);
}

/** Steps of one phase, in the manual's order. */
export function phaseSteps(conv, phase) {
  return (conv?.steps || []).filter((s) => s.phase === phase);
}

/** The codes of a step's predecessors that are not done yet. */
export function openPredecessors(conv, step) {
  const byCode = new Map(phaseSteps(conv, step.phase).map((s) => [s.code, s]));
  return (step.predecessors || []).filter((c) => (byCode.get(c) || {}).status !== 'done');
}

/** Whether the step can start now: its phase is open, it is pending, every predecessor done. */
export function canStartStep(conv, step) {
  return openPhase(conv) === step.phase && step.status === 'pending' && openPredecessors(conv, step).length === 0;
}

/** Whether the step can be finished now. */
export function canFinishStep(conv, step) {
  return openPhase(conv) === step.phase && step.status === 'running';
}

/**
 * Whether a checklist item of the step can be signed now: its phase open, the step running or
 * done (an item checks the step's work; the server answers 409 step_not_started before).
 */
export function canSign(conv, step, item) {
  return openPhase(conv) === step.phase && ['running', 'done'].includes(step.status) && !item.signed_by;
}

/** Whether the item waits for its step to start before it can be signed (phase open, pending). */
export function signWaitsForStart(conv, step, item) {
  return openPhase(conv) === step.phase && step.status === 'pending' && !item.signed_by;
}

/** {done, total, signed, items, overdue} of one phase. */
export function phaseProgress(conv, phase) {
  const steps = phaseSteps(conv, phase);
  const p = { done: 0, total: steps.length, signed: 0, items: 0, overdue: 0, running: 0 };
  for (const s of steps) {
    if (s.status === 'done') p.done++;
    if (s.status === 'running') p.running++;
    if (s.overdue) p.overdue++;
    for (const c of s.checklist || []) {
      p.items++;
      if (c.signed_by) p.signed++;
    }
  }
  return p;
}

/**
 * The dashboard's live conversions, those that need the officer first: over their deadline,
 * then behind the adopted plan's schedule, then with overdue steps (each the most first),
 * the rest in the order given (the server's: by start). A new array.
 */
export function liveFirst(rows) {
  const rank = (r) => (r.over_deadline ? 0 : r.behind_plan > 0 ? 1 : r.overdue_steps > 0 ? 2 : 3);
  return (rows || [])
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || (b.r.behind_plan || 0) - (a.r.behind_plan || 0) || (b.r.overdue_steps || 0) - (a.r.overdue_steps || 0) || a.i - b.i)
    .map((x) => x.r);
}

/** How many live conversions are flagged (over the deadline, behind the plan or with overdue steps). */
export function liveFlagged(rows) {
  return (rows || []).filter((r) => r.over_deadline || r.behind_plan > 0 || r.overdue_steps > 0).length;
}

/**
 * The progress a list shows for a conversion, {done, total}: the convert phase while it
 * converts or runs (its steps make the site ready), both phases once a live conversion
 * restores or has ended. conv either has its steps, or (the overview's rows) the counts
 * steps_done / steps_total and convert_steps_done / convert_steps_total.
 */
export function listProgress(conv) {
  const both = conv.mode !== 'drill' && ['restoring', 'completed'].includes(conv.state);
  if (!conv.steps) {
    return both ? { done: conv.steps_done, total: conv.steps_total } : { done: conv.convert_steps_done, total: conv.convert_steps_total };
  }
  const p = phaseProgress(conv, 'convert');
  if (!both) return { done: p.done, total: p.total };
  const r = phaseProgress(conv, 'restore');
  return { done: p.done + r.done, total: p.total + r.total };
}

const ms = (iso) => (iso ? Date.parse(iso) : NaN);

/**
 * Rows for the conversion Gantt: minutes since the conversion started, per step of both phases.
 *   planned: [start, end] — the manual's earliest start (critical-path schedule) from the
 *            phase's start (restore: when restoring began, else after the convert phase's
 *            planned end, or after the real one once the conversion was ready);
 *   actual:  [start, end] from the step's times, a running step up to `nowMs` (up to when
 *            its clock stopped: stepClockStop, its status then 'stopped': shownStatus), or null;
 *   scheduled: [start, end] — the adopted plan's schedule (planned_start_min, planned_end_min),
 *            or null for a conversion not started by a plan; behindPlan: the server's flag.
 * `schedule` maps a step code of a phase to {earliest_start, critical} (from the manual);
 * without it the earliest starts are computed here from the predecessors.
 */
export function ganttRows(conv, schedule = {}, nowMs = Date.now()) {
  const t0 = ms(conv.started_at);
  const rel = (iso) => (ms(iso) - t0) / 60000;
  const convert = phaseSteps(conv, 'convert');
  const restore = phaseSteps(conv, 'restore');
  const es = (steps, phase) => {
    const computed = earliestStarts(steps);
    return (s) => {
      const k = schedule[`${phase}:${s.code}`];
      return k && Number.isFinite(k.earliest_start) ? k.earliest_start : computed.get(s.code) || 0;
    };
  };
  const esC = es(convert, 'convert');
  const esR = es(restore, 'restore');
  const convertPlanEnd = convert.reduce((m, s) => Math.max(m, esC(s) + s.planned_minutes), 0);
  const restoreOrigin = conv.restore_started_at
    ? rel(conv.restore_started_at)
    : conv.ready_at
      ? rel(conv.ready_at)
      : convertPlanEnd;
  const row = (s, origin, esOf) => {
    const k = schedule[`${s.phase}:${s.code}`] || {};
    const ps = origin + esOf(s);
    let actual = null;
    if (s.started_at) {
      const a = rel(s.started_at);
      const stop = s.finished_at || stepClockStop(conv, s);
      const b = stop ? Math.max(a, rel(stop)) : Math.max(a, (nowMs - t0) / 60000);
      actual = [a, b];
    }
    return {
      id: s.id,
      code: s.code,
      name: s.name,
      phase: s.phase,
      status: shownStatus(conv, s),
      overdue: !!s.overdue,
      late: !!s.late,
      critical: !!k.critical,
      planned: [ps, ps + s.planned_minutes],
      actual,
      scheduled: hasPlanTimes(s) ? [s.planned_start_min, s.planned_end_min] : null,
      behindPlan: !!s.behind_plan,
    };
  };
  return [...convert.map((s) => row(s, 0, esC)), ...(conv.mode === 'drill' ? [] : restore.map((s) => row(s, restoreOrigin, esR)))];
}

const hasPlanTimes = (s) => s.planned_start_min != null && s.planned_end_min != null;

/** Whether the conversion carries an adopted plan's schedule (some step has planned times). */
export function hasPlanSchedule(conv) {
  return (conv?.steps || []).some(hasPlanTimes);
}

/**
 * A clock time of the plan's schedule: the conversion's start + `minutes`, Beijing time, as
 * "HH:mm", or "MM-DD HH:mm" when it falls on another day than the start.
 */
export function planClock(startedAt, minutes) {
  if (!startedAt || minutes === null || minutes === undefined) return '—';
  const at = formatDateTime(new Date(Date.parse(startedAt) + minutes * 60000));
  return at.slice(0, 10) === formatDateTime(startedAt).slice(0, 10) ? at.slice(11, 16) : at.slice(5, 16);
}

/**
 * Earliest start (minutes) of each step from its predecessors (longest path), for steps
 * given in any order; a cycle (which the server refuses) stops at the steps seen.
 */
export function earliestStarts(steps) {
  const byCode = new Map(steps.map((s) => [s.code, s]));
  const out = new Map();
  const visiting = new Set();
  const visit = (s) => {
    if (out.has(s.code)) return out.get(s.code);
    if (visiting.has(s.code)) return 0;
    visiting.add(s.code);
    let start = 0;
    for (const p of s.predecessors || []) {
      const q = byCode.get(p);
      if (q) start = Math.max(start, visit(q) + (Number(q.planned_minutes) || 0));
    }
    visiting.delete(s.code);
    out.set(s.code, start);
    return start;
  };
  for (const s of steps) visit(s);
  return out;
}

/** The codes of a cycle among the steps' predecessors ([A, B, A]), or null (the server refuses cycles). */
export function findCycle(steps) {
  const byCode = new Map(steps.map((s) => [s.code, s]));
  const state = new Map(); // 1 visiting, 2 done
  const path = [];
  const visit = (s) => {
    state.set(s.code, 1);
    path.push(s.code);
    for (const p of s.predecessors || []) {
      const q = byCode.get(p);
      if (!q) continue;
      if (state.get(p) === 1) return [...path.slice(path.indexOf(p)), p];
      if (!state.get(p)) {
        const c = visit(q);
        if (c) return c;
      }
    }
    path.pop();
    state.set(s.code, 2);
    return null;
  };
  for (const s of steps) {
    if (state.get(s.code)) continue;
    const c = visit(s);
    if (c) return c;
  }
  return null;
}

/** Critical-path length of a list of steps (minutes). */
export function criticalPathMinutes(steps) {
  const es = earliestStarts(steps);
  return steps.reduce((m, s) => Math.max(m, (es.get(s.code) || 0) + (Number(s.planned_minutes) || 0)), 0);
}

/**
 * Minutes for people: "45 分钟" / "8 小时 45 分" in Chinese, "45 min" / "8 h 45 min" in English.
 * A tenth of a minute is kept (the API gives times with one decimal and judges a step late on
 * it): 60.3 shows "1 小时 0.3 分", not "1 小时", next to a step planned for an hour and marked
 * late; whole minutes show without a decimal.
 */
export function formatMinutes(m, locale = 'zh-CN') {
  if (m === null || m === undefined || Number.isNaN(Number(m))) return '—';
  const zh = String(locale).toLowerCase().startsWith('zh');
  const tenths = Math.round(Math.max(0, Number(m)) * 10);
  const min = (t) => String(t / 10);
  if (tenths < 600) return zh ? `${min(tenths)} 分钟` : `${min(tenths)} min`;
  const h = Math.floor(tenths / 600), r = tenths % 600;
  if (zh) return r ? `${h} 小时 ${min(r)} 分` : `${h} 小时`;
  return r ? `${h} h ${min(r)} min` : `${h} h`;
}

/**
 * A Gantt row's label on the y axis: "★ S1 name" (the name cut at 12 characters), or only
 * "★ S1" when the chart is narrow (a phone: the names are in the step list below it).
 */
export function ganttRowLabel(row, roomy = true) {
  const head = `${row.critical ? '★ ' : ''}${row.code}`;
  if (!roomy) return head;
  return `${head} ${row.name.length > 12 ? row.name.slice(0, 11) + '…' : row.name}`;
}

/**
 * The Gantt's vertical lines (ECharts markLine data): now (solid) and the target (dashed), each
 * labelled. "Now" is labelled below the chart and the target above it, so the two labels never
 * overlap however close the lines are; a target in the right part of the axis (beyond 60 % of
 * `max`) has its label end at the line, not centred on it (cut off at the edge otherwise).
 */
export function ganttMarks({ now = null, target = null, max = 0, nowLabel = '', targetLabel = '', nowColor = '#2563eb', targetColor = '#dc2626' }) {
  const marks = [];
  if (now != null)
    marks.push({
      xAxis: now,
      lineStyle: { color: nowColor, type: 'solid', width: 1.5 },
      label: { formatter: nowLabel, color: nowColor, position: 'end', distance: 22 },
    });
  if (target)
    marks.push({
      xAxis: target,
      lineStyle: { color: targetColor, type: 'dashed', width: 1.5 },
      label: { formatter: targetLabel, color: targetColor, position: 'start', align: target > max * 0.6 ? 'right' : 'center' },
    });
  return marks;
}

/** "h:mm" for an axis of minutes (negative values allowed). */
export function axisMinutes(m) {
  const sign = m < 0 ? '-' : '';
  const x = Math.round(Math.abs(m));
  return `${sign}${Math.floor(x / 60)}:${String(x % 60).padStart(2, '0')}`;
}

/**
 * The server's "now" (ms) as the conversion answer shows it, so that timers and the Gantt's
 * now line do not depend on the browser's clock: the answer's `as_of` (the server's clock, in
 * every conversion answer). Without it: a conversion still converting (or a drill running) has
 * elapsed_minutes up to now; otherwise a running step whose clock runs on (not one an abort or
 * the end stopped: stepClockStop — its minutes end there, not now) has its actual_minutes up to
 * now. Falls back to the browser's clock. One-decimal minutes make those exact to about 6 s.
 */
export function serverNow(conv, fallback = Date.now()) {
  if (!conv) return fallback;
  const asOf = conv.as_of ? Date.parse(conv.as_of) : NaN;
  if (Number.isFinite(asOf)) return asOf;
  if ((conv.state === 'converting' || conv.state === 'running') && conv.elapsed_minutes != null)
    return Date.parse(conv.started_at) + conv.elapsed_minutes * 60000;
  const s = (conv.steps || []).find((x) => x.status === 'running' && x.started_at && x.actual_minutes != null && !stepClockStop(conv, x));
  if (s) return Date.parse(s.started_at) + s.actual_minutes * 60000;
  return fallback;
}

/** The manual's schedule by "phase:code": {earliest_start, slack, critical}. */
export function manualSchedule(manual) {
  const out = {};
  if (!manual) return out;
  for (const [phase, list] of [['convert', manual.steps || []], ['restore', manual.restore_steps || []]])
    for (const s of list) out[`${phase}:${s.code}`] = { earliest_start: s.earliest_start, slack: s.slack, critical: !!s.critical };
  return out;
}

// ---- emergency stock ----

// Beijing's today and day arithmetic are the calendar's (re-exported for the stock page's tests)
export { addDays, beijingToday };

/** Days before expiry that count as "expires soon" (the server's PJ_STOCK_SOON_DAYS; the
 * per-category totals are the server's, GET /stock/summary). */
export const STOCK_SOON_DAYS = 90;

/**
 * A stock line's state on `today` (Beijing): 'expired' as the server says, 'soon' when its
 * expiry is within STOCK_SOON_DAYS days, else 'ok' (no expiry: 'ok').
 */
export function stockState(line, today) {
  if (line.expired) return 'expired';
  if (line.expiry && line.expiry <= addDays(today, STOCK_SOON_DAYS)) return 'soon';
  return 'ok';
}

/**
 * How many stock lines the stock page's filters keep (category and expiry state, '' for any), as
 * the server counts them: from GET /stock/summary (its categories' `lines` and
 * `lines_by_state`, of the facility filtered by); null without a summary.
 */
export function stockShown(summary, category, state) {
  if (!summary?.categories) return null;
  const cats = category ? summary.categories.filter((c) => c.category === category) : summary.categories;
  return cats.reduce((sum, c) => sum + (state ? (c.lines_by_state?.[state] ?? 0) : c.lines), 0);
}

const MANUAL_CSV_HEADER = ['phase', 'code', 'name', 'planned_minutes', 'team_type', 'team_count', 'predecessors', 'checklist'];
/** One CSV cell as the server's export writes it: a text a spreadsheet would run as a formula
 * (=, +, -, @ first, not a number) or one that starts like a guarded one ('=…) gets an
 * apostrophe, which the manual import drops again; quoted when it holds , " or a line break. */
function csvCell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  const guard = (/^[=+\-@\t\r]/.test(s) && !Number.isFinite(Number(s))) || /^'[=+\-@\t\r]/.test(s);
  if (!guard && !/[,"\r\n]/.test(s)) return s;
  return '"' + (guard ? "'" : '') + s.replace(/"/g, '""') + '"';
}
/**
 * Steps of both phases ({code, name, planned_minutes, team_type, team_count, predecessors,
 * checklist}) as the manual CSV the import reads (the export's columns): a draft that could
 * not be saved can be imported again on the newest version.
 */
export function manualCsv(steps, restoreSteps = []) {
  const line = (phase, s) =>
    [phase, s.code, s.name, s.planned_minutes, s.team_type, s.team_count || 1, (s.predecessors || []).join(';'), (s.checklist || []).join(';')].map(csvCell).join(',');
  return [MANUAL_CSV_HEADER.join(','), ...steps.map((s) => line('convert', s)), ...restoreSteps.map((s) => line('restore', s))].join('\r\n') + '\r\n';
}
