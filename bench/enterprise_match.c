/* Benchmark of the enterprise module: 40 policy rules × 100,000 enterprises (compiled rules vs
 * the naive reference that re-parses the rule for every evaluation), and the KPI report over a
 * year of appeals (20,000, in a fresh database). Data generated here, deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "algo/algo.h"
#include "core/util.h"
#include "domain/enterprise.h"
#include "domain/enterprise_rules.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *const inds[] = {"logistics", "agritech", "ecommerce", "manufacturing",
                                   "tourism",   "health",   "finance",   "construction"};
static const char *const towns[] = {"滨河街道",   "兴谷街道", "渔阳地区", "峪口地区",  "马坊地区",
                                    "金海湖地区", "东高村镇", "山东庄镇", "南独乐河镇"};
static const char *const scl[] = {"micro", "small", "medium", "large"};

int main(int argc, char **argv)
{
    int nent = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 100000;
    if (nent < 10) nent = 10;
    uint64_t rng = 42;
    pj_rule_rec *recs = calloc((size_t)nent, sizeof *recs);
    for (int i = 0; i < nent; i++) {
        pj_rule_rec *r = &recs[i];
        for (int k = 0; k < PJ_RA_COUNT; k++) r->known[k] = pj_rng_below(&rng, 20) != 0;
        r->s[PJ_RA_INDUSTRY] = inds[pj_rng_below(&rng, 8)];
        r->s[PJ_RA_TOWNSHIP] = towns[pj_rng_below(&rng, 9)];
        r->s[PJ_RA_SCALE] = scl[pj_rng_below(&rng, 4)];
        r->s[PJ_RA_CREDIT] = pj_rng_below(&rng, 10) ? "A" : "D";
        r->n[PJ_RA_EMPLOYEES] = pj_rng_below(&rng, 500);
        r->n[PJ_RA_REVENUE_WAN] = pj_rng_below(&rng, 20000);
        r->n[PJ_RA_TAX_WAN] = pj_rng_below(&rng, 800);
        r->n[PJ_RA_FOUNDED_YEAR] = 1990 + pj_rng_below(&rng, 35);
        r->n[PJ_RA_HIGH_TECH] = pj_rng_below(&rng, 5) == 0;
        r->n[PJ_RA_SPECIALIZED] = pj_rng_below(&rng, 8) == 0;
    }
    char rules[40][512];
    for (int p = 0; p < 40; p++)
        snprintf(rules[p], sizeof rules[p],
                 "industry in [\"%s\", \"%s\"] and employees >= %d and revenue_wan < %d and "
                 "(township == \"%s\" or high_tech or specialized) and founded_year <= %d and "
                 "not (credit == \"D\") and scale not in [\"large\"]",
                 inds[p % 8], inds[(p + 3) % 8], 5 + p, 2000 + 300 * p, towns[p % 9], 2024 - p % 5);
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_rule *compiled[40];
    pj_err err = {0};
    for (int p = 0; p < 40; p++)
        if (pj_rule_compile(&a, rules[p], "c", &compiled[p], &err)) {
            fprintf(stderr, "rule %d: %s\n", p, err.message);
            return 1;
        }
    double t0 = now_s();
    long eligible = 0;
    for (int p = 0; p < 40; p++)
        for (int i = 0; i < nent; i++)
            eligible += pj_rule_eval(compiled[p], &recs[i]) == PJ_RULE_TRUE;
    double t_fast = now_s() - t0;
    /* reference: re-parse the rule text for every evaluation (what a naive interpreter does),
     * on a tenth of the enterprises, scaled */
    int nref = nent / 10;
    t0 = now_s();
    long ref_eligible = 0;
    for (int p = 0; p < 40; p++)
        for (int i = 0; i < nref; i++) {
            pj_arena b;
            pj_arena_init(&b, 4096);
            pj_rule *r;
            if (pj_rule_compile(&b, rules[p], "c", &r, &err) == 0)
                ref_eligible += pj_rule_eval(r, &recs[i]) == PJ_RULE_TRUE;
            pj_arena_free(&b);
        }
    double t_ref = (now_s() - t0) * nent / (nref ? nref : 1);
    printf("enterprise_match: 40 policies x %d enterprises: %.3f s (%.1f ns/eval), %ld eligible\n",
           nent, t_fast, t_fast * 1e9 / (40.0 * nent), eligible);
    printf("enterprise_match: reference (re-parse per evaluation, scaled from %d): %.3f s; "
           "ratio %.1fx\n",
           nref, t_ref, t_ref / t_fast);
    (void)ref_eligible;

    /* KPI report over a year of appeals */
    char path[] = "/tmp/pj-bench-kpi-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    close(fd);
    remove(path);
    pj_db *db;
    if (pj_db_open(&db, path, &err)) {
        fprintf(stderr, "db: %s\n", err.message);
        return 1;
    }
    pj_arena ca;
    pj_arena_init(&ca, 1 << 16);
    pj_settings st;
    pj_settings_default(&st);
    pj_ctx c = {.db = db,
                .arena = &ca,
                .settings = &st,
                .request_id = "bench",
                .actor = {.username = "bench", .role = PJ_ROLE_ADMIN}};
    pj_db_exec(db,
               "INSERT INTO organisations (name, type, created_at, updated_at) VALUES"
               " ('firm', 'enterprise', 0, 0)",
               &err);
    pj_db_begin(db, &err);
    for (int d = 0; d < 20; d++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "INSERT INTO organisations (name, type, created_at, updated_at) VALUES"
                 " ('dept %d', 'government', 0, 0)",
                 d);
        pj_db_exec(db, sql, &err);
    }
    int64_t y0 = 1735660800; /* 2025-01-01T00:00:00+08 */
    int napp = 20000;
    pj_stmt *s = NULL;
    for (int i = 0; i < napp; i++) {
        s = pj_db_prepare(db,
                          "INSERT INTO ent_appeals (org_id, channel, type, category, title,"
                          " description, state, department_id, received_at, responded_at,"
                          " response_due, replied_at, complete_due, closed_at, resolved, rating,"
                          " created_by) VALUES (1,?,'help',?,'t','d',?,?,?,?,?,?,?,?,?,?,'b')",
                          &err);
        int64_t rec = y0 + (int64_t)pj_rng_below(&rng, 365 * 86400);
        int closed = pj_rng_below(&rng, 10) < 8;
        pj_stmt_text(s, 1, pj_rng_below(&rng, 5) ? "phone" : "reception_day");
        pj_stmt_text(s, 2, pj_appeal_categories[pj_rng_below(&rng, 9)]);
        pj_stmt_text(s, 3, closed ? "closed" : "in_progress");
        pj_stmt_int(s, 4, 2 + pj_rng_below(&rng, 20));
        pj_stmt_int(s, 5, rec);
        pj_stmt_int(s, 6, rec + pj_rng_below(&rng, 200000));
        pj_stmt_int(s, 7, rec + 86400 * 2);
        if (closed) pj_stmt_int(s, 8, rec + pj_rng_below(&rng, 2000000));
        pj_stmt_int(s, 9, rec + 86400 * 15);
        if (closed) pj_stmt_int(s, 10, rec + 2100000);
        pj_stmt_int(s, 11, closed && pj_rng_below(&rng, 10) < 8);
        if (closed) pj_stmt_text(s, 12, pj_rng_below(&rng, 10) < 9 ? "satisfied" : "not_satisfied");
        pj_stmt_step(s, &err);
        pj_stmt_done(s);
    }
    pj_db_commit(db, &err);
    pj_buf out;
    pj_buf_init(&out, 1 << 24);
    pj_jw w;
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        pj_buf_reset(&out);
        pj_jw_init(&w, &out);
        t0 = now_s();
        if (pj_ent_kpis(&c, y0, y0 + 365 * 86400, &w, NULL, &err)) {
            fprintf(stderr, "kpi: %s\n", err.message);
            return 1;
        }
        double t = now_s() - t0;
        if (t < best) best = t;
        pj_arena_reset(&ca);
    }
    /* reference: the same rates as SQL aggregates in SQLite (no median, no trend) */
    t0 = now_s();
    s = pj_db_prepare(db,
                      "SELECT department_id, COUNT(*), SUM(responded_at <= response_due),"
                      " SUM(state = 'closed' AND resolved = 1), SUM(rating = 'satisfied'),"
                      " SUM(replied_at <= complete_due) FROM ent_appeals WHERE received_at >= ?"
                      " AND received_at < ? GROUP BY department_id",
                      &err);
    pj_stmt_int(s, 1, y0);
    pj_stmt_int(s, 2, y0 + 365 * 86400);
    while (pj_stmt_step(s, &err) == 1) {
    }
    pj_stmt_done(s);
    double t_sql = now_s() - t0;
    printf("enterprise_kpi: report over %d appeals (a year, 20 departments): %.1f ms (best of 5);"
           " SQLite GROUP BY reference (rates only): %.1f ms; ratio %.2fx\n",
           napp, best * 1e3, t_sql * 1e3, best / t_sql);
    pj_buf_free(&out);
    pj_arena_free(&ca);
    pj_arena_free(&a);
    pj_db_close(db);
    remove(path);
    free(recs);
    return 0;
}
