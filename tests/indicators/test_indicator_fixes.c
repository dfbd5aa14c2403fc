/* Regressions of the indicators' second review: a unit change under stored values is refused;
 * regions are known districts, trimmed; growth from a negative base has the sign of the change;
 * a CSV export imports back unchanged (the formula guard's apostrophe removed); "value": null
 * and values out of range said as such; every bad import row has a stable reason; the command
 * line filters values by period kind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
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
        t_fail(__FILE__, __LINE__, "%s %s: %d, expected %d (%s: %s)", m, path, st, want,
               th_err_code(o) ? th_err_code(o) : "-", o ? th_err_message(o) : "");
    return o;
}

/* A dry-run import of one CSV text; the answer. */
static json_t *dry_import(th_server *s, const char *tok, const char *csv)
{
    json_t *b = json_pack("{s:s, s:b}", "csv", csv, "dry_run", 1);
    char *txt = json_dumps(b, 0);
    json_t *o = call(s, "POST", tok, "/api/v1/indicators/import", txt, 200);
    free(txt);
    json_decref(b);
    return o;
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

TEST_T(indicator_unit_change_under_values_is_refused, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = call(&s, "GET", off, "/api/v1/indicators?q=gdp", NULL, 200);
    json_t *gdp = json_array_get(json_object_get(o, "items"), 0);
    CHECK_STR(th_str(gdp, "code"), "gdp");
    long long id = th_int(gdp, "id"), ver = th_int(gdp, "version"), nv = th_int(gdp, "values");
    CHECK(nv > 0);
    json_decref(o);
    char path[96], body[128], want[96];
    snprintf(path, sizeof path, "/api/v1/indicators/%lld", id);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body, "{\"version\":%lld,\"unit\":\"万元\"}", ver);
    o = call(&s, "PATCH", off, path, body, 409);
    CHECK_STR(th_err_code(o), "unit_in_use");
    CHECK_STR(th_err_field(o), "unit");
    snprintf(want, sizeof want, "gdp has %lld values", nv);
    CHECK(strstr(th_err_message(o), want) != NULL);
    CHECK(strstr(th_err_message(o), "in 亿元") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0); /* nothing changed */
    /* the same unit, or other fields, still change */
    snprintf(body, sizeof body, "{\"version\":%lld,\"unit\":\"亿元\",\"name\":\"GDP\"}", ver);
    json_decref(call(&s, "PATCH", off, path, body, 200));
    /* an indicator without values may change its unit */
    o = call(&s, "POST", off, "/api/v1/indicators",
             "{\"code\":\"fresh\",\"name\":\"新指标\",\"unit\":\"亿元\",\"kind\":\"level\"}", 201);
    snprintf(path, sizeof path, "/api/v1/indicators/%lld", th_int(o, "id"));
    json_decref(o);
    o = call(&s, "PATCH", off, path, "{\"version\":1,\"unit\":\"万元\"}", 200);
    CHECK_STR(th_str(o, "unit"), "万元");
    json_decref(o);
    th_stop(&s);
}

