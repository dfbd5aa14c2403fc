/* Livestream e-commerce over the API: the seed's figures from the demo, a studio never
 * double-booked (two clients at once), the minor-consent rule at its boundaries, anonymising
 * delete keeping totals, personal data masked by role, bad input writing nothing, editing a
 * streamer. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "domain/ecommerce.h"
#include "domain/elder.h"
#include "t.h"
#include "th.h"

#include "core/util.h"

static void load_demo(th_server *s)
{
    pj_err err;
    pj_err_clear(&err);
    th_ctx t;
    th_ctx_open(s, &t, "demo", PJ_ROLE_ADMIN);
    if (pj_ecommerce_demo(&t.c, 7, &err)) t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    CHECK_INT(pj_ecommerce_demo(&t.c, 7, &err), 0); /* idempotent */
    th_ctx_close(&t);
}

/* A valid resident ID number from a 17-digit prefix. */
static void idn(const char *p17, char out[19])
{
    static const int wt[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (p17[i] - '0') * wt[i];
    snprintf(out, 19, "%s%c", p17, "10X98765432"[sum % 11]);
}

static json_t *kpi(th_server *s, const char *tok)
{
    return CALL(s, "GET", tok, "/api/v1/ecommerce/kpi", NULL, 200);
}

TEST_T(ecommerce_demo_holds_the_seed, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *k = kpi(&s, tok);
    CHECK_INT(th_int(k, "streamers"), 140);
    CHECK_INT(th_int(k, "avg_followers"), 10000);
    CHECK_INT(th_int(k, "followers_total"), 1400000);
    /* the zone's enterprises count once settled (the academy demo gives most their dates; the
     * e-commerce demo settles jd's and the MCN agencies): settled and unsettled are the 284 */
    CHECK(th_int(k, "zone_enterprises") > 0);
    CHECK_INT(th_int(k, "zone_enterprises") + th_int(k, "zone_enterprises_unsettled"), 284);
    CHECK_INT(th_int(json_object_get(k, "bases"), "hq"), 1);
    CHECK_INT(th_int(json_object_get(k, "bases"), "platform"), 5);
    CHECK(th_int(json_object_get(k, "bases"), "village") >= 1);
    CHECK(th_int(k, "sessions") > 0 && th_int(k, "gmv_fen") > 0);
    CHECK_INT(th_int(k, "streamers_active"), 140);
    /* hours to a tenth, recomputed from the sessions' minutes (truncated to whole hours before) */
    long long minutes = th_sql_int(&s, "SELECT SUM(duration_min) FROM ec_sessions");
    CHECK(fabs(json_number_value(json_object_get(k, "hours")) - round(minutes / 6.0) / 10) < 1e-9);
    json_decref(k);
    /* followers as they stood at the end of the range: the demo's counts at the end of the
     * month before the latest count's (the demo counts at the last three month ends) */
    char asof[11], range_path[128], sum_sql[128];
    time_t mt = (time_t)th_sql_int(&s, "SELECT CAST(strftime('%s', as_of) AS INTEGER) FROM"
                                       " (SELECT DISTINCT as_of FROM ec_followers ORDER BY as_of"
                                       " LIMIT 1 OFFSET 1)");
    struct tm mtm;
    gmtime_r(&mt, &mtm);
    strftime(asof, sizeof asof, "%Y-%m-%d", &mtm);
    snprintf(range_path, sizeof range_path, "/api/v1/ecommerce/kpi?from=%.8s01&to=%s", asof, asof);
    snprintf(sum_sql, sizeof sum_sql, "SELECT SUM(followers) FROM ec_followers WHERE as_of = '%s'",
             asof);
    k = CALL(&s, "GET", tok, range_path, NULL, 200);
    CHECK_INT(th_int(k, "followers_total"), th_sql_int(&s, sum_sql));
    CHECK(th_int(k, "followers_total") < 1400000 && th_int(k, "followers_total") > 1000000);
    json_decref(k);
    json_t *b = CALL(&s, "GET", tok, "/api/v1/ecommerce/bases?tier=platform", NULL, 200);
    json_t *items = json_object_get(b, "items");
    CHECK_INT(json_array_size(items), 5);
    int found = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(th_str(json_array_get(items, i), "name"), "国农港智慧云供销村播产业园")) {
            CHECK_INT(th_int(json_array_get(items, i), "studios"), 40);
            CHECK_STR(th_str(json_array_get(items, i), "source"), "seed");
            found = 1;
        }
    CHECK(found);
    json_decref(b);
    /* the demo's invented rows are labelled */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers WHERE source <> 'synthetic'"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_zone_enterprises WHERE source ="
                             " 'synthetic'"),
              284);
    /* a viewer sees no personal data of the demo's streamers */
    json_t *st = CALL(&s, "GET", tok, "/api/v1/ecommerce/streamers?limit=3", NULL, 200);
    json_t *x = json_array_get(json_object_get(st, "items"), 0);
    /* the region kept, the other 12 hidden: the age shown beside it cannot rebuild it */
    CHECK(strlen(th_str(x, "id_number")) == 18 &&
          !strcmp(th_str(x, "id_number") + 6, "************"));
    CHECK(json_object_get(x, "birth_date") == NULL);
    /* q finds streamers by part of the name (the console's picker): the rows whose name holds
     * it, all of them, and none for a name nobody has */
    char want[128], path[512], sql[512];
    snprintf(want, sizeof want, "%s", th_str(x, "name"));
    json_decref(st);
    size_t wl = strlen(want), cut = wl - 1; /* "新农人主播001" → "新农人主播00": 001…009 */
    want[cut] = 0;
    int n = snprintf(path, sizeof path, "/api/v1/ecommerce/streamers?limit=500&q=");
    for (size_t i = 0; i < cut; i++)
        n += snprintf(path + n, sizeof path - (size_t)n, "%%%02X", (unsigned char)want[i]);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ec_streamers WHERE instr(name, '%s') > 0",
             want);
    long long expect = th_sql_int(&s, sql);
    CHECK(expect >= 1 && expect < 140);
    st = CALL(&s, "GET", tok, path, NULL, 200);
    items = json_object_get(st, "items");
    CHECK_INT((long long)json_array_size(items), expect);
    for (size_t i = 0; i < json_array_size(items); i++)
        CHECK(strstr(th_str(json_array_get(items, i), "name"), want) != NULL);
    /* the base's name beside its id */
    json_t *s0 = json_array_get(items, 0);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ec_bases WHERE id = %lld AND name = '%s'",
             th_int(s0, "base_id"),
             json_is_string(json_object_get(s0, "base")) ? th_str(s0, "base") : "?");
    CHECK_INT(th_sql_int(&s, sql), 1);
    json_decref(st);
    st = CALL(&s, "GET", tok, "/api/v1/ecommerce/streamers?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%BA%BA",
              NULL, 200);
    CHECK_INT(json_array_size(json_object_get(st, "items")), 0);
    json_decref(st);
    th_stop(&s);
}

