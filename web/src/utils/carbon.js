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
