/* Logistics hub 物流高地: the kinds (record.h), the warehouse status rule, land-transfer
 * arithmetic, the KPIs. */
#include "domain/logistics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/indicator.h"

#include "core/banned.h"

const char *const pj_lg_statuses[] = {"planned", "under_construction", "operating", NULL};
static const char *const automation_levels[] = {"conventional", "mechanised", "automated",
                                                "unmanned", NULL};
static const char *const freight_modes[] = {"road", "rail", "multimodal", NULL};
static const char *const train_kinds[] = {"china_europe", "city", "intra_city", NULL};
static const char *const train_states[] = {"planned", "operating", "suspended", NULL};

#define REF_PARK        "SELECT 1 FROM lg_parks WHERE id = ?"
#define REF_WAREHOUSE   "SELECT 1 FROM lg_warehouses WHERE id = ?"
#define REF_WH_FACILITY "SELECT 1 FROM facilities WHERE id = ? AND type = 'warehouse'"
#define F               PJ_RF_FILTER
#define RQ              PJ_RF_REQ

static double round2(double v)
{
    return round(v * 100.0) / 100.0;
}

double pj_lg_points(double before_pct, double after_pct)
{
    return round2(after_pct - before_pct);
}

int pj_lg_transfer_calc(double area_mu, double before_mu, double after_mu, int64_t price_fen_per_mu,
                        pj_lg_transfer *out)
{
    memset(out, 0, sizeof *out);
    if (!(area_mu > 0)) return -1;
    double rb = 100.0 * before_mu / area_mu, ra = 100.0 * after_mu / area_mu;
    out->rate_before_pct = round2(rb);
    out->rate_after_pct = round2(ra);
    out->points = round2(ra - rb);
    out->added_mu = round2(after_mu - before_mu);
    /* rows written before the ranges were tightened may hold more than 64 bits can */
    double rev = round((after_mu - before_mu) * (double)price_fen_per_mu);
    if (!(fabs(rev) < 9.2e18)) return -1;
    out->added_revenue_fen = (int64_t)rev;
    return 0;
}

static int rank_of(const char *s)
{
    return pj_rec_state_rank(pj_lg_statuses, s);
}

int pj_lg_transition_ok(const char *from, const char *to)
{
    return pj_rec_state_step_ok(pj_lg_statuses, from, to);
}

/* ---- parks ---- */

static const pj_rec_field park_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_REF("township_id", F, PJ_REF_TOWNSHIP),
    PJ_F_REF("organisation_id", F, PJ_REF_ORG),
    PJ_F_NUM("area_mu", 0, 0, 1e7),
};
static const pj_rec_extra park_extras[] = {
    /* an enterprise user counts the warehouses it reads (its own), as it lists them */
    {"warehouses", "SELECT COUNT(*) FROM lg_warehouses h WHERE h.park_id = t.id", PJ_RT_INT,
     "SELECT COUNT(*) FROM lg_warehouses h WHERE h.park_id = t.id AND h.organisation_id = ?2"},
    {"warehouse_area_m2",
     "SELECT COALESCE(SUM(h.area_m2), 0) FROM lg_warehouses h WHERE h.park_id = t.id", PJ_RT_NUM,
     "SELECT COALESCE(SUM(h.area_m2), 0) FROM lg_warehouses h WHERE h.park_id = t.id AND"
     " h.organisation_id = ?2"},
    PJ_X_TOWN,
    PJ_X_ORG,
};
const pj_rec_kind pj_lg_parks = {.name = "lg_park",
                                 .noun = "park",
                                 .table = "lg_parks",
                                 .fields = park_fields,
                                 .nfields = PJ_N(park_fields),
                                 .extras = park_extras,
                                 .nextras = PJ_N(park_extras),
                                 .town_sql = "t.township_id",
                                 .deletable = 1};

/* ---- warehouses ---- */

/* The most area let at one time in warehouse wh, over the days from..to ("YYYY-MM-DD", both
 * included), by tenancies other than `except`: a tenancy is in force from `since` to `until`
 * (an open end runs on). The sum only rises where a tenancy begins, so the days to look at are
 * `from` and the beginnings after it. */
