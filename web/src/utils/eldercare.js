// Eldercare helpers shared by the pages and the e2e tests (no Vue or browser imports):
// the GB 11643 check character, walking distances, the three needs of an elder.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits of a citizen ID number, or '' if not digits. */
export function idCheckChar(prefix17) {
  if (!/^\d{17}/.test(prefix17 || '')) return '';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(prefix17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** '' when the 18-character number's check character is right, else the expected one. */
export function idCheckProblem(id) {
  if (!id || id.length !== 18) return '';
  const want = idCheckChar(id);
  return want && want !== id[17] ? want : '';
}

/** The sex an 18-digit ID number states (its 17th digit: odd male 'M', even female 'F'), or ''. */
export function idSex(id) {
  if (!/^\d{17}[\dXx]$/.test(id || '')) return '';
  return Number(id[16]) % 2 === 1 ? 'M' : 'F';
}

/** The birth date an 18-digit ID number states (digits 7–14) as YYYY-MM-DD, or '' when not a date. */
export function idBirth(id) {
  if (!/^\d{17}[\dXx]$/.test(id || '')) return '';
  const d = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const at = new Date(d + 'T00:00:00Z');
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === d ? d : '';
}

/**
 * A registration form's sex and birth date from its ID number as typed: a full 18-digit number
 * gives the sex (no sex is assumed before) and, when none is given yet, the birth date; the API
 * refuses an ID that disagrees with either.
 */
export function fillFromId(form) {
  const sex = idSex(form.id_number);
  if (sex) form.sex = sex;
  const birth = idBirth(form.id_number);
  if (!form.birth_date && birth) form.birth_date = birth;
}

/** Metres from point 1 (the elder) to point 2 (equirectangular, as the pairing solver measures). */
export function distanceM(lat1, lon1, lat2, lon2) {
  const r = 6371008.8, rad = Math.PI / 180;
  const x = (lon2 - lon1) * rad * Math.cos(lat1 * rad);
  const y = (lat2 - lat1) * rad;
  return Math.round(Math.sqrt(x * x + y * y) * r);
}

/** The three needs (三有) of an elder as {meals, doctor, company}: true when covered. */
export function needsOf(e) {
  return { meals: !!e.meals_arranged, doctor: !!e.doctor_contracted, company: !!e.paired_helper };
}

export const SKILLS = ['meals', 'cleaning', 'escort', 'companionship', 'nursing'];
export const SERVICE_KINDS = ['meal', 'doctor_visit', 'companionship', 'cleaning', 'escort', 'nursing'];
export const VISIT_TIERS = ['high_risk', 'key', 'normal'];
export const MEAL_PROVIDERS = ['none', 'family', 'helper', 'canteen'];
export const RELATIONS = ['spouse', 'parent', 'child', 'grandparent', 'grandchild'];
export const ALERT_KINDS = ['missed_meal', 'overdue_visit', 'no_doctor', 'helper_over_capacity', 'helper_id_departed'];

/** The reasons the alert scan writes (src/domain/elder_alerts.c, in English) → keys of
 * eldercare.alertReasons; any other text is shown as the server wrote it. */
export const ALERT_REASONS = {
  'a family-doctor contract is in force': 'doctor',
  'the family-doctor contract changed': 'doctorChanged',
  'a companionship visit was logged': 'visited',
  "no longer overdue at the elder's visit interval": 'notOverdue',
  'a meal was logged for that day': 'meal',
  'no longer over capacity': 'capacity',
  'the elder is moved': 'moved',
  'the elder is deceased': 'deceased',
  'the helper is inactive': 'helperInactive',
  "no elder of the helper's ID number is moved or deceased any more": 'idBack',
};

/**
 * An alert's detail as the scan writes it (src/domain/elder_alerts.c, English) → [message key,
 * values] for the console's language, or null for any other text (shown as written).
 */
export function alertDetail(text) {
  const s = String(text || '');
  let m;
  if ((m = /^no meal logged by (\d\d:\d\d) on (\d{4}-\d\d-\d\d)$/.exec(s))) return ['meal', { time: m[1], date: m[2] }];
  if ((m = /^no companionship visit for more than (\d+) days \((\w+)\)$/.exec(s))) return ['visit', { days: m[1], tier: m[2] }];
  if (s === 'no family-doctor contract') return ['noDoctor', {}];
  if ((m = /^family-doctor contract not in force \((.*) – (.*)\)$/.exec(s))) return ['doctorOut', { from: m[1], until: m[2] }];
  if ((m = /^paired with (\d+) elders, capacity (\d+)$/.exec(s))) return ['capacity', { n: Number(m[1]), cap: m[2] }];
  // helper_id_departed: raised by an elder's departure (src/domain/elder_alerts.c)
  if ((m = /^an elder of the same ID number was recorded (moved|deceased) on (\d{4}-\d\d-\d\d)$/.exec(s))) return [m[1] === 'moved' ? 'idMoved' : 'idDeceased', { date: m[2] }];
  return null;
}

/**
 * A pair's reason as the server writes it (English, from the pairing run, an edited proposal
 * or a pair made by hand without a note) → [key of eldercare.pairReasons, values], to be said
 * in the console's language; null for a note typed by hand (shown as written).
 */
export function pairReason(text) {
  const s = String(text || '');
  let m;
  if ((m = /^(.+): (\d+) m away, (same village|another village[^;]*); has ([a-z+_]*)(, (female|male) as preferred)?; choice (\d+) of (\d+) helpers within ([\d.]+) km$/.exec(s)))
    return ['run', { helper: m[1], d: m[2], same: m[3] === 'same village', skills: m[4] ? m[4].split('+') : [], sex: m[6] || '', rank: m[7], n: Number(m[8]), walk: m[9] }];
  if ((m = /^(.+): chosen by (\S+); (\d+) m away, (same village|another village)$/.exec(s))) return ['chosen', { helper: m[1], user: m[2], d: m[3], same: m[4] === 'same village' }];
  if ((m = /^paired by (\S+); (\d+) m away$/.exec(s))) return ['byHand', { user: m[1], d: m[2] }];
  // the demo's pairs of an older build (a demo built now gives the run's reason)
  if (s === 'demo: proposed by the solver, accepted') return ['demo', {}];
  return null;
}

/** A distance in whole metres with its digits grouped (1,682; 21,600 — not 2.16万 before 米). */
export function metresGrouped(m, locale) {
  return Math.round(Number(m)).toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN');
}

/** A distance said with its unit (t: the i18n function): metres grouped (350 米, 1,048 m), or
 * from `kmFrom` metres on in km to a tenth (2.2 公里, 21.6 km). */
export function distanceText(t, m, locale, kmFrom = 1000) {
  const n = Number(m);
  if (n < kmFrom) return t('common.metres', { n: metresGrouped(n, locale) });
  const km = Math.round(n / 100) / 10;
  return t('eldercare.kmAway', { n: km.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 1 }) });
}

