// ECharts, only the parts the console draws (tree-shaken), plus the district outline.
import * as echarts from 'echarts/core';
import { ScatterChart, BarChart, LineChart, CustomChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent, LegendComponent, GridComponent, MarkLineComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';
// 平谷区 outline, WGS-84 (converted from the GCJ-02 source by web/scripts/extract-pinggu.mjs);
// a hashed file under /assets/, fetched once (CSP connect-src 'self').
import outlineUrl from '@/assets/pinggu.geo.json?url';

// custom (Gantt), line (drill trend) and mark lines (targets, now) for the dual-use pages
echarts.use([
  ScatterChart, BarChart, LineChart, CustomChart, GeoComponent, TooltipComponent, LegendComponent, GridComponent, MarkLineComponent,
  LabelLayout, CanvasRenderer,
]);

let outline = null;
export async function loadDistrictMap() {
  if (!outline) {
    const res = await fetch(outlineUrl, { credentials: 'same-origin' });
    if (!res.ok) throw new Error('outline ' + res.status);
    outline = await res.json();
    echarts.registerMap('pinggu', outline);
  }
  return 'pinggu';
}

// The district outline as an ECharts geo component, the same on every map page: it can be moved
// and zoomed, longitude is scaled for Pinggu's latitude (40.2° N) so the district keeps its shape,
// and the outline itself reacts to neither hover nor tooltip. `extra` is the page's placement,
// colours and limits.
export function districtGeo(map, extra) {
  return {
    map,
    roam: true,
    aspectScale: Math.cos((40.2 * Math.PI) / 180),
    emphasis: { disabled: true },
    tooltip: { show: false },
    ...extra,
  };
}

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * A ring of points [{lat, lon}] drawn on a geo map: a filled polygon when closed, else the line
 * so far (a polygon being drawn). `extra`: more of the series (a name for the legend, zlevel).
 */
export function ringSeries(ring, closed, { stroke, fill }, extra = {}) {
  return {
    type: 'custom',
    coordinateSystem: 'geo',
    silent: true,
    data: [[ring[0].lon, ring[0].lat]],
    itemStyle: { color: stroke }, // its legend mark
    renderItem: (params, api) => {
      const points = ring.map((p) => api.coord([p.lon, p.lat]));
      const style = { stroke, lineWidth: 2, fill: closed ? fill : null };
      return closed ? { type: 'polygon', shape: { points }, style, silent: true } : { type: 'polyline', shape: { points }, style, silent: true };
    },
    ...extra,
  };
}

export { echarts };
