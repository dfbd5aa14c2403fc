// What the audit log shows of an entry (views/admin/AuditLog.vue, components/AuditChanges.vue):
// the fields left out, the label of a field, the message group that translates a field's
// value, the console page of an entity, the filters' order. Free of Vue and browser imports: the
// e2e tests import it to check that every entity, action and field the server writes has a label.

/** Internal fields: row ids, versions, row times, a page cursor. */
export const AUDIT_SKIP = new Set(['id', 'version', 'created_at', 'updated_at', 'next_cursor', 'credit_txn_id']);

/**
 * The message group of an enumerated field, by entity ('*': any entity). Arrays of codes
 * (skills, categories) are translated element by element.
 */
export const AUDIT_ENUMS = {
  '*': { source: 'sources' },
  facility: { type: 'facilityTypes', state: 'states', peacetime_unit: 'units' },
  user: { role: 'roles', organisation_type: 'orgTypes', check: 'passwordChecks' },
  organisation: { type: 'orgTypes' },
  standard: { scenario: 'scenarios', role: 'emergencyRoles', facility_type: 'facilityTypes' },
  manual: { scenario: 'scenarios', role: 'emergencyRoles' },
  conversion: { mode: 'modes', scenario: 'scenarios', state: 'convStates', facility_state: 'states' },
  conversion_step: { phase: 'phases', status: 'stepStatus' },
  finding: { status: 'findingStatus' },
  stock_line: { category: 'supplies', unit: 'units' },
  plan: { scenario: 'scenarios', role: 'emergencyRoles', status: 'plan.statuses' },
  plan_shipment: { category: 'supplies', unit: 'units' },
  elder: {
    sex: 'eldercare.sex',
    helper_sex_pref: 'eldercare.sexPrefs',
    meal_provider: 'eldercare.mealProviders',
    status: 'eldercare.statuses',
    visit_tier: 'eldercare.tiers',
    visit_tier_suggested: 'eldercare.tiers',
    ability_level: 'eldercare.ability',
    help_needed: 'eldercare.skills',
  },
  helper: { sex: 'eldercare.sex', skills: 'eldercare.skills' },
  service_log: { kind: 'eldercare.kinds' },
  pair: { state: 'eldercare.pairStates' },
  pair_proposal: { state: 'eldercare.proposalStates' },
  pair_run: { action: 'auditActionsOf.pair_run', state: 'eldercare.runStates' },
  credit_account: { owner_kind: 'auditEntities' },
  elder_alert: { kind: 'eldercare.alertKinds', state: 'eldercare.alertStates', level: 'eldercare.levels', resolved_reason: 'eldercare.alertReasons' },
  elder_centre: { kind: 'centres.kinds', status: 'centres.statuses' },
  ac_cohort: { state: 'dev2.cohortStates', base_tier: 'dev.ec.tiers' },
  ac_course: { category: 'dev2.courseCategories' },
  ac_enrolment: { state: 'dev2.enrolmentStates', cohort_state: 'dev2.cohortStates' },
  ac_post: { state: 'dev2.postStates' },
  ec_base: { tier: 'dev.ec.tiers' },
  ec_booking: { state: 'dev.st.states' },
  ec_product: { category: 'dev2.ecCategories' },
  ec_session: { platform: 'dev2.platforms' },
  ec_streamer: { categories: 'dev2.ecCategories' },
  ec_zone_enterprise: { kind: 'dev2.zoneKinds' },
  ag_lab: { kind: 'dev2.labKinds' },
  ag_project: { state: 'dev2.projectStates' },
  ag_milestone: { state: 'dev2.milestoneStates' },
  ag_expert: { title: 'dev2.expertTitles' },
  ag_section: { state: 'dev2.buildStates' },
  ag_result: { kind: 'dev2.resultKinds' },
  lg_warehouse: { status: 'dev2.buildStates', automation: 'dev2.automationLevels' },
  lg_freight: { mode: 'dev2.freightModes' },
  lg_train: { kind: 'dev2.trainKinds', state: 'dev2.trainStates' },
  energy_use: { sector: 'dev.carbon.sectors', energy_type: 'dev.carbon.energy' },
  emission_factor: { energy_type: 'dev.carbon.energy' },
  ent_appeal: { state: 'ent.states', type: 'ent.types', category: 'ent.categories', channel: 'ent.channels', rating: 'ent.ratings' },
  ent_calendar: { kind: 'entCal.kinds' },
  ent_reception_day: { state: 'ent.reception.states', move_kind: 'ent.reception.moveKinds', notice: 'ent.notice.kinds' },
  ent_policy: { status: 'ent.policy.statuses' },
  ent_fin_match: { consent: 'ent.finance.consents', outcome: 'ent.finance.outcomes' },
  ent_fin_need: { state: 'ent.finance.needStates' },
  ent_coop_post: { kind: 'ent.coop.kinds', category: 'ent.coop.cats' },
  ent_coop_contact: { state: 'ent.coop.states' },
  ent_dispatch: { category: 'ent.categories' },
};

