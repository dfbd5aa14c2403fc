#include "domain/input.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"

#include "core/banned.h"

static const char *type_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

static json_t *get(json_t *o, const char *key, int required, int *rc, pj_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || (json_is_null(v) && required)) {
        *rc = required ? pj_fail(err, 422, "missing_field", key, "%s is required", key) : 0;
        return NULL;
    }
    if (json_is_null(v)) {
        *rc = 0;
        return NULL;
    }
    *rc = 1;
    return v;
}

/* The keys of the texts of several lines: notes, descriptions, an appeal's or a complaint's
 * text, comments, a reply, a policy's conditions (rules may span lines). Every other text is
 * of one line. */
static const char *const multiline_keys[] = {
    "action",  "benefit", "body",  "closed_note", "conditions", "description", "finding", "message",
    "minutes", "note",    "notes", "purpose",     "reason",     "remarks",     "reply",   NULL};
/* Not checked here: a password is never shown and is taken as it is typed; a table sent as
 * CSV text is checked by its reader cell by cell, naming the line. */
static const char *const unchecked_keys[] = {"password", "old_password", "new_password", "csv",
                                             NULL};

static int key_in(const char *key, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(key, list[i])) return 1;
    return 0;
}

int pj_text_multiline(const char *key)
{
    return key_in(key, multiline_keys);
}

long pj_text_bad_char(const char *s, size_t n, int multiline)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7F) {
            if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
            return (long)c;
        }
        /* the C1 controls U+0080–U+009F (C2 80–9F; U+009B is a terminal's CSI, U+0085 a line
         * break to some readers) */
        if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) return (long)p[i + 1];
        /* U+202A–U+202E and U+2066–U+2069: E2 80 AA–AE and E2 81 A6–A9 */
        if (c == 0xE2 && i + 2 < n &&
            ((p[i + 1] == 0x80 && p[i + 2] >= 0xAA && p[i + 2] <= 0xAE) ||
             (p[i + 1] == 0x81 && p[i + 2] >= 0xA6 && p[i + 2] <= 0xA9)))
            return (long)((p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu)) | 0x2000;
    }
    return -1;
}

int pj_text_check(const char *key, const char *s, size_t n, pj_err *err)
{
    if (key_in(key, unchecked_keys)) return 0;
    int multi = key_in(key, multiline_keys);
    long c = pj_text_bad_char(s, n, multi);
    if (c < 0) return 0;
    if (c >= 0x2000)
        return pj_fail(err, 422, "invalid_value", key,
                       "%s must not contain a bidirectional control character (U+%04lX)", key, c);
    return pj_fail(err, 422, "invalid_value", key,
                   multi ? "%s must not contain a control character (U+%04lX) other than a line "
                           "break or a tab"
                         : "%s must be one line without control characters (U+%04lX)",
                   key, c);
}

/* pj_in_str without the check of the characters */
static int in_str(json_t *o, const char *key, int required, size_t min_chars, size_t max_chars,
                  const char **out, pj_err *err)
{
    int rc;
    json_t *v = get(o, key, required, &rc, err);
    if (!v) return rc;
    if (!json_is_string(v))
        return pj_fail(err, 422, "wrong_type", key, "%s must be a string, not %s", key,
                       type_name(v));
    const char *s = json_string_value(v);
    size_t n = pj_utf8_len(s, json_string_length(v));
    /* an empty text where one is required is missing, not too short; where it is not, it
     * is left out rather than sent empty */
    if (n < min_chars && min_chars == 1)
        return required ? pj_fail(err, 422, "missing_field", key, "%s is required", key)
                        : pj_fail(err, 422, "missing_field", key,
                                  "%s must not be empty (leave it out for none)", key);
    /* ten characters exactly: a date, seven a month (its value is checked next) */
    if ((n < min_chars || n > max_chars) && min_chars == 10 && max_chars == 10)
        return pj_fail(err, 422, "out_of_range", key, "%s must be a date YYYY-MM-DD", key);
    if ((n < min_chars || n > max_chars) && min_chars == 7 && max_chars == 7)
        return pj_fail(err, 422, "out_of_range", key, "%s must be a month YYYY-MM", key);
    if (n < min_chars)
        return pj_fail(err, 422, "out_of_range", key, "%s must have at least %zu characters", key,
                       min_chars);
    if (n > max_chars)
        return pj_fail(err, 422, "too_long", key, "%s must have at most %zu characters", key,
                       max_chars);
    *out = s;
    return 1;
}

