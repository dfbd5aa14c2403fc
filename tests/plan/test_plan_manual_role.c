/* A plan converts each site by a manual for the plan's role: the capacity it counts is the
 * capacity the conversion gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

static json_t *call_ok(th_server *s, const char *tok, const char *method, const char *path,
                       const char *body, int want)
{
    json_t *o = NULL;
    int st = th_call(s, method, path, tok, body, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "%s %s: %d, expected %d (%s)", method, path, st, want,
               th_err_code(o) ? th_err_code(o) : "-");
    return o;
}

static long long overview_converting(json_t *ov, const char *role)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(ov, "roles"), i, e)
    {
        if (!strcmp(th_str(e, "role"), role))
            return (long long)json_number_value(json_object_get(e, "converting"));
    }
    return -1;
}

/* A village (1001, 100 people) and two hotels: A (1), near, with 200 resettlement beds and 50
 * isolation rooms, its disaster manual v1 (id 1) for resettlement and v2 (id 3, the newest) for
 * isolation; B (2), farther, resettlement only (manual 2). */
static void two_hotels(th_server *s)
{
    th_sql_exec(s, "INSERT INTO regions (id, parent_id, code, name, type, lat, lon, population,"
                   " created_at, updated_at) VALUES"
                   " (1000, NULL, 'T1', '测试镇', 'township', 40.0, 117.0, 100, 0, 0),"
                   " (1001, 1000, 'V1', '测试村', 'village', 40.0, 117.0, 100, 0, 0)");
    th_sql_exec(s, "INSERT INTO facilities (id, name, type, township_id, village_id, lat, lon,"
                   " peacetime_capacity, barrier_free_rooms, created_at, updated_at) VALUES"
                   " (1, 'A 近', 'hotel', 1000, 1001, 40.0, 117.01, 0, 0, 0, 0),"
                   " (2, 'B 远', 'hotel', 1000, 1001, 40.0, 117.05, 0, 0, 0, 0)");
    th_sql_exec(s, "INSERT INTO facility_roles (facility_id, role, unit, capacity) VALUES"
                   " (1, 'resettlement', 'beds', 200), (1, 'isolation', 'rooms', 50),"
                   " (2, 'resettlement', 'beds', 200)");
    th_sql_exec(s, "INSERT INTO manuals (id, facility_id, scenario, role, version, title,"
                   " created_at, created_by) VALUES"
                   " (1, 1, 'disaster', 'resettlement', 1, 'm', 0, 't'),"
                   " (2, 2, 'disaster', 'resettlement', 1, 'm', 0, 't'),"
                   " (3, 1, 'disaster', 'isolation', 2, 'm', 0, 't')");
    th_sql_exec(s, "INSERT INTO manual_steps (manual_id, phase, seq, code, name, planned_minutes,"
                   " team_type, team_count) VALUES"
                   " (1, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1),"
                   " (2, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1),"
                   " (3, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1)");
}

#define PLAN_R                                                                                     \
    "{\"name\":\"r\",\"scenario\":\"disaster\",\"role\":\"resettlement\","                         \
    "\"affected\":{\"village_ids\":[1001]},\"demand\":{\"share\":1},"                              \
    "\"vulnerable\":false,\"teams\":{\"cleaning\":2},\"time_limit_s\":1}"

/* Regression: the planner took each candidate's newest manual for the scenario whatever its
 * role (a manual's role is not part of its version key). A hotel with 200 resettlement beds
 * and 50 isolation rooms whose newest disaster manual converts it to isolation was planned as
 * a resettlement site by that manual; adopting the plan converted it to isolation, and the
 * overview showed 50 isolation rooms converting and no resettlement bed while the plan put its
 * people into the beds. Now the site is planned by its newest manual for the plan's role. */
