/* Regressions of the indicators review: a re-import of equal values changes nothing (source and
 * note kept when their columns are absent); a dry run says what a commit would do; the energy
 * intensity decline compares like with like; derived figures refuse combinations that mean
 * nothing; overlapping energy periods are refused; the CSV export writes numbers that read back. */
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

/* The stored value, source and note of gdp for a period of 平谷区. */
static json_t *gdp_value(th_server *s, const char *tok, const char *period)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/indicators/values?code=gdp&period=%s", period);
    json_t *o = call(s, "GET", tok, path, NULL, 200);
    json_t *v = json_incref(json_array_get(json_object_get(o, "items"), 0));
    json_decref(o);
    if (!v) t_fail(__FILE__, __LINE__, "no gdp value for %s", period);
    return v;
}

TEST_T(indicator_reimport_of_equal_values_keeps_source_and_note, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *v = gdp_value(&s, off, "2020");
    char note[512];
    snprintf(note, sizeof note, "%s", th_str(v, "note"));
    CHECK(strlen(note) > 0); /* the seed's note on 2020 */
    CHECK_STR(th_str(v, "source"), "synthetic");
    json_decref(v);
    long long revs = th_sql_int(&s, "SELECT COUNT(*) FROM indicator_revisions");
    /* the reviewer's table: code, period, value only, the values as stored */
    json_t *o = call(&s, "POST", off, "/api/v1/indicators/import",
                     "{\"csv\":[\"code,period,value\",\"gdp,2020,400\",\"gdp,2021,442\"]}", 200);
    CHECK_INT(th_int(o, "unchanged"), 2);
    CHECK_INT(th_int(o, "revised"), 0);
    json_decref(o);
    v = gdp_value(&s, off, "2020");
    CHECK_STR(th_str(v, "source"), "synthetic");
    CHECK_STR(th_str(v, "note"), note);
    CHECK_INT(th_int(v, "version"), 1);
    json_decref(v);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_revisions"), revs);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values WHERE version > 1"), 0);
    /* a new value without a source column: revised, source and note kept, the old ones in the
     * revision; a new row: source "import" */
    o = call(&s, "POST", off, "/api/v1/indicators/import",
             "{\"csv\":[\"code,period,value\",\"gdp,2020,401\",\"gdp,2019,380\"]}", 200);
    CHECK_INT(th_int(o, "revised"), 1);
    CHECK_INT(th_int(o, "inserted"), 1);
    json_decref(o);
    v = gdp_value(&s, off, "2020");
    CHECK_NEAR(json_number_value(json_object_get(v, "value")), 401, 0);
    CHECK_STR(th_str(v, "source"), "synthetic");
    CHECK_STR(th_str(v, "note"), note);
    json_decref(v);
    v = gdp_value(&s, off, "2019");
    CHECK_STR(th_str(v, "source"), "import");
    CHECK_STR(th_str(v, "note"), "");
    json_decref(v);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_revisions"), revs + 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_revisions WHERE old_value = 400 AND"
                             " new_value = 401 AND old_source = 'synthetic' AND old_note <> ''"),
              1);
    /* columns given: they are written (an empty note cell clears the note; an empty source cell
     * keeps the source, which cannot be empty) */
    o = call(&s, "POST", off, "/api/v1/indicators/import",
             "{\"csv\":[\"code,period,value,source,note\",\"gdp,2020,401,区统计局,\","
             "\"gdp,2021,442,,改\"]}",
             200);
    CHECK_INT(th_int(o, "revised"), 2);
    json_decref(o);
    v = gdp_value(&s, off, "2020");
    CHECK_STR(th_str(v, "source"), "区统计局");
    CHECK_STR(th_str(v, "note"), "");
    json_decref(v);
    v = gdp_value(&s, off, "2021");
    CHECK_STR(th_str(v, "source"), "synthetic");
    CHECK_STR(th_str(v, "note"), "改");
    json_decref(v);
    th_stop(&s);
}

