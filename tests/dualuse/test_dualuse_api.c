/* Dual-use over the API: a full conversion and restore, a scored drill, the race on one step,
 * forbidden transitions, role scoping, manuals (cycles, CSV round trip), bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "domain/dualuse.h"
#include "t.h"
#include "th.h"

/* A hotel in peacetime with a demo manual for epidemics (not 万达锦华酒店, which converts). */
static long long peaceful_hotel(th_server *s)
{
    return th_sql_int(s, "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON m.facility_id ="
                         " f.id AND m.scenario = 'epidemic' WHERE f.type = 'hotel' AND"
                         " f.state = 'peacetime' AND f.name <> '万达锦华酒店'");
}

static json_t *post(th_server *s, const char *tok, const char *path, const char *body, int want)
{
    json_t *o = NULL;
    int st = th_call(s, "POST", path, tok, body ? body : "{}", &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "POST %s: %d, expected %d (%s: %s)", path, st, want,
               th_err_code(o) ? th_err_code(o) : "-",
               o ? json_string_value(json_object_get(json_object_get(o, "error"), "message")) : "");
    return o;
}

/* A manual's CSV as the body of POST /api/v1/manuals for facility fid (event, isolation). */
static char *manual_csv_body(long long fid, const char *csv)
{
    json_t *req = json_object();
    json_object_set_new(req, "facility_id", json_integer(fid));
    json_object_set_new(req, "scenario", json_string("event"));
    json_object_set_new(req, "role", json_string("isolation"));
    json_object_set_new(req, "title", json_string("测试手册"));
    json_object_set_new(req, "csv", json_string(csv));
    char *rb = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    return rb;
}

/* Manual mid exported as CSV (GET …/export?format=csv, as tok) into csv[8192]. */
static void manual_export_csv(th_server *s, const char *tok, long long mid, char csv[8192])
{
    char cmd[1200], file[600];
    snprintf(file, sizeof file, "%s/m.csv", t_tmpdir());
    snprintf(cmd, sizeof cmd,
             "curl -s -H 'Authorization: Bearer %s' "
             "'http://127.0.0.1:%d/api/v1/manuals/%lld/export?format=csv' > %s",
             tok, s->port, mid, file);
    CHECK_INT(system(cmd), 0);
    FILE *f = fopen(file, "rb");
    size_t n = f ? fread(csv, 1, 8191, f) : 0;
    csv[n] = 0;
    if (f) fclose(f);
}

/* Starts an epidemic conversion (mode "live" or "drill") of a hotel in peacetime, as tok: the
 * conversion as answered. */
static json_t *hotel_conversion(th_server *s, const char *tok, const char *mode)
{
    char body[160];
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"%s\"}",
             peaceful_hotel(s), mode);
    return post(s, tok, "/api/v1/conversions", body, 201);
}

/* Starts a drill of a hotel in peacetime (as tok); path gets the address of its findings. */
static void drill_findings_path(th_server *s, const char *tok, char *path, size_t size)
{
    json_t *conv = hotel_conversion(s, tok, "drill");
    snprintf(path, size, "/api/v1/conversions/%lld/findings", th_int(conv, "id"));
    json_decref(conv);
}

/* Works every step of a phase to done, signing its checklist when sign; predecessors first. */
static json_t *work_steps(th_server *s, const char *tok, json_t *conv, const char *phase, int sign)
{
    for (int round = 0; round < 40; round++) {
        json_t *steps = json_object_get(conv, "steps");
        int progressed = 0, open = 0;
        for (size_t i = 0; i < json_array_size(steps); i++) {
            json_t *st = json_array_get(steps, i);
            if (strcmp(th_str(st, "phase"), phase) || !strcmp(th_str(st, "status"), "done"))
                continue;
            open++;
            char path[96];
            long long id = th_int(st, "id");
            snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", id);
            json_t *o = NULL;
            int code = th_call(s, "POST", path, tok, "{}", &o);
            if (code == 409 && !strcmp(th_err_code(o), "predecessor_open")) {
                json_decref(o);
                continue;
            }
            CHECK_INT(code, 200);
            json_decref(o);
            json_t *items = json_object_get(st, "checklist");
            for (size_t k = 0; sign && k < json_array_size(items); k++) {
                char body[512];
                snprintf(body, sizeof body, "{\"item\":\"%s\"}",
                         th_str(json_array_get(items, k), "item"));
                snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/sign", id);
                json_decref(post(s, tok, path, body, 200));
            }
            snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", id);
            json_decref(conv);
            conv = post(s, tok, path, "{\"remarks\":\"完成\"}", 200);
            progressed = 1;
            break;
        }
        if (!open) return conv;
        CHECK(progressed);
    }
    t_fail(__FILE__, __LINE__, "phase %s did not complete", phase);
}

static json_t *work_phase(th_server *s, const char *tok, json_t *conv, const char *phase)
{
    return work_steps(s, tok, conv, phase, 1);
}

TEST_T(dualuse_full_conversion_and_restore, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    CHECK(fid > 0);
    char body[256];
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"epidemic\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    CHECK_STR(th_str(conv, "state"), "converting");
    char q[400];
    snprintf(q, sizeof q, "SELECT state FROM facilities WHERE id = %lld", fid);
    CHECK_INT(th_sql_int(&s, "SELECT 1"), 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM facilities WHERE id = %lld AND state = 'converting'", fid);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* a second live conversion of the same facility is refused */
    json_decref(post(&s, tok, "/api/v1/conversions", body, 409));
    /* a step with open predecessors cannot start: S3 needs S2 */
    json_t *steps = json_object_get(conv, "steps");
    long long s3 = 0;
    for (size_t i = 0; i < json_array_size(steps); i++)
        if (!strcmp(th_str(json_array_get(steps, i), "code"), "S3") &&
            !strcmp(th_str(json_array_get(steps, i), "phase"), "convert"))
            s3 = th_int(json_array_get(steps, i), "id");
    char path[96];
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", s3);
    json_t *o = post(&s, tok, path, "{}", 409);
    CHECK_STR(th_err_code(o), "predecessor_open");
    json_decref(o);
    /* restoring now is a forbidden transition */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/restore", cid);
    json_decref(post(&s, tok, path, "{}", 409));
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "emergency");
    CHECK_STR(th_str(conv, "facility_state"), "emergency");
    CHECK(th_str(conv, "ready_at") != NULL);
    /* abort is only for converting */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    json_decref(post(&s, tok, path, "{\"reason\":\"误操作\"}", 409));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/restore", cid);
    json_decref(conv);
    conv = post(&s, tok, path, "{}", 200);
    CHECK_STR(th_str(conv, "state"), "restoring");
    conv = work_phase(&s, tok, conv, "restore");
    CHECK_STR(th_str(conv, "state"), "completed");
    CHECK_STR(th_str(conv, "facility_state"), "peacetime");
    json_decref(conv);
    /* the whole history replays as a timeline */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/timeline", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *ev = json_object_get(o, "events");
    CHECK(json_array_size(ev) > 20);
    CHECK_STR(th_str(json_array_get(ev, 0), "action"), "convert_start");
    CHECK_STR(th_str(json_array_get(ev, json_array_size(ev) - 1), "action"), "restore_done");
    /* who acted, by username and by the display name the console shows */
    const char *officer_name = NULL;
    char nq[200];
    snprintf(nq, sizeof nq,
             "SELECT COUNT(*) FROM users WHERE username = 'officer' AND"
             " display_name <> ''");
    CHECK_INT(th_sql_int(&s, nq), 1);
    for (size_t i = 0; i < json_array_size(ev); i++) {
        json_t *e = json_array_get(ev, i);
        CHECK_STR(th_str(e, "user"), "officer");
        CHECK(json_is_string(json_object_get(e, "user_name")));
        if (!officer_name) officer_name = th_str(e, "user_name");
        CHECK_STR(th_str(e, "user_name"), officer_name);
    }
    CHECK(officer_name && strcmp(officer_name, "officer") != 0);
    json_decref(o);
    /* a step's audit rows say what changed: the status before and after, who and when (they
     * held only the step's code and the action) */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'conversion_step' AND action ="
             " 'step_finish' AND json_extract(before_json, '$.status') = 'running' AND"
             " json_extract(after_json, '$.status') = 'done' AND json_extract(after_json,"
             " '$.finished_by') = 'officer' AND json_extract(after_json, '$.conversion_id') = %lld",
             cid);
    CHECK(th_sql_int(&s, q) >= 7);
    /* … and by name, as the user was called at the time: the one who finished, who signed */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'conversion_step' AND action ="
             " 'step_finish' AND json_extract(after_json, '$.finished_by_name') = (SELECT"
             " display_name FROM users WHERE username = 'officer') AND json_extract(after_json,"
             " '$.conversion_id') = %lld",
             cid);
    CHECK(th_sql_int(&s, q) >= 7);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'conversion_step' AND action ="
             " 'step_sign' AND json_extract(after_json, '$.signed[0].signed_by_name') = (SELECT"
             " display_name FROM users WHERE username = 'officer') AND json_extract(after_json,"
             " '$.conversion_id') = %lld",
             cid);
    CHECK(th_sql_int(&s, q) >= 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'conversion_step' AND"
                             " before_json IS NULL"),
              0);
    th_stop(&s);
}

TEST(dualuse_two_operators_finish_one_step)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[128], path[96];
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"epidemic\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long s1 = th_int(json_array_get(json_object_get(conv, "steps"), 0), "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", s1);
    json_decref(post(&s, tok, path, "{}", 200));
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", s1);
    /* two clients at once */
    int pipes[2][2];
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        if (pipe(pipes[k])) t_fail(__FILE__, __LINE__, "pipe");
        fflush(NULL);
        if ((kids[k] = fork()) == 0) {
            int st = th_call(&s, "POST", path, tok, "{}", NULL);
            if (write(pipes[k][1], &st, sizeof st) != sizeof st) _exit(2);
            _exit(0);
        }
    }
    int got[2];
    for (int k = 0; k < 2; k++) {
        if (read(pipes[k][0], &got[k], sizeof got[k]) != sizeof got[k]) got[k] = 0;
        waitpid(kids[k], NULL, 0);
    }
    CHECK((got[0] == 200 && got[1] == 409) || (got[0] == 409 && got[1] == 200));
    char q[160];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE action = 'step_finish' AND entity_id = %lld", s1);
    CHECK_INT(th_sql_int(&s, q), 1);
    th_stop(&s);
}

TEST(dualuse_drill_scored_by_hand)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[128], path[96];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    CHECK_STR(th_str(conv, "state"), "running");
    CHECK_STR(th_str(conv, "facility_state"), "peacetime"); /* a drill leaves it alone */
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "finished");
    json_decref(conv);
    char q[256];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM facilities WHERE id = %lld AND state = 'peacetime'",
             fid);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* rewrite the recorded times to known values: step k took planned + k*10 minutes for odd
     * k, planned - 5 for even k, each starting when the previous ended */
    char sql[1200];
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = 1000000 WHERE id = %lld;"
             " UPDATE conversion_steps SET started_at = 1000000 + 60 * (SELECT COALESCE(SUM("
             " m2.planned_minutes),0) FROM manual_steps m2 JOIN conversion_steps c2 ON c2.step_id ="
             " m2.id WHERE c2.conversion_id = %lld AND c2.phase = 'convert' AND m2.seq <"
             " (SELECT seq FROM manual_steps WHERE id = conversion_steps.step_id)) WHERE"
             " conversion_id = %lld AND phase = 'convert';",
             cid, cid, cid);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET finished_at = started_at + 60 * ("
             "(SELECT planned_minutes FROM manual_steps WHERE id = step_id) + CASE WHEN (SELECT seq"
             " FROM manual_steps WHERE id = step_id) %% 2 = 1 THEN 10 * (SELECT seq FROM"
             " manual_steps WHERE id = step_id) ELSE -5 END) WHERE conversion_id = %lld AND phase ="
             " 'convert';",
             cid);
    th_sql_exec(&s, sql);
    /* the checklist signed as the last step finished: the drill ended then */
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET ended_at = (SELECT MAX(finished_at) FROM conversion_steps"
             " WHERE conversion_id = %lld AND phase = 'convert') WHERE id = %lld",
             cid, cid);
    th_sql_exec(&s, sql);
    /* expectations by hand from the manual's planned minutes */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM manual_steps m JOIN conversions v ON v.manual_id = m.manual_id"
             " WHERE v.id = %lld AND m.phase = 'convert'",
             cid);
    long long nsteps = th_sql_int(&s, q);
    double score_sum = 0, total_min = 0;
    int on_time = 0;
    long long last_end = 0;
    for (int k = 1; k <= nsteps; k++) {
        snprintf(q, sizeof q,
                 "SELECT m.planned_minutes FROM manual_steps m JOIN conversions v ON v.manual_id ="
                 " m.manual_id WHERE v.id = %lld AND m.phase = 'convert' AND m.seq = %d",
                 cid, k);
        double planned = (double)th_sql_int(&s, q);
        double actual = k % 2 ? planned + 10 * k : planned - 5;
        score_sum += actual <= planned ? 1 : planned / actual;
        on_time += actual <= planned;
        snprintf(q, sizeof q,
                 "SELECT COALESCE(SUM(m.planned_minutes),0) FROM manual_steps m JOIN conversions v"
                 " ON v.manual_id = m.manual_id WHERE v.id = %lld AND m.phase = 'convert' AND"
                 " m.seq < %d",
                 cid, k);
        long long end = 60 * th_sql_int(&s, q) + (long long)(actual * 60);
        if (end > last_end) last_end = end;
    }
    total_min = (double)last_end / 60.0;
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(th_int(o, "steps_total"), nsteps);
    CHECK_INT(th_int(o, "steps_on_time"), on_time);
    CHECK_NEAR(json_number_value(json_object_get(o, "score")),
               (double)((long long)(1000.0 * score_sum / (double)nsteps + 0.5)) / 10, 0.051);
    CHECK_NEAR(json_number_value(json_object_get(o, "total_minutes")), total_min, 0.051);
    double target = json_number_value(json_object_get(o, "target_minutes"));
    CHECK(target > 0);
    CHECK(json_is_true(json_object_get(o, "passed")) == (total_min <= target));
    CHECK_STR(th_str(json_array_get(json_object_get(o, "steps"), 0), "result"), "late");
    CHECK_STR(th_str(json_array_get(json_object_get(o, "steps"), 1), "result"), "on_time");
    /* the manual drilled, by id and version (drills of a revised manual read as the old's) */
    snprintf(q, sizeof q, "SELECT manual_id FROM conversions WHERE id = %lld", cid);
    long long mid = th_sql_int(&s, q);
    CHECK_INT(th_int(o, "manual_id"), mid);
    snprintf(q, sizeof q, "SELECT version FROM manuals WHERE id = %lld", mid);
    CHECK_INT(th_int(o, "manual_version"), th_sql_int(&s, q));
    json_decref(o);
    snprintf(q, sizeof q, "SELECT facility_id FROM conversions WHERE id = %lld", cid);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld/drills", th_sql_int(&s, q));
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *tr = NULL, *te;
    size_t ti;
    json_array_foreach(json_object_get(o, "drills"), ti, te)
    {
        if (th_int(te, "drill_id") == cid) tr = te;
    }
    CHECK(tr != NULL && th_int(tr, "manual_id") == mid && th_int(tr, "manual_version") > 0);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    /* regression: one step, two figures (1.6 on the conversion, 1.7 in the report) — the same
     * rounding down for both: a step of 100 s is 1.6 minutes everywhere */
    snprintf(q, sizeof q,
             "UPDATE conversion_steps SET finished_at = started_at + 100 WHERE conversion_id ="
             " %lld AND step_id = (SELECT MIN(step_id) FROM conversion_steps WHERE"
             " conversion_id = %lld AND phase = 'convert')",
             cid, cid);
    th_sql_exec(&s, q);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    double in_report = json_number_value(
        json_object_get(json_array_get(json_object_get(o, "steps"), 0), "actual_minutes"));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *first = NULL, *x;
    size_t xi;
    json_array_foreach(json_object_get(o, "steps"), xi,
                       x) if (!first && !strcmp(th_str(x, "phase"), "convert")) first = x;
    CHECK_NEAR(json_number_value(json_object_get(first, "actual_minutes")), 1.6, 0.001);
    CHECK_NEAR(in_report, 1.6, 0.001);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    /* CSV report */
    char hdr[2048];
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report?format=csv", cid);
    CHECK_INT(th_call_raw(&s, "GET", path, tok, NULL, -1, NULL, NULL, hdr, sizeof hdr), 200);
    CHECK(strstr(hdr, "text/csv"));
    /* findings tracked to closure */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/findings", cid);
    o = post(&s, tok, path,
             "{\"finding\":\"S1 超时\",\"action\":\"提前准备封控物资\",\"owner\":\"值班经理\","
             "\"due_date\":\"2099-01-01\"}",
             201);
    long long fnd = th_int(o, "id");
    CHECK(json_is_false(json_object_get(o, "overdue")));
    json_decref(o);
    /* its due date passes: overdue */
    snprintf(q, sizeof q, "UPDATE drill_findings SET due_date = 1577836800 WHERE id = %lld", fnd);
    th_sql_exec(&s, q);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", fnd);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"status\":\"closed\"}", &o), 422);
    CHECK_STR(th_err_field(o), "closed_note");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok,
                      "{\"version\":1,\"status\":\"closed\",\"closed_note\":\"已整改\"}", &o),
              200);
    CHECK_STR(th_str(o, "status"), "closed");
    json_decref(o);
    /* the report shows the closed finding with what a client needs to edit it again */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *f0 = json_array_get(json_object_get(o, "findings"), 0);
    CHECK_STR(th_str(f0, "status"), "closed");
    CHECK_STR(th_str(f0, "closed_note"), "已整改");
    CHECK_INT(th_int(f0, "version"), 2);
    CHECK(th_str(f0, "closed_at") != NULL);
    json_decref(o);
    /* the facility's drill trend includes this drill */
    snprintf(path, sizeof path, "/api/v1/facilities/%lld/drills", fid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *d = json_object_get(o, "drills");
    CHECK(json_array_size(d) >= 1);
    CHECK_INT(th_int(json_array_get(d, json_array_size(d) - 1), "drill_id"), cid);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a drill clicked through in seconds (every step done in a fraction of its planned
 * minutes) scored 100 and passed. Steps done in under a quarter of their planned minutes are
 * "too_fast": no score, not on time, and the drill does not pass; the report says how many.
 * Its total is the figure the drill list shows (elapsed_minutes): one rounding. */
TEST(dualuse_drill_clicked_through_does_not_pass)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[128], path[96];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "finished");
    json_decref(conv);
    /* the drill took 41 s: its steps 5 s each from the start, the last ending at 41 s */
    char sql[600];
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = 1000000, ended_at = 1000041 WHERE id = %lld;"
             " UPDATE conversion_steps SET started_at = 1000000, finished_at = 1000005 WHERE"
             " conversion_id = %lld AND phase = 'convert';"
             " UPDATE conversion_steps SET finished_at = 1000041 WHERE id = (SELECT MAX(id) FROM"
             " conversion_steps WHERE conversion_id = %lld AND phase = 'convert');",
             cid, cid, cid);
    th_sql_exec(&s, sql);
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    long long n = th_int(o, "steps_total");
    CHECK(n > 0);
    CHECK_INT(th_int(o, "steps_too_fast"), n);
    CHECK_INT(th_int(o, "steps_on_time"), 0);
    CHECK_NEAR(json_number_value(json_object_get(o, "too_fast_share")), 0.25, 1e-9);
    CHECK_NEAR(json_number_value(json_object_get(o, "score")), 0, 1e-9);
    CHECK(json_is_false(json_object_get(o, "passed")));
    CHECK_STR(th_str(json_array_get(json_object_get(o, "steps"), 0), "result"), "too_fast");
    double total = json_number_value(json_object_get(o, "total_minutes"));
    CHECK_NEAR(total, 0.6, 1e-9); /* 41 s: 0.6 rounded down, not 0.7 */
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_NEAR(json_number_value(json_object_get(o, "elapsed_minutes")), total, 1e-9);
    json_decref(o);
    /* the trend and the CSV say the same */
    snprintf(path, sizeof path, "/api/v1/facilities/%lld/drills", fid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *d = NULL, *x;
    size_t i;
    json_array_foreach(json_object_get(o, "drills"), i, x) if (th_int(x, "drill_id") == cid) d = x;
    CHECK(d != NULL);
    if (d) {
        CHECK(json_is_false(json_object_get(d, "passed")));
        CHECK_INT(th_int(d, "steps_too_fast"), n);
        CHECK_NEAR(json_number_value(json_object_get(d, "total_minutes")), 0.6, 1e-9);
    }
    json_decref(o);
    th_stop(&s);
}

