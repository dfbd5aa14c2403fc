/* The emergency planner: scenario in, plan out (see plan.h and docs/api-planner.md).
 *
 * Phases:
 *  1. load      — the affected villages and their demand; the candidate sites (facilities with
 *                 the role, in peacetime, with a manual for the scenario whose critical path
 *                 meets the deadline, within reach of an affected village) and their steps.
 *  2. location  — a min-cost maximum flow (algo/mcf.h) of people from villages to all the
 *                 candidates finds how many can be served at all and where the shortfall is;
 *                 the served demand then goes to the capacitated facility location solver
 *                 (algo/cflp.h), which picks the sites (fixed cost) and assigns the people
 *                 (people × road km). Vulnerable people are a second demand class that only
 *                 medical-capable sites may take.
 *  3. supply    — optional: stock lines of the supply stores to the chosen sites for the
 *                 people assigned there, per category and day (algo/supply.h).
 *  4. schedule  — every conversion step of the chosen sites' manuals with the available teams
 *                 as renewable resources (algo/rcpsp.h): Gantt, ready time per site, curve. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/cflp.h"
#include "algo/cpm.h"
#include "algo/mcf.h"
#include "algo/rcpsp.h"
#include "algo/supply.h"
#include "core/util.h"
#include "domain/dualuse_int.h"
#include "domain/input.h"
#include "domain/plan_int.h"
#include "domain/render.h"
#include "domain/registry.h"

#include "core/banned.h"

#define MAX_IDS      1000
#define MAX_TEAMS    32
#define MAX_STEPS    256 /* per manual */
#define RESULT_MAX   ((size_t)256 << 20)
#define DEF_MAX_KM   30.0
#define DEF_ROAD     1.3
#define DEF_TIME_S   3.0
#define W_DISTANCE   1.0   /* per person × road km */
#define W_CONV_HOURS 100.0 /* per hour of the manual's critical path */
#define W_PEACETIME  10.0  /* per unit of peacetime capacity lost */
#define W_SITE       0.0   /* per site opened */

typedef struct pvill {
    int64_t id;
    const char *name;
    double lat, lon;
    int has_loc;
    int64_t pop, demand, vuln;     /* vuln is part of demand */
    int64_t vreg;                  /* vulnerable people on the eldercare list */
    int64_t short_reg, short_vuln; /* shortfall per class */
} pvill;

typedef struct pstep {
    const char *code, *name, *team;
    int minutes, count, npred;
    int *pred; /* indices within the site's steps */
} pstep;

typedef struct psite {
    int64_t fid, manual_id, pcap;
    const char *name, *type;
    double lat, lon, cap, crit_min, fixed;
    double vcap;      /* capacity for the vulnerable: all of it (medical), barrier-free rooms, 0 */
    int64_t bf;       /* barrier-free rooms */
    int ready0;       /* already converted for the role: capacity from minute 0, no steps */
    int64_t housing;  /* ready0: people adopted plans already put there (cap is what is left) */
    int64_t vhousing; /* ready0: of them, needing medical care (in its barrier-free rooms) */
    int loaded;       /* steps and filters done */
    int main_ok, medical, nsteps;
    pstep *steps;
    /* results */
    int64_t used, used_vuln;
    double km_sum, km_max;
    int ready, job0;
} psite;

typedef struct pcust {
    int v, vuln;
    int64_t d, served;
} pcust;

typedef struct pteam {
    const char *code;
    int64_t count;
    int used;
} pteam;

typedef struct preq {
    const char *name, *scenario, *role, *vneeds;
    json_t *affected;
    double share, max_km, road, deadline_h, time_s, w_dist, w_hours, w_peace, w_site;
    int64_t people, vcount, supply_days;
    int has_share, single, has_deadline;
    int vmode; /* VUL_NONE, VUL_ELDERCARE (the eldercare list, default), VUL_COUNT */
    /* demand.villages: people per village (dv_id[k] has dv_people[k]), else dv_n 0 */
    int64_t *dv_id, *dv_people;
    int dv_n;
    /* exclude_facility_ids: sites the plan may not choose */
    int64_t *excl;
    int nexcl;
    uint64_t seed;
    pteam teams[MAX_TEAMS];
    int nteams;
} preq;

enum { VUL_NONE, VUL_ELDERCARE, VUL_COUNT };

/* A solver's progress, passed on as its phase's: mapped into [lo, hi] of the phase (a phase
 * of several solves, e.g. the vulnerable first and then everyone, gives each a part) and never
 * going back (a solve run again after a failed one starts from 0). */
typedef struct prog_tramp {
    const pj_plan_progress *p;
    const char *phase;
    double lo, hi, last;
} prog_tramp;

static void tramp(void *ud, double frac)
{
    prog_tramp *t = ud;
    double f = t->hi > t->lo ? t->lo + (t->hi - t->lo) * frac : frac;
    if (f < t->last) f = t->last;
    t->last = f;
    if (t->p && t->p->fn) t->p->fn(t->p->ud, t->phase, f);
}

static int tramp_cancelled(void *ud)
{
    prog_tramp *t = ud;
    return t->p && t->p->cancelled && t->p->cancelled(t->p->ud);
}

static void report(const pj_plan_progress *p, const char *phase, double frac)
{
    if (p && p->fn) p->fn(p->ud, phase, frac);
}

/* Between phases: a stopping server abandons the solve. */
static int stopped(const pj_plan_progress *p, pj_err *err)
{
    if (p && p->cancelled && p->cancelled(p->ud))
        return pj_fail(err, 503, "stopped", "",
                       "the server stopped before the plan was solved; plan it again");
    return 0;
}

/* Prefixes err->field with "parent." (a nested key failed). Returns -1. */
static int nested(pj_err *err, const char *parent)
{
    char tmp[192];
    size_t pl = strlen(parent), fl = strlen(err->field);
    if (pl + 1 + fl + 1 > sizeof tmp) return -1;
    memcpy(tmp, parent, pl);
    tmp[pl] = '.';
    memcpy(tmp + pl + 1, err->field, fl + 1);
    size_t n = strlen(tmp);
    if (n >= sizeof err->field) n = sizeof err->field - 1;
    memcpy(err->field, tmp, n);
    err->field[n] = 0;
    return -1;
}

static int obj_field(json_t *body, const char *key, int required, json_t **out, pj_err *err)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required) return pj_fail(err, 422, "missing_field", key, "%s is required", key);
        return 0;
    }
    if (!json_is_object(v)) return pj_fail(err, 422, "invalid", key, "%s must be an object", key);
    *out = v;
    return 1;
}

/* ---- request ---- */

static int team_exists(pj_ctx *c, const char *code, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT 1 FROM team_types WHERE code = ?", err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc;
}

/* A request without `teams` (absent or null) takes the teams the district records as available
 * per team type (team_types.available; a type without a count is not given): they are written
 * into the request itself, so the plan saved keeps the numbers it was solved with and a plan
 * solved in the background reads the same. 422 missing_field when no type records a count. */
static int default_teams(pj_ctx *c, json_t *b, pj_err *err)
{
    json_t *t = json_object_get(b, "teams");
    if (t && !json_is_null(t)) return 0;
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT code, available FROM team_types WHERE available IS NOT NULL ORDER BY id",
        err);
    if (!s) return -1;
    json_t *teams = json_object();
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1)
        json_object_set_new(teams, pj_col_text(s, 0), json_integer(pj_col_int(s, 1)));
    pj_stmt_done(s);
    if (rc < 0 || json_object_size(teams) == 0) {
        json_decref(teams);
        return rc < 0 ? -1
                      : pj_fail(err, 422, "missing_field", "teams",
                                "teams is required: no team type records how many teams are "
                                "available (give teams, or record available on the team types, "
                                "/api/v1/team-types)");
    }
    if (json_object_size(teams) > MAX_TEAMS) {
        size_t n = json_object_size(teams);
        json_decref(teams);
        return pj_fail(err, 422, "too_many", "teams",
                       "%zu team types record teams available, more than a plan takes (%d): give "
                       "teams",
                       n, MAX_TEAMS);
    }
    json_object_set_new(b, "teams", teams);
    return 0;
}

static int id_list(json_t *arr, const char *field, int64_t **ids, int *n, pj_arena *a, pj_err *err);

static int read_request(pj_ctx *c, json_t *b, preq *q, pj_err *err)
{
    static const char *const fields[] = {"name",
                                         "scenario",
                                         "role",
                                         "affected",
                                         "demand",
                                         "vulnerable",
                                         "max_distance_km",
                                         "road_factor",
                                         "deadline_hours",
                                         "single_source",
                                         "teams",
                                         "supplies",
                                         "time_limit_s",
                                         "weights",
                                         "seed",
                                         "exclude_facility_ids",
                                         NULL};
    memset(q, 0, sizeof *q);
    q->max_km = DEF_MAX_KM;
    q->road = pj_du_setting(c, "road_factor", DEF_ROAD);
    q->time_s = DEF_TIME_S;
    q->w_dist = W_DISTANCE;
    q->w_hours = W_CONV_HOURS;
    q->w_peace = W_PEACETIME;
    q->w_site = W_SITE;
    q->vneeds = "medical_or_barrier_free";
    if (pj_in_object(b, err) || pj_in_only(b, fields, err) ||
        pj_in_text_trimmed(c->arena, b, "name", 1, 128, &q->name, err) < 0 ||
        pj_in_enum(b, "scenario", 1, pj_scenarios, &q->scenario, err) < 0 ||
        pj_in_enum(b, "role", 1, pj_emergency_roles, &q->role, err) < 0 ||
        pj_in_num(b, "max_distance_km", 0, 0.001, 1000, &q->max_km, err) < 0 ||
        pj_in_num(b, "road_factor", 0, 1, 5, &q->road, err) < 0 ||
        pj_in_num(b, "time_limit_s", 0, 0.01, 120, &q->time_s, err) < 0)
        return -1;
    int rc = pj_in_num(b, "deadline_hours", 0, 0.001, 100000, &q->deadline_h, err);
    if (rc < 0) return -1;
    q->has_deadline = rc == 1;
    q->single = !strcmp(q->role, "resettlement");
    if (pj_in_bool(b, "single_source", 0, &q->single, err) < 0) return -1;
    int64_t seed = 0;
    if (pj_in_int(b, "seed", 0, 0, INT64_MAX, &seed, err) < 0) return -1;
    q->seed = (uint64_t)seed;

    /* affected: exactly one way of naming the villages */
    if (obj_field(b, "affected", 1, &q->affected, err) < 0) return -1;
    static const char *const aff_fields[] = {"township_ids", "village_ids", "center",
                                             "radius_km",    "polygon",     NULL};
    if (pj_in_only(q->affected, aff_fields, err)) return nested(err, "affected");
    int ways = !!json_object_get(q->affected, "township_ids") +
               !!json_object_get(q->affected, "village_ids") +
               !!json_object_get(q->affected, "center") + !!json_object_get(q->affected, "polygon");
    if (ways != 1)
        return pj_fail(err, 422, "invalid", "affected",
                       "affected needs exactly one of township_ids, village_ids, center or "
                       "polygon");
    if (json_object_get(q->affected, "radius_km") && !json_object_get(q->affected, "center"))
        return pj_fail(err, 422, "invalid", "affected.radius_km", "radius_km goes with center");

    /* demand: a share of the population or a number of people */
    json_t *d;
    if (obj_field(b, "demand", 1, &d, err) < 0) return -1;
    static const char *const dem_fields[] = {"share", "people", "villages", NULL};
    if (pj_in_only(d, dem_fields, err)) return nested(err, "demand");
    if (!!json_object_get(d, "share") + !!json_object_get(d, "people") +
            !!json_object_get(d, "villages") !=
        1)
        return pj_fail(err, 422, "invalid", "demand",
                       "demand needs exactly one of share, people or villages");
    if ((rc = pj_in_num(d, "share", 0, 0, 1, &q->share, err)) < 0) return nested(err, "demand");
    q->has_share = rc == 1;
    if (pj_in_int(d, "people", 0, 0, 100000000, &q->people, err) < 0) return nested(err, "demand");
    /* villages: the people of each village, as counted (those a site that closed left without
     * a place, say): [{"village_id": V, "people": N}, ...], each village of the affected ones */
    json_t *dv = json_object_get(d, "villages");
    if (dv) {
        if (!json_is_array(dv) || json_array_size(dv) == 0 || json_array_size(dv) > MAX_IDS)
            return pj_fail(err, 422, "invalid", "demand.villages",
                           "demand.villages must be a list of 1 to %d {village_id, people}",
                           MAX_IDS);
        q->dv_n = (int)json_array_size(dv);
        q->dv_id = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)q->dv_n);
        q->dv_people = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)q->dv_n);
        static const char *const vf[] = {"village_id", "people", NULL};
        for (int i = 0; i < q->dv_n; i++) {
            json_t *e = json_array_get(dv, (size_t)i);
            char at[48];
            snprintf(at, sizeof at, "demand.villages[%d]", i);
            if (!json_is_object(e))
                return pj_fail(err, 422, "invalid", at, "%s must be {village_id, people}", at);
            if (pj_in_only(e, vf, err) ||
                pj_in_int(e, "village_id", 1, 1, INT64_MAX, &q->dv_id[i], err) < 0 ||
                pj_in_int(e, "people", 1, 0, 100000000, &q->dv_people[i], err) < 0)
                return nested(err, at);
            for (int k = 0; k < i; k++)
                if (q->dv_id[k] == q->dv_id[i])
                    return pj_fail(err, 422, "invalid",
                                   pj_arena_printf(c->arena, "%s.village_id", at),
                                   "village %lld is listed twice", (long long)q->dv_id[i]);
        }
    }
    /* sites the plan may not choose (found unsafe, already full by other means) */
    json_t *ex = json_object_get(b, "exclude_facility_ids");
    if (ex && !json_is_null(ex) && (!json_is_array(ex) || json_array_size(ex) > 0) &&
        id_list(ex, "exclude_facility_ids", &q->excl, &q->nexcl, c->arena, err))
        return -1;
    for (int i = 0; i < q->nexcl; i++) {
        int found = pj_render_exists(c, "SELECT 1 FROM facilities WHERE id = ?", q->excl[i], err);
        if (found < 0) return -1;
        if (!found)
            return pj_fail(err, 422, "unknown_id",
                           pj_arena_printf(c->arena, "exclude_facility_ids[%d]", i),
                           "no facility %lld", (long long)q->excl[i]);
    }

    /* vulnerable: true (default) = the eldercare list of the affected villages, false = none,
     * {"count": V} = V people spread over the villages */
    json_t *v = json_object_get(b, "vulnerable");
    q->vmode = VUL_ELDERCARE;
    if (json_is_boolean(v)) {
        q->vmode = json_is_true(v) ? VUL_ELDERCARE : VUL_NONE;
    } else if (v && !json_is_null(v)) {
        static const char *const vf[] = {"count", "needs", NULL};
        static const char *const needs[] = {"medical_or_barrier_free", "medical", NULL};
        if (!json_is_object(v))
            return pj_fail(err, 422, "invalid", "vulnerable",
                           "vulnerable must be true, false or {\"count\": N}");
        if (pj_in_only(v, vf, err) || pj_in_int(v, "count", 1, 0, 100000000, &q->vcount, err) < 0 ||
            pj_in_enum(v, "needs", 0, needs, &q->vneeds, err) < 0)
            return nested(err, "vulnerable");
        q->vmode = VUL_COUNT;
    }
    /* a store's or a hub's plan counts the role's own units, not people: no vulnerable class */
    if (!strcmp(q->role, "supply_store") || !strcmp(q->role, "transport_hub")) {
        if (v && !json_is_null(v) && !json_is_false(v))
            return pj_fail(err, 422, "invalid", "vulnerable",
                           "a %s plan counts the role's own units, not people: it takes no "
                           "vulnerable people (leave vulnerable out or set it to false)",
                           q->role);
        q->vmode = VUL_NONE;
    }

    json_t *t;
    if (default_teams(c, b, err) || obj_field(b, "teams", 1, &t, err) < 0) return -1;
    const char *k;
    json_t *val;
    json_object_foreach(t, k, val)
    {
        char field[64];
        snprintf(field, sizeof field, "teams.%.48s", k);
        if (q->nteams == MAX_TEAMS)
            return pj_fail(err, 422, "too_many", "teams", "at most %d team types", MAX_TEAMS);
        if (!json_is_integer(val) || json_integer_value(val) < 0 ||
            json_integer_value(val) > 100000)
            return pj_fail(err, 422, "invalid", field,
                           "the number of %s teams must be an integer from 0 to 100000", k);
        int known = team_exists(c, k, err);
        if (known < 0) return -1;
        if (!known)
            return pj_fail(err, 422, "unknown_team_type", field,
                           "no team type %s (see /api/v1/team-types)", k);
        q->teams[q->nteams++] =
            (pteam){.code = k, .count = (int64_t)json_integer_value(val), .used = 0};
    }

    json_t *s;
    if (obj_field(b, "supplies", 0, &s, err) < 0) return -1;
    if (s) {
        static const char *const sf[] = {"days", NULL};
        if (pj_in_only(s, sf, err) || pj_in_int(s, "days", 1, 1, 365, &q->supply_days, err) < 0)
            return nested(err, "supplies");
        /* the supplies are a ration per person and day: a store's or a hub's plan counts
         * cubic metres or vehicles per hour, no one to feed */
        if (!strcmp(q->role, "supply_store") || !strcmp(q->role, "transport_hub"))
            return pj_fail(err, 422, "invalid", "supplies",
                           "a %s plan counts the role's own units, not people: it has no supplies "
                           "to plan (the supplies are a ration per person and day; leave supplies "
                           "out)",
                           q->role);
    }

    json_t *w;
    if (obj_field(b, "weights", 0, &w, err) < 0) return -1;
    if (w) {
        static const char *const wf[] = {"distance", "conversion_hours", "peacetime_capacity",
                                         "site", NULL};
        if (pj_in_only(w, wf, err) || pj_in_num(w, "distance", 0, 0, 1e6, &q->w_dist, err) < 0 ||
            pj_in_num(w, "conversion_hours", 0, 0, 1e9, &q->w_hours, err) < 0 ||
            pj_in_num(w, "peacetime_capacity", 0, 0, 1e9, &q->w_peace, err) < 0 ||
            pj_in_num(w, "site", 0, 0, 1e12, &q->w_site, err) < 0)
            return nested(err, "weights");
    }
    return 0;
}

