/* RCPSP solver: validation, bounds, schedule generation schemes, priority rules,
 * forward-backward improvement, genetic algorithm, exact branch-and-bound for tiny instances.
 * See rcpsp.h. Internal conventions: times are ints on a grid of H = sum(d) + 1 steps; an
 * "activity list" is a precedence-feasible permutation of the jobs. */
#include "algo/rcpsp.h"
#include "algo/rcpsp_int.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------------------------------ */
/* Validation                                                                                   */

/* Finds a job on a cycle among the jobs with indeg[j] > 0 after Kahn's algorithm (each has a
 * predecessor that is also left) and writes the cycle into err. Returns that job. */
static int report_cycle(const pj_rcpsp *p, const int *indeg, char *err, size_t errlen)
{
    int n = p->n_jobs, j = 0;
    while (j < n && indeg[j] <= 0) j++;
    int *pr = malloc((size_t)n * sizeof(int)), *cyc = malloc((size_t)n * sizeof(int));
    if (!pr || !cyc) {
        free(pr);
        free(cyc);
        seterr(err, errlen, "precedence cycle (reached from job %d)", j);
        return j;
    }
    for (int i = 0; i < n; i++) pr[i] = -1;
    for (int i = 0; i < n; i++) {
        if (indeg[i] <= 0) continue;
        for (int a = p->succ_start[i]; a < p->succ_start[i + 1]; a++) {
            int s = p->succ[a];
            if (indeg[s] > 0 && pr[s] < 0) pr[s] = i;
        }
    }
    for (int step = 0; step < n; step++) j = pr[j]; /* now on the cycle */
    int len = 0, k = j;
    do {
        cyc[len++] = k;
        k = pr[k];
    } while (k != j && len < n);
    /* cyc holds the cycle backwards: print it forwards, closing on j. */
    char buf[120];
    size_t used = 0;
    buf[0] = 0;
    for (int i = len; i >= 0; i--) {
        int v = cyc[i % len];
        if (used + 24 >= sizeof buf) {
            snprintf(buf + used, sizeof buf - used, " -> ...");
            break;
        }
        int w = snprintf(buf + used, sizeof buf - used, "%s%d", i == len ? "" : " -> ", v);
        if (w < 0) break;
        used += (size_t)w;
    }
    seterr(err, errlen, "precedence cycle through job %d: %s", j, buf);
    free(pr);
    free(cyc);
    return j;
}

