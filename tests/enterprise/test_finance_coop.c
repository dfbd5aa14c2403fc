/* Bank–enterprise matching (政银企) and the cooperation board (企间合作) over a real socket:
 * product rules checked at save time, ranking and eligibility worked by hand, consent gating
 * what a bank sees, outcome transitions, counterpart matching, contact consent, role scopes.
 * Every refused write leaves the database as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enterprise.h"
#include "domain/enterprise_rules.h"
#include "t.h"
#include "th.h"

static long long mk_user(th_server *s, const char *adm, const char *name, long long org,
                         char tok[80])
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"username\":\"%s\",\"role\":\"enterprise\",\"organisation_id\":%lld,"
             "\"password\":\"long-enough-pw-9\"}",
             name, org);
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/users", adm, body, &o), 201);
    long long id = th_int(o, "id");
    json_decref(o);
    th_login(s, name, "long-enough-pw-9", tok);
    return id;
}

static long long product(th_server *s, const char *tok, long long bank, const char *name,
                         double minw, double maxw, double rate, int term, const char *cond)
{
    char body[600];
    if (bank)
        snprintf(body, sizeof body,
                 "{\"bank_id\":%lld,\"name\":\"%s\",\"min_wan\":%g,\"max_wan\":%g,"
                 "\"rate_pct\":%g,\"term_months\":%d,\"conditions\":\"%s\"}",
                 bank, name, minw, maxw, rate, term, cond);
    else
        snprintf(body, sizeof body,
                 "{\"name\":\"%s\",\"min_wan\":%g,\"max_wan\":%g,\"rate_pct\":%g,"
                 "\"term_months\":%d,\"conditions\":\"%s\"}",
                 name, minw, maxw, rate, term, cond);
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/bank-products", tok, body, &o), 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

static const char *msg_of(json_t *o)
{
    return json_string_value(json_object_get(json_object_get(o, "error"), "message"));
}

TEST(enterprise_finance_ranking_consent_and_outcomes)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], off[80], jd[80], town[80], view[80], bank[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    long long abc =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '中国农业银行北京平谷支行'");
    long long rcb =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '北京农商银行平谷支行'");
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char sql[400], path[128], body[400], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    snprintf(sql, sizeof sql,
             "INSERT INTO ent_profiles (org_id, scale, credit, employees, revenue_wan, high_tech,"
             " updated_at) VALUES (%lld, 'medium', 'A', 120, 3000, 0, 0)",
             org);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "UPDATE organisations SET contact_name = '王经理', contact_phone = '13900001111'"
             " WHERE id = %lld",
             org);
    th_sql_exec(&s, sql);
    mk_user(&s, adm, "abcbank", abc, bank);
    json_t *o;

    /* bad input and wrong roles write nothing */
    th_fingerprint(&s, before, sizeof before);
    const char *bad = "industry == \\\"logistics\\\" and and employees >= 10";
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"x\",\"min_wan\":1,\"max_wan\":10,\"rate_pct\":3,"
             "\"term_months\":12,\"conditions\":\"%s\"}",
             abc, bad);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", off, body, &o), 422);
    CHECK_STR(th_err_code(o), "rule_syntax");
    CHECK_STR(th_err_field(o), "conditions");
    {
        /* the column the parser names, which must be the second `and` (column 29) */
        const char *raw = "industry == \"logistics\" and and employees >= 10";
        pj_arena a;
        pj_arena_init(&a, 1 << 14);
        pj_rule *r;
        int col = 0;
        char m[200];
        CHECK_INT(pj_rule_parse(&a, raw, strlen(raw), &r, &col, m, sizeof m), -1);
        CHECK_INT(col, 29);
        pj_arena_free(&a);
        CHECK(strstr(msg_of(o), "column 29") != NULL);
    }
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"x\",\"min_wan\":100,\"max_wan\":10,\"rate_pct\":3,"
             "\"term_months\":12,\"conditions\":\"true\"}",
             abc);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", off, body, &o), 422);
    CHECK_STR(th_err_field(o), "max_wan");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"x\",\"min_wan\":1,\"max_wan\":10,\"rate_pct\":3,"
             "\"term_months\":12,\"conditions\":\"true\"}",
             rcb);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", bank, body, &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", jd, body, &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", view, body, &o), 403);
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"x\",\"min_wan\":1,\"max_wan\":10,\"rate_pct\":3,"
             "\"term_months\":12,\"conditions\":\"true\"}",
             org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", off, body, &o), 422);
    CHECK_STR(th_err_field(o), "bank_id");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":0,\"term_months\":12,\"purpose\":\"x\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "amount_wan");
    json_decref(o);
    /* a bank's account acts for no firm: 403 forbidden, at no field (it was 422 unknown_id at
     * organisation_id, "no enterprise N", a field it had not sent) — a need, a post, an appeal */
    static const char *const as_firm[][2] = {
        {"/api/v1/enterprise/financing-needs",
         "{\"amount_wan\":10,\"term_months\":12,\"purpose\":\"x\"}"},
        {"/api/v1/enterprise/coop-posts",
         "{\"kind\":\"offer\",\"category\":\"other\",\"title\":\"t\"}"},
        {"/api/v1/enterprise/appeals",
         "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"t\",\"description\":\"d\"}"}};
    for (size_t i = 0; i < sizeof as_firm / sizeof as_firm[0]; i++) {
        CHECK_INT(th_call(&s, "POST", as_firm[i][0], bank, as_firm[i][1], &o), 403);
        CHECK_STR(th_err_code(o), "forbidden");
        CHECK(json_is_null(json_object_get(json_object_get(o, "error"), "field")));
        CHECK(strstr(th_err_message(o), "is not an enterprise (it is of type bank)") != NULL);
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* the account says what its organisation is, so that a client does not offer a bank's user
     * what only an enterprise may do */
    const struct {
        const char *tok, *type;
    } kinds[] = {{bank, "bank"}, {jd, "enterprise"}, {off, NULL}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", kinds[i].tok, NULL, &o), 200);
        json_t *t = json_object_get(o, "organisation_type");
        if (kinds[i].type)
            CHECK_STR(json_string_value(t), kinds[i].type);
        else
            CHECK(json_is_null(t));
        json_decref(o);
    }

    /* products worked by hand for a need of 400 万元 over 24 months from jd (logistics,
     * 120 employees, credit A, not high-tech) */
    long long p1 = product(&s, off, abc, "物流贷A", 50, 1000, 3.5, 36,
                           "industry == \\\"logistics\\\" and employees >= 10");
    long long p2 =
        product(&s, bank, 0, "物流贷B", 100, 500, 3.5, 36, "industry == \\\"logistics\\\"");
    long long p3 = product(&s, off, rcb, "低息贷", 10, 2000, 2.9, 24, "credit == \\\"A\\\"");
    product(&s, off, rcb, "科创贷", 10, 2000, 2.5, 60, "high_tech");     /* not eligible */
    product(&s, off, rcb, "大额贷", 1000, 5000, 2.0, 60, "true");        /* amount < min */
    product(&s, bank, 0, "短贷", 10, 2000, 2.2, 12, "true");             /* term too short */
    product(&s, off, abc, "未知贷", 10, 2000, 2.1, 60, "tax_wan >= 10"); /* unknown */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_bank_product'"), 7);
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", p2);
    CHECK_INT(th_call(&s, "PATCH", path, bank, "{\"version\":1,\"conditions\":\"(\"}", &o), 422);
    CHECK_STR(th_err_code(o), "rule_syntax");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", p3);
    CHECK_INT(th_call(&s, "PATCH", path, bank, "{\"version\":1,\"rate_pct\":1}", &o), 404);
    json_decref(o);
    /* bank_id is never changed: 422 read_only for a bank naming another bank, on its own
     * product and on another bank's alike — regression: 403 "a bank publishes only its own"
     * there, which told the other bank's product from one that does not exist (404) */
    char other[64];
    snprintf(other, sizeof other, "{\"version\":1,\"bank_id\":%lld}", rcb);
    long long pids[] = {p2, p3, 999999};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", pids[i]);
        CHECK_INT(th_call(&s, "PATCH", path, bank, other, &o), 422);
        CHECK_STR(th_err_code(o), "read_only");
        CHECK_STR(th_err_field(o), "bank_id");
        json_decref(o);
    }

    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":400,\"term_months\":24,\"purpose\":\"冷链设备\"}", &o),
              201);
    long long need = th_int(o, "id");
    json_t *ms = json_object_get(o, "matches");
    /* rate first (低息贷 2.9), then amount fit: 400/500 (物流贷B) before 400/1000 (物流贷A) */
    CHECK_INT(json_array_size(ms), 3);
    CHECK_INT(th_int(json_array_get(ms, 0), "product_id"), p3);
    CHECK_INT(th_int(json_array_get(ms, 1), "product_id"), p2);
    CHECK_INT(th_int(json_array_get(ms, 2), "product_id"), p1);
    CHECK_INT(th_int(json_array_get(ms, 2), "rank"), 3);
    json_t *ex = json_object_get(json_array_get(ms, 2), "explanation");
    CHECK_STR(th_str(ex, "result"), "eligible");
    CHECK_INT(json_array_size(json_object_get(ex, "held")), 2);
    CHECK_STR(json_string_value(json_array_get(json_object_get(ex, "held"), 1)), "employees >= 10");
    long long m2 = th_int(json_array_get(ms, 1), "id");
    long long m1 = th_int(json_array_get(ms, 2), "id");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_fin_need'"), 1);

    /* before consent the bank sees nothing of the need */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-matches", bank, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-needs", bank, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld", m2);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 404);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-needs/%lld", need);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 404);
    json_decref(o);
    /* scopes: another township's officer does not see it, the district does */
    CHECK_INT(th_call(&s, "GET", path, town, NULL, &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "matches")), 3);
    json_decref(o);

    /* consent: only the firm itself; bad values and others write nothing */
    th_fingerprint(&s, before, sizeof before);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", m2);
    CHECK_INT(th_call(&s, "POST", path, off, "{\"version\":1,\"consent\":\"granted\"}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, bank, "{\"version\":1,\"consent\":\"granted\"}", &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"maybe\"}", &o), 422);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":7,\"consent\":\"granted\"}", &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/outcome", m1);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"status\":\"applied\"}", &o), 409);
    CHECK_STR(th_err_code(o), "consent_required");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", m2);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"granted\"}", &o), 200);
    CHECK_STR(th_str(o, "consent"), "granted");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":2,\"consent\":\"refused\"}", &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);

    /* after consent the bank sees that match (only), with the firm's details */
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld", m2);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 200);
    json_t *ent = json_object_get(o, "enterprise");
    CHECK_INT(th_int(ent, "organisation_id"), org);
    CHECK_STR(th_str(ent, "contact_phone"), "13900001111");
    CHECK_STR(th_str(ent, "contact_name"), "王经理");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-matches", bank, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld", m1);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 404); /* same bank, no consent */
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-needs/%lld", need);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "matches")), 1);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld", m2);
    CHECK_INT(th_call(&s, "GET", path, view, NULL, &o), 200);
    CHECK_STR(th_str(json_object_get(o, "enterprise"), "contact_phone"), "139****1111");
    json_decref(o);

    /* outcomes: pending → applied → approved; the rest refused with nothing written */
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/outcome", m2);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", path, bank,
                      "{\"version\":2,\"status\":\"approved\","
                      "\"approved_wan\":300}",
                      &o),
              409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, bank, "{\"version\":2,\"status\":\"applied\"}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, view, "{\"version\":2,\"status\":\"applied\"}", &o), 403);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":2,\"status\":\"applied\"}", &o), 200);
    CHECK_STR(th_str(o, "outcome"), "applied");
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", path, jd,
                      "{\"version\":3,\"status\":\"approved\",\"approved_wan\":300}", &o),
              403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, bank, "{\"version\":3,\"status\":\"approved\"}", &o), 422);
    CHECK_STR(th_err_field(o), "approved_wan");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, bank,
                      "{\"version\":3,\"status\":\"approved\",\"approved_wan\":600}", &o),
              422);
    CHECK_STR(th_err_field(o), "approved_wan");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", path, bank,
                      "{\"version\":3,\"status\":\"approved\",\"approved_wan\":300}", &o),
              200);
    CHECK_STR(th_str(o, "outcome"), "approved");
    CHECK(json_real_value(json_object_get(o, "approved_wan")) == 300.0 ||
          json_integer_value(json_object_get(o, "approved_wan")) == 300);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":4,\"status\":\"withdrawn\"}", &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, off, "{\"version\":4,\"status\":\"rejected\"}", &o), 409);
    json_decref(o);
    /* the firm withdraws another pending match */
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/outcome", m1);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"status\":\"withdrawn\"}", &o), 200);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_fin_match'"), 4);
    /* the firm lists only its own */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-matches?need_id=1", jd, NULL, &o),
              200);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-needs", jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-needs", town, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    th_stop(&s);
}

