/* Tests of src/algo/rcpsp: brute force over all activity lists on tiny random instances,
 * schedule properties on random instances (independent checker), PSPLIB j30 subset against the
 * known optima, readers and their errors, validation (cycles, infeasible demands), district
 * scale, time limit, determinism. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/rcpsp.h"
#include "t.h"

/* ---- Random instances ---------------------------------------------------------------------- */

/* An owned random instance: n jobs, K resources, arcs only "forward" in a random permutation
 * (so job indices are not a topological order). Demands <= capacities. */
typedef struct rinst {
    pj_rcpsp p;
} rinst;

static void rinst_make(rinst *r, uint64_t *rng, int n, int K, int max_d, int arc_pct, int n_proj)
{
    pj_rcpsp *p = &r->p;
    memset(p, 0, sizeof *p);
    p->n_jobs = n;
    p->n_res = K;
    p->duration = malloc(((size_t)n + 1) * sizeof(int));
    p->demand = calloc((size_t)n * (size_t)K + 1, sizeof(int));
    p->capacity = malloc(((size_t)K + 1) * sizeof(int));
    p->succ_start = malloc(((size_t)n + 1) * sizeof(int));
    p->succ = malloc(((size_t)n * (size_t)n + 1) * sizeof(int));
    int *perm = malloc(((size_t)n + 1) * sizeof(int));
    for (int j = 0; j < n; j++) perm[j] = j;
    for (int j = n - 1; j > 0; j--) {
        int k = (int)pj_rng_below(rng, (uint32_t)j + 1), t = perm[j];
        perm[j] = perm[k];
        perm[k] = t;
    }
    for (int k = 0; k < K; k++) p->capacity[k] = 1 + (int)pj_rng_below(rng, 5);
    for (int j = 0; j < n; j++) {
        p->duration[j] = (int)pj_rng_below(rng, (uint32_t)max_d + 1);
        for (int k = 0; k < K; k++)
            if (pj_rng_below(rng, 100) < 70)
                p->demand[j * K + k] = (int)pj_rng_below(rng, (uint32_t)p->capacity[k] + 1);
    }
    /* rank[perm[i]] = i; arc a -> b when rank[a] < rank[b] */
    int m = 0;
    for (int j = 0; j < n; j++) {
        p->succ_start[j] = m;
        int rj = 0;
        while (perm[rj] != j) rj++;
        for (int i = rj + 1; i < n; i++)
            if ((int)pj_rng_below(rng, 100) < arc_pct) p->succ[m++] = perm[i];
    }
    p->succ_start[n] = m;
    free(perm);
    if (n_proj > 0) {
        p->n_projects = n_proj;
        p->project = malloc(((size_t)n + 1) * sizeof(int));
        p->project_value = malloc((size_t)n_proj * sizeof(double));
        for (int j = 0; j < n; j++)
            p->project[j] = (int)pj_rng_below(rng, (uint32_t)n_proj + 1) - 1;
        for (int q = 0; q < n_proj; q++) p->project_value[q] = 1 + (int)pj_rng_below(rng, 50);
    }
}

/* ---- Independent checker -------------------------------------------------------------------- */

/* Checks precedence, resources at every time (brute force), makespan, project finishes and
 * the curve of sol against p. */
static void check_schedule(const pj_rcpsp *p, const pj_rcpsp_sol *s)
{
    int n = p->n_jobs, K = p->n_res, ms = 0;
    CHECK_INT(s->status, PJ_RCPSP_OK);
    for (int j = 0; j < n; j++) {
        CHECK(s->start[j] >= 0);
        int f = s->start[j] + p->duration[j];
        if (f > ms) ms = f;
        for (int a = p->succ_start[j]; a < p->succ_start[j + 1]; a++)
            CHECK(f <= s->start[p->succ[a]]);
    }
    CHECK_INT(s->makespan, ms);
    for (int t = 0; t < ms; t++)
        for (int k = 0; k < K; k++) {
            int use = 0;
            for (int j = 0; j < n; j++)
                if (s->start[j] <= t && t < s->start[j] + p->duration[j])
                    use += p->demand ? p->demand[j * K + k] : 0;
            if (use > p->capacity[k])
                t_fail(__FILE__, __LINE__, "resource %d over capacity at %d: %d > %d", k, t, use,
                       p->capacity[k]);
        }
    CHECK(s->stats.lower_bound <= s->makespan + 1e-9);
    CHECK(s->cp_bound <= s->makespan && s->res_bound <= s->makespan);
    CHECK_NEAR(s->stats.objective, s->makespan, 1e-9);
    if (s->stats.optimal) CHECK_NEAR(s->stats.lower_bound, s->makespan, 1e-9);
    char err[200];
    if (pj_rcpsp_verify(p, s->start, s->makespan, err, sizeof err))
        t_fail(__FILE__, __LINE__, "pj_rcpsp_verify: %s", err);
    /* Projects and curve. */
    int np = p->project ? p->n_projects : 0;
    CHECK_INT(s->n_projects, np);
    double total = 0;
    for (int q = 0; q < np; q++) {
        int f = 0;
        for (int j = 0; j < n; j++)
            if (p->project[j] == q && s->start[j] + p->duration[j] > f)
                f = s->start[j] + p->duration[j];
        CHECK_INT(s->project_finish[q], f);
        total += p->project_value ? p->project_value[q] : 1;
    }
    CHECK(s->n_curve <= np);
    for (int i = 0; i < s->n_curve; i++) {
        int t = s->curve[i].t;
        if (i > 0) CHECK(t > s->curve[i - 1].t);
        double v = 0;
        for (int q = 0; q < np; q++)
            if (s->project_finish[q] <= t) v += p->project_value ? p->project_value[q] : 1;
        CHECK_NEAR(s->curve[i].value, v, 1e-6);
    }
    if (np > 0) CHECK_NEAR(s->curve[s->n_curve - 1].value, total, 1e-6);
}

