/* Indicators and carbon over the API: the seed's figures computed on the dashboard, value
 * revisions, import preview (writes nothing) and all-or-nothing commit, roles, bad input,
 * carbon with a factor change mid-year. */
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
    CHECK_INT(pj_indicators_demo(&t.c, 7, &err), 0); /* idempotent */
    th_ctx_close(&t);
}

static json_t *get(th_server *s, const char *tok, const char *path, int want)
{
    json_t *o = NULL;
    int st = th_call(s, "GET", path, tok, NULL, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "GET %s: %d, expected %d (%s)", path, st, want,
               th_err_code(o) ? th_err_code(o) : "-");
    return o;
}

static json_t *send(th_server *s, const char *m, const char *tok, const char *path,
                    const char *body, int want)
{
    json_t *o = NULL;
    int st = th_call(s, m, path, tok, body, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "%s %s: %d, expected %d (%s: %s)", m, path, st, want,
               th_err_code(o) ? th_err_code(o) : "-",
               o ? json_string_value(json_object_get(json_object_get(o, "error"), "message")) : "");
    return o;
}

static json_t *figure(json_t *dash, const char *key)
{
    json_t *f = json_object_get(dash, "figures");
    for (size_t i = 0; i < json_array_size(f); i++)
        if (!strcmp(th_str(json_array_get(f, i), "key"), key))
            return json_object_get(json_array_get(f, i), "figure");
    t_fail(__FILE__, __LINE__, "no figure %s", key);
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

TEST_T(indicator_dashboard_holds_the_seed, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *d = get(&s, tok, "/api/v1/dashboard", 200);
    CHECK_NEAR(num(figure(d, "gdp_avg_growth_3y"), "rounded"), 9.1, 1e-9);
    CHECK_NEAR(num(figure(d, "gdp_avg_growth_3y_levels"), "rounded"), 9.1, 1e-9);
    CHECK_NEAR(num(figure(d, "gdp_h1_growth"), "rounded"), 6.2, 1e-9);
    json_t *rev = figure(d, "revenue_h1");
    CHECK_NEAR(num(rev, "current"), 54.8, 1e-9);
    CHECK_NEAR(num(rev, "rounded"), 10.2, 1e-9);
    CHECK_INT(json_array_size(json_object_get(rev, "sources")), 2);
    CHECK_STR(th_str(json_array_get(json_object_get(rev, "sources"), 0), "source"), "seed");
    CHECK(th_int(json_array_get(json_object_get(rev, "sources"), 0), "value_id") > 0);
    CHECK_INT(th_int(figure(d, "revenue_h1_rank"), "rank"), 2);
    CHECK_INT(th_int(figure(d, "revenue_h1_rank"), "of"), 16);
    /* 大兴区 and 通州区 both grew 3.5 % (381.6045 on 368.7, 316.71 on 306): one shared rank,
     * though the two growth rates differ in their last bits */
    {
        static const char *const set[] = {
            "UPDATE indicator_values SET value = 381.6045 WHERE region = '大兴区' AND period ="
            " '2024H1' AND indicator_id = (SELECT id FROM indicators WHERE code = "
            "'budget_revenue')",
            "UPDATE indicator_values SET value = 368.7 WHERE region = '大兴区' AND period ="
            " '2023H1' AND indicator_id = (SELECT id FROM indicators WHERE code = "
            "'budget_revenue')",
            "UPDATE indicator_values SET value = 316.71 WHERE region = '通州区' AND period ="
            " '2024H1' AND indicator_id = (SELECT id FROM indicators WHERE code = "
            "'budget_revenue')",
            "UPDATE indicator_values SET value = 306 WHERE region = '通州区' AND period ="
            " '2023H1' AND indicator_id = (SELECT id FROM indicators WHERE code = "
            "'budget_revenue')"};
        for (int i = 0; i < 4; i++) th_sql_exec(&s, set[i]);
        CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values WHERE region IN"
                                 " ('大兴区', '通州区') AND value IN (381.6045, 368.7, 316.71,"
                                 " 306)"),
                  4);
        json_decref(d);
        d = get(&s, tok, "/api/v1/dashboard", 200);
        json_t *rk = json_object_get(figure(d, "revenue_h1_rank"), "ranking");
        long long dx = 0, tz = 0;
        for (size_t i = 0; i < json_array_size(rk); i++) {
            json_t *e = json_array_get(rk, i);
            if (!strcmp(th_str(e, "region"), "大兴区")) dx = th_int(e, "rank");
            if (!strcmp(th_str(e, "region"), "通州区")) tz = th_int(e, "rank");
        }
        CHECK(dx > 0);
        CHECK_INT(tz, dx);
    }
    json_t *ag = figure(d, "agri_output");
    CHECK_NEAR(num(ag, "current"), 39.4, 1e-9);
    CHECK_NEAR(num(ag, "rounded"), 13.6, 1e-9);
    CHECK_INT(th_int(figure(d, "agri_output_rank"), "rank"), 1);
    json_t *ht = figure(d, "high_tech_share");
    CHECK_NEAR(num(ht, "rounded"), 48.0, 1e-9);
    CHECK_NEAR(num(ht, "points"), 23.5, 1e-9);
    json_t *se = figure(d, "strategic_emerging_share");
    CHECK_NEAR(num(se, "rounded"), 51.3, 1e-9);
    CHECK_NEAR(num(se, "points"), 23.3, 1e-9);
    json_t *fr = figure(d, "freight_progress");
    CHECK_NEAR(num(json_object_get(fr, "target"), "value"), 4000, 1e-9);
    json_t *wh = figure(d, "warehouse_progress");
    CHECK_NEAR(num(wh, "current"), 2870000, 1e-6);
    CHECK_NEAR(num(json_object_get(wh, "target"), "value"), 5600000, 1e-6);
    CHECK_NEAR(num(wh, "rounded"), 51.25, 1e-9);
    CHECK_NEAR(num(figure(d, "land_transfer_points"), "rounded"), 13.59, 1e-9);
    CHECK_NEAR(num(figure(d, "ecommerce_enterprises"), "value"), 284, 1e-9);
    CHECK_NEAR(num(figure(d, "streamers"), "value"), 140, 1e-9);
    CHECK_NEAR(num(figure(d, "doctor_farms"), "value"), 117, 1e-9);
    CHECK_NEAR(num(figure(d, "enterprise_problems_solved"), "value"), 290, 1e-9);
    CHECK(num(figure(d, "energy_intensity_decline"), "decline_rate") > 0);
    json_decref(d);
    /* the same figure on its own, from rates and from levels */
    d = get(&s, tok, "/api/v1/indicators/derived?fn=cagr&code=gdp&from=2020&to=2023", 200);
    CHECK_NEAR(num(d, "value"), 9.09503, 1e-4);
    CHECK_INT(json_array_size(json_object_get(d, "sources")), 4);
    json_decref(d);
    /* a range's start after its end is refused at the start, as every range's */
    d = get(&s, tok, "/api/v1/indicators/derived?fn=cagr&code=gdp&from=2023&to=2020", 400);
    CHECK_STR(th_err_field(d), "from");
    json_decref(d);
    d = get(&s, tok, "/api/v1/indicators/derived?fn=yoy&code=budget_revenue&period=2024H1", 200);
    CHECK_STR(th_str(d, "base_period"), "2023H1");
    json_decref(d);
    d = get(&s, tok, "/api/v1/indicators/derived?fn=rank&code=nope&period=2024", 404);
    json_decref(d);
    d = get(&s, tok, "/api/v1/indicators/derived?fn=yoy&code=gdp&period=2024H3", 400);
    CHECK_STR(th_err_field(d), "period");
    json_decref(d);
    th_stop(&s);
}

