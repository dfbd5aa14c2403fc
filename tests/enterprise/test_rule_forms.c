/* The structured form of rules and clauses (field, op, values; a tree of and/or/not), so the
 * console words a rule in the reader's language instead of showing the rule text: the
 * library's forms, and the API carrying them on policies, bank products and explanations. */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "domain/enterprise_rules.h"
#include "t.h"
#include "th.h"

static const char *tree_of(pj_arena *a, const char *text, pj_buf *b)
{
    pj_rule *r;
    pj_err e = {0};
    if (pj_rule_compile(a, text, "c", &r, &e)) return "(does not parse)";
    pj_buf_reset(b);
    pj_jw w;
    pj_jw_init(&w, b);
    pj_rule_tree_json(&w, r);
    return b->data;
}

TEST(enterprise_rule_forms_tree_and_clauses)
{
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_buf b;
    pj_buf_init(&b, 1 << 16);
    CHECK_STR(tree_of(&a,
                      "industry in [\"logistics\", \"manufacturing\"] and employees >= 11 and "
                      "revenue_wan < 6000",
                      &b),
              "{\"op\":\"and\",\"args\":[{\"field\":\"industry\",\"op\":\"in\",\"values\":"
              "[\"logistics\",\"manufacturing\"]},{\"field\":\"employees\",\"op\":\">=\","
              "\"values\":[11]},{\"field\":\"revenue_wan\",\"op\":\"<\",\"values\":[6000]}]}");
    CHECK_STR(
        tree_of(&a, "not high_tech or (credit != \"D\" and founded_year not in [2020, 2021])", &b),
        "{\"op\":\"or\",\"args\":[{\"op\":\"not\",\"args\":[{\"field\":\"high_tech\","
        "\"op\":\"==\",\"values\":[true]}]},{\"op\":\"and\",\"args\":[{\"field\":"
        "\"credit\",\"op\":\"!=\",\"values\":[\"D\"]},{\"field\":\"founded_year\",\"op\":"
        "\"not_in\",\"values\":[2020,2021]}]}]}");
    CHECK_STR(tree_of(&a, "true", &b), "{\"field\":null,\"op\":\"const\",\"values\":[true]}");
    CHECK_STR(tree_of(&a, "specialized == false", &b),
              "{\"field\":\"specialized\",\"op\":\"==\",\"values\":[false]}");
    CHECK_STR(tree_of(&a, "tax_wan >= 20.5", &b),
              "{\"field\":\"tax_wan\",\"op\":\">=\",\"values\":[20.5]}");

    /* the explanation's clauses carry the same form */
    pj_rule *r;
    pj_err e = {0};
    CHECK_INT(
        pj_rule_compile(&a, "scale in [\"small\",\"micro\"] and not (tax_wan < 20)", "c", &r, &e),
        0);
    pj_rule_clause cl[2];
    pj_rule_rec rec;
    memset(&rec, 0, sizeof rec);
    pj_rule_explain(r, &rec, cl);
    CHECK_INT(cl[0].attr, PJ_RA_SCALE);
    CHECK_STR(cl[0].op, "in");
    CHECK_INT(cl[0].nvals, 2);
    CHECK_STR(cl[0].strs[1], "micro");
    CHECK_INT(cl[1].attr, PJ_RA_TAX_WAN);
    CHECK_STR(cl[1].op, "<");
    CHECK(cl[1].nums[0] == 20);
    CHECK(cl[1].strs == NULL);
    CHECK_INT(cl[1].negated, 1);
    pj_buf_free(&b);
    pj_arena_free(&a);
}

/* the first element of an array key */
static json_t *first(json_t *o, const char *key)
{
    return json_array_get(json_object_get(o, key), 0);
}

TEST(enterprise_rule_forms_in_the_api)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long abc =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '中国农业银行北京平谷支行'");
    char sql[300], path[160], body[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO ent_profiles (org_id, scale, credit, employees, revenue_wan, high_tech,"
             " updated_at) VALUES (%lld, 'medium', 'A', 120, 3000, 0, 0)",
             org);
    th_sql_exec(&s, sql);
    json_t *o;
    /* a policy read carries its rule as a tree (audit rows keep the text only) */
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
                "\"valid_from\":\"2025-01-01\",\"conditions\":\"industry == \\\"logistics\\\""
                " and employees >= 11\"}",
                &o),
        201);
    long long pid = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", pid);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    json_t *tree = json_object_get(o, "conditions_tree");
    CHECK_STR(th_str(tree, "op"), "and");
    CHECK_STR(th_str(json_array_get(json_object_get(tree, "args"), 1), "field"), "employees");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/policies", jd, NULL, &o), 200);
    CHECK(json_is_object(json_object_get(first(o, "items"), "conditions_tree")));
    json_decref(o);
    /* each clause of an explanation names its field, operator and values */
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain?organisation_id=%lld",
             pid, org);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    json_t *c = first(o, "clauses");
    CHECK_STR(th_str(c, "field"), "industry");
    CHECK_STR(th_str(c, "op"), "==");
    CHECK_STR(json_string_value(json_array_get(json_object_get(c, "values"), 0)), "logistics");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", off,
                      "{\"conditions\":\"employees >= 11\"}", &o),
              200);
    c = first(o, "clauses");
    CHECK_STR(th_str(c, "field"), "employees");
    CHECK_STR(th_str(c, "op"), ">=");
    CHECK(json_number_value(json_array_get(json_object_get(c, "values"), 0)) == 11);
    json_decref(o);
    /* bank products and a match's explanation too */
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"x\",\"min_wan\":1,\"max_wan\":1000,\"rate_pct\":3,"
             "\"term_months\":36,\"conditions\":\"credit in [\\\"A\\\", \\\"B\\\"]\"}",
             abc);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", off, body, &o), 201);
    long long prod = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", prod);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(json_object_get(o, "conditions_tree"), "op"), "in");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":100,\"term_months\":12,\"purpose\":\"设备\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-matches", jd, NULL, &o), 200);
    json_t *ex = json_object_get(first(o, "items"), "explanation");
    c = first(ex, "clauses");
    CHECK_STR(th_str(c, "field"), "credit");
    CHECK_STR(th_str(c, "op"), "in");
    CHECK_INT(json_array_size(json_object_get(c, "values")), 2);
    json_decref(o);
    th_stop(&s);
}

/* the profile page names the firm it shows: a read carries the organisation's name (a PATCH's
 * answer and the audit rows keep the attributes only) */
TEST(enterprise_profile_read_names_the_firm)
{
    th_server s;
    th_start(&s, 1);
    char jd[80], view[80];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK(th_str(o, "name") != NULL && strstr(th_str(o, "name"), "京东") != NULL);
    CHECK_INT(th_int(o, "version"), 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, view, NULL, &o), 200);
    CHECK(strstr(th_str(o, "name"), "京东") != NULL);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, view, "{\"version\":0,\"employees\":3}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":0,\"employees\":30}", &o), 200);
    CHECK(json_object_get(o, "name") == NULL);
    CHECK_INT(th_int(o, "employees"), 30);
    CHECK_INT(th_int(o, "version"), 1);
    json_decref(o);
    th_stop(&s);
}
