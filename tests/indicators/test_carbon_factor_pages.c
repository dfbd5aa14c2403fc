/* Regression: the emission factors page with limit and cursor as the other lists do (the limit
 * was taken and ignored: every version in one answer, at most 500 of them). */
#include <stdio.h>
#include <string.h>

#include "logistics/rec_fixture.h"

TEST_T(carbon_factor_list_pages_with_limit_and_cursor, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char view[80];
    th_login(&s, "viewer", s.demo_pw, view);
    long long all = th_sql_int(&s, "SELECT COUNT(*) FROM emission_factors");
    long long elec =
        th_sql_int(&s, "SELECT COUNT(*) FROM emission_factors WHERE energy_type = 'electricity'");
    CHECK(all > 3 && elec >= 2);
    static const char *const types[] = {"", "&energy_type=electricity"};
    for (int k = 0; k < 2; k++) {
        long long seen = 0, last = 0, pages = 0;
        char path[160];
        const char *cursor = NULL;
        json_t *o = NULL;
        do {
            snprintf(path, sizeof path, "/api/v1/carbon/factors?limit=1%s%s%s", types[k],
                     cursor ? "&cursor=" : "", cursor ? cursor : "");
            json_t *next = CALL(&s, "GET", view, path, NULL, 200);
            json_decref(o);
            o = next;
            json_t *items = json_object_get(o, "items");
            CHECK_INT((long long)json_array_size(items), 1);
            long long id = th_int(json_array_get(items, 0), "id");
            CHECK(id > last); /* no factor twice */
            last = id;
            if (k) CHECK_STR(th_str(json_array_get(items, 0), "energy_type"), "electricity");
            seen++, pages++;
            cursor = th_str(o, "next_cursor");
        } while (cursor && pages <= all);
        json_decref(o);
        CHECK_INT(seen, k ? elec : all);
    }
    /* a page of 500 holds them all, with no next page */
    json_t *o = CALL(&s, "GET", view, "/api/v1/carbon/factors?limit=500", NULL, 200);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), all);
    CHECK(json_is_null(json_object_get(o, "next_cursor")) || !json_object_get(o, "next_cursor"));
    json_decref(o);
    o = CALL(&s, "GET", view, "/api/v1/carbon/factors?limit=501", NULL, 400);
    CHECK_STR(th_err_field(o), "limit");
    json_decref(o);
    th_stop(&s);
}

/* `pingji carbon SUB` on the indicator demo lists a page of 500 by id and goes on from
 * --cursor: from the second item's id it lists the rest, the third first; a cursor that is no
 * id is a usage error. */
static void cli_pages_from_cursor(const char *sub)
{
    char out[1 << 20] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj-%s.db", t_tmpdir(), sub);
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "demo", "--db", db), 0);
    CHECK_INT(RUN(out, "carbon", sub, "--db", db), 0);
    json_t *o = json_loads(out, 0, NULL);
    json_t *items = json_object_get(o, "items");
    size_t n = json_array_size(items);
    CHECK(n > 3);
    CHECK(json_is_null(json_object_get(o, "next_cursor")));
    char cur[32];
    snprintf(cur, sizeof cur, "%lld", th_int(json_array_get(items, 1), "id"));
    long long third = th_int(json_array_get(items, 2), "id");
    json_decref(o);
    CHECK_INT(RUN(out, "carbon", sub, "--cursor", cur, "--db", db), 0);
    o = json_loads(out, 0, NULL);
    items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), (long long)n - 2);
    CHECK_INT(th_int(json_array_get(items, 0), "id"), third);
    json_decref(o);
    CHECK_INT(RUN(out, "carbon", sub, "--cursor", "x", "--db", db), 2);
}

TEST_T(cli_carbon_factors_go_on_from_cursor, 60)
{
    cli_pages_from_cursor("factors");
}

/* The energy use records the same way (the command listed the first 500 only). */
TEST_T(cli_carbon_energy_goes_on_from_cursor, 60)
{
    cli_pages_from_cursor("energy");
}
