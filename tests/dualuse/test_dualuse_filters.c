/* The enumerated list filters of dual-use conversion: a value outside the domain's list is a
 * 400 bad_query at the filter (a mistyped ?state= answered an empty list), each value of the
 * list is accepted. The lists are the domain's own. */
#include "domain/dualuse.h"
#include "domain/registry.h"
#include "t.h"
#include "th.h"

TEST_T(dualuse_enumerated_filters_checked, 120)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_enum_filter(&s, adm, "/api/v1/standards", "facility_type", pj_facility_types);
    th_enum_filter(&s, adm, "/api/v1/standards", "scenario", pj_scenarios);
    th_enum_filter(&s, adm, "/api/v1/standards", "role", pj_emergency_roles);
    th_enum_filter(&s, adm, "/api/v1/manuals", "scenario", pj_scenarios);
    th_enum_filter(&s, adm, "/api/v1/conversions", "mode", pj_conversion_modes);
    th_enum_filter(&s, adm, "/api/v1/conversions", "state", pj_conversion_states);
    th_enum_filter(&s, adm, "/api/v1/findings", "status", pj_finding_statuses);
    th_enum_filter(&s, adm, "/api/v1/overview", "scenario", pj_scenarios);
    th_stop(&s);
}
