/* Critical path: equals the brute-force longest path on random small DAGs; cycles found. */
#include <stdlib.h>
#include <string.h>

#include "algo/algo.h"
#include "algo/cpm.h"
#include "t.h"

/* longest path ending at v (brute force over all predecessor chains) */
static double longest_to(int v, const double *dur, const int *np, int pred[][8])
{
    double best = 0;
    for (int k = 0; k < np[v]; k++) {
        double x = longest_to(pred[v][k], dur, np, pred);
        if (x > best) best = x;
    }
    return best + dur[v];
}

TEST(cpm_matches_brute_force_on_random_dags)
{
    uint64_t rng = 42;
    for (int trial = 0; trial < 300; trial++) {
        int n = 1 + (int)pj_rng_below(&rng, 9);
        double dur[10];
        int np[10], pred[10][8];
        const int *pp[10];
        for (int i = 0; i < n; i++) {
            dur[i] = (double)pj_rng_below(&rng, 100);
            np[i] = 0;
            for (int j = 0; j < i && np[i] < 8; j++) /* edges only from lower indices: a DAG */
                if (pj_rng_below(&rng, 3) == 0) pred[i][np[i]++] = j;
            pp[i] = pred[i];
        }
        pj_cpm_result r;
        CHECK_INT(pj_cpm_solve(n, dur, np, pp, &r), 0);
        double brute = 0;
        for (int v = 0; v < n; v++) {
            double x = longest_to(v, dur, np, pred);
            if (x > brute) brute = x;
        }
        CHECK_NEAR(r.length, brute, 1e-9);
        /* the reported chain is a real path whose durations add up to the length */
        double sum = 0;
        for (int k = 0; k < r.path_len; k++) {
            int v = r.path[k];
            sum += dur[v];
            CHECK(r.critical[v]);
            if (k) {
                int linked = 0;
                for (int q = 0; q < np[v]; q++) linked |= pred[v][q] == r.path[k - 1];
                CHECK(linked);
            }
        }
        CHECK_NEAR(sum, r.length, 1e-9);
        for (int v = 0; v < n; v++) {
            CHECK(r.ls[v] >= r.es[v] - 1e-9);
            for (int q = 0; q < np[v]; q++) CHECK(r.es[v] >= r.ef[pred[v][q]] - 1e-9);
        }
        pj_cpm_free(&r);
    }
}

TEST(cpm_reports_a_cycle)
{
    /* 0 → 1 → 2 → 1 */
    double dur[3] = {1, 2, 3};
    int p0[1] = {0}, p1[2] = {0, 2}, p2[1] = {1};
    int np[3] = {0, 2, 1};
    const int *pp[3] = {p0, p1, p2};
    pj_cpm_result r;
    CHECK_INT(pj_cpm_solve(3, dur, np, pp, &r), -1);
    CHECK_INT(r.cycle_len, 2);
    CHECK((r.cycle[0] == 1 && r.cycle[1] == 2) || (r.cycle[0] == 2 && r.cycle[1] == 1));
    pj_cpm_free(&r);
    /* out-of-range predecessor */
    int bad[1] = {7};
    const int *pb[1] = {bad};
    int nb[1] = {1};
    CHECK_INT(pj_cpm_solve(1, dur, nb, pb, &r), -1);
    CHECK_INT(r.cycle_len, 0);
    pj_cpm_free(&r);
}
