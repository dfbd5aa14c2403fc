/* An elder's death or move is often recorded days after it happened. The change of status says
 * the day (left_on, a Beijing date): left_at is the end of that day, not the time the change
 * was recorded, and the pair ends on it (on its start when begun after it). The day's services
 * are logged, those of the days after are refused; the coverage report owes no visits after
 * it. Before, left_at was always the time of recording: a death recorded ten days late owed ten
 * more days of visits and took the logs of those days. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

/* The Beijing date of time t (the demo's elder_tz_offset_min is 480). */
static void bj_date(int64_t t, char out[11])
{
    char iso[21];
    pj_time_iso((t + 8 * 3600) / 86400 * 86400, iso);
    memcpy(out, iso, 10);
    out[10] = 0;
}

/* The error of a refused PATCH of elder id with body: code and field. */
static void refused(th_server *s, const char *tok, long long id, const char *body, const char *code,
                    const char *msg)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/elders/%lld", id);
    json_t *o = EL(s, tok, "PATCH", path, body, 422);
    json_t *e = json_object_get(o, "error");
    CHECK_STR(th_str(e, "code"), code);
    CHECK_STR(th_str(e, "field"), "left_on");
    CHECK(strstr(th_str(e, "message"), msg) != NULL);
    json_decref(o);
}

/* An elder who helps too (低龄助高龄): elder n of grid, their helper record (elder_id) and a
 * pair of it with another elder (n + 1), made by the officer; the elder's id, *hid the helper's,
 * *other the other elder's. */
static long long elder_who_helps(th_server *s, const char *g, const char *off, long long grid,
                                 int n, long long *hid, long long *other)
{
    char id[19], body[600];
    el_id(id, "19620507", n, 'M');
    snprintf(body, sizeof body,
             "{\"name\":\"张互助%d\",\"sex\":\"M\",\"birth_date\":\"1962-05-07\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"ability_level\":0}",
             n, id, grid);
    json_t *o = EL(s, g, "POST", "/api/v1/elders", body, 201);
    long long self = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"name\":\"张互助%d\",\"sex\":\"M\",\"birth_date\":\"1962-05-07\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":2,"
             "\"elder_id\":%lld}",
             n, id, grid, self);
    o = EL(s, g, "POST", "/api/v1/helpers", body, 201);
    *hid = th_int(o, "id");
    json_decref(o);
    *other = el_elder(s, g, grid, n + 1, "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", *other, *hid);
    json_decref(EL(s, off, "POST", "/api/v1/pairs", body, 201));
    return self;
}

TEST_T(eldercare_left_on_checked, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[300], sql[300], day[11];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long e = el_elder(&s, g, grid, 81, "");
    int64_t now = pj_now();
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(now - 20 * 86400), e);
    th_sql_exec(&s, sql);
    /* tomorrow (Beijing): in the future */
    bj_date(now + 86400, day);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"deceased\",\"left_on\":\"%s\"}", day);
    refused(&s, g, e, body, "out_of_range", "left_on is in the future");
    /* before the registration */
    bj_date(now - 25 * 86400, day);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"deceased\",\"left_on\":\"%s\"}", day);
    refused(&s, g, e, body, "out_of_range", "before the elder was registered");
    /* not a date */
    refused(&s, g, e, "{\"version\":1,\"status\":\"moved\",\"left_on\":\"2026-02-30\"}",
            "invalid_value", "YYYY-MM-DD");
    /* without a change of status from active */
    bj_date(now - 2 * 86400, day);
    snprintf(body, sizeof body, "{\"version\":1,\"left_on\":\"%s\"}", day);
    refused(&s, g, e, body, "invalid_value", "change of status from active");
    /* nothing changed, nothing audited */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elders WHERE id = %lld AND status = 'active' AND version = 1"
             " AND left_at IS NULL",
             e);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'elder' AND entity_id = %lld AND action"
             " = 'update'",
             e);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* a correction, moved to deceased, keeps the day: no left_on */
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"moved\",\"left_on\":\"%s\"}", day);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    json_t *o = EL(&s, g, "PATCH", path, body, 200);
    CHECK_STR(th_str(o, "left_on"), day);
    json_decref(o);
    bj_date(now - 3 * 86400, day);
    snprintf(body, sizeof body, "{\"version\":2,\"status\":\"deceased\",\"left_on\":\"%s\"}", day);
    refused(&s, g, e, body, "invalid_value", "change of status from active");
    o = EL(&s, g, "PATCH", path, "{\"version\":2,\"status\":\"deceased\"}", 200);
    bj_date(now - 2 * 86400, day);
    CHECK_STR(th_str(o, "left_on"), day);
    json_decref(o);
    /* not on a registration */
    char id[19];
    el_id(id, "19400315", 82, 'F');
    snprintf(body, sizeof body,
             "{\"name\":\"老人82\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"ability_level\":1,\"left_on\":\"%s\"}",
             id, grid, day);
    o = EL(&s, g, "POST", "/api/v1/elders", body, 422);
    CHECK_STR(th_str(json_object_get(o, "error"), "field"), "left_on");
    json_decref(o);
    th_stop(&s);
}

