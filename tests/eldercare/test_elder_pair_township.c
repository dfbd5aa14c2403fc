/* Pairing is organised within a township (乡镇统筹): accepting a proposal requires the elder and
 * the helper to be of one township, so a proposal edited to another township's helper was
 * taken (200) and then silently went stale at accept, and a pair by hand across townships was
 * made. Both are 422 other_township on helper_id, nothing written. */
#include "core/util.h"
#include "el_fixture.h"

TEST_T(elder_pairing_keeps_to_one_township, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], path[128], body[256], sql[400];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    snprintf(sql, sizeof sql, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, sql);
    /* a grid of another township than grid01's */
    snprintf(sql, sizeof sql,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.type"
             " = 'grid' AND v.parent_id <> (SELECT parent_id FROM regions WHERE id = %lld)",
             village);
    long long there = th_sql_int(&s, sql);
    CHECK(there > 0);
    long long near = el_helper(&s, g, grid, 40, "1970-02-02", 'F', "");
    long long far = el_helper(&s, off, there, 41, "1970-03-03", 'F', "");
    long long e1 = el_elder(&s, g, grid, 40, ""), e2 = el_elder(&s, g, grid, 41, "");
    /* the other township's helper lives next door (the walking distance would not tell) */
    snprintf(sql, sizeof sql,
             "UPDATE helpers SET lat = (SELECT lat FROM elders WHERE id = %lld), lon = (SELECT"
             " lon FROM elders WHERE id = %lld) WHERE id = %lld",
             e1, e1, far);
    th_sql_exec(&s, sql);
    /* a run in the village proposes the village's helper for both */
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    json_t *run = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long rid = th_int(run, "id");
    json_decref(run);
    snprintf(sql, sizeof sql,
             "SELECT id FROM elder_pair_proposals WHERE run_id = %lld AND elder_id = %lld", rid,
             e1);
    long long prop = th_sql_int(&s, sql);
    CHECK(prop > 0);
    char fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fa, sizeof fa);
    snprintf(path, sizeof path, "/api/v1/pair-proposals/%lld", prop);
    snprintf(body, sizeof body, "{\"helper_id\":%lld,\"version\":1}", far);
    json_t *o = EL(&s, off, "PATCH", path, body, 422);
    CHECK_STR(th_err_code(o), "other_township");
    CHECK_STR(th_err_field(o), "helper_id");
    json_decref(o);
    /* a pair by hand likewise */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e2, far);
    o = EL(&s, off, "POST", "/api/v1/pairs", body, 422);
    CHECK_STR(th_err_code(o), "other_township");
    CHECK_STR(th_err_field(o), "helper_id");
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld", far);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* the proposal as made is accepted and pairs the township's helper */
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", rid);
    snprintf(body, sizeof body, "{\"proposal_ids\":[%lld]}", prop);
    json_decref(EL(&s, off, "POST", path, body, 200));
    snprintf(sql, sizeof sql,
             "SELECT helper_id FROM elder_pairs WHERE elder_id = %lld AND state = 'active'", e1);
    CHECK_INT(th_sql_int(&s, sql), near);
    th_stop(&s);
}
