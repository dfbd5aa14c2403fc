/* An appeal's ratings: only `rate` gives one (a rating on a reply or a close was recorded as
 * given, and stood in the reply's place in the event log), and `rating` is the current
 * round's (an old round's not_satisfied kept a later resolved round out of the resolution
 * rate). */
#include <stdio.h>
#include <string.h>

#include "enterprise/appeal_fixture.h"
#include "t.h"
#include "th.h"

/* an appeal of jd's, dispatched and accepted (version 3); the demo's appeals cleared so the
 * KPIs count this one alone */
static long long accepted_appeal(th_server *s, const char *off, const char *jd)
{
    th_sql_exec(s, "DELETE FROM ent_appeal_ratings");
    th_sql_exec(s, "DELETE FROM ent_appeal_events");
    th_sql_exec(s, "DELETE FROM ent_appeals");
    return ap_accepted_appeal(s, off, jd);
}

static json_t *district_kpis(th_server *s, const char *off, json_t **o)
{
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01", off, NULL, o), 200);
    return json_object_get(*o, "district");
}

TEST(enterprise_appeal_rating_only_with_rate)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = accepted_appeal(&s, off, jd);
    json_t *o;
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(
        ap_act(&s, off, id, "reply",
               "{\"version\":3,\"reply\":\"done\",\"resolved\":true,\"rating\":\"satisfied\"}", &o),
        422);
    CHECK_STR(th_err_code(o), "unknown_field");
    CHECK_STR(th_err_field(o), "rating");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"done\",\"resolved\":true}", &o),
        200);
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":4,\"rating\":\"satisfied\"}", &o), 422);
    CHECK_STR(th_err_field(o), "rating");
    json_decref(o);
    /* a reason is the return's, not a rating's */
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":4,\"reason\":\"x\"}", &o), 422);
    CHECK_STR(th_err_field(o), "reason");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* closed without the firm's rating: once the return visit is recorded */
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":4,\"note\":\"电话回访\"}", NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":5}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "ratings")), 0);
    json_t *ev = json_object_get(o, "events");
    int seen = 0;
    for (size_t k = 0; k < json_array_size(ev); k++) {
        json_t *e = json_array_get(ev, k);
        if (!strcmp(th_str(e, "action"), "reply")) {
            CHECK_STR(th_str(e, "note"), "done");
            seen++;
        }
        if (!strcmp(th_str(e, "action"), "close")) {
            CHECK_STR(th_str(e, "note"), "");
            seen++;
        }
    }
    CHECK_INT(seen, 2);
    json_decref(o);
    json_t *d = district_kpis(&s, off, &o);
    CHECK_INT(th_int(d, "rated"), 0);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeal_ratings"), 0);
    th_stop(&s);
}

TEST(enterprise_appeal_rating_is_the_current_rounds)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = accepted_appeal(&s, off, jd);
    json_t *o;
    CHECK_INT(ap_act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", &o),
              200);
    json_decref(o);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":4,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    /* the reopened round is a new one, not rated yet (the rating given is in the history) */
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_decref(o);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":5}", NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "reply", "{\"version\":6,\"reply\":\"b\",\"resolved\":true}", &o),
              200);
    CHECK(json_is_null(json_object_get(o, "rating"))); /* nobody has rated this reply */
    json_decref(o);
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":7,\"note\":\"回访\"}", NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":8}", &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_t *rs = json_object_get(o, "ratings"); /* the history stays */
    CHECK_INT(json_array_size(rs), 1);
    CHECK_STR(th_str(json_array_get(rs, 0), "rating"), "not_satisfied");
    json_t *ev = json_object_get(o, "events");
    for (size_t k = 0; k < json_array_size(ev); k++)
        if (!strcmp(th_str(json_array_get(ev, k), "action"), "rate"))
            CHECK_STR(th_str(json_array_get(ev, k), "note"), "not_satisfied");
    json_decref(o);
    /* closed resolved in the round that closed it: resolved; the old rating still counted in
     * satisfaction */
    json_t *d = district_kpis(&s, off, &o);
    CHECK_NEAR(json_number_value(json_object_get(d, "resolution_rate")), 1.0, 1e-9);
    CHECK_INT(th_int(d, "rated"), 1);
    CHECK_NEAR(json_number_value(json_object_get(d, "satisfaction_rate")), 0.0, 1e-9);
    json_decref(o);
    th_stop(&s);
}

/* Regression: any officer could rate an appeal satisfied straight after replying, with no
 * return visit, inflating the satisfaction and resolution rates. An officer rates only at the
 * return visit of this round, recorded after the reply: before it, 409 visit_required with
 * nothing written; the enterprise rates its own appeal at any time. */
TEST(enterprise_appeal_officer_rates_only_at_the_return_visit)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = accepted_appeal(&s, off, jd);
    json_t *o;
    /* a call-back while still in hand does not answer for the reply that follows */
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":3,\"note\":\"办理中回访\"}", NULL), 200);
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":4,\"reply\":\"done\",\"resolved\":true}", NULL),
        200);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE ent_appeals SET visited_at = replied_at - 60 WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(ap_act(&s, off, id, "rate", "{\"version\":5,\"rating\":\"satisfied\"}", &o), 409);
    CHECK_STR(th_err_code(o), "visit_required");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    json_t *d = district_kpis(&s, off, &o);
    CHECK_INT(th_int(d, "rated"), 0);
    json_decref(o);
    /* the return visit after the reply: now the officer records the firm's rating */
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":5,\"note\":\"电话回访，企业满意\"}", NULL),
              200);
    CHECK_INT(ap_act(&s, off, id, "rate", "{\"version\":6,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    json_decref(o);
    /* a reopened round needs its own visit; the enterprise itself needs none */
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":7}", NULL), 200);
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":8,\"reply\":\"again\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, off, id, "rate", "{\"version\":9,\"rating\":\"satisfied\"}", &o), 409);
    CHECK_STR(th_err_code(o), "visit_required");
    json_decref(o);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":9,\"rating\":\"satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    json_decref(o);
    th_stop(&s);
}

