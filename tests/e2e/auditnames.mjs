// The audit entities and actions the server writes, read from its C sources (src/**/*.c), so
// that a test can ask the console for a label of each. Every audit row is written by
// pj_audit_add(c, action, entity, …); its two arguments are followed back to string literals:
//   - a literal ("create"), or the branches of a ?: (the condition is not a value);
//   - a parameter of the enclosing function: the same argument of every call of that function
//     (pj_render_commit, ec_write_audited, audit_conv, … found this way, not listed here);
//   - a local variable: the values assigned to it in that function;
//   - #name inside a #define: the arguments of the macro's uses (ACT(dispatch) …);
//   - k->name: the .name of every initialiser of k's struct type (the record kinds' tables).
// Rows written by SQL (the migrations' INSERT INTO audit … 'update', 'ag_farm') are read too.
// Anything else throws, naming the file and line: a new way of writing an audit row must be
// taught here rather than be skipped.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SINK = 'pj_audit_add';
const ROLES = { action: 1, entity: 2 }; // argument positions (0 is the context)

function cFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? cFiles(path.join(dir, d.name)) : d.name.endsWith('.c') ? [path.join(dir, d.name)] : [],
  );
}

/** The source with comments blanked (same length, newlines kept), strings untouched. */
function stripComments(s) {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && s[i + 1] === '*') {
      const j = s.indexOf('*/', i + 2);
      const end = j < 0 ? s.length : j + 2;
      out += s.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else if (c === '/' && s[i + 1] === '/') {
      let j = s.indexOf('\n', i);
      if (j < 0) j = s.length;
      out += ' '.repeat(j - i);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the bracket that closes the one at `open` (strings skipped). */
function closing(s, open) {
  const pairs = { '(': ')', '{': '}', '[': ']' };
  const stack = [];
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      i = j;
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === ')' || c === '}' || c === ']') {
      if (stack.pop() !== c) throw new Error(`unbalanced ${c} at ${open}`);
      if (!stack.length) return i + 1;
    }
  }
  throw new Error(`no closing bracket for ${open}`);
}

/** Splits a list at the top-level commas (not inside brackets or strings). */
function splitTop(s, sep = ',') {
  const parts = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      i = j;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts;
}

/** The value branches of a ?: expression (conditions dropped); the expression itself if none. */
function branches(e) {
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < e.length && e[j] !== c) j += e[j] === '\\' ? 2 : 1;
      i = j;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === '?' && depth === 0) {
      // the ':' that matches this '?'
      let d = 0, q = 0;
      for (let j = i + 1; j < e.length; j++) {
        const x = e[j];
        if (x === '"' || x === "'") {
          let k = j + 1;
          while (k < e.length && e[k] !== x) k += e[k] === '\\' ? 2 : 1;
          j = k;
        } else if ('([{'.includes(x)) d++;
        else if (')]}'.includes(x)) d--;
        else if (d === 0 && x === '?') q++;
        else if (d === 0 && x === ':') {
          if (q === 0) return [...branches(e.slice(i + 1, j).trim()), ...branches(e.slice(j + 1).trim())];
          q--;
        }
      }
      throw new Error(`no ':' for the '?' in ${e}`);
    }
  }
  return [e.replace(/^\((.*)\)$/s, '$1').trim()];
}

function lineOf(file, idx) {
  return file.text.slice(0, idx).split('\n').length;
}