TEST_T(indicator_dry_run_reports_what_a_commit_would_do, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    /* line 2 unchanged, 3 new, 4 bad, 5 revised, 6 bad, 7 new, 8 repeats line 3 */
    const char *lines = "\"code,period,value\",\"gdp,2021,442\",\"gdp,1940,1\",\"gdp,20x,1\","
                        "\"gdp,2022,999\",\"nope,2022,1\",\"gdp,1941,2\",\"gdp,1940,5\"";
    char body[1024];
    snprintf(body, sizeof body, "{\"dry_run\":true,\"csv\":[%s]}", lines);
    json_t *o = call(&s, "POST", off, "/api/v1/indicators/import", body, 200);
    CHECK(json_is_false(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "rows"), 7);
    CHECK_INT(th_int(o, "bad_rows"), 3);
    CHECK_INT(th_int(o, "inserted"), 2);
    CHECK_INT(th_int(o, "revised"), 1);
    CHECK_INT(th_int(o, "unchanged"), 1);
    json_t *errs = json_object_get(o, "errors");
    CHECK_INT(json_array_size(errs), 3);
    int lines_bad[3];
    for (int i = 0; i < 3; i++) lines_bad[i] = (int)th_int(json_array_get(errs, i), "line");
    CHECK(lines_bad[0] == 4 && lines_bad[1] == 6 && lines_bad[2] == 8);
    /* the preview goes on past the bad rows, each good row with what it would do */
    json_t *pv = json_object_get(o, "preview");
    static const struct {
        int line;
        const char *action, *source;
    } want[] = {{2, "unchanged", "synthetic"},
                {3, "insert", "import"},
                {5, "revise", "synthetic"},
                {7, "insert", "import"}};
    CHECK_INT(json_array_size(pv), 4);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        json_t *p = json_array_get(pv, i);
        CHECK_INT(th_int(p, "line"), want[i].line);
        CHECK_STR(th_str(p, "action"), want[i].action);
        CHECK_STR(th_str(p, "source"), want[i].source);
    }
    CHECK_NEAR(json_number_value(json_object_get(json_array_get(pv, 2), "old_value")), 477.36,
               1e-9);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0); /* wrote nothing */
    /* the commit refuses the same table and reports its first bad row */
    snprintf(body, sizeof body, "{\"csv\":[%s]}", lines);
    o = call(&s, "POST", off, "/api/v1/indicators/import", body, 422);
    CHECK(strstr(th_err_message(o), "3 bad rows of 7") != NULL);
    json_decref(o);
    /* without the bad rows: the dry run's counts are the commit's */
    const char *good = "\"code,period,value\",\"gdp,2021,442\",\"gdp,1940,1\",\"gdp,2022,999\","
                       "\"gdp,1941,2\"";
    snprintf(body, sizeof body, "{\"dry_run\":true,\"csv\":[%s]}", good);
    json_t *d = call(&s, "POST", off, "/api/v1/indicators/import", body, 200);
    snprintf(body, sizeof body, "{\"csv\":[%s]}", good);
    o = call(&s, "POST", off, "/api/v1/indicators/import", body, 200);
    CHECK(json_is_true(json_object_get(d, "ok")));
    static const char *const keys[] = {"rows", "inserted", "revised", "unchanged"};
    for (int i = 0; i < 4; i++) CHECK_INT(th_int(d, keys[i]), th_int(o, keys[i]));
    CHECK_INT(th_int(o, "inserted"), 2);
    CHECK_INT(th_int(o, "revised"), 1);
    CHECK_INT(th_int(o, "unchanged"), 1);
    json_decref(d);
    json_decref(o);
    th_stop(&s);
}

