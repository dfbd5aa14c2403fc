// The console's pure helpers: Beijing-time dates, 万 numbers, capacity sums by state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, formatDate, formatNumber, formatDuration, shanghaiDayStartUtc } from '../../web/src/utils/format.js';
import { capacityTotals, relativeSizes } from '../../web/src/utils/capacity.js';

test('dates are Beijing time whatever the machine zone', () => {
  assert.equal(formatDateTime('2026-11-29T03:58:00Z'), '2026-11-29 11:58:00');
  assert.equal(formatDateTime('2026-12-31T16:30:05Z'), '2027-01-01 00:30:05');
  assert.equal(formatDate('2026-12-31T16:30:05Z'), '2027-01-01');
  assert.equal(formatDateTime(null), '—');
  assert.equal(shanghaiDayStartUtc('2026-11-29'), '2026-11-28T16:00:00Z');
  assert.equal(shanghaiDayStartUtc('2026-11-30', 1), '2026-11-30T16:00:00Z');
});

test('numbers use 万 and 亿 in Chinese, grouping in English', () => {
  assert.equal(formatNumber(7192, 'zh-CN'), '7,192');
  assert.equal(formatNumber(47900, 'zh-CN'), '4.79万');
  assert.equal(formatNumber(10000, 'zh-CN'), '1万');
  assert.equal(formatNumber(2848300, 'zh-CN'), '284.83万');
  assert.equal(formatNumber(345000000, 'zh-CN'), '3.45亿');
  assert.equal(formatNumber(47900, 'en'), '47,900');
  assert.equal(formatNumber(0.5, 'en'), '0.5');
  assert.equal(formatNumber(null, 'en'), '—');
  assert.equal(formatDuration(1799), '29:59');
  assert.equal(formatDuration(3600), '1:00:00');
});

test('capacity totals by state group and (role, unit)', () => {
  const f = [
    { id: 1, state: 'peacetime', emergency_roles: [{ role: 'isolation', unit: 'rooms', capacity: 300 }, { role: 'resettlement', unit: 'beds', capacity: 500 }] },
    { id: 2, state: 'emergency', emergency_roles: [{ role: 'isolation', unit: 'rooms', capacity: 80 }] },
    { id: 3, state: 'converting', emergency_roles: [{ role: 'supply_store', unit: 't', capacity: 12.5 }] },
    { id: 4, state: 'restoring', emergency_roles: [] },
  ];
  const { lines, counts } = capacityTotals(f);
  assert.deepEqual(counts, { ready: 1, converting: 1, convertible: 1, restoring: 1, total: 4 });
  const iso = lines.find((l) => l.key === 'isolation:rooms');
  assert.deepEqual([iso.ready, iso.converting, iso.convertible, iso.total, iso.facilities], [80, 0, 300, 380, 2]);
  assert.equal(lines.find((l) => l.key === 'supply_store:t').converting, 12.5);
  assert.equal(lines.find((l) => l.key === 'medical:beds').total, 0, 'every API line is listed, even when empty');
  const size = relativeSizes(f);
  assert.equal(size.get(1), 1);
  assert.equal(size.get(2), 80 / 300);
  assert.equal(size.get(4), 0);
});
