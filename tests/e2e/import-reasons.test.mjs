// The import pages speak the reader's language: every reason the two table imports give a bad
// row (read from the C sources at test time, so a new reason without a text fails here) has a
// text in zh-CN and in en, with the same particulars ({line}, {value}, …) in both, and every
// column a bad row can be at has a heading in both.
//   - the indicator import (src/domain/indicator_import.c) → dev.imp.reasons.<reason>
//   - the facility import (src/domain/registry_import.c) → facility.imp.reasons.<reason>; its
//     reason "invalid" is the facility API's own refusal, said by the API's error code:
//     facility.imp.reasons.invalid_<code>, for every 4xx code of the facility's checks
//     (registry.c from facility_read to pj_facility_update_in, and the body readers of input.c)
//   - both: the cell checks of src/core/sheet.c (formula_error)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';

const ROOT = new URL('../../', import.meta.url);
const TABLES = { 'zh-CN': zh, en };
const get = (msgs, key) => key.split('.').reduce((o, p) => (o && typeof o === 'object' ? o[p] : undefined), msgs);
const src = (p) =>
  readFileSync(new URL(p, ROOT), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, '');
const literals = (s) => [...s.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
/** The strings an expression can be: the literals of a ?:'s branches, not of its condition. */
const values = (e) => literals(e.includes('?') ? e.slice(e.indexOf('?') + 1) : e);

/** The text of the call's argument `at` for each call of fn( in s (a definition left out). */
function callArgs(s, fn, at) {
  const out = [];
  for (const m of s.matchAll(new RegExp(`\\b${fn}\\(`, 'g'))) {
    if (/#\s*define\s+$/.test(s.slice(s.lastIndexOf('\n', m.index) + 1, m.index))) continue;
    let depth = 0, start = m.index + m[0].length, arg = 0, i = start;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '"') {
        i++;
        while (s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      } else if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) break;
      else if (c === ',' && depth === 0) {
        if (arg === at) break;
        arg++;
        start = i + 1;
      }
    }
    if (arg === at) out.push(s.slice(start, i).trim());
  }
  return out;
}

/** The reasons a file's rows are refused with: BAD(…, why, …) and reason = "…". */
function reasons(path) {
  const s = src(path);
  const set = new Set();
  const def = s.match(/#\s*define\s+BAD\(([^)]*)\)/);
  if (def) {
    const at = def[1].split(',').map((x) => x.trim()).indexOf('why');
    assert.ok(at >= 0, `${path}: BAD has no parameter why`);
    const calls = callArgs(s, 'BAD', at);
    assert.ok(calls.length > 5, `${path}: ${calls.length} BAD calls found`);
    for (const a of calls) {
      const l = values(a);
      assert.ok(l.length, `${path}: BAD's reason ${a} is not a literal`);
      l.forEach((x) => set.add(x));
    }
  }
  for (const m of s.matchAll(/\breason\s*=\s*([^;\n]+)/g)) {
    if (/^\(why\)/.test(m[1])) continue; // BAD's own definition
    const l = values(m[1]);
    assert.ok(l.length, `${path}: reason = ${m[1]} is not a literal`);
    l.forEach((x) => set.add(x));
  }
  // the default a row starts with, replaced by every refusal: a row left with it (none is)
  // shows the server's message
  set.delete('bad_row');
  return set;
}

/** The 4xx error codes of the facility API's checks an import row goes through. */
function facilityCodes() {
  const reg = src('src/domain/registry.c');
  const from = reg.indexOf('static int facility_read(');
  const to = reg.indexOf('\n}', reg.indexOf('int pj_facility_update_in('));
  assert.ok(from > 0 && to > from, 'the facility functions of registry.c');
  // input.c's readers of a body; bad_query is of a query string, invalid_json and
  // unknown_field of a request's body as a whole, never of a row the import builds
  const envelope = new Set(['bad_query', 'invalid_json', 'unknown_field']);
  const codes = new Set();
  for (const s of [reg.slice(from, to), src('src/domain/input.c')])
    for (const m of s.matchAll(/pj_fail\([^,]+,\s*(4\d\d),\s*"(\w+)"/g)) if (m[1] !== '403' && !envelope.has(m[2])) codes.add(m[2]);
  return codes;
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function checkTexts(group, want) {
  for (const [lang, msgs] of Object.entries(TABLES)) {
    const missing = [...want].filter((r) => typeof get(msgs, `${group}.${r}`) !== 'string');
    assert.deepEqual(missing, [], `${lang}: ${group} lacks texts`);
  }
  for (const key of Object.keys(get(zh, group)))
    assert.deepEqual(placeholders(get(en, `${group}.${key}`) || ''), placeholders(get(zh, `${group}.${key}`)), `${group}.${key}: the same particulars in both languages`);
}

const sheet = reasons('src/core/sheet.c');

test('the scan finds the reasons of every kind of refusal', () => {
  assert.ok(sheet.has('formula_error'));
  const ind = reasons('src/domain/indicator_import.c');
  for (const r of ['empty_code', 'unknown_indicator', 'bad_period', 'not_a_number', 'unit_mismatch', 'too_long', 'extra_cells', 'duplicate', 'bad_character']) assert.ok(ind.has(r), r);
  const fac = reasons('src/domain/registry_import.c');
  for (const r of ['stale', 'bad_id', 'ambiguous_village', 'unknown_operator', 'duplicate', 'outside_scope', 'invalid', 'missing_township']) assert.ok(fac.has(r), r);
  const codes = facilityCodes();
  for (const c of ['missing_field', 'wrong_type', 'invalid_value', 'out_of_range', 'too_long', 'unknown_id', 'duplicate', 'conflict', 'occupied']) assert.ok(codes.has(c), c);
});

test('every reason of the indicator import has a text in both languages', () => {
  checkTexts('dev.imp.reasons', new Set([...reasons('src/domain/indicator_import.c'), ...sheet]));
});

test('every reason of the facility import, and every refusal of the facility API, has a text in both languages', () => {
  const fac = new Set([...reasons('src/domain/registry_import.c'), ...sheet]);
  assert.ok(fac.delete('invalid'), 'invalid is said by its code');
  for (const code of facilityCodes()) fac.add(`invalid_${code}`);
  checkTexts('facility.imp.reasons', fac);
});

test('every column a bad row can be at has a heading in both languages', () => {
  // the indicator import's columns, and the whole row (the table's format) of extra_cells
  const cols = src('src/domain/indicator_import.c').match(/col_names\[NCOLS\]\s*=\s*\{([^}]*)\}/);
  assert.ok(cols, 'col_names of indicator_import.c');
  const want = [...literals(cols[1]), 'csv', 'xlsx'];
  for (const [lang, msgs] of Object.entries(TABLES)) {
    const missing = want.filter((c) => typeof get(msgs, `dev.imp.columns.${c}`) !== 'string');
    assert.deepEqual(missing, [], `${lang}: dev.imp.columns lacks headings`);
  }
});
