// Pure helpers of the plans pages: the scenario form ↔ the API's scenario body, the phase a
// solve is probably in, Gantt rows per site, which way a compared figure is better. No Vue or
// browser imports: the e2e tests import this file too.

export const PLAN_ROLES = ['resettlement', 'isolation', 'medical', 'supply_store', 'transport_hub'];
/** The roles whose capacity houses people (rooms, beds); a supply store's or a transport hub's
 * plan counts the role's own units (m³, t, vehicles per hour): no people, so no vulnerable class,
 * no supplies (a ration per person and day) and no one left without a place. */
export const HOUSING_ROLES = ['isolation', 'resettlement', 'medical'];
export const housesPeople = (role) => !role || HOUSING_ROLES.includes(role);
export const PLAN_STATUSES = ['solving', 'draft', 'failed', 'adopted', 'closed'];
/** A plan with a result (solved): only these are compared and shown in full (a closed plan
 * keeps the result it was adopted with). */
export const isSolved = (p) => !!p && ['draft', 'adopted', 'closed'].includes(p.status);
/** The phases the server reports while solving (src/domain/plan_worker.c, plan.c). */
export const SOLVE_PHASES = ['queued', 'waiting', 'load', 'location', 'supply', 'schedule', 'saving', 'done'];

/** Teams available by default (the API's example, with every team type the demo manuals use). */
export const DEFAULT_TEAMS = { cleaning: 12, logistics: 16, security: 8, medical: 8, catering: 6, it: 4, disinfection: 8 };
export const DEFAULT_WEIGHTS = { distance: 1, conversion_hours: 100, peacetime_capacity: 10, site: 0 };

/** What the vulnerable people need: the API's default first. */
export const VULNERABLE_NEEDS = ['medical_or_barrier_free', 'medical'];
export const VULNERABLE_BY = ['eldercare', 'count', 'none'];

/** A fresh scenario form. */
export function emptyForm() {
  return {
    name: '',
    scenario: 'disaster',
    role: 'resettlement',
    affectedBy: 'townships', // townships | villages | circle | polygon
    township_ids: [],
    village_ids: [],
    lat: null,
    lon: null,
    radius_km: null,
    polygon: [], // [{lat, lon}] in the order drawn; the ring closes by itself
    demandBy: 'share', // share | people | villages (the people of each village, as counted)
    sharePercent: 10,
    people: null,
    villageDemand: [], // [{village_id, village_name, people}] for 'villages'
    exclude: [], // [{id, name}]: sites the plan may not choose
    // who needs a medical site or barrier-free rooms: the eldercare list (the API's default),
    // a number of the people in need, or none (vulnerable: false)
    vulnerableBy: 'eldercare', // eldercare | count | none
    vulnerable: null, // the number, for 'count'
    vulnerableNeeds: 'medical_or_barrier_free', // medical_or_barrier_free | medical
    max_distance_km: 30,
    deadline_hours: null,
    single_source: true,
    teams: { ...DEFAULT_TEAMS },
    supplyDays: 3,
    weights: { ...DEFAULT_WEIGHTS },
    time_limit_s: 3,
    seed: 0,
  };
}

const blank = (v) => v === null || v === undefined || v === '';
/** A number as typed: blank stays undefined (the API's default), text that is no number is
 * sent as it is, so that the API names the field. */
function num(v) {
  if (blank(v)) return undefined;
  const x = Number(v);
  return Number.isFinite(x) ? x : v;
}

/**
 * The body of POST /plans from the form. Only what the form holds is sent; blank optional
 * fields are left out (the API's defaults apply). The share is typed in percent.
 */