static long long first_studio(th_server *s, const char *tok)
{
    json_t *o = CALL(s, "GET", tok, "/api/v1/ecommerce/studios?limit=1", NULL, 200);
    long long id = th_int(json_array_get(json_object_get(o, "items"), 0), "id");
    json_decref(o);
    return id;
}

TEST_T(ecommerce_studio_never_double_booked, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80], jd[80];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "jd", s.demo_pw, jd);
    long long studio = first_studio(&s, tok);
    char body[256];
    snprintf(body, sizeof body,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-05-01T08:00:00Z\","
             "\"ends_at\":\"2030-05-01T10:00:00Z\",\"purpose\":\"大桃专场\"}",
             studio);
    /* two clients at once: exactly one 201, one 409 */
    int pipes[2][2];
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        if (pipe(pipes[k])) t_fail(__FILE__, __LINE__, "pipe");
        fflush(NULL);
        if ((kids[k] = fork()) == 0) {
            int st = th_call(&s, "POST", "/api/v1/ecommerce/bookings", k ? jd : tok, body, NULL);
            if (write(pipes[k][1], &st, sizeof st) != sizeof st) _exit(2);
            _exit(0);
        }
    }
    int got[2];
    for (int k = 0; k < 2; k++) {
        if (read(pipes[k][0], &got[k], sizeof got[k]) != sizeof got[k]) got[k] = 0;
        waitpid(kids[k], NULL, 0);
    }
    CHECK((got[0] == 201 && got[1] == 409) || (got[0] == 409 && got[1] == 201));
    /* the demo's own bookings (weeks around today) are no part of the count */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings WHERE starts_at >= 1893456000"), 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_booking_slots WHERE slot >= 1893456000 /"
                             " 1800"),
              4);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ec_booking'"), 1);
    /* an overlap by one slot is refused with nothing written; the adjacent slot is free */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-05-01T09:30:00Z\","
             "\"ends_at\":\"2030-05-01T11:00:00Z\"}",
             studio);
    json_t *e = CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", body, 409);
    CHECK_STR(th_err_code(e), "studio_booked");
    json_decref(e);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    snprintf(body, sizeof body,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-05-01T10:00:00Z\","
             "\"ends_at\":\"2030-05-01T11:00:00Z\"}",
             studio);
    json_t *b2 = CALL(&s, "POST", jd, "/api/v1/ecommerce/bookings", body, 201);
    long long id2 = th_int(b2, "id");
    CHECK(th_int(b2, "organisation_id") > 0); /* an enterprise books for itself */
    json_decref(b2);
    /* the calendar lists both; cancelling frees the slots for another booking */
    char path[160];
    snprintf(path, sizeof path,
             "/api/v1/ecommerce/bookings?studio_id=%lld&from=2030-05-01&to=2030-05-02", studio);
    json_t *cal = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_INT(json_array_size(json_object_get(cal, "items")), 2);
    json_decref(cal);
    snprintf(path, sizeof path, "/api/v1/ecommerce/bookings/%lld", id2);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 204));
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 409));
    json_decref(CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", body, 201));
    json_decref(CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", body, 409));
    /* a viewer may not book */
    char vt[80];
    th_login(&s, "viewer", s.demo_pw, vt);
    json_decref(CALL(&s, "POST", vt, "/api/v1/ecommerce/bookings", body, 403));
    th_stop(&s);
}

static size_t calendar_count(th_server *s, const char *tok, long long studio, const char *from,
                             const char *to)
{
    char path[200];
    snprintf(path, sizeof path, "/api/v1/ecommerce/bookings?studio_id=%lld&from=%s&to=%s", studio,
             from, to);
    json_t *cal = CALL(s, "GET", tok, path, NULL, 200);
    size_t n = json_array_size(json_object_get(cal, "items"));
    json_decref(cal);
    return n;
}

/* The calendar's bare dates are days of Beijing time, both ends included: a session at 04:00
 * on 1 December in Pinggu (20:00Z the day before) is on 1 December; one at 01:00 on 2 December
 * (17:00Z on the 1st) is not. */
TEST_T(ecommerce_calendar_days_are_beijing_days, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long studio = first_studio(&s, tok);
    char body[256];
    snprintf(body, sizeof body,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-11-30T20:00:00Z\","
             "\"ends_at\":\"2030-11-30T21:00:00Z\"}",
             studio);
    json_decref(CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", body, 201));
    snprintf(body, sizeof body,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-12-01T17:00:00Z\","
             "\"ends_at\":\"2030-12-01T18:00:00Z\"}",
             studio);
    json_decref(CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", body, 201));
    CHECK_INT(calendar_count(&s, tok, studio, "2030-12-01", "2030-12-01"), 1);
    CHECK_INT(calendar_count(&s, tok, studio, "2030-12-02", "2030-12-02"), 1);
    CHECK_INT(calendar_count(&s, tok, studio, "2030-12-01", "2030-12-02"), 2);
    CHECK_INT(calendar_count(&s, tok, studio, "2030-11-30", "2030-11-30"), 0);
    /* exact times stay exact, `to` excluded */
    CHECK_INT(calendar_count(&s, tok, studio, "2030-11-30T20:00:00Z", "2030-12-01T17:00:00Z"), 1);
    th_stop(&s);
}

static int create_streamer(th_server *s, const char *tok, const char *birth_date, const char *extra,
                           json_t **out)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"测试主播\",\"birth_date\":\"%s\",\"skill_level\":4,"
             "\"categories\":[\"peach\",\"eggs\"]%s}",
             birth_date, extra);
    return th_call(s, "POST", "/api/v1/ecommerce/streamers", tok, body, out);
}

TEST_T(ecommerce_minor_consent_boundaries, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], b[11];
    static const char consent[] = ",\"guardian_name\":\"王芳\",\"guardian_relation\":\"母亲\","
                                  "\"guardian_consent_date\":\"2024-01-02\"";
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = NULL;
    /* 15 years 364 days: too young even with consent */
    th_day_rel(16, 1, b);
    CHECK_INT(create_streamer(&s, tok, b, consent, &o), 422);
    CHECK_STR(th_err_code(o), "too_young");
    json_decref(o);
    /* 16 today, without consent: refused */
    th_day_rel(16, 0, b);
    CHECK_INT(create_streamer(&s, tok, b, "", &o), 422);
    CHECK_STR(th_err_code(o), "guardian_consent_required");
    json_decref(o);
    /* a guardian's relation of spaces is none (it passed the rule) */
    CHECK_INT(create_streamer(&s, tok, b,
                              ",\"guardian_name\":\"王芳\",\"guardian_relation\":\"\u3000 \","
                              "\"guardian_consent_date\":\"2024-01-02\"",
                              &o),
              422);
    CHECK_STR(th_err_field(o), "guardian_relation");
    json_decref(o);
    /* consent incomplete (no date): refused */
    CHECK_INT(create_streamer(&s, tok, b,
                              ",\"guardian_name\":\"王芳\",\"guardian_relation\":\"母亲\"", &o),
              422);
    CHECK_STR(th_err_field(o), "guardian_consent_date");
    json_decref(o);
    /* 17 years 364 days without consent: still refused */
    th_day_rel(18, 1, b);
    CHECK_INT(create_streamer(&s, tok, b, "", &o), 422);
    CHECK_STR(th_err_code(o), "guardian_consent_required");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    /* 16 today with consent: fine */
    th_day_rel(16, 0, b);
    CHECK_INT(create_streamer(&s, tok, b, consent, &o), 201);
    CHECK_INT(th_int(o, "age"), 16);
    CHECK(json_is_true(json_object_get(o, "guardian_consent")));
    json_decref(o);
    /* 18 today without consent: fine */
    th_day_rel(18, 0, b);
    CHECK_INT(create_streamer(&s, tok, b, "", &o), 201);
    CHECK_INT(th_int(o, "age"), 18);
    long long adult = th_int(o, "id");
    json_decref(o);
    /* an adult's consent date, when given, is a real past date after the birth too
     * (regression: 2026-13-45 and 2026-02-30 were stored for an adult) */
    static const char *const bad[] = {"2026-13-45", "2026-02-30", "2026-+1-05", "9999-12-31",
                                      "1990-01-01"};
    char extra[160], path[64];
    th_fingerprint(&s, fp0, sizeof fp0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(extra, sizeof extra,
                 ",\"guardian_name\":\"王芳\",\"guardian_relation\":\"母亲\","
                 "\"guardian_consent_date\":\"%s\"",
                 bad[i]);
        CHECK_INT(create_streamer(&s, tok, b, extra, &o), 422);
        CHECK_STR(th_err_field(o), "guardian_consent_date");
        json_decref(o);
        char body[96];
        snprintf(body, sizeof body, "{\"version\":1,\"guardian_consent_date\":\"%s\"}", bad[i]);
        snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", adult);
        o = CALL(&s, "PATCH", tok, path, body, 422);
        CHECK_STR(th_err_field(o), "guardian_consent_date");
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    th_stop(&s);
}

TEST_T(ecommerce_delete_anonymises_and_keeps_totals, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80], id_number[19], extra[256], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    idn("11011719900101123", id_number);
    snprintf(extra, sizeof extra, ",\"id_number\":\"%s\",\"phone\":\"13912345678\"", id_number);
    json_t *st = NULL;
    CHECK_INT(create_streamer(&s, tok, "1990-01-01", extra, &st), 201);
    long long sid = th_int(st, "id");
    CHECK_STR(th_str(st, "id_number"), id_number); /* the officer sees it */
    json_decref(st);
    char body[256];
    snprintf(body, sizeof body,
             "{\"streamer_id\":%lld,\"platform\":\"douyin\",\"date\":\"2024-06-01\","
             "\"duration_min\":120,\"orders\":300,\"gmv_fen\":1234500,\"product_ids\":[1]}",
             sid);
    json_decref(CALL(&s, "POST", tok, "/api/v1/ecommerce/sessions", body, 201));
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld/followers", sid);
    json_decref(CALL(&s, "POST", tok, path,
                     "{\"platform\":\"kuaishou\",\"as_of\":\"2024-06-30\",\"followers\":5000}",
                     201));
    json_t *k0 = kpi(&s, tok);
    CHECK_INT(th_int(k0, "streamers"), 141);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 204));
    json_t *k1 = kpi(&s, tok);
    CHECK_INT(th_int(k1, "sessions"), th_int(k0, "sessions"));
    CHECK_INT(th_int(k1, "orders"), th_int(k0, "orders"));
    CHECK_INT(th_int(k1, "gmv_fen"), th_int(k0, "gmv_fen"));
    /* the deleted streamer had a session: no longer among the active, as not on the register */
    CHECK_INT(th_int(k1, "streamers_active"), th_int(k0, "streamers_active") - 1);
    CHECK(th_int(k1, "streamers_active") <= th_int(k1, "streamers"));
    CHECK_INT(th_int(k1, "streamers"), 140);
    CHECK_INT(th_int(k1, "streamers_deleted"), 1);
    json_decref(k0);
    json_decref(k1);
    json_t *g = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK(json_is_true(json_object_get(g, "anonymised")));
    CHECK(strstr(th_str(g, "name"), "已注销") != NULL);
    CHECK(json_is_null(json_object_get(g, "id_number")));
    CHECK(json_is_null(json_object_get(g, "phone")));
    CHECK_INT(th_int(g, "gmv_fen"), 1234500);
    CHECK_INT(th_int(g, "sessions"), 1);
    json_decref(g);
    /* nothing personal is left anywhere, audit rows included */
    char q[256];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE COALESCE(before_json, '') || COALESCE(after_json,"
             " '') LIKE '%%%s%%' OR COALESCE(after_json, '') LIKE '%%13912345678%%'",
             id_number);
    CHECK_INT(th_sql_int(&s, q), 0);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM ec_streamers WHERE id_number = '%s'", id_number);
    CHECK_INT(th_sql_int(&s, q), 0);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 409));
    th_stop(&s);
}

