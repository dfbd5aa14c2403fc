/* The single-source facility-location relaxation solved to its optimum, as the reference for
 * the solver's bound on large instances (benchmarks only; needs Clp and CBC).
 *
 * pj_cflp_solve bounds a single-source instance by Lagrangian relaxation of "every customer
 * served once", each site's subproblem a 0-1 knapsack, maximised by subgradient steps. The
 * best bound that relaxation can give is the Dantzig-Wolfe bound: the LP over site columns
 * (a site with a subset of customers that fits its capacity)
 *     min sum_c cost_c x_c   s.t.  sum_{c covers j} x_c = 1 (each customer j),
 *                                  sum_{c at i} x_c <= 1 (each site i),
 *                                  sum_c capacity_c x_c >= total demand,   x >= 0,
 * solved here by column generation: Clp for the master LP, each site's pricing an exact 0-1
 * knapsack by dynamic programming (integer demands and capacities). Every round's duals
 * (pi, rho) give a valid bound
 *     L = sum_j pi_j + rho D + sum_i min(0, f_i - rho s_i - max knapsack profit of pi_j - c_ij),
 * and when no column prices out, L equals the master's value: the relaxation's optimum.
 * Optionally CBC then solves the master as an integer program over the generated columns
 * (its root cuts say how much a cutting-plane method could add to the bound; its solutions
 * are whole-village plans restricted to those columns). */
#ifndef PJ_BENCH_CFLP_DW_H
#define PJ_BENCH_CFLP_DW_H

#include <coin/Cbc_C_Interface.h>
#include <coin/Clp_C_Interface.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "algo/cflp.h"

typedef struct dw_result {
    double bound;    /* the best round's Lagrangian bound (valid for the single-source optimum) */
    double master;   /* the master LP's value when it stopped (== bound when converged) */
    int rounds;      /* pricing rounds */
    long columns;    /* site columns generated */
    int converged;   /* no column priced out: bound is the relaxation's optimum */
    double secs;     /* column generation's wall time */
    double ip_obj;   /* CBC on the generated columns (NAN when not asked or none found) */
    double ip_bound; /* its bound (over those columns only: not a bound for the instance) */
    double ip_secs;
    char message[160]; /* why it did not run, when it returns -1 */
} dw_result;

static double dw_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Exact 0-1 knapsack by dynamic programming: items t < k with profit p[t] > 0 and integer
 * weight w[t] >= 0, integer capacity W; tb is a k x (W+1) byte table, best a W+1 buffer.
 * Returns the best profit and marks take[t]. */
static double dw_knap(int k, const double *p, const int *w, int W, unsigned char *tb, double *best,
                      unsigned char *take)
{
    for (int c = 0; c <= W; c++) best[c] = 0;
    for (int t = 0; t < k; t++) {
        unsigned char *row = tb + (size_t)t * (size_t)(W + 1);
        memset(row, 0, (size_t)W + 1);
        for (int c = W; c >= w[t]; c--)
            if (best[c - w[t]] + p[t] > best[c]) best[c] = best[c - w[t]] + p[t], row[c] = 1;
    }
    double z = best[W];
    for (int t = k - 1, c = W; t >= 0; t--) {
        take[t] = tb[(size_t)t * (size_t)(W + 1) + (size_t)c];
        if (take[t]) c -= w[t];
    }
    return z;
}

/* Column generation for the single-source relaxation of inst (at most max_rounds rounds);
 * then, when ip_secs > 0, CBC on the master over the generated columns for up to ip_secs.
 * Returns 0, or -1 when the instance does not suit (non-integer demands or capacities, a
 * capacity above 10^6) with r->message set. */
