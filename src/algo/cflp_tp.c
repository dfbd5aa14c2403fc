/* Exact transportation solver for the multi-source CFLP with a fixed open set.
 *
 * Start: every customer's whole demand on its cheapest open site (per-unit cost c_ij/d_j).
 * That flow is optimal for the uncapacitated problem, so zero potentials make every residual
 * arc non-negative. Then, while some site is overloaded, a multi-source Dijkstra over the
 * open sites (arc a->b = move part of a customer j from a to b, reduced cost
 * uc_bj - uc_aj + pi_a - pi_b) finds the cheapest way to push load from an overloaded site
 * to one with spare capacity; potentials are updated Johnson-style. Each push saturates the
 * excess, the spare capacity or one customer's flow on an arc, so the number of pushes stays
 * near the number of customers that must leave their cheapest site. Per Dijkstra the work is
 * O(k * n) for k open sites. */
#include "algo/cflp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct pj_cflp_tp {
    const pj_cflp *inst;
    int m, n;
    double *uc;   /* [m*n] unit cost c_ij / d_j (INFINITY forbidden); c_ij when d_j == 0 */
    double *ucT;  /* [n*m] the same, customer-major */
    double *ucO;  /* [n*k] per solve: unit costs to the k open sites, customer-major */
    int *qof;     /* [m] compact index of an open site in sites[], -1 when closed */
    double *piq;  /* [m] potentials by compact index */
    double *dq;   /* [m] distances by compact index */
    int *und;     /* [m] compact indices not yet settled by the current Dijkstra */
    double *amt;  /* [m*n] demand units of j on i */
    double *frac; /* [m*n] output fractions */
    double *load; /* [m] */
    double *ex;   /* [m] load - capacity */
    double *pi;   /* [m] potentials */
    double *dist; /* [m] */
    int *pred;    /* [m] */
    int *predj;   /* [m] */
    int *sites;   /* [m] open list */
    char *done;   /* [m] */
    int *served;  /* [m*n] customers with flow on i, compact per row */
    int *nserved; /* [m] */
    int *pos;     /* [m*n] index of j in served row i, -1 */
    size_t *nz;   /* [m*n] entries of frac set by the last solve */
    size_t nnz;
    double eps;
    double work; /* steps of the solves so far (see pj_cflp_tp_work) */
};

void pj_cflp_tp_free(pj_cflp_tp *tp)
{
    if (!tp) return;
    free(tp->uc);
    free(tp->ucT);
    free(tp->ucO);
    free(tp->qof);
    free(tp->piq);
    free(tp->dq);
    free(tp->und);
    free(tp->amt);
    free(tp->frac);
    free(tp->load);
    free(tp->ex);
    free(tp->pi);
    free(tp->dist);
    free(tp->pred);
    free(tp->predj);
    free(tp->sites);
    free(tp->done);
    free(tp->served);
    free(tp->nserved);
    free(tp->pos);
    free(tp->nz);
    free(tp);
}

pj_cflp_tp *pj_cflp_tp_new(const pj_cflp *inst)
{
    if (pj_cflp_validate(inst, NULL, 0) != 0) return NULL;
    pj_cflp_tp *tp = calloc(1, sizeof *tp);
    if (!tp) return NULL;
    int m = inst->m, n = inst->n;
    size_t mn = (size_t)m * (size_t)n;
    tp->inst = inst;
    tp->m = m;
    tp->n = n;
    tp->uc = malloc((mn ? mn : 1) * sizeof(double));
    tp->ucT = malloc((mn ? mn : 1) * sizeof(double));
    tp->ucO = malloc((mn ? mn : 1) * sizeof(double));
    tp->qof = malloc(((size_t)m + 1) * sizeof(int));
    tp->piq = calloc((size_t)m + 1, sizeof(double));
    tp->dq = calloc((size_t)m + 1, sizeof(double));
    tp->und = calloc((size_t)m + 1, sizeof(int));
    tp->amt = calloc(mn ? mn : 1, sizeof(double));
    tp->frac = calloc(mn ? mn : 1, sizeof(double));
    tp->served = malloc((mn ? mn : 1) * sizeof(int));
    tp->pos = malloc((mn ? mn : 1) * sizeof(int));
    tp->nz = malloc((mn ? mn : 1) * sizeof(size_t));
    tp->load = calloc((size_t)m + 1, sizeof(double));
    tp->ex = calloc((size_t)m + 1, sizeof(double));
    tp->pi = calloc((size_t)m + 1, sizeof(double));
    tp->dist = calloc((size_t)m + 1, sizeof(double));
    tp->pred = calloc((size_t)m + 1, sizeof(int));
    tp->predj = calloc((size_t)m + 1, sizeof(int));
    tp->sites = calloc((size_t)m + 1, sizeof(int));
    tp->nserved = calloc((size_t)m + 1, sizeof(int));
    tp->done = calloc((size_t)m + 1, 1);
    if (!tp->uc || !tp->ucT || !tp->ucO || !tp->qof || !tp->piq || !tp->dq || !tp->und ||
        !tp->amt || !tp->frac || !tp->served || !tp->pos || !tp->nz || !tp->load || !tp->ex ||
        !tp->pi || !tp->dist || !tp->pred || !tp->predj || !tp->sites || !tp->nserved ||
        !tp->done) {
        pj_cflp_tp_free(tp);
        return NULL;
    }
    double dmax = 0;
    for (int j = 0; j < n; j++) dmax = fmax(dmax, inst->demand[j]);
    tp->eps = 1e-10 * (dmax > 0 ? dmax : 1);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double c = inst->cost[(size_t)i * n + j];
            double d = inst->demand[j];
            tp->uc[(size_t)i * n + j] = !isfinite(c) ? INFINITY : d > 0 ? c / d : c;
            tp->ucT[(size_t)j * m + i] = tp->uc[(size_t)i * n + j];
        }
    for (size_t k = 0; k < mn; k++) tp->pos[k] = -1;
    return tp;
}

