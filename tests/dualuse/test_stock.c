/* Stock lines of the supply stores after review: ids are never given twice (a stale page's
 * delete cannot hit a newer line), a delete names the version it saw, expiry dates are real
 * dates of 2000–2100 (none is null, and null clears one), a change that changes nothing writes
 * nothing, a source is not blank; the migration that made ids unique keeps every line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "t.h"
#include "th.h"

static long long audit_rows(th_server *s)
{
    return th_sql_int(s, "SELECT COUNT(*) FROM audit WHERE entity = 'stock_line'");
}

/* A new line of facility 1 (万达锦华酒店): its id; *version gets its version. */
static long long add_line(th_server *s, const char *tok, const char *extra, long long *version)
{
    char body[300];
    snprintf(body, sizeof body, "{\"facility_id\":1,\"category\":\"water\",\"quantity\":1200%s}",
             extra ? extra : "");
    json_t *o = NULL;
    int st = th_call(s, "POST", "/api/v1/stock", tok, body, &o);
    if (st != 201)
        t_fail(__FILE__, __LINE__, "POST /stock %s: %d (%s)", body, st, o ? th_err_message(o) : "");
    long long id = th_int(o, "id");
    if (version) *version = th_int(o, "version");
    json_decref(o);
    return id;
}

static int del(th_server *s, const char *tok, long long id, const char *query, json_t **o)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/stock/%lld%s", id, query ? query : "");
    return th_call(s, "DELETE", path, tok, NULL, o);
}

static int patch(th_server *s, const char *tok, long long id, const char *body, json_t **o)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/stock/%lld", id);
    return th_call(s, "PATCH", path, tok, body, o);
}

/* Regression: the newest line deleted, the next one created got its id (no AUTOINCREMENT), so
 * a page still showing the deleted line would delete the new one. */
TEST(dualuse_stock_ids_are_never_reused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], q[40];
    th_login(&s, "officer", s.demo_pw, tok);
    long long v, a = add_line(&s, tok, NULL, &v);
    snprintf(q, sizeof q, "?version=%lld", v);
    CHECK_INT(del(&s, tok, a, q, NULL), 204);
    long long b = add_line(&s, tok, NULL, NULL);
    CHECK(b > a);
    /* the stale page's delete of a: gone, whatever the version; b stays */
    json_t *o = NULL;
    CHECK_INT(del(&s, tok, a, "?version=1", &o), 404);
    CHECK_STR(th_err_code(o), "not_found");
    json_decref(o);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM stock_lines WHERE id = %lld", b);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* Regression: DELETE took no version, so a line changed since the page was read was deleted
 * all the same. Now ?version=N is required: missing or malformed 400, stale 409; scope first. */
TEST(dualuse_stock_delete_takes_the_version)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], wanda[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "wanda", s.demo_pw, wanda);
    long long v, id = add_line(&s, tok, NULL, &v);
    json_t *o = NULL;
    CHECK_INT(patch(&s, tok, id, "{\"version\":1,\"quantity\":1500}", &o), 200);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    th_fingerprint(&s, fp0, sizeof fp0);
    long long audits = audit_rows(&s);
    static const struct {
        const char *query;
        int status;
        const char *code;
    } bad[] = {
        {"?version=1", 409, "version_conflict"}, /* the page read version 1 */
        {"", 400, "bad_query"},                  /* no version */
        {"?version=", 400, "bad_query"},
        {"?version=two", 400, "bad_query"},
        {"?version=0", 400, "bad_query"},
        {"?version=2&force=1", 400, "unknown_parameter"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = NULL;
        int st = del(&s, tok, id, bad[i].query, &o);
        if (st != bad[i].status || strcmp(th_err_code(o), bad[i].code))
            t_fail(__FILE__, __LINE__, "DELETE %s: %d %s, expected %d %s", bad[i].query, st,
                   th_err_code(o), bad[i].status, bad[i].code);
        if (strcmp(th_err_field(o), strcmp(bad[i].code, "unknown_parameter") ? "version" : "force"))
            t_fail(__FILE__, __LINE__, "DELETE %s: field %s", bad[i].query, th_err_field(o));
        json_decref(o);
    }
    /* a facility operator on another facility's line: 403 before the version */
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM stock_lines WHERE facility_id <> 1");
    o = NULL;
    CHECK_INT(del(&s, wanda, other, "?version=99", &o), 403);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(audit_rows(&s), audits);
    /* the version read: deleted, audited */
    CHECK_INT(del(&s, tok, id, "?version=2", NULL), 204);
    CHECK_INT(audit_rows(&s), audits + 1);
    char sql[120];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'stock_line' AND action = 'delete'"
             " AND entity_id = %lld",
             id);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* Regression: "1970-01-01" was stored as no expiry (0 meant none) and counted usable, 1900
 * and "2026- 2- 3" were taken, "2026-2-3" was refused as too short; {"expiry":null} answered
 * 200 and kept the expiry. Now an expiry is a date YYYY-MM-DD of 2000–2100, none is null. */
