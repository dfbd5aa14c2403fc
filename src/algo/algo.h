/* Common parts of the planner's pure solvers (src/algo): options, statistics, timer, RNG.
 * Solvers take plain structs and return plain structs; they know nothing of HTTP or SQL. */
#ifndef PJ_ALGO_H
#define PJ_ALGO_H

#include <stdint.h>

/* Options every solver takes. A time limit of 0 means "the solver's default". */
typedef struct pj_algo_opts {
    double time_limit_s; /* wall clock */
    uint64_t seed;
    /* Optional progress callback, frac in [0,1]; called at most a few times per second. */
    void (*progress)(void *ud, double frac);
    void *progress_ud;
    /* Optional: asked where the time limit is checked; non-zero ends the search as if the
     * time limit had passed (the best solution so far is returned, flagged time_limit_hit).
     * For a server that stops while a plan solves. */
    int (*cancelled)(void *ud);
    void *cancelled_ud;
    /* Optional, for searches that measure their work (the CFLP): the work to plan for, in
     * seconds of a machine like the reference one (0: time_limit_s). Their phases end by the
     * work done, not by the clock, so a seed gives the same result on any machine; the time
     * limit stops them first only on a slower or busy machine (then flagged clock_limited). */
    double work_s;
} pj_algo_opts;

/* What every solver reports next to its solution. */
typedef struct pj_algo_stats {
    double objective;   /* value of the returned solution */
    double lower_bound; /* proven bound (minimisation); -INFINITY when the method has none */
    double gap;         /* (objective - lower_bound) / objective, 0 when proven optimal */
    double time_s;      /* wall time spent */
    int optimal;        /* 1 when the solution is proven optimal */
    int time_limit_hit; /* 1 when the solver stopped on its time limit (or its work budget) */
    int clock_limited;  /* 1 when the wall clock, not the solver's own budget (work, schedules)
                         * ended it: a rerun with the same seed may differ */
} pj_algo_stats;

/* Frees what the solvers keep per thread (GLPK's environment); call before a thread that ran
 * solvers ends. */
void pj_algo_thread_done(void);
/* 1 when opts asks the solver to stop now (see cancelled). */
int pj_algo_cancelled(const pj_algo_opts *opts);
/* Monotonic clock in seconds. */
double pj_algo_now(void);
/* Deterministic 64-bit generator (splitmix64); *state is advanced. */
uint64_t pj_rng_next(uint64_t *state);
/* Uniform integer in [0, n), n > 0. */
uint32_t pj_rng_below(uint64_t *state, uint32_t n);
/* Uniform double in [0, 1). */
double pj_rng_unit(uint64_t *state);
/* Fills stats->gap from objective and lower_bound. */
void pj_algo_stats_finish(pj_algo_stats *stats);

#endif
