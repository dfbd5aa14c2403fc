// The one way the console talks to pingji: same-origin fetch with the HttpOnly session
// cookie (never a token in JS storage). Errors become ApiError with the API's
// {code, message, field, request_id} (and details, the figures of some refusals).

export class ApiError extends Error {
  constructor(status, body, fallback, headers) {
    const e = (body && body.error) || {};
    super(e.message || fallback || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    // a code that is not a plain word (absent, null, "undefined") counts as none
    const code = typeof e.code === 'string' && /^[a-z][a-z0-9_]*$/i.test(e.code) && e.code !== 'undefined' ? e.code : '';
    this.code = code || (status === 0 ? 'network' : 'http_' + status);
    // seconds to wait (429 answers carry Retry-After)
    const wait = headers && typeof headers.get === 'function' ? Number(headers.get('Retry-After')) : NaN;
    this.retryAfter = Number.isFinite(wait) && wait > 0 ? wait : 0;
    this.field = e.field || '';
    // the figures of a refusal, when the server gives them (e.g. what a flow has left to ship)
    this.details = e.details && typeof e.details === 'object' && !Array.isArray(e.details) ? e.details : null;
    this.requestId = e.request_id || '';
  }
}

const hooks = {
  /** called after every answered request that the server counted as session activity */
  onActivity: null,
  /** called on 401 from anything but the login call */
  onUnauthorized: null,
};
// called after every write the server accepted (the header's 待办 counts again); any number
const writeListeners = new Set();
/** fn() after each accepted write; returns a function that removes it */
export function onApiWrite(fn) {
  writeListeners.add(fn);
  return () => writeListeners.delete(fn);
}

export function setApiHooks(h) {
  Object.assign(hooks, h);
}

// The server's clock as its answers tell it (the Date header, whole seconds: +0.5 s on
// average), less this device's: times the console fills in itself (a visit's "last 30
// minutes") are taken from the server's clock, so a phone a few minutes fast or slow does not
// make them refused as in the future or shifted.
let clockOffset = 0;
function noteServerDate(res) {
  const at = Date.parse(res.headers.get('Date') || '');
  if (Number.isFinite(at)) clockOffset = at + 500 - Date.now();
}
/** now by the server's clock (this device's, until an answer told it) */
export function serverNow() {
  return new Date(Date.now() + clockOffset);
}
/** ms the device's clock is ahead of the server's (negative: behind) */
export function clockAhead() {
  return -clockOffset;
}

function qs(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

// How long a request may take before it is aborted (ms): a connection that stays open without
// an answer (a phone's network hanging) must not leave a button spinning for ever. Reads; writes
// (most answer in well under a second, a busy server or a slow network given more); and the
// long calls: a table imported (up to 1 MiB sent, all checked), a pairing run solved while the
// answer waits, a file exported. A plan is solved in the background (202), its POST is a
// write. `window.pjRequestLimits` ({read, write, long}, any of them) overrides these for the
// page (the browser tests: a few seconds rather than a minute).
export const LIMITS = { read: 30000, write: 45000, long: 180000 };
function limitMs(kind) {
  const own = typeof window !== 'undefined' && window.pjRequestLimits;
  const ms = own && Number(own[kind]);
  return Number.isFinite(ms) && ms > 0 ? ms : LIMITS[kind];
}

/**
 * fetch() within a time limit; `read(res)` takes the answer (its body read within the limit
 * too). The caller's `signal` aborting rethrows its AbortError; no answer within the limit is
 * ApiError status 0, code `timeout` (as a network error: the status 0 of `network`), with
 * `unsure` when it was a write that may or may not have reached the server, and `resend` when
 * sending it again cannot make it count twice (it carries an Idempotency-Key, or the server
 * refuses the same write twice).
 */
async function send(url, init, { signal, limit, write, once }, read) {
  const ms = limitMs(limit);
  const ctl = new AbortController();
  let timedOut = false;
  const follow = () => ctl.abort(signal.reason);
  if (signal) {
    if (signal.aborted) follow();
    else signal.addEventListener('abort', follow, { once: true });
  }
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, ms);
  try {
    const res = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store', signal: ctl.signal });
    return await read(res);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (timedOut) {
      const err = new ApiError(0, null, `no answer within ${Math.round(ms / 1000)} s`);
      err.code = 'timeout';
      err.unsure = !!write;
      err.resend = !!(write && once);
      throw err;
    }
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null, e && e.message);
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', follow);
  }
}

