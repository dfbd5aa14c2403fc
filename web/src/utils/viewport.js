import { onBeforeUnmount, onMounted, ref } from 'vue';

/** The width from which a list shows its columns of least need (a time updated or created, a
 * helper, a warehouse's automation …): at an office laptop's 1366 px they pushed the table
 * sideways under its fixed actions column. */
export const TABLE_ROOM_PX = 1500;

/** Reactive "is the window wider than px" (tablet layouts drop secondary columns). */
export function useWide(px = 1280) {
  const wide = ref(window.innerWidth > px);
  const on = () => (wide.value = window.innerWidth > px);
  onMounted(() => window.addEventListener('resize', on));
  onBeforeUnmount(() => window.removeEventListener('resize', on));
  return wide;
}
