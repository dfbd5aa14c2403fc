/* A policy's eligible_count counts the firms its reader is shown. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* how many firms GET /policies/{id}/matches lists to tok, every page */
static long long matches_listed(th_server *s, const char *tok, long long policy)
{
    long long n = 0, cursor = 0;
    for (;;) {
        char path[128];
        json_t *o;
        snprintf(path, sizeof path,
                 "/api/v1/enterprise/policies/%lld/matches?limit=500&cursor=%lld", policy, cursor);
        CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
        n += (long long)json_array_size(json_object_get(o, "items"));
        json_t *next = json_object_get(o, "next_cursor");
        cursor = json_is_integer(next) ? json_integer_value(next) : 0;
        json_decref(o);
        if (!cursor) return n;
    }
}

/* Regression: a township officer read each policy's eligible_count over the whole district
 * (66 firms) while its matches listed their township's only (2): the policy list and page
 * said one figure and showed another. The count is now of the firms the reader is shown: a
 * township officer's township, the district for district roles and viewers; in the list and
 * in GET /policies/{id} alike. */
TEST(enterprise_policy_eligible_count_is_what_the_reader_is_shown)
{
    th_server s;
    th_start(&s, 1);
    char off[80], town[80], viewer[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, viewer);
    /* one firm moved into the township officer's township; a policy every enterprise of the
     * district qualifies for */
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE organisations SET township_id = %lld WHERE id = (SELECT MIN(id) FROM"
             " organisations WHERE type = 'enterprise')",
             jhh);
    th_sql_exec(&s, sql);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                      "{\"title\":\"普惠政策\",\"issuer\":\"区商务局\",\"issued_on\":"
                      "\"2025-01-01\",\"valid_from\":\"2025-01-01\",\"conditions\":\"true\"}",
                      NULL),
              201);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM organisations WHERE type = 'enterprise' AND township_id = %lld",
             jhh);
    CHECK(th_sql_int(&s, sql) > 0);
    const char *toks[] = {off, town, viewer};
    json_t *lists[3];
    for (int r = 0; r < 3; r++)
        CHECK_INT(
            th_call(&s, "GET", "/api/v1/enterprise/policies?limit=500", toks[r], NULL, &lists[r]),
            200);
    json_t *items = json_object_get(lists[1], "items");
    CHECK(json_array_size(items) > 0);
    int fewer = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        long long id = th_int(json_array_get(items, i), "id");
        for (int r = 0; r < 3; r++) {
            json_t *it = json_array_get(json_object_get(lists[r], "items"), i);
            CHECK_INT(th_int(it, "id"), id);
            long long shown = matches_listed(&s, toks[r], id);
            CHECK_INT(th_int(it, "eligible_count"), shown);
            char path[96];
            json_t *o;
            snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", id);
            CHECK_INT(th_call(&s, "GET", path, toks[r], NULL, &o), 200);
            CHECK_INT(th_int(o, "eligible_count"), shown);
            json_decref(o);
        }
        /* the township's firms are some of the district's */
        long long all = th_int(json_array_get(json_object_get(lists[0], "items"), i),
                               "eligible_count"),
                  own = th_int(json_array_get(items, i), "eligible_count");
        CHECK(own <= all);
        fewer += own < all;
    }
    CHECK(fewer > 0); /* the demo's policies match firms outside the township */
    for (int r = 0; r < 3; r++) json_decref(lists[r]);
    th_stop(&s);
}
