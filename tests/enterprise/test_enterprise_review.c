/* Regressions from the enterprise review: ratings kept (and a reopened round with its own
 * deadline), overdue appeals nobody took on escalated, return visits only for what can be
 * visited, policies in force by their dates, reception days in the past and years without a
 * holiday calendar, negation in explanations, financing needs met by an approval, returns in
 * the department KPIs. Clocks are moved by setting deadlines in the database. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

static int act(th_server *s, const char *tok, long long id, const char *action, const char *body,
               json_t **o)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld/%s", id, action);
    return th_call(s, "POST", path, tok, body, o);
}

static long long file_appeal(th_server *s, const char *jd, const char *category)
{
    char body[256];
    json_t *o;
    snprintf(body, sizeof body,
             "{\"type\":\"help\",\"category\":\"%s\",\"title\":\"测试\",\"description\":\"d\"}",
             category);
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/appeals", jd, body, &o), 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

/* moves an appeal's completion deadline (and return visit) an hour into the past */
static void make_overdue(th_server *s, long long id)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') - 3600, visit_due ="
             " strftime('%%s','now') - 3600 WHERE id = %lld",
             id);
    th_sql_exec(s, sql);
}

static json_t *district_kpis(th_server *s, const char *off, json_t **o)
{
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01", off, NULL, o), 200);
    return json_object_get(*o, "district");
}

/* A not_satisfied rating stays counted after the next reply and a satisfied rating; the
 * reopened round gets a new deadline (an appeal reopened past its first one is not overdue
 * at once) and on-time is judged on the last round. */
TEST(enterprise_review_ratings_kept_and_reopened_round_deadline)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[160];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    snprintf(body, sizeof body, "{\"version\":1,\"department_id\":%lld}", commerce);
    json_t *o;
    long long id = file_appeal(&s, jd, "permits");
    CHECK_INT(act(&s, off, id, "dispatch", body, &o), 200);
    json_decref(o);
    CHECK_INT(act(&s, off, id, "accept", "{\"version\":2}", &o), 200);
    json_decref(o);
    CHECK_INT(act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", &o),
              200);
    json_decref(o);
    /* replied on time; the first deadline then passes before the rating */
    make_overdue(&s, id);
    CHECK_INT(act(&s, jd, id, "rate", "{\"version\":4,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    json_decref(o);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT complete_due > strftime('%%s','now') + 86400 FROM ent_appeals WHERE id = %lld",
             id);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(act(&s, off, id, "escalate", "{\"version\":5}", &o), 409);
    CHECK_STR(th_err_code(o), "not_overdue");
    json_decref(o);
    json_t *d = district_kpis(&s, off, &o);
    CHECK_INT(th_int(d, "rated"), 1);
    CHECK_NEAR(json_number_value(json_object_get(d, "satisfaction_rate")), 0.0, 1e-9);
    json_decref(o);
    /* the reopened round runs past its own deadline: not on time, although the first
     * round's reply was */
    make_overdue(&s, id);
    d = district_kpis(&s, off, &o);
    CHECK_NEAR(json_number_value(json_object_get(d, "on_time_rate")), 0.0, 1e-9);
    CHECK_INT(th_int(d, "open_overdue"), 1);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') + 86400 WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    CHECK_INT(act(&s, off, id, "accept", "{\"version\":5}", &o), 200);
    json_decref(o);
    CHECK_INT(act(&s, off, id, "reply", "{\"version\":6,\"reply\":\"b\",\"resolved\":true}", &o),
              200);
    json_decref(o);
    CHECK_INT(act(&s, jd, id, "rate", "{\"version\":7,\"rating\":\"satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    json_decref(o);
    d = district_kpis(&s, off, &o);
    CHECK_INT(th_int(d, "rated"), 2);
    CHECK_NEAR(json_number_value(json_object_get(d, "satisfaction_rate")), 0.5, 1e-9);
    CHECK_NEAR(json_number_value(json_object_get(d, "on_time_rate")), 1.0, 1e-9);
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    json_t *rs = json_object_get(o, "ratings");
    CHECK_INT(json_array_size(rs), 2);
    CHECK_STR(th_str(json_array_get(rs, 0), "rating"), "not_satisfied");
    CHECK_INT(th_int(json_array_get(rs, 1), "round"), 2);
    json_decref(o);
    th_stop(&s);
}

/* Overdue appeals nobody took on (received, returned) are escalated, by hand and by the
 * sweep, to a department; the return-visit list holds only what can be visited. */
TEST(enterprise_review_unassigned_overdue_appeals_escalate)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[160];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    long long agri = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区农业农村局'");
    json_t *o;
    snprintf(body, sizeof body, "{\"category\":\"permits\",\"department_id\":%lld}", commerce);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/dispatch-catalogue", off, body, NULL), 200);
    long long a = file_appeal(&s, jd, "permits"); /* escalated by hand */
    long long b = file_appeal(&s, jd, "permits"); /* by the sweep, to the catalogue's */
    long long r = file_appeal(&s, jd, "permits"); /* returned by the catalogue's department */
    CHECK_INT(act(&s, off, r, "dispatch", "{\"version\":1}", &o), 200);
    json_decref(o);
    CHECK_INT(act(&s, off, r, "return", "{\"version\":2,\"reason\":\"不归我们\"}", &o), 200);
    json_decref(o);
    make_overdue(&s, a);
    make_overdue(&s, b);
    make_overdue(&s, r);
    /* received: nothing to call back about yet */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/return-visits", off, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    for (size_t k = 0; k < json_array_size(items); k++)
        CHECK(strcmp(th_str(json_array_get(items, k), "state"), "received") != 0);
    CHECK_INT(json_array_size(items), 1); /* the returned one */
    json_decref(o);
    CHECK_INT(act(&s, off, a, "escalate", "{\"version\":1}", &o), 200);
    CHECK_STR(th_str(o, "state"), "escalated");
    CHECK_INT(th_int(o, "department_id"), commerce);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeal-sweeps", off, "{}", &o), 200);
    CHECK_INT(th_int(o, "escalated"), 2);
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", b);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "escalated");
    CHECK_INT(th_int(o, "department_id"), commerce);
    json_decref(o);
    /* the returned one: not back to the department that returned it; dispatched after */
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", r);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "escalated");
    CHECK(json_is_null(json_object_get(o, "department_id")));
    long long v = th_int(o, "version");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld}", v);
    CHECK_INT(act(&s, off, r, "accept", body, &o), 409);
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"department_id\":%lld}", v, agri);
    CHECK_INT(act(&s, off, r, "dispatch", body, &o), 200);
    CHECK_INT(th_int(o, "department_id"), agri);
    json_decref(o);
    /* every one listed for a call-back can be visited */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/return-visits", off, NULL, &o), 200);
    items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 3);
    for (size_t k = 0; k < json_array_size(items); k++) {
        json_t *it = json_array_get(items, k);
        json_t *vo;
        snprintf(body, sizeof body, "{\"version\":%lld,\"note\":\"已回访\"}",
                 th_int(it, "version"));
        CHECK_INT(act(&s, off, th_int(it, "id"), "visit", body, &vo), 200);
        json_decref(vo);
    }
    json_decref(o);
    th_stop(&s);
}

