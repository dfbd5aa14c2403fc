/* A firm's credit grade, high-tech and 专精特新 (specialized) standings are certified by the
 * authorities: a firm could set them on its own profile and qualify at once for the policies
 * that ask for them (notices sent). Only the district's officials and a township officer of the
 * firm's township change them; the firm changing one is 403 forbidden naming the attribute,
 * nothing written (no notice), while it still corrects the figures it reports. */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

static json_t *profile(th_server *s, const char *tok, long long org)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    return CALL(s, "GET", tok, path, NULL, 200);
}

/* PATCH the profile as tok with the current version and fields: the status, the answer */
static int patch(th_server *s, const char *reader, const char *tok, long long org,
                 const char *fields, json_t **o)
{
    json_t *p = profile(s, reader, org);
    long long v = th_int(p, "version");
    json_decref(p);
    char path[96], body[256];
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    snprintf(body, sizeof body, "{\"version\":%lld,%s}", v, fields);
    return th_call(s, "PATCH", path, tok, body, o);
}

TEST(enterprise_firm_cannot_certify_itself)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], jd[80], town[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE],
        diff[4096];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    /* a policy for high-tech firms only: a firm that made itself one would be told of it */
    json_t *o = CALL(&s, "POST", off, "/api/v1/enterprise/policies",
                     "{\"title\":\"高新技术企业奖励\",\"issuer\":\"区科委\",\"issued_on\":"
                     "\"2025-01-01\",\"valid_from\":\"2025-01-01\",\"conditions\":\"high_tech and"
                     " specialized and credit == \\\"A\\\"\"}",
                     201);
    json_decref(o);
    /* as the district certified it */
    CHECK_INT(
        patch(&s, off, off, org, "\"credit\":\"B\",\"high_tech\":false,\"specialized\":false", &o),
        200);
    json_decref(o);

    /* each certified attribute, alone or beside a figure: refused at its field */
    const char *fields[] = {"\"high_tech\":true", "\"specialized\":true",
                            "\"credit\":\"A\"",   "\"employees\":77,\"high_tech\":true",
                            "\"credit\":null",    "\"revenue_wan\":10,\"specialized\":true"};
    const char *named[] = {"high_tech", "specialized", "credit",
                           "high_tech", "credit",      "specialized"};
    th_fingerprint(&s, before, sizeof before);
    for (int i = 0; i < 6; i++) {
        CHECK_INT(patch(&s, jd, jd, org, fields[i], &o), 403);
        CHECK_STR(th_err_code(o), "forbidden");
        CHECK_STR(th_err_field(o), named[i]);
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    if (strcmp(before, after))
        t_fail(__FILE__, __LINE__, "a refused change wrote: %s",
               th_fingerprint_diff(before, after, diff, sizeof diff));

    /* the figures it reports: its own to correct (the certified ones sent as they are is no
     * change of them) */
    CHECK_INT(patch(&s, jd, jd, org,
                    "\"employees\":88,\"tax_wan\":12.5,\"high_tech\":false,\"credit\":\"B\"", &o),
              200);
    CHECK_INT(th_int(o, "employees"), 88);
    CHECK(json_is_false(json_object_get(o, "high_tech")));
    CHECK_STR(th_str(o, "credit"), "B");
    json_decref(o);

    /* the district's officer certifies it; the firm then qualifies */
    CHECK_INT(
        patch(&s, off, off, org, "\"high_tech\":true,\"specialized\":true,\"credit\":\"A\"", &o),
        200);
    CHECK(json_is_true(json_object_get(o, "high_tech")));
    CHECK_STR(th_str(o, "credit"), "A");
    json_decref(o);

    /* a township officer: the firms of its township (another township's firm is not found) */
    long long jtown = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT id FROM organisations WHERE type = 'enterprise' AND township_id = %lld"
             " ORDER BY id LIMIT 1",
             jtown);
    long long local = th_sql_int(&s, sql);
    CHECK(local > 0);
    CHECK_INT(patch(&s, off, town, local, "\"specialized\":true,\"credit\":\"B\"", &o), 200);
    CHECK(json_is_true(json_object_get(o, "specialized")));
    CHECK_STR(th_str(o, "credit"), "B");
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT township_id FROM organisations WHERE id = %lld", org);
    if (th_sql_int(&s, sql) != jtown) {
        CHECK_INT(patch(&s, off, town, org, "\"high_tech\":false", &o), 404);
        json_decref(o);
    }
    th_stop(&s);
}

/* A PATCH that changes nothing (only the version, or the figures the profile has) writes
 * nothing: the same version, no audit row, as for every other record (it bumped the version and
 * wrote an audit row of no change, so a form sent back as it was read made the next one stale). */
TEST(enterprise_profile_patch_changing_nothing_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char jd[80];
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    const char *audits = "SELECT COUNT(*) FROM audit WHERE entity = 'ent_profile'";
    json_t *o;
    CHECK_INT(patch(&s, jd, jd, org, "\"employees\":40", &o), 200);
    long long v = th_int(o, "version"), n = th_sql_int(&s, audits);
    CHECK(v >= 1);
    json_decref(o);
    /* the figure it has, sent again; the version alone */
    CHECK_INT(patch(&s, jd, jd, org, "\"employees\":40", &o), 200);
    CHECK_INT(th_int(o, "version"), v);
    CHECK_INT(th_int(o, "employees"), 40);
    json_decref(o);
    char path[96], body[64];
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    snprintf(body, sizeof body, "{\"version\":%lld}", v);
    CHECK_INT(th_call(&s, "PATCH", path, jd, body, &o), 200);
    CHECK_INT(th_int(o, "version"), v);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, audits), n);
    /* a change still is one */
    CHECK_INT(patch(&s, jd, jd, org, "\"employees\":41", &o), 200);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, audits), n + 1);
    th_stop(&s);
}
