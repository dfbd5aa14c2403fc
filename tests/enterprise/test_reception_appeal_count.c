/* A reception day says how many appeals were raised at it (appeals), in the list and the
 * detail, as far as the reader sees appeals: a day with appeals keeps its date and is not
 * cancelled (409 has_appeals), and the console shows so before the officer saves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* appeals of the day `id` in the detail and in the list (2099's days, one page), as `tok` */
static void day_appeals(th_server *s, const char *tok, long long id, long long want)
{
    char path[96];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", id);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    CHECK(json_is_integer(json_object_get(o, "appeals")));
    CHECK_INT(th_int(o, "appeals"), want);
    json_decref(o);
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/reception-days?limit=100", tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items"), *d;
    size_t i;
    int seen = 0;
    json_array_foreach(items, i, d)
    {
        CHECK(json_is_integer(json_object_get(d, "appeals")));
        if (th_int(d, "id") == id) {
            CHECK_INT(th_int(d, "appeals"), want);
            seen = 1;
        }
    }
    CHECK(seen);
    json_decref(o);
}

static void raise_at(th_server *s, const char *off, long long day, long long org)
{
    char body[320];
    snprintf(body, sizeof body,
             "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"用电\","
             "\"description\":\"增容\",\"channel\":\"reception_day\",\"reception_day_id\":%lld,"
             "\"organisation_id\":%lld}",
             day, org);
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/appeals", off, body, NULL), 201);
}

/* January's day has three appeals: two of jd's firm (outside the township officer's township),
 * one of a firm in jinhaihu's township; February's has none, nor do the other channels' appeals
 * count. The district and the viewer count all three, the township officer the township's one,
 * jd its own two (not the other firm's); February's day says 0 to each. */
TEST(enterprise_reception_day_counts_its_appeals_per_reader)
{
    th_clock_at("2099-03-02", 10, 0); /* 2099's January and February days have taken place */
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], town[80], view[80], sql[256];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL),
              201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    long long jan = th_int(json_array_get(cr, 0), "id");
    long long feb = th_int(json_array_get(cr, 1), "id");
    CHECK_STR(th_str(json_array_get(cr, 0), "held_on"), "2099-01-05");
    CHECK_INT(th_int(json_array_get(cr, 0), "appeals"), 0);
    json_decref(o);
    long long mine = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long tid = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(sql, sizeof sql,
             "SELECT id FROM organisations WHERE type = 'enterprise' AND id <> %lld ORDER BY id"
             " LIMIT 1",
             mine);
    long long other = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql, "UPDATE organisations SET township_id = %lld WHERE id = %lld", tid,
             other);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql, "SELECT township_id IS NOT %lld FROM organisations WHERE id = %lld",
             tid, mine);
    CHECK_INT(th_sql_int(&s, sql), 1); /* jd's firm is outside jinhaihu's township */
    raise_at(&s, off, jan, mine);
    raise_at(&s, off, jan, mine);
    raise_at(&s, off, jan, other);
    char body[320];
    snprintf(body, sizeof body,
             "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"电话\","
             "\"description\":\"增容\",\"channel\":\"phone\",\"organisation_id\":%lld}",
             mine);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, NULL), 201);
    snprintf(
        sql, sizeof sql,
        "SELECT COUNT(*) FROM ent_appeals WHERE reception_day_id = %lld AND township_id = %lld",
        jan, tid);
    CHECK_INT(th_sql_int(&s, sql), 1); /* the township's one: jd's firm is elsewhere */
    const char *toks[] = {off, view, town, jd};
    const long long want[] = {3, 3, 1, 2};
    for (int i = 0; i < 4; i++) {
        day_appeals(&s, toks[i], jan, want[i]);
        day_appeals(&s, toks[i], feb, 0);
    }
    /* the count comes from the index of appeals by day, not from every appeal */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name ="
                             " 'ent_appeals_day'"),
              1);
    th_stop(&s);
    th_clock_real();
}

/* A calendar change that leaves a planned day with appeals on a holiday names it among the days
 * to move with its appeals: the district sees the day keeps its date (409 has_appeals). March's
 * day is today: an appeal is raised at it, then the district makes the date a holiday. */
TEST(enterprise_reception_days_to_move_count_their_appeals)
{
    th_clock_at("2099-03-02", 10, 0);
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL),
              201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *mar = json_array_get(json_object_get(o, "created"), 2);
    long long id = th_int(mar, "id");
    CHECK_STR(th_str(mar, "held_on"), "2099-03-02");
    json_decref(o);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    raise_at(&s, off, id, org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-03-02\",\"kind\":\"holiday\",\"name\":\"停电\"}", &o),
              201);
    json_t *mv = json_object_get(o, "reception_days_to_move");
    CHECK_INT(json_array_size(mv), 1);
    CHECK_INT(th_int(json_array_get(mv, 0), "id"), id);
    CHECK_INT(th_int(json_array_get(mv, 0), "appeals"), 1);
    json_decref(o);
    th_stop(&s);
    th_clock_real();
}