/* valid_until before valid_from is refused; an expired policy notifies nobody and is absent
 * from firms' lists; officers see its status; extending it brings it into force. */
TEST(enterprise_review_policies_by_validity)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                      "{\"title\":\"倒置\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
                      "\"valid_from\":\"2026-01-01\",\"valid_until\":\"2025-06-30\","
                      "\"conditions\":\"true\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "valid_until");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    long long notices = th_sql_int(&s, "SELECT COUNT(*) FROM ent_notices");
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"过期政策\",\"issuer\":\"区商务局\",\"issued_on\":\"2025-01-01\","
                "\"valid_from\":\"2025-01-01\",\"valid_until\":\"2025-06-30\","
                "\"conditions\":\"true\"}",
                &o),
        201);
    CHECK_INT(th_int(o, "newly_eligible"), 0);
    long long p = th_int(json_object_get(o, "policy"), "id");
    CHECK_STR(th_str(json_object_get(o, "policy"), "status"), "expired");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_notices"), notices);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/policies?limit=500", jd, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    for (size_t k = 0; k < json_array_size(items); k++)
        CHECK(th_int(json_array_get(items, k), "id") != p);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", p);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 404);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "status"), "expired");
    json_decref(o);
    /* a PATCH that would invert the dates: 422 on valid_until, nothing written */
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"valid_from\":\"2025-07-01\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "valid_until");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* extended: in force, every eligible firm told once */
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"valid_until\":\"2099-12-31\"}", &o),
              200);
    CHECK(th_int(o, "newly_eligible") > 0);
    CHECK_STR(th_str(json_object_get(o, "policy"), "status"), "in_force");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    json_decref(o);
    th_stop(&s);
}

