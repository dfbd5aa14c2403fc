/* The enterprise API over a real socket: the appeal workflow with its scopes, versions,
 * deadlines and audit; KPIs; policies matched, explained and shown only to eligible firms;
 * reception days. Every refused write leaves the database as it was. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/enterprise.h"
#include "domain/enterprise_calendar.h"
#include "t.h"
#include "th.h"

/* th_fingerprint covers every table of every module */
static void fp(th_server *s, char *out, size_t n)
{
    th_fingerprint(s, out, n);
}

static int act(th_server *s, const char *tok, long long id, const char *action, const char *body,
               json_t **o)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld/%s", id, action);
    return th_call(s, "POST", path, tok, body, o);
}

TEST(enterprise_api_appeal_workflow_scopes_and_kpis)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], town[80], view[80], grid[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "grid01", s.demo_pw, grid);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    long long agri = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区农业农村局'");
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], body[512];
    json_t *o;

    /* bad input and wrong roles write nothing */
    fp(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"rant\",\"category\":\"permits\",\"title\":\"t\","
                      "\"description\":\"d\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "type");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"t\","
                      "\"description\":\"d\",\"channel\":\"phone\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "channel");
    json_decref(o);
    /* regression: any text passed as a phone number */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"t\","
                      "\"description\":\"d\",\"contact_phone\":\"abc\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "contact_phone");
    json_decref(o);
    /* regression: "1" and "1381234" were taken as numbers a department could call back */
    static const char *const short_phones[][2] = {
        {"1", "at least 7 digits"},
        {"1381234", "beginning with 1) has 11 digits"},
        {"138123456789", "beginning with 1) has 11 digits"},
        {"0086106996123456789", "at most 15 digits"},
        {"   ", "must not be blank"}};
    for (size_t k = 0; k < sizeof short_phones / sizeof *short_phones; k++) {
        char pb[256];
        snprintf(pb, sizeof pb,
                 "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"t\","
                 "\"description\":\"d\",\"channel\":\"account\",\"contact_phone\":\"%s\"}",
                 short_phones[k][0]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd, pb, &o), 422);
        CHECK_STR(th_err_field(o), "contact_phone");
        CHECK(strstr(th_err_message(o), short_phones[k][1]) != NULL);
        json_decref(o);
    }
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", view,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"t\","
                      "\"description\":\"d\"}",
                      &o),
              403);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/appeals", grid, NULL, &o), 403);
    json_decref(o);
    fp(&s, after, sizeof after);
    CHECK_STR(after, before);

    /* the enterprise files through its own account */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"冷库扩建审批\","
                      "\"description\":\"扩建冷库需要办理规划许可\",\"contact_phone\":"
                      "\"13812345678\",\"attachments\":[\"doc-1.pdf\"]}",
                      &o),
              201);
    long long id = th_int(o, "id");
    CHECK_STR(th_str(o, "state"), "received");
    CHECK_STR(th_str(o, "channel"), "account");
    CHECK_STR(th_str(o, "contact_phone"), "13812345678");
    json_decref(o);

    /* dispatch: no catalogue entry yet → 422; the catalogue then decides */
    CHECK_INT(act(&s, off, id, "dispatch", "{\"version\":1}", &o), 422);
    CHECK_STR(th_err_field(o), "department_id");
    json_decref(o);
    snprintf(body, sizeof body, "{\"category\":\"permits\",\"department_id\":%lld}", commerce);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/dispatch-catalogue", off, body, NULL), 200);
    CHECK_INT(act(&s, jd, id, "dispatch", "{\"version\":1}", &o), 403);
    json_decref(o);
    CHECK_INT(act(&s, off, id, "dispatch", "{\"version\":1}", &o), 200);
    CHECK_STR(th_str(o, "state"), "dispatched");
    CHECK_INT(th_int(o, "department_id"), commerce);
    json_decref(o);
    /* stale version, wrong state */
    fp(&s, before, sizeof before);
    CHECK_INT(act(&s, off, id, "accept", "{\"version\":1}", &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    CHECK_INT(act(&s, off, id, "reply", "{\"version\":2,\"reply\":\"x\",\"resolved\":true}", &o),
              409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);
    CHECK_INT(act(&s, off, id, "escalate", "{\"version\":2}", &o), 409);
    CHECK_STR(th_err_code(o), "not_overdue");
    json_decref(o);
    fp(&s, after, sizeof after);
    CHECK_STR(after, before);

    /* scope: another township's officer does not see it; a viewer sees the phone masked */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, town, NULL, &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, view, NULL, &o), 200);
    CHECK_STR(th_str(o, "contact_phone"), "138****5678");
    json_decref(o);

    /* wrong department returns it; re-dispatch must go elsewhere; first unit stays recorded */
    CHECK_INT(act(&s, off, id, "accept", "{\"version\":2}", &o), 200);
    json_decref(o);
    CHECK_INT(act(&s, off, id, "return", "{\"version\":3}", &o), 422);
    CHECK_STR(th_err_field(o), "reason");
    json_decref(o);
    CHECK_INT(act(&s, off, id, "return", "{\"version\":3,\"reason\":\"属规划审批\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "returned");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":4,\"department_id\":%lld}", commerce);
    CHECK_INT(act(&s, off, id, "dispatch", body, &o), 422);
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":4,\"department_id\":%lld}", agri);
    CHECK_INT(act(&s, off, id, "dispatch", body, &o), 200);
    CHECK_INT(th_int(o, "department_id"), agri);
    CHECK_INT(th_int(o, "first_department_id"), commerce);
    CHECK_INT(th_int(o, "returns"), 1);
    json_decref(o);
    /* handle, reply, the enterprise is not satisfied: reopened; then satisfied: closed */
    CHECK_INT(act(&s, off, id, "accept", "{\"version\":5}", &o), 200);
    json_decref(o);
    CHECK_INT(
        act(&s, off, id, "reply", "{\"version\":6,\"reply\":\"已受理\",\"resolved\":false}", &o),
        200);
    json_decref(o);
    CHECK_INT(act(&s, jd, id, "rate", "{\"version\":7,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    json_decref(o);
    CHECK_INT(act(&s, off, id, "accept", "{\"version\":8}", &o), 200);
    json_decref(o);
    CHECK_INT(
        act(&s, off, id, "reply", "{\"version\":9,\"reply\":\"许可已办结\",\"resolved\":true}", &o),
        200);
    json_decref(o);
    CHECK_INT(act(&s, jd, id, "rate", "{\"version\":10,\"rating\":\"satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    CHECK_INT(th_int(o, "reopens"), 1);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "events")), 11);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_appeal'"), 11);

    /* the enterprise lists only its own; another firm's account sees nothing */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/appeals", jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);

    /* KPIs */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01", off, NULL, &o), 200);
    json_t *d = json_object_get(o, "district");
    CHECK_INT(th_int(d, "appeals"), 1);
    CHECK_INT(th_int(d, "closed"), 1);
    /* both ratings count: the not_satisfied one is not erased by the later satisfied one */
    CHECK_NEAR(json_number_value(json_object_get(d, "satisfaction_rate")), 0.5, 1e-9);
    CHECK_INT(th_int(d, "rated"), 2);
    CHECK_NEAR(json_number_value(json_object_get(d, "resolution_rate")), 1.0, 1e-9);
    /* the appeal is agri's; commerce appears only with the return it made */
    json_t *deps = json_object_get(o, "departments");
    CHECK_INT(json_array_size(deps), 2);
    for (size_t k = 0; k < json_array_size(deps); k++) {
        json_t *dp = json_array_get(deps, k);
        int is_agri = th_int(dp, "department_id") == agri;
        CHECK_INT(th_int(dp, "appeals"), is_agri ? 1 : 0);
        CHECK_INT(th_int(dp, "returned"), is_agri ? 0 : 1);
    }
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01", jd, NULL, &o), 403);
    json_decref(o);
    /* as every other report: an unknown parameter is refused, an empty value is no value */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01&foo=1", off, NULL, &o),
              400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    CHECK_STR(th_err_field(o), "foo");
    json_decref(o);
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01&to=&format=", off, NULL, &o),
        200);
    CHECK_INT(th_int(json_object_get(o, "district"), "appeals"), 1);
    json_decref(o);
    char hdr[2048];
    CHECK_INT(th_call_raw(&s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01&format=csv", off,
                          NULL, -1, NULL, NULL, hdr, sizeof hdr),
              200);
    CHECK(strstr(hdr, "text/csv"));
    th_stop(&s);
}

