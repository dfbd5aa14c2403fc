/* Dense linear assignment: Jonker-Volgenant (see assign.h), plus the OR-Library reader. */
#include "algo/assign.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void pj_assign_sol_free(pj_assign_sol *sol)
{
    if (!sol) return;
    free(sol->row_to_col);
    free(sol->col_to_row);
    free(sol->u);
    free(sol->v);
    sol->row_to_col = sol->col_to_row = NULL;
    sol->u = sol->v = NULL;
}

/* Column reduction, reduction transfer and two rounds of augmenting row reduction (JV 1987),
 * for a square matrix with finite costs. Fills x (row -> col), y (col -> row), v and the list
 * of rows left free; returns their number. */
static int jv_init(int n, const double *c, int *x, int *y, double *v, int *freerows, int *matches,
                   int *imin)
{
    /* Column minima in row-major order (cache friendly); first row attaining the minimum. */
    for (int j = 0; j < n; j++) {
        v[j] = c[j];
        imin[j] = 0;
    }
    for (int i = 1; i < n; i++) {
        const double *ci = c + (size_t)i * n;
        for (int j = 0; j < n; j++)
            if (ci[j] < v[j]) {
                v[j] = ci[j];
                imin[j] = i;
            }
    }
    for (int i = 0; i < n; i++) {
        matches[i] = 0;
        x[i] = -1;
    }
    for (int j = n - 1; j >= 0; j--) {
        int i = imin[j];
        if (++matches[i] == 1) {
            x[i] = j;
            y[j] = i;
        } else if (v[j] < v[x[i]]) {
            int j1 = x[i];
            x[i] = j;
            y[j] = i;
            y[j1] = -1;
        } else {
            y[j] = -1;
        }
    }
    /* Reduction transfer. */
    int nfree = 0;
    for (int i = 0; i < n; i++) {
        if (matches[i] == 0) {
            freerows[nfree++] = i;
        } else if (matches[i] == 1) {
            int j1 = x[i];
            const double *ci = c + (size_t)i * n;
            double mn = INFINITY;
            for (int j = 0; j < n; j++)
                if (j != j1 && ci[j] - v[j] < mn) mn = ci[j] - v[j];
            if (isfinite(mn)) v[j1] -= mn;
        }
    }
    /* Augmenting row reduction, two rounds. A row displaced with a strict improvement is
     * handled again at once; the number of such steps is capped to keep the phase cheap. */
    for (int round = 0; round < 2 && nfree > 0; round++) {
        int k = 0, prev = nfree;
        long budget = 8L * n + 100;
        nfree = 0;
        while (k < prev) {
            int i = freerows[k++];
            const double *ci = c + (size_t)i * n;
            double umin = ci[0] - v[0], usub = INFINITY;
            int j1 = 0, j2 = -1;
            for (int j = 1; j < n; j++) {
                double h = ci[j] - v[j];
                if (h < usub) {
                    if (h >= umin) {
                        usub = h;
                        j2 = j;
                    } else {
                        usub = umin;
                        umin = h;
                        j2 = j1;
                        j1 = j;
                    }
                }
            }
            int i0 = y[j1];
            int strict = umin < usub;
            if (strict)
                v[j1] -= usub - umin;
            else if (i0 >= 0 && j2 >= 0) {
                j1 = j2;
                i0 = y[j1];
            }
            if (i0 >= 0) x[i0] = -1;
            x[i] = j1;
            y[j1] = i;
            if (i0 >= 0) {
                if (strict && --budget > 0)
                    freerows[--k] = i0;
                else
                    freerows[nfree++] = i0;
            }
        }
    }
    return nfree;
}

/* Shortest augmenting path from free row f (JV augmentation). Returns 0 on success, 1 when no
 * augmenting path exists (infeasible). d, pred, cols: m entries of scratch. */
