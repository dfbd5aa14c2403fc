// Where each kind of 待办 (GET /todo) is listed: the page, with the filter that lists exactly
// those records where the page has one.
const LINKS = {
  appeals_received: { name: 'ent-appeals', query: { state: 'received' } },
  appeals_returned: { name: 'ent-appeals', query: { state: 'returned' } },
  appeals_reopened: { name: 'ent-appeals', query: { state: 'reopened' } },
  appeals_overdue: { name: 'ent-appeals', query: { overdue: '1' } },
  return_visits_due: { name: 'ent-appeals' }, // the return visits due head the page
  appeals_to_rate: { name: 'ent-appeals', query: { state: 'replied' } },
  pair_requests: { name: 'pair-requests' }, // waiting ones first
  elder_alerts_escalated: { name: 'elder-alerts', query: { level: 'township' } }, // open ones
  elder_alerts: { name: 'elder-alerts' }, // the page opens on the open ones
  drills_overdue: { name: 'drills' }, // the drill plans, overdue ones marked
};

/** The route of a to-do kind ({kind, count, scenario?}). */
export function todoLink(k) {
  if (k.kind === 'conversions_late') return { name: 'dashboard', query: k.scenario ? { scenario: k.scenario } : {} };
  return LINKS[k.kind] || { name: 'dashboard' };
}
