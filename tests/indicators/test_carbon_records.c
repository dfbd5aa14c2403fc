/* Energy use records after the carbon review: a use needs a known sector, a period that has
 * ended (Beijing's today) and more than nothing, else 422 at the field and nothing written; a
 * record is corrected (PATCH with its version) and removed (DELETE), each audited; emissions
 * refuse a period outside their year and name the use without an organisation by null, not a
 * Chinese text; the intensity's years are listed so that a client asks only for those.
 *
 * The carbon review as real users: an enterprise user reads only its own organisation's energy
 * use (another's is 404, its emissions its own in every grouping), a township officer its
 * township's firms and the sector totals; a factor version is corrected and removed (version,
 * audited, the totals following, 409 when recorded use would be left without one) and every
 * factor write says whose totals it recomputes; a target of 0 is refused and a target can be
 * corrected; the intensity's sources are value rows like every other figure's. A value or a
 * target typed for the wrong period is removed (DELETE with its version, audited). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/indicator.h"
#include "t.h"
#include "th.h"

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

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

TEST_T(carbon_energy_refuses_unknown_sector_unended_period_and_nothing, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
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
    /* a factor in another unit than the energy type's: refused naming the unit to give (it
     * said only "measured in another unit") */
    static const char *const mwh = "{\"energy_type\":\"electricity\",\"unit\":\"MWh\","
                                   "\"kg_co2e_per_unit\":581,\"kgce_per_unit\":122.9,"
                                   "\"effective_from\":\"2025-01-01\"}";
    refused(&s, "POST", off, "/api/v1/carbon/factors", mwh, 422, "unit_mismatch", "unit");
    json_t *um = call(&s, "POST", off, "/api/v1/carbon/factors", mwh, 422);
    CHECK_STR(
        th_err_message(um),
        "electricity is measured in kWh, not MWh: give the factor per kWh (convert it first)");
    json_decref(um);
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

TEST_T(carbon_energy_corrected_and_removed_with_version, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80], town[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    json_t *o = call(&s, "POST", off, "/api/v1/carbon/energy",
                     "{\"sector\":\"transport\",\"period\":\"2023-03\",\"energy_type\":"
                     "\"diesel\",\"quantity\":1000}",
                     201);
    long long id = th_int(o, "id");
    CHECK_INT(th_int(o, "version"), 1);
    json_decref(o);
    json_decref(call(&s, "POST", off, "/api/v1/carbon/energy",
                     "{\"sector\":\"transport\",\"period\":\"2023-05\",\"energy_type\":"
                     "\"diesel\",\"quantity\":700}",
                     201));
    char path[96], body[256];
    snprintf(path, sizeof path, "/api/v1/carbon/energy/%lld", id);
    o = call(&s, "GET", view, path, NULL, 200);
    CHECK_NEAR(num(o, "quantity"), 1000, 0);
    json_decref(o);
    long long audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'energy_use'");

    /* refused, nothing written: no version, another version, other roles, a bad change */
    refused(&s, "PATCH", off, path, "{\"quantity\":1200}", 422, "missing_field", "version");
    refused(&s, "PATCH", off, path, "{\"version\":7,\"quantity\":1200}", 409, "version_conflict",
            "version");
    refused(&s, "PATCH", town, path, "{\"version\":1,\"quantity\":1200}", 403, "forbidden", "");
    refused(&s, "PATCH", view, path, "{\"version\":1,\"quantity\":1200}", 403, "forbidden", "");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"quantity\":0}", 422, "out_of_range",
            "quantity");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"sector\":\"nope\"}", 422, "invalid_value",
            "sector");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"period\":\"2099\"}", 422, "period_not_ended",
            "period");
    /* 2023Q2 would hold May's record as well */
    refused(&s, "PATCH", off, path, "{\"version\":1,\"period\":\"2023Q2\"}", 409,
            "overlapping_period", "period");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"period\":\"2023-05\"}", 409, "conflict",
            "period");
    /* an organisation that does not exist is the unknown_id of every other reference (it was
     * invalid_reference here, a code no other route answers and the docs did not name) */
    refused(&s, "PATCH", off, path, "{\"version\":1,\"organisation_id\":999999}", 422, "unknown_id",
            "organisation_id");
    refused(&s, "PATCH", off, "/api/v1/carbon/energy/999999", "{\"version\":1,\"quantity\":2}", 404,
            "not_found", "id");

    /* the mistake corrected: the first quarter's quantity, emissions computed again; its own
     * period overlaps nothing */
    snprintf(body, sizeof body,
             "{\"version\":1,\"period\":\"2023Q1\",\"quantity\":3000,\"source\":\"加油卡账单\"}");
    o = call(&s, "PATCH", off, path, body, 200);
    CHECK_STR(th_str(o, "period"), "2023Q1");
    CHECK_NEAR(num(o, "quantity"), 3000, 0);
    CHECK_STR(th_str(o, "source"), "加油卡账单");
    CHECK_INT(th_int(o, "version"), 2);
    CHECK_NEAR(num(o, "t_co2e"), 3000 * 2.68 / 1000.0, 1e-9);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'energy_use' AND action ="
                             " 'update'"),
              1);
    /* the same again changes nothing: no write, no audit row */
    o = call(&s, "PATCH", off, path, "{\"version\":2,\"quantity\":3000}", 200);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    /* attached to an organisation, then back to a sector total */
    o = call(&s, "PATCH", off, path, "{\"version\":2,\"organisation_id\":1}", 200);
    CHECK_INT(th_int(o, "organisation_id"), 1);
    json_decref(o);
    o = call(&s, "PATCH", off, path, "{\"version\":3,\"organisation_id\":null}", 200);
    CHECK(json_is_null(json_object_get(o, "organisation_id")));
    CHECK_INT(th_int(o, "version"), 4);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'energy_use'"), audits + 3);

    /* removed: not with a stale version, not by a township officer; then gone, audited */
    snprintf(body, sizeof body, "%s?version=3", path);
    refused(&s, "DELETE", off, body, NULL, 409, "version_conflict", "version");
    refused(&s, "DELETE", town, path, NULL, 403, "forbidden", "");
    json_t *before = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023", NULL, 200);
    snprintf(body, sizeof body, "%s?version=4", path);
    CHECK_INT(th_call(&s, "DELETE", body, off, NULL, NULL), 204);
    json_decref(call(&s, "GET", off, path, NULL, 404));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'energy_use' AND action ="
                             " 'delete' AND after_json IS NULL AND before_json LIKE '%2023Q1%'"),
              1);
    json_t *after = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023", NULL, 200);
    CHECK_INT(th_int(after, "rows"), th_int(before, "rows") - 1);
    CHECK_NEAR(num(before, "total_t_co2e") - num(after, "total_t_co2e"), 3000 * 2.68 / 1000.0,
               1e-6);
    json_decref(before);
    json_decref(after);
    refused(&s, "DELETE", off, path, NULL, 404, "not_found", "id");
    /* the period freed: 2023Q1 can be recorded again */
    json_decref(call(&s, "POST", off, "/api/v1/carbon/energy",
                     "{\"sector\":\"transport\",\"period\":\"2023Q1\",\"energy_type\":"
                     "\"diesel\",\"quantity\":2900}",
                     201));
    th_stop(&s);
}