#define LG_DAY_FIRST "0000-01-01"
#define LG_DAY_LAST  "9999-12-31"
static int let_peak(pj_ctx *c, int64_t wh, int64_t except, const char *from, const char *to,
                    double *peak, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT COALESCE(MAX((SELECT COALESCE(SUM(o.area_m2), 0) FROM lg_tenants o WHERE"
        " o.warehouse_id = ? AND o.id <> ? AND COALESCE(o.since, '" LG_DAY_FIRST "') <= p.day AND"
        " COALESCE(o.until, '" LG_DAY_LAST "') >= p.day)), 0) FROM (SELECT ? AS day UNION SELECT"
        " since FROM lg_tenants WHERE warehouse_id = ? AND id <> ? AND since > ? AND since <= ?)"
        " p",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, wh);
    pj_stmt_int(s, 2, except);
    pj_stmt_text(s, 3, from);
    pj_stmt_int(s, 4, wh);
    pj_stmt_int(s, 5, except);
    pj_stmt_text(s, 6, from);
    pj_stmt_text(s, 7, to);
    int rc = pj_stmt_step(s, err);
    *peak = rc == 1 ? pj_col_double(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static const char *date_of(const json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

/* A warehouse or land parcel in a park lies in the park's township: a missing township_id is
 * the park's (also when a change moves the record to another park), and another one is 422
 * invalid_value at township_id — else a township's officer could put records into another
 * township's park, counted in its figures. Checked on a new record and on a change of park or
 * township (a row stored before the rule keeps its other edits). */
static int park_township(pj_ctx *c, const char *noun, json_t *body, const json_t *row, int creating,
                         pj_err *err)
{
    json_t *park = json_object_get(row, "park_id"), *given = json_object_get(body, "township_id");
    if (!json_is_integer(park) || (!creating && !json_object_get(body, "park_id") && !given))
        return 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT township_id FROM lg_parks WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(park));
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 && !pj_col_is_null(s, 0) ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (!town) return 0; /* a park of no township places nothing */
    if (!given || json_is_null(given)) {
        json_object_set_new(body, "township_id", json_integer(town));
        return 0;
    }
    if (json_integer_value(given) != town)
        return pj_fail(err, 422, "invalid_value", "township_id",
                       "a %s in park %lld is in the park's township %lld, not %lld", noun,
                       (long long)json_integer_value(park), (long long)town,
                       (long long)json_integer_value(given));
    return 0;
}

/* planned → under_construction → operating; an operating warehouse is a registry facility (one
 * warehouse's only); the dates follow the status: none while planned, `started` from under
 * construction on, `opened` when operating, neither in the future, opened not before started. */
static int warehouse_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                           const json_t *row, pj_err *err)
{
    const char *cur = NULL;
    int cur_fac = 0, cur_started = 0, cur_opened = 0;
    if (park_township(c, "warehouse", body, row, !id, err)) return -1;
    if (id) {
        pj_stmt *s = pj_db_prepare(
            c->db, "SELECT status, facility_id, started, opened FROM lg_warehouses WHERE id = ?",
            err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        if (rc == 1) {
            cur = pj_arena_strdup(c->arena, pj_col_text(s, 0));
            cur_fac = !pj_col_is_null(s, 1);
            cur_started = !pj_col_is_null(s, 2);
            cur_opened = !pj_col_is_null(s, 3);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    json_t *st = json_object_get(body, "status");
    const char *to = st ? json_string_value(st) : (cur ? cur : "planned");
    if (cur && !pj_lg_transition_ok(cur, to))
        return pj_fail(err, 409, "invalid_transition", "status",
                       "a warehouse goes planned → under_construction → operating; %s → %s is"
                       " not allowed",
                       cur, to);
    json_t *fac = json_object_get(body, "facility_id");
    int has_fac = fac ? !json_is_null(fac) : cur_fac;
    if (!strcmp(to, "operating") && !has_fac)
        return pj_fail(err, 422, "facility_required", "facility_id",
                       "an operating warehouse is a registry facility of type warehouse"
                       " (facility_id), the supply store of the dual-use module");
    /* its supply store is counted once */
    if (pj_rec_link_once(c, k, id, row, "facility_id", err)) return -1;
    char today[11];
    pj_rec_today(today);
    int r = rank_of(to), reaching = !cur || rank_of(cur) < r;
    /* the date rules bind what the change touches: a new warehouse, a change of status, a date
     * in the body. A stored date left as it is stays acceptable (operating warehouses from
     * before these rules have no `opened`, and a rename must not fail on it). */
    int restatus = !cur || strcmp(cur, to),
        t_started = restatus || json_object_get(body, "started") != NULL,
        t_opened = restatus || json_object_get(body, "opened") != NULL;
    if (r == 0) {
        const char *bad = t_started && date_of(row, "started") ? "started"
                          : t_opened && date_of(row, "opened") ? "opened"
                                                               : NULL;
        if (bad)
            return pj_fail(err, 422, "invalid_value", bad, "a planned warehouse has not started");
    } else if (t_started && pj_rec_date_happened(body, row, "started", reaching, cur_started, today,
                                                 "warehouse", "has started construction", err)) {
        return -1;
    }
    if (r == 1 && t_opened && date_of(row, "opened"))
        return pj_fail(err, 422, "invalid_value", "opened",
                       "a warehouse under construction has not opened");
    if (r == 2 && (t_started || t_opened)) {
        if (t_opened && pj_rec_date_happened(body, row, "opened", reaching, cur_opened, today,
                                             "warehouse", "is operating", err))
            return -1;
        /* the dates as they will be written, the defaults above included */
        const char *sd = date_of(body, "started") ? date_of(body, "started")
                                                  : date_of(row, "started"),
                   *od = date_of(body, "opened") ? date_of(body, "opened") : date_of(row, "opened");
        if (od && sd && strcmp(od, sd) < 0)
            return pj_fail(err, 422, "invalid_value", "opened",
                           "opened %s is before started %s: a warehouse opens once construction"
                           " has started",
                           od, sd);
    }
    /* its tenancies begin once it has opened: an opened date moved after one is a conflict */
    const char *od = date_of(body, "opened");
    if (id && od) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT id, since FROM lg_tenants WHERE warehouse_id = ? AND"
                                   " (since IS NULL OR since < ?) ORDER BY since, id LIMIT 1",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_stmt_text(s, 2, od);
        int rc = pj_stmt_step(s, err);
        if (rc == 1) {
            int64_t tid = pj_col_int(s, 0);
            char since[11];
            snprintf(since, sizeof since, "%s",
                     pj_col_is_null(s, 1) ? "(no date)" : pj_col_text(s, 1));
            pj_stmt_done(s);
            return pj_fail(err, 409, "date_conflict", "opened",
                           "tenancy %lld is let from %s: the warehouse opened on or before that"
                           " day (not %s)",
                           (long long)tid, since, od);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    /* a smaller area still holds the tenancies let in it at one time */
    if (id && json_object_get(body, "area_m2")) {
        double area = json_number_value(json_object_get(row, "area_m2")), peak;
        if (let_peak(c, id, 0, LG_DAY_FIRST, LG_DAY_LAST, &peak, err)) return -1;
        if (peak > area + 1e-6) {
            char a[32], p[32];
            pj_fmt_double(a, sizeof a, area);
            pj_fmt_double(p, sizeof p, peak);
            return pj_fail(err, 422, "out_of_range", "area_m2",
                           "tenancies in force at one time let %s m² of this warehouse, more than"
                           " %s m²",
                           p, a);
        }
    }
    return 0;
}

static const pj_rec_field warehouse_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_REF("park_id", F, REF_PARK),
    PJ_F_REF("organisation_id", F, PJ_REF_ORG),
    PJ_F_REF("facility_id", 0, REF_WH_FACILITY),
    PJ_F_REF("township_id", F, PJ_REF_TOWNSHIP),
    PJ_F_NUM("area_m2", RQ, 1, 1e8),
    PJ_F_ENUM("status", F, pj_lg_statuses),
    PJ_F_ENUM("automation", F, automation_levels),
    PJ_F_BOOL("cold_chain", F),
    PJ_F_DATE("started", PJ_RF_NULL),
    PJ_F_DATE("opened", PJ_RF_NULL),
};
static const pj_rec_extra warehouse_extras[] = {
    /* the tenancies in force today, as the KPIs count them (not those ended or to come) */
    {"tenants",
     "SELECT COUNT(*) FROM lg_tenants n WHERE n.warehouse_id = t.id AND (n.since IS NULL OR"
     " n.since <= " PJ_REC_TODAY_SQL ") AND (n.until IS NULL OR n.until >= " PJ_REC_TODAY_SQL ")",
     PJ_RT_INT},
    {"supply_store_m3",
     "SELECT SUM(r.capacity) FROM facility_roles r WHERE r.facility_id = t.facility_id AND"
     " r.role = 'supply_store' AND r.unit = 'm3'",
     PJ_RT_NUM},
    {"supply_store_t",
     "SELECT SUM(r.capacity) FROM facility_roles r WHERE r.facility_id = t.facility_id AND"
     " r.role = 'supply_store' AND r.unit = 't'",
     PJ_RT_NUM},
    PJ_X_NAME("park", "SELECT p.name FROM lg_parks p WHERE p.id = t.park_id"),
    PJ_X_ORG,
    PJ_X_TOWN,
    PJ_X_FACIL,
};
const pj_rec_kind pj_lg_warehouses = {.name = "lg_warehouse",
                                      .noun = "warehouse",
                                      .table = "lg_warehouses",
                                      .fields = warehouse_fields,
                                      .nfields = PJ_N(warehouse_fields),
                                      .extras = warehouse_extras,
                                      .nextras = PJ_N(warehouse_extras),
                                      .org_sql = "t.organisation_id",
                                      .town_sql = "t.township_id",
                                      .enterprise_writes = 1,
                                      .deletable = 1,
                                      .check = warehouse_check};

/* ---- tenants ---- */

static int dates_ordered(const json_t *row, const char *a, const char *b, pj_err *err)
{
    json_t *x = json_object_get(row, a), *y = json_object_get(row, b);
    if (json_is_string(x) && json_is_string(y) &&
        strcmp(json_string_value(y), json_string_value(x)) < 0)
        return pj_fail(err, 422, "invalid_value", b, "%s is before %s", b, a);
    return 0;
}

/* The tenancies in force on any one day let no more than the warehouse's area. */
static int tenant_fits(pj_ctx *c, int64_t id, const json_t *row, pj_err *err)
{
    json_t *wh = json_object_get(row, "warehouse_id");
    double area = json_number_value(json_object_get(row, "area_m2")), size = 0, peak;
    if (!json_is_integer(wh) || !(area > 0)) return 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT area_m2 FROM lg_warehouses WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(wh));
    int rc = pj_stmt_step(s, err);
    if (rc == 1) size = pj_col_double(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    const char *from = date_of(row, "since"), *to = date_of(row, "until");
    if (let_peak(c, json_integer_value(wh), id, from ? from : LG_DAY_FIRST, to ? to : LG_DAY_LAST,
                 &peak, err))
        return -1;
    if (peak + area > size + 1e-6) {
        char a[32], z[32], p[32], l[32];
        pj_fmt_double(a, sizeof a, area);
        pj_fmt_double(z, sizeof z, size);
        pj_fmt_double(p, sizeof p, peak);
        pj_fmt_double(l, sizeof l, peak < size ? size - peak : 0);
        return pj_fail(err, 422, "out_of_range", "area_m2",
                       "%s m² is more than the warehouse has left: of its %s m², tenancies in"
                       " force at the same time let %s m² (%s m² left)",
                       a, z, p, l);
    }
    return 0;
}

/* A tenancy is in force in a built warehouse only: in an operating warehouse it begins on or
 * after `opened` (a tenancy given no `since` begins then); in one planned or under construction
 * it is let ahead, beginning on a day to come (`since` after today), and a warehouse that opens
 * later than that is refused when it opens (409 date_conflict at opened). Else 422 at since
 * (missing_field when it is left out or cleared, invalid_value when too early). An operating
 * warehouse recorded without `opened` (before the date rules) checks nothing. Checked on a new
 * tenancy and a change of since. */
static int tenant_opened(pj_ctx *c, int64_t id, json_t *body, const json_t *row, pj_err *err)
{
    json_t *wh = json_object_get(row, "warehouse_id");
    if (!json_is_integer(wh) || (id && !json_object_get(body, "since"))) return 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT status, opened FROM lg_warehouses WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(wh));
    int rc = pj_stmt_step(s, err);
    char status[32] = "", opened[11] = "";
    if (rc == 1) {
        snprintf(status, sizeof status, "%s", pj_col_text(s, 0));
        if (!pj_col_is_null(s, 1)) snprintf(opened, sizeof opened, "%s", pj_col_text(s, 1));
    }
    pj_stmt_done(s);
    if (rc != 1) return rc < 0 ? -1 : 0;
    const char *since = date_of(row, "since");
    if (strcmp(status, "operating")) {
        char today[11];
        pj_rec_today(today);
        if (!since)
            return pj_fail(err, 422, "missing_field", "since",
                           "warehouse %lld is %s: a tenancy in it is let ahead, from a day to come"
                           " (since)",
                           (long long)json_integer_value(wh), status);
        if (strcmp(since, today) <= 0)
            return pj_fail(err, 422, "invalid_value", "since",
                           "warehouse %lld is %s: a tenancy in it begins on a day to come, not %s"
                           " (today is %s, Beijing time)",
                           (long long)json_integer_value(wh), status, since, today);
        return 0;
    }
    if (!*opened) return 0;
    if (!since) {
        if (id)
            return pj_fail(err, 422, "missing_field", "since",
                           "a tenancy begins on a day, not before the warehouse opened (%s)",
                           opened);
        json_object_set_new(body, "since", json_string(opened));
        return 0;
    }
    if (strcmp(since, opened) < 0)
        return pj_fail(err, 422, "invalid_value", "since",
                       "since %s is before the warehouse opened (%s)", since, opened);
    return 0;
}

/* 1 when warehouse wh is the enterprise caller's organisation's, 0 when not, -1 on error. */
static int own_warehouse(pj_ctx *c, int64_t wh, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT 1 FROM lg_warehouses WHERE id = ? AND organisation_id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, wh);
    pj_stmt_int(s, 2, c->actor.organisation_id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc;
}

/* An enterprise changes or deletes a tenancy only in a warehouse of its own, as it creates one:
 * the tenant firm of another's warehouse changed its area and dates and deleted it. */
static int tenant_owner_only(pj_ctx *c, int64_t id, pj_err *err)
{
    if (c->actor.role != PJ_ROLE_ENTERPRISE) return 0;
    int64_t wh = 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT warehouse_id FROM lg_tenants WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) wh = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0 || (rc = own_warehouse(c, wh, err)) < 0) return -1;
    return rc ? 0
              : pj_fail(err, 403, "forbidden", "warehouse_id",
                        "the tenancy is in another organisation's warehouse: its operator or the"
                        " district changes it");
}

static int tenant_del_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err)
{
    (void)k;
    return tenant_owner_only(c, id, err);
}

/* An enterprise records tenancies only in warehouses it may see (its organisation's); another
 * one's is as unknown as a missing id, so ids do not leak. */
static int tenant_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                        const json_t *row, pj_err *err)
{
    (void)k;
    json_t *wh = json_object_get(row, "warehouse_id");
    if (id && tenant_owner_only(c, id, err)) return -1;
    if (!id && c->actor.role == PJ_ROLE_ENTERPRISE && json_is_integer(wh)) {
        int rc = own_warehouse(c, json_integer_value(wh), err);
        if (rc < 0) return -1;
        if (!rc)
            return pj_fail(err, 422, "unknown_id", "warehouse_id", "no warehouse_id %lld",
                           (long long)json_integer_value(wh));
    }
    /* on create row is body: a since taken from the opening is seen by the checks after */
    return tenant_opened(c, id, body, row, err) || dates_ordered(row, "since", "until", err) ||
                   tenant_fits(c, id, row, err)
               ? -1
               : 0;
}

static const pj_rec_field tenant_fields[] = {
    PJ_F_REF("warehouse_id", RQ | F | PJ_RF_FIXED, REF_WAREHOUSE),
    PJ_F_REF("organisation_id", RQ | F | PJ_RF_FIXED, PJ_REF_ORG),
    PJ_F_NUM("area_m2", 0, 0, 1e8),
    PJ_F_DATE("since", PJ_RF_NULL),
    PJ_F_DATE("until", PJ_RF_NULL),
};
static const pj_rec_extra tenant_extras[] = {
    {"organisation", "SELECT o.name FROM organisations o WHERE o.id = t.organisation_id",
     PJ_RT_TEXT},
    {"warehouse", "SELECT h.name FROM lg_warehouses h WHERE h.id = t.warehouse_id", PJ_RT_TEXT},
};
const pj_rec_kind pj_lg_tenants = {
    .name = "lg_tenant",
    .noun = "tenancy",
    .table = "lg_tenants",
    .fields = tenant_fields,
    .nfields = PJ_N(tenant_fields),
    .extras = tenant_extras,
    .nextras = PJ_N(tenant_extras),
    .org_sql = "t.organisation_id",
    .town_sql = "SELECT h.township_id FROM lg_warehouses h WHERE h.id = t.warehouse_id",
    .seen_sql = "SELECT h.organisation_id FROM lg_warehouses h WHERE h.id = t.warehouse_id",
    .enterprise_writes = 1,
    .deletable = 1,
    .check = tenant_check,
    .del_check = tenant_del_check};

/* ---- monthly freight ---- */

/* 1 when the row id of sql (its township) lies in the township officer's township, 0 when
 * not (none, or no such row), -1 with err. */
static int officers_own(pj_ctx *c, const char *sql, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return c->actor.township_id && town == c->actor.township_id;
}

static int freight_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                         const json_t *row, pj_err *err)
{
    (void)k;
    json_t *m = json_object_get(row, "month"), *o = json_object_get(row, "organisation_id"),
           *md = json_object_get(row, "mode");
    char today[11];
    pj_rec_today(today);
    today[7] = 0;
    /* the running month is not over: its freight is not known yet (nor a later month's) */
    if (json_is_string(m) && strcmp(json_string_value(m), today) >= 0)
        return pj_fail(err, 422, "invalid_value", "month",
                       "freight is recorded after the month: %s is not over (today is %s,"
                       " Beijing time)",
                       json_string_value(m), today);
    if (json_is_string(m) && strcmp(json_string_value(m), PJ_LG_FREIGHT_FIRST_MONTH) < 0)
        return pj_fail(err, 422, "invalid_value", "month",
                       "month %s is before %s: freight is recorded from " PJ_LG_FREIGHT_FIRST_MONTH
                       " on",
                       json_string_value(m), PJ_LG_FREIGHT_FIRST_MONTH);
    /* a township officer records a park's freight as a whole (no organisation) for the parks
     * of its township; without a park or an organisation the record is nobody's */
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && !json_is_integer(o)) {
        json_t *p = json_object_get(row, "park_id");
        if (!json_is_integer(p))
            return pj_fail(err, 422, "missing_field", "organisation_id",
                           "name an organisation of your township, or a park of it for the"
                           " park's freight as a whole");
        int own = officers_own(c, "SELECT township_id FROM lg_parks WHERE id = ?",
                               json_integer_value(p), err);
        if (own < 0) return -1;
        if (!own)
            return pj_fail(err, 403, "forbidden", "park_id",
                           "a township officer records a park's freight as a whole only for the"
                           " parks of its township; park %lld is not; name the organisation"
                           " whose freight it is",
                           (long long)json_integer_value(p));
    }
    if (!json_is_integer(o) || !json_is_string(m)) return 0;
    int64_t org = json_integer_value(o);
    /* a township officer records the freight of its township's organisations, at whichever
     * park (the park being its township's says nothing of whose freight it is) */
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER) {
        int own = officers_own(c, "SELECT township_id FROM organisations WHERE id = ?", org, err);
        if (own < 0) return -1;
        if (!own)
            return pj_fail(err, 403, "forbidden", "organisation_id",
                           "a township officer records freight only for organisations of its"
                           " township; organisation %lld is not",
                           (long long)org);
    }
    /* an organisation's freight of a month and mode is recorded once, whichever park it names:
     * counted twice it would double its own and the district's tonnes for one reporter */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT f.id, COALESCE(p.name, '') FROM lg_freight f LEFT JOIN"
                               " lg_parks p ON p.id = f.park_id WHERE f.organisation_id = ? AND"
                               " f.month = ? AND f.mode = ? AND f.id <> ? ORDER BY f.id LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org);
    pj_stmt_text(s, 2, json_string_value(m));
    pj_stmt_text(s, 3, json_is_string(md) ? json_string_value(md) : "road");
    pj_stmt_int(s, 4, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        int64_t other = pj_col_int(s, 0);
        const char *park = pj_col_text(s, 1);
        rc = pj_fail(err, 409, "conflict", "organisation_id",
                     "organisation %lld's %s freight of %s is recorded already: freight record"
                     " %lld%s%s%s; correct that record instead",
                     (long long)org, json_is_string(md) ? json_string_value(md) : "road",
                     json_string_value(m), (long long)other, *park ? " (park " : "", park,
                     *park ? ")" : "");
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static const pj_rec_field freight_fields[] = {
    PJ_F_REF("park_id", F | PJ_RF_FIXED, REF_PARK),
    PJ_F_REF("organisation_id", F | PJ_RF_FIXED, PJ_REF_ORG),
    PJ_F_MONTH("month", RQ | F | PJ_RF_FIXED),
    PJ_F_ENUM("mode", F | PJ_RF_FIXED, freight_modes),
    PJ_F_INT("tonnes", RQ, 0, 1e10),
};
static const pj_rec_extra freight_extras[] = {
    PJ_X_NAME("park", "SELECT p.name FROM lg_parks p WHERE p.id = t.park_id"), PJ_X_ORG};
const pj_rec_kind pj_lg_freight = {
    .name = "lg_freight",
    .noun = "freight record",
    .table = "lg_freight",
    .fields = freight_fields,
    .nfields = PJ_N(freight_fields),
    .extras = freight_extras,
    .nextras = PJ_N(freight_extras),
    .org_sql = "t.organisation_id",
    /* whose freight it is: the organisation's township, else (a park's freight as a whole)
     * the park's; a firm of one township may ship through another's park */
    .town_sql = "SELECT COALESCE((SELECT o.township_id FROM organisations o WHERE o.id ="
                " t.organisation_id), (SELECT p.township_id FROM lg_parks p WHERE p.id ="
                " t.park_id))",
    .range = "month",
    .enterprise_writes = 1,
    .deletable = 1,
    .check = freight_check};

/* ---- land parcels ---- */

static int parcel_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                        const json_t *row, pj_err *err)
{
    (void)k;
    if (park_township(c, "land parcel", body, row, !id, err)) return -1;
    double area = json_number_value(json_object_get(row, "area_mu")),
           before = json_number_value(json_object_get(row, "transferable_before_mu")),
           after = json_number_value(json_object_get(row, "transferable_after_mu"));
    if (before > area)
        return pj_fail(err, 422, "out_of_range", "transferable_before_mu",
                       "more transferable land than the parcel's area");
    if (after > area)
        return pj_fail(err, 422, "out_of_range", "transferable_after_mu",
                       "more transferable land than the parcel's area");
    return 0;
}

