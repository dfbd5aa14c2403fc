// Turns an ApiError into messages: next to the form field the API named in error.field
// (e.g. "emergency_roles[0].capacity"), or as one general message when the form has no
// such field. The server's messages are English: in English they are shown after a short
// label for the error code, the API's field names in them (facility_id) said by their labels;
// in Chinese the message is built from the code and the field (the form's label for it, else
// the common field names of `fields`), never the English text. A code that means something
// more precise at one field (apiFieldErrors: a user name taken, the current password wrong)
// has its own text in both languages.
import { customRef, getCurrentScope, nextTick, reactive, ref, watch } from 'vue';
import { i18n } from '@/i18n/index.js';
import { errorsAgain } from '@/plugins/formItem.js';
import { ApiError } from '@/api/client.js';

/** The label of an API field: from `labels` (object or function), else fields.<name>. */
function fieldLabel(field, labels) {
  if (!field) return '';
  const { t, te } = i18n.global;
  const own = typeof labels === 'function' ? labels(field) : labels && labels[field];
  if (own) return own;
  const base = field.replace(/\[\d+\]/g, '').split('.').pop();
  return te('fields.' + field) ? t('fields.' + field) : te('fields.' + base) ? t('fields.' + base) : '';
}

/**
 * The server's English message with the API's field names (facility_id, grid_ids,
 * emergency_roles[0].capacity…) said by their labels, where the labels know them; plain words
 * (name, role) read as English already. A label inside a sentence starts in lower case unless
 * it is an abbreviation ("ID number").
 */
