#include "algo/algo.h"

#include <math.h>
#include <time.h>

double pj_algo_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

uint64_t pj_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint32_t pj_rng_below(uint64_t *state, uint32_t n)
{
    return (uint32_t)(((pj_rng_next(state) >> 32) * (uint64_t)n) >> 32);
}

double pj_rng_unit(uint64_t *state)
{
    return (double)(pj_rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

void pj_algo_stats_finish(pj_algo_stats *stats)
{
    if (isfinite(stats->lower_bound) && stats->objective > 0) {
        double g = (stats->objective - stats->lower_bound) / stats->objective;
        stats->gap = g < 0 ? 0 : g;
    } else if (isfinite(stats->lower_bound)) {
        stats->gap = 0;
    } else {
        stats->gap = INFINITY;
    }
}

int pj_algo_cancelled(const pj_algo_opts *opts)
{
    return opts && opts->cancelled && opts->cancelled(opts->cancelled_ud);
}