TEST_T(carbon_emissions_refuse_a_period_outside_the_year, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    static const char *const bad[] = {"year=2024&period=2025-01", "year=2024&period=2023",
                                      "year=2024&period=2025Q1", "year=2024&period=24-01",
                                      "year=2024&period=2024-13"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/carbon/emissions?%s", bad[i]);
        json_t *o = call(&s, "GET", tok, path, NULL, 400);
        CHECK_STR(th_err_code(o), "bad_query");
        CHECK_STR(th_err_field(o), "period");
        json_decref(o);
    }
    json_t *o =
        call(&s, "GET", tok, "/api/v1/carbon/emissions?year=2024&period=2024-01", NULL, 200);
    CHECK(th_int(o, "rows") > 0);
    CHECK_STR(th_str(o, "period"), "2024-01");
    json_decref(o);
    /* by organisation: the use without one is null (the client names it), the others their
     * organisation's id and name */
    o = call(&s, "GET", tok, "/api/v1/carbon/emissions?year=2024&by=organisation", NULL, 200);
    json_t *groups = json_object_get(o, "groups"), *g;
    size_t i;
    int none = 0, named = 0;
    json_array_foreach(groups, i, g)
    {
        json_t *key = json_object_get(g, "key"), *org = json_object_get(g, "organisation_id");
        if (json_is_null(key)) {
            CHECK(json_is_null(org));
            none++;
        } else {
            CHECK(json_is_string(key) && json_integer_value(org) > 0);
            CHECK(strstr(json_string_value(key), "未关联") == NULL);
            named++;
        }
    }
    CHECK_INT(none, 1);
    CHECK_INT(named, 6);
    json_decref(o);
    th_stop(&s);
}

TEST_T(carbon_intensity_years_lists_only_years_with_data, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    /* each listed year answers as GET /carbon/intensity does; the years with GDP but no energy
     * (a 404 there) are not listed */
    json_t *o = call(&s, "GET", off, "/api/v1/carbon/intensity/years", NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK(json_array_size(items) >= 1);
    size_t i;
    json_t *it;
    int listed[3000] = {0};
    json_array_foreach(items, i, it)
    {
        int y = (int)th_int(it, "year");
        listed[y] = 1;
        CHECK(json_is_true(json_object_get(it, "comparable")));
        char path[96];
        snprintf(path, sizeof path, "/api/v1/carbon/intensity?year=%d", y);
        json_t *one = call(&s, "GET", off, path, NULL, 200);
        CHECK_NEAR(num(it, "intensity"), num(one, "intensity"), 0);
        CHECK_NEAR(num(it, "decline_rate_rounded"), num(one, "decline_rate_rounded"), 0);
        CHECK_STR(th_str(it, "energy_from"), th_str(one, "energy_from"));
        json_decref(one);
    }
    json_decref(o);
    for (int y = 2015; y <= 2030; y++) {
        if (listed[y]) continue;
        char path[96];
        snprintf(path, sizeof path, "/api/v1/carbon/intensity?year=%d", y);
        o = NULL;
        int st = th_call(&s, "GET", path, off, NULL, &o);
        if (st != 404) t_fail(__FILE__, __LINE__, "%d is not listed but answers %d", y, st);
        json_decref(o);
    }
    /* 2024's GDP: 2024 has only the recorded use, 2023 only the bureau's total — listed as not
     * comparable, with each year's source and the year that needs energy_consumption */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"gdp\",\"period\":\"2024\",\"value\":550}", 201));
    o = call(&s, "GET", off, "/api/v1/carbon/intensity/years", NULL, 200);
    items = json_object_get(o, "items");
    it = json_array_get(items, json_array_size(items) - 1);
    CHECK_INT(th_int(it, "year"), 2024);
    CHECK(json_is_false(json_object_get(it, "comparable")));
    CHECK_STR(th_str(it, "energy_source"), "use");
    CHECK_STR(th_str(it, "previous_energy_source"), "indicator");
    CHECK_INT(th_int(it, "needs_energy_consumption"), 2024);
    json_decref(o);
    json_decref(call(&s, "GET", off, "/api/v1/carbon/intensity/years?year=2024", NULL, 400));
    /* the region as the indicators take it — regression: " 平谷区" answered 404 "needs gdp and
     * energy" and an empty list of years, an unknown district the same */
    json_t *plain = call(&s, "GET", off, "/api/v1/carbon/intensity?year=2023", NULL, 200);
    json_t *padded =
        call(&s, "GET", off,
             "/api/v1/carbon/intensity?year=2023&region=%20%E5%B9%B3%E8%B0%B7%E5%8C%BA", NULL, 200);
    CHECK_NEAR(num(padded, "intensity"), num(plain, "intensity"), 0);
    json_decref(plain);
    json_decref(padded);
    o = call(&s, "GET", off, "/api/v1/carbon/intensity/years?region=%E5%B9%B3%E8%B0%B7%E5%8C%BA%20",
             NULL, 200);
    CHECK(json_array_size(json_object_get(o, "items")) >= 1);
    json_decref(o);
    static const char *const unknown[] = {
        "/api/v1/carbon/intensity?year=2023&region=%E7%81%AB%E6%98%9F%E5%8C%BA",
        "/api/v1/carbon/intensity/years?region=%E7%81%AB%E6%98%9F%E5%8C%BA"};
    for (size_t k = 0; k < 2; k++) {
        o = call(&s, "GET", off, unknown[k], NULL, 422);
        CHECK_STR(th_err_code(o), "unknown_region");
        CHECK_STR(th_err_field(o), "region");
        json_decref(o);
    }
    th_stop(&s);
}