/* ---- Brute force: serial SGS over every precedence-feasible activity list -------------------- */

typedef struct brute {
    const pj_rcpsp *p;
    int list[8], placed[8], best;
} brute;

/* Naive serial SGS: each job at the earliest time >= its predecessors' finish where the usage
 * (recomputed from scratch) leaves room for its whole duration. */
static int naive_sgs(const pj_rcpsp *p, const int *list)
{
    int n = p->n_jobs, K = p->n_res, st[8], done[8] = {0}, ms = 0;
    for (int i = 0; i < n; i++) {
        int j = list[i], t = 0;
        for (int q = 0; q < n; q++)
            if (done[q])
                for (int a = p->succ_start[q]; a < p->succ_start[q + 1]; a++)
                    if (p->succ[a] == j && st[q] + p->duration[q] > t) t = st[q] + p->duration[q];
        for (;; t++) {
            int ok = 1;
            for (int tau = t; tau < t + p->duration[j] && ok; tau++)
                for (int k = 0; k < K && ok; k++) {
                    int use = p->demand[j * K + k];
                    for (int q = 0; q < n; q++)
                        if (done[q] && st[q] <= tau && tau < st[q] + p->duration[q])
                            use += p->demand[q * K + k];
                    if (use > p->capacity[k]) ok = 0;
                }
            if (ok) break;
        }
        st[j] = t;
        done[j] = 1;
        if (t + p->duration[j] > ms) ms = t + p->duration[j];
    }
    return ms;
}

static void brute_rec(brute *b, int level)
{
    const pj_rcpsp *p = b->p;
    int n = p->n_jobs;
    if (level == n) {
        int m = naive_sgs(p, b->list);
        if (m < b->best) b->best = m;
        return;
    }
    for (int j = 0; j < n; j++) {
        if (b->placed[j]) continue;
        int ready = 1;
        for (int q = 0; q < n && ready; q++)
            if (!b->placed[q])
                for (int a = p->succ_start[q]; a < p->succ_start[q + 1]; a++)
                    if (p->succ[a] == j) ready = 0;
        if (!ready) continue;
        b->placed[j] = 1;
        b->list[level] = j;
        brute_rec(b, level + 1);
        b->placed[j] = 0;
    }
}

static int brute_force(const pj_rcpsp *p)
{
    brute b;
    memset(&b, 0, sizeof b);
    b.p = p;
    b.best = 1 << 30;
    brute_rec(&b, 0);
    return b.best;
}

TEST(rcpsp_brute_force_tiny)
{
    uint64_t rng = 12345;
    int rounds = getenv("PJ_SANITIZED") ? 120 : 300, n_lb_gap = 0;
    for (int r = 0; r < rounds; r++) {
        rinst ri;
        int n = 1 + (int)pj_rng_below(&rng, 7);
        int K = 1 + (int)pj_rng_below(&rng, 2);
        rinst_make(&ri, &rng, n, K, 5, (int)pj_rng_below(&rng, 50), 0);
        int best = brute_force(&ri.p);
        /* Default: GA then exact branch-and-bound (n <= 12): proven optimal. */
        pj_rcpsp_params prm = {0};
        prm.max_schedules = 300;
        pj_algo_opts o = {30, (uint64_t)r, NULL, NULL};
        pj_rcpsp_sol s;
        CHECK_INT(pj_rcpsp_solve(&ri.p, &prm, &o, &s), PJ_RCPSP_OK);
        check_schedule(&ri.p, &s);
        if (s.makespan != best)
            t_fail(__FILE__, __LINE__, "round %d (n=%d): makespan %d, brute force %d", r, n,
                   s.makespan, best);
        CHECK_INT(s.stats.optimal, 1);
        CHECK_NEAR(s.stats.lower_bound, best, 1e-9);
        if (s.res_bound > best)
            t_fail(__FILE__, __LINE__, "round %d: resource bound %d above the optimum %d", r,
                   s.res_bound, best);
        if (s.cp_bound < best && s.res_bound < best) n_lb_gap++;
        pj_rcpsp_sol_free(&s);
        /* GA alone (no proof) must also reach it on these sizes. */
        prm.no_exact = 1;
        prm.max_schedules = 2000;
        CHECK_INT(pj_rcpsp_solve(&ri.p, &prm, &o, &s), PJ_RCPSP_OK);
        check_schedule(&ri.p, &s);
        if (s.makespan != best)
            t_fail(__FILE__, __LINE__, "GA round %d (n=%d): makespan %d, brute force %d", r, n,
                   s.makespan, best);
        pj_rcpsp_sol_free(&s);
        pj_rcpsp_free(&ri.p);
    }
    /* The instances must not all be trivial (optimum = a simple bound). */
    CHECK(n_lb_gap >= rounds / 20);
}

