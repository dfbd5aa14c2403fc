/* CFLP solvers: Lagrangian relaxation + Lagrangian heuristics + local search, with an exact
 * GLPK path for small instances. See cflp.h for the model. */
#include "algo/cflp.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIME_S 10.0
#define OPT_RTOL       1e-7 /* ub - lb <= OPT_RTOL * max(1, |ub|) counts as proven optimal */
#define SEEN_CAP       8192

/* ---------------------------------------------------------------- sorting helpers */

typedef struct kv {
    double key;
    int idx;
} kv;

static int kv_cmp(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    if (x->key < y->key) return -1;
    if (x->key > y->key) return 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* ---------------------------------------------------------------- 0-1 knapsack */

/* Workspace for knap01: capacity for `cap` items. */
typedef struct knap {
    int cap;
    kv *ord;
    double *p, *w;
    unsigned char *x, *bx;
    long limit;
} knap;

static int knap_init(knap *k, int cap)
{
    k->cap = cap;
    k->ord = malloc((size_t)(cap + 1) * sizeof(kv));
    k->p = malloc((size_t)(cap + 1) * sizeof(double));
    k->w = malloc((size_t)(cap + 1) * sizeof(double));
    k->x = malloc((size_t)(cap + 1));
    k->bx = malloc((size_t)(cap + 1));
    k->limit = 4000;
    return k->ord && k->p && k->w && k->x && k->bx ? 0 : -1;
}

static void knap_fini(knap *k)
{
    free(k->ord);
    free(k->p);
    free(k->w);
    free(k->x);
    free(k->bx);
}

/* max sum p x s.t. sum w x <= W, x binary; p > 0. take[t] receives the chosen items of the
 * best solution found; *ub a valid upper bound on the optimum (== return value when the
 * search finished). Horowitz-Sahni depth-first search with the Dantzig bound. */
static double knap01(knap *K, int k, const double *p, const double *w, double W,
                     unsigned char *take, double *ub)
{
    double base = 0;
    int q = 0;
    for (int t = 0; t < k; t++) {
        take[t] = 0;
        if (w[t] <= 0) {
            take[t] = 1;
            base += p[t];
        } else if (w[t] <= W) {
            K->ord[q].key = -p[t] / w[t];
            K->ord[q].idx = t;
            q++;
        }
    }
    if (q == 0) {
        *ub = base;
        return base;
    }
    qsort(K->ord, (size_t)q, sizeof(kv), kv_cmp);
    double *P = K->p, *Wt = K->w;
    for (int t = 0; t < q; t++) P[t] = p[K->ord[t].idx], Wt[t] = w[K->ord[t].idx];
    /* greedy start + root bound */
    double z = 0, r = W, root = -1;
    for (int t = 0; t < q; t++) {
        if (Wt[t] <= r) {
            r -= Wt[t];
            z += P[t];
            K->bx[t] = 1;
        } else {
            if (root < 0) root = z + r * P[t] / Wt[t];
            K->bx[t] = 0;
        }
    }
    if (root < 0) { /* everything fits */
        for (int t = 0; t < q; t++) take[K->ord[t].idx] = 1;
        *ub = base + z;
        return base + z;
    }
    double eps = 1e-12 * (1 + z);
    memset(K->x, 0, (size_t)q);
    double cp = 0;
    r = W;
    int j = 0;
    long nodes = 0;
    int aborted = 0;
    for (;;) {
        if (++nodes > K->limit) {
            aborted = 1;
            break;
        }
        /* Dantzig bound from j with residual r */
        int s = j;
        double pp = 0, ww = 0, u;
        while (s < q && ww + Wt[s] <= r) pp += P[s], ww += Wt[s], s++;
        u = s < q ? pp + (r - ww) * P[s] / Wt[s] : pp;
        if (cp + u > z + eps) {
            for (int t = j; t < s; t++) K->x[t] = 1;
            cp += pp;
            r -= ww;
            j = s;
            if (j < q) {
                K->x[j] = 0;
                j++;
                continue;
            }
            if (cp > z + eps) {
                z = cp;
                memcpy(K->bx, K->x, (size_t)q);
            }
        }
        /* backtrack: last chosen item before j */
        int t = j - 1;
        while (t >= 0 && !K->x[t]) t--;
        if (t < 0) break;
        K->x[t] = 0;
        cp -= P[t];
        r += Wt[t];
        j = t + 1;
    }
    for (int t = 0; t < q; t++)
        if (K->bx[t]) take[K->ord[t].idx] = 1;
    *ub = base + (aborted ? (root > z ? root : z) : z);
    return base + z;
}

/* ---------------------------------------------------------------- solver context */

typedef struct ctx {
    const pj_cflp *in;
    pj_cflp_kind kind;
    int m, n;
    double t0, deadline;
    int timed_out;
    uint64_t rng;
    double D;
    int integral;
    unsigned char *allow; /* [m] */
    /* Lagrangian */
    double *u, *bestu, *g, *v; /* u,bestu,g [n]; v [m] */
    unsigned char *yl;         /* [m] */
    int *selj;                 /* [m*n] selected customers per site (row i) */
    double *selx;              /* [m*n] */
    int *selcnt;               /* [m] */
    double *ip, *iw;           /* [max(m,n)] knapsack item buffers */
    int *iref;                 /* [max(m,n)] */
    unsigned char *itake;      /* [max(m,n)] */
    kv *kvbuf;                 /* [max(m,n)] */
    knap K;
    double lb;
    int iters;
    /* incumbent */
    double ub;
    unsigned char *bopen; /* [m] */
    int *bassign;         /* [n] SS */
    double *bfrac;        /* [m*n] MS */
    pj_cflp_tp *tp;
    uint64_t *seen;
    /* scratch */
    unsigned char *open; /* [m] */
    int *asg;            /* [n] */
    double *rem;         /* [m] */
    int *osites;         /* [m] */
    kv *cust;            /* [n] */
} ctx;

static int timeup(ctx *c)
{
    if (c->timed_out) return 1;
    if (pj_algo_now() >= c->deadline) c->timed_out = 1;
    return c->timed_out;
}

static double cst(const ctx *c, int i, int j)
{
    return c->in->cost[(size_t)i * c->n + j];
}

static uint64_t set_hash(const unsigned char *open, int m)
{
    uint64_t h = 0x12345678abcdefULL;
    for (int i = 0; i < m; i++)
        if (open[i]) {
            uint64_t s = h ^ (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL;
            h = pj_rng_next(&s);
        }
    return h ? h : 1;
}

/* Returns 1 when the set was new (and records it). */
static int seen_add(ctx *c, uint64_t h)
{
    size_t k = (size_t)(h % SEEN_CAP);
    for (int probe = 0; probe < SEEN_CAP; probe++) {
        if (c->seen[k] == h) return 0;
        if (c->seen[k] == 0) {
            c->seen[k] = h;
            return 1;
        }
        k = (k + 1) % SEEN_CAP;
    }
    return 1; /* table full: treat as new */
}

/* ---------------------------------------------------------------- Lagrangian */

/* Evaluates L(u) for the relaxation of sum_i x_ij = 1. fix[i]: -1 free, 0 closed, 1 open
 * (NULL = all free). Fills v, yl, g and the per-site selections. Returns -INFINITY when the
 * node is infeasible for the capacity cover. */
static double lagr_eval(ctx *c, const double *u, const signed char *fix)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n;
    double L = 0;
    for (int j = 0; j < n; j++) {
        L += u[j];
        c->g[j] = 1;
    }
    for (int i = 0; i < m; i++) {
        c->selcnt[i] = 0;
        c->yl[i] = 0;
        if (!c->allow[i] || (fix && fix[i] == 0)) {
            c->v[i] = INFINITY;
            continue;
        }
        const double *row = in->cost + (size_t)i * n;
        int k = 0;
        for (int j = 0; j < n; j++) {
            double cc = row[j];
            if (cc < u[j]) { /* non-finite costs never pass */
                c->ip[k] = u[j] - cc;
                c->iw[k] = in->demand[j];
                c->iref[k] = j;
                k++;
            }
        }
        int *sj = c->selj + (size_t)i * n;
        double *sx = c->selx + (size_t)i * n;
        double prof = 0;
        if (c->kind == PJ_CFLP_MULTI) {
            int q = 0;
            for (int t = 0; t < k; t++) {
                if (c->iw[t] <= 0) {
                    prof += c->ip[t];
                    sj[c->selcnt[i]] = c->iref[t];
                    sx[c->selcnt[i]++] = 1;
                } else {
                    c->kvbuf[q].key = -c->ip[t] / c->iw[t];
                    c->kvbuf[q].idx = t;
                    q++;
                }
            }
            qsort(c->kvbuf, (size_t)q, sizeof(kv), kv_cmp);
            double r = in->capacity[i];
            for (int a = 0; a < q && r > 0; a++) {
                int t = c->kvbuf[a].idx;
                double x = c->iw[t] <= r ? 1 : r / c->iw[t];
                r -= x * c->iw[t];
                prof += x * c->ip[t];
                sj[c->selcnt[i]] = c->iref[t];
                sx[c->selcnt[i]++] = x;
            }
        } else {
            double pub;
            knap01(&c->K, k, c->ip, c->iw, in->capacity[i], c->itake, &pub);
            prof = pub;
            for (int t = 0; t < k; t++)
                if (c->itake[t]) {
                    sj[c->selcnt[i]] = c->iref[t];
                    sx[c->selcnt[i]++] = 1;
                }
        }
        c->v[i] = in->fixed_cost[i] - prof;
    }
    /* y: open negative sites and forced ones, then the cheapest capacity cover */
    double capo = 0, capc = 0, vsum = 0;
    int k = 0;
    for (int i = 0; i < m; i++) {
        if (!isfinite(c->v[i])) continue;
        if ((fix && fix[i] == 1) || c->v[i] < 0) {
            c->yl[i] = 1;
            capo += in->capacity[i];
            L += c->v[i];
        } else if (in->capacity[i] > 0) {
            c->ip[k] = c->v[i];
            c->iw[k] = in->capacity[i];
            c->iref[k] = i;
            capc += in->capacity[i];
            vsum += c->v[i];
            k++;
        }
    }
    double need = c->D - capo;
    if (need > 1e-9 * (1 + c->D)) {
        if (capc < need * (1 - 1e-12)) return -INFINITY;
        double pub;
        /* choose sites NOT to open: max value kept closed within the spare capacity */
        knap01(&c->K, k, c->ip, c->iw, capc - need, c->itake, &pub);
        L += vsum - pub;
        for (int t = 0; t < k; t++)
            if (!c->itake[t]) c->yl[c->iref[t]] = 1;
    }
    for (int i = 0; i < m; i++) {
        if (!c->yl[i]) continue;
        const int *sj = c->selj + (size_t)i * n;
        const double *sx = c->selx + (size_t)i * n;
        for (int t = 0; t < c->selcnt[i]; t++) c->g[sj[t]] -= sx[t];
    }
    return L;
}

static double round_lb(const ctx *c, double L)
{
    if (c->integral && isfinite(L)) return ceil(L - 1e-6 * (1 + fabs(L)));
    return L;
}

static int proven(const ctx *c)
{
    return c->lb >= c->ub - OPT_RTOL * fmax(1, fabs(c->ub));
}

/* ---------------------------------------------------------------- multi-source primal */

/* Cost of open set (fixed + transportation); INFINITY when infeasible. Closes sites the
 * transportation leaves empty (open[] updated). Updates the incumbent. */
static double ms_eval(ctx *c, unsigned char *open)
{
    double service;
    if (pj_cflp_tp_solve(c->tp, open, &service) != 0) return INFINITY;
    const double *fr = pj_cflp_tp_fractions(c->tp);
    int m = c->m, n = c->n;
    double tot = service;
    for (int i = 0; i < m; i++) {
        if (!open[i]) continue;
        int used = 0;
        for (int j = 0; j < n && !used; j++) used = fr[(size_t)i * n + j] > 0;
        if (!used && c->in->fixed_cost[i] > 0) open[i] = 0;
        if (open[i]) tot += c->in->fixed_cost[i];
    }
    if (tot < c->ub - 1e-9 * fmax(1, fabs(tot))) {
        c->ub = tot;
        memcpy(c->bopen, open, (size_t)m);
        memcpy(c->bfrac, fr, (size_t)m * n * sizeof(double));
    }
    return tot;
}

/* Adds closed allowed sites in order of the Lagrangian value v until capacity >= need. */
static void add_capacity(ctx *c, unsigned char *open, double need)
{
    double cap = 0;
    for (int i = 0; i < c->m; i++)
        if (open[i]) cap += c->in->capacity[i];
    while (cap < need) {
        int best = -1;
        double bv = INFINITY;
        for (int i = 0; i < c->m; i++) {
            if (open[i] || !c->allow[i] || c->in->capacity[i] <= 0) continue;
            double val = isfinite(c->v[i]) ? c->v[i] / c->in->capacity[i] : 1e300;
            if (best < 0 || val < bv) bv = val, best = i;
        }
        if (best < 0) return;
        open[best] = 1;
        cap += c->in->capacity[best];
    }
}

static void ms_heuristic(ctx *c)
{
    unsigned char *open = c->open;
    memcpy(open, c->yl, (size_t)c->m);
    add_capacity(c, open, c->D);
    if (!seen_add(c, set_hash(open, c->m))) return;
    for (int tries = 0; tries < 4; tries++) {
        if (isfinite(ms_eval(c, open))) return;
        /* forbidden pairs leave some demand unserved: open the best closed site too */
        int best = -1;
        double bv = INFINITY;
        for (int q = 0; q < c->m; q++)
            if (!open[q] && c->allow[q] && (best < 0 || c->v[q] < bv)) bv = c->v[q], best = q;
        if (best < 0) return;
        open[best] = 1;
    }
}

/* Local search over open/close/swap moves, each evaluated exactly. */
static void ms_local_search(ctx *c, int max_rounds)
{
    int m = c->m;
    unsigned char *cur = malloc((size_t)m), *tr = malloc((size_t)m);
    kv *cand = malloc((size_t)m * sizeof(kv));
    if (!cur || !tr || !cand) goto out;
    /* rank closed sites by the Lagrangian value at the best multipliers */
    lagr_eval(c, c->bestu, NULL);
    for (int round = 0; round < max_rounds && !timeup(c); round++) {
        memcpy(cur, c->bopen, (size_t)m);
        double before = c->ub;
        int nc = 0;
        for (int i = 0; i < m; i++) {
            if (!cur[i] && c->allow[i] && c->in->capacity[i] > 0) {
                cand[nc].key = isfinite(c->v[i]) ? c->v[i] : 1e300;
                cand[nc].idx = i;
                nc++;
            }
        }
        qsort(cand, (size_t)nc, sizeof(kv), kv_cmp);
        int lim = nc < 20 ? nc : 20;
        /* close moves */
        for (int i = 0; i < m && !timeup(c); i++) {
            if (!c->bopen[i]) continue;
            memcpy(tr, c->bopen, (size_t)m);
            tr[i] = 0;
            ms_eval(c, tr);
        }
        /* open moves (the best candidates by Lagrangian value) */
        for (int a = 0; a < nc && a < 40 && !timeup(c); a++) {
            memcpy(tr, c->bopen, (size_t)m);
            if (tr[cand[a].idx]) continue;
            tr[cand[a].idx] = 1;
            ms_eval(c, tr);
        }
        /* swap moves */
        for (int i = 0; i < m && !timeup(c); i++) {
            if (!cur[i] || !c->bopen[i]) continue;
            for (int a = 0; a < lim && !timeup(c); a++) {
                memcpy(tr, c->bopen, (size_t)m);
                if (tr[cand[a].idx] || !tr[i]) continue;
                tr[i] = 0;
                tr[cand[a].idx] = 1;
                ms_eval(c, tr);
            }
        }
        if (!(c->ub < before - 1e-9 * fmax(1, fabs(before)))) break;
        if (proven(c)) break;
    }
out:
    free(cur);
    free(tr);
    free(cand);
}

/* ---------------------------------------------------------------- single-source primal */

/* Total cost of an assignment. */
static double ss_cost(const ctx *c, const unsigned char *open, const int *asg)
{
    double t = 0;
    for (int i = 0; i < c->m; i++)
        if (open[i]) t += c->in->fixed_cost[i];
    for (int j = 0; j < c->n; j++) t += cst(c, asg[j], j);
    return t;
}

static void ss_update(ctx *c, const unsigned char *open, const int *asg)
{
    double t = ss_cost(c, open, asg);
    if (t < c->ub - 1e-9 * fmax(1, fabs(t))) {
        c->ub = t;
        memcpy(c->bopen, open, (size_t)c->m);
        memcpy(c->bassign, asg, (size_t)c->n * sizeof(int));
    }
}

/* Removes capacity excess of a complete assignment (rem may be negative) by shift and swap
 * moves chosen on cost + penalty * excess. Returns 0 when feasible, -1 when stuck. */
static int ss_repair(ctx *c, const unsigned char *open, int *asg, double *rem)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n, k = 0;
    double cmax = 0;
    for (int i = 0; i < m; i++)
        if (open[i]) c->osites[k++] = i;
    for (int j = 0; j < n; j++)
        for (int q = 0; q < k; q++) {
            double cc = cst(c, c->osites[q], j);
            if (isfinite(cc) && cc > cmax) cmax = cc;
        }
    double P = 10 * (cmax + 1) / fmax(1e-9, pj_cflp_total_demand(in) / n);
    for (int guard = 0; guard < 10 * n + 100; guard++) {
        double excess = 0;
        for (int q = 0; q < k; q++) excess += fmax(0, -rem[c->osites[q]]);
        if (excess <= 1e-9) return 0;
        if (timeup(c)) return -1;
        double best = -1e-12;
        int bj = -1, bb = -1, bh = -1;
        for (int j = 0; j < n; j++) {
            int a = asg[j];
            if (rem[a] >= 0) continue; /* only customers of overloaded sites move */
            double dj = in->demand[j], caj = cst(c, a, j);
            for (int q = 0; q < k; q++) {
                int b = c->osites[q];
                if (b == a || !isfinite(cst(c, b, j))) continue;
                double ex0 = fmax(0, -rem[a]) + fmax(0, -rem[b]);
                double ex1 = fmax(0, -(rem[a] + dj)) + fmax(0, -(rem[b] - dj));
                double delta = cst(c, b, j) - caj + P * (ex1 - ex0);
                if (delta < best) best = delta, bj = j, bb = b, bh = -1;
            }
            for (int h = 0; h < n; h++) {
                int b = asg[h];
                if (b == a || in->demand[h] >= dj) continue;
                if (!isfinite(cst(c, b, j)) || !isfinite(cst(c, a, h))) continue;
                double dh = in->demand[h];
                double ex0 = fmax(0, -rem[a]) + fmax(0, -rem[b]);
                double ex1 = fmax(0, -(rem[a] + dj - dh)) + fmax(0, -(rem[b] - dj + dh));
                double delta = cst(c, b, j) + cst(c, a, h) - caj - cst(c, b, h) + P * (ex1 - ex0);
                if (delta < best) best = delta, bj = j, bb = b, bh = h;
            }
        }
        if (bj < 0) return -1;
        int a = asg[bj];
        rem[a] += in->demand[bj];
        rem[bb] -= in->demand[bj];
        asg[bj] = bb;
        if (bh >= 0) {
            rem[bb] += in->demand[bh];
            rem[a] -= in->demand[bh];
            asg[bh] = a;
        }
    }
    return -1;
}