int pj_rcpsp_check(const pj_rcpsp *p, char *err, size_t errlen, int *err_job)
{
    if (err_job) *err_job = -1;
    if (err && errlen) err[0] = 0;
    if (!p || p->n_jobs < 0 || p->n_res < 0 || p->n_projects < 0) {
        seterr(err, errlen, "negative size or NULL instance");
        return PJ_RCPSP_EINVAL;
    }
    int n = p->n_jobs, K = p->n_res;
    if (n > 0 && (!p->duration || !p->succ_start)) {
        seterr(err, errlen, "duration and succ_start are required");
        return PJ_RCPSP_EINVAL;
    }
    if (K > 0 && !p->capacity) {
        seterr(err, errlen, "capacity is required when n_res > 0");
        return PJ_RCPSP_EINVAL;
    }
    if (n > 0 && (p->succ_start[0] != 0 || (p->succ_start[n] > 0 && !p->succ))) {
        seterr(err, errlen, "succ_start[0] must be 0 and succ non-NULL when there are arcs");
        return PJ_RCPSP_EINVAL;
    }
    for (int k = 0; k < K; k++)
        if (p->capacity[k] < 0) {
            seterr(err, errlen, "resource %d has negative capacity %d", k, p->capacity[k]);
            return PJ_RCPSP_EINVAL;
        }
    for (int j = 0; j < n; j++) {
        if (p->duration[j] < 0) {
            if (err_job) *err_job = j;
            seterr(err, errlen, "job %d has negative duration %d", j, p->duration[j]);
            return PJ_RCPSP_EINVAL;
        }
        if (p->succ_start[j + 1] < p->succ_start[j]) {
            if (err_job) *err_job = j;
            seterr(err, errlen, "succ_start decreases at job %d", j);
            return PJ_RCPSP_EINVAL;
        }
        for (int a = p->succ_start[j]; a < p->succ_start[j + 1]; a++)
            if (p->succ[a] < 0 || p->succ[a] >= n) {
                if (err_job) *err_job = j;
                seterr(err, errlen, "job %d has successor %d outside [0,%d)", j, p->succ[a], n);
                return PJ_RCPSP_EINVAL;
            }
        if (p->project && (p->project[j] < -1 || p->project[j] >= p->n_projects)) {
            if (err_job) *err_job = j;
            seterr(err, errlen, "job %d has project %d outside [-1,%d)", j, p->project[j],
                   p->n_projects);
            return PJ_RCPSP_EINVAL;
        }
        if (p->demand)
            for (int k = 0; k < K; k++) {
                int r = p->demand[(size_t)j * K + k];
                if (r < 0) {
                    if (err_job) *err_job = j;
                    seterr(err, errlen, "job %d has negative demand %d for resource %d", j, r, k);
                    return PJ_RCPSP_EINVAL;
                }
            }
    }
    if (p->project_value)
        for (int q = 0; q < p->n_projects; q++)
            if (!(p->project_value[q] >= 0) || !isfinite(p->project_value[q])) {
                seterr(err, errlen, "project %d has an invalid value", q);
                return PJ_RCPSP_EINVAL;
            }
    /* Cycles (Kahn). */
    int *indeg = calloc((size_t)n + 1, sizeof(int)), *queue = malloc(((size_t)n + 1) * sizeof(int));
    if (!indeg || !queue) {
        free(indeg);
        free(queue);
        seterr(err, errlen, "out of memory");
        return PJ_RCPSP_ENOMEM;
    }
    for (int a = 0; a < (n ? p->succ_start[n] : 0); a++) indeg[p->succ[a]]++;
    int qh = 0, qt = 0;
    for (int j = 0; j < n; j++)
        if (indeg[j] == 0) queue[qt++] = j;
    while (qh < qt) {
        int j = queue[qh++];
        for (int a = p->succ_start[j]; a < p->succ_start[j + 1]; a++)
            if (--indeg[p->succ[a]] == 0) queue[qt++] = p->succ[a];
    }
    if (qt < n) {
        int j = report_cycle(p, indeg, err, errlen);
        if (err_job) *err_job = j;
        free(indeg);
        free(queue);
        return PJ_RCPSP_ECYCLE;
    }
    free(indeg);
    free(queue);
    /* Demands against capacities (jobs of duration 0 occupy no time and are exempt). */
    if (p->demand)
        for (int j = 0; j < n; j++) {
            if (p->duration[j] == 0) continue;
            for (int k = 0; k < K; k++) {
                int r = p->demand[(size_t)j * K + k];
                if (r > 0 && p->capacity[k] == 0) {
                    if (err_job) *err_job = j;
                    seterr(err, errlen,
                           "infeasible: job %d needs resource %d, which has capacity 0", j, k);
                    return PJ_RCPSP_EINFEASIBLE;
                }
                if (r > p->capacity[k]) {
                    if (err_job) *err_job = j;
                    seterr(err, errlen,
                           "infeasible: job %d needs %d of resource %d, capacity is %d", j, r, k,
                           p->capacity[k]);
                    return PJ_RCPSP_EINFEASIBLE;
                }
            }
        }
    long sum = 0;
    for (int j = 0; j < n; j++) {
        sum += p->duration[j];
        if (sum > INT_MAX / 2) break;
    }
    if (sum > INT_MAX / 2 || (sum + 1) * (long)(K > 0 ? K : 1) > PJ_RCPSP_MAX_CELLS) {
        seterr(err, errlen, "time grid too large: sum of durations %ld times %d resources", sum, K);
        return PJ_RCPSP_ETOOBIG;
    }
    return PJ_RCPSP_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Internal problem                                                                             */

void rc_prob_free(rc_prob *P)
{
    free(P->dem);
    free(P->pred_off);
    free(P->pred);
    free(P->succ_off);
    free(P->succ);
    free(P->nz_off);
    free(P->nz_k);
    free(P->nz_r);
    free(P->topo);
    free(P->head);
    free(P->tail);
    free(P->lf);
    memset(P, 0, sizeof *P);
}

/* qsort_r comparator: jobs by the time after them (tail less duration), most first. */
static int cmp_after(const void *a, const void *b, void *ctx)
{
    const rc_prob *P = ctx;
    int x = *(const int *)a, y = *(const int *)b;
    int ax = P->tail[x] - P->dur[x], ay = P->tail[y] - P->dur[y];
    if (ax != ay) return ax > ay ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* Jobs of a resource up to which every head is tried with every time after (m^2 steps);
 * beyond, the least head of all its jobs alone. */
#define RB_PAIRS_MAX 1500

/* The bound of one resource over its jobs J[0..m), sorted by cmp_after, with work[i] the work
 * of J[i]: for a head h and a time after a, the jobs S with head >= h and after >= a all run
 * within [h, C - a], so the makespan C >= h + ceil(work(S) / w) + a, where the work is d*r and
 * w the capacity (energy), or d and 1 over jobs no two of which fit side by side. */
static long rb_one(const rc_prob *P, const int *J, int m, const long *work, long w)
{
    int hmin = INT_MAX;
    for (int i = 0; i < m; i++)
        if (P->head[J[i]] < hmin) hmin = P->head[J[i]];
    long best = 0;
    for (int t = 0; t < (m <= RB_PAIRS_MAX ? m : 1); t++) {
        int h = m <= RB_PAIRS_MAX ? P->head[J[t]] : hmin;
        long e = 0;
        for (int i = 0; i < m; i++) {
            int j = J[i];
            if (P->head[j] < h) continue;
            e += work[i];
            long b = h + (e + w - 1) / w + (P->tail[j] - P->dur[j]);
            if (b > best) best = b;
        }
    }
    return best;
}

/* The resource bound (pj_rcpsp_sol.res_bound): the best of rb_one's over the resources, with
 * J, big and work (n entries each) as scratch. */
static int resource_bound(const rc_prob *P, int *J, int *big, long *work)
{
    int n = P->n, K = P->K;
    long rb = 0;
    for (int k = 0; k < K; k++) {
        int m = 0, nb = 0;
        for (int j = 0; j < n; j++)
            if (P->dem[(size_t)j * K + k] > 0 && P->dur[j] > 0) J[m++] = j;
        if (m == 0 || P->cap[k] <= 0) continue;
        qsort_r(J, (size_t)m, sizeof(int), cmp_after, (void *)P);
        for (int i = 0; i < m; i++) {
            int r = P->dem[(size_t)J[i] * K + k];
            work[i] = (long)P->dur[J[i]] * r;
            if (2L * r > P->cap[k]) big[nb++] = J[i];
        }
        long b = rb_one(P, J, m, work, P->cap[k]);
        if (b > rb) rb = b;
        for (int i = 0; i < nb; i++) work[i] = P->dur[big[i]];
        b = rb_one(P, big, nb, work, 1);
        if (b > rb) rb = b;
    }
    return (int)rb;
}

/* Builds P from a checked instance. Returns 0 or PJ_RCPSP_ENOMEM. */
int rc_prob_init(rc_prob *P, const pj_rcpsp *p)
{
    memset(P, 0, sizeof *P);
    int n = p->n_jobs, K = p->n_res;
    P->n = n;
    P->K = K;
    P->dur = p->duration;
    P->cap = p->capacity;
    P->n_proj = p->project ? p->n_projects : 0;
    P->proj = p->project;
    P->pval = p->project_value;
    size_t nn = (size_t)n + 1;
    int m = n ? p->succ_start[n] : 0;
    P->dem = calloc(nn * (size_t)(K > 0 ? K : 1), sizeof(int));
    P->pred_off = calloc(nn + 1, sizeof(int));
    P->succ_off = calloc(nn + 1, sizeof(int));
    P->pred = malloc(((size_t)m + 1) * sizeof(int));
    P->succ = malloc(((size_t)m + 1) * sizeof(int));
    P->nz_off = calloc(nn + 1, sizeof(int));
    P->nz_k = malloc((nn * (size_t)(K > 0 ? K : 1)) * sizeof(int));
    P->nz_r = malloc((nn * (size_t)(K > 0 ? K : 1)) * sizeof(int));
    P->topo = malloc(nn * sizeof(int));
    P->head = malloc(nn * sizeof(int));
    P->tail = malloc(nn * sizeof(int));
    P->lf = malloc(nn * sizeof(int));
    int *stamp = malloc(nn * sizeof(int)), *indeg = calloc(nn, sizeof(int));
    long *work = malloc(nn * sizeof(long));
    if (!P->dem || !P->pred_off || !P->succ_off || !P->pred || !P->succ || !P->nz_off || !P->nz_k ||
        !P->nz_r || !P->topo || !P->head || !P->tail || !P->lf || !stamp || !indeg || !work) {
        free(stamp);
        free(indeg);
        free(work);
        rc_prob_free(P);
        return PJ_RCPSP_ENOMEM;
    }
    if (p->demand) memcpy(P->dem, p->demand, (size_t)n * (size_t)K * sizeof(int));
    /* Deduplicated successor lists. */
    for (int j = 0; j < n; j++) stamp[j] = -1;
    int ms = 0;
    for (int j = 0; j < n; j++) {
        P->succ_off[j] = ms;
        for (int a = p->succ_start[j]; a < p->succ_start[j + 1]; a++) {
            int s = p->succ[a];
            if (stamp[s] == j) continue;
            stamp[s] = j;
            P->succ[ms++] = s;
            P->pred_off[s + 1]++;
        }
    }
    P->succ_off[n] = ms;
    for (int j = 0; j < n; j++) P->pred_off[j + 1] += P->pred_off[j];
    for (int j = 0; j < n; j++) stamp[j] = P->pred_off[j];
    for (int j = 0; j < n; j++)
        for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++) P->pred[stamp[P->succ[a]]++] = j;
    /* Nonzero demands of jobs that occupy time. */
    int nz = 0;
    long sum = 0;
    for (int j = 0; j < n; j++) {
        P->nz_off[j] = nz;
        sum += P->dur[j];
        if (P->dur[j] == 0) continue;
        for (int k = 0; k < K; k++)
            if (P->dem[(size_t)j * K + k] > 0) {
                P->nz_k[nz] = k;
                P->nz_r[nz] = P->dem[(size_t)j * K + k];
                nz++;
            }
    }
    P->nz_off[n] = nz;
    P->H = (int)sum + 1;
    /* Topological order, heads, tails. */
    int qt = 0;
    for (int j = 0; j < n; j++) {
        indeg[j] = P->pred_off[j + 1] - P->pred_off[j];
        if (indeg[j] == 0) P->topo[qt++] = j;
    }
    for (int qh = 0; qh < qt; qh++) {
        int j = P->topo[qh];
        for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++)
            if (--indeg[P->succ[a]] == 0) P->topo[qt++] = P->succ[a];
    }
    int cp = 0;
    for (int i = 0; i < n; i++) {
        int j = P->topo[i], h = 0;
        for (int a = P->pred_off[j]; a < P->pred_off[j + 1]; a++) {
            int q = P->pred[a];
            if (P->head[q] + P->dur[q] > h) h = P->head[q] + P->dur[q];
        }
        P->head[j] = h;
        if (h + P->dur[j] > cp) cp = h + P->dur[j];
    }
    for (int i = n - 1; i >= 0; i--) {
        int j = P->topo[i], t = 0;
        for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++)
            if (P->tail[P->succ[a]] > t) t = P->tail[P->succ[a]];
        P->tail[j] = t + P->dur[j];
        P->lf[j] = cp - t;
    }
    P->cp = cp;
    P->rb = resource_bound(P, stamp, indeg, work);
    P->lb = cp > P->rb ? cp : P->rb;
    free(stamp);
    free(indeg);
    free(work);
    return 0;
}

