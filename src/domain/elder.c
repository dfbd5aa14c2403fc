/* Eldercare: shared helpers (scope, settings, dates, ID numbers, masking) and the elders'
 * registry. */
#include "domain/elder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/registry.h"
#include "domain/render.h"

#include "core/banned.h"

const char *const pj_elder_skills[] = {"meals",         "cleaning", "escort",
                                       "companionship", "nursing",  NULL};

int pj_elder_skill_bit(const char *name, size_t n)
{
    for (int k = 0; pj_elder_skills[k]; k++)
        if (strlen(pj_elder_skills[k]) == n && !strncmp(name, pj_elder_skills[k], n)) return k;
    return -1;
}

const char *const pj_visit_tiers[] = {"high_risk", "key", "normal", NULL};
const char *const pj_meal_providers[] = {"none", "family", "helper", "canteen", NULL};
const char *const pj_service_kinds[] = {
    "meal", "doctor_visit", "companionship", "cleaning", "escort", "nursing", NULL};
const char *const pj_alert_kinds[] = {"missed_meal",          "overdue_visit",      "no_doctor",
                                      "helper_over_capacity", "helper_id_departed", NULL};
const char *const pj_elder_statuses[] = {"active", "moved", "deceased", NULL};
/* proposed (open), unmatched (no helper found), then accepted, rejected or stale (the elder or
 * the helper was taken meanwhile) */
const char *const pj_proposal_states[] = {"proposed", "unmatched", "accepted",
                                          "rejected", "stale",     NULL};
const char *const pj_pair_states[] = {"active", "ended", NULL};
const char *const pj_list_orders[] = {"oldest", "newest", NULL};
const char *const pj_alert_states[] = {"open", "acked", "resolved", "closed", NULL};
const char *const pj_alert_levels[] = {"grid", "township", NULL};
const char *const pj_coverage_groups[] = {"grid", "village", "township", NULL};
const char *const pj_elder_sexes[] = {"F", "M", NULL};
static const char *const sex_prefs[] = {"any", "F", "M", NULL};

/* ---- GB 11643 ---- */

char pj_id_check_char(const char *p)
{
    static const int wt[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        sum += (p[i] - '0') * wt[i];
    }
    return map[sum % 11];
}

const char *pj_id_number_norm(pj_arena *a, const char *s)
{
    if (!s || strlen(s) != 18 || s[17] != 'x') return s;
    char *u = pj_arena_strdup(a, s);
    u[17] = 'X';
    return u;
}

int pj_id_number_valid(const char *s)
{
    if (!s || strlen(s) != 18) return 0;
    char c = pj_id_check_char(s);
    if (!c || c != s[17]) return 0;
    char d[11] = {s[6], s[7], s[8], s[9], '-', s[10], s[11], '-', s[12], s[13], 0};
    return pj_el_day(d) >= -25567; /* a real date, 1900 or later */
}

const char *pj_visit_tier_suggest(int living_alone, int empty_nest, int disabled, int ability)
{
    if (ability >= 3 || (living_alone && (disabled || ability >= 2))) return "high_risk";
    if (living_alone || empty_nest || disabled || ability >= 1) return "key";
    return "normal";
}

/* ---- dates ---- */

int64_t pj_el_day(const char *date)
{
    int64_t t;
    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-') return INT64_MIN;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9')) return INT64_MIN;
    if (pj_time_parse(date, &t)) return INT64_MIN;
    return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}

int64_t pj_el_today(pj_ctx *c, int64_t now)
{
    /* read once per database generation: lists render many elders. Per thread: reports run
     * on worker threads with connections of their own (src/http/report.c), whose generation
     * moves with every commit made since their last job */
    static _Thread_local pj_db *db;
    static _Thread_local uint64_t gen;
    static _Thread_local int64_t tz;
    uint64_t g = pj_db_generation(c->db, 0);
    if (db != c->db || g != gen) {
        tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
        db = c->db, gen = g;
    }
    int64_t t = now + tz;
    return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}

void pj_el_date(int64_t day, char out[11])
{
    char iso[21];
    pj_time_iso(day * 86400, iso);
    memcpy(out, iso, 10);
    out[10] = 0;
}

int pj_el_age(const char *birth, int64_t today)
{
    char t[11];
    pj_el_date(today, t);
    int by =
        (birth[0] - '0') * 1000 + (birth[1] - '0') * 100 + (birth[2] - '0') * 10 + (birth[3] - '0');
    int ty = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int age = ty - by;
    if (memcmp(t + 5, birth + 5, 5) < 0) age--; /* "MM-DD" compares as text */
    return age;
}

int pj_el_in_date(json_t *o, const char *key, int required, int past_only, int64_t today,
                  const char **out, pj_err *err)
{
    const char *s;
    int rc = pj_in_str(o, key, required, 1, 64, &s, err);
    if (rc <= 0) return rc;
    /* a text of another length (a date-time) is not a date, as in every module (api.md) */
    if (strlen(s) != 10)
        return pj_fail(err, 422, "out_of_range", key, "%s must be a date YYYY-MM-DD", key);
    int64_t d = pj_el_day(s);
    if (d == INT64_MIN)
        return pj_fail(err, 422, "invalid_value", key, "%s must be a date YYYY-MM-DD", key);
    if (past_only && d > today)
        return pj_fail(err, 422, "out_of_range", key, "%s is in the future", key);
    *out = s;
    return 1;
}

/* ---- settings, small SQL helpers ---- */

double pj_el_setting(pj_ctx *c, const char *key, double def)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT value FROM settings WHERE key = ?", NULL);
    if (!s) return def;
    pj_stmt_text(s, 1, key);
    double v = def;
    if (pj_stmt_step(s, NULL) == 1) pj_parse_double(pj_col_text(s, 0), &v);
    pj_stmt_done(s);
    return v;
}

int pj_el_visit_days(pj_ctx *c, const char *tier)
{
    /* read once per database generation: lists render many elders (per thread, as
     * pj_el_today's) */
    static _Thread_local pj_db *db;
    static _Thread_local uint64_t gen;
    static _Thread_local int days[3];
    uint64_t g = pj_db_generation(c->db, 0);
    if (db != c->db || g != gen) {
        days[0] = (int)pj_el_setting(c, "elder_visit_days_high_risk", 7);
        days[1] = (int)pj_el_setting(c, "elder_visit_days_key", 30);
        days[2] = (int)pj_el_setting(c, "elder_visit_days_normal", 90);
        for (int i = 0; i < 3; i++)
            if (days[i] < 1) days[i] = 1;
        db = c->db, gen = g;
    }
    if (!strcmp(tier, "high_risk")) return days[0];
    if (!strcmp(tier, "key")) return days[1];
    return days[2];
}

int pj_el_int(pj_ctx *c, const char *sql, int64_t id, int64_t def, int64_t *out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    *out = rc == 1 && !pj_col_is_null(s, 0) ? pj_col_int(s, 0) : def;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* ---- places and scope ---- */

int pj_el_grid_place(pj_ctx *c, int64_t grid_id, const char *field, pj_el_place *p, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT g.lat, g.lon, v.id, v.parent_id FROM regions g"
                               " JOIN regions v ON v.id = g.parent_id"
                               " WHERE g.id = ? AND g.type = 'grid'",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, grid_id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        p->grid_id = grid_id;
        p->lat = pj_col_is_null(s, 0) ? NAN : pj_col_double(s, 0);
        p->lon = pj_col_is_null(s, 1) ? NAN : pj_col_double(s, 1);
        p->village_id = pj_col_int(s, 2);
        p->township_id = pj_col_int(s, 3);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_fail(err, 422, "unknown_id", field, "no grid %lld", (long long)grid_id);
    return 0;
}

int pj_el_locate(pj_ctx *c, int64_t grid, double lat, double lon, pj_el_place *place,
                 double *at_lat, double *at_lon, pj_err *err)
{
    if (isnan(lat) != isnan(lon))
        return pj_fail(err, 422, "missing_field", isnan(lat) ? "lat" : "lon",
                       "give both lat and lon, or neither");
    if (grid && grid != place->grid_id) {
        if (pj_el_grid_place(c, grid, "grid_id", place, err)) return -1;
        if (isnan(lat)) lat = place->lat, lon = place->lon;
    }
    if (!isnan(lat)) *at_lat = lat, *at_lon = lon;
    if (isnan(*at_lat) || isnan(*at_lon))
        return pj_fail(err, 422, "missing_field", "lat", "the grid has no location; give lat/lon");
    return 0;
}

/* A region a scoped caller names must overlap their scope: a township officer's township or
 * a part of it, a grid worker's grids or a village or township holding one. Otherwise the
 * answer would be their scope filtered by a region outside it (no rows, zero figures), read
 * as "nothing there". District roles and viewers (who see the district's aggregates) pass. */
static int region_in_scope(pj_ctx *c, int64_t region_id, int64_t township, const char *field,
                           pj_err *err)
{
    if (pj_ctx_district(c) || c->actor.role == PJ_ROLE_VIEWER) return 0;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER) {
        if (township == c->actor.township_id) return 0;
        return pj_fail(err, 403, "forbidden", field, "region %lld is outside your township",
                       (long long)region_id);
    }
    if (c->actor.role != PJ_ROLE_GRID_WORKER) return 0; /* refused by the role checks */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT 1 FROM grid_workers w JOIN regions g ON g.id = w.region_id"
                               " LEFT JOIN regions v ON v.id = g.parent_id WHERE w.user_id = ?"
                               " AND (g.id = ? OR v.id = ? OR v.parent_id = ?) LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, c->actor.user_id);
    for (int k = 2; k <= 4; k++) pj_stmt_int(s, k, region_id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 1) return 0;
    return pj_fail(err, 403, "forbidden", field, "region %lld holds none of your grids",
                   (long long)region_id);
}

