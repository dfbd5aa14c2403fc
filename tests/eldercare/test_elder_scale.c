/* Eldercare reads as the records grow (years of service logs and alerts): a credit account's
 * page is one range of an index, not every entry of the account sorted; a database of an
 * older build gets its entries' times when it is upgraded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "domain/elder.h"
#include "t.h"
#include "th.h"

static void page(th_ctx *t, int64_t account, int64_t cursor)
{
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_credit_account_get(&t->c, account, cursor, 50, &w, &err))
        t_fail(__FILE__, __LINE__, "account %lld: %s", (long long)account, err.message);
    pj_buf_free(&out);
}

TEST(elder_credit_account_page_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    /* the issuance account (1) with one earned service */
    if (pj_db_exec(t.db,
                   "INSERT INTO credit_txns (id, kind, at, note, created_by) VALUES"
                   " (1, 'earn', 1790000000, 'meal', 't');"
                   "INSERT INTO credit_entries (txn_id, account_id, amount_min, at) VALUES"
                   " (1, 1, -30, 1790000000), (1, 2, 30, 1790000000);",
                   &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    page(&t, 1, 0);
    page(&t, 1, 1);
    /* the first page and the next: each a range of (account_id, at, id), read in its order */
    const char *plan = th_plans(&t, "ORDER BY e.at DESC");
    CHECK(strstr(plan, "SEARCH e USING INDEX credit_entries_account_at (account_id=?)"));
    CHECK(strstr(plan, "SEARCH e USING INDEX credit_entries_account_at (account_id=? AND at<?)"));
    CHECK(!strstr(plan, "\n  SCAN "));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    th_ctx_close(&t);
}

/* The time bank's check sums every account's entries and every transaction's entries: from
 * indexes that hold the amounts, not from the table's rows (two per service ever logged). */
TEST(elder_credit_check_from_indexes)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_credit_check(&t.c, &w, &err)) t_fail(__FILE__, __LINE__, "check: %s", err.message);
    CHECK(strstr(out.data, "\"ok\":true"));
    pj_buf_free(&out);
    CHECK(strstr(th_plans(&t, "a.balance_min <>"),
                 "SEARCH e USING COVERING INDEX credit_entries_account_at (account_id=?)"));
    CHECK(strstr(th_plans(&t, "GROUP BY txn_id"), "SCAN credit_entries USING COVERING INDEX"
                                                  " credit_entries_txn_amount"));
    th_ctx_close(&t);
}

/* A database made before entries carried their time: the upgrade copies each transaction's
 * time to its entries. */
TEST(elder_credit_entries_time_on_upgrade)
{
    char path[600];
    snprintf(path, sizeof path, "%s/old.db", t_tmpdir());
    pj_log_level(PJ_LOG_WARN);
    pj_db *db;
    pj_err err = {0};
    if (pj_db_open_at(&db, path, 103, &err)) t_fail(__FILE__, __LINE__, "%s", err.message);
    if (pj_db_exec(db,
                   "INSERT INTO credit_txns (id, kind, at, note, created_by) VALUES"
                   " (1, 'earn', 1790000000, 'meal', 't'), (2, 'earn', 1790003600, 'meal', 't');"
                   "INSERT INTO credit_entries (txn_id, account_id, amount_min) VALUES"
                   " (1, 1, -30), (1, 2, 30), (2, 1, -45), (2, 2, 45);",
                   &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    pj_db_close(db);
    if (pj_db_open(&db, path, &err)) t_fail(__FILE__, __LINE__, "%s", err.message);
    pj_stmt *s = pj_db_prepare(db,
                               "SELECT COUNT(*), SUM(e.at = t.at) FROM credit_entries e JOIN"
                               " credit_txns t ON t.id = e.txn_id",
                               &err);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &err), 1);
    CHECK_INT(pj_col_int(s, 0), 4);
    CHECK_INT(pj_col_int(s, 1), 4);
    pj_stmt_done(s);
    pj_db_close(db);
}

static void alerts(th_ctx *t, const char *state, int64_t cursor)
{
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_alert_list(&t->c, state, NULL, NULL, 0, cursor, 50, &w, &err))
        t_fail(__FILE__, __LINE__, "alerts: %s", err.message);
    pj_buf_free(&out);
}

/* The alerts of one state, newest first, page after page: one range of an index each, for the
 * district as for a township officer — not every alert read from the newest down to find the
 * open ones under years of resolved ones. */
