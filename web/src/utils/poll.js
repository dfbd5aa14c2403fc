// Refreshing a page by itself (the conversion cockpit): every `interval` ms while the tab is
// visible, one request at a time. Every API request moves the server session's last_seen, so
// polling alone would keep a forgotten console signed in forever: after `idleMinutes` without
// any pointer, key or touch input the polling pauses (the page says so and offers to resume),
// and the 30-minute idle expiry of the session works as on every other page. Input resumes it.
import { onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { session } from '@/auth/session.js';

export function usePolling(fn, { interval = 5000, idleMinutes = 10 } = {}) {
  const paused = ref(false);
  const updatedAt = ref(null);
  let timer = null;
  let stopped = false;

  async function tick() {
    timer = null;
    if (stopped) return;
    if (Date.now() - session.lastInput > idleMinutes * 60000) {
      paused.value = true;
      return;
    }
    if (!document.hidden) {
      try {
        await fn();
        updatedAt.value = new Date();
      } catch {
        /* the page shows its own error; keep polling */
      }
    }
    if (!stopped && !paused.value) timer = setTimeout(tick, interval);
  }
  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, interval);
  }
  function resume() {
    paused.value = false;
    session.lastInput = Date.now();
    if (timer) clearTimeout(timer);
    tick();
  }
  const onVisible = () => {
    if (!document.hidden && !paused.value) resume();
  };
  watch(
    () => session.lastInput,
    () => {
      if (paused.value && !stopped) resume();
    },
  );
  onMounted(() => {
    schedule();
    document.addEventListener('visibilitychange', onVisible);
  });
  onBeforeUnmount(() => {
    stopped = true;
    if (timer) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  });
  /** after a user action refreshed the data: start the interval again from now */
  function touched() {
    updatedAt.value = new Date();
    if (!paused.value) schedule();
  }
  return { paused, updatedAt, resume, touched, interval };
}