int pj_el_region_check(pj_ctx *c, int64_t *region_ptr, const char *field, int64_t *township,
                       pj_err *err)
{
    int64_t region_id = *region_ptr;
    *township = 0;
    if (!region_id) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT r.type, r.parent_id, p.parent_id, q.parent_id"
                               " FROM regions r LEFT JOIN regions p ON p.id = r.parent_id"
                               " LEFT JOIN regions q ON q.id = p.parent_id WHERE r.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, region_id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        const char *t = pj_col_text(s, 0);
        if (!strcmp(t, "township"))
            *township = region_id;
        else if (!strcmp(t, "village") || !strcmp(t, "community"))
            *township = pj_col_int(s, 1);
        else if (!strcmp(t, "grid"))
            *township = pj_col_int(s, 2);
    }
    int district = rc == 1 && !*township;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", field, "no region %lld", (long long)region_id);
    if (district) {
        *region_ptr = 0; /* the caller's own scope */
        return 0;
    }
    return region_in_scope(c, region_id, *township, field, err);
}

/* The grid and township of elder or helper id: 1, 0 when there is none, -1 on error. Elders and
 * helpers both carry grid_id and township_id. */
static int scope_row(pj_ctx *c, const char *what, int64_t id, int64_t *grid, int64_t *town,
                     pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               !strcmp(what, "elder")
                                   ? "SELECT grid_id, township_id FROM elders WHERE id = ?"
                                   : "SELECT grid_id, township_id FROM helpers WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) *grid = pj_col_int(s, 0), *town = pj_col_int(s, 1);
    pj_stmt_done(s);
    return rc;
}

int pj_el_filter_check(pj_ctx *c, const char *what, int64_t id, const char *field, pj_err *err)
{
    if (!id) return 0;
    int64_t grid = 0, town = 0;
    int rc = scope_row(c, what, id, &grid, &town, err);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", field, "%s %lld: no such %s", field, (long long)id,
                       what);
    int in = pj_el_in_scope(c, grid, town, err);
    if (in < 0) return -1;
    if (in) return 0;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER)
        return pj_fail(err, 403, "forbidden", field, "%s %lld: that %s is outside your township",
                       field, (long long)id, what);
    return pj_fail(err, 403, "forbidden", field, "%s %lld: that %s is in none of your grids", field,
                   (long long)id, what);
}

int pj_el_require_personal(pj_ctx *c, pj_err *err)
{
    return pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                          PJ_ROLE_GRID_WORKER, PJ_ROLE_NONE);
}

int pj_el_reveal_check(pj_ctx *c, pj_err *err)
{
    return pj_el_require_personal(c, err);
}

int pj_el_in_scope(pj_ctx *c, int64_t grid_id, int64_t township_id, pj_err *err)
{
    if (pj_ctx_district(c)) return 1;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER)
        return township_id && township_id == c->actor.township_id;
    if (c->actor.role != PJ_ROLE_GRID_WORKER) return 0;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT 1 FROM grid_workers WHERE region_id = ? AND user_id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, grid_id);
    pj_stmt_int(s, 2, c->actor.user_id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc;
}

int pj_el_scope_check(pj_ctx *c, int64_t grid_id, int64_t township_id, pj_err *err)
{
    if (pj_el_require_personal(c, err)) return -1;
    int in = pj_el_in_scope(c, grid_id, township_id, err);
    if (in < 0) return -1;
    if (!in) return pj_fail(err, 403, "forbidden", "", "outside your scope");
    return 0;
}

int pj_el_officer_check(pj_ctx *c, int64_t township_id, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE))
        return -1;
    if (pj_ctx_district(c) || (township_id && township_id == c->actor.township_id)) return 0;
    return pj_fail(err, 403, "forbidden", "", "outside your township");
}

const char *pj_el_scope_sql(pj_ctx *c, const char *alias)
{
    if (pj_ctx_district(c)) return "";
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER)
        return pj_arena_printf(c->arena, " AND %s.township_id = ?", alias);
    if (c->actor.role == PJ_ROLE_GRID_WORKER)
        return pj_arena_printf(
            c->arena, " AND %s.grid_id IN (SELECT region_id FROM grid_workers WHERE user_id = ?)",
            alias);
    return " AND 0 = ?"; /* other roles see nothing */
}

void pj_el_scope_bind(pj_ctx *c, pj_stmt *s, int *idx)
{
    if (pj_ctx_district(c)) return;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER)
        pj_stmt_int(s, (*idx)++, c->actor.township_id);
    else if (c->actor.role == PJ_ROLE_GRID_WORKER)
        pj_stmt_int(s, (*idx)++, c->actor.user_id);
    else
        pj_stmt_int(s, (*idx)++, 1);
}

const char *pj_el_region_sql(pj_ctx *c, int64_t region_id, const char *alias)
{
    if (!region_id) return "";
    return pj_arena_printf(c->arena,
                           " AND (%s.grid_id = ? OR %s.village_id = ? OR %s.township_id = ?)",
                           alias, alias, alias);
}

void pj_el_region_bind(pj_stmt *s, int64_t region_id, int *idx)
{
    if (!region_id) return;
    for (int k = 0; k < 3; k++) pj_stmt_int(s, (*idx)++, region_id);
}

/* ---- personal numbers ---- */

const char *pj_el_mask_id(pj_ctx *c, const char *s, int reveal)
{
    return reveal || !s ? s : pj_mask_id(c->arena, s);
}

const char *pj_el_mask_phone(pj_ctx *c, const char *s, int reveal)
{
    return reveal || !s || !*s ? s : pj_mask(c->arena, s, 3);
}

int pj_el_audit_reveal(pj_ctx *c, const char *entity, int64_t id, pj_err *err)
{
    if (c->unsent) return 0; /* a HEAD: nothing is shown, so nothing was read unmasked */
    if (c->reveals) return pj_reveals_add(c->reveals, entity, id, err); /* audited by the caller */
    int own = !pj_db_in_tx(c->db);
    if (own && pj_db_begin(c->db, err)) return -1;
    if (pj_audit_add(c, "read_unmasked", entity, id, NULL, NULL, err)) {
        if (own) pj_db_rollback(c->db);
        return -1;
    }
    if (own && pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

int pj_el_id_clash_guard(pj_ctx *c, pj_err *err)
{
    if (!c->actor.user_id) return 0;
    int64_t now = pj_now();
    int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
    int64_t day_start = pj_el_today(c, now) * 86400 - tz;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT COUNT(*) FROM audit WHERE user_id = ? AND action ="
                               " 'id_clash' AND at >= ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, c->actor.user_id);
    pj_stmt_int(s, 2, day_start);
    int rc = pj_stmt_step(s, err);
    int64_t n = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (n < PJ_EL_ID_CLASHES_PER_DAY) return 0;
    pj_fail(err, 429, "too_many_requests", "id_number",
            "%d ID numbers you entered today are registered already: registrations"
            " and ID number changes are open to you again tomorrow (Beijing time)",
            PJ_EL_ID_CLASHES_PER_DAY);
    if (err) { /* until the next Beijing midnight */
        int64_t wait = day_start + 86400 - now;
        err->retry_after = (int)(wait < 1 ? 1 : wait);
    }
    return -1;
}

int pj_el_id_clash_audit(pj_ctx *c, const char *entity, int64_t holder, int64_t from_id,
                         pj_err *err)
{
    char after[48];
    if (from_id)
        snprintf(after, sizeof after, "{\"tried_from\":%lld}", (long long)from_id);
    else
        snprintf(after, sizeof after, "{\"tried_from\":null}");
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_audit_add(c, "id_clash", entity, holder, NULL, after, err) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

int pj_el_id_clash(pj_ctx *c, const char *what, int64_t from_id, const char *id_number, pj_err *err)
{
    int elder = !strcmp(what, "elder");
    pj_err e2;
    pj_err_clear(&e2);
    pj_stmt *s = pj_db_prepare(c->db,
                               elder ? "SELECT id FROM elders WHERE id_number = ?"
                                     : "SELECT id FROM helpers WHERE id_number = ?",
                               &e2);
    if (s) {
        pj_stmt_text(s, 1, id_number);
        int rc = pj_stmt_step(s, &e2);
        int64_t holder = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (holder) pj_el_id_clash_audit(c, what, holder, from_id, &e2);
    }
    if (e2.status) { /* the audit row could not be written: that error, not the clash */
        *err = e2;
        return -1;
    }
    /* the same words whoever holds the number (docs §1): no record's status or township.
     * What the caller can do is said: a person who moved from another township is on the
     * register already, and a district officer moves the record (the record's grid) */
    return pj_fail(err, 409, "conflict", "id_number",
                   "%s with this ID number exists: one person is registered once. A person who"
                   " moved here from another township keeps their record; a district officer"
                   " moves it to the new grid",
                   elder ? "an elder" : "a helper");
}

/* ---- shared input pieces ---- */

int pj_el_in_skills(json_t *o, const char *key, int required, int *mask, pj_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required) return pj_fail(err, 422, "missing_field", key, "%s is required", key);
        return 0;
    }
    if (pj_in_list(v, key, 8, "skills", err)) return -1;
    int m = 0;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        const char *name = json_string_value(x);
        int bit = name ? pj_elder_skill_bit(name, strlen(name)) : -1;
        if (bit < 0)
            return pj_fail(err, 422, "invalid_value", key,
                           "%s items are meals, cleaning, escort, companionship or nursing", key);
        m |= 1 << bit;
    }
    *mask = m;
    return 1;
}

