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