/* columns 1..n are the fields in order: area 4, before 5, after 6, price 7 */
static void parcel_more(pj_stmt *s, pj_jw *w)
{
    pj_lg_transfer t;
    if (pj_lg_transfer_calc(pj_col_double(s, 4), pj_col_double(s, 5), pj_col_double(s, 6),
                            pj_col_int(s, 7), &t))
        return;
    pj_jw_knum(w, "rate_before_pct", t.rate_before_pct);
    pj_jw_knum(w, "rate_after_pct", t.rate_after_pct);
    pj_jw_knum(w, "points", t.points);
    pj_jw_knum(w, "added_mu", t.added_mu);
    pj_jw_kint(w, "added_revenue_fen", t.added_revenue_fen);
}

static const pj_rec_field parcel_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_REF("park_id", F, REF_PARK),
    PJ_F_REF("township_id", F, PJ_REF_TOWNSHIP),
    /* ranges keep the added revenue (≤ 10^6 mu × 10^9 fen) well inside 64 bits */
    PJ_F_NUM("area_mu", RQ, 0.01, PJ_LG_MAX_MU),
    PJ_F_NUM("transferable_before_mu", RQ, 0, PJ_LG_MAX_MU),
    PJ_F_NUM("transferable_after_mu", RQ, 0, PJ_LG_MAX_MU),
    PJ_F_INT("price_fen_per_mu", 0, 0, PJ_LG_MAX_PRICE_FEN),
    PJ_F_DATE("consolidated", PJ_RF_NULL),
};
static const pj_rec_extra parcel_extras[] = {
    PJ_X_NAME("park", "SELECT p.name FROM lg_parks p WHERE p.id = t.park_id"), PJ_X_TOWN};
