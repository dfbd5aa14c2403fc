// A form's leave guard: leaving the page (back gesture, menu, a link) with something typed and
// not saved asks first; nothing typed, or the form just saved, it leaves at once.
import { onBeforeUnmount, onMounted } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { ElMessageBox } from 'element-plus';
import { i18n } from '@/i18n/index.js';

/**
 * state(): the form's values now (compared as JSON with those last marked). Returns mark(),
 * to call once the record is loaded into the form, and release(), to call before leaving
 * after a save.
 */
export function useLeaveGuard(state) {
  let base = JSON.stringify(state());
  let free = false;
  const dirty = () => !free && JSON.stringify(state()) !== base;
  // a reload or a closed tab: the browser's own question
  const unload = (e) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = '';
  };
  onMounted(() => window.addEventListener('beforeunload', unload));
  onBeforeUnmount(() => window.removeEventListener('beforeunload', unload));
  onBeforeRouteLeave(async () => {
    if (!dirty()) return true;
    const { t } = i18n.global;
    try {
      await ElMessageBox.confirm(t('common.leaveUnsaved'), t('common.leaveUnsavedTitle'), {
        type: 'warning',
        confirmButtonText: t('common.leaveAnyway'),
        cancelButtonText: t('common.stay'),
      });
      return true;
    } catch {
      return false;
    }
  });
  return {
    mark: () => (base = JSON.stringify(state())),
    release: () => (free = true),
  };
}
