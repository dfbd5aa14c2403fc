/* Store tests: migrations (and an in-place upgrade), constraints, backup and restore. */
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"
#include "db/migrations.h"
#include "t.h"

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

static long long one(pj_db *db, const char *sql)
{
    pj_err e = {0};
    pj_stmt *s = pj_db_prepare(db, sql, &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    long long v = pj_col_int(s, 0);
    pj_stmt_done(s);
    return v;
}

TEST(db_migrations_apply_and_upgrade_in_place)
{
    /* a database made by an older build (schema 2) … */
    pj_db *db = open_at("old.db", 2);
    CHECK_INT(pj_db_schema_version(db), 2);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO regions (code, name, type, created_at, updated_at)"
                         " VALUES ('110117', '平谷区', 'district', 1, 1)",
                         &e),
              0);
    pj_db_close(db);
    /* … opened by this one upgrades and keeps its data */
    db = open_at("old.db", 0);
    CHECK_INT(pj_db_schema_version(db), pj_db_schema_latest());
    CHECK_INT(one(db, "SELECT COUNT(*) FROM regions WHERE name = '平谷区'"), 1);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit_at'"), 1);
    CHECK_INT(one(db, "PRAGMA foreign_keys"), 1);
    pj_db_close(db);
}

/* A database a newer build made or upgraded is refused, not used with a schema this build does
 * not know: also when the newer build's migration lies below this build's highest (modules
 * number theirs in their own ranges: a new foundation or eldercare migration is below the
 * district development ones). A backup of it is not restored either. */
TEST(db_newer_database_refused_by_an_unknown_migration_below_the_highest)
{
    int unknown = 0; /* the lowest number this build has no migration for */
    for (int n = 1; !unknown && n < pj_db_schema_latest(); n++) {
        int known = 0;
        for (int i = 0; i < pj_migrations_count; i++)
            if (pj_migrations[i].number == n) known = 1;
        if (!known) unknown = n;
    }
    CHECK(unknown > 0);
    pj_db *db = open_at("newer.db", 0);
    pj_err e = {0};
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations (version, title, applied_at) VALUES (%d, 'x', 1);"
             "INSERT INTO regions (code, name, type, created_at, updated_at)"
             " VALUES ('110117', '平谷区', 'district', 1, 1)",
             unknown);
    CHECK_INT(pj_db_exec(db, sql, &e), 0);
    CHECK_INT(pj_db_schema_version(db), pj_db_schema_latest());
    char bak[600], path[600], live[600];
    snprintf(bak, sizeof bak, "%s/newer-backup.db", t_tmpdir());
    snprintf(path, sizeof path, "%s/newer.db", t_tmpdir());
    snprintf(live, sizeof live, "%s/newer-live.db", t_tmpdir());
    CHECK_INT(pj_db_backup(db, bak, &e), 0);
    pj_db_close(db);
    pj_log_level(PJ_LOG_OFF);
    CHECK_INT(pj_db_open(&db, path, &e), -1);
    CHECK_STR(e.code, "schema_too_new");
    char num[16];
    snprintf(num, sizeof num, "%d", unknown);
    CHECK(strstr(e.message, num) != NULL);
    /* a backup of it is not restored over a database of this build */
    pj_db_close(open_at("newer-live.db", 0));
    pj_err_clear(&e);
    pj_log_level(PJ_LOG_OFF);
    CHECK_INT(pj_db_restore_file(bak, live, &e), -1);
    CHECK_INT(e.status, 400);
    CHECK(strstr(e.message, num) != NULL);
    db = open_at("newer-live.db", 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM regions"), 0);
    pj_db_close(db);
}

TEST(db_constraint_is_conflict_and_rollback_leaves_nothing)
{
    pj_db *db = open_at("c.db", 0);
    pj_err e = {0};
    CHECK_INT(pj_db_begin(db, &e), 0);
    pj_stmt *s = pj_db_prepare(db,
                               "INSERT INTO regions (code, name, type, created_at, updated_at)"
                               " VALUES (?, 'x', 'district', 1, 1)",
                               &e);
    pj_stmt_text(s, 1, "A");
    CHECK_INT(pj_stmt_step(s, &e), 0);
    pj_stmt_done(s);
    pj_stmt_text(s, 1, "A");
    CHECK_INT(pj_stmt_step(s, &e), -1);
    pj_stmt_done(s);
    CHECK_INT(e.status, 409);
    pj_db_rollback(db);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM regions"), 0);
    /* a foreign key to nowhere is refused */
    pj_err_clear(&e);
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO regions (parent_id, code, name, type, created_at,"
                         " updated_at) VALUES (999, 'B', 'x', 'township', 1, 1)",
                         &e),
              -1);
    pj_db_close(db);
}

