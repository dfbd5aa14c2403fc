/* Agri-tech over the API: the seed's figures from the demo, output growth computed from the
 * indicators, the milestone rule, scope by role, bad input writing nothing. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "logistics/rec_fixture.h"

static json_t *obj(json_t *o, const char *k)
{
    return json_object_get(o, k);
}
static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

TEST_T(agri_demo_holds_the_seed, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *k = CALL(&s, "GET", tok, "/api/v1/agri/kpi", NULL, 200);
    CHECK_INT(th_int(k, "doctor_farms"), 117);
    CHECK_INT(th_int(k, "postdoc_stations"), 13);
    CHECK_INT(th_int(obj(k, "experts"), "academicians"), 13);
    CHECK_INT(th_int(obj(k, "experts"), "doctors"), 411);
    CHECK_INT(th_int(obj(k, "labs"), "national_key_lab"), 2);
    CHECK_INT(th_int(obj(k, "labs"), "innovation_port"), 1);
    /* the station farms are food reserves in the registry (藏粮于地) */
    CHECK_INT(th_int(obj(k, "food_reserve"), "farms"), 13);
    CHECK(num(obj(k, "food_reserve"), "t") > 0);
    /* … with stock the planner's supply flows draw on */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(DISTINCT l.facility_id) FROM stock_lines l JOIN"
                             " ag_farms f ON f.facility_id = l.facility_id JOIN facility_roles r"
                             " ON r.facility_id = f.facility_id AND r.role = 'supply_store'"),
              13);
    /* output 2023: 39.4 亿元, +13.6 % (39.4 / 34.68 = 1.1361), first in Beijing */
    json_t *lat = obj(obj(k, "output"), "latest");
    CHECK_INT(th_int(lat, "year"), 2023);
    CHECK_NEAR(num(lat, "value"), 39.4, 1e-9);
    /* full precision, as years[].growth_pct; the rounded figure beside it */
    CHECK_NEAR(num(lat, "growth_pct"), (39.4 / 34.68 - 1) * 100, 1e-6);
    CHECK(fabs(num(lat, "growth_pct") - 13.6) > 1e-3);
    CHECK_NEAR(num(lat, "growth_pct_rounded"), 13.6, 1e-9);
    CHECK_INT(th_int(lat, "growth_rank"), 1);
    CHECK_INT(th_int(lat, "growth_rank_of"), 16);
    json_decref(k);
    /* the list agrees with the KPIs, through its filter */
    CHECK_INT(rec_count(CALL(&s, "GET", tok, "/api/v1/agri/farms?postdoc_station=true&limit=500",
                             NULL, 200)),
              13);
    CHECK_INT(rec_count(CALL(&s, "GET", tok, "/api/v1/agri/experts?title=academician&limit=500",
                             NULL, 200)),
              13);
    json_t *labs = CALL(&s, "GET", tok, "/api/v1/agri/labs?kind=national_key_lab", NULL, 200);
    json_t *items = obj(labs, "items");
    CHECK_INT(json_array_size(items), 2);
    for (size_t i = 0; i < 2; i++) {
        CHECK_STR(th_str(json_array_get(items, i), "source"), "seed");
        CHECK(th_int(json_array_get(items, i), "organisation_id") > 0);
    }
    json_decref(labs);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ag_farms WHERE source <> 'synthetic'"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ag_experts WHERE source <> 'synthetic'"), 0);
    th_stop(&s);
}

TEST_T(agri_output_growth_is_computed, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    /* a new year through the indicators: 44.0 after 39.4 is +11.675… % → 11.7 */
    json_decref(CALL(&s, "POST", tok, "/api/v1/indicators/values",
                     "{\"code\":\"agri_output\",\"period\":\"2024\",\"value\":44.0,"
                     "\"source\":\"test\"}",
                     201));
    json_t *o = CALL(&s, "GET", tok, "/api/v1/agri/output", NULL, 200);
    json_t *years = obj(o, "years");
    CHECK_INT(json_array_size(years), 3);
    json_t *y24 = json_array_get(years, 2);
    CHECK_INT(th_int(y24, "year"), 2024);
    CHECK_NEAR(num(y24, "growth_pct"), (44.0 / 39.4 - 1) * 100, 1e-6);
    CHECK_NEAR(num(y24, "growth_pct_rounded"), 11.7, 1e-9);
    CHECK(json_is_null(obj(json_array_get(years, 0), "growth_pct"))); /* no 2021 */
    CHECK_NEAR(num(obj(o, "latest"), "growth_pct"), num(y24, "growth_pct"), 1e-12);
    CHECK_NEAR(num(obj(o, "latest"), "growth_pct_rounded"), 11.7, 1e-9);
    json_decref(o);
    REFUSED(&s, "GET", tok, "/api/v1/agri/output?year=2024", NULL, 400, "unknown_parameter");
    th_stop(&s);
}

static void today(char out[11])
{
    time_t now =
        time(NULL) + PJ_LOCAL_OFFSET_S; /* the district's date (Beijing), as the server's */
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* 1 when the date the server answered is the district's today, read before the request (d)
 * or now: Beijing's midnight may pass between the two */
static int is_today(const char *got, const char *d)
{
    char now[11];
    today(now);
    return got && (!strcmp(got, d) || !strcmp(got, now));
}

TEST_T(agri_milestone_state_and_done_agree, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], d[11];
    th_login(&s, "officer", s.demo_pw, tok);
    today(d);
    json_t *p = CALL(&s, "POST", tok, "/api/v1/agri/projects", "{\"name\":\"种业创新项目\"}", 201);
    long long pid = th_int(p, "id");
    CHECK_STR(th_str(p, "state"), "planned");
    json_decref(p);
    char body[256];
    snprintf(body, sizeof body, "{\"project_id\":%lld,\"name\":\"立项\",\"due\":\"2020-06-30\"}",
             pid);
    json_t *m = CALL(&s, "POST", tok, "/api/v1/agri/milestones", body, 201);
    long long mid = th_int(m, "id");
    CHECK_STR(th_str(m, "state"), "open");
    CHECK(json_is_true(obj(m, "overdue")));
    json_decref(m);
    snprintf(path, sizeof path, "/api/v1/agri/milestones/%lld", mid);
    /* done in the future, done with another state, state done without a date: refused */
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"done\":\"2999-01-01\"}", 422,
            "invalid_value");
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"done\":\"2020-06-01\",\"state\":\"open\"}",
            422, "invalid_value");
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"done\",\"done\":null}", 422,
            "missing_field");
    snprintf(body, sizeof body, "{\"version\":1,\"project_id\":%lld}", pid);
    REFUSED(&s, "PATCH", tok, path, body, 422, "read_only");
    /* state done takes today */
    m = CALL(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"done\"}", 200);
    CHECK(is_today(th_str(m, "done"), d));
    CHECK(json_is_false(obj(m, "overdue")));
    json_decref(m);
    /* clearing the date reopens it */
    m = CALL(&s, "PATCH", tok, path, "{\"version\":2,\"done\":null}", 200);
    CHECK_STR(th_str(m, "state"), "open");
    json_decref(m);
    /* a done date marks it done */
    m = CALL(&s, "PATCH", tok, path, "{\"version\":3,\"done\":\"2020-06-20\"}", 200);
    CHECK_STR(th_str(m, "state"), "done");
    json_decref(m);
    /* cancelling clears the date */
    m = CALL(&s, "PATCH", tok, path, "{\"version\":4,\"state\":\"cancelled\"}", 200);
    CHECK(json_is_null(obj(m, "done")));
    json_decref(m);
    /* the project counts them */
    snprintf(path, sizeof path, "/api/v1/agri/projects/%lld", pid);
    p = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_INT(th_int(p, "milestones"), 1);
    CHECK_INT(th_int(p, "milestones_done"), 0);
    json_decref(p);
    /* a project with milestones cannot go; the milestone can, then the project */
    REFUSED(&s, "DELETE", tok, path, NULL, 409, "in_use");
    char mpath[96];
    snprintf(mpath, sizeof mpath, "/api/v1/agri/milestones/%lld", mid);
    json_decref(CALL(&s, "DELETE", tok, mpath, NULL, 204));
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 204));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity IN ('ag_project',"
                             " 'ag_milestone')"),
              8);
    th_stop(&s);
}

