/* The coverage report's companionship visits due count each elder from their registration: an
 * elder registered halfway through the period owes half of it, one registered after it none.
 * Registering one elder on a grid made its visits look a month behind at once (30/7 visits due
 * for a high-risk elder whose first visit was a week away). */
#include "core/util.h"
#include "eldercare/el_fixture.h"

static double due_of(th_server *s, const char *tok, const char *path)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    double d = json_number_value(json_object_get(json_object_get(o, "total"), "visits_due"));
    json_decref(o);
    return d;
}

TEST_T(eldercare_visits_due_from_registration, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[256], sql[200], t0[21], t1[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    const char *hr = "\"visit_tier\":\"high_risk\"";
    long long a = el_elder(&s, g, grid, 1, hr), b = el_elder(&s, g, grid, 2, hr);
    long long late = el_elder(&s, g, grid, 3, hr);
    /* a period of 30 days ending a day ago */
    int64_t until = pj_now() / 60 * 60 - 86400, since = until - 30 * 86400;
    pj_time_iso(since, t0);
    pj_time_iso(until, t1);
    /* a: registered 60 days before the end (the whole period), b: 15 days before (half of
     * it), late: now (after the period) */
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(until - 60 * 86400), a);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(until - 15 * 86400), b);
    th_sql_exec(&s, sql);
    CHECK(late > b);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=%s&until=%s", grid, t0,
             t1);
    /* 30/7 + 15/7 = 6.43 → 6.4; every elder for the whole period would be 90/7 → 12.9 */
    double d = due_of(&s, off, path);
    CHECK(d > 6.35 && d < 6.45);
    /* the grid worker's report says the same */
    CHECK(due_of(&s, g, path) == d);
    /* a period that ends before anyone was registered owes nothing */
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=2020-01-01&until="
             "2020-02-01",
             grid);
    CHECK(due_of(&s, off, path) == 0.0);
    th_stop(&s);
}

/* A period running past now (this month, asked on the 10th) counted visits due on the days
 * still to come, against visits done that can only be up to now: the month read a third
 * covered, the rest of the year ~1 %. Visits are due up to now only. */
TEST_T(eldercare_visits_due_only_up_to_now, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[256], sql[200], t0[21], t1[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long a = el_elder(&s, g, grid, 1, "\"visit_tier\":\"high_risk\"");
    int64_t now = pj_now();
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(now - 60 * 86400), a);
    th_sql_exec(&s, sql);
    /* 10 days gone, 20 to come: 10/7 = 1.4 due, not 30/7 = 4.3 */
    pj_time_iso(now - 10 * 86400, t0);
    pj_time_iso(now + 20 * 86400, t1);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=%s&until=%s", grid, t0,
             t1);
    double d = due_of(&s, off, path);
    CHECK(d > 1.35 && d < 1.45);
    /* the same as the period up to now (until not given) */
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=%s",
             grid, t0);
    CHECK(due_of(&s, off, path) == d);
    /* a period wholly to come owes nothing yet */
    pj_time_iso(now + 86400, t0);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=%s&until=%s", grid, t0,
             t1);
    CHECK(due_of(&s, off, path) == 0.0);
    th_stop(&s);
}

/* Regression: an elder who died or moved away was dropped from a past period's visits due
 * while their visits done stayed: a grid's month read 86 % before a death and 124 % after.
 * One who left counts its visits due for the days of the period on the register (up to the
 * change of status); the figures of now (elders) count the active ones only. */
