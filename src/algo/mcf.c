/* Min-cost flow by successive shortest paths with potentials (see mcf.h). */
#include "algo/mcf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DINF INT64_MAX

void pj_mcf_sol_free(pj_mcf_sol *sol)
{
    if (!sol) return;
    free(sol->flow);
    free(sol->potential);
    free(sol->excess);
    sol->flow = sol->potential = sol->excess = NULL;
}

/* Residual network in CSR order: the arcs leaving node v are first[v] .. first[v+1]-1. */
typedef struct net {
    int nn;        /* nodes, super source nn-2 and super sink nn-1 included */
    int na;        /* residual arcs */
    int *first;    /* nn+1 */
    int *to;       /* na */
    int *rev;      /* na: index of the paired arc */
    int64_t *cap;  /* na: residual capacity */
    int64_t *cost; /* na */
} net;

/* Binary min-heap of nodes keyed by dist, with positions for decrease-key. */
typedef struct heap {
    int *h, *pos, n;
    const int64_t *key;
} heap;

static void heap_up(heap *q, int k)
{
    int v = q->h[k];
    int64_t kv = q->key[v];
    while (k > 0) {
        int p = (k - 1) >> 1;
        if (q->key[q->h[p]] <= kv) break;
        q->h[k] = q->h[p];
        q->pos[q->h[k]] = k;
        k = p;
    }
    q->h[k] = v;
    q->pos[v] = k;
}

static int heap_pop(heap *q)
{
    int top = q->h[0];
    q->pos[top] = -2; /* settled */
    int v = q->h[--q->n];
    if (q->n == 0) return top;
    int64_t kv = q->key[v];
    int k = 0;
    for (;;) {
        int c = 2 * k + 1;
        if (c >= q->n) break;
        if (c + 1 < q->n && q->key[q->h[c + 1]] < q->key[q->h[c]]) c++;
        if (q->key[q->h[c]] >= kv) break;
        q->h[k] = q->h[c];
        q->pos[q->h[k]] = k;
        k = c;
    }
    q->h[k] = v;
    q->pos[v] = k;
    return top;
}

static void heap_push_or_decrease(heap *q, int v)
{
    int k = q->pos[v];
    if (k == -1) {
        k = q->n++;
        q->h[k] = v;
        q->pos[v] = k;
    }
    heap_up(q, k);
}

/* Full Dijkstra from s on reduced costs (dist = distances in reduced costs, DINF when
 * unreachable), then pi += dist (the largest finite distance for unreachable nodes), which keeps
 * every residual reduced cost non-negative and makes the shortest-path tree arcs tight. Node
 * skip (or -1) is left out of the search. */
static void dijkstra(const net *g, int s, int skip, int64_t *pi, int64_t *dist, int *pred, heap *q)
{
    int nn = g->nn;
    for (int v = 0; v < nn; v++) {
        dist[v] = DINF;
        q->pos[v] = -1;
    }
    q->n = 0;
    dist[s] = 0;
    pred[s] = -1;
    heap_push_or_decrease(q, s);
    int64_t dmax = 0;
    while (q->n > 0) {
        int u = heap_pop(q);
        int64_t du = dist[u], pu = pi[u];
        dmax = du;
        for (int e = g->first[u], ee = g->first[u + 1]; e < ee; e++) {
            if (g->cap[e] <= 0) continue;
            int v = g->to[e];
            if (q->pos[v] == -2 || v == skip) continue;
            int64_t nd = du + g->cost[e] + pu - pi[v];
            if (nd < dist[v]) {
                dist[v] = nd;
                pred[v] = e;
                heap_push_or_decrease(q, v);
            }
        }
    }
    for (int v = 0; v < nn; v++) pi[v] += dist[v] == DINF ? dmax : dist[v];
}

/* A demand node waiting for flow, keyed by its distance to the sink through its own arc. */
typedef struct cand {
    int64_t key;
    int node;
} cand;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->node > y->node) - (x->node < y->node);
}

/* Bottleneck of the tree path s -> ... -> v followed by arc last (v -> t); 0 when blocked or
 * when the tree path passes through t. */