TEST_T(indicator_regions_are_known_districts_trimmed, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    static const char *const bad[] = {"火星区", "Pinggu", "平谷"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"code\":\"budget_revenue\",\"region\":\"%s\",\"period\":\"2024H1\","
                 "\"value\":50}",
                 bad[i]);
        json_t *o = call(&s, "POST", off, "/api/v1/indicators/values", body, 422);
        CHECK_STR(th_err_code(o), "unknown_region");
        CHECK_STR(th_err_field(o), "region");
        CHECK(strstr(th_err_message(o), "东城区") != NULL); /* the known ones named */
        json_decref(o);
    }
    json_t *o =
        call(&s, "POST", off, "/api/v1/indicators/targets",
             "{\"code\":\"gdp\",\"region\":\"火星区\",\"period\":\"2025\",\"value\":1}", 422);
    CHECK_STR(th_err_field(o), "region");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* spaces around a name, full-width ones too, are trimmed: the district itself */
    o = call(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"gdp\",\"region\":\" 平谷区\",\"period\":\"1930\",\"value\":1}", 201);
    CHECK_STR(th_str(o, "region"), "平谷区");
    json_decref(o);
    o = call(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"gdp\",\"region\":\"密云区\u3000\",\"period\":\"1930\",\"value\":1}", 201);
    CHECK_STR(th_str(o, "region"), "密云区");
    json_decref(o);
    /* the import: each unknown region is its row's error, a trimmed one is the district */
    o = dry_import(&s, off,
                   "code,region,period,value\n"
                   "budget_revenue,火星区,2024H1,50\n"
                   "budget_revenue,平谷区 ,2025H1,60\n"
                   "budget_revenue,Pinggu,2024H1,50\n");
    CHECK_INT(th_int(o, "bad_rows"), 2);
    json_t *e0 = json_array_get(json_object_get(o, "errors"), 0);
    CHECK_INT(th_int(e0, "line"), 2);
    CHECK_STR(th_str(e0, "column"), "region");
    CHECK_STR(th_str(e0, "reason"), "unknown_region");
    CHECK_STR(th_str(json_object_get(e0, "args"), "region"), "火星区");
    CHECK(strstr(th_str(json_object_get(e0, "args"), "known"), "延庆区") != NULL);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "errors"), 1), "line"), 4);
    CHECK_STR(th_str(json_array_get(json_object_get(o, "preview"), 0), "region"), "平谷区");
    json_decref(o);
    /* the peers are data: the setting indicator_peer_regions, when present, lists them */
    th_sql_exec(&s, "INSERT INTO settings (key, value) VALUES ('indicator_peer_regions',"
                    " '东城区、西城区、北京经济技术开发区')");
    o = call(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"gdp\",\"region\":\"北京经济技术开发区\",\"period\":\"1930\",\"value\":1}",
             201);
    json_decref(o);
    o = call(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"gdp\",\"region\":\"朝阳区\",\"period\":\"1930\",\"value\":1}", 422);
    CHECK(strstr(th_err_message(o), "北京经济技术开发区") != NULL);
    json_decref(o);
    th_sql_exec(&s, "DELETE FROM settings WHERE key = 'indicator_peer_regions'");
    /* the rank counts the 16 districts, no phantom */
    o = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=rank&code=budget_revenue&period=2024H1&by=yoy", NULL,
             200);
    CHECK_INT(th_int(o, "of"), 16);
    json_decref(o);
    th_stop(&s);
}

TEST_T(indicator_growth_from_a_negative_base, 60)
{
    /* the arithmetic: a loss of 2 becoming 0 is a rise of 100 %, a loss growing to 3 a fall */
    CHECK_NEAR(pj_ind_growth(0, -2), 100.0, 1e-12);
    CHECK_NEAR(pj_ind_growth(-3, -2), -50.0, 1e-12);
    CHECK_NEAR(pj_ind_growth(1, -2), 150.0, 1e-12);
    CHECK_NEAR(pj_ind_growth(110, 100), 10.0, 1e-9);
    CHECK(isnan(pj_ind_growth(5, 0)));
    double v[3] = {-2, 1, 3}, out;
    CHECK_INT(pj_ind_cagr_levels(v, 3, &out), -1);

    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_decref(call(&s, "POST", off, "/api/v1/indicators",
                     "{\"code\":\"net_result\",\"name\":\"净收益\",\"unit\":\"亿元\",\"kind\":"
                     "\"level\"}",
                     201));
    static const char *const vals[][2] = {
        {"2021", "0"}, {"2022", "-2"}, {"2023", "0"}, {"2024", "1"}};
    for (int i = 0; i < 4; i++) {
        char body[160];
        snprintf(body, sizeof body, "{\"code\":\"net_result\",\"period\":\"%s\",\"value\":%s}",
                 vals[i][0], vals[i][1]);
        json_decref(call(&s, "POST", off, "/api/v1/indicators/values", body, 201));
    }
    json_t *o = call(&s, "GET", off,
                     "/api/v1/indicators/derived?fn=yoy&code=net_result&period=2023", NULL, 200);
    CHECK_NEAR(num(o, "value"), 100.0, 1e-9);
    CHECK(strstr(th_str(o, "method"), "|previous|") != NULL);
    json_decref(o);
    o = call(&s, "GET", off, "/api/v1/indicators/derived?fn=yoy&code=net_result&period=2024", NULL,
             422); /* from 0: no growth figure */
    CHECK_STR(th_err_code(o), "undefined");
    json_decref(o);
    /* the average growth from a negative level: no geometric mean, said so */
    o = call(&s, "GET", off, "/api/v1/indicators/derived?fn=cagr&code=net_result&from=2022&to=2024",
             NULL, 422);
    CHECK_STR(th_err_code(o), "undefined");
    CHECK(strstr(th_err_message(o), "geometric mean") != NULL);
    json_decref(o);
    th_stop(&s);
}

