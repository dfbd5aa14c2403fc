/* Time of one emergency overview in-process (no HTTP), median of 101 runs, on a database
 * given as argv[1]. Printed as "X ms" for scripts/bench.sh. */
#include <stdio.h>
#include <stdlib.h>

#include "algo/algo.h"
#include "core/log.h"
#include "domain/dualuse.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: overview DB\n");
        return 2;
    }
    pj_log_level(PJ_LOG_WARN);
    pj_db *db;
    pj_err e = {0};
    if (pj_db_open(&db, argv[1], &e)) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    pj_settings st;
    pj_settings_default(&st);
    double t[101];
    for (int i = 0; i < 101; i++) {
        pj_arena a;
        pj_arena_init(&a, 16384);
        pj_ctx c = {.db = db,
                    .arena = &a,
                    .settings = &st,
                    .actor = {.username = "bench", .role = PJ_ROLE_ADMIN}};
        pj_buf out;
        pj_buf_init(&out, 0);
        pj_jw w;
        pj_jw_init(&w, &out);
        double t0 = pj_algo_now();
        if (pj_overview(&c, "epidemic", 0, &w, &e)) {
            fprintf(stderr, "%s\n", e.message);
            return 1;
        }
        t[i] = pj_algo_now() - t0;
        pj_buf_free(&out);
        pj_arena_free(&a);
    }
    qsort(t, 101, sizeof t[0], cmp);
    printf("%.2f ms (median of 101)\n", t[50] * 1e3);
    pj_db_close(db);
    return 0;
}
