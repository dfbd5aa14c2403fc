/* What the console offers a user is what the server lets them do: the streamers an enterprise
 * user may enrol (its own and those no organisation has signed) are one list query
 * (organisation_id with or_unsigned=true), and a township officer refused a streamer signed
 * with an organisation of no township is told so, not that the organisation "is of another
 * township"; the streamer's personal_data, which the console gates its buttons on, says the
 * same as the refusal. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

static long long new_id(th_server *s, const char *tok, const char *path, const char *body, int line)
{
    json_t *o = th_call_want(s, "POST", tok, path, body, 201, __FILE__, line);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}
#define NEW(s, tok, path, body) new_id(s, tok, path, body, __LINE__)

/* The ids a list answer holds, as a bit per index into ids[] (1 << i when ids[i] is listed). */
static unsigned listed(json_t *o, const long long *ids, int n)
{
    unsigned got = 0;
    json_t *items = json_object_get(o, "items");
    for (size_t k = 0; k < json_array_size(items); k++) {
        long long id = th_int(json_array_get(items, k), "id");
        for (int i = 0; i < n; i++)
            if (id == ids[i]) got |= 1u << i;
    }
    return got;
}

TEST_T(academy_enrolment_picker_lists_own_and_unsigned_streamers, 60)
{
    th_server s;
    th_start(&s, 1);
    char jd[80], off[80], body[512], path[256];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    long long jdorg = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char q[200];
    snprintf(q, sizeof q,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> %lld", jdorg);
    long long other = th_sql_int(&s, q);
    CHECK(jdorg > 0 && other > 0);
    /* jd's own, one no organisation has signed, another organisation's */
    long long ids[3];
    ids[0] = NEW(&s, jd, "/api/v1/ecommerce/streamers",
                 "{\"name\":\"挑选甲\",\"birth_date\":\"1990-01-01\",\"skill_level\":3}");
    ids[1] = NEW(&s, off, "/api/v1/ecommerce/streamers",
                 "{\"name\":\"挑选乙\",\"birth_date\":\"1990-01-01\",\"skill_level\":3}");
    snprintf(body, sizeof body,
             "{\"name\":\"挑选丙\",\"birth_date\":\"1990-01-01\",\"skill_level\":3,"
             "\"organisation_id\":%lld}",
             other);
    ids[2] = NEW(&s, off, "/api/v1/ecommerce/streamers", body);
    /* the picker's query: the own and the unsigned, not another organisation's */
    snprintf(path, sizeof path,
             "/api/v1/ecommerce/streamers?organisation_id=%lld&or_unsigned=true&q=%%E6%%8C%%91"
             "%%E9%%80%%89",
             jdorg);
    json_t *o = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK_INT(listed(o, ids, 3), 3);
    /* none listed has another organisation */
    json_t *items = json_object_get(o, "items");
    CHECK(json_array_size(items) >= 2);
    for (size_t k = 0; k < json_array_size(items); k++) {
        json_t *org = json_object_get(json_array_get(items, k), "organisation_id");
        CHECK(json_is_null(org) || json_integer_value(org) == jdorg);
    }
    json_decref(o);
    /* Regression: the list held anonymised streamers, the organisation's and unsigned ones,
     * which the picker offered and the enrolment refused (422 unknown_id at streamer_id); now
     * it holds the live ones only, as writable and enrolable do */
    long long gone[2];
    gone[0] = NEW(&s, jd, "/api/v1/ecommerce/streamers",
                  "{\"name\":\"挑选丁\",\"birth_date\":\"1990-01-01\",\"skill_level\":3}");
    gone[1] = NEW(&s, off, "/api/v1/ecommerce/streamers",
                  "{\"name\":\"挑选戊\",\"birth_date\":\"1990-01-01\",\"skill_level\":3}");
    for (int i = 0; i < 2; i++) {
        char del[96];
        snprintf(del, sizeof del, "/api/v1/ecommerce/streamers/%lld", gone[i]);
        json_decref(CALL(&s, "DELETE", i ? off : jd, del, NULL, 204));
    }
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 1 AND id IN (%lld, %lld)",
             gone[0], gone[1]);
    CHECK_INT(th_sql_int(&s, q), 2);
    /* searched by the name they were given (已注销主播#id): none listed */
    snprintf(path, sizeof path,
             "/api/v1/ecommerce/streamers?organisation_id=%lld&or_unsigned=true"
             "&q=%%E5%%B7%%B2%%E6%%B3%%A8%%E9%%94%%80&limit=100",
             jdorg);
    o = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK_INT(listed(o, gone, 2), 0);
    items = json_object_get(o, "items");
    for (size_t k = 0; k < json_array_size(items); k++)
        CHECK(!json_is_true(json_object_get(json_array_get(items, k), "anonymised")));
    json_decref(o);
    /* the list without or_unsigned still shows them (as anonymised) */
    o = CALL(&s, "GET", off, "/api/v1/ecommerce/streamers?q=%E5%B7%B2%E6%B3%A8%E9%94%80&limit=100",
             NULL, 200);
    CHECK_INT(listed(o, gone, 2), 3);
    json_decref(o);
    /* the live ones as before */
    snprintf(path, sizeof path,
             "/api/v1/ecommerce/streamers?organisation_id=%lld&or_unsigned=true&q=%%E6%%8C%%91"
             "%%E9%%80%%89",
             jdorg);
    o = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK_INT(listed(o, ids, 3), 3);
    json_decref(o);
    /* or_unsigned=false and organisation_id alone: the organisation's only, as before */
    snprintf(path, sizeof path,
             "/api/v1/ecommerce/streamers?organisation_id=%lld&or_unsigned=false&q=%%E6%%8C%%91"
             "%%E9%%80%%89",
             jdorg);
    o = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK_INT(listed(o, ids, 3), 1);
    json_decref(o);
    /* without organisation_id it widens nothing: said so; another value is no boolean */
    o = CALL(&s, "GET", jd, "/api/v1/ecommerce/streamers?or_unsigned=true", NULL, 400);
    CHECK_STR(th_err_code(o), "bad_query");
    CHECK_STR(th_err_field(o), "or_unsigned");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers?organisation_id=%lld&or_unsigned=1",
             jdorg);
    o = CALL(&s, "GET", jd, path, NULL, 400);
    CHECK_STR(th_err_field(o), "or_unsigned");
    json_decref(o);
    th_stop(&s);
}