TEST(dualuse_stock_expiry_dates)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], body[200];
    th_login(&s, "officer", s.demo_pw, tok);
    th_fingerprint(&s, fp0, sizeof fp0);
    static const char *const bad[] = {
        "1970-01-01", "1900-01-01", "1999-12-31", "2101-01-01", "2026-2-3",
        "2026- 2- 3", "2026-02-30", "2027-02-29", "",           "2026-02-03T00:00:00Z"};
    json_t *o;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"facility_id\":1,\"category\":\"water\",\"quantity\":5,\"expiry\":\"%s\"}",
                 bad[i]);
        o = NULL;
        int st = th_call(&s, "POST", "/api/v1/stock", tok, body, &o);
        if (st != 422 || strcmp(th_err_code(o), "invalid_value") ||
            strcmp(th_err_field(o), "expiry") || !strstr(th_err_message(o), "YYYY-MM-DD"))
            t_fail(__FILE__, __LINE__, "expiry \"%s\": %d %s %s", bad[i], st, th_err_code(o),
                   th_err_message(o));
        json_decref(o);
    }
    o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/stock", tok,
                      "{\"facility_id\":1,\"category\":\"water\",\"quantity\":5,\"expiry\":7}", &o),
              422);
    CHECK_STR(th_err_field(o), "expiry");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the range's ends are dates; a line without expiry has none (NULL), not 0 */
    long long first = add_line(&s, tok, ",\"expiry\":\"2000-01-01\"", NULL);
    long long last = add_line(&s, tok, ",\"expiry\":\"2100-12-31\"", NULL);
    long long none = add_line(&s, tok, ",\"expiry\":null", NULL);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM stock_lines WHERE id = %lld AND expiry IS NULL",
             none);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(th_call(&s, "GET", "/api/v1/stock?facility_id=1&limit=500", tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *l = json_array_get(items, i);
        if (th_int(l, "id") == first) {
            CHECK_STR(th_str(l, "expiry"), "2000-01-01");
            CHECK(json_is_true(json_object_get(l, "expired")));
            seen++;
        } else if (th_int(l, "id") == last) {
            CHECK_STR(th_str(l, "expiry"), "2100-12-31");
            CHECK(json_is_false(json_object_get(l, "expired")));
            seen++;
        }
    }
    CHECK_INT(seen, 2);
    json_decref(o);
    /* PATCH: a bad date is refused at the field; null removes the expiry, a date sets one */
    o = NULL;
    CHECK_INT(patch(&s, tok, last, "{\"version\":1,\"expiry\":\"2026-2-3\"}", &o), 422);
    CHECK_STR(th_err_field(o), "expiry");
    CHECK(strstr(th_err_message(o), "YYYY-MM-DD") != NULL);
    json_decref(o);
    long long audits = audit_rows(&s);
    CHECK_INT(patch(&s, tok, last, "{\"version\":1,\"expiry\":null}", &o), 200);
    CHECK(json_is_null(json_object_get(o, "expiry")));
    CHECK(json_is_false(json_object_get(o, "expired")));
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM stock_lines WHERE id = %lld AND expiry IS NULL",
             last);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(audit_rows(&s), audits + 1);
    CHECK_INT(patch(&s, tok, none, "{\"version\":1,\"expiry\":\"2030-05-01\"}", &o), 200);
    CHECK_STR(th_str(o, "expiry"), "2030-05-01");
    json_decref(o);
    th_stop(&s);
}

