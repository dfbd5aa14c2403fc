/* What waits on the caller (待办): for each kind of work their role does, how many records in
 * their scope wait on it now — appeals to dispatch or overdue, return visits due, pairing
 * requests to decide, alerts to acknowledge, live conversions running late, drills overdue, a
 * firm's replies to rate. Counts only, each the same rule the page it leads to lists by. */
#include <string.h>

#include "core/util.h"
#include "domain/ctx.h"
#include "domain/dualuse.h"
#include "domain/record.h"
#include "domain/render.h"
#include "domain/todo.h"

#include "core/banned.h"

/* Who does a kind of work: the district's roles (admin, district officer), a township officer,
 * a facility operator, a grid worker, an enterprise. */
enum { W_DISTRICT = 1, W_TOWNSHIP = 2, W_OPERATOR = 4, W_GRID = 8, W_FIRM = 16 };
#define W_OFFICERS (W_DISTRICT | W_TOWNSHIP)

/* How a kind's SQL is scoped: its one `?` is bound to the actor's township, facility, user or
 * organisation (0 for the district: the SQL reads `? = 0 OR …`). */
enum { S_TOWNSHIP, S_FACILITY, S_USER, S_ORG };

typedef struct kind {
    const char *name;
    unsigned who;
    int scope;
    const char *sql; /* one count; ?1 the scope, ?2 (where used) now */
} kind;

/* the township of an appeal; of an elder's request or alert (their own columns); of a
 * conversion's or drill plan's facility (f.township_id, or the operator's facility f.id) */
#define APPEALS "SELECT COUNT(*) FROM ent_appeals WHERE (?1 = 0 OR township_id = ?1) AND "
/* neither replied nor closed, as an IN list (the index on state serves it; NOT IN read every
 * appeal ever received) */
#define OPEN_NOT_REPLIED                                                                           \
    "state IN ('received', 'dispatched', 'in_progress', 'returned', 'reopened', 'escalated')"

static const kind kinds[] = {
    {"appeals_received", W_OFFICERS, S_TOWNSHIP, APPEALS "state = 'received'"},
    {"appeals_returned", W_OFFICERS, S_TOWNSHIP, APPEALS "state = 'returned'"},
    {"appeals_reopened", W_OFFICERS, S_TOWNSHIP, APPEALS "state = 'reopened'"},
    /* as the appeal list's overdue filter: past the deadline to complete, not replied */
    {"appeals_overdue", W_OFFICERS, S_TOWNSHIP, APPEALS "complete_due < ?2 AND " OPEN_NOT_REPLIED},
    /* as GET /enterprise/return-visits */
    {"return_visits_due", W_OFFICERS, S_TOWNSHIP,
     APPEALS "visit_due < ?2 AND visited_at IS NULL AND state IN ('dispatched', 'in_progress',"
             " 'replied', 'closed', 'returned', 'reopened', 'escalated')"},
    {"appeals_to_rate", W_FIRM, S_ORG,
     "SELECT COUNT(*) FROM ent_appeals WHERE org_id = ?1 AND state = 'replied'"},
    {"pair_requests", W_OFFICERS, S_TOWNSHIP,
     "SELECT COUNT(*) FROM elder_pair_requests r JOIN elders e ON e.id = r.elder_id WHERE"
     " r.state = 'pending' AND (?1 = 0 OR e.township_id = ?1)"},
    /* open alerts: a grid worker's of their grids; an officer's those escalated to the
     * township (left unacknowledged at the grid: the grid's own are the grid worker's work),
     * from their own index (the planner would read every open alert for the state) */
    {"elder_alerts_escalated", W_OFFICERS, S_TOWNSHIP,
     "SELECT COUNT(*) FROM elder_alerts INDEXED BY elder_alerts_escalated WHERE state = 'open'"
     " AND level = 'township' AND (?1 = 0 OR township_id = ?1)"},
    {"elder_alerts", W_GRID, S_USER,
     "SELECT COUNT(*) FROM elder_alerts WHERE state = 'open' AND grid_id IN (SELECT region_id"
     " FROM grid_workers WHERE user_id = ?1)"},
    /* drill plans whose date passed with no drill (the drill plans' "overdue") */
    {"drills_overdue", W_OFFICERS, S_TOWNSHIP,
     "SELECT COUNT(*) FROM drill_plans t JOIN facilities f ON f.id = t.facility_id WHERE"
     " t.state = 'planned' AND t.conversion_id IS NULL AND t.planned_date < " PJ_REC_TODAY_SQL
     " AND (?1 = 0 OR f.township_id = ?1)"},
    {"drills_overdue", W_OPERATOR, S_FACILITY,
     "SELECT COUNT(*) FROM drill_plans t WHERE t.state = 'planned' AND t.conversion_id IS NULL"
     " AND t.planned_date < " PJ_REC_TODAY_SQL " AND t.facility_id = ?1"},
};

/* the appeals counted under two of the kinds above: overdue, and received, returned or
 * reopened */
#define TWICE APPEALS "complete_due < ?2 AND state IN ('received', 'returned', 'reopened')"

