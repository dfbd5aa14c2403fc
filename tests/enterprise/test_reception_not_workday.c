/* Reception days the holiday calendar later makes a day off: the day says so (not_workday) and
 * the calendar write that did it names it (reception_days_to_move), so the district moves it. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/enterprise_calendar.h"
#include "t.h"
#include "th.h"

static json_t *get_day(th_server *s, const char *tok, long long id)
{
    char path[96];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", id);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    return o;
}

static int flag_of(json_t *day)
{
    json_t *v = json_object_get(day, "not_workday");
    return json_is_true(v) ? 1 : json_is_false(v) ? 0 : -2;
}

/* not_workday of the day in GET /reception-days (-1: not listed) */
static int listed_flag(th_server *s, const char *tok, long long id)
{
    json_t *o, *d;
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/reception-days?limit=200", tok, NULL, &o), 200);
    size_t i;
    int flag = -1;
    json_array_foreach(json_object_get(o, "items"), i, d)
    {
        if (th_int(d, "id") == id) flag = flag_of(d);
    }
    json_decref(o);
    return flag;
}

static int day_flag(th_server *s, const char *tok, long long id)
{
    json_t *o = get_day(s, tok, id);
    int flag = flag_of(o);
    json_decref(o);
    return flag;
}

static int set_day(th_server *s, const char *tok, const char *day, const char *kind, json_t **o)
{
    char body[160];
    snprintf(body, sizeof body, "{\"day\":\"%s\",\"kind\":\"%s\",\"name\":\"国庆节\"}", day, kind);
    return th_call(s, "POST", "/api/v1/enterprise/calendar", tok, body, o);
}

static int patch_day(th_server *s, const char *tok, long long id, const char *fields, json_t **o)
{
    char path[96], sql[96], body[256];
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", id);
    snprintf(sql, sizeof sql, "SELECT version FROM ent_reception_days WHERE id = %lld", id);
    snprintf(body, sizeof body, "{\"version\":%lld,%s}", th_sql_int(s, sql), fields);
    return th_call(s, "PATCH", path, tok, body, o);
}

/* a refused calendar write: status and code, nothing written */
static void set_refused(th_server *s, const char *tok, const char *body, int status,
                        const char *code)
{
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    json_t *o;
    th_fingerprint(s, before, sizeof before);
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/calendar", tok, body, &o), status);
    CHECK_STR(th_err_code(o), code);
    json_decref(o);
    th_fingerprint(s, after, sizeof after);
    CHECK_STR(after, before);
}

/* Regression: when the calendar made a planned reception day a holiday after its year was
 * scheduled, nothing said so: the day stayed on the holiday, open for sign-ups, and the
 * calendar's answer was the calendar day alone. Now a planned day on a day off (a holiday, or a
 * weekend day not a make-up working day) has not_workday true in the list and the one-day
 * answer, and the POST /calendar that made it so lists it in reception_days_to_move. */