TEST_T(agri_scope_by_role, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], off[80], view[80], town[80], path[96], body[256];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    /* an enterprise sees none of the demo's farms (none is theirs) until it adds its own */
    CHECK_INT(rec_count(CALL(&s, "GET", jd, "/api/v1/agri/farms", NULL, 200)), 0);
    CHECK_INT(rec_count(CALL(&s, "GET", view, "/api/v1/agri/farms?limit=500", NULL, 200)), 117);
    json_t *f = CALL(&s, "POST", jd, "/api/v1/agri/farms",
                     "{\"name\":\"京东博士农场\",\"area_mu\":120,\"postdoc_station\":true}", 201);
    CHECK_INT(th_int(f, "organisation_id"), jd_org);
    long long farm = th_int(f, "id");
    json_decref(f);
    json_t *l = CALL(&s, "GET", jd, "/api/v1/agri/farms", NULL, 200);
    CHECK_INT(json_array_size(obj(l, "items")), 1);
    CHECK_INT(th_int(json_array_get(obj(l, "items"), 0), "id"), farm);
    json_decref(l);
    /* experts of its farm, yes; of another farm, no */
    snprintf(body, sizeof body, "{\"name\":\"张博士\",\"title\":\"doctor\",\"farm_id\":%lld}",
             farm);
    json_decref(CALL(&s, "POST", jd, "/api/v1/agri/experts", body, 201));
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM ag_farms");
    snprintf(body, sizeof body, "{\"name\":\"李博士\",\"title\":\"doctor\",\"farm_id\":%lld}",
             other);
    /* another's farm is as unknown as a missing one (its GET is 404) */
    REFUSED(&s, "POST", jd, "/api/v1/agri/experts", body, 422, "unknown_id");
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", other);
    REFUSED(&s, "GET", jd, path, NULL, 404, "not_found");
    REFUSED(&s, "PATCH", jd, path, "{\"version\":1,\"area_mu\":1}", 404, NULL);
    /* labs and results are public, and not an enterprise's to write */
    CHECK_INT(rec_count(CALL(&s, "GET", jd, "/api/v1/agri/labs", NULL, 200)), 4);
    REFUSED(&s, "POST", jd, "/api/v1/agri/results",
            "{\"title\":\"x\",\"kind\":\"variety\",\"year\":2024}", 403, "forbidden");
    REFUSED(&s, "POST", jd, "/api/v1/agri/labs", "{\"name\":\"x\",\"kind\":\"other\"}", 403,
            "forbidden");
    /* a viewer reads only */
    REFUSED(&s, "POST", view, "/api/v1/agri/farms", "{\"name\":\"x\"}", 403, NULL);
    /* a township officer: farms of their township */
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", other);
    REFUSED(&s, "PATCH", town, path, "{\"version\":1,\"area_mu\":1}", 403, "forbidden");
    snprintf(body, sizeof body, "{\"name\":\"金海湖博士农场\",\"township_id\":%lld}", jhh);
    json_decref(CALL(&s, "POST", town, "/api/v1/agri/farms", body, 201));
    REFUSED(&s, "POST", town, "/api/v1/agri/results",
            "{\"title\":\"x\",\"kind\":\"variety\",\"year\":2024}", 403, "forbidden");
    /* the officer sees every farm */
    CHECK_INT(rec_count(CALL(&s, "GET", off, "/api/v1/agri/farms?limit=500", NULL, 200)), 119);
    th_stop(&s);
}

