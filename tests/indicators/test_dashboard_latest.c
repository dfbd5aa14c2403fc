/* The district dashboard over the API: the latest value of a count is the one of the latest
 * period by its end (a year after its H1 and its March, before nothing of its own year); its
 * periods follow the data; figures the district keeps in a register (warehouses, doctor farms,
 * monthly freight, the zone's enterprises, streamers, problems solved) are the register pages'
 * numbers. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/ecommerce.h"
#include "domain/enterprise.h"
#include "logistics/rec_fixture.h"

static json_t *fig_item(json_t *dash, const char *key)
{
    json_t *f = json_object_get(dash, "figures");
    for (size_t i = 0; i < json_array_size(f); i++)
        if (!strcmp(th_str(json_array_get(f, i), "key"), key)) return json_array_get(f, i);
    t_fail(__FILE__, __LINE__, "no figure %s", key);
}
static json_t *fig(json_t *dash, const char *key)
{
    return json_object_get(fig_item(dash, key), "figure");
}
static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}
static void put_value(th_server *s, const char *tok, const char *code, const char *period, double v)
{
    char body[256];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"period\":\"%s\",\"value\":%g,\"source\":\"t\"}",
             code, period, v);
    json_decref(CALL(s, "POST", tok, "/api/v1/indicators/values", body, 201));
}

TEST_T(dashboard_latest_is_by_period_end_and_follows_the_data, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    /* the year 2024 ends after its H1: 298 is the latest, not 2024H1's 284 */
    put_value(&s, off, "ecommerce_enterprises", "2024", 298);
    /* March 2024 ended before the year 2024, and December with it: the year's 117 stays */
    put_value(&s, off, "doctor_farms", "2024-03", 110);
    put_value(&s, off, "doctor_farms", "2024-12", 116);
    put_value(&s, off, "doctor_farms", "2024Q4", 115);
    /* a later year than the seed's: the dashboard moves on to it */
    put_value(&s, off, "agri_output", "2024", 44.325);
    put_value(&s, off, "budget_revenue", "2023", 100);
    put_value(&s, off, "budget_revenue", "2024", 112);
    json_t *d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    json_t *ec = fig(d, "ecommerce_enterprises");
    CHECK_NEAR(num(ec, "value"), 298, 1e-9);
    CHECK_STR(th_str(ec, "period"), "2024");
    json_t *df = fig(d, "doctor_farms");
    CHECK_NEAR(num(df, "value"), 117, 1e-9);
    CHECK_STR(th_str(df, "period"), "2024");
    CHECK_STR(th_str(fig_item(d, "doctor_farms"), "basis"), "indicator"); /* no farm register */
    json_t *ag = fig(d, "agri_output");
    CHECK_STR(th_str(ag, "period"), "2024");
    CHECK_NEAR(num(ag, "rounded"), 12.5, 1e-9); /* 44.325 / 39.4 */
    json_t *rev = fig(d, "revenue_h1");
    CHECK_STR(th_str(rev, "period"), "2024");
    CHECK_NEAR(num(rev, "rounded"), 12.0, 1e-9);
    /* the rank is of the same period: the peers have no 2024, so it ranks alone */
    CHECK_STR(th_str(fig(d, "revenue_h1_rank"), "period"), "2024");
    /* unchanged: the seed's GDP figures */
    CHECK_STR(th_str(fig(d, "gdp_h1_growth"), "period"), "2024H1");
    CHECK_NEAR(num(fig(d, "gdp_h1_growth"), "rounded"), 6.2, 1e-9);
    CHECK_INT(th_int(fig(d, "gdp_avg_growth_3y"), "to"), 2023);
    json_decref(d);
    /* a new year of GDP growth: the three years are the latest three */
    put_value(&s, off, "gdp_growth", "2024", 6.0);
    d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    CHECK_INT(th_int(fig(d, "gdp_avg_growth_3y"), "from"), 2022);
    CHECK_INT(th_int(fig(d, "gdp_avg_growth_3y"), "to"), 2024);
    json_decref(d);
    th_stop(&s);
}

