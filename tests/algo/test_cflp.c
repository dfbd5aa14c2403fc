/* Tests of the CFLP solvers (src/algo/cflp*.c): brute force on tiny instances, properties,
 * infeasibility, the exact transportation solver, public benchmark instances, readers. */
#include "t.h"

#include "algo/cflp.h"
#include "algo/cflp_io.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

/* Random instance with integer data; forbid_pct of the pairs are forbidden (INFINITY). */
static void rand_inst(pj_cflp *p, int m, int n, uint64_t seed, int forbid_pct, double slack)
{
    CHECK(pj_cflp_init(p, m, n) == 0);
    uint64_t st = seed;
    double D = 0;
    for (int j = 0; j < n; j++) D += p->demand[j] = 1 + pj_rng_below(&st, 9);
    for (int i = 0; i < m; i++) {
        p->capacity[i] = ceil(D * slack / m * (0.5 + pj_rng_unit(&st)));
        p->fixed_cost[i] = 5 + pj_rng_below(&st, 40);
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            p->cost[(size_t)i * n + j] = (int)pj_rng_below(&st, 100) < forbid_pct
                                             ? INFINITY
                                             : (double)(1 + pj_rng_below(&st, 30));
}

/* Transportation LP for a fixed open set, solved with GLPK (independent of cflp_tp.c).
 * Returns INFINITY when infeasible. */
static double glpk_transport(const pj_cflp *p, const unsigned char *open)
{
    int m = p->m, n = p->n, nx = 0;
    glp_prob *lp = glp_create_prob();
    glp_add_rows(lp, n + m);
    for (int j = 0; j < n; j++) glp_set_row_bnds(lp, j + 1, GLP_FX, 1, 1);
    for (int i = 0; i < m; i++) glp_set_row_bnds(lp, n + i + 1, GLP_UP, 0, p->capacity[i]);
    int *ia = malloc(sizeof(int) * (size_t)(2 * m * n + 1));
    int *ja = malloc(sizeof(int) * (size_t)(2 * m * n + 1));
    double *ar = malloc(sizeof(double) * (size_t)(2 * m * n + 1));
    int e = 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double c = p->cost[(size_t)i * n + j];
            if (!open[i] || !isfinite(c)) continue;
            int col = glp_add_cols(lp, 1);
            nx++;
            glp_set_col_bnds(lp, col, GLP_DB, 0, 1);
            glp_set_obj_coef(lp, col, c);
            e++, ia[e] = j + 1, ja[e] = col, ar[e] = 1;
            e++, ia[e] = n + i + 1, ja[e] = col, ar[e] = p->demand[j];
        }
    double z = INFINITY;
    if (nx) {
        glp_load_matrix(lp, e, ia, ja, ar);
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_OFF;
        if (glp_simplex(lp, &sp) == 0 && glp_get_status(lp) == GLP_OPT) z = glp_get_obj_val(lp);
    }
    glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(ar);
    return z;
}

/* Brute force multi-source optimum: all open subsets x exact transportation LP. */
static double brute_multi(const pj_cflp *p)
{
    int m = p->m;
    double best = INFINITY;
    unsigned char open[16];
    for (int s = 1; s < (1 << m); s++) {
        double f = 0;
        for (int i = 0; i < m; i++) {
            open[i] = (s >> i) & 1;
            if (open[i]) f += p->fixed_cost[i];
        }
        if (f >= best) continue;
        double t = glpk_transport(p, open);
        if (f + t < best) best = f + t;
    }
    return best;
}

/* Brute force single-source optimum: all m^n assignments (open = used sites). */
static double brute_single(const pj_cflp *p)
{
    int m = p->m, n = p->n;
    int a[16] = {0};
    double best = INFINITY;
    for (;;) {
        double load[16] = {0}, cost = 0;
        int used[16] = {0}, ok = 1;
        for (int j = 0; j < n && ok; j++) {
            double c = p->cost[(size_t)a[j] * n + j];
            if (!isfinite(c)) ok = 0;
            cost += c;
            load[a[j]] += p->demand[j];
            used[a[j]] = 1;
        }
        for (int i = 0; i < m && ok; i++) {
            if (load[i] > p->capacity[i]) ok = 0;
            if (used[i]) cost += p->fixed_cost[i];
        }
        if (ok && cost < best) best = cost;
        int j = 0;
        while (j < n && ++a[j] == m) a[j++] = 0;
        if (j == n) break;
    }
    return best;
}

static void check_result(const pj_cflp *p, const pj_cflp_result *r)
{
    double obj;
    char err[200] = "";
    if (pj_cflp_result_check(r, p, 1e-6, &obj, err, sizeof err) != 0)
        t_fail(__FILE__, __LINE__, "invalid result: %s", err);
    CHECK_NEAR(obj, r->stats.objective, 1e-6 * fmax(1, fabs(obj)));
    CHECK(r->stats.lower_bound <= r->stats.objective + 1e-6 * fmax(1, fabs(obj)));
    CHECK(r->stats.gap >= 0);
    if (r->stats.optimal) CHECK_NEAR(r->stats.gap, 0, 1e-9);
}

