/* The firms signed up for a reception day are told when the district moves it, cancels it or
 * puts it back (GET /notices), each once, in the same transaction as the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enterprise_calendar.h"
#include "t.h"
#include "th.h"

/* The district enters 2099's calendar (元旦) and schedules its reception days: the answer, to be
 * released by the caller (created[m]: month m + 1's day). */
static json_t *schedule_2099(th_server *s, const char *off)
{
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL),
              201);
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    return o;
}

/* The date n days after day ("YYYY-MM-DD") into out. */
static void days_after(const char *day, int n, char out[11])
{
    int32_t d;
    CHECK_INT(pj_cal_parse(day, &d), 0);
    pj_cal_format(d + n, out);
}

static int patch_day(th_server *s, const char *tok, long long id, const char *fields, json_t **o)
{
    char path[96], sql[96], body[256];
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", id);
    snprintf(sql, sizeof sql, "SELECT version FROM ent_reception_days WHERE id = %lld", id);
    snprintf(body, sizeof body, "{\"version\":%lld,%s}", th_sql_int(s, sql), fields);
    return th_call(s, "PATCH", path, tok, body, o);
}

static void sign_up(th_server *s, const char *tok, long long day, long long org)
{
    char path[96], body[128];
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
    if (org)
        snprintf(body, sizeof body, "{\"organisation_id\":%lld,\"topic\":\"用地审批\"}", org);
    else
        snprintf(body, sizeof body, "{\"topic\":\"用地审批\"}");
    CHECK_INT(th_call(s, "POST", path, tok, body, NULL), 201);
}

static long long notice_rows(th_server *s, long long day, long long org)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_notices WHERE reception_day_id = %lld AND (%lld = 0 OR"
             " org_id = %lld)",
             day, org, org);
    return th_sql_int(s, sql);
}

/* the reception-day notices GET /notices lists to tok, by firm: how many, the newest one's (the
 * list is newest first: the first listed) */
typedef struct {
    int n, of_org[3];
    char kind[32], old_date[11], new_date[11];
    int new_null, policy_null;
} listed;

static listed list_notices(th_server *s, const char *tok, long long day, const long long orgs[3])
{
    listed l;
    memset(&l, 0, sizeof l);
    json_t *o, *it;
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/notices?limit=200", tok, NULL, &o), 200);
    size_t i;
    json_array_foreach(json_object_get(o, "items"), i, it)
    {
        json_t *rd = json_object_get(it, "reception_day_id");
        if (!json_is_integer(rd) || json_integer_value(rd) != day) continue;
        l.n++;
        for (int k = 0; k < 3; k++)
            if (th_int(it, "organisation_id") == orgs[k]) l.of_org[k]++;
        if (l.n > 1) continue;
        snprintf(l.kind, sizeof l.kind, "%s", th_str(it, "kind"));
        snprintf(l.old_date, sizeof l.old_date, "%s", th_str(it, "old_date"));
        json_t *nd = json_object_get(it, "new_date");
        l.new_null = json_is_null(nd);
        snprintf(l.new_date, sizeof l.new_date, "%s", l.new_null ? "" : json_string_value(nd));
        l.policy_null = json_is_null(json_object_get(it, "policy_id")) &&
                        json_is_null(json_object_get(it, "policy"));
    }
    json_decref(o);
    return l;
}