function labelledMessage(msg, field, labels) {
  if (!msg) return msg;
  const names = new Set(msg.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\[\d+\])?(?:\.[a-z][a-z0-9_]*)*\b/g) || []);
  // the error's own field, a single word too ("tonnes is required" under 货运量（吨）)
  if (field && msg.includes(field)) names.add(field);
  let out = msg;
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    const label = fieldLabel(name, labels);
    if (!label) continue;
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(^|[^\\w.\\[])${esc}(?![\\w\\[])`, 'g'), (m, pre, at) => {
      const start = at === 0 || /[.:;]\s*$/.test(out.slice(0, at + pre.length));
      const lower = !start && /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
      return pre + lower;
    });
  }
  return out;
}

// the few rules the server states with numbers, said again in Chinese (the rest: the code's
// label); [pattern, key, alone, numbers]: alone, the rule's text stands for the code's label;
// numbers, its figures are bounds, grouped as the user's language writes them
const RULES = [
  [/([\d.]+) (?:barrier-free )?(\w+) is more \w+ than the facility's (\d+) \(peacetime_capacity\)/, 'apiRules.moreThanFacility', true],
  [/([\d.,]+) m² is more than the warehouse has left: of its ([\d.,]+) m², .* let ([\d.,]+) m² \(([\d.,]+) m² left\)/, 'apiRules.areaLeft', true],
  [/(\d{4}-\d{2}-\d{2}) is in the future.*\(today is (\d{4}-\d{2}-\d{2})(?:, Beijing time)?\)/, 'apiRules.futureToday', true],
  [/is in the future|not in the future/, 'apiRules.future', true],
  [/(\d{4}-\d{2}-\d{2}) is before (?:\w+ )*(\d{4}-\d{2}-\d{2})/, 'apiRules.before', false],
  [/must be between (-?[\d.]+(?:e[+-]?\d+)?) and (-?[\d.]+(?:e[+-]?\d+)?)/, 'apiRules.between', false, true],
  [/must be a date YYYY-MM-DD/, 'apiRules.dateFormat', true], // a date of another length
  [/at least (\d+) characters/, 'apiRules.minChars'],
  [/(?:at most|longer than) (\d+) (?:characters|bytes)/, 'apiRules.maxChars'],
  [/must be (?:at least|>=) (-?[\d.]+(?:e[+-]?\d+)?)/, 'apiRules.min', false, true],
  [/must be (?:at most|<=) (-?[\d.]+(?:e[+-]?\d+)?)/, 'apiRules.max', false, true],
  [/have a cycle: (.*\S)/, 'apiRules.cycle'], // the steps' codes, e.g. S1 → S2 → S1
  [/must not be blank/, 'apiRules.blank', true], // a text of spaces only
  [/may not be null/, 'apiRules.notNull', true], // a field a change may not leave empty
  [/must be a whole number/, 'apiRules.whole', true], // rooms, beds, vehicles: no fractions
  [/must be an integer, not /, 'apiRules.whole', true], // a JSON number with a fraction (steps[i].planned_minutes)
  [/try again in (\d+) minutes?/, 'apiRules.retryMinutes'], // a lock after wrong passwords
  [/must not contain the user name/, 'apiRules.noUsername'],
  [/at least (\d+) different characters/, 'apiRules.distinctChars'],
  [/one of the first ones guessed/, 'apiRules.guessedFirst'],
  [/is named by (\d+) step\(s\) of (\d+) manual\(s\) \(ids ([^)]*)\)/, 'apiRules.teamTypeInUse', true], // a team type still used
  // a reception day with appeals raised at it keeps its date (a move refused, 409 has_appeals)
  [/(\d+) appeals? (?:was|were) raised at the reception day \S+ a day with appeals is not moved/, 'apiRules.appealsKeepDate', true],
  [/spans more than (\d+) months/, 'apiRules.maxMonths', true], // a KPI period over 20 years  // what a phone number or a resident ID number may be (contact phones, streamers)
  [/phone number has digits, '\+', '-' and spaces only/, 'apiRules.phoneChars', true],
  [/must be 11 digits starting 1/, 'apiRules.mobile11', true],
  [/phone number has at least 7 digits/, 'apiRules.phoneMin', true],
  [/phone number has at most 15 digits/, 'apiRules.phoneMax', true],
  [/mobile number \(beginning with 1\) has 11 digits/, 'apiRules.phoneMobile', true],
  // a helper in one place at a time (service logs), pairs within a township (eldercare)
  [/helper (\d+) is logged with another elder at an overlapping time \(log (\d+), elder (\d+)\)/, 'apiRules.helperBusyElder', true],
  [/helper (\d+) is logged elsewhere at an overlapping time \(until (\d\d:\d\d)\)/, 'apiRules.helperBusyUntil', true],
  [/the helper lives in another township than the elder/, 'apiRules.otherTownship', true],
  // the academy's and the livestream zone's rules (Chinese said only the code: 取值无效, 无权限)
  [/^ends_on is before starts_on$/, 'apiRules.endsBeforeStarts', true],
  [/is not of your township: the organisation would see the streamer's personal data/, 'apiRules.orgOtherTownship', true],
  [/a streamer of organisation \d+ is in its township/, 'apiRules.streamerOrgTownship', true],
  [/(?:session|sales) with GMV \(gmv_fen \d+\) ha(?:s|ve) at least one order/, 'apiRules.gmvNeedsOrders', true],
  [/the session is outside the cohort's dates (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/, 'apiRules.sessionOutsideCohort', true],
  [/under 18 on (\d{4}-\d{2}-\d{2}) and the guardian's consent is dated (\d{4}-\d{2}-\d{2})/, 'apiRules.consentAfter', true],
  [/18-character resident ID number with its check digit/, 'apiRules.idNumber', true],
  [/characters 7-14 must be the birth date/, 'apiRules.idBirth', true],
];

// the records a refused delete names (409 in_use: "… is referred to by 2 agri-tech projects, 1
// expert", src/domain/refs.c's words), in Chinese: 国农港项目 2 条、专家 1 条
const REF_NOUNS = {
  'academy cohort': '班级',
  'academy cohorts': '班级',
  'job post': '就业岗位',
  'job posts': '就业岗位',
  'academy enrolment': '学员报名',
  'academy enrolments': '学员报名',
  'practice record': '实训记录',
  'practice records': '实训记录',
  expert: '专家',
  experts: '专家',
  'doctor farm': '博士农场',
  'doctor farms': '博士农场',
  'agri-tech lab': '实验室',
  'agri-tech labs': '实验室',
  'project milestone': '项目里程碑',
  'project milestones': '项目里程碑',
  'agri-tech project': '国农港项目',
  'agri-tech projects': '国农港项目',
  'research result': '科研成果',
  'research results': '科研成果',
  'greenhouse section': '温室分区',
  'greenhouse sections': '温室分区',
  'result transfer': '成果转化',
  'result transfers': '成果转化',
  'conversion check': '转换检查',
  'conversion checks': '转换检查',
  'conversion step': '转换步骤',
  'conversion steps': '转换步骤',
  conversion: '转换',
  conversions: '转换',
  'time-credit entry': '时间积分记录',
  'time-credit entries': '时间积分记录',
  'e-commerce base': '电商基地',
  'e-commerce bases': '电商基地',
  'studio booking slot': '直播间预约时段',
  'studio booking slots': '直播间预约时段',
  'studio booking': '直播间预约',
  'studio bookings': '直播间预约',
  'follower count': '粉丝数记录',
  'follower counts': '粉丝数记录',
  'product sales record': '商品销售记录',
  'product sales records': '商品销售记录',
  'e-commerce product': '电商商品',
  'e-commerce products': '电商商品',
  'live session product': '直播场次商品',
  'live session products': '直播场次商品',
  'live session': '直播场次',
  'live sessions': '直播场次',
  streamer: '主播',
  streamers: '主播',
  'livestream studio': '直播间',
  'livestream studios': '直播间',
  'zone enterprise': '功能区入驻企业',
  'zone enterprises': '功能区入驻企业',
  'eldercare alert': '养老预警',
  'eldercare alerts': '养老预警',
  'eldercare centre': '养老服务驿站',
  'eldercare centres': '养老服务驿站',
  'pairing proposal': '结对建议',
  'pairing proposals': '结对建议',
  'pairing run': '结对运算',
  'pairing runs': '结对运算',
  'helper pair': '结对',
  'helper pairs': '结对',
  'service log': '服务记录',
  'service logs': '服务记录',
  elder: '老人',
  elders: '老人',
  'energy use record': '用能记录',
  'energy use records': '用能记录',
  'appeal history entry': '诉求办理记录',
  'appeal history entries': '诉求办理记录',
  'appeal rating': '诉求评价',
  'appeal ratings': '诉求评价',
  'enterprise appeal': '企业诉求',
  'enterprise appeals': '企业诉求',
  'bank product': '金融产品',
  'bank products': '金融产品',
  'cooperation contact': '合作联系',
  'cooperation contacts': '合作联系',
  'cooperation post': '合作信息',
  'cooperation posts': '合作信息',
  'appeal dispatch': '诉求交办',
  'appeal dispatches': '诉求交办',
  'financing match': '融资对接',
  'financing matches': '融资对接',
  'financing need': '融资需求',
  'financing needs': '融资需求',
  'notice to a firm': '企业通知',
  'notices to firms': '企业通知',
  'reception day sign-up': '接待日报名',
  'reception day sign-ups': '接待日报名',
  facility: '设施',
  facilities: '设施',
  helper: '互助员',
  helpers: '互助员',
  'indicator revision': '指标修订',
  'indicator revisions': '指标修订',
  'indicator target': '指标目标',
  'indicator targets': '指标目标',
  'indicator value': '指标数据',
  'indicator values': '指标数据',
  'freight record': '货运记录',
  'freight records': '货运记录',
  'parcel record': '土地地块',
  'parcel records': '土地地块',
  'logistics park': '物流园区',
  'logistics parks': '物流园区',
  'warehouse tenant': '入驻租约',
  'warehouse tenants': '入驻租约',
  'freight train line': '货运班列',
  'freight train lines': '货运班列',
  warehouse: '高标准仓库',
  warehouses: '高标准仓库',
  organisation: '单位',
  organisations: '单位',
  'planned conversion': '方案中的转换',
  'planned conversions': '方案中的转换',
  'plan shipment': '方案发货',
  'plan shipments': '方案发货',
  'sub-region': '下级区域',
  'sub-regions': '下级区域',
  'stock line': '库存',
  'stock lines': '库存',
};
/** "2 agri-tech projects, 1 expert" in Chinese (a noun without words here kept as it is) */
export function refsInChinese(list) {
  return list
    .split(', ')
    .map((part) => {
      const m = /^(\d+) (.+)$/.exec(part);
      return m ? `${REF_NOUNS[m[2]] || m[2]} ${m[1]} 条` : part;
    })
    .join('、');
}

/** The accounts a refused delete names ("gw2, op2 (disabled) and 3 more"), in the user's language. */
function accountsNamed(list) {
  const { t } = i18n.global;
  return list
    .replace(/ \(disabled\)/g, t('apiRules.accountDisabled'))
    .replace(/ and (\d+) more$/, (_, n) => t('apiRules.andMore', { n }))
    .split(', ')
    .join(t('common.listSep'));
}

/**
 * The message of an API error in the user's language.
 * opts.labels: the form's labels by API field (object or function);
 * opts.atField: the message is shown next to its field (its label is left out);
 * opts.codes: an extra i18n group of code labels tried first (e.g. 'eldercare.errors').
 */
export function apiMessage(e, opts = {}) {
  const { t, te } = i18n.global;
  if (!e) return '';
  // no answer at all: the network (the request failed), or none within the time limit
  // (api/client.js: a write then may or may not have reached the server)
  if (e.status === 0 && e.code === 'timeout') return t(!e.unsure ? 'common.timeout' : e.resend ? 'common.timeoutResend' : 'common.timeoutWrite');
  if (e.status === 0) return t('common.networkError');
  if (e.name !== 'ApiError') return String(e.message || e);
  const key = e.code ? [opts.codes, 'apiErrors'].filter(Boolean).map((g) => `${g}.${e.code}`).find((k) => te(k)) : '';
  const label = key ? t(key) : '';
  const msg = e.message || '';
  // too many log-ins: one sentence with the wait, from Retry-After or the message
  // (the same code says a user's reports are busy, or their ID clashes of the day are used up:
  // those say so, not log-ins)
  if (e.code === 'too_many_requests') {
    const wait = e.retryAfter || Number((msg.match(/try again in (\d+) s/) || [])[1]) || 0;
    if (/reports waiting or running/.test(msg)) return wait ? t('apiRules.reportsBusyIn', { a: wait }) : t('apiRules.reportsBusy');
    if (e.field === 'id_number') return t('apiRules.idClashesToday');
    return wait ? t('apiRules.retryIn', { a: wait }) : label;
  }
  // a code that means something more precise at this field (e.g. the current password wrong)
  const special = e.field && te(`apiFieldErrors.${e.code}.${e.field}`) ? t(`apiFieldErrors.${e.code}.${e.field}`) : '';
  if (i18n.global.locale.value === 'en') {
    if (special) return special;
    const said = labelledMessage(msg, e.field, opts.labels);
    // the label said once when the server's words say it already ("Wrong user name or
    // password: wrong user name or password")
    const plain = (x) => x.toLowerCase().replace(/[.;:!\s]+$/, '');
    if (label && said && plain(said).startsWith(plain(label))) return said[0].toUpperCase() + said.slice(1);
    // a sentence that says all by itself: no label before it ("Required: facility is required",
    // "Out of range: user name must have at least 3 characters")
    if (said && /\bis required$|\bmust have at (?:least|most) \d+ characters$/.test(plain(said))) return said[0].toUpperCase() + said.slice(1);
    return label ? `${label}: ${said}` : said;
  }
  // a code the tables do not know: the server's own words rather than a bare code
  if (!label && !special) {
    const field = opts.atField ? '' : fieldLabel(e.field, opts.labels);
    const what = msg ? t('apiRules.serverSaid', { a: msg }) : t('apiErrors.other', { code: e.code || 'HTTP ' + e.status });
    return field ? field + t('common.colon') + what : what;
  }
  // zh-CN: the field, what is wrong (by code, with the field when the code has a special text)
  let what = special || label || t('apiErrors.other', { code: e.code || e.status });
  // a delete refused for what still refers to the record: what, in Chinese
  const refs = e.code === 'in_use' && !special ? /is referred to by (.+)$/.exec(msg) : null;
  // and the user accounts whose scope the record is, a disabled one named so (it keeps its
  // scope): "… is the scope of the user accounts gw2, op2 (disabled) and 3 more"
  const scope = e.code === 'in_use' && !special ? /is the scope of the user accounts? (.+?)(?: and is referred to by .+)?$/.exec(msg) : null;
  const rule = refs || scope ? null : RULES.find(([re]) => re.test(msg));
  if (scope) what = what + t('common.colon') + t('apiRules.scopeOf', { a: accountsNamed(scope[1]) });
  if (refs) what = what + (scope ? t('apiRules.alsoReferredBy', { a: refsInChinese(refs[1]) }) : t('common.colon') + t('apiRules.referredBy', { a: refsInChinese(refs[1]) }));
  if (rule && !special) {
    let m = msg.match(rule[0]);
    // a bound as people write it: 10,000,000 (a server of old wrote 1e+07, read as 1)
    if (rule[3]) m = m.map((x, i) => (i && x != null ? Number(x).toLocaleString(i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 6 }) : x));
    const said = t(rule[1], { a: m[1], b: m[2], c: m[3], d: m[4] });
    // a text too short is not a number out of range: "至少 3 个字符" alone
    const alone = rule[2] || (e.code === 'out_of_range' && rule[1] === 'apiRules.minChars');
    what = alone ? said : what + t('common.colon') + said;
  }
  const field = opts.atField ? '' : fieldLabel(e.field, opts.labels);
  return field ? field + t('common.colon') + what : what;
}

/** A write refused because someone else changed the record meanwhile (its version is newer). */
export const isConflict = (e) => !!e && e.name === 'ApiError' && e.code === 'version_conflict';

/**
 * After a write refused with version_conflict: reload() fetches the record or list as it is now
 * (a retry with the version shown would be refused again for ever), and the message to show
 * says so ("changed by someone else, the list is refreshed, check and retry"). Returns '' for
 * any other error, left to the caller.
 */
export async function reloadOnConflict(e, reload) {
  if (!isConflict(e)) return '';
  await reload();
  return i18n.global.t('common.changedMeanwhile');
}

/**
 * An error about the whole form is an el-alert above it, while on a phone the user is at the
 * form's button far below (a save with no answer in time, a refusal): the alert showing `text`
 * is scrolled into view ('nearest': not moved when it is in view already).
 */
function inView(text) {
  nextTick(() => {
    if (!text || typeof document === 'undefined') return;
    const el = [...document.querySelectorAll('.el-alert')].find((a) => a.textContent.includes(text));
    if (el) el.scrollIntoView({ block: 'nearest' });
  });
}

/**
 * errors: reactive {field: message}; general: ref(message) for the rest.
 * apply(e, {aliases, known, labels, codes}): aliases maps an API field to a form key; known
 * (array or predicate) says which keys the form shows — others go to `general`; labels and
 * codes as for apiMessage.
 * say(field, make) / sayGeneral(make): a form's own message, made by make() (e.g.
 * () => t('login.usernameRequired')).
 * The messages follow the language: on a switch those made by apply, say or sayGeneral are made
 * again in the new language; a message set as plain text (errors.x = '…') cannot be, and goes.
 */
export function useFieldErrors() {
  const errors = reactive({});
  const general = ref('');
  const conflict = ref(false);
  // how each message shown is made, by field ('' for general), and the text it made: made again
  // on a language switch unless the form has put another text there since
  const makers = new Map();
  const GENERAL = '';
  function clear() {
    const had = { ...errors };
    for (const k of Object.keys(errors)) delete errors[k];
    general.value = '';
    conflict.value = false;
    makers.clear();
    // the same message set again in the same tick (a form's own check failing again): the
    // field never changed, so the form item does not move the focus by itself
    if (Object.keys(had).length) {
      nextTick(() => {
        const again = Object.keys(had).filter((k) => errors[k] && errors[k] === had[k]);
        if (again.length) errorsAgain(Object.values(errors).filter(Boolean));
      });
    }
  }
  function say(field, make) {
    const text = make();
    makers.set(field, { make, text });
    errors[field] = text;
  }
  function sayGeneral(make) {
    const text = make();
    makers.set(GENERAL, { make, text });
    general.value = text;
  }
  function apply(e, { aliases = {}, known, labels, codes } = {}) {
    clear();
    if (!e || e.name !== 'ApiError') {
      general.value = String((e && e.message) || e);
      return;
    }
    if (e.code === 'version_conflict') conflict.value = true;
    const key = aliases[e.field] || e.field;
    const shown = !known ? !!key : typeof known === 'function' ? known(key) : known.includes(key);
    if (key && shown && e.code !== 'version_conflict') say(key, () => apiMessage(e, { atField: true, labels, codes }));
    else {
      sayGeneral(() => apiMessage(e, { labels, codes }) + (e.requestId ? ` (${e.requestId})` : ''));
      inView(general.value);
    }
  }
  // refusals a form found itself before sending (formRefusal): each said at its field, as
  // apply says the server's
  function refuse(list, { labels, codes } = {}) {
    for (const e of list) say(e.field, () => apiMessage(e, { atField: true, labels, codes }));
  }
  // a language switch: every message in the new language, none left in the old one
  function relocalise() {
    const again = (k, now) => {
      const m = makers.get(k);
      if (!m || !now || now !== m.text) return '';
      m.text = m.make();
      return m.text;
    };
    for (const k of Object.keys(errors)) {
      const text = again(k, errors[k]);
      if (text) errors[k] = text;
      else delete errors[k];
    }
    general.value = again(GENERAL, general.value);
  }
  // in a component's setup: the watch ends with the component
  if (getCurrentScope()) watch(i18n.global.locale, relocalise, { flush: 'sync' });
  return { errors, general, conflict, apply, clear, say, sayGeneral, refuse };
}

/**
 * A page's own message (a list that failed to load, a refusal shown above the page) that follows
 * the language: a ref of its text, usable as ref('') is (error.value = '' or a plain text), with
 *   error.set(e, opts)   the API error's message (apiMessage(e, opts)),
 *   error.say(make)      a message made by make() (e.g. () => t('manual.titleRequired')),
 *   error.clear()        no message.
 * A message set by set or say is made again in the new language on a switch (when next read: the
 * text depends on the locale, so whatever shows it is refreshed); a plain text stays as it is.
 * Needs no component: a composable (useMore) or a setup alike.
 */
export function usePageError(initial = '') {
  let text = initial;
  let make = null; // how the text shown is made, or null for a plain text
  let madeIn = ''; // the locale the text was made in
  let changed;
  const error = customRef((track, trigger) => {
    changed = trigger;
    return {
      get() {
        track();
        const locale = i18n.global.locale.value;
        if (make && locale !== madeIn) {
          madeIn = locale;
          text = make();
        }
        return text;
      },
      set(v) {
        make = null;
        text = v;
        trigger();
      },
    };
  });
  error.say = (maker) => {
    make = maker;
    madeIn = i18n.global.locale.value;
    text = maker();
    changed();
  };
  error.set = (e, opts) => error.say(() => apiMessage(e, opts));
  error.clear = () => (error.value = '');
  return error;
}

/**
 * A refusal a form finds itself before sending, as the server would give it (its code, field and
 * English message, e.g. 'missing_field', 'name', 'name is required'): shown through apiMessage as
 * the server's own would be, so both read the same in either language.
 */
export function formRefusal(field, code, message) {
  return new ApiError(422, { error: { code, message, field } });
}
