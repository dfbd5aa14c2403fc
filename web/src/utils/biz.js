// Pure helpers of the enterprise and development pages (also imported by the e2e tests, so no
// Vue or browser imports): which appeal actions a role may take in a state, overdue, rates,
// money in fen, CSV checks, slot grids for the studio calendar, the KPI period, the actions on
// a financing match.
import { formatNumber } from './format.js';
import { addDays, isDay } from './calendar.js';
import { can } from '../auth/permissions.js';

export const APPEAL_STATES = ['received', 'dispatched', 'in_progress', 'replied', 'closed', 'returned', 'reopened', 'escalated'];
export const APPEAL_TYPES = ['inquiry', 'help', 'complaint', 'report', 'suggestion'];
export const APPEAL_CATEGORIES = ['permits', 'land', 'financing', 'talent', 'utilities', 'tax', 'market', 'logistics', 'other'];
export const APPEAL_CHANNELS = ['reception_day', 'phone', 'account', 'visit'];
export const RATINGS = ['satisfied', 'basically', 'not_satisfied'];
export const OFFICER_ROLES = ['admin', 'district_officer', 'township_officer'];

/** From which states each action may be taken (docs/api-enterprise.md, "Appeals"). */
const FROM = {
  // escalated: only one escalated without a department (none could be named); see below
  dispatch: ['received', 'returned', 'escalated'],
  accept: ['dispatched', 'reopened', 'escalated'],
  return: ['dispatched', 'in_progress'],
  reply: ['in_progress', 'escalated'],
  rate: ['replied'],
  close: ['replied'],
  // overdue ones nobody has taken on too: escalating hands them to a department
  escalate: ['received', 'returned', 'dispatched', 'in_progress', 'reopened'],
  visit: APPEAL_STATES.filter((s) => s !== 'received'),
};
export const APPEAL_ACTIONS = Object.keys(FROM);

/** Past its completion deadline and not yet answered. */
export function isOverdue(a, now = Date.now()) {
  if (!a || !a.complete_due) return false;
  return !['replied', 'closed'].includes(a.state) && Date.parse(a.complete_due) < now;
}

/**
 * Escalated in its current round of handling already (an `escalate` event after the latest
 * reopening, or since receipt): escalating it again is 409 already_escalated.
 */
export function escalatedThisRound(a) {
  const ev = (a && a.events) || [];
  let since = -1;
  ev.forEach((e, i) => {
    if (e.to_state === 'reopened') since = i;
  });
  return ev.some((e, i) => i > since && e.action === 'escalate');
}

/** The appeal's reply is an earlier round's: reopened since, the new round not replied to yet. */
export function replyOfEarlierRound(a) {
  return Boolean(a && a.reply && a.reply_round && a.reply_round <= (a.reopens || 0));
}

/**
 * The return visit of this round is recorded after the reply (an officer may rate). A reply
 * clears the visit made before it (docs/api-enterprise.md), so a visit on a replied or closed
 * appeal is the call-back on its reply (within the reply's second, maybe: times are whole
 * seconds); on an appeal in hand (a reopened one too: `replied_at` is the earlier round's) it
 * came before this round's reply.
 */
export function visitedAfterReply(a) {
  return Boolean(a && a.visited_at && a.replied_at && ['replied', 'closed'].includes(a.state) && Date.parse(a.visited_at) >= Date.parse(a.replied_at));
}

/** The actions the role may take on this appeal now (the server stays the authority). */
export function appealActions(role, a, now = Date.now()) {
  if (!a) return [];
  const officer = OFFICER_ROLES.includes(role);
  const out = [];
  for (const [act, states] of Object.entries(FROM)) {
    if (!states.includes(a.state)) continue;
    if (act === 'rate' ? !(officer || role === 'enterprise') : !officer) continue;
    // an officer rates at the return visit: once this round's visit is recorded after the
    // reply (else 409 visit_required); the enterprise at any time
    if (act === 'rate' && role !== 'enterprise' && !visitedAfterReply(a)) continue;
    // a reply the firm has not rated is closed only after this round's return visit (else 409
    // visit_required): until then the firm has its say
    if (act === 'close' && !visitedAfterReply(a)) continue;
    if (act === 'escalate' && (!isOverdue(a, now) || escalatedThisRound(a))) continue;
    // escalated without a department: dispatched next (accepting or replying to it is 409);
    // with one: accepted or replied to
    if (a.state === 'escalated' && act === 'dispatch' && a.department_id) continue;
    if (a.state === 'escalated' && ['accept', 'reply'].includes(act) && !a.department_id) continue;
    if (act === 'visit' && !a.visit_due) continue;
    out.push(act);
  }
  return out;
}

