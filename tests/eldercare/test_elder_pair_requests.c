/* Pairing requests: a grid worker asks for an elder of their grids to be paired with a helper of
 * their grids (checked as a pair by hand would be); one waits per elder; an officer of the
 * township accepts it (the pair is made with that moment's checks) or declines it with a
 * reason; the grid worker withdraws one waiting. Refusals write nothing; each decision is
 * audited. A grid worker could not ask for a pairing at all. */
#include "eldercare/el_fixture.h"

static long long request(th_server *s, const char *tok, long long e, long long h, int want,
                         const char *code, const char *field, int line)
{
    char body[200];
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld,\"note\":\"邻居\"}", e, h);
    json_t *o = el_call(s, tok, "POST", "/api/v1/pair-requests", body, want, line);
    const char *got = th_err_code(o) ? th_err_code(o) : "-",
               *at = th_err_field(o) ? th_err_field(o) : "";
    if (code && (strcmp(got, code) || strcmp(at, field)))
        t_fail(__FILE__, line, "%s at %s, expected %s at %s", got, at, code, field);
    long long id = want == 201 ? th_int(o, "id") : 0;
    json_decref(o);
    return id;
}
#define REQUEST(tok, e, h, want, code, field) request(&s, tok, e, h, want, code, field, __LINE__)

/* POST /api/v1/pair-requests/ID/ACTION {"version":V MORE} as tok: the answer. */
static json_t *decide(th_server *s, const char *tok, long long id, const char *action, long long v,
                      const char *more, int want, int line)
{
    char path[96], body[200];
    snprintf(path, sizeof path, "/api/v1/pair-requests/%lld/%s", id, action);
    snprintf(body, sizeof body, "{\"version\":%lld%s}", v, more);
    return el_call(s, tok, "POST", path, body, want, line);
}
#define DECIDE(tok, id, action, v, more, want) decide(&s, tok, id, action, v, more, want, __LINE__)

