#include "core/json.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void pj_jw_init(pj_jw *w, pj_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->first[0] = 1;
}

/* Before any value: a comma unless first in its container or right after a key. */
static void pre(pj_jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (!w->first[w->depth]) pj_buf_putc(w->out, ',');
    w->first[w->depth] = 0;
}

static void open(pj_jw *w, char c)
{
    pre(w);
    pj_buf_putc(w->out, c);
    assert(w->depth + 1 < PJ_JW_DEPTH);
    w->first[++w->depth] = 1;
}

static void close_(pj_jw *w, char c)
{
    assert(w->depth > 0);
    w->depth--;
    pj_buf_putc(w->out, c);
}

void pj_jw_obj(pj_jw *w)
{
    open(w, '{');
}
void pj_jw_obj_end(pj_jw *w)
{
    close_(w, '}');
}
void pj_jw_arr(pj_jw *w)
{
    open(w, '[');
}
void pj_jw_arr_end(pj_jw *w)
{
    close_(w, ']');
}

/* 1 for bytes that need escaping in a JSON string. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};

void pj_json_escape(pj_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    pj_buf_putc(out, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape[c]) continue;
        char u[7];
        const char *rep = u;
        size_t rl = 2;
        u[0] = '\\';
        if (c == '"' || c == '\\')
            u[1] = (char)c;
        else if (c == '\n')
            u[1] = 'n';
        else if (c == '\r')
            u[1] = 'r';
        else if (c == '\t')
            u[1] = 't';
        else {
            u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4], u[5] = hex[c & 15];
            rl = 6;
        }
        pj_buf_add(out, s + start, i - start);
        pj_buf_add(out, rep, rl);
        start = i + 1;
    }
    pj_buf_add(out, s + start, n - start);
    pj_buf_putc(out, '"');
}

void pj_jw_key(pj_jw *w, const char *key)
{
    pre(w);
    pj_json_escape(w->out, key, strlen(key));
    pj_buf_putc(w->out, ':');
    w->after_key = 1;
}

void pj_jw_strn(pj_jw *w, const char *s, size_t n)
{
    pre(w);
    pj_json_escape(w->out, s, n);
}

void pj_jw_str(pj_jw *w, const char *s)
{
    if (!s) {
        pj_jw_null(w);
        return;
    }
    pj_jw_strn(w, s, strlen(s));
}

static size_t fmt_i64(char *end, int64_t v)
{
    /* writes backwards from end; returns the length */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *p = end;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return (size_t)(end - p);
}

void pj_jw_int(pj_jw *w, int64_t v)
{
    pre(w);
    char tmp[24];
    size_t n = fmt_i64(tmp + sizeof tmp, v);
    pj_buf_add(w->out, tmp + sizeof tmp - n, n);
}

/* pj_jw_num's text of a finite v; returns the length */
static int num_text(char *out, size_t n, double v)
{
    if (v == (double)(int64_t)v && fabs(v) < 1e15) return snprintf(out, n, "%" PRId64, (int64_t)v);
    return snprintf(out, n, "%.15g", v);
}

size_t pj_fmt_fixed(char out[PJ_FIXED_SIZE], double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    if (!isfinite(v)) {
        out[0] = 0;
        return 0;
    }
    if (decimals < 0 || decimals > 9 || fabs(v) * scale[decimals] > 9e15)
        return (size_t)num_text(out, PJ_FIXED_SIZE, v);
    int64_t m = (int64_t)llround(fabs(v) * scale[decimals]);
    int64_t ip = m / (int64_t)scale[decimals], fp = m % (int64_t)scale[decimals];
    char tmp[PJ_FIXED_SIZE];
    char *end = tmp + sizeof tmp - 1, *p = end;
    int nd = decimals;
    while (nd > 0 && fp % 10 == 0) fp /= 10, nd--; /* trim trailing zeros */
    for (int k = 0; k < nd; k++) {
        *--p = (char)('0' + fp % 10);
        fp /= 10;
    }
    if (nd) *--p = '.';
    p -= fmt_i64(p, ip);
    if (v < 0 && m) *--p = '-';
    size_t len = (size_t)(end - p);
    memcpy(out, p, len);
    out[len] = 0;
    return len;
}

void pj_jw_fixed(pj_jw *w, double v, int decimals)
{
    if (!isfinite(v)) {
        pj_jw_null(w);
        return;
    }
    pre(w);
    char tmp[PJ_FIXED_SIZE];
    size_t n = pj_fmt_fixed(tmp, v, decimals);
    pj_buf_add(w->out, tmp, n);
}

void pj_jw_num(pj_jw *w, double v)
{
    if (!isfinite(v)) {
        pj_jw_null(w);
        return;
    }
    pre(w);
    char tmp[32];
    int n = num_text(tmp, sizeof tmp, v);
    pj_buf_add(w->out, tmp, (size_t)n);
}

void pj_jw_bool(pj_jw *w, int v)
{
    pre(w);
    pj_buf_puts(w->out, v ? "true" : "false");
}

void pj_jw_null(pj_jw *w)
{
    pre(w);
    pj_buf_puts(w->out, "null");
}

void pj_jw_raw(pj_jw *w, const char *json)
{
    pre(w);
    pj_buf_puts(w->out, json && *json ? json : "null");
}

void pj_jw_kstr(pj_jw *w, const char *k, const char *s)
{
    pj_jw_key(w, k);
    pj_jw_str(w, s);
}
void pj_jw_kint(pj_jw *w, const char *k, int64_t v)
{
    pj_jw_key(w, k);
    pj_jw_int(w, v);
}
void pj_jw_knum(pj_jw *w, const char *k, double v)
{
    pj_jw_key(w, k);
    pj_jw_num(w, v);
}
void pj_jw_kbool(pj_jw *w, const char *k, int v)
{
    pj_jw_key(w, k);
    pj_jw_bool(w, v);
}
void pj_jw_knull(pj_jw *w, const char *k)
{
    pj_jw_key(w, k);
    pj_jw_null(w);
}
