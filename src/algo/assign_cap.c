/* Capacitated sparse pairing as a min-cost max-flow (see assign.h). */
#include "algo/assign.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "algo/mcf.h"
#include "core/banned.h"

void pj_assign_cap_sol_free(pj_assign_cap_sol *sol)
{
    if (!sol) return;
    free(sol->col_to_row);
    free(sol->row_load);
    sol->col_to_row = sol->row_load = NULL;
}

int pj_assign_cap_solve(const pj_assign_cap *p, const pj_algo_opts *opts, pj_assign_cap_sol *sol)
{
    double t0 = pj_algo_now();
    memset(sol, 0, sizeof *sol);
    sol->status = PJ_ASSIGN_EINVAL;
    if (!p || p->n_rows < 0 || p->n_cols < 0 || p->n_edges < 0 || (p->n_edges > 0 && !p->edges))
        return sol->status;
    if ((int64_t)p->n_rows + p->n_cols + 2 > (1 << 28)) return sol->status;
    int nr = p->n_rows, nc = p->n_cols, ne = p->n_edges;
    /* Shift costs to be non-negative: every paired column uses one edge, so among pairings of
     * the same size the order of costs is unchanged, and the flow stays exact. */
    int64_t cmin = 0;
    for (int e = 0; e < ne; e++) {
        const pj_assign_edge *ed = &p->edges[e];
        if (ed->row < 0 || ed->row >= nr || ed->col < 0 || ed->col >= nc) return sol->status;
        if (ed->cost > PJ_MCF_COST_MAX / 2 || ed->cost < -PJ_MCF_COST_MAX / 2) return sol->status;
        if (ed->cost < cmin) cmin = ed->cost;
    }
    for (int i = 0; i < nr && p->row_cap; i++)
        if (p->row_cap[i] < 0) return sol->status;

    int S = nr + nc + 1, T = nr + nc, nn = nr + nc + 2;
    int na = nr + ne + nc;
    pj_mcf_arc *arcs = malloc(sizeof(pj_mcf_arc) * (size_t)(na ? na : 1));
    int64_t *supply = calloc((size_t)nn, sizeof(int64_t));
    sol->col_to_row = malloc(sizeof(int) * (size_t)(nc ? nc : 1));
    sol->row_load = calloc((size_t)(nr ? nr : 1), sizeof(int));
    if (!arcs || !supply || !sol->col_to_row || !sol->row_load) {
        free(arcs);
        free(supply);
        pj_assign_cap_sol_free(sol);
        sol->status = PJ_ASSIGN_ENOMEM;
        return sol->status;
    }
    int k = 0;
    for (int i = 0; i < nr; i++) arcs[k++] = (pj_mcf_arc){S, i, p->row_cap ? p->row_cap[i] : 1, 0};
    for (int e = 0; e < ne; e++) {
        const pj_assign_edge *ed = &p->edges[e];
        arcs[k++] = (pj_mcf_arc){ed->row, nr + ed->col, 1, ed->cost - cmin};
    }
    for (int j = 0; j < nc; j++) arcs[k++] = (pj_mcf_arc){nr + j, T, 1, 0};
    supply[S] = nc;
    supply[T] = -nc;
    pj_mcf net = {nn, supply, na, arcs};
    pj_mcf_sol ms;
    int st = pj_mcf_solve(&net, opts, &ms);
    int status = st == PJ_MCF_OK || st == PJ_MCF_INFEASIBLE ? PJ_ASSIGN_OK
                 : st == PJ_MCF_TIME_LIMIT                  ? PJ_ASSIGN_TIME_LIMIT
                 : st == PJ_MCF_ENOMEM                      ? PJ_ASSIGN_ENOMEM
                                                            : PJ_ASSIGN_EINVAL;
    if (status < 0) {
        free(arcs);
        free(supply);
        pj_assign_cap_sol_free(sol);
        sol->status = status;
        return status;
    }
    for (int j = 0; j < nc; j++) sol->col_to_row[j] = -1;
    int64_t cost = 0;
    for (int e = 0; e < ne; e++) {
        if (ms.flow[nr + e] <= 0) continue;
        const pj_assign_edge *ed = &p->edges[e];
        sol->col_to_row[ed->col] = ed->row;
        sol->row_load[ed->row]++;
        sol->n_assigned++;
        cost += ed->cost;
    }
    sol->cost = cost;
    sol->stats.objective = (double)cost;
    sol->stats.optimal = ms.stats.optimal && status == PJ_ASSIGN_OK;
    sol->stats.lower_bound = sol->stats.optimal ? (double)cost : -INFINITY;
    sol->stats.time_limit_hit = ms.stats.time_limit_hit;
    sol->stats.clock_limited = ms.stats.clock_limited;
    pj_mcf_sol_free(&ms);
    free(arcs);
    free(supply);
    sol->status = status;
    sol->stats.time_s = pj_algo_now() - t0;
    pj_algo_stats_finish(&sol->stats);
    return status;
}