static int jv_augment(int m, const double *c, int f, int *x, int *y, double *v, double *d,
                      int *pred, int *cols)
{
    const double *cf = c + (size_t)f * m;
    for (int j = 0; j < m; j++) {
        double cc = cf[j];
        d[j] = isfinite(cc) ? cc - v[j] : INFINITY;
        pred[j] = f;
        cols[j] = j;
    }
    int low = 0, up = 0, last = -1, end = -1;
    double mn = 0;
    for (;;) {
        if (up == low) {
            /* Collect the columns at the next smallest distance into cols[low..up). */
            last = low - 1;
            mn = d[cols[up++]];
            for (int k = up; k < m; k++) {
                int j = cols[k];
                double h = d[j];
                if (h <= mn) {
                    if (h < mn) {
                        up = low;
                        mn = h;
                    }
                    cols[k] = cols[up];
                    cols[up++] = j;
                }
            }
            if (!isfinite(mn)) return 1;
            for (int k = low; k < up; k++)
                if (y[cols[k]] < 0) {
                    end = cols[k];
                    break;
                }
            if (end >= 0) break;
        }
        /* Scan one column at distance mn: relax through its row. */
        int j1 = cols[low++];
        int i = y[j1];
        const double *ci = c + (size_t)i * m;
        double h = ci[j1] - v[j1] - mn;
        for (int k = up; k < m; k++) {
            int j = cols[k];
            double cc = ci[j];
            if (!isfinite(cc)) continue;
            double v2 = cc - v[j] - h;
            if (v2 < d[j]) {
                pred[j] = i;
                if (v2 == mn) {
                    if (y[j] < 0) {
                        end = j;
                        break;
                    }
                    cols[k] = cols[up];
                    cols[up++] = j;
                }
                d[j] = v2;
            }
        }
        if (end >= 0) break;
    }
    /* Update the potentials of the scanned columns, then flip the path. */
    for (int k = 0; k <= last; k++) {
        int j = cols[k];
        v[j] += d[j] - mn;
    }
    for (;;) {
        int i = pred[end];
        y[end] = i;
        int j1 = x[i];
        x[i] = end;
        end = j1;
        if (i == f) break;
    }
    return 0;
}

int pj_assign_solve(const pj_assign *p, const pj_algo_opts *opts, pj_assign_sol *sol)
{
    double t0 = pj_algo_now();
    memset(sol, 0, sizeof *sol);
    sol->status = PJ_ASSIGN_EINVAL;
    if (!p || p->n < 0 || p->m < 0 || p->n > p->m || (p->n > 0 && !p->cost)) return sol->status;
    int n = p->n, m = p->m;
    const double *c = p->cost;
    sol->n = n;
    sol->m = m;
    double tlim = opts && opts->time_limit_s > 0 ? opts->time_limit_s : 0;

    sol->row_to_col = malloc(sizeof(int) * (size_t)(n ? n : 1));
    sol->col_to_row = malloc(sizeof(int) * (size_t)(m ? m : 1));
    sol->u = malloc(sizeof(double) * (size_t)(n ? n : 1));
    sol->v = calloc((size_t)(m ? m : 1), sizeof(double));
    double *d = malloc(sizeof(double) * (size_t)(m ? m : 1));
    int *pred = malloc(sizeof(int) * (size_t)(m ? m : 1));
    int *cols = malloc(sizeof(int) * (size_t)(m ? m : 1));
    int *freerows = malloc(sizeof(int) * (size_t)(n ? n : 1));
    if (!sol->row_to_col || !sol->col_to_row || !sol->u || !sol->v || !d || !pred || !cols ||
        !freerows) {
        free(d);
        free(pred);
        free(cols);
        free(freerows);
        pj_assign_sol_free(sol);
        sol->status = PJ_ASSIGN_ENOMEM;
        return sol->status;
    }
    int *x = sol->row_to_col, *y = sol->col_to_row;
    double *v = sol->v;

    int all_finite = 1;
    for (size_t k = 0, nm = (size_t)n * (size_t)m; k < nm && all_finite; k++)
        if (!isfinite(c[k])) all_finite = 0;

    int nfree;
    if (n == m && n > 1 && all_finite) {
        /* matches and imin reuse pred and cols as scratch. */
        nfree = jv_init(n, c, x, y, v, freerows, pred, cols);
    } else {
        for (int i = 0; i < n; i++) {
            x[i] = -1;
            freerows[i] = i;
        }
        for (int j = 0; j < m; j++) y[j] = -1;
        nfree = n;
    }
    /* Rows displaced by the row reduction have x[i] pointing nowhere valid: clear them. */
    for (int f = 0; f < nfree; f++) x[freerows[f]] = -1;

    int status = PJ_ASSIGN_OK;
    for (int f = 0; f < nfree; f++) {
        if ((f & 15) == 15 &&
            ((tlim > 0 && pj_algo_now() - t0 > tlim) || pj_algo_cancelled(opts))) {
            status = PJ_ASSIGN_TIME_LIMIT;
            sol->stats.time_limit_hit = sol->stats.clock_limited = 1;
            break;
        }
        if (jv_augment(m, c, freerows[f], x, y, v, d, pred, cols)) {
            status = PJ_ASSIGN_INFEASIBLE;
            break;
        }
    }
    free(d);
    free(pred);
    free(cols);
    free(freerows);

    /* Cost of the (possibly partial) assignment. */
    double cost = 0;
    for (int i = 0; i < n; i++)
        if (x[i] >= 0) cost += c[(size_t)i * m + x[i]];
    sol->cost = cost;
    sol->stats.objective = cost;

    /* Dual certificate, computed independently of the search: v <= 0 (needed when n < m),
     * u[i] = min_j c[i][j] - v[j]; then sum(u) + sum(v) is a valid lower bound. */
    double lb = 0, vmax = 0;
    for (int j = 0; j < m; j++)
        if (v[j] > vmax) vmax = v[j];
    for (int j = 0; j < m; j++) {
        /* Square: the column constraints are equalities, so shifting every v by vmax (and u
         * by -vmax, below) changes nothing. Rectangular: v > 0 would be infeasible; clamp. */
        if (n == m)
            v[j] -= vmax;
        else if (v[j] > 0)
            v[j] = 0;
        lb += v[j];
    }
    for (int i = 0; i < n; i++) {
        const double *ci = c + (size_t)i * m;
        double mn = INFINITY;
        for (int j = 0; j < m; j++)
            if (isfinite(ci[j]) && ci[j] - v[j] < mn) mn = ci[j] - v[j];
        sol->u[i] = mn;
        lb += mn;
    }
    sol->stats.lower_bound = status == PJ_ASSIGN_OK ? lb : -INFINITY;
    if (status == PJ_ASSIGN_OK) {
        double tol = 1e-9 * (1 + fabs(cost));
        sol->stats.optimal = cost - lb <= tol;
        if (sol->stats.optimal && lb > cost) sol->stats.lower_bound = cost;
    }
    sol->stats.time_s = pj_algo_now() - t0;
    pj_algo_stats_finish(&sol->stats);
    sol->status = status;
    return status;
}