TEST(cflp_brute_force_multi)
{
    pj_algo_opts o = {0};
    o.time_limit_s = 5;
    for (int s = 0; s < 25; s++) {
        pj_cflp p;
        rand_inst(&p, 3 + s % 3, 4 + s % 4, 1000 + (uint64_t)s, s % 2 ? 20 : 0, 1.4);
        double want = brute_multi(&p);
        pj_cflp_result r;
        pj_cflp_solve(&p, PJ_CFLP_MULTI, &o, &r);
        if (!isfinite(want)) {
            CHECK_INT(r.status, PJ_CFLP_INFEASIBLE);
        } else {
            CHECK_INT(r.status, PJ_CFLP_OK);
            check_result(&p, &r);
            CHECK_NEAR(r.stats.objective, want, 1e-6 * want);
            CHECK(r.stats.optimal);
        }
        pj_cflp_result_free(&r);
        pj_cflp_free(&p);
    }
}

TEST(cflp_brute_force_single)
{
    pj_algo_opts o = {0};
    o.time_limit_s = 5;
    int feasible = 0;
    for (int s = 0; s < 25; s++) {
        pj_cflp p;
        rand_inst(&p, 2 + s % 3, 4 + s % 4, 2000 + (uint64_t)s, s % 2 ? 20 : 0, 1.3);
        double want = brute_single(&p);
        pj_cflp_result r;
        pj_cflp_solve(&p, PJ_CFLP_SINGLE, &o, &r);
        if (!isfinite(want)) {
            CHECK_INT(r.status, PJ_CFLP_INFEASIBLE);
        } else {
            feasible++;
            CHECK_INT(r.status, PJ_CFLP_OK);
            check_result(&p, &r);
            CHECK_NEAR(r.stats.objective, want, 1e-9);
            CHECK(r.stats.optimal);
            CHECK_INT(r.nflows, p.n);
        }
        pj_cflp_result_free(&r);
        pj_cflp_free(&p);
    }
    CHECK(feasible >= 10);
}

/* The GLPK model with sites fixed open or closed against brute force over the sets that
 * respect the fixing. */
TEST(cflp_mip_fixed_sites)
{
    for (int s = 0; s < 12; s++) {
        pj_cflp p;
        rand_inst(&p, 4, 6, 5000 + (uint64_t)s, 0, 1.6);
        signed char fix[4] = {-1, -1, -1, -1};
        fix[s % 4] = (signed char)(s / 4 % 2);
        /* brute force: the allowed mask closes fixed-closed sites; fixed-open ones are opened
         * by adding them to every subset */
        double want = INFINITY;
        for (int mask = 0; mask < 16; mask++) {
            int ok = 1;
            for (int i = 0; i < 4; i++)
                if (fix[i] >= 0 && ((mask >> i) & 1) != fix[i]) ok = 0;
            if (!ok) continue;
            unsigned char open[4];
            for (int i = 0; i < 4; i++) open[i] = (mask >> i) & 1;
            double z = glpk_transport(&p, open);
            for (int i = 0; i < 4; i++)
                if (open[i]) z += p.fixed_cost[i];
            want = fmin(want, z);
        }
        pj_cflp_result r;
        pj_algo_opts o = {0};
        o.time_limit_s = 5;
        pj_cflp_mip_glpk_fixed(&p, PJ_CFLP_MULTI, &o, fix, NULL, &r);
        if (!isfinite(want)) {
            CHECK_INT(r.status, PJ_CFLP_INFEASIBLE);
        } else {
            CHECK_INT(r.status, PJ_CFLP_OK);
            check_result(&p, &r);
            CHECK_NEAR(r.stats.objective, want, 1e-6 * want);
            for (int i = 0; i < 4; i++)
                if (fix[i] >= 0) CHECK_INT(r.open[i], fix[i]);
        }
        pj_cflp_result_free(&r);
        pj_cflp_free(&p);
    }
}

/* The transportation solver against GLPK's simplex on random open sets. */
TEST(cflp_transport_matches_lp)
{
    for (int s = 0; s < 20; s++) {
        pj_cflp p;
        rand_inst(&p, 6, 15 + s, 3000 + (uint64_t)s, s % 3 ? 15 : 0, 1.2);
        pj_cflp_tp *tp = pj_cflp_tp_new(&p);
        CHECK(tp != NULL);
        uint64_t st = (uint64_t)s;
        for (int rep = 0; rep < 5; rep++) {
            unsigned char open[6];
            for (int i = 0; i < 6; i++) open[i] = pj_rng_below(&st, 3) != 0;
            double want = glpk_transport(&p, open), got = NAN;
            int rc = pj_cflp_tp_solve(tp, open, &got);
            if (!isfinite(want)) {
                CHECK_INT(rc, 1);
                continue;
            }
            CHECK_INT(rc, 0);
            CHECK_NEAR(got, want, 1e-6 * fmax(1, want));
            /* the capacity prices explain the flow: every unit is on a site minimising unit
             * cost + price; a site with spare capacity has price 0 */
            double w[6], load[6] = {0};
            pj_cflp_tp_prices(tp, open, w);
            const double *fq = pj_cflp_tp_fractions(tp);
            for (int j = 0; j < p.n; j++) {
                double best = INFINITY;
                for (int i = 0; i < 6; i++)
                    if (open[i] && isfinite(p.cost[i * p.n + j]))
                        best = fmin(best, p.cost[i * p.n + j] / p.demand[j] + w[i]);
                for (int i = 0; i < 6; i++) {
                    load[i] += fq[i * p.n + j] * p.demand[j];
                    if (fq[i * p.n + j] > 1e-9)
                        CHECK_NEAR(p.cost[i * p.n + j] / p.demand[j] + w[i], best,
                                   1e-7 * fmax(1, best));
                }
            }
            for (int i = 0; i < 6; i++) {
                CHECK(w[i] >= -1e-9);
                if (open[i] && load[i] < p.capacity[i] - 1e-6) CHECK_NEAR(w[i], 0, 1e-9);
            }
            const double *fr = pj_cflp_tp_fractions(tp);
            for (int j = 0; j < p.n; j++) {
                double tot = 0;
                for (int i = 0; i < 6; i++) {
                    CHECK(fr[i * p.n + j] >= 0);
                    if (!open[i]) CHECK(fr[i * p.n + j] == 0);
                    tot += fr[i * p.n + j];
                }
                CHECK_NEAR(tot, 1, 1e-9);
            }
        }
        pj_cflp_tp_free(tp);
        pj_cflp_free(&p);
    }
}

