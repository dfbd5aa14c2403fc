/* CFLP: instances, results, verification. The solvers are in cflp_solve.c, the
 * transportation solver in cflp_tp.c, the GLPK model in cflp_mip.c, readers in cflp_io.c. */
#include "algo/cflp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pj_cflp_init(pj_cflp *inst, int m, int n)
{
    memset(inst, 0, sizeof *inst);
    if (m <= 0 || n <= 0 || (size_t)m > ((size_t)1 << 40) / (size_t)n) return -1;
    size_t mn = (size_t)m * (size_t)n;
    inst->capacity = calloc((size_t)m, sizeof(double));
    inst->fixed_cost = calloc((size_t)m, sizeof(double));
    inst->demand = calloc((size_t)n, sizeof(double));
    inst->cost = calloc(mn, sizeof(double));
    if (!inst->capacity || !inst->fixed_cost || !inst->demand || !inst->cost) {
        pj_cflp_free(inst);
        return -1;
    }
    inst->m = m;
    inst->n = n;
    return 0;
}

void pj_cflp_free(pj_cflp *inst)
{
    if (!inst) return;
    free(inst->capacity);
    free(inst->fixed_cost);
    free(inst->allowed);
    free(inst->demand);
    free(inst->cost);
    memset(inst, 0, sizeof *inst);
}

static void set_err(char *err, size_t errlen, const char *msg, long a, long b)
{
    if (err && errlen) snprintf(err, errlen, msg, a, b);
}

int pj_cflp_validate(const pj_cflp *inst, char *err, size_t errlen)
{
    if (!inst) {
        set_err(err, errlen, "no instance", 0, 0);
        return -1;
    }
    if (inst->m <= 0 || inst->n <= 0) {
        set_err(err, errlen, "bad size m=%ld n=%ld", inst->m, inst->n);
        return -1;
    }
    if (!inst->capacity || !inst->fixed_cost || !inst->demand || !inst->cost) {
        set_err(err, errlen, "missing array", 0, 0);
        return -1;
    }
    for (int i = 0; i < inst->m; i++) {
        if (!isfinite(inst->capacity[i]) || inst->capacity[i] < 0) {
            set_err(err, errlen, "site %ld: capacity not finite or negative", i, 0);
            return -1;
        }
        if (!isfinite(inst->fixed_cost[i]) || inst->fixed_cost[i] < 0) {
            set_err(err, errlen, "site %ld: fixed cost not finite or negative", i, 0);
            return -1;
        }
    }
    for (int j = 0; j < inst->n; j++)
        if (!isfinite(inst->demand[j]) || inst->demand[j] < 0) {
            set_err(err, errlen, "customer %ld: demand not finite or negative", j, 0);
            return -1;
        }
    size_t mn = (size_t)inst->m * (size_t)inst->n;
    for (size_t k = 0; k < mn; k++) {
        double c = inst->cost[k];
        if (isnan(c) || c < 0) {
            set_err(err, errlen, "cost of site %ld, customer %ld is negative or NaN",
                    (long)(k / (size_t)inst->n), (long)(k % (size_t)inst->n));
            return -1;
        }
    }
    return 0;
}

double pj_cflp_total_demand(const pj_cflp *inst)
{
    double d = 0;
    for (int j = 0; j < inst->n; j++) d += inst->demand[j];
    return d;
}

void pj_cflp_result_free(pj_cflp_result *res)
{
    if (!res) return;
    free(res->open);
    free(res->assign);
    free(res->flows);
    memset(res, 0, sizeof *res);
}