static json_t *outcome(th_server *s, const char *tok, long long match, const char *body, int status)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/outcome", match);
    json_t *o = NULL;
    CHECK_INT(th_call(s, "POST", path, tok, body, &o), status);
    return o;
}

/* Regression: a need was met more than once — after one bank approved its match, another
 * bank's match of the same need could be approved too (and more applied for), two loans for
 * one need. Once a match is approved the need is matched: applying for or approving another
 * match of it is 409 already_matched naming the approved one, with nothing written; the other
 * matches may still be rejected or withdrawn. */
TEST(enterprise_finance_need_is_matched_once)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long abc =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '中国农业银行北京平谷支行'");
    long long rcb =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '北京农商银行平谷支行'");
    product(&s, off, abc, "甲贷", 10, 1000, 3.0, 36, "true");
    product(&s, off, rcb, "乙贷", 10, 1000, 3.1, 36, "true");
    product(&s, off, rcb, "丙贷", 10, 1000, 3.2, 36, "true");
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":200,\"term_months\":12,\"purpose\":\"周转\"}", &o),
              201);
    long long need = th_int(o, "id");
    json_t *ms = json_object_get(o, "matches");
    CHECK_INT(json_array_size(ms), 3);
    long long m[3];
    for (int i = 0; i < 3; i++) m[i] = th_int(json_array_get(ms, i), "id");
    json_decref(o);
    char path[128], body[200], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", m[i]);
        CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"granted\"}", &o),
                  200);
        json_decref(o);
    }
    /* the firm applies to the first two banks at once; the first approves */
    json_decref(outcome(&s, jd, m[0], "{\"version\":2,\"status\":\"applied\"}", 200));
    json_decref(outcome(&s, jd, m[1], "{\"version\":2,\"status\":\"applied\"}", 200));
    o = outcome(&s, off, m[0], "{\"version\":3,\"status\":\"approved\",\"approved_wan\":200}", 200);
    CHECK_STR(th_str(json_object_get(o, "need"), "state"), "matched");
    json_decref(o);
    /* the need is met: no second approval, no new application; nothing written */
    th_fingerprint(&s, before, sizeof before);
    o = outcome(&s, off, m[1], "{\"version\":3,\"status\":\"approved\",\"approved_wan\":150}", 409);
    CHECK_STR(th_err_code(o), "already_matched");
    CHECK_STR(th_err_field(o), "status");
    snprintf(body, sizeof body, "match %lld was approved", m[0]);
    CHECK(strstr(th_err_message(o), body) != NULL);
    json_decref(o);
    o = outcome(&s, jd, m[2], "{\"version\":2,\"status\":\"applied\"}", 409);
    CHECK_STR(th_err_code(o), "already_matched");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_fin_matches WHERE need_id = %lld AND outcome = 'approved'",
             need);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* the other matches are closed as before: the second bank rejects, the firm withdraws */
    o = outcome(&s, off, m[1], "{\"version\":3,\"status\":\"rejected\"}", 200);
    CHECK_STR(th_str(o, "outcome"), "rejected");
    json_decref(o);
    json_decref(outcome(&s, jd, m[2], "{\"version\":2,\"status\":\"withdrawn\"}", 200));
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-needs/%lld", need);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "matched");
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    th_stop(&s);
}