TEST_T(agri_bad_input_writes_nothing, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], body[256], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    long long farm = th_sql_int(&s, "SELECT MIN(id) FROM ag_farms");
    long long result = th_sql_int(&s, "SELECT MIN(result_id) FROM ag_transfers");
    long long tfarm =
        rec_sql1(&s, "SELECT MIN(farm_id) FROM ag_transfers WHERE result_id = %lld", result);
    static const struct {
        const char *path, *body;
        int status;
        const char *code;
    } bad[] = {
        {"/api/v1/agri/labs", "{\"name\":\"x\"}", 422, "missing_field"},
        {"/api/v1/agri/labs", "{\"name\":\"x\",\"kind\":\"castle\"}", 422, NULL},
        {"/api/v1/agri/labs", "{\"name\":\"蔬菜生物育种全国重点实验室\",\"kind\":\"other\"}", 409,
         "conflict"},
        {"/api/v1/agri/projects", "{\"name\":\"x\",\"budget_fen\":-1}", 422, NULL},
        {"/api/v1/agri/projects", "{\"name\":\"x\",\"lab_id\":999999}", 422, "unknown_id"},
        {"/api/v1/agri/projects", "{\"name\":\"x\",\"start_date\":\"2024-6-1\"}", 422, NULL},
        {"/api/v1/agri/milestones", "{\"project_id\":999999,\"name\":\"x\",\"due\":\"2024-01-01\"}",
         422, "unknown_id"},
        {"/api/v1/agri/farms", "{\"name\":\"x\",\"area_mu\":\"many\"}", 422, NULL},
        {"/api/v1/agri/farms", "{\"name\":\"x\",\"postdoc_station\":\"yes\"}", 422, NULL},
        {"/api/v1/agri/farms", "{\"name\":\"x\",\"facility_id\":999999}", 422, "unknown_id"},
        {"/api/v1/agri/experts", "{\"name\":\"x\",\"title\":\"doctor\"}", 422, "missing_field"},
        {"/api/v1/agri/experts", "{\"name\":\"x\",\"title\":\"professor\",\"lab_id\":1}", 422,
         NULL},
        {"/api/v1/agri/sections", "{\"cluster\":\"c\",\"name\":\"n\",\"area_m2\":0}", 422, NULL},
        {"/api/v1/agri/sections", "{\"cluster\":\"c\",\"name\":\"n\"}", 422, "missing_field"},
        {"/api/v1/agri/results", "{\"title\":\"x\",\"kind\":\"variety\",\"year\":1800}", 422, NULL},
        {"/api/v1/agri/transfers", "{\"result_id\":1,\"farm_id\":1,\"date\":\"2999-01-01\"}", 422,
         "invalid_value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        REFUSED(&s, "POST", tok, bad[i].path, bad[i].body, bad[i].status, bad[i].code);
    /* one transfer per result and farm */
    snprintf(body, sizeof body, "{\"result_id\":%lld,\"farm_id\":%lld,\"date\":\"2024-01-01\"}",
             result, tfarm);
    REFUSED(&s, "POST", tok, "/api/v1/agri/transfers", body, 409, "conflict");
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", farm);
    REFUSED(&s, "PATCH", tok, path, "{\"version\":99,\"area_mu\":5}", 409, "version_conflict");
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"name\":\"\"}", 422, NULL);
    REFUSED(&s, "DELETE", tok, path, NULL, 409, "in_use"); /* it has experts */
    static const char *const qs[] = {"/api/v1/agri/farms?postdoc_station=1",
                                     "/api/v1/agri/experts?title=professor",
                                     "/api/v1/agri/milestones?from=2024",
                                     "/api/v1/agri/results?year=abc",
                                     "/api/v1/agri/kpi?x=1",
                                     "/api/v1/agri/labs?cursor=-1"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        REFUSED(&s, "GET", tok, qs[i], NULL, 400, NULL);
    th_stop(&s);
}

/* A registry facility is one farm's food reserve: a second link is refused (409 on facility_id,
 * nothing written) and the reserve totals count each facility once. */
TEST_T(agri_facility_is_one_farms, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], path[96], body[256];
    th_login(&s, "officer", s.demo_pw, tok);
    static const char *const sum_t =
        "SELECT SUM(capacity) FROM facility_roles WHERE role = 'supply_store' AND unit = 't' AND"
        " facility_id IN (SELECT facility_id FROM ag_farms)";
    json_t *k = CALL(&s, "GET", tok, "/api/v1/agri/kpi", NULL, 200);
    long long n0 = th_int(obj(k, "food_reserve"), "farms");
    double t0 = num(obj(k, "food_reserve"), "t");
    CHECK_INT(n0, 13);
    CHECK_NEAR(t0, (double)th_sql_int(&s, sum_t), 1e-6);
    json_decref(k);
    long long taken = th_sql_int(&s, "SELECT facility_id FROM ag_farms WHERE facility_id IS NOT"
                                     " NULL ORDER BY id LIMIT 1");
    long long farm = th_sql_int(&s, "SELECT MIN(id) FROM ag_farms WHERE facility_id IS NULL");
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", farm);
    snprintf(body, sizeof body, "{\"version\":1,\"facility_id\":%lld}", taken);
    REFUSED_ON(&s, "PATCH", tok, path, body, 409, "conflict", "facility_id");
    snprintf(body, sizeof body, "{\"name\":\"二次链接农场\",\"facility_id\":%lld}", taken);
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/farms", body, 409, "conflict", "facility_id");
    k = CALL(&s, "GET", tok, "/api/v1/agri/kpi", NULL, 200);
    CHECK_INT(th_int(obj(k, "food_reserve"), "farms"), n0);
    CHECK_NEAR(num(obj(k, "food_reserve"), "t"), t0, 1e-6);
    json_decref(k);
    /* the holder keeps its own facility on other edits */
    long long holder = rec_sql1(&s, "SELECT id FROM ag_farms WHERE facility_id = %lld", taken);
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", holder);
    snprintf(body, sizeof body, "{\"version\":1,\"area_mu\":12,\"facility_id\":%lld}", taken);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    /* a double link written around the API (the index dropped) is still counted once */
    th_sql_exec(&s, "DROP INDEX ag_farms_facility");
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE ag_farms SET facility_id = %lld WHERE id = %lld", taken,
             farm);
    th_sql_exec(&s, sql);
    k = CALL(&s, "GET", tok, "/api/v1/agri/kpi", NULL, 200);
    CHECK_INT(th_int(obj(k, "food_reserve"), "farms"), n0);
    CHECK_NEAR(num(obj(k, "food_reserve"), "t"), t0, 1e-6);
    json_decref(k);
    th_stop(&s);
}

/* A result is recorded once achieved and taken up by farms after it exists: its year is not
 * after this one (Beijing's) nor after its first transfer, and a transfer is not dated before
 * the result's year — each 422 at the field, nothing written. A 2023 result taken up in 2019,
 * and a result of 2099, were accepted. */
TEST_T(agri_result_year_and_transfer_date_agree, 60)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], body[256], path[96], d[11];
    th_login(&s, "officer", s.demo_pw, tok);
    today(d);
    int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    snprintf(body, sizeof body, "{\"title\":\"明年的品种\",\"kind\":\"variety\",\"year\":%d}",
             year + 1);
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/results", body, 422, "out_of_range", "year");
    snprintf(body, sizeof body, "{\"title\":\"今年的品种\",\"kind\":\"variety\",\"year\":%d}",
             year);
    json_decref(CALL(&s, "POST", tok, "/api/v1/agri/results", body, 201));
    json_t *o = CALL(&s, "POST", tok, "/api/v1/agri/results",
                     "{\"title\":\"抗病桃砧木\",\"kind\":\"variety\",\"year\":2023}", 201);
    long long result = th_int(o, "id");
    json_decref(o);
    long long farm = th_sql_int(&s, "SELECT MIN(id) FROM ag_farms");
    snprintf(body, sizeof body, "{\"result_id\":%lld,\"farm_id\":%lld,\"date\":\"2022-12-31\"}",
             result, farm);
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/transfers", body, 422, "invalid_value", "date");
    snprintf(body, sizeof body, "{\"result_id\":%lld,\"farm_id\":%lld,\"date\":\"2023-01-01\"}",
             result, farm);
    o = CALL(&s, "POST", tok, "/api/v1/agri/transfers", body, 201);
    long long tr = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/agri/transfers/%lld", tr);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"date\":\"2019-06-01\"}", 422,
               "invalid_value", "date");
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":1,\"area_mu\":12}", 200));
    /* the result's year moves no later than its first transfer, nor into the future */
    snprintf(path, sizeof path, "/api/v1/agri/results/%lld", result);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"year\":2024}", 422, "invalid_value",
               "year");
    snprintf(body, sizeof body, "{\"version\":1,\"year\":%d}", year + 1);
    REFUSED_ON(&s, "PATCH", tok, path, body, 422, "out_of_range", "year");
    o = CALL(&s, "PATCH", tok, path, "{\"version\":1,\"year\":2022}", 200);
    CHECK_INT(th_int(o, "year"), 2022);
    json_decref(o);
    th_stop(&s);
}

