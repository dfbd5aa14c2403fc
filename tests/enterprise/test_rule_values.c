/* A rule's text values: `scale` and `credit` have fixed lists (those the profile takes), and a
 * value outside them ("Small", "a") was saved as a rule no firm could meet (a policy of
 * eligible_count 0, rules/check ok). Such a value is 422 rule_syntax on conditions naming its
 * column and the values allowed, at rules/check and when a policy or a financing product is
 * saved, nothing written. An `industry` or `township` no firm or township has is allowed (a
 * policy may come before its firms) but warned of: rules/check and the policy's answer list it,
 * and a financing product's answer (it had none: the bank saw no hint its rule matched nobody). */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"
#include "domain/enterprise_rules.h"
#include "t.h"
#include "th.h"

static void refused(th_server *s, const char *tok, const char *path, const char *method,
                    const char *body, const char *col, const char *allowed)
{
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], diff[4096];
    th_fingerprint(s, before, sizeof before);
    json_t *o = NULL;
    int st = th_call(s, method, path, tok, body, &o);
    if (st != 422) t_fail(__FILE__, __LINE__, "%s %s %s: %d, expected 422", method, path, body, st);
    CHECK_STR(th_err_code(o), "rule_syntax");
    CHECK_STR(th_err_field(o), "conditions");
    const char *m = th_err_message(o);
    if (strncmp(m, col, strlen(col)) || !strstr(m, allowed))
        t_fail(__FILE__, __LINE__, "message \"%s\": expected \"%s…%s…\"", m, col, allowed);
    json_decref(o);
    th_fingerprint(s, after, sizeof after);
    if (strcmp(before, after))
        t_fail(__FILE__, __LINE__, "a refused rule wrote: %s",
               th_fingerprint_diff(before, after, diff, sizeof diff));
}

/* the warnings of an answer: how many, and that one names field and value */
static void warned(json_t *ws, size_t n, const char *field, const char *value)
{
    CHECK(json_is_array(ws));
    CHECK_INT(json_array_size(ws), n);
    int seen = !field;
    for (size_t i = 0; i < json_array_size(ws); i++) {
        json_t *w = json_array_get(ws, i);
        CHECK(th_int(w, "column") >= 1);
        CHECK(strlen(th_str(w, "message")) > 0);
        if (field && !strcmp(th_str(w, "field"), field) && !strcmp(th_str(w, "value"), value))
            seen = 1;
    }
    CHECK(seen);
}

