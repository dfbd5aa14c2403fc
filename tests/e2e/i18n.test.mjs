// The two message tables must have the same keys, so no label falls back silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';

function keys(o, prefix = '') {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, prefix + k + '.') : [prefix + k]));
}

test('zh-CN and en message tables have the same keys', () => {
  const a = new Set(keys(zh)), b = new Set(keys(en));
  assert.deepEqual([...a].filter((k) => !b.has(k)), [], 'missing in en.js');
  assert.deepEqual([...b].filter((k) => !a.has(k)), [], 'missing in zh-CN.js');
});

test('no message uses vue-i18n special characters by accident', () => {
  for (const table of [zh, en])
    for (const k of keys(table)) {
      const v = k.split('.').reduce((o, p) => o[p], table);
      // English counts are "singular | plural" (below); nothing else may hold a pipe
      assert.ok(!/[@$]/.test(v) && (table === en ? !/\|/.test(v.replace(' | ', '')) : !/\|/.test(v)), `${k}: ${v}`);
    }
});

// The Chinese page says its words in Chinese: "留空记为 manual（手工录入）" showed a stored code.
// English words stand only in the examples of what a user types (codes, headings, rules).
test('Chinese messages name no English word but in the examples of what is typed', () => {
  const EXAMPLES = new Set(['teamTypePage.codeHint', 'manual.importHint', 'ent.policyForm.rulePlaceholder', 'dev.imp.hint']);
  const bad = [];
  for (const k of keys(zh)) {
    const v = k.split('.').reduce((o, p) => o[p], zh).replace(/\{[^}]*\}/g, '');
    if (!EXAMPLES.has(k) && /(?<![\w.@/-])[a-z][a-z_]{3,}(?![\w.@/-])/.test(v)) bad.push(`${k}: ${v}`);
  }
  assert.deepEqual(bad, []);
});

// "1 sites are converting" read wrong: an English count takes the singular for 1. Both forms
// name the same placeholders, the count is {n} or {count} (a number: vue-i18n picks the form by
// it; count first, so {n} may be another number of the sentence, "{n} of {count} rows").
test('English counts: singular for one, plural otherwise, the same placeholders in both', async () => {
  const { createI18n } = await import('../../web/node_modules/vue-i18n/dist/vue-i18n.mjs');
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } });
  const t = i18n.global.t;
  let plural = 0;
  for (const k of keys(en)) {
    const v = k.split('.').reduce((o, p) => o[p], en);
    if (!v.includes(' | ')) continue;
    plural++;
    const [one, many] = v.split(' | ');
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
    assert.ok(many.includes('{n}') || many.includes('{count}'), `${k}: the plural names {n} or {count}`);
    for (const name of names(one).split(',').filter(Boolean)) assert.ok(names(many).includes(name), `${k}: {${name}} only in the singular`);
  }
  assert.ok(plural >= 30, `${plural} English counts with a singular`);
  assert.equal(t('plan.adopted', { n: 1 }), 'Adopted: 1 site is converting');
  assert.equal(t('plan.adopted', { n: 3 }), 'Adopted: 3 sites are converting');
  assert.equal(t('eldercare.placesLeft', { n: 1 }), '1 place left');
  assert.equal(t('eldercare.placesLeft', { n: 0 }), '0 places left');
  // a count shown formatted ("1,200") passes the number as vue-i18n's plural argument
  assert.equal(t('eldercare.eldersN', { n: '1,200' }, 1200), '1,200 elders');
  assert.equal(t('eldercare.eldersN', { n: '1' }, 1), '1 elder');
});

/**
 * The keys written twice in one object literal of a message file (the second silently wins, so
 * the first label is lost): a scan of the source that skips strings and comments and tracks the
 * braces. Returns "line key" for each repeat.
 */
