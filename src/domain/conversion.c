/* Dual-use: live conversions and drills of a facility by its manual, step by step. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/dualuse_int.h"
#include "domain/input.h"
#include "domain/plan_int.h"
#include "domain/registry.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

const char *const pj_conversion_modes[] = {"live", "drill", NULL};
const char *const pj_conversion_states[] = {"converting", "emergency", "restoring", "completed",
                                            "running",    "finished",  "aborted",   NULL};
const char *const pj_finding_statuses[] = {"open", "closed", NULL};

const char *pj_conv_transition(const char *from, pj_conv_event ev)
{
    static const struct {
        const char *from;
        pj_conv_event ev;
        const char *to;
    } table[] = {
        {"peacetime", PJ_EV_START, "converting"},  {"converting", PJ_EV_READY, "emergency"},
        {"converting", PJ_EV_ABORT, "peacetime"},  {"converting", PJ_EV_ABORT_RESTORE, "restoring"},
        {"emergency", PJ_EV_RESTORE, "restoring"}, {"restoring", PJ_EV_RESTORED, "peacetime"}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].from, from) && table[i].ev == ev) return table[i].to;
    return NULL;
}

/* Seconds as minutes with one decimal, rounded down: the same step shows the same figure on the
 * conversion, in the drill report and its CSV. Every judgement of time (a step late or overdue,
 * a conversion over its deadline, a drill passed, too fast, its score) is made on this figure,
 * so that what is shown and what is judged agree: 60.05 minutes shows 60 and is on time for 60
 * planned minutes, 60.1 shows 60.1 and is late. */
static double minutes1(int64_t secs)
{
    return floor((double)secs / 6.0) / 10;
}

int pj_drill_step_too_fast(double planned, double actual, int done)
{
    return done && planned > 0 && actual < planned * PJ_DRILL_TOO_FAST_SHARE;
}

double pj_drill_step_score(double planned, double actual, int done)
{
    if (!done || pj_drill_step_too_fast(planned, actual, done)) return 0;
    if (actual <= planned || actual <= 0) return 1;
    return planned / actual;
}

/* ---- rendering ---- */

typedef struct conv_head {
    int64_t id, facility_id, manual_id, standard_id, started_at, ready_at, restore_at, ended_at;
    int64_t version;
    int drill_passed; /* a finished drill's kept verdict: 1, 0; -1 not kept (or no such drill) */
    const char *facility, *ftype, *scenario, *mode, *state, *started_by, *abort_reason, *fstate,
        *started_by_name;
} conv_head;

static int conv_load(pj_ctx *c, int64_t id, conv_head *h, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT v.id, v.facility_id, v.manual_id, COALESCE(v.standard_id, 0),"
                      " v.started_at, COALESCE(v.ready_at, 0),"
                      " COALESCE(v.restore_started_at, 0), COALESCE(v.ended_at, 0),"
                      " v.version, f.name, f.type, v.scenario, v.mode, v.state,"
                      " v.started_by, v.abort_reason, f.state,"
                      " " PJ_SQL_BY_NAME_OF "v.started_by" PJ_SQL_BY_NAME_END ","
                      " COALESCE(v.drill_passed, -1) FROM conversions v"
                      " JOIN facilities f ON f.id = v.facility_id WHERE v.id = ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_arena *a = c->arena;
        *h = (conv_head){.id = pj_col_int(s, 0),
                         .facility_id = pj_col_int(s, 1),
                         .manual_id = pj_col_int(s, 2),
                         .standard_id = pj_col_int(s, 3),
                         .started_at = pj_col_int(s, 4),
                         .ready_at = pj_col_int(s, 5),
                         .restore_at = pj_col_int(s, 6),
                         .ended_at = pj_col_int(s, 7),
                         .version = pj_col_int(s, 8),
                         .facility = pj_arena_strdup(a, pj_col_text(s, 9)),
                         .ftype = pj_arena_strdup(a, pj_col_text(s, 10)),
                         .scenario = pj_arena_strdup(a, pj_col_text(s, 11)),
                         .mode = pj_arena_strdup(a, pj_col_text(s, 12)),
                         .state = pj_arena_strdup(a, pj_col_text(s, 13)),
                         .started_by = pj_arena_strdup(a, pj_col_text(s, 14)),
                         .abort_reason = pj_arena_strdup(a, pj_col_text(s, 15)),
                         .fstate = pj_arena_strdup(a, pj_col_text(s, 16)),
                         .started_by_name = pj_arena_strdup(a, pj_col_text(s, 17)),
                         .drill_passed = (int)pj_col_int(s, 18)};
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "conversion", id);
    return 0;
}

static void opt_time(pj_jw *w, const char *key, int64_t t)
{
    if (t)
        pj_render_time(w, key, t);
    else
        pj_jw_knull(w, key);
}

static double target_hours_of(pj_ctx *c, const conv_head *h)
{
    double t = 0;
    if (!h->standard_id) return 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT target_hours FROM standards WHERE id = ?", NULL);
    if (!s) return 0;
    pj_stmt_int(s, 1, h->standard_id);
    if (pj_stmt_step(s, NULL) == 1) t = pj_col_double(s, 0);
    pj_stmt_done(s);
    return t;
}

/* The deadline a conversion is judged on and how it stands against it, as the conversion shows
 * it (conv_render) and the overview's live conversions (pj_conversion_standing). */
typedef struct conv_deadline {
    double target;      /* the standard's target in hours, 0 without one */
    int has_plan;       /* an adopted plan scheduled its convert steps */
    int64_t plan_ready; /* minutes from the start the plan expects the site ready */
    int has_deadline;   /* deadline below is set */
    double deadline;    /* minutes from the start */
    double elapsed;     /* minutes from the start to ready, end or now, as shown */
    int over;           /* elapsed past the deadline */
} conv_deadline;

static int conv_deadline_of(pj_ctx *c, const conv_head *h, int64_t now, conv_deadline *d,
                            pj_err *err)
{
    *d = (conv_deadline){.target = target_hours_of(c, h)};
    /* the convert phase ends when the site is ready, or when an abort sent it to its restore
     * steps, or with the conversion */
    int64_t end = h->ready_at     ? h->ready_at
                  : h->restore_at ? h->restore_at
                                  : (h->ended_at ? h->ended_at : now);
    d->elapsed = minutes1(end - h->started_at);
    /* an adopted plan expects the site ready when its last convert step is planned to end: that
     * is the deadline that counts for the conversion, the standard's target only without one */
    pj_stmt *pr = pj_db_prepare(c->db,
                                "SELECT MAX(planned_end_min) FROM conversion_steps WHERE"
                                " conversion_id = ? AND phase = 'convert'",
                                err);
    if (!pr) return -1;
    pj_stmt_int(pr, 1, h->id);
    int prc = pj_stmt_step(pr, err);
    d->has_plan = prc == 1 && !pj_col_is_null(pr, 0);
    d->plan_ready = d->has_plan ? pj_col_int(pr, 0) : 0;
    pj_stmt_done(pr);
    if (prc < 0) return -1;
    d->deadline = d->has_plan ? (double)d->plan_ready : d->target > 0 ? d->target * 60 : 0;
    d->has_deadline = d->deadline > 0 || d->has_plan;
    d->over = d->has_deadline && d->elapsed > d->deadline + 1e-9;
    return 0;
}

/* The adopted plan's schedule (minutes from the conversion's start): a step is behind it when
 * it has not started within PJ_PLAN_START_GRACE_MIN of its planned start (the teams are told
 * when the plan is adopted: a step planned at minute 0 was "behind" a minute later) or not
 * finished by its planned end, judged on minutes from the start as shown (one decimal, rounded
 * down), like late and overdue. A site ready by the plan's ready time has no step behind: its
 * steps' order was the site's to choose. st, fin: the step's times (0 when not yet); clock:
 * now, or when the conversion ended. */
static int phase_open(const conv_head *h, const char *phase);

static int step_behind_plan(const conv_head *h, const conv_deadline *d, const char *phase,
                            int64_t planned_start, int64_t planned_end, int64_t st, int64_t fin,
                            int64_t clock)
{
    /* a step never started whose phase is over (the conversion aborted, or gone on to its
     * restore steps) was dropped, not late: an aborted conversion is behind nothing */
    if (!st && !phase_open(h, phase)) return 0;
    if (d->has_plan && h->ready_at &&
        minutes1(h->ready_at - h->started_at) <= (double)d->plan_ready)
        return 0;
    double at = minutes1(clock - h->started_at);
    return (!st && at > (double)(planned_start + PJ_PLAN_START_GRACE_MIN)) ||
           (fin ? minutes1(fin - h->started_at) > (double)planned_end : at > (double)planned_end);
}

/* timers run until the conversion ends: an aborted one's running steps stop with it */
static int64_t conv_clock(const conv_head *h, int64_t now)
{
    return h->ended_at ? h->ended_at : now;
}

/* the clock of a phase's steps: convert steps stop when the restore phase starts (a conversion
 * aborted after work began goes to its restore steps, its running convert steps stopped) */
static int64_t phase_clock(const conv_head *h, const char *phase, int64_t now)
{
    if (h->restore_at && !strcmp(phase, "convert")) return h->restore_at;
    return conv_clock(h, now);
}

/* the steps of a phase are worked on: the conversion has not ended, and for convert steps the
 * restore phase has not begun */
static int phase_open(const conv_head *h, const char *phase)
{
    return !h->ended_at && !(h->restore_at && !strcmp(phase, "convert"));
}

int pj_conversion_standing(pj_ctx *c, int64_t id, pj_conv_standing *out, pj_err *err)
{
    conv_head h;
    conv_deadline d;
    int64_t now = pj_now();
    if (conv_load(c, id, &h, err) || conv_deadline_of(c, &h, now, &d, err)) return -1;
    *out = (pj_conv_standing){
        .has_deadline = d.has_deadline, .deadline_minutes = d.deadline, .over_deadline = d.over};
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT planned_start_min, planned_end_min, started_at, finished_at,"
                               " phase FROM conversion_steps WHERE conversion_id = ? AND"
                               " planned_start_min IS NOT NULL",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1)
        out->behind_plan += step_behind_plan(&h, &d, pj_col_text(s, 4), pj_col_int(s, 0),
                                             pj_col_int(s, 1), pj_col_int(s, 2), pj_col_int(s, 3),
                                             phase_clock(&h, pj_col_text(s, 4), now));
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* What adopted plan `plan` sends to facility fid, an entry of the conversion's `plan_sites`: the
 * site's people (all, and those needing medical care) against its capacity and barrier-free rooms,
 * the villages they come from (village names and counts only, no personal data), and the supply
 * flows into the site with what was shipped of them. Only this site's figures: a facility's
 * operator reads what to prepare for, not the other sites' (the plan itself stays the place for the
 * whole plan). in_force by the plan's rule (PJ_PLAN_IN_FORCE_AT, PJ_PLAN_FLOW_IN_FORCE), as GET
 * /plans/{id} shows the site and flows. */