/* Greedy GAP assignment for open[] by regret, with one-level ejection repair. Returns 0 on
 * success (asg, rem filled), -1 on failure. */
static int ss_assign(ctx *c, const unsigned char *open, int *asg, double *rem)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n, k = 0, overload = 0;
    for (int i = 0; i < m; i++) {
        rem[i] = open[i] ? in->capacity[i] : 0;
        if (open[i]) c->osites[k++] = i;
    }
    for (int j = 0; j < n; j++) {
        double b1 = INFINITY, b2 = INFINITY;
        for (int q = 0; q < k; q++) {
            int i = c->osites[q];
            double cc = cst(c, i, j);
            if (in->capacity[i] < in->demand[j]) continue;
            if (cc < b1)
                b2 = b1, b1 = cc;
            else if (cc < b2)
                b2 = cc;
        }
        if (!isfinite(b1)) return -1;
        c->cust[j].key = -(isfinite(b2) ? b2 - b1 : 1e300) - 1e-9 * in->demand[j];
        c->cust[j].idx = j;
        asg[j] = -1;
    }
    qsort(c->cust, (size_t)n, sizeof(kv), kv_cmp);
    for (int a = 0; a < n; a++) {
        int j = c->cust[a].idx;
        double d = in->demand[j];
        int best = -1;
        double bc = INFINITY;
        for (int q = 0; q < k; q++) {
            int i = c->osites[q];
            double cc = cst(c, i, j);
            if (rem[i] >= d && cc < bc) bc = cc, best = i;
        }
        if (best < 0) {
            /* repair: move one customer h from site i to site l so that j fits on i */
            double bd = INFINITY;
            int bi = -1, bh = -1, bl = -1;
            for (int h = 0; h < n; h++) {
                int i = asg[h];
                if (i < 0 || !isfinite(cst(c, i, j))) continue;
                if (rem[i] + in->demand[h] < d) continue;
                for (int q = 0; q < k; q++) {
                    int l = c->osites[q];
                    if (l == i || rem[l] < in->demand[h]) continue;
                    double delta = cst(c, l, h) - cst(c, i, h) + cst(c, i, j);
                    if (delta < bd) bd = delta, bi = i, bh = h, bl = l;
                }
            }
            if (bi < 0) {
                overload = 1; /* place it anyway; ss_repair removes the excess */
                for (int q = 0; q < k; q++) {
                    int i = c->osites[q];
                    if (in->capacity[i] >= d && cst(c, i, j) < bc) bc = cst(c, i, j), best = i;
                }
                asg[j] = best;
                rem[best] -= d;
                continue;
            }
            rem[bi] += in->demand[bh];
            rem[bl] -= in->demand[bh];
            asg[bh] = bl;
            best = bi;
        }
        asg[j] = best;
        rem[best] -= d;
    }
    return overload ? ss_repair(c, open, asg, rem) : 0;
}

