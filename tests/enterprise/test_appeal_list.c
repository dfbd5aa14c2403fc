/* The appeal list's order (open ones first, newest first; a township's closed 2024–25 appeals
 * filled its first pages and a new one landed on page 4) with keyset pages that neither skip
 * nor repeat; an appeal's events and ratings name their departments (an enterprise cannot read
 * the dispatch catalogue, and saw "#24"). */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"
#include "enterprise/appeal_fixture.h"
#include "t.h"
#include "th.h"

/* Walks every page of the list as tok sees it (limit per page) and checks the order: not
 * closed before closed, then received_at descending, then id descending; none twice. Returns
 * how many were listed; *first gets the first one's id. */
static long long walk(th_server *s, const char *tok, int limit, long long *first)
{
    char path[160], cursor[32] = "", prev_at[40] = "";
    long long n = 0, prev_closed = -1, prev_id = 0;
    *first = 0;
    for (int pages = 0; pages < 1000; pages++) {
        snprintf(path, sizeof path, "/api/v1/enterprise/appeals?limit=%d%s%s", limit,
                 cursor[0] ? "&cursor=" : "", cursor);
        json_t *o;
        CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
        json_t *items = json_object_get(o, "items");
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *a = json_array_get(items, i);
            long long id = th_int(a, "id");
            if (!*first) *first = id;
            long long closed = !strcmp(th_str(a, "state"), "closed");
            const char *at = th_str(a, "received_at"); /* one format: ordered as text */
            if (prev_closed >= 0) {
                int c = strcmp(at, prev_at);
                int ordered = closed > prev_closed ||
                              (closed == prev_closed && (c < 0 || (c == 0 && id < prev_id)));
                if (!ordered)
                    t_fail(__FILE__, __LINE__, "appeal %lld listed after %lld out of order", id,
                           prev_id);
            }
            prev_closed = closed;
            snprintf(prev_at, sizeof prev_at, "%s", at);
            prev_id = id;
            n++;
        }
        json_t *next = json_object_get(o, "next_cursor");
        int more = json_is_string(next);
        if (more) snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
        json_decref(o);
        if (!more) return n;
    }
    t_fail(__FILE__, __LINE__, "the list never ended");
    return n;
}

TEST(enterprise_appeal_list_open_and_newest_first)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], town[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "jd", s.demo_pw, jd);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE state = 'closed'") > 0);
    /* the demo's are old and closed but a few: some open ones among them */
    th_sql_exec(&s, "UPDATE ent_appeals SET state = 'in_progress' WHERE id % 97 = 0");
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE state <> 'closed'") > 10);
    long long first;
    /* every appeal once, in order, across pages of several sizes */
    CHECK_INT(walk(&s, off, 100, &first), th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals"));
    CHECK_INT(walk(&s, off, 37, &first), th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals"));
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_appeals WHERE township_id = %lld", jhh);
    CHECK_INT(walk(&s, town, 20, &first), th_sql_int(&s, sql));
    /* a new appeal comes first, for the district and for its firm */
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"新\","
                      "\"description\":\"d\"}",
                      &o),
              201);
    long long id = th_int(o, "id");
    json_decref(o);
    walk(&s, off, 20, &first);
    CHECK_INT(first, id);
    walk(&s, jd, 20, &first);
    CHECK_INT(first, id);
    /* closed, it goes after every open one */
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    char body[96];
    snprintf(body, sizeof body, "{\"version\":1,\"department_id\":%lld}", commerce);
    CHECK_INT(ap_act(&s, off, id, "dispatch", body, NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":2}", NULL), 200);
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":4,\"rating\":\"satisfied\"}", NULL), 200);
    CHECK_INT(walk(&s, off, 50, &first), th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals"));
    CHECK(first != id);
    th_stop(&s);
}

TEST(enterprise_appeal_events_and_ratings_name_the_department)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"测试\","
                      "\"description\":\"d\"}",
                      &o),
              201);
    long long id = th_int(o, "id");
    json_decref(o);
    char body[96];
    snprintf(body, sizeof body, "{\"version\":1,\"department_id\":%lld}", commerce);
    CHECK_INT(ap_act(&s, off, id, "dispatch", body, NULL), 200);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":2}", NULL), 200);
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":4,\"rating\":\"satisfied\"}", NULL), 200);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200); /* the enterprise reads them */
    json_t *rs = json_object_get(o, "ratings");
    CHECK_INT(json_array_size(rs), 1);
    CHECK_INT(th_int(json_array_get(rs, 0), "department_id"), commerce);
    CHECK_STR(th_str(json_array_get(rs, 0), "department"), "平谷区商务局");
    json_t *ev = json_object_get(o, "events");
    int named = 0;
    for (size_t k = 0; k < json_array_size(ev); k++) {
        json_t *e = json_array_get(ev, k);
        if (!json_is_integer(json_object_get(e, "department_id"))) continue;
        CHECK_STR(th_str(e, "department"), "平谷区商务局");
        named++;
    }
    CHECK(named >= 2); /* dispatch, accept, … */
    json_decref(o);
    th_stop(&s);
}

/* The next page continues where the last one ended even when the appeal it ended with was
 * closed meanwhile: the open appeals after it are not skipped (the cursor keeps the group the
 * appeal was listed in). */
TEST(enterprise_appeal_list_page_survives_a_closing)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_sql_exec(&s, "UPDATE ent_appeals SET state = 'in_progress' WHERE id % 97 = 0");
    long long open = th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE state <> 'closed'");
    CHECK(open > 6);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/appeals?limit=3", off, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    long long seen = (long long)json_array_size(items);
    long long last = th_int(json_array_get(items, 2), "id");
    char path[128], sql[128];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals?limit=500&cursor=%s",
             json_string_value(json_object_get(o, "next_cursor")));
    json_decref(o);
    /* the page's last appeal closed before the next page is asked for */
    snprintf(sql, sizeof sql, "UPDATE ent_appeals SET state = 'closed' WHERE id = %lld", last);
    th_sql_exec(&s, sql);
    long long open_after = 0;
    for (;;) {
        CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
        items = json_object_get(o, "items");
        for (size_t i = 0; i < json_array_size(items); i++)
            open_after += strcmp(th_str(json_array_get(items, i), "state"), "closed") != 0;
        json_t *next = json_object_get(o, "next_cursor");
        if (!json_is_string(next)) {
            json_decref(o);
            break;
        }
        snprintf(path, sizeof path, "/api/v1/enterprise/appeals?limit=500&cursor=%s",
                 json_string_value(next));
        json_decref(o);
    }
    CHECK_INT(seen + open_after, open);
    th_stop(&s);
}
