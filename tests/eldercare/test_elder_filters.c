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
