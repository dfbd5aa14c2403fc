/* Resource-constrained project scheduling (RCPSP), src/algo: pure C, structs in, structs out.
 *
 * Jobs with integer durations and per-resource demands, precedence arcs (any DAG: no dummy
 * source or sink needed), K renewable resources with integer capacities. Minimise the makespan
 * (the time until every job has finished). Jobs may be grouped into projects (in the product:
 * sites, each with a ready-value such as capacity); the solution reports each project's finish
 * (ready) time and the capacity-ready-over-time curve. Among schedules with the same makespan
 * the solver prefers those with a smaller value-weighted sum of project ready times.
 *
 * Methods (pj_rcpsp_params.method):
 *  - PJ_RCPSP_METHOD_GA (default): genetic algorithm over activity lists (Hartmann 1998
 *    two-point crossover, adjacent-swap and shift mutation, binary tournament, elitist
 *    ranking without duplicates) decoded by the serial schedule generation scheme (SGS), every
 *    child improved by forward-backward improvement (justification, Valls et al. 2005) and
 *    written back as the start order of the justified schedule. The initial population holds
 *    the priority-rule schedules (serial and parallel SGS) and regret-based biased random
 *    samples (LFT); after stall_gens generations without a new best the population restarts
 *    from the best plus fresh samples. On instances with at most PJ_RCPSP_EXACT_MAX_JOBS jobs a
 *    depth-first branch-and-bound over activity lists then proves (or improves) the result,
 *    within 400,000 nodes, the time limit and a stop request (then unproved, time_limit_hit).
 *  - PJ_RCPSP_METHOD_RULE: one schedule from a priority rule with the serial or parallel SGS,
 *    optionally justified (a fast baseline).
 *
 * Time is discrete; the schedule lives on a time grid of sum(durations) + 1 steps, so that
 * sum(durations) * K must stay below PJ_RCPSP_MAX_CELLS (else PJ_RCPSP_ETOOBIG).
 * Deterministic for a given opts->seed as long as the schedule limit (not the time limit) ends
 * the search.
 *
 * Readers (rcpsp_io.c): PSPLIB single-mode .sm files, the optimum CSV files (problem,optimum
 * with "v", "LB..UB" or "..UB") and the PSPLIB solution lists jXXhrs.sm. */
#ifndef PJ_RCPSP_H
#define PJ_RCPSP_H

#include <stddef.h>

#include "algo/algo.h"

enum {
    PJ_RCPSP_OK = 0,
    PJ_RCPSP_EINVAL = -1,      /* bad input: sizes, NULL arrays, negative values, bad arc */
    PJ_RCPSP_ENOMEM = -2,      /* allocation failed */
    PJ_RCPSP_ECYCLE = -3,      /* the precedence arcs contain a cycle (err_job is on it) */
    PJ_RCPSP_EINFEASIBLE = -4, /* a job needs more of a resource than its capacity (err_job) */
    PJ_RCPSP_ETOOBIG = -5,     /* time grid sum(durations) * K above PJ_RCPSP_MAX_CELLS */
};

#define PJ_RCPSP_MAX_CELLS      (1L << 25) /* 128 MB of int grid at most */
#define PJ_RCPSP_EXACT_MAX_JOBS 12

/* An instance. Not owned by the solver: the caller keeps it alive during the call. Instances
 * from pj_rcpsp_read_sm own their arrays (free them with pj_rcpsp_free). */
typedef struct pj_rcpsp {
    int n_jobs;      /* >= 0 */
    int n_res;       /* K >= 0 renewable resources */
    int *duration;   /* n_jobs entries, >= 0 */
    int *demand;     /* n_jobs * n_res, row-major demand[j*n_res + k] >= 0; NULL = no demand */
    int *capacity;   /* n_res entries, >= 0 */
    int *succ_start; /* n_jobs + 1 offsets into succ (CSR), succ_start[0] = 0 */
    int *succ;       /* successors of j: succ[succ_start[j] .. succ_start[j+1]-1], in [0,n) */
    /* Optional grouping into projects (sites). */
    int n_projects;        /* >= 0 */
    int *project;          /* n_jobs entries in [-1, n_projects), -1 = none; NULL = no projects */
    double *project_value; /* n_projects ready-values (e.g. capacity) >= 0; NULL = 1 each */
} pj_rcpsp;

