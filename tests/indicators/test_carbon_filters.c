/* The filters of energy use: a value outside the domain's list of sectors is a 400 bad_query at
 * sector (a mistyped ?sector= answered an empty list), each sector is accepted; the period is
 * read as recording reads it. */
#include <stdio.h>
#include <string.h>

#include "domain/carbon.h"
#include "domain/indicator.h"
#include "t.h"
#include "th.h"

TEST_T(carbon_sector_filter_checked, 60)
{
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_enum_filter(&s, adm, "/api/v1/carbon/energy", "sector", pj_carbon_sectors);
    th_stop(&s);
}

/* The period filter of energy use reads a period as recording one does (2024q3 is 2024Q3, the
 * form it is stored in; a lower-case one matched nothing) and refuses a text that is no period
 * (400 bad_query at period; it answered an empty list). */
TEST_T(carbon_period_filter_reads_periods, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/carbon/energy", off,
                      "{\"sector\":\"public\",\"period\":\"2024q3\",\"energy_type\":\"coal\","
                      "\"quantity\":5}",
                      &o),
              201);
    CHECK_STR(th_str(o, "period"), "2024Q3");
    long long id = th_int(o, "id");
    json_decref(o);
    static const char *const same[] = {"2024Q3", "2024q3"};
    for (size_t i = 0; i < 2; i++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/carbon/energy?period=%s", same[i]);
        CHECK_INT(th_list_has(&s, off, path, "id", id), 1);
    }
    static const char *const bad[] = {"abc", "2024-1", "2024Q5", "2024-13", "24"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/carbon/energy?period=%s", bad[i]);
        CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 400);
        CHECK_STR(th_err_code(o), "bad_query");
        CHECK_STR(th_err_field(o), "period");
        json_decref(o);
    }
    th_stop(&s);
}

/* The year filter of energy use: every period of the year (2024, 2024H1, 2024Q3, 2024-08), the
 * records of a year the console's carbon page shows (it read every record and kept the year's
 * in the browser, so a district with many records could lose some of a year past its pages). */
TEST_T(carbon_year_filter_is_every_period_of_the_year, 60)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = NULL;
    static const char *const periods[] = {"2025", "2025H1", "2025q3", "2025-08", "2026-01"};
    long long ids[5];
    for (size_t i = 0; i < 5; i++) {
        char body[160];
        snprintf(body, sizeof body,
                 "{\"sector\":\"%s\",\"period\":\"%s\",\"energy_type\":\"coal\",\"quantity\":5}",
                 i == 0   ? "public"
                 : i == 1 ? "services"
                 : i == 2 ? "industry"
                          : "transport",
                 periods[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/carbon/energy", off, body, &o), 201);
        ids[i] = th_int(o, "id");
        json_decref(o);
    }
    for (size_t i = 0; i < 5; i++) {
        CHECK_INT(th_list_has(&s, off, "/api/v1/carbon/energy?year=2025&limit=500", "id", ids[i]),
                  i < 4);
        CHECK_INT(th_list_has(&s, off, "/api/v1/carbon/energy?year=2026&limit=500", "id", ids[i]),
                  i == 4);
    }
    /* the demo's year: as many as it holds, each of that year */
    CHECK_INT(th_call(&s, "GET", "/api/v1/carbon/energy?year=2024&limit=500", off, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    CHECK((long long)json_array_size(items) ==
          th_sql_int(&s, "SELECT COUNT(*) FROM energy_use WHERE period LIKE '2024%'"));
    CHECK(json_array_size(items) > 0);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) CHECK(!strncmp(th_str(it, "period"), "2024", 4));
    json_decref(o);
    static const char *const bad[] = {"abc", "24", "1899", "2201"};
    for (size_t k = 0; k < 4; k++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/carbon/energy?year=%s", bad[k]);
        CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 400);
        CHECK_STR(th_err_field(o), "year");
        json_decref(o);
    }
    th_stop(&s);
}