/* The command line corrects and removes a record as the API does. */
TEST_T(cli_carbon_energy_update_and_delete, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "carbon", "factor-add", "--json",
                  "{\"energy_type\":\"diesel\",\"unit\":\"L\",\"kg_co2e_per_unit\":2.68,"
                  "\"kgce_per_unit\":1.224,\"effective_from\":\"2023-01-01\"}",
                  "--db", db),
              0);
    CHECK_INT(RUN(out, "carbon", "energy-add", "--json",
                  "{\"sector\":\"nope\",\"period\":\"2023-03\",\"energy_type\":\"diesel\","
                  "\"quantity\":10}",
                  "--db", db),
              1);
    CHECK_INT(RUN(out, "carbon", "energy-add", "--json",
                  "{\"sector\":\"transport\",\"period\":\"2023-03\",\"energy_type\":\"diesel\","
                  "\"quantity\":10}",
                  "--db", db),
              0);
    json_t *o = json_loads(out, 0, NULL);
    char id[24];
    snprintf(id, sizeof id, "%lld", th_int(o, "id"));
    json_decref(o);
    /* without "version": the current one */
    CHECK_INT(RUN(out, "carbon", "energy-update", id, "--json", "{\"quantity\":12}", "--db", db),
              0);
    CHECK(strstr(out, "\"version\": 2") != NULL);
    CHECK_INT(RUN(out, "carbon", "energy-update", id, "--json", "{\"version\":1,\"quantity\":13}",
                  "--db", db),
              1);
    CHECK(strstr(out, "version_conflict") != NULL);
    CHECK_INT(RUN(out, "carbon", "energy-get", id, "--db", db), 0);
    CHECK(strstr(out, "\"quantity\": 12") != NULL);
    CHECK_INT(RUN(out, "carbon", "energy-delete", id, "--version", "1", "--db", db), 1);
    CHECK_INT(RUN(out, "carbon", "energy-delete", id, "--version", "2", "--db", db), 0);
    CHECK_INT(RUN(out, "carbon", "energy-get", id, "--db", db), 1);
    CHECK_INT(RUN(out, "carbon", "energy-update", "999", "--json", "{\"quantity\":1}", "--db", db),
              1);
    CHECK(strstr(out, "not_found") != NULL || strstr(out, "no energy use") != NULL);
    /* a period outside the year: options that do not go together, a usage error */
    CHECK_INT(RUN(out, "carbon", "emissions", "--year", "2024", "--period", "2025-01", "--db", db),
              2);
    CHECK_INT(RUN(out, "carbon", "intensity-years", "--db", db), 0);
    CHECK(strstr(out, "\"items\": []") != NULL);
}

/* A period's emissions count the uses recorded for it and for the periods inside it (2023Q1:
 * 2023Q1 itself and its months), not only those stored with that very text; a use of a longer
 * period holding it (the year 2023) cannot be split and is reported as left out. */
TEST_T(carbon_emissions_of_a_period_count_the_periods_inside_it, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    static const char *const uses[] = {
        "{\"sector\":\"transport\",\"period\":\"2023-01\",\"energy_type\":\"diesel\","
        "\"quantity\":1000}",
        "{\"sector\":\"transport\",\"period\":\"2023-03\",\"energy_type\":\"diesel\","
        "\"quantity\":500}",
        "{\"sector\":\"industry\",\"period\":\"2023Q1\",\"energy_type\":\"diesel\","
        "\"quantity\":200}",
        "{\"sector\":\"public\",\"period\":\"2023\",\"energy_type\":\"diesel\",\"quantity\":4000}",
        "{\"sector\":\"transport\",\"period\":\"2023-04\",\"energy_type\":\"diesel\","
        "\"quantity\":7000}"};
    for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++)
        json_decref(call(&s, "POST", off, "/api/v1/carbon/energy", uses[i], 201));
    /* the quarter: itself and its months, the year left out; a month: only itself, the quarter
     * and the year holding it left out; the first half: the quarter, its months and April */
    static const struct {
        const char *period;
        int rows, left_out;
        double litres; /* diesel counted */
    } want[] = {{"2023Q1", 3, 1, 1700}, {"2023-01", 1, 2, 1000}, {"2023H1", 4, 1, 8700}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/carbon/emissions?year=2023&period=%s", want[i].period);
        json_t *o = call(&s, "GET", off, path, NULL, 200);
        CHECK_INT(th_int(o, "rows"), want[i].rows);
        CHECK_INT(th_int(o, "rows_left_out"), want[i].left_out);
        CHECK_NEAR(num(o, "total_t_co2e"), want[i].litres * 2.68 / 1000.0, 1e-9);
        json_decref(o);
    }
    /* the year: everything, nothing left out */
    json_t *y = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023&period=2023", NULL, 200);
    json_t *all = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023", NULL, 200);
    CHECK_INT(th_int(y, "rows"), th_int(all, "rows"));
    CHECK_INT(th_int(y, "rows_left_out"), 0);
    CHECK_NEAR(num(y, "total_t_co2e"), num(all, "total_t_co2e"), 1e-9);
    json_decref(y);
    json_decref(all);
    th_stop(&s);
}

/* `indicator revise` without "version" revises the value as it is now, as every other update
 * of the command line does; a stale version is refused; an id that is no value says so. */
TEST_T(cli_indicator_revise_current_version, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "demo", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "set", "--json",
                  "{\"code\":\"gdp\",\"period\":\"2019\",\"value\":380,\"source\":\"synthetic\"}",
                  "--db", db),
              0);
    json_t *o = json_loads(out, 0, NULL);
    char id[24];
    snprintf(id, sizeof id, "%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(RUN(out, "indicator", "revise", id, "--json", "{\"value\":381}", "--db", db), 0);
    o = json_loads(out, 0, NULL);
    CHECK_INT(th_int(o, "version"), 2);
    CHECK_NEAR(json_number_value(json_object_get(o, "value")), 381, 1e-9);
    json_decref(o);
    CHECK_INT(
        RUN(out, "indicator", "revise", id, "--json", "{\"version\":1,\"value\":382}", "--db", db),
        1);
    CHECK(strstr(out, "version_conflict") != NULL);
    CHECK_INT(RUN(out, "indicator", "revise", "999999", "--json", "{\"value\":1}", "--db", db), 1);
    CHECK(strstr(out, "not_found") != NULL);
}

/* How many items of a list answer have organisation_id org (0: none, a sector total). */
static int count_org(json_t *items, long long org)
{
    int n = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *v = json_object_get(json_array_get(items, i), "organisation_id");
        long long o = json_is_integer(v) ? json_integer_value(v) : 0;
        n += o == org;
    }
    return n;
}