/* ---- villages ---- */

static int id_list(json_t *arr, const char *field, int64_t **ids, int *n, pj_arena *a, pj_err *err)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > MAX_IDS)
        return pj_fail(err, 422, "invalid", field, "%s must be a list of 1 to %d ids", field,
                       MAX_IDS);
    *n = (int)json_array_size(arr);
    *ids = pj_arena_alloc(a, sizeof(int64_t) * (size_t)*n);
    for (int i = 0; i < *n; i++) {
        json_t *e = json_array_get(arr, (size_t)i);
        if (!json_is_integer(e) || json_integer_value(e) <= 0)
            return pj_fail(err, 422, "invalid", field, "%s must hold positive integer ids", field);
        (*ids)[i] = (int64_t)json_integer_value(e);
    }
    return 0;
}

#define VILL_COLS "id, name, type, lat, lon, population"

static void vill_from_row(pj_ctx *c, pj_stmt *s, pvill *v)
{
    memset(v, 0, sizeof *v);
    v->id = pj_col_int(s, 0);
    v->name = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    v->has_loc = !pj_col_is_null(s, 3) && !pj_col_is_null(s, 4);
    v->lat = pj_col_double(s, 3);
    v->lon = pj_col_double(s, 4);
    v->pop = pj_col_int(s, 5);
}

static int is_village(const char *type)
{
    return type && (!strcmp(type, "village") || !strcmp(type, "community"));
}

/* Appends the village of the row s to v (grown in the arena). */
static void vill_push(pj_ctx *c, pj_stmt *s, pvill **v, int *n, int *cap)
{
    if (*n == *cap) {
        int nc = *cap ? 2 * *cap : 64;
        pvill *nv = pj_arena_alloc(c->arena, sizeof *nv * (size_t)nc);
        if (*n) memcpy(nv, *v, sizeof *nv * (size_t)*n);
        *v = nv, *cap = nc;
    }
    vill_from_row(c, s, &(*v)[(*n)++]);
}

/* An affected area: a circle (radius > 0) or a polygon (np ≥ 3). */
typedef struct area {
    double lat, lon, radius;
    const double *plat, *plon;
    int np;
} area;

/* The villages and communities whose centroid lies in the area, in id order. */
static int area_villages(pj_ctx *c, const area *a, pvill **out, int *nout, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT " VILL_COLS " FROM regions WHERE type IN ('village',"
                               " 'community') AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id",
                               err);
    if (!s) return -1;
    pvill *v = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        double la = pj_col_double(s, 3), lo = pj_col_double(s, 4);
        if (a->np ? !pj_point_in_polygon(la, lo, a->plat, a->plon, a->np)
                  : pj_haversine_km(a->lat, a->lon, la, lo) > a->radius)
            continue;
        vill_push(c, s, &v, &n, &cap);
    }
    pj_stmt_done(s);
    *out = v;
    *nout = n;
    return rc < 0 ? -1 : 0;
}

/* 1 when the np points are all one point or all on one line (the polygon has no inside; a
 * bow-tie whose halves cancel in a signed area is not flat). */
static int polygon_flat(const double *lat, const double *lon, int np)
{
    int k = 1;
    while (k < np && lat[k] == lat[0] && lon[k] == lon[0]) k++;
    if (k == np) return 1;
    double dx = lon[k] - lon[0], dy = lat[k] - lat[0], dl = hypot(dx, dy);
    for (int i = k + 1; i < np; i++) {
        double ex = lon[i] - lon[0], ey = lat[i] - lat[0];
        /* the sine of the angle at point 0 between the line and point i */
        if (fabs(dx * ey - dy * ex) > 1e-9 * dl * hypot(ex, ey)) return 0;
    }
    return 1;
}

static int load_villages(pj_ctx *c, const preq *q, pvill **out, int *nout, pj_err *err)
{
    json_t *aff = q->affected;
    pvill *v = NULL;
    int n = 0, cap = 0, rc;
    int64_t *ids;
    int nids;
    pj_stmt *s;
    if (json_object_get(aff, "village_ids")) {
        if (id_list(json_object_get(aff, "village_ids"), "affected.village_ids", &ids, &nids,
                    c->arena, err))
            return -1;
        v = pj_arena_calloc(c->arena, (size_t)nids, sizeof *v);
        for (int i = 0; i < nids; i++) {
            int dup = 0;
            for (int k = 0; k < n; k++) dup |= v[k].id == ids[i];
            if (dup) continue;
            s = pj_db_prepare(c->db, "SELECT " VILL_COLS " FROM regions WHERE id = ?", err);
            if (!s) return -1;
            pj_stmt_int(s, 1, ids[i]);
            rc = pj_stmt_step(s, err);
            int ok = rc == 1 && is_village(pj_col_text(s, 2));
            if (ok) vill_from_row(c, s, &v[n++]);
            pj_stmt_done(s);
            if (rc < 0) return -1;
            if (!ok)
                return pj_fail(err, 422, "unknown_village", "affected.village_ids",
                               rc == 0 ? "no region %lld"
                                       : "region %lld is not a village or community",
                               (long long)ids[i]);
        }
    } else if (json_object_get(aff, "township_ids")) {
        if (id_list(json_object_get(aff, "township_ids"), "affected.township_ids", &ids, &nids,
                    c->arena, err))
            return -1;
        for (int i = 0; i < nids; i++) {
            s = pj_db_prepare(c->db, "SELECT type FROM regions WHERE id = ?", err);
            if (!s) return -1;
            pj_stmt_int(s, 1, ids[i]);
            rc = pj_stmt_step(s, err);
            int ok = rc == 1 && !strcmp(pj_col_text(s, 0), "township");
            pj_stmt_done(s);
            if (rc < 0) return -1;
            if (!ok)
                return pj_fail(err, 422, "unknown_township", "affected.township_ids",
                               rc == 0 ? "no region %lld" : "region %lld is not a township",
                               (long long)ids[i]);
            int dup = 0;
            for (int k = 0; k < i; k++) dup |= ids[k] == ids[i];
            if (dup) continue;
            s = pj_db_prepare(c->db,
                              "SELECT " VILL_COLS " FROM regions WHERE parent_id = ? AND type IN"
                              " ('village', 'community') ORDER BY id",
                              err);
            if (!s) return -1;
            pj_stmt_int(s, 1, ids[i]);
            while ((rc = pj_stmt_step(s, err)) == 1) {
                vill_push(c, s, &v, &n, &cap);
            }
            pj_stmt_done(s);
            if (rc < 0) return -1;
        }
    } else if (json_object_get(aff, "polygon")) {
        json_t *pg = json_object_get(aff, "polygon");
        int np = json_is_array(pg) ? (int)json_array_size(pg) : 0;
        /* 1000 points at most, and the first once more at the end (the ring closes by
         * itself, and GeoJSON's habit of closing it is not counted) */
        if (np < 3 || np > 1001)
            return pj_fail(err, 422, "invalid", "affected.polygon",
                           "polygon must be a list of 3 to 1000 points {lat, lon}");
        double *plat = pj_arena_alloc(c->arena, sizeof(double) * (size_t)np);
        double *plon = pj_arena_alloc(c->arena, sizeof(double) * (size_t)np);
        static const char *const cf[] = {"lat", "lon", NULL};
        for (int i = 0; i < np; i++) {
            json_t *pt = json_array_get(pg, (size_t)i);
            char where[48];
            snprintf(where, sizeof where, "affected.polygon[%d]", i);
            if (!json_is_object(pt))
                return pj_fail(err, 422, "invalid", where, "a point must be {lat, lon}");
            if (pj_in_only(pt, cf, err) || pj_in_num(pt, "lat", 1, -90, 90, &plat[i], err) < 0 ||
                pj_in_num(pt, "lon", 1, -180, 180, &plon[i], err) < 0)
                return nested(err, where);
        }
        if (np > 1000 && (plat[np - 1] != plat[0] || plon[np - 1] != plon[0]))
            return pj_fail(err, 422, "invalid", "affected.polygon",
                           "polygon must be a list of 3 to 1000 points {lat, lon} (the first"
                           " may be repeated at the end)");
        if (polygon_flat(plat, plon, np))
            return pj_fail(err, 422, "invalid", "affected.polygon",
                           "the polygon's points enclose no area: they are all one point or lie"
                           " on one line");
        area a = {.plat = plat, .plon = plon, .np = np};
        if (area_villages(c, &a, &v, &n, err)) return -1;
    } else {
        json_t *ctr = json_object_get(aff, "center");
        double lat, lon, radius;
        static const char *const cf[] = {"lat", "lon", NULL};
        if (!json_is_object(ctr))
            return pj_fail(err, 422, "invalid", "affected.center", "center must be {lat, lon}");
        if (pj_in_only(ctr, cf, err) || pj_in_num(ctr, "lat", 1, -90, 90, &lat, err) < 0 ||
            pj_in_num(ctr, "lon", 1, -180, 180, &lon, err) < 0)
            return nested(err, "affected.center");
        json_t *r = json_object_get(aff, "radius_km");
        if (!r)
            return pj_fail(err, 422, "missing_field", "affected.radius_km",
                           "radius_km is required");
        if (!json_is_number(r) || (radius = json_number_value(r)) <= 0 || radius > 1000)
            return pj_fail(err, 422, "invalid", "affected.radius_km",
                           "radius_km must be a number above 0 and at most 1000");
        area a = {.lat = lat, .lon = lon, .radius = radius};
        if (area_villages(c, &a, &v, &n, err)) return -1;
    }
    if (n == 0)
        return pj_fail(err, 422, "no_villages", "affected",
                       "no village or community lies in the affected area");
    /* a township officer plans for the township's own villages (the plan shows each village's
     * people and vulnerable register); the district plans across townships */
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER) {
        for (int i = 0; i < n; i++) {
            s = pj_db_prepare(c->db, "SELECT COALESCE(parent_id, 0) FROM regions WHERE id = ?",
                              err);
            if (!s) return -1;
            pj_stmt_int(s, 1, v[i].id);
            rc = pj_stmt_step(s, err);
            int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
            pj_stmt_done(s);
            if (rc < 0) return -1;
            if (!town || town != c->actor.township_id)
                return pj_fail(err, 403, "forbidden", "affected",
                               "%s lies outside your township: a township officer plans for"
                               " the township's villages",
                               v[i].name);
        }
    }
    *out = v;
    *nout = n;
    return 0;
}