TEST_T(dashboard_register_figures_are_the_register_pages, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    /* the seed's figures on both */
    json_t *d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    json_t *lk = CALL(&s, "GET", view, "/api/v1/logistics/kpi", NULL, 200);
    json_t *ak = CALL(&s, "GET", view, "/api/v1/agri/kpi", NULL, 200);
    json_t *wh = fig(d, "warehouse_progress");
    CHECK_STR(th_str(fig_item(d, "warehouse_progress"), "basis"), "register");
    CHECK_NEAR(num(wh, "current"), 2870000, 1e-6);
    CHECK_NEAR(num(json_object_get(wh, "target"), "value"), 5600000, 1e-6);
    CHECK_NEAR(num(wh, "rounded"), 51.25, 1e-9);
    CHECK_NEAR(num(json_object_get(lk, "warehouses"), "started_of_plan_pct"), 51.25, 1e-9);
    CHECK_NEAR(num(fig(d, "doctor_farms"), "value"), 117, 1e-9);
    CHECK_INT(th_int(ak, "doctor_farms"), 117);
    /* freight: the register's figure is the logistics page's; the yearly statistic is another,
     * labelled as such */
    json_t *fr = fig(d, "freight_register_progress");
    json_t *lf = json_object_get(lk, "freight");
    CHECK_NEAR(num(fr, "rounded"), num(lf, "progress_pct"), 1e-9);
    CHECK_STR(th_str(fr, "period"), th_str(lf, "latest_month"));
    CHECK_NEAR(num(fig(d, "freight_progress"), "rounded"), 31.25, 1e-9);
    CHECK(strstr(th_str(fig_item(d, "freight_progress"), "label"), "yearly statistics") != NULL);
    json_decref(d);
    json_decref(lk);
    json_decref(ak);
    /* construction starts on a planned warehouse; a farm is added; an indicator value of the
     * farms is recorded: the dashboard is the registers' */
    long long wid = th_sql_int(&s, "SELECT MIN(id) FROM lg_warehouses WHERE status = 'planned'");
    long long ver = rec_sql1(&s, "SELECT version FROM lg_warehouses WHERE id = %lld", wid);
    char path[96], body[160];
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", wid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"status\":\"under_construction\"}", ver);
    json_decref(CALL(&s, "PATCH", off, path, body, 200));
    json_decref(
        CALL(&s, "POST", off, "/api/v1/agri/farms", "{\"name\":\"新博士农场（测试）\"}", 201));
    put_value(&s, off, "doctor_farms", "2024-03", 110);
    d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    lk = CALL(&s, "GET", view, "/api/v1/logistics/kpi", NULL, 200);
    ak = CALL(&s, "GET", view, "/api/v1/agri/kpi", NULL, 200);
    wh = fig(d, "warehouse_progress");
    json_t *lw = json_object_get(lk, "warehouses");
    CHECK_NEAR(num(wh, "current"), num(lw, "started_m2"), 1e-6);
    CHECK(num(wh, "current") > 2870000);
    CHECK_NEAR(num(wh, "rounded"), num(lw, "started_of_plan_pct"), 1e-9);
    CHECK_NEAR(num(fig(d, "doctor_farms"), "value"), 118, 1e-9);
    CHECK_INT(th_int(ak, "doctor_farms"), 118);
    json_decref(d);
    json_decref(lk);
    json_decref(ak);
    th_stop(&s);
}

/* The e-commerce enterprises, the streamers and the problems solved came from the indicator
 * values of 2024H1 while the registers kept them: a zone enterprise added showed on the
 * e-commerce KPIs (285) and not on the dashboard (284). They are the registers' now, dated
 * with the register's date (today), and follow the registers. */