/* Regression: an officer could close an appeal the moment it was answered, even answered "not
 * resolved", so the firm never rated it (nor reopened it by rating not_satisfied) and the
 * department's satisfaction rate left it out. A reply the firm has not rated is closed only
 * once this round's return visit is recorded after the reply: before it, 409 visit_required
 * with nothing written, and the firm may still rate it. */
TEST(enterprise_appeal_closed_unrated_only_after_the_return_visit)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = accepted_appeal(&s, off, jd);
    json_t *o;
    /* a call-back while still in hand does not answer for the reply that follows */
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":3,\"note\":\"办理中回访\"}", NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "reply",
                     "{\"version\":4,\"reply\":\"暂无对应政策\",\"resolved\":false}", NULL),
              200);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE ent_appeals SET visited_at = replied_at - 60 WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":5}", &o), 409);
    CHECK_STR(th_err_code(o), "visit_required");
    CHECK(strstr(th_str(json_object_get(o, "error"), "message"), "not rated") != NULL);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    json_t *d = district_kpis(&s, off, &o);
    CHECK_INT(th_int(d, "closed"), 0);
    json_decref(o);
    /* the firm still has its say: not satisfied reopens it */
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":5,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    json_decref(o);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":6}", NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "reply", "{\"version\":7,\"reply\":\"已对接\",\"resolved\":true}",
                     NULL),
              200);
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":8}", &o), 409);
    CHECK_STR(th_err_code(o), "visit_required");
    json_decref(o);
    /* the return visit after the reply: now it may be closed unrated */
    CHECK_INT(
        ap_act(&s, off, id, "visit", "{\"version\":8,\"note\":\"电话回访，企业未评价\"}", NULL),
        200);
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":9}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    json_decref(o);
    d = district_kpis(&s, off, &o);
    CHECK_INT(th_int(d, "closed"), 1);
    CHECK_INT(th_int(d, "rated"), 1);
    json_decref(o);
    th_stop(&s);
}

/* true when GET /return-visits lists the appeal */
static int awaits_visit(th_server *s, const char *tok, long long id)
{
    return th_list_has(s, tok, "/api/v1/enterprise/return-visits?limit=500", "id", id);
}

/* Regression: an appeal called back while the department was still at it dropped off GET
 * /return-visits (待回访) for good once replied, though close and an officer's rating still
 * answered 409 visit_required, as the call-back on the reply was never made (and the console
 * showed 已回访); a visit and a reply within one second (times are whole seconds) counted as
 * a visit after the reply, whichever came first. The reply clears the visit made before it
 * (kept in the events): the appeal awaits the call-back on the reply until it is made. */
TEST(enterprise_appeal_visit_before_reply_still_awaits_the_call_back)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], sql[200], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = accepted_appeal(&s, off, jd);
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') - 3600, visit_due ="
             " strftime('%%s','now') - 3600 WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    CHECK(awaits_visit(&s, off, id));
    json_t *o;
    /* called back while in hand: nothing more to call back about until the reply */
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":3,\"note\":\"办理中回访\"}", NULL), 200);
    CHECK(!awaits_visit(&s, off, id));
    /* the reply (within the visit's second, or later): the call-back on it is due */
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":4,\"reply\":\"done\",\"resolved\":true}", &o),
        200);
    CHECK(json_is_null(json_object_get(o, "visited_at")));
    CHECK_STR(th_str(o, "visit_note"), "");
    json_decref(o);
    CHECK(awaits_visit(&s, off, id));
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":5}", &o), 409);
    CHECK_STR(th_err_code(o), "visit_required");
    json_decref(o);
    CHECK_INT(ap_act(&s, off, id, "rate", "{\"version\":5,\"rating\":\"satisfied\"}", &o), 409);
    CHECK_STR(th_err_code(o), "visit_required");
    json_decref(o);
    /* the call-back in hand stays in the history */
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    int seen = 0;
    json_t *ev = json_object_get(o, "events");
    for (size_t k = 0; k < json_array_size(ev); k++)
        seen += !strcmp(th_str(json_array_get(ev, k), "note"), "办理中回访");
    CHECK_INT(seen, 1);
    json_decref(o);
    /* the call-back on the reply: off the list, and it may be closed */
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":5,\"note\":\"答复后回访\"}", NULL), 200);
    CHECK(!awaits_visit(&s, off, id));
    CHECK_INT(ap_act(&s, off, id, "close", "{\"version\":6}", &o), 200);
    CHECK_STR(th_str(o, "state"), "closed");
    CHECK_STR(th_str(o, "visit_note"), "答复后回访");
    json_decref(o);
    CHECK(!awaits_visit(&s, off, id));
    th_stop(&s);
}