static int plan_site_render(pj_ctx *c, int64_t plan, int64_t fid, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT p.name, p.status, p.role, json_extract(st.value, '$.used'),"
        " json_extract(st.value, '$.vulnerable'), json_extract(st.value, '$.capacity'),"
        " json_extract(st.value, '$.barrier_free_rooms'), json_extract(st.value, '$.medical'),"
        " p.status = 'adopted' AND " PJ_PLAN_IN_FORCE_AT(
            "?2") ","
                  " json_extract(p.result_json, '$.supplies.days')"
                  " FROM plans p LEFT JOIN json_each(p.result_json, '$.sites') st ON"
                  " json_extract(st.value, '$.facility_id') = ?2 WHERE p.id = ?1 LIMIT 1",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, plan);
    pj_stmt_int(s, 2, fid);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        return rc < 0 ? -1 : 0;
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "plan_id", plan);
    pj_render_text(w, "plan_name", s, 0);
    pj_render_text(w, "plan_status", s, 1);
    pj_render_text(w, "role", s, 2);
    pj_jw_kbool(w, "in_force", pj_col_int(s, 8) != 0);
    pj_jw_kint(w, "people", pj_col_int(s, 3));
    pj_jw_kint(w, "vulnerable", pj_col_int(s, 4));
    pj_jw_kint(w, "capacity", pj_col_int(s, 5));
    pj_jw_kint(w, "barrier_free_rooms", pj_col_int(s, 6));
    pj_jw_kbool(w, "medical", pj_col_int(s, 7) != 0);
    if (pj_col_is_null(s, 9))
        pj_jw_knull(w, "supply_days");
    else
        pj_jw_kint(w, "supply_days", pj_col_int(s, 9));
    pj_stmt_done(s);
    /* the villages, most people first */
    s = pj_db_prepare(c->db,
                      "SELECT json_extract(a.value, '$.village_id') AS v, json_extract(a.value,"
                      " '$.village_name'), SUM(json_extract(a.value, '$.people')) AS n,"
                      " SUM(CASE WHEN json_extract(a.value, '$.class') = 'vulnerable' THEN"
                      " json_extract(a.value, '$.people') ELSE 0 END) FROM plans p,"
                      " json_each(p.result_json, '$.assignments') a WHERE p.id = ?1 AND"
                      " json_extract(a.value, '$.facility_id') = ?2 GROUP BY v ORDER BY n DESC, v",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, plan);
    pj_stmt_int(s, 2, fid);
    pj_jw_key(w, "villages");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "village_id", pj_col_int(s, 0));
        pj_render_text(w, "village_name", s, 1);
        pj_jw_kint(w, "people", pj_col_int(s, 2));
        pj_jw_kint(w, "vulnerable", pj_col_int(s, 3));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    if (rc < 0) return -1;
    /* the supply flows into the site, in the plan's order, with their shipments */
    s = pj_db_prepare(
        c->db,
        "SELECT json_extract(fl.value, '$.store_id'), json_extract(fl.value, '$.store_name'),"
        " json_extract(fl.value, '$.category'), json_extract(fl.value, '$.unit'),"
        " json_extract(fl.value, '$.quantity'), " PJ_PLAN_FLOW_SHIPPED ", p.status = 'adopted'"
        " AND " PJ_PLAN_FLOW_IN_FORCE " FROM plans p, json_each(p.result_json,"
        " '$.supplies.flows') fl WHERE p.id = ?1 AND json_extract(fl.value, '$.facility_id') ="
        " ?2 ORDER BY fl.key",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, plan);
    pj_stmt_int(s, 2, fid);
    pj_jw_key(w, "flows");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        double q = pj_col_double(s, 4), shipped = pj_col_double(s, 5);
        pj_jw_obj(w);
        pj_jw_kint(w, "store_id", pj_col_int(s, 0));
        pj_render_text(w, "store_name", s, 1);
        pj_render_text(w, "category", s, 2);
        pj_render_text(w, "unit", s, 3);
        pj_jw_knum(w, "quantity", q);
        pj_jw_knum(w, "shipped", shipped);
        pj_jw_knum(w, "remaining", q > shipped ? q - shipped : 0);
        pj_jw_kbool(w, "in_force", pj_col_int(s, 6) != 0);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    if (rc < 0) return -1;
    /* what the stores could not give the site */
    s = pj_db_prepare(c->db,
                      "SELECT json_extract(u.value, '$.category'), json_extract(u.value, '$.unit'),"
                      " json_extract(u.value, '$.quantity') FROM plans p,"
                      " json_each(p.result_json, '$.supplies.unmet') u WHERE p.id = ?1 AND"
                      " json_extract(u.value, '$.facility_id') = ?2 ORDER BY u.key",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, plan);
    pj_stmt_int(s, 2, fid);
    pj_jw_key(w, "unmet");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_text(w, "category", s, 0);
        pj_render_text(w, "unit", s, 1);
        pj_jw_knum(w, "quantity", pj_col_double(s, 2));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

/* The plans (adopted, or closed since) whose people and supplies go to conversion h's site:
 * the plan whose adoption started it (plan_conversions), and for a live conversion those adopted
 * while it ran that found the site converted already and placed people there (no conversion of
 * their own there: the rule of PJ_PLAN_IN_FORCE_AT), by plan id. As `plan_sites`. */
static int plan_sites_render(pj_ctx *c, const conv_head *h, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT p.id FROM plans p, conversions v WHERE v.id = ?1 AND p.status IN ('adopted',"
        " 'closed') AND (EXISTS (SELECT 1 FROM plan_conversions pc WHERE pc.plan_id = p.id AND"
        " pc.conversion_id = v.id) OR " PJ_PLAN_PLACED_IN ") ORDER BY p.id LIMIT 100",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, h->id);
    int64_t ids[100];
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < 100) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_key(w, "plan_sites");
    pj_jw_arr(w);
    for (int k = 0; k < n; k++)
        if (plan_site_render(c, ids[k], h->facility_id, w, err)) return -1;
    pj_jw_arr_end(w);
    return 0;
}

/* The conversion; with_site: also its `plan_sites` (the answers of GET /conversions/{id} and of
 * the actions; the list and the audit rows go without it). */