/* Regression: a conversion started by adopting a plan showed the standard's target (6 h) as its
 * deadline and looked overdue while on plan (the plan expects the site ready at 28 h 40 min). Its
 * deadline is the plan's ready time, the end of its last convert step in the plan's schedule;
 * without a plan it stays the standard's target. */
TEST(dualuse_plan_ready_time_is_the_deadline)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[128], path[96], sql[700];
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"epidemic\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    double target = json_number_value(json_object_get(conv, "target_hours")) * 60;
    CHECK(target > 0);
    CHECK(json_is_null(json_object_get(conv, "plan_ready_minutes")));
    CHECK_NEAR(json_number_value(json_object_get(conv, "deadline_minutes")), target, 1e-9);
    CHECK_STR(th_str(conv, "deadline_from"), "standard");
    CHECK(json_is_false(json_object_get(conv, "over_deadline")));
    json_decref(conv);
    /* the plan's schedule (as an adoption writes it): the last convert step ends at target + 600
     * minutes; the conversion started target + 60 minutes ago */
    long long ready = (long long)target + 600;
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET planned_start_min = 0, planned_end_min = 30 WHERE"
             " conversion_id = %lld AND phase = 'convert';"
             " UPDATE conversion_steps SET planned_end_min = %lld WHERE id = (SELECT MAX(id) FROM"
             " conversion_steps WHERE conversion_id = %lld AND phase = 'convert');"
             " UPDATE conversions SET started_at = started_at - %lld WHERE id = %lld;",
             cid, ready, cid, ((long long)target + 60) * 60, cid);
    th_sql_exec(&s, sql);
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(th_int(o, "plan_ready_minutes"), ready);
    CHECK_NEAR(json_number_value(json_object_get(o, "deadline_minutes")), (double)ready, 1e-9);
    CHECK_STR(th_str(o, "deadline_from"), "plan");
    CHECK(json_number_value(json_object_get(o, "elapsed_minutes")) > target);
    CHECK(json_is_false(json_object_get(o, "over_deadline"))); /* past the target, on plan */
    json_decref(o);
    /* the list says the same */
    snprintf(path, sizeof path, "/api/v1/conversions?facility_id=%lld&mode=live", fid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *row = json_array_get(json_object_get(o, "items"), 0);
    CHECK_INT(th_int(row, "id"), cid);
    CHECK_STR(th_str(row, "deadline_from"), "plan");
    CHECK(json_is_false(json_object_get(row, "over_deadline")));
    json_decref(o);
    /* past the plan's ready time: over */
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = started_at - %lld WHERE id = %lld",
             (long long)600 * 60, cid);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK(json_is_true(json_object_get(o, "over_deadline")));
    json_decref(o);
    th_stop(&s);
}

TEST(dualuse_operator_scope_and_bad_input_write_nothing)
{
    th_server s;
    th_start(&s, 1);
    char wanda[80], officer[80], viewer[80];
    th_login(&s, "wanda", s.demo_pw, wanda);
    th_login(&s, "officer", s.demo_pw, officer);
    th_login(&s, "viewer", s.demo_pw, viewer);
    long long other = peaceful_hotel(&s);
    long long own = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], body[1024];
    th_fingerprint(&s, before, sizeof before);
    long long manuals0 = th_sql_int(&s, "SELECT COUNT(*) FROM manuals");
    long long conv0 = th_sql_int(&s, "SELECT COUNT(*) FROM conversions");
    long long audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    /* the operator of 万达 may not start another hotel's conversion; a viewer none */
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"epidemic\"}", other);
    json_t *o = post(&s, wanda, "/api/v1/conversions", body, 403);
    json_decref(o);
    json_decref(post(&s, viewer, "/api/v1/conversions", body, 403));
    /* 万达 is converting already (demo): a step of its live conversion belongs to wanda */
    long long step = th_sql_int(&s, "SELECT MIN(cs.id) FROM conversion_steps cs JOIN conversions v"
                                    " ON v.id = cs.conversion_id WHERE v.mode = 'live' AND"
                                    " cs.status = 'pending' AND cs.phase = 'convert'");
    char path[96];
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/sign", step);
    json_decref(post(&s, wanda, path, "{\"item\":\"没有这一项\"}", 422));
    struct {
        const char *path, *body;
        int status;
        const char *code, *field;
    } cases[] = {
        {"/api/v1/manuals",
         "{\"facility_id\":1,\"scenario\":\"epidemic\",\"role\":\"isolation\",\"title\":\"t\","
         "\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":10,\"team_type\":"
         "\"medical\","
         "\"predecessors\":[\"B\"]},{\"code\":\"B\",\"name\":\"b\",\"planned_minutes\":10,"
         "\"team_type\":\"medical\",\"predecessors\":[\"A\"]}]}",
         422, "cycle", "steps"},
        {"/api/v1/manuals",
         "{\"facility_id\":1,\"scenario\":\"epidemic\",\"role\":\"isolation\",\"title\":\"t\","
         "\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":10,\"team_type\":"
         "\"wizards\"}]}",
         422, "unknown_id", "steps"},
        {"/api/v1/manuals",
         "{\"facility_id\":1,\"scenario\":\"epidemic\",\"role\":\"isolation\",\"title\":\"t\","
         "\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":0,\"team_type\":"
         "\"medical\"}]}",
         422, "out_of_range", "steps[0].planned_minutes"},
        {"/api/v1/manuals",
         "{\"facility_id\":1,\"scenario\":\"flood\",\"role\":\"isolation\",\"title\":\"t\","
         "\"steps\":[]}",
         422, "invalid_value", "scenario"},
        {"/api/v1/manuals",
         "{\"facility_id\":1,\"scenario\":\"epidemic\",\"role\":\"isolation\",\"title\":\"t\","
         "\"csv\":\"phase,code\\nconvert,A\"}",
         422, "bad_csv", "csv"},
        {"/api/v1/standards",
         "{\"facility_type\":\"hotel\",\"scenario\":\"epidemic\",\"role\":\"isolation\","
         "\"target_hours\":-1}",
         422, "out_of_range", "target_hours"},
        {"/api/v1/stock", "{\"facility_id\":1,\"category\":\"grain\",\"quantity\":-3}", 422,
         "out_of_range", "quantity"},
        {"/api/v1/stock", "{\"facility_id\":1,\"category\":\"gold\",\"quantity\":3}", 422,
         "unknown_id", "category"},
        {"/api/v1/conversions", "{\"facility_id\":999999,\"scenario\":\"epidemic\"}", 422,
         "unknown_id", "facility_id"},
        {"/api/v1/conversions", "{\"facility_id\":1,\"scenario\":\"holiday\"}", 422, "no_manual",
         "scenario"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        o = NULL;
        int st = th_call(&s, "POST", cases[i].path, officer, cases[i].body, &o);
        if (st != cases[i].status || strcmp(th_err_code(o) ? th_err_code(o) : "", cases[i].code) ||
            strcmp(th_err_field(o) ? th_err_field(o) : "", cases[i].field))
            t_fail(__FILE__, __LINE__, "case %zu: %d %s %s", i, st,
                   th_err_code(o) ? th_err_code(o) : "-", th_err_field(o) ? th_err_field(o) : "-");
        if (!strcmp(cases[i].code, "cycle"))
            CHECK(strstr(json_string_value(json_object_get(json_object_get(o, "error"), "message")),
                         "A → B → A") ||
                  strstr(json_string_value(json_object_get(json_object_get(o, "error"), "message")),
                         "B → A → B"));
        json_decref(o);
    }
    /* a ring of 60 steps, too long to name whole: said to go on, not closed after a cut by a
     * step that is no predecessor of the last named (regression: "… S20 → S21 → S0") */
    {
        size_t cap = 16384, n = 0;
        char *ring = malloc(cap);
        n += (size_t)snprintf(ring + n, cap - n,
                              "{\"facility_id\":1,\"scenario\":\"epidemic\",\"role\":"
                              "\"isolation\",\"title\":\"t\",\"steps\":[");
        for (int k = 0; k < 60; k++)
            n += (size_t)snprintf(ring + n, cap - n,
                                  "%s{\"code\":\"S%d\",\"name\":\"s\",\"planned_minutes\":10,"
                                  "\"team_type\":\"medical\",\"predecessors\":[\"S%d\"]}",
                                  k ? "," : "", k, (k + 59) % 60);
        snprintf(ring + n, cap - n, "]}");
        o = NULL;
        CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", officer, ring, &o), 422);
        CHECK_STR(th_err_code(o), "cycle");
        CHECK(strstr(th_err_message(o), "(60 steps in all)") != NULL);
        json_decref(o);
        free(ring);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM manuals"), manuals0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversions"), conv0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit0);
    /* and on their own facility the operator may run a drill */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", own);
    json_decref(post(&s, wanda, "/api/v1/conversions", body, 201));
    th_stop(&s);
}

TEST(dualuse_manual_csv_round_trip_and_critical_path)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[2048];
    /* critical path by hand: A(30) → C(50) → D(20) = 100; B(60) → D: 80 */
    snprintf(
        body, sizeof body,
        "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":"
        "\"赛事手册\","
        "\"steps\":[{\"code\":\"A\",\"name\":\"封控\",\"planned_minutes\":30,\"team_type\":"
        "\"security\",\"checklist\":[\"封控完成\"]},{\"code\":\"B\",\"name\":\"物资\","
        "\"planned_minutes\":60,\"team_type\":\"logistics\",\"team_count\":3},{\"code\":\"C\","
        "\"name\":\"分区, 改造\",\"planned_minutes\":50,\"team_type\":\"logistics\","
        "\"predecessors\":[\"A\"]},{\"code\":\"D\",\"name\":\"验收\",\"planned_minutes\":20,"
        "\"team_type\":\"medical\",\"predecessors\":[\"B\",\"C\"]}],\"restore_steps\":[{\"code\":"
        "\"R1\",\"name\":\"终末消杀\",\"planned_minutes\":90,\"team_type\":\"disinfection\"}]}",
        fid);
    json_t *m = post(&s, tok, "/api/v1/manuals", body, 201);
    json_t *an = json_object_get(m, "analysis");
    CHECK_NEAR(json_number_value(json_object_get(an, "critical_path_minutes")), 100, 1e-9);
    CHECK_NEAR(json_number_value(json_object_get(an, "restore_critical_path_minutes")), 90, 1e-9);
    CHECK(json_is_true(json_object_get(an, "meets_target")));
    json_t *b = json_array_get(json_object_get(m, "steps"), 1);
    CHECK_STR(th_str(b, "code"), "B");
    CHECK(json_is_false(json_object_get(b, "critical")));
    CHECK_NEAR(json_number_value(json_object_get(b, "slack")), 20, 1e-9);
    long long mid = th_int(m, "id");
    json_decref(m);
    /* export as CSV … */
    char csv[8192];
    manual_export_csv(&s, tok, mid, csv);
    CHECK(
        strstr(csv, "phase,code,name,planned_minutes,team_type,team_count,predecessors,checklist"));
    CHECK(strstr(csv, "convert,C,\"分区, 改造\",50,logistics,1,A,"));
    CHECK(strstr(csv, "convert,D,验收,20,medical,1,B;C,"));
    /* … and import it back as the next version: same steps, same critical path */
    char *rb = manual_csv_body(fid, csv);
    json_t *m2 = post(&s, tok, "/api/v1/manuals", rb, 201);
    free(rb);
    CHECK_INT(th_int(m2, "version"), 2);
    CHECK_NEAR(json_number_value(
                   json_object_get(json_object_get(m2, "analysis"), "critical_path_minutes")),
               100, 1e-9);
    CHECK_INT(json_array_size(json_object_get(m2, "steps")), 4);
    CHECK_INT(json_array_size(json_object_get(m2, "restore_steps")), 1);
    json_t *first = json_array_get(json_object_get(m2, "steps"), 0);
    CHECK_STR(json_string_value(json_array_get(json_object_get(first, "checklist"), 0)),
              "封控完成");
    CHECK_STR(th_str(first, "name"), "封控");
    json_decref(m2);
    th_stop(&s);
}

/* Regression: a Chinese keyboard separates checklist items with the full-width '；', and the
 * CSV reader split on ';' only: three checks became one item. And a line of empty cells
 * (",,,,,,,", what Excel writes for a row it formatted or cleared) refused the manual ("phase
 * must be convert or restore"). Both lists split on '；' too; such lines are skipped. */
TEST(dualuse_manual_csv_fullwidth_semicolons_and_empty_lines)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char *rb = manual_csv_body(
        fid, "phase,code,name,planned_minutes,team_type,team_count,predecessors,checklist\r\n"
             "convert,S1,场地清理,90,cleaning,6,,消防通道畅通；备用电源测试； 通信测试\r\n"
             ",,,,,,,\r\n"
             "convert,S2,分区,30,cleaning,2,S1；,\r\n"
             "restore,R1,物资回收,60,cleaning,2,,\r\n"
             ",,,,,,,\r\n");
    json_t *m = post(&s, tok, "/api/v1/manuals", rb, 201);
    free(rb);
    json_t *steps = json_object_get(m, "steps");
    CHECK_INT(json_array_size(steps), 2);
    json_t *check = json_object_get(json_array_get(steps, 0), "checklist");
    CHECK_INT(json_array_size(check), 3);
    CHECK_STR(json_string_value(json_array_get(check, 0)), "消防通道畅通");
    CHECK_STR(json_string_value(json_array_get(check, 1)), "备用电源测试");
    CHECK_STR(json_string_value(json_array_get(check, 2)), "通信测试");
    json_t *pred = json_object_get(json_array_get(steps, 1), "predecessors");
    CHECK_INT(json_array_size(pred), 1);
    CHECK_STR(json_string_value(json_array_get(pred, 0)), "S1");
    CHECK_INT(json_array_size(json_object_get(m, "restore_steps")), 1);
    json_decref(m);
    /* an item holding '；' given as JSON would come back from the export as two: refused */
    char body[1024];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":"
             "\"测试手册\",\"steps\":[{\"code\":\"A\",\"name\":\"封控\",\"planned_minutes\":30,"
             "\"team_type\":\"security\",\"checklist\":[\"封控完成；复核\"]}]}",
             fid);
    json_t *o = post(&s, tok, "/api/v1/manuals", body, 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    json_decref(o);
    th_stop(&s);
}

/* Regression: a console read a GBK CSV (Excel's "CSV" on a Chinese Windows) as UTF-8, which
 * turns each undecodable byte into U+FFFD, and the server saved the valid but unreadable text
 * as a new manual version. A manual's CSV holding U+FFFD is refused as not UTF-8. */
TEST(dualuse_manual_csv_with_replacement_characters_is_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    long long manuals0 = th_sql_int(&s, "SELECT COUNT(*) FROM manuals");
    long long audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    char *rb = manual_csv_body(
        fid, "phase,code,name,planned_minutes,team_type,team_count,predecessors,checklist\r\n"
             "convert,S1,\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD,90,cleaning,6,,\r\n");
    json_t *o = post(&s, tok, "/api/v1/manuals", rb, 422);
    free(rb);
    CHECK_STR(th_err_code(o), "bad_csv");
    CHECK_STR(th_err_field(o), "csv");
    CHECK(strstr(th_err_message(o), "not UTF-8") != NULL);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM manuals"), manuals0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit0);
    th_stop(&s);
}

