/* Internal interface between the planner's solve (plan.c) and its store (plan_store.c). */
#ifndef PJ_PLAN_INT_H
#define PJ_PLAN_INT_H

#include "domain/plan.h"

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

#endif
