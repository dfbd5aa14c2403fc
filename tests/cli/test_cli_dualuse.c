/* The dual-use verbs from the command line. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"
#include "t.h"
#include "th.h"

TEST(cli_dualuse_manual_convert_drill_overview)
{
    char out[1 << 20] = {0};
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(csv, sizeof csv, "%s/m.csv", t_tmpdir());
    th_demo_db(db);
    CHECK_INT(RUN(out, "overview", "--db", db, "--scenario", "epidemic"), 0);
    CHECK(strstr(out, "\"live_conversions\"") && strstr(out, "万达锦华酒店"));
    CHECK_INT(RUN(out, "overview", "--db", db, "--scenario", "flood"), 2);
    /* export manual 1 as CSV and import it again as version 2 */
    CHECK_INT(RUN(out, "manual", "export", "1", "--csv", "--db", db), 0);
    CHECK(strncmp(out, "phase,code,name,planned_minutes", 31) == 0);
    FILE *f = fopen(csv, "w");
    fputs(out, f);
    fclose(f);
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "再版", "--csv", csv, "--db", db),
              0);
    CHECK(strstr(out, "\"version\": 2"));
    /* --based-on: the version the table came from; an older one than the newest is refused */
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "再版", "--csv", csv, "--based-on", "1", "--db", db),
              1);
    CHECK(strstr(out, "version_conflict") && strstr(out, "version 2"));
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "再版", "--csv", csv, "--based-on", "2", "--db", db),
              0);
    CHECK(strstr(out, "\"version\": 3"));
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--db", db), 2);
    /* a drill on facility 1's epidemic manual while its live conversion runs */
    CHECK_INT(
        RUN(out, "drill", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db), 0);
    CHECK(strstr(out, "\"state\": \"running\""));
    char *p = strstr(out, "\"steps\": [");
    CHECK(p != NULL);
    p = strstr(p, "\"id\": ");
    long long step = strtoll(p + 6, NULL, 10);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", step);
    CHECK_INT(RUN(out, "drill", "step-start", sid, "--db", db), 0);
    CHECK_INT(RUN(out, "drill", "step-finish", sid, "--remarks", "按时完成", "--db", db), 0);
    CHECK(strstr(out, "\"status\": \"done\""));
    CHECK_INT(RUN(out, "drill", "step-finish", sid, "--db", db), 1);
    CHECK(strstr(out, "not running"));
    /* a live conversion cannot start twice */
    CHECK_INT(
        RUN(out, "convert", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db),
        1);
    CHECK(strstr(out, "only in peacetime"));
    CHECK_INT(RUN(out, "drill", "list", "--db", db, "--limit", "1"), 0);
    CHECK_INT(RUN(out, "stock", "list", "--db", db, "--category", "grain", "--limit", "2"), 0);
    CHECK(strstr(out, "\"category\": \"grain\""));
    CHECK_INT(RUN(out, "drill", "nonsense", "--db", db), 2);
}

/* The ids of a page printed by the command line, and its next cursor ("" at the end). */
static int page_ids(const char *out, long long *ids, int max, char *next, size_t size)
{
    json_t *o = json_loads(out, 0, NULL);
    json_t *items = json_object_get(o, "items");
    int n = 0;
    for (size_t i = 0; i < json_array_size(items) && n < max; i++)
        ids[n++] = th_int(json_array_get(items, i), "id");
    json_t *c = json_object_get(o, "next_cursor");
    snprintf(next, size, "%s", json_is_string(c) ? json_string_value(c) : "");
    json_decref(o);
    return n;
}

/* convert list, drill list, drill findings and stock list page with --cursor (the list's
 * next_cursor) as the API does: pages of one item give the whole list, in order, once each;
 * a cursor that is not a number is a usage error. */
