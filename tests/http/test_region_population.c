/* A region's population carries to every ancestor up to the district: an edit, a new region
 * and a region deleted move the village, the township and the district by the same number of
 * residents, so the registry, the planner (which adds up villages) and the overview (which adds
 * up townships) give one population per area. */
#include <string.h>

#include "eldercare/el_fixture.h"

static long long pop_of(th_server *s, long long id)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT population FROM regions WHERE id = %lld", id);
    return th_sql_int(s, sql);
}

static long long version_of(th_server *s, long long id)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT version FROM regions WHERE id = %lld", id);
    return th_sql_int(s, sql);
}

static long long parent_of(th_server *s, long long id)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT parent_id FROM regions WHERE id = %lld", id);
    return th_sql_int(s, sql);
}

static long long district_population(th_server *s, const char *tok)
{
    json_t *o = EL(s, tok, "GET", "/api/v1/overview", NULL, 200);
    long long n = th_int(o, "district_population");
    json_decref(o);
    return n;
}

/* Regression: a grid worker's PATCH of their grid's population changed the grid only; its
 * village, township and district kept the old figure, so a plan over the township (the sum of
 * its villages) and the overview (the sum of the townships) used different populations. */
TEST_T(region_population_carries_to_every_ancestor, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], gw[80], path[64], body[256];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, gw);
    long long grid = el_grid01_grid(&s), village = parent_of(&s, grid);
    long long town = parent_of(&s, village), district = parent_of(&s, town);
    CHECK(grid > 0 && village > 0 && town > 0 && district > 0);
    long long ids[4] = {grid, village, town, district}, pop[4], ver[4];
    for (int i = 0; i < 4; i++) {
        pop[i] = pop_of(&s, ids[i]);
        ver[i] = version_of(&s, ids[i]);
    }
    long long overview0 = district_population(&s, off);
    /* the planner's figure for the township: what its villages add up to */
    char vsql[160];
    snprintf(vsql, sizeof vsql,
             "SELECT SUM(population) FROM regions WHERE parent_id = %lld AND type IN"
             " ('village', 'community')",
             town);
    long long villages = th_sql_int(&s, vsql);
    long long follows = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action ="
                                       " 'population_follow' AND entity = 'region'");

    /* the grid worker's edit: +1000 at every level, one version and one audit row each */
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"population\":%lld}", ver[0], pop[0] + 1000);
    json_decref(EL(&s, gw, "PATCH", path, body, 200));
    for (int i = 0; i < 4; i++) {
        CHECK_INT(pop_of(&s, ids[i]), pop[i] + 1000);
        CHECK_INT(version_of(&s, ids[i]), ver[i] + 1);
    }
    CHECK_INT(district_population(&s, off), overview0 + 1000);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", town);
    json_t *t = EL(&s, off, "GET", path, NULL, 200);
    CHECK_INT(th_int(t, "population"), pop[2] + 1000);
    json_decref(t);
    CHECK_INT(th_sql_int(&s, vsql), villages + 1000);
    char sql[256];
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'population_follow'"),
              follows + 3);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'population_follow' AND entity_id = %lld"
             " AND after_json LIKE '%%\"following_region_id\":%lld%%' AND username = 'grid01'",
             village, grid);
    CHECK_INT(th_sql_int(&s, sql), 1);

    /* an edit of the village itself: the township and the district follow, the grid stays */
    snprintf(path, sizeof path, "/api/v1/regions/%lld", village);
    snprintf(body, sizeof body, "{\"version\":%lld,\"population\":%lld}", ver[1] + 1, pop[1] + 900);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    CHECK_INT(pop_of(&s, grid), pop[0] + 1000);
    CHECK_INT(pop_of(&s, village), pop[1] + 900);
    CHECK_INT(pop_of(&s, town), pop[2] + 900);
    CHECK_INT(pop_of(&s, district), pop[3] + 900);
    CHECK_INT(district_population(&s, off), overview0 + 900);
    CHECK_INT(th_sql_int(&s, vsql), villages + 900);

    /* a new grid with residents adds them; deleting it takes them away again */
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-POP-1\",\"name\":\"新网格\","
             "\"population\":50}",
             village);
    json_t *made = EL(&s, off, "POST", "/api/v1/regions", body, 201);
    long long added = th_int(made, "id");
    json_decref(made);
    CHECK_INT(pop_of(&s, village), pop[1] + 950);
    CHECK_INT(pop_of(&s, district), pop[3] + 950);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", added);
    json_decref(EL(&s, off, "DELETE", path, NULL, 204));
    CHECK_INT(pop_of(&s, village), pop[1] + 900);
    CHECK_INT(pop_of(&s, town), pop[2] + 900);
    CHECK_INT(pop_of(&s, district), pop[3] + 900);
    CHECK_INT(district_population(&s, off), overview0 + 900);

    /* a stale version changes nothing anywhere */
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"population\":1}", ver[0]);
    json_decref(EL(&s, gw, "PATCH", path, body, 409));
    CHECK_INT(pop_of(&s, grid), pop[0] + 1000);
    CHECK_INT(pop_of(&s, district), pop[3] + 900);
    th_stop(&s);
}

/* Regression: a grid's population of 100,000,000 (the most a region may hold) was accepted and
 * carried its village, township and district above that; the village then could not be saved
 * even with its own figure. An edit or a new region that would bring an ancestor beyond the
 * range is refused on population and changes nothing. */
TEST_T(region_population_keeps_ancestors_in_range, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], gw[80], path[64], body[256], sql[128], fp0[TH_FINGERPRINT_SIZE],
        fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, gw);
    long long grid = el_grid01_grid(&s), village = parent_of(&s, grid);
    long long district = parent_of(&s, parent_of(&s, village));
    long long others = pop_of(&s, district) - pop_of(&s, grid);
    CHECK(others > 0);
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"population\":100000000}",
             version_of(&s, grid));
    json_t *o = EL(&s, gw, "PATCH", path, body, 422);
    CHECK_STR(th_err_code(o), "out_of_range");
    CHECK_STR(th_err_field(o), "population");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-POP-2\",\"name\":\"大网格\","
             "\"population\":100000000}",
             village);
    o = EL(&s, off, "POST", "/api/v1/regions", body, 422);
    CHECK_STR(th_err_field(o), "population");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    /* up to the range, the district included, it is taken */
    snprintf(body, sizeof body, "{\"version\":%lld,\"population\":%lld}", version_of(&s, grid),
             100000000 - others);
    json_decref(EL(&s, gw, "PATCH", path, body, 200));
    CHECK_INT(pop_of(&s, district), 100000000);
    /* a district stored beyond the range (by an earlier build) is never in the way of a fall:
     * a grid's population lowered carries down to it */
    snprintf(sql, sizeof sql, "UPDATE regions SET population = 100000500 WHERE id = %lld",
             district);
    th_sql_exec(&s, sql);
    snprintf(body, sizeof body, "{\"version\":%lld,\"population\":%lld}", version_of(&s, grid),
             100000000 - others - 100);
    json_decref(EL(&s, gw, "PATCH", path, body, 200));
    CHECK_INT(pop_of(&s, district), 100000400);
    th_stop(&s);
}