static int conv_render_as(pj_ctx *c, int64_t id, pj_jw *w, int with_site, pj_err *err)
{
    conv_head h;
    if (conv_load(c, id, &h, err)) return -1;
    int64_t now = pj_now();
    pj_jw_obj(w);
    pj_jw_kint(w, "id", h.id);
    pj_jw_kint(w, "facility_id", h.facility_id);
    pj_jw_kstr(w, "facility_name", h.facility);
    pj_jw_kstr(w, "facility_state", h.fstate);
    pj_jw_kint(w, "manual_id", h.manual_id);
    pj_jw_kstr(w, "scenario", h.scenario);
    pj_jw_kstr(w, "mode", h.mode);
    pj_jw_kstr(w, "state", h.state);
    pj_render_time(w, "started_at", h.started_at);
    pj_jw_kstr(w, "started_by", h.started_by);
    pj_jw_kstr(w, "started_by_name", h.started_by_name);
    opt_time(w, "ready_at", h.ready_at);
    opt_time(w, "restore_started_at", h.restore_at);
    opt_time(w, "ended_at", h.ended_at);
    if (h.abort_reason && *h.abort_reason)
        pj_jw_kstr(w, "abort_reason", h.abort_reason);
    else
        pj_jw_knull(w, "abort_reason");
    conv_deadline d;
    if (conv_deadline_of(c, &h, now, &d, err)) return -1;
    if (d.target > 0)
        pj_jw_knum(w, "target_hours", d.target);
    else
        pj_jw_knull(w, "target_hours");
    pj_jw_knum(w, "elapsed_minutes", d.elapsed);
    if (d.has_plan)
        pj_jw_kint(w, "plan_ready_minutes", d.plan_ready);
    else
        pj_jw_knull(w, "plan_ready_minutes");
    /* the adopted plan that started it (plan_conversions), null for one started by hand */
    pj_stmt *pl = pj_db_prepare(
        c->db, "SELECT MIN(plan_id) FROM plan_conversions WHERE conversion_id = ?", err);
    if (!pl) return -1;
    pj_stmt_int(pl, 1, h.id);
    int plrc = pj_stmt_step(pl, err);
    if (plrc == 1 && !pj_col_is_null(pl, 0))
        pj_jw_kint(w, "plan_id", pj_col_int(pl, 0));
    else
        pj_jw_knull(w, "plan_id");
    pj_stmt_done(pl);
    if (plrc < 0) return -1;
    if (d.has_deadline) {
        pj_jw_knum(w, "deadline_minutes", d.deadline);
        pj_jw_kstr(w, "deadline_from", d.has_plan ? "plan" : "standard");
    } else {
        pj_jw_knull(w, "deadline_minutes");
        pj_jw_knull(w, "deadline_from");
    }
    pj_jw_kbool(w, "over_deadline", d.over);
    /* a finished drill's verdict, as its report's `passed` (kept when it finished; one finished
     * before the verdicts were kept is judged here); null for a live conversion and a drill
     * running or aborted */
    if (!strcmp(h.mode, "drill") && !strcmp(h.state, "finished")) {
        int passed = h.drill_passed >= 0 ? h.drill_passed : pj_du_drill_passed(c, h.id, err);
        if (passed < 0) return -1;
        pj_jw_kbool(w, "drill_passed", passed);
    } else {
        pj_jw_knull(w, "drill_passed");
    }
    pj_jw_kint(w, "version", h.version);
    pj_render_time(w, "as_of", now); /* the server's clock, for elapsed and running timers */
    pj_jw_key(w, "steps");
    pj_jw_arr(w);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT cs.id, ms.id, ms.phase, ms.code, ms.name, ms.planned_minutes,"
        " ms.team_type, ms.team_count, ms.predecessors, ms.checklist,"
        " cs.status, cs.started_at, cs.started_by, cs.finished_at,"
        " cs.finished_by, cs.remarks, cs.planned_start_min, cs.planned_end_min,"
        " " PJ_SQL_BY_NAME_OF "cs.started_by" PJ_SQL_BY_NAME_END ","
        " " PJ_SQL_BY_NAME_OF "cs.finished_by" PJ_SQL_BY_NAME_END " FROM conversion_steps cs"
        " JOIN manual_steps ms ON ms.id = cs.step_id"
        " WHERE cs.conversion_id = ? ORDER BY ms.phase, ms.seq",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc, done = 0, total = 0, overdue = 0, behind = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        const char *status = pj_col_text(s, 10);
        int64_t clock = phase_clock(&h, pj_col_text(s, 2), now);
        int64_t planned = pj_col_int(s, 5), st = pj_col_int(s, 11), fin = pj_col_int(s, 13);
        int is_over = 0, late = 0;
        /* overdue only while the step's phase is open: a step left running when its conversion
         * ended (an abort without restore steps) or went on to its restore steps keeps its
         * status, but no one is working on it against the clock any more */
        if (!strcmp(status, "running") && phase_open(&h, pj_col_text(s, 2)) &&
            minutes1(clock - st) > (double)planned)
            is_over = 1;
        if (!strcmp(status, "done") && minutes1(fin - st) > (double)planned) late = 1;
        total++;
        done += !strcmp(status, "done");
        overdue += is_over;
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        pj_jw_kint(w, "step_id", pj_col_int(s, 1));
        pj_render_text(w, "phase", s, 2);
        pj_render_text(w, "code", s, 3);
        pj_render_text(w, "name", s, 4);
        pj_jw_kint(w, "planned_minutes", planned);
        pj_render_text(w, "team_type", s, 6);
        pj_jw_kint(w, "team_count", pj_col_int(s, 7));
        pj_jw_key(w, "predecessors");
        pj_jw_raw(w, pj_col_text(s, 8));
        pj_jw_kstr(w, "status", status);
        opt_time(w, "started_at", st);
        pj_render_by(w, "started_by", s, 12, 18);
        opt_time(w, "finished_at", fin);
        pj_render_by(w, "finished_by", s, 14, 19);
        pj_render_text(w, "remarks", s, 15);
        if (st) {
            int64_t e = fin ? fin : clock;
            pj_jw_knum(w, "actual_minutes", minutes1(e - st));
        } else {
            pj_jw_knull(w, "actual_minutes");
        }
        pj_jw_kbool(w, "overdue", is_over);
        pj_jw_kbool(w, "late", late);
        /* the adopted plan's schedule, when the step has one */
        if (pj_col_is_null(s, 16)) {
            pj_jw_knull(w, "planned_start_min");
            pj_jw_knull(w, "planned_end_min");
            pj_jw_kbool(w, "behind_plan", 0);
        } else {
            int b = step_behind_plan(&h, &d, pj_col_text(s, 2), pj_col_int(s, 16),
                                     pj_col_int(s, 17), st, fin, clock);
            behind += b;
            pj_jw_kint(w, "planned_start_min", pj_col_int(s, 16));
            pj_jw_kint(w, "planned_end_min", pj_col_int(s, 17));
            pj_jw_kbool(w, "behind_plan", b);
        }
        /* checklist items with their signatures */
        const char *items = pj_col_text(s, 9);
        json_t *arr = json_loads(items, 0, NULL);
        pj_jw_key(w, "checklist");
        pj_jw_arr(w);
        int64_t step_id = pj_col_int(s, 1);
        for (size_t k = 0; k < json_array_size(arr); k++) {
            const char *item = json_string_value(json_array_get(arr, k));
            pj_stmt *q =
                pj_db_prepare(c->db,
                              "SELECT signed_by, signed_at,"
                              " " PJ_SQL_BY_NAME_OF "conversion_checks.signed_by" PJ_SQL_BY_NAME_END
                              " FROM conversion_checks WHERE conversion_id = ? AND"
                              " step_id = ? AND item = ?",
                              err);
            if (!q) {
                json_decref(arr);
                pj_stmt_done(s);
                return -1;
            }
            pj_stmt_int(q, 1, id);
            pj_stmt_int(q, 2, step_id);
            pj_stmt_text(q, 3, item);
            pj_jw_obj(w);
            pj_jw_kstr(w, "item", item);
            if (pj_stmt_step(q, err) == 1) {
                pj_render_by(w, "signed_by", q, 0, 2);
                pj_render_time(w, "signed_at", pj_col_int(q, 1));
            } else {
                pj_jw_knull(w, "signed_by");
                pj_jw_knull(w, "signed_by_name");
                pj_jw_knull(w, "signed_at");
            }
            pj_stmt_done(q);
            pj_jw_obj_end(w);
        }
        json_decref(arr);
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_key(w, "progress");
    pj_jw_obj(w);
    pj_jw_kint(w, "done", done);
    pj_jw_kint(w, "total", total);
    pj_jw_kint(w, "overdue", overdue);
    pj_jw_kint(w, "behind_plan", behind);
    pj_jw_obj_end(w);
    if (with_site && plan_sites_render(c, &h, w, err)) return -1;
    pj_jw_obj_end(w);
    return 0;
}

static int conv_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return conv_render_as(c, id, w, 0, err);
}

/* The conversion as its own answers give it: with `plan_sites`. */
static int conv_answer(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return conv_render_as(c, id, w, 1, err);
}

int pj_conversion_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return conv_answer(c, id, w, err);
}

int pj_conversion_list(pj_ctx *c, int64_t facility_id, int64_t township_id, int64_t plan_id,
                       const char *mode, const char *state, int64_t cursor, int limit, pj_jw *w,
                       pj_err *err)
{
    /* newest first; a township: the conversions of its facilities; a plan: those it started
     * or placed people in (its plan_sites), what standing it down leaves to restore */
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id FROM conversions WHERE (?1 = 0 OR id < ?1)"
                      " AND (?2 = 0 OR facility_id = ?2) AND (?3 IS NULL OR mode = ?3)"
                      " AND (?4 IS NULL OR state = ?4) AND (?5 = 0 OR facility_id IN"
                      " (SELECT id FROM facilities WHERE township_id = ?5))"
                      " AND (?6 = 0 OR id IN (SELECT conversion_id FROM plan_conversions"
                      " WHERE plan_id = ?6) OR id IN (SELECT v.id FROM plans p,"
                      " json_each(p.result_json, '$.sites') e JOIN conversions v ON"
                      " v.facility_id = json_extract(e.value, '$.facility_id') WHERE"
                      " p.id = ?6 AND p.status IN ('adopted', 'closed') AND " PJ_PLAN_PLACED_IN
                      ")) ORDER BY id DESC LIMIT ?7",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_int(s, 2, facility_id);
    pj_stmt_text(s, 3, mode);
    pj_stmt_text(s, 4, state);
    pj_stmt_int(s, 5, township_id);
    pj_stmt_int(s, 6, plan_id);
    pj_stmt_int(s, 7, limit + 1);
    return pj_render_query_page(c, s, limit, conv_render, w, err);
}

/* ---- transitions ---- */

/* A live conversion moves its facility's state: a change of the facility's record like any
 * other, so its version moves on (an edit form opened before gets 409 and shows the new state
 * once reloaded) and it has its own audit row, `state` / `facility`, in the same transaction. */
static int set_facility_state(pj_ctx *c, int64_t fid, const char *state, pj_err *err)
{
    char *before = pj_render_to_string(c, fid, pj_facility_get, err);
    if (!before) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "UPDATE facilities SET state = ?, updated_at = ?, version = version + 1"
                      " WHERE id = ?",
                      err);
    if (!s) return -1;
    pj_stmt_text(s, 1, state);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, fid);
    if (pj_step_done(s, err)) return -1;
    char *after = pj_render_to_string(c, fid, pj_facility_get, err);
    return !after || pj_audit_add(c, "state", "facility", fid, before, after, err) ? -1 : 0;
}

/* Moves conversion id to state, time_col stamped now and reason kept when given, as a new
 * version; *before gets the conversion as it was (conv_render), for the move's audit row
 * (audit_conv): rendered here, before the UPDATE and before the facility's state moves with it. */
static int set_conv(pj_ctx *c, int64_t id, const char *state, const char *time_col,
                    const char *reason, char **before, pj_err *err)
{
    *before = pj_render_to_string(c, id, conv_render, err);
    if (!*before) return -1;
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET state = ?, %s = ?, abort_reason = COALESCE(?, abort_reason),"
             " version = version + 1 WHERE id = ?",
             time_col);
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_text(s, 1, state);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_text(s, 3, reason);
    pj_stmt_int(s, 4, id);
    return pj_step_done(s, err);
}

/* A step as its audit rows keep it (before and after an action): its conversion, code,
 * status, who started and finished it when, remarks and the signed checklist items. */
static int step_snapshot(pj_ctx *c, int64_t row, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT cs.conversion_id, ms.code, cs.phase, cs.status,"
        " cs.started_at, cs.started_by, cs.finished_at, cs.finished_by,"
        " cs.remarks, (SELECT json_group_array(json_object('item', k.item,"
        " 'signed_by', k.signed_by, 'signed_by_name', " PJ_SQL_BY_NAME_OF
        "k.signed_by" PJ_SQL_BY_NAME_END ")) FROM conversion_checks k WHERE"
        " k.conversion_id = cs.conversion_id AND k.step_id = cs.step_id), " PJ_SQL_BY_NAME_OF
        "cs.started_by" PJ_SQL_BY_NAME_END ", " PJ_SQL_BY_NAME_OF
        "cs.finished_by" PJ_SQL_BY_NAME_END
        " FROM conversion_steps cs JOIN manual_steps ms ON ms.id ="
        " cs.step_id WHERE cs.id = ?",
        row, "step", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "conversion_id", pj_col_int(s, 0));
    pj_render_text(w, "step", s, 1);
    pj_render_text(w, "phase", s, 2);
    pj_render_text(w, "status", s, 3);
    opt_time(w, "started_at", pj_col_int(s, 4));
    pj_render_by(w, "started_by", s, 5, 10);
    opt_time(w, "finished_at", pj_col_int(s, 6));
    pj_render_by(w, "finished_by", s, 7, 11);
    pj_render_text(w, "remarks", s, 8);
    pj_jw_key(w, "signed");
    pj_jw_raw(w, pj_col_is_null(s, 9) ? "[]" : pj_col_text(s, 9));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

/* The people of adopted plans a restore or abort was confirmed over (pj_plan_occupants): none when
 * people is 0. */
typedef struct conv_occupied {
    int64_t people;
    const char *plan_ids; /* "9,12" */
    const char *reason;
} conv_occupied;

/* The audit row of conversion id's action: before, the conversion as it was (set_conv; NULL for
 * its start), and the conversion as rendered now; a restore or abort that the operator confirmed
 * although the site housed people of adopted plans (occ, NULL or people 0 when none) adds
 * `occupied` (people, plan ids and the reason given) to after. */