enum { PJ_RCPSP_METHOD_GA = 0, PJ_RCPSP_METHOD_RULE = 1 };
enum {
    PJ_RCPSP_RULE_LFT = 0,  /* latest finish time (critical path) */
    PJ_RCPSP_RULE_LST = 1,  /* latest start time */
    PJ_RCPSP_RULE_MTS = 2,  /* most total successors */
    PJ_RCPSP_RULE_GRPW = 3, /* greatest rank positional weight */
    PJ_RCPSP_RULE_WRUP = 4, /* weighted resource utilisation and precedence */
    PJ_RCPSP_RULE_COUNT
};
enum { PJ_RCPSP_SGS_SERIAL = 0, PJ_RCPSP_SGS_PARALLEL = 1 };

/* Method settings; a zeroed struct (or NULL) gives the defaults. */
typedef struct pj_rcpsp_params {
    int method;         /* PJ_RCPSP_METHOD_*; default GA */
    int rule;           /* PJ_RCPSP_RULE_*, for METHOD_RULE; default LFT */
    int sgs;            /* PJ_RCPSP_SGS_*, for METHOD_RULE; default serial */
    int justify;        /* METHOD_RULE: 1 = apply forward-backward improvement */
    long max_schedules; /* GA: schedule budget (one SGS pass = one schedule); 0 = default
                           min(50000, max(100, 1.5e6 / n_jobs)) */
    int pop_size;       /* GA population; 0 = max_schedules / 250 within [30, 200] */
    int stall_gens;     /* GA: generations without improvement before a restart; 0 = 15 */
    int no_exact;       /* 1 = never run the exact branch-and-bound */
} pj_rcpsp_params;

/* One point of the capacity-ready curve: at time t, value projects are ready in total. */
typedef struct pj_rcpsp_curve_pt {
    int t;
    double value;
} pj_rcpsp_curve_pt;

/* A solution. Every array is malloc'd and owned by the solution: free with pj_rcpsp_sol_free. */
typedef struct pj_rcpsp_sol {
    int status;    /* PJ_RCPSP_OK or an error code */
    char err[200]; /* message when status != OK */
    int err_job;   /* job named by ECYCLE / EINFEASIBLE / EINVAL (arc source), else -1 */
    int n_jobs, n_projects;
    int *start;          /* n_jobs start times */
    int makespan;        /* max finish time (0 without jobs) */
    int *project_finish; /* n_projects ready times: max finish of the project's jobs (0 if none) */
    int n_curve;         /* points in curve, <= n_projects */
    pj_rcpsp_curve_pt *curve; /* distinct times where projects become ready, increasing, with
                                 the cumulative ready value */
    long schedules;           /* schedules generated */
    int cp_bound;             /* critical path lower bound */
    int res_bound;            /* max over resources and over the job sets S of jobs with head >= h
                                 and time after >= a of h + ceil(sum d*r / R) + a, and of
                                 h + sum d + a over jobs with 2r > R (pairwise disjoint) */
    pj_algo_stats stats;      /* objective = makespan, lower_bound = max(cp, res, exact proof) */
} pj_rcpsp_sol;

/* Checks p (sizes, arcs, values, cycles, demands against capacities). Returns PJ_RCPSP_OK or an
 * error code; on error writes a message into err (errlen bytes, may be 0) and the job concerned
 * into *err_job (may be NULL). */
int pj_rcpsp_check(const pj_rcpsp *p, char *err, size_t errlen, int *err_job);