/* Regression: after a need was matched (one match approved), the firm could still grant a
 * bank consent on another of its matches (200), sharing its details with a bank for a need
 * already met. Granting is 409 already_matched on `consent` now, naming the approved match,
 * and writes nothing; the bank keeps seeing nothing of it. Refusing consent shares nothing and
 * stays possible. */
/* The officers, jd and a user `bank_user` of 农行 logged in (tokens of 80 bytes): 农行's
 * organisation id, jd's into *org. */
static long long bank_and_firm(th_server *s, char *adm, char *off, char *jd, char *bank,
                               const char *bank_user, long long *org)
{
    th_login(s, "admin", s->admin_pw, adm);
    th_login(s, "officer", s->demo_pw, off);
    th_login(s, "jd", s->demo_pw, jd);
    long long abc =
        th_sql_int(s, "SELECT id FROM organisations WHERE name = '中国农业银行北京平谷支行'");
    *org = th_sql_int(s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    mk_user(s, adm, bank_user, abc, bank);
    return abc;
}

/* Regression: a consent once granted could not be taken back, and withdrawing the match left
 * the bank reading the firm's contact in full. The firm revokes it while no application stands
 * on it; the bank then sees nothing of the match, the need or the firm. */
TEST(enterprise_finance_consent_revoked_hides_the_firm_again)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], off[80], jd[80], bank[80], body[200], sql[300];
    long long org, abc = bank_and_firm(&s, adm, off, jd, bank, "abcbank", &org);
    snprintf(sql, sizeof sql,
             "UPDATE organisations SET contact_name = '王经理', contact_phone = '13900001111'"
             " WHERE id = %lld",
             org);
    th_sql_exec(&s, sql);
    product(&s, off, abc, "通用贷", 10, 1000, 3.5, 36, "true");
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":100,\"term_months\":12,\"purpose\":\"周转\"}", &o),
              201);
    long long need = th_int(o, "id");
    long long m = th_int(json_array_get(json_object_get(o, "matches"), 0), "id");
    json_decref(o);
    char consent[128], outcome[128], mpath[128], npath[128];
    snprintf(consent, sizeof consent, "/api/v1/enterprise/financing-matches/%lld/consent", m);
    snprintf(outcome, sizeof outcome, "/api/v1/enterprise/financing-matches/%lld/outcome", m);
    snprintf(mpath, sizeof mpath, "/api/v1/enterprise/financing-matches/%lld", m);
    snprintf(npath, sizeof npath, "/api/v1/enterprise/financing-needs/%lld", need);
    /* a consent not granted is not revoked */
    CHECK_INT(th_call(&s, "POST", consent, jd, "{\"version\":1,\"consent\":\"revoked\"}", &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", consent, jd, "{\"version\":1,\"consent\":\"granted\"}", &o), 200);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", mpath, bank, NULL, &o), 200);
    CHECK_STR(th_str(json_object_get(o, "enterprise"), "contact_phone"), "13900001111");
    json_decref(o);
    /* applied on it: withdrawn first; no one but the firm revokes */
    CHECK_INT(th_call(&s, "POST", outcome, jd, "{\"version\":2,\"status\":\"applied\"}", &o), 200);
    json_decref(o);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(th_call(&s, "POST", consent, jd, "{\"version\":3,\"consent\":\"revoked\"}", &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    CHECK(strstr(msg_of(o), "withdraw it first") != NULL);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", consent, off, "{\"version\":3,\"consent\":\"revoked\"}", &o),
              403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", consent, bank, "{\"version\":3,\"consent\":\"revoked\"}", &o),
              403);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(th_call(&s, "POST", outcome, jd, "{\"version\":3,\"status\":\"withdrawn\"}", &o),
              200);
    json_decref(o);
    /* withdrawn, the consent still stands until revoked */
    CHECK_INT(th_call(&s, "GET", mpath, bank, NULL, &o), 200);
    json_decref(o);
    long long audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'consent'");
    CHECK_INT(th_call(&s, "POST", consent, jd, "{\"version\":4,\"consent\":\"revoked\"}", &o), 200);
    CHECK_STR(th_str(o, "consent"), "revoked");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'consent'"), audits + 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_fin_matches WHERE id = %lld AND consent = 'revoked' AND"
             " consent_explanation IS NULL",
             m);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* the bank sees nothing again: the match, the need, the lists */
    CHECK_INT(th_call(&s, "GET", mpath, bank, NULL, &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", npath, bank, NULL, &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-matches", bank, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    snprintf(body, sizeof body, "/api/v1/enterprise/financing-needs?organisation_id=%lld", org);
    CHECK_INT(th_call(&s, "GET", body, bank, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    /* the firm and the officers still read it, revoked; it is not granted again */
    CHECK_INT(th_call(&s, "GET", mpath, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "consent"), "revoked");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", consent, jd, "{\"version\":5,\"consent\":\"granted\"}", &o), 409);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", consent, jd, "{\"version\":5,\"consent\":\"revoked\"}", &o), 409);
    json_decref(o);
    th_stop(&s);
}

TEST(enterprise_finance_matched_need_refuses_consent)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], adm[80], bank[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "admin", s.admin_pw, adm);
    long long abc =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '中国农业银行北京平谷支行'");
    long long rcb =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '北京农商银行平谷支行'");
    mk_user(&s, adm, "rcbuser", rcb, bank);
    product(&s, off, abc, "甲贷", 10, 1000, 3.0, 36, "true");
    product(&s, off, rcb, "乙贷", 10, 1000, 3.1, 36, "true");
    product(&s, off, rcb, "丙贷", 10, 1000, 3.2, 36, "true");
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":200,\"term_months\":12,\"purpose\":\"周转\"}", &o),
              201);
    long long need = th_int(o, "id");
    json_t *ms = json_object_get(o, "matches");
    CHECK_INT(json_array_size(ms), 3);
    long long m[3];
    for (int i = 0; i < 3; i++) m[i] = th_int(json_array_get(ms, i), "id");
    json_decref(o);
    char path[128], body[200], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", m[0]);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"granted\"}", NULL), 200);
    json_decref(outcome(&s, jd, m[0], "{\"version\":2,\"status\":\"applied\"}", 200));
    json_decref(outcome(&s, off, m[0],
                        "{\"version\":3,\"status\":\"approved\",\"approved_wan\":200}", 200));
    /* the need is met: no other bank is let see the firm */
    th_fingerprint(&s, before, sizeof before);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", m[1]);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"granted\"}", &o), 409);
    CHECK_STR(th_err_code(o), "already_matched");
    CHECK_STR(th_err_field(o), "consent");
    snprintf(body, sizeof body, "match %lld was approved", m[0]);
    CHECK(strstr(th_err_message(o), body) != NULL);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld", m[1]);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 404);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-needs/%lld", need);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 404);
    json_decref(o);
    /* refusing shares nothing: the firm may still say no to the other banks */
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", m[2]);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"refused\"}", &o), 200);
    CHECK_STR(th_str(o, "consent"), "refused");
    json_decref(o);
    th_stop(&s);
}

