// A chart's data as text, for its accessible name (a screen reader cannot read the canvas):
// per series its name and its first points, "名称 值" with the category of the axis; a point
// given as coordinates ([x, y]) tells its coordinate on the value axis — the minutes of
// [minutes, row] on a category y axis, not the row — or on the dimension its series encodes
// there. Maps (geo), Gantt bars (custom) and empty series give nothing — their page tells them
// otherwise.
// Pure, also used by the tests.

const fmt = (v) => (typeof v === 'number' && Number.isFinite(v) ? String(+v.toFixed(2)) : v == null || v === '' ? '—' : String(v));
const first = (a) => (Array.isArray(a) ? a[0] : a);

/** "series: cat value, cat value, …; series: …" (at most maxSeries series of maxPoints points). */
export function chartSummary(option, { maxSeries = 4, maxPoints = 12 } = {}) {
  if (!option || !option.series) return '';
  const x = first(option.xAxis);
  const y = first(option.yAxis);
  const cats = x?.type === 'category' ? x.data : y?.type === 'category' ? y.data : null;
  // the value axis of a category chart: y beside a category x, x beside a category y
  const valueAxis = x?.type === 'category' ? 'y' : y?.type === 'category' ? 'x' : null;
  const parts = [];
  for (const s of [].concat(option.series).slice(0, maxSeries)) {
    if (!s || s.type === 'custom' || s.type === 'map' || s.coordinateSystem === 'geo' || !Array.isArray(s.data) || !s.data.length) continue;
    const enc = valueAxis ? [].concat(s.encode?.[valueAxis] ?? [])[0] : undefined;
    const dim = (v) => (typeof enc === 'number' ? enc : valueAxis === 'x' ? 0 : valueAxis === 'y' ? 1 : v.length - 1);
    const points = s.data.slice(0, maxPoints).map((d, i) => {
      const obj = d !== null && typeof d === 'object' && !Array.isArray(d);
      const v = obj ? d.value : d;
      let name = obj && d.name != null ? d.name : cats ? cats[i] : null;
      if (name !== null && typeof name === 'object') name = name.value;
      if (Array.isArray(v)) return v.length === 2 && name == null ? `${fmt(v[0])} ${fmt(v[1])}` : `${name != null ? name + ' ' : ''}${fmt(v[dim(v)])}`;
      return name != null && name !== '' ? `${name} ${fmt(v)}` : fmt(v);
    });
    parts.push(`${s.name ? s.name + ': ' : ''}${points.join(', ')}${s.data.length > maxPoints ? ', …' : ''}`);
  }
  return parts.join('; ');
}