TEST(rcpsp_properties_random)
{
    uint64_t rng = 777;
    int rounds = getenv("PJ_SANITIZED") ? 25 : 60;
    for (int r = 0; r < rounds; r++) {
        rinst ri;
        int n = 10 + (int)pj_rng_below(&rng, 50);
        int K = (int)pj_rng_below(&rng, 4);
        int np = (int)pj_rng_below(&rng, 6);
        rinst_make(&ri, &rng, n, K, 9, (int)pj_rng_below(&rng, 15), np);
        pj_rcpsp_params prm = {0};
        prm.max_schedules = 1500;
        pj_algo_opts o = {30, 99, NULL, NULL};
        pj_rcpsp_sol s, s2;
        CHECK_INT(pj_rcpsp_solve(&ri.p, &prm, &o, &s), PJ_RCPSP_OK);
        check_schedule(&ri.p, &s);
        CHECK(s.schedules <= prm.max_schedules + 1);
        /* Determinism: same seed, same schedule. */
        CHECK_INT(pj_rcpsp_solve(&ri.p, &prm, &o, &s2), PJ_RCPSP_OK);
        CHECK_INT(s2.makespan, s.makespan);
        CHECK(memcmp(s.start, s2.start, (size_t)n * sizeof(int)) == 0);
        pj_rcpsp_sol_free(&s2);
        /* Every rule with both SGS, with and without justification: valid, never better than
         * the GA by more than nothing (the GA starts from these). */
        for (int rule = 0; rule < PJ_RCPSP_RULE_COUNT; rule++)
            for (int sgs = 0; sgs < 2; sgs++)
                for (int just = 0; just < 2; just++) {
                    pj_rcpsp_params rp = {0};
                    rp.method = PJ_RCPSP_METHOD_RULE;
                    rp.rule = rule;
                    rp.sgs = sgs;
                    rp.justify = just;
                    CHECK_INT(pj_rcpsp_solve(&ri.p, &rp, NULL, &s2), PJ_RCPSP_OK);
                    check_schedule(&ri.p, &s2);
                    CHECK(s2.makespan >= s.makespan);
                    pj_rcpsp_sol_free(&s2);
                }
        pj_rcpsp_sol_free(&s);
        pj_rcpsp_free(&ri.p);
    }
}

/* ---- Validation ------------------------------------------------------------------------------ */

TEST(rcpsp_cycle_and_infeasible)
{
    /* 0 -> 1 -> 2 -> 3 -> 1 (cycle 1,2,3), 4 -> 0. */
    int dur[5] = {1, 2, 3, 1, 1}, cap[1] = {2}, dem[5] = {1, 1, 1, 1, 1};
    int ss[6] = {0, 1, 2, 3, 4, 5}, succ[5] = {1, 2, 3, 1, 0};
    pj_rcpsp p = {5, 1, dur, dem, cap, ss, succ, 0, NULL, NULL};
    pj_rcpsp_sol s;
    CHECK_INT(pj_rcpsp_solve(&p, NULL, NULL, &s), PJ_RCPSP_ECYCLE);
    CHECK(s.err_job >= 1 && s.err_job <= 3);
    CHECK(strstr(s.err, "cycle") != NULL);
    CHECK(s.start == NULL);
    pj_rcpsp_sol_free(&s);
    char err[200];
    int ej;
    CHECK_INT(pj_rcpsp_check(&p, err, sizeof err, &ej), PJ_RCPSP_ECYCLE);
    CHECK(strstr(err, "1 -> 2 -> 3 -> 1") || strstr(err, "2 -> 3 -> 1 -> 2") ||
          strstr(err, "3 -> 1 -> 2 -> 3"));
    /* Self-loop. */
    succ[4] = 4;
    CHECK_INT(pj_rcpsp_check(&p, err, sizeof err, &ej), PJ_RCPSP_ECYCLE);
    succ[3] = 4; /* 3 -> 4 instead of 3 -> 1: only the self-loop 4 -> 4 remains */
    CHECK_INT(pj_rcpsp_check(&p, err, sizeof err, &ej), PJ_RCPSP_ECYCLE);
    CHECK_INT(ej, 4);
    succ[4] = 0;
    succ[3] = 1;
    /* Acyclic now: 4 -> 0 -> 1 -> 2 -> 3, and 3 -> 4 removed. */
    int ss2[6] = {0, 1, 2, 3, 3, 4};
    int succ2[4] = {1, 2, 3, 0};
    pj_rcpsp q = {5, 1, dur, dem, cap, ss2, succ2, 0, NULL, NULL};
    CHECK_INT(pj_rcpsp_check(&q, err, sizeof err, &ej), PJ_RCPSP_OK);
    /* Demand above capacity. */
    dem[2] = 3;
    CHECK_INT(pj_rcpsp_solve(&q, NULL, NULL, &s), PJ_RCPSP_EINFEASIBLE);
    CHECK_INT(s.err_job, 2);
    CHECK(strstr(s.err, "infeasible") != NULL);
    pj_rcpsp_sol_free(&s);
    /* ... but a zero-duration job may carry any demand. */
    dur[2] = 0;
    CHECK_INT(pj_rcpsp_check(&q, err, sizeof err, &ej), PJ_RCPSP_OK);
    dur[2] = 3;
    dem[2] = 1;
    /* Zero-capacity resource needed. */
    cap[0] = 0;
    CHECK_INT(pj_rcpsp_check(&q, err, sizeof err, &ej), PJ_RCPSP_EINFEASIBLE);
    CHECK(strstr(err, "capacity 0") != NULL);
    CHECK_INT(ej, 0);
    cap[0] = 2;
    /* Bad input. */
    succ2[0] = 7;
    CHECK_INT(pj_rcpsp_check(&q, err, sizeof err, &ej), PJ_RCPSP_EINVAL);
    CHECK_INT(ej, 0);
    succ2[0] = 1;
    dur[1] = -1;
    CHECK_INT(pj_rcpsp_check(&q, err, sizeof err, &ej), PJ_RCPSP_EINVAL);
    dur[1] = 2;
    int proj[5] = {0, 0, 1, 1, 2};
    q.project = proj;
    q.n_projects = 2;
    CHECK_INT(pj_rcpsp_check(&q, err, sizeof err, &ej), PJ_RCPSP_EINVAL);
    CHECK_INT(ej, 4);
    q.n_projects = 3;
    CHECK_INT(pj_rcpsp_solve(&q, NULL, NULL, &s), PJ_RCPSP_OK);
    check_schedule(&q, &s);
    /* A chain: makespan = sum of durations, proven optimal by the critical path. */
    CHECK_INT(s.makespan, 8);
    CHECK_INT(s.stats.optimal, 1);
    CHECK_INT(s.n_curve, 3);
    pj_rcpsp_sol_free(&s);
    pj_rcpsp_sol_free(&s); /* twice is safe */
}