TEST_T(carbon_energy_use_scoped_to_the_enterprise_and_township, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char jd[80], off[80], view[80], town[80];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long mine = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long other = th_sql_int(&s, "SELECT MIN(organisation_id) FROM energy_use WHERE"
                                     " organisation_id <> (SELECT organisation_id FROM users"
                                     " WHERE username = 'jd')");
    long long all = th_sql_int(&s, "SELECT COUNT(*) FROM energy_use");
    long long own =
        th_sql_int(&s, "SELECT COUNT(*) FROM energy_use e JOIN users u ON"
                       " u.organisation_id = e.organisation_id WHERE u.username = 'jd'");
    CHECK(own > 0 && own < all);

    /* the reviewer's: every organisation's monthly records */
    json_t *o = call(&s, "GET", jd, "/api/v1/carbon/energy?limit=500", NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), own);
    CHECK_INT(count_org(items, mine), own);
    json_decref(o);
    o = call(&s, "GET", jd, "/api/v1/carbon/energy?limit=500&organisation_id=1", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), mine == 1 ? own : 0);
    json_decref(o);
    /* another firm's record by id: as one that does not exist */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/carbon/energy/%lld",
             th_sql_int(&s, "SELECT MIN(id) FROM energy_use WHERE organisation_id <> (SELECT"
                            " organisation_id FROM users WHERE username = 'jd')"));
    o = call(&s, "GET", jd, path, NULL, 404);
    CHECK_STR(th_err_code(o), "not_found");
    json_decref(o);
    json_decref(call(&s, "GET", jd, "/api/v1/carbon/energy/99999", NULL, 404));
    snprintf(path, sizeof path, "/api/v1/carbon/energy/%lld",
             th_sql_int(&s, "SELECT MIN(e.id) FROM energy_use e JOIN users u ON u.organisation_id"
                            " = e.organisation_id WHERE u.username = 'jd'"));
    json_decref(call(&s, "GET", jd, path, NULL, 200));

    /* emissions: its own organisation only, in every grouping (its sector holds one other firm,
     * whose use the sector's total less its own would give) */
    json_t *d =
        call(&s, "GET", off, "/api/v1/carbon/emissions?year=2024&by=organisation", NULL, 200);
    CHECK_STR(th_str(d, "scope"), "district");
    CHECK(json_array_size(json_object_get(d, "groups")) > 2);
    o = call(&s, "GET", jd, "/api/v1/carbon/emissions?year=2024&by=organisation", NULL, 200);
    CHECK_STR(th_str(o, "scope"), "organisation");
    CHECK_INT(json_array_size(json_object_get(o, "groups")), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "groups"), 0), "organisation_id"), mine);
    CHECK_INT(th_int(o, "rows"), own);
    CHECK(num(o, "total_t_co2e") < num(d, "total_t_co2e"));
    double t_own = num(o, "total_t_co2e");
    json_decref(o);
    o = call(&s, "GET", jd, "/api/v1/carbon/emissions?year=2024&by=sector", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "groups")), 1);
    CHECK_NEAR(num(o, "total_t_co2e"), t_own, 1e-6);
    json_decref(o);
    /* the intensity stays the district's figure */
    json_t *i1 = NULL, *i0 = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/carbon/intensity/years", jd, NULL, &i1), 200);
    CHECK_INT(th_call(&s, "GET", "/api/v1/carbon/intensity/years", off, NULL, &i0), 200);
    CHECK(json_array_size(json_object_get(i0, "items")) > 0);
    CHECK(json_equal(i1, i0));
    json_decref(i1);
    json_decref(i0);

    /* the district's roles and the viewer: every record */
    o = call(&s, "GET", view, "/api/v1/carbon/energy?limit=500", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), all);
    json_decref(o);
    o = call(&s, "GET", view, "/api/v1/carbon/emissions?year=2024&by=organisation", NULL, 200);
    CHECK_NEAR(num(o, "total_t_co2e"), num(d, "total_t_co2e"), 1e-6);
    json_decref(o);
    json_decref(d);

    /* a township officer: the sector totals and its township's firms (none in the demo), then
     * another firm moved into its township */
    long long totals = th_sql_int(&s, "SELECT COUNT(*) FROM energy_use WHERE organisation_id IS"
                                      " NULL");
    o = call(&s, "GET", town, "/api/v1/carbon/energy?limit=500", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), totals);
    json_decref(o);
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE organisations SET township_id = (SELECT township_id FROM users WHERE"
             " username = 'jinhaihu') WHERE id = %lld",
             other);
    th_sql_exec(&s, sql);
    o = call(&s, "GET", town, "/api/v1/carbon/energy?limit=500", NULL, 200);
    items = json_object_get(o, "items");
    CHECK_INT(count_org(items, other), 12);
    CHECK_INT(count_org(items, 0), totals);
    CHECK_INT(json_array_size(items), totals + 12);
    json_decref(o);
    o = call(&s, "GET", town, "/api/v1/carbon/emissions?year=2024&by=organisation", NULL, 200);
    CHECK_STR(th_str(o, "scope"), "township");
    CHECK_INT(json_array_size(json_object_get(o, "groups")), 2);
    json_decref(o);
    /* writes stay the district's */
    refused(&s, "POST", jd, "/api/v1/carbon/energy",
            "{\"sector\":\"logistics\",\"period\":\"2023-01\",\"energy_type\":\"electricity\","
            "\"quantity\":5}",
            403, "forbidden", "");
    th_stop(&s);
}

static const char *const F = "/api/v1/carbon/factors";

