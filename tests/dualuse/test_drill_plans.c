/* Drill plans (演练计划): officers plan a facility's drill by scenario and date; the drill started
 * there is held under the plan, an aborted one gives it back; the overview's drills overdue say
 * whether the next drill is planned. Bad plans are refused and write nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* A hotel in peacetime with an epidemic manual and no drill running, of township `town` (0:
 * any). */
static long long plannable(th_server *s, long long town)
{
    char q[600];
    snprintf(q, sizeof q,
             "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON m.facility_id = f.id AND"
             " m.scenario = 'epidemic' WHERE f.state = 'peacetime' AND (%lld = 0 OR"
             " f.township_id = %lld) AND NOT EXISTS (SELECT 1 FROM conversions k WHERE"
             " k.facility_id = f.id AND k.state IN ('running', 'converting'))",
             town, town);
    long long fid = th_sql_int(s, q);
    CHECK(fid > 0);
    return fid;
}

static json_t *plan_of(th_server *s, const char *tok, long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/drill-plans/%lld", id);
    return CALL(s, "GET", tok, path, NULL, 200);
}

/* the overview's drills overdue entry of facility fid (epidemic), or NULL */
static json_t *overdue_of(json_t *ov, long long fid)
{
    json_t *due = json_object_get(ov, "drills_overdue");
    for (size_t i = 0; i < json_array_size(due); i++)
        if (th_int(json_array_get(due, i), "facility_id") == fid) return json_array_get(due, i);
    return NULL;
}

