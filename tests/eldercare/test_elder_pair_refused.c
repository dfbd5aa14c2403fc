/* A proposal an officer rejects by name says "not this helper for this elder": the next run
 * proposed the same pair again. Later runs now leave the pair out (another helper is proposed,
 * or none); a whole run rejected at once refuses no pair; a pair by hand is still possible. */
#include "el_fixture.h"

static long long proposed(th_server *s, long long run, long long elder)
{
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COALESCE(MAX(helper_id), 0) FROM elder_pair_proposals WHERE run_id = %lld"
             " AND elder_id = %lld AND state = 'proposed'",
             run, elder);
    return th_sql_int(s, q);
}

static long long new_run(th_server *s, const char *tok, long long village)
{
    char body[80];
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    json_t *o = EL(s, tok, "POST", "/api/v1/pairing-runs", body, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

TEST_T(elder_pairing_a_refused_pair_is_not_proposed_again, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], q[200], path[96], body[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, q);
    el_helper(&s, g, grid, 20, "1970-02-02", 'F', "");
    el_helper(&s, g, grid, 21, "1971-03-03", 'F', "");
    long long e = el_elder(&s, g, grid, 30, "");

    /* the first run proposes some helper x; the officer rejects that proposal by name */
    long long r1 = new_run(&s, off, village);
    long long x = proposed(&s, r1, e);
    CHECK(x > 0);
    snprintf(q, sizeof q,
             "SELECT id FROM elder_pair_proposals WHERE run_id = %lld AND elder_id ="
             " %lld",
             r1, e);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", r1);
    snprintf(body, sizeof body, "{\"proposal_ids\":[%lld],\"note\":\"老人不愿意\"}",
             th_sql_int(&s, q));
    json_decref(EL(&s, off, "POST", path, body, 200));

    /* the next run proposes the other helper, not x */
    long long r2 = new_run(&s, off, village);
    long long y = proposed(&s, r2, e);
    CHECK(y > 0);
    CHECK(y != x);
    /* all of that run rejected at once: no pair refused, y proposed again */
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", r2);
    json_decref(EL(&s, off, "POST", path, NULL, 200));
    long long r3 = new_run(&s, off, village);
    CHECK_INT(proposed(&s, r3, e), y);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", r3);
    json_decref(EL(&s, off, "POST", path, NULL, 200));

    /* the other helper refused too: no helper left for this elder, the run says unmatched */
    long long r4 = new_run(&s, off, village);
    snprintf(q, sizeof q,
             "SELECT id FROM elder_pair_proposals WHERE run_id = %lld AND elder_id ="
             " %lld",
             r4, e);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", r4);
    snprintf(body, sizeof body, "{\"proposal_ids\":[%lld]}", th_sql_int(&s, q));
    json_decref(EL(&s, off, "POST", path, body, 200));
    long long r5 = new_run(&s, off, village);
    CHECK_INT(proposed(&s, r5, e), 0);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pair_proposals WHERE run_id = %lld AND"
             " elder_id = %lld AND helper_id IS NULL",
             r5, e);
    CHECK_INT(th_sql_int(&s, q), 1);

    /* by hand, the officer may still pair them */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e, x);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    th_stop(&s);
}
