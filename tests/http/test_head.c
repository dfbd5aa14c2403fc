/* HEAD: every GET route answers it as GET does (status, checks, headers, the length of the
 * body GET sends), without the body and without writing (a reveal is not audited, nor cached
 * for a GET to find); the connection stays usable after it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "eldercare/el_fixture.h"
#include "http/server.h"
#include "t.h"
#include "th.h"

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k <= 0) t_fail(__FILE__, __LINE__, "write");
        p += k;
        n -= (size_t)k;
    }
}

/* Everything the server sends until it closes (or 30 s pass); malloc'd, NUL-terminated. */
static char *read_to_close(int fd, size_t *len)
{
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
    b[n] = 0;
    *len = n;
    return b;
}

/* The reply head [head, end) without the lines that differ from one request to the next
 * (Date, X-Request-Id), into out. */
static void stable_head(const char *head, const char *end, char *out, size_t size)
{
    size_t n = 0;
    out[0] = 0;
    for (const char *p = head; p < end;) {
        const char *e = strstr(p, "\r\n");
        if (!e || e > end) e = end;
        if (strncasecmp(p, "Date:", 5) && strncasecmp(p, "X-Request-Id:", 13) &&
            strncasecmp(p, "Content-Length:", 15) && n + (size_t)(e - p) + 2 < size) {
            memcpy(out + n, p, (size_t)(e - p));
            n += (size_t)(e - p);
            out[n++] = '\n';
            out[n] = 0;
        }
        p = e + 2;
    }
}

/* The request headers that carry the session: a bearer token, or the cookie. */
static void auth_lines(char *out, size_t size, const char *tok)
{
    if (tok)
        snprintf(out, size, "Authorization: Bearer %s\r\n", tok);
    else
        out[0] = 0;
}

/* HEAD path and then GET path on one connection (pipelined: the GET's reply must start right
 * where the HEAD's head ends, so the HEAD sent no body and left the connection usable); both
 * answered alike: status, headers (but Date and the request id), Content-Length the length
 * of the GET's body (an error's body names its request id, whose length may differ). Returns
 * the status. */
static int head_like_get(th_server *s, const char *tok, const char *path)
{
    char auth[160], req[4096];
    auth_lines(auth, sizeof auth, tok);
    snprintf(req, sizeof req,
             "HEAD %s HTTP/1.1\r\nHost: t\r\n%s\r\n"
             "GET %s HTTP/1.1\r\nHost: t\r\n%sConnection: close\r\n\r\n",
             path, auth, path, auth);
    int fd = th_dial(s->port, NULL, 30000);
    send_all(fd, req, strlen(req));
    size_t n;
    char *r = read_to_close(fd, &n);
    close(fd);
    const char *h1 = r, *e1 = strstr(h1, "\r\n\r\n");
    if (!e1) t_fail(__FILE__, __LINE__, "HEAD %s: no reply", path);
    const char *h2 = e1 + 4;
    if (strncmp(h2, "HTTP/1.1 ", 9))
        t_fail(__FILE__, __LINE__, "HEAD %s: bytes after the head: %.40s", path, h2);
    const char *e2 = strstr(h2, "\r\n\r\n");
    if (!e2) t_fail(__FILE__, __LINE__, "GET %s after HEAD: no reply", path);
    int st1 = atoi(h1 + 9), st2 = atoi(h2 + 9);
    if (st1 != st2) t_fail(__FILE__, __LINE__, "%s: HEAD %d, GET %d", path, st1, st2);
    char v[128], a1[4096], a2[4096];
    long cl1 = atol(th_header(h1, e1, "Content-Length", v, sizeof v));
    long cl2 = atol(th_header(h2, e2, "Content-Length", v, sizeof v));
    long body = (long)(r + n - (e2 + 4));
    if (cl2 != body) t_fail(__FILE__, __LINE__, "GET %s: %ld bytes, said %ld", path, body, cl2);
    if (st1 >= 400) { /* the error's request_id */
        cl1 -= (long)strlen(th_header(h1, e1, "X-Request-Id", v, sizeof v));
        cl2 -= (long)strlen(th_header(h2, e2, "X-Request-Id", v, sizeof v));
    }
    if (cl1 != cl2)
        t_fail(__FILE__, __LINE__, "%s: HEAD Content-Length %ld, GET %ld", path, cl1, cl2);
    stable_head(h1, e1, a1, sizeof a1);
    stable_head(h2, e2, a2, sizeof a2);
    /* the GET's own Connection: close */
    char *cc = strstr(a2, "Connection: close\n");
    if (cc) memmove(cc, cc + 18, strlen(cc + 18) + 1);
    if (strcmp(a1, a2)) t_fail(__FILE__, __LINE__, "%s: HEAD head\n%s\nGET head\n%s", path, a1, a2);
    free(r);
    return st1;
}

