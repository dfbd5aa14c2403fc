/* The grid worker's list is cached per user: each user sees their own scope, a write shows at
 * once, and an unmasked (audited) read is never served from the cache. */
#include <string.h>
#include <unistd.h>

#include "core/util.h"

#include "el_fixture.h"

/* GET path as the holder of tok: the reply's JSON and whether it came from the cache
 * (its X-Cache header). */
static json_t *get_cached(th_server *s, const char *tok, const char *path, int *hit)
{
    char hdr[4096];
    json_t *o = NULL;
    CHECK_INT(th_call_raw(s, "GET", path, tok, NULL, -1, NULL, &o, hdr, sizeof hdr), 200);
    *hit = strstr(hdr, "X-Cache: hit") != NULL;
    CHECK(*hit || strstr(hdr, "X-Cache: miss") != NULL);
    return o;
}

TEST(elder_list_cache_per_user)
{
    th_server s;
    th_start(&s, 1);
    char grid[80], off[80];
    th_login(&s, "grid01", s.demo_pw, grid);
    th_login(&s, "officer", s.demo_pw, off);
    long long g = el_grid01_grid(&s);
    el_elder(&s, grid, g, 1, "");
    int hit;
    json_t *a = get_cached(&s, grid, "/api/v1/elders?limit=500", &hit);
    CHECK_INT(hit, 0);
    json_t *b = get_cached(&s, grid, "/api/v1/elders?limit=500", &hit);
    CHECK_INT(hit, 1); /* the second read is served from the cache */
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
    a = get_cached(&s, off, "/api/v1/elders?limit=500", &hit);
    CHECK_INT(hit, 0);
    CHECK_INT(json_array_size(json_object_get(a, "items")), 2);
    json_decref(a);
    /* the grid worker's cached page changes with a write */
    el_elder(&s, grid, g, 3, "");
    a = get_cached(&s, grid, "/api/v1/elders?limit=500", &hit);
    CHECK_INT(hit, 0);
    CHECK_INT(json_array_size(json_object_get(a, "items")), 2);
    json_decref(a);
    /* every unmasked read is audited, even the same URL twice */
    long long before = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked'");
    for (int k = 0; k < 2; k++) {
        json_decref(get_cached(&s, off, "/api/v1/elders?reveal=1&limit=500", &hit));
        CHECK_INT(hit, 0); /* never from the cache */
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked'"),
              before + 2 * 3);
    th_stop(&s);
}

/* The list carries what a list shows, in agreement with the whole record; numbers only on an
 * audited reveal; view=full gives the whole records. */