TEST_T(drill_plans_held_by_the_drill_given_back_on_abort_and_shown_as_overdue, 90)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[400], path[300], day[11], past[11], fp0[TH_FINGERPRINT_SIZE],
        fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = plannable(&s, 0);
    /* the facility never drilled: due in the overview, nothing planned */
    snprintf(path, sizeof path,
             "DELETE FROM conversion_steps WHERE conversion_id IN (SELECT id FROM conversions"
             " WHERE facility_id = %lld)",
             fid);
    th_sql_exec(&s, path);
    snprintf(path, sizeof path, "DELETE FROM conversions WHERE facility_id = %lld", fid);
    th_sql_exec(&s, path);
    json_t *ov = CALL(&s, "GET", tok, "/api/v1/overview?scenario=epidemic", NULL, 200);
    CHECK(overdue_of(ov, fid) != NULL);
    CHECK(json_is_null(json_object_get(overdue_of(ov, fid), "planned_date")));
    json_decref(ov);

    /* refusals, nothing written: a past date, a scenario without a manual, an unknown facility */
    th_day_rel(0, 14, day);
    th_day_rel(0, -1, past);
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\"}", fid, past);
    json_t *e = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 422);
    CHECK_STR(th_err_field(e), "planned_date");
    CHECK(strstr(th_err_message(e), "is past") != NULL);
    json_decref(e);
    /* a scenario the facility has no manual for */
    static const char *const scenarios[] = {"event", "holiday", "disaster"};
    const char *none = NULL;
    for (int i = 0; i < 3 && !none; i++) {
        snprintf(path, sizeof path,
                 "SELECT COUNT(*) FROM manuals WHERE facility_id = %lld AND scenario = '%s'", fid,
                 scenarios[i]);
        if (!th_sql_int(&s, path)) none = scenarios[i];
    }
    CHECK(none != NULL);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"%s\",\"planned_date\":\"%s\"}", fid, none, day);
    e = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 422);
    CHECK_STR(th_err_code(e), "no_manual");
    CHECK_STR(th_err_field(e), "scenario");
    json_decref(e);
    snprintf(body, sizeof body,
             "{\"facility_id\":99999999,\"scenario\":\"epidemic\",\"planned_date\":\"%s\"}", day);
    e = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 422);
    CHECK_STR(th_err_field(e), "facility_id");
    json_decref(e);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);

    /* planned: shown with the facility, its township and its standing; once per day */
    long long audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'drill_plan'");
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\",\"note\":"
             "\"年度演练\"}",
             fid, day);
    json_t *p = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 201);
    long long id = th_int(p, "id");
    CHECK_STR(th_str(p, "status"), "planned");
    CHECK_STR(th_str(p, "planned_date"), day);
    CHECK(th_str(p, "facility_name")[0] && th_str(p, "township_name")[0]);
    CHECK(json_is_null(json_object_get(p, "conversion_id")));
    json_decref(p);
    e = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 409);
    CHECK_STR(th_err_field(e), "planned_date");
    json_decref(e);
    ov = CALL(&s, "GET", tok, "/api/v1/overview?scenario=epidemic", NULL, 200);
    CHECK_STR(th_str(overdue_of(ov, fid), "planned_date"), day);
    CHECK_INT(th_int(overdue_of(ov, fid), "drill_plan_id"), id);
    CHECK(json_is_null(json_object_get(overdue_of(ov, fid), "running_drill_id")));
    json_decref(ov);

    /* the drill started there is held under the plan, which is then kept as it is */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    json_t *d = CALL(&s, "POST", tok, "/api/v1/conversions", body, 201);
    long long cid = th_int(d, "id");
    json_decref(d);
    p = plan_of(&s, tok, id);
    CHECK_INT(th_int(p, "conversion_id"), cid);
    CHECK_STR(th_str(p, "status"), "running");
    snprintf(body, sizeof body, "{\"version\":%lld,\"note\":\"改\"}", th_int(p, "version"));
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/drill-plans/%lld", id);
    e = CALL(&s, "PATCH", tok, path, body, 409);
    CHECK(strstr(th_err_message(e), "held by drill") != NULL);
    json_decref(e);
    /* nor deleted: the calendar keeps the drill it held */
    e = CALL(&s, "DELETE", tok, path, NULL, 409);
    CHECK_STR(th_err_field(e), "id");
    CHECK(strstr(th_err_message(e), "held by drill") != NULL);
    json_decref(e);
    json_decref(plan_of(&s, tok, id));
    /* the overview says the drill is under way, not only that none is planned (the console
     * offered 排期 beside a facility drilling under its plan) */
    ov = CALL(&s, "GET", tok, "/api/v1/overview?scenario=epidemic", NULL, 200);
    CHECK(json_is_null(json_object_get(overdue_of(ov, fid), "planned_date")));
    CHECK_INT(th_int(overdue_of(ov, fid), "running_drill_id"), cid);
    json_decref(ov);
    /* the day's plan is held: a re-drill that day (this one failing) is planned anew — it was
     * 409 "drill plan N already plans a drill …" */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\",\"note\":"
             "\"复演\"}",
             fid, day);
    p = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 201);
    snprintf(path, sizeof path, "/api/v1/drill-plans/%lld", th_int(p, "id"));
    json_decref(p);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 204));

    /* aborted: the plan is open again, due on its day */
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    json_decref(CALL(&s, "POST", tok, path, "{\"reason\":\"停电\"}", 200));
    p = plan_of(&s, tok, id);
    CHECK(json_is_null(json_object_get(p, "conversion_id")));
    CHECK_STR(th_str(p, "status"), "planned");
    long long version = th_int(p, "version");
    json_decref(p);
    ov = CALL(&s, "GET", tok, "/api/v1/overview?scenario=epidemic", NULL, 200);
    CHECK(json_is_null(json_object_get(overdue_of(ov, fid), "running_drill_id")));
    CHECK_INT(th_int(overdue_of(ov, fid), "drill_plan_id"), id);
    json_decref(ov);
    /* the plan's create, held and given back; the re-drill's plan's create and delete */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'drill_plan'"), audits + 5);
    snprintf(path, sizeof path,
             "SELECT COUNT(*) FROM audit WHERE entity = 'drill_plan' AND entity_id = %lld AND"
             " action IN ('drill_held', 'drill_given_back')",
             id);
    CHECK_INT(th_sql_int(&s, path), 2);

    /* its day passed with no drill: overdue; cancelled: no longer the facility's next drill */
    snprintf(path, sizeof path, "UPDATE drill_plans SET planned_date = '%s' WHERE id = %lld", past,
             id);
    th_sql_exec(&s, path);
    p = plan_of(&s, tok, id);
    CHECK_STR(th_str(p, "status"), "overdue");
    json_decref(p);
    snprintf(body, sizeof body, "{\"version\":%lld,\"state\":\"cancelled\"}", version);
    snprintf(path, sizeof path, "/api/v1/drill-plans/%lld", id);
    p = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK_STR(th_str(p, "status"), "cancelled");
    json_decref(p);
    ov = CALL(&s, "GET", tok, "/api/v1/overview?scenario=epidemic", NULL, 200);
    CHECK(json_is_null(json_object_get(overdue_of(ov, fid), "planned_date")));
    json_decref(ov);
    /* the list's filters */
    snprintf(path, sizeof path, "/api/v1/drill-plans?facility_id=%lld&state=cancelled", fid);
    CHECK(th_list_has(&s, tok, path, "id", id));
    snprintf(path, sizeof path, "/api/v1/drill-plans?facility_id=%lld&state=planned", fid);
    CHECK(!th_list_has(&s, tok, path, "id", id));
    /* a facility with a drill plan is not deleted from under it: the plan is named */
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fid);
    e = CALL(&s, "DELETE", tok, path, NULL, 409);
    CHECK(strstr(th_err_message(e), "drill plan") != NULL);
    json_decref(e);
    /* a plan no drill held (cancelled here) is deleted */
    snprintf(path, sizeof path, "/api/v1/drill-plans/%lld", id);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 204));
    json_decref(CALL(&s, "GET", tok, path, NULL, 404));

    /* up to two years ahead, not a day more (2062 typed for 2026) */
    char far[11];
    th_day_rel(-2, 1, far);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\"}", fid, far);
    e = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 422);
    CHECK_STR(th_err_code(e), "out_of_range");
    CHECK_STR(th_err_field(e), "planned_date");
    CHECK(strstr(th_err_message(e), "more than two years ahead") != NULL);
    json_decref(e);
    th_day_rel(-2, 0, far);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\"}", fid, far);
    p = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 201);
    CHECK_STR(th_str(p, "planned_date"), far);
    json_decref(p);
    th_stop(&s);
}

