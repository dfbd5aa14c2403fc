/* The appeal KPIs as the appeals grow: the closings of the period counted from an index on the
 * time of closing, not from every closed appeal ever; the problems solved from reception days
 * from an index alone. */
#include <string.h>

#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

TEST(enterprise_kpis_closings_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    /* 2026 */
    if (pj_ent_kpis(&t.c, 1767196800, 1798732800, &w, NULL, &err))
        t_fail(__FILE__, __LINE__, "kpis: %s", err.message);
    const char *plan = th_plans(&t, "closed_at >= ?");
    CHECK(strstr(plan, "USING COVERING INDEX ent_appeals_closed (state=? AND closed_at>? AND"
                       " closed_at<?)"));
    CHECK(!strstr(plan, "\n  SCAN "));
    /* the problems solved from reception days, every year's: from an index alone */
    plan = th_plans(&t, "channel = 'reception_day'");
    CHECK(strstr(plan, "USING COVERING INDEX ent_appeals_channel (channel=? AND state=? AND"
                       " resolved=?)"));
    /* a township officer's: the same indexes */
    t.c.actor.role = PJ_ROLE_TOWNSHIP_OFFICER;
    t.c.actor.township_id = 2;
    pj_buf_reset(&out);
    pj_jw_init(&w, &out);
    if (pj_ent_kpis(&t.c, 1767196800, 1798732800, &w, NULL, &err))
        t_fail(__FILE__, __LINE__, "kpis: %s", err.message);
    CHECK(strstr(th_plans(&t, "closed_at >= ?"), "ent_appeals_closed"));
    CHECK(strstr(th_plans(&t, "channel = 'reception_day'"), "COVERING INDEX ent_appeals_channel"));
    pj_buf_free(&out);
    th_ctx_close(&t);
}

static void appeals(th_ctx *t, int64_t cursor)
{
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    pj_ent_filter f = {.limit = 50, .cursor = cursor};
    if (pj_ent_appeal_list(&t->c, &f, &w, &err))
        t_fail(__FILE__, __LINE__, "appeals: %s", err.message);
    pj_buf_free(&out);
}

/* The appeal list as the closed appeals pile up: the closed ones are read newest first in the
 * order of an index, page after page, not every appeal ever received sorted for each page (the
 * order itself: test_appeal_list.c). */
TEST(enterprise_appeal_list_closed_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    appeals(&t, 0);
    appeals(&t, (INT64_C(1) << 40) + 5); /* a page of the closed ones */
    const char *plan = th_plans(&t, "WHERE state = 'closed' AND (received_at, id) <");
    CHECK(strstr(plan, "SEARCH ent_appeals USING INDEX ent_appeals_closed_newest (state=? AND"
                       " received_at<?)"));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    plan = th_plans(&t, "WHERE state = 'closed' AND (? = 0");
    CHECK(strstr(plan, "SEARCH ent_appeals USING INDEX ent_appeals_closed_newest (state=?)"));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    /* the open ones: searched by state, never the whole table */
    plan = th_plans(&t, "WHERE state IN (");
    CHECK(!strstr(plan, "\n  SCAN "));
    th_ctx_close(&t);
}

/* The return visits due: the appeals whose visit is due and not made (a few), read from an
 * index, not every appeal ever received. */
TEST(enterprise_return_visits_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    pj_ent_filter f = {.limit = 50};
    if (pj_ent_return_visits(&t.c, &f, &w, &err))
        t_fail(__FILE__, __LINE__, "visits: %s", err.message);
    pj_buf_free(&out);
    const char *plan = th_plans(&t, "visited_at IS NULL");
    CHECK(strstr(plan, "SEARCH ent_appeals USING INDEX ent_appeals_visit (visited_at=? AND"
                       " visit_due<?)"));
    th_ctx_close(&t);
}