int pj_in_str(json_t *o, const char *key, int required, size_t min_chars, size_t max_chars,
              const char **out, pj_err *err)
{
    const char *s = NULL;
    int rc = in_str(o, key, required, min_chars, max_chars, &s, err);
    if (rc <= 0) return rc;
    if (pj_text_check(key, s, strlen(s), err)) return -1;
    *out = s;
    return 1;
}

/* The width in bytes of the white-space character at p (at most n bytes on), 0 when p holds
 * none: ASCII (space, tab, CR, LF, VT, FF) and the Unicode spaces an input method or a paste
 * brings (U+00A0, U+1680, U+2000–U+200B, U+2028, U+2029, U+202F, U+205F, U+3000 ideographic
 * space, U+FEFF). The text is valid UTF-8 (jansson checks it). */
static size_t space_at(const unsigned char *p, size_t n)
{
    unsigned cp;
    size_t len;
    if (*p < 0x80)
        cp = *p, len = 1;
    else if ((*p & 0xE0) == 0xC0 && n >= 2)
        cp = (unsigned)(*p & 0x1F) << 6 | (p[1] & 0x3F), len = 2;
    else if ((*p & 0xF0) == 0xE0 && n >= 3)
        cp = (unsigned)(*p & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F), len = 3;
    else
        return 0; /* four-byte characters are none of the spaces */
    int space = cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x1680 ||
                (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
                cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
    return space ? len : 0;
}

size_t pj_text_trim(const char *s, size_t *start)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, a = 0, e = 0;
    int seen = 0;
    while (i < n) {
        size_t w = space_at(p + i, n - i);
        if (w) {
            i += w;
            continue;
        }
        if (!seen) a = i, seen = 1;
        /* one character on: its UTF-8 length from its lead byte */
        i += p[i] < 0x80 ? 1 : (p[i] & 0xE0) == 0xC0 ? 2 : (p[i] & 0xF0) == 0xE0 ? 3 : 4;
        if (i > n) i = n;
        e = i;
    }
    *start = a;
    return seen ? e - a : 0;
}

/* pj_in_text, its characters checked when check is set */
static int in_text(json_t *o, const char *key, int required, size_t min_chars, size_t max_chars,
                   int check, const char **out, pj_err *err)
{
    const char *s = NULL;
    int rc = in_str(o, key, required, min_chars, max_chars, &s, err);
    if (rc <= 0) return rc;
    size_t from;
    /* a text of spaces, tabs and line breaks only is blank (missing), before it is one line */
    if (*s && !pj_text_trim(s, &from))
        return pj_fail(err, 422, min_chars ? "missing_field" : "invalid_value", key,
                       "%s must not be blank (only spaces)", key);
    if (check && pj_text_check(key, s, strlen(s), err)) return -1;
    *out = s;
    return 1;
}

int pj_in_text(json_t *o, const char *key, int required, size_t min_chars, size_t max_chars,
               const char **out, pj_err *err)
{
    return in_text(o, key, required, min_chars, max_chars, 1, out, err);
}

/* the integer a real of no fraction is, NULL for another value (9e15: beyond, a double's
 * whole numbers are not all exact, and pj_in_int refuses it) */
static json_t *whole(json_t *x)
{
    if (!json_is_real(x)) return NULL;
    double d = json_real_value(x);
    return d == floor(d) && fabs(d) < 9e15 ? json_integer((json_int_t)d) : NULL;
}

