/* Parsers of outside input that the HTTP layer uses: query strings and JSON request bodies.
 * Both are fuzzed (fuzz/fuzz_query.c, fuzz/fuzz_json.c). */
#ifndef PJ_HTTP_PARSE_H
#define PJ_HTTP_PARSE_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define PJ_QUERY_MAX_PARAMS 64
#define PJ_QUERY_MAX_LEN    2048
#define PJ_JSON_MAX_DEPTH   32
#define PJ_JSON_MAX_STRING  65536

typedef struct pj_kv {
    const char *key, *value;
} pj_kv;

/* Parses "a=1&b=x%20y" into decoded pairs allocated in arena (*out owned by arena).
 * 400 bad_query on bad percent-encoding, invalid UTF-8, NUL bytes, too many or too long. */
int pj_query_parse(pj_arena *a, const char *qs, size_t len, pj_kv **out, int *n, pj_err *err);
/* Percent-decodes s[0..n) into arena memory; NULL when malformed. plus: '+' means space. */
char *pj_url_decode(pj_arena *a, const char *s, size_t n, int plus);
/* The same into out[0..cap) (no allocation): its length, or -1 when malformed or longer than
 * cap - 1. */
int pj_url_decode_into(char *out, size_t cap, const char *s, size_t n, int plus);

/* Decodes a request body: valid UTF-8, one JSON value, no duplicate keys, depth ≤ 32,
 * strings ≤ 64 KiB. *out is a new reference owned by the caller (json_decref). */
int pj_json_decode(const char *buf, size_t len, json_t **out, pj_err *err);
/* Overwrites with zeros the bytes of every string value in v (objects and arrays walked, to
 * the depth pj_json_decode allows; keys left as they are): a decoded body that held
 * passwords, just before its last json_decref. The strings keep their lengths; v must not be
 * read afterwards. NULL: nothing. */
void pj_json_wipe(json_t *v);

#endif