const pj_rec_kind pj_lg_parcels = {.name = "lg_parcel",
                                   .noun = "parcel",
                                   .table = "lg_parcels",
                                   .fields = parcel_fields,
                                   .nfields = PJ_N(parcel_fields),
                                   .extras = parcel_extras,
                                   .nextras = PJ_N(parcel_extras),
                                   .org_sql = "NULL", /* the district's land: no enterprise */
                                   .town_sql = "t.township_id",
                                   .deletable = 1,
                                   .check = parcel_check,
                                   .more = parcel_more};

/* ---- freight train services ---- */

/* A service moves as a warehouse does, one step forward — planned → operating → suspended — and
 * a suspended one may run again (→ operating); else 409 invalid_transition. Its `started` date
 * follows the state, as a warehouse's: none while planned; operating (and suspended after it) it
 * has started, not in the future (today when reaching operating without one), not cleared.
 * Checked on a new service, a change of state, a `started` in the body. */
static int train_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, const json_t *row,
                       pj_err *err)
{
    const char *cur;
    int cur_started;
    if (pj_rec_stored_state(c, k, id, "started", &cur, &cur_started, err)) return -1;
    const char *to = json_string_value(json_object_get(row, "state"));
    if (!to) to = cur ? cur : "planned";
    if (cur && !pj_rec_state_step_ok(train_states, cur, to) &&
        !(!strcmp(cur, "suspended") && !strcmp(to, "operating")))
        return pj_fail(err, 409, "invalid_transition", "state",
                       "a train service goes planned → operating → suspended (and runs again);"
                       " %s → %s is not allowed",
                       cur, to);
    int restate = !cur || strcmp(cur, to);
    if (!restate && !json_object_get(body, "started")) return 0;
    if (!strcmp(to, "planned")) {
        if (date_of(row, "started"))
            return pj_fail(err, 422, "invalid_value", "started",
                           "a planned train service has not started");
        return 0;
    }
    char today[11];
    pj_rec_today(today);
    return pj_rec_date_happened(body, row, "started", restate && !strcmp(to, "operating"),
                                cur_started, today, "train service", "has run", err);
}

