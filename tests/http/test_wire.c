/* HTTP/1.1 on the wire: the request head parser, and the server over raw sockets — keep-alive,
 * pipelining, Connection: close, HTTP/1.0, 100-continue, refused heads and bodies, HEAD,
 * replies larger than the socket buffer taken slowly, bodies arriving in pieces. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/wire.h"
#include "t.h"
#include "th.h"

static int parse(const char *text, pj_head *h, pj_err *e)
{
    static char buf[1 << 16]; /* the head parsed points into it */
    size_t n = strlen(text);
    memcpy(buf, text, n);
    pj_err_clear(e);
    return pj_head_parse(buf, n, h, e);
}

TEST(wire_head_parser_accepts_and_refuses)
{
    pj_head h;
    pj_err e;
    CHECK_INT(parse("GET /api/v1/health?x=1 HTTP/1.1\r\nHost: a\r\nX-A:  b c  \r\n\r\n", &h, &e),
              0);
    CHECK_STR(h.method, "GET");
    CHECK_STR(h.target, "/api/v1/health?x=1");
    CHECK_INT(h.minor, 1);
    CHECK_STR(pj_head_get(&h, "x-a"), "b c"); /* case-insensitive name, value trimmed */
    CHECK(pj_head_get(&h, "X-B") == NULL);
    CHECK_INT(h.keep_alive, 1);
    CHECK_INT((int)h.content_length, (int)PJ_WIRE_NOLENGTH);
    CHECK_INT((int)h.head_len, 57); /* up to and with the empty line */
    /* bare LF line ends; a body length; Connection: close */
    CHECK_INT(parse("POST /x HTTP/1.1\nHost: a\nContent-Length: 12\nConnection: Close\n\n", &h, &e),
              0);
    CHECK_INT((int)h.content_length, 12);
    CHECK_INT(h.keep_alive, 0);
    /* HTTP/1.0: closes unless keep-alive is asked for; no Host needed */
    CHECK_INT(parse("GET / HTTP/1.0\r\n\r\n", &h, &e), 0);
    CHECK_INT(h.keep_alive, 0);
    CHECK_INT(parse("GET / HTTP/1.0\r\nConnection: foo, Keep-Alive\r\n\r\n", &h, &e), 0);
    CHECK_INT(h.keep_alive, 1);
    CHECK_INT(
        parse("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", &h,
              &e),
        0);
    CHECK_INT(h.expect_continue, 1);
    /* incomplete: more bytes needed */
    CHECK_INT(parse("GET / HTTP/1.1\r\nHost: a\r\n", &h, &e), 1);
    CHECK_INT(parse("GET / HT", &h, &e), 1);
    /* refused, each with its status */
    static const struct {
        const char *text;
        int status;
    } bad[] = {
        {"GET /\r\n\r\n", 400},
        {"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
        {"GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\n\r\n", 400}, /* no Host */
        {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01z\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
         400},
        {"POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", 417},
        /* a body of two types: neither is guessed (the first was taken) */
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\ncontent-type: "
         "text/csv\r\n\r\n",
         400},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(bad[i].text, &h, &e);
        if (rc != -1 || e.status != bad[i].status)
            fprintf(stderr, "case %zu: rc %d status %d\n", i, rc, e.status);
        CHECK_INT(rc, -1);
        CHECK_INT(e.status, bad[i].status);
    }
    /* 64 headers pass, 65 do not */
    char many[8192];
    for (int extra = 63; extra <= 64; extra++) {
        int n = snprintf(many, sizeof many, "GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < extra; i++)
            n += snprintf(many + n, sizeof many - (size_t)n, "X-%d: v\r\n", i);
        snprintf(many + n, sizeof many - (size_t)n, "\r\n");
        CHECK_INT(parse(many, &h, &e), extra == 63 ? 0 : -1);
    }
    CHECK_INT(e.status, 431);
    /* a head that never ends: 431 once it passes the limit */
    static char big[PJ_HEAD_MAX + 100];
    memset(big, 'a', sizeof big);
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    pj_err_clear(&e);
    CHECK_INT(pj_head_parse(big, sizeof big, &h, &e), -1);
    CHECK_INT(e.status, 431);
}

/* ---- over a socket ---- */

/* A connection to the server; rcvbuf > 0 makes the client's receive buffer that small. */
static int dial_rcvbuf(int port, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

static int dial(int port)
{
    return dial_rcvbuf(port, 0);
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k <= 0) return;
        p += k;
        n -= (size_t)k;
    }
}

