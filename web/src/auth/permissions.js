// What each role may see in the console. Mirrors the server's route table
// (src/http/routes.c); the server remains the authority — this only hides what would fail.
import { BIZ_PERMISSIONS } from './permissions.biz.js';

export const ROLES = ['admin', 'district_officer', 'township_officer', 'facility_operator', 'grid_worker', 'enterprise', 'viewer'];
const ALL = ROLES;
const DISTRICT = ['admin', 'district_officer'];
// the dual-use module (src/http/h_dualuse.c): reads for every role but enterprise; writes for
// the operating roles, within their scope (district: all; township: own; operator: own facility)
const OFFICIALS = ROLES.filter((r) => r !== 'enterprise');
const OPERATORS = ['admin', 'district_officer', 'township_officer', 'facility_operator'];

export const PERMISSIONS = {
  dashboard: ALL,
  facilities: ALL,
  'facilities.edit': ['admin', 'district_officer', 'township_officer', 'facility_operator'],
  'facilities.history': DISTRICT, // GET /audit is admin + district officer
  'facilities.import': ['admin', 'district_officer', 'township_officer'],
  // POST /facilities, DELETE /facilities/{id} (a township officer: their township's)
  'facilities.create': ['admin', 'district_officer', 'township_officer'], // POST /facilities/import (a township officer: their township's rows)
  users: ['admin'],
  audit: DISTRICT,
  overview: OFFICIALS, // GET /overview (the dashboard falls back to the facilities list without it)
  conversions: OFFICIALS,
  manuals: OFFICIALS,
  drills: OFFICIALS,
  stock: OFFICIALS, // GET /stock; writes: dualuse.write within the facility's scope (canOperate)
  'dualuse.write': OPERATORS, // manuals, conversions, steps, findings (scope: canOperate)
  'teamtypes.write': DISTRICT, // POST /team-types, PATCH and DELETE /team-types/{id}
  // drill plans (POST, PATCH /drill-plans): officers; a township officer their township's
  // facilities (canPlanDrill)
  'drills.plan': ['admin', 'district_officer', 'township_officer'],
  // eldercare (src/http/h_eldercare.c): personal records for officers and grid workers (scope:
  // their township / grids, checked by the server); pairing for officers; the aggregate
  // coverage report also for viewers
  eldercare: ['admin', 'district_officer', 'township_officer', 'grid_worker'],
  'eldercare.pairing': ['admin', 'district_officer', 'township_officer'],
  // a grid worker asks for a pairing (结对申请); the township's officer decides it
  'eldercare.pairRequest': ['grid_worker'],
  'eldercare.credits': ['admin', 'district_officer', 'township_officer'], // redeem, transfer
  'eldercare.reports': ['admin', 'district_officer', 'township_officer', 'grid_worker', 'viewer'],
  // elder centres (GET /elder-centres: every role but enterprise, not personal data; POST and
  // PATCH: officers, a township officer their township's centres, checked by the server)
  'eldercare.centres': OFFICIALS,
  'eldercare.centres.write': ['admin', 'district_officer', 'township_officer'],
  // the planner (src/http/h_plan.c): reads for every role but enterprise; plans made by the
  // officials, adopted (conversions started) by the district
  plans: OFFICIALS,
  'plans.write': ['admin', 'district_officer', 'township_officer'],
  'plans.adopt': DISTRICT,
  'plans.close': DISTRICT,
  // an adopted plan's shipments: the district any store's, a township officer and a facility
  // operator within the store's scope (as for its stock lines; utils/plans.js mayShip)
  'plans.ship': OPERATORS,
  ...BIZ_PERMISSIONS, // enterprise services and district development
  // district development (src/http/h_ecommerce.c academy routes, h_agritech.c, h_logistics.c):
  // every role reads (the server scopes an enterprise user to its own organisation's rows);
  // enrolments are not shown to operators and grid workers; cohort states and graduation are
  // the academy's (officers); enrolment, practice, placement also the post's enterprise
  academy: ALL,
  'academy.enrolments': ['admin', 'district_officer', 'township_officer', 'enterprise', 'viewer'],
  'academy.write': ['admin', 'district_officer', 'township_officer', 'enterprise'],
  'academy.admin': ['admin', 'district_officer', 'township_officer'],
  'academy.courses': DISTRICT, // courses: the district's academy
  'academy.zones': DISTRICT, // the enterprises settled in the livestream zone
  'academy.posts': ['admin', 'district_officer', 'enterprise'], // job posts (an enterprise: its own)
  agri: ALL,
  logistics: ALL,
  'logistics.write': ['admin', 'district_officer', 'township_officer', 'enterprise'],
  // who may create and change each kind of record (src/domain/agritech.c, logistics.c): admin
  // and district officers every kind; township officers the kinds with a township (their own,
  // checked by the server); enterprise users the organisation-owned kinds (their own rows)
  ...Object.fromEntries(
    Object.entries({
      agri: { labs: 'town', projects: 'org', milestones: 'org', farms: 'org', experts: 'org', sections: 'org', results: 'district', transfers: 'org' },
      logistics: { parks: 'town', warehouses: 'org', tenants: 'org', freight: 'org', parcels: 'town', trains: 'town' },
    }).flatMap(([m, kinds]) =>
      Object.entries(kinds).map(([k, who]) => [`${m}.write.${k}`, who === 'district' ? DISTRICT : who === 'town' ? ['admin', 'district_officer', 'township_officer'] : ['admin', 'district_officer', 'township_officer', 'enterprise']]),
    ),
  ),
};

