/* Eldercare: pairing (结对) of elders with helpers.
 *
 * The solver (pj_pair_solve) builds, for every elder, the helpers that may serve them
 * (within the walking distance, with every skill the elder needs, of the preferred sex, with a
 * place left; looked up in a grid of helpers, see candidates()), keeps the `candidates`
 * cheapest and solves the capacitated assignment as a min-cost flow by shortest augmenting
 * paths (sap(); the same answer as algo/assign.h's general min-cost flow): as many elders
 * paired as possible, then the least total cost, where cost = metres + a penalty for another
 * village. Existing active pairs are kept: their elders are not re-paired and their places are
 * taken off the helpers' capacities. A run stores one proposal per elder considered, with the
 * reason, for officers to accept, edit or reject. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/algo.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

#define EARTH_M 6371008.8

/* Equirectangular distance, scaled at the first point's latitude (the elder's): exact enough
 * within a few kilometres, and cheap. */
static double dist_m(double lat1, double lon1, double lat2, double lon2)
{
    double k = M_PI / 180.0;
    double x = (lon2 - lon1) * k * cos(lat1 * k);
    double y = (lat2 - lat1) * k;
    return sqrt(x * x + y * y) * EARTH_M;
}

/* Whether an officer refused helper hi for elder e. */
static int refused(const pj_pair_elder *e, int hi)
{
    for (int i = 0; i < e->n_refused; i++)
        if (e->refused[i] == hi) return 1;
    return 0;
}

/* The cost of helper hi for elder ei, kx = cos(elder latitude); -1 when not allowed. */
static int64_t cost_k(const pj_pair_problem *p, int hi, int ei, double kx)
{
    const pj_pair_helper *h = &p->helpers[hi];
    const pj_pair_elder *e = &p->elders[ei];
    if (h->cap <= 0 || (h->skills & e->needs) != e->needs) return -1;
    if (e->sex_pref && e->sex_pref != h->sex) return -1;
    if (e->group && h->group && e->group != h->group) return -1;
    /* a person is never their own helper (a helper who is on the elders' register too) */
    if (e->person && h->person == e->person) return -1;
    if (refused(e, hi)) return -1;
    double k = M_PI / 180.0;
    double x = (h->lon - e->lon) * k * kx, y = (h->lat - e->lat) * k;
    double d2 = (x * x + y * y) * EARTH_M * EARTH_M;
    if (d2 > p->walk_m * p->walk_m) return -1;
    return (int64_t)llround(sqrt(d2)) + (h->village_id != e->village_id ? p->other_village_m : 0);
}

int64_t pj_pair_cost(const pj_pair_problem *p, int hi, int ei)
{
    return cost_k(p, hi, ei, cos(p->elders[ei].lat * M_PI / 180.0));
}

void pj_pair_result_free(pj_pair_result *r)
{
    free(r->helper_of);
    free(r->n_candidates);
    free(r->rank);
    free(r->cost);
    memset(r, 0, sizeof *r);
}

typedef struct cand {
    int helper;
    int64_t cost;
} cand;

static int find(int *par, int x)
{
    while (par[x] != x) x = par[x] = par[par[x]];
    return x;
}

/* ---- the solver: shortest augmenting paths (Hungarian method for capacitated pairing) ----
 *
 * As a min-cost flow: source → elder (1) → helper (cost) → sink (capacity), and for every
 * elder a private "unpaired" arc to the sink of cost BIG (more than any total distance), so
 * that every elder is routed and the minimum cost pairs as many elders as possible first,
 * then at the least distance. Elders are added one at a time; each is routed along a shortest
 * path in the residual network (reduced costs with node potentials, Dijkstra stopped at the
 * sink), which may re-route already paired elders to other helpers or, when it is cheaper in
 * that order, leave one unpaired. Potentials of settled nodes move by d - D, which keeps
 * every reduced cost non-negative; a row-by-row Hungarian method is exact for a complete
 * assignment, which the unpaired arcs make this. Most searches end at a free helper nearby,
 * so the work is local except where helpers are saturated. */

/* What a search keeps of a node, side by side (one cache line for the lot). */
typedef struct snode {
    int64_t pot, dist;     /* potential; distance in this search (reduced costs) */
    int stamp, done, pred; /* search that reached / settled it; node before it */
} snode;

typedef struct hitem {
    int64_t d;
    int node;
} hitem;

