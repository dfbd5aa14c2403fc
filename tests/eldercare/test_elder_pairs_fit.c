/* A pair kept is one pairing would make: a helper's skill taken away, or an elder's need added or
 * preference changed, while their pair is active is 409 conflict on the field that changed
 * (nothing written); with the pair ended first the change is saved. The link of a helper record
 * to an elder outside the caller's scope (read as null) is kept by sending null back, but naming
 * that elder's id is as unknown as naming any other, and the record is not made active again
 * while that elder is not. A quick entry line moved earlier onto the same service logged
 * already is a duplicate, not a second credit. */
#include "core/util.h"
#include "el_fixture.h"

static long long version_of(th_server *s, const char *table, long long id)
{
    char q[120];
    snprintf(q, sizeof q, "SELECT version FROM %s WHERE id = %lld", table, id);
    return th_sql_int(s, q);
}

static void patch(th_server *s, const char *tok, const char *table, long long id,
                  const char *fields, int want, const char *code, const char *field, int line)
{
    char path[80], body[400];
    snprintf(path, sizeof path, "/api/v1/%s/%lld", table, id);
    snprintf(body, sizeof body, "{\"version\":%lld,%s}", version_of(s, table, id), fields);
    json_t *o = el_call(s, tok, "PATCH", path, body, want, line);
    if (code && strcmp(th_err_code(o) ? th_err_code(o) : "", code))
        t_fail(__FILE__, line, "PATCH %s %s: code %s, expected %s", path, fields,
               th_err_code(o) ? th_err_code(o) : "-", code);
    if (field && strcmp(th_err_field(o) ? th_err_field(o) : "", field))
        t_fail(__FILE__, line, "PATCH %s %s: field %s, expected %s", path, fields,
               th_err_field(o) ? th_err_field(o) : "-", field);
    json_decref(o);
}
#define PATCH(s, tok, table, id, fields, want, code, field)                                        \
    patch(s, tok, table, id, fields, want, code, field, __LINE__)

static long long pair(th_server *s, const char *tok, long long elder, long long helper)
{
    char body[128];
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", elder, helper);
    json_t *o = EL(s, tok, "POST", "/api/v1/pairs", body, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

static void pair_end(th_server *s, const char *tok, long long pair_id)
{
    char path[80], body[80];
    snprintf(path, sizeof path, "/api/v1/pairs/%lld/end", pair_id);
    snprintf(body, sizeof body, "{\"version\":%lld}", version_of(s, "elder_pairs", pair_id));
    json_decref(EL(s, tok, "POST", path, body, 200));
}

TEST_T(eldercare_pairs_keep_fitting_their_needs, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long e1 = el_elder(&s, g, grid, 80, "");
    long long e2 = el_elder(&s, g, grid, 81, "");
    long long h = el_helper(&s, g, grid, 80, "1968-01-01", 'F', "");
    long long p1 = pair(&s, off, e1, h);
    /* the helper's companionship taken away: e1 needs it */
    long long hv = version_of(&s, "helpers", h);
    PATCH(&s, g, "helpers", h, "\"skills\":[\"meals\"]", 409, "conflict", "skills");
    CHECK_INT(version_of(&s, "helpers", h), hv);
    /* nor a helper of another sex than e1 prefers (the sex corrected with the ID number) */
    char idn[19], body[200];
    el_id(idn, "19680101", 80, 'M');
    snprintf(body, sizeof body, "\"sex\":\"M\",\"id_number\":\"%s\"", idn);
    PATCH(&s, g, "elders", e1, "\"helper_sex_pref\":\"F\"", 200, NULL, NULL);
    PATCH(&s, g, "helpers", h, body, 409, "conflict", "sex");
    CHECK_INT(version_of(&s, "helpers", h), hv);
    PATCH(&s, g, "elders", e1, "\"helper_sex_pref\":\"M\"", 409, "conflict", "helper_sex_pref");
    /* the elder's needs: meals added by hand or by meal_provider helper, while the helper
     * lacks meals */
    PATCH(&s, g, "helpers", h, "\"skills\":[\"companionship\"]", 200, NULL, NULL);
    long long ev = version_of(&s, "elders", e1);
    PATCH(&s, g, "elders", e1, "\"help_needed\":[\"companionship\",\"meals\"]", 409, "conflict",
          "help_needed");
    PATCH(&s, g, "elders", e1, "\"meal_provider\":\"helper\"", 409, "conflict", "meal_provider");
    CHECK_INT(version_of(&s, "elders", e1), ev);
    /* a need taken away is no conflict; an unpaired elder's needs are theirs to change */
    PATCH(&s, g, "elders", e2, "\"help_needed\":[\"companionship\",\"meals\"]", 200, NULL, NULL);
    /* the pair ended first, the changes are saved */
    pair_end(&s, off, p1);
    PATCH(&s, g, "elders", e1, "\"meal_provider\":\"helper\"", 200, NULL, NULL);
    PATCH(&s, g, "helpers", h, "\"skills\":[\"meals\"]", 200, NULL, NULL);
    th_stop(&s);
}

TEST_T(eldercare_hidden_helper_link_is_not_confirmed_nor_revived, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], path[80], body[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s), there = el_grid_other_township(&s, grid);
    CHECK(there > 0);
    /* one person, elder and helper (linked) on grid01's grid; the elder moves to another
     * township (grid01 no longer sees it) and dies there */
    long long e = el_person_elder(&s, off, grid, 90);
    long long h = el_person_helper(&s, off, grid, 90, e);
    long long other = el_elder(&s, off, there, 91, "");
    snprintf(body, sizeof body, "\"grid_id\":%lld", there);
    PATCH(&s, off, "elders", e, body, 200, NULL, NULL);
    PATCH(&s, off, "elders", e, "\"status\":\"deceased\"", 200, NULL, NULL);
    snprintf(path, sizeof path, "SELECT active FROM helpers WHERE id = %lld", h);
    CHECK_INT(th_sql_int(&s, path), 0);
    /* grid01 reads the link as null */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h);
    json_t *o = EL(&s, g, "GET", path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "elder_id")));
    json_decref(o);
    /* naming the hidden elder is as naming another elder outside grid01's grids */
    char a[200], b[200];
    snprintf(body, sizeof body, "{\"version\":%lld,\"elder_id\":%lld}",
             version_of(&s, "helpers", h), e);
    o = EL(&s, g, "PATCH", path, body, 422);
    CHECK_STR(th_err_code(o), "unknown_id");
    CHECK_STR(th_err_field(o), "elder_id");
    el_no_digits(o, a);
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"elder_id\":%lld}",
             version_of(&s, "helpers", h), other);
    o = EL(&s, g, "PATCH", path, body, 422);
    el_no_digits(o, b);
    CHECK_STR(a, b);
    json_decref(o);
    /* made active again while its elder record is deceased: refused, as for the officer */
    long long hv = version_of(&s, "helpers", h);
    PATCH(&s, g, "helpers", h, "\"active\":true", 422, "invalid_value", "active");
    PATCH(&s, g, "helpers", h, "\"elder_id\":null,\"active\":true", 422, "invalid_value", "active");
    PATCH(&s, off, "helpers", h, "\"active\":true", 422, "invalid_value", "active");
    CHECK_INT(version_of(&s, "helpers", h), hv);
    /* null sent back keeps the link while changing something else */
    PATCH(&s, g, "helpers", h, "\"elder_id\":null,\"phone\":\"13900001111\"", 200, NULL, NULL);
    snprintf(body, sizeof body, "SELECT elder_id FROM helpers WHERE id = %lld", h);
    CHECK_INT(th_sql_int(&s, body), e);
    th_stop(&s);
}

