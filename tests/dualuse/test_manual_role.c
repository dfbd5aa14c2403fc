/* A manual converts its facility into one of the facility's own emergency roles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* Regression: a manual for a role its facility does not have (the import dialog's default,
 * isolation, kept for a warehouse) was created, and a live conversion by it put the facility
 * in emergency for a role with no capacity: the overview counted it nowhere (neither ready nor
 * converting) while listing its conversion. Now 422 invalid_value at role naming the roles the
 * facility has, nothing written; a role it has is still taken. */
TEST(dualuse_manual_role_is_one_of_its_facility)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[600], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "wanda", s.demo_pw, tok);
    /* 万达锦华酒店 (wanda's facility) has isolation and resettlement, not medical */
    long long fid = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM facility_roles WHERE facility_id = %lld AND role = 'medical'",
             fid);
    CHECK_INT(th_sql_int(&s, sql), 0);
    const char *steps = "\"steps\":[{\"code\":\"S1\",\"name\":\"清场\",\"planned_minutes\":60,"
                        "\"team_type\":\"cleaning\"}]";
    th_fingerprint(&s, before, sizeof before);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"medical\",\"title\":\"t\","
             "%s}",
             fid, steps);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    json_t *e = json_object_get(o, "error");
    CHECK_STR(th_str(e, "field"), "role");
    CHECK(strstr(th_str(e, "message"), "has no emergency role medical"));
    CHECK(strstr(th_str(e, "message"), "isolation, resettlement"));
    json_decref(o);
    /* the same as CSV */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"medical\",\"title\":\"t\","
             "\"csv\":\"phase,code,name,planned_minutes,team_type,team_count,predecessors,"
             "checklist\\nconvert,S1,清场,60,cleaning,,,\\n\"}",
             fid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 422);
    CHECK_STR(th_str(json_object_get(o, "error"), "field"), "role");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before); /* no manual, no audit row */
    /* one of its roles: created */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"resettlement\","
             "\"title\":\"t\",%s}",
             fid, steps);
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 201);
    CHECK_STR(th_str(o, "role"), "resettlement");
    json_decref(o);
    th_stop(&s);
}

/* Regression: a facility whose roles changed in peacetime (resettlement dropped) still had its
 * newest epidemic manual for resettlement, and a live conversion by it started: the facility
 * was converting for a role it does not have, counted nowhere in the overview (its isolation
 * rooms left convertible, no resettlement bed converting). Now the start is 422 invalid_value
 * (field scenario, or manual_id when one is given), nothing written; a drill of the manual still
 * runs (it leaves the facility alone), and a manual of a role it has still starts. */
TEST(dualuse_live_start_needs_the_manual_role)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[600], sql[300], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f WHERE f.type = 'hotel'"
                                   " AND f.state = 'peacetime' AND EXISTS (SELECT 1 FROM"
                                   " facility_roles r WHERE r.facility_id = f.id AND r.role ="
                                   " 'resettlement') AND EXISTS (SELECT 1 FROM facility_roles r"
                                   " WHERE r.facility_id = f.id AND r.role = 'isolation')");
    CHECK(fid > 0);
    /* a new epidemic version for resettlement, then resettlement dropped in peacetime */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"role\":\"resettlement\","
             "\"title\":\"t\",\"steps\":[{\"code\":\"S1\",\"name\":\"清场\",\"planned_minutes\":60,"
             "\"team_type\":\"cleaning\"}]}",
             fid);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 201);
    long long mid = th_int(o, "id");
    json_decref(o);
    snprintf(sql, sizeof sql,
             "DELETE FROM facility_roles WHERE facility_id = %lld AND role = 'resettlement'", fid);
    th_sql_exec(&s, sql);
    th_fingerprint(&s, before, sizeof before);
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"epidemic\"}", fid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/conversions", tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_str(json_object_get(o, "error"), "field"), "scenario");
    CHECK(strstr(th_str(json_object_get(o, "error"), "message"), "has no emergency role"));
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"manual_id\":%lld}", fid, mid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/conversions", tok, body, &o), 422);
    CHECK_STR(th_str(json_object_get(o, "error"), "field"), "manual_id");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM facilities WHERE id = %lld AND state = 'peacetime'", fid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* a drill of it runs; the isolation manual (an older version) starts live */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", fid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/conversions", tok, body, &o), 201);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT MAX(id) FROM manuals WHERE facility_id = %lld AND scenario = 'epidemic' AND"
             " role = 'isolation'",
             fid);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"manual_id\":%lld}", fid,
             th_sql_int(&s, sql));
    CHECK_INT(th_call(&s, "POST", "/api/v1/conversions", tok, body, &o), 201);
    CHECK_STR(th_str(o, "facility_state"), "converting");
    json_decref(o);
    th_stop(&s);
}

/* A step's checklist or predecessors past 50 entries is too long (422 too_long), as the same
 * limit met in a CSV manual is — it was wrong_type in JSON; a list that is no array stays
 * wrong_type. */
TEST(dualuse_manual_step_lists_past_their_limit_are_too_long)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "wanda", s.demo_pw, tok);
    long long fid = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    static char body[4096];
    int n = snprintf(body, sizeof body,
                     "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"isolation\","
                     "\"title\":\"t\",\"steps\":[{\"code\":\"S1\",\"name\":\"清场\","
                     "\"planned_minutes\":60,\"team_type\":\"cleaning\",\"checklist\":[",
                     fid);
    for (int i = 0; i < 51; i++)
        n += snprintf(body + n, sizeof body - n, "%s\"c%d\"", i ? "," : "", i);
    snprintf(body + n, sizeof body - n, "]}]}");
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "too_long");
    CHECK_STR(th_err_field(o), "steps[0].checklist");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"isolation\","
             "\"title\":\"t\",\"steps\":[{\"code\":\"S1\",\"name\":\"清场\","
             "\"planned_minutes\":60,\"team_type\":\"cleaning\",\"checklist\":\"c\"}]}",
             fid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "wrong_type");
    json_decref(o);
    th_stop(&s);
}
