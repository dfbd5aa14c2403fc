/* Tests of src/algo/mcf: exact agreement with GLPK's simplex on random networks (feasible,
 * infeasible, unbalanced, negative costs, unbounded arcs), property checks (bounds,
 * conservation, cost, reduced-cost certificate), input errors, overflow, time limit. */
#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "algo/mcf.h"
#include "t.h"

/* Two-stage LP with GLPK: maximise the flow from supply to demand nodes (through super arcs
 * of capacity |b|), then minimise the cost at that flow. Returns the max flow; *cost gets the
 * min cost at that flow. */
static int64_t glpk_mcmf(const pj_mcf *p, double *cost)
{
    int n = p->n_nodes, m = p->n_arcs;
    glp_prob *lp = glp_create_prob();
    glp_add_rows(lp, n + 1); /* n conservation rows + flow-value row */
    int ns = 0;
    for (int v = 0; v < n; v++)
        if (p->supply && p->supply[v] != 0) ns++;
    int nc = m + ns;
    glp_add_cols(lp, nc + 1); /* the last column, fixed at 0, keeps GLPK happy when m = 0 */
    glp_set_col_bnds(lp, nc + 1, GLP_FX, 0, 0);
    int cap = 2 * m + 2 * ns + 1;
    int *ia = malloc(sizeof(int) * (size_t)(cap + 1)),
        *ja = malloc(sizeof(int) * (size_t)(cap + 1));
    double *ar = malloc(sizeof(double) * (size_t)(cap + 1));
    int k = 0;
    for (int v = 0; v < n; v++) glp_set_row_bnds(lp, v + 1, GLP_FX, 0, 0);
    for (int a = 0; a < m; a++) {
        const pj_mcf_arc *e = &p->arcs[a];
        if (e->cap == PJ_MCF_UNBOUNDED)
            glp_set_col_bnds(lp, a + 1, GLP_LO, 0, 0);
        else if (e->cap == 0)
            glp_set_col_bnds(lp, a + 1, GLP_FX, 0, 0);
        else
            glp_set_col_bnds(lp, a + 1, GLP_DB, 0, (double)e->cap);
        if (e->from != e->to) {
            k++, ia[k] = e->from + 1, ja[k] = a + 1, ar[k] = 1;
            k++, ia[k] = e->to + 1, ja[k] = a + 1, ar[k] = -1;
        }
    }
    /* Super arcs: into a supply node (b > 0), out of a demand node (b < 0). */
    int col = m;
    for (int v = 0; v < n; v++) {
        int64_t b = p->supply ? p->supply[v] : 0;
        if (b == 0) continue;
        col++;
        glp_set_col_bnds(lp, col, GLP_DB, 0, (double)(b > 0 ? b : -b));
        k++, ia[k] = v + 1, ja[k] = col, ar[k] = b > 0 ? -1 : 1;
        if (b > 0) k++, ia[k] = n + 1, ja[k] = col, ar[k] = 1;
    }
    glp_set_row_bnds(lp, n + 1, GLP_FR, 0, 0);
    glp_load_matrix(lp, k, ia, ja, ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    /* Stage 1: max flow value. */
    glp_set_obj_dir(lp, GLP_MAX);
    for (int v = 0, c = m; v < n; v++) {
        int64_t b = p->supply ? p->supply[v] : 0;
        if (b == 0) continue;
        c++;
        glp_set_obj_coef(lp, c, b > 0 ? 1 : 0);
    }
    CHECK_INT(glp_simplex(lp, &parm), 0);
    CHECK_INT(glp_get_status(lp), GLP_OPT);
    double fmax = glp_get_obj_val(lp);
    /* Stage 2: min cost at that value. */
    glp_set_row_bnds(lp, n + 1, GLP_FX, fmax, fmax);
    glp_set_obj_dir(lp, GLP_MIN);
    for (int c = m + 1; c <= nc; c++) glp_set_obj_coef(lp, c, 0);
    for (int a = 0; a < m; a++) glp_set_obj_coef(lp, a + 1, (double)p->arcs[a].cost);
    CHECK_INT(glp_simplex(lp, &parm), 0);
    CHECK_INT(glp_get_status(lp), GLP_OPT);
    *cost = glp_get_obj_val(lp);
    glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(ar);
    return llround(fmax);
}

/* Bounds, conservation (through excess), cost, and the reduced-cost certificate. */
static void check_props(const pj_mcf *p, const pj_mcf_sol *s)
{
    int n = p->n_nodes;
    int64_t *ex = calloc((size_t)n + 1, sizeof(int64_t));
    for (int v = 0; v < n; v++) ex[v] = p->supply ? p->supply[v] : 0;
    int64_t cost = 0;
    for (int a = 0; a < p->n_arcs; a++) {
        const pj_mcf_arc *e = &p->arcs[a];
        int64_t f = s->flow[a];
        CHECK(f >= 0);
        if (e->cap != PJ_MCF_UNBOUNDED) CHECK(f <= e->cap);
        ex[e->from] -= f;
        ex[e->to] += f;
        cost += f * e->cost;
        int64_t rc = e->cost + s->potential[e->from] - s->potential[e->to];
        if (e->cap == PJ_MCF_UNBOUNDED || f < e->cap) CHECK(rc >= 0);
        if (f > 0) CHECK(rc <= 0);
    }
    CHECK_INT(cost, s->cost);
    int all_zero = 1;
    for (int v = 0; v < n; v++) {
        CHECK_INT(ex[v], s->excess[v]);
        if (ex[v]) all_zero = 0;
    }
    CHECK_INT(s->status == PJ_MCF_OK, all_zero);
    CHECK_INT(s->stats.optimal, 1);
    CHECK_NEAR(s->stats.lower_bound, (double)s->cost, 0);
    free(ex);
}

static void random_network(uint64_t *rng, int n, int m, int balanced, int negative, int64_t *supply,
                           pj_mcf_arc *arcs)
{
    for (int v = 0; v < n; v++) supply[v] = 0;
    int moves = 1 + (int)pj_rng_below(rng, 4);
    for (int t = 0; t < moves; t++) {
        int a = (int)pj_rng_below(rng, (uint32_t)n), b = (int)pj_rng_below(rng, (uint32_t)n);
        int64_t q = 1 + pj_rng_below(rng, 6);
        supply[a] += q;
        supply[b] -= q;
    }
    if (!balanced) supply[pj_rng_below(rng, (uint32_t)n)] += (int64_t)pj_rng_below(rng, 7) - 3;
    for (int k = 0; k < m; k++) {
        pj_mcf_arc *e = &arcs[k];
        e->from = (int)pj_rng_below(rng, (uint32_t)n);
        e->to = (int)pj_rng_below(rng, (uint32_t)n);
        if (pj_rng_below(rng, 100) < 5) e->to = e->from; /* self-loop */
        e->cap = pj_rng_below(rng, 100) < 20 ? PJ_MCF_UNBOUNDED : (int64_t)pj_rng_below(rng, 7);
        e->cost = (int64_t)pj_rng_below(rng, 13);
        if (negative && e->cap != PJ_MCF_UNBOUNDED && pj_rng_below(rng, 100) < 25)
            e->cost = -(int64_t)pj_rng_below(rng, 5);
    }
}

static void glpk_rounds(int rounds, int maxn, int maxm, int negative, uint64_t seed)
{
    glp_term_out(GLP_OFF);
    uint64_t rng = seed;
    int64_t supply[64];
    pj_mcf_arc arcs[256];
    int n_ok = 0, n_inf = 0;
    for (int r = 0; r < rounds; r++) {
        int n = 2 + (int)pj_rng_below(&rng, (uint32_t)maxn - 1);
        int m = (int)pj_rng_below(&rng, (uint32_t)maxm + 1);
        int balanced = pj_rng_below(&rng, 100) < 75;
        random_network(&rng, n, m, balanced, negative, supply, arcs);
        pj_mcf p = {n, supply, m, arcs};
        pj_mcf_sol s;
        int st = pj_mcf_solve(&p, NULL, &s);
        CHECK(st == PJ_MCF_OK || st == PJ_MCF_INFEASIBLE);
        check_props(&p, &s);
        double lpcost;
        int64_t pos = 0, neg = 0;
        for (int v = 0; v < n; v++) {
            if (supply[v] > 0) pos += supply[v];
            if (supply[v] < 0) neg -= supply[v];
        }
        int64_t fmax = glpk_mcmf(&p, &lpcost);
        int feasible = pos == neg && fmax == pos;
        CHECK_INT(st == PJ_MCF_OK, feasible);
        if (feasible)
            n_ok++;
        else
            n_inf++;
        /* Exact cost: always when feasible; for max flows only without negative costs. */
        if (feasible || !negative) {
            CHECK_INT(s.cost, llround(lpcost));
            if (!negative) CHECK_INT(s.routed, fmax);
        }
        pj_mcf_sol_free(&s);
    }
    CHECK(n_ok > rounds / 10 && n_inf > rounds / 10); /* both kinds were exercised */
}

TEST(mcf_glpk_small_nonneg)
{
    glpk_rounds(3000, 7, 16, 0, 31);
}

TEST(mcf_glpk_small_negative_costs)
{
    glpk_rounds(3000, 7, 16, 1, 32);
}

TEST(mcf_glpk_medium)
{
    glpk_rounds(100, 60, 250, 0, 33);
    glpk_rounds(100, 60, 250, 1, 34);
}

TEST(mcf_known_small)
{
    /* 0 -> {1,2} -> 3; 4 units; 0->1->3 costs 1+1 (cap 3), 0->2->3 costs 2+2. */
    int64_t b[4] = {4, 0, 0, -4};
    pj_mcf_arc a[] = {{0, 1, 3, 1}, {0, 2, PJ_MCF_UNBOUNDED, 2}, {1, 3, 5, 1}, {2, 3, 9, 2}};
    pj_mcf p = {4, b, 4, a};
    pj_mcf_sol s;
    CHECK_INT(pj_mcf_solve(&p, NULL, &s), PJ_MCF_OK);
    CHECK_INT(s.cost, 3 * 2 + 1 * 4);
    CHECK_INT(s.flow[0], 3);
    CHECK_INT(s.flow[1], 1);
    CHECK_INT(s.routed, 4);
    check_props(&p, &s);
    pj_mcf_sol_free(&s);
    pj_mcf_sol_free(&s);

    /* No supplies: an empty flow, unless a negative arc pays (then it is saturated). */
    pj_mcf_arc cyc[] = {{0, 1, 2, -3}, {1, 0, 5, 1}, {1, 0, 1, 5}};
    pj_mcf pc = {2, NULL, 3, cyc};
    CHECK_INT(pj_mcf_solve(&pc, NULL, &s), PJ_MCF_OK);
    CHECK_INT(s.cost, 2 * -3 + 2 * 1); /* the cycle 0->1->0 costs -2 per unit, twice */
    check_props(&pc, &s);
    pj_mcf_sol_free(&s);

    pj_mcf empty = {0, NULL, 0, NULL};
    CHECK_INT(pj_mcf_solve(&empty, NULL, &s), PJ_MCF_OK);
    CHECK_INT(s.cost, 0);
    pj_mcf_sol_free(&s);
}

TEST(mcf_infeasible_reports_excess)
{
    /* Demand node 2 is reachable only through an arc of capacity 1. */
    int64_t b[3] = {5, 0, -5};
    pj_mcf_arc a[] = {{0, 1, 10, 1}, {1, 2, 1, 1}};
    pj_mcf p = {3, b, 2, a};
    pj_mcf_sol s;
    CHECK_INT(pj_mcf_solve(&p, NULL, &s), PJ_MCF_INFEASIBLE);
    CHECK_INT(s.routed, 1);
    CHECK_INT(s.excess[0], 4);
    CHECK_INT(s.excess[2], -4);
    CHECK_INT(s.cost, 2);
    check_props(&p, &s);
    pj_mcf_sol_free(&s);
    /* Unbalanced supplies are infeasible even when everything demanded is delivered. */
    int64_t u[2] = {3, -2};
    pj_mcf_arc ua[] = {{0, 1, PJ_MCF_UNBOUNDED, 7}};
    pj_mcf pu = {2, u, 1, ua};
    CHECK_INT(pj_mcf_solve(&pu, NULL, &s), PJ_MCF_INFEASIBLE);
    CHECK_INT(s.flow[0], 2);
    CHECK_INT(s.excess[0], 1);
    pj_mcf_sol_free(&s);
}

TEST(mcf_invalid_and_overflow)
{
    pj_mcf_sol s;
    int64_t b[2] = {1, -1};
    pj_mcf_arc bad_node[] = {{0, 2, 1, 1}};
    pj_mcf p1 = {2, b, 1, bad_node};
    CHECK_INT(pj_mcf_solve(&p1, NULL, &s), PJ_MCF_EINVAL);
    CHECK(s.flow == NULL);
    pj_mcf_arc neg_unb[] = {{0, 1, PJ_MCF_UNBOUNDED, -1}};
    pj_mcf p2 = {2, b, 1, neg_unb};
    CHECK_INT(pj_mcf_solve(&p2, NULL, &s), PJ_MCF_EINVAL);
    pj_mcf_arc neg_cap[] = {{0, 1, -2, 1}};
    pj_mcf p3 = {2, b, 1, neg_cap};
    CHECK_INT(pj_mcf_solve(&p3, NULL, &s), PJ_MCF_EINVAL);
    pj_mcf_arc big_cost[] = {{0, 1, 1, PJ_MCF_COST_MAX + 1}};
    pj_mcf p4 = {2, b, 1, big_cost};
    CHECK_INT(pj_mcf_solve(&p4, NULL, &s), PJ_MCF_EINVAL);
    int64_t huge[2] = {PJ_MCF_QTY_MAX + 1, -PJ_MCF_QTY_MAX - 1};
    pj_mcf_arc ok[] = {{0, 1, 1, 1}};
    pj_mcf p5 = {2, huge, 1, ok};
    CHECK_INT(pj_mcf_solve(&p5, NULL, &s), PJ_MCF_EINVAL);
    pj_mcf p6 = {-1, NULL, 0, NULL};
    CHECK_INT(pj_mcf_solve(&p6, NULL, &s), PJ_MCF_EINVAL);
    pj_mcf p7 = {2, b, 1, NULL};
    CHECK_INT(pj_mcf_solve(&p7, NULL, &s), PJ_MCF_EINVAL);
    /* 2^40 units at 2^31 per unit: the total does not fit int64. */
    int64_t bb[2] = {PJ_MCF_QTY_MAX, -PJ_MCF_QTY_MAX};
    pj_mcf_arc ov[1] = {{0, 1, PJ_MCF_QTY_MAX, PJ_MCF_COST_MAX}};
    pj_mcf p8 = {2, bb, 1, ov};
    CHECK_INT(pj_mcf_solve(&p8, NULL, &s), PJ_MCF_EOVERFLOW);
    CHECK(s.flow == NULL);
}

TEST(mcf_time_limit)
{
    /* 300 x 300 transportation needs hundreds of augmentations; a 1 ns limit stops it. */
    int n = 300, nn = 2 * n;
    int64_t *b = calloc((size_t)nn, sizeof(int64_t));
    pj_mcf_arc *a = malloc(sizeof(pj_mcf_arc) * (size_t)n * (size_t)n);
    uint64_t rng = 5;
    for (int i = 0; i < n; i++) {
        b[i] = 3;
        b[n + i] = -3;
        for (int j = 0; j < n; j++)
            a[i * n + j] = (pj_mcf_arc){i, n + j, 2, (int64_t)pj_rng_below(&rng, 1000)};
    }
    pj_mcf p = {nn, b, n * n, a};
    pj_algo_opts o = {.time_limit_s = 1e-9};
    pj_mcf_sol s;
    CHECK_INT(pj_mcf_solve(&p, &o, &s), PJ_MCF_TIME_LIMIT);
    CHECK_INT(s.stats.time_limit_hit, 1);
    CHECK_INT(s.stats.optimal, 0);
    CHECK(s.routed < 3 * n);
    pj_mcf_sol_free(&s);
    CHECK_INT(pj_mcf_solve(&p, NULL, &s), PJ_MCF_OK);
    check_props(&p, &s);
    pj_mcf_sol_free(&s);
    free(a);
    free(b);
}