/* Splits total over weights w[0..n) by largest remainders (sum exactly total). */
static void split(int64_t total, const int64_t *w, int64_t *out, int n, pj_arena *a)
{
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)w[i];
    memset(out, 0, sizeof *out * (size_t)n);
    if (sum <= 0 || total <= 0) return;
    double *rem = pj_arena_alloc(a, sizeof(double) * (size_t)n);
    int64_t given = 0;
    for (int i = 0; i < n; i++) {
        double x = (double)total * (double)w[i] / sum;
        out[i] = (int64_t)floor(x);
        rem[i] = x - (double)out[i];
        given += out[i];
    }
    while (given < total) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (w[i] > 0 && (best < 0 || rem[i] > rem[best])) best = i;
        if (best < 0) break;
        out[best]++;
        rem[best] = -1;
        given++;
    }
}

/* The villages of v[0..n) that pick says yes to, as "杨山村 (356), 东岭村 (373)" into b (at
 * most 5 named, whole names only, then "and N more"); their number. */
static int name_villages(char *b, size_t bn, const pvill *v, int n, int (*pick)(const pvill *))
{
    size_t len = 0;
    int named = 0, more = 0;
    b[0] = 0;
    for (int i = 0; i < n; i++) {
        if (!pick(&v[i])) continue;
        char one[200];
        int k = snprintf(one, sizeof one, "%s%s (%lld)", named ? ", " : "", v[i].name,
                         (long long)v[i].id);
        if (named < 5 && k > 0 && (size_t)k < sizeof one && len + (size_t)k + 24 < bn) {
            memcpy(b + len, one, (size_t)k + 1);
            len += (size_t)k;
            named++;
        } else {
            more++;
        }
    }
    if (more) snprintf(b + len, bn - len, "%sand %d more", named ? " " : "", more);
    return named + more;
}

static int no_pop(const pvill *v)
{
    return v->pop <= 0;
}

static int no_loc_in_need(const pvill *v)
{
    return !v->has_loc && v->demand > 0;
}

/* No village in need has a location: no distance to any site, so nothing could be planned;
 * said as that rather than as no candidate in reach. */
static int check_locations(const pvill *v, int n, pj_err *err)
{
    for (int i = 0; i < n; i++)
        if (v[i].has_loc && v[i].demand > 0) return 0;
    char names[300];
    int k = name_villages(names, sizeof names, v, n, no_loc_in_need);
    return pj_fail(err, 422, "no_location", "affected",
                   "%s %s no location: no distance to any site (set %s coordinates)", names,
                   k == 1 ? "has" : "have", k == 1 ? "its" : "their");
}

static int set_demand(pj_ctx *c, const preq *q, pvill *v, int n, int64_t *total, pj_err *err)
{
    int64_t *w = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)n),
            *o = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)n);
    int64_t pop = 0, sum = 0;
    for (int i = 0; i < n; i++) pop += w[i] = v[i].pop;
    if (q->has_share) {
        if (pop <= 0 && q->share > 0) {
            char names[300];
            name_villages(names, sizeof names, v, n, no_pop);
            return pj_fail(err, 422, "no_population", "demand.share",
                           "the affected villages have no recorded population to take a share "
                           "of: %s",
                           names);
        }
        for (int i = 0; i < n; i++) v[i].demand = llround((double)v[i].pop * q->share);
    } else if (q->dv_n) {
        /* as counted, village by village; a village listed that is not affected is a slip */
        for (int i = 0; i < n; i++) v[i].demand = 0;
        for (int k = 0; k < q->dv_n; k++) {
            int at = -1;
            for (int i = 0; i < n && at < 0; i++)
                if (v[i].id == q->dv_id[k]) at = i;
            if (at < 0)
                return pj_fail(err, 422, "unknown_village",
                               pj_arena_printf(c->arena, "demand.villages[%d].village_id", k),
                               "village %lld is not one of the affected villages",
                               (long long)q->dv_id[k]);
            v[at].demand = q->dv_people[k];
        }
    } else {
        if (pop <= 0 && q->people > 0)
            return pj_fail(err, 422, "no_population", "demand.people",
                           "the affected villages have no recorded population to split %lld "
                           "people over",
                           (long long)q->people);
        split(q->people, w, o, n, c->arena);
        for (int i = 0; i < n; i++) v[i].demand = o[i];
    }
    for (int i = 0; i < n; i++) sum += w[i] = v[i].demand;
    if (sum <= 0)
        return pj_fail(err, 422, "no_demand",
                       q->has_share ? "demand.share"
                       : q->dv_n    ? "demand.villages"
                                    : "demand.people",
                       "the scenario asks for no one to be housed");
    *total = sum;
    if (q->vmode == VUL_COUNT) {
        if (q->vcount > sum)
            return pj_fail(err, 422, "invalid", "vulnerable.count",
                           "vulnerable.count (%lld) exceeds the people in need (%lld)",
                           (long long)q->vcount, (long long)sum);
        split(q->vcount, w, o, n, c->arena);
        for (int i = 0; i < n; i++) v[i].vuln = o[i] < v[i].demand ? o[i] : v[i].demand;
        return 0;
    }
    if (q->vmode == VUL_NONE) return 0;
    /* the eldercare list: living alone, disabled or ability level >= 3 (counts only; no
     * personal data enters the plan). A village's people in need hold its listed people in
     * proportion: demand x registered / population, never above its demand or its list. The
     * district total is rounded once and handed out by largest remainder, so small villages
     * are not all rounded away. */
    double *ex = pj_arena_alloc(c->arena, sizeof(double) * (size_t)n);
    double exsum = 0;
    for (int i = 0; i < n; i++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT COUNT(*) FROM elders WHERE village_id = ? AND"
                                   " status = 'active' AND (living_alone = 1 OR disabled = 1 OR"
                                   " ability_level >= 3)",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, v[i].id);
        int rc = pj_stmt_step(s, err);
        if (rc == 1) v[i].vreg = pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        double x = v[i].pop > 0 ? (double)v[i].demand * (double)v[i].vreg / (double)v[i].pop : 0;
        if (x > (double)v[i].demand) x = (double)v[i].demand;
        if (x > (double)v[i].vreg) x = (double)v[i].vreg; /* more in need than live there */
        v[i].vuln = (int64_t)floor(x);
        ex[i] = x - (double)v[i].vuln;
        exsum += x;
    }
    int64_t want = llround(exsum), given = 0;
    for (int i = 0; i < n; i++) given += v[i].vuln;
    while (given < want) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (ex[i] > 0 && v[i].vuln < v[i].demand && (best < 0 || ex[i] > ex[best])) best = i;
        if (best < 0) break;
        v[best].vuln++;
        ex[best] = -1;
        given++;
    }
    return 0;
}

/* ---- candidate sites ---- */

static int load_steps(pj_ctx *c, psite *st, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT code, name, planned_minutes, team_type, team_count,"
                               " predecessors FROM manual_steps WHERE manual_id = ? AND"
                               " phase = 'convert' ORDER BY seq",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, st->manual_id);
    pstep *steps = pj_arena_calloc(c->arena, MAX_STEPS, sizeof *steps);
    const char **preds = pj_arena_alloc(c->arena, sizeof(char *) * MAX_STEPS);
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < MAX_STEPS) {
        steps[n].code = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        steps[n].name = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        steps[n].minutes = (int)pj_col_int(s, 2);
        steps[n].team = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        steps[n].count = (int)pj_col_int(s, 4);
        preds[n] = pj_arena_strdup(c->arena, pj_col_text(s, 5));
        n++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    for (int i = 0; i < n; i++) {
        json_t *arr = json_loads(preds[i], 0, NULL);
        size_t np = json_array_size(arr);
        steps[i].pred = pj_arena_alloc(c->arena, sizeof(int) * (np + 1));
        for (size_t k = 0; k < np; k++) {
            const char *code = json_string_value(json_array_get(arr, k));
            for (int b = 0; code && b < n; b++)
                if (b != i && !strcmp(steps[b].code, code)) {
                    steps[i].pred[steps[i].npred++] = b;
                    break;
                }
        }
        json_decref(arr);
    }
    st->steps = steps;
    st->nsteps = n;
    /* the critical path of the conversion */
    double *dur = pj_arena_alloc(c->arena, sizeof(double) * ((size_t)n + 1));
    int *np = pj_arena_alloc(c->arena, sizeof(int) * ((size_t)n + 1));
    const int **pr = pj_arena_alloc(c->arena, sizeof(int *) * ((size_t)n + 1));
    for (int i = 0; i < n; i++) {
        dur[i] = steps[i].minutes;
        np[i] = steps[i].npred;
        pr[i] = steps[i].pred;
    }
    pj_cpm_result r;
    memset(&r, 0, sizeof r);
    int bad = pj_cpm_solve(n, dur, np, (const int *const *)pr, &r);
    st->crit_min = bad ? -1 : r.length;
    pj_cpm_free(&r);
    return 0;
}

#define PCOUNT_SHORT 6

/* A candidate in reach and within the deadline that the teams cannot staff: left out of the
 * plan, and said so in the result (`excluded`), with every team type it is short of. */
typedef struct pexcl {
    int64_t fid;
    const char *name, *role;
    double lat, lon;
    int main_ok, vok; /* it could have taken the general people, the vulnerable */
    int nshort;
    struct {
        const char *team;
        int need, have;
    } shortage[PCOUNT_SHORT];
} pexcl;

typedef struct pexcls {
    pexcl *v;
    int n, cap;
} pexcls;

/* A facility with the role in reach that is no candidate for its state: a live conversion
 * converting, restoring, or in emergency use for another scenario or role (a stood-down plan's
 * site not yet restored, another plan's, one converted by hand). Said in the result
 * (`unavailable`), so that a plan does not shrink without saying why. */
typedef struct pbusy {
    int64_t fid, conv, plan; /* conv, plan: 0 when none */
    const char *name, *role, *state, *scenario;
    double km;
} pbusy;

typedef struct pbusys {
    pbusy *v;
    int n, cap;
} pbusys;

typedef struct pcount {
    int with_role, peacetime, with_manual, with_room, with_steps, with_teams, in_deadline, in_reach,
        ready0, excluded;
    /* when the teams leave no candidate: the candidate that needs the fewest more teams, with
     * every team type it is short of (the most any of its steps needs, and what is given) */
    const char *site;
    int64_t fid;
    int nshort, extra;
    struct {
        const char *team;
        int need, have;
    } shortage[PCOUNT_SHORT];
    /* when the deadline leaves no candidate: the quickest of those it kept out (in reach and
     * staffable by the teams if any is, else any), its critical path in minutes */
    const char *fast_site;
    int64_t fast_fid;
    double fast_min;
    int fast_ok;
    /* the candidates the teams left out (NULL: not noted), and the role they were wanted for;
     * those the deadline kept out (NULL: not noted), for the shortfall's reason */
    pexcls *excl, *slow;
    const char *excl_role;
    pj_arena *arena;
    pbusys *busy; /* the facilities in reach no candidate for their state (NULL: not noted) */
} pcount;

/* st noted in x (once: NULL when it is there already), with where it is and whom it could take. */
static pexcl *excl_add(pcount *cnt, pexcls *x, const preq *q, const psite *st)
{
    for (int i = 0; i < x->n; i++)
        if (x->v[i].fid == st->fid) return NULL;
    if (x->n == x->cap) {
        int nc = x->cap ? 2 * x->cap : 16;
        pexcl *v2 = pj_arena_alloc(cnt->arena, sizeof *v2 * (size_t)nc);
        if (x->n) memcpy(v2, x->v, sizeof *v2 * (size_t)x->n);
        x->v = v2, x->cap = nc;
    }
    pexcl *e = &x->v[x->n++];
    memset(e, 0, sizeof *e);
    e->fid = st->fid;
    e->name = st->name;
    e->role = cnt->excl_role;
    e->lat = st->lat;
    e->lon = st->lon;
    e->main_ok = st->main_ok;
    e->vok =
        st->medical || (strcmp(q->vneeds, "medical") && st->cap >= 1 && st->bf - st->vhousing >= 1);
    return e;
}

/* 0 when the available teams can do every step of st (a count of at least the step's), else
 * 1; with cnt, the site's shortages are noted when it needs fewer more teams than the one
 * noted before. */