TEST_T(ecommerce_personal_data_by_role, 60)
{
    th_server s;
    th_start(&s, 1);
    char jd[80], off[80], view[80], town[80], id_number[19], extra[256], path[96];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    idn("11011719950505001", id_number);
    snprintf(extra, sizeof extra, ",\"id_number\":\"%s\",\"phone\":\"13800001234\"", id_number);
    json_t *st = NULL;
    CHECK_INT(create_streamer(&s, jd, "1995-05-05", extra, &st), 201); /* for jd's own org */
    long long sid = th_int(st, "id");
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    CHECK_INT(th_int(st, "organisation_id"), org);
    json_decref(st);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    const char *who[] = {jd, off, view, town};
    const int full[] = {1, 1, 0, 0};
    for (int i = 0; i < 4; i++) {
        json_t *g = CALL(&s, "GET", who[i], path, NULL, 200);
        if (full[i]) {
            CHECK_STR(th_str(g, "id_number"), id_number);
            CHECK_STR(th_str(g, "phone"), "13800001234");
            CHECK_STR(th_str(g, "birth_date"), "1995-05-05");
        } else {
            CHECK_STR(th_str(g, "phone"), "138****1234");
            char masked[19]; /* the region kept, the other 12 hidden (the age is shown) */
            snprintf(masked, sizeof masked, "%.6s************", id_number);
            CHECK_STR(th_str(g, "id_number"), masked);
            CHECK(json_object_get(g, "birth_date") == NULL);
            CHECK(json_is_false(json_object_get(g, "personal_data")));
        }
        CHECK(th_int(g, "age") >= 29);
        json_decref(g);
    }
    /* an enterprise acts only for itself; other roles' writes are refused */
    snprintf(extra, sizeof extra, ",\"organisation_id\":%lld", org + 1);
    json_t *o = NULL;
    CHECK_INT(create_streamer(&s, jd, "1990-01-01", extra, &o), 403);
    json_decref(o);
    CHECK_INT(create_streamer(&s, view, "1990-01-01", "", &o), 403);
    json_decref(o);
    json_decref(CALL(&s, "DELETE", town, path, NULL, 403));
    json_decref(CALL(&s, "DELETE", jd, path, NULL, 204));
    th_stop(&s);
}