/* The transportation with a cutoff gives up (2) only when the optimal service cost is at or
 * above the cutoff, and otherwise returns the same optimum; interleaved with full solves. */
TEST(cflp_transport_cutoff_is_safe)
{
    int stopped = 0, solved = 0;
    for (int s = 0; s < 20; s++) {
        pj_cflp p;
        rand_inst(&p, 8, 20 + s, 5000 + (uint64_t)s, s % 2 ? 20 : 0, 1.1);
        pj_cflp_tp *tp = pj_cflp_tp_new(&p);
        CHECK(tp != NULL);
        uint64_t st = (uint64_t)s + 77;
        for (int rep = 0; rep < 10; rep++) {
            unsigned char open[8];
            for (int i = 0; i < 8; i++) open[i] = pj_rng_below(&st, 4) != 0;
            double want = glpk_transport(&p, open), got = NAN;
            static const double at[] = {0.5, 0.9, 0.99, 0.999, 1.001, 1.1};
            double cut = isfinite(want) ? want * at[pj_rng_below(&st, 6)] : 1e9;
            int rc = pj_cflp_tp_solve_below(tp, open, cut, &got);
            if (!isfinite(want)) {
                CHECK(rc != 0);
                continue;
            }
            if (rc == 2) {
                stopped++;
                CHECK(want >= cut - 1e-6 * fmax(1, want));
            } else {
                solved++;
                CHECK_INT(rc, 0);
                CHECK_NEAR(got, want, 1e-6 * fmax(1, want));
            }
            /* a full solve after a stopped one is exact again */
            CHECK_INT(pj_cflp_tp_solve(tp, open, &got), 0);
            CHECK_NEAR(got, want, 1e-6 * fmax(1, want));
        }
        pj_cflp_tp_free(tp);
        pj_cflp_free(&p);
    }
    CHECK(stopped > 0);
    CHECK(solved > 0);
}

/* Medium random instances (single-source: too big for the exact path, m * n > 1500):
 * validity, bound, determinism. */
TEST(cflp_properties_and_determinism)
{
    for (int kind = 0; kind < 2; kind++)
        for (int s = 0; s < 3; s++) {
            pj_cflp p;
            rand_inst(&p, 25, kind ? 80 : 120, 4000 + (uint64_t)s, 10, 1.6);
            p.allowed = calloc(25, 1);
            for (int i = 0; i < 25; i++) p.allowed[i] = i % 7 != 3;
            pj_algo_opts o = {0};
            o.time_limit_s = 20;
            o.seed = 7;
            pj_cflp_result r1, r2;
            pj_cflp_solve(&p, (pj_cflp_kind)kind, &o, &r1);
            pj_cflp_solve(&p, (pj_cflp_kind)kind, &o, &r2);
            CHECK_INT(r1.status, PJ_CFLP_OK);
            check_result(&p, &r1);
            for (int i = 0; i < 25; i++)
                if (i % 7 == 3) CHECK(!r1.open[i]);
            CHECK(!r1.stats.time_limit_hit);
            CHECK(r1.stats.time_s >= 0);
            CHECK(r1.stats.gap < 0.1);
            CHECK(r1.stats.objective == r2.stats.objective);
            CHECK(r1.nflows == r2.nflows);
            for (int j = 0; j < p.n; j++) CHECK_INT(r1.assign[j], r2.assign[j]);
            pj_cflp_result_free(&r1);
            pj_cflp_result_free(&r2);
            pj_cflp_free(&p);
        }
}

/* Sites and customers at random points of a 20 × 20 square: demand 5..4+dmax, capacities
 * around total demand / capdiv, fixed cost ~ capacity, pairs farther than 9 forbidden, and the
 * sites i with i % skip_mod == skip_rem not allowed. */