TEST_T(plan_site_converted_by_a_manual_of_the_plan_role, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    json_t *e, *a = NULL;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(p, "result"), "sites"), i, e)
    {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT role = 'resettlement' FROM manuals WHERE id = %lld",
                 th_int(e, "manual_id"));
        CHECK_INT(th_sql_int(&s, sql), 1); /* every site by a manual of the plan's role */
        if (th_int(e, "facility_id") == 1) a = e;
    }
    CHECK(a != NULL); /* the near hotel, by its resettlement manual */
    if (a) CHECK_INT(th_int(a, "manual_id"), 1);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    json_decref(call_ok(&s, tok, "POST", path, "{}", 200));
    /* the overview counts what the plan converts: beds, not rooms */
    json_t *ov = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/overview?scenario=disaster", tok, NULL, &ov), 200);
    CHECK_INT(overview_converting(ov, "isolation"), 0);
    CHECK(overview_converting(ov, "resettlement") >= 200);
    json_decref(ov);
    th_stop(&s);
}

/* A site that has lost the plan's role since the plan was made has no capacity for its people:
 * adopting the plan is 409 facility_changed with the figures, nothing written (the site's
 * capacity is checked before its conversion starts, which would be refused for the role). */
TEST_T(plan_adopt_site_that_lost_the_role, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80], fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    json_t *e;
    size_t i;
    long long fid = 0;
    json_array_foreach(json_object_get(json_object_get(p, "result"), "sites"), i, e) fid =
        th_int(e, "facility_id");
    CHECK(fid > 0);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    char sql[160];
    snprintf(sql, sizeof sql,
             "DELETE FROM facility_roles WHERE facility_id = %lld AND role = 'resettlement'", fid);
    th_sql_exec(&s, sql);
    th_fingerprint(&s, fa, sizeof fa);
    json_t *o = call_ok(&s, tok, "POST", path, "{}", 409);
    CHECK_STR(th_err_code(o), "facility_changed");
    json_t *d = json_object_get(json_object_get(o, "error"), "details");
    CHECK_INT(th_int(d, "facility_id"), fid);
    CHECK_INT(th_int(d, "free"), 0);
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    th_stop(&s);
}

/* The same when the site has another role left: its capacity there is not the capacity of the
 * role the plan converts it into (here a site that keeps 500 medical beds once its resettlement
 * beds are gone was adopted with the medical beds counted, and its conversion started by the
 * resettlement manual for a role it no longer has). */
TEST_T(plan_adopt_site_that_lost_the_role_keeps_another, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80], sql[200], fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    json_t *e;
    size_t i;
    long long fid = 0;
    json_array_foreach(json_object_get(json_object_get(p, "result"), "sites"), i, e) fid =
        th_int(e, "facility_id");
    CHECK(fid > 0);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    snprintf(sql, sizeof sql,
             "INSERT INTO facility_roles (facility_id, role, unit, capacity) VALUES"
             " (%lld, 'medical', 'beds', 500)",
             fid);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "DELETE FROM facility_roles WHERE facility_id = %lld AND role = 'resettlement'", fid);
    th_sql_exec(&s, sql);
    th_fingerprint(&s, fa, sizeof fa);
    json_t *o = call_ok(&s, tok, "POST", path, "{}", 409);
    CHECK_STR(th_err_code(o), "facility_changed");
    json_t *d = json_object_get(json_object_get(o, "error"), "details");
    CHECK_INT(th_int(d, "facility_id"), fid);
    CHECK_INT(th_int(d, "free"), 0);
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversions"), 0);
    th_stop(&s);
}

/* Regression: adopting a plan started the conversion of a site by the manual the plan was made
 * with even when a newer version of the facility's manual for the scenario and role was saved
 * since (here one with a longer critical path): the site ran a superseded manual, with the
 * plan's ready time, made for the old one, as its deadline. Now adopting is 409
 * facility_changed (reason manual_changed) naming the site, nothing written; planned again,
 * the plan takes the new version and adopting it starts the conversion by it. */
