// Names for ids shown in audit entries (township_id 303 → 金海湖地区), looked up once and
// cached; a reactive map so the view updates when a name arrives.
import { reactive } from 'vue';
import { ref as refData } from '@/api/resources.js';

const names = reactive({});
const pending = new Set();

const KINDS = {
  township_id: 'region',
  village_id: 'region',
  parent_id: 'region',
  operator_id: 'org',
  organisation_id: 'org',
  department_id: 'org', // the government departments of the enterprise services are organisations
  first_department_id: 'org',
  facility_id: 'facility',
};

export function isRef(key) {
  return key in KINDS;
}

/** The name for an id field's value, or "#id" until (or unless) it is known. */
export function nameOf(key, id) {
  const kind = KINDS[key];
  if (!kind || id === null || id === undefined) return null;
  const k = `${kind}:${id}`;
  if (!(k in names) && !pending.has(k)) {
    pending.add(k);
    const load =
      kind === 'org'
        ? refData.organisations().then((all) => (all.find((o) => o.id === id) || {}).name)
        : kind === 'facility'
          ? refData.facilityName(id)
          : refData.regionName(id);
    load.then(
      (n) => {
        if (n) names[k] = n;
      },
      () => {},
    );
  }
  return names[k] || `#${id}`;
}