/* A project's state moves on and its start agrees with it and with its milestones: a milestone
 * done before the project starts is 422 at done, an in-progress project starting in the future
 * 422 at start_date, a completed project sent back 409 invalid_transition, a start moved after
 * a done milestone 409 date_conflict — nothing written. All were accepted; the demo's own
 * completed project had a milestone done before its start. */
TEST_T(agri_project_state_and_dates_agree, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], body[256], path[96], d[11];
    th_login(&s, "officer", s.demo_pw, tok);
    today(d);
    /* the demo holds the rule */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ag_milestones m JOIN ag_projects p ON p.id ="
                             " m.project_id WHERE m.done < p.start_date"),
              0);
    json_t *p =
        CALL(&s, "POST", tok, "/api/v1/agri/projects",
             "{\"name\":\"测试项目X\",\"state\":\"planned\",\"start_date\":\"2020-06-01\"}", 201);
    long long pid = th_int(p, "id");
    json_decref(p);
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"name\":\"m1\",\"due\":\"2020-07-01\",\"done\":\"2020-01-05\"}",
             pid);
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/milestones", body, 422, "invalid_value", "done");
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"name\":\"m1\",\"due\":\"2020-07-01\",\"done\":\"2020-06-01\"}",
             pid);
    json_t *m = CALL(&s, "POST", tok, "/api/v1/agri/milestones", body, 201);
    long long mid = th_int(m, "id");
    json_decref(m);
    snprintf(path, sizeof path, "/api/v1/agri/milestones/%lld", mid);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"done\":\"2020-05-31\"}", 422,
               "invalid_value", "done");
    /* the start moves no later than a done milestone */
    snprintf(path, sizeof path, "/api/v1/agri/projects/%lld", pid);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"start_date\":\"2020-06-02\"}", 409,
               "date_conflict", "start_date");
    /* one step at a time: not planned → completed; suspended and resumed */
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"completed\"}", 409,
               "invalid_transition", "state");
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"suspended\"}", 200));
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":2,\"state\":\"planned\"}", 409,
               "invalid_transition", "state");
    p = CALL(&s, "PATCH", tok, path, "{\"version\":2,\"state\":\"in_progress\"}", 200);
    CHECK_STR(th_str(p, "start_date"), "2020-06-01");
    json_decref(p);
    /* an in-progress project has started: not in the future; none given is today */
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/projects",
               "{\"name\":\"Z\",\"state\":\"in_progress\",\"start_date\":\"2090-01-01\"}", 422,
               "invalid_value", "start_date");
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/projects",
               "{\"name\":\"Z\",\"state\":\"completed\",\"start_date\":\"2090-01-01\"}", 422,
               "invalid_value", "start_date");
    p = CALL(&s, "POST", tok, "/api/v1/agri/projects", "{\"name\":\"Z\",\"state\":\"in_progress\"}",
             201);
    CHECK(is_today(th_str(p, "start_date"), d));
    json_decref(p);
    /* a planned project may name a start to come */
    json_decref(CALL(&s, "POST", tok, "/api/v1/agri/projects",
                     "{\"name\":\"Y\",\"state\":\"planned\",\"start_date\":\"2090-01-01\"}", 201));
    /* the demo's completed project stays completed */
    long long done_p = th_sql_int(&s, "SELECT MIN(id) FROM ag_projects WHERE state = 'completed'");
    CHECK(done_p > 0);
    snprintf(path, sizeof path, "/api/v1/agri/projects/%lld", done_p);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"planned\"}", 409,
               "invalid_transition", "state");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"in_progress\"}", 409,
               "invalid_transition", "state");
    th_stop(&s);
}

/* A greenhouse section moves forward as a warehouse does and only an operating one yields: a
 * planned section with a yield, or an operating one sent back to planned, was accepted and the
 * KPIs summed the yield of every state. */
TEST_T(agri_section_state_and_yield_agree, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/sections",
               "{\"cluster\":\"C\",\"name\":\"planned-x\",\"state\":\"planned\",\"area_m2\":1000,"
               "\"yield_kg\":50000}",
               422, "invalid_value", "yield_kg");
    long long op = th_sql_int(&s, "SELECT MIN(id) FROM ag_sections WHERE state = 'operating'");
    snprintf(path, sizeof path, "/api/v1/agri/sections/%lld", op);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"planned\"}", 409,
               "invalid_transition", "state");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"under_construction\"}", 409,
               "invalid_transition", "state");
    /* planned → under_construction → operating, one step at a time; yield once operating */
    json_t *o = CALL(&s, "POST", tok, "/api/v1/agri/sections",
                     "{\"cluster\":\"C\",\"name\":\"new\",\"area_m2\":1000}", 201);
    snprintf(path, sizeof path, "/api/v1/agri/sections/%lld", th_int(o, "id"));
    CHECK_STR(th_str(o, "state"), "planned");
    json_decref(o);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"operating\"}", 409,
               "invalid_transition", "state");
    json_decref(
        CALL(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"under_construction\"}", 200));
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":2,\"yield_kg\":10}", 422, "invalid_value",
               "yield_kg");
    json_decref(CALL(&s, "PATCH", tok, path,
                     "{\"version\":2,\"state\":\"operating\",\"yield_kg\":10}", 200));
    /* a row stored before the rule: the KPIs count the yield of operating sections only */
    th_sql_exec(&s, "UPDATE ag_sections SET yield_kg = 194000 WHERE state = 'planned'");
    json_t *k = CALL(&s, "GET", tok, "/api/v1/agri/kpi", NULL, 200);
    CHECK_NEAR(num(obj(k, "sections"), "yield_kg"),
               (double)th_sql_int(&s, "SELECT CAST(SUM(yield_kg) AS INTEGER) FROM ag_sections"
                                      " WHERE state = 'operating'"),
               1e-6);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ag_sections WHERE state = 'planned' AND yield_kg"
                         " > 0") > 0);
    json_decref(k);
    th_stop(&s);
}

