/* A step counts as overdue only while its phase is open: once its conversion ended (aborted
 * with no restore steps) or went on to its restore steps, a step left running is not overdue
 * any more, in the conversion, its progress and the overview. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* Hotels 1 (its disaster manual 1: one convert step, no restore steps) and 2 (manual 2: one
 * convert step and one restore step), 60 minutes each. */
static void hotels(th_server *s)
{
    th_sql_exec(s, "INSERT INTO regions (id, parent_id, code, name, type, lat, lon, population,"
                   " created_at, updated_at) VALUES"
                   " (1000, NULL, 'T1', '测试镇', 'township', 40.0, 117.0, 100, 0, 0)");
    th_sql_exec(s, "INSERT INTO facilities (id, name, type, township_id, lat, lon,"
                   " peacetime_capacity, barrier_free_rooms, created_at, updated_at) VALUES"
                   " (1, 'A', 'hotel', 1000, 40.0, 117.01, 0, 0, 0, 0),"
                   " (2, 'B', 'hotel', 1000, 40.0, 117.05, 0, 0, 0, 0)");
    th_sql_exec(s, "INSERT INTO facility_roles (facility_id, role, unit, capacity) VALUES"
                   " (1, 'resettlement', 'beds', 200), (2, 'resettlement', 'beds', 200)");
    th_sql_exec(s, "INSERT INTO manuals (id, facility_id, scenario, role, version, title,"
                   " created_at, created_by) VALUES"
                   " (1, 1, 'disaster', 'resettlement', 1, 'm', 0, 't'),"
                   " (2, 2, 'disaster', 'resettlement', 1, 'm', 0, 't')");
    th_sql_exec(s, "INSERT INTO manual_steps (manual_id, phase, seq, code, name, planned_minutes,"
                   " team_type, team_count) VALUES"
                   " (1, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1),"
                   " (2, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1),"
                   " (2, 'restore', 1, 'r1', '撤场', 60, 'cleaning', 1)");
}

/* Starts the live conversion of facility fid and its first convert step, then moves both two
 * hours back: the step is running past its 60 minutes. The conversion's id. */
static long long start_overdue(th_server *s, const char *tok, long long fid)
{
    char body[160], path[80], sql[200];
    json_t *o = NULL;
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"disaster\"}", fid);
    CHECK_INT(th_call(s, "POST", "/api/v1/conversions", tok, body, &o), 201);
    long long cid = th_int(o, "id");
    long long sid = th_int(json_array_get(json_object_get(o, "steps"), 0), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", sid);
    CHECK_INT(th_call(s, "POST", path, tok, "{}", &o), 200);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET started_at = started_at - 7200 WHERE conversion_id ="
             " %lld",
             cid);
    th_sql_exec(s, sql);
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = started_at - 7200 WHERE id = %lld", cid);
    th_sql_exec(s, sql);
    return cid;
}

static json_t *conversion(th_server *s, const char *tok, long long cid)
{
    char path[80];
    json_t *o = NULL;
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    return o;
}

static long long overview_overdue(th_server *s, const char *tok, long long cid)
{
    json_t *o = NULL, *e;
    size_t i;
    long long n = -1;
    CHECK_INT(th_call(s, "GET", "/api/v1/overview?scenario=disaster", tok, NULL, &o), 200);
    json_array_foreach(json_object_get(o, "live_conversions"), i, e)
    {
        if (th_int(e, "conversion_id") == cid) n = th_int(e, "overdue_steps");
    }
    json_decref(o);
    return n;
}

/* Regression: a live conversion aborted while a step ran, its manual without restore steps,
 * ended `aborted` with the step still `running` (steps keep their status, as documented), and
 * its progress and the cockpit counted the step overdue for ever (judged on the clock stopped
 * at the abort). */
