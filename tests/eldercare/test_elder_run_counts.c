/* A pairing run tells its proposals by their state now (by_state), the counts its page's state
 * tabs list: an unmatched proposal given a helper by hand is open, not still counted unmatched;
 * one gone stale at the accept is counted as such (the run showed only the solver's proposed
 * and unmatched beside the live accepted and rejected, which no longer added up). */
#include "eldercare/el_fixture.h"

/* the run's proposals in state st as its page lists them */
static long long listed(th_server *s, const char *tok, long long run, const char *st)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld?state=%s&limit=500", run, st);
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    long long n =
        (long long)json_array_size(json_object_get(json_object_get(o, "proposals"), "items"));
    json_decref(o);
    return n;
}

/* by_state agrees with every state's list and with want (proposed, unmatched, accepted, rejected,
 * stale) */
static void agree(th_server *s, const char *tok, long long run, const long long want[5], int line)
{
    static const char *const st[] = {"proposed", "unmatched", "accepted", "rejected", "stale"};
    char path[64];
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld", run);
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    json_t *by = json_object_get(json_object_get(o, "run"), "by_state");
    for (int k = 0; k < 5; k++) {
        json_t *v = json_object_get(by, st[k]);
        long long n = listed(s, tok, run, st[k]);
        if (!json_is_integer(v) || json_integer_value(v) != n || n != want[k])
            t_fail(__FILE__, line, "run %lld %s: by_state %lld, listed %lld, expected %lld", run,
                   st[k], json_is_integer(v) ? (long long)json_integer_value(v) : -1, n, want[k]);
    }
    json_decref(o);
}

TEST_T(eldercare_run_counts_by_state_now, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], q[160], body[160], path[128];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long e1 = el_elder(&s, g, grid, 1, "");
    el_elder(&s, g, grid, 2, "");
    el_elder(&s, g, grid, 3, "");
    el_helper(&s, g, grid, 4, "1970-05-01", 'F', ""); /* capacity 2 of three elders */
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    snprintf(body, sizeof body, "{\"region_id\":%lld}", th_sql_int(&s, q));
    json_t *o = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long run = th_int(o, "id");
    CHECK_INT(th_int(o, "proposed"), 2);
    CHECK_INT(th_int(o, "unmatched"), 1);
    json_decref(o);
    agree(&s, off, run, (long long[5]){2, 1, 0, 0, 0}, __LINE__);
    /* another helper: the unmatched proposal gets her by hand */
    long long h2 = el_helper(&s, g, grid, 5, "1971-05-01", 'F', "");
    snprintf(q, sizeof q,
             "SELECT id FROM elder_pair_proposals WHERE run_id = %lld AND state = 'unmatched'",
             run);
    long long pid = th_sql_int(&s, q);
    snprintf(path, sizeof path, "/api/v1/pair-proposals/%lld", pid);
    snprintf(body, sizeof body, "{\"helper_id\":%lld,\"version\":1}", h2);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    agree(&s, off, run, (long long[5]){3, 0, 0, 0, 0}, __LINE__);
    /* e1 is paired by hand meanwhile: its proposal goes stale at the accept */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e1, h2);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", run);
    json_decref(EL(&s, off, "POST", path, "{}", 200));
    agree(&s, off, run, (long long[5]){0, 0, 2, 0, 1}, __LINE__);
    /* the solver's own figures stay what it made */
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld", run);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_INT(th_int(json_object_get(o, "run"), "proposed"), 2);
    CHECK_INT(th_int(json_object_get(o, "run"), "unmatched"), 1);
    json_decref(o);
    /* the list of runs carries them too */
    o = EL(&s, off, "GET", "/api/v1/pairing-runs", NULL, 200);
    json_t *first = json_array_get(json_object_get(o, "items"), 0);
    CHECK_INT(th_int(json_object_get(first, "by_state"), "stale"), 1);
    json_decref(o);
    th_stop(&s);
}

/* A run decided to its end is closed: an unmatched proposal of it is not made proposed again
 * (the run stayed closed with a proposal open, and accepting it paired after the decision). */
TEST_T(eldercare_closed_run_keeps_its_proposals, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], q[160], body[160], path[128];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    for (int i = 1; i <= 3; i++) el_elder(&s, g, grid, 10 + i, "");
    el_helper(&s, g, grid, 14, "1970-05-01", 'F', ""); /* capacity 2 of three elders */
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    snprintf(body, sizeof body, "{\"region_id\":%lld}", th_sql_int(&s, q));
    json_t *o = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long run = th_int(o, "id");
    CHECK_INT(th_int(o, "unmatched"), 1);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", run);
    json_decref(EL(&s, off, "POST", path, "{}", 200));
    long long h2 = el_helper(&s, g, grid, 15, "1971-05-01", 'F', "");
    snprintf(q, sizeof q,
             "SELECT id FROM elder_pair_proposals WHERE run_id = %lld AND state = 'unmatched'",
             run);
    long long pid = th_sql_int(&s, q);
    snprintf(path, sizeof path, "/api/v1/pair-proposals/%lld", pid);
    snprintf(body, sizeof body, "{\"helper_id\":%lld,\"version\":1}", h2);
    o = EL(&s, off, "PATCH", path, body, 409);
    CHECK_STR(th_err_code(o), "not_open");
    json_decref(o);
    agree(&s, off, run, (long long[5]){0, 1, 0, 2, 0}, __LINE__);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", run);
    json_decref(EL(&s, off, "POST", path, "{}", 409));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_pairs"), 0);
    th_stop(&s);
}
