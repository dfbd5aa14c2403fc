/* Stock lines of the supply stores after review: ids are never given twice (a stale page's
 * delete cannot hit a newer line), a delete names the version it saw; the migration that made
 * ids unique keeps every line. */
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
    static char out[1 << 16];
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