void pj_in_whole_numbers(json_t *v)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x, *n;
        /* setting an existing key replaces its value in place: the iteration goes on */
        json_object_foreach(v, k, x)
        {
            if ((n = whole(x)))
                json_object_set_new(v, k, n);
            else
                pj_in_whole_numbers(x);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x, *n;
        json_array_foreach(v, i, x)
        {
            if ((n = whole(x)))
                json_array_set_new(v, i, n);
            else
                pj_in_whole_numbers(x);
        }
    }
}

int pj_in_int(json_t *o, const char *key, int required, int64_t min, int64_t max, int64_t *out,
              pj_err *err)
{
    int rc;
    json_t *v = get(o, key, required, &rc, err);
    if (!v) return rc;
    int64_t x;
    /* a whole number may be written 2024.0 or 2.024e3 */
    double d = json_is_real(v) ? json_real_value(v) : NAN;
    int whole = isfinite(d) && d == floor(d);
    if (json_is_integer(v))
        x = json_integer_value(v);
    else if (whole && fabs(d) < 9e15)
        x = (int64_t)d;
    else if (whole && (d < (double)min || d > (double)max))
        /* written as 1e16 past the field's range: out of range, not of the wrong type */
        return pj_fail(err, 422, "out_of_range", key, "%s must be between %lld and %lld", key,
                       (long long)min, (long long)max);
    else if (whole)
        /* within range, but written so that its digits past 2^53 are lost */
        return pj_fail(err, 422, "wrong_type", key,
                       "%s must be an integer written with its digits, not as %g (a number"
                       " with an exponent loses its digits past 9007199254740992)",
                       key, d);
    else
        return pj_fail(err, 422, "wrong_type", key, "%s must be an integer, not %s", key,
                       type_name(v));
    if (x < min || x > max)
        return pj_fail(err, 422, "out_of_range", key, "%s must be between %lld and %lld", key,
                       (long long)min, (long long)max);
    *out = x;
    return 1;
}

int pj_in_num(json_t *o, const char *key, int required, double min, double max, double *out,
              pj_err *err)
{
    int rc;
    json_t *v = get(o, key, required, &rc, err);
    if (!v) return rc;
    if (!json_is_number(v))
        return pj_fail(err, 422, "wrong_type", key, "%s must be a number, not %s", key,
                       type_name(v));
    double x = json_number_value(v);
    if (!(x >= min && x <= max))
        return pj_fail(err, 422, "out_of_range", key, "%s must be between %.15g and %.15g", key,
                       min, max);
    *out = x;
    return 1;
}

int pj_in_bool(json_t *o, const char *key, int required, int *out, pj_err *err)
{
    int rc;
    json_t *v = get(o, key, required, &rc, err);
    if (!v) return rc;
    if (!json_is_boolean(v))
        return pj_fail(err, 422, "wrong_type", key, "%s must be true or false", key);
    *out = json_is_true(v);
    return 1;
}

/* values joined with ", " into list (cut short when it does not fit) */
static void join_values(const char *const *values, char *list, size_t size)
{
    size_t len = 0;
    list[0] = 0;
    for (int i = 0; values[i] && len + 1 < size; i++) {
        int k = snprintf(list + len, size - len, "%s%s", i ? ", " : "", values[i]);
        if (k < 0) break;
        len += (size_t)k;
    }
}

int pj_in_enum(json_t *o, const char *key, int required, const char *const *values,
               const char **out, pj_err *err)
{
    const char *s;
    int rc = pj_in_str(o, key, required, 0, 64, &s, err);
    if (rc <= 0) return rc;
    for (int i = 0; values[i]; i++)
        if (strcmp(s, values[i]) == 0) {
            *out = values[i];
            return 1;
        }
    char list[256];
    join_values(values, list, sizeof list);
    return pj_fail(err, 422, "invalid_value", key, "%s must be one of: %s", key, list);
}

int pj_q_enum(const char *key, const char *v, const char *const *values, pj_err *err)
{
    if (!v) return 0;
    for (int i = 0; values[i]; i++)
        if (strcmp(v, values[i]) == 0) return 0;
    char list[256];
    join_values(values, list, sizeof list);
    return pj_fail(err, 400, "bad_query", key, "%s is one of %s", key, list);
}