/** The server's audit names: { entities: Set, actions: Set }, from the sources under srcDir. */
export function auditNames(srcDir) {
  const files = cFiles(srcDir).map((p) => ({ path: path.relative(path.dirname(srcDir), p), text: stripComments(readFileSync(p, 'utf8')) }));

  // function definitions: a name at the start of a line, its parameters, then a body
  for (const f of files) {
    f.fns = [];
    const re = /^[A-Za-z_][\w \t*]*?\b([A-Za-z_]\w*)\s*\(/gm;
    let m;
    while ((m = re.exec(f.text))) {
      const open = m.index + m[0].length - 1;
      let close;
      try {
        close = closing(f.text, open);
      } catch {
        continue;
      }
      const after = f.text.slice(close).match(/^\s*\{/);
      if (!after) continue;
      const body = close + after[0].length - 1;
      const params = splitTop(f.text.slice(open + 1, close - 1)).map((p) => (p.match(/([A-Za-z_]\w*)\s*(\[\s*\w*\s*\])?$/) || [])[1]);
      const paramDecls = splitTop(f.text.slice(open + 1, close - 1));
      f.fns.push({ name: m[1], params, paramDecls, start: body, end: closing(f.text, body) });
    }
    // macros with parameters, with their extent (continued lines)
    f.macros = [];
    const mre = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^)]*)\)/gm;
    while ((m = mre.exec(f.text))) {
      let end = m.index;
      do end = f.text.indexOf('\n', end + 1);
      while (end > 0 && /\\\s*$/.test(f.text.slice(f.text.lastIndexOf('\n', end - 1), end)));
      f.macros.push({ name: m[1], params: m[2].split(',').map((x) => x.trim()), start: m.index, end: end < 0 ? f.text.length : end });
    }
  }

  const out = { entities: new Set(), actions: new Set() };
  const cache = new Map(); // "fn#argument" → the values passed there

  /** The values every call of fn passes as its argument `at`. */
  function paramValues(fn, at, where, depth) {
    const key = `${fn.name}#${at}`;
    if (cache.has(key)) return cache.get(key); // (a recursive call sees the values so far)
    const vals = new Set();
    cache.set(key, vals);
    const calls = callsOf(fn.name);
    if (!calls.length) throw new Error(`${where}: ${fn.name}() is never called, so its ${fn.params[at]} has no value`);
    for (const c of calls) resolve(c.args[at], c.file, c.idx, vals, depth + 1);
    return vals;
  }

  /** Calls of fn: { file, idx, args } — definitions and prototypes left out. */
  function callsOf(fn) {
    const res = [];
    for (const f of files) {
      const re = new RegExp(`\\b${fn}\\s*\\(`, 'g');
      let m;
      while ((m = re.exec(f.text))) {
        if (/#\s*define\s+$/.test(f.text.slice(f.text.lastIndexOf('\n', m.index) + 1, m.index))) continue;
        const open = m.index + m[0].length - 1;
        const args = splitTop(f.text.slice(open + 1, closing(f.text, open) - 1));
        // a definition or a prototype declares its parameters: "pj_ctx *c", "const char *action"
        if (/^(const\s+)?[A-Za-z_]\w*(\s+|\s*\*+\s*)[A-Za-z_]\w*$/.test(args[0]) && !/^(return|sizeof)\b/.test(args[0])) continue;
        res.push({ file: f, idx: m.index, args });
      }
    }
    return res;
  }

  /** The strings of a NULL-terminated array of names, local to fn or defined in any file. */
  function arrayValues(name, file, fn, where) {
    const def = new RegExp(`\\b${name}\\s*\\[\\s*\\]\\s*=\\s*\\{`);
    const local = file.text.slice(fn.start, fn.end).match(def);
    const home = local ? { f: file, at: fn.start + local.index + local[0].length - 1 } : null;
    const found = home || files.map((f) => ({ f, m: f.text.match(def) })).filter((x) => x.m).map((x) => ({ f: x.f, at: x.m.index + x.m[0].length - 1 }))[0];
    if (!found) throw new Error(`${where}: no definition of the array ${name}`);
    const init = found.f.text.slice(found.at + 1, closing(found.f.text, found.at) - 1);
    const vals = splitTop(init).filter((x) => x && x !== 'NULL');
    if (!vals.every((x) => /^"[^"]*"$/.test(x))) throw new Error(`${where}: ${name} is not an array of literals`);
    return vals.map((x) => x.slice(1, -1));
  }

  /** The string values expression e (an argument at file:idx) can have; added to `into`. */
  function resolve(e, file, idx, into, depth = 0) {
    if (depth > 12) throw new Error(`${file.path}:${lineOf(file, idx)}: ${e} is followed too deep`);
    for (const b of branches(e)) {
      const where = `${file.path}:${lineOf(file, idx)}`;
      let m;
      if ((m = b.match(/^"((?:[^"\\]|\\.)*)"$/))) into.add(m[1]);
      else if ((m = b.match(/^#\s*([A-Za-z_]\w*)$/))) {
        const mac = file.macros.find((x) => x.start <= idx && idx < x.end);
        const at = mac ? mac.params.indexOf(m[1]) : -1;
        if (at < 0) throw new Error(`${where}: ${b} outside a macro with that parameter`);
        for (const f of files) {
          const re = new RegExp(`^[ \\t]*${mac.name}\\(([^)]*)\\)`, 'gm');
          let u;
          while ((u = re.exec(f.text))) into.add(u[1].split(',')[at].trim());
        }
      } else if ((m = b.match(/^([A-Za-z_]\w*)\s*(->|\.)\s*([A-Za-z_]\w*)$/))) {
        const fn = file.fns.find((x) => x.start <= idx && idx < x.end);
        const decl = fn && fn.paramDecls.find((p) => new RegExp(`\\b${m[1]}$`).test(p));
        const type = decl && (decl.match(/([A-Za-z_]\w*)\s*\*?\s*[A-Za-z_]\w*$/) || [])[1];
        if (!type) throw new Error(`${where}: the type of ${m[1]} in ${b} is not a parameter's`);
        let n = 0;
        for (const f of files) {
          const re = new RegExp(`\\b${type}\\s+[A-Za-z_]\\w*\\s*=\\s*\\{`, 'g');
          let u;
          while ((u = re.exec(f.text))) {
            const init = f.text.slice(u.index + u[0].length - 1, closing(f.text, u.index + u[0].length - 1));
            const v = init.match(new RegExp(`\\.${m[3]}\\s*=\\s*"([^"]*)"`));
            if (!v) throw new Error(`${f.path}:${lineOf(f, u.index)}: a ${type} without .${m[3]} = "…"`);
            into.add(v[1]);
            n++;
          }
        }
        if (!n) throw new Error(`${where}: no ${type} initialisers for ${b}`);
      } else if ((m = b.match(/^[A-Za-z_]\w*$/))) {
        const name = m[0];
        const mac = file.macros.find((x) => x.start <= idx && idx < x.end && x.params.includes(name));
        const fn = file.fns.find((x) => x.start <= idx && idx < x.end);
        if (mac) {
          const at = mac.params.indexOf(name);
          for (const c of callsOf(mac.name)) resolve(c.args[at], c.file, c.idx, into, depth + 1);
        } else if (fn && fn.params.includes(name)) {
          for (const v of paramValues(fn, fn.params.indexOf(name), where, depth)) into.add(v);
        } else if (fn) {
          // a local variable: what is assigned to it in the function
          const body = file.text.slice(fn.start, fn.end);
          const re = new RegExp(`\\b${name}\\s*=(?!=)\\s*([^;]+);`, 'g');
          let u, n = 0;
          while ((u = re.exec(body))) {
            resolve(u[1].trim(), file, fn.start + u.index, into, depth + 1);
            n++;
          }
          // or set by pj_in_enum(body, key, required, VALUES, &name, err): one of VALUES
          const en = new RegExp(`\\bpj_in_enum\\s*\\([^;]*?,\\s*([A-Za-z_]\\w*)\\s*,\\s*&${name}\\s*,`, 'g');
          while ((u = en.exec(body))) {
            for (const v of arrayValues(u[1], file, fn, where)) into.add(v);
            n++;
          }
          if (!n) throw new Error(`${where}: cannot tell the values of ${name}`);
        } else throw new Error(`${where}: ${name} outside a function`);
      } else throw new Error(`${where}: cannot tell the values of ${b}`);
    }
  }

  const calls = callsOf(SINK);
  if (calls.length < 10) throw new Error(`only ${calls.length} calls of ${SINK} found: the scan is broken`);
  for (const c of calls) {
    resolve(c.args[ROLES.action], c.file, c.idx, out.actions);
    resolve(c.args[ROLES.entity], c.file, c.idx, out.entities);
  }

  // rows the migrations insert with SQL: … 'migration', 'update', 'ag_farm', id …
  for (const f of files) {
    const re = /INSERT INTO audit\s*\(/g;
    let m;
    while ((m = re.exec(f.text))) {
      if (f.path.endsWith('domain/audit.c')) continue;
      const sql = f.text.slice(m.index, m.index + 600).replace(/"\s*"/g, '');
      const v = sql.match(/\(at, username, action, entity\b[^)]*\)\s*SELECT\s+\(.*?\),\s*'[^']*',\s*'(\w+)',\s*'(\w+)'/s);
      if (!v) throw new Error(`${f.path}:${lineOf(f, m.index)}: an INSERT INTO audit this scan cannot read`);
      out.actions.add(v[1]);
      out.entities.add(v[2]);
    }
  }
  return out;
}