/* Regression: a PATCH that changed nothing bumped the version and wrote an audit row. */
TEST(dualuse_stock_patch_that_changes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long id = add_line(&s, tok, ",\"expiry\":\"2030-01-31\"", NULL);
    long long bare = add_line(&s, tok, NULL, NULL);
    th_fingerprint(&s, fp0, sizeof fp0);
    static const char *const same[] = {
        "{\"version\":1}",
        "{\"version\":1,\"quantity\":1200}",
        "{\"version\":1,\"quantity\":1200.0,\"category\":\"water\",\"expiry\":\"2030-01-31\"}",
    };
    json_t *o;
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        o = NULL;
        CHECK_INT(patch(&s, tok, id, same[i], &o), 200);
        CHECK_INT(th_int(o, "version"), 1);
        CHECK_STR(th_str(o, "expiry"), "2030-01-31");
        CHECK_NEAR(json_number_value(json_object_get(o, "quantity")), 1200, 0);
        json_decref(o);
    }
    o = NULL;
    CHECK_INT(patch(&s, tok, bare, "{\"version\":1,\"expiry\":null}", &o), 200);
    CHECK_INT(th_int(o, "version"), 1);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* a stale version is still a conflict, changed or not */
    o = NULL;
    CHECK_INT(patch(&s, tok, id, "{\"version\":2}", &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    th_stop(&s);
}

/* Regression: a source of spaces was taken. */
TEST(dualuse_stock_source_is_not_blank)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    th_fingerprint(&s, fp0, sizeof fp0);
    static const char *const blank[] = {"   ", "\\t", "\u3000\u3000"}; /* ideographic spaces */
    char body[200];
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"facility_id\":1,\"category\":\"water\",\"quantity\":5,\"source\":\"%s\"}",
                 blank[i]);
        json_t *o = NULL;
        int st = th_call(&s, "POST", "/api/v1/stock", tok, body, &o);
        if (st != 422 || strcmp(th_err_field(o), "source"))
            t_fail(__FILE__, __LINE__, "source \"%s\": %d %s", blank[i], st, th_err_code(o));
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    long long id = add_line(&s, tok, ",\"source\":\" 采购入库 \"", NULL);
    char sql[120];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM stock_lines WHERE id = %lld AND source = '采购入库'", id);
    CHECK_INT(th_sql_int(&s, sql), 1); /* kept without the spaces around it */
    /* a category code with spaces around it (pasted from a sheet) is that category; a blank
     * one is missing, not "no supply category" */
    json_t *o = CALL(&s, "POST", tok, "/api/v1/stock",
                     "{\"facility_id\":1,\"category\":\" water \",\"quantity\":5}", 201);
    CHECK_STR(th_str(o, "category"), "water");
    CHECK(th_str(o, "unit")[0] != '\0'); /* the category's unit */
    json_decref(o);
    o = CALL(&s, "POST", tok, "/api/v1/stock",
             "{\"facility_id\":1,\"category\":\"  \",\"quantity\":5}", 422);
    CHECK_STR(th_err_code(o), "missing_field");
    CHECK_STR(th_err_field(o), "category");
    json_decref(o);
    th_stop(&s);
}

