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
      assert.ok(!/[@|$]/.test(v), `${k}: ${v}`);
    }
});