/**
 * One call of the API. opts: query, body, signal (reads: utils/latest.js aborts an earlier
 * load), type (the body sent as it is, a file's bytes, with that content type); limit
 * ('read', 'write' or 'long'; by default 'read' for GET, 'write' otherwise); safe (a POST
 * that changes nothing, or nothing twice: the log-in, a rules check; timed out, it is said as
 * a read is); once (the server refuses the same write twice, e.g. a visit logged again is 409
 * `duplicate`: timed out, the user may simply send it again — as they may any write of JSON,
 * which carries an Idempotency-Key: see call()).
 */
export async function api(method, path, opts = {}) {
  // a read the server asks to repeat shortly (429: this user's reports are all waiting or
  // running, as with a second tab open; 503: the report workers' queue is full) is asked
  // again after its Retry-After, a few times, while the page keeps showing it is loading
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(method, path, opts);
    } catch (e) {
      const again = method === 'GET' && e instanceof ApiError && (e.status === 429 || e.status === 503) && e.retryAfter > 0 && e.retryAfter <= 10 && attempt < READ_RETRIES;
      if (!again) throw e;
      await pause(e.retryAfter * 1000, opts.signal);
    }
  }
}

/** how many times a read answered 429 or 503 with a short Retry-After is asked again */
export const READ_RETRIES = 5;

/** ms, or until signal aborts (its reason thrown, as fetch would) */
function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    if (signal) signal.addEventListener('abort', stop, { once: true });
  });
}

// Idempotency-Key (docs/api.md §1, Sending a write again): every write of JSON carries one.
// The same write (method, URL, body) sent while it is still unanswered, or after it was not
// made for sure (no answer: the time limit, the network; or a refusal or failure, which may
// come from before the server looked at the key: a proxy's 504, 503 busy, a session expired),
// carries the same key: the server makes it once and answers each as the first, so a button
// pressed again never saves twice (a redemption debited twice, a record created twice). A
// write answered with success forgets its key at once: sent once more after that, it is a new
// write. Kept at most an hour here (the server keeps a key a day). Not for the routes that
// ignore keys (the log-in and log-out, a password change, user accounts: their bodies may hold
// passwords, which are not kept here either).
const KEY_KEEP_MS = 60 * 60 * 1000;
const UNKEYED = /^\/(?:auth\/|users(?:\/\d+)?$)/;
const writeKeys = new Map(); // method, URL and body → { key, at, pending }
function newKey() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // a page served over plain http on the district's network has no randomUUID
  const b = c.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
function writeKey(sig) {
  const now = Date.now();
  for (const [k, v] of writeKeys) if (!v.pending && now - v.at > KEY_KEEP_MS) writeKeys.delete(k);
  let v = writeKeys.get(sig);
  if (!v) writeKeys.set(sig, (v = { key: newKey(), at: now, pending: 0 }));
  v.pending++;
  return v;
}
function writeDone(sig, v, made) {
  v.pending--;
  v.at = Date.now();
  // made: no later call takes this key (a call still in flight with it keeps it for its answer)
  if (made && writeKeys.get(sig) === v) writeKeys.delete(sig);
}