TEST_T(plan_adopt_refuses_a_superseded_manual, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80], sql[200], body[600], fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    th_sql_exec(&s, "INSERT OR IGNORE INTO team_types (code, name)"
                    " VALUES ('cleaning', '保洁')");
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    json_t *site = json_array_get(json_object_get(json_object_get(p, "result"), "sites"), 0);
    long long fid = th_int(site, "facility_id"), mid = th_int(site, "manual_id");
    CHECK(fid > 0 && mid > 0);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    /* version 2 of the same facility, scenario and role: two steps one after the other */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"disaster\",\"role\":\"resettlement\","
             "\"title\":\"v2\",\"steps\":[{\"code\":\"c1\",\"name\":\"清洁\","
             "\"planned_minutes\":60,\"team_type\":\"cleaning\"},{\"code\":\"c2\","
             "\"name\":\"布置床位\",\"planned_minutes\":120,\"team_type\":\"cleaning\","
             "\"predecessors\":[\"c1\"]}]}",
             fid);
    json_t *m = call_ok(&s, tok, "POST", "/api/v1/manuals", body, 201);
    long long m2 = th_int(m, "id");
    json_decref(m);
    CHECK(m2 > 0 && m2 != mid);
    th_fingerprint(&s, fa, sizeof fa);
    json_t *o = call_ok(&s, tok, "POST", path, "{}", 409);
    CHECK_STR(th_err_code(o), "facility_changed");
    json_t *d = json_object_get(json_object_get(o, "error"), "details");
    CHECK_INT(th_int(d, "facility_id"), fid);
    CHECK_STR(th_str(d, "reason"), "manual_changed");
    CHECK_INT(th_int(d, "manual_id"), mid);
    CHECK_INT(th_int(d, "newest_manual_id"), m2);
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa); /* nothing written: no conversion by the old manual */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversions"), 0);
    /* planned again: by the new version, which adopting starts */
    p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    site = json_array_get(json_object_get(json_object_get(p, "result"), "sites"), 0);
    CHECK_INT(th_int(site, "facility_id"), fid);
    CHECK_INT(th_int(site, "manual_id"), m2);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    json_decref(call_ok(&s, tok, "POST", path, "{}", 200));
    snprintf(sql, sizeof sql, "SELECT manual_id FROM conversions WHERE facility_id = %lld", fid);
    CHECK_INT(th_sql_int(&s, sql), m2);
    th_stop(&s);
}

/* Regression: the convert_start audit row of a conversion started by adopting a plan was written
 * before the conversion was linked to the plan and given the plan's schedule: the audit trail
 * showed it with plan_id null and no planned times. Now the row (one per conversion) names the
 * plan and carries the steps' planned start and end; a conversion started by hand keeps its
 * row with plan_id null. */
TEST_T(plan_adopt_audits_the_start_with_the_plan, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    long long pid = th_int(p, "id");
    size_t nsites = json_array_size(json_object_get(json_object_get(p, "result"), "sites"));
    CHECK(nsites > 0);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", pid);
    json_decref(p);
    json_decref(call_ok(&s, tok, "POST", path, "{}", 200));
    json_t *o = call_ok(&s, tok, "GET", "/api/v1/audit?entity=conversion&limit=50", NULL, 200);
    json_t *row, *items = json_object_get(o, "items");
    size_t i, starts = 0;
    json_array_foreach(items, i, row)
    {
        if (strcmp(th_str(row, "action"), "convert_start")) continue;
        starts++;
        json_t *a = json_object_get(row, "after");
        CHECK_INT(th_int(a, "plan_id"), pid);
        json_t *st0 = json_array_get(json_object_get(a, "steps"), 0);
        CHECK(json_is_integer(json_object_get(st0, "planned_start_min")));
        CHECK(json_is_integer(json_object_get(st0, "planned_end_min")));
        CHECK(json_is_integer(json_object_get(a, "plan_ready_minutes")));
    }
    CHECK_INT((long long)starts, (long long)nsites); /* one row per conversion */
    json_decref(o);
    /* by hand: the other hotel, its row without a plan */
    th_sql_exec(&s, "UPDATE facilities SET state = 'peacetime' WHERE id NOT IN (SELECT"
                    " facility_id FROM conversions)");
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE id NOT IN (SELECT"
                                     " facility_id FROM conversions)");
    CHECK(other > 0);
    char body[160];
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"disaster\"}", other);
    json_t *cv = call_ok(&s, tok, "POST", "/api/v1/conversions", body, 201);
    long long cid = th_int(cv, "id");
    json_decref(cv);
    o = call_ok(&s, tok, "GET", "/api/v1/audit?entity=conversion&limit=50", NULL, 200);
    starts = 0;
    json_array_foreach(json_object_get(o, "items"), i, row)
    {
        if (strcmp(th_str(row, "action"), "convert_start") || th_int(row, "entity_id") != cid)
            continue;
        starts++;
        CHECK(json_is_null(json_object_get(json_object_get(row, "after"), "plan_id")));
    }
    CHECK_INT((long long)starts, 1);
    json_decref(o);
    th_stop(&s);
}

