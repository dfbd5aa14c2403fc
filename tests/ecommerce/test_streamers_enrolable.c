/* GET /api/v1/ecommerce/streamers?enrolable=true lists the streamers the caller may enrol, by
 * the enrolment's rule (pj_ac_enrolment_create): the console's enrolment picker asks for them,
 * so that a page of its search holds only streamers it may pick (it fetched 30 and hid the
 * anonymised ones, and could show a short page, or none, though more were enrolable). Paged to
 * the end, the list is exactly the streamers an enrolment is not refused for the streamer
 * (403 another organisation's, 422 unknown_id an anonymised one): for an enterprise its own
 * live ones and the live ones no organisation has signed; for a township officer every live
 * one (their scope is the cohort's base); for the district every live one; none for a viewer. */
#include <stdio.h>
#include <string.h>

#include "domain/ecommerce.h"
#include "ecommerce/streamer_fixture.h"
#include "t.h"
#include "th.h"

/* A streamer anonymised (DELETE) by tok. */
static long long anonymised(th_server *s, const char *tok, const char *name, long long org)
{
    char path[96];
    long long id = streamer(s, tok, name, org, 0);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", id);
    json_decref(CALL(s, "DELETE", tok, path, NULL, 204));
    return id;
}

/* An open cohort of course at base; its id. */
static long long open_cohort(th_server *s, const char *tok, long long course, long long base,
                             const char *name)
{
    char body[300], path[96];
    snprintf(body, sizeof body,
             "{\"course_id\":%lld,\"base_id\":%lld,\"name\":\"%s\",\"starts_on\":\"2024-03-01\","
             "\"ends_on\":\"2099-04-30\",\"capacity\":1000}",
             course, base, name);
    json_t *o = CALL(s, "POST", tok, "/api/v1/academy/cohorts", body, 201);
    long long id = th_int(o, "id");
    snprintf(body, sizeof body, "{\"state\":\"open\",\"version\":%lld}", th_int(o, "version"));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/academy/cohorts/%lld/state", id);
    json_decref(CALL(s, "POST", tok, path, body, 200));
    return id;
}

/* Every streamer of all[] enrolled by tok into cohort on post: listed enrolable (en[]) exactly
 * when the enrolment is not refused for whose streamer it is (403 at streamer_id) or for its
 * being anonymised (422 unknown_id); an age-rule refusal (the day's, not the list's) is of a
 * listed one. Returns how many enrolled. */
static int enrol_each(th_server *s, const char *tok, long long cohort, long long post,
                      const long long *all, int n_all, const long long *en, int n_en)
{
    int enrolled = 0;
    for (int i = 0; i < n_all; i++) {
        char body[200];
        snprintf(body, sizeof body, "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld}",
                 cohort, all[i], post);
        json_t *o = NULL;
        int st = th_call(s, "POST", "/api/v1/academy/enrolments", tok, body, &o);
        const char *code = th_err_code(o) ? th_err_code(o) : "";
        const char *field = th_err_field(o) ? th_err_field(o) : "";
        int refused_streamer = (st == 403 && !strcmp(field, "streamer_id")) ||
                               (st == 422 && !strcmp(code, "unknown_id"));
        if (st != 201 && !refused_streamer && !(st == 422 && !strcmp(field, "streamer_id")))
            t_fail(__FILE__, __LINE__, "enrolling %lld: %d %s at %s", all[i], st, code, field);
        if (refused_streamer == has(en, n_en, all[i]))
            t_fail(__FILE__, __LINE__, "streamer %lld: enrolment %d %s, listed enrolable %d",
                   all[i], st, code, has(en, n_en, all[i]));
        json_decref(o);
        enrolled += st == 201;
    }
    return enrolled;
}