double pj_cflp_tp_work(const pj_cflp_tp *tp)
{
    return tp->work;
}

const double *pj_cflp_tp_fractions(const pj_cflp_tp *tp)
{
    return tp->frac;
}

void pj_cflp_tp_prices(const pj_cflp_tp *tp, const unsigned char *open, double *w)
{
    double top = -INFINITY;
    for (int i = 0; i < tp->m; i++)
        if (open[i] && tp->pi[i] > top) top = tp->pi[i];
    for (int i = 0; i < tp->m; i++) w[i] = open[i] ? top - tp->pi[i] : 0;
}

static void tp_set(pj_cflp_tp *tp, int i, int j, double a)
{
    size_t k = (size_t)i * tp->n + j;
    if (a <= tp->eps) a = 0;
    tp->amt[k] = a;
    if (a > 0 && tp->pos[k] < 0) {
        tp->pos[k] = tp->nserved[i];
        tp->served[(size_t)i * tp->n + tp->nserved[i]++] = j;
    } else if (a == 0 && tp->pos[k] >= 0) {
        int p = tp->pos[k], last = tp->served[(size_t)i * tp->n + --tp->nserved[i]];
        tp->served[(size_t)i * tp->n + p] = last;
        tp->pos[(size_t)i * tp->n + last] = p;
        tp->pos[k] = -1;
    }
}

int pj_cflp_tp_solve(pj_cflp_tp *tp, const unsigned char *open, double *service)
{
    return pj_cflp_tp_solve_below(tp, open, INFINITY, service);
}

