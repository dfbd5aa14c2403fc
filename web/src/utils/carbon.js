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

/** The source of a comparable year's energy (GET /carbon/intensity/years energy_from). */
export const energySourceOf = (x) => (String(x?.energy_from || '').startsWith('indicator') ? 'indicator' : 'use');

/**
 * The intensity chart (energy per 10,000 yuan of GDP and its decline) of the comparable years
 * of GET /carbon/intensity/years, ascending. The bars start at 0 (a bar's height is its
 * value: a 6.6 % decline must not look like 95 %); the decline is labelled with the API's
 * decline_rate_rounded, the same figure as the header and the table. Each year pair is drawn
 * from its own energy source (energy_from): a year is never one source's bar beside the next
 * year's bar of the other (the bureau's total of 2023 beside the sum of a few firms' use of
 * 2024 drew a fall of 99.8 % while the decline said a rise); when the sources change, the year
 * is drawn once for each, its label naming the source, in a colour of its source's own series.
 * labels: {intensity, unit, decline, sources: {indicator, use}}. null when there is nothing.
 */
export function intensityOption(rows, labels) {
  if (!rows || !rows.length) return null;
  const pts = []; // {year, src, v, d}, in the chart's order
  for (const x of [...rows].sort((a, b) => a.year - b.year)) {
    const src = energySourceOf(x);
    const last = pts[pts.length - 1];
    if (!last || last.year !== x.year - 1 || last.src !== src) pts.push({ year: x.year - 1, src, v: x.previous, d: null });
    pts.push({ year: x.year, src, v: x.intensity, d: x.decline_rate_rounded ?? null });
  }
  const srcs = [...new Set(pts.map((p) => p.src))];
  const mixed = srcs.length > 1;
  const name = (s) => (mixed ? `${labels.intensity}（${labels.sources?.[s] ?? s}）` : labels.intensity);
  const colour = { indicator: '#60a5fa', use: '#f59e0b' };
  return {
    tooltip: { trigger: 'axis' },
    // the legend below the chart, on one line (scrolled when narrow): above it, on a phone it
    // wrapped over the axes' names (两个"下降率" on each other)
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 60, right: 60, top: 36, bottom: mixed ? 72 : 56 },
    xAxis: { type: 'category', data: pts.map((p) => (mixed ? `${p.year}\n${labels.sources?.[p.src] ?? p.src}` : String(p.year))) },
    yAxis: [
      { type: 'value', name: labels.unit, min: 0 },
      { type: 'value', name: labels.decline, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      ...srcs.map((s) => ({
        name: name(s),
        type: 'bar',
        stack: 'intensity', // one bar a category: the other source's series is empty there
        data: pts.map((p) => (p.src === s ? +(+p.v).toFixed(4) : null)),
        itemStyle: { color: colour[s] },
        label: { show: true, position: 'top' },
      })),
      { name: labels.decline, type: 'line', yAxisIndex: 1, data: pts.map((p) => p.d), itemStyle: { color: '#16a34a' }, label: { show: true, formatter: '{c}%' } },
    ],
  };
}

/**
 * The emissions chart: one bar pair (t CO₂e, tce) a group of GET /carbon/emissions. name(key,
 * group) is the group's label (a sector's or energy type's name; by organisation the key is the
 * organisation's name, null for the use recorded without one and for the organisations beyond
 * the top ones, `others: true` with their count in `organisations`). null when there is nothing.
 */
export function emissionsOption(groups, name, units = { co2e: 't CO₂e', tce: 'tce' }) {
  if (!groups || !groups.length) return null;
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 110, right: 50, top: 30, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: groups.map((x) => name(x.key, x)) },
    series: [
      { name: units.co2e, type: 'bar', data: groups.map((x) => +(+x.t_co2e).toFixed(1)), itemStyle: { color: '#64748b' } },
      { name: units.tce, type: 'bar', data: groups.map((x) => +(+x.tce).toFixed(1)), itemStyle: { color: '#16a34a' } },
    ],
  };
}