TEST_T(ecommerce_bad_input_writes_nothing, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long studio = first_studio(&s, tok);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    char b1[200], b2[200], b3[200], b4[200];
    snprintf(b1, sizeof b1,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-05-01T08:10:00Z\",\"ends_at\":"
             "\"2030-05-01T09:00:00Z\"}",
             studio);
    snprintf(b2, sizeof b2,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-05-01T10:00:00Z\",\"ends_at\":"
             "\"2030-05-01T09:00:00Z\"}",
             studio);
    snprintf(b3, sizeof b3,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-05-01T00:00:00Z\",\"ends_at\":"
             "\"2030-05-02T00:30:00Z\"}",
             studio);
    snprintf(b4, sizeof b4,
             "{\"studio_id\":999999,\"starts_at\":\"2030-05-01T00:00:00Z\",\"ends_at\":"
             "\"2030-05-01T00:30:00Z\"}");
    /* a month of product 1's online-shop sales and a count of streamer 1's on record in the
     * demo (its dates run on the clock) */
    char sale_dup[160], follow_dup[160];
    long long ym = th_sql_int(&s, "SELECT CAST(substr(month, 1, 4) AS INTEGER) * 100 +"
                                  " CAST(substr(month, 6, 2) AS INTEGER) FROM ec_product_sales"
                                  " WHERE product_id = 1 AND channel = 'ecommerce' ORDER BY month"
                                  " LIMIT 1");
    snprintf(sale_dup, sizeof sale_dup,
             "{\"month\":\"%04lld-%02lld\",\"channel\":\"ecommerce\",\"orders\":1,"
             "\"gmv_fen\":1}",
             ym / 100, ym % 100);
    const char *plat = NULL;
    for (int i = 0; pj_ec_platforms[i] && !plat; i++) {
        char q[160];
        snprintf(q, sizeof q,
                 "SELECT COUNT(*) FROM ec_followers WHERE streamer_id = 1 AND platform = '%s'",
                 pj_ec_platforms[i]);
        if (th_sql_int(&s, q)) plat = pj_ec_platforms[i];
    }
    CHECK(plat != NULL);
    time_t ft = (time_t)th_sql_int(&s, "SELECT CAST(strftime('%s', MAX(as_of)) AS INTEGER) FROM"
                                       " ec_followers WHERE streamer_id = 1");
    struct tm ftm;
    gmtime_r(&ft, &ftm);
    char fday[11];
    strftime(fday, sizeof fday, "%Y-%m-%d", &ftm);
    snprintf(follow_dup, sizeof follow_dup,
             "{\"platform\":\"%s\",\"as_of\":\"%s\",\"followers\":1}", plat ? plat : "-", fday);
    const struct {
        const char *method, *path;
        const char *body;
        int status;
        const char *field;
    } bad[] = {
        {"POST", "/api/v1/ecommerce/bookings", "[]", 400, ""},
        {"POST", "/api/v1/ecommerce/bookings", "{\"studio_id\":1,\"x\":1}", 422, "x"},
        {"POST", "/api/v1/ecommerce/streamers",
         "{\"name\":\"a\",\"birth_date\":\"1990-02-30\",\"skill_level\":3}", 422, "birth_date"},
        {"POST", "/api/v1/ecommerce/streamers",
         "{\"name\":\"a\",\"birth_date\":\"1990-02-01\",\"skill_level\":6}", 422, "skill_level"},
        {"POST", "/api/v1/ecommerce/streamers",
         "{\"name\":\"a\",\"birth_date\":\"1990-02-01\",\"skill_level\":3,"
         "\"id_number\":\"110117199002011230\"}",
         422, "id_number"},
        {"POST", "/api/v1/ecommerce/streamers",
         "{\"name\":\"a\",\"birth_date\":\"1990-02-01\",\"skill_level\":3,\"phone\":"
         "\"2391234567a\"}",
         422, "phone"},
        {"POST", "/api/v1/ecommerce/streamers",
         "{\"name\":\"a\",\"birth_date\":\"1990-02-01\",\"skill_level\":3,"
         "\"categories\":[\"guns\"]}",
         422, "categories"},
        {"POST", "/api/v1/ecommerce/sessions",
         "{\"streamer_id\":1,\"platform\":\"douyin\",\"date\":\"2024-06-01\","
         "\"duration_min\":0,\"orders\":1,\"gmv_fen\":1}",
         422, "duration_min"},
        {"POST", "/api/v1/ecommerce/sessions",
         "{\"streamer_id\":1,\"platform\":\"douyin\",\"date\":\"2024-06-01\","
         "\"duration_min\":60,\"orders\":1,\"gmv_fen\":1,\"product_ids\":[999999]}",
         422, "product_ids"},
        {"POST", "/api/v1/ecommerce/sessions",
         "{\"streamer_id\":1,\"platform\":\"myspace\",\"date\":\"2024-06-01\","
         "\"duration_min\":60,\"orders\":1,\"gmv_fen\":1}",
         422, "platform"},
        {"POST", "/api/v1/ecommerce/products/1/sales",
         "{\"month\":\"2024-13\",\"channel\":\"livestream\",\"orders\":1,\"gmv_fen\":1}", 422,
         "month"},
        {"POST", "/api/v1/ecommerce/products/1/sales", sale_dup, 409, "month"},
        {"POST", "/api/v1/ecommerce/streamers/1/followers", follow_dup, 409, "as_of"},
        {"POST", "/api/v1/ecommerce/bases",
         "{\"name\":\"中国乐谷·村播学院总部基地\",\"tier\":\"hq\"}", 409, "name"},
        {"POST", "/api/v1/ecommerce/bases", "{\"name\":\"x\",\"tier\":\"galaxy\"}", 422, "tier"},
        {"GET", "/api/v1/ecommerce/kpi?from=2024-1-1", NULL, 400, "from"},
        {"GET", "/api/v1/ecommerce/bases?colour=red", NULL, 400, "colour"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = NULL;
        int st = th_call(&s, bad[i].method, bad[i].path, tok, bad[i].body, &o);
        if (st != bad[i].status || strcmp(th_err_field(o) ? th_err_field(o) : "", bad[i].field))
            t_fail(__FILE__, __LINE__, "case %zu: %d %s, expected %d %s", i, st,
                   th_err_field(o) ? th_err_field(o) : "-", bad[i].status, bad[i].field);
        json_decref(o);
    }
    const char *bk[] = {b1, b2, b3, b4};
    const char *bf[] = {"starts_at", "ends_at", "ends_at", "studio_id"};
    for (int i = 0; i < 4; i++) {
        json_t *o = CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", bk[i], 422);
        CHECK_STR(th_err_field(o), bf[i]);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    th_stop(&s);
}

/* PATCH of a streamer: fields changed or cleared, the version guarding against lost updates,
 * the age rule and the scopes on the result, an audit row without personal data; every
 * refused change writes nothing. */
TEST_T(ecommerce_streamer_update, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], view[80], town[80], id_number[19], extra[256], path[96], body[512];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    idn("11011719880808002", id_number);
    snprintf(extra, sizeof extra, ",\"id_number\":\"%s\",\"phone\":\"13700001111\"", id_number);
    json_t *st = NULL;
    CHECK_INT(create_streamer(&s, off, "1988-08-08", extra, &st), 201);
    long long sid = th_int(st, "id");
    CHECK_INT(th_int(st, "version"), 1);
    json_decref(st);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    /* a new phone, level and categories; the ID number cleared; the rest kept */
    json_t *u = CALL(&s, "PATCH", off, path,
                     "{\"version\":1,\"phone\":\"13911112222\",\"skill_level\":2,"
                     "\"categories\":[\"vegetable\"],\"id_number\":null}",
                     200);
    CHECK_INT(th_int(u, "version"), 2);
    CHECK_STR(th_str(u, "phone"), "13911112222");
    CHECK_INT(th_int(u, "skill_level"), 2);
    CHECK(json_is_null(json_object_get(u, "id_number")));
    CHECK_STR(th_str(u, "name"), "测试主播");
    CHECK_STR(th_str(u, "birth_date"), "1988-08-08");
    json_t *cats = json_object_get(u, "categories");
    CHECK(json_is_array(cats) && json_array_size(cats) == 1);
    CHECK_STR(json_string_value(json_array_get(cats, 0)), "vegetable");
    json_decref(u);
    /* the audit row names the change but keeps no phone number */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ec_streamer' AND action"
                             " = 'update'"),
              1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE COALESCE(before_json, '') ||"
                             " COALESCE(after_json, '') LIKE '%13911112222%' OR"
                             " COALESCE(before_json, '') LIKE '%13700001111%'"),
              0);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], b16[11];
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o;
    /* refused, each writing nothing: a stale version, a minor without consent, a required
     * field nulled, an unknown field, a bad phone, another organisation's streamer for the
     * enterprise user, a township officer outside its township, a viewer */
    o = CALL(&s, "PATCH", off, path, "{\"version\":1,\"skill_level\":5}", 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    th_day_rel(16, 0, b16);
    snprintf(body, sizeof body, "{\"version\":2,\"birth_date\":\"%s\"}", b16);
    o = CALL(&s, "PATCH", off, path, body, 422);
    CHECK_STR(th_err_code(o), "guardian_consent_required");
    json_decref(o);
    o = CALL(&s, "PATCH", off, path, "{\"version\":2,\"name\":null}", 422);
    CHECK_STR(th_err_field(o), "name");
    json_decref(o);
    o = CALL(&s, "PATCH", off, path, "{\"version\":2,\"nickname\":\"x\"}", 422);
    CHECK_STR(th_err_field(o), "nickname");
    json_decref(o);
    o = CALL(&s, "PATCH", off, path, "{\"version\":2,\"phone\":\"23911112222\"}", 422);
    CHECK_STR(th_err_field(o), "phone");
    json_decref(o);
    o = CALL(&s, "PATCH", off, path, "{\"skill_level\":3}", 422);
    CHECK_STR(th_err_field(o), "version");
    json_decref(o);
    json_decref(CALL(&s, "PATCH", jd, path, "{\"version\":2,\"skill_level\":3}", 403));
    json_decref(CALL(&s, "PATCH", town, path, "{\"version\":2,\"skill_level\":3}", 403));
    json_decref(CALL(&s, "PATCH", view, path, "{\"version\":2,\"skill_level\":3}", 403));
    json_decref(CALL(&s, "PATCH", off, "/api/v1/ecommerce/streamers/999999",
                     "{\"version\":1,\"skill_level\":3}", 404));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    /* 16 with a guardian's consent: accepted; the consent cannot then be dropped */
    snprintf(body, sizeof body,
             "{\"version\":2,\"birth_date\":\"%s\",\"guardian_name\":\"王芳\","
             "\"guardian_relation\":\"母亲\",\"guardian_consent_date\":\"2024-01-02\"}",
             b16);
    u = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_INT(th_int(u, "age"), 16);
    CHECK(json_is_true(json_object_get(u, "guardian_consent")));
    json_decref(u);
    o = CALL(&s, "PATCH", off, path, "{\"version\":3,\"guardian_consent_date\":null}", 422);
    CHECK_STR(th_err_field(o), "guardian_consent_date");
    json_decref(o);
    /* the enterprise user's own streamer: it may edit it but not hand it to another org */
    CHECK_INT(create_streamer(&s, jd, "1990-01-01", "", &st), 201);
    long long own = th_int(st, "id"), org = th_int(st, "organisation_id");
    json_decref(st);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", own);
    json_decref(CALL(&s, "PATCH", jd, path, "{\"version\":1,\"skill_level\":5}", 200));
    snprintf(body, sizeof body, "{\"version\":2,\"organisation_id\":%lld}", org + 1);
    json_decref(CALL(&s, "PATCH", jd, path, body, 403));
    /* a deleted (anonymised) streamer cannot be edited back */
    json_decref(CALL(&s, "DELETE", jd, path, NULL, 204));
    o = CALL(&s, "PATCH", off, path, "{\"version\":3,\"name\":\"复活\"}", 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    json_decref(o);
    th_stop(&s);
}

/* The organisation a streamer signs with sees the streamer's personal data in full, so a
 * township officer links a streamer only to an organisation of the township; the district links
 * to any. Refused: 403 at organisation_id and nothing written; the personal data stay masked to
 * the other organisation. */
TEST_T(streamer_linked_by_a_township_officer_to_own_township_only, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char town[80], off[80], jd[80], path[96], body[160];
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o = NULL;
    CHECK_INT(create_streamer(&s, town, "1990-05-01", "", &o), 201);
    long long id = th_int(o, "id");
    json_decref(o);
    long long jdorg = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long mytown = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    CHECK(th_sql_int(&s, "SELECT o.township_id FROM organisations o JOIN users u ON"
                         " u.organisation_id = o.id WHERE u.username = 'jd'") != mytown);
    char q[160];
    snprintf(q, sizeof q, "SELECT MIN(id) FROM organisations WHERE township_id = %lld", mytown);
    long long local = th_sql_int(&s, q);
    CHECK(local > 0);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", id);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body, "{\"version\":1,\"organisation_id\":%lld}", jdorg);
    o = CALL(&s, "PATCH", town, path, body, 403);
    CHECK_STR(th_err_field(o), "organisation_id");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    o = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK(json_object_get(o, "personal_data") == NULL ||
          json_is_false(json_object_get(o, "personal_data")));
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":1,\"organisation_id\":%lld}", local);
    json_decref(CALL(&s, "PATCH", town, path, body, 200));
    /* the district links to any organisation */
    snprintf(body, sizeof body, "{\"version\":2,\"organisation_id\":%lld}", jdorg);
    json_decref(CALL(&s, "PATCH", off, path, body, 200));
    /* the streamer moves to its organisation's township: the officer of the old one neither
     * edits it nor sees its personal data any more (jd's streamer, jd's township) */
    o = CALL(&s, "GET", off, path, NULL, 200);
    CHECK_INT(th_int(o, "township_id"),
              th_sql_int(&s, "SELECT o.township_id FROM organisations o JOIN users u ON"
                             " u.organisation_id = o.id WHERE u.username = 'jd'"));
    json_decref(o);
    o = CALL(&s, "PATCH", town, path, "{\"version\":3,\"skill_level\":4}", 403);
    json_decref(o);
    o = CALL(&s, "GET", town, path, NULL, 200);
    CHECK(json_is_false(json_object_get(o, "personal_data")));
    json_decref(o);
    th_stop(&s);
}