/* A year scheduled in its middle: with from_today only the months to come get their day (the
 * past months' are counted in skipped_past, not made: a day scheduled after it passed would
 * read as one still to be held); the whole year later fills in the months past; a bad
 * from_today is refused with nothing written. */
TEST(enterprise_reception_days_scheduled_from_today)
{
    th_clock_at("2099-06-15", 10, 0);
    th_server s;
    th_start(&s, 1);
    char off[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL),
              201);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off,
                      "{\"year\":2099,\"from_today\":\"yes\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "from_today");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off,
                      "{\"year\":2099,\"from_today\":true}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    CHECK_INT(json_array_size(cr), 6);
    CHECK(strncmp(th_str(json_array_get(cr, 0), "held_on"), "2099-07-", 8) == 0);
    CHECK(strncmp(th_str(json_array_get(cr, 5), "held_on"), "2099-12-", 8) == 0);
    CHECK_INT(th_int(o, "skipped_past"), 6);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT count(*) FROM ent_reception_days WHERE held_on < '2099-06-15'"
                             " AND held_on >= '2099-01-01'"),
              0);
    /* the year again, from today: nothing to add, nothing written */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off,
                      "{\"year\":2099,\"from_today\":true}", &o),
              200);
    CHECK_INT(json_array_size(json_object_get(o, "created")), 0);
    CHECK_INT(th_int(o, "skipped_past"), 6);
    json_decref(o);
    /* the whole year: the months past are recorded too */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    cr = json_object_get(o, "created");
    CHECK_INT(json_array_size(cr), 6);
    CHECK(strncmp(th_str(json_array_get(cr, 0), "held_on"), "2099-01-", 8) == 0);
    CHECK_INT(th_int(o, "skipped_past"), 0);
    json_decref(o);
    th_stop(&s);
    th_clock_real();
}

/* Sign-ups for a day past are refused; 2026 is scheduled off its holidays; a year without a
 * calendar is refused rather than scheduled onto holidays. */
TEST(enterprise_review_reception_days_past_and_calendar)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2026}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    CHECK_INT(json_array_size(cr), 12);
    CHECK_STR(th_str(json_array_get(cr, 0), "held_on"), "2026-01-05");
    CHECK_STR(th_str(json_array_get(cr, 3), "held_on"), "2026-04-07"); /* 清明 4.4–4.6 */
    CHECK_STR(th_str(json_array_get(cr, 4), "held_on"), "2026-05-06"); /* 劳动节 5.1–5.5 */
    CHECK_STR(th_str(json_array_get(cr, 9), "held_on"), "2026-10-08"); /* 国庆 10.1–10.7 */
    long long jan = th_int(json_array_get(cr, 0), "id");
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", jan);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"用地\"}", &o), 409);
    CHECK_STR(th_err_code(o), "day_past");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2031}", &o),
              422);
    CHECK_STR(th_err_field(o), "year");
    json_decref(o);
    /* the year again: nothing created, so 200 (not 201), and nothing written */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2026}", &o),
              200);
    CHECK_INT(json_array_size(json_object_get(o, "created")), 0);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* Reception days list by date, page after page, whatever order the years were scheduled in. */
TEST(enterprise_reception_days_list_by_date)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    int st = th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                     "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL);
    CHECK(st == 200 || st == 201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2026}", &o),
              201);
    json_decref(o);
    long long total = th_sql_int(&s, "SELECT count(*) FROM ent_reception_days");
    CHECK(total >= 24);
    char path[128], last[11] = "";
    long long cursor = 0, seen = 0, seen2099 = 0;
    for (int page = 0; page < 100; page++) {
        snprintf(path, sizeof path, "/api/v1/enterprise/reception-days?limit=7&cursor=%lld",
                 cursor);
        CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
        json_t *items = json_object_get(o, "items"), *d;
        size_t i;
        json_array_foreach(items, i, d)
        {
            const char *on = th_str(d, "held_on");
            if (strcmp(on, last) < 0) t_fail(__FILE__, __LINE__, "%s listed after %s", on, last);
            snprintf(last, sizeof last, "%s", on);
            seen++;
            seen2099 += !strncmp(on, "2099-", 5);
        }
        json_t *next = json_object_get(o, "next_cursor");
        cursor = json_is_string(next) ? atoll(json_string_value(next)) : 0;
        json_decref(o);
        if (!cursor) break;
    }
    CHECK_INT(seen, total);
    CHECK_INT(seen2099, 12);
    CHECK_STR(last, "2099-12-07");
    /* the state filter keeps the order */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/reception-days?state=planned&limit=200", off,
                      NULL, &o),
              200);
    json_t *items = json_object_get(o, "items");
    CHECK(json_array_size(items) >= 24);
    CHECK(strncmp(th_str(json_array_get(items, 0), "held_on"), "2026-", 5) <= 0);
    CHECK_STR(th_str(json_array_get(items, json_array_size(items) - 1), "held_on"), "2099-12-07");
    json_decref(o);
    th_stop(&s);
}

