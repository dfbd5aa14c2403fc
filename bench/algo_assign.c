/* Benchmark: pj_assign (Jonker-Volgenant) on the OR-Library assign instances, against GLPK
 * (glp_simplex on the LP, and GLPK's own assignment code glp_asnprob_okalg) and CBC (the same LP
 * through Cbc_C_Interface) in the same run. Checks every cost against assignopt.txt.
 * Usage: algo_assign [--quick] [--dir BENCHMARKS] [--glpk-limit SECONDS]
 *   --quick: assign100 and assign500 only, GLPK simplex limited to 20 s. */
#include <coin/Cbc_C_Interface.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/assign.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double opt_value(const char *dir, const char *name)
{
    char path[600], line[256];
    snprintf(path, sizeof path, "%s/assignment/orlib_assign/assignopt.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f) return NAN;
    double v = NAN;
    while (fgets(line, sizeof line, f)) {
        char nm[64];
        double x;
        if (sscanf(line, "%63s %lf", nm, &x) == 2 && strcmp(nm, name) == 0) v = x;
    }
    fclose(f);
    return v;
}

/* The LP: x_ij >= 0, sum_j x_ij = 1 (rows 1..n), sum_i x_ij = 1 (rows n+1..2n). */
static double run_glpk_lp(int n, const double *c, double limit_s, double *obj, int *ok)
{
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, 2 * n);
    for (int r = 1; r <= 2 * n; r++) glp_set_row_bnds(lp, r, GLP_FX, 1, 1);
    int nz = 2 * n * n;
    glp_add_cols(lp, n * n);
    int *ia = malloc(sizeof(int) * (size_t)(nz + 1)), *ja = malloc(sizeof(int) * (size_t)(nz + 1));
    double *ar = malloc(sizeof(double) * (size_t)(nz + 1));
    int k = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int col = i * n + j + 1;
            glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
            glp_set_obj_coef(lp, col, c[i * n + j]);
            k++, ia[k] = i + 1, ja[k] = col, ar[k] = 1;
            k++, ia[k] = n + j + 1, ja[k] = col, ar[k] = 1;
        }
    glp_load_matrix(lp, k, ia, ja, ar);
    free(ia);
    free(ja);
    free(ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.tm_lim = (int)(limit_s * 1000);
    double t0 = pj_algo_now();
    int rc = glp_simplex(lp, &parm);
    double t = pj_algo_now() - t0;
    *ok = rc == 0 && glp_get_status(lp) == GLP_OPT;
    *obj = glp_get_obj_val(lp);
    glp_delete_prob(lp);
    return t;
}

/* GLPK's out-of-kilter assignment solver on the complete bipartite graph. */
static double run_glpk_okalg(int n, const double *c, double *obj, int *ok)
{
    typedef struct {
        int set;
    } vdata;
    typedef struct {
        double cost;
    } adata;
    glp_graph *g = glp_create_graph(sizeof(vdata), sizeof(adata));
    glp_add_vertices(g, 2 * n);
    for (int v = 1; v <= 2 * n; v++) ((vdata *)g->v[v]->data)->set = v <= n ? 0 : 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            glp_arc *a = glp_add_arc(g, i + 1, n + j + 1);
            ((adata *)a->data)->cost = c[i * n + j];
        }
    double t0 = pj_algo_now();
    int rc = glp_asnprob_okalg(GLP_ASN_MIN, g, 0, 0, obj, -1);
    double t = pj_algo_now() - t0;
    *ok = rc == 0;
    glp_delete_graph(g);
    return t;
}

static double run_cbc(int n, const double *c, double *obj, int *ok)
{
    int nc = n * n;
    CoinBigIndex *start = malloc(sizeof(CoinBigIndex) * (size_t)(nc + 1));
    int *index = malloc(sizeof(int) * (size_t)(2 * nc));
    double *value = malloc(sizeof(double) * (size_t)(2 * nc));
    double *lb = calloc((size_t)nc, sizeof(double)), *ub = malloc(sizeof(double) * (size_t)nc);
    double *rl = malloc(sizeof(double) * (size_t)(2 * n)),
           *ru = malloc(sizeof(double) * (size_t)(2 * n));
    for (int col = 0; col < nc; col++) {
        start[col] = 2 * col;
        index[2 * col] = col / n;
        index[2 * col + 1] = n + col % n;
        value[2 * col] = value[2 * col + 1] = 1;
        ub[col] = 1;
    }
    start[nc] = 2 * nc;
    for (int r = 0; r < 2 * n; r++) rl[r] = ru[r] = 1;
    Cbc_Model *m = Cbc_newModel();
    Cbc_setLogLevel(m, 0);
    double t0 = pj_algo_now();
    Cbc_loadProblem(m, nc, 2 * n, start, index, value, lb, ub, c, rl, ru);
    Cbc_solve(m);
    double t = pj_algo_now() - t0;
    *ok = Cbc_isProvenOptimal(m);
    *obj = Cbc_getObjValue(m);
    Cbc_deleteModel(m);
    free(start);
    free(index);
    free(value);
    free(lb);
    free(ub);
    free(rl);
    free(ru);
    return t;
}

