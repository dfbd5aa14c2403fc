/* The carbon review as real users: an enterprise user reads only its own organisation's energy
 * use (another's is 404, its emissions its own in every grouping), a township officer its
 * township's firms and the sector totals; a factor version is corrected and removed (version,
 * audited, the totals following, 409 when recorded use would be left without one) and every
 * factor write says whose totals it recomputes; a target of 0 is refused and a target can be
 * corrected; the intensity's sources are value rows like every other figure's. */
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

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
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
    load_demo(&s);
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
    load_demo(&s);
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
    load_demo(&s);
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
    static char out[1 << 16];
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
    load_demo(&s);
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