/* Reads until the peer closes, or until `want` replies ("HTTP/1.1 " at a line start after
 * a complete body) are in, or 5 s pass. Returns the bytes read (NUL-terminated, malloc). */
static int last_read; /* read_replies' last read(): 0 = the peer closed, -1 = error */

static char *read_replies(int fd, int want, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 5000) <= 0) break;
        if (n == cap) b = realloc(b, (cap *= 2) + 1);
        ssize_t k = read(fd, b + n, cap - n);
        last_read = k < 0 ? -1 : (int)(k > 0);
        if (k <= 0) break;
        n += (size_t)k;
        b[n] = 0;
        /* count complete replies: each has a Content-Length */
        int got = 0;
        const char *q = b;
        while ((q = strstr(q, "HTTP/1.1 ")) != NULL) {
            const char *he = strstr(q, "\r\n\r\n");
            if (!he) break;
            const char *cl = strstr(q, "Content-Length: ");
            size_t body = cl && cl < he ? strtoul(cl + 16, NULL, 10) : 0;
            if (strncmp(q, "HTTP/1.1 100", 12) == 0) body = 0, got--;
            if ((size_t)(he + 4 - b) + body > n) break;
            got++;
            q = he + 4 + body;
        }
        if (want > 0 && got >= want) break;
    }
    b[n] = 0;
    *len = n;
    return b;
}

static int count(const char *hay, const char *needle)
{
    int c = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) c++;
    return c;
}

static int peer_closed(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 3000) <= 0) return 0;
    char c;
    return read(fd, &c, 1) == 0;
}

/* A head arriving a byte at a time: pj_head_ready says "not yet" until its empty line has come
 * (LF LF, CRLF CRLF, split anywhere; blank lines before the request line are not it), each
 * call scanning on from where the last stopped (the server rescanned the whole head at every
 * read: a 32 KiB head sent byte by byte cost its loop 0.4 s); once too large it says so for
 * pj_head_parse's 431. Each answer is the parser's. */
TEST(wire_head_ready_scans_on)
{
    static const char *const heads[] = {
        "GET / HTTP/1.1\r\nHost: x\r\nX-A: aaaa\r\n\r\n",
        "GET / HTTP/1.1\nHost: x\n\n",
        "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "\n\nGET / HTTP/1.1\nHost: x\r\n\r\n",
    };
    char buf[1 << 16] = {0};
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
        size_t n = strlen(heads[k]), from = 0;
        memcpy(buf, heads[k], n);
        for (size_t len = 1; len <= n; len++) {
            int ready = pj_head_ready(buf, len, &from);
            pj_head h;
            pj_err e;
            pj_err_clear(&e);
            char copy[256];
            memcpy(copy, buf, len);
            int parsed = pj_head_parse(copy, len, &h, &e);
            if (ready != (parsed != 1))
                t_fail(__FILE__, __LINE__, "head %zu at %zu bytes: ready %d, parser %d", k, len,
                       ready, parsed);
            if (!ready && from != len)
                t_fail(__FILE__, __LINE__, "head %zu: scanned to %zu of %zu", k, from, len);
            if (len == n) CHECK_INT(ready, 1);
        }
    }
    /* too large, the empty line never came: ready, for the parser's 431 */
    size_t n = PJ_HEAD_MAX + 10, from = 0;
    memcpy(buf, "GET / HTTP/1.1\r\nX-A: ", 21);
    memset(buf + 21, 'a', n - 21);
    CHECK_INT(pj_head_ready(buf, PJ_HEAD_MAX - 1, &from), 0);
    CHECK_INT(pj_head_ready(buf, n, &from), 1);
    pj_head h;
    pj_err e;
    pj_err_clear(&e);
    CHECK_INT(pj_head_parse(buf, n, &h, &e), -1);
    CHECK_INT(e.status, 431);
}

