// The firms an officer files appeals and reception-day sign-ups for. A township officer acts
// only for the township's firms (the server refuses any other: 403 forbidden on
// organisation_id, "outside your township"): the search offers those alone, and a refusal says
// so naming the township (not "only your organisation's records", the code's general text).
import { ref, shallowRef } from 'vue';
import { searchOrgs } from '@/api/biz.js';
import { ref as names } from '@/api/resources.js';
import { session } from '@/auth/session.js';
import { i18n } from '@/i18n/index.js';

export function useFirmSearch() {
  const options = shallowRef([]);
  const township = ref('');
  const town = session.user?.role === 'township_officer' ? session.user.township_id : null;
  if (town) names.regionName(town).then((n) => (township.value = n), () => {});
  async function find(q) {
    if (!q) return;
    try {
      options.value = await searchOrgs(q, 'enterprise', town ? { township_id: town } : {});
    } catch {
      options.value = [];
    }
  }
  /** The township officer's refusal for a firm outside the township, naming it; '' otherwise. */
  function refusal(e) {
    if (!town || e?.code !== 'forbidden' || e.field !== 'organisation_id') return '';
    return i18n.global.t('ent.appeal.outsideTownship', { township: township.value || '#' + town });
  }
  return { options, find, refusal };
}
