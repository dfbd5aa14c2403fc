/* Dual-use conversion (平急两用): conversion standards, manuals (steps as a DAG with the
 * critical path), live conversions and drills, findings, stock lines and the emergency
 * overview. Writes are scoped like the registry (district roles anywhere, township officers in
 * their township, facility operators on their own facility) and audited. */
#ifndef PJ_DUALUSE_H
#define PJ_DUALUSE_H

#include "core/buf.h"
#include "domain/ctx.h"

extern const char
    *const pj_scenarios[]; /* epidemic 平疫, disaster 平灾, holiday 平假, event 平赛 */
extern const char *const pj_conversion_modes[]; /* live, drill */
/* a conversion's states: live converting → emergency → restoring → completed, a drill running
 * → finished; either may end aborted */
extern const char *const pj_conversion_states[];
extern const char *const pj_finding_statuses[]; /* open, closed */

/* Standards: versioned per facility type × scenario × role; the version in force is the
 * newest whose effective_from has passed. */
int pj_standard_list(pj_ctx *c, const char *ftype, const char *scenario, const char *role,
                     int in_force_only, int64_t cursor, int limit, pj_jw *w, pj_err *err);
int pj_standard_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_standard_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);

int pj_team_type_list(pj_ctx *c, pj_jw *w, pj_err *err);
int pj_team_type_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* Renames a team type ({"name","version"}; its code stays: manuals' steps name it) */
int pj_team_type_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Removes a team type no manual step names (409 in_use otherwise); version 0: any */
int pj_team_type_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err);

/* Manuals: per facility × scenario, versioned. create takes steps/restore_steps as JSON, or
 * the same table as CSV in a "csv" field (import). */
int pj_manual_list(pj_ctx *c, int64_t facility_id, const char *scenario, int latest, int64_t cursor,
                   int limit, pj_jw *w, pj_err *err);
int pj_manual_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_manual_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* Writes the manual's steps as a CSV table (the import format) into out. */
int pj_manual_export_csv(pj_ctx *c, int64_t id, pj_buf *out, pj_err *err);

