/* Benchmark of the CFLP solvers (src/algo/cflp*.c) on the public sets in
 * ../shared/benchmarks/cflp, with GLPK and CBC on the same strong model for a named subset.
 *
 * Usage: build/rel/bench/algo_cflp [--quick] [--time-limit S] [--solver-limit S]
 *                                  [--set cap|capabc|holmberg|yang|district|ref]...
 *                                  [--dir BENCHMARKS_DIR] [--seed N] [--repeat N]
 *   --quick          a short subset of every set
 *   --time-limit S   time limit of the GLPK / CBC references (default 10)
 *   --solver-limit S time limit of our solver for every set (default: the set's target time:
 *                    cap 0.2 s, capabc 5 s, holmberg 2 s, yang 10 s, district 1.8 s = the
 *                    location's share (0.6) of a 3 s plan; references 10 s)
 *   --set NAME       run only the named set(s); "ref" = only the reference comparison
 *   --repeat N       solve every instance N times: median time, worst objective */
#include "algo/cflp.h"
#include "algo/cflp_io.h"

#include <coin/Cbc_C_Interface.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct inst_ref {
    char name[40];
    char set[16];
    char path[600];
    double cap;     /* capacity override (capa/b/c) */
    double opt;     /* published optimum, NAN when unknown */
    int kind;       /* pj_cflp_kind */
    int district;   /* generated instance seed (0 = file) */
    int district_n; /* customers */
    int district_m; /* sites */
} inst_ref;

static double g_ref_limit = 10, g_solver_limit = 0; /* 0: per-set target times */

