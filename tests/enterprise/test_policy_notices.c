/* A firm's policy notices and explanations, as far as the firm may see. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

static long long notices(th_server *s, const char *tok, long long pol)
{
    char path[96];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/enterprise/notices?policy_id=%lld", pol);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    long long n = (long long)json_array_size(json_object_get(o, "items"));
    json_decref(o);
    return n;
}

/* Regression: a firm's notices listed policies it no longer qualified for, in force but not
 * matched, whose page (GET /policies/{id}) is 404: the console linked the notice to it. The
 * enterprise lists the notices of policies it matches now; officers still see every notice
 * sent. */
TEST(enterprise_notices_only_of_policies_still_matched)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[320], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    json_t *o;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"行业专项\",\"issuer\":\"区商务局\",\"issued_on\":\"2020-01-01\","
                "\"valid_from\":\"2020-01-01\",\"conditions\":\"industry == \\\"trade_a\\\"\"}",
                &o),
        201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    long long v = th_sql_int(&s, "SELECT version FROM organisations WHERE id IN (SELECT"
                                 " organisation_id FROM users WHERE username = 'jd')");
    snprintf(body, sizeof body, "{\"version\":%lld,\"industry\":\"trade_a\"}", v);
    CHECK_INT(th_call(&s, "PATCH", path, jd, body, NULL), 200);
    CHECK_INT(notices(&s, jd, pol), 1);
    /* the firm changes trade: it no longer qualifies */
    snprintf(body, sizeof body, "{\"version\":%lld,\"industry\":\"trade_b\"}", v + 1);
    CHECK_INT(th_call(&s, "PATCH", path, jd, body, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", pol);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 404);
    json_decref(o);
    CHECK_INT(notices(&s, jd, pol), 0);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/notices", jd, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    for (size_t k = 0; k < json_array_size(items); k++)
        CHECK(th_int(json_array_get(items, k), "policy_id") != pol);
    json_decref(o);
    /* the notice sent stays on record for officers */
    CHECK_INT(notices(&s, off, pol), 1);
    /* back in trade_a: listed again (with the new notice of its eligibility) */
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    snprintf(body, sizeof body, "{\"version\":%lld,\"industry\":\"trade_a\"}", v + 2);
    CHECK_INT(th_call(&s, "PATCH", path, jd, body, NULL), 200);
    CHECK(notices(&s, jd, pol) >= 1);
    th_stop(&s);
}

/* Regression: a firm whose trade (or figures) crossed a policy's condition and back was sent a
 * notice of the policy each time it qualified again, and read the same policy pushed two,
 * three times. A firm told of a policy once holds that notice; qualifying again sends none. */
TEST(enterprise_notice_once_per_policy_and_firm)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[320], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    json_t *o;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"行业专项\",\"issuer\":\"区商务局\",\"issued_on\":\"2020-01-01\","
                "\"valid_from\":\"2020-01-01\",\"conditions\":\"industry == \\\"trade_a\\\"\"}",
                &o),
        201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    long long v = th_sql_int(&s, "SELECT version FROM organisations WHERE id IN (SELECT"
                                 " organisation_id FROM users WHERE username = 'jd')");
    const char *trades[] = {"trade_a", "trade_b", "trade_a", "trade_b", "trade_a"};
    for (int k = 0; k < 5; k++) {
        snprintf(body, sizeof body, "{\"version\":%lld,\"industry\":\"%s\"}", v + k, trades[k]);
        CHECK_INT(th_call(&s, "PATCH", path, jd, body, NULL), 200);
    }
    CHECK_INT(notices(&s, jd, pol), 1);
    CHECK_INT(notices(&s, off, pol), 1);
    th_stop(&s);
}

/* Regression: an enterprise asking why another firm does (not) qualify got 403 "only your own
 * organisation", which told it the firm exists; the docs promise 404 not_found for a firm
 * outside the caller's scope, as the rule check and profiles answer. A firm that does not
 * exist answers alike. */
