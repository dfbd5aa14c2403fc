// Pure helpers of the holiday-calendar page (also imported by the e2e tests, so no Vue or
// browser imports). Days are civil dates 'YYYY-MM-DD', computed in UTC: no time zone enters.

export const CAL_KINDS = ['holiday', 'workday'];
/** Names of the State Council's notices (the make-up working days: the name + 调休). */
export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];
/** Their keys in the message files (entCal.holidays), for the name in the chosen language. */
const HOLIDAY_KEYS = { 元旦: 'newYear', 春节: 'springFestival', 清明节: 'qingming', 劳动节: 'labourDay', 端午节: 'dragonBoat', 中秋节: 'midAutumn', 国庆节: 'nationalDay' };
const MAKE_UP = '调休';

/** A calendar entry's name as one of the notices' holidays: {key, makeUp} (makeUp: the name is
 * the holiday's + 调休, a make-up working day), or null for a name of the officers' own. */
export function holidayOf(name) {
  if (typeof name !== 'string') return null;
  const n = name.trim();
  const makeUp = n.endsWith(MAKE_UP);
  const key = HOLIDAY_KEYS[makeUp ? n.slice(0, -MAKE_UP.length) : n];
  return key ? { key, makeUp } : null;
}
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A day without its year as read in the language: "5/9" in Chinese (5月9日), "9 May" in
 * English (a British reader takes 5/9 for 5 September). */
export function monthDay(day, locale) {
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  return locale === 'en' ? `${d} ${MONTHS_EN[m - 1]}` : `${m}/${d}`;
}
/** The two ends of a run of days, as [from, to]: in English a run within one month names the
 * month once ("4–6 Apr"), in Chinese each end as monthDay ("4/4–4/6"). */
export function monthDayRun(from, to, locale) {
  if (locale === 'en' && from.slice(0, 7) === to.slice(0, 7)) return [String(Number(from.slice(8, 10))), monthDay(to, locale)];
  return [monthDay(from, locale), monthDay(to, locale)];
}
/** The longest run of days entered at once (the longest public holiday is 8–9 days). */
export const MAX_RANGE = 31;

const DAY_MS = 86400e3;
const dayMs = (day) => Date.parse(day + 'T00:00:00Z');
const toDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Today in Beijing (UTC+8, no daylight saving). */
export const beijingToday = (now = Date.now()) => toDay(now + 8 * 3600e3);

/** A date picker's cell (a local Date) as the day it shows, YYYY-MM-DD. */
export const pickerDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** A date picker's cell (a local Date) is after Beijing's today: the picker's rule for dates
 * that may not be in the future (the server's calendar decides). */
export const afterBeijingToday = (d, now = Date.now()) => pickerDay(d) > beijingToday(now);

export const isDay = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && toDay(dayMs(s)) === s;

export const addDays = (day, n) => toDay(dayMs(day) + n * DAY_MS);

/** 0 = Monday … 6 = Sunday (weeks start on Monday in China). */
export const weekdayMon = (day) => (new Date(dayMs(day)).getUTCDay() + 6) % 7;

export const isWeekend = (day) => weekdayMon(day) >= 5;

/** Every day from `from` to `to`, both included ([] when to is before from). */
export function dayRange(from, to) {
  if (!isDay(from) || !isDay(to) || to < from) return [];
  const out = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A month as weeks of 7 cells, Monday first: each cell a day 'YYYY-MM-DD' or null. */
export function monthWeeks(year, month) {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  const days = [];
  for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = addDays(d, 1)) days.push(d);
  const cells = [...Array(weekdayMon(first)).fill(null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** Whether a day is worked: the calendar's entry (holiday / workday), else Monday to Friday. */
export function isWorkday(day, byDay) {
  const e = byDay && byDay.get(day);
  if (e) return e.kind === 'workday';
  return !isWeekend(day);
}

/** The year's working days under the calendar (byDay: Map day → entry). */
export function workdaysInYear(year, byDay) {
  let n = 0;
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) n += isWorkday(d, byDay) ? 1 : 0;
  return n;
}

/**
 * What to warn of before entering `kind` on `day` (the server accepts both): a make-up working
 * day on a weekday changes nothing, Monday to Friday are worked anyway — most likely a mistyped
 * date. Answers 'workday_weekday' or ''.
 */
export function entryWarning(day, kind) {
  if (!isDay(day)) return '';
  return kind === 'workday' && !isWeekend(day) ? 'workday_weekday' : '';
}
