/* Appeal deadlines that run into a year the holiday calendar does not hold yet: provisional,
 * and counted again when calendar days are entered, changed or removed. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* An appeal of jd's (type help, 13 working days) received at `recv` with the deadlines the
 * calendar without 2027 gives (`rdue`, `cdue`, the return visit due with cdue). */
static long long appeal_at(th_server *s, const char *jd, long long recv, long long rdue,
                           long long cdue)
{
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"年末诉求\","
                      "\"description\":\"d\"}",
                      &o),
              201);
    long long id = th_int(o, "id");
    json_decref(o);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET received_at = %lld, response_due = %lld, complete_due ="
             " %lld, visit_due = %lld WHERE id = %lld",
             recv, rdue, cdue, cdue, id);
    th_sql_exec(s, sql);
    return id;
}

static void check_due(th_server *s, const char *tok, long long id, const char *rdue,
                      const char *cdue, int provisional, long long version)
{
    char path[96];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(th_str(o, "response_due"), rdue);
    CHECK_STR(th_str(o, "complete_due"), cdue);
    CHECK_STR(th_str(o, "visit_due"), cdue);
    CHECK_INT(json_is_true(json_object_get(o, "deadline_provisional")), provisional);
    CHECK_INT(th_int(o, "version"), version);
    json_decref(o);
}

static int missing_2027(th_server *s, const char *tok)
{
    json_t *o;
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/calendar?year=2026", tok, NULL, &o), 200);
    json_t *y = json_object_get(o, "years_missing");
    CHECK(json_is_array(y));
    int has = 0;
    for (size_t i = 0; i < json_array_size(y); i++)
        has |= json_integer_value(json_array_get(y, i)) == 2027;
    json_decref(o);
    return has;
}

/* Regression: a deadline counted into 2027 before 2027's calendar was entered took 1 January
 * as a working day and kept it when the holiday was entered (an appeal turned overdue, and
 * could be escalated, a day early); nothing said the deadline was provisional. */
TEST(enterprise_appeal_deadlines_follow_the_calendar)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    CHECK_INT(missing_2027(&s, off), 0);
    /* 21 Dec 10:00 Beijing: 13 working days end on 7 Jan when 1 Jan is taken as working */
    long long a = appeal_at(&s, jd, 1797818400, 1797955200, 1799337600);
    /* 31 Dec 10:00 Beijing: one working day ends on 1 Jan, thirteen on 19 Jan */
    long long b = appeal_at(&s, jd, 1798682400, 1798819200, 1800374400);
    /* closed: left as it was */
    long long closed = appeal_at(&s, jd, 1797818400, 1797955200, 1799337600);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE ent_appeals SET state = 'closed' WHERE id = %lld", closed);
    th_sql_exec(&s, sql);
    check_due(&s, jd, a, "2026-12-22T16:00:00Z", "2027-01-07T16:00:00Z", 1, 1);
    check_due(&s, jd, b, "2027-01-01T16:00:00Z", "2027-01-19T16:00:00Z", 1, 1);
    CHECK_INT(missing_2027(&s, off), 1);

    long long audits0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_appeal'"
                                       " AND action = 'update'");
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    long long day = th_int(o, "id");
    json_decref(o);
    check_due(&s, jd, a, "2026-12-22T16:00:00Z", "2027-01-08T16:00:00Z", 0, 2);
    check_due(&s, jd, b, "2027-01-04T16:00:00Z", "2027-01-20T16:00:00Z", 0, 2);
    CHECK_INT(missing_2027(&s, off), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_appeal'"
                             " AND action = 'update'"),
              audits0 + 2);
    snprintf(sql, sizeof sql, "SELECT complete_due FROM ent_appeals WHERE id = %lld", closed);
    CHECK_INT(th_sql_int(&s, sql), 1799337600);

    /* a make-up working day on Saturday 9 Jan: within b's span, after a's */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2027-01-09\",\"kind\":\"workday\"}", NULL),
              201);
    check_due(&s, jd, a, "2026-12-22T16:00:00Z", "2027-01-08T16:00:00Z", 0, 2);
    check_due(&s, jd, b, "2027-01-04T16:00:00Z", "2027-01-19T16:00:00Z", 0, 3);

    /* the holiday removed: 1 Jan counts again */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/enterprise/calendar/%lld", day);
    CHECK_INT(th_call(&s, "DELETE", path, off, NULL, NULL), 200);
    check_due(&s, jd, a, "2026-12-22T16:00:00Z", "2027-01-07T16:00:00Z", 0, 3);
    check_due(&s, jd, b, "2027-01-01T16:00:00Z", "2027-01-18T16:00:00Z", 0, 4);

    /* a refused calendar write changes no deadline */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2027-01-01\",\"kind\":\"feast\"}", &o),
              422);
    json_decref(o);
    check_due(&s, jd, a, "2026-12-22T16:00:00Z", "2027-01-07T16:00:00Z", 0, 3);
    th_stop(&s);
}