/* ---- OR-Library reader ---- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Next whitespace-separated token of f into tok (size cap); 0 at end of file, -1 too long. */
static int next_token(FILE *f, char *tok, size_t cap)
{
    int ch;
    do ch = getc(f);
    while (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v');
    if (ch == EOF) return 0;
    size_t len = 0;
    while (ch != EOF &&
           !(ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v')) {
        if (len + 1 >= cap) return -1;
        tok[len++] = (char)ch;
        ch = getc(f);
    }
    tok[len] = 0;
    return 1;
}

int pj_assign_read_orlib(const char *path, int *n, double **cost, char *err, size_t errlen)
{
    *cost = NULL;
    *n = 0;
    set_err(err, errlen, "ok");
    FILE *f = fopen(path, "r");
    if (!f) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char tok[64];
    int r = next_token(f, tok, sizeof tok);
    if (r <= 0) {
        set_err(err, errlen, "%s: %s", path, r == 0 ? "empty file" : "bad size token");
        fclose(f);
        return -1;
    }
    char *end;
    errno = 0;
    long nn = strtol(tok, &end, 10);
    if (errno || *end || nn <= 0 || nn > 20000) {
        set_err(err, errlen, "%s: bad size \"%s\" (want an integer in 1..20000)", path, tok);
        fclose(f);
        return -1;
    }
    size_t total = (size_t)nn * (size_t)nn;
    double *c = malloc(sizeof(double) * total);
    if (!c) {
        set_err(err, errlen, "%s: out of memory for n=%ld", path, nn);
        fclose(f);
        return -1;
    }
    for (size_t k = 0; k < total; k++) {
        r = next_token(f, tok, sizeof tok);
        if (r == 0) {
            set_err(err, errlen, "%s: truncated: %zu of %zu costs", path, k, total);
            goto fail;
        }
        errno = 0;
        double val = r > 0 ? strtod(tok, &end) : 0;
        if (r < 0 || errno || *end || !isfinite(val)) {
            set_err(err, errlen, "%s: bad cost token #%zu", path, k + 1);
            goto fail;
        }
        c[k] = val;
    }
    r = next_token(f, tok, sizeof tok);
    if (r != 0) {
        set_err(err, errlen, "%s: trailing data after %zu costs", path, total);
        goto fail;
    }
    fclose(f);
    *n = (int)nn;
    *cost = c;
    return 0;
fail:
    free(c);
    fclose(f);
    return -1;
}
