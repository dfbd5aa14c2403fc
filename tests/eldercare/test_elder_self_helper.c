/* A helper who is on the elders' register too (低龄助高龄: the helper's elder_id, or the same ID
 * number) is one person: never their own helper. The pairing run proposed him for himself, a
 * pair by hand and a proposal edit took him (422 invalid_value on helper_id now, nothing
 * written), and a service he logged on himself earned credits (422 on helper_id).
 * When that elder dies or moves away, the helper record stops as a helper set inactive does
 * (pairs ended "helper inactive", audited, in the status change's transaction), and the
 * helper's account no longer redeems (may_redeem false, 409 not_active). */
#include "core/util.h"
#include "eldercare/el_fixture.h"

/* The person born 1962-05-0d (seq) as an elder of grid, then as a helper of grid with the same
 * ID number, linked to the elder record when `link`. */
static void person(th_server *s, const char *tok, long long grid, int d, int seq, int link,
                   long long *elder, long long *helper)
{
    char id[19], b8[9], body[600];
    snprintf(b8, sizeof b8, "196205%02d", d);
    el_id(id, b8, seq, 'M');
    snprintf(body, sizeof body,
             "{\"name\":\"张互助%d\",\"sex\":\"M\",\"birth_date\":\"1962-05-%02d\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"ability_level\":0}",
             seq, d, id, grid);
    json_t *o = EL(s, tok, "POST", "/api/v1/elders", body, 201);
    *elder = th_int(o, "id");
    json_decref(o);
    char extra[40] = "";
    if (link) snprintf(extra, sizeof extra, ",\"elder_id\":%lld", *elder);
    snprintf(body, sizeof body,
             "{\"name\":\"张互助%d\",\"sex\":\"M\",\"birth_date\":\"1962-05-%02d\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"skills\":[\"companionship\",\"meals\"],\"capacity\":3%s}",
             seq, d, id, grid, extra);
    o = EL(s, tok, "POST", "/api/v1/helpers", body, 201);
    *helper = th_int(o, "id");
    json_decref(o);
}

static void refused(th_server *s, const char *tok, const char *method, const char *path,
                    const char *body, int line)
{
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = el_call(s, tok, method, path, body, 422, line);
    if (strcmp(th_err_code(o), "invalid_value") || strcmp(th_err_field(o), "helper_id"))
        t_fail(__FILE__, line, "%s %s: %s on %s", method, path, th_err_code(o), th_err_field(o));
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) t_fail(__FILE__, line, "%s %s wrote", method, path);
}

TEST_T(eldercare_no_one_is_their_own_helper, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[600], path[128], sql[300], t_in[21];
    pj_time_iso(pj_now() / 60 * 60 - 3 * 3600, t_in);
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long e1, h1, e2, h2;
    person(&s, g, grid, 1, 20, 1, &e1, &h1); /* linked by elder_id */
    person(&s, g, grid, 2, 21, 0, &e2, &h2); /* the same ID number only */
    /* a run on the grid: each is the other's only candidate (the same point, every skill) */
    snprintf(body, sizeof body, "{\"region_id\":%lld}", grid);
    json_t *run = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long rid = th_int(run, "id");
    json_decref(run);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pair_proposals WHERE run_id = %lld AND ((elder_id = %lld"
             " AND helper_id = %lld) OR (elder_id = %lld AND helper_id = %lld))",
             rid, e1, h1, e2, h2);
    CHECK_INT(th_sql_int(&s, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pair_proposals WHERE run_id = %lld AND ((elder_id = %lld"
             " AND helper_id = %lld) OR (elder_id = %lld AND helper_id = %lld))",
             rid, e1, h2, e2, h1);
    CHECK_INT(th_sql_int(&s, sql), 2);
    /* a proposal edited to the elder himself */
    snprintf(sql, sizeof sql,
             "SELECT id FROM elder_pair_proposals WHERE run_id = %lld AND elder_id = %lld", rid,
             e1);
    long long pid = th_sql_int(&s, sql);
    snprintf(path, sizeof path, "/api/v1/pair-proposals/%lld", pid);
    snprintf(body, sizeof body, "{\"helper_id\":%lld,\"version\":1}", h1);
    refused(&s, off, "PATCH", path, body, __LINE__);
    /* by hand, either link */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e1, h1);
    refused(&s, off, "POST", "/api/v1/pairs", body, __LINE__);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e2, h2);
    refused(&s, off, "POST", "/api/v1/pairs", body, __LINE__);
    /* a service logged on himself: no credits */
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"minutes\":60,"
             "\"time_in\":\"%s\"}",
             e1, h1, t_in);
    refused(&s, g, "POST", "/api/v1/service-logs", body, __LINE__);
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"meal\","
             "\"minutes\":30}]}",
             e2, h2);
    json_t *o = EL(&s, g, "POST", "/api/v1/service-logs", body, 422);
    CHECK_STR(th_err_field(o), "entries[0].helper_id");
    json_decref(o);
    /* the other person is a helper as before */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e1, h2);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"minutes\":60,"
             "\"time_in\":\"%s\"}",
             e1, h2, t_in);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    th_stop(&s);
}