TEST(db_backup_and_restore_round_trip)
{
    pj_db *db = open_at("live.db", 0);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO regions (code, name, type, created_at, updated_at)"
                         " VALUES ('110117', '平谷区', 'district', 1, 1)",
                         &e),
              0);
    char bak[600], live[600], junk[600];
    snprintf(bak, sizeof bak, "%s/backup.db", t_tmpdir());
    snprintf(live, sizeof live, "%s/live.db", t_tmpdir());
    snprintf(junk, sizeof junk, "%s/junk.db", t_tmpdir());
    CHECK_INT(pj_db_backup(db, bak, &e), 0);
    /* never overwrites */
    CHECK_INT(pj_db_backup(db, bak, &e), -1);
    CHECK_INT(e.status, 409);
    CHECK_INT(pj_db_exec(db, "DELETE FROM regions", &e), 0);
    pj_db_close(db);
    pj_err_clear(&e);
    CHECK_INT(pj_db_restore_file(bak, live, &e), 0);
    db = open_at("live.db", 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM regions WHERE code = '110117'"), 1);
    pj_db_close(db);
    /* a file that is not a pingji database is refused and changes nothing */
    FILE *f = fopen(junk, "w");
    fputs("not a database at all, just text", f);
    fclose(f);
    pj_err_clear(&e);
    CHECK_INT(pj_db_restore_file(junk, live, &e), -1);
    CHECK_INT(e.status, 400);
    db = open_at("live.db", 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM regions"), 1);
    pj_db_close(db);
}

/* Group commit: transactions inside a batch are savepoints; one that rolls back leaves the
 * others; nothing is visible to another connection before the batch commits. */
TEST(db_group_commit_batch_semantics)
{
    pj_db *db = open_at("g.db", 0);
    pj_db *other = open_at("g.db", 0);
    pj_err e = {0};
    CHECK_INT(pj_db_batch_open(db, &e), 0);
    const char *ins = "INSERT INTO regions (code, name, type, created_at, updated_at)"
                      " VALUES (?, 'x', 'district', 1, 1)";
    for (int i = 0; i < 3; i++) {
        CHECK_INT(pj_db_begin(db, &e), 0);
        pj_stmt *s = pj_db_prepare(db, ins, &e);
        char code[8];
        snprintf(code, sizeof code, "C%d", i);
        pj_stmt_text(s, 1, code);
        CHECK_INT(pj_stmt_step(s, &e), 0);
        pj_stmt_done(s);
        if (i == 1)
            pj_db_rollback(db); /* this one fails */
        else
            CHECK_INT(pj_db_commit(db, &e), 0);
    }
    CHECK_INT(one(other, "SELECT COUNT(*) FROM regions"), 0); /* not yet durable */
    uint64_t g = pj_db_generation(db, 0);
    CHECK_INT(pj_db_batch_close(db, &e), 0);
    CHECK(pj_db_generation(db, 0) != g);
    CHECK_INT(one(other, "SELECT COUNT(*) FROM regions"), 2);
    CHECK_INT(one(other, "SELECT COUNT(*) FROM regions WHERE code = 'C1'"), 0);
    /* another connection's commit moves the generation seen with check_others */
    uint64_t g2 = pj_db_generation(db, 1);
    CHECK_INT(pj_db_exec(other, "UPDATE regions SET name = 'y'", &e), 0);
    CHECK(pj_db_generation(db, 1) != g2);
    pj_db_close(other);
    pj_db_close(db);
}

/* A database whose farms or warehouses share a registry facility (older builds allowed it)
 * upgrades: the lowest id keeps the link, the others lose it with an audit row each. */
static void dup_links(const char *name, int before, const char *table, const char *entity,
                      const char *extra_cols, const char *extra_vals)
{
    pj_db *db = open_at(name, before);
    pj_err e = {0};
    char sql[1200];
    snprintf(sql, sizeof sql,
             "INSERT INTO regions (id, code, name, type, created_at, updated_at)"
             " VALUES (1, 'T', '镇', 'township', 1, 1);"
             "INSERT INTO facilities (id, name, type, township_id, lat, lon, created_at,"
             " updated_at) VALUES (1, 'f1', 'warehouse', 1, 40, 117, 1, 1),"
             " (2, 'f2', 'warehouse', 1, 40, 117, 1, 1);"
             "INSERT INTO %s (id, name, facility_id, created_at, updated_at%s) VALUES"
             " (5, 'a', 1, 1, 1%s), (3, 'b', 1, 1, 1%s), (9, 'c', 1, 1, 1%s),"
             " (4, 'd', 2, 1, 1%s), (6, 'e', NULL, 1, 1%s)",
             table, extra_cols, extra_vals, extra_vals, extra_vals, extra_vals, extra_vals);
    CHECK_INT(pj_db_exec(db, sql, &e), 0);
    pj_db_close(db);
    db = open_at(name, 0); /* fails the test when it does not open */
    CHECK_INT(pj_db_schema_version(db), pj_db_schema_latest());
    snprintf(sql, sizeof sql,
             "SELECT group_concat(id || ':' || COALESCE(facility_id, '-') || ':' || version, ' ')"
             " FROM (SELECT * FROM %s ORDER BY id)",
             table);
    pj_stmt *s = pj_db_prepare(db, sql, &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(pj_col_text(s, 0), "3:1:1 4:2:1 5:-:2 6:-:1 9:-:2");
    pj_stmt_done(s);
    snprintf(sql, sizeof sql,
             "SELECT group_concat(entity_id || ' ' || before_json || ' ' || after_json, ' | ')"
             " FROM (SELECT * FROM audit WHERE entity = '%s' AND action = 'update' AND username"
             " = 'migration' AND at > 0 ORDER BY entity_id)",
             entity);
    s = pj_db_prepare(db, sql, &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(pj_col_text(s, 0),
              "5 {\"id\":5,\"facility_id\":1,\"version\":1} {\"id\":5,\"facility_id\":null,"
              "\"version\":2} | 9 {\"id\":9,\"facility_id\":1,\"version\":1} {\"id\":9,"
              "\"facility_id\":null,\"version\":2}");
    pj_stmt_done(s);
    /* and the link is one's from now on */
    snprintf(sql, sizeof sql, "UPDATE %s SET facility_id = 1 WHERE id = 5", table);
    CHECK_INT(pj_db_exec(db, sql, &e), -1);
    pj_db_close(db);
}

TEST(db_migration_facility_links_made_unique)
{
    dup_links("dupfarms.db", 430, "ag_farms", "ag_farm", "", "");
    dup_links("dupwarehouses.db", 450, "lg_warehouses", "lg_warehouse", ", area_m2", ", 100");
}

/* The ratings back-fill (201) finds a rate event's rating by the event's action and the
 * state it led to, not its note: older builds noted a rate's reason or reply instead. */
TEST(db_migration_ratings_backfill_from_rate_events)
{
    pj_db *db = open_at("ratings.db", 200);
    pj_err e = {0};
    CHECK_INT(
        pj_db_exec(db,
                   "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES"
                   " (1, '企业', 'enterprise', 1, 1), (2, '商务局', 'department', 1, 1);"
                   "INSERT INTO ent_appeals (id, org_id, channel, type, category, title,"
                   " description, state, department_id, received_at, replied_at, closed_at,"
                   " response_due, complete_due, resolved, rating, reopens, created_by) VALUES"
                   " (1, 1, 'account', 'help', 'permits', 't', 'd', 'closed', 2, 100, 400, 500,"
                   " 200, 900, 1, 'basically', 2, 'jd'),"
                   " (2, 1, 'account', 'help', 'permits', 't', 'd', 'reopened', 2, 100, 300,"
                   " NULL, 200, 900, 1, 'not_satisfied', 1, 'jd');"
                   "INSERT INTO ent_appeal_events (appeal_id, at, action, from_state, to_state,"
                   " department_id, username, note) VALUES"
                   " (1, 150, 'reply', 'in_progress', 'replied', 2, 'officer', 'a'),"
                   " (1, 160, 'rate', 'replied', 'reopened', 2, 'jd', '没解决'),"
                   " (1, 250, 'reply', 'in_progress', 'replied', 2, 'officer', 'b'),"
                   " (1, 260, 'rate', 'replied', 'reopened', 2, 'jd', 'not_satisfied'),"
                   " (1, 400, 'reply', 'in_progress', 'replied', 2, 'officer', 'c'),"
                   " (1, 500, 'rate', 'replied', 'closed', 2, 'jd', '还行'),"
                   " (1, 600, 'close', 'closed', 'closed', 2, 'officer', 'satisfied'),"
                   " (2, 300, 'rate', 'replied', 'reopened', 2, 'jd', 'reply text');",
                   &e),
        0);
    pj_db_close(db);
    db = open_at("ratings.db", 0);
    pj_stmt *s = pj_db_prepare(db,
                               "SELECT group_concat(appeal_id || '/' || round || '/' || rating ||"
                               " '/' || at, ' ') FROM (SELECT * FROM ent_appeal_ratings ORDER BY"
                               " appeal_id, round)",
                               &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(
        pj_col_text(s, 0),
        "1/1/not_satisfied/160 1/2/not_satisfied/260 1/3/basically/500 2/1/not_satisfied/300");
    pj_stmt_done(s);
    pj_db_close(db);
}

/* Migration 206: a database of a build before migration 202 whose newest calendar day was
 * deleted: 202 gave that id to 2026-01-01, which then takes a new id (audited), so the deleted
 * day's id names no day; a day re-made under its old id by such a build (its audit trail ends
 * with the create) keeps its id. */
TEST(db_migration_calendar_day_off_a_deleted_days_id)
{
    pj_db *db = open_at("cal.db", 201);
    long long top = one(db, "SELECT MAX(id) FROM ent_calendar");
    CHECK(top > 0);
    pj_err e = {0};
    char sql[1200];
    /* as the API of such a build: day top+1 made and deleted (the newest id then free again);
     * day 5 deleted and another day made under its id */
    snprintf(sql, sizeof sql,
             "INSERT INTO ent_calendar (id, day, kind, name, source) VALUES (%lld, '2027-03-08',"
             " 'holiday', 'x', 'manual');"
             "DELETE FROM ent_calendar WHERE id = %lld;"
             "UPDATE ent_calendar SET day = '2025-12-31', name = 'y' WHERE id = 5;"
             "INSERT INTO audit (at, username, action, entity, entity_id, before_json,"
             " after_json) VALUES (1, 'admin', 'create', 'ent_calendar', %lld, NULL,"
             " '{\"day\":\"2027-03-08\"}'), (2, 'admin', 'delete', 'ent_calendar', %lld,"
             " '{\"day\":\"2027-03-08\"}', NULL), (3, 'admin', 'delete', 'ent_calendar', 5,"
             " NULL, NULL), (4, 'admin', 'create', 'ent_calendar', 5, NULL, NULL)",
             top + 1, top + 1, top + 1, top + 1);
    CHECK_INT(pj_db_exec(db, sql, &e), 0);
    pj_db_close(db);
    db = open_at("cal.db", 0);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_calendar WHERE id = %lld", top + 1);
    CHECK_INT(one(db, sql), 0); /* the deleted day's id names no day */
    /* 2026-01-01 after every id, audited under its new id; day 5 kept */
    long long moved = one(db, "SELECT id FROM ent_calendar WHERE day = '2026-01-01'");
    long long others = one(db, "SELECT MAX(id) FROM ent_calendar WHERE day <> '2026-01-01'");
    CHECK_INT(moved, top + 1 + others);
    CHECK_INT(one(db, "SELECT id FROM ent_calendar WHERE day = '2025-12-31'"), 5);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_calendar' AND username = 'migration'"
             " AND action = 'update' AND entity_id = %lld AND before_json = '{\"id\":%lld,"
             "\"day\":\"2026-01-01\"}' AND after_json = '{\"id\":%lld,"
             "\"day\":\"2026-01-01\"}' AND at > 0",
             moved, top + 1, moved);
    CHECK_INT(one(db, sql), 1);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity ="
                      " 'ent_calendar'"),
              1);
    /* the 2026 calendar whole: every holiday and make-up day of 202 is there */
    CHECK_INT(one(db, "SELECT COUNT(*) FROM ent_calendar WHERE day LIKE '2026-%'"), 39);
    pj_db_close(db);
}

/* Migration 203: a need left open after one of its matches was approved (older builds, their
 * demo) is matched, with an audit row; an open need without an approved match is left open. */
TEST(db_migration_need_with_approved_match_is_matched)
{
    pj_db *db = open_at("needs.db", 202);
    pj_err e = {0};
    CHECK_INT(
        pj_db_exec(db,
                   "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES"
                   " (1, '企业', 'enterprise', 1, 1), (2, '银行', 'bank', 1, 1);"
                   "INSERT INTO ent_bank_products (id, bank_id, name, min_fen, max_fen, rate_pct,"
                   " term_months, conditions, created_at) VALUES (1, 2, 'a', 1, 9000000000, 3,"
                   " 36, 'true', 1), (2, 2, 'b', 1, 9000000000, 4, 36, 'true', 1);"
                   "INSERT INTO ent_fin_needs (id, org_id, amount_fen, term_months, purpose,"
                   " state, created_at, version) VALUES (1, 1, 100, 12, 'x', 'open', 1, 3),"
                   " (2, 1, 100, 12, 'y', 'open', 1, 1), (3, 1, 100, 12, 'z', 'matched', 1, 2);"
                   "INSERT INTO ent_fin_matches (need_id, product_id, org_id, rank, score,"
                   " outcome, created_at) VALUES (1, 1, 1, 1, 0.5, 'approved', 1),"
                   " (1, 2, 1, 2, 0.5, 'applied', 1), (2, 1, 1, 1, 0.5, 'applied', 1),"
                   " (3, 1, 1, 1, 0.5, 'approved', 1);",
                   &e),
        0);
    pj_db_close(db);
    db = open_at("needs.db", 0);
    pj_stmt *s = pj_db_prepare(db,
                               "SELECT group_concat(id || ':' || state || ':' || version, ' ') FROM"
                               " (SELECT * FROM ent_fin_needs ORDER BY id)",
                               &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(pj_col_text(s, 0), "1:matched:4 2:open:1 3:matched:2");
    pj_stmt_done(s);
    s = pj_db_prepare(db,
                      "SELECT group_concat(entity_id || ' ' || before_json || ' ' || after_json,"
                      " ' | ') FROM audit WHERE entity = 'ent_fin_need' AND username ="
                      " 'migration' AND at > 0",
                      &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(pj_col_text(s, 0), "1 {\"id\":1,\"state\":\"open\",\"version\":3}"
                                 " {\"id\":1,\"state\":\"matched\",\"version\":4}");
    pj_stmt_done(s);
    pj_db_close(db);
}

static int mode_of(const char *path)
{
    struct stat st;
    if (stat(path, &st)) t_fail(__FILE__, __LINE__, "stat %s", path);
    return (int)(st.st_mode & 0777);
}

/* opens name (as open_at) with stderr captured into log[size] */
static pj_db *open_logged(const char *name, char *log, size_t size)
{
    char lp[600];
    snprintf(lp, sizeof lp, "%s/%s.log", t_tmpdir(), name);
    fflush(stderr);
    int saved = dup(2), fd = open(lp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    pj_db *db = open_at(name, 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(lp, "r");
    CHECK(f != NULL);
    size_t n = fread(log, 1, size - 1, f);
    log[n] = 0;
    fclose(f);
    return db;
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* Regression: a database made before the umask 077 change (or chmod-ed since) stayed readable
 * by other users, and SQLite gave its -wal and -shm the same mode. Opening it makes it and
 * them owner-only, with one warning; a file of another owner is left alone, with a warning. */
TEST(db_open_makes_a_loose_database_owner_only)
{
    char db[600], wal[620], shm[620], log[4096];
    snprintf(db, sizeof db, "%s/loose.db", t_tmpdir());
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    pj_db_close(open_at("loose.db", 0));
    CHECK(chmod(db, 0644) == 0);
    pj_db *d = open_logged("loose.db", log, sizeof log);
    CHECK_INT(mode_of(db), 0600);
    CHECK_INT(mode_of(wal), 0600);
    CHECK_INT(mode_of(shm), 0600);
    CHECK(strstr(log, "warn db: ") && strstr(log, "loose.db was readable by others (mode 0644)") &&
          strstr(log, "made owner-only (0600)"));
    CHECK_INT(lines(log), 1);
    /* the -wal and -shm of a connection still open, loosened: the next open tightens all */
    CHECK(chmod(db, 0640) == 0 && chmod(wal, 0644) == 0 && chmod(shm, 0666) == 0);
    pj_db *d2 = open_logged("loose.db", log, sizeof log);
    CHECK_INT(mode_of(db), 0600);
    CHECK_INT(mode_of(wal), 0600);
    CHECK_INT(mode_of(shm), 0600);
    CHECK(strstr(log, "made owner-only (0600), and its -wal, -shm"));
    CHECK_INT(lines(log), 1);
    pj_db_close(d2);
    pj_db_close(d);
    /* an owner-only database: nothing said */
    pj_db_close(open_logged("loose.db", log, sizeof log));
    CHECK_STR(log, "");
    /* another user's file is not changed (only root can run this part) */
    if (geteuid() == 0) {
        CHECK(chown(db, 65534, 65534) == 0 && chmod(db, 0644) == 0);
        pj_db_close(open_logged("loose.db", log, sizeof log));
        CHECK_INT(mode_of(db), 0644);
        CHECK(strstr(log, "owned by another user") && strstr(log, "left as it is"));
        CHECK_INT(lines(log), 1);
    }
}

/* A migration that fails on the database it upgrades (here an index of migration 11 made by
 * hand beforehand) names itself and SQLite's reason — the message read after the rollback was
 * "not an error" — and leaves the database as it was: not recorded, nothing of it applied. */
TEST(db_failed_migration_is_named_with_its_reason)
{
    pj_db *db = open_at("failing.db", 0);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "DELETE FROM schema_migrations WHERE version = 11;"
                         " DROP INDEX regions_name;",
                         &e),
              0);
    pj_db_close(db);
    char path[600];
    snprintf(path, sizeof path, "%s/failing.db", t_tmpdir());
    pj_log_level(PJ_LOG_OFF);
    CHECK_INT(pj_db_open(&db, path, &e), -1);
    CHECK_STR(e.code, "migration_failed");
    CHECK(strstr(e.message, path) != NULL);
    CHECK(strstr(e.message, "migration 11 (registry: organisations and regions found by name)") !=
          NULL);
    CHECK(strstr(e.message, "index organisations_name already exists") != NULL);
    CHECK(strstr(e.message, "not an error") == NULL);
    /* as it was: upto 10, the same state */
    db = open_at("failing.db", 10);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = 11"), 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'regions_name'"), 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'organisations_name'"), 1);
    pj_db_close(db);
}

/* Migration 482: a database in use whose livestream sales were typed by hand or missed the
 * sessions recorded after the demo's load gets every livestream row re-derived from the
 * sessions (a product's livestream sales of a month are its sessions' of that month): a stale
 * row corrected, a hand-typed one without sessions removed, a missing one made; each change
 * audited by 'migration' on its product and the product's version raised; other channels and
 * rows already right left as they are. */
TEST(db_migration_rederives_livestream_sales)
{
    pj_db *db = open_at("livestream.db", 481);
    pj_err e = {0};
    CHECK_INT(
        pj_db_exec(db,
                   "INSERT INTO ec_products (id, name, category, created_at) VALUES"
                   " (1, 'a', 'peach', 1), (2, 'b', 'fruit', 1), (3, 'c', 'eggs', 1);"
                   "INSERT INTO ec_streamers (id, name, skill_level, created_at, updated_at)"
                   " VALUES (1, 'x', 1, 1, 1);"
                   "INSERT INTO ec_sessions (id, streamer_id, platform, day, duration_min, orders,"
                   " gmv_fen, created_at, created_by) VALUES (1, 1, 'douyin', '2025-03-02', 60,"
                   " 10, 1000, 1, 'u'), (2, 1, 'douyin', '2025-03-31', 60, 5, 500, 1, 'u'),"
                   " (3, 1, 'douyin', '2025-04-01', 60, 7, 700, 1, 'u');"
                   "INSERT INTO ec_session_products (session_id, product_id) VALUES (1, 1), (2, 1),"
                   " (3, 2), (3, 3);"
                   /* product 1: March stale (one session of two), May typed by hand; product 3
                    * right already; product 2 missing its April row */
                   "INSERT INTO ec_product_sales (product_id, month, channel, orders, gmv_fen,"
                   " created_at) VALUES (1, '2025-03', 'livestream', 10, 1000, 1),"
                   " (1, '2025-05', 'livestream', 1, 100, 1), (1, '2025-05', 'offline', 3, 300, 1),"
                   " (3, '2025-04', 'livestream', 7, 700, 1);",
                   &e),
        0);
    pj_db_close(db);
    db = open_at("livestream.db", 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM ec_product_sales WHERE channel = 'livestream'"), 3);
    CHECK_INT(one(db, "SELECT orders * 100000 + gmv_fen FROM ec_product_sales WHERE product_id"
                      " = 1 AND month = '2025-03' AND channel = 'livestream'"),
              15 * 100000 + 1500);
    CHECK_INT(one(db, "SELECT orders * 100000 + gmv_fen FROM ec_product_sales WHERE product_id"
                      " = 2 AND month = '2025-04' AND channel = 'livestream'"),
              7 * 100000 + 700);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM ec_product_sales WHERE product_id = 1 AND month ="
                      " '2025-05'"),
              1); /* the offline row stays */
    CHECK_INT(one(db, "SELECT version FROM ec_products WHERE id = 1"), 2);
    CHECK_INT(one(db, "SELECT version FROM ec_products WHERE id = 2"), 2);
    CHECK_INT(one(db, "SELECT version FROM ec_products WHERE id = 3"), 1);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity ="
                      " 'ec_product'"),
              3);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity_id = 1"
                      " AND action = 'sales_update' AND json_extract(before_json,"
                      " '$.sale.orders') = 10 AND json_extract(after_json, '$.sale.orders') = 15"),
              1);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity_id = 1"
                      " AND action = 'sales_delete' AND json_extract(before_json,"
                      " '$.sale.month') = '2025-05' AND after_json IS NULL"),
              1);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity_id = 2"
                      " AND action = 'sales' AND before_json IS NULL AND"
                      " json_extract(after_json, '$.sale.gmv_fen') = 700"),
              1);
    pj_db_close(db);
}