static const pj_rec_field train_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 100),       PJ_F_ENUM("kind", RQ | F, train_kinds),
    PJ_F_REF("park_id", F, REF_PARK),    PJ_F_TEXT("origin", 0, 0, 64),
    PJ_F_TEXT("destination", 0, 0, 64),  PJ_F_NUM("trains_per_week", 0, 0, 1000),
    PJ_F_ENUM("state", F, train_states), PJ_F_DATE("started", PJ_RF_NULL),
};
static const pj_rec_extra train_extras[] = {
    PJ_X_NAME("park", "SELECT p.name FROM lg_parks p WHERE p.id = t.park_id")};
const pj_rec_kind pj_lg_trains = {.name = "lg_train",
                                  .noun = "train service",
                                  .table = "lg_trains",
                                  .fields = train_fields,
                                  .nfields = PJ_N(train_fields),
                                  .extras = train_extras,
                                  .nextras = PJ_N(train_extras),
                                  .town_sql =
                                      "SELECT p.township_id FROM lg_parks p WHERE p.id = t.park_id",
                                  .deletable = 1,
                                  .check = train_check};

const pj_rec_named pj_lg_kinds[] = {{"parks", &pj_lg_parks},
                                    {"warehouses", &pj_lg_warehouses},
                                    {"tenants", &pj_lg_tenants},
                                    {"freight", &pj_lg_freight},
                                    {"parcels", &pj_lg_parcels},
                                    {"trains", &pj_lg_trains},
                                    {NULL, NULL}};

/* ---- KPIs ---- */

/* The district's latest target of an indicator (the indicators module holds targets) of a
 * period of `months` (0: any): a figure of 12 months against a quarter's target would read 4
 * times as far along. */