static long long count(th_server *s, const char *fmt, long long a)
{
    char sql[400];
    snprintf(sql, sizeof sql, fmt, a);
    return th_sql_int(s, sql);
}

/* The elder record of a helper dies (or moves away): the helper stops with it — linked to it,
 * or (link 0) only of the same ID number (regression: such a helper went on helping). */
static void stops_with(th_server *s, const char *g, const char *off, long long grid, int d, int seq,
                       const char *status, int link)
{
    char body[400], path[128];
    long long self, hid, other;
    person(s, g, grid, d, seq, link, &self, &hid);
    other = el_elder(s, g, grid, seq + 100, "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", other, hid);
    json_t *o = EL(s, off, "POST", "/api/v1/pairs", body, 201);
    long long pair = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\","
             "\"minutes\":120}]}",
             other, hid);
    json_decref(EL(s, g, "POST", "/api/v1/service-logs", body, 201));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    long long acc = el_account_of(s, off, path);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld", acc);
    o = EL(s, off, "GET", path, NULL, 200);
    CHECK(json_is_true(json_object_get(o, "may_redeem")));
    CHECK(json_is_null(json_object_get(o, "redeem_refusal")));
    json_decref(o);

    snprintf(path, sizeof path, "/api/v1/elders/%lld", self);
    snprintf(body, sizeof body, "{\"status\":\"%s\",\"version\":1}", status);
    json_decref(EL(s, off, "PATCH", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    o = EL(s, off, "GET", path, NULL, 200);
    CHECK(json_is_false(json_object_get(o, "active")));
    CHECK_INT(th_int(o, "paired_elders"), 0);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    CHECK_INT(count(s,
                    "SELECT COUNT(*) FROM elder_pairs WHERE id = %lld AND state = 'ended' AND"
                    " ended_note = 'helper inactive'",
                    pair),
              1);
    CHECK_INT(count(s,
                    "SELECT COUNT(*) FROM audit WHERE entity = 'pair' AND entity_id = %lld"
                    " AND action = 'end'",
                    pair),
              1);
    CHECK_INT(count(s,
                    "SELECT COUNT(*) FROM audit WHERE entity = 'helper' AND entity_id ="
                    " %lld AND action = 'update' AND after_json LIKE '%%\"active\":false%%'",
                    hid),
              1);
    /* nor is he made active again while that record is not */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, fp0, sizeof fp0);
    o = EL(s, off, "PATCH", path, "{\"active\":true,\"version\":2}", 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "active");
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* his credits stay, for a relative; his own care is not given here */
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld", acc);
    o = EL(s, off, "GET", path, NULL, 200);
    CHECK(json_is_false(json_object_get(o, "may_redeem")));
    /* the reason is the record's, not his age (64, old enough): the
     * console said 未满 60 岁 to every helper refused */
    CHECK_STR(th_str(o, "redeem_refusal"), "not_active");
    CHECK_INT(th_int(o, "balance_min"), 120);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/redeem", acc);
    o = EL(s, off, "POST", path, "{\"minutes\":30,\"note\":\"own care\"}", 409);
    CHECK_STR(th_err_code(o), "not_active");
    json_decref(o);
    /* and no run gives him an elder */
    snprintf(body, sizeof body, "{\"region_id\":%lld}", grid);
    o = EL(s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long rid = th_int(o, "id");
    json_decref(o);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pair_proposals WHERE run_id = %lld AND helper_id = %lld",
             rid, hid);
    CHECK_INT(th_sql_int(s, sql), 0);
}