void pj_el_skills_write(pj_jw *w, const char *key, int mask)
{
    pj_jw_key(w, key);
    pj_jw_arr(w);
    for (int k = 0; pj_elder_skills[k]; k++)
        if (mask & (1 << k)) pj_jw_str(w, pj_elder_skills[k]);
    pj_jw_arr_end(w);
}

static int phone_valid(const char *p)
{
    size_t n = strlen(p);
    if (n < 5 || n > 20) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (i == 0 && p[i] == '+') || (i > 0 && p[i] == '-')))
            return 0;
    return 1;
}

/* Why phone p (new: not the number the record has, `was`) cannot be called back, or NULL: the
 * characters of phone_valid, and a new number the digits of a number someone calls (7–15, a
 * mobile 11: pj_phone_problem) — "12345" was saved and could not be called. A number the
 * record holds already, sent back as it is, is kept. */
static const char *phone_problem(const char *p, const char *was)
{
    if (!*p || (was && !strcmp(p, was))) return NULL;
    if (!phone_valid(p)) return "must be digits, a '+' first or '-' between them";
    return pj_phone_problem(p);
}

static int in_phone(json_t *o, const char *key, const char **out, pj_err *err)
{
    const char *p;
    int rc = pj_in_str(o, key, 0, 0, 20, &p, err);
    if (rc <= 0) return rc;
    const char *bad = phone_problem(p, *out);
    if (bad) return pj_fail(err, 422, "invalid_value", key, "%s: %s", key, bad);
    *out = p;
    return 1;
}

int pj_el_in_person(pj_ctx *c, json_t *b, int required, pj_el_person *p, int min_age, pj_err *err)
{
    int64_t today = pj_el_today(c, pj_now());
    if (pj_in_text(b, "name", required, 1, 32, &p->name, err) < 0 ||
        pj_in_enum(b, "sex", required, pj_elder_sexes, &p->sex, err) < 0 ||
        pj_el_in_date(b, "birth_date", required, 1, today, &p->birth_date, err) < 0 ||
        pj_in_str(b, "id_number", required, 18, 18, &p->id_number, err) < 0 ||
        in_phone(b, "phone", &p->phone, err) < 0)
        return -1;
    p->id_number = pj_id_number_norm(c->arena, p->id_number);
    if (!pj_id_number_valid(p->id_number))
        return pj_fail(err, 422, "invalid_id_number", "id_number",
                       "not a valid citizen ID number (GB 11643: 17 digits and a check character)");
    char emb[11] = {p->id_number[6],
                    p->id_number[7],
                    p->id_number[8],
                    p->id_number[9],
                    '-',
                    p->id_number[10],
                    p->id_number[11],
                    '-',
                    p->id_number[12],
                    p->id_number[13],
                    0};
    if (strcmp(emb, p->birth_date))
        return pj_fail(err, 422, "invalid_id_number", "id_number",
                       "the ID number's birth date %s differs from birth_date %s", emb,
                       p->birth_date);
    int male = (p->id_number[16] - '0') % 2 == 1;
    if (male != (p->sex[0] == 'M'))
        return pj_fail(err, 422, "invalid_id_number", "id_number",
                       "the ID number's sex digit does not match sex %s", p->sex);
    if (min_age && pj_el_age(p->birth_date, today) < min_age)
        return pj_fail(err, 422, "out_of_range", "birth_date", "must be at least %d years old",
                       min_age);
    return 0;
}

/* Array of short strings (chronic conditions) → compact JSON text in the arena. */
static int in_str_array(pj_ctx *c, json_t *o, const char *key, size_t max_items, const char **out,
                        pj_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!v) return 0;
    if (json_is_null(v)) {
        *out = "[]";
        return 1;
    }
    if (pj_in_list(v, key, max_items, "texts", err)) return -1;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x) || json_string_length(x) == 0 ||
            pj_utf8_len(json_string_value(x), json_string_length(x)) > 32)
            return pj_fail(err, 422, "invalid_value", key, "%s items are 1–32 characters", key);
        if (pj_text_check(key, json_string_value(x), json_string_length(x), err)) return -1;
    }
    char *t = json_dumps(v, JSON_COMPACT);
    if (!t) return pj_fail(err, 500, "internal", key, "out of memory");
    *out = pj_arena_strdup(c->arena, t);
    free(t);
    return 1;
}

/* meal_weekdays: distinct weekdays 1 (Monday) … 7 (Sunday) → a bit mask (bit 0 Monday);
 * 1 when given, 0 when absent. */
static int in_weekdays(json_t *o, int64_t *out, pj_err *err)
{
    json_t *v = json_object_get(o, "meal_weekdays");
    if (!v) return 0;
    if (pj_in_list(v, "meal_weekdays", 7, "weekdays 1 (Monday) to 7 (Sunday)", err)) return -1;
    int64_t m = 0;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 7)
            return pj_fail(err, 422, "invalid_value", "meal_weekdays",
                           "meal_weekdays must be weekdays 1 (Monday) to 7 (Sunday)");
        int64_t bit = 1LL << (json_integer_value(x) - 1);
        if (m & bit)
            return pj_fail(err, 422, "invalid_value", "meal_weekdays",
                           "meal_weekdays names day %lld twice", (long long)json_integer_value(x));
        m |= bit;
    }
    *out = m;
    return 1;
}

/* p when one of the contacts `was` (the record's, or NULL) has that phone, else NULL. */
static const char *contact_phone_kept(json_t *was, const char *p)
{
    size_t i;
    json_t *x;
    json_array_foreach(was, i, x)
    {
        const char *q = json_string_value(json_object_get(x, "phone"));
        if (q && !strcmp(q, p)) return p;
    }
    return NULL;
}

/* Emergency contacts: [{name, relation, phone}] → JSON text. */
static int in_contacts(pj_ctx *c, json_t *o, const char **out, pj_err *err)
{
    static const char *const keys[] = {"name", "relation", "phone", NULL};
    json_t *v = json_object_get(o, "emergency_contacts");
    if (!v) return 0;
    if (json_is_null(v)) {
        *out = "[]";
        return 1;
    }
    if (pj_in_list(v, "emergency_contacts", 5, "contacts", err)) return -1;
    /* the contacts the record has (`*out` on an update): their numbers sent back are kept */
    json_t *was = *out ? json_loads(*out, 0, NULL) : NULL;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        const char *n, *r, *p = "", *bad = NULL;
        err->message[0] = 0;
        if (!json_is_object(x) || pj_in_only(x, keys, err) ||
            pj_in_text(x, "name", 1, 1, 32, &n, err) < 0 ||
            pj_in_text(x, "relation", 1, 1, 16, &r, err) < 0 ||
            pj_in_str(x, "phone", 1, 5, 20, &p, err) < 0 ||
            (bad = phone_problem(p, contact_phone_kept(was, p))) != NULL || !*p) {
            char msg[128];
            snprintf(msg, sizeof msg, "%.100s",
                     bad               ? bad
                     : err->message[0] ? err->message
                                       : "must be {name, relation, phone}");
            json_decref(was);
            return pj_fail(err, 422, "invalid_value", "emergency_contacts", "contact %zu: %s",
                           i + 1, msg);
        }
    }
    json_decref(was);
    char *t = json_dumps(v, JSON_COMPACT);
    if (!t) return pj_fail(err, 500, "internal", "", "out of memory");
    *out = pj_arena_strdup(c->arena, t);
    free(t);
    return 1;
}

/* ---- elders ---- */

#define ELDER_COLS                                                                                 \
    "e.id, e.name, e.sex, e.birth_date, e.id_number, e.phone, e.household, e.grid_id,"             \
    " e.village_id, e.township_id, e.lat, e.lon, e.living_alone, e.empty_nest, e.disabled,"        \
    " e.ability_level, e.chronic_conditions, e.doctor_name, e.doctor_clinic, e.doctor_from,"       \
    " e.doctor_until, e.doctor_last_visit, e.emergency_contacts, e.meal_provider, e.meal_days,"    \
    " e.visit_tier, e.help_needed, e.helper_sex_pref, e.last_visit_at, e.status, e.source,"        \
    " e.created_at, e.updated_at, e.version, g.name, p.helper_id, h.name, p.id, p.start_date,"     \
    " ca.id, ca.balance_min, e.left_at, e.meal_weekdays"

/* Meals arranged, from the columns of the provider, the meal days and the paired helper: a
 * provider and days, and for meals a helper brings a helper paired now (101 of the demo's 217
 * such elders had none, counted 有饭吃 beside a missed-meal alert). The list's no_meals filter
 * and the coverage report say the same in SQL. */
static int meals_arranged(pj_stmt *s, int provider, int days, int helper)
{
    const char *p = pj_col_text(s, provider);
    return strcmp(p, "none") != 0 && pj_col_int(s, days) > 0 &&
           (strcmp(p, "helper") != 0 || !pj_col_is_null(s, helper));
}

/* reveal: 1 numbers in full (audited by the caller), 0 masked, -1 an audit snapshot — numbers
 * masked and the health data too (the conditions by count, the doctor's name), since audit
 * rows outlive the reader's need. */