int pj_rcpsp_bounds(const pj_rcpsp *p, int *cp_bound, int *res_bound)
{
    int st = pj_rcpsp_check(p, NULL, 0, NULL);
    if (st != PJ_RCPSP_OK) return st;
    rc_prob P;
    if (rc_prob_init(&P, p)) return PJ_RCPSP_ENOMEM;
    if (cp_bound) *cp_bound = P.cp;
    if (res_bound) *res_bound = P.rb;
    rc_prob_free(&P);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Workspace and schedule generation                                                            */

void rc_ws_free(rc_ws *W)
{
    free(W->avail);
    free(W->cnt);
    free(W->key);
    free(W->tmp);
    free(W->tmp2);
    free(W->bst);
    free(W->st2);
    free(W->npred);
    free(W->elig);
    free(W->ev);
    memset(W, 0, sizeof *W);
}

int rc_ws_init(rc_ws *W, const rc_prob *P)
{
    memset(W, 0, sizeof *W);
    size_t K = (size_t)(P->K > 0 ? P->K : 1), H = (size_t)P->H + 1, n = (size_t)P->n + 1;
    W->avail = malloc(H * K * sizeof(int));
    W->cnt = malloc((H + 1) * sizeof(int));
    W->key = malloc(n * sizeof(int));
    W->tmp = malloc(n * sizeof(int));
    W->tmp2 = malloc(n * sizeof(int));
    W->bst = malloc(n * sizeof(int));
    W->st2 = malloc(n * sizeof(int));
    W->npred = malloc(n * sizeof(int));
    W->elig = malloc(n * sizeof(int));
    W->ev = calloc(H + 1, 1);
    if (!W->avail || !W->cnt || !W->key || !W->tmp || !W->tmp2 || !W->bst || !W->st2 || !W->npred ||
        !W->elig || !W->ev) {
        rc_ws_free(W);
        return PJ_RCPSP_ENOMEM;
    }
    for (size_t t = 0; t < H; t++)
        for (int k = 0; k < P->K; k++) W->avail[t * K + (size_t)k] = P->cap[k];
    return 0;
}

/* Restores the grid rows [0, hi). */
static void grid_reset(const rc_prob *P, rc_ws *W, int hi)
{
    int K = P->K;
    if (K == 0) return;
    if (K == 4) {
        int c0 = P->cap[0], c1 = P->cap[1], c2 = P->cap[2], c3 = P->cap[3];
        for (int t = 0; t < hi; t++) {
            int *a = W->avail + (size_t)t * 4;
            a[0] = c0;
            a[1] = c1;
            a[2] = c2;
            a[3] = c3;
        }
        return;
    }
    for (int t = 0; t < hi; t++) memcpy(W->avail + (size_t)t * K, P->cap, (size_t)K * sizeof(int));
}

/* Serial SGS over list. dir 0: forward (predecessors constrain); dir 1: backward on the
 * mirrored time axis (successors constrain). Writes st (in that frame), returns the makespan.
 * The grid is clean before and after. */
int rc_sgs_serial(const rc_prob *P, rc_ws *W, const int *list, int dir, int *st)
{
    const int *off = dir ? P->succ_off : P->pred_off;
    const int *adj = dir ? P->succ : P->pred;
    const int *dur = P->dur;
    int n = P->n, ms = 0;
    for (int i = 0; i < n; i++) {
        int j = list[i], t = 0;
        for (int a = off[j]; a < off[j + 1]; a++) {
            int q = adj[a], f = st[q] + dur[q];
            if (f > t) t = f;
        }
        t = rc_grid_fit(P, W, j, t);
        if (dur[j] > 0) rc_grid_add(P, W, j, t, 1);
        st[j] = t;
        if (t + dur[j] > ms) ms = t + dur[j];
    }
    grid_reset(P, W, ms);
    return ms;
}

/* out = the jobs of in (n entries) stably sorted by key (ascending), keys in [0, maxkey]. */
static void sort_by_key(const rc_prob *P, rc_ws *W, const int *in, const int *key, int maxkey,
                        int *out)
{
    int n = P->n, *cnt = W->cnt;
    memset(cnt, 0, ((size_t)maxkey + 2) * sizeof(int));
    for (int i = 0; i < n; i++) cnt[key[in[i]] + 1]++;
    for (int v = 0; v <= maxkey; v++) cnt[v + 1] += cnt[v];
    for (int i = 0; i < n; i++) out[cnt[key[in[i]]]++] = in[i];
}

/* Forward-backward improvement of (list, st, ms): backward pass over decreasing finish times,
 * forward pass over increasing backward starts, repeated while the makespan drops (and the
 * budget allows). On return list is the start order of st (precedence-feasible). */
int rc_justify(const rc_prob *P, rc_ws *W, int *list, int *st, int ms, long *sched, long budget)
{
    int n = P->n;
    const int *dur = P->dur;
    int *key = W->key, *rev = W->tmp, *ord = W->tmp2, *bst = W->bst, *st2 = W->st2;
    for (;;) {
        if (*sched + 2 > budget) break;
        /* Backward: decreasing finish, ties by reverse list order. */
        for (int i = 0; i < n; i++) rev[i] = list[n - 1 - i];
        for (int j = 0; j < n; j++) key[j] = ms - (st[j] + dur[j]);
        sort_by_key(P, W, rev, key, ms, ord);
        int mb = rc_sgs_serial(P, W, ord, 1, bst);
        /* Forward: increasing backward start, ties by reverse backward order. */
        for (int i = 0; i < n; i++) rev[i] = ord[n - 1 - i];
        for (int j = 0; j < n; j++) key[j] = mb - bst[j] - dur[j];
        sort_by_key(P, W, rev, key, mb, ord);
        int mf = rc_sgs_serial(P, W, ord, 0, st2);
        *sched += 2;
        int improved = mf < ms;
        memcpy(st, st2, (size_t)n * sizeof(int));
        memcpy(list, ord, (size_t)n * sizeof(int));
        ms = mf;
        if (!improved) break;
    }
    /* Start order of st, ties by the current list. */
    sort_by_key(P, W, list, st, ms, ord);
    memcpy(list, ord, (size_t)n * sizeof(int));
    return ms;
}

/* ------------------------------------------------------------------------------------------ */
/* Priority rules                                                                               */

/* prio[j]: lower = scheduled first (ties: lower index). */
int rc_priorities(const rc_prob *P, int rule, double *prio)
{
    int n = P->n, K = P->K;
    switch (rule) {
    case PJ_RCPSP_RULE_LFT:
        for (int j = 0; j < n; j++) prio[j] = P->lf[j];
        return 0;
    case PJ_RCPSP_RULE_LST:
        for (int j = 0; j < n; j++) prio[j] = P->lf[j] - P->dur[j];
        return 0;
    case PJ_RCPSP_RULE_GRPW:
        for (int j = 0; j < n; j++) {
            double w = P->dur[j];
            for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++) w += P->dur[P->succ[a]];
            prio[j] = -w;
        }
        return 0;
    case PJ_RCPSP_RULE_WRUP:
        for (int j = 0; j < n; j++) {
            double u = 0;
            for (int k = 0; k < K; k++)
                if (P->cap[k] > 0) u += (double)P->dem[(size_t)j * K + k] / P->cap[k];
            prio[j] = -(0.7 * (P->succ_off[j + 1] - P->succ_off[j]) + 0.3 * u);
        }
        return 0;
    case PJ_RCPSP_RULE_MTS: {
        /* Transitive successor counts with bitsets, in reverse topological order. */
        size_t words = ((size_t)n + 63) / 64;
        uint64_t *bits = calloc((size_t)n * words + 1, sizeof(uint64_t));
        if (!bits) return PJ_RCPSP_ENOMEM;
        for (int i = n - 1; i >= 0; i--) {
            int j = P->topo[i];
            uint64_t *bj = bits + (size_t)j * words;
            for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++) {
                int s = P->succ[a];
                const uint64_t *bs = bits + (size_t)s * words;
                for (size_t w = 0; w < words; w++) bj[w] |= bs[w];
                bj[s / 64] |= 1ULL << (s % 64);
            }
            int c = 0;
            for (size_t w = 0; w < words; w++) c += __builtin_popcountll(bj[w]);
            prio[j] = -c;
        }
        free(bits);
        return 0;
    }
    default:
        return PJ_RCPSP_EINVAL;
    }
}