TEST_T(ecommerce_streamers_enrolable_is_the_enrolment_rule, 180)
{
    th_server s;
    th_start(&s, 1);
    /* the streamers of the e-commerce demo (minors among them) and the academy's enrolments */
    th_demo(&s, pj_ecommerce_demo);
    th_demo(&s, pj_academy_demo);
    char town[80], off[80], jd[80], view[80], sql[300], body[400];
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    long long mytown = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long jdorg = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <> %lld", jdorg);
    long long other = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM regions WHERE type = 'township' AND id <> %lld",
             mytown);
    long long othertown = th_sql_int(&s, sql);
    CHECK(mytown > 0 && jdorg > 0 && other > 0 && othertown > 0);

    /* matching one search: 4 anonymised and 3 of another organisation first, then jd's own,
     * an unsigned one, one of another township — so that the first page of 3 of the old query
     * (organisation_id with or_unsigned) held anonymised ones only */
    long long no[7], yes[3];
    for (int i = 0; i < 4; i++) {
        char nm[40];
        snprintf(nm, sizeof nm, "可报注销%d", i);
        no[i] = anonymised(&s, i % 2 ? jd : off, nm, 0);
    }
    for (int i = 0; i < 3; i++) {
        char nm[40];
        snprintf(nm, sizeof nm, "可报他企%d", i);
        no[4 + i] = streamer(&s, off, nm, other, 0);
    }
    yes[0] = streamer(&s, jd, "可报自家", 0, 0);
    yes[1] = streamer(&s, off, "可报无签约", 0, mytown);
    yes[2] = streamer(&s, off, "可报外镇", 0, othertown);

    /* the picker's search, a page of 3: full, and only the enrolable */
    json_t *o =
        CALL(&s, "GET", jd,
             "/api/v1/ecommerce/streamers?enrolable=true&q=%E5%8F%AF%E6%8A%A5&limit=3", NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), 3);
    for (int i = 0; i < 3; i++) CHECK_INT(th_int(json_array_get(items, (size_t)i), "id"), yes[i]);
    CHECK(!json_string_value(json_object_get(o, "next_cursor")));
    json_decref(o);

    /* the fixture of the enrolments: jd's zone enterprise and its post, a course, two open
     * cohorts at a base of the officer's township */
    snprintf(body, sizeof body,
             "{\"name\":\"可报村播点\",\"tier\":\"village\",\"township_id\":%lld}", mytown);
    long long base = NEW(&s, off, "/api/v1/ecommerce/bases", body);
    snprintf(body, sizeof body,
             "{\"name\":\"可报企业\",\"kind\":\"mcn\",\"organisation_id\":%lld,"
             "\"settled_on\":\"2023-01-01\"}",
             jdorg);
    long long zone = NEW(&s, off, "/api/v1/ecommerce/zone-enterprises", body);
    snprintf(body, sizeof body,
             "{\"zone_enterprise_id\":%lld,\"title\":\"可报岗\",\"openings\":1000}", zone);
    long long post = NEW(&s, jd, "/api/v1/academy/posts", body);
    long long course =
        NEW(&s, off, "/api/v1/academy/courses",
            "{\"title\":\"可报课程\",\"category\":\"livestream_selling\",\"hours\":40,"
            "\"level\":5,\"practice_hours\":2}");
    long long for_jd = open_cohort(&s, off, course, base, "可报企业班");
    long long for_town = open_cohort(&s, off, course, base, "可报乡镇班");

    static long long all[MAXS], en[MAXS];
    int pages, n_all = all_pages(&s, off, "", 100, all, &pages);
    CHECK(n_all < MAXS);
    /* an enterprise: its own live ones and the unsigned live ones, paged to the end */
    int n_en = all_pages(&s, jd, "enrolable=true", 7, en, &pages);
    CHECK(pages >= 2);
    for (int i = 0; i < 3; i++) CHECK(has(en, n_en, yes[i]));
    for (int i = 0; i < 7; i++) CHECK(!has(en, n_en, no[i]));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0 AND (organisation_id IS NULL"
             " OR organisation_id = %lld)",
             jdorg);
    CHECK_INT(n_en, th_sql_int(&s, sql));
    CHECK(enrol_each(&s, jd, for_jd, post, all, n_all, en, n_en) >= 3);
    /* a township officer: every live one, of whichever township or organisation */
    n_en = all_pages(&s, town, "enrolable=true", 100, en, &pages);
    CHECK_INT(n_en, th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0"));
    CHECK(has(en, n_en, yes[2]) && has(en, n_en, no[4]) && !has(en, n_en, no[0]));
    CHECK(enrol_each(&s, town, for_town, post, all, n_all, en, n_en) >= 6);
    /* the district office: every live one; a viewer, who enrols nobody: none */
    n_en = all_pages(&s, off, "enrolable=true", 100, en, &pages);
    CHECK_INT(n_en, th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0"));
    CHECK_INT(all_pages(&s, view, "enrolable=true", 100, en, &pages), 0);
    /* with organisation_id it narrows: jd's own live ones */
    snprintf(sql, sizeof sql, "enrolable=true&organisation_id=%lld", jdorg);
    n_en = all_pages(&s, jd, sql, 100, en, &pages);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0 AND organisation_id = %lld",
             jdorg);
    CHECK_INT(n_en, th_sql_int(&s, sql));
    /* enrolable=false filters nothing; anything but true or false: 400 at the field */
    CHECK_INT(all_pages(&s, off, "enrolable=false", 100, en, &pages), n_all);
    o = CALL(&s, "GET", jd, "/api/v1/ecommerce/streamers?enrolable=1", NULL, 400);
    CHECK_STR(th_err_code(o), "bad_query");
    CHECK_STR(th_err_field(o), "enrolable");
    json_decref(o);
    th_stop(&s);
}