static void refused_writes_nothing(th_server *s, const char *tok, long long id, const char *fields,
                                   int status, const char *code)
{
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    json_t *o;
    long long n = th_sql_int(s, "SELECT COUNT(*) FROM ent_notices");
    th_fingerprint(s, before, sizeof before);
    CHECK_INT(patch_day(s, tok, id, fields, &o), status);
    CHECK_STR(th_err_code(o), code);
    json_decref(o);
    th_fingerprint(s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(th_sql_int(s, "SELECT COUNT(*) FROM ent_notices"), n);
}

/* Regression: a firm signed up for a reception day the district moved was told nothing (the only
 * notices to firms were of policies). A move notices each firm signed up, once, naming the day
 * and its old and new date, with one notify audit row, and the answer counts them
 * (notified_firms); a withdrawn sign-up gets none, a refused PATCH or one not moving the date
 * none; a firm reads only its own notices, a township officer those of the township's firms. */
TEST(enterprise_reception_move_notices_the_firms_signed_up)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], town[80], view[80], adm[80], other[80], path[128], sql[256], body[256];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "admin", s.admin_pw, adm);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    json_t *o;
    snprintf(body, sizeof body,
             "{\"name\":\"金海湖民宿公司\",\"type\":\"enterprise\",\"industry\":\"tourism\","
             "\"township_id\":%lld}",
             jhh);
    CHECK_INT(th_call(&s, "POST", "/api/v1/organisations", off, body, &o), 201);
    long long b_org = th_int(o, "id"); /* a firm of jinhaihu's township */
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id NOT IN (%lld,"
             " %lld)",
             jd_org, b_org);
    long long c_org = th_sql_int(&s, sql); /* signs up and withdraws */
    CHECK(b_org > 0 && c_org > 0);
    CHECK(th_sql_int(&s, "SELECT township_id FROM organisations WHERE id IN (SELECT"
                         " organisation_id FROM users WHERE username = 'jd')") != jhh);
    snprintf(body, sizeof body,
             "{\"username\":\"firm_b\",\"role\":\"enterprise\",\"organisation_id\":%lld,"
             "\"password\":\"long-enough-pw-9\"}",
             b_org);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", adm, body, NULL), 201);
    th_login(&s, "firm_b", "long-enough-pw-9", other);

    o = schedule_2099(&s, off);
    json_t *oct = json_array_get(json_object_get(o, "created"), 9);
    long long id = th_int(oct, "id");
    char held[11], next[11], weekend[11];
    snprintf(held, sizeof held, "%s", th_str(oct, "held_on"));
    json_decref(o);
    days_after(held, 1, next);
    days_after(held, 5, weekend);

    sign_up(&s, jd, id, 0);
    sign_up(&s, off, id, b_org);
    sign_up(&s, off, id, c_org);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups/withdraw", id);
    snprintf(body, sizeof body, "{\"organisation_id\":%lld}", c_org);
    CHECK_INT(th_call(&s, "POST", path, off, body, NULL), 204);

    /* refused: nothing written, nobody told */
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", weekend);
    refused_writes_nothing(&s, off, id, body, 422, "invalid_value");
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", next);
    refused_writes_nothing(&s, jd, id, body, 403, "forbidden");
    refused_writes_nothing(&s, town, id, body, 403, "forbidden");
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", id);
    snprintf(body, sizeof body, "{\"version\":999,\"held_on\":\"%s\"}", next);
    long long all = th_sql_int(&s, "SELECT COUNT(*) FROM ent_notices");
    CHECK_INT(th_call(&s, "PATCH", path, off, body, &o), 409);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_notices"), all);

    /* not moving the date: nobody told */
    CHECK_INT(patch_day(&s, off, id, "\"minutes\":\"议程已定\"", &o), 200);
    CHECK_INT(th_int(o, "notified_firms"), 0);
    json_decref(o);
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", held);
    CHECK_INT(patch_day(&s, off, id, body, &o), 200);
    CHECK_INT(th_int(o, "notified_firms"), 0);
    json_decref(o);
    CHECK_INT(notice_rows(&s, id, 0), 0);

    /* moved: each firm signed up told once, the withdrawn one not */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_reception_day' AND entity_id = %lld"
             " AND action = 'notify'",
             id);
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", next);
    CHECK_INT(patch_day(&s, off, id, body, &o), 200);
    CHECK_STR(th_str(o, "held_on"), next);
    CHECK_INT(th_int(o, "notified_firms"), 2);
    json_decref(o);
    CHECK_INT(notice_rows(&s, id, 0), 2);
    CHECK_INT(notice_rows(&s, id, jd_org), 1);
    CHECK_INT(notice_rows(&s, id, b_org), 1);
    CHECK_INT(notice_rows(&s, id, c_org), 0);
    CHECK_INT(th_sql_int(&s, sql), 1);
    char like[200];
    snprintf(like, sizeof like,
             "SELECT COUNT(*) FROM audit WHERE action = 'notify' AND entity_id = %lld AND"
             " after_json LIKE '%%\"held_on_before\":\"%s\"%%\"held_on\":\"%s\"%%'",
             id, held, next);
    CHECK_INT(th_sql_int(&s, like), 1);

    const long long orgs[3] = {jd_org, b_org, c_org};
    /* the firm reads its own, with the day and both dates */
    listed l = list_notices(&s, jd, id, orgs);
    CHECK_INT(l.n, 1);
    CHECK_INT(l.of_org[0], 1);
    CHECK_STR(l.kind, "reception_moved");
    CHECK_STR(l.old_date, held);
    CHECK_STR(l.new_date, next);
    CHECK_INT(l.policy_null, 1);
    l = list_notices(&s, other, id, orgs);
    CHECK_INT(l.n, 1);
    CHECK_INT(l.of_org[1], 1);
    /* naming another firm: an empty list, not its own */
    snprintf(path, sizeof path, "/api/v1/enterprise/notices?organisation_id=%lld", b_org);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK(json_array_size(json_object_get(o, "items")) == 0);
    json_decref(o);
    /* the township officer: its township's firm only; the district and viewers: both */
    l = list_notices(&s, town, id, orgs);
    CHECK_INT(l.n, 1);
    CHECK_INT(l.of_org[1], 1);
    l = list_notices(&s, off, id, orgs);
    CHECK_INT(l.n, 2);
    l = list_notices(&s, view, id, orgs);
    CHECK_INT(l.n, 2);
    /* a policy's notices are not a day's: a policy in force for every firm tells them, and its
     * list (not empty) holds its notices only */
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/enterprise/policies", off,
                "{\"title\":\"普惠政策\",\"issuer\":\"区商务局\",\"issued_on\":\"2020-01-01\","
                "\"valid_from\":\"2020-01-01\",\"conditions\":\"true\"}",
                &o),
        201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/notices?policy_id=%lld&limit=200", pol);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    json_t *it;
    size_t i;
    CHECK(json_array_size(json_object_get(o, "items")) > 0);
    json_array_foreach(json_object_get(o, "items"), i, it)
    {
        CHECK_INT(th_int(it, "policy_id"), pol);
        CHECK(json_is_null(json_object_get(it, "reception_day_id")));
    }
    json_decref(o);
    th_stop(&s);
}