TEST_T(cli_dualuse_lists_page_with_cursor, 120)
{
    char out[1 << 20] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    th_demo_db(db);
    static const char *const lists[][2] = {
        {"convert", "list"}, {"drill", "list"}, {"drill", "findings"}, {"stock", "list"}};
    int paged_lists = 0; /* lists of more than one page */
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        static long long all[500], paged[500];
        char next[32], cur[32];
        CHECK_INT(RUN(out, lists[l][0], lists[l][1], "--limit", "500", "--db", db), 0);
        int n = page_ids(out, all, 500, next, sizeof next), m = 0, pages = 0;
        CHECK(n > 0 || !strcmp(lists[l][0], "convert"));
        /* pages of 7: most end inside the list, one process each (pages of 1 took one
         * process per row, 46 s under the sanitizers) */
        CHECK_INT(RUN(out, lists[l][0], lists[l][1], "--limit", "7", "--db", db), 0);
        m += page_ids(out, paged + m, 500 - m, next, sizeof next);
        while (*next && pages++ < 600) {
            snprintf(cur, sizeof cur, "%s", next);
            CHECK_INT(
                RUN(out, lists[l][0], lists[l][1], "--limit", "7", "--cursor", cur, "--db", db), 0);
            m += page_ids(out, paged + m, 500 - m, next, sizeof next);
        }
        CHECK_INT(m, n);
        paged_lists += pages > 0;
        for (int i = 0; i < n && i < m; i++) CHECK_INT(paged[i], all[i]);
        CHECK_INT(RUN(out, lists[l][0], lists[l][1], "--cursor", "x", "--db", db), 2);
        CHECK(strstr(out, "--cursor"));
    }
    CHECK(paged_lists >= 2);
}

/* The first id of a list or the steps of a conversion printed by the command line (0: none). */
static long long first_id(const char *out, const char *array)
{
    json_t *o = json_loads(out, 0, NULL);
    long long id = th_int(json_array_get(json_object_get(o, array), 0), "id");
    json_decref(o);
    return id;
}

/* The id of the object printed, and the status of step id in it. */
static long long id_of(const char *out)
{
    json_t *o = json_loads(out, 0, NULL);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}
static const char *step_status(const char *out, const char *id, char *buf, size_t size)
{
    json_t *o = json_loads(out, 0, NULL), *steps = json_object_get(o, "steps");
    snprintf(buf, size, "none");
    for (size_t i = 0; i < json_array_size(steps); i++)
        if (th_int(json_array_get(steps, i), "id") == atoll(id))
            snprintf(buf, size, "%s", th_str(json_array_get(steps, i), "status"));
    json_decref(o);
    return buf;
}

static const char *state_of(const char *out, char *buf, size_t size)
{
    json_t *o = json_loads(out, 0, NULL);
    snprintf(buf, size, "%s/%s", th_str(o, "state"), th_str(o, "facility_state"));
    json_decref(o);
    return buf;
}

/* The drill verbs act on drills only and the convert verbs on live conversions: `drill abort`
 * given the id of a live conversion aborted it and put its facility back in peacetime, and
 * `drill step-…` worked a live conversion's steps (and the other way round). Refused (exit 1,
 * naming the verb to use), nothing written. */
