// Calls of the enterprise-service module (服务企业, /enterprise/…) and the district-development
// module (indicators, carbon, livestream e-commerce). Reference data cached like api/resources.js.
import { get, getAll, getBlob, getText, post, patch, del, upload } from './client.js';

const E = '/enterprise';
export const ent = {
  settings: (opts) => get(`${E}/settings`, undefined, opts),
  catalogue: (opts) => get(`${E}/dispatch-catalogue`, undefined, opts),
  receptions: (query, opts) => get(`${E}/reception-days`, query, opts),
  reception: (id, opts) => get(`${E}/reception-days/${id}`, undefined, opts),
  schedule: (year, fromToday = false) => post(`${E}/reception-days`, fromToday ? { year, from_today: true } : { year }),
  updateReception: (id, body) => patch(`${E}/reception-days/${id}`, body),
  signup: (id, body) => post(`${E}/reception-days/${id}/signups`, body),
  withdrawSignup: (id, body = {}) => post(`${E}/reception-days/${id}/signups/withdraw`, body),
  appeals: (query, opts) => get(`${E}/appeals`, query, opts),
  appeal: (id, opts) => get(`${E}/appeals/${id}`, undefined, opts),
  createAppeal: (body) => post(`${E}/appeals`, body),
  /** action: dispatch | accept | return | reply | rate | close | escalate | visit */
  act: (id, action, body) => post(`${E}/appeals/${id}/${action}`, body),
  returnVisits: (query, opts) => get(`${E}/return-visits`, query, opts),
  kpis: (from, to, opts) => get(`${E}/kpis`, { from, to }, opts),
  kpisCsv: (from, to) => getText(`${E}/kpis`, { from, to, format: 'csv' }),
  profile: (orgId, opts) => get(`${E}/profiles/${orgId}`, undefined, opts),
  updateProfile: (orgId, body) => patch(`${E}/profiles/${orgId}`, body),
  /** parse a rule; with organisation_id, explain it for that firm */
  ruleCheck: (conditions, organisation_id) => post(`${E}/rules/check`, { conditions, organisation_id }, { safe: true }),
  policies: (query, opts) => get(`${E}/policies`, query, opts),
  /** every page of the policies (a firm's matches: the in-force ones are not only in the first page) */
  allPolicies: (query, opts) => getAll(`${E}/policies`, query, opts),
  policy: (id, opts) => get(`${E}/policies/${id}`, undefined, opts),
  policyMatches: (id, query, opts) => get(`${E}/policies/${id}/matches`, query, opts),
  explain: (id, organisation_id, opts) => get(`${E}/policies/${id}/explain`, { organisation_id }, opts),
  notices: (query, opts) => get(`${E}/notices`, query, opts),
  products: (query, opts) => get(`${E}/bank-products`, query, opts),
  allProducts: (query, opts) => getAll(`${E}/bank-products`, query, opts),
  needs: (query, opts) => get(`${E}/financing-needs`, query, opts),
  need: (id, opts) => get(`${E}/financing-needs/${id}`, undefined, opts),
  createNeed: (body) => post(`${E}/financing-needs`, body),
  matches: (query, opts) => get(`${E}/financing-matches`, query, opts),
  consent: (id, body) => post(`${E}/financing-matches/${id}/consent`, body),
  outcome: (id, body) => post(`${E}/financing-matches/${id}/outcome`, body),
  posts: (query, opts) => get(`${E}/coop-posts`, query, opts),
  createPost: (body) => post(`${E}/coop-posts`, body),
  getPost: (id, opts) => get(`${E}/coop-posts/${id}`, undefined, opts),
  updatePost: (id, body) => patch(`${E}/coop-posts/${id}`, body),
  postMatches: (id, query, opts) => get(`${E}/coop-posts/${id}/matches`, query, opts),
  contact: (id, body) => post(`${E}/coop-posts/${id}/contacts`, body),
  contacts: (query, opts) => get(`${E}/coop-contacts`, query, opts),
  respond: (id, body) => post(`${E}/coop-contacts/${id}/respond`, body),
};