async function call(method, path, { query, body, signal, type, limit, safe, once } = {}) {
  const headers = { Accept: 'application/json' };
  // type: the body is sent as it is (a file's bytes) with that content type
  if (body !== undefined) headers['Content-Type'] = type || 'application/json';
  const write = method !== 'GET' && method !== 'HEAD' && !safe;
  const url = '/api/v1' + path + qs(query);
  const init = { method, headers, body: body === undefined ? undefined : type ? body : JSON.stringify(body) };
  // a file's bytes are not compared: an upload is sent as a new write each time
  const sig = write && !type && !UNKEYED.test(path) ? `${method} ${url}\n${init.body ?? ''}` : null;
  const keyed = sig ? writeKey(sig) : null;
  if (keyed) headers['Idempotency-Key'] = keyed.key;
  const how = { signal, limit: limit || (method === 'GET' ? 'read' : 'write'), write, once: once || !!keyed };
  let made = false;
  try {
    return await send(url, init, how, readAnswer);
  } finally {
    if (keyed) writeDone(sig, keyed, made);
  }
  // made: a success read whole (the write is made, its key done with)
  async function readAnswer(res) {
    noteServerDate(res);
    let data = null;
    if (res.status === 204) made = true;
    else {
      const text = await res.text();
      made = res.ok;
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = null;
        }
      }
    }
    if (!res.ok) {
      const err = new ApiError(res.status, data, undefined, res.headers);
      if (res.status === 401 && path !== '/auth/login' && hooks.onUnauthorized) hooks.onUnauthorized(err);
      throw err;
    }
    if (path !== '/auth/logout' && hooks.onActivity) hooks.onActivity(path);
    if (write) for (const fn of writeListeners) fn(path);
    return data;
  }
}

/** GET a non-JSON answer (CSV exports) as text, within the long limit; errors as for api(). */
export async function getText(path, query) {
  return send('/api/v1' + path + qs(query), {}, { limit: 'long' }, async (res) => {
    const text = await res.text();
    if (!res.ok) {
      let data = null;
      try {
        data = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      const err = new ApiError(res.status, data);
      if (res.status === 401 && hooks.onUnauthorized) hooks.onUnauthorized(err);
      throw err;
    }
    if (hooks.onActivity) hooks.onActivity(path);
    return text;
  });
}

/** GET a binary answer (XLSX exports) as a Blob, within the long limit; errors as for api(). */
export async function getBlob(path, query) {
  return send('/api/v1' + path + qs(query), {}, { limit: 'long' }, async (res) => {
    if (!res.ok) {
      let data = null;
      try {
        data = JSON.parse(await res.text());
      } catch {
        /* not JSON */
      }
      const err = new ApiError(res.status, data);
      if (res.status === 401 && hooks.onUnauthorized) hooks.onUnauthorized(err);
      throw err;
    }
    const blob = await res.blob();
    if (hooks.onActivity) hooks.onActivity(path);
    return blob;
  });
}

export const get = (path, query, opts) => api('GET', path, { ...opts, query });
/** opts of writes: limit, safe, once (see api()) */
export const post = (path, body, opts) => api('POST', path, { ...opts, body });
export const patch = (path, body, opts) => api('PATCH', path, { ...opts, body });
export const del = (path, query, opts) => api('DELETE', path, { ...opts, query });
/** POST a file's bytes as they are (body: Blob, ArrayBuffer or Uint8Array) with its content
 * type, within the long limit. */
export const upload = (path, body, type, query, opts) => api('POST', path, { ...opts, body, type, query, limit: 'long' });

/**
 * Follows next_cursor until the end (or maxPages), returning all items. When maxPages stopped
 * it before the end the array says so: `items.truncated` is true (a page showing the list
 * must then say it is not complete). onPage(n) is called with the count read so far.
 */
export async function getAll(path, query = {}, { limit = 500, maxPages = 40, signal, onPage } = {}) {
  const items = [];
  let cursor;
  let more = false;
  for (let i = 0; i < maxPages; i++) {
    const page = await get(path, { ...query, limit, cursor }, { signal });
    items.push(...page.items);
    if (onPage) onPage(items.length);
    more = !!page.next_cursor;
    if (!more) break;
    cursor = page.next_cursor;
  }
  items.truncated = more;
  return items;
}
