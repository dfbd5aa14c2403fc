// The audit log speaks the reader's language: every entity and action the server writes (read
// from its C sources at test time, so a new one without a label fails here) has a label in
// zh-CN and en.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';
import { auditNames } from './auditnames.mjs';

const ROOT = new URL('../../', import.meta.url);
const TABLES = { 'zh-CN': zh, en };
const get = (msgs, key) => key.split('.').reduce((o, p) => (o && typeof o === 'object' ? o[p] : undefined), msgs);
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
