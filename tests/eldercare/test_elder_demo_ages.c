/* The demo's elders are 60 to 95, drawn for each elder from the demo's seed with more of the
 * younger ages, as a district's elders are: the birth dates counted down elder by elder in
 * grid order, so each grid's elders were born within months of each other (grid01's all aged
 * 60). Their ID numbers stay valid (the birth date, the sex's parity, the check character)
 * and one per person, none a helper's; the same seed gives the same elders. */
#include <unistd.h>

#include "core/util.h"
#include "eldercare/el_fixture.h"

/* whole years of age today (Beijing) of the elders matching `where`, as SQL */
#define AGE                                                                                        \
    "(CAST(strftime('%Y', 'now', '+8 hours') AS INTEGER) - CAST(substr(birth_date, 1, 4) AS "      \
    "INTEGER) - (strftime('%m-%d', 'now', '+8 hours') < substr(birth_date, 6, 5)))"

static long long count_aged(th_server *s, int lo, int hi)
{
    char q[400], range[40];
    snprintf(range, sizeof range, " BETWEEN %d AND %d", lo, hi);
    snprintf(q, sizeof q, "%s%s", "SELECT COUNT(*) FROM elders WHERE " AGE, range);
    return th_sql_int(s, q);
}

TEST_T(elder_demo_ages_spread_over_60_to_95, 180)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 3000);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elders"), 3000);
    /* 60–95, every elder */
    CHECK_INT(count_aged(&s, 60, 95), 3000);
    /* more of the younger: each decade fewer than the one before, none empty */
    long long d60 = count_aged(&s, 60, 69), d70 = count_aged(&s, 70, 79),
              d80 = count_aged(&s, 80, 89), d90 = count_aged(&s, 90, 95);
    CHECK(d60 > d70 && d70 > d80 && d80 > d90 && d90 > 0);
    CHECK(d60 > 3000 / 3);
    /* each grid's elders of many ages: grid01's, and every grid of 20 elders or more */
    CHECK(th_sql_int(&s, "SELECT COUNT(DISTINCT " AGE ") FROM elders WHERE grid_id IN (SELECT"
                         " region_id FROM grid_workers gw JOIN users u ON u.id = gw.user_id"
                         " WHERE u.username = 'grid01')") >= 15);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM (SELECT grid_id FROM elders GROUP BY grid_id"
                             " HAVING COUNT(*) >= 20 AND MAX(" AGE ") - MIN(" AGE ") < 15)"),
              0);
    /* the helpers 35 to 73, of every decade, mixed in any order — regression: they were aged
     * 25 + their place in the list, the first five hundred all 25 or 26, none over 38 */
    long long nh = th_sql_int(&s, "SELECT COUNT(*) FROM helpers");
    CHECK(nh >= 500);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM helpers WHERE " AGE " BETWEEN 35 AND 73"), nh);
    for (int d = 35; d < 75; d += 10) {
        char q[300];
        snprintf(q, sizeof q, "SELECT COUNT(*) FROM helpers WHERE %s BETWEEN %d AND %d", AGE, d,
                 d + 9);
        CHECK(th_sql_int(&s, q) > nh / 10);
    }
    CHECK(th_sql_int(&s, "SELECT MAX(" AGE ") - MIN(" AGE ") FROM (SELECT birth_date FROM helpers"
                         " ORDER BY id LIMIT 100)") >= 25);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(DISTINCT id_number) FROM helpers"), nh);
    /* ID numbers: one per person, none a helper's, each of the elder's birth date and sex */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(DISTINCT id_number) FROM elders"), 3000);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elders e JOIN helpers h ON h.id_number ="
                             " e.id_number"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elders WHERE length(id_number) <> 18 OR"
                             " substr(id_number, 7, 8) <> replace(birth_date, '-', '') OR"
                             " (CAST(substr(id_number, 17, 1) AS INTEGER) % 2 = 1) <> (sex ="
                             " 'M')"),
              0);
    th_ctx t;
    th_ctx_open(&s, &t, "test", PJ_ROLE_ADMIN);
    pj_err err;
    pj_err_clear(&err);
    pj_stmt *st = pj_db_prepare(t.db, "SELECT id_number FROM elders", &err);
    CHECK(st != NULL);
    int rc, bad = 0, n = 0;
    while ((rc = pj_stmt_step(st, &err)) == 1) {
        const char *idn = pj_col_text(st, 0);
        bad += pj_id_check_char(idn) != idn[17];
        n++;
    }
    pj_stmt_done(st);
    CHECK_INT(rc, 0);
    CHECK_INT(n, 3000);
    CHECK_INT(bad, 0);
    th_ctx_close(&t);
    /* the same seed, the same elders */
    static const char *const sum = "SELECT SUM(id * (CAST(julianday(birth_date) AS INTEGER) % 9973)"
                                   " + length(id_number)) FROM elders";
    long long first = th_sql_int(&s, sum);
    th_stop(&s);
    /* a new database in the same place */
    char f[700];
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (int k = 0; k < 3; k++) {
        snprintf(f, sizeof f, "%s%s", s.db, ext[k]);
        unlink(f);
    }
    th_server s2;
    th_start(&s2, 1);
    el_demo(&s2, 3000);
    CHECK_INT(th_sql_int(&s2, sum), first);
    th_stop(&s2);
}
