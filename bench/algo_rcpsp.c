/* Benchmark of the RCPSP solver (src/algo/rcpsp) on PSPLIB j30/j60/j120.
 *
 *   build/rel/bench/algo_rcpsp [--set j30|j60|j120] [--quick] [--schedules N] [--time S]
 *                              [--seed S] [--cbc-time S] [--no-cbc] [--dir PATH] [--verbose]
 *                              [--pop N] [--stall G] [--cbc-only]
 *
 * Per set: average deviation from the optimum (j30) or from the critical-path lower bound
 * (j60, j120), and from the best known upper bound (min of the optimum CSV and jXXhrs.sm),
 * average/median/max time per instance. Side by side: the LFT priority rule with the serial
 * SGS (baseline) on every instance, and CBC on the time-indexed MIP (x_jt binary,
 * disaggregated precedence, horizon = the LFT makespan) on a named subset, with a time
 * limit (the CBC run is in a child process, killed 5 s after its limit). --quick: every 10th
 * instance; --cbc-only: only the CBC subset. */
#include <coin/Cbc_C_Interface.h>
#include <dirent.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "algo/rcpsp.h"

typedef struct inst_name {
    char name[40];
    int par, ins;
} inst_name;

static int cmp_name(const void *a, const void *b)
{
    const inst_name *x = a, *y = b;
    if (x->par != y->par) return x->par < y->par ? -1 : 1;
    return x->ins < y->ins ? -1 : (x->ins > y->ins);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y);
}

/* Lists "<set><par>_<inst>.sm" files of dir, sorted by (par, inst). Caller frees *out. */
static int list_set(const char *dir, const char *set, inst_name **out)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0, cap = 0;
    inst_name *v = NULL;
    struct dirent *e;
    size_t pl = strlen(set);
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        if (strncmp(s, set, pl) != 0) continue;
        char *end;
        long par = strtol(s + pl, &end, 10);
        if (*end != '_') continue;
        long ins = strtol(end + 1, &end, 10);
        if (strcmp(end, ".sm") != 0 || strlen(s) >= sizeof v[0].name) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 512;
            inst_name *nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                free(v);
                closedir(d);
                return -1;
            }
            v = nv;
        }
        snprintf(v[n].name, sizeof v[n].name, "%s", s);
        v[n].par = (int)par;
        v[n].ins = (int)ins;
        n++;
    }
    closedir(d);
    qsort(v, (size_t)n, sizeof *v, cmp_name);
    *out = v;
    return n;
}

/* ---- CBC on the time-indexed model ---- */

typedef struct cbc_res {
    int ok; /* 1 when an integer solution was found */
    double obj, bound, time_s;
    int optimal;
} cbc_res;

/* x_jt for t in [ES_j, T - tail_j]; sum_t x_jt = 1; for each arc i->j and t:
 * sum_{tau<=t} x_j,tau - sum_{tau<=t-d_i} x_i,tau <= 0; resources per time step;
 * C >= sum_t (t + d_j) x_jt for jobs without successors; minimise C. */