TEST_T(indicator_csv_export_reimports_unchanged, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    /* texts the export guards against formulas */
    json_t *o = call(&s, "GET", off, "/api/v1/indicators/values?code=gdp&period=2023", NULL, 200);
    json_t *v = json_array_get(json_object_get(o, "items"), 0);
    char path[96], body[256];
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", th_int(v, "id"));
    snprintf(body, sizeof body, "{\"version\":%lld,\"source\":\"+cmd\",\"note\":\"-初步数\"}",
             th_int(v, "version"));
    json_decref(o);
    json_decref(call(&s, "PATCH", off, path, body, 200));
    o = call(&s, "GET", off, "/api/v1/indicators/values?code=strategic_output&period=2023", NULL,
             200);
    v = json_array_get(json_object_get(o, "items"), 0);
    char path2[96];
    snprintf(path2, sizeof path2, "/api/v1/indicators/values/%lld", th_int(v, "id"));
    snprintf(body, sizeof body, "{\"version\":%lld,\"source\":\"@局\",\"note\":\"'=1+1\"}",
             th_int(v, "version"));
    json_decref(o);
    json_decref(call(&s, "PATCH", off, path2, body, 200));

    th_ctx t;
    th_ctx_open(&s, &t, "officer", PJ_ROLE_DISTRICT_OFFICER);
    pj_err err;
    pj_err_clear(&err);
    pj_buf out;
    pj_buf_init(&out, 16 << 20);
    pj_value_filter f = {.code = NULL};
    CHECK_INT(pj_ind_export_csv(&t.c, &f, 0, &out, &err), 0);
    pj_buf_putc(&out, 0);
    th_ctx_close(&t);
    CHECK(strstr(out.data, "\"'+cmd\",\"'-初步数\"") != NULL); /* the guard is kept */
    CHECK(strstr(out.data, "\"'@局\",\"''=1+1\"") != NULL);    /* a text starting '= too */

    json_t *b = json_object();
    json_t *lines = json_array();
    for (char *p = out.data, *nl; (nl = strchr(p, '\n')); p = nl + 1)
        json_array_append_new(lines, json_stringn(p, (size_t)(nl - p)));
    json_object_set_new(b, "csv", lines);
    char *txt = json_dumps(b, 0);
    o = call(&s, "POST", off, "/api/v1/indicators/import", txt, 200);
    free(txt);
    json_decref(b);
    CHECK_INT(th_int(o, "bad_rows"), 0);
    CHECK_INT(th_int(o, "inserted"), 0);
    CHECK_INT(th_int(o, "revised"), 0);
    CHECK(th_int(o, "unchanged") > 10);
    json_decref(o);
    o = call(&s, "GET", off, path, NULL, 200);
    CHECK_STR(th_str(o, "source"), "+cmd");
    CHECK_STR(th_str(o, "note"), "-初步数");
    CHECK_INT(json_array_size(json_object_get(o, "revisions")), 1); /* the PATCH only */
    json_decref(o);
    o = call(&s, "GET", off, path2, NULL, 200);
    CHECK_STR(th_str(o, "source"), "@局");
    CHECK_STR(th_str(o, "note"), "'=1+1");
    json_decref(o);
    /* the import's audit row aside, nothing changed */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_revisions r JOIN indicator_values v"
                             " ON v.id = r.value_id WHERE v.source IN ('+cmd', '@局')"),
              2);
    pj_buf_free(&out);
    th_stop(&s);
}

