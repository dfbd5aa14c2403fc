// Calls of the district-development parts (docs/api-development.md): the village-streamer
// academy (村播学院), agri-tech (农业科技) and the logistics hub (物流高地).
import { get, post, patch, del } from './client.js';

/** A register of records with one shape (list with cursor, one, create, change, delete). */
function register(path) {
  return {
    list: (query, opts) => get(path, query, opts),
    get: (id, opts) => get(`${path}/${id}`, undefined, opts),
    create: (body) => post(path, body),
    update: (id, body) => patch(`${path}/${id}`, body),
    remove: (id) => del(`${path}/${id}`),
  };
}

export const zoneEnterprises = register('/ecommerce/zone-enterprises');
/** Streamers: create, change (PATCH with version), anonymising delete. */
export const streamers = register('/ecommerce/streamers');
export const bases = register('/ecommerce/bases');
export const academy = {
  courses: register('/academy/courses'),
  cohorts: register('/academy/cohorts'),
  posts: register('/academy/posts'),
  enrolments: register('/academy/enrolments'),
  cohortState: (id, body) => post(`/academy/cohorts/${id}/state`, body),
  practice: (id, body) => post(`/academy/enrolments/${id}/practice`, body),
  graduate: (id, body) => post(`/academy/enrolments/${id}/graduate`, body),
  place: (id, body) => post(`/academy/enrolments/${id}/place`, body),
  withdraw: (id, body) => post(`/academy/enrolments/${id}/withdraw`, body),
  kpi: (query, opts) => get('/academy/kpi', query, opts),
};

export const AGRI_KINDS = ['labs', 'projects', 'milestones', 'farms', 'experts', 'sections', 'results', 'transfers'];
export const agri = {
  ...Object.fromEntries(AGRI_KINDS.map((k) => [k, register(`/agri/${k}`)])),
  output: (opts) => get('/agri/output', undefined, opts),
  kpi: (opts) => get('/agri/kpi', undefined, opts),
};

export const LOGISTICS_KINDS = ['parks', 'warehouses', 'tenants', 'freight', 'parcels', 'trains'];
export const logistics = {
  ...Object.fromEntries(LOGISTICS_KINDS.map((k) => [k, register(`/logistics/${k}`)])),
  kpi: (opts) => get('/logistics/kpi', undefined, opts),
};

/** The one forward step a cohort may take (planned → open → running → graduated). */
export const COHORT_STATES = ['planned', 'open', 'running', 'graduated'];
export function nextCohortState(s) {
  const i = COHORT_STATES.indexOf(s);
  return i >= 0 && i < COHORT_STATES.length - 1 ? COHORT_STATES[i + 1] : null;
}
/** The one forward step a warehouse may take (planned → under_construction → operating). */
export const WAREHOUSE_STATUSES = ['planned', 'under_construction', 'operating'];
export function nextWarehouseStatus(s) {
  const i = WAREHOUSE_STATUSES.indexOf(s);
  return i >= 0 && i < WAREHOUSE_STATUSES.length - 1 ? WAREHOUSE_STATUSES[i + 1] : null;
}
/** fen → 元 */
export const yuan = (fen) => (fen == null ? null : fen / 100);