/* Regression: the teams a plan is given were taken as free from minute 0 even while the
 * conversions of an earlier adopted plan still had steps to do needing teams of those types:
 * the officer could double-book them without a word. Now a draft names, per team type it is
 * given, the conversions under way whose steps not done need such teams and how many
 * (`teams_busy`), as it is now: gone once those steps are done. */
TEST_T(plan_draft_names_the_teams_conversions_under_way_need, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    long long p1 = th_int(p, "id");
    CHECK_INT((long long)json_array_size(json_object_get(p, "teams_busy")), 0); /* none under way */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", p1);
    json_decref(p);
    json_t *ad = call_ok(&s, tok, "POST", path, "{}", 200);
    long long conv = th_int(json_array_get(json_object_get(ad, "conversions"), 0), "conversion_id");
    long long fid = th_int(json_array_get(json_object_get(ad, "conversions"), 0), "facility_id");
    CHECK_INT((long long)json_array_size(json_object_get(ad, "teams_busy")), 0); /* adopted */
    json_decref(ad);
    CHECK(conv > 0);
    /* the same people again, the first plan's site converting: a draft on the other hotel,
     * given the 2 cleaning teams, one of which the first plan's conversion still needs */
    p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    long long p2 = th_int(p, "id");
    json_t *busy = json_object_get(p, "teams_busy");
    CHECK_INT((long long)json_array_size(busy), 1);
    json_t *b = json_array_get(busy, 0);
    CHECK_STR(th_str(b, "team_type"), "cleaning");
    CHECK_INT(th_int(b, "given"), 2);
    CHECK_INT(th_int(b, "needed"), 1);
    json_t *bc = json_array_get(json_object_get(b, "conversions"), 0);
    CHECK_INT(th_int(bc, "conversion_id"), conv);
    CHECK_INT(th_int(bc, "facility_id"), fid);
    CHECK_INT(th_int(bc, "plan_id"), p1);
    CHECK_STR(th_str(bc, "state"), "converting");
    CHECK_INT(th_int(bc, "steps"), 1);
    CHECK_INT(th_int(bc, "teams"), 1);
    json_decref(p);
    /* the first plan's step done: its conversion needs no team any more */
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET status = 'done', started_at = 1, finished_at = 2"
             " WHERE conversion_id = %lld",
             conv);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", p2);
    p = call_ok(&s, tok, "GET", path, NULL, 200);
    CHECK_INT((long long)json_array_size(json_object_get(p, "teams_busy")), 0);
    json_decref(p);
    th_stop(&s);
}

/* Regression: the teams an adopted plan's conversions need were summed conversion by
 * conversion, though its schedule kept them within the teams the plan was given: 21
 * conversions of a plan given 12 cleaning teams read "up to 126 needed". Here the first plan,
 * given 1 cleaning team, converts both hotels (1 team each): the draft on a third hotel reads
 * needed 1, not 2 — and 2 once a conversion started by hand needs one more. */