TEST(enterprise_api_policies_matching_explain_and_reception_days)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], path[128], body[512];
    json_t *o;
    /* a syntax error points to its column and writes nothing */
    fp(&s, before, sizeof before);
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
                "\"valid_from\":\"2025-01-01\",\"conditions\":\"industry == \\\"logistics\\\" "
                "and employes >= 10\"}",
                &o),
        422);
    CHECK_STR(th_err_code(o), "rule_syntax");
    CHECK_STR(th_err_field(o), "conditions");
    CHECK(strstr(json_string_value(json_object_get(json_object_get(o, "error"), "message")),
                 "column 29") != NULL);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", jd,
                      "{\"title\":\"x\",\"issuer\":\"y\",\"issued_on\":\"2025-01-01\","
                      "\"valid_from\":\"2025-01-01\",\"conditions\":\"true\"}",
                      &o),
              403);
    json_decref(o);
    fp(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* the five logistics firms of 马坊地区 qualify and get a notice */
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
                "\"valid_from\":\"2025-01-01\",\"benefit\":\"仓储租金补贴30%\","
                "\"conditions\":\"industry == \\\"logistics\\\" and township == "
                "\\\"马坊地区\\\"\"}",
                &o),
        201);
    CHECK_INT(th_int(o, "newly_eligible"), 5);
    long long p1 = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                      "{\"title\":\"农业科技\",\"issuer\":\"区农业农村局\",\"issued_on\":"
                      "\"2025-01-01\",\"valid_from\":\"2025-01-01\",\"conditions\":\"industry == "
                      "\\\"agritech\\\" or high_tech\"}",
                      &o),
              201);
    long long p2 = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    /* 无事不扰: the firm sees only what it qualifies for */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/policies", jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 0), "id"), p1);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", p2);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/notices", jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    /* explain a match and a near miss */
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", p1);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "result"), "eligible");
    CHECK_INT(json_array_size(json_object_get(o, "clauses")), 2);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", p2);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "result"), "unknown"); /* high_tech not reported yet */
    /* a firm reads a policy it does not qualify for (404 above) through this: it is named */
    CHECK_STR(th_str(o, "title"), "农业科技");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain?foo=1", p2);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    json_decref(o);
    /* the firm reports its profile, the district certifies (or not) its high-tech standing:
     * rematched at once, high_tech makes it eligible */
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    CHECK_INT(th_call(&s, "PATCH", path, jd,
                      "{\"version\":0,\"employees\":120,\"scale\":\"medium\"}", &o),
              200);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"high_tech\":false}", &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", p2);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "result"), "not_eligible");
    json_t *nm = json_object_get(o, "near_miss");
    /* either clause alone would qualify it */
    CHECK_INT(json_array_size(nm), 2);
    CHECK_STR(json_string_value(json_array_get(nm, 1)), "high_tech");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":2,\"high_tech\":true}", &o), 200);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/policies", jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 2);
    json_decref(o);
    /* a changed policy: only jd still qualifies (others' employees unknown), no new notice */
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", p1);
    CHECK_INT(th_call(&s, "PATCH", path, off,
                      "{\"version\":1,\"conditions\":\"industry == \\\"logistics\\\" and "
                      "employees >= 10\"}",
                      &o),
              200);
    CHECK_INT(th_int(o, "newly_eligible"), 0);
    CHECK_INT(th_int(json_object_get(o, "policy"), "eligible_count"), 1);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", jd,
                      "{\"conditions\":\"scale in [\\\"small\\\" \\\"medium\\\"]\"}", &o),
              422);
    CHECK_STR(th_err_code(o), "rule_syntax");
    json_decref(o);

    /* reception days: 2025 scheduled off the holidays; sign-ups once per firm */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2025}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    CHECK_INT(json_array_size(cr), 12);
    CHECK_STR(th_str(json_array_get(cr, 1), "held_on"), "2025-02-05");
    CHECK_STR(th_str(json_array_get(cr, 9), "held_on"), "2025-10-09");
    long long day = th_int(json_array_get(cr, 0), "id");
    json_decref(o);
    /* 2025's days are past: sign-ups go to a day to come (2099, its calendar entered) */
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"冷链用地\"}", &o), 409);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL),
              201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    day = th_int(json_array_get(json_object_get(o, "created"), 0), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"冷链用地\"}", &o), 201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"again\"}", &o), 409);
    json_decref(o);
    /* who reads the firm's topic: the district and the viewer; a township officer only for the
     * township's own firms (as their appeals), the others counted in signup_count alone */
    {
        char town[80], view[80], dpath[96], q[160];
        th_login(&s, "jinhaihu", s.demo_pw, town);
        th_login(&s, "viewer", s.demo_pw, view);
        snprintf(dpath, sizeof dpath, "/api/v1/enterprise/reception-days/%lld", day);
        const char *toks[] = {off, view, town};
        const size_t want[] = {1, 1, 0};
        for (int i = 0; i < 3; i++) {
            CHECK_INT(th_call(&s, "GET", dpath, toks[i], NULL, &o), 200);
            CHECK_INT(json_array_size(json_object_get(o, "signups")), want[i]);
            CHECK_INT(th_int(o, "signup_count"), 1);
            json_decref(o);
        }
        snprintf(q, sizeof q,
                 "UPDATE organisations SET township_id = (SELECT township_id FROM users WHERE"
                 " username = 'jinhaihu') WHERE id = %lld",
                 org);
        th_sql_exec(&s, q);
        CHECK_INT(th_call(&s, "GET", dpath, town, NULL, &o), 200);
        CHECK_INT(json_array_size(json_object_get(o, "signups")), 1);
        json_decref(o);
    }
    snprintf(body, sizeof body, "{\"organisation_id\":%lld,\"topic\":\"x\"}", org + 1);
    CHECK_INT(th_call(&s, "POST", path, jd, body, &o), 403);
    json_decref(o);
    th_stop(&s);
}