/* A streamer's PATCH that changes nothing (only the version, or the fields sent as they are)
 * writes nothing: 200 with the streamer, the same version, no audit row; a new phone that keeps
 * the digits the masked audit rendering shows is still a change. */
TEST_T(ecommerce_streamer_patch_that_changes_nothing_writes_nothing, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], id_number[19], extra[256], path[96], body[512], sql[192];
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    idn("11011719880808002", id_number);
    snprintf(extra, sizeof extra, ",\"id_number\":\"%s\",\"phone\":\"13700001111\"", id_number);
    json_t *st = NULL;
    CHECK_INT(create_streamer(&s, off, "1988-08-08", extra, &st), 201);
    long long sid = th_int(st, "id");
    json_decref(st);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *u = CALL(&s, "PATCH", off, path, "{\"version\":1}", 200);
    CHECK_INT(th_int(u, "version"), 1);
    CHECK_STR(th_str(u, "phone"), "13700001111"); /* the caller's view, as on a change */
    json_decref(u);
    snprintf(body, sizeof body,
             "{\"version\":1,\"name\":\"测试主播\",\"birth_date\":\"1988-08-08\",\"skill_level\":4,"
             "\"id_number\":\"%s\",\"phone\":\"13700001111\",\"categories\":[\"peach\","
             "\"eggs\"]}",
             id_number);
    u = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_INT(th_int(u, "version"), 1);
    json_decref(u);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* 137****1111 either way: a change all the same */
    u = CALL(&s, "PATCH", off, path, "{\"version\":1,\"phone\":\"13799991111\"}", 200);
    CHECK_INT(th_int(u, "version"), 2);
    json_decref(u);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_streamer' AND entity_id = %lld AND"
             " action = 'update'",
             sid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* A streamer's followers_total is the latest count of every platform, however long the history:
 * past 500 counts (daily counts over two years) it was read from the first 500 rows by platform
 * and date, so the latest counts and whole platforms were left out of it. */
