/* A firm's empty text attribute (here its credit rating) is unknown to the rules, alike in the
 * policy matching and in the explanation shown to the firm and to officers: the match list, the
 * firm's policy list and "why (not)" never disagree. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* 1 when org is among the policy's matches as the officer lists them */
static int matched(th_server *s, const char *tok, long long policy, long long org)
{
    char path[128];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/matches?limit=500", policy);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    int found = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "organisation_id") == org) found = 1;
    json_decref(o);
    return found;
}

TEST(enterprise_policy_empty_credit_is_unknown_in_matches_and_explain)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], sql[256], path[160];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    /* a profile whose credit rating was left empty (an older import, a hand-kept row) */
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO ent_profiles (org_id, updated_at) VALUES (%lld, 0);"
             "UPDATE ent_profiles SET credit = '' WHERE org_id = %lld",
             org, org);
    th_sql_exec(&s, sql);
    json_t *o;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"信用修复\",\"issuer\":\"区发改委\",\"issued_on\":\"2025-01-01\","
                "\"valid_from\":\"2025-01-01\",\"conditions\":\"credit != \\\"A\\\"\"}",
                &o),
        201);
    long long p = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);

    /* matching: not eligible on an unknown rating */
    CHECK(!matched(&s, off, p, org));
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/policies", jd, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        CHECK(th_int(json_array_get(items, i), "id") != p);
    json_decref(o);

    /* the explanation says the same, to the officer and to the firm: the clause is unknown */
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain?organisation_id=%lld", p,
             org);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "result"), "unknown");
    CHECK_STR(th_str(json_array_get(json_object_get(o, "clauses"), 0), "value"), "unknown");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", p);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "result"), "unknown");
    json_decref(o);
    /* a rule checked for the firm, as the policy editor does */
    snprintf(path, sizeof path, "{\"conditions\":\"credit != \\\"A\\\"\",\"organisation_id\":%lld}",
             org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", off, path, &o), 200);
    CHECK_STR(th_str(o, "result"), "unknown");
    json_decref(o);
    /* and the profile shows the rating as not reported */
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK(json_is_null(json_object_get(o, "credit")));
    json_decref(o);

    /* once certified (by the district: a firm does not rate itself), both agree again: a B
     * rating matches */
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    long long v = th_int(o, "version");
    json_decref(o);
    char body[80];
    snprintf(body, sizeof body, "{\"version\":%lld,\"credit\":\"B\"}", v);
    CHECK_INT(th_call(&s, "PATCH", path, off, body, &o), 200);
    json_decref(o);
    CHECK(matched(&s, off, p, org));
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", p);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "result"), "eligible");
    json_decref(o);
    th_stop(&s);
}
