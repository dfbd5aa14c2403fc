// Region names are not unique: the demo district has four villages called 王店村 and, in one
// township, two communities called 后坨社区. Where regions are offered together by name (a
// picker, a search's results), a name another option shares carries what tells them apart:
// the context that differs among the namesakes (the township of a village, the village and
// township of a grid), and the region code where that is the same too. A name no other option
// has is shown alone.

/**
 * Labels of regions offered together: Map id → label.
 * @param {Array<{id:number,name:string,code?:string}>} list the options
 * @param {(r:object)=>string[]} contextOf what may tell a region apart, most telling first
 *   (e.g. [township name]); the code is added last where these do not
 * @param {(name:string, ctx:string)=>string} format a name with its context (i18n)
 */
export function regionLabels(list, contextOf, format) {
  const byName = new Map();
  for (const r of list) byName.set(r.name, [...(byName.get(r.name) || []), r]);
  const out = new Map();
  for (const [name, same] of byName) {
    if (same.length === 1) {
      out.set(same[0].id, name);
      continue;
    }
    const parts = same.map((r) => [...(contextOf(r) || []).map((x) => x || ''), r.code ? String(r.code) : '#' + r.id]);
    const width = Math.max(...parts.map((p) => p.length));
    // only the parts that differ among the namesakes, as few as tell them all apart
    const telling = [...Array(width).keys()].filter((j) => new Set(parts.map((p) => p[j] ?? '')).size > 1);
    let used = telling;
    for (let k = 1; k <= telling.length; k++) {
      const cols = telling.slice(0, k);
      if (new Set(parts.map((p) => cols.map((j) => p[j] ?? '').join('\u0000'))).size === same.length) {
        used = cols;
        break;
      }
    }
    same.forEach((r, i) => {
      const ctx = used.map((j) => parts[i][j]).filter(Boolean);
      out.set(r.id, ctx.length ? format(name, ctx.join(' · ')) : name);
    });
  }
  return out;
}

/**
 * Where villages of a list lie, for naming them: Map village id → "（township）", or
 * "（township · code）" for a village another of the list shares its name and township with.
 * Three 李寨村 of three townships in one plan read alike without it.
 * @param {Array<{village_id:number,village_name:string}>} rows the villages shown together
 * @param {Array<{id:number,parent_id:number,code?:string}>} villages the district's (ref data)
 * @param {Array<{id:number,name:string}>} townships
 * @param {(x:string)=>string} inParens the language's brackets
 */
export function villagePlaces(rows, villages, townships, inParens) {
  const town = new Map(townships.map((x) => [x.id, x.name]));
  const of = new Map(villages.map((v) => [v.id, v]));
  const townOf = (id) => town.get(of.get(id)?.parent_id) || '';
  const ids = new Map(); // name + township → village ids
  for (const r of rows) {
    const k = r.village_name + '\u0000' + townOf(r.village_id);
    ids.set(k, (ids.get(k) || new Set()).add(r.village_id));
  }
  const out = new Map();
  for (const same of ids.values())
    for (const id of same) {
      const parts = [townOf(id), same.size > 1 ? of.get(id)?.code || '' : ''].filter(Boolean);
      if (parts.length) out.set(id, inParens(parts.join(' · ')));
    }
  return out;
}