/* the demo on top of the demo district: figures as promised, KPIs from the seed's 290 */
TEST(enterprise_demo_loads_and_reports)
{
    th_server s;
    th_start(&s, 1);
    pj_err err = {0};
    th_ctx t;
    th_ctx_open(&s, &t, "demo", PJ_ROLE_ADMIN);
    if (pj_enterprise_demo(&t.c, 7, &err)) t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    CHECK_INT(pj_enterprise_demo(&t.c, 7, &err), -1);
    CHECK_INT(err.status, 409);
    th_ctx_close(&t);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM organisations WHERE type = 'enterprise'") >= 2985);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_reception_days"), 24);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals"), 1500);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_policies"), 40);
    /* titles people read are Chinese: no category code or English label in them */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE title GLOB '*[a-z]*'"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_policies WHERE title GLOB '*[a-z]*'"), 0);
    CHECK_INT(
        th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE title = '人才引进落户咨询'") > 0, 1);
    /* no number of its own in a title: the console shows "#906 人才类诉求 #906" no more */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE title LIKE '%#%'"), 0);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_policy_matches") > 100);
    /* every policy in force for a year from the day the demo is built, whatever that day: a
     * demo built on 2027-01-01 had none (they ended on 2026-12-31) */
    char sql[160], later[11];
    pj_local_date(pj_now() + 365 * 86400, later);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_policies WHERE valid_from <= '%s' AND valid_until >= '%s'",
             later, later);
    CHECK_INT(th_sql_int(&s, sql), 40);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/policies/1", off, NULL, &o), 200);
    CHECK_STR(th_str(o, "status"), "in_force");
    json_decref(o);
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2024-01-01&to=2026-01-01", off, NULL, &o),
        200);
    CHECK_INT(th_int(o, "problems_solved"), 290);
    CHECK_INT(th_int(json_object_get(o, "district"), "appeals"), 1500);
    CHECK_INT(json_array_size(json_object_get(o, "trend")), 24);
    json_decref(o);
    th_stop(&s);
}

