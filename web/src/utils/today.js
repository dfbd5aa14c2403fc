// Beijing's today as a ref that follows the clock: a page left open over midnight (Beijing)
// moves on to the new day — what is past, upcoming or "today" on it changes with the date.
// Timers sleep with the machine and are throttled in hidden tabs, so the day is also read
// again whenever the page becomes visible.
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { beijingToday } from './calendar.js';

const DAY_MS = 86400e3;
const BEIJING_MS = 8 * 3600e3;

/** Milliseconds from `now` to the next midnight in Beijing (at least 1). */
export const msToBeijingMidnight = (now = Date.now()) => DAY_MS - ((now + BEIJING_MS) % DAY_MS) || 1;

export function useBeijingToday() {
  const today = ref(beijingToday());
  let timer = 0;
  const arm = () => {
    clearTimeout(timer);
    today.value = beijingToday();
    // a second past midnight, so the timer's early wake-up cannot read the old day
    timer = setTimeout(arm, msToBeijingMidnight() + 1000);
  };
  const onVisibility = () => {
    if (!document.hidden) arm();
  };
  onMounted(() => {
    arm();
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });
  return today;
}