TEST_T(eldercare_death_recorded_late_with_its_day, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[400], sql[400], path[256], day[11], t_in[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long e = el_elder(&s, g, grid, 83, "\"visit_tier\":\"high_risk\"");
    long long late = el_elder(&s, g, grid, 84, "");
    long long h = el_helper(&s, g, grid, 83, "1968-02-02", 'F', "");
    long long h2 = el_helper(&s, g, grid, 84, "1968-02-03", 'F', "");
    int64_t now = pj_now();
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(now - 60 * 86400), e);
    th_sql_exec(&s, sql);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e, h);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", late, h2);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    char start[11];
    bj_date(now - 30 * 86400, start);
    snprintf(sql, sizeof sql, "UPDATE elder_pairs SET start_date = '%s' WHERE elder_id = %lld",
             start, e);
    th_sql_exec(&s, sql);
    /* a period of 30 days ending a day ago; the elder died 15 days before its end */
    int64_t until = now / 60 * 60 - 86400, since = until - 30 * 86400;
    int64_t died = until - 15 * 86400;
    bj_date(died, day);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"deceased\",\"left_on\":\"%s\"}", day);
    json_t *o = EL(&s, g, "PATCH", path, body, 200);
    CHECK_STR(th_str(o, "left_on"), day);
    CHECK_STR(th_str(o, "status"), "deceased");
    json_decref(o);
    /* left_at: the last second of that day in Beijing */
    int64_t end_of_day = (died + 8 * 3600) / 86400 * 86400 + 86400 - 8 * 3600 - 1;
    snprintf(sql, sizeof sql, "SELECT left_at FROM elders WHERE id = %lld", e);
    CHECK_INT(th_sql_int(&s, sql), end_of_day);
    /* the pair ended that day, audited */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs p WHERE elder_id = %lld AND state = 'ended' AND"
             " end_date = '%s' AND ended_note = 'deceased' AND EXISTS (SELECT 1 FROM audit a"
             " WHERE a.entity = 'pair' AND a.entity_id = p.id AND a.action = 'end')",
             e, day);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* a service of that day (its morning) is logged; one of the day after is not */
    pj_time_iso(end_of_day - 14 * 3600, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":60}",
             e, h, t_in);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    pj_time_iso(end_of_day + 10 * 3600, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":60}",
             e, h, t_in);
    o = EL(&s, g, "POST", "/api/v1/service-logs", body, 422);
    CHECK_STR(th_str(json_object_get(o, "error"), "field"), "elder_id");
    json_decref(o);
    /* the coverage report owes the high-risk elder's visits up to that day only: 15 days of
     * the 30 (15/7 to 16/7 = 2.1–2.3 visits), not the whole period (30/7 = 4.3); the other
     * elder is registered since (now) and owes none. The report gives one decimal: 15/7 reads
     * 2.1 (late in the Beijing day the window is barely over 15 days) */
    char t0[21], t1[21];
    pj_time_iso(since, t0);
    pj_time_iso(until, t1);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=%s&until=%s", grid, t0,
             t1);
    o = EL(&s, off, "GET", path, NULL, 200);
    double due = json_number_value(json_object_get(json_object_get(o, "total"), "visits_due"));
    json_decref(o);
    CHECK(due > 2.05 && due < 2.35);
    /* the other elder moved away 20 days ago, the change recorded now: its pair of today ends
     * on its start day, not before it */
    char moved[11], today[11];
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(now - 60 * 86400), late);
    th_sql_exec(&s, sql);
    bj_date(now - 20 * 86400, moved);
    bj_date(now, today);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", late);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"moved\",\"left_on\":\"%s\"}", moved);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs WHERE elder_id = %lld AND state = 'ended' AND"
             " end_date = start_date AND start_date = '%s'",
             late, today);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* An elder who was a helper too (低龄助高龄) and died on an earlier day: the helper record
 * stops and its pairs end on that day, not on the day the death was recorded. */