TEST_T(cli_dualuse_drill_verbs_leave_live_conversions_alone, 120)
{
    char out[1 << 20] = {0};
    char db[600], live[24], drill[24], lstep[24], dstep[24], st[64];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    th_demo_db(db);
    /* the demo's live conversion at 万达锦华酒店, and a new drill there */
    CHECK_INT(RUN(out, "convert", "list", "--state", "converting", "--db", db), 0);
    snprintf(live, sizeof live, "%lld", first_id(out, "items"));
    CHECK_INT(RUN(out, "convert", "get", live, "--db", db), 0);
    json_t *o = json_loads(out, 0, NULL);
    json_t *steps = json_object_get(o, "steps");
    for (size_t i = 0; i < json_array_size(steps); i++)
        if (!strcmp(th_str(json_array_get(steps, i), "status"), "pending") &&
            !strcmp(th_str(json_array_get(steps, i), "phase"), "convert"))
            snprintf(lstep, sizeof lstep, "%lld", th_int(json_array_get(steps, i), "id"));
    json_decref(o);
    CHECK_INT(
        RUN(out, "drill", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db), 0);
    snprintf(drill, sizeof drill, "%lld", id_of(out));
    snprintf(dstep, sizeof dstep, "%lld", first_id(out, "steps"));
    /* the drill verbs on the live conversion */
    CHECK_INT(RUN(out, "drill", "abort", live, "--reason", "演练结束", "--db", db), 1);
    CHECK(strstr(out, "is a live conversion, not a drill: use pingji convert abort"));
    CHECK_INT(RUN(out, "drill", "step-start", lstep, "--db", db), 1);
    CHECK(strstr(out, "use pingji convert step-start"));
    CHECK_INT(RUN(out, "drill", "sign", lstep, "--item", "x", "--db", db), 1);
    CHECK_INT(RUN(out, "convert", "get", live, "--db", db), 0);
    CHECK_STR(state_of(out, st, sizeof st), "converting/converting");
    CHECK_STR(step_status(out, lstep, st, sizeof st), "pending");
    /* the convert verbs on the drill */
    CHECK_INT(RUN(out, "convert", "abort", drill, "--reason", "误操作", "--db", db), 1);
    CHECK(strstr(out, "is a drill, not a live conversion: use pingji drill abort"));
    CHECK_INT(RUN(out, "convert", "step-start", dstep, "--db", db), 1);
    CHECK(strstr(out, "belongs to drill"));
    CHECK_INT(RUN(out, "drill", "get", drill, "--db", db), 0);
    CHECK(strstr(out, "\"state\": \"running\""));
    CHECK_STR(step_status(out, dstep, st, sizeof st), "pending");
    /* each with its own verb */
    CHECK_INT(RUN(out, "drill", "step-start", dstep, "--db", db), 0);
    CHECK_INT(RUN(out, "drill", "abort", drill, "--reason", "演练结束", "--db", db), 0);
    CHECK(strstr(out, "\"state\": \"aborted\""));
    CHECK_INT(RUN(out, "convert", "abort", live, "--reason", "误报", "--db", db), 0);
    CHECK_STR(state_of(out, st, sizeof st), "restoring/restoring");
}

/* A number from the database at path (the first column of sql's first row). */
static long long db_int(const char *path, const char *sql)
{
    pj_db *db;
    pj_err e = {0};
    pj_log_level(PJ_LOG_WARN);
    if (pj_db_open(&db, path, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    pj_stmt *st = pj_db_prepare(db, sql, &e);
    if (!st || pj_stmt_step(st, &e) != 1) t_fail(__FILE__, __LINE__, "%s: %s", sql, e.message);
    long long v = pj_col_int(st, 0);
    pj_stmt_done(st);
    pj_db_close(db);
    return v;
}

/* convert list and drill list take --township-id as the API's township_id: the conversions
 * (drills) of that township's facilities, all of them, no other. */
TEST_T(cli_dualuse_lists_by_township, 120)
{
    char out[1 << 20] = {0};
    char db[600], q[400], tid[32];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    th_demo_db(db);
    long long town = db_int(db, "SELECT f.township_id FROM conversions v JOIN facilities f ON"
                                " f.id = v.facility_id WHERE v.mode = 'drill' GROUP BY"
                                " f.township_id ORDER BY COUNT(*) DESC LIMIT 1");
    snprintf(tid, sizeof tid, "%lld", town);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM conversions v JOIN facilities f ON f.id = v.facility_id"
             " WHERE v.mode = 'drill' AND f.township_id = %lld",
             town);
    long long want = db_int(db, q);
    CHECK(want > 0);
    CHECK(want < db_int(db, "SELECT COUNT(*) FROM conversions WHERE mode = 'drill'"));
    CHECK_INT(RUN(out, "drill", "list", "--township-id", tid, "--limit", "500", "--db", db), 0);
    json_t *o = json_loads(out, 0, NULL);
    json_t *items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), want);
    for (size_t i = 0; i < json_array_size(items); i++) {
        snprintf(q, sizeof q, "SELECT township_id FROM facilities WHERE id = %lld",
                 th_int(json_array_get(items, i), "facility_id"));
        CHECK_INT(db_int(db, q), town);
    }
    json_decref(o);
    CHECK_INT(RUN(out, "convert", "list", "--township-id", tid, "--db", db), 0);
    CHECK_INT(RUN(out, "drill", "list", "--township-id", "x", "--db", db), 2);
    CHECK(strstr(out, "--township-id"));
}