/* `not` in an explanation, a financing need met by an approval and capped at its amount, a
 * returned appeal not counted to the department that returned it. */
TEST(enterprise_review_negation_financing_and_returns)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[400], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    json_t *o;
    snprintf(body, sizeof body,
             "INSERT INTO ent_profiles (org_id, high_tech, updated_at) VALUES (%lld, 0, 0)"
             " ON CONFLICT (org_id) DO UPDATE SET high_tech = 0",
             org);
    th_sql_exec(&s, body);
    snprintf(body, sizeof body, "{\"conditions\":\"not high_tech\",\"organisation_id\":%lld}", org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/rules/check", jd, body, &o), 200);
    CHECK_STR(th_str(o, "result"), "eligible");
    json_t *cl = json_array_get(json_object_get(o, "clauses"), 0);
    CHECK_STR(th_str(cl, "value"), "failed"); /* high_tech itself is false */
    CHECK(json_is_true(json_object_get(cl, "negated")));
    CHECK_STR(th_str(cl, "effect"), "held"); /* and `not high_tech` holds */
    json_decref(o);

    long long bank =
        th_sql_int(&s, "SELECT id FROM organisations WHERE name = '中国农业银行北京平谷支行'");
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"普惠贷\",\"min_wan\":10,\"max_wan\":2000,"
             "\"rate_pct\":1.5,\"term_months\":36,\"conditions\":\"not high_tech\"}",
             bank);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/bank-products", off, body, &o), 201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd,
                      "{\"amount_wan\":100,\"term_months\":12,\"purpose\":\"周转\"}", &o),
              201);
    long long need = th_int(o, "id");
    json_t *m = json_array_get(json_object_get(o, "matches"), 0);
    long long mid = th_int(m, "id");
    CHECK_STR(json_string_value(
                  json_array_get(json_object_get(json_object_get(m, "explanation"), "held"), 0)),
              "not (high_tech)");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/consent", mid);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":1,\"consent\":\"granted\"}", NULL), 200);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-matches/%lld/outcome", mid);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"version\":2,\"status\":\"applied\"}", NULL), 200);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", path, off,
                      "{\"version\":3,\"status\":\"approved\",\"approved_wan\":1500}", &o),
              422);
    CHECK_STR(th_err_field(o), "approved_wan");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", path, off,
                      "{\"version\":3,\"status\":\"approved\",\"approved_wan\":100}", &o),
              200);
    CHECK_STR(th_str(json_object_get(o, "need"), "state"), "matched");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/financing-needs/%lld", need);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "matched");
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    /* the need's change has its own audit row, open → matched (the version it bumped) */
    snprintf(body, sizeof body,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_fin_need' AND entity_id = %lld AND"
             " action = 'update' AND before_json LIKE '%%\"state\":\"open\"%%' AND after_json"
             " LIKE '%%\"state\":\"matched\"%%' AND after_json LIKE '%%\"version\":2%%'",
             need);
    CHECK_INT(th_sql_int(&s, body), 1);

    /* returned, not yet re-dispatched: no department's appeal; the return counted apart */
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    th_sql_exec(&s, "DELETE FROM ent_appeal_ratings");
    th_sql_exec(&s, "DELETE FROM ent_appeal_events");
    th_sql_exec(&s, "DELETE FROM ent_appeals");
    long long id = file_appeal(&s, jd, "permits");
    snprintf(body, sizeof body, "{\"version\":1,\"department_id\":%lld}", commerce);
    CHECK_INT(act(&s, off, id, "dispatch", body, NULL), 200);
    CHECK_INT(act(&s, off, id, "return", "{\"version\":2,\"reason\":\"非本部门\"}", NULL), 200);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01", off, NULL, &o), 200);
    json_t *deps = json_object_get(o, "departments");
    CHECK_INT(json_array_size(deps), 1);
    CHECK_INT(th_int(json_array_get(deps, 0), "department_id"), commerce);
    CHECK_INT(th_int(json_array_get(deps, 0), "appeals"), 0);
    CHECK_INT(th_int(json_array_get(deps, 0), "returned"), 1);
    CHECK_INT(th_int(json_object_get(o, "district"), "appeals"), 1);
    json_decref(o);
    th_stop(&s);
}

