/* An elder or a helper moved to another grid takes their open alerts along: the grid worker
 * and township now responsible see and settle them, the former grid worker no longer reads
 * them (they named an elder out of their grids), and each alert moved has its audit row. */
#include "core/util.h"
#include "el_fixture.h"

/* GET path as tok: 403 forbidden on elder_id (a filter naming an elder out of their scope) */
static void refused_elder_id(th_server *s, const char *tok, const char *path)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 403);
    CHECK_STR(th_err_code(o), "forbidden");
    CHECK_STR(th_err_field(o), "elder_id");
    json_decref(o);
}

/* how many alerts of the list at path the caller is shown */
static long long shown(th_server *s, const char *tok, const char *path)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    long long n = (long long)json_array_size(json_object_get(o, "items"));
    json_decref(o);
    return n;
}

TEST_T(eldercare_open_alerts_follow_a_move, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], town[80], path[128], body[256], sql[320];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long grid = el_grid01_grid(&s);
    /* a grid of jinhaihu's township (grid01's grids are in another) */
    long long there = el_grid_of_jinhaihu(&s);
    CHECK(there > 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM grid_workers w JOIN users u ON u.id = w.user_id WHERE"
             " u.username = 'grid01' AND w.region_id = %lld",
             there);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* an elder without a family doctor (no_doctor), a helper over capacity */
    long long eid = el_elder(&s, g, grid, 1, ""), other = el_elder(&s, g, grid, 2, "");
    long long hid = el_helper(&s, g, grid, 3, "1970-05-01", 'F', "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", other, hid);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    snprintf(sql, sizeof sql, "UPDATE helpers SET capacity = 0 WHERE id = %lld", hid);
    th_sql_exec(&s, sql);
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    snprintf(sql, sizeof sql,
             "SELECT id FROM elder_alerts WHERE elder_id = %lld AND kind = 'no_doctor'", eid);
    long long ea = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql,
             "SELECT id FROM elder_alerts WHERE helper_id = %lld AND kind ="
             " 'helper_over_capacity'",
             hid);
    long long ha = th_sql_int(&s, sql);
    CHECK(ea > 0 && ha > 0);
    snprintf(path, sizeof path, "/api/v1/elder-alerts?elder_id=%lld", eid);
    CHECK_INT(shown(&s, g, path), 1);
    /* acknowledged at the old grid: an acknowledged alert is still to be settled */
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/ack", ea);
    json_decref(EL(&s, g, "POST", path, "{\"version\":1}", 200));
    /* the officer moves both to jinhaihu's grid */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    snprintf(body, sizeof body, "{\"version\":1,\"grid_id\":%lld}", there);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    /* the alerts are at the new grid and township */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts a JOIN regions g ON g.id = a.grid_id JOIN regions"
             " v ON v.id = g.parent_id WHERE a.id IN (%lld, %lld) AND a.grid_id = %lld AND"
             " a.township_id = v.parent_id",
             ea, ha, there);
    CHECK_INT(th_sql_int(&s, sql), 2);
    /* the former grid worker reads neither and settles neither: the elder is no longer theirs
     * to filter by */
    snprintf(path, sizeof path, "/api/v1/elder-alerts?elder_id=%lld", eid);
    refused_elder_id(&s, g, path);
    CHECK_INT(shown(&s, g, "/api/v1/elder-alerts?state=acked&limit=500"), 0);
    CHECK_INT(shown(&s, g, "/api/v1/elder-alerts?kind=helper_over_capacity&limit=500"), 0);
    snprintf(sql, sizeof sql, "SELECT version FROM elder_alerts WHERE id = %lld", ea);
    snprintf(body, sizeof body, "{\"version\":%lld,\"note\":\"已处理\"}", th_sql_int(&s, sql));
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/resolve", ea);
    json_decref(EL(&s, g, "POST", path, body, 403));
    /* the township now responsible sees both and settles them */
    snprintf(path, sizeof path, "/api/v1/elder-alerts?elder_id=%lld", eid);
    CHECK_INT(shown(&s, town, path), 1);
    CHECK_INT(shown(&s, town, "/api/v1/elder-alerts?kind=helper_over_capacity&limit=500"), 1);
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/resolve", ea);
    json_t *o = EL(&s, town, "POST", path, body, 200);
    CHECK_STR(th_str(o, "state"), "resolved");
    json_decref(o);
    /* each move written with its audit row */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'elder_alert' AND action = 'update' AND"
             " entity_id IN (%lld, %lld)",
             ea, ha);
    CHECK_INT(th_sql_int(&s, sql), 2);
    /* the coverage report counts the open one at the new grid */
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld", there);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_INT(th_int(json_object_get(o, "total"), "alerts_open"), 1);
    json_decref(o);
    th_stop(&s);
}

/* the total visits done of the coverage report of one grid */
static long long done_at(th_server *s, const char *tok, long long grid)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld", grid);
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    long long n = th_int(json_object_get(o, "total"), "visits_done");
    json_decref(o);
    return n;
}

/* An elder's service logs go with the elder too: the grid worker now responsible reads the
 * elder's services (the elder's page showed none), the former one no longer does, and the
 * coverage report counts the visits done in the grid where it counts the elder's visits due
 * (they stayed at the old grid, which then showed more done than due). */
TEST_T(eldercare_service_logs_follow_a_move, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], body[512], sql[300], t_in[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_of_jinhaihu(&s);
    long long eid = el_elder(&s, off, there, 1, "");
    for (int k = 0; k < 2; k++) {
        pj_time_iso(pj_now() - (k + 2) * 3600, t_in);
        snprintf(body, sizeof body,
                 "{\"elder_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
                 "\"minutes\":30,\"remarks\":\"血压偏高\"}",
                 eid, t_in);
        json_decref(EL(&s, off, "POST", "/api/v1/service-logs", body, 201));
    }
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld", eid);
    refused_elder_id(&s, g, path);
    CHECK_INT(done_at(&s, off, there), 2);
    /* into grid01's grid */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    snprintf(body, sizeof body, "{\"version\":1,\"grid_id\":%lld}", grid);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld", eid);
    CHECK_INT(shown(&s, g, path), 2);
    CHECK_INT(done_at(&s, off, grid), 2);
    CHECK_INT(done_at(&s, off, there), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_service_logs l JOIN elders e ON e.id = l.elder_id WHERE"
             " l.elder_id = %lld AND l.grid_id = e.grid_id AND l.village_id = e.village_id AND"
             " l.township_id = e.township_id",
             eid);
    CHECK_INT(th_sql_int(&s, sql), 2);
    /* and out again: grid01 reads them no more */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    snprintf(body, sizeof body, "{\"version\":2,\"grid_id\":%lld}", there);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld", eid);
    refused_elder_id(&s, g, path);
    CHECK_INT(shown(&s, g, "/api/v1/service-logs?limit=500"), 0);
    CHECK_INT(done_at(&s, off, there), 2);
    th_stop(&s);
}