/* The command line deletes the current version unless --version names one (then checked). */
TEST(dualuse_stock_cli_delete)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], id[24];
    th_login(&s, "officer", s.demo_pw, tok);
    long long a = add_line(&s, tok, NULL, NULL), b = add_line(&s, tok, NULL, NULL);
    json_t *o = NULL;
    CHECK_INT(patch(&s, tok, a, "{\"version\":1,\"quantity\":3}", &o), 200);
    json_decref(o);
    th_stop(&s);
    char out[1 << 16] = {0};
    snprintf(id, sizeof id, "%lld", a);
    CHECK_INT(RUN(out, "stock", "delete", id, "--version", "1", "--db", s.db), 1);
    CHECK(strstr(out, "version_conflict") != NULL);
    CHECK_INT(RUN(out, "stock", "delete", id, "--version", "x", "--db", s.db), 2);
    CHECK_INT(RUN(out, "stock", "delete", id, "--version", "2", "--db", s.db), 0);
    snprintf(id, sizeof id, "%lld", b);
    CHECK_INT(RUN(out, "stock", "delete", id, "--db", s.db), 0);
    CHECK_INT(RUN(out, "stock", "delete", id, "--db", s.db), 1);
    CHECK(strstr(out, "not_found") != NULL);
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM stock_lines WHERE id IN (%lld, %lld)", a, b);
    CHECK_INT(th_sql_int(&s, sql), 0);
}