/* checks each month of a KPI trend against the database: received by the Beijing month of
 * receipt, closed by the Beijing month of closing (closings in [from, to), whenever received) */
static void check_trend(th_server *s, json_t *tr, const char *from, const char *to)
{
    char sql[400];
    long long recv_all = 0, closed_all = 0;
    for (size_t i = 0; i < json_array_size(tr); i++) {
        json_t *m = json_array_get(tr, i);
        const char *mon = th_str(m, "month");
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM ent_appeals WHERE state = 'closed' AND strftime('%%Y-%%m',"
                 " closed_at + 28800, 'unixepoch') = '%s' AND date(closed_at + 28800,"
                 " 'unixepoch') >= '%s' AND date(closed_at + 28800, 'unixepoch') < '%s'",
                 mon, from, to);
        CHECK_INT(th_int(m, "closed"), th_sql_int(s, sql));
        closed_all += th_int(m, "closed");
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM ent_appeals WHERE strftime('%%Y-%%m', received_at + 28800,"
                 " 'unixepoch') = '%s' AND date(received_at + 28800, 'unixepoch') >= '%s' AND"
                 " date(received_at + 28800, 'unixepoch') < '%s'",
                 mon, from, to);
        CHECK_INT(th_int(m, "received"), th_sql_int(s, sql));
        recv_all += th_int(m, "received");
    }
    CHECK(closed_all > 0);
    CHECK(recv_all > 0);
}

