/* The strong LP of a multi-source facility-location instance, as the reference for the
 * solver's Lagrangian bound on large instances (benchmarks only; needs Clp).
 *
 *     min sum_i f_i y_i + sum_ij c_ij x_ij
 *     s.t. sum_i x_ij = 1 (each customer j),  sum_j d_j x_ij <= s_i y_i (each site i),
 *          x_ij <= y_i (each pair),  sum_i s_i y_i >= D,  0 <= x, y <= 1
 *
 * With ~300,000 pairs the whole LP is slow to build and solve, so it is solved by generating
 * pairs (a column x_ij with its row x_ij <= y_i at once): it starts from each customer's
 * `near` cheapest pairs, and each round adds the missing pairs of most negative reduced cost
 * c_ij - v_j - d_j u_i (v, u the duals of the demand and capacity rows; a missing pair's own
 * row has dual 0), at most 20,000 a round. When none is negative, those duals are feasible for
 * the whole LP, so the restricted LP's value is its optimum. */
#ifndef PJ_BENCH_CFLP_MSLP_H
#define PJ_BENCH_CFLP_MSLP_H

#include <coin/Clp_C_Interface.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "algo/cflp.h"

typedef struct mslp_result {
    double value;   /* the LP's optimum (when converged) */
    int rounds;     /* pricing rounds */
    long pairs;     /* pairs in the LP at the end (of all finite ones) */
    long all_pairs; /* finite pairs of the instance */
    int fractional; /* sites with 0 < y_i < 1 in the LP's solution */
    double ysum;    /* sum of its y_i */
    int converged;  /* no missing pair prices out: value is the LP's optimum */
    double secs;
} mslp_result;

typedef struct mslp_key {
    double k;
    int t;
} mslp_key;

static int mslp_cmp(const void *a, const void *b)
{
    const mslp_key *x = a, *y = b;
    return x->k < y->k ? -1 : x->k > y->k ? 1 : x->t - y->t;
}

/* Adds the pairs (pi[t], pj[t]) as columns with their rows x_ij - y_i <= 0. */
static void mslp_add(Clp_Simplex *s, const pj_cflp *in, int cnt, const int *pi, const int *pj,
                     int *pcol)
{
    int m = in->m, n = in->n, ncol = Clp_numberColumns(s);
    double *lo = calloc((size_t)cnt, sizeof(double)), *up = malloc(sizeof(double) * (size_t)cnt);
    double *ob = malloc(sizeof(double) * (size_t)cnt), *rl = malloc(sizeof(double) * (size_t)cnt);
    double *ru = calloc((size_t)cnt, sizeof(double));
    CoinBigIndex *cs = malloc(sizeof(CoinBigIndex) * (size_t)(cnt + 1));
    int *ri = malloc(sizeof(int) * 2 * (size_t)cnt);
    double *rv = malloc(sizeof(double) * 2 * (size_t)cnt);
    if (!lo || !up || !ob || !rl || !ru || !cs || !ri || !rv) goto out;
    for (int t = 0; t < cnt; t++) {
        up[t] = 1, rl[t] = -1e30;
        ob[t] = in->cost[(size_t)pi[t] * (size_t)n + (size_t)pj[t]];
        cs[t] = 2 * t;
        ri[2 * t] = pj[t], rv[2 * t] = 1;
        ri[2 * t + 1] = n + pi[t], rv[2 * t + 1] = in->demand[pj[t]];
    }
    cs[cnt] = 2 * cnt;
    Clp_addColumns(s, cnt, lo, up, ob, cs, ri, rv);
    for (int t = 0; t < cnt; t++) {
        pcol[(size_t)pi[t] * (size_t)n + (size_t)pj[t]] = ncol + t;
        ri[2 * t] = ncol + t, rv[2 * t] = 1;
        ri[2 * t + 1] = pi[t], rv[2 * t + 1] = -1;
    }
    Clp_addRows(s, cnt, rl, ru, cs, ri, rv);
    (void)m;
out:
    free(lo), free(up), free(ob), free(rl), free(ru), free(cs), free(ri), free(rv);
}

/* Solves the strong LP of `in` by pair generation (see above). Returns 0, or -1 when out of
 * memory. */