TEST_T(carbon_factor_corrected_removed_and_recomputed, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    /* the demo: electricity 0.5810 from 2023-01-01 and 0.5703 from 2024-07-01; monthly use in
     * 2024 */
    long long first = th_sql_int(&s, "SELECT id FROM emission_factors WHERE energy_type ="
                                     " 'electricity' AND effective_from = '2023-01-01'");
    long long second = th_sql_int(&s, "SELECT id FROM emission_factors WHERE energy_type ="
                                      " 'electricity' AND effective_from = '2024-07-01'");
    long long h2 = th_sql_int(&s, "SELECT COUNT(*) FROM energy_use WHERE energy_type ="
                                  " 'electricity' AND period >= '2024-07'");
    long long elec = th_sql_int(&s, "SELECT COUNT(*) FROM energy_use WHERE energy_type ="
                                    " 'electricity'");
    CHECK(h2 > 0 && h2 < elec);
    json_t *e0 =
        call(&s, "GET", off, "/api/v1/carbon/emissions?year=2024&by=energy_type", NULL, 200);

    /* a mistyped second version (57.03): the reviewer could not correct it */
    char path[96], body[256];
    snprintf(path, sizeof path, "%s/%lld", F, second);
    refused(&s, "PATCH", off, path, "{\"kg_co2e_per_unit\":57.03}", 422, "missing_field",
            "version");
    refused(&s, "PATCH", off, path, "{\"version\":9,\"kg_co2e_per_unit\":57.03}", 409,
            "version_conflict", "version");
    refused(&s, "PATCH", view, path, "{\"version\":1,\"kg_co2e_per_unit\":57.03}", 403, "forbidden",
            "");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"unit\":\"MWh\"}", 422, "unknown_field",
            "unit");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"effective_from\":\"2023-01-01\"}", 409,
            "conflict", "effective_from");
    /* a dry run says whose totals would change and writes nothing */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = call(&s, "PATCH", off, path,
                     "{\"version\":1,\"kg_co2e_per_unit\":0.5600,\"dry_run\":true}", 200);
    CHECK(json_is_true(json_object_get(o, "dry_run")));
    json_t *rc = json_object_get(o, "recomputed");
    CHECK_INT(th_int(rc, "energy_records"), h2);
    CHECK_INT(json_array_size(json_object_get(rc, "periods")), 6);
    CHECK_STR(json_string_value(json_array_get(json_object_get(rc, "periods"), 0)), "2024-07");
    CHECK_INT(json_integer_value(json_array_get(json_object_get(rc, "years"), 0)), 2024);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    /* corrected: the second half's totals follow, audited with before and after */
    o = call(&s, "PATCH", off, path, "{\"version\":1,\"kg_co2e_per_unit\":0.5600}", 200);
    CHECK_INT(th_int(o, "version"), 2);
    CHECK_NEAR(num(o, "kg_co2e_per_unit"), 0.56, 1e-12);
    CHECK_INT(th_int(json_object_get(o, "recomputed"), "energy_records"), h2);
    CHECK(json_is_false(json_object_get(o, "dry_run")));
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'emission_factor' AND"
                             " action = 'update' AND before_json LIKE '%0.5703%' AND after_json"
                             " LIKE '%0.56%'"),
              1);
    json_t *e1 =
        call(&s, "GET", off, "/api/v1/carbon/emissions?year=2024&by=energy_type", NULL, 200);
    CHECK(num(e1, "total_t_co2e") < num(e0, "total_t_co2e"));
    json_decref(e1);
    /* the same again: nothing recomputed, no write */
    o = call(&s, "PATCH", off, path, "{\"version\":2,\"kg_co2e_per_unit\":0.56}", 200);
    CHECK_INT(th_int(o, "version"), 2);
    CHECK_INT(th_int(json_object_get(o, "recomputed"), "energy_records"), 0);
    json_decref(o);

    /* the first version may not go: 2024's first half would have no factor; nor move after
     * recorded periods */
    snprintf(body, sizeof body, "%s/%lld", F, first);
    refused(&s, "DELETE", off, body, NULL, 409, "factor_in_use", "");
    refused(&s, "PATCH", off, body, "{\"version\":1,\"effective_from\":\"2024-03-01\"}", 409,
            "factor_in_use", "effective_from");
    /* the second may: the first governs the second half again, its totals follow */
    snprintf(body, sizeof body, "%s?version=1", path);
    refused(&s, "DELETE", off, body, NULL, 409, "version_conflict", "version");
    refused(&s, "DELETE", view, path, NULL, 403, "forbidden", "");
    snprintf(body, sizeof body, "%s?version=2&dry_run=1", path);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = call(&s, "DELETE", off, body, NULL, 200);
    CHECK(json_is_false(json_object_get(o, "deleted")));
    CHECK_INT(th_int(json_object_get(o, "recomputed"), "energy_records"), h2);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    snprintf(body, sizeof body, "%s?version=2", path);
    o = call(&s, "DELETE", off, body, NULL, 200);
    CHECK(json_is_true(json_object_get(o, "deleted")));
    CHECK_INT(th_int(json_object_get(o, "recomputed"), "energy_records"), h2);
    json_decref(o);
    json_decref(call(&s, "DELETE", off, path, NULL, 404));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'emission_factor' AND"
                             " action = 'delete' AND after_json IS NULL"),
              1);
    e1 = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2024&by=energy_type", NULL, 200);
    CHECK(num(e1, "total_t_co2e") > num(e0, "total_t_co2e")); /* 0.5810 all year */
    json_decref(e1);
    /* now the only version of a type in use: refused, saying why */
    snprintf(body, sizeof body, "%s/%lld", F, first);
    o = call(&s, "DELETE", off, body, NULL, 409);
    CHECK(strstr(th_err_message(o), "without a factor") != NULL);
    json_decref(o);

    /* a version dated back says whose reported totals it recomputes */
    o = call(&s, "POST", off, F,
             "{\"energy_type\":\"electricity\",\"unit\":\"kWh\",\"kg_co2e_per_unit\":0.55,"
             "\"kgce_per_unit\":0.1229,\"effective_from\":\"2024-10-01\"}",
             201);
    CHECK_INT(th_int(json_object_get(o, "recomputed"), "energy_records"),
              th_sql_int(&s, "SELECT COUNT(*) FROM energy_use WHERE energy_type = 'electricity'"
                             " AND period >= '2024-10'"));
    long long third = th_int(o, "id");
    json_decref(o);
    /* a second version on one date: correct the first instead (it says so) */
    o = call(&s, "POST", off, F,
             "{\"energy_type\":\"electricity\",\"unit\":\"kWh\",\"kg_co2e_per_unit\":0.5,"
             "\"kgce_per_unit\":0.1229,\"effective_from\":\"2024-10-01\"}",
             409);
    CHECK(strstr(th_err_message(o), "correct") != NULL);
    json_decref(o);
    /* a version for a type nobody recorded: nothing recomputed, and it can go */
    o = call(&s, "POST", off, F,
             "{\"energy_type\":\"lpg\",\"unit\":\"kg\",\"kg_co2e_per_unit\":3.1,"
             "\"kgce_per_unit\":1.7,\"effective_from\":\"2020-01-01\",\"dry_run\":true}",
             200);
    CHECK_INT(th_int(json_object_get(o, "recomputed"), "energy_records"), 0);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM emission_factors WHERE energy_type = 'lpg'"), 0);
    snprintf(body, sizeof body, "%s/%lld", F, third);
    json_decref(call(&s, "DELETE", off, body, NULL, 200));
    json_decref(e0);
    th_stop(&s);
}

TEST_T(indicator_target_checked_and_corrected, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    static const char *const T = "/api/v1/indicators/targets";
    /* the reviewer's: a target of 0 was accepted and could not be fixed */
    refused(&s, "POST", off, T, "{\"code\":\"freight_volume\",\"period\":\"2030\",\"value\":0}",
            422, "out_of_range", "value");
    refused(&s, "POST", off, T, "{\"code\":\"freight_volume\",\"period\":\"2030\",\"value\":-5}",
            422, "out_of_range", "value");
    json_decref(call(&s, "POST", off, "/api/v1/indicators",
                     "{\"code\":\"green_share\",\"name\":\"绿电占比\",\"unit\":\"%\","
                     "\"kind\":\"share\"}",
                     201));
    refused(&s, "POST", off, T, "{\"code\":\"green_share\",\"period\":\"2030\",\"value\":120}", 422,
            "out_of_range", "value");
    json_decref(call(&s, "POST", off, T,
                     "{\"code\":\"green_share\",\"period\":\"2030\",\"value\":60}", 201));
    /* a rate may aim below 0 (a planned decline) */
    json_t *o = call(&s, "POST", off, "/api/v1/indicators",
                     "{\"code\":\"coal_growth\",\"name\":\"煤耗增速\",\"unit\":\"%\","
                     "\"kind\":\"rate\"}",
                     201);
    json_decref(o);
    json_decref(call(&s, "POST", off, T,
                     "{\"code\":\"coal_growth\",\"period\":\"2030\",\"value\":-3}", 201));
    o = call(&s, "POST", off, T, "{\"code\":\"freight_volume\",\"period\":\"2030\",\"value\":3000}",
             201);
    char path[96];
    snprintf(path, sizeof path, "%s/%lld", T, th_int(o, "id"));
    json_decref(o);
    /* on re-entry the conflict names the way out */
    o = call(&s, "POST", off, T, "{\"code\":\"freight_volume\",\"period\":\"2030\",\"value\":3200}",
             409);
    CHECK(strstr(th_err_message(o), "PATCH") != NULL);
    json_decref(o);
    refused(&s, "PATCH", off, path, "{\"value\":3200}", 422, "missing_field", "version");
    refused(&s, "PATCH", off, path, "{\"version\":3,\"value\":3200}", 409, "version_conflict",
            "version");
    refused(&s, "PATCH", view, path, "{\"version\":1,\"value\":3200}", 403, "forbidden", "");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"value\":0}", 422, "out_of_range", "value");
    refused(&s, "PATCH", off, path, "{\"version\":1,\"period\":\"2031\"}", 422, "unknown_field",
            "period");
    o = call(&s, "PATCH", off, path, "{\"version\":1,\"value\":3200,\"note\":\"规划修编\"}", 200);
    CHECK_NEAR(num(o, "value"), 3200, 0);
    CHECK_STR(th_str(o, "note"), "规划修编");
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'indicator_target' AND"
                             " action = 'update' AND before_json LIKE '%3000%' AND after_json"
                             " LIKE '%3200%'"),
              1);
    o = call(&s, "GET", view,
             "/api/v1/indicators/derived?fn=progress&code=freight_volume&period=2023&target=2030",
             NULL, 200);
    CHECK_NEAR(num(json_object_get(o, "target"), "value"), 3200, 0);
    json_decref(o);
    json_decref(call(&s, "GET", view, path, NULL, 200));
    th_stop(&s);
}