/**
 * The states a reception day may be given (docs/api-enterprise.md): a planned day is held, from
 * its date on (`today`, Beijing), or cancelled; a cancelled day is put back to planned up to its
 * date; a held day stays so. (A day with appeals raised at it is not cancelled either: the
 * server says so, 409 has_appeals.)
 */
export function receptionStates(day, today) {
  if (!day) return [];
  if (day.state === 'cancelled' && day.held_on >= today) return ['cancelled', 'planned'];
  if (day.state !== 'planned') return [day.state];
  return ['planned', 'held', 'cancelled'].filter((s) => s !== 'held' || day.held_on <= today);
}

/** Escalating these hands the appeal to a department: `department_id` may be given. */
export const UNASSIGNED_STATES = ['received', 'returned'];

/** 0.8221 → "82.2%" (rates from the API are fractions). */
export function pct(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  return (Number(x) * 100).toFixed(digits).replace(/\.0+$/, '') + '%';
}

/** fen → yuan with 万/亿 in Chinese. */
export function money(fen, locale = 'zh-CN') {
  if (fen === null || fen === undefined) return '—';
  return formatNumber(Number(fen) / 100, locale);
}

/**
 * An amount in fen for a tile that must stay short: 万/亿 in Chinese (as formatNumber), K/M/B in
 * English ("9.99M"); the full value goes in the tile's tooltip (money()).
 */
export function moneyShort(fen, locale = 'zh-CN') {
  return fen === null || fen === undefined ? '—' : numberShort(Number(fen) / 100, locale);
}
/** A count for a tile: 1.68万 in Chinese, 167.03K in English (below 10,000 as it is). */
export function numberShort(n, locale = 'zh-CN') {
  if (n === null || n === undefined) return '—';
  const x = Number(n);
  if (String(locale).toLowerCase().startsWith('zh')) {
    // ten million and more in whole 万 (5706万, not 5705.66万 cut in its tile); a hundred
    // million and more in 亿 with two decimals, as formatNumber
    const a = Math.abs(x);
    if (a >= 1e7 && a < 1e8) return `${Math.round(x / 1e4)}万`;
    return formatNumber(x, locale);
  }
  const a = Math.abs(x);
  const r = (y) => Number(y).toLocaleString('en-US', { maximumFractionDigits: 2 });
  return a >= 1e9 ? `${r(x / 1e9)}B` : a >= 1e6 ? `${r(x / 1e6)}M` : a >= 1e4 ? `${r(x / 1e3)}K` : r(x);
}

/** Every month from `from` to `to` (YYYY-MM, both included), so a chart's axis has no gaps. */
export function monthRange(from, to) {
  const out = [];
  if (!from || !to) return out;
  let [y, m] = from.split('-').map(Number);
  const [y1, m1] = to.split('-').map(Number);
  while ((y < y1 || (y === y1 && m <= m1)) && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) (m = 1), y++;
  }
  return out;
}

/** Every year from `from` to `to` (both included, as strings), so a chart's axis has no gaps. */
export function yearRange(from, to) {
  const out = [];
  for (let y = Number(from); y <= Number(to) && out.length < 1000; y++) out.push(String(y));
  return out;
}

/** Values on a full axis: `periods` in order, each one's value from `rows` (by `period(row)`)
 * or null where there is none — a gap in the line, not a zero, and not joined across. */
export function onAxis(periods, rows, period, value) {
  const by = new Map(rows.map((r) => [String(period(r)), value(r)]));
  return periods.map((p) => (by.has(p) ? by.get(p) : null));
}