TEST_T(plan_teams_busy_counts_an_adopted_plan_within_its_teams, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    th_sql_exec(&s, "UPDATE facility_roles SET capacity = 60 WHERE role = 'resettlement'");
    th_sql_exec(&s, "INSERT INTO facilities (id, name, type, township_id, village_id, lat, lon,"
                    " peacetime_capacity, barrier_free_rooms, created_at, updated_at) VALUES"
                    " (3, 'C 更远', 'hotel', 1000, 1001, 40.0, 117.09, 0, 0, 0, 0),"
                    " (4, 'D 手动', 'hotel', 1000, 1001, 40.0, 117.2, 0, 0, 0, 0)");
    th_sql_exec(&s, "INSERT INTO facility_roles (facility_id, role, unit, capacity) VALUES"
                    " (3, 'resettlement', 'beds', 200), (4, 'resettlement', 'beds', 10)");
    th_sql_exec(&s, "INSERT INTO manuals (id, facility_id, scenario, role, version, title,"
                    " created_at, created_by) VALUES"
                    " (4, 3, 'disaster', 'resettlement', 1, 'm', 0, 't'),"
                    " (5, 4, 'disaster', 'resettlement', 1, 'm', 0, 't')");
    th_sql_exec(&s, "INSERT INTO manual_steps (manual_id, phase, seq, code, name, planned_minutes,"
                    " team_type, team_count) VALUES"
                    " (4, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1),"
                    " (5, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1)");
    /* C and D far dearer than A and B: the first plan takes A and B (60 + 60 for 100) */
    th_sql_exec(&s, "UPDATE facilities SET lat = 40.3 WHERE id IN (3, 4)");
    static const char *const one =
        "{\"name\":\"r\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
        "\"affected\":{\"village_ids\":[1001]},\"demand\":{\"share\":1},\"max_distance_km\":80,"
        "\"single_source\":false,"
        "\"vulnerable\":false,\"teams\":{\"cleaning\":1},\"time_limit_s\":1}";
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", one, 201);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    json_t *ad = call_ok(&s, tok, "POST", path, "{}", 200);
    CHECK_INT((long long)json_array_size(json_object_get(ad, "conversions")), 2);
    json_decref(ad);
    static const char *const three =
        "{\"name\":\"r\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
        "\"affected\":{\"village_ids\":[1001]},\"demand\":{\"share\":0.5},\"max_distance_km\":80,"
        "\"vulnerable\":false,\"teams\":{\"cleaning\":3},\"time_limit_s\":1}";
    p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", three, 201);
    json_t *b = json_array_get(json_object_get(p, "teams_busy"), 0);
    CHECK_STR(th_str(b, "team_type"), "cleaning");
    CHECK_INT((long long)json_array_size(json_object_get(b, "conversions")), 2);
    CHECK_INT(th_int(b, "needed"), 1);
    json_decref(p);
    /* a conversion started by hand counts its own */
    json_decref(call_ok(&s, tok, "POST", "/api/v1/conversions",
                        "{\"facility_id\":4,\"scenario\":\"disaster\",\"mode\":\"live\"}", 201));
    p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", three, 201);
    b = json_array_get(json_object_get(p, "teams_busy"), 0);
    CHECK_INT((long long)json_array_size(json_object_get(b, "conversions")), 3);
    CHECK_INT(th_int(b, "needed"), 2);
    json_decref(p);
    th_stop(&s);
}

/* Regression: with no candidate left, the answer named the wrong cause: sites all full (or of
 * no capacity for the role) were "no peacetime facility with the resettlement role has a
 * manual for disaster" at `scenario`, and manuals without conversion steps were "no candidate
 * converts within 0 hours" at `deadline_hours`, which the request did not give. */
TEST_T(plan_no_candidates_names_full_sites_and_manuals_without_steps, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    long long audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    th_sql_exec(&s, "UPDATE facility_roles SET capacity = 0 WHERE role = 'resettlement'");
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/plans", tok, PLAN_R, &o), 422);
    CHECK_STR(th_err_code(o), "no_candidates");
    CHECK_STR(th_err_field(o), "role");
    CHECK(strstr(th_err_message(o), "is full or has no resettlement capacity") != NULL);
    json_decref(o);
    th_sql_exec(&s, "UPDATE facility_roles SET capacity = 200 WHERE role = 'resettlement'");
    th_sql_exec(&s, "DELETE FROM manual_steps WHERE manual_id IN (1, 2)");
    o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/plans", tok, PLAN_R, &o), 422);
    CHECK_STR(th_err_code(o), "no_candidates");
    CHECK_STR(th_err_field(o), "scenario");
    CHECK(strstr(th_err_message(o), "has conversion steps to schedule") != NULL);
    json_decref(o);
    /* nothing written */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM plans"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audits);
    th_stop(&s);
}

