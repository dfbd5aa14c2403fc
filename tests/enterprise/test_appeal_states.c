/* Appeals' state machine and texts: a reopened round needs a return visit of its own. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

static int act(th_server *s, const char *tok, long long id, const char *action, const char *body,
               json_t **o)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld/%s", id, action);
    return th_call(s, "POST", path, tok, body, o);
}

/* an appeal of jd's (category permits), dispatched to the commerce bureau and accepted
 * (version 3) */
static long long accepted_appeal(th_server *s, const char *off, const char *jd)
{
    long long commerce = th_sql_int(s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"测试\","
                      "\"description\":\"d\"}",
                      &o),
              201);
    long long id = th_int(o, "id");
    json_decref(o);
    char body[96];
    snprintf(body, sizeof body, "{\"version\":1,\"department_id\":%lld}", commerce);
    CHECK_INT(act(s, off, id, "dispatch", body, NULL), 200);
    CHECK_INT(act(s, off, id, "accept", "{\"version\":2}", NULL), 200);
    return id;
}

/* true when GET /return-visits lists the appeal */
static int awaits_visit(th_server *s, const char *tok, long long id)
{
    json_t *o;
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/return-visits?limit=500", tok, NULL, &o), 200);
    int hit = 0;
    json_t *items = json_object_get(o, "items");
    for (size_t k = 0; k < json_array_size(items); k++)
        hit |= th_int(json_array_get(items, k), "id") == id;
    json_decref(o);
    return hit;
}

/* Regression: a not_satisfied rating gave the new round a deadline of its own but left the
 * return visit due at the first round's deadline, and a call-back made in the first round kept
 * the reopened appeal off the return-visit list for good. The reopening sets visit_due to the
 * new round's complete_due and clears the earlier round's visit (kept in the events). */
TEST(enterprise_appeal_reopened_round_needs_its_own_visit)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], sql[256];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = accepted_appeal(&s, off, jd);
    /* the first round past its deadline, then answered and called back */
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') - 3600, visit_due ="
             " strftime('%%s','now') - 3600 WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    json_t *o;
    CHECK_INT(act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", &o),
              200);
    json_decref(o);
    CHECK(awaits_visit(&s, off, id));
    CHECK_INT(act(&s, off, id, "visit", "{\"version\":4,\"note\":\"第一轮回访\"}", &o), 200);
    CHECK(!json_is_null(json_object_get(o, "visited_at")));
    json_decref(o);
    CHECK(!awaits_visit(&s, off, id));
    CHECK_INT(act(&s, jd, id, "rate", "{\"version\":5,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    /* the new round's call-back falls due with the new round */
    CHECK_STR(th_str(o, "visit_due"), th_str(o, "complete_due"));
    CHECK(json_is_null(json_object_get(o, "visited_at")));
    CHECK_STR(th_str(o, "visit_note"), "");
    json_decref(o);
    CHECK(!awaits_visit(&s, off, id)); /* not before its deadline */
    /* the first round's visit stays in the history */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    int seen = 0;
    json_t *ev = json_object_get(o, "events");
    for (size_t k = 0; k < json_array_size(ev); k++)
        if (!strcmp(th_str(json_array_get(ev, k), "action"), "visit"))
            seen += !strcmp(th_str(json_array_get(ev, k), "note"), "第一轮回访");
    CHECK_INT(seen, 1);
    json_decref(o);
    /* time passes the second round's deadline (both moved back alike): listed until it is
     * called back */
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET visit_due = visit_due - (complete_due -"
             " (strftime('%%s','now') - 60)), complete_due = strftime('%%s','now') - 60"
             " WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    CHECK(awaits_visit(&s, off, id));
    CHECK_INT(act(&s, off, id, "visit", "{\"version\":6,\"note\":\"第二轮回访\"}", &o), 200);
    json_decref(o);
    CHECK(!awaits_visit(&s, off, id));
    th_stop(&s);
}
