/* The grid worker's list is cached per user: each user sees their own scope, a write shows at
 * once, and an unmasked (audited) read is never served from the cache. */
#include <string.h>

#include "el_fixture.h"

TEST(elder_list_cache_per_user)
{
    th_server s;
    th_start(&s, 1);
    char grid[80], off[80];
    th_login(&s, "grid01", s.demo_pw, grid);
    th_login(&s, "officer", s.demo_pw, off);
    long long g = el_grid01_grid(&s);
    el_elder(&s, grid, g, 1, "");
    json_t *a = EL(&s, grid, "GET", "/api/v1/elders?limit=500", NULL, 200);
    json_t *b = EL(&s, grid, "GET", "/api/v1/elders?limit=500", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(a, "items")), 1);
    char *ja = json_dumps(a, JSON_SORT_KEYS), *jb = json_dumps(b, JSON_SORT_KEYS);
    CHECK_STR(ja, jb);
    free(ja);
    free(jb);
    json_decref(a);
    json_decref(b);
    /* another user with another scope gets their own answer for the same URL */
    long long other = th_sql_int(&s, "SELECT MAX(id) FROM regions WHERE type = 'grid'");
    el_elder(&s, off, other, 2, "");
    a = EL(&s, off, "GET", "/api/v1/elders?limit=500", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(a, "items")), 2);
    json_decref(a);
    /* the grid worker's cached page changes with a write */
    el_elder(&s, grid, g, 3, "");
    a = EL(&s, grid, "GET", "/api/v1/elders?limit=500", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(a, "items")), 2);
    json_decref(a);
    /* every unmasked read is audited, even the same URL twice */
    long long before = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked'");
    json_decref(EL(&s, off, "GET", "/api/v1/elders?reveal=1&limit=500", NULL, 200));
    json_decref(EL(&s, off, "GET", "/api/v1/elders?reveal=1&limit=500", NULL, 200));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked'"),
              before + 2 * 3);
    th_stop(&s);
}
