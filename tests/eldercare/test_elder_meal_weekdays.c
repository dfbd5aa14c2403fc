/* The weekdays of an elder's meals (meal_weekdays, 1 Monday … 7 Sunday): meal_days alone was read
 * by the missed-meal scan as that many days from Monday, so an elder served on Mon/Wed/Fri,
 * entered as 3, had a false missed meal on Tuesday (and none looked for on Friday). The days
 * named are the ones the scan expects a meal on; a count alone keeps its old meaning. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

static void scan_at(th_server *s, const char *tok, int64_t at)
{
    char iso[21], body[64];
    pj_time_iso(at, iso);
    snprintf(body, sizeof body, "{\"at\":\"%s\"}", iso);
    json_decref(EL(s, tok, "POST", "/api/v1/elder-alerts/scan", body, 200));
}

/* missed-meal alerts of one elder on one local day */
static long long missed(th_server *s, long long elder, int64_t day)
{
    char q[200], iso[21];
    pj_time_iso(day * 86400, iso);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_alerts WHERE dedupe_key = 'missed_meal:%lld:%.10s'", elder,
             iso);
    return th_sql_int(s, q);
}

/* the record's meal_weekdays as "1,3,5," */
static void weekdays_of(th_server *s, const char *tok, long long id, char *out, size_t size)
{
    char path[80];
    snprintf(path, sizeof path, "/api/v1/elders/%lld", id);
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    size_t i, len = 0;
    json_t *x;
    out[0] = 0;
    json_array_foreach(json_object_get(o, "meal_weekdays"), i, x)
    {
        int n = snprintf(out + len, size - len, "%lld,", (long long)json_integer_value(x));
        if (n > 0 && (size_t)n < size - len) len += (size_t)n;
    }
    json_decref(o);
}

static long long version_of(th_server *s, long long id)
{
    char q[80];
    snprintf(q, sizeof q, "SELECT version FROM elders WHERE id = %lld", id);
    return th_sql_int(s, q);
}

TEST_T(elder_meal_weekdays_are_the_days_the_scan_expects, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], got[40], sql[160], path[80], body[200];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    /* m: meals Mon/Wed/Fri; c: 3 days as a count (Mon–Wed) */
    long long m =
        el_elder(&s, g, grid, 1, "\"meal_provider\":\"canteen\",\"meal_weekdays\":[5,1,3]");
    long long c = el_elder(&s, g, grid, 2, "\"meal_provider\":\"canteen\",\"meal_days\":3");
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld",
             (long long)(pj_now() - 60 * 86400));
    th_sql_exec(&s, sql);
    weekdays_of(&s, g, m, got, sizeof got);
    CHECK_STR(got, "1,3,5,");
    snprintf(sql, sizeof sql, "SELECT meal_days FROM elders WHERE id = %lld", m);
    CHECK_INT(th_sql_int(&s, sql), 3);
    weekdays_of(&s, g, c, got, sizeof got);
    CHECK_STR(got, "1,2,3,");

    /* a local Tuesday of last week, and its Wednesday and Friday; scans after their 12:00 */
    int64_t day = (pj_now() + 8 * 3600) / 86400 - 7;
    while (((day + 3) % 7 + 7) % 7 != 1) day--;
    const struct {
        int64_t day;
        long long m, c;
    } want[] = {{day, 0, 1}, {day + 1, 1, 1}, {day + 3, 1, 0}};
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        scan_at(&s, off, want[k].day * 86400 - 8 * 3600 + 13 * 3600);
        CHECK_INT(missed(&s, m, want[k].day), want[k].m);
        CHECK_INT(missed(&s, c, want[k].day), want[k].c);
    }

    /* refused, nothing written: a count that disagrees, a day out of range or twice, days with
     * no meals */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", m);
    const struct {
        const char *set, *field;
    } bad[] = {{"\"meal_days\":2,\"meal_weekdays\":[1,3,5]", "meal_days"},
               {"\"meal_weekdays\":[0,3]", "meal_weekdays"},
               {"\"meal_weekdays\":[8]", "meal_weekdays"},
               {"\"meal_weekdays\":[2,2]", "meal_weekdays"},
               {"\"meal_weekdays\":\"1,3\"", "meal_weekdays"},
               {"\"meal_provider\":\"none\",\"meal_weekdays\":[1]", "meal_weekdays"}};
    long long v = version_of(&s, m);
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        snprintf(body, sizeof body, "{\"version\":%lld,%s}", v, bad[k].set);
        json_t *o = EL(&s, g, "PATCH", path, body, 422);
        CHECK_STR(th_err_field(o), bad[k].field);
        json_decref(o);
    }
    CHECK_INT(version_of(&s, m), v);
    weekdays_of(&s, g, m, got, sizeof got);
    CHECK_STR(got, "1,3,5,");
    /* the weekend named: 2 days; a count alone again: the first days from Monday */
    snprintf(body, sizeof body, "{\"version\":%lld,\"meal_weekdays\":[6,7]}", v);
    json_t *o = EL(&s, g, "PATCH", path, body, 200);
    CHECK_INT(th_int(o, "meal_days"), 2);
    json_decref(o);
    weekdays_of(&s, g, m, got, sizeof got);
    CHECK_STR(got, "6,7,");
    snprintf(body, sizeof body, "{\"version\":%lld,\"meal_days\":2}", version_of(&s, m));
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    weekdays_of(&s, g, m, got, sizeof got);
    CHECK_STR(got, "1,2,");
    /* none: no days, and the list of the record is empty */
    snprintf(body, sizeof body, "{\"version\":%lld,\"meal_provider\":\"none\",\"meal_days\":0}",
             version_of(&s, m));
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    weekdays_of(&s, g, m, got, sizeof got);
    CHECK_STR(got, "");
    th_stop(&s);
}