TEST(wire_server_keepalive_pipelining_and_refusals)
{
    th_server s;
    th_start(&s, 0);
    size_t n;
    /* three pipelined requests in one write: three replies in order, the connection open */
    int fd = dial(s.port);
    CHECK(fd >= 0);
    const char *three = "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n"
                        "GET /api/v1/nope HTTP/1.1\r\nHost: t\r\n\r\n"
                        "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n";
    send_all(fd, three, strlen(three));
    char *r = read_replies(fd, 3, &n);
    CHECK_INT(count(r, "HTTP/1.1 200 OK\r\n"), 2);
    CHECK_INT(count(r, "HTTP/1.1 404 Not Found\r\n"), 1);
    CHECK(strstr(r, "HTTP/1.1 404") > strstr(r, "HTTP/1.1 200")); /* in order */
    CHECK(strstr(r, "Date: ") != NULL);
    CHECK(strstr(r, "Connection: close") == NULL);
    free(r);
    /* a request written a byte at a time is still one request */
    const char *slow = "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n";
    for (const char *p = slow; *p; p++) send_all(fd, p, 1);
    r = read_replies(fd, 1, &n);
    CHECK_INT(count(r, "HTTP/1.1 200 OK\r\n"), 1);
    free(r);
    /* Connection: close is honoured and said */
    const char *cl = "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    send_all(fd, cl, strlen(cl));
    r = read_replies(fd, 1, &n);
    CHECK_INT(count(r, "HTTP/1.1 200 OK\r\n"), 1);
    CHECK(strstr(r, "Connection: close\r\n") != NULL);
    CHECK(peer_closed(fd));
    free(r);
    close(fd);

    /* HTTP/1.0: one reply, then closed; with keep-alive asked, kept */
    fd = dial(s.port);
    const char *h10 = "GET /api/v1/health HTTP/1.0\r\n\r\n";
    send_all(fd, h10, strlen(h10));
    r = read_replies(fd, 1, &n);
    CHECK_INT(count(r, " 200 OK\r\n"), 1);
    CHECK(peer_closed(fd));
    free(r);
    close(fd);
    fd = dial(s.port);
    const char *h10k = "GET /api/v1/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    send_all(fd, h10k, strlen(h10k));
    r = read_replies(fd, 1, &n);
    CHECK(strstr(r, "Connection: keep-alive\r\n") != NULL);
    free(r);
    send_all(fd, h10k, strlen(h10k));
    r = read_replies(fd, 1, &n);
    CHECK_INT(count(r, " 200 OK\r\n"), 1);
    free(r);
    close(fd);

    /* HEAD: the length of the body, no body */
    fd = dial(s.port);
    const char *head = "HEAD /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    send_all(fd, head, strlen(head));
    r = read_replies(fd, 0, &n);
    const char *he = strstr(r, "\r\n\r\n");
    CHECK(he != NULL && (size_t)(he + 4 - r) == n);
    free(r);
    close(fd);

    /* refused heads: a JSON error with its status, then the connection is closed */
    static const struct {
        const char *req;
        const char *status, *code;
    } bad[] = {
        {"BLAH\r\n\r\n", "400", "bad_request"},
        {"GET / HTTP/3.0\r\nHost: t\r\n\r\n", "505", "http_version"},
        {"POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5\r\nhello\r\n0\r\n\r\n",
         "501", "not_implemented"},
        {"POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Length: 9999999999\r\n\r\n", "413",
         "body_too_large"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fd = dial(s.port);
        send_all(fd, bad[i].req, strlen(bad[i].req));
        r = read_replies(fd, 1, &n);
        CHECK(peer_closed(fd));
        char want[64];
        snprintf(want, sizeof want, "HTTP/1.1 %s ", bad[i].status);
        CHECK(strncmp(r, want, strlen(want)) == 0);
        CHECK(strstr(r, bad[i].code) != NULL);
        CHECK(strstr(r, "Connection: close\r\n") != NULL);
        free(r);
        close(fd);
    }
    /* a head larger than 32 KiB: 431 */
    fd = dial(s.port);
    char *huge = malloc(PJ_HEAD_MAX + 64);
    int k = snprintf(huge, 64, "GET / HTTP/1.1\r\nHost: t\r\nX: ");
    memset(huge + k, 'a', PJ_HEAD_MAX + 64 - (size_t)k);
    send_all(fd, huge, PJ_HEAD_MAX + 64);
    free(huge);
    r = read_replies(fd, 0, &n);
    CHECK(strncmp(r, "HTTP/1.1 431 ", 13) == 0);
    free(r);
    close(fd);
    /* a client that connects and leaves without a word does no harm */
    fd = dial(s.port);
    close(fd);
    fd = dial(s.port);
    send_all(fd, "GET /api/v1/heal", 16);
    close(fd);
    th_stop(&s);
}

TEST(wire_server_continue_bodies_in_pieces_and_slow_readers)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    size_t n;
    /* Expect: 100-continue: the interim reply, then the body, then the answer */
    char body[256];
    int bl =
        snprintf(body, sizeof body, "{\"username\":\"admin\",\"password\":\"%s\"}", s.admin_pw);
    char req[512];
    int rl = snprintf(req, sizeof req,
                      "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: "
                      "application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n",
                      bl);
    int fd = dial(s.port);
    send_all(fd, req, (size_t)rl);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    CHECK(poll(&p, 1, 3000) == 1);
    char first[64] = "";
    CHECK(read(fd, first, 25) == 25);
    CHECK(strncmp(first, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0);
    /* the body in two pieces */
    send_all(fd, body, 10);
    usleep(50000);
    send_all(fd, body + 10, (size_t)bl - 10);
    char *r = read_replies(fd, 1, &n);
    CHECK(strncmp(r, "HTTP/1.1 200 OK", 15) == 0);
    CHECK(strstr(r, "\"token\"") != NULL);
    CHECK(strstr(r, "Set-Cookie: pj_session=") != NULL);
    free(r);
    close(fd);

    /* a reply far larger than the socket buffers, to a client that reads slowly: whole */
    char get[512];
    int gl = snprintf(get, sizeof get,
                      "GET /api/v1/facilities?limit=500 HTTP/1.1\r\nHost: t\r\nAuthorization: "
                      "Bearer %s\r\n\r\n",
                      tok);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?limit=500", tok, NULL, &o), 200);
    char *want = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    fd = dial_rcvbuf(s.port, 4096);
    send_all(fd, get, (size_t)gl);
    send_all(fd, get, (size_t)gl); /* pipelined behind it */
    usleep(300000);                /* the server meets a full socket */
    r = read_replies(fd, 2, &n);
    CHECK_INT(count(r, "HTTP/1.1 200 OK\r\n"), 2);
    const char *b1 = strstr(r, "\r\n\r\n") + 4;
    json_error_t je;
    json_t *got = json_loadb(b1, n - (size_t)(b1 - r), JSON_DISABLE_EOF_CHECK, &je);
    CHECK(got != NULL);
    char *gs = got ? json_dumps(got, JSON_COMPACT) : NULL;
    CHECK(gs && strcmp(gs, want) == 0);
    free(gs);
    json_decref(got);
    free(want);
    free(r);
    close(fd);

    /* a write answered after its batch commit, with a read pipelined behind it: in order */
    char patch[1024], pb[96];
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities/1", tok, NULL, &o), 200);
    snprintf(pb, sizeof pb, "{\"version\":%lld,\"peacetime_capacity\":4321}", th_int(o, "version"));
    json_decref(o);
    int pl = snprintf(patch, sizeof patch,
                      "PATCH /api/v1/facilities/1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                      "%s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s"
                      "GET /api/v1/facilities/1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                      "%s\r\n\r\n",
                      tok, strlen(pb), pb, tok);
    fd = dial(s.port);
    send_all(fd, patch, (size_t)pl);
    r = read_replies(fd, 2, &n);
    CHECK_INT(count(r, "HTTP/1.1 "), 2);
    const char *second = strstr(r + 1, "HTTP/1.1 ");
    CHECK(strncmp(r, "HTTP/1.1 200 OK", 15) == 0);
    CHECK(second != NULL && strstr(second, "\"peacetime_capacity\":4321") != NULL);
    free(r);
    close(fd);
    th_stop(&s);
}

/* Regressions from a review of the HTTP layer: pipelined requests behind a write survive a
 * client that half-closes; a body above the route's limit is refused from its head (no
 * 100 Continue, no reading it into memory) and the reply reaches a client still sending it;
 * a refused connection is drained, not reset. */
TEST(wire_server_half_close_limits_and_lingering)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    size_t n;
    /* a write (answered after its batch commit), two reads behind it, then the client's EOF */
    char req[1024];
    int rl = snprintf(req, sizeof req,
                      "POST /api/v1/regions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                      "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n"
                      "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n",
                      tok);
    int fd = dial(s.port);
    send_all(fd, req, (size_t)rl);
    shutdown(fd, SHUT_WR);
    char *r = read_replies(fd, 0, &n);
    CHECK_INT(count(r, "HTTP/1.1 "), 3);
    CHECK(strncmp(r, "HTTP/1.1 422", 12) == 0); /* {} is not a region */
    CHECK_INT(count(r, "HTTP/1.1 200 OK"), 2);
    free(r);
    close(fd);

    /* a 2 MiB JSON body on a route that takes 1 MiB: refused from the head, even with
     * Expect: 100-continue (no 100 first) */
    fd = dial(s.port);
    rl = snprintf(req, sizeof req,
                  "POST /api/v1/regions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
                  "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                  "Content-Length: %d\r\n\r\n",
                  tok, 2 << 20);
    send_all(fd, req, (size_t)rl);
    r = read_replies(fd, 1, &n);
    CHECK(strncmp(r, "HTTP/1.1 413 ", 13) == 0);
    CHECK(strstr(r, "body_too_large") != NULL);
    free(r);
    close(fd);
    /* the same without Expect, the client sending the whole body: it still gets the 413
     * whole, and the connection ends with a close, not a reset */
    fd = dial(s.port);
    rl = snprintf(req, sizeof req,
                  "POST /api/v1/regions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
                  "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n",
                  tok, 2 << 20);
    /* head and body in one go, so that body bytes are waiting when the server answers */
    char *big = malloc((size_t)rl + (2 << 20));
    memcpy(big, req, (size_t)rl);
    memset(big + rl, ' ', 2 << 20);
    send_all(fd, big, (size_t)rl + (2 << 20));
    free(big);
    r = read_replies(fd, 0, &n); /* to the end */
    CHECK_INT(last_read, 0);     /* a close, not a reset */
    CHECK(strncmp(r, "HTTP/1.1 413 ", 13) == 0);
    const char *hb = strstr(r, "\r\n\r\n");
    const char *clh = strstr(r, "Content-Length: ");
    CHECK(hb && clh && (size_t)(hb + 4 - r) + strtoul(clh + 16, NULL, 10) == n);
    free(r);
    close(fd);
    /* the server is fine afterwards */
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/health", NULL, NULL, &o), 200);
    json_decref(o);
    th_stop(&s);
}