static cbc_res cbc_time_indexed(const pj_rcpsp *p, int T, double tlim)
{
    cbc_res r = {0};
    int n = p->n_jobs, K = p->n_res;
    int *es = calloc((size_t)n, sizeof(int)), *tail = calloc((size_t)n, sizeof(int));
    int *col0 = malloc(((size_t)n + 1) * sizeof(int));
    /* heads/tails by repeated relaxation (DAG, small) */
    for (int it = 0; it < n; it++) {
        int ch = 0;
        for (int i = 0; i < n; i++)
            for (int a = p->succ_start[i]; a < p->succ_start[i + 1]; a++) {
                int j = p->succ[a];
                if (es[i] + p->duration[i] > es[j]) {
                    es[j] = es[i] + p->duration[i];
                    ch = 1;
                }
            }
        if (!ch) break;
    }
    for (int i = 0; i < n; i++) tail[i] = p->duration[i];
    for (int it = 0; it < n; it++) {
        int ch = 0;
        for (int i = 0; i < n; i++)
            for (int a = p->succ_start[i]; a < p->succ_start[i + 1]; a++) {
                int j = p->succ[a];
                if (tail[j] + p->duration[i] > tail[i]) {
                    tail[i] = tail[j] + p->duration[i];
                    ch = 1;
                }
            }
        if (!ch) break;
    }
    int nc = 0;
    for (int j = 0; j < n; j++) {
        col0[j] = nc;
        nc += T - tail[j] - es[j] + 1;
    }
    col0[n] = nc;
    int ncols = nc + 1; /* + C */
    /* Triplets (row, col, val). */
    size_t cap = 1 << 16, nz = 0;
    int *tr = malloc(cap * sizeof(int)), *tc = malloc(cap * sizeof(int));
    double *tv = malloc(cap * sizeof(double));
    double *rlo = NULL, *rhi = NULL;
    int nrows = 0, rcap = 0;
#define ROW(lo, hi)                                                                                \
    do {                                                                                           \
        if (nrows == rcap) {                                                                       \
            rcap = rcap ? rcap * 2 : 1024;                                                         \
            rlo = realloc(rlo, (size_t)rcap * sizeof(double));                                     \
            rhi = realloc(rhi, (size_t)rcap * sizeof(double));                                     \
        }                                                                                          \
        rlo[nrows] = (lo);                                                                         \
        rhi[nrows] = (hi);                                                                         \
        nrows++;                                                                                   \
    } while (0)
#define NZ(row, col, val)                                                                          \
    do {                                                                                           \
        if (nz == cap) {                                                                           \
            cap *= 2;                                                                              \
            tr = realloc(tr, cap * sizeof(int));                                                   \
            tc = realloc(tc, cap * sizeof(int));                                                   \
            tv = realloc(tv, cap * sizeof(double));                                                \
        }                                                                                          \
        tr[nz] = (row);                                                                            \
        tc[nz] = (col);                                                                            \
        tv[nz] = (val);                                                                            \
        nz++;                                                                                      \
    } while (0)
    for (int j = 0; j < n; j++) {
        ROW(1, 1);
        for (int c = col0[j]; c < col0[j + 1]; c++) NZ(nrows - 1, c, 1);
    }
    for (int i = 0; i < n; i++)
        for (int a = p->succ_start[i]; a < p->succ_start[i + 1]; a++) {
            int j = p->succ[a];
            for (int t = es[j]; t <= T - tail[j]; t++) {
                ROW(-INFINITY, 0);
                for (int tau = es[j]; tau <= t; tau++) NZ(nrows - 1, col0[j] + tau - es[j], 1);
                for (int tau = es[i]; tau <= t - p->duration[i] && tau <= T - tail[i]; tau++)
                    NZ(nrows - 1, col0[i] + tau - es[i], -1);
            }
        }
    for (int k = 0; k < K; k++)
        for (int t = 0; t < T; t++) {
            int row = -1;
            for (int j = 0; j < n; j++) {
                int rq = p->demand[(size_t)j * K + k];
                if (rq == 0 || p->duration[j] == 0) continue;
                for (int tau = t - p->duration[j] + 1; tau <= t; tau++) {
                    if (tau < es[j] || tau > T - tail[j]) continue;
                    if (row < 0) {
                        ROW(-INFINITY, p->capacity[k]);
                        row = nrows - 1;
                    }
                    NZ(row, col0[j] + tau - es[j], rq);
                }
            }
        }
    for (int j = 0; j < n; j++) {
        if (p->succ_start[j + 1] > p->succ_start[j]) continue;
        ROW(0, INFINITY);
        NZ(nrows - 1, nc, 1);
        for (int t = es[j]; t <= T - tail[j]; t++)
            NZ(nrows - 1, col0[j] + t - es[j], -(double)(t + p->duration[j]));
    }
#undef ROW
#undef NZ
    /* CSC. */
    CoinBigIndex *start = calloc((size_t)ncols + 1, sizeof(CoinBigIndex));
    int *index = malloc(nz * sizeof(int));
    double *value = malloc(nz * sizeof(double));
    for (size_t e = 0; e < nz; e++) start[tc[e] + 1]++;
    for (int c = 0; c < ncols; c++) start[c + 1] += start[c];
    CoinBigIndex *pos = malloc(((size_t)ncols + 1) * sizeof(CoinBigIndex));
    memcpy(pos, start, ((size_t)ncols + 1) * sizeof(CoinBigIndex));
    for (size_t e = 0; e < nz; e++) {
        CoinBigIndex q = pos[tc[e]]++;
        index[q] = tr[e];
        value[q] = tv[e];
    }
    double *lo = calloc((size_t)ncols, sizeof(double)),
           *hi = malloc((size_t)ncols * sizeof(double));
    double *obj = calloc((size_t)ncols, sizeof(double));
    for (int c = 0; c < nc; c++) hi[c] = 1;
    hi[nc] = T;
    obj[nc] = 1;
    Cbc_Model *m = Cbc_newModel();
    Cbc_loadProblem(m, ncols, nrows, start, index, value, lo, hi, obj, rlo, rhi);
    for (int c = 0; c < nc; c++) Cbc_setInteger(m, c);
    Cbc_setLogLevel(m, 0);
    Cbc_setMaximumSeconds(m, tlim);
    Cbc_setParameter(m, "threads", "1");
    double t0 = pj_algo_now();
    Cbc_solve(m);
    r.time_s = pj_algo_now() - t0;
    const double *x = Cbc_getColSolution(m);
    if (x && Cbc_numberSavedSolutions(m) > 0) {
        r.ok = 1;
        r.obj = Cbc_getObjValue(m);
    }
    r.bound = Cbc_getBestPossibleObjValue(m);
    r.optimal = Cbc_isProvenOptimal(m);
    Cbc_deleteModel(m);
    free(start);
    free(pos);
    free(index);
    free(value);
    free(lo);
    free(hi);
    free(obj);
    free(tr);
    free(tc);
    free(tv);
    free(rlo);
    free(rhi);
    free(es);
    free(tail);
    free(col0);
    return r;
}