/* The command line lists, sets and corrects targets, and corrects and removes a factor. */
TEST_T(cli_indicator_targets_and_carbon_factors, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "add", "--json",
                  "{\"code\":\"freight\",\"name\":\"货运量\",\"unit\":\"万吨\",\"kind\":\"level\"}",
                  "--db", db),
              0);
    CHECK_INT(RUN(out, "indicator", "target-set", "--json",
                  "{\"code\":\"freight\",\"period\":\"2035\",\"value\":0}", "--db", db),
              1);
    CHECK(strstr(out, "out_of_range") != NULL);
    CHECK_INT(RUN(out, "indicator", "target-set", "--json",
                  "{\"code\":\"freight\",\"period\":\"2035\",\"value\":400}", "--db", db),
              0);
    json_t *o = json_loads(out, 0, NULL);
    char id[24];
    snprintf(id, sizeof id, "%lld", th_int(o, "id"));
    json_decref(o);
    /* without "version": the current one */
    CHECK_INT(RUN(out, "indicator", "target-update", id, "--json", "{\"value\":4000}", "--db", db),
              0);
    CHECK(strstr(out, "\"version\": 2") != NULL);
    CHECK_INT(RUN(out, "indicator", "target-update", id, "--json", "{\"version\":1,\"value\":4100}",
                  "--db", db),
              1);
    CHECK(strstr(out, "version_conflict") != NULL);
    CHECK_INT(RUN(out, "indicator", "targets", "--code", "freight", "--db", db), 0);
    CHECK(strstr(out, "\"value\": 4000") != NULL);
    CHECK_INT(RUN(out, "indicator", "target-update", "999", "--json", "{\"value\":1}", "--db", db),
              1);

    CHECK_INT(RUN(out, "carbon", "factor-add", "--json",
                  "{\"energy_type\":\"diesel\",\"unit\":\"L\",\"kg_co2e_per_unit\":26.8,"
                  "\"kgce_per_unit\":1.224,\"effective_from\":\"2023-01-01\"}",
                  "--db", db),
              0);
    o = json_loads(out, 0, NULL);
    char fid[24];
    snprintf(fid, sizeof fid, "%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(RUN(out, "carbon", "energy-add", "--json",
                  "{\"sector\":\"transport\",\"period\":\"2023-03\",\"energy_type\":\"diesel\","
                  "\"quantity\":10}",
                  "--db", db),
              0);
    CHECK_INT(RUN(out, "carbon", "factor-update", fid, "--json", "{\"kg_co2e_per_unit\":2.68}",
                  "--db", db),
              0);
    CHECK(strstr(out, "\"energy_records\": 1") != NULL);
    CHECK_INT(RUN(out, "carbon", "energy", "--db", db), 0);
    CHECK(strstr(out, "\"t_co2e\": 0.0268") != NULL);
    CHECK_INT(RUN(out, "carbon", "factor-delete", fid, "--dry-run", "--db", db), 1);
    CHECK(strstr(out, "factor_in_use") != NULL);
    CHECK_INT(RUN(out, "carbon", "factor-delete", fid, "--version", "x", "--db", db), 2);
}

/* The intensity's sources are value rows like every other figure's: indicator, period,
 * value, source (they were bare ids the console could only show as numbers). */
TEST_T(carbon_intensity_sources_are_value_rows, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char view[80];
    th_login(&s, "viewer", s.demo_pw, view);
    json_t *d = call(&s, "GET", view, "/api/v1/dashboard", NULL, 200);
    json_t *figs = json_object_get(d, "figures"), *g = NULL;
    for (size_t i = 0; i < json_array_size(figs); i++)
        if (!strcmp(th_str(json_array_get(figs, i), "key"), "energy_intensity_decline"))
            g = json_object_get(json_array_get(figs, i), "figure");
    CHECK(g != NULL);
    json_t *src = json_object_get(g, "sources");
    CHECK(json_array_size(src) >= 2);
    for (size_t i = 0; i < json_array_size(src); i++) {
        json_t *r = json_array_get(src, i);
        CHECK(json_is_object(r));
        CHECK(th_int(r, "value_id") > 0);
        CHECK(json_is_string(json_object_get(r, "code")));
        CHECK(json_is_string(json_object_get(r, "period")));
        CHECK(json_is_number(json_object_get(r, "value")));
        CHECK(json_is_string(json_object_get(r, "source")));
    }
    CHECK_STR(th_str(json_array_get(src, 0), "code"), "gdp");
    json_decref(d);
    d = call(&s, "GET", view, "/api/v1/carbon/intensity/years", NULL, 200);
    json_t *it = json_array_get(json_object_get(d, "items"), 0);
    CHECK(json_is_object(json_array_get(json_object_get(it, "sources"), 0)));
    json_decref(d);
    th_stop(&s);
}

/* The dashboard as text, its keys sorted: to compare before and after. */
static char *dashboard_text(th_server *s, const char *tok)
{
    json_t *d = call(s, "GET", tok, "/api/v1/dashboard", NULL, 200);
    char *t = json_dumps(d, JSON_SORT_KEYS);
    json_decref(d);
    return t;
}

/* A value typed for the wrong period is removed (DELETE with its version) with its revisions:
 * not with a stale version, not by a viewer; audited with the value and its revisions in
 * before; the derived figures and the dashboard are as they were before it was entered. */