/** The message group that translates field `key` of an `entity` row, or ''. */
export function auditEnumGroup(entity, key) {
  return (AUDIT_ENUMS[entity] || {})[key] || AUDIT_ENUMS['*'][key] || '';
}

/**
 * The message key of a field's label: the entity's own wording first (auditFieldsOf), then
 * the common field names (fields), then the audit's (auditFields); null when none has it.
 * te(key) tells whether the message exists.
 */
export function auditFieldKey(entity, key, te) {
  for (const k of [`auditFieldsOf.${entity}.${key}`, `fields.${key}`, `auditFields.${key}`]) if (te(k)) return k;
  return null;
}

/**
 * The message key of an action as written on an entity: its own wording where the shared one
 * would mislead (a pairing run's `accept` adopts proposals, an appeal's is 受理), else the shared.
 */
export function auditActionKey(entity, action, te) {
  const own = `auditActionsOf.${entity}.${action}`;
  return te(own) ? own : `auditActions.${action}`;
}

/**
 * Whether field `key` is left out of an entry whose fields are `keys`: internal, or the id
 * of something the row also names (department_id beside department, elder_id beside
 * elder_name) — the name says it.
 */
export function auditSkipped(key, keys) {
  if (AUDIT_SKIP.has(key)) return true;
  // a user's display name beside the username it is for (created_by_name): shown with it
  const by = key.match(/^(.+_by)_name$/);
  if (by && keys.has(by[1])) return true;
  const m = key.match(/^(.+)_id$/);
  return !!m && (keys.has(m[1]) || keys.has(m[1] + '_name'));
}

/** The route (by name, with :id) of an entity's own page in the console. */
export const AUDIT_PAGES = {
  facility: 'facility',
  conversion: 'conversion',
  manual: 'manual',
  plan: 'plan',
  elder: 'elder',
  helper: 'helper',
  pair_run: 'pairing-run',
  ent_appeal: 'ent-appeal',
  ent_policy: 'ent-policy',
  ac_cohort: 'academy-cohort',
};

/** The codes of a message group sorted by their labels in `locale` (label(code) gives one). */
export function sortedByLabel(codes, label, locale) {
  const coll = new Intl.Collator(locale);
  return codes.map((code) => ({ code, label: label(code) })).sort((a, b) => coll.compare(a.label, b.label) || coll.compare(a.code, b.code));
}

/**
 * Fields holding an id range [first, last]: the alert scan's slice of elders, the proposals a
 * pairing run's accept or reject moved.
 */
export const AUDIT_ID_RANGES = new Set(['elder_ids', 'proposal_id_range']);
/**
 * An id range in words: a last of -1 is "to the last one" (the scan's final slice), a first
 * of 0 with it everyone; t is vue-i18n's. Anything else than two integers is listed as given.
 */
export function auditIdRange(v, t) {
  if (!Array.isArray(v) || v.length !== 2 || !v.every(Number.isInteger)) return v.join(t('common.listSep'));
  const [from, to] = v;
  if (to === -1) return from <= 0 ? t('audit.idRangeAll') : t('audit.idRangeOpen', { from });
  return t('audit.idRange', { from, to });
}
