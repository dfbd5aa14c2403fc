/* The audit trail holds every write: the demo's accounts each have their create row; and what
 * an export takes as the time of the last write counts writes only (a log-in is none). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

/* Regression: the demo's six accounts were inserted without an audit row, so the trail of
 * users showed only the admin's creation. Each account has one create row, by the demo's
 * actor (the one its `demo` row names), holding the account as the user administration shows
 * it (no password hash). */
TEST(audit_demo_accounts_have_create_rows)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users"), 7);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users u WHERE (SELECT COUNT(*) FROM audit a"
                             " WHERE a.entity = 'user' AND a.action = 'create' AND a.entity_id ="
                             " u.id) <> 1"),
              0);
    /* the demo's rows by the demo's actor */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit a WHERE a.entity = 'user' AND a.action ="
                             " 'create' AND a.entity_id > 1 AND a.username = (SELECT username FROM"
                             " audit WHERE action = 'demo' AND entity = 'district')"),
              6);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'user' AND after_json LIKE"
                             " '%argon2%'"),
              0);
    /* read through the API: seven create rows, each the account as GET shows it */
    json_t *o =
        CALL(&s, "GET", tok, "/api/v1/audit?entity=user&action=create&limit=100", NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 7);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        long long id = th_int(it, "entity_id");
        if (id == 1) continue; /* the admin's, written before the demo as it always was */
        json_t *after = json_object_get(it, "after");
        CHECK(after != NULL && json_is_object(after));
        char path[64];
        snprintf(path, sizeof path, "/api/v1/users/%lld", id);
        json_t *u = CALL(&s, "GET", tok, path, NULL, 200);
        if (!json_equal(after, u)) {
            char *a = json_dumps(after, JSON_SORT_KEYS), *b = json_dumps(u, JSON_SORT_KEYS);
            t_fail(__FILE__, __LINE__, "user %lld: audit %s, GET %s", id, a, b);
        }
        CHECK(json_object_get(after, "password_hash") == NULL);
        json_decref(u);
    }
    json_decref(o);
    /* grid01's row holds its grids */
    CHECK_INT(th_sql_int(&s, "SELECT json_array_length(after_json, '$.grid_ids') FROM audit WHERE"
                             " entity = 'user' AND action = 'create' AND entity_id = (SELECT id"
                             " FROM users WHERE username = 'grid01')"),
              3);
    th_stop(&s);
}

/* The body of GET path (Connection: close, no compression asked), malloc'd; its status into
 * *status. */
static char *get_body(th_server *s, const char *tok, const char *path, size_t *len, int *status)
{
    char req[512];
    snprintf(req, sizeof req,
             "GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n",
             path, tok);
    int fd = th_dial(s->port, NULL, 30000);
    size_t want = strlen(req);
    for (size_t off = 0; off < want;) {
        ssize_t k = write(fd, req + off, want - off);
        if (k <= 0) t_fail(__FILE__, __LINE__, "write");
        off += (size_t)k;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 30000) <= 0) break;
        if (n == cap) b = realloc(b, (cap *= 2) + 1);
        ssize_t k = read(fd, b + n, cap - n);
        if (k <= 0) break;
        n += (size_t)k;
    }
    close(fd);
    b[n] = 0;
    *status = n > 12 ? atoi(b + 9) : 0;
    char *body = strstr(b, "\r\n\r\n");
    if (!body) t_fail(__FILE__, __LINE__, "GET %s: no reply", path);
    body += 4;
    *len = n - (size_t)(body - b);
    memmove(b, body, *len);
    return b;
}

/* Regression: the XLSX exports are dated by the newest audit row, which a log-in, a failed
 * log-in or an unmasked read also wrote: a log-in changed the workbook (its time, its bytes,
 * so a HEAD's Content-Length and the GET after it) though no data had changed. Now the same
 * data is the same file across log-ins; a write still dates it anew. */
