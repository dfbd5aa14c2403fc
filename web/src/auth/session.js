// The logged-in user and the idle-expiry clock.
//
// The server ends a session after `expires_in` seconds (1800; the log-in and GET /auth/me
// say it) without a request, and moves a session's last_seen forward only when at least 60 s
// have passed since the last move. The clock below mirrors that exactly, so the countdown in the header is what the server will
// do. User activity (pointer, keys, touch) counts: when the user is active and the server's
// last_seen is a minute or more old, the console sends GET /auth/me to keep the session.
import { reactive } from 'vue';
import { auth, clearCaches } from '@/api/resources.js';
import { setApiHooks } from '@/api/client.js';

const SERVER_TOUCH_S = 60;

export const session = reactive({
  user: null,
  checked: false, // whether we asked the server (GET /auth/me) since the page loaded
  idleSeconds: 1800,
  lastSeen: 0, // ms: our mirror of the server's sessions.last_seen
  now: Date.now(),
  expired: false,
  lastInput: Date.now(), // ms: the user's last pointer/key/touch (pages that poll pause when it is old)
  // a session ended with typed work on the page: the user it was (the page kept, hidden,
  // until the same user logs in again in place); '' otherwise
  relogin: '',
  lastUser: '', // the user of the session that ended last
  loggingOut: false, // 退出登录 on its way to the login page (the session ends once it is reached)
});

let expiryHandler = null;
export function onSessionEnd(fn) {
  expiryHandler = fn;
}

function touch() {
  const t = Date.now();
  if (!session.lastSeen || t - session.lastSeen >= SERVER_TOUCH_S * 1000) session.lastSeen = t;
}

setApiHooks({
  onActivity: () => {
    if (session.user) touch();
  },
  onUnauthorized: () => {
    if (session.user) end(true);
  },
});

export function remainingSeconds() {
  if (!session.user) return 0;
  return Math.max(0, session.idleSeconds - (session.now - session.lastSeen) / 1000);
}

function end(expired) {
  session.lastUser = session.user ? session.user.username : '';
  session.user = null;
  session.lastSeen = 0;
  session.expired = expired;
  clearCaches();
  if (expiryHandler) expiryHandler(expired);
}

/** GET /auth/me's answer: the user, and the server's idle time (`expires_in`, as at log-in) */
function took(me) {
  const { expires_in: idle, ...user } = me;
  if (idle > 0) session.idleSeconds = idle;
  session.user = user;
}

export async function restore() {
  if (session.checked) return session.user;
  try {
    // a page opened again on the session's cookie: the server's idle time, not the default
    took(await auth.me());
    session.lastSeen = Date.now();
  } catch {
    session.user = null;
  }
  session.checked = true;
  return session.user;
}

export async function login(username, password) {
  const res = await auth.login(username, password);
  clearCaches();
  session.user = res.user;
  session.idleSeconds = res.expires_in || 1800;
  session.lastSeen = Date.now();
  session.checked = true;
  session.expired = false;
  session.relogin = '';
  return res.user;
}

export async function logout() {
  try {
    await auth.logout();
  } catch {
    /* the session may already be gone */
  }
  end(false);
}

// --- the clock and activity tracking ---
let started = false;
let pinging = false;
export function startIdleClock() {
  if (started) return;
  started = true;
  setInterval(() => {
    session.now = Date.now();
    if (session.user && remainingSeconds() <= 0) end(true);
  }, 1000);
  const onActivity = () => {
    if (!session.user || pinging) return;
    if (Date.now() - session.lastSeen < SERVER_TOUCH_S * 1000) return;
    pinging = true;
    auth
      .me()
      .then((me) => {
        took(me); // role or scope may have changed
      })
      .catch(() => {})
      .finally(() => {
        pinging = false;
      });
  };
  let last = 0;
  const throttled = () => {
    const t = Date.now();
    if (t - last < 5000) return;
    last = t;
    session.lastInput = t;
    onActivity();
  };
  for (const ev of ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'])
    window.addEventListener(ev, throttled, { passive: true, capture: true });
}
