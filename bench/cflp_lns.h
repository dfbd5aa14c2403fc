/* A large-neighbourhood search over whole-village plans with exact sub-problems, as a
 * measurement of how far better plans of a single-source instance lie (benchmarks only; not
 * deterministic: each sub-problem is cut by the wall clock).
 *
 * From a plan, each round picks a village at random, takes the `near` open sites serving the
 * villages closest to it (village to village: the shortest way through any site), frees all
 * villages those sites serve, and offers them those sites plus, for each freed village, its
 * `cand` sites cheapest per person (distance cost plus the site's fixed cost per bed) that
 * serve no village outside the neighbourhood. GLPK solves that sub-instance (the strong
 * model, the current plan as its first incumbent) within `sub_secs`; a better sub-plan
 * replaces the old one. */
#ifndef PJ_BENCH_CFLP_LNS_H
#define PJ_BENCH_CFLP_LNS_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "algo/cflp.h"

typedef struct lns_result {
    double start, best; /* objective of the plan it started from, of the best it found */
    int rounds, improved, unproven; /* rounds; rounds that improved; sub-problems not solved
                                       to optimality in sub_secs */
    double secs, best_at;           /* time spent; when the best was found */
} lns_result;

typedef struct lns_key {
    double k;
    int i;
} lns_key;

static int lns_cmp(const void *a, const void *b)
{
    double x = ((const lns_key *)a)->k, y = ((const lns_key *)b)->k;
    return x < y ? -1 : x > y;
}

static double lns_objective(const pj_cflp *in, const int *asg, unsigned char *seen)
{
    double t = 0;
    memset(seen, 0, (size_t)in->m);
    for (int j = 0; j < in->n; j++) {
        int i = asg[j];
        t += in->cost[(size_t)i * (size_t)in->n + (size_t)j];
        if (!seen[i]) seen[i] = 1, t += in->fixed_cost[i];
    }
    return t;
}

/* Improves asg (n sites, a feasible single-source plan of in) for secs seconds. Returns -1
 * when out of memory. */
static int lns_run(const pj_cflp *in, int *asg, double secs, int near, int cand, double sub_secs,
                   uint64_t seed, lns_result *r)
{
    if (in->m <= 0 || in->n <= 0) return -1;
    int m = in->m, n = in->n;
    size_t mn = (size_t)m * (size_t)n;
    double *per = malloc(mn * sizeof(double)), *vv = malloc((size_t)n * n * sizeof(double));
    lns_key *ord = malloc((size_t)(m > n ? m : n) * sizeof(lns_key));
    int *sites = malloc((size_t)m * sizeof(int)), *vil = malloc((size_t)n * sizeof(int));
    int *sa = malloc((size_t)n * sizeof(int)), *outside = malloc((size_t)m * sizeof(int));
    unsigned char *insite = malloc((size_t)m), *invil = malloc((size_t)n), *so = malloc((size_t)m);
    int rc = -1;
    if (!per || !vv || !ord || !sites || !vil || !sa || !outside || !insite || !invil || !so)
        goto out;
    memset(r, 0, sizeof *r);
    double t0 = pj_algo_now();
    /* per person: km-proportional cost; village to village through the best site */
    for (size_t k = 0; k < mn; k++) per[k] = in->cost[k] / in->demand[k % (size_t)n];
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            double best = INFINITY;
            for (int i = 0; i < m; i++) {
                double x = per[(size_t)i * n + a] + per[(size_t)i * n + b];
                if (x < best) best = x;
            }
            vv[(size_t)a * n + b] = best;
        }
    r->start = r->best = lns_objective(in, asg, so);
    uint64_t s = seed * 2654435761u + 88172645463325252ULL;
    while (pj_algo_now() - t0 < secs) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        int j0 = (int)(s % (uint64_t)n);
        for (int b = 0; b < n; b++) ord[b] = (lns_key){vv[(size_t)j0 * n + b], b};
        qsort(ord, (size_t)n, sizeof *ord, lns_cmp);
        memset(insite, 0, (size_t)m);
        memset(invil, 0, (size_t)n);
        int ns = 0, nv = 0, nopen = 0;
        for (int t = 0; t < n && nopen < near; t++) {
            int i = asg[ord[t].i];
            if (!insite[i]) insite[i] = 1, sites[ns++] = i, nopen++;
        }
        for (int j = 0; j < n; j++)
            if (insite[asg[j]]) invil[j] = 1, vil[nv++] = j;
        memset(outside, 0, (size_t)m * sizeof(int));
        for (int j = 0; j < n; j++)
            if (!invil[j]) outside[asg[j]] = 1;
        for (int q = 0; q < nv; q++) {
            int j = vil[q], got = 0;
            for (int i = 0; i < m; i++)
                ord[i] = (lns_key){per[(size_t)i * n + j] + in->fixed_cost[i] / in->capacity[i], i};
            qsort(ord, (size_t)m, sizeof *ord, lns_cmp);
            for (int t = 0; t < m && got < cand && isfinite(ord[t].k); t++) {
                int i = ord[t].i;
                if (outside[i] || (in->allowed && !in->allowed[i])) continue;
                if (!insite[i]) insite[i] = 1, sites[ns++] = i;
                got++;
            }
        }
        if (ns <= 0 || nv <= 0) continue;
        pj_cflp sub;
        if (pj_cflp_init(&sub, ns, nv)) goto out;
        double before = 0;
        memset(so, 0, (size_t)ns);
        for (int a = 0; a < ns; a++)
            sub.capacity[a] = in->capacity[sites[a]], sub.fixed_cost[a] = in->fixed_cost[sites[a]];
        for (int b = 0; b < nv; b++) {
            sub.demand[b] = in->demand[vil[b]];
            for (int a = 0; a < ns; a++) {
                sub.cost[(size_t)a * nv + b] = in->cost[(size_t)sites[a] * n + vil[b]];
                if (sites[a] == asg[vil[b]]) sa[b] = a, so[a] = 1;
            }
            before += sub.cost[(size_t)sa[b] * nv + b];
        }
        for (int a = 0; a < ns; a++)
            if (so[a]) before += sub.fixed_cost[a];
        pj_cflp_result st, rr;
        memset(&st, 0, sizeof st);
        pj_algo_opts o = {.time_limit_s = sub_secs};
        if (pj_cflp_result_set(&st, &sub, PJ_CFLP_SINGLE, so, NULL, sa)) {
            pj_cflp_free(&sub);
            goto out;
        }
        pj_cflp_mip_glpk(&sub, PJ_CFLP_SINGLE, &o, &st, &rr);
        r->rounds++;
        if (!rr.stats.optimal) r->unproven++;
        if (rr.status == PJ_CFLP_OK && rr.stats.objective < before - 1e-6 * (1 + before)) {
            for (int b = 0; b < nv; b++) asg[vil[b]] = sites[rr.assign[b]];
            r->best = lns_objective(in, asg, insite);
            r->improved++;
            r->best_at = pj_algo_now() - t0;
        }
        pj_cflp_result_free(&rr);
        pj_cflp_result_free(&st);
        pj_cflp_free(&sub);
    }
    r->secs = pj_algo_now() - t0;
    rc = 0;
out:
    free(per), free(vv), free(ord), free(sites), free(vil), free(sa), free(outside);
    free(insite), free(invil), free(so);
    return rc;
}

#endif
