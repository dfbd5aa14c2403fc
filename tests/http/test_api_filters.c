/* The enumerated list filters of the registry and users: a value outside the domain's list is a
 * 400 bad_query at the filter (a mistyped ?type= answered an empty list), each value of the
 * list is accepted. The lists are the domain's own. */
#include <stdio.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/registry.h"
#include "t.h"
#include "th.h"

TEST_T(registry_enumerated_filters_checked, 120)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_enum_filter(&s, adm, "/api/v1/users", "role", pj_user_roles);
    th_enum_filter(&s, adm, "/api/v1/regions", "type", pj_region_types);
    th_enum_filter(&s, adm, "/api/v1/organisations", "type", pj_org_types);
    th_enum_filter(&s, adm, "/api/v1/facilities", "type", pj_facility_types);
    th_enum_filter(&s, adm, "/api/v1/facilities", "role", pj_emergency_roles);
    th_enum_filter(&s, adm, "/api/v1/facilities", "state", pj_facility_states);
    th_stop(&s);
}

/* An answer that is not paged — an export, a derived figure, a report, one record — takes no
 * limit or cursor: ?limit=2 on the facility export answered every facility, unsaid, as if it
 * were obeyed. Now it is the 400 unknown_parameter any other parameter is; a list still pages. */
TEST_T(unpaged_reads_refuse_limit_and_cursor, 120)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    static const char *const paths[] = {"/api/v1/facilities/export?township_id=2",
                                        "/api/v1/indicators/export?format=csv",
                                        "/api/v1/indicators/derived?fn=yoy&code=gdp&period=2024",
                                        "/api/v1/eldercare/coverage",
                                        "/api/v1/overview",
                                        "/api/v1/dashboard",
                                        "/api/v1/carbon/emissions?year=2023",
                                        "/api/v1/carbon/intensity?year=2023",
                                        "/api/v1/logistics/kpi",
                                        "/api/v1/elders/1",
                                        "/api/v1/helpers/1"};
    static const char *const params[] = {"limit=2", "cursor=5"};
    char url[256];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        for (size_t k = 0; k < 2; k++) {
            snprintf(url, sizeof url, "%s%c%s", paths[i], strchr(paths[i], '?') ? '&' : '?',
                     params[k]);
            const char *key = k ? "cursor" : "limit";
            json_t *o = NULL;
            int st = th_call(&s, "GET", url, adm, NULL, &o);
            const char *code = th_err_code(o), *field = th_err_field(o);
            if (st != 400 || !code || strcmp(code, "unknown_parameter") || !field ||
                strcmp(field, key))
                t_fail(__FILE__, __LINE__, "GET %s: %d %s at %s, expected 400 unknown_parameter",
                       url, st, code ? code : "-", field ? field : "-");
            json_decref(o);
        }
    /* without them the exports and the report answer */
    CHECK_INT(th_call(&s, "GET", paths[0], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[1], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[3], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[4], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[8], adm, NULL, NULL), 200);
    /* and a list still takes them */
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?limit=2&cursor=1", adm, NULL, &o), 200);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), 2);
    json_decref(o);
    th_stop(&s);
}