static int64_t path_cap(const net *g, const int *pred, int s, int t, int v, int last)
{
    int64_t f = g->cap[last];
    while (v != s) {
        if (v == t) return 0;
        int e = pred[v];
        if (g->cap[e] < f) f = g->cap[e];
        v = g->to[g->rev[e]];
    }
    return f;
}

static void path_push(net *g, const int *pred, int s, int v, int last, int64_t f)
{
    g->cap[last] -= f;
    g->cap[g->rev[last]] += f;
    while (v != s) {
        int e = pred[v];
        g->cap[e] -= f;
        g->cap[g->rev[e]] += f;
        v = g->to[g->rev[e]];
    }
}

static int add_ok(int64_t a, int64_t b, int64_t *r)
{
    return !__builtin_add_overflow(a, b, r);
}

/* Builds the residual network: input arcs (reversed when rev), then S->v for supply nodes and
 * v->T for demand nodes (supplies negated when rev). Fills fpos (forward residual arc of each
 * slot), the list of demand nodes cd[].node with their sink arcs; returns their number. */
static int build_net(net *g, const pj_mcf *p, const int64_t *b, int rev, int64_t big, int *fpos,
                     int *fill, cand *cd, int *sink_arc)
{
    int n = p->n_nodes, m = p->n_arcs, S = n, T = n + 1;
    memset(g->first, 0, sizeof(int) * ((size_t)g->nn + 1));
    for (int k = 0; k < m; k++) {
        g->first[p->arcs[k].from + 1]++;
        g->first[p->arcs[k].to + 1]++;
    }
    for (int v = 0; v < n; v++) {
        int64_t bv = rev ? -b[v] : b[v];
        if (bv > 0) {
            g->first[S + 1]++;
            g->first[v + 1]++;
        } else if (bv < 0) {
            g->first[v + 1]++;
            g->first[T + 1]++;
        }
    }
    for (int v = 0; v < g->nn; v++) g->first[v + 1] += g->first[v];
    for (int v = 0; v < g->nn; v++) fill[v] = g->first[v];
#define ADD_ARC(slot, u, w, c, k)                                                                  \
    do {                                                                                           \
        int e1_ = fill[u]++, e2_ = fill[w]++;                                                      \
        g->to[e1_] = (w);                                                                          \
        g->to[e2_] = (u);                                                                          \
        g->rev[e1_] = e2_;                                                                         \
        g->rev[e2_] = e1_;                                                                         \
        g->cost[e1_] = (k);                                                                        \
        g->cost[e2_] = -(k);                                                                       \
        g->cap[e1_] = (c);                                                                         \
        g->cap[e2_] = 0;                                                                           \
        fpos[slot] = e1_;                                                                          \
    } while (0)
    for (int k = 0; k < m; k++) {
        const pj_mcf_arc *a = &p->arcs[k];
        int64_t c = a->cap == PJ_MCF_UNBOUNDED ? big : a->cap;
        int u = rev ? a->to : a->from, w = rev ? a->from : a->to;
        ADD_ARC(k, u, w, c, a->cost);
        if (a->cost < 0) { /* saturated from the start */
            int e = fpos[k];
            g->cap[g->rev[e]] = g->cap[e];
            g->cap[e] = 0;
        }
    }
    int slot = m, nsk = 0;
    for (int v = 0; v < n; v++) {
        int64_t bv = rev ? -b[v] : b[v];
        if (bv > 0) {
            ADD_ARC(slot++, S, v, bv, 0);
        } else if (bv < 0) {
            ADD_ARC(slot, v, T, -bv, 0);
            cd[nsk].node = v;
            sink_arc[nsk++] = fpos[slot++];
        }
    }
#undef ADD_ARC
    return nsk;
}

/* Successive shortest paths from S until `small` units reach the sink side or no path is left.
 * Each round runs one full Dijkstra, then serves several demand nodes from the same tree:
 *  - strict: the demand nodes in order of distance to T while each is served completely, then
 *    T's potential is raised to the last distance served; exact in every case.
 *  - relaxed: T is left out of the search and every demand node with an open tree path is
 *    served; reduced costs stay non-negative on all arcs but those at T, so the result is exact
 *    only if every demand node ends saturated (routed == small), which the caller checks.
 * Returns 0, or PJ_MCF_TIME_LIMIT. */