static int audit_conv(pj_ctx *c, int64_t id, const char *action, const char *before,
                      const conv_occupied *occ, pj_err *err)
{
    char *after = pj_render_to_string(c, id, conv_render, err);
    if (!after) return -1;
    if (!occ || !occ->people) return pj_audit_add(c, action, "conversion", id, before, after, err);
    json_t *o = json_loads(after, 0, NULL), *plans = json_array();
    if (!o) {
        json_decref(plans);
        return pj_fail(err, 500, "internal", "", "cannot read the conversion's audit row");
    }
    for (const char *q = occ->plan_ids; *q;) {
        json_array_append_new(plans, json_integer(strtoll(q, NULL, 10)));
        q = strchr(q, ',');
        if (!q) break;
        q++;
    }
    json_object_set_new(o, "occupied",
                        json_pack("{s:I, s:o, s:s}", "people", (json_int_t)occ->people, "plan_ids",
                                  plans, "reason", occ->reason));
    char *t = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!t) return pj_fail(err, 500, "internal", "", "cannot write the conversion's audit row");
    int rc = pj_audit_add(c, action, "conversion", id, before, t, err);
    free(t);
    return rc;
}

int pj_du_conversion_audit_start(pj_ctx *c, int64_t id, pj_err *err)
{
    return audit_conv(c, id, "convert_start", NULL, NULL, err);
}

int64_t pj_du_conversion_start_tx(pj_ctx *c, int64_t fid, const char *scenario, int live,
                                  int64_t mid, int audit, pj_err *err)
{
    const char *ftype = NULL;
    if (pj_du_facility_scope(c, fid, "facility_id", &ftype, err)) return -1;
    /* the manual: the given one (of this facility and scenario) or the newest */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, role FROM manuals WHERE facility_id = ? AND scenario = ?"
                               " AND (? = 0 OR id = ?) ORDER BY version DESC LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, scenario);
    pj_stmt_int(s, 3, mid);
    pj_stmt_int(s, 4, mid);
    int rc = pj_stmt_step(s, err);
    const char *role = NULL;
    int64_t given = mid;
    if (rc == 1) {
        mid = pj_col_int(s, 0);
        role = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "no_manual", given ? "manual_id" : "scenario",
                       "facility %lld has no %s manual for scenario %s", (long long)fid,
                       given ? "such" : "conversion", scenario);
    /* the facility by name in a refusal, e.g. a plan's adoption naming the site it cannot use */
    s = pj_db_prepare(c->db, "SELECT name, state FROM facilities WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    rc = pj_stmt_step(s, err);
    const char *fname = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : "";
    const char *st = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 1)) : "";
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* a live conversion: the facility's state machine decides */
    if (live && !pj_conv_transition(st, PJ_EV_START))
        return pj_fail(err, 409, "invalid_transition", "facility_id",
                       "%s (facility %lld) is %s: a conversion can start only in peacetime", fname,
                       (long long)fid, st);
    /* a live conversion puts the facility in emergency for its manual's role: one the facility
     * has (its roles may have changed in peacetime since the manual was written) */
    if (live) {
        s = pj_db_prepare(c->db, "SELECT 1 FROM facility_roles WHERE facility_id = ? AND role = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, fid);
        pj_stmt_text(s, 2, role);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (rc == 0)
            return pj_fail(err, 422, "invalid_value", given ? "manual_id" : "scenario",
                           "%s (facility %lld) has no emergency role %s, the role its manual %lld"
                           " converts it to: give the facility the role again or write a manual"
                           " for one of its roles",
                           fname, (long long)fid, role, (long long)mid);
    }
    double target = 0;
    int64_t std = pj_du_standard_in_force(c, ftype, scenario, role, &target, err);
    if (std < 0) return -1;
    s = pj_db_prepare(c->db,
                      "INSERT INTO conversions (facility_id, manual_id, scenario, mode, state,"
                      " standard_id, started_at, started_by) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_int(s, 2, mid);
    pj_stmt_text(s, 3, scenario);
    pj_stmt_text(s, 4, live ? "live" : "drill");
    pj_stmt_text(s, 5, live ? "converting" : "running");
    if (std) pj_stmt_int(s, 6, std);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_text(s, 8, c->actor.username);
    int64_t id = 0;
    rc = pj_stmt_step(s, err);
    if (rc == 1) id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (!id) {
        if (err->status == 409)
            pj_fail(err, 409, "conflict", "facility_id",
                    "%s (facility %lld) already has a %s in progress", fname, (long long)fid,
                    live ? "conversion" : "drill");
        return -1;
    }
    /* a drill rehearses the conversion; restore steps belong to live conversions */
    s = pj_db_prepare(c->db,
                      "INSERT INTO conversion_steps (conversion_id, step_id, phase)"
                      " SELECT ?, id, phase FROM manual_steps WHERE manual_id = ?"
                      " AND (? OR phase = 'convert')",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, mid);
    pj_stmt_int(s, 3, live);
    if (pj_step_done(s, err)) return -1;
    if (live && set_facility_state(c, fid, "converting", err)) return -1;
    if (audit && audit_conv(c, id, live ? "convert_start" : "drill_start", NULL, NULL, err))
        return -1;
    if (!live && pj_drill_plan_link(c, id, fid, scenario, audit, err)) return -1;
    return id;
}

int pj_conversion_start(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"facility_id", "scenario", "mode", "manual_id", NULL};
    int64_t fid, mid = 0;
    const char *scenario, *mode = "live";
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "facility_id", 1, &fid, err) < 0 ||
        pj_in_enum(body, "scenario", 1, pj_scenarios, &scenario, err) < 0 ||
        pj_in_enum(body, "mode", 0, pj_conversion_modes, &mode, err) < 0 ||
        pj_in_ref(body, "manual_id", 0, &mid, err) < 0)
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t id = pj_du_conversion_start_tx(c, fid, scenario, !strcmp(mode, "live"), mid, 1, err);
    if (id < 0 || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return conv_answer(c, id, w, err);
}