TEST_T(ecommerce_streamer_followers_total_reads_the_latest_counts, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[96], sql[640];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *st = NULL;
    CHECK_INT(create_streamer(&s, off, "1990-02-02", "", &st), 201);
    long long sid = th_int(st, "id");
    json_decref(st);
    /* douyin: 600 daily counts from 2024-01-01, n on day n; kuaishou: 1000 on 2024-06-30 */
    th_ctx t;
    th_ctx_open(&s, &t, "demo", PJ_ROLE_ADMIN);
    pj_err err;
    pj_err_clear(&err);
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE d(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM d WHERE i < 600)"
             " INSERT INTO ec_followers (streamer_id, platform, as_of, followers, source,"
             " created_at) SELECT %lld, 'douyin', date('2023-12-31', '+' || i || ' days'), i,"
             " 'synthetic', 0 FROM d",
             sid);
    CHECK_INT(pj_db_exec(t.db, sql, &err), 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO ec_followers (streamer_id, platform, as_of, followers, source,"
             " created_at) VALUES (%lld, 'kuaishou', '2024-06-30', 1000, 'synthetic', 0)",
             sid);
    CHECK_INT(pj_db_exec(t.db, sql, &err), 0);
    th_ctx_close(&t);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    json_t *o = CALL(&s, "GET", off, path, NULL, 200);
    CHECK_INT(th_int(o, "followers_total"), 600 + 1000);
    /* the history holds the latest counts of both platforms */
    json_t *h = json_object_get(o, "followers"), *it;
    size_t i;
    int kuaishou = 0, latest = 0;
    json_array_foreach(h, i, it)
    {
        kuaishou += !strcmp(th_str(it, "platform"), "kuaishou");
        latest += th_int(it, "followers") == 600;
    }
    CHECK_INT(kuaishou, 1);
    CHECK_INT(latest, 1);
    CHECK((long long)json_array_size(h) <= 500);
    json_decref(o);
    th_stop(&s);
}

