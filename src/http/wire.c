#include "http/wire.h"

#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* tchar of RFC 9110 §5.6.2 */
static int is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Splits a comma-separated header value and says whether token t is one of its elements. */
static int has_token(const char *v, const char *t)
{
    size_t tl = strlen(t);
    while (*v) {
        while (*v == ' ' || *v == '\t' || *v == ',') v++;
        const char *e = v;
        while (*e && *e != ',') e++;
        const char *te = e;
        while (te > v && (te[-1] == ' ' || te[-1] == '\t')) te--;
        if ((size_t)(te - v) == tl && strncasecmp(v, t, tl) == 0) return 1;
        v = e;
    }
    return 0;
}

/* Ends the line starting at p (which lies before end): returns the next line, with the line
 * end (LF or CRLF) replaced by NUL; NULL when a CR is not followed by LF. */
static char *line_end(char *p, char *end, char **eol)
{
    char *lf = memchr(p, '\n', (size_t)(end - p));
    if (!lf) return NULL;
    char *e = lf;
    if (e > p && e[-1] == '\r') e--;
    if (memchr(p, '\r', (size_t)(e - p))) return NULL; /* a bare CR inside the line */
    *e = 0;
    *eol = e;
    return lf + 1;
}

int pj_head_ready(const char *buf, size_t len, size_t *from)
{
    size_t skip = 0;
    while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n') && skip < 16) skip++;
    /* the empty line may have begun in the bytes already scanned: back up over "\n\r" */
    size_t i = *from > skip + 2 ? *from - 2 : skip;
    for (; i < len; i++) {
        if (buf[i] != '\n') continue;
        if (i + 1 < len && buf[i + 1] == '\n') return 1;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') return 1;
    }
    *from = len;
    return len - skip >= PJ_HEAD_MAX; /* too large: pj_head_parse says so */
}

int pj_head_parse(char *buf, size_t len, pj_head *h, pj_err *err)
{
    memset(h, 0, sizeof *h);
    h->content_length = PJ_WIRE_NOLENGTH;
    size_t skip = 0;
    /* empty lines before the request line are ignored (RFC 9112 §2.2) */
    while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n') && skip < 16) skip++;
    /* the head ends with an empty line */
    size_t end = 0;
    for (size_t i = skip; i < len; i++) {
        if (buf[i] != '\n') continue;
        if (i + 1 < len && buf[i + 1] == '\n') {
            end = i + 2;
            break;
        }
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
            end = i + 3;
            break;
        }
    }
    if (!end) {
        if (len - skip >= PJ_HEAD_MAX)
            return pj_fail(err, 431, "headers_too_large", "",
                           "the request head is larger than %d bytes", PJ_HEAD_MAX);
        return 1;
    }
    if (end - skip > PJ_HEAD_MAX)
        return pj_fail(err, 431, "headers_too_large", "",
                       "the request head is larger than %d bytes", PJ_HEAD_MAX);
    if (memchr(buf + skip, 0, end - skip))
        return pj_fail(err, 400, "bad_request", "", "a NUL byte in the request head");
    h->head_len = end;
    char *p = buf + skip, *stop = buf + end, *eol;

    /* request line: method SP target SP HTTP/1.x */
    char *next = line_end(p, stop, &eol);
    if (!next) return pj_fail(err, 400, "bad_request", "", "malformed request line");
    char *sp1 = memchr(p, ' ', (size_t)(eol - p));
    if (!sp1 || sp1 == p) return pj_fail(err, 400, "bad_request", "", "malformed request line");
    for (char *q = p; q < sp1; q++)
        if (!is_tchar((unsigned char)*q))
            return pj_fail(err, 400, "bad_request", "", "malformed method");
    *sp1 = 0;
    h->method = p;
    char *t = sp1 + 1;
    char *sp2 = memchr(t, ' ', (size_t)(eol - t));
    if (!sp2 || sp2 == t) return pj_fail(err, 400, "bad_request", "", "malformed request line");
    for (char *q = t; q < sp2; q++)
        if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
            return pj_fail(err, 400, "bad_request", "", "malformed request target");
    *sp2 = 0;
    h->target = t;
    if (*t != '/' && strcmp(t, "*") != 0)
        return pj_fail(err, 400, "bad_request", "", "the request target must be a path");
    const char *v = sp2 + 1;
    if (strncmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' ||
        v[7] > '9' || v[8])
        return pj_fail(err, 400, "bad_request", "", "malformed HTTP version");
    if (v[5] != '1')
        return pj_fail(err, 505, "http_version", "", "only HTTP/1.0 and HTTP/1.1 are served");
    h->minor = v[7] - '0';

    /* header fields */
    int conn_close = 0, conn_keep = 0, host = 0, ctype = 0;
    const char *te = NULL;
    for (p = next; p < stop;) {
        next = line_end(p, stop, &eol);
        if (!next) return pj_fail(err, 400, "bad_request", "", "malformed header line");
        if (eol == p) break; /* the empty line */
        if (*p == ' ' || *p == '\t')
            return pj_fail(err, 400, "bad_request", "", "folded header lines are not accepted");
        char *colon = p;
        while (colon < eol && is_tchar((unsigned char)*colon)) colon++;
        if (colon == p || colon == eol || *colon != ':')
            return pj_fail(err, 400, "bad_request", "", "malformed header name");
        *colon = 0;
        char *val = colon + 1;
        while (val < eol && (*val == ' ' || *val == '\t')) val++;
        char *ve = eol;
        while (ve > val && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
        *ve = 0;
        for (char *q = val; q < ve; q++) {
            unsigned char c = (unsigned char)*q;
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return pj_fail(err, 400, "bad_request", "", "a control character in header %s", p);
        }
        if (h->nh == PJ_WIRE_HEADERS)
            return pj_fail(err, 431, "too_many_headers", "", "more than %d request headers",
                           PJ_WIRE_HEADERS);
        h->h[h->nh].name = p;
        h->h[h->nh].value = val;
        h->nh++;
        if (strcasecmp(p, "Content-Length") == 0) {
            long long n = 0;
            int digits = 0;
            for (const char *q = val; *q; q++, digits++) {
                if (*q < '0' || *q > '9' || digits >= 15)
                    return pj_fail(err, 400, "bad_request", "", "malformed Content-Length");
                n = n * 10 + (*q - '0');
            }
            if (!digits || (h->content_length != PJ_WIRE_NOLENGTH && h->content_length != n))
                return pj_fail(err, 400, "bad_request", "", "malformed Content-Length");
            h->content_length = n;
        } else if (strcasecmp(p, "Transfer-Encoding") == 0) {
            te = val;
        } else if (strcasecmp(p, "Connection") == 0) {
            conn_close |= has_token(val, "close");
            conn_keep |= has_token(val, "keep-alive");
        } else if (strcasecmp(p, "Expect") == 0) {
            if (strcasecmp(val, "100-continue") == 0)
                h->expect_continue = h->minor >= 1;
            else
                return pj_fail(err, 417, "expectation_failed", "", "only 100-continue is met");
        } else if (strcasecmp(p, "Host") == 0) {
            host++;
        } else if (strcasecmp(p, "Content-Type") == 0 && ctype++) {
            /* one type: which of two the body is read as is not guessed (two Authorization
             * headers are refused with the session, server.c) */
            return pj_fail(err, 400, "bad_header", "Content-Type",
                           "more than one Content-Type header");
        }
        p = next;
    }
    if (te) {
        if (h->content_length != PJ_WIRE_NOLENGTH)
            return pj_fail(err, 400, "bad_request", "",
                           "Transfer-Encoding and Content-Length together");
        return pj_fail(err, 501, "not_implemented", "",
                       "request bodies in a transfer coding are not accepted; send Content-Length");
    }
    if (h->minor >= 1 && host != 1)
        return pj_fail(err, 400, "bad_request", "", "an HTTP/1.1 request needs one Host header");
    h->keep_alive = h->minor >= 1 ? !conn_close : conn_keep && !conn_close;
    return 0;
}

