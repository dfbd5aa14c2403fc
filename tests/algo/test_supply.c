/* Tests of src/algo/supply: exact agreement with GLPK's simplex per category (serve-max mode
 * and penalty mode), plan properties (stock, demand = shipped + unmet, route caps and max
 * distance, cost recomputed), unmet demand reported when stock or routes are short, errors. */
#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "algo/supply.h"
#include "t.h"

static int64_t dist_m(const pj_supply *p, int s, int t)
{
    double d = p->dist_km[(size_t)s * p->n_sites + t];
    if (!isfinite(d) || d < 0 || (p->max_dist_km > 0 && d > p->max_dist_km)) return -1;
    return llround(d * 1000);
}

/* GLPK on category c: x[s][t] on usable routes, unmet u[t]. Penalty mode: one LP
 * min cost + P * unmet. Serve-max mode: min unmet, then min cost at that unmet. Returns the
 * objective in metre-units; *unmet gets the total unmet. */
static double glpk_category(const pj_supply *p, int c, double *unmet)
{
    int S = p->n_stores, T = p->n_sites, C = p->n_cats;
    glp_prob *lp = glp_create_prob();
    glp_add_rows(lp, S + T + 1);
    for (int s = 0; s < S; s++)
        glp_set_row_bnds(lp, s + 1, GLP_UP, 0, (double)p->stock[(size_t)s * C + c]);
    for (int t = 0; t < T; t++) {
        double d = (double)p->demand[(size_t)t * C + c];
        glp_set_row_bnds(lp, S + t + 1, GLP_FX, d, d);
    }
    glp_set_row_bnds(lp, S + T + 1, GLP_FR, 0, 0); /* total unmet */
    int maxc = S * T + T + 1;
    glp_add_cols(lp, maxc);
    int *ia = malloc(sizeof(int) * (size_t)(3 * maxc + 1));
    int *ja = malloc(sizeof(int) * (size_t)(3 * maxc + 1));
    double *ar = malloc(sizeof(double) * (size_t)(3 * maxc + 1));
    int k = 0, col = 0;
    double pen = (double)llround(p->unmet_penalty_km * 1000);
    for (int s = 0; s < S; s++)
        for (int t = 0; t < T; t++) {
            int64_t dm = dist_m(p, s, t);
            int64_t cap = p->route_cap ? p->route_cap[(size_t)s * T + t] : -1;
            if (dm < 0 || cap == 0) continue;
            col++;
            if (cap < 0)
                glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
            else
                glp_set_col_bnds(lp, col, GLP_DB, 0, (double)cap);
            glp_set_obj_coef(lp, col, pen > 0 ? (double)dm : 0);
            k++, ia[k] = s + 1, ja[k] = col, ar[k] = 1;
            k++, ia[k] = S + t + 1, ja[k] = col, ar[k] = 1;
        }
    int first_u = col + 1;
    for (int t = 0; t < T; t++) {
        col++;
        glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
        glp_set_obj_coef(lp, col, pen > 0 ? pen : 1);
        k++, ia[k] = S + t + 1, ja[k] = col, ar[k] = 1;
        k++, ia[k] = S + T + 1, ja[k] = col, ar[k] = 1;
    }
    col++;
    glp_set_col_bnds(lp, col, GLP_FX, 0, 0);
    for (int j = col + 1; j <= maxc; j++) glp_set_col_bnds(lp, j, GLP_FX, 0, 0);
    glp_load_matrix(lp, k, ia, ja, ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    glp_set_obj_dir(lp, GLP_MIN);
    CHECK_INT(glp_simplex(lp, &parm), 0);
    CHECK_INT(glp_get_status(lp), GLP_OPT);
    double obj = glp_get_obj_val(lp);
    *unmet = glp_get_row_prim(lp, S + T + 1);
    if (pen == 0) {
        double u = obj;
        *unmet = u;
        glp_set_row_bnds(lp, S + T + 1, GLP_FX, u, u);
        for (int j = first_u; j < first_u + T; j++) glp_set_obj_coef(lp, j, 0);
        int c2 = 0;
        for (int s = 0; s < S; s++)
            for (int t = 0; t < T; t++) {
                int64_t dm = dist_m(p, s, t);
                int64_t cap = p->route_cap ? p->route_cap[(size_t)s * T + t] : -1;
                if (dm < 0 || cap == 0) continue;
                glp_set_obj_coef(lp, ++c2, (double)dm);
            }
        CHECK_INT(glp_simplex(lp, &parm), 0);
        CHECK_INT(glp_get_status(lp), GLP_OPT);
        obj = glp_get_obj_val(lp);
    }
    glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(ar);
    return obj;
}

static void check_plan(const pj_supply *p, const pj_supply_sol *r)
{
    int S = p->n_stores, T = p->n_sites, C = p->n_cats;
    CHECK(r->status == PJ_SUPPLY_OK || r->status == PJ_SUPPLY_SHORT);
    int64_t *shipped_from = calloc((size_t)S * C + 1, sizeof(int64_t));
    int64_t *shipped_to = calloc((size_t)T * C + 1, sizeof(int64_t));
    int64_t cost = 0, total = 0;
    for (int k = 0; k < r->n_flows; k++) {
        const pj_supply_flow *f = &r->flows[k];
        CHECK(f->store >= 0 && f->store < S && f->site >= 0 && f->site < T);
        CHECK(f->cat >= 0 && f->cat < C && f->qty > 0);
        if (k > 0) { /* ordered by category, store, site; one entry per triple */
            const pj_supply_flow *g = &r->flows[k - 1];
            CHECK(g->cat < f->cat ||
                  (g->cat == f->cat &&
                   (g->store < f->store || (g->store == f->store && g->site < f->site))));
        }
        int64_t dm = dist_m(p, f->store, f->site);
        CHECK(dm >= 0); /* a usable route: finite and within max_dist_km */
        CHECK_NEAR(f->dist_km, dm / 1000.0, 1e-12);
        if (p->route_cap && p->route_cap[(size_t)f->store * T + f->site] >= 0)
            CHECK(f->qty <= p->route_cap[(size_t)f->store * T + f->site]);
        shipped_from[(size_t)f->store * C + f->cat] += f->qty;
        shipped_to[(size_t)f->site * C + f->cat] += f->qty;
        cost += f->qty * dm;
        total += f->qty;
    }
    int64_t unmet = 0, demand = 0;
    for (int s = 0; s < S; s++)
        for (int c = 0; c < C; c++) {
            size_t i = (size_t)s * C + c;
            CHECK(shipped_from[i] <= p->stock[i]);
            CHECK_INT(r->leftover[i], p->stock[i] - shipped_from[i]);
        }
    for (int t = 0; t < T; t++)
        for (int c = 0; c < C; c++) {
            size_t i = (size_t)t * C + c;
            CHECK(r->unmet[i] >= 0);
            CHECK_INT(r->unmet[i] + shipped_to[i], p->demand[i]);
            unmet += r->unmet[i];
            demand += p->demand[i];
        }
    CHECK_INT(r->cost_m, cost);
    CHECK_NEAR(r->cost_km, cost / 1000.0, 1e-9 * (1 + cost));
    CHECK_INT(r->total_shipped, total);
    CHECK_INT(r->total_unmet, unmet);
    CHECK_INT(r->total_demand, demand);
    CHECK_INT(r->status == PJ_SUPPLY_SHORT, unmet > 0);
    double pen = (double)llround(p->unmet_penalty_km * 1000) / 1000.0;
    CHECK_NEAR(r->stats.objective, cost / 1000.0 + pen * (double)unmet, 1e-6);
    CHECK_INT(r->stats.optimal, 1);
    CHECK_NEAR(r->stats.lower_bound, r->stats.objective, 0);
    free(shipped_from);
    free(shipped_to);
}

/* Compares the plan with GLPK category by category (exact, in metre-units). */
static void check_vs_glpk(const pj_supply *p, const pj_supply_sol *r)
{
    int S = p->n_stores, T = p->n_sites, C = p->n_cats;
    for (int c = 0; c < C; c++) {
        double lp_unmet, lp = glpk_category(p, c, &lp_unmet);
        int64_t cost = 0, unmet = 0, pen = llround(p->unmet_penalty_km * 1000);
        for (int k = 0; k < r->n_flows; k++)
            if (r->flows[k].cat == c)
                cost += r->flows[k].qty * dist_m(p, r->flows[k].store, r->flows[k].site);
        for (int t = 0; t < T; t++) unmet += r->unmet[(size_t)t * C + c];
        if (pen == 0) {
            CHECK_INT(unmet, llround(lp_unmet));
            CHECK_INT(cost, llround(lp));
        } else {
            CHECK_INT(cost + pen * unmet, llround(lp));
        }
    }
    (void)S;
}

static void random_rounds(int rounds, int maxS, int maxT, int maxC, int penalty, uint64_t seed)
{
    glp_term_out(GLP_OFF);
    uint64_t rng = seed;
    int n_short = 0;
    for (int r = 0; r < rounds; r++) {
        int S = 1 + (int)pj_rng_below(&rng, (uint32_t)maxS);
        int T = 1 + (int)pj_rng_below(&rng, (uint32_t)maxT);
        int C = 1 + (int)pj_rng_below(&rng, (uint32_t)maxC);
        int64_t *stock = malloc(sizeof(int64_t) * (size_t)S * C);
        int64_t *demand = malloc(sizeof(int64_t) * (size_t)T * C);
        double *dist = malloc(sizeof(double) * (size_t)S * T);
        int64_t *rcap = malloc(sizeof(int64_t) * (size_t)S * T);
        for (int k = 0; k < S * C; k++) stock[k] = pj_rng_below(&rng, 12);
        for (int k = 0; k < T * C; k++)
            demand[k] = pj_rng_below(&rng, 100) < 20 ? 0 : pj_rng_below(&rng, 9);
        for (int k = 0; k < S * T; k++) {
            dist[k] = pj_rng_unit(&rng) * 40;
            if (pj_rng_below(&rng, 100) < 10) dist[k] = INFINITY;
            if (pj_rng_below(&rng, 100) < 3) dist[k] = -1;
            rcap[k] = pj_rng_below(&rng, 100) < 60 ? -1 : (int64_t)pj_rng_below(&rng, 6);
        }
        pj_supply p = {S,
                       T,
                       C,
                       stock,
                       demand,
                       dist,
                       r % 3 ? rcap : NULL,
                       r % 4 == 0 ? 25.0 : 0.0,
                       penalty ? 5 + pj_rng_unit(&rng) * 30 : 0};
        pj_supply_sol sol;
        int st = pj_supply_solve(&p, NULL, &sol);
        CHECK(st == PJ_SUPPLY_OK || st == PJ_SUPPLY_SHORT);
        if (st == PJ_SUPPLY_SHORT) n_short++;
        check_plan(&p, &sol);
        check_vs_glpk(&p, &sol);
        pj_supply_sol_free(&sol);
        free(stock);
        free(demand);
        free(dist);
        free(rcap);
    }
    CHECK(n_short > rounds / 10);
}

TEST(supply_glpk_small_serve_max)
{
    random_rounds(1500, 4, 6, 3, 0, 41);
}

TEST(supply_glpk_small_penalty)
{
    random_rounds(1500, 4, 6, 3, 1, 42);
}

TEST(supply_glpk_medium)
{
    random_rounds(4, 20, 120, 2, 0, 43);
    random_rounds(2, 20, 120, 2, 1, 44);
}

TEST(supply_short_stock_reports_unmet)
{
    /* One store with 5 units; site 0 at 1 km wants 4, site 1 at 3 km wants 3. */
    int64_t stock[] = {5}, demand[] = {4, 3};
    double dist[] = {1.0, 3.0};
    pj_supply p = {1, 2, 1, stock, demand, dist, NULL, 0, 0};
    pj_supply_sol r;
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_SHORT);
    CHECK_INT(r.total_shipped, 5);
    CHECK_INT(r.unmet[0], 0);
    CHECK_INT(r.unmet[1], 2);
    CHECK_INT(r.leftover[0], 0);
    CHECK_INT(r.cost_m, 4 * 1000 + 1 * 3000);
    CHECK_NEAR(r.cost_km, 7.0, 1e-12);
    check_plan(&p, &r);
    pj_supply_sol_free(&r);
    pj_supply_sol_free(&r);

    /* With a 2 km penalty, shipping to site 1 (3 km) is not worth it. */
    p.unmet_penalty_km = 2.0;
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_SHORT);
    CHECK_INT(r.unmet[1], 3);
    CHECK_INT(r.leftover[0], 1);
    CHECK_NEAR(r.stats.objective, 4.0 + 2.0 * 3, 1e-12);
    pj_supply_sol_free(&r);

    /* Beyond max distance, or no route at all: unmet, not a failure. */
    p.unmet_penalty_km = 0;
    p.max_dist_km = 2.0;
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_SHORT);
    CHECK_INT(r.unmet[1], 3);
    CHECK_INT(r.n_flows, 1);
    pj_supply_sol_free(&r);
    double none[] = {INFINITY, INFINITY};
    pj_supply q = {1, 2, 1, stock, demand, none, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&q, NULL, &r), PJ_SUPPLY_SHORT);
    CHECK_INT(r.total_unmet, 7);
    CHECK_INT(r.n_flows, 0);
    CHECK_INT(r.stats.optimal, 1);
    pj_supply_sol_free(&r);
}