static int elder_render_x(pj_ctx *c, int64_t id, pj_jw *w, int reveal, pj_err *err)
{
    int snapshot = reveal < 0;
    if (snapshot) reveal = 0;
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT " ELDER_COLS " FROM elders e"
                              " JOIN regions g ON g.id = e.grid_id"
                              " LEFT JOIN elder_pairs p ON p.elder_id = e.id AND p.state = 'active'"
                              " LEFT JOIN helpers h ON h.id = p.helper_id"
                              " LEFT JOIN credit_accounts ca ON ca.owner_kind = 'elder'"
                              " AND ca.owner_id = e.id WHERE e.id = ?",
                              id, "elder", err);
    if (!s) return -1;
    int64_t now = pj_now(), today = pj_el_today(c, now);
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "sex", s, 2);
    pj_render_text(w, "birth_date", s, 3);
    pj_jw_kint(w, "age", pj_el_age(pj_col_text(s, 3), today));
    pj_jw_kstr(w, "id_number", pj_el_mask_id(c, pj_col_text(s, 4), reveal));
    pj_jw_kstr(w, "phone", pj_el_mask_phone(c, pj_col_text(s, 5), reveal));
    pj_render_text(w, "household", s, 6);
    pj_jw_kint(w, "grid_id", pj_col_int(s, 7));
    pj_render_text(w, "grid_name", s, 34);
    pj_jw_kint(w, "village_id", pj_col_int(s, 8));
    pj_jw_kint(w, "township_id", pj_col_int(s, 9));
    pj_jw_key(w, "lat");
    pj_jw_fixed(w, pj_col_double(s, 10), 6);
    pj_jw_key(w, "lon");
    pj_jw_fixed(w, pj_col_double(s, 11), 6);
    int alone = (int)pj_col_int(s, 12), nest = (int)pj_col_int(s, 13), dis = (int)pj_col_int(s, 14),
        ability = (int)pj_col_int(s, 15);
    pj_jw_kbool(w, "living_alone", alone);
    pj_jw_kbool(w, "empty_nest", nest);
    pj_jw_kbool(w, "disabled", dis);
    pj_jw_kint(w, "ability_level", ability);
    pj_jw_key(w, "chronic_conditions");
    if (snapshot) {
        json_t *cc = json_loads(pj_col_text(s, 16), 0, NULL);
        pj_jw_arr(w);
        for (size_t k = 0; k < json_array_size(cc); k++) pj_jw_str(w, "***");
        pj_jw_arr_end(w);
        json_decref(cc);
    } else {
        pj_jw_raw(w, pj_col_text(s, 16));
    }
    if (snapshot && !pj_col_is_null(s, 17) && *pj_col_text(s, 17))
        pj_jw_kstr(w, "doctor_name", "***");
    else
        pj_render_text(w, "doctor_name", s, 17);
    pj_render_text(w, "doctor_clinic", s, 18);
    pj_render_text(w, "doctor_from", s, 19);
    pj_render_text(w, "doctor_until", s, 20);
    pj_render_text(w, "doctor_last_visit", s, 21);
    const char *until = pj_col_text(s, 20), *from = pj_col_text(s, 19);
    int64_t du = until ? pj_el_day(until) : INT64_MIN, df = from ? pj_el_day(from) : INT64_MIN;
    pj_jw_kbool(w, "doctor_contracted", until && du >= today && (!from || df <= today));
    /* emergency contacts with their phones masked like the elder's */
    pj_jw_key(w, "emergency_contacts");
    json_t *ec = json_loads(pj_col_text(s, 22), 0, NULL);
    pj_jw_arr(w);
    size_t i;
    json_t *x;
    json_array_foreach(ec, i, x)
    {
        pj_jw_obj(w);
        pj_jw_kstr(w, "name", json_string_value(json_object_get(x, "name")));
        pj_jw_kstr(w, "relation", json_string_value(json_object_get(x, "relation")));
        pj_jw_kstr(w, "phone",
                   pj_el_mask_phone(c, json_string_value(json_object_get(x, "phone")), reveal));
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    json_decref(ec);
    pj_render_text(w, "meal_provider", s, 23);
    pj_jw_kint(w, "meal_days", pj_col_int(s, 24));
    /* the weekdays of the meals, 1 Monday … 7 Sunday (those the missed-meal scan expects a
     * meal on): as named, or the first meal_days days from Monday */
    int64_t wd = pj_col_is_null(s, 42) ? ((1LL << pj_col_int(s, 24)) - 1) : pj_col_int(s, 42);
    pj_jw_key(w, "meal_weekdays");
    pj_jw_arr(w);
    for (int d = 0; d < 7; d++)
        if (wd & (1LL << d)) pj_jw_int(w, d + 1);
    pj_jw_arr_end(w);
    pj_jw_kbool(w, "meals_arranged", meals_arranged(s, 23, 24, 35));
    const char *tier = pj_col_text(s, 25);
    pj_jw_kstr(w, "visit_tier", tier);
    pj_jw_kstr(w, "visit_tier_suggested", pj_visit_tier_suggest(alone, nest, dis, ability));
    int every = pj_el_visit_days(c, tier);
    pj_jw_kint(w, "visit_every_days", every);
    int64_t last = pj_col_is_null(s, 28) ? 0 : pj_col_int(s, 28);
    if (last)
        pj_render_time(w, "last_visit_at", last);
    else
        pj_jw_knull(w, "last_visit_at");
    int64_t due = (last ? last : pj_col_int(s, 31)) + (int64_t)every * 86400;
    if (strcmp(pj_col_text(s, 29), "active")) { /* died or moved away: visited no more */
        pj_jw_knull(w, "next_visit_due");
        pj_jw_knull(w, "visit_overdue");
    } else {
        pj_render_time(w, "next_visit_due", due);
        /* overdue, as everything of the district, by the Beijing date: from the day after the
         * one it falls due on (it read "下次走访 3月8日 · 已逾期" on 8 March) */
        pj_jw_kbool(w, "visit_overdue", pj_el_today(c, due) < today);
    }
    pj_el_skills_write(w, "help_needed", (int)pj_col_int(s, 26));
    pj_render_text(w, "helper_sex_pref", s, 27);
    pj_render_text(w, "status", s, 29);
    /* the Beijing day the elder left the active register (died, moved away): the day the
     * change was recorded unless it said another (left_on) */
    if (pj_col_is_null(s, 41)) {
        pj_jw_knull(w, "left_on");
    } else {
        char left_on[11];
        pj_el_date(pj_el_today(c, pj_col_int(s, 41)), left_on);
        pj_jw_kstr(w, "left_on", left_on);
    }
    if (pj_col_is_null(s, 35)) {
        pj_jw_knull(w, "paired_helper");
    } else {
        pj_jw_key(w, "paired_helper");
        pj_jw_obj(w);
        pj_jw_kint(w, "helper_id", pj_col_int(s, 35));
        pj_render_text(w, "name", s, 36);
        pj_jw_kint(w, "pair_id", pj_col_int(s, 37));
        pj_render_text(w, "since", s, 38);
        pj_jw_obj_end(w);
    }
    /* the time-bank account, made when credits first come to the elder (a transfer) */
    pj_render_ref(w, "credit_account_id", s, 39);
    pj_jw_kint(w, "credit_balance_min", pj_col_int(s, 40));
    pj_render_text(w, "source", s, 30);
    pj_render_time(w, "created_at", pj_col_int(s, 31));
    pj_render_time(w, "updated_at", pj_col_int(s, 32));
    pj_jw_kint(w, "version", pj_col_int(s, 33));
    pj_jw_kbool(w, "masked", !reveal);
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

static int elder_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return elder_render_x(c, id, w, 0, err);
}

static int elder_render_revealed(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    if (pj_el_audit_reveal(c, "elder", id, err)) return -1;
    return elder_render_x(c, id, w, 1, err);
}

/* The list's flag and needs-gap filters as SQL conditions on `e` (bound by
 * elder_filter_bind in the same order). The gaps (no_meals, no_doctor, unpaired) and
 * vulnerable=1 are those of active elders, as the coverage report and the vulnerable list
 * count them: with any of them the list keeps active elders only. */
static const char *elder_filter_sql(pj_ctx *c, const pj_elder_filter *f, int64_t due_before)
{
    int active_only =
        f->no_meals || f->no_doctor || f->unpaired_only || f->vulnerable_only || due_before;
    return pj_arena_printf(
        c->arena, "%s%s%s%s%s%s%s%s", active_only ? " AND e.status = 'active'" : "",
        f->living_alone ? " AND e.living_alone = 1" : "",
        f->empty_nest ? " AND e.empty_nest = 1" : "", f->disabled ? " AND e.disabled = 1" : "",
        f->ability_set ? " AND e.ability_level = ?" : "",
        f->no_meals ? " AND (e.meal_provider = 'none' OR e.meal_days = 0 OR (e.meal_provider ="
                      " 'helper' AND NOT EXISTS (SELECT 1 FROM elder_pairs q WHERE q.elder_id ="
                      " e.id AND q.state = 'active')))"
                    : "",
        f->no_doctor ? " AND NOT (e.doctor_until IS NOT NULL AND e.doctor_until >= ?"
                       " AND (e.doctor_from IS NULL OR e.doctor_from <= ?))"
                     : "",
        /* next_visit_due as rendered: the last visit (or the registration) and the tier's days */
        due_before ? " AND COALESCE(e.last_visit_at, e.created_at) + (CASE e.visit_tier"
                     " WHEN 'high_risk' THEN ? WHEN 'key' THEN ? ELSE ? END) * 86400 < ?"
                   : "");
}

static void elder_filter_bind(pj_ctx *c, const pj_elder_filter *f, int64_t due_before, pj_stmt *s,
                              int *i)
{
    if (f->ability_set) pj_stmt_int(s, (*i)++, f->ability_level);
    if (f->no_doctor) {
        /* doctor_contracted as rendered: a contract in force today (local date) */
        char today[11];
        pj_el_date(pj_el_today(c, pj_now()), today);
        pj_stmt_text(s, (*i)++, today);
        pj_stmt_text(s, (*i)++, today);
    }
    if (due_before) {
        pj_stmt_int(s, (*i)++, pj_el_visit_days(c, "high_risk"));
        pj_stmt_int(s, (*i)++, pj_el_visit_days(c, "key"));
        pj_stmt_int(s, (*i)++, pj_el_visit_days(c, "normal"));
        pj_stmt_int(s, (*i)++, due_before);
    }
}

