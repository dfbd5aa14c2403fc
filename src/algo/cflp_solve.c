/* CFLP solvers: Lagrangian relaxation + Lagrangian heuristics + local search, with an exact
 * GLPK path for small instances. See cflp.h for the model. */
#include "algo/cflp.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIME_S 10.0
#define WORK_PER_S     4e8  /* steps of work (see timeup) the budget allows per second */
#define OPT_RTOL       1e-7 /* ub - lb <= OPT_RTOL * max(1, |ub|) counts as proven optimal */
#define SEEN_CAP       8192
#define MS_KICKS       40    /* perturbations of the multi-source iterated search */
#define MS_TRIES       20    /* estimated moves solved exactly before a descent gives up */
#define MS_NEARBY      10    /* large instances: swaps to the nearest closed sites per open one */
#define SS_TABU_ITERS  60000 /* single-source tabu search: iterations */
#define SS_TABU_STALL  1500  /* ... and at most this many without a new best before a restart */
#define SS_NEARBY      10    /* large instances: swaps to the nearest closed sites per open one */
#define SS_TABU_NEAR   40    /* large instances: the sites a customer may shift to in the tabu */
#define SS_DEFLATE     0.04  /* large SS: capacity the multi-source site search leaves free */
#define SS_MOVE_CUT    0.005 /* large SS: moves this much above the incumbent dropped */

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

static int kv_less(const kv *x, const kv *y)
{
    return x->key < y->key || (x->key == y->key && x->idx < y->idx);
}

/* Sorts a[0..n) as kv_cmp orders (the same result as qsort with kv_cmp, the keys being
 * distinct pairs): quicksort with a median-of-three pivot, insertion sort for short runs,
 * the smaller side first by recursion so the depth stays logarithmic. The knapsacks sort
 * hundreds of thousands of short arrays per second; qsort's indirect calls dominated. */
static void kv_sort(kv *a, int n)
{
    while (n > 16) {
        int mid = n / 2;
        if (kv_less(&a[mid], &a[0])) {
            kv t = a[mid];
            a[mid] = a[0], a[0] = t;
        }
        if (kv_less(&a[n - 1], &a[mid])) {
            kv t = a[mid];
            a[mid] = a[n - 1], a[n - 1] = t;
            if (kv_less(&a[mid], &a[0])) {
                t = a[mid];
                a[mid] = a[0], a[0] = t;
            }
        }
        kv p = a[mid];
        int i = 0, j = n - 1;
        for (;;) {
            while (kv_less(&a[i], &p)) i++;
            while (kv_less(&p, &a[j])) j--;
            if (i >= j) break;
            kv t = a[i];
            a[i] = a[j], a[j] = t;
            i++, j--;
        }
        /* a[0..j] <= p <= a[j+1..n) */
        int left = j + 1, right = n - left;
        if (left < right) {
            kv_sort(a, left);
            a += left, n = right;
        } else {
            kv_sort(a + left, right);
            n = left;
        }
    }
    for (int i = 1; i < n; i++) {
        kv x = a[i];
        int j = i - 1;
        while (j >= 0 && kv_less(&x, &a[j])) a[j + 1] = a[j], j--;
        a[j + 1] = x;
    }
}

/* ---------------------------------------------------------------- 0-1 knapsack */

/* Workspace for knap01: capacity for `cap` items. */
typedef struct knap {
    int cap;
    kv *ord;
    double *p, *w;
    double *cp, *cw; /* prefix sums of p and w in ratio order */
    unsigned char *x, *bx;
    long limit;
    double *work; /* the search's work counter (see ctx) */
} knap;

static int knap_init(knap *k, int cap)
{
    k->cap = cap;
    k->ord = malloc((size_t)(cap + 1) * sizeof(kv));
    k->p = malloc((size_t)(cap + 1) * sizeof(double));
    k->w = malloc((size_t)(cap + 1) * sizeof(double));
    k->cp = malloc((size_t)(cap + 2) * sizeof(double));
    k->cw = malloc((size_t)(cap + 2) * sizeof(double));
    k->x = malloc((size_t)(cap + 1));
    k->bx = malloc((size_t)(cap + 1));
    k->limit = 4000;
    return k->ord && k->p && k->w && k->cp && k->cw && k->x && k->bx ? 0 : -1;
}

static void knap_fini(knap *k)
{
    free(k->ord);
    free(k->p);
    free(k->w);
    free(k->cp);
    free(k->cw);
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
    kv_sort(K->ord, q);
    *K->work += k + 4.0 * q * (1 + ilogb(q + 1));
    double *P = K->p, *Wt = K->w;
    double *CP = K->cp, *CW = K->cw;
    CP[0] = CW[0] = 0;
    for (int t = 0; t < q; t++) {
        P[t] = p[K->ord[t].idx], Wt[t] = w[K->ord[t].idx];
        CP[t + 1] = CP[t] + P[t], CW[t + 1] = CW[t] + Wt[t];
    }
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
        /* Dantzig bound from j with residual r: the items j..s-1 fit whole (binary search
         * on the prefix sums) */
        int lo = j, hi = q; /* largest s in [j, q] with CW[s] - CW[j] <= r */
        double lim = CW[j] + r;
        while (lo < hi) {
            int mid = lo + (hi - lo + 1) / 2;
            if (CW[mid] <= lim)
                lo = mid;
            else
                hi = mid - 1;
        }
        int s = lo;
        double pp = CP[s] - CP[j], ww = CW[s] - CW[j], u;
        if (ww > r) ww = r; /* rounding of the prefix sums */
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
    *K->work += 4.0 * nodes;
    for (int t = 0; t < q; t++)
        if (K->bx[t]) take[K->ord[t].idx] = 1;
    *ub = base + (aborted ? (root > z ? root : z) : z);
    return base + z;
}

/* Continuous knapsack by selection instead of sorting: it[0..q) holds (key = -profit/weight,
 * item) with weights w[item] > 0. Reorders it[] so that it[0..k) are the items of the optimal
 * fractional solution for capacity *r, the best ratios first in groups, the last one possibly
 * fractional. Returns k; *r is left as capacity minus the weight of it[0..k), so a negative
 * *r means it[k-1] is taken in part ((w + *r) / w of it). Expected O(q) time. */
static int frac_knap(kv *it, int q, const double *w, double *r)
{
    int lo = 0, hi = q; /* it[0..lo) taken; it[lo..hi) undecided */
    double cap = *r;
    while (lo < hi && cap > 0) {
        /* pivot: median of three keys */
        double a = it[lo].key, b = it[lo + (hi - lo) / 2].key, c3 = it[hi - 1].key;
        double p = a < b ? (b < c3 ? b : (a < c3 ? c3 : a)) : (a < c3 ? a : (b < c3 ? c3 : b));
        /* three-way partition: key < p (better), == p, > p */
        int lt = lo, gt = hi, x = lo;
        while (x < gt) {
            if (it[x].key < p) {
                kv t = it[x];
                it[x++] = it[lt];
                it[lt++] = t;
            } else if (it[x].key > p) {
                kv t = it[x];
                it[x] = it[--gt];
                it[gt] = t;
            } else {
                x++;
            }
        }
        double wl = 0;
        for (int t = lo; t < lt; t++) wl += w[it[t].idx];
        if (wl >= cap) { /* the fill ends among the better items */
            if (lt - lo == 1) {
                cap -= wl;
                lo = lt;
                break;
            }
            hi = lt;
            continue;
        }
        cap -= wl;
        lo = lt;
        /* equal keys, in item order for determinism */
        qsort(it + lo, (size_t)(gt - lo), sizeof(kv), kv_cmp);
        while (lo < gt && cap > 0) cap -= w[it[lo++].idx];
        if (cap <= 0) break;
        lo = gt;
    }
    *r = cap;
    return lo;
}

/* ---------------------------------------------------------------- solver context */

typedef struct ctx {
    const pj_cflp *in;
    pj_cflp_kind kind;
    int m, n;
    double t0, deadline; /* deadline: the wall-clock limit */
    double *work;        /* steps done (shared by mc with its parent; see WORK_PER_S) */
    double work_own;     /* the counter work points to unless shared */
    double wtot;         /* the work budget; a phase that ends at a fraction f of it ends by
                          * the clock at phase_clock(f) at the latest */
    double wend;         /* the searches end when *work reaches it (wtot, or a phase's end) */
    int timed_out;
    int clock_hit; /* the wall clock ended a search or a phase before the work did */
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
    int *lazy;                 /* [m] sites whose exact value waits (lagr_eval) */
    unsigned char *lzf;        /* [m] 1 while a site's v is a lower value (lagr_eval) */
    double *ulast;             /* [n] the multipliers of the last lagr_eval */
    double rise;               /* sum over lagr_eval calls of the multipliers' rises */
    double *vlow, *vrise;      /* [m] a site's last continuous value and `rise` then */
    int lazy_ok;          /* large single-source: lagr_eval may keep lower values of closed sites */
    double *ip, *iw;      /* [max(m,n)] knapsack item buffers */
    int *iref;            /* [max(m,n)] */
    unsigned char *itake; /* [max(m,n)] */
    kv *kvbuf;            /* [max(m,n)] */
    int *rowp;            /* [m+1] site i's allowed pairs are rowj/rowc[rowp[i]..rowp[i+1]) */
    int *rowj;            /* [pairs] customer of each finite cost */
    double *rowc;         /* [pairs] its cost */
    double *rowr;         /* [pairs] its cost per unit of demand; lazy_ok: rows ascend by it */
    knap K;
    double lb;
    int iters;
    /* incumbent */
    double ub;
    unsigned char *bopen; /* [m] */
    int *bassign;         /* [n] SS */
    double *bfrac;        /* [m*n] MS */
    double *bw;           /* [m] MS: capacity prices of the incumbent's transportation */
    pj_cflp_tp *tp;
    int only_better; /* MS: ms_eval may give up on sets that cannot beat the incumbent */
    uint64_t *seen;
    /* scratch */
    unsigned char *open;      /* [m] */
    int *asg;                 /* [n] */
    double *rem;              /* [m] */
    int *osites;              /* [m] */
    kv *cust;                 /* [n] */
    const pj_algo_opts *opts; /* the caller's (cancellation, progress) */
    double *shown;            /* the progress last reported (shared by mc with its parent) */
    double shown_own;
    int no_heur;     /* subgradient without the Lagrangian heuristic */
    double move_cut; /* > 0: ss_move's cut (see move_hopeful, SS_MOVE_CUT) */
    double target;   /* subgradient: an estimate of the optimum below ub (0: none) */
    pj_cflp defl;    /* large SS: the instance with less capacity that mc searches */
    struct ctx *mc;  /* large SS: the multi-source search (on defl), for sites */
} ctx;