TEST_T(indicator_null_value_and_out_of_range_said_as_such, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = call(&s, "GET", off, "/api/v1/indicators/values?code=gdp&period=2023", NULL, 200);
    json_t *v = json_array_get(json_object_get(o, "items"), 0);
    char path[96], body[128];
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", th_int(v, "id"));
    long long ver = th_int(v, "version");
    double before = num(v, "value");
    json_decref(o);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body, "{\"version\":%lld,\"value\":null}", ver);
    o = call(&s, "PATCH", off, path, body, 422);
    CHECK_STR(th_err_field(o), "value");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"value\":null,\"note\":\"x\"}", ver);
    json_decref(call(&s, "PATCH", off, path, body, 422));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    o = call(&s, "GET", off, path, NULL, 200);
    CHECK_NEAR(num(o, "value"), before, 1e-12);
    CHECK_INT(th_int(o, "version"), ver);
    json_decref(o);
    /* a number too large is out of range, with the range, in the API and in an import */
    o = call(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"gdp\",\"period\":\"1931\",\"value\":1000000000000000000}", 422);
    CHECK_STR(th_err_code(o), "out_of_range");
    json_decref(o);
    o = dry_import(&s, off,
                   "code,period,value,unit\n"
                   "gdp,1931,1000000000000000000,亿元\n"
                   "gdp,1932,abc,亿元\n"
                   "gdp,1933,1,万元\n"
                   "nope,1933,1,万元\n"
                   "gdp,1934,1,亿元\n"
                   "gdp,1934,2,亿元\n");
    json_t *errs = json_object_get(o, "errors");
    CHECK_INT(json_array_size(errs), 5);
    json_t *e = json_array_get(errs, 0);
    CHECK_STR(th_str(e, "reason"), "out_of_range");
    CHECK(strstr(th_str(e, "message"), "out of range") != NULL);
    CHECK(strstr(th_str(e, "message"), "1e15") != NULL);
    CHECK(strstr(th_str(e, "message"), "not a number") == NULL);
    CHECK_STR(th_str(json_object_get(e, "args"), "value"), "1000000000000000000");
    CHECK_STR(th_str(json_array_get(errs, 1), "reason"), "not_a_number");
    e = json_array_get(errs, 2);
    CHECK_STR(th_str(e, "reason"), "unit_mismatch");
    CHECK_STR(th_str(json_object_get(e, "args"), "unit"), "亿元");
    CHECK_STR(th_str(json_object_get(e, "args"), "given"), "万元");
    CHECK_STR(th_str(json_array_get(errs, 3), "reason"), "unknown_indicator");
    e = json_array_get(errs, 4);
    CHECK_STR(th_str(e, "reason"), "duplicate");
    CHECK_STR(th_str(json_object_get(e, "args"), "other_line"), "6");
    for (size_t i = 0; i < json_array_size(errs); i++)
        CHECK_STR(th_str(json_array_get(errs, i), "code"), "bad_row"); /* as before */
    json_decref(o);
    th_stop(&s);
}

TEST_T(cli_indicator_values_by_period_kind, 60)
{
    char out[1 << 20] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "demo", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "values", "--code", "gdp", "--period-kind", "half", "--db", db),
              0);
    json_t *o = json_loads(out, 0, NULL);
    json_t *items = json_object_get(o, "items");
    CHECK(json_array_size(items) > 0);
    for (size_t i = 0; i < json_array_size(items); i++)
        CHECK(strchr(th_str(json_array_get(items, i), "period"), 'H') != NULL);
    json_decref(o);
    CHECK_INT(RUN(out, "indicator", "values", "--period-kind", "decade", "--db", db), 2);
    CHECK(strstr(out, "--period-kind takes year, half, quarter, month") != NULL);
}

/* A required query parameter left out is 400 bad_query at that parameter, as on every other
 * route (enterprise KPIs without from, plan comparison without a or b): the carbon totals
 * without year, derived figures without code, of (share) or period. */