TEST_T(dashboard_zone_streamers_and_problems_solved_follow_their_registers, 90)
{
    th_server s;
    th_start(&s, 1);
    pj_err err;
    pj_err_clear(&err);
    th_ctx t;
    th_ctx_open(&s, &t, "demo", PJ_ROLE_ADMIN);
    if (pj_indicators_demo(&t.c, 7, &err) || pj_ecommerce_demo(&t.c, 7, &err) ||
        pj_enterprise_demo(&t.c, 7, &err))
        t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    th_ctx_close(&t);
    char off[80], view[80], today[11];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    pj_local_date(pj_now(), today);
    json_t *d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    json_t *ek = CALL(&s, "GET", view, "/api/v1/ecommerce/kpi", NULL, 200);
    json_t *pk = CALL(&s, "GET", off, "/api/v1/enterprise/kpis?from=2020-01-01", NULL, 200);
    static const char *const keys[] = {"ecommerce_enterprises", "streamers",
                                       "enterprise_problems_solved"};
    for (int i = 0; i < 3; i++) {
        CHECK_STR(th_str(fig_item(d, keys[i]), "basis"), "register");
        CHECK_STR(th_str(fig(d, keys[i]), "period"), today);
    }
    long long zone = th_int(ek, "zone_enterprises"), streamers = th_int(ek, "streamers"),
              solved = th_int(pk, "problems_solved");
    CHECK(zone > 0 && streamers > 0 && solved > 0);
    CHECK_NEAR(num(fig(d, "ecommerce_enterprises"), "value"), (double)zone, 1e-9);
    CHECK_NEAR(num(fig(d, "streamers"), "value"), (double)streamers, 1e-9);
    CHECK_NEAR(num(fig(d, "enterprise_problems_solved"), "value"), (double)solved, 1e-9);
    json_decref(d);
    json_decref(ek);
    json_decref(pk);
    /* one more of each in the registers: the dashboard follows */
    json_decref(CALL(&s, "POST", off, "/api/v1/ecommerce/zone-enterprises",
                     "{\"name\":\"新入驻直播企业（测试）\",\"kind\":\"ecommerce\","
                     "\"settled_on\":\"2024-06-01\"}",
                     201));
    json_decref(
        CALL(&s, "POST", off, "/api/v1/ecommerce/streamers",
             "{\"name\":\"新主播（测试）\",\"birth_date\":\"1990-01-01\",\"skill_level\":4}", 201));
    /* an appeal raised at a reception day, closed as resolved (the demo's are all closed: one
     * of another channel stands in) */
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE channel <> 'reception_day'") > 0);
    th_sql_exec(&s, "UPDATE ent_appeals SET channel = 'reception_day', state = 'closed', resolved"
                    " = 1, rating = 'satisfied', closed_at = strftime('%s','now') WHERE id ="
                    " (SELECT MIN(id) FROM ent_appeals WHERE channel <> 'reception_day')");
    d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    CHECK_NEAR(num(fig(d, "ecommerce_enterprises"), "value"), (double)zone + 1, 1e-9);
    CHECK_NEAR(num(fig(d, "streamers"), "value"), (double)streamers + 1, 1e-9);
    CHECK_NEAR(num(fig(d, "enterprise_problems_solved"), "value"), (double)solved + 1, 1e-9);
    json_decref(d);
    th_stop(&s);
}

/* Every figure's English gloss ("中文 (English)", the part the console shows in English) names
 * its own indicator: no two alike (budget revenue's rank and agricultural output's rank read
 * apart), each a title with a capital first letter. */
TEST_T(dashboard_english_labels_are_distinct_titles, 60)
{
    th_server s;
    th_start(&s, 1);
    char view[80];
    th_login(&s, "viewer", s.demo_pw, view);
    json_t *d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    json_t *f = json_object_get(d, "figures");
    CHECK(json_array_size(f) >= 10);
    for (size_t i = 0; i < json_array_size(f); i++) {
        const char *li = th_str(json_array_get(f, i), "label");
        const char *ei = strchr(li, '(');
        CHECK(ei != NULL);
        if (!ei) continue;
        ei++;
        if (!(*ei >= 'A' && *ei <= 'Z'))
            t_fail(__FILE__, __LINE__, "the English of %s starts lower case", li);
        for (size_t j = 0; j < i; j++) {
            const char *ej = strchr(th_str(json_array_get(f, j), "label"), '(');
            if (ej && !strcmp(ej + 1, ei))
                t_fail(__FILE__, __LINE__, "two figures read \"%s\" in English", ei);
        }
    }
    json_decref(d);
    th_stop(&s);
}

/* A figure that shows a growth rate (year on year, average growth) says so in its label, in both
 * languages: a tile titled with an amount never shows a percentage. */
TEST_T(dashboard_growth_figures_are_named_as_growth, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char view[80];
    th_login(&s, "viewer", s.demo_pw, view);
    json_t *d = CALL(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    json_t *f = json_object_get(d, "figures");
    int growth = 0;
    for (size_t i = 0; i < json_array_size(f); i++) {
        json_t *it = json_array_get(f, i);
        const char *fn = json_string_value(json_object_get(json_object_get(it, "figure"), "fn"));
        if (!fn || (strcmp(fn, "yoy") && strcmp(fn, "cagr"))) continue;
        growth++;
        const char *l = th_str(it, "label");
        const char *en = strchr(l, '(');
        const char *zh = strstr(l, "增速");
        if (!en || !zh || zh > en || !strstr(en, "growth"))
            t_fail(__FILE__, __LINE__, "growth figure %s reads \"%s\"", th_str(it, "key"), l);
    }
    CHECK(growth >= 4); /* GDP ×3, budget revenue, agricultural output */
    json_decref(d);
    th_stop(&s);
}
