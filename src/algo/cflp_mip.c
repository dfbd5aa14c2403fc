/* Strong CFLP model solved with GLPK (glp_simplex + glp_intopt). Used as the exact path of
 * pj_cflp_solve for small instances and as a reference by the benchmark. */
#include "algo/cflp.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mipcb {
    const double *start; /* [ncols+1] or NULL */
    int offered;
} mipcb;

static void mip_callback(glp_tree *tree, void *info)
{
    mipcb *cb = info;
    if (glp_ios_reason(tree) == GLP_IHEUR && cb->start && !cb->offered) {
        cb->offered = 1;
        glp_ios_heur_sol(tree, cb->start);
    }
}

static int tm_ms(double s)
{
    if (s <= 0) return 0x7fffffff;
    double ms = s * 1000.0;
    return ms > 2e9 ? 0x7fffffff : (ms < 1 ? 1 : (int)ms);
}

pj_cflp_status pj_cflp_mip_glpk(const pj_cflp *inst, pj_cflp_kind kind, const pj_algo_opts *opts,
                                const pj_cflp_result *start, pj_cflp_result *res)
{
    return pj_cflp_mip_glpk_fixed(inst, kind, opts, NULL, start, res);
}

pj_cflp_status pj_cflp_mip_glpk_fixed(const pj_cflp *inst, pj_cflp_kind kind,
                                      const pj_algo_opts *opts, const signed char *fix,
                                      const pj_cflp_result *start, pj_cflp_result *res)
{
    double t0 = pj_algo_now();
    memset(res, 0, sizeof *res);
    res->kind = kind;
    res->stats.lower_bound = -INFINITY;
    res->stats.objective = INFINITY;
    res->stats.gap = INFINITY;
    res->mip_used = 1;
    if (pj_cflp_validate(inst, res->message, sizeof res->message) != 0) {
        res->status = PJ_CFLP_EINVAL;
        return res->status;
    }
    int m = inst->m, n = inst->n;
    res->m = m;
    res->n = n;
    double tl = opts ? opts->time_limit_s : 0;
    size_t mn = (size_t)m * n;
    int *col = malloc(mn * sizeof(int)); /* column of x_ij, 0 when forbidden */
    int nx = 0;
    for (size_t k = 0; k < mn; k++) {
        int i = (int)(k / (size_t)n);
        int ok = isfinite(inst->cost[k]) && (!inst->allowed || inst->allowed[i]) &&
                 !(fix && fix[i] == 0);
        col[k] = ok ? m + 1 + nx++ : 0;
    }
    int nstrong = 0; /* x_ij <= y_i rows: not needed for sites fixed open */
    for (size_t k = 0; k < mn; k++)
        if (col[k] && !(fix && fix[k / (size_t)n] == 1)) nstrong++;
    int ncols = m + nx;
    /* rows: n demand, m capacity, nx strong, 1 cover */
    int nrows = n + m + nstrong + 1;
    size_t nnz = (size_t)nx * 2 + (size_t)nstrong * 2 + (size_t)m * 2;
    int *ia = malloc((nnz + 1) * sizeof(int)), *ja = malloc((nnz + 1) * sizeof(int));
    double *ar = malloc((nnz + 1) * sizeof(double));
    double *sol = malloc(((size_t)ncols + 1) * sizeof(double));
    double *frac = calloc(mn ? mn : 1, sizeof(double));
    int *asg = malloc((size_t)n * sizeof(int));
    unsigned char *open = calloc((size_t)m, 1);
    glp_prob *lp = NULL;
    if (!col || !ia || !ja || !ar || !sol || !frac || !asg || !open) {
        res->status = PJ_CFLP_ENOMEM;
        snprintf(res->message, sizeof res->message, "out of memory");
        goto out;
    }
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, ncols);
    glp_add_rows(lp, nrows);
    double D = pj_cflp_total_demand(inst);
    for (int i = 0; i < m; i++) {
        int allowed = !inst->allowed || inst->allowed[i];
        glp_set_col_kind(lp, i + 1, GLP_BV);
        if (!allowed || (fix && fix[i] == 0)) glp_set_col_bnds(lp, i + 1, GLP_FX, 0, 0);
        if (allowed && fix && fix[i] == 1) glp_set_col_bnds(lp, i + 1, GLP_FX, 1, 1);
        glp_set_obj_coef(lp, i + 1, inst->fixed_cost[i]);
    }
    for (size_t k = 0; k < mn; k++) {
        if (!col[k]) continue;
        glp_set_col_kind(lp, col[k], kind == PJ_CFLP_SINGLE ? GLP_BV : GLP_CV);
        glp_set_col_bnds(lp, col[k], GLP_DB, 0, 1);
        glp_set_obj_coef(lp, col[k], inst->cost[k]);
    }
    size_t e = 0;
    int sr = n + m + 1; /* first strong row */
    for (size_t k = 0; k < mn; k++) {
        if (!col[k]) continue;
        int i = (int)(k / (size_t)n), j = (int)(k % (size_t)n);
        e++, ia[e] = j + 1, ja[e] = col[k], ar[e] = 1;
        e++, ia[e] = n + i + 1, ja[e] = col[k], ar[e] = inst->demand[j];
        if (fix && fix[i] == 1) continue;
        e++, ia[e] = sr, ja[e] = col[k], ar[e] = 1;
        e++, ia[e] = sr, ja[e] = i + 1, ar[e] = -1;
        glp_set_row_bnds(lp, sr, GLP_UP, 0, 0);
        sr++;
    }
    for (int j = 0; j < n; j++) glp_set_row_bnds(lp, j + 1, GLP_FX, 1, 1);
    for (int i = 0; i < m; i++) {
        e++, ia[e] = n + i + 1, ja[e] = i + 1, ar[e] = -inst->capacity[i];
        glp_set_row_bnds(lp, n + i + 1, GLP_UP, 0, 0);
        e++, ia[e] = nrows, ja[e] = i + 1, ar[e] = inst->capacity[i];
    }
    glp_set_row_bnds(lp, nrows, GLP_LO, D, 0);
    glp_load_matrix(lp, (int)e, ia, ja, ar);

    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.tm_lim = tm_ms(tl);
    sp.presolve = GLP_OFF;
    int rc = glp_simplex(lp, &sp);
    int lpst = glp_get_status(lp);
    if (lpst == GLP_NOFEAS || lpst == GLP_INFEAS) {
        if (rc == 0 && lpst == GLP_NOFEAS) {
            res->status = PJ_CFLP_INFEASIBLE;
            snprintf(res->message, sizeof res->message, "infeasible (LP relaxation)");
            goto out;
        }
    }
    if (rc != 0 || lpst != GLP_OPT) {
        res->status = PJ_CFLP_NO_SOLUTION;
        res->stats.time_limit_hit = res->stats.clock_limited = rc == GLP_ETMLIM;
        snprintf(res->message, sizeof res->message, "GLPK: root LP not solved (rc %d)", rc);
        goto out;
    }
    double lpbound = glp_get_obj_val(lp);
    mipcb cb = {NULL, 0};
    if (start && start->status == PJ_CFLP_OK && start->m == m && start->n == n) {
        memset(sol, 0, ((size_t)ncols + 1) * sizeof(double));
        int ok = 1;
        for (int i = 0; i < m; i++) sol[i + 1] = start->open[i] ? 1 : 0;
        for (int k = 0; k < start->nflows; k++) {
            const pj_cflp_flow *f = &start->flows[k];
            int c = col[(size_t)f->site * n + f->customer];
            if (!c)
                ok = 0;
            else
                sol[c] = f->fraction;
        }
        if (ok) cb.start = sol;
    }
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_OFF;
    double left = tl > 0 ? tl - (pj_algo_now() - t0) : 0;
    ip.tm_lim = tl > 0 ? tm_ms(left > 0.001 ? left : 0.001) : 0x7fffffff;
    ip.cb_func = mip_callback;
    ip.cb_info = &cb;
    ip.mir_cuts = GLP_ON;
    rc = glp_intopt(lp, &ip);
    int st = glp_mip_status(lp);
    res->stats.time_limit_hit = res->stats.clock_limited = rc == GLP_ETMLIM;
    if (st == GLP_NOFEAS) {
        res->status = PJ_CFLP_INFEASIBLE;
        snprintf(res->message, sizeof res->message, "infeasible (GLPK)");
        goto out;
    }
    if (st != GLP_OPT && st != GLP_FEAS) {
        res->status = PJ_CFLP_NO_SOLUTION;
        snprintf(res->message, sizeof res->message, "GLPK found no solution (rc %d)", rc);
        res->stats.lower_bound = lpbound;
        goto out;
    }
    for (int i = 0; i < m; i++) open[i] = glp_mip_col_val(lp, i + 1) > 0.5;
    for (int j = 0; j < n; j++) {
        double tot = 0, bf = -1;
        int bi = -1;
        for (int i = 0; i < m; i++) {
            size_t k = (size_t)i * n + j;
            if (!col[k]) continue;
            double v = glp_mip_col_val(lp, col[k]);
            if (v < 1e-9 || !open[i]) continue;
            frac[k] = v;
            tot += v;
            if (v > bf) bf = v, bi = i;
        }
        asg[j] = bi;
        if (tot > 0)
            for (int i = 0; i < m; i++) frac[(size_t)i * n + j] /= tot;
    }
    if (pj_cflp_result_set(res, inst, kind, open, frac, asg) != 0) goto out;
    res->stats.optimal = st == GLP_OPT;
    res->stats.lower_bound = st == GLP_OPT ? res->stats.objective : lpbound;
    snprintf(res->message, sizeof res->message, "GLPK: %s",
             st == GLP_OPT ? "optimal" : "feasible (time limit)");
    pj_algo_stats_finish(&res->stats);
out:
    res->stats.time_s = pj_algo_now() - t0;
    if (lp) glp_delete_prob(lp);
    free(col);
    free(ia);
    free(ja);
    free(ar);
    free(sol);
    free(frac);
    free(asg);
    free(open);
    return res->status;
}

void pj_algo_thread_done(void)
{
    glp_free_env(); /* GLPK's environment is per thread */
}
