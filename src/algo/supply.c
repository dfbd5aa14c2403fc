/* Supply flows: one min-cost flow per category (see supply.h). */
#include "algo/supply.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "algo/mcf.h"
#include "core/banned.h"

#define MAX_DIST_KM 2e6

void pj_supply_sol_free(pj_supply_sol *sol)
{
    if (!sol) return;
    free(sol->flows);
    free(sol->unmet);
    free(sol->leftover);
    sol->flows = NULL;
    sol->unmet = sol->leftover = NULL;
}

/* Distance in metres, or -1 when there is no usable route. */
static int64_t route_m(const pj_supply *p, int s, int t)
{
    double d = p->dist_km[(size_t)s * p->n_sites + t];
    if (!isfinite(d) || d < 0) return -1;
    if (p->max_dist_km > 0 && d > p->max_dist_km) return -1;
    return llround(d * 1000.0);
}

static int validate(const pj_supply *p)
{
    if (!p || p->n_stores < 0 || p->n_sites < 0 || p->n_cats < 0) return 0;
    if ((int64_t)p->n_stores * p->n_sites > (1 << 27) ||
        (int64_t)p->n_stores + p->n_sites > (1 << 26) ||
        (int64_t)p->n_cats * (p->n_stores + p->n_sites) > (1 << 28))
        return 0;
    if (p->n_cats > 0 && ((p->n_stores > 0 && !p->stock) || (p->n_sites > 0 && !p->demand)))
        return 0;
    if (p->n_stores > 0 && p->n_sites > 0 && !p->dist_km) return 0;
    if (isnan(p->max_dist_km) || p->max_dist_km < 0) return 0;
    if (!(p->unmet_penalty_km >= 0 && p->unmet_penalty_km <= MAX_DIST_KM)) return 0;
    int64_t total = 0;
    for (size_t k = 0; k < (size_t)p->n_stores * (size_t)p->n_cats; k++) {
        if (p->stock[k] < 0 || p->stock[k] > PJ_MCF_QTY_MAX) return 0;
        total += p->stock[k];
        if (total > ((int64_t)1 << 60)) return 0;
    }
    total = 0;
    for (size_t k = 0; k < (size_t)p->n_sites * (size_t)p->n_cats; k++) {
        if (p->demand[k] < 0 || p->demand[k] > PJ_MCF_QTY_MAX) return 0;
        total += p->demand[k];
        if (total > ((int64_t)1 << 60)) return 0;
    }
    for (size_t k = 0; k < (size_t)p->n_stores * (size_t)p->n_sites; k++) {
        double d = p->dist_km[k];
        if (isnan(d) || (isfinite(d) && d > MAX_DIST_KM)) return 0;
        if (p->route_cap && p->route_cap[k] > PJ_MCF_QTY_MAX) return 0;
    }
    return 1;
}

