/* The emergency planner (issue #4): from a scenario (who is affected, how many people need
 * which emergency role, which teams are available) to a plan — which facilities to convert
 * (capacitated facility location), who goes where, supply flows from the stores, and the
 * conversion schedule under the shared teams (RCPSP) with each site's ready time.
 * Plans are saved (draft), listed, compared and adopted: adopting starts the live conversions
 * of the chosen facilities in one transaction with the plan's status change. */
#ifndef PJ_PLAN_H
#define PJ_PLAN_H

#include "algo/cflp.h"
#include "domain/ctx.h"

/* Progress of a running plan: phase is "load", "location", "supply" or "schedule"; frac in
 * [0,1] within the phase. Optional. */
typedef struct pj_plan_progress {
    void (*fn)(void *ud, const char *phase, double frac);
    void *ud;
    /* Optional: asked between phases and by the solvers where they check their time limit;
     * non-zero stops the solve with 503 "stopped". */
    int (*cancelled)(void *ud);
} pj_plan_progress;

/* Validates the scenario in body, solves it and saves the plan as a draft; writes the saved
 * plan (with its result) to w. Bad input is 422 and writes nothing. Roles: admin, district
 * and township officers. prog may be NULL. */
int pj_plan_create(pj_ctx *c, json_t *body, const pj_plan_progress *prog, pj_jw *w, pj_err *err);
/* Benchmarks only: when set, called with each facility-location instance a plan builds, just
 * before it is solved (e.g. to measure its relaxation with another method). NULL in the
 * product. Process-wide and unsynchronised: set it before any plan runs. */
extern void (*pj_plan_cflp_hook)(const pj_cflp *inst, pj_cflp_kind kind, void *ud);
extern void *pj_plan_cflp_hook_ud;
/* ---- plans solved in the background (plan_worker.c) ---- */
typedef struct pj_plan_pool pj_plan_pool;
/* Fails the plans left 'solving' by a process that is gone, then starts `workers` threads
 * (each with its own connection to db_path) taking at most queue_max plans at a time
 * (running + waiting). The pool is the process's (pj_plan_pool_current). */
int pj_plan_pool_start(pj_plan_pool **out, const char *db_path, const pj_settings *settings,
                       int workers, int queue_max, pj_err *err);
/* Asks the pool to stop without waiting: the waiting plans fail at once and the running ones
 * end their search; each outcome is stored and announced as usual (notify fd). */
void pj_plan_pool_cancel(pj_plan_pool *p);
/* Fails the waiting plans, asks the running ones to stop (their solvers end their search at
 * once, the plan at its next phase boundary), joins, frees. */
void pj_plan_pool_stop(pj_plan_pool *p);
pj_plan_pool *pj_plan_pool_current(void);
/* A number that grows with every plan outcome the workers commit (for caches). */
uint64_t pj_plan_pool_commits(pj_plan_pool *p);
/* A descriptor that becomes readable after each plan outcome the workers store (an eventfd:
 * read 8 bytes to clear it), so an event loop can answer requests waiting for their plan. */
int pj_plan_pool_notify_fd(pj_plan_pool *p);
/* After the server's batch (group commit) closed: a plan handed to the pool inside it starts
 * only now, when the batch committed (its row is saved), and is dropped when it failed (the
 * plan was never saved; its request was answered with the failure). */
void pj_plan_pool_release(pj_plan_pool *p, int committed);
/* Validates like pj_plan_create (422 writes nothing), saves the plan as 'solving' (audited
 * as create) and hands it to the pool; writes the plan with its progress to w. A full pool is
 * 429 "too_many_plans" and writes nothing. */
int pj_plan_submit(pj_ctx *c, pj_plan_pool *pool, json_t *body, int64_t *id, pj_jw *w, pj_err *err);
/* The outcome of a submitted plan: 1 while it is still solving (nothing written), 0 when it
 * is solved (the plan written to w, as pj_plan_get), -1 when it failed, with its stored
 * error in err (the status and code the solve failed with). */
