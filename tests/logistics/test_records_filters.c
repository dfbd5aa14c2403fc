/* An enumerated filter of a record kind (a warehouse's status): a value outside the kind's list
 * is a 400 bad_query at the filter, "status is one of …" as for every other list; each value
 * of the list is accepted. The records' check is one for every kind (src/domain/record.c). */
#include "domain/logistics.h"
#include "t.h"
#include "th.h"

TEST_T(records_enumerated_filter_checked, 60)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_enum_filter(&s, adm, "/api/v1/logistics/warehouses", "status", pj_lg_statuses);
    th_stop(&s);
}