/* Cancelled, the firms signed up are told so (no new date); put back (and moved in the same
 * save), told of it with the date it is now held on. */
TEST(enterprise_reception_cancel_and_reinstate_notice_the_firms)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    json_t *o;
    o = schedule_2099(&s, off);
    json_t *nov = json_array_get(json_object_get(o, "created"), 10);
    long long id = th_int(nov, "id"),
              other = th_int(json_array_get(json_object_get(o, "created"), 3), "id");
    char held[11], next[11];
    snprintf(held, sizeof held, "%s", th_str(nov, "held_on"));
    json_decref(o);
    days_after(held, 1, next);
    sign_up(&s, jd, id, 0);
    const long long orgs[3] = {jd_org, 0, 0};

    CHECK_INT(patch_day(&s, off, id, "\"state\":\"cancelled\"", &o), 200);
    CHECK_INT(th_int(o, "notified_firms"), 1);
    json_decref(o);
    listed l = list_notices(&s, jd, id, orgs);
    CHECK_INT(l.n, 1);
    CHECK_STR(l.kind, "reception_cancelled");
    CHECK_STR(l.old_date, held);
    CHECK_INT(l.new_null, 1);
    /* cancelled again: no change, nobody told again */
    CHECK_INT(patch_day(&s, off, id, "\"state\":\"cancelled\"", &o), 200);
    CHECK_INT(th_int(o, "notified_firms"), 0);
    json_decref(o);
    CHECK_INT(notice_rows(&s, id, 0), 1);

    snprintf(body, sizeof body, "\"state\":\"planned\",\"held_on\":\"%s\"", next);
    CHECK_INT(patch_day(&s, off, id, body, &o), 200);
    CHECK_INT(th_int(o, "notified_firms"), 1);
    json_decref(o);
    l = list_notices(&s, jd, id, orgs);
    CHECK_INT(l.n, 2);
    CHECK_STR(l.kind, "reception_reinstated");
    CHECK_STR(l.old_date, held);
    CHECK_STR(l.new_date, next);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'notify' AND entity ="
                             " 'ent_reception_day'"),
              2);
    /* a day nobody signed up for: nobody told, no notify row */
    CHECK_INT(patch_day(&s, off, other, "\"state\":\"cancelled\"", &o), 200);
    CHECK_INT(th_int(o, "notified_firms"), 0);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'notify' AND entity ="
                             " 'ent_reception_day'"),
              2);
    th_stop(&s);
}

