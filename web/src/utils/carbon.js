// The carbon page's (碳管理) rules and charts as plain functions of their data — no Vue, no
// i18n instance (labels come in as arguments) — so that tests can run them as they are.

/** The sectors a use is recorded for: the API's list (docs/api-development.md), in its order. */
export const SECTORS = ['industry', 'logistics', 'services', 'public', 'agriculture', 'residential', 'transport'];

/**
 * The fields of the energy use dialog that are missing: sector, period and energy type must be
 * chosen, the quantity must be a number above 0 (the API refuses 0: a use of nothing). Returns
 * the names of the missing fields, in the form's order.
 */
export function energyMissing(form) {
  const missing = [];
  if (!form.sector) missing.push('sector');
  if (!String(form.period ?? '').trim()) missing.push('period');
  if (!form.energy_type) missing.push('energy_type');
  if (typeof form.quantity !== 'number' || !Number.isFinite(form.quantity) || !(form.quantity > 0)) missing.push('quantity');
  return missing;
}

/**
 * The intensity chart (energy per 10,000 yuan of GDP and its decline) of the comparable years
 * of GET /carbon/intensity/years, ascending. The bars start at 0 (a bar's height is its
 * value: a 6.6 % decline must not look like 95 %); the decline is labelled with the API's
 * decline_rate_rounded, the same figure as the header and the table. labels: {intensity,
 * unit, decline}. null when there is nothing to draw.
 */
export function intensityOption(rows, labels) {
  if (!rows || !rows.length) return null;
  const pts = new Map(); // year → {v, d}
  for (const x of [...rows].sort((a, b) => a.year - b.year)) {
    if (!pts.has(x.year - 1)) pts.set(x.year - 1, { v: x.previous, d: null });
    pts.set(x.year, { v: x.intensity, d: x.decline_rate_rounded ?? null });
  }
  const years = [...pts.keys()].sort((a, b) => a - b);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 60, right: 60, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: years.map(String) },
    yAxis: [
      { type: 'value', name: labels.unit, min: 0 },
      { type: 'value', name: labels.decline, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: labels.intensity, type: 'bar', data: years.map((y) => +(+pts.get(y).v).toFixed(4)), itemStyle: { color: '#60a5fa' }, label: { show: true, position: 'top' } },
      { name: labels.decline, type: 'line', yAxisIndex: 1, data: years.map((y) => pts.get(y).d), itemStyle: { color: '#16a34a' }, label: { show: true, formatter: '{c}%' } },
    ],
  };
}

/**
 * The emissions chart: one bar pair (t CO₂e, tce) a group of GET /carbon/emissions. name(key)
 * is the group's label (a sector's or energy type's name; by organisation the key is the
 * organisation's name, null for the use recorded without one). null when there is nothing.
 */
export function emissionsOption(groups, name) {
  if (!groups || !groups.length) return null;
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 110, right: 50, top: 30, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: groups.map((x) => name(x.key)) },
    series: [
      { name: 't CO₂e', type: 'bar', data: groups.map((x) => +(+x.t_co2e).toFixed(1)), itemStyle: { color: '#64748b' } },
      { name: 'tce', type: 'bar', data: groups.map((x) => +(+x.tce).toFixed(1)), itemStyle: { color: '#16a34a' } },
    ],
  };
}