export function scenarioBody(f) {
  const b = { name: (f.name || '').trim(), scenario: f.scenario, role: f.role };
  if (f.affectedBy === 'townships') b.affected = { township_ids: [...f.township_ids] };
  else if (f.affectedBy === 'villages') b.affected = { village_ids: [...f.village_ids] };
  else if (f.affectedBy === 'polygon') b.affected = { polygon: f.polygon.map((p) => ({ lat: p.lat, lon: p.lon })) };
  else b.affected = { center: { lat: num(f.lat), lon: num(f.lon) }, radius_km: num(f.radius_km) };
  if (f.demandBy === 'share') {
    const p = num(f.sharePercent);
    b.demand = { share: typeof p === 'number' ? Math.round(p * 1e4) / 1e6 : p };
  } else if (f.demandBy === 'villages') b.demand = { villages: f.villageDemand.map((x) => ({ village_id: x.village_id, people: num(x.people) })) };
  else b.demand = { people: num(f.people) };
  if (f.exclude?.length) b.exclude_facility_ids = f.exclude.map((x) => x.id);
  // always said: the API's default (the eldercare list) is sent as such; a plan of a role that
  // houses no one has no vulnerable people (the API refuses them)
  if (f.vulnerableBy === 'none' || !housesPeople(f.role)) b.vulnerable = false;
  else if (f.vulnerableBy === 'count') b.vulnerable = { count: num(f.vulnerable), needs: f.vulnerableNeeds || VULNERABLE_NEEDS[0] };
  else b.vulnerable = true;
  for (const k of ['max_distance_km', 'deadline_hours', 'time_limit_s', 'seed']) {
    const x = num(f[k]);
    if (x !== undefined) b[k] = x;
  }
  b.single_source = !!f.single_source;
  b.teams = {};
  for (const [k, x] of Object.entries(f.teams)) if (!blank(x)) b.teams[k] = num(x);
  // supplies are a ration per person and day: none for a role that houses no one
  const d = num(f.supplyDays);
  if (d !== undefined && d !== 0 && housesPeople(f.role)) b.supplies = { days: d };
  const w = {};
  for (const [k, x] of Object.entries(f.weights || {})) if (!blank(x)) w[k] = num(x);
  if (Object.keys(w).length) b.weights = w;
  return b;
}

/** The form for a saved plan's request (make another plan from it). */
export function formFromRequest(req) {
  const f = emptyForm();
  if (!req) return f;
  f.name = req.name || '';
  f.scenario = req.scenario || f.scenario;
  f.role = req.role || f.role;
  const a = req.affected || {};
  if (a.village_ids) {
    f.affectedBy = 'villages';
    f.village_ids = [...a.village_ids];
  } else if (a.polygon) {
    f.affectedBy = 'polygon';
    f.polygon = a.polygon.map((p) => ({ lat: p.lat, lon: p.lon }));
  } else if (a.center) {
    f.affectedBy = 'circle';
    f.lat = a.center.lat ?? null;
    f.lon = a.center.lon ?? null;
    f.radius_km = a.radius_km ?? null;
  } else {
    f.affectedBy = 'townships';
    f.township_ids = [...(a.township_ids || [])];
  }
  const d = req.demand || {};
  if (d.villages) {
    f.demandBy = 'villages';
    f.villageDemand = d.villages.map((x) => ({ village_id: x.village_id, village_name: '', people: x.people }));
  } else if (d.people !== undefined) {
    f.demandBy = 'people';
    f.people = d.people;
  } else {
    f.demandBy = 'share';
    f.sharePercent = d.share !== undefined ? Math.round(d.share * 1e6) / 1e4 : f.sharePercent;
  }
  // as the request had it: absent or true is the eldercare list, false none
  const vu = req.vulnerable;
  if (vu === false) f.vulnerableBy = 'none';
  else if (vu && typeof vu === 'object') {
    f.vulnerableBy = 'count';
    f.vulnerable = vu.count ?? null;
    f.vulnerableNeeds = vu.needs || VULNERABLE_NEEDS[0];
  } else f.vulnerableBy = 'eldercare';
  f.max_distance_km = req.max_distance_km ?? f.max_distance_km;
  f.deadline_hours = req.deadline_hours ?? null;
  f.single_source = req.single_source ?? f.role === 'resettlement';
  if (req.teams) f.teams = { ...req.teams };
  f.supplyDays = req.supplies ? req.supplies.days : null;
  f.weights = { ...DEFAULT_WEIGHTS, ...(req.weights || {}) };
  f.time_limit_s = req.time_limit_s ?? f.time_limit_s;
  f.seed = req.seed ?? 0;
  f.exclude = (req.exclude_facility_ids || []).map((id) => ({ id, name: '' }));
  return f;
}

/**
 * The form for planning again the people an adopted plan's sites, restored or aborted since,
 * left without a place: the plan's scenario and settings, those people village by village (as
 * the plan's assignments to those sites count them), those needing medical care among them as a
 * number of the vulnerable (their own sites may still be in force for the others), and those
 * sites excluded. null when no one is left without a place.
 */