/* One page of GET /notices as `tok` reads it: the ids into ids[] (at most 64), their count the
 * return, *next the next_cursor (0 on the last page); kinds[0] the first notice's kind. */
static int notice_page(th_server *s, const char *tok, const char *query, long long cursor,
                       long long ids[64], long long *next, char kind[32])
{
    json_t *o;
    int n = th_page_ids(s, tok, "/api/v1/enterprise/notices", query, cursor, ids, 64, next, &o,
                        __FILE__, __LINE__);
    if (kind)
        snprintf(kind, 32, "%s",
                 n ? th_str(json_array_get(json_object_get(o, "items"), 0), "kind") : "");
    json_decref(o);
    return n;
}

/* A policy in force that jd qualifies for (its trade, set by the test): the notice it writes to
 * jd. */
static long long policy_for_jd(th_server *s, const char *tok, int k, long long jd_org)
{
    char body[400], sql[160];
    snprintf(body, sizeof body,
             "{\"title\":\"翻页测试政策 %d\",\"issuer\":\"区发改委\",\"issued_on\":\"2026-01-01\","
             "\"valid_from\":\"2026-01-01\",\"valid_until\":\"2099-12-31\",\"conditions\":"
             "\"industry == \\\"notice_paging\\\"\"}",
             k);
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/policies", tok, body, &o), 201);
    long long pol = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT MAX(id) FROM ent_notices WHERE policy_id = %lld AND org_id = %lld", pol,
             jd_org);
    return th_sql_int(s, sql);
}

/* Regression: the notices were listed oldest first, 20 a page, so a firm with more than 20
 * notices saw a reception day just moved only after paging on (加载更多). They are newest first:
 * the day's notice heads the firm's first page, the cursor pages on to smaller ids, and following
 * it while notices are written between pages skips none and repeats none, for the firm, the
 * district officer and a filter. */