/* Migration 14: a standard's effective_from given as a bare date was stored as 00:00 UTC
 * (08:00 in Beijing); a date is now a Beijing day. The versions not yet in force stored at
 * 00:00 UTC sharp take effect at 00:00 Beijing time (8 hours earlier); a version in force
 * already, or one to the second at another time, stays as it is. */
TEST(db_migration_standards_dated_by_day_start_at_beijing_midnight)
{
    pj_db *db = open_at("standards.db", 13);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO standards (id, facility_type, scenario, role, version,"
                         " effective_from, target_hours, created_at, created_by) VALUES"
                         " (1, 'hotel', 'epidemic', 'isolation', 1, 1577836800, 24, 1, 'u'),"
                         " (2, 'hotel', 'epidemic', 'isolation', 2, 4102444800, 12, 1, 'u'),"
                         " (3, 'hotel', 'epidemic', 'isolation', 3, 4102448400, 10, 1, 'u');",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("standards.db", 0);
    /* 2020-01-01T00:00Z, in force long since: kept */
    CHECK_INT(one(db, "SELECT effective_from FROM standards WHERE id = 1"), 1577836800);
    /* "2100-01-01": 2099-12-31T16:00:00Z */
    CHECK_INT(one(db, "SELECT effective_from FROM standards WHERE id = 2"), 4102444800 - 28800);
    /* 2100-01-01T01:00:00Z, a time: kept */
    CHECK_INT(one(db, "SELECT effective_from FROM standards WHERE id = 3"), 4102448400);
    pj_db_close(db);
}

/* opens name at the latest schema as a database that has not had migration `number` yet (an
 * older build's): it is removed from schema_migrations, applied at the next open */
static pj_db *open_before(const char *name, int number)
{
    pj_db *db = open_at(name, 0);
    pj_err e = {0};
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM schema_migrations WHERE version = %d", number);
    CHECK_INT(pj_db_exec(db, sql, &e), 0);
    return db;
}

static void audit_row(pj_db *db, int id, const char *entity, const char *before, const char *after)
{
    pj_err e = {0};
    pj_stmt *s = pj_db_prepare(db,
                               "INSERT INTO audit (id, at, username, action, entity, entity_id,"
                               " before_json, after_json) VALUES (?, 1, 'u', 'create', ?, 1, ?, ?)",
                               &e);
    CHECK(s != NULL);
    pj_stmt_int(s, 1, id);
    pj_stmt_text(s, 2, entity);
    pj_stmt_text(s, 3, before);
    pj_stmt_text(s, 4, after);
    CHECK_INT(pj_stmt_step(s, &e), 0);
    pj_stmt_done(s);
}

static char *text_of(pj_db *db, const char *sql, char *out, size_t size)
{
    pj_err e = {0};
    pj_stmt *s = pj_db_prepare(db, sql, &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    snprintf(out, size, "%s", pj_col_text(s, 0) ? pj_col_text(s, 0) : "(null)");
    pj_stmt_done(s);
    return out;
}

/* Migrations 111 and 485: audit rows written by older builds held an ID number under the old
 * mask (the birth-date digits hidden, the last 4 shown: with birth_date the whole number) and an
 * elder's conditions and doctor in clear. They are brought to the form of today's rows; a row
 * in that form already is left byte for byte. */
TEST(db_migration_remasks_old_audit_snapshots)
{
    pj_db *db = open_before("remask.db", 111);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db, "DELETE FROM schema_migrations WHERE version = 485", &e), 0);
    audit_row(db, 9001, "elder", NULL,
              "{\"id\":1,\"birth_date\":\"1940-03-05\",\"id_number\":\"110117********0027\","
              "\"lat\":40.140000,\"chronic_conditions\":[\"高血压\",\"糖尿病\"],"
              "\"doctor_name\":\"李医生\",\"doctor_clinic\":\"东高村卫生室\"}");
    audit_row(db, 9002, "elder",
              "{\"id\":1,\"id_number\":\"110117********0027\",\"chronic_conditions\":[],"
              "\"doctor_name\":null}",
              NULL);
    audit_row(db, 9003, "helper", NULL, "{\"id\":2,\"id_number\":\"110117********002X\"}");
    audit_row(db, 9004, "ec_streamer", NULL,
              "{\"id\":3,\"id_number\":\"1101**********0030\",\"phone\":\"138****1234\"}");
    const char *today = "{\"id\":4,\"id_number\":\"110117************\",\"lat\":40.140000,"
                        "\"chronic_conditions\":[\"***\"],\"doctor_name\":\"***\"}";
    audit_row(db, 9005, "elder", NULL, today);
    audit_row(db, 9006, "facility", NULL, "{\"id\":5,\"id_number\":\"110117********0027\"}");
    pj_db_close(db);
    db = open_at("remask.db", 0);
    char t[512];
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9001", t, sizeof t),
              "{\"id\":1,\"birth_date\":\"1940-03-05\",\"id_number\":\"110117************\","
              "\"lat\":40.140000,\"chronic_conditions\":[\"***\",\"***\"],"
              "\"doctor_name\":\"***\",\"doctor_clinic\":\"东高村卫生室\"}");
    CHECK_STR(text_of(db, "SELECT before_json FROM audit WHERE id = 9002", t, sizeof t),
              "{\"id\":1,\"id_number\":\"110117************\",\"chronic_conditions\":[],"
              "\"doctor_name\":null}");
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9003", t, sizeof t),
              "{\"id\":2,\"id_number\":\"110117************\"}");
    /* the streamer's older mask kept only 4 at the start: the 12 after the 6th hidden */
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9004", t, sizeof t),
              "{\"id\":3,\"id_number\":\"1101**************\",\"phone\":\"138****1234\"}");
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9005", t, sizeof t), today);
    /* another entity's row is not this migration's */
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9006", t, sizeof t),
              "{\"id\":5,\"id_number\":\"110117********0027\"}");
    pj_db_close(db);
}

