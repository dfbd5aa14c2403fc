#include "domain/render.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/db.h"
#include "domain/audit.h"

#include "core/banned.h"

void pj_render_ref(pj_jw *w, const char *key, pj_stmt *s, int col)
{
    if (pj_col_is_null(s, col) || pj_col_int(s, col) == 0)
        pj_jw_knull(w, key);
    else
        pj_jw_kint(w, key, pj_col_int(s, col));
}

void pj_render_time(pj_jw *w, const char *key, int64_t t)
{
    char buf[21];
    pj_time_iso(t, buf);
    pj_jw_kstr(w, key, buf);
}

void pj_render_time_col(pj_jw *w, const char *key, pj_stmt *s, int col)
{
    if (pj_col_is_null(s, col))
        pj_jw_knull(w, key);
    else
        pj_render_time(w, key, pj_col_int(s, col));
}

void pj_render_text(pj_jw *w, const char *key, pj_stmt *s, int col)
{
    pj_jw_kstr(w, key, pj_col_text(s, col));
}

void pj_render_by(pj_jw *w, const char *key, pj_stmt *s, int col, int name_col)
{
    char name[64];
    snprintf(name, sizeof name, "%s_name", key);
    pj_jw_kstr(w, key, pj_col_text(s, col));
    pj_jw_kstr(w, name, pj_col_text(s, name_col));
}

char *pj_render_to_string(pj_ctx *c, int64_t id, pj_render_fn fn, pj_err *err)
{
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &b);
    char *out = NULL;
    if (fn(c, id, &w, err) == 0) {
        if (b.overflow) /* never store a cut-off record in the audit trail */
            pj_fail(err, 500, "internal", "", "record %lld is larger than 1 MiB", (long long)id);
        else
            out = pj_arena_strndup(c->arena, b.data ? b.data : "", b.len);
    }
    pj_buf_free(&b);
    return out;
}

char *pj_render_with(pj_ctx *c, const char *rendered, const char *members)
{
    size_t n = strlen(rendered);
    while (n > 0 && rendered[n - 1] != '}') n--;
    if (n == 0 || !members || !*members) return pj_arena_strdup(c->arena, rendered);
    n--; /* up to the closing brace */
    size_t k = n;
    while (k > 0 && (rendered[k - 1] == ' ' || rendered[k - 1] == '\n')) k--;
    int empty = k > 0 && rendered[k - 1] == '{';
    return pj_arena_printf(c->arena, "%.*s%s%s}", (int)n, rendered, empty ? "" : ",", members);
}

int pj_render_commit(pj_ctx *c, const char *action, const char *entity, int64_t id,
                     const char *before, pj_render_fn fn, pj_jw *w, pj_err *err)
{
    char *after = pj_render_to_string(c, id, fn, err);
    if (!after || pj_audit_add(c, action, entity, id, before, after, err) ||
        pj_db_commit(c->db, err))
        return -1;
    pj_jw_raw(w, after);
    return 0;
}

int pj_render_update_commit(pj_ctx *c, const char *entity, int64_t id, const char *before,
                            pj_render_fn fn, pj_jw *w, pj_err *err)
{
    char *after = pj_render_to_string(c, id, fn, err);
    if (!after) return -1;
    if (pj_render_same(before, after)) {
        pj_db_rollback(c->db);
        pj_jw_raw(w, before);
        return 0;
    }
    if (pj_audit_add(c, "update", entity, id, before, after, err) || pj_db_commit(c->db, err))
        return -1;
    pj_jw_raw(w, after);
    return 0;
}

void pj_render_next_cursor(pj_jw *w, int more, int64_t cursor)
{
    if (!more) {
        pj_jw_knull(w, "next_cursor");
        return;
    }
    char cur[24];
    snprintf(cur, sizeof cur, "%lld", (long long)cursor);
    pj_jw_kstr(w, "next_cursor", cur);
}

int pj_render_page(pj_ctx *c, const int64_t *ids, int n, int limit, pj_render_fn fn, pj_jw *w,
                   pj_err *err)
{
    int shown = n > limit ? limit : n;
    return pj_render_page_at(c, ids, n, limit, shown > 0 ? ids[shown - 1] : 0, fn, w, err);
}

int pj_render_page_at(pj_ctx *c, const int64_t *ids, int n, int limit, int64_t cursor,
                      pj_render_fn fn, pj_jw *w, pj_err *err)
{
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int shown = n > limit ? limit : n;
    for (int i = 0; i < shown; i++)
        if (fn(c, ids[i], w, err)) return -1;
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, n > limit && shown > 0, cursor);
    pj_jw_obj_end(w);
    return 0;
}

