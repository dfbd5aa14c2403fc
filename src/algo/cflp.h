/* Capacitated facility location (CFLP): choose which candidate sites to open and how to
 * serve every customer's demand from the open sites, minimising fixed + service cost.
 *
 * Two variants:
 *   PJ_CFLP_MULTI  — multi-source: a customer's demand may be split over several sites
 *                    (x_ij continuous in [0,1], y_i binary);
 *   PJ_CFLP_SINGLE — single-source: each customer is served wholly by one site.
 *
 * Methods (see cflp_solve.c): Lagrangian relaxation of the demand constraints (per-site
 * continuous knapsacks solved by selection, or 0-1 knapsacks, plus a 0-1 cover knapsack on
 * the total capacity, subgradient updates) for lower bounds; Lagrangian heuristics with an
 * exact transportation solver (multi-source) or a GAP repair (single-source); then, for
 * multi-source, an iterated local search whose close/open/swap moves are ranked by estimates
 * from the transportation duals before being solved exactly (on large instances first a site
 * search swapping each open site with its nearest closed ones, each transportation stopped
 * once it cannot beat the incumbent), and for single-source a tabu
 * search over assignments (shift, swap, empty-a-site moves, capacity excess priced
 * adaptively, restarts that open a site the relaxation rates well or empty one) — on large
 * instances preceded by the multi-source relaxation and site search on the instance with 4 %
 * less capacity per site (room for whole customers), whose sites get a single-source
 * assignment from its fractions (excess shifted or given to opened sites), and a site search
 * swapping each open site with its nearest closed ones (the tabu search then shifts a customer
 * only to its 40 cheapest sites). On large instances the relaxation solves only the sites it
 * may open (a site whose continuous knapsack keeps it closed is left until the multipliers
 * have risen enough to change that; the bound stays valid). For small
 * instances an exact path: Lagrangian reduced-cost fixing of sites, then GLPK branch-and-cut
 * on the strong model of what is left, seeded with our incumbent, which proves optimality.
 * Pure C: plain structs in, plain structs out. */
#ifndef PJ_CFLP_H
#define PJ_CFLP_H

#include <stddef.h>

#include "algo/algo.h"

typedef enum pj_cflp_kind {
    PJ_CFLP_MULTI = 0,  /* split demand allowed */
    PJ_CFLP_SINGLE = 1, /* each customer wholly to one site */
} pj_cflp_kind;

typedef enum pj_cflp_status {
    PJ_CFLP_OK = 0,          /* a feasible solution is returned (stats.optimal says if proven) */
    PJ_CFLP_INFEASIBLE = 1,  /* proven: no feasible solution exists */
    PJ_CFLP_NO_SOLUTION = 2, /* none found before the time limit; feasibility unknown */
    PJ_CFLP_EINVAL = -1,     /* malformed instance (see result.message) */
    PJ_CFLP_ENOMEM = -2,     /* out of memory */
} pj_cflp_status;

/* An instance. All arrays are owned by the struct when created with pj_cflp_init (freed by
 * pj_cflp_free); a caller may also fill the struct with its own arrays and never call
 * pj_cflp_free. Costs and capacities must be finite and >= 0, except cost entries, where any
 * non-finite value (INFINITY) forbids the pair (e.g. beyond a maximum distance). */
typedef struct pj_cflp {
    int m;                  /* candidate sites */
    int n;                  /* customers */
    double *capacity;       /* [m] s_i */
    double *fixed_cost;     /* [m] f_i */
    unsigned char *allowed; /* [m] or NULL (all allowed): 0 = the site may not be opened */
    double *demand;         /* [n] d_j */
    double *cost;           /* [m*n] cost[i*n + j] = c_ij, cost of serving ALL of j from i */
} pj_cflp;

/* One positive flow of a multi-source solution: `fraction` of customer's demand from site. */
typedef struct pj_cflp_flow {
    int site;
    int customer;
    double fraction; /* in (0, 1]; the fractions of one customer sum to 1 */
} pj_cflp_flow;