/* Migration 486: a streamer's audit rows written before its name was masked in them held the
 * real name (its own rows, and `streamer` in its sessions' and enrolments'), so that after the
 * anonymising delete the name stayed in the audit log. They hold it masked as today's rows;
 * the placeholder of an anonymised streamer and a name masked already stay. */
TEST(db_migration_masks_streamer_names_in_old_audit_rows)
{
    pj_db *db = open_before("names.db", 486);
    audit_row(db, 9101, "ec_streamer", NULL, "{\"id\":141,\"name\":\"欧阳小明\",\"age\":31}");
    audit_row(db, 9102, "ec_streamer", "{\"id\":141,\"name\":\"欧*\"}",
              "{\"id\":141,\"name\":\"已注销主播#141\"}");
    audit_row(db, 9103, "ec_session", "{\"id\":7,\"streamer_id\":141,\"streamer\":\"欧阳小明\"}",
              NULL);
    audit_row(db, 9104, "ac_enrolment", NULL,
              "{\"id\":8,\"streamer_id\":141,\"streamer\":\"欧阳小明\"}");
    audit_row(db, 9105, "facility", NULL, "{\"id\":9,\"name\":\"东高村服务站\"}");
    pj_db_close(db);
    db = open_at("names.db", 0);
    char t[512];
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9101", t, sizeof t),
              "{\"id\":141,\"name\":\"欧*\",\"age\":31}");
    CHECK_STR(text_of(db, "SELECT before_json FROM audit WHERE id = 9102", t, sizeof t),
              "{\"id\":141,\"name\":\"欧*\"}");
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9102", t, sizeof t),
              "{\"id\":141,\"name\":\"已注销主播#141\"}");
    CHECK_STR(text_of(db, "SELECT before_json FROM audit WHERE id = 9103", t, sizeof t),
              "{\"id\":7,\"streamer_id\":141,\"streamer\":\"欧*\"}");
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9104", t, sizeof t),
              "{\"id\":8,\"streamer_id\":141,\"streamer\":\"欧*\"}");
    CHECK_STR(text_of(db, "SELECT after_json FROM audit WHERE id = 9105", t, sizeof t),
              "{\"id\":9,\"name\":\"东高村服务站\"}");
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE before_json LIKE '%欧阳小明%' OR"
                      " after_json LIKE '%欧阳小明%'"),
              0);
    pj_db_close(db);
}

/* A backup made by an older build may be readable by others: restoring from it makes it
 * owner-only with the warning an open gives, and the restored database is owner-only as a new
 * one is. A database a server holds (pj_db_hold) is not restored onto — the writes the server
 * answered during the copy would be lost — until the server lets it go. */
