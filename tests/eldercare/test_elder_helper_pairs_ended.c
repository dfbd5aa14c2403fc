/* PATCH /api/v1/helpers/{id} ends the helper's pairs when they are deactivated or moved to
 * another township; the answer's pairs_ended says how many this write ended (the console's
 * "已保存，已结束 N 个结对" is taken from it, not from a count made before the save): 0 for a
 * move within the township and for a write that changed nothing, and exactly the pairs still
 * active at the save (one ended meanwhile is not counted). */
#include "core/util.h"
#include "el_fixture.h"

static long long active_pairs(th_server *s, long long helper)
{
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'active'",
             helper);
    return th_sql_int(s, q);
}

static long long pair(th_server *s, const char *tok, long long elder, long long helper)
{
    char body[128];
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", elder, helper);
    json_t *o = EL(s, tok, "POST", "/api/v1/pairs", body, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

/* PATCHes helper with body; returns the answer's pairs_ended (-1 when it is missing). */
static long long patch(th_server *s, const char *tok, long long helper, const char *body)
{
    char path[80];
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", helper);
    json_t *o = EL(s, tok, "PATCH", path, body, 200);
    json_t *n = json_object_get(o, "pairs_ended");
    long long v = json_is_integer(n) ? json_integer_value(n) : -1;
    json_decref(o);
    return v;
}

TEST_T(eldercare_helper_patch_says_how_many_pairs_ended, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], path[128], body[256], sql[400];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long same = el_grid_same_township(&s, grid);
    long long there = el_grid_other_township(&s, grid);
    CHECK(same > 0 && there > 0);
    long long e[4];
    for (int i = 0; i < 4; i++) e[i] = el_elder(&s, g, grid, 70 + i, "");
    long long h1 = el_helper(&s, g, grid, 70, "1968-01-01", 'F', "");
    long long h2 = el_helper(&s, g, grid, 71, "1969-01-01", 'F', "");
    long long h3 = el_helper(&s, g, grid, 72, "1967-01-01", 'F', "");
    long long p1 = pair(&s, off, e[0], h1);
    pair(&s, off, e[1], h1);
    pair(&s, off, e[2], h2);
    pair(&s, off, e[3], h2);

    /* within the township: nothing ended, and the answer says 0 */
    snprintf(body, sizeof body, "{\"version\":1,\"grid_id\":%lld}", same);
    CHECK_INT(patch(&s, off, h1, body), 0);
    CHECK_INT(active_pairs(&s, h1), 2);
    /* a write that changed nothing: 0 too */
    snprintf(body, sizeof body, "{\"version\":2,\"grid_id\":%lld}", same);
    CHECK_INT(patch(&s, off, h1, body), 0);
    /* one pair ended meanwhile: the move ends the one left, and says 1 (not the 2 of before) */
    snprintf(path, sizeof path, "/api/v1/pairs/%lld/end", p1);
    json_decref(EL(&s, off, "POST", path, "{\"version\":1}", 200));
    snprintf(body, sizeof body, "{\"version\":2,\"grid_id\":%lld}", there);
    CHECK_INT(patch(&s, off, h1, body), 1);
    CHECK_INT(active_pairs(&s, h1), 0);
    /* deactivated: both pairs */
    CHECK_INT(patch(&s, off, h2, "{\"version\":1,\"active\":false}"), 2);
    CHECK_INT(active_pairs(&s, h2), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'ended' AND"
             " ended_note = 'helper inactive'",
             h2);
    CHECK_INT(th_sql_int(&s, sql), 2);
    /* deactivated without pairs: 0; and the answer is the helper otherwise as GET shows it */
    CHECK_INT(patch(&s, off, h3, "{\"version\":1,\"active\":false}"), 0);
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h3);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    CHECK(json_object_get(o, "pairs_ended") == NULL);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    th_stop(&s);
}