TEST(elder_alerts_by_state_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    alerts(&t, "open", 0);
    alerts(&t, "open", 1000);
    const char *plan = th_plans(&t, "FROM elder_alerts a WHERE");
    CHECK(strstr(plan, "SEARCH a USING COVERING INDEX elder_alerts_state_id (state=?)"));
    CHECK(strstr(plan, "SEARCH a USING COVERING INDEX elder_alerts_state_id (state=? AND id<?)"));
    CHECK(!strstr(plan, "\n  SCAN "));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    th_ctx_close(&t);
    th_ctx_fresh(&t);
    t.c.actor.role = PJ_ROLE_TOWNSHIP_OFFICER;
    t.c.actor.township_id = 2;
    alerts(&t, "resolved", 0);
    plan = th_plans(&t, "FROM elder_alerts a WHERE");
    CHECK(strstr(plan, "SEARCH a USING "));
    CHECK(!strstr(plan, "\n  SCAN "));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    th_ctx_close(&t);
    /* a grid worker's open alerts: their grids' from (grid_id, state), not the district's */
    th_ctx_fresh(&t);
    t.c.actor.role = PJ_ROLE_GRID_WORKER;
    t.c.actor.user_id = 1;
    alerts(&t, "open", 0);
    plan = th_plans(&t, "elder_alerts a");
    CHECK(strstr(plan, "SEARCH a USING COVERING INDEX elder_alerts_grid (grid_id=? AND state=?)"));
    CHECK(!strstr(plan, "\n  SCAN "));
    CHECK(!strstr(plan, "elder_alerts_state_id"));
    th_ctx_close(&t);
}

/* Walks every page of the alert list (3 a page) as t's actor sees it with the state filter,
 * and checks the ids against want (newest first), none left out or twice. */
static void walk_alerts(th_ctx *t, const char *state, const char *want_sql)
{
    long long want[64], got[64];
    int nw = 0, ng = 0;
    pj_err err = {0};
    pj_stmt *q = pj_db_prepare(t->db, want_sql, &err);
    CHECK(q != NULL);
    while (pj_stmt_step(q, &err) == 1 && nw < 64) want[nw++] = pj_col_int(q, 0);
    pj_stmt_done(q);
    int64_t cursor = 0;
    for (int pages = 0; pages < 64; pages++) {
        pj_buf out;
        pj_buf_init(&out, 1 << 20);
        pj_jw w;
        pj_jw_init(&w, &out);
        if (pj_alert_list(&t->c, state, NULL, NULL, 0, cursor, 3, &w, &err))
            t_fail(__FILE__, __LINE__, "alerts: %s", err.message);
        json_t *o = json_loadb(out.data, out.len, 0, NULL);
        pj_buf_free(&out);
        CHECK(o != NULL);
        json_t *items = json_object_get(o, "items");
        for (size_t i = 0; i < json_array_size(items) && ng < 64; i++)
            got[ng++] = th_int(json_array_get(items, i), "id");
        json_t *next = json_object_get(o, "next_cursor");
        cursor = json_is_string(next) ? strtoll(json_string_value(next), NULL, 10) : 0;
        json_decref(o);
        if (!cursor) break;
    }
    CHECK_INT(ng, nw);
    for (int i = 0; i < nw; i++) CHECK_INT(got[i], want[i]);
}

/* The same alerts, in the same order, page by page, whichever way the list is read: a grid
 * worker's by state (grid by grid) and not, a township officer's, the district's. */