TEST(enterprise_notices_newest_first_paged_by_smaller_ids)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], view[80], kind[32], q[64], sql[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    /* jd in a trade of its own, then more than a page of the console (20) of policy notices */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", jd_org);
    snprintf(sql, sizeof sql, "{\"version\":%lld,\"industry\":\"notice_paging\"}",
             th_sql_int(&s, "SELECT version FROM organisations WHERE id IN (SELECT"
                            " organisation_id FROM users WHERE username = 'jd')"));
    CHECK_INT(th_call(&s, "PATCH", path, jd, sql, NULL), 200);
    long long pn[22];
    for (int k = 0; k < 22; k++) {
        pn[k] = policy_for_jd(&s, off, k, jd_org);
        CHECK(pn[k] > 0);
        if (k) CHECK(pn[k] > pn[k - 1]);
    }
    /* then a reception day jd signed up for is moved */
    json_t *o;
    o = schedule_2099(&s, off);
    json_t *oct = json_array_get(json_object_get(o, "created"), 9);
    long long day = th_int(oct, "id");
    char held[11], next_day[11], body[64];
    snprintf(held, sizeof held, "%s", th_str(oct, "held_on"));
    json_decref(o);
    days_after(held, 1, next_day);
    sign_up(&s, jd, day, 0);
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", next_day);
    CHECK_INT(patch_day(&s, off, day, body, &o), 200);
    CHECK_INT(th_int(o, "notified_firms"), 1);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT id FROM ent_notices WHERE reception_day_id = %lld AND org_id = %lld", day,
             jd_org);
    long long moved = th_sql_int(&s, sql);
    CHECK(moved > pn[21]);

    /* the firm's first page as the console reads it (20): the day's notice on top, then the
     * policies' newest first */
    long long ids[64], next;
    int n = notice_page(&s, jd, "limit=20", 0, ids, &next, kind);
    CHECK_INT(n, 20);
    CHECK_INT(ids[0], moved);
    CHECK_STR(kind, "reception_moved");
    for (int i = 1; i < 20; i++) CHECK_INT(ids[i], pn[21 - (i - 1)]);
    CHECK_INT(next, pn[3]);
    /* the cursor means "ids below": the page after pn[3] starts at pn[2] */
    n = notice_page(&s, jd, "limit=2", next, ids, &next, NULL);
    CHECK_INT(n, 2);
    CHECK_INT(ids[0], pn[2]);
    CHECK_INT(ids[1], pn[1]);

    /* every notice, 4 at a time for the firm, 7 for the district officer, 5 for a viewer, a
     * notice written
     * after the first page and another later: each there when the walk began listed once, in
     * descending ids, the new ones not */
    const char *readers[] = {jd, off, view};
    const char *sizes[] = {"limit=4", "limit=7", "limit=5"};
    for (int r = 0; r < 3; r++) {
        /* the firm's own, or all */
        long long of = r == 0 ? jd_org : 0;
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM ent_notices WHERE %lld = 0 OR org_id = %lld", of, of);
        long long total = th_sql_int(&s, sql);
        snprintf(sql, sizeof sql, "SELECT MIN(id) FROM ent_notices WHERE %lld = 0 OR org_id = %lld",
                 of, of);
        long long lowest = th_sql_int(&s, sql);
        long long prev = 0, cursor = 0, c = 0, e = 0;
        int seen = 0, pages = 0;
        do {
            n = notice_page(&s, readers[r], sizes[r], cursor, ids, &next, NULL);
            for (int i = 0; i < n; i++) {
                if (prev) CHECK(ids[i] < prev);
                CHECK(ids[i] != c && ids[i] != e);
                prev = ids[i];
            }
            seen += n;
            cursor = next;
            if (++pages == 1) c = policy_for_jd(&s, off, 100 + 2 * r, jd_org);
            if (pages == 2) e = policy_for_jd(&s, off, 101 + 2 * r, jd_org);
        } while (next && pages < 200);
        CHECK(total > 22);
        CHECK_INT(seen, total);
        CHECK_INT(prev, lowest);
        /* read again, the first page starts with the notices written meanwhile, newest first */
        n = notice_page(&s, readers[r], sizes[r], 0, ids, &next, NULL);
        CHECK_INT(ids[0], e);
        CHECK_INT(ids[1], c);
    }

    /* a filter keeps the order and the paging: the officer reads jd's notices 3 at a time */
    snprintf(q, sizeof q, "organisation_id=%lld&limit=3", jd_org);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_notices WHERE org_id = %lld", jd_org);
    long long of_jd = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql, "SELECT MAX(id) FROM ent_notices WHERE org_id = %lld", jd_org);
    long long newest = th_sql_int(&s, sql);
    long long prev = 0, cursor = 0;
    int seen = 0, pages = 0;
    do {
        n = notice_page(&s, off, q, cursor, ids, &next, NULL);
        for (int i = 0; i < n; i++) {
            if (!prev) CHECK_INT(ids[i], newest);
            if (prev) CHECK(ids[i] < prev);
            snprintf(sql, sizeof sql, "SELECT org_id FROM ent_notices WHERE id = %lld", ids[i]);
            CHECK_INT(th_sql_int(&s, sql), jd_org);
            prev = ids[i];
        }
        seen += n;
        cursor = next;
    } while (next && ++pages < 200);
    CHECK_INT(seen, of_jd);
    th_stop(&s);
}