/* A 4-ary heap: half as deep as a binary one, and a node's children share a cache line. */
static void heap_push(hitem *h, int *n, hitem x)
{
    int i = (*n)++;
    while (i > 0) {
        int p = (i - 1) / 4;
        if (h[p].d <= x.d) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static hitem heap_pop(hitem *h, int *n)
{
    hitem top = h[0], x = h[--*n];
    int i = 0, len = *n;
    for (;;) {
        int c = 4 * i + 1, end = c + 4 < len ? c + 4 : len;
        if (c >= len) break;
        int best = c;
        for (int j = c + 1; j < end; j++)
            if (h[j].d < h[best].d) best = j;
        if (h[best].d >= x.d) break;
        h[i] = h[best];
        i = best;
    }
    if (len) h[i] = x;
    return top;
}

static int sap(const pj_pair_problem *p, int ne, int nh, int K, const cand *cs, const int *ncs,
               pj_pair_result *r)
{
    int64_t cmax = 0;
    for (int e = 0; e < ne; e++)
        for (int k = 0; k < ncs[e]; k++)
            if (cs[(size_t)e * K + k].cost > cmax) cmax = cs[(size_t)e * K + k].cost;
    const int64_t BIG = (cmax + 1) * ((int64_t)ne + 1);
    int N = ne + nh; /* nodes: elders, then helpers (the sink is implicit: best_t) */
    snode *V = calloc((size_t)N + 1, sizeof *V);
    int *settled = malloc(sizeof(int) * ((size_t)N + 1));
    int *hoff = malloc(sizeof(int) * ((size_t)nh + 1)), *load = calloc((size_t)nh + 1, sizeof(int));
    int64_t *acost = calloc((size_t)ne + 1, sizeof(int64_t));
    size_t slots = 0;
    for (int h = 0; h < nh; h++) slots += (size_t)(p->helpers[h].cap > 0 ? p->helpers[h].cap : 0);
    int *members = malloc(sizeof(int) * (slots + 1));
    size_t heap_cap = 1024;
    hitem *heap = malloc(sizeof(hitem) * heap_cap);
    int ok = V && settled && hoff && load && acost && members && heap;
    for (int h = 0, o = 0; ok && h < nh; h++) {
        hoff[h] = o;
        o += p->helpers[h].cap > 0 ? p->helpers[h].cap : 0;
    }
    int *as = r->helper_of;
    for (int e = 0; e < ne; e++) as[e] = -1;
    /* The order of the searches (any order ends at the optimum): elders whose cheapest helper
     * is nearest first, in bands of BAND, within a band in input order (which keeps
     * neighbours together). An elder next to a helper nearly always keeps it; routed late, it
     * would push others along: on the demo district 4.8 million nodes are settled this way
     * instead of 7.2 million in input order. Elders without a candidate need no search. */
    enum { BAND = 50, NBANDS = 1024 };
    int *order = malloc(sizeof(int) * ((size_t)ne + 1)), *band = calloc(NBANDS + 1, sizeof(int));
    int n_order = 0;
    ok = ok && order && band;
    for (int e = 0; ok && e < ne; e++)
        if (ncs[e]) {
            int64_t c = cs[(size_t)e * K].cost / BAND;
            band[(c < 0 ? 0 : c >= NBANDS ? NBANDS - 1 : (int)c) + 1]++;
            n_order++;
        }
    for (int b = 0; ok && b < NBANDS; b++) band[b + 1] += band[b];
    for (int e = 0; ok && e < ne; e++)
        if (ncs[e]) {
            int64_t c = cs[(size_t)e * K].cost / BAND;
            order[band[c < 0 ? 0 : c >= NBANDS ? NBANDS - 1 : (int)c]++] = e;
        }
    for (int ri = 0; ok && ri < n_order; ri++) {
        int root = order[ri];
        int iter = ri + 1, hn = 0, ns = 0;
        int64_t best_t = INT64_MAX;
        int t_via = -1, t_dummy = 0; /* the node before the sink; 1 when an elder's unpaired arc */
        V[root].dist = 0, V[root].stamp = iter, V[root].pred = -1;
        heap_push(heap, &hn, (hitem){0, root});
        /* the sink is reached at best_t: nodes no nearer are neither settled nor pushed */
        while (hn && heap[0].d < best_t) {
            hitem x = heap_pop(heap, &hn);
            if (V[x.node].stamp != iter || x.d != V[x.node].dist || V[x.node].done == iter)
                continue;
            V[x.node].done = iter;
            settled[ns++] = x.node;
            /* room for the pushes of this node */
            if ((size_t)hn + (size_t)K + (size_t)slots + 4 > heap_cap) {
                size_t nc = heap_cap * 2 + (size_t)K + slots + 4;
                hitem *nh2 = realloc(heap, sizeof(hitem) * nc);
                if (!nh2) {
                    ok = 0;
                    break;
                }
                heap = nh2, heap_cap = nc;
            }
            if (x.node < ne) {
                int e = x.node;
                /* the elder's unpaired arc to the sink */
                int64_t dt = x.d + BIG + V[e].pot;
                if (dt < best_t) best_t = dt, t_via = e, t_dummy = 1;
                for (int k = 0; k < ncs[e]; k++) {
                    const cand *cd = &cs[(size_t)e * K + k];
                    if (cd->helper == as[e]) continue; /* the matched arc runs backwards */
                    int v = ne + cd->helper;
                    int64_t nd = x.d + cd->cost + V[e].pot - V[v].pot;
                    if (nd < best_t && (V[v].stamp != iter || nd < V[v].dist)) {
                        V[v].stamp = iter, V[v].dist = nd, V[v].pred = e;
                        heap_push(heap, &hn, (hitem){nd, v});
                    }
                }
            } else {
                int h = x.node - ne;
                if (load[h] < p->helpers[h].cap) {
                    int64_t dt = x.d + V[x.node].pot;
                    if (dt < best_t) best_t = dt, t_via = x.node, t_dummy = 0;
                }
                for (int k = 0; k < load[h]; k++) {
                    int e = members[hoff[h] + k];
                    int64_t nd = x.d - acost[e] + V[x.node].pot - V[e].pot;
                    if (nd < best_t && (V[e].stamp != iter || nd < V[e].dist)) {
                        V[e].stamp = iter, V[e].dist = nd, V[e].pred = x.node;
                        heap_push(heap, &hn, (hitem){nd, e});
                    }
                }
            }
        }
        if (!ok) break;
        /* potentials of the settled nodes; then augment along the path */
        int64_t D = best_t;
        for (int k = 0; k < ns; k++) {
            int v = settled[k];
            if (V[v].dist < D) V[v].pot += V[v].dist - D;
        }
        int hcur; /* helper whose slot the chain fills next */
        if (t_dummy) {
            int x = t_via;
            if (x == root) continue; /* the root stays unpaired */
            hcur = as[x];            /* x gives up its helper and stays unpaired */
            for (int k = 0; k < load[hcur]; k++)
                if (members[hoff[hcur] + k] == x) {
                    members[hoff[hcur] + k] = members[hoff[hcur] + --load[hcur]];
                    break;
                }
            as[x] = -1;
            hcur += ne;
        } else {
            hcur = t_via;
        }
        for (;;) {
            int e = V[hcur].pred, h = hcur - ne, old = as[e];
            int64_t c = -1;
            for (int k = 0; k < ncs[e]; k++)
                if (cs[(size_t)e * K + k].helper == h) c = cs[(size_t)e * K + k].cost;
            if (old >= 0)
                for (int k = 0; k < load[old]; k++)
                    if (members[hoff[old] + k] == e) {
                        members[hoff[old] + k] = members[hoff[old] + --load[old]];
                        break;
                    }
            as[e] = h, acost[e] = c;
            members[hoff[h] + load[h]++] = e;
            if (old < 0) break;
            hcur = ne + old;
        }
    }
    for (int e = 0; ok && e < ne; e++) {
        if (as[e] < 0) continue;
        for (int q = 0; q < ncs[e]; q++)
            if (cs[(size_t)e * K + q].helper == as[e]) {
                r->rank[e] = q + 1;
                r->cost[e] = cs[(size_t)e * K + q].cost;
                break;
            }
        r->n_paired++;
        r->total_cost += r->cost[e];
    }
    /* connected parts of the candidate graph, for the record */
    int *par = ok ? malloc(sizeof(int) * ((size_t)N + 1)) : NULL;
    if (par) {
        for (int i = 0; i < N; i++) par[i] = i;
        for (int e = 0; e < ne; e++)
            for (int k = 0; k < ncs[e]; k++) {
                int a = find(par, ne + cs[(size_t)e * K + k].helper), b = find(par, e);
                if (a != b) par[a] = b;
            }
        for (int i = 0; i < N; i++)
            if (find(par, i) == i && (i >= ne || ncs[i])) r->components += i < ne;
    }
    free(par);
    free(V), free(settled), free(hoff);
    free(load), free(acost), free(members), free(heap), free(order), free(band);
    return ok ? 0 : -1;
}

/* ---- candidates: the helpers within the walk of each elder ----
 *
 * Helpers with a place left are sorted into a grid of rows a quarter of the walk high and
 * columns an eighth of it wide, and stored cell by cell in flat arrays (what the scan reads,
 * side by side). An elder looks only at the rows the walking circle crosses, and in each row
 * at the one run of cells the circle spans there: about the circle's area instead of the 3 x 3
 * walks of the square around it. The window is a superset (padded, and cells are assigned by
 * the same monotone rounding) of the helpers within the walk, and each helper in it is checked
 * exactly as pj_pair_cost does, so the candidates are those of a full scan. */

typedef struct hgrid {
    double lat0, lon0, row_h, col_w; /* degrees */
    int rows, cols, layers;          /* a layer of rows x cols cells per group of helpers */
    int64_t *gid;                    /* layers: the groups (townships), ascending */
    int *start;                      /* layers * rows * cols + 1: first slot of each cell */
    double *lat, *lon;
    int64_t *village, *group;
    int *skills, *idx; /* idx: the helper's index in the problem */
    char *sex;
} hgrid;

static void hgrid_free(hgrid *g)
{
    free(g->start), free(g->gid), free(g->lat), free(g->lon), free(g->village), free(g->group);
    free(g->skills), free(g->idx), free(g->sex);
}

static int clampi(double x, int hi)
{
    return x <= 0 ? 0 : x >= hi ? hi : (int)x;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The layer of group x, -1 when no helper has it. */
static int layer_of(const hgrid *g, int64_t x)
{
    int lo = 0, hi = g->layers;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (g->gid[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->layers && g->gid[lo] == x ? lo : -1;
}

static int hgrid_build(const pj_pair_problem *p, double reach_lat, double cos_min, hgrid *g)
{
    memset(g, 0, sizeof *g);
    int nh = p->n_helpers, n = 0;
    double la0 = 0, la1 = 0, lo0 = 0, lo1 = 0;
    for (int h = 0; h < nh; h++) {
        const pj_pair_helper *x = &p->helpers[h];
        if (x->cap <= 0 || !isfinite(x->lat) || !isfinite(x->lon)) continue;
        if (!n++) la0 = la1 = x->lat, lo0 = lo1 = x->lon;
        la0 = fmin(la0, x->lat), la1 = fmax(la1, x->lat);
        lo0 = fmin(lo0, x->lon), lo1 = fmax(lo1, x->lon);
    }
    /* the groups; pairs stay within a group, so each has its own layer of cells */
    g->gid = malloc(sizeof(int64_t) * (size_t)(n + 1));
    if (!g->gid) return -1;
    for (int h = 0; h < nh; h++) {
        const pj_pair_helper *x = &p->helpers[h];
        if (x->cap > 0 && isfinite(x->lat) && isfinite(x->lon)) g->gid[g->layers++] = x->group;
    }
    qsort(g->gid, (size_t)g->layers, sizeof(int64_t), cmp_i64);
    int u = 0;
    for (int i = 0; i < g->layers; i++)
        if (!u || g->gid[i] != g->gid[u - 1]) g->gid[u++] = g->gid[i];
    g->layers = u ? u : 1;
    if (!u) g->gid[0] = 0;
    /* at most 2^22 cells in all (coarser cells when there are many groups) */
    int MAXDIM = (int)fmin(512, fmax(2, sqrt((double)(1 << 22) / g->layers)));
    g->lat0 = la0, g->lon0 = lo0;
    g->row_h = fmax(reach_lat / 4, (la1 - la0) / (MAXDIM - 1));
    g->col_w = fmax(reach_lat / cos_min / 8, (lo1 - lo0) / (MAXDIM - 1));
    if (!(g->row_h > 0)) g->row_h = 1;
    if (!(g->col_w > 0)) g->col_w = 1;
    g->rows = clampi(floor((la1 - la0) / g->row_h), MAXDIM - 1) + 1;
    g->cols = clampi(floor((lo1 - lo0) / g->col_w), MAXDIM - 1) + 1;
    size_t cells = (size_t)g->layers * (size_t)g->rows * (size_t)g->cols, m = (size_t)n + 1;
    g->start = calloc(cells + 2, sizeof(int));
    int *cell = malloc(sizeof(int) * (size_t)(nh ? nh : 1));
    g->lat = malloc(sizeof(double) * m), g->lon = malloc(sizeof(double) * m);
    g->village = malloc(sizeof(int64_t) * m), g->group = malloc(sizeof(int64_t) * m);
    g->skills = malloc(sizeof(int) * m), g->idx = malloc(sizeof(int) * m);
    g->sex = malloc(m);
    if (!g->start || !cell || !g->lat || !g->lon || !g->village || !g->group || !g->skills ||
        !g->idx || !g->sex) {
        free(cell);
        hgrid_free(g);
        return -1;
    }
    /* counting sort by cell, helpers in index order within a cell */
    for (int h = 0; h < nh; h++) {
        const pj_pair_helper *x = &p->helpers[h];
        cell[h] = -1;
        if (x->cap <= 0 || !isfinite(x->lat) || !isfinite(x->lon)) continue;
        cell[h] = (layer_of(g, x->group) * g->rows +
                   clampi(floor((x->lat - g->lat0) / g->row_h), g->rows - 1)) *
                      g->cols +
                  clampi(floor((x->lon - g->lon0) / g->col_w), g->cols - 1);
        g->start[cell[h] + 2]++;
    }
    for (size_t c = 2; c < cells + 2; c++) g->start[c] += g->start[c - 1];
    for (int h = 0; h < nh; h++) {
        if (cell[h] < 0) continue;
        const pj_pair_helper *x = &p->helpers[h];
        int s = g->start[cell[h] + 1]++;
        g->lat[s] = x->lat, g->lon[s] = x->lon, g->village[s] = x->village_id;
        g->group[s] = x->group, g->skills[s] = x->skills, g->idx[s] = h, g->sex[s] = x->sex;
    }
    free(cell);
    return 0;
}

/* The feasible helpers of every elder: counted into r->n_candidates, the K cheapest kept in
 * cs (sorted by cost, ties by helper index). */
static int candidates(const pj_pair_problem *p, int K, cand *cs, int *ncs, pj_pair_result *r)
{
    double k = M_PI / 180.0, w2 = p->walk_m * p->walk_m;
    /* the walk in degrees of latitude, padded; and the smallest cos(latitude) of the elders */
    double reach = (p->walk_m > 1 ? p->walk_m : 1) / (EARTH_M * k) * (1 + 1e-6);
    double cos_min = 1;
    for (int e = 0; e < p->n_elders; e++)
        if (isfinite(p->elders[e].lat)) cos_min = fmin(cos_min, cos(p->elders[e].lat * k));
    cos_min = fmax(cos_min, 0.05);
    hgrid g;
    if (hgrid_build(p, reach, cos_min, &g)) return -1;
    for (int e = 0; e < p->n_elders; e++) {
        r->helper_of[e] = -1;
        const pj_pair_elder *el = &p->elders[e];
        cand *mine = cs + (size_t)e * (size_t)K;
        int n = 0, total = 0;
        double kx = cos(el->lat * k), lim[2] = {INFINITY, INFINITY};
        if (!isfinite(el->lat) || !isfinite(el->lon) ||
            !g.start[(size_t)g.layers * g.rows * g.cols]) {
            ncs[e] = 0;
            continue;
        }
        /* the layers to look in: the elder's group and helpers of no group; every layer for an
         * elder of no group */
        int ls[2], nl = 0;
        if (el->group) {
            int a = layer_of(&g, el->group), b = layer_of(&g, 0);
            if (a >= 0) ls[nl++] = a;
            if (b >= 0) ls[nl++] = b;
        } else {
            nl = g.layers;
        }
        int r0 = clampi(floor((el->lat - reach - g.lat0) / g.row_h), g.rows - 1),
            r1 = clampi(floor((el->lat + reach - g.lat0) / g.row_h), g.rows - 1);
        for (int row = r0; row <= r1; row++) {
            /* the nearest the row comes to the elder, in degrees of latitude (a little less) */
            double lo = g.lat0 + row * g.row_h, hi = lo + g.row_h;
            double dy = el->lat < lo ? lo - el->lat : el->lat > hi ? el->lat - hi : 0;
            dy = fmax(0, dy - g.row_h * 1e-6);
            double left = reach * reach - dy * dy;
            if (left < 0) continue;
            double half = kx > 0.05 * cos_min ? sqrt(left) / kx * (1 + 1e-6) : 1e9;
            int c0 = clampi(floor((el->lon - half - g.lon0) / g.col_w), g.cols - 1),
                c1 = clampi(floor((el->lon + half - g.lon0) / g.col_w), g.cols - 1);
            for (int li = 0; li < nl; li++) {
                size_t base = ((size_t)(el->group ? ls[li] : li) * g.rows + row) * g.cols;
                for (int i = g.start[base + c0], end = g.start[base + c1 + 1]; i < end; i++) {
                    if ((g.skills[i] & el->needs) != el->needs) continue;
                    if (el->sex_pref && el->sex_pref != g.sex[i]) continue;
                    if (el->group && g.group[i] && el->group != g.group[i]) continue;
                    if (el->person && p->helpers[g.idx[i]].person == el->person) continue;
                    if (el->n_refused && refused(el, g.idx[i])) continue;
                    /* as cost_k, term by term */
                    double x = (g.lon[i] - el->lon) * k * kx, y = (g.lat[i] - el->lat) * k;
                    double d2 = (x * x + y * y) * EARTH_M * EARTH_M;
                    if (d2 > w2) continue;
                    total++;
                    /* no square root for a helper that cannot be among the K cheapest */
                    int other = g.village[i] != el->village_id;
                    if (d2 > lim[other]) continue;
                    double dm = sqrt(d2);
                    int64_t c = (int64_t)dm; /* llround for dm >= 0 */
                    if (dm - (double)c >= 0.5) c++;
                    c += other ? p->other_village_m : 0;
                    int h = g.idx[i];
                    /* keep the K cheapest, sorted (ties by helper index) */
                    if (n == K &&
                        (c > mine[n - 1].cost || (c == mine[n - 1].cost && h > mine[n - 1].helper)))
                        continue;
                    int j = n < K ? n++ : K - 1;
                    while (j > 0 && (mine[j - 1].cost > c ||
                                     (mine[j - 1].cost == c && mine[j - 1].helper > h))) {
                        mine[j] = mine[j - 1];
                        j--;
                    }
                    mine[j] = (cand){h, c};
                    if (n == K) {
                        /* beyond lim[v], the rounded metres (+ penalty) exceed the K-th cost:
                         * d > worst - penalty + 0.5 (squared, with a margin for rounding) */
                        for (int v = 0; v < 2; v++) {
                            double t =
                                (double)(mine[K - 1].cost - (v ? p->other_village_m : 0)) + 0.5;
                            lim[v] = t <= 0 ? -1 : t * t * (1 + 1e-9) + 1e-9;
                        }
                    }
                }
            }
        }
        r->n_candidates[e] = total;
        ncs[e] = n;
    }
    hgrid_free(&g);
    return 0;
}

int pj_pair_candidates_setting(pj_ctx *c)
{
    double k = pj_el_setting(c, "elder_pair_candidates", 16);
    return !(k >= 1) ? 1 : k > 256 ? 256 : (int)k;
}

int pj_pair_solve(const pj_pair_problem *p, pj_pair_result *r)
{
    double t0 = pj_algo_now();
    memset(r, 0, sizeof *r);
    int nh = p->n_helpers, ne = p->n_elders;
    if (nh < 0 || ne < 0 || p->walk_m < 0) return -1;
    int K = p->candidates > 0 ? p->candidates : (nh > 0 ? nh : 1);
    /* the room is elders × K: "all" is for small instances only */
    if (p->candidates <= 0 && (size_t)ne * (size_t)K > ((size_t)1 << 24)) return -1;
    r->helper_of = malloc(sizeof(int) * (size_t)(ne ? ne : 1));
    r->n_candidates = calloc((size_t)(ne ? ne : 1), sizeof(int));
    r->rank = calloc((size_t)(ne ? ne : 1), sizeof(int));
    r->cost = calloc((size_t)(ne ? ne : 1), sizeof(int64_t));
    cand *cs = malloc(sizeof(cand) * (size_t)ne * (size_t)K + 1);
    int *ncs = calloc((size_t)(ne ? ne : 1), sizeof(int));
    if (!r->helper_of || !r->n_candidates || !r->rank || !r->cost || !cs || !ncs ||
        candidates(p, K, cs, ncs, r)) {
        free(cs), free(ncs);
        pj_pair_result_free(r);
        return -1;
    }
    int rc = sap(p, ne, nh, K, cs, ncs, r);
    free(cs), free(ncs);
    if (rc) {
        pj_pair_result_free(r);
        return -1;
    }
    r->solve_ms = (pj_algo_now() - t0) * 1000.0;
    return 0;
}

/* ---- runs and proposals ---- */

const char *pj_el_skills_text(pj_ctx *c, int mask)
{
    char buf[96] = "";
    size_t len = 0;
    for (int k = 0; pj_elder_skills[k]; k++)
        if (mask & (1 << k)) {
            int n =
                snprintf(buf + len, sizeof buf - len, "%s%s", len ? "+" : "", pj_elder_skills[k]);
            if (n > 0 && (size_t)n < sizeof buf - len) len += (size_t)n;
        }
    return pj_arena_strdup(c->arena, buf);
}

void pj_el_pair_reason(char *out, size_t size, const char *helper, int64_t distance_m, int same,
                       const char *skills, char sex_pref, int rank, int candidates,
                       const char *walk_km)
{
    snprintf(out, size, "%s: %lld m away, %s; has %s%s; choice %d of %d helpers within %s km",
             helper, (long long)distance_m,
             same ? "same village" : "another village (no free helper nearer at home)", skills,
             sex_pref ? (sex_pref == 'F' ? ", female as preferred" : ", male as preferred") : "",
             rank, candidates, walk_km);
}

/* pj_el_skills_text, worked out once per set of skills during a run (a run of the district writes
 * one reason per elder) */
typedef struct skills_memo {
    const char *text[64];
} skills_memo;

static const char *skills_memo_text(pj_ctx *c, skills_memo *m, int mask)
{
    if (mask < 0 || mask >= 64) return pj_el_skills_text(c, mask);
    if (!m->text[mask]) m->text[mask] = pj_el_skills_text(c, mask);
    return m->text[mask];
}

/* The helpers that may serve a region: those of its township (the whole district for the
 * district); the elders: active and unpaired, in the region. */
typedef struct loaded {
    int nh, ne, kept;
    pj_pair_helper *h;
    pj_pair_elder *e;
    int64_t *hid, *eid;
    const char **hname;
} loaded;

/* The index of id in ids[0..n) (ascending), -1 when absent. */
static int index_of(const int64_t *ids, int n, int64_t id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (ids[mid] == id) return mid;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The helpers officers refused for the loaded elders (a proposal rejected by name, in any
 * earlier run), as each elder's refused list. Elders and helpers are loaded in id order. */
static int load_refused(pj_ctx *c, loaded *L, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT DISTINCT elder_id, helper_id FROM elder_pair_proposals"
                               " WHERE refused = 1 ORDER BY elder_id, helper_id",
                               err);
    if (!s) return -1;
    int *hs = NULL, n = 0, cap = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int ei = index_of(L->eid, L->ne, pj_col_int(s, 0));
        int hi = index_of(L->hid, L->nh, pj_col_int(s, 1));
        if (ei < 0 || hi < 0) continue;
        hs = pj_arena_room(c->arena, hs, n, &cap, sizeof *hs, 64);
        hs[n++] = hi;
        L->e[ei].n_refused++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* each elder's block of hs, in elder order (once hs has stopped moving) */
    for (int ei = 0, at = 0; ei < L->ne; ei++)
        if (L->e[ei].n_refused) {
            L->e[ei].refused = hs + at;
            at += L->e[ei].n_refused;
        }
    return 0;
}

static int load(pj_ctx *c, int64_t region_id, int64_t town, loaded *L, pj_err *err)
{
    memset(L, 0, sizeof *L);
    int64_t nh, ne;
    const char *hsql =
        "SELECT COUNT(*) FROM helpers WHERE active = 1 AND (? = 0 OR township_id = ?)";
    pj_stmt *s = pj_db_prepare(c->db, hsql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, town);
    pj_stmt_int(s, 2, town);
    if (pj_stmt_step(s, err) < 0) {
        pj_stmt_done(s);
        return -1;
    }
    nh = pj_col_int(s, 0);
    pj_stmt_done(s);
    const char *rsql = pj_el_region_sql(c, region_id, "e");
    s = pj_db_prepare(c->db,
                      pj_arena_printf(c->arena,
                                      "SELECT COUNT(*) FROM elders e WHERE"
                                      " e.status = 'active'%s",
                                      rsql),
                      err);
    if (!s) return -1;
    int i = 1;
    pj_el_region_bind(s, region_id, &i);
    if (pj_stmt_step(s, err) < 0) {
        pj_stmt_done(s);
        return -1;
    }
    ne = pj_col_int(s, 0);
    pj_stmt_done(s);
    L->h = pj_arena_calloc(c->arena, (size_t)nh + 1, sizeof *L->h);
    L->hid = pj_arena_calloc(c->arena, (size_t)nh + 1, sizeof *L->hid);
    L->hname = pj_arena_calloc(c->arena, (size_t)nh + 1, sizeof *L->hname);
    L->e = pj_arena_calloc(c->arena, (size_t)ne + 1, sizeof *L->e);
    L->eid = pj_arena_calloc(c->arena, (size_t)ne + 1, sizeof *L->eid);
    s = pj_db_prepare(c->db,
                      "SELECT h.id, h.lat, h.lon, h.village_id, h.skills, h.sex, h.name,"
                      " h.township_id,"
                      " h.capacity - (SELECT COUNT(*) FROM elder_pairs p WHERE p.helper_id = h.id"
                      " AND p.state = 'active'),"
                      /* the helper's own elder record: linked, or of the same ID number */
                      " COALESCE(h.elder_id, (SELECT x.id FROM elders x WHERE x.id_number ="
                      " h.id_number))"
                      " FROM helpers h WHERE h.active = 1 AND (? = 0 OR h.township_id = ?)"
                      " ORDER BY h.id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, town);
    pj_stmt_int(s, 2, town);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1 && L->nh < nh) {
        int k = L->nh++;
        L->hid[k] = pj_col_int(s, 0);
        L->h[k] = (pj_pair_helper){
            pj_col_double(s, 1),  pj_col_double(s, 2), pj_col_int(s, 3), (int)pj_col_int(s, 4), 0,
            pj_col_text(s, 5)[0], pj_col_int(s, 7),    pj_col_int(s, 9)};
        L->hname[k] = pj_arena_strdup(c->arena, pj_col_text(s, 6));
        int64_t left = pj_col_int(s, 8);
        L->h[k].cap = left > 0 ? (int)left : 0;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    s = pj_db_prepare(c->db,
                      pj_arena_printf(c->arena,
                                      /* +status: read the table in id order rather than sort what
                                         the status index yields (nearly every elder is active) */
                                      "SELECT e.id, e.lat, e.lon, e.village_id, e.help_needed,"
                                      " e.helper_sex_pref, e.township_id, EXISTS (SELECT 1 FROM"
                                      " elder_pairs p WHERE p.elder_id = e.id AND p.state ="
                                      " 'active') FROM elders e WHERE +e.status = 'active'%s"
                                      " ORDER BY e.id",
                                      rsql),
                      err);
    if (!s) return -1;
    i = 1;
    pj_el_region_bind(s, region_id, &i);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        if (pj_col_int(s, 7)) {
            L->kept++;
            continue;
        }
        if (L->ne >= ne) break;
        int k = L->ne++;
        L->eid[k] = pj_col_int(s, 0);
        const char *pref = pj_col_text(s, 5);
        L->e[k] = (pj_pair_elder){pj_col_double(s, 1),
                                  pj_col_double(s, 2),
                                  pj_col_int(s, 3),
                                  (int)pj_col_int(s, 4),
                                  !strcmp(pref, "any") ? 0 : pref[0],
                                  pj_col_int(s, 6),
                                  L->eid[k]};
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : load_refused(c, L, err);
}

static int run_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_row_by_id(c,
                     "SELECT r.id, r.region_id, g.name, r.township_id, r.state, r.elders,"
                     " r.kept, r.proposed, r.unmatched, r.total_distance_m, r.params,"
                     " r.solve_ms, r.created_by, r.created_at, r.version,"
                     " COALESCE(x.accepted, 0), COALESCE(x.rejected, 0),"
                     " COALESCE(x.proposed, 0), COALESCE(x.unmatched, 0),"
                     " COALESCE(x.stale, 0), " PJ_SQL_BY_NAME_OF "r.created_by" PJ_SQL_BY_NAME_END
                     " FROM elder_pair_runs r JOIN regions g ON g.id = r.region_id"
                     /* the run's proposals by state, in one pass over them */
                     " LEFT JOIN (SELECT SUM(state = 'accepted') AS accepted,"
                     " SUM(state = 'rejected') AS rejected, SUM(state = 'proposed') AS"
                     " proposed, SUM(state = 'unmatched') AS unmatched, SUM(state ="
                     " 'stale') AS stale FROM elder_pair_proposals WHERE run_id = ?1) x"
                     " WHERE r.id = ?1",
                     id, "pairing run", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "region_id", pj_col_int(s, 1));
    pj_render_text(w, "region_name", s, 2);
    pj_render_ref(w, "township_id", s, 3);
    pj_render_text(w, "state", s, 4);
    pj_jw_kint(w, "elders_unpaired", pj_col_int(s, 5));
    pj_jw_kint(w, "pairs_kept", pj_col_int(s, 6));
    pj_jw_kint(w, "proposed", pj_col_int(s, 7));
    pj_jw_kint(w, "unmatched", pj_col_int(s, 8));
    pj_jw_kint(w, "accepted", pj_col_int(s, 15));
    pj_jw_kint(w, "rejected", pj_col_int(s, 16));
    /* the proposals by their state now, as the run's page lists them by state (proposed and
     * unmatched above are what the solver made: an edit, an accept, a reject or a proposal
     * gone stale moves them from one state to another) */
    pj_jw_key(w, "by_state");
    pj_jw_obj(w);
    pj_jw_kint(w, "proposed", pj_col_int(s, 17));
    pj_jw_kint(w, "unmatched", pj_col_int(s, 18));
    pj_jw_kint(w, "accepted", pj_col_int(s, 15));
    pj_jw_kint(w, "rejected", pj_col_int(s, 16));
    pj_jw_kint(w, "stale", pj_col_int(s, 19));
    pj_jw_obj_end(w);
    pj_jw_kint(w, "total_distance_m", pj_col_int(s, 9));
    pj_jw_key(w, "params");
    pj_jw_raw(w, pj_col_text(s, 10));
    pj_jw_key(w, "solve_ms");
    pj_jw_fixed(w, pj_col_double(s, 11), 1);
    pj_render_by(w, "created_by", s, 12, 20);
    pj_render_time(w, "created_at", pj_col_int(s, 13));
    pj_jw_kint(w, "version", pj_col_int(s, 14));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

static int proposal_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT q.id, q.run_id, q.elder_id, e.name, q.helper_id, h.name,"
                              " q.distance_m, q.same_village, q.candidates, q.rank, q.reason,"
                              " q.state, q.decided_by, q.decided_at, q.pair_id, q.version,"
                              " " PJ_SQL_BY_NAME_OF "q.decided_by" PJ_SQL_BY_NAME_END
                              " FROM elder_pair_proposals q JOIN elders e ON e.id = q.elder_id"
                              " LEFT JOIN helpers h ON h.id = q.helper_id WHERE q.id = ?",
                              id, "proposal", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "run_id", pj_col_int(s, 1));
    pj_jw_kint(w, "elder_id", pj_col_int(s, 2));
    pj_render_text(w, "elder_name", s, 3);
    pj_render_ref(w, "helper_id", s, 4);
    pj_render_text(w, "helper_name", s, 5);
    pj_jw_kint(w, "distance_m", pj_col_int(s, 6));
    pj_jw_kbool(w, "same_village", (int)pj_col_int(s, 7));
    pj_jw_kint(w, "candidates", pj_col_int(s, 8));
    pj_jw_kint(w, "rank", pj_col_int(s, 9));
    pj_render_text(w, "reason", s, 10);
    pj_render_text(w, "state", s, 11);
    pj_render_by(w, "decided_by", s, 12, 16);
    pj_render_time_col(w, "decided_at", s, 13);
    pj_render_ref(w, "pair_id", s, 14);
    pj_jw_kint(w, "version", pj_col_int(s, 15));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

/* The township of a region for scope: officers of that township, district roles anywhere. */
static int region_officer(pj_ctx *c, int64_t *region_id, const char *field, int64_t *town,
                          pj_err *err)
{
    if (pj_el_region_check(c, region_id, field, town, err)) return -1;
    if (!*town && !pj_ctx_district(c))
        return pj_fail(err, 403, "forbidden", "", "the whole district is for district roles");
    return pj_el_officer_check(c, *town, err);
}

int pj_pair_run_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"region_id", NULL};
    int64_t region_id, region, town;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "region_id", 1, 1, INT64_MAX, &region_id, err) < 0 ||
        (region = region_id, region_officer(c, &region, "region_id", &town, err)))
        return -1;
    double walk_km = pj_el_setting(c, "elder_walk_km", 2);
    pj_pair_problem p = {.walk_m = walk_km * 1000.0,
                         .other_village_m =
                             (int64_t)pj_el_setting(c, "elder_pair_other_village_m", 800),
                         .candidates = pj_pair_candidates_setting(c)};
    if (pj_db_begin(c->db, err)) return -1;
    loaded L;
    pj_pair_result res = {0};
    if (load(c, region, town, &L, err)) goto fail;
    p.n_helpers = L.nh, p.n_elders = L.ne, p.helpers = L.h, p.elders = L.e;
    if (pj_pair_solve(&p, &res)) {
        pj_fail(err, 500, "internal", "", "pairing failed (out of memory)");
        goto fail;
    }
    char params[160];
    snprintf(params, sizeof params,
             "{\"walk_m\":%.0f,\"other_village_m\":%lld,\"candidates\":%d,\"components\":%d,"
             "\"helpers\":%d}",
             p.walk_m, (long long)p.other_village_m, p.candidates, res.components, L.nh);
    int64_t total_m = 0;
    for (int e = 0; e < L.ne; e++)
        if (res.helper_of[e] >= 0) {
            const pj_pair_elder *el = &L.e[e];
            const pj_pair_helper *h = &L.h[res.helper_of[e]];
            total_m += llround(dist_m(el->lat, el->lon, h->lat, h->lon));
        }
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "INSERT INTO elder_pair_runs (region_id, township_id, elders, kept,"
                      " proposed, unmatched, total_distance_m, params, solve_ms,"
                      " created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, region_id);
    if (town)
        pj_stmt_int(s, 2, town);
    else
        pj_stmt_null(s, 2);
    pj_stmt_int(s, 3, L.ne);
    pj_stmt_int(s, 4, L.kept);
    pj_stmt_int(s, 5, res.n_paired);
    pj_stmt_int(s, 6, L.ne - res.n_paired);
    pj_stmt_int(s, 7, total_m);
    pj_stmt_text(s, 8, params);
    pj_stmt_double(s, 9, res.solve_ms);
    pj_stmt_text(s, 10, c->actor.username ? c->actor.username : "system");
    pj_stmt_int(s, 11, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t run = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    /* one statement for every proposal (re-bound row by row), reasons from parts worked out
     * once */
    s = pj_db_prepare(c->db,
                      "INSERT INTO elder_pair_proposals (run_id, elder_id, helper_id,"
                      " distance_m, same_village, candidates, rank, reason, state)"
                      " VALUES (?,?,?,?,?,?,?,?,?)",
                      err);
    if (!s) goto fail;
    skills_memo sm = {{0}};
    char walk[32];
    snprintf(walk, sizeof walk, "%.1f", walk_km);
    for (int e = 0; e < L.ne; e++) {
        int h = res.helper_of[e];
        const pj_pair_elder *el = &L.e[e];
        char reason[400];
        int64_t d = 0;
        int same = 0;
        if (h >= 0) {
            d = llround(dist_m(el->lat, el->lon, L.h[h].lat, L.h[h].lon));
            same = L.h[h].village_id == el->village_id;
            pj_el_pair_reason(reason, sizeof reason, L.hname[h], d, same,
                              skills_memo_text(c, &sm, el->needs), el->sex_pref, res.rank[e],
                              res.n_candidates[e], walk);
        } else if (res.n_candidates[e] == 0) {
            snprintf(reason, sizeof reason,
                     "no active helper with %s%s and a place left within %s km",
                     skills_memo_text(c, &sm, el->needs),
                     el->sex_pref ? (el->sex_pref == 'F' ? " (female)" : " (male)") : "", walk);
        } else {
            snprintf(reason, sizeof reason,
                     "all %d helpers within %s km are taken by elders who have no other",
                     res.n_candidates[e], walk);
        }
        pj_stmt_int(s, 1, run);
        pj_stmt_int(s, 2, L.eid[e]);
        if (h >= 0)
            pj_stmt_int(s, 3, L.hid[h]);
        else
            pj_stmt_null(s, 3);
        pj_stmt_int(s, 4, d);
        pj_stmt_int(s, 5, same);
        pj_stmt_int(s, 6, res.n_candidates[e]);
        pj_stmt_int(s, 7, res.rank[e]);
        pj_stmt_text(s, 8, reason);
        pj_stmt_text(s, 9, h >= 0 ? "proposed" : "unmatched");
        if (pj_step_done(s, err)) goto fail;
    }
    pj_pair_result_free(&res);
    if (pj_render_commit(c, "create", "pair_run", run, NULL, run_render, w, err)) goto fail;
    return 0;
fail:
    pj_pair_result_free(&res);
    pj_db_rollback(c->db);
    return -1;
}

static int run_scope(pj_ctx *c, int64_t id, pj_err *err)
{
    int64_t town;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        pj_el_int(c, "SELECT COALESCE(township_id, 0) FROM elder_pair_runs WHERE id = ?", id, -1,
                  &town, err))
        return -1;
    if (town < 0) return pj_not_found(err, "pairing run", id);
    if (!town && !pj_ctx_district(c))
        return pj_fail(err, 403, "forbidden", "", "a district-wide run is for district roles");
    return pj_el_officer_check(c, town, err);
}

int pj_pair_run_list(pj_ctx *c, int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE))
        return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM elder_pair_runs WHERE (? = 0 OR id < ?)"
                               " AND (? = 0 OR township_id = ?) ORDER BY id DESC LIMIT ?",
                               err);
    if (!s) return -1;
    int64_t t = pj_ctx_district(c) ? 0 : c->actor.township_id;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_int(s, 2, cursor);
    pj_stmt_int(s, 3, t);
    pj_stmt_int(s, 4, t);
    pj_stmt_int(s, 5, limit + 1);
    return pj_render_query_page(c, s, limit, run_render, w, err);
}

