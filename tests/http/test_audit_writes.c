/* The audit trail holds every write: the demo's accounts each have their create row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* Regression: the demo's six accounts were inserted without an audit row, so the trail of
 * users showed only the admin's creation. Each account has one create row, by the demo's
 * actor (the one its `demo` row names), holding the account as the user administration shows
 * it (no password hash). */
TEST(audit_demo_accounts_have_create_rows)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users"), 7);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users u WHERE (SELECT COUNT(*) FROM audit a"
                             " WHERE a.entity = 'user' AND a.action = 'create' AND a.entity_id ="
                             " u.id) <> 1"),
              0);
    /* the demo's rows by the demo's actor */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit a WHERE a.entity = 'user' AND a.action ="
                             " 'create' AND a.entity_id > 1 AND a.username = (SELECT username FROM"
                             " audit WHERE action = 'demo' AND entity = 'district')"),
              6);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'user' AND after_json LIKE"
                             " '%argon2%'"),
              0);
    /* read through the API: seven create rows, each the account as GET shows it */
    json_t *o =
        CALL(&s, "GET", tok, "/api/v1/audit?entity=user&action=create&limit=100", NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 7);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        long long id = th_int(it, "entity_id");
        if (id == 1) continue; /* the admin's, written before the demo as it always was */
        json_t *after = json_object_get(it, "after");
        CHECK(after != NULL && json_is_object(after));
        char path[64];
        snprintf(path, sizeof path, "/api/v1/users/%lld", id);
        json_t *u = CALL(&s, "GET", tok, path, NULL, 200);
        if (!json_equal(after, u)) {
            char *a = json_dumps(after, JSON_SORT_KEYS), *b = json_dumps(u, JSON_SORT_KEYS);
            t_fail(__FILE__, __LINE__, "user %lld: audit %s, GET %s", id, a, b);
        }
        CHECK(json_object_get(after, "password_hash") == NULL);
        json_decref(u);
    }
    json_decref(o);
    /* grid01's row holds its grids */
    CHECK_INT(th_sql_int(&s, "SELECT json_array_length(after_json, '$.grid_ids') FROM audit WHERE"
                             " entity = 'user' AND action = 'create' AND entity_id = (SELECT id"
                             " FROM users WHERE username = 'grid01')"),
              3);
    th_stop(&s);
}