TEST(rcpsp_edge_cases)
{
    pj_rcpsp_sol s;
    int ss0[1] = {0};
    pj_rcpsp empty = {0, 0, NULL, NULL, NULL, ss0, NULL, 0, NULL, NULL};
    CHECK_INT(pj_rcpsp_solve(&empty, NULL, NULL, &s), PJ_RCPSP_OK);
    CHECK_INT(s.makespan, 0);
    CHECK_INT(s.stats.optimal, 1);
    pj_rcpsp_sol_free(&s);
    /* No resources: the critical path. Zero durations. */
    int dur[4] = {0, 3, 0, 2}, ss[5] = {0, 2, 3, 4, 4}, succ[4] = {1, 3, 2, 3};
    pj_rcpsp p = {4, 0, dur, NULL, NULL, ss, succ, 0, NULL, NULL};
    CHECK_INT(pj_rcpsp_solve(&p, NULL, NULL, &s), PJ_RCPSP_OK);
    check_schedule(&p, &s);
    CHECK_INT(s.makespan, 5);
    pj_rcpsp_sol_free(&s);
    /* Duplicate arcs are fine. */
    int ss2[5] = {0, 3, 4, 5, 5}, succ2[5] = {1, 1, 3, 3, 3};
    pj_rcpsp p2 = {4, 0, dur, NULL, NULL, ss2, succ2, 0, NULL, NULL};
    CHECK_INT(pj_rcpsp_solve(&p2, NULL, NULL, &s), PJ_RCPSP_OK);
    check_schedule(&p2, &s);
    pj_rcpsp_sol_free(&s);
    /* All jobs need the whole single resource: makespan = sum of durations. */
    int d3[5] = {2, 3, 1, 4, 2}, dm3[5] = {3, 3, 3, 3, 3}, cap3[1] = {3}, ss3[6] = {0};
    pj_rcpsp p3 = {5, 1, d3, dm3, cap3, ss3, NULL, 0, NULL, NULL};
    for (int j = 1; j <= 5; j++) ss3[j] = 0;
    CHECK_INT(pj_rcpsp_solve(&p3, NULL, NULL, &s), PJ_RCPSP_OK);
    check_schedule(&p3, &s);
    CHECK_INT(s.makespan, 12);
    CHECK_INT(s.res_bound, 12);
    CHECK_INT(s.stats.optimal, 1);
    pj_rcpsp_sol_free(&s);
    int cp, rb;
    CHECK_INT(pj_rcpsp_bounds(&p3, &cp, &rb), 0);
    CHECK_INT(cp, 4);
    CHECK_INT(rb, 12);
    /* Disjunctive bound: demand 2 of capacity 3 cannot overlap; energy alone gives 8. */
    for (int j = 0; j < 5; j++) dm3[j] = 2;
    CHECK_INT(pj_rcpsp_bounds(&p3, &cp, &rb), 0);
    CHECK_INT(rb, 12);
    dm3[0] = 1;
    CHECK_INT(pj_rcpsp_bounds(&p3, &cp, &rb), 0);
    CHECK_INT(rb, 10);
    /* Heads and tails: two jobs needing the whole resource after a 5-unit job and before a
     * 2-unit one cannot overlap, and neither starts before 5 nor ends the project: 5+6+2,
     * where the critical path (10) and the energy alone (6) fall short. */
    int d5[4] = {5, 3, 3, 2}, dm5[4] = {0, 2, 2, 0}, cap5[1] = {2};
    int ss5[5] = {0, 2, 3, 4, 4}, succ5[4] = {1, 2, 3, 3};
    pj_rcpsp p5 = {4, 1, d5, dm5, cap5, ss5, succ5, 0, NULL, NULL};
    CHECK_INT(pj_rcpsp_bounds(&p5, &cp, &rb), 0);
    CHECK_INT(cp, 10);
    CHECK_INT(rb, 13);
    CHECK_INT(pj_rcpsp_solve(&p5, NULL, NULL, &s), PJ_RCPSP_OK);
    check_schedule(&p5, &s);
    CHECK_INT(s.makespan, 13);
    CHECK_INT(s.stats.optimal, 1);
    pj_rcpsp_sol_free(&s);
    /* half the capacity each: they may run side by side, 5+3+2 */
    cap5[0] = 4;
    CHECK_INT(pj_rcpsp_bounds(&p5, &cp, &rb), 0);
    CHECK_INT(rb, 10);
    /* more jobs of a resource than pairs are tried for (1,500): the least head and the least
     * time after of them all still count (a 5-unit job before 1,600 unit jobs one at a time) */
    enum { NB = 1601 };
    static int d6[NB], dm6[NB], ss6[NB + 1], succ6[NB - 1];
    int cap6[1] = {1};
    d6[0] = 5;
    for (int j = 1; j < NB; j++) d6[j] = dm6[j] = 1, succ6[j - 1] = j;
    ss6[0] = 0;
    for (int j = 1; j <= NB; j++) ss6[j] = NB - 1;
    pj_rcpsp p6 = {NB, 1, d6, dm6, cap6, ss6, succ6, 0, NULL, NULL};
    CHECK_INT(pj_rcpsp_bounds(&p6, &cp, &rb), 0);
    CHECK_INT(cp, 6);
    CHECK_INT(rb, 5 + NB - 1);
    /* Time grid too large. */
    int d4[1] = {1 << 26}, ss4[2] = {0, 0};
    pj_rcpsp p4 = {1, 0, d4, NULL, NULL, ss4, NULL, 0, NULL, NULL};
    CHECK_INT(pj_rcpsp_solve(&p4, NULL, NULL, &s), PJ_RCPSP_ETOOBIG);
    CHECK(s.start == NULL);
}