TEST(enterprise_reception_day_on_new_holiday_flagged)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], town[80], path[96], sql[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *o;
    CHECK_INT(set_day(&s, off, "2099-01-01", "holiday", &o), 201);
    CHECK_STR(th_str(o, "day"), "2099-01-01");
    CHECK_STR(th_str(o, "kind"), "holiday");
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    CHECK(json_is_false(json_object_get(json_array_get(cr, 0), "not_workday")));
    long long id = th_int(json_array_get(cr, 9), "id"), sep = th_int(json_array_get(cr, 8), "id");
    char held[11], sep_held[11];
    snprintf(held, sizeof held, "%s", th_str(json_array_get(cr, 9), "held_on"));
    snprintf(sep_held, sizeof sep_held, "%s", th_str(json_array_get(cr, 8), "held_on"));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", id);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"国庆期间物流\"}", NULL), 201);
    CHECK_INT(day_flag(&s, off, id), 0);
    CHECK_INT(listed_flag(&s, off, id), 0);

    /* refused writes of a holiday on the day: nothing written, the day still a working day */
    char body[160];
    snprintf(body, sizeof body, "{\"day\":\"%s\",\"kind\":\"holiday\",\"name\":\"%0100d\"}", held,
             0);
    set_refused(&s, off, body, 422, "too_long");
    snprintf(body, sizeof body, "{\"day\":\"%s\",\"kind\":\"day_off\"}", held);
    set_refused(&s, off, body, 422, "invalid_value");
    snprintf(body, sizeof body, "{\"day\":\"%s\",\"kind\":\"holiday\"}", held);
    set_refused(&s, town, body, 403, "forbidden");
    set_refused(&s, jd, body, 403, "forbidden");
    CHECK_INT(day_flag(&s, off, id), 0);

    /* the calendar makes the day a holiday: its answer names the day to move */
    CHECK_INT(set_day(&s, off, held, "holiday", &o), 201);
    CHECK_STR(th_str(o, "day"), held);
    CHECK(th_int(o, "id") > 0);
    json_t *mv = json_object_get(o, "reception_days_to_move");
    CHECK(json_array_size(mv) == 1);
    CHECK_INT(th_int(json_array_get(mv, 0), "id"), id);
    CHECK_STR(th_str(json_array_get(mv, 0), "held_on"), held);
    CHECK_STR(th_str(json_array_get(mv, 0), "first_monday"), held);
    CHECK_INT(th_int(json_array_get(mv, 0), "signup_count"), 1);
    json_decref(o);
    /* the audit row keeps the calendar day as it was (not the answer's list) */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_calendar' AND after_json LIKE"
             " '%%reception_days_to_move%%'");
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* the day says so in the list and on its own, to every reader */
    CHECK_INT(day_flag(&s, off, id), 1);
    CHECK_INT(listed_flag(&s, off, id), 1);
    CHECK_INT(day_flag(&s, jd, id), 1);
    CHECK_INT(listed_flag(&s, off, sep), 0);
    /* the same day again (replaced, 200) still names it */
    CHECK_INT(set_day(&s, off, held, "holiday", &o), 200);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 1);
    json_decref(o);
    /* made a (make-up) working day again: nothing to move, no flag */
    CHECK_INT(set_day(&s, off, held, "workday", &o), 200);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    CHECK_INT(day_flag(&s, off, id), 0);
    CHECK_INT(set_day(&s, off, held, "holiday", NULL), 200);
    CHECK_INT(day_flag(&s, off, id), 1);

    /* moved to a make-up Saturday of its month: a working day, no flag; the make-up day
     * removed, the Saturday is a day off again and the day says so */
    int32_t d;
    CHECK_INT(pj_cal_parse(held, &d), 0);
    char sat[11], fields[64];
    pj_cal_format(d + 5, sat);
    CHECK_INT(set_day(&s, off, sat, "workday", &o), 201);
    long long sat_id = th_int(o, "id");
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    snprintf(fields, sizeof fields, "\"held_on\":\"%s\"", sat);
    CHECK_INT(patch_day(&s, off, id, fields, &o), 200);
    CHECK(json_is_false(json_object_get(o, "not_workday")));
    json_decref(o);
    /* nothing is held on the holiday any more */
    CHECK_INT(set_day(&s, off, held, "holiday", &o), 200);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/calendar/%lld", sat_id);
    CHECK_INT(th_call(&s, "DELETE", path, off, NULL, &o), 200);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 1);
    json_decref(o);
    CHECK_INT(day_flag(&s, off, id), 1);

    /* a day not planned is not to be moved: a cancelled one is not flagged nor named */
    CHECK_INT(patch_day(&s, off, sep, "\"state\":\"cancelled\"", NULL), 200);
    CHECK_INT(set_day(&s, off, sep_held, "holiday", &o), 201);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    CHECK_INT(day_flag(&s, off, sep), 0);
    th_stop(&s);
}

/* 2099's calendar entered (元旦) and its reception days scheduled by off: the id of the day of
 * month index m (0: January). */
static long long day_of_2099(th_server *s, const char *off, int m)
{
    json_t *o;
    CHECK_INT(set_day(s, off, "2099-01-01", "holiday", NULL), 201);
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    long long id = th_int(json_array_get(json_object_get(o, "created"), m), "id");
    json_decref(o);
    return id;
}

/* A planned day of a month gone by (never marked held) can no longer move: a day moves only to
 * a date of its own month, today or later (409 day_past), and no date of that month is. A
 * holiday entered on its date does not ask for it to be moved. */
TEST(enterprise_calendar_asks_no_past_day_to_move)
{
    th_server s;
    th_start(&s, 1);
    char off[80], sql[200];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    long long id = day_of_2099(&s, off, 2);
    /* a planned day of a year gone by, left planned */
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET held_on = '2020-03-02', first_monday = '2020-03-02'"
             " WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    CHECK_INT(set_day(&s, off, "2020-03-02", "holiday", &o), 201);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    th_stop(&s);
}

static int delete_day(th_server *s, const char *tok, long long cal_id, json_t **o)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/calendar/%lld", cal_id);
    return th_call(s, "DELETE", path, tok, NULL, o);
}