/* Whether every step of a phase is done and every checklist item of it signed. */
static int phase_complete(pj_ctx *c, int64_t conv, const char *phase, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT COUNT(*) FROM conversion_steps WHERE conversion_id = ? AND"
                               " phase = ? AND status <> 'done'",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, conv);
    pj_stmt_text(s, 2, phase);
    int rc = pj_stmt_step(s, err);
    int64_t open = rc == 1 ? pj_col_int(s, 0) : 1;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (open) return 0;
    /* count items vs signatures */
    s = pj_db_prepare(c->db,
                      "SELECT ms.id, ms.checklist FROM conversion_steps cs JOIN manual_steps ms ON"
                      " ms.id = cs.step_id WHERE cs.conversion_id = ? AND cs.phase = ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, conv);
    pj_stmt_text(s, 2, phase);
    int64_t items = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        json_t *a = json_loads(pj_col_text(s, 1), 0, NULL);
        items += (int64_t)json_array_size(a);
        json_decref(a);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    s = pj_db_prepare(c->db,
                      "SELECT COUNT(*) FROM conversion_checks k JOIN manual_steps ms ON"
                      " ms.id = k.step_id WHERE k.conversion_id = ? AND ms.phase = ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, conv);
    pj_stmt_text(s, 2, phase);
    rc = pj_stmt_step(s, err);
    int64_t signed_n = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return signed_n >= items;
}

/* After a step finishes or an item is signed: move the conversion on when a phase is complete. */
static int advance(pj_ctx *c, conv_head *h, pj_err *err)
{
    int live = !strcmp(h->mode, "live");
    char *before = NULL;
    if (!strcmp(h->state, "converting") || !strcmp(h->state, "running")) {
        int done = phase_complete(c, h->id, "convert", err);
        if (done < 0) return -1;
        if (!done) return 0;
        if (!live)
            return set_conv(c, h->id, "finished", "ended_at", NULL, &before, err) ||
                   pj_du_drill_keep_result(c, h->id, err) ||
                   audit_conv(c, h->id, "drill_finish", before, NULL, err);
        const char *to = pj_conv_transition(h->fstate, PJ_EV_READY);
        if (!to) return pj_fail(err, 409, "invalid_transition", "", "facility is %s", h->fstate);
        return set_conv(c, h->id, "emergency", "ready_at", NULL, &before, err) ||
               set_facility_state(c, h->facility_id, to, err) ||
               audit_conv(c, h->id, "convert_ready", before, NULL, err);
    }
    if (!strcmp(h->state, "restoring")) {
        int done = phase_complete(c, h->id, "restore", err);
        if (done <= 0) return done;
        const char *to = pj_conv_transition(h->fstate, PJ_EV_RESTORED);
        if (!to) return pj_fail(err, 409, "invalid_transition", "", "facility is %s", h->fstate);
        /* a conversion aborted after work began ends aborted once its site is put back */
        int aborted = h->abort_reason && *h->abort_reason;
        return set_conv(c, h->id, aborted ? "aborted" : "completed", "ended_at", NULL, &before,
                        err) ||
               set_facility_state(c, h->facility_id, to, err) ||
               audit_conv(c, h->id, "restore_done", before, NULL, err);
    }
    return 0;
}

int pj_conversion_step_action(pj_ctx *c, int64_t row, const char *action, json_t *body, pj_jw *w,
                              pj_err *err)
{
    static const char *const f_step[] = {"remarks", NULL};
    static const char *const f_sign[] = {"item", NULL};
    const char *remarks = "", *item = NULL;
    int sign = !strcmp(action, "sign");
    json_t *empty = NULL;
    if (!body) body = empty = json_object();
    int bad = pj_in_object(body, err) || pj_in_only(body, sign ? f_sign : f_step, err) ||
              (sign ? pj_in_str(body, "item", 1, 1, 200, &item, err) < 0
                    : pj_in_str(body, "remarks", 0, 0, 1000, &remarks, err) < 0);
    if (bad) {
        json_decref(empty);
        return -1;
    }
    /* remarks of spaces only are none: they neither fill nor replace the step's remarks */
    remarks = pj_text_trimmed(c->arena, remarks);
    if (pj_db_begin(c->db, err)) goto fail0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT cs.conversion_id, cs.status, cs.phase, ms.id, ms.code,"
                               " ms.predecessors, ms.checklist FROM conversion_steps cs JOIN"
                               " manual_steps ms ON ms.id = cs.step_id WHERE cs.id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, row);
    int rc = pj_stmt_step(s, err);
    int64_t conv = 0, step_id = 0;
    const char *status = "", *phase = "", *code = "", *preds = "[]", *checklist = "[]";
    if (rc == 1) {
        conv = pj_col_int(s, 0);
        status = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        phase = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        step_id = pj_col_int(s, 3);
        code = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        preds = pj_arena_strdup(c->arena, pj_col_text(s, 5));
        checklist = pj_arena_strdup(c->arena, pj_col_text(s, 6));
    }
    pj_stmt_done(s);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "conversion step", row);
        goto fail;
    }
    conv_head h;
    if (conv_load(c, conv, &h, err) || pj_du_facility_scope(c, h.facility_id, NULL, NULL, err))
        goto fail;
    /* which phase may move now */
    const char *open_phase = !strcmp(h.state, "converting") || !strcmp(h.state, "running")
                                 ? "convert"
                             : !strcmp(h.state, "restoring") ? "restore"
                                                             : NULL;
    if (!open_phase || strcmp(open_phase, phase)) {
        pj_fail(err, 409, "invalid_transition", "id",
                "this %s is %s: %s steps cannot be worked on now",
                !strcmp(h.mode, "live") ? "conversion" : "drill", h.state, phase);
        goto fail;
    }
    char *before = pj_render_to_string(c, row, step_snapshot, err);
    if (!before) goto fail;
    if (!strcmp(action, "start")) {
        if (strcmp(status, "pending")) {
            pj_fail(err, 409, "conflict", "id", "step %s is already %s", code, status);
            goto fail;
        }
        /* predecessors finished? */
        json_t *p = json_loads(preds, 0, NULL);
        for (size_t k = 0; k < json_array_size(p); k++) {
            pj_stmt *q = pj_db_prepare(c->db,
                                       "SELECT cs.status FROM conversion_steps cs JOIN manual_steps"
                                       " ms ON ms.id = cs.step_id WHERE cs.conversion_id = ? AND"
                                       " ms.phase = ? AND ms.code = ?",
                                       err);
            if (!q) {
                json_decref(p);
                goto fail;
            }
            pj_stmt_int(q, 1, conv);
            pj_stmt_text(q, 2, phase);
            pj_stmt_text(q, 3, json_string_value(json_array_get(p, k)));
            int ok = pj_stmt_step(q, err) == 1 && !strcmp(pj_col_text(q, 0), "done");
            pj_stmt_done(q);
            if (!ok) {
                pj_fail(err, 409, "predecessor_open", "id",
                        "step %s cannot start before %s is finished", code,
                        json_string_value(json_array_get(p, k)));
                json_decref(p);
                goto fail;
            }
        }
        json_decref(p);
        s = pj_db_prepare(c->db,
                          "UPDATE conversion_steps SET status = 'running', started_at = ?,"
                          " started_by = ?, remarks = ? WHERE id = ? AND status = 'pending'",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, pj_now());
        pj_stmt_text(s, 2, c->actor.username);
        pj_stmt_text(s, 3, remarks);
        pj_stmt_int(s, 4, row);
        if (pj_step_done(s, err)) goto fail;
    } else if (!strcmp(action, "finish")) {
        if (strcmp(status, "running")) {
            pj_fail(err, 409, "conflict", "id", "step %s is %s, not running", code, status);
            goto fail;
        }
        s = pj_db_prepare(c->db,
                          "UPDATE conversion_steps SET status = 'done', finished_at = ?,"
                          " finished_by = ?, remarks = CASE WHEN ? = '' THEN remarks ELSE ? END"
                          " WHERE id = ? AND status = 'running'",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, pj_now());
        pj_stmt_text(s, 2, c->actor.username);
        pj_stmt_text(s, 3, remarks);
        pj_stmt_text(s, 4, remarks);
        pj_stmt_int(s, 5, row);
        if (pj_step_done(s, err)) goto fail;
        if (pj_db_changes(c->db) != 1) {
            pj_fail(err, 409, "conflict", "id", "step %s was finished by someone else", code);
            goto fail;
        }
    } else { /* sign */
        json_t *items = json_loads(checklist, 0, NULL);
        int known = 0;
        for (size_t k = 0; k < json_array_size(items) && !known; k++)
            known = !strcmp(json_string_value(json_array_get(items, k)), item);
        json_decref(items);
        if (!known) {
            pj_fail(err, 422, "unknown_id", "item", "step %s has no checklist item \"%s\"", code,
                    item);
            goto fail;
        }
        /* an item checks the step's work: signed once the step is under way or done, never
         * ahead of it (drills sign the same way) */
        if (strcmp(status, "running") && strcmp(status, "done")) {
            pj_fail(err, 409, "step_not_started", "item",
                    "step %s has not started: its checklist is signed once it is running or done",
                    code);
            goto fail;
        }
        s = pj_db_prepare(c->db,
                          "INSERT INTO conversion_checks (conversion_id, step_id, item, signed_by,"
                          " signed_at) VALUES (?,?,?,?,?)",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, conv);
        pj_stmt_int(s, 2, step_id);
        pj_stmt_text(s, 3, item);
        pj_stmt_text(s, 4, c->actor.username);
        pj_stmt_int(s, 5, pj_now());
        if (pj_step_done(s, err)) {
            if (err->status == 409)
                pj_fail(err, 409, "conflict", "item", "\"%s\" is already signed", item);
            goto fail;
        }
    }
    char *after = pj_render_to_string(c, row, step_snapshot, err);
    if (!after || pj_audit_add(c,
                               sign                       ? "step_sign"
                               : !strcmp(action, "start") ? "step_start"
                                                          : "step_finish",
                               "conversion_step", row, before, after, err))
        goto fail;
    if (conv_load(c, conv, &h, err) || advance(c, &h, err) || pj_db_commit(c->db, err)) goto fail;
    json_decref(empty);
    return conv_answer(c, conv, w, err);
fail:
    pj_db_rollback(c->db);
fail0:
    json_decref(empty);
    return -1;
}

/* The people adopted plans placed into facility fid and still there (their placements in
 * force: PJ_PLAN_IN_FORCE_AT, the rule of a plan's sites and flows) — plans of the roles that
 * house people only: a supply store's or transport hub's plan counts cubic metres or vehicles
 * per hour, no one who would lose a place. key is the sites' figure summed: "used" (all the
 * people) or "vulnerable" (those needing medical care). *people in all, and, in occ (empty when
 * none), "150 people placed by plan 9, 30 by plan 12" for the message (planned: a site still
 * converting, where no one is yet, "150 people are to be placed there by plan 9, 30 by plan
 * 12") and in ids "9,12" for the details. 0 or -1. Restore, abort (conversion.c) and a
 * facility's edit (registry.c). */