TEST_T(eldercare_pair_requests_of_grid_workers, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], town[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], q[600];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town); /* another township's officer */
    long long grid = el_grid01_grid(&s), outside = el_grid_outside_grid01(&s);
    long long e1 = el_elder(&s, g, grid, 80, ""), e2 = el_elder(&s, g, grid, 81, "");
    long long e3 = el_elder(&s, g, grid, 82, "");
    long long h = el_helper(&s, g, grid, 80, "1968-01-01", 'F', ""); /* 2 places */
    long long e_out = el_elder(&s, off, outside, 83, "");
    long long h_out = el_helper(&s, off, outside, 84, "1969-01-01", 'F', "");

    /* refused, nothing written: an officer (they pair by hand), an elder or a helper outside
     * the grid worker's grids */
    th_fingerprint(&s, fp0, sizeof fp0);
    REQUEST(off, e1, h, 403, "forbidden", "");
    REQUEST(g, e_out, h, 422, "unknown_id", "elder_id");
    REQUEST(g, e1, h_out, 422, "unknown_id", "helper_id");
    REQUEST(g, 999999, h, 422, "unknown_id", "elder_id");
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);

    /* asked; one waits per elder */
    long long r1 = REQUEST(g, e1, h, 201, NULL, NULL);
    json_t *o = EL(&s, g, "GET", "/api/v1/pair-requests?state=pending", NULL, 200);
    json_t *it = json_array_get(json_object_get(o, "items"), 0);
    CHECK_INT(th_int(it, "id"), r1);
    CHECK_STR(th_str(it, "state"), "pending");
    CHECK_STR(th_str(it, "note"), "邻居");
    CHECK_STR(th_str(it, "requested_by"), "grid01");
    CHECK_INT(th_int(it, "grid_id"), grid);
    CHECK(json_is_null(json_object_get(it, "pair_id")));
    json_decref(o);
    th_fingerprint(&s, fp0, sizeof fp0);
    REQUEST(g, e1, h, 409, "request_pending", "elder_id");
    /* another township's officer sees nothing of it, decides nothing; a grid worker accepts
     * nothing; a stale version is refused */
    o = EL(&s, town, "GET", "/api/v1/pair-requests", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    snprintf(q, sizeof q, "/api/v1/pair-requests/%lld", r1);
    json_decref(EL(&s, town, "GET", q, NULL, 404));
    json_decref(DECIDE(town, r1, "accept", 1, "", 404));
    json_decref(DECIDE(g, r1, "accept", 1, "", 403));
    json_decref(DECIDE(off, r1, "accept", 2, "", 409));
    json_decref(DECIDE(off, r1, "decline", 1, "", 422)); /* a reason is required */
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);

    /* accepted: the pair is made, its reason the request's; the request says which pair */
    o = DECIDE(off, r1, "accept", 1, "", 200);
    CHECK_STR(th_str(o, "state"), "accepted");
    long long pair = th_int(o, "pair_id");
    CHECK(pair > 0);
    CHECK_STR(th_str(o, "decided_by"), "officer");
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pairs WHERE id = %lld AND elder_id = %lld"
             " AND helper_id = %lld AND state = 'active' AND reason = 'requested by grid01: 邻居'",
             pair, e1, h);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE (entity = 'pair' AND entity_id = %lld"
             " AND action = 'create') OR (entity = 'pair_request' AND entity_id = %lld AND"
             " action = 'accept' AND before_json LIKE '%%pending%%' AND after_json LIKE"
             " '%%accepted%%')",
             pair, r1);
    CHECK_INT(th_sql_int(&s, q), 2);
    /* decided: no other decision */
    o = DECIDE(off, r1, "accept", 2, "", 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    json_decref(o);
    o = DECIDE(off, r1, "decline", 2, ",\"note\":\"x\"", 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    json_decref(o);
    REQUEST(g, e1, h, 409, "already_paired", "elder_id");

    /* declined with a reason; withdrawn by the grid worker (not by an officer) */
    long long r2 = REQUEST(g, e2, h, 201, NULL, NULL);
    o = DECIDE(off, r2, "decline", 1, ",\"note\":\"请先上门评估\"", 200);
    CHECK_STR(th_str(o, "state"), "declined");
    CHECK_STR(th_str(o, "decision_note"), "请先上门评估");
    json_decref(o);
    o = DECIDE(g, r2, "withdraw", 2, "", 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    json_decref(o);
    long long r3 = REQUEST(g, e2, h, 201, NULL, NULL);
    json_decref(DECIDE(off, r3, "withdraw", 1, "", 403));
    o = DECIDE(g, r3, "withdraw", 1, "", 200);
    CHECK_STR(th_str(o, "state"), "withdrawn");
    json_decref(o);

    /* the helper full by the time it is accepted: the pair's refusal, nothing written, still
     * pending */
    long long r4 = REQUEST(g, e3, h, 201, NULL, NULL);
    snprintf(q, sizeof q, "{\"elder_id\":%lld,\"helper_id\":%lld}", e2, h);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", q, 201));
    th_fingerprint(&s, fp0, sizeof fp0);
    o = DECIDE(off, r4, "accept", 1, "", 409);
    CHECK_STR(th_err_code(o), "helper_full");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pair_requests WHERE id = %lld AND state = 'pending'", r4);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* paired otherwise (by hand, here with another helper): the request waiting is answered,
     * declined naming the pair, audited */
    long long h2 = el_helper(&s, g, grid, 85, "1970-01-01", 'F', "");
    snprintf(q, sizeof q, "{\"elder_id\":%lld,\"helper_id\":%lld}", e3, h2);
    o = EL(&s, off, "POST", "/api/v1/pairs", q, 201);
    long long other = th_int(o, "id");
    json_decref(o);
    snprintf(q, sizeof q, "/api/v1/pair-requests/%lld", r4);
    o = EL(&s, g, "GET", q, NULL, 200);
    CHECK_STR(th_str(o, "state"), "declined");
    CHECK_STR(th_str(o, "decision_note"), "paired otherwise");
    CHECK_INT(th_int(o, "pair_id"), other);
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'pair_request' AND entity_id = %lld AND"
             " action = 'decline' AND after_json LIKE '%%paired otherwise%%'",
             r4);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* a note of 200 Chinese characters goes whole into the pair's reason (it was cut at 200
     * bytes, inside a character) */
    {
        long long e5 = el_elder(&s, g, grid, 86, "");
        char note[801] = "", body[1000];
        for (int i = 0; i < 200; i++) strcat(note, "邻");
        snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld,\"note\":\"%s\"}", e5,
                 h2, note);
        o = EL(&s, g, "POST", "/api/v1/pair-requests", body, 201);
        long long r5 = th_int(o, "id");
        json_decref(o);
        json_decref(DECIDE(off, r5, "accept", 1, "", 200));
        char sql[1200];
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM elder_pairs WHERE elder_id = %lld AND reason ="
                 " 'requested by grid01: %s'",
                 e5, note);
        CHECK_INT(th_sql_int(&s, sql), 1);
        snprintf(sql, sizeof sql, "/api/v1/pairs?elder_id=%lld", e5);
        json_decref(EL(&s, off, "GET", sql, NULL, 200)); /* valid JSON */
    }
    /* an elder who died, a helper set inactive: their requests waiting are declined with the
     * note that ended their pairs, audited */
    {
        long long h3 = el_helper(&s, g, grid, 87, "1971-01-01", 'F', "");
        long long e6 = el_elder(&s, g, grid, 88, ""), e7 = el_elder(&s, g, grid, 89, "");
        long long r6 = REQUEST(g, e6, h3, 201, NULL, NULL),
                  r7 = REQUEST(g, e7, h3, 201, NULL, NULL);
        snprintf(q, sizeof q, "/api/v1/elders/%lld", e7);
        json_decref(EL(&s, g, "PATCH", q, "{\"version\":1,\"status\":\"deceased\"}", 200));
        snprintf(q, sizeof q, "/api/v1/helpers/%lld", h3);
        json_decref(EL(&s, g, "PATCH", q, "{\"version\":1,\"active\":false}", 200));
        snprintf(q, sizeof q,
                 "SELECT (SELECT COUNT(*) FROM elder_pair_requests WHERE id = %lld AND state ="
                 " 'declined' AND decision_note = 'deceased') + (SELECT COUNT(*) FROM"
                 " elder_pair_requests WHERE id = %lld AND state = 'declined' AND decision_note ="
                 " 'helper inactive') + (SELECT COUNT(*) FROM audit WHERE entity = 'pair_request'"
                 " AND action = 'decline' AND entity_id IN (%lld, %lld))",
                 r7, r6, r6, r7);
        CHECK_INT(th_sql_int(&s, q), 4);
    }
    /* the list filters by state and elder */
    snprintf(q, sizeof q, "/api/v1/pair-requests?elder_id=%lld", e2);
    o = EL(&s, off, "GET", q, NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 2);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 0), "id"), r3); /* newest */
    json_decref(o);
    th_stop(&s);
}