/* A transfer fits its farm and a farm is recorded once established: a transfer dated three
 * years before the farm existed, one of 5,000,000 mu on a farm of a few hundred, and a farm
 * established in 2030 (counted at once in the KPIs) were accepted. */
TEST_T(agri_transfer_fits_its_farm, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], body[256], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    /* the demo holds the rule */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ag_transfers x JOIN ag_farms f ON f.id ="
                             " x.farm_id WHERE x.area_mu > f.area_mu"),
              0);
    long long farms = th_sql_int(&s, "SELECT COUNT(*) FROM ag_farms");
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/farms",
               "{\"name\":\"未来农场\",\"established\":\"2090-06-01\"}", 422, "invalid_value",
               "established");
    json_t *f = CALL(&s, "POST", tok, "/api/v1/agri/farms",
                     "{\"name\":\"新农场T\",\"established\":\"2024-06-01\",\"area_mu\":300}", 201);
    long long farm = th_int(f, "id");
    json_decref(f);
    json_t *k = CALL(&s, "GET", tok, "/api/v1/agri/kpi", NULL, 200);
    CHECK_INT(th_int(k, "doctor_farms"), farms + 1);
    json_decref(k);
    long long result = th_sql_int(&s, "SELECT MIN(id) FROM ag_results WHERE year <= 2023");
    snprintf(body, sizeof body,
             "{\"result_id\":%lld,\"farm_id\":%lld,\"date\":\"2023-01-01\",\"value_fen\":100}",
             result, farm);
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/transfers", body, 422, "invalid_value", "date");
    snprintf(body, sizeof body,
             "{\"result_id\":%lld,\"farm_id\":%lld,\"date\":\"2025-01-01\",\"area_mu\":5000000}",
             result, farm);
    REFUSED_ON(&s, "POST", tok, "/api/v1/agri/transfers", body, 422, "out_of_range", "area_mu");
    snprintf(body, sizeof body,
             "{\"result_id\":%lld,\"farm_id\":%lld,\"date\":\"2025-01-01\",\"area_mu\":300}",
             result, farm);
    json_t *t = CALL(&s, "POST", tok, "/api/v1/agri/transfers", body, 201);
    snprintf(path, sizeof path, "/api/v1/agri/transfers/%lld", th_int(t, "id"));
    json_decref(t);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"date\":\"2024-05-31\"}", 422,
               "invalid_value", "date");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"area_mu\":300.5}", 422, "out_of_range",
               "area_mu");
    /* the farm's establishment moves no later than its transfers, its area holds them */
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", farm);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"established\":\"2025-01-02\"}", 409,
               "date_conflict", "established");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"area_mu\":299}", 409, "conflict",
               "area_mu");
    json_decref(
        CALL(&s, "PATCH", tok, path, "{\"version\":1,\"established\":\"2025-01-01\"}", 200));
    th_stop(&s);
}

/* A township officer links labs of their own township (or district labs of none): an officer
 * could attach an expert or a project to another township's lab — counted among its experts,
 * and not the other township's officer's to remove — yet not add an expert to their own lab. */
TEST_T(agri_township_officer_links_own_labs, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char town[80], off[80], body[256], path[96];
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "officer", s.demo_pw, off);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long other_lab = rec_sql1(&s,
                                   "SELECT MIN(id) FROM ag_labs WHERE township_id IS NOT NULL AND"
                                   " township_id <> %lld",
                                   jhh);
    CHECK(other_lab > 0);
    long long experts_before =
        rec_sql1(&s, "SELECT COUNT(*) FROM ag_experts WHERE lab_id = %lld", other_lab);
    snprintf(body, sizeof body, "{\"name\":\"新农场T\",\"township_id\":%lld}", jhh);
    json_t *o = CALL(&s, "POST", town, "/api/v1/agri/farms", body, 201);
    long long farm = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body, "{\"name\":\"专家乙\",\"title\":\"doctor\",\"farm_id\":%lld}",
             farm);
    o = CALL(&s, "POST", town, "/api/v1/agri/experts", body, 201);
    snprintf(path, sizeof path, "/api/v1/agri/experts/%lld", th_int(o, "id"));
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":1,\"lab_id\":%lld}", other_lab);
    REFUSED_ON(&s, "PATCH", town, path, body, 403, "forbidden", "lab_id");
    snprintf(body, sizeof body,
             "{\"name\":\"专家丁\",\"title\":\"doctor\",\"farm_id\":%lld,\"lab_id\":%lld}", farm,
             other_lab);
    REFUSED_ON(&s, "POST", town, "/api/v1/agri/experts", body, 403, "forbidden", "lab_id");
    CHECK_INT(rec_sql1(&s, "SELECT COUNT(*) FROM ag_experts WHERE lab_id = %lld", other_lab),
              experts_before);
    /* projects likewise */
    snprintf(body, sizeof body, "{\"name\":\"测试项目X\",\"township_id\":%lld}", jhh);
    o = CALL(&s, "POST", town, "/api/v1/agri/projects", body, 201);
    snprintf(path, sizeof path, "/api/v1/agri/projects/%lld", th_int(o, "id"));
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":1,\"lab_id\":%lld}", other_lab);
    REFUSED_ON(&s, "PATCH", town, path, body, 403, "forbidden", "lab_id");
    /* a district officer may link any lab */
    json_decref(CALL(&s, "PATCH", off, path, body, 200));
    /* the link the district made stays when the officer's edit sends it back unchanged */
    snprintf(body, sizeof body, "{\"version\":2,\"lab_id\":%lld,\"name\":\"测试项目Y\"}",
             other_lab);
    json_decref(CALL(&s, "PATCH", town, path, body, 200));
    /* farms likewise (a farm was linked to another township's lab: 201) */
    snprintf(body, sizeof body, "{\"name\":\"新农场U\",\"township_id\":%lld,\"lab_id\":%lld}", jhh,
             other_lab);
    REFUSED_ON(&s, "POST", town, "/api/v1/agri/farms", body, 403, "forbidden", "lab_id");
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", farm);
    snprintf(body, sizeof body, "{\"version\":1,\"lab_id\":%lld}", other_lab);
    REFUSED_ON(&s, "PATCH", town, path, body, 403, "forbidden", "lab_id");
    /* their own township's lab, and a district lab of none, they may link */
    snprintf(body, sizeof body, "{\"name\":\"lab-jhh\",\"kind\":\"other\",\"township_id\":%lld}",
             jhh);
    o = CALL(&s, "POST", town, "/api/v1/agri/labs", body, 201);
    long long own = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body, "{\"name\":\"专家丙\",\"title\":\"academician\",\"lab_id\":%lld}",
             own);
    o = CALL(&s, "POST", town, "/api/v1/agri/experts", body, 201);
    CHECK_INT(th_int(o, "township_id"), jhh);
    json_decref(o);
    o = CALL(&s, "POST", off, "/api/v1/agri/labs", "{\"name\":\"区级实验室\",\"kind\":\"other\"}",
             201);
    long long district = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"name\":\"专家戊\",\"title\":\"doctor\",\"farm_id\":%lld,\"lab_id\":%lld}", farm,
             district);
    json_decref(CALL(&s, "POST", town, "/api/v1/agri/experts", body, 201));
    th_stop(&s);
}