static long long post(th_server *s, const char *tok, long long org, const char *kind,
                      const char *cat, long long township, const char *title)
{
    char body[400], orgs[48] = "", towns[48] = "";
    if (org) snprintf(orgs, sizeof orgs, "\"organisation_id\":%lld,", org);
    if (township) snprintf(towns, sizeof towns, "\"township_id\":%lld,", township);
    snprintf(body, sizeof body, "{%s%s\"kind\":\"%s\",\"category\":\"%s\",\"title\":\"%s\"}", orgs,
             towns, kind, cat, title);
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/coop-posts", tok, body, &o), 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

TEST(enterprise_coop_matching_and_contact_consent)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], off[80], jd[80], town[80], view[80], pls[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long plo =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '普洛斯（平谷）物流有限公司'");
    long long cn =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '菜鸟（平谷）供应链有限公司'");
    long long blt =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '贝莱特（平谷）物流有限公司'");
    long long zc =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '正创（平谷）物流有限公司'");
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[300], path[128], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    snprintf(sql, sizeof sql,
             "UPDATE organisations SET contact_name = '王经理', contact_phone = '13900001111'"
             " WHERE id = %lld",
             org);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "UPDATE organisations SET contact_name = '李经理', contact_phone = '13700002222'"
             " WHERE id = %lld",
             plo);
    th_sql_exec(&s, sql);
    mk_user(&s, adm, "plsuser", plo, pls);
    json_t *o;

    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/coop-posts", jd,
                      "{\"kind\":\"offer\",\"category\":\"food\",\"title\":\"x\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "category");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/coop-posts", jd,
                      "{\"kind\":\"swap\",\"category\":\"supply\",\"title\":\"x\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "kind");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/coop-posts", jd,
                      "{\"kind\":\"offer\",\"category\":\"supply\",\"title\":\"x\","
                      "\"township_id\":999999}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "township_id");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/coop-posts", view,
                      "{\"kind\":\"offer\",\"category\":\"supply\",\"title\":\"x\"}", &o),
              403);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);

    /* counterparts of jd's logistics offer: needs in logistics, same township (马坊) first */
    long long far = post(&s, off, cn, "need", "logistics", jhh, "金海湖冷链配送");
    long long near = post(&s, off, plo, "need", "logistics", 0, "马坊仓配需求");
    post(&s, off, blt, "offer", "logistics", 0, "同类供给"); /* same kind */
    post(&s, off, zc, "need", "supply", 0, "其他类别");      /* other category */
    long long mine = post(&s, jd, 0, "offer", "logistics", 0, "京东仓配能力");
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_coop_post'"), 5);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/matches", mine);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    json_t *it = json_object_get(o, "items");
    CHECK_INT(json_array_size(it), 2);
    CHECK_INT(th_int(json_object_get(json_array_get(it, 0), "post"), "id"), near);
    CHECK(json_is_true(json_object_get(json_array_get(it, 0), "same_township")));
    CHECK_INT(th_int(json_object_get(json_array_get(it, 1), "post"), "id"), far);
    CHECK(json_is_false(json_object_get(json_array_get(it, 1), "same_township")));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/matches?limit=1", mine);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    char cur[40];
    snprintf(cur, sizeof cur, "%s", th_str(o, "next_cursor"));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/matches?limit=1&cursor=%s",
             mine, cur);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    it = json_object_get(o, "items");
    CHECK_INT(th_int(json_object_get(json_array_get(it, 0), "post"), "id"), far);
    CHECK(json_is_null(json_object_get(o, "next_cursor")));
    json_decref(o);
    /* the board is public but never shows contact details */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/coop-posts?category=logistics", pls, NULL, &o),
              200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 4);
    CHECK(json_object_get(json_array_get(json_object_get(o, "items"), 0), "contact_phone") == NULL);
    json_decref(o);

    /* a contact request: pending, details hidden until the receiver accepts */
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/contacts", mine);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"message\":\"自己\"}", &o), 409);
    CHECK_STR(th_err_code(o), "own_post");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, pls, "{\"message\":\"\"}", &o), 422);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", path, pls, "{\"message\":\"希望合作仓配\"}", &o), 201);
    long long req = th_int(o, "id");
    CHECK_STR(th_str(o, "state"), "pending");
    CHECK(json_object_get(json_object_get(o, "to"), "contact_phone") == NULL);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, pls, "{\"message\":\"again\"}", &o), 409);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-contacts/%lld", req);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK(json_object_get(json_object_get(o, "from"), "contact_phone") == NULL);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, town, NULL, &o), 404); /* 马坊 firms, not 金海湖 */
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-contacts/%lld/respond", req);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", path, pls, "{\"version\":1,\"decision\":\"accept\"}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, off, "{\"version\":1,\"decision\":\"accept\"}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"decision\":\"ok\"}", &o), 422);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"decision\":\"accept\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "accepted");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":2,\"decision\":\"decline\"}", &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-contacts/%lld", req);
    CHECK_INT(th_call(&s, "GET", path, pls, NULL, &o), 200);
    CHECK_STR(th_str(json_object_get(o, "to"), "contact_phone"), "13900001111");
    CHECK_STR(th_str(json_object_get(o, "to"), "contact_name"), "王经理");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(json_object_get(o, "from"), "contact_phone"), "13700002222");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, view, NULL, &o), 200);
    CHECK_STR(th_str(json_object_get(o, "to"), "contact_phone"), "139****1111");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_coop_contact'"), 2);

    /* lists by role: the two firms see it, another township's officer does not */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/coop-contacts", jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/coop-contacts", pls, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/coop-contacts", town, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/coop-contacts?state=accepted", off, NULL, &o),
              200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    th_stop(&s);
}

/* the demo adds the banks' products, needs with ranked matches, and cooperation posts */
TEST(enterprise_demo_banks_and_cooperation)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_bank_products WHERE source = 'synthetic'"),
              10);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(DISTINCT bank_id) FROM ent_bank_products"), 3);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_fin_needs"), 40);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_fin_matches") > 40);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_fin_matches WHERE consent = 'granted'") > 0);
    /* an approved match has met its need, as an approval through the API does (the demo's
     * needs stayed open, so a second bank could be approved for them) */
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_fin_matches WHERE outcome = 'approved'") > 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_fin_needs n WHERE (n.state = 'matched') <>"
                             " EXISTS (SELECT 1 FROM ent_fin_matches m WHERE m.need_id = n.id AND"
                             " m.outcome = 'approved')"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_posts"), 60);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_contacts") > 0);
    /* the demo's words are Chinese: no category codes or English notes in what the console
     * shows (titles, bodies, messages, reception minutes, policy benefits) */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_posts WHERE title GLOB '*[A-Za-z]*'"
                             " OR body GLOB '*[A-Za-z]*'"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_posts WHERE title LIKE '供：%'"
                             " AND kind <> 'offer' OR title LIKE '需：%' AND kind <> 'need'"),
              0);
    CHECK_INT(
        th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_contacts WHERE message GLOB '*[A-Za-z]*'"),
        0);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_reception_days WHERE minutes <> ''") > 0);
    CHECK_INT(
        th_sql_int(&s, "SELECT COUNT(*) FROM ent_reception_days WHERE minutes GLOB '*[A-Za-z]*'"),
        0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_policies WHERE benefit GLOB '*[A-Za-z]*'"),
              0);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-matches?limit=500", off, NULL, &o),
              200);
    CHECK(json_array_size(json_object_get(o, "items")) > 40);
    json_decref(o);
    th_stop(&s);
}

