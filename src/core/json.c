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

void pj_json_escape(pj_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    pj_buf_putc(out, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char u[7];
        if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c == '\n')
            rep = "\\n";
        else if (c == '\r')
            rep = "\\r";
        else if (c == '\t')
            rep = "\\t";
        else if (c < 0x20) {
            u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4], u[5] = hex[c & 15];
            u[6] = 0;
            rep = u;
        }
        if (rep) {
            pj_buf_add(out, s + start, i - start);
            pj_buf_puts(out, rep);
            start = i + 1;
        }
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

void pj_jw_int(pj_jw *w, int64_t v)
{
    pre(w);
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%" PRId64, v);
    pj_buf_add(w->out, tmp, (size_t)n);
}

void pj_jw_num(pj_jw *w, double v)
{
    if (!isfinite(v)) {
        pj_jw_null(w);
        return;
    }
    pre(w);
    char tmp[32];
    int n;
    if (v == (double)(int64_t)v && fabs(v) < 1e15)
        n = snprintf(tmp, sizeof tmp, "%" PRId64, (int64_t)v);
    else
        n = snprintf(tmp, sizeof tmp, "%.10g", v);
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