TEST_T(carbon_intensity_compares_one_energy_source, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    /* 2024: GDP entered, energy only as the recorded use; 2023: only the bureau's total */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"gdp\",\"period\":\"2024\",\"value\":550}", 201));
    json_t *o = call(&s, "GET", off, "/api/v1/carbon/intensity?year=2024", NULL, 422);
    CHECK_STR(th_err_code(o), "not_comparable");
    CHECK_STR(th_err_field(o), "year");
    CHECK(strstr(th_err_message(o), "enter energy_consumption for 2024") != NULL);
    json_decref(o);
    /* use recorded in 2023 by one of 2024's seven reporters: its use against the seven's is no
     * decline (it gave a rise of 234 % beside a fall of 99.8 % drawn) */
    json_decref(call(&s, "POST", off, "/api/v1/carbon/energy",
                     "{\"sector\":\"public\",\"period\":\"2023\",\"energy_type\":\"electricity\","
                     "\"quantity\":30000000}",
                     201));
    o = call(&s, "GET", off, "/api/v1/carbon/intensity?year=2024", NULL, 422);
    CHECK_STR(th_err_code(o), "not_comparable");
    CHECK_STR(th_err_field(o), "year");
    CHECK(strstr(th_err_message(o), "different reporters (2024: 7 reporters, 6 of them not in"
                                    " 2023; 2023: 1 reporters, 0 of them not in 2024)") != NULL);
    json_decref(o);
    o = call(&s, "GET", off, "/api/v1/carbon/intensity/years", NULL, 200);
    json_t *it, *y24 = NULL;
    size_t ix;
    json_array_foreach(json_object_get(o, "items"), ix, it) if (th_int(it, "year") == 2024) y24 =
        it;
    CHECK(y24 != NULL);
    CHECK(json_is_false(json_object_get(y24, "comparable")));
    CHECK_STR(th_str(y24, "reason"), "not_comparable");
    CHECK_STR(th_str(y24, "why"), "different_reporters");
    CHECK_INT(th_int(y24, "reporters"), 7);
    CHECK_INT(th_int(y24, "previous_reporters"), 1);
    CHECK_INT(th_int(y24, "reporters_not_in_previous"), 6);
    CHECK(json_object_get(y24, "decline_rate") == NULL);
    json_decref(o);
    /* the same seven reporters in 2023: both years compare their recorded use */
    json_t *l = call(&s, "GET", off, "/api/v1/carbon/energy?year=2024&limit=500", NULL, 200);
    json_array_foreach(json_object_get(l, "items"), ix, it)
    {
        json_t *org = json_object_get(it, "organisation_id");
        if (!json_is_integer(org) || strcmp(th_str(it, "period"), "2024-01")) continue;
        char body[256];
        snprintf(body, sizeof body,
                 "{\"organisation_id\":%lld,\"sector\":\"%s\",\"period\":\"2023\","
                 "\"energy_type\":\"electricity\",\"quantity\":1}",
                 (long long)json_integer_value(org), th_str(it, "sector"));
        json_decref(call(&s, "POST", off, "/api/v1/carbon/energy", body, 201));
    }
    json_decref(l);
    o = call(&s, "GET", off, "/api/v1/carbon/intensity?year=2024", NULL, 200);
    CHECK_STR(th_str(o, "energy_from"), "sum of energy use");
    json_t *e24 = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2024", NULL, 200);
    json_t *e23 = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023", NULL, 200);
    double t24 = json_number_value(json_object_get(e24, "total_tce"));
    double t23 = json_number_value(json_object_get(e23, "total_tce"));
    CHECK_NEAR(t23, 3687.0 + 6 * 0.0001229, 1e-6); /* 30,000,000 kWh × 0.1229 kgce, 6 × 1 kWh */
    CHECK_NEAR(json_number_value(json_object_get(o, "energy_tce")), t24, 1e-6);
    CHECK_NEAR(json_number_value(json_object_get(o, "previous_energy_tce")), t23, 1e-6);
    double i24 = t24 / (550 * 10000.0), i23 = t23 / (519.36768 * 10000.0);
    CHECK(i24 < i23); /* a decline, of a plausible size (the mixed sources gave 99.8 %) */
    CHECK_NEAR(json_number_value(json_object_get(o, "decline_rate")), (1 - i24 / i23) * 100, 1e-6);
    json_decref(e24);
    json_decref(e23);
    json_decref(o);
    /* the bureau's total for 2024 too: both years from it (as 2023 on the dashboard) */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"energy_consumption\",\"period\":\"2024\",\"value\":124}", 201));
    o = call(&s, "GET", off, "/api/v1/carbon/intensity?year=2024", NULL, 200);
    CHECK_STR(th_str(o, "energy_from"), "indicator energy_consumption");
    CHECK_NEAR(json_number_value(json_object_get(o, "decline_rate")),
               (1 - (124 / 550.0) / (122 / 519.36768)) * 100, 1e-6);
    CHECK_INT(json_array_size(json_object_get(o, "sources")), 4);
    json_decref(o);
    o = call(&s, "GET", off, "/api/v1/carbon/intensity?year=2023", NULL, 200);
    CHECK_NEAR(json_number_value(json_object_get(o, "decline_rate_rounded")), 6.6, 1e-9);
    json_decref(o);
    th_stop(&s);
}