/* The instant the visit filters keep next_visit_due before (0: no such filter): the start of
 * today (Beijing time) for visit_overdue=1 (overdue is judged on the date, as visit_overdue),
 * the end of the local day visit_due_by (the earlier of the two when both); 400 bad_query for a
 * visit_due_by that is no date. */
static int visit_due_bound(pj_ctx *c, const pj_elder_filter *f, int64_t *out, pj_err *err)
{
    int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
    int64_t bound = f->visit_overdue ? pj_el_today(c, pj_now()) * 86400 - tz : 0;
    if (f->visit_due_by && *f->visit_due_by) {
        int64_t day = pj_el_day(f->visit_due_by);
        if (day == INT64_MIN)
            return pj_fail(err, 400, "bad_query", "visit_due_by",
                           "visit_due_by must be YYYY-MM-DD");
        int64_t end = (day + 1) * 86400 - tz;
        if (!bound || end < bound) bound = end;
    }
    *out = bound;
    return 0;
}

/* The list projection: one query for the page, no per-elder lookups. Columns: */
#define LIST_COLS                                                                                  \
    "e.id, e.name, e.sex, e.birth_date, e.grid_id, e.living_alone, e.empty_nest, e.disabled,"      \
    " e.ability_level, e.doctor_from, e.doctor_until, e.meal_provider, e.meal_days,"               \
    " e.visit_tier, e.last_visit_at, e.created_at, e.status, 0, p.helper_id, h.name,"              \
    " e.id_number, e.phone, g.name, e.household"

/* One list item; the next time its clock-dependent fields change lowers *valid_until. */
static void elder_item(pj_ctx *c, pj_stmt *s, int reveal, int64_t now, int64_t today,
                       int64_t *valid_until, pj_jw *w)
{
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "sex", s, 2);
    pj_jw_kint(w, "age", pj_el_age(pj_col_text(s, 3), today));
    pj_jw_kint(w, "grid_id", pj_col_int(s, 4));
    pj_render_text(w, "grid_name", s, 22);
    /* the address tells namesakes apart (shown to every role that sees the record) */
    pj_render_text(w, "household", s, 23);
    pj_jw_kbool(w, "living_alone", (int)pj_col_int(s, 5));
    pj_jw_kbool(w, "empty_nest", (int)pj_col_int(s, 6));
    pj_jw_kbool(w, "disabled", (int)pj_col_int(s, 7));
    pj_jw_kint(w, "ability_level", pj_col_int(s, 8));
    const char *from = pj_col_text(s, 9), *until = pj_col_text(s, 10);
    int64_t du = until ? pj_el_day(until) : INT64_MIN, df = from ? pj_el_day(from) : INT64_MIN;
    pj_jw_kbool(w, "meals_arranged", meals_arranged(s, 11, 12, 18));
    pj_jw_kbool(w, "doctor_contracted", until && du >= today && (!from || df <= today));
    const char *tier = pj_col_text(s, 13);
    pj_jw_kstr(w, "visit_tier", tier);
    int64_t last = pj_col_is_null(s, 14) ? 0 : pj_col_int(s, 14);
    int64_t due = (last ? last : pj_col_int(s, 15)) + (int64_t)pj_el_visit_days(c, tier) * 86400;
    /* an elder who died or moved away is visited no more: no visit falls due, none is overdue
     * (the list showed them overdue for ever) */
    if (strcmp(pj_col_text(s, 16), "active")) {
        pj_jw_knull(w, "next_visit_due");
        pj_jw_knull(w, "visit_overdue");
    } else {
        pj_render_time(w, "next_visit_due", due);
        /* by the Beijing date, as elder_render: it changes at local midnight, when the page's
         * valid_until ends anyway */
        pj_jw_kbool(w, "visit_overdue", pj_el_today(c, due) < today);
    }
    if (pj_col_is_null(s, 18)) {
        pj_jw_knull(w, "paired_helper");
    } else {
        pj_jw_key(w, "paired_helper");
        pj_jw_obj(w);
        pj_jw_kint(w, "helper_id", pj_col_int(s, 18));
        pj_render_text(w, "name", s, 19);
        pj_jw_obj_end(w);
    }
    pj_render_text(w, "status", s, 16);
    if (reveal) { /* numbers only when asked for, and then unmasked (audited by the caller) */
        pj_render_text(w, "id_number", s, 20);
        pj_render_text(w, "phone", s, 21);
    }
    pj_jw_obj_end(w);
}

/* Steps the page query and writes {"items":[…],"next_cursor":…,"masked":…}; with reveal,
 * one read_unmasked audit row per item, in the caller's transaction. */
static int elder_list_page(pj_ctx *c, pj_stmt *s, const pj_elder_filter *f, pj_jw *w, pj_err *err)
{
    int64_t now = pj_now(), today = pj_el_today(c, now);
    int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
    /* age and the doctor's contract change at local midnight */
    int64_t valid_until = (today + 1) * 86400 - tz;
    int64_t *audit =
        f->reveal ? pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)f->limit) : NULL;
    int n = 0, rc;
    int64_t last_id = 0;
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        if (n == f->limit) {
            n++; /* one more row: there is a next page */
            break;
        }
        elder_item(c, s, f->reveal, now, today, &valid_until, w);
        last_id = pj_col_int(s, 0);
        if (audit) audit[n] = last_id;
        n++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int shown = n > f->limit ? f->limit : n;
    for (int i = 0; audit && i < shown; i++)
        if (pj_el_audit_reveal(c, "elder", audit[i], err)) return -1;
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, n > f->limit && shown > 0, last_id);
    pj_jw_kbool(w, "masked", !f->reveal);
    pj_jw_obj_end(w);
    if (!c->valid_until || valid_until < c->valid_until) c->valid_until = valid_until;
    return 0;
}

int pj_elder_list(pj_ctx *c, const pj_elder_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_el_require_personal(c, err) || (f->reveal && pj_el_reveal_check(c, err))) return -1;
    int64_t town, region = f->region_id, due_before = 0;
    if (visit_due_bound(c, f, &due_before, err) ||
        pj_el_region_check(c, &region, "region_id", &town, err))
        return -1;
    const char *sql = pj_arena_printf(
        c->arena,
        "SELECT %s FROM elders e%s WHERE e.id > ?%s%s"
        " AND (? IS NULL OR e.visit_tier = ?) AND (? IS NULL OR e.status = ?)"
        " AND (? IS NULL OR e.name LIKE '%%' || ? || '%%' ESCAPE '\\' OR e.household LIKE '%%' ||"
        " ? || '%%' ESCAPE '\\')"
        "%s%s%s ORDER BY e.id LIMIT ?",
        f->full ? "e.id" : LIST_COLS,
        f->full ? ""
                : " LEFT JOIN elder_pairs p ON p.elder_id = e.id AND p.state = 'active'"
                  " LEFT JOIN helpers h ON h.id = p.helper_id"
                  " LEFT JOIN regions g ON g.id = e.grid_id",
        pj_el_scope_sql(c, "e"), pj_el_region_sql(c, region, "e"),
        f->vulnerable_only ? " AND (e.living_alone = 1 OR e.disabled = 1 OR e.ability_level >= 3)"
                           : "",
        f->unpaired_only ? " AND NOT EXISTS (SELECT 1 FROM elder_pairs q WHERE q.elder_id = e.id"
                           " AND q.state = 'active')"
                         : "",
        elder_filter_sql(c, f, due_before));
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_el_scope_bind(c, s, &i);
    pj_el_region_bind(s, region, &i);
    pj_stmt_text(s, i++, f->visit_tier);
    pj_stmt_text(s, i++, f->visit_tier);
    pj_stmt_text(s, i++, f->status);
    pj_stmt_text(s, i++, f->status);
    /* q is text to find: %, _ and \ in it match themselves */
    const char *q = pj_like_escape(c, f->q);
    for (int k = 0; k < 3; k++) pj_stmt_text(s, i++, q);
    elder_filter_bind(c, f, due_before, s, &i);
    pj_stmt_int(s, i++, f->limit + 1);
    if (!f->full) {
        if (!f->reveal) {
            int started = pj_db_read_begin(c->db);
            int rc = elder_list_page(c, s, f, w, err);
            pj_db_read_end(c->db, started);
            /* the elders falling due change the visit lists at any moment: never reused */
            if (due_before) c->valid_until = 1;
            return rc;
        }
        /* every record read unmasked gets its audit row, all in one transaction */
        if (pj_db_begin(c->db, err)) {
            pj_stmt_done(s);
            return -1;
        }
        if (elder_list_page(c, s, f, w, err) || pj_db_commit(c->db, err)) {
            pj_db_rollback(c->db);
            return -1;
        }
        return 0;
    }
    /* view=full: the whole records, as GET /elders/{id} */
    if (!f->reveal) {
        int started = pj_db_read_begin(c->db);
        int rc = pj_render_query_page(c, s, f->limit, elder_render, w, err);
        pj_db_read_end(c->db, started);
        c->valid_until = 1; /* clock-dependent fields throughout: never reused */
        return rc;
    }
    if (pj_db_begin(c->db, err)) {
        pj_stmt_done(s);
        return -1;
    }
    if (pj_render_query_page(c, s, f->limit, elder_render_revealed, w, err) ||
        pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

int pj_el_scope_of(pj_ctx *c, const char *what, int64_t id, int64_t *grid, int64_t *town,
                   pj_err *err)
{
    int rc = scope_row(c, what, id, grid, town, err);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, what, id);
    return 0;
}