/* Solves p into *sol (zeroed first). params and opts may be NULL. Returns sol->status. On
 * success the caller owns sol's arrays; on error none are left allocated and sol->err says
 * why. */
int pj_rcpsp_solve(const pj_rcpsp *p, const pj_rcpsp_params *params, const pj_algo_opts *opts,
                   pj_rcpsp_sol *sol);
/* Frees the arrays of sol (not sol itself); safe on a zeroed or already freed solution. */
void pj_rcpsp_sol_free(pj_rcpsp_sol *sol);

/* Checks a schedule: precedence, resource usage at every time <= capacity, non-negative
 * starts, makespan = max finish. Returns 0 when valid, else -1 with a message in err. */
int pj_rcpsp_verify(const pj_rcpsp *p, const int *start, int makespan, char *err, size_t errlen);

/* Lower bounds: critical path length and the resource (energy) bound. p must pass
 * pj_rcpsp_check. Returns 0, or a PJ_RCPSP_* error. */
int pj_rcpsp_bounds(const pj_rcpsp *p, int *cp_bound, int *res_bound);

/* ---- Readers (rcpsp_io.c) ---- */

/* Reads a PSPLIB single-mode .sm file (renewable resources only) into *p; jobs are numbered
 * from 0 (PSPLIB job 1 = job 0, the dummy source; the dummy sink is the last job), no
 * projects. On success returns 0 and the caller owns p's arrays (free with pj_rcpsp_free). On
 * failure returns -1, leaves *p zeroed and writes a message (with the line number) into err. */
int pj_rcpsp_read_sm(const char *path, pj_rcpsp *p, char *err, size_t errlen);
/* Same from a memory buffer of len bytes (name is used in messages). */
int pj_rcpsp_parse_sm(const char *buf, size_t len, const char *name, pj_rcpsp *p, char *err,
                      size_t errlen);
/* Frees the arrays of an instance filled by the readers (not p itself); zeroes *p. */
void pj_rcpsp_free(pj_rcpsp *p);

/* Known values of a benchmark instance: lb = -1 when unknown, ub = -1 when unknown. */
typedef struct pj_rcpsp_known {
    char name[40]; /* file name, e.g. "j301_1.sm" */
    int lb, ub;
} pj_rcpsp_known;

/* A table of known values; v is malloc'd and owned by the table: free with
 * pj_rcpsp_known_free. */
typedef struct pj_rcpsp_known_set {
    int n;
    pj_rcpsp_known *v;
} pj_rcpsp_known_set;

/* Reads an optimum CSV ("problem,optimum" header, then "name,v", "name,LB..UB" or
 * "name,..UB"). Returns 0, or -1 with a message in err and *s empty. */
int pj_rcpsp_known_read_csv(const char *path, pj_rcpsp_known_set *s, char *err, size_t errlen);
/* Reads a PSPLIB solution list (jXXhrs.sm: "Par Inst Makespan Date Author" rows after the
 * header); names become "<prefix><Par>_<Inst>.sm" with prefix e.g. "j120" (NULL: taken from
 * the file name up to "hrs"). Every entry has lb = -1. Returns 0, or -1 with a message. */
int pj_rcpsp_known_read_hrs(const char *path, const char *prefix, pj_rcpsp_known_set *s, char *err,
                            size_t errlen);
/* The entry named name, or NULL. The pointer belongs to s. */
const pj_rcpsp_known *pj_rcpsp_known_find(const pj_rcpsp_known_set *s, const char *name);
/* For each entry of src also in dst: dst.ub = min(dst.ub, src.ub) (unknown ub ignored), and
 * dst.lb = max(dst.lb, src.lb). Entries only in src are ignored. */
void pj_rcpsp_known_merge(pj_rcpsp_known_set *dst, const pj_rcpsp_known_set *src);
/* Frees s->v; safe on a zeroed set. */
void pj_rcpsp_known_free(pj_rcpsp_known_set *s);

#endif