/* Shift, swap and ejection-chain moves until no improvement. */
static void ss_improve(ctx *c, const unsigned char *open, int *asg, double *rem)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n, k = 0;
    for (int i = 0; i < m; i++)
        if (open[i]) c->osites[k++] = i;
    for (int pass = 0; pass < 200; pass++) {
        int improved = 0;
        for (int j = 0; j < n; j++) {
            int a = asg[j];
            double d = in->demand[j], best = -1e-9, ca = cst(c, a, j);
            int bi = -1;
            for (int q = 0; q < k; q++) {
                int i = c->osites[q];
                if (i == a || rem[i] < d) continue;
                double delta = cst(c, i, j) - ca;
                if (delta < best) best = delta, bi = i;
            }
            if (bi >= 0) {
                asg[j] = bi;
                rem[bi] -= d;
                rem[a] += d;
                improved = 1;
            }
        }
        for (int j = 0; j < n; j++) {
            for (int h = j + 1; h < n; h++) {
                int a = asg[j], b = asg[h];
                if (a == b) continue;
                double dj = in->demand[j], dh = in->demand[h];
                if (rem[a] + dj < dh || rem[b] + dh < dj) continue;
                double delta = cst(c, b, j) + cst(c, a, h) - cst(c, a, j) - cst(c, b, h);
                if (delta < -1e-9) {
                    asg[j] = b;
                    asg[h] = a;
                    rem[a] += dj - dh;
                    rem[b] += dh - dj;
                    improved = 1;
                }
            }
        }
        if (!improved) {
            /* ejection chain: j moves a -> b, making room by moving h from b to l */
            for (int j = 0; j < n && !timeup(c); j++) {
                int a = asg[j];
                double dj = in->demand[j], best = -1e-9;
                int bb = -1, bh = -1, bl = -1;
                for (int qb = 0; qb < k; qb++) {
                    int b = c->osites[qb];
                    if (b == a) continue;
                    double base = cst(c, b, j) - cst(c, a, j);
                    if (!(base < 0) || rem[b] >= dj) continue;
                    double need = dj - rem[b];
                    for (int h = 0; h < n; h++) {
                        if (asg[h] != b || in->demand[h] < need) continue;
                        double dh = in->demand[h], cbh = cst(c, b, h);
                        for (int ql = 0; ql < k; ql++) {
                            int l = c->osites[ql];
                            if (l == b) continue;
                            double room = rem[l] + (l == a ? dj : 0);
                            if (room < dh) continue;
                            double delta = base + cst(c, l, h) - cbh;
                            if (delta < best) best = delta, bb = b, bh = h, bl = l;
                        }
                    }
                }
                if (bb >= 0) {
                    double dh = in->demand[bh];
                    rem[a] += dj;
                    rem[bb] += dh - dj;
                    rem[bl] -= dh;
                    asg[j] = bb;
                    asg[bh] = bl;
                    improved = 1;
                }
            }
        }
        if (!improved || timeup(c)) break;
    }
}

