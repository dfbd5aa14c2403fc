/* Tests of src/algo/assign: JV against brute force (square, rectangular, forbidden pairs, real
 * costs), dual certificate, OR-Library instances, reader errors, capacitated pairing. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/assign.h"
#include "t.h"

/* Minimum over injective maps rows -> columns avoiding non-finite costs (INFINITY if none). */
static double brute_rec(int n, int m, const double *c, int i, unsigned used)
{
    if (i == n) return 0;
    double best = INFINITY;
    for (int j = 0; j < m; j++) {
        if (used & (1u << j) || !isfinite(c[i * m + j])) continue;
        double r = c[i * m + j] + brute_rec(n, m, c, i + 1, used | (1u << j));
        if (r < best) best = r;
    }
    return best;
}

/* Structural checks on an OK solution and its dual certificate. */
static void check_solution(const pj_assign *p, const pj_assign_sol *s)
{
    int n = p->n, m = p->m;
    CHECK_INT(s->status, PJ_ASSIGN_OK);
    double cost = 0;
    int *seen = calloc((size_t)m + 1, sizeof(int));
    for (int i = 0; i < n; i++) {
        int j = s->row_to_col[i];
        CHECK(j >= 0 && j < m);
        CHECK(!seen[j]);
        seen[j] = 1;
        CHECK_INT(s->col_to_row[j], i);
        CHECK(isfinite(p->cost[i * m + j]));
        cost += p->cost[i * m + j];
    }
    for (int j = 0; j < m; j++)
        if (!seen[j]) CHECK_INT(s->col_to_row[j], -1);
    free(seen);
    CHECK_NEAR(s->cost, cost, 1e-9 * (1 + fabs(cost)));
    double dual = 0;
    for (int j = 0; j < m; j++) {
        CHECK(s->v[j] <= 0);
        dual += s->v[j];
    }
    for (int i = 0; i < n; i++) {
        dual += s->u[i];
        for (int j = 0; j < m; j++)
            if (isfinite(p->cost[i * m + j]))
                CHECK(s->u[i] + s->v[j] <= p->cost[i * m + j] + 1e-9 * (1 + fabs(cost)));
    }
    CHECK_NEAR(dual, cost, 1e-7 * (1 + fabs(cost)));
    CHECK_NEAR(s->stats.lower_bound, cost, 1e-7 * (1 + fabs(cost)));
    CHECK_INT(s->stats.optimal, 1);
    CHECK(s->stats.gap <= 1e-9);
}

/* Random tiny instances: n <= m <= 7, integer costs with many ties or real costs, optional
 * forbidden pairs; result must equal brute force, and infeasibility must agree. */
static void random_rounds(int rounds, int rect, int forbid, int real, uint64_t seed)
{
    uint64_t rng = seed;
    double c[64];
    for (int r = 0; r < rounds; r++) {
        int m = 1 + (int)pj_rng_below(&rng, 7);
        int n = rect ? 1 + (int)pj_rng_below(&rng, (uint32_t)m) : m;
        int range = 1 + (int)pj_rng_below(&rng, 20);
        for (int k = 0; k < n * m; k++) {
            c[k] =
                real ? pj_rng_unit(&rng) * 100 - 20 : (double)pj_rng_below(&rng, (uint32_t)range);
            if (forbid && pj_rng_below(&rng, 100) < 35) c[k] = INFINITY;
        }
        pj_assign p = {n, m, c};
        pj_assign_sol s;
        int st = pj_assign_solve(&p, NULL, &s);
        double best = brute_rec(n, m, c, 0, 0);
        if (!isfinite(best)) {
            CHECK_INT(st, PJ_ASSIGN_INFEASIBLE);
            CHECK(!isfinite(s.stats.lower_bound));
        } else {
            check_solution(&p, &s);
            CHECK_NEAR(s.cost, best, 1e-9 * (1 + fabs(best)));
        }
        pj_assign_sol_free(&s);
    }
}

TEST(assign_brute_square_int)
{
    random_rounds(3000, 0, 0, 0, 11);
}

TEST(assign_brute_rect_int)
{
    random_rounds(3000, 1, 0, 0, 12);
}

TEST(assign_brute_forbidden)
{
    random_rounds(600, 0, 1, 0, 13);
    random_rounds(600, 1, 1, 0, 14);
}

TEST(assign_brute_real_costs)
{
    random_rounds(400, 0, 0, 1, 15);
    random_rounds(400, 1, 0, 1, 16);
}

/* Larger random square instances exercise the row reduction; the certificate must close. */
TEST(assign_random_medium_certificate)
{
    uint64_t rng = 99;
    int sizes[] = {50, 120, 200};
    for (int t = 0; t < 3; t++) {
        int n = sizes[t], m = n + (t == 1 ? 17 : 0);
        double *c = malloc(sizeof(double) * (size_t)n * (size_t)m);
        for (int k = 0; k < n * m; k++) c[k] = (double)pj_rng_below(&rng, t == 2 ? 5 : 1000);
        pj_assign p = {n, m, c};
        pj_assign_sol s;
        pj_assign_solve(&p, NULL, &s);
        check_solution(&p, &s);
        pj_assign_sol_free(&s);
        free(c);
    }
}