/* An enterprise user reads its own farms, sections, projects and warehouses only; the figures
 * it reads over them (the agri KPIs, a lab's projects and experts, a result's transfers, a
 * park's warehouses) count its own rows only, so no other firm's area or yield shows in a sum. */
TEST_T(agri_enterprise_figures_count_its_own_rows, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], off[80], path[96], body[320];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long other_org =
        th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE id <> (SELECT organisation_id"
                       " FROM users WHERE username = 'jd')");
    json_t *d = CALL(&s, "GET", off, "/api/v1/agri/kpi", NULL, 200);
    CHECK_STR(th_str(d, "scope"), "district");
    long long d_sections = th_int(obj(d, "sections"), "count");
    CHECK(d_sections > 0);
    json_t *e = CALL(&s, "GET", jd, "/api/v1/agri/kpi", NULL, 200);
    CHECK_STR(th_str(e, "scope"), "organisation");
    CHECK_INT(th_int(obj(e, "sections"), "count"), 0);
    CHECK(num(obj(e, "sections"), "area_m2") == 0);
    CHECK_INT(json_object_size(obj(obj(e, "sections"), "by_state")), 0);
    CHECK_INT(th_int(e, "doctor_farms"), 0);
    CHECK_INT(json_object_size(obj(e, "projects")), 0);
    CHECK_INT(th_int(obj(e, "milestones"), "total"), 0);
    CHECK_INT(th_int(obj(e, "experts"), "total"), 0);
    CHECK_INT(th_int(e, "transfers"), 0);
    CHECK_INT(th_int(obj(e, "food_reserve"), "farms"), 0);
    /* labs and results are everyone's: the same counts */
    CHECK(json_equal(obj(e, "labs"), obj(d, "labs")));
    CHECK_INT(th_int(e, "results"), th_int(d, "results"));
    json_decref(e);
    json_decref(d);
    /* another firm's section counts for the district, not for jd; jd's own does */
    snprintf(body, sizeof body,
             "{\"cluster\":\"东高村\",\"name\":\"他企大棚\",\"organisation_id\":%lld,\"state\":"
             "\"operating\",\"area_m2\":12345,\"yield_kg\":777777}",
             other_org);
    json_decref(CALL(&s, "POST", off, "/api/v1/agri/sections", body, 201));
    snprintf(body, sizeof body,
             "{\"cluster\":\"东高村\",\"name\":\"京东大棚\",\"organisation_id\":%lld,\"state\":"
             "\"operating\",\"area_m2\":100,\"yield_kg\":2000}",
             jd_org);
    json_decref(CALL(&s, "POST", off, "/api/v1/agri/sections", body, 201));
    e = CALL(&s, "GET", jd, "/api/v1/agri/kpi", NULL, 200);
    CHECK_INT(th_int(obj(e, "sections"), "count"), 1);
    CHECK(num(obj(e, "sections"), "area_m2") == 100);
    CHECK(num(obj(e, "sections"), "yield_kg") == 2000);
    json_decref(e);
    d = CALL(&s, "GET", off, "/api/v1/agri/kpi", NULL, 200);
    CHECK_INT(th_int(obj(d, "sections"), "count"), d_sections + 2);
    json_decref(d);
    /* a lab's projects: the district counts every one, jd its own */
    long long lab = th_sql_int(&s, "SELECT MIN(id) FROM ag_labs");
    snprintf(body, sizeof body, "{\"name\":\"他企项目\",\"lab_id\":%lld,\"organisation_id\":%lld}",
             lab, other_org);
    json_decref(CALL(&s, "POST", off, "/api/v1/agri/projects", body, 201));
    snprintf(path, sizeof path, "/api/v1/agri/labs/%lld", lab);
    json_t *lo = CALL(&s, "GET", off, path, NULL, 200);
    json_t *le = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK(th_int(lo, "projects") >= 1);
    CHECK_INT(th_int(le, "projects"), 0);
    CHECK_INT(th_int(le, "results"), th_int(lo, "results"));
    json_decref(lo);
    json_decref(le);
    /* a park's warehouses: jd counts its own */
    long long park = th_sql_int(&s, "SELECT MIN(id) FROM lg_parks");
    snprintf(body, sizeof body,
             "{\"name\":\"他企仓\",\"area_m2\":54321,\"park_id\":%lld,\"organisation_id\":%lld}",
             park, other_org);
    json_decref(CALL(&s, "POST", off, "/api/v1/logistics/warehouses", body, 201));
    snprintf(body, sizeof body, "{\"name\":\"京东仓\",\"area_m2\":5000,\"park_id\":%lld}", park);
    json_decref(CALL(&s, "POST", jd, "/api/v1/logistics/warehouses", body, 201));
    snprintf(path, sizeof path, "/api/v1/logistics/parks/%lld", park);
    json_t *po = CALL(&s, "GET", off, path, NULL, 200);
    json_t *pe = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK_INT(th_int(po, "warehouses"),
              th_sql_int(&s, "SELECT COUNT(*) FROM lg_warehouses WHERE park_id = (SELECT MIN(id)"
                             " FROM lg_parks)"));
    long long mine = th_sql_int(&s, "SELECT COUNT(*) FROM lg_warehouses WHERE park_id = (SELECT"
                                    " MIN(id) FROM lg_parks) AND organisation_id = (SELECT"
                                    " organisation_id FROM users WHERE username = 'jd')");
    CHECK(mine >= 1 && mine < th_int(po, "warehouses"));
    CHECK_INT(th_int(pe, "warehouses"), mine);
    CHECK(num(pe, "warehouse_area_m2") ==
          th_sql_int(&s, "SELECT SUM(area_m2) FROM lg_warehouses WHERE park_id = (SELECT MIN(id)"
                         " FROM lg_parks) AND organisation_id = (SELECT organisation_id FROM"
                         " users WHERE username = 'jd')"));
    json_decref(po);
    json_decref(pe);
    th_stop(&s);
}

