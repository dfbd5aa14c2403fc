// Formatting shared by every page (and imported by the e2e tests, so keep it free of
// browser-only or Vue imports). Dates are shown in Asia/Shanghai whatever the browser's zone.

export const TIME_ZONE = 'Asia/Shanghai';

const partsFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(value) {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const p = {};
  for (const { type, value: v } of partsFmt.formatToParts(d)) p[type] = v;
  return p;
}

/** "2026-11-29 11:58:00" in Beijing time, from an ISO string (the API's UTC "…Z") or a Date. */
export function formatDateTime(value) {
  if (value === null || value === undefined || value === '') return '—';
  const p = parts(value);
  if (!p) return String(value);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * A deadline: one at Beijing midnight is the end of the day before ("2026-12-04 24:00", not
 * "2026-12-05 00:00:00", which reads as a day later); any other instant as formatDateTime.
 */
export function formatDeadline(value) {
  if (value === null || value === undefined || value === '') return '—';
  const p = parts(value);
  if (!p) return String(value);
  if (p.hour !== '00' || p.minute !== '00' || p.second !== '00') return formatDateTime(value);
  const d = parts(new Date(Date.parse(value) - 1000));
  return `${d.year}-${d.month}-${d.day} 24:00`;
}

/** "2026-11-29" in Beijing time. */
export function formatDate(value) {
  const p = value ? parts(value) : null;
  return p ? `${p.year}-${p.month}-${p.day}` : '—';
}

/** The UTC instant ("…Z") at which the given Beijing calendar day (YYYY-MM-DD) starts. */
export function shanghaiDayStartUtc(day, plusDays = 0) {
  const [y, m, d] = day.split('-').map(Number);
  const t = Date.UTC(y, m - 1, d + plusDays, 0, 0, 0) - 8 * 3600 * 1000; // UTC+8, no DST
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function trimFixed(x, digits) {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * A number for people: in Chinese, 1.23万 / 4.5亿 from ten thousand up and digit grouping
 * below; in English, digit grouping (12,345). At most two decimals.
 */
export function formatNumber(n, locale = 'zh-CN') {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  const x = Number(n);
  const zh = String(locale).toLowerCase().startsWith('zh');
  if (zh) {
    const a = Math.abs(x);
    if (a >= 1e8) return trimFixed(x / 1e8, 2) + '亿';
    if (a >= 1e4) return trimFixed(x / 1e4, 2) + '万';
  }
  return x.toLocaleString(zh ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 });
}

/**
 * A number in full, grouped in thousands in either language (12,445), never abbreviated as
 * formatNumber does in Chinese (1.24万): for a table's column or a tooltip's exact value. At
 * most `digits` decimals (0: whole, rounded).
 */
export function fullNumber(n, locale = 'zh-CN', digits = 2) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return Number(n).toLocaleString(String(locale).toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits });
}

/**
 * A number short enough for a chart's axis: in Chinese 100万 / 4.5亿 as formatNumber; in English
 * 1.5M / 200k / 2.6B (so neighbouring labels do not run together).
 */
export function compactNumber(n, locale = 'zh-CN') {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  if (String(locale).toLowerCase().startsWith('zh')) return formatNumber(n, locale);
  const x = Number(n), a = Math.abs(x);
  if (a >= 1e9) return trimFixed(x / 1e9, 2) + 'B';
  if (a >= 1e6) return trimFixed(x / 1e6, 2) + 'M';
  if (a >= 1e3) return trimFixed(x / 1e3, 1) + 'k';
  return x.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** mm:ss (or h:mm:ss) for a count of seconds. */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0'), ss = String(r).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Who did something, as the console shows it: the user's display name (the API's
 * `<key>_name`, e.g. created_by_name), else the username as stored (`<key>`: a user since
 * deleted or without a display name, or a name that never was an account, such as the demo
 * data's "demo"); '' when neither. */
export function byName(row, key) {
  if (!row) return '';
  return row[`${key}_name`] || row[key] || '';
}

/** The username behind byName, for a title (hover text), when a display name is shown in its
 * place; undefined (no title) otherwise. */
export function byTitle(row, key) {
  return row && row[`${key}_name`] && row[key] ? row[key] : undefined;
}

/**
 * Why a phone number typed cannot be called back, as an i18n key of apiRules, or '' (none
 * typed too): the server's rules (src/core/util.c pj_phone_problem) — digits, '+', '-' and
 * spaces; 7 to 15 digits; one beginning with 1, a mobile, 11 digits.
 */
export function phoneProblem(s) {
  const x = String(s ?? '').trim();
  if (!x) return '';
  if (!/^[0-9+\- ]+$/.test(x)) return 'apiRules.phoneChars';
  const n = x.replace(/\D/g, '').length;
  if (n < 7) return 'apiRules.phoneMin';
  if (n > 15) return 'apiRules.phoneMax';
  if (x[0] === '1' && n !== 11) return 'apiRules.phoneMobile';
  return '';
}