int pj_el_get(pj_ctx *c, const char *what, int64_t id, int reveal, pj_render_fn render,
              pj_render_fn render_revealed, pj_jw *w, pj_err *err)
{
    int64_t grid, town;
    if (pj_el_require_personal(c, err) || pj_el_scope_of(c, what, id, &grid, &town, err) ||
        pj_el_scope_check(c, grid, town, err))
        return -1;
    if (!reveal) return render(c, id, w, err);
    /* render first into a scratch buffer so a failed audit shows nothing */
    char *out = NULL;
    if (pj_db_begin(c->db, err)) return -1;
    if (!(out = pj_render_to_string(c, id, render_revealed, err)) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    pj_jw_raw(w, out);
    return 0;
}

int pj_elder_get(pj_ctx *c, int64_t id, int reveal, pj_jw *w, pj_err *err)
{
    return pj_el_get(c, "elder", id, reveal, elder_render, elder_render_revealed, w, err);
}

int pj_el_create_check(pj_ctx *c, json_t *body, const char *const *fields, pj_err *err)
{
    if (pj_el_require_personal(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err))
        return -1;
    if (json_object_get(body, "version"))
        return pj_fail(err, 422, "unknown_field", "version", "version is set by the server");
    return 0;
}

int pj_el_update_check(pj_ctx *c, const char *what, int64_t id, json_t *body,
                       const char *const *fields, const char *const *nullable, int64_t *version,
                       int64_t *grid, pj_err *err)
{
    int64_t town;
    if (pj_el_require_personal(c, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, version, err) < 0 ||
        pj_in_no_null(body, nullable, err) || pj_el_scope_of(c, what, id, grid, &town, err) ||
        pj_el_scope_check(c, *grid, town, err))
        return -1;
    return 0;
}

int pj_el_grid_check(pj_ctx *c, const pj_el_place *place, pj_err *err)
{
    if (pj_el_require_personal(c, err)) return -1;
    int in = pj_el_in_scope(c, place->grid_id, place->township_id, err);
    if (in < 0) return -1;
    if (!in)
        return pj_fail(err, 422, "unknown_id", "grid_id", "no grid %lld in your area",
                       (long long)place->grid_id);
    return 0;
}

int pj_el_move_check(pj_ctx *c, int64_t grid, const pj_el_place *place, pj_err *err)
{
    if (place->grid_id == grid) return 0;
    return pj_el_grid_check(c, place, err);
}

const char *pj_el_dup(pj_ctx *c, pj_stmt *s, int col)
{
    return pj_col_is_null(s, col) ? NULL : pj_arena_strdup(c->arena, pj_col_text(s, col));
}

void pj_el_person_cols(pj_ctx *c, pj_stmt *s, pj_el_person *p)
{
    p->name = pj_el_dup(c, s, 0), p->sex = pj_el_dup(c, s, 1), p->birth_date = pj_el_dup(c, s, 2);
    p->id_number = pj_el_dup(c, s, 3), p->phone = pj_el_dup(c, s, 4);
}

void pj_el_person_bind(pj_stmt *s, const pj_el_person *p, int *idx)
{
    pj_stmt_text(s, (*idx)++, p->name);
    pj_stmt_text(s, (*idx)++, p->sex);
    pj_stmt_text(s, (*idx)++, p->birth_date);
    pj_stmt_text(s, (*idx)++, p->id_number);
    pj_stmt_text(s, (*idx)++, p->phone ? p->phone : "");
}

/* An elder's fields while being created or changed. */
typedef struct elder_rec {
    pj_el_person p;
    const char *household, *chronic, *contacts, *doctor_name, *doctor_clinic, *doctor_from,
        *doctor_until, *doctor_last_visit, *meal_provider, *visit_tier, *sex_pref, *status, *source;
    pj_el_place place;
    double lat, lon;
    int64_t living_alone, empty_nest, disabled, ability, meal_days;
    /* the weekdays of the meals, bit 0 Monday … bit 6 Sunday; -1 (NULL in the table): the
     * first meal_days days from Monday, as before the days could be named */
    int64_t meal_weekdays;
    int help_needed;
} elder_rec;

static const char *const elder_fields[] = {"name",
                                           "sex",
                                           "birth_date",
                                           "id_number",
                                           "phone",
                                           "household",
                                           "grid_id",
                                           "lat",
                                           "lon",
                                           "living_alone",
                                           "empty_nest",
                                           "disabled",
                                           "ability_level",
                                           "chronic_conditions",
                                           "doctor_name",
                                           "doctor_clinic",
                                           "doctor_from",
                                           "doctor_until",
                                           "doctor_last_visit",
                                           "emergency_contacts",
                                           "meal_provider",
                                           "meal_days",
                                           "meal_weekdays",
                                           "visit_tier",
                                           "help_needed",
                                           "helper_sex_pref",
                                           "status",
                                           "source",
                                           "left_on",
                                           "version",
                                           NULL};

/* the keys an update may send as null: the family doctor's (first, in elder_read's order),
 * which the null clears, and the lists, which it empties */
static const char *const elder_nullable[] = {
    "doctor_name",       "doctor_clinic",      "doctor_from",        "doctor_until",
    "doctor_last_visit", "chronic_conditions", "emergency_contacts", NULL};

static int elder_load(pj_ctx *c, int64_t id, elder_rec *r, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT name, sex, birth_date, id_number, phone, household, grid_id,"
                               " village_id, township_id, lat, lon, living_alone, empty_nest,"
                               " disabled, ability_level, chronic_conditions, doctor_name,"
                               " doctor_clinic, doctor_from, doctor_until, doctor_last_visit,"
                               " emergency_contacts, meal_provider, meal_days, visit_tier,"
                               " help_needed, helper_sex_pref, status, source, meal_weekdays"
                               " FROM elders WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_el_person_cols(c, s, &r->p);
        r->household = pj_el_dup(c, s, 5);
        r->place.grid_id = pj_col_int(s, 6), r->place.village_id = pj_col_int(s, 7);
        r->place.township_id = pj_col_int(s, 8);
        r->lat = pj_col_double(s, 9), r->lon = pj_col_double(s, 10);
        r->living_alone = pj_col_int(s, 11), r->empty_nest = pj_col_int(s, 12);
        r->disabled = pj_col_int(s, 13), r->ability = pj_col_int(s, 14);
        r->chronic = pj_el_dup(c, s, 15), r->doctor_name = pj_el_dup(c, s, 16);
        r->doctor_clinic = pj_el_dup(c, s, 17), r->doctor_from = pj_el_dup(c, s, 18);
        r->doctor_until = pj_el_dup(c, s, 19), r->doctor_last_visit = pj_el_dup(c, s, 20);
        r->contacts = pj_el_dup(c, s, 21), r->meal_provider = pj_el_dup(c, s, 22);
        r->meal_days = pj_col_int(s, 23), r->visit_tier = pj_el_dup(c, s, 24);
        r->help_needed = (int)pj_col_int(s, 25), r->sex_pref = pj_el_dup(c, s, 26);
        r->status = pj_el_dup(c, s, 27), r->source = pj_el_dup(c, s, 28);
        r->meal_weekdays = pj_col_is_null(s, 29) ? -1 : pj_col_int(s, 29);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "elder", id);
    return 0;
}

