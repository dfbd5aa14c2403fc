/* Supply flows in a crisis (src/algo, pure: structs in, structs out).
 *
 * Stores hold stock per category; activated sites have demand per category. Categories are
 * independent: one transportation problem per category, each solved exactly as a min-cost
 * flow (algo/mcf.h). Shipping one unit from store s to site t costs dist_km[s][t]; distances
 * are rounded to whole metres (so every result is exact integer arithmetic in metre-units).
 * The solver never fails for lack of stock or routes: demand that cannot be (or, with a
 * penalty, should not be) served is reported per site and category.
 *
 * Objective, per category:
 *  - unmet_penalty_km == 0: ship as many units as possible, then minimise distance x quantity
 *    (lexicographic; exact: max flow of min cost).
 *  - unmet_penalty_km > 0: minimise distance x quantity + penalty x unmet units (a dummy
 *    supply at the penalty price covers every site, so a unit goes unserved only where the
 *    cheapest way to serve it costs more than the penalty).
 * The lower bound equals the objective (exact method, certified by reduced costs). */
#ifndef PJ_SUPPLY_H
#define PJ_SUPPLY_H

#include <stdint.h>

#include "algo/algo.h"

enum {
    PJ_SUPPLY_OK = 0,         /* every demand met */
    PJ_SUPPLY_SHORT = 1,      /* some demand unmet (see unmet); the plan is still optimal */
    PJ_SUPPLY_TIME_LIMIT = 2, /* stopped on opts->time_limit_s: the plan is consistent (flows,
                                 unmet and leftover agree) but not proven optimal */
    PJ_SUPPLY_EINVAL = -1,    /* bad sizes, negative stock/demand, NaN/huge distance... */
    PJ_SUPPLY_ENOMEM = -2,
};

/* The problem. Not owned by the solver; the caller keeps it alive during the call. */
typedef struct pj_supply {
    int n_stores, n_sites, n_cats;
    const int64_t *stock;     /* n_stores * n_cats: stock[s * n_cats + c] >= 0 */
    const int64_t *demand;    /* n_sites * n_cats: demand[t * n_cats + c] >= 0 */
    const double *dist_km;    /* n_stores * n_sites: dist_km[s * n_sites + t], <= 2e6;
                                 INFINITY or < 0 = no route */
    const int64_t *route_cap; /* optional n_stores * n_sites: units per category that may go
                                 from s to t (< 0 = unlimited); NULL = all unlimited */
    double max_dist_km;       /* > 0: routes longer than this are not used; 0 = no limit */
    double unmet_penalty_km;  /* see the top of this file; 0 = serve as much as possible */
} pj_supply;

/* One shipment. */
typedef struct pj_supply_flow {
    int store, site, cat;
    int64_t qty;
    double dist_km; /* the rounded distance used for the cost */
} pj_supply_flow;

/* A plan; arrays malloc'd and owned by it: free with pj_supply_sol_free. */
typedef struct pj_supply_sol {
    int status;            /* PJ_SUPPLY_* */
    int n_flows;           /* number of shipments */
    pj_supply_flow *flows; /* ordered by category, then store, then site */
    int64_t *unmet;        /* n_sites * n_cats: demand left unserved */
    int64_t *leftover;     /* n_stores * n_cats: stock not shipped */
    int64_t total_demand, total_shipped, total_unmet;
    int64_t cost_m;      /* sum of qty * distance in metres (exact) */
    double cost_km;      /* cost_m / 1000 */
    pj_algo_stats stats; /* objective = cost_km + unmet_penalty_km * total_unmet;
                            lower_bound = objective when proven optimal */
} pj_supply_sol;

/* Plans p into *sol (zeroed first). opts may be NULL; its time limit covers all categories.
 * Returns sol->status; the caller owns *sol's arrays afterwards (none on EINVAL/ENOMEM). */
int pj_supply_solve(const pj_supply *p, const pj_algo_opts *opts, pj_supply_sol *sol);
/* Frees the arrays of sol (not sol itself); safe on a zeroed or already freed solution. */
void pj_supply_sol_free(pj_supply_sol *sol);

#endif