TEST_T(indicator_derived_refuses_meaningless_combinations, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    static const struct {
        const char *q, *code, *field, *says;
    } bad[] = {
        /* GDP levels chained as if growth rates (it gave 457.9 %) */
        {"fn=cagr&code=gdp&from=2020&to=2023&method=rates", "wrong_kind", "method", "level"},
        /* growth rates compared as levels (it gave -8.45 %) */
        {"fn=cagr&code=gdp_growth&from=2021&to=2023&method=levels", "wrong_kind", "method",
         "growth rate"},
        {"fn=cagr&code=land_transfer_rate&from=2023&to=2024", "wrong_kind", "code", "points"},
        /* 亿元 of 万吨 (it gave 9.6 %) */
        {"fn=share&code=hightech_output&of=freight_volume&period=2023", "unit_mismatch", "of",
         "same unit"},
        {"fn=share&code=land_transfer_rate&of=gdp_growth&period=2023", "wrong_kind", "code",
         "not a level"},
        {"fn=share&code=gdp&of=gdp_growth&period=2023", "wrong_kind", "of", "not a level"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "/api/v1/indicators/derived?%s", bad[i].q);
        json_t *o = call(&s, "GET", tok, path, NULL, 422);
        CHECK_STR(th_err_code(o), bad[i].code);
        CHECK_STR(th_err_field(o), bad[i].field);
        CHECK(strstr(th_err_message(o), bad[i].says) != NULL);
        json_decref(o);
    }
    /* the meaningful ones still answer: the seed's 9.1 % both ways, 48 % of industrial output */
    json_t *o =
        call(&s, "GET", tok, "/api/v1/indicators/derived?fn=cagr&code=gdp_growth&from=2021&to=2023",
             NULL, 200);
    CHECK_NEAR(json_number_value(json_object_get(o, "rounded")), 9.1, 1e-9);
    json_decref(o);
    o = call(&s, "GET", tok,
             "/api/v1/indicators/derived?fn=cagr&code=gdp&from=2020&to=2023&method=levels", NULL,
             200);
    CHECK_NEAR(json_number_value(json_object_get(o, "rounded")), 9.1, 1e-9);
    json_decref(o);
    o = call(&s, "GET", tok,
             "/api/v1/indicators/derived?fn=share&code=hightech_output&of=industrial_output"
             "&period=2023",
             NULL, 200);
    CHECK_NEAR(json_number_value(json_object_get(o, "value")), 48.0, 1e-9);
    json_decref(o);
    th_stop(&s);
}

TEST_T(carbon_overlapping_energy_periods_are_refused, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    json_decref(call(&s, "POST", off, "/api/v1/carbon/energy",
                     "{\"sector\":\"industry\",\"period\":\"2023\",\"energy_type\":\"electricity\","
                     "\"quantity\":1000000}",
                     201));
    json_t *before = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023", NULL, 200);
    th_fingerprint(&s, fp0, sizeof fp0);
    /* the second half of the same year, a quarter, a month: each overlaps 2023 */
    static const char *const over[] = {"2023H2", "2023Q3", "2023-08"};
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"sector\":\"industry\",\"period\":\"%s\",\"energy_type\":\"electricity\","
                 "\"quantity\":500000}",
                 over[i]);
        json_t *o = call(&s, "POST", off, "/api/v1/carbon/energy", body, 409);
        CHECK_STR(th_err_code(o), "overlapping_period");
        CHECK_STR(th_err_field(o), "period");
        CHECK(strstr(th_err_message(o), over[i]) != NULL);
        CHECK(strstr(th_err_message(o), "overlaps 2023 ") != NULL);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    json_t *after = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023", NULL, 200);
    CHECK_NEAR(json_number_value(json_object_get(after, "total_tce")),
               json_number_value(json_object_get(before, "total_tce")), 0);
    json_decref(after);
    json_decref(before);
    /* the year over the demo's months of one organisation: refused, naming the first month */
    json_t *o = call(&s, "POST", off, "/api/v1/carbon/energy",
                     "{\"organisation_id\":1,\"sector\":\"industry\",\"period\":\"2024\","
                     "\"energy_type\":\"electricity\",\"quantity\":1}",
                     409);
    CHECK(strstr(th_err_message(o), "overlaps 2024-01") != NULL);
    json_decref(o);
    /* not overlapping: another sector, another energy type, the halves of another year */
    static const char *const ok[] = {
        "{\"sector\":\"services\",\"period\":\"2023H2\",\"energy_type\":\"electricity\","
        "\"quantity\":1}",
        "{\"sector\":\"industry\",\"period\":\"2023H2\",\"energy_type\":\"natural_gas\","
        "\"quantity\":1}",
        "{\"sector\":\"industry\",\"period\":\"2025H1\",\"energy_type\":\"electricity\","
        "\"quantity\":1}",
        "{\"sector\":\"industry\",\"period\":\"2025H2\",\"energy_type\":\"electricity\","
        "\"quantity\":1}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        json_decref(call(&s, "POST", off, "/api/v1/carbon/energy", ok[i], 201));
    /* the very same period stays the unique key's conflict */
    o = call(&s, "POST", off, "/api/v1/carbon/energy",
             "{\"sector\":\"industry\",\"period\":\"2025H2\",\"energy_type\":\"electricity\","
             "\"quantity\":2}",
             409);
    CHECK_STR(th_err_code(o), "conflict");
    json_decref(o);
    th_stop(&s);
}