int pj_supply_solve(const pj_supply *p, const pj_algo_opts *opts, pj_supply_sol *sol)
{
    double t0 = pj_algo_now();
    memset(sol, 0, sizeof *sol);
    sol->status = PJ_SUPPLY_EINVAL;
    if (!validate(p)) return sol->status;
    int S = p->n_stores, T = p->n_sites, C = p->n_cats;
    int64_t pen_m = llround(p->unmet_penalty_km * 1000.0);

    size_t max_arcs = (size_t)S * (size_t)T + (size_t)T;
    pj_mcf_arc *arcs = malloc(sizeof(pj_mcf_arc) * (max_arcs ? max_arcs : 1));
    int *arc_st = malloc(sizeof(int) * 2 * (max_arcs ? max_arcs : 1)); /* store, site per arc */
    int64_t *supply = calloc((size_t)S + (size_t)T + 1, sizeof(int64_t));
    int *store_node = malloc(sizeof(int) * (size_t)(S ? S : 1));
    int *site_node = malloc(sizeof(int) * (size_t)(T ? T : 1));
    sol->unmet = malloc(sizeof(int64_t) * ((size_t)T * (size_t)C + 1));
    sol->leftover = malloc(sizeof(int64_t) * ((size_t)S * (size_t)C + 1));
    size_t flow_cap = 64;
    sol->flows = malloc(sizeof(pj_supply_flow) * flow_cap);
    int status = PJ_SUPPLY_OK, certified = 1;
    if (!arcs || !arc_st || !supply || !store_node || !site_node || !sol->unmet || !sol->leftover ||
        !sol->flows) {
        status = PJ_SUPPLY_ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < (size_t)T * (size_t)C; k++) {
        sol->unmet[k] = p->demand[k];
        sol->total_demand += p->demand[k]; /* <= 2^60, checked by validate */
    }
    for (size_t k = 0; k < (size_t)S * (size_t)C; k++) sol->leftover[k] = p->stock[k];
    double tlim = opts && opts->time_limit_s > 0 ? opts->time_limit_s : 0;

    for (int c = 0; c < C; c++) {
        /* Nodes: 0 = penalty supply (used only with a penalty), then stores with stock
         * (supply = stock), then sites with demand (supply = -demand). Supplies and demands
         * need not balance: the MCF then returns a maximum flow of minimum cost. */
        int nn = 1, na = 0;
        int64_t dem = 0;
        for (int s = 0; s < S; s++) {
            int64_t st = p->stock[(size_t)s * C + c];
            store_node[s] = st > 0 ? nn : -1;
            if (st > 0) supply[nn++] = st;
        }
        for (int t = 0; t < T; t++) {
            int64_t d = p->demand[(size_t)t * C + c];
            site_node[t] = d > 0 ? nn : -1;
            if (d > 0) {
                dem += d;
                supply[nn++] = -d;
                if (pen_m > 0) {
                    arc_st[2 * na] = arc_st[2 * na + 1] = -1;
                    arcs[na++] = (pj_mcf_arc){0, site_node[t], d, pen_m};
                }
            }
        }
        supply[0] = pen_m > 0 ? dem : 0;
        if (dem == 0) continue;
        for (int s = 0; s < S; s++) {
            if (store_node[s] < 0) continue;
            for (int t = 0; t < T; t++) {
                if (site_node[t] < 0) continue;
                int64_t cap = p->route_cap ? p->route_cap[(size_t)s * T + t] : -1;
                if (cap == 0) continue;
                int64_t dm = route_m(p, s, t);
                if (dm < 0) continue;
                arc_st[2 * na] = s;
                arc_st[2 * na + 1] = t;
                arcs[na++] =
                    (pj_mcf_arc){store_node[s], site_node[t], cap < 0 ? PJ_MCF_UNBOUNDED : cap, dm};
            }
        }
        pj_algo_opts o = {0};
        if (opts) o = *opts;
        if (tlim > 0) {
            double left = tlim - (pj_algo_now() - t0);
            o.time_limit_s = left > 1e-6 ? left : 1e-6;
        }
        pj_mcf net = {nn, supply, na, arcs};
        pj_mcf_sol ms;
        int st = pj_mcf_solve(&net, &o, &ms);
        if (st < 0) {
            status = st == PJ_MCF_ENOMEM ? PJ_SUPPLY_ENOMEM : PJ_SUPPLY_EINVAL;
            goto out;
        }
        if (st == PJ_MCF_TIME_LIMIT) status = PJ_SUPPLY_TIME_LIMIT;
        if (!ms.stats.optimal) certified = 0;
        for (int k = 0; k < na; k++) {
            int64_t f = ms.flow[k];
            if (f <= 0 || arc_st[2 * k] < 0) continue;
            int s = arc_st[2 * k], t = arc_st[2 * k + 1];
            if ((size_t)sol->n_flows == flow_cap) {
                flow_cap *= 2;
                pj_supply_flow *nf = realloc(sol->flows, sizeof(pj_supply_flow) * flow_cap);
                if (!nf) {
                    pj_mcf_sol_free(&ms);
                    status = PJ_SUPPLY_ENOMEM;
                    goto out;
                }
                sol->flows = nf;
            }
            sol->flows[sol->n_flows++] =
                (pj_supply_flow){s, t, c, f, (double)arcs[k].cost / 1000.0};
            sol->unmet[(size_t)t * C + c] -= f;
            sol->leftover[(size_t)s * C + c] -= f;
            sol->total_shipped += f;
            if (__builtin_add_overflow(sol->cost_m, f * arcs[k].cost, &sol->cost_m)) {
                pj_mcf_sol_free(&ms); /* f * cost itself was checked by the MCF */
                status = PJ_SUPPLY_EINVAL;
                goto out;
            }
        }
        pj_mcf_sol_free(&ms);
        if (status == PJ_SUPPLY_TIME_LIMIT) break;
        if (opts && opts->progress) opts->progress(opts->progress_ud, (double)(c + 1) / C);
    }
    sol->total_unmet = sol->total_demand - sol->total_shipped;
    if (status == PJ_SUPPLY_OK && sol->total_unmet > 0) status = PJ_SUPPLY_SHORT;
    sol->cost_km = (double)sol->cost_m / 1000.0;
    sol->stats.objective = sol->cost_km + (double)pen_m / 1000.0 * (double)sol->total_unmet;
    sol->stats.optimal = certified && status != PJ_SUPPLY_TIME_LIMIT;
    sol->stats.lower_bound = sol->stats.optimal ? sol->stats.objective : -INFINITY;
    sol->stats.time_limit_hit = sol->stats.clock_limited = status == PJ_SUPPLY_TIME_LIMIT;
out:
    free(arcs);
    free(arc_st);
    free(supply);
    free(store_node);
    free(site_node);
    if (status < 0) {
        pj_supply_sol_free(sol);
        memset(sol, 0, sizeof *sol);
    }
    sol->status = status;
    sol->stats.time_s = pj_algo_now() - t0;
    pj_algo_stats_finish(&sol->stats);
    return status;
}