static int dw_solve(const pj_cflp *in, int max_rounds, double ip_secs, dw_result *r)
{
    memset(r, 0, sizeof *r);
    r->bound = -INFINITY;
    r->ip_obj = r->ip_bound = NAN;
    int m = in->m, n = in->n, Wmax = 0;
    double D = 0, big = 0;
    for (int j = 0; j < n; j++) {
        if (in->demand[j] != floor(in->demand[j])) {
            snprintf(r->message, sizeof r->message, "demand of customer %d is not whole", j);
            return -1;
        }
        D += in->demand[j];
    }
    for (int i = 0; i < m; i++) {
        double s = in->capacity[i];
        if (s != floor(s) || s > 1e6) {
            snprintf(r->message, sizeof r->message, "capacity of site %d unsuited", i);
            return -1;
        }
        if (s > Wmax) Wmax = (int)s;
        double cmax = 0;
        for (int j = 0; j < n; j++) {
            double c = in->cost[(size_t)i * (size_t)n + (size_t)j];
            if (isfinite(c) && c > cmax) cmax = c;
        }
        big = fmax(big, in->fixed_cost[i] + cmax);
    }
    big = 10 * (big + 1) * (n + 1); /* an artificial costs more than any whole solution */
    double t0 = dw_now();
    int nrow = n + m + 1;
    double *rl = malloc(sizeof(double) * (size_t)nrow), *ru = malloc(sizeof(double) * (size_t)nrow);
    double *pi = malloc(sizeof(double) * (size_t)n), *ip = malloc(sizeof(double) * (size_t)n);
    int *iw = malloc(sizeof(int) * (size_t)n), *ij = malloc(sizeof(int) * (size_t)n);
    int *ri = malloc(sizeof(int) * (size_t)(n + 2));
    double *rv = malloc(sizeof(double) * (size_t)(n + 2));
    unsigned char *take = malloc((size_t)n);
    unsigned char *tb = malloc((size_t)n * (size_t)(Wmax + 1));
    double *best = malloc(sizeof(double) * (size_t)(Wmax + 1));
    for (int j = 0; j < n; j++) rl[j] = ru[j] = 1;
    for (int i = 0; i < m; i++) rl[n + i] = -1e30, ru[n + i] = 1;
    rl[n + m] = D, ru[n + m] = 1e30;
    Clp_Simplex *s = Clp_newModel();
    Clp_setLogLevel(s, 0);
    CoinBigIndex st0 = 0, cs[2] = {0, 1};
    Clp_loadProblem(s, 0, nrow, &st0, NULL, NULL, NULL, NULL, NULL, rl, ru);
    double lo = 0, hi = 1e30, one = 1;
    for (int j = 0; j <= n; j++) { /* artificials: each customer's row, then the cover */
        ri[0] = j < n ? j : n + m;
        rv[0] = j < n ? 1 : D;
        Clp_addColumns(s, 1, &lo, &hi, &big, cs, ri, rv);
    }
    for (r->rounds = 0; r->rounds < max_rounds; r->rounds++) {
        Clp_primal(s, 0);
        r->master = Clp_objectiveValue(s);
        const double *du = Clp_getRowPrice(s);
        memcpy(pi, du, sizeof(double) * (size_t)n);
        double rho = du[n + m], L = rho * D;
        for (int j = 0; j < n; j++) L += pi[j];
        int added = 0;
        for (int i = 0; i < m; i++) {
            if (in->allowed && !in->allowed[i]) continue;
            int k = 0;
            for (int j = 0; j < n; j++) {
                double c = in->cost[(size_t)i * (size_t)n + (size_t)j];
                if (!isfinite(c) || c >= pi[j]) continue;
                ip[k] = pi[j] - c, iw[k] = (int)in->demand[j], ij[k] = j, k++;
            }
            double prof = dw_knap(k, ip, iw, (int)in->capacity[i], tb, best, take);
            double fi = in->fixed_cost[i] - rho * in->capacity[i];
            if (fi - prof < 0) L += fi - prof;
            if (fi - prof - du[n + i] >= -1e-7 * (1 + fabs(in->fixed_cost[i]))) continue;
            int q = 0;
            double z0 = in->fixed_cost[i];
            for (int t = 0; t < k; t++)
                if (take[t]) {
                    ri[q] = ij[t], rv[q++] = 1;
                    z0 += in->cost[(size_t)i * (size_t)n + (size_t)ij[t]];
                }
            ri[q] = n + i, rv[q++] = 1;
            ri[q] = n + m, rv[q++] = in->capacity[i];
            cs[1] = q;
            Clp_addColumns(s, 1, &lo, &one, &z0, cs, ri, rv);
            added++;
        }
        r->columns += added;
        if (L > r->bound) r->bound = L;
        if (!added) {
            r->converged = 1;
            break;
        }
    }
    r->secs = dw_now() - t0;
    if (ip_secs > 0) {
        /* the master over its columns as an integer program (artificials stay continuous) */
        int nc = Clp_numberColumns(s);
        const CoinBigIndex *vs = Clp_getVectorStarts(s);
        const int *vl = Clp_getVectorLengths(s), *ix = Clp_getIndices(s);
        const double *el = Clp_getElements(s);
        CoinBigIndex *st = malloc(sizeof(CoinBigIndex) * (size_t)(nc + 1));
        long ne = 0;
        for (int c = 0; c < nc; c++) ne += vl[c];
        int *mi = malloc(sizeof(int) * (size_t)ne);
        double *mv = malloc(sizeof(double) * (size_t)ne);
        double *cl = malloc(sizeof(double) * (size_t)nc), *cu = malloc(sizeof(double) * (size_t)nc);
        double *ob = malloc(sizeof(double) * (size_t)nc);
        memcpy(cl, Clp_getColLower(s), sizeof(double) * (size_t)nc);
        memcpy(cu, Clp_getColUpper(s), sizeof(double) * (size_t)nc);
        memcpy(ob, Clp_getObjCoefficients(s), sizeof(double) * (size_t)nc);
        ne = 0;
        for (int c = 0; c < nc; c++) {
            st[c] = (CoinBigIndex)ne;
            for (int t = 0; t < vl[c]; t++) mi[ne] = ix[vs[c] + t], mv[ne++] = el[vs[c] + t];
        }
        st[nc] = (CoinBigIndex)ne;
        Cbc_Model *cb = Cbc_newModel();
        Cbc_loadProblem(cb, nc, nrow, st, mi, mv, cl, cu, ob, rl, ru);
        for (int c = n + 1; c < nc; c++) Cbc_setInteger(cb, c);
        Cbc_setMaximumSeconds(cb, ip_secs);
        Cbc_setParameter(cb, "log", "0");
        double t1 = dw_now();
        Cbc_solve(cb);
        r->ip_secs = dw_now() - t1;
        double z = Cbc_getObjValue(cb);
        if (Cbc_numberSavedSolutions(cb) > 0 && z < big) r->ip_obj = z;
        r->ip_bound = Cbc_getBestPossibleObjValue(cb);
        Cbc_deleteModel(cb);
        free(st), free(mi), free(mv), free(cl), free(cu), free(ob);
    }
    Clp_deleteModel(s);
    free(rl), free(ru), free(pi), free(ip), free(iw), free(ij), free(ri), free(rv), free(take);
    free(tb), free(best);
    return 0;
}

#endif