static int teams_short(const preq *q, const psite *st, pcount *cnt)
{
    const char *team[PCOUNT_SHORT];
    int need[PCOUNT_SHORT], have[PCOUNT_SHORT], n = 0, extra = 0;
    for (int a = 0; a < st->nsteps; a++) {
        const pstep *sp = &st->steps[a];
        if (sp->count <= 0) continue;
        int64_t h = 0;
        for (int k = 0; k < q->nteams; k++)
            if (!strcmp(q->teams[k].code, sp->team)) h = q->teams[k].count;
        if (h >= sp->count) continue;
        int i = 0;
        while (i < n && strcmp(team[i], sp->team)) i++;
        if (i == n) {
            if (n == PCOUNT_SHORT) {
                extra += sp->count - (int)h; /* counted, not named */
                continue;
            }
            team[n] = sp->team, need[n] = 0, have[n] = (int)h, n++;
        }
        if (sp->count > need[i]) need[i] = sp->count;
    }
    if (n == 0 && extra == 0) return 0;
    pexcl *e = cnt && cnt->excl && n > 0 ? excl_add(cnt, cnt->excl, q, st) : NULL;
    if (e) {
        e->nshort = n;
        for (int i = 0; i < n; i++) {
            e->shortage[i].team = team[i];
            e->shortage[i].need = need[i];
            e->shortage[i].have = have[i];
        }
    }
    for (int i = 0; i < n; i++) extra += need[i] - have[i];
    if (cnt && n > 0 && (!cnt->site || extra < cnt->extra)) {
        cnt->site = st->name;
        cnt->fid = st->fid;
        cnt->extra = extra;
        cnt->nshort = n;
        for (int i = 0; i < n; i++) {
            cnt->shortage[i].team = team[i];
            cnt->shortage[i].need = need[i];
            cnt->shortage[i].have = have[i];
        }
    }
    return 1;
}

/* The nearest road km from (lat, lon) to an affected village with a location (INFINITY when
 * none has one). */
static double nearest_km(const preq *q, const pvill *v, int nv, double lat, double lon)
{
    double best = INFINITY;
    for (int j = 0; j < nv; j++)
        if (v[j].has_loc) {
            double km = pj_haversine_km(lat, lon, v[j].lat, v[j].lon) * q->road;
            if (km < best) best = km;
        }
    return best;
}

/* Facility fid noted as unavailable for its state (once), when it lies within reach; its live
 * conversion and the plan that started it are read by busy_conversions. */
static void busy_add(pj_ctx *c, pcount *cnt, const preq *q, const pvill *v, int nv, int64_t fid,
                     const char *name, const char *state, double lat, double lon)
{
    pbusys *b = cnt->busy;
    double km = nearest_km(q, v, nv, lat, lon);
    if (!(km <= q->max_km)) return;
    for (int i = 0; i < b->n; i++)
        if (b->v[i].fid == fid) return;
    b->v = pj_arena_room(c->arena, b->v, b->n, &b->cap, sizeof *b->v, 16);
    b->v[b->n++] = (pbusy){fid,
                           0,
                           0,
                           pj_arena_strdup(c->arena, name),
                           cnt->excl_role,
                           pj_arena_strdup(c->arena, state),
                           NULL,
                           km};
}

static int busy_cmp(const void *x, const void *y)
{
    const pbusy *a = x, *b = y;
    return a->km < b->km ? -1 : a->km > b->km ? 1 : (a->fid > b->fid) - (a->fid < b->fid);
}

/* The live conversion of each unavailable facility (its scenario) and the plan whose adoption
 * started it (the first, when several placed people there); nearest first. */
static int busy_conversions(pj_ctx *c, pbusys *b, pj_err *err)
{
    if (b->n > 1) qsort(b->v, (size_t)b->n, sizeof *b->v, busy_cmp);
    for (int i = 0; i < b->n; i++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT v.id, v.scenario, (SELECT MIN(pc.plan_id) FROM"
                                   " plan_conversions pc WHERE pc.conversion_id = v.id) FROM"
                                   " conversions v WHERE v.facility_id = ? AND v.mode = 'live'"
                                   " AND v.state IN ('converting', 'emergency', 'restoring')",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, b->v[i].fid);
        int rc = pj_stmt_step(s, err);
        if (rc == 1) {
            b->v[i].conv = pj_col_int(s, 0);
            b->v[i].scenario = pj_arena_strdup(c->arena, pj_col_text(s, 1));
            b->v[i].plan = pj_col_is_null(s, 2) ? 0 : pj_col_int(s, 2);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    return 0;
}

/* The places adopted plans took in converted facility f (plan_int.h). */
#define HOUSING_F  PJ_PLAN_HOUSING("f.id")
#define VHOUSING_F PJ_PLAN_VHOUSING("f.id")

/* Facilities with `role` (or, medical_only, with the medical role) as candidate sites: in
 * peacetime with a manual for the scenario and that role, or already converted for the scenario
 * and the role (a live conversion for the scenario in emergency whose manual is for the role:
 * ready at minute 0, no steps; a site converted for another scenario is not a candidate). */
static int load_sites(pj_ctx *c, const preq *q, const char *role, int medical_only, const pvill *v,
                      int nv, psite **sites, int *ns, int *cap, pcount *cnt, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT f.id, f.name, f.type, f.lat, f.lon, f.state, f.peacetime_capacity,"
        " (SELECT MAX(capacity) FROM facility_roles x WHERE x.facility_id = f.id AND x.role = ?1),"
        /* the newest manual for the scenario that converts the facility into the role the
         * plan counts (a manual's role is not part of its version key) */
        " (SELECT m.id FROM manuals m WHERE m.facility_id = f.id AND m.scenario = ?2"
        "  AND m.role = ?1 ORDER BY m.version DESC LIMIT 1),"
        " EXISTS (SELECT 1 FROM facility_roles y WHERE y.facility_id = f.id AND"
        "  y.role = 'medical'),"
        " f.barrier_free_rooms,"
        " (SELECT v.manual_id FROM conversions v JOIN manuals m ON m.id = v.manual_id WHERE"
        "  v.facility_id = f.id AND v.mode = 'live' AND v.state = 'emergency' AND m.role = ?1"
        "  AND v.scenario = ?2 LIMIT 1),"
        /* the people adopted plans put there since its conversion: not free any more */
        /* (only for a converted facility: the plans' results are read for few rows) */
        " CASE WHEN f.state = 'emergency' THEN " HOUSING_F " ELSE 0 END,"
        " CASE WHEN f.state = 'emergency' THEN " VHOUSING_F " ELSE 0 END"
        " FROM facilities f WHERE EXISTS (SELECT 1 FROM facility_roles r WHERE"
        " r.facility_id = f.id AND r.role = ?1) ORDER BY f.id",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, role);
    pj_stmt_text(s, 2, q->scenario);
    int rc, first = *ns;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t fid = pj_col_int(s, 0);
        int dup = 0;
        for (int i = 0; i < *ns; i++) dup |= (*sites)[i].fid == fid;
        if (dup) continue;
        cnt->with_role++;
        int out = 0;
        for (int k = 0; k < q->nexcl; k++) out |= q->excl[k] == fid;
        if (out) { /* the plan may not choose it */
            cnt->excluded++;
            continue;
        }
        int ready0 = !strcmp(pj_col_text(s, 5), "emergency") && !pj_col_is_null(s, 11);
        if (!ready0 && strcmp(pj_col_text(s, 5), "peacetime")) {
            /* named only when it would be a candidate in peacetime: a manual for the scenario
             * and the role, and room of that role */
            if (cnt->busy && !pj_col_is_null(s, 8) && pj_col_double(s, 7) >= 1)
                busy_add(c, cnt, q, v, nv, fid, pj_col_text(s, 1), pj_col_text(s, 5),
                         pj_col_double(s, 3), pj_col_double(s, 4));
            continue;
        }
        cnt->peacetime++;
        int64_t housing = ready0 ? pj_col_int(s, 12) : 0;
        if (!ready0 && pj_col_is_null(s, 8)) continue;
        cnt->with_manual++;
        if (pj_col_double(s, 7) - (double)housing < 1) continue; /* full, or of no capacity */
        cnt->with_room++;
        if (*ns == *cap) {
            int nc = *cap ? 2 * *cap : 64;
            psite *n2 = pj_arena_alloc(c->arena, sizeof *n2 * (size_t)nc);
            if (*ns) memcpy(n2, *sites, sizeof *n2 * (size_t)*ns);
            *sites = n2, *cap = nc;
        }
        psite *st = &(*sites)[*ns];
        memset(st, 0, sizeof *st);
        st->fid = fid;
        st->name = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        st->type = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        st->lat = pj_col_double(s, 3);
        st->lon = pj_col_double(s, 4);
        st->pcap = pj_col_int(s, 6);
        st->cap = floor(pj_col_double(s, 7)) - (double)housing;
        st->housing = housing;
        st->vhousing = ready0 ? pj_col_int(s, 13) : 0;
        st->ready0 = ready0;
        st->manual_id = ready0 ? pj_col_int(s, 11) : pj_col_int(s, 8);
        st->medical = (int)pj_col_int(s, 9) || !strcmp(role, "medical");
        st->bf = pj_col_int(s, 10);
        st->main_ok = !medical_only;
        (*ns)++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* steps, critical path, teams, deadline, reach: keep the survivors in place */
    int keep = first;
    for (int i = first; i < *ns; i++) {
        psite *st = &(*sites)[i];
        if (!st->ready0) {
            if (load_steps(c, st, err)) return -1;
            if (st->crit_min < 0 || st->nsteps == 0) continue; /* none, or in a loop */
        }
        cnt->with_steps++;
        double best = nearest_km(q, v, nv, st->lat, st->lon);
        if (!st->ready0 && q->has_deadline && st->crit_min > q->deadline_h * 60 + 1e-9) {
            /* the quickest one kept out, preferring those that could serve the plan */
            int ok = best <= q->max_km && !teams_short(q, st, NULL);
            if (ok && cnt->slow) excl_add(cnt, cnt->slow, q, st); /* in reach and staffable */
            if (!cnt->fast_site || ok > cnt->fast_ok ||
                (ok == cnt->fast_ok && st->crit_min < cnt->fast_min)) {
                cnt->fast_site = st->name;
                cnt->fast_fid = st->fid;
                cnt->fast_min = st->crit_min;
                cnt->fast_ok = ok;
            }
            continue;
        }
        cnt->in_deadline++;
        if (best > q->max_km) continue;
        cnt->in_reach++;
        if (!st->ready0 && teams_short(q, st, cnt)) continue;
        cnt->with_teams++;
        cnt->ready0 += st->ready0;
        /* a converted site costs no conversion and loses no more peacetime use */
        st->fixed = st->ready0 ? q->w_site
                               : q->w_site + q->w_hours * st->crit_min / 60.0 +
                                     q->w_peace * (double)st->pcap;
        int bf_ok = strcmp(q->vneeds, "medical") != 0;
        /* the barrier-free rooms of a converted site less those adopted plans filled */
        st->vcap = st->medical ? st->cap
                   : bf_ok     ? fmax(0, fmin((double)(st->bf - st->vhousing), st->cap))
                               : 0;
        st->loaded = 1;
        (*sites)[keep++] = *st;
    }
    *ns = keep;
    return 0;
}

/* ---- the plan ---- */

typedef struct pstate {
    pj_ctx *c;
    preq q;
    pvill *v;
    int nv;
    psite *st;
    int ns;
    pcust *cu;
    int nc;
    double *km;   /* ns × nv road km */
    double *flow; /* ns × nc people (after rounding) */
    int64_t demand, served;
    double t0; /* when the solve began */
    double t_load, t_loc, t_sup, t_sched;
    pj_cflp_result cr, crv; /* general (or all) demand; the vulnerable first when any */
    int cflp_ran, cflp_v_ran, single_relaxed, fallback;
    double fixed_cost, service_cost;
    pexcls excl; /* candidates the teams left out */
    pexcls slow; /* candidates in reach the deadline kept out (their manuals too slow) */
    pbusys busy; /* facilities with the role in reach, no candidates for their state */
    pj_supply_sol ss;
    int sup_ran;
    int64_t *sup_stores; /* facility ids */
    const char **sup_store_names;
    double *sup_store_lat, *sup_store_lon; /* where the stores are (the map draws the flows) */
    int n_stores, n_cats;
    const char **cat_code, **cat_unit;
    int64_t *sup_held; /* n_stores × n_cats: stock adopted plans ship (not offered again) */
    int *sup_site;     /* supply site index -> st index */
    int n_sup_sites;
    pj_rcpsp rp;
    pj_rcpsp_sol rs;
    int sched_ran;
    int *job_site, *job_step;
} pstate;

static int allowed(const pstate *p, int i, int j)
{
    const pcust *cu = &p->cu[j];
    const pvill *v = &p->v[cu->v];
    if (!v->has_loc) return 0;
    if (p->km[(size_t)i * (size_t)p->nv + (size_t)cu->v] > p->q.max_km) return 0;
    return cu->vuln ? p->st[i].vcap >= 1 : p->st[i].main_ok;
}

/* How many people can be served at all, and where they cannot: a maximum flow of minimum
 * road distance from the villages to every candidate. A site that takes the vulnerable only in
 * its barrier-free rooms gets a node in front of it whose arc carries at most those rooms.
 * The vulnerable come first: every general person's arc costs more than any arc's distance,
 * so among the maximum flows (the number served is the same) the cheapest serves the most
 * vulnerable people, and no bed a vulnerable person in reach could use goes to someone else
 * while that person is left out (swapping them would serve as many for less). */
static int max_servable(pstate *p, pj_err *err)
{
    int m = p->ns, n = p->nc;
    int64_t *supply = calloc((size_t)(n + 2 * m), sizeof *supply);
    pj_mcf_arc *arcs = malloc(sizeof *arcs * ((size_t)m * (size_t)n + (size_t)m + 1));
    int na = 0;
    if (!supply || !arcs) {
        free(supply);
        free(arcs);
        return pj_fail(err, 500, "internal", "", "out of memory");
    }
    for (int j = 0; j < n; j++) supply[j] = p->cu[j].d;
    for (int i = 0; i < m; i++) supply[n + i] = -(int64_t)p->st[i].cap;
    int64_t far = 0; /* the longest allowed arc, in metres */
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++)
            if (allowed(p, i, j)) {
                int via = p->cu[j].vuln && p->st[i].vcap < p->st[i].cap;
                arcs[na++] = (pj_mcf_arc){
                    .from = j,
                    .to = via ? n + m + i : n + i,
                    .cap = PJ_MCF_UNBOUNDED,
                    .cost = llround(p->km[(size_t)i * (size_t)p->nv + (size_t)p->cu[j].v] * 1000)};
                if (arcs[na - 1].cost > far) far = arcs[na - 1].cost;
            }
    for (int a = 0; a < na; a++)
        if (!p->cu[arcs[a].from].vuln) arcs[a].cost += far + 1;
    int nplain = na;
    for (int i = 0; i < m; i++)
        if (p->st[i].vcap >= 1 && p->st[i].vcap < p->st[i].cap)
            arcs[na++] = (pj_mcf_arc){
                .from = n + m + i, .to = n + i, .cap = (int64_t)p->st[i].vcap, .cost = 0};
    pj_mcf net = {.n_nodes = n + 2 * m, .supply = supply, .n_arcs = na, .arcs = arcs};
    pj_mcf_sol sol;
    int st = pj_mcf_solve(&net, NULL, &sol);
    int rc = 0;
    if (st < 0 || st == PJ_MCF_TIME_LIMIT) {
        rc = pj_fail(err, 500, "internal", "", "max-flow failed (status %d)", st);
    } else {
        p->served = 0;
        for (int j = 0; j < n; j++) {
            int64_t ex = sol.excess[j];
            if (ex < 0) ex = 0;
            if (ex > p->cu[j].d) ex = p->cu[j].d;
            p->cu[j].served = p->cu[j].d - ex;
            p->served += p->cu[j].served;
            if (p->cu[j].vuln)
                p->v[p->cu[j].v].short_vuln += ex;
            else
                p->v[p->cu[j].v].short_reg += ex;
        }
        /* keep the flow as the fallback plan */
        for (int a = 0; a < nplain; a++)
            if (sol.flow[a] > 0) {
                int i = arcs[a].to - n;
                if (i >= m) i -= m;
                p->flow[(size_t)i * (size_t)n + (size_t)arcs[a].from] += (double)sol.flow[a];
            }
    }
    pj_mcf_sol_free(&sol);
    free(supply);
    free(arcs);
    return rc;
}