/* The monthly trend counted an appeal's closing in the month it was received (every month had
 * closed = received, and a period's first month showed nothing of what was received before it
 * and closed in it). Closings count in the Beijing month they happened. */
TEST(enterprise_kpi_trend_counts_closings_by_month_of_closing)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    /* received 23:30 on 31 January 2024 and closed 00:30 on 1 February, Beijing time (both on
     * 31 January in UTC) */
    th_sql_exec(&s, "UPDATE ent_appeals SET received_at = 1706715000, closed_at = 1706718600"
                    " WHERE id = (SELECT MIN(id) FROM ent_appeals WHERE state = 'closed')");
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2024-01-01&to=2026-01-01", off, NULL, &o),
        200);
    json_t *tr = json_object_get(o, "trend");
    CHECK_INT(json_array_size(tr), 24);
    check_trend(&s, tr, "2024-01-01", "2026-01-01");
    /* some month closes a different number than it received (they were all equal) */
    int differ = 0;
    for (size_t i = 0; i < json_array_size(tr); i++)
        differ |=
            th_int(json_array_get(tr, i), "closed") != th_int(json_array_get(tr, i), "received");
    CHECK(differ);
    json_decref(o);
    /* February alone: the appeal received in January and closed in February counts as closed
     * in February, though it was received before the period */
    long long feb_from_jan =
        th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE state = 'closed' AND"
                       " received_at < 1706716800 AND closed_at >= 1706716800 AND"
                       " closed_at < 1709222400");
    CHECK(feb_from_jan >= 1);
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2024-02-01&to=2024-03-01", off, NULL, &o),
        200);
    tr = json_object_get(o, "trend");
    CHECK_INT(json_array_size(tr), 1);
    check_trend(&s, tr, "2024-02-01", "2024-03-01");
    CHECK(th_int(json_array_get(tr, 0), "closed") >=
          feb_from_jan + th_sql_int(&s,
                                    "SELECT COUNT(*) FROM ent_appeals WHERE state = 'closed'"
                                    " AND received_at >= 1706716800 AND closed_at < 1709222400"));
    json_decref(o);
    th_stop(&s);
}

