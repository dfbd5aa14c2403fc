/* The enumerated list filters of the registry and users: a value outside the domain's list is a
 * 400 bad_query at the filter (a mistyped ?type= answered an empty list), each value of the
 * list is accepted. The lists are the domain's own. */
#include <stdio.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/registry.h"
#include "t.h"
#include "th.h"

TEST_T(registry_enumerated_filters_checked, 120)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_enum_filter(&s, adm, "/api/v1/users", "role", pj_user_roles);
    th_enum_filter(&s, adm, "/api/v1/regions", "type", pj_region_types);
    th_enum_filter(&s, adm, "/api/v1/organisations", "type", pj_org_types);
    th_enum_filter(&s, adm, "/api/v1/facilities", "type", pj_facility_types);
    th_enum_filter(&s, adm, "/api/v1/facilities", "role", pj_emergency_roles);
    th_enum_filter(&s, adm, "/api/v1/facilities", "state", pj_facility_states);
    th_stop(&s);
}

/* An answer that is not paged — an export, a derived figure, a report, one record — takes no
 * limit or cursor: ?limit=2 on the facility export answered every facility, unsaid, as if it
 * were obeyed. Now it is the 400 unknown_parameter any other parameter is; a list still pages. */
TEST_T(unpaged_reads_refuse_limit_and_cursor, 120)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    static const char *const paths[] = {"/api/v1/facilities/export?township_id=2",
                                        "/api/v1/indicators/export?format=csv",
                                        "/api/v1/indicators/derived?fn=yoy&code=gdp&period=2024",
                                        "/api/v1/eldercare/coverage",
                                        "/api/v1/overview",
                                        "/api/v1/dashboard",
                                        "/api/v1/carbon/emissions?year=2023",
                                        "/api/v1/carbon/intensity?year=2023",
                                        "/api/v1/logistics/kpi",
                                        "/api/v1/elders/1",
                                        "/api/v1/helpers/1"};
    static const char *const params[] = {"limit=2", "cursor=5"};
    char url[256];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        for (size_t k = 0; k < 2; k++) {
            snprintf(url, sizeof url, "%s%c%s", paths[i], strchr(paths[i], '?') ? '&' : '?',
                     params[k]);
            const char *key = k ? "cursor" : "limit";
            json_t *o = NULL;
            int st = th_call(&s, "GET", url, adm, NULL, &o);
            const char *code = th_err_code(o), *field = th_err_field(o);
            if (st != 400 || !code || strcmp(code, "unknown_parameter") || !field ||
                strcmp(field, key))
                t_fail(__FILE__, __LINE__, "GET %s: %d %s at %s, expected 400 unknown_parameter",
                       url, st, code ? code : "-", field ? field : "-");
            json_decref(o);
        }
    /* without them the exports and the report answer */
    CHECK_INT(th_call(&s, "GET", paths[0], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[1], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[3], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[4], adm, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", paths[8], adm, NULL, NULL), 200);
    /* and a list still takes them */
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?limit=2&cursor=1", adm, NULL, &o), 200);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), 2);
    json_decref(o);
    th_stop(&s);
}

/* The ids of a record list's items (agri-tech, logistics), in order, into ids; their count. */
static int rec_ids(th_server *s, const char *tok, const char *url, int *status, long long *ids,
                   int max)
{
    json_t *o = NULL;
    *status = th_call(s, "GET", url, tok, NULL, &o);
    json_t *items = json_object_get(o, "items");
    int n = 0;
    for (size_t i = 0; i < json_array_size(items) && n < max; i++)
        ids[n++] = json_integer_value(json_object_get(json_array_get(items, i), "id"));
    json_decref(o);
    return n;
}

/* The record lists (agri-tech, logistics) take their filters as the registry's lists do: a
 * reference filter of 0 or below is 400 bad_query (?township_id=0 answered an empty list), and a
 * repeated parameter counts with its first value (?limit=1&limit=3 showed 3 items, and
 * ?township_id=A&township_id=B matched nothing, each value a condition of its own). */
TEST_T(record_list_filters_as_the_registry_takes_them, 120)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], body[160], url[200];
    th_login(&s, "admin", s.admin_pw, adm);
    long long a = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    long long b = th_sql_int(&s, "SELECT MAX(id) FROM regions WHERE type = 'township'");
    CHECK(a > 0 && b > a);
    long long town[3] = {a, a, b};
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"name\":\"筛选物流园%d\",\"township_id\":%lld}", i, town[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/logistics/parks", adm, body, NULL), 201);
    }
    static const char *const refs[] = {"township_id=0", "township_id=-2", "organisation_id=0"};
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        snprintf(url, sizeof url, "/api/v1/logistics/parks?%s", refs[i]);
        json_t *o = NULL;
        int st = th_call(&s, "GET", url, adm, NULL, &o);
        const char *code = th_err_code(o), *field = th_err_field(o);
        if (st != 400 || !code || strcmp(code, "bad_query") || !field ||
            strncmp(field, refs[i], strlen(field)))
            t_fail(__FILE__, __LINE__, "GET %s: %d %s at %s, expected 400 bad_query", url, st,
                   code ? code : "-", field ? field : "-");
        json_decref(o);
    }
    long long ids[8];
    int st;
    /* the first value counts: the limit and a filter alike */
    CHECK_INT(rec_ids(&s, adm, "/api/v1/logistics/parks?limit=1&limit=3", &st, ids, 8), 1);
    CHECK_INT(st, 200);
    snprintf(url, sizeof url, "/api/v1/logistics/parks?township_id=%lld&township_id=%lld", a, b);
    CHECK_INT(rec_ids(&s, adm, url, &st, ids, 8), 2);
    CHECK_INT(st, 200);
    snprintf(url, sizeof url, "/api/v1/logistics/parks?township_id=%lld&township_id=%lld", b, a);
    CHECK_INT(rec_ids(&s, adm, url, &st, ids, 8), 1);
    CHECK_INT(st, 200);
    /* an empty first value is no filter, whatever follows */
    snprintf(url, sizeof url, "/api/v1/logistics/parks?township_id=&township_id=%lld", b);
    CHECK_INT(rec_ids(&s, adm, url, &st, ids, 8), 3);
    CHECK_INT(st, 200);
    /* the cursor too: the page after the first park, not the whole list again */
    CHECK_INT(rec_ids(&s, adm, "/api/v1/logistics/parks?limit=1", &st, ids, 8), 1);
    snprintf(url, sizeof url, "/api/v1/logistics/parks?cursor=%lld&cursor=0", ids[0]);
    long long first = ids[0];
    CHECK_INT(rec_ids(&s, adm, url, &st, ids, 8), 2);
    CHECK(ids[0] > first);
    th_stop(&s);
}

/* Regression: a time bound of the right form but beyond the years taken (until=2999-01-01) was
 * told "must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", which it was: the message names the years. */
TEST_T(time_bounds_out_of_the_years_say_so, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    static const char *const paths[] = {
        "/api/v1/audit?until=2999-01-01",
        "/api/v1/audit?since=1899-12-31",
        "/api/v1/service-logs?until=2999-01-01",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        json_t *o = NULL;
        int st = th_call(&s, "GET", paths[i], tok, NULL, &o);
        if (st != 400) t_fail(__FILE__, __LINE__, "GET %s: %d, expected 400", paths[i], st);
        CHECK_STR(th_err_code(o), "bad_query");
        if (!strstr(th_err_message(o), "of the years 1900 to 2200"))
            t_fail(__FILE__, __LINE__, "GET %s: %s", paths[i], th_err_message(o));
        json_decref(o);
    }
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/audit?until=2200-12-31", tok, NULL, &o), 200);
    json_decref(o);
    th_stop(&s);
}