/* The CSV export: every number in the shortest form that reads back to the stored double
 * (the seed's 39.4 as 39.4, not 39.399999999999999), and the file imports back unchanged. */
TEST_T(indicator_csv_export_numbers_read_back, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    th_ctx t;
    th_ctx_open(&s, &t, "officer", PJ_ROLE_DISTRICT_OFFICER);
    pj_err err;
    pj_err_clear(&err);
    pj_buf out;
    pj_buf_init(&out, 16 << 20);
    pj_value_filter f = {.code = "agri_output", .region = "平谷区"};
    CHECK_INT(pj_ind_export_csv(&t.c, &f, 0, &out, &err), 0);
    CHECK(strstr(out.data, "code,region,period,value,unit,source,note\r\n") == out.data ||
          strstr(out.data, "code,region,period,value,unit,source,note\n") == out.data);
    CHECK(strstr(out.data, "\nagri_output,平谷区,2023,39.4,亿元,seed,") != NULL);
    CHECK(strstr(out.data, "\nagri_output,平谷区,2022,34.68,亿元,synthetic,") != NULL);
    /* every value of every indicator: the text parses back to the stored double exactly */
    pj_buf_reset(&out);
    pj_value_filter all = {0};
    CHECK_INT(pj_ind_export_csv(&t.c, &all, 0, &out, &err), 0);
    int n = 0;
    for (char *line = strchr(out.data, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        char code[64], region[64], period[16], num[64];
        if (sscanf(line + 1, "%63[^,],%63[^,],%15[^,],%63[^,],", code, region, period, num) != 4)
            t_fail(__FILE__, __LINE__, "unreadable export line: %.80s", line + 1);
        pj_stmt *q = pj_db_prepare(t.c.db,
                                   "SELECT v.value FROM indicator_values v JOIN indicators i ON"
                                   " i.id = v.indicator_id WHERE i.code = ? AND v.region = ? AND"
                                   " v.period = ?",
                                   &err);
        CHECK(q != NULL);
        pj_stmt_text(q, 1, code);
        pj_stmt_text(q, 2, region);
        pj_stmt_text(q, 3, period);
        CHECK_INT(pj_stmt_step(q, &err), 1);
        double stored = pj_col_double(q, 0);
        pj_stmt_done(q);
        if (strtod(num, NULL) != stored)
            t_fail(__FILE__, __LINE__, "%s %s %s: exported %s, stored %.17g", code, region, period,
                   num, stored);
        CHECK(strlen(num) <= 24);
        n++;
    }
    CHECK_INT(n, th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values"));
    /* imported back: nothing changes */
    pj_buf res;
    pj_buf_init(&res, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &res);
    CHECK_INT(pj_ind_import_csv(&t.c, out.data, out.len, 0, 100000, &w, &err), 0);
    json_t *o = json_loads(res.data, 0, NULL);
    CHECK_INT(th_int(o, "unchanged"), n);
    CHECK_INT(th_int(o, "revised"), 0);
    json_decref(o);
    pj_buf_free(&res);
    pj_buf_free(&out);
    th_ctx_close(&t);
    th_stop(&s);
}
