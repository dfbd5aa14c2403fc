/* The enumerated list filters of livestream e-commerce and the academy: a value outside the
 * domain's list is a 400 bad_query at the filter (a mistyped product ?category= answered an
 * empty list), each value of the list is accepted. The lists are the domain's own. */
#include <stdio.h>

#include "domain/ecommerce.h"
#include "t.h"
#include "th.h"

TEST_T(ecommerce_enumerated_filters_checked, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/ecommerce/products", off,
                      "{\"name\":\"平谷大桃\",\"category\":\"peach\"}", &o),
              201);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales", th_int(o, "id"));
    json_decref(o);
    th_enum_filter(&s, off, "/api/v1/ecommerce/bases", "tier", pj_ec_tiers);
    th_enum_filter(&s, off, "/api/v1/ecommerce/products", "category", pj_ec_categories);
    th_enum_filter(&s, off, path, "channel", pj_ec_channels);
    th_enum_filter(&s, off, "/api/v1/ecommerce/zone-enterprises", "kind", pj_ac_kinds);
    th_enum_filter(&s, off, "/api/v1/academy/courses", "category", pj_ac_course_categories);
    th_enum_filter(&s, off, "/api/v1/academy/cohorts", "state", pj_ac_cohort_states);
    th_enum_filter(&s, off, "/api/v1/academy/posts", "state", pj_ac_post_states);
    th_enum_filter(&s, off, "/api/v1/academy/enrolments", "state", pj_ac_enrol_states);
    th_stop(&s);
}