TEST(dualuse_overview_adds_up)
{
    th_server s;
    th_start(&s, 1);
    /* the demo's manual titles name their scenario in Chinese (平疫, 平灾 …), not its code */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM manuals WHERE title GLOB '*[a-z]*'"), 0);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM manuals WHERE title LIKE '%（平疫）'") > 0);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=epidemic", tok, NULL, &o), 200);
    /* convertible isolation rooms = peacetime facilities with an epidemic manual */
    long long want = th_sql_int(
        &s, "SELECT CAST(SUM(r.capacity) AS INTEGER) FROM facilities f JOIN facility_roles r ON"
            " r.facility_id = f.id AND r.role = 'isolation' WHERE f.state = 'peacetime' AND EXISTS"
            " (SELECT 1 FROM manuals m WHERE m.facility_id = f.id AND m.scenario = 'epidemic'"
            " AND m.role = 'isolation')");
    long long converting = th_sql_int(
        &s, "SELECT CAST(SUM(r.capacity) AS INTEGER) FROM facilities f JOIN facility_roles r ON"
            " r.facility_id = f.id AND r.role = 'isolation' WHERE f.state = 'converting'");
    json_t *roles = json_object_get(o, "roles");
    json_t *iso = NULL;
    for (size_t i = 0; i < json_array_size(roles); i++)
        if (!strcmp(th_str(json_array_get(roles, i), "role"), "isolation"))
            iso = json_array_get(roles, i);
    CHECK(iso != NULL);
    CHECK_INT((long long)json_number_value(json_object_get(iso, "convertible")), want);
    CHECK_INT((long long)json_number_value(json_object_get(iso, "converting")), converting);
    CHECK_NEAR(json_number_value(json_object_get(iso, "target_per_10k")), 20, 1e-9);
    /* a hotel's epidemic manual converts it to isolation: its resettlement beds are not
     * convertible in this scenario (regression: every role of a facility used to count) */
    json_t *res = NULL;
    for (size_t i = 0; i < json_array_size(roles); i++)
        if (!strcmp(th_str(json_array_get(roles, i), "role"), "resettlement"))
            res = json_array_get(roles, i);
    long long res_want = th_sql_int(
        &s, "SELECT CAST(COALESCE(SUM(r.capacity), 0) AS INTEGER) FROM facilities f JOIN"
            " facility_roles r ON r.facility_id = f.id AND r.role = 'resettlement' WHERE f.state ="
            " 'peacetime' AND EXISTS (SELECT 1 FROM manuals m WHERE m.facility_id = f.id AND"
            " m.scenario = 'epidemic' AND m.role = 'resettlement')");
    CHECK_INT((long long)json_number_value(json_object_get(res, "convertible")), res_want);
    /* townships add up to the district */
    double sum = 0;
    json_t *towns = json_object_get(iso, "townships");
    CHECK_INT(json_array_size(towns), 18);
    for (size_t i = 0; i < json_array_size(towns); i++)
        sum += json_number_value(json_object_get(json_array_get(towns, i), "convertible"));
    CHECK_NEAR(sum, (double)want, 1e-6);
    /* each township's verdict is of the figure it shows (rounded to 2 decimals): a figure
     * showing 20 beside a target of 20 meets it */
    for (size_t i = 0; i < json_array_size(towns); i++) {
        json_t *t = json_array_get(towns, i);
        CHECK(json_is_true(json_object_get(t, "meets_target")) ==
              (json_number_value(json_object_get(t, "per_10k_residents")) >= 20));
    }
    CHECK(json_array_size(json_object_get(o, "live_conversions")) == 1);
    /* the live conversion's progress: both phases, and the convert phase alone (what the
     * console shows while it converts, as its list of conversions does) */
    json_t *live = json_array_get(json_object_get(o, "live_conversions"), 0);
    long long cid = th_int(live, "conversion_id");
    char cq[256];
    snprintf(cq, sizeof cq,
             "SELECT COUNT(*) FROM conversion_steps WHERE conversion_id = %lld AND phase ="
             " 'convert'",
             cid);
    long long conv_total = th_sql_int(&s, cq);
    snprintf(cq, sizeof cq,
             "SELECT COUNT(*) FROM conversion_steps WHERE conversion_id = %lld AND phase ="
             " 'convert' AND status = 'done'",
             cid);
    long long conv_done = th_sql_int(&s, cq);
    snprintf(cq, sizeof cq, "SELECT COUNT(*) FROM conversion_steps WHERE conversion_id = %lld",
             cid);
    CHECK_INT(th_int(live, "steps_total"), th_sql_int(&s, cq));
    CHECK_INT(th_int(live, "convert_steps_total"), conv_total);
    CHECK_INT(th_int(live, "convert_steps_done"), conv_done);
    CHECK(conv_total > 0 && conv_total < th_int(live, "steps_total"));
    CHECK(conv_done > 0);
    CHECK(json_array_size(json_object_get(o, "manuals_over_target")) > 0);
    CHECK(json_array_size(json_object_get(o, "drills_overdue")) > 0);
    /* days of supply: grain by hand */
    double grain = (double)th_sql_int(&s, "SELECT CAST(SUM(quantity) AS INTEGER) FROM stock_lines"
                                          " WHERE category = 'grain' AND (expiry IS NULL OR expiry"
                                          " >= strftime('%s', date('now', '+8 hours')))");
    double pop = (double)th_int(o, "affected_population");
    json_t *sup = json_object_get(o, "supplies");
    for (size_t i = 0; i < json_array_size(sup); i++) {
        json_t *x = json_array_get(sup, i);
        if (strcmp(th_str(x, "category"), "grain")) continue;
        CHECK_NEAR(json_number_value(json_object_get(x, "days_of_supply")), grain / (pop * 0.4),
                   0.06);
    }
    json_decref(o);
    /* the stock page's categories: every one of the table, with its unit and daily need */
    CHECK_INT(th_call(&s, "GET", "/api/v1/meta", tok, NULL, &o), 200);
    json_t *cats = json_object_get(o, "supply_categories");
    CHECK_INT((long long)json_array_size(cats),
              th_sql_int(&s, "SELECT COUNT(*) FROM supply_categories"));
    CHECK_STR(th_str(json_array_get(cats, 0), "code"), "grain");
    CHECK_STR(th_str(json_array_get(cats, 0), "unit"), "kg");
    CHECK_NEAR(json_number_value(json_object_get(json_array_get(cats, 0), "per_person_day")), 0.4,
               1e-12);
    json_decref(o);
    /* a stock line names its facility's township (the console's scope for township officers) */
    CHECK_INT(th_call(&s, "GET", "/api/v1/stock?limit=1", tok, NULL, &o), 200);
    json_t *line = json_array_get(json_object_get(o, "items"), 0);
    char q[160];
    snprintf(q, sizeof q, "SELECT township_id FROM facilities WHERE id = %lld",
             th_int(line, "facility_id"));
    CHECK_INT(th_int(line, "township_id"), th_sql_int(&s, q));
    CHECK(th_int(line, "township_id") > 0);
    json_decref(o);
    /* an enterprise account does not see the emergency overview */
    char jd[80];
    th_login(&s, "jd", s.demo_pw, jd);
    CHECK_INT(th_call(&s, "GET", "/api/v1/overview", jd, NULL, NULL), 403);
    CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=flood", tok, NULL, NULL), 400);
    th_stop(&s);
}

static double supply_of(json_t *overview, const char *cat, const char *key)
{
    json_t *sup = json_object_get(overview, "supplies");
    for (size_t i = 0; i < json_array_size(sup); i++)
        if (!strcmp(th_str(json_array_get(sup, i), "category"), cat))
            return json_number_value(json_object_get(json_array_get(sup, i), key));
    t_fail(__FILE__, __LINE__, "no supply %s", cat);
}

/* Regression: a stock line expired at 00:00 UTC of its expiry date (08:00 in Pinggu). Expiry is
 * a Beijing date: a line is usable through it — the listing's `expired` and the overview's
 * quantities agree, by Beijing's date. */
/* The manual ids of an overview list, "12,15," in its order, keeping only the facilities of
 * township town (0: any) and facility fac (0: any); *left gets how many were left out. */
static void overview_ids(th_server *s, json_t *o, const char *list, long long town, long long fac,
                         char *out, size_t cap, int *left)
{
    json_t *items = json_object_get(o, list);
    size_t used = 0;
    out[0] = 0;
    *left = 0;
    CHECK(json_is_array(items));
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i);
        char q[128];
        snprintf(q, sizeof q, "SELECT township_id FROM facilities WHERE id = %lld",
                 th_int(x, "facility_id"));
        if ((town && th_sql_int(s, q) != town) || (fac && th_int(x, "facility_id") != fac)) {
            (*left)++;
            continue;
        }
        int n = snprintf(out + used, cap - used, "%lld,", th_int(x, "manual_id"));
        CHECK(n > 0 && (size_t)n < cap - used);
        used += (size_t)n;
    }
}

/* Regression: a township officer's and a facility operator's overview listed the manuals over
 * target and the drills overdue of the whole district, facilities they cannot act on. The
 * lists follow the caller's scope (said in lists_scope); the capacity stays district-wide. */
TEST(dualuse_overview_lists_follow_scope)
{
    th_server s;
    th_start(&s, 1);
    char vt[80], tt[80], ft[80];
    th_login(&s, "viewer", s.demo_pw, vt);
    th_login(&s, "jinhaihu", s.demo_pw, tt);
    th_login(&s, "wanda", s.demo_pw, ft);
    long long town = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long fac = th_sql_int(&s, "SELECT facility_id FROM users WHERE username = 'wanda'");
    CHECK(town > 0 && fac > 0);
    const char *lists[] = {"manuals_over_target", "drills_overdue"};
    const char *scn[] = {"epidemic", "disaster"};
    int outside_town = 0, inside_town = 0, outside_fac = 0;
    for (int k = 0; k < 2; k++) {
        char path[80];
        snprintf(path, sizeof path, "/api/v1/overview?scenario=%s", scn[k]);
        json_t *all, *mine, *own;
        CHECK_INT(th_call(&s, "GET", path, vt, NULL, &all), 200);
        CHECK_INT(th_call(&s, "GET", path, tt, NULL, &mine), 200);
        CHECK_INT(th_call(&s, "GET", path, ft, NULL, &own), 200);
        json_t *sc = json_object_get(all, "lists_scope");
        CHECK_STR(th_str(sc, "level"), "district");
        CHECK(json_is_null(json_object_get(sc, "id")));
        sc = json_object_get(mine, "lists_scope");
        CHECK_STR(th_str(sc, "level"), "township");
        CHECK_INT(th_int(sc, "id"), town);
        CHECK_STR(th_str(sc, "name"), "金海湖地区");
        sc = json_object_get(own, "lists_scope");
        CHECK_STR(th_str(sc, "level"), "facility");
        CHECK_INT(th_int(sc, "id"), fac);
        CHECK_STR(th_str(sc, "name"), "万达锦华酒店");
        for (int l = 0; l < 2; l++) {
            char want[8192], got[8192];
            int left, none;
            /* the township officer: the district's list, their township's entries alone */
            overview_ids(&s, all, lists[l], town, 0, want, sizeof want, &left);
            overview_ids(&s, mine, lists[l], 0, 0, got, sizeof got, &none);
            CHECK_STR(got, want);
            outside_town += left;
            inside_town += (int)json_array_size(json_object_get(mine, lists[l]));
            /* the facility operator: their facility's alone */
            overview_ids(&s, all, lists[l], 0, fac, want, sizeof want, &left);
            overview_ids(&s, own, lists[l], 0, 0, got, sizeof got, &none);
            CHECK_STR(got, want);
            outside_fac += left;
        }
        /* manuals: those the lists are drawn from, in the same scope */
        char q[400];
        const char *newest = "SELECT COUNT(*) FROM manuals m JOIN facilities f ON f.id ="
                             " m.facility_id WHERE m.scenario = '%s' AND m.version = (SELECT"
                             " MAX(version) FROM manuals x WHERE x.facility_id = m.facility_id"
                             " AND x.scenario = m.scenario) AND %s";
        char cond[80];
        snprintf(cond, sizeof cond, "f.township_id = %lld", town);
        snprintf(q, sizeof q, newest, scn[k], cond);
        CHECK_INT(th_int(mine, "manuals"), th_sql_int(&s, q));
        snprintf(cond, sizeof cond, "f.id = %lld", fac);
        snprintf(q, sizeof q, newest, scn[k], cond);
        CHECK_INT(th_int(own, "manuals"), th_sql_int(&s, q));
        snprintf(q, sizeof q, newest, scn[k], "1");
        CHECK_INT(th_int(all, "manuals"), th_sql_int(&s, q));
        CHECK(th_int(mine, "manuals") < th_int(all, "manuals"));
        /* the capacity by township is the district's whoever asks */
        CHECK(json_equal(json_object_get(mine, "roles"), json_object_get(all, "roles")));
        CHECK(json_equal(json_object_get(own, "roles"), json_object_get(all, "roles")));
        CHECK_INT(th_int(mine, "district_population"), th_int(all, "district_population"));
        json_decref(all);
        json_decref(mine);
        json_decref(own);
    }
    /* the district's lists hold facilities outside the township and the facility, and the
     * township's lists are not empty: the comparison above says something */
    CHECK(outside_town > 0);
    CHECK(outside_fac > 0);
    CHECK(inside_town > 0);
    th_stop(&s);
}

/* Regression: the overview read at most 2000 manuals and dropped the rest without a word: a
 * district with more had a wrong `manuals` count and lists missing facilities. */
TEST_T(dualuse_overview_counts_every_manual, 120)
{
    th_server s;
    th_start(&s, 1);
    /* 2100 more facilities, each with a holiday manual (and no drill) */
    th_sql_exec(&s, "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k <"
                    " 2100) INSERT INTO facilities (name, type, township_id, lat, lon, created_at,"
                    " updated_at) SELECT '节日保障点' || k, 'hotel', (SELECT MIN(id) FROM regions"
                    " WHERE type = 'township'), 40.14, 117.12, 0, 0 FROM n");
    th_sql_exec(&s, "INSERT INTO manuals (facility_id, scenario, role, version, title, created_at,"
                    " created_by) SELECT id, 'holiday', 'isolation', 1, '节日保障（平时）', 0,"
                    " 'admin' FROM facilities WHERE name GLOB '节日保障点*'");
    long long all = th_sql_int(&s, "SELECT COUNT(DISTINCT facility_id) FROM manuals WHERE"
                                   " scenario = 'holiday'");
    CHECK(all > 2100);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=holiday", tok, NULL, &o), 200);
    CHECK_INT(th_int(o, "manuals"), all);
    json_t *due = json_object_get(o, "drills_overdue");
    long long ours = 0;
    for (size_t i = 0; i < json_array_size(due); i++)
        ours += !strncmp(th_str(json_array_get(due, i), "facility_name"), "节日保障点",
                         strlen("节日保障点"));
    CHECK_INT(ours, 2100);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a finished drill counted as the facility's drill whether or not it passed, so a
 * drill clicked through in seconds (every step too fast: failed) took the facility off the
 * drills overdue. A drill that passed (as its report judges it) does; an aborted one never did. */
TEST_T(dualuse_overview_failed_drill_leaves_it_due, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    /* the hotel's earlier drills, ten years ago */
    char q[400];
    snprintf(q, sizeof q,
             "UPDATE conversions SET started_at = started_at - 3650 * 86400, ended_at = ended_at"
             " - 3650 * 86400 WHERE facility_id = %lld AND mode = 'drill'",
             fid);
    th_sql_exec(&s, q);
    json_t *o;
    char want[32];
    snprintf(want, sizeof want, ",%lld,", fid);
    char ids[8192];
#define OVERDUE_FACILITIES()                                                                       \
    do {                                                                                           \
        CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=epidemic", tok, NULL, &o), 200);   \
        json_t *d_ = json_object_get(o, "drills_overdue");                                         \
        size_t u_ = (size_t)snprintf(ids, sizeof ids, ",");                                        \
        for (size_t i_ = 0; i_ < json_array_size(d_) && u_ < sizeof ids - 24; i_++)                \
            u_ += (size_t)snprintf(ids + u_, sizeof ids - u_, "%lld,",                             \
                                   th_int(json_array_get(d_, i_), "facility_id"));                 \
        json_decref(o);                                                                            \
    } while (0)
    OVERDUE_FACILITIES();
    CHECK(strstr(ids, want) != NULL);
    /* a drill worked through in seconds: finished, failed (every step too fast) */
    json_t *conv = work_phase(&s, tok, hotel_conversion(&s, tok, "drill"), "convert");
    long long did = th_int(conv, "id");
    CHECK_STR(th_str(conv, "state"), "finished");
    json_decref(conv);
    char path[80];
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", did);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK(json_is_false(json_object_get(o, "passed")));
    CHECK(th_int(o, "steps_too_fast") > 0);
    json_decref(o);
    /* the drill keeps its report's verdict from the moment it finished */
    snprintf(q, sizeof q, "SELECT drill_passed FROM conversions WHERE id = %lld", did);
    CHECK_INT(th_sql_int(&s, q), 0);
    OVERDUE_FACILITIES();
    CHECK(strstr(ids, want) != NULL);
    /* the same drill with each step taking half its planned time, as a drill finished before
     * drills kept their verdict (drill_passed NULL, scored when read): it passes, and counts */
    snprintf(q, sizeof q,
             "UPDATE conversion_steps SET started_at = (SELECT started_at FROM conversions WHERE"
             " id = %lld), finished_at = (SELECT started_at FROM conversions WHERE id = %lld) +"
             " (SELECT planned_minutes * 30 FROM manual_steps WHERE id = step_id) WHERE"
             " conversion_id = %lld",
             did, did, did);
    th_sql_exec(&s, q);
    snprintf(q, sizeof q, "UPDATE conversions SET drill_passed = NULL WHERE id = %lld", did);
    th_sql_exec(&s, q);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK(json_is_true(json_object_get(o, "passed")));
    json_decref(o);
    /* the conversion's verdict, judged when read as the report's */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", did);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK(json_is_true(json_object_get(o, "drill_passed")));
    json_decref(o);
    OVERDUE_FACILITIES();
    CHECK(strstr(ids, want) == NULL);
#undef OVERDUE_FACILITIES
    th_stop(&s);
}

/* Regression: the overview scored every finished drill of every facility on every request
 * (1,000 facilities with 50 failed drills each: 1.2 s of the event loop per overview). A drill
 * keeps its report's verdict when it finishes — the demo's drills too — and the overview reads
 * it: each kept verdict is the report's. */
TEST_T(dualuse_drills_keep_their_reports_verdict, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversions WHERE mode = 'drill' AND state ="
                             " 'finished' AND drill_passed IS NULL"),
              0);
    long long n = th_sql_int(&s, "SELECT COUNT(*) FROM conversions WHERE mode = 'drill' AND"
                                 " state = 'finished'");
    long long passed = 0, failed = 0;
    char q[200], path[80];
    for (long long k = 0; k < n; k++) {
        snprintf(q, sizeof q,
                 "SELECT id FROM conversions WHERE mode = 'drill' AND state = 'finished' ORDER BY"
                 " id LIMIT 1 OFFSET %lld",
                 k);
        long long id = th_sql_int(&s, q);
        snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", id);
        json_t *o;
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        int verdict = json_is_true(json_object_get(o, "passed"));
        json_decref(o);
        snprintf(q, sizeof q, "SELECT drill_passed FROM conversions WHERE id = %lld", id);
        CHECK_INT(th_sql_int(&s, q), verdict);
        /* and the conversion says it (the drill list showed 演练结束 alone, a failure as a pass) */
        snprintf(path, sizeof path, "/api/v1/conversions/%lld", id);
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        CHECK(json_is_boolean(json_object_get(o, "drill_passed")));
        CHECK_INT(json_is_true(json_object_get(o, "drill_passed")), verdict);
        json_decref(o);
        passed += verdict;
        failed += !verdict;
    }
    /* a live conversion and a drill not finished have no verdict */
    long long live = th_sql_int(&s, "SELECT MIN(id) FROM conversions WHERE mode = 'live'");
    long long open = th_sql_int(&s, "SELECT COALESCE(MIN(id), 0) FROM conversions WHERE mode ="
                                    " 'drill' AND state <> 'finished'");
    for (int k = 0; k < 2; k++) {
        long long id = k ? open : live;
        if (!id) continue;
        json_t *o;
        snprintf(path, sizeof path, "/api/v1/conversions/%lld", id);
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        CHECK(json_is_null(json_object_get(o, "drill_passed")));
        json_decref(o);
    }
    /* the demo holds both kinds, so the comparison says something */
    CHECK(passed > 0);
    CHECK(failed > 0);
    th_stop(&s);
}