TEST_T(indicator_value_typed_for_the_wrong_period_is_removed, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80], view[80], path[96], q[400];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    char *d0 = dashboard_text(&s, view);
    /* GDP for 2024 typed as 0, then revised to another wrong figure */
    json_t *o = call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"gdp\",\"period\":\"2024\",\"value\":0}", 201);
    long long id = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", id);
    json_decref(call(&s, "PATCH", off, path, "{\"version\":1,\"value\":7}", 200));
    o = call(&s, "GET", view, "/api/v1/indicators/derived?fn=yoy&code=gdp&period=2024", NULL, 200);
    CHECK(num(o, "value") < -98);
    json_decref(o);
    char *d1 = dashboard_text(&s, view);
    CHECK(strcmp(d0, d1) != 0); /* the stray value counts */
    free(d1);

    snprintf(q, sizeof q, "%s?version=1", path);
    refused(&s, "DELETE", off, q, NULL, 409, "version_conflict", "version");
    snprintf(q, sizeof q, "%s?version=2", path);
    refused(&s, "DELETE", view, q, NULL, 403, "forbidden", "");
    snprintf(q, sizeof q, "%s?version=x", path);
    refused(&s, "DELETE", off, q, NULL, 400, "bad_query", "version");
    snprintf(q, sizeof q, "%s?version=2", path);
    CHECK_INT(th_call(&s, "DELETE", q, off, NULL, NULL), 204);
    json_decref(call(&s, "GET", view, path, NULL, 404));
    refused(&s, "DELETE", off, path, NULL, 404, "not_found", "id");
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_revisions WHERE value_id NOT IN"
                             " (SELECT id FROM indicator_values)"),
              0);
    /* audited: the value as it was, with its revision (0 → 7) */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'indicator_value' AND action = 'delete'"
             " AND entity_id = %lld AND after_json IS NULL",
             id);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q,
             "SELECT json_extract(before_json, '$.value') * 10 + json_array_length(before_json,"
             " '$.revisions') * 1000 + json_extract(before_json, '$.revisions[0].old_value') FROM"
             " audit WHERE entity = 'indicator_value' AND action = 'delete' AND entity_id = %lld",
             id);
    CHECK_INT(th_sql_int(&s, q), 1070);
    /* the figures are those before the slip */
    o = call(&s, "GET", view, "/api/v1/indicators/derived?fn=yoy&code=gdp&period=2024", NULL, 404);
    CHECK_STR(th_err_code(o), "missing_value");
    json_decref(o);
    char *d2 = dashboard_text(&s, view);
    CHECK_STR(d2, d0);
    free(d2);
    free(d0);
    /* the period is free again */
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"gdp\",\"period\":\"2024\",\"value\":560}", 201));
    th_stop(&s);
}

/* A target is removed the same way; progress no longer uses it. */
TEST_T(indicator_target_is_removed, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80], town[80], path[96], q[400];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    json_t *o = call(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"energy_consumption\",\"period\":\"2030\",\"value\":110}", 201);
    long long id = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/indicators/targets/%lld", id);
    json_decref(call(&s, "PATCH", off, path, "{\"version\":1,\"value\":111}", 200));
    json_decref(call(&s, "GET", off,
                     "/api/v1/indicators/derived?fn=progress&code=energy_consumption&period=2023",
                     NULL, 200));
    snprintf(q, sizeof q, "%s?version=1", path);
    refused(&s, "DELETE", off, q, NULL, 409, "version_conflict", "version");
    refused(&s, "DELETE", town, path, NULL, 403, "forbidden", "");
    snprintf(q, sizeof q, "%s?version=2", path);
    CHECK_INT(th_call(&s, "DELETE", q, off, NULL, NULL), 204);
    json_decref(call(&s, "GET", off, path, NULL, 404));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'indicator_target' AND action = 'delete'"
             " AND entity_id = %lld AND json_extract(before_json, '$.value') = 111",
             id);
    CHECK_INT(th_sql_int(&s, q), 1);
    o = call(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=energy_consumption&period=2023", NULL,
             404);
    CHECK_STR(th_err_code(o), "missing_target");
    json_decref(o);
    th_stop(&s);
}

/* The command line removes a value and a target as the API does. */
TEST_T(cli_indicator_delete_and_target_delete, 60)
{
    char out[1 << 16] = {0};
    char db[600], id[24];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "add", "--json",
                  "{\"code\":\"gdp\",\"name\":\"GDP\",\"unit\":\"亿元\",\"kind\":\"level\"}",
                  "--db", db),
              0);
    CHECK_INT(RUN(out, "indicator", "set", "--json",
                  "{\"code\":\"gdp\",\"period\":\"2023\",\"value\":5}", "--db", db),
              0);
    json_t *o = json_loads(out, 0, NULL);
    snprintf(id, sizeof id, "%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(RUN(out, "indicator", "delete", id, "--version", "x", "--db", db), 2);
    CHECK_INT(RUN(out, "indicator", "delete", id, "--version", "2", "--db", db), 1);
    CHECK(strstr(out, "version_conflict") != NULL);
    CHECK_INT(RUN(out, "indicator", "delete", id, "--version", "1", "--db", db), 0);
    CHECK(strstr(out, "\"deleted\"") != NULL);
    CHECK_INT(RUN(out, "indicator", "values", "--code", "gdp", "--db", db), 0);
    CHECK(strstr(out, "\"items\": []") != NULL);
    CHECK_INT(RUN(out, "indicator", "target-set", "--json",
                  "{\"code\":\"gdp\",\"period\":\"2030\",\"value\":900}", "--db", db),
              0);
    o = json_loads(out, 0, NULL);
    snprintf(id, sizeof id, "%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(RUN(out, "indicator", "target-delete", id, "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "targets", "--db", db), 0);
    CHECK(strstr(out, "900") == NULL);
}

/* The dashboard figure of key (its "figure"), in d. */
static json_t *dash_figure(json_t *d, const char *key)
{
    json_t *figs = json_object_get(d, "figures");
    for (size_t i = 0; i < json_array_size(figs); i++)
        if (!strcmp(th_str(json_array_get(figs, i), "key"), key))
            return json_object_get(json_array_get(figs, i), "figure");
    t_fail(__FILE__, __LINE__, "no dashboard figure %s", key);
    return NULL;
}

/* The intensity's year in the list of years, or NULL. */
static json_t *listed_year(json_t *o, int year)
{
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "year") == year) return json_array_get(items, i);
    return NULL;
}

/* The intensity is 422 undefined at year, naming the value (code, year, value id), in
 * GET /carbon/intensity, the list of years and the dashboard alike. */
static void intensity_undefined(th_server *s, const char *tok, int year, const char *code, int of,
                                long long id)
{
    char path[96], want[160];
    snprintf(path, sizeof path, "/api/v1/carbon/intensity?year=%d", year);
    json_t *o = call(s, "GET", tok, path, NULL, 422);
    CHECK_STR(th_err_code(o), "undefined");
    CHECK_STR(th_err_field(o), "year");
    snprintf(want, sizeof want, "%s of 平谷区 for %d is ", code, of);
    CHECK(strstr(th_err_message(o), want) != NULL);
    snprintf(want, sizeof want, "(value %lld)", id);
    CHECK(strstr(th_err_message(o), want) != NULL);
    char *msg = strdup(th_err_message(o));
    json_decref(o);
    o = call(s, "GET", tok, "/api/v1/carbon/intensity/years", NULL, 200);
    json_t *it = listed_year(o, year);
    CHECK(it != NULL);
    CHECK(json_is_false(json_object_get(it, "comparable")));
    CHECK_STR(th_str(it, "reason"), "undefined");
    json_t *v = json_object_get(it, "value");
    CHECK_STR(th_str(v, "code"), code);
    CHECK_INT(th_int(v, "year"), of);
    CHECK_INT(th_int(v, "value_id"), id);
    CHECK_STR(th_str(it, "message"), msg);
    json_decref(o);
    o = call(s, "GET", tok, "/api/v1/dashboard", NULL, 200);
    json_t *f = dash_figure(o, "energy_intensity_decline");
    CHECK_STR(th_str(f, "missing"), "undefined");
    CHECK_STR(th_str(f, "message"), msg);
    json_decref(o);
    free(msg);
}

