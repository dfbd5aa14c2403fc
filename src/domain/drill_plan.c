/* Drill plans (演练计划): the drills a facility is due to hold, by scenario and date, so that a
 * conversion manual is rehearsed on a calendar rather than when someone remembers. A plan is
 * planned or cancelled; the drill started on its facility for its scenario is held under the
 * earliest plan still open (pj_drill_plan_link), which then shows the drill's state and verdict;
 * a drill aborted gives its plan back (pj_drill_plan_unlink), still due. Officers write plans
 * (district roles anywhere, a township officer in their township); every official reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/dualuse.h"
#include "domain/record.h"
#include "domain/rows.h"
#include "core/banned.h"

const char *const pj_drill_plan_states[] = {"planned", "cancelled", NULL};

/* the plan's standing: cancelled; held (its drill finished), running, overdue (its date passed
 * with no drill) or planned */
#define PLAN_STATUS_SQL                                                                            \
    "CASE WHEN t.state = 'cancelled' THEN 'cancelled' WHEN t.conversion_id IS NOT NULL THEN"       \
    " (SELECT CASE k.state WHEN 'finished' THEN 'held' ELSE 'running' END FROM conversions k"      \
    " WHERE k.id = t.conversion_id) WHEN t.planned_date < " PJ_REC_TODAY_SQL " THEN 'overdue'"     \
    " ELSE 'planned' END"

/* 409 when drill plan id is held by a drill (running or finished): kept as it is, the
 * calendar's record of the drill; 0 when open, -1 on a database error. */
static int plan_kept(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT conversion_id FROM drill_plans WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t held = rc == 1 && !pj_col_is_null(s, 0) ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (held)
        return pj_fail(err, 409, "conflict", "id",
                       "drill plan %lld is held by drill %lld: it is kept as it is (plan the"
                       " next drill anew)",
                       (long long)id, (long long)held);
    return 0;
}

static int plan_del_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err)
{
    return plan_kept(c, id, err);
}

/* A plan is of a facility that has a manual for its scenario (a drill runs the manual), for
 * today or later when its date is set, and not twice for one facility, scenario and day; a plan
 * held by a drill is kept as it is. */