TEST(enterprise_rule_values_outside_the_fixed_lists_refused)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    long long bank = th_sql_int(&s, "SELECT id FROM organisations WHERE type = 'bank' LIMIT 1");
    CHECK(bank > 0);
    /* the review's rule: "Small" (column 39) is no scale */
    const char *bad = "{\"conditions\":\"industry == \\\"Logistics\\\" and scale in"
                      " [\\\"Small\\\",\\\"micro\\\"] and credit != \\\"a\\\"\"}";
    refused(&s, off, "/api/v1/enterprise/rules/check", "POST", bad,
            "column 39:", "micro, small, medium, large");
    refused(&s, off, "/api/v1/enterprise/rules/check", "POST",
            "{\"conditions\":\"employees > 3 and credit != \\\"a\\\"\"}",
            "column 29:", "A, B, C, D");
    refused(&s, off, "/api/v1/enterprise/rules/check", "POST",
            "{\"conditions\":\"scale == \\\"\\\"\"}", "column 10:", "micro, small, medium, large");
    refused(&s, off, "/api/v1/enterprise/policies", "POST",
            "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
            "\"valid_from\":\"2025-01-01\",\"conditions\":\"industry == \\\"Logistics\\\" and"
            " scale in [\\\"Small\\\",\\\"micro\\\"] and credit != \\\"a\\\"\"}",
            "column 39:", "micro, small, medium, large");
    char body[600];
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"小微贷\",\"min_wan\":1,\"max_wan\":100,"
             "\"rate_pct\":3.5,\"term_months\":12,\"conditions\":\"credit in [\\\"A\\\","
             " \\\"AA\\\"]\"}",
             bank);
    refused(&s, off, "/api/v1/enterprise/bank-products", "POST", body, "column 17:", "A, B, C, D");
    /* a change to such a rule likewise */
    json_t *o = CALL(&s, "POST", off, "/api/v1/enterprise/policies",
                     "{\"title\":\"小微补贴\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
                     "\"valid_from\":\"2025-01-01\",\"conditions\":\"scale in [\\\"small\\\","
                     "\\\"micro\\\"] and credit != \\\"D\\\"\"}",
                     201);
    long long pid = th_int(json_object_get(o, "policy"), "id");
    CHECK(json_is_array(json_object_get(o, "warnings")));
    CHECK_INT(json_array_size(json_object_get(o, "warnings")), 0);
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", pid);
    refused(&s, off, path, "PATCH", "{\"version\":1,\"conditions\":\"scale == \\\"tiny\\\"\"}",
            "column 10:", "micro, small, medium, large");
    long long product = th_sql_int(&s, "SELECT MIN(id) FROM ent_bank_products");
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", product);
    snprintf(body, sizeof body, "{\"version\":%lld,\"conditions\":\"credit == \\\"E\\\"\"}",
             th_sql_int(&s, "SELECT version FROM ent_bank_products WHERE id = (SELECT MIN(id)"
                            " FROM ent_bank_products)"));
    refused(&s, off, path, "PATCH", body, "column 11:", "A, B, C, D");

    /* an industry and a township nobody has: allowed, warned of */
    o = CALL(&s, "POST", off, "/api/v1/enterprise/rules/check",
             "{\"conditions\":\"industry == \\\"Logistics\\\" and scale in [\\\"small\\\","
             "\\\"micro\\\"] and credit != \\\"A\\\"\"}",
             200);
    CHECK(json_is_true(json_object_get(o, "ok")));
    warned(json_object_get(o, "warnings"), 1, "industry", "Logistics");
    CHECK_INT(th_int(json_array_get(json_object_get(o, "warnings"), 0), "column"), 13);
    json_decref(o);
    o = CALL(&s, "POST", off, "/api/v1/enterprise/rules/check",
             "{\"conditions\":\"township in [\\\"马坊地区\\\", \\\"马坊镇\\\"] or industry =="
             " \\\"logistics\\\"\"}",
             200);
    warned(json_object_get(o, "warnings"), 1, "township", "马坊镇");
    json_decref(o);
    /* the warning says what the value matches, not that the clause holds for no firm: under !=
     * a clause with it holds for nearly every firm (the warning said it held for none, while
     * 2,985 firms were notified) */
    o = CALL(&s, "POST", off, "/api/v1/enterprise/rules/check",
             "{\"conditions\":\"industry != \\\"nosuch\\\"\"}", 200);
    warned(json_object_get(o, "warnings"), 1, "industry", "nosuch");
    {
        const char *m = th_str(json_array_get(json_object_get(o, "warnings"), 0), "message");
        CHECK(m && strstr(m, "the value matches no firm") && !strstr(m, "holds for no firm"));
    }
    json_decref(o);
    o = CALL(&s, "POST", off, "/api/v1/enterprise/rules/check",
             "{\"conditions\":\"industry in [\\\"logistics\\\", \\\"agritech\\\"]\"}", 200);
    warned(json_object_get(o, "warnings"), 0, NULL, NULL);
    json_decref(o);
    /* the policy is saved, with the same warnings beside its eligible count */
    o = CALL(&s, "POST", off, "/api/v1/enterprise/policies",
             "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
             "\"valid_from\":\"2025-01-01\",\"conditions\":\"industry == \\\"Logistics\\\" and"
             " scale in [\\\"small\\\",\\\"micro\\\"]\"}",
             201);
    CHECK_INT(th_int(json_object_get(o, "policy"), "eligible_count"), 0);
    warned(json_object_get(o, "warnings"), 1, "industry", "Logistics");
    json_decref(o);
    /* and so is a financing product: its answer (the product) holds the warnings too */
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"物流贷\",\"min_wan\":1,\"max_wan\":100,"
             "\"rate_pct\":3.5,\"term_months\":12,\"conditions\":\"industry =="
             " \\\"Logistics\\\"\"}",
             bank);
    o = CALL(&s, "POST", off, "/api/v1/enterprise/bank-products", body, 201);
    CHECK_STR(th_str(o, "name"), "物流贷");
    warned(json_object_get(o, "warnings"), 1, "industry", "Logistics");
    CHECK_INT(th_int(json_array_get(json_object_get(o, "warnings"), 0), "column"), 13);
    product = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", product);
    /* a change of its rate leaves the rule and its warning; a rule of known values has none */
    o = CALL(&s, "PATCH", off, path, "{\"version\":1,\"rate_pct\":3.2}", 200);
    warned(json_object_get(o, "warnings"), 1, "industry", "Logistics");
    json_decref(o);
    o = CALL(&s, "PATCH", off, path,
             "{\"version\":2,\"conditions\":\"industry == \\\"logistics\\\"\"}", 200);
    warned(json_object_get(o, "warnings"), 0, NULL, NULL);
    CHECK_INT(th_int(o, "version"), 3);
    json_decref(o);
    th_stop(&s);
}