int main(int argc, char **argv)
{
    int quick = 0;
    const char *dir = getenv("PJ_BENCHMARKS");
    if (!dir || !*dir) dir = "../shared/benchmarks";
    double glpk_limit = 300;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick"))
            quick = 1;
        else if (!strcmp(argv[a], "--dir") && a + 1 < argc)
            dir = argv[++a];
        else if (!strcmp(argv[a], "--glpk-limit") && a + 1 < argc)
            glpk_limit = strtod(argv[++a], NULL);
        else {
            fprintf(stderr, "usage: %s [--quick] [--dir BENCHMARKS] [--glpk-limit S]\n", argv[0]);
            return 2;
        }
    }
    if (quick && glpk_limit > 20) glpk_limit = 20;
    glp_term_out(GLP_OFF);
    const char *names[] = {"assign100", "assign500", "assign600", "assign700"};
    int count = quick ? 2 : 4, reps = quick ? 5 : 11, failures = 0;
    printf("pj_assign (JV) vs GLPK %s (glp_simplex LP, glp_asnprob_okalg) vs CBC %s (LP)\n",
           glp_version(), Cbc_getVersion());
    printf("ours = median of %d solves; GLPK/CBC one solve each (model building excluded "
           "except CBC load)\n",
           reps);
    printf("%-10s %5s %6s | %8s %9s %4s | %11s %9s | %10s %8s | %9s %8s\n", "instance", "n", "opt",
           "ours", "ours_s", "opt?", "glpk_lp_s", "ratio", "glpk_ok_s", "ratio", "cbc_s", "ratio");
    for (int k = 0; k < count; k++) {
        char path[600], err[256];
        snprintf(path, sizeof path, "%s/assignment/orlib_assign/%s.txt", dir, names[k]);
        int n;
        double *c;
        if (pj_assign_read_orlib(path, &n, &c, err, sizeof err)) {
            printf("%-10s read error: %s\n", names[k], err);
            failures++;
            continue;
        }
        double opt = opt_value(dir, names[k]);
        pj_assign p = {n, n, c};
        double times[16], cost = NAN;
        int proven = 1;
        for (int r = 0; r < reps; r++) {
            pj_assign_sol s;
            pj_assign_solve(&p, NULL, &s);
            times[r] = s.stats.time_s;
            cost = s.cost;
            proven &= s.status == PJ_ASSIGN_OK && s.stats.optimal && s.stats.lower_bound == s.cost;
            pj_assign_sol_free(&s);
        }
        qsort(times, (size_t)reps, sizeof(double), cmp_double);
        double ours = times[reps / 2];
        if (cost != opt || !proven) failures++;
        double lp_obj, ok_obj, cbc_obj;
        int lp_ok, ok_ok, cbc_ok;
        double t_lp = run_glpk_lp(n, c, glpk_limit, &lp_obj, &lp_ok);
        double t_ok = run_glpk_okalg(n, c, &ok_obj, &ok_ok);
        double t_cbc = run_cbc(n, c, &cbc_obj, &cbc_ok);
        char lp_s[32];
        if (lp_ok)
            snprintf(lp_s, sizeof lp_s, "%.3f", t_lp);
        else
            snprintf(lp_s, sizeof lp_s, ">%.0f", glpk_limit);
        printf("%-10s %5d %6.0f | %8.0f %9.5f %4s | %11s %8.0fx | %10.3f %7.0fx | %9.3f %7.0fx\n",
               names[k], n, opt, cost, ours, proven && cost == opt ? "yes" : "NO", lp_s,
               t_lp / ours, t_ok, t_ok / ours, t_cbc, t_cbc / ours);
        if ((lp_ok && lp_obj != opt) || (ok_ok && ok_obj != opt) || (cbc_ok && cbc_obj != opt)) {
            printf("  reference mismatch: glpk lp %.1f (ok=%d), okalg %.1f, cbc %.1f (ok=%d)\n",
                   lp_obj, lp_ok, ok_obj, cbc_obj, cbc_ok);
            failures++;
        }
        free(c);
    }
    printf("%s\n", failures ? "FAILED" : "all optimal values matched");
    return failures ? 1 : 0;
}
