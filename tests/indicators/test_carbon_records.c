/* Energy use records after the carbon review: a use needs a known sector, a period that has
 * ended (Beijing's today) and more than nothing, else 422 at the field and nothing written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/indicator.h"
#include "t.h"
#include "th.h"

static void load_demo(th_server *s)
{
    pj_err err;
    pj_err_clear(&err);
    th_ctx t;
    th_ctx_open(s, &t, "demo", PJ_ROLE_ADMIN);
    if (pj_indicators_demo(&t.c, 7, &err)) t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    th_ctx_close(&t);
}

static json_t *call(th_server *s, const char *m, const char *tok, const char *path,
                    const char *body, int want)
{
    json_t *o = NULL;
    int st = th_call(s, m, path, tok, body, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "%s %s %s: %d, expected %d (%s: %s)", m, path, body ? body : "",
               st, want, th_err_code(o) ? th_err_code(o) : "-", o ? th_err_message(o) : "");
    return o;
}

/* A refused request: its status, code and field, and nothing written. */
static void refused(th_server *s, const char *m, const char *tok, const char *path,
                    const char *body, int status, const char *code, const char *field)
{
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = call(s, m, tok, path, body, status);
    if (strcmp(th_err_code(o) ? th_err_code(o) : "", code) ||
        strcmp(th_err_field(o) ? th_err_field(o) : "", field))
        t_fail(__FILE__, __LINE__, "%s %s %s: %s at '%s', expected %s at '%s' (%s)", m, path,
               body ? body : "", th_err_code(o), th_err_field(o), code, field, th_err_message(o));
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) t_fail(__FILE__, __LINE__, "%s %s %s wrote something", m, path, body);
}

TEST_T(carbon_energy_refuses_unknown_sector_unended_period_and_nothing, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    static const char *const P = "/api/v1/carbon/energy";
    /* the reviewer's: a sector nobody offers, shown raw in the table and the chart */
    refused(&s, "POST", off, P,
            "{\"sector\":\"nope\",\"period\":\"2024-02\",\"energy_type\":\"coal\",\"quantity\":5}",
            422, "invalid_value", "sector");
    refused(&s, "POST", off, P,
            "{\"sector\":\"\",\"period\":\"2024-02\",\"energy_type\":\"coal\",\"quantity\":5}", 422,
            "missing_field", "sector");
    /* periods not over by Beijing's today: this month, this year, next year, 2099 */
    char today[11], body[256];
    th_day_rel(0, 0, today);
    char month[8], year[5], next[16];
    snprintf(month, sizeof month, "%.7s", today);
    snprintf(year, sizeof year, "%.4s", today);
    snprintf(next, sizeof next, "%d", atoi(year) + 1);
    const char *unended[] = {month, year, next, "2099", "2099-12"};
    for (size_t i = 0; i < sizeof unended / sizeof unended[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"sector\":\"industry\",\"period\":\"%s\",\"energy_type\":\"coal\","
                 "\"quantity\":5}",
                 unended[i]);
        refused(&s, "POST", off, P, body, 422, "period_not_ended", "period");
    }
    /* the dialog's untouched default: 0 t of coal in 2024-01 for industry — refused, so the
     * real figure for the year is not blocked by it */
    refused(&s, "POST", off, P,
            "{\"sector\":\"industry\",\"period\":\"2024-01\",\"energy_type\":\"coal\","
            "\"quantity\":0}",
            422, "out_of_range", "quantity");
    refused(&s, "POST", off, P,
            "{\"sector\":\"industry\",\"period\":\"2024-01\",\"energy_type\":\"coal\"}", 422,
            "missing_field", "quantity");
    json_decref(call(&s, "POST", off, P,
                     "{\"sector\":\"industry\",\"period\":\"2024\",\"energy_type\":\"coal\","
                     "\"quantity\":52000}",
                     201));
    /* the month before this one has ended: accepted (the demo's factors cover it) */
    int y = atoi(year), m = atoi(today + 5) - 1;
    if (m == 0) {
        m = 12;
        y--;
    }
    snprintf(body, sizeof body,
             "{\"sector\":\"agriculture\",\"period\":\"%04d-%02d\",\"energy_type\":"
             "\"electricity\",\"quantity\":1000}",
             y, m);
    json_t *o = call(&s, "POST", off, P, body, 201);
    CHECK_STR(th_str(o, "sector"), "agriculture");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM energy_use WHERE sector = 'nope' OR quantity"
                             " <= 0"),
              0);
    th_stop(&s);
}