/* Regression: the overview opened on 平疫 while the conversions under way were 平灾 ones. It
 * counts live conversions under way per scenario, every scenario, whichever is asked for. */
TEST(dualuse_overview_counts_live_conversions_per_scenario)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    /* a disaster conversion of a facility with a disaster manual, in peacetime */
    long long fid = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON"
                                   " m.facility_id = f.id AND m.scenario = 'disaster' WHERE"
                                   " f.state = 'peacetime'");
    CHECK(fid > 0);
    char body[128];
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"disaster\"}", fid);
    json_decref(post(&s, tok, "/api/v1/conversions", body, 201));
    const char *scn[] = {"epidemic", "disaster", "holiday", "event"};
    for (int k = 0; k < 4; k++) {
        json_t *o;
        char path[80], q[200];
        snprintf(path, sizeof path, "/api/v1/overview?scenario=%s", scn[k]);
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        json_t *by = json_object_get(o, "live_by_scenario");
        for (int j = 0; j < 4; j++) {
            snprintf(q, sizeof q,
                     "SELECT COUNT(*) FROM conversions WHERE mode = 'live' AND scenario = '%s'"
                     " AND state IN ('converting', 'emergency', 'restoring')",
                     scn[j]);
            CHECK_INT(json_integer_value(json_object_get(by, scn[j])), th_sql_int(&s, q));
        }
        CHECK(json_integer_value(json_object_get(by, "disaster")) >= 1);
        json_decref(o);
    }
    th_stop(&s);
}

TEST(dualuse_stock_expiry_is_a_beijing_date)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[200], today[11], yesterday[11], today2[11];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *o, *k0, *k1;
    long long fid = th_sql_int(&s, "SELECT MIN(facility_id) FROM stock_lines");
    for (int attempt = 0;; attempt++) {
        pj_local_date(pj_now(), today);
        pj_local_date(pj_now() - 86400, yesterday);
        CHECK_INT(th_call(&s, "GET", "/api/v1/overview", tok, NULL, &k0), 200);
        long long id[2];
        const char *days[2] = {today, yesterday};
        for (int i = 0; i < 2; i++) {
            snprintf(body, sizeof body,
                     "{\"facility_id\":%lld,\"category\":\"water\",\"quantity\":%d,"
                     "\"expiry\":\"%s\"}",
                     fid, i ? 7 : 1000, days[i]);
            CHECK_INT(th_call(&s, "POST", "/api/v1/stock", tok, body, &o), 201);
            id[i] = th_int(o, "id");
            CHECK_STR(th_str(o, "expiry"), days[i]);
            json_decref(o);
        }
        CHECK_INT(th_call(&s, "GET", "/api/v1/overview", tok, NULL, &k1), 200);
        int expired[2] = {-1, -1};
        char path[96];
        for (int i = 0; i < 2; i++) {
            snprintf(path, sizeof path, "/api/v1/stock?facility_id=%lld&category=water&limit=500",
                     fid);
            CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
            json_t *items = json_object_get(o, "items");
            for (size_t j = 0; j < json_array_size(items); j++)
                if (th_int(json_array_get(items, j), "id") == id[i])
                    expired[i] = json_is_true(json_object_get(json_array_get(items, j), "expired"));
            json_decref(o);
        }
        pj_local_date(pj_now(), today2);
        if (strcmp(today, today2) && attempt == 0) { /* Beijing's midnight passed: again */
            json_decref(k0);
            json_decref(k1);
            continue;
        }
        /* expiring today: usable all day; expired yesterday: expired */
        CHECK_INT(expired[0], 0);
        CHECK_INT(expired[1], 1);
        CHECK_NEAR(supply_of(k1, "water", "quantity") - supply_of(k0, "water", "quantity"), 1000,
                   1e-6);
        CHECK_NEAR(supply_of(k1, "water", "expired_quantity") -
                       supply_of(k0, "water", "expired_quantity"),
                   7, 1e-6);
        json_decref(k0);
        json_decref(k1);
        break;
    }
    th_stop(&s);
}

/* Regressions from review: a bad CSV phase must not crash the server; duplicate checklist
 * items would make a conversion impossible to finish; a manual without restore steps returns
 * to peacetime with its audit rows in order; drills carry no restore steps. */
TEST(dualuse_review_regressions)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[2048];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"csv\":\"phase,code,name,planned_minutes,team_type,team_count,predecessors,"
             "checklist\\nrepair,A,a,10,medical,1,,\\n\"}",
             fid);
    json_t *o = post(&s, tok, "/api/v1/manuals", body, 422);
    CHECK_STR(th_err_code(o), "bad_csv");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/health", NULL, NULL, NULL), 200); /* still up */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":10,\"team_type\":"
             "\"medical\",\"checklist\":[\"x\",\"x\"]}]}",
             fid);
    o = post(&s, tok, "/api/v1/manuals", body, 422);
    CHECK_STR(th_err_code(o), "duplicate");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"steps\":[{\"code\":\"A 1\",\"name\":\"a\",\"planned_minutes\":10,\"team_type\":"
             "\"medical\"}]}",
             fid);
    json_decref(post(&s, tok, "/api/v1/manuals", body, 422));
    /* a one-step manual without restore steps, through a whole live conversion */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":10,\"team_type\":"
             "\"medical\",\"checklist\":[\"x\"]}]}",
             fid);
    json_decref(post(&s, tok, "/api/v1/manuals", body, 201));
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"event\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "emergency");
    json_decref(conv);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/restore", cid);
    conv = post(&s, tok, path, "{}", 200);
    CHECK_STR(th_str(conv, "state"), "completed");
    CHECK_STR(th_str(conv, "facility_state"), "peacetime");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/timeline", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *ev = json_object_get(o, "events");
    size_t n = json_array_size(ev);
    CHECK(n >= 2);
    CHECK_STR(th_str(json_array_get(ev, n - 2), "action"), "restore_start");
    CHECK_STR(th_str(json_array_get(ev, n - 1), "action"), "restore_done");
    json_decref(o);
    /* a drill of the demo manual: only conversion steps, so a finished drill is done/total */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    conv = post(&s, tok, "/api/v1/conversions", body, 201);
    conv = work_phase(&s, tok, conv, "convert");
    json_t *pr = json_object_get(conv, "progress");
    CHECK_INT(th_int(pr, "done"), th_int(pr, "total"));
    json_decref(conv);
    th_stop(&s);
}

/* Regression: a running step of an aborted conversion kept its timer going (actual minutes
 * growing past the end, overdue); the clock stops when the conversion ends. */
TEST(dualuse_aborted_conversion_stops_its_timers)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[128], path[96], sql[300];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    long long step = th_int(json_array_get(json_object_get(conv, "steps"), 0), "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", step);
    json_decref(post(&s, tok, path, "{}", 200));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    json_decref(post(&s, tok, path, "{\"reason\":\"演练中止\"}", 200));
    /* the step ran 2 minutes before the abort, which was an hour ago (one time for both: two
     * statements' "now" may be a second apart, a step of 119 s is 1.9 minutes) */
    long long now = (long long)time(NULL);
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET ended_at = %lld WHERE id = %lld;"
             " UPDATE conversion_steps SET started_at = %lld WHERE id = %lld",
             now - 3600, cid, now - 3720, step);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *st = json_array_get(json_object_get(o, "steps"), 0);
    CHECK_STR(th_str(st, "status"), "running");
    CHECK(fabs(json_number_value(json_object_get(st, "actual_minutes")) - 2.0) < 0.05);
    long long planned = th_int(st, "planned_minutes");
    CHECK(json_is_true(json_object_get(st, "overdue")) == (planned < 2));
    json_decref(o);
    th_stop(&s);
}

/* Regression: a live conversion aborted after a step had started went straight back to
 * peacetime, its restore steps never workable. The site goes to them (restoring, the reason
 * kept, running convert steps stopped) and ends aborted, back in peacetime, once they are done;
 * an abort before any step started still returns at once. */
TEST(dualuse_abort_after_work_restores_the_site)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[128], path[96], sql[300];
    json_t *conv = hotel_conversion(&s, tok, "live");
    long long cid = th_int(conv, "id");
    long long step = th_int(json_array_get(json_object_get(conv, "steps"), 0), "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", step);
    json_decref(post(&s, tok, path, "{}", 200));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    conv = post(&s, tok, path, "{\"reason\":\"雨情减弱\"}", 200);
    CHECK_STR(th_str(conv, "state"), "restoring");
    CHECK_STR(th_str(conv, "facility_state"), "restoring");
    CHECK_STR(th_str(conv, "abort_reason"), "雨情减弱");
    CHECK(json_is_null(json_object_get(conv, "ended_at")));
    json_decref(conv);
    snprintf(sql, sizeof sql, "SELECT state = 'restoring' FROM facilities WHERE id = %lld", fid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* the running convert step stopped with the abort: it ran 2 minutes, an hour ago */
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET restore_started_at = strftime('%%s','now') - 3600 WHERE"
             " id = %lld; UPDATE conversion_steps SET started_at = strftime('%%s','now') - 3720"
             " WHERE id = %lld",
             cid, step);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &conv), 200);
    json_t *st = json_array_get(json_object_get(conv, "steps"), 0);
    CHECK(fabs(json_number_value(json_object_get(st, "actual_minutes")) - 2.0) < 0.05);
    /* stopped within its planned minutes, it is overdue neither on the conversion nor in the
     * overview's count (which judged it on the time now, over an hour past its planned end:
     * the step and the abort moved back by its planned minutes) */
    long long planned = th_int(st, "planned_minutes");
    json_decref(conv);
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET restore_started_at = restore_started_at - %lld WHERE"
             " id = %lld; UPDATE conversion_steps SET started_at = started_at - %lld"
             " WHERE id = %lld",
             planned * 60, cid, planned * 60, step);
    th_sql_exec(&s, sql);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &conv), 200);
    st = json_array_get(json_object_get(conv, "steps"), 0);
    CHECK(fabs(json_number_value(json_object_get(st, "actual_minutes")) - 2.0) < 0.05);
    CHECK(json_is_false(json_object_get(st, "overdue")));
    CHECK_INT(th_int(json_object_get(conv, "progress"), "overdue"), 0);
    {
        json_t *ov = NULL;
        CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=epidemic", tok, NULL, &ov), 200);
        json_t *live = json_object_get(ov, "live_conversions"), *x;
        size_t i;
        int seen = 0;
        json_array_foreach(live, i, x)
        {
            if (th_int(x, "conversion_id") != cid) continue;
            seen = 1;
            CHECK_STR(th_str(x, "state"), "restoring");
            CHECK_INT(th_int(x, "overdue_steps"), 0);
        }
        CHECK(seen);
        json_decref(ov);
    }
    /* the convert steps are closed, the restore steps open */
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", step);
    json_t *o = post(&s, tok, path, "{}", 409);
    CHECK_STR(th_err_code(o), "invalid_transition");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/restore", cid);
    o = post(&s, tok, path, "{}", 409);
    CHECK_STR(th_err_code(o), "invalid_transition");
    json_decref(o);
    conv = work_phase(&s, tok, conv, "restore");
    CHECK_STR(th_str(conv, "state"), "aborted");
    CHECK_STR(th_str(conv, "facility_state"), "peacetime");
    CHECK_STR(th_str(conv, "abort_reason"), "雨情减弱");
    CHECK(!json_is_null(json_object_get(conv, "ended_at")));
    json_decref(conv);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'conversion' AND entity_id = %lld AND"
             " action IN ('convert_abort', 'restore_done')",
             cid);
    CHECK_INT(th_sql_int(&s, sql), 2);
    /* an abort before any step started: back in peacetime at once */
    conv = hotel_conversion(&s, tok, "live");
    cid = th_int(conv, "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    snprintf(body, sizeof body, "{\"reason\":\"误报\"}");
    conv = post(&s, tok, path, body, 200);
    CHECK_STR(th_str(conv, "state"), "aborted");
    CHECK_STR(th_str(conv, "facility_state"), "peacetime");
    json_decref(conv);
    th_stop(&s);
}

/* Regression: the report was for drills only (a live conversion 422). A live conversion's
 * report gives, per step of both phases, its planned minutes, the adopted plan's schedule and
 * when it actually started and finished, as JSON and CSV; no score. */
TEST(dualuse_live_conversion_report)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    char path[96], sql[600];
    json_t *conv = hotel_conversion(&s, tok, "live");
    long long cid = th_int(conv, "id");
    json_t *first = json_array_get(json_object_get(conv, "steps"), 0);
    long long step = th_int(first, "id");
    char code[16];
    snprintf(code, sizeof code, "%s", th_str(first, "code"));
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", step);
    json_decref(post(&s, tok, path, "{}", 200));
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", step);
    json_decref(post(&s, tok, path, "{}", 200));
    /* started 2 hours ago; the step ran from minute 1 to minute 51, the plan had 0 to 60 */
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = strftime('%%s','now') - 7200 WHERE id = %lld;"
             " UPDATE conversion_steps SET started_at = strftime('%%s','now') - 7140,"
             " finished_at = strftime('%%s','now') - 4140, planned_start_min = 0,"
             " planned_end_min = 60 WHERE id = %lld",
             cid, step);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(th_int(o, "conversion_id"), cid);
    CHECK_STR(th_str(o, "mode"), "live");
    CHECK(!json_object_get(o, "score") && !json_object_get(o, "passed"));
    json_t *steps = json_object_get(o, "steps");
    int restore = 0;
    for (size_t i = 0; i < json_array_size(steps); i++)
        restore += !strcmp(th_str(json_array_get(steps, i), "phase"), "restore");
    CHECK(restore > 0);
    json_t *st = json_array_get(steps, 0);
    CHECK_STR(th_str(st, "phase"), "convert");
    CHECK_INT(th_int(st, "planned_start_min"), 0);
    CHECK_INT(th_int(st, "planned_end_min"), 60);
    CHECK_NEAR(json_number_value(json_object_get(st, "actual_start_min")), 1, 0.001);
    CHECK_NEAR(json_number_value(json_object_get(st, "actual_end_min")), 51, 0.001);
    CHECK_NEAR(json_number_value(json_object_get(st, "actual_minutes")), 50, 0.001);
    CHECK(json_is_null(json_object_get(json_array_get(steps, 1), "actual_minutes")));
    json_decref(o);
    /* the CSV: one line per step of both phases */
    char cmd[600], file[300], line[200];
    snprintf(file, sizeof file, "%s/live.csv", t_tmpdir());
    snprintf(cmd, sizeof cmd,
             "curl -s -H 'Authorization: Bearer %s' "
             "'http://127.0.0.1:%d/api/v1/conversions/%lld/report?format=csv' > %s",
             tok, s.port, cid, file);
    CHECK_INT(system(cmd), 0);
    FILE *f = fopen(file, "rb");
    char csv[8192];
    size_t n = fread(csv, 1, sizeof csv - 1, f);
    csv[n] = 0;
    fclose(f);
    const char *head = "phase,code,name,status,planned_minutes,planned_start_min,"
                       "planned_end_min,actual_start_min,actual_end_min,actual_minutes,result,"
                       "behind_plan\r\n";
    CHECK(!strncmp(csv, head, strlen(head)));
    snprintf(line, sizeof line, "convert,%s,", code);
    CHECK(strstr(csv, line));
    CHECK(strstr(csv, ",0,60,1,51,50,on_time,false\r\n"));
    CHECK(strstr(csv, "\r\nrestore,"));
    CHECK(strstr(csv, "\r\nTOTAL,"));

    /* a step recorded done at once is questioned, as in a drill (a site "ready" in seconds was
     * clicked through): too_fast, counted; the one worked 50 minutes stays on time */
    snprintf(sql, sizeof sql,
             "SELECT cs.id FROM conversion_steps cs JOIN manual_steps ms ON ms.id = cs.step_id"
             " WHERE cs.conversion_id = %lld AND ms.phase = 'convert' AND cs.status = 'pending'"
             " AND ms.planned_minutes > 0 ORDER BY ms.seq LIMIT 1",
             cid);
    long long quick = th_sql_int(&s, sql);
    CHECK(quick > 0);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", quick);
    json_decref(post(&s, tok, path, "{}", 200));
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", quick);
    json_decref(post(&s, tok, path, "{}", 200));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(th_int(o, "steps_too_fast"), 1);
    CHECK_NEAR(json_number_value(json_object_get(o, "too_fast_share")), 0.25, 1e-9);
    steps = json_object_get(o, "steps");
    int fast = 0, on_time = 0;
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const char *res = th_str(json_array_get(steps, i), "result");
        fast += !strcmp(res, "too_fast");
        on_time += !strcmp(res, "on_time");
    }
    CHECK_INT(fast, 1);
    CHECK_INT(on_time, 1);
    CHECK_STR(th_str(json_array_get(steps, 0), "result"), "on_time");
    json_decref(o);
    th_stop(&s);
}

