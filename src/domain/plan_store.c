/* The planner's store: saving, listing, comparing and adopting plans (tables of migration 300).
 * A plan's result (sites, assignments, supply flows, the Gantt of planned step start times,
 * ready times, curve, solver statistics) is kept as JSON text in plans.result_json; the
 * conversions started by adopting a plan are linked in plan_conversions. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/dualuse_int.h"
#include "domain/input.h"
#include "domain/plan_int.h"
#include "domain/rows.h"
#include "domain/render.h"

#include "core/banned.h"

/* The head's gap: the column cannot be null, and a plan whose location search found no bound
 * (its summary's gap null: unknown) has 1 there; it is null like the summary's (only a gap of 1
 * is looked up in the result). */
#define PLAN_COLS                                                                                  \
    "id, name, scenario, role, status, objective, CASE WHEN gap = 1 AND json_type(result_json,"    \
    " '$.summary.gap') = 'null' THEN NULL ELSE gap END, demand, served, shortfall, created_at,"    \
    " created_by, adopted_at, adopted_by, version, error_json, solved_at,"                         \
    " " PJ_SQL_BY_NAME_OF "p.created_by" PJ_SQL_BY_NAME_END ","                                    \
    " " PJ_SQL_BY_NAME_OF "p.adopted_by" PJ_SQL_BY_NAME_END ", closed_at, closed_by,"              \
    " close_reason, " PJ_SQL_BY_NAME_OF "p.closed_by" PJ_SQL_BY_NAME_END

static void head_render(pj_stmt *s, pj_jw *w)
{
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "scenario", s, 2);
    pj_render_text(w, "role", s, 3);
    pj_render_text(w, "status", s, 4);
    pj_jw_knum(w, "objective", pj_col_double(s, 5));
    if (pj_col_is_null(s, 6))
        pj_jw_knull(w, "gap");
    else
        pj_jw_knum(w, "gap", pj_col_double(s, 6));
    pj_jw_kint(w, "demand", pj_col_int(s, 7));
    pj_jw_kint(w, "served", pj_col_int(s, 8));
    pj_jw_kint(w, "shortfall", pj_col_int(s, 9));
    pj_render_time(w, "created_at", pj_col_int(s, 10));
    pj_render_by(w, "created_by", s, 11, 17);
    pj_render_time_col(w, "adopted_at", s, 12);
    pj_render_by(w, "adopted_by", s, 13, 18);
    /* a closed plan: when, by whom, why (null before) */
    pj_render_time_col(w, "closed_at", s, 19);
    pj_render_by(w, "closed_by", s, 20, 22);
    pj_render_text(w, "close_reason", s, 21);
    pj_jw_kint(w, "version", pj_col_int(s, 14));
    pj_render_time_col(w, "solved_at", s, 16);
    pj_jw_key(w, "error");
    if (pj_col_is_null(s, 15))
        pj_jw_null(w);
    else
        pj_jw_raw(w, pj_col_text(s, 15));
    /* a plan being solved: its phase, the fraction of the phase done, the time since it was
     * submitted (from this process's pool; a plan solved elsewhere shows "waiting") */
    pj_jw_key(w, "progress");
    if (strcmp(pj_col_text(s, 4), "solving")) {
        pj_jw_null(w);
        return;
    }
    const char *phase = "waiting";
    double frac = 0;
    int64_t ms = pj_now_ms() - pj_col_int(s, 10) * 1000;
    pj_plan_pool_progress(pj_col_int(s, 0), &phase, &frac, &ms);
    pj_jw_obj(w);
    pj_jw_kstr(w, "phase", phase);
    pj_jw_knum(w, "fraction", round(frac * 1000) / 1000);
    pj_jw_kint(w, "elapsed_ms", ms < 0 ? 0 : ms);
    pj_jw_obj_end(w);
}

/* The plan without request and result (list rows, audit rows). */
static int plan_head(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT " PLAN_COLS " FROM plans p WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_jw_obj(w);
        head_render(s, w);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return rc == 0 ? pj_not_found(err, "plan", id) : 0;
}

static int conversions_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT conversion_id, facility_id FROM plan_conversions"
                               " WHERE plan_id = ? ORDER BY conversion_id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_jw_key(w, "conversions");
    pj_jw_arr(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "conversion_id", pj_col_int(s, 0));
        pj_jw_kint(w, "facility_id", pj_col_int(s, 1));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    return rc < 0 ? -1 : 0;
}

/* The result as stored, with what was shipped of its supply flows: on each flow `shipped` (the
 * plan's shipments of it so far), `remaining` (quantity − shipped) and `in_force` (an adopted
 * plan's flow that holds its store's stock: only such a flow is shipped), on the supplies
 * `shipped_so_far` (all the plan's shipments); on each site `in_force` (an adopted plan's site
 * that still houses the people it placed there: its conversion not restored nor aborted, by
 * the rule of the flows). json_set writes the rest of the text as it was (values by their
 * text), so the result reads as the solve wrote it. Each flow's shipments are summed once, in
 * the inner select: its ORDER BY (the flows' order) keeps SQLite from flattening it into the
 * aggregate, which would copy the sum into each of its uses. */
#define RESULT_SHIPPED                                                                             \
    "CASE WHEN json_type(p.result_json, '$.sites') = 'array' THEN json_set(" RESULT_FLOWS ","      \
    " '$.sites', json((SELECT json_group_array(json_set(x.site, '$.in_force', json(CASE WHEN"      \
    " x.in_force THEN 'true' ELSE 'false' END))) FROM (SELECT st.value AS site, p.status ="        \
    " 'adopted' AND " PJ_PLAN_IN_FORCE_AT(                                                         \
        "json_extract(st.value, '$.facility_id')") " AS"                                           \
                                                   " in_force FROM json_each(p.result_json, "      \
                                                   "'$.sites') st ORDER BY st.key) x))) ELSE"      \
                                                   " " RESULT_FLOWS " END"
#define RESULT_FLOWS                                                                               \
    "CASE WHEN json_type(p.result_json, '$.supplies.flows') = 'array' THEN"                        \
    " json_set(p.result_json, '$.supplies.flows', json((SELECT json_group_array(json_set(x.flow,"  \
    " '$.shipped', x.shipped, '$.remaining', MAX(0, json_extract(x.flow, '$.quantity') -"          \
    " x.shipped), '$.in_force', json(CASE WHEN x.in_force THEN 'true' ELSE 'false' END)))"         \
    " FROM (SELECT fl.value AS flow, " PJ_PLAN_FLOW_SHIPPED " AS shipped, p.status = 'adopted'"    \
    " AND " PJ_PLAN_FLOW_IN_FORCE " AS in_force FROM json_each(p.result_json, '$.supplies.flows')" \
    " fl ORDER BY fl.key) x)), '$.supplies.shipped_so_far', (SELECT COALESCE(SUM(sh.quantity), 0)" \
    " FROM plan_shipments sh WHERE sh.plan_id = p.id AND sh.voided_at IS NULL)) ELSE"              \
    " p.result_json END"

/* The teams already at work: the teams the request gives are taken as free from minute 0 by
 * the schedule, while live conversions under way (converting, or restoring) may still have
 * steps of their open phase not done that need teams of those types — an earlier adopted plan's
 * conversions, or one started by hand. Per team type the request gives (at least one team), the
 * plan's schedule uses (`used`: the result's schedule.teams_used as JSON text; NULL for a plan
 * solved before it was kept: every type given) and such steps need: `team_type`, `given`,
 * `needed` (the conversions' `teams` summed, those of one adopted plan at most the teams that
 * plan was given of the type: its schedule kept them within those) and
 * `conversions` (`conversion_id`, `facility_id`, `facility_name`, `plan_id` or null, `state`,
 * `steps` not done, `teams`: the most one of those steps needs), by id, as it is now: the
 * array, `[]` when none. */
