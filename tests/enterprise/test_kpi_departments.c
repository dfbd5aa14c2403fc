/* The department KPIs charge each figure to the department it is of: a rating to the department
 * that gave the reply rated (its ratings row), a response given by its deadline to the
 * department that gave it, one late or missing to the department that held the appeal when it
 * fell due. A reopened appeal returned and dispatched to a second department carried its first
 * round's not_satisfied and its response to the second department, and the first escaped. */
#include <stdio.h>
#include <string.h>

#include "enterprise/appeal_fixture.h"
#include "t.h"
#include "th.h"

/* The appeal's current version, as the officer reads it. */
static long long version_of(th_server *s, const char *off, long long id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    json_t *o = CALL(s, "GET", off, path, NULL, 200);
    long long v = th_int(o, "version");
    json_decref(o);
    return v;
}

/* action on appeal id as tok with the current version and the fields given ("" for none);
 * the answer (the caller releases it) */
static json_t *step(th_server *s, const char *off, const char *tok, long long id,
                    const char *action, const char *fields)
{
    char body[256], path[96];
    snprintf(body, sizeof body, "{\"version\":%lld%s%s}", version_of(s, off, id),
             *fields ? "," : "", fields);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld/%s", id, action);
    return CALL(s, "POST", tok, path, body, 200);
}

static void step0(th_server *s, const char *off, const char *tok, long long id, const char *action,
                  const char *fields)
{
    json_decref(step(s, off, tok, id, action, fields));
}