/* Regression: the refusal's `details.conversions` summed each team type's conversions, so one
 * conversion that still needs cleaning and security teams counted twice ("conversions": 2 for
 * one conversion under way). It counts each conversion once. */
TEST_T(plan_adopt_teams_busy_counts_each_conversion_once, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    th_sql_exec(&s, "INSERT INTO manual_steps (manual_id, phase, seq, code, name, planned_minutes,"
                    " team_type, team_count) VALUES"
                    " (1, 'convert', 2, 'c2', '安保', 60, 'security', 1),"
                    " (2, 'convert', 2, 'c2', '安保', 60, 'security', 1)");
    static const char *const req =
        "{\"name\":\"r\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
        "\"affected\":{\"village_ids\":[1001]},\"demand\":{\"share\":1},"
        "\"vulnerable\":false,\"teams\":{\"cleaning\":2,\"security\":2},\"time_limit_s\":1}";
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", req, 201);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    json_decref(call_ok(&s, tok, "POST", path, "{}", 200));
    p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", req, 201);
    CHECK_INT((long long)json_array_size(json_object_get(p, "teams_busy")), 2);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", path, tok, "{}", &o), 409);
    CHECK_STR(th_err_code(o), "teams_busy");
    json_t *det = json_object_get(json_object_get(o, "error"), "details");
    CHECK_STR(th_str(det, "team_types"), "cleaning,security");
    CHECK_INT(th_int(det, "conversions"), 1);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a draft named as busy every team type its request gave that conversions under way
 * need, also a type no step of its own schedule needs, and adopting it then wanted a
 * confirmation for nothing. Here the second plan's hotel converts with security teams alone,
 * while the first plan's conversion still needs a cleaning team: the draft has no teams_busy
 * and is adopted without confirm. The result says the types its schedule uses
 * (`schedule.teams_used`). */
TEST_T(plan_teams_busy_only_of_types_its_schedule_uses, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    th_sql_exec(&s, "UPDATE manual_steps SET team_type = 'security' WHERE manual_id = 2");
    static const char *const req =
        "{\"name\":\"r\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
        "\"affected\":{\"village_ids\":[1001]},\"demand\":{\"share\":1},"
        "\"vulnerable\":false,\"teams\":{\"cleaning\":2,\"security\":1},\"time_limit_s\":1}";
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", req, 201);
    json_t *used =
        json_object_get(json_object_get(json_object_get(p, "result"), "schedule"), "teams_used");
    CHECK_INT((long long)json_array_size(used), 1);
    CHECK_STR(json_string_value(json_array_get(used, 0)), "cleaning"); /* hotel A's manual */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    json_decref(call_ok(&s, tok, "POST", path, "{}", 200));
    /* the second plan on hotel B: security teams only, the cleaning teams busy elsewhere */
    p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", req, 201);
    long long p2 = th_int(p, "id");
    json_t *site = json_array_get(json_object_get(json_object_get(p, "result"), "sites"), 0);
    CHECK_INT(th_int(site, "facility_id"), 2);
    used = json_object_get(json_object_get(json_object_get(p, "result"), "schedule"), "teams_used");
    CHECK_INT((long long)json_array_size(used), 1);
    CHECK_STR(json_string_value(json_array_get(used, 0)), "security");
    CHECK_INT((long long)json_array_size(json_object_get(p, "teams_busy")), 0);
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", p2);
    p = call_ok(&s, tok, "GET", path, NULL, 200);
    CHECK_INT((long long)json_array_size(json_object_get(p, "teams_busy")), 0);
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", p2);
    json_t *ad = call_ok(&s, tok, "POST", path, "{}", 200);
    CHECK_STR(th_str(ad, "status"), "adopted");
    json_decref(ad);
    th_stop(&s);
}

/* Regression: a second plan given the teams the first plan's conversions still needed was
 * adopted without a word (its schedule taking them as free, its ready times then the
 * conversions' deadlines), and once adopted its `teams_busy` was [] (computed for drafts only):
 * the warning was gone. Now adopting a plan whose teams are at work elsewhere is 409
 * `teams_busy` (field confirm) naming the team types and counts, nothing written, unless the
 * request confirms it; the adopted plan keeps what was busy at its adoption, also once those
 * steps are done, and the adoption's audit row names it. */
TEST_T(plan_adopt_with_teams_at_work_elsewhere_needs_confirm, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[80];
    th_login(&s, "admin", s.admin_pw, tok);
    two_hotels(&s);
    json_t *p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    json_decref(p);
    json_t *ad = call_ok(&s, tok, "POST", path, "{}", 200);
    long long conv = th_int(json_array_get(json_object_get(ad, "conversions"), 0), "conversion_id");
    json_decref(ad);
    /* the second plan, on the other hotel, given the 2 cleaning teams one of which the first
     * plan's conversion still needs */
    p = call_ok(&s, tok, "POST", "/api/v1/plans?wait=1", PLAN_R, 201);
    long long p2 = th_int(p, "id");
    CHECK_INT((long long)json_array_size(json_object_get(p, "teams_busy")), 1);
    json_decref(p);
    long long convs = th_sql_int(&s, "SELECT COUNT(*) FROM conversions");
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", p2);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", path, tok, "{}", &o), 409);
    CHECK_STR(th_err_code(o), "teams_busy");
    CHECK_STR(th_err_field(o), "confirm");
    CHECK(strstr(th_err_message(o), "cleaning: 2 given") != NULL);
    CHECK(strstr(th_err_message(o), "still need up to 1") != NULL);
    json_t *det = json_object_get(json_object_get(o, "error"), "details");
    CHECK_STR(th_str(det, "team_types"), "cleaning");
    CHECK_INT(th_int(det, "conversions"), 1);
    json_decref(o);
    o = NULL; /* no body, and "confirm": false alike */
    CHECK_INT(th_call(&s, "POST", path, tok, NULL, &o), 409);
    json_decref(o);
    o = NULL;
    CHECK_INT(th_call(&s, "POST", path, tok, "{\"confirm\":false}", &o), 409);
    CHECK_STR(th_err_code(o), "teams_busy");
    json_decref(o);
    o = NULL;
    CHECK_INT(th_call(&s, "POST", path, tok, "{\"confirm\":1}", &o), 422);
    json_decref(o);
    /* nothing written */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversions"), convs);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", p2);
    p = call_ok(&s, tok, "GET", path, NULL, 200);
    CHECK_STR(th_str(p, "status"), "draft");
    json_decref(p);
    /* confirmed: adopted, and what was busy is kept on the plan */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", p2);
    ad = call_ok(&s, tok, "POST", path, "{\"confirm\":true}", 200);
    CHECK_STR(th_str(ad, "status"), "adopted");
    json_t *b = json_array_get(json_object_get(ad, "teams_busy"), 0);
    CHECK_STR(th_str(b, "team_type"), "cleaning");
    CHECK_INT(th_int(b, "given"), 2);
    CHECK_INT(th_int(b, "needed"), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(b, "conversions"), 0), "conversion_id"), conv);
    json_decref(ad);
    /* the first plan's step done since: the adopted plan still says what was busy then */
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE conversion_steps SET status = 'done', started_at = 1, finished_at = 2"
             " WHERE conversion_id = %lld",
             conv);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", p2);
    p = call_ok(&s, tok, "GET", path, NULL, 200);
    b = json_array_get(json_object_get(p, "teams_busy"), 0);
    CHECK_STR(th_str(b, "team_type"), "cleaning");
    CHECK_INT(th_int(b, "needed"), 1);
    json_decref(p);
    /* the adoption's audit row names the teams busy the adopter confirmed */
    snprintf(path, sizeof path, "/api/v1/audit?entity=plan&entity_id=%lld&limit=10", p2);
    o = call_ok(&s, tok, "GET", path, NULL, 200);
    json_t *row;
    size_t i;
    int seen = 0;
    json_array_foreach(json_object_get(o, "items"), i, row)
    {
        if (strcmp(th_str(row, "action"), "adopt")) continue;
        seen++;
        json_t *tb = json_object_get(json_object_get(row, "after"), "teams_busy");
        CHECK_STR(th_str(json_array_get(tb, 0), "team_type"), "cleaning");
    }
    CHECK_INT((long long)seen, 1);
    json_decref(o);
    th_stop(&s);
}
