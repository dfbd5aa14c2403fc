/* A change (PATCH) names what it changes: a null there is no value to store. A field that
 * cannot be empty answers 422 invalid_value on that field and nothing is written — these routes
 * once answered 200 and kept the old value, so a client that meant to clear a field was told
 * it had. A field that can be empty (a reference, an elder's family doctor) is cleared by null. */
#include <stdio.h>
#include <string.h>

#include "domain/ecommerce.h"
#include "domain/enterprise.h"
#include "domain/indicator.h"
#include "eldercare/el_fixture.h"
#include "t.h"
#include "th.h"

static long long version_of(th_server *s, const char *tok, const char *path)
{
    json_t *o;
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    long long v = th_int(o, "version");
    json_decref(o);
    return v;
}

TEST_T(api_patch_null_is_refused_on_fields_that_cannot_be_empty, 90)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 200);
    th_demo(&s, pj_indicators_demo);
    th_demo(&s, pj_ecommerce_demo);
    th_demo(&s, pj_academy_demo);
    th_demo(&s, pj_enterprise_demo);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    static const struct {
        const char *table, *where, *path, *field;
    } rows[] = {
        {"users", "username = 'officer'", "/api/v1/users/%lld", "display_name"},
        {"users", "username = 'officer'", "/api/v1/users/%lld", "role"},
        {"users", "username = 'officer'", "/api/v1/users/%lld", "disabled"},
        {"facilities", "1", "/api/v1/facilities/%lld", "name"},
        {"facilities", "1", "/api/v1/facilities/%lld", "peacetime_capacity"},
        {"facilities", "1", "/api/v1/facilities/%lld", "address"},
        {"facilities", "1", "/api/v1/facilities/%lld", "lat"},
        {"stock_lines", "1", "/api/v1/stock/%lld", "quantity"},
        {"stock_lines", "1", "/api/v1/stock/%lld", "category"},
        {"regions", "type = 'village'", "/api/v1/regions/%lld", "population"},
        {"regions", "type = 'village'", "/api/v1/regions/%lld", "name"},
        {"organisations", "1", "/api/v1/organisations/%lld", "industry"},
        {"organisations", "1", "/api/v1/organisations/%lld", "contact_phone"},
        {"elders", "1", "/api/v1/elders/%lld", "name"},
        {"elders", "1", "/api/v1/elders/%lld", "meal_days"},
        {"elders", "1", "/api/v1/elders/%lld", "living_alone"},
        {"helpers", "1", "/api/v1/helpers/%lld", "capacity"},
        {"helpers", "1", "/api/v1/helpers/%lld", "availability"},
        {"elder_centres", "1", "/api/v1/elder-centres/%lld", "capacity"},
        {"indicators", "1", "/api/v1/indicators/%lld", "name"},
        {"indicator_values", "1", "/api/v1/indicators/values/%lld", "note"},
        {"indicator_targets", "1", "/api/v1/indicators/targets/%lld", "value"},
        {"energy_use", "1", "/api/v1/carbon/energy/%lld", "quantity"},
        {"emission_factors", "1", "/api/v1/carbon/factors/%lld", "kg_co2e_per_unit"},
        {"ac_courses", "1", "/api/v1/academy/courses/%lld", "hours"},
        {"ac_posts", "1", "/api/v1/academy/posts/%lld", "openings"},
        {"ac_cohorts", "1", "/api/v1/academy/cohorts/%lld", "capacity"},
        /* a cooperation post's title and state (200 and unchanged), a team type's name
         * (missing_field "name is required") */
        {"ent_coop_posts", "1", "/api/v1/enterprise/coop-posts/%lld", "title"},
        {"ent_coop_posts", "1", "/api/v1/enterprise/coop-posts/%lld", "state"},
        {"team_types", "1", "/api/v1/team-types/%lld", "name"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char sql[256], path[96], body[160];
        snprintf(sql, sizeof sql, "SELECT MIN(id) FROM %s WHERE %s", rows[i].table, rows[i].where);
        long long id = th_sql_int(&s, sql);
        if (id <= 0) t_fail(__FILE__, __LINE__, "no row: %s", sql);
        snprintf(path, sizeof path, rows[i].path, id);
        snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = %lld", rows[i].table, id);
        snprintf(body, sizeof body, "{\"version\":%lld,\"%s\":null}", th_sql_int(&s, sql),
                 rows[i].field);
        char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
        th_fingerprint(&s, before, sizeof before);
        json_t *o;
        int st = th_call(&s, "PATCH", path, tok, body, &o);
        if (st != 422) t_fail(__FILE__, __LINE__, "PATCH %s %s: %d, expected 422", path, body, st);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), rows[i].field);
        json_decref(o);
        th_fingerprint(&s, after, sizeof after);
        CHECK_STR(after, before);
    }
    th_stop(&s);
}