// The API's Chinese units in English: [multiplier, English unit] (万 = 10⁴, 亿 = 10⁸)
const EN_UNITS = {
  亿元: [1e8, 'yuan'], 万元: [1e4, 'yuan'], 元: [1, 'yuan'], 万吨: [1e4, 't'], 吨: [1, 't'], 万吨标准煤: [1e4, 'tce'], 吨标准煤: [1, 'tce'],
  家: [1, 'enterprises'], 个: [1, ''], 人: [1, 'people'], 万人: [1e4, 'people'], 人次: [1, 'visits'], 万人次: [1e4, 'visits'], 亩: [1, 'mu'], 万亩: [1e4, 'mu'],
  件: [1, 'items'], 万件: [1e4, 'items'], 单: [1, 'orders'], 万单: [1e4, 'orders'], 场: [1, 'sessions'], 平方米: [1, 'm²'], 万平方米: [1e4, 'm²'], 公里: [1, 'km'],
  天: [1, 'days'], 小时: [1, 'h'], 年: [1, 'years'], 项: [1, 'items'], 次: [1, 'times'],
};
/** A large English amount: 2,655,000,000 → "2.66 billion". */
function enAmount(x) {
  const a = Math.abs(x);
  const r = (y) => Number(y).toLocaleString('en-US', { maximumFractionDigits: 2 });
  return a >= 1e9 ? `${r(x / 1e9)} billion` : a >= 1e6 ? `${r(x / 1e6)} million` : r(x);
}

/** A value in its unit, rounded for reading: 519.36768 亿元 → "519.37 亿元" ("51.94 billion yuan" in English). */
export function withUnit(v, unit, locale = 'zh-CN') {
  if (v === null || v === undefined) return '—';
  if (!String(locale).startsWith('zh') && unit && EN_UNITS[unit] && Number.isFinite(Number(v))) {
    const [k, u] = EN_UNITS[unit];
    return `${enAmount(Number(v) * k)} ${u}`.trim();
  }
  const u = unit === 'pp' ? (String(locale).startsWith('zh') ? '个百分点' : ' pp') : unit || '';
  const n = unit && /[万亿]/.test(unit) ? Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }) : formatNumber(v, locale);
  return u === '%' || u === '个百分点' || u === ' pp' ? `${n}${u}` : `${n} ${u}`.trim();
}

/** A unit's name alone, for a heading, a column or an axis: 亿元 → "100 M yuan", 万吨标准煤 →
 * "10k tce", 家 → "enterprises" in English; Chinese as it is. A unit without English stays. */
export function unitName(unit, locale = 'zh-CN') {
  if (!unit || String(locale).startsWith('zh') || !EN_UNITS[unit]) return unit || '';
  const [k, u] = EN_UNITS[unit];
  const scale = k === 1e8 ? '100 M' : k === 1e4 ? '10k' : '';
  return [scale, u].filter(Boolean).join(' ') || (unit === '个' ? 'count' : unit);
}

/** A text with a note in the language's brackets: "Value (100 M yuan)", "数值（亿元）"; no note, no brackets. */
export function withBrackets(text, note, locale = 'zh-CN') {
  if (note === null || note === undefined || note === '') return text;
  return String(locale).startsWith('zh') ? `${text}（${note}）` : `${text} (${note})`;
}

/** The headline number of a dashboard figure and its unit. */
export function headline(fig) {
  const f = fig.figure || fig;
  if (f.fn === 'rank') return { value: f.rank, unit: `/${f.of}` };
  if (f.fn === 'points') return { value: f.rounded, unit: 'pp' };
  if ('decline_rate_rounded' in f) return { value: f.decline_rate_rounded, unit: '%' };
  if ('rounded' in f) return { value: f.rounded, unit: f.unit };
  return { value: f.value, unit: f.unit };
}

/** Half-hour slots of a Beijing day as UTC ISO strings: [{start, end, label}] from hour h0 to h1. */
export function daySlots(day, h0 = 0, h1 = 24) {
  const [y, m, d] = day.split('-').map(Number);
  const out = [];
  for (let t = h0 * 2; t < h1 * 2; t++) {
    const s = Date.UTC(y, m - 1, d, 0, t * 30) - 8 * 3600e3;
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    out.push({ start: iso(s), end: iso(s + 1800e3), label: `${String(Math.floor(t / 2)).padStart(2, '0')}:${t % 2 ? '30' : '00'}` });
  }
  return out;
}