TEST_T(audit_exports_same_bytes_across_logins, 90)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], other[80];
    th_login(&s, "admin", s.admin_pw, tok);
    const char *paths[] = {"/api/v1/facilities/export?format=xlsx",
                           "/api/v1/indicators/export?format=xlsx"};
    char *before[2];
    size_t n_before[2];
    for (int k = 0; k < 2; k++) {
        int st;
        before[k] = get_body(&s, tok, paths[k], &n_before[k], &st);
        CHECK_INT(st, 200);
        CHECK(n_before[k] > 100 && !memcmp(before[k], "PK", 2));
    }
    /* the audit's times are in seconds: the log-ins fall in a later one than every write
     * (the admin's own log-in above may or may not share the seed's second, so the rows are
     * counted from the last one written before the pause) */
    long long last = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    sleep(2);
    th_login(&s, "officer", s.demo_pw, other);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/login", NULL,
                      "{\"username\":\"viewer\",\"password\":\"not-the-password\"}", NULL),
              401);
    char q[320];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id > %lld AND action IN ('login', 'login_failed')"
             " AND at > (SELECT MAX(at) FROM audit WHERE action NOT IN ('login',"
             " 'login_failed'))",
             last);
    CHECK_INT(th_sql_int(&s, q), 2);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id > %lld AND action NOT IN ('login',"
             " 'login_failed')",
             last);
    CHECK_INT(th_sql_int(&s, q), 0);
    for (int k = 0; k < 2; k++) {
        int st;
        size_t n;
        char *after = get_body(&s, other, paths[k], &n, &st);
        CHECK_INT(st, 200);
        if (n != n_before[k] || memcmp(after, before[k], n))
            t_fail(__FILE__, __LINE__, "%s: %zu bytes before the log-ins, %zu after", paths[k],
                   n_before[k], n);
        free(after);
    }
    /* a write dates the export anew */
    long long id = th_sql_int(&s, "SELECT MIN(id) FROM facilities");
    long long version = th_sql_int(&s, "SELECT version FROM facilities ORDER BY id LIMIT 1");
    char path[64], body[128];
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", id);
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"改名测试\"}", version);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    int st;
    size_t n;
    char *after = get_body(&s, tok, paths[0], &n, &st);
    CHECK_INT(st, 200);
    CHECK(n != n_before[0] || memcmp(after, before[0], n));
    free(after);
    for (int k = 0; k < 2; k++) free(before[k]);
    th_stop(&s);
}

/* The audit's rows name who acted by display name too (`username_name`, as every record's
 * `_by_name`): the facility's history and the audit log showed the user names alone. An actor
 * of the platform's own, or an account without a display name, has null. */
TEST_T(audit_rows_name_the_actor_by_display_name, 60)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], off[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/facilities/1", off,
                      "{\"version\":1,\"address\":\"平谷区测试路1号\"}", &o),
              200);
    json_decref(o);
    o = NULL;
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/audit?entity=facility&entity_id=1&limit=1", adm, NULL, &o),
        200);
    json_t *row = json_array_get(json_object_get(o, "items"), 0);
    CHECK_STR(json_string_value(json_object_get(row, "username")), "officer");
    CHECK_STR(json_string_value(json_object_get(row, "username_name")), "区应急局值班员");
    json_decref(o);
    o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/audit?action=demo&limit=1", adm, NULL, &o), 200);
    row = json_array_get(json_object_get(o, "items"), 0);
    CHECK(row && json_is_null(json_object_get(row, "username_name")));
    json_decref(o);
    th_stop(&s);
}

/* Regression: the audit trail's bare dates were UTC midnight while every other date that stands
 * for an instant is Beijing's (docs/api.md, Dates). A write at 07:00 Beijing time on 10 March
 * (23:00 UTC on the 9th) is in since=03-10 and not in until=03-10; the UTC instant of the 10th's
 * start, given as such, still reads as UTC. */
TEST(audit_bare_dates_are_beijing_days)
{
    th_clock_at("2099-03-10", 7, 0);
    th_server s;
    th_start(&s, 1);
    char off[80], adm[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "admin", s.admin_pw, adm);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL),
              201);
    long long at = th_sql_int(&s, "SELECT MAX(at) FROM audit WHERE username = 'officer'");
    CHECK(at >= 4076780400LL && at < 4076780400LL + 60); /* 2099-03-09T23:00Z, Beijing 07:00 */
    const char *q[][2] = {
        {"/api/v1/audit?username=officer&since=2099-03-10", "1"},
        {"/api/v1/audit?username=officer&until=2099-03-10", "0"},
        {"/api/v1/audit?username=officer&since=2099-03-09&until=2099-03-10", "0"},
        {"/api/v1/audit?username=officer&since=2099-03-10&until=2099-03-11", "1"},
        {"/api/v1/audit?username=officer&since=2099-03-10T00:00:00Z", "0"},
        {"/api/v1/audit?username=officer&since=2099-03-09T23:00:00Z", "1"},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        json_t *o = CALL(&s, "GET", adm, q[i][0], NULL, 200);
        size_t n = json_array_size(json_object_get(o, "items"));
        if ((n > 0) != (q[i][1][0] == '1'))
            t_fail(__FILE__, __LINE__, "%s: %zu rows, expected %s", q[i][0], n,
                   q[i][1][0] == '1' ? "the write" : "none");
        json_decref(o);
    }
    th_stop(&s);
    th_clock_real();
}
