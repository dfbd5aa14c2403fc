// Emergency capacity arithmetic over the facilities list (pure: used by the dashboard and
// the e2e tests).

/** The capacity lines shown, in order: one per (role, unit) that the API defines. */
export const CAPACITY_LINES = [
  { role: 'isolation', unit: 'rooms' },
  { role: 'resettlement', unit: 'beds' },
  { role: 'medical', unit: 'beds' },
  { role: 'supply_store', unit: 'm3' },
  { role: 'supply_store', unit: 't' },
  { role: 'transport_hub', unit: 'vehicles_per_hour' },
];

/** A facility state's column: emergency = ready now, peacetime = convertible. */
export const STATE_GROUPS = [
  { key: 'ready', state: 'emergency' },
  { key: 'converting', state: 'converting' },
  { key: 'convertible', state: 'peacetime' },
  { key: 'restoring', state: 'restoring' },
];

export function lineKey(role, unit) {
  return `${role}:${unit}`;
}

/**
 * Sums capacities per (role, unit) and state group.
 * Returns { lines: [{role, unit, key, ready, converting, convertible, restoring, total, facilities}],
 *           counts: {ready, converting, convertible, restoring, total} }.
 */
export function capacityTotals(facilities) {
  const groupOf = Object.fromEntries(STATE_GROUPS.map((g) => [g.state, g.key]));
  const lines = new Map();
  for (const l of CAPACITY_LINES) lines.set(lineKey(l.role, l.unit), blankLine(l.role, l.unit));
  const counts = { ready: 0, converting: 0, convertible: 0, restoring: 0, total: 0 };
  for (const f of facilities) {
    const g = groupOf[f.state];
    if (g) counts[g]++;
    counts.total++;
    for (const r of f.emergency_roles || []) {
      const k = lineKey(r.role, r.unit);
      if (!lines.has(k)) lines.set(k, blankLine(r.role, r.unit));
      const line = lines.get(k);
      if (g) line[g] += r.capacity;
      line.total += r.capacity;
      line.facilities++;
    }
  }
  return { lines: [...lines.values()], counts };
}

/**
 * The same figures as capacityTotals, from the server's count of every facility
 * (GET /facilities/summary: {facilities, states, capacity}), however long the list is: a list
 * read page by page stops at a limit, and its counts fall short past it.
 */
export function summaryTotals(summary) {
  const lines = new Map();
  for (const l of CAPACITY_LINES) lines.set(lineKey(l.role, l.unit), blankLine(l.role, l.unit));
  const st = (summary && summary.states) || {};
  const counts = { ready: 0, converting: 0, convertible: 0, restoring: 0, total: (summary && summary.facilities) || 0 };
  for (const g of STATE_GROUPS) counts[g.key] = st[g.state] || 0;
  for (const c of (summary && summary.capacity) || []) {
    const k = lineKey(c.role, c.unit);
    if (!lines.has(k)) lines.set(k, blankLine(c.role, c.unit));
    const line = lines.get(k);
    for (const g of STATE_GROUPS) line[g.key] = c[g.state] || 0;
    line.total = c.total || 0;
    line.facilities = c.facilities || 0;
  }
  return { lines: [...lines.values()], counts };
}

function blankLine(role, unit) {
  return { role, unit, key: lineKey(role, unit), ready: 0, converting: 0, convertible: 0, restoring: 0, total: 0, facilities: 0 };
}

/**
 * A facility's relative size for the map: its largest role capacity as a share of the
 * largest capacity of that (role, unit) in the district, 0..1 (units cannot be added up).
 */
export function relativeSizes(facilities) {
  const max = new Map();
  for (const f of facilities)
    for (const r of f.emergency_roles || []) {
      const k = lineKey(r.role, r.unit);
      max.set(k, Math.max(max.get(k) || 0, r.capacity));
    }
  const out = new Map();
  for (const f of facilities) {
    let s = 0;
    for (const r of f.emergency_roles || []) {
      const m = max.get(lineKey(r.role, r.unit));
      if (m > 0) s = Math.max(s, r.capacity / m);
    }
    out.set(f.id, s);
  }
  return out;
}