TEST(assign_edge_cases)
{
    pj_assign_sol s;
    double c1[] = {7};
    pj_assign p1 = {1, 1, c1};
    CHECK_INT(pj_assign_solve(&p1, NULL, &s), PJ_ASSIGN_OK);
    CHECK_INT(s.row_to_col[0], 0);
    CHECK_NEAR(s.cost, 7, 0);
    pj_assign_sol_free(&s);
    pj_assign_sol_free(&s); /* idempotent */

    pj_assign p0 = {0, 3, NULL};
    CHECK_INT(pj_assign_solve(&p0, NULL, &s), PJ_ASSIGN_OK);
    CHECK_NEAR(s.cost, 0, 0);
    CHECK_INT(s.col_to_row[2], -1);
    pj_assign_sol_free(&s);

    double c23[6] = {1, 2, 3, 4, 5, 6};
    pj_assign bad = {3, 2, c23}; /* n > m */
    CHECK_INT(pj_assign_solve(&bad, NULL, &s), PJ_ASSIGN_EINVAL);
    CHECK(s.row_to_col == NULL);
    pj_assign nul = {2, 2, NULL};
    CHECK_INT(pj_assign_solve(&nul, NULL, &s), PJ_ASSIGN_EINVAL);

    /* A row with every pair forbidden; a column-feasible but row-infeasible square. */
    double cinf[4] = {1, 2, INFINITY, INFINITY};
    pj_assign pinf = {2, 2, cinf};
    CHECK_INT(pj_assign_solve(&pinf, NULL, &s), PJ_ASSIGN_INFEASIBLE);
    pj_assign_sol_free(&s);
    double chall[9] = {1, INFINITY, INFINITY, 2, INFINITY, INFINITY, 3, 4, 5}; /* Hall fails */
    pj_assign phall = {3, 3, chall};
    CHECK_INT(pj_assign_solve(&phall, NULL, &s), PJ_ASSIGN_INFEASIBLE);
    pj_assign_sol_free(&s);
    double cnan[4] = {NAN, 1, 1, 5};
    pj_assign pnan = {2, 2, cnan}; /* NaN counts as forbidden */
    CHECK_INT(pj_assign_solve(&pnan, NULL, &s), PJ_ASSIGN_OK);
    CHECK_NEAR(s.cost, 2, 0);
    pj_assign_sol_free(&s);
}

static void orlib(const char *name, double opt, double max_s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/assignment/orlib_assign/%s.txt", t_benchmarks_dir(), name);
    int n;
    double *c;
    char err[256];
    int rc = pj_assign_read_orlib(path, &n, &c, err, sizeof err);
    if (rc != 0) t_fail(__FILE__, __LINE__, "read %s: %s", name, err);
    pj_assign p = {n, n, c};
    pj_assign_sol s;
    CHECK_INT(pj_assign_solve(&p, NULL, &s), PJ_ASSIGN_OK);
    CHECK_NEAR(s.cost, opt, 0);
    CHECK_NEAR(s.stats.lower_bound, opt, 1e-6);
    CHECK_INT(s.stats.optimal, 1);
    check_solution(&p, &s);
    (void)max_s; /* speed is measured by bench/algo_assign, not asserted here */
    pj_assign_sol_free(&s);
    free(c);
}

TEST(assign_orlib_assign100)
{
    orlib("assign100", 305, 0.1);
}

TEST(assign_orlib_assign500)
{
    orlib("assign500", 991, 0.5);
}

static const char *write_file(const char *name, const char *text)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", t_tmpdir(), name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
    return path;
}