/* Reads the body over r (create: required fields), then checks the combinations. */
static int elder_read(pj_ctx *c, json_t *b, int create, elder_rec *r, pj_err *err)
{
    int64_t today = pj_el_today(c, pj_now());
    int64_t grid = 0;
    int bool_v;
    double lat = NAN, lon = NAN;
    int was_helper = !create && r->meal_provider && !strcmp(r->meal_provider, "helper");
    if (pj_el_in_person(c, b, create, &r->p, 0, err) ||
        pj_in_str(b, "household", 0, 0, 128, &r->household, err) < 0 ||
        pj_in_int(b, "grid_id", create, 1, INT64_MAX, &grid, err) < 0 ||
        pj_in_num(b, "lat", 0, -90, 90, &lat, err) < 0 ||
        pj_in_num(b, "lon", 0, -180, 180, &lon, err) < 0 ||
        pj_in_int(b, "ability_level", create, 0, 4, &r->ability, err) < 0 ||
        in_str_array(c, b, "chronic_conditions", 20, &r->chronic, err) < 0 ||
        pj_in_text(b, "doctor_name", 0, 1, 32, &r->doctor_name, err) < 0 ||
        pj_in_text(b, "doctor_clinic", 0, 1, 64, &r->doctor_clinic, err) < 0 ||
        pj_el_in_date(b, "doctor_from", 0, 0, today, &r->doctor_from, err) < 0 ||
        pj_el_in_date(b, "doctor_until", 0, 0, today, &r->doctor_until, err) < 0 ||
        pj_el_in_date(b, "doctor_last_visit", 0, 1, today, &r->doctor_last_visit, err) < 0 ||
        in_contacts(c, b, &r->contacts, err) < 0 ||
        pj_in_enum(b, "meal_provider", 0, pj_meal_providers, &r->meal_provider, err) < 0 ||
        pj_in_int(b, "meal_days", 0, 0, 7, &r->meal_days, err) < 0 ||
        pj_in_enum(b, "visit_tier", 0, pj_visit_tiers, &r->visit_tier, err) < 0 ||
        pj_el_in_skills(b, "help_needed", 0, &r->help_needed, err) < 0 ||
        pj_in_enum(b, "helper_sex_pref", 0, sex_prefs, &r->sex_pref, err) < 0 ||
        pj_in_enum(b, "status", 0, pj_elder_statuses, &r->status, err) < 0 ||
        pj_in_str(b, "source", 0, 1, 32, &r->source, err) < 0)
        return -1;
    int days_given = json_object_get(b, "meal_days") != NULL;
    int rc_wd = in_weekdays(b, &r->meal_weekdays, err);
    if (rc_wd < 0) return -1;
    if (rc_wd) { /* the days named: meal_days is how many they are */
        int n = __builtin_popcountll((unsigned long long)r->meal_weekdays);
        if (days_given && r->meal_days != n)
            return pj_fail(err, 422, "invalid_value", "meal_days",
                           "meal_days %lld differs from meal_weekdays (%d days): give one of"
                           " them, or both alike",
                           (long long)r->meal_days, n);
        r->meal_days = n;
    } else if (days_given) {
        r->meal_weekdays = -1; /* a count alone: the first days from Monday, as before */
    }
    static const char *const flags[] = {"living_alone", "empty_nest", "disabled"};
    int64_t *fv[] = {&r->living_alone, &r->empty_nest, &r->disabled};
    for (int k = 0; k < 3; k++) {
        int rc = pj_in_bool(b, flags[k], 0, &bool_v, err);
        if (rc < 0) return -1;
        if (rc) *fv[k] = bool_v;
    }
    /* a null ends what was recorded of the family doctor (the contract ended, a doctor
     * recorded in error) */
    const char **doctor[] = {&r->doctor_name, &r->doctor_clinic, &r->doctor_from, &r->doctor_until,
                             &r->doctor_last_visit};
    for (int k = 0; k < 5; k++)
        if (pj_in_is_null(b, elder_nullable[k])) *doctor[k] = NULL;
    if (pj_el_age(r->p.birth_date, today) < 60)
        return pj_fail(err, 422, "out_of_range", "birth_date", "an elder is 60 or older (born %s)",
                       r->p.birth_date);
    if (pj_el_locate(c, grid, lat, lon, &r->place, &r->lat, &r->lon, err)) return -1;
    if (r->doctor_from && r->doctor_until && strcmp(r->doctor_from, r->doctor_until) > 0)
        return pj_fail(err, 422, "invalid_value", "doctor_until",
                       "doctor_until is before doctor_from");
    if ((r->doctor_from || r->doctor_until) && !r->doctor_name)
        return pj_fail(err, 422, "missing_field", "doctor_name",
                       "a family-doctor contract names the doctor");
    if (!strcmp(r->meal_provider, "none") && r->meal_days > 0)
        return pj_fail(
            err, 422, "invalid_value", rc_wd && !days_given ? "meal_weekdays" : "meal_days",
            "%s when meal_provider is none",
            rc_wd && !days_given ? "meal_weekdays must be empty" : "meal_days must be 0");
    if (create && !json_object_get(b, "visit_tier"))
        r->visit_tier = pj_visit_tier_suggest((int)r->living_alone, (int)r->empty_nest,
                                              (int)r->disabled, (int)r->ability);
    if (create && !json_object_get(b, "help_needed"))
        r->help_needed =
            PJ_SKILL_COMPANIONSHIP | (!strcmp(r->meal_provider, "helper") ? PJ_SKILL_MEALS : 0);
    /* as on create: meals brought by a helper are a need the pairing must meet, unless the
     * same update says what is needed */
    if (!create && !was_helper && !strcmp(r->meal_provider, "helper") &&
        !json_object_get(b, "help_needed"))
        r->help_needed |= PJ_SKILL_MEALS;
    if (!r->help_needed)
        return pj_fail(err, 422, "invalid_value", "help_needed", "help_needed may not be empty");
    return 0;
}

static void elder_bind(pj_stmt *s, const elder_rec *r, int *idx)
{
    int i = *idx;
    pj_el_person_bind(s, &r->p, &i);
    pj_stmt_text(s, i++, r->household ? r->household : "");
    pj_stmt_int(s, i++, r->place.grid_id);
    pj_stmt_int(s, i++, r->place.village_id);
    pj_stmt_int(s, i++, r->place.township_id);
    pj_stmt_double(s, i++, r->lat);
    pj_stmt_double(s, i++, r->lon);
    pj_stmt_int(s, i++, r->living_alone);
    pj_stmt_int(s, i++, r->empty_nest);
    pj_stmt_int(s, i++, r->disabled);
    pj_stmt_int(s, i++, r->ability);
    pj_stmt_text(s, i++, r->chronic ? r->chronic : "[]");
    pj_stmt_text(s, i++, r->doctor_name);
    pj_stmt_text(s, i++, r->doctor_clinic);
    pj_stmt_text(s, i++, r->doctor_from);
    pj_stmt_text(s, i++, r->doctor_until);
    pj_stmt_text(s, i++, r->doctor_last_visit);
    pj_stmt_text(s, i++, r->contacts ? r->contacts : "[]");
    pj_stmt_text(s, i++, r->meal_provider);
    pj_stmt_int(s, i++, r->meal_days);
    if (r->meal_weekdays < 0)
        pj_stmt_null(s, i++);
    else
        pj_stmt_int(s, i++, r->meal_weekdays);
    pj_stmt_text(s, i++, r->visit_tier);
    pj_stmt_int(s, i++, r->help_needed);
    pj_stmt_text(s, i++, r->sex_pref);
    pj_stmt_text(s, i++, r->status);
    pj_stmt_text(s, i++, r->source);
    *idx = i;
}

static int snapshot_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return elder_render_x(c, id, w, -1, err);
}

/* Every field in full, for telling whether an update changed anything (a masked rendering
 * hides a new ID number or phone that keeps its first digits); never sent or stored. */
static int full_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return elder_render_x(c, id, w, 1, err);
}

/* Commits a write of elder id: the audit row gets the snapshot (health data masked), the caller
 * the record as it sees it. stopped (a departure, n_stopped >= 0): the answer adds
 * "helpers_stopped", the helper records the change stopped that the caller may open. */
static int elder_commit(pj_ctx *c, const char *action, int64_t id, const char *before,
                        const int64_t *stopped, int n_stopped, pj_jw *w, pj_err *err)
{
    char *after = pj_render_to_string(c, id, snapshot_render, err);
    char *shown = after ? pj_render_to_string(c, id, elder_render, err) : NULL;
    if (!shown || pj_audit_add(c, action, "elder", id, before, after, err) ||
        pj_db_commit(c->db, err))
        return -1;
    if (n_stopped < 0) {
        pj_jw_raw(w, shown);
        return 0;
    }
    size_t len = strlen(shown);
    if (len) shown[len - 1] = 0; /* drop the closing brace: the list follows */
    pj_jw_raw(w, shown);
    pj_buf_puts(w->out, ",\"helpers_stopped\":[");
    for (int k = 0; k < n_stopped; k++)
        pj_buf_puts(w->out,
                    pj_arena_printf(c->arena, "%s%lld", k ? "," : "", (long long)stopped[k]));
    pj_buf_puts(w->out, "]}");
    return 0;
}