TEST(supply_multi_category_and_reroute)
{
    /* Two stores, two sites, two categories. Category 0: the near store of site 1 is store 0,
     * but store 0 must serve site 0 (only route) so site 1 is rerouted to store 1.
     * Category 1 has plenty: everyone from the nearest store. */
    int64_t stock[] = {3, 10, /* store 0: cat0, cat1 */ 5, 10};
    int64_t demand[] = {3, 1, /* site 0 */ 2, 2};
    double dist[] = {5.0, 1.0, /* store 0 -> sites */ INFINITY, 4.0};
    pj_supply p = {2, 2, 2, stock, demand, dist, NULL, 0, 0};
    pj_supply_sol r;
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_OK);
    check_plan(&p, &r);
    /* cat0: s0->t0 3 (15 km), s1->t1 2 (8 km); cat1: s0->t0 1 (5), s0->t1 2 (2). */
    CHECK_INT(r.cost_m, 15000 + 8000 + 5000 + 2000);
    CHECK_INT(r.n_flows, 4);
    CHECK_INT(r.flows[0].cat, 0);
    CHECK_INT(r.flows[3].cat, 1);
    pj_supply_sol_free(&r);

    /* Route caps: store 1 -> site 1 may carry only 1 per category: 1 unit of cat0 unmet. */
    int64_t rcap[] = {-1, -1, -1, 1};
    p.route_cap = rcap;
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_SHORT);
    check_plan(&p, &r);
    CHECK_INT(r.unmet[0], 1); /* cheaper to leave site 0 short (5 km) than site 1 */
    pj_supply_sol_free(&r);
}