/* A policy announced ahead of its valid_from tells nobody on the day it is saved; once it is in
 * force the server's scheduled work notifies every matched firm, once, with one audit row. */
TEST_T(enterprise_policy_notices_on_the_day_it_comes_into_force, 60)
{
    th_server s;
    th_start_scan(&s, 1, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"明年政策\",\"issuer\":\"区商务局\",\"issued_on\":\"2026-11-01\","
                "\"valid_from\":\"2099-01-01\",\"conditions\":\"true\"}",
                &o),
        201);
    long long p = th_int(json_object_get(o, "policy"), "id");
    CHECK_STR(th_str(json_object_get(o, "policy"), "status"), "not_yet");
    CHECK_INT(th_int(o, "newly_eligible"), 0);
    json_decref(o);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_policy_matches WHERE policy_id = %lld", p);
    long long matched = th_sql_int(&s, sql);
    CHECK(matched > 0);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_notices WHERE policy_id = %lld", p);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* the day comes (the test moves the date, not the clock) */
    char upd[160];
    snprintf(upd, sizeof upd, "UPDATE ent_policies SET valid_from = '2020-01-01' WHERE id = %lld",
             p);
    th_sql_exec(&s, upd);
    long long told = 0;
    for (int k = 0; k < 100 && told < matched; k++) {
        usleep(100000);
        told = th_sql_int(&s, sql);
    }
    CHECK_INT(told, matched);
    char q2[200];
    snprintf(q2, sizeof q2,
             "SELECT COUNT(*) FROM ent_notices WHERE policy_id = %lld AND kind = 'in_force'", p);
    CHECK_INT(th_sql_int(&s, q2), matched);
    snprintf(q2, sizeof q2,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_policy' AND action = 'notify' AND"
             " entity_id = %lld AND username = 'system'",
             p);
    CHECK_INT(th_sql_int(&s, q2), 1);
    /* the next runs tell nobody twice */
    sleep(2);
    CHECK_INT(th_sql_int(&s, sql), matched);
    CHECK_INT(th_sql_int(&s, q2), 1);
    th_stop(&s);
}

/* A calendar day keeps the source it is entered with (the State Council's notice: gov.cn, as
 * the seeded days say); one entered or re-entered without a source is 'manual'. */
TEST(enterprise_review_calendar_source)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-02-01\",\"kind\":\"holiday\",\"name\":\"春节\","
                      "\"source\":\"gov.cn\"}",
                      &o),
              201);
    CHECK_STR(th_str(o, "source"), "gov.cn");
    CHECK_STR(th_str(o, "name"), "春节");
    long long id = th_int(o, "id");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/calendar?year=2098", jd, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 1);
    CHECK_STR(th_str(json_array_get(items, 0), "source"), "gov.cn");
    json_decref(o);
    /* the same day again, changed by hand: replaced, its source 'manual' */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-02-01\",\"kind\":\"workday\",\"name\":\"春节调休\"}", &o),
              200);
    CHECK_INT(th_int(o, "id"), id);
    CHECK_STR(th_str(o, "kind"), "workday");
    CHECK_STR(th_str(o, "source"), "manual");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-02-02\",\"kind\":\"holiday\",\"source\":\"\"}", &o),
              422);
    CHECK_STR(th_err_field(o), "source");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2098-02-02\",\"kind\":\"holiday\",\"source\":"
                      "\"123456789012345678901234567890123\"}",
                      &o),
              422);
    CHECK_STR(th_err_code(o), "too_long");
    CHECK_STR(th_err_field(o), "source");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", jd,
                      "{\"day\":\"2098-02-02\",\"kind\":\"holiday\"}", &o),
              403);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/calendar/%lld", id);
    CHECK_INT(th_call(&s, "DELETE", path, off, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/calendar?year=2098", jd, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    th_stop(&s);
}

/* Regression: POST /enterprise/calendar answered 200 also when it created the day, and took
 * days of the years 1900-2999 while GET ?year= takes 2000-2100. Now 201 for a new day, 200
 * (same id) for one that replaces the day of that date; a day outside 2000-2100 is 422
 * invalid_value (field day, as a malformed day), writing nothing, as ?year= outside is 400
 * bad_query (field year). */
TEST(enterprise_review_calendar_created_and_years)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", tok,
                      "{\"day\":\"2097-05-01\",\"kind\":\"holiday\",\"name\":\"劳动节\"}", &o),
              201);
    long long id = th_int(o, "id");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", tok,
                      "{\"day\":\"2097-05-01\",\"kind\":\"workday\"}", &o),
              200);
    CHECK_INT(th_int(o, "id"), id);
    CHECK_STR(th_str(o, "kind"), "workday");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_calendar'"), 2);
    static const char *const outside[] = {"1999-12-31", "1900-01-01", "2101-01-01", "2999-12-31"};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"day\":\"%s\",\"kind\":\"holiday\"}", outside[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", tok, body, &o), 422);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), "day");
        json_decref(o);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_calendar WHERE day < '2000' OR"
                             " day >= '2101'"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_calendar'"), 2);
    /* the first and the last day of the range, and GET's range alike */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", tok,
                      "{\"day\":\"2000-01-01\",\"kind\":\"holiday\"}", NULL),
              201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", tok,
                      "{\"day\":\"2100-12-31\",\"kind\":\"holiday\"}", NULL),
              201);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/calendar?year=2100", tok, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/calendar?year=1999", tok, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "bad_query");
    CHECK_STR(th_err_field(o), "year");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/calendar?year=2101", tok, NULL, &o), 400);
    json_decref(o);
    th_stop(&s);
}