TEST_T(eldercare_helper_stops_when_their_elder_record_dies_or_moves, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    stops_with(&s, g, off, grid, 3, 30, "deceased", 1);
    stops_with(&s, g, off, grid, 4, 31, "moved", 1);
    stops_with(&s, g, off, grid, 5, 32, "deceased", 0);
    th_stop(&s);
}

/* The departure of an elder stopped every unlinked helper record of the elder's ID number in the
 * district, and ended its pairs, though the caller could open neither (a mistyped number on a
 * registration reached a helper of another township). Now a linked record stops wherever it is,
 * an unlinked one only in the caller's scope, and the answer names the records stopped that
 * the caller may open (helpers_stopped). */
TEST_T(eldercare_departure_stops_only_the_callers_unlinked_helpers, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[600], path[64], sql[400], id[19];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_outside_grid01(&s);
    /* a helper of another grid, unlinked, paired there (the officer's) */
    long long far_h = el_helper(&s, off, there, 90, "1965-12-31", 'F', "");
    long long far_e = el_elder(&s, off, there, 90, "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", far_e, far_h);
    json_t *o = EL(&s, off, "POST", "/api/v1/pairs", body, 201);
    long long pair = th_int(o, "id");
    json_decref(o);
    /* grid01 registers an elder of that number and takes it off the register */
    el_id(id, "19651231", 90, 'F');
    snprintf(
        body, sizeof body,
        "{\"name\":\"郭玉珍\",\"sex\":\"F\",\"birth_date\":\"1965-12-31\",\"id_number\":\"%s\","
        "\"grid_id\":%lld,\"ability_level\":1}",
        id, grid);
    o = EL(&s, g, "POST", "/api/v1/elders", body, 201);
    long long e = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200);
    json_t *st = json_object_get(o, "helpers_stopped");
    CHECK(json_is_array(st) && json_array_size(st) == 0);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", far_h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs WHERE id = %lld AND state = 'active'", pair);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE username = 'grid01' AND ((entity = 'helper' AND"
             " entity_id = %lld) OR (entity = 'pair' AND entity_id = %lld))",
             far_h, pair);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* one of the caller's grids, unlinked: stopped and named */
    long long self, hid;
    person(&s, g, grid, 6, 91, 0, &self, &hid);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", self);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"moved\"}", 200);
    st = json_object_get(o, "helpers_stopped");
    CHECK(json_is_array(st) && json_array_size(st) == 1);
    CHECK_INT(json_integer_value(json_array_get(st, 0)), hid);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", hid);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* linked by the officer from another grid: stopped (the documented link), not named to a
     * caller who may not open it */
    long long e2 = el_elder(&s, g, grid, 92, "");
    char b8[9] = "19400315", idn[19];
    el_id(idn, b8, 92, 'F');
    snprintf(
        body, sizeof body,
        "{\"name\":\"老人92\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\",\"id_number\":\"%s\","
        "\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":1,\"elder_id\":%lld}",
        idn, there, e2);
    o = EL(&s, off, "POST", "/api/v1/helpers", body, 201);
    long long linked = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e2);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200);
    st = json_object_get(o, "helpers_stopped");
    CHECK(json_is_array(st) && json_array_size(st) == 0);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", linked);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* an update that is no departure answers the record alone */
    o = EL(&s, g, "PATCH", path, "{\"version\":2,\"phone\":\"13800009999\"}", 200);
    CHECK(json_object_get(o, "helpers_stopped") == NULL);
    json_decref(o);
    th_stop(&s);
}