TEST(assign_reader_ok_and_errors)
{
    int n;
    double *c = (double *)1;
    char err[256];
    CHECK_INT(
        pj_assign_read_orlib(write_file("ok.txt", " 2\n 1 2\n3\n 4 \n"), &n, &c, err, sizeof err),
        0);
    CHECK_INT(n, 2);
    CHECK(c[0] == 1 && c[1] == 2 && c[2] == 3 && c[3] == 4);
    free(c);

    struct {
        const char *text, *needle;
    } bad[] = {
        {"", "empty"},
        {"   \n\n", "empty"},
        {"0\n", "bad size"},
        {"-3\n1 2 3", "bad size"},
        {"abc\n", "bad size"},
        {"2.5\n1 2 3 4", "bad size"},
        {"999999\n1", "bad size"},
        {"2\n1 2 3", "truncated"},
        {"2\n1 2 x 4", "bad cost"},
        {"2\n1 2 3 4 5", "trailing"},
        {"2\n1 2 3 inf", "bad cost"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char fname[32];
        snprintf(fname, sizeof fname, "bad%zu.txt", k);
        c = (double *)1;
        CHECK_INT(pj_assign_read_orlib(write_file(fname, bad[k].text), &n, &c, err, sizeof err),
                  -1);
        CHECK(c == NULL);
        if (!strstr(err, bad[k].needle)) t_fail(__FILE__, __LINE__, "case %zu: %s", k, err);
    }
    CHECK_INT(pj_assign_read_orlib("/nonexistent/assign.txt", &n, &c, err, sizeof err), -1);
    CHECK(strstr(err, "No such file") != NULL);
    CHECK_INT(pj_assign_read_orlib("/nonexistent/assign.txt", &n, &c, NULL, 0), -1);
}

/* ---- capacitated pairing ---- */

struct capb {
    const pj_assign_cap *p;
    int *load;
    int best_n;
    int64_t best_cost;
};

static void cap_rec(struct capb *b, int col, int cnt, int64_t cost)
{
    if (col == b->p->n_cols) {
        if (cnt > b->best_n || (cnt == b->best_n && cost < b->best_cost)) {
            b->best_n = cnt;
            b->best_cost = cost;
        }
        return;
    }
    cap_rec(b, col + 1, cnt, cost); /* column left unassigned */
    for (int e = 0; e < b->p->n_edges; e++) {
        const pj_assign_edge *ed = &b->p->edges[e];
        if (ed->col != col) continue;
        int cap = b->p->row_cap ? b->p->row_cap[ed->row] : 1;
        if (b->load[ed->row] >= cap) continue;
        b->load[ed->row]++;
        cap_rec(b, col + 1, cnt + 1, cost + ed->cost);
        b->load[ed->row]--;
    }
}

TEST(assign_cap_brute)
{
    uint64_t rng = 21;
    for (int r = 0; r < 400; r++) {
        int nr = 1 + (int)pj_rng_below(&rng, 3), nc = 1 + (int)pj_rng_below(&rng, 6);
        int caps[3];
        for (int i = 0; i < nr; i++) caps[i] = (int)pj_rng_below(&rng, 4);
        pj_assign_edge ed[24];
        int ne = 0;
        for (int i = 0; i < nr; i++)
            for (int j = 0; j < nc; j++)
                if (pj_rng_below(&rng, 100) < 60)
                    ed[ne++] = (pj_assign_edge){i, j, (int64_t)pj_rng_below(&rng, 30) - 5};
        pj_assign_cap p = {nr, nc, r % 5 == 0 ? NULL : caps, ne, ed};
        int load[3] = {0, 0, 0};
        struct capb b = {&p, load, -1, 0};
        cap_rec(&b, 0, 0, 0);
        pj_assign_cap_sol s;
        CHECK_INT(pj_assign_cap_solve(&p, NULL, &s), PJ_ASSIGN_OK);
        CHECK_INT(s.n_assigned, b.best_n);
        CHECK_INT(s.cost, b.best_cost);
        CHECK_INT(s.stats.optimal, 1);
        /* Recompute from the pairs. */
        int64_t cost = 0;
        int cnt = 0, rl[3] = {0, 0, 0};
        for (int j = 0; j < nc; j++) {
            int i = s.col_to_row[j];
            if (i < 0) continue;
            CHECK(i < nr);
            int64_t best = INT64_MAX;
            for (int e = 0; e < ne; e++)
                if (ed[e].row == i && ed[e].col == j && ed[e].cost < best) best = ed[e].cost;
            CHECK(best != INT64_MAX);
            cost += best;
            cnt++;
            rl[i]++;
        }
        CHECK_INT(cnt, s.n_assigned);
        CHECK_INT(cost, s.cost);
        for (int i = 0; i < nr; i++) {
            CHECK_INT(rl[i], s.row_load[i]);
            CHECK(rl[i] <= (p.row_cap ? caps[i] : 1));
        }
        pj_assign_cap_sol_free(&s);
    }
}

TEST(assign_cap_invalid)
{
    pj_assign_cap_sol s;
    pj_assign_edge ed[] = {{0, 5, 1}};
    pj_assign_cap p = {1, 2, NULL, 1, ed}; /* column out of range */
    CHECK_INT(pj_assign_cap_solve(&p, NULL, &s), PJ_ASSIGN_EINVAL);
    CHECK(s.col_to_row == NULL);
    int caps[] = {-1};
    pj_assign_edge ok[] = {{0, 1, 1}};
    pj_assign_cap q = {1, 2, caps, 1, ok};
    CHECK_INT(pj_assign_cap_solve(&q, NULL, &s), PJ_ASSIGN_EINVAL);
    pj_assign_cap e = {0, 0, NULL, 0, NULL};
    CHECK_INT(pj_assign_cap_solve(&e, NULL, &s), PJ_ASSIGN_OK);
    CHECK_INT(s.n_assigned, 0);
    pj_assign_cap_sol_free(&s);
}