static void set_contact(th_server *s, long long org, const char *name, const char *phone)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE organisations SET contact_name = '%s', contact_phone = '%s' WHERE id = %lld",
             name, phone, org);
    th_sql_exec(s, sql);
}

/* The contact request at path as tok sees it: the two phones (NULL: not checked). */
static void phones_seen(th_server *s, const char *tok, const char *path, const char *from,
                        const char *to, int line)
{
    json_t *o;
    if (th_call(s, "GET", path, tok, NULL, &o) != 200) t_fail(__FILE__, line, "GET %s", path);
    const char *f = th_str(json_object_get(o, "from"), "contact_phone");
    const char *t = th_str(json_object_get(o, "to"), "contact_phone");
    if (from && (!f || strcmp(f, from)))
        t_fail(__FILE__, line, "from's phone %s, expected %s", f ? f : "-", from);
    if (to && (!t || strcmp(t, to)))
        t_fail(__FILE__, line, "to's phone %s, expected %s", t ? t : "-", to);
    json_decref(o);
}
#define PHONES(s, tok, path, from, to) phones_seen(s, tok, path, from, to, __LINE__)

/* Regression: a firm's figures, its policy matches and its contact phone stay within the
 * caller's scope — also through the rule checker and the policy list's filter, which read
 * the same record as the profile (an enterprise or another township's officer could read any
 * firm's revenue by trying thresholds). */
TEST(enterprise_scope_of_rules_policies_and_contacts)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], off[80], jd[80], town[80], view[80], far_tok[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[300], path[160], body[300];
    snprintf(sql, sizeof sql,
             "INSERT INTO organisations (name, type, industry, township_id, created_at,"
             " updated_at) VALUES ('金海湖冷链有限公司', 'enterprise', 'logistics', %lld, 0, 0)",
             jhh);
    th_sql_exec(&s, sql);
    /* a firm of 金海湖, outside jd's and 马坊's scope */
    long long far = th_sql_int(&s, "SELECT MAX(id) FROM organisations");
    snprintf(sql, sizeof sql,
             "INSERT INTO ent_profiles (org_id, scale, credit, employees, revenue_wan, high_tech,"
             " specialized, updated_at, version) VALUES (%lld, 'small', 'A', 80, 5000, 1, 0, 0, 1)",
             far);
    th_sql_exec(&s, sql);
    json_t *o;
    /* the rule checker explains a rule for a firm only to those who may see the firm */
    snprintf(body, sizeof body, "{\"conditions\":\"revenue_wan >= 1000\",\"organisation_id\":%lld}",
             far);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", jd, body, &o), 404);
    CHECK(json_object_get(o, "clauses") == NULL);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT township_id FROM organisations WHERE id = %lld", org);
    CHECK(th_sql_int(&s, sql) != jhh);
    snprintf(body, sizeof body, "{\"conditions\":\"revenue_wan >= 1000\",\"organisation_id\":%lld}",
             org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", town, body, &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", jd, body, &o), 200);
    json_decref(o);
    snprintf(body, sizeof body, "{\"conditions\":\"revenue_wan >= 1000\",\"organisation_id\":%lld}",
             far);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", town, body, &o), 200);
    CHECK_STR(th_str(json_array_get(json_object_get(o, "clauses"), 0), "value"), "held");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", off, body, &o), 200);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", view, body, &o), 200);
    json_decref(o);
    /* which policies a firm qualifies for: the same scope */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                      "{\"title\":\"营收奖励\",\"issuer\":\"区发改委\",\"issued_on\":"
                      "\"2025-01-01\",\"valid_from\":\"2025-01-01\",\"conditions\":"
                      "\"revenue_wan >= 1000\"}",
                      &o),
              201);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies?organisation_id=%lld", org);
    CHECK_INT(th_call(&s, "GET", path, town, NULL, &o), 404);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies?organisation_id=%lld", far);
    CHECK_INT(th_call(&s, "GET", path, town, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    /* a contact request between a 马坊 firm (jd) and a 金海湖 one: 金海湖's officer sees their
     * own firm's phone in full and jd's masked; the two firms see each other's in full */
    set_contact(&s, org, "王经理", "13900001111");
    set_contact(&s, far, "赵经理", "13600003333");
    mk_user(&s, adm, "faruser", far, far_tok);
    long long mine = post(&s, jd, 0, "offer", "logistics", 0, "京东仓配能力");
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/contacts", mine);
    CHECK_INT(th_call(&s, "POST", path, far_tok, "{\"message\":\"冷链合作\"}", &o), 201);
    long long req = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-contacts/%lld/respond", req);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"decision\":\"accept\"}", &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-contacts/%lld", req);
    PHONES(&s, town, path, "13600003333", "139****1111");
    PHONES(&s, far_tok, path, NULL, "13900001111");
    PHONES(&s, jd, path, "13600003333", NULL);
    PHONES(&s, off, path, "13600003333", "13900001111");
    PHONES(&s, view, path, "136****3333", NULL);
    th_stop(&s);
}

/* Regression: a firm read every other organisation's contact person (name and masked phone)
 * through the registry, though the cooperation board gives a counterpart's contact only once
 * a request is accepted. An enterprise user gets them of its own organisation only; the other
 * organisations' name, USCC and business data stay readable. */
TEST(enterprise_registry_hides_other_organisations_contacts)
{
    th_server s;
    th_start(&s, 1);
    char jd[80], off[80];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    long long own = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long other = th_sql_int(&s, "SELECT id FROM organisations WHERE contact_name <> ''"
                                     " AND id <> (SELECT organisation_id FROM users"
                                     " WHERE username = 'jd') ORDER BY id LIMIT 1");
    CHECK(other > 0);
    char path[96];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", other);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK(json_is_null(json_object_get(o, "contact_name")));
    CHECK(json_is_null(json_object_get(o, "contact_phone")));
    CHECK(strlen(th_str(o, "name")) > 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200); /* officers: as before */
    CHECK(strlen(th_str(o, "contact_name")) > 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/organisations?limit=500", jd, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    int seen_own = 0;
    for (size_t k = 0; k < json_array_size(items); k++) {
        json_t *it = json_array_get(items, k);
        if (th_int(it, "id") == own) {
            seen_own = 1;
            CHECK(json_is_string(json_object_get(it, "contact_name")));
            CHECK(json_is_string(json_object_get(it, "contact_phone")));
        } else {
            CHECK(json_is_null(json_object_get(it, "contact_name")));
            CHECK(json_is_null(json_object_get(it, "contact_phone")));
        }
    }
    CHECK(seen_own);
    json_decref(o);
    th_stop(&s);
}

static size_t list_len(th_server *s, const char *tok, const char *path)
{
    json_t *o;
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    size_t n = json_array_size(json_object_get(o, "items"));
    json_decref(o);
    return n;
}

/* Regression: an enterprise filtering its financing needs, matches or notices by another firm's
 * organisation_id was shown its own rows, as if they were the other firm's. The filter selects
 * within the firm's scope, as on the appeals list: another firm named is an empty list. */
TEST(enterprise_lists_filtered_by_another_firm_are_empty)
{
    th_server s;
    th_start(&s, 1);
    char jd[80], path[160], sql[160];
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> %lld", org);
    long long other = th_sql_int(&s, sql);
    CHECK(org > 0 && other > 0);
    json_t *o;
    /* a product for any firm: the need gets a match */
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    long long bank = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type = 'bank'");
    CHECK(product(&s, off, bank, "通用贷", 1, 1000, 3, 36, "true") > 0);
    /* and a policy for every firm: a notice */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                      "{\"title\":\"普惠政策\",\"issuer\":\"区商务局\",\"issued_on\":"
                      "\"2020-01-01\",\"valid_from\":\"2020-01-01\",\"conditions\":\"true\"}",
                      NULL),
              201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":50,\"term_months\":12,\"purpose\":\"周转\"}", &o),
              201);
    json_decref(o);
    static const char *const lists[] = {"financing-needs", "financing-matches", "notices",
                                        "appeals"};
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "/api/v1/enterprise/%s?organisation_id=%lld&limit=200",
                 lists[k], org);
        size_t own = list_len(&s, jd, path);
        if (k < 3) CHECK(own > 0);
        snprintf(path, sizeof path, "/api/v1/enterprise/%s?limit=200", lists[k]);
        CHECK_INT(list_len(&s, jd, path), own);
        snprintf(path, sizeof path, "/api/v1/enterprise/%s?organisation_id=%lld&limit=200",
                 lists[k], other);
        CHECK_INT(list_len(&s, jd, path), 0);
    }
    /* contact requests: with organisation_id, the firm's requests with that firm only */
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id NOT IN (%lld,"
             " %lld)",
             org, other);
    long long third = th_sql_int(&s, sql);
    long long p = post(&s, off, other, "offer", "supply", 0, "供货合作");
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/contacts", p);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"message\":\"联系\"}", NULL), 201);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-contacts?organisation_id=%lld", other);
    CHECK_INT(list_len(&s, jd, path), 1);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-contacts?organisation_id=%lld", third);
    CHECK_INT(list_len(&s, jd, path), 0);
    th_stop(&s);
}