TEST_T(indicator_missing_query_parameter_is_bad_query, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    static const char *const cases[][2] = {
        {"/api/v1/carbon/emissions", "year"},
        {"/api/v1/carbon/emissions?by=sector", "year"},
        {"/api/v1/carbon/intensity", "year"},
        {"/api/v1/indicators/derived?fn=yoy&period=2024", "code"},
        {"/api/v1/indicators/derived?fn=share&code=gdp&period=2024", "of"},
        {"/api/v1/indicators/derived?fn=yoy&code=gdp", "period"},
        {"/api/v1/enterprise/kpis", "from"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o = call(&s, "GET", off, cases[i][0], NULL, 400);
        CHECK_STR(th_err_code(o), "bad_query");
        CHECK_STR(th_err_field(o), cases[i][1]);
        CHECK(strstr(th_err_message(o), cases[i][1]) != NULL);
        json_decref(o);
    }
    th_stop(&s);
}

/* Regression: the definitions' q was a LIKE pattern, so q=_ listed every indicator and
 * q=agri_output also found a code with any character in place of the _; q finds its text as
 * typed (% _ and \ match themselves), as every q of the API does. */
TEST_T(indicator_search_text_is_literal, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_decref(call(&s, "POST", off, "/api/v1/indicators",
                     "{\"code\":\"agrixoutput\",\"name\":\"相似代码\",\"unit\":\"亿元\","
                     "\"kind\":\"level\"}",
                     201));
    json_decref(call(&s, "POST", off, "/api/v1/indicators",
                     "{\"code\":\"pct_test\",\"name\":\"增长100%以上\",\"unit\":\"%\","
                     "\"kind\":\"share\"}",
                     201));
    long long all = th_sql_int(&s, "SELECT COUNT(*) FROM indicators");
    CHECK(all > 3);
    json_t *o = call(&s, "GET", off, "/api/v1/indicators?q=_&limit=200", NULL, 200);
    json_t *items = json_object_get(o, "items");
    /* only the codes holding a _ */
    CHECK_INT((long long)json_array_size(items),
              th_sql_int(&s, "SELECT COUNT(*) FROM indicators WHERE instr(code, '_') > 0 OR"
                             " instr(name, '_') > 0"));
    CHECK((long long)json_array_size(items) < all);
    json_decref(o);
    o = call(&s, "GET", off, "/api/v1/indicators?q=agri_output", NULL, 200);
    items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), 1);
    CHECK_STR(th_str(json_array_get(items, 0), "code"), "agri_output");
    json_decref(o);
    o = call(&s, "GET", off, "/api/v1/indicators?q=100%25", NULL, 200);
    items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), 1);
    CHECK_STR(th_str(json_array_get(items, 0), "code"), "pct_test");
    json_decref(o);
    th_stop(&s);
}

/* A value is for a period under way or past: one for a period to come (2030 typed for 2023) is
 * refused in the API and in an import, and would otherwise have become the dashboard's latest
 * figure; a figure planned for it is a target. The period under way is taken. */