TEST(api_patch_null_clears_what_can_be_empty)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 200);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    char path[96], body[320];
    json_t *o;

    /* a facility's village: null leaves it in its township only */
    long long fac = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE village_id IS NOT NULL");
    CHECK(fac > 0);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fac);
    snprintf(body, sizeof body, "{\"version\":%lld,\"village_id\":null}",
             version_of(&s, tok, path));
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 200);
    CHECK(json_is_null(json_object_get(o, "village_id")));
    json_decref(o);

    /* a village's point, an organisation's credit code, a centre's point: null empties them,
     * lat and lon together */
    static const struct {
        const char *table, *path, *body, *cleared;
    } empties[] = {
        {"regions WHERE type = 'village' AND lat IS NOT NULL", "/api/v1/regions/%lld",
         "\"lat\":null,\"lon\":null", "lat"},
        {"organisations WHERE uscc IS NOT NULL", "/api/v1/organisations/%lld", "\"uscc\":null",
         "uscc"},
        {"elder_centres WHERE lat IS NOT NULL", "/api/v1/elder-centres/%lld",
         "\"lat\":null,\"lon\":null", "lat"},
    };
    for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
        char q[160];
        snprintf(q, sizeof q, "SELECT MIN(id) FROM %s", empties[i].table);
        long long id = th_sql_int(&s, q);
        if (id <= 0) t_fail(__FILE__, __LINE__, "no row: %s", q);
        snprintf(path, sizeof path, empties[i].path, id);
        long long ver = version_of(&s, tok, path);
        /* one of the pair alone is refused */
        if (strstr(empties[i].body, "lon")) {
            snprintf(body, sizeof body, "{\"version\":%lld,\"lat\":null}", ver);
            CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 422);
            json_decref(o);
        }
        snprintf(body, sizeof body, "{\"version\":%lld,%s}", ver, empties[i].body);
        CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 200);
        CHECK(json_is_null(json_object_get(o, empties[i].cleared)));
        CHECK_INT(th_int(o, "version"), ver + 1);
        json_decref(o);
    }

    /* an elder's family-doctor contract ended: the console sends its fields as null */
    long long elder = th_sql_int(&s, "SELECT MIN(id) FROM elders WHERE doctor_name IS NOT NULL"
                                     " AND doctor_from IS NOT NULL AND status = 'active'");
    CHECK(elder > 0);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", elder);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK(json_is_true(json_object_get(o, "doctor_contracted")));
    long long v = th_int(o, "version");
    json_decref(o);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'elder' AND entity_id = %lld", elder);
    long long audits = th_sql_int(&s, sql);
    /* only the dates: a contract needs its doctor, so the name alone may not go */
    snprintf(body, sizeof body, "{\"version\":%lld,\"doctor_name\":null}", v);
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 422);
    CHECK_STR(th_err_field(o), "doctor_name");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"version\":%lld,\"doctor_name\":null,\"doctor_clinic\":null,\"doctor_from\":null,"
             "\"doctor_until\":null,\"doctor_last_visit\":null}",
             v);
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 200);
    CHECK(json_is_null(json_object_get(o, "doctor_clinic")));
    CHECK(json_is_null(json_object_get(o, "doctor_from")));
    CHECK(json_is_null(json_object_get(o, "doctor_until")));
    CHECK(json_is_false(json_object_get(o, "doctor_contracted")));
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM elders WHERE id = %lld AND doctor_name IS NULL",
             elder);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'elder' AND entity_id = %lld", elder);
    CHECK_INT(th_sql_int(&s, sql), audits + 1);
    th_stop(&s);
}