/** The booking covering a slot, if any. */
export function bookingAt(bookings, studioId, slotStart) {
  const t = Date.parse(slotStart);
  return bookings.find((b) => b.studio_id === studioId && Date.parse(b.starts_at) <= t && t < Date.parse(b.ends_at)) || null;
}

/** Element Plus tag types of appeal states. */
export const STATE_TAG = {
  received: 'info',
  dispatched: 'primary',
  in_progress: 'warning',
  replied: 'success',
  closed: 'info',
  returned: 'danger',
  reopened: 'danger',
  escalated: 'danger',
};

/**
 * The KPI period as picked (both days included, as a date range reads) → the API's
 * `from`/`to`, whose `to` is excluded: the day after the last one. A single day is [d, d + 1).
 * A last day that is no date (typed into the address) goes as it is: the server names it.
 */
export function kpiPeriod([from, last]) {
  return { from, to: isDay(last) ? addDays(last, 1) : last };
}
/** A calendar year as the KPI page's range: 1 January to 31 December, both included. */
export const kpiYear = (y) => [`${y}-01-01`, `${y}-12-31`];

/**
 * The actions a user may take on a match of a financing need now (docs/api-enterprise.md,
 * "Bank–enterprise matching"; the server stays the authority). The need's own enterprise
 * grants or refuses consent and applies or withdraws; the product's bank (an enterprise user
 * of that bank) approves or rejects an application; officers do both sides but consent. A
 * matched need (one match approved) offers no new consent, application or approval; its
 * other matches may still be refused, rejected or withdrawn. Withdrawal is offered where a
 * bank sees the match (consent granted) or an application is open.
 */
export function financeActions(user, need, m) {
  if (!user || !need || !m) return [];
  const officer = OFFICER_ROLES.includes(user.role);
  const ent = user.role === 'enterprise' && !!user.organisation_id;
  const bank = ent && m.bank_id === user.organisation_id;
  const firm = ent && !bank && m.enterprise?.organisation_id === user.organisation_id;
  const open = need.state === 'open';
  const out = [];
  if (firm && m.consent === 'pending') {
    if (open) out.push('grant');
    out.push('refuse');
  }
  if ((firm || officer) && open && m.consent === 'granted' && m.outcome === 'pending') out.push('apply');
  if ((bank || officer) && m.outcome === 'applied') {
    if (open) out.push('approve');
    out.push('reject');
  }
  if ((firm || officer) && (m.outcome === 'applied' || (m.outcome === 'pending' && m.consent === 'granted'))) out.push('withdraw');
  // the firm takes its consent back while no application stands on it (the bank then sees nothing)
  if (firm && m.consent === 'granted' && (m.outcome === 'pending' || m.outcome === 'withdrawn')) out.push('revoke');
  return out;
}

/**
 * Whether a user may correct, close or reopen a cooperation post (编辑 / 关闭 / 重新开放;
 * docs/api-enterprise.md, "Cooperation board"): the post's firm, the district's officers, and a
 * township officer of the firm's township (`organisation_township_id`) — not of the township
 * the post is for, which may be another.
 */
export function mayChangePost(user, post) {
  if (!post || !user || !can(user, 'ent.act')) return false;
  if (user.role === 'enterprise') return post.organisation_id === user.organisation_id;
  if (user.role === 'township_officer') return !!user.township_id && post.organisation_township_id === user.township_id;
  return true;
}

/** The approved match of a need among those the reader sees, or null. */
export const approvedMatch = (need) => (need?.matches || []).find((m) => m.outcome === 'approved') || null;

/** A growth in % from the API at full precision (13.5959…) → "+13.6%" (signed, one decimal). */
export function growthPct(g, digits = 1) {
  if (g === null || g === undefined || Number.isNaN(Number(g))) return '—';
  const s = Number(g).toFixed(digits).replace(/\.0+$/, '');
  return (Number(s) > 0 ? '+' : '') + s + '%';
}