export function replanForm(plan) {
  const r = plan?.result;
  const gone = new Map((r?.sites || []).filter((x) => x.in_force === false).map((x) => [x.facility_id, x.name]));
  if (!gone.size) return null;
  const f = formFromRequest(plan.request);
  const byVillage = new Map();
  let vulnerable = 0;
  for (const a of r.assignments || []) {
    if (!gone.has(a.facility_id) || !(a.people > 0)) continue;
    const x = byVillage.get(a.village_id) || { village_id: a.village_id, village_name: a.village_name, people: 0 };
    x.people += a.people;
    byVillage.set(a.village_id, x);
    if (a.class === 'vulnerable') vulnerable += a.people;
  }
  if (!byVillage.size) return null;
  f.affectedBy = 'villages';
  f.village_ids = [...byVillage.keys()];
  f.demandBy = 'villages';
  f.villageDemand = [...byVillage.values()];
  if (vulnerable > 0) {
    f.vulnerableBy = 'count';
    f.vulnerable = vulnerable;
  } else f.vulnerableBy = 'none';
  const had = new Set(f.exclude.map((x) => x.id));
  for (const [id, name] of gone) if (!had.has(id)) f.exclude.push({ id, name });
  return f;
}

/** Most points an affected polygon may have (the API's limit). */
export const MAX_POLYGON_POINTS = 1000;

/**
 * 1 when (lat, lon) lies inside the ring [{lat, lon}] (even-odd rule, the ring closes by itself)
 * — the server's rule (pj_point_in_polygon), in the same arithmetic, so that the villages shown
 * inside are the ones the plan will count.
 */
export function pointInPolygon(lat, lon, ring) {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a.lat > lat !== b.lat > lat && lon < b.lon + ((a.lon - b.lon) * (lat - b.lat)) / (a.lat - b.lat)) inside = !inside;
  }
  return inside;
}

/** Great-circle distance in km (the server's radius rule for the circle). */
export function haversineKm(lat1, lon1, lat2, lon2) {
  const d = Math.PI / 180;
  const dlat = (lat2 - lat1) * d;
  const dlon = (lon2 - lon1) * d;
  const a = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * d) * Math.cos(lat2 * d) * Math.sin(dlon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(Math.min(1, a)));
}

/** A circle of radius r km around (lat, lon) as a ring of points (for drawing only). */
export function circleRing(lat, lon, r, n = 72) {
  const R = 6371.0088;
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const dlat = ((r / R) * Math.cos(a) * 180) / Math.PI;
    const dlon = ((r / R) * Math.sin(a) * 180) / Math.PI / Math.cos((lat * Math.PI) / 180);
    out.push({ lat: lat + dlat, lon: lon + dlon });
  }
  return out;
}

/**
 * The outline of a scenario's drawn area (its `affected` as sent): {kind: 'polygon'|'circle',
 * ring: [{lat, lon}]}, or null when it was given by townships or villages.
 */
export function affectedOutline(affected) {
  if (!affected) return null;
  if (Array.isArray(affected.polygon) && affected.polygon.length >= 3) return { kind: 'polygon', ring: affected.polygon.map((p) => ({ lat: p.lat, lon: p.lon })) };
  const c = affected.center;
  if (c && c.lat != null && c.lon != null && affected.radius_km > 0) return { kind: 'circle', ring: circleRing(c.lat, c.lon, affected.radius_km) };
  return null;
}

/**
 * The villages and communities (with lat, lon) the form's drawn area holds: inside the polygon
 * (≥ 3 points) or within the circle (centre and radius > 0); [] when the area is not complete.
 */
export function villagesInArea(villages, f) {
  const has = (v) => v.lat !== null && v.lat !== undefined && v.lon !== null && v.lon !== undefined;
  if (f.affectedBy === 'polygon') {
    if (!f.polygon || f.polygon.length < 3) return [];
    return villages.filter((v) => has(v) && pointInPolygon(v.lat, v.lon, f.polygon));
  }
  if (f.affectedBy === 'circle') {
    const lat = Number(f.lat);
    const lon = Number(f.lon);
    const r = Number(f.radius_km);
    if (blank(f.lat) || blank(f.lon) || !Number.isFinite(lat) || !Number.isFinite(lon) || !(r > 0)) return [];
    return villages.filter((v) => has(v) && haversineKm(lat, lon, v.lat, v.lon) <= r);
  }
  return [];
}

/**
 * The phase a solve that has run `elapsed` seconds is probably in, from the server's split of
 * the time limit (location 60 %, supply 10 %, schedule 30 %; loading first). Only an estimate:
 * the synchronous reply says nothing until it is done.
 */
export function estimatedPhase(elapsed, timeLimit, supplies = true) {
  const T = Math.max(0.01, Number(timeLimit) || 3);
  const load = Math.min(0.5, 0.05 * T + 0.05);
  if (elapsed < load) return 'load';
  const t = elapsed - load;
  if (t < 0.6 * T) return 'location';
  if (supplies && t < 0.7 * T) return 'supply';
  if (t < T + 0.2) return 'schedule';
  return 'save';
}

