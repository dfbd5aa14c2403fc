/* Arena allocator: one per HTTP request or CLI command. Everything allocated from it is
 * freed at once by pj_arena_free (or pj_arena_reset). Allocation failure aborts. */
#ifndef PJ_ARENA_H
#define PJ_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pj_arena_block pj_arena_block;
typedef struct pj_arena {
    pj_arena_block *head;
    size_t block_size;
    size_t total; /* bytes handed out, for limits and stats */
} pj_arena;

void pj_arena_init(pj_arena *a, size_t block_size);
/* Memory owned by the arena, 16-byte aligned. */
void *pj_arena_alloc(pj_arena *a, size_t n);
void *pj_arena_calloc(pj_arena *a, size_t n, size_t size);
char *pj_arena_strdup(pj_arena *a, const char *s);
char *pj_arena_strndup(pj_arena *a, const char *s, size_t n);
/* Room for one more element in an array that grows in the arena as rows are read: while n is
 * below *cap, returns v; at *cap, returns a copy of v's n elements of `size` bytes in twice the
 * room (`first` elements when there was none) and sets *cap. The old array stays in the arena
 * until it is freed. A size beyond memory aborts, as allocation failure does. */
void *pj_arena_room(pj_arena *a, void *v, int n, int *cap, size_t size, int first);
char *pj_arena_printf(pj_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *pj_arena_vprintf(pj_arena *a, const char *fmt, va_list ap);
/* Frees all blocks but the first, which is kept for reuse (unless it is larger than the
 * block size: a big first allocation is not held on to). */
void pj_arena_reset(pj_arena *a);
void pj_arena_free(pj_arena *a);

#endif