TEST(db_restore_tightens_a_loose_backup_and_refuses_a_held_database)
{
    char bak[600], live[600], lp[600];
    snprintf(bak, sizeof bak, "%s/loose-backup.db", t_tmpdir());
    snprintf(live, sizeof live, "%s/held.db", t_tmpdir());
    snprintf(lp, sizeof lp, "%s/restore.log", t_tmpdir());
    pj_db *db = open_at("held.db", 0);
    pj_err e = {0};
    CHECK_INT(pj_db_backup(db, bak, &e), 0);
    pj_db_close(db);
    CHECK(chmod(bak, 0644) == 0 && chmod(live, 0640) == 0);
    fflush(stderr);
    int saved = dup(2), fd = open(lp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    int rc = pj_db_restore_file(bak, live, &e);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK_INT(rc, 0);
    CHECK_INT(mode_of(bak), 0600);
    CHECK_INT(mode_of(live), 0600);
    char log[4096] = "";
    FILE *f = fopen(lp, "r");
    CHECK(f != NULL);
    log[fread(log, 1, sizeof log - 1, f)] = 0;
    fclose(f);
    CHECK(strstr(log, "loose-backup.db was readable by others (mode 0644): made owner-only"));
    CHECK(strstr(log, "held.db was readable by others (mode 0640): made owner-only"));
    /* a server holds the database: refused, nothing copied */
    int hold = pj_db_hold(live, &e);
    CHECK(hold >= 0);
    pj_err_clear(&e);
    CHECK_INT(pj_db_restore_file(bak, live, &e), -1);
    CHECK_INT(e.status, 409);
    CHECK_STR(e.code, "restore");
    CHECK(strstr(e.message, "a server is running on") && strstr(e.message, "stop it first"));
    close(hold);
    pj_err_clear(&e);
    CHECK_INT(pj_db_restore_file(bak, live, &e), 0);
}

/* Migration 305: a plan closed before it kept its when/who/why in its audit row only; they
 * are put on the plan from its latest `close` row. Other plans stay without them. */
TEST(db_migration_puts_a_closed_plans_reason_on_it)
{
    pj_db *db = open_at("closed.db", 304);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO plans (id, name, scenario, role, request_json, result_json,"
                         " objective, gap, demand, served, shortfall, status, created_at,"
                         " created_by) VALUES (1, 'a', 'disaster', 'resettlement', '{}', '{}', 0,"
                         " 0, 0, 0, 0, 'closed', 1, 'u'), (2, 'b', 'disaster', 'resettlement',"
                         " '{}', '{}', 0, 0, 0, 0, 0, 'adopted', 1, 'u');"
                         "INSERT INTO audit (at, username, action, entity, entity_id, before_json,"
                         " after_json) VALUES (1700000000, 'officer', 'close', 'plan', 1, '{}',"
                         " '{\"status\":\"closed\",\"reason\":\"汛情解除\"}'), (1700000100,"
                         " 'officer', 'adopt', 'plan', 2, '{}', '{}');",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("closed.db", 0);
    CHECK_INT(one(db, "SELECT closed_at FROM plans WHERE id = 1"), 1700000000);
    CHECK_INT(one(db, "SELECT closed_by = 'officer' AND close_reason = '汛情解除' FROM plans"
                      " WHERE id = 1"),
              1);
    CHECK_INT(one(db, "SELECT closed_at IS NULL AND closed_by IS NULL AND close_reason IS NULL"
                      " FROM plans WHERE id = 2"),
              1);
    pj_db_close(db);
}

/* Migration 487: two live streamers left with one ID number by migration 483 ('x' and 'X' made
 * one) are named in the log with how many, and where to find them; an anonymised one and a
 * database without such streamers say nothing. */
TEST(db_migration_names_streamers_sharing_an_id_number)
{
    pj_db *db = open_before("shared.db", 487);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO ec_streamers (id, name, id_number, skill_level, anonymised,"
                         " created_at, updated_at) VALUES (1, 'a', '11011719900115102X', 1, 0, 1,"
                         " 1), (2, 'b', '11011719900115102X', 1, 0, 1, 1), (3, 'c',"
                         " '110117199001151038', 1, 0, 1, 1), (4, 'd', '110117199001151038', 1, 1,"
                         " 1, 1);",
                         &e),
              0);
    pj_db_close(db);
    char log[4096];
    db = open_logged("shared.db", log, sizeof log);
    CHECK(strstr(log, "warn db: 2 live streamers share 1 ID numbers") &&
          strstr(log, "?id_shared=true"));
    pj_db_close(db);
    pj_db_close(open_logged("shared.db", log, sizeof log));
    CHECK_STR(log, "");
}

/* Migration 207: an appeal filed before migration 202 entered the 2026 holidays was counted
 * without them (13 working days from 2026-09-28: Monday to Friday through 国庆, due 10-15) and
 * kept that deadline; it is counted again over the calendar as it is (due 10-21), audited by
 * `migration`. A closed appeal, and an appeal filed once the holidays were in (counted over
 * them already), are left alone. */
TEST(db_migration_recounts_deadlines_counted_before_the_2026_holidays)
{
    pj_db *db = open_before("recount.db", 207);
    pj_err e = {0};
    CHECK_INT(
        pj_db_exec(db,
                   /* migration 202 applied on 2026-11-01 */
                   "UPDATE schema_migrations SET applied_at = 1793491200 WHERE version = 202;"
                   "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES"
                   " (1, '企业', 'enterprise', 1, 1);"
                   "INSERT INTO ent_appeals (id, org_id, channel, type, category, title,"
                   " description, state, received_at, response_due, complete_due, created_by)"
                   " VALUES (1, 1, 'account', 'help', 'talent', '九月诉求', 'd', 'received',"
                   " 1790560813, 1790560813 + 3600, 1792080000, 'jd'),"
                   " (2, 1, 'account', 'help', 'talent', '已办结', 'd', 'closed', 1790560813,"
                   " 1790560813 + 3600, 1792080000, 'jd'),"
                   /* filed 2026-11-04, after 202: kept, whatever its dates */
                   " (3, 1, 'account', 'help', 'talent', '十一月', 'd', 'received', 1793750400,"
                   " 1793750400 + 3600, 1792080000, 'jd');",
                   &e),
        0);
    pj_db_close(db);
    db = open_at("recount.db", 0);
    CHECK_INT(one(db, "SELECT complete_due FROM ent_appeals WHERE id = 1"), 1792598400);
    CHECK_INT(one(db, "SELECT version FROM ent_appeals WHERE id = 1"), 2);
    CHECK_INT(one(db, "SELECT response_due FROM ent_appeals WHERE id = 1"), 1790560813 + 3600);
    CHECK_INT(one(db, "SELECT complete_due FROM ent_appeals WHERE id = 2"), 1792080000);
    CHECK_INT(one(db, "SELECT complete_due FROM ent_appeals WHERE id = 3"), 1792080000);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity ="
                      " 'ent_appeal' AND entity_id = 1 AND action = 'update'"),
              1);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_appeal'"), 1);
    pj_db_close(db);
}

/* Migration 115: helper records of elders who had died or moved away before an elder's
 * departure stopped their helper record too stayed active and paired. Linked by elder_id or of
 * the elder's ID number, they are set inactive and their active pairs ended ("helper inactive",
 * on the Beijing day the elder left, or the pair's start day when later), each with an audit
 * row by 'migration'; other helpers, pairs and an inactive helper are left as they were. */
TEST(db_migration_stops_helpers_of_departed_elders)
{
    pj_db *db = open_before("helperstop.db", 115);
    pj_err e = {0};
    /* elders: 1 deceased (left 2025-12-31 23:00 UTC: 2026-01-01 in Beijing), 2 moved (left
     * 2026-02-01), 3 and 4 active and paired, 5 active; helpers: 1 linked to elder 1, 2 of
     * elder 2's ID number (not linked), 3 linked to elder 5 (active), 4 linked to elder 1 and
     * inactive already */
    CHECK_INT(
        pj_db_exec(
            db,
            "INSERT INTO regions (id, code, name, type, created_at, updated_at) VALUES"
            " (1, 'g1', 'g', 'grid', 1, 1);"
            "INSERT INTO elders (id, name, sex, birth_date, id_number, grid_id, village_id,"
            " township_id, lat, lon, status, left_at, created_at, updated_at) VALUES"
            " (1, 'a', 'F', '1940-01-01', 'E1', 1, 1, 1, 40, 117, 'deceased', 1767222000, 1, 1),"
            " (2, 'b', 'F', '1940-01-01', 'E2', 1, 1, 1, 40, 117, 'moved', 1769904000, 1, 1),"
            " (3, 'c', 'F', '1940-01-01', 'E3', 1, 1, 1, 40, 117, 'active', NULL, 1, 1),"
            " (4, 'd', 'F', '1940-01-01', 'E4', 1, 1, 1, 40, 117, 'active', NULL, 1, 1),"
            " (5, 'e', 'F', '1940-01-01', 'E5', 1, 1, 1, 40, 117, 'active', NULL, 1, 1);"
            "INSERT INTO helpers (id, name, sex, birth_date, id_number, grid_id, village_id,"
            " township_id, lat, lon, skills, capacity, elder_id, active, created_at, updated_at,"
            " version) VALUES"
            " (1, 'h1', 'F', '1940-01-01', 'E1', 1, 1, 1, 40, 117, 8, 2, 1, 1, 1, 1, 3),"
            " (2, 'h2', 'F', '1940-01-01', 'E2', 1, 1, 1, 40, 117, 8, 2, NULL, 1, 1, 1, 1),"
            " (3, 'h3', 'F', '1940-01-01', 'E5', 1, 1, 1, 40, 117, 8, 2, 5, 1, 1, 1, 1),"
            " (4, 'h4', 'F', '1941-01-01', 'E6', 1, 1, 1, 40, 117, 8, 2, 1, 0, 1, 1, 2);"
            "INSERT INTO elder_pairs (id, elder_id, helper_id, start_date, end_date, state,"
            " created_by, created_at, ended_note, version) VALUES"
            " (1, 3, 1, '2025-10-01', NULL, 'active', 'x', 1, '', 1),"
            " (2, 4, 2, '2026-03-05', NULL, 'active', 'x', 1, '', 2),"
            " (3, 5, 3, '2025-10-01', NULL, 'active', 'x', 1, '', 1),"
            " (4, 4, 1, '2025-09-01', '2025-09-30', 'ended', 'x', 1, 'n', 2);",
            &e),
        0);
    pj_db_close(db);
    db = open_at("helperstop.db", 0);
    char out[600];
    CHECK_STR(text_of(db,
                      "SELECT group_concat(id || ':' || active || ':' || version, ' ') FROM"
                      " (SELECT * FROM helpers ORDER BY id)",
                      out, sizeof out),
              "1:0:4 2:0:2 3:1:1 4:0:2");
    CHECK_STR(text_of(db,
                      "SELECT group_concat(id || ':' || state || ':' || COALESCE(end_date, '-') ||"
                      " ':' || ended_note || ':' || version, ' ') FROM (SELECT * FROM elder_pairs"
                      " ORDER BY id)",
                      out, sizeof out),
              "1:ended:2026-01-01:helper inactive:2 2:ended:2026-03-05:helper inactive:3"
              " 3:active:-::1 4:ended:2025-09-30:n:2");
    CHECK_STR(
        text_of(db,
                "SELECT group_concat(action || ' ' || entity || ' ' || entity_id || ' ' ||"
                " before_json || ' ' || after_json, ' | ') FROM (SELECT * FROM audit WHERE"
                " username = 'migration' AND at > 0 ORDER BY id)",
                out, sizeof out),
        "end pair 1 {\"id\":1,\"state\":\"active\",\"end_date\":null,\"ended_note\":\"\","
        "\"version\":1} {\"id\":1,\"state\":\"ended\",\"end_date\":\"2026-01-01\","
        "\"ended_note\":\"helper inactive\",\"version\":2} | end pair 2 {\"id\":2,\"state\":"
        "\"active\",\"end_date\":null,\"ended_note\":\"\",\"version\":2} {\"id\":2,"
        "\"state\":\"ended\",\"end_date\":\"2026-03-05\",\"ended_note\":\"helper"
        " inactive\",\"version\":3} | update helper 1 {\"id\":1,\"active\":true,"
        "\"version\":3} {\"id\":1,\"active\":false,\"version\":4} | update helper 2"
        " {\"id\":2,\"active\":true,\"version\":1} {\"id\":2,\"active\":false,\"version\":2}");
    pj_db_close(db);
}

/* Migration 116: a departure raises helper_id_departed on the helper records of the elder's ID
 * number it leaves active; departures recorded before the alert existed raised none, and the
 * scan does not raise it, so such a helper went on helping with no one told. Each is alerted
 * once, as the departure would have: at the helper's grid and township, the day the elder left
 * in its key and detail, with an audit row by 'migration'. A helper linked to the departed
 * elder itself, an inactive one, one whose elder is active and one alerted for that departure
 * already (since resolved by hand) are left as they were. */