/** Fraction shown on the progress bar (never 1 before the reply). */
export function estimatedFraction(elapsed, timeLimit) {
  const T = Math.max(0.01, Number(timeLimit) || 3) + 0.5;
  return Math.min(0.95, elapsed / T);
}

/**
 * The share of the whole solve done, from the server's progress {phase, fraction} (fraction:
 * of the current phase). The phases take about 60 %, 10 %, 30 % of the time limit for
 * location, supply, schedule (docs/api-planner.md); loading and saving are short. Never 1
 * before the plan is saved.
 */
export function solveFraction(progress, supplies = true) {
  const pr = progress || {};
  const f = Math.min(1, Math.max(0, Number(pr.fraction) || 0));
  const spans = supplies
    ? { load: [0, 0.05], location: [0.05, 0.62], supply: [0.62, 0.71], schedule: [0.71, 0.97], saving: [0.97, 0.99], done: [0.97, 0.99] }
    : { load: [0, 0.05], location: [0.05, 0.68], schedule: [0.68, 0.97], saving: [0.97, 0.99], done: [0.97, 0.99] };
  const sp = spans[pr.phase] || (pr.phase === 'supply' ? [0.62, 0.71] : [0, 0]);
  return sp[0] + (sp[1] - sp[0]) * f;
}

/**
 * The schedule's Gantt by site: [{facility_id, name, ready, lanes, bars:[{…job, lane}]}],
 * sites by ready time; steps of a site that overlap in time go to separate lanes.
 */
export function ganttBySite(gantt, ready = []) {
  const readyOf = new Map(ready.map((r) => [r.facility_id, r.minutes]));
  const sites = new Map();
  for (const j of gantt || []) {
    if (!sites.has(j.facility_id)) sites.set(j.facility_id, { facility_id: j.facility_id, name: j.facility_name, jobs: [] });
    sites.get(j.facility_id).jobs.push(j);
  }
  const out = [];
  for (const s of sites.values()) {
    const jobs = [...s.jobs].sort((a, b) => a.start - b.start || a.end - b.end);
    const laneEnd = [];
    const bars = jobs.map((j) => {
      let lane = laneEnd.findIndex((e) => e <= j.start);
      if (lane < 0) lane = laneEnd.length;
      laneEnd[lane] = j.end;
      return { ...j, lane };
    });
    const end = jobs.reduce((m, j) => Math.max(m, j.end), 0);
    out.push({ facility_id: s.facility_id, name: s.name, ready: readyOf.get(s.facility_id) ?? end, lanes: Math.max(1, laneEnd.length), bars });
  }
  return out.sort((a, b) => a.ready - b.ready || a.facility_id - b.facility_id);
}

/** Figures of GET /plans/compare in the order shown, and which way is better. */
export const COMPARE_FIGURES = [
  ['objective', 'lower'],
  ['fixed_cost', 'lower'],
  ['service_cost', 'lower'],
  ['demand', null],
  ['served', 'higher'],
  ['shortfall', 'lower'],
  ['sites', null],
  ['person_km', 'lower'],
  ['mean_km', 'lower'],
  ['max_km', 'lower'],
  ['mean_ready_minutes', 'lower'],
  ['max_ready_minutes', 'lower'],
  ['sites_after_deadline', 'lower'],
  ['gap', 'lower'],
];

/** 'better' | 'worse' | '' for a difference b − a of a figure. */
export function verdict(figure, diff) {
  const dir = (COMPARE_FIGURES.find((f) => f[0] === figure) || [])[1];
  if (!dir || !diff || Math.abs(diff) < 1e-9) return '';
  return (dir === 'lower') === diff < 0 ? 'better' : 'worse';
}

/**
 * The chosen sites a plan's adoption would be refused for, from the facilities as they are now
 * (`facilities`: Map id → facility with `state`): a site to convert must be in peacetime, a site
 * converted already (ready_at_start) must still be in emergency. [{…site, state}].
 */
export function busySites(sites, facilities) {
  const out = [];
  for (const s of sites || []) {
    const f = facilities && facilities.get(s.facility_id);
    if (!f) continue;
    if (s.ready_at_start ? f.state !== 'emergency' : f.state !== 'peacetime') out.push({ ...s, state: f.state });
  }
  return out;
}

/** The facility id an adoption's 409 facility_busy names ("facility 12 cannot be converted: …"). */
export function refusedFacility(message) {
  const m = /facility (\d+)/.exec(message || '');
  return m ? Number(m[1]) : null;
}

