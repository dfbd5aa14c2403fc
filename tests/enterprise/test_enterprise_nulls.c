/* A null in a change of the enterprise records: a firm's figure goes back to "not reported"
 * and a policy's end to none (both once answered 200 and kept the old value, so the console's
 * emptied profile fields were never emptied); a field that may not be empty is 422
 * invalid_value on it and nothing is written (it too answered 200). */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

static json_t *call(th_server *s, const char *m, const char *path, const char *tok,
                    const char *body, int want)
{
    json_t *o = NULL;
    int st = th_call(s, m, path, tok, body, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "%s %s %s: %d, expected %d (%s)", m, path, body ? body : "", st,
               want, th_err_code(o) ? th_err_code(o) : "-");
    return o;
}

TEST(enterprise_null_empties_a_figure_and_a_policy_end)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    json_t *o = call(&s, "POST", "/api/v1/enterprise/policies", off,
                     "{\"title\":\"稳岗补贴\",\"issuer\":\"区人社局\",\"issued_on\":\"2025-01-01\","
                     "\"valid_from\":\"2025-01-01\",\"valid_until\":\"2099-12-31\","
                     "\"conditions\":\"employees >= 10\"}",
                     201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);

    /* the firm reports 50 employees: eligible; then takes the figure back */
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    json_decref(call(&s, "PATCH", path, jd, "{\"version\":0,\"employees\":50}", 200));
    char explain[128];
    snprintf(explain, sizeof explain, "/api/v1/enterprise/policies/%lld/explain", pol);
    o = call(&s, "GET", explain, jd, NULL, 200);
    CHECK_STR(th_str(o, "result"), "eligible");
    json_decref(o);
    o = call(&s, "PATCH", path, jd, "{\"version\":1,\"employees\":null}", 200);
    CHECK(json_is_null(json_object_get(o, "employees")));
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    o = call(&s, "GET", explain, jd, NULL, 200);
    CHECK_STR(th_str(o, "result"), "unknown");
    json_decref(o);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_policy_matches WHERE policy_id = %lld AND org_id = %lld",
             pol, org);
    CHECK_INT(th_sql_int(&s, sql), 0);

    /* the policy's end removed: in force with no end */
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", pol);
    o = call(&s, "PATCH", path, off, "{\"version\":1,\"valid_until\":null}", 200);
    CHECK(json_is_null(json_object_get(json_object_get(o, "policy"), "valid_until")));
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_policies WHERE id = %lld AND valid_until"
             " IS NULL AND version = 2",
             pol);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

TEST(enterprise_null_refused_where_a_field_may_not_be_empty)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], adm[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "admin", s.admin_pw, adm);
    static const struct {
        const char *table, *path, *field;
    } rows[] = {
        {"ent_policies", "/api/v1/enterprise/policies/%lld", "title"},
        {"ent_policies", "/api/v1/enterprise/policies/%lld", "valid_from"},
        {"ent_reception_days", "/api/v1/enterprise/reception-days/%lld", "minutes"},
        {"ent_reception_days", "/api/v1/enterprise/reception-days/%lld", "state"},
        {"ent_bank_products", "/api/v1/enterprise/bank-products/%lld", "name"},
        {"ent_bank_products", "/api/v1/enterprise/bank-products/%lld", "rate_pct"},
    };
    char sql[160], path[128], body[160], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT MIN(id) FROM %s", rows[i].table);
        long long id = th_sql_int(&s, sql);
        if (id <= 0) t_fail(__FILE__, __LINE__, "no row in %s", rows[i].table);
        snprintf(path, sizeof path, rows[i].path, id);
        snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = %lld", rows[i].table, id);
        snprintf(body, sizeof body, "{\"version\":%lld,\"%s\":null}", th_sql_int(&s, sql),
                 rows[i].field);
        th_fingerprint(&s, before, sizeof before);
        json_t *o = call(&s, "PATCH", path, off, body, 422);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), rows[i].field);
        json_decref(o);
        th_fingerprint(&s, after, sizeof after);
        CHECK_STR(after, before);
    }
    th_fingerprint(&s, before, sizeof before);
    json_t *o =
        call(&s, "PATCH", "/api/v1/enterprise/settings", adm, "{\"response_days\":null}", 422);
    CHECK_STR(th_err_field(o), "response_days");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}
