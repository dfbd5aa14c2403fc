/* The enumerated list filters of the eldercare module: a value outside the domain's list is a
 * 400 bad_query at the filter (a mistyped ?status=actve answered an empty list, as if no elder
 * were active), each value of the list is accepted. The lists are the domain's own. */
#include "eldercare/el_fixture.h"

TEST_T(elder_enumerated_filters_checked, 120)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 60);
    char off[80], g[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "viewer", s.demo_pw, view);
    /* a pairing run for its proposals */
    long long grid = el_grid01_grid(&s);
    char q[200], path[128];
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    snprintf(q, sizeof q, "{\"region_id\":%lld}", th_sql_int(&s, q));
    json_t *run = EL(&s, off, "POST", "/api/v1/pairing-runs", q, 201);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld", th_int(run, "id"));
    json_decref(run);

    th_enum_filter(&s, off, "/api/v1/elders", "visit_tier", pj_visit_tiers);
    th_enum_filter(&s, off, "/api/v1/elders", "status", pj_elder_statuses);
    th_enum_filter(&s, g, "/api/v1/elders?view=list", "status", pj_elder_statuses);
    th_enum_filter(&s, off, "/api/v1/helpers", "skill", pj_elder_skills);
    th_enum_filter(&s, off, path, "state", pj_proposal_states);
    th_enum_filter(&s, off, "/api/v1/pairs", "state", pj_pair_states);
    th_enum_filter(&s, off, "/api/v1/pairs", "order", pj_list_orders);
    /* newest first: a pair just made is on the first page (oldest first it was on the last of
     * thousands), the next page holding smaller ids */
    {
        json_t *a = EL(&s, off, "GET", "/api/v1/pairs?order=newest&limit=3", NULL, 200);
        json_t *items = json_object_get(a, "items");
        CHECK_INT((long long)json_array_size(items), 3);
        CHECK_INT(th_int(json_array_get(items, 0), "id"),
                  th_sql_int(&s, "SELECT MAX(id) FROM elder_pairs"));
        CHECK(th_int(json_array_get(items, 0), "id") > th_int(json_array_get(items, 2), "id"));
        json_decref(a);
        a = EL(&s, off, "GET", "/api/v1/pairs?order=newest&limit=2", NULL, 200);
        items = json_object_get(a, "items");
        long long next = atoll(th_str(a, "next_cursor")); /* a string, as every next_cursor */
        CHECK_INT(next, th_int(json_array_get(items, 1), "id"));
        char more[96];
        snprintf(more, sizeof more, "/api/v1/pairs?order=newest&limit=2&cursor=%lld", next);
        json_t *b = EL(&s, off, "GET", more, NULL, 200);
        CHECK(th_int(json_array_get(json_object_get(b, "items"), 0), "id") < next);
        json_decref(b);
        json_decref(a);
    }
    th_enum_filter(&s, off, "/api/v1/service-logs", "kind", pj_service_kinds);
    th_enum_filter(&s, off, "/api/v1/elder-alerts", "state", pj_alert_states);
    th_enum_filter(&s, off, "/api/v1/elder-alerts", "kind", pj_alert_kinds);
    th_enum_filter(&s, off, "/api/v1/elder-alerts", "level", pj_alert_levels);
    th_enum_filter(&s, view, "/api/v1/elder-centres", "kind", pj_centre_kinds);
    th_enum_filter(&s, off, "/api/v1/eldercare/coverage", "group", pj_coverage_groups);
    th_enum_filter(&s, off, "/api/v1/eldercare/coverage?format=csv", "group", pj_coverage_groups);
    th_stop(&s);
}

/* how many items GET path gives tok */
static long long items(th_server *s, const char *tok, const char *path)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    long long n = (long long)json_array_size(json_object_get(o, "items"));
    json_decref(o);
    return n;
}

/* The search text q of the elder and helper lists is text to find: a %, _ or \ in it matches
 * itself (q=_ listed every elder, q=1_2 found household 152 too), as the registry's q does. */
TEST_T(elder_search_text_is_literal, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], path[128];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    el_elder(&s, g, grid, 1, "\"household\":\"1_2号\"");
    el_elder(&s, g, grid, 2, "\"household\":\"152号\"");
    el_elder(&s, g, grid, 3, "\"household\":\"50%楼\"");
    el_elder(&s, g, grid, 4, "\"household\":\"a\\\\b\"");
    CHECK_INT(items(&s, g, "/api/v1/elders"), 4);
    CHECK_INT(items(&s, g, "/api/v1/elders?q=1_2"), 1);
    CHECK_INT(items(&s, g, "/api/v1/elders?q=_"), 1);
    CHECK_INT(items(&s, g, "/api/v1/elders?q=%25"), 1);
    CHECK_INT(items(&s, g, "/api/v1/elders?q=0%25"), 1);
    CHECK_INT(items(&s, g, "/api/v1/elders?q=%5C"), 1);
    CHECK_INT(items(&s, g, "/api/v1/elders?q=52"), 1);
    CHECK_INT(items(&s, g, "/api/v1/elders?view=full&q=_"), 1);
    long long h1 = el_helper(&s, g, grid, 5, "1970-05-01", 'F', "");
    el_helper(&s, g, grid, 6, "1970-05-01", 'F', "");
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h1);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"name\":\"互助_员\"}", 200));
    CHECK_INT(items(&s, g, "/api/v1/helpers"), 2);
    CHECK_INT(items(&s, g, "/api/v1/helpers?q=_"), 1);
    CHECK_INT(items(&s, g, "/api/v1/helpers?q=%25"), 0);
    CHECK_INT(items(&s, g, "/api/v1/helpers?q=%E4%BA%92%E5%8A%A9"), 2);
    th_stop(&s);
}

