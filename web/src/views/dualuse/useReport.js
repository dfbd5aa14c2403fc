// The report pages of one conversion — 演练报告 (a drill's, scored) and 复盘报告 (a live
// conversion's after-action report): the report of the conversion shown last (each page hands a
// report of the other kind on to the other page, so a link by id always lands right), its
// facility (those who operate it add and close findings), and the CSV download.
import { computed, onMounted, ref, shallowRef, watch } from 'vue';
import { useRouter } from 'vue-router';
import { ElMessage } from 'element-plus';
import { conversions as convApi, facilities as facApi } from '@/api/resources.js';
import { session } from '@/auth/session.js';
import { canOperate } from '@/auth/permissions.js';
import { apiMessage, usePageError } from '@/utils/errors.js';
import { useExport } from '@/utils/download.js';
import { latest } from '@/utils/latest.js';

/** live: this page shows live reports (else drills'); other: the route of the other kind. */
export function useReport(props, { live, other, csvName }) {
  const router = useRouter();
  const r = shallowRef(null);
  const facility = shallowRef(null);
  const error = usePageError();
  const notFound = ref(false);
  const notDrill = ref(false); // 422: a conversion with no report of this kind

  // the conversion shown last wins (also against a reload after a finding)
  const loadReport = latest(async (run) => {
    const x = await run(convApi.report(props.id, { signal: run.signal }));
    if ((x.mode === 'live') !== live) {
      r.value = null;
      return router.replace({ name: other, params: { id: props.id } });
    }
    r.value = x;
  });
  const load = latest(async (run) => {
    error.value = '';
    notFound.value = false;
    try {
      await run(loadReport());
    } catch (e) {
      if (e.status === 404) notFound.value = true;
      else if (e.status === 422) notDrill.value = true;
      else error.set(e);
      return;
    }
    if (r.value) run(facApi.get(r.value.facility_id, { signal: run.signal })).then((f) => (facility.value = f), () => {});
  });
  onMounted(() => load());
  watch(() => props.id, () => load());

  const canAct = computed(() => !!facility.value && canOperate(session.user, facility.value));
  // one export at a time
  const { exporting, exportFile } = useExport((e) => ElMessage.error(apiMessage(e)));
  const downloadCsv = () => exportFile('csv', () => convApi.reportCsv(props.id), csvName(props.id));
  async function onFindingChanged() {
    try {
      await loadReport();
    } catch (e) {
      error.set(e);
    }
  }
  return { r, error, notFound, notDrill, canAct, exporting, downloadCsv, onFindingChanged };
}
