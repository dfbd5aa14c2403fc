/* The Pinggu demo district, built from the seed facts (../shared/seed/FACTS.md): the 18 real
 * townships; synthetic villages, grids, residents, homestays, schools and venues (labelled
 * source = 'synthetic'); the facilities and organisations the source names (source = 'seed').
 * Deterministic: the same seed gives the same district. */
#ifndef PJ_DEMO_H
#define PJ_DEMO_H

#include "domain/ctx.h"

typedef struct pj_demo_stats {
    int townships, villages, grids, facilities, organisations, users;
    int64_t residents;
} pj_demo_stats;

/* Fills an empty registry; fails with 409 when regions already exist. Demo accounts (one per
 * role) get demo_password, which must pass the password rules. One transaction. */
int pj_demo_build(pj_ctx *c, uint64_t seed, const char *demo_password, pj_demo_stats *out,
                  pj_err *err);

#endif