/**
 * What a refused adoption says about the site it names, for the plan page: {key, fid, free, used}
 * (`key` under `plan.`), or null when the refusal names no site. facility_busy: the site is no
 * longer in peacetime; facility_changed: a site the plan found converted is no longer so, or
 * (its `details` give the figures) the people the plan puts there no longer fit: other plans
 * adopted since took the places it counted on (`taken` > 0), or its capacity was lowered, or
 * (`vulnerable`, `vulnerable_free`) its places for the people needing medical care — its
 * barrier-free rooms — are fewer now than the plan's vulnerable people there; or
 * (`reason` "deleted") the site was deleted since; or (`reason` "manual_changed") a newer version
 * of its manual for the plan's scenario and role was saved since the plan was made.
 */
export function adoptRefusal(e) {
  if (e && e.code === 'supplies_changed') return suppliesRefusal(e);
  if (!e || (e.code !== 'facility_busy' && e.code !== 'facility_changed')) return null;
  const d = e.details || {};
  const fid = Number.isFinite(d.facility_id) ? d.facility_id : refusedFacility(e.message);
  if (fid == null) return null;
  if (e.code === 'facility_busy') return { key: 'adoptRefused', fid };
  // deleted since the plan was made
  if (d.reason === 'deleted') return { key: 'adoptSiteDeleted', fid };
  // a newer version of the site's manual for the scenario and role was saved since
  if (d.reason === 'manual_changed') return { key: 'adoptManualChanged', fid };
  // the places for the people needing medical care (barrier-free rooms) lowered since
  if (Number.isFinite(d.vulnerable) && Number.isFinite(d.vulnerable_free)) return { key: 'adoptRoomsLowered', fid, free: d.vulnerable_free, used: d.vulnerable };
  if (Number.isFinite(d.free) && Number.isFinite(d.used)) return { key: d.taken > 0 ? 'adoptPlacesTaken' : 'adoptCapacityLowered', fid, free: d.free, used: d.used };
  return { key: 'adoptNoLongerConverted', fid };
}

/**
 * supplies_changed: a store no longer has the stock one of the plan's supply flows counts on
 * (adopted plans since hold it, or it was shipped, expired or lowered; key adoptStoreGone: the
 * facility is no longer a supply store): {key, store, category,
 * planned, available, usable, held} from the refusal's `details`, or null without them.
 */
function suppliesRefusal(e) {
  const d = e.details || {};
  if (!Number.isFinite(d.store_id) || !Number.isFinite(d.planned) || !Number.isFinite(d.available)) return null;
  return { key: d.reason === 'not_a_store' ? 'adoptStoreGone' : 'adoptSuppliesTaken', store: d.store_id, category: d.category || '', planned: d.planned, available: d.available, usable: Number.isFinite(d.usable) ? d.usable : null, held: Number.isFinite(d.held) ? d.held : null };
}

/** Conversions of an adopted plan by state: [[state, count]] in the order of a conversion's life. */
export const CONVERSION_ORDER = ['converting', 'emergency', 'restoring', 'completed', 'aborted'];
export function conversionCounts(convs) {
  const n = new Map();
  for (const c of convs || []) if (c.state) n.set(c.state, (n.get(c.state) || 0) + 1);
  const order = [...CONVERSION_ORDER, ...[...n.keys()].filter((s) => !CONVERSION_ORDER.includes(s))];
  return order.filter((s) => n.has(s)).map((s) => [s, n.get(s)]);
}

/**
 * The people an adopted plan put into sites no longer in force — their conversion aborted or
 * the site restored (the API's `in_force: false` on an adopted plan's site): they have no
 * place. {sites, people}; `sites`: the result's sites, `adopted`: the plan is adopted (a
 * draft's sites are never in force, and house no one yet), `role`: the plan's role — a supply
 * store's or transport hub's plan counts the role's own units, not people: its sites no longer
 * in force are counted, but no one is left without a place (people 0).
 */
export function uncoveredSites(sites, adopted = true, role = undefined) {
  let people = 0;
  let n = 0;
  if (adopted)
    for (const s of sites || [])
      if (s.in_force === false) {
        n++;
        people += s.used || 0;
      }
  return { sites: n, people: housesPeople(role) ? people : 0 };
}

/**
 * A plan's supplies short, per category (each in its unit: kilograms and litres are never
 * added up): {total, short: [{category, unit, demand, unmet, percent}], worst} — `short` the
 * categories with unmet demand, the largest share short first (`percent` of the category's
 * demand, one decimal), `worst` the first's percent (0 when none is short); null for a plan
 * without supplies or saved before the per-category figures.
 */