/* A list by a priority rule: repeatedly the eligible job of lowest prio. With rng != NULL,
 * regret-based biased random sampling instead: weight (max - prio + 1)^1 over the eligible. */
void rc_rule_list(const rc_prob *P, rc_ws *W, const double *prio, uint64_t *rng, int *list)
{
    int n = P->n, ne = 0, *npred = W->npred, *elig = W->elig;
    for (int j = 0; j < n; j++) {
        npred[j] = P->pred_off[j + 1] - P->pred_off[j];
        if (npred[j] == 0) elig[ne++] = j;
    }
    for (int i = 0; i < n; i++) {
        int pick = 0;
        if (rng) {
            double mx = -INFINITY, tot = 0;
            for (int e = 0; e < ne; e++)
                if (prio[elig[e]] > mx) mx = prio[elig[e]];
            for (int e = 0; e < ne; e++) tot += mx - prio[elig[e]] + 1;
            double r = pj_rng_unit(rng) * tot;
            for (pick = 0; pick < ne - 1; pick++) {
                r -= mx - prio[elig[pick]] + 1;
                if (r < 0) break;
            }
        } else {
            for (int e = 1; e < ne; e++) {
                int a = elig[e], b = elig[pick];
                if (prio[a] < prio[b] || (prio[a] == prio[b] && a < b)) pick = e;
            }
        }
        int j = elig[pick];
        elig[pick] = elig[--ne];
        list[i] = j;
        for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++)
            if (--npred[P->succ[a]] == 0) elig[ne++] = P->succ[a];
    }
}

