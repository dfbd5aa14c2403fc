// The firms an officer files appeals and reception-day sign-ups for. A township officer acts
// only for the township's firms (the server refuses any other: 403 forbidden on
// organisation_id, "outside your township"): the search offers those alone, and a refusal says
// so naming the township (not "only your organisation's records", the code's general text).
import { ref, shallowRef } from 'vue';
import { searchOrgs } from '@/api/biz.js';
import { ref as names } from '@/api/resources.js';
import { session } from '@/auth/session.js';
import { i18n } from '@/i18n/index.js';
import { latest } from '@/utils/latest.js';

/** Enterprises by name for a select's remote search: {options, find(q)}; the text typed last
 * wins (an earlier search answering later is aborted or dropped). extra: more filters. */
export function useOrgSearch(extra = {}) {
  const options = shallowRef([]);
  const find = latest(async (run, q) => {
    if (!q) return;
    try {
      options.value = await run(searchOrgs(q, 'enterprise', extra, { signal: run.signal }));
    } catch {
      options.value = [];
    }
  });
  return { options, find };
}

export function useFirmSearch() {
  const township = ref('');
  const town = session.user?.role === 'township_officer' ? session.user.township_id : null;
  if (town) names.regionName(town).then((n) => (township.value = n), () => {});
  const { options, find } = useOrgSearch(town ? { township_id: town } : {});
  /** The township officer's refusal for a firm outside the township, naming it; '' otherwise. */
  function refusal(e) {
    if (!town || e?.code !== 'forbidden' || e.field !== 'organisation_id') return '';
    return i18n.global.t('ent.appeal.outsideTownship', { township: township.value || '#' + town });
  }
  return { options, find, refusal };
}
