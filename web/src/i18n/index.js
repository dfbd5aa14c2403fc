import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN.js';
import en from './en.js';
import { byName } from '@/utils/format.js';

export const LOCALES = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
];
const KEY = 'pj_locale'; // the chosen language only (never credentials)

function initial() {
  try {
    const v = localStorage.getItem(KEY);
    if (LOCALES.some((l) => l.code === v)) return v;
  } catch {
    /* storage blocked */
  }
  return 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

export function setLocale(code) {
  i18n.global.locale.value = code;
  document.documentElement.lang = code;
  try {
    localStorage.setItem(KEY, code);
  } catch {
    /* ignore */
  }
}

// A form's label column: the width its Chinese labels were laid out for, or in English (longer
// words) the width of its widest label, so that no label breaks over two lines.
export function labelWidth(px) {
  return i18n.global.locale.value === 'en' ? 'auto' : px;
}

export function currentLocale() {
  return i18n.global.locale.value;
}

/** t() with a fallback to the raw value for enumerations the table does not know yet. */
export function tEnum(group, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${group}.${value}`;
  return i18n.global.te(key) ? i18n.global.t(key) : String(value);
}

/** A unit's label after the quantity n: its singular where the language has one (1 box). */
export function tUnit(unit, n) {
  if (Number(n) === 1 && i18n.global.te(`unitsOne.${unit}`)) return i18n.global.t(`unitsOne.${unit}`);
  return tEnum('units', unit);
}

/** A label from the table, or the API's own name for a code the table does not know yet. */
export function tNamed(group, code, apiName) {
  const key = `${group}.${code}`;
  return i18n.global.te(key) ? i18n.global.t(key) : apiName || (code == null || code === '' ? '—' : String(code));
}

/**
 * A team type's name: in Chinese the district's own (a team type is renamed on the team types
 * page, and the name given is the one to show), in English the table's translation of its code,
 * else the district's name.
 */
export function tTeam(code, apiName) {
  if (apiName && apiName !== code && i18n.global.locale.value !== 'en') return apiName;
  return tNamed('teamTypes', code, apiName);
}

// the platform's own actors (the alert scan, the plan worker, the command line, the demo
// loader): no accounts, and no user may take their names (docs/api.md, "Who acted")
const ACTORS = ['system', 'server', 'cli', 'demo'];

/** Who did something, as byName (the display name, else the username), the platform's own
 * actors named in the console's language ("demo" is 演示数据, not a user called demo). */
export function actorName(row, key) {
  const raw = row && row[key];
  if (raw && !row[`${key}_name`] && ACTORS.includes(raw)) return i18n.global.t(`common.actors.${raw}`);
  return byName(row, key);
}
