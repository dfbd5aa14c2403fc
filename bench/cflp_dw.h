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
    double dive_obj; /* the dive's whole-village plan (NAN when not asked or it failed) */
    int dive_sites;  /* its open sites */
    int dive_rounds; /* its pricing rounds (after the relaxation's) */
    double dive_secs;
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

/* The column generation's working set: the master LP and the pricing buffers. */
typedef struct dw_work {
    const pj_cflp *in;
    int m, n;
    double D;
    Clp_Simplex *s;
    double *pi, *ip, *rv, *best;
    int *iw, *ij, *ri;
    unsigned char *take, *tb;
    unsigned char *vdone, *sdone; /* the dive's placed villages and used sites */
} dw_work;

/* Pricing rounds until no column prices out or max_rounds; villages and sites the dive has
 * fixed take no part. Returns the rounds run; *bound (if given) gets the best round's
 * Lagrangian bound, *added the columns generated, *converged 1 when none priced out. */
static int dw_rounds(dw_work *w, int max_rounds, double *bound, long *added_out, int *converged)
{
    const pj_cflp *in = w->in;
    int m = w->m, n = w->n, rounds = 0;
    double lo = 0, one = 1;
    CoinBigIndex cs[2] = {0, 1};
    *converged = 0;
    for (; rounds < max_rounds; rounds++) {
        Clp_primal(w->s, 0);
        const double *du = Clp_getRowPrice(w->s);
        memcpy(w->pi, du, sizeof(double) * (size_t)n);
        double rho = du[n + m], L = rho * w->D;
        for (int j = 0; j < n; j++) L += w->pi[j];
        int added = 0;
        for (int i = 0; i < m; i++) {
            if ((in->allowed && !in->allowed[i]) || w->sdone[i]) continue;
            int k = 0;
            for (int j = 0; j < n; j++) {
                double c = in->cost[(size_t)i * (size_t)n + (size_t)j];
                if (w->vdone[j] || !isfinite(c) || c >= w->pi[j]) continue;
                w->ip[k] = w->pi[j] - c, w->iw[k] = (int)in->demand[j], w->ij[k] = j, k++;
            }
            double prof = dw_knap(k, w->ip, w->iw, (int)in->capacity[i], w->tb, w->best, w->take);
            double fi = in->fixed_cost[i] - rho * in->capacity[i];
            if (fi - prof < 0) L += fi - prof;
            if (fi - prof - du[n + i] >= -1e-7 * (1 + fabs(in->fixed_cost[i]))) continue;
            int q = 0;
            double z0 = in->fixed_cost[i];
            for (int t = 0; t < k; t++)
                if (w->take[t]) {
                    w->ri[q] = w->ij[t], w->rv[q++] = 1;
                    z0 += in->cost[(size_t)i * (size_t)n + (size_t)w->ij[t]];
                }
            w->ri[q] = n + i, w->rv[q++] = 1;
            w->ri[q] = n + m, w->rv[q++] = in->capacity[i];
            cs[1] = q;
            Clp_addColumns(w->s, 1, &lo, &one, &z0, cs, w->ri, w->rv);
            added++;
        }
        if (added_out) *added_out += added;
        if (bound && L > *bound) *bound = L; /* a bound only while nothing is fixed */
        if (!added) {
            *converged = 1;
            break;
        }
    }
    return rounds;
}