export function can(user, perm) {
  if (!user) return false;
  const roles = PERMISSIONS[perm];
  if (!roles || !roles.includes(user.role)) return false;
  // an enterprise account of a bank (or another kind of organisation) acts on its products and
  // matches, not as an enterprise: the server refuses its appeals, needs, sign-ups and posts
  if ((perm === 'ent.act' || perm === 'ent.profile.own') && user.role === 'enterprise' && user.organisation_type && user.organisation_type !== 'enterprise') return false;
  return true;
}

/**
 * Whether the user may change this row of a register (perm: the write permission of its kind):
 * the role, and the scope as the server checks it — district roles every row, a township
 * officer the rows of their township, an enterprise user its organisation's rows. A row that
 * does not carry the scope's field is left to the server.
 */
export function canChangeRow(user, perm, row) {
  if (!can(user, perm) || !row) return false;
  if (DISTRICT.includes(user.role)) return true;
  if (user.role === 'township_officer') return !('township_id' in row) || (!!user.township_id && row.township_id === user.township_id);
  if (user.role === 'enterprise') return !('organisation_id' in row) || (!!user.organisation_id && row.organisation_id === user.organisation_id);
  return false;
}

/** Whether the user may PATCH this facility (scope as the server checks it). */
export function canEditFacility(user, f) {
  if (!user || !f) return false;
  if (DISTRICT.includes(user.role)) return true;
  if (user.role === 'township_officer') return user.township_id === f.township_id;
  if (user.role === 'facility_operator') return user.facility_id === f.id;
  return false;
}

/** Whether the user may plan drills of a facility of township `townshipId` (as the server
 * checks a drill plan's scope). */
export function canPlanDrill(user, townshipId) {
  if (!can(user, 'drills.plan')) return false;
  return user.role !== 'township_officer' || user.township_id === townshipId;
}

/** Fields a facility operator may send in a PATCH (the server refuses others with 403). */
export const OPERATOR_FACILITY_FIELDS = ['name', 'address', 'peacetime_function', 'peacetime_capacity', 'peacetime_unit', 'barrier_free_rooms', 'emergency_roles'];

/**
 * Whether the user may write the dual-use records of this facility (manuals, conversions,
 * drills, steps, findings): the same scope as editing the facility. `f` needs id and township_id.
 */
export function canOperate(user, f) {
  return can(user, 'dualuse.write') && canEditFacility(user, f);
}