static long long file_tax_appeal(th_server *s, const char *jd, const char *title)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"type\":\"help\",\"category\":\"tax\",\"title\":\"%s\",\"description\":\"d\"}",
             title);
    json_t *o = CALL(s, "POST", jd, "/api/v1/enterprise/appeals", body, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

/* the department's entry of the KPI answer (NULL when it is not listed) */
static json_t *dept_of(json_t *k, long long dept)
{
    json_t *ds = json_object_get(k, "departments");
    for (size_t i = 0; i < json_array_size(ds); i++)
        if (th_int(json_array_get(ds, i), "department_id") == dept) return json_array_get(ds, i);
    return NULL;
}

static void check_rate(json_t *o, const char *key, double want)
{
    json_t *v = json_object_get(o, key);
    if (want < 0) {
        CHECK(json_is_null(v));
        return;
    }
    CHECK(json_is_number(v));
    CHECK_NEAR(json_number_value(v), want, 1e-9);
}

TEST(enterprise_kpis_charge_each_rating_and_response_to_its_department)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[160], from[11], to[11], body[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    /* the period holds these appeals only */
    th_sql_exec(&s, "DELETE FROM ent_appeal_ratings");
    th_sql_exec(&s, "DELETE FROM ent_appeal_events");
    th_sql_exec(&s, "DELETE FROM ent_appeals");
    /* two departments: "tax" handles first, "market" takes over */
    long long tax = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    long long market = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type ="
                                      " 'government' AND name <> '平谷区商务局'");
    CHECK(tax > 0 && market > 0);

    /* A: the tax bureau replies, the firm is not satisfied (reopened); the tax bureau takes it
     * up again and returns it; the market bureau replies and the firm is satisfied */
    long long a = file_tax_appeal(&s, jd, "退税进度（KPI 部门归属）");
    snprintf(body, sizeof body, "\"department_id\":%lld", tax);
    step0(&s, off, off, a, "dispatch", body);
    step0(&s, off, off, a, "accept", "");
    step0(&s, off, off, a, "reply", "\"reply\":\"已办\",\"resolved\":true");
    json_t *o = step(&s, off, jd, a, "rate", "\"rating\":\"not_satisfied\"");
    CHECK_STR(th_str(o, "state"), "reopened");
    /* the new round is not rated yet: the first round's rating is in the history */
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_decref(o);
    step0(&s, off, off, a, "accept", "");
    step0(&s, off, off, a, "return", "\"reason\":\"非本部门职责\"");
    snprintf(body, sizeof body, "\"department_id\":%lld", market);
    step0(&s, off, off, a, "dispatch", body);
    step0(&s, off, off, a, "accept", "");
    /* the market bureau's page: no rating before its reply is rated, as the firm reads it too */
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", a);
    o = CALL(&s, "GET", off, path, NULL, 200);
    CHECK_INT(th_int(o, "department_id"), market);
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_decref(o);
    o = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_decref(o);
    o = CALL(&s, "GET", off, "/api/v1/enterprise/appeals?limit=50", NULL, 200);
    json_t *items = json_object_get(o, "items");
    int listed = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (th_int(it, "id") != a) continue;
        listed = 1;
        CHECK(json_is_null(json_object_get(it, "rating")));
    }
    CHECK(listed);
    json_decref(o);
    step0(&s, off, off, a, "reply", "\"reply\":\"已由市场监管局办结\",\"resolved\":true");
    o = step(&s, off, jd, a, "rate", "\"rating\":\"satisfied\"");
    CHECK_STR(th_str(o, "state"), "closed");
    CHECK_STR(th_str(o, "rating"), "satisfied");
    json_decref(o);
    o = CALL(&s, "GET", off, path, NULL, 200);
    json_t *rs = json_object_get(o, "ratings");
    CHECK_INT(json_array_size(rs), 2);
    CHECK_INT(th_int(json_array_get(rs, 0), "round"), 1);
    CHECK_STR(th_str(json_array_get(rs, 0), "rating"), "not_satisfied");
    CHECK_INT(th_int(json_array_get(rs, 0), "department_id"), tax);
    CHECK_INT(th_int(json_array_get(rs, 1), "round"), 2);
    CHECK_STR(th_str(json_array_get(rs, 1), "rating"), "satisfied");
    CHECK_INT(th_int(json_array_get(rs, 1), "department_id"), market);
    json_decref(o);

    /* B: dispatched to the tax bureau, which let its response deadline pass and returned it;
     * the market bureau took it on after the deadline: the missed response is the tax
     * bureau's, not the market bureau's */
    long long b = file_tax_appeal(&s, jd, "发票额度（KPI 部门归属）");
    snprintf(body, sizeof body, "\"department_id\":%lld", tax);
    step0(&s, off, off, b, "dispatch", body);
    char sql[320];
    /* received and dispatched two days ago, the response due an hour after receipt */
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET received_at = received_at - 172800, dispatched_at ="
             " dispatched_at - 172800, response_due = received_at - 172800 + 3600 WHERE id = %lld",
             b);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeal_events SET at = at - 172800 WHERE appeal_id = %lld", b);
    th_sql_exec(&s, sql);
    step0(&s, off, off, b, "return", "\"reason\":\"非本部门职责\"");
    snprintf(body, sizeof body, "\"department_id\":%lld", market);
    step0(&s, off, off, b, "dispatch", body);
    step0(&s, off, off, b, "accept", "");

    th_day_rel(0, -3, from);
    th_day_rel(0, 1, to);
    snprintf(path, sizeof path, "/api/v1/enterprise/kpis?from=%s&to=%s", from, to);
    json_t *k = CALL(&s, "GET", off, path, NULL, 200);
    json_t *d = json_object_get(k, "district");
    CHECK_INT(th_int(d, "appeals"), 2);
    CHECK_INT(th_int(d, "rated"), 2);
    CHECK_INT(th_int(d, "satisfied"), 1);
    check_rate(d, "satisfaction_rate", 0.5);
    check_rate(d, "response_rate", 0.5);
    json_t *t = dept_of(k, tax), *m = dept_of(k, market);
    CHECK(t && m);
    /* the tax bureau: its not_satisfied reply, its response to A on time, B's missed one, its
     * two returns; it holds neither appeal */
    CHECK_INT(th_int(t, "appeals"), 0);
    CHECK_INT(th_int(t, "rated"), 1);
    CHECK_INT(th_int(t, "satisfied"), 0);
    CHECK_INT(th_int(t, "basically_satisfied"), 0);
    check_rate(t, "satisfaction_rate", 0);
    check_rate(t, "response_rate", 0.5);
    CHECK_INT(th_int(t, "returned"), 2);
    /* the market bureau: its satisfied reply only; no response of its own was due by its
     * deadline (both appeals came to it taken on, or past their deadline) */
    CHECK_INT(th_int(m, "appeals"), 2);
    CHECK_INT(th_int(m, "rated"), 1);
    CHECK_INT(th_int(m, "satisfied"), 1);
    check_rate(m, "satisfaction_rate", 1);
    check_rate(m, "response_rate", -1);
    CHECK_INT(th_int(m, "closed"), 1);
    json_decref(k);
    th_stop(&s);
}