TEST(db_migration_alerts_helpers_of_departed_numbers)
{
    pj_db *db = open_before("iddeparted.db", 116);
    pj_err e = {0};
    /* elders: 1 deceased (left 2026-11-19 20:00 UTC: 2026-11-20 in Beijing), 2 active (its
     * number corrected since its helper was linked), 3 moved (left 2026-10-01 02:00 UTC), 4
     * active, 5 deceased, 6 moved, 7 deceased; helpers: 1 linked to elder 2 with elder 1's
     * number, 2 unlinked of elder 3's number (in another grid and township), 3 of elder 4's
     * number, 4 linked to elder 5 itself (the departed elder's own record: not this alert's),
     * 5 linked to elder 2 with elder 6's number and alerted already for elder 6's departure
     * (resolved by hand), 6 linked to elder 2 with elder 7's number but inactive */
    CHECK_INT(
        pj_db_exec(
            db,
            "INSERT INTO regions (id, code, name, type, created_at, updated_at) VALUES"
            " (1, 'g1', 'g', 'grid', 1, 1), (7, 'g7', 'g', 'grid', 1, 1);"
            "INSERT INTO elders (id, name, sex, birth_date, id_number, grid_id, village_id,"
            " township_id, lat, lon, status, left_at, created_at, updated_at) VALUES"
            " (1, 'a', 'F', '1940-01-01', 'E1', 1, 1, 1, 40, 117, 'deceased', 1795118400, 1, 1),"
            " (2, 'b', 'F', '1940-01-01', 'E2', 1, 1, 1, 40, 117, 'active', NULL, 1, 1),"
            " (3, 'c', 'F', '1940-01-01', 'E3', 1, 1, 1, 40, 117, 'moved', 1790820000, 1, 1),"
            " (4, 'd', 'F', '1940-01-01', 'E4', 1, 1, 1, 40, 117, 'active', NULL, 1, 1),"
            " (5, 'e', 'F', '1940-01-01', 'E5', 1, 1, 1, 40, 117, 'deceased', 1795118400, 1, 1),"
            " (6, 'f', 'F', '1940-01-01', 'E6', 1, 1, 1, 40, 117, 'moved', 1795118400, 1, 1),"
            " (7, 'g', 'F', '1940-01-01', 'E7', 1, 1, 1, 40, 117, 'deceased', 1795118400, 1, 1);"
            "INSERT INTO helpers (id, name, sex, birth_date, id_number, grid_id, village_id,"
            " township_id, lat, lon, skills, capacity, elder_id, active, created_at, updated_at,"
            " version) VALUES"
            " (1, 'h1', 'F', '1940-01-01', 'E1', 1, 1, 1, 40, 117, 8, 2, 2, 1, 1, 1, 3),"
            " (2, 'h2', 'F', '1940-01-01', 'E3', 7, 7, 7, 40, 117, 8, 2, NULL, 1, 1, 1, 1),"
            " (3, 'h3', 'F', '1940-01-01', 'E4', 1, 1, 1, 40, 117, 8, 2, NULL, 1, 1, 1, 1),"
            " (4, 'h4', 'F', '1940-01-01', 'E5', 1, 1, 1, 40, 117, 8, 2, 5, 1, 1, 1, 2),"
            " (5, 'h5', 'F', '1940-01-01', 'E6', 1, 1, 1, 40, 117, 8, 2, 2, 1, 1, 1, 1),"
            " (6, 'h6', 'F', '1940-01-01', 'E7', 1, 1, 1, 40, 117, 8, 2, 2, 0, 1, 1, 1);"
            "INSERT INTO elder_alerts (id, kind, helper_id, grid_id, township_id, dedupe_key,"
            " detail, state, raised_at, resolved_at, resolved_by, version) VALUES (9,"
            " 'helper_id_departed', 5, 1, 1, 'helper_id_departed:5:6:2026-11-20#9', 'x',"
            " 'resolved', 1, 2, 'u', 2);",
            &e),
        0);
    pj_db_close(db);
    db = open_at("iddeparted.db", 0);
    char out[600];
    CHECK_STR(text_of(db,
                      "SELECT group_concat(helper_id || ' ' || grid_id || '/' || township_id ||"
                      " ' ' || state || ' ' || level || ' ' || dedupe_key || ' ' || detail, ' | ')"
                      " FROM (SELECT * FROM elder_alerts WHERE id <> 9 ORDER BY id)",
                      out, sizeof out),
              "1 1/1 open grid helper_id_departed:1:1:2026-11-20 an elder of the same ID number"
              " was recorded deceased on 2026-11-20 | 2 7/7 open grid"
              " helper_id_departed:2:3:2026-10-01 an elder of the same ID number was recorded"
              " moved on 2026-10-01");
    CHECK_INT(one(db, "SELECT COUNT(*) FROM elder_alerts a WHERE a.raised_at = (SELECT applied_at"
                      " FROM schema_migrations WHERE version = 116)"),
              2);
    /* one audit row each, by 'migration', without personal data */
    CHECK_STR(text_of(db,
                      "SELECT group_concat(action || ' ' || entity || ' ' || (entity_id = (SELECT"
                      " id FROM elder_alerts WHERE helper_id = json_extract(after_json,"
                      " '$.helper_id') AND id <> 9)) || ' ' || json_extract(after_json,"
                      " '$.helper_id') || ' ' || json_extract(after_json, '$.state') || ' ' ||"
                      " (before_json IS NULL), ' | ') FROM (SELECT * FROM audit WHERE username ="
                      " 'migration' AND entity = 'elder_alert' ORDER BY id)",
                      out, sizeof out),
              "create elder_alert 1 1 open 1 | create elder_alert 1 2 open 1");
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE entity = 'elder_alert' AND (after_json"
                      " LIKE '%E1%' OR after_json LIKE '%h1%')"),
              0);
    /* the helpers themselves untouched */
    CHECK_STR(text_of(db,
                      "SELECT group_concat(id || ':' || active || ':' || version, ' ') FROM"
                      " (SELECT * FROM helpers ORDER BY id)",
                      out, sizeof out),
              "1:1:3 2:1:1 3:1:1 4:1:2 5:1:1 6:0:1");
    pj_db_close(db);
}

/* Migration 209: days moved before move_kind existed get it from their reason: the district's
 * move says "by the district", the calendar's any other reason; a day not moved has none, nor
 * one the district moved back onto its first Monday. */
TEST(db_migration_tells_who_moved_a_reception_day)
{
    pj_db *db = open_at("moved.db", 208);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO ent_reception_days (id, held_on, first_monday,"
                         " moved_reason, created_at, updated_at) VALUES (1, '2026-01-05',"
                         " '2026-01-05', '', 1, 1), (2, '2026-02-03', '2026-02-02', '2026-02-02"
                         " is not a working day; moved to the next one', 1, 1), (3, '2026-03-04',"
                         " '2026-03-02', 'moved from 2026-03-02 to 2026-03-04 by the district', 1,"
                         " 1), (4, '2026-04-06', '2026-04-06', 'moved from 2026-04-07 to"
                         " 2026-04-06 by the district', 1, 1);",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("moved.db", 0);
    CHECK_INT(one(db, "SELECT move_kind IS NULL FROM ent_reception_days WHERE id = 1"), 1);
    CHECK_INT(one(db, "SELECT move_kind = 'calendar' FROM ent_reception_days WHERE id = 2"), 1);
    CHECK_INT(one(db, "SELECT move_kind = 'district' FROM ent_reception_days WHERE id = 3"), 1);
    /* moved back onto its first Monday by the district (before 209): not a moved day */
    CHECK_INT(one(db, "SELECT move_kind IS NULL AND moved_reason = '' FROM ent_reception_days"
                      " WHERE id = 4"),
              1);
    pj_db_close(db);
}

/* Migration 210: a notice is of a policy or of a reception day; the table rebuilt with
 * policy_id nullable keeps every notice sent before, with its id, policy, kind and times. */
TEST(db_migration_keeps_policy_notices_and_takes_reception_day_notices)
{
    pj_db *db = open_at("notices.db", 209);
    pj_err e = {0};
    CHECK_INT(
        pj_db_exec(db,
                   "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES"
                   " (1, '甲', 'enterprise', 1, 1), (2, '乙', 'enterprise', 1, 1);"
                   "INSERT INTO ent_policies (id, title, issuer, issued_on, valid_from,"
                   " conditions, created_at, updated_at) VALUES (1, '政策', '区', '2026-01-01',"
                   " '2026-01-01', 'true', 1, 1);"
                   "INSERT INTO ent_notices (id, org_id, policy_id, kind, created_at, read_at)"
                   " VALUES (3, 1, 1, 'new_policy', 100, NULL), (7, 2, 1, 'in_force', 200,"
                   " 250);"
                   "INSERT INTO ent_reception_days (id, held_on, first_monday, moved_reason,"
                   " created_at, updated_at) VALUES (1, '2026-12-07', '2026-12-07', '', 1,"
                   " 1);",
                   &e),
        0);
    pj_db_close(db);
    db = open_at("notices.db", 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM ent_notices"), 2);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM ent_notices WHERE id = 3 AND org_id = 1 AND policy_id"
                      " = 1 AND kind = 'new_policy' AND created_at = 100 AND read_at IS NULL AND"
                      " reception_day_id IS NULL"),
              1);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM ent_notices WHERE id = 7 AND org_id = 2 AND policy_id"
                      " = 1 AND kind = 'in_force' AND created_at = 200 AND read_at = 250"),
              1);
    /* a reception day's notice has no policy; a notice of neither, or of both, is refused */
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO ent_notices (org_id, reception_day_id, kind, old_date,"
                         " new_date, created_at) VALUES (1, 1, 'reception_moved', '2026-12-07',"
                         " '2026-12-08', 300)",
                         &e),
              0);
    CHECK(pj_db_exec(db, "INSERT INTO ent_notices (org_id, kind, created_at) VALUES (1, 'x', 1)",
                     &e) != 0);
    CHECK(pj_db_exec(db,
                     "INSERT INTO ent_notices (org_id, policy_id, reception_day_id, kind,"
                     " created_at) VALUES (1, 1, 1, 'x', 1)",
                     &e) != 0);
    CHECK_INT(one(db, "SELECT COUNT(*) FROM ent_notices"), 3);
    /* the index by firm is there again */
    CHECK_INT(one(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name ="
                      " 'ent_notices_org'"),
              1);
    pj_db_close(db);
}