/* HEAD path alone: its status, and that no byte of a body came. */
static int head_only(th_server *s, const char *tok, const char *path)
{
    char auth[160], req[4096];
    auth_lines(auth, sizeof auth, tok);
    snprintf(req, sizeof req, "HEAD %s HTTP/1.1\r\nHost: t\r\n%sConnection: close\r\n\r\n", path,
             auth);
    int fd = th_dial(s->port, NULL, 30000);
    send_all(fd, req, strlen(req));
    size_t n;
    char *r = read_to_close(fd, &n);
    close(fd);
    const char *e = strstr(r, "\r\n\r\n");
    if (!e || (size_t)(e + 4 - r) != n) t_fail(__FILE__, __LINE__, "HEAD %s: a body came", path);
    int st = atoi(r + 9);
    free(r);
    return st;
}

/* Reads that take parameters worth trying (reveals, CSV and XLSX downloads, the reports run on
 * a worker), with the status each answers an admin. */
static const struct {
    const char *path;
    int status;
} reads[] = {
    {"/api/v1/elders?reveal=1&limit=10", 200},
    {"/api/v1/helpers?reveal=1", 200},
    {"/api/v1/eldercare/vulnerable?reveal=1", 200},
    {"/api/v1/eldercare/vulnerable?reveal=1&format=csv", 200},
    {"/api/v1/eldercare/coverage?format=csv", 200},
    {"/api/v1/eldercare/coverage", 200},
    {"/api/v1/time-bank/check", 200},
    {"/api/v1/enterprise/kpis?from=2024-01-01", 200},
    {"/api/v1/enterprise/kpis?from=2024-01-01&format=csv", 200},
    {"/api/v1/enterprise/kpis", 400},
    {"/api/v1/facilities/export?format=csv", 200},
    {"/api/v1/facilities/export?format=xlsx", 200},
    {"/api/v1/indicators/export?format=xlsx", 200},
    {"/api/v1/facilities?limit=3&type=hotel", 200},
    {"/api/v1/facilities?bogus=1", 400},
    {"/api/v1/facilities/999999", 404},
};
#define NREADS (int)(sizeof reads / sizeof reads[0])

/* The paths of the GET routes, {id} as id; then reads[]; then one elder revealed. */
static int get_paths(char paths[][160], int max, long long id, long long elder)
{
    int n = 0, nroutes;
    const pj_route *rt = pj_routes(&nroutes);
    for (int i = 0; i < nroutes && n < max; i++) {
        if (strcmp(rt[i].method, "GET")) continue;
        const char *b = strchr(rt[i].path, '{');
        if (!b)
            snprintf(paths[n++], 160, "%s", rt[i].path);
        else
            snprintf(paths[n++], 160, "%.*s%lld%s", (int)(b - rt[i].path), rt[i].path, id,
                     strchr(b, '}') + 1);
    }
    for (int i = 0; i < NREADS && n < max; i++) snprintf(paths[n++], 160, "%s", reads[i].path);
    if (n < max) snprintf(paths[n++], 160, "/api/v1/elders/%lld?reveal=1", elder);
    return n;
}

/* Every GET route answers HEAD as GET (as an admin, and without a session: 401), and a run of
 * HEADs over all of them writes nothing, audit rows of reveals included. */
TEST_T(http_head_every_get_route, 180)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 30);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    long long elder = th_sql_int(&s, "SELECT MIN(id) FROM elders");
    static char paths[256][160];
    int n = get_paths(paths, 256, 1, elder);
    CHECK(n > 100);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    int ok = 0;
    for (int i = 0; i < n; i++) ok += head_only(&s, tok, paths[i]) == 200;
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK(ok > 90);
    for (int i = 0; i < n; i++) {
        int st = head_like_get(&s, tok, paths[i]);
        for (int k = 0; k < NREADS; k++)
            if (!strcmp(paths[i], reads[k].path) && st != reads[k].status)
                t_fail(__FILE__, __LINE__, "%s: %d, expected %d", paths[i], st, reads[k].status);
    }
    CHECK_INT(head_like_get(&s, tok, paths[n - 1]), 200); /* the elder revealed */
    /* no session: 401 for both, no body for HEAD */
    CHECK_INT(head_like_get(&s, NULL, "/api/v1/facilities"), 401);
    CHECK_INT(head_only(&s, NULL, "/api/v1/auth/me"), 401);
    /* public */
    CHECK_INT(head_like_get(&s, NULL, "/api/v1/health"), 200);
    th_stop(&s);
}

/* HEAD of a reveal checks what GET checks (role, scope) but reveals nothing: no read_unmasked
 * audit row, and its answer is not cached for a GET, which then writes its rows as always. */