/* Regression: deleting a make-up working day under a planned reception day made that day a
 * Saturday off, but the answer (204) named no day, so the district was not told to move it as
 * when a holiday is entered. The delete now answers reception_days_to_move by the same rule:
 * the planned days on the removed day's date, today or later, now on no working day. */
TEST(enterprise_calendar_delete_names_days_to_move)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], town[80], path[96], sql[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *o;
    CHECK_INT(set_day(&s, off, "2099-01-01", "holiday", NULL), 201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    long long id = th_int(json_array_get(cr, 9), "id"), nov = th_int(json_array_get(cr, 10), "id");
    char held[11], nov_held[11];
    snprintf(held, sizeof held, "%s", th_str(json_array_get(cr, 9), "held_on"));
    snprintf(nov_held, sizeof nov_held, "%s", th_str(json_array_get(cr, 10), "held_on"));
    long long past = th_int(json_array_get(cr, 2), "id");
    json_decref(o);

    /* the October day moved to its Saturday, a make-up working day; a firm signs up */
    int32_t d;
    CHECK_INT(pj_cal_parse(held, &d), 0);
    char sat[11], fields[64];
    pj_cal_format(d + 5, sat);
    CHECK_INT(set_day(&s, off, sat, "workday", &o), 201);
    long long sat_id = th_int(o, "id");
    json_decref(o);
    snprintf(fields, sizeof fields, "\"held_on\":\"%s\"", sat);
    CHECK_INT(patch_day(&s, off, id, fields, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", id);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"国庆前供货\"}", NULL), 201);
    CHECK_INT(day_flag(&s, off, id), 0);

    /* refused deletes name no day and write nothing */
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(delete_day(&s, town, sat_id, &o), 403);
    CHECK_STR(th_err_code(o), "forbidden");
    CHECK(json_object_get(o, "reception_days_to_move") == NULL);
    json_decref(o);
    CHECK_INT(delete_day(&s, jd, sat_id, NULL), 403);
    CHECK_INT(delete_day(&s, off, 999999, &o), 404);
    CHECK_STR(th_err_code(o), "not_found");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);

    /* the make-up day deleted: the Saturday is a day off again, the answer names the day */
    CHECK_INT(delete_day(&s, off, sat_id, &o), 200);
    json_t *mv = json_object_get(o, "reception_days_to_move");
    CHECK(json_array_size(mv) == 1);
    CHECK_INT(th_int(json_array_get(mv, 0), "id"), id);
    CHECK_STR(th_str(json_array_get(mv, 0), "held_on"), sat);
    CHECK_STR(th_str(json_array_get(mv, 0), "first_monday"), held);
    CHECK_INT(th_int(json_array_get(mv, 0), "signup_count"), 1);
    json_decref(o);
    CHECK_INT(day_flag(&s, off, id), 1);
    CHECK_INT(listed_flag(&s, off, id), 1);
    /* one delete audit row, the calendar day only; the day is gone */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_calendar' AND action = 'delete'"
             " AND entity_id = %lld AND before_json LIKE '%%%s%%' AND after_json IS NULL",
             sat_id, sat);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(delete_day(&s, off, sat_id, NULL), 404);

    /* a plain holiday deleted names none: not from a date without a reception day, nor from
     * the November reception day's (its date a working day again) */
    CHECK_INT(set_day(&s, off, "2099-05-01", "holiday", &o), 201);
    long long may = th_int(o, "id");
    json_decref(o);
    CHECK_INT(delete_day(&s, off, may, &o), 200);
    CHECK(json_is_array(json_object_get(o, "reception_days_to_move")));
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    CHECK_INT(set_day(&s, off, nov_held, "holiday", &o), 201);
    long long hol = th_int(o, "id");
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 1);
    json_decref(o);
    CHECK_INT(day_flag(&s, off, nov), 1);
    CHECK_INT(delete_day(&s, off, hol, &o), 200);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    CHECK_INT(day_flag(&s, off, nov), 0);

    /* a planned day of a month gone by (never marked held) on a make-up Saturday deleted: no
     * date of its month is today or later, so it can no longer move (409 day_past) and it is
     * not named */
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET held_on = '2020-03-07', first_monday = '2020-03-02'"
             " WHERE id = %lld",
             past);
    th_sql_exec(&s, sql);
    CHECK_INT(set_day(&s, off, "2020-03-07", "workday", &o), 201);
    long long old = th_int(o, "id");
    json_decref(o);
    CHECK_INT(delete_day(&s, off, old, &o), 200);
    CHECK(json_array_size(json_object_get(o, "reception_days_to_move")) == 0);
    json_decref(o);
    th_stop(&s);
}

