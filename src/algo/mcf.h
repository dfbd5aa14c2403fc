/* Minimum-cost flow on a general network (src/algo, pure: structs in, structs out).
 *
 * Numbers are integers, so results are exact: quantities (supplies, capacities, flows) and
 * costs per unit are int64_t. Limits: |cost| <= PJ_MCF_COST_MAX, 0 <= cap <= PJ_MCF_QTY_MAX or
 * cap == PJ_MCF_UNBOUNDED, |supply| <= PJ_MCF_QTY_MAX, total positive supply <= 2^61,
 * at most 2^28 nodes; the total cost is computed with overflow
 * checks (PJ_MCF_EOVERFLOW). For costs in kilometres, scale to metres first.
 *
 * Method: successive shortest paths with node potentials (full Dijkstra on reduced costs,
 * binary heap), from a super source joined to every supply node to a super sink joined to every
 * demand node; each Dijkstra tree serves several demand nodes. A first, relaxed pass works on
 * the network oriented so that the side with the smaller total is the sink side (arcs reversed
 * when supply < demand) and serves every demand node with an open tree path; it is exact when
 * that side ends saturated. Otherwise (capacities or missing arcs block it) a strict pass runs
 * on the forward network, serving demand nodes in order of distance to the sink. Arcs with
 * negative cost are saturated first (so they must have a finite capacity), which keeps every
 * reduced cost non-negative. O(F (E + V log V)) for F Dijkstra rounds.
 *
 * When supplies cannot all be routed (capacities, missing arcs, or sum(supply) != 0) the status
 * is PJ_MCF_INFEASIBLE and the returned flow is a maximum flow from the supply nodes to the
 * demand nodes of minimum cost among maximum flows (exact when no arc has a negative cost).
 * At the end, optimality is checked independently: every residual arc has a non-negative
 * reduced cost under the returned potentials; then stats.lower_bound = cost and optimal = 1. */
#ifndef PJ_MCF_H
#define PJ_MCF_H

#include <stdint.h>

#include "algo/algo.h"

#define PJ_MCF_UNBOUNDED INT64_MAX
#define PJ_MCF_QTY_MAX   ((int64_t)1 << 40)
#define PJ_MCF_COST_MAX  ((int64_t)1 << 31)

enum {
    PJ_MCF_OK = 0,         /* every supply routed to the demands; flow of minimum cost */
    PJ_MCF_INFEASIBLE = 1, /* not everything routable: max flow of min cost returned */
    PJ_MCF_TIME_LIMIT = 2, /* stopped on opts->time_limit_s: flow is partial (min cost for its
                              value), lower_bound = -INFINITY */
    PJ_MCF_EINVAL = -1,    /* bad input: node index, limits, negative cost on unbounded arc */
    PJ_MCF_ENOMEM = -2,
    PJ_MCF_EOVERFLOW = -3, /* total cost does not fit int64_t */
};

typedef struct pj_mcf_arc {
    int from, to; /* node indices in [0, n_nodes) */
    int64_t cap;  /* >= 0, or PJ_MCF_UNBOUNDED */
    int64_t cost; /* per unit; may be negative only when cap is finite */
} pj_mcf_arc;

/* A network. Not owned by the solver; the caller keeps it alive during the call. */
typedef struct pj_mcf {
    int n_nodes;
    const int64_t *supply; /* n_nodes entries: > 0 supply, < 0 demand; NULL = all zero */
    int n_arcs;
    const pj_mcf_arc *arcs;
} pj_mcf;

/* A solution; arrays malloc'd and owned by it: free with pj_mcf_sol_free. */
typedef struct pj_mcf_sol {
    int status;         /* PJ_MCF_* */
    int64_t *flow;      /* n_arcs entries, 0 <= flow <= cap */
    int64_t *potential; /* n_nodes entries: node prices pi; for every arc with flow < cap,
                           cost + pi[from] - pi[to] >= 0, and <= 0 when flow > 0 */
    int64_t *excess;    /* n_nodes entries: supply minus net outflow; all 0 when status OK */
    int64_t cost;       /* sum flow * cost */
    int64_t routed;     /* units moved from supply nodes to demand nodes */
    int64_t augmentations;
    pj_algo_stats stats; /* objective = cost */
} pj_mcf_sol;

/* Solves p into *sol (zeroed first). opts may be NULL. Returns sol->status; the caller owns
 * *sol's arrays afterwards (none allocated on EINVAL/ENOMEM/EOVERFLOW). */
int pj_mcf_solve(const pj_mcf *p, const pj_algo_opts *opts, pj_mcf_sol *sol);
/* Frees the arrays of sol (not sol itself); safe on a zeroed or already freed solution. */
void pj_mcf_sol_free(pj_mcf_sol *sol);

#endif