export function supplyShortage(supplies) {
  const cats = supplies?.categories;
  if (!Array.isArray(cats) || !cats.length) return null;
  const short = cats
    .filter((c) => c.unmet > 0)
    .map((c) => ({ category: c.category, unit: c.unit, demand: c.demand, unmet: c.unmet, percent: c.demand > 0 ? Math.round((1000 * c.unmet) / c.demand) / 10 : 100 }))
    .sort((a, b) => b.percent - a.percent || b.unmet - a.unmet);
  return { total: cats.length, short, worst: short.length ? short[0].percent : 0 };
}

/**
 * The team shortages the server names in a no_teams / too_few_teams message
 * ("… needs 6 cleaning teams, 3 are available; 4 security teams, 2 are available"):
 * [{team, need, have}], the order of the message.
 */
export function teamShortages(message) {
  const out = [];
  const re = /(\d+) ([a-z][a-z0-9_]*) teams, (\d+) (?:is|are) available/g;
  let m;
  while ((m = re.exec(message || ''))) out.push({ team: m[2], need: Number(m[1]), have: Number(m[3]) });
  return out;
}

/** The quickest candidate a too-short deadline kept out: {site, hours} or null. */
export function quickestDeadline(message) {
  const m = /the quickest(?: \([^)]*\))?, (.+) \(facility \d+\), needs ([\d.]+) hours/.exec(message || '');
  return m ? { site: m[1], hours: Number(m[2]) } : null;
}

/**
 * Why the server found no candidate site (422 no_candidates, its English message), as
 * [key of plan.noCand, values] to be said in the console's language, or null: the role or
 * scenario that left none, or the distance. A township officer's area outside their township
 * (403 at affected) too.
 */
export function noCandidateReason(message) {
  const s = String(message || '');
  let m;
  if ((m = /^no facility has the (\w+) role$/.exec(s))) return ['noRole', { role: m[1] }];
  if ((m = /^no facility with the (\w+) role is in peacetime$/.exec(s))) return ['noPeacetime', { role: m[1] }];
  if ((m = /^no peacetime facility with the (\w+) role has a manual for (\w+)$/.exec(s))) return ['noManual', { role: m[1], scenario: m[2] }];
  if ((m = /^every peacetime facility with the (\w+) role and a manual for (\w+) is full/.exec(s))) return ['full', { role: m[1], scenario: m[2] }];
  if ((m = /^no (\w+) manual for (\w+) of a facility with room has conversion steps/.exec(s))) return ['noSteps', { role: m[1], scenario: m[2] }];
  if ((m = /^no candidate lies within ([\d.]+) road km/.exec(s))) return ['tooFar', { km: m[1] }];
  if ((m = /^(.+) lies outside your township: a township officer plans/.exec(s))) return ['outsideTownship', { village: m[1] }];
  return null;
}

/** A long list cut to `max` items (the rest counted), unless `all`. */
export function capList(list, max, all = false) {
  const xs = list || [];
  if (all || xs.length <= max + 1) return { shown: xs, more: 0 };
  return { shown: xs.slice(0, max), more: xs.length - max };
}

/** A label cut to `max` characters with an ellipsis. */
export function shortLabel(s, max) {
  const x = String(s ?? '');
  return x.length > max ? x.slice(0, Math.max(1, max - 1)) + '…' : x;
}

/**
 * A label cut to `max` characters in its middle, its start and its end kept: the sites of one
 * village differ at the end (山东庄…酒店4号, 山东庄…酒店7号), where a cut end read alike.
 */
export function middleLabel(s, max) {
  const x = [...String(s ?? '')];
  if (x.length <= max) return x.join('');
  const tail = Math.ceil((max - 1) / 2);
  const head = Math.max(1, max - 1 - tail);
  return x.slice(0, head).join('') + '…' + x.slice(x.length - tail).join('');
}

/**
 * The residents of the form's affected area, from the villages [{id, parent_id, population}]
 * (`inArea`: the villages a drawn area holds); null while nothing is chosen or loaded.
 */
export function affectedPopulation(villages, f, inArea = []) {
  if (!villages || !villages.length) return null;
  let vs;
  if (f.affectedBy === 'townships') {
    if (!f.township_ids.length) return null;
    const set = new Set(f.township_ids);
    vs = villages.filter((v) => set.has(v.parent_id));
  } else if (f.affectedBy === 'villages') {
    if (!f.village_ids.length) return null;
    const set = new Set(f.village_ids);
    vs = villages.filter((v) => set.has(v.id));
  } else {
    vs = inArea || [];
    if (!vs.length) return null;
  }
  return vs.reduce((s, v) => s + (Number(v.population) || 0), 0);
}