TEST(supply_invalid)
{
    int64_t stock[] = {5}, demand[] = {4}, neg[] = {-1};
    double dist[] = {1.0}, nan_d[] = {NAN}, huge[] = {3e6};
    pj_supply_sol r;
    pj_supply p = {1, 1, 1, neg, demand, dist, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    CHECK(r.unmet == NULL);
    p = (pj_supply){1, 1, 1, stock, neg, dist, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    p = (pj_supply){1, 1, 1, stock, demand, nan_d, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    p = (pj_supply){1, 1, 1, stock, demand, huge, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    p = (pj_supply){1, 1, 1, stock, demand, dist, NULL, -1, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    p = (pj_supply){1, 1, 1, stock, demand, dist, NULL, 0, NAN};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    p = (pj_supply){-1, 1, 1, stock, demand, dist, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    p = (pj_supply){1, 1, 1, NULL, demand, dist, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_EINVAL);
    CHECK_INT(pj_supply_solve(NULL, NULL, &r), PJ_SUPPLY_EINVAL);
    /* Empty problems are fine. */
    p = (pj_supply){0, 0, 0, NULL, NULL, NULL, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_OK);
    CHECK_INT(r.n_flows, 0);
    pj_supply_sol_free(&r);
    p = (pj_supply){0, 1, 1, NULL, demand, NULL, NULL, 0, 0};
    CHECK_INT(pj_supply_solve(&p, NULL, &r), PJ_SUPPLY_SHORT);
    CHECK_INT(r.total_unmet, 4);
    pj_supply_sol_free(&r);
}

TEST(supply_time_limit_plan_consistent)
{
    int S = 40, T = 400, C = 2;
    int64_t *stock = malloc(sizeof(int64_t) * (size_t)S * C);
    int64_t *demand = malloc(sizeof(int64_t) * (size_t)T * C);
    double *dist = malloc(sizeof(double) * (size_t)S * T);
    uint64_t rng = 7;
    for (int k = 0; k < S * C; k++) stock[k] = 30;
    for (int k = 0; k < T * C; k++) demand[k] = 1 + pj_rng_below(&rng, 5);
    for (int k = 0; k < S * T; k++) dist[k] = pj_rng_unit(&rng) * 30;
    pj_supply p = {S, T, C, stock, demand, dist, NULL, 0, 0};
    pj_algo_opts o = {.time_limit_s = 1e-9};
    pj_supply_sol r;
    CHECK_INT(pj_supply_solve(&p, &o, &r), PJ_SUPPLY_TIME_LIMIT);
    CHECK_INT(r.stats.time_limit_hit, 1);
    CHECK_INT(r.stats.optimal, 0);
    /* Still consistent: shipped + unmet = demand everywhere. */
    int64_t shipped = 0;
    for (int k = 0; k < r.n_flows; k++) shipped += r.flows[k].qty;
    CHECK_INT(shipped, r.total_shipped);
    CHECK_INT(r.total_shipped + r.total_unmet, r.total_demand);
    pj_supply_sol_free(&r);
    free(stock);
    free(demand);
    free(dist);
}
