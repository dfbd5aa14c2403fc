/* What an officer enters says what happened: an appeal an officer records came on a reception
 * day, by phone or on a visit (channel account is the firm's own: it was taken from an officer
 * as if the firm had filed it); a reception day invites each department once (a repeat was
 * stored and listed twice); a new make-up working day is a Saturday or Sunday (a weekday is a
 * working day already: a mistyped date went in silently), while a holiday made a working day
 * again is a change of that day. Each refusal writes nothing. */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

TEST(enterprise_officer_entries_say_what_happened)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], body[400], path[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    long long org = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type = 'enterprise'");
    long long day = th_sql_int(&s, "SELECT MAX(id) FROM ent_reception_days");
    long long dept = th_sql_int(&s, "SELECT department_id FROM ent_dispatch WHERE category ="
                                    " 'tax'");
    CHECK(org > 0 && day > 0 && dept > 0);
    json_t *o;
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body,
             "{\"type\":\"help\",\"category\":\"other\",\"title\":\"t\",\"description\":\"d\","
             "\"channel\":\"account\",\"organisation_id\":%lld}",
             org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, &o), 422);
    CHECK_STR(th_err_field(o), "channel");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", day);
    char q[96];
    snprintf(q, sizeof q, "SELECT version FROM ent_reception_days WHERE id = %lld", day);
    snprintf(body, sizeof body, "{\"version\":%lld,\"department_ids\":[%lld,%lld]}",
             th_sql_int(&s, q), dept, dept);
    CHECK_INT(th_call(&s, "PATCH", path, off, body, &o), 422);
    CHECK_STR(th_err_field(o), "department_ids");
    json_decref(o);
    /* 2098-12-09 is a Tuesday, 2098-12-13 a Saturday */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-12-09\",\"kind\":\"workday\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "day");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the same as they should be: a phone appeal, each department once, a Saturday worked, a
     * weekday holiday made a working day again */
    snprintf(body, sizeof body,
             "{\"type\":\"help\",\"category\":\"other\",\"title\":\"t\",\"description\":\"d\","
             "\"channel\":\"phone\",\"organisation_id\":%lld}",
             org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, &o), 201);
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"department_ids\":[%lld]}", th_sql_int(&s, q),
             dept);
    CHECK_INT(th_call(&s, "PATCH", path, off, body, &o), 200);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-12-13\",\"kind\":\"workday\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-12-09\",\"kind\":\"holiday\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-12-09\",\"kind\":\"workday\"}", &o),
              200);
    json_decref(o);
    th_stop(&s);
}

/* A refusal names what the request sent: a `from` that is no date is not "required"; a bank
 * product's min_wan sent alone above its max_wan is refused at min_wan (it was at max_wan). */
TEST(enterprise_refusals_name_what_was_sent)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], body[160], path[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2026-11-31", off, NULL, &o), 400);
    CHECK_STR(th_err_field(o), "from");
    CHECK(strstr(th_err_message(o), "must be a date") != NULL);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis", off, NULL, &o), 400);
    CHECK(strstr(th_err_message(o), "from is required") != NULL);
    json_decref(o);
    long long p = th_sql_int(&s, "SELECT MIN(id) FROM ent_bank_products");
    char q[120];
    snprintf(q, sizeof q, "SELECT max_fen / 1000000 + 1 FROM ent_bank_products WHERE id = %lld", p);
    long long above = th_sql_int(&s, q);
    snprintf(q, sizeof q, "SELECT version FROM ent_bank_products WHERE id = %lld", p);
    snprintf(path, sizeof path, "/api/v1/enterprise/bank-products/%lld", p);
    snprintf(body, sizeof body, "{\"version\":%lld,\"min_wan\":%lld}", th_sql_int(&s, q), above);
    CHECK_INT(th_call(&s, "PATCH", path, off, body, &o), 422);
    CHECK_STR(th_err_field(o), "min_wan");
    json_decref(o);
    th_stop(&s);
}
