// Calls of the eldercare module (互助养老, docs/api-eldercare.md): elders, helpers, pairing,
// service logs and time credits, alerts, the coverage report and the vulnerable list.
import { del, get, getAll, getText, post, patch } from './client.js';

export const elders = {
  list: (query) => get('/elders', query),
  get: (id, reveal) => get(`/elders/${id}`, reveal ? { reveal: 1 } : undefined),
  create: (body) => post('/elders', body),
  update: (id, body) => patch(`/elders/${id}`, body),
};

export const helpers = {
  list: (query) => get('/helpers', query),
  all: (query) => getAll('/helpers', query, { limit: 500, maxPages: 20 }),
  get: (id) => get(`/helpers/${id}`),
  create: (body) => post('/helpers', body),
  update: (id, body) => patch(`/helpers/${id}`, body),
};

export const pairing = {
  runs: (query) => get('/pairing-runs', query),
  /** synchronous: answers with the run once the solver is done */
  run: (region_id) => post('/pairing-runs', { region_id }),
  get: (id, query) => get(`/pairing-runs/${id}`, query),
  accept: (id, proposal_ids) => post(`/pairing-runs/${id}/accept`, proposal_ids ? { proposal_ids } : {}),
  reject: (id, proposal_ids) => post(`/pairing-runs/${id}/reject`, proposal_ids ? { proposal_ids } : {}),
  editProposal: (id, body) => patch(`/pair-proposals/${id}`, body),
  pairs: (query) => get('/pairs', query),
  endPair: (id, body) => post(`/pairs/${id}/end`, body),
};

export const serviceLogs = {
  list: (query) => get('/service-logs', query),
  create: (body) => post('/service-logs', body),
};

export const credits = {
  account: (id, query) => get(`/credit-accounts/${id}`, query),
  redeem: (id, body) => post(`/credit-accounts/${id}/redeem`, body),
  transfer: (id, body) => post(`/credit-accounts/${id}/transfer`, body),
};

export const elderAlerts = {
  list: (query) => get('/elder-alerts', query),
  ack: (id, body) => post(`/elder-alerts/${id}/ack`, body),
  resolve: (id, body) => post(`/elder-alerts/${id}/resolve`, body),
};

export const elderReports = {
  coverage: (query) => get('/eldercare/coverage', query),
  coverageCsv: (query) => getText('/eldercare/coverage', { ...query, format: 'csv' }),
  vulnerable: (query) => get('/eldercare/vulnerable', query),
  vulnerableCsv: (query) => getText('/eldercare/vulnerable', { ...query, format: 'csv' }),
};

/** Village mutual-aid points and township elderly-service centres (not personal data). */
export const centres = {
  list: (query) => get('/elder-centres', query),
  get: (id) => get(`/elder-centres/${id}`),
  create: (body) => post('/elder-centres', body),
  update: (id, body) => patch(`/elder-centres/${id}`, body),
  remove: (id) => del(`/elder-centres/${id}`),
};