/* ---- Readers -------------------------------------------------------------------------------- */

static const char *sm_ok = "************\n"
                           "jobs (incl. supersource/sink ):  4\n"
                           "RESOURCES\n"
                           "  - renewable                 :  2   R\n"
                           "  - nonrenewable              :  0   N\n"
                           "  - doubly constrained        :  0   D\n"
                           "PRECEDENCE RELATIONS:\n"
                           "jobnr.    #modes  #successors   successors\n"
                           "   1        1          2           2   3\n"
                           "   2        1          1           4\n"
                           "   3        1          1           4\n"
                           "   4        1          0        \n"
                           "************\n"
                           "REQUESTS/DURATIONS:\n"
                           "jobnr. mode duration  R 1  R 2\n"
                           "------------------------------\n"
                           "  1      1     0       0    0\n"
                           "  2      1     3       2    1\n"
                           "  3      1     2       1    1\n"
                           "  4      1     0       0    0\n"
                           "************\n"
                           "RESOURCEAVAILABILITIES:\n"
                           "  R 1  R 2\n"
                           "   2    5\n"
                           "************\n";

/* Replaces the first occurrence of from by to in sm_ok and parses; returns the status and the
 * message. */
static int parse_variant(const char *from, const char *to, char *err, size_t errlen)
{
    char buf[2048];
    const char *at = strstr(sm_ok, from);
    CHECK(at != NULL);
    size_t pre = (size_t)(at - sm_ok);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)pre, sm_ok, to, at + strlen(from));
    pj_rcpsp p;
    int rc = pj_rcpsp_parse_sm(buf, strlen(buf), "t.sm", &p, err, errlen);
    if (rc == 0) pj_rcpsp_free(&p);
    return rc;
}