int pj_render_query_page(pj_ctx *c, pj_stmt *s, int limit, pj_render_fn fn, pj_jw *w, pj_err *err)
{
    /* one read transaction: the ids and every rendered item come from one snapshot */
    int started = pj_db_read_begin(c->db);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(limit + 1));
    int n = 0, rc = 0;
    while (n <= limit && (rc = pj_stmt_step(s, err)) == 1) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (n <= limit && rc < 0) {
        pj_db_read_end(c->db, started);
        return -1;
    }
    rc = pj_render_page(c, ids, n, limit, fn, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

int pj_render_ids(pj_ctx *c, pj_stmt *s, int64_t **ids, int *n, pj_err *err)
{
    int64_t *v = NULL;
    int k = 0, cap = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        v = pj_arena_room(c->arena, v, k, &cap, sizeof *v, 8);
        v[k++] = pj_col_int(s, 0);
    }
    pj_stmt_done(s);
    *ids = v;
    *n = k;
    return rc < 0 ? -1 : 0;
}

int pj_render_exists(pj_ctx *c, const char *sql, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc;
}

char *pj_mask(pj_arena *a, const char *s, int keep_prefix)
{
    if (!s) return NULL;
    size_t n = strlen(s), k = (size_t)keep_prefix;
    /* a mobile number (11 digits from 1): its prefix and last 4, the 4 between hidden */
    int mobile = n == 11 && s[0] == '1' && strspn(s, "0123456789") == 11;
    if (mobile && k + 4 + 4 <= n) {
        char *out = pj_arena_strdup(a, s);
        memset(out + k, '*', n - k - 4);
        return out;
    }
    /* anything else — a landline (6996 1234: the exchange is known, its last 4 would give the
     * number back), with area code or +86 — only its last 2, after stars that do not say the
     * length; a short one nothing */
    if (n < 8) return pj_arena_strdup(a, n ? "****" : "");
    char *out = pj_arena_strdup(a, "******");
    out[4] = s[n - 2];
    out[5] = s[n - 1];
    return out;
}

char *pj_mask_name(pj_arena *a, const char *s)
{
    if (!s || !*s) return s ? pj_arena_strdup(a, "") : NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : 4;
    size_t len = strlen(s);
    if (n > len) n = len;
    char buf[8];
    memcpy(buf, s, n);
    buf[n] = '*';
    buf[n + 1] = 0;
    return pj_arena_strdup(a, buf);
}

char *pj_mask_id(pj_arena *a, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    if (n <= 6) return pj_arena_strdup(a, n ? "****" : "");
    char *out = pj_arena_strdup(a, s);
    for (size_t i = 6; i < n; i++) out[i] = '*';
    return out;
}

/* Steps p past the JSON value that starts at it (a string, or a scalar up to the next ',' or
 * '}': the stamps are a time and a number). */
static const char *skip_scalar(const char *p)
{
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1]) p++;
        return *p ? p + 1 : p;
    }
    while (*p && *p != ',' && *p != '}') p++;
    return p;
}

/* The next byte of a record's rendering that counts, from *p: its top-level `updated_at` and
 * `version` members are passed over (*depth and *in_str carry the scan). */
static int next_counted(const char **p, int *depth, int *in_str)
{
    for (;;) {
        const char *s = *p;
        if (!*s) return -1;
        if (!*in_str && *depth == 1 && *s == '"' &&
            (!strncmp(s, "\"updated_at\":", 13) || !strncmp(s, "\"version\":", 10))) {
            *p = skip_scalar(s + (s[1] == 'u' ? 13 : 10));
            continue;
        }
        *p = s + 1;
        if (*in_str) {
            if (*s == '\\' && s[1]) {
                *p = s + 2;
                return (unsigned char)s[1] | 0x100; /* an escape: its two bytes as one */
            }
            if (*s == '"') *in_str = 0;
        } else if (*s == '"')
            *in_str = 1;
        else if (*s == '{' || *s == '[')
            (*depth)++;
        else if (*s == '}' || *s == ']')
            (*depth)--;
        return (unsigned char)*s;
    }
}

int pj_render_same(const char *before, const char *after)
{
    int da = 0, db = 0, sa = 0, sb = 0;
    for (;;) {
        int a = next_counted(&before, &da, &sa), b = next_counted(&after, &db, &sb);
        if (a != b) return 0;
        if (a < 0) return 1;
    }
}
