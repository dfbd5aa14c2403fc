// The state a register page (agri-tech, logistics) shares: its headline figures, the form,
// the tables by kind, and who may write which kind (the server checks scope as well).
import { onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { session } from '@/auth/session.js';
import { can, canChangeRow } from '@/auth/permissions.js';
import { usePageError } from '@/utils/errors.js';
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
  const withActions = (k, cs) => (mayWrite(k) ? [...cs, { key: 'actions', label: t('common.actions'), width: 80 }] : cs);
  const n = (v) => formatNumber(v, locale.value);
  return { kpi, error, mayWrite, mayChange, tables, form, onSaved, withActions, n };
}