int pj_plan_outcome(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);

/* The people adopted plans placed into facility fid and still there (in force), of the roles
 * that house people: key "used" (all) or "vulnerable" (needing medical care). *people in all;
 * occ: "150 people placed by plan 9, 30 by plan 12" (empty when none), or with planned (a site
 * still converting, where no one is yet) "150 people are to be placed there by plan 9, 30 by
 * plan 12"; ids: "9,12". 0 or -1. */
int pj_plan_occupants(pj_ctx *c, int64_t fid, const char *key, int planned, int64_t *people,
                      char *occ, size_t occ_n, char *ids, size_t ids_n, pj_err *err);

/* A plan is solving, then draft (solved) or failed; a draft may be adopted, an adopted plan
 * closed. */
extern const char *const pj_plan_statuses[];
/* Plans newest first, without their results; status NULL = all; facility_id 0 = all, else
 * the plans whose result has a site at that facility (any status). */
int pj_plan_list(pj_ctx *c, const char *status, int64_t facility_id, int64_t cursor, int limit,
                 pj_jw *w, pj_err *err);
/* One plan with its request and result. */
int pj_plan_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* Two plans side by side: cost, distance, people served, shortfall, ready times, sites. */
int pj_plan_compare(pj_ctx *c, int64_t a, int64_t b, pj_jw *w, pj_err *err);
/* Adopts a draft: starts the live conversion of every chosen facility (by the plan's manual)
 * and marks the plan adopted, all in one transaction; a facility not in peacetime makes the
 * whole adoption fail with 409 naming it. Admin and district officers only. body may be NULL
 * or {"version": N} (optimistic concurrency). */
int pj_plan_adopt(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Closes (stands down) an adopted plan when its crisis is over: status closed, in one
 * transaction with its audit row (`close`, the reason in after). Its people no longer occupy
 * its sites, its unshipped supply flows hold no stock and take no shipment. body {reason,
 * version?}; 409 invalid_transition unless adopted. Admin and district officers only. */
int pj_plan_close(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);

/* Records that qty units of one supply flow of an adopted plan were shipped: body
 * {store_id, facility_id, category, quantity} names the flow (its store, site and category).
 * In one transaction the quantity is taken off the store's usable stock lines (soonest expiry
 * first; each line audited "ship"), the shipment is stored (audited "create" on
 * plan_shipment), and from then on the plan holds only the rest of the flow off later plans.
 * Refused, writing nothing: 422 for bad input or a flow not in the plan, 409 not_adopted,
 * not_in_force (the flow's site restored or aborted), exceeds_flow (more than the flow has left),
 * insufficient_stock (more than the store has usable); 403 outside the store's scope (district
 * roles, the store's township officer, the store's operator). Writes the shipment with
 * `flow` {quantity, shipped, remaining}. */
int pj_plan_ship(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* The shipments of plan id, newest first (404 when there is no plan). */
int pj_plan_shipments(pj_ctx *c, int64_t id, int64_t cursor, int limit, pj_jw *w, pj_err *err);
/* Voids shipment sid of plan id, recorded in error: {reason} (1–500 characters). In one
 * transaction its quantity goes back on the stock lines it was taken from (a line deleted or
 * made another category since: a new line; each audited "ship_void" on stock_line), it is
 * marked voided (voided_at, voided_by, void_reason, void_lines) and audited "void" on
 * plan_shipment; from then on it counts nowhere (the flow's shipped, the plan's shipped_so_far,
 * what the plan holds). Whatever the plan's status now (a closed plan's, a stopped site's too).
 * The roles and scope of recording it (the store's); 404 no such plan or no such shipment of
 * it, 409 invalid_state voided already. Writes the shipment with `flow` {quantity, shipped,
 * remaining} as it stands after the void. */
int pj_plan_shipment_void(pj_ctx *c, int64_t id, int64_t sid, json_t *body, pj_jw *w, pj_err *err);

#endif