TEST_T(drill_plans_are_written_by_officers_in_their_scope, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[400], day[11];
    th_day_rel(0, 30, day);
    long long town = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long own = plannable(&s, town);
    long long other = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON"
                                     " m.facility_id = f.id AND m.scenario = 'epidemic' WHERE"
                                     " f.township_id <> (SELECT township_id FROM users WHERE"
                                     " username = 'jinhaihu')");
    CHECK(other > 0);
    th_login(&s, "jinhaihu", s.demo_pw, tok);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\"}", own, day);
    json_t *mine = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 201);
    long long id = th_int(mine, "id");
    json_decref(mine);
    /* nothing else is written below (the log-ins write sessions and audit rows of their own) */
    const char *written = "SELECT (SELECT COUNT(*) FROM drill_plans) * 1000 + (SELECT COUNT(*)"
                          " FROM audit WHERE entity = 'drill_plan')";
    long long before = th_sql_int(&s, written);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\"}", other,
             day);
    json_t *e = CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 403);
    CHECK_STR(th_err_field(e), "township_id");
    json_decref(e);
    /* an operator runs drills but does not plan them; an enterprise reads no dual-use records */
    th_login(&s, "wanda", s.demo_pw, tok);
    json_decref(CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 403));
    json_decref(CALL(&s, "GET", tok, "/api/v1/drill-plans", NULL, 200));
    th_login(&s, "viewer", s.demo_pw, tok);
    json_decref(CALL(&s, "POST", tok, "/api/v1/drill-plans", body, 403));
    CHECK(th_list_has(&s, tok, "/api/v1/drill-plans?limit=500", "id", id));
    th_login(&s, "jd", s.demo_pw, tok);
    json_decref(CALL(&s, "GET", tok, "/api/v1/drill-plans", NULL, 403));
    CHECK_INT(th_sql_int(&s, written), before);
    th_stop(&s);
}

/* The command line's drill plans: the records' actions under `pingji drill plans`, the API's
 * rules (a scenario without a manual: exit 1, nothing written) and its filters' values (exit 2). */
TEST_T(cli_drill_plans_add_list_update, 60)
{
    th_server s;
    th_start(&s, 1);
    char out[1 << 16], body[300], day[11], id[24];
    th_day_rel(0, 20, day);
    long long fid = plannable(&s, 0);
    long long before = th_sql_int(&s, "SELECT COUNT(*) FROM drill_plans");
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"%s\"}", fid, day);
    CHECK_INT(RUN(out, "drill", "plans", "add", "--json", body, "--db", s.db), 0);
    json_t *p = json_loads(out, 0, NULL);
    CHECK(p != NULL);
    CHECK_STR(th_str(p, "status"), "planned");
    snprintf(id, sizeof id, "%lld", th_int(p, "id"));
    json_decref(p);
    CHECK_INT(RUN(out, "drill", "plans", "update", id, "--json", "{\"state\":\"cancelled\"}",
                  "--db", s.db),
              0);
    CHECK(strstr(out, "\"status\": \"cancelled\"") != NULL);
    CHECK_INT(RUN(out, "drill", "plans", "list", "--state", "cancelled", "--db", s.db), 0);
    CHECK(strstr(out, day) != NULL);
    CHECK_INT(RUN(out, "drill", "plans", "list", "--state", "done", "--db", s.db), 2);
    CHECK(strstr(out, "--state takes planned, cancelled") != NULL);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"planned_date\":\"2020-01-01\"}",
             fid);
    CHECK_INT(RUN(out, "drill", "plans", "add", "--json", body, "--db", s.db), 1);
    CHECK(strstr(out, "is past") != NULL);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM drill_plans"), before + 1);
    th_stop(&s);
}