/* The statement cache (512 slots, 8 probed per SQL) evicts when a neighbourhood is full. A
 * statement prepared and bound but not stepped yet is the caller's: preparing other SQL that
 * lands on its slot must not take it (sqlite3_stmt_busy says no until the first step, which is
 * all the cache looked at), else the caller steps the other SQL under its own pointer. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

TEST(db_statement_cache_keeps_a_prepared_statement_not_yet_stepped)
{
    pj_db *db = open_at("cache.db", 0);
    pj_err e = {0};
    char sql[64];
    /* fill every slot with statements given back */
    for (int i = 0; i < 8192; i++) {
        snprintf(sql, sizeof sql, "SELECT %d AS filler", i);
        pj_stmt *s = pj_db_prepare(db, sql, &e);
        CHECK(s != NULL);
        pj_stmt_done(s);
    }
    const char *a_sql = "SELECT ?1 * 2 AS doubled";
    pj_stmt *a = pj_db_prepare(db, a_sql, &e);
    CHECK(a != NULL);
    pj_stmt_int(a, 1, 21);
    /* other SQL whose home slot is a's: its neighbourhood is full, so it evicts */
    unsigned home = (unsigned)(fnv1a(a_sql) % 512);
    int found = 0;
    for (int k = 0; k < 1000000 && !found; k++) {
        snprintf(sql, sizeof sql, "SELECT %d AS other", k);
        found = (unsigned)(fnv1a(sql) % 512) == home;
    }
    CHECK(found);
    pj_stmt *b = pj_db_prepare(db, sql, &e);
    CHECK(b != NULL);
    CHECK(b != a);
    /* a is still the doubling, with its binding */
    CHECK_INT(pj_stmt_step(a, &e), 1);
    CHECK_INT(pj_col_int(a, 0), 42);
    pj_stmt_done(a);
    CHECK_INT(pj_stmt_step(b, &e), 1);
    pj_stmt_done(b);
    pj_db_close(db);
}

/* Migration 211: a reply now clears the return visit made before it, so a visit kept on an
 * appeal is the call-back on its reply. On a database of an older build: an appeal visited
 * before its reply (the events say so, though the times are the same second; or, without
 * events, the times) loses that visit, audited, and awaits the call-back again; one visited
 * after its reply within the same second keeps it; a demo appeal (closed, no events) visited
 * before its reply gets its visit between the reply and the close. */
TEST(db_migration_visit_before_reply_cleared)
{
    pj_db *db = open_at("visits.db", 210);
    pj_err e = {0};
    CHECK_INT(
        pj_db_exec(db,
                   "INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES"
                   " (1, '企业', 'enterprise', 1, 1), (2, '商务局', 'department', 1, 1);"
                   "INSERT INTO ent_appeals (id, org_id, channel, type, category, title,"
                   " description, state, department_id, received_at, replied_at, closed_at,"
                   " response_due, complete_due, resolved, visit_due, visited_at, visit_note,"
                   " source, created_by, version) VALUES"
                   " (1, 1, 'account', 'help', 'permits', 't', 'd', 'replied', 2, 100, 400, NULL,"
                   " 200, 900, 1, 900, 400, '办理中回访', 'manual', 'jd', 5),"
                   " (2, 1, 'account', 'help', 'permits', 't', 'd', 'replied', 2, 100, 400, NULL,"
                   " 200, 900, 1, 900, 400, '答复后回访', 'manual', 'jd', 5),"
                   " (3, 1, 'phone', 'help', 'permits', 't', 'd', 'closed', 2, 100, 86400, 90000,"
                   " 200, 900, 1, 900, 1000, '', 'synthetic', 'demo', 1),"
                   " (4, 1, 'phone', 'help', 'permits', 't', 'd', 'replied', 2, 100, 400, NULL,"
                   " 200, 900, 1, 900, 300, '电话', 'manual', 'officer', 3);"
                   "INSERT INTO ent_appeal_events (appeal_id, at, action, from_state, to_state,"
                   " department_id, username, note) VALUES"
                   " (1, 400, 'visit', 'in_progress', 'in_progress', 2, 'officer', '办理中回访'),"
                   " (1, 400, 'reply', 'in_progress', 'replied', 2, 'officer', 'a'),"
                   " (2, 400, 'reply', 'in_progress', 'replied', 2, 'officer', 'a'),"
                   " (2, 400, 'visit', 'replied', 'replied', 2, 'officer', '答复后回访');",
                   &e),
        0);
    pj_db_close(db);
    db = open_at("visits.db", 0);
    char out[1000];
    CHECK_STR(text_of(db,
                      "SELECT group_concat(id || ':' || COALESCE(visited_at, '-') || ':' ||"
                      " visit_note || ':' || version, ' ') FROM (SELECT * FROM ent_appeals"
                      " ORDER BY id)",
                      out, sizeof out),
              "1:-::6 2:400:答复后回访:5 3:88200::2 4:-::4");
    CHECK_STR(text_of(db,
                      "SELECT group_concat(entity_id || ' ' || before_json || ' ' || after_json,"
                      " ' | ') FROM (SELECT * FROM audit WHERE username = 'migration' AND entity"
                      " = 'ent_appeal' AND action = 'update' AND at > 0 ORDER BY entity_id)",
                      out, sizeof out),
              "1 {\"id\":1,\"visited_at\":\"1970-01-01T00:06:40Z\",\"visit_note\":\"办理中回访\","
              "\"version\":5} {\"id\":1,\"visited_at\":null,\"visit_note\":\"\",\"version\":6} | "
              "3 {\"id\":3,\"visited_at\":\"1970-01-01T00:16:40Z\",\"version\":1} {\"id\":3,"
              "\"visited_at\":\"1970-01-02T00:30:00Z\",\"version\":2} | "
              "4 {\"id\":4,\"visited_at\":\"1970-01-01T00:05:00Z\",\"visit_note\":\"电话\","
              "\"version\":3} {\"id\":4,\"visited_at\":null,\"visit_note\":\"\",\"version\":4}");
    pj_db_close(db);
}

/* Regression: a backup copied 256 pages at a time, and SQLite starts such a copy over whenever
 * another connection commits between two steps: under a server's steady writes `pingji backup`
 * did not end until the writes stopped. The copy is now one snapshot: it ends while another
 * process goes on writing, is sound, and holds what was committed before it began. */