TEST_T(indicator_value_for_a_period_to_come_is_refused, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    char today[11], month[8], next_month[32], next_year[16], body[200];
    pj_local_date(pj_now(), today);
    snprintf(month, sizeof month, "%.7s", today);
    int y = atoi(today), m = atoi(today + 5);
    snprintf(next_month, sizeof next_month, "%04d-%02d", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    snprintf(next_year, sizeof next_year, "%04d", y + 1);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    const char *const future[] = {next_month, next_year, "2999"};
    for (size_t k = 0; k < 3; k++) {
        snprintf(body, sizeof body, "{\"code\":\"gdp\",\"period\":\"%s\",\"value\":500}",
                 future[k]);
        json_t *o = call(&s, "POST", off, "/api/v1/indicators/values", body, 422);
        CHECK_STR(th_err_code(o), "period_not_begun");
        CHECK_STR(th_err_field(o), "period");
        CHECK(strstr(th_err_message(o), "target") != NULL);
        json_decref(o);
    }
    char csv[200];
    snprintf(csv, sizeof csv, "code,period,value\ngdp,2019,380\ngdp,%s,500\n", next_year);
    json_t *b = json_pack("{s:s, s:b}", "csv", csv, "dry_run", 0);
    char *txt = json_dumps(b, 0);
    json_t *o = call(&s, "POST", off, "/api/v1/indicators/import", txt, 422);
    free(txt);
    json_decref(b);
    CHECK_STR(th_err_code(o), "bad_row");
    CHECK_STR(th_err_field(o), "period");
    CHECK(strstr(th_err_message(o), "line 3, column period") != NULL);
    json_decref(o);
    o = dry_import(&s, off, csv);
    json_t *e = json_array_get(json_object_get(o, "errors"), 0);
    CHECK_STR(th_str(e, "reason"), "period_not_begun");
    CHECK_STR(th_str(e, "column"), "period");
    CHECK_STR(th_str(json_object_get(e, "args"), "period"), next_year);
    CHECK_INT(json_array_size(json_object_get(o, "errors")), 1);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the month under way, and a target for the year to come */
    snprintf(body, sizeof body, "{\"code\":\"gdp\",\"period\":\"%s\",\"value\":500}", month);
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values", body, 201));
    snprintf(body, sizeof body, "{\"code\":\"gdp\",\"period\":\"%s\",\"value\":500}", next_year);
    json_decref(call(&s, "POST", off, "/api/v1/indicators/targets", body, 201));
    th_stop(&s);
}

/* A share (%) is between 0 and 100 as a value, as it is as a target: in POST, PATCH and an
 * import row (reason out_of_range at value), nothing written; 0 and 100 themselves are values.
 * A level below 0 stays a value (a net loss), a rate too. */
TEST_T(indicator_share_value_above_100_is_out_of_range, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    static const char *const bad[] = {"150", "100.5", "-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[160];
        snprintf(body, sizeof body,
                 "{\"code\":\"land_transfer_rate\",\"period\":\"2019\",\"value\":%s}", bad[i]);
        json_t *o = call(&s, "POST", off, "/api/v1/indicators/values", body, 422);
        CHECK_STR(th_err_code(o), "out_of_range");
        CHECK_STR(th_err_field(o), "value");
        json_decref(o);
    }
    /* the target's rule is the same */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"land_transfer_rate\",\"period\":\"2035\",\"value\":150}", 422));
    /* an import row */
    json_t *o = dry_import(&s, off,
                           "code,period,value\n"
                           "land_transfer_rate,2018,150\n"
                           "land_transfer_rate,2017,100\n");
    CHECK_INT(th_int(o, "bad_rows"), 1);
    json_t *e = json_array_get(json_object_get(o, "errors"), 0);
    CHECK_INT(th_int(e, "line"), 2);
    CHECK_STR(th_str(e, "column"), "value");
    CHECK_STR(th_str(e, "reason"), "out_of_range");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the bounds are values; a PATCH past them is refused and changes nothing */
    o = call(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"land_transfer_rate\",\"period\":\"2019\",\"value\":100}", 201);
    char path[96], body[96];
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", th_int(o, "id"));
    long long ver = th_int(o, "version");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"value\":101}", ver);
    o = call(&s, "PATCH", off, path, body, 422);
    CHECK_STR(th_err_code(o), "out_of_range");
    CHECK_STR(th_err_field(o), "value");
    json_decref(o);
    o = call(&s, "GET", off, path, NULL, 200);
    CHECK_NEAR(num(o, "value"), 100, 1e-12);
    CHECK_INT(th_int(o, "version"), ver);
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"value\":0}", ver);
    json_decref(call(&s, "PATCH", off, path, body, 200));
    /* the demo's shares are all within 0-100 */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values v JOIN indicators i ON i.id ="
                             " v.indicator_id WHERE i.kind = 'share' AND (v.value < 0 OR"
                             " v.value > 100)"),
              0);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values v JOIN indicators i ON i.id ="
                         " v.indicator_id WHERE i.kind = 'share'") > 1);
    th_stop(&s);
}

/* Reads take region and target as writes take them: region trimmed to the known district
 * (an unknown one is 422 unknown_region, not an empty answer), in the value list and every
 * derived figure; target parsed as a period (2035h1 is 2035H1; "abc" is 400 bad_query at
 * target, not 404 missing_target). */