static int teams_busy_write(pj_ctx *c, const char *request, const char *used, pj_jw *w, pj_err *err)
{
    pj_jw_arr(w);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "WITH given AS (SELECT t.key AS team_type, t.value AS n FROM json_each(?1, '$.teams') t"
        " WHERE t.type = 'integer' AND t.value > 0 AND (?2 IS NULL OR t.key IN (SELECT u.value"
        " FROM json_each(?2) u))), busy AS (SELECT ms.team_type AS team_type,"
        " v.id AS cid, v.facility_id AS fid, v.state AS state, COUNT(*) AS steps,"
        " MAX(ms.team_count) AS teams, (SELECT MIN(pc.plan_id) FROM plan_conversions pc WHERE"
        " pc.conversion_id = v.id) AS pid FROM conversions v JOIN conversion_steps cs ON"
        " cs.conversion_id = v.id JOIN manual_steps ms ON ms.id = cs.step_id WHERE v.mode ="
        " 'live' AND v.state IN ('converting', 'restoring') AND cs.status <> 'done' AND"
        " ms.phase = CASE v.state WHEN 'converting' THEN 'convert' ELSE 'restore' END GROUP BY"
        " ms.team_type, v.id),"
        /* at once: an adopted plan's conversions were scheduled within the teams that plan was
         * given, so together they take at most those; one started by hand its own most */
        " need AS (SELECT b.team_type AS team_type, CASE WHEN b.pid IS NULL THEN SUM(b.teams)"
        " ELSE MIN(SUM(b.teams), COALESCE((SELECT CAST(json_extract(p.request_json, '$.teams.'"
        " || b.team_type) AS INTEGER) FROM plans p WHERE p.id = b.pid), SUM(b.teams))) END AS n"
        " FROM busy b GROUP BY b.team_type, COALESCE(b.pid, -b.cid))"
        " SELECT b.team_type, g.n, (SELECT SUM(x.n) FROM need x WHERE x.team_type ="
        " b.team_type), b.cid, b.fid, f.name, b.pid, b.state, b.steps, b.teams FROM"
        " busy b JOIN given g ON g.team_type = b.team_type JOIN facilities f ON f.id = b.fid"
        " ORDER BY b.team_type, b.cid",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, request);
    pj_stmt_text(s, 2, used);
    int rc, open = 0;
    char last[64] = "";
    while ((rc = pj_stmt_step(s, err)) == 1) {
        const char *type = pj_col_text(s, 0);
        if (!open || strcmp(last, type)) {
            if (open) {
                pj_jw_arr_end(w);
                pj_jw_obj_end(w);
            }
            open = 1;
            snprintf(last, sizeof last, "%s", type);
            pj_jw_obj(w);
            pj_jw_kstr(w, "team_type", type);
            pj_jw_kint(w, "given", pj_col_int(s, 1));
            pj_jw_kint(w, "needed", pj_col_int(s, 2));
            pj_jw_key(w, "conversions");
            pj_jw_arr(w);
        }
        pj_jw_obj(w);
        pj_jw_kint(w, "conversion_id", pj_col_int(s, 3));
        pj_jw_kint(w, "facility_id", pj_col_int(s, 4));
        pj_render_text(w, "facility_name", s, 5);
        if (pj_col_is_null(s, 6))
            pj_jw_knull(w, "plan_id");
        else
            pj_jw_kint(w, "plan_id", pj_col_int(s, 6));
        pj_render_text(w, "state", s, 7);
        pj_jw_kint(w, "steps", pj_col_int(s, 8));
        pj_jw_kint(w, "teams", pj_col_int(s, 9));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (open) {
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    return rc < 0 ? -1 : 0;
}

/* The plan's `teams_busy`: a draft's as it is now; an adopted (or closed) plan's as it was at
 * its adoption (`stored`: kept then, the adopter having confirmed it; recomputed now they
 * would be its own conversions' or none), `[]` for one adopted before it was kept; `[]` for a
 * plan solving or failed. */
static int teams_busy_render(pj_ctx *c, const char *status, const char *request, const char *used,
                             const char *stored, pj_jw *w, pj_err *err)
{
    pj_jw_key(w, "teams_busy");
    if (!strcmp(status, "draft")) return teams_busy_write(c, request, used, w, err);
    if (stored && (!strcmp(status, "adopted") || !strcmp(status, "closed")))
        pj_jw_raw(w, stored);
    else {
        pj_jw_arr(w);
        pj_jw_arr_end(w);
    }
    return 0;
}

/* The teams busy for request and used (teams_busy_write) as JSON text (in c's arena), or NULL
 * with err. */
static char *teams_busy_text(pj_ctx *c, const char *request, const char *used, pj_err *err)
{
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &b);
    char *out = NULL;
    if (teams_busy_write(c, request, used, &w, err) == 0) {
        if (b.overflow)
            pj_fail(err, 500, "internal", "", "the teams at work are larger than 1 MiB");
        else
            out = pj_arena_strndup(c->arena, b.data ? b.data : "", b.len);
    }
    pj_buf_free(&b);
    return out;
}

/* The result as the caller may read it: the vulnerable elders on the eldercare list per village
 * (`vulnerable.villages[].registered`) are personal records' counts the eldercare rules give
 * the district roles for every village, a township officer for their township's, a grid
 * worker for the villages of their grids, and no one else (docs/api-eldercare.md §1): for the
 * others null, the sum of them all kept as `vulnerable.registered_total` (for every reader).
 * The rest of the text as it was (json_set). NULL with err. */
static const char *result_for_reader(pj_ctx *c, const char *result, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT CASE WHEN json_type(?1, '$.vulnerable.villages') = 'array' THEN json_set(?1,"
        " '$.vulnerable.registered_total', (SELECT CASE WHEN json_extract(?1,"
        " '$.vulnerable.source') = 'eldercare' THEN COALESCE(SUM(json_extract(e.value,"
        " '$.registered')), 0) END FROM json_each(?1,"
        " '$.vulnerable.villages') e), '$.vulnerable.villages', json((SELECT"
        " json_group_array(json(CASE WHEN ?2 = 1 OR (?2 = 2 AND (SELECT parent_id FROM regions"
        " WHERE id = x.vid) = ?3) OR (?2 = 3 AND EXISTS (SELECT 1 FROM grid_workers gw JOIN"
        " regions g ON g.id = gw.region_id WHERE gw.user_id = ?4 AND g.parent_id = x.vid)) THEN"
        " x.v ELSE json_set(x.v, '$.registered', NULL) END)) FROM (SELECT e.value AS v,"
        " json_extract(e.value, '$.village_id') AS vid FROM json_each(?1, '$.vulnerable.villages') "
        "e ORDER BY e.key)"
        " x))) ELSE ?1 END",
        err);
    if (!s) return NULL;
    int who = pj_ctx_district(c)                          ? 1
              : c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER ? 2
              : c->actor.role == PJ_ROLE_GRID_WORKER      ? 3
                                                          : 0;
    pj_stmt_text(s, 1, result);
    pj_stmt_int(s, 2, who);
    pj_stmt_int(s, 3, c->actor.township_id);
    pj_stmt_int(s, 4, c->actor.user_id);
    const char *out = NULL;
    if (pj_stmt_step(s, err) == 1) out = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    pj_stmt_done(s);
    return out;
}

static int plan_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int rd = pj_db_read_begin(c->db);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT " PLAN_COLS ", request_json, " RESULT_SHIPPED
                               ", teams_busy_json, CASE p.status WHEN 'draft' THEN"
                               " json_extract(p.result_json, '$.schedule.teams_used') END"
                               " FROM plans p WHERE id = ?",
                               err);
    int rc = -1;
    if (!s) goto out;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    const char *status = "", *request = "{}", *busy = NULL, *used = NULL;
    if (rc == 1) {
        pj_jw_obj(w);
        head_render(s, w);
        pj_jw_key(w, "request"); /* the columns after PLAN_COLS' 23 */
        pj_jw_raw(w, pj_col_text(s, 23));
        pj_jw_key(w, "result");
        const char *res = result_for_reader(c, pj_col_text(s, 24), err);
        if (!res) {
            pj_stmt_done(s);
            rc = -1;
            goto out;
        }
        pj_jw_raw(w, res);
        status = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        request = pj_arena_strdup(c->arena, pj_col_text(s, 23));
        if (!pj_col_is_null(s, 25)) busy = pj_arena_strdup(c->arena, pj_col_text(s, 25));
        if (!pj_col_is_null(s, 26)) used = pj_arena_strdup(c->arena, pj_col_text(s, 26));
    }
    pj_stmt_done(s);
    if (rc < 0) goto out;
    if (rc == 0) {
        rc = pj_not_found(err, "plan", id);
        goto out;
    }
    rc = conversions_render(c, id, w, err);
    if (rc == 0) rc = teams_busy_render(c, status, request, used, busy, w, err);
    pj_jw_obj_end(w);
out:
    pj_db_read_end(c->db, rd);
    return rc < 0 ? -1 : 0;
}

int pj_plan_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return plan_render(c, id, w, err);
}

const char *const pj_plan_statuses[] = {"solving", "draft", "failed", "adopted", "closed", NULL};

int pj_plan_list(pj_ctx *c, const char *status, int64_t facility_id, int64_t cursor, int limit,
                 pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT id FROM plans p WHERE (?1 = 0 OR id < ?1) AND (?2 IS NULL OR status = ?2) AND"
        " (?4 = 0 OR EXISTS (SELECT 1 FROM json_each(p.result_json, '$.sites') e WHERE"
        " json_extract(e.value, '$.facility_id') = ?4)) ORDER BY id DESC LIMIT ?3",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_text(s, 2, status);
    pj_stmt_int(s, 3, limit + 1);
    pj_stmt_int(s, 4, facility_id);
    return pj_render_query_page(c, s, limit, plan_head, w, err);
}

static const pj_role plan_writers[] = {PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER,
                                       PJ_ROLE_TOWNSHIP_OFFICER};

static int may_write(pj_ctx *c, int adopt, pj_err *err)
{
    for (int i = 0; i < (adopt ? 2 : 3); i++)
        if (c->actor.role == plan_writers[i]) return 0;
    return pj_fail(err, 403, "forbidden", "",
                   adopt ? "only admin and district officers adopt and close plans"
                         : "only admin, district and township officers make plans");
}

/* Inserts the plan (status draft with its result, or solving with none) and its audit row
 * inside the caller's transaction; *id gets its id. */