/* how many items GET path gives tok, the page's limit raised to 500 */
static long long count_all(th_server *s, const char *tok, const char *path)
{
    char p[256];
    snprintf(p, sizeof p, "%s&limit=500", path);
    json_t *o = EL(s, tok, "GET", p, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "next_cursor")));
    long long n = (long long)json_array_size(json_object_get(o, "items"));
    json_decref(o);
    return n;
}

/* The needs-gap filters (no_meals, no_doctor, unpaired) and vulnerable=1 list active elders
 * only, as the coverage report and the vulnerable list count them: an elder who died or moved
 * away left the gap lists (a deceased elder stayed in the grid worker's "no meals" list) and
 * each gap list of a grid is as long as the report's gap of that grid. A status other than
 * active with them is an empty list. */
TEST_T(elder_gap_filters_active_only, 180)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 3000);
    char off[80], g[80], path[256];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    /* grid01's grid with the most elders */
    long long grid = th_sql_int(&s, "SELECT g.region_id FROM grid_workers g JOIN users u ON"
                                    " u.id = g.user_id WHERE u.username = 'grid01' ORDER BY"
                                    " (SELECT COUNT(*) FROM elders e WHERE e.grid_id ="
                                    " g.region_id) DESC, g.region_id LIMIT 1");
    /* living alone, no meals, no doctor, unpaired: in every gap list and vulnerable */
    long long dead = el_elder(&s, g, grid, 1, "\"living_alone\":true");
    long long gone = el_elder(&s, g, grid, 2, "\"living_alone\":true");
    long long live = el_elder(&s, g, grid, 3, "\"living_alone\":true");
    static const char *const gaps[] = {"no_meals=1", "no_doctor=1", "unpaired=1", "vulnerable=1"};
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "/api/v1/elders?region_id=%lld&%s&limit=500", grid, gaps[k]);
        CHECK(th_list_has(&s, g, path, "id", dead));
        CHECK(th_list_has(&s, g, path, "id", gone));
    }
    snprintf(path, sizeof path, "/api/v1/elders/%lld", dead);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200));
    snprintf(path, sizeof path, "/api/v1/elders/%lld", gone);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"moved\"}", 200));

    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld", grid);
    json_t *cov = EL(&s, off, "GET", path, NULL, 200);
    json_t *tot = json_object_get(cov, "total");
    long long elders = th_int(tot, "elders");
    long long want[3] = {elders - th_int(tot, "meals_arranged"),
                         elders - th_int(tot, "doctor_contracted"), elders - th_int(tot, "paired")};
    json_decref(cov);
    CHECK(elders > 10);
    snprintf(path, sizeof path, "/api/v1/eldercare/vulnerable?region_id=%lld", grid);
    long long vulnerable = count_all(&s, off, path);
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "/api/v1/elders?region_id=%lld&%s&limit=500", grid, gaps[k]);
        CHECK(!th_list_has(&s, g, path, "id", dead));
        CHECK(!th_list_has(&s, g, path, "id", gone));
        CHECK(th_list_has(&s, g, path, "id", live));
        snprintf(path, sizeof path, "/api/v1/elders?region_id=%lld&%s", grid, gaps[k]);
        CHECK_INT(count_all(&s, g, path), k < 3 ? want[k] : vulnerable);
        CHECK_INT(count_all(&s, off, path), k < 3 ? want[k] : vulnerable);
        /* the filter is of active elders: with another status nothing, with active the same */
        snprintf(path, sizeof path, "/api/v1/elders?region_id=%lld&%s&status=deceased", grid,
                 gaps[k]);
        CHECK_INT(count_all(&s, g, path), 0);
        snprintf(path, sizeof path, "/api/v1/elders?region_id=%lld&%s&status=active", grid,
                 gaps[k]);
        CHECK_INT(count_all(&s, g, path), k < 3 ? want[k] : vulnerable);
    }
    /* without a gap filter the list still shows them all, a status filter finds them */
    snprintf(path, sizeof path, "/api/v1/elders?region_id=%lld&status=deceased&limit=500", grid);
    CHECK(th_list_has(&s, g, path, "id", dead));
    snprintf(path, sizeof path, "/api/v1/elders?region_id=%lld&living_alone=1&limit=500", grid);
    CHECK(th_list_has(&s, g, path, "id", gone));
    th_stop(&s);
}