static int run_ssp(net *g, int S, int T, int64_t *pi, int64_t *dist, int *pred, heap *q, cand *cd,
                   cand *batch, const int *sink_arc, int nsk, int64_t small, int relaxed,
                   const pj_algo_opts *opts, double t0, double tlim, int64_t *routed, int64_t *naug)
{
    int64_t iter = 0;
    double last_progress = t0;
    int rc = 0;
    while (*routed < small) {
        if (iter++ > 0 && (tlim > 0 || (opts && (opts->progress || opts->cancelled)))) {
            double now = pj_algo_now();
            if ((tlim > 0 && now - t0 > tlim) || pj_algo_cancelled(opts)) {
                rc = PJ_MCF_TIME_LIMIT;
                break;
            }
            if (opts && opts->progress && now - last_progress > 0.25) {
                last_progress = now;
                opts->progress(opts->progress_ud, (double)*routed / (double)small);
            }
        }
        int64_t piT_old = pi[T];
        for (int k = 0; k < nsk; k++) cd[k].key = pi[cd[k].node]; /* potentials before */
        dijkstra(g, S, relaxed ? T : -1, pi, dist, pred, q);
        if (relaxed) {
            int nc = 0;
            for (int k = 0; k < nsk; k++) {
                int v = cd[k].node;
                if (g->cap[sink_arc[k]] > 0 && dist[v] != DINF) batch[nc++] = (cand){dist[v], k};
            }
            if (nc == 0) break;
            qsort(batch, (size_t)nc, sizeof(cand), cmp_cand);
            int served = 0;
            for (int k = 0; k < nc; k++) {
                int idx = batch[k].node, v = cd[idx].node, e = sink_arc[idx];
                int64_t f = path_cap(g, pred, S, T, v, e);
                if (f <= 0) continue;
                path_push(g, pred, S, v, e, f);
                *routed += f;
                (*naug)++;
                served = 1;
            }
            if (!served) break;
            continue;
        }
        if (dist[T] == DINF) break;
        /* 1. Augment along the shortest path to the sink (plain SSP step). */
        int e_last = pred[T], v0 = g->to[g->rev[e_last]];
        int64_t f = path_cap(g, pred, S, T, v0, e_last);
        path_push(g, pred, S, v0, e_last, f);
        *routed += f;
        (*naug)++;
        int64_t key_last = dist[T];
        /* 2. Batch: while the demand nodes taken in order of distance to the sink are served
         * completely along still-open tree paths, keep serving them from the same tree. */
        if (g->cap[e_last] == 0) {
            int nc = 0;
            for (int k = 0; k < nsk; k++) {
                int v = cd[k].node, e = sink_arc[k];
                if (v == v0 || g->cap[e] <= 0 || dist[v] == DINF) continue;
                /* key = dist(v) + old reduced cost of v -> T */
                batch[nc++] = (cand){dist[v] + (cd[k].key - piT_old), k};
            }
            qsort(batch, (size_t)nc, sizeof(cand), cmp_cand);
            for (int k = 0; k < nc && *routed < small; k++) {
                int idx = batch[k].node, v = cd[idx].node, e = sink_arc[idx];
                int64_t b2 = path_cap(g, pred, S, T, v, e);
                if (b2 <= 0) break;
                path_push(g, pred, S, v, e, b2);
                *routed += b2;
                (*naug)++;
                key_last = batch[k].key;
                if (g->cap[e] > 0) break; /* partly served: stop here */
            }
        }
        pi[T] = piT_old + key_last;
    }
    if (relaxed && nsk > 0) { /* T's potential: the highest among the demand nodes */
        int64_t mx = pi[cd[0].node];
        for (int k = 1; k < nsk; k++)
            if (pi[cd[k].node] > mx) mx = pi[cd[k].node];
        pi[T] = mx;
    }
    return rc;
}