/* Regression: findings were refused on a live conversion ("findings belong to drills"). The
 * lessons of a real conversion are tracked like a drill's: recorded, in its report. */
TEST(dualuse_findings_on_live_conversion)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    char path[96];
    json_t *conv = hotel_conversion(&s, tok, "live");
    long long cid = th_int(conv, "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/findings", cid);
    json_t *o = post(&s, tok, path,
                     "{\"finding\":\"床位铺设慢于计划\",\"action\":\"增加后勤队伍\","
                     "\"owner\":\"区应急局\",\"due_date\":\"2099-12-31\"}",
                     201);
    CHECK_INT(th_int(o, "conversion_id"), cid);
    CHECK_STR(th_str(o, "status"), "open");
    long long fnd = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *f = json_array_get(json_object_get(o, "findings"), 0);
    CHECK(f != NULL);
    if (f) CHECK_INT(th_int(f, "id"), fnd);
    json_decref(o);
    th_stop(&s);
}

/* Regression: texts that must say something were taken when they held only spaces — a drill
 * aborted with the reason "   ", a finding closed with the note "   ". They are refused (422
 * naming the field, nothing changed); the spaces around a text are left out; remarks of spaces
 * only are none (they do not wipe a step's remarks). */
TEST(dualuse_blank_texts_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[256], path[96], q[200];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    long long step = th_int(json_array_get(json_object_get(conv, "steps"), 0), "id");
    json_decref(conv);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    long long audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    th_fingerprint(&s, before, sizeof before);
    struct {
        const char *path_fmt, *method, *body, *field;
    } cases[] = {
        {"/api/v1/conversions/%lld/abort", "POST", "{\"reason\":\"   \"}", "reason"},
        {"/api/v1/conversions/%lld/abort", "POST", "{\"reason\":\"\\u3000\\t\\n\"}", "reason"},
        {"/api/v1/conversions/%lld/findings", "POST",
         "{\"finding\":\"  \",\"owner\":\"值班经理\",\"due_date\":\"2099-01-01\"}", "finding"},
        {"/api/v1/conversions/%lld/findings", "POST",
         "{\"finding\":\"S1 超时\",\"owner\":\" \\u3000\",\"due_date\":\"2099-01-01\"}", "owner"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o = NULL;
        snprintf(path, sizeof path, cases[i].path_fmt, cid);
        int st = th_call(&s, cases[i].method, path, tok, cases[i].body, &o);
        if (st != 422 || strcmp(th_err_field(o) ? th_err_field(o) : "", cases[i].field))
            t_fail(__FILE__, __LINE__, "case %zu: %d %s %s", i, st,
                   th_err_code(o) ? th_err_code(o) : "-", th_err_field(o) ? th_err_field(o) : "-");
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit0);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM conversions WHERE id = %lld AND state = 'running'",
             cid);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* a finding, its texts without the spaces around them */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/findings", cid);
    json_t *o = post(&s, tok, path,
                     "{\"finding\":\" 消防通道堵塞 \",\"action\":\"  \",\"owner\":\" 值班经理\","
                     "\"due_date\":\"2099-01-01\"}",
                     201);
    long long fnd = th_int(o, "id");
    CHECK_STR(th_str(o, "finding"), "消防通道堵塞");
    CHECK_STR(th_str(o, "owner"), "值班经理");
    CHECK_STR(th_str(o, "action"), "");
    json_decref(o);
    /* closing with a note of spaces only is refused; so is an owner of spaces */
    snprintf(path, sizeof path, "/api/v1/findings/%lld", fnd);
    th_fingerprint(&s, before, sizeof before);
    audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    CHECK_INT(th_call(&s, "PATCH", path, tok,
                      "{\"version\":1,\"status\":\"closed\",\"closed_note\":\"   \"}", &o),
              422);
    CHECK_STR(th_err_code(o), "missing_field");
    CHECK_STR(th_err_field(o), "closed_note");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"owner\":\"  \"}", &o), 422);
    CHECK_STR(th_err_field(o), "owner");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit0);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM drill_findings WHERE id = %lld AND status = 'open'",
             fnd);
    CHECK_INT(th_sql_int(&s, q), 1);
    CHECK_INT(th_call(&s, "PATCH", path, tok,
                      "{\"version\":1,\"status\":\"closed\",\"closed_note\":\" 已整改 \"}", &o),
              200);
    CHECK_STR(th_str(o, "status"), "closed");
    CHECK_STR(th_str(o, "closed_note"), "已整改");
    json_decref(o);
    /* remarks of spaces only neither fill nor replace a step's remarks */
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", step);
    json_decref(post(&s, tok, path, "{\"remarks\":\" 安保组到岗 \"}", 200));
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", step);
    json_decref(post(&s, tok, path, "{\"remarks\":\"   \"}", 200));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM conversion_steps WHERE id = %lld AND remarks ="
             " '安保组到岗' AND status = 'done'",
             step);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* an abort with a reason: stored without the spaces around it */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    o = post(&s, tok, path, "{\"reason\":\"  暴雨预警 \"}", 200);
    CHECK_STR(th_str(o, "state"), "aborted");
    CHECK_STR(th_str(o, "abort_reason"), "暴雨预警");
    json_decref(o);
    th_stop(&s);
}

/* A refused start names the facility, not only its id: "万达锦华酒店 (facility 1) is converting"
 * (an adopted plan's 409 facility_busy says the same). */
TEST(dualuse_refused_start_names_the_facility)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[160], want[300];
    th_login(&s, "officer", s.demo_pw, tok);
    long long wanda = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"epidemic\"}", wanda);
    json_t *o = post(&s, tok, "/api/v1/conversions", body, 409);
    CHECK_STR(th_err_code(o), "invalid_transition");
    snprintf(want, sizeof want,
             "万达锦华酒店 (facility %lld) is converting: a conversion can start only in peacetime",
             wanda);
    CHECK_STR(th_err_message(o), want);
    json_decref(o);
    /* a second drill of a facility */
    long long fid = peaceful_hotel(&s);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_decref(post(&s, tok, "/api/v1/conversions", body, 201));
    o = post(&s, tok, "/api/v1/conversions", body, 409);
    CHECK_STR(th_err_code(o), "conflict");
    char q[300];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM facilities WHERE id = %lld AND name || ' (facility ' || id ||"
             " ') already has a drill in progress' = '%s'",
             fid, th_err_message(o));
    CHECK_INT(th_sql_int(&s, q), 1);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a finding could be recorded due 2020-01-01, overdue at once. A due date before
 * Beijing's today is refused (422 due_date, nothing written); today is fine and not overdue
 * (a finding is due through its due date). A finding whose date has passed may be changed with
 * that date sent back as it is, but not moved to another past date. */
TEST(dualuse_finding_due_date_not_in_the_past)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[400], path[96], q[300], today[11], yesterday[11];
    th_login(&s, "officer", s.demo_pw, tok);
    pj_local_date(pj_now(), today);
    pj_local_date(pj_now() - 86400, yesterday);
    long long fid = peaceful_hotel(&s);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/findings", cid);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    const char *past[] = {"2020-01-01", yesterday};
    for (size_t i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"finding\":\"消防通道堵塞\",\"owner\":\"值班经理\",\"due_date\":\"%s\"}",
                 past[i]);
        json_t *o = post(&s, tok, path, body, 422);
        CHECK_STR(th_err_field(o), "due_date");
        CHECK(strstr(th_err_message(o), today) != NULL); /* says what today is */
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(body, sizeof body,
             "{\"finding\":\"消防通道堵塞\",\"owner\":\"值班经理\",\"due_date\":\"%s\"}", today);
    json_t *o = post(&s, tok, path, body, 201);
    long long fnd = th_int(o, "id");
    CHECK_STR(th_str(o, "due_date"), today);
    CHECK(json_is_false(json_object_get(o, "overdue")));
    json_decref(o);
    /* the due date passes (yesterday): overdue; it may be kept when the finding changes */
    snprintf(q, sizeof q,
             "UPDATE drill_findings SET due_date = (SELECT due_date FROM drill_findings WHERE id ="
             " %lld) - 86400 WHERE id = %lld",
             fnd, fnd);
    th_sql_exec(&s, q);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", fnd);
    snprintf(body, sizeof body, "{\"version\":1,\"owner\":\"物业经理\",\"due_date\":\"%s\"}",
             yesterday);
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 200);
    CHECK_STR(th_str(o, "owner"), "物业经理");
    CHECK_STR(th_str(o, "due_date"), yesterday);
    CHECK(json_is_true(json_object_get(o, "overdue")));
    json_decref(o);
    /* another past date is refused, nothing changed */
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":2,\"due_date\":\"2020-01-02\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "due_date");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* moved to today: no longer overdue */
    snprintf(body, sizeof body, "{\"version\":2,\"due_date\":\"%s\"}", today);
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 200);
    CHECK(json_is_false(json_object_get(o, "overdue")));
    json_decref(o);
    th_stop(&s);
}

/* The manuals' and the district's texts a person reads are not blank either: a team type's
 * name, a manual's title, a step's name (JSON or CSV) and a checklist item of spaces only are
 * refused (422 naming the field, nothing written); a name or title is kept without the spaces
 * around it. */
TEST(dualuse_blank_names_in_manuals_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    char body[4][600];
    snprintf(body[0], sizeof body[0],
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":"
             "\" \\u3000\",\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":10,"
             "\"team_type\":\"medical\"}]}",
             fid);
    snprintf(body[1], sizeof body[1],
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"steps\":[{\"code\":\"A\",\"name\":\"  \",\"planned_minutes\":10,\"team_type\":"
             "\"medical\"}]}",
             fid);
    snprintf(body[2], sizeof body[2],
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"csv\":\"phase,code,name,planned_minutes,team_type,team_count,predecessors,"
             "checklist\\nconvert,A,   ,10,medical,,,\\n\"}",
             fid);
    snprintf(body[3], sizeof body[3],
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":10,\"team_type\":"
             "\"medical\",\"checklist\":[\"\\t \"]}]}",
             fid);
    struct {
        const char *path, *body, *field;
    } cases[] = {
        {"/api/v1/team-types", "{\"code\":\"psych\",\"name\":\"   \"}", "name"},
        {"/api/v1/manuals", body[0], "title"},
        {"/api/v1/manuals", body[1], "steps"},
        {"/api/v1/manuals", body[2], "csv"},
        {"/api/v1/manuals", body[3], "steps[0].checklist"},
        {"/api/v1/standards",
         "{\"facility_type\":\"hotel\",\"scenario\":\"event\",\"role\":\"isolation\","
         "\"target_hours\":12,\"checklist\":[\"  \"]}",
         "checklist"},
        /* an item twice, as a manual step's checklist refuses it (it was a standard of two) */
        {"/api/v1/standards",
         "{\"facility_type\":\"hotel\",\"scenario\":\"event\",\"role\":\"isolation\","
         "\"target_hours\":12,\"checklist\":[\"消毒\",\"消毒\"]}",
         "checklist"},
    };
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    long long audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o = NULL;
        int st = th_call(&s, "POST", cases[i].path, tok, cases[i].body, &o);
        if (st != 422 || strcmp(th_err_field(o) ? th_err_field(o) : "", cases[i].field))
            t_fail(__FILE__, __LINE__, "case %zu: %d %s %s", i, st,
                   th_err_code(o) ? th_err_code(o) : "-", th_err_field(o) ? th_err_field(o) : "-");
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit0);
    json_t *o =
        post(&s, tok, "/api/v1/team-types", "{\"code\":\"psych\",\"name\":\" 心理疏导 \"}", 201);
    CHECK_STR(th_str(o, "name"), "心理疏导");
    json_decref(o);
    th_stop(&s);
}

/* A finding names its facility's township (township_id), the scope a township officer closes
 * findings in: the console's list of every facility's open findings offered a township officer
 * to close those of other townships, which the server then refused (403). */
TEST(dualuse_finding_names_its_township)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], own[80], body[300], path[96], q[300];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "jinhaihu", s.demo_pw, own);
    long long town = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(q, sizeof q,
             "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON m.facility_id = f.id AND"
             " m.scenario = 'epidemic' WHERE f.township_id = %lld",
             town);
    long long mine = th_sql_int(&s, q);
    long long other = 1; /* 万达锦华酒店, of another township */
    CHECK(mine > 0 && th_sql_int(&s, "SELECT township_id FROM facilities WHERE id = 1") != town);
    long long fnd[2];
    long long fac[2] = {mine, other};
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fac[i]);
        json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
        snprintf(path, sizeof path, "/api/v1/conversions/%lld/findings", th_int(conv, "id"));
        json_decref(conv);
        json_t *o = post(&s, tok, path,
                         "{\"finding\":\"对讲机电量不足\",\"owner\":\"值班经理\","
                         "\"due_date\":\"2099-12-31\"}",
                         201);
        fnd[i] = th_int(o, "id");
        snprintf(q, sizeof q, "SELECT township_id FROM facilities WHERE id = %lld", fac[i]);
        CHECK_INT(th_int(o, "township_id"), th_sql_int(&s, q));
        json_decref(o);
    }
    /* every open finding of the list names its facility's township */
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/findings?status=open&limit=500", tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    CHECK(json_array_size(items) >= 2);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *f = json_array_get(items, i);
        snprintf(q, sizeof q, "SELECT township_id FROM facilities WHERE id = %lld",
                 th_int(f, "facility_id"));
        CHECK_INT(th_int(f, "township_id"), th_sql_int(&s, q));
    }
    json_decref(o);
    /* the township officer closes the finding of their township, not the other */
    snprintf(path, sizeof path, "/api/v1/findings/%lld", fnd[0]);
    CHECK_INT(th_call(&s, "PATCH", path, own,
                      "{\"version\":1,\"status\":\"closed\",\"closed_note\":\"已更换电池\"}", &o),
              200);
    CHECK_INT(th_int(o, "township_id"), town);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", fnd[1]);
    CHECK_INT(th_call(&s, "PATCH", path, own,
                      "{\"version\":1,\"status\":\"closed\",\"closed_note\":\"已更换电池\"}", &o),
              403);
    json_decref(o);
    th_stop(&s);
}

/* Dates are digits where YYYY-MM-DD has them: a due date "2099-+1-05" or "2099- 1-05" and an
 * effective_from "2027-+1-01T00:00:00Z" were taken for January (sscanf's %d reads a sign and
 * skips spaces) and written. 422 invalid_value now, nothing written. */
TEST(dualuse_dates_are_digits)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[300], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    drill_findings_path(&s, tok, path, sizeof path);
    json_t *o = post(
        &s, tok, path,
        "{\"finding\":\"应急照明不足\",\"owner\":\"工程部\",\"due_date\":\"2099-12-31\"}", 201);
    char fpath[96];
    snprintf(fpath, sizeof fpath, "/api/v1/findings/%lld", th_int(o, "id"));
    json_decref(o);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    static const char *const bad[] = {"2099-+1-05", "2099- 1-05", "2099-01-+5", "2099-1-005"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"finding\":\"应急照明不足\",\"owner\":\"工程部\",\"due_date\":\"%s\"}", bad[i]);
        o = post(&s, tok, path, body, 422);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), "due_date");
        json_decref(o);
        snprintf(body, sizeof body, "{\"version\":1,\"due_date\":\"%s\"}", bad[i]);
        CHECK_INT(th_call(&s, "PATCH", fpath, tok, body, &o), 422);
        CHECK_STR(th_err_field(o), "due_date");
        json_decref(o);
    }
    static const char *const eff[] = {"2027-+1-01T00:00:00Z", "2027-01-01T+8:00:00Z", "2027- 1-01"};
    for (size_t i = 0; i < sizeof eff / sizeof eff[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"facility_type\":\"hotel\",\"scenario\":\"event\",\"role\":\"isolation\","
                 "\"target_hours\":12,\"effective_from\":\"%s\"}",
                 eff[i]);
        o = post(&s, tok, "/api/v1/standards", body, 422);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), "effective_from");
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* A manual exported as CSV and imported again keeps texts that begin like a spreadsheet
 * formula: the export writes "-清场复核" as "'-清场复核" (so that opening it runs nothing), and
 * the import kept that apostrophe in the step's name and checklist items; a conversion of the
 * new version then asked to sign "'+复核签字". A text that itself began '= keeps its apostrophe. */
TEST(dualuse_manual_csv_round_trip_keeps_formula_like_texts)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[2048], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":"
             "\"赛事手册\",\"steps\":[{\"code\":\"S1\",\"name\":\"-清场复核\","
             "\"planned_minutes\":30,\"team_type\":\"security\",\"checklist\":[\"+复核签字\","
             "\"@值班经理确认\"]},{\"code\":\"S2\",\"name\":\"=B2 布置\",\"planned_minutes\":40,"
             "\"team_type\":\"it\",\"predecessors\":[\"S1\"],\"checklist\":[\"'=原样\"]}],"
             "\"restore_steps\":[{\"code\":\"R1\",\"name\":\"@物业 交还\",\"planned_minutes\":60,"
             "\"team_type\":\"cleaning\"}]}",
             fid);
    json_t *m = post(&s, tok, "/api/v1/manuals", body, 201);
    long long mid = th_int(m, "id");
    /* export as CSV: guarded */
    char csv[8192];
    manual_export_csv(&s, tok, mid, csv);
    CHECK(strstr(csv, "convert,S1,\"'-清场复核\",30,security,1,,\"'+复核签字;@值班经理确认\""));
    /* import it back: the texts as they were */
    char *rb = manual_csv_body(fid, csv);
    json_t *m2 = post(&s, tok, "/api/v1/manuals", rb, 201);
    free(rb);
    static const char *const phases[] = {"steps", "restore_steps"};
    for (int p = 0; p < 2; p++) {
        json_t *a = json_object_get(m, phases[p]), *b = json_object_get(m2, phases[p]);
        CHECK_INT(json_array_size(b), json_array_size(a));
        for (size_t i = 0; i < json_array_size(a); i++) {
            json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
            CHECK_STR(th_str(y, "name"), th_str(x, "name"));
            CHECK(json_equal(json_object_get(y, "checklist"), json_object_get(x, "checklist")));
            CHECK(
                json_equal(json_object_get(y, "predecessors"), json_object_get(x, "predecessors")));
        }
    }
    /* a drill of the new version signs the item as written */
    json_decref(m);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"manual_id\":%lld,\"mode\":\"drill\"}",
             fid, th_int(m2, "id"));
    json_decref(m2);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long s1 = th_int(json_array_get(json_object_get(conv, "steps"), 0), "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", s1);
    json_decref(post(&s, tok, path, "{}", 200)); /* signed once the step runs */
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/sign", s1);
    json_decref(post(&s, tok, path, "{\"item\":\"+复核签字\"}", 200));
    th_stop(&s);
}