static int post_listed(json_t *o, long long id)
{
    json_t *it = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(it); i++) {
        json_t *e = json_array_get(it, i);
        json_t *p = json_object_get(e, "post");
        if (th_int(p ? p : e, "id") == id) return 1;
    }
    return 0;
}

/* a post is corrected, closed and opened again by its firm or an officer in scope: a closed
 * post leaves the other firms' matches and takes no contact request; the others are refused */
TEST(enterprise_coop_post_close_correct_reopen)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], off[80], jd[80], town[80], view[80], pls[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    long long plo =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '普洛斯（平谷）物流有限公司'");
    mk_user(&s, adm, "plsuser", plo, pls);
    long long mine = post(&s, jd, 0, "offer", "logistics", 0, "京东仓配能力");
    long long theirs = post(&s, off, plo, "need", "logistics", 0, "马坊仓配需求");
    char path[128], mpath[128], cpath[128], sql[200];
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld", mine);
    snprintf(mpath, sizeof mpath, "/api/v1/enterprise/coop-posts/%lld/matches", theirs);
    snprintf(cpath, sizeof cpath, "/api/v1/enterprise/coop-posts/%lld/contacts", mine);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_coop_post' AND entity_id = %lld"
             " AND action = 'update'",
             mine);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", mpath, pls, NULL, &o), 200);
    CHECK(post_listed(o, mine));
    json_decref(o);

    /* refused writes leave the database as it was */
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "PATCH", path, pls, "{\"version\":1,\"state\":\"closed\"}", &o), 403);
    CHECK_STR(th_err_code(o), "forbidden");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, town, "{\"version\":1,\"state\":\"closed\"}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, view, "{\"version\":1,\"state\":\"closed\"}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/enterprise/coop-posts/999999", jd,
                      "{\"version\":1,\"state\":\"closed\"}", &o),
              404);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":1,\"state\":\"gone\"}", &o), 422);
    CHECK_STR(th_err_field(o), "state");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":1,\"category\":\"food\"}", &o), 422);
    CHECK_STR(th_err_field(o), "category");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":1,\"title\":\"  \"}", &o), 422);
    CHECK_STR(th_err_field(o), "title");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"state\":\"closed\"}", &o), 422);
    CHECK_STR(th_err_field(o), "version");
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":7,\"state\":\"closed\"}", &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    /* a PATCH that changes nothing writes nothing */
    CHECK_INT(th_call(&s, "PATCH", path, jd,
                      "{\"version\":1,\"state\":\"open\",\"title\":\"京东仓配能力\"}", &o),
              200);
    CHECK_INT(th_int(o, "version"), 1);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_sql_int(&s, sql), 0);

    /* jd closes its post: gone from the other firm's matches, no contact request */
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":1,\"state\":\"closed\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(th_call(&s, "GET", mpath, pls, NULL, &o), 200);
    CHECK(!post_listed(o, mine));
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", cpath, pls, "{\"message\":\"希望合作仓配\"}", &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/coop-posts?state=closed", pls, NULL, &o), 200);
    CHECK(post_listed(o, mine));
    CHECK(!post_listed(o, theirs));
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/coop-posts?state=open", pls, NULL, &o), 200);
    CHECK(!post_listed(o, mine));
    CHECK(post_listed(o, theirs));
    json_decref(o);

    /* a district officer corrects and reopens it; the stale version is refused */
    CHECK_INT(th_call(&s, "PATCH", path, off,
                      "{\"version\":2,\"state\":\"open\",\"title\":\"京东冷链仓配\","
                      "\"body\":\"每日20车\",\"category\":\"logistics\"}",
                      &o),
              200);
    CHECK_STR(th_str(o, "state"), "open");
    CHECK_STR(th_str(o, "title"), "京东冷链仓配");
    CHECK_STR(th_str(o, "body"), "每日20车");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, sql), 2);
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":2,\"state\":\"closed\"}", &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", mpath, pls, NULL, &o), 200);
    CHECK(post_listed(o, mine));
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", cpath, pls, "{\"message\":\"希望合作仓配\"}", &o), 201);
    json_decref(o);

    /* a township officer changes the posts of the township's firms, not the others' */
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long local =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '菜鸟（平谷）供应链有限公司'");
    snprintf(sql, sizeof sql, "UPDATE organisations SET township_id = %lld WHERE id = %lld", jhh,
             local);
    th_sql_exec(&s, sql);
    long long lp = post(&s, off, local, "need", "supply", 0, "金海湖原料需求");
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld", lp);
    CHECK_INT(th_call(&s, "PATCH", path, town, "{\"version\":1,\"state\":\"closed\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    json_decref(o);
    th_stop(&s);
}

/* a post may be for another township than its firm's: the firm's township officer changes it
 * (the post names that township, organisation_township_id, so the console offers the buttons
 * to the right officer), the officer of the post's township is refused */
TEST(enterprise_coop_post_changed_by_the_firms_township)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], jd[80], jhh[80], home[80], body[256];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, jhh);
    long long jhh_town =
        th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long firm_town = th_sql_int(&s, "SELECT o.township_id FROM organisations o JOIN users u"
                                         " ON u.organisation_id = o.id WHERE u.username = 'jd'");
    CHECK(firm_town > 0 && firm_town != jhh_town);
    snprintf(body, sizeof body,
             "{\"username\":\"hometo\",\"role\":\"township_officer\",\"township_id\":%lld,"
             "\"password\":\"long-enough-pw-9\"}",
             firm_town);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", adm, body, &o), 201);
    json_decref(o);
    th_login(&s, "hometo", "long-enough-pw-9", home);
    long long p = post(&s, jd, 0, "need", "supply", jhh_town, "金海湖民宿布草采购");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld", p);
    CHECK_INT(th_call(&s, "GET", path, jhh, NULL, &o), 200);
    CHECK_INT(th_int(o, "township_id"), jhh_town);
    CHECK_INT(th_int(o, "organisation_township_id"), firm_town);
    json_decref(o);
    char list[128];
    snprintf(list, sizeof list,
             "/api/v1/enterprise/coop-posts?kind=need&township_id=%lld&limit=100", jhh_town);
    CHECK_INT(th_call(&s, "GET", list, jhh, NULL, &o), 200);
    json_t *it;
    size_t i;
    int seen = 0;
    json_array_foreach(json_object_get(o, "items"), i, it)
    {
        if (th_int(it, "id") != p) continue;
        seen = 1;
        CHECK_INT(th_int(it, "organisation_township_id"), firm_town);
    }
    CHECK(seen);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, jhh, "{\"version\":1,\"state\":\"closed\"}", &o), 403);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, home, "{\"version\":1,\"state\":\"closed\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    json_decref(o);
    th_stop(&s);
}

