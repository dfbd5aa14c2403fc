// Named calls per resource, and small caches for reference data (townships, organisations,
// meta) that many pages show by id. A read's last argument `opts` may carry `signal`
// (utils/latest.js aborts a page's earlier load); the cached reference data never does.
import { get, getAll, getBlob, getText, post, patch, del, upload } from './client.js';

export const auth = {
  // a log-in or log-out sent again changes nothing twice: timed out, said as a read is
  login: (username, password) => post('/auth/login', { username, password }, { safe: true }),
  logout: () => post('/auth/logout', undefined, { safe: true }),
  me: () => get('/auth/me'),
  changePassword: (old_password, new_password) => post('/auth/password', { old_password, new_password }),
};

// what waits on the user (待办): per kind of work their role does, how many in their scope
export const todo = { get: (opts) => get('/todo', undefined, opts) };

export const facilities = {
  list: (query, opts) => get('/facilities', query, opts),
  all: (query, opts) => getAll('/facilities', query, opts),
  /** every facility the list's filters select, counted: {facilities, states, capacity, townships} */
  summary: (query, opts) => get('/facilities/summary', query, opts),
  get: (id, opts) => get(`/facilities/${id}`, undefined, opts),
  update: (id, body) => patch(`/facilities/${id}`, body),
  create: (body) => post('/facilities', body),
  remove: (id) => del(`/facilities/${id}`),
  /** a facility table (CSV or XLSX bytes with its type); dry_run previews and writes nothing;
   * the same table imported twice changes nothing the second time (a timed-out commit may be
   * sent again) */
  importFile: (bytes, type, dryRun) => upload('/facilities/import', bytes, type, { dry_run: dryRun ? 1 : 0 }, dryRun ? { safe: true } : { once: true }),
  /** the list's facilities (its filters) in the import's columns: CSV text or an XLSX Blob */
  exportCsv: (query) => getText('/facilities/export', query),
  exportXlsx: (query) => getBlob('/facilities/export', { ...query, format: 'xlsx' }),
};

export const regions = {
  list: (query, opts) => get('/regions', query, opts),
  all: (query, opts) => getAll('/regions', query, opts),
  get: (id, opts) => get(`/regions/${id}`, undefined, opts),
  /** a township's villages and communities */
  villagesOf: async (townshipId, opts) => (await getAll('/regions', { parent_id: townshipId }, opts)).filter((r) => r.type === 'village' || r.type === 'community'),
};

export const organisations = {
  all: (query, opts) => getAll('/organisations', query, opts),
  get: (id, opts) => get(`/organisations/${id}`, undefined, opts),
  // the version read: one changed since is refused (409); the cached list (ref.organisations)
  // is dropped so every page shows the new industry and contact
  update: (id, body) => patch(`/organisations/${id}`, body).finally(() => cache.delete('orgs')),
};

export const users = {
  list: (query, opts) => get('/users', query, opts),
  get: (id, opts) => get(`/users/${id}`, undefined, opts),
  create: (body) => post('/users', body),
  update: (id, body) => patch(`/users/${id}`, body),
  disable: (id) => del(`/users/${id}`),
};

export const audit = {
  list: (query, opts) => get('/audit', query, opts),
};

// --- the dual-use module (平急转换): standards, manuals, conversions and drills, overview ---
export const overview = {
  get: (scenario, population, opts) => get('/overview', { scenario, population }, opts),
};

/** Stock lines of the supply stores (应急物资). */
export const stock = {
  // one page: filters category, facility_id, expiry_state (ok, soon, expired); limit, offset
  list: (query, opts) => get('/stock', query, opts),
  // per category over every line the filters hold (usable, expiring within 90 days, expired,
  // the lines per expiry state); by: 'facility' with a category: that category per store
  summary: (query, opts) => get('/stock/summary', query, opts),
  create: (body) => post('/stock', body),
  update: (id, body) => patch(`/stock/${id}`, body),
  // the version the page read: a line changed since is refused (409), not deleted unseen
  remove: (id, version) => del(`/stock/${id}`, { version }),
};

// team types (队伍类型): the teams manuals' steps need; the cached list (ref.teamTypes) is
// dropped after a change so every page names them anew
export const teamTypes = {
  list: (opts) => get('/team-types', undefined, opts).then((r) => r.items),
  create: (body) => post('/team-types', body).finally(() => cache.delete('team-types')),
  // name and the teams available (a count, or null: not recorded)
  update: (id, body, version) => patch(`/team-types/${id}`, { ...body, version }).finally(() => cache.delete('team-types')),
  // the version the page read: one renamed since is refused (409), not removed unseen
  remove: (id, version) => del(`/team-types/${id}`, { version }).finally(() => cache.delete('team-types')),
};

export const standards = {
  list: (query, opts) => get('/standards', query, opts),
  get: (id, opts) => get(`/standards/${id}`, undefined, opts),
};

