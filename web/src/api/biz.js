// Calls of the enterprise-service module (服务企业, /enterprise/…) and the district-development
// module (indicators, carbon, livestream e-commerce). Reference data cached like api/resources.js.
import { get, getAll, getBlob, getText, post, patch, del, upload } from './client.js';

const E = '/enterprise';
export const ent = {
  settings: () => get(`${E}/settings`),
  catalogue: () => get(`${E}/dispatch-catalogue`),
  receptions: (query) => get(`${E}/reception-days`, query),
  reception: (id) => get(`${E}/reception-days/${id}`),
  schedule: (year) => post(`${E}/reception-days`, { year }),
  updateReception: (id, body) => patch(`${E}/reception-days/${id}`, body),
  signup: (id, body) => post(`${E}/reception-days/${id}/signups`, body),
  appeals: (query) => get(`${E}/appeals`, query),
  appeal: (id) => get(`${E}/appeals/${id}`),
  createAppeal: (body) => post(`${E}/appeals`, body),
  /** action: dispatch | accept | return | reply | rate | close | escalate | visit */
  act: (id, action, body) => post(`${E}/appeals/${id}/${action}`, body),
  returnVisits: (query) => get(`${E}/return-visits`, query),
  kpis: (from, to) => get(`${E}/kpis`, { from, to }),
  kpisCsv: (from, to) => getText(`${E}/kpis`, { from, to, format: 'csv' }),
  profile: (orgId) => get(`${E}/profiles/${orgId}`),
  updateProfile: (orgId, body) => patch(`${E}/profiles/${orgId}`, body),
  /** parse a rule; with organisation_id, explain it for that firm */
  ruleCheck: (conditions, organisation_id) => post(`${E}/rules/check`, { conditions, organisation_id }),
  policies: (query) => get(`${E}/policies`, query),
  policy: (id) => get(`${E}/policies/${id}`),
  policyMatches: (id, query) => get(`${E}/policies/${id}/matches`, query),
  explain: (id, organisation_id) => get(`${E}/policies/${id}/explain`, { organisation_id }),
  notices: (query) => get(`${E}/notices`, query),
  products: (query) => get(`${E}/bank-products`, query),
  needs: (query) => get(`${E}/financing-needs`, query),
  need: (id) => get(`${E}/financing-needs/${id}`),
  createNeed: (body) => post(`${E}/financing-needs`, body),
  matches: (query) => get(`${E}/financing-matches`, query),
  consent: (id, body) => post(`${E}/financing-matches/${id}/consent`, body),
  outcome: (id, body) => post(`${E}/financing-matches/${id}/outcome`, body),
  posts: (query) => get(`${E}/coop-posts`, query),
  createPost: (body) => post(`${E}/coop-posts`, body),
  postMatches: (id, query) => get(`${E}/coop-posts/${id}/matches`, query),
  contact: (id, body) => post(`${E}/coop-posts/${id}/contacts`, body),
  contacts: (query) => get(`${E}/coop-contacts`, query),
  respond: (id, body) => post(`${E}/coop-contacts/${id}/respond`, body),
};

export const dev = {
  dashboard: () => get('/dashboard'),
  indicators: () => getAll('/indicators'),
  values: (query) => getAll('/indicators/values', query),
  derived: (query) => get('/indicators/derived', query),
  importCsv: (csv, dry_run) => post('/indicators/import', { csv, dry_run }),
  /** a table file's bytes as they are (type: text/csv or the XLSX type); the server reads it */
  importFile: (bytes, type, dry_run) => upload('/indicators/import', bytes, type, { dry_run: dry_run ? 1 : 0 }),
  /** the values in the import's format: csv (text) or xlsx (a Blob) */
  exportCsv: (query) => getText('/indicators/export', query),
  exportXlsx: (query) => getBlob('/indicators/export', { ...query, format: 'xlsx' }),
  indicator: (id) => get(`/indicators/${id}`),
  /** one value with its revisions (oldest first) */
  value: (id) => get(`/indicators/values/${id}`),
  /** {version, value?, source?, note?}; 409 version_conflict when changed meanwhile */
  reviseValue: (id, body) => patch(`/indicators/values/${id}`, body),
  factors: () => getAll('/carbon/factors'),
  /** a factor version; with dry_run the server says what it would recompute and writes nothing */
  addFactor: (body) => post('/carbon/factors', body),
  updateFactor: (id, body) => patch(`/carbon/factors/${id}`, body),
  deleteFactor: (id, version, dryRun) => del(`/carbon/factors/${id}`, { version, ...(dryRun ? { dry_run: 1 } : {}) }),
  emissions: (query) => get('/carbon/emissions', query),
  energy: (query) => getAll('/carbon/energy', query),
  addEnergy: (body) => post('/carbon/energy', body),
  updateEnergy: (id, body) => patch(`/carbon/energy/${id}`, body),
  deleteEnergy: (id, version) => del(`/carbon/energy/${id}?version=${encodeURIComponent(version)}`),
  intensityYears: () => get('/carbon/intensity/years'),
  bases: () => getAll('/ecommerce/bases'),
  studios: (base_id) => getAll('/ecommerce/studios', { base_id }),
  bookings: (query) => getAll('/ecommerce/bookings', query),
  book: (body) => post('/ecommerce/bookings', body),
  cancelBooking: (id) => del(`/ecommerce/bookings/${id}`),
  streamers: (query) => get('/ecommerce/streamers', query),
  sessions: (query) => getAll('/ecommerce/sessions', query, { maxPages: 10 }),
  products: () => getAll('/ecommerce/products'),
  sales: (id) => get(`/ecommerce/products/${id}/sales`),
  kpi: (query) => get('/ecommerce/kpi', query),
};

/** Organisations by name (remote search for selects). */
/** extra: more filters of GET /organisations (township_id: a township officer's firms) */
export const searchOrgs = (q, type, extra = {}) => get('/organisations', { q, type, limit: 20, ...extra }).then((r) => r.items);
export { patch };

/** The holiday calendar (节假日与调休): public holidays and make-up working days. */
export const entCalendar = {
  /** {items: [{id, day, kind, name, source}]} of a year, by day */
  list: (year) => get(`${E}/calendar`, { year }),
  /** sets one day ({day, kind, name?, source?}); a day already entered is replaced */
  set: (body) => post(`${E}/calendar`, body),
  remove: (id) => del(`${E}/calendar/${id}`),
};