/** Whether a plan asked for each village wholly at one site: the request's single_source, or
 * the API's default (yes for resettlement). */
function askedSingle(p) {
  const r = p?.request || {};
  if (r.single_source !== undefined) return !!r.single_source;
  return (p?.role || r.role) === 'resettlement';
}

/**
 * The inputs of two plans that explain their differences, as rows {key, a, b, same} (team
 * rows also have `team`): villages, demand asked, deadline, sites ready after it, reach,
 * single source, time limit, then the teams of either plan.
 */
export function compareInputs(pa, pb) {
  const ra = pa?.request || {};
  const rb = pb?.request || {};
  const sa = pa?.result?.summary || {};
  const sb = pb?.result?.summary || {};
  const or = (x, d) => (x === undefined ? d : x);
  const rows = [
    ['villages', or(sa.villages, null), or(sb.villages, null)],
    ['demand', or(ra.demand, null), or(rb.demand, null)],
    ['deadline_hours', or(ra.deadline_hours, null), or(rb.deadline_hours, null)],
    ['sites_after_deadline', or(sa.sites_after_deadline, null), or(sb.sites_after_deadline, null)],
    ['max_distance_km', or(sa.max_distance_km, or(ra.max_distance_km, 30)), or(sb.max_distance_km, or(rb.max_distance_km, 30))],
    // what was asked (the API's default: yes for resettlement), not what the solver managed
    ['single_source', askedSingle(pa), askedSingle(pb)],
    ['time_limit_s', or(ra.time_limit_s, 3), or(rb.time_limit_s, 3)],
  ].map(([key, a, b]) => ({ key, a, b, same: JSON.stringify(a) === JSON.stringify(b) }));
  // the solver split villages (whole ones did not fit): said apart from what was asked
  const relaxed = (p) => !!p?.result?.solver?.flags?.single_source_relaxed;
  if (relaxed(pa) || relaxed(pb)) rows.splice(rows.findIndex((r) => r.key === 'single_source') + 1, 0, { key: 'single_source_relaxed', a: relaxed(pa), b: relaxed(pb), same: relaxed(pa) === relaxed(pb) });
  const ta = ra.teams || {};
  const tb = rb.teams || {};
  for (const team of [...new Set([...Object.keys(ta), ...Object.keys(tb)])]) {
    const a = or(ta[team], 0);
    const b = or(tb[team], 0);
    if (!a && !b) continue;
    rows.push({ key: 'teams.' + team, team, a, b, same: a === b });
  }
  return rows;
}

/** The ids of the `n` villages short of the most people (the ones the map labels). */
export function largestShortfalls(villages, n) {
  return new Set([...(villages || [])].sort((a, b) => b.people - a.people || a.village_id - b.village_id).slice(0, n).map((v) => v.village_id));
}

/**
 * Shipped against planned of an adopted plan's flows, per category (each in its unit: kilograms
 * of grain and litres of water are never added up), in total and per site; a percentage over
 * several categories is the mean of theirs (each category counts the same). A site no longer in
 * force (its conversion aborted or restored: its flows' `in_force` false) ships nothing more: it
 * is listed apart (`stopped`, with what it will not get per category, `withdrawn`), and a
 * category's planned figure counts of it only what was shipped, so that the total can reach
 * 100 %. null without flows.
 */