/* Regression: a manual sent as JSON kept the spaces around its checklist items (" 带空格 ",
 * "a" and a no-break space), the CSV import trimmed them: a manual exported and imported again
 * had other items, and a checklist signed by the item text no longer matched. Both inputs
 * store names, codes, team types, predecessors and items trimmed. */
TEST(dualuse_manual_texts_trimmed_alike_from_json_and_csv)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[2048];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":"
             "\"t\",\"steps\":[{\"code\":\" S1 \",\"name\":\"\\u3000清场 \",\"planned_minutes\":"
             "5,\"team_type\":\"security \",\"checklist\":[\" 带空格 \",\"a\\u00a0\"]},"
             "{\"code\":\"S2\",\"name\":\"布置\",\"planned_minutes\":5,\"team_type\":\"it\","
             "\"predecessors\":[\" S1\"]}]}",
             fid);
    json_t *m = post(&s, tok, "/api/v1/manuals", body, 201);
    json_t *st = json_object_get(m, "steps"), *s1 = json_array_get(st, 0);
    CHECK_STR(th_str(s1, "code"), "S1");
    CHECK_STR(th_str(s1, "name"), "清场");
    CHECK_STR(th_str(s1, "team_type"), "security");
    json_t *items = json_object_get(s1, "checklist");
    CHECK_INT(json_array_size(items), 2);
    CHECK_STR(json_string_value(json_array_get(items, 0)), "带空格");
    CHECK_STR(json_string_value(json_array_get(items, 1)), "a");
    CHECK_STR(json_string_value(
                  json_array_get(json_object_get(json_array_get(st, 1), "predecessors"), 0)),
              "S1");
    /* exported and imported again: the same texts */
    char csv[8192];
    manual_export_csv(&s, tok, th_int(m, "id"), csv);
    char *rb = manual_csv_body(fid, csv);
    json_t *m2 = post(&s, tok, "/api/v1/manuals", rb, 201);
    free(rb);
    json_t *st2 = json_object_get(m2, "steps");
    CHECK_INT(json_array_size(st2), 2);
    for (size_t i = 0; i < json_array_size(st); i++) {
        json_t *x = json_array_get(st, i), *y = json_array_get(st2, i);
        CHECK_STR(th_str(y, "code"), th_str(x, "code"));
        CHECK_STR(th_str(y, "name"), th_str(x, "name"));
        CHECK(json_equal(json_object_get(y, "checklist"), json_object_get(x, "checklist")));
        CHECK(json_equal(json_object_get(y, "predecessors"), json_object_get(x, "predecessors")));
    }
    /* an item of spaces only is still refused, as a blank one */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":"
             "\"t\",\"steps\":[{\"code\":\"S1\",\"name\":\"清场\",\"planned_minutes\":5,"
             "\"team_type\":\"security\",\"checklist\":[\"\\u00a0 \"]}]}",
             fid);
    json_t *o = post(&s, tok, "/api/v1/manuals", body, 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    json_decref(o);
    json_decref(m);
    json_decref(m2);
    th_stop(&s);
}

/* A closed finding keeps a note saying how it was put right: closing needs one, and a PATCH
 * that blanked the note of a closed finding ("" or spaces) was taken, leaving it closed without
 * any. 422 missing_field now, nothing written; the note may be reworded, and cleared once the
 * finding is open again. */
TEST(dualuse_closed_finding_keeps_its_note)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    drill_findings_path(&s, tok, path, sizeof path);
    json_t *o = post(&s, tok, path,
                     "{\"finding\":\"备用电源切换超时\",\"owner\":\"工程部\","
                     "\"due_date\":\"2099-12-31\"}",
                     201);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok,
                      "{\"version\":1,\"status\":\"closed\",\"closed_note\":\"已更换切换开关\"}",
                      &o),
              200);
    CHECK_STR(th_str(o, "status"), "closed");
    json_decref(o);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    static const char *const blank[] = {
        "{\"version\":2,\"closed_note\":\"\"}", "{\"version\":2,\"closed_note\":\"   \"}",
        "{\"version\":2,\"status\":\"closed\",\"closed_note\":\"\"}"};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        CHECK_INT(th_call(&s, "PATCH", path, tok, blank[i], &o), 422);
        CHECK_STR(th_err_code(o), "missing_field");
        CHECK_STR(th_err_field(o), "closed_note");
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* reworded: fine */
    CHECK_INT(th_call(&s, "PATCH", path, tok,
                      "{\"version\":2,\"closed_note\":\"已更换切换开关并复测\"}", &o),
              200);
    CHECK_STR(th_str(o, "closed_note"), "已更换切换开关并复测");
    json_decref(o);
    /* reopened, the note may be cleared */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":3,\"status\":\"open\"}", &o), 200);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":4,\"closed_note\":\"\"}", &o), 200);
    CHECK_STR(th_str(o, "status"), "open");
    CHECK_STR(th_str(o, "closed_note"), "");
    json_decref(o);
    th_stop(&s);
}

/* Regression: a PATCH of a finding took null for "keep it" (200, nothing said) where the API
 * answers 422 invalid_value "X may not be null": a client clearing the owner or the action
 * with null believed it done. Now refused, nothing written. */
TEST(dualuse_finding_patch_refuses_null)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    drill_findings_path(&s, tok, path, sizeof path);
    json_t *o = post(&s, tok, path,
                     "{\"finding\":\"通信测试未完成\",\"action\":\"补测\",\"owner\":\"工程部\","
                     "\"due_date\":\"2099-12-31\"}",
                     201);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", th_int(o, "id"));
    json_decref(o);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    static const char *const nulls[][2] = {{"{\"version\":1,\"action\":null}", "action"},
                                           {"{\"version\":1,\"owner\":null}", "owner"},
                                           {"{\"version\":1,\"status\":null}", "status"},
                                           {"{\"version\":1,\"due_date\":null}", "due_date"},
                                           {"{\"version\":1,\"closed_note\":null}", "closed_note"}};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++) {
        CHECK_INT(th_call(&s, "PATCH", path, tok, nulls[i][0], &o), 422);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), nulls[i][1]);
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* "" still empties the action */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"action\":\"\"}", &o), 200);
    CHECK_STR(th_str(o, "action"), "");
    json_decref(o);
    th_stop(&s);
}

/* Regression: a drill's report said passed (合格) when every step was done in time, whether
 * or not the drill had finished: a drill aborted with its checklist unsigned, or one still
 * running with items to sign, read "passed". Only a finished drill (its convert phase complete,
 * every item signed) passes now; the verdict the overview keeps was already so. */
TEST_T(dualuse_only_a_finished_drill_passes, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128], sql[400];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *conv = hotel_conversion(&s, tok, "drill");
    long long cid = th_int(conv, "id");
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM conversion_steps cs JOIN manual_steps ms ON ms.id ="
             " cs.step_id WHERE cs.conversion_id = %lld AND ms.checklist <> '[]'",
             cid);
    CHECK(th_sql_int(&s, sql) > 0); /* items to sign */
    conv = work_steps(&s, tok, conv, "convert", 0);
    CHECK_STR(th_str(conv, "state"), "running");
    json_decref(conv);
    /* each step took its planned minutes (not too fast, on time), the drill started with the
     * first of them: within any target of hours */
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET started_at = finished_at - (SELECT planned_minutes"
             " FROM manual_steps ms WHERE ms.id = step_id) * 60 WHERE conversion_id = %lld",
             cid);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = (SELECT MIN(started_at) FROM conversion_steps"
             " WHERE conversion_id = %lld) WHERE id = %lld",
             cid, cid);
    th_sql_exec(&s, sql);
    json_t *o = NULL;
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(th_int(o, "steps_on_time"), th_int(o, "steps_total"));
    CHECK_INT(th_int(o, "steps_too_fast"), 0);
    CHECK(json_is_false(json_object_get(o, "passed"))); /* running, items unsigned */
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    json_decref(post(&s, tok, path, "{\"reason\":\"演练中断\"}", 200));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "aborted");
    CHECK(json_is_false(json_object_get(o, "passed")));
    json_decref(o);
    th_stop(&s);
}

/* A facility with more than 1000 finished drills: the trend shows the newest 1000, oldest
 * first, so the drill just finished is its last point. */
TEST(dualuse_drill_trend_keeps_the_newest)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[160], path[96], sql[600];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "finished");
    json_decref(conv);
    /* 1100 older finished drills of the same facility, a day apart, ending a year ago */
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 1100)"
             " INSERT INTO conversions (facility_id, manual_id, scenario, mode, state,"
             " standard_id, started_at, started_by, ended_at) SELECT facility_id, manual_id,"
             " scenario, mode, state, standard_id, started_at - 31536000 - n * 86400, started_by,"
             " ended_at - 31536000 - n * 86400 FROM conversions, k WHERE id = %lld",
             cid);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM conversions WHERE facility_id = %lld AND mode = 'drill' AND"
             " state = 'finished'",
             fid);
    CHECK(th_sql_int(&s, sql) > 1100);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld/drills", fid);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *drills = json_object_get(o, "drills");
    CHECK_INT(json_array_size(drills), 1000);
    CHECK_INT(th_int(json_array_get(drills, 999), "drill_id"), cid);
    /* oldest first, and the oldest shown is newer than every one left out */
    for (size_t i = 1; i < json_array_size(drills); i++)
        CHECK(strcmp(th_str(json_array_get(drills, i - 1), "started_at"),
                     th_str(json_array_get(drills, i), "started_at")) <= 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM conversions WHERE facility_id = %lld AND mode = 'drill' AND"
             " state = 'finished' AND started_at >= (SELECT started_at FROM conversions WHERE"
             " id = %lld)",
             fid, th_int(json_array_get(drills, 0), "drill_id"));
    CHECK_INT(th_sql_int(&s, sql), 1000);
    json_decref(o);
    th_stop(&s);
}

/* A finding's PATCH that changes nothing (its fields sent back as they are) writes nothing: the
 * same version, no audit row; a change is one new version. */
TEST(dualuse_finding_patch_that_changes_nothing_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[300], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    drill_findings_path(&s, tok, path, sizeof path);
    json_t *o = post(&s, tok, path,
                     "{\"finding\":\"物资清点滞后\",\"action\":\"提前盘点\",\"owner\":\"后勤组\","
                     "\"due_date\":\"2099-06-30\"}",
                     201);
    long long id = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", id);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    static const char *const same[] = {
        "{\"version\":1}",
        ("{\"version\":1,\"status\":\"open\",\"action\":\"提前盘点\",\"owner\":\"后勤组\","
         "\"due_date\":\"2099-06-30\",\"closed_note\":\"\"}"),
        "{\"version\":1,\"owner\":\" 后勤组 \"}"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        CHECK_INT(th_call(&s, "PATCH", path, tok, same[i], &o), 200);
        CHECK_INT(th_int(o, "version"), 1);
        CHECK_STR(th_str(o, "owner"), "后勤组");
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"owner\":\"仓储组\"}", &o), 200);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    snprintf(body, sizeof body,
             "SELECT COUNT(*) FROM audit WHERE entity = 'finding' AND entity_id = %lld AND action"
             " = 'update'",
             id);
    CHECK_INT(th_sql_int(&s, body), 1);
    th_stop(&s);
}

/* The facility's state as a live conversion moves it: each move is a new version of the
 * facility with its own audit row (`state` / `facility`, the facility before and after), and an
 * edit made on the version before is 409. */
static void check_state_row(th_server *s, long long fid, const char *from, const char *to,
                            long long version)
{
    char q[400];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id = (SELECT MAX(id) FROM audit WHERE entity ="
             " 'facility' AND entity_id = %lld) AND action = 'state' AND"
             " json_extract(before_json, '$.state') = '%s' AND json_extract(after_json,"
             " '$.state') = '%s' AND json_extract(after_json, '$.version') = %lld",
             fid, from, to, version);
    CHECK_INT(th_sql_int(s, q), 1);
    snprintf(q, sizeof q, "SELECT version FROM facilities WHERE id = %lld", fid);
    CHECK_INT(th_sql_int(s, q), version);
}

/* The conversion's own audit row of a move (the newest `action` row of conversion cid): the
 * conversion before it (state from, facility state ffrom, version - 1) and after it (state to,
 * version). Regression: these rows held no before. */
static void check_conv_row(th_server *s, long long cid, const char *action, const char *from,
                           const char *ffrom, const char *to, long long version)
{
    char q[800];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id = (SELECT MAX(id) FROM audit WHERE entity ="
             " 'conversion' AND entity_id = %lld AND action = '%s') AND"
             " json_extract(before_json, '$.id') = %lld AND json_extract(before_json, '$.state') ="
             " '%s' AND json_extract(before_json, '$.facility_state') = '%s' AND"
             " json_extract(before_json, '$.version') = %lld AND json_extract(after_json,"
             " '$.state') = '%s' AND json_extract(after_json, '$.version') = %lld",
             cid, action, cid, from, ffrom, version - 1, to, version);
    CHECK_INT(th_sql_int(s, q), 1);
}

/* A conversion's start is a create: its row has no before. */
static void check_conv_start_row(th_server *s, long long cid, const char *action)
{
    char q[300];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'conversion' AND entity_id = %lld AND"
             " action = '%s' AND before_json IS NULL AND json_extract(after_json, '$.version') = 1",
             cid, action);
    CHECK_INT(th_sql_int(s, q), 1);
}

TEST_T(dualuse_facility_state_moves_are_audited, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[160], path[96], q[200];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = peaceful_hotel(&s);
    snprintf(q, sizeof q, "SELECT version FROM facilities WHERE id = %lld", fid);
    long long v = th_sql_int(&s, q);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"live\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    check_state_row(&s, fid, "peacetime", "converting", v + 1);
    check_conv_start_row(&s, cid, "convert_start");
    /* an edit form opened in peacetime: its version is stale */
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"address\":\"金海湖镇\"}", v);
    json_t *o;
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "facility_state"), "emergency");
    check_state_row(&s, fid, "converting", "emergency", v + 2);
    check_conv_row(&s, cid, "convert_ready", "converting", "converting", "emergency", 2);
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/restore", cid);
    conv = post(&s, tok, path, "{}", 200);
    check_state_row(&s, fid, "emergency", "restoring", v + 3);
    check_conv_row(&s, cid, "restore_start", "emergency", "emergency", "restoring", 3);
    conv = work_phase(&s, tok, conv, "restore");
    CHECK_STR(th_str(conv, "facility_state"), "peacetime");
    check_state_row(&s, fid, "restoring", "peacetime", v + 4);
    check_conv_row(&s, cid, "restore_done", "restoring", "restoring", "completed", 4);
    json_decref(conv);
    /* an aborted conversion: there and back */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"live\"}", fid);
    conv = post(&s, tok, "/api/v1/conversions", body, 201);
    check_state_row(&s, fid, "peacetime", "converting", v + 5);
    cid = th_int(conv, "id");
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    json_decref(conv);
    json_decref(post(&s, tok, path, "{\"reason\":\"误报\"}", 200));
    check_state_row(&s, fid, "converting", "peacetime", v + 6);
    check_conv_row(&s, cid, "convert_abort", "converting", "converting", "aborted", 2);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'facility' AND entity_id = %lld AND"
             " action = 'state'",
             fid);
    CHECK_INT(th_sql_int(&s, q), 6);
    /* a drill's moves leave the facility in peacetime; their rows hold the drill before too */
    conv = hotel_conversion(&s, tok, "drill");
    cid = th_int(conv, "id");
    check_conv_start_row(&s, cid, "drill_start");
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "finished");
    json_decref(conv);
    check_conv_row(&s, cid, "drill_finish", "running", "peacetime", "finished", 2);
    conv = hotel_conversion(&s, tok, "drill");
    cid = th_int(conv, "id");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    json_decref(post(&s, tok, path, "{\"reason\":\"暴雨预警\"}", 200));
    check_conv_row(&s, cid, "drill_abort", "running", "peacetime", "aborted", 2);
    th_stop(&s);
}

/* Sets drill cid's recorded times (its steps as in conv): from 1000000, one after the other as
 * planned, except that the first step takes 3 s more and the second 6 s more; the last step
 * ends `total_s` seconds after the start. */
static void drill_times(th_server *s, json_t *conv, long long cid, long long total_s)
{
    json_t *steps = json_object_get(conv, "steps");
    size_t n = json_array_size(steps);
    CHECK(n >= 3);
    long long t0 = 1000000, t = t0;
    char sql[300];
    for (size_t i = 0; i < n; i++) {
        json_t *st = json_array_get(steps, i);
        long long planned = th_int(st, "planned_minutes") * 60;
        long long start = t, fin = t + planned + (i == 0 ? 3 : i == 1 ? 6 : 0);
        if (i == n - 1) fin = t0 + total_s, start = fin - planned;
        snprintf(sql, sizeof sql,
                 "UPDATE conversion_steps SET started_at = %lld, finished_at = %lld WHERE id ="
                 " %lld",
                 start, fin, th_int(st, "id"));
        th_sql_exec(s, sql);
        t = fin;
    }
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = %lld, ended_at = %lld WHERE id = %lld", t0,
             t0 + total_s, cid);
    th_sql_exec(s, sql);
}