/* the KPI CSV for a period, as the reader sees it (a township officer: their township) */
static void kpi_csv(th_server *s, const char *user, pj_role role, long long town, pj_buf *out)
{
    th_ctx t;
    pj_err err = {0};
    th_ctx_open(s, &t, user, role);
    t.c.actor.township_id = town;
    pj_buf_init(out, 0);
    if (pj_ent_kpis(&t.c, pj_cal_day_start(pj_cal_from_civil(2024, 1, 1)),
                    pj_cal_day_start(pj_cal_from_civil(2026, 1, 1)), NULL, out, &err))
        t_fail(__FILE__, __LINE__, "kpis: %s", err.message);
    th_ctx_close(&t);
}

/* A township officer's KPI total was labelled "district" (the CSV's total row and the JSON),
 * though it covers their township. The CSV's total row names the township, and the JSON's
 * `scope` says what the total (kept under `district` for readers) covers. */
TEST(enterprise_kpi_total_is_labelled_by_its_scope)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[200], want[64];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_appeals WHERE township_id = %lld", jhh);
    CHECK(th_sql_int(&s, sql) > 0);
    pj_buf csv;
    kpi_csv(&s, "jinhaihu", PJ_ROLE_TOWNSHIP_OFFICER, jhh, &csv);
    CHECK(!strstr(csv.data, ",district,"));
    snprintf(want, sizeof want, "\r\n,%s,", "金海湖地区");
    CHECK(strstr(csv.data, want) != NULL);
    pj_buf_free(&csv);
    kpi_csv(&s, "officer", PJ_ROLE_DISTRICT_OFFICER, 0, &csv);
    CHECK(strstr(csv.data, "\r\n,district,") != NULL);
    pj_buf_free(&csv);
    char off[80], town[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2024-01-01", town, NULL, &o), 200);
    json_t *sc = json_object_get(o, "scope");
    CHECK_STR(th_str(sc, "level"), "township");
    CHECK_INT(th_int(sc, "township_id"), jhh);
    CHECK_STR(th_str(sc, "name"), "金海湖地区");
    CHECK(json_is_object(json_object_get(o, "district")));
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2024-01-01", off, NULL, &o), 200);
    sc = json_object_get(o, "scope");
    CHECK_STR(th_str(sc, "level"), "district");
    CHECK(json_is_null(json_object_get(sc, "township_id")));
    json_decref(o);
    th_stop(&s);
}

/* Regression: the median hours to close was rounded to one decimal in the JSON (and on the
 * console's page) but printed unrounded to four in the CSV: a median of 208.25 h read 208.3 on
 * the page and 208.2500 in the exported file. Both give 208.3 now. */
TEST(enterprise_kpi_median_hours_same_in_json_and_csv)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    /* every closed appeal closed 208 h 15 min after it came in */
    th_sql_exec(&s, "UPDATE ent_appeals SET closed_at = received_at + 749700"
                    " WHERE state = 'closed'");
    pj_buf csv;
    kpi_csv(&s, "officer", PJ_ROLE_DISTRICT_OFFICER, 0, &csv);
    pj_buf_putc(&csv, 0);
    CHECK(strstr(csv.data, "208.2500") == NULL);
    const char *total = strstr(csv.data, "\r\n,district,");
    CHECK(total != NULL);
    /* department_id, department, appeals, five rates, then the median */
    const char *p = total + 2;
    for (int k = 0; k < 8 && p; k++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
    CHECK(p != NULL && !strncmp(p, "208.3,", 6));
    pj_buf_free(&csv);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2024-01-01&to=2026-01-01", off, NULL, &o),
        200);
    json_t *d = json_object_get(o, "district");
    CHECK(json_number_value(json_object_get(d, "median_hours_to_close")) == 208.3);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a bad value inside completion_days or kpi_weights named its inner key alone as
 * the error's field ("inquiry", "response": no body fields, the latter easily read as
 * response_days). The field is the value's path now (completion_days.inquiry), nothing
 * written. */