TEST_T(indicator_reads_normalise_region_and_target, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    /* the district (平谷区) as typed and with a space in front (%20) answer the same; 火星区 is
     * none */
    json_t *a =
        call(&s, "GET", off,
             "/api/v1/indicators/values?code=gdp&region=%E5%B9%B3%E8%B0%B7%E5%8C%BA", NULL, 200);
    json_t *b =
        call(&s, "GET", off,
             "/api/v1/indicators/values?code=gdp&region=%20%E5%B9%B3%E8%B0%B7%E5%8C%BA", NULL, 200);
    size_t n = json_array_size(json_object_get(a, "items"));
    CHECK(n > 0);
    CHECK_INT(json_array_size(json_object_get(b, "items")), n);
    json_decref(a);
    json_decref(b);
    a = call(&s, "GET", off,
             "/api/v1/indicators/values?code=gdp&region=%E7%81%AB%E6%98%9F%E5%8C%BA", NULL, 422);
    CHECK_STR(th_err_code(a), "unknown_region");
    CHECK_STR(th_err_field(a), "region");
    json_decref(a);
    /* a derived figure */
    a = call(&s, "GET", off,
             "/api/v1/indicators/"
             "derived?fn=yoy&code=gdp&period=2024H1&region=%20%E5%B9%B3%E8%B0%B7%E5%8C%BA",
             NULL, 200);
    CHECK_STR(th_str(a, "region"), "平谷区");
    json_decref(a);
    a = call(&s, "GET", off,
             "/api/v1/indicators/"
             "derived?fn=yoy&code=gdp&period=2024H1&region=%E7%81%AB%E6%98%9F%E5%8C%BA",
             NULL, 422);
    CHECK_STR(th_err_code(a), "unknown_region");
    json_decref(a);
    /* progress against a target named by its period, in any case the parser reads (a
     * half-year's GDP against a half-year's target) */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"gdp\",\"period\":\"2035H1\",\"value\":900}", 201));
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=gdp&period=2024H1&target=2035H1", NULL,
             200);
    double want = json_number_value(json_object_get(json_object_get(a, "target"), "value"));
    CHECK_NEAR(want, 900, 1e-9);
    json_decref(a);
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=gdp&period=2024H1&target=2035h1", NULL,
             200);
    CHECK_NEAR(json_number_value(json_object_get(json_object_get(a, "target"), "value")), 900,
               1e-9);
    json_decref(a);
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=gdp&period=2023&target=abc", NULL, 400);
    CHECK_STR(th_err_code(a), "bad_query");
    CHECK_STR(th_err_field(a), "target");
    json_decref(a);
    /* a well-formed period without a target is still 404 missing_target, naming the period
     * asked for (gdp has a target, for 2035H1) */
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=gdp&period=2023&target=2036", NULL, 404);
    CHECK_STR(th_err_code(a), "missing_target");
    CHECK_STR(th_err_message(a), "gdp has no target for 平谷区 for the period 2036");
    json_decref(a);
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=gdp&period=2023&target=2035h2", NULL,
             404);
    CHECK_STR(th_err_message(a), "gdp has no target for 平谷区 for the period 2035H2");
    json_decref(a);
    th_stop(&s);
}

/* Progress to a cap (higher_is_better false: energy consumption) is target / current, so that
 * a cap exceeded reads below 100 % and not as over-achieved; `achieved` and `remaining` (what is
 * still to cut) say the same; a higher-is-better indicator's progress is current / target. */
TEST_T(indicator_progress_to_a_cap_is_not_over_achievement, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_decref(call(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"energy_consumption\",\"period\":\"2030\",\"value\":110}", 201));
    json_decref(call(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"energy_consumption\",\"period\":\"2035\",\"value\":130}", 201));
    /* 2023: 122 万吨标准煤 against a cap of 110: 12 above it */
    json_t *a = call(&s, "GET", off,
                     "/api/v1/indicators/derived?fn=progress&code=energy_consumption&period=2023"
                     "&target=2030",
                     NULL, 200);
    CHECK_NEAR(num(a, "current"), 122, 1e-9);
    CHECK_NEAR(num(a, "value"), 110.0 / 122.0 * 100.0, 1e-6);
    CHECK_NEAR(num(a, "rounded"), 90.16, 1e-9);
    CHECK_NEAR(num(a, "remaining"), 12, 1e-9);
    CHECK(json_is_false(json_object_get(a, "achieved")));
    CHECK(json_is_false(json_object_get(a, "higher_is_better")));
    json_decref(a);
    /* under a cap of 130: achieved, 8 of headroom */
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=energy_consumption&period=2023"
             "&target=2035",
             NULL, 200);
    CHECK_NEAR(num(a, "rounded"), 106.56, 1e-9);
    CHECK_NEAR(num(a, "remaining"), -8, 1e-9);
    CHECK(json_is_true(json_object_get(a, "achieved")));
    json_decref(a);
    /* higher is better: current / target, remaining to gain */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"gdp\",\"period\":\"2030\",\"value\":800}", 201));
    a = call(&s, "GET", off, "/api/v1/indicators/derived?fn=progress&code=gdp&period=2023", NULL,
             200);
    CHECK_NEAR(num(a, "value"), num(a, "current") / 800 * 100.0, 1e-6);
    CHECK_NEAR(num(a, "remaining"), 800 - num(a, "current"), 1e-6);
    CHECK(json_is_false(json_object_get(a, "achieved")));
    CHECK(json_is_true(json_object_get(a, "higher_is_better")));
    json_decref(a);
    /* a cap against a current value of 0: no ratio */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"energy_consumption\",\"period\":\"2024\",\"value\":0}", 201));
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=energy_consumption&period=2024", NULL,
             422);
    CHECK_STR(th_err_code(a), "undefined");
    CHECK_STR(th_err_field(a), "period");
    json_decref(a);
    th_stop(&s);
}

