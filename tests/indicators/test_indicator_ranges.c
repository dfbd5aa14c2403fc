/* Regression: a from/to range of indicator values holds the values whose whole period lies
 * inside it (from the first month of `from` to the last month of `to`), in the list and in the
 * export alike, not every value of the years named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/indicator.h"
#include "logistics/rec_fixture.h"

/* Months since year 0 of the first and last month of a period text. */
static void span(const char *per, int *first, int *last)
{
    pj_period p;
    if (pj_period_parse(per, strlen(per), &p)) t_fail(__FILE__, __LINE__, "bad period %s", per);
    *first = p.year * 12 + pj_period_first_month(&p) - 1;
    *last = *first + pj_period_months(&p) - 1;
}

static const char *const periods[] = {
    "2024",    "2024H2",  "2024Q4",  "2024-12", "2025",    "2025H1",  "2025H2",
    "2025Q1",  "2025Q2",  "2025Q3",  "2025Q4",  "2025-01", "2025-02", "2025-03",
    "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10",
    "2025-11", "2025-12", "2026",    "2026Q1",  "2026-01", NULL};

/* 1 when the list answer holds the value of period per. */
static int holds(json_t *o, const char *per)
{
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(th_str(json_array_get(items, i), "period"), per)) return 1;
    return 0;
}

TEST_T(indicator_value_range_holds_whole_periods, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_decref(CALL(&s, "POST", off, "/api/v1/indicators",
                     "{\"code\":\"range_t\",\"name\":\"区间测试\",\"unit\":\"亿元\","
                     "\"kind\":\"level\"}",
                     201));
    char body[256];
    for (int i = 0; periods[i]; i++) {
        snprintf(body, sizeof body, "{\"code\":\"range_t\",\"period\":\"%s\",\"value\":%d}",
                 periods[i], i + 1);
        json_decref(CALL(&s, "POST", off, "/api/v1/indicators/values", body, 201));
    }
    /* from, to (NULL: none) */
    static const char *const ranges[][2] = {
        {"2025-06", NULL}, {NULL, "2025Q1"},    {"2025H2", "2025H2"},  {"2025Q2", "2025-09"},
        {"2025", "2025"},  {"2024-12", "2025"}, {"2025-02", "2025Q1"}, {"2024Q4", "2026-01"}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        const char *from = ranges[r][0], *to = ranges[r][1];
        char path[200];
        snprintf(path, sizeof path, "/api/v1/indicators/values?code=range_t&limit=500%s%s%s%s",
                 from ? "&from=" : "", from ? from : "", to ? "&to=" : "", to ? to : "");
        int lo = 0, hi = 1 << 30, x;
        if (from) span(from, &lo, &x);
        if (to) span(to, &x, &hi);
        json_t *o = CALL(&s, "GET", off, path, NULL, 200);
        size_t want = 0;
        for (int i = 0; periods[i]; i++) {
            int first, last;
            span(periods[i], &first, &last);
            int in = first >= lo && last <= hi;
            want += (size_t)in;
            if (holds(o, periods[i]) != in)
                t_fail(__FILE__, __LINE__, "%s: %s %s", path, periods[i],
                       in ? "left out" : "listed");
        }
        CHECK_INT((long long)json_array_size(json_object_get(o, "items")), (long long)want);
        json_decref(o);

        /* the export takes the same range */
        pj_value_filter f = {.code = "range_t", .from = from, .to = to, .limit = 500};
        th_ctx t;
        th_ctx_open(&s, &t, "officer", PJ_ROLE_DISTRICT_OFFICER);
        pj_buf csv;
        pj_buf_init(&csv, 4096);
        pj_err err;
        pj_err_clear(&err);
        CHECK_INT(pj_ind_export_csv(&t.c, &f, 0, &csv, &err), 0);
        pj_buf_putc(&csv, 0);
        size_t rows = 0;
        for (const char *p = csv.data; (p = strstr(p, "range_t")); p++) rows++;
        CHECK_INT((long long)rows, (long long)want);
        pj_buf_free(&csv);
        th_ctx_close(&t);
    }
    /* a from that begins after to ends selects nothing: 400 at from, not an empty list */
    json_t *rev = CALL(&s, "GET", off,
                       "/api/v1/indicators/values?code=range_t&from=2025-07&to=2025-06", NULL, 400);
    CHECK_STR(th_err_field(rev), "from");
    json_decref(rev);
    /* the spot checks a reader would make */
    json_t *o =
        CALL(&s, "GET", off, "/api/v1/indicators/values?code=range_t&from=2025-06", NULL, 200);
    CHECK(holds(o, "2025-06") && holds(o, "2025Q3") && holds(o, "2025H2") && holds(o, "2026"));
    CHECK(!holds(o, "2025-05") && !holds(o, "2025Q2") && !holds(o, "2025"));
    json_decref(o);
    o = CALL(&s, "GET", off, "/api/v1/indicators/values?code=range_t&to=2025Q1", NULL, 200);
    CHECK(holds(o, "2025Q1") && holds(o, "2025-03") && holds(o, "2024"));
    CHECK(!holds(o, "2025-04") && !holds(o, "2025H1") && !holds(o, "2025"));
    json_decref(o);
    /* a bad bound is 400 at its field */
    o = CALL(&s, "GET", off, "/api/v1/indicators/values?from=2025-13", NULL, 400);
    CHECK_STR(th_err_field(o), "from");
    json_decref(o);
    o = CALL(&s, "GET", off, "/api/v1/indicators/values?to=2025Q5", NULL, 400);
    CHECK_STR(th_err_field(o), "to");
    json_decref(o);
    th_stop(&s);
}