TEST_T(dualuse_aborted_conversion_has_no_overdue_step, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    hotels(&s);
    long long cid = start_overdue(&s, tok, 1);
    json_t *o = conversion(&s, tok, cid);
    CHECK_INT(th_int(json_object_get(o, "progress"), "overdue"), 1); /* while it runs: overdue */
    CHECK(json_is_true(json_object_get(json_array_get(json_object_get(o, "steps"), 0), "overdue")));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    CHECK_INT(th_call(&s, "POST", path, tok, "{\"reason\":\"预警解除\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "aborted");
    json_t *st = json_array_get(json_object_get(o, "steps"), 0);
    CHECK_STR(th_str(st, "status"), "running"); /* steps keep their status */
    CHECK(json_is_false(json_object_get(st, "overdue")));
    CHECK_INT(th_int(json_object_get(o, "progress"), "overdue"), 0);
    json_decref(o);
    o = conversion(&s, tok, cid);
    CHECK_INT(th_int(json_object_get(o, "progress"), "overdue"), 0);
    json_decref(o);
    /* the list says the same */
    CHECK_INT(th_call(&s, "GET", "/api/v1/conversions?facility_id=1", tok, NULL, &o), 200);
    CHECK_INT(th_int(json_object_get(json_array_get(json_object_get(o, "items"), 0), "progress"),
                     "overdue"),
              0);
    json_decref(o);
    th_stop(&s);
}

/* The same for a convert step left running when an abort sent the site to its restore steps:
 * the convert phase is over, its step is not overdue (in the conversion nor the overview),
 * while a restore step running past its time is. */
TEST_T(dualuse_restoring_after_abort_counts_only_restore_steps_overdue, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80], sql[200];
    th_login(&s, "admin", s.admin_pw, tok);
    hotels(&s);
    long long cid = start_overdue(&s, tok, 2);
    CHECK_INT(overview_overdue(&s, tok, cid), 1);
    json_t *o = NULL;
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    CHECK_INT(th_call(&s, "POST", path, tok, "{\"reason\":\"预警解除\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "restoring");
    CHECK_INT(th_int(json_object_get(o, "progress"), "overdue"), 0);
    json_decref(o);
    CHECK_INT(overview_overdue(&s, tok, cid), 0);
    /* the restore step, started and moved two hours back: overdue, its phase open */
    o = conversion(&s, tok, cid);
    long long rid = 0;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(o, "steps"), i, e)
    {
        if (!strcmp(th_str(e, "phase"), "restore")) rid = th_int(e, "id");
    }
    json_decref(o);
    CHECK(rid > 0);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", rid);
    CHECK_INT(th_call(&s, "POST", path, tok, "{}", &o), 200);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET started_at = started_at - 7200 WHERE id = %lld", rid);
    th_sql_exec(&s, sql);
    o = conversion(&s, tok, cid);
    CHECK_INT(th_int(json_object_get(o, "progress"), "overdue"), 1);
    json_decref(o);
    CHECK_INT(overview_overdue(&s, tok, cid), 1);
    th_stop(&s);
}

/* A conversion's report as CSV (GET …/report?format=csv, as tok) into csv. */
static void report_csv(th_server *s, const char *tok, long long cid, char *csv, size_t size)
{
    char cmd[1200], file[600];
    snprintf(file, sizeof file, "%s/r.csv", t_tmpdir());
    snprintf(cmd, sizeof cmd,
             "curl -s -H 'Authorization: Bearer %s' "
             "'http://127.0.0.1:%d/api/v1/conversions/%lld/report?format=csv' > %s",
             tok, s->port, cid, file);
    CHECK_INT(system(cmd), 0);
    FILE *f = fopen(file, "rb");
    size_t n = f ? fread(csv, 1, size - 1, f) : 0;
    csv[n] = 0;
    if (f) fclose(f);
}

/* The result of step code in a live conversion's report (JSON), NULL when absent. */
static const char *report_result(json_t *r, const char *code, const char **status)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(r, "steps"), i, e)
    {
        if (!strcmp(th_str(e, "code"), code)) {
            if (status) *status = th_str(e, "status");
            return th_str(e, "result");
        }
    }
    return NULL;
}

/* Regression: a convert step left running when an abort sent the site to its restore steps was
 * reported `running` (进行中) in the after-action report, JSON and CSV, for a conversion that
 * ended aborted. Its phase is closed: it is reported `stopped`, keeping its status `running`,
 * and so once the conversion ended; a step of an open phase runs on. */
TEST_T(dualuse_live_report_says_a_step_stopped_by_an_abort, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[96];
    th_login(&s, "admin", s.admin_pw, tok);
    hotels(&s);
    long long cid = start_overdue(&s, tok, 2);
    json_t *o = NULL;
    const char *status = NULL;
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(report_result(o, "c1", NULL), "running"); /* converting: it runs */
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    CHECK_INT(th_call(&s, "POST", path, tok, "{\"reason\":\"预警解除\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "restoring");
    long long rid = 0;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(o, "steps"), i, e)
    {
        if (!strcmp(th_str(e, "phase"), "restore")) rid = th_int(e, "id");
    }
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(report_result(o, "c1", &status), "stopped");
    CHECK_STR(status, "running"); /* the stored status as it is */
    CHECK_STR(report_result(o, "r1", NULL), "not_done");
    json_decref(o);
    /* the restore step runs: its phase is open */
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", rid);
    CHECK_INT(th_call(&s, "POST", path, tok, "{}", &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(report_result(o, "r1", NULL), "running");
    CHECK_STR(report_result(o, "c1", NULL), "stopped");
    json_decref(o);
    /* the CSV says the same */
    char csv[4096];
    report_csv(&s, tok, cid, csv, sizeof csv);
    const char *c1 = strstr(csv, "\r\nconvert,c1,清洁,running,60,"),
               *r1 = strstr(csv, "\r\nrestore,r1,撤场,running,60,");
    CHECK(c1 != NULL && r1 != NULL);
    if (c1 && r1) {
        CHECK(strncmp(strstr(c1 + 2, "\r\n") - 14, ",stopped,false", 14) == 0);
        CHECK(strncmp(strstr(r1 + 2, "\r\n") - 14, ",running,false", 14) == 0);
    }
    /* the restore done: the conversion ended aborted, the step still reported stopped */
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", rid);
    CHECK_INT(th_call(&s, "POST", path, tok, "{}", &o), 200);
    CHECK_STR(th_str(o, "state"), "aborted");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(report_result(o, "c1", &status), "stopped");
    CHECK_STR(status, "running");
    json_decref(o);
    th_stop(&s);
}
