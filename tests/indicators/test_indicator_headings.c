/* Indicator tables under Chinese headings: the import reads the console's words for its columns
 * (指标代码, 地区, 期间, 数值, 单位, 来源, 备注, and short forms), names a bad cell's column as the
 * header does, and the export writes them with headings=zh, a table that imports back
 * unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A table of the statistics bureau under Chinese headings — the console's words (指标代码, 地区,
 * 期间, 数值, 单位, 来源, 备注) and their short forms (代码, 时期, 值, 说明) — is read as under the
 * English ones; a bad cell's message names its column as the header does (the error's field
 * stays the English name); the export writes them with headings=zh and its table imports back
 * unchanged. Before, any Chinese heading was an unknown column. */
TEST_T(indicator_import_reads_chinese_headings, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = CALL(&s, "POST", off, "/api/v1/indicators/import",
                     "{\"csv\":\"指标代码,地区,期间,数值,单位,来源,备注\\n"
                     "gdp,平谷区,1951,7,亿元,统计年鉴,补录\\n\"}",
                     200);
    CHECK_INT(th_int(o, "inserted"), 1);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values WHERE period = '1951' AND"
                             " value = 7 AND source = '统计年鉴' AND note = '补录'"),
              1);
    o = CALL(&s, "POST", off, "/api/v1/indicators/import?dry_run=1",
             "{\"csv\":\"代码,时期,值,说明\\ngdp,1951,7,补录\\n\"}", 200);
    CHECK_INT(th_int(o, "unchanged"), 1);
    json_decref(o);
    /* headings typed with spaces around them (ASCII or full-width) are those headings, as in the
     * facility import */
    o = CALL(&s, "POST", off, "/api/v1/indicators/import?dry_run=1",
             "{\"csv\":\" 代码 ,period ,\u3000数值\u3000,备注\\ngdp,1951,7,补录\\n\"}", 200);
    CHECK_INT(th_int(o, "unchanged"), 1);
    json_decref(o);
    /* a bad cell: its column as the header named it */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    static const struct {
        const char *body, *field, *says;
    } bad[] = {
        {"{\"csv\":\"指标代码,期间,数值\\ngdp,1952,四\\n\"}", "value", "column 数值: '四'"},
        {"{\"csv\":\"代码,时期,值\\ngdp,1952,四\\n\"}", "value", "column 值: '四'"},
        {"{\"csv\":\"指标代码,期间,数值\\nnope,1952,4\\n\"}", "code", "column 指标代码: no"},
        {"{\"csv\":\"指标代码, 期间 ,数值\\ngdp,20xx,4\\n\"}", "period", "column 期间: '20xx'"},
        {"{\"csv\":\"指标代码,时期,数值\\ngdp,20xx,4\\n\"}", "period", "column 时期: '20xx'"},
        {"{\"csv\":\"指标代码,期间,数值,单位\\ngdp,1952,4,万元\\n\"}", "unit", "column 单位: gdp"},
        {"{\"csv\":\"code,period,value\\ngdp,1952,x\\n\"}", "value", "column value: 'x'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = CALL(&s, "POST", off, "/api/v1/indicators/import", bad[i].body, 422);
        CHECK_STR(th_err_code(o), "bad_row");
        CHECK_STR(th_err_field(o), bad[i].field);
        if (!strstr(th_err_message(o), bad[i].says))
            t_fail(__FILE__, __LINE__, "%s: %s", bad[i].body, th_err_message(o));
        json_decref(o);
    }
    /* the header: a column given twice, an unknown one, a missing one, each as it is named */
    static const struct {
        const char *body, *says;
    } heads[] = {
        {"{\"csv\":\"指标代码,代码,期间,数值\\ngdp,gdp,1952,4\\n\"}", "column 代码 twice"},
        {"{\"csv\":\"指标代码,年份,数值\\ngdp,1952,4\\n\"}", "unknown column '年份'"},
        {"{\"csv\":\"指标代码,数值\\ngdp,4\\n\"}", "期间"},
    };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        o = CALL(&s, "POST", off, "/api/v1/indicators/import", heads[i].body, 422);
        if (!strstr(th_err_message(o), heads[i].says))
            t_fail(__FILE__, __LINE__, "%s: %s", heads[i].body, th_err_message(o));
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the export under Chinese headings: the same rows, and back unchanged */
    size_t zl, el;
    char *zh = GET_BODY(&s, off, "/api/v1/indicators/export?headings=zh", &zl);
    char *en = GET_BODY(&s, off, "/api/v1/indicators/export", &el);
    const char *head = "指标代码,地区,期间,数值,单位,来源,备注\r\n";
    if (strncmp(zh, head, strlen(head))) t_fail(__FILE__, __LINE__, "headings=zh: %.100s", zh);
    CHECK(!strncmp(en, "code,region,period,value,", 25));
    CHECK(strchr(zh, '\n') && strchr(en, '\n'));
    CHECK_STR(strchr(zh, '\n'), strchr(en, '\n'));
    long long n = th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values");
    json_t *r = NULL;
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/indicators/import?dry_run=1", off, zh, (long)zl,
                          "text/csv", &r, NULL, 0),
              200);
    CHECK(json_is_true(json_object_get(r, "ok")));
    CHECK_INT(th_int(r, "rows"), n);
    CHECK_INT(th_int(r, "unchanged"), n);
    json_decref(r);
    free(zh);
    free(en);
    char *x = GET_BODY(&s, off, "/api/v1/indicators/export?headings=zh&format=xlsx", &zl);
    r = NULL;
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/indicators/import?dry_run=1", off, x, (long)zl,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &r,
                          NULL, 0),
              200);
    CHECK_INT(th_int(r, "unchanged"), n);
    json_decref(r);
    free(x);
    o = CALL(&s, "GET", off, "/api/v1/indicators/export?headings=cn", NULL, 400);
    CHECK_STR(th_err_field(o), "headings");
    json_decref(o);
    th_stop(&s);
}
