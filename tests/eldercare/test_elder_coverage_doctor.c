/* The coverage report's doctor_contracted counts the active elders with a family-doctor
 * contract in force today, whatever period is asked, as `elders`, meals and paired count the
 * elders of now (§9) and as GET /elders?no_doctor=1 lists the others: it judged the contract on
 * the period's end date, so another period gave another figure beside the same elders. */
#include "eldercare/el_fixture.h"

static long long doctor_of(th_server *s, const char *tok, long long grid, const char *period)
{
    char path[300];
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld%s", grid,
             period);
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    json_t *t = json_object_get(o, "total");
    long long d = th_int(t, "doctor_contracted");
    CHECK_INT(th_int(t, "elders"), 4);
    json_decref(o);
    return d;
}

TEST_T(elder_coverage_doctor_contract_is_judged_today, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], extra[300], from[11], until[11], a[11], b[11], path[200];
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    /* two contracts in force today that lapse in 5 days, one from 10 days on, one that ended
     * yesterday */
    th_day_rel(1, 0, from);
    th_day_rel(0, 5, until);
    snprintf(extra, sizeof extra,
             "\"doctor_name\":\"赵医生\",\"doctor_clinic\":\"卫生室\",\"doctor_from\":\"%s\","
             "\"doctor_until\":\"%s\"",
             from, until);
    el_elder(&s, off, grid, 1, extra);
    el_elder(&s, off, grid, 2, extra);
    th_day_rel(0, 10, from);
    th_day_rel(0, 400, until);
    snprintf(extra, sizeof extra,
             "\"doctor_name\":\"赵医生\",\"doctor_clinic\":\"卫生室\",\"doctor_from\":\"%s\","
             "\"doctor_until\":\"%s\"",
             from, until);
    el_elder(&s, off, grid, 3, extra);
    th_day_rel(1, -1, from);
    th_day_rel(0, -1, until);
    snprintf(extra, sizeof extra,
             "\"doctor_name\":\"赵医生\",\"doctor_clinic\":\"卫生室\",\"doctor_from\":\"%s\","
             "\"doctor_until\":\"%s\"",
             from, until);
    el_elder(&s, off, grid, 4, extra);

    /* the elders without a contract today, as the list gives them */
    snprintf(path, sizeof path, "/api/v1/elders?no_doctor=1&region_id=%lld&limit=500", grid);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    long long gaps = (long long)json_array_size(json_object_get(o, "items"));
    json_decref(o);
    CHECK_INT(gaps, 2);

    /* the last 30 days, a period to come (its end past the two lapsing contracts, after the
     * one starting) and one gone by (its end before yesterday's lapse): the same two elders */
    CHECK_INT(doctor_of(&s, off, grid, ""), 4 - gaps);
    th_day_rel(0, 10, a);
    th_day_rel(0, 40, b);
    char period[80];
    snprintf(period, sizeof period, "&since=%s&until=%s", a, b);
    CHECK_INT(doctor_of(&s, off, grid, period), 4 - gaps);
    th_day_rel(0, -40, a);
    th_day_rel(0, -10, b);
    snprintf(period, sizeof period, "&since=%s&until=%s", a, b);
    CHECK_INT(doctor_of(&s, off, grid, period), 4 - gaps);
    th_stop(&s);
}