TEST_T(db_backup_ends_while_another_process_writes, 90)
{
    pj_db *db = open_at("busy.db", 0);
    pj_err e = {0};
    /* some 48 MB: about two hundred slices of the old copy */
    CHECK_INT(pj_db_exec(db,
                         "CREATE TABLE bulk (id INTEGER PRIMARY KEY, x BLOB);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                         " WHERE i < 48000) INSERT INTO bulk (x) SELECT randomblob(1000) FROM n",
                         &e),
              0);
    char live[600], bak[600];
    snprintf(live, sizeof live, "%s/busy.db", t_tmpdir());
    snprintf(bak, sizeof bak, "%s/busy-backup.db", t_tmpdir());
    int ready[2];
    CHECK_INT(pipe(ready), 0);
    pid_t writer = fork();
    CHECK(writer >= 0);
    if (writer == 0) {
        /* another process writing steadily, for 8 s (the copy takes well under one) */
        sqlite3 *h;
        if (sqlite3_open(live, &h) != SQLITE_OK) _exit(3);
        sqlite3_busy_timeout(h, 5000);
        sqlite3_exec(h, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
        time_t stop = time(NULL) + 8;
        int told = 0;
        for (int i = 0; time(NULL) < stop; i++) {
            if (sqlite3_exec(h, "INSERT INTO bulk (x) VALUES (randomblob(100))", NULL, NULL,
                             NULL) != SQLITE_OK)
                _exit(4);
            if (!told && i >= 10) told = write(ready[1], "x", 1) == 1;
        }
        sqlite3_close(h);
        _exit(0);
    }
    close(ready[1]);
    char c;
    CHECK_INT(read(ready[0], &c, 1), 1); /* it is writing */
    long long before = one(db, "SELECT COUNT(*) FROM bulk");
    CHECK(before > 48000);
    int rc = pj_db_backup(db, bak, &e);
    /* the copy ended while the other process still wrote */
    int status = 0;
    pid_t gone = waitpid(writer, &status, WNOHANG);
    kill(writer, SIGKILL);
    if (!gone) waitpid(writer, &status, 0);
    CHECK_INT(rc, 0);
    CHECK_INT(gone, 0);
    pj_db_close(db);
    sqlite3 *b;
    CHECK_INT(sqlite3_open_v2(bak, &b, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(b, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    CHECK_INT(sqlite3_prepare_v2(b, "SELECT COUNT(*) FROM bulk", -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK(sqlite3_column_int64(st, 0) >= before);
    sqlite3_finalize(st);
    sqlite3_close(b);
}

/* Regression: the -wal file grew to the largest burst of writes and kept that size while the
 * server ran. After a checkpoint, the next commit cuts it back to 16 MiB. */
TEST_T(db_wal_file_is_cut_back_after_a_checkpoint, 90)
{
    pj_db *db = open_at("wal.db", 0);
    pj_err e = {0};
    char wal[600];
    snprintf(wal, sizeof wal, "%s/wal.db-wal", t_tmpdir());
    /* a burst of some 40 MB in one transaction: the -wal file holds all of it */
    CHECK_INT(pj_db_exec(db,
                         "CREATE TABLE bulk (id INTEGER PRIMARY KEY, x BLOB);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                         " WHERE i < 40000) INSERT INTO bulk (x) SELECT randomblob(1000) FROM n",
                         &e),
              0);
    struct stat st;
    CHECK_INT(stat(wal, &st), 0);
    CHECK(st.st_size > 32 * 1024 * 1024);
    CHECK_INT(pj_db_exec(db, "PRAGMA wal_checkpoint", &e), 0);
    CHECK_INT(pj_db_exec(db, "INSERT INTO bulk (x) VALUES (x'00')", &e), 0);
    CHECK_INT(stat(wal, &st), 0);
    CHECK(st.st_size <= 16 * 1024 * 1024);
    pj_db_close(db);
}

/* Migration 308: a plan solved in two stages (the vulnerable first) was saved with the larger
 * stage gap as the whole plan's, though each stage's bound takes the earlier stage's sites as
 * fixed. Its summary's gap becomes null (the head's column 1, read as null), its version
 * raised, audited by 'migration' with the gap before and after; a one-stage plan's gap and a
 * plan without a gap are left as they were. */
TEST(db_migration_two_stage_plans_have_no_gap)
{
    pj_db *db = open_before("twostage.db", 308);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO plans (id, name, scenario, role, request_json, result_json,"
                         " objective, gap, demand, served, shortfall, status, created_at,"
                         " created_by) VALUES"
                         " (1, 'two', 'disaster', 'resettlement', '{}', '{\"summary\":{\"gap\":"
                         "0.0133,\"lower_bound\":null},\"solver\":{\"location\":{\"gap\":0.004},"
                         "\"location_vulnerable\":{\"gap\":0.0133},\"flags\":{\"vulnerable_first\":"
                         "true}}}', 10, 0.0133, 5, 5, 0, 'adopted', 1, 'u'),"
                         " (2, 'one', 'disaster', 'resettlement', '{}', '{\"summary\":{\"gap\":"
                         "0.02,\"lower_bound\":9.8},\"solver\":{\"flags\":{\"vulnerable_first\":"
                         "false}}}', 10, 0.02, 5, 5, 0, 'draft', 1, 'u'),"
                         " (3, 'solving', 'disaster', 'resettlement', '{}', 'null', 0, 0, 0, 0, 0,"
                         " 'solving', 1, 'u')",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("twostage.db", 0);
    char t[512];
    CHECK_STR(text_of(db, "SELECT json_type(result_json, '$.summary.gap') FROM plans WHERE id = 1",
                      t, sizeof t),
              "null");
    CHECK_INT(one(db, "SELECT gap FROM plans WHERE id = 1"), 1);
    CHECK_INT(one(db, "SELECT version FROM plans WHERE id = 1"), 2);
    /* the stages' own gaps kept */
    CHECK_STR(text_of(db,
                      "SELECT json_extract(result_json, '$.solver.location_vulnerable.gap') FROM"
                      " plans WHERE id = 1",
                      t, sizeof t),
              "0.0133");
    CHECK_STR(text_of(db,
                      "SELECT before_json || ' ' || after_json FROM audit WHERE entity = 'plan'"
                      " AND entity_id = 1 AND username = 'migration' AND action = 'update'",
                      t, sizeof t),
              "{\"gap\":0.0133} {\"gap\":null}");
    CHECK_INT(one(db, "SELECT COUNT(*) FROM audit WHERE entity = 'plan' AND username ="
                      " 'migration'"),
              1);
    CHECK_STR(text_of(db,
                      "SELECT json_extract(result_json, '$.summary.gap') FROM plans WHERE"
                      " id = 2",
                      t, sizeof t),
              "0.02");
    CHECK_INT(one(db, "SELECT version FROM plans WHERE id = 2"), 1);
    CHECK_INT(one(db, "SELECT version FROM plans WHERE id = 3"), 1);
    pj_db_close(db);
}

/* Migration 118: the ledger note of a void was written "void of log 57: 录错了老人" (shown raw
 * in the zh-CN console); it holds the reason alone, as a void writes it now (the transaction's
 * kind and log_id say the rest). A note not of that form, or naming another log, or of another
 * kind of transaction, is left as it is. */
TEST(db_migration_void_notes_hold_the_reason)
{
    pj_db *db = open_before("voidnotes.db", 118);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO credit_txns (id, kind, at, log_id, note, created_by) VALUES"
                         " (1, 'void', 1, 57, 'void of log 57: 录错了老人', 'u'),"
                         " (2, 'void', 1, 58, 'void of log 58: a: b', 'u'),"
                         " (3, 'void', 1, 59, 'void of log 60: x', 'u'),"
                         " (4, 'earn', 1, 61, 'void of log 61: y', 'u'),"
                         " (5, 'void', 1, 62, '重复录入', 'u'),"
                         " (6, 'void', 1, 63, 'void of log 63: ', 'u');",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("voidnotes.db", 0);
    char out[400];
    CHECK_STR(text_of(db,
                      "SELECT group_concat(id || '=' || note, '|') FROM (SELECT * FROM"
                      " credit_txns ORDER BY id)",
                      out, sizeof out),
              "1=录错了老人|2=a: b|3=void of log 60: x|4=void of log 61: y|5=重复录入|6=");
    pj_db_close(db);
}

/* Migration 488: the academy's and the zone's deleted ids are retired from the audit trail's
 * highest (a cohort 40 created and deleted before the migration is not given again), and a
 * delete after it retires its id. */
TEST(db_migration_retires_academy_ids)
{
    pj_db *db = open_before("retire.db", 488);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "DROP TRIGGER ec_zone_enterprises_retire_id; DROP TRIGGER"
                         " ac_courses_retire_id; DROP TRIGGER ac_cohorts_retire_id; DROP TRIGGER"
                         " ac_posts_retire_id; DROP TRIGGER ac_enrolments_retire_id;"
                         " DELETE FROM retired_ids WHERE tbl_name IN ('ec_zone_enterprises',"
                         " 'ac_courses', 'ac_cohorts', 'ac_posts', 'ac_enrolments');"
                         "INSERT INTO audit (at, username, action, entity, entity_id) VALUES"
                         " (1, 'u', 'create', 'ac_cohort', 40), (2, 'u', 'delete', 'ac_cohort',"
                         " 40), (3, 'u', 'create', 'ac_post', 7);",
                         &e),
              0);
    pj_db_close(db);
    char log[4096];
    db = open_logged("retire.db", log, sizeof log);
    char out[64];
    CHECK_STR(text_of(db, "SELECT max_id FROM retired_ids WHERE tbl_name = 'ac_cohorts'", out,
                      sizeof out),
              "40");
    CHECK_STR(
        text_of(db, "SELECT max_id FROM retired_ids WHERE tbl_name = 'ac_posts'", out, sizeof out),
        "7");
    CHECK_STR(text_of(db, "SELECT max_id FROM retired_ids WHERE tbl_name = 'ac_courses'", out,
                      sizeof out),
              "0");
    CHECK_STR(text_of(db,
                      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name ="
                      " 'ac_enrolments_retire_id'",
                      out, sizeof out),
              "1");
    pj_db_close(db);
}

/* Migration 489: each consented financing match stores the explanation its bank reads from then
 * on (as its rule and the firm's profile stand at the migration); one not consented stores
 * none. */
TEST(db_migration_stores_consented_explanations)
{
    pj_db *db = open_before("snap.db", 489);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "ALTER TABLE ent_fin_matches DROP COLUMN consent_explanation;"
                         "INSERT INTO organisations (id, name, type, created_at, updated_at)"
                         " VALUES (1, '银行', 'bank', 0, 0), (2, '企业', 'enterprise', 0, 0);"
                         "INSERT INTO ent_profiles (org_id, revenue_wan, updated_at) VALUES"
                         " (2, 3343, 0);"
                         "INSERT INTO ent_bank_products (id, bank_id, name, min_fen, max_fen,"
                         " rate_pct, term_months, conditions, created_at) VALUES (1, 1, 'p', 1,"
                         " 100000000, 3, 60, 'revenue_wan >= 100', 0);"
                         "INSERT INTO ent_fin_needs (id, org_id, amount_fen, term_months,"
                         " purpose, created_at) VALUES (1, 2, 1000000, 12, 'x', 0), (2, 2,"
                         " 1000000, 12, 'y', 0);"
                         "INSERT INTO ent_fin_matches (id, need_id, product_id, org_id, rank,"
                         " score, consent, created_at) VALUES (1, 1, 1, 2, 1, 1, 'granted', 0),"
                         " (2, 2, 1, 2, 1, 1, 'pending', 0);",
                         &e),
              0);
    pj_db_close(db);
    char log[4096];
    db = open_logged("snap.db", log, sizeof log);
    char out[2048];
    CHECK(strstr(text_of(db, "SELECT consent_explanation FROM ent_fin_matches WHERE id = 1", out,
                         sizeof out),
                 "\"result\":\"eligible\"") != NULL);
    CHECK(strstr(out, "revenue_wan >= 100") != NULL);
    CHECK_STR(text_of(db,
                      "SELECT COALESCE(consent_explanation, 'none') FROM ent_fin_matches WHERE id"
                      " = 2",
                      out, sizeof out),
              "none");
    pj_db_close(db);
}