/* A drill's times are judged on the minutes shown (one decimal, rounded down): a step 3 s over
 * its planned minutes shows them and is on time, 6 s over shows a tenth more and is late; a
 * drill 3 s over its target shows the target and passes, and its conversion is not over the
 * deadline; 6 s over, it fails and is. */
TEST(dualuse_drill_times_judged_as_shown)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *conv = hotel_conversion(&s, tok, "drill");
    long long cid = th_int(conv, "id");
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "finished");
    json_t *steps = json_object_get(conv, "steps");
    double p0 = (double)th_int(json_array_get(steps, 0), "planned_minutes"),
           p1 = (double)th_int(json_array_get(steps, 1), "planned_minutes");
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK(json_is_number(json_object_get(o, "target_minutes")));
    long long target = (long long)json_number_value(json_object_get(o, "target_minutes"));
    json_decref(o);
    char cpath[96];
    snprintf(cpath, sizeof cpath, "/api/v1/conversions/%lld", cid);
    for (int extra = 3; extra <= 6; extra += 3) {
        drill_times(&s, conv, cid, target * 60 + extra);
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        json_t *r = json_object_get(o, "steps");
        CHECK(json_number_value(json_object_get(json_array_get(r, 0), "actual_minutes")) == p0);
        CHECK_STR(th_str(json_array_get(r, 0), "result"), "on_time");
        CHECK(fabs(json_number_value(json_object_get(json_array_get(r, 1), "actual_minutes")) -
                   (p1 + 0.1)) < 1e-9);
        CHECK_STR(th_str(json_array_get(r, 1), "result"), "late");
        double total = json_number_value(json_object_get(o, "total_minutes"));
        CHECK(fabs(total - (extra == 3 ? (double)target : (double)target + 0.1)) < 1e-9);
        CHECK(json_is_true(json_object_get(o, "passed")) == (extra == 3));
        json_decref(o);
        /* the conversion shows the same */
        CHECK_INT(th_call(&s, "GET", cpath, tok, NULL, &o), 200);
        CHECK(fabs(json_number_value(json_object_get(o, "elapsed_minutes")) - total) < 1e-9);
        CHECK(json_is_true(json_object_get(o, "over_deadline")) == (extra == 6));
        r = json_object_get(o, "steps");
        CHECK(json_is_false(json_object_get(json_array_get(r, 0), "late")));
        CHECK(json_is_true(json_object_get(json_array_get(r, 1), "late")));
        json_decref(o);
    }
    json_decref(conv);
    th_stop(&s);
}

/* A drill is ready when its convert phase is complete: its last step done and its last checklist
 * item signed, as a live conversion. Steps done 10 minutes inside the target with the checklist
 * signed 20 minutes after the last of them: the report's total is the drill's end, the figure its
 * list shows, and it has not passed (it judged the steps alone and passed). */
TEST(dualuse_drill_total_counts_the_checklist)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *conv = hotel_conversion(&s, tok, "drill");
    long long cid = th_int(conv, "id");
    conv = work_phase(&s, tok, conv, "convert");
    CHECK_STR(th_str(conv, "state"), "finished");
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/report", cid);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    long long target = (long long)json_number_value(json_object_get(o, "target_minutes"));
    CHECK(target > 30);
    json_decref(o);
    drill_times(&s, conv, cid, (target - 10) * 60); /* the last step 10 minutes inside */
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE conversions SET ended_at = ended_at + 1200 WHERE id = %lld",
             cid);
    th_sql_exec(&s, sql);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    double total = json_number_value(json_object_get(o, "total_minutes"));
    CHECK(fabs(total - (double)(target + 10)) < 1e-9);
    CHECK(json_is_false(json_object_get(o, "passed")));
    json_decref(o);
    char lpath[96];
    snprintf(lpath, sizeof lpath, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(&s, "GET", lpath, tok, NULL, &o), 200);
    CHECK(fabs(json_number_value(json_object_get(o, "elapsed_minutes")) - total) < 1e-9);
    CHECK(json_is_true(json_object_get(o, "over_deadline")));
    json_decref(o);
    json_decref(conv);
    th_stop(&s);
}

/* A running step of a live conversion is overdue by the same rule, on the conversion and in
 * the overview's count: 1 s past its planned minutes it shows them and is not overdue yet;
 * 10 s past it is. */
TEST(dualuse_running_step_overdue_as_shown)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], sql[300];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *conv = hotel_conversion(&s, tok, "live");
    long long cid = th_int(conv, "id");
    json_t *st = json_array_get(json_object_get(conv, "steps"), 0);
    CHECK_STR(th_str(st, "phase"), "convert");
    long long row = th_int(st, "id"), planned = th_int(st, "planned_minutes");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", row);
    json_decref(post(&s, tok, path, "{}", 200));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    for (int past = 1; past <= 10; past += 9) {
        snprintf(sql, sizeof sql,
                 "UPDATE conversion_steps SET started_at = CAST(strftime('%%s', 'now') AS"
                 " INTEGER) - %lld WHERE id = %lld",
                 planned * 60 + past, row);
        th_sql_exec(&s, sql);
        json_t *o;
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        json_t *cs = json_array_get(json_object_get(o, "steps"), 0);
        CHECK(json_is_true(json_object_get(cs, "overdue")) == (past == 10));
        double shown = json_number_value(json_object_get(cs, "actual_minutes"));
        CHECK(past == 10 ? shown > (double)planned : shown == (double)planned);
        json_decref(o);
        CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=epidemic", tok, NULL, &o), 200);
        json_t *live = json_object_get(o, "live_conversions");
        int seen = 0;
        for (size_t i = 0; i < json_array_size(live); i++) {
            json_t *x = json_array_get(live, i);
            if (th_int(x, "conversion_id") != cid) continue;
            seen = 1;
            CHECK_INT(th_int(x, "overdue_steps"), past == 10 ? 1 : 0);
        }
        CHECK(seen);
        json_decref(o);
    }
    th_stop(&s);
}

/* Behind an adopted plan's schedule by the same rule: a step finished 3 s after its planned end,
 * or not started 2 s after its planned start and the grace for starting, shows those minutes
 * and is not behind; 6 s and 8 s after, it shows a tenth more and is. */
TEST(dualuse_behind_plan_as_shown)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], sql[600];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *conv = hotel_conversion(&s, tok, "live");
    long long cid = th_int(conv, "id");
    json_t *steps = json_object_get(conv, "steps");
    json_t *s0 = json_array_get(steps, 0), *s1 = json_array_get(steps, 1);
    CHECK_STR(th_str(s0, "phase"), "convert");
    CHECK_STR(th_str(s1, "phase"), "convert");
    long long r0 = th_int(s0, "id"), r1 = th_int(s1, "id"), p0 = th_int(s0, "planned_minutes"),
              p1 = th_int(s1, "planned_minutes");
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    for (int late = 0; late <= 1; late++) {
        int past_start = late ? 8 : 2, past_end = late ? 6 : 3;
        /* the plan: step 0 over [0, p0], step 1 from p0 + 10; the conversion began
         * (p0 + 10 + the grace) minutes and past_start seconds ago; step 0 took p0 min +
         * past_end s */
        snprintf(sql, sizeof sql,
                 "UPDATE conversions SET started_at = CAST(strftime('%%s', 'now') AS INTEGER)"
                 " - %lld WHERE id = %lld",
                 (p0 + 10 + PJ_PLAN_START_GRACE_MIN) * 60 + past_start, cid);
        th_sql_exec(&s, sql);
        snprintf(sql, sizeof sql,
                 "UPDATE conversion_steps SET status = 'done', planned_start_min = 0,"
                 " planned_end_min = %lld, started_at = (SELECT started_at FROM conversions"
                 " WHERE id = %lld), finished_at = (SELECT started_at FROM conversions WHERE id"
                 " = %lld) + %lld WHERE id = %lld",
                 p0, cid, cid, p0 * 60 + past_end, r0);
        th_sql_exec(&s, sql);
        snprintf(sql, sizeof sql,
                 "UPDATE conversion_steps SET planned_start_min = %lld, planned_end_min = %lld"
                 " WHERE id = %lld",
                 p0 + 10, p0 + 10 + p1, r1);
        th_sql_exec(&s, sql);
        json_t *o;
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        json_t *cs = json_object_get(o, "steps");
        CHECK(json_is_true(json_object_get(json_array_get(cs, 0), "behind_plan")) == late);
        CHECK(json_is_true(json_object_get(json_array_get(cs, 1), "behind_plan")) == late);
        double shown = json_number_value(json_object_get(json_array_get(cs, 0), "actual_minutes"));
        CHECK(late ? shown > (double)p0 : shown == (double)p0);
        CHECK_INT(th_int(json_object_get(o, "progress"), "behind_plan"), late ? 2 : 0);
        json_decref(o);
    }
    /* regression: a step planned at minute 0 was behind a minute after the adoption, before
     * anyone could have read it: within the grace a step not yet started is not behind */
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = CAST(strftime('%%s', 'now') AS INTEGER) - %lld"
             " WHERE id = %lld",
             (p0 + 10 + PJ_PLAN_START_GRACE_MIN - 5) * 60, cid);
    th_sql_exec(&s, sql);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK(!json_is_true(
        json_object_get(json_array_get(json_object_get(o, "steps"), 1), "behind_plan")));
    json_decref(o);
    /* regression: a site ready by the plan's ready time (p0 + 10 + p1) kept a step that had
     * finished late "behind": no step of it is behind */
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET status = 'done', started_at = (SELECT started_at FROM"
             " conversions WHERE id = %lld) + %lld, finished_at = (SELECT started_at FROM"
             " conversions WHERE id = %lld) + %lld WHERE id = %lld;"
             "UPDATE conversions SET ready_at = started_at + %lld WHERE id = %lld",
             cid, (p0 + 1) * 60, cid, (p0 + 2) * 60, r1, (p0 + 10 + p1 - 1) * 60, cid);
    th_sql_exec(&s, sql);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(th_int(json_object_get(o, "progress"), "behind_plan"), 0);
    json_decref(o);
    th_stop(&s);
}

/* Regression: an aborted conversion's steps never started stayed "behind plan" (the list and
 * its page said "Steps behind plan: 2" of a conversion stopped before its work): a step of a
 * phase that is over and never started was dropped, not late; one finished late stays so. */
TEST(dualuse_aborted_conversion_behind_nothing_it_dropped)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], sql[600];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *conv = hotel_conversion(&s, tok, "live");
    long long cid = th_int(conv, "id"), fid = th_int(conv, "facility_id");
    json_t *steps = json_object_get(conv, "steps");
    long long r0 = th_int(json_array_get(steps, 0), "id"),
              r1 = th_int(json_array_get(steps, 1), "id"),
              p0 = th_int(json_array_get(steps, 0), "planned_minutes");
    json_decref(conv);
    /* begun long ago: step 0 done late, step 1 never started past its planned start */
    snprintf(sql, sizeof sql,
             "UPDATE conversions SET started_at = CAST(strftime('%%s', 'now') AS INTEGER) - %lld"
             " WHERE id = %lld;"
             "UPDATE conversion_steps SET status = 'done', planned_start_min = 0,"
             " planned_end_min = %lld, started_at = (SELECT started_at FROM conversions WHERE id"
             " = %lld), finished_at = (SELECT started_at FROM conversions WHERE id = %lld) + %lld"
             " WHERE id = %lld;"
             "UPDATE conversion_steps SET planned_start_min = %lld, planned_end_min = %lld WHERE"
             " id = %lld",
             (p0 + 100) * 60 * 2, cid, p0, cid, cid, (p0 + 30) * 60, r0, p0, p0 + 20, r1);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(th_int(json_object_get(o, "progress"), "behind_plan"), 2);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    json_decref(post(&s, tok, path, "{\"reason\":\"撤销\"}", 200));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *cs = json_object_get(o, "steps");
    CHECK(json_is_true(json_object_get(json_array_get(cs, 0), "behind_plan")));
    CHECK(!json_is_true(json_object_get(json_array_get(cs, 1), "behind_plan")));
    CHECK_INT(th_int(json_object_get(o, "progress"), "behind_plan"), 1);
    json_decref(o);
    /* the list says the same */
    snprintf(path, sizeof path, "/api/v1/conversions?facility_id=%lld", fid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (th_int(it, "id") != cid) continue;
        seen = 1;
        CHECK_INT(th_int(json_object_get(it, "progress"), "behind_plan"), 1);
    }
    CHECK(seen);
    json_decref(o);
    th_stop(&s);
}

/* Regression: the overview's live conversions carried only overdue_steps, so a conversion
 * behind its adopted plan or past its deadline looked fine on the emergency office's screen
 * (no step started, 402 minutes in, the plan's ready time 390). Each entry now carries
 * deadline_minutes, over_deadline and behind_plan, the figures the conversion itself shows. */
static json_t *overview_entry(th_server *s, const char *tok, long long cid)
{
    json_t *o = NULL, *found = NULL;
    CHECK_INT(th_call(s, "GET", "/api/v1/overview?scenario=epidemic", tok, NULL, &o), 200);
    json_t *live = json_object_get(o, "live_conversions");
    for (size_t i = 0; i < json_array_size(live); i++)
        if (th_int(json_array_get(live, i), "conversion_id") == cid)
            found = json_incref(json_array_get(live, i));
    json_decref(o);
    if (!found) t_fail(__FILE__, __LINE__, "conversion %lld not in the overview", cid);
    return found;
}

TEST(dualuse_overview_shows_deadline_and_plan)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], sql[700];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *conv = hotel_conversion(&s, tok, "live");
    long long cid = th_int(conv, "id");
    double target = json_number_value(json_object_get(conv, "target_hours")) * 60;
    CHECK(target > 0);
    json_decref(conv);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    /* the plan's schedule: every convert step over [0, 30], the last to target + 600; then the
     * conversion began target + 60 minutes ago (behind, not over), then 600 more (over too) */
    long long ready = (long long)target + 600;
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET planned_start_min = 0, planned_end_min = 30 WHERE"
             " conversion_id = %lld AND phase = 'convert';"
             " UPDATE conversion_steps SET planned_end_min = %lld WHERE id = (SELECT MAX(id) FROM"
             " conversion_steps WHERE conversion_id = %lld AND phase = 'convert');",
             cid, ready, cid);
    long long convert_steps = 0;
    for (int stage = 0; stage < 3; stage++) {
        if (stage == 1) th_sql_exec(&s, sql);
        if (stage > 0) {
            snprintf(sql, sizeof sql,
                     "UPDATE conversions SET started_at = started_at - %lld WHERE id = %lld",
                     (stage == 1 ? (long long)target + 60 : 600LL) * 60, cid);
            th_sql_exec(&s, sql);
        }
        json_t *o, *e = overview_entry(&s, tok, cid);
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        if (stage == 0) {
            json_t *steps = json_object_get(o, "steps");
            for (size_t i = 0; i < json_array_size(steps); i++)
                convert_steps += !strcmp(th_str(json_array_get(steps, i), "phase"), "convert");
        }
        /* as the conversion shows them */
        CHECK(json_equal(json_object_get(e, "deadline_minutes"),
                         json_object_get(o, "deadline_minutes")));
        CHECK(json_equal(json_object_get(e, "over_deadline"), json_object_get(o, "over_deadline")));
        CHECK_INT(th_int(e, "behind_plan"), th_int(json_object_get(o, "progress"), "behind_plan"));
        /* and what they are: the standard's target, then the plan's ready time */
        CHECK_NEAR(json_number_value(json_object_get(e, "deadline_minutes")),
                   stage == 0 ? target : (double)ready, 1e-9);
        CHECK(json_is_true(json_object_get(e, "over_deadline")) == (stage == 2));
        CHECK_INT(th_int(e, "behind_plan"), stage == 0 ? 0 : convert_steps);
        json_decref(e);
        json_decref(o);
    }
    CHECK(convert_steps > 0);
    th_stop(&s);
}

/* Regression: a checklist item could be signed before its step had run (S2 of the hotel's
 * manual, waiting for S1, signed while starting it was 409 predecessor_open). An item checks the
 * step's work: a pending step's items are 409 step_not_started (field item), nothing written, in
 * a live conversion and in a drill; once the step runs, or is done, they are signed. */
static void sign_code(th_server *s, const char *tok, long long row, const char *item, int want,
                      const char *code)
{
    char path[96], body[300];
    snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/sign", row);
    snprintf(body, sizeof body, "{\"item\":\"%s\"}", item);
    json_t *o = post(s, tok, path, body, want);
    if (code) {
        CHECK_STR(th_err_code(o), code);
        CHECK_STR(th_str(json_object_get(o, "error"), "field"), "item");
    }
    json_decref(o);
}

TEST_T(dualuse_checklist_signed_once_step_started, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    for (int drill = 0; drill <= 1; drill++) {
        json_t *conv = hotel_conversion(&s, tok, drill ? "drill" : "live");
        char count[160];
        snprintf(count, sizeof count,
                 "SELECT COUNT(*) FROM conversion_checks WHERE conversion_id = %lld",
                 th_int(conv, "id"));
        json_t *steps = json_object_get(conv, "steps");
        /* S1 (no checklist) first, S2 and S4 (with one) wait for it */
        long long r[3] = {0};
        const char *item[3] = {NULL}, *codes[3] = {"S1", "S2", "S4"};
        char items[3][200] = {{0}};
        for (size_t i = 0; i < json_array_size(steps); i++) {
            json_t *st = json_array_get(steps, i);
            for (int k = 0; k < 3; k++)
                if (!strcmp(th_str(st, "phase"), "convert") &&
                    !strcmp(th_str(st, "code"), codes[k])) {
                    r[k] = th_int(st, "id");
                    item[k] = th_str(json_array_get(json_object_get(st, "checklist"), 0), "item");
                    if (item[k]) snprintf(items[k], sizeof items[k], "%s", item[k]);
                }
        }
        CHECK(r[0] && r[1] && r[2] && items[1][0] && items[2][0]);
        json_decref(conv);
        /* pending: refused, nothing written */
        th_fingerprint(&s, before, sizeof before);
        sign_code(&s, tok, r[1], items[1], 409, "step_not_started");
        sign_code(&s, tok, r[2], items[2], 409, "step_not_started");
        th_fingerprint(&s, after, sizeof after);
        CHECK_STR(after, before);
        CHECK_INT(th_sql_int(&s, count), 0);
        /* an unknown item stays 422 whatever the step's status */
        sign_code(&s, tok, r[1], "没有这一项", 422, "unknown_id");
        /* S1 done; S2 running: signed; S4 done without its items: signed after */
        static const char *const moves[][2] = {
            {"0", "start"}, {"0", "finish"}, {"1", "start"}, {"2", "start"}, {"2", "finish"}};
        for (size_t k = 0; k < sizeof moves / sizeof *moves; k++) {
            snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/%s", r[atoi(moves[k][0])],
                     moves[k][1]);
            json_decref(post(&s, tok, path, "{}", 200));
        }
        sign_code(&s, tok, r[1], items[1], 200, NULL);
        sign_code(&s, tok, r[2], items[2], 200, NULL);
        CHECK_INT(th_sql_int(&s, count), 2);
    }
    th_stop(&s);
}