/* Regression: names and texts of spaces only were taken — a calendar day's name and source, a
 * reception-day sign-up's topic, a financing need's purpose. Each is 422 on its field now
 * (spaces, tabs and line breaks, the ideographic space U+3000), writing nothing; an empty
 * calendar name (no name) stays allowed. */
TEST(enterprise_blank_texts_refused)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96], body[200], before[TH_FINGERPRINT_SIZE],
        after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"\"}", &o),
              201);
    CHECK_STR(th_str(o, "name"), "");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    long long day = th_int(json_array_get(json_object_get(o, "created"), 0), "id");
    json_decref(o);
    static const char *const blanks[] = {" ", "   ", "\\t\\n ", "\u3000", " \u3000\u00a0 "};
    th_fingerprint(&s, before, sizeof before);
    for (int i = 0; i < 5; i++) {
        snprintf(body, sizeof body, "{\"day\":\"2099-02-01\",\"kind\":\"holiday\",\"name\":\"%s\"}",
                 blanks[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off, body, &o), 422);
        CHECK_STR(th_err_field(o), "name");
        json_decref(o);
        snprintf(
            body, sizeof body,
            "{\"day\":\"2099-02-01\",\"kind\":\"holiday\",\"name\":\"春节\",\"source\":\"%s\"}",
            blanks[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off, body, &o), 422);
        CHECK_STR(th_err_field(o), "source");
        json_decref(o);
        snprintf(body, sizeof body, "{\"topic\":\"%s\"}", blanks[i]);
        snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
        CHECK_INT(th_call(&s, "POST", path, jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "topic");
        CHECK_STR(th_err_code(o), "missing_field");
        json_decref(o);
        snprintf(body, sizeof body, "{\"amount_wan\":100,\"term_months\":12,\"purpose\":\"%s\"}",
                 blanks[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/financing-needs", jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "purpose");
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* text with spaces around it is text */
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\" 用地 \"}", NULL), 201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-02-01\",\"kind\":\"holiday\",\"name\":\"\u3000春节\"}",
                      NULL),
              201);
    th_stop(&s);
}

/* Regression: a reception day still ahead could be marked held (200), which closes its
 * sign-ups before it took place. Held is refused before the day's date (Beijing), 409
 * day_ahead on `state`, writing nothing; on the day itself and after it is taken, and a day
 * ahead may still be cancelled. */
TEST(enterprise_reception_day_held_not_before_its_date)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96], sql[200], before[TH_FINGERPRINT_SIZE],
        after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    long long ahead = th_int(json_array_get(cr, 0), "id"),
              later = th_int(json_array_get(cr, 1), "id"),
              today = th_int(json_array_get(cr, 2), "id");
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", ahead);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"state\":\"held\"}", &o), 409);
    CHECK_STR(th_err_code(o), "day_ahead");
    CHECK_STR(th_err_field(o), "state");
    CHECK(strstr(th_err_message(o), "2099-01-05") != NULL);
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, off,
                      "{\"version\":1,\"state\":\"held\",\"minutes\":\"纪要\"}", &o),
              409);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* still open for sign-ups; its other fields change as before; cancelled is fine */
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", ahead);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"用电增容\"}", NULL), 201);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", ahead);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"leaders\":[\"区长\"]}", NULL), 200);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", later);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"state\":\"cancelled\"}", NULL),
              200);
    /* a day of today (Beijing) is held that day; one past, too */
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET held_on = date('now', '+8 hours') WHERE id = %lld",
             today);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", today);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"state\":\"held\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "held");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2025}", &o),
              201);
    json_decref(o);
    long long past = th_sql_int(&s, "SELECT id FROM ent_reception_days WHERE held_on ="
                                    " (SELECT MIN(held_on) FROM ent_reception_days)");
    snprintf(sql, sizeof sql, "SELECT version FROM ent_reception_days WHERE id = %lld", past);
    char body[64];
    snprintf(body, sizeof body, "{\"version\":%lld,\"state\":\"held\"}", th_sql_int(&s, sql));
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", past);
    CHECK_INT(th_call(&s, "PATCH", path, off, body, NULL), 200);
    th_stop(&s);
}