/* Parallel SGS with priorities: at each decision time, the eligible jobs (all predecessors
 * finished) in priority order start when they fit. Writes st, returns the makespan. */
int rc_sgs_parallel(const rc_prob *P, rc_ws *W, const double *prio, int *st)
{
    int n = P->n, *npred = W->npred, *elig = W->elig, *est = W->key;
    unsigned char *ev = W->ev;
    int ne = 0, done = 0, t = 0, ms = 0;
    for (int j = 0; j < n; j++) {
        npred[j] = P->pred_off[j + 1] - P->pred_off[j];
        est[j] = 0;
        if (npred[j] == 0) elig[ne++] = j;
    }
    while (done < n) {
        /* Eligible jobs with est <= t in priority order; repeat while zero-duration jobs free
         * successors at t. */
        int changed = 1;
        while (changed) {
            changed = 0;
            /* insertion sort of elig by priority (small lists) */
            for (int a = 1; a < ne; a++) {
                int x = elig[a], b = a - 1;
                while (b >= 0 &&
                       (prio[elig[b]] > prio[x] || (prio[elig[b]] == prio[x] && elig[b] > x))) {
                    elig[b + 1] = elig[b];
                    b--;
                }
                elig[b + 1] = x;
            }
            for (int e = 0; e < ne; e++) {
                int j = elig[e];
                if (est[j] > t) continue;
                if (rc_grid_fit(P, W, j, t) != t) continue;
                if (P->dur[j] > 0) rc_grid_add(P, W, j, t, 1);
                st[j] = t;
                int f = t + P->dur[j];
                if (f > ms) ms = f;
                ev[f] = 1;
                done++;
                for (int b = e; b < ne - 1; b++) elig[b] = elig[b + 1];
                ne--;
                e--;
                for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++) {
                    int s = P->succ[a];
                    if (f > est[s]) est[s] = f;
                    if (--npred[s] == 0) {
                        elig[ne++] = s;
                        changed = 1;
                    }
                }
            }
        }
        if (done == n) break;
        /* Next decision time: next finish event. */
        int nt = t + 1;
        while (nt <= P->H && !ev[nt]) nt++;
        t = nt;
    }
    memset(ev, 0, (size_t)P->H + 1);
    grid_reset(P, W, ms);
    return ms;
}

void rc_start_order(const rc_prob *P, rc_ws *W, const int *st, int ms, int *list)
{
    sort_by_key(P, W, P->topo, st, ms, list);
}
