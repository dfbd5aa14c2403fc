/* Store tests: migrations (and an in-place upgrade), constraints, backup and restore. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"
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