export function shippingProgress(flows) {
  if (!flows?.length) return null;
  const pct = (s, p) => (p > 0 ? Math.min(100, Math.round((1000 * s) / p) / 10) : 0);
  const mean = (xs) => (xs.length ? Math.round((10 * xs.reduce((a, b) => a + b, 0)) / xs.length) / 10 : 0);
  const cats = new Map(), sites = new Map();
  const add = (m, key, init) => m.get(key) || m.set(key, init()).get(key);
  for (const f of flows) {
    const s = f.shipped || 0, out = f.in_force === false ? Math.max(0, f.quantity - s) : 0;
    const c = add(cats, f.category, () => ({ category: f.category, unit: f.unit, planned: 0, shipped: 0, withdrawn: 0 }));
    c.planned += f.quantity - out;
    c.shipped += s;
    c.withdrawn += out;
    const x = add(sites, f.facility_id, () => ({ facility_id: f.facility_id, name: f.facility_name, cats: new Map(), stopped: false }));
    const xc = add(x.cats, f.category, () => ({ category: f.category, unit: f.unit, planned: 0, shipped: 0, withdrawn: 0 }));
    xc.planned += f.quantity;
    xc.shipped += s;
    xc.withdrawn += out;
    if (f.in_force === false) x.stopped = true;
  }
  const categories = [...cats.values()].filter((c) => c.planned > 0 || c.withdrawn > 0).map((c) => ({ ...c, percent: pct(c.shipped, c.planned) }));
  const site = ({ cats: sc, stopped, ...x }) => {
    const list = [...sc.values()];
    const r = { ...x, percent: mean(list.map((c) => pct(c.shipped, c.planned))), done: list.filter((c) => c.shipped >= c.planned).length, count: list.length };
    if (stopped) r.withdrawn = list.filter((c) => c.withdrawn > 0).map((c) => ({ category: c.category, unit: c.unit, quantity: c.withdrawn }));
    return r;
  };
  const all = [...sites.values()];
  const planned = categories.filter((c) => c.planned > 0);
  return {
    total: { percent: mean(planned.map((c) => c.percent)), categories, withdrawn: categories.some((c) => c.withdrawn > 0) },
    sites: all.filter((x) => !x.stopped).map(site),
    stopped: all.filter((x) => x.stopped).map(site),
  };
}

/**
 * Whether user may record a shipment of this flow (the server's rule, src/domain/plan_store.c):
 * a flow in force with something left; district roles any store, a township officer the stores
 * of their township (storeTowns: the store ids there), a facility operator their own store.
 */
export function mayShip(user, flow, storeTowns) {
  if (!user || !flow || !flow.in_force || !(flow.remaining > 0)) return false;
  if (user.role === 'admin' || user.role === 'district_officer') return true;
  if (user.role === 'facility_operator') return !!user.facility_id && user.facility_id === flow.store_id;
  if (user.role === 'township_officer') return !!storeTowns && storeTowns.has(flow.store_id);
  return false;
}

/**
 * Whether user may void shipment sh (recorded in error): as recording it — the district any
 * store's, a facility operator their own store's, a township officer a store of their township
 * (storeTowns: the ids of those stores) — whatever the plan's status; never one voided already.
 */
export function mayVoidShipment(user, sh, storeTowns) {
  if (!user || !sh || sh.voided) return false;
  if (user.role === 'admin' || user.role === 'district_officer') return true;
  if (user.role === 'facility_operator') return !!user.facility_id && user.facility_id === sh.store_id;
  if (user.role === 'township_officer') return !!storeTowns && storeTowns.has(sh.store_id);
  return false;
}

/**
 * The figures of a refused shipment, from the error's `details` (the server's numbers, never its
 * English message): exceeds_flow → {left, planned, shipped}; insufficient_stock → {usable};
 * else, or when the figures are not there, null (the caller says the refusal without them).
 */
export function shipRefusal(code, details) {
  const num = (k) => (details && Number.isFinite(details[k]) ? details[k] : null);
  if (code === 'exceeds_flow') {
    const [left, planned, shipped] = [num('left'), num('planned'), num('shipped')];
    return left != null && planned != null && shipped != null ? { left, planned, shipped } : null;
  }
  if (code === 'insufficient_stock') {
    const usable = num('usable');
    return usable != null ? { usable } : null;
  }
  return null;
}

/** The reasons a village is short (the plan's shortfall.villages[].reason). */
export const SHORT_REASONS = ['out_of_reach', 'sites_full', 'no_location', 'short_of_teams', 'full_short_of_teams', 'beyond_deadline'];

/**
 * Why village v of a plan's shortfall is short, for the plan page: {main, them} with each
 * {reason, sites} (`sites` a key under `plan.`: the sites the reason is about), `them` the
 * reason of those needing medical care when it is another than `main` (else null); null for a
 * reason this console does not know. `needs`: the plan's vulnerable.needs (`medical`: medical
 * sites only, else medical sites or barrier-free rooms). When all the people short need medical
 * care, `main` is theirs.
 */
export function shortWhy(v, needs) {
  if (!v || !SHORT_REASONS.includes(v.reason)) return null;
  const medical = needs === 'medical' ? 'shortSitesMedical' : 'shortSitesMedicalBf';
  const allVuln = v.vulnerable > 0 && v.vulnerable >= v.people;
  const main = { reason: v.reason, sites: allVuln ? medical : 'shortSites' };
  const them = !allVuln && v.vulnerable > 0 && SHORT_REASONS.includes(v.vulnerable_reason) && v.vulnerable_reason !== v.reason ? { reason: v.vulnerable_reason, sites: medical } : null;
  return { main, them };
}