TEST(enterprise_explain_for_another_firm_not_found)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> %lld", org);
    long long other = th_sql_int(&s, sql);
    json_t *o;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"issued_on\":\"2020-01-01\","
                "\"valid_from\":\"2020-01-01\",\"conditions\":\"industry == \\\"logistics\\\"\"}",
                &o),
        201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    CHECK(other > 0 && pol > 0);
    long long ids[2] = {other, 999999};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain?organisation_id=%lld",
                 pol, ids[i]);
        CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 404);
        CHECK_STR(th_err_code(o), "not_found");
        json_decref(o);
    }
    /* its own, and an officer's for the other firm, are answered */
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain?organisation_id=%lld",
             pol, org);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain?organisation_id=%lld",
             pol, other);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    json_decref(o);
    th_stop(&s);
}

/* Regression: an enterprise read the rule of a policy not yet in force (and whether it would
 * qualify) through GET /policies/{id}/explain, while GET /policies/{id} is 404 for it. The
 * explanation is 404 not_found too now; once the policy is in force the firm may ask why it
 * does (not) qualify. */
TEST(enterprise_explain_of_policy_not_in_force_not_found)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128], sql[160];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"未发布的物流政策\",\"issuer\":\"区商务局\",\"issued_on\":"
                "\"2020-01-01\",\"valid_from\":\"2099-03-01\",\"conditions\":\"employees >= 0\"}",
                &o),
        201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    CHECK_STR(th_str(json_object_get(o, "policy"), "status"), "not_yet");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", pol);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 404);
    /* said as what the firm may read, not as if there were no such policy ("no policy N", while
     * the explanation of one in force shows it) */
    CHECK(strstr(th_err_message(o), "in force that your organisation qualifies for") != NULL);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", pol);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 404);
    CHECK_STR(th_err_code(o), "not_found");
    CHECK(json_object_get(o, "conditions") == NULL);
    json_decref(o);
    /* officers read it as before */
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain?organisation_id=%lld",
             pol, org);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    json_decref(o);
    /* in force: the firm asks */
    snprintf(sql, sizeof sql, "UPDATE ent_policies SET valid_from = '2020-01-01' WHERE id = %lld",
             pol);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", pol);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_INT(th_int(o, "policy_id"), pol);
    json_decref(o);
    th_stop(&s);
}

/* Regression: an enterprise asking for the policies another firm qualifies for
 * (GET /policies?organisation_id=) got its own list under the other firm's id, where the docs
 * and a township officer's answer are 404 not_found. It is 404 now, for a firm that does not
 * exist alike; its own id lists its own policies. */
TEST(enterprise_policy_list_of_another_firm_not_found)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128], sql[160];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> %lld", org);
    long long other = th_sql_int(&s, sql);
    CHECK(other > 0);
    json_t *o;
    /* one policy every firm qualifies for */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                      "{\"title\":\"普惠政策\",\"issuer\":\"区商务局\",\"issued_on\":"
                      "\"2020-01-01\",\"valid_from\":\"2020-01-01\",\"conditions\":\"true\"}",
                      &o),
              201);
    json_decref(o);
    long long ids[2] = {other, 999999};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/api/v1/enterprise/policies?organisation_id=%lld", ids[i]);
        CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 404);
        CHECK_STR(th_err_code(o), "not_found");
        json_decref(o);
    }
    json_t *all;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/policies?limit=500", jd, NULL, &all), 200);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies?organisation_id=%lld&limit=500", org);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK(json_array_size(json_object_get(o, "items")) > 0);
    CHECK(json_equal(json_object_get(o, "items"), json_object_get(all, "items")));
    json_decref(o);
    json_decref(all);
    th_stop(&s);
}

/* Regression: renaming a township left its firms' stored eligibility as it was, though the
 * rules read the township's name: /matches and the firm's own list named a policy whose
 * explanation said not_eligible. A township's new name matches its firms again at once. */