TEST(elder_list_projection_agrees_with_the_record)
{
    th_server s;
    th_start(&s, 1);
    char grid[80], off[80];
    th_login(&s, "grid01", s.demo_pw, grid);
    th_login(&s, "officer", s.demo_pw, off);
    long long e = el_elder(&s, grid, el_grid01_grid(&s), 1,
                           "\"living_alone\":true,\"meal_provider\":\"canteen\",\"meal_days\":5");
    char path[160];
    snprintf(path, sizeof path, "/api/v1/elders?q=%s&limit=5", "%E8%80%81%E4%BA%BA1");
    json_t *l = EL(&s, grid, "GET", path, NULL, 200);
    CHECK(json_is_true(json_object_get(l, "masked")));
    json_t *it = json_array_get(json_object_get(l, "items"), 0);
    CHECK_INT(th_int(it, "id"), e);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    json_t *d = EL(&s, grid, "GET", path, NULL, 200);
    static const char *const same[] = {"name",
                                       "sex",
                                       "age",
                                       "grid_id",
                                       "living_alone",
                                       "empty_nest",
                                       "disabled",
                                       "ability_level",
                                       "meals_arranged",
                                       "doctor_contracted",
                                       "visit_tier",
                                       "next_visit_due",
                                       "visit_overdue",
                                       "status",
                                       NULL};
    for (int k = 0; same[k]; k++)
        if (!json_equal(json_object_get(it, same[k]), json_object_get(d, same[k])))
            t_fail(__FILE__, __LINE__, "list and record differ in %s", same[k]);
    CHECK(json_is_true(json_object_get(it, "living_alone")));
    CHECK(json_is_true(json_object_get(it, "meals_arranged")));
    CHECK(json_object_get(it, "id_number") == NULL && json_object_get(it, "phone") == NULL);
    json_decref(l);
    /* reveal: the numbers, unmasked, one audit row per record */
    long long before = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked'");
    snprintf(path, sizeof path, "/api/v1/elders?q=%s&limit=5&reveal=1", "%E8%80%81%E4%BA%BA1");
    l = EL(&s, off, "GET", path, NULL, 200);
    it = json_array_get(json_object_get(l, "items"), 0);
    CHECK_STR(th_str(it, "phone"), "13800001234");
    CHECK_INT(strlen(th_str(it, "id_number")), 18);
    CHECK(strchr(th_str(it, "id_number"), '*') == NULL);
    CHECK(json_is_false(json_object_get(l, "masked")));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked'"),
              before + (long long)json_array_size(json_object_get(l, "items")));
    json_decref(l);
    /* view=full: the whole record, as GET /elders/{id} */
    snprintf(path, sizeof path, "/api/v1/elders?q=%s&limit=5&view=full", "%E8%80%81%E4%BA%BA1");
    l = EL(&s, grid, "GET", path, NULL, 200);
    it = json_array_get(json_object_get(l, "items"), 0);
    /* as documented: each whole record says it is masked, the page has items and next_cursor */
    CHECK(json_is_true(json_object_get(it, "masked")) && !json_object_get(l, "masked"));
    json_object_del(it, "next_visit_due"), json_object_del(d, "next_visit_due");
    CHECK(json_equal(it, d));
    json_decref(l);
    json_decref(d);
    json_decref(EL(&s, grid, "GET", "/api/v1/elders?view=wide", NULL, 400));
    th_stop(&s);
}

/* A cached page is not served past the moment one of its clock-dependent fields changes: a
 * visit that falls due shows as overdue from the next Beijing day on, although nothing was
 * written (overdue is judged on the date: through the due day it is not, even past the hour). */
extern int64_t pj_test_clock_shift_s;
TEST_T(elder_list_cache_expires_with_the_clock, 30)
{
    /* 23:59:55 Beijing time */
    th_clock_at("2027-03-07", 23, 59);
    pj_test_clock_shift_s += 55;
    th_server s;
    th_start(&s, 1);
    char grid[80];
    th_login(&s, "grid01", s.demo_pw, grid);
    long long e = el_elder(&s, grid, el_grid01_grid(&s), 1, "\"visit_tier\":\"high_risk\"");
    char sql[160];
    /* due (7 days for high_risk) this morning */
    snprintf(sql, sizeof sql, "UPDATE elders SET last_visit_at = %lld WHERE id = %lld",
             (long long)(pj_now() - 7 * 86400 - 12 * 3600), e);
    th_sql_exec(&s, sql);
    const char *path = "/api/v1/elders?limit=500";
    int hit;
    json_t *a = get_cached(&s, grid, path, &hit);
    json_t *b = get_cached(&s, grid, path, &hit);
    CHECK_INT(hit, 1); /* from the cache */
    CHECK(json_is_false(
        json_object_get(json_array_get(json_object_get(b, "items"), 0), "visit_overdue")));
    json_decref(a);
    json_decref(b);
    int64_t midnight = pj_local_day_end(pj_now());
    while (pj_now() < midnight) usleep(200 * 1000);
    a = get_cached(&s, grid, path, &hit);
    CHECK_INT(hit, 0); /* expired with the clock, not with a write */
    CHECK(json_is_true(
        json_object_get(json_array_get(json_object_get(a, "items"), 0), "visit_overdue")));
    json_decref(a);
    th_stop(&s);
}