int pj_cflp_tp_solve_below(pj_cflp_tp *tp, const unsigned char *open, double cutoff,
                           double *service)
{
    const pj_cflp *in = tp->inst;
    int m = tp->m, n = tp->n, k = 0;
    /* reset previous flow */
    for (int i = 0; i < m; i++) {
        for (int p = 0; p < tp->nserved[i]; p++) {
            int j = tp->served[(size_t)i * n + p];
            tp->amt[(size_t)i * n + j] = 0;
            tp->pos[(size_t)i * n + j] = -1;
        }
        tp->nserved[i] = 0;
        tp->load[i] = 0;
        tp->pi[i] = 0;
        if (open[i]) tp->sites[k++] = i;
    }
    for (size_t q = 0; q < tp->nnz; q++) tp->frac[tp->nz[q]] = 0;
    tp->nnz = 0;
    double zero_cost = 0, lower = 0; /* lower: cost of the current flow */
    tp->work += 2.0 * m + 2.0 * (double)n * k;
    for (int j = 0; j < n; j++) {
        int best = -1;
        double bc = INFINITY;
        for (int q = 0; q < k; q++) {
            int i = tp->sites[q];
            double u = tp->uc[(size_t)i * n + j];
            if (u < bc) bc = u, best = i;
        }
        if (best < 0) return 1;
        if (in->demand[j] > 0) {
            tp_set(tp, best, j, in->demand[j]);
            tp->load[best] += in->demand[j];
            lower += bc * in->demand[j];
        } else {
            tp->frac[(size_t)best * n + j] = 1;
            tp->nz[tp->nnz++] = (size_t)best * n + j;
            zero_cost += bc;
        }
    }
    for (int q = 0; q < k; q++) {
        int i = tp->sites[q];
        tp->ex[i] = tp->load[i] - in->capacity[i];
    }
    double eps = tp->eps;
    /* compact copies for the Dijkstra: open site q = sites[q] */
    for (int i = 0; i < m; i++) tp->qof[i] = -1;
    for (int q = 0; q < k; q++) tp->qof[tp->sites[q]] = q, tp->piq[q] = 0;
    for (int j = 0; j < n; j++) {
        const double *src = tp->ucT + (size_t)j * m;
        double *dst = tp->ucO + (size_t)j * k;
        for (int q = 0; q < k; q++) dst[q] = src[tp->sites[q]];
    }
    double *dq = tp->dq, *piq = tp->piq;
    int *und = tp->und;
    for (;;) {
        int nsrc = 0, nund = k;
        for (int q = 0; q < k; q++) {
            int i = tp->sites[q];
            und[q] = q;
            tp->pred[q] = -1;
            if (tp->ex[i] > eps) {
                dq[q] = 0;
                nsrc++;
            } else {
                dq[q] = INFINITY;
            }
        }
        if (!nsrc) break;
        /* the current flow is optimal for capacities raised to the current loads, so its
         * cost only grows from here on */
        if (zero_cost + lower >= cutoff) return 2;
        int target = -1;
        double dt = 0;
        for (;;) {
            /* the nearest unsettled site, the lowest index among equals */
            int qa = -1, ta = -1;
            double da = INFINITY;
            for (int t = 0; t < nund; t++) {
                int q = und[t];
                if (dq[q] < da || (dq[q] == da && qa >= 0 && q < qa)) da = dq[q], qa = q, ta = t;
            }
            if (qa < 0) break;
            und[ta] = und[--nund];
            int a = tp->sites[qa];
            tp->work += 0.5 * nund * (1 + tp->nserved[a]);
            if (tp->ex[a] < -eps) {
                target = qa;
                dt = da;
                break;
            }
            const int *row = tp->served + (size_t)a * n;
            for (int p = 0; p < tp->nserved[a]; p++) {
                int j = row[p];
                const double *uj = tp->ucO + (size_t)j * k;
                double base = da - uj[qa] + piq[qa];
                for (int t = 0; t < nund; t++) {
                    int q = und[t];
                    double nd = base + uj[q] - piq[q];
                    if (nd < dq[q]) {
                        dq[q] = nd;
                        tp->pred[q] = qa;
                        tp->predj[q] = j;
                    }
                }
            }
        }
        if (target < 0) return 1; /* no spare capacity reachable */
        for (int q = 0; q < k; q++) piq[q] += dq[q] < dt ? dq[q] : dt;
        /* bottleneck */
        int v = target;
        double delta = -tp->ex[tp->sites[target]];
        while (tp->pred[v] >= 0) {
            int qa = tp->pred[v], j = tp->predj[v];
            double av = tp->amt[(size_t)tp->sites[qa] * n + j];
            if (av < delta) delta = av;
            v = qa;
        }
        int src = tp->sites[v];
        if (tp->ex[src] < delta) delta = tp->ex[src];
        v = target;
        while (tp->pred[v] >= 0) {
            int qa = tp->pred[v], j = tp->predj[v];
            int a = tp->sites[qa], b = tp->sites[v];
            lower += delta * (tp->uc[(size_t)b * n + j] - tp->uc[(size_t)a * n + j]);
            tp_set(tp, a, j, tp->amt[(size_t)a * n + j] - delta);
            tp_set(tp, b, j, tp->amt[(size_t)b * n + j] + delta);
            v = qa;
        }
        int tg = tp->sites[target];
        tp->ex[src] -= delta;
        tp->ex[tg] += delta;
        tp->load[src] -= delta;
        tp->load[tg] += delta;
    }
    for (int q = 0; q < k; q++) tp->pi[tp->sites[q]] = piq[q];
    double cost = zero_cost;
    for (int q = 0; q < k; q++) {
        int i = tp->sites[q];
        for (int p = 0; p < tp->nserved[i]; p++) {
            int j = tp->served[(size_t)i * n + p];
            double a = tp->amt[(size_t)i * n + j];
            double f = a / in->demand[j];
            tp->frac[(size_t)i * n + j] = f;
            tp->nz[tp->nnz++] = (size_t)i * n + j;
            cost += f * in->cost[(size_t)i * n + j];
        }
    }
    if (service) *service = cost;
    return 0;
}
