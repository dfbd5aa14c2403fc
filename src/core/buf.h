/* Growable byte buffer with a hard maximum (like curl's dynbuf). Owns its memory. */
#ifndef PJ_BUF_H
#define PJ_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pj_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len, cap, max;
    int overflow; /* set once a write would pass max; later writes are dropped */
} pj_buf;

void pj_buf_init(pj_buf *b, size_t max);
void pj_buf_free(pj_buf *b);
void pj_buf_reset(pj_buf *b);
int pj_buf_add(pj_buf *b, const void *p, size_t n); /* 0 ok, -1 over max */
int pj_buf_puts(pj_buf *b, const char *s);
int pj_buf_putc(pj_buf *b, char c);
int pj_buf_printf(pj_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