/* A streamer's ID number with a lower-case check character is kept as …X, and the same
 * number typed either way is one streamer (409), not two. */
TEST_T(ecommerce_streamer_id_number_lower_case_x_is_one_person, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *st = NULL;
    CHECK_INT(create_streamer(&s, off, "1949-12-31", ",\"id_number\":\"11010519491231002x\"", &st),
              201);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT id_number = '11010519491231002X' FROM ec_streamers WHERE id = %lld",
             th_int(st, "id"));
    json_decref(st);
    CHECK_INT(th_sql_int(&s, sql), 1);
    static const char *const again[] = {"11010519491231002X", "11010519491231002x"};
    for (int i = 0; i < 2; i++) {
        char extra[96];
        snprintf(extra, sizeof extra, ",\"id_number\":\"%s\"", again[i]);
        CHECK_INT(create_streamer(&s, off, "1949-12-31", extra, &st), 409);
        CHECK_STR(th_err_code(st), "conflict");
        CHECK_STR(th_err_field(st), "id_number");
        json_decref(st);
    }
    th_stop(&s);
}

/* Migration 483 made 'x' and 'X' one number: a person registered twice before it (…x, …X) was
 * left as two live streamers with one number. Both are found by ?id_shared=true, and each is
 * saved with its own number (a PATCH keeping it, the console's form sends it), which was 409
 * "registered to streamer N"; another number of the other one is still refused. */
TEST_T(ecommerce_streamers_sharing_a_number_after_the_upgrade_stay_editable, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[96], body[160];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *a = NULL, *b = NULL;
    CHECK_INT(create_streamer(&s, off, "1949-12-31", ",\"id_number\":\"11010519491231002X\"", &a),
              201);
    CHECK_INT(create_streamer(&s, off, "1949-12-31", "", &b), 201);
    long long ida = th_int(a, "id"), idb = th_int(b, "id");
    json_decref(a);
    json_decref(b);
    /* as the upgrade leaves it: the second registration with the same number */
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE ec_streamers SET id_number = '11010519491231002X' WHERE id = %lld", idb);
    th_sql_exec(&s, sql);
    json_t *l = CALL(&s, "GET", off, "/api/v1/ecommerce/streamers?id_shared=true", NULL, 200);
    json_t *items = json_object_get(l, "items");
    CHECK_INT((long long)json_array_size(items), 2);
    CHECK_INT(th_int(json_array_get(items, 0), "id"), ida);
    CHECK_INT(th_int(json_array_get(items, 1), "id"), idb);
    json_decref(l);
    json_decref(CALL(&s, "GET", off, "/api/v1/ecommerce/streamers?id_shared=yes", NULL, 400));
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", ida);
    json_t *u = CALL(&s, "PATCH", off, path,
                     "{\"version\":1,\"id_number\":\"11010519491231002X\",\"skill_level\":3}", 200);
    CHECK_INT(th_int(u, "skill_level"), 3);
    json_decref(u);
    /* lower case: the same number */
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", idb);
    u = CALL(&s, "PATCH", off, path,
             "{\"version\":1,\"id_number\":\"11010519491231002x\",\"skill_level\":2}", 200);
    json_decref(u);
    /* the other deleted: no longer shared */
    json_decref(CALL(&s, "DELETE", off, path, NULL, 204));
    l = CALL(&s, "GET", off, "/api/v1/ecommerce/streamers?id_shared=true", NULL, 200);
    CHECK_INT((long long)json_array_size(json_object_get(l, "items")), 0);
    json_decref(l);
    /* a streamer taking a number another live one holds is still refused */
    CHECK_INT(create_streamer(&s, off, "1949-12-31", "", &b), 201);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", th_int(b, "id"));
    json_decref(b);
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"11010519491231002X\"}");
    u = CALL(&s, "PATCH", off, path, body, 409);
    CHECK_STR(th_err_field(u), "id_number");
    json_decref(u);
    th_stop(&s);
}

/* A booking's starts_at and ends_at are times of day (30-minute slots): a bare date, a day in
 * Beijing by api.md, names no time, and was read as 00:00 UTC (08:00 in Beijing) and booked.
 * 422 invalid_value at the field, nothing written, as the service logs refuse one. */
