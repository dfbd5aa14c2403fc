// An English count takes the singular for one: "1 more field", "Import 1 row", "Paired with 1
// elder". Every English message naming a count before a plural noun ("{n} rows", "{n} more
// fields", "{n} elder(s)") has the vue-i18n form "singular | plural", unless the number is
// never one (a limit such as "at most {n} characters", a list's first {n} of many) — those are
// listed below with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import en from '../../web/src/i18n/en.js';
import { alertDetail, pairReason } from '../../web/src/utils/eldercare.js';

// a count, perhaps "more"/"of these" between, then a plural noun or "noun(s)"
const COUNTED = /\{(\w+)\}(?: (?:more|new|other|of these|of the))? ([a-z]{2,}s|[a-z]+\(s\))(?![\w(])/g;
// words ending in s after a placeholder that are not plural nouns ("{day} is", "{x} has")
const NOT_NOUNS = new Set(['has', 'was', 'its', 'this', 'comes', 'needs', 'does', 'goes', 'less', 'across', 'plus', 'ends', 'starts', 'lasts', 'means', 'says', 'shows', 'names', 'counts']);
const NEVER_ONE = {
  'dashboard.beijingShareText': "Beijing's population; the days a share lasts (a fraction)",
  'dashboard.mapPartial': 'the map limit (hundreds)',
  'facility.imp.reasons.extra_cells': 'a header has several columns, a row more cells than those',
  'dev.imp.reasons.extra_cells': 'a header has several columns, a row more cells than those',
  'apiRules.minChars': 'said in Chinese only (in English the server message is shown)',
  'apiRules.maxChars': 'said in Chinese only',
  'apiRules.retryMinutes': 'said in Chinese only',
  'apiRules.maxMonths': 'said in Chinese only',
  'apiRules.teamTypeInUse': 'said in Chinese only',
  'conversion.paused': 'the idle time before a pause, a setting of many minutes',
  'conversion.remarksTooLong': 'a length limit',
  'eldercare.visitTooLong': 'a duration limit',
  'eldercare.visitTooLongHours': 'a duration limit',
  'eldercare.startTooOld': 'a limit of days',
  'eldercare.alertDetails.visit': 'a visit tier interval (a week or more)',
  'eldercare.ledgerShown': 'shown only when fewer than all: the total is two or more',
  'plan.overPopulation': 'the residents of an area',
  'plan.overPopulationResult': 'the residents of the villages',
  'dev2.rankOf': "the city's districts",
  'dev.imp.reasons.too_long': 'a length limit',
  'dev.carbon.recordsPartial': 'the page limit',
  'entCal.rangeTooLong': 'a limit of days',
};

function entries(o, prefix = '') {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? entries(v, prefix + k + '.') : [[prefix + k, v]]));
}

test('English counts before a plural noun have a singular form', () => {
  const missing = [];
  for (const [k, v] of entries(en)) {
    if (typeof v !== 'string' || v.includes(' | ') || NEVER_ONE[k]) continue;
    const hit = [...v.matchAll(COUNTED)].find((m) => !NOT_NOUNS.has(m[2]));
    if (hit) missing.push(`${k}: ${v}`);
  }
  assert.deepEqual(missing, [], 'counts without a singular');
  // the allow-list names messages that still exist and still have no plural form
  const all = Object.fromEntries(entries(en));
  for (const k of Object.keys(NEVER_ONE)) assert.ok(typeof all[k] === 'string' && !all[k].includes(' | '), k);
});

test('one and many, as the console calls them', async () => {
  const { createI18n } = await import('../../web/node_modules/vue-i18n/dist/vue-i18n.mjs');
  const { t } = createI18n({ legacy: false, locale: 'en', messages: { en } }).global;
  assert.equal(t('audit.moreFields', { n: 1 }), '1 more field: open the row to see all');
  assert.equal(t('audit.moreFields', { n: 2 }), '2 more fields: open the row to see all');
  assert.equal(t('facility.imp.commit', { n: 1 }), 'Import 1 row');
  assert.equal(t('facility.imp.commit', { n: 0 }), 'Import 0 rows');
  assert.equal(t('facility.imp.blocked', { n: 1, count: 1 }), '1 of 1 row has errors; correct it to import. Nothing was written');
  assert.equal(t('dev.imp.checked', { rows: 1, bad: 0, count: 1 }), '1 row, 0 bad');
  assert.equal(t('dev2.sessionLabel', { date: '2026-05-01', platform: 'Douyin', min: 30, orders: 1, count: 1 }), '2026-05-01 · Douyin · 30 min · 1 order');
  assert.equal(t('plan.ship.siteDone', { done: 0, count: 1 }), '0 of 1 category shipped in full');
  assert.equal(t('eldercare.deactivated', { n: 1 }), 'Saved; 1 pair ended');
  assert.equal(t('entCal.partly', { ok: 1, n: 2, count: 1 }), '1 day saved, 2 not saved:');
  assert.equal(t('a11y.placesTaken', { n: 0, of: 1, count: 1 }), '0 of 1 place taken');
  // a plan's warnings: "1 candidate sites", "of whom 1 need"
  assert.equal(t('plan.excludedTitle', { n: 1 }, 1), '1 candidate site in reach left out: too few teams');
  assert.equal(t('plan.excludedTitle', { n: 3 }, 3), '3 candidate sites in reach left out: too few teams');
  assert.equal(t('plan.shortVulnerable', { n: '1' }, 1), ', of whom 1 needs medical care');
  assert.equal(t('plan.shortVulnerable', { n: '1,200' }, 1200), ', of whom 1,200 need medical care');
  assert.match(t('plan.vulnerableSource.count', { n: '1' }, 1), /^1 person needs medical care/);
  assert.match(t('plan.vulnerableSource.eldercare', { n: '12', reg: '30' }, 12), /^12 people need medical care/);
  // the counts read out of the server's English texts are numbers, so they choose the form
  const [key, v] = alertDetail('paired with 1 elders, capacity 0');
  assert.equal(t('eldercare.alertDetails.' + key, v), 'Paired with 1 elder, capacity 0');
  const [rk, rv] = pairReason('王芳: 120 m away, same village; has meal+visit; choice 1 of 1 helpers within 2 km');
  assert.match(t('eldercare.pairReasons.' + rk, { ...rv, village: 'same village', skills: 'meal', sex: '' }), /choice 1 of 1 helper within 2 km$/);
  // no count there to agree with
  assert.equal(t('eldercare.redeemed', { n: '1.00' }), 'Credits redeemed: 1.00');
  assert.match(t('dev.ec.streamerSummary', { base: 'B', org: 'O', followers: '1', sessions: 1, gmv: '0' }), /Followers: 1 · Sessions: 1 ·/);
});

// a quantity's unit after exactly 1: "1 box", not "1 boxes" (the plan's and the cockpit's supplies,
// the stock): every unit written as a plural word has its singular (i18n tUnit)
test('English units written as plurals have a singular for one', () => {
  const plural = Object.entries(en.units).filter(([, v]) => /^[a-z]+s(\/\w+)?$/.test(v));
  assert.ok(plural.length >= 5, 'rooms, beds, boxes …');
  for (const [k, v] of plural) {
    assert.ok(en.unitsOne[k], `${k} (${v}) has no singular`);
    assert.notEqual(en.unitsOne[k], v, k);
  }
  assert.equal(en.unitsOne.box, 'box');
});