export const manuals = {
  list: (query, opts) => get('/manuals', query, opts),
  get: (id, opts) => get(`/manuals/${id}`, undefined, opts),
  /** a new version: {facility_id, scenario, role, title, steps, restore_steps} or {…, csv} */
  create: (body) => post('/manuals', body),
  exportText: (id, format) => getText(`/manuals/${id}/export`, { format }),
};

export const conversions = {
  list: (query, opts) => get('/conversions', query, opts),
  get: (id, opts) => get(`/conversions/${id}`, undefined, opts),
  /** {facility_id, scenario, mode: 'live' | 'drill'} */
  start: (body) => post('/conversions', body),
  /** confirm: {confirm: true, reason} when the site still houses people of adopted plans (409 occupied otherwise) */
  restore: (id, confirm) => post(`/conversions/${id}/restore`, confirm || undefined),
  abort: (id, reason, confirm) => post(`/conversions/${id}/abort`, confirm ? { reason, confirm: true } : { reason }),
  timeline: (id, opts) => get(`/conversions/${id}/timeline`, undefined, opts),
  report: (id, opts) => get(`/conversions/${id}/report`, undefined, opts),
  reportCsv: (id) => getText(`/conversions/${id}/report`, { format: 'csv' }),
  addFinding: (id, body) => post(`/conversions/${id}/findings`, body),
  drillTrend: (facilityId, opts) => get(`/facilities/${facilityId}/drills`, undefined, opts),
};

// drill plans (演练计划): a facility's drills by scenario and date; the drill started there is
// held under the earliest open plan (status running, then held)
export const drillPlans = {
  all: (query, opts) => getAll('/drill-plans', query, opts),
  create: (body) => post('/drill-plans', body),
  update: (id, body) => patch(`/drill-plans/${id}`, body),
};

export const steps = {
  start: (id, remarks) => post(`/conversion-steps/${id}/start`, remarks ? { remarks } : undefined),
  finish: (id, remarks) => post(`/conversion-steps/${id}/finish`, remarks ? { remarks } : undefined),
  sign: (id, item) => post(`/conversion-steps/${id}/sign`, { item }),
};

export const findings = {
  list: (query, opts) => get('/findings', query, opts),
  all: (query, opts) => getAll('/findings', query, { limit: 200, ...opts }),
  update: (id, body) => patch(`/findings/${id}`, body),
};

// --- the planner (应急规划): scenario in, plan out; compare; adopt; shipments ---
export const plans = {
  list: (query, opts) => get('/plans', query, opts),
  /** every page (a picker offers any plan, not the newest page only) */
  all: (query, opts) => getAll('/plans', query, opts),
  get: (id, opts) => get(`/plans/${id}`, undefined, opts),
  /** a scenario (docs/api-planner.md); the reply is the saved plan (201), or, when the
   * server solves in the background, a plan whose status is `solving` (202) */
  create: (scenario) => post('/plans', scenario),
  compare: (a, b, opts) => get('/plans/compare', { a, b }, opts),
  /** confirm: true adopts the plan though conversions under way still need teams its schedule
   * takes as free (its teams_busy; 409 teams_busy otherwise) */
  adopt: (id, version, confirm) => post(`/plans/${id}/adopt`, version || confirm ? { ...(version ? { version } : {}), ...(confirm ? { confirm: true } : {}) } : undefined),
  // stand an adopted plan down when its crisis is over (reason required)
  close: (id, reason, version) => post(`/plans/${id}/close`, version ? { reason, version } : { reason }),
  /** an adopted plan's flow shipped: {store_id, facility_id, category, quantity} (201 with the
   * shipment and its flow's {quantity, shipped, remaining}) */
  ship: (id, body) => post(`/plans/${id}/shipments`, body),
  shipments: (id, opts) => getAll(`/plans/${id}/shipments`, {}, opts),
  // a shipment recorded in error voided (reason required): its quantity back on the stock
  voidShipment: (id, sid, reason) => post(`/plans/${id}/shipments/${sid}/void`, { reason }),
};

const cache = new Map();
function cached(key, fn) {
  if (!cache.has(key)) cache.set(key, fn().catch((e) => { cache.delete(key); throw e; }));
  return cache.get(key);
}
export function clearCaches() {
  cache.clear();
}

export const ref = {
  meta: () => cached('meta', () => get('/meta')),
  /** townships sorted by code */
  townships: () =>
    cached('townships', async () => (await regions.all({ type: 'township' })).sort((a, b) => String(a.code).localeCompare(String(b.code)))),
  organisations: () => cached('orgs', () => organisations.all()),
  facilityName: (id) => cached('fac:' + id, async () => (await facilities.get(id)).name),
  regionName: (id) => cached('reg:' + id, async () => (await regions.get(id)).name),
  /** team types [{id, code, name, version}] */
  teamTypes: () => cached('team-types', async () => (await get('/team-types')).items),
  /** villages and communities [{id, parent_id, name, type, lat, lon, population}] */
  villages: () =>
    cached('villages', async () => {
      const [v, c] = await Promise.all([regions.all({ type: 'village' }), regions.all({ type: 'community' })]);
      return [...v, ...c].sort((a, b) => String(a.code).localeCompare(String(b.code)));
    }),
};