/* A solution. All arrays are owned by the result; release them with pj_cflp_result_free.
 * The assignment is returned in two forms:
 *   assign[j]  — single-source: the serving site; multi-source: the site serving the
 *                largest fraction of j (ties: lowest index). -1 when status != PJ_CFLP_OK.
 *   flows      — sparse list of (site, customer, fraction) with fraction > 0, sorted by
 *                customer then site; single-source has exactly n entries of fraction 1. */
typedef struct pj_cflp_result {
    pj_cflp_status status;
    pj_cflp_kind kind;
    int m, n;
    unsigned char *open; /* [m] 1 = open */
    int *assign;         /* [n] */
    pj_cflp_flow *flows; /* [nflows] */
    int nflows;
    pj_algo_stats stats; /* objective = fixed + service cost of this solution */
    int iterations;      /* Lagrangian (subgradient) iterations performed */
    int mip_used;        /* 1 when the exact (GLPK) path ran */
    char message[160];   /* human-readable note / error */
} pj_cflp_result;

/* Allocates an m x n instance: capacities, fixed costs, demands and costs zeroed, allowed
 * NULL. The arrays are owned by *inst (free with pj_cflp_free). Returns 0, or -1 on bad
 * sizes / out of memory (then *inst is left empty). */
int pj_cflp_init(pj_cflp *inst, int m, int n);
/* Frees the arrays of an instance made by pj_cflp_init / a reader and zeroes it. */
void pj_cflp_free(pj_cflp *inst);
/* Checks sizes, finiteness and signs. Returns 0 when valid, else -1 with a message in err
 * (caller's buffer; may be NULL). */
int pj_cflp_validate(const pj_cflp *inst, char *err, size_t errlen);
/* Total demand. */
double pj_cflp_total_demand(const pj_cflp *inst);

/* Seconds of work (pj_algo_opts.work_s) beyond which more work for one search of a large
 * single-source instance gives the same plan (on the demo district's 1151 x 302 resettlement
 * instance 21 and 33 s give the same plan at 9 demand levels; docs/bench/algo_cflp.md). */
#define PJ_CFLP_START_WORK_S 20.0

/* Solves the instance. opts may be NULL (defaults: 10 s limit, seed 0). Always fills *res
 * (even on errors: status, message, zero-length arrays where none); the arrays in *res are
 * owned by res — call pj_cflp_result_free. The search's phases end by the work done (its
 * budget: opts->work_s, else the time limit, in seconds of the reference machine), so it is
 * deterministic for a given seed and budget; the wall-clock time limit ends it first only on
 * a machine slower than the budget assumes (stats.time_limit_hit is set either way). Runs
 * pj_cflp_starts(inst, kind, budget) searches (see pj_cflp_solve_starts). Returns
 * res->status. */
pj_cflp_status pj_cflp_solve(const pj_cflp *inst, pj_cflp_kind kind, const pj_algo_opts *opts,
                             pj_cflp_result *res);
/* How many searches pj_cflp_solve runs for a budget of work_s: on large single-source
 * instances (m * n > 10^5) floor(work_s / PJ_CFLP_START_WORK_S), between 1 and 3; else 1. */
int pj_cflp_starts(const pj_cflp *inst, pj_cflp_kind kind, double work_s);
/* pj_cflp_solve with `starts` searches (at most 3; one unless the instance is large and
 * single-source): each gets an equal share of the budget and of the time left, and its own
 * capacity cut for its multi-source site search (the first the cut a single search uses, so
 * it finds what pj_cflp_solve with its share of the budget finds); the result is the best
 * solution with the best bound of them all, time_limit_hit / clock_limited if any search's
 * was, iterations summed; a search that proves its plan optimal, a cancellation or the end of
 * the time limit ends the series. Progress runs from 0 to 1 across the searches. With opts
 * NULL, one search with the defaults. */
pj_cflp_status pj_cflp_solve_starts(const pj_cflp *inst, pj_cflp_kind kind,
                                    const pj_algo_opts *opts, int starts, pj_cflp_result *res);
/* Frees the arrays of a result and zeroes it (safe on a zeroed result). */
void pj_cflp_result_free(pj_cflp_result *res);
/* Fills *res with status PJ_CFLP_OK from an open set plus either frac [m*n] (fraction of j
 * from i at [i*n + j], MULTI) or assign [n] (SINGLE); frees what *res held before; computes
 * stats.objective. Other stats are left for the caller. res owns the arrays. Returns 0, or
 * -1 when out of memory (status PJ_CFLP_ENOMEM). */