export const dev = {
  dashboard: (opts) => get('/dashboard', undefined, opts),
  indicators: (opts) => getAll('/indicators', {}, opts),
  values: (query, opts) => getAll('/indicators/values', query, opts),
  derived: (query, opts) => get('/indicators/derived', query, opts),
  importCsv: (csv, dry_run) => post('/indicators/import', { csv, dry_run }, { limit: 'long', safe: !!dry_run }),
  /** a table file's bytes as they are (type: text/csv or the XLSX type); the server reads it */
  importFile: (bytes, type, dry_run) => upload('/indicators/import', bytes, type, { dry_run: dry_run ? 1 : 0 }, { safe: !!dry_run }),
  /** the values in the import's format: csv (text) or xlsx (a Blob) */
  exportCsv: (query) => getText('/indicators/export', query),
  exportXlsx: (query) => getBlob('/indicators/export', { ...query, format: 'xlsx' }),
  indicator: (id, opts) => get(`/indicators/${id}`, undefined, opts),
  /** one value with its revisions (oldest first) */
  value: (id, opts) => get(`/indicators/values/${id}`, undefined, opts),
  /** {code, region?, period, value, source?, note?}; 409 value_exists when the region and period have one */
  addValue: (body) => post('/indicators/values', body),
  /** {version, value?, source?, note?}; 409 version_conflict when changed meanwhile */
  reviseValue: (id, body) => patch(`/indicators/values/${id}`, body),
  /** removes a value typed for the wrong period or region, with its revisions (the stored version) */
  deleteValue: (id, version) => del(`/indicators/values/${id}`, { version }),
  /** an indicator's targets (every region; code) */
  targets: (query, opts) => getAll('/indicators/targets', query, opts),
  target: (id, opts) => get(`/indicators/targets/${id}`, undefined, opts),
  /** {code, region?, period, value, source?, note?}; 409 conflict when the region and period have one */
  createTarget: (body) => post('/indicators/targets', body),
  /** {version, value?, source?, note?}; 409 version_conflict when changed meanwhile */
  updateTarget: (id, body) => patch(`/indicators/targets/${id}`, body),
  /** removes a target (the stored version); progress no longer uses it */
  deleteTarget: (id, version) => del(`/indicators/targets/${id}`, { version }),
  factors: (opts) => getAll('/carbon/factors', {}, opts),
  /** a factor version; with dry_run the server says what it would recompute and writes nothing */
  addFactor: (body) => post('/carbon/factors', body),
  updateFactor: (id, body) => patch(`/carbon/factors/${id}`, body),
  deleteFactor: (id, version, dryRun) => del(`/carbon/factors/${id}`, { version, ...(dryRun ? { dry_run: 1 } : {}) }),
  emissions: (query, opts) => get('/carbon/emissions', query, opts),
  energy: (query, opts) => getAll('/carbon/energy', query, opts),
  /** one page of energy use records (whether a year has any: {year, limit: 1}) */
  energyPage: (query, opts) => get('/carbon/energy', query, opts),
  addEnergy: (body) => post('/carbon/energy', body),
  updateEnergy: (id, body) => patch(`/carbon/energy/${id}`, body),
  deleteEnergy: (id, version) => del(`/carbon/energy/${id}?version=${encodeURIComponent(version)}`),
  intensityYears: (opts) => get('/carbon/intensity/years', undefined, opts),
  bases: (opts) => getAll('/ecommerce/bases', {}, opts),
  studios: (base_id, opts) => getAll('/ecommerce/studios', { base_id }, opts),
  bookings: (query, opts) => getAll('/ecommerce/bookings', query, opts),
  book: (body) => post('/ecommerce/bookings', body),
  cancelBooking: (id) => del(`/ecommerce/bookings/${id}`),
  streamers: (query, opts) => get('/ecommerce/streamers', query, opts),
  sessions: (query, opts) => getAll('/ecommerce/sessions', query, { maxPages: 10, ...opts }),
  products: (opts) => getAll('/ecommerce/products', {}, opts),
  sales: (id, opts) => get(`/ecommerce/products/${id}/sales`, undefined, opts),
  kpi: (query, opts) => get('/ecommerce/kpi', query, opts),
  /** the KPIs with `months`: [{month, sessions, orders, gmv_fen, hours}] summed by the server */
  kpiByMonth: (query, opts) => get('/ecommerce/kpi', { ...query, by: 'month' }, opts),
};

/** Organisations by name (remote search for selects). */
/** extra: more filters of GET /organisations (township_id: a township officer's firms) */
export const searchOrgs = (q, type, extra = {}, opts) => get('/organisations', { q, type, limit: 20, ...extra }, opts).then((r) => r.items);
export { patch };

/** The holiday calendar (节假日与调休): public holidays and make-up working days. */
export const entCalendar = {
  /** {items: [{id, day, kind, name, source}]} of a year, by day */
  list: (year, opts) => get(`${E}/calendar`, { year }, opts),
  /** sets one day ({day, kind, name?, source?}); a day already entered is replaced. Answers the
   * day and reception_days_to_move: the planned reception days now on a day off */
  set: (body) => post(`${E}/calendar`, body),
  remove: (id) => del(`${E}/calendar/${id}`),
};