static int mslp_solve(const pj_cflp *in, int near, mslp_result *r)
{
    int m = in->m, n = in->n;
    size_t mn = (size_t)m * (size_t)n;
    memset(r, 0, sizeof *r);
    double t0 = pj_algo_now(), D = pj_cflp_total_demand(in);
    int *pcol = malloc(sizeof(int) * mn), *pi = malloc(sizeof(int) * mn);
    int *pj = malloc(sizeof(int) * mn);
    mslp_key *key = malloc(sizeof(mslp_key) * (mn > (size_t)m ? mn : (size_t)m));
    int nr = n + m + 1;
    double *cl = calloc((size_t)m, sizeof(double)), *cu = malloc(sizeof(double) * (size_t)m);
    double *ob = malloc(sizeof(double) * (size_t)m), *rl = malloc(sizeof(double) * (size_t)nr);
    double *ru = malloc(sizeof(double) * (size_t)nr), *v = malloc(sizeof(double) * 2 * (size_t)m);
    CoinBigIndex *st = malloc(sizeof(CoinBigIndex) * (size_t)(m + 1));
    int *ix = malloc(sizeof(int) * 2 * (size_t)m), rc = -1;
    Clp_Simplex *s = NULL;
    if (!pcol || !pi || !pj || !key || !cl || !cu || !ob || !rl || !ru || !v || !st || !ix)
        goto out;
    /* the y columns: capacity row (-s_i) and the cover (s_i) */
    for (int i = 0; i < m; i++) {
        cu[i] = !in->allowed || in->allowed[i] ? 1 : 0;
        ob[i] = in->fixed_cost[i];
        st[i] = 2 * i;
        ix[2 * i] = n + i, v[2 * i] = -in->capacity[i];
        ix[2 * i + 1] = n + m, v[2 * i + 1] = in->capacity[i];
    }
    st[m] = 2 * m;
    for (int j = 0; j < n; j++) rl[j] = ru[j] = 1;
    for (int i = 0; i < m; i++) rl[n + i] = -1e30, ru[n + i] = 0;
    rl[n + m] = D, ru[n + m] = 1e30;
    s = Clp_newModel();
    Clp_setLogLevel(s, 0);
    Clp_loadProblem(s, m, nr, st, ix, v, cl, cu, ob, rl, ru);
    /* the start: each customer's `near` cheapest pairs */
    int na = 0;
    for (size_t t = 0; t < mn; t++) {
        pcol[t] = -1;
        r->all_pairs += isfinite(in->cost[t]) && (!in->allowed || in->allowed[t / (size_t)n]);
    }
    for (int j = 0; j < n; j++) {
        int k = 0;
        for (int i = 0; i < m; i++) {
            double c = in->cost[(size_t)i * (size_t)n + (size_t)j];
            if (isfinite(c) && (!in->allowed || in->allowed[i])) key[k].k = c, key[k].t = i, k++;
        }
        qsort(key, (size_t)k, sizeof(mslp_key), mslp_cmp);
        for (int q = 0; q < k && q < near; q++) pi[na] = key[q].t, pj[na] = j, na++;
    }
    mslp_add(s, in, na, pi, pj, pcol);
    r->pairs = na;
    Clp_dual(s, 0);
    for (;; r->rounds++) {
        const double *du = Clp_getRowPrice(s);
        na = 0;
        for (size_t t = 0; t < mn; t++) {
            int i = (int)(t / (size_t)n), j = (int)(t % (size_t)n);
            if (pcol[t] >= 0 || !isfinite(in->cost[t]) || (in->allowed && !in->allowed[i]))
                continue;
            double red = in->cost[t] - du[j] - in->demand[j] * du[n + i];
            if (red < -1e-6 * (1 + fabs(in->cost[t]))) key[na].k = red, key[na].t = (int)t, na++;
        }
        if (!na) {
            r->converged = 1;
            break;
        }
        if (na > 20000) {
            qsort(key, (size_t)na, sizeof(mslp_key), mslp_cmp);
            na = 20000;
        }
        for (int q = 0; q < na; q++) pi[q] = key[q].t / n, pj[q] = key[q].t % n;
        mslp_add(s, in, na, pi, pj, pcol);
        r->pairs += na;
        Clp_primal(s, 0);
    }
    r->value = Clp_objectiveValue(s);
    const double *x = Clp_getColSolution(s);
    for (int i = 0; i < m; i++) {
        r->fractional += x[i] > 1e-6 && x[i] < 1 - 1e-6;
        r->ysum += x[i];
    }
    r->secs = pj_algo_now() - t0;
    rc = 0;
out:
    if (s) Clp_deleteModel(s);
    free(pcol), free(pi), free(pj), free(key), free(cl), free(cu), free(ob), free(rl), free(ru);
    free(v), free(st), free(ix);
    return rc;
}

#endif