/* One page of the board as `tok` reads it: the ids into ids[] (at most 64), their count the
 * return; *next the next_cursor (0 on the last page). Every item's kind and state checked
 * against the filter given, if any. */
static int board_page(th_server *s, const char *tok, const char *query, long long cursor,
                      long long ids[64], long long *next)
{
    return th_page_ids(s, tok, "/api/v1/enterprise/coop-posts", query, cursor, ids, 64, next, NULL,
                       __FILE__, __LINE__);
}

/* The board is read newest first: a post just made (by the firm, or by an officer for it)
 * heads the first page; the next page holds the smaller ids, so following the cursors while
 * posts are added between pages skips no post and repeats none, filters or not. */
TEST(enterprise_coop_board_newest_first_paged_by_smaller_ids)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo); /* the demo's 60 posts: pages to walk */
    char off[80], jd[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    long long own = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> %lld", own);
    long long other = th_sql_int(&s, sql);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_posts") > 20);
    long long a = post(&s, jd, 0, "offer", "supply", 0, "板面测试：自有冷库");
    long long b = post(&s, off, other, "need", "supply", 0, "板面测试：代企业发布");
    CHECK(b > a);

    /* the first page of 20 (the console's): the newest on top, then ever older */
    long long ids[64], next;
    int n = board_page(&s, jd, "limit=20", 0, ids, &next);
    CHECK_INT(n, 20);
    CHECK_INT(ids[0], b);
    CHECK_INT(ids[1], a);
    for (int i = 1; i < n; i++) CHECK(ids[i] < ids[i - 1]);
    CHECK(next > 0);
    /* the cursor means "ids below": the page after b starts at a */
    n = board_page(&s, view, "limit=1", b, ids, &next);
    CHECK_INT(n, 1);
    CHECK_INT(ids[0], a);
    CHECK_INT(next, a);

    /* the whole board 7 at a time, a post made after the first page and another later: each
     * post there when the walk began is listed once, in descending ids, the new ones not */
    long long total = th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_posts");
    long long lowest = th_sql_int(&s, "SELECT MIN(id) FROM ent_coop_posts");
    long long prev = 0, cursor = 0, c = 0, d = 0;
    int seen = 0, pages = 0;
    do {
        n = board_page(&s, view, "limit=7", cursor, ids, &next);
        for (int i = 0; i < n; i++) {
            if (prev) CHECK(ids[i] < prev);
            CHECK(ids[i] != c && ids[i] != d);
            prev = ids[i];
        }
        seen += n;
        cursor = next;
        if (++pages == 1) c = post(&s, jd, 0, "need", "logistics", 0, "板面测试：翻页间发布");
        if (pages == 3) d = post(&s, off, other, "offer", "logistics", 0, "板面测试：又一条");
    } while (next && pages < 100);
    CHECK_INT(seen, total);
    CHECK_INT(prev, lowest);
    /* read again, the first page starts with the posts made meanwhile, newest first */
    n = board_page(&s, jd, "limit=20", 0, ids, &next);
    CHECK_INT(ids[0], d);
    CHECK_INT(ids[1], c);
    CHECK_INT(ids[2], b);

    /* a filter keeps the order and the paging: the open needs, 3 at a time */
    long long needs = th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_posts WHERE kind = 'need'"
                                     " AND state = 'open'");
    CHECK(needs > 3);
    prev = cursor = 0;
    seen = pages = 0;
    int first = 1;
    do {
        n = board_page(&s, view, "kind=need&state=open&limit=3", cursor, ids, &next);
        for (int i = 0; i < n; i++) {
            if (first) CHECK_INT(ids[i], c); /* the newest need */
            first = 0;
            if (prev) CHECK(ids[i] < prev);
            snprintf(sql, sizeof sql,
                     "SELECT kind = 'need' AND state = 'open' FROM ent_coop_posts WHERE id = %lld",
                     ids[i]);
            CHECK_INT(th_sql_int(&s, sql), 1);
            prev = ids[i];
        }
        seen += n;
        cursor = next;
    } while (next && ++pages < 100);
    CHECK_INT(seen, needs);
    th_stop(&s);
}

/* Regression: a firm with no contact on file asked for a contact, and the firm accepting gave
 * its name and phone and got nothing back. Its own account adds its contact first; an officer
 * entering the request for it is not refused. */
TEST(enterprise_coop_request_needs_the_asking_firms_contact)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char adm[80], off[80], jd[80], firm[80], path[128], body[200];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long own = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char sql[240];
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> %lld AND"
             " TRIM(contact_phone) = ''",
             own);
    long long bare = th_sql_int(&s, sql);
    CHECK(bare > 0);
    mk_user(&s, adm, "barefirm", bare, firm);
    long long p = post(&s, jd, 0, "offer", "supply", 0, "联系测试：冷库开放");
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/contacts", p);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", path, firm, "{\"message\":\"希望合作\"}", &o), 422);
    CHECK_STR(th_err_code(o), "missing_contact");
    CHECK(strstr(msg_of(o), "add contact_name and contact_phone") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* its contact added (its own account may), the request is taken */
    snprintf(sql, sizeof sql, "/api/v1/organisations/%lld", bare);
    CHECK_INT(th_call(&s, "GET", sql, firm, NULL, &o), 200);
    snprintf(body, sizeof body,
             "{\"version\":%lld,\"contact_name\":\"李经理\",\"contact_phone\":\"13800002222\"}",
             th_int(o, "version"));
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", sql, firm, body, &o), 200);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", path, firm, "{\"message\":\"希望合作\"}", &o), 201);
    json_decref(o);
    /* an officer relays for a firm with none on file */
    snprintf(
        sql, sizeof sql,
        "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id NOT IN (%lld, %lld)"
        " AND TRIM(contact_phone) = ''",
        own, bare);
    snprintf(body, sizeof body, "{\"message\":\"代为联系\",\"organisation_id\":%lld}",
             th_sql_int(&s, sql));
    CHECK_INT(th_call(&s, "POST", path, off, body, &o), 201);
    json_decref(o);
    th_stop(&s);
}

/* One page of contact requests as `tok` reads it, as board_page: the ids into ids[] (at most
 * 64), their count the return, *next the next_cursor (0 on the last page). */
static int contact_page(th_server *s, const char *tok, const char *query, long long cursor,
                        long long ids[64], long long *next)
{
    return th_page_ids(s, tok, "/api/v1/enterprise/coop-contacts", query, cursor, ids, 64, next,
                       NULL, __FILE__, __LINE__);
}