static void geo_inst(pj_cflp *p, int m, int n, uint64_t seed, int dmax, double capdiv, int skip_mod,
                     int skip_rem)
{
    CHECK(pj_cflp_init(p, m, n) == 0);
    uint64_t st = seed;
    double *x = malloc(sizeof(double) * (size_t)(m + n)),
           *y = malloc(sizeof(double) * (size_t)(m + n));
    double D = 0;
    for (int j = 0; j < n; j++) D += p->demand[j] = 5 + pj_rng_below(&st, (uint32_t)dmax);
    for (int k = 0; k < m + n; k++) x[k] = 20 * pj_rng_unit(&st), y[k] = 20 * pj_rng_unit(&st);
    for (int i = 0; i < m; i++) {
        p->capacity[i] = floor(D / capdiv * (0.5 + pj_rng_unit(&st)));
        p->fixed_cost[i] = floor(p->capacity[i] * (8 + 8 * pj_rng_unit(&st)));
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double d = hypot(x[i] - x[m + j], y[i] - y[m + j]);
            p->cost[(size_t)i * n + j] = d > 9 ? INFINITY : floor(p->demand[j] * d * 10);
        }
    p->allowed = calloc((size_t)m, 1);
    for (int i = 0; i < m; i++) p->allowed[i] = i % skip_mod != skip_rem;
    free(x);
    free(y);
}

/* A large multi-source instance (m * n > 1e5: relaxation over the pairs within reach, site
 * search with nearby swaps and transportation cut off at the incumbent): points on a
 * square, pairs beyond a radius forbidden, some sites not allowed. The solution must be
 * valid, its objective the recomputed one, the bound below it, the gap small. */
TEST(cflp_large_multi_source)
{
    int m = 360, n = 300;
    pj_cflp p;
    geo_inst(&p, m, n, 99, 46, 25, 11, 5);
    pj_algo_opts o = {0};
    /* stops by itself after about 1 s of work; the work budget, not the clock, bounds it, so
     * a busy machine gives the same solution */
    o.time_limit_s = 120;
    o.work_s = 3;
    o.seed = 3;
    pj_cflp_result r;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_MULTI, &o, &r), PJ_CFLP_OK);
    check_result(&p, &r);
    for (int i = 0; i < m; i++)
        if (i % 11 == 5) CHECK(!r.open[i]);
    CHECK(isfinite(r.stats.lower_bound));
    CHECK(r.stats.lower_bound <= r.stats.objective);
    CHECK(r.stats.gap < 0.05);
    pj_cflp_result_free(&r);
    pj_cflp_free(&p);
}

/* A large single-source instance (m * n > 1e5: the multi-source site search gives the sites,
 * its fractions the first assignment, excess repaired by shifts or by opening sites, then the
 * single-source site search with swaps to nearby sites). Few sites are allowed and those have
 * little room, so the multi-source solution splits customers and its sites are nearly full:
 * the repair must open sites. Every customer wholly to one allowed site within reach and
 * capacity, the objective the recomputed one, the bound below it, the gap small. */
TEST(cflp_large_single_source)
{
    int m = 400, n = 280;
    pj_cflp p;
    geo_inst(&p, m, n, 17, 60, 40, 7, 2);
    pj_algo_opts o = {0};
    /* ended by its work budget, not the clock: the same solution on a busy machine (a 3 s
     * clock limit gave a worse plan while other jobs ran) */
    o.time_limit_s = 120;
    o.work_s = 2;
    o.seed = 5;
    pj_cflp_result r, rm;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_SINGLE, &o, &r), PJ_CFLP_OK);
    check_result(&p, &r);
    CHECK_INT(r.nflows, n);
    for (int j = 0; j < n; j++) {
        int i = r.assign[j];
        CHECK(i >= 0 && i < m && r.open[i] && i % 7 != 2);
        CHECK(isfinite(p.cost[(size_t)i * n + j]));
    }
    CHECK(isfinite(r.stats.lower_bound));
    CHECK(r.stats.lower_bound <= r.stats.objective);
    CHECK(r.stats.gap < 0.05);
    CHECK(!r.stats.clock_limited);
    /* splitting may only help: the multi-source optimum is at most the single-source one, so
     * a multi-source bound above our single-source objective would show a wrong solution */
    o.time_limit_s = 1;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_MULTI, &o, &rm), PJ_CFLP_OK);
    CHECK(rm.stats.lower_bound <= r.stats.objective + 1e-6 * r.stats.objective);
    pj_cflp_result_free(&r);
    pj_cflp_result_free(&rm);
    pj_cflp_free(&p);
}

/* The large paths end their phases by the work done, not by the clock: the same seed and work
 * budget give the same solution whatever the time limit (here far above the work), and the
 * time limit still stops a search whose budget is larger than the time allows. */
