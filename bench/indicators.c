/* Indicators benchmark, in-process (no HTTP), on a fresh database in a temporary directory:
 *   1. import a 100,000-row statistics table (50 indicators × 16 districts × 125 months) in
 *      one all-or-nothing commit, against a named reference: a plain SQLite INSERT loop of the
 *      same rows into a bare table (prepared statement, one transaction, same file settings);
 *   2. on 10 years × 500 indicators × 16 districts (80,000 values): the dashboard, one
 *      indicator's 10-year series for all 16 districts, a rank among the districts, and a
 *      year-on-year growth — medians of 51 runs, against the 50 ms budget.
 * Usage: indicators [DIR] (default /tmp). Prints figures and ratios. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/indicator.h"

static const char *const districts[16] = {
    "平谷区", "东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区",
    "房山区", "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "密云区",   "延庆区"};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const pj_err *e)
{
    fprintf(stderr, "indicators: %s\n", e->message);
    exit(1);
}

static pj_ctx ctx(pj_db *db, pj_arena *a, pj_settings *st)
{
    pj_arena_init(a, 1 << 16);
    pj_ctx c = {.db = db,
                .arena = a,
                .settings = st,
                .request_id = "bench",
                .actor = {.username = "bench", .role = PJ_ROLE_ADMIN}};
    return c;
}

static void define(pj_db *db, pj_settings *st, const char *prefix, int n)
{
    pj_err e = {0};
    for (int i = 0; i < n; i++) {
        pj_arena a;
        pj_ctx c = ctx(db, &a, st);
        char body[160];
        snprintf(body, sizeof body,
                 "{\"code\":\"%s%03d\",\"name\":\"指标%d\",\"unit\":\"亿元\","
                 "\"kind\":\"level\"}",
                 prefix, i, i);
        json_t *j = json_loads(body, 0, NULL);
        pj_buf b;
        pj_buf_init(&b, 1 << 16);
        pj_jw w;
        pj_jw_init(&w, &b);
        if (pj_indicator_create(&c, j, &w, &e)) die(&e);
        pj_buf_free(&b);
        json_decref(j);
        pj_arena_free(&a);
    }
}

typedef int (*run_fn)(pj_ctx *c, pj_jw *w, pj_err *e);

static int r_dashboard(pj_ctx *c, pj_jw *w, pj_err *e)
{
    return pj_ind_dashboard(c, w, e);
}
static int r_series(pj_ctx *c, pj_jw *w, pj_err *e)
{
    pj_value_filter f = {.code = "i250", .from = "2010", .to = "2019", .limit = 500};
    return pj_ind_value_list(c, &f, w, e);
}
static int r_rank(pj_ctx *c, pj_jw *w, pj_err *e)
{
    pj_derive_args a = {.fn = "rank", .code = "i123", .period = "2019", .by = "yoy"};
    return pj_ind_derive(c, &a, w, e);
}
static int r_yoy(pj_ctx *c, pj_jw *w, pj_err *e)
{
    pj_derive_args a = {.fn = "yoy", .code = "i400", .period = "2015"};
    return pj_ind_derive(c, &a, w, e);
}

static double median_ms(pj_db *db, pj_settings *st, run_fn fn, size_t *bytes)
{
    double t[51];
    pj_err e = {0};
    for (int i = 0; i < 51; i++) {
        pj_arena a;
        pj_ctx c = ctx(db, &a, st);
        pj_buf b;
        pj_buf_init(&b, 64 << 20);
        pj_jw w;
        pj_jw_init(&w, &b);
        double t0 = now_ms();
        if (fn(&c, &w, &e)) die(&e);
        t[i] = now_ms() - t0;
        *bytes = b.len;
        pj_buf_free(&b);
        pj_arena_free(&a);
    }
    qsort(t, 51, sizeof t[0], cmp);
    return t[25];
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[512], ref[512];
    snprintf(path, sizeof path, "%s/pj-bench-ind-%d.db", dir, (int)getpid());
    snprintf(ref, sizeof ref, "%s/pj-bench-ref-%d.db", dir, (int)getpid());
    pj_log_level(PJ_LOG_WARN);
    pj_db *db;
    pj_err e = {0};
    if (pj_db_open(&db, path, &e)) die(&e);
    pj_settings st;
    pj_settings_default(&st);
    {
        pj_arena a;
        pj_ctx c = ctx(db, &a, &st);
        if (pj_indicators_demo(&c, 1, &e)) die(&e);
        pj_arena_free(&a);
    }
    define(db, &st, "b", 50);
    define(db, &st, "i", 500);

    /* 1. the 100,000-row table */
    pj_buf csv;
    pj_buf_init(&csv, 64 << 20);
    pj_buf_puts(&csv, "code,region,period,value,unit,source\n");
    int rows = 0;
    for (int k = 0; k < 50; k++)
        for (int d = 0; d < 16; d++)
            for (int m = 0; m < 125; m++, rows++)
                pj_buf_printf(&csv, "b%03d,%s,%d-%02d,%d.%d,亿元,区统计局\n", k, districts[d],
                              2014 + m / 12, m % 12 + 1, 100 + (k * 7 + d * 3 + m) % 900, m % 10);
    double t0 = now_ms();
    {
        pj_arena a;
        pj_ctx c = ctx(db, &a, &st);
        pj_buf o;
        pj_buf_init(&o, 1 << 20);
        pj_jw w;
        pj_jw_init(&w, &o);
        if (pj_ind_import_csv(&c, csv.data, csv.len, 0, 1000000, &w, &e)) die(&e);
        pj_buf_free(&o);
        pj_arena_free(&a);
    }
    double t_imp = now_ms() - t0;
    t0 = now_ms();
    {
        pj_arena a;
        pj_ctx c = ctx(db, &a, &st);
        pj_buf o;
        pj_buf_init(&o, 1 << 20);
        pj_jw w;
        pj_jw_init(&w, &o);
        if (pj_ind_import_csv(&c, csv.data, csv.len, 1, 1000000, &w, &e)) die(&e);
        pj_buf_free(&o);
        pj_arena_free(&a);
    }
    double t_dry = now_ms() - t0;

    /* the reference: a plain INSERT loop of the same rows (pre-split, no checks) */
    sqlite3 *r;
    sqlite3_open(ref, &r);
    sqlite3_exec(r,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE v (code TEXT,"
                 " region TEXT, period TEXT, value REAL, unit TEXT, source TEXT,"
                 " UNIQUE (code, region, period));",
                 NULL, NULL, NULL);
    t0 = now_ms();
    sqlite3_exec(r, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(r, "INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)", -1, &ins, NULL);
    for (int k = 0; k < 50; k++)
        for (int d = 0; d < 16; d++)
            for (int m = 0; m < 125; m++) {
                char code[8], per[12];
                snprintf(code, sizeof code, "b%03d", k);
                snprintf(per, sizeof per, "%d-%02d", 2014 + m / 12, m % 12 + 1);
                sqlite3_bind_text(ins, 1, code, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(ins, 2, districts[d], -1, SQLITE_STATIC);
                sqlite3_bind_text(ins, 3, per, -1, SQLITE_TRANSIENT);
                sqlite3_bind_double(ins, 4, 100 + (k * 7 + d * 3 + m) % 900 + (m % 10) / 10.0);
                sqlite3_bind_text(ins, 5, "亿元", -1, SQLITE_STATIC);
                sqlite3_bind_text(ins, 6, "区统计局", -1, SQLITE_STATIC);
                sqlite3_step(ins);
                sqlite3_reset(ins);
            }
    sqlite3_finalize(ins);
    sqlite3_exec(r, "COMMIT", NULL, NULL, NULL);
    double t_ref = now_ms() - t0;
    sqlite3_close(r);
    printf("import %d rows (%.1f MB CSV), one transaction, with checks and revision lookups:\n",
           rows, (double)csv.len / 1e6);
    printf("  pingji import          %8.1f ms  %9.0f rows/s\n", t_imp, rows / (t_imp / 1e3));
    printf("  pingji preview (dry)   %8.1f ms  %9.0f rows/s\n", t_dry, rows / (t_dry / 1e3));
    printf("  reference: plain SQLite INSERT loop, same rows, one transaction\n");
    printf("                         %8.1f ms  %9.0f rows/s   pingji/reference time %.2f\n", t_ref,
           rows / (t_ref / 1e3), t_imp / t_ref);

    /* 2. 10 years × 500 indicators × 16 districts */
    pj_buf_reset(&csv);
    pj_buf_puts(&csv, "code,region,period,value\n");
    rows = 0;
    for (int k = 0; k < 500; k++)
        for (int d = 0; d < 16; d++)
            for (int y = 2010; y < 2020; y++, rows++)
                pj_buf_printf(&csv, "i%03d,%s,%d,%d.5\n", k, districts[d], y,
                              50 + (k * 13 + d * 7 + y) % 400);
    {
        pj_arena a;
        pj_ctx c = ctx(db, &a, &st);
        pj_buf o;
        pj_buf_init(&o, 1 << 20);
        pj_jw w;
        pj_jw_init(&w, &o);
        if (pj_ind_import_csv(&c, csv.data, csv.len, 0, 1000000, &w, &e)) die(&e);
        pj_buf_free(&o);
        pj_arena_free(&a);
    }
    pj_buf_free(&csv);
    printf("queries on %d + 100,000 values (median of 51, budget 50 ms):\n", rows);
    static const struct {
        const char *name;
        run_fn fn;
    } q[] = {{"dashboard (16 figures, sources)", r_dashboard},
             {"series: 1 indicator × 16 districts × 10 years", r_series},
             {"rank of yoy growth among 16 districts", r_rank},
             {"yoy growth of one value", r_yoy}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        size_t bytes = 0;
        double m = median_ms(db, &st, q[i].fn, &bytes);
        printf("  %-48s %7.3f ms  (%zu bytes)  %s\n", q[i].name, m, bytes,
               m <= 50 ? "within budget" : "OVER BUDGET");
    }
    pj_db_close(db);
    char p2[600];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p2, sizeof p2, "%s%s", path, sfx[i]);
        unlink(p2);
        snprintf(p2, sizeof p2, "%s%s", ref, sfx[i]);
        unlink(p2);
    }
    return 0;
}