/* Closes open sites that serve nobody. */
static void ss_trim(ctx *c, unsigned char *open, const int *asg)
{
    for (int i = 0; i < c->m; i++)
        if (open[i] && c->in->fixed_cost[i] > 0) {
            int used = 0;
            for (int j = 0; j < c->n && !used; j++) used = asg[j] == i;
            if (!used) open[i] = 0;
        }
}

/* Lagrangian heuristic: the open set of the relaxation (made large enough), customers kept
 * on the cheapest open site whose knapsack chose them, the rest placed by regret. */
static void ss_heuristic(ctx *c)
{
    unsigned char *open = c->open;
    memcpy(open, c->yl, (size_t)c->m);
    add_capacity(c, open, c->D);
    if (!seen_add(c, set_hash(open, c->m))) return;
    for (int tries = 0; tries < 6; tries++) {
        if (ss_assign(c, open, c->asg, c->rem) == 0) {
            ss_improve(c, open, c->asg, c->rem);
            ss_trim(c, open, c->asg);
            ss_update(c, open, c->asg);
            return;
        }
        double cap = 0;
        for (int i = 0; i < c->m; i++)
            if (open[i]) cap += c->in->capacity[i];
        add_capacity(c, open, cap + 1e-9);
    }
}

/* From the incumbent: close sites cl[], open sites op[], repair the assignment, improve it
 * and update the incumbent. Returns the cost (INFINITY when no assignment was found). */