/* CBC on the master over its generated columns (artificials stay continuous). */
static void dw_ip(dw_work *w, int nrow, const double *rl, const double *ru, double big,
                  double ip_secs, dw_result *r)
{
    Clp_Simplex *s = w->s;
    int nc = Clp_numberColumns(s), n = w->n;
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

/* Diving from the relaxation's optimum to a whole-village plan: the columns at >= 0.99 (none:
 * the largest) fixed at 1, their villages and sites taken out, every column that shares one
 * of them bounded at 0, the relaxation of the rest solved again with new columns; until every
 * village is placed. */
static void dw_dive(dw_work *w, dw_result *r)
{
    Clp_Simplex *s = w->s;
    int n = w->n, m = w->m, left = n, conv;
    double t1 = dw_now();
    while (left > 0) {
        int nc = Clp_numberColumns(s), pick = -1, nfix = 0;
        const double *x = Clp_getColSolution(s);
        double *cl = malloc(sizeof(double) * (size_t)nc), *cu = malloc(sizeof(double) * (size_t)nc);
        memcpy(cl, Clp_getColLower(s), sizeof(double) * (size_t)nc);
        memcpy(cu, Clp_getColUpper(s), sizeof(double) * (size_t)nc);
        const CoinBigIndex *vs = Clp_getVectorStarts(s);
        const int *vl = Clp_getVectorLengths(s), *ix = Clp_getIndices(s);
        for (int pass = 0; pass < 2 && !nfix; pass++)
            for (int c = n + 1; c < nc; c++) {
                if (cl[c] > 0.5 || cu[c] < 0.5) continue;
                if (pass == 0 ? x[c] < 0.99 : c != pick) {
                    if (pass == 0 && (pick < 0 || x[c] > x[pick])) pick = c;
                    continue;
                }
                int ok = 1;
                for (int t = 0; t < vl[c] && ok; t++) {
                    int row = ix[vs[c] + t];
                    ok = row < n ? !w->vdone[row] : row < n + m ? !w->sdone[row - n] : 1;
                }
                if (!ok) continue;
                for (int t = 0; t < vl[c]; t++) {
                    int row = ix[vs[c] + t];
                    if (row < n)
                        w->vdone[row] = 1, left--;
                    else if (row < n + m)
                        w->sdone[row - n] = 1;
                }
                cl[c] = 1, nfix++, r->dive_sites++;
            }
        if (!nfix) { /* nothing left to fix: the LP needs its artificials */
            free(cl), free(cu);
            r->dive_secs = dw_now() - t1;
            return;
        }
        for (int c = n + 1; c < nc; c++) {
            if (cl[c] > 0.5) continue;
            for (int t = 0; t < vl[c]; t++) {
                int row = ix[vs[c] + t];
                if (row < n + m && (row < n ? w->vdone[row] : w->sdone[row - n])) cu[c] = 0;
            }
        }
        Clp_chgColumnLower(s, cl);
        Clp_chgColumnUpper(s, cu);
        free(cl), free(cu);
        r->dive_rounds += dw_rounds(w, 1000000, NULL, NULL, &conv);
    }
    const double *x = Clp_getColSolution(s);
    double art = 0;
    for (int c = 0; c <= n; c++) art += x[c];
    if (art < 1e-6) r->dive_obj = Clp_objectiveValue(s);
    r->dive_secs = dw_now() - t1;
}

/* Column generation for the single-source relaxation of inst (at most max_rounds rounds);
 * then, when ip_secs > 0, CBC on the master over the generated columns for up to ip_secs; then,
 * when dive, a dive from the relaxation to a whole-village plan (dw_dive). Returns 0, or -1
 * when the instance does not suit (non-integer demands or capacities, a capacity above 10^6)
 * with r->message set. */
static int dw_solve(const pj_cflp *in, int max_rounds, double ip_secs, int dive, dw_result *r)
{
    memset(r, 0, sizeof *r);
    r->bound = -INFINITY;
    r->ip_obj = r->ip_bound = r->dive_obj = NAN;
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
    dw_work w = {in,   m,    n,    D,    NULL, NULL, NULL, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    w.pi = malloc(sizeof(double) * (size_t)n), w.ip = malloc(sizeof(double) * (size_t)n);
    w.iw = malloc(sizeof(int) * (size_t)n), w.ij = malloc(sizeof(int) * (size_t)n);
    w.ri = malloc(sizeof(int) * (size_t)(n + 2));
    w.rv = malloc(sizeof(double) * (size_t)(n + 2));
    w.take = malloc((size_t)n);
    w.tb = malloc((size_t)n * (size_t)(Wmax + 1));
    w.best = malloc(sizeof(double) * (size_t)(Wmax + 1));
    w.vdone = calloc((size_t)n, 1), w.sdone = calloc((size_t)m, 1);
    for (int j = 0; j < n; j++) rl[j] = ru[j] = 1;
    for (int i = 0; i < m; i++) rl[n + i] = -1e30, ru[n + i] = 1;
    rl[n + m] = D, ru[n + m] = 1e30;
    w.s = Clp_newModel();
    Clp_setLogLevel(w.s, 0);
    CoinBigIndex st0 = 0, cs[2] = {0, 1};
    Clp_loadProblem(w.s, 0, nrow, &st0, NULL, NULL, NULL, NULL, NULL, rl, ru);
    double lo = 0, hi = 1e30;
    for (int j = 0; j <= n; j++) { /* artificials: each customer's row, then the cover */
        w.ri[0] = j < n ? j : n + m;
        w.rv[0] = j < n ? 1 : D;
        Clp_addColumns(w.s, 1, &lo, &hi, &big, cs, w.ri, w.rv);
    }
    r->rounds = dw_rounds(&w, max_rounds, &r->bound, &r->columns, &r->converged);
    r->master = Clp_objectiveValue(w.s);
    r->secs = dw_now() - t0;
    if (ip_secs > 0) dw_ip(&w, nrow, rl, ru, big, ip_secs, r);
    if (dive) dw_dive(&w, r);
    Clp_deleteModel(w.s);
    free(rl), free(ru), free(w.pi), free(w.ip), free(w.iw), free(w.ij), free(w.ri), free(w.rv);
    free(w.take), free(w.tb), free(w.best), free(w.vdone), free(w.sdone);
    return 0;
}

#endif