/* Second review: a close with unread input drains instead of resetting, for any close (not
 * only refusals); draining has a deadline however slowly the client sends. */
TEST_T(wire_server_close_drains_with_a_deadline, 60)
{
    th_server s;
    th_start(&s, 0);
    size_t n;
    /* Connection: close, then more bytes pipelined behind it */
    int fd = dial(s.port);
    char *req = malloc(300000);
    int k = snprintf(req, 300000,
                     "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    memset(req + k, 'x', 300000 - (size_t)k);
    send_all(fd, req, 300000);
    free(req);
    char *r = read_replies(fd, 0, &n);
    CHECK_INT(last_read, 0); /* a close, not a reset */
    CHECK_INT(count(r, "HTTP/1.1 200 OK"), 1);
    free(r);
    close(fd);
    /* a refused request whose client then sends a byte every 0.4 s: closed within about
     * LINGER_S (2 s), not kept open by the trickle */
    fd = dial(s.port);
    const char *big =
        "POST /api/v1/regions HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\nab";
    send_all(fd, big, strlen(big));
    double t0 = 0;
    {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        t0 = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    }
    /* the server's side ends with its reply (EOF for the reader); fully closed once a write
     * fails (the peer answers a byte with a reset) */
    int closed = 0, eof = 0;
    for (int i = 0; i < 20 && !closed; i++) {
        usleep(400000);
        if (send(fd, "y", 1, MSG_NOSIGNAL) < 0) closed = 1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        char buf[4096];
        while (!eof && poll(&p, 1, 0) == 1) {
            ssize_t m = read(fd, buf, sizeof buf);
            if (m <= 0) eof = 1;
        }
    }
    CHECK(eof);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double took = (double)ts.tv_sec + ts.tv_nsec / 1e9 - t0;
    CHECK(closed);
    CHECK(took < 5.0);
    close(fd);
    th_stop(&s);
}
