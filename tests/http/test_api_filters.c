/* The enumerated list filters of the registry and users: a value outside the domain's list is a
 * 400 bad_query at the filter (a mistyped ?type= answered an empty list), each value of the
 * list is accepted. The lists are the domain's own. */
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
