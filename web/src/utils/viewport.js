import { onBeforeUnmount, onMounted, ref } from 'vue';

/** Reactive "is the window wider than px" (tablet layouts drop secondary columns). */
export function useWide(px = 1280) {
  const wide = ref(window.innerWidth > px);
  const on = () => (wide.value = window.innerWidth > px);
  onMounted(() => window.addEventListener('resize', on));
  onBeforeUnmount(() => window.removeEventListener('resize', on));
  return wide;
}