/* Energy below 0 and GDP of 0 recorded give no intensity: 422 undefined naming the value, not a
 * negative intensity with a decline above 100 %, nor 404 "missing" for data that are there. */
TEST_T(carbon_intensity_undefined_for_negative_energy_and_zero_gdp, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80], view[80], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    json_t *o = call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"energy_consumption\",\"period\":\"2024\",\"value\":-5}", 201);
    long long e24 = th_int(o, "id");
    json_decref(o);
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"gdp\",\"period\":\"2024\",\"value\":560}", 201));
    intensity_undefined(&s, view, 2024, "energy_consumption", 2024, e24);
    o = call(&s, "GET", view, "/api/v1/carbon/intensity?year=2024", NULL, 422);
    CHECK(strstr(th_err_message(o), "is -5 ") != NULL);
    json_decref(o);

    /* corrected: an intensity; then GDP 2025 typed as 0 with the energy of 2025 */
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", e24);
    json_decref(call(&s, "PATCH", off, path, "{\"version\":1,\"value\":130}", 200));
    o = call(&s, "GET", view, "/api/v1/carbon/intensity?year=2024", NULL, 200);
    CHECK(num(o, "intensity") > 0 && num(o, "decline_rate") < 100);
    json_decref(o);
    o = call(&s, "POST", off, "/api/v1/indicators/values",
             "{\"code\":\"gdp\",\"period\":\"2025\",\"value\":0}", 201);
    long long g25 = th_int(o, "id");
    json_decref(o);
    json_decref(call(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"energy_consumption\",\"period\":\"2025\",\"value\":120}", 201));
    intensity_undefined(&s, view, 2025, "gdp", 2025, g25);
    /* 2024 still compares with 2023, and is listed as such */
    o = call(&s, "GET", view, "/api/v1/carbon/intensity/years", NULL, 200);
    CHECK(json_is_true(json_object_get(listed_year(o, 2024), "comparable")));
    json_decref(o);

    /* a base year's energy of 0: no decline from an intensity of 0 */
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", g25);
    json_decref(call(&s, "PATCH", off, path, "{\"version\":1,\"value\":600}", 200));
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", e24);
    json_decref(call(&s, "PATCH", off, path, "{\"version\":2,\"value\":0}", 200));
    intensity_undefined(&s, view, 2025, "energy_consumption", 2024, e24);
    th_stop(&s);
}

/* Regression: the emissions by organisation answered 413 too_many_groups once more than 500
 * organisations had recorded use in a year (the demo's registry has 3013). By organisation the
 * answer is the top organisations by emissions (top, 20 by default) and the rest as one group
 * ({others: true, organisations}) whose sum keeps the total. */
TEST_T(carbon_emissions_by_organisation_top_and_others, 90)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    /* 600 organisations, each with 2023's electricity: organisation i uses i × 1000 kWh */
    th_sql_exec(&s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i <"
                    " 600) INSERT INTO organisations (id, name, type, created_at, updated_at)"
                    " SELECT 900000 + i, '用能企业' || i, 'enterprise', 0, 0 FROM n");
    th_sql_exec(&s, "INSERT INTO energy_use (organisation_id, sector, period, year, energy_type,"
                    " quantity, source, created_at, created_by, updated_at) SELECT id,"
                    " 'industry', '2023', 2023, 'electricity', (id - 900000) * 1000.0, 'manual',"
                    " 0, 't', 0 FROM organisations WHERE id > 900000");
    json_t *o =
        call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023&by=organisation", NULL, 200);
    json_t *groups = json_object_get(o, "groups");
    CHECK_INT(th_int(o, "rows"), 600);
    CHECK_INT(th_int(o, "top"), 20);
    CHECK_INT(th_int(o, "organisations"), 600);
    CHECK_INT(th_int(o, "other_organisations"), 580);
    CHECK_INT(json_array_size(groups), 21);
    /* most emissions first: organisation 600, 599, … 581; then the others */
    double sum = 0, share = 0;
    for (size_t i = 0; i < json_array_size(groups); i++) {
        json_t *g = json_array_get(groups, i);
        sum += num(g, "t_co2e");
        share += num(g, "share");
        if (i < 20) CHECK_INT(th_int(g, "organisation_id"), 900600 - (long long)i);
    }
    CHECK_STR(th_str(json_array_get(groups, 0), "key"), "用能企业600");
    json_t *rest = json_array_get(groups, 20);
    CHECK(json_is_true(json_object_get(rest, "others")));
    CHECK(json_is_null(json_object_get(rest, "key")));
    CHECK(json_is_null(json_object_get(rest, "organisation_id")));
    CHECK_INT(th_int(rest, "organisations"), 580);
    /* organisations 1 … 580: 580 × 581 / 2 × 1000 kWh × 0.581 kg */
    CHECK_NEAR(num(rest, "t_co2e"), 580.0 * 581 / 2 * 1000 * 0.581 / 1000, 1e-6);
    CHECK_NEAR(sum, num(o, "total_t_co2e"), 1e-6);
    CHECK_NEAR(share, 100, 1e-9);
    json_decref(o);
    /* top asked for; the use without an organisation stays its own group */
    json_decref(call(&s, "POST", off, "/api/v1/carbon/energy",
                     "{\"sector\":\"public\",\"period\":\"2023\",\"energy_type\":\"electricity\","
                     "\"quantity\":5}",
                     201));
    o = call(&s, "GET", off, "/api/v1/carbon/emissions?year=2023&by=organisation&top=3", NULL, 200);
    groups = json_object_get(o, "groups");
    CHECK_INT(json_array_size(groups), 5);
    CHECK_INT(th_int(o, "other_organisations"), 597);
    int none = 0;
    for (size_t i = 0; i < json_array_size(groups); i++) {
        json_t *g = json_array_get(groups, i);
        none +=
            json_is_null(json_object_get(g, "organisation_id")) && !json_object_get(g, "others");
    }
    CHECK_INT(none, 1);
    json_decref(o);
    /* top is a count of organisations, and only by organisation */
    refused(&s, "GET", off, "/api/v1/carbon/emissions?year=2023&by=organisation&top=0", NULL, 400,
            "bad_query", "top");
    refused(&s, "GET", off, "/api/v1/carbon/emissions?year=2023&by=organisation&top=501", NULL, 400,
            "bad_query", "top");
    refused(&s, "GET", off, "/api/v1/carbon/emissions?year=2023&by=sector&top=3", NULL, 400,
            "bad_query", "top");
    th_stop(&s);
}