TEST_T(eldercare_helper_of_a_late_recorded_death_stops_on_its_day, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[600], sql[400], path[64], day[11], start[11];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long hid, other;
    long long self = elder_who_helps(&s, g, off, grid, 85, &hid, &other);
    int64_t now = pj_now();
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(now - 60 * 86400), self);
    th_sql_exec(&s, sql);
    bj_date(now - 30 * 86400, start);
    snprintf(sql, sizeof sql, "UPDATE elder_pairs SET start_date = '%s' WHERE helper_id = %lld",
             start, hid);
    th_sql_exec(&s, sql);
    bj_date(now - 5 * 86400, day);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", self);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"deceased\",\"left_on\":\"%s\"}", day);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", hid);
    CHECK_INT(th_sql_int(&s, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs p WHERE helper_id = %lld AND state = 'ended' AND"
             " end_date = '%s' AND ended_note = 'helper inactive' AND EXISTS (SELECT 1 FROM audit"
             " a WHERE a.entity = 'pair' AND a.entity_id = p.id AND a.action = 'end')",
             hid, day);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* A death recorded late whose day is before services already logged — of the elder, or given
 * by the elder as a helper — is refused at left_on naming the first such log, and changes
 * nothing: the day or the logs are wrong, and the logs kept their credits while the report
 * counted visits to an elder no longer owed any. Once they are voided the day is taken. A
 * service at the departure day's last second (23:59:59 Beijing) is still logged. */
TEST_T(eldercare_left_on_before_logs_in_force_refused, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[600], sql[400], path[64], day[11], t_in[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long e = el_elder(&s, g, grid, 87, "");
    long long h = el_helper(&s, g, grid, 87, "1968-02-07", 'F', "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e, h);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    int64_t now = pj_now();
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(now - 20 * 86400), e);
    th_sql_exec(&s, sql);
    /* a visit three days ago, logged while the elder was active */
    pj_time_iso(now / 60 * 60 - 3 * 86400, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":60}",
             e, h, t_in);
    json_t *o = EL(&s, g, "POST", "/api/v1/service-logs", body, 201);
    long long log = th_int(o, "id");
    json_decref(o);
    /* died five days ago: the log is after that day */
    bj_date(now - 5 * 86400, day);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"deceased\",\"left_on\":\"%s\"}", day);
    char first[40];
    snprintf(first, sizeof first, "the first: log %lld of", log);
    refused(&s, g, e, body, "out_of_range", first);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elders WHERE id = %lld AND status = 'active' AND version = 1"
             " AND left_at IS NULL",
             e);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs WHERE elder_id = %lld AND state = 'active'", e);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* the log voided, the day is taken */
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", log);
    json_decref(EL(&s, g, "POST", path, "{\"reason\":\"老人已于此前去世\"}", 200));
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    /* the departure day's last second is still that day: logged */
    int64_t end_of_day = (now - 5 * 86400 + 8 * 3600) / 86400 * 86400 + 86400 - 8 * 3600 - 1;
    pj_time_iso(end_of_day, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":1}",
             e, h, t_in);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    /* an elder who helps too: a service they gave after the day stops the day likewise */
    long long hid, other;
    long long self = elder_who_helps(&s, g, off, grid, 88, &hid, &other);
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id IN (%lld, %lld)",
             (long long)(now - 20 * 86400), self, other);
    th_sql_exec(&s, sql);
    pj_time_iso(now / 60 * 60 - 2 * 86400, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":30}",
             other, hid, t_in);
    o = EL(&s, g, "POST", "/api/v1/service-logs", body, 201);
    long long given = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"deceased\",\"left_on\":\"%s\"}", day);
    snprintf(first, sizeof first, "the first: log %lld of", given);
    refused(&s, g, self, body, "out_of_range", first);
    snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", hid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* A departure day before a service log the caller may not open — given by a helper record of
 * the elder's ID number in another grid — was refused naming that log and its day: the grid
 * worker learnt that the person helps elsewhere and when, and could not void it. Only the logs
 * the caller may open stand in their way now; a district officer, who opens them all, is still
 * refused. */
TEST_T(eldercare_left_on_ignores_logs_outside_the_callers_scope, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[600], sql[400], path[64], day[11], t_in[21], idn[19];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_outside_grid01(&s);
    long long e = el_elder(&s, g, grid, 93, "");
    long long far_e = el_elder(&s, off, there, 94, "");
    /* the same person as a helper elsewhere, unlinked (the officer's) */
    el_id(idn, "19400315", 93, 'F');
    snprintf(
        body, sizeof body,
        "{\"name\":\"老人93\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\",\"id_number\":\"%s\","
        "\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":1}",
        idn, there);
    json_t *o = EL(&s, off, "POST", "/api/v1/helpers", body, 201);
    long long far_h = th_int(o, "id");
    json_decref(o);
    int64_t now = pj_now();
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id IN (%lld, %lld)",
             (long long)(now - 20 * 86400), e, far_e);
    th_sql_exec(&s, sql);
    pj_time_iso(now / 60 * 60 - 2 * 86400, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":30}",
             far_e, far_h, t_in);
    o = EL(&s, off, "POST", "/api/v1/service-logs", body, 201);
    long long log = th_int(o, "id");
    json_decref(o);
    bj_date(now - 5 * 86400, day);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"moved\",\"left_on\":\"%s\"}", day);
    /* the district officer opens the log: refused, naming it */
    char first[40];
    snprintf(first, sizeof first, "the first: log %lld of", log);
    refused(&s, off, e, body, "out_of_range", first);
    /* grid01 may not: the day is taken, the log not named and left as it is */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    o = EL(&s, g, "PATCH", path, body, 200);
    CHECK_STR(th_str(o, "status"), "moved");
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_service_logs WHERE id = %lld AND"
             " voided_at IS NULL",
             log);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}