/* The command line (a local administrator) lists the grid workers' requests and decides them,
 * and pairs by hand: the same checks and audit rows as the API's; bad input refused with a
 * message and nothing written. It had neither. */
TEST_T(cli_pair_requests_and_pairs_by_hand, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], out[65536], id[24], body[200], q[400], fp0[TH_FINGERPRINT_SIZE],
        fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long e1 = el_elder(&s, g, grid, 90, ""), e2 = el_elder(&s, g, grid, 91, "");
    long long e3 = el_elder(&s, g, grid, 92, "");
    long long h = el_helper(&s, g, grid, 90, "1968-01-01", 'F', ""); /* 2 places */
    long long r1 = REQUEST(g, e1, h, 201, NULL, NULL), r2 = REQUEST(g, e2, h, 201, NULL, NULL);

    /* listed, newest first, filtered by state and elder */
    CHECK_INT(RUN(out, "pair", "requests", "--state", "pending", "--db", s.db), 0);
    json_t *o = json_loads(out, 0, NULL);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 0), "id"), r2);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 1), "id"), r1);
    json_decref(o);
    snprintf(id, sizeof id, "%lld", e1);
    CHECK_INT(RUN(out, "pair", "requests", "--elder-id", id, "--db", s.db), 0);
    o = json_loads(out, 0, NULL);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);

    /* refused, nothing written: a bad state, a decline without its reason, a request that is
     * not there, a body of unknown fields */
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(RUN(out, "pair", "requests", "--state", "bogus", "--db", s.db), 2);
    CHECK(strstr(out, "--state takes pending, accepted, declined, withdrawn"));
    snprintf(id, sizeof id, "%lld", r2);
    CHECK_INT(RUN(out, "pair", "request-decline", id, "--json", "{}", "--db", s.db), 1);
    CHECK(strstr(out, "note"));
    CHECK_INT(RUN(out, "pair", "request-accept", "999999", "--db", s.db), 1);
    CHECK(strstr(out, "pairing request 999999"));
    CHECK_INT(RUN(out, "pair", "request-accept", id, "--json", "{\"bogus\":1}", "--db", s.db), 1);
    CHECK(strstr(out, "bogus"));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);

    /* accepted (the current version taken): the pair made, its reason the request's */
    snprintf(id, sizeof id, "%lld", r1);
    CHECK_INT(RUN(out, "pair", "request-accept", id, "--db", s.db), 0);
    o = json_loads(out, 0, NULL);
    CHECK_STR(th_str(o, "state"), "accepted");
    CHECK_STR(th_str(o, "decided_by"), "cli");
    long long pair = th_int(o, "pair_id");
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pairs WHERE id = %lld AND elder_id = %lld AND helper_id"
             " = %lld AND reason = 'requested by grid01: 邻居'",
             pair, e1, h);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* declined with its reason; a decided request takes no other decision */
    snprintf(id, sizeof id, "%lld", r2);
    CHECK_INT(RUN(out, "pair", "request-decline", id, "--json", "{\"note\":\"请先上门评估\"}",
                  "--db", s.db),
              0);
    CHECK(strstr(out, "\"declined\"") && strstr(out, "请先上门评估"));
    CHECK_INT(RUN(out, "pair", "request-accept", id, "--db", s.db), 1);
    CHECK(strstr(out, "invalid_state"));
    CHECK_INT(RUN(out, "pair", "request-get", id, "--db", s.db), 0);
    CHECK(strstr(out, "\"declined\""));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'pair_request' AND entity_id IN (%lld,"
             " %lld) AND username = 'cli'",
             r1, r2);
    CHECK_INT(th_sql_int(&s, q), 2);

    /* a pair by hand: made, audited; the helper full then refuses the next, nothing written */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld,\"reason\":\"邻居\"}", e2,
             h);
    CHECK_INT(RUN(out, "pair", "add", "--json", body, "--db", s.db), 0);
    o = json_loads(out, 0, NULL);
    CHECK_STR(th_str(o, "state"), "active");
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'pair' AND action = 'create' AND"
             " entity_id = %lld AND username = 'cli'",
             th_int(o, "id"));
    json_decref(o);
    CHECK_INT(th_sql_int(&s, q), 1);
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e3, h);
    CHECK_INT(RUN(out, "pair", "add", "--json", body, "--db", s.db), 1);
    CHECK(strstr(out, "helper_full"));
    CHECK_INT(RUN(out, "pair", "add", "--db", s.db), 2);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}
