// The start page of each role.

/** A role's start page, where its work is (after log-in, and for `/`): a grid worker's is the
 * eldercare alerts of their grids (the facility overview showed none of it, and cost a phone
 * the charts' download first); the others' the overview. */
export function homeOf(user) {
  return user && user.role === 'grid_worker' ? { name: 'elder-alerts' } : { name: 'dashboard' };
}