static double ss_move(ctx *c, const int *cl, int ncl, const int *op, int nop, unsigned char *tr,
                      int *asg, double *rem)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n;
    memcpy(tr, c->bopen, (size_t)m);
    memcpy(asg, c->bassign, (size_t)n * sizeof(int));
    for (int q = 0; q < ncl; q++) tr[cl[q]] = 0;
    for (int q = 0; q < nop; q++) tr[op[q]] = 1;
    for (int i = 0; i < m; i++) rem[i] = tr[i] ? in->capacity[i] : 0;
    for (int j = 0; j < n; j++) {
        if (!tr[asg[j]])
            asg[j] = -1;
        else
            rem[asg[j]] -= in->demand[j];
    }
    for (int q = 0; q < nop; q++) { /* move the customers that save most to the new site */
        int o = op[q], cnt = 0;
        for (int j = 0; j < n; j++) {
            double cc = cst(c, o, j);
            double cur = asg[j] >= 0 ? cst(c, asg[j], j) : INFINITY;
            if (cc < cur) {
                c->cust[cnt].key = -(isfinite(cur) ? cur - cc : 1e300);
                c->cust[cnt].idx = j;
                cnt++;
            }
        }
        qsort(c->cust, (size_t)cnt, sizeof(kv), kv_cmp);
        for (int a = 0; a < cnt; a++) {
            int j = c->cust[a].idx;
            if (rem[o] < in->demand[j]) continue;
            if (asg[j] >= 0) rem[asg[j]] += in->demand[j];
            asg[j] = o;
            rem[o] -= in->demand[j];
        }
    }
    int ok = 1;
    for (int j = 0; j < n; j++) {
        if (asg[j] >= 0) continue;
        int best = -1;
        double bc = INFINITY;
        for (int i = 0; i < m; i++)
            if (tr[i] && rem[i] >= in->demand[j] && cst(c, i, j) < bc) bc = cst(c, i, j), best = i;
        if (best < 0) { /* overload the cheapest site that could hold it; repaired below */
            for (int i = 0; i < m; i++)
                if (tr[i] && in->capacity[i] >= in->demand[j] && cst(c, i, j) < bc)
                    bc = cst(c, i, j), best = i;
            if (best < 0) return INFINITY;
            ok = 0;
        }
        asg[j] = best, rem[best] -= in->demand[j];
    }
    if (!ok && ss_repair(c, tr, asg, rem) != 0) return INFINITY;
    ss_improve(c, tr, asg, rem);
    ss_trim(c, tr, asg);
    ss_update(c, tr, asg);
    return ss_cost(c, tr, asg);
}

