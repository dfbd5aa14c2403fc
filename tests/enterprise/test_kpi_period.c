/* The KPIs' period: its trend has every month of it, or the period is refused. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* Regression: a period of more than 240 months had its trend silently cut at the 240th month
 * counted from `from`, so from=2000-01-01 answered 240 empty months up to 2019-12 and left
 * out the months with the appeals. Such a period is 400 bad_query on `from` now; 240 months
 * are still answered whole. */
TEST(enterprise_kpis_period_over_240_months_refused)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2000-01-01&to=2020-01-01", off, NULL, &o),
        200);
    json_t *trend = json_object_get(o, "trend");
    CHECK_INT((long long)json_array_size(trend), 240);
    CHECK_STR(th_str(json_array_get(trend, 0), "month"), "2000-01");
    CHECK_STR(th_str(json_array_get(trend, 239), "month"), "2019-12");
    json_decref(o);
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=1999-12-01&to=2020-01-01", off, NULL, &o),
        400);
    CHECK_STR(th_err_code(o), "bad_query");
    CHECK_STR(th_err_field(o), "from");
    CHECK(strstr(th_err_message(o), "240 months") != NULL);
    json_decref(o);
    /* up to today, as the console asks */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2000-01-01", off, NULL, &o), 400);
    CHECK_STR(th_err_field(o), "from");
    json_decref(o);
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2000-01-01&format=csv", off, NULL, &o),
        400);
    json_decref(o);
    th_stop(&s);
}