/* A township's officer lists the conversions and drills of their township's facilities:
 * township_id keeps those and only those, with the other filters; a bad value is 400. */
TEST(dualuse_conversions_listed_by_township)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128], sql[300];
    th_login(&s, "jinhaihu", s.demo_pw, tok);
    long long town = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(sql, sizeof sql,
             "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON m.facility_id = f.id AND"
             " m.scenario = 'epidemic' WHERE f.township_id = %lld AND f.state = 'peacetime'",
             town);
    long long fid = th_sql_int(&s, sql);
    CHECK(fid > 0);
    char body[128];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *conv = post(&s, tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    json_decref(conv);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM conversions WHERE facility_id IN (SELECT id FROM facilities"
             " WHERE township_id = %lld)",
             town);
    long long own = th_sql_int(&s, sql);
    CHECK(own >= 1);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM conversions") > own); /* others elsewhere */
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/conversions?township_id=%lld&limit=500", town);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), own);
    CHECK_INT(th_int(json_array_get(items, 0), "id"), cid); /* newest first */
    for (size_t i = 0; i < json_array_size(items); i++) {
        snprintf(sql, sizeof sql, "SELECT township_id FROM facilities WHERE id = %lld",
                 th_int(json_array_get(items, i), "facility_id"));
        CHECK_INT(th_sql_int(&s, sql), town);
    }
    json_decref(o);
    /* with the other filters: the drill running, not a live conversion */
    snprintf(path, sizeof path, "/api/v1/conversions?township_id=%lld&mode=drill&state=running",
             town);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM conversions WHERE mode = 'drill' AND state = 'running' AND"
             " facility_id IN (SELECT id FROM facilities WHERE township_id = %lld)",
             town);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), th_sql_int(&s, sql));
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 0), "id"), cid);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/conversions?township_id=x", tok, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "bad_query");
    json_decref(o);
    th_stop(&s);
}

/* A new team type's audit row keeps the record as answered ({"id","code","name"}, written as
 * JSON: it kept only the code, by hand), and a name another team type has is refused, as a
 * code is: the console offers team types by name, so two 消杀 could not be told apart. */
TEST(dualuse_team_type_audit_keeps_the_record_and_names_are_unique)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], adm[80];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "admin", s.admin_pw, adm);
    json_t *o = post(&s, tok, "/api/v1/team-types",
                     "{\"code\":\"psych\",\"name\":\"心理\\\"疏导\\\\\"}", 201);
    long long id = th_int(o, "id");
    CHECK_STR(th_str(o, "name"), "心理\"疏导\\");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/audit?entity=team_type", adm, NULL, &o), 200);
    json_t *row = json_array_get(json_object_get(o, "items"), 0);
    CHECK_STR(th_str(row, "action"), "create");
    CHECK_INT(th_int(row, "entity_id"), id);
    json_t *a = json_object_get(row, "after");
    CHECK(json_is_object(a));
    CHECK_INT(th_int(a, "id"), id);
    CHECK_STR(th_str(a, "code"), "psych");
    CHECK_STR(th_str(a, "name"), "心理\"疏导\\");
    CHECK(json_is_null(json_object_get(row, "before")) || !json_object_get(row, "before"));
    json_decref(o);
    /* a name taken (by the demo's disinfection; Latin letters compared without case), and a
     * code taken: 409 at the field, nothing written */
    json_decref(
        post(&s, tok, "/api/v1/team-types", "{\"code\":\"rescue\",\"name\":\"Rescue\"}", 201));
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    static const struct {
        const char *body, *field;
    } cases[] = {{"{\"code\":\"x2\",\"name\":\"消杀\"}", "name"},
                 {"{\"code\":\"x3\",\"name\":\" 消杀 \"}", "name"},
                 {"{\"code\":\"x4\",\"name\":\"RESCUE\"}", "name"},
                 {"{\"code\":\"psych\",\"name\":\"心理援助\"}", "code"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        o = post(&s, tok, "/api/v1/team-types", cases[i].body, 409);
        CHECK_STR(th_err_code(o), "conflict");
        CHECK_STR(th_err_field(o), cases[i].field);
        json_decref(o);
    }
    o = post(&s, tok, "/api/v1/team-types", "{\"code\":\"x2\",\"name\":\"消杀\"}", 409);
    CHECK(strstr(th_err_message(o), "disinfection") != NULL);
    json_decref(o);
    /* the name it meets as stored, not as typed (regression: "is already named RESCUE") */
    o = post(&s, tok, "/api/v1/team-types", "{\"code\":\"x4\",\"name\":\"RESCUE\"}", 409);
    CHECK(strstr(th_err_message(o), "(rescue) is already named Rescue") != NULL);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* A district officer renames a team type (its code stays: manuals' steps name it) with the
 * version read, and removes one no manual's step names; one still named is refused with the
 * manuals to change, and an id once deleted is not given again. */
TEST(dualuse_team_type_renamed_and_removed)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], adm[80], town[80];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *o =
        post(&s, tok, "/api/v1/team-types", "{\"code\":\"psych\",\"name\":\"心理疏到\"}", 201);
    long long id = th_int(o, "id");
    CHECK_INT(th_int(o, "version"), 1);
    json_decref(o);
    char path[96], body[160];
    snprintf(path, sizeof path, "/api/v1/team-types/%lld", id);
    /* renamed, trimmed, the version moves on */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"name\":\" 心理疏导 \",\"version\":1}", &o), 200);
    CHECK_STR(th_str(o, "name"), "心理疏导");
    CHECK_STR(th_str(o, "code"), "psych");
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    long long rows = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'team_type'");
    /* the same name again: nothing written, no audit row */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"name\":\"心理疏导\",\"version\":2}", &o), 200);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'team_type'"), rows);
    CHECK_INT(th_call(&s, "GET", "/api/v1/audit?entity=team_type", adm, NULL, &o), 200);
    json_t *row = json_array_get(json_object_get(o, "items"), 0);
    CHECK_STR(th_str(row, "action"), "update");
    CHECK_STR(th_str(json_object_get(row, "before"), "name"), "心理疏到");
    CHECK_STR(th_str(json_object_get(row, "after"), "name"), "心理疏导");
    json_decref(o);
    /* refused, nothing changed: a stale version, a name taken, the code, a township officer */
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    static const struct {
        const char *body;
        int status;
        const char *code, *field;
    } bad[] = {{"{\"name\":\"心理援助\",\"version\":1}", 409, "version_conflict", "version"},
               {"{\"name\":\"消杀\",\"version\":2}", 409, "conflict", "name"},
               {"{\"name\":\"   \",\"version\":2}", 422, "missing_field", "name"},
               {"{\"code\":\"psy\",\"name\":\"心理援助\",\"version\":2}", 422, "read_only", "code"},
               {"{\"name\":\"心理援助\"}", 422, "missing_field", "version"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(th_call(&s, "PATCH", path, tok, bad[i].body, &o), bad[i].status);
        CHECK_STR(th_err_code(o), bad[i].code);
        CHECK_STR(th_err_field(o), bad[i].field);
        json_decref(o);
    }
    CHECK_INT(th_call(&s, "PATCH", path, town, "{\"name\":\"心理援助\",\"version\":2}", &o), 403);
    json_decref(o);
    snprintf(body, sizeof body, "%s?version=2", path);
    CHECK_INT(th_call(&s, "DELETE", body, town, NULL, &o), 403);
    json_decref(o);
    /* medical: named by the demo manuals' steps */
    long long med = th_sql_int(&s, "SELECT id FROM team_types WHERE code = 'medical'");
    long long uses =
        th_sql_int(&s, "SELECT COUNT(*) FROM manual_steps WHERE team_type = 'medical'");
    CHECK(uses > 0);
    snprintf(body, sizeof body, "/api/v1/team-types/%lld?version=1", med);
    CHECK_INT(th_call(&s, "DELETE", body, tok, NULL, &o), 409);
    CHECK_STR(th_err_code(o), "in_use");
    char want[64];
    snprintf(want, sizeof want, "by %lld step(s)", uses);
    CHECK(strstr(th_err_message(o), want) != NULL);
    json_decref(o);
    snprintf(body, sizeof body, "%s?version=1", path);
    CHECK_INT(th_call(&s, "DELETE", body, tok, NULL, &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* removed; the next team type does not get its id */
    snprintf(body, sizeof body, "%s?version=2", path);
    CHECK_INT(th_call(&s, "DELETE", body, tok, NULL, &o), 204);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 405);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"name\":\"x\",\"version\":2}", &o), 404);
    json_decref(o);
    CHECK_INT(th_sql_int(&s,
                         "SELECT COUNT(*) FROM audit WHERE entity = 'team_type' AND"
                         " action = 'delete' AND after_json IS NULL AND before_json IS NOT NULL"),
              1);
    o = post(&s, tok, "/api/v1/team-types", "{\"code\":\"psych\",\"name\":\"心理疏导\"}", 201);
    CHECK(th_int(o, "id") > id);
    json_decref(o);
    th_stop(&s);
}

/* How many teams of a type the district can put to work at once is recorded on the type (the
 * plan form's default): set at creation, changed and cleared (null) with the version, audited,
 * a change to the same count writes nothing, and a bad count changes nothing. The demo records
 * enough for its manuals' largest steps (10 medical teams: the plan form offered 8, so a plan
 * made as offered left the medical bases out). */
TEST(dualuse_team_type_teams_available)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], town[80];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/team-types", town, NULL, &o), 200);
    int seen = 0;
    json_t *x;
    size_t i;
    json_array_foreach(json_object_get(o, "items"), i, x)
    {
        if (!strcmp(th_str(x, "code"), "medical")) {
            CHECK_INT(th_int(x, "available"), 10);
            seen++;
        }
        CHECK(json_is_integer(json_object_get(x, "available")));
    }
    CHECK_INT(seen, 1);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT MAX(team_count) FROM manual_steps WHERE team_type ="
                             " 'medical'"),
              10);
    /* created with a count and without (not recorded: null) */
    o = post(&s, tok, "/api/v1/team-types",
             "{\"code\":\"psych\",\"name\":\"心理疏导\",\"available\":3}", 201);
    long long id = th_int(o, "id");
    CHECK_INT(th_int(o, "available"), 3);
    json_decref(o);
    o = post(&s, tok, "/api/v1/team-types", "{\"code\":\"rescue\",\"name\":\"救援\"}", 201);
    CHECK(json_is_null(json_object_get(o, "available")));
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/team-types/%lld", id);
    /* changed alone: the name kept, the version moves on, audited */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"available\":5,\"version\":1}", &o), 200);
    CHECK_INT(th_int(o, "available"), 5);
    CHECK_STR(th_str(o, "name"), "心理疏导");
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'team_type' AND action ="
                             " 'update' AND json_extract(before_json, '$.available') = 3 AND"
                             " json_extract(after_json, '$.available') = 5"),
              1);
    long long rows = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'team_type'");
    /* the same count (and name): nothing written */
    CHECK_INT(th_call(&s, "PATCH", path, tok,
                      "{\"available\":5,\"name\":\"心理疏导\",\"version\":2}", &o),
              200);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'team_type'"), rows);
    /* refused, nothing changed */
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    static const struct {
        const char *body;
        int status;
        const char *code;
    } bad[] = {{"{\"available\":-1,\"version\":2}", 422, "out_of_range"},
               {"{\"available\":10001,\"version\":2}", 422, "out_of_range"},
               {"{\"available\":\"4\",\"version\":2}", 422, "wrong_type"},
               {"{\"available\":2.5,\"version\":2}", 422, "wrong_type"},
               {"{\"available\":4,\"version\":1}", 409, "version_conflict"}};
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(th_call(&s, "PATCH", path, tok, bad[i].body, &o), bad[i].status);
        CHECK_STR(th_err_code(o), bad[i].code);
        json_decref(o);
    }
    o = post(&s, tok, "/api/v1/team-types", "{\"code\":\"x1\",\"name\":\"甲\",\"available\":-2}",
             422);
    CHECK_STR(th_err_field(o), "available");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, town, "{\"available\":4,\"version\":2}", &o), 403);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* cleared: not recorded */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"available\":null,\"version\":2}", &o), 200);
    CHECK(json_is_null(json_object_get(o, "available")));
    CHECK_INT(th_int(o, "version"), 3);
    json_decref(o);
    th_stop(&s);
}

/* A standard's effective_from given as a date is a day in Pinggu (api.md "Dates"): in force
 * from 00:00 Beijing time. It was stored as 00:00 UTC, so for the first 8 hours of its day the
 * superseded version stayed in force (and conversions or drills started then took its target). */
TEST(dualuse_standard_dated_by_day_in_force_from_beijing_midnight)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[300], today[21];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *o = post(&s, tok, "/api/v1/standards",
                     "{\"facility_type\":\"hotel\",\"scenario\":\"epidemic\",\"role\":"
                     "\"isolation\",\"target_hours\":12,\"effective_from\":\"2030-01-01\"}",
                     201);
    CHECK_STR(th_str(o, "effective_from"), "2029-12-31T16:00:00Z");
    json_decref(o);
    /* today's Beijing date: in force now, whatever the hour in Beijing */
    pj_time_iso(pj_now() + PJ_LOCAL_OFFSET_S, today);
    snprintf(body, sizeof body,
             "{\"facility_type\":\"hotel\",\"scenario\":\"event\",\"role\":\"isolation\","
             "\"target_hours\":7,\"effective_from\":\"%.10s\"}",
             today);
    o = post(&s, tok, "/api/v1/standards", body, 201);
    long long id = th_int(o, "id");
    CHECK(strcmp(th_str(o, "effective_from"), today) < 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET",
                      "/api/v1/standards?in_force=1&facility_type=hotel&scenario=event&role="
                      "isolation",
                      tok, NULL, &o),
              200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 1);
    CHECK_INT(th_int(json_array_get(items, 0), "id"), id);
    json_decref(o);
    /* a mistyped flag is refused, not read as "every version" (regression: in_force=true
     * listed the versions not yet in force beside the one in force) */
    static const char *const bad[] = {"true", "yes", "2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char q[96];
        snprintf(q, sizeof q, "/api/v1/standards?in_force=%s", bad[i]);
        CHECK_INT(th_call(&s, "GET", q, tok, NULL, &o), 400);
        CHECK_STR(th_err_code(o), "bad_query");
        CHECK_STR(th_err_field(o), "in_force");
        json_decref(o);
    }
    th_stop(&s);
}

/* A PATCH body sending row id of table its own date column col back, with its version:
 * {"version":V,"col":"YYYY-MM-DD"}. */
static void own_date_body(th_server *s, const char *table, const char *col, long long id, char *out,
                          size_t size)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT CAST(strftime('%%Y%%m%%d', %s, 'unixepoch') AS INTEGER) FROM %s WHERE id ="
             " %lld",
             col, table, id);
    long long ymd = th_sql_int(s, sql);
    snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = %lld", table, id);
    long long version = th_sql_int(s, sql);
    snprintf(out, size, "{\"version\":%lld,\"%s\":\"%04lld-%02lld-%02lld\"}", version, col,
             ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* The demo's dates are dates: a finding's due date and a stock line's expiry stored at the
 * start of their day, as the API stores them — the demo stored its clock's time of day, so an
 * overdue demo finding sent back with its own due date was refused ("before today") and a
 * line's own expiry written as a change (a version, an audit row). */
TEST(dualuse_demo_dates_sent_back_change_nothing)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[160], path[96], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM drill_findings") > 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM drill_findings WHERE due_date % 86400 <> 0"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM stock_lines WHERE expiry % 86400 <> 0"), 0);
    long long fid = th_sql_int(&s, "SELECT MIN(id) FROM drill_findings WHERE status = 'open' AND"
                                   " due_date < strftime('%s', 'now') - 86400");
    CHECK(fid > 0);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", fid);
    own_date_body(&s, "drill_findings", "due_date", fid, body, sizeof body);
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK(json_is_true(json_object_get(o, "overdue")));
    json_decref(o);
    long long line = th_sql_int(&s, "SELECT MIN(id) FROM stock_lines WHERE expiry IS NOT NULL");
    snprintf(path, sizeof path, "/api/v1/stock/%lld", line);
    own_date_body(&s, "stock_lines", "expiry", line, body, sizeof body);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    th_stop(&s);
}

/* A township without residents has no figure per 10,000 residents (null), and so no verdict
 * against the target (it read 0 and "does not meet" however much it could house). */
TEST(dualuse_overview_township_without_residents_has_no_figure)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long district = th_sql_int(&s, "SELECT id FROM regions WHERE type = 'district'");
    char body[200];
    snprintf(body, sizeof body,
             "{\"type\":\"township\",\"parent_id\":%lld,\"code\":\"T-ZERO\",\"name\":\"无人乡\"}",
             district);
    json_t *t = post(&s, tok, "/api/v1/regions", body, 201);
    long long id = th_int(t, "id");
    json_decref(t);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=epidemic", tok, NULL, &o), 200);
    json_t *roles = json_object_get(o, "roles"), *r;
    size_t i, found = 0;
    json_array_foreach(roles, i, r)
    {
        json_t *towns = json_object_get(r, "townships"), *x;
        size_t k;
        json_array_foreach(towns, k, x) if (th_int(x, "township_id") == id)
        {
            CHECK(json_is_null(json_object_get(x, "per_10k_residents")));
            CHECK(json_is_null(json_object_get(x, "meets_target")));
            found++;
        }
    }
    CHECK(found > 0);
    json_decref(o);
    th_stop(&s);
}
