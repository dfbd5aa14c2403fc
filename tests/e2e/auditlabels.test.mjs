// The audit log speaks the reader's language: every entity and action the server writes (read
// from its C sources at test time, so a new one without a label fails here) and every field of
// the audit rows the browser tests write (audit-keys.json, by entity; internal fields left out)
// has a label in zh-CN and en, and the page links only to routes that exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';
import { AUDIT_ENUMS, AUDIT_PAGES, AUDIT_SKIP, auditActionKey, auditFieldKey, auditIdRange, auditSkipped } from '../../web/src/utils/audit.js';
import { auditNames } from './auditnames.mjs';

const ROOT = new URL('../../', import.meta.url);
const KEYS = JSON.parse(readFileSync(new URL('./audit-keys.json', import.meta.url), 'utf8'));
const TABLES = { 'zh-CN': zh, en };
const get = (msgs, key) => key.split('.').reduce((o, p) => (o && typeof o === 'object' ? o[p] : undefined), msgs);
const te = (msgs) => (key) => typeof get(msgs, key) === 'string';
const names = auditNames(new URL('src', ROOT).pathname);

test('the scan of the C sources finds the audit names of every way a row is written', () => {
  // a literal, a wrapper's parameter (pj_render_commit, ec_write_audited), a macro's #name,
  // a record kind's .name, pj_in_enum's values, a migration's SQL
  for (const e of ['facility', 'user', 'helper', 'ec_zone_enterprise', 'lg_warehouse', 'ag_transfer', 'ent_appeal', 'ag_farm'])
    assert.ok(names.entities.has(e), `entity ${e}`);
  for (const a of ['create', 'update', 'delete', 'convert_start', 'dispatch', 'return', 'visit', 'practice', 'open', 'graduated', 'ack', 'resolve', 'read_unmasked'])
    assert.ok(names.actions.has(a), `action ${a}`);
  assert.ok(names.entities.size > 60 && names.actions.size > 50, `${names.entities.size} entities, ${names.actions.size} actions`);
});

for (const [group, kind, one] of [
  ['auditEntities', 'entities', 'entity'],
  ['auditActions', 'actions', 'action'],
])
  test(`every ${one} the server writes has a label in both languages, and no two labels are alike`, () => {
    for (const [lang, msgs] of Object.entries(TABLES)) {
      const missing = [...names[kind]].filter((x) => typeof get(msgs, `${group}.${x}`) !== 'string');
      assert.deepEqual(missing, [], `${lang}: ${group} lacks labels`);
      // the filter offers them sorted by label: alike labels could not be told apart
      const seen = new Map();
      for (const [code, label] of Object.entries(msgs[group])) {
        assert.ok(!seen.has(label), `${lang}: ${group}.${code} and ${group}.${seen.get(label)} are both "${label}"`);
        seen.set(label, code);
      }
    }
  });

test('an action reads in the wording of its entity where the shared one would mislead', () => {
  for (const [lang, msgs] of Object.entries(TABLES)) {
    const own = msgs.auditActionsOf;
    assert.deepEqual(Object.keys(own).sort(), Object.keys(zh.auditActionsOf).sort(), `${lang}: the same entities`);
    for (const [entity, acts] of Object.entries(own)) {
      assert.ok(names.entities.has(entity), `${lang}: auditActionsOf.${entity} is no entity the server writes`);
      assert.deepEqual(Object.keys(acts).sort(), Object.keys(zh.auditActionsOf[entity]).sort(), `${lang}: ${entity}`);
      for (const a of Object.keys(acts)) {
        assert.ok(names.actions.has(a), `${lang}: auditActionsOf.${entity}.${a} is no action the server writes`);
        assert.notEqual(get(msgs, auditActionKey(entity, a, te(msgs))), get(msgs, `auditActions.${a}`));
      }
    }
  }
  // a pairing run's accept adopts proposals; an appeal's is 受理; an unknown pair the shared one
  assert.equal(get(zh, auditActionKey('pair_run', 'accept', te(zh))), '采纳结对建议');
  assert.equal(get(zh, auditActionKey('ent_appeal', 'accept', te(zh))), '受理');
  assert.equal(auditActionKey('facility', 'create', te(zh)), 'auditActions.create');
  // a user's delete disables the account (it read 删除, and an auditor's search for deletions found it)
  assert.equal(get(zh, auditActionKey('user', 'delete', te(zh))), '停用账号');
  assert.equal(get(en, auditActionKey('user', 'delete', te(en))), 'Disable account');
});