static void db_exec(const char *path, const char *sql)
{
    pj_db *db;
    pj_err e = {0};
    pj_log_level(PJ_LOG_WARN);
    if (pj_db_open(&db, path, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    if (pj_db_exec(db, sql, &e)) t_fail(__FILE__, __LINE__, "%s: %s", sql, e.message);
    pj_db_close(db);
}

/* Regression: the drill report's CSV wrote its figures with %g, six significant digits, so a
 * drill of 100552.7 minutes (a 90-day standard allows 129600) read 100553 in the CSV while the
 * JSON report said 100552.7, and a step's minutes were rounded alike. The CSV now shows the
 * report's figures as they are. */
TEST_T(cli_dualuse_drill_csv_keeps_the_report_figures, 120)
{
    char out[1 << 20] = {0};
    char db[600], id[24], want[64], q[300];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    th_demo_db(db);
    long long drill = db_int(db, "SELECT MIN(id) FROM conversions WHERE mode = 'drill' AND"
                                 " state = 'finished'");
    CHECK(drill > 0);
    /* started 100000.5 minutes earlier, its first step too */
    snprintf(q, sizeof q,
             "UPDATE conversions SET started_at = started_at - 6000030 WHERE id = %lld", drill);
    db_exec(db, q);
    snprintf(q, sizeof q,
             "UPDATE conversion_steps SET started_at = started_at - 6000030 WHERE id = (SELECT"
             " MIN(id) FROM conversion_steps WHERE conversion_id = %lld AND status = 'done')",
             drill);
    db_exec(db, q);
    snprintf(id, sizeof id, "%lld", drill);
    CHECK_INT(RUN(out, "drill", "report", id, "--db", db), 0);
    json_t *r = json_loads(out, 0, NULL);
    CHECK(r != NULL);
    double total = json_number_value(json_object_get(r, "total_minutes"));
    CHECK(total > 100000);
    double first = 0;
    json_t *st;
    size_t i;
    json_array_foreach(json_object_get(r, "steps"), i, st)
    {
        double m = json_number_value(json_object_get(st, "actual_minutes"));
        if (m > first) first = m;
    }
    json_decref(r);
    CHECK(first > 100000);
    CHECK_INT(RUN(out, "drill", "report", id, "--csv", "--db", db), 0);
    /* TOTAL,,<target>,<total>,… and the long step's line carry the JSON's figures */
    snprintf(want, sizeof want, ",%.1f,", total);
    char *line = strstr(out, "TOTAL,");
    CHECK(line != NULL);
    CHECK(strstr(line, want) != NULL);
    snprintf(want, sizeof want, ",%.1f,", first);
    CHECK(strstr(out, want) != NULL);
}

/* A pending step's checklist waits for the step: `drill sign` on one fails (exit 1), nothing
 * signed, and the message names the command that comes first. */
TEST_T(cli_dualuse_sign_waits_for_the_step, 120)
{
    char out[1 << 20] = {0};
    char db[600], row[24], item[256], msg[160], q[200];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    th_demo_db(db);
    CHECK_INT(
        RUN(out, "drill", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db), 0);
    long long drill = id_of(out);
    json_t *o = json_loads(out, 0, NULL);
    json_t *steps = json_object_get(o, "steps");
    row[0] = item[0] = 0;
    for (size_t i = 0; i < json_array_size(steps) && !row[0]; i++) {
        json_t *st = json_array_get(steps, i);
        const char *it = th_str(json_array_get(json_object_get(st, "checklist"), 0), "item");
        if (!it) continue;
        CHECK_STR(th_str(st, "status"), "pending");
        snprintf(row, sizeof row, "%lld", th_int(st, "id"));
        snprintf(item, sizeof item, "%s", it);
    }
    json_decref(o);
    CHECK(row[0] != 0);
    CHECK_INT(RUN(out, "drill", "sign", row, "--item", item, "--db", db), 1);
    CHECK(strstr(out, "has not started"));
    snprintf(msg, sizeof msg, "start it first: pingji drill step-start %s", row);
    CHECK(strstr(out, msg));
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM conversion_checks WHERE conversion_id = %lld",
             drill);
    CHECK_INT(db_int(db, q), 0);
}

/* `convert restore` of a site that houses people an adopted plan placed there: refused (exit 1,
 * naming them) unless --confirm with --reason; --confirm without --reason is a usage error. The
 * demo's live conversion, put in emergency, with an adopted plan of 40 people there. */
TEST_T(cli_dualuse_restore_occupied_needs_confirm, 120)
{
    char out[1 << 20] = {0};
    char db[600], id[24], q[900], st[64];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    th_demo_db(db);
    long long conv = db_int(db, "SELECT MIN(id) FROM conversions WHERE mode = 'live' AND"
                                " state = 'converting'");
    long long fid = db_int(db, "SELECT facility_id FROM conversions WHERE mode = 'live' AND"
                               " state = 'converting'");
    snprintf(id, sizeof id, "%lld", conv);
    snprintf(q, sizeof q,
             "UPDATE conversions SET state = 'emergency', ready_at = started_at WHERE id = %lld;"
             "UPDATE facilities SET state = 'emergency' WHERE id = %lld;"
             "INSERT INTO plans (id, name, scenario, role, request_json, result_json, objective,"
             " gap, demand, served, shortfall, status, created_at, created_by, adopted_at,"
             " adopted_by) VALUES (77, 'p', 'epidemic', 'isolation', '{}', json_object('sites',"
             " json_array(json_object('facility_id', %lld, 'used', 40))), 0, 0, 40, 40, 0,"
             " 'adopted', 0, 'admin', (SELECT started_at FROM conversions WHERE id = %lld),"
             " 'admin');"
             "INSERT INTO plan_conversions (plan_id, conversion_id, facility_id) VALUES (77, %lld,"
             " %lld)",
             conv, fid, fid, conv, conv, fid);
    db_exec(db, q);
    CHECK_INT(RUN(out, "convert", "restore", id, "--db", db), 1);
    CHECK(strstr(out, "40 people placed by plan 77") != NULL);
    CHECK_INT(RUN(out, "convert", "restore", id, "--confirm", "--db", db), 2);
    CHECK(strstr(out, "--reason") != NULL);
    CHECK_INT(RUN(out, "convert", "get", id, "--db", db), 0);
    CHECK_STR(state_of(out, st, sizeof st), "emergency/emergency");
    CHECK_INT(RUN(out, "convert", "restore", id, "--confirm", "--reason", "疫情结束", "--db", db),
              0);
    CHECK(strstr(out, "\"state\": \"restoring\"") != NULL);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE action = 'restore_start' AND entity_id = %lld AND"
             " json_extract(after_json, '$.occupied.reason') = '疫情结束'",
             conv);
    CHECK_INT(db_int(db, q), 1);
}
