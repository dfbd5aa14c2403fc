// The menu entry a page belongs to, when its record says more than its route: a drill's cockpit
// is the conversions' page (route meta.menu) but belongs to 演练管理. A page sets it for its own
// path once it knows; the layout highlights it while that path is shown.
import { ref } from 'vue';

export const pageMenu = ref({ path: '', menu: '' });

export function setPageMenu(path, menu) {
  pageMenu.value = { path, menu: menu || '' };
}
