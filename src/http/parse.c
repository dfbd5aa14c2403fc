#include "http/parse.h"

#include <sodium.h>
#include <string.h>

#include "core/util.h"
#include "domain/input.h"

#include "core/banned.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int pj_url_decode_into(char *out, size_t cap, const char *s, size_t n, int plus)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n) return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0) return -1;
            c = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus) {
            c = ' ';
        }
        if (c == 0 || o + 1 >= cap) return -1;
        out[o++] = c;
    }
    out[o] = 0;
    return pj_utf8_valid(out, o) ? (int)o : -1;
}

char *pj_url_decode(pj_arena *a, const char *s, size_t n, int plus)
{
    char *out = pj_arena_alloc(a, n + 1);
    return pj_url_decode_into(out, n + 1, s, n, plus) < 0 ? NULL : out;
}

int pj_query_parse(pj_arena *a, const char *qs, size_t len, pj_kv **out, int *n, pj_err *err)
{
    *out = NULL;
    *n = 0;
    if (!qs || !len) return 0;
    if (len > PJ_QUERY_MAX_LEN)
        return pj_fail(err, 400, "bad_query", "", "the query string is longer than %d bytes",
                       PJ_QUERY_MAX_LEN);
    pj_kv *kv = pj_arena_alloc(a, sizeof(pj_kv) * PJ_QUERY_MAX_PARAMS);
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && qs[j] != '&') j++;
        if (j > i) {
            if (*n == PJ_QUERY_MAX_PARAMS)
                return pj_fail(err, 400, "bad_query", "", "more than %d query parameters",
                               PJ_QUERY_MAX_PARAMS);
            const char *eq = memchr(qs + i, '=', j - i);
            size_t klen = eq ? (size_t)(eq - (qs + i)) : j - i;
            char *k = pj_url_decode(a, qs + i, klen, 1);
            char *v = eq ? pj_url_decode(a, eq + 1, (size_t)(qs + j - eq - 1), 1)
                         : pj_arena_strdup(a, "");
            if (!k || !v || !*k)
                return pj_fail(err, 400, "bad_query", k && *k ? k : "",
                               "malformed query parameter (bad %%-encoding or UTF-8)");
            kv[*n].key = k;
            kv[*n].value = v;
            (*n)++;
        }
        i = j + 1;
    }
    *out = kv;
    return 0;
}

/* depth = containers enclosing v (0 at the top); a container may sit at depth < 32 */
static int walk(json_t *v, int depth, pj_err *err)
{
    if ((json_is_object(v) || json_is_array(v)) && depth >= PJ_JSON_MAX_DEPTH)
        return pj_fail(err, 400, "too_deep", "", "JSON nested deeper than %d", PJ_JSON_MAX_DEPTH);
    if (json_is_string(v) && json_string_length(v) > PJ_JSON_MAX_STRING)
        return pj_fail(err, 400, "too_long", "", "a JSON string is longer than %d bytes",
                       PJ_JSON_MAX_STRING);
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            if (strlen(k) > 256) return pj_fail(err, 400, "too_long", "", "a JSON key is too long");
            if (walk(x, depth + 1, err)) return -1;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (walk(x, depth + 1, err)) return -1;
        }
    }
    return 0;
}

int pj_json_decode(const char *buf, size_t len, json_t **out, pj_err *err)
{
    *out = NULL;
    if (!pj_utf8_valid(buf, len))
        return pj_fail(err, 400, "invalid_utf8", "", "the request body is not valid UTF-8");
    /* a cheap pre-check so deeply nested input never reaches the recursive parser */
    int d = 0, maxd = 0, in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++d > maxd) maxd = d;
            if (maxd > PJ_JSON_MAX_DEPTH)
                return pj_fail(err, 400, "too_deep", "", "JSON nested deeper than %d",
                               PJ_JSON_MAX_DEPTH);
        } else if (c == '}' || c == ']') {
            d--;
        }
    }
    json_error_t je;
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        /* jansson names its own flag for a NUL escape: say what the sender can change */
        if (strstr(je.text, "JSON_ALLOW_NUL"))
            return pj_fail(err, 400, "invalid_json", "",
                           "malformed JSON at line %d column %d: a text holds \\u0000 (NUL),"
                           " which no text may hold",
                           je.line, je.column);
        return pj_fail(err, 400, "invalid_json", "", "malformed JSON at line %d column %d: %s",
                       je.line, je.column, je.text);
    }
    if (walk(v, 0, err)) {
        json_decref(v);
        return -1;
    }
    pj_in_whole_numbers(v);
    *out = v;
    return 0;
}

void pj_json_wipe(json_t *v)
{
    if (json_is_string(v)) {
        /* the value is the string's own heap copy (jansson 2.14: json_string_t.value, made by
         * the parser or json_stringn), writable behind the const, its length bytes long */
        sodium_memzero((char *)json_string_value(v), json_string_length(v));
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) pj_json_wipe(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) pj_json_wipe(x);
    }
}
