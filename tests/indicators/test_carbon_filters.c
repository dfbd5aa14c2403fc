/* The sector filter of energy use: a value outside the domain's list of sectors is a 400
 * bad_query at sector (a mistyped ?sector= answered an empty list), each sector is accepted. */
#include "domain/carbon.h"
#include "t.h"
#include "th.h"

TEST_T(carbon_sector_filter_checked, 60)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_enum_filter(&s, adm, "/api/v1/carbon/energy", "sector", pj_carbon_sectors);
    th_stop(&s);
}
