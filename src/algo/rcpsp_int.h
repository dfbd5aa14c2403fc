/* Internals of the RCPSP solver shared by rcpsp.c and rcpsp_solve.c (not a public API). */
#ifndef PJ_RCPSP_INT_H
#define PJ_RCPSP_INT_H

#include <stdint.h>

#include "algo/rcpsp.h"

/* A checked instance in solver form. Arrays are owned by it (rc_prob_free); dur, cap, proj,
 * pval point into the caller's instance. */
typedef struct rc_prob {
    int n, K;
    const int *dur, *cap;
    int *dem;                  /* n*K (zeros when the instance has no demands) */
    int *pred_off, *pred;      /* deduplicated predecessor lists (CSR) */
    int *succ_off, *succ;      /* deduplicated successor lists (CSR) */
    int *nz_off, *nz_k, *nz_r; /* nonzero demands (resource, amount) of jobs with d > 0 */
    int *topo;                 /* a topological order */
    int *head;                 /* earliest start (critical path) */
    int *tail;                 /* longest path from the job's start to the end, own d included */
    int *lf;                   /* latest finish for makespan = cp */
    int H;                     /* grid length sum(d) + 1: every serial SGS schedule fits */
    int cp, rb, lb;            /* critical path, resource bound, max of both */
    int n_proj;
    const int *proj;
    const double *pval;
} rc_prob;

/* Scratch space of one search; the grid is kept clean (full capacities) between calls. */
typedef struct rc_ws {
    int *avail; /* H*K remaining capacities */
    int *cnt;   /* H+1 counting-sort buckets */
    int *key, *tmp, *tmp2, *bst, *st2, *npred, *elig;
    unsigned char *ev; /* H+1 finish events (parallel SGS) */
} rc_ws;

/* Earliest t >= t0 at which job j fits the grid for its whole duration. */
static inline int rc_grid_fit(const rc_prob *P, const rc_ws *W, int j, int t0)
{
    int d = P->dur[j], a0 = P->nz_off[j], a1 = P->nz_off[j + 1], K = P->K;
    if (d == 0 || a0 == a1) return t0;
    int t = t0;
again:
    for (int tau = t + d - 1; tau >= t; tau--) {
        const int *av = W->avail + (size_t)tau * K;
        for (int a = a0; a < a1; a++)
            if (av[P->nz_k[a]] < P->nz_r[a]) {
                t = tau + 1;
                goto again;
            }
    }
    return t;
}

/* Books (sign 1) or releases (sign -1) job j started at t on the grid. */
static inline void rc_grid_add(const rc_prob *P, rc_ws *W, int j, int t, int sign)
{
    int d = P->dur[j], a0 = P->nz_off[j], a1 = P->nz_off[j + 1], K = P->K;
    for (int tau = t; tau < t + d; tau++) {
        int *av = W->avail + (size_t)tau * K;
        for (int a = a0; a < a1; a++) av[P->nz_k[a]] -= sign * P->nz_r[a];
    }
}

int rc_prob_init(rc_prob *P, const pj_rcpsp *p);
void rc_prob_free(rc_prob *P);
int rc_ws_init(rc_ws *W, const rc_prob *P);
void rc_ws_free(rc_ws *W);
int rc_sgs_serial(const rc_prob *P, rc_ws *W, const int *list, int dir, int *st);
int rc_sgs_parallel(const rc_prob *P, rc_ws *W, const double *prio, int *st);
int rc_justify(const rc_prob *P, rc_ws *W, int *list, int *st, int ms, long *sched, long budget);
int rc_priorities(const rc_prob *P, int rule, double *prio);
void rc_rule_list(const rc_prob *P, rc_ws *W, const double *prio, uint64_t *rng, int *list);
/* The jobs sorted by start time (ties: lower topological position first) into list. */
void rc_start_order(const rc_prob *P, rc_ws *W, const int *st, int ms, int *list);

#endif