/* The time limit our solver gets on a set: --solver-limit, else the set's target time. */
static double set_limit(const char *set)
{
    if (g_solver_limit > 0) return g_solver_limit;
    if (!strcmp(set, "cap")) return 0.2;
    if (!strcmp(set, "capabc")) return 5;
    if (!strcmp(set, "holmberg")) return 2;
    if (!strcmp(set, "district")) return 1.8;
    return 10;
}
static unsigned long long g_seed = 1;
static int g_repeat = 1;

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int k)
{
    if (k <= 0) return NAN;
    qsort(v, (size_t)k, sizeof(double), cmp_dbl);
    return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

/* Published optimum from bounds_lb_ub.tsv ("name LB UB"). */
static double tsv_opt(const char *dir, const char *name)
{
    char path[600], line[256];
    snprintf(path, sizeof path, "%s/cflp/orlib_cap/bounds_lb_ub.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return NAN;
    double v = NAN;
    while (fgets(line, sizeof line, f)) {
        char nm[64];
        double lb, ub;
        if (sscanf(line, "%63s %lf %lf", nm, &lb, &ub) == 3 && strcmp(nm, name) == 0) {
            v = ub;
            break;
        }
    }
    fclose(f);
    return v;
}

/* Synthetic district instance: m sites, n customers on a 20 km square, cost = demand *
 * distance, capacities ~ 3 x average share, fixed costs ~ site size. */
static int make_district(pj_cflp *p, int m, int n, unsigned long long seed)
{
    if (pj_cflp_init(p, m, n) != 0) return -1;
    uint64_t st = seed * 7919 + 17;
    double *sx = malloc(sizeof(double) * (size_t)(m + n)),
           *sy = malloc(sizeof(double) * (size_t)(m + n));
    if (!sx || !sy) {
        free(sx);
        free(sy);
        return -1;
    }
    double D = 0;
    for (int j = 0; j < n; j++) {
        p->demand[j] = 5 + pj_rng_below(&st, 46);
        D += p->demand[j];
    }
    for (int k = 0; k < m + n; k++) {
        sx[k] = 20 * pj_rng_unit(&st);
        sy[k] = 20 * pj_rng_unit(&st);
    }
    for (int i = 0; i < m; i++) {
        p->capacity[i] = floor(D / 25 * (0.5 + pj_rng_unit(&st)));
        p->fixed_cost[i] = floor(p->capacity[i] * (8 + 8 * pj_rng_unit(&st)));
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double dx = sx[i] - sx[m + j], dy = sy[i] - sy[m + j];
            double dist = sqrt(dx * dx + dy * dy);
            p->cost[(size_t)i * n + j] = dist > 8 ? INFINITY : floor(p->demand[j] * dist * 10);
        }
    free(sx);
    free(sy);
    return 0;
}

static int load(const inst_ref *r, pj_cflp *p, char *err, size_t errlen)
{
    if (r->district) return make_district(p, r->district_m, r->district_n, (unsigned)r->district);
    if (r->kind == PJ_CFLP_MULTI) return pj_cflp_read_orlib(r->path, r->cap, p, err, errlen);
    return pj_cflp_read_sscflp(r->path, p, err, errlen);
}

/* --------------------------------------------------------------------------- CBC */

/* Strong model in CBC; returns objective (INFINITY none), *optimal, *secs, *bound. */
static double cbc_solve(const pj_cflp *p, int kind, double limit, int *optimal, double *secs,
                        double *bound)
{
    double t0 = pj_algo_now();
    int m = p->m, n = p->n;
    size_t mn = (size_t)m * n;
    int nx = 0;
    int *col = malloc(mn * sizeof(int));
    for (size_t k = 0; k < mn; k++) col[k] = isfinite(p->cost[k]) ? m + nx++ : -1;
    int ncols = m + nx, nrows = n + m + nx + 1;
    size_t nnz = (size_t)nx * 4 + (size_t)m * 2;
    CoinBigIndex *start = malloc(((size_t)ncols + 1) * sizeof(CoinBigIndex));
    int *idx = malloc(nnz * sizeof(int));
    double *val = malloc(nnz * sizeof(double));
    double *clb = calloc((size_t)ncols, sizeof(double)),
           *cub = malloc((size_t)ncols * sizeof(double));
    double *obj = malloc((size_t)ncols * sizeof(double));
    double *rlb = malloc((size_t)nrows * sizeof(double)),
           *rub = malloc((size_t)nrows * sizeof(double));
    size_t e = 0;
    for (int i = 0; i < m; i++) {
        start[i] = (CoinBigIndex)e;
        idx[e] = n + i, val[e++] = -p->capacity[i];
        for (int j = 0; j < n; j++) {
            int c = col[(size_t)i * n + j];
            if (c >= 0) idx[e] = n + m + (c - m), val[e++] = -1;
        }
        idx[e] = n + m + nx, val[e++] = p->capacity[i];
        cub[i] = 1;
        obj[i] = p->fixed_cost[i];
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            int c = col[(size_t)i * n + j];
            if (c < 0) continue;
            start[c] = (CoinBigIndex)e;
            idx[e] = j, val[e++] = 1;
            idx[e] = n + i, val[e++] = p->demand[j];
            idx[e] = n + m + (c - m), val[e++] = 1;
            cub[c] = 1;
            obj[c] = p->cost[(size_t)i * n + j];
        }
    start[ncols] = (CoinBigIndex)e;
    for (int j = 0; j < n; j++) rlb[j] = rub[j] = 1;
    for (int r = n; r < n + m + nx; r++) rlb[r] = -DBL_MAX, rub[r] = 0;
    rlb[nrows - 1] = pj_cflp_total_demand(p);
    rub[nrows - 1] = DBL_MAX;
    Cbc_Model *model = Cbc_newModel();
    Cbc_loadProblem(model, ncols, nrows, start, idx, val, clb, cub, obj, rlb, rub);
    for (int i = 0; i < m; i++) Cbc_setInteger(model, i);
    if (kind == PJ_CFLP_SINGLE)
        for (int c = m; c < ncols; c++) Cbc_setInteger(model, c);
    Cbc_setLogLevel(model, 0);
    Cbc_setMaximumSeconds(model, limit);
    Cbc_solve(model);
    double z = INFINITY;
    const double *sol = Cbc_getColSolution(model);
    if (sol && (Cbc_isProvenOptimal(model) || Cbc_getObjValue(model) < 1e40)) {
        z = Cbc_getObjValue(model);
        if (z > 1e40) z = INFINITY;
    }
    *optimal = Cbc_isProvenOptimal(model);
    *bound = Cbc_getBestPossibleObjValue(model);
    Cbc_deleteModel(model);
    free(col);
    free(start);
    free(idx);
    free(val);
    free(clb);
    free(cub);
    free(obj);
    free(rlb);
    free(rub);
    *secs = pj_algo_now() - t0;
    return z;
}

/* --------------------------------------------------------------------------- runs */

typedef struct set_stats {
    char set[16];
    int count, ok, matched, optimal;
    double sum_gap, max_gap, max_time;
    double times[128];
} set_stats;

static set_stats g_sets[8];
static int g_nsets;

static set_stats *stats_for(const char *set)
{
    for (int k = 0; k < g_nsets; k++)
        if (strcmp(g_sets[k].set, set) == 0) return &g_sets[k];
    set_stats *s = &g_sets[g_nsets++];
    memset(s, 0, sizeof *s);
    snprintf(s->set, sizeof s->set, "%s", set);
    return s;
}

/* Solves r g_repeat times; reports the median time and the worst gap of the runs (they
 * differ only when the clock, not the work budget, cuts the search). */
static void run_one(const inst_ref *r)
{
    pj_cflp p;
    char err[256] = "";
    if (load(r, &p, err, sizeof err) != 0) {
        printf("%-12s LOAD ERROR %s\n", r->name, err);
        return;
    }
    pj_algo_opts o = {0};
    o.time_limit_s = set_limit(r->set);
    o.seed = g_seed;
    if (!strcmp(r->set, "district")) {
        /* as the plan runs it: 1.8 s of work, the clock a sixth later (src/domain/plan.c) */
        o.work_s = o.time_limit_s;
        o.time_limit_s *= 7.0 / 6;
    }
    double times[64], gaps[64], obj = NAN, worst = -INFINITY, lbgap = NAN;
    int valid = 1, optimal = 1, mip = 0, hit = 0, reps = g_repeat;
    for (int k = 0; k < reps; k++) {
        pj_cflp_result res;
        pj_cflp_solve(&p, (pj_cflp_kind)r->kind, &o, &res);
        double z = NAN;
        int ok = res.status == PJ_CFLP_OK &&
                 pj_cflp_result_check(&res, &p, 1e-6, &z, err, sizeof err) == 0;
        if (!ok) {
            valid = 0;
            printf("    (%s; %s)\n", res.message, err);
        }
        times[k] = res.stats.time_s;
        gaps[k] = ok ? res.stats.gap : NAN;
        if (ok && z > worst) worst = z, obj = z, lbgap = res.stats.gap;
        optimal &= res.stats.optimal;
        mip |= res.mip_used;
        hit |= res.stats.time_limit_hit;
        pj_cflp_result_free(&res);
    }
    double tmed = median(times, reps), tmax = times[reps - 1]; /* median() sorts */
    set_stats *s = stats_for(r->set);
    s->count++;
    if (s->count <= 128) s->times[s->count - 1] = tmed;
    if (tmax > s->max_time) s->max_time = tmax;
    double gap = NAN;
    if (valid) {
        s->ok++;
        if (optimal) s->optimal++;
        if (isfinite(r->opt)) {
            gap = (obj - r->opt) / r->opt;
            if (fabs(obj - r->opt) <= 1e-3 + 1e-9 * r->opt) s->matched++;
        } else {
            gap = lbgap;
        }
        s->sum_gap += gap;
        if (gap > s->max_gap) s->max_gap = gap;
    }
    char tm[48];
    if (reps > 1)
        snprintf(tm, sizeof tm, "%7.3fs (max %.3fs)", tmed, tmax);
    else
        snprintf(tm, sizeof tm, "%7.3fs", tmed);
    printf("%-12s %-6s %4dx%-5d obj %14.3f  best %14.3f  gap %8.4f%%  lbgap %7.4f%%  %s "
           "%s%s%s%s\n",
           r->name, r->kind ? "single" : "multi", p.m, p.n, valid ? obj : NAN, r->opt, 100 * gap,
           100 * lbgap, tm, optimal ? "opt" : "   ", mip ? " mip" : "", hit ? " limit" : "",
           valid ? "" : " INVALID");
    if (reps > 1) { /* every run's gap against its own bound, in run order */
        printf("%-12s lbgap of each run:", "");
        for (int k = 0; k < reps; k++) printf(" %.4f%%", 100 * gaps[k]);
        printf("\n");
    }
    fflush(stdout);
    pj_cflp_free(&p);
}

static void run_ref(const inst_ref *r)
{
    pj_cflp p;
    char err[256] = "";
    if (load(r, &p, err, sizeof err) != 0) {
        printf("%-12s LOAD ERROR %s\n", r->name, err);
        return;
    }
    pj_algo_opts o = {0};
    o.time_limit_s = g_solver_limit > 0 ? g_solver_limit : 10;
    o.seed = g_seed;
    pj_cflp_result ours, glpk;
    pj_cflp_solve(&p, (pj_cflp_kind)r->kind, &o, &ours);
    pj_algo_opts ro = {0};
    ro.time_limit_s = g_ref_limit;
    pj_cflp_mip_glpk(&p, (pj_cflp_kind)r->kind, &ro, NULL, &glpk);
    int cbc_opt = 0;
    double cbc_t = 0, cbc_bound = NAN;
    double cbc_z = cbc_solve(&p, r->kind, g_ref_limit, &cbc_opt, &cbc_t, &cbc_bound);
    double oz = ours.status == PJ_CFLP_OK ? ours.stats.objective : INFINITY;
    double gz = glpk.status == PJ_CFLP_OK ? glpk.stats.objective : INFINITY;
    printf("%-12s ours  %14.3f %8.3fs %s | glpk %14.3f %8.3fs %s | cbc %14.3f %8.3fs %s\n", r->name,
           oz, ours.stats.time_s, ours.stats.optimal ? "opt" : "   ", gz, glpk.stats.time_s,
           glpk.stats.optimal ? "opt" : "   ", cbc_z, cbc_t, cbc_opt ? "opt" : "   ");
    /* objective ratio only when both found a solution (printed as n/a otherwise) */
    char rg[32] = "n/a", rc[32] = "n/a";
    if (isfinite(oz) && isfinite(gz)) snprintf(rg, sizeof rg, "%.6f", oz / gz);
    if (isfinite(oz) && isfinite(cbc_z)) snprintf(rc, sizeof rc, "%.6f", oz / cbc_z);
    printf("%-12s ratios  time glpk/ours %7.1fx  cbc/ours %7.1fx | objective ours/glpk %s  "
           "ours/cbc %s | cbc bound %.3f\n",
           "", glpk.stats.time_s / ours.stats.time_s, cbc_t / ours.stats.time_s, rg, rc, cbc_bound);
    fflush(stdout);
    pj_cflp_result_free(&ours);
    pj_cflp_result_free(&glpk);
    pj_cflp_free(&p);
}

static int want(const char **sets, int nsets, const char *set)
{
    if (!nsets) return 1;
    for (int k = 0; k < nsets; k++)
        if (strcmp(sets[k], set) == 0) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = getenv("PJ_BENCHMARKS");
    if (!dir || !*dir) dir = "../shared/benchmarks";
    int quick = 0, nsets = 0;
    const char *sets[8];
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick")) {
            quick = 1;
        } else if (!strcmp(argv[a], "--time-limit") && a + 1 < argc) {
            g_ref_limit = strtod(argv[++a], NULL);
        } else if (!strcmp(argv[a], "--solver-limit") && a + 1 < argc) {
            g_solver_limit = strtod(argv[++a], NULL);
        } else if (!strcmp(argv[a], "--dir") && a + 1 < argc) {
            dir = argv[++a];
        } else if (!strcmp(argv[a], "--repeat") && a + 1 < argc) {
            g_repeat = atoi(argv[++a]);
            if (g_repeat < 1) g_repeat = 1;
            if (g_repeat > 64) g_repeat = 64;
        } else if (!strcmp(argv[a], "--seed") && a + 1 < argc) {
            g_seed = strtoull(argv[++a], NULL, 10);
        } else if (!strcmp(argv[a], "--set") && a + 1 < argc && nsets < 8) {
            sets[nsets++] = argv[++a];
        } else {
            fprintf(stderr,
                    "usage: %s [--quick] [--time-limit S] [--solver-limit S] [--set NAME]... "
                    "[--dir DIR] [--seed N] [--repeat N]\n",
                    argv[0]);
            return 2;
        }
    }
    static inst_ref list[256];
    int k = 0;
    static const char *caps[] = {
        "cap41",  "cap42",  "cap43",  "cap44",  "cap51",  "cap61",  "cap62",  "cap63",
        "cap64",  "cap71",  "cap72",  "cap73",  "cap74",  "cap81",  "cap82",  "cap83",
        "cap84",  "cap91",  "cap92",  "cap93",  "cap94",  "cap101", "cap102", "cap103",
        "cap104", "cap111", "cap112", "cap113", "cap114", "cap121", "cap122", "cap123",
        "cap124", "cap131", "cap132", "cap133", "cap134"};
    for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
        if (quick && strcmp(caps[c], "cap41") && strcmp(caps[c], "cap71") &&
            strcmp(caps[c], "cap101") && strcmp(caps[c], "cap131"))
            continue;
        inst_ref *r = &list[k++];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", caps[c]);
        snprintf(r->set, sizeof r->set, "cap");
        snprintf(r->path, sizeof r->path, "%s/cflp/orlib_cap/%s.txt", dir, caps[c]);
        r->opt = tsv_opt(dir, caps[c]);
        r->kind = PJ_CFLP_MULTI;
    }
    static const struct {
        const char *f;
        double cap[4];
    } abc[] = {{"capa", {8000, 10000, 12000, 14000}},
               {"capb", {5000, 6000, 7000, 8000}},
               {"capc", {5000, 5750, 6500, 7250}}};
    for (int f = 0; f < 3; f++)
        for (int c = 0; c < 4; c++) {
            if (quick && c != 0) continue;
            inst_ref *r = &list[k++];
            memset(r, 0, sizeof *r);
            snprintf(r->name, sizeof r->name, "%s_%.0f", abc[f].f, abc[f].cap[c]);
            snprintf(r->set, sizeof r->set, "capabc");
            snprintf(r->path, sizeof r->path, "%s/cflp/orlib_cap/%s.txt", dir, abc[f].f);
            r->cap = abc[f].cap[c];
            r->opt = tsv_opt(dir, r->name);
            r->kind = PJ_CFLP_MULTI;
        }
    static const char *ssdirs[2] = {"sscflp_holmberg", "sscflp_yang"};
    static const char *ssset[2] = {"holmberg", "yang"};
    for (int s = 0; s < 2; s++) {
        double os[128];
        char path[600], err[256];
        snprintf(path, sizeof path, "%s/cflp/%s/os", dir, ssdirs[s]);
        int cnt = pj_cflp_read_values(path, os, 128, err, sizeof err);
        if (cnt < 0) {
            fprintf(stderr, "%s\n", err);
            cnt = 0;
        }
        for (int q = 1; q <= cnt; q++) {
            if (quick && (s == 0 ? (q != 1 && q != 25 && q != 50 && q != 71)
                                 : (q != 1 && q != 11 && q != 20)))
                continue;
            inst_ref *r = &list[k++];
            memset(r, 0, sizeof *r);
            snprintf(r->name, sizeof r->name, "%c-p%d", s ? 'Y' : 'H', q);
            snprintf(r->set, sizeof r->set, "%s", ssset[s]);
            snprintf(r->path, sizeof r->path, "%s/cflp/%s/p%d", dir, ssdirs[s], q);
            r->opt = os[q - 1];
            r->kind = PJ_CFLP_SINGLE;
        }
    }
    for (int kind = 0; kind < 2; kind++)
        for (int sd = 1; sd <= (quick ? 1 : 3); sd++) {
            inst_ref *r = &list[k++];
            memset(r, 0, sizeof *r);
            snprintf(r->name, sizeof r->name, "D%d-%s", sd, kind ? "ss" : "ms");
            snprintf(r->set, sizeof r->set, "district");
            r->district = sd;
            r->district_m = 1000;
            r->district_n = 300;
            r->opt = NAN;
            r->kind = kind;
        }
    int only_ref = nsets == 1 && !strcmp(sets[0], "ref");
    if (!only_ref) {
        if (g_solver_limit > 0)
            printf("# ours: solver limit %.1f s", g_solver_limit);
        else
            printf("# ours: solver limit = the set's target time (cap 0.2 s, capabc 5 s, holmberg "
                   "2 s, yang 10 s, district 1.8 s)");
        printf(", seed %llu (gap = vs published optimum; district: vs our lower bound; \"limit\" "
               "= stopped by the time limit)\n",
               g_seed);
        for (int q = 0; q < k; q++)
            if (want(sets, nsets, list[q].set)) run_one(&list[q]);
        printf("\n# summary\n%-9s %5s %5s %7s %7s %10s %10s %9s %9s\n", "set", "n", "valid", "=opt",
               "proven", "avg gap%", "max gap%", "med time", "max time");
        for (int s = 0; s < g_nsets; s++) {
            set_stats *st = &g_sets[s];
            int cnt = st->count < 128 ? st->count : 128;
            printf("%-9s %5d %5d %7d %7d %10.4f %10.4f %8.3fs %8.3fs\n", st->set, st->count, st->ok,
                   st->matched, st->optimal, st->ok ? 100 * st->sum_gap / st->ok : NAN,
                   100 * st->max_gap, median(st->times, cnt), st->max_time);
        }
    }
    if (want(sets, nsets, "ref")) {
        printf("\n# references on the strong model: GLPK glp_intopt and CBC, limit %.1f s each\n",
               g_ref_limit);
        static const char *refs[] = {"cap41", "cap71", "cap131", "capa_8000", "Y-p1", "H-p1"};
        for (size_t a = 0; a < sizeof refs / sizeof *refs; a++)
            for (int q = 0; q < k; q++)
                if (!strcmp(list[q].name, refs[a])) run_ref(&list[q]);
    }
    return 0;
}
