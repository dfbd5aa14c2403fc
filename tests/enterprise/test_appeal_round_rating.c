/* A not_satisfied rating reopens the appeal and starts a new round: the appeal's `rating` is that
 * round's, null until its reply is rated. It kept the earlier round's not_satisfied while the
 * new round was worked, also once returned and sent to another department, whose page then
 * read 评价：不满意 before it had replied. The earlier ratings stay in `ratings` and the events.
 * Its reply stays the earlier round's until the new round is replied to: `reply_round` says so
 * (the new department's page read the first department's reply as its own). */
#include <stdio.h>
#include <string.h>

#include "enterprise/appeal_fixture.h"
#include "t.h"
#include "th.h"

static void rating_is_null(th_server *s, const char *tok, long long id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    json_t *o = CALL(s, "GET", tok, path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_decref(o);
}

/* the appeal's reply, the round it was given in, and the appeal's reopenings */
static void reply_of_round(th_server *s, const char *tok, long long id, const char *reply,
                           long long round, long long reopens)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    json_t *o = CALL(s, "GET", tok, path, NULL, 200);
    CHECK_STR(th_str(o, "reply"), reply);
    CHECK_INT(th_int(o, "reply_round"), round);
    CHECK_INT(th_int(o, "reopens"), reopens);
    json_decref(o);
}

TEST(enterprise_appeal_reopened_round_not_rated_while_resent)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128], body[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    long long id = ap_accepted_appeal(&s, off, jd);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    o = CALL(&s, "GET", off, path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "reply_round"))); /* none before the first reply */
    json_decref(o);
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type ="
                                     " 'government' AND name <> '平谷区商务局'");
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":4,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    CHECK(json_is_null(json_object_get(o, "rating")));
    json_decref(o);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":5}", NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "return", "{\"version\":6,\"reason\":\"非本部门职责\"}", NULL),
              200);
    snprintf(body, sizeof body, "{\"version\":7,\"department_id\":%lld}", other);
    CHECK_INT(ap_act(&s, off, id, "dispatch", body, NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":8}", NULL), 200);
    /* the other department's round: not rated, to the officers and to the firm */
    rating_is_null(&s, off, id);
    rating_is_null(&s, jd, id);
    /* nor replied to: the reply held is the first round's, and says so */
    reply_of_round(&s, off, id, "a", 1, 1);
    reply_of_round(&s, jd, id, "a", 1, 1);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals?limit=500&department_id=%lld", other);
    o = CALL(&s, "GET", off, path, NULL, 200);
    json_t *items = json_object_get(o, "items");
    int listed = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "id") == id) {
            listed = 1;
            CHECK(json_is_null(json_object_get(json_array_get(items, i), "rating")));
        }
    CHECK(listed);
    json_decref(o);
    /* its reply rated: that rating; both kept, each with its department */
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":9,\"reply\":\"b\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":10,\"rating\":\"basically\"}", &o), 200);
    CHECK_STR(th_str(o, "rating"), "basically");
    json_decref(o);
    reply_of_round(&s, jd, id, "b", 2, 1);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    o = CALL(&s, "GET", jd, path, NULL, 200);
    json_t *rs = json_object_get(o, "ratings");
    CHECK_INT(json_array_size(rs), 2);
    CHECK_STR(th_str(json_array_get(rs, 0), "rating"), "not_satisfied");
    CHECK(th_int(json_array_get(rs, 0), "department_id") != other);
    CHECK_STR(th_str(json_array_get(rs, 1), "rating"), "basically");
    CHECK_INT(th_int(json_array_get(rs, 1), "department_id"), other);
    json_decref(o);
    th_stop(&s);
}

/* An appeal reopened by an older build kept the not_satisfied of its earlier round on the
 * appeal while the new round was worked: the upgrade clears it (the rating stays in the
 * ratings and the events), with an audit row by migration. */
TEST(enterprise_appeal_reopened_rating_cleared_on_upgrade)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = ap_accepted_appeal(&s, off, jd);
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":4,\"rating\":\"not_satisfied\"}", NULL),
              200);
    /* one closed by its rating: it keeps it */
    long long done = ap_accepted_appeal(&s, off, jd);
    CHECK_INT(
        ap_act(&s, off, done, "reply", "{\"version\":3,\"reply\":\"b\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, done, "rate", "{\"version\":4,\"rating\":\"satisfied\"}", NULL), 200);
    th_stop(&s);
    /* as an older build left it, before the migration */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE ent_appeals SET rating = 'not_satisfied' WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    th_sql_exec(&s, "DELETE FROM schema_migrations WHERE version = 213");
    snprintf(sql, sizeof sql, "SELECT version FROM ent_appeals WHERE id = %lld", id);
    long long v0 = th_sql_int(&s, sql);
    char out[4096];
    CHECK_INT(RUN(out, "init", "--db", s.db), 0);
    snprintf(sql, sizeof sql, "SELECT rating IS NULL FROM ent_appeals WHERE id = %lld", id);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql, "SELECT version FROM ent_appeals WHERE id = %lld", id);
    CHECK_INT(th_sql_int(&s, sql), v0 + 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity = 'ent_appeal'"
             " AND entity_id = %lld AND after_json LIKE '%%\"rating\":null%%'",
             id);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_appeal_ratings WHERE appeal_id = %lld", id);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* a closed appeal keeps the rating that closed it */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_appeals WHERE id = %lld AND state = 'closed' AND rating ="
             " 'satisfied' AND version = 5",
             done);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE username = 'migration' AND entity ="
                             " 'ent_appeal'"),
              1);
}
