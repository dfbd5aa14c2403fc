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
