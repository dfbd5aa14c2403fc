/* Validation of JSON request bodies. Each getter returns 1 when the key is present and valid
 * (value in *out), 0 when absent and not required, -1 on a validation failure (err filled:
 * 422 with the field named). Strings are borrowed from the json_t. */
#ifndef PJ_INPUT_H
#define PJ_INPUT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct pj_arena;

/* A whole number written with a fraction or exponent (2024.0, 1e2) made the integer it is,
 * everywhere in v (objects and arrays), in place: read so by pj_in_int, such a number was taken
 * by the code after it (json_integer_value, json_is_integer) as 0 or as no number — a record's
 * year stored as 0, a scope check passed over. Every request body and --json of the command line
 * goes through it once it is parsed; a number with a fraction (2.5) stays a real. */
void pj_in_whole_numbers(json_t *v);

int pj_in_str(json_t *o, const char *key, int required, size_t min_chars, size_t max_chars,
              const char **out, pj_err *err);
/* pj_in_str refuses the characters a text must not hold, whatever its field: the C0 controls
 * (U+0000–U+001F), DEL (U+007F) and the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which would reach a CSV export, the command line's tables
 * and the access log, or show a name reversed. A text of several lines (a key of a short
 * fixed list: note, notes, description, remarks, reason, reply, minutes, message, body, …)
 * keeps its line breaks and tabs (\n, \r, \t). Passwords are not checked. 422
 * invalid_value on the field. */
/* The first character of s[0..n) a text may not hold: its code point, or -1 when none.
 * multiline: \n, \r and \t are allowed. */
long pj_text_bad_char(const char *s, size_t n, int multiline);
/* 1 when key names a text of several lines. */
int pj_text_multiline(const char *key);
/* s[0..n) checked as the text of key (its rules: one line or several, or none for a password):
 * 0, or -1 with 422 invalid_value at key. For the texts read without pj_in_str: list items,
 * the cells of an import. */
int pj_text_check(const char *key, const char *s, size_t n, pj_err *err);
/* The length of s without the white space around it (ASCII and the Unicode spaces, as
 * pj_in_text judges them), *start where the rest begins; 0 when s is nothing but spaces. */
size_t pj_text_trim(const char *s, size_t *start);
/* pj_in_str for a name, a title or a text a person reads: a value of white space only
 * (spaces, tabs, line breaks, the ideographic space U+3000, …) is refused too, 422 on the key
 * (missing_field when at least one character is required, else invalid_value); an empty
 * string stays as pj_in_str judges it. */
int pj_in_text(json_t *o, const char *key, int required, size_t min_chars, size_t max_chars,
               const char **out, pj_err *err);
/* s without the white space around it (pj_text_trim's), a copy in a: "" when s is spaces only. */
const char *pj_text_trimmed(struct pj_arena *a, const char *s);
/* pj_in_text of at least one character, the spaces around it left out (a copy in a): a name
 * or code as it is stored and compared. *out is untouched when the key is absent. The
 * characters and the length are checked (pj_text_check, max_chars) once the spaces, tabs and
 * line breaks around the text are left out: only what is stored must be one line and fit. */
int pj_in_text_trimmed(struct pj_arena *a, json_t *o, const char *key, int required,
                       size_t max_chars, const char **out, pj_err *err);
/* The string at key in o replaced by itself without the white space around it, so that what
 * is checked next and stored is the trimmed text; a value of white space only fails 422 on the
 * key (missing_field when required_chars, else invalid_value). An absent key, an empty string
 * or a value of another type is left as it is, for the caller's own check. */
int pj_in_trim(json_t *o, const char *key, int required_chars, pj_err *err);
/* v, the value of key, a list of at most max items: 0; something else than a list is 422
 * wrong_type ("key must be a list of <what>"), a longer list 422 too_long ("key holds at most
 * max <what>"), both at key. Its items are the caller's to check. */
int pj_in_list(json_t *v, const char *key, size_t max, const char *what, pj_err *err);
int pj_in_int(json_t *o, const char *key, int required, int64_t min, int64_t max, int64_t *out,
              pj_err *err);
int pj_in_num(json_t *o, const char *key, int required, double min, double max, double *out,
              pj_err *err);
int pj_in_bool(json_t *o, const char *key, int required, int *out, pj_err *err);
/* values: NULL-terminated list of allowed strings. */
int pj_in_enum(json_t *o, const char *key, int required, const char *const *values,
               const char **out, pj_err *err);
/* A list filter of a fixed set of values: 0 when v is NULL or one of values (NULL-terminated),
 * else 400 bad_query at key, "KEY is one of a, b, c" (an unknown value is a mistake, not a
 * filter that matches nothing). */
int pj_q_enum(const char *key, const char *v, const char *const *values, pj_err *err);
/* A range whose start is after its end would answer nothing: 400 bad_query at from_key,
 * "FROM (v) must not be after TO (v)" (from and to as the query gave them). Returns -1; equal
 * bounds are each list's own business. */
int pj_q_range_fail(const char *from_key, const char *from, const char *to_key, const char *to,
                    pj_err *err);
/* Nullable id reference: present as null sets *out = 0 and returns 1. */
int pj_in_ref(json_t *o, const char *key, int required, int64_t *out, pj_err *err);
/* The "version" a create takes and ignores (a record's body sent back to create a copy): when
 * present it is still an integer, as the API documents it, else 422 wrong_type. */
int pj_in_create_version(json_t *o, pj_err *err);
/* Fails on any key of o not in the NULL-terminated list. */
int pj_in_only(json_t *o, const char *const *allowed, pj_err *err);
/* A change (PATCH) names what it changes, so null there would change a field to nothing:
 * 422 invalid_value "KEY may not be null" at the first key whose value is null and which is
 * not in nullable (NULL-terminated, or NULL for none; the caller clears those on null). An
 * absent key keeps its value; a null is never taken for one. */
int pj_in_no_null(json_t *o, const char *const *nullable, pj_err *err);
/* 1 when key is in o with the value null. */
int pj_in_is_null(json_t *o, const char *key);
/* Fails unless body is an object. */
int pj_in_object(json_t *body, pj_err *err);
/* Maximum nesting depth of a JSON value (1 for a scalar). */
int pj_json_depth(json_t *v);

#endif