TEST_T(indicator_values_revisions_roles_and_bad_input, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char adm[80], off[80], view[80], ent[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "jd", s.demo_pw, ent);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    /* roles: readers may not write */
    const char *vb =
        "{\"code\":\"gdp\",\"period\":\"2024-06\",\"value\":44.5,\"source\":\"统计局\"}";
    json_decref(send(&s, "POST", view, "/api/v1/indicators/values", vb, 403));
    json_decref(send(&s, "POST", ent, "/api/v1/indicators/values", vb, 403));
    json_decref(send(&s, "POST", ent, "/api/v1/indicators/import",
                     "{\"csv\":\"code,period,value\\ngdp,2019,1\\n\"}", 403));
    /* bad input: 4xx naming the field, nothing written */
    static const struct {
        const char *body, *field;
        int status;
    } bad[] = {
        {"{\"code\":\"gdp\",\"period\":\"2024-13\",\"value\":1}", "period", 422},
        {"{\"code\":\"gdp\",\"period\":\"2024\",\"value\":\"x\"}", "value", 422},
        {"{\"code\":\"nope\",\"period\":\"2024\",\"value\":1}", "code", 422},
        {"{\"code\":\"gdp\",\"period\":\"2024\",\"value\":1,\"unit\":\"万元\"}", "unit", 422},
        {"{\"code\":\"gdp\",\"period\":\"2024\",\"value\":1,\"x\":1}", "x", 422},
        {"{\"code\":\"gdp\",\"period\":\"2023\",\"value\":1}", "period", 409},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = send(&s, "POST", off, "/api/v1/indicators/values", bad[i].body, bad[i].status);
        CHECK_STR(th_err_field(o), bad[i].field);
        json_decref(o);
    }
    json_decref(send(&s, "POST", off, "/api/v1/indicators",
                     "{\"code\":\"Bad Code\",\"name\":\"x\",\"unit\":\"%\",\"kind\":\"level\"}",
                     422));
    json_decref(send(&s, "POST", off, "/api/v1/carbon/factors",
                     "{\"energy_type\":\"electricity\",\"unit\":\"MWh\",\"kg_co2e_per_unit\":1,"
                     "\"kgce_per_unit\":1,\"effective_from\":\"2025-01-01\"}",
                     422));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* a value, then a revision that keeps the old one with who and when */
    json_t *v = send(&s, "POST", off, "/api/v1/indicators/values", vb, 201);
    long long id = th_int(v, "id");
    CHECK_STR(th_str(v, "period"), "2024-06");
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", id);
    json_decref(send(&s, "PATCH", off, path, "{\"version\":1,\"value\":45.0}", 200));
    json_t *st = send(&s, "PATCH", adm, path, "{\"version\":1,\"value\":46.0}", 409);
    CHECK_STR(th_err_code(st), "version_conflict");
    json_decref(st);
    v = get(&s, view, path, 200);
    CHECK_NEAR(num(v, "value"), 45.0, 1e-12);
    CHECK_INT(th_int(v, "version"), 2);
    json_t *revs = json_object_get(v, "revisions");
    CHECK_INT(json_array_size(revs), 1);
    CHECK_NEAR(num(json_array_get(revs, 0), "old_value"), 44.5, 1e-12);
    CHECK_STR(th_str(json_array_get(revs, 0), "changed_by"), "officer");
    json_decref(v);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'indicator_value'"), 2);
    /* the unit's spaces around it trimmed, as the region's ("亿元 " was "not 亿元 ") */
    v = send(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"gdp\",\"period\":\"2024-07\",\"value\":1,\"unit\":\" 亿元 \"}", 201);
    CHECK_STR(th_str(v, "unit"), "亿元");
    json_decref(v);
    /* lists page with a cursor; export is CSV */
    v = get(&s, view, "/api/v1/indicators/values?code=budget_revenue&limit=5", 200);
    CHECK_INT(json_array_size(json_object_get(v, "items")), 5);
    CHECK(th_str(v, "next_cursor") != NULL);
    json_decref(v);
    v = get(&s, view, "/api/v1/indicators/values?limit=501", 400);
    json_decref(v);
    th_stop(&s);
}