void (*pj_plan_cflp_hook)(const pj_cflp *inst, pj_cflp_kind kind, void *ud);
void *pj_plan_cflp_hook_ud;

/* One facility-location solve over the customers idx[0..nn) with the given capacities and
 * fixed costs; on success their flows in p->flow are replaced by the solution's. */
static int cflp_stage(pstate *p, const int *idx, int nn, const double *cap, const double *fixed,
                      double tl, const pj_plan_progress *prog, double lo, double hi,
                      pj_cflp_result *cr, pj_err *err)
{
    int m = p->ns, n = p->nc;
    pj_cflp inst;
    if (pj_cflp_init(&inst, m, nn)) return pj_fail(err, 500, "internal", "", "out of memory");
    for (int i = 0; i < m; i++) {
        inst.capacity[i] = cap[i];
        inst.fixed_cost[i] = fixed[i];
    }
    for (int k = 0; k < nn; k++) {
        int j = idx[k];
        inst.demand[k] = (double)p->cu[j].served;
        for (int i = 0; i < m; i++)
            inst.cost[(size_t)i * (size_t)nn + (size_t)k] =
                allowed(p, i, j) ? p->q.w_dist * (double)p->cu[j].served *
                                       p->km[(size_t)i * (size_t)p->nv + (size_t)p->cu[j].v]
                                 : INFINITY;
    }
    prog_tramp tr = {prog, "location", lo, hi, lo};
    /* the search plans tl of work (so a seed gives the same plan on any machine); the clock
     * stops it only on a machine slower than that by more than a sixth */
    pj_algo_opts o = {.time_limit_s = tl * 7 / 6,
                      .seed = p->q.seed,
                      .progress = tramp,
                      .progress_ud = &tr,
                      .cancelled = tramp_cancelled,
                      .cancelled_ud = &tr,
                      .work_s = tl};
    pj_cflp_kind kind = p->q.single ? PJ_CFLP_SINGLE : PJ_CFLP_MULTI;
    if (pj_plan_cflp_hook) pj_plan_cflp_hook(&inst, kind, pj_plan_cflp_hook_ud);
    pj_cflp_solve(&inst, kind, &o, cr);
    if (cr->status != PJ_CFLP_OK && kind == PJ_CFLP_SINGLE) {
        /* whole villages do not fit: split them rather than leave people out */
        pj_cflp_result_free(cr);
        p->single_relaxed = 1;
        o.time_limit_s = tl * 7 / 12;
        o.work_s = tl * 0.5;
        pj_cflp_solve(&inst, PJ_CFLP_MULTI, &o, cr);
    }
    if (cr->status == PJ_CFLP_OK) {
        for (int k = 0; k < nn; k++)
            for (int i = 0; i < m; i++) p->flow[(size_t)i * (size_t)n + (size_t)idx[k]] = 0;
        for (int f = 0; f < cr->nflows; f++) {
            const pj_cflp_flow *fl = &cr->flows[f];
            int j = idx[fl->customer];
            p->flow[(size_t)fl->site * (size_t)n + (size_t)j] =
                fl->fraction * (double)p->cu[j].served;
        }
    }
    pj_cflp_free(&inst);
    return 0;
}

/* whole people: round each customer's flows, keeping their sum */
static void round_flows(pstate *p)
{
    int m = p->ns, n = p->nc;
    for (int j = 0; j < n; j++) {
        int64_t sum = 0;
        int big = -1;
        for (int i = 0; i < m; i++) {
            double *f = &p->flow[(size_t)i * (size_t)n + (size_t)j];
            *f = (double)llround(*f);
            sum += (int64_t)*f;
            if (*f > 0 && (big < 0 || *f > p->flow[(size_t)big * (size_t)n + (size_t)j])) big = i;
        }
        if (big >= 0 && sum != p->cu[j].served)
            p->flow[(size_t)big * (size_t)n + (size_t)j] += (double)(p->cu[j].served - sum);
    }
}

/* Picks the sites and assigns the served people. Without vulnerable demand: one facility
 * location over everyone. With it: the vulnerable first, on the sites that may take them
 * (capacity: all of a medical site, the barrier-free rooms of another), then everyone else on
 * what is left, the sites opened for the vulnerable costing nothing more to open. */
static int locate(pstate *p, const pj_plan_progress *prog, pj_err *err)
{
    int m = p->ns, n = p->nc;
    double t0 = pj_algo_now();
    p->flow = pj_arena_calloc(p->c->arena, (size_t)m * (size_t)n, sizeof(double));
    if (max_servable(p, err)) return -1;
    int *gi = pj_arena_alloc(p->c->arena, sizeof(int) * (size_t)(n + 1));
    int *vi = pj_arena_alloc(p->c->arena, sizeof(int) * (size_t)(n + 1));
    int ng = 0, nvu = 0;
    for (int j = 0; j < n; j++)
        if (p->cu[j].served > 0) {
            if (p->cu[j].vuln)
                vi[nvu++] = j;
            else
                gi[ng++] = j;
        }
    double *cap = pj_arena_alloc(p->c->arena, sizeof(double) * (size_t)(m + 1));
    double *fixed = pj_arena_alloc(p->c->arena, sizeof(double) * (size_t)(m + 1));
    if (ng + nvu == 0) {
        p->t_loc = pj_algo_now() - t0;
        return 0;
    }
    double tl = p->q.time_s * 0.6;
    if (nvu == 0) {
        for (int i = 0; i < m; i++) cap[i] = p->st[i].cap, fixed[i] = p->st[i].fixed;
        if (cflp_stage(p, gi, ng, cap, fixed, tl, prog, 0, 1, &p->cr, err)) return -1;
        p->cflp_ran = 1;
        p->fallback = p->cr.status != PJ_CFLP_OK; /* keep the max-flow assignment */
    } else {
        double *keep = pj_arena_alloc(p->c->arena, sizeof(double) * (size_t)m * (size_t)n);
        memcpy(keep, p->flow, sizeof(double) * (size_t)m * (size_t)n);
        for (int i = 0; i < m; i++) cap[i] = p->st[i].vcap, fixed[i] = p->st[i].fixed;
        /* the location phase's progress: a third for the vulnerable, the rest for everyone */
        if (cflp_stage(p, vi, nvu, cap, fixed, tl / 3, prog, 0, ng > 0 ? 1.0 / 3 : 1, &p->crv, err))
            return -1;
        p->cflp_v_ran = 1;
        int ok = p->crv.status == PJ_CFLP_OK;
        if (ok && ng > 0) {
            for (int i = 0; i < m; i++) {
                double vu = 0;
                for (int k = 0; k < nvu; k++) vu += p->flow[(size_t)i * (size_t)n + (size_t)vi[k]];
                cap[i] = fmax(0, p->st[i].cap - ceil(vu - 1e-9));
                fixed[i] = vu > 0 ? 0 : p->st[i].fixed;
            }
            if (cflp_stage(p, gi, ng, cap, fixed, tl * 2 / 3, prog, 1.0 / 3, 1, &p->cr, err))
                return -1;
            p->cflp_ran = 1;
            ok = p->cr.status == PJ_CFLP_OK;
        }
        if (!ok) { /* back to the max-flow assignment for everyone */
            memcpy(p->flow, keep, sizeof(double) * (size_t)m * (size_t)n);
            p->fallback = 1;
        }
    }
    round_flows(p);
    p->fixed_cost = p->service_cost = 0;
    for (int i = 0; i < m; i++) {
        psite *st = &p->st[i];
        for (int j = 0; j < n; j++) {
            double f = p->flow[(size_t)i * (size_t)n + (size_t)j];
            if (f <= 0) continue;
            double km = p->km[(size_t)i * (size_t)p->nv + (size_t)p->cu[j].v];
            st->used += (int64_t)f;
            if (p->cu[j].vuln) st->used_vuln += (int64_t)f;
            st->km_sum += f * km;
            if (km > st->km_max) st->km_max = km;
        }
        if (st->used > 0) {
            p->fixed_cost += st->fixed;
            p->service_cost += p->q.w_dist * st->km_sum;
        }
    }
    p->t_loc = pj_algo_now() - t0;
    return 0;
}

