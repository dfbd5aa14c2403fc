// The start page of each role.

/** A role's start page, where its work is (after log-in, and for `/`): a grid worker's is the
 * eldercare alerts of their grids (the facility overview showed none of it, and cost a phone
 * the charts' download first); an enterprise user's its firm's appeals (the overview of the
 * district's emergency capacity is not its business: it opened on "your role cannot view the
 * conversions' overview"), a bank's or other organisation's account its financing matches; the
 * others' the overview. */
export function homeOf(user) {
  if (user && user.role === 'grid_worker') return { name: 'elder-alerts' };
  if (user && user.role === 'enterprise')
    return user.organisation_type && user.organisation_type !== 'enterprise' ? { name: 'ent-finance' } : { name: 'ent-appeals' };
  return { name: 'dashboard' };
}