int pj_elder_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    elder_rec r = {.meal_provider = "none",
                   .meal_weekdays = -1,
                   .sex_pref = "any",
                   .status = "active",
                   .source = "manual",
                   .lat = NAN,
                   .lon = NAN};
    if (pj_el_create_check(c, body, elder_fields, err)) return -1;
    if (json_object_get(body, "left_on"))
        return pj_fail(err, 422, "invalid_value", "left_on",
                       "left_on is given with a change of status from active to moved or"
                       " deceased");
    if (elder_read(c, body, 1, &r, err) || pj_el_grid_check(c, &r.place, err) ||
        pj_el_id_clash_guard(c, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "INSERT INTO elders (name, sex, birth_date, id_number, phone, household, grid_id,"
        " village_id, township_id, lat, lon, living_alone, empty_nest, disabled, ability_level,"
        " chronic_conditions, doctor_name, doctor_clinic, doctor_from, doctor_until,"
        " doctor_last_visit, emergency_contacts, meal_provider, meal_days, meal_weekdays,"
        " visit_tier, help_needed, helper_sex_pref, status, source, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        err);
    if (!s) goto fail;
    int i = 1;
    elder_bind(s, &r, &i);
    pj_stmt_int(s, i++, pj_now());
    pj_stmt_int(s, i++, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0 && err->status == 409) {
        pj_db_rollback(c->db);
        return pj_el_id_clash(c, "elder", 0, r.p.id_number, err);
    }
    if (rc != 1) goto fail;
    if (elder_commit(c, "create", id, NULL, NULL, -1, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* left_on of an update: the Beijing day an elder left the active register (died, moved away),
 * given with the change of status from active only; not in the future, not before the elder
 * was registered. *day that day (today when not given); *left_at the time to keep as left_at
 * when not the time of the change (0: keep it): the end of an earlier day. */
static int left_on_read(pj_ctx *c, int64_t id, json_t *body, const char *old_status,
                        const char *status, int64_t *day, int64_t *left_at, pj_err *err)
{
    int64_t now = pj_now(), today = pj_el_today(c, now);
    const char *left_on = NULL;
    *day = today, *left_at = 0;
    int rc = pj_el_in_date(body, "left_on", 0, 1, today, &left_on, err);
    if (rc <= 0) return rc;
    if (strcmp(old_status, "active") || !strcmp(status, "active"))
        return pj_fail(err, 422, "invalid_value", "left_on",
                       "left_on is given with a change of status from active to moved or"
                       " deceased");
    int64_t created;
    if (pj_el_int(c, "SELECT created_at FROM elders WHERE id = ?", id, 0, &created, err)) return -1;
    int64_t d = pj_el_day(left_on), from = pj_el_today(c, created);
    if (d < from) {
        char reg[11];
        pj_el_date(from, reg);
        return pj_fail(err, 422, "out_of_range", "left_on",
                       "left_on is before the elder was registered (%s)", reg);
    }
    *day = d;
    /* the last second of that day in Beijing time (tz as pj_el_today takes it) */
    int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
    if (d < today) *left_at = (d + 1) * 86400 - tz - 1;
    if (!*left_at) return 0;
    /* services logged after that day — of the elder, or given by the elder as a helper — say
     * the day is wrong or the logs are: they are voided first (their credits taken back with
     * them) or a later day is given; nothing is voided here behind the officer's back. Only
     * the logs the caller may open (a log's area is its elder's) are counted and named: one
     * outside the caller's scope is neither theirs to see nor to void — it does not stand in
     * their way, and the district office settles it */
    pj_stmt *s = pj_db_prepare(
        c->db,
        pj_arena_printf(c->arena,
                        "SELECT COUNT(*) OVER (), l.id, l.time_in FROM elder_service_logs l"
                        " WHERE l.voided_at IS NULL AND l.time_in > ?1 AND (l.elder_id = ?2"
                        " OR l.helper_id IN (SELECT h.id FROM helpers h WHERE h.elder_id ="
                        " ?2 OR h.id_number = (SELECT id_number FROM elders WHERE id = ?2)))%s"
                        " ORDER BY l.time_in, l.id LIMIT 1",
                        pj_el_scope_sql(c, "l")),
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, *left_at);
    pj_stmt_int(s, 2, id);
    int bi = 3;
    pj_el_scope_bind(c, s, &bi);
    int rc2 = pj_stmt_step(s, err);
    int64_t n = rc2 == 1 ? pj_col_int(s, 0) : 0, first = rc2 == 1 ? pj_col_int(s, 1) : 0,
            first_at = rc2 == 1 ? pj_col_int(s, 2) : 0;
    pj_stmt_done(s);
    if (rc2 < 0) return -1;
    if (n > 0) {
        char on[11];
        pj_el_date(pj_el_today(c, first_at), on);
        return pj_fail(err, 422, "out_of_range", "left_on",
                       "%lld service log(s) in force are after %s (the first: log %lld of %s):"
                       " void them first, or give the day they left as the last of those days",
                       (long long)n, left_on, (long long)first, on);
    }
    return 0;
}

/* After the rollback of an elder's update whose new ID number another helper record holds, so
 * that the elder's linked helper `tried` could not take it: an id_clash row on that record
 * (tried from the linked helper, as a helper's own change of number writes it), then 409 on
 * id_number, the same words whoever holds the number. Always -1. */
static int helper_number_clash(pj_ctx *c, int64_t tried, const char *id_number, pj_err *err)
{
    pj_err e2;
    pj_err_clear(&e2);
    pj_stmt *s = pj_db_prepare(c->db, "SELECT id FROM helpers WHERE id_number = ?", &e2);
    if (s) {
        pj_stmt_text(s, 1, id_number);
        int rc = pj_stmt_step(s, &e2);
        int64_t holder = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (holder) pj_el_id_clash_audit(c, "helper", holder, tried, &e2);
    }
    if (e2.status) { /* the audit row could not be written: that error, not the clash */
        *err = e2;
        return -1;
    }
    return pj_fail(err, 409, "conflict", "id_number",
                   "a helper with this ID number exists, and the elder's own helper record"
                   " (elder_id) takes the elder's number: one person is registered once as a"
                   " helper. The district office settles which helper record is the person's");
}

int pj_elder_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int64_t version, grid;
    if (pj_el_update_check(c, "elder", id, body, elder_fields, elder_nullable, &version, &grid,
                           err))
        return -1;
    elder_rec r;
    memset(&r, 0, sizeof r);
    if (elder_load(c, id, &r, err)) return -1;
    const char *old_idn = r.p.id_number, *old_status = r.status, *old_pref = r.sex_pref;
    int old_needs = r.help_needed;
    if (elder_read(c, body, 0, &r, err) || pj_el_move_check(c, grid, &r.place, err)) return -1;
    if (strcmp(r.p.id_number, old_idn) && pj_el_id_clash_guard(c, err)) return -1;
    int64_t left_day, left_at;
    if (left_on_read(c, id, body, old_status, r.status, &left_day, &left_at, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM elders WHERE id = ?", id, version, "elder", err))
        goto fail;
    int64_t old_town;
    if (pj_el_int(c, "SELECT township_id FROM elders WHERE id = ?", id, 0, &old_town, err))
        goto fail;
    char *before = pj_render_to_string(c, id, snapshot_render, err);
    char *full = before ? pj_render_to_string(c, id, full_render, err) : NULL;
    if (!full) goto fail;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "UPDATE elders SET name = ?, sex = ?, birth_date = ?, id_number = ?, phone = ?,"
        " household = ?, grid_id = ?, village_id = ?, township_id = ?, lat = ?, lon = ?,"
        " living_alone = ?, empty_nest = ?, disabled = ?, ability_level = ?,"
        " chronic_conditions = ?, doctor_name = ?, doctor_clinic = ?, doctor_from = ?,"
        " doctor_until = ?, doctor_last_visit = ?, emergency_contacts = ?, meal_provider = ?,"
        " meal_days = ?, meal_weekdays = ?, visit_tier = ?, help_needed = ?,"
        " helper_sex_pref = ?, status = ?, source = ?, updated_at = ?, version = version + 1"
        " WHERE id = ?",
        err);
    if (!s) goto fail;
    int i = 1;
    elder_bind(s, &r, &i);
    pj_stmt_int(s, i++, pj_now());
    pj_stmt_int(s, i++, id);
    if (pj_step_done(s, err)) {
        if (err->status != 409) goto fail;
        pj_db_rollback(c->db);
        return pj_el_id_clash(c, "elder", id, r.p.id_number, err);
    }
    /* a PATCH that changed nothing writes nothing: no new version, no audit row */
    char *now_full = pj_render_to_string(c, id, full_render, err);
    if (!now_full) goto fail;
    if (pj_render_same(full, now_full)) {
        pj_db_rollback(c->db);
        return elder_render(c, id, w, err);
    }
    /* a corrected ID number is the person's: their own helper record (linked, 低龄助高龄)
     * takes it too, or the link would name a record of another number */
    if (strcmp(r.p.id_number, old_idn)) {
        int64_t tried;
        if (pj_el_helpers_follow_number(c, id, old_idn, &tried, err)) {
            if (!tried) goto fail;
            pj_db_rollback(c->db);
            return helper_number_clash(c, tried, r.p.id_number, err);
        }
    }
    /* the day they left as the request says (the trigger of migration 114 took the time the
     * change was recorded): the end of that day, so that its services are still logged */
    if (left_at) {
        pj_stmt *l = pj_db_prepare(c->db, "UPDATE elders SET left_at = ? WHERE id = ?", err);
        if (!l) goto fail;
        pj_stmt_int(l, 1, left_at);
        pj_stmt_int(l, 2, id);
        if (pj_step_done(l, err)) goto fail;
    }
    /* an elder who moved away or died keeps no active pair, ended on the day they left; nor
     * helps any more as a helper (低龄助高龄: their helper record stops as one set inactive
     * does, its pairs ended that day) */
    int64_t *stopped = NULL;
    int n_stopped = -1;
    if (strcmp(r.status, "active") &&
        (pj_el_pairs_end_on(c, "elder", id, r.status, left_day, err) ||
         (!strcmp(old_status, "active") &&
          (pj_el_helpers_of_elder_stop(c, id, left_day, &stopped, &n_stopped, err) ||
           /* those of the number left active (elsewhere, or linked to another elder record):
            * the district office and their own township and grid are told, a caller outside
            * them is not */
           pj_el_alert_id_departed(c, id, r.status, left_day, err)))))
        goto fail;
    /* nor one who moved to another township: pairing is organised within a township, the
     * helper stayed in the old one */
    else if (!strcmp(r.status, "active") && r.place.township_id != old_town &&
             pj_el_pairs_end(c, "elder", id, "moved township", err))
        goto fail;
    /* a need added, or another preference: the pair kept is one pairing would make (a
     * meal_provider of helper adds meals to the needs, elder_read) */
    int more = r.help_needed & ~old_needs;
    if (!strcmp(r.status, "active") && (more || strcmp(old_pref, r.sex_pref)) &&
        pj_el_pairs_fit(c, "elder", id,
                        !more                                  ? "helper_sex_pref"
                        : json_object_get(body, "help_needed") ? "help_needed"
                                                               : "meal_provider",
                        err))
        goto fail;
    /* an elder moved to another grid takes their open alerts to its grid worker, and their
     * service logs: a log's area is the elder's (a copy kept for the lists' and the report's
     * indexes). The grid worker now responsible reads the elder's services, the former one no
     * longer does, and the coverage report counts the visits done where it counts the elder's
     * visits due (done stayed at the old grid, due moved to the new) */
    if (r.place.grid_id != grid) {
        if (pj_el_alerts_follow(c, "elder", id, r.place.grid_id, r.place.township_id, err))
            goto fail;
        pj_stmt *m = pj_db_prepare(c->db,
                                   "UPDATE elder_service_logs SET grid_id = ?, village_id = ?,"
                                   " township_id = ? WHERE elder_id = ?",
                                   err);
        if (!m) goto fail;
        pj_stmt_int(m, 1, r.place.grid_id);
        pj_stmt_int(m, 2, r.place.village_id);
        pj_stmt_int(m, 3, r.place.township_id);
        pj_stmt_int(m, 4, id);
        if (pj_step_done(m, err)) goto fail;
    }
    if (elder_commit(c, "update", id, before, stopped, n_stopped, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