/* One agri KPI figure as a user reads it: at path (key, or "key.sub"; "key.*" the sum of the
 * object's values) of GET /api/v1/agri/kpi's answer k. */
static long long kpi_figure(json_t *k, const char *path)
{
    char top[40];
    const char *dot = strchr(path, '.');
    snprintf(top, sizeof top, "%.*s", dot ? (int)(dot - path) : (int)strlen(path), path);
    json_t *v = obj(k, top);
    if (!dot) return (long long)json_integer_value(v);
    if (strcmp(dot + 1, "*")) return (long long)json_integer_value(obj(v, dot + 1));
    long long sum = 0;
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x) sum += (long long)json_integer_value(x);
    return sum;
}

/* Regression guard for the KPI queries' scope: each query over organisation-owned rows binds
 * the organisation by its flag in the KPI query table. A query whose flag were dropped would
 * count nothing (the organisation unbound) or every row, for the district and the firm alike:
 * every such figure is compared with its rows counted here, the district's all of them, jd's
 * its own (a farm with experts, transfers and a reserve, a project with milestones and a
 * section made jd's, so that none of its figures is 0). */
TEST_T(agri_kpi_scoped_figures_are_the_organisations_rows, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], off[80], sql[600], body[320];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long farm = th_sql_int(&s, "SELECT MIN(f.id) FROM ag_farms f WHERE postdoc_station = 1"
                                    " AND EXISTS (SELECT 1 FROM ag_experts e WHERE e.farm_id ="
                                    " f.id) AND EXISTS (SELECT 1 FROM ag_transfers x WHERE"
                                    " x.farm_id = f.id) AND f.facility_id IN (SELECT facility_id"
                                    " FROM facility_roles WHERE role = 'supply_store' AND unit ="
                                    " 't')");
    long long project = th_sql_int(&s, "SELECT MIN(project_id) FROM ag_milestones");
    CHECK(org > 0 && farm > 0 && project > 0);
    snprintf(sql, sizeof sql,
             "UPDATE ag_farms SET organisation_id = %lld WHERE id = %lld;"
             " UPDATE ag_projects SET organisation_id = %lld WHERE id = %lld",
             org, farm, org, project);
    th_sql_exec(&s, sql);
    snprintf(body, sizeof body,
             "{\"cluster\":\"东高村\",\"name\":\"京东范围棚\",\"organisation_id\":%lld,\"state\":"
             "\"operating\",\"area_m2\":100,\"yield_kg\":2000}",
             org);
    json_decref(CALL(&s, "POST", off, "/api/v1/agri/sections", body, 201));
    static const struct {
        const char *figure, *from, *org_of;
    } figs[] = {
        {"projects.*", "FROM ag_projects t WHERE 1", "t.organisation_id"},
        {"milestones.total", "FROM ag_milestones t WHERE 1",
         "SELECT p.organisation_id FROM ag_projects p WHERE p.id = t.project_id"},
        {"milestones.open", "FROM ag_milestones t WHERE state = 'open'",
         "SELECT p.organisation_id FROM ag_projects p WHERE p.id = t.project_id"},
        {"doctor_farms", "FROM ag_farms t WHERE 1", "t.organisation_id"},
        {"postdoc_stations", "FROM ag_farms t WHERE postdoc_station = 1", "t.organisation_id"},
        {"experts.total", "FROM ag_experts t WHERE title IN ('academician', 'doctor')",
         "SELECT f.organisation_id FROM ag_farms f WHERE f.id = t.farm_id"},
        {"transfers", "FROM ag_transfers t WHERE 1",
         "SELECT f.organisation_id FROM ag_farms f WHERE f.id = t.farm_id"},
        {"food_reserve.farms",
         "FROM ag_farms t WHERE t.facility_id IN (SELECT facility_id FROM facility_roles WHERE"
         " role = 'supply_store' AND unit = 't')",
         "t.organisation_id"},
        {"sections.count", "FROM ag_sections t WHERE 1", "t.organisation_id"},
        {"sections.by_state.*", "FROM ag_sections t WHERE 1", "t.organisation_id"},
    };
    json_t *d = CALL(&s, "GET", off, "/api/v1/agri/kpi", NULL, 200);
    json_t *e = CALL(&s, "GET", jd, "/api/v1/agri/kpi", NULL, 200);
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) %s", figs[i].from);
        long long all = th_sql_int(&s, sql);
        snprintf(sql, sizeof sql, "SELECT COUNT(*) %s AND (%s) = %lld", figs[i].from,
                 figs[i].org_of, org);
        long long own = th_sql_int(&s, sql);
        const char *f = figs[i].figure;
        json_t *dk = d, *ek = e;
        if (!strncmp(f, "sections.by_state", 17)) { /* one level deeper */
            dk = obj(d, "sections"), ek = obj(e, "sections");
            f += 9;
        }
        long long dv = kpi_figure(dk, f), ev = kpi_figure(ek, f);
        if (!(own > 0 && own < all && dv == all && ev == own))
            t_fail(__FILE__, __LINE__, "%s: district %lld of %lld rows, jd %lld of its %lld",
                   figs[i].figure, dv, all, ev, own);
    }
    json_decref(d);
    json_decref(e);
    th_stop(&s);
}

/* A milestone's `overdue` (SQL: due before the district's today) reads the server's clock, as
 * its `done` date does: it read SQLite's date('now'), the system clock, which a server on a
 * shifted clock (a test's th_clock_at) did not share — a milestone due yesterday by the
 * server's date was not overdue. */
TEST_T(agri_milestone_overdue_on_the_servers_clock, 60)
{
    th_clock_at("2031-03-10", 10, 0);
    th_server s;
    th_start(&s, 1);
    char tok[80], body[160];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *p = CALL(&s, "POST", tok, "/api/v1/agri/projects", "{\"name\":\"时钟项目\"}", 201);
    long long pid = th_int(p, "id");
    json_decref(p);
    static const struct {
        const char *due;
        int overdue;
    } cases[] = {{"2031-03-09", 1}, {"2031-03-10", 0}, {"2031-03-11", 0}};
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"project_id\":%lld,\"name\":\"节点%d\",\"due\":\"%s\"}", pid,
                 i, cases[i].due);
        json_t *m = CALL(&s, "POST", tok, "/api/v1/agri/milestones", body, 201);
        if (json_is_true(obj(m, "overdue")) != cases[i].overdue)
            t_fail(__FILE__, __LINE__, "due %s on 2031-03-10: overdue %d, expected %d",
                   cases[i].due, !cases[i].overdue, cases[i].overdue);
        json_decref(m);
    }
    /* the project's count of overdue milestones reads the same day */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/agri/projects/%lld", pid);
    p = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_INT(th_int(p, "milestones_overdue"), 1);
    json_decref(p);
    th_stop(&s);
}

