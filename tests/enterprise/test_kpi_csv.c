/* The appeal KPIs' CSV has the JSON's columns (the counts behind the rates too) plus
 * `returned`, with the same values. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

/* The n-th comma-separated field of line (no quoting in these rows) into out. */
static void field(const char *line, int n, char *out, size_t size)
{
    const char *p = line;
    for (int k = 0; k < n && p; k++) {
        p = strchr(p, ',');
        if (p) p++;
    }
    size_t len = p ? strcspn(p, ",\r\n") : 0;
    if (len >= size) len = size - 1;
    memcpy(out, p ? p : "", len);
    out[len] = 0;
}

/* Regression: the CSV lacked closed, resolved, rated, satisfied and basically_satisfied,
 * although the docs promise the JSON's columns plus returned. */
TEST(enterprise_kpi_csv_has_the_json_columns)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    th_ctx t;
    th_ctx_open(&s, &t, "officer", PJ_ROLE_DISTRICT_OFFICER);
    int64_t from, to;
    CHECK_INT(pj_time_parse("2024-01-01T00:00:00Z", &from), 0);
    to = pj_now();
    pj_err err;
    pj_buf b, c;
    pj_buf_init(&b, 16 << 20);
    pj_buf_init(&c, 16 << 20);
    pj_jw w;
    pj_jw_init(&w, &b);
    CHECK_INT(pj_ent_kpis(&t.c, from, to, &w, NULL, &err), 0);
    CHECK_INT(pj_ent_kpis(&t.c, from, to, NULL, &c, &err), 0);
    pj_buf_putc(&b, 0);
    pj_buf_putc(&c, 0);
    json_t *o = json_loads(b.data, 0, NULL);
    CHECK(o != NULL);
    json_t *d = json_object_get(o, "district");
    const char *header = c.data;
    const char *total = c.data;
    for (const char *p = c.data; (p = strchr(p, '\n')) && p[1]; p++) total = p + 1;
    static const char *const want[] = {"department_id",
                                       "department",
                                       "appeals",
                                       "response_rate",
                                       "resolution_rate",
                                       "satisfaction_rate",
                                       "on_time_rate",
                                       "composite",
                                       "median_hours_to_close",
                                       "closed",
                                       "resolved",
                                       "rated",
                                       "satisfied",
                                       "basically_satisfied",
                                       "open_overdue",
                                       "returned"};
    char got[64];
    for (int k = 0; k < (int)(sizeof want / sizeof want[0]); k++) {
        field(header, k, got, sizeof got);
        CHECK_STR(got, want[k]);
    }
    /* the total row's counts are the district's */
    for (int k = 9; k < (int)(sizeof want / sizeof want[0]); k++) {
        field(total, k, got, sizeof got);
        char v[32];
        snprintf(v, sizeof v, "%lld", (long long)json_integer_value(json_object_get(d, want[k])));
        CHECK_STR(got, v);
    }
    CHECK(json_integer_value(json_object_get(d, "rated")) > 0);
    json_decref(o);
    pj_buf_free(&b);
    pj_buf_free(&c);
    th_ctx_close(&t);
    th_stop(&s);
}
