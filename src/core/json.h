/* Streaming JSON writer into a pj_buf: no tree is built. Commas are tracked with a small
 * nesting stack; nesting deeper than PJ_JW_DEPTH is a programming error (asserted). */
#ifndef PJ_JSON_H
#define PJ_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define PJ_JW_DEPTH 32

typedef struct pj_jw {
    pj_buf *out;
    int depth;
    unsigned char first[PJ_JW_DEPTH]; /* 1 until the first member at that depth */
    int after_key;
} pj_jw;

void pj_jw_init(pj_jw *w, pj_buf *out);
void pj_jw_obj(pj_jw *w);
void pj_jw_obj_end(pj_jw *w);
void pj_jw_arr(pj_jw *w);
void pj_jw_arr_end(pj_jw *w);
void pj_jw_key(pj_jw *w, const char *key);
void pj_jw_str(pj_jw *w, const char *s); /* NULL writes null */
void pj_jw_strn(pj_jw *w, const char *s, size_t n);
void pj_jw_int(pj_jw *w, int64_t v);
void pj_jw_num(pj_jw *w, double v); /* non-finite writes null */
/* Fixed-point with at most `decimals` digits (trailing zeros trimmed); fast, for coordinates.
 * Rounds v × 10^decimals to the nearest integer, halves away from zero; non-finite: null. */
void pj_jw_fixed(pj_jw *w, double v, int decimals);
/* The text pj_jw_fixed writes for v, NUL-terminated, so that a CSV cell reads as the JSON
 * does; "" for a non-finite v. Returns the length. */
#define PJ_FIXED_SIZE 48
size_t pj_fmt_fixed(char out[PJ_FIXED_SIZE], double v, int decimals);
void pj_jw_bool(pj_jw *w, int v);
void pj_jw_null(pj_jw *w);
/* Writes already-serialised JSON text as one value (trusted input). */
void pj_jw_raw(pj_jw *w, const char *json);
/* key + value shorthands */
void pj_jw_kstr(pj_jw *w, const char *k, const char *s);
void pj_jw_kint(pj_jw *w, const char *k, int64_t v);
void pj_jw_knum(pj_jw *w, const char *k, double v);
void pj_jw_kbool(pj_jw *w, const char *k, int v);
void pj_jw_knull(pj_jw *w, const char *k);

/* Appends s as a quoted, escaped JSON string. */
void pj_json_escape(pj_buf *out, const char *s, size_t n);

#endif