/* A product's PATCH that changes nothing (the version alone, the values it has) writes nothing:
 * the same version, no audit row, as every other record's (it made the next edit stale). */
TEST(enterprise_bank_product_patch_changing_nothing_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], path[96], body[160];
    th_login(&s, "officer", s.demo_pw, off);
    long long product = th_sql_int(&s, "SELECT MIN(id) FROM ent_bank_products");
    long long v = th_sql_int(&s, "SELECT version FROM ent_bank_products WHERE id = (SELECT"
                                 " MIN(id) FROM ent_bank_products)");
    const char *audits = "SELECT COUNT(*) FROM audit WHERE entity = 'ent_bank_product'";
    long long n = th_sql_int(&s, audits);
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", product);
    json_t *o = CALL(&s, "GET", off, path, NULL, 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"rate_pct\":%.17g,\"name\":\"%s\"}", v,
             json_number_value(json_object_get(o, "rate_pct")), th_str(o, "name"));
    json_decref(o);
    o = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_INT(th_int(o, "version"), v);
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld}", v);
    o = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_INT(th_int(o, "version"), v);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, audits), n);
    /* a change is one */
    snprintf(body, sizeof body, "{\"version\":%lld,\"term_months\":7}", v);
    o = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, audits), n + 1);
    th_stop(&s);
}

/* The check itself, in the rules library: the column of the value at fault, in characters. */
TEST(enterprise_rule_values_checked_in_the_library)
{
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_rule *r;
    pj_err e = {0};
    CHECK_INT(pj_rule_compile(&a, "scale in [\"small\", \"Medium\"]", "conditions", &r, &e), 0);
    CHECK_INT(pj_rule_check_values(r, "conditions", &e), -1);
    CHECK_INT(e.status, 422);
    CHECK_STR(e.code, "rule_syntax");
    CHECK(!strncmp(e.message, "column 20:", 10));
    /* columns count characters, not bytes */
    memset(&e, 0, sizeof e);
    CHECK_INT(pj_rule_compile(&a, "township == \"马坊\" or credit == \"b\"", "conditions", &r, &e),
              0);
    CHECK_INT(pj_rule_check_values(r, "conditions", &e), -1);
    CHECK(!strncmp(e.message, "column 31:", 10));
    memset(&e, 0, sizeof e);
    CHECK_INT(pj_rule_compile(&a,
                              "not (credit in [\"A\",\"B\",\"C\",\"D\"]) and scale != \"large\"",
                              "conditions", &r, &e),
              0);
    CHECK_INT(pj_rule_check_values(r, "conditions", &e), 0);
    pj_arena_free(&a);
}
