/* The enumerated list filters of enterprise service: a value outside the domain's list is a
 * 400 bad_query at the filter (a mistyped ?state= answered an empty list), each value of the
 * list is accepted. The lists are the domain's own. */
#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

TEST_T(enterprise_enumerated_filters_checked, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    const char *E = "/api/v1/enterprise";
    char p[128];
#define F(path, key, vals)                                                                         \
    do {                                                                                           \
        snprintf(p, sizeof p, "%s%s", E, path);                                                    \
        th_enum_filter(&s, off, p, key, vals);                                                     \
    } while (0)
    F("/reception-days", "state", pj_reception_states);
    F("/appeals", "state", pj_appeal_states);
    F("/appeals", "category", pj_appeal_categories);
    F("/appeals", "channel", pj_appeal_channels);
    F("/financing-needs", "state", pj_fin_need_states);
    F("/financing-matches", "state", pj_fin_match_outcomes);
    F("/coop-posts", "kind", pj_coop_kinds);
    F("/coop-posts", "category", pj_coop_categories);
    F("/coop-posts", "state", pj_coop_post_states);
    F("/coop-contacts", "state", pj_coop_contact_states);
#undef F
    th_stop(&s);
}
