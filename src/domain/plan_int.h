/* Internal interface between the planner's solve (plan.c) and its store (plan_store.c). */
#ifndef PJ_PLAN_INT_H
#define PJ_PLAN_INT_H

#include <sys/types.h>

#include "domain/plan.h"

/* SQL of an adopted plan's supply flow: `p` is the plan's row (plans), `fl` the flow (a row of
 * json_each(p.result_json, '$.supplies.flows')).
 * PJ_PLAN_IN_FORCE_AT(F): the plan's placements into facility F (an SQL expression of its id)
 * hold — the plan's conversion of F is converting or in emergency, or, for a site the plan
 * found converted already (no conversion of its own), the conversion it found is still in
 * emergency (the rule of already_housing). The plan's status is the caller's to check. A plan's
 * site and its flows into that site are in force alike; restoring or aborting F's conversion
 * ends both (a live conversion of F is one at a time).
 * PJ_PLAN_FLOW_IN_FORCE: the flow holds its store's stock (its site in force). A flow from a
 * store to itself (kept by plans solved before the planner left such flows out) never does:
 * nothing would move, and it is not shipped.
 * PJ_PLAN_FLOW_SHIPPED: what the plan's shipments took of the flow so far (plan_shipments; a
 * voided shipment counts no more). */
#define PJ_PLAN_IN_FORCE_AT(F)                                                                     \
    "(EXISTS (SELECT 1 FROM plan_conversions pc JOIN conversions v ON v.id ="                      \
    " pc.conversion_id WHERE pc.plan_id = p.id AND pc.facility_id = " F " AND v.state IN"          \
    " ('converting', 'emergency')) OR (NOT EXISTS (SELECT 1 FROM plan_conversions pc WHERE"        \
    " pc.plan_id = p.id AND pc.facility_id = " F ") AND p.adopted_at >= (SELECT"                   \
    " MAX(v.started_at) FROM conversions v WHERE v.facility_id = " F " AND v.mode = 'live' AND"    \
    " v.state = 'emergency')))"
/* SQL: the plan `p` (adopted or closed: the caller's to check) placed people in the site of
 * the live conversion `v` without starting it — a site of its result, converted already when
 * the plan was adopted (by hand, or by an earlier plan): adopted while v ran (from its start
 * until its restore began or it ended), and no conversion of the plan's own at v's facility.
 * With plan_conversions (the conversions a plan started), what a plan sends people to: a
 * conversion's `plan_sites`, the conversion list's plan_id filter. */
#define PJ_PLAN_PLACED_IN                                                                          \
    "(v.mode = 'live' AND p.adopted_at >= v.started_at AND (COALESCE(v.restore_started_at,"        \
    " v.ended_at) IS NULL OR p.adopted_at < COALESCE(v.restore_started_at, v.ended_at)) AND NOT"   \
    " EXISTS (SELECT 1 FROM plan_conversions pc WHERE pc.plan_id = p.id AND pc.facility_id ="      \
    " v.facility_id) AND EXISTS (SELECT 1 FROM json_each(p.result_json, '$.sites') e WHERE"        \
    " json_extract(e.value, '$.facility_id') = v.facility_id))"
#define PJ_PLAN_FLOW_IN_FORCE                                                                      \
    "(json_extract(fl.value, '$.store_id') <> json_extract(fl.value, '$.facility_id') "            \
    "AND " PJ_PLAN_IN_FORCE_AT("json_extract(fl.value, '$.facility_id')") ")"
#define PJ_PLAN_FLOW_SHIPPED                                                                       \
    "(SELECT COALESCE(SUM(sh.quantity), 0) FROM plan_shipments sh WHERE sh.plan_id = p.id AND"     \
    " sh.store_id = json_extract(fl.value, '$.store_id') AND sh.facility_id ="                     \
    " json_extract(fl.value, '$.facility_id') AND sh.category ="                                   \
    " json_extract(fl.value, '$.category') AND sh.voided_at IS NULL)"

/* SQL of the people adopted plans put into converted facility F (an SQL expression of its id)
 * since its conversion in force (live, in emergency) started: the `used` of its site in each
 * adopted plan's result. Those places are taken: a plan counts only the rest as free
 * (`already_housing`), and adopting a plan checks again that the places it counted on are
 * still free. 0 for a facility with no conversion in emergency. */
#define PJ_PLAN_HOUSING(F) PJ_PLAN_HOUSED(F, "used")
/* The same for the people needing medical care (the sites' `vulnerable`): in a site that is not
 * medical they fill its barrier-free rooms, which a later plan must not count as free again. */
#define PJ_PLAN_VHOUSING(F) PJ_PLAN_HOUSED(F, "vulnerable")
#define PJ_PLAN_HOUSED(F, KEY)                                                                     \
    "(SELECT COALESCE(SUM(json_extract(e.value, '$." KEY "')), 0) FROM plans p,"                   \
    " json_each(p.result_json, '$.sites') e WHERE p.status = 'adopted' AND"                        \
    " json_extract(e.value, '$.facility_id') = " F " AND p.adopted_at >= (SELECT"                  \
    " MAX(v.started_at) FROM conversions v WHERE v.facility_id = " F " AND v.mode = 'live' AND"    \
    " v.state = 'emergency'))"

typedef struct pj_plan_summary {
    const char *name, *scenario, *role; /* borrowed from the request body */
    double objective, gap;
    int64_t demand, served, shortfall;
} pj_plan_summary;

/* Validates body and solves it (reads only). On success *result is the result object as JSON
 * text in c->arena and *sum is filled; -1 with err (422 for bad input) otherwise. */
int pj_plan_solve(pj_ctx *c, json_t *body, const pj_plan_progress *prog, char **result,
                  pj_plan_summary *sum, pj_err *err);

/* The validation of pj_plan_solve without the solve: the request, the villages and their
 * demand, the candidates (reads only; fast). 0, or -1 with err as pj_plan_solve would fail. */
int pj_plan_check(pj_ctx *c, json_t *body, pj_plan_summary *sum, pj_err *err);

/* Stores a background solve's outcome on plan id (if it is still 'solving'): result + sum
 * (status draft) or, when fail is non-NULL, the failure (status failed); audited as "solve"
 * or "fail". Returns 1 when stored, 0 when the plan was not solving (or is gone), -1 + err. */
int pj_plan_store_outcome(pj_ctx *c, int64_t id, const char *result, const pj_plan_summary *sum,
                          const pj_err *fail, pj_err *err);
/* Marks failed every 'solving' plan whose solving process is gone: no process of its id, or
 * one started at another time than the plan's (its id reused); at a start (at_start) also this
 * process's, which cannot be solving any yet. */
int pj_plan_recover(pj_ctx *c, int at_start, pj_err *err);
/* When process pid started, in clock ticks after boot (/proc/PID/stat, field 22); -1 when
 * unknown (no such process, no /proc); PJ_PLAN_PROC_DEAD for a zombie or dead process. */
#define PJ_PLAN_PROC_DEAD (-2)
int64_t pj_plan_proc_started(pid_t pid);
/* The pool, for plan_store.c. */
int pj_plan_pool_full(pj_plan_pool *p);
/* How many plans the pool takes at a time (solving and waiting). */
int pj_plan_pool_capacity(pj_plan_pool *p);
int pj_plan_pool_add(pj_plan_pool *p, pj_ctx *c, int64_t id, const char *request, pj_err *err);
/* 1 and the job's progress when plan id is waiting or running in this process's pool. */
int pj_plan_pool_progress(int64_t id, const char **phase, double *frac, int64_t *elapsed_ms);

#endif