TEST(elder_alerts_list_same_alerts)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    /* two townships, a grid in each and another in the first; the worker holds grids 4 and 6 */
    if (pj_db_exec(
            t.db,
            "INSERT INTO regions (id, parent_id, code, name, type, created_at, updated_at) VALUES"
            " (1, NULL, 'd', 'D', 'district', 0, 0), (2, 1, 't1', 'T1', 'township', 0, 0),"
            " (3, 1, 't2', 'T2', 'township', 0, 0), (4, 2, 'g1', 'G1', 'grid', 0, 0),"
            " (5, 3, 'g2', 'G2', 'grid', 0, 0), (6, 2, 'g3', 'G3', 'grid', 0, 0);"
            "INSERT INTO users (id, username, role, password_hash, created_at, updated_at) VALUES"
            " (9, 'g', 'grid_worker', 'x', 0, 0);"
            "INSERT INTO grid_workers (region_id, user_id) VALUES (4, 9), (6, 9);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
            " INSERT INTO elder_alerts (id, kind, grid_id, township_id, dedupe_key, state,"
            " raised_at) SELECT i, 'no_doctor', CASE i % 3 WHEN 0 THEN 4 WHEN 1 THEN 5 ELSE 6"
            " END, CASE i % 3 WHEN 1 THEN 3 ELSE 2 END, 'k' || i, CASE i % 4 WHEN 0 THEN"
            " 'open' WHEN 1 THEN 'acked' WHEN 2 THEN 'resolved' ELSE 'open' END, i FROM n;",
            &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    static const char *const states[] = {"open", "acked", "resolved", NULL};
    char sql[256];
    for (int k = 0; k < 4; k++) {
        const char *st = states[k];
        char cond[64] = "";
        if (st) snprintf(cond, sizeof cond, " AND state = '%s'", st);
        t.c.actor.role = PJ_ROLE_GRID_WORKER;
        t.c.actor.user_id = 9;
        snprintf(sql, sizeof sql,
                 "SELECT id FROM elder_alerts WHERE grid_id IN (4, 6)%s ORDER BY id DESC", cond);
        walk_alerts(&t, st, sql);
        t.c.actor.role = PJ_ROLE_TOWNSHIP_OFFICER;
        t.c.actor.township_id = 2;
        snprintf(sql, sizeof sql,
                 "SELECT id FROM elder_alerts WHERE township_id = 2%s ORDER BY id DESC", cond);
        walk_alerts(&t, st, sql);
        t.c.actor.role = PJ_ROLE_ADMIN;
        snprintf(sql, sizeof sql, "SELECT id FROM elder_alerts WHERE 1 = 1%s ORDER BY id DESC",
                 cond);
        walk_alerts(&t, st, sql);
    }
    th_ctx_close(&t);
}

static json_t *coverage(th_ctx *t, const char *group, int64_t since, int64_t until)
{
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_elder_coverage(&t->c, group, 0, since, until, &w, NULL, &err))
        t_fail(__FILE__, __LINE__, "coverage: %s", err.message);
    json_t *o = json_loadb(out.data, out.len, 0, NULL);
    pj_buf_free(&out);
    CHECK(o != NULL);
    return o;
}

/* district 1 > township 2 > village 3 > grid 4 */
#define REGIONS                                                                                    \
    "INSERT INTO regions (id, parent_id, code, name, type, created_at, updated_at) VALUES"         \
    " (1, NULL, 'd', 'D', 'district', 0, 0), (2, 1, 't', 'T', 'township', 0, 0),"                  \
    " (3, 2, 'v', 'V', 'village', 0, 0), (4, 3, 'g1', 'G1', 'grid', 0, 0)"

/* The coverage report's alerts: the open ones and those resolved in the period, read from
 * indexes (not every alert ever raised); an area whose only alerts were resolved long ago
 * still has its row, as when every alert was read. */