static int plan_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, const json_t *row,
                      pj_err *err)
{
    int64_t fid = json_integer_value(json_object_get(row, "facility_id"));
    const char *scenario = json_string_value(json_object_get(row, "scenario"));
    const char *date = json_string_value(json_object_get(row, "planned_date"));
    const char *state = json_string_value(json_object_get(row, "state"));
    if (id && plan_kept(c, id, err)) return -1;
    if (!fid || !scenario) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT (SELECT name FROM facilities WHERE id = ?1), EXISTS (SELECT"
                               " 1 FROM manuals WHERE facility_id = ?1 AND scenario = ?2)",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, scenario);
    int rc = pj_stmt_step(s, err);
    char name[400] = "";
    int manual = rc == 1 && pj_col_int(s, 1);
    if (rc == 1 && !pj_col_is_null(s, 0)) snprintf(name, sizeof name, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (!manual)
        return pj_fail(err, 422, "no_manual", "scenario",
                       "%s (facility %lld) has no conversion manual for scenario %s: a drill"
                       " rehearses the manual, so write it first",
                       name, (long long)fid, scenario);
    if (json_object_get(body, "planned_date") && date) {
        char today[11];
        pj_rec_today(today);
        if (strcmp(date, today) < 0)
            return pj_fail(err, 422, "invalid_value", "planned_date",
                           "planned_date %s is past: a drill is planned for today or later"
                           " (today is %s, Beijing time)",
                           date, today);
        /* a date years ahead is a typo (2062 for 2026), not a plan: two years at most */
        char last[16]; /* the modulo bounds the width for the compiler: a year is below 9998 */
        snprintf(last, sizeof last, "%04u%s", (unsigned)strtol(today, NULL, 10) % 9998u + 2u,
                 strcmp(today + 4, "-02-29") ? today + 4 : "-02-28");
        if (strcmp(date, last) > 0)
            return pj_fail(err, 422, "out_of_range", "planned_date",
                           "planned_date %s is more than two years ahead: a drill is planned"
                           " for %s at the latest (today is %s, Beijing time)",
                           date, last, today);
    }
    if (state && !strcmp(state, "cancelled")) return 0;
    s = pj_db_prepare(c->db,
                      /* open: planned and held by no drill yet (a drill that failed that
                       * day holds its plan: a re-drill the same day is planned anew) */
                      "SELECT id FROM drill_plans WHERE facility_id = ? AND scenario = ? AND"
                      " planned_date = ? AND state = 'planned' AND conversion_id IS NULL AND"
                      " id <> ? LIMIT 1",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, scenario);
    pj_stmt_text(s, 3, date ? date : "");
    pj_stmt_int(s, 4, id);
    rc = pj_stmt_step(s, err);
    int64_t twin = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (twin)
        return pj_fail(err, 409, "conflict", "planned_date",
                       "drill plan %lld already plans a drill of %s for scenario %s on %s",
                       (long long)twin, name, scenario, date);
    return 0;
}

static const pj_rec_field plan_fields[] = {
    PJ_F_REF("facility_id", PJ_RF_REQ | PJ_RF_FILTER | PJ_RF_FIXED, PJ_REF_FACILITY),
    PJ_F_ENUM("scenario", PJ_RF_REQ | PJ_RF_FILTER | PJ_RF_FIXED, pj_scenarios),
    PJ_F_DATE("planned_date", PJ_RF_REQ),
    PJ_F_TEXT("note", PJ_RF_NULL, 0, 500),
    PJ_F_ENUM("state", PJ_RF_FILTER, pj_drill_plan_states),
};
static const pj_rec_extra plan_extras[] = {
    PJ_X_NAME("facility_name", "SELECT f.name FROM facilities f WHERE f.id = t.facility_id"),
    PJ_X_NAME("township_name", "SELECT r.name FROM facilities f JOIN regions r ON r.id ="
                               " f.township_id WHERE f.id = t.facility_id"),
    {"status", PLAN_STATUS_SQL, PJ_RT_TEXT, NULL},
    {"conversion_id", "t.conversion_id", PJ_RT_INT, NULL},
    {"drill_passed", "SELECT k.drill_passed FROM conversions k WHERE k.id = t.conversion_id",
     PJ_RT_BOOL, NULL},
};
const pj_rec_kind pj_du_drill_plans = {
    .name = "drill_plan",
    .noun = "drill plan",
    .table = "drill_plans",
    .fields = plan_fields,
    .nfields = PJ_N(plan_fields),
    .extras = plan_extras,
    .nextras = PJ_N(plan_extras),
    .org_sql = NULL,
    .town_sql = "SELECT f.township_id FROM facilities f WHERE f.id = t.facility_id",
    .range = "planned_date",
    .deletable = 1,
    .check = plan_check,
    .del_check = plan_del_check};

/* the audit row of a plan a drill took or gave back: the plan before and after */
static int plan_set_drill(pj_ctx *c, int64_t plan, int64_t conv, int audit, pj_err *err)
{
    char *before = audit ? pj_rec_render_string(c, &pj_du_drill_plans, plan, err) : NULL;
    if (audit && !before) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE drill_plans SET conversion_id = ?, updated_at = ?, version"
                               " = version + 1 WHERE id = ?",
                               err);
    if (!s) return -1;
    if (conv)
        pj_stmt_int(s, 1, conv);
    else
        pj_stmt_null(s, 1);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, plan);
    if (pj_step_done(s, err)) return -1;
    if (!audit) return 0;
    char *after = pj_rec_render_string(c, &pj_du_drill_plans, plan, err);
    return after ? pj_audit_add(c, conv ? "drill_held" : "drill_given_back", "drill_plan", plan,
                                before, after, err)
                 : -1;
}

int pj_drill_plan_link(pj_ctx *c, int64_t conv, int64_t fid, const char *scenario, int audit,
                       pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM drill_plans WHERE facility_id = ? AND scenario = ?"
                               " AND state = 'planned' AND conversion_id IS NULL ORDER BY"
                               " planned_date, id LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, scenario);
    int rc = pj_stmt_step(s, err);
    int64_t plan = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return plan ? plan_set_drill(c, plan, conv, audit, err) : 0;
}

int pj_drill_plan_unlink(pj_ctx *c, int64_t conv, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT id FROM drill_plans WHERE conversion_id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, conv);
    int rc = pj_stmt_step(s, err);
    int64_t plan = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return plan ? plan_set_drill(c, plan, 0, 1, err) : 0;
}