static int target(pj_ctx *c, pj_jw *w, const char *code, int months, double scale, double *out,
                  pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT t.value, t.period, t.source, t.note, i.unit FROM"
        " indicator_targets t JOIN indicators i ON i.id = t.indicator_id"
        " WHERE i.code = ? AND t.region = ? AND (? = 0 OR"
        " " PJ_IND_PERIOD_MONTHS("t.period") " = ?) ORDER BY"
                                             " " PJ_IND_LATEST_FIRST("t.period") " LIMIT 1",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, PJ_IND_DISTRICT);
    pj_stmt_int(s, 3, months);
    pj_stmt_int(s, 4, months);
    int rc = pj_stmt_step(s, err);
    pj_jw_key(w, "target");
    *out = 0;
    if (rc == 1) {
        *out = pj_col_double(s, 0) * scale;
        pj_jw_obj(w);
        pj_jw_kstr(w, "indicator", code);
        pj_jw_knum(w, "value", *out);
        pj_jw_kstr(w, "period", pj_col_text(s, 1));
        pj_jw_kstr(w, "source", pj_col_text(s, 2));
        pj_jw_kstr(w, "note", pj_col_text(s, 3));
        pj_jw_obj_end(w);
    } else {
        pj_jw_null(w);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static void pct(pj_jw *w, const char *key, double part, double whole)
{
    if (whole > 0)
        pj_jw_knum(w, key, round2(100.0 * part / whole));
    else
        pj_jw_knull(w, key);
}

/* The KPIs' scope: every record (org 0), or an enterprise caller's organisation's. Its condition
 * on a table's organisation_id, two parameters bound by org_bind. */
#define ORG_SQL(col) " (? = 0 OR " col " = ?)"

static void org_bind(pj_stmt *s, int first, int64_t org)
{
    pj_stmt_int(s, first, org);
    pj_stmt_int(s, first + 1, org);
}

/* sql: the grouping with the ORG_SQL condition as its parameters 1 and 2 */
static int counts_by(pj_ctx *c, pj_jw *w, const char *key, const char *sql, int64_t org,
                     pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    org_bind(s, 1, org);
    pj_jw_key(w, key);
    pj_jw_obj(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) pj_jw_knum(w, pj_col_text(s, 0), pj_col_double(s, 1));
    pj_stmt_done(s);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

static int warehouse_area(pj_ctx *c, int64_t org, double area[3], int64_t count[3], pj_err *err)
{
    for (int i = 0; i < 3; i++) area[i] = 0, count[i] = 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT status, COALESCE(SUM(area_m2), 0), COUNT(*) FROM"
                               " lg_warehouses WHERE" ORG_SQL("organisation_id") " GROUP BY status",
                               err);
    if (!s) return -1;
    org_bind(s, 1, org);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int r = rank_of(pj_col_text(s, 0));
        if (r >= 0) area[r] = pj_col_double(s, 1), count[r] = pj_col_int(s, 2);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_lg_warehouse_area(pj_ctx *c, double area[3], int64_t count[3], pj_err *err)
{
    return warehouse_area(c, 0, area, count, err);
}

static int kpi_warehouses(pj_ctx *c, int64_t org, pj_jw *w, pj_err *err)
{
    double area[3];
    int64_t nwh[3];
    pj_stmt *s;
    int rc;
    if (warehouse_area(c, org, area, nwh, err)) return -1;
    pj_jw_key(w, "warehouses");
    pj_jw_obj(w);
    if (counts_by(c, w, "count",
                  "SELECT status, COUNT(*) FROM lg_warehouses WHERE" ORG_SQL(
                      "organisation_id") " GROUP BY status ORDER BY status",
                  org, err))
        return -1;
    pj_jw_key(w, "area_m2");
    pj_jw_obj(w);
    for (int i = 0; i < 3; i++) pj_jw_knum(w, pj_lg_statuses[i], area[i]);
    pj_jw_obj_end(w);
    double started = area[1] + area[2], total = area[0] + area[1] + area[2], plan;
    pj_jw_knum(w, "started_m2", started);
    pj_jw_knum(w, "total_m2", total);
    pct(w, "started_share_pct", started, total);
    if (target(c, w, "warehouse_area_started", 0, 1.0, &plan, err)) return -1;
    pct(w, "started_of_plan_pct", started, plan);
    pct(w, "total_of_plan_pct", total, plan);
    if (counts_by(c, w, "by_automation",
                  "SELECT automation, COUNT(*) FROM lg_warehouses WHERE" ORG_SQL(
                      "organisation_id") " GROUP BY automation ORDER BY automation",
                  org, err))
        return -1;
    /* each supply store once, however many records link it */
    s = pj_db_prepare(c->db,
                      "SELECT COUNT(DISTINCT r.facility_id), COALESCE(SUM(CASE WHEN r.unit = 'm3'"
                      " THEN r.capacity END), 0), COALESCE(SUM(CASE WHEN r.unit = 't' THEN"
                      " r.capacity END), 0) FROM facility_roles r WHERE r.role = 'supply_store'"
                      " AND r.facility_id IN (SELECT h.facility_id FROM lg_warehouses h WHERE"
                      " h.status = 'operating' AND" ORG_SQL("h.organisation_id") ")",
                      err);
    if (!s) return -1;
    org_bind(s, 1, org);
    rc = pj_stmt_step(s, err);
    pj_jw_key(w, "supply_store");
    pj_jw_obj(w);
    if (rc == 1) {
        pj_jw_kint(w, "warehouses", pj_col_int(s, 0));
        pj_jw_knum(w, "m3", pj_col_double(s, 1));
        pj_jw_knum(w, "t", pj_col_double(s, 2));
    }
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_obj_end(w);
    return 0;
}

/* Who reported freight for a month: the organisation (a tenant, whichever park it names), else
 * the park (its freight as a whole). */
typedef struct fr_row {
    char month[8];
    int64_t park, org;
} fr_row;

static int fr_has(const fr_row *r, int from, int to, const fr_row *x)
{
    for (int i = from; i < to; i++)
        if (r[i].park == x->park && r[i].org == x->org) return 1;
    return 0;
}

/* The reporters of months [mfirst..mlast) (indices into starts) not yet counted once: *expected
 * of them, *reported of those who reported month `m` too. */
static void fr_expect(const fr_row *r, const int *starts, int mfirst, int mlast, int m,
                      int *expected, int *reported)
{
    *expected = *reported = 0;
    for (int k = mfirst; k < mlast; k++)
        for (int i = starts[k]; i < starts[k + 1]; i++) {
            if (fr_has(r, starts[mfirst], i, &r[i])) continue; /* seen in an earlier row */
            (*expected)++;
            *reported += fr_has(r, starts[m], starts[m + 1], &r[i]);
        }
}

#define FR_LOOKBACK 3 /* recorded months whose reporters a month waits for */

/* Month m (an index into starts, at or before `latest`, the latest complete month) is whole
 * when every reporter of the latest month that had reported by m reported m too: a month a
 * firm has not filed yet, while later months are complete, is not a month recorded. */
static int fr_whole(const fr_row *r, const int *starts, int latest, int m)
{
    for (int i = starts[latest]; i < starts[latest + 1]; i++)
        if (fr_has(r, 0, starts[m + 1], &r[i]) && !fr_has(r, starts[m], starts[m + 1], &r[i]))
            return 0;
    return 1;
}

/* The window over the records of organisation org (0: every record, the district's). */
static int freight_window(pj_ctx *c, int64_t org, pj_lg_freight_win *out, pj_err *err)
{
    memset(out, 0, sizeof *out);
    char today[11];
    pj_rec_today(today);
    today[7] = 0;
    /* who reported which month, the months before the running one */
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT DISTINCT month, CASE WHEN organisation_id IS NULL THEN"
        " COALESCE(park_id, 0) ELSE 0 END, COALESCE(organisation_id, 0)"
        " FROM lg_freight WHERE month < ? AND" ORG_SQL("organisation_id") " ORDER BY month, 2, 3",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, today);
    org_bind(s, 2, org);
    fr_row *r = NULL;
    int *starts = NULL, n = 0, cap = 0, nm = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            fr_row *g = realloc(r, (size_t)cap * sizeof *r);
            if (!g) {
                rc = pj_fail(err, 500, "internal", "", "out of memory");
                break;
            }
            r = g;
        }
        snprintf(r[n].month, sizeof r[n].month, "%s", pj_col_text(s, 0));
        r[n].park = pj_col_int(s, 1);
        r[n].org = pj_col_int(s, 2);
        n++;
    }
    pj_stmt_done(s);
    if (rc < 0) goto done;
    starts = malloc(((size_t)n + 2) * sizeof *starts);
    if (!starts) {
        rc = pj_fail(err, 500, "internal", "", "out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++)
        if (!i || strcmp(r[i].month, r[i - 1].month)) starts[nm++] = i;
    starts[nm] = n;
    /* the latest complete month: every reporter of the FR_LOOKBACK recorded months before it
     * reported it too (the first month recorded is complete) */
    int latest = -1;
    for (int m = nm - 1; m >= 0 && latest < 0; m--) {
        int e, got;
        fr_expect(r, starts, m > FR_LOOKBACK ? m - FR_LOOKBACK : 0, m, m, &e, &got);
        if (got == e) latest = m;
    }
    rc = 0;
    if (latest < 0) goto done;
    snprintf(out->latest, sizeof out->latest, "%s", r[starts[latest]].month);
    out->reporters = starts[latest + 1] - starts[latest];
    if (latest + 1 < nm) { /* the next month, waiting for reporters */
        int m = latest + 1;
        snprintf(out->pending, sizeof out->pending, "%s", r[starts[m]].month);
        fr_expect(r, starts, m > FR_LOOKBACK ? m - FR_LOOKBACK : 0, m, m, &out->pending_expected,
                  &out->pending_reported);
        out->pending_reporters = starts[m + 1] - starts[m];
    }
    out->pending_months = nm - 1 - latest;
    const char *L = out->latest; /* "YYYY-MM", checked when written */
    int y = (L[0] - '0') * 1000 + (L[1] - '0') * 100 + (L[2] - '0') * 10 + (L[3] - '0'),
        mo = (L[5] - '0') * 10 + (L[6] - '0');
    snprintf(out->first, sizeof out->first, "%04d-%02d", mo == 12 ? y : y - 1,
             mo == 12 ? 1 : mo + 1);
    out->year = y;
    /* the months counted: whole ones only (fr_whole), as the latest is complete — a month
     * before it still waiting for its reporters (one park's 0 t filed, five firms' not)
     * counted as a month recorded and halved the year's rate */
    s = pj_db_prepare(c->db,
                      "SELECT month, SUM(tonnes) FROM lg_freight WHERE month >= ? AND month <= ?"
                      " AND" ORG_SQL("organisation_id") " GROUP BY month ORDER BY month",
                      err);
    if (!s) {
        rc = -1;
        goto done;
    }
    pj_stmt_text(s, 1, out->first);
    pj_stmt_text(s, 2, out->latest);
    org_bind(s, 3, org);
    char ystr[16];
    snprintf(ystr, sizeof ystr, "%04d-", y);
    int m = 0;
    size_t sk = (size_t)snprintf(out->skipped, sizeof out->skipped, "[");
    while ((rc = pj_stmt_step(s, err)) == 1) {
        const char *month = pj_col_text(s, 0);
        double t = pj_col_double(s, 1);
        while (m <= latest && strcmp(r[starts[m]].month, month) < 0) m++;
        if (m > latest || strcmp(r[starts[m]].month, month)) continue; /* none of the rows */
        if (!fr_whole(r, starts, latest, m)) { /* still waiting for its reporters */
            if (sk + 12 < sizeof out->skipped)
                sk += (size_t)snprintf(out->skipped + sk, sizeof out->skipped - sk, "%s\"%.7s\"",
                                       sk > 1 ? "," : "", month);
            continue;
        }
        out->last12_t += t, out->months++;
        if (!strncmp(month, ystr, 5)) out->year_t += t, out->year_months++;
    }
    pj_stmt_done(s);
    snprintf(out->skipped + sk, sizeof out->skipped - sk, "]");
    rc = rc < 0 ? -1 : 0;
    /* a year's rate from the months recorded in the last 12 */
    out->annual_t = out->months ? round(out->last12_t * 12.0 / (double)out->months) : 0;
done:
    free(r);
    free(starts);
    return rc;
}

int pj_lg_freight_window(pj_ctx *c, pj_lg_freight_win *out, pj_err *err)
{
    return freight_window(c, 0, out, err);
}

static int kpi_freight(pj_ctx *c, int64_t org, pj_jw *w, pj_err *err)
{
    pj_lg_freight_win fw;
    if (freight_window(c, org, &fw, err)) return -1;
    pj_jw_key(w, "freight");
    pj_jw_obj(w);
    double target_t;
    int rc;
    if (*fw.latest) {
        pj_jw_kstr(w, "latest_month", fw.latest);
        pj_jw_kstr(w, "window_from", fw.first);
        pj_jw_kint(w, "reporters", fw.reporters);
        pj_jw_kint(w, "year", fw.year);
        pj_jw_knum(w, "year_t", fw.year_t);
        pj_jw_kint(w, "year_months", fw.year_months);
        pj_jw_knum(w, "last_12_months_t", fw.last12_t);
        pj_jw_kint(w, "months_recorded", fw.months);
        pj_jw_knum(w, "annualised_t", fw.annual_t);
        /* the window month by month, for trend lines */
        pj_stmt *s = pj_db_prepare(
            c->db,
            "SELECT month, SUM(tonnes), COUNT(DISTINCT CASE WHEN"
            " organisation_id IS NULL THEN 'p' || COALESCE(park_id, 0) ELSE"
            " 'o' || organisation_id END) FROM lg_freight WHERE month >= ?"
            " AND month <= ? AND" ORG_SQL("organisation_id") " GROUP BY month ORDER BY month",
            err);
        if (!s) return -1;
        pj_stmt_text(s, 1, fw.first);
        pj_stmt_text(s, 2, fw.latest);
        org_bind(s, 3, org);
        pj_jw_key(w, "by_month");
        pj_jw_arr(w);
        while ((rc = pj_stmt_step(s, err)) == 1) {
            pj_jw_obj(w);
            pj_jw_kstr(w, "month", pj_col_text(s, 0));
            pj_jw_kint(w, "t", pj_col_int(s, 1));
            pj_jw_kint(w, "reporters", pj_col_int(s, 2));
            pj_jw_obj_end(w);
        }
        pj_stmt_done(s);
        pj_jw_arr_end(w);
        if (rc < 0) return -1;
    } else {
        pj_jw_knull(w, "latest_month");
    }
    /* months recorded after the window, not counted until their reporters are in */
    pj_jw_key(w, "pending");
    if (*fw.pending) {
        pj_jw_obj(w);
        pj_jw_kstr(w, "month", fw.pending);
        pj_jw_kint(w, "reporters", fw.pending_reporters);
        pj_jw_kint(w, "expected", fw.pending_expected);
        pj_jw_kint(w, "expected_reported", fw.pending_reported);
        pj_jw_kint(w, "months", fw.pending_months);
        pj_jw_obj_end(w);
    } else {
        pj_jw_null(w);
    }
    /* the target is in 万吨 (10^4 t), of a year as the annualised figure */
    if (target(c, w, "freight_volume", 12, 10000.0, &target_t, err)) return -1;
    pct(w, "progress_pct", fw.annual_t, target_t);
    /* by mode over the same window as the figures above (none before a month is complete) */
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT mode, SUM(tonnes) FROM lg_freight WHERE month >= ? AND"
                      " month <= ? AND month NOT IN (SELECT value FROM json_each(?)) AND" ORG_SQL(
                          "organisation_id") " GROUP BY mode ORDER BY mode",
                      err);
    if (!s) return -1;
    pj_stmt_text(s, 1, *fw.latest ? fw.first : "9999-99");
    pj_stmt_text(s, 2, fw.latest);
    pj_stmt_text(s, 3, *fw.skipped ? fw.skipped : "[]");
    org_bind(s, 4, org);
    pj_jw_key(w, "by_mode");
    pj_jw_obj(w);
    while ((rc = pj_stmt_step(s, err)) == 1) pj_jw_knum(w, pj_col_text(s, 0), pj_col_double(s, 1));
    pj_stmt_done(s);
    pj_jw_obj_end(w);
    if (rc < 0) return -1;
    pj_jw_obj_end(w);
    return 0;
}

