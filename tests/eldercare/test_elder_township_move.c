/* An elder or a helper moved to another township kept their active pair: a pair across
 * townships, which pairing never makes (乡镇统筹). The move ends the pair as
 * pj_el_pairs_end does — end_date today, note "moved township", its `end` audit row — in the
 * move's transaction; a move within the township keeps it. */
#include "core/util.h"
#include "el_fixture.h"

static long long pair_state(th_server *s, long long elder, const char *state)
{
    char q[200];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM elder_pairs WHERE elder_id = %lld AND state = '%s'",
             elder, state);
    return th_sql_int(s, q);
}

TEST_T(eldercare_township_move_ends_the_pair, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], path[128], body[256], sql[400];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    /* another grid of the same township, and a grid of another township */
    long long same = el_grid_same_township(&s, grid);
    long long there = el_grid_other_township(&s, grid);
    CHECK(same > 0 && there > 0);
    long long e1 = el_elder(&s, g, grid, 60, ""), e2 = el_elder(&s, g, grid, 61, "");
    long long h1 = el_helper(&s, g, grid, 60, "1968-01-01", 'F', "");
    long long h2 = el_helper(&s, g, grid, 61, "1969-01-01", 'F', "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e1, h1);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e2, h2);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    /* within the township: the pairs stay */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e1);
    snprintf(body, sizeof body, "{\"version\":1,\"grid_id\":%lld}", same);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h2);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    CHECK_INT(pair_state(&s, e1, "active"), 1);
    CHECK_INT(pair_state(&s, e2, "active"), 1);
    /* the elder to another township: their pair ends */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e1);
    snprintf(body, sizeof body, "{\"version\":2,\"grid_id\":%lld}", there);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    CHECK_INT(pair_state(&s, e1, "active"), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs p WHERE elder_id = %lld AND state = 'ended' AND"
             " ended_note = 'moved township' AND end_date IS NOT NULL AND EXISTS (SELECT 1 FROM"
             " audit a WHERE a.entity = 'pair' AND a.entity_id = p.id AND a.action = 'end')",
             e1);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* the helper to another township: theirs too */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h2);
    snprintf(body, sizeof body, "{\"version\":2,\"grid_id\":%lld}", there);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    CHECK_INT(pair_state(&s, e2, "active"), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs p WHERE elder_id = %lld AND state = 'ended' AND"
             " ended_note = 'moved township' AND EXISTS (SELECT 1 FROM audit a WHERE a.entity ="
             " 'pair' AND a.entity_id = p.id AND a.action = 'end')",
             e2);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* no active pair across townships is left */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_pairs p JOIN elders e ON e.id ="
                             " p.elder_id JOIN helpers h ON h.id = p.helper_id WHERE p.state ="
                             " 'active' AND e.township_id <> h.township_id"),
              0);
    th_stop(&s);
}

/* The receiving grid worker of an elder who moved from another township is told that a district
 * officer moves the record (docs §7), and a district officer does: an elder marked `moved` by the
 * sending side is made active on the new township's grid in one PATCH. */
TEST_T(eldercare_township_move_by_the_district_office, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], path[128], body[512], sql[400], idn[19];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    snprintf(sql, sizeof sql,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.type ="
             " 'grid' AND v.parent_id <> (SELECT v2.parent_id FROM regions g2 JOIN regions v2"
             " ON v2.id = g2.parent_id WHERE g2.id = %lld)",
             grid);
    long long there = th_sql_int(&s, sql);
    long long e = el_elder(&s, off, there, 80, "");
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    json_decref(EL(&s, off, "PATCH", path, "{\"version\":1,\"status\":\"moved\"}", 200));
    el_id(idn, "19400315", 80, 'F');
    snprintf(
        body, sizeof body,
        "{\"name\":\"老人80\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\",\"id_number\":\"%s\","
        "\"grid_id\":%lld,\"ability_level\":1}",
        idn, grid);
    json_t *o = EL(&s, g, "POST", "/api/v1/elders", body, 409);
    CHECK(strstr(th_err_message(o), "district officer") != NULL);
    json_decref(o);
    json_decref(EL(&s, g, "GET", path, NULL, 403));
    snprintf(body, sizeof body, "{\"version\":2,\"status\":\"active\",\"grid_id\":%lld}", grid);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK_STR(th_str(o, "status"), "active");
    CHECK_INT(th_int(o, "grid_id"), grid);
    json_decref(o);
    th_stop(&s);
}