TEST(enterprise_settings_inner_value_named_by_its_path)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, adm);
    static const struct {
        const char *body, *code, *field;
    } cases[] = {
        {"{\"completion_days\":{\"inquiry\":-1}}", "out_of_range", "completion_days.inquiry"},
        {"{\"completion_days\":{\"help\":\"5\"}}", "wrong_type", "completion_days.help"},
        {"{\"kpi_weights\":{\"response\":-1,\"resolution\":1,\"satisfaction\":1}}", "out_of_range",
         "kpi_weights.response"},
        {"{\"kpi_weights\":{\"satisfaction\":101}}", "out_of_range", "kpi_weights.satisfaction"},
        /* not an object: the field's wrong type, not a malformed body (was 400 invalid_json) */
        {"{\"completion_days\":[]}", "wrong_type", "completion_days"},
        {"{\"completion_days\":\"x\"}", "wrong_type", "completion_days"},
        {"{\"kpi_weights\":5}", "wrong_type", "kpi_weights"},
        {"{\"kpi_weights\":[1]}", "wrong_type", "kpi_weights"},
    };
    th_fingerprint(&s, before, sizeof before);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o;
        CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm, cases[i].body, &o), 422);
        CHECK_STR(th_err_code(o), cases[i].code);
        CHECK_STR(th_err_field(o), cases[i].field);
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* Regression: settings that leave no KPI weight above 0 are refused (every department's
 * composite score became null), a change that changes nothing writes no audit row, and the
 * sweep takes no body but an empty one (it ran on any body). */
TEST(enterprise_settings_and_sweep_refuse_what_they_cannot_use)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    json_t *o;
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm,
                      "{\"kpi_weights\":{\"response\":0,\"resolution\":0,\"satisfaction\":0}}", &o),
              422);
    CHECK_STR(th_err_field(o), "kpi_weights");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm, "{}", &o), 200);
    CHECK(json_is_object(json_object_get(o, "kpi_weights")));
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeal-sweeps", adm, "[]", &o), 400);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeal-sweeps", adm, "{\"zz\":1}", &o), 422);
    CHECK_STR(th_err_field(o), "zz");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* one weight at 0 is fine; the change is audited once */
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm,
                      "{\"kpi_weights\":{\"response\":0,\"resolution\":2,\"satisfaction\":1}}", &o),
              200);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_settings'"), 1);
    /* an optional version guards against a second admin's edit in between */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/settings", adm, NULL, &o), 200);
    long long v = th_int(o, "version");
    json_decref(o);
    CHECK_INT(v, 2);
    char body[160];
    snprintf(body, sizeof body, "{\"version\":%lld,\"response_days\":2}", v);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm, body, &o), 200);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm, body, &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeal-sweeps", adm, "{}", &o), 200);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeal-sweeps", adm, NULL, &o), 200);
    json_decref(o);
    /* a weight is kept as given — regression: stored to 6 digits, 0.1234567 answered 0.123457;
     * given again, it is no change */
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm,
                      "{\"kpi_weights\":{\"response\":0.1234567}}", &o),
              200);
    CHECK(json_real_value(json_object_get(json_object_get(o, "kpi_weights"), "response")) ==
          0.1234567);
    long long v1 = th_int(o, "version");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/settings", adm, NULL, &o), 200);
    CHECK(json_real_value(json_object_get(json_object_get(o, "kpi_weights"), "response")) ==
          0.1234567);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/settings", adm,
                      "{\"kpi_weights\":{\"response\":0.1234567}}", &o),
              200);
    CHECK_INT(th_int(o, "version"), v1);
    json_decref(o);
    th_stop(&s);
}

