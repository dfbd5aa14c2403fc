// Named calls per resource, and small caches for reference data (townships, organisations,
// meta) that many pages show by id.
import { get, getAll, post, patch, del } from './client.js';

export const auth = {
  login: (username, password) => post('/auth/login', { username, password }),
  logout: () => post('/auth/logout'),
  me: () => get('/auth/me'),
  changePassword: (old_password, new_password) => post('/auth/password', { old_password, new_password }),
};

export const facilities = {
  list: (query, opts) => get('/facilities', query, opts),
  all: (query, opts) => getAll('/facilities', query, opts),
  get: (id) => get(`/facilities/${id}`),
  update: (id, body) => patch(`/facilities/${id}`, body),
};

export const regions = {
  list: (query) => get('/regions', query),
  all: (query) => getAll('/regions', query),
  get: (id) => get(`/regions/${id}`),
};

export const organisations = {
  all: (query) => getAll('/organisations', query),
  get: (id) => get(`/organisations/${id}`),
};

export const users = {
  list: (query) => get('/users', query),
  get: (id) => get(`/users/${id}`),
  create: (body) => post('/users', body),
  update: (id, body) => patch(`/users/${id}`, body),
  disable: (id) => del(`/users/${id}`),
};

export const audit = {
  list: (query) => get('/audit', query),
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
};