/* Site moves (close / open / swap) around the incumbent, then an iterated local search with
 * random kicks (deterministic for the seed). */
static void ss_local_search(ctx *c, int max_rounds, int kicks)
{
    int m = c->m, n = c->n;
    unsigned char *tr = malloc((size_t)m);
    int *asg = malloc((size_t)n * sizeof(int));
    double *rem = malloc((size_t)m * sizeof(double));
    kv *cand = malloc((size_t)m * sizeof(kv));
    int *olist = malloc((size_t)m * sizeof(int));
    if (!tr || !asg || !rem || !cand || !olist) goto out;
    lagr_eval(c, c->bestu, NULL);
    int nc = 0, lim = 0;
    for (int kick = 0; kick <= kicks && !timeup(c); kick++) {
        for (int round = 0; round < max_rounds && !timeup(c); round++) {
            double before = c->ub;
            nc = 0;
            for (int i = 0; i < m; i++)
                if (!c->bopen[i] && c->allow[i] && c->in->capacity[i] > 0) {
                    cand[nc].key = isfinite(c->v[i]) ? c->v[i] : 1e300;
                    cand[nc].idx = i;
                    nc++;
                }
            qsort(cand, (size_t)nc, sizeof(kv), kv_cmp);
            lim = nc < 10 ? nc : 10;
            int lim_open = nc < 40 ? nc : 40;
            for (int mv = 0; mv < m + lim_open + m * lim && !timeup(c); mv++) {
                int cl = -1, op = -1;
                if (mv < m) {
                    cl = mv;
                } else if (mv < m + lim_open) {
                    op = cand[mv - m].idx;
                } else {
                    int r = mv - m - lim_open;
                    cl = r / lim;
                    op = cand[r % lim].idx;
                }
                if (cl >= 0 && !c->bopen[cl]) continue;
                if (op >= 0 && c->bopen[op]) continue;
                ss_move(c, &cl, cl >= 0, &op, op >= 0, tr, asg, rem);
            }
            if (!(c->ub < before - 1e-9 * fmax(1, fabs(before))) || proven(c)) break;
        }
        if (kick == kicks || proven(c)) break;
        /* kick: close one or two random open sites and open one or two candidates */
        int no = 0;
        for (int i = 0; i < m; i++)
            if (c->bopen[i]) olist[no++] = i;
        int cl[2], op[2], ncl = 0, nop = 0;
        int r = (int)pj_rng_below(&c->rng, 3);
        if (no > 1 && r != 1) cl[ncl++] = olist[pj_rng_below(&c->rng, (uint32_t)no)];
        if (nc > 0 && r != 0)
            op[nop++] = cand[pj_rng_below(&c->rng, (uint32_t)(nc < 20 ? nc : 20))].idx;
        if (no > 2 && pj_rng_below(&c->rng, 2)) {
            int x = olist[pj_rng_below(&c->rng, (uint32_t)no)];
            if (ncl == 0 || x != cl[0]) cl[ncl++] = x;
        }
        if (ncl + nop == 0) continue;
        /* evaluate the kicked solution and continue from it only when it improves */
        ss_move(c, cl, ncl, op, nop, tr, asg, rem);
    }
out:
    free(tr);
    free(asg);
    free(rem);
    free(cand);
    free(olist);
}

/* ---------------------------------------------------------------- driver */

static void subgradient(ctx *c, int maxit, double stop_at)
{
    int every = (double)c->m * c->n > 1e5 ? 4 : 1; /* heuristic frequency */
    int n = c->n;
    double lambda = 2.0, bestL = -INFINITY;
    int noimp = 0, patience = c->kind == PJ_CFLP_MULTI ? 25 : 20;
    if ((double)c->m * c->n > 1e5) patience = 12; /* large: coarser, faster schedule */
    for (int it = 0; it < maxit && !timeup(c) && pj_algo_now() < stop_at; it++) {
        double L = lagr_eval(c, c->u, NULL);
        c->iters++;
        if (!isfinite(L)) break;
        double Lr = round_lb(c, L);
        if (Lr > c->lb) c->lb = Lr;
        if (!isfinite(bestL) || L > bestL + 1e-9 * fabs(bestL)) {
            bestL = L;
            memcpy(c->bestu, c->u, (size_t)n * sizeof(double));
            noimp = 0;
        } else if (++noimp >= patience) {
            lambda *= 0.5;
            noimp = 0;
        }
        if (it % every == 0 || !isfinite(c->ub)) {
            if (c->kind == PJ_CFLP_MULTI)
                ms_heuristic(c);
            else
                ss_heuristic(c);
        }
        if (proven(c)) break;
        double norm = 0;
        for (int j = 0; j < n; j++) norm += c->g[j] * c->g[j];
        if (norm < 1e-18) break;
        double target = isfinite(c->ub) ? c->ub : L + 0.1 * fabs(L) + 1;
        double step = lambda * (target - L) / norm;
        for (int j = 0; j < n; j++) c->u[j] += step * c->g[j];
        if (lambda < 1e-3) break;
    }
}