test('every field of the audit rows has a label in both languages', () => {
  const fields = Object.values(KEYS).flat();
  assert.ok(fields.length > 350, `${fields.length} fields in audit-keys.json`);
  for (const [lang, msgs] of Object.entries(TABLES)) {
    const missing = [];
    for (const [entity, keys] of Object.entries(KEYS))
      for (const key of keys) {
        assert.ok(!AUDIT_SKIP.has(key), `${key} is skipped: not in audit-keys.json`);
        const k = auditFieldKey(entity, key, te(msgs));
        if (!k) missing.push(`${entity}.${key}`);
        else assert.ok(!/^[a-z0-9_]+$/.test(get(msgs, k)), `${lang}: ${k} is "${get(msgs, k)}"`);
      }
    assert.deepEqual(missing, [], `${lang}: fields without a label`);
  }
});

test('the fields a row shows side by side have different labels', () => {
  for (const [lang, msgs] of Object.entries(TABLES)) {
    const alike = [];
    for (const [entity, keys] of Object.entries(KEYS)) {
      const all = new Set(keys);
      const seen = new Map();
      for (const key of keys) {
        if (auditSkipped(key, all)) continue;
        const label = get(msgs, auditFieldKey(entity, key, te(msgs)));
        if (seen.has(label)) alike.push(`${entity}: ${seen.get(label)}, ${key} "${label}"`);
        seen.set(label, key);
      }
    }
    assert.deepEqual(alike, [], `${lang}: alike labels`);
  }
});

test('every message group of an enumerated field exists in both languages', () => {
  for (const [entity, byKey] of Object.entries(AUDIT_ENUMS))
    for (const [key, group] of Object.entries(byKey))
      for (const [lang, msgs] of Object.entries(TABLES)) {
        const g = get(msgs, group);
        assert.ok(g && typeof g === 'object' && Object.values(g).every((v) => typeof v === 'string'), `${lang}: ${entity}.${key} → ${group}`);
      }
});

test('an entity links to a route with an :id of the console', () => {
  const routes = ['index.js', 'biz.js'].map((f) => readFileSync(new URL(`web/src/router/${f}`, ROOT), 'utf8')).join('\n');
  const withId = new Set([...routes.matchAll(/['"]([^'"\n]*\/:id[^'"\n]*)['"],\s*(?:name:\s*)?['"]([\w-]+)['"]/g)].map((m) => m[2]));
  for (const [entity, name] of Object.entries(AUDIT_PAGES)) {
    assert.ok(withId.has(name), `${entity}: no route ${name} with :id`);
    assert.ok(names.entities.has(entity), `${entity} is not written by the server`);
  }
});

test('the alert scan’s elder-id range reads as a range: -1 as its end is “onward”, never a raw -1', () => {
  // vue-i18n's t over a message table: {name} filled in
  const tr = (msgs) => (key, vals = {}) => get(msgs, key).replace(/\{(\w+)\}/g, (_, k) => String(vals[k]));
  const want = {
    'zh-CN': ['96001 起', '全部', '1 – 4000'],
    en: ['96001 onward', 'All', '1 – 4000'],
  };
  for (const [lang, msgs] of Object.entries(TABLES)) {
    const got = [[96001, -1], [0, -1], [1, 4000]].map((v) => auditIdRange(v, tr(msgs)));
    assert.deepEqual(got, want[lang], lang);
  }
});