/* Runs cbc_time_indexed in a child process and kills it 5 s after the time limit: CBC does
 * not check its limit inside a long root LP (j120 models). */
static cbc_res cbc_guarded(const pj_rcpsp *p, int T, double tlim)
{
    cbc_res r = {0};
    int fd[2];
    if (pipe(fd)) return r;
    fflush(stdout);
    double t0 = pj_algo_now();
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return r;
    }
    if (pid == 0) {
        close(fd[0]);
        cbc_res c = cbc_time_indexed(p, T, tlim);
        ssize_t w = write(fd[1], &c, sizeof c);
        _exit(w == (ssize_t)sizeof c ? 0 : 1);
    }
    close(fd[1]);
    struct pollfd pf = {fd[0], POLLIN, 0};
    int ms = (int)((tlim + 5) * 1000);
    if (poll(&pf, 1, ms) > 0 && read(fd[0], &r, sizeof r) == (ssize_t)sizeof r) {
        waitpid(pid, NULL, 0);
    } else {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        memset(&r, 0, sizeof r);
        r.bound = NAN;
        r.time_s = pj_algo_now() - t0;
    }
    close(fd[0]);
    return r;
}

/* ---- Main ---- */

typedef struct cfg {
    const char *dir;
    int quick, verbose, no_cbc;
    long schedules; /* 0 = per-set default */
    double time_s;  /* 0 = per-set default */
    double cbc_time;
    unsigned long long seed;
    int pop, stall;
    int cbc_only; /* only the CBC subset (GA, LFT and CBC side by side) */
} cfg;

static const char *cbc_subset[] = {"j301_1.sm", "j301_2.sm",  "j305_3.sm",  "j3013_1.sm",
                                   "j601_1.sm", "j6013_1.sm", "j1201_2.sm", NULL};

static int in_cbc_subset(const char *name)
{
    for (int i = 0; cbc_subset[i]; i++)
        if (strcmp(cbc_subset[i], name) == 0) return 1;
    return 0;
}

