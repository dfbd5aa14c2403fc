// Calls of the eldercare module (互助养老, docs/api-eldercare.md): elders, helpers, pairing,
// service logs and time credits, alerts, the coverage report and the vulnerable list.
import { del, get, getAll, getText, post, patch } from './client.js';

export const elders = {
  list: (query, opts) => get('/elders', query, opts),
  get: (id, reveal, opts) => get(`/elders/${id}`, reveal ? { reveal: 1 } : undefined, opts),
  create: (body) => post('/elders', body),
  update: (id, body) => patch(`/elders/${id}`, body),
};

export const helpers = {
  list: (query, opts) => get('/helpers', query, opts),
  all: (query, opts) => getAll('/helpers', query, { limit: 500, maxPages: 20, ...opts }),
  get: (id, opts) => get(`/helpers/${id}`, undefined, opts),
  create: (body) => post('/helpers', body),
  update: (id, body) => patch(`/helpers/${id}`, body),
};

export const pairing = {
  runs: (query, opts) => get('/pairing-runs', query, opts),
  /** synchronous: answers with the run once the solver is done (seconds for a whole district:
   * the long time limit) */
  run: (region_id) => post('/pairing-runs', { region_id }, { limit: 'long' }),
  get: (id, query, opts) => get(`/pairing-runs/${id}`, query, opts),
  accept: (id, proposal_ids) => post(`/pairing-runs/${id}/accept`, proposal_ids ? { proposal_ids } : {}),
  reject: (id, proposal_ids) => post(`/pairing-runs/${id}/reject`, proposal_ids ? { proposal_ids } : {}),
  editProposal: (id, body) => patch(`/pair-proposals/${id}`, body),
  pairs: (query, opts) => get('/pairs', query, opts),
  createPair: (body) => post('/pairs', body),
  endPair: (id, body) => post(`/pairs/${id}/end`, body),
  /** pairing requests (结对申请): a grid worker asks, an officer accepts or declines */
  requests: (query, opts) => get('/pair-requests', query, opts),
  requestPair: (body) => post('/pair-requests', body),
  acceptRequest: (id, body) => post(`/pair-requests/${id}/accept`, body),
  declineRequest: (id, body) => post(`/pair-requests/${id}/decline`, body),
  withdrawRequest: (id, body) => post(`/pair-requests/${id}/withdraw`, body),
};

export const serviceLogs = {
  list: (query, opts) => get('/service-logs', query, opts),
  // the same visit logged again is refused (409 duplicate): a save that timed out may be sent again
  create: (body) => post('/service-logs', body, { once: true }),
  /** a log entered by mistake: marked voided, its credits taken back (reason required) */
  voidLog: (id, reason, version) => post(`/service-logs/${id}/void`, { reason, version }),
};

export const credits = {
  account: (id, query, opts) => get(`/credit-accounts/${id}`, query, opts),
  redeem: (id, body) => post(`/credit-accounts/${id}/redeem`, body),
  transfer: (id, body) => post(`/credit-accounts/${id}/transfer`, body),
};

export const elderAlerts = {
  list: (query, opts) => get('/elder-alerts', query, opts),
  ack: (id, body) => post(`/elder-alerts/${id}/ack`, body),
  resolve: (id, body) => post(`/elder-alerts/${id}/resolve`, body),
};

export const elderReports = {
  coverage: (query, opts) => get('/eldercare/coverage', query, opts),
  coverageCsv: (query) => getText('/eldercare/coverage', { ...query, format: 'csv' }),
  vulnerable: (query, opts) => get('/eldercare/vulnerable', query, opts),
  vulnerableCsv: (query) => getText('/eldercare/vulnerable', { ...query, format: 'csv' }),
};

/** Village mutual-aid points and township elderly-service centres (not personal data). */
export const centres = {
  list: (query, opts) => get('/elder-centres', query, opts),
  get: (id, opts) => get(`/elder-centres/${id}`, undefined, opts),
  create: (body) => post('/elder-centres', body),
  update: (id, body) => patch(`/elder-centres/${id}`, body),
  remove: (id) => del(`/elder-centres/${id}`),
};