TEST(rcpsp_reader_sm)
{
    pj_rcpsp p;
    char err[256];
    CHECK_INT(pj_rcpsp_parse_sm(sm_ok, strlen(sm_ok), "t.sm", &p, err, sizeof err), 0);
    CHECK_INT(p.n_jobs, 4);
    CHECK_INT(p.n_res, 2);
    CHECK_INT(p.duration[1], 3);
    CHECK_INT(p.demand[1 * 2 + 0], 2);
    CHECK_INT(p.capacity[1], 5);
    CHECK_INT(p.succ_start[1] - p.succ_start[0], 2);
    CHECK_INT(p.succ[p.succ_start[1]], 3);
    pj_rcpsp_sol s;
    CHECK_INT(pj_rcpsp_solve(&p, NULL, NULL, &s), PJ_RCPSP_OK);
    CHECK_INT(s.makespan, 5); /* jobs 2 and 3 cannot overlap on R1 (2 + 1 > 2) */
    check_schedule(&p, &s);
    pj_rcpsp_sol_free(&s);
    pj_rcpsp_free(&p);
    pj_rcpsp_free(&p); /* twice is safe */

    struct {
        const char *from, *to, *msg;
    } bad[] = {
        {"RESOURCEAVAILABILITIES:", "RESOURCES_GONE:", "no RESOURCEAVAILABILITIES"},
        {"   2        1          1           4", "   2        1          2           4",
         "2 successors announced"},
        {"   3        1          1           4", "   3        1          1           9",
         "outside 1..4"},
        {"   2        1          1           4", "   5        1          1           4",
         "expected job 2"},
        {"  2      1     3       2    1", "  2      2     3       2    1", "only mode 1"},
        {"  2      1     3       2    1", "  2      1     3       2", "demands"},
        {"  2      1     3       2    1", "  2      1     x       2    1", "demands"},
        {"nonrenewable              :  0", "nonrenewable              :  2",
         "nonrenewable resources are not supported"},
        {"jobs (incl. supersource/sink ):  4", "jobs (incl. supersource/sink ):  -4",
         "bad job count"},
        {"   2    5\n", "   2\n", "expected 2 capacities"},
        {"  3      1     2       1    1\n  4      1     0       0    0\n", "",
         "ends after 2 of 4 jobs"},
        {"   4        1          0        \n", "", "ends after 3 of 4 jobs"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        CHECK_INT(parse_variant(bad[i].from, bad[i].to, err, sizeof err), -1);
        if (!strstr(err, bad[i].msg))
            t_fail(__FILE__, __LINE__, "case %zu: message '%s' lacks '%s'", i, err, bad[i].msg);
        CHECK(strncmp(err, "t.sm:", 5) == 0);
    }
    /* Line numbers: the bad successor is on line 11. */
    CHECK_INT(parse_variant("   3        1          1           4",
                            "   3        1          1           9", err, sizeof err),
              -1);
    CHECK(strncmp(err, "t.sm:11:", 8) == 0);
    /* Truncated file and missing file. */
    CHECK_INT(pj_rcpsp_parse_sm(sm_ok, 200, "t.sm", &p, err, sizeof err), -1);
    CHECK(p.duration == NULL);
    CHECK_INT(pj_rcpsp_read_sm("/nonexistent/x.sm", &p, err, sizeof err), -1);
    CHECK(strstr(err, "/nonexistent/x.sm") != NULL);

    /* A real PSPLIB file. */
    char path[1024];
    snprintf(path, sizeof path, "%s/rcpsp/j30/j301_1.sm", t_benchmarks_dir());
    CHECK_INT(pj_rcpsp_read_sm(path, &p, err, sizeof err), 0);
    CHECK_INT(p.n_jobs, 32);
    CHECK_INT(p.n_res, 4);
    CHECK_INT(p.capacity[0], 12);
    CHECK_INT(p.capacity[3], 12);
    CHECK_INT(p.duration[1], 8);
    int cp, rb;
    CHECK_INT(pj_rcpsp_bounds(&p, &cp, &rb), 0);
    CHECK_INT(cp, 38); /* MPM-Time in the file header */
    pj_rcpsp_free(&p);
}

TEST(rcpsp_reader_known)
{
    char path[1024], err[256];
    pj_rcpsp_known_set o, h;
    snprintf(path, sizeof path, "%s/rcpsp/j120_optimum.csv", t_benchmarks_dir());
    CHECK_INT(pj_rcpsp_known_read_csv(path, &o, err, sizeof err), 0);
    CHECK_INT(o.n, 600);
    const pj_rcpsp_known *k = pj_rcpsp_known_find(&o, "j1201_1.sm");
    CHECK(k && k->lb == 104 && k->ub == 105);
    k = pj_rcpsp_known_find(&o, "j1201_2.sm");
    CHECK(k && k->lb == 109 && k->ub == 109);
    int noub = 0, nolb = 0;
    for (int i = 0; i < o.n; i++) {
        if (o.v[i].lb < 0) nolb++;
        if (o.v[i].ub < 0) noub++;
    }
    CHECK(nolb > 0); /* "..UB" entries */
    CHECK_INT(noub, 0);
    snprintf(path, sizeof path, "%s/rcpsp/j120hrs.sm", t_benchmarks_dir());
    CHECK_INT(pj_rcpsp_known_read_hrs(path, NULL, &h, err, sizeof err), 0);
    CHECK_INT(h.n, 600);
    CHECK(pj_rcpsp_known_find(&h, "j12060_10.sm") != NULL);
    /* The README: 59 entries of j120hrs.sm beat the CSV upper bound. */
    int better = 0;
    for (int i = 0; i < o.n; i++) {
        const pj_rcpsp_known *x = pj_rcpsp_known_find(&h, o.v[i].name);
        CHECK(x != NULL);
        if (x->ub < o.v[i].ub) better++;
    }
    CHECK_INT(better, 59);
    pj_rcpsp_known_merge(&o, &h);
    for (int i = 0; i < o.n; i++) {
        const pj_rcpsp_known *x = pj_rcpsp_known_find(&h, o.v[i].name);
        CHECK(o.v[i].ub <= x->ub);
        CHECK(o.v[i].lb <= o.v[i].ub);
    }
    pj_rcpsp_known_free(&o);
    pj_rcpsp_known_free(&h);
    pj_rcpsp_known_free(&h);
    /* Errors. */
    char *dir = (char *)t_tmpdir();
    snprintf(path, sizeof path, "%s/bad.csv", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs("problem,optimum\nj301_1.sm,43\nj301_2.sm,4x7\n", f);
    fclose(f);
    CHECK_INT(pj_rcpsp_known_read_csv(path, &o, err, sizeof err), -1);
    CHECK(strstr(err, ":3:") != NULL);
    CHECK(o.v == NULL);
    CHECK_INT(pj_rcpsp_known_read_csv("/nonexistent.csv", &o, err, sizeof err), -1);
    snprintf(path, sizeof path, "%s/j30hrs.sm", dir);
    f = fopen(path, "w");
    CHECK(f != NULL);
    fputs("Par\tInst\tMakespan\n====\n1\t1\t43\tdate\n1\t2\n", f);
    fclose(f);
    CHECK_INT(pj_rcpsp_known_read_hrs(path, NULL, &h, err, sizeof err), -1);
    CHECK(strstr(err, ":4:") != NULL);
}

/* ---- PSPLIB j30 subset ------------------------------------------------------------------------
 */

TEST_T(rcpsp_j30_subset, 120)
{
    char path[1024], err[256];
    pj_rcpsp_known_set o;
    snprintf(path, sizeof path, "%s/rcpsp/j30_optimum.csv", t_benchmarks_dir());
    CHECK_INT(pj_rcpsp_known_read_csv(path, &o, err, sizeof err), 0);
    /* 20 instances spread over the 48 parameter classes: j30{par}_{1 + par % 10}, par =
     * 1, 3, 5, ... 39. The schedule budget (not time) ends the search: the same result in
     * every build. */
    double dev = 0;
    int cnt = 0, worst = 0, hits = 0;
    for (int par = 1; par <= 48 && cnt < 20; par += 2) {
        char name[40];
        snprintf(name, sizeof name, "j30%d_%d.sm", par, 1 + par % 10);
        snprintf(path, sizeof path, "%s/rcpsp/j30/%s", t_benchmarks_dir(), name);
        pj_rcpsp p;
        if (pj_rcpsp_read_sm(path, &p, err, sizeof err)) t_fail(__FILE__, __LINE__, "%s", err);
        const pj_rcpsp_known *k = pj_rcpsp_known_find(&o, name);
        CHECK(k != NULL && k->lb == k->ub);
        pj_rcpsp_params prm = {0};
        prm.max_schedules = 20000;
        pj_algo_opts op = {60, 1, NULL, NULL};
        pj_rcpsp_sol s;
        CHECK_INT(pj_rcpsp_solve(&p, &prm, &op, &s), PJ_RCPSP_OK);
        check_schedule(&p, &s);
        CHECK(s.makespan >= k->ub); /* never below a proven optimum */
        int d = s.makespan - k->ub;
        if (d > worst) worst = d;
        if (d == 0) hits++;
        dev += (double)d / k->ub;
        cnt++;
        pj_rcpsp_sol_free(&s);
        pj_rcpsp_free(&p);
    }
    dev /= cnt;
    printf("j30 subset: %d instances, %d optimal, avg deviation %.3f %%, worst +%d\n", cnt, hits,
           100 * dev, worst);
    /* Tolerances: with 20000 schedules the GA is within one time unit of the optimum on every
     * j30 instance we have run (full set, 50000 schedules: 0.0x % average deviation, all
     * misses by 1). At most one miss in 20 here: 1/20 of ~1/60 (one unit on a makespan of
     * 40-100) is 0.1 %. */
    CHECK(worst <= 1);
    CHECK(hits >= cnt - 1);
    CHECK(dev <= 0.001);
    pj_rcpsp_known_free(&o);
}

/* ---- District scale -------------------------------------------------------------------------- */

TEST(rcpsp_district_scale)
{
    /* 300 facilities x 15 steps, 7 team types; each manual is a chain with a few parallel
     * branches; each step needs 1-2 teams of one type; capacities 3..10 teams. */
    int F = 300, S = 15, K = 7, n = F * S;
    uint64_t rng = 2024;
    pj_rcpsp p;
    memset(&p, 0, sizeof p);
    p.n_jobs = n;
    p.n_res = K;
    p.duration = malloc((size_t)n * sizeof(int));
    p.demand = calloc((size_t)n * K, sizeof(int));
    p.capacity = malloc((size_t)K * sizeof(int));
    p.succ_start = malloc(((size_t)n + 1) * sizeof(int));
    p.succ = malloc((size_t)n * 2 * sizeof(int));
    p.n_projects = F;
    p.project = malloc((size_t)n * sizeof(int));
    p.project_value = malloc((size_t)F * sizeof(double));
    for (int k = 0; k < K; k++) p.capacity[k] = 3 + (int)pj_rng_below(&rng, 8);
    int m = 0;
    for (int f = 0; f < F; f++) {
        p.project_value[f] = 20 + (int)pj_rng_below(&rng, 200);
        for (int s = 0; s < S; s++) {
            int j = f * S + s;
            p.project[j] = f;
            p.duration[j] = 1 + (int)pj_rng_below(&rng, 5);
            p.demand[j * K + (int)pj_rng_below(&rng, (uint32_t)K)] = 1 + (int)pj_rng_below(&rng, 2);
            p.succ_start[j] = m;
            if (s + 1 < S) p.succ[m++] = j + 1;
            if (s + 2 < S && s % 4 == 0) p.succ[m++] = j + 2;
        }
    }
    p.succ_start[n] = m;
    int san = getenv("PJ_SANITIZED") != NULL;
    pj_algo_opts o = {san ? 20 : 5, 7, NULL, NULL};
    pj_rcpsp_sol s;
    double t0 = pj_algo_now();
    CHECK_INT(pj_rcpsp_solve(&p, NULL, &o, &s), PJ_RCPSP_OK);
    double dt = pj_algo_now() - t0;
    printf("district 300x15x7: makespan %d (lb %.0f, gap %.1f %%), %ld schedules, %.3f s\n",
           s.makespan, s.stats.lower_bound, 100 * s.stats.gap, s.schedules, dt);
    /* its speed is measured by bench/algo_rcpsp, not asserted here */
    CHECK(s.stats.gap < 0.05);
    CHECK(s.n_curve >= 1 && s.n_curve <= F);
    CHECK_INT(s.curve[s.n_curve - 1].t, s.makespan);
    char err[200];
    if (pj_rcpsp_verify(&p, s.start, s.makespan, err, sizeof err))
        t_fail(__FILE__, __LINE__, "%s", err);
    /* Better than the LFT rule. */
    pj_rcpsp_params rp = {0};
    rp.method = PJ_RCPSP_METHOD_RULE;
    pj_rcpsp_sol r;
    CHECK_INT(pj_rcpsp_solve(&p, &rp, NULL, &r), PJ_RCPSP_OK);
    CHECK(s.makespan <= r.makespan);
    pj_rcpsp_sol_free(&r);
    pj_rcpsp_sol_free(&s);
    pj_rcpsp_free(&p);
}

/* ---- Time limit, progress ---------------------------------------------------------------------
 */

static void on_progress(void *ud, double frac)
{
    double *last = ud;
    CHECK(frac >= 0 && frac <= 1.0 + 1e-9);
    *last = frac;
}

TEST(rcpsp_time_limit)
{
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/rcpsp/j120/j1201_1.sm", t_benchmarks_dir());
    pj_rcpsp p;
    CHECK_INT(pj_rcpsp_read_sm(path, &p, err, sizeof err), 0);
    pj_rcpsp_params prm = {0};
    prm.max_schedules = 100000000;
    double last = -1;
    pj_algo_opts o = {0.3, 3, on_progress, &last};
    pj_rcpsp_sol s;
    CHECK_INT(pj_rcpsp_solve(&p, &prm, &o, &s), PJ_RCPSP_OK);
    CHECK_INT(s.stats.time_limit_hit, 1);
    CHECK(s.stats.time_s < 5.0); /* the 0.3 s limit is honoured (generous for a loaded machine) */
    CHECK_NEAR(last, 1.0, 1e-9);
    check_schedule(&p, &s);
    CHECK(s.stats.gap > 0 && s.stats.gap < 0.5);
    pj_rcpsp_sol_free(&s);
    /* A tiny schedule budget still returns a valid schedule. */
    prm.max_schedules = 1;
    CHECK_INT(pj_rcpsp_solve(&p, &prm, NULL, &s), PJ_RCPSP_OK);
    check_schedule(&p, &s);
    CHECK(s.schedules <= 2);
    pj_rcpsp_sol_free(&s);
    pj_rcpsp_free(&p);
}

static int always_cancelled(void *ud)
{
    ++*(int *)ud;
    return 1;
}

/* A stop request (the server stopping while a plan solves) or the clock also ends the exact
 * branch-and-bound of a small schedule (≤ PJ_RCPSP_EXACT_MAX_JOBS jobs): it used to count
 * only its nodes (400,000), so a plan's schedule ran six times past a 0.05 s limit, and under
 * a sanitizer for minutes. Asked to stop from the start, the solve returns its first valid
 * schedule flagged time_limit_hit, and claims optimality only where a simple bound proves it
 * — never by a search it was told to end. */
TEST(rcpsp_exact_search_stops_when_asked)
{
    uint64_t rng = 777;
    int unproved = 0;
    for (int r = 0; r < 40; r++) {
        rinst ri;
        rinst_make(&ri, &rng, PJ_RCPSP_EXACT_MAX_JOBS, 2, 9, 10, 0);
        pj_rcpsp_params prm = {0};
        int calls = 0;
        pj_algo_opts o = {30, (uint64_t)r, NULL, NULL, always_cancelled, &calls};
        pj_rcpsp_sol s;
        CHECK_INT(pj_rcpsp_solve(&ri.p, &prm, &o, &s), PJ_RCPSP_OK);
        check_schedule(&ri.p, &s);
        CHECK_INT(s.stats.time_limit_hit, 1);
        CHECK(calls >= 1);
        int simple = s.cp_bound > s.res_bound ? s.cp_bound : s.res_bound;
        if (s.stats.optimal)
            CHECK_INT(s.makespan, simple);
        else
            unproved++;
        pj_rcpsp_sol_free(&s);
        pj_rcpsp_free(&ri.p);
    }
    /* the instances leave the search work to do */
    CHECK(unproved >= 5);
}
