/* Compressed answers: a client that accepts gzip (Accept-Encoding, weights and all) gets the
 * handlers' JSON and CSV answers of 1 KiB or more gzip-encoded, with Vary and the gzip's
 * Content-Length, decoding to the very bytes another client gets; small answers, errors,
 * xlsx downloads and clients that do not accept gzip get the bytes as they are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "http/wire.h"
#include "t.h"
#include "th.h"

/* pj_accept_gzip of a request whose header lines are lines ("Name: value\r\n"…). */
static int accepts(const char *lines)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: t\r\n%s\r\n", lines);
    pj_head h;
    pj_err e = {0};
    if (pj_head_parse(buf, strlen(buf), &h, &e) != 0) t_fail(__FILE__, __LINE__, "parse %s", lines);
    return pj_accept_gzip(&h);
}

TEST(gzip_accept_encoding_weights)
{
    CHECK_INT(accepts(""), 0); /* no Accept-Encoding: as it is */
    CHECK_INT(accepts("Accept-Encoding:\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: gzip, deflate, br, zstd\r\n"), 1);
    CHECK_INT(accepts("accept-encoding: GZip\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: x-gzip\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: br , gzip ; q=0.8\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=0.001\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: deflate, br\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzipx\r\n"), 0);
    /* q=0: not acceptable, whatever "*" says */
    CHECK_INT(accepts("Accept-Encoding: gzip;q=0\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip; q=0.000\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=0, *\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: *, gzip;Q=0\r\n"), 0);
    /* "*" covers gzip when gzip is not listed */
    CHECK_INT(accepts("Accept-Encoding: *\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: *;q=0\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: br, *;q=0.5, identity;q=0\r\n"), 1);
    /* identity preferred to gzip, or the only one listed */
    CHECK_INT(accepts("Accept-Encoding: identity\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: identity;q=0\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=0.5, identity\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=0.5, identity;q=0.5\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: gzip, identity;q=0.9\r\n"), 1);
    /* a malformed weight: the element is ignored */
    CHECK_INT(accepts("Accept-Encoding: gzip;q=1.5\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=abc\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=0.5000\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip garbage\r\n"), 0);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=1.000\r\n"), 1);
    /* several fields are one list */
    CHECK_INT(accepts("Accept-Encoding: br\r\nAccept-Encoding: gzip\r\n"), 1);
    CHECK_INT(accepts("Accept-Encoding: gzip;q=0\r\nAccept-Encoding: gzip\r\n"), 0);
}

/* One answer read off the wire: status, head [0, head_len) and body. */
typedef struct answer {
    char *raw;
    size_t len, head_len;
    int status;
} answer;

/* method path with extra header lines (and the session), Connection: close; the whole answer. */
static answer fetch(th_server *s, const char *method, const char *path, const char *tok,
                    const char *lines)
{
    char req[1024];
    snprintf(req, sizeof req,
             "%s %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n%sConnection: close\r\n\r\n",
             method, path, tok, lines);
    int fd = th_dial(s->port, NULL, 30000);
    CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
    answer a = {0};
    size_t cap = 4 << 20;
    a.raw = malloc(cap);
    a.len = th_read_all(fd, a.raw, cap);
    close(fd);
    char *e = strstr(a.raw, "\r\n\r\n");
    if (!e) t_fail(__FILE__, __LINE__, "%s %s: no answer", method, path);
    a.head_len = (size_t)(e + 4 - a.raw);
    a.status = atoi(a.raw + 9);
    return a;
}

static const char *hdr(const answer *a, const char *name)
{
    static char v[8][256];
    static int i;
    i = (i + 1) % 8;
    return th_header(a->raw, a->raw + a->head_len, name, v[i], sizeof v[i]);
}

static const char *body(const answer *a)
{
    return a->raw + a->head_len;
}

static size_t body_len(const answer *a)
{
    return a->len - a->head_len;
}

/* The body checked against its Content-Length, gunzipped when gz (the whole of it one gzip
 * member): malloc'd, its length in *n. */