/* A whole number written with a fraction (2024.0, 2.025e3) is that number: the records took it
 * in their checks (pj_in_int) and then stored 0 (a result's year 0, outside its 1950–2100), a
 * version 1.0 was a conflict with version 0, and a lab_id 5.0 passed the township officer's
 * scope check unread (it looked for an integer). */
TEST_T(agri_whole_numbers_with_fractions_are_those_numbers, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], town[80], path[96], body[256];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *r = CALL(&s, "POST", off, "/api/v1/agri/results",
                     "{\"title\":\"新品种\",\"kind\":\"variety\",\"year\":2024.0}", 201);
    CHECK_INT(th_int(r, "year"), 2024);
    snprintf(path, sizeof path, "/api/v1/agri/results/%lld", th_int(r, "id"));
    json_decref(r);
    CHECK_INT(th_sql_int(&s, "SELECT year FROM ag_results WHERE title = '新品种'"), 2024);
    r = CALL(&s, "PATCH", off, path, "{\"version\":1.0,\"year\":2.025e3}", 200);
    CHECK_INT(th_int(r, "year"), 2025);
    CHECK_INT(th_int(r, "version"), 2);
    json_decref(r);
    /* another township's lab, as an integer and as a whole number with a fraction: refused
     * alike at lab_id */
    long long lab = th_sql_int(&s, "SELECT MIN(id) FROM ag_labs WHERE township_id IS NOT NULL AND"
                                   " township_id <> (SELECT township_id FROM users WHERE"
                                   " username = 'jinhaihu')");
    CHECK(lab > 0);
    snprintf(body, sizeof body, "{\"name\":\"跨乡镇项目\",\"lab_id\":%lld}", lab);
    REFUSED(&s, "POST", town, "/api/v1/agri/projects", body, 403, "forbidden");
    snprintf(body, sizeof body, "{\"name\":\"跨乡镇项目\",\"lab_id\":%lld.0}", lab);
    REFUSED(&s, "POST", town, "/api/v1/agri/projects", body, 403, "forbidden");
    /* a fraction is still no whole number */
    REFUSED(&s, "POST", off, "/api/v1/agri/results",
            "{\"title\":\"半年\",\"kind\":\"variety\",\"year\":2024.5}", 422, "wrong_type");
    th_stop(&s);
}

/* Regression: the figures took `limit` and `cursor` (a cursor's value checked, then nothing
 * done with it) where the logistics figures refuse them, and the results' `year` filter took
 * -1 or 99999 and listed nothing, as if no result were of that year. Both are 400 now, naming
 * the parameter. */
TEST_T(agri_figures_take_no_paging_and_a_year_filter_its_range, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    static const struct {
        const char *path, *code, *field;
    } bad[] = {
        {"/api/v1/agri/kpi?limit=5", "unknown_parameter", "limit"},
        {"/api/v1/agri/output?cursor=7", "unknown_parameter", "cursor"},
        {"/api/v1/agri/results?year=-1", "bad_query", "year"},
        {"/api/v1/agri/results?year=99999", "bad_query", "year"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = NULL;
        int st = th_call(&s, "GET", bad[i].path, tok, NULL, &o);
        if (st != 400) t_fail(__FILE__, __LINE__, "GET %s: %d, expected 400", bad[i].path, st);
        CHECK_STR(th_err_code(o), bad[i].code);
        CHECK_STR(th_err_field(o), bad[i].field);
        json_decref(o);
    }
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/agri/results?year=1950", tok, NULL, &o), 200);
    json_decref(o);
    o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/agri/results?year=2100", tok, NULL, &o), 200);
    json_decref(o);
    o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/agri/kpi", tok, NULL, &o), 200);
    json_decref(o);
    th_stop(&s);
}

/* A project is completed with its milestones decided: an open one stayed counted overdue in the
 * project and the KPIs for good (409 conflict on state), nor is an open milestone added to a
 * completed project (409 on project_id), nor is one due before its project starts (422 on due). */
TEST_T(agri_completed_project_has_no_open_milestone, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], mpath[96], body[256];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *p = CALL(&s, "POST", tok, "/api/v1/agri/projects",
                     "{\"name\":\"育种项目\",\"state\":\"in_progress\",\"start_date\":"
                     "\"2023-03-01\"}",
                     201);
    long long pid = th_int(p, "id");
    json_decref(p);
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"name\":\"早于立项\",\"due\":\"2020-01-01\"}", pid);
    REFUSED(&s, "POST", tok, "/api/v1/agri/milestones", body, 422, "invalid_value");
    snprintf(body, sizeof body, "{\"project_id\":%lld,\"name\":\"中期\",\"due\":\"2024-01-01\"}",
             pid);
    json_t *m = CALL(&s, "POST", tok, "/api/v1/agri/milestones", body, 201);
    snprintf(mpath, sizeof mpath, "/api/v1/agri/milestones/%lld", th_int(m, "id"));
    json_decref(m);
    snprintf(path, sizeof path, "/api/v1/agri/projects/%lld", pid);
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"completed\"}", 409, "conflict");
    json_decref(CALL(&s, "PATCH", tok, mpath, "{\"version\":1,\"state\":\"done\"}", 200));
    p = CALL(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"completed\"}", 200);
    CHECK_INT(th_int(p, "milestones_overdue"), 0);
    json_decref(p);
    /* completed: no open milestone added, none reopened */
    REFUSED(&s, "POST", tok, "/api/v1/agri/milestones", body, 409, "conflict");
    REFUSED(&s, "PATCH", tok, mpath, "{\"version\":2,\"done\":null}", 409, "conflict");
    /* a done one may still be recorded, and a done date corrected */
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"name\":\"结题\",\"due\":\"2024-06-01\",\"done\":"
             "\"2024-05-20\"}",
             pid);
    json_decref(CALL(&s, "POST", tok, "/api/v1/agri/milestones", body, 201));
    json_decref(CALL(&s, "PATCH", tok, mpath, "{\"version\":2,\"done\":\"2024-01-05\"}", 200));
    th_stop(&s);
}
