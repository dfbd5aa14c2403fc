/* RCPSP solver driver: genetic algorithm, exact branch-and-bound for tiny instances, priority
 * rule baseline, result assembly and schedule verification. See rcpsp.h. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/rcpsp.h"
#include "algo/rcpsp_int.h"

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

/* Value-weighted sum of project ready times (secondary objective); pf: n_proj scratch. */
static double secondary(const rc_prob *P, const int *st, int *pf)
{
    if (P->n_proj == 0) return 0;
    for (int q = 0; q < P->n_proj; q++) pf[q] = 0;
    for (int j = 0; j < P->n; j++) {
        int q = P->proj[j];
        if (q >= 0 && st[j] + P->dur[j] > pf[q]) pf[q] = st[j] + P->dur[j];
    }
    double s = 0;
    for (int q = 0; q < P->n_proj; q++) s += (P->pval ? P->pval[q] : 1.0) * pf[q];
    return s;
}

static uint64_t hash_starts(const int *st, int n)
{
    uint64_t h = 0x243f6a8885a308d3ULL;
    for (int j = 0; j < n; j++) {
        h ^= (uint64_t)(uint32_t)st[j];
        h *= 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

/* ------------------------------------------------------------------------------------------ */
/* Genetic algorithm                                                                            */

typedef struct ga {
    const rc_prob *P;
    rc_ws *W;
    int n, pop, nslots;
    int *lists;     /* nslots * n activity lists */
    int *ms;        /* nslots makespans */
    double *sec;    /* nslots secondary objectives */
    uint64_t *hash; /* nslots hashes of the start vectors */
    int *idx;       /* slot order: idx[0..pop) = population sorted best first */
    int *st, *pf, *mark;
    int *best_st;
    int best_ms;
    double best_sec;
    long sched, budget;
    double t0, tlim, last_progress;
    int time_hit;
    uint64_t rng;
    const pj_algo_opts *opts;
} ga;

static int better(int ma, double sa, int mb, double sb)
{
    return ma < mb || (ma == mb && sa < sb - 1e-9);
}

static int ga_stop(ga *g)
{
    if (g->sched >= g->budget) return 1;
    if (g->best_ms <= g->P->lb && g->P->n_proj == 0) return 1;
    double now = pj_algo_now();
    if (now - g->t0 >= g->tlim || pj_algo_cancelled(g->opts)) {
        g->time_hit = 1;
        return 1;
    }
    if (g->opts && g->opts->progress && now - g->last_progress >= 0.25) {
        g->last_progress = now;
        double f1 = (now - g->t0) / g->tlim, f2 = (double)g->sched / (double)g->budget;
        g->opts->progress(g->opts->progress_ud, f1 > f2 ? f1 : f2);
    }
    return 0;
}

/* Decodes the list in slot s (serial SGS + justification), stores its values, updates the
 * best schedule. */
static void ga_eval(ga *g, int s)
{
    const rc_prob *P = g->P;
    int *list = g->lists + (size_t)s * g->n;
    int m = rc_sgs_serial(P, g->W, list, 0, g->st);
    g->sched++;
    m = rc_justify(P, g->W, list, g->st, m, &g->sched, g->budget);
    g->ms[s] = m;
    g->sec[s] = secondary(P, g->st, g->pf);
    g->hash[s] = hash_starts(g->st, g->n) ^ (uint64_t)m;
    if (better(m, g->sec[s], g->best_ms, g->best_sec)) {
        g->best_ms = m;
        g->best_sec = g->sec[s];
        memcpy(g->best_st, g->st, (size_t)g->n * sizeof(int));
    }
}

/* qsort_r comparators (glibc, _GNU_SOURCE): no global state, so concurrent solves are safe. */
static int cmp_slot(const void *a, const void *b, void *ctx)
{
    int x = *(const int *)a, y = *(const int *)b;
    const ga *g = ctx;
    if (g->ms[x] != g->ms[y]) return g->ms[x] < g->ms[y] ? -1 : 1;
    if (g->sec[x] < g->sec[y] - 1e-9) return -1;
    if (g->sec[x] > g->sec[y] + 1e-9) return 1;
    if (g->hash[x] != g->hash[y]) return g->hash[x] < g->hash[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* Sorts the first cnt slots of idx, drops duplicates, keeps the best pop; the dropped slots
 * go to the end of idx (free for children). Returns the population size kept. */
static int ga_select(ga *g, int cnt)
{
    qsort_r(g->idx, (size_t)cnt, sizeof(int), cmp_slot, g);
    int *tmp = g->mark; /* nslots scratch */
    int keep = 0, drop = 0;
    for (int i = 0; i < cnt; i++) {
        int s = g->idx[i];
        int dup = keep > 0 && g->hash[s] == g->hash[g->idx[keep - 1]] &&
                  g->ms[s] == g->ms[g->idx[keep - 1]];
        if (!dup && keep < g->pop)
            g->idx[keep++] = s;
        else
            tmp[drop++] = s;
    }
    for (int i = 0; i < drop; i++) g->idx[keep + i] = tmp[i];
    return keep;
}

/* Two-point crossover (Hartmann 1998): child = mother[0..q1), then father's order of the
 * jobs not yet taken up to position q2, then mother's order of the rest. */
static void crossover(ga *g, const int *mo, const int *fa, int *child, int *taken, int stamp)
{
    int n = g->n;
    int q1 = (int)pj_rng_below(&g->rng, (uint32_t)n + 1);
    int q2 = (int)pj_rng_below(&g->rng, (uint32_t)n + 1);
    if (q1 > q2) {
        int t = q1;
        q1 = q2;
        q2 = t;
    }
    int c = 0;
    for (int i = 0; i < q1; i++) {
        child[c++] = mo[i];
        taken[mo[i]] = stamp;
    }
    for (int i = 0; i < n && c < q2; i++)
        if (taken[fa[i]] != stamp) {
            child[c++] = fa[i];
            taken[fa[i]] = stamp;
        }
    for (int i = 0; i < n && c < n; i++)
        if (taken[mo[i]] != stamp) {
            child[c++] = mo[i];
            taken[mo[i]] = stamp;
        }
}

static int is_pred(const rc_prob *P, int i, int j)
{
    for (int a = P->pred_off[j]; a < P->pred_off[j + 1]; a++)
        if (P->pred[a] == i) return 1;
    return 0;
}

/* Swaps neighbours that are not precedence-related, each position with probability pm. */
static void mutate(ga *g, int *list, double pm)
{
    for (int i = 0; i + 1 < g->n; i++)
        if (pj_rng_unit(&g->rng) < pm && !is_pred(g->P, list[i], list[i + 1])) {
            int t = list[i];
            list[i] = list[i + 1];
            list[i + 1] = t;
        }
}

/* Moves one random job to a random position between its last predecessor and its first
 * successor in the list (pos: n scratch). */
static void shift_mutate(ga *g, int *list, int *pos)
{
    const rc_prob *P = g->P;
    int n = g->n;
    for (int i = 0; i < n; i++) pos[list[i]] = i;
    int i = (int)pj_rng_below(&g->rng, (uint32_t)n), j = list[i], lo = 0, hi = n - 1;
    for (int a = P->pred_off[j]; a < P->pred_off[j + 1]; a++)
        if (pos[P->pred[a]] + 1 > lo) lo = pos[P->pred[a]] + 1;
    for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++)
        if (pos[P->succ[a]] - 1 < hi) hi = pos[P->succ[a]] - 1;
    if (hi <= lo) return;
    int to = lo + (int)pj_rng_below(&g->rng, (uint32_t)(hi - lo + 1));
    if (to < i)
        memmove(list + to + 1, list + to, (size_t)(i - to) * sizeof(int));
    else if (to > i)
        memmove(list + i, list + i + 1, (size_t)(to - i) * sizeof(int));
    list[to] = j;
}

/* Runs the GA; the best schedule ends in g->best_st. Returns 0 or ENOMEM. */
static int ga_run(ga *g, const pj_rcpsp_params *prm)
{
    const rc_prob *P = g->P;
    int n = P->n;
    long budget = g->budget;
    int pop = prm->pop_size > 0 ? prm->pop_size : (int)(budget / 250);
    if (prm->pop_size <= 0 && pop < 30) pop = 30;
    if (prm->pop_size <= 0 && pop > 200) pop = 200;
    g->pop = pop;
    g->nslots = 2 * pop;
    g->n = n;
    g->lists = malloc((size_t)g->nslots * (size_t)n * sizeof(int) + 1);
    g->ms = malloc((size_t)g->nslots * sizeof(int));
    g->sec = malloc((size_t)g->nslots * sizeof(double));
    g->hash = malloc((size_t)g->nslots * sizeof(uint64_t));
    g->idx = malloc((size_t)g->nslots * sizeof(int));
    g->mark = malloc(((size_t)g->nslots + 2 * (size_t)n) * sizeof(int));
    double *prio = malloc(((size_t)n + 1) * sizeof(double));
    if (!g->lists || !g->ms || !g->sec || !g->hash || !g->idx || !g->mark || !prio) {
        free(prio);
        return PJ_RCPSP_ENOMEM;
    }
    for (int s = 0; s < g->nslots; s++) g->idx[s] = s;
    int *taken = g->mark + g->nslots;
    for (int j = 0; j < n; j++) taken[j] = -1;
    int stamp = 0;

    /* Initial population: every rule with both SGS, then LFT biased random sampling. */
    int cnt = 0;
    for (int r = 0; r < PJ_RCPSP_RULE_COUNT && cnt < g->nslots && !ga_stop(g); r++) {
        if (rc_priorities(P, r, prio)) {
            free(prio);
            return PJ_RCPSP_ENOMEM;
        }
        int s = g->idx[cnt++];
        rc_rule_list(P, g->W, prio, NULL, g->lists + (size_t)s * n);
        ga_eval(g, s);
        if (cnt < g->nslots && !ga_stop(g)) {
            s = g->idx[cnt++];
            int m = rc_sgs_parallel(P, g->W, prio, g->st);
            g->sched++;
            rc_start_order(P, g->W, g->st, m, g->lists + (size_t)s * n);
            ga_eval(g, s);
        }
    }
    cnt = ga_select(g, cnt);
    rc_priorities(P, PJ_RCPSP_RULE_LFT, prio);
    for (int tries = 0; cnt < pop && tries < 4 * pop && !ga_stop(g); tries++) {
        int s = g->idx[cnt];
        rc_rule_list(P, g->W, prio, &g->rng, g->lists + (size_t)s * n);
        ga_eval(g, s);
        cnt = ga_select(g, cnt + 1);
    }

    /* Generations; after `stall` generations without a better best, restart: keep the best
     * individual and refill with fresh biased random samples. */
    double pm = 0.05, pshift = 0.5;
    int *taken2 = g->mark + g->nslots + n;
    int stall = prm->stall_gens > 0 ? prm->stall_gens : 15, since = 0;
    int last_ms = g->best_ms;
    double last_sec = g->best_sec;
    while (!ga_stop(g)) {
        if (better(g->best_ms, g->best_sec, last_ms, last_sec)) {
            last_ms = g->best_ms;
            last_sec = g->best_sec;
            since = 0;
        } else if (++since >= stall) {
            since = 0;
            cnt = 1;
            for (int tries = 0; cnt < pop && tries < 4 * pop && !ga_stop(g); tries++) {
                int s = g->idx[cnt];
                rc_rule_list(P, g->W, prio, &g->rng, g->lists + (size_t)s * n);
                ga_eval(g, s);
                cnt = ga_select(g, cnt + 1);
            }
            continue;
        }
        int made = 0;
        int room = g->nslots - cnt;
        while (made + 1 < room && !ga_stop(g)) {
            int a = (int)pj_rng_below(&g->rng, (uint32_t)cnt);
            int b = (int)pj_rng_below(&g->rng, (uint32_t)cnt);
            int mo = g->idx[a < b ? a : b];
            a = (int)pj_rng_below(&g->rng, (uint32_t)cnt);
            b = (int)pj_rng_below(&g->rng, (uint32_t)cnt);
            int fa = g->idx[a < b ? a : b];
            if (fa == mo && cnt > 1) fa = g->idx[(a + 1) % cnt];
            const int *lm = g->lists + (size_t)mo * n, *lf = g->lists + (size_t)fa * n;
            int s1 = g->idx[cnt + made], s2 = g->idx[cnt + made + 1];
            crossover(g, lm, lf, g->lists + (size_t)s1 * n, taken, stamp++);
            crossover(g, lf, lm, g->lists + (size_t)s2 * n, taken, stamp++);
            mutate(g, g->lists + (size_t)s1 * n, pm);
            mutate(g, g->lists + (size_t)s2 * n, pm);
            if (pj_rng_unit(&g->rng) < pshift) shift_mutate(g, g->lists + (size_t)s1 * n, taken2);
            if (pj_rng_unit(&g->rng) < pshift) shift_mutate(g, g->lists + (size_t)s2 * n, taken2);
            ga_eval(g, s1);
            made++;
            if (ga_stop(g)) break;
            ga_eval(g, s2);
            made++;
        }
        cnt = ga_select(g, cnt + made);
    }
    free(prio);
    return 0;
}

static void ga_free(ga *g)
{
    free(g->lists);
    free(g->ms);
    free(g->sec);
    free(g->hash);
    free(g->idx);
    free(g->mark);
}

/* ------------------------------------------------------------------------------------------ */
/* Exact branch-and-bound over activity lists (tiny instances)                                  */

typedef struct bb {
    const rc_prob *P;
    rc_ws *W;
    int *st, *placed, *npred, *best_st;
    int ub;
    double best_sec;
    int *pf;
    long nodes, node_limit;
    int aborted, time_hit;
    /* the solve's clock and cancel request, looked at every BB_CLOCK_NODES nodes */
    double t0, tlim;
    const pj_algo_opts *opts;
} bb;

#define BB_CLOCK_NODES 256

/* Enumerates every serial-SGS schedule (all activity lists) with pruning by critical-path
 * bounds against the incumbent; this set contains an optimal schedule. */
static void bb_dfs(bb *b, int level, int curms)
{
    const rc_prob *P = b->P;
    int n = P->n;
    if (level == n) {
        double sec = secondary(P, b->st, b->pf);
        if (better(curms, sec, b->ub, b->best_sec)) {
            b->ub = curms;
            b->best_sec = sec;
            memcpy(b->best_st, b->st, (size_t)n * sizeof(int));
        }
        return;
    }
    if (++b->nodes > b->node_limit) {
        b->aborted = 1;
        return;
    }
    if (b->nodes % BB_CLOCK_NODES == 0 &&
        (pj_algo_now() - b->t0 >= b->tlim || pj_algo_cancelled(b->opts))) {
        b->aborted = b->time_hit = 1;
        return;
    }
    /* Node bound from the unplaced jobs. */
    int lb = curms;
    for (int u = 0; u < n; u++) {
        if (b->placed[u]) continue;
        int e = P->head[u];
        for (int a = P->pred_off[u]; a < P->pred_off[u + 1]; a++) {
            int q = P->pred[a];
            if (b->placed[q] && b->st[q] + P->dur[q] > e) e = b->st[q] + P->dur[q];
        }
        if (e + P->tail[u] > lb) lb = e + P->tail[u];
    }
    if (lb > b->ub || (lb == b->ub && P->n_proj == 0)) return;
    for (int j = 0; j < n && !b->aborted; j++) {
        if (b->placed[j] || b->npred[j] > 0) continue;
        int t = 0;
        for (int a = P->pred_off[j]; a < P->pred_off[j + 1]; a++) {
            int q = P->pred[a];
            if (b->st[q] + P->dur[q] > t) t = b->st[q] + P->dur[q];
        }
        t = rc_grid_fit(P, b->W, j, t);
        if (t + P->tail[j] > b->ub || (t + P->tail[j] == b->ub && P->n_proj == 0)) continue;
        rc_grid_add(P, b->W, j, t, 1);
        b->st[j] = t;
        b->placed[j] = 1;
        for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++) b->npred[P->succ[a]]--;
        int f = t + P->dur[j];
        bb_dfs(b, level + 1, f > curms ? f : curms);
        for (int a = P->succ_off[j]; a < P->succ_off[j + 1]; a++) b->npred[P->succ[a]]++;
        b->placed[j] = 0;
        rc_grid_add(P, b->W, j, t, -1);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Driver                                                                                       */

void pj_rcpsp_sol_free(pj_rcpsp_sol *sol)
{
    if (!sol) return;
    free(sol->start);
    free(sol->project_finish);
    free(sol->curve);
    sol->start = NULL;
    sol->project_finish = NULL;
    sol->curve = NULL;
    sol->n_curve = 0;
}

static int cmp_proj(const void *a, const void *b, void *ctx)
{
    const int *curve_pf = ctx;
    int x = *(const int *)a, y = *(const int *)b;
    if (curve_pf[x] != curve_pf[y]) return curve_pf[x] < curve_pf[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* Fills start, makespan, project_finish and curve of sol from st. Returns 0 or ENOMEM. */
static int fill_result(const pj_rcpsp *p, const int *st, pj_rcpsp_sol *sol)
{
    int n = p->n_jobs, np = p->project ? p->n_projects : 0;
    sol->n_jobs = n;
    sol->n_projects = np;
    sol->start = malloc(((size_t)n + 1) * sizeof(int));
    sol->project_finish = calloc((size_t)np + 1, sizeof(int));
    sol->curve = malloc(((size_t)np + 1) * sizeof(pj_rcpsp_curve_pt));
    int *ord = malloc(((size_t)np + 1) * sizeof(int));
    if (!sol->start || !sol->project_finish || !sol->curve || !ord) {
        free(ord);
        pj_rcpsp_sol_free(sol);
        return PJ_RCPSP_ENOMEM;
    }
    int ms = 0;
    for (int j = 0; j < n; j++) {
        sol->start[j] = st[j];
        int f = st[j] + p->duration[j];
        if (f > ms) ms = f;
        int q = np ? p->project[j] : -1;
        if (q >= 0 && f > sol->project_finish[q]) sol->project_finish[q] = f;
    }
    sol->makespan = ms;
    for (int q = 0; q < np; q++) ord[q] = q;
    qsort_r(ord, (size_t)np, sizeof(int), cmp_proj, sol->project_finish);
    double cum = 0;
    int nc = 0;
    for (int i = 0; i < np; i++) {
        int q = ord[i];
        cum += p->project_value ? p->project_value[q] : 1.0;
        if (nc > 0 && sol->curve[nc - 1].t == sol->project_finish[q])
            sol->curve[nc - 1].value = cum;
        else
            sol->curve[nc++] = (pj_rcpsp_curve_pt){sol->project_finish[q], cum};
    }
    sol->n_curve = nc;
    free(ord);
    return 0;
}

int pj_rcpsp_solve(const pj_rcpsp *p, const pj_rcpsp_params *params, const pj_algo_opts *opts,
                   pj_rcpsp_sol *sol)
{
    double t0 = pj_algo_now();
    memset(sol, 0, sizeof *sol);
    sol->err_job = -1;
    int st = pj_rcpsp_check(p, sol->err, sizeof sol->err, &sol->err_job);
    if (st != PJ_RCPSP_OK) {
        sol->status = st;
        return st;
    }
    pj_rcpsp_params prm = {0};
    if (params) prm = *params;
    rc_prob P;
    rc_ws W;
    if (rc_prob_init(&P, p)) goto nomem;
    if (rc_ws_init(&W, &P)) {
        rc_prob_free(&P);
        goto nomem;
    }
    int n = P.n;
    int *best = malloc(((size_t)n + 1) * sizeof(int)),
        *list = malloc(((size_t)n + 1) * sizeof(int));
    int *pf = malloc(((size_t)P.n_proj + 1) * sizeof(int));
    double *prio = malloc(((size_t)n + 1) * sizeof(double));
    ga g = {0};
    int rc = 0, proved = 0;
    if (!best || !list || !pf || !prio) rc = PJ_RCPSP_ENOMEM;
    long sched = 0;
    int time_hit = 0;
    if (rc == 0 && prm.method == PJ_RCPSP_METHOD_RULE) {
        int rule = prm.rule >= 0 && prm.rule < PJ_RCPSP_RULE_COUNT ? prm.rule : 0;
        rc = rc_priorities(&P, rule, prio);
        if (rc == 0) {
            int m;
            if (prm.sgs == PJ_RCPSP_SGS_PARALLEL) {
                m = rc_sgs_parallel(&P, &W, prio, best);
                rc_start_order(&P, &W, best, m, list);
            } else {
                rc_rule_list(&P, &W, prio, NULL, list);
                m = rc_sgs_serial(&P, &W, list, 0, best);
            }
            sched = 1;
            if (prm.justify) rc_justify(&P, &W, list, best, m, &sched, LONG_MAX);
        }
    } else if (rc == 0) {
        long budget = prm.max_schedules;
        if (budget <= 0) {
            budget = n > 0 ? 1500000L / n : 50000;
            if (budget < 100) budget = 100;
            if (budget > 50000) budget = 50000;
        }
        g.P = &P;
        g.W = &W;
        g.pf = pf;
        g.st = list;
        g.best_st = best;
        g.best_ms = INT_MAX;
        g.best_sec = INFINITY;
        g.budget = budget;
        g.t0 = t0;
        g.tlim = opts && opts->time_limit_s > 0 ? opts->time_limit_s : 10.0;
        g.last_progress = t0;
        g.rng = (opts ? opts->seed : 0) ^ 0x5eed5eed12345ULL;
        g.opts = opts;
        g.n = n;
        if (n == 0) {
            g.best_ms = 0;
        } else {
            rc = ga_run(&g, &prm);
            /* The budget may run out before anything was decoded: fall back to LFT. */
            if (rc == 0 && g.best_ms == INT_MAX) {
                rc_priorities(&P, PJ_RCPSP_RULE_LFT, prio);
                rc_rule_list(&P, &W, prio, NULL, list);
                g.best_ms = rc_sgs_serial(&P, &W, list, 0, best);
                g.sched++;
            }
        }
        sched = g.sched;
        time_hit = g.time_hit;
        if (rc == 0 && n > 0 && n <= PJ_RCPSP_EXACT_MAX_JOBS && !prm.no_exact &&
            !(g.best_ms <= P.lb && P.n_proj == 0)) {
            bb b = {0};
            b.P = &P;
            b.W = &W;
            b.st = calloc((size_t)n, sizeof(int));
            b.placed = calloc((size_t)n, sizeof(int));
            b.npred = malloc((size_t)n * sizeof(int));
            b.best_st = best;
            b.ub = g.best_ms;
            b.best_sec = secondary(&P, best, pf);
            b.pf = pf;
            b.node_limit = 400000;
            b.t0 = t0;
            b.tlim = g.tlim;
            b.opts = opts;
            if (b.st && b.placed && b.npred) {
                for (int j = 0; j < n; j++) b.npred[j] = P.pred_off[j + 1] - P.pred_off[j];
                bb_dfs(&b, 0, 0);
                if (!b.aborted) proved = 1;
                if (b.time_hit) time_hit = 1;
            }
            free(b.st);
            free(b.placed);
            free(b.npred);
        }
    }
    if (rc == 0) rc = fill_result(p, best, sol);
    if (rc == 0) {
        sol->schedules = sched;
        sol->cp_bound = P.cp;
        sol->res_bound = P.rb;
        sol->stats.objective = sol->makespan;
        int lb = P.lb;
        if (proved) lb = sol->makespan;
        sol->stats.lower_bound = lb;
        sol->stats.optimal = sol->makespan <= lb;
        sol->stats.time_limit_hit = sol->stats.clock_limited = time_hit;
        pj_algo_stats_finish(&sol->stats);
    }
    ga_free(&g);
    free(best);
    free(list);
    free(pf);
    free(prio);
    rc_ws_free(&W);
    rc_prob_free(&P);
    sol->stats.time_s = pj_algo_now() - t0;
    if (rc != 0) {
        sol->status = rc;
        seterr(sol->err, sizeof sol->err, "out of memory");
        return rc;
    }
    if (opts && opts->progress) opts->progress(opts->progress_ud, 1.0);
    return PJ_RCPSP_OK;
nomem:
    sol->status = PJ_RCPSP_ENOMEM;
    seterr(sol->err, sizeof sol->err, "out of memory");
    return PJ_RCPSP_ENOMEM;
}

int pj_rcpsp_verify(const pj_rcpsp *p, const int *start, int makespan, char *err, size_t errlen)
{
    if (pj_rcpsp_check(p, err, errlen, NULL) != PJ_RCPSP_OK) return -1;
    int n = p->n_jobs, K = p->n_res, ms = 0;
    for (int j = 0; j < n; j++) {
        if (start[j] < 0) {
            seterr(err, errlen, "job %d starts at %d < 0", j, start[j]);
            return -1;
        }
        if (start[j] + p->duration[j] > ms) ms = start[j] + p->duration[j];
        for (int a = p->succ_start[j]; a < p->succ_start[j + 1]; a++) {
            int s = p->succ[a];
            if (start[j] + p->duration[j] > start[s]) {
                seterr(err, errlen, "precedence %d -> %d violated: %d + %d > %d", j, s, start[j],
                       p->duration[j], start[s]);
                return -1;
            }
        }
    }
    if (ms != makespan) {
        seterr(err, errlen, "makespan %d, but the last job finishes at %d", makespan, ms);
        return -1;
    }
    if (K == 0 || !p->demand) return 0;
    /* Usage profile by events: sort start/finish events per resource via a time-indexed array
     * when small, else a sweep over jobs. */
    long *use = calloc(((size_t)ms + 1) * (size_t)K, sizeof(long));
    if (!use) {
        seterr(err, errlen, "out of memory");
        return -1;
    }
    for (int j = 0; j < n; j++)
        for (int k = 0; k < K; k++) {
            int r = p->demand[(size_t)j * K + k];
            if (r == 0) continue;
            use[(size_t)start[j] * K + k] += r;
            use[(size_t)(start[j] + p->duration[j]) * K + k] -= r;
        }
    int bad = 0;
    for (int k = 0; k < K && !bad; k++) {
        long cur = 0;
        for (int t = 0; t < ms; t++) {
            cur += use[(size_t)t * K + k];
            if (cur > p->capacity[k]) {
                seterr(err, errlen, "resource %d used %ld > capacity %d at time %d", k, cur,
                       p->capacity[k], t);
                bad = 1;
                break;
            }
        }
    }
    free(use);
    return bad ? -1 : 0;
}