/* A past planned day of the current month (Beijing) still moves: PATCH held_on takes a date of
 * its month from today on, so a day whose date became a day off is rescheduled later in the
 * month (its firm told), not left to be cancelled; a move to a date already past is refused
 * (409 day_past) and writes nothing. The server's clock is set to `today` (10:00 Beijing) and
 * the day put on yesterday: on the 1st of a month yesterday is of the month before, which has
 * no date left to move to (its days past: 409 day_past; today, of another month: 422
 * invalid_value), so the day stays where it is. */
static void past_day_moves_on(const char *today)
{
    th_clock_at(today, 10, 0);
    char held[11], gone[11], last[11], first[11], sql[256], fields[64];
    int32_t t = pj_cal_local_day(pj_now()), end = t;
    char now[11];
    pj_cal_format(t, now);
    CHECK_STR(now, today); /* the clock as set */
    pj_cal_format(t - 1, held);
    pj_cal_format(t - 2, gone);
    int same_month = !strncmp(held, today, 7); /* not on the 1st */
    for (char next[11];; end++) {
        pj_cal_format(end + 1, next);
        if (strncmp(next, today, 7)) break;
    }
    pj_cal_format(end, last); /* the last day of today's month */
    snprintf(first, sizeof first, "%.8s01", held);
    int32_t monday;
    CHECK_INT(pj_cal_parse(first, &monday), 0);
    while (pj_cal_weekday(monday) != 0) monday++;
    pj_cal_format(monday, first); /* the first Monday of the day's month */

    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    long long id = day_of_2099(&s, off, 4);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", id);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"用地指标\"}", NULL), 201);
    /* the day put on yesterday, left planned; the calendar makes it a day off and the last day
     * of today's month a (make-up) working day */
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET held_on = '%s', first_monday = '%s' WHERE id = %lld",
             held, first, id);
    th_sql_exec(&s, sql);
    int rc = set_day(&s, off, held, "holiday", NULL);
    CHECK(rc == 201 || rc == 200); /* 200: the date was in the calendar already */
    /* the last day of the month a working day (a weekend day made one; a weekday is one) */
    int32_t lastd;
    CHECK_INT(pj_cal_parse(last, &lastd), 0);
    if (pj_cal_weekday(lastd) >= 5) {
        rc = set_day(&s, off, last, "workday", NULL);
        CHECK(rc == 201 || rc == 200);
    }
    CHECK_INT(day_flag(&s, off, id), 1);

    /* to a date already past: refused on held_on, nothing written */
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    snprintf(fields, sizeof fields, "\"held_on\":\"%s\"", gone);
    CHECK_INT(patch_day(&s, off, id, fields, &o), 409);
    CHECK_STR(th_err_code(o), "day_past");
    CHECK_STR(th_err_field(o), "held_on");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);

    snprintf(fields, sizeof fields, "\"held_on\":\"%s\"", last);
    if (!same_month) {
        /* a day of the month gone by: not to a date of this month either, nothing written */
        CHECK_INT(patch_day(&s, off, id, fields, &o), 422);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), "held_on");
        json_decref(o);
        th_fingerprint(&s, after, sizeof after);
        CHECK_STR(after, before);
        CHECK_INT(day_flag(&s, off, id), 1);
        th_stop(&s);
        th_clock_real();
        return;
    }
    /* to a working day later in the month: moved, still planned, its firm told */
    CHECK_INT(patch_day(&s, off, id, fields, &o), 200);
    CHECK_STR(th_str(o, "held_on"), last);
    CHECK_STR(th_str(o, "state"), "planned");
    CHECK(json_is_false(json_object_get(o, "not_workday")));
    CHECK_INT(th_int(o, "notified_firms"), 1);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_signups WHERE reception_day_id = %lld", id);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(day_flag(&s, off, id), 0);
    th_stop(&s);
    th_clock_real();
}

/* mid-month (2027-03-16, a Tuesday; its last day a Wednesday) */
TEST(enterprise_reception_past_day_moves_later_in_its_month)
{
    past_day_moves_on("2027-03-16");
}

/* on the last day of a month (a Sunday, 2027-02-28): the day moves to today, its last */
TEST(enterprise_reception_past_day_moves_on_its_months_last_day)
{
    past_day_moves_on("2027-02-28");
}

/* on the 1st (2027-03-01): yesterday's day, of February, no longer moves */
TEST(enterprise_reception_past_day_of_last_month_stays_on_the_1st)
{
    past_day_moves_on("2027-03-01");
}
