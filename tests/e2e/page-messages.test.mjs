// A page's message made from an API error must follow a switch of language: it is kept as the
// way to make it (usePageError's set/say in web/src/utils/errors.js), not as a finished string
// assigned to a ref (`x.value = apiMessage(e)`), which stays in the language it was made in —
// as the stock page's per-category totals error did, "The totals per category could not be
// loaded: 无法连接服务器…" after a switch to English. Toasts (ElMessage) are left: they vanish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../web/src/', import.meta.url));

function* sources(dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.vue') || p.endsWith('.js')) yield p;
  }
}

test('no page message is a finished string made from an API error', () => {
  const found = [];
  let files = 0;
  for (const file of sources(SRC)) {
    files++;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // comments may show the old way
        if (/^\s*(\/\/|\*)/.test(line)) return;
        if (/\.value\s*=\s*apiMessage\(/.test(line)) found.push(`${file.slice(SRC.length)}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.ok(files > 100, `read ${files} files`);
  assert.deepEqual(found, [], 'use usePageError().set(e) (or say) instead:\n' + found.join('\n'));
});