int pj_q_range_fail(const char *from_key, const char *from, const char *to_key, const char *to,
                    pj_err *err)
{
    return pj_fail(err, 400, "bad_query", from_key, "%s (%.40s) must not be after %s (%.40s)",
                   from_key, from, to_key, to);
}

int pj_in_ref(json_t *o, const char *key, int required, int64_t *out, pj_err *err)
{
    json_t *v = json_object_get(o, key);
    if (v && json_is_null(v) && !required) {
        *out = 0;
        return 1;
    }
    return pj_in_int(o, key, required, 1, INT64_MAX, out, err);
}

int pj_in_create_version(json_t *o, pj_err *err)
{
    int64_t ignored;
    return pj_in_int(o, "version", 0, INT64_MIN, INT64_MAX, &ignored, err) < 0 ? -1 : 0;
}

int pj_in_only(json_t *o, const char *const *allowed, pj_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++) ok = strcmp(k, allowed[i]) == 0;
        if (!ok) return pj_fail(err, 422, "unknown_field", k, "unknown field %s", k);
    }
    return 0;
}

int pj_in_no_null(json_t *o, const char *const *nullable, pj_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        if (!json_is_null(v)) continue;
        int ok = 0;
        for (int i = 0; nullable && nullable[i] && !ok; i++) ok = strcmp(k, nullable[i]) == 0;
        if (!ok) return pj_fail(err, 422, "invalid_value", k, "%s may not be null", k);
    }
    return 0;
}

int pj_in_is_null(json_t *o, const char *key)
{
    return json_is_null(json_object_get(o, key));
}

int pj_in_object(json_t *body, pj_err *err)
{
    if (!body || !json_is_object(body))
        return pj_fail(err, 400, "invalid_json", "", "the request body must be a JSON object");
    return 0;
}

int pj_json_depth(json_t *v)
{
    int d = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            int dx = pj_json_depth(x);
            if (dx > d) d = dx;
        }
        return d + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            int dx = pj_json_depth(x);
            if (dx > d) d = dx;
        }
        return d + 1;
    }
    return 1;
}

int pj_in_text_trimmed(pj_arena *a, json_t *o, const char *key, int required, size_t max_chars,
                       const char **out, pj_err *err)
{
    const char *v = *out;
    /* the length too is the stored text's: a name at its maximum with a space pasted after it
     * is that name (the body's own size limit bounds what is trimmed) */
    int rc = in_text(o, key, required, 1, SIZE_MAX, 0, &v, err);
    if (rc <= 0) return rc;
    /* what is stored is checked: a tab or a line break pasted around a name is dropped */
    v = pj_text_trimmed(a, v);
    if (pj_utf8_len(v, strlen(v)) > max_chars)
        return pj_fail(err, 422, "too_long", key, "%s must have at most %zu characters", key,
                       max_chars);
    if (pj_text_check(key, v, strlen(v), err)) return -1;
    *out = v;
    return 1;
}

int pj_in_trim(json_t *o, const char *key, int required_chars, pj_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || !json_string_length(v)) return 0;
    size_t from, n = pj_text_trim(json_string_value(v), &from);
    if (!n)
        return pj_fail(err, 422, required_chars ? "missing_field" : "invalid_value", key,
                       "%s must not be blank (only spaces)", key);
    if (n < json_string_length(v))
        json_object_set_new(o, key, json_stringn(json_string_value(v) + from, n));
    return 0;
}

int pj_in_list(json_t *v, const char *key, size_t max, const char *what, pj_err *err)
{
    if (!json_is_array(v))
        return pj_fail(err, 422, "wrong_type", key, "%s must be a list of %s, not %s", key, what,
                       type_name(v));
    if (json_array_size(v) > max)
        return pj_fail(err, 422, "too_long", key, "%s holds at most %zu %s, not %zu", key, max,
                       what, json_array_size(v));
    return 0;
}

const char *pj_text_trimmed(pj_arena *a, const char *s)
{
    size_t from, n = pj_text_trim(s, &from);
    return pj_arena_strndup(a, s + from, n);
}