static int kpi_parcels(pj_ctx *c, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT area_mu, transferable_before_mu, transferable_after_mu,"
                               " price_fen_per_mu FROM lg_parcels",
                               err);
    if (!s) return -1;
    double area = 0, before = 0, after = 0;
    int64_t revenue = 0, n = 0;
    int rc, overflow = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_lg_transfer t;
        n++;
        area += pj_col_double(s, 0);
        before += pj_col_double(s, 1);
        after += pj_col_double(s, 2);
        if (pj_col_double(s, 0) > 0 &&
            (pj_lg_transfer_calc(pj_col_double(s, 0), pj_col_double(s, 1), pj_col_double(s, 2),
                                 pj_col_int(s, 3), &t) ||
             __builtin_add_overflow(revenue, t.added_revenue_fen, &revenue)))
            overflow = 1;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_key(w, "parcels");
    pj_jw_obj(w);
    pj_jw_kint(w, "count", n);
    pj_jw_knum(w, "area_mu", round2(area));
    pj_lg_transfer t;
    if (!pj_lg_transfer_calc(area, before, after, 0, &t)) {
        pj_jw_knum(w, "rate_before_pct", t.rate_before_pct);
        pj_jw_knum(w, "rate_after_pct", t.rate_after_pct);
        pj_jw_knum(w, "points", t.points);
        pj_jw_knum(w, "added_mu", t.added_mu);
    }
    if (overflow) /* beyond 64-bit fen: no figure rather than a wrong one */
        pj_jw_knull(w, "added_revenue_fen");
    else
        pj_jw_kint(w, "added_revenue_fen", revenue);
    pj_jw_obj_end(w);
    return 0;
}

