#include "core/arena.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct pj_arena_block {
    pj_arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("pingji: out of memory\n", stderr);
        abort();
    }
    return p;
}

void pj_arena_init(pj_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 8192;
    a->total = 0;
}

void *pj_arena_alloc(pj_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    pj_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t sz = n > a->block_size ? n : a->block_size;
        pj_arena_block *nb = xmalloc(sizeof *nb + sz);
        nb->size = sz;
        nb->used = 0;
        if (b && n > a->block_size) {
            /* a big one-off: keep the current block in front for small allocations */
            nb->next = b->next;
            b->next = nb;
            nb->used = n;
            a->total += n;
            return nb->data;
        }
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *pj_arena_calloc(pj_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) abort();
    void *p = pj_arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

void *pj_arena_room(pj_arena *a, void *v, int n, int *cap, size_t size, int first)
{
    if (n < *cap) return v;
    int nc = *cap > 0 ? *cap : 0;
    if (nc > INT_MAX / 2) {
        fputs("pingji: out of memory\n", stderr);
        abort();
    }
    nc = nc ? nc * 2 : (first > 0 ? first : 16);
    if (size && (size_t)nc > SIZE_MAX / size) abort();
    void *m = pj_arena_alloc(a, size * (size_t)nc);
    if (n > 0) memcpy(m, v, size * (size_t)n);
    *cap = nc;
    return m;
}

char *pj_arena_strndup(pj_arena *a, const char *s, size_t n)
{
    char *p = pj_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *pj_arena_strdup(pj_arena *a, const char *s)
{
    return s ? pj_arena_strndup(a, s, strlen(s)) : NULL;
}

char *pj_arena_vprintf(pj_arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) n = 0;
    char *p = pj_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *pj_arena_printf(pj_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = pj_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void pj_arena_reset(pj_arena *a)
{
    pj_arena_block *b = a->head;
    if (!b) return;
    pj_arena_block *keep = b;
    /* keep the last (oldest, normal-sized) block */
    while (keep->next) keep = keep->next;
    while (b && b != keep) {
        pj_arena_block *n = b->next;
        free(b);
        b = n;
    }
    if (keep->size > a->block_size) { /* a big one-off came first: do not hold on to it */
        free(keep);
        a->head = NULL;
        a->total = 0;
        return;
    }
    keep->used = 0;
    keep->next = NULL;
    a->head = keep;
    a->total = 0;
}

void pj_arena_free(pj_arena *a)
{
    pj_arena_block *b = a->head;
    while (b) {
        pj_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->total = 0;
}
