/* The demo's drills are drills as the API makes them: the manual's convert steps only, so a
 * finished drill is done/total (the loader gave them the restore steps too, pending for ever:
 * 7 of 11 done); a database loaded before loses those steps on upgrade, a live conversion's
 * restore steps stay. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "t.h"
#include "th.h"

TEST_T(dualuse_demo_drills_have_no_restore_steps, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM conversions WHERE mode = 'drill' AND started_by ="
                         " 'demo' AND state = 'finished'") > 10);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversion_steps cs JOIN conversions v ON v.id ="
                             " cs.conversion_id WHERE v.mode = 'drill' AND cs.phase = 'restore'"),
              0);
    /* the live conversion of 万达锦华酒店 keeps its restore steps, waiting */
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM conversion_steps cs JOIN conversions v ON v.id ="
                         " cs.conversion_id WHERE v.mode = 'live' AND v.started_by = 'demo' AND"
                         " cs.phase = 'restore' AND cs.status = 'pending'") > 0);
    /* every demo drill over the API: its total is its manual's convert steps, a finished one
     * has them all done */
    int checked = 0;
    char path[96];
    for (long long id = 0;;) {
        char q[200];
        snprintf(q, sizeof q,
                 "SELECT COALESCE(MIN(id), 0) FROM conversions WHERE mode = 'drill' AND"
                 " started_by = 'demo' AND id > %lld",
                 id);
        id = th_sql_int(&s, q);
        if (!id) break;
        snprintf(q, sizeof q,
                 "SELECT COUNT(*) FROM manual_steps m JOIN conversions v ON v.manual_id ="
                 " m.manual_id WHERE v.id = %lld AND m.phase = 'convert'",
                 id);
        long long convert = th_sql_int(&s, q);
        snprintf(path, sizeof path, "/api/v1/conversions/%lld", id);
        json_t *o = NULL;
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        json_t *pr = json_object_get(o, "progress");
        if (th_int(pr, "total") != convert)
            t_fail(__FILE__, __LINE__, "drill %lld: total %lld, %lld convert steps", id,
                   (long long)th_int(pr, "total"), convert);
        CHECK_INT(json_array_size(json_object_get(o, "steps")), convert);
        if (!strcmp(th_str(o, "state"), "finished") && th_int(pr, "done") != th_int(pr, "total"))
            t_fail(__FILE__, __LINE__, "finished drill %lld: %lld of %lld done", id,
                   (long long)th_int(pr, "done"), (long long)th_int(pr, "total"));
        json_decref(o);
        checked++;
    }
    CHECK(checked > 10);
    th_stop(&s);
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

static long long count(pj_db *db, const char *sql)
{
    pj_err e = {0};
    pj_stmt *s = pj_db_prepare(db, sql, &e);
    if (!s) t_fail(__FILE__, __LINE__, "%s: %s", sql, e.message);
    long long n = pj_stmt_step(s, &e) == 1 ? pj_col_int(s, 0) : -1;
    pj_stmt_done(s);
    return n;
}

/* A database the old loader filled: its drills lose their restore steps, nothing else. */
TEST(dualuse_migration_drops_the_restore_steps_of_drills)
{
    pj_db *db = open_at("drills.db", 5);
    pj_err e = {0};
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO regions (id, code, name, type, created_at, updated_at)"
                         " VALUES (1, 'T', '镇', 'township', 1, 1);"
                         "INSERT INTO facilities (id, name, type, township_id, lat, lon,"
                         " created_at, updated_at) VALUES (1, 'h1', 'hotel', 1, 40, 117, 1, 1);"
                         "INSERT INTO manuals (id, facility_id, scenario, role, version, title,"
                         " created_at, created_by) VALUES (1, 1, 'epidemic', 'isolation', 1,"
                         " 'm', 1, 'demo');"
                         "INSERT INTO manual_steps (id, manual_id, phase, seq, code, name,"
                         " planned_minutes, team_type, team_count) VALUES"
                         " (1, 1, 'convert', 1, 'S1', 's', 60, 'security', 1),"
                         " (2, 1, 'restore', 1, 'R1', 'r', 60, 'cleaning', 1);"
                         "INSERT INTO conversions (id, facility_id, manual_id, scenario, mode,"
                         " state, started_at, started_by) VALUES"
                         " (1, 1, 1, 'epidemic', 'drill', 'finished', 1, 'demo'),"
                         " (2, 1, 1, 'epidemic', 'live', 'converting', 2, 'demo');"
                         "INSERT INTO conversion_steps (conversion_id, step_id, phase, status)"
                         " VALUES (1, 1, 'convert', 'done'), (1, 2, 'restore', 'pending'),"
                         " (2, 1, 'convert', 'running'), (2, 2, 'restore', 'pending');",
                         &e),
              0);
    pj_db_close(db);
    db = open_at("drills.db", 0);
    CHECK_INT(pj_db_schema_version(db), pj_db_schema_latest());
    CHECK_INT(count(db, "SELECT COUNT(*) FROM conversion_steps WHERE conversion_id = 1 AND"
                        " phase = 'restore'"),
              0);
    CHECK_INT(count(db, "SELECT COUNT(*) FROM conversion_steps WHERE conversion_id = 1 AND"
                        " phase = 'convert' AND status = 'done'"),
              1);
    CHECK_INT(count(db, "SELECT COUNT(*) FROM conversion_steps WHERE conversion_id = 2"), 2);
    pj_db_close(db);
}