TEST(cflp_large_same_seed_same_result)
{
    int m = 400, n = 280;
    pj_cflp p;
    geo_inst(&p, m, n, 17, 60, 40, 7, 2);
    for (int kind = PJ_CFLP_MULTI; kind <= PJ_CFLP_SINGLE; kind++) {
        pj_cflp_result r[3];
        double limit[3] = {60, 60, 45};
        for (int k = 0; k < 3; k++) {
            pj_algo_opts o = {0};
            o.time_limit_s = limit[k];
            o.work_s = 0.15;
            o.seed = 5;
            CHECK_INT(pj_cflp_solve(&p, (pj_cflp_kind)kind, &o, &r[k]), PJ_CFLP_OK);
            check_result(&p, &r[k]);
            CHECK(r[k].stats.time_limit_hit); /* the budget ended it, */
            CHECK(!r[k].stats.clock_limited);
            CHECK(r[k].stats.time_s < 20); /* long before the clock would have */
        }
        for (int k = 1; k < 3; k++) {
            if (r[k].stats.objective != r[0].stats.objective ||
                r[k].stats.lower_bound != r[0].stats.lower_bound)
                t_fail(__FILE__, __LINE__, "kind %d run %d: %.6f / %.6f, first run %.6f / %.6f",
                       kind, k, r[k].stats.objective, r[k].stats.lower_bound, r[0].stats.objective,
                       r[0].stats.lower_bound);
            CHECK(memcmp(r[k].open, r[0].open, (size_t)m) == 0);
            CHECK(memcmp(r[k].assign, r[0].assign, (size_t)n * sizeof(int)) == 0);
        }
        for (int k = 0; k < 3; k++) pj_cflp_result_free(&r[k]);
        /* a budget far beyond the time limit: the clock stops it, with the best so far */
        pj_algo_opts o = {0};
        o.time_limit_s = 0.4;
        o.work_s = 100;
        o.seed = 5;
        pj_cflp_result t;
        pj_cflp_solve(&p, (pj_cflp_kind)kind, &o, &t);
        CHECK(t.stats.time_limit_hit);
        CHECK(t.stats.clock_limited);
        CHECK(t.stats.time_s < 0.4 + (getenv("PJ_SANITIZED") ? 1.0 : 0.2));
        if (t.status == PJ_CFLP_OK) check_result(&p, &t);
        pj_cflp_result_free(&t);
    }
    pj_cflp_free(&p);
}

/* A long budget on a large single-source instance runs several starts (each with its own
 * capacity cut for the site search, the first as a single start would run) and keeps the best:
 * never worse than the first start alone, its bound never lower; progress rises from 0 to 1
 * across the starts; still deterministic. */
typedef struct prog_log {
    int calls, rising;
    double last;
    double cancel_at; /* > 0: asks to stop once progress reaches it */
} prog_log;

static void log_progress(void *ud, double frac)
{
    prog_log *l = ud;
    if (frac < l->last - 1e-12 || frac < 0 || frac > 1) l->rising = 0;
    l->last = frac;
    l->calls++;
}

static int log_cancelled(void *ud)
{
    const prog_log *l = ud;
    return l->cancel_at > 0 && l->last >= l->cancel_at;
}

/* Regression: a large single-source solve reported 0, 0.5 once its bound was done, then nothing
 * until 1 — the plan's progress sat at one figure for most of its location phase. Now the
 * searches report their share of the budget as they go, in 1 % steps, still rising. */
typedef struct prog_steps {
    int rising, mid; /* mid: reports strictly between the bound's 0.5 and the end's 1 */
    double last;
} prog_steps;

static void count_progress(void *ud, double frac)
{
    prog_steps *l = ud;
    if (frac < l->last || frac < 0 || frac > 1) l->rising = 0;
    if (frac > 0.5 && frac < 1) l->mid++;
    l->last = frac;
}

TEST(cflp_large_single_source_progress_moves)
{
    pj_cflp p;
    geo_inst(&p, 400, 280, 17, 60, 40, 7, 2);
    prog_steps ps = {1, 0, 0};
    pj_algo_opts o = {0};
    o.time_limit_s = 600;
    o.seed = 5;
    o.work_s = 0.3;
    o.progress = count_progress;
    o.progress_ud = &ps;
    pj_cflp_result r;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_SINGLE, &o, &r), PJ_CFLP_OK);
    CHECK(ps.rising);
    CHECK(ps.last == 1.0);
    CHECK(ps.mid >= 10);
    pj_cflp_result_free(&r);
    pj_cflp_free(&p);
}

