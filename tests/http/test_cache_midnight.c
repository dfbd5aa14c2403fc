/* A cached answer is not served past the next Beijing midnight. The dashboard's register
 * figures carry today's date as their period (and the freight window the current month): served
 * from the cache, which was cleared only by a write, they kept yesterday's date after midnight
 * until something was written (up to the alert scan's 5 minutes, for good with it off). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "domain/logistics.h"
#include "t.h"
#include "th.h"

extern int64_t pj_test_clock_shift_s;

/* The "period" of the dashboard's figure `key`, into out ("" when it has none). */
static void figure_period(json_t *d, const char *key, char *out, size_t cap)
{
    out[0] = 0;
    json_t *f;
    size_t i;
    json_array_foreach(json_object_get(d, "figures"), i, f)
    {
        const char *k = json_string_value(json_object_get(f, "key"));
        const char *p = json_string_value(json_object_get(json_object_get(f, "figure"), "period"));
        if (k && p && !strcmp(k, key)) snprintf(out, cap, "%s", p);
    }
}

TEST_T(http_cache_ends_at_beijing_midnight, 60)
{
    /* 23:59:56 on 31 January, Beijing time */
    th_clock_at("2027-01-31", 23, 59);
    pj_test_clock_shift_s += 56;
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_logistics_demo);
    char tok[80], hdr[4096], before[16], after[16];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *d = NULL;
    CHECK_INT(th_call_raw(&s, "GET", "/api/v1/dashboard", tok, NULL, -1, NULL, &d, hdr, sizeof hdr),
              200);
    json_decref(d);
    d = NULL;
    CHECK_INT(th_call_raw(&s, "GET", "/api/v1/dashboard", tok, NULL, -1, NULL, &d, hdr, sizeof hdr),
              200);
    CHECK(strstr(hdr, "X-Cache: hit") != NULL);
    figure_period(d, "warehouse_progress", before, sizeof before);
    json_decref(d);
    CHECK_STR(before, "2027-01-31");
    /* past midnight, nothing written meanwhile */
    int64_t midnight = pj_local_day_end(pj_now());
    while (pj_now() < midnight) usleep(200 * 1000);
    d = NULL;
    CHECK_INT(th_call_raw(&s, "GET", "/api/v1/dashboard", tok, NULL, -1, NULL, &d, hdr, sizeof hdr),
              200);
    CHECK(strstr(hdr, "X-Cache: miss") != NULL);
    figure_period(d, "warehouse_progress", after, sizeof after);
    json_decref(d);
    CHECK_STR(after, "2027-02-01");
    th_stop(&s);
}
