#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

#include "core/banned.h"

int pj_fail(pj_err *e, int status, const char *code, const char *field, const char *fmt, ...)
{
    if (!e) return -1;
    /* code and field may point into e itself */
    char c[sizeof e->code], f[sizeof e->field];
    snprintf(c, sizeof c, "%s", code ? code : "error");
    snprintf(f, sizeof f, "%s", field ? field : "");
    e->status = status;
    memcpy(e->code, c, sizeof c);
    memcpy(e->field, f, sizeof f);
    e->details[0] = 0; /* a new failure: none of the figures of an earlier one */
    e->retry_after = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    /* a message cut at its size, or quoting a cell cut at a byte count (%.60s), stays UTF-8 */
    pj_utf8_scrub(e->message);
    /* so does a field named by the client (an unknown parameter or key) cut at its size */
    pj_utf8_scrub(e->field);
    return -1;
}

void pj_err_clear(pj_err *e)
{
    memset(e, 0, sizeof *e);
}

void pj_err_detail(pj_err *e, const char *key, long long v)
{
    if (!e) return;
    size_t n = strlen(e->details);
    char m[96];
    int k = snprintf(m, sizeof m, "%s\"%s\":%lld", n ? "," : "", key, v);
    if (k < 0 || (size_t)k >= sizeof m || n + (size_t)k >= sizeof e->details) return;
    memcpy(e->details + n, m, (size_t)k + 1);
}

void pj_err_detail_str(pj_err *e, const char *key, const char *v)
{
    if (!e || !v) return;
    size_t n = strlen(e->details);
    char m[160];
    int k = snprintf(m, sizeof m, "%s\"%s\":\"", n ? "," : "", key);
    if (k < 0 || (size_t)k >= sizeof m) return;
    size_t at = (size_t)k;
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        char esc[8];
        int w = *c == '"' || *c == '\\' ? snprintf(esc, sizeof esc, "\\%c", *c)
                : *c < 0x20             ? snprintf(esc, sizeof esc, "\\u%04x", *c)
                                        : snprintf(esc, sizeof esc, "%c", *c);
        if (at + (size_t)w + 2 > sizeof m) return; /* too long: left out */
        memcpy(m + at, esc, (size_t)w);
        at += (size_t)w;
    }
    m[at++] = '"';
    m[at] = 0;
    if (n + at >= sizeof e->details) return;
    memcpy(e->details + n, m, at + 1);
}