static void ctx_free(ctx *c)
{
    free(c->allow);
    free(c->u);
    free(c->bestu);
    free(c->g);
    free(c->v);
    free(c->yl);
    free(c->selj);
    free(c->selx);
    free(c->selcnt);
    free(c->ip);
    free(c->iw);
    free(c->iref);
    free(c->itake);
    free(c->kvbuf);
    knap_fini(&c->K);
    free(c->bopen);
    free(c->bassign);
    free(c->bfrac);
    pj_cflp_tp_free(c->tp);
    free(c->seen);
    free(c->open);
    free(c->asg);
    free(c->rem);
    free(c->osites);
    free(c->cust);
}

static int ctx_init(ctx *c, const pj_cflp *in, pj_cflp_kind kind)
{
    int m = in->m, n = in->n, mx = m > n ? m : n;
    size_t mn = (size_t)m * n;
    c->in = in;
    c->kind = kind;
    c->m = m;
    c->n = n;
    c->allow = malloc((size_t)m);
    c->u = malloc((size_t)n * sizeof(double));
    c->bestu = malloc((size_t)n * sizeof(double));
    c->g = malloc((size_t)n * sizeof(double));
    c->v = malloc((size_t)m * sizeof(double));
    c->yl = calloc((size_t)m, 1);
    c->selj = malloc(mn * sizeof(int));
    c->selx = malloc(mn * sizeof(double));
    c->selcnt = calloc((size_t)m, sizeof(int));
    c->ip = malloc((size_t)mx * sizeof(double));
    c->iw = malloc((size_t)mx * sizeof(double));
    c->iref = malloc((size_t)mx * sizeof(int));
    c->itake = malloc((size_t)mx);
    c->kvbuf = malloc((size_t)mx * sizeof(kv));
    c->bopen = calloc((size_t)m, 1);
    c->bassign = malloc((size_t)n * sizeof(int));
    c->seen = calloc(SEEN_CAP, sizeof(uint64_t));
    c->open = calloc((size_t)m, 1);
    c->asg = malloc((size_t)n * sizeof(int));
    c->rem = malloc((size_t)m * sizeof(double));
    c->osites = malloc((size_t)m * sizeof(int));
    c->cust = malloc((size_t)n * sizeof(kv));
    if (kind == PJ_CFLP_MULTI) {
        c->bfrac = calloc(mn, sizeof(double));
        c->tp = pj_cflp_tp_new(in);
    }
    if (knap_init(&c->K, mx) != 0 || !c->allow || !c->u || !c->bestu || !c->g || !c->v || !c->yl ||
        !c->selj || !c->selx || !c->selcnt || !c->ip || !c->iw || !c->iref || !c->itake ||
        !c->kvbuf || !c->bopen || !c->bassign || !c->seen || !c->open || !c->asg || !c->rem ||
        !c->osites || !c->cust || (kind == PJ_CFLP_MULTI && (!c->bfrac || !c->tp)))
        return -1;
    for (int i = 0; i < m; i++) c->allow[i] = !in->allowed || in->allowed[i];
    c->D = pj_cflp_total_demand(in);
    c->integral = 1;
    for (int i = 0; i < m && c->integral; i++) {
        if (c->allow[i] && in->fixed_cost[i] != floor(in->fixed_cost[i])) c->integral = 0;
        for (int j = 0; j < n && c->integral; j++) {
            double cc = cst(c, i, j);
            if (isfinite(cc) && cc != floor(cc)) c->integral = 0;
        }
    }
    if (kind == PJ_CFLP_MULTI) c->integral = 0; /* fractional flows: no rounding */
    c->lb = -INFINITY;
    c->ub = INFINITY;
    return 0;
}

/* Quick necessary checks. Returns 1 when infeasible (message set). */
static int obviously_infeasible(ctx *c, pj_cflp_result *res)
{
    const pj_cflp *in = c->in;
    double cap = 0;
    for (int i = 0; i < c->m; i++)
        if (c->allow[i]) cap += in->capacity[i];
    if (cap < c->D * (1 - 1e-12)) {
        snprintf(res->message, sizeof res->message,
                 "infeasible: total capacity of allowed sites %.6g < total demand %.6g", cap, c->D);
        return 1;
    }
    for (int j = 0; j < c->n; j++) {
        int ok = 0;
        for (int i = 0; i < c->m && !ok; i++)
            ok = c->allow[i] && isfinite(cst(c, i, j)) &&
                 (c->kind == PJ_CFLP_MULTI || in->capacity[i] >= in->demand[j]);
        if (!ok) {
            snprintf(res->message, sizeof res->message,
                     "infeasible: customer %d has no allowed site that can serve it", j);
            return 1;
        }
    }
    if (c->kind == PJ_CFLP_MULTI) {
        for (int i = 0; i < c->m; i++) c->open[i] = c->allow[i];
        double s;
        if (pj_cflp_tp_solve(c->tp, c->open, &s) != 0) {
            snprintf(res->message, sizeof res->message,
                     "infeasible: demand cannot be served even with every allowed site open");
            return 1;
        }
    }
    return 0;
}