int pj_cflp_result_set(pj_cflp_result *res, const pj_cflp *inst, pj_cflp_kind kind,
                       const unsigned char *open, const double *frac, const int *assign);
/* Verifies a result against its instance: open flags, allowed sites, forbidden pairs,
 * every customer fully served (fractions sum to 1 within tol), capacities respected
 * (load <= s_i * (1 + tol) + tol), single-source integrality; recomputes the objective into
 * *objective (may be NULL). Returns 0 when valid, else -1 with a message in err. */
int pj_cflp_result_check(const pj_cflp_result *res, const pj_cflp *inst, double tol,
                         double *objective, char *err, size_t errlen);

/* --- Building blocks (also used by the benchmark and tests) ----------------------------- */

/* Exact transportation solver for a fixed set of open sites (multi-source assignment):
 * successive shortest paths over the open sites with potentials. Workspace owned by the
 * caller: create with pj_cflp_tp_new (returns NULL on bad instance / no memory), free with
 * pj_cflp_tp_free. The instance must outlive the workspace. */
typedef struct pj_cflp_tp pj_cflp_tp;
pj_cflp_tp *pj_cflp_tp_new(const pj_cflp *inst);
void pj_cflp_tp_free(pj_cflp_tp *tp);
/* Optimal assignment for open[] (m flags). Returns 0 and the service cost (without fixed
 * costs) in *service, or 1 when the open sites cannot serve all demand. */
int pj_cflp_tp_solve(pj_cflp_tp *tp, const unsigned char *open, double *service);
/* The same, but gives up and returns 2 as soon as the service cost is known to be >= cutoff
 * (the successive shortest paths only raise it). After a 2 the fractions and prices of the
 * workspace are not a solution. */
int pj_cflp_tp_solve_below(pj_cflp_tp *tp, const unsigned char *open, double cutoff,
                           double *service);
/* The work of the solves so far, in steps of their inner loops (a count that depends only on
 * the instance and the open sets solved: the CFLP search measures its budget by it). */
double pj_cflp_tp_work(const pj_cflp_tp *tp);
/* The last solution: fraction of customer j's demand served by site i at [i*n + j].
 * Pointer owned by tp, valid until the next pj_cflp_tp_solve / pj_cflp_tp_free. */
const double *pj_cflp_tp_fractions(const pj_cflp_tp *tp);
/* Capacity prices of the last solution (open[] must be the set it was solved for): w[i] >= 0
 * per unit of demand for open sites, 0 for closed ones (caller's array of m). Every unit of
 * customer j is served by an open site minimising c_ij / d_j + w[i]; a site with spare
 * capacity has w[i] == 0. Used to estimate moves before solving them exactly. */
void pj_cflp_tp_prices(const pj_cflp_tp *tp, const unsigned char *open, double *w);

/* Reference MIP: builds the strong model (y binary; x_ij continuous for MULTI, binary for
 * SINGLE; sum_i x_ij = 1; sum_j d_j x_ij <= s_i y_i; x_ij <= y_i; total capacity cover) and
 * runs GLPK's glp_intopt with opts->time_limit_s (0 = no limit). When start is non-NULL and
 * status PJ_CFLP_OK, it is offered to GLPK as the first incumbent. Fills *res like
 * pj_cflp_solve (res owns its arrays). stats.optimal = 1 when GLPK proved optimality. */
pj_cflp_status pj_cflp_mip_glpk(const pj_cflp *inst, pj_cflp_kind kind, const pj_algo_opts *opts,
                                const pj_cflp_result *start, pj_cflp_result *res);
/* The same with some sites fixed: fix[i] = 0 closed, 1 open, -1 free (fix may be NULL).
 * Used by pj_cflp_solve after Lagrangian reduced-cost fixing. */
pj_cflp_status pj_cflp_mip_glpk_fixed(const pj_cflp *inst, pj_cflp_kind kind,
                                      const pj_algo_opts *opts, const signed char *fix,
                                      const pj_cflp_result *start, pj_cflp_result *res);

#endif
