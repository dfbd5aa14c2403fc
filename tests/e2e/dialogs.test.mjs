// The console's dialogs on a phone: none has a fixed width wider than a 390 px window (each is
// min(…, 96vw), a share, or the default); the browser tests in narrow.test.mjs open some of
// them at 390 px, this reads every one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');

/** Every .vue file below dir. */
function vueFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? vueFiles(path.join(dir, d.name)) : d.name.endsWith('.vue') ? [path.join(dir, d.name)] : []));
}

test('no dialog has a fixed width wider than a phone', () => {
  const fixed = [];
  for (const f of vueFiles(SRC))
    for (const m of readFileSync(f, 'utf8').matchAll(/<el-dialog\b[^>]*?\swidth="([^"]*)"/g))
      if (/^\d+(px)?$/.test(m[1].trim()) && parseInt(m[1], 10) > 360) fixed.push(`${path.relative(SRC, f)}: width="${m[1]}"`);
  assert.ok(vueFiles(SRC).length > 50, 'the console sources are read');
  assert.deepEqual(fixed, [], 'dialogs wider than a 390 px phone');
});
