/* HTTP/1.1 on the wire: the request head parser (RFC 9112) and the reply head writer. The
 * parser reads outside input and is fuzzed (fuzz/fuzz_http.c). */
#ifndef PJ_HTTP_WIRE_H
#define PJ_HTTP_WIRE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

#define PJ_HEAD_MAX      (32 << 10) /* request line + headers */
#define PJ_WIRE_HEADERS  64         /* more → 431 */
#define PJ_WIRE_NOLENGTH (-1LL)

typedef struct pj_header {
    const char *name, *value; /* NUL-terminated inside the parsed buffer */
} pj_header;

typedef struct pj_head {
    const char *method; /* "GET", ... as sent (case-sensitive, RFC 9110 §9.1) */
    const char *target; /* request target, origin-form ("/path?query") or "*" */
    int minor;          /* HTTP/1.minor */
    int nh;
    pj_header h[PJ_WIRE_HEADERS];
    long long content_length; /* PJ_WIRE_NOLENGTH when none was sent */
    int keep_alive;           /* the connection stays open after the reply */
    int expect_continue;      /* "Expect: 100-continue" */
    size_t head_len;          /* bytes of the head, the body starts here */
} pj_head;

/* Parses the request head at the start of buf[0..len), in place: names and values are
 * NUL-terminated inside buf. Returns 0 with *h filled when the head is complete, 1 when more
 * bytes are needed (and len < PJ_HEAD_MAX), -1 on a malformed or refused head with err set
 * (400 bad_request, 431 headers_too_large, 501 not_implemented for a transfer coding, 505
 * http_version). Bare LF line ends are accepted; obsolete line folding is not. */
int pj_head_parse(char *buf, size_t len, pj_head *h, pj_err *err);
/* Whether pj_head_parse has something to say of buf[0..len): 1 once its empty line has come
 * (or the head is too large), 0 while it is incomplete. *from (0 for a new request) is where
 * the last call stopped scanning, advanced here: a head arriving a few bytes at a time is
 * scanned once, not again from its start at every read. */
int pj_head_ready(const char *buf, size_t len, size_t *from);

/* The value of a request header (case-insensitive name), NULL when absent. */
const char *pj_head_get(const pj_head *h, const char *name);

/* Whether the request accepts its reply gzip-encoded (RFC 9110 §12.5.3), from all its
 * Accept-Encoding fields taken as one list: gzip (or x-gzip; else "*") listed with a weight
 * above 0, and identity not preferred to it (identity's weight, or "*"'s when identity is not
 * listed, higher than gzip's). "gzip;q=0" refuses gzip even with "*" listed. No
 * Accept-Encoding field, an empty one, or an element with a malformed weight (ignored): 0. */
int pj_accept_gzip(const pj_head *h);

/* The reason phrase of a status code. */
const char *pj_http_reason(int status);

#endif
