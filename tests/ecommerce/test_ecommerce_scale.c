/* The e-commerce KPIs as the live sessions pile up over the years: the sessions of the range
 * read once, from an index on their day holding what is summed, not every session ever
 * recorded five times. */
#include <string.h>

#include "domain/ecommerce.h"
#include "t.h"
#include "th.h"

TEST(ecommerce_kpi_sessions_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_ec_kpi(&t.c, "2026-01-01", "2026-06-30", &w, &err))
        t_fail(__FILE__, __LINE__, "kpi: %s", err.message);
    pj_buf_free(&out);
    const char *plan = th_plans(&t, "FROM ec_sessions WHERE");
    CHECK(strstr(plan, "FROM ec_sessions WHERE 1 = 1 AND day >= ? AND day <= ?\n"));
    CHECK(
        strstr(plan, "SEARCH ec_sessions USING COVERING INDEX ec_sessions_kpi (day>? AND day<?)"));
    CHECK(!strstr(plan, "SCAN ec_sessions\n"));
    th_ctx_close(&t);
}