TEST_T(indicator_import_preview_and_all_or_nothing, 120)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    /* 10,000 rows, one bad (line 5002: value "4.2.1") */
    pj_buf csv;
    pj_buf_init(&csv, 4 << 20);
    pj_buf_puts(&csv, "code,region,period,value,unit,source\n");
    static const char *const districts[16] = {
        "东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区",
        "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区",   "密云区",   "延庆区"};
    for (int i = 0; i < 10000; i++) {
        int y = 1950 + i / 192, m = i % 12 + 1, reg = i / 12 % 16;
        if (i == 5000)
            pj_buf_printf(&csv, "gdp,%s,%d-%02d,4.2.1,亿元,统计局\n", districts[reg], y, m);
        else
            pj_buf_printf(&csv, "gdp,%s,%d-%02d,%d.5,亿元,统计局\n", districts[reg], y, m, i);
    }
    /* a JSON string holds at most 64 KiB: the table goes as an array of its lines */
    json_t *body = json_object();
    json_t *lines = json_array();
    for (char *p = csv.data, *nl; (nl = strchr(p, '\n')); p = nl + 1)
        json_array_append_new(lines, json_stringn(p, (size_t)(nl - p)));
    json_object_set_new(body, "csv", lines);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    json_object_set_new(body, "dry_run", json_true());
    char *txt = json_dumps(body, 0);
    json_t *o = send(&s, "POST", off, "/api/v1/indicators/import", txt, 200);
    free(txt);
    CHECK_INT(th_int(o, "rows"), 10000);
    CHECK_INT(th_int(o, "bad_rows"), 1);
    json_t *e0 = json_array_get(json_object_get(o, "errors"), 0);
    CHECK_INT(th_int(e0, "line"), 5002);
    CHECK_STR(th_str(e0, "column"), "value");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0); /* the preview wrote nothing */
    json_object_set_new(body, "dry_run", json_false());
    txt = json_dumps(body, 0);
    o = send(&s, "POST", off, "/api/v1/indicators/import", txt, 422);
    free(txt);
    CHECK_STR(th_err_field(o), "value");
    CHECK(strstr(json_string_value(json_object_get(json_object_get(o, "error"), "message")),
                 "line 5002") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0); /* none imported */
    /* fixed, the same file imports every row in one go */
    char *bad = strstr(csv.data, "4.2.1");
    memcpy(bad, "4.201", 5);
    lines = json_array();
    for (char *p = csv.data, *nl; (nl = strchr(p, '\n')); p = nl + 1)
        json_array_append_new(lines, json_stringn(p, (size_t)(nl - p)));
    json_object_set_new(body, "csv", lines);
    txt = json_dumps(body, 0);
    o = send(&s, "POST", off, "/api/v1/indicators/import", txt, 200);
    CHECK_INT(th_int(o, "inserted"), 10000);
    json_decref(o);
    o = send(&s, "POST", off, "/api/v1/indicators/import", txt, 200); /* again: unchanged */
    CHECK_INT(th_int(o, "unchanged"), 10000);
    json_decref(o);
    free(txt);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'import'"), 2);
    json_decref(body);
    pj_buf_free(&csv);
    /* export round-trips through import */
    char hdr[2048];
    long st = th_call_raw(&s, "GET", "/api/v1/indicators/export?code=agri_output", off, NULL, -1,
                          NULL, NULL, hdr, sizeof hdr);
    CHECK_INT(st, 200);
    th_stop(&s);
}