TEST(cflp_large_single_source_starts)
{
    int m = 400, n = 280;
    pj_cflp p;
    geo_inst(&p, m, n, 17, 60, 40, 7, 2);
    /* how many pj_cflp_solve runs: by the budget, on large single-source instances only */
    double S = PJ_CFLP_START_WORK_S;
    CHECK_INT(pj_cflp_starts(&p, PJ_CFLP_SINGLE, 0.9 * S), 1);
    CHECK_INT(pj_cflp_starts(&p, PJ_CFLP_SINGLE, 1.9 * S), 1);
    CHECK_INT(pj_cflp_starts(&p, PJ_CFLP_SINGLE, 2 * S), 2);
    CHECK_INT(pj_cflp_starts(&p, PJ_CFLP_SINGLE, 3.5 * S), 3);
    CHECK_INT(pj_cflp_starts(&p, PJ_CFLP_SINGLE, 100 * S), 3);
    CHECK_INT(pj_cflp_starts(&p, PJ_CFLP_MULTI, 100 * S), 1);
    pj_cflp small;
    geo_inst(&small, 100, 100, 17, 60, 40, 7, 2);
    CHECK_INT(pj_cflp_starts(&small, PJ_CFLP_SINGLE, 100 * S), 1);
    pj_cflp_free(&small);

    pj_cflp_result one, two, again;
    pj_algo_opts o = {0};
    o.time_limit_s = 600; /* the work ends every start */
    o.seed = 5;
    o.work_s = 0.3;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_SINGLE, &o, &one), PJ_CFLP_OK);
    prog_log lg = {0, 1, 0, 0};
    o.work_s = 0.6; /* two starts, the first the search above */
    o.progress = log_progress;
    o.progress_ud = &lg;
    CHECK_INT(pj_cflp_solve_starts(&p, PJ_CFLP_SINGLE, &o, 2, &two), PJ_CFLP_OK);
    CHECK(lg.rising && lg.calls >= 4 && lg.last == 1.0);
    o.progress = NULL;
    CHECK_INT(pj_cflp_solve_starts(&p, PJ_CFLP_SINGLE, &o, 2, &again), PJ_CFLP_OK);
    check_result(&p, &two);
    CHECK(!two.stats.clock_limited);
    CHECK(two.stats.objective <= one.stats.objective);
    CHECK(two.stats.lower_bound >= one.stats.lower_bound);
    CHECK(two.stats.lower_bound <= two.stats.objective);
    CHECK(two.stats.gap <= one.stats.gap);
    CHECK(two.iterations > one.iterations); /* the second start ran, */
    /* with its own cut: a different search (here a higher bound), not the first again */
    CHECK(two.stats.lower_bound > one.stats.lower_bound ||
          two.stats.objective < one.stats.objective);
    CHECK(again.stats.objective == two.stats.objective);
    CHECK(again.stats.lower_bound == two.stats.lower_bound);
    CHECK(memcmp(again.assign, two.assign, (size_t)n * sizeof(int)) == 0);
    /* cancelled once the first search is done: its plan, and progress still ends at 1 */
    pj_cflp_result_free(&again);
    prog_log lc = {0, 1, 0, 0.5};
    o.progress = log_progress;
    o.progress_ud = &lc;
    o.cancelled = log_cancelled;
    o.cancelled_ud = &lc;
    CHECK_INT(pj_cflp_solve_starts(&p, PJ_CFLP_SINGLE, &o, 2, &again), PJ_CFLP_OK);
    check_result(&p, &again);
    CHECK(again.stats.objective == one.stats.objective);
    CHECK(again.iterations == one.iterations);
    CHECK(lc.rising && lc.last == 1.0);
    pj_cflp_result_free(&one);
    pj_cflp_result_free(&two);
    pj_cflp_result_free(&again);
    pj_cflp_free(&p);
}

/* Large instances made of K independent blocks (pairs across blocks forbidden): the optimum is
 * the sum of the blocks' optima, each proved by GLPK. The large-instance paths (relaxation
 * that leaves closed sites unsolved, deflated multi-source site search for single-source) must
 * keep their bound at or below that sum and return no solution below it. */
TEST(cflp_large_blocks_bound_valid)
{
    enum { MB = 12, NB = 40, K = 15 };
    int m = MB * K, n = NB * K; /* m * n = 108,000: the large paths */
    for (int kind = PJ_CFLP_MULTI; kind <= PJ_CFLP_SINGLE; kind++) {
        pj_cflp big;
        CHECK(pj_cflp_init(&big, m, n) == 0);
        for (size_t q = 0; q < (size_t)m * n; q++) big.cost[q] = INFINITY;
        double opt = 0;
        for (int k = 0; k < K; k++) {
            pj_cflp b;
            rand_inst(&b, MB, NB, 1000 + (uint64_t)k, 20, 1.6);
            pj_algo_opts mo = {0};
            mo.time_limit_s = 30;
            pj_cflp_result e;
            CHECK_INT(pj_cflp_mip_glpk(&b, (pj_cflp_kind)kind, &mo, NULL, &e), PJ_CFLP_OK);
            CHECK(e.stats.optimal);
            opt += e.stats.objective;
            for (int i = 0; i < MB; i++) {
                big.capacity[k * MB + i] = b.capacity[i];
                big.fixed_cost[k * MB + i] = b.fixed_cost[i];
                for (int j = 0; j < NB; j++)
                    big.cost[(size_t)(k * MB + i) * n + (size_t)(k * NB + j)] =
                        b.cost[(size_t)i * NB + j];
            }
            for (int j = 0; j < NB; j++) big.demand[k * NB + j] = b.demand[j];
            pj_cflp_result_free(&e);
            pj_cflp_free(&b);
        }
        pj_algo_opts o = {0};
        o.time_limit_s = 120; /* the work budget ends it: the same on a busy machine */
        o.work_s = 2;
        o.seed = 7;
        pj_cflp_result r;
        CHECK_INT(pj_cflp_solve(&big, (pj_cflp_kind)kind, &o, &r), PJ_CFLP_OK);
        check_result(&big, &r);
        if (r.stats.lower_bound > opt * (1 + 1e-9))
            t_fail(__FILE__, __LINE__, "kind %d: bound %.3f above the optimum %.3f", kind,
                   r.stats.lower_bound, opt);
        CHECK(r.stats.objective >= opt * (1 - 1e-9));
        CHECK(r.stats.lower_bound >= 0.9 * opt); /* a bound, not a placeholder */
        pj_cflp_result_free(&r);
        pj_cflp_free(&big);
    }
}