static pj_db *open_at(const char *name, int upto)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", t_tmpdir(), name);
    pj_db *db;
    pj_err e = {0};
    pj_log_level(PJ_LOG_WARN);
    if (pj_db_open_at(&db, path, upto, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    return db;
}

static const char *text(pj_db *db, const char *sql)
{
    static char buf[4096];
    pj_err e = {0};
    pj_stmt *s = pj_db_prepare(db, sql, &e);
    if (!s) t_fail(__FILE__, __LINE__, "%s: %s", sql, e.message);
    buf[0] = 0;
    if (pj_stmt_step(s, &e) == 1 && pj_col_text(s, 0))
        snprintf(buf, sizeof buf, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    return buf;
}

/* A database of an older build upgrades: every line kept as it was, with its index and foreign
 * keys; ids are never given again, not even those of lines deleted before the upgrade (their
 * audit rows name them). */
TEST(dualuse_stock_migration_keeps_lines_and_retires_ids)
{
    pj_db *db = open_at("stock.db", 4);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO regions (id, code, name, type, created_at, updated_at)"
                         " VALUES (1, 'T', '镇', 'township', 1, 1);"
                         "INSERT INTO facilities (id, name, type, township_id, lat, lon,"
                         " created_at, updated_at) VALUES (1, 'f1', 'warehouse', 1, 40, 117, 1, 1),"
                         " (2, 'f2', 'warehouse', 1, 40, 117, 1, 1);"
                         "INSERT INTO stock_lines (id, facility_id, category, quantity, unit,"
                         " expiry, source, created_at, updated_at, version) VALUES"
                         " (1, 1, 'grain', 10.5, 'kg', 1893456000, 'synthetic', 3, 4, 2),"
                         " (2, 2, 'water', 7, 'L', NULL, 'manual', 5, 6, 1),"
                         " (5, 1, 'ppe', 3, 'pcs', NULL, '采购入库', 7, 8, 3);"
                         /* line 9 was added and deleted */
                         "INSERT INTO audit (at, username, action, entity, entity_id) VALUES"
                         " (9, 'officer', 'create', 'stock_line', 9),"
                         " (10, 'officer', 'delete', 'stock_line', 9)",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("stock.db", 0);
    CHECK_INT(pj_db_schema_version(db), pj_db_schema_latest());
    CHECK_STR(text(db, "SELECT group_concat(id || ':' || facility_id || ':' || category || ':' ||"
                       " quantity || ':' || unit || ':' || COALESCE(expiry, '-') || ':' || source"
                       " || ':' || created_at || ':' || updated_at || ':' || version, ' ') FROM"
                       " (SELECT * FROM stock_lines ORDER BY id)"),
              "1:1:grain:10.5:kg:1893456000:synthetic:3:4:2 2:2:water:7.0:L:-:manual:5:6:1"
              " 5:1:ppe:3.0:pcs:-:采购入库:7:8:3");
    CHECK(strstr(text(db, "SELECT sql FROM sqlite_master WHERE name = 'stock_lines'"),
                 "AUTOINCREMENT") != NULL);
    CHECK_STR(text(db, "SELECT group_concat(name, ' ') FROM sqlite_master WHERE tbl_name ="
                       " 'stock_lines' AND type = 'index' AND sql IS NOT NULL"),
              "stock_lines_facility");
    CHECK_STR(text(db, "SELECT group_concat(\"table\" || '.' || \"from\" || '>' || \"to\" || ':'"
                       " || on_delete, ' ') FROM (SELECT * FROM pragma_foreign_key_list("
                       "'stock_lines') ORDER BY \"table\")"),
              "facilities.facility_id>id:CASCADE supply_categories.category>code:NO ACTION");
    CHECK_STR(text(db, "SELECT COUNT(*) FROM pragma_foreign_key_check"), "0");
    CHECK_STR(text(db, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'stock_lines_%'"
                       " AND type = 'table'"),
              "0");
    /* the next line: after every id ever given */
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO stock_lines (facility_id, category, quantity, unit,"
                         " created_at, updated_at) VALUES (2, 'water', 1, 'L', 1, 1)",
                         &e),
              0);
    CHECK_STR(text(db, "SELECT MAX(id) FROM stock_lines"), "10");
    /* the foreign keys hold: an unknown category refused, a facility's lines go with it */
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO stock_lines (facility_id, category, quantity, unit,"
                         " created_at, updated_at) VALUES (2, 'gold', 1, 'g', 1, 1)",
                         &e),
              -1);
    CHECK_INT(pj_db_exec(db, "DELETE FROM facilities WHERE id = 1", &e), 0);
    CHECK_STR(text(db, "SELECT group_concat(id, ' ') FROM stock_lines"), "2 10");
    pj_db_close(db);
    /* a new database: the same table */
    db = open_at("new.db", 0);
    CHECK(strstr(text(db, "SELECT sql FROM sqlite_master WHERE name = 'stock_lines'"),
                 "AUTOINCREMENT") != NULL);
    pj_db_close(db);
}

/* Migration 18: an expiry stored with a time of day (the demo's) goes to the start of its day,
 * the date shown unchanged; a line without one, or at a day's start, is left alone. */
TEST(dualuse_stock_migration_puts_expiries_at_their_day)
{
    pj_db *db = open_at("expiry.db", 17);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO regions (id, code, name, type, created_at, updated_at)"
                         " VALUES (1, 'T', '镇', 'township', 1, 1);"
                         "INSERT INTO facilities (id, name, type, township_id, lat, lon,"
                         " created_at, updated_at) VALUES (1, 'f1', 'warehouse', 1, 40, 117, 1, 1);"
                         "INSERT INTO stock_lines (id, facility_id, category, quantity, unit,"
                         " expiry, source, created_at, updated_at, version) VALUES"
                         " (1, 1, 'grain', 1, 'kg', 1893456000 + 65519, 'synthetic', 3, 4, 2),"
                         " (2, 1, 'water', 7, 'L', NULL, 'manual', 5, 6, 1),"
                         " (3, 1, 'ppe', 3, 'pcs', 1893456000, 'manual', 7, 8, 3)",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("expiry.db", 0);
    CHECK_STR(text(db, "SELECT group_concat(id || ':' || COALESCE(expiry, '-') || ':' || version,"
                       " ' ') FROM (SELECT * FROM stock_lines ORDER BY id)"),
              "1:1893456000:2 2:-:1 3:1893456000:3");
    pj_db_close(db);
}