TEST(http_head_reveal_is_not_a_read)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 30);
    char admin[80], viewer[80], grid[80];
    th_login(&s, "admin", s.admin_pw, admin);
    th_login(&s, "viewer", s.demo_pw, viewer);
    th_login(&s, "grid01", s.demo_pw, grid);
    const char *count = "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked'";
    long long elder = th_sql_int(&s, "SELECT MIN(id) FROM elders");
    long long outside =
        th_sql_int(&s, "SELECT MIN(id) FROM elders WHERE grid_id NOT IN (SELECT g.region_id FROM"
                       " grid_workers g JOIN users u ON u.id = g.user_id WHERE u.username ="
                       " 'grid01')");
    CHECK(outside > 0);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/elders/%lld?reveal=1", elder);
    long long n0 = th_sql_int(&s, count);
    CHECK_INT(head_only(&s, admin, path), 200);
    CHECK_INT(th_sql_int(&s, count), n0);
    /* the same answer as GET's, which is audited */
    CHECK_INT(head_like_get(&s, admin, path), 200);
    CHECK_INT(th_sql_int(&s, count), n0 + 1);
    /* refused as GET is: the role, the scope */
    CHECK_INT(head_like_get(&s, viewer, path), 403);
    snprintf(path, sizeof path, "/api/v1/elders/%lld?reveal=1", outside);
    CHECK_INT(head_like_get(&s, grid, path), 403);
    CHECK_INT(th_sql_int(&s, count), n0 + 1);
    /* a cached list (per user): the HEAD leaves nothing in the cache for the GET */
    long long items = th_sql_int(&s, "SELECT MIN(COUNT(*), 10) FROM elders");
    CHECK(items > 0);
    n0 = th_sql_int(&s, count);
    CHECK_INT(head_only(&s, admin, "/api/v1/elders?reveal=1&limit=10"), 200);
    CHECK_INT(head_only(&s, admin, "/api/v1/elders?reveal=1&limit=10"), 200);
    CHECK_INT(th_sql_int(&s, count), n0);
    json_t *o = NULL;
    char hdr[4096];
    CHECK_INT(th_call_raw(&s, "GET", "/api/v1/elders?reveal=1&limit=10", admin, NULL, -1, NULL, &o,
                          hdr, sizeof hdr),
              200);
    CHECK(strstr(hdr, "X-Cache: hit") == NULL);
    CHECK_INT(json_array_size(json_object_get(o, "items")), items);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, count), n0 + items);
    th_stop(&s);
}

/* A 405 names HEAD wherever GET is allowed; a path without GET has no HEAD either. */
TEST(http_head_in_allow)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], hdr[4096];
    th_login(&s, "admin", s.admin_pw, tok);
    CHECK_INT(
        th_call_raw(&s, "PUT", "/api/v1/facilities", tok, "{}", -1, NULL, NULL, hdr, sizeof hdr),
        405);
    CHECK(strstr(hdr, "Allow: GET, HEAD, POST\r\n") != NULL);
    CHECK_INT(th_call_raw(&s, "PUT", "/api/v1/auth/me", tok, "{}", -1, NULL, NULL, hdr, sizeof hdr),
              405);
    CHECK(strstr(hdr, "Allow: GET, HEAD\r\n") != NULL);
    CHECK_INT(head_only(&s, NULL, "/api/v1/auth/login"), 405);
    CHECK_INT(
        th_call_raw(&s, "PUT", "/api/v1/auth/login", NULL, "{}", -1, NULL, NULL, hdr, sizeof hdr),
        405);
    CHECK(strstr(hdr, "Allow: POST\r\n") != NULL);
    th_stop(&s);
}

/* A HEAD is a probe (monitoring, a link checker): its session is checked as a GET's, but it
 * does not keep the session alive (last_seen stays), nor does the GET it would let through
 * the session cache; the next GET does. */
TEST(http_head_keeps_no_session_alive)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], auth[160], req[1024], buf[4096];
    th_login(&s, "admin", s.admin_pw, tok);
    /* idle for 10 min of the default 30: due a refresh (the step is a minute) */
    th_sql_exec(&s, "UPDATE sessions SET last_seen = strftime('%s','now') - 600");
    long long old = th_sql_int(&s, "SELECT last_seen FROM sessions");
    CHECK_INT(head_only(&s, tok, "/api/v1/auth/me"), 200);
    CHECK_INT(head_only(&s, tok, "/api/v1/facilities"), 200);
    CHECK_INT(th_sql_int(&s, "SELECT last_seen FROM sessions"), old);
    /* a HEAD whose body is still to come has its session checked before the body (then again
     * by the handler): neither check refreshes it */
    auth_lines(auth, sizeof auth, tok);
    snprintf(req, sizeof req,
             "HEAD /api/v1/auth/me HTTP/1.1\r\nHost: t\r\n%sContent-Type: application/json\r\n"
             "Content-Length: 2\r\nConnection: close\r\n\r\n",
             auth);
    int fd = th_dial(s.port, NULL, 5000);
    send_all(fd, req, strlen(req));
    usleep(300 * 1000);
    send_all(fd, "{}", 2);
    th_read_all(fd, buf, sizeof buf);
    close(fd);
    CHECK(strncmp(buf, "HTTP/1.1 200", 12) == 0);
    CHECK_INT(th_sql_int(&s, "SELECT last_seen FROM sessions"), old);
    /* a GET refreshes it */
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, NULL), 200);
    CHECK(th_sql_int(&s, "SELECT last_seen FROM sessions") >= old + 590);
    th_stop(&s);
}