int pj_cflp_result_check(const pj_cflp_result *res, const pj_cflp *inst, double tol,
                         double *objective, char *err, size_t errlen)
{
    if (objective) *objective = NAN;
    if (!res || !inst || res->status != PJ_CFLP_OK) {
        set_err(err, errlen, "no solution (status %ld)", res ? (long)res->status : -9, 0);
        return -1;
    }
    int m = inst->m, n = inst->n;
    if (res->m != m || res->n != n || !res->open || !res->assign || !res->flows) {
        set_err(err, errlen, "result size %ld x %ld does not match", res->m, res->n);
        return -1;
    }
    double *load = calloc((size_t)m, sizeof(double));
    double *served = calloc((size_t)n, sizeof(double));
    int *count = calloc((size_t)n, sizeof(int));
    int rc = -1;
    if (!load || !served || !count) {
        set_err(err, errlen, "out of memory", 0, 0);
        goto out;
    }
    double obj = 0;
    for (int i = 0; i < m; i++) {
        if (res->open[i] && inst->allowed && !inst->allowed[i]) {
            set_err(err, errlen, "site %ld is open but not allowed", i, 0);
            goto out;
        }
        if (res->open[i]) obj += inst->fixed_cost[i];
    }
    for (int k = 0; k < res->nflows; k++) {
        const pj_cflp_flow *f = &res->flows[k];
        if (f->site < 0 || f->site >= m || f->customer < 0 || f->customer >= n) {
            set_err(err, errlen, "flow %ld out of range", k, 0);
            goto out;
        }
        if (!(f->fraction > 0) || f->fraction > 1 + tol) {
            set_err(err, errlen, "flow %ld has a bad fraction", k, 0);
            goto out;
        }
        if (!res->open[f->site]) {
            set_err(err, errlen, "customer %ld served by closed site %ld", f->customer, f->site);
            goto out;
        }
        double c = inst->cost[(size_t)f->site * n + f->customer];
        if (!isfinite(c)) {
            set_err(err, errlen, "customer %ld served by forbidden site %ld", f->customer, f->site);
            goto out;
        }
        obj += f->fraction * c;
        load[f->site] += f->fraction * inst->demand[f->customer];
        served[f->customer] += f->fraction;
        count[f->customer]++;
    }
    for (int j = 0; j < n; j++) {
        if (fabs(served[j] - 1) > tol) {
            set_err(err, errlen, "customer %ld is not fully served", j, 0);
            goto out;
        }
        if (res->kind == PJ_CFLP_SINGLE && count[j] != 1) {
            set_err(err, errlen, "customer %ld is split over %ld sites", j, count[j]);
            goto out;
        }
        if (res->assign[j] < 0 || res->assign[j] >= m || !res->open[res->assign[j]]) {
            set_err(err, errlen, "customer %ld: bad assign[] entry", j, 0);
            goto out;
        }
    }
    for (int i = 0; i < m; i++)
        if (load[i] > inst->capacity[i] * (1 + tol) + tol) {
            set_err(err, errlen, "site %ld over capacity", i, 0);
            goto out;
        }
    if (objective) *objective = obj;
    rc = 0;
out:
    free(load);
    free(served);
    free(count);
    return rc;
}

int pj_cflp_result_set(pj_cflp_result *res, const pj_cflp *inst, pj_cflp_kind kind,
                       const unsigned char *open, const double *frac, const int *assign)
{
    pj_algo_stats st = res->stats;
    int iters = res->iterations, mip = res->mip_used;
    pj_cflp_result_free(res);
    res->stats = st;
    res->iterations = iters;
    res->mip_used = mip;
    int m = inst->m, n = inst->n;
    res->kind = kind;
    res->m = m;
    res->n = n;
    int cap = n;
    if (kind == PJ_CFLP_MULTI) {
        cap = 0;
        for (size_t k = 0; k < (size_t)m * n; k++)
            if (frac[k] > 0) cap++;
    }
    res->open = calloc((size_t)m, 1);
    res->assign = malloc((size_t)n * sizeof(int));
    res->flows = malloc((size_t)(cap ? cap : 1) * sizeof(pj_cflp_flow));
    if (!res->open || !res->assign || !res->flows) {
        pj_cflp_result_free(res);
        res->status = PJ_CFLP_ENOMEM;
        return -1;
    }
    double obj = 0;
    for (int i = 0; i < m; i++) {
        res->open[i] = open[i] ? 1 : 0;
        if (open[i]) obj += inst->fixed_cost[i];
    }
    for (int j = 0; j < n; j++) {
        if (kind == PJ_CFLP_SINGLE) {
            int i = assign[j];
            res->assign[j] = i;
            res->flows[res->nflows++] = (pj_cflp_flow){i, j, 1.0};
            obj += inst->cost[(size_t)i * n + j];
            continue;
        }
        int best = -1;
        double bf = 0;
        for (int i = 0; i < m; i++) {
            double f = frac[(size_t)i * n + j];
            if (!(f > 0)) continue;
            res->flows[res->nflows++] = (pj_cflp_flow){i, j, f};
            obj += f * inst->cost[(size_t)i * n + j];
            if (f > bf) bf = f, best = i;
        }
        res->assign[j] = best;
    }
    res->status = PJ_CFLP_OK;
    res->stats.objective = obj;
    return 0;
}