/* Per-category totals by the stock page's rule (usable = not expired, of that
 * soon = expiry within 90 days of Beijing's today, expired = `expired`) over every line GET
 * /stock gives with query, page after page. */
typedef struct stock_sums {
    char cat[33];
    double usable, soon, expired;
    long long lines;
} stock_sums;

static int sums_from_list(th_server *s, const char *tok, const char *query, stock_sums *out,
                          int max)
{
    char soon[11], path[256];
    th_day_rel(0, 90, soon);
    int n = 0;
    long long cursor = 0;
    for (;;) {
        snprintf(path, sizeof path, "/api/v1/stock?limit=500%s%s&cursor=%lld", *query ? "&" : "",
                 query, cursor);
        if (!cursor)
            snprintf(path, sizeof path, "/api/v1/stock?limit=500%s%s", *query ? "&" : "", query);
        json_t *o = NULL;
        if (th_call(s, "GET", path, tok, NULL, &o) != 200) {
            t_fail(__FILE__, __LINE__, "GET %s", path);
            json_decref(o);
            return n;
        }
        json_t *e;
        size_t i;
        json_array_foreach(json_object_get(o, "items"), i, e)
        {
            const char *cat = th_str(e, "category");
            int k = 0;
            while (k < n && strcmp(out[k].cat, cat)) k++;
            if (k == n && n < max) {
                memset(&out[n], 0, sizeof out[n]);
                snprintf(out[n].cat, sizeof out[n].cat, "%s", cat);
                n++;
            }
            if (k >= max) continue;
            double q = json_number_value(json_object_get(e, "quantity"));
            const char *exp = th_str(e, "expiry");
            out[k].lines++;
            if (json_is_true(json_object_get(e, "expired")))
                out[k].expired += q;
            else {
                out[k].usable += q;
                if (exp && strcmp(exp, soon) <= 0) out[k].soon += q;
            }
        }
        const char *next = th_str(o, "next_cursor");
        cursor = next ? atoll(next) : 0;
        json_decref(o);
        if (!cursor) break;
    }
    return n;
}

static int near(double a, double b)
{
    double d = a - b;
    return (d < 0 ? -d : d) <= 1e-6 * (1 + (a < 0 ? -a : a));
}

/* GET /stock/summary with query says what summing the list with query says, category by
 * category (those without lines 0), and its lines add up. */
static void summary_as_list(th_server *s, const char *tok, const char *query, int line)
{
    stock_sums sums[64];
    int n = sums_from_list(s, tok, query, sums, 64);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/stock/summary%s%s", *query ? "?" : "", query);
    json_t *o = NULL;
    int st = th_call(s, "GET", path, tok, NULL, &o);
    if (st != 200) {
        t_fail(__FILE__, line, "GET %s: %d (%s)", path, st, th_err_message(o));
        json_decref(o);
        return;
    }
    long long total = 0, listed = 0;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(o, "categories"), i, e)
    {
        const char *cat = th_str(e, "category");
        stock_sums z = {{0}, 0, 0, 0, 0}, *x = &z;
        for (int k = 0; k < n; k++)
            if (!strcmp(sums[k].cat, cat)) x = &sums[k];
        double u = json_number_value(json_object_get(e, "usable"));
        double so = json_number_value(json_object_get(e, "soon"));
        double ex = json_number_value(json_object_get(e, "expired"));
        if (!near(u, x->usable) || !near(so, x->soon) || !near(ex, x->expired) ||
            th_int(e, "lines") != x->lines)
            t_fail(__FILE__, line,
                   "%s %s: summary %.3f usable, %.3f soon, %.3f expired, %lld lines; the list "
                   "%.3f, %.3f, %.3f, %lld",
                   path, cat, u, so, ex, th_int(e, "lines"), x->usable, x->soon, x->expired,
                   x->lines);
        total += th_int(e, "lines");
    }
    for (int k = 0; k < n; k++) listed += sums[k].lines;
    if (total != listed || th_int(o, "lines") != listed)
        t_fail(__FILE__, line, "%s: %lld lines in the summary, %lld in the list", path, total,
               listed);
    json_decref(o);
}