TEST_T(eldercare_quick_entry_moved_onto_a_logged_service_is_a_duplicate, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], body[400], tin[21];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long a = el_elder(&s, g, grid, 95, "");
    long long b = el_elder(&s, g, grid, 96, "");
    long long h = el_helper(&s, g, grid, 95, "1968-01-01", 'F', "");
    int64_t now = pj_now();
    /* the helper served b a meal the last 20 minutes, and kept a company 40–60 minutes ago */
    pj_time_iso(now - 20 * 60, tin);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"meal\",\"time_in\":\"%s\","
             "\"minutes\":20}",
             b, h, tin);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    pj_time_iso(now - 60 * 60, tin);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":"
             "\"%s\",\"minutes\":20}",
             a, h, tin);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    long long logs = th_sql_int(&s, "SELECT COUNT(*) FROM elder_service_logs");
    long long credits = th_sql_int(&s, "SELECT COUNT(*) FROM credit_entries");
    /* 30 minutes of company without a time: ends where b's meal began, over the company
     * logged already — the same service */
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"companionship\",\"helper_id\":%lld,"
             "\"minutes\":30}]}",
             a, h);
    json_t *o = EL(&s, g, "POST", "/api/v1/service-logs", body, 409);
    CHECK_STR(th_err_code(o), "duplicate");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_service_logs"), logs);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM credit_entries"), credits);
    /* 10 minutes fit between the company and the meal: moved there, logged */
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"companionship\",\"helper_id\":%lld,"
             "\"minutes\":10}]}",
             a, h);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_service_logs"), logs + 1);
    th_stop(&s);
}

/* A phone someone calls back: an elder's, a helper's and an emergency contact's new number has
 * the digits of one (7–15, a mobile beginning with 1 eleven: "12345" was saved and could not be
 * called); a number the record holds already, sent back as it is, is kept. */
TEST_T(eldercare_phones_can_be_called_back, 60)
{
    th_server s;
    th_start(&s, 1);
    char g[80], body[600];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long e = el_elder(&s, g, grid, 97, "");
    long long h = el_helper(&s, g, grid, 97, "1968-01-01", 'F', "");
    PATCH(&s, g, "elders", e, "\"phone\":\"12345\"", 422, "invalid_value", "phone");
    PATCH(&s, g, "elders", e, "\"phone\":\"1380000123\"", 422, "invalid_value", "phone");
    PATCH(&s, g, "helpers", h, "\"phone\":\"123456\"", 422, "invalid_value", "phone");
    PATCH(&s, g, "elders", e,
          "\"emergency_contacts\":[{\"name\":\"张三\",\"relation\":\"child\",\"phone\":\"12345\"}]",
          422, "invalid_value", "emergency_contacts");
    PATCH(&s, g, "elders", e, "\"phone\":\"010-69961234\"", 200, NULL, NULL);
    /* a short number the record holds (entered before this rule), sent back, is kept */
    snprintf(body, sizeof body,
             "UPDATE elders SET phone = '12345', emergency_contacts = '[{\"name\":\"张三\","
             "\"relation\":\"child\",\"phone\":\"54321\"}]' WHERE id = %lld",
             e);
    th_sql_exec(&s, body);
    PATCH(&s, g, "elders", e,
          "\"phone\":\"12345\",\"emergency_contacts\":[{\"name\":\"张三\",\"relation\":"
          "\"child\",\"phone\":\"54321\"}],\"household\":\"独居\"",
          200, NULL, NULL);
    th_stop(&s);
}
