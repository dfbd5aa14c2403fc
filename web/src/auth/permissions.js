// What each role may see in the console. Mirrors the server's route table
// (src/http/routes.c); the server remains the authority — this only hides what would fail.

export const ROLES = ['admin', 'district_officer', 'township_officer', 'facility_operator', 'grid_worker', 'enterprise', 'viewer'];
const ALL = ROLES;
const DISTRICT = ['admin', 'district_officer'];

export const PERMISSIONS = {
  dashboard: ALL,
  facilities: ALL,
  'facilities.edit': ['admin', 'district_officer', 'township_officer', 'facility_operator'],
  'facilities.history': DISTRICT, // GET /audit is admin + district officer
  users: ['admin'],
  audit: DISTRICT,
};

export function can(user, perm) {
  if (!user) return false;
  const roles = PERMISSIONS[perm];
  return !!roles && roles.includes(user.role);
}

/** Whether the user may PATCH this facility (scope as the server checks it). */
export function canEditFacility(user, f) {
  if (!user || !f) return false;
  if (DISTRICT.includes(user.role)) return true;
  if (user.role === 'township_officer') return user.township_id === f.township_id;
  if (user.role === 'facility_operator') return user.facility_id === f.id;
  return false;
}

/** Fields a facility operator may send in a PATCH (the server refuses others with 403). */
export const OPERATOR_FACILITY_FIELDS = ['name', 'address', 'peacetime_function', 'peacetime_capacity', 'peacetime_unit', 'emergency_roles'];
