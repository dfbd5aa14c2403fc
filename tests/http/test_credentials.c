/* How a request names its session: one Authorization header, or the pj_session cookie (in
 * any Cookie header) of one value; two Authorization headers, or pj_session cookies of
 * different values, are refused (400 bad_header) and change nothing. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

/* One request (head and body as text) on a connection of its own; the answer into out.
 * Returns the status, -1 when none came. */
static int raw_req(int port, const char *req, char *out, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a))
        t_fail(__FILE__, __LINE__, "connect");
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t len = strlen(req);
    if (send(fd, req, len, MSG_NOSIGNAL) != (ssize_t)len) t_fail(__FILE__, __LINE__, "send");
    size_t n = 0;
    while (n + 1 < size) {
        ssize_t k = recv(fd, out + n, size - 1 - n, 0);
        if (k <= 0) break;
        n += (size_t)k;
    }
    out[n] = 0;
    close(fd);
    int st = -1;
    return sscanf(out, "HTTP/1.%*d %d", &st) == 1 ? st : -1;
}

/* The answer's JSON body (after the head), parsed; NULL when none. */
static json_t *body_of(const char *resp)
{
    const char *b = strstr(resp, "\r\n\r\n");
    return b ? json_loads(b + 4, 0, NULL) : NULL;
}

/* GET /api/v1/auth/me with more header lines; its status, the error's code and field (or "")
 * into code/field. */
static int me(th_server *s, const char *lines, char code[32], char field[32])
{
    char req[2048], buf[16384];
    snprintf(req, sizeof req,
             "GET /api/v1/auth/me HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s\r\n", lines);
    int st = raw_req(s->port, req, buf, sizeof buf);
    json_t *o = body_of(buf);
    snprintf(code, 32, "%s", o && th_err_code(o) ? th_err_code(o) : "");
    snprintf(field, 32, "%s", o && th_err_field(o) ? th_err_field(o) : "");
    if (st >= 400) { /* the usual error shape */
        json_t *e = json_object_get(o, "error");
        CHECK(json_is_string(json_object_get(e, "message")));
        CHECK(json_object_get(e, "field") != NULL);
    }
    json_decref(o);
    return st;
}

TEST(http_credentials_named_twice_refused)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], other[80], lines[1024], code[32], field[32];
    th_login(&s, "admin", s.admin_pw, tok);
    th_login(&s, "admin", s.admin_pw, other);
    /* one of each: as before */
    snprintf(lines, sizeof lines, "Authorization: Bearer %s\r\n", tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines, "Cookie: pj_session=%s\r\n", tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    /* two Authorization headers: whichever the server took, the other was meant too */
    for (int i = 0; i < 3; i++) {
        if (i == 0)
            snprintf(lines, sizeof lines,
                     "Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n", tok, other);
        else if (i == 1) /* the same twice, the name's case aside */
            snprintf(lines, sizeof lines,
                     "Authorization: Bearer %s\r\nauthorization: Bearer %s\r\n", tok, tok);
        else /* only one of them a bearer token */
            snprintf(lines, sizeof lines,
                     "Authorization: Basic eDp5\r\nAuthorization: Bearer %s\r\n", tok);
        CHECK_INT(me(&s, lines, code, field), 400);
        CHECK_STR(code, "bad_header");
        CHECK_STR(field, "Authorization");
    }
    /* pj_session cookies of different values: in one header, in two */
    snprintf(lines, sizeof lines, "Cookie: pj_session=%s; pj_session=%s\r\n", tok, other);
    CHECK_INT(me(&s, lines, code, field), 400);
    CHECK_STR(code, "bad_header");
    CHECK_STR(field, "Cookie");
    snprintf(lines, sizeof lines, "Cookie: a=1; pj_session=%s\r\nCookie: pj_session=x%s\r\n", tok,
             other);
    CHECK_INT(me(&s, lines, code, field), 400);
    CHECK_STR(code, "bad_header");
    /* unambiguous: the same value twice; another cookie's name ending so; the cookie only in
     * a second Cookie header (split by a proxy); a Bearer header, which the cookie never
     * overrides */
    snprintf(lines, sizeof lines, "Cookie: pj_session=%s\r\nCookie: b=2; pj_session=%s\r\n", tok,
             tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines, "Cookie: xpj_session=%s; pj_session=%s\r\n", other, tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines, "Cookie: a=1\r\nCookie: pj_session=%s\r\n", tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines,
             "Authorization: Bearer %s\r\nCookie: pj_session=%s; pj_session=x\r\n", tok, other);
    CHECK_INT(me(&s, lines, code, field), 200);

    /* a write named twice writes nothing: body sent with the head, and a body still to come
     * (refused from the head alone, the connection closed) */
    static const char body[] = "{\"username\":\"twice1\",\"password\":\"twice-password-1\","
                               "\"role\":\"viewer\"}";
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], req[2048], buf[8192];
    th_fingerprint(&s, before, sizeof before);
    snprintf(req, sizeof req,
             "POST /api/v1/users HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
             "Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             tok, tok, strlen(body), body);
    CHECK_INT(raw_req(s.port, req, buf, sizeof buf), 400);
    CHECK(strstr(buf, "\"bad_header\"") != NULL);
    snprintf(req, sizeof req,
             "POST /api/v1/users HTTP/1.1\r\nHost: t\r\n"
             "Cookie: pj_session=%s\r\nCookie: pj_session=%s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
             tok, other, strlen(body));
    CHECK_INT(raw_req(s.port, req, buf, sizeof buf), 400);
    CHECK(strstr(buf, "\"bad_header\"") != NULL);
    CHECK(strstr(buf, "Connection: close\r\n") != NULL);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}
