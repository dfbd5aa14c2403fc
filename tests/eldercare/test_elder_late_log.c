/* Regression: once an elder was recorded deceased (or moved away), a service given before that
 * — the company of their last days, entered the day after by the grid worker — was refused
 * ("elder N is deceased") and the helper lost its credits. A service before the change of
 * status was recorded is logged and credited; one of the time since is refused. */
#include <stdio.h>

#include "core/util.h"
#include "eldercare/el_fixture.h"

TEST_T(eldercare_log_before_the_death_was_recorded, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[400], sql[200], t_in[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long elder = el_elder(&s, g, grid, 71, "");
    long long helper = el_helper(&s, g, grid, 72, "1970-03-03", 'F', "");
    snprintf(sql, sizeof sql, "/api/v1/elders/%lld", elder);
    json_decref(EL(&s, off, "PATCH", sql, "{\"status\":\"deceased\",\"version\":1}", 200));
    /* yesterday's visit, entered today: logged, with its credits */
    pj_time_iso(pj_now() - 86400, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":60}",
             elder, helper, t_in);
    json_t *o = EL(&s, g, "POST", "/api/v1/service-logs", body, 201);
    CHECK(json_number_value(json_object_get(o, "credits")) == 1.0);
    json_decref(o);
    /* recorded as having died two days ago (the time the change was recorded): a log of
     * yesterday is of the time since, refused, nothing written */
    snprintf(sql, sizeof sql, "UPDATE elders SET left_at = %lld WHERE id = %lld",
             (long long)(pj_now() - 2 * 86400), elder);
    th_sql_exec(&s, sql);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM elder_service_logs WHERE elder_id = %lld",
             elder);
    long long logs = th_sql_int(&s, sql);
    pj_time_iso(pj_now() - 86400 + 3600, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":30}",
             elder, helper, t_in);
    o = EL(&s, g, "POST", "/api/v1/service-logs", body, 422);
    json_t *e = json_object_get(o, "error");
    CHECK_STR(th_str(e, "field"), "elder_id");
    CHECK(strstr(th_str(e, "message"), "is deceased: only a service before that was recorded"));
    json_decref(o);
    CHECK_INT(th_sql_int(&s, sql), logs);
    th_stop(&s);
}