static int plan_insert(pj_ctx *c, json_t *body, const char *result, const pj_plan_summary *sum,
                       int64_t *id, pj_err *err)
{
    char *req = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    if (!req) return pj_fail(err, 500, "internal", "", "out of memory");
    pj_stmt *s = pj_db_prepare(
        c->db,
        "INSERT INTO plans (name, scenario, role, request_json, result_json, objective, gap,"
        " demand, served, shortfall, status, created_at, created_by, solver_pid, solved_at,"
        " solver_started) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        err);
    *id = 0;
    if (s) {
        int64_t now = pj_now();
        pj_stmt_text(s, 1, sum->name);
        pj_stmt_text(s, 2, sum->scenario);
        pj_stmt_text(s, 3, sum->role);
        pj_stmt_text(s, 4, req);
        pj_stmt_text(s, 5, result ? result : "null");
        pj_stmt_double(s, 6, isfinite(sum->objective) ? sum->objective : 0);
        pj_stmt_double(s, 7, isfinite(sum->gap) ? sum->gap : 1);
        pj_stmt_int(s, 8, sum->demand);
        pj_stmt_int(s, 9, sum->served);
        pj_stmt_int(s, 10, sum->shortfall);
        pj_stmt_text(s, 11, result ? "draft" : "solving");
        pj_stmt_int(s, 12, now);
        pj_stmt_text(s, 13, c->actor.username);
        if (result) {
            pj_stmt_int(s, 15, now);
        } else {
            pj_stmt_int(s, 14, (int64_t)getpid());
            int64_t started = pj_plan_proc_started(getpid());
            if (started >= 0) pj_stmt_int(s, 16, started);
        }
        if (pj_stmt_step(s, err) == 1) *id = pj_col_int(s, 0);
        pj_stmt_done(s);
    }
    free(req);
    char *after;
    if (!*id || !(after = pj_render_to_string(c, *id, plan_head, err)) ||
        pj_audit_add(c, "create", "plan", *id, NULL, after, err))
        return -1;
    return 0;
}

int pj_plan_create(pj_ctx *c, json_t *body, const pj_plan_progress *prog, pj_jw *w, pj_err *err)
{
    if (may_write(c, 0, err)) return -1;
    char *result;
    pj_plan_summary sum;
    if (pj_plan_solve(c, body, prog, &result, &sum, err)) return -1;
    int64_t id;
    if (pj_db_begin(c->db, err)) return -1;
    if (plan_insert(c, body, result, &sum, &id, err) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return plan_render(c, id, w, err);
}

int pj_plan_submit(pj_ctx *c, pj_plan_pool *pool, json_t *body, int64_t *id_out, pj_jw *w,
                   pj_err *err)
{
    if (may_write(c, 0, err)) return -1;
    pj_plan_summary sum;
    if (pj_plan_check(c, body, &sum, err)) return -1;
    if (pj_plan_pool_full(pool))
        return pj_fail(err, 429, "too_many_plans", "",
                       "the planner is busy with other plans; try again in a few seconds");
    /* nobody takes every place: one user's plans solving or waiting leave one for the others;
     * a plan another server on the database left solving when it stopped is not counted —
     * failed first as it would be at that server's next start */
    int mine_max = pj_plan_pool_capacity(pool) - 1;
    if (mine_max >= 1) {
        if (pj_plan_recover(c, 0, err)) return -1;
        pj_stmt *q = pj_db_prepare(
            c->db, "SELECT COUNT(*) FROM plans WHERE status = 'solving' AND created_by = ?", err);
        if (!q) return -1;
        pj_stmt_text(q, 1, c->actor.username);
        int k = pj_stmt_step(q, err);
        int64_t mine = k == 1 ? pj_col_int(q, 0) : 0;
        pj_stmt_done(q);
        if (k < 0) return -1;
        if (mine >= mine_max)
            return pj_fail(err, 429, "too_many_plans", "",
                           "you have %lld plans solving or waiting; wait for one to finish so "
                           "that others can plan too",
                           (long long)mine);
    }
    int64_t id;
    char *req;
    if (pj_db_begin(c->db, err)) return -1;
    if (plan_insert(c, body, NULL, &sum, &id, err) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    /* the worker reads the request as saved */
    int rc = -1;
    if (!(req = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))))
        pj_fail(err, 500, "internal", "", "out of memory");
    else
        rc = pj_plan_pool_add(pool, c, id, req, err);
    free(req);
    if (rc) { /* no worker will take it: the saved plan fails now, not 'solving' for ever */
        pj_err e2;
        pj_err_clear(&e2);
        if (pj_plan_store_outcome(c, id, NULL, NULL, err, &e2) < 0)
            pj_log(PJ_LOG_ERROR, "plan %lld: cannot mark it failed: %s", (long long)id, e2.message);
        return -1;
    }
    if (id_out) *id_out = id;
    return plan_render(c, id, w, err);
}

int pj_plan_outcome(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int rd = pj_db_read_begin(c->db);
    pj_stmt *s = pj_db_prepare(c->db, "SELECT status, error_json FROM plans WHERE id = ?", err);
    int rc = -1;
    if (!s) goto out;
    pj_stmt_int(s, 1, id);
    int st = pj_stmt_step(s, err);
    if (st == 0) {
        pj_fail(err, 503, "commit_failed", "",
                "plan %lld was not saved (its write could not be made durable); plan it again",
                (long long)id);
    } else if (st == 1) {
        const char *status = pj_col_text(s, 0);
        if (!strcmp(status, "solving")) {
            rc = 1;
        } else if (!strcmp(status, "failed")) {
            const char *ej = pj_col_text(s, 1);
            json_t *e = json_loads(ej ? ej : "{}", 0, NULL);
            const char *code = json_string_value(json_object_get(e, "code"));
            const char *msg = json_string_value(json_object_get(e, "message"));
            const char *field = json_string_value(json_object_get(e, "field"));
            json_int_t hs = json_integer_value(json_object_get(e, "status"));
            pj_fail(err, hs >= 400 && hs < 600 ? (int)hs : 500, code ? code : "error",
                    field ? field : "", "%s", msg ? msg : "the plan failed");
            json_decref(e);
        } else {
            rc = 0;
        }
    }
    pj_stmt_done(s);
    if (rc == 0) rc = plan_render(c, id, w, err);
out:
    pj_db_read_end(c->db, rd);
    return rc;
}

int pj_plan_store_outcome(pj_ctx *c, int64_t id, const char *result, const pj_plan_summary *sum,
                          const pj_err *fail, pj_err *err)
{
    char *errjson = NULL;
    if (fail) {
        pj_buf b;
        pj_buf_init(&b, 4096);
        pj_jw w;
        pj_jw_init(&w, &b);
        pj_jw_obj(&w);
        pj_jw_kstr(&w, "code", fail->code[0] ? fail->code : "error");
        pj_jw_kstr(&w, "message", fail->message);
        if (fail->field[0])
            pj_jw_kstr(&w, "field", fail->field);
        else
            pj_jw_knull(&w, "field");
        pj_jw_kint(&w, "status", fail->status ? fail->status : 500);
        pj_jw_obj_end(&w);
        errjson = pj_arena_strndup(c->arena, b.data, b.len);
        pj_buf_free(&b);
    }
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL, *after;
    int rc =
        pj_render_exists(c, "SELECT 1 FROM plans WHERE id = ? AND status = 'solving'", id, err);
    if (rc <= 0) {
        pj_db_rollback(c->db);
        return rc;
    }
    if (!(before = pj_render_to_string(c, id, plan_head, err))) goto fail;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      fail ? "UPDATE plans SET status = 'failed', error_json = ?1, solved_at = ?2,"
                             " version = version + 1 WHERE id = ?3"
                           : "UPDATE plans SET status = 'draft', result_json = ?1, solved_at = ?2,"
                             " objective = ?4, gap = ?5, demand = ?6, served = ?7, shortfall = ?8,"
                             " version = version + 1 WHERE id = ?3",
                      err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, fail ? errjson : result);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, id);
    if (!fail) {
        pj_stmt_double(s, 4, isfinite(sum->objective) ? sum->objective : 0);
        pj_stmt_double(s, 5, isfinite(sum->gap) ? sum->gap : 1);
        pj_stmt_int(s, 6, sum->demand);
        pj_stmt_int(s, 7, sum->served);
        pj_stmt_int(s, 8, sum->shortfall);
    }
    if (pj_step_done(s, err) || !(after = pj_render_to_string(c, id, plan_head, err)) ||
        pj_audit_add(c, fail ? "fail" : "solve", "plan", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 1;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int64_t pj_plan_proc_started(pid_t pid)
{
    char path[40], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* "pid (comm) state ppid …": the command may hold spaces and parentheses, so the fields
     * are counted from the last ')'; the start time is field 22, the 20th after it */
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    /* the state: a zombie (a killed server not yet reaped by its parent) or a dead process
     * solves nothing, whatever its start time says */
    if (p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X')) return PJ_PLAN_PROC_DEAD;
    for (int k = 0; k < 20; k++) {
        p = strchr(p + 1, ' ');
        if (!p) return -1;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p + 1, &end, 10);
    if (errno || end == p + 1 || (*end != ' ' && *end != 0 && *end != '\n') ||
        v > (unsigned long long)INT64_MAX)
        return -1;
    return (int64_t)v;
}

int pj_plan_recover(pj_ctx *c, int at_start, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id, solver_pid, solver_started FROM plans WHERE status = 'solving'", err);
    if (!s) return -1;
    int64_t ids[256];
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < 256) {
        int64_t pid = pj_col_is_null(s, 1) ? 0 : pj_col_int(s, 1);
        int64_t started = pj_col_is_null(s, 2) ? -1 : pj_col_int(s, 2);
        if (!at_start && pid == (int64_t)getpid()) continue; /* this process solves it */
        /* alive elsewhere on this machine: that process still solves it — the same process,
         * started when the plan's was (a process id is reused: a crashed server's may be
         * another program's by now); a plan of before the start time was kept, or a system
         * without /proc, by the process id alone */
        if (pid > 0 && pid != (int64_t)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)) {
            int64_t now = pj_plan_proc_started((pid_t)pid);
            if (now != PJ_PLAN_PROC_DEAD && (started < 0 || now < 0 || now == started)) continue;
        }
        ids[n++] = pj_col_int(s, 0);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_err fail;
    pj_err_clear(&fail);
    pj_fail(&fail, 503, "interrupted", "",
            "the server stopped while the plan was being solved; plan it again");
    for (int i = 0; i < n; i++)
        if (pj_plan_store_outcome(c, ids[i], NULL, NULL, &fail, err) < 0) return -1;
    return 0;
}

/* ---- compare ---- */

typedef struct pside {
    int64_t id;
    json_t *res; /* owned */
    const char *name, *status, *scenario, *role;
} pside;

static int side_load(pj_ctx *c, int64_t id, const char *a_or_b, pside *p, pj_err *err)
{
    memset(p, 0, sizeof *p);
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT name, status, result_json, scenario, role FROM plans WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        p->id = id;
        p->name = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        p->status = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        p->res = json_loads(pj_col_text(s, 2), 0, NULL);
        p->scenario = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        p->role = pj_arena_strdup(c->arena, pj_col_text(s, 4));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) /* the query parameter at fault, not a path id */
        return pj_fail(err, 404, "not_found", a_or_b, "no plan %lld", (long long)id);
    if (!p->res && (!strcmp(p->status, "solving") || !strcmp(p->status, "failed")))
        return pj_fail(err, 409, "not_solved", a_or_b,
                       "plan %lld is %s: it has no result to compare", (long long)id, p->status);
    if (!p->res) return pj_fail(err, 500, "internal", "", "plan %lld: bad result", (long long)id);
    return 0;
}

/* A figure of the plan's summary; NAN when the summary has none (null: e.g. the gap of a plan
 * whose location search found no bound), which the compare shows as null, not as 0. */
static double sum_num(json_t *res, const char *key)
{
    json_t *v = json_object_get(json_object_get(res, "summary"), key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *const cmp_keys[] = {"objective", "fixed_cost", "service_cost", "person_km",
                                       "mean_km", "max_km", "demand", "served", "shortfall",
                                       "sites", "max_ready_minutes", "mean_ready_minutes",
                                       /* null without a deadline: under one, the figure */
                                       "sites_after_deadline", "gap", NULL};

static void side_render(const pside *p, pj_jw *w)
{
    pj_jw_obj(w);
    pj_jw_kint(w, "id", p->id);
    pj_jw_kstr(w, "name", p->name);
    pj_jw_kstr(w, "status", p->status);
    /* plans of another scenario or role (their sites' capacities are of that role) say so */
    pj_jw_kstr(w, "scenario", p->scenario);
    pj_jw_kstr(w, "role", p->role);
    for (int k = 0; cmp_keys[k]; k++) pj_jw_knum(w, cmp_keys[k], sum_num(p->res, cmp_keys[k]));
    pj_jw_obj_end(w);
}

static json_t *site_of(json_t *res, int64_t fid)
{
    json_t *sites = json_object_get(res, "sites"), *e;
    size_t i;
    json_array_foreach(sites, i, e) if (json_integer_value(json_object_get(e, "facility_id")) ==
                                        fid) return e;
    return NULL;
}

static void site_cell(pj_jw *w, const char *key, json_t *e)
{
    pj_jw_key(w, key);
    if (!e) {
        pj_jw_null(w);
        return;
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "used", json_integer_value(json_object_get(e, "used")));
    pj_jw_knum(w, "capacity", json_number_value(json_object_get(e, "capacity")));
    pj_jw_knum(w, "mean_km", json_number_value(json_object_get(e, "mean_km")));
    pj_jw_kint(w, "ready_minutes", json_integer_value(json_object_get(e, "ready_minutes")));
    pj_jw_obj_end(w);
}

int pj_plan_compare(pj_ctx *c, int64_t a, int64_t b, pj_jw *w, pj_err *err)
{
    pside pa, pb;
    memset(&pb, 0, sizeof pb);
    int rd = pj_db_read_begin(c->db);
    int rc = side_load(c, a, "a", &pa, err);
    if (!rc) rc = side_load(c, b, "b", &pb, err);
    pj_db_read_end(c->db, rd);
    if (rc) {
        json_decref(pa.res);
        json_decref(pb.res);
        return -1;
    }
    pj_jw_obj(w);
    pj_jw_key(w, "a");
    side_render(&pa, w);
    pj_jw_key(w, "b");
    side_render(&pb, w);
    pj_jw_key(w, "difference");
    pj_jw_obj(w);
    for (int k = 0; cmp_keys[k]; k++)
        pj_jw_knum(w, cmp_keys[k], sum_num(pb.res, cmp_keys[k]) - sum_num(pa.res, cmp_keys[k]));
    pj_jw_obj_end(w);
    /* sites of either plan, a's first */
    pj_jw_key(w, "sites");
    pj_jw_arr(w);
    for (int side = 0; side < 2; side++) {
        json_t *sites = json_object_get(side ? pb.res : pa.res, "sites"), *e;
        size_t i;
        json_array_foreach(sites, i, e)
        {
            int64_t fid = json_integer_value(json_object_get(e, "facility_id"));
            if (side && site_of(pa.res, fid)) continue;
            pj_jw_obj(w);
            pj_jw_kint(w, "facility_id", fid);
            pj_jw_kstr(w, "name", json_string_value(json_object_get(e, "name")));
            site_cell(w, "a", side ? NULL : e);
            site_cell(w, "b", side ? e : site_of(pb.res, fid));
            pj_jw_obj_end(w);
        }
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    json_decref(pa.res);
    json_decref(pb.res);
    return 0;
}

/* ---- adopt ---- */

/* Starts the live conversion of facility fid by the planned manual mid inside the caller's
 * transaction (pj_du_conversion_start_tx, without its audit row: the caller writes it once the
 * steps are scheduled) and links it to the plan. Returns the conversion id,
 * or -1; a facility that is not in peacetime is 409 facility_busy naming it ("万达锦华酒店
 * (facility 2) is converting: …", the refusal of the conversion's start). */
/* The plan's schedule of facility fid (its gantt rows) onto the steps of conversion conv:
 * planned start and end in minutes from the conversion's start, which is the adoption. */
static int schedule_steps(pj_ctx *c, int64_t conv, int64_t fid, int64_t mid, json_t *gantt,
                          pj_err *err)
{
    size_t i;
    json_t *g;
    json_array_foreach(gantt, i, g)
    {
        if (json_integer_value(json_object_get(g, "facility_id")) != fid) continue;
        pj_stmt *s =
            pj_db_prepare(c->db,
                          "UPDATE conversion_steps SET planned_start_min = ?,"
                          " planned_end_min = ? WHERE conversion_id = ? AND step_id ="
                          " (SELECT id FROM manual_steps WHERE manual_id = ? AND code = ?)",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, (int64_t)llround(json_number_value(json_object_get(g, "start"))));
        pj_stmt_int(s, 2, (int64_t)llround(json_number_value(json_object_get(g, "end"))));
        pj_stmt_int(s, 3, conv);
        pj_stmt_int(s, 4, mid);
        pj_stmt_text(s, 5, json_string_value(json_object_get(g, "step_code")));
        if (pj_step_done(s, err)) return -1;
    }
    return 0;
}

static int64_t conversion_start_in_tx(pj_ctx *c, int64_t plan_id, int64_t fid, int64_t mid,
                                      const char *scenario, pj_err *err)
{
    if (pj_render_exists(c, "SELECT 1 FROM manuals WHERE id = ?", mid, err) == 0)
        return pj_fail(err, 409, "manual_gone", "facility_id",
                       "the planned manual %lld of facility %lld no longer exists", (long long)mid,
                       (long long)fid);
    /* the planned manual is still the facility's newest for the plan's scenario and the
     * manual's role: a version saved since (another critical path, other steps and teams) is
     * what the site would be converted by now, and the plan's schedule and ready time were
     * made for the old one */
    pj_stmt *q = pj_db_prepare(
        c->db,
        "SELECT n.id, n.version, (SELECT version FROM manuals WHERE id = ?2), f.name FROM"
        " manuals n JOIN facilities f ON f.id = n.facility_id WHERE n.facility_id = ?1 AND"
        " n.scenario = ?3 AND n.role = (SELECT role FROM manuals WHERE id = ?2)"
        " ORDER BY n.version DESC, n.id DESC LIMIT 1",
        err);
    if (!q) return -1;
    pj_stmt_int(q, 1, fid);
    pj_stmt_int(q, 2, mid);
    pj_stmt_text(q, 3, scenario);
    int qrc = pj_stmt_step(q, err);
    if (qrc == 1 && pj_col_int(q, 0) != mid) {
        int64_t newest = pj_col_int(q, 0), nver = pj_col_int(q, 1), pver = pj_col_int(q, 2);
        pj_fail(err, 409, "facility_changed", "facility_id",
                "%s (facility %lld) has a newer manual than the plan's (version %lld, id %lld;"
                " the plan was made with version %lld, id %lld); plan again",
                pj_col_text(q, 3), (long long)fid, (long long)nver, (long long)newest,
                (long long)pver, (long long)mid);
        pj_err_detail(err, "facility_id", fid);
        pj_err_detail_str(err, "reason", "manual_changed");
        pj_err_detail(err, "manual_id", mid);
        pj_err_detail(err, "newest_manual_id", newest);
        qrc = -1;
    }
    pj_stmt_done(q);
    if (qrc < 0) return -1;
    int64_t id = pj_du_conversion_start_tx(c, fid, scenario, 1, mid, 0, err);
    if (id < 0) {
        if (err->status == 409) {
            char msg[sizeof err->message];
            snprintf(msg, sizeof msg, "%s", err->message);
            pj_fail(err, 409, "facility_busy", "facility_id", "%s", msg);
        }
        return -1;
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO plan_conversions (plan_id, conversion_id, facility_id)"
                               " VALUES (?,?,?)",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, plan_id);
    pj_stmt_int(s, 2, id);
    pj_stmt_int(s, 3, fid);
    if (pj_step_done(s, err)) return -1;
    return id;
}

/* A chosen site (e, of facility fid, planned with manual mid): the people the plan puts there
 * (`used`) still fit into its capacity as it is now — the capacity of the role its planned
 * manual converts it into (the plan's role; a medical site taken for the vulnerable only: its
 * medical capacity; a site that lost that role has none, whatever other roles it has; the
 * role the plan asked for when the manual is gone, which adopting refuses) may have been lowered
 * since the plan was made; for a site the plan found converted already (ready0), the capacity of
 * its conversion's role less what plans adopted since put there (two drafts made side by side both
 * count the same free places). 0, or -1 with 409 facility_changed naming it and the figures
 * (details: facility_id, used, free, taken). */
#define HOUSING_Q  PJ_PLAN_HOUSING("?1")
#define VHOUSING_Q PJ_PLAN_VHOUSING("?1")
static int site_fits(pj_ctx *c, json_t *e, int64_t fid, int64_t mid, const char *role, int ready0,
                     const char *needs, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT CASE WHEN ?4 OR EXISTS (SELECT 1 FROM manuals WHERE id = ?2) THEN (SELECT"
        " MAX(capacity) FROM facility_roles WHERE facility_id = ?1 AND role = (SELECT role FROM"
        " manuals WHERE id = ?2)) ELSE COALESCE((SELECT"
        " MAX(capacity) FROM facility_roles WHERE facility_id = ?1 AND role = ?3), (SELECT"
        " MAX(capacity) FROM facility_roles WHERE facility_id = ?1 AND role = 'medical')) END,"
        " CASE WHEN ?4 THEN " HOUSING_Q " ELSE 0 END, (SELECT barrier_free_rooms FROM"
        " facilities WHERE id = ?1), ?3 = 'medical' OR EXISTS (SELECT 1 FROM facility_roles"
        " WHERE facility_id = ?1 AND role = 'medical'), CASE WHEN ?4 THEN " VHOUSING_Q
        " ELSE 0 END, EXISTS (SELECT 1 FROM facilities WHERE id = ?1)",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_int(s, 2, mid);
    pj_stmt_text(s, 3, role);
    pj_stmt_int(s, 4, ready0);
    int rc = pj_stmt_step(s, err);
    int exists = rc == 1 && pj_col_int(s, 5) != 0;
    double cap = rc == 1 && !pj_col_is_null(s, 0) ? floor(pj_col_double(s, 0)) : 0;
    int64_t taken = rc == 1 ? pj_col_int(s, 1) : 0;
    int64_t rooms = rc == 1 ? pj_col_int(s, 2) : 0;
    int medical = rc == 1 && pj_col_int(s, 3) != 0;
    /* a converted site: its rooms that plans adopted since filled with such people are taken */
    int64_t vtaken = rc == 1 ? pj_col_int(s, 4) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int64_t used = json_integer_value(json_object_get(e, "used"));
    int64_t vuln = json_integer_value(json_object_get(e, "vulnerable"));
    int64_t free_now = (int64_t)cap - taken;
    if (free_now < 0) free_now = 0;
    const char *name = json_string_value(json_object_get(e, "name"));
    if (!exists) { /* deleted since the plan was made: not "a capacity of 0" */
        pj_fail(err, 409, "facility_changed", "facility_id",
                "%s (facility %lld) no longer exists; plan again", name ? name : "?",
                (long long)fid);
        pj_err_detail(err, "facility_id", fid);
        pj_err_detail_str(err, "reason", "deleted");
        return -1;
    }
    if (used <= free_now) {
        /* the people needing medical care the plan puts there: a medical site takes them in
         * any of its places, another site only in its barrier-free rooms (none when the plan
         * wants medical sites only), which may have been lowered since the plan was made */
        int64_t vcap = medical                              ? free_now
                       : needs && !strcmp(needs, "medical") ? 0
                       : rooms - vtaken < free_now          ? rooms - vtaken
                                                            : free_now;
        if (vcap < 0) vcap = 0;
        if (vuln <= vcap) return 0;
        pj_fail(err, 409, "facility_changed", "facility_id",
                "%s (facility %lld) has %lld places for people needing medical care now (%s), the"
                " plan puts %lld of them there; plan again",
                name ? name : "?", (long long)fid, (long long)vcap,
                medical ? "a medical site" : "its barrier-free rooms", (long long)vuln);
        pj_err_detail(err, "facility_id", fid);
        pj_err_detail(err, "vulnerable", vuln);
        pj_err_detail(err, "vulnerable_free", vcap);
        pj_err_detail(err, "barrier_free_rooms", rooms);
        return -1;
    }
    if (ready0)
        pj_fail(err, 409, "facility_changed", "facility_id",
                "%s (facility %lld) has %lld places free now (%lld taken by adopted plans), the"
                " plan puts %lld people there; plan again",
                name ? name : "?", (long long)fid, (long long)free_now, (long long)taken,
                (long long)used);
    else
        pj_fail(err, 409, "facility_changed", "facility_id",
                "%s (facility %lld) has a capacity of %lld now, the plan puts %lld people there;"
                " plan again",
                name ? name : "?", (long long)fid, (long long)free_now, (long long)used);
    pj_err_detail(err, "facility_id", fid);
    pj_err_detail(err, "used", used);
    pj_err_detail(err, "free", free_now);
    pj_err_detail(err, "taken", taken);
    return -1;
}

/* The supply flows of plan id still fit into the stock as it is now: per store and category,
 * what the plan ships is at most the usable stock (not expired, whole units, as the planner
 * counts it) less what adopted plans in force have yet to ship from it (their flows less their
 * shipments: held). Two drafts made side by side both count the same stock; the first adopted
 * holds it. A store that has lost its supply_store role since has nothing to promise (the
 * planner would not count it); a flow from a store to itself (of a plan solved before the planner
 * left them out) promises nothing. 0, or -1 with 409 supplies_changed naming the store and category
 * with the figures (details: store_id, category, planned, available, usable, held). */
static int supplies_fit(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "WITH mine AS (SELECT json_extract(fl.value, '$.store_id') AS sid, json_extract(fl.value,"
        " '$.category') AS cat, MAX(json_extract(fl.value, '$.store_name')) AS sname,"
        " MAX(json_extract(fl.value, '$.unit')) AS unit, SUM(json_extract(fl.value,"
        " '$.quantity')) AS planned FROM plans p, json_each(p.result_json, '$.supplies.flows') fl"
        " WHERE p.id = ?1 AND json_type(p.result_json, '$.supplies.flows') = 'array' AND"
        " json_extract(fl.value, '$.store_id') <> json_extract(fl.value, '$.facility_id')"
        " GROUP BY sid, cat)"
        " SELECT m.sid, m.cat, m.sname, m.unit, m.planned, (SELECT COALESCE(SUM(l.quantity), 0)"
        " FROM stock_lines l WHERE l.facility_id = m.sid AND l.category = m.cat AND (l.expiry IS"
        " NULL OR l.expiry >= ?2)), (SELECT COALESCE(SUM(MAX(0, json_extract(fl.value,"
        " '$.quantity') - " PJ_PLAN_FLOW_SHIPPED ")), 0) FROM plans p, json_each(p.result_json,"
        " '$.supplies.flows') fl WHERE p.status = 'adopted' AND p.id <> ?1 AND"
        " json_type(p.result_json, '$.supplies.flows') = 'array' AND json_extract(fl.value,"
        " '$.store_id') = m.sid AND json_extract(fl.value, '$.category') = m.cat "
        "AND " PJ_PLAN_FLOW_IN_FORCE "), EXISTS (SELECT 1 FROM facility_roles r WHERE"
        " r.facility_id = m.sid AND r.role = 'supply_store') FROM mine m WHERE m.planned > 0"
        " ORDER BY m.sid, m.cat",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, pj_stock_expired_before(pj_now()));
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t planned = pj_col_int(s, 4), usable = (int64_t)floor(pj_col_double(s, 5)),
                held = pj_col_int(s, 6);
        int store_role = pj_col_int(s, 7) != 0;
        if (usable < 0 || !store_role) usable = 0; /* no longer a store: nothing to promise */
        if (held < 0) held = 0;
        int64_t avail = usable - held;
        if (avail < 0) avail = 0;
        if (planned <= avail) continue;
        int64_t store = pj_col_int(s, 0);
        const char *cat = pj_col_text(s, 1), *unit = pj_col_text(s, 3);
        if (!store_role)
            pj_fail(err, 409, "supplies_changed", "supplies",
                    "%s (facility %lld) is no longer a supply store, the plan ships %lld %s of %s"
                    " from it; plan again",
                    pj_col_text(s, 2), (long long)store, (long long)planned, unit, cat);
        else
            pj_fail(err, 409, "supplies_changed", "supplies",
                    "%s (facility %lld) has %lld %s of %s to promise now (%lld usable, %lld held"
                    " by adopted plans), the plan ships %lld from it; plan again",
                    pj_col_text(s, 2), (long long)store, (long long)avail, unit, cat,
                    (long long)usable, (long long)held, (long long)planned);
        pj_err_detail(err, "store_id", store);
        pj_err_detail_str(err, "category", cat);
        pj_err_detail(err, "planned", planned);
        pj_err_detail(err, "available", avail);
        pj_err_detail(err, "usable", usable);
        pj_err_detail(err, "held", held);
        if (!store_role) pj_err_detail_str(err, "reason", "not_a_store");
        rc = -1;
        break;
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* The plan read for a write (rc of its row's step, cur its version) is there at the version the
 * caller read (version 0: any): else -1 with not_found or version_conflict (or the read's
 * error). */
static int plan_found_at(int rc, int64_t id, int64_t version, int64_t cur, pj_err *err)
{
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "plan", id);
    if (version && version != cur)
        return pj_fail(err, 409, "version_conflict", "version",
                       "the plan was changed by someone else (version %lld, yours %lld); reload",
                       (long long)cur, (long long)version);
    return 0;
}

/* -1 with 409 teams_busy (field confirm) naming per team type what is given and what the
 * conversions under way still need (busy: teams_busy_write's text, not empty). */
static int teams_busy_refuse(int64_t id, const char *busy, pj_err *err)
{
    json_t *a = json_loads(busy, 0, NULL), *b, *conv, *seen = json_object();
    char list[320] = "", types[160] = "";
    size_t i, j, n = 0;
    json_array_foreach(a, i, b)
    {
        const char *type = json_string_value(json_object_get(b, "team_type"));
        size_t k = json_array_size(json_object_get(b, "conversions"));
        /* a conversion needing teams of several types is one conversion */
        json_array_foreach(json_object_get(b, "conversions"), j, conv)
        {
            char key[24];
            snprintf(key, sizeof key, "%lld",
                     (long long)json_integer_value(json_object_get(conv, "conversion_id")));
            json_object_set_new(seen, key, json_true());
        }
        n = strlen(list);
        snprintf(list + n, sizeof list - n,
                 "%s%s: %lld given, conversions under way still need up"
                 " to %lld (%zu %s)",
                 i ? "; " : "", type ? type : "?",
                 (long long)json_integer_value(json_object_get(b, "given")),
                 (long long)json_integer_value(json_object_get(b, "needed")), k,
                 k == 1 ? "conversion" : "conversions");
        n = strlen(types);
        snprintf(types + n, sizeof types - n, "%s%s", i ? "," : "", type ? type : "?");
    }
    pj_fail(err, 409, "teams_busy", "confirm",
            "plan %lld: teams are still at work on conversions under way (%s); its schedule takes"
            " them as free, so its sites may be ready later than it says: confirm to adopt it as"
            " it is (\"confirm\": true), or lower the teams and plan again",
            (long long)id, list);
    pj_err_detail_str(err, "team_types", types);
    pj_err_detail(err, "conversions", (long long)json_object_size(seen));
    json_decref(seen);
    json_decref(a);
    return -1;
}

int pj_plan_adopt(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "confirm", NULL};
    int64_t version = 0;
    int confirm = 0;
    if (may_write(c, 1, err)) return -1;
    if (body && (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
                 pj_in_int(body, "version", 0, 1, INT64_MAX, &version, err) < 0 ||
                 pj_in_bool(body, "confirm", 0, &confirm, err) < 0))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    json_t *res = NULL;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT status, version, scenario, result_json, role, request_json"
                               " FROM plans WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    const char *status = "", *scenario = "", *role = "", *request = "{}";
    int64_t cur = 0;
    if (rc == 1) {
        status = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        cur = pj_col_int(s, 1);
        scenario = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        res = json_loads(pj_col_text(s, 3), 0, NULL);
        role = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        request = pj_arena_strdup(c->arena, pj_col_text(s, 5));
    }
    pj_stmt_done(s);
    if (plan_found_at(rc, id, version, cur, err)) goto fail;
    if (strcmp(status, "draft")) {
        pj_fail(err, 409, "invalid_transition", "id", "plan %lld is %s: only a draft is adopted",
                (long long)id, status);
        goto fail;
    }
    json_t *sites = json_object_get(res, "sites"), *e;
    const char *needs =
        json_string_value(json_object_get(json_object_get(res, "vulnerable"), "needs"));
    /* a plan that places no one (every site it could use was out of reach, short of teams or
     * full) starts nothing: adopting it would only mark it in force */
    if (json_array_size(sites) == 0) {
        json_t *sm = json_object_get(res, "summary");
        pj_fail(err, 409, "nothing_to_adopt", "id",
                "plan %lld places no one (%lld people in need, all short): it has no site to"
                " convert or use; plan again",
                (long long)id, (long long)json_integer_value(json_object_get(sm, "shortfall")));
        goto fail;
    }
    char *before = pj_render_to_string(c, id, plan_head, err), *after;
    if (!before) goto fail;
    /* the teams still at work on conversions under way, as now, before this plan's own start:
     * its schedule took them as free; checked once nothing else refuses the adoption */
    json_t *used_j = json_object_get(json_object_get(res, "schedule"), "teams_used");
    char *used = used_j ? json_dumps(used_j, JSON_COMPACT) : NULL;
    const char *busy = teams_busy_text(c, request, used, err);
    free(used);
    if (!busy) goto fail;
    size_t i;
    json_array_foreach(sites, i, e)
    {
        int64_t fid = json_integer_value(json_object_get(e, "facility_id")),
                mid = json_integer_value(json_object_get(e, "manual_id"));
        if (json_is_true(json_object_get(e, "ready_at_start"))) {
            /* converted already when planned: still so for the plan's scenario and the same
             * role (that of the conversion's manual the plan counted on), or the plan counts on
             * a site that is being restored or was converted again for another scenario or
             * role since */
            pj_stmt *q = pj_db_prepare(
                c->db,
                "SELECT EXISTS (SELECT 1 FROM conversions v JOIN manuals m ON m.id = v.manual_id"
                " WHERE v.facility_id = ?1 AND v.mode = 'live' AND v.state = 'emergency' AND"
                " v.scenario = ?3 AND m.role = (SELECT role FROM manuals WHERE id = ?2))",
                err);
            if (!q) goto fail;
            pj_stmt_int(q, 1, fid);
            pj_stmt_int(q, 2, mid);
            pj_stmt_text(q, 3, scenario);
            int still = pj_stmt_step(q, err);
            if (still == 1) still = pj_col_int(q, 0) != 0;
            pj_stmt_done(q);
            if (still < 0) goto fail;
            if (!still) {
                const char *name = json_string_value(json_object_get(e, "name"));
                pj_fail(err, 409, "facility_changed", "facility_id",
                        "%s (facility %lld) was converted when the plan was made and is no"
                        " longer; plan again",
                        name ? name : "?", (long long)fid);
                pj_err_detail(err, "facility_id", fid);
                pj_err_detail_str(err, "reason", "no_longer_converted");
                goto fail;
            }
            /* and the places the plan counted on are still free: another plan adopted since
             * may have filled them (two drafts made side by side both count the same free
             * places) */
            if (site_fits(c, e, fid, mid, role, 1, needs, err)) goto fail;
            continue;
        }
        /* its capacity still holds the plan's people (a site that lost the role has none),
         * and it is in peacetime (else facility_busy) */
        if (site_fits(c, e, fid, mid, role, 0, needs, err)) goto fail;
        int64_t conv = conversion_start_in_tx(c, id, fid, mid, scenario, err);
        /* its convert_start row once linked to the plan and scheduled: with plan_id and the
         * steps' planned times */
        if (conv < 0 ||
            schedule_steps(c, conv, fid, mid,
                           json_object_get(json_object_get(res, "schedule"), "gantt"), err) ||
            pj_du_conversion_audit_start(c, conv, err))
            goto fail;
    }
    /* and the stock its supply flows count on is still there, not held by plans adopted since */
    if (supplies_fit(c, id, err)) goto fail;
    int nbusy = strcmp(busy, "[]") != 0;
    if (nbusy && !confirm && teams_busy_refuse(id, busy, err)) goto fail;
    s = pj_db_prepare(c->db,
                      "UPDATE plans SET status = 'adopted', adopted_at = ?, adopted_by = ?,"
                      " teams_busy_json = ?, version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, pj_now());
    pj_stmt_text(s, 2, c->actor.username);
    pj_stmt_text(s, 3, busy);
    pj_stmt_int(s, 4, id);
    /* the audit row's after names the busy teams the adopter confirmed */
    if (pj_step_done(s, err) || !(after = pj_render_to_string(c, id, plan_head, err)) ||
        pj_audit_add(
            c, "adopt", "plan", id, before,
            nbusy ? pj_render_with(c, after, pj_arena_printf(c->arena, "\"teams_busy\":%s", busy))
                  : after,
            err) ||
        pj_db_commit(c->db, err))
        goto fail;
    json_decref(res);
    return plan_render(c, id, w, err);
fail:
    json_decref(res);
    pj_db_rollback(c->db);
    return -1;
}

int pj_plan_close(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"reason", "version", NULL};
    int64_t version = 0;
    const char *reason = NULL;
    if (may_write(c, 1, err)) return -1;
    if (!body) return pj_fail(err, 422, "missing_field", "reason", "give the reason for closing");
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_text_trimmed(c->arena, body, "reason", 1, 500, &reason, err) < 0 ||
        pj_in_int(body, "version", 0, 1, INT64_MAX, &version, err) < 0)
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT status, version FROM plans WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    const char *status = "";
    int64_t cur = 0;
    if (rc == 1) {
        status = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        cur = pj_col_int(s, 1);
    }
    pj_stmt_done(s);
    if (plan_found_at(rc, id, version, cur, err)) goto fail;
    /* an adopted plan is closed when the crisis is over; a draft no one will adopt (the one
     * not chosen, one made on a wrong assumption) is closed to set it aside: it can no longer be
     * adopted months later */
    if (strcmp(status, "adopted") && strcmp(status, "draft")) {
        pj_fail(err, 409, "invalid_transition", "id",
                "plan %lld is %s: only an adopted plan or a draft is closed", (long long)id,
                status);
        goto fail;
    }
    char *before = pj_render_to_string(c, id, plan_head, err), *after;
    if (!before) goto fail;
    /* closed: its people no longer occupy its sites, its unshipped supply flows hold no stock
     * and take no shipment (every such query counts adopted plans only) */
    s = pj_db_prepare(c->db,
                      "UPDATE plans SET status = 'closed', closed_at = ?, closed_by = ?,"
                      " close_reason = ?, version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, pj_now());
    pj_stmt_text(s, 2, c->actor.username);
    pj_stmt_text(s, 3, reason);
    pj_stmt_int(s, 4, id);
    if (pj_step_done(s, err) || !(after = pj_render_to_string(c, id, plan_head, err))) goto fail;
    json_t *o = json_loads(after, 0, NULL);
    if (!o) {
        pj_fail(err, 500, "internal", "", "cannot read the plan's audit row");
        goto fail;
    }
    json_object_set_new(o, "reason", json_string(reason));
    char *t = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!t) {
        pj_fail(err, 500, "internal", "", "cannot write the plan's audit row");
        goto fail;
    }
    rc = pj_audit_add(c, "close", "plan", id, before, t, err);
    free(t);
    if (rc || pj_db_commit(c->db, err)) goto fail;
    return plan_render(c, id, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- shipments ---- */

/* A shipment; with flow (quantity, shipped, remaining), where its flow stands after it. */
static int shipment_write(pj_ctx *c, int64_t id, const int64_t *flow, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT sh.id, sh.plan_id, p.name, sh.store_id, st.name,"
                               " sh.facility_id, f.name, sh.category, sh.quantity, sh.unit,"
                               " sh.lines_json, sh.shipped_at, sh.shipped_by,"
                               " " PJ_SQL_BY_NAME_OF "sh.shipped_by" PJ_SQL_BY_NAME_END ","
                               " sh.voided_at, sh.voided_by, sh.void_reason, sh.void_lines_json,"
                               " " PJ_SQL_BY_NAME_OF "sh.voided_by" PJ_SQL_BY_NAME_END
                               " FROM plan_shipments sh"
                               " JOIN plans p ON p.id = sh.plan_id JOIN facilities st ON st.id ="
                               " sh.store_id JOIN facilities f ON f.id = sh.facility_id"
                               " WHERE sh.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        pj_jw_kint(w, "plan_id", pj_col_int(s, 1));
        pj_render_text(w, "plan_name", s, 2);
        pj_jw_kint(w, "store_id", pj_col_int(s, 3));
        pj_render_text(w, "store_name", s, 4);
        pj_jw_kint(w, "facility_id", pj_col_int(s, 5));
        pj_render_text(w, "facility_name", s, 6);
        pj_render_text(w, "category", s, 7);
        pj_jw_kint(w, "quantity", pj_col_int(s, 8));
        pj_render_text(w, "unit", s, 9);
        pj_jw_key(w, "lines");
        pj_jw_raw(w, pj_col_text(s, 10));
        pj_render_time(w, "shipped_at", pj_col_int(s, 11));
        pj_render_by(w, "shipped_by", s, 12, 13);
        /* a voided shipment stays listed with who voided it, when and why, and where its
         * quantity went back (void_lines: the line it came from, or a new one) */
        pj_jw_kbool(w, "voided", !pj_col_is_null(s, 14));
        pj_render_time_col(w, "voided_at", s, 14);
        pj_render_by(w, "voided_by", s, 15, 18);
        pj_render_text(w, "void_reason", s, 16);
        pj_jw_key(w, "void_lines");
        pj_jw_raw(w, pj_col_is_null(s, 17) ? "null" : pj_col_text(s, 17));
        if (flow) {
            pj_jw_key(w, "flow");
            pj_jw_obj(w);
            pj_jw_kint(w, "quantity", flow[0]);
            pj_jw_kint(w, "shipped", flow[1]);
            pj_jw_kint(w, "remaining", flow[2]);
            pj_jw_obj_end(w);
        }
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return rc ? 0 : pj_fail(err, 404, "not_found", "id", "no shipment %lld", (long long)id);
}

static int shipment_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return shipment_write(c, id, NULL, w, err);
}

int pj_plan_shipments(pj_ctx *c, int64_t id, int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    int rd = pj_db_read_begin(c->db);
    int rc = pj_render_exists(c, "SELECT 1 FROM plans WHERE id = ?", id, err);
    pj_stmt *s = NULL;
    if (rc == 0) {
        rc = pj_not_found(err, "plan", id);
    } else if (rc > 0) {
        rc = -1;
        s = pj_db_prepare(c->db,
                          "SELECT id FROM plan_shipments WHERE plan_id = ? AND (? = 0 OR id < ?)"
                          " ORDER BY id DESC LIMIT ?",
                          err);
        if (s) {
            pj_stmt_int(s, 1, id);
            pj_stmt_int(s, 2, cursor);
            pj_stmt_int(s, 3, cursor);
            pj_stmt_int(s, 4, limit + 1);
            rc = pj_render_query_page(c, s, limit, shipment_render, w, err);
        }
    }
    pj_db_read_end(c->db, rd);
    return rc < 0 ? -1 : 0;
}

/* The roles that record shipments; the store's scope is checked as for its stock lines. */
static int may_ship(pj_ctx *c, pj_err *err)
{
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
    case PJ_ROLE_TOWNSHIP_OFFICER:
    case PJ_ROLE_FACILITY_OPERATOR:
        return 0;
    default:
        return pj_fail(err, 403, "forbidden", "",
                       "only admin, district officers and the officers and operators of the store"
                       " record shipments");
    }
}

/* One flow of plan id: how many of its flows leave from the store, go from it to the site, and,
 * of the category, the flow itself (quantity, unit, names, in force, shipped so far). */
typedef struct pflow {
    int64_t flows, from_store, to_site, found;
    int64_t quantity, shipped;
    int in_force;
    const char *unit, *store_name, *site_name;
} pflow;

static int flow_find(pj_ctx *c, int64_t id, int64_t store, int64_t site, const char *cat, pflow *f,
                     pj_err *err)
{
    memset(f, 0, sizeof *f);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT json_extract(fl.value, '$.store_id') = ?2,"
        " json_extract(fl.value, '$.store_id') = ?2 AND json_extract(fl.value, '$.facility_id') ="
        " ?3, json_extract(fl.value, '$.category') = ?4, json_extract(fl.value, '$.quantity'),"
        " json_extract(fl.value, '$.unit'), json_extract(fl.value, '$.store_name'),"
        " json_extract(fl.value, '$.facility_name'), p.status = 'adopted' "
        "AND " PJ_PLAN_FLOW_IN_FORCE ", " PJ_PLAN_FLOW_SHIPPED
        " FROM plans p, json_each(p.result_json, '$.supplies.flows') fl"
        " WHERE p.id = ?1 AND json_type(p.result_json, '$.supplies.flows') = 'array'",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, store);
    pj_stmt_int(s, 3, site);
    pj_stmt_text(s, 4, cat);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int at_store = pj_col_int(s, 0) != 0, at_site = pj_col_int(s, 1) != 0;
        f->flows++;
        f->from_store += at_store;
        f->to_site += at_site;
        if (!at_site || !pj_col_int(s, 2)) continue;
        /* one flow per store, site and category (the supply solve's); summed all the same */
        f->found++;
        f->quantity += pj_col_int(s, 3);
        f->unit = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        f->store_name = pj_arena_strdup(c->arena, pj_col_text(s, 5));
        f->site_name = pj_arena_strdup(c->arena, pj_col_text(s, 6));
        f->in_force = pj_col_int(s, 7) != 0;
        f->shipped = pj_col_int(s, 8);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_plan_ship(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"store_id", "facility_id", "category", "quantity", NULL};
    int64_t store = 0, site = 0, qty = 0;
    const char *cat = NULL;
    if (may_ship(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "store_id", 1, 1, INT64_MAX, &store, err) < 0 ||
        pj_in_int(body, "facility_id", 1, 1, INT64_MAX, &site, err) < 0 ||
        pj_in_str(body, "category", 1, 1, 32, &cat, err) < 0 ||
        pj_in_int(body, "quantity", 1, INT64_MIN, INT64_MAX, &qty, err) < 0)
        return -1;
    if (qty <= 0)
        return pj_fail(err, 422, "out_of_range", "quantity",
                       "quantity must be at least 1: the whole units shipped (%lld is not)",
                       (long long)qty);
    /* a store does not ship to itself: nothing leaves it, so nothing is taken off its stock */
    if (store == site)
        return pj_fail(err, 422, "invalid", "facility_id",
                       "facility %lld is the store itself: a store does not ship to itself (its "
                       "stock is there already)",
                       (long long)site);
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT status, json_type(result_json, '$.supplies.flows') ="
                               " 'array' FROM plans WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    const char *status = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : "";
    int with_supplies = rc == 1 && pj_col_int(s, 1) == 1;
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (rc == 0) {
        pj_not_found(err, "plan", id);
        goto fail;
    }
    /* the store in the caller's scope, as for its stock lines */
    if (pj_du_facility_scope(c, store, "store_id", NULL, err)) goto fail;
    if (strcmp(status, "adopted")) {
        pj_fail(err, 409, "not_adopted", "id",
                "plan %lld is %s: only the supply flows of an adopted plan are shipped",
                (long long)id, status);
        goto fail;
    }
    pflow f;
    if (flow_find(c, id, store, site, cat, &f, err)) goto fail;
    if (!f.flows) {
        if (with_supplies)
            pj_fail(err, 422, "unknown_flow", "store_id",
                    "plan %lld has no supply flows (when it was planned, no store had stock to"
                    " spare for its sites)",
                    (long long)id);
        else
            pj_fail(err, 422, "unknown_flow", "store_id",
                    "plan %lld has no supply flows (it was planned without supplies)",
                    (long long)id);
        goto fail;
    }
    if (!f.from_store) {
        pj_fail(err, 422, "unknown_flow", "store_id", "plan %lld ships nothing from facility %lld",
                (long long)id, (long long)store);
        goto fail;
    }
    if (!f.to_site) {
        pj_fail(err, 422, "unknown_flow", "facility_id",
                "plan %lld ships nothing from facility %lld to facility %lld", (long long)id,
                (long long)store, (long long)site);
        goto fail;
    }
    if (!f.found) {
        pj_fail(err, 422, "unknown_flow", "category",
                "plan %lld ships no %s from facility %lld to facility %lld", (long long)id, cat,
                (long long)store, (long long)site);
        goto fail;
    }
    if (!f.in_force) {
        pj_fail(err, 409, "not_in_force", "facility_id",
                "%s (facility %lld) is no longer converting or in emergency under plan %lld"
                " (restored or aborted): its supplies are not shipped",
                f.site_name, (long long)site, (long long)id);
        goto fail;
    }
    int64_t left = f.quantity - f.shipped;
    if (left < 0) left = 0;
    if (qty > left) {
        pj_fail(err, 409, "exceeds_flow", "quantity",
                "the flow from %s (facility %lld) to %s (facility %lld) has %lld %s of %s left to"
                " ship (%lld planned, %lld shipped): %lld is more",
                f.store_name, (long long)store, f.site_name, (long long)site, (long long)left,
                f.unit, cat, (long long)f.quantity, (long long)f.shipped, (long long)qty);
        pj_err_detail(err, "quantity", qty);
        pj_err_detail(err, "left", left);
        pj_err_detail(err, "planned", f.quantity);
        pj_err_detail(err, "shipped", f.shipped);
        goto fail;
    }
    /* the shipment first (its lines once taken), so that the audit row of each stock line it
     * takes from names it and its plan */
    s = pj_db_prepare(c->db,
                      "INSERT INTO plan_shipments (plan_id, store_id, facility_id, category,"
                      " quantity, unit, lines_json, shipped_at, shipped_by)"
                      " VALUES (?,?,?,?,?,?,'[]',?,?) RETURNING id",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, store);
    pj_stmt_int(s, 3, site);
    pj_stmt_text(s, 4, cat);
    pj_stmt_int(s, 5, qty);
    pj_stmt_text(s, 6, f.unit);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_text(s, 8, c->actor.username);
    int64_t sid = pj_stmt_step(s, err) == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (!sid) goto fail;
    /* the stock: checked and taken in one go (nothing taken when it is short) */
    int64_t usable = 0;
    pj_buf lb;
    pj_buf_init(&lb, (size_t)1 << 20);
    pj_jw lw;
    pj_jw_init(&lw, &lb);
    const char *why = pj_arena_printf(c->arena, "\"plan_id\":%lld,\"shipment_id\":%lld",
                                      (long long)id, (long long)sid);
    int took = pj_du_stock_take_tx(c, store, cat, qty, &usable, why, &lw, err);
    if (took == 1) {
        pj_fail(err, 409, "insufficient_stock", "quantity",
                "%s (facility %lld) has %lld %s of %s usable (not expired): %lld cannot be"
                " shipped",
                f.store_name, (long long)store, (long long)usable, f.unit, cat, (long long)qty);
        pj_err_detail(err, "quantity", qty);
        pj_err_detail(err, "usable", usable);
    }
    if (took) {
        pj_buf_free(&lb);
        goto fail;
    }
    const char *lines = pj_arena_strndup(c->arena, lb.data ? lb.data : "[]", lb.data ? lb.len : 2);
    pj_buf_free(&lb);
    s = pj_db_prepare(c->db, "UPDATE plan_shipments SET lines_json = ? WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, lines);
    pj_stmt_int(s, 2, sid);
    if (pj_step_done(s, err)) goto fail;
    char *after;
    if (!(after = pj_render_to_string(c, sid, shipment_render, err)) ||
        pj_audit_add(c, "create", "plan_shipment", sid, NULL, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    /* the shipment, and where its flow stands now */
    int64_t now[3] = {f.quantity, f.shipped + qty, left - qty};
    return shipment_write(c, sid, now, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_plan_shipment_void(pj_ctx *c, int64_t id, int64_t sid, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"reason", NULL};
    const char *reason = NULL;
    if (may_ship(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_text_trimmed(c->arena, body, "reason", 1, 500, &reason, err) < 0)
        return -1;
    if (sid <= 0)
        return pj_fail(err, 400, "bad_id", "sid",
                       "the shipment's id (after /shipments/) is not a valid id");
    if (pj_db_begin(c->db, err)) return -1;
    int rc = pj_render_exists(c, "SELECT 1 FROM plans WHERE id = ?", id, err);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "plan", id);
        goto fail;
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT store_id, facility_id, category, unit, lines_json,"
                               " voided_at, voided_by FROM plan_shipments WHERE id = ? AND"
                               " plan_id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, sid);
    pj_stmt_int(s, 2, id);
    rc = pj_stmt_step(s, err);
    int64_t store = 0, site = 0, voided_at = 0;
    const char *cat = "", *unit = "", *lines = "[]", *by = "";
    if (rc == 1) {
        store = pj_col_int(s, 0);
        site = pj_col_int(s, 1);
        cat = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        unit = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        lines = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        voided_at = pj_col_is_null(s, 5) ? 0 : pj_col_int(s, 5);
        by = pj_arena_strdup(c->arena, pj_col_is_null(s, 6) ? "" : pj_col_text(s, 6));
    }
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (rc == 0) {
        pj_fail(err, 404, "not_found", "sid", "plan %lld has no shipment %lld", (long long)id,
                (long long)sid);
        goto fail;
    }
    /* the store in the caller's scope, as for recording the shipment */
    if (pj_du_facility_scope(c, store, NULL, NULL, err)) goto fail;
    /* (a void sent twice, by a double click, is told so) */
    if (voided_at) {
        char at[21];
        pj_time_iso(voided_at, at);
        pj_fail(err, 409, "invalid_state", "sid", "shipment %lld was voided already (%s by %s)",
                (long long)sid, at, by);
        goto fail;
    }
    char *before = pj_render_to_string(c, sid, shipment_render, err), *after;
    if (!before) goto fail;
    /* the stock back on the lines it came from (whatever the plan's status now: the stock
     * did not leave as recorded) */
    pj_buf lb;
    pj_buf_init(&lb, (size_t)1 << 20);
    pj_jw lw;
    pj_jw_init(&lw, &lb);
    const char *why = pj_arena_printf(c->arena, "\"plan_id\":%lld,\"shipment_id\":%lld",
                                      (long long)id, (long long)sid);
    if (pj_du_stock_return_tx(c, store, cat, unit, lines, why, &lw, err)) {
        pj_buf_free(&lb);
        goto fail;
    }
    const char *back = pj_arena_strndup(c->arena, lb.data ? lb.data : "[]", lb.data ? lb.len : 2);
    pj_buf_free(&lb);
    s = pj_db_prepare(c->db,
                      "UPDATE plan_shipments SET voided_at = ?, voided_by = ?, void_reason = ?,"
                      " void_lines_json = ? WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, pj_now());
    pj_stmt_text(s, 2, c->actor.username ? c->actor.username : "system");
    pj_stmt_text(s, 3, reason);
    pj_stmt_text(s, 4, back);
    pj_stmt_int(s, 5, sid);
    if (pj_step_done(s, err)) goto fail;
    if (!(after = pj_render_to_string(c, sid, shipment_render, err)) ||
        pj_audit_add(c, "void", "plan_shipment", sid, before, after, err))
        goto fail;
    /* where its flow stands now */
    pflow f;
    if (flow_find(c, id, store, site, cat, &f, err) || pj_db_commit(c->db, err)) goto fail;
    int64_t left = f.quantity - f.shipped;
    int64_t now[3] = {f.quantity, f.shipped, left < 0 ? 0 : left};
    return shipment_write(c, sid, f.found ? now : NULL, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}