/* An enterprise user reads only its own organisation's warehouses, tenancies and freight, and no
 * land parcels: its KPIs are computed over those (scope "organisation"), without the parcels —
 * a district figure of a few firms or one parcel is those records. Every other role reads the
 * district's (scope "district"). */
static int kpi_body(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int64_t org = 0;
    if (c->actor.role == PJ_ROLE_ENTERPRISE)
        org = c->actor.organisation_id ? c->actor.organisation_id : -1;
    pj_jw_kstr(w, "scope", org ? "organisation" : "district");
    if (kpi_warehouses(c, org, w, err) || kpi_freight(c, org, w, err)) return -1;
    if (org)
        pj_jw_knull(w, "parcels");
    else if (kpi_parcels(c, w, err))
        return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT kind, COUNT(*), SUM(CASE WHEN state = 'operating' THEN 1"
                               " ELSE 0 END), SUM(CASE WHEN state = 'operating' THEN"
                               " trains_per_week ELSE 0 END) FROM lg_trains GROUP BY kind ORDER BY"
                               " kind",
                               err);
    if (!s) return -1;
    pj_jw_key(w, "trains");
    pj_jw_obj(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_key(w, pj_col_text(s, 0));
        pj_jw_obj(w);
        pj_jw_kint(w, "services", pj_col_int(s, 1));
        pj_jw_kint(w, "operating", pj_col_int(s, 2));
        pj_jw_knum(w, "trains_per_week", pj_col_double(s, 3));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_obj_end(w);
    if (rc < 0) return -1;
    /* the tenancies in force today (the district's date): for an organisation those it reads,
     * its own and those in its warehouses */
    char today[11];
    pj_rec_today(today);
    s = pj_db_prepare(
        c->db,
        "SELECT COUNT(*), COUNT(DISTINCT organisation_id), (SELECT COUNT(*) FROM"
        " lg_parks) FROM lg_tenants t WHERE (since IS NULL OR since <= ?) AND (until"
        " IS NULL OR until >= ?) AND (" ORG_SQL(
            "t.organisation_id") " OR"
                                 " t.warehouse_id IN (SELECT h.id FROM lg_warehouses h WHERE"
                                 " h.organisation_id = ?))",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, today);
    pj_stmt_text(s, 2, today);
    org_bind(s, 3, org);
    pj_stmt_int(s, 5, org);
    rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_jw_kint(w, "tenancies", pj_col_int(s, 0));
        pj_jw_kint(w, "tenant_organisations", pj_col_int(s, 1));
        pj_jw_kint(w, "parks", pj_col_int(s, 2));
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_lg_kpi(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    pj_jw_obj(w);
    int rc = kpi_body(c, w, err);
    pj_jw_obj_end(w);
    pj_db_read_end(c->db, started);
    return rc;
}