/**
 * Why a pair ended, for the console: the notes the server writes itself (`deceased`, `moved`,
 * `moved township`, `helper inactive`) in the console's language, a note typed by an officer as
 * written, '' for none.
 */
export const ENDED_NOTES = ['deceased', 'moved', 'moved township', 'helper inactive'];
export function endedNoteText(t, note) {
  if (!note) return '';
  return ENDED_NOTES.includes(note) ? t('eldercare.endedNotes.' + note) : note;
}

/** Minutes as hours of credit, two decimals ("1.50"). */
export function creditsOf(minutes) {
  return (Math.round((Number(minutes) / 60) * 100) / 100).toFixed(2);
}

/** A Date as the value of an <input type="datetime-local"> in Beijing time ("2026-11-29T14:05"). */
export function toBeijingInput(d) {
  return new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

/** The value of such an input (Beijing time) as the API's UTC "…Z"; '' when empty or malformed. */
export function fromBeijingInput(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s || '');
  if (!m) return '';
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) - 8 * 3600 * 1000;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The weekdays of an elder's meals (1 Monday … 7 Sunday; the days the missed-meal scan looks
 * for a meal on) in words: 周一、周三、周五 / Monday, Wednesday, Friday; 每天 / every day. */
export function mealDaysText(t, days) {
  if (days.length >= 7) return t('eldercare.mealRange.all');
  return days.map((d) => t('eldercare.weekday.' + d)).join(t('common.listSep'));
}