static int run_set(const cfg *c, const char *set)
{
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/rcpsp/%s", c->dir, set);
    inst_name *names = NULL;
    int n = list_set(path, set, &names);
    if (n <= 0) {
        fprintf(stderr, "%s: no instances\n", path);
        free(names);
        return -1;
    }
    pj_rcpsp_known_set opt = {0}, hrs = {0};
    snprintf(path, sizeof path, "%s/rcpsp/%s_optimum.csv", c->dir, set);
    if (pj_rcpsp_known_read_csv(path, &opt, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        free(names);
        return -1;
    }
    snprintf(path, sizeof path, "%s/rcpsp/%shrs.sm", c->dir, set);
    if (pj_rcpsp_known_read_hrs(path, set, &hrs, err, sizeof err) == 0)
        pj_rcpsp_known_merge(&opt, &hrs);
    else
        fprintf(stderr, "warning: %s\n", err);
    int is30 = strcmp(set, "j30") == 0;
    long sched = c->schedules ? c->schedules : is30 ? 50000 : 100000;
    double tlim = c->time_s > 0 ? c->time_s : is30 ? 0.5 : 2.0;
    int step = c->quick ? 10 : 1;
    int cnt = 0, n_opt = 0, n_ub = 0, n_lbhit = 0, n_tl = 0;
    double dev_lb = 0, dev_ub = 0, dev_lft_lb = 0, dev_lft_ub = 0, tsum = 0, tmax = 0;
    double lft_t = 0, sched_sum = 0, gap_sum = 0;
    double *times = malloc((size_t)n * sizeof(double));
    printf("== %s: %d instances%s, budget %ld schedules, time limit %.2f s, seed %llu\n", set,
           (n + step - 1) / step, c->quick ? " (--quick: every 10th)" : "", sched, tlim, c->seed);
    printf("   %-14s %5s %5s %5s %5s %8s %8s\n", "cbc subset", "GA", "LFT", "cbc", "bound", "GA s",
           "cbc s");
    for (int i = 0; i < n; i += step) {
        if (c->cbc_only && !in_cbc_subset(names[i].name)) continue;
        snprintf(path, sizeof path, "%s/rcpsp/%s/%s", c->dir, set, names[i].name);
        pj_rcpsp p;
        if (pj_rcpsp_read_sm(path, &p, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            continue;
        }
        const pj_rcpsp_known *kn = pj_rcpsp_known_find(&opt, names[i].name);
        pj_rcpsp_params prm = {0};
        prm.max_schedules = sched;
        prm.pop_size = c->pop;
        prm.stall_gens = c->stall;
        pj_algo_opts o = {tlim, c->seed, NULL, NULL};
        pj_rcpsp_sol s;
        if (pj_rcpsp_solve(&p, &prm, &o, &s) != PJ_RCPSP_OK) {
            fprintf(stderr, "%s: %s\n", names[i].name, s.err);
            pj_rcpsp_free(&p);
            continue;
        }
        if (pj_rcpsp_verify(&p, s.start, s.makespan, err, sizeof err)) {
            fprintf(stderr, "%s: INVALID schedule: %s\n", names[i].name, err);
            exit(1);
        }
        pj_rcpsp_params lp = {0};
        lp.method = PJ_RCPSP_METHOD_RULE;
        lp.rule = PJ_RCPSP_RULE_LFT;
        pj_rcpsp_sol ls;
        pj_rcpsp_solve(&p, &lp, NULL, &ls);
        lft_t += ls.stats.time_s;
        int ref = is30 && kn ? kn->ub : s.cp_bound;
        int ub = kn && kn->ub > 0 ? kn->ub : ref;
        dev_lb += (double)(s.makespan - ref) / ref;
        dev_ub += (double)(s.makespan - ub) / ub;
        dev_lft_lb += (double)(ls.makespan - ref) / ref;
        dev_lft_ub += (double)(ls.makespan - ub) / ub;
        if (kn && kn->lb >= 0 && kn->lb == kn->ub && s.makespan == kn->ub) n_opt++;
        if (s.makespan <= ub) n_ub++;
        if (s.stats.optimal) n_lbhit++;
        gap_sum += s.stats.gap;
        if (s.stats.time_limit_hit) n_tl++;
        if (s.makespan < ub) printf("   NEW BEST %s: %d < %d\n", names[i].name, s.makespan, ub);
        times[cnt] = s.stats.time_s;
        tsum += s.stats.time_s;
        if (s.stats.time_s > tmax) tmax = s.stats.time_s;
        sched_sum += (double)s.schedules;
        cnt++;
        if (c->verbose)
            printf("   %-14s ms %4d ref %4d ub %4d lft %4d  %.3f s %ld sched\n", names[i].name,
                   s.makespan, ref, ub, ls.makespan, s.stats.time_s, s.schedules);
        if (!c->no_cbc && in_cbc_subset(names[i].name)) {
            cbc_res r = cbc_guarded(&p, ls.makespan, c->cbc_time);
            char cb[16] = "-";
            if (r.ok) snprintf(cb, sizeof cb, "%.0f", r.obj);
            char ratio[48] = "";
            if (r.ok) snprintf(ratio, sizeof ratio, "  GA/cbc makespan %.3f", s.makespan / r.obj);
            printf("   %-14s %5d %5d %5s %5.1f %8.3f %8.2f %s%s, cbc/GA time x%.0f\n",
                   names[i].name, s.makespan, ls.makespan, cb, r.bound, s.stats.time_s, r.time_s,
                   r.optimal        ? "opt"
                   : isnan(r.bound) ? "killed"
                                    : "lim",
                   ratio, r.time_s / (s.stats.time_s > 1e-6 ? s.stats.time_s : 1e-6));
        }
        pj_rcpsp_sol_free(&ls);
        pj_rcpsp_sol_free(&s);
        pj_rcpsp_free(&p);
    }
    qsort(times, (size_t)cnt, sizeof(double), cmp_double);
    const char *refname = is30 ? "optimum" : "critical-path LB";
    printf("   GA : avg dev from %s %.3f %%, from best known UB %.3f %%; %d/%d reach best UB",
           refname, 100 * dev_lb / cnt, 100 * dev_ub / cnt, n_ub, cnt);
    if (is30) printf(", %d/%d optimal", n_opt, cnt);
    printf("\n        time per instance avg %.3f s, median %.3f s, max %.3f s; avg %.0f "
           "schedules; %d proven optimal (= LB), %d hit the time limit; avg gap reported "
           "(to the solver's own LB) %.3f %%\n",
           tsum / cnt, times[cnt / 2], tmax, sched_sum / cnt, n_lbhit, n_tl, 100 * gap_sum / cnt);
    printf("   LFT: avg dev from %s %.3f %%, from best known UB %.3f %%; avg %.5f s\n", refname,
           100 * dev_lft_lb / cnt, 100 * dev_lft_ub / cnt, lft_t / cnt);
    printf("   ratio LFT/GA avg deviation from %s: %.2f\n", refname,
           dev_lb > 0 ? dev_lft_lb / dev_lb : INFINITY);
    free(times);
    free(names);
    pj_rcpsp_known_free(&opt);
    pj_rcpsp_known_free(&hrs);
    return 0;
}

int main(int argc, char **argv)
{
    cfg c = {"../shared/benchmarks", 0, 0, 0, 0, 0, 20.0, 1, 0, 0, 0};
    const char *only = NULL;
    const char *env = getenv("PJ_BENCHMARKS");
    if (env && *env) c.dir = env;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0)
            c.quick = 1;
        else if (strcmp(a, "--verbose") == 0)
            c.verbose = 1;
        else if (strcmp(a, "--no-cbc") == 0)
            c.no_cbc = 1;
        else if (strcmp(a, "--cbc-only") == 0)
            c.cbc_only = 1;
        else if (strcmp(a, "--set") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(a, "--dir") == 0 && i + 1 < argc)
            c.dir = argv[++i];
        else if (strcmp(a, "--schedules") == 0 && i + 1 < argc)
            c.schedules = strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--time") == 0 && i + 1 < argc)
            c.time_s = strtod(argv[++i], NULL);
        else if (strcmp(a, "--cbc-time") == 0 && i + 1 < argc)
            c.cbc_time = strtod(argv[++i], NULL);
        else if (strcmp(a, "--pop") == 0 && i + 1 < argc)
            c.pop = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--stall") == 0 && i + 1 < argc)
            c.stall = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--seed") == 0 && i + 1 < argc)
            c.seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr,
                    "usage: %s [--set j30|j60|j120] [--quick] [--schedules N] [--time S] "
                    "[--seed S] [--cbc-time S] [--no-cbc] [--cbc-only] [--dir PATH] [--verbose] "
                    "[--pop N] [--stall G]\n",
                    argv[0]);
            return 2;
        }
    }
    const char *sets[] = {"j30", "j60", "j120"};
    int rc = 0;
    for (int i = 0; i < 3; i++)
        if (!only || strcmp(only, sets[i]) == 0) rc |= run_set(&c, sets[i]);
    return rc ? 1 : 0;
}