/* The console opened the KPIs on 2025, the demo's year, whatever the year. It opens on this
 * year (Beijing's) and offers the years that have appeals: the KPIs list them (`years`, by the
 * Beijing date of receipt, in the reader's scope), whatever the period asked for. */
TEST(enterprise_kpis_name_the_years_with_appeals)
{
    th_server s;
    th_start(&s, 1);
    char off[80], town[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01", off, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "years")), 0);
    json_decref(o);
    th_demo(&s, pj_enterprise_demo);
    /* one appeal received at 00:30 on 1 January 2021, Beijing time (2020 in UTC) */
    th_sql_exec(&s, "UPDATE ent_appeals SET received_at = 1609432200 WHERE id = (SELECT MIN(id)"
                    " FROM ent_appeals)");
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2030-01-01&to=2031-01-01", off, NULL, &o),
        200);
    json_t *ys = json_object_get(o, "years");
    CHECK_INT(json_array_size(ys), 3);
    CHECK_INT(json_integer_value(json_array_get(ys, 0)), 2021);
    CHECK_INT(json_integer_value(json_array_get(ys, 1)), 2024);
    CHECK_INT(json_integer_value(json_array_get(ys, 2)), 2025);
    CHECK_INT(th_int(json_object_get(o, "district"), "appeals"), 0);
    json_decref(o);
    /* a township officer: the years of their township's appeals, as the database has them */
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(DISTINCT strftime('%%Y', received_at + 28800, 'unixepoch')) FROM"
             " ent_appeals WHERE township_id = %lld",
             jhh);
    long long want = th_sql_int(&s, sql);
    CHECK(want > 0);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2024-01-01", town, NULL, &o), 200);
    ys = json_object_get(o, "years");
    CHECK_INT((long long)json_array_size(ys), want);
    for (size_t i = 0; i < json_array_size(ys); i++) {
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM ent_appeals WHERE township_id = %lld AND strftime('%%Y',"
                 " received_at + 28800, 'unixepoch') = '%lld'",
                 jhh, (long long)json_integer_value(json_array_get(ys, i)));
        CHECK(th_sql_int(&s, sql) > 0);
    }
    json_decref(o);
    th_stop(&s);
}

/* A firm's contact phone is a number someone can call back: "12345" or a mobile of 7 digits is
 * refused, a landline with or without its area code and a mobile with +86 are taken, and the
 * spaces around it are not stored (a trailing space made a mobile unrecognised: masked ****1). */
TEST(enterprise_contact_phones_are_callable)
{
    th_server s;
    th_start(&s, 1);
    char jd[80], body[256], path[96], q[96];
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    CHECK(org > 0);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    snprintf(q, sizeof q, "SELECT version FROM organisations WHERE id = %lld", org);
    static const char *const bad[] = {"12345", "1381234", "13812345678 13900001111"};
    json_t *o;
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        snprintf(body, sizeof body, "{\"version\":%lld,\"contact_phone\":\"%s\"}",
                 th_sql_int(&s, q), bad[k]);
        CHECK_INT(th_call(&s, "PATCH", path, jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "contact_phone");
        json_decref(o);
    }
    static const char *const good[][2] = {{" 13812345678 ", "13812345678"},
                                          {"010-6996 1234", "010-6996 1234"},
                                          {"6996 1234", "6996 1234"},
                                          {"+86 138 1234 5678", "+86 138 1234 5678"}};
    for (size_t k = 0; k < sizeof good / sizeof *good; k++) {
        snprintf(body, sizeof body, "{\"version\":%lld,\"contact_phone\":\"%s\"}",
                 th_sql_int(&s, q), good[k][0]);
        CHECK_INT(th_call(&s, "PATCH", path, jd, body, &o), 200);
        CHECK_STR(th_str(o, "contact_phone"), good[k][1]);
        json_decref(o);
    }
    th_stop(&s);
}