TEST_T(dualuse_stock_summary_counts_every_line, 120)
{
    th_server s;
    /* noon: Beijing's midnight between the paged list and the summary moved "today" between
     * them (the expired flags of one, the counts of the other) */
    th_clock_at("2026-06-10", 12, 0);
    th_start(&s, 1);
    char tok[80], town[80], viewer[80];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, viewer);
    /* lines on each side of every edge: expired yesterday, expiring today (usable, soon), in 90
     * days (soon) and in 91 (not), none; through the API so their dates are as the API keeps them
     */
    long long store = th_sql_int(&s, "SELECT MIN(facility_id) FROM stock_lines");
    static const int days[] = {-1, 0, 90, 91};
    for (int k = 0; k < 5; k++) {
        char body[200], d[11];
        if (k < 4) th_day_rel(0, days[k], d);
        snprintf(body, sizeof body,
                 "{\"facility_id\":%lld,\"category\":\"grain\",\"quantity\":%d.25%s%s%s}", store,
                 100 + k, k < 4 ? ",\"expiry\":\"" : "", k < 4 ? d : "", k < 4 ? "\"" : "");
        json_t *o = NULL;
        CHECK_INT(th_call(&s, "POST", "/api/v1/stock", tok, body, &o), 201);
        json_decref(o);
    }
    /* more lines than the console reads (20,000): 20,500 of water at one store, a third expired,
     * a third expiring within 90 days */
    long long water0 = th_sql_int(&s, "SELECT COUNT(*) FROM stock_lines WHERE category = 'water'");
    char sql[1024], y[11], soon[11], late[11];
    th_day_rel(0, -3, y);
    th_day_rel(0, 30, soon);
    th_day_rel(0, 400, late);
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20500)"
             " INSERT INTO stock_lines (facility_id, category, quantity, unit, expiry, source,"
             " created_at, updated_at) SELECT %lld, 'water', i %% 7 + 0.5, 'L', CASE i %% 3 WHEN"
             " 0 THEN unixepoch('%s') WHEN 1 THEN unixepoch('%s') ELSE unixepoch('%s') END,"
             " 'synthetic', 0, 0 FROM n",
             store, y, soon, late);
    th_sql_exec(&s, sql);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM stock_lines") > 20000);

    /* every line counted, whoever asks (reads are not scoped: a township officer reads the
     * district's stock as the list gives it), and with each filter */
    summary_as_list(&s, tok, "", __LINE__);
    summary_as_list(&s, town, "", __LINE__);
    summary_as_list(&s, viewer, "category=grain", __LINE__);
    char q[64];
    snprintf(q, sizeof q, "facility_id=%lld", store);
    summary_as_list(&s, town, q, __LINE__);
    long long other = th_sql_int(&s, "SELECT MAX(facility_id) FROM stock_lines");
    snprintf(q, sizeof q, "facility_id=%lld&category=water", other);
    summary_as_list(&s, tok, q, __LINE__);

    /* the water lines beyond the console's cap are in it: the figures by SQL */
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/stock/summary?category=water", tok, NULL, &o), 200);
    json_t *w = json_array_get(json_object_get(o, "categories"), 0);
    CHECK_INT(json_array_size(json_object_get(o, "categories")), 1);
    CHECK_STR(th_str(w, "category"), "water");
    CHECK_STR(th_str(w, "unit"), "L");
    CHECK_INT(th_int(w, "lines"), water0 + 20500);
    CHECK_INT(th_int(o, "soon_days"), 90);
    char today[11];
    th_day_rel(0, 0, today);
    CHECK_STR(th_str(o, "as_of_date"), today);
    json_decref(o);
    /* the grain edges: yesterday expired, today and +90 soon, +91 and none usable only */
    snprintf(q, sizeof q, "/api/v1/stock/summary?category=grain&facility_id=%lld", store);
    CHECK_INT(th_call(&s, "GET", q, tok, NULL, &o), 200);
    json_t *g = json_array_get(json_object_get(o, "categories"), 0);
    snprintf(sql, sizeof sql,
             "SELECT CAST(ROUND(SUM(quantity) * 100) AS INTEGER) FROM stock_lines WHERE"
             " facility_id = %lld AND category = 'grain' AND (expiry IS NULL OR expiry >="
             " unixepoch('%s'))",
             store, today);
    CHECK_INT((long long)(json_number_value(json_object_get(g, "usable")) * 100 + 0.5),
              th_sql_int(&s, sql));
    snprintf(sql, sizeof sql,
             "SELECT CAST(ROUND(SUM(quantity) * 100) AS INTEGER) FROM stock_lines WHERE"
             " facility_id = %lld AND category = 'grain' AND expiry < unixepoch('%s')",
             store, today);
    CHECK_INT((long long)(json_number_value(json_object_get(g, "expired")) * 100 + 0.5),
              th_sql_int(&s, sql));
    json_decref(o);

    /* a summary is one answer, not a page; its filters are checked as the list's */
    CHECK_INT(th_call(&s, "GET", "/api/v1/stock/summary?limit=5", tok, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/stock/summary?facility_id=x", tok, NULL, &o), 400);
    CHECK_STR(th_err_field(o), "facility_id");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/stock/summary?category=nothing", tok, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "categories")), 0);
    CHECK_INT(th_int(o, "lines"), 0);
    json_decref(o);
    char jd[80];
    th_login(&s, "jd", s.demo_pw, jd);
    CHECK_INT(th_call(&s, "GET", "/api/v1/stock/summary", jd, NULL, &o), 403);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a new line of quantity 0 was taken — a store recording a line of nothing. A new
 * line holds more than 0 (422 at quantity, nothing written); a line's update to 0 (used up)
 * stays allowed. */
TEST(dualuse_stock_new_line_of_nothing_is_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long audited = audit_rows(&s);
    th_fingerprint(&s, fp0, sizeof fp0);
    static const char *const none[] = {"0", "0.0", "-0", "-1"};
    char body[200];
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        snprintf(body, sizeof body, "{\"facility_id\":1,\"category\":\"water\",\"quantity\":%s}",
                 none[i]);
        json_t *o = NULL;
        int st = th_call(&s, "POST", "/api/v1/stock", tok, body, &o);
        if (st != 422 || strcmp(th_err_field(o), "quantity") ||
            strcmp(th_err_code(o), "out_of_range"))
            t_fail(__FILE__, __LINE__, "quantity %s: %d %s at %s", none[i], st, th_err_code(o),
                   th_err_field(o));
        if (!strstr(th_err_message(o), "more than 0")) /* -1 too (it said the range 0–1e12) */
            t_fail(__FILE__, __LINE__, "quantity %s: %s", none[i], th_err_message(o));
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(audit_rows(&s), audited);
    /* a little is a line; used up, it is updated to 0 */
    long long v, id = add_line(&s, tok, NULL, &v);
    snprintf(body, sizeof body, "{\"facility_id\":1,\"category\":\"water\",\"quantity\":0.5}");
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/stock", tok, body, &o), 201);
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"quantity\":0}", v);
    CHECK_INT(patch(&s, tok, id, body, &o), 200);
    CHECK(json_number_value(json_object_get(o, "quantity")) == 0);
    json_decref(o);
    th_stop(&s);
}