TEST(cflp_infeasible_and_invalid)
{
    pj_cflp p;
    rand_inst(&p, 3, 5, 9, 0, 0.5); /* capacity < demand */
    pj_cflp_result r;
    for (int kind = 0; kind < 2; kind++) {
        CHECK_INT(pj_cflp_solve(&p, (pj_cflp_kind)kind, NULL, &r), PJ_CFLP_INFEASIBLE);
        CHECK(strstr(r.message, "capacity") != NULL);
        CHECK(pj_cflp_result_check(&r, &p, 1e-6, NULL, NULL, 0) != 0);
        pj_cflp_result_free(&r);
    }
    pj_cflp_free(&p);
    /* a customer every site is forbidden to serve */
    rand_inst(&p, 3, 5, 10, 0, 3);
    for (int i = 0; i < 3; i++) p.cost[i * 5 + 2] = INFINITY;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_MULTI, NULL, &r), PJ_CFLP_INFEASIBLE);
    CHECK(strstr(r.message, "customer 2") != NULL);
    pj_cflp_result_free(&r);
    /* enough capacity in total, but not reachable: customers 0,1 only via site 0 */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 5; j++) p.cost[i * 5 + j] = (j < 2) == (i == 0) ? 1 : INFINITY;
    p.capacity[0] = p.demand[0] + p.demand[1] - 0.5;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_MULTI, NULL, &r), PJ_CFLP_INFEASIBLE);
    pj_cflp_result_free(&r);
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_SINGLE, NULL, &r), PJ_CFLP_INFEASIBLE);
    pj_cflp_result_free(&r);
    /* invalid data */
    p.demand[1] = -1;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_MULTI, NULL, &r), PJ_CFLP_EINVAL);
    CHECK(strstr(r.message, "demand") != NULL);
    pj_cflp_result_free(&r);
    p.demand[1] = 1;
    p.cost[3] = NAN;
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_SINGLE, NULL, &r), PJ_CFLP_EINVAL);
    pj_cflp_result_free(&r);
    pj_cflp_free(&p);
    CHECK(pj_cflp_init(&p, 0, 3) != 0);
    CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_MULTI, NULL, &r), PJ_CFLP_EINVAL);
    pj_cflp_result_free(&r);
}

static int have_benchmarks(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/cflp", t_benchmarks_dir());
    if (access(path, R_OK) != 0) {
        printf("note: %s absent, benchmark checks skipped\n", path);
        return 0;
    }
    return 1;
}

TEST_T(cflp_orlib_cap_optimal, 120)
{
    if (!have_benchmarks()) return;
    static const struct {
        const char *name;
        double opt;
    } cases[] = {{"cap41", 1040444.375}, {"cap71", 932615.750},   {"cap101", 796648.437},
                 {"cap131", 793439.562}, {"cap114", 1063356.488}, {"cap123", 895302.325},
                 {"cap124", 946051.325}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char path[600], err[256];
        snprintf(path, sizeof path, "%s/cflp/orlib_cap/%s.txt", t_benchmarks_dir(), cases[k].name);
        pj_cflp p;
        if (pj_cflp_read_orlib(path, 0, &p, err, sizeof err) != 0)
            t_fail(__FILE__, __LINE__, "%s", err);
        pj_algo_opts o = {0};
        o.time_limit_s = 30;
        pj_cflp_result r;
        CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_MULTI, &o, &r), PJ_CFLP_OK);
        check_result(&p, &r);
        CHECK_NEAR(r.stats.objective, cases[k].opt, 2e-3);
        CHECK(r.stats.optimal);
        pj_cflp_result_free(&r);
        pj_cflp_free(&p);
    }
}

TEST_T(cflp_holmberg_gap, 120)
{
    if (!have_benchmarks()) return;
    char path[600], err[256];
    double os[80];
    snprintf(path, sizeof path, "%s/cflp/sscflp_holmberg/os", t_benchmarks_dir());
    CHECK_INT(pj_cflp_read_values(path, os, 80, err, sizeof err), 71);
    static const struct {
        int k;
        double max_gap;
    } cases[] = {{1, 0}, {13, 0}, {40, 0.01}, {60, 0.01}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        snprintf(path, sizeof path, "%s/cflp/sscflp_holmberg/p%d", t_benchmarks_dir(), cases[c].k);
        pj_cflp p;
        if (pj_cflp_read_sscflp(path, &p, err, sizeof err) != 0)
            t_fail(__FILE__, __LINE__, "%s", err);
        pj_algo_opts o = {0};
        o.time_limit_s = 30;
        pj_cflp_result r;
        CHECK_INT(pj_cflp_solve(&p, PJ_CFLP_SINGLE, &o, &r), PJ_CFLP_OK);
        check_result(&p, &r);
        double opt = os[cases[c].k - 1];
        CHECK(r.stats.objective >= opt - 1e-6);
        CHECK(r.stats.lower_bound <= opt + 1e-6);
        if ((r.stats.objective - opt) / opt > cases[c].max_gap + 1e-12)
            t_fail(__FILE__, __LINE__, "p%d: %.0f vs optimum %.0f", cases[c].k, r.stats.objective,
                   opt);
        if (cases[c].max_gap == 0) CHECK(r.stats.optimal);
        pj_cflp_result_free(&r);
        pj_cflp_free(&p);
    }
}