int pj_plan_occupants(pj_ctx *c, int64_t fid, const char *key, int planned, int64_t *people,
                      char *occ, size_t occ_n, char *ids, size_t ids_n, pj_err *err)
{
    int vuln = !strcmp(key, "vulnerable");
    pj_stmt *s = pj_db_prepare(
        c->db,
        vuln ? "SELECT p.id, SUM(json_extract(e.value, '$.vulnerable')) FROM plans p,"
               " json_each(p.result_json, '$.sites') e WHERE p.status = 'adopted' AND"
               " p.role IN ('isolation', 'resettlement', 'medical') AND"
               " json_extract(e.value, '$.facility_id') = ?1 AND " PJ_PLAN_IN_FORCE_AT(
                   "?1") " GROUP BY p.id HAVING SUM(json_extract(e.value, '$.vulnerable')) > 0"
                         " ORDER BY p.id"
             : "SELECT p.id, SUM(json_extract(e.value, '$.used')) FROM plans p,"
               " json_each(p.result_json, '$.sites') e WHERE p.status = 'adopted' AND"
               " p.role IN ('isolation', 'resettlement', 'medical') AND"
               " json_extract(e.value, '$.facility_id') = ?1 AND " PJ_PLAN_IN_FORCE_AT(
                   "?1") " GROUP BY p.id HAVING SUM(json_extract(e.value, '$.used')) > 0"
                         " ORDER BY p.id",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    *people = 0;
    occ[0] = ids[0] = '\0';
    size_t on = 0, in = 0;
    int rc, k = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        long long pid = (long long)pj_col_int(s, 0), n = (long long)pj_col_int(s, 1);
        *people += n;
        if (on < occ_n) {
            int m = k ? snprintf(occ + on, occ_n - on, ", %lld by plan %lld", n, pid)
                      : snprintf(occ + on, occ_n - on,
                                 planned ? "%lld %s are to be placed there by plan %lld"
                                         : "%lld %s placed by plan %lld",
                                 n, vuln ? "people needing medical care" : "people", pid);
            if (m > 0) on += (size_t)m;
        }
        if (in < ids_n) {
            int m = snprintf(ids + in, ids_n - in, k ? ",%lld" : "%lld", pid);
            if (m > 0) in += (size_t)m;
        }
        k++;
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_conversion_action(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                         pj_err *err)
{
    static const char *const f_abort[] = {"reason", "confirm", NULL};
    static const char *const f_restore[] = {"confirm", "reason", NULL};
    const char *reason = NULL;
    int abort_ = !strcmp(action, "abort"), confirm = 0;
    json_t *empty = NULL;
    if (!body) body = empty = json_object();
    /* an abort always gives its reason; a restore gives one when it confirms that the site's
     * people lose their places */
    if (pj_in_object(body, err) || pj_in_only(body, abort_ ? f_abort : f_restore, err) ||
        pj_in_bool(body, "confirm", 0, &confirm, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "reason", abort_ || confirm, 500, &reason, err) < 0) {
        json_decref(empty);
        return -1;
    }
    json_decref(empty);
    if (pj_db_begin(c->db, err)) return -1;
    conv_head h;
    if (conv_load(c, id, &h, err) || pj_du_facility_scope(c, h.facility_id, NULL, NULL, err))
        goto fail;
    int live = !strcmp(h.mode, "live");
    /* a live site that still houses people adopted plans placed there: restoring or aborting it
     * leaves them without their places, so only on confirmation (with the reason, audited);
     * asked only of a move the state allows (else invalid_transition below) */
    int64_t people = 0;
    char occ[320] = "", ids[160] = "";
    if (live && !strcmp(h.state, abort_ ? "converting" : "emergency")) {
        /* a site still converting houses no one yet: the plans' people are to go there */
        int planned = !strcmp(h.state, "converting");
        if (pj_plan_occupants(c, h.facility_id, "used", planned, &people, occ, sizeof occ, ids,
                              sizeof ids, err))
            goto fail;
        if (people && !confirm) {
            if (planned)
                pj_fail(err, 409, "occupied", "confirm",
                        "%s is still converting: %s; to %s it anyway (they will have no place),"
                        " confirm with a reason",
                        h.facility, occ, abort_ ? "abort" : "restore");
            else
                pj_fail(err, 409, "occupied", "confirm",
                        "%s still houses %s: to %s it anyway, confirm with a reason", h.facility,
                        occ, abort_ ? "abort" : "restore");
            pj_err_detail(err, "people", (long long)people);
            pj_err_detail_str(err, "plan_ids", ids);
            goto fail;
        }
    }
    const conv_occupied held = {people, ids, reason};
    char *before = NULL; /* the conversion as it was, for the audit row */
    if (abort_) {
        if (live) {
            /* once a step has started the site is changed: with restore steps in its manual it
             * goes to them (restoring, the conversion keeping its reason, ending aborted once
             * they are done); before any step started, or without restore steps, it is back in
             * peacetime at once */
            int worked = 0;
            if (!strcmp(h.state, "converting")) {
                pj_stmt *q = pj_db_prepare(
                    c->db,
                    "SELECT EXISTS (SELECT 1 FROM conversion_steps WHERE conversion_id = ?1 AND"
                    " phase = 'convert' AND status <> 'pending') AND EXISTS (SELECT 1 FROM"
                    " conversion_steps WHERE conversion_id = ?1 AND phase = 'restore')",
                    err);
                if (!q) goto fail;
                pj_stmt_int(q, 1, id);
                int qrc = pj_stmt_step(q, err);
                worked = qrc == 1 && pj_col_int(q, 0);
                pj_stmt_done(q);
                if (qrc < 0) goto fail;
            }
            const char *to =
                pj_conv_transition(h.state, worked ? PJ_EV_ABORT_RESTORE : PJ_EV_ABORT);
            if (!to) {
                pj_fail(err, 409, "invalid_transition", "id",
                        "a conversion can be aborted only while converting (it is %s)", h.state);
                goto fail;
            }
            if ((worked ? set_conv(c, id, "restoring", "restore_started_at", reason, &before, err)
                        : set_conv(c, id, "aborted", "ended_at", reason, &before, err)) ||
                set_facility_state(c, h.facility_id, to, err))
                goto fail;
        } else {
            if (strcmp(h.state, "running")) {
                pj_fail(err, 409, "invalid_transition", "id", "the drill is %s", h.state);
                goto fail;
            }
            if (set_conv(c, id, "aborted", "ended_at", reason, &before, err) ||
                pj_drill_plan_unlink(c, id, err))
                goto fail;
        }
    } else { /* restore */
        const char *to = live ? pj_conv_transition(h.state, PJ_EV_RESTORE) : NULL;
        if (!to) {
            pj_fail(err, 409, "invalid_transition", "id",
                    "restoring starts from emergency (this %s is %s)",
                    live ? "conversion" : "drill", h.state);
            goto fail;
        }
        if (set_conv(c, id, "restoring", "restore_started_at", NULL, &before, err) ||
            set_facility_state(c, h.facility_id, to, err) ||
            audit_conv(c, id, "restore_start", before, &held, err))
            goto fail;
        /* a manual without restore steps is back in peacetime at once */
        if (conv_load(c, id, &h, err) || advance(c, &h, err)) goto fail;
    }
    if ((abort_ && audit_conv(c, id, live ? "convert_abort" : "drill_abort", before, &held, err)) ||
        pj_db_commit(c->db, err))
        goto fail;
    return conv_answer(c, id, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_conversion_timeline(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    conv_head h;
    if (conv_load(c, id, &h, err)) return -1;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT a.at, a.username, a.action, a.entity, a.entity_id, a.after_json,"
        " " PJ_SQL_BY_NAME_OF "a.username" PJ_SQL_BY_NAME_END ","
        " json_extract(a.before_json, '$.state') FROM audit a"
        " WHERE (a.entity = 'conversion' AND a.entity_id = ?1) OR (a.entity = 'conversion_step'"
        " AND a.entity_id IN (SELECT id FROM conversion_steps WHERE conversion_id = ?1))"
        " OR (a.entity = 'finding' AND a.entity_id IN (SELECT id FROM drill_findings WHERE"
        " conversion_id = ?1)) ORDER BY a.id",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_jw_obj(w);
    pj_jw_kint(w, "conversion_id", id);
    pj_jw_key(w, "events");
    pj_jw_arr(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_time(w, "at", pj_col_int(s, 0));
        pj_render_by(w, "user", s, 1, 6); /* user and user_name */
        pj_render_text(w, "action", s, 2);
        pj_render_text(w, "entity", s, 3);
        pj_jw_kint(w, "entity_id", pj_col_int(s, 4));
        const char *a = pj_col_text(s, 5);
        if (a && !strcmp(pj_col_text(s, 3), "conversion_step")) {
            pj_jw_key(w, "detail");
            pj_jw_raw(w, a);
        } else if (a && !strcmp(pj_col_text(s, 3), "conversion")) {
            json_t *o = json_loads(a, 0, NULL);
            pj_jw_kstr(w, "state", json_string_value(json_object_get(o, "state")));
            /* and the state it was in (null for a start): whether the people of adopted plans
             * an abort or restore was confirmed over were housed there (emergency) or only to
             * be placed there (converting) */
            pj_jw_kstr(w, "from_state", pj_col_is_null(s, 7) ? NULL : pj_col_text(s, 7));
            /* an abort's reason, and the people of adopted plans a restore or abort was
             * confirmed over (audit_conv): how the site was stood down */
            const char *act = pj_col_text(s, 2);
            if (!strcmp(act, "convert_abort") || !strcmp(act, "drill_abort"))
                pj_jw_kstr(w, "reason", json_string_value(json_object_get(o, "abort_reason")));
            json_t *occ = json_object_get(o, "occupied");
            char *t = occ ? json_dumps(occ, JSON_COMPACT) : NULL;
            if (t) {
                pj_jw_key(w, "occupied");
                pj_jw_raw(w, t);
                free(t);
            }
            json_decref(o);
        }
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

/* ---- drills: report, trend, findings ---- */

typedef struct drill_score {
    int steps, done, on_time, too_fast;
    double total_minutes, target_minutes, score;
    int passed;
} drill_score;

static int drill_compute(pj_ctx *c, const conv_head *h, pj_jw *w, drill_score *ds, pj_err *err)
{
    memset(ds, 0, sizeof *ds);
    ds->target_minutes = target_hours_of(c, h) * 60;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT ms.code, ms.name, ms.planned_minutes, cs.status,"
                               " cs.started_at, cs.finished_at FROM conversion_steps cs JOIN"
                               " manual_steps ms ON ms.id = cs.step_id WHERE cs.conversion_id = ?"
                               " AND cs.phase = 'convert' ORDER BY ms.seq",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, h->id);
    double sum = 0;
    int64_t last_finish = h->started_at;
    int rc;
    if (w) pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        double planned = (double)pj_col_int(s, 2);
        int done = !strcmp(pj_col_text(s, 3), "done");
        int64_t st = pj_col_int(s, 4), fin = pj_col_int(s, 5);
        double actual = done ? minutes1(fin - st) : 0; /* as shown */
        double sc = pj_drill_step_score(planned, actual, done);
        int fast = pj_drill_step_too_fast(planned, actual, done);
        ds->steps++;
        ds->done += done;
        ds->too_fast += fast;
        ds->on_time += done && !fast && actual <= planned;
        sum += sc;
        if (done && fin > last_finish) last_finish = fin;
        if (w) {
            pj_jw_obj(w);
            pj_render_text(w, "code", s, 0);
            pj_render_text(w, "name", s, 1);
            pj_jw_knum(w, "planned_minutes", planned);
            if (done)
                pj_jw_knum(w, "actual_minutes", actual);
            else
                pj_jw_knull(w, "actual_minutes");
            pj_jw_kstr(w, "result",
                       !done               ? "not_done"
                       : fast              ? "too_fast"
                       : actual <= planned ? "on_time"
                                           : "late");
            pj_jw_knum(w, "score", round(sc * 1000) / 10);
            pj_jw_obj_end(w);
        }
    }
    pj_stmt_done(s);
    if (w) pj_jw_arr_end(w);
    if (rc < 0) return -1;
    /* a finished drill showed the site ready when its convert phase was complete, its last step
     * done and its last checklist item signed (a live conversion's ready_at): it is judged on that
     * moment, which the drill list shows as its elapsed_minutes */
    if (!strcmp(h->state, "finished") && h->ended_at > last_finish) last_finish = h->ended_at;
    /* rounded down to a tenth like the conversion's elapsed_minutes: the drill list and the
     * report show one figure */
    ds->total_minutes = minutes1(last_finish - h->started_at);
    ds->score = ds->steps ? round(1000.0 * sum / ds->steps) / 10 : 0;
    /* only a finished drill passes: its convert phase complete, every checklist item signed (a
     * drill still running or aborted has not shown the site ready, whatever its steps) */
    ds->passed = !strcmp(h->state, "finished") && ds->steps && ds->done == ds->steps &&
                 !ds->too_fast &&
                 (ds->target_minutes <= 0 || ds->total_minutes <= ds->target_minutes + 1e-9);
    return 0;
}

int pj_du_drill_passed(pj_ctx *c, int64_t conv, pj_err *err)
{
    conv_head h;
    drill_score ds;
    if (conv_load(c, conv, &h, err) || drill_compute(c, &h, NULL, &ds, err)) return -1;
    return ds.passed;
}

int pj_du_drill_keep_result(pj_ctx *c, int64_t conv, pj_err *err)
{
    int passed = pj_du_drill_passed(c, conv, err);
    if (passed < 0) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "UPDATE conversions SET drill_passed = ? WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, passed);
    pj_stmt_int(s, 2, conv);
    return pj_step_done(s, err);
}

int pj_drill_judge_unkept(pj_ctx *c, pj_err *err)
{
    const char *unkept = "SELECT id FROM conversions WHERE mode = 'drill' AND state = 'finished'"
                         " AND drill_passed IS NULL ORDER BY id";
    pj_stmt *s = pj_db_prepare(c->db, unkept, err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err); /* a read first: nothing to do, no write lock */
    pj_stmt_done(s);
    if (rc <= 0) return rc;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t *ids;
    s = pj_db_prepare(c->db, unkept, err);
    int n = s ? pj_stmt_ids(c, s, &ids, err) : -1; /* in the caller's arena */
    if (n < 0) goto fail;
    for (int i = 0; i < n; i++)
        if (pj_du_drill_keep_result(c, ids[i], err)) goto fail;
    if (pj_db_commit(c->db, err)) goto fail;
    return n;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* A finding is due through its due date, a Beijing date (stored as its midnight UTC): overdue
 * once Beijing's today is past it, and a new due date may not lie before today. */
static int64_t finding_today(void)
{
    return pj_local_day(pj_now()) * 86400;
}

/* A finding's own fields, from columns col.. (finding, action, owner, due_date, status,
 * closed_at, closed_note): as its record and in its drill's report, with overdue. */
static void finding_fields(pj_jw *w, pj_stmt *s, int col)
{
    pj_render_text(w, "finding", s, col);
    pj_render_text(w, "action", s, col + 1);
    pj_render_text(w, "owner", s, col + 2);
    char d[21];
    pj_time_iso(pj_col_int(s, col + 3), d);
    d[10] = 0;
    pj_jw_kstr(w, "due_date", d);
    pj_render_text(w, "status", s, col + 4);
    pj_jw_kbool(w, "overdue",
                !strcmp(pj_col_text(s, col + 4), "open") &&
                    pj_col_int(s, col + 3) < finding_today());
    opt_time(w, "closed_at", pj_col_int(s, col + 5));
    pj_render_text(w, "closed_note", s, col + 6);
}

static int finding_due_ok(const char *due, int64_t due_t, pj_err *err)
{
    if (due_t >= finding_today()) return 0;
    char today[11];
    pj_local_date(pj_now(), today);
    return pj_fail(err, 422, "invalid_value", "due_date",
                   "due_date %s is before today %s (Beijing): a finding is due today or later", due,
                   today);
}

/* Minutes from the conversion's start to t, as shown (one decimal, rounded down); null for 0. */
static void opt_minutes_from(pj_jw *w, const char *key, const conv_head *h, int64_t t)
{
    if (t)
        pj_jw_knum(w, key, minutes1(t - h->started_at));
    else
        pj_jw_knull(w, key);
}

/* The after-action report of a live conversion: per step of both phases its planned minutes,
 * the adopted plan's schedule where it has one, and when it actually started and finished
 * (minutes from the conversion's start) with its actual minutes, as the conversion shows them,
 * and its result (on time, late, running, stopped when left running by the conversion leaving
 * its phase, not done); no score (only drills are scored). */
static int live_report(pj_ctx *c, const conv_head *h, pj_jw *w, pj_err *err)
{
    int64_t now = pj_now();
    conv_deadline d;
    if (conv_deadline_of(c, h, now, &d, err)) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "conversion_id", h->id);
    pj_jw_kstr(w, "mode", h->mode);
    pj_jw_kint(w, "facility_id", h->facility_id);
    pj_jw_kstr(w, "facility_name", h->facility);
    pj_jw_kstr(w, "scenario", h->scenario);
    pj_jw_kstr(w, "state", h->state);
    pj_render_time(w, "started_at", h->started_at);
    opt_time(w, "ready_at", h->ready_at);
    opt_time(w, "restore_started_at", h->restore_at);
    opt_time(w, "ended_at", h->ended_at);
    if (h->abort_reason && *h->abort_reason)
        pj_jw_kstr(w, "abort_reason", h->abort_reason);
    else
        pj_jw_knull(w, "abort_reason");
    pj_jw_key(w, "steps");
    pj_jw_arr(w);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT ms.phase, ms.code, ms.name, ms.planned_minutes, cs.status, cs.started_at,"
        " cs.finished_at, cs.planned_start_min, cs.planned_end_min FROM conversion_steps cs"
        " JOIN manual_steps ms ON ms.id = cs.step_id WHERE cs.conversion_id = ?"
        " ORDER BY ms.phase, ms.seq",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, h->id);
    int rc, behind = 0, too_fast = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        const char *status = pj_col_text(s, 4);
        int64_t planned = pj_col_int(s, 3), st = pj_col_int(s, 5), fin = pj_col_int(s, 6);
        int64_t clock = phase_clock(h, pj_col_text(s, 0), now);
        int done = !strcmp(status, "done");
        double actual = st ? minutes1((fin ? fin : clock) - st) : 0;
        pj_jw_obj(w);
        pj_render_text(w, "phase", s, 0);
        pj_render_text(w, "code", s, 1);
        pj_render_text(w, "name", s, 2);
        pj_jw_kstr(w, "status", status);
        pj_jw_kint(w, "planned_minutes", planned);
        if (pj_col_is_null(s, 7)) {
            pj_jw_knull(w, "planned_start_min");
            pj_jw_knull(w, "planned_end_min");
            pj_jw_kbool(w, "behind_plan", 0);
        } else {
            int b = step_behind_plan(h, &d, pj_col_text(s, 0), pj_col_int(s, 7), pj_col_int(s, 8),
                                     st, fin, clock);
            behind += b;
            pj_jw_kint(w, "planned_start_min", pj_col_int(s, 7));
            pj_jw_kint(w, "planned_end_min", pj_col_int(s, 8));
            pj_jw_kbool(w, "behind_plan", b);
        }
        opt_minutes_from(w, "actual_start_min", h, st);
        opt_minutes_from(w, "actual_end_min", h, fin);
        if (st)
            pj_jw_knum(w, "actual_minutes", actual);
        else
            pj_jw_knull(w, "actual_minutes");
        /* a step left running when the conversion left its phase (an abort that sent the site
         * to its restore steps, or the conversion's end) was stopped: no one works on it any
         * more, though it keeps its status */
        /* a step recorded done in under a quarter of its planned time is questioned, as in
         * a drill (clicked through rather than worked): the review says so, the step stays
         * done and counts for nothing else */
        int fast = pj_drill_step_too_fast((double)planned, actual, done);
        too_fast += fast;
        pj_jw_kstr(w, "result",
                   fast                        ? "too_fast"
                   : done                      ? (actual <= (double)planned ? "on_time" : "late")
                   : strcmp(status, "running") ? "not_done"
                   : phase_open(h, pj_col_text(s, 0)) ? "running"
                                                      : "stopped");
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_knum(w, "convert_minutes", d.elapsed);
    if (d.target > 0)
        pj_jw_knum(w, "target_minutes", d.target * 60);
    else
        pj_jw_knull(w, "target_minutes");
    if (d.has_plan)
        pj_jw_kint(w, "plan_ready_minutes", d.plan_ready);
    else
        pj_jw_knull(w, "plan_ready_minutes");
    pj_jw_kbool(w, "over_deadline", d.over);
    pj_jw_kint(w, "steps_behind_plan", behind);
    pj_jw_kint(w, "steps_too_fast", too_fast);
    pj_jw_knum(w, "too_fast_share", PJ_DRILL_TOO_FAST_SHARE);
    if (h->restore_at)
        pj_jw_knum(w, "restore_minutes", minutes1(conv_clock(h, now) - h->restore_at));
    else
        pj_jw_knull(w, "restore_minutes");
    return 0; /* findings and the closing brace: pj_drill_report */
}

/* The manual a drill ran, "manual_id" and "manual_version": a drill of the revised manual is
 * told from one of the version before (the report and the trend mixed them unnamed). */
static int manual_of(pj_ctx *c, pj_jw *w, int64_t manual_id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT version FROM manuals WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, manual_id);
    int rc = pj_stmt_step(s, err);
    int64_t v = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_kint(w, "manual_id", manual_id);
    if (rc == 1)
        pj_jw_kint(w, "manual_version", v);
    else
        pj_jw_knull(w, "manual_version");
    return 0;
}

int pj_drill_report(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    conv_head h;
    if (conv_load(c, id, &h, err)) return -1;
    int live = strcmp(h.mode, "drill") != 0;
    if (live && live_report(c, &h, w, err)) return -1;
    drill_score ds;
    if (!live) {
        pj_jw_obj(w);
        pj_jw_kint(w, "drill_id", id);
        pj_jw_kint(w, "facility_id", h.facility_id);
        pj_jw_kstr(w, "facility_name", h.facility);
        pj_jw_kstr(w, "scenario", h.scenario);
        pj_jw_kstr(w, "state", h.state);
        if (manual_of(c, w, h.manual_id, err)) return -1;
        pj_render_time(w, "started_at", h.started_at);
        pj_jw_key(w, "steps");
        if (drill_compute(c, &h, w, &ds, err)) return -1;
        pj_jw_knum(w, "total_minutes", ds.total_minutes);
        if (ds.target_minutes > 0)
            pj_jw_knum(w, "target_minutes", ds.target_minutes);
        else
            pj_jw_knull(w, "target_minutes");
        pj_jw_kint(w, "steps_on_time", ds.on_time);
        pj_jw_kint(w, "steps_total", ds.steps);
        pj_jw_kint(w, "steps_too_fast", ds.too_fast);
        pj_jw_knum(w, "too_fast_share", PJ_DRILL_TOO_FAST_SHARE);
        pj_jw_knum(w, "score", ds.score);
        pj_jw_kbool(w, "passed", ds.passed);
    }
    pj_jw_key(w, "findings");
    pj_jw_arr(w);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, finding, action, owner, due_date, status, closed_at,"
                               " closed_note, version FROM drill_findings WHERE conversion_id = ?"
                               " ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        finding_fields(w, s, 1);
        pj_jw_kint(w, "version", pj_col_int(s, 8));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

/* A JSON value as a CSV field: numbers as the JSON has them, booleans as true/false, null
 * empty. */
static void csv_value(pj_buf *out, json_t *v, int last)
{
    char num[32];
    const char *txt = json_string_value(v);
    if (json_is_number(v)) {
        snprintf(num, sizeof num, "%.15g", json_number_value(v));
        txt = num;
    } else if (json_is_boolean(v)) {
        txt = json_is_true(v) ? "true" : "false";
    }
    pj_csv_field(out, txt ? txt : "", last);
}

/* A live conversion's report (live_report) as CSV: one line per step of both phases and a
 * TOTAL line with the conversion's state, target, plan-ready and convert minutes. */
static void live_report_csv(json_t *r, pj_buf *out)
{
    enum { N = 12 };
    static const char *const head[N] = {"phase",
                                        "code",
                                        "name",
                                        "status",
                                        "planned_minutes",
                                        "planned_start_min",
                                        "planned_end_min",
                                        "actual_start_min",
                                        "actual_end_min",
                                        "actual_minutes",
                                        "result",
                                        "behind_plan"};
    for (int k = 0; k < N; k++) pj_csv_field(out, head[k], k == N - 1);
    json_t *steps = json_object_get(r, "steps");
    for (size_t i = 0; i < json_array_size(steps); i++)
        for (int k = 0; k < N; k++)
            csv_value(out, json_object_get(json_array_get(steps, i), head[k]), k == N - 1);
    json_t *total[N] = {NULL};
    total[0] = json_string("TOTAL");
    total[3] = json_incref(json_object_get(r, "state"));
    total[4] = json_incref(json_object_get(r, "target_minutes"));
    total[6] = json_incref(json_object_get(r, "plan_ready_minutes"));
    total[9] = json_incref(json_object_get(r, "convert_minutes"));
    total[10] = json_string(json_is_true(json_object_get(r, "over_deadline")) ? "over_deadline"
                                                                              : "within_deadline");
    total[11] = json_incref(json_object_get(r, "steps_behind_plan"));
    for (int k = 0; k < N; k++) {
        csv_value(out, total[k], k == N - 1);
        json_decref(total[k]);
    }
}

int pj_drill_report_csv(pj_ctx *c, int64_t id, pj_buf *out, pj_err *err)
{
    pj_buf b;
    pj_buf_init(&b, 8 << 20);
    pj_jw w;
    pj_jw_init(&w, &b);
    if (pj_drill_report(c, id, &w, err)) {
        pj_buf_free(&b);
        return -1;
    }
    json_t *r = json_loads(b.data, 0, NULL);
    pj_buf_free(&b);
    if (json_object_get(r, "conversion_id")) {
        live_report_csv(r, out);
        json_decref(r);
        return 0;
    }
    static const char *const head[] = {"code",           "name",   "planned_minutes",
                                       "actual_minutes", "result", "score"};
    for (int k = 0; k < 6; k++) pj_csv_field(out, head[k], k == 5);
    json_t *steps = json_object_get(r, "steps");
    for (size_t i = 0; i < json_array_size(steps); i++) {
        json_t *st = json_array_get(steps, i);
        for (int k = 0; k < 6; k++) {
            json_t *v = json_object_get(st, head[k]);
            char num[32];
            const char *txt = json_string_value(v);
            if (json_is_number(v)) {
                snprintf(num, sizeof num, "%.15g", json_number_value(v));
                txt = num;
            }
            pj_csv_field(out, txt ? txt : "", k == 5);
        }
    }
    char line[160], target[32] = "";
    if (json_is_number(json_object_get(r, "target_minutes")))
        snprintf(target, sizeof target, "%.15g",
                 json_number_value(json_object_get(r, "target_minutes")));
    /* the figures as the JSON report has them: %g would keep six digits (100552.7 → 100553) */
    snprintf(line, sizeof line, "TOTAL,,%s,%.15g,%s,%.15g", target,
             json_number_value(json_object_get(r, "total_minutes")),
             json_is_true(json_object_get(r, "passed")) ? "passed" : "failed",
             json_number_value(json_object_get(r, "score")));
    pj_buf_puts(out, line);
    pj_buf_puts(out, "\r\n");
    json_decref(r);
    return 0;
}

int pj_drill_trend(pj_ctx *c, int64_t facility_id, pj_jw *w, pj_err *err)
{
    if (pj_render_exists(c, "SELECT 1 FROM facilities WHERE id = ?", facility_id, err) <= 0)
        return err->status ? -1 : pj_not_found(err, "facility", facility_id);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM (SELECT id, started_at FROM conversions WHERE"
                               " facility_id = ? AND mode = 'drill' AND state = 'finished'"
                               " ORDER BY started_at DESC, id DESC LIMIT 1000)"
                               " ORDER BY started_at, id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, facility_id);
    /* the newest 1000, oldest first */
    int64_t ids[1000];
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < 1000) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "facility_id", facility_id);
    pj_jw_key(w, "drills");
    pj_jw_arr(w);
    for (int i = 0; i < n; i++) {
        conv_head h;
        drill_score ds;
        if (conv_load(c, ids[i], &h, err) || drill_compute(c, &h, NULL, &ds, err)) return -1;
        pj_jw_obj(w);
        pj_jw_kint(w, "drill_id", h.id);
        pj_jw_kstr(w, "scenario", h.scenario);
        if (manual_of(c, w, h.manual_id, err)) return -1;
        pj_render_time(w, "started_at", h.started_at);
        pj_jw_knum(w, "total_minutes", ds.total_minutes);
        if (ds.target_minutes > 0)
            pj_jw_knum(w, "target_minutes", ds.target_minutes);
        else
            pj_jw_knull(w, "target_minutes");
        pj_jw_knum(w, "score", ds.score);
        pj_jw_kbool(w, "passed", ds.passed);
        pj_jw_kint(w, "steps_too_fast", ds.too_fast);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

static int finding_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT d.id, d.conversion_id, v.facility_id, d.finding, d.action,"
                              " d.owner, d.due_date, d.status, d.closed_at, d.closed_note,"
                              " d.created_at, d.version, f.township_id FROM drill_findings d"
                              " JOIN conversions v ON v.id = d.conversion_id"
                              " JOIN facilities f ON f.id = v.facility_id WHERE d.id = ?",
                              id, "finding", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "drill_id", pj_col_int(s, 1)); /* the conversion, drill or live */
    pj_jw_kint(w, "conversion_id", pj_col_int(s, 1));
    pj_jw_kint(w, "facility_id", pj_col_int(s, 2));
    /* the facility's township: whom the finding's follow-up is for (a township officer's scope),
     * so that a page of every facility's findings offers to close only those */
    pj_render_ref(w, "township_id", s, 12);
    finding_fields(w, s, 3);
    pj_render_time(w, "created_at", pj_col_int(s, 10));
    pj_jw_kint(w, "version", pj_col_int(s, 11));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_finding_create(pj_ctx *c, int64_t conv, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"finding", "action", "owner", "due_date", NULL};
    const char *finding = NULL, *action = "", *owner = NULL, *due;
    int64_t due_t;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_text_trimmed(c->arena, body, "finding", 1, 1000, &finding, err) < 0 ||
        pj_in_str(body, "action", 0, 0, 1000, &action, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "owner", 1, 64, &owner, err) < 0 ||
        pj_in_str(body, "due_date", 1, 10, 10, &due, err) < 0)
        return -1;
    action = pj_text_trimmed(c->arena, action);
    if (pj_time_parse(due, &due_t))
        return pj_fail(err, 422, "invalid_value", "due_date", "due_date must be YYYY-MM-DD");
    if (finding_due_ok(due, due_t, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    conv_head h;
    int64_t id = 0;
    if (conv_load(c, conv, &h, err) || pj_du_facility_scope(c, h.facility_id, NULL, NULL, err))
        goto fail;
    /* a drill's or a live conversion's: lessons of a real crisis are tracked the same way */
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO drill_findings (conversion_id, finding, action, owner,"
                               " due_date, created_at) VALUES (?,?,?,?,?,?) RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, conv);
    pj_stmt_text(s, 2, finding);
    pj_stmt_text(s, 3, action);
    pj_stmt_text(s, 4, owner);
    pj_stmt_int(s, 5, due_t);
    pj_stmt_int(s, 6, pj_now());
    if (pj_stmt_step(s, err) == 1) id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (!id || pj_render_commit(c, "create", "finding", id, NULL, finding_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_finding_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"status",   "closed_note", "action", "owner",
                                         "due_date", "version",     NULL};
    int64_t version;
    /* null is not "keep it": every field of a finding has a value (send "" to empty a text) */
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT v.facility_id, d.version, d.status, d.closed_note, d.action,"
                               " d.owner, d.due_date FROM drill_findings d JOIN conversions v ON"
                               " v.id = d.conversion_id WHERE d.id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t fid = 0, cur = 0, due_t = 0;
    const char *status = "", *note = "", *action = "", *owner = "", *due = NULL;
    if (rc == 1) {
        fid = pj_col_int(s, 0);
        cur = pj_col_int(s, 1);
        status = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        note = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        action = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        owner = pj_arena_strdup(c->arena, pj_col_text(s, 5));
        due_t = pj_col_int(s, 6);
    }
    pj_stmt_done(s);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "finding", id);
        goto fail;
    }
    if (pj_du_facility_scope(c, fid, NULL, NULL, err)) goto fail;
    if (cur != version) {
        pj_version_conflict(err, "finding", cur, version);
        goto fail;
    }
    const char *old_status = status;
    if (pj_in_enum(body, "status", 0, pj_finding_statuses, &status, err) < 0 ||
        pj_in_str(body, "closed_note", 0, 0, 1000, &note, err) < 0 ||
        pj_in_str(body, "action", 0, 0, 1000, &action, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "owner", 0, 64, &owner, err) < 0 ||
        pj_in_str(body, "due_date", 0, 10, 10, &due, err) < 0)
        goto fail;
    /* a note of spaces only is no note: it does not close a finding */
    note = pj_text_trimmed(c->arena, note);
    action = pj_text_trimmed(c->arena, action);
    int64_t old_due = due_t;
    if (due && pj_time_parse(due, &due_t)) {
        pj_fail(err, 422, "invalid_value", "due_date", "due_date must be YYYY-MM-DD");
        goto fail;
    }
    /* a new due date not before today; the one the finding has may be sent back unchanged */
    if (due && due_t != old_due && finding_due_ok(due, due_t, err)) goto fail;
    /* a closed finding has a note saying how it was put right: closing needs one, and the note
     * of a closed finding is not blanked (reopen it first) */
    if (!strcmp(status, "closed") && !*note) {
        pj_fail(err, 422, "missing_field", "closed_note",
                strcmp(old_status, "closed") ? "closing a finding needs a closed_note"
                                             : "a closed finding keeps a closed_note: reopen it"
                                               " to clear the note");
        goto fail;
    }
    char *before = pj_render_to_string(c, id, finding_render, err);
    if (!before) goto fail;
    s = pj_db_prepare(
        c->db,
        "UPDATE drill_findings SET status = ?, closed_note = ?, action = ?, owner = ?,"
        " due_date = ?, closed_at = CASE WHEN ? = 'closed' THEN COALESCE(closed_at, ?)"
        " ELSE NULL END, version = version + 1 WHERE id = ?",
        err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, status);
    pj_stmt_text(s, 2, note);
    pj_stmt_text(s, 3, action);
    pj_stmt_text(s, 4, owner);
    pj_stmt_int(s, 5, due_t);
    pj_stmt_text(s, 6, status);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_int(s, 8, id);
    /* a PATCH that changes nothing writes nothing: the same version, no audit row */
    if (pj_step_done(s, err) ||
        pj_render_update_commit(c, "finding", id, before, finding_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_finding_list(pj_ctx *c, const char *status, int64_t facility_id, int64_t cursor, int limit,
                    pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT d.id FROM drill_findings d JOIN conversions v ON"
                               " v.id = d.conversion_id WHERE d.id > ? AND (? IS NULL OR"
                               " d.status = ?) AND (? = 0 OR v.facility_id = ?) ORDER BY d.id"
                               " LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_text(s, 2, status);
    pj_stmt_text(s, 3, status);
    pj_stmt_int(s, 4, facility_id);
    pj_stmt_int(s, 5, facility_id);
    pj_stmt_int(s, 6, limit + 1);
    return pj_render_query_page(c, s, limit, finding_render, w, err);
}