/* skills=meals,nursing lists the helpers with every skill named (the hand-pair dialog asks for
 * those who can serve the elder first: a suitable helper beyond the first page of a large
 * township was never offered); a name outside the skill list, or an empty one, is 400 bad_query
 * on `skills`. */
TEST_T(helper_list_skills_all_of, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], path[128];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long h1 = el_helper(&s, g, grid, 1, "1970-05-01", 'F', ""); /* companionship, meals */
    long long h2 = el_helper(&s, g, grid, 2, "1970-05-01", 'F', "");
    el_helper(&s, g, grid, 3, "1970-05-01", 'F', "");
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h1);
    json_decref(
        EL(&s, g, "PATCH", path, "{\"version\":1,\"skills\":[\"meals\",\"nursing\"]}", 200));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h2);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"skills\":[\"nursing\"]}", 200));
    CHECK_INT(items(&s, g, "/api/v1/helpers?skills=meals,nursing"), 1);
    CHECK_INT(items(&s, g, "/api/v1/helpers?skills=nursing"), 2);
    CHECK_INT(items(&s, g, "/api/v1/helpers?skills=meals"), 2);
    CHECK_INT(items(&s, g, "/api/v1/helpers?skills=companionship,meals"), 1);
    CHECK_INT(items(&s, g, "/api/v1/helpers?skills=meals,nursing&active=1"), 1);
    json_t *o = EL(&s, g, "GET", "/api/v1/helpers?skills=meals,nursing", NULL, 200);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 0), "id"), h1);
    json_decref(o);
    const char *bad[] = {"meals,cooking", "meals,", ",meals", "meals,,nursing", "Meals"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char p[128];
        snprintf(p, sizeof p, "/api/v1/helpers?skills=%s", bad[k]);
        o = EL(&s, g, "GET", p, NULL, 400);
        json_t *e = json_object_get(o, "error");
        CHECK_STR(json_string_value(json_object_get(e, "code")), "bad_query");
        CHECK_STR(json_string_value(json_object_get(e, "field")), "skills");
        json_decref(o);
    }
    th_stop(&s);
}

/* sex=F|M lists the helpers of that sex, free=1 those with a place left (pairs in force below
 * the capacity): the hand-pair dialog asks the server for them, so that each page of 50 it
 * offers holds only helpers the elder can have (it judged the places in the browser, and a
 * township whose first 50 helpers were full offered nobody). sex outside F/M is 400
 * bad_query on `sex` (empty: any sex, as every filter of the API). */
TEST_T(helper_list_sex_and_free_place, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[160], body[160];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long f1 = el_helper(&s, g, grid, 1, "1970-05-01", 'F', "");
    long long m1 = el_helper(&s, g, grid, 2, "1970-05-01", 'M', "");
    long long m2 = el_helper(&s, g, grid, 3, "1970-05-01", 'M', ""); /* 2 places */
    for (int e = 1; e <= 2; e++) {
        snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}",
                 el_elder(&s, g, grid, e, ""), m2);
        json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    }
    snprintf(path, sizeof path, "/api/v1/helpers?region_id=%lld&limit=500", grid);
    long long all = items(&s, g, path);
    CHECK(all >= 3);
    snprintf(path, sizeof path, "/api/v1/helpers?region_id=%lld&limit=500&sex=M", grid);
    CHECK(th_list_has(&s, g, path, "id", m1) && th_list_has(&s, g, path, "id", m2));
    CHECK(!th_list_has(&s, g, path, "id", f1));
    long long men = items(&s, g, path);
    snprintf(path, sizeof path, "/api/v1/helpers?region_id=%lld&limit=500&sex=F", grid);
    CHECK(th_list_has(&s, g, path, "id", f1) && !th_list_has(&s, g, path, "id", m1));
    CHECK_INT(items(&s, g, path) + men, all);
    /* m2's two places are taken: free=1 leaves him out, and every helper it lists has a place */
    snprintf(path, sizeof path, "/api/v1/helpers?region_id=%lld&limit=500&free=1", grid);
    CHECK(th_list_has(&s, g, path, "id", f1) && th_list_has(&s, g, path, "id", m1));
    CHECK(!th_list_has(&s, g, path, "id", m2));
    json_t *o = EL(&s, g, "GET", path, NULL, 200);
    json_t *it;
    size_t k;
    json_array_foreach(json_object_get(o, "items"), k, it) CHECK(th_int(it, "places_left") > 0);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/helpers?region_id=%lld&limit=500&free=1&sex=M", grid);
    CHECK(th_list_has(&s, g, path, "id", m1) && !th_list_has(&s, g, path, "id", m2));
    const char *bad[] = {"sex=X", "sex=f", "sex=FM", "free=2"};
    for (k = 0; k < sizeof bad / sizeof *bad; k++) {
        snprintf(path, sizeof path, "/api/v1/helpers?%s", bad[k]);
        o = EL(&s, g, "GET", path, NULL, 400);
        CHECK_STR(th_err_code(o), "bad_query");
        CHECK_STR(th_err_field(o), k < 3 ? "sex" : "free");
        json_decref(o);
    }
    th_stop(&s);
}
