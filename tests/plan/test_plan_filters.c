/* The status filter of the plans list: a value outside the domain's list is a 400 bad_query
 * at status (a mistyped ?status= answered an empty list), each status is accepted. */
#include "domain/plan.h"
#include "t.h"
#include "th.h"

TEST_T(plan_status_filter_checked, 60)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_enum_filter(&s, adm, "/api/v1/plans", "status", pj_plan_statuses);
    th_stop(&s);
}
