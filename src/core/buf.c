#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void pj_buf_init(pj_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max ? max : (size_t)64 << 20;
}

void pj_buf_free(pj_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void pj_buf_reset(pj_buf *b)
{
    b->len = 0;
    b->overflow = 0;
    if (b->data) b->data[0] = 0;
}

static int grow(pj_buf *b, size_t need)
{
    if (b->overflow) return -1;
    if (b->len + need + 1 > b->max) {
        b->overflow = 1;
        return -1;
    }
    if (b->len + need + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + need + 1) cap *= 2;
    if (cap > b->max) cap = b->max;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("pingji: out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int pj_buf_add(pj_buf *b, const void *p, size_t n)
{
    if (grow(b, n)) return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}

int pj_buf_puts(pj_buf *b, const char *s)
{
    return pj_buf_add(b, s, strlen(s));
}

int pj_buf_putc(pj_buf *b, char c)
{
    return pj_buf_add(b, &c, 1);
}

int pj_buf_printf(pj_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if ((size_t)n < sizeof tmp) return pj_buf_add(b, tmp, (size_t)n);
    if (grow(b, (size_t)n)) return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}