int pj_pair_run_get(pj_ctx *c, int64_t id, const char *state, int64_t cursor, int limit, pj_jw *w,
                    pj_err *err)
{
    if (run_scope(c, id, err)) return -1;
    int started = pj_db_read_begin(c->db);
    pj_jw_obj(w);
    pj_jw_key(w, "run");
    int rc = run_render(c, id, w, err);
    if (!rc) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT id FROM elder_pair_proposals WHERE run_id = ?"
                                   " AND id > ? AND (? IS NULL OR state = ?) ORDER BY id LIMIT ?",
                                   err);
        if (!s) {
            rc = -1;
        } else {
            pj_stmt_int(s, 1, id);
            pj_stmt_int(s, 2, cursor);
            pj_stmt_text(s, 3, state);
            pj_stmt_text(s, 4, state);
            pj_stmt_int(s, 5, limit + 1);
            pj_jw_key(w, "proposals");
            rc = pj_render_query_page(c, s, limit, proposal_render, w, err);
        }
    }
    pj_jw_obj_end(w);
    pj_db_read_end(c->db, started);
    return rc;
}

/* Places a helper has left: capacity − active pairs − other open proposals of run (when
 * run_id), excluding proposal `except`. -1 on error. */
static int64_t places_left(pj_ctx *c, int64_t helper_id, int64_t run_id, int64_t except,
                           pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT h.capacity - (SELECT COUNT(*) FROM elder_pairs p WHERE"
                               " p.helper_id = h.id AND p.state = 'active') - (SELECT COUNT(*)"
                               " FROM elder_pair_proposals q WHERE q.run_id = ? AND q.helper_id ="
                               " h.id AND q.state = 'proposed' AND q.id <> ?)"
                               " FROM helpers h WHERE h.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, run_id);
    pj_stmt_int(s, 2, except);
    pj_stmt_int(s, 3, helper_id);
    int rc = pj_stmt_step(s, err);
    int64_t left = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : left;
}

/* Checks that helper may serve elder (active, skills, sex preference, a place left); fills
 * the distance and same-village flag. 422/409 on the field. */
static int pair_feasible(pj_ctx *c, int64_t elder_id, int64_t helper_id, int64_t run_id,
                         int64_t except, int check_walk, int64_t *dist, int *same,
                         const char **hname, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT e.lat, e.lon, e.village_id, e.help_needed,"
                               " e.helper_sex_pref, h.lat, h.lon, h.village_id, h.skills, h.sex,"
                               " h.active, h.name, e.status, h.grid_id, h.township_id,"
                               " e.township_id, (h.elder_id = e.id OR h.id_number = e.id_number)"
                               " FROM elders e, helpers h WHERE e.id = ? AND h.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, elder_id);
    pj_stmt_int(s, 2, helper_id);
    int rc = pj_stmt_step(s, err);
    /* a helper outside the caller's scope is not theirs to pair (nor to learn about) */
    if (rc == 1) rc = pj_el_in_scope(c, pj_col_int(s, 13), pj_col_int(s, 14), err);
    if (rc <= 0) {
        pj_stmt_done(s);
        return rc < 0 ? -1
                      : pj_fail(err, 422, "unknown_id", "helper_id", "no helper %lld in your scope",
                                (long long)helper_id);
    }
    double d =
        dist_m(pj_col_double(s, 0), pj_col_double(s, 1), pj_col_double(s, 5), pj_col_double(s, 6));
    int needs = (int)pj_col_int(s, 3), skills = (int)pj_col_int(s, 8);
    char pref = pj_col_text(s, 4)[0], sex = pj_col_text(s, 9)[0];
    int active = (int)pj_col_int(s, 10);
    int elder_active = !strcmp(pj_col_text(s, 12), "active");
    int other_town = pj_col_int(s, 14) != pj_col_int(s, 15);
    int self = (int)pj_col_int(s, 16);
    *same = pj_col_int(s, 2) == pj_col_int(s, 7);
    *hname = pj_arena_strdup(c->arena, pj_col_text(s, 11));
    pj_stmt_done(s);
    *dist = llround(d);
    if (!elder_active)
        return pj_fail(err, 422, "invalid_value", "elder_id", "the elder is not active");
    if (!active) return pj_fail(err, 422, "invalid_value", "helper_id", "the helper is inactive");
    /* a helper who is on the elders' register too (低龄助高龄) is never paired with themselves:
     * the elder would count as paired while nobody visits, and self-logged visits earn credits */
    if (self)
        return pj_fail(err, 422, "invalid_value", "helper_id",
                       "the helper is this elder (the same person): a person is never their own"
                       " helper");
    /* pairing is organised within a township (乡镇统筹): accepting a proposal requires it, so
     * an edited proposal with another township's helper was silently stale, and a hand pair
     * across townships was made */
    if (other_town)
        return pj_fail(err, 422, "other_township", "helper_id",
                       "the helper lives in another township than the elder");
    if ((skills & needs) != needs)
        return pj_fail(err, 422, "skills_missing", "helper_id", "the helper lacks %s",
                       pj_el_skills_text(c, needs & ~skills));
    if (pref != 'a' && pref != sex)
        return pj_fail(err, 422, "sex_preference", "helper_id",
                       "the elder prefers a helper of sex %c", pref);
    double walk = pj_el_setting(c, "elder_walk_km", 2) * 1000.0;
    if (check_walk && d > walk)
        return pj_fail(err, 422, "too_far", "helper_id", "%lld m is beyond the walking distance",
                       (long long)*dist);
    int64_t left = places_left(c, helper_id, run_id, except, err);
    if (left < 0 && err->status) return -1;
    if (left > 0) return 0;
    /* a place held by an open proposal of the run is said so: the helper list shows it free */
    int64_t held = 0;
    if (run_id) {
        s = pj_db_prepare(c->db,
                          "SELECT MIN(id) FROM elder_pair_proposals WHERE run_id = ? AND"
                          " helper_id = ? AND state = 'proposed' AND id <> ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, run_id);
        pj_stmt_int(s, 2, helper_id);
        pj_stmt_int(s, 3, except);
        rc = pj_stmt_step(s, err);
        held = rc == 1 && !pj_col_is_null(s, 0) ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    if (held)
        return pj_fail(err, 409, "helper_full", "helper_id",
                       "the helper's last place is held by proposal %lld of this run: reject it"
                       " or give it another helper first",
                       (long long)held);
    return pj_fail(err, 409, "helper_full", "helper_id", "the helper has no place left");
}

static int64_t pair_insert(pj_ctx *c, int64_t elder_id, int64_t helper_id, const char *start,
                           int64_t dist, const char *reason, int64_t run_id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO elder_pairs (elder_id, helper_id, start_date,"
                               " distance_m, reason, run_id, created_by, created_at)"
                               " VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                               err);
    if (!s) return 0;
    pj_stmt_int(s, 1, elder_id);
    pj_stmt_int(s, 2, helper_id);
    pj_stmt_text(s, 3, start);
    pj_stmt_int(s, 4, dist);
    pj_stmt_text(s, 5, reason);
    if (run_id)
        pj_stmt_int(s, 6, run_id);
    else
        pj_stmt_null(s, 6);
    pj_stmt_text(s, 7, c->actor.username ? c->actor.username : "system");
    pj_stmt_int(s, 8, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0 && err->status == 409)
        pj_fail(err, 409, "already_paired", "elder_id", "the elder has an active pair");
    /* a grid worker's request for the elder still waiting is answered by this pair */
    if (id && pj_el_pair_requests_close(c, "elder", elder_id, "paired otherwise", id, err))
        return 0;
    return id;
}

static int pair_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);

/* A decision of a run names the proposals it moved up to this many; beyond, their first and last
 * id and their count (decided + stale) say it (docs/api-eldercare.md). */
#define PAIR_RUN_IDS_LISTED 200

int pj_pair_run_decide(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                       pj_err *err)
{
    static const char *const fields[] = {"proposal_ids", "note", NULL};
    const char *note = "";
    int accept = !strcmp(action, "accept");
    json_t *ids = NULL;
    if (body && (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
                 pj_in_str(body, "note", 0, 0, 200, &note, err) < 0))
        return -1;
    if (body) ids = json_object_get(body, "proposal_ids");
    if (ids && pj_in_list(ids, "proposal_ids", 100000, "proposal ids", err)) return -1;
    if (ids && !json_array_size(ids))
        return pj_fail(err, 422, "invalid_value", "proposal_ids",
                       "name at least one proposal, or leave proposal_ids out for every open one");
    size_t i;
    json_t *x;
    json_array_foreach(ids, i, x)
    {
        if (!json_is_integer(x) || json_integer_value(x) < 1)
            return pj_fail(err, 422, "wrong_type", "proposal_ids", "proposal_ids are ids");
    }
    if (run_scope(c, id, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char today[11];
    pj_el_date(pj_el_today(c, pj_now()), today);
    /* the proposals to decide: those named (each must be of this run), or every open one */
    int64_t *pick;
    int n = 0;
    if (ids) {
        pick = pj_arena_alloc(c->arena, sizeof(int64_t) * (json_array_size(ids) + 1));
        json_array_foreach(ids, i, x)
        {
            int64_t run;
            if (pj_el_int(c, "SELECT run_id FROM elder_pair_proposals WHERE id = ?",
                          json_integer_value(x), 0, &run, err))
                goto fail;
            if (run != id) {
                pj_fail(err, 422, "unknown_id", "proposal_ids", "proposal %lld is not of run %lld",
                        (long long)json_integer_value(x), (long long)id);
                goto fail;
            }
            pick[n++] = json_integer_value(x);
        }
        /* a proposal named twice: said so, not "not open" the second time round */
        int64_t *sorted = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(n + 1));
        memcpy(sorted, pick, sizeof(int64_t) * (size_t)n);
        qsort(sorted, (size_t)n, sizeof(int64_t), cmp_i64);
        for (int k = 1; k < n; k++)
            if (sorted[k] == sorted[k - 1]) {
                pj_fail(err, 422, "invalid_value", "proposal_ids",
                        "proposal_ids names proposal %lld twice", (long long)sorted[k]);
                goto fail;
            }
    } else {
        int64_t cnt;
        if (pj_el_int(c, "SELECT COUNT(*) FROM elder_pair_proposals WHERE run_id = ?", id, 0, &cnt,
                      err))
            goto fail;
        pick = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(cnt + 1));
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT id FROM elder_pair_proposals WHERE run_id = ?"
                                   " AND state = 'proposed' ORDER BY id",
                                   err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, id);
        int rc;
        while ((rc = pj_stmt_step(s, err)) == 1 && n < cnt) pick[n++] = pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
    }
    if (!n) {
        /* nothing to decide: no write, no audit row */
        pj_fail(err, 409, "not_open", "id", "run %lld has no open proposals", (long long)id);
        goto fail;
    }
    /* the run as it was, the audit row's before; moved: the proposals this decision moves */
    char *run_before = pj_render_to_string(c, id, run_render, err);
    if (!run_before) goto fail;
    int64_t *moved = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(n + 1));
    int done = 0, stale = 0, m = 0;
    for (int k = 0; k < n; k++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT elder_id, helper_id, distance_m, reason, state FROM"
                                   " elder_pair_proposals WHERE id = ?",
                                   err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, pick[k]);
        if (pj_stmt_step(s, err) != 1) {
            pj_stmt_done(s);
            goto fail;
        }
        int64_t eid = pj_col_int(s, 0), hid = pj_col_is_null(s, 1) ? 0 : pj_col_int(s, 1);
        int64_t dist = pj_col_int(s, 2);
        char *reason = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        int open = !strcmp(pj_col_text(s, 4), "proposed");
        char state[16];
        snprintf(state, sizeof state, "%s", pj_col_text(s, 4));
        pj_stmt_done(s);
        if (!open) {
            if (ids) {
                pj_fail(err, 409, "not_open", "proposal_ids", "proposal %lld is %s, not open",
                        (long long)pick[k], state);
                goto fail;
            }
            continue;
        }
        const char *to = "rejected";
        int64_t pair = 0;
        if (accept) {
            /* still unpaired, and the helper still has a place? Both still active and of
             * one township (a helper set inactive, an elder who died, left or moved to
             * another township since the run makes the proposal stale)? The helper still
             * does what the elder needs now, of the sex the elder prefers (an elder's needs
             * or preference, a helper's skills or sex changed since the run: a pair by hand
             * would be refused, skills_missing or sex_preference) */
            int64_t paired, left, valid = 0;
            if (pj_el_int(c,
                          "SELECT COUNT(*) FROM elder_pairs WHERE elder_id = ? AND state ="
                          " 'active'",
                          eid, 0, &paired, err))
                goto fail;
            s = pj_db_prepare(c->db,
                              "SELECT e.status = 'active' AND h.active AND e.township_id ="
                              " h.township_id AND COALESCE(h.elder_id, 0) <> e.id AND"
                              " h.id_number <> e.id_number AND (h.skills & e.help_needed) ="
                              " e.help_needed AND substr(e.helper_sex_pref, 1, 1) IN ('a',"
                              " substr(h.sex, 1, 1)) FROM elders e, helpers h WHERE e.id = ? AND"
                              " h.id = ?",
                              err);
            if (!s) goto fail;
            pj_stmt_int(s, 1, eid);
            pj_stmt_int(s, 2, hid);
            int vr = pj_stmt_step(s, err);
            if (vr == 1) valid = pj_col_int(s, 0);
            pj_stmt_done(s);
            if (vr < 0) goto fail;
            left = places_left(c, hid, 0, 0, err);
            if (left < 0 && err->status) goto fail;
            if (paired || !valid || left <= 0) {
                to = "stale";
                stale++;
            } else {
                if (!(pair = pair_insert(c, eid, hid, today, dist, reason, id, err))) goto fail;
                /* each pair is audited as if made by hand, besides the run's summary row */
                char *pa = pj_render_to_string(c, pair, pair_render, err);
                if (!pa || pj_audit_add(c, "create", "pair", pair, NULL, pa, err)) goto fail;
                to = "accepted";
                done++;
            }
        } else {
            done++;
        }
        /* a proposal rejected by name: the officer does not want this helper for this elder,
         * and later runs do not propose the pair again (all of a run rejected at once says
         * nothing of any one pair) */
        s = pj_db_prepare(c->db,
                          "UPDATE elder_pair_proposals SET state = ?, decided_by = ?,"
                          " decided_at = ?, pair_id = ?, refused = ?, version = version + 1"
                          " WHERE id = ?",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, to);
        pj_stmt_text(s, 2, c->actor.username ? c->actor.username : "system");
        pj_stmt_int(s, 3, pj_now());
        if (pair)
            pj_stmt_int(s, 4, pair);
        else
            pj_stmt_null(s, 4);
        pj_stmt_int(s, 5, !accept && ids && hid);
        pj_stmt_int(s, 6, pick[k]);
        if (pj_step_done(s, err)) goto fail;
        moved[m++] = pick[k];
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE elder_pair_runs SET state = CASE WHEN EXISTS (SELECT 1 FROM"
                               " elder_pair_proposals q WHERE q.run_id = elder_pair_runs.id AND"
                               " q.state = 'proposed') THEN 'open' ELSE 'closed' END,"
                               " version = version + 1 WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_step_done(s, err)) goto fail;
    char *run = pj_render_to_string(c, id, run_render, err);
    if (!run) goto fail;
    /* the decision: counts, the officer's word, and the proposals it moved (their ids up to
     * PAIR_RUN_IDS_LISTED of them, and always the first and last id) */
    qsort(moved, (size_t)m, sizeof(int64_t), cmp_i64);
    pj_buf ab;
    pj_buf_init(&ab, 1 << 20);
    pj_jw aw;
    pj_jw_init(&aw, &ab);
    pj_jw_obj(&aw);
    pj_jw_kint(&aw, "decided", done);
    pj_jw_kint(&aw, "stale", stale);
    pj_jw_kstr(&aw, "note", note); /* the officer's word goes with the decision into the trail */
    if (m <= PAIR_RUN_IDS_LISTED) {
        pj_jw_key(&aw, "proposal_ids");
        pj_jw_arr(&aw);
        for (int k = 0; k < m; k++) pj_jw_int(&aw, moved[k]);
        pj_jw_arr_end(&aw);
    }
    pj_jw_key(&aw, "proposal_id_range");
    pj_jw_arr(&aw);
    pj_jw_int(&aw, m ? moved[0] : 0);
    pj_jw_int(&aw, m ? moved[m - 1] : 0);
    pj_jw_arr_end(&aw);
    pj_jw_obj_end(&aw);
    /* its members, without the braces */
    char *decision = ab.len >= 2 ? pj_arena_strndup(c->arena, ab.data + 1, ab.len - 2) : NULL;
    pj_buf_free(&ab);
    if (!decision) {
        pj_fail(err, 500, "internal", "", "cannot write the run's audit row");
        goto fail;
    }
    /* the row: the run before and after, the decision beside the run after; the answer: the
     * action, the decision and the run */
    if (pj_audit_add(c, action, "pair_run", id, run_before, pj_render_with(c, run, decision),
                     err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(
        w, pj_arena_printf(c->arena, "{\"action\":\"%s\",%s,\"run\":%s}", action, decision, run));
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_pair_proposal_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"helper_id", "version", NULL};
    int64_t helper_id, version, run, eid;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "helper_id", 1, 1, INT64_MAX, &helper_id, err) < 0 ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_el_int(c, "SELECT run_id FROM elder_pair_proposals WHERE id = ?", id, 0, &run, err))
        return -1;
    if (!run) return pj_not_found(err, "proposal", id);
    if (run_scope(c, run, err) ||
        pj_el_int(c, "SELECT elder_id FROM elder_pair_proposals WHERE id = ?", id, 0, &eid, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM elder_pair_proposals WHERE id = ?", id, version,
                         "proposal", err))
        goto fail;
    int64_t dist;
    int same;
    const char *hname;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT q.state, r.state FROM elder_pair_proposals q JOIN"
                               " elder_pair_runs r ON r.id = q.run_id WHERE q.id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int editable = rc == 1 && (!strcmp(pj_col_text(s, 0), "proposed") ||
                               !strcmp(pj_col_text(s, 0), "unmatched"));
    /* a run decided (accepted or rejected to its end) is closed: an unmatched proposal of it
     * made proposed again left the run closed with a proposal open, and accepting it then
     * paired after the decision */
    int closed = rc == 1 && !strcmp(pj_col_text(s, 1), "closed");
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (closed) {
        pj_fail(err, 409, "not_open", "id",
                "run %lld is closed: its proposals are decided; start a new run, or pair by hand",
                (long long)run);
        goto fail;
    }
    if (!editable) {
        pj_fail(err, 409, "not_open", "id", "only open or unmatched proposals can be edited");
        goto fail;
    }
    if (pair_feasible(c, eid, helper_id, run, id, 1, &dist, &same, &hname, err)) goto fail;
    char *before = pj_render_to_string(c, id, proposal_render, err);
    if (!before) goto fail;
    s = pj_db_prepare(c->db,
                      "UPDATE elder_pair_proposals SET helper_id = ?, distance_m = ?,"
                      " same_village = ?, rank = 0, reason = ?, state = 'proposed',"
                      " version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, helper_id);
    pj_stmt_int(s, 2, dist);
    pj_stmt_int(s, 3, same);
    pj_stmt_text(s, 4,
                 pj_arena_printf(c->arena, "%s: chosen by %s; %lld m away, %s", hname,
                                 c->actor.username ? c->actor.username : "system", (long long)dist,
                                 same ? "same village" : "another village"));
    pj_stmt_int(s, 5, id);
    if (pj_step_done(s, err)) goto fail;
    if (pj_render_commit(c, "update", "pair_proposal", id, before, proposal_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- pairs ---- */

static int pair_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT p.id, p.elder_id, e.name, p.helper_id, h.name, p.start_date,"
                              " p.end_date, p.state, p.distance_m, p.reason, p.run_id,"
                              " p.created_by, p.created_at, p.ended_note, p.version,"
                              " " PJ_SQL_BY_NAME_OF "p.created_by" PJ_SQL_BY_NAME_END
                              " FROM elder_pairs p JOIN elders e ON e.id = p.elder_id"
                              " JOIN helpers h ON h.id = p.helper_id WHERE p.id = ?",
                              id, "pair", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "elder_id", pj_col_int(s, 1));
    pj_render_text(w, "elder_name", s, 2);
    pj_jw_kint(w, "helper_id", pj_col_int(s, 3));
    pj_render_text(w, "helper_name", s, 4);
    pj_render_text(w, "start_date", s, 5);
    pj_render_text(w, "end_date", s, 6);
    pj_render_text(w, "state", s, 7);
    pj_jw_kint(w, "distance_m", pj_col_int(s, 8));
    pj_render_text(w, "reason", s, 9);
    pj_render_ref(w, "run_id", s, 10);
    pj_render_by(w, "created_by", s, 11, 15);
    pj_render_time(w, "created_at", pj_col_int(s, 12));
    pj_render_text(w, "ended_note", s, 13);
    pj_jw_kint(w, "version", pj_col_int(s, 14));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

static int pairs_end(pj_ctx *c, const char *who, int64_t id, const char *note, int64_t day,
                     int *ended, pj_err *err);

int pj_el_pairs_fit(pj_ctx *c, const char *who, int64_t id, const char *field, pj_err *err)
{
    int helper = !strcmp(who, "helper");
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT e.help_needed & ~h.skills, e.helper_sex_pref <> 'any' AND"
                               " e.helper_sex_pref <> h.sex FROM elder_pairs p JOIN elders e ON"
                               " e.id = p.elder_id JOIN helpers h ON h.id = p.helper_id WHERE"
                               " p.state = 'active' AND (CASE WHEN ?1 THEN p.helper_id ELSE"
                               " p.elder_id END) = ?2",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, helper);
    pj_stmt_int(s, 2, id);
    int rc, missing = 0, n_skills = 0, n_sex = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int m = (int)pj_col_int(s, 0);
        missing |= m;
        n_skills += m != 0;
        n_sex += pj_col_int(s, 1) != 0;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (n_skills)
        return helper ? pj_fail(err, 409, "conflict", field,
                                "the helper is paired with %d elder(s) who need %s: end those"
                                " pairs first, or keep the skill",
                                n_skills, pj_el_skills_text(c, missing))
                      : pj_fail(err, 409, "conflict", field,
                                "the elder's helper lacks %s: end the pair first, or leave the"
                                " help needed as it was",
                                pj_el_skills_text(c, missing));
    if (n_sex)
        return helper ? pj_fail(err, 409, "conflict", field,
                                "the helper is paired with %d elder(s) who prefer a helper of the"
                                " other sex: end those pairs first",
                                n_sex)
                      : pj_fail(err, 409, "conflict", field,
                                "the elder's helper is of the other sex: end the pair first, or"
                                " leave the preference as it was");
    return 0;
}

int pj_el_pairs_end(pj_ctx *c, const char *who, int64_t id, const char *note, pj_err *err)
{
    return pairs_end(c, who, id, note, pj_el_today(c, pj_now()), NULL, err);
}

int pj_el_pairs_end_n(pj_ctx *c, const char *who, int64_t id, const char *note, int *ended,
                      pj_err *err)
{
    return pairs_end(c, who, id, note, pj_el_today(c, pj_now()), ended, err);
}

int pj_el_pairs_end_on(pj_ctx *c, const char *who, int64_t id, const char *note, int64_t day,
                       pj_err *err)
{
    return pairs_end(c, who, id, note, day, NULL, err);
}

static int pairs_end(pj_ctx *c, const char *who, int64_t id, const char *note, int64_t day,
                     int *ended, pj_err *err)
{
    char today[11];
    pj_el_date(day, today);
    pj_stmt *s = pj_db_prepare(c->db,
                               !strcmp(who, "helper")
                                   ? "SELECT id FROM elder_pairs WHERE helper_id = ? AND state ="
                                     " 'active' ORDER BY id"
                                   : "SELECT id FROM elder_pairs WHERE elder_id = ? AND state ="
                                     " 'active' ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int64_t *ids;
    int n;
    if (pj_render_ids(c, s, &ids, &n, err)) return -1;
    for (int k = 0; k < n; k++) {
        char *before = pj_render_to_string(c, ids[k], pair_render, err);
        if (!before) return -1;
        s = pj_db_prepare(c->db,
                          "UPDATE elder_pairs SET state = 'ended', end_date = CASE WHEN"
                          " start_date > ?1 THEN start_date ELSE ?1 END, ended_note = ?2,"
                          " version = version + 1 WHERE id = ?3",
                          err);
        if (!s) return -1;
        pj_stmt_text(s, 1, today);
        pj_stmt_text(s, 2, note);
        pj_stmt_int(s, 3, ids[k]);
        if (pj_step_done(s, err)) return -1;
        char *after = pj_render_to_string(c, ids[k], pair_render, err);
        if (!after || pj_audit_add(c, "end", "pair", ids[k], before, after, err)) return -1;
    }
    if (ended) *ended = n;
    /* what ends their pairs (gone, moved, no longer helping) answers the requests waiting for
     * them too: accepting one could only fail */
    return pj_el_pair_requests_close(c, who, id, note, 0, err);
}

int pj_pair_list(pj_ctx *c, int64_t elder_id, int64_t helper_id, const char *state, int newest,
                 int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    if (pj_el_require_personal(c, err) ||
        pj_el_filter_check(c, "elder", elder_id, "elder_id", err) ||
        pj_el_filter_check(c, "helper", helper_id, "helper_id", err))
        return -1;
    const char *sql =
        pj_arena_printf(c->arena,
                        "SELECT p.id FROM elder_pairs p JOIN elders e ON e.id ="
                        " p.elder_id WHERE p.id %s ?%s AND (? = 0 OR p.elder_id = ?)"
                        " AND (? = 0 OR p.helper_id = ?) AND (? IS NULL OR p.state ="
                        " ?) ORDER BY p.id %s LIMIT ?",
                        newest ? "<" : ">", pj_el_scope_sql(c, "e"), newest ? "DESC" : "ASC");
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, newest && !cursor ? INT64_MAX : cursor);
    pj_el_scope_bind(c, s, &i);
    pj_stmt_int(s, i++, elder_id);
    pj_stmt_int(s, i++, elder_id);
    pj_stmt_int(s, i++, helper_id);
    pj_stmt_int(s, i++, helper_id);
    pj_stmt_text(s, i++, state);
    pj_stmt_text(s, i++, state);
    pj_stmt_int(s, i++, limit + 1);
    return pj_render_query_page(c, s, limit, pair_render, w, err);
}

static int elder_town(pj_ctx *c, int64_t elder_id, const char *field, int64_t *town, pj_err *err)
{
    if (pj_el_int(c, "SELECT township_id FROM elders WHERE id = ?", elder_id, 0, town, err))
        return -1;
    if (!*town) return pj_fail(err, 422, "unknown_id", field, "no elder %lld", (long long)elder_id);
    return 0;
}

/* A pair by hand starts neither before the elder's or the helper's registration nor before
 * the end of the elder's latest ended pair (a history with two helpers at once, or a pair
 * decades before the elder was registered, is none): 422 out_of_range on start_date naming the
 * earliest date allowed. */
static int pair_start_check(pj_ctx *c, int64_t eid, int64_t hid, const char *start, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT (SELECT created_at FROM elders WHERE id = ?1),"
                               " (SELECT created_at FROM helpers WHERE id = ?2),"
                               " (SELECT MAX(end_date) FROM elder_pairs WHERE elder_id = ?1"
                               " AND state = 'ended')",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, eid);
    pj_stmt_int(s, 2, hid);
    int rc = pj_stmt_step(s, err);
    char reg_e[11] = "", reg_h[11] = "", ended[11] = "";
    if (rc == 1) {
        pj_el_date(pj_el_today(c, pj_col_int(s, 0)), reg_e);
        pj_el_date(pj_el_today(c, pj_col_int(s, 1)), reg_h);
        if (!pj_col_is_null(s, 2)) snprintf(ended, sizeof ended, "%s", pj_col_text(s, 2));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    const char *earliest = reg_e, *why = "the elder's registration";
    if (strcmp(reg_h, earliest) > 0) earliest = reg_h, why = "the helper's registration";
    if (strcmp(ended, earliest) > 0) earliest = ended, why = "the end of the elder's last pair";
    if (strcmp(start, earliest) < 0)
        return pj_fail(err, 422, "out_of_range", "start_date",
                       "start_date is before %s: the pair may start on %s at the earliest", why,
                       earliest);
    return 0;
}

int64_t pj_el_pair_add(pj_ctx *c, int64_t eid, int64_t hid, const char *start, const char *reason,
                       pj_err *err)
{
    int64_t dist;
    int same;
    const char *hname;
    if (pair_feasible(c, eid, hid, 0, 0, 0, &dist, &same, &hname, err) ||
        pair_start_check(c, eid, hid, start, err))
        return 0;
    return pair_insert(c, eid, hid, start, dist,
                       reason && *reason
                           ? reason
                           : pj_arena_printf(c->arena, "paired by %s; %lld m away",
                                             c->actor.username ? c->actor.username : "system",
                                             (long long)dist),
                       0, err);
}

int pj_el_pair_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return pair_render(c, id, w, err);
}

int pj_el_pair_check(pj_ctx *c, int64_t eid, int64_t hid, pj_err *err)
{
    int64_t dist;
    int same;
    const char *hname;
    return pair_feasible(c, eid, hid, 0, 0, 0, &dist, &same, &hname, err);
}

int pj_pair_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"elder_id", "helper_id", "start_date", "reason", NULL};
    int64_t eid, hid, town;
    const char *start = NULL, *reason = NULL;
    int64_t today = pj_el_today(c, pj_now());
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "elder_id", 1, 1, INT64_MAX, &eid, err) < 0 ||
        pj_in_int(body, "helper_id", 1, 1, INT64_MAX, &hid, err) < 0 ||
        pj_el_in_date(body, "start_date", 0, 1, today, &start, err) < 0 ||
        pj_in_str(body, "reason", 0, 0, 200, &reason, err) < 0 ||
        elder_town(c, eid, "elder_id", &town, err) || pj_el_officer_check(c, town, err))
        return -1;
    char day[11];
    pj_el_date(today, day);
    if (!start) start = day;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t id = pj_el_pair_add(c, eid, hid, start, reason, err);
    if (!id) goto fail;
    if (pj_render_commit(c, "create", "pair", id, NULL, pair_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_pair_end(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"end_date", "note", "version", NULL};
    int64_t eid, town, version;
    const char *end = NULL, *note = "";
    int64_t today = pj_el_today(c, pj_now());
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_el_in_date(body, "end_date", 0, 1, today, &end, err) < 0 ||
        pj_in_str(body, "note", 0, 0, 200, &note, err) < 0 ||
        pj_el_int(c, "SELECT elder_id FROM elder_pairs WHERE id = ?", id, 0, &eid, err))
        return -1;
    if (!eid) return pj_not_found(err, "pair", id);
    if (elder_town(c, eid, "id", &town, err) || pj_el_officer_check(c, town, err)) return -1;
    char day[11];
    pj_el_date(today, day);
    if (!end) end = day;
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM elder_pairs WHERE id = ?", id, version, "pair",
                         err))
        goto fail;
    char *before = pj_render_to_string(c, id, pair_render, err);
    if (!before) goto fail;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT state, start_date FROM elder_pairs WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int active = rc == 1 && !strcmp(pj_col_text(s, 0), "active");
    int before_start = rc == 1 && strcmp(end, pj_col_text(s, 1)) < 0;
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (!active) {
        pj_fail(err, 409, "not_active", "id", "the pair has ended already");
        goto fail;
    }
    if (before_start) {
        pj_fail(err, 422, "out_of_range", "end_date", "end_date is before the start");
        goto fail;
    }
    s = pj_db_prepare(c->db,
                      "UPDATE elder_pairs SET state = 'ended', end_date = ?, ended_note = ?,"
                      " version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, end);
    pj_stmt_text(s, 2, note);
    pj_stmt_int(s, 3, id);
    if (pj_step_done(s, err)) goto fail;
    if (pj_render_commit(c, "end", "pair", id, before, pair_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