TEST(elder_coverage_alerts_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    /* township 2 > village 3 > grids 4 and 5: no elders; grid 4 has an alert resolved in
     * 2020, grid 5 one open and one resolved in the period (a day after it was raised) */
    if (pj_db_exec(
            t.db,
            REGIONS
            ", (5, 3, 'g2', 'G2', 'grid', 0, 0);"
            "INSERT INTO elder_alerts (kind, grid_id, township_id, dedupe_key, state, raised_at,"
            " resolved_at) VALUES ('no_doctor', 4, 2, 'a', 'resolved', 1577836800, 1577923200),"
            " ('no_doctor', 5, 2, 'b', 'open', 1790000000, NULL),"
            " ('no_doctor', 5, 2, 'c', 'resolved', 1790000000, 1790086400);",
            &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    json_t *o = coverage(&t, "grid", 1789000000, 1791000000);
    json_t *rows = json_object_get(o, "rows");
    CHECK_INT(json_array_size(rows), 2);
    json_t *g1 = json_array_get(rows, 0), *g2 = json_array_get(rows, 1);
    CHECK_INT(th_int(g1, "region_id"), 4);
    CHECK_INT(th_int(g1, "alerts_open"), 0);
    CHECK_INT(th_int(g1, "alerts_resolved"), 0);
    CHECK_INT(th_int(g2, "region_id"), 5);
    CHECK_INT(th_int(g2, "alerts_open"), 1);
    CHECK_INT(th_int(g2, "alerts_resolved"), 1);
    CHECK_INT(th_int(g2, "resolve_hours_avg"), 24);
    json_decref(o);
    o = coverage(&t, "township", 1789000000, 1791000000);
    rows = json_object_get(o, "rows");
    CHECK_INT(json_array_size(rows), 1);
    CHECK_INT(th_int(json_array_get(rows, 0), "alerts_open"), 1);
    json_decref(o);
    o = coverage(&t, "village", 1789000000, 1791000000);
    CHECK_INT(json_array_size(json_object_get(o, "rows")), 1);
    json_decref(o);
    /* the period's logs: a range of the covering index, which holds voided_at too (without it
     * every log of the period was looked up in the table: 1.6-2.7 s at the demo's month) */
    const char *lp = th_plans(&t, "l.voided_at IS NULL");
    CHECK(strstr(lp, "USING COVERING INDEX elder_logs_report (time_in>? AND time_in<?)"));
    const char *plan = th_plans(&t, "FROM elder_alerts a JOIN regions g");
    CHECK(strstr(plan, "SEARCH a USING INDEX elder_alerts_resolved (state=? AND resolved_at>? AND"
                       " resolved_at<?)"));
    CHECK(strstr(plan, "SCAN elder_alerts USING COVERING INDEX elder_alerts_area"));
    /* the table itself is searched by index only (its rows are never all read) */
    CHECK(!strstr(plan, "SCAN elder_alerts\n"));
    for (const char *p = plan; (p = strstr(p, "SCAN a")); p++)
        CHECK(!strncmp(p, "SCAN a\n", 7) && strstr(plan, "MATERIALIZE a"));
    /* a township officer's: the areas of their township, one range */
    t.c.actor.role = PJ_ROLE_TOWNSHIP_OFFICER;
    t.c.actor.township_id = 2;
    json_decref(coverage(&t, "village", 1789000000, 1791000000));
    plan = th_plans(&t, "AND a.township_id = ? UNION ALL");
    CHECK(
        strstr(plan, "SEARCH elder_alerts USING COVERING INDEX elder_alerts_area (township_id=?)"));
    th_ctx_close(&t);
}

/* Every page of the service-log list (3 a page) as t's actor sees it under the filters, against
 * want_sql's ids, newest first. */
static void walk_logs(th_ctx *t, const char *kind, int64_t since, int64_t until,
                      const char *want_sql)
{
    long long want[128], got[128];
    int nw = 0, ng = 0;
    pj_err err = {0};
    pj_stmt *q = pj_db_prepare(t->db, want_sql, &err);
    CHECK(q != NULL);
    while (pj_stmt_step(q, &err) == 1 && nw < 128) want[nw++] = pj_col_int(q, 0);
    pj_stmt_done(q);
    int64_t cursor = 0;
    for (int pages = 0; pages < 128; pages++) {
        pj_buf out;
        pj_buf_init(&out, 1 << 20);
        pj_jw w;
        pj_jw_init(&w, &out);
        if (pj_service_log_list(&t->c, 0, 0, kind, since, until, -1, cursor, 3, &w, &err))
            t_fail(__FILE__, __LINE__, "logs: %s", err.message);
        json_t *o = json_loadb(out.data, out.len, 0, NULL);
        pj_buf_free(&out);
        CHECK(o != NULL);
        json_t *items = json_object_get(o, "items");
        for (size_t i = 0; i < json_array_size(items) && ng < 128; i++)
            got[ng++] = th_int(json_array_get(items, i), "id");
        json_t *next = json_object_get(o, "next_cursor");
        cursor = json_is_string(next) ? strtoll(json_string_value(next), NULL, 10) : 0;
        json_decref(o);
        if (!cursor) break;
    }
    CHECK_INT(ng, nw);
    for (int i = 0; i < nw; i++) CHECK_INT(got[i], want[i]);
}

/* The service-log list of a township officer, a grid worker and a period: the same logs in
 * the same order page by page, each read from an index of its own (not every log of the
 * district from the newest down). */
TEST(elder_service_logs_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    /* townships 2 and 3, grids 4 (of 2), 5 (of 3), 6 (of 2); the worker holds 4 and 6; an elder
     * per grid; 60 logs, a day apart, going round the grids */
    if (pj_db_exec(
            t.db,
            "INSERT INTO regions (id, parent_id, code, name, type, created_at, updated_at) VALUES"
            " (1, NULL, 'd', 'D', 'district', 0, 0), (2, 1, 't1', 'T1', 'township', 0, 0),"
            " (3, 1, 't2', 'T2', 'township', 0, 0), (4, 2, 'g1', 'G1', 'grid', 0, 0),"
            " (5, 3, 'g2', 'G2', 'grid', 0, 0), (6, 2, 'g3', 'G3', 'grid', 0, 0);"
            "INSERT INTO users (id, username, role, password_hash, created_at, updated_at) VALUES"
            " (9, 'g', 'grid_worker', 'x', 0, 0);"
            "INSERT INTO grid_workers (region_id, user_id) VALUES (4, 9), (6, 9);"
            "INSERT INTO elders (id, name, sex, birth_date, id_number, grid_id, village_id,"
            " township_id, lat, lon, created_at, updated_at) VALUES"
            " (1, 'e1', 'F', '1940-01-01', 'x1', 4, 4, 2, 40, 117, 0, 0),"
            " (2, 'e2', 'M', '1940-01-01', 'x2', 5, 5, 3, 40, 117, 0, 0),"
            " (3, 'e3', 'F', '1940-01-01', 'x3', 6, 6, 2, 40, 117, 0, 0);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
            " INSERT INTO elder_service_logs (elder_id, kind, time_in, time_out, minutes,"
            " recorded_by, grid_id, village_id, township_id, created_at) SELECT 1 + i % 3,"
            " CASE i % 2 WHEN 0 THEN 'meal' ELSE 'companionship' END, 1790000000 + 86400 * i,"
            " 1790000000 + 86400 * i + 1800, 30, 't', 4 + i % 3, 4 + i % 3, CASE i % 3 WHEN 1"
            " THEN 3 ELSE 2 END, 0 FROM n;",
            &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    int64_t s0 = 1790000000 + 86400 * 10, s1 = 1790000000 + 86400 * 40;
    char sql[256];
    for (int role = 0; role < 3; role++) {
        const char *scope = "";
        if (role == 0) {
            t.c.actor.role = PJ_ROLE_ADMIN;
        } else if (role == 1) {
            t.c.actor.role = PJ_ROLE_TOWNSHIP_OFFICER;
            t.c.actor.township_id = 2;
            scope = " AND township_id = 2";
        } else {
            t.c.actor.role = PJ_ROLE_GRID_WORKER;
            t.c.actor.user_id = 9;
            scope = " AND grid_id IN (4, 6)";
        }
        snprintf(sql, sizeof sql,
                 "SELECT id FROM elder_service_logs WHERE 1 = 1%s ORDER BY id DESC", scope);
        walk_logs(&t, NULL, 0, 0, sql);
        snprintf(sql, sizeof sql,
                 "SELECT id FROM elder_service_logs WHERE kind = 'meal'%s ORDER BY id DESC", scope);
        walk_logs(&t, "meal", 0, 0, sql);
        snprintf(sql, sizeof sql,
                 "SELECT id FROM elder_service_logs WHERE time_in >= %lld AND time_in < %lld%s"
                 " ORDER BY id DESC",
                 (long long)s0, (long long)s1, scope);
        walk_logs(&t, NULL, s0, s1, sql);
    }
    const char *plan = th_plans(&t, "FROM elder_service_logs l WHERE 1 = 1 AND l.id < ? AND"
                                    " l.township_id = ? ORDER BY");
    CHECK(strstr(plan, "SEARCH l USING COVERING INDEX elder_logs_township (township_id=? AND"
                       " rowid<?)"));
    plan = th_plans(&t, "FROM elder_service_logs l WHERE 1 = 1 AND l.grid_id IN");
    CHECK(strstr(plan, "SEARCH l USING COVERING INDEX elder_logs_grid (grid_id=?)"));
    CHECK(!strstr(plan, "\n  SCAN "));
    plan = th_plans(&t, "FROM elder_service_logs l WHERE 1 = 1 AND l.time_in >= ? AND");
    CHECK(strstr(plan, "USING COVERING INDEX elder_logs_report (time_in>? AND time_in<?)"));
    th_ctx_close(&t);
}

/* A service log's page reads each log's void from an index of the transactions by log: every
 * row looked through the whole ledger for it (10-15 ms a row at the demo's 223k transactions,
 * a page of 500 held the server 8-10 s). */
TEST(elder_service_log_void_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    if (pj_db_exec(
            t.db,
            REGIONS
            ";"
            "INSERT INTO elders (id, name, sex, birth_date, id_number, grid_id, village_id,"
            " township_id, lat, lon, created_at, updated_at) VALUES (1, '老人', 'F', '1940-01-01',"
            " '110101194001010022', 4, 3, 2, 40.1, 117.1, 0, 0);"
            "INSERT INTO elder_service_logs (elder_id, kind, time_in, time_out, minutes,"
            " recorded_by, grid_id, village_id, township_id, created_at) VALUES (1, 'meal',"
            " 1790000000, 1790001800, 30, 't', 4, 3, 2, 0);",
            &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_service_log_list(&t.c, 0, 0, NULL, 0, 0, -1, 0, 50, &w, &err))
        t_fail(__FILE__, __LINE__, "list: %s", err.message);
    CHECK(strstr(out.data, "\"kind\":\"meal\"") != NULL);
    pj_buf_free(&out);
    const char *plan = th_plans(&t, "t.log_id = l.id");
    CHECK(strstr(plan, "SEARCH t USING COVERING INDEX credit_txns_log (log_id=? AND kind=?)"));
    th_ctx_close(&t);
}