/* 1 when no residual arc has a negative reduced cost (so the flow has no negative cycle). */
static int certify(const net *g, const int64_t *pi)
{
    for (int u = 0; u < g->nn; u++)
        for (int e = g->first[u]; e < g->first[u + 1]; e++)
            if (g->cap[e] > 0 && g->cost[e] + pi[u] - pi[g->to[e]] < 0) return 0;
    return 1;
}

int pj_mcf_solve(const pj_mcf *p, const pj_algo_opts *opts, pj_mcf_sol *sol)
{
    double t0 = pj_algo_now();
    memset(sol, 0, sizeof *sol);
    sol->status = PJ_MCF_EINVAL;
    if (!p || p->n_nodes < 0 || p->n_nodes > (1 << 28) || p->n_arcs < 0 ||
        (p->n_arcs > 0 && !p->arcs) || p->n_arcs > (1 << 28))
        return sol->status;
    int n = p->n_nodes, m = p->n_arcs;
    double tlim = opts && opts->time_limit_s > 0 ? opts->time_limit_s : 0;

    /* Validate, and apply the saturation of negative-cost arcs to the balances. */
    int64_t *b = calloc((size_t)n + 2, sizeof(int64_t));
    if (!b) {
        sol->status = PJ_MCF_ENOMEM;
        return sol->status;
    }
    for (int v = 0; v < n; v++) {
        int64_t s = p->supply ? p->supply[v] : 0;
        if (s > PJ_MCF_QTY_MAX || s < -PJ_MCF_QTY_MAX) goto einval;
        b[v] = s;
    }
    for (int k = 0; k < m; k++) {
        const pj_mcf_arc *a = &p->arcs[k];
        if (a->from < 0 || a->from >= n || a->to < 0 || a->to >= n) goto einval;
        if (a->cost > PJ_MCF_COST_MAX || a->cost < -PJ_MCF_COST_MAX) goto einval;
        if (a->cap != PJ_MCF_UNBOUNDED && (a->cap < 0 || a->cap > PJ_MCF_QTY_MAX)) goto einval;
        if (a->cost < 0) {
            if (a->cap == PJ_MCF_UNBOUNDED) goto einval;
            if (__builtin_sub_overflow(b[a->from], a->cap, &b[a->from]) ||
                !add_ok(b[a->to], a->cap, &b[a->to]))
                goto einval;
        }
    }
    int64_t pos_total = 0, neg_total = 0;
    int n_src = 0, n_snk = 0;
    for (int v = 0; v < n; v++) {
        if (b[v] > 0) {
            if (!add_ok(pos_total, b[v], &pos_total) || pos_total > ((int64_t)1 << 61)) goto einval;
            n_src++;
        } else if (b[v] < 0) {
            if (!add_ok(neg_total, -b[v], &neg_total) || neg_total > ((int64_t)1 << 61))
                goto einval;
            n_snk++;
        }
    }

    /* Build the residual network. */
    net g;
    g.nn = n + 2;
    g.na = 2 * (m + n_src + n_snk);
    int n_side = (n_src > n_snk ? n_src : n_snk) + 1;
    g.first = calloc((size_t)g.nn + 1, sizeof(int));
    g.to = malloc(sizeof(int) * (size_t)(g.na ? g.na : 1));
    g.rev = malloc(sizeof(int) * (size_t)(g.na ? g.na : 1));
    g.cap = malloc(sizeof(int64_t) * (size_t)(g.na ? g.na : 1));
    g.cost = malloc(sizeof(int64_t) * (size_t)(g.na ? g.na : 1));
    int *fpos = malloc(sizeof(int) * (size_t)(m + n_src + n_snk + 1)); /* forward arc slots */
    int *fill = malloc(sizeof(int) * (size_t)g.nn);
    int64_t *pi = calloc((size_t)g.nn, sizeof(int64_t));
    int64_t *dist = malloc(sizeof(int64_t) * (size_t)g.nn);
    int *pred = malloc(sizeof(int) * (size_t)g.nn);
    heap q = {malloc(sizeof(int) * (size_t)g.nn), malloc(sizeof(int) * (size_t)g.nn), 0, dist};
    cand *cd = malloc(sizeof(cand) * (size_t)n_side);
    cand *batch = malloc(sizeof(cand) * (size_t)n_side);
    int *sink_arc = malloc(sizeof(int) * (size_t)n_side);
    sol->flow = malloc(sizeof(int64_t) * (size_t)(m ? m : 1));
    sol->potential = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    sol->excess = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    int status = PJ_MCF_OK;
    if (!g.first || !g.to || !g.rev || !g.cap || !g.cost || !fpos || !fill || !pi || !dist ||
        !pred || !q.h || !q.pos || !cd || !batch || !sink_arc || !sol->flow || !sol->potential ||
        !sol->excess) {
        status = PJ_MCF_ENOMEM;
        goto out;
    }
    int64_t big = pos_total + 1; /* stands for an unbounded capacity */
    int S = n, T = n + 1, nsk = 0;
    int64_t routed = 0, naug = 0;
    /* First try: the fast relaxed search (see run_ssp), oriented so that its sink side is the
     * side with the smaller total; it is exact when that side ends saturated. Otherwise solve
     * again with the strict search on the forward network. */
    int rev = pos_total < neg_total;
    int64_t small = pos_total < neg_total ? pos_total : neg_total;
    nsk = build_net(&g, p, b, rev, big, fpos, fill, cd, sink_arc);
    memset(pi, 0, sizeof(int64_t) * (size_t)g.nn);
    int rs = run_ssp(&g, S, T, pi, dist, pred, &q, cd, batch, sink_arc, nsk, small, 1, opts, t0,
                     tlim, &routed, &naug);
    if (rs == 0 && (routed < small || !certify(&g, pi))) {
        rev = 0;
        nsk = build_net(&g, p, b, 0, big, fpos, fill, cd, sink_arc);
        memset(pi, 0, sizeof(int64_t) * (size_t)g.nn);
        routed = 0;
        rs = run_ssp(&g, S, T, pi, dist, pred, &q, cd, batch, sink_arc, nsk, small, 0, opts, t0,
                     tlim, &routed, &naug);
    }
    if (rs == PJ_MCF_TIME_LIMIT) {
        status = PJ_MCF_TIME_LIMIT;
        sol->stats.time_limit_hit = sol->stats.clock_limited = 1;
    }
    sol->routed = routed;
    sol->augmentations = naug;

    /* Flows, excesses, cost (overflow-checked). */
    int64_t total = 0;
    for (int v = 0; v < n; v++) sol->excess[v] = p->supply ? p->supply[v] : 0;
    for (int k = 0; k < m; k++) {
        const pj_mcf_arc *a = &p->arcs[k];
        int64_t f = g.cap[g.rev[fpos[k]]], term;
        sol->flow[k] = f;
        sol->excess[a->from] -= f;
        sol->excess[a->to] += f;
        if (__builtin_mul_overflow(f, a->cost, &term) || !add_ok(total, term, &total)) {
            status = PJ_MCF_EOVERFLOW;
            goto out;
        }
    }
    sol->cost = total;
    for (int v = 0; v < n; v++) sol->potential[v] = rev ? -pi[v] : pi[v];
    if (status == PJ_MCF_OK) {
        for (int v = 0; v < n; v++)
            if (sol->excess[v] != 0) status = PJ_MCF_INFEASIBLE;
    }
    /* Certificate: no residual arc with negative reduced cost, so no negative cycle. */
    int certified = status != PJ_MCF_TIME_LIMIT && certify(&g, pi);
    sol->stats.objective = (double)total;
    sol->stats.lower_bound = certified ? (double)total : -INFINITY;
    sol->stats.optimal = certified;

out:
    free(g.first);
    free(g.to);
    free(g.rev);
    free(g.cap);
    free(g.cost);
    free(fpos);
    free(fill);
    free(pi);
    free(dist);
    free(pred);
    free(cd);
    free(batch);
    free(sink_arc);
    free(q.h);
    free(q.pos);
    free(b);
    if (status < 0) {
        pj_mcf_sol_free(sol);
        memset(sol, 0, sizeof *sol);
    }
    sol->status = status;
    sol->stats.time_s = pj_algo_now() - t0;
    pj_algo_stats_finish(&sol->stats);
    return status;
einval:
    free(b);
    sol->status = PJ_MCF_EINVAL;
    return sol->status;
}
