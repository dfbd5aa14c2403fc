// The state a register page (agri-tech, logistics) shares: its headline figures, the form,
// the tables by kind, and who may write which kind (the server checks scope as well).
import { onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import { session } from '@/auth/session.js';
import { can, canChangeRow } from '@/auth/permissions.js';
import { apiMessage, usePageError } from '@/utils/errors.js';
import { formatNumber } from '@/utils/format.js';
import { latest } from '@/utils/latest.js';

/** api: the module's API (its kpi()); perm: the permission prefix ('agri', 'logistics'). */
export function useRegisterPage(api, perm, tab) {
  const { t, locale } = useI18n();
  const kpi = ref(null);
  const error = usePageError();
  // the figures after the last save (an earlier answer arriving later is dropped)
  const loadKpi = latest(async (run) => {
    try {
      kpi.value = await run(api.kpi({ signal: run.signal }));
    } catch (e) {
      error.set(e);
    }
  });
  onMounted(() => loadKpi());
  const mayWrite = (k) => can(session.user, perm + '.write.' + k);
  /** the edit link of a row: only where the user's scope holds it */
  const mayChange = (k, row) => canChangeRow(session.user, perm + '.write.' + k, row);
  const tables = reactive({});
  const form = ref(null);
  /** A record saved through the form: shown first in its table, the figures again. */
  function onSaved(saved) {
    tables[tab.value]?.pin(saved);
    loadKpi();
  }
  /**
   * A record entered by mistake deleted, asked first (kinds: the i18n group of the kinds' names):
   * the table and the figures again (removeRecord).
   */
  async function remove(k, row, kinds) {
    if (!(await removeRecord(t, api[k], row, t(`${kinds}.${k}`)))) return;
    // reload, not refresh: a record just saved is pinned atop its table, and stayed shown once deleted
    tables[k]?.reload();
    loadKpi();
  }
  const withActions = (k, cs) => (mayWrite(k) ? [...cs, { key: 'actions', label: t('common.actions'), width: 120 }] : cs);
  const n = (v) => formatNumber(v, locale.value);
  return { kpi, error, mayWrite, mayChange, tables, form, onSaved, withActions, remove, n };
}

/**
 * A register's record entered by mistake deleted through `kindApi` (its remove(id)), asked first,
 * `what` naming its kind: true when its table should be read again (deleted, or gone already).
 * One that others still refer to is refused by the server (409 in_use, naming them), said in a
 * box that stays until read.
 */
export async function removeRecord(t, kindApi, row, what) {
  // named as its table shows it: a name or title, else what it is of and when (a month's
  // freight, a tenancy, a transfer)
  const name = row.name || row.title || [row.organisation || row.park || row.result || row.farm, row.month || row.since || row.date].filter(Boolean).join(' ') || `#${row.id}`;
  try {
    await ElMessageBox.confirm(t('dev2.deleteConfirm', { what, name }), t('dev2.deleteTitle', { what }), {
      type: 'warning',
      confirmButtonText: t('common.delete'),
      cancelButtonText: t('common.cancel'),
    });
  } catch {
    return false;
  }
  try {
    await kindApi.remove(row.id);
    ElMessage.success(t('dev2.deleted', { what, name }));
  } catch (e) {
    if (e.code === 'in_use') ElMessageBox.alert(apiMessage(e, { atField: true }), t('dev2.deleteTitle', { what }), { type: 'warning' });
    else ElMessage.error(apiMessage(e, { atField: true }));
    return e.status === 404;
  }
  return true;
}