TEST_T(ecommerce_streamer_of_an_organisation_of_no_township_refusal_says_so, 60)
{
    th_server s;
    th_start(&s, 1);
    char town[80], off[80], body[512], path[96];
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "officer", s.demo_pw, off);
    long long mytown = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    CHECK(mytown > 0);
    long long loose = NEW(&s, off, "/api/v1/organisations",
                          "{\"name\":\"无乡镇直播公司\",\"type\":\"enterprise\"}");
    snprintf(body, sizeof body,
             "{\"name\":\"无乡镇公司主播\",\"birth_date\":\"1990-01-01\",\"skill_level\":3,"
             "\"organisation_id\":%lld,\"township_id\":%lld}",
             loose, mytown);
    long long sid = NEW(&s, off, "/api/v1/ecommerce/streamers", body);
    /* the officer of the streamer's township sees no personal data: not theirs to write */
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    json_t *o = CALL(&s, "GET", town, path, NULL, 200);
    CHECK_INT(th_int(o, "township_id"), mytown);
    CHECK(json_is_false(json_object_get(o, "personal_data")));
    json_decref(o);
    /* and each write is refused saying the organisation is of no township */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    o = CALL(&s, "DELETE", town, path, NULL, 403);
    CHECK_STR(th_err_field(o), "id");
    CHECK_STR(th_err_message(o), "the streamer's organisation is of no township, not of yours");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld/followers", sid);
    o = CALL(&s, "POST", town, path,
             "{\"platform\":\"douyin\",\"as_of\":\"2024-06-01\",\"followers\":10}", 403);
    CHECK(strstr(th_err_message(o), "of no township") != NULL);
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"streamer_id\":%lld,\"platform\":\"douyin\",\"date\":\"2024-06-01\","
             "\"duration_min\":60,\"orders\":1,\"gmv_fen\":100}",
             sid);
    o = CALL(&s, "POST", town, "/api/v1/ecommerce/sessions", body, 403);
    CHECK_STR(th_err_field(o), "streamer_id");
    CHECK(strstr(th_err_message(o), "of no township") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* an organisation of another township is still said to be so */
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE township_id IS NOT NULL AND township_id <>"
             " %lld",
             mytown);
    long long away = th_sql_int(&s, sql);
    CHECK(away > 0);
    snprintf(sql, sizeof sql, "UPDATE ec_streamers SET organisation_id = %lld WHERE id = %lld",
             away, sid);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    o = CALL(&s, "DELETE", town, path, NULL, 403);
    CHECK_STR(th_err_message(o), "the streamer's organisation is of another township");
    json_decref(o);
    th_stop(&s);
}
