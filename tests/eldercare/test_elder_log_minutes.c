/* A service log given both time_out and minutes: they tell the same length or the log is
 * refused (422 invalid_value on minutes, nothing written). minutes was dropped for the times'
 * length, so a visit sent as 400 minutes was logged, and credited, as 10. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

TEST_T(eldercare_log_minutes_agree_with_times, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], body[512], t_in[21], t_out[21];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long eid = el_elder(&s, g, grid, 1, "");
    long long hid = el_helper(&s, g, grid, 2, "1970-05-01", 'F', "");
    int64_t at = pj_now() / 60 * 60 - 3 * 3600;
    pj_time_iso(at, t_in);
    pj_time_iso(at + 10 * 60, t_out);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"cleaning\",\"time_in\":\"%s\","
             "\"time_out\":\"%s\",\"minutes\":400}",
             eid, hid, t_in, t_out);
    json_t *o = EL(&s, g, "POST", "/api/v1/service-logs", body, 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "minutes");
    json_decref(o);
    /* in a quick entry too, named at its entry */
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"cleaning\","
             "\"time_in\":\"%s\",\"time_out\":\"%s\",\"minutes\":0}]}",
             eid, hid, t_in, t_out);
    o = EL(&s, g, "POST", "/api/v1/service-logs", body, 422);
    CHECK_STR(th_err_field(o), "entries[0].minutes");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* alike, or one of them: taken */
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"cleaning\",\"time_in\":\"%s\","
             "\"time_out\":\"%s\",\"minutes\":10}",
             eid, hid, t_in, t_out);
    o = EL(&s, g, "POST", "/api/v1/service-logs", body, 201);
    CHECK_INT(th_int(o, "minutes"), 10);
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"meal\",\"time_in\":\"%s\","
             "\"minutes\":25}",
             eid, hid, t_in);
    o = EL(&s, g, "POST", "/api/v1/service-logs", body, 201);
    CHECK_INT(th_int(o, "minutes"), 25);
    json_decref(o);
    th_stop(&s);
}

/* minutes sent without time_out beyond elder_log_max_minutes (480) are refused at `minutes`,
 * the field sent (they were refused at a time_out the entry did not have), and the range the
 * message gives is the setting's, not a day's 1440. */
TEST_T(eldercare_log_minutes_over_the_limit_named_at_minutes, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], body[512];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long eid = el_elder(&s, g, grid, 3, "");
    long long hid = el_helper(&s, g, grid, 4, "1970-05-01", 'F', "");
    char t_in[21];
    pj_time_iso(pj_now() / 60 * 60 - 10 * 3600, t_in);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    static const int bad[] = {500, -5};
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body,
                 "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"meal\",\"helper_id\":%lld,"
                 "\"minutes\":%d}]}",
                 eid, hid, bad[k]);
        json_t *o = EL(&s, g, "POST", "/api/v1/service-logs", body, 422);
        CHECK_STR(th_err_code(o), "out_of_range");
        CHECK_STR(th_err_field(o), "entries[0].minutes");
        CHECK(strstr(th_err_message(o), "480") != NULL);
        CHECK(strstr(th_err_message(o), "1440") == NULL);
        json_decref(o);
        snprintf(body, sizeof body,
                 "{\"elder_id\":%lld,\"kind\":\"meal\",\"helper_id\":%lld,\"minutes\":%d,"
                 "\"time_in\":\"%s\"}",
                 eid, hid, bad[k], t_in);
        o = EL(&s, g, "POST", "/api/v1/service-logs", body, 422);
        CHECK_STR(th_err_field(o), "minutes");
        CHECK(strstr(th_err_message(o), "480") != NULL);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* 480 itself is a visit */
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"kind\":\"meal\",\"helper_id\":%lld,\"minutes\":480,"
             "\"time_in\":\"%s\"}",
             eid, hid, t_in);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    th_stop(&s);
}