TEST_T(eldercare_visits_due_keep_an_elder_who_left, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[256], sql[200], t0[21], t1[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    const char *hr = "\"visit_tier\":\"high_risk\"";
    long long a = el_elder(&s, g, grid, 1, hr), b = el_elder(&s, g, grid, 2, hr);
    int64_t until = pj_now() / 60 * 60 - 86400, since = until - 30 * 86400;
    pj_time_iso(since, t0);
    pj_time_iso(until, t1);
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id IN (%lld, %lld)",
             (long long)(until - 60 * 86400), a, b);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=%s&until=%s", grid, t0,
             t1);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    json_t *tot = json_object_get(o, "total");
    double before = json_number_value(json_object_get(tot, "visits_due"));
    long long elders = json_integer_value(json_object_get(tot, "elders"));
    json_decref(o);
    CHECK(before > 8.55 && before < 8.65); /* 2 × 30/7 */
    /* b dies today: the past month's visits due stay, the elders of now are one fewer */
    snprintf(sql, sizeof sql, "/api/v1/elders/%lld", b);
    json_decref(EL(&s, off, "PATCH", sql, "{\"status\":\"deceased\",\"version\":1}", 200));
    o = EL(&s, off, "GET", path, NULL, 200);
    tot = json_object_get(o, "total");
    CHECK(json_number_value(json_object_get(tot, "visits_due")) == before);
    CHECK_INT(json_integer_value(json_object_get(tot, "elders")), elders - 1);
    json_decref(o);
    /* had b left 10 days before the period's end, 20 of its days would owe visits */
    snprintf(sql, sizeof sql, "UPDATE elders SET left_at = %lld WHERE id = %lld",
             (long long)(until - 10 * 86400), b);
    th_sql_exec(&s, sql);
    double d = due_of(&s, off, path);
    CHECK(d > 7.05 && d < 7.15); /* 30/7 + 20/7 = 7.14 → 7.1 */
    /* and one who left before the period owes nothing in it */
    snprintf(sql, sizeof sql, "UPDATE elders SET left_at = %lld WHERE id = %lld",
             (long long)(since - 86400), b);
    th_sql_exec(&s, sql);
    d = due_of(&s, off, path);
    CHECK(d > 4.25 && d < 4.35);
    /* regression: a departed status corrected (deceased → moved) keeps the time of leaving
     * (it moved to the time of the correction: the elder owed visits and took logs until then) */
    snprintf(sql, sizeof sql, "/api/v1/elders/%lld", b);
    json_decref(EL(&s, off, "PATCH", sql, "{\"status\":\"moved\",\"version\":2}", 200));
    snprintf(sql, sizeof sql, "SELECT left_at = %lld FROM elders WHERE id = %lld",
             (long long)(since - 86400), b);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* back on the register: no time of leaving */
    snprintf(sql, sizeof sql, "/api/v1/elders/%lld", b);
    json_decref(EL(&s, off, "PATCH", sql, "{\"status\":\"active\",\"version\":3}", 200));
    snprintf(sql, sizeof sql, "SELECT left_at IS NULL FROM elders WHERE id = %lld", b);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* A period bound at or before the epoch is refused at its parameter (400 bad_query): the report
 * took such a bound as not given and answered the last 30 days instead, without a word but the
 * echoed period (since=1970-01-01, a day in Beijing, is 1969-12-31T16:00:00Z). */
TEST_T(eldercare_coverage_bound_before_epoch_refused, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    static const struct {
        const char *q, *field;
    } bad[] = {
        {"since=1970-01-01", "since"},
        {"since=1960-05-01", "since"},
        {"since=1960-05-01&until=1969-01-01", "since"},
        {"until=1969-12-31T00:00:00Z", "until"},
        {"since=1970-01-01T00:00:00Z", "since"},
    };
    char path[160];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(path, sizeof path, "/api/v1/eldercare/coverage?%s", bad[k].q);
        json_t *o = EL(&s, off, "GET", path, NULL, 400);
        CHECK_STR(th_err_code(o), "bad_query");
        CHECK_STR(th_err_field(o), bad[k].field);
        json_decref(o);
    }
    /* the day after is a period like any other, answered as asked */
    json_t *o = EL(&s, off, "GET", "/api/v1/eldercare/coverage?since=1970-01-02&until=2000-01-01",
                   NULL, 200);
    CHECK_STR(th_str(o, "since"), "1970-01-01T16:00:00Z");
    CHECK_STR(th_str(o, "until"), "1999-12-31T16:00:00Z");
    json_decref(o);
    th_stop(&s);
}