/* Regression: a preview asked for in the query never writes, whatever the body's type; an
 * unknown parameter is refused; a row with more cells than the header, a hexadecimal value or
 * the same indicator, region and period twice in one table is a bad row, not silently read. */
TEST_T(indicator_import_query_preview_and_strict_rows, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    const char *good = "{\"csv\":\"code,period,value\\ngdp,1951,7\\n\"}";
    json_t *o = send(&s, "POST", off, "/api/v1/indicators/import?dry_run=1", good, 200);
    CHECK(json_is_true(json_object_get(o, "dry_run")));
    CHECK_INT(th_int(o, "rows"), 1);
    json_decref(o);
    o = send(&s, "POST", off, "/api/v1/indicators/import?dryrun=1", good, 400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    CHECK_STR(th_err_field(o), "dryrun");
    json_decref(o);
    o = send(&s, "POST", off, "/api/v1/indicators/import?dry_run=1",
             "{\"csv\":\"code,period,value\\ngdp,1951,7\\n\",\"dry_run\":false}", 422);
    CHECK_STR(th_err_field(o), "dry_run");
    json_decref(o);
    json_decref(send(&s, "POST", off, "/api/v1/indicators/import?dry_run=2", good, 400));
    static const struct {
        const char *body, *field, *says;
    } bad[] = {
        {"{\"csv\":\"code,period,value\\ngdp,1951,5,6\\n\"}", "csv", "4 cells"},
        {"{\"csv\":\"code,period,value\\ngdp,1951,0x10\\n\"}", "value", "not a number"},
        {"{\"csv\":\"code,period,value\\ngdp,1951, 5\\n\"}", "value", "not a number"},
        {"{\"csv\":\"code,period,value\\ngdp,1951,5\\ngdp,1952,6\\ngdp,1951,7\\n\"}", "period",
         "also on line 2"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = send(&s, "POST", off, "/api/v1/indicators/import", bad[i].body, 422);
        CHECK_STR(th_err_code(o), "bad_row");
        CHECK_STR(th_err_field(o), bad[i].field);
        CHECK(strstr(th_err_message(o), bad[i].says) != NULL);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* a trailing comma (an empty cell past the header) is no extra value */
    o = send(&s, "POST", off, "/api/v1/indicators/import",
             "{\"csv\":\"code,period,value\\ngdp,1951,5,\\n\"}", 200);
    CHECK_INT(th_int(o, "inserted"), 1);
    json_decref(o);
    th_stop(&s);
}

/* Regression: average growth from a base level near 0 overflowed and came back as 200 with
 * value null, where year-on-year growth on the same data is 422 undefined: both say so. */
TEST_T(indicator_growth_from_a_base_near_zero_is_undefined, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_decref(send(&s, "POST", off, "/api/v1/indicators/import",
                     "{\"csv\":\"code,period,value\\ngdp,1990,1e-300\\ngdp,1991,1e10\\n\"}", 200));
    json_t *o = send(&s, "GET", off,
                     "/api/v1/indicators/derived?fn=cagr&code=gdp&from=1990&to=1991", NULL, 422);
    CHECK_STR(th_err_code(o), "undefined");
    json_decref(o);
    o = send(&s, "GET", off, "/api/v1/indicators/derived?fn=yoy&code=gdp&period=1991", NULL, 422);
    CHECK_STR(th_err_code(o), "undefined");
    json_decref(o);
    th_stop(&s);
}

TEST_T(carbon_factor_change_mid_year, 60)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    json_decref(send(&s, "POST", adm, "/api/v1/carbon/factors",
                     "{\"energy_type\":\"electricity\",\"unit\":\"kWh\",\"kg_co2e_per_unit\":0.6,"
                     "\"kgce_per_unit\":0.1229,\"effective_from\":\"2024-01-01\"}",
                     201));
    json_decref(send(&s, "POST", adm, "/api/v1/carbon/factors",
                     "{\"energy_type\":\"electricity\",\"unit\":\"kWh\",\"kg_co2e_per_unit\":0.5,"
                     "\"kgce_per_unit\":0.1229,\"effective_from\":\"2024-07-01\"}",
                     201));
    /* 1,000,000 kWh in June (0.6) and in July (0.5): 600 t + 500 t */
    json_decref(send(&s, "POST", adm, "/api/v1/carbon/energy",
                     "{\"sector\":\"industry\",\"period\":\"2024-06\",\"energy_type\":"
                     "\"electricity\",\"quantity\":1000000}",
                     201));
    json_decref(send(&s, "POST", adm, "/api/v1/carbon/energy",
                     "{\"sector\":\"services\",\"period\":\"2024-07\",\"energy_type\":"
                     "\"electricity\",\"quantity\":1000000}",
                     201));
    json_t *o = get(&s, adm, "/api/v1/carbon/emissions?year=2024&by=sector", 200);
    CHECK_NEAR(num(o, "total_t_co2e"), 1100.0, 1e-9);
    CHECK_NEAR(num(o, "total_tce"), 245.8, 1e-9);
    json_decref(o);
    /* a whole year's 3,660,000 kWh: 182 days at 0.6 and 184 at 0.5 of 366 */
    json_t *e = send(&s, "POST", adm, "/api/v1/carbon/energy",
                     "{\"sector\":\"public\",\"period\":\"2024\",\"energy_type\":\"electricity\","
                     "\"quantity\":3660000}",
                     201);
    CHECK_NEAR(num(e, "t_co2e"), (182 * 0.6 + 184 * 0.5) * 10000 / 1000.0, 1e-6);
    json_decref(e);
    /* before the first factor: refused */
    o = send(&s, "POST", adm, "/api/v1/carbon/energy",
             "{\"sector\":\"public\",\"period\":\"2023-12\",\"energy_type\":\"electricity\","
             "\"quantity\":1}",
             422);
    CHECK_STR(th_err_code(o), "no_factor");
    json_decref(o);
    th_stop(&s);
}

/* Lines of a CSV export after its header. */
static long export_rows(th_server *s, const char *query)
{
    th_ctx t;
    th_ctx_open(s, &t, "demo", PJ_ROLE_DISTRICT_OFFICER);
    pj_value_filter f;
    memset(&f, 0, sizeof f);
    char q[256];
    snprintf(q, sizeof q, "%s", query);
    for (char *tok = strtok(q, "&"); tok; tok = strtok(NULL, "&")) {
        char *eq = strchr(tok, '=');
        *eq = 0;
        const char *v = pj_arena_strdup(&t.arena, eq + 1);
        if (!strcmp(tok, "period_kind")) f.kind = v;
        if (!strcmp(tok, "source")) f.source = v;
        if (!strcmp(tok, "period")) f.period = v;
        if (!strcmp(tok, "code")) f.code = v;
    }
    pj_buf b;
    pj_buf_init(&b, 1 << 24);
    pj_err err;
    pj_err_clear(&err);
    long n = -1;
    if (pj_ind_export_csv(&t.c, &f, 0, &b, &err) == 0) {
        n = 0;
        for (size_t i = 0; i < b.len; i++) n += b.data[i] == '\n';
        n -= 1;
    }
    pj_buf_free(&b);
    th_ctx_close(&t);
    return n;
}

/* Regression: the export took code, region and the years of from/to but ignored period,
 * period_kind and source, so "export the half-year figures" exported everything. It holds the
 * rows the values list holds with the same filters, and refuses what the list refuses. */
/* Regression: the demo's peer districts' values were products of a base and a growth rate,
 * exported as 29.066399999999998 and 448.13280000000003. A figure of the demo has a few decimals
 * (at most six: the GDP levels chained from the growth rates, 519.36768), no binary noise. */
TEST_T(indicator_demo_values_export_as_typed, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    th_ctx t;
    th_ctx_open(&s, &t, "demo", PJ_ROLE_DISTRICT_OFFICER);
    pj_value_filter f;
    memset(&f, 0, sizeof f);
    pj_buf b;
    pj_buf_init(&b, 1 << 24);
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_ind_export_csv(&t.c, &f, 0, &b, &err), 0);
    long rows = 0;
    for (size_t i = 0; i < b.len; i++) {
        rows += b.data[i] == '\n';
        if (b.data[i] != '.' || i == 0 || b.data[i - 1] < '0' || b.data[i - 1] > '9') continue;
        size_t d = 0;
        while (i + 1 + d < b.len && b.data[i + 1 + d] >= '0' && b.data[i + 1 + d] <= '9') d++;
        if (d > 6)
            t_fail(__FILE__, __LINE__, "a value of %zu decimals: %.40s", d,
                   b.data + (i > 20 ? i - 20 : 0));
    }
    CHECK(rows > 40);
    pj_buf_free(&b);
    th_ctx_close(&t);
    th_stop(&s);
}

TEST_T(indicator_export_takes_the_lists_filters, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    long long all = th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values");
    static const struct {
        const char *query, *sql;
    } cases[] = {
        {"period_kind=half", "SELECT COUNT(*) FROM indicator_values WHERE period_kind = 'H'"},
        {"source=seed", "SELECT COUNT(*) FROM indicator_values WHERE source = 'seed'"},
        {"period=2023", "SELECT COUNT(*) FROM indicator_values WHERE period = '2023'"},
        {"code=gdp&period_kind=year",
         "SELECT COUNT(*) FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id"
         " WHERE i.code = 'gdp' AND v.period_kind = 'Y'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        long long want = th_sql_int(&s, cases[k].sql);
        if (!(want > 0 && want < all)) /* the filter picks some rows, not all */
            t_fail(__FILE__, __LINE__, "%s: %lld of %lld rows", cases[k].query, want, all);
        long got = export_rows(&s, cases[k].query);
        if (got != want)
            t_fail(__FILE__, __LINE__, "export?%s: %ld rows, the list has %lld", cases[k].query,
                   got, want);
    }
    json_t *o = get(&s, off, "/api/v1/indicators/export?period_kind=decade", 400);
    CHECK_STR(th_err_field(o), "period_kind");
    json_decref(o);
    o = get(&s, off, "/api/v1/indicators/export?format=xlsx&period=2024Q9", 400);
    CHECK_STR(th_err_field(o), "period");
    json_decref(o);
    th_stop(&s);
}

/* An indicator's PATCH that changes nothing (only the version, or its fields sent as they are)
 * writes nothing: 200, the same version, no audit row; a change is one version and one row. */
TEST_T(indicator_patch_that_changes_nothing_writes_nothing, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80], path[96], body[1024], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long id = th_sql_int(&s, "SELECT id FROM indicators WHERE code = 'gdp'");
    snprintf(path, sizeof path, "/api/v1/indicators/%lld", id);
    json_t *o = get(&s, tok, path, 200);
    long long v = th_int(o, "version");
    snprintf(body, sizeof body,
             "{\"version\":%lld,\"name\":\"%s\",\"unit\":\"%s\",\"higher_is_better\":%s}", v,
             th_str(o, "name"), th_str(o, "unit"),
             json_is_true(json_object_get(o, "higher_is_better")) ? "true" : "false");
    json_decref(o);
    th_fingerprint(&s, fp0, sizeof fp0);
    char only[64];
    snprintf(only, sizeof only, "{\"version\":%lld}", v);
    o = send(&s, "PATCH", tok, path, only, 200);
    CHECK_INT(th_int(o, "version"), v);
    json_decref(o);
    o = send(&s, "PATCH", tok, path, body, 200);
    CHECK_INT(th_int(o, "version"), v);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    snprintf(body, sizeof body, "{\"version\":%lld,\"description\":\"按不变价计算\"}", v);
    o = send(&s, "PATCH", tok, path, body, 200);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    snprintf(body, sizeof body,
             "SELECT COUNT(*) FROM audit WHERE entity = 'indicator' AND entity_id = %lld AND"
             " action = 'update'",
             id);
    CHECK_INT(th_sql_int(&s, body), 1);
    th_stop(&s);
}