static char *content(const answer *a, int gz, size_t *n)
{
    CHECK_INT(atol(hdr(a, "Content-Length")), body_len(a));
    if (!gz) {
        *n = body_len(a);
        char *c = malloc(*n + 1);
        memcpy(c, body(a), *n);
        c[*n] = 0;
        return c;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    CHECK_INT(inflateInit2(&z, 15 + 16), Z_OK);
    size_t cap = 8 << 20;
    char *c = malloc(cap);
    z.next_in = (Bytef *)body(a);
    z.avail_in = (uInt)body_len(a);
    z.next_out = (Bytef *)c;
    z.avail_out = (uInt)cap;
    CHECK_INT(inflate(&z, Z_FINISH), Z_STREAM_END);
    CHECK_INT(z.avail_in, 0);
    *n = z.total_out;
    inflateEnd(&z);
    return c;
}

/* path fetched as it is and with each of the lines in gz_lines: each gzip-encoded (with Vary
 * and the gzip's length), decoding to the bytes as they are. Returns the identity length. */
static size_t same_gzipped(th_server *s, const char *tok, const char *path, const char *ctype)
{
    answer id = fetch(s, "GET", path, tok, "");
    CHECK_INT(id.status, 200);
    CHECK_STR(hdr(&id, "Content-Encoding"), "");
    CHECK_STR(hdr(&id, "Vary"), "Accept-Encoding");
    CHECK(!strncmp(hdr(&id, "Content-Type"), ctype, strlen(ctype)));
    size_t idn;
    char *idc = content(&id, 0, &idn);
    static const char *const gz_lines[] = {
        "Accept-Encoding: gzip\r\n", "Accept-Encoding: gzip\r\n", /* the second: cached */
        "Accept-Encoding: br, gzip;q=0.7, identity;q=0.5\r\n", "Accept-Encoding: *\r\n"};
    for (size_t i = 0; i < sizeof gz_lines / sizeof gz_lines[0]; i++) {
        answer g = fetch(s, "GET", path, tok, gz_lines[i]);
        CHECK_INT(g.status, 200);
        CHECK_STR(hdr(&g, "Content-Encoding"), "gzip");
        CHECK_STR(hdr(&g, "Vary"), "Accept-Encoding");
        CHECK(!strncmp(hdr(&g, "Content-Type"), ctype, strlen(ctype)));
        CHECK(body_len(&g) < idn / 2);
        size_t gn;
        char *gc = content(&g, 1, &gn);
        CHECK_INT(gn, idn);
        CHECK(memcmp(gc, idc, idn) == 0);
        free(gc);
        free(g.raw);
    }
    /* not acceptable, or not asked for: as it is, the same bytes */
    static const char *const id_lines[] = {"Accept-Encoding: gzip;q=0\r\n",
                                           "Accept-Encoding: identity\r\n",
                                           "Accept-Encoding: br, deflate\r\n", ""};
    for (size_t i = 0; i < sizeof id_lines / sizeof id_lines[0]; i++) {
        answer a = fetch(s, "GET", path, tok, id_lines[i]);
        CHECK_INT(a.status, 200);
        CHECK_STR(hdr(&a, "Content-Encoding"), "");
        CHECK_STR(hdr(&a, "Vary"), "Accept-Encoding");
        size_t n;
        char *c = content(&a, 0, &n);
        CHECK_INT(n, idn);
        CHECK(memcmp(c, idc, idn) == 0);
        free(c);
        free(a.raw);
    }
    free(idc);
    free(id.raw);
    return idn;
}

TEST_T(gzip_dynamic_answers, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    /* the facility listing (cached for the next request: its gzip copy too) and the CSV
     * export (not cached) */
    CHECK(same_gzipped(&s, tok, "/api/v1/facilities?limit=500", "application/json") > 100000);
    CHECK(same_gzipped(&s, tok, "/api/v1/facilities/export", "text/csv") > 10000);

    /* a small answer goes as it is, nothing negotiated */
    answer a = fetch(&s, "GET", "/api/v1/auth/me", tok, "Accept-Encoding: gzip\r\n");
    CHECK_INT(a.status, 200);
    CHECK(body_len(&a) < 1024);
    CHECK_STR(hdr(&a, "Content-Encoding"), "");
    CHECK_STR(hdr(&a, "Vary"), "");
    CHECK(body(&a)[0] == '{');
    free(a.raw);

    /* an xlsx download is a zip already: never gzip-encoded again */
    a = fetch(&s, "GET", "/api/v1/facilities/export?format=xlsx", tok, "Accept-Encoding: gzip\r\n");
    CHECK_INT(a.status, 200);
    CHECK(body_len(&a) > 1024);
    CHECK_STR(hdr(&a, "Content-Encoding"), "");
    CHECK(!memcmp(body(&a), "PK\3\4", 4));
    CHECK_INT(atol(hdr(&a, "Content-Length")), body_len(&a));
    free(a.raw);

    /* errors stay plain JSON */
    a = fetch(&s, "GET", "/api/v1/facilities?limit=500&bogus=1", tok, "Accept-Encoding: gzip\r\n");
    CHECK_INT(a.status, 400);
    CHECK_STR(hdr(&a, "Content-Encoding"), "");
    CHECK(!strncmp(hdr(&a, "Content-Type"), "application/json", 16));
    CHECK(strstr(body(&a), "\"unknown_parameter\""));
    free(a.raw);
    a = fetch(&s, "GET", "/api/v1/no-such-thing", tok, "Accept-Encoding: gzip\r\n");
    CHECK_INT(a.status, 404);
    CHECK_STR(hdr(&a, "Content-Encoding"), "");
    CHECK(strstr(body(&a), "\"not_found\""));
    free(a.raw);

    /* HEAD: the head a GET gets, the gzip's Content-Length, no body */
    answer g = fetch(&s, "GET", "/api/v1/facilities?limit=500", tok, "Accept-Encoding: gzip\r\n");
    a = fetch(&s, "HEAD", "/api/v1/facilities?limit=500", tok, "Accept-Encoding: gzip\r\n");
    CHECK_INT(a.status, 200);
    CHECK_STR(hdr(&a, "Content-Encoding"), "gzip");
    CHECK_STR(hdr(&a, "Vary"), "Accept-Encoding");
    CHECK_INT(atol(hdr(&a, "Content-Length")), body_len(&g));
    CHECK_INT(body_len(&a), 0);
    free(a.raw);
    /* a HEAD of a fresh (uncached) answer too */
    answer x = fetch(&s, "GET", "/api/v1/facilities/export", tok, "Accept-Encoding: gzip\r\n");
    a = fetch(&s, "HEAD", "/api/v1/facilities/export", tok, "Accept-Encoding: gzip\r\n");
    CHECK_STR(hdr(&a, "Content-Encoding"), "gzip");
    CHECK_INT(atol(hdr(&a, "Content-Length")), body_len(&x));
    CHECK_INT(body_len(&a), 0);
    free(a.raw);
    free(x.raw);
    free(g.raw);
    th_stop(&s);
}