/* Regression: an appeal's title and description, a cooperation post's title and body and a
 * contact request's message of spaces only were taken (an appeal titled "   " in the list,
 * nothing to read). Each is 422 on its field now (spaces, tabs, line breaks, U+3000; a post's
 * optional body may be empty but not blank), writing nothing; text with spaces around it is
 * text. */
TEST(enterprise_appeal_and_board_blank_texts_refused)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96], body[256], before[TH_FINGERPRINT_SIZE],
        after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    /* another firm's post, for jd to write to */
    long long other =
        th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> 2");
    CHECK(other > 0);
    snprintf(body, sizeof body,
             "{\"kind\":\"need\",\"category\":\"supply\",\"title\":\"需：冷链\","
             "\"organisation_id\":%lld}",
             other);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/coop-posts", off, body, &o), 201);
    long long post = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/coop-posts/%lld/contacts", post);
    static const char *const blanks[] = {" ", "   ", "\\t\\n ", "\u3000", " \u3000\u00a0 "};
    th_fingerprint(&s, before, sizeof before);
    for (int i = 0; i < 5; i++) {
        snprintf(body, sizeof body,
                 "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"%s\","
                 "\"description\":\"用电增容\"}",
                 blanks[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "title");
        CHECK_STR(th_err_code(o), "missing_field");
        json_decref(o);
        snprintf(body, sizeof body,
                 "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"用电\","
                 "\"description\":\"%s\"}",
                 blanks[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "description");
        json_decref(o);
        snprintf(body, sizeof body, "{\"kind\":\"offer\",\"category\":\"supply\",\"title\":\"%s\"}",
                 blanks[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/coop-posts", jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "title");
        json_decref(o);
        snprintf(body, sizeof body,
                 "{\"kind\":\"offer\",\"category\":\"supply\",\"title\":\"冷链\",\"body\":\"%s\"}",
                 blanks[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/coop-posts", jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "body");
        CHECK_STR(th_err_code(o), "invalid_value");
        json_decref(o);
        snprintf(body, sizeof body, "{\"message\":\"%s\"}", blanks[i]);
        CHECK_INT(th_call(&s, "POST", path, jd, body, &o), 422);
        CHECK_STR(th_err_field(o), "message");
        json_decref(o);
    }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\" 用电 \","
                      "\"description\":\"\u3000增容\"}",
                      NULL),
              201);
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/coop-posts", jd,
                "{\"kind\":\"offer\",\"category\":\"supply\",\"title\":\"冷链\",\"body\":\"\"}",
                NULL),
        201);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"message\":\" 合作 \"}", NULL), 201);
    th_stop(&s);
}

/* Regression: an appeal could name a reception day cancelled or still ahead as where it was
 * raised (201), and once resolved it counted among the problems solved from reception days.
 * A cancelled day is 409 wrong_state, a day after today (Beijing) 409 day_ahead, both on
 * reception_day_id, writing nothing; a day held, or of today, is taken. */