static int supply(pstate *p, const pj_plan_progress *prog, pj_err *err)
{
    pj_ctx *c = p->c;
    double t0 = pj_algo_now();
    /* categories */
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT code, unit, per_person_day FROM supply_categories ORDER BY code", err);
    if (!s) return -1;
    int cap = 64, rc;
    p->cat_code = pj_arena_alloc(c->arena, sizeof(char *) * (size_t)cap);
    p->cat_unit = pj_arena_alloc(c->arena, sizeof(char *) * (size_t)cap);
    double *ppd = pj_arena_alloc(c->arena, sizeof(double) * (size_t)cap);
    p->n_cats = 0;
    while ((rc = pj_stmt_step(s, err)) == 1 && p->n_cats < cap) {
        p->cat_code[p->n_cats] = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        p->cat_unit[p->n_cats] = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        ppd[p->n_cats++] = pj_col_double(s, 2);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int K = p->n_cats;
    /* stores: facilities with the supply_store role and stock that has not expired */
    s = pj_db_prepare(c->db,
                      "SELECT f.id, f.name, f.lat, f.lon, l.category, SUM(l.quantity)"
                      " FROM stock_lines l JOIN facilities f ON f.id = l.facility_id"
                      " WHERE (l.expiry IS NULL OR l.expiry >= ?) AND EXISTS (SELECT 1 FROM"
                      " facility_roles r WHERE r.facility_id = f.id AND r.role = 'supply_store')"
                      " GROUP BY f.id, f.name, f.lat, f.lon, l.category ORDER BY f.id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pj_stock_expired_before(pj_now()));
    int scap = 0, ns = 0;
    int64_t *sid = NULL, *stock = NULL;
    double *slat = NULL, *slon = NULL;
    const char **sname = NULL;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t fid = pj_col_int(s, 0);
        if (!ns || sid[ns - 1] != fid) {
            if (ns == scap) {
                int nc = scap ? 2 * scap : 64;
                int64_t *a = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)nc);
                int64_t *b =
                    pj_arena_calloc(c->arena, (size_t)nc * (size_t)(K ? K : 1), sizeof(int64_t));
                double *la = pj_arena_alloc(c->arena, sizeof(double) * (size_t)nc);
                double *lo = pj_arena_alloc(c->arena, sizeof(double) * (size_t)nc);
                const char **nm = pj_arena_alloc(c->arena, sizeof(char *) * (size_t)nc);
                if (ns) {
                    memcpy(a, sid, sizeof(int64_t) * (size_t)ns);
                    memcpy(b, stock, sizeof(int64_t) * (size_t)ns * (size_t)K);
                    memcpy(la, slat, sizeof(double) * (size_t)ns);
                    memcpy(lo, slon, sizeof(double) * (size_t)ns);
                    memcpy(nm, sname, sizeof(char *) * (size_t)ns);
                }
                sid = a, stock = b, slat = la, slon = lo, sname = nm, scap = nc;
            }
            sid[ns] = fid;
            sname[ns] = pj_arena_strdup(c->arena, pj_col_text(s, 1));
            slat[ns] = pj_col_double(s, 2);
            slon[ns] = pj_col_double(s, 3);
            ns++;
        }
        const char *cat = pj_col_text(s, 4);
        for (int k = 0; k < K; k++)
            if (!strcmp(p->cat_code[k], cat))
                stock[(size_t)(ns - 1) * (size_t)K + (size_t)k] +=
                    (int64_t)floor(pj_col_double(s, 5));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* what adopted plans still in force ship from the stores is theirs: a flow counts while
     * its site's conversion of that plan is converting or in emergency, or, for a site the
     * plan found converted already (no conversion of its own), while the conversion it found
     * is in emergency (as already_housing counts the beds). What was shipped of a flow is off
     * the stock lines already (a shipment takes it off): the flow holds only the rest */
    s = pj_db_prepare(c->db,
                      "SELECT json_extract(fl.value, '$.store_id') AS sid, json_extract(fl.value,"
                      " '$.category') AS cat, SUM(MAX(0, json_extract(fl.value, '$.quantity') -"
                      " " PJ_PLAN_FLOW_SHIPPED ")) FROM plans p,"
                      " json_each(p.result_json, '$.supplies.flows') fl WHERE p.status ="
                      " 'adopted' AND " PJ_PLAN_FLOW_IN_FORCE
                      " GROUP BY sid, cat ORDER BY sid, cat",
                      err);
    if (!s) return -1;
    p->sup_held =
        pj_arena_calloc(c->arena, (size_t)(ns ? ns : 1) * (size_t)(K ? K : 1), sizeof(int64_t));
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t fid = pj_col_int(s, 0), q = pj_col_int(s, 2);
        const char *cat = pj_col_text(s, 1);
        for (int a = 0; cat && a < ns; a++)
            if (sid[a] == fid)
                for (int k = 0; k < K; k++)
                    if (!strcmp(p->cat_code[k], cat)) {
                        size_t at = (size_t)a * (size_t)K + (size_t)k;
                        int64_t take = q < stock[at] ? q : stock[at];
                        if (take < 0) take = 0;
                        stock[at] -= take;
                        p->sup_held[at] += take;
                    }
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* sites: the chosen ones */
    p->sup_site = pj_arena_alloc(c->arena, sizeof(int) * (size_t)(p->ns + 1));
    p->n_sup_sites = 0;
    for (int i = 0; i < p->ns; i++)
        if (p->st[i].used > 0) p->sup_site[p->n_sup_sites++] = i;
    int nt = p->n_sup_sites;
    int64_t *demand =
        pj_arena_calloc(c->arena, (size_t)(nt ? nt : 1) * (size_t)(K ? K : 1), sizeof(int64_t));
    double *dist =
        pj_arena_calloc(c->arena, (size_t)(ns ? ns : 1) * (size_t)(nt ? nt : 1), sizeof(double));
    for (int t = 0; t < nt; t++) {
        const psite *st = &p->st[p->sup_site[t]];
        for (int k = 0; k < K; k++)
            demand[(size_t)t * (size_t)K + (size_t)k] =
                (int64_t)ceil((double)st->used * ppd[k] * (double)p->q.supply_days - 1e-9);
        /* a store does not supply itself: no route from a chosen site that is a store to
         * that site (nothing would move; its demand comes from the other stores) */
        for (int a = 0; a < ns; a++)
            dist[(size_t)a * (size_t)nt + (size_t)t] =
                sid[a] == st->fid ? -1
                                  : pj_haversine_km(slat[a], slon[a], st->lat, st->lon) * p->q.road;
    }
    p->sup_stores = sid;
    p->sup_store_names = sname;
    p->sup_store_lat = slat;
    p->sup_store_lon = slon;
    p->n_stores = ns;
    pj_supply prob = {.n_stores = ns,
                      .n_sites = nt,
                      .n_cats = K,
                      .stock = stock,
                      .demand = demand,
                      .dist_km = dist};
    prog_tramp tr = {prog, "supply"};
    double lim = p->q.time_s * 0.1;
    pj_algo_opts o = {.time_limit_s = lim < 0.2 ? 0.2 : lim,
                      .seed = p->q.seed,
                      .progress = tramp,
                      .progress_ud = &tr,
                      .cancelled = tramp_cancelled,
                      .cancelled_ud = &tr};
    int st = pj_supply_solve(&prob, &o, &p->ss);
    if (st < 0) return pj_fail(err, 500, "internal", "", "supply flow failed (status %d)", st);
    p->sup_ran = 1;
    p->t_sup = pj_algo_now() - t0;
    return 0;
}

static int schedule(pstate *p, const pj_plan_progress *prog, pj_err *err)
{
    pj_ctx *c = p->c;
    double t0 = pj_algo_now();
    int nj = 0, np = 0, K = p->q.nteams;
    for (int i = 0; i < p->ns; i++)
        if (p->st[i].used > 0 && p->st[i].nsteps > 0) {
            p->st[i].job0 = nj;
            nj += p->st[i].nsteps;
            np++;
        }
    if (nj == 0) return 0;
    pj_rcpsp *r = &p->rp;
    memset(r, 0, sizeof *r);
    r->n_jobs = nj;
    r->n_res = K;
    r->duration = pj_arena_alloc(c->arena, sizeof(int) * (size_t)nj);
    r->demand = pj_arena_calloc(c->arena, (size_t)nj * (size_t)(K ? K : 1), sizeof(int));
    r->capacity = pj_arena_alloc(c->arena, sizeof(int) * (size_t)(K ? K : 1));
    r->succ_start = pj_arena_calloc(c->arena, (size_t)nj + 1, sizeof(int));
    r->project = pj_arena_alloc(c->arena, sizeof(int) * (size_t)nj);
    r->project_value = pj_arena_alloc(c->arena, sizeof(double) * (size_t)np);
    r->n_projects = np;
    p->job_site = pj_arena_alloc(c->arena, sizeof(int) * (size_t)nj);
    p->job_step = pj_arena_alloc(c->arena, sizeof(int) * (size_t)nj);
    for (int k = 0; k < K; k++) r->capacity[k] = (int)p->q.teams[k].count;
    int proj = 0, nsucc = 0;
    for (int i = 0; i < p->ns; i++) {
        psite *st = &p->st[i];
        if (st->used <= 0 || st->nsteps == 0) continue; /* ready at minute 0 */
        r->project_value[proj] = st->cap;
        for (int a = 0; a < st->nsteps; a++) {
            const pstep *sp = &st->steps[a];
            int j = st->job0 + a, k = 0;
            while (k < K && strcmp(p->q.teams[k].code, sp->team)) k++;
            if (sp->count > 0 && (k == K || p->q.teams[k].count == 0)) {
                char field[64];
                snprintf(field, sizeof field, "teams.%.48s", sp->team);
                return pj_fail(err, 422, "no_teams", field,
                               "no %s teams are available, but step %s (%s) of %s (facility "
                               "%lld) needs %d",
                               sp->team, sp->code, sp->name, st->name, (long long)st->fid,
                               sp->count);
            }
            if (k < K && sp->count > p->q.teams[k].count) {
                char field[64];
                snprintf(field, sizeof field, "teams.%.48s", sp->team);
                return pj_fail(err, 422, "too_few_teams", field,
                               "step %s (%s) of %s (facility %lld) needs %d %s teams, %lld are "
                               "available",
                               sp->code, sp->name, st->name, (long long)st->fid, sp->count,
                               sp->team, (long long)p->q.teams[k].count);
            }
            if (k < K) {
                r->demand[(size_t)j * (size_t)K + (size_t)k] = sp->count;
                if (sp->count > 0) p->q.teams[k].used = 1;
            }
            r->duration[j] = sp->minutes;
            r->project[j] = proj;
            p->job_site[j] = i;
            p->job_step[j] = a;
            for (int b = 0; b < sp->npred; b++) r->succ_start[st->job0 + sp->pred[b] + 1]++;
            nsucc += sp->npred;
        }
        proj++;
    }
    for (int j = 0; j < nj; j++) r->succ_start[j + 1] += r->succ_start[j];
    r->succ = pj_arena_alloc(c->arena, sizeof(int) * (size_t)(nsucc + 1));
    int *fill = pj_arena_calloc(c->arena, (size_t)nj, sizeof(int));
    for (int j = 0; j < nj; j++) {
        const pstep *sp = &p->st[p->job_site[j]].steps[p->job_step[j]];
        int base = p->st[p->job_site[j]].job0;
        for (int b = 0; b < sp->npred; b++) {
            int pj_ = base + sp->pred[b];
            r->succ[r->succ_start[pj_] + fill[pj_]++] = j;
        }
    }
    prog_tramp tr = {prog, "schedule"};
    /* its share of the time, or what the earlier steps left of it when the clock, not their
     * work budget, ended them (a slow machine; at least a sixth of the share): the whole solve
     * stays within time_s */
    double share = p->q.time_s * 0.3, left = p->q.time_s - (pj_algo_now() - p->t0);
    pj_algo_opts o = {.time_limit_s = fmin(share, fmax(left, share / 6)),
                      .seed = p->q.seed,
                      .progress = tramp,
                      .progress_ud = &tr,
                      .cancelled = tramp_cancelled,
                      .cancelled_ud = &tr};
    int st = pj_rcpsp_solve(r, NULL, &o, &p->rs);
    if (st != PJ_RCPSP_OK)
        return pj_fail(err, st == PJ_RCPSP_ETOOBIG ? 422 : 500,
                       st == PJ_RCPSP_ETOOBIG ? "too_big" : "internal", "",
                       "conversion schedule: %s", p->rs.err);
    p->sched_ran = 1;
    for (int i = 0; i < p->ns; i++)
        if (p->st[i].used > 0 && p->st[i].nsteps > 0)
            p->st[i].ready = p->rs.project_finish[r->project[p->st[i].job0]];
    p->t_sched = pj_algo_now() - t0;
    return 0;
}

/* ---- the result ---- */

static void stats_obj(pj_jw *w, const char *key, const pj_algo_stats *s, int ran)
{
    pj_jw_key(w, key);
    if (!ran) {
        pj_jw_null(w);
        return;
    }
    pj_jw_obj(w);
    pj_jw_knum(w, "objective", s->objective);
    pj_jw_knum(w, "lower_bound", s->lower_bound);
    pj_jw_knum(w, "gap", s->gap);
    pj_jw_knum(w, "time_s", s->time_s);
    pj_jw_kbool(w, "optimal", s->optimal);
    pj_jw_kbool(w, "time_limit_hit", s->time_limit_hit);
    pj_jw_kbool(w, "clock_limited", s->clock_limited);
    pj_jw_obj_end(w);
}

static double r1(double x)
{
    return round(x * 1000) / 1000;
}

/* Ready after the scenario's deadline (only with one): the teams were shared too thinly. */
static int site_late(const pstate *p, const psite *st)
{
    return p->q.has_deadline && !st->ready0 && (double)st->ready > p->q.deadline_h * 60 + 1e-9;
}

/* Why the people of customer j (a village's class) are short, as the solver's input makes it
 * clear: the village has no location (no distance to any site), there are candidates that may
 * take them and the maximum flow filled them (full), no candidate may take them but sites in
 * reach that could were left out for lack of teams (`excluded`), both (full, and more in reach
 * left out: more teams would place them), or no site that may take them is within
 * max_distance_km (for the vulnerable: a medical site or one with barrier-free rooms). */
/* Whether a site noted in x could take customer j (the general people or the vulnerable)
 * and is within reach of its village. */
static int noted_in_reach(const pstate *p, const pexcls *x, int j)
{
    const pvill *v = &p->v[p->cu[j].v];
    for (int k = 0; k < x->n; k++) {
        const pexcl *e = &x->v[k];
        if ((p->cu[j].vuln ? e->vok : e->main_ok) &&
            pj_haversine_km(e->lat, e->lon, v->lat, v->lon) * p->q.road <= p->q.max_km)
            return 1;
    }
    return 0;
}

static const char *short_reason(const pstate *p, int j)
{
    if (!p->v[p->cu[j].v].has_loc) return "no_location";
    int full = 0;
    for (int i = 0; i < p->ns && !full; i++)
        if (allowed(p, i, j)) full = 1;
    int left_out = noted_in_reach(p, &p->excl, j);
    if (full) return left_out ? "full_short_of_teams" : "sites_full";
    if (left_out) return "short_of_teams";
    /* none in reach takes them, but one the deadline kept out would: the deadline, not the
     * distance, is what to change (a longer distance brought nothing) */
    return noted_in_reach(p, &p->slow, j) ? "beyond_deadline" : "out_of_reach";
}