pj_cflp_status pj_cflp_solve(const pj_cflp *inst, pj_cflp_kind kind, const pj_algo_opts *opts,
                             pj_cflp_result *res)
{
    double t0 = pj_algo_now();
    memset(res, 0, sizeof *res);
    res->kind = kind;
    res->stats.lower_bound = -INFINITY;
    res->stats.objective = INFINITY;
    res->stats.gap = INFINITY;
    if (pj_cflp_validate(inst, res->message, sizeof res->message) != 0 ||
        (kind != PJ_CFLP_MULTI && kind != PJ_CFLP_SINGLE)) {
        if (!res->message[0]) snprintf(res->message, sizeof res->message, "bad kind");
        res->status = PJ_CFLP_EINVAL;
        return res->status;
    }
    res->m = inst->m;
    res->n = inst->n;
    double tl = opts && opts->time_limit_s > 0 ? opts->time_limit_s : DEFAULT_TIME_S;
    ctx c;
    memset(&c, 0, sizeof c);
    if (ctx_init(&c, inst, kind) != 0) {
        ctx_free(&c);
        res->status = PJ_CFLP_ENOMEM;
        snprintf(res->message, sizeof res->message, "out of memory");
        return res->status;
    }
    c.t0 = t0;
    c.deadline = t0 + tl;
    c.rng = opts ? opts->seed : 0;
    if (obviously_infeasible(&c, res)) {
        res->status = PJ_CFLP_INFEASIBLE;
        res->stats.time_s = pj_algo_now() - t0;
        ctx_free(&c);
        return res->status;
    }
    /* initial multipliers: cheapest cost including a share of the fixed cost */
    for (int j = 0; j < c.n; j++) {
        double best = INFINITY;
        for (int i = 0; i < c.m; i++) {
            if (!c.allow[i]) continue;
            double cc = cst(&c, i, j);
            if (!isfinite(cc)) continue;
            double share = inst->capacity[i] > 0
                               ? inst->fixed_cost[i] * inst->demand[j] / inst->capacity[i]
                               : 0;
            if (cc + share < best) best = cc + share;
        }
        c.u[j] = isfinite(best) ? best : 0;
        c.bestu[j] = c.u[j];
    }
    if (opts && opts->progress) opts->progress(opts->progress_ud, 0.0);
    /* the Lagrangian phase gets at most 40 % of the time limit, local search the rest */
    subgradient(&c, 3000, t0 + 0.4 * tl);
    if (opts && opts->progress) opts->progress(opts->progress_ud, 0.5);
    if (isfinite(c.ub) && !proven(&c)) {
        if (kind == PJ_CFLP_MULTI)
            ms_local_search(&c, 50);
        else
            ss_local_search(&c, 50, 0);
    }
    if (!isfinite(c.ub) && kind == PJ_CFLP_SINGLE && !timeup(&c)) {
        /* last resort: every allowed site open */
        for (int i = 0; i < c.m; i++) c.open[i] = c.allow[i];
        if (ss_assign(&c, c.open, c.asg, c.rem) == 0) {
            ss_improve(&c, c.open, c.asg, c.rem);
            ss_trim(&c, c.open, c.asg);
            ss_update(&c, c.open, c.asg);
            ss_local_search(&c, 50, 0);
        }
    }

    /* exact path for small instances */
    double work = (double)c.m * c.n;
    int small = kind == PJ_CFLP_MULTI ? work <= 5000 : work <= 1500;
    if (small && !proven(&c) && !timeup(&c)) {
        pj_cflp_result start, mip;
        memset(&start, 0, sizeof start);
        memset(&mip, 0, sizeof mip);
        if (isfinite(c.ub)) pj_cflp_result_set(&start, inst, kind, c.bopen, c.bfrac, c.bassign);
        pj_algo_opts mo = {0};
        mo.time_limit_s = c.deadline - pj_algo_now();
        if (mo.time_limit_s < 0.01) mo.time_limit_s = 0.01;
        pj_cflp_mip_glpk(inst, kind, &mo, isfinite(c.ub) ? &start : NULL, &mip);
        res->mip_used = 1;
        if (mip.status == PJ_CFLP_OK && mip.stats.objective < c.ub + 1e-9 * fabs(c.ub)) {
            if (mip.stats.objective < c.ub) {
                c.ub = mip.stats.objective;
                memset(c.bopen, 0, (size_t)c.m);
                memcpy(c.bopen, mip.open, (size_t)c.m);
                if (kind == PJ_CFLP_MULTI) {
                    memset(c.bfrac, 0, (size_t)c.m * c.n * sizeof(double));
                    for (int k = 0; k < mip.nflows; k++)
                        c.bfrac[(size_t)mip.flows[k].site * c.n + mip.flows[k].customer] =
                            mip.flows[k].fraction;
                } else {
                    memcpy(c.bassign, mip.assign, (size_t)c.n * sizeof(int));
                }
            }
            if (mip.stats.optimal) c.lb = fmax(c.lb, c.ub);
        } else if (mip.status == PJ_CFLP_INFEASIBLE) {
            res->status = PJ_CFLP_INFEASIBLE;
            snprintf(res->message, sizeof res->message, "infeasible (proved by the MIP)");
        }
        pj_cflp_result_free(&start);
        pj_cflp_result_free(&mip);
    }
    if (opts && opts->progress) opts->progress(opts->progress_ud, 1.0);
    int iters = c.iters, mip_used = res->mip_used;
    if (isfinite(c.ub)) {
        pj_cflp_result_set(res, inst, kind, c.bopen, c.bfrac, c.bassign);
        if (res->status == PJ_CFLP_OK) {
            res->stats.lower_bound = fmin(c.lb, res->stats.objective);
            res->stats.optimal = proven(&c);
            if (res->stats.optimal) res->stats.lower_bound = res->stats.objective;
            snprintf(res->message, sizeof res->message, "%s",
                     res->stats.optimal ? "optimal" : "feasible");
        }
    } else if (res->status != PJ_CFLP_INFEASIBLE) {
        res->status = PJ_CFLP_NO_SOLUTION;
        snprintf(res->message, sizeof res->message, "no feasible solution found%s",
                 c.timed_out ? " before the time limit" : "");
        res->stats.lower_bound = c.lb;
    }
    res->iterations = iters;
    res->mip_used = mip_used;
    res->stats.time_limit_hit = c.timed_out;
    res->stats.time_s = pj_algo_now() - t0;
    if (res->status == PJ_CFLP_OK) pj_algo_stats_finish(&res->stats);
    ctx_free(&c);
    return res->status;
}