/* The searches end by the work they have done, counted in steps of their inner loops (a count
 * that depends only on the instance, the seed and the budget), so a seed gives the same result
 * on any machine and under any load; the wall clock (the caller's time limit) stops them only
 * when the machine is slower than the budget assumes. */
/* Reports the fraction f of the solve done to the caller, never less than before (mc and its
 * parent share what was shown). */
static void progress(ctx *c, double f)
{
    if (!c->opts || !c->opts->progress || f <= *c->shown) return;
    *c->shown = f;
    c->opts->progress(c->opts->progress_ud, f);
}

/* Between the phases' own reports: the share of the budget's work done, or of the time limit
 * when the clock runs ahead of it (a slow or busy machine), in steps of 1 % and below 1 (the
 * end reports 1) — a long search shows it moves. */
static void progress_between(ctx *c)
{
    if (!c->opts || !c->opts->progress || !(c->wtot > 0) || !isfinite(c->wtot)) return;
    double f = *c->work / c->wtot, now = pj_algo_now();
    if (c->deadline > c->t0) f = fmax(f, (now - c->t0) / (c->deadline - c->t0));
    f = fmin(f, 0.99);
    if (f >= *c->shown + 0.01) progress(c, f);
}

static int timeup(ctx *c)
{
    if (c->timed_out) return 1;
    progress_between(c);
    if (*c->work >= c->wend || pj_algo_cancelled(c->opts)) {
        c->timed_out = 1;
    } else if (pj_algo_now() >= c->deadline) {
        c->timed_out = c->clock_hit = 1;
    }
    return c->timed_out;
}

/* The clock time by which a phase that ends at the fraction f of the budget ends at the
 * latest: when only the later phases' share of the budget, in seconds of the reference machine,
 * is left before the deadline — so the time limit's margin over the budget goes to whichever
 * phase runs slow, and a machine slower than the budget assumes by less than that margin in
 * all still ends every phase by its work (the same result as on a fast one) — and never before
 * the same fraction of the time limit (a budget above the time limit: the phases share the
 * time as the budget does). */
static double phase_clock(const ctx *c, double f)
{
    double prop = c->t0 + f * (c->deadline - c->t0);
    return fmax(prop, c->deadline - (1 - f) * c->wtot / WORK_PER_S);
}

/* 1 once a phase that ends at the fraction f of the budget is over: by the work done or, on
 * a machine slower than the budget assumes, by the clock (phase_clock). */
