/* A list or report over a range whose start is after its end (from after to, since after
 * until) answered an empty list, as if nothing had happened in the period, where the caller
 * had swapped the bounds. It is 400 bad_query at the start's parameter, "FROM (…) must not be
 * after TO (…)"; equal bounds keep their meaning. The command line's lists say the same and
 * exit non-zero. */
#include <stdio.h>
#include <string.h>

#include "domain/agritech.h"
#include "domain/ecommerce.h"
#include "domain/indicator.h"
#include "domain/logistics.h"
#include "eldercare/el_fixture.h"
#include "t.h"
#include "th.h"

static void reversed(th_server *s, const char *tok, const char *path, const char *field, int line)
{
    json_t *o = NULL;
    int st = th_call(s, "GET", path, tok, NULL, &o);
    if (st != 400) t_fail(__FILE__, line, "GET %s: %d, expected 400", path, st);
    if (strcmp(th_err_code(o), "bad_query") || strcmp(th_err_field(o), field) ||
        !strstr(th_err_message(o), "must not be after"))
        t_fail(__FILE__, line, "GET %s: %s at %s (%s), expected bad_query at %s", path,
               th_err_code(o), th_err_field(o), th_err_message(o), field);
    json_decref(o);
}
#define REVERSED(s, tok, path, field) reversed(s, tok, path, field, __LINE__)

static void answered(th_server *s, const char *tok, const char *path, int line)
{
    json_t *o = NULL;
    int st = th_call(s, "GET", path, tok, NULL, &o);
    if (st != 200)
        t_fail(__FILE__, line, "GET %s: %d, expected 200 (%s)", path, st,
               o ? th_err_message(o) : "-");
    json_decref(o);
}
#define ANSWERED(s, tok, path) answered(s, tok, path, __LINE__)

TEST_T(range_start_after_end_is_refused, 120)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 20);
    th_demo(&s, pj_indicators_demo);
    th_demo(&s, pj_ecommerce_demo);
    th_demo(&s, pj_agritech_demo);
    th_demo(&s, pj_logistics_demo);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);

    /* the audit trail and the service logs: since after until */
    REVERSED(&s, tok, "/api/v1/audit?since=2026-02-01&until=2026-01-01", "since");
    REVERSED(&s, tok, "/api/v1/audit?since=2026-01-01T00:00:01Z&until=2026-01-01T00:00:00Z",
             "since");
    ANSWERED(&s, tok, "/api/v1/audit?since=2026-01-01&until=2026-01-01");
    ANSWERED(&s, tok, "/api/v1/audit?since=2026-01-01&until=2026-02-01");
    REVERSED(&s, tok, "/api/v1/service-logs?since=2026-02-01&until=2026-01-01", "since");
    ANSWERED(&s, tok, "/api/v1/service-logs?since=2026-01-01&until=2026-01-01");

    /* statistics: periods, from the first month of from to the last of to */
    REVERSED(&s, tok, "/api/v1/indicators/values?from=2025&to=2024", "from");
    REVERSED(&s, tok, "/api/v1/indicators/values?from=2024H2&to=2024Q1", "from");
    REVERSED(&s, tok, "/api/v1/indicators/export?from=2024-07&to=2024-06", "from");
    ANSWERED(&s, tok, "/api/v1/indicators/values?from=2024Q3&to=2024H2");
    ANSWERED(&s, tok, "/api/v1/indicators/values?from=2024&to=2024");

    /* e-commerce: bookings (times), sessions (days), a product's sales (months), KPIs */
    REVERSED(&s, tok, "/api/v1/ecommerce/bookings?from=2025-01-02&to=2025-01-01", "from");
    ANSWERED(&s, tok, "/api/v1/ecommerce/bookings?from=2025-01-01&to=2025-01-01");
    REVERSED(&s, tok, "/api/v1/ecommerce/sessions?from=2025-01-02&to=2025-01-01", "from");
    ANSWERED(&s, tok, "/api/v1/ecommerce/sessions?from=2025-01-01&to=2025-01-01");
    char path[128];
    long long product = th_sql_int(&s, "SELECT MIN(id) FROM ec_products");
    CHECK(product > 0);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales?from=2025-02&to=2025-01",
             product);
    REVERSED(&s, tok, path, "from");
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales?from=2025-01&to=2025-01",
             product);
    ANSWERED(&s, tok, path);
    REVERSED(&s, tok, "/api/v1/ecommerce/kpi?from=2025-01-02&to=2025-01-01", "from");

    /* the records with a range: milestones by due date, transfers by date, freight by month */
    REVERSED(&s, tok, "/api/v1/agri/milestones?from=2025-01-02&to=2025-01-01", "from");
    ANSWERED(&s, tok, "/api/v1/agri/milestones?from=2025-01-01&to=2025-01-01");
    REVERSED(&s, tok, "/api/v1/agri/transfers?from=2025-01-02&to=2025-01-01", "from");
    REVERSED(&s, tok, "/api/v1/logistics/freight?from=2025-02&to=2025-01", "from");
    ANSWERED(&s, tok, "/api/v1/logistics/freight?from=2025-01&to=2025-01");
    th_stop(&s);
}

/* The command line passes the same ranges to the same lists: the message, and exit 1. */
TEST(range_start_after_end_is_refused_on_the_command_line)
{
    char out[65536] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    static const char *const cmds[][8] = {
        {"indicator", "values", "--from", "2025", "--to", "2024"},
        {"ecommerce", "sessions", "--from", "2025-01-02", "--to", "2025-01-01"},
        {"ecommerce", "sales", "1", "--from", "2025-02", "--to", "2025-01"},
        {"agri", "milestones", "list", "--from", "2025-01-02", "--to", "2025-01-01"},
        {"logistics", "freight", "list", "--from", "2025-02", "--to", "2025-01"},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        int rc = th_run_db(out, sizeof out, cmds[i], 8, db);
        if (rc == 0 || !strstr(out, "from (") || !strstr(out, "must not be after to ("))
            t_fail(__FILE__, __LINE__, "%s %s: exit %d: %s", cmds[i][0], cmds[i][1], rc, out);
    }
}
