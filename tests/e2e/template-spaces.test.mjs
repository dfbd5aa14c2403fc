// A space meant between a word and what follows it in another element ("Approved 2.4 million
// yuan", "0.06 days") must not be the first character inside that element: Vue's template
// compiler drops a whitespace-only text node at the start of an element, so
// `{{ a }}<span> {{ b }}</span>` renders "ab" ("Approved2.4 million yuan"). Chinese needs no
// space, so it showed only in English. The space goes inside the interpolation instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const require = createRequire(join(WEB, 'package.json'));
const { parse } = require('@vue/compiler-sfc');

function* vueFiles(dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* vueFiles(p);
    else if (p.endsWith('.vue')) yield p;
  }
}

test('no element starts with a space before an interpolation (the space is dropped)', () => {
  const found = [];
  let files = 0;
  for (const file of vueFiles(join(WEB, 'src'))) {
    const { descriptor } = parse(readFileSync(file, 'utf8'), { filename: file });
    const ast = descriptor.template?.ast;
    if (!ast) continue;
    files++;
    const walk = (n) => {
      const c = n.children || [];
      // an element (1) whose first child is an interpolation (5) with only spaces, no line
      // break, between the start tag's ">" and it
      if (n.type === 1 && c.length && c[0].type === 5 && /[^-]>[ \t]+$/.test(descriptor.source.slice(0, c[0].loc.start.offset)))
        found.push(`${file.slice(WEB.length)}:${c[0].loc.start.line} <${n.tag}> ${c[0].loc.source}`);
      c.forEach(walk);
    };
    walk(ast);
  }
  assert.ok(files > 100, `${files} components read`);
  assert.deepEqual(found, []);
});