static unsigned actor_work(const pj_ctx *c)
{
    if (pj_ctx_district(c)) return W_DISTRICT;
    switch (c->actor.role) {
    case PJ_ROLE_TOWNSHIP_OFFICER:
        return W_TOWNSHIP;
    case PJ_ROLE_FACILITY_OPERATOR:
        return W_OPERATOR;
    case PJ_ROLE_GRID_WORKER:
        return W_GRID;
    case PJ_ROLE_ENTERPRISE:
        return W_FIRM;
    default:
        return 0;
    }
}

static int64_t scope_of(const pj_ctx *c, int scope)
{
    if (pj_ctx_district(c)) return 0;
    /* an account without its township, facility or organisation sees none: -1 matches no row */
    int64_t v = scope == S_TOWNSHIP   ? c->actor.township_id
                : scope == S_FACILITY ? c->actor.facility_id
                : scope == S_USER     ? c->actor.user_id
                                      : c->actor.organisation_id;
    return v ? v : -1;
}

static int count(pj_ctx *c, const char *sql, int64_t scope, int64_t now, int64_t *n, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, scope);
    if (pj_stmt_param_count(s) > 1) pj_stmt_int(s, 2, now);
    int rc = pj_stmt_step(s, err);
    *n = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* Live conversions of the actor's scope running late — a step past its planned minutes, past
 * the deadline, or behind an adopted plan's schedule (as the overview flags them) — into *n,
 * and the scenario most of them are of into *scenario (NULL when none). */
static int conversions_late(pj_ctx *c, int64_t scope, int64_t now, int64_t *n,
                            const char **scenario, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT v.id, v.scenario, " PJ_SQL_OVERDUE_STEPS(
            "?2") " FROM conversions v JOIN facilities f ON f.id ="
                  " v.facility_id WHERE v.mode = 'live' AND v.state IN ('converting', 'emergency',"
                  " 'restoring') AND (?1 = 0 OR (?3 = 0 AND f.township_id = ?1) OR (?3 = 1 AND "
                  "f.id = ?1))",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, scope);
    pj_stmt_int(s, 2, now);
    pj_stmt_int(s, 3, c->actor.role == PJ_ROLE_FACILITY_OPERATOR);
    int64_t per[16] = {0};
    int rc;
    *n = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_conv_standing cs;
        if (pj_conversion_standing(c, pj_col_int(s, 0), &cs, err)) {
            pj_stmt_done(s);
            return -1;
        }
        if (!pj_col_int(s, 2) && !cs.over_deadline && cs.behind_plan <= 0) continue;
        (*n)++;
        for (int k = 0; pj_scenarios[k] && k < 16; k++)
            if (!strcmp(pj_col_text(s, 1), pj_scenarios[k])) per[k]++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    *scenario = NULL;
    for (int k = 0, best = 0; pj_scenarios[k] && k < 16; k++)
        if (per[k] > best) best = (int)per[k], *scenario = pj_scenarios[k];
    return 0;
}

int pj_todo(pj_ctx *c, pj_jw *w, pj_err *err)
{
    unsigned mine = actor_work(c);
    int64_t now = pj_now(), total = 0;
    /* a bank's or a department's account files no appeals (the console's rule): no firm's work */
    if (mine == W_FIRM) {
        pj_stmt *s = pj_db_prepare(c->db, "SELECT type FROM organisations WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, c->actor.organisation_id);
        int rc = pj_stmt_step(s, err);
        if (rc < 0 || (rc == 1 && strcmp(pj_col_text(s, 0), "enterprise"))) mine = 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (!(kinds[k].who & mine)) continue;
        int64_t n;
        if (count(c, kinds[k].sql, scope_of(c, kinds[k].scope), now, &n, err)) return -1;
        pj_jw_obj(w);
        pj_jw_kstr(w, "kind", kinds[k].name);
        pj_jw_kint(w, "count", n);
        pj_jw_obj_end(w);
        total += n;
    }
    if (mine & (W_OFFICERS | W_OPERATOR)) {
        int64_t n;
        const char *scenario;
        int64_t scope = scope_of(c, mine & W_OPERATOR ? S_FACILITY : S_TOWNSHIP);
        if (conversions_late(c, scope, now, &n, &scenario, err)) return -1;
        pj_jw_obj(w);
        pj_jw_kstr(w, "kind", "conversions_late");
        pj_jw_kint(w, "count", n);
        if (scenario)
            pj_jw_kstr(w, "scenario", scenario);
        else
            pj_jw_knull(w, "scenario");
        pj_jw_obj_end(w);
        total += n;
    }
    if (mine & W_OFFICERS) {
        /* one appeal is one piece of work: one to dispatch (or returned, or reopened) and
         * overdue too counts once in the total */
        int64_t n;
        if (count(c, TWICE, scope_of(c, S_TOWNSHIP), now, &n, err)) return -1;
        total -= n;
    }
    pj_jw_arr_end(w);
    pj_jw_kint(w, "total", total);
    pj_jw_obj_end(w);
    return 0;
}