/* A contact request as the district officer enters it for firm `org`: its id. */
static long long ask_contact(th_server *s, const char *tok, long long post_id, long long org,
                             const char *message)
{
    char path[96], body[200];
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/contacts", post_id);
    snprintf(body, sizeof body, "{\"message\":\"%s\",\"organisation_id\":%lld}", message, org);
    json_t *o;
    CHECK_INT(th_call(s, "POST", path, tok, body, &o), 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

/* The contact requests are read newest first, as the board: a request just made heads the
 * first page, the next page holds the smaller ids, so following the cursors while requests are
 * made between pages skips none and repeats none, for a firm, an officer, a filter. */
TEST(enterprise_coop_contacts_newest_first_paged_by_smaller_ids)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], jd[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    long long own = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long p = post(&s, jd, 0, "offer", "supply", 0, "联系测试：冷库开放");
    long long q = post(&s, jd, 0, "need", "logistics", 0, "联系测试：求干线运输");
    /* six other firms ask, alternating between the two posts */
    long long k[8];
    char sql[240];
    for (int i = 0; i < 6; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT id FROM organisations WHERE type = 'enterprise' AND id <> %lld"
                 " ORDER BY id LIMIT 1 OFFSET %d",
                 own, i);
        k[i] = ask_contact(&s, off, i % 2 ? q : p, th_sql_int(&s, sql), "希望合作");
        if (i) CHECK(k[i] > k[i - 1]);
    }

    /* the firm's first page: the newest on top, then ever older */
    long long ids[64], next;
    int n = contact_page(&s, jd, "limit=4", 0, ids, &next);
    CHECK_INT(n, 4);
    for (int i = 0; i < 4; i++) CHECK_INT(ids[i], k[5 - i]);
    CHECK_INT(next, k[2]);
    /* the cursor means "ids below": the page after k[2] starts at k[1] */
    n = contact_page(&s, jd, "limit=4", next, ids, &next);
    CHECK(n >= 2);
    CHECK_INT(ids[0], k[1]);
    CHECK_INT(ids[1], k[0]);

    /* every request, 4 at a time for the district officer (and 5 for a viewer), a request made
     * after the first page and another later: each there when the walk began is listed once,
     * in descending ids, the new ones not */
    const char *readers[] = {off, view};
    const char *sizes[] = {"limit=4", "limit=5"};
    for (int r = 0; r < 2; r++) {
        long long total = th_sql_int(&s, "SELECT COUNT(*) FROM ent_coop_contacts");
        long long lowest = th_sql_int(&s, "SELECT MIN(id) FROM ent_coop_contacts");
        long long prev = 0, cursor = 0, c = 0, d = 0;
        int seen = 0, pages = 0;
        do {
            n = contact_page(&s, readers[r], sizes[r], cursor, ids, &next);
            for (int i = 0; i < n; i++) {
                if (prev) CHECK(ids[i] < prev);
                CHECK(ids[i] != c && ids[i] != d);
                prev = ids[i];
            }
            seen += n;
            cursor = next;
            snprintf(sql, sizeof sql,
                     "SELECT id FROM organisations WHERE type = 'enterprise' AND id <> %lld"
                     " ORDER BY id LIMIT 1 OFFSET %d",
                     own, 6 + 2 * r + (pages > 0));
            if (++pages == 1) c = ask_contact(&s, off, p, th_sql_int(&s, sql), "翻页间请求");
            if (pages == 2) d = ask_contact(&s, off, q, th_sql_int(&s, sql), "又一条请求");
        } while (next && pages < 100);
        CHECK(total > 5);
        CHECK_INT(seen, total);
        CHECK_INT(prev, lowest);
        /* read again, the first page starts with the requests made meanwhile, newest first */
        n = contact_page(&s, readers[r], sizes[r], 0, ids, &next);
        CHECK_INT(ids[0], d);
        CHECK_INT(ids[1], c);
        k[6 + r] = d;
    }

    /* a filter keeps the order and the paging: the requests for post q, 2 at a time */
    char query[64];
    snprintf(query, sizeof query, "post_id=%lld&limit=2", q);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_coop_contacts WHERE post_id = %lld", q);
    long long for_q = th_sql_int(&s, sql);
    CHECK_INT(for_q, 5); /* k[1], k[3], k[5] and the two d */
    long long prev = 0, cursor = 0;
    int seen = 0, pages = 0;
    do {
        n = contact_page(&s, jd, query, cursor, ids, &next);
        for (int i = 0; i < n; i++) {
            if (!prev) CHECK_INT(ids[i], k[7]); /* the newest request for q */
            if (prev) CHECK(ids[i] < prev);
            snprintf(sql, sizeof sql, "SELECT post_id FROM ent_coop_contacts WHERE id = %lld",
                     ids[i]);
            CHECK_INT(th_sql_int(&s, sql), q);
            prev = ids[i];
        }
        seen += n;
        cursor = next;
    } while (next && ++pages < 100);
    CHECK_INT(seen, for_q);
    CHECK_INT(prev, k[1]);
    th_stop(&s);
}

/* A bank read a consented match's explanation evaluated afresh on each read: editing its own
 * product's conditions (revenue_wan >= N, then N moved) and reading the match, it found the
 * firm's revenue to the 万元 in 17 edits, and its tax, staff and credit grade likewise. It reads
 * the explanation the firm consented to share, as it stood then; the firm and the officers still
 * read it as the rule and the profile are now. */
TEST(enterprise_bank_reads_the_consented_explanation)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], off[80], jd[80], bank[80], path[128], body[256], sql[300];
    long long org;
    bank_and_firm(&s, adm, off, jd, bank, "abcbank2", &org);
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO ent_profiles (org_id, scale, credit, employees, revenue_wan,"
             " high_tech, updated_at) VALUES (%lld, 'medium', 'A', 120, 3343, 0, 0)",
             org);
    th_sql_exec(&s, sql);
    long long p = product(&s, bank, 0, "营收贷", 10, 2000, 1.1, 60, "revenue_wan >= 100");
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":400,\"term_months\":24,\"purpose\":\"扩产\"}", &o),
              201);
    long long m = 0;
    json_t *x;
    size_t i;
    json_array_foreach(json_object_get(o, "matches"), i, x)
    {
        if (th_int(x, "product_id") == p) m = th_int(x, "id");
    }
    json_decref(o);
    CHECK(m > 0);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", m);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"granted\"}", &o), 200);
    json_decref(o);
    /* the bank moves its threshold above the firm's revenue */
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", p);
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"conditions\":\"revenue_wan >= 3344\"}",
             th_int(o, "version"));
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, bank, body, &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld", m);
    /* the bank: the explanation consented to, whatever its rule says now */
    CHECK_INT(th_call(&s, "GET", path, bank, NULL, &o), 200);
    json_t *ex = json_object_get(o, "explanation");
    CHECK_STR(th_str(ex, "result"), "eligible");
    CHECK_STR(th_str(json_array_get(json_object_get(ex, "clauses"), 0), "text"),
              "revenue_wan >= 100");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/financing-matches", bank, NULL, &o), 200);
    json_array_foreach(json_object_get(o, "items"), i, x)
    {
        if (th_int(x, "id") == m)
            CHECK_STR(th_str(json_object_get(x, "explanation"), "result"), "eligible");
    }
    json_decref(o);
    /* the firm and the district: the rule as it is now */
    const char *const readers[] = {jd, off};
    for (int k = 0; k < 2; k++) {
        CHECK_INT(th_call(&s, "GET", path, readers[k], NULL, &o), 200);
        ex = json_object_get(o, "explanation");
        CHECK_STR(th_str(ex, "result"), "not_eligible");
        CHECK_STR(th_str(json_array_get(json_object_get(ex, "clauses"), 0), "text"),
                  "revenue_wan >= 3344");
        json_decref(o);
    }
    th_stop(&s);
}