TEST(cflp_read_benchmark_files)
{
    if (!have_benchmarks()) return;
    char path[600], err[256];
    pj_cflp p;
    snprintf(path, sizeof path, "%s/cflp/orlib_cap/capa.txt", t_benchmarks_dir());
    CHECK(pj_cflp_read_orlib(path, 0, &p, err, sizeof err) != 0); /* needs the capacity */
    CHECK(strstr(err, "capacity") != NULL);
    CHECK(pj_cflp_read_orlib(path, 8000, &p, err, sizeof err) == 0);
    CHECK_INT(p.m, 100);
    CHECK_INT(p.n, 1000);
    CHECK(p.capacity[0] == 8000 && p.capacity[99] == 8000);
    CHECK_NEAR(pj_cflp_total_demand(&p), 50886, 1e-6);
    pj_cflp_free(&p);
    snprintf(path, sizeof path, "%s/cflp/sscflp_yang/p1", t_benchmarks_dir());
    CHECK(pj_cflp_read_sscflp(path, &p, err, sizeof err) == 0);
    CHECK_INT(p.m, 30);
    CHECK_INT(p.n, 200);
    pj_cflp_free(&p);
    /* NUL padding in the public copy of Holmberg p50 reads as blanks */
    snprintf(path, sizeof path, "%s/cflp/sscflp_holmberg/p50", t_benchmarks_dir());
    CHECK(pj_cflp_read_sscflp(path, &p, err, sizeof err) == 0);
    CHECK_INT(p.m, 10);
    CHECK_INT(p.n, 100);
    pj_cflp_free(&p);
}

static int write_file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", t_tmpdir(), name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    fclose(f);
    return 0;
}

TEST(cflp_reader_errors)
{
    pj_cflp p;
    char err[256], path[600];
    /* valid tiny files in both orientations */
    CHECK(pj_cflp_parse_orlib("2 3\n10 5\ncapacity 7\n1 4 5\n2 6 7\n3 8 9\n", 12, &p, err,
                              sizeof err) == 0);
    CHECK(p.capacity[1] == 12 && p.fixed_cost[1] == 7 && p.demand[2] == 3);
    CHECK(p.cost[0 * 3 + 1] == 6 && p.cost[1 * 3 + 2] == 9);
    pj_cflp_free(&p);
    CHECK(pj_cflp_parse_sscflp("2 3\n10 5\n11 7\n1 2 3\n4 5 6\n7 8 9\n", &p, err, sizeof err) == 0);
    CHECK(p.cost[0 * 3 + 1] == 5 && p.cost[1 * 3 + 0] == 7 && p.demand[1] == 2);
    pj_cflp_free(&p);
    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"", "end of file"},
        {"2", "end of file"},
        {"0 3", "positive integer"},
        {"2.5 3", "positive integer"},
        {"x 3", "expected site count"},
        {"1 1\n10 5\n1 2 3", "trailing"},
        {"1 1\n10 -5\n1 2", "fixed cost"},
        {"1 2\n10 5\n1 2\n1", "end of file"},
        {"1 1\n10 5\n1 nan", "allocation cost"},
        {"1 1\n10 5\n1 1e999", "allocation cost"},
        {"1 1\ncapacity 5\n1 2", "capacity value"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        err[0] = 0;
        if (pj_cflp_parse_orlib(bad[k].text, 0, &p, err, sizeof err) == 0)
            t_fail(__FILE__, __LINE__, "case %zu parsed", k);
        CHECK(p.cost == NULL && p.m == 0);
        if (!strstr(err, bad[k].needle))
            t_fail(__FILE__, __LINE__, "case %zu: '%s' lacks '%s'", k, err, bad[k].needle);
    }
    CHECK(pj_cflp_parse_sscflp("1 2\n10 5\n1 2\n3", &p, err, sizeof err) != 0);
    CHECK(strstr(err, "assignment cost") != NULL);
    CHECK(write_file("bad.txt", "2 2\n1 1\n1 1\n1 1 1\n1 x 1\n", path, sizeof path) == 0);
    CHECK(pj_cflp_read_orlib(path, 0, &p, err, sizeof err) != 0);
    CHECK(strstr(err, "bad.txt") != NULL && strstr(err, "'x'") != NULL);
    CHECK(pj_cflp_read_sscflp("/nonexistent/cflp", &p, err, sizeof err) != 0);
    CHECK(strstr(err, "/nonexistent/cflp") != NULL);
    double v[4];
    CHECK(write_file("os", "1\n2\n3\n", path, sizeof path) == 0);
    CHECK_INT(pj_cflp_read_values(path, v, 4, err, sizeof err), 3);
    CHECK(v[2] == 3);
    CHECK(write_file("os2", "1\nz\n", path, sizeof path) == 0);
    CHECK_INT(pj_cflp_read_values(path, v, 4, err, sizeof err), -1);
}
