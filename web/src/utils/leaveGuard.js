// A form's leave guard: leaving the page (back gesture, menu, a link) with something typed and
// not saved asks first; nothing typed, or the form just saved, it leaves at once.
import { onBeforeUnmount, onMounted } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { ElMessageBox } from 'element-plus';
import { i18n } from '@/i18n/index.js';

// Everything of the open page that holds typed work not saved: a session that ends then is
// logged in again in place (the page kept, see ReloginDialog) rather than on the login page.
const holders = new Set();
/** true when some form of the page holds work not saved */
export function unsavedWork() {
  for (const f of holders) if (f()) return true;
  return false;
}
/** Counts `dirty()` (true: typed work not saved) as the page's while the component is mounted
 * — for a dialog's text that has no leave guard of its own. */
export function holdsWork(dirty) {
  onMounted(() => holders.add(dirty));
  onBeforeUnmount(() => holders.delete(dirty));
}

/** The question itself: true when the user lets the typed work go. */
async function askToDrop() {
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
}

/** state(): the form's values now, compared as JSON with those last marked, while live(). A
 * change not saved counts at a reload, a closed tab (the browser's own question), leaving the
 * page and a session ending. Returns mark(), dirty() and mayLeave(): the question, true when
 * nothing typed is lost or the user chose to let it go. */
function guardWork(state, live) {
  let base = JSON.stringify(state());
  const dirty = () => live() && JSON.stringify(state()) !== base;
  const unload = (e) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = '';
  };
  onMounted(() => window.addEventListener('beforeunload', unload));
  onBeforeUnmount(() => window.removeEventListener('beforeunload', unload));
  const mayLeave = async () => !dirty() || askToDrop();
  onBeforeRouteLeave(mayLeave);
  holdsWork(dirty);
  return { mark: () => (base = JSON.stringify(state())), dirty, mayLeave };
}

/**
 * state(): the form's values now (compared as JSON with those last marked). Returns mark(),
 * to call once the record is loaded into the form, release(), to call before leaving after a
 * save, and mayLeave(), the question itself, for a form closed without leaving the page.
 */
export function useLeaveGuard(state) {
  let free = false;
  const { mark, dirty, mayLeave } = guardWork(state, () => !free);
  return {
    mark,
    release: () => (free = true),
    dirty,
    // for a form closed without leaving the page (an editor's 放弃修改): asks as leaving does
    mayLeave,
  };
}

/**
 * A dialog's form (state(), while isOpen()): closing it with something typed — Esc, ×, its
 * cancel button — asks first, as leaving the page does (an appeal written out was lost at
 * Esc). mark() when the dialog opens with its values; beforeClose(done) is the dialog's
 * before-close; mayClose() the question for its own cancel button.
 */
export function useDialogGuard(state, isOpen) {
  const { mark, mayLeave } = guardWork(state, isOpen);
  return { mark, beforeClose: async (done) => (await mayLeave()) && done(), mayClose: mayLeave };
}