TEST(enterprise_township_rename_rematches_its_firms)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[320], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char q[160];
    snprintf(q, sizeof q, "SELECT township_id FROM organisations WHERE id = %lld", org);
    long long town = th_sql_int(&s, q);
    snprintf(q, sizeof q, "SELECT version FROM regions WHERE id = %lld", town);
    long long rv = th_sql_int(&s, q);
    json_t *o;
    /* the township's current name, for the rule */
    snprintf(path, sizeof path, "/api/v1/regions/%lld", town);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    char name[128];
    snprintf(name, sizeof name, "%s", th_str(o, "name"));
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"title\":\"乡镇专项\",\"issuer\":\"区商务局\",\"issued_on\":\"2020-01-01\","
             "\"valid_from\":\"2020-01-01\",\"conditions\":\"township == \\\"%s\\\"\"}",
             name);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off, body, &o), 201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    char mpath[128];
    snprintf(mpath, sizeof mpath, "/api/v1/enterprise/policies/%lld/matches?limit=500", pol);
    CHECK(th_list_has(&s, off, mpath, "organisation_id", org));
    CHECK(th_list_has(&s, jd, "/api/v1/enterprise/policies?limit=500", "id", pol));
    /* renamed: the rule no longer holds for the township's firms */
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s新\"}", rv, name);
    CHECK_INT(th_call(&s, "PATCH", path, off, body, NULL), 200);
    CHECK(!th_list_has(&s, off, mpath, "organisation_id", org));
    CHECK(!th_list_has(&s, jd, "/api/v1/enterprise/policies?limit=500", "id", pol));
    snprintf(q, sizeof q, "/api/v1/enterprise/policies/%lld", pol);
    CHECK_INT(th_call(&s, "GET", q, off, NULL, &o), 200);
    CHECK_INT(th_int(o, "eligible_count"), 0);
    json_decref(o);
    /* and back: eligible again */
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s\"}", rv + 1, name);
    CHECK_INT(th_call(&s, "PATCH", path, off, body, NULL), 200);
    CHECK(th_list_has(&s, jd, "/api/v1/enterprise/policies?limit=500", "id", pol));
    th_stop(&s);
}

/* A policy's issue date is checked: not in the future (a policy is recorded once issued; its
 * term may begin later) and not after the end of its term (one issued 2027-01-02 and valid to
 * 2026-12-31 was saved, 201). A change of the term's end before the issue date is refused at
 * valid_until. Nothing is written by a refusal. */
TEST(enterprise_policy_issue_date_checked)
{
    th_server s;
    th_start(&s, 1);
    char off[80], body[400], path[96], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    static const struct {
        const char *issued, *from, *until, *field;
    } bad[] = {{"2999-01-01", "2026-01-01", NULL, "issued_on"},
               {"2026-03-01", "2026-01-01", "2026-02-28", "issued_on"}};
    th_fingerprint(&s, fp0, sizeof fp0);
    for (int i = 0; i < 2; i++) {
        char until[40] = "";
        if (bad[i].until) snprintf(until, sizeof until, ",\"valid_until\":\"%s\"", bad[i].until);
        snprintf(body, sizeof body,
                 "{\"title\":\"日期政策%d\",\"issuer\":\"区商务局\",\"issued_on\":\"%s\","
                 "\"valid_from\":\"%s\"%s,\"conditions\":\"employees >= 1\"}",
                 i, bad[i].issued, bad[i].from, until);
        json_t *o = NULL;
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off, body, &o), 422);
        CHECK_STR(th_err_field(o), bad[i].field);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* a policy issued in March, valid from January: fine; its term cut to end in February is
     * not */
    json_t *o = NULL;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"日期政策\",\"issuer\":\"区商务局\",\"issued_on\":\"2026-03-01\","
                "\"valid_from\":\"2026-01-01\",\"conditions\":\"employees >= 1\"}",
                &o),
        201);
    long long id = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", id);
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"valid_until\":\"2026-02-28\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "valid_until");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"valid_until\":\"2026-03-31\"}", &o),
              200);
    json_decref(o);
    th_stop(&s);
}