TEST_T(ecommerce_booking_times_are_not_bare_dates, 60)
{
    th_server s;
    th_start(&s, 1);
    load_demo(&s);
    char tok[80], body[256];
    th_login(&s, "officer", s.demo_pw, tok);
    long long studio = first_studio(&s, tok);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    static const struct {
        const char *from, *to, *field;
    } bad[] = {
        {"2030-06-05", "2030-06-05T01:00:00Z", "starts_at"},
        {"2030-06-05T00:00:00Z", "2030-06-06", "ends_at"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(body, sizeof body, "{\"studio_id\":%lld,\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                 studio, bad[k].from, bad[k].to);
        json_t *e = CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", body, 422);
        CHECK_STR(th_err_code(e), "invalid_value");
        CHECK_STR(th_err_field(e), bad[k].field);
        json_decref(e);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    /* the same as times: booked */
    snprintf(body, sizeof body,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-06-05T00:00:00Z\","
             "\"ends_at\":\"2030-06-05T01:00:00Z\"}",
             studio);
    json_decref(CALL(&s, "POST", tok, "/api/v1/ecommerce/bookings", body, 201));
    th_stop(&s);
}

/* A streamer's ID number taken is told (409) as an elder's is, and so traced: each clash is an
 * id_clash audit row on the streamer holding the number (who tried, no number), and past the
 * day's limit of clashes the user's registrations with an ID number are refused (429) without
 * the answer — trying numbers would otherwise rebuild masked ones. */
TEST_T(ecommerce_streamer_id_clashes_are_audited_and_limited, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *st = NULL;
    CHECK_INT(create_streamer(&s, off, "1949-12-31", ",\"id_number\":\"11010519491231002X\"", &st),
              201);
    long long holder = th_int(st, "id");
    json_decref(st);
    long long streamers = th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers");
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'id_clash' AND entity = 'ec_streamer'"
             " AND entity_id = %lld AND username = 'jd' AND after_json NOT LIKE '%%1101%%'",
             holder);
    for (int i = 0; i < PJ_EL_ID_CLASHES_PER_DAY; i++) {
        CHECK_INT(
            create_streamer(&s, jd, "1949-12-31", ",\"id_number\":\"11010519491231002X\"", &st),
            409);
        CHECK_STR(th_err_code(st), "conflict");
        CHECK(!strstr(th_err_message(st), "streamer ")); /* the holder not named to jd */
        json_decref(st);
        CHECK_INT(th_sql_int(&s, sql), i + 1);
    }
    /* the day's clashes used: refused before the number is looked at, a free number too */
    static const char *const next[] = {"11010519491231002X", "110105194912310011"};
    for (int i = 0; i < 2; i++) {
        char extra[96];
        snprintf(extra, sizeof extra, ",\"id_number\":\"%s\"", next[i]);
        CHECK_INT(create_streamer(&s, jd, "1949-12-31", extra, &st), 429);
        CHECK_STR(th_err_code(st), "too_many_requests");
        CHECK_STR(th_err_field(st), "id_number");
        json_decref(st);
    }
    CHECK_INT(th_sql_int(&s, sql), PJ_EL_ID_CLASHES_PER_DAY);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers"), streamers);
    /* another user is not held back */
    CHECK_INT(create_streamer(&s, off, "1949-12-31", ",\"id_number\":\"110105194912310011\"", &st),
              201);
    json_decref(st);
    th_stop(&s);
}

/* A streamer's birth date (or guardian's consent) changed after a live-streaming session was
 * recorded keeps that session within the age rules: a session of 2024-05-02 stands, so the
 * streamer cannot be made born in 2010 (15 that day) — 409 date_conflict at birth_date naming
 * the session, nothing written; a follower count is not dated before the birth. */
TEST_T(ecommerce_streamer_dates_keep_what_was_recorded, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *o = NULL;
    CHECK_INT(create_streamer(&s, tok, "1990-01-01", "", &o), 201);
    long long sid = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    snprintf(body, sizeof body,
             "{\"streamer_id\":%lld,\"platform\":\"douyin\",\"date\":\"2024-05-02\","
             "\"duration_min\":90,\"orders\":3,\"gmv_fen\":4500}",
             sid);
    json_decref(CALL(&s, "POST", tok, "/api/v1/ecommerce/sessions", body, 201));
    th_fingerprint(&s, fp0, sizeof fp0);
    /* 15 on the session's day */
    o = CALL(&s, "PATCH", tok, path,
             "{\"version\":1,\"birth_date\":\"2008-06-01\",\"guardian_name\":\"王芳\","
             "\"guardian_relation\":\"母亲\",\"guardian_consent_date\":\"2024-01-02\"}",
             409);
    CHECK_STR(th_err_code(o), "date_conflict");
    CHECK_STR(th_err_field(o), "birth_date");
    CHECK(strstr(th_err_message(o), "2024-05-02") && strstr(th_err_message(o), "under 16"));
    json_decref(o);
    /* 16 that day, the consent given after it */
    o = CALL(&s, "PATCH", tok, path,
             "{\"version\":1,\"birth_date\":\"2008-01-01\",\"guardian_name\":\"王芳\","
             "\"guardian_relation\":\"母亲\",\"guardian_consent_date\":\"2024-06-01\"}",
             409);
    CHECK_STR(th_err_field(o), "birth_date");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp0, fp1);
    /* with the consent given before the session, a birth of 2008 passes */
    o = CALL(&s, "PATCH", tok, path,
             "{\"version\":1,\"birth_date\":\"2008-01-01\",\"guardian_name\":\"王芳\","
             "\"guardian_relation\":\"母亲\",\"guardian_consent_date\":\"2024-01-02\"}",
             200);
    json_decref(o);
    /* and the consent then moved after the session is refused at the consent */
    o = CALL(&s, "PATCH", tok, path, "{\"version\":2,\"guardian_consent_date\":\"2024-06-01\"}",
             409);
    CHECK_STR(th_err_field(o), "guardian_consent_date");
    json_decref(o);
    /* a follower count before the birth */
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld/followers", sid);
    o = CALL(&s, "POST", tok, path,
             "{\"platform\":\"douyin\",\"as_of\":\"2007-12-31\",\"followers\":1}", 422);
    CHECK_STR(th_err_field(o), "as_of");
    json_decref(o);
    json_decref(CALL(&s, "POST", tok, path,
                     "{\"platform\":\"douyin\",\"as_of\":\"2024-05-02\",\"followers\":10}", 201));
    th_stop(&s);
}

/* The KPI reports are not pages: limit and cursor are unknown parameters (400), as for the
 * other reports; and null in a change of a field that may not be empty is invalid_value
 * ("Null in a change"), missing_field being a create's. */
TEST_T(ecommerce_reports_take_no_paging_and_null_is_no_value, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[80], body[256];
    th_login(&s, "officer", s.demo_pw, tok);
    static const char *const paged[] = {"/api/v1/ecommerce/kpi?limit=5",
                                        "/api/v1/ecommerce/kpi?cursor=3",
                                        "/api/v1/academy/kpi?limit=1&cursor=3"};
    for (size_t i = 0; i < sizeof paged / sizeof paged[0]; i++) {
        json_t *o = CALL(&s, "GET", tok, paged[i], NULL, 400);
        CHECK_STR(th_err_code(o), "unknown_parameter");
        json_decref(o);
    }
    json_decref(CALL(&s, "GET", tok, "/api/v1/ecommerce/kpi?by=month", NULL, 200));
    json_decref(CALL(&s, "GET", tok, "/api/v1/academy/kpi", NULL, 200));
    json_t *o = NULL;
    CHECK_INT(create_streamer(&s, tok, "1990-01-01", "", &o), 201);
    long long sid = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", sid);
    static const char *const fields[] = {"name", "birth_date", "skill_level"};
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"version\":1,\"%s\":null}", fields[i]);
        o = CALL(&s, "PATCH", tok, path, body, 422);
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), fields[i]);
        json_decref(o);
    }
    snprintf(body, sizeof body,
             "{\"streamer_id\":%lld,\"platform\":\"douyin\",\"date\":\"2024-05-02\","
             "\"duration_min\":90,\"orders\":3,\"gmv_fen\":4500}",
             sid);
    o = CALL(&s, "POST", tok, "/api/v1/ecommerce/sessions", body, 201);
    snprintf(path, sizeof path, "/api/v1/ecommerce/sessions/%lld", th_int(o, "id"));
    json_decref(o);
    o = CALL(&s, "PATCH", tok, path, "{\"version\":1,\"platform\":null}", 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "platform");
    json_decref(o);
    th_stop(&s);
}