export function repeatedKeys(src) {
  const out = [];
  const scopes = [];
  let i = 0, line = 1, expectKey = false;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === '\n') { line++; i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < n && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') {
      i += 2;
      while (i < n && !(src[i] === '*' && src[i + 1] === '/')) { if (src[i] === '\n') line++; i++; }
      i += 2;
      continue;
    }
    if (c === '{') { scopes.push(new Set()); expectKey = true; i++; continue; }
    if (c === '}') { scopes.pop(); expectKey = false; i++; continue; }
    if (c === ',') { expectKey = true; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    let token = null;
    const start = i;
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n && src[i] !== c) { if (src[i] === '\\') i++; if (src[i] === '\n') line++; i++; }
      i++;
      token = src.slice(start + 1, i - 1);
    } else if (/[A-Za-z_$]/.test(c)) {
      while (i < n && /[\w$]/.test(src[i])) i++;
      token = src.slice(start, i);
    } else {
      i++;
      expectKey = false;
      continue;
    }
    let j = i;
    while (j < n && (src[j] === ' ' || src[j] === '\t')) j++;
    if (expectKey && scopes.length && src[j] === ':') {
      const set = scopes[scopes.length - 1];
      if (set.has(token)) out.push(`${line} ${token}`);
      set.add(token);
    }
    expectKey = false;
  }
  return out;
}

test('no message file names a key twice in one group', async () => {
  const { readFileSync } = await import('node:fs');
  assert.deepEqual(repeatedKeys("a = { x: 'p', y: { x: 'q' }, z: 'x: no', // x: no\n x: 'r' }"), ['2 x'], 'the scan finds a repeat and only that');
  for (const f of ['zh-CN.js', 'en.js', 'zh-CN.biz.js', 'en.biz.js']) {
    const src = readFileSync(new URL(`../../web/src/i18n/${f}`, import.meta.url), 'utf8');
    assert.deepEqual(repeatedKeys(src), [], `${f}: keys written twice`);
  }
});

// A table's column headers are capitalised in English ("next visit due" stood among "Name",
// "Village"…): every literal `t('…')` a column or form label names must start with a capital
// (or a digit, a symbol) in en.js; a unit of measure ("kg CO₂e per unit", "t CO₂e", "tce") keeps
// its own case.
test('English column and field labels start with a capital', async () => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.vue')) files.push(p);
    }
  };
  walk(new URL('../../web/src', import.meta.url).pathname);
  const bad = [];
  let seen = 0;
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/<el-(?:table-column|form-item)\b[^>]*?\s:label="t\('([\w.]+)'\)"/g)) {
      const v = m[1].split('.').reduce((o, p) => (o ? o[p] : undefined), en);
      if (typeof v !== 'string') continue;
      seen++;
      if (/^\p{Ll}/u.test(v) && !/^(kg|kgce|km|m²|mu|t|tce)\b/.test(v)) bad.push(`${f.split('/web/src/')[1]}: ${m[1]} "${v}"`);
    }
  }
  assert.ok(seen >= 200, `${seen} labels read`);
  assert.deepEqual(bad, []);
});

// "behind the plan" as the server counts it (step_behind_plan, src/domain/conversion.c): a step
// not started PJ_PLAN_START_GRACE_MIN minutes after its planned start (the teams learn of the
// plan when it is adopted), or not finished by its planned end; none once the site was ready by
// the plan's ready time. The tooltip said "not started by the plan's start time": a step the
// server did not count was told behind. The console cannot read the constant: the text states
// it, and must move with it.
test('the "behind the plan" tooltip states the server’s rule and its grace minutes', async () => {
  const { readFile } = await import('node:fs/promises');
  const h = await readFile(new URL('../../src/domain/dualuse.h', import.meta.url), 'utf8');
  const grace = Number(/#define PJ_PLAN_START_GRACE_MIN (\d+)/.exec(h)?.[1]);
  assert.ok(grace > 0, 'PJ_PLAN_START_GRACE_MIN in src/domain/dualuse.h');
  assert.ok(zh.conversion.behindPlanHint.includes(`开始时间后 ${grace} 分钟仍未开始`), zh.conversion.behindPlanHint);
  assert.ok(zh.conversion.behindPlanHint.includes('方案就绪时间前已就绪的，各步骤均不计落后'), zh.conversion.behindPlanHint);
  assert.ok(en.conversion.behindPlanHint.includes(`Not started ${grace} minutes after the plan's start time`), en.conversion.behindPlanHint);
  assert.ok(en.conversion.behindPlanHint.includes("once the site was ready by the plan's ready time"), en.conversion.behindPlanHint);
});