TEST(enterprise_reception_day_appeal_from_a_day_that_took_place)
{
    th_server s;
    th_start(&s, 1);
    char off[80], body[256], sql[200], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    long long ahead = th_int(json_array_get(cr, 0), "id"),
              cancelled = th_int(json_array_get(cr, 1), "id"),
              today = th_int(json_array_get(cr, 2), "id");
    json_decref(o);
    /* the second day cancelled and moved into the past; the third on today's date */
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET state = 'cancelled', held_on = '2001-01-08' WHERE id"
             " = %lld",
             cancelled);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET held_on = date('now', '+8 hours') WHERE id = %lld",
             today);
    th_sql_exec(&s, sql);
    /* 2025's days: past, one of them marked held */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2025}", &o),
              201);
    long long held = th_int(json_array_get(json_object_get(o, "created"), 0), "id"),
              past = th_int(json_array_get(json_object_get(o, "created"), 1), "id");
    json_decref(o);
    snprintf(sql, sizeof sql, "UPDATE ent_reception_days SET state = 'held' WHERE id = %lld", held);
    th_sql_exec(&s, sql);
    const char *fmt = "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"用电\","
                      "\"description\":\"增容\",\"channel\":\"reception_day\","
                      "\"reception_day_id\":%lld,\"organisation_id\":2}";
    th_fingerprint(&s, before, sizeof before);
    snprintf(body, sizeof body, fmt, ahead);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, &o), 409);
    CHECK_STR(th_err_code(o), "day_ahead");
    CHECK_STR(th_err_field(o), "reception_day_id");
    CHECK(strstr(th_err_message(o), "2099-01-05") != NULL);
    json_decref(o);
    snprintf(body, sizeof body, fmt, cancelled);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    CHECK_STR(th_err_field(o), "reception_day_id");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(body, sizeof body, fmt, held);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, &o), 201);
    CHECK_INT(th_int(o, "reception_day_id"), held);
    json_decref(o);
    snprintf(body, sizeof body, fmt, past); /* took place, though nobody marked it held */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, NULL), 201);
    snprintf(body, sizeof body, fmt, today);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, NULL), 201);
    th_stop(&s);
}

/* true when the policy's matches list the organisation */
static int policy_matches_org(th_server *s, const char *tok, long long policy, long long org)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/matches?limit=500", policy);
    return th_list_has(s, tok, path, "organisation_id", org);
}

/* true when the enterprise's own policy list holds the policy */
static int own_list_has(th_server *s, const char *tok, long long policy)
{
    return th_list_has(s, tok, "/api/v1/enterprise/policies?limit=500", "id", policy);
}

/* Regression: a firm's industry, township and type are its organisation's record, which the
 * rules read, but changing them (PATCH /organisations, the firm itself for its industry)
 * left the policy matches as they were: the firm kept listing the policies of its old
 * industry while their explanation said not_eligible, was never told of those of its new
 * one, and a new enterprise matched nothing until its profile was edited. The organisation's
 * write rematches it in the same transaction (notices as for a profile change); one that is
 * no longer an enterprise qualifies for nothing. */
TEST(enterprise_policies_follow_the_organisation_record)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[320], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    long long pol[2];
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"title\":\"行业专项 %d\",\"issuer\":\"区商务局\",\"issued_on\":\"2020-01-01\","
                 "\"valid_from\":\"2020-01-01\",\"conditions\":\"industry == \\\"trade_%c\\\"\"}",
                 i, 'a' + i);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off, body, &o), 201);
        pol[i] = th_int(json_object_get(o, "policy"), "id");
        CHECK_INT(th_int(o, "newly_eligible"), 0);
        json_decref(o);
    }
    long long v = th_sql_int(&s, "SELECT version FROM organisations WHERE id = 2");
    /* the firm moves itself into trade_a */
    snprintf(body, sizeof body, "{\"version\":%lld,\"industry\":\"trade_a\"}", v);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/organisations/2", jd, body, NULL), 200);
    CHECK(own_list_has(&s, jd, pol[0]));
    CHECK(!own_list_has(&s, jd, pol[1]));
    CHECK(policy_matches_org(&s, off, pol[0], 2));
    snprintf(path, sizeof path, "/api/v1/enterprise/notices?policy_id=%lld", pol[0]);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    /* an officer moves it on to trade_b: the first policy is lost, the second found */
    snprintf(body, sizeof body, "{\"version\":%lld,\"industry\":\"trade_b\"}", v + 1);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/organisations/2", off, body, NULL), 200);
    CHECK(!own_list_has(&s, jd, pol[0]));
    CHECK(own_list_has(&s, jd, pol[1]));
    CHECK(!policy_matches_org(&s, off, pol[0], 2));
    CHECK(policy_matches_org(&s, off, pol[1], 2));
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld/explain", pol[1]);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "result"), "eligible");
    json_decref(o);
    /* a new enterprise is matched at once; turned into a bank, it qualifies for nothing */
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/organisations", off,
                "{\"name\":\"测试贸易公司\",\"type\":\"enterprise\",\"industry\":\"trade_b\"}", &o),
        201);
    long long firm = th_int(o, "id");
    json_decref(o);
    CHECK(policy_matches_org(&s, off, pol[1], firm));
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", firm);
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"type\":\"bank\"}", NULL), 200);
    CHECK(!policy_matches_org(&s, off, pol[1], firm));
    th_stop(&s);
}
