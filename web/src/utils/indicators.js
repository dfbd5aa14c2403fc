// Periods of indicator values (docs/api-development.md): 2024 (year), 2024H1 (half), 2024Q2
// (quarter), 2024-06 (month).

const RE = /^(\d{4})(?:H([12])|Q([1-4])|-(\d{2}))?$/;

/**
 * A number that orders periods in time: by the month the period ends in, and of periods
 * ending in the same month the longer first (2024 before 2024H2, 2024Q4 and 2024-12).
 */
export function periodOrder(p) {
  const m = RE.exec(String(p));
  if (!m) return -1;
  const [, y, h, q, mo] = m;
  const [end, span] = h ? [+h * 6, 6] : q ? [+q * 3, 3] : mo ? [+mo, 1] : [12, 12];
  return (+y * 12 + end) * 16 + span;
}

/** The same period a year earlier (2024Q2 → 2023Q2), or '' for what is not a period. */
export function yearBefore(p) {
  const m = RE.exec(String(p));
  return m ? String(+m[1] - 1) + String(p).slice(4) : '';
}