static void write_result(pstate *p, pj_jw *w, pj_plan_summary *sum)
{
    int n = p->nc;
    int64_t shortfall = p->demand - p->served;
    double pkm = 0, kmax = 0;
    int nopen = 0, rmax = 0;
    double rsum = 0;
    for (int i = 0; i < p->ns; i++)
        if (p->st[i].used > 0) {
            nopen++;
            pkm += p->st[i].km_sum;
            if (p->st[i].km_max > kmax) kmax = p->st[i].km_max;
            if (p->st[i].ready > rmax) rmax = p->st[i].ready;
            rsum += p->st[i].ready;
        }
    double objective = p->fixed_cost + p->service_cost;
    double lb = p->cflp_ran && p->cr.status == PJ_CFLP_OK ? p->cr.stats.lower_bound : -INFINITY;
    /* a search that found no plan (the max-flow assignment kept) has no bound: its gap is
     * unknown (null), not 1; a plan of no site has nothing to improve (0) */
    double gap = p->cflp_ran && p->cr.status == PJ_CFLP_OK ? p->cr.stats.gap : (nopen ? NAN : 0);
    if (p->cflp_v_ran) {
        /* two stages in turn: each stage's bound takes the earlier stage's sites as fixed, so it
         * bounds nothing about the plan as a whole: no bound and no gap (null, unknown); each
         * stage's gap is in solver.location_vulnerable and solver.location */
        lb = -INFINITY;
        gap = NAN;
    }
    int64_t vdem = 0, vshort = 0;
    for (int k = 0; k < p->nv; k++) vdem += p->v[k].vuln, vshort += p->v[k].short_vuln;
    /* over the stages that ran: one stopped by its limit; the clock rather than a search's own
     * budget ended one (a rerun may differ) */
    const pj_algo_stats *ran[4];
    int nran = 0, tl = 0, clock = 0;
    if (p->cflp_ran) ran[nran++] = &p->cr.stats;
    if (p->cflp_v_ran) ran[nran++] = &p->crv.stats;
    if (p->sup_ran) ran[nran++] = &p->ss.stats;
    if (p->sched_ran) ran[nran++] = &p->rs.stats;
    for (int k = 0; k < nran; k++) tl |= ran[k]->time_limit_hit, clock |= ran[k]->clock_limited;
    pj_jw_obj(w);
    pj_jw_key(w, "summary");
    pj_jw_obj(w);
    pj_jw_kint(w, "villages", p->nv);
    pj_jw_kint(w, "candidates", p->ns);
    pj_jw_kint(w, "sites", nopen);
    pj_jw_kint(w, "demand", p->demand);
    pj_jw_kint(w, "served", p->served);
    pj_jw_kint(w, "shortfall", shortfall);
    pj_jw_knum(w, "objective", r1(objective));
    pj_jw_knum(w, "fixed_cost", r1(p->fixed_cost));
    pj_jw_knum(w, "service_cost", r1(p->service_cost));
    pj_jw_knum(w, "lower_bound", isfinite(lb) ? r1(lb) : NAN);
    pj_jw_knum(w, "gap", gap);
    pj_jw_knum(w, "person_km", r1(pkm));
    pj_jw_knum(w, "mean_km", p->served ? r1(pkm / (double)p->served) : 0);
    pj_jw_knum(w, "max_km", r1(kmax));
    pj_jw_kint(w, "max_ready_minutes", rmax);
    pj_jw_knum(w, "mean_ready_minutes", nopen ? r1(rsum / nopen) : 0);
    /* the deadline keeps out the sites whose manual alone is too slow; sharing the teams can
     * still push a site past it: said per site and counted here */
    int late = 0;
    for (int i = 0; i < p->ns; i++) late += p->st[i].used > 0 && site_late(p, &p->st[i]);
    if (p->q.has_deadline)
        pj_jw_kint(w, "sites_after_deadline", late);
    else
        pj_jw_knull(w, "sites_after_deadline");
    pj_jw_kbool(w, "single_source", p->q.single && !p->single_relaxed);
    pj_jw_kint(w, "vulnerable", vdem);
    pj_jw_kint(w, "vulnerable_served", vdem - vshort);
    pj_jw_kint(w, "vulnerable_shortfall", vshort);
    pj_jw_knum(w, "road_factor", p->q.road);
    pj_jw_knum(w, "max_distance_km", p->q.max_km);
    pj_jw_obj_end(w);

    pj_jw_key(w, "sites");
    pj_jw_arr(w);
    for (int i = 0; i < p->ns; i++) {
        const psite *st = &p->st[i];
        if (st->used <= 0) continue;
        pj_jw_obj(w);
        pj_jw_kint(w, "facility_id", st->fid);
        pj_jw_kstr(w, "name", st->name);
        pj_jw_kstr(w, "type", st->type);
        pj_jw_key(w, "lat");
        pj_jw_fixed(w, st->lat, 6);
        pj_jw_key(w, "lon");
        pj_jw_fixed(w, st->lon, 6);
        pj_jw_kint(w, "manual_id", st->manual_id);
        pj_jw_knum(w, "capacity", st->cap);
        pj_jw_kint(w, "used", st->used);
        pj_jw_kint(w, "vulnerable", st->used_vuln);
        pj_jw_kbool(w, "medical", st->medical);
        pj_jw_kint(w, "barrier_free_rooms", st->bf);
        pj_jw_knum(w, "vulnerable_capacity", st->vcap);
        pj_jw_kbool(w, "ready_at_start", st->ready0);
        pj_jw_kint(w, "already_housing", st->housing);
        pj_jw_knum(w, "mean_km", r1(st->km_sum / (double)st->used));
        pj_jw_knum(w, "max_km", r1(st->km_max));
        pj_jw_knum(w, "critical_path_minutes", st->crit_min);
        pj_jw_knum(w, "fixed_cost", r1(st->fixed));
        pj_jw_kint(w, "ready_minutes", st->ready);
        pj_jw_kbool(w, "after_deadline", site_late(p, st));
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);

    pj_jw_key(w, "assignments");
    pj_jw_arr(w);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < p->ns; i++) {
            double f = p->flow[(size_t)i * (size_t)n + (size_t)j];
            if (f <= 0) continue;
            const pvill *v = &p->v[p->cu[j].v];
            pj_jw_obj(w);
            pj_jw_kint(w, "village_id", v->id);
            pj_jw_kstr(w, "village_name", v->name);
            pj_jw_kint(w, "facility_id", p->st[i].fid);
            pj_jw_kstr(w, "facility_name", p->st[i].name);
            pj_jw_kstr(w, "class", p->cu[j].vuln ? "vulnerable" : "general");
            pj_jw_kint(w, "people", (int64_t)f);
            pj_jw_knum(w, "km", r1(p->km[(size_t)i * (size_t)p->nv + (size_t)p->cu[j].v]));
            pj_jw_obj_end(w);
        }
    pj_jw_arr_end(w);

    pj_jw_key(w, "shortfall");
    pj_jw_obj(w);
    pj_jw_kint(w, "total", shortfall);
    pj_jw_key(w, "villages");
    pj_jw_arr(w);
    for (int k = 0; k < p->nv; k++) {
        const pvill *v = &p->v[k];
        if (!v->short_reg && !v->short_vuln) continue;
        pj_jw_obj(w);
        pj_jw_kint(w, "village_id", v->id);
        pj_jw_kstr(w, "village_name", v->name);
        pj_jw_kint(w, "people", v->short_reg + v->short_vuln);
        pj_jw_kint(w, "vulnerable", v->short_vuln);
        pj_jw_kint(w, "demand", v->demand);
        /* why: of the people short not needing medical care (when none of them is short, of
         * those who need it), and of those needing it on their own */
        const char *why = NULL, *why_vuln = NULL;
        for (int j = 0; j < n; j++) {
            if (p->cu[j].v != k) continue;
            if (p->cu[j].vuln && v->short_vuln) why_vuln = short_reason(p, j);
            if (!p->cu[j].vuln && v->short_reg) why = short_reason(p, j);
        }
        pj_jw_kstr(w, "reason", why ? why : why_vuln ? why_vuln : "sites_full");
        if (why_vuln)
            pj_jw_kstr(w, "vulnerable_reason", why_vuln);
        else
            pj_jw_knull(w, "vulnerable_reason");
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);

    /* the vulnerable per village: where they go, what is unmet */
    pj_jw_key(w, "vulnerable");
    pj_jw_obj(w);
    pj_jw_kstr(w, "source",
               p->q.vmode == VUL_ELDERCARE ? "eldercare"
               : p->q.vmode == VUL_COUNT   ? "count"
                                           : "none");
    pj_jw_kstr(w, "needs", p->q.vneeds);
    pj_jw_kint(w, "total", vdem);
    pj_jw_kint(w, "served", vdem - vshort);
    pj_jw_kint(w, "unmet", vshort);
    pj_jw_key(w, "villages");
    pj_jw_arr(w);
    for (int k = 0; k < p->nv; k++) {
        const pvill *v = &p->v[k];
        if (!v->vuln && !v->vreg) continue;
        pj_jw_obj(w);
        pj_jw_kint(w, "village_id", v->id);
        pj_jw_kstr(w, "village_name", v->name);
        if (p->q.vmode == VUL_ELDERCARE)
            pj_jw_kint(w, "registered", v->vreg);
        else
            pj_jw_knull(w, "registered");
        pj_jw_kint(w, "people", v->vuln);
        pj_jw_kint(w, "served", v->vuln - v->short_vuln);
        pj_jw_kint(w, "unmet", v->short_vuln);
        pj_jw_key(w, "sites");
        pj_jw_arr(w);
        for (int j = 0; j < n; j++) {
            if (p->cu[j].v != k || !p->cu[j].vuln) continue;
            for (int i = 0; i < p->ns; i++) {
                double f = p->flow[(size_t)i * (size_t)n + (size_t)j];
                if (f <= 0) continue;
                pj_jw_obj(w);
                pj_jw_kint(w, "facility_id", p->st[i].fid);
                pj_jw_kstr(w, "facility_name", p->st[i].name);
                pj_jw_kint(w, "people", (int64_t)f);
                pj_jw_obj_end(w);
            }
        }
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);

    pj_jw_key(w, "supplies");
    if (!p->sup_ran) {
        pj_jw_null(w);
    } else {
        const pj_supply_sol *ss = &p->ss;
        pj_jw_obj(w);
        pj_jw_kint(w, "days", p->q.supply_days);
        pj_jw_kint(w, "total_demand", ss->total_demand);
        pj_jw_kint(w, "total_shipped", ss->total_shipped);
        pj_jw_kint(w, "total_unmet", ss->total_unmet);
        pj_jw_knum(w, "unit_km", ss->cost_km);
        /* the stock adopted plans ship already: taken off what this plan may ship */
        int64_t held = 0;
        for (int a = 0; a < p->n_stores; a++)
            for (int k = 0; k < p->n_cats; k++)
                held += p->sup_held[(size_t)a * (size_t)p->n_cats + (size_t)k];
        pj_jw_kint(w, "held_by_adopted", held);
        pj_jw_key(w, "held");
        pj_jw_arr(w);
        for (int a = 0; a < p->n_stores; a++)
            for (int k = 0; k < p->n_cats; k++) {
                int64_t h = p->sup_held[(size_t)a * (size_t)p->n_cats + (size_t)k];
                if (h <= 0) continue;
                pj_jw_obj(w);
                pj_jw_kint(w, "store_id", p->sup_stores[a]);
                pj_jw_kstr(w, "store_name", p->sup_store_names[a]);
                pj_jw_kstr(w, "category", p->cat_code[k]);
                pj_jw_kstr(w, "unit", p->cat_unit[k]);
                pj_jw_kint(w, "quantity", h);
                pj_jw_obj_end(w);
            }
        pj_jw_arr_end(w);
        pj_jw_key(w, "flows");
        pj_jw_arr(w);
        for (int f = 0; f < ss->n_flows; f++) {
            const pj_supply_flow *fl = &ss->flows[f];
            const psite *st = &p->st[p->sup_site[fl->site]];
            pj_jw_obj(w);
            pj_jw_kint(w, "store_id", p->sup_stores[fl->store]);
            pj_jw_kstr(w, "store_name", p->sup_store_names[fl->store]);
            pj_jw_key(w, "store_lat");
            pj_jw_fixed(w, p->sup_store_lat[fl->store], 6);
            pj_jw_key(w, "store_lon");
            pj_jw_fixed(w, p->sup_store_lon[fl->store], 6);
            pj_jw_kint(w, "facility_id", st->fid);
            pj_jw_kstr(w, "facility_name", st->name);
            pj_jw_kstr(w, "category", p->cat_code[fl->cat]);
            pj_jw_kstr(w, "unit", p->cat_unit[fl->cat]);
            pj_jw_kint(w, "quantity", fl->qty);
            pj_jw_knum(w, "km", fl->dist_km);
            pj_jw_obj_end(w);
        }
        pj_jw_arr_end(w);
        pj_jw_key(w, "unmet");
        pj_jw_arr(w);
        for (int t = 0; t < p->n_sup_sites; t++)
            for (int k = 0; k < p->n_cats; k++) {
                int64_t u = ss->unmet[(size_t)t * (size_t)p->n_cats + (size_t)k];
                if (u <= 0) continue;
                pj_jw_obj(w);
                pj_jw_kint(w, "facility_id", p->st[p->sup_site[t]].fid);
                pj_jw_kstr(w, "category", p->cat_code[k]);
                pj_jw_kstr(w, "unit", p->cat_unit[k]);
                pj_jw_kint(w, "quantity", u);
                pj_jw_obj_end(w);
            }
        pj_jw_arr_end(w);
        /* the totals per category, each in its own unit (the totals above add them up) */
        pj_jw_key(w, "categories");
        pj_jw_arr(w);
        for (int k = 0; k < p->n_cats; k++) {
            int64_t shipped = 0, unmet = 0;
            for (int f = 0; f < ss->n_flows; f++)
                if (ss->flows[f].cat == k) shipped += ss->flows[f].qty;
            for (int t = 0; t < p->n_sup_sites; t++)
                unmet += ss->unmet[(size_t)t * (size_t)p->n_cats + (size_t)k];
            if (shipped + unmet <= 0) continue;
            pj_jw_obj(w);
            pj_jw_kstr(w, "category", p->cat_code[k]);
            pj_jw_kstr(w, "unit", p->cat_unit[k]);
            pj_jw_kint(w, "demand", shipped + unmet);
            pj_jw_kint(w, "shipped", shipped);
            pj_jw_kint(w, "unmet", unmet);
            pj_jw_obj_end(w);
        }
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }

    /* candidates in reach (and within the deadline) the teams could not staff: left out */
    pj_jw_key(w, "excluded");
    pj_jw_arr(w);
    for (int k = 0; k < p->excl.n; k++) {
        const pexcl *e = &p->excl.v[k];
        int none = 0; /* the reason: a type of which none is given is no_teams */
        for (int i = 0; i < e->nshort; i++) none |= e->shortage[i].have == 0;
        pj_jw_obj(w);
        pj_jw_kint(w, "facility_id", e->fid);
        pj_jw_kstr(w, "name", e->name);
        pj_jw_kstr(w, "role", e->role);
        pj_jw_kstr(w, "reason", none ? "no_teams" : "too_few_teams");
        pj_jw_key(w, "teams");
        pj_jw_arr(w);
        for (int i = 0; i < e->nshort; i++) {
            pj_jw_obj(w);
            pj_jw_kstr(w, "team_type", e->shortage[i].team);
            pj_jw_kint(w, "needed", e->shortage[i].need);
            pj_jw_kint(w, "given", e->shortage[i].have);
            pj_jw_obj_end(w);
        }
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);

    /* facilities with the role in reach that are no candidates for their state, nearest first */
    pj_jw_key(w, "unavailable");
    pj_jw_arr(w);
    for (int k = 0; k < p->busy.n; k++) {
        const pbusy *b = &p->busy.v[k];
        pj_jw_obj(w);
        pj_jw_kint(w, "facility_id", b->fid);
        pj_jw_kstr(w, "name", b->name);
        pj_jw_kstr(w, "role", b->role);
        pj_jw_kstr(w, "state", b->state);
        pj_jw_knum(w, "km", r1(b->km));
        if (b->conv) {
            pj_jw_kint(w, "conversion_id", b->conv);
            pj_jw_kstr(w, "scenario", b->scenario);
        } else {
            pj_jw_knull(w, "conversion_id");
            pj_jw_knull(w, "scenario");
        }
        if (b->plan)
            pj_jw_kint(w, "plan_id", b->plan);
        else
            pj_jw_knull(w, "plan_id");
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);

    pj_jw_key(w, "schedule");
    pj_jw_obj(w);
    pj_jw_kint(w, "makespan_minutes", p->sched_ran ? p->rs.makespan : 0);
    pj_jw_key(w, "teams");
    pj_jw_obj(w);
    for (int k = 0; k < p->q.nteams; k++) pj_jw_kint(w, p->q.teams[k].code, p->q.teams[k].count);
    pj_jw_obj_end(w);
    /* the types a scheduled step needs: the teams the plan takes as free (teams_busy) */
    pj_jw_key(w, "teams_used");
    pj_jw_arr(w);
    for (int k = 0; p->sched_ran && k < p->q.nteams; k++)
        if (p->q.teams[k].used) pj_jw_str(w, p->q.teams[k].code);
    pj_jw_arr_end(w);
    pj_jw_key(w, "gantt");
    pj_jw_arr(w);
    for (int j = 0; p->sched_ran && j < p->rp.n_jobs; j++) {
        const psite *st = &p->st[p->job_site[j]];
        const pstep *sp = &st->steps[p->job_step[j]];
        pj_jw_obj(w);
        pj_jw_kint(w, "facility_id", st->fid);
        pj_jw_kstr(w, "facility_name", st->name);
        pj_jw_kstr(w, "step_code", sp->code);
        pj_jw_kstr(w, "step_name", sp->name);
        pj_jw_kstr(w, "team_type", sp->team);
        pj_jw_kint(w, "team_count", sp->count);
        pj_jw_key(w, "predecessors");
        pj_jw_arr(w);
        for (int b = 0; b < sp->npred; b++) pj_jw_str(w, st->steps[sp->pred[b]].code);
        pj_jw_arr_end(w);
        pj_jw_kint(w, "start", p->rs.start[j]);
        pj_jw_kint(w, "end", p->rs.start[j] + sp->minutes);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_key(w, "ready");
    pj_jw_arr(w);
    for (int i = 0; i < p->ns; i++) {
        if (p->st[i].used <= 0) continue;
        pj_jw_obj(w);
        pj_jw_kint(w, "facility_id", p->st[i].fid);
        pj_jw_kint(w, "minutes", p->st[i].ready);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    /* capacity (and people) ready over time */
    pj_jw_key(w, "curve");
    pj_jw_arr(w);
    int last = -1;
    for (;;) {
        int t = -1;
        for (int i = 0; i < p->ns; i++)
            if (p->st[i].used > 0 && p->st[i].ready > last && (t < 0 || p->st[i].ready < t))
                t = p->st[i].ready;
        if (t < 0) break;
        double capv = 0;
        int64_t people = 0;
        for (int i = 0; i < p->ns; i++)
            if (p->st[i].used > 0 && p->st[i].ready <= t) {
                capv += p->st[i].cap;
                people += p->st[i].used;
            }
        pj_jw_obj(w);
        pj_jw_kint(w, "minutes", t);
        pj_jw_knum(w, "capacity", capv);
        pj_jw_kint(w, "people", people);
        pj_jw_obj_end(w);
        last = t;
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);

    pj_jw_key(w, "solver");
    pj_jw_obj(w);
    pj_jw_key(w, "time_s");
    pj_jw_obj(w);
    pj_jw_knum(w, "load", p->t_load);
    pj_jw_knum(w, "location", p->t_loc);
    pj_jw_knum(w, "supply", p->t_sup);
    pj_jw_knum(w, "schedule", p->t_sched);
    pj_jw_knum(w, "total", p->t_load + p->t_loc + p->t_sup + p->t_sched);
    pj_jw_obj_end(w);
    stats_obj(w, "location", &p->cr.stats, p->cflp_ran);
    stats_obj(w, "location_vulnerable", &p->crv.stats, p->cflp_v_ran);
    stats_obj(w, "supply", &p->ss.stats, p->sup_ran);
    stats_obj(w, "schedule", &p->rs.stats, p->sched_ran);
    pj_jw_key(w, "flags");
    pj_jw_obj(w);
    pj_jw_kbool(w, "time_limit_hit", tl);
    pj_jw_kbool(w, "clock_limited", clock);
    pj_jw_kbool(w, "single_source_relaxed", p->single_relaxed);
    pj_jw_kbool(w, "location_fallback", p->fallback);
    pj_jw_kbool(w, "vulnerable_first", p->cflp_v_ran);
    pj_jw_kbool(w, "shortfall", shortfall > 0);
    pj_jw_obj_end(w);
    pj_jw_obj_end(w);
    pj_jw_obj_end(w);
    sum->objective = objective;
    sum->gap = gap;
    sum->demand = p->demand;
    sum->served = p->served;
    sum->shortfall = shortfall;
}

static void state_free(pstate *p)
{
    pj_cflp_result_free(&p->cr);
    pj_cflp_result_free(&p->crv);
    pj_supply_sol_free(&p->ss);
    pj_rcpsp_sol_free(&p->rs);
    free(p->km);
}

static int no_candidates(const preq *q, const pcount *k, pj_err *err)
{
    if (!k->with_role)
        return pj_fail(err, 422, "no_candidates", "role", "no facility has the %s role", q->role);
    if (!k->peacetime && k->excluded && k->excluded == k->with_role)
        return pj_fail(err, 422, "no_candidates", "exclude_facility_ids",
                       "every facility with the %s role is excluded", q->role);
    if (!k->peacetime)
        return pj_fail(err, 422, "no_candidates", "role",
                       "no facility with the %s role is in peacetime%s", q->role,
                       k->excluded ? " (or not excluded)" : "");
    if (!k->with_manual)
        return pj_fail(err, 422, "no_candidates", "scenario",
                       "no peacetime facility with the %s role has a manual for %s", q->role,
                       q->scenario);
    if (!k->with_room)
        return pj_fail(err, 422, "no_candidates", "role",
                       "every peacetime facility with the %s role and a manual for %s is full or"
                       " has no %s capacity",
                       q->role, q->scenario, q->role);
    if (!k->with_steps)
        return pj_fail(err, 422, "no_candidates", "scenario",
                       "no %s manual for %s of a facility with room has conversion steps to"
                       " schedule (none, or steps whose predecessors form a loop)",
                       q->role, q->scenario);
    if (!k->in_deadline) {
        if (!k->fast_site)
            return pj_fail(
                err, 422, "no_candidates", "deadline_hours",
                "no candidate converts within %.15g hours (by its manual's critical path)",
                q->deadline_h);
        /* the shortest deadline the quickest candidate meets, in tenths of an hour up */
        double h = ceil(k->fast_min / 6.0 - 1e-9) / 10.0;
        return pj_fail(err, 422, "no_candidates", "deadline_hours",
                       "no candidate converts within %.15g hours (by its manual's critical path); "
                       "the quickest%s, %s (facility %lld), needs %.15g hours",
                       q->deadline_h, k->fast_ok ? "" : " (out of reach or short of teams)",
                       k->fast_site, (long long)k->fast_fid, h);
    }
    if (!k->in_reach)
        return pj_fail(err, 422, "no_candidates", "max_distance_km",
                       "no candidate lies within %.15g road km of the affected villages",
                       q->max_km);
    if (!k->with_teams && k->site) {
        /* the first type the closest candidate lacks names the field; a type of which none is
         * given is no_teams */
        int first = 0;
        for (int i = 0; i < k->nshort; i++)
            if (k->shortage[i].have == 0) {
                first = i;
                break;
            }
        char field[64], list[320];
        snprintf(field, sizeof field, "teams.%.48s", k->shortage[first].team);
        size_t len = 0;
        list[0] = 0;
        for (int i = 0; i < k->nshort && len < sizeof list; i++) {
            int w = snprintf(list + len, sizeof list - len, "%s%d %s teams, %d %s available",
                             i ? "; " : "", k->shortage[i].need, k->shortage[i].team,
                             k->shortage[i].have, k->shortage[i].have == 1 ? "is" : "are");
            if (w < 0) break;
            len += (size_t)w;
        }
        return pj_fail(err, 422, k->shortage[first].have == 0 ? "no_teams" : "too_few_teams", field,
                       "no candidate can be converted with the teams given; %s (facility "
                       "%lld) needs %s",
                       k->site, (long long)k->fid, list);
    }
    return pj_fail(err, 500, "internal", "", "no candidates");
}

static int plan_run(pj_ctx *c, json_t *body, const pj_plan_progress *prog, int check_only,
                    char **result, pj_plan_summary *sum, pj_err *err)
{
    pstate P;
    memset(&P, 0, sizeof P);
    P.c = c;
    memset(sum, 0, sizeof *sum);
    *result = NULL;
    int rc = -1;
    double t0 = pj_algo_now();
    P.t0 = t0;
    report(prog, "load", 0);
    int rd = pj_db_read_begin(c->db);
    if (read_request(c, body, &P.q, err) || load_villages(c, &P.q, &P.v, &P.nv, err) ||
        set_demand(c, &P.q, P.v, P.nv, &P.demand, err) || check_locations(P.v, P.nv, err))
        goto out;
    pcount cnt;
    memset(&cnt, 0, sizeof cnt);
    cnt.excl = &P.excl, cnt.excl_role = P.q.role, cnt.arena = c->arena, cnt.slow = &P.slow;
    cnt.busy = &P.busy;
    int cap = 0;
    if (load_sites(c, &P.q, P.q.role, 0, P.v, P.nv, &P.st, &P.ns, &cap, &cnt, err)) goto out;
    if (P.ns == 0) {
        no_candidates(&P.q, &cnt, err);
        goto out;
    }
    int64_t vdemand = 0;
    for (int j = 0; j < P.nv; j++) vdemand += P.v[j].vuln;
    if (vdemand > 0 && strcmp(P.q.role, "medical")) {
        pcount cm;
        memset(&cm, 0, sizeof cm);
        cm.excl = &P.excl, cm.excl_role = "medical", cm.arena = c->arena, cm.slow = &P.slow;
        cm.busy = &P.busy;
        if (load_sites(c, &P.q, "medical", 1, P.v, P.nv, &P.st, &P.ns, &cap, &cm, err)) goto out;
    }
    if (busy_conversions(c, &P.busy, err)) goto out;
    pj_db_read_end(c->db, rd);
    rd = 0;
    if (check_only) {
        sum->name = P.q.name;
        sum->scenario = P.q.scenario;
        sum->role = P.q.role;
        rc = 0;
        goto out;
    }
    if (stopped(prog, err)) goto out;
    /* road distances and the customers: one per village and class with demand */
    P.km = malloc(sizeof(double) * (size_t)P.ns * (size_t)P.nv);
    if (!P.km) {
        pj_fail(err, 500, "internal", "", "out of memory");
        goto out;
    }
    for (int i = 0; i < P.ns; i++)
        for (int j = 0; j < P.nv; j++)
            P.km[(size_t)i * (size_t)P.nv + (size_t)j] =
                P.v[j].has_loc
                    ? pj_haversine_km(P.st[i].lat, P.st[i].lon, P.v[j].lat, P.v[j].lon) * P.q.road
                    : INFINITY;
    P.cu = pj_arena_alloc(c->arena, sizeof *P.cu * (size_t)(2 * P.nv));
    for (int j = 0; j < P.nv; j++) {
        if (P.v[j].demand - P.v[j].vuln > 0)
            P.cu[P.nc++] = (pcust){.v = j, .vuln = 0, .d = P.v[j].demand - P.v[j].vuln};
        if (P.v[j].vuln > 0) P.cu[P.nc++] = (pcust){.v = j, .vuln = 1, .d = P.v[j].vuln};
    }
    P.t_load = pj_algo_now() - t0;
    report(prog, "location", 0);
    if (locate(&P, prog, err) || stopped(prog, err)) goto out;
    if (P.q.supply_days > 0) {
        report(prog, "supply", 0);
        if (supply(&P, prog, err) || stopped(prog, err)) goto out;
    }
    report(prog, "schedule", 0);
    if (schedule(&P, prog, err) || stopped(prog, err)) goto out;
    pj_buf b;
    pj_buf_init(&b, RESULT_MAX);
    pj_jw w;
    pj_jw_init(&w, &b);
    write_result(&P, &w, sum);
    if (b.overflow) {
        pj_buf_free(&b);
        pj_fail(err, 413, "too_large", "", "the plan is larger than %zu bytes", RESULT_MAX);
        goto out;
    }
    *result = pj_arena_strndup(c->arena, b.data, b.len);
    pj_buf_free(&b);
    sum->name = P.q.name;
    sum->scenario = P.q.scenario;
    sum->role = P.q.role;
    report(prog, "done", 1);
    rc = 0;
out:
    if (rd) pj_db_read_end(c->db, rd);
    state_free(&P);
    return rc;
}

int pj_plan_solve(pj_ctx *c, json_t *body, const pj_plan_progress *prog, char **result,
                  pj_plan_summary *sum, pj_err *err)
{
    return plan_run(c, body, prog, 0, result, sum, err);
}

int pj_plan_check(pj_ctx *c, json_t *body, pj_plan_summary *sum, pj_err *err)
{
    char *result;
    return plan_run(c, body, NULL, 1, &result, sum, err);
}