/* Live conversions and drills. */
int pj_conversion_start(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* facility_id, township_id (the facility's township): 0 for any. */
int pj_conversion_list(pj_ctx *c, int64_t facility_id, int64_t township_id, int64_t plan_id,
                       const char *mode, const char *state, int64_t cursor, int limit, pj_jw *w,
                       pj_err *err);
int pj_conversion_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* How a conversion stands, judged by the code that renders it (GET /conversions/{id}):
 * deadline_minutes (valid when has_deadline: the adopted plan's ready time, else the standard's
 * target), over_deadline, and behind_plan, its steps behind an adopted plan's schedule. */
typedef struct pj_conv_standing {
    int has_deadline;
    double deadline_minutes;
    int over_deadline;
    int behind_plan;
} pj_conv_standing;
int pj_conversion_standing(pj_ctx *c, int64_t id, pj_conv_standing *out, pj_err *err);
/* The running steps of live conversion `v` past their planned minutes (6 s or more past: as the
 * conversion shows run minutes, one decimal rounded down) while their phase is open — a convert
 * step still running when the restore began, an abort after work began, stopped then, is never
 * overdue afterwards. NOW: the SQL parameter holding the time ("?", "?2"). For the overview and
 * the to-do alike. */
#define PJ_SQL_OVERDUE_STEPS(NOW)                                                                  \
    "(SELECT COUNT(*) FROM conversion_steps cs JOIN manual_steps ms ON ms.id = cs.step_id WHERE"   \
    " cs.conversion_id = v.id AND cs.status = 'running' AND (cs.phase <> 'convert' OR"             \
    " v.restore_started_at IS NULL) AND " NOW " - cs.started_at >= ms.planned_minutes * 60 + 6)"
/* action: "start", "finish" or "sign" on one conversion step (body: remarks / item). */
int pj_conversion_step_action(pj_ctx *c, int64_t step_row, const char *action, json_t *body,
                              pj_jw *w, pj_err *err);
/* action: "restore" (emergency → restoring) or "abort" (body: reason). */
int pj_conversion_action(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                         pj_err *err);
int pj_conversion_timeline(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* Drill report: per-step planned vs actual, total vs target, score, pass/fail, findings. */
int pj_drill_report(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* Gives the drills finished before drills kept their verdict (conversions.drill_passed NULL,
 * migration 12) their report's verdict, in one transaction (derived figures: no audit row), so
 * the overview reads them instead of judging them on every request. Returns how many, or -1.
 * Run when the database is opened for serving (`init`, `serve`). */
int pj_drill_judge_unkept(pj_ctx *c, pj_err *err);
int pj_drill_report_csv(pj_ctx *c, int64_t id, pj_buf *out, pj_err *err);
int pj_drill_trend(pj_ctx *c, int64_t facility_id, pj_jw *w, pj_err *err);

/* Drill plans (演练计划, drill_plan.c): a record kind (record.h) — facility_id, scenario,
 * planned_date, note, state planned|cancelled; read: facility_name, township_name, status
 * (planned, overdue, running, held, cancelled), conversion_id, drill_passed. */
struct pj_rec_kind;
extern const struct pj_rec_kind pj_du_drill_plans;
extern const char *const pj_drill_plan_states[]; /* planned, cancelled */
/* Inside a drill's start: the earliest open plan of its facility and scenario is held by drill
 * conv (an audit row `drill_held` when audit). */
int pj_drill_plan_link(pj_ctx *c, int64_t conv, int64_t fid, const char *scenario, int audit,
                       pj_err *err);
/* Inside a drill's abort: the plan it held is open again (audit row `drill_given_back`). */
int pj_drill_plan_unlink(pj_ctx *c, int64_t conv, pj_err *err);
int pj_finding_create(pj_ctx *c, int64_t conversion_id, json_t *body, pj_jw *w, pj_err *err);
int pj_finding_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_finding_list(pj_ctx *c, const char *status, int64_t facility_id, int64_t cursor, int limit,
                    pj_jw *w, pj_err *err);

/* Stock lines of supply stores. */
/* expiry_state: one of pj_stock_expiry_states or NULL; offset: lines skipped after the cursor. */
int pj_stock_list(pj_ctx *c, int64_t facility_id, const char *category, const char *expiry_state,
                  int64_t cursor, int64_t offset, int limit, pj_jw *w, pj_err *err);
/* A stock line's expiry states: ok (no expiry, or later than PJ_STOCK_SOON_DAYS days from
 * Beijing's today), soon (today through today + PJ_STOCK_SOON_DAYS days), expired. */
extern const char *const pj_stock_expiry_states[];
/* What GET /stock/summary sums by: category (the default), facility. */
extern const char *const pj_stock_summary_bys[];
/* The most lines GET /stock?offset= skips. */
#define PJ_STOCK_OFFSET_MAX 1000000
/* Days before its expiry that a usable stock line counts as expiring soon. */
#define PJ_STOCK_SOON_DAYS 90
/* The per-category totals of the lines pj_stock_list holds with the same filters (all of them):
 * usable, expiring within PJ_STOCK_SOON_DAYS days, expired, lines in all and per expiry state
 * (GET /stock/summary); by_facility: the one category's per facility (400 without a category). */
int pj_stock_summary(pj_ctx *c, int64_t facility_id, const char *category, int by_facility,
                     pj_jw *w, pj_err *err);
int pj_stock_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_stock_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* version: the one the caller read (409 when the line has changed since); 0 deletes the
 * current one (the command line without --version). */
int pj_stock_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err);

/* The emergency overview for a scenario; population 0 = the whole district's. */
int pj_overview(pj_ctx *c, const char *scenario, int64_t population, pj_jw *w, pj_err *err);

/* Pure rules, exposed for tests. */
typedef enum {
    PJ_EV_START,        /* peacetime → converting */
    PJ_EV_READY,        /* converting → emergency (all steps done, checklist signed) */
    PJ_EV_RESTORE,      /* emergency → restoring */
    PJ_EV_RESTORED,     /* restoring → peacetime (all restore steps done) */
    PJ_EV_ABORT,        /* converting → peacetime (no step started, or no restore steps) */
    PJ_EV_ABORT_RESTORE /* converting → restoring (aborted after a step started: the manual's
                           restore steps put the site back) */
} pj_conv_event;
/* The facility state after event in state from, or NULL when the transition is forbidden. */
const char *pj_conv_transition(const char *from, pj_conv_event ev);
/* A drill step done in less than this share of its planned minutes was not plausibly carried
 * out (clicked through): it earns no score and the drill does not pass. */
#define PJ_DRILL_TOO_FAST_SHARE 0.25
/* Minutes after a step's planned start (from an adopted plan's schedule) before a step not yet
 * started counts as behind the plan: the teams learn of the plan when it is adopted. */
#define PJ_PLAN_START_GRACE_MIN 15
/* Whether a done drill step was implausibly fast (under PJ_DRILL_TOO_FAST_SHARE of planned). */
int pj_drill_step_too_fast(double planned_min, double actual_min, int done);
/* A step's score: 1 when on time, planned/actual when late, 0 for a step not done or one done
 * implausibly fast. */
double pj_drill_step_score(double planned_min, double actual_min, int done);
/* A stock line is usable through its expiry date, a date of the district (Beijing): it has
 * expired once Beijing's date is after it. Its expiry is stored as the date's 00:00 UTC, so at
 * `now` the lines whose stored expiry is below the value returned have expired (the listing's
 * `expired`, the overview's expired quantity, the planner's usable stock). */
int64_t pj_stock_expired_before(int64_t now);

/* Builds the demo's standards, manuals, stock, a conversion in progress and past drills. */
int pj_dualuse_demo(pj_ctx *c, uint64_t seed, pj_err *err);

#endif