/* Progress compares like with like: a level of one month (100 万吨 of freight in October)
 * against a target of a year (4000 万吨 a year in 2035) is refused, 422 wrong_period at period
 * naming both, rather than read as 2.5 % done; a year's value against it is answered, with the
 * kind of both periods. A share is a percentage whatever its period: a month's share against a
 * year's target is answered. */
TEST_T(indicator_progress_compares_periods_of_one_length, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"freight_volume\",\"period\":\"2025-10\",\"value\":100}", 201));
    json_t *a = call(&s, "GET", off,
                     "/api/v1/indicators/derived?fn=progress&code=freight_volume&period=2025-10",
                     NULL, 422);
    CHECK_STR(th_err_code(a), "wrong_period");
    CHECK_STR(th_err_field(a), "period");
    CHECK_STR(th_err_message(a),
              "freight_volume is a level: the value of 2025-10 (a month) cannot be compared with "
              "the target for 2035 (a year); give a period of a year");
    json_decref(a);
    /* a quarter likewise, against the target named */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"freight_volume\",\"period\":\"2025Q3\",\"value\":300}", 201));
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=freight_volume&period=2025Q3&target=2035",
             NULL, 422);
    CHECK_STR(th_err_code(a), "wrong_period");
    json_decref(a);
    /* the year's statistic: answered, both periods' kinds said */
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=freight_volume&period=2023", NULL, 200);
    CHECK_STR(th_str(a, "period_kind"), "year");
    CHECK_STR(th_str(json_object_get(a, "target"), "period_kind"), "year");
    CHECK_NEAR(json_number_value(json_object_get(a, "value")), 31.25, 1e-9);
    json_decref(a);
    /* a share of a month against a yearly target */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"land_transfer_rate\",\"period\":\"2030\",\"value\":80}", 201));
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"land_transfer_rate\",\"period\":\"2025-10\",\"value\":76}", 201));
    a = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=land_transfer_rate&period=2025-10", NULL,
             200);
    CHECK_STR(th_str(a, "period_kind"), "month");
    CHECK_NEAR(json_number_value(json_object_get(a, "value")), 95, 1e-9);
    json_decref(a);
    th_stop(&s);
}

/* Regression: a parameter the function does not take was ignored: `fn=yoy&method=rates` (or
 * `indicator derive yoy --method bogus`) answered the year-on-year growth as if the method had
 * been taken. It is 400 bad_query at that parameter, naming what the function takes; what each
 * takes still works. */
TEST_T(indicator_derive_refuses_parameters_its_function_does_not_take, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    static const struct {
        const char *query, *field;
    } bad[] = {
        {"fn=yoy&code=gdp&period=2024&method=rates", "method"},
        {"fn=prev&code=gdp&period=2024&target=5", "target"},
        {"fn=cagr&code=gdp&from=2020&to=2023&period=2023", "period"},
        {"fn=share&code=gdp&of=gdp&period=2024&by=yoy", "by"},
        {"fn=points&code=gdp&period=2024&base=2020&of=gdp", "of"},
        {"fn=progress&code=gdp&period=2024&from=2020", "from"},
        {"fn=rank&code=gdp&period=2024&base=2020", "base"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[200];
        snprintf(path, sizeof path, "/api/v1/indicators/derived?%s", bad[i].query);
        json_t *o = call(&s, "GET", off, path, NULL, 400);
        CHECK_STR(th_err_code(o), "bad_query");
        CHECK_STR(th_err_field(o), bad[i].field);
        CHECK(strstr(th_err_message(o), "does not apply to fn=") != NULL);
        json_decref(o);
    }
    /* what a function takes is taken */
    json_decref(call(&s, "GET", off,
                     "/api/v1/indicators/derived?fn=cagr&code=gdp&from=2020&to=2023&method=levels",
                     NULL, 200));
    th_stop(&s);
}