static int phase_over(ctx *c, double f)
{
    if (*c->work >= f * c->wtot) return 1;
    if (pj_algo_now() < phase_clock(c, f)) return 0;
    c->clock_hit = 1;
    return 1;
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

/* Site i's customers with a positive profit u_j - c_ij into the knapsack item buffers
 * (ip profit, iw weight, iref customer). Returns how many. */
static int site_items(ctx *c, int i, const double *u, double umax)
{
    int k = 0, p;
    for (p = c->rowp[i]; p < c->rowp[i + 1]; p++) {
        int j = c->rowj[p];
        double cc = c->rowc[p];
        /* rows are by cost per unit (customers without demand first): none of the rest pays */
        if (c->lazy_ok && c->rowr[p] >= umax && isfinite(c->rowr[p])) break;
        if (cc < u[j]) {
            c->ip[k] = u[j] - cc;
            c->iw[k] = c->in->demand[j];
            c->iref[k] = j;
            k++;
        }
    }
    *c->work += p - c->rowp[i] + k;
    return k;
}

/* The continuous knapsack over the k items for capacity W: its profit (an upper bound on the
 * 0-1 knapsack's); with sj/sx the chosen customers and their fractions (count returned in
 * *cnt). */
static double lp_knap(ctx *c, int k, double W, int *sj, double *sx, int *cnt)
{
    double prof = 0;
    int q = 0;
    for (int t = 0; t < k; t++) {
        if (c->iw[t] <= 0) {
            prof += c->ip[t];
            if (sj) sj[*cnt] = c->iref[t], sx[(*cnt)++] = 1;
        } else {
            c->kvbuf[q].key = -c->ip[t] / c->iw[t];
            c->kvbuf[q].idx = t;
            q++;
        }
    }
    double r = W;
    *c->work += 4.0 * k;
    int nsel = frac_knap(c->kvbuf, q, c->iw, &r);
    for (int a = 0; a < nsel; a++) {
        int t = c->kvbuf[a].idx;
        double x = a < nsel - 1 || r >= 0 ? 1 : (c->iw[t] + r) / c->iw[t];
        prof += x * c->ip[t];
        if (sj) sj[*cnt] = c->iref[t], sx[(*cnt)++] = x;
    }
    return prof;
}

/* Single-source: site i's value f_i - (0-1 knapsack profit) over its k items, with its
 * selection. The knapsack's upper bound is used when its search stops early (a lower value:
 * the bound stays valid). */
static double ss_site_value(ctx *c, int i, int k)
{
    int n = c->n;
    int *sj = c->selj + (size_t)i * n;
    double *sx = c->selx + (size_t)i * n;
    double pub;
    knap01(&c->K, k, c->ip, c->iw, c->in->capacity[i], c->itake, &pub);
    c->selcnt[i] = 0;
    for (int t = 0; t < k; t++)
        if (c->itake[t]) {
            sj[c->selcnt[i]] = c->iref[t];
            sx[c->selcnt[i]++] = 1;
        }
    return c->in->fixed_cost[i] - pub;
}

/* Site i's exact value at u (f_i minus its knapsack's profit: continuous for multi-source,
 * 0-1 for single-source) with its selection. */
static double site_value(ctx *c, int i, const double *u, double umax)
{
    int k = site_items(c, i, u, umax);
    if (c->kind == PJ_CFLP_SINGLE) return ss_site_value(c, i, k);
    c->selcnt[i] = 0;
    return c->in->fixed_cost[i] - lp_knap(c, k, c->in->capacity[i], c->selj + (size_t)i * c->n,
                                          c->selx + (size_t)i * c->n, &c->selcnt[i]);
}

/* Evaluates L(u) for the relaxation of sum_i x_ij = 1. fix[i]: -1 free, 0 closed, 1 open
 * (NULL = all free). Fills v, yl, g and the per-site selections. Returns -INFINITY when the
 * node is infeasible for the capacity cover.
 * Large single-source instances (lazy_ok): sites the relaxation keeps closed are not solved
 * exactly unless the capacity cover opens them. A site whose continuous knapsack leaves its
 * value >= 0 is closed (its 0-1 value is higher still) and stays so while the multipliers have
 * risen by less than that value since (its profit grows by at most the sum of the rises); it
 * is not looked at again until they have risen by half of it. Such a site's v is a lower value
 * (so L stays a bound); the cover solves every site it opens exactly and is solved again until
 * it opens only exact ones (at most 50 rounds; then L is still a bound, its subgradient
 * approximate). Other instances get every value exactly (see ctx_init). */
static double lagr_eval(ctx *c, const double *u, const signed char *fix)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n, nlazy = 0;
    double L = 0, umax = -INFINITY, rise = 0;
    for (int j = 0; j < n; j++) {
        L += u[j];
        c->g[j] = 1;
        if (in->demand[j] > 0 && u[j] / in->demand[j] > umax) umax = u[j] / in->demand[j];
        if (u[j] > c->ulast[j]) rise += u[j] - c->ulast[j];
        c->ulast[j] = u[j];
    }
    c->rise += rise;
    *c->work += 2.0 * n + 2.0 * m;
    for (int i = 0; i < m; i++) {
        c->selcnt[i] = 0;
        c->yl[i] = 0;
        if (!c->allow[i] || (fix && fix[i] == 0)) {
            c->v[i] = INFINITY;
            continue;
        }
        if ((fix && fix[i] == 1) || !c->lazy_ok) {
            c->v[i] = site_value(c, i, u, umax);
            continue;
        }
        double drift = c->rise - c->vrise[i];
        if (c->vlow[i] > 0 && drift <= 0.5 * c->vlow[i]) {
            c->v[i] = c->vlow[i] - drift; /* still closed, not looked at */
            c->lazy[nlazy++] = i;
            continue;
        }
        int k = site_items(c, i, u, umax);
        int *sj = c->selj + (size_t)i * n;
        double *sx = c->selx + (size_t)i * n;
        int multi = c->kind == PJ_CFLP_MULTI;
        double vl = in->fixed_cost[i] - lp_knap(c, k, in->capacity[i], multi ? sj : NULL,
                                                multi ? sx : NULL, &c->selcnt[i]);
        c->vlow[i] = vl, c->vrise[i] = c->rise;
        if (multi) {
            c->v[i] = vl; /* exact */
        } else if (vl >= 0) {
            c->v[i] = vl;
            c->lazy[nlazy++] = i;
        } else {
            c->v[i] = ss_site_value(c, i, k);
        }
    }
    /* y: open negative sites and forced ones, then the cheapest capacity cover */
    double capo = 0;
    for (int i = 0; i < m; i++)
        if (isfinite(c->v[i]) && ((fix && fix[i] == 1) || c->v[i] < 0)) capo += in->capacity[i];
    double need = c->D - capo;
    for (int t = 0; t < nlazy; t++) c->lzf[c->lazy[t]] = 1;
    for (int round = 0;; round++) {
        double capc = 0, vsum = 0, Lr = L;
        int k = 0;
        *c->work += 2.0 * m;
        for (int i = 0; i < m; i++) {
            c->yl[i] = 0;
            if (!isfinite(c->v[i])) continue;
            if ((fix && fix[i] == 1) || c->v[i] < 0) {
                c->yl[i] = 1;
                Lr += c->v[i];
            } else if (in->capacity[i] > 0) {
                c->ip[k] = c->v[i];
                c->iw[k] = in->capacity[i];
                c->iref[k] = i;
                capc += in->capacity[i];
                vsum += c->v[i];
                k++;
            }
        }
        int redo = 0;
        if (need > 1e-9 * (1 + c->D)) {
            if (capc < need * (1 - 1e-12)) {
                L = -INFINITY;
                break;
            }
            if (c->lazy_ok) {
                /* a site worth more than the greedy cover is never in the cheapest cover
                 * (values here are >= 0): it stays closed and out of the knapsack (elsewhere
                 * the knapsack keeps every site: its node limit makes the result depend on the
                 * items, and the multi-source searches were tuned with all of them) */
                for (int t = 0; t < k; t++)
                    c->kvbuf[t].key = c->ip[t] / c->iw[t], c->kvbuf[t].idx = t;
                double r = need, zg = 0;
                int ng = frac_knap(c->kvbuf, k, c->iw, &r);
                for (int a = 0; a < ng; a++) zg += c->ip[c->kvbuf[a].idx];
                int kk = 0;
                capc = vsum = 0;
                for (int t = 0; t < k; t++) {
                    if (c->ip[t] > zg) continue;
                    c->ip[kk] = c->ip[t], c->iw[kk] = c->iw[t], c->iref[kk] = c->iref[t];
                    capc += c->iw[kk], vsum += c->ip[kk];
                    kk++;
                }
                k = kk;
            }
            double pub;
            /* choose sites NOT to open: max value kept closed within the spare capacity */
            knap01(&c->K, k, c->ip, c->iw, fmax(0, capc - need), c->itake, &pub);
            Lr += vsum - pub;
            for (int t = 0; t < k; t++)
                if (!c->itake[t]) c->yl[c->iref[t]] = 1;
            for (int t = 0; t < nlazy; t++) { /* (site_value reuses the item buffers) */
                int i = c->lazy[t];
                if (c->yl[i] && c->lzf[i]) { /* opened by the cover with its lower value */
                    c->lzf[i] = 0;
                    c->v[i] = site_value(c, i, u, umax);
                    redo = 1;
                }
            }
        }
        /* the values of lazy sites are lower than their 0-1 values, so Lr is a bound; once the
         * cover opens only sites with exact values, it is L(u) */
        if (!redo || round > 50) {
            L = Lr;
            break;
        }
    }
    for (int t = 0; t < nlazy; t++) c->lzf[c->lazy[t]] = 0;
    if (!isfinite(L)) return L;
    for (int i = 0; i < m; i++) {
        if (!c->yl[i]) continue;
        const int *sj = c->selj + (size_t)i * n;
        const double *sx = c->selx + (size_t)i * n;
        for (int t = 0; t < c->selcnt[i]; t++) c->g[sj[t]] -= sx[t];
        *c->work += c->selcnt[i];
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

/* Cost of open set (fixed + transportation); INFINITY when infeasible, or, with
 * c->only_better, when it cannot beat the incumbent. Closes sites the transportation leaves
 * empty (open[] updated). Updates the incumbent. */
static double ms_eval(ctx *c, unsigned char *open)
{
    double service;
    double cutoff = INFINITY;
    if (c->only_better && isfinite(c->ub)) {
        /* only an improvement matters: stop the transportation once it cannot be one */
        double fixed = 0;
        for (int i = 0; i < c->m; i++)
            if (open[i]) fixed += c->in->fixed_cost[i];
        cutoff = c->ub - fixed + 1e-7 * fmax(1, fabs(c->ub));
    }
    double w0 = pj_cflp_tp_work(c->tp);
    int rc = pj_cflp_tp_solve_below(c->tp, open, cutoff, &service);
    *c->work += pj_cflp_tp_work(c->tp) - w0 + 2.0 * c->m;
    if (rc != 0) return INFINITY;
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
        *c->work += 0.5 * m * n;
        memcpy(c->bopen, open, (size_t)m);
        memcpy(c->bfrac, fr, (size_t)m * n * sizeof(double));
        pj_cflp_tp_prices(c->tp, open, c->bw);
    }
    return tot;
}

/* Adds closed allowed sites in order of the Lagrangian value v until capacity >= need. */
static void add_capacity(ctx *c, unsigned char *open, double need)
{
    double cap = 0;
    for (int i = 0; i < c->m; i++)
        if (open[i]) cap += c->in->capacity[i];
    *c->work += c->m;
    while (cap < need) {
        int best = -1;
        double bv = INFINITY;
        *c->work += c->m;
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

/* One candidate move of the guided search: close a (or -1), open b (or -1). */
typedef struct msmove {
    double est;
    int a, b;
} msmove;

static int msmove_cmp(const void *x, const void *y)
{
    const msmove *p = x, *q = y;
    if (p->est < q->est) return -1;
    if (p->est > q->est) return 1;
    if (p->a != q->a) return p->a - q->a;
    return p->b - q->b;
}

/* Guided local search: every close, open and swap move around the incumbent is first
 * estimated from the incumbent's transportation duals (per-unit cost c_ij/d_j plus the
 * capacity price w_i of the serving site), then the moves are solved exactly in order of
 * their estimate until one improves; a round ends when `tries` moves in a row fail. */
typedef struct mscur {
    unsigned char *open; /* [m] */
    double *frac;        /* [m*n] */
    double *w;           /* [m] */
    double cost;
} mscur;

/* Solves open set tr exactly (the incumbent is updated by ms_eval); when it beats the current
 * solution, or always when force, it becomes the current solution. Returns its cost. */
static double ms_step(ctx *c, unsigned char *tr, mscur *cur, int force)
{
    double z = ms_eval(c, tr);
    if (isfinite(z) && (force || z < cur->cost - 1e-9 * fmax(1, fabs(z)))) {
        *c->work += 0.5 * c->m * c->n;
        memcpy(cur->open, tr, (size_t)c->m);
        memcpy(cur->frac, pj_cflp_tp_fractions(c->tp), (size_t)c->m * c->n * sizeof(double));
        pj_cflp_tp_prices(c->tp, tr, cur->w);
        cur->cost = z;
    }
    return z;
}

static void ms_guided_search(ctx *c, mscur *cur, int tries)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n;
    double *best1 = malloc((size_t)n * sizeof(double)), *best2 = malloc((size_t)n * sizeof(double));
    int *site1 = malloc((size_t)n * sizeof(int));
    double *cls = malloc((size_t)m * sizeof(double)), *gain = malloc((size_t)m * sizeof(double));
    double *sv = malloc((size_t)n * sizeof(double));
    int *alist = malloc((size_t)n * sizeof(int));
    unsigned char *tr = malloc((size_t)m);
    int *olist = malloc((size_t)m * sizeof(int));
    size_t cap_moves = (size_t)m * 64 + (size_t)m * 2;
    msmove *mv = malloc(cap_moves * sizeof(msmove));
    kv *items = malloc((size_t)n * sizeof(kv));
    if (!best1 || !best2 || !site1 || !cls || !gain || !sv || !alist || !tr || !olist || !mv ||
        !items)
        goto out;
    for (int round = 0; round < 100000 && !timeup(c) && !proven(c); round++) {
        if (!isfinite(cur->cost)) break;
        const double *w = cur->w;
        int no = 0;
        double capo = 0;
        for (int i = 0; i < m; i++)
            if (cur->open[i]) olist[no++] = i, capo += in->capacity[i];
        *c->work += m + 3.0 * n * no;
        /* per-unit marginal cost of every customer: best and second-best open site */
        for (int j = 0; j < n; j++) {
            double d = in->demand[j], b1 = INFINITY, b2 = INFINITY;
            int s1 = -1;
            for (int q = 0; q < no; q++) {
                int i = olist[q];
                double val = cst(c, i, j) / (d > 0 ? d : 1) + w[i];
                if (val < b1)
                    b2 = b1, b1 = val, s1 = i;
                else if (val < b2)
                    b2 = val;
            }
            best1[j] = b1, best2[j] = b2, site1[j] = s1;
        }
        /* close estimates */
        for (int q = 0; q < no; q++) {
            int a = olist[q];
            double e = -in->fixed_cost[a];
            if (capo - in->capacity[a] < c->D * (1 - 1e-12)) e = INFINITY;
            const double *fa = cur->frac + (size_t)a * n;
            for (int j = 0; j < n && isfinite(e); j++) {
                if (!(fa[j] > 0)) continue;
                double d = in->demand[j], alt = site1[j] == a ? best2[j] : best1[j];
                e += fa[j] * (d > 0 ? d : 1) * (alt - (cst(c, a, j) / (d > 0 ? d : 1) + w[a]));
            }
            cls[a] = e;
        }
        /* open estimates: fill the site with the customers that save most per unit */
        int nm = 0;
        for (int b = 0; b < m; b++) {
            gain[b] = 0;
            if (cur->open[b] || !c->allow[b] || in->capacity[b] <= 0) continue;
            int k = 0;
            for (int j = 0; j < n; j++) {
                double d = in->demand[j];
                double s = best1[j] - w[site1[j]] - cst(c, b, j) / (d > 0 ? d : 1);
                if (s > 0) items[k].key = -s, items[k].idx = j, k++;
            }
            *c->work += n + 4.0 * k * (1 + ilogb(k + 1));
            if (k == 0) continue;
            qsort(items, (size_t)k, sizeof(kv), kv_cmp);
            double r = in->capacity[b], g = 0;
            for (int t = 0; t < k && r > 0; t++) {
                double d = in->demand[items[t].idx], x = d <= r ? d : r;
                g += -items[t].key * (d > 0 ? x : 1);
                r -= x;
            }
            gain[b] = g;
            mv[nm++] = (msmove){in->fixed_cost[b] - g, -1, b};
        }
        for (int q = 0; q < no; q++)
            if (isfinite(cls[olist[q]])) mv[nm++] = (msmove){cls[olist[q]], olist[q], -1};
        /* swap estimates: close a, open b; a's customers may go to b */
        for (int q = 0; q < no; q++) {
            int a = olist[q];
            const double *fa = cur->frac + (size_t)a * n;
            double base = -in->fixed_cost[a];
            int na = 0; /* a's customers, listed once */
            for (int j = 0; j < n; j++) {
                if (!(fa[j] > 0)) continue;
                double d = in->demand[j];
                sv[j] = site1[j] == a ? best2[j] : best1[j];
                base += fa[j] * (d > 0 ? d : 1) * (sv[j] - (cst(c, a, j) / (d > 0 ? d : 1) + w[a]));
                alist[na++] = j;
            }
            /* keep the best 64 swaps of a (a small heap would be faster; m is modest) */
            int start = nm;
            *c->work += n + (double)m * (2 + 4.0 * na);
            for (int b = 0; b < m; b++) {
                if (cur->open[b] || !c->allow[b] || in->capacity[b] <= 0) continue;
                if (capo - in->capacity[a] + in->capacity[b] < c->D * (1 - 1e-12)) continue;
                double e = base + in->fixed_cost[b], used = 0, back = 0;
                for (int t = 0; t < na; t++) {
                    int j = alist[t];
                    double d = in->demand[j], u = cst(c, b, j) / (d > 0 ? d : 1);
                    if (u < sv[j]) {
                        e -= fa[j] * (d > 0 ? d : 1) * (sv[j] - u);
                        used += fa[j] * d;
                        double s0 = best1[j] - w[site1[j]] - u;
                        back += fa[j] * d * (s0 > 0 ? s0 : 0);
                    }
                }
                if (!isfinite(e)) continue;
                /* the other customers' gain on b, scaled to the capacity left */
                double left = in->capacity[b] - used;
                double g = gain[b] - back;
                if (left <= 0)
                    g = 0;
                else if (g > 0 && used > 0)
                    g *= left / in->capacity[b];
                e -= g > 0 ? g : 0;
                msmove x = {e, a, b};
                if (nm - start < 64) {
                    mv[nm++] = x;
                } else {
                    int worst = start;
                    for (int t = start + 1; t < nm; t++)
                        if (mv[t].est > mv[worst].est) worst = t;
                    if (x.est < mv[worst].est) mv[worst] = x;
                }
            }
        }
        qsort(mv, (size_t)nm, sizeof(msmove), msmove_cmp);
        *c->work += 4.0 * nm * (1 + ilogb(nm + 1));
        double before = cur->cost;
        int improved = 0;
        for (int t = 0; t < nm && t < tries && !timeup(c); t++) {
            memcpy(tr, cur->open, (size_t)m);
            if (mv[t].a >= 0) tr[mv[t].a] = 0;
            if (mv[t].b >= 0) tr[mv[t].b] = 1;
            if (!seen_add(c, set_hash(tr, m))) continue;
            double z = ms_step(c, tr, cur, 0);
            (void)z;
            if (cur->cost < before - 1e-9 * fmax(1, fabs(before))) {
                improved = 1;
                break;
            }
        }
        if (!improved) break;
    }
out:
    free(best1);
    free(best2);
    free(site1);
    free(cls);
    free(gain);
    free(sv);
    free(alist);
    free(tr);
    free(olist);
    free(mv);
    free(items);
}

/* Iterated guided search: from the incumbent, close one or two random open sites and open
 * as many of the closed sites the Lagrangian relaxation rates best, then run the guided
 * search from there. `kicks` perturbations (deterministic for the seed). */
static void ms_iterated_search(ctx *c, int tries, int kicks)
{
    int m = c->m, n = c->n;
    mscur cur = {malloc((size_t)m), malloc((size_t)m * n * sizeof(double)),
                 malloc((size_t)m * sizeof(double)), INFINITY};
    unsigned char *tr = malloc((size_t)m);
    int *olist = malloc((size_t)m * sizeof(int));
    kv *cand = malloc((size_t)m * sizeof(kv));
    if (!cur.open || !cur.frac || !cur.w || !tr || !olist || !cand || !isfinite(c->ub)) goto out;
    int nc = 0;
    lagr_eval(c, c->bestu, NULL);
    for (int i = 0; i < m; i++)
        if (c->allow[i] && c->in->capacity[i] > 0) {
            cand[nc].key = isfinite(c->v[i]) ? c->v[i] / c->in->capacity[i] : 1e300;
            cand[nc].idx = i;
            nc++;
        }
    qsort(cand, (size_t)nc, sizeof(kv), kv_cmp);
    int top = nc < 30 ? nc : 30;
    for (int kick = 0; kick <= kicks && !timeup(c) && !proven(c); kick++) {
        memcpy(cur.open, c->bopen, (size_t)m);
        memcpy(cur.frac, c->bfrac, (size_t)m * n * sizeof(double));
        memcpy(cur.w, c->bw, (size_t)m * sizeof(double));
        cur.cost = c->ub;
        *c->work += 0.5 * m * n;
        if (kick > 0) {
            memcpy(tr, c->bopen, (size_t)m);
            int no = 0;
            for (int i = 0; i < m; i++)
                if (tr[i]) olist[no++] = i;
            int k = 1 + (int)pj_rng_below(&c->rng, 2);
            for (int q = 0; q < k && no > 1; q++) {
                int p = (int)pj_rng_below(&c->rng, (uint32_t)no);
                tr[olist[p]] = 0;
                olist[p] = olist[--no];
            }
            for (int q = 0, added = 0; q < 4 * k && added < k && top > 0; q++) {
                int b = cand[pj_rng_below(&c->rng, (uint32_t)top)].idx;
                if (!tr[b]) tr[b] = 1, added++;
            }
            add_capacity(c, tr, c->D);
            if (!seen_add(c, set_hash(tr, m))) continue;
            if (!isfinite(ms_step(c, tr, &cur, 1))) continue;
        }
        ms_guided_search(c, &cur, tries);
    }
out:
    free(cur.open);
    free(cur.frac);
    free(cur.w);
    free(tr);
    free(olist);
    free(cand);
}

/* Closed sites near open site i, nearest first, into near[] (returns how many): ranked by
 * the mean unit cost from the site to the demand i serves in the incumbent (multi-source: the
 * fractions of the customers i serves; single-source: the customers assigned to it), a pair
 * it cannot serve counting as very far. */
static int near_sites(ctx *c, int i, kv *near)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n, nj = 0, multi = c->kind == PJ_CFLP_MULTI;
    const double *fi = multi ? c->bfrac + (size_t)i * n : NULL;
    int *js = c->asg; /* scratch [n] */
    double w = 0;
    for (int j = 0; j < n; j++) {
        double f = multi ? fi[j] : c->bassign[j] == i;
        if (f > 0) js[nj++] = j, w += f * in->demand[j];
    }
    if (nj == 0 || w <= 0) return 0;
    int nl = 0;
    for (int b = 0; b < m; b++) {
        if (c->bopen[b] || !c->allow[b] || in->capacity[b] <= 0) continue;
        double sum = 0;
        for (int t = 0; t < nj; t++) {
            int j = js[t];
            double f = multi ? fi[j] : 1, cc = cst(c, b, j);
            sum += isfinite(cc) ? f * cc : f * in->demand[j] * 1e6;
        }
        near[nl].key = sum / w;
        near[nl].idx = b;
        nl++;
    }
    qsort(near, (size_t)nl, sizeof(kv), kv_cmp);
    *c->work += n + (double)nl * (nj + 4 * (1 + ilogb(nl + 1)));
    return nl;
}

/* Local search over open/close/swap moves, each evaluated exactly. Swaps close an open site
 * and open one of the `nearby` closed sites nearest to it (near_sites) when nearby > 0, else one
 * of the 20 closed sites the Lagrangian relaxation rates best. */
static void ms_local_search(ctx *c, int max_rounds, int nearby)
{
    int m = c->m;
    unsigned char *cur = malloc((size_t)m), *tr = malloc((size_t)m);
    kv *cand = malloc((size_t)m * sizeof(kv));
    kv *near = nearby > 0 ? malloc((size_t)m * sizeof(kv)) : NULL;
    if (!cur || !tr || !cand || (nearby > 0 && !near)) goto out;
    /* every move here is judged by improvement alone; on large instances the transportation
     * may stop early (a move that only pays once a site left empty is closed is then missed) */
    c->only_better = (double)c->m * c->n > 1e5;
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
        for (int i = 0; i < m && !timeup(c) && nearby > 0; i++) {
            if (!cur[i] || !c->bopen[i]) continue;
            int nl = near_sites(c, i, near);
            for (int a = 0; a < nl && a < nearby && c->bopen[i] && !timeup(c); a++) {
                memcpy(tr, c->bopen, (size_t)m);
                tr[i] = 0;
                tr[near[a].idx] = 1;
                ms_eval(c, tr);
            }
        }
        for (int i = 0; i < m && !timeup(c) && nearby <= 0; i++) {
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
    c->only_better = 0;
    free(cur);
    free(tr);
    free(cand);
    free(near);
}

/* ---------------------------------------------------------------- single-source primal */

/* Total cost of an assignment. */
static double ss_cost(const ctx *c, const unsigned char *open, const int *asg)
{
    double t = 0;
    *c->work += c->m + c->n;
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
        *c->work += n + k;
        for (int j = 0; j < n; j++) {
            int a = asg[j];
            if (rem[a] >= 0) continue; /* only customers of overloaded sites move */
            *c->work += 2.0 * (k + n);
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
    *c->work += m + 2.0 * n * k;
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
            *c->work += (double)n * k;
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
        *c->work += (double)n * k + 0.5 * n * n;
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
                *c->work += k;
                int bb = -1, bh = -1, bl = -1;
                for (int qb = 0; qb < k; qb++) {
                    int b = c->osites[qb];
                    if (b == a) continue;
                    double base = cst(c, b, j) - cst(c, a, j);
                    if (!(base < 0) || rem[b] >= dj) continue;
                    double need = dj - rem[b];
                    *c->work += n;
                    for (int h = 0; h < n; h++) {
                        if (asg[h] != b || in->demand[h] < need) continue;
                        *c->work += k;
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

/* 0 when c->move_cut is set and the move's assignment before its improvement costs more
 * than the incumbent times 1 + move_cut. On the district's resettlement instance (1,151 sites
 * × 302 villages) no move that improved the incumbent had cost more than 0.56 % above it
 * before ss_improve, while four in five of all moves cost more than 0.5 % above it; ss_improve
 * and ss_repair were most of the site search's time, which ends by its budget long before it
 * has tried every move. */
static int move_hopeful(ctx *c, const unsigned char *open, const int *asg)
{
    return !(c->move_cut > 0 && isfinite(c->ub)) ||
           ss_cost(c, open, asg) <= c->ub * (1 + c->move_cut);
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
    *c->work += 2.0 * m + 2.0 * n * (1 + nop);
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
        *c->work += 2.0 * m;
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
    if (!ok && !move_hopeful(c, tr, asg)) return INFINITY; /* before its costly repair */
    if (!ok && ss_repair(c, tr, asg, rem) != 0) return INFINITY;
    if (!move_hopeful(c, tr, asg)) return INFINITY;
    ss_improve(c, tr, asg, rem);
    ss_trim(c, tr, asg);
    ss_update(c, tr, asg);
    return ss_cost(c, tr, asg);
}

static void subgradient(ctx *c, int maxit, double phase, double lambda0);
static void ctx_free(ctx *c);
static int ctx_init(ctx *c, const pj_cflp *in, pj_cflp_kind kind);

/* Removes the capacity excess of a complete assignment (rem < 0 somewhere) step by step,
 * taking the step with the lowest cost per unit of excess removed: a shift of a customer of an
 * overloaded site to an open site with room for it, or the opening of a closed site (fixed
 * cost) that takes the customers of overloaded sites it saves most on, while they still
 * overload their site and fit. open[] is updated. Returns 0 when feasible, -1 when stuck. */
static int ss_fit(ctx *c, unsigned char *open, int *asg, double *rem)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n;
    const double *d = in->demand;
    double *trem = malloc((size_t)m * sizeof(double));
    kv *cand = malloc((size_t)n * sizeof(kv));
    int rc = -1;
    if (!trem || !cand) goto out;
    for (int guard = 0; guard < 2 * n + 10 && !timeup(c); guard++) {
        double best = INFINITY;
        int bj = -1, bb = -1, bx = -1, over = 0;
        *c->work += 2.0 * n + (double)m * n;
        for (int j = 0; j < n; j++) {
            int a = asg[j];
            if (rem[a] >= 0) continue;
            over = 1;
            double caj = cst(c, a, j), gain = fmin(d[j], -rem[a]);
            for (int q = 0; q < m; q++) {
                if (!open[q] || q == a || rem[q] < d[j]) continue;
                double r = (cst(c, q, j) - caj) / gain;
                if (r < best) best = r, bj = j, bb = q, bx = -1;
            }
        }
        if (!over) {
            rc = 0;
            break;
        }
        for (int b = 0; b < m; b++) {
            if (open[b] || !c->allow[b] || in->capacity[b] <= 0) continue;
            int k = 0;
            for (int j = 0; j < n; j++) {
                double cb = cst(c, b, j);
                if (rem[asg[j]] < 0 && isfinite(cb) && d[j] <= in->capacity[b])
                    cand[k].key = cb - cst(c, asg[j], j), cand[k].idx = j, k++;
            }
            if (!k) continue;
            qsort(cand, (size_t)k, sizeof(kv), kv_cmp);
            for (int q = 0; q < k; q++) trem[asg[cand[q].idx]] = rem[asg[cand[q].idx]];
            double room = in->capacity[b], cost = in->fixed_cost[b], gain = 0;
            for (int q = 0; q < k; q++) {
                int j = cand[q].idx, a = asg[j];
                if (trem[a] >= 0 || d[j] > room) continue;
                gain += fmin(d[j], -trem[a]);
                cost += cand[q].key;
                trem[a] += d[j];
                room -= d[j];
            }
            if (gain > 0 && cost / gain < best) best = cost / gain, bx = b;
        }
        if (bx >= 0) {
            /* open bx and move to it the customers counted above */
            int b = bx, k = 0;
            open[b] = 1;
            rem[b] = in->capacity[b];
            for (int j = 0; j < n; j++) {
                double cb = cst(c, b, j);
                if (rem[asg[j]] < 0 && isfinite(cb) && d[j] <= in->capacity[b])
                    cand[k].key = cb - cst(c, asg[j], j), cand[k].idx = j, k++;
            }
            qsort(cand, (size_t)k, sizeof(kv), kv_cmp);
            for (int q = 0; q < k; q++) {
                int j = cand[q].idx, a = asg[j];
                if (rem[a] >= 0 || d[j] > rem[b]) continue;
                rem[a] += d[j];
                rem[b] -= d[j];
                asg[j] = b;
            }
        } else if (bj >= 0) {
            rem[asg[bj]] += d[bj];
            rem[bb] -= d[bj];
            asg[bj] = bb;
        } else {
            break;
        }
    }
out:
    free(trem);
    free(cand);
    return rc;
}

/* Single-source assignment for open[] from a multi-source solution's fractions frac: each
 * customer to the site serving most of it, excess repaired, then the descent. Returns 0 on
 * success (asg, rem filled). */
static int ss_from_frac(ctx *c, unsigned char *open, const double *frac, int *asg, double *rem)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n, over = 0;
    *c->work += m + (double)m * n;
    for (int i = 0; i < m; i++) rem[i] = open[i] ? in->capacity[i] : 0;
    for (int j = 0; j < n; j++) {
        int best = -1;
        double bf = 0;
        for (int i = 0; i < m; i++)
            if (open[i] && frac[(size_t)i * n + j] > bf && in->capacity[i] >= in->demand[j])
                bf = frac[(size_t)i * n + j], best = i;
        if (best < 0) return -1;
        asg[j] = best;
        rem[best] -= in->demand[j];
        over |= rem[best] < 0;
    }
    if (over && ss_fit(c, open, asg, rem) != 0) return -1;
    ss_improve(c, open, asg, rem);
    return 0;
}

/* Large single-source instances: the multi-source site search (transportation per site set,
 * swaps to nearby sites; started from the sets of the relaxation, see subgradient) finds a
 * good set of sites much faster than the single-source moves do. Its best set is then given a
 * single-source assignment, from its fractions or by regret (the better one), with more sites
 * while it does not fit. Its searches end with the phase (the fraction `phase` of the budget,
 * see phase_over) at the latest. */
static void ss_from_multi(ctx *c, double phase)
{
    int m = c->m;
    ctx *mc = c->mc;
    if (!mc) return;
    mc->wend = fmin(c->wend, phase * c->wtot);
    mc->deadline = fmin(c->deadline, phase_clock(c, phase));
    if (isfinite(c->ub)) {
        memcpy(mc->open, c->bopen, (size_t)m);
        ms_eval(mc, mc->open);
    }
    if (!isfinite(mc->ub)) { /* as in pj_cflp_solve: every allowed site open */
        for (int i = 0; i < m; i++) mc->open[i] = mc->allow[i];
        ms_eval(mc, mc->open);
    }
    if (!isfinite(mc->ub)) return;
    ms_local_search(mc, 50, MS_NEARBY);
    unsigned char *open = c->open;
    memcpy(open, mc->bopen, (size_t)m);
    lagr_eval(c, c->bestu, NULL); /* c->v ranks the sites add_capacity opens */
    for (int tries = 0; tries < 6 && !timeup(c); tries++) {
        int ok = 0;
        if (ss_from_frac(c, open, mc->bfrac, c->asg, c->rem) == 0) {
            ss_trim(c, open, c->asg);
            ss_update(c, open, c->asg);
            memcpy(open, mc->bopen, (size_t)m);
            ok = 1;
        }
        if (ss_assign(c, open, c->asg, c->rem) == 0) {
            ss_improve(c, open, c->asg, c->rem);
            ss_trim(c, open, c->asg);
            ss_update(c, open, c->asg);
            ok = 1;
        }
        if (ok) break;
        double cap = 0;
        for (int i = 0; i < m; i++)
            if (open[i]) cap += c->in->capacity[i];
        add_capacity(c, open, cap + 1e-9);
    }
}

/* Site moves (close / open / swap) around the incumbent, then an iterated local search with
 * random kicks (deterministic for the seed). */
static void ss_local_search(ctx *c, int max_rounds, int kicks, int nearby)
{
    int m = c->m, n = c->n;
    unsigned char *tr = malloc((size_t)m);
    int *asg = malloc((size_t)n * sizeof(int));
    double *rem = malloc((size_t)m * sizeof(double));
    kv *cand = malloc((size_t)m * sizeof(kv));
    int *olist = malloc((size_t)m * sizeof(int));
    kv *near = nearby > 0 ? malloc((size_t)m * nearby * sizeof(kv)) : NULL;
    kv *cand2 = nearby > 0 ? malloc((size_t)m * sizeof(kv)) : NULL;
    int *nnear = nearby > 0 ? calloc((size_t)m, sizeof(int)) : NULL;
    if (!tr || !asg || !rem || !cand || !olist || (nearby > 0 && (!near || !cand2 || !nnear)))
        goto out;
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
            if (nearby > 0 && near) {
                /* large instances: swaps of each open site with its nearest closed sites */
                lim = nearby;
                for (int i = 0; i < m; i++) {
                    nnear[i] = c->bopen[i] ? near_sites(c, i, cand2) : 0;
                    if (nnear[i] > nearby) nnear[i] = nearby;
                    memcpy(near + (size_t)i * nearby, cand2, (size_t)nnear[i] * sizeof(kv));
                }
            }
            for (int mv = 0; mv < m + lim_open + m * lim && !timeup(c); mv++) {
                int cl = -1, op = -1;
                if (mv < m) {
                    cl = mv;
                } else if (mv < m + lim_open) {
                    op = cand[mv - m].idx;
                } else {
                    int r = mv - m - lim_open;
                    cl = r / lim;
                    if (nearby > 0 && near) {
                        if (r % lim >= nnear[cl]) continue;
                        op = near[(size_t)cl * nearby + r % lim].idx;
                    } else {
                        op = cand[r % lim].idx;
                    }
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
    free(near);
    free(cand2);
    free(nnear);
}

/* Tabu search over single-source assignments with the open set implied by the assignment
 * (a site is open while it serves someone): shift a customer to any site (opening or closing
 * one costs its fixed cost), swap two customers, or empty an open site (each of its customers
 * to its best other open site); capacity excess is allowed at a price P
 * that rises while the solution is infeasible and falls while it is feasible. A moved
 * customer may not return to its site for a few iterations. Starts from the incumbent and,
 * every `stall` iterations without a new best, restarts (from the incumbent or from where it
 * is, alternately) with a perturbation: one of the closed sites the relaxation rates best
 * opened, and/or a random open site emptied. Stops after `iters` iterations, or 20 * stall
 * without a better incumbent; every feasible solution better than the incumbent is kept.
 * Deterministic for the seed. */
static void ss_tabu(ctx *c, long iters, long stall)
{
    const pj_cflp *in = c->in;
    int m = c->m, n = c->n;
    const double *C = in->cost, *d = in->demand, *s = in->capacity, *f = in->fixed_cost;
    int *asg = malloc((size_t)n * sizeof(int)), *cnt = calloc((size_t)m, sizeof(int));
    double *load = calloc((size_t)m, sizeof(double));
    long *tabu = calloc((size_t)m * n, sizeof(long));
    unsigned char *open = malloc((size_t)m);
    int *rank = NULL, ntop = 0;
    double *tload = malloc((size_t)m * sizeof(double));
    int *ol = malloc((size_t)m * sizeof(int));
    int *tgt = malloc((size_t)n * sizeof(int)), *ctgt = malloc((size_t)n * sizeof(int));
    int *nb = NULL; /* [n*K] each customer's nearest sites (large instances) */
    if (!asg || !cnt || !load || !tabu || !open || !tload || !ol || !tgt || !ctgt ||
        !isfinite(c->ub))
        goto out;
    double cavg = 0, davg = 0;
    for (int j = 0; j < n; j++) {
        cavg += cst(c, c->bassign[j], j);
        davg += d[j];
    }
    double P0 = davg > 0 ? cavg / davg : 1, P = P0;
    /* the closed sites the relaxation rates best (per unit of capacity), for restarts */
    rank = malloc((size_t)m * sizeof(int));
    if (!rank) goto out;
    {
        kv *order = malloc((size_t)m * sizeof(kv));
        if (!order) goto out;
        lagr_eval(c, c->bestu, NULL);
        int no = 0;
        for (int i = 0; i < m; i++)
            if (c->allow[i] && s[i] > 0 && isfinite(c->v[i]))
                order[no].key = c->v[i] / s[i], order[no].idx = i, no++;
        qsort(order, (size_t)no, sizeof(kv), kv_cmp);
        ntop = no < 20 ? no : 20;
        for (int t = 0; t < ntop; t++) rank[t] = order[t].idx;
        free(order);
    }
    /* large instances: a customer shifts only to its SS_TABU_NEAR cheapest sites */
    int K = (double)m * n > 1e5 && m > SS_TABU_NEAR ? SS_TABU_NEAR : 0;
    if (K) {
        nb = malloc((size_t)n * K * sizeof(int));
        kv *tmp = malloc((size_t)m * sizeof(kv));
        if (!nb || !tmp) {
            free(tmp);
            goto out;
        }
        for (int j = 0; j < n; j++) {
            int q = 0;
            for (int i = 0; i < m; i++)
                if (c->allow[i] && s[i] >= d[j] && isfinite(C[(size_t)i * n + j]))
                    tmp[q].key = C[(size_t)i * n + j], tmp[q].idx = i, q++;
            kv_sort(tmp, q);
            for (int t = 0; t < K; t++) nb[(size_t)j * K + t] = t < q ? tmp[t].idx : -1;
        }
        free(tmp);
    }
    double eps = 1e-9 * (1 + davg);
    long since = 0, restarts = 0, last_imp = 0;
    double best_seen = c->ub;
    for (long it = 0; it < iters; it++) {
        if (it == 0 || since >= stall) {
            /* (re)start from the incumbent, or (every other restart) from where the search
             * is, then perturb: open a good closed site and/or empty a random open one */
            if (it == 0 || (restarts++ & 1)) {
                memcpy(asg, c->bassign, (size_t)n * sizeof(int));
                memset(cnt, 0, (size_t)m * sizeof(int));
                memset(load, 0, (size_t)m * sizeof(double));
                for (int j = 0; j < n; j++) cnt[asg[j]]++, load[asg[j]] += d[j];
            }
            int kind = it > 0 ? (int)pj_rng_below(&c->rng, 3) : -1; /* 0 close, 1 open, 2 both */
            if (kind >= 1 && ntop > 0) {
                /* open one of the best closed sites by the Lagrangian values; move to it the
                 * customers that save most, while it has room */
                int b = -1;
                for (int tries = 0; tries < 8 && b < 0; tries++) {
                    int x = rank[pj_rng_below(&c->rng, (uint32_t)ntop)];
                    if (!cnt[x]) b = x;
                }
                if (b >= 0) {
                    int k2 = 0;
                    for (int j = 0; j < n; j++) {
                        double sv = C[(size_t)asg[j] * n + j] - C[(size_t)b * n + j];
                        if (sv > 0) c->cust[k2].key = -sv, c->cust[k2].idx = j, k2++;
                    }
                    qsort(c->cust, (size_t)k2, sizeof(kv), kv_cmp);
                    for (int t = 0; t < k2; t++) {
                        int j = c->cust[t].idx, a0 = asg[j];
                        if (load[b] + d[j] > s[b]) continue;
                        asg[j] = b, cnt[a0]--, cnt[b]++, load[a0] -= d[j], load[b] += d[j];
                        tabu[(size_t)j * m + a0] = it + n / 10 + 10;
                    }
                }
            }
            if (kind == 0 || kind == 2) {
                int no = 0, pick = -1;
                for (int i = 0; i < m; i++)
                    if (cnt[i]) no++;
                if (no > 1) {
                    int r = (int)pj_rng_below(&c->rng, (uint32_t)no);
                    for (int i = 0; i < m && pick < 0; i++)
                        if (cnt[i] && r-- == 0) pick = i;
                    for (int j = 0; j < n; j++) {
                        if (asg[j] != pick) continue;
                        int bb = -1;
                        double bc = INFINITY;
                        for (int i = 0; i < m; i++)
                            if (i != pick && cnt[i] && C[(size_t)i * n + j] < bc)
                                bc = C[(size_t)i * n + j], bb = i;
                        if (bb < 0) continue;
                        asg[j] = bb, cnt[pick]--, cnt[bb]++, load[pick] -= d[j], load[bb] += d[j];
                        tabu[(size_t)j * m + pick] = it + 2 * n / 10 + 10;
                    }
                }
            }
            since = 0;
            *c->work += 2.0 * m + (double)n * m;
        }
        if ((it & 63) == 0 && timeup(c)) break;
        if (it - last_imp > 20 * stall) break; /* 20 restarts without a new incumbent */
        /* best admissible move */
        int no = 0;
        for (int i = 0; i < m; i++)
            if (cnt[i]) ol[no++] = i;
        *c->work += 3.0 * m + (double)n * (K ? K : m) + 0.5 * n * n + (double)no * (no + 2 * n);
        double bv = INFINITY;
        int bj = -1, bb = -1, bh = -1;
        for (int j = 0; j < n; j++) {
            int a = asg[j];
            double caj = C[(size_t)a * n + j], la = load[a];
            double exa0 = la > s[a] ? la - s[a] : 0, exa1 = la - d[j] > s[a] ? la - d[j] - s[a] : 0;
            double closea = cnt[a] == 1 ? f[a] : 0;
            for (int t = 0; t < (K ? K : m); t++) {
                int b = K ? nb[(size_t)j * K + t] : t;
                if (b < 0) break;
                if (b == a || !c->allow[b]) continue;
                double cb = C[(size_t)b * n + j];
                if (!isfinite(cb) || s[b] < d[j]) continue;
                double lb2 = load[b];
                double exb0 = lb2 > s[b] ? lb2 - s[b] : 0,
                       exb1 = lb2 + d[j] > s[b] ? lb2 + d[j] - s[b] : 0;
                double dc = cb - caj + (cnt[b] == 0 ? f[b] : 0) - closea;
                double de = exb1 - exb0 + exa1 - exa0;
                double val = dc + P * de;
                if (!(val < bv)) continue;
                if (tabu[(size_t)j * m + b] > it) continue;
                bv = val, bj = j, bb = b, bh = -1;
            }
        }
        for (int j = 0; j < n; j++) {
            int a = asg[j];
            for (int h = j + 1; h < n; h++) {
                int b = asg[h];
                if (b == a) continue;
                double cbj = C[(size_t)b * n + j], cah = C[(size_t)a * n + h];
                double dc = cbj + cah - C[(size_t)a * n + j] - C[(size_t)b * n + h];
                if (!(dc < bv)) continue; /* excess can only add when it is non-negative */
                double la = load[a] - d[j] + d[h], lb2 = load[b] - d[h] + d[j];
                double de = (la > s[a] ? la - s[a] : 0) - (load[a] > s[a] ? load[a] - s[a] : 0) +
                            (lb2 > s[b] ? lb2 - s[b] : 0) - (load[b] > s[b] ? load[b] - s[b] : 0);
                double val = dc + P * de;
                if (!(val < bv) || !isfinite(val)) continue;
                if (tabu[(size_t)j * m + b] > it || tabu[(size_t)h * m + a] > it) continue;
                bv = val, bj = j, bb = b, bh = h;
            }
        }
        /* compound move: empty an open site, each of its customers to its best other open
         * site (loads updated as they go) */
        int bclose = -1;
        for (int qa = 0; qa < no; qa++) {
            int a = ol[qa];
            double dc = -f[a], de = 0;
            for (int q = 0; q < no; q++) tload[ol[q]] = load[ol[q]];
            int ok = 1;
            for (int j = 0; j < n && ok; j++) {
                if (asg[j] != a) continue;
                double bvj = INFINITY;
                int bbj = -1;
                for (int q = 0; q < no; q++) {
                    int b = ol[q];
                    if (b == a) continue;
                    double cb = C[(size_t)b * n + j];
                    if (!isfinite(cb)) continue;
                    double lb2 = tload[b];
                    double e1 =
                        (lb2 + d[j] > s[b] ? lb2 + d[j] - s[b] : 0) - (lb2 > s[b] ? lb2 - s[b] : 0);
                    double vj = cb + P * e1;
                    if (vj < bvj) bvj = vj, bbj = b;
                }
                if (bbj < 0) {
                    ok = 0;
                    break;
                }
                double lb2 = tload[bbj];
                de += (lb2 + d[j] > s[bbj] ? lb2 + d[j] - s[bbj] : 0) -
                      (lb2 > s[bbj] ? lb2 - s[bbj] : 0);
                dc += C[(size_t)bbj * n + j] - C[(size_t)a * n + j];
                tload[bbj] += d[j];
                tgt[j] = bbj;
            }
            if (!ok) continue;
            de -= load[a] > s[a] ? load[a] - s[a] : 0;
            double val = dc + P * de;
            if (val < bv) {
                bv = val, bclose = a;
                memcpy(ctgt, tgt, (size_t)n * sizeof(int));
            }
        }
        if (bclose >= 0) {
            int a = bclose;
            for (int j = 0; j < n; j++) {
                if (asg[j] != a) continue;
                int b = ctgt[j];
                asg[j] = b, cnt[a]--, cnt[b]++, load[a] -= d[j], load[b] += d[j];
                tabu[(size_t)j * m + a] = it + n / 10 + 10;
            }
            bj = -1;
        }
        if (bj < 0 && bclose < 0) break;
        if (bj >= 0) {
            int a = asg[bj];
            long tenure = 7 + (long)pj_rng_below(&c->rng, 10);
            tabu[(size_t)bj * m + a] = it + tenure;
            asg[bj] = bb, cnt[a]--, cnt[bb]++, load[a] -= d[bj], load[bb] += d[bj];
            if (bh >= 0) {
                tabu[(size_t)bh * m + bb] = it + tenure;
                asg[bh] = a, cnt[bb]--, cnt[a]++, load[bb] -= d[bh], load[a] += d[bh];
            }
        }
        double ex = 0;
        for (int i = 0; i < m; i++)
            if (load[i] > s[i] + eps) ex += load[i] - s[i];
        if (ex > 0)
            P = fmin(P * 1.05, 1e6 * P0);
        else
            P = fmax(P / 1.05, 1e-3 * P0);
        since++;
        if (ex == 0) {
            for (int i = 0; i < m; i++) open[i] = cnt[i] > 0;
            double z = ss_cost(c, open, asg);
            if (z < best_seen - 1e-9 * fmax(1, fabs(z))) {
                best_seen = z;
                since = 0;
            }
            double before = c->ub;
            ss_update(c, open, asg);
            if (c->ub < before) last_imp = it;
            if (proven(c)) break;
        }
    }
out:
    free(asg);
    free(cnt);
    free(load);
    free(tabu);
    free(open);
    free(rank);
    free(tload);
    free(ol);
    free(tgt);
    free(ctgt);
    free(nb);
}

/* Restart period of the tabu search: 5 iterations per customer, within [300, 1500]. */
static long tabu_stall(int n)
{
    long s = 5L * n;
    return s < 300 ? 300 : s > SS_TABU_STALL ? SS_TABU_STALL : s;
}

/* ---------------------------------------------------------------- driver */

/* Subgradient ascent from c->u until maxit iterations, convergence or the end of the phase
 * (the fraction `phase` of the budget, see phase_over); with the Lagrangian heuristic unless
 * c->no_heur. */
static void subgradient(ctx *c, int maxit, double phase, double lambda0)
{
    int large = (double)c->m * c->n > 1e5;
    int every = large ? 4 : 1; /* heuristic frequency (large: every 16th iteration) */
    int n = c->n;
    double lambda = lambda0, bestL = -INFINITY;
    int noimp = 0, patience = c->kind == PJ_CFLP_MULTI ? 25 : 20;
    if ((double)c->m * c->n > 1e5) patience = 12; /* large: coarser, faster schedule */
    for (int it = 0; it < maxit && !timeup(c) && !phase_over(c, phase); it++) {
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
        if (!c->no_heur &&
            (it % (it < 100 && !large ? every : 4 * every) == 0 || !isfinite(c->ub))) {
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
        if (c->target > 0 && c->target > L && c->target < target) target = c->target;
        double step = lambda * (target - L) / norm;
        for (int j = 0; j < n; j++) c->u[j] += step * c->g[j];
        if (lambda < 1e-3) break;
    }
    if (large && c->kind == PJ_CFLP_MULTI && isfinite(bestL) && !timeup(c) && !proven(c) &&
        isfinite(lagr_eval(c, c->bestu, NULL)))
        ms_heuristic(c); /* at the best multipliers, the start of the local search */
}

/* Lagrangian reduced-cost fixing at the best multipliers: a site whose opposite value
 * (closed when the relaxation opens it, open when it keeps it closed) gives a bound at or
 * above the incumbent cannot be part of a better solution, so it keeps the relaxation's
 * value. fix[i]: 0 closed, 1 open, -1 free. Returns the number of fixed sites. */
static int rc_fix(ctx *c, signed char *fix, unsigned char *y0)
{
    int m = c->m, nfix = 0;
    for (int i = 0; i < m; i++) fix[i] = c->allow[i] ? -1 : 0;
    if (!isfinite(c->ub) || !isfinite(lagr_eval(c, c->bestu, NULL))) return 0;
    memcpy(y0, c->yl, (size_t)m);
    double cut = c->ub - 1e-9 * fmax(1, fabs(c->ub));
    for (int i = 0; i < m; i++) {
        if (!c->allow[i]) continue;
        fix[i] = y0[i] ? 0 : 1; /* the opposite value */
        double L = lagr_eval(c, c->bestu, fix);
        fix[i] = -1;
        if (!isfinite(L) || round_lb(c, L) >= cut) {
            fix[i] = (signed char)y0[i];
            nfix++;
        }
    }
    return nfix;
}

static void ctx_free(ctx *c)
{
    if (c->mc) {
        ctx_free(c->mc);
        free(c->mc);
        c->mc = NULL;
    }
    free(c->defl.capacity); /* the rest of defl is the caller's instance */
    c->defl.capacity = NULL;
    free(c->allow);
    free(c->u);
    free(c->bestu);
    free(c->g);
    free(c->v);
    free(c->yl);
    free(c->selj);
    free(c->selx);
    free(c->selcnt);
    free(c->lazy);
    free(c->lzf);
    free(c->ulast);
    free(c->vlow);
    free(c->vrise);
    free(c->ip);
    free(c->iw);
    free(c->iref);
    free(c->itake);
    free(c->kvbuf);
    free(c->rowp);
    free(c->rowj);
    free(c->rowc);
    free(c->rowr);
    knap_fini(&c->K);
    free(c->bopen);
    free(c->bassign);
    free(c->bfrac);
    free(c->bw);
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
    c->work = &c->work_own;
    c->K.work = c->work;
    c->shown = &c->shown_own;
    c->wend = INFINITY;
    c->allow = malloc((size_t)m);
    c->u = malloc((size_t)n * sizeof(double));
    c->bestu = malloc((size_t)n * sizeof(double));
    c->g = malloc((size_t)n * sizeof(double));
    c->v = malloc((size_t)m * sizeof(double));
    c->yl = calloc((size_t)m, 1);
    c->selj = malloc(mn * sizeof(int));
    c->selx = malloc(mn * sizeof(double));
    c->selcnt = calloc((size_t)m, sizeof(int));
    c->lazy = malloc((size_t)m * sizeof(int));
    c->lzf = calloc((size_t)m, 1);
    c->ulast = calloc((size_t)n, sizeof(double));
    c->vlow = malloc((size_t)m * sizeof(double));
    c->vrise = calloc((size_t)m, sizeof(double));
    if (c->vlow)
        for (int i = 0; i < m; i++) c->vlow[i] = -1; /* not yet evaluated */
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
        c->bw = calloc((size_t)m, sizeof(double));
        c->tp = pj_cflp_tp_new(in);
    }
    if (knap_init(&c->K, mx) != 0 || !c->allow || !c->u || !c->bestu || !c->g || !c->v || !c->yl ||
        !c->selj || !c->selx || !c->selcnt || !c->lazy || !c->lzf || !c->ulast || !c->vlow ||
        !c->vrise || !c->ip || !c->iw || !c->iref || !c->itake || !c->kvbuf || !c->bopen ||
        !c->bassign || !c->seen || !c->open || !c->asg || !c->rem || !c->osites || !c->cust ||
        (kind == PJ_CFLP_MULTI && (!c->bfrac || !c->bw || !c->tp)))
        return -1;
    for (int i = 0; i < m; i++) c->allow[i] = !in->allowed || in->allowed[i];
    /* the finite costs of each site, so the relaxation skips forbidden pairs */
    size_t pairs = 0;
    for (size_t k = 0; k < mn; k++) pairs += isfinite(in->cost[k]) != 0;
    if (pairs > (size_t)0x7fffffff) return -1;
    c->rowp = malloc(((size_t)m + 1) * sizeof(int));
    c->rowj = malloc((pairs ? pairs : 1) * sizeof(int));
    c->rowc = malloc((pairs ? pairs : 1) * sizeof(double));
    c->lazy_ok = kind == PJ_CFLP_SINGLE && (double)m * n > 1e5; /* see below */
    c->rowr = c->lazy_ok ? malloc((pairs ? pairs : 1) * sizeof(double)) : NULL;
    if (!c->rowp || !c->rowj || !c->rowc || (c->lazy_ok && !c->rowr)) return -1;
    int np = 0;
    for (int i = 0; i < m; i++) {
        c->rowp[i] = np;
        for (int j = 0; j < n; j++) {
            double cc = cst(c, i, j);
            if (!isfinite(cc)) continue;
            c->rowj[np] = j;
            c->rowc[np++] = cc;
        }
    }
    c->rowp[m] = np;
    /* large single-source instances: sites the relaxation keeps closed are not solved exactly
     * (lagr_eval), and each row is sorted by cost per unit of demand, so site_items stops at
     * the first pair no multiplier per unit exceeds. Elsewhere every value is exact and rows
     * keep the customers' order: heuristics rank closed sites by the values, and ties among
     * the knapsacks' items go by customer (the multi-source searches were tuned so). */
    for (int i = 0; i < m && c->lazy_ok; i++) {
        int a = c->rowp[i], len = c->rowp[i + 1] - a;
        kv *t = malloc((size_t)(len ? len : 1) * sizeof(kv));
        if (!t) return -1;
        for (int q = 0; q < len; q++) {
            int j = c->rowj[a + q];
            t[q].key = in->demand[j] > 0 ? c->rowc[a + q] / in->demand[j] : -INFINITY;
            t[q].idx = j;
        }
        qsort(t, (size_t)len, sizeof(kv), kv_cmp);
        for (int q = 0; q < len; q++) {
            c->rowj[a + q] = t[q].idx;
            c->rowr[a + q] = t[q].key;
            c->rowc[a + q] = cst(c, i, t[q].idx);
        }
        free(t);
    }
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

/* The caller's time limit and work budget (seconds of the reference machine), with defaults. */
static double limit_s(const pj_algo_opts *opts)
{
    return opts && opts->time_limit_s > 0 ? opts->time_limit_s : DEFAULT_TIME_S;
}

static double work_s(const pj_algo_opts *opts)
{
    return opts && opts->work_s > 0 ? opts->work_s : limit_s(opts);
}

/* One search (pj_cflp_solve), the large single-source path's multi-source site search with
 * `deflate` less capacity per site. */
static pj_cflp_status solve_one(const pj_cflp *inst, pj_cflp_kind kind, const pj_algo_opts *opts,
                                double deflate, pj_cflp_result *res)
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
    double tl = limit_s(opts);
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
    /* the work budget, in steps; the phases below end at fractions of it (see phase_over) */
    c.wtot = c.wend = work_s(opts) * WORK_PER_S;
    c.opts = opts;
    c.rng = opts ? opts->seed : 0;
    if (kind == PJ_CFLP_SINGLE && (double)c.m * c.n > 1e5) {
        /* the multi-source search for the sites of large instances (see ss_from_multi);
         * without the memory for it the single-source search works alone */
        c.mc = calloc(1, sizeof(ctx));
        c.defl = *inst;
        c.defl.capacity = malloc((size_t)inst->m * sizeof(double));
        if (c.defl.capacity)
            for (int i = 0; i < inst->m; i++)
                c.defl.capacity[i] = inst->capacity[i] * (1 - deflate);
        if (c.mc && c.defl.capacity && ctx_init(c.mc, &c.defl, PJ_CFLP_MULTI) == 0) {
            c.mc->t0 = t0;
            c.mc->deadline = c.deadline;
            c.mc->work = c.mc->K.work = c.work; /* one budget for both */
            c.mc->shown = c.shown;
            c.mc->wtot = c.mc->wend = c.wend;
            c.mc->opts = opts;
            c.mc->rng = c.rng;
        } else if (c.mc) {
            ctx_free(c.mc);
            free(c.mc);
            c.mc = NULL;
        }
    }
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
    if (c.mc) {
        /* large single-source: the multi-source relaxation of the instance with `deflate`
         * less capacity per site first (cheaper per iteration; its heuristic finds sets with
         * the room whole villages need, and its best solution estimates the single-source
         * optimum); then the single-source relaxation from the initial multipliers (the
         * deflated ones start it lower and it converges more slowly), aimed at that estimate,
         * without the Lagrangian heuristic (its sets are poor at this scale); then the
         * multi-source site search gives the sites and the single-source searches improve */
        memcpy(c.mc->u, c.u, (size_t)c.n * sizeof(double));
        memcpy(c.mc->bestu, c.u, (size_t)c.n * sizeof(double));
        subgradient(c.mc, 3000, 0.2, 2.0);
        c.no_heur = 1;
        c.target = isfinite(c.mc->ub) ? c.mc->ub : 0;
        subgradient(&c, 3000, 0.45, 0.5);
        c.no_heur = 0;
        c.move_cut = SS_MOVE_CUT;
        progress(&c, 0.5); /* bound done */
        ss_from_multi(&c, 0.8);
        if (isfinite(c.ub) && !proven(&c)) {
            ss_local_search(&c, 50, 0, SS_NEARBY);
            ss_tabu(&c, SS_TABU_ITERS, tabu_stall(c.n));
        }
    } else {
        subgradient(&c, 3000, 0.4, 2.0);
    }
    progress(&c, 0.5);
    if (!isfinite(c.ub) && kind == PJ_CFLP_MULTI && !timeup(&c)) {
        /* no set of the relaxation was feasible (capacity enough in total but not where the
         * customers are, e.g. separate regions): every allowed site open, the transportation
         * closes the unused ones, the site search below improves */
        for (int i = 0; i < c.m; i++) c.open[i] = c.allow[i];
        ms_eval(&c, c.open);
    }
    if (isfinite(c.ub) && !proven(&c)) {
        if (kind == PJ_CFLP_MULTI) {
            /* many candidate sites: the site search with swaps to nearby sites first; it
             * reaches a local optimum in a fraction of the time the guided search needs */
            int nearby = (double)c.m * c.n > 1e5 ? MS_NEARBY : 0;
            if (nearby) ms_local_search(&c, 50, nearby);
            /* guided iterated search, then the exhaustive site search; again while either
             * improves and time is left */
            for (int round = 0; round < 20 && !timeup(&c) && !proven(&c); round++) {
                double before = c.ub;
                ms_iterated_search(&c, MS_TRIES, round ? MS_KICKS / 4 : MS_KICKS);
                ms_local_search(&c, 50, nearby);
                if (!(c.ub < before - 1e-9 * fmax(1, fabs(before)))) break;
            }
        } else if (c.mc) {
            /* large single-source: searched above */
        } else {
            ss_tabu(&c, SS_TABU_ITERS, tabu_stall(c.n));
            ss_local_search(&c, 50, 0, 0);
        }
    }
    if (!isfinite(c.ub) && kind == PJ_CFLP_SINGLE && !timeup(&c)) {
        /* last resort: every allowed site open */
        for (int i = 0; i < c.m; i++) c.open[i] = c.allow[i];
        if (ss_assign(&c, c.open, c.asg, c.rem) == 0) {
            ss_improve(&c, c.open, c.asg, c.rem);
            ss_trim(&c, c.open, c.asg);
            ss_update(&c, c.open, c.asg);
            ss_local_search(&c, 50, 0, 0);
            ss_tabu(&c, SS_TABU_ITERS, tabu_stall(c.n));
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
        signed char *fix = malloc((size_t)c.m);
        int nfix = fix ? rc_fix(&c, fix, c.open) : 0;
        pj_cflp_mip_glpk_fixed(inst, kind, &mo, nfix ? fix : NULL, isfinite(c.ub) ? &start : NULL,
                               &mip);
        free(fix);
        res->mip_used = 1;
        if (mip.stats.clock_limited) c.clock_hit = 1; /* GLPK's limit is the clock */
        if (nfix && mip.status == PJ_CFLP_INFEASIBLE) {
            /* nothing better than the incumbent is left once the sites are fixed */
            c.lb = fmax(c.lb, c.ub);
        } else if (nfix && mip.status == PJ_CFLP_OK && mip.stats.optimal &&
                   mip.stats.objective >= c.ub) {
            c.lb = fmax(c.lb, c.ub);
        } else if (mip.status == PJ_CFLP_OK && mip.stats.objective < c.ub + 1e-9 * fabs(c.ub)) {
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
    progress(&c, 1.0);
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
    res->stats.clock_limited = c.clock_hit || (c.mc && c.mc->clock_hit);
    res->stats.time_s = pj_algo_now() - t0;
    if (res->status == PJ_CFLP_OK) pj_algo_stats_finish(&res->stats);
    ctx_free(&c);
    return res->status;
}

/* progress of start k of `starts`, as a share of the whole solve */
typedef struct start_prog {
    const pj_algo_opts *opts;
    int k, starts;
} start_prog;

static void start_progress(void *ud, double frac)
{
    const start_prog *sp = ud;
    sp->opts->progress(sp->opts->progress_ud, (sp->k + frac) / sp->starts);
}

/* The capacity the large single-source path's site search leaves free, per start: the best
 * cut differs from instance to instance and by demand level (docs/bench/algo_cflp.md). */
static const double ss_cuts[] = {SS_DEFLATE, 0.05, 0.06};
#define SS_STARTS_MAX ((int)(sizeof ss_cuts / sizeof ss_cuts[0]))

/* the searches differ by their capacity cut only on the large single-source path (an invalid
 * instance is refused by the first search) */
static int large_single(const pj_cflp *inst, pj_cflp_kind kind)
{
    return inst && kind == PJ_CFLP_SINGLE && (double)inst->m * inst->n > 1e5;
}

int pj_cflp_starts(const pj_cflp *inst, pj_cflp_kind kind, double work)
{
    /* one search converges after about PJ_CFLP_START_WORK_S of work and then ends by itself
     * (on the demo district; a longer budget buys little there) */
    if (!large_single(inst, kind)) return 1;
    double k = floor(work / PJ_CFLP_START_WORK_S);
    return k < 1 ? 1 : k > SS_STARTS_MAX ? SS_STARTS_MAX : (int)k;
}

pj_cflp_status pj_cflp_solve(const pj_cflp *inst, pj_cflp_kind kind, const pj_algo_opts *opts,
                             pj_cflp_result *res)
{
    return pj_cflp_solve_starts(inst, kind, opts, pj_cflp_starts(inst, kind, work_s(opts)), res);
}

pj_cflp_status pj_cflp_solve_starts(const pj_cflp *inst, pj_cflp_kind kind,
                                    const pj_algo_opts *opts, int starts, pj_cflp_result *res)
{
    double t0 = pj_algo_now(), tl = limit_s(opts), work = work_s(opts);
    if (starts > SS_STARTS_MAX) starts = SS_STARTS_MAX;
    if (starts <= 1 || !opts || !large_single(inst, kind))
        return solve_one(inst, kind, opts, ss_cuts[0], res);
    double lb = -INFINITY;
    int hit = 0, clock = 0, iters = 0;
    memset(res, 0, sizeof *res);
    for (int k = 0; k < starts; k++) {
        if (k > 0 && pj_algo_now() >= t0 + tl) break; /* no time left for another */
        start_prog sp = {opts, k, starts};
        pj_algo_opts o = *opts;
        o.work_s = work / starts;
        o.time_limit_s = fmax(0.01, (t0 + tl - pj_algo_now()) / (starts - k));
        if (opts->progress) o.progress = start_progress, o.progress_ud = &sp;
        pj_cflp_result r;
        solve_one(inst, kind, &o, ss_cuts[k], &r);
        if (k == 0 && r.status != PJ_CFLP_OK && r.status != PJ_CFLP_NO_SOLUTION) {
            *res = r; /* invalid or infeasible: every start would say so */
            break;
        }
        iters += r.iterations;
        hit |= r.stats.time_limit_hit;
        clock |= r.stats.clock_limited;
        if (r.status == PJ_CFLP_OK || r.status == PJ_CFLP_NO_SOLUTION)
            lb = fmax(lb, r.stats.lower_bound);
        int better =
            res->status != PJ_CFLP_OK || r.stats.objective < res->stats.objective ||
            (r.stats.optimal && !res->stats.optimal && r.stats.objective <= res->stats.objective);
        if (k == 0 || (r.status == PJ_CFLP_OK && better)) {
            pj_cflp_result_free(res);
            *res = r;
        } else {
            pj_cflp_result_free(&r);
        }
        if (res->stats.optimal || pj_algo_cancelled(opts)) break;
    }
    if (res->status == PJ_CFLP_OK || res->status == PJ_CFLP_NO_SOLUTION) {
        res->iterations = iters;
        res->stats.time_limit_hit = hit;
        res->stats.clock_limited = clock;
        res->stats.lower_bound = res->status == PJ_CFLP_OK ? fmin(lb, res->stats.objective) : lb;
        if (res->status == PJ_CFLP_OK) {
            double obj = res->stats.objective;
            if (obj - res->stats.lower_bound <= OPT_RTOL * fmax(1, fabs(obj))) {
                res->stats.optimal = 1; /* another search's bound proves this plan */
                res->stats.lower_bound = obj;
            }
            pj_algo_stats_finish(&res->stats);
        }
    }
    if (opts->progress) opts->progress(opts->progress_ud, 1.0); /* also after an early end */
    res->stats.time_s = pj_algo_now() - t0;
    return res->status;
}