const char *pj_head_get(const pj_head *h, const char *name)
{
    for (int i = 0; i < h->nh; i++)
        if (strcasecmp(h->h[i].name, name) == 0) return h->h[i].value;
    return NULL;
}

/* A qvalue (RFC 9110 §12.4.2: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"]) in thousandths, or -1. */
static int qvalue(const char *s, size_t n)
{
    if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1') || (n > 1 && s[1] != '.')) return -1;
    int v = (s[0] - '0') * 1000, scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v += (s[i] - '0') * scale;
    }
    return v > 1000 ? -1 : v;
}

/* The weights (thousandths) Accept-Encoding gives gzip, "*" and identity; -1: not listed. */
typedef struct ae_weights {
    int gzip, star, identity;
} ae_weights;

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* One element of the list, s[0..e): coding *( OWS ";" OWS parameter ). The first listing of a
 * coding counts; an element that is not of this form, or whose q is malformed, is ignored. */
static void ae_element(const char *s, const char *e, ae_weights *w)
{
    while (s < e && is_ows(*s)) s++;
    const char *p = s;
    while (p < e && is_tchar((unsigned char)*p)) p++;
    size_t nl = (size_t)(p - s);
    if (!nl) return;
    int q = 1000;
    while (p < e) {
        while (p < e && is_ows(*p)) p++;
        if (p == e) break;
        if (*p != ';') return;
        p++;
        while (p < e && is_ows(*p)) p++;
        const char *ps = p;
        while (p < e && *p != ';') p++;
        const char *pe = p;
        while (pe > ps && is_ows(pe[-1])) pe--;
        if (pe - ps >= 2 && (*ps == 'q' || *ps == 'Q') && ps[1] == '=') {
            q = qvalue(ps + 2, (size_t)(pe - ps - 2));
            if (q < 0) return;
        }
    }
    int *slot = NULL;
    if ((nl == 4 && !strncasecmp(s, "gzip", 4)) || (nl == 6 && !strncasecmp(s, "x-gzip", 6)))
        slot = &w->gzip;
    else if (nl == 1 && *s == '*')
        slot = &w->star;
    else if (nl == 8 && !strncasecmp(s, "identity", 8))
        slot = &w->identity;
    if (slot && *slot < 0) *slot = q;
}

int pj_accept_gzip(const pj_head *h)
{
    ae_weights w = {-1, -1, -1};
    for (int i = 0; i < h->nh; i++) {
        if (strcasecmp(h->h[i].name, "Accept-Encoding")) continue;
        for (const char *v = h->h[i].value; *v;) {
            const char *e = strchr(v, ',');
            if (!e) e = v + strlen(v);
            ae_element(v, e, &w);
            v = *e ? e + 1 : e;
        }
    }
    int gz = w.gzip >= 0 ? w.gzip : w.star >= 0 ? w.star : 0;
    int id = w.identity >= 0 ? w.identity : w.star >= 0 ? w.star : 0;
    return gz > 0 && gz >= id;
}

const char *pj_http_reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 423:
        return "Locked";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return status >= 500 ? "Internal Server Error" : "Error";
    }
}
