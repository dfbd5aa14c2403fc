/* The indicator store: definitions, values with their revision history, targets. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/indicator_int.h"
#include "domain/input.h"
#include "domain/registry.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

const char *const pj_indicator_kinds[] = {"level", "share", "rate", NULL};
const char *const pj_period_kinds[] = {"year", "half", "quarter", "month", NULL};

const char *pj_ind_who(const pj_ctx *c)
{
    return c->actor.username && *c->actor.username ? c->actor.username : "system";
}

int pj_ind_require_writer(const pj_ctx *c, pj_err *err)
{
    return pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE);
}

int pj_ind_code_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n >= 1 && n <= 48;
}

int pj_ind_region_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || !pj_utf8_valid(s, n)) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
    return pj_utf8_len(s, n) <= 32;
}

/* The peer districts when the setting indicator_peer_regions is absent: Beijing's 16. */
static const char *const default_peers =
    "东城区 西城区 朝阳区 海淀区 丰台区 石景山区 门头沟区 房山区 通州区 顺义区 昌平区 大兴区"
    " 怀柔区 平谷区 密云区 延庆区";

/* Splits list (names separated by spaces, commas or 、) into R, skipping names already in. */
static void regions_add_list(pj_ctx *c, pj_ind_regions *R, const char *list)
{
    const char *p = list;
    while (*p) {
        size_t sep = 0;
        if (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n' || *p == '\r')
            sep = 1;
        else if (!strncmp(p, "、", strlen("、")) || !strncmp(p, "，", strlen("，")) ||
                 !strncmp(p, "　", strlen("　")))
            sep = strlen("、");
        if (sep) {
            p += sep;
            continue;
        }
        const char *e = p;
        while (*e && *e != ' ' && *e != ',' && *e != '\t' && *e != '\n' && *e != '\r' &&
               strncmp(e, "、", strlen("、")) && strncmp(e, "，", strlen("，")) &&
               strncmp(e, "　", strlen("　")))
            e++;
        char *name = pj_arena_strndup(c->arena, p, (size_t)(e - p));
        p = e;
        int dup = 0;
        for (int i = 0; i < R->n && !dup; i++) dup = !strcmp(R->names[i], name);
        if (!dup && R->n < PJ_IND_MAX_REGIONS && pj_ind_region_ok(name)) R->names[R->n++] = name;
    }
}

int pj_ind_regions_load(pj_ctx *c, pj_ind_regions *R, pj_err *err)
{
    R->n = 0;
    R->names[R->n++] = PJ_IND_DISTRICT;
    /* the registry's district: its top regions */
    pj_stmt *s = pj_db_prepare(c->db, "SELECT name FROM regions WHERE parent_id IS NULL", err);
    if (!s) return -1;
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) regions_add_list(c, R, pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    s = pj_db_prepare(c->db, "SELECT value FROM settings WHERE key = 'indicator_peer_regions'",
                      err);
    if (!s) return -1;
    rc = pj_stmt_step(s, err);
    const char *peers = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : default_peers;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    regions_add_list(c, R, peers);
    pj_buf b;
    pj_buf_init(&b, 4096);
    for (int i = 0; i < R->n; i++) {
        if (i) pj_buf_puts(&b, " ");
        pj_buf_puts(&b, R->names[i]);
    }
    pj_buf_putc(&b, 0);
    R->text = pj_arena_strdup(c->arena, b.data ? b.data : "");
    pj_buf_free(&b);
    return 0;
}

const char *pj_ind_region_find(const pj_ind_regions *R, const char *s)
{
    size_t from, n = pj_text_trim(s, &from);
    if (!n) return NULL;
    for (int i = 0; i < R->n; i++)
        if (strlen(R->names[i]) == n && !memcmp(R->names[i], s + from, n)) return R->names[i];
    return NULL;
}

int pj_ind_region_check(pj_ctx *c, const char **region, const char *field, pj_err *err)
{
    pj_ind_regions R;
    if (pj_ind_regions_load(c, &R, err)) return -1;
    const char *known = pj_ind_region_find(&R, *region);
    if (!known)
        return pj_fail(err, 422, "unknown_region", field,
                       "region must be a district name: %.40s is none of %s", *region, R.text);
    *region = known;
    return 0;
}

int pj_ind_def_load(pj_ctx *c, const char *code, pj_ind_def *d, int want404, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id, code, name, unit, kind, higher_is_better FROM indicators WHERE code = ?",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        d->id = pj_col_int(s, 0);
        d->code = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        d->name = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        d->unit = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        d->kind = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        d->higher_is_better = (int)pj_col_int(s, 5);
    }
    pj_stmt_done(s);
    if (rc == 0 && want404)
        return pj_fail(err, 404, "not_found", "code", "no indicator with code %s", code);
    return rc;
}

int64_t pj_indicator_id(pj_ctx *c, const char *code, pj_err *err)
{
    pj_ind_def d;
    int rc = pj_ind_def_load(c, code, &d, 0, err);
    return rc < 0 ? -1 : rc ? d.id : 0;
}

/* ---- definitions ---- */

static int ind_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT id, code, name, unit, kind, higher_is_better, source,"
                              " description, created_at, updated_at, version,"
                              " (SELECT COUNT(*) FROM indicator_values v WHERE v.indicator_id ="
                              " i.id) FROM indicators i WHERE id = ?",
                              id, "indicator", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "code", s, 1);
    pj_render_text(w, "name", s, 2);
    pj_render_text(w, "unit", s, 3);
    pj_render_text(w, "kind", s, 4);
    pj_jw_kbool(w, "higher_is_better", (int)pj_col_int(s, 5));
    pj_render_text(w, "source", s, 6);
    pj_render_text(w, "description", s, 7);
    pj_jw_kint(w, "values", pj_col_int(s, 11));
    pj_render_time(w, "created_at", pj_col_int(s, 8));
    pj_render_time(w, "updated_at", pj_col_int(s, 9));
    pj_jw_kint(w, "version", pj_col_int(s, 10));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_indicator_list(pj_ctx *c, const char *q, int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM indicators WHERE id > ? AND (? IS NULL OR code LIKE"
                               " ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\') ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    /* q as typed: % _ and \ match themselves (a code such as agri_output holds a _) */
    char *like = q ? pj_arena_printf(c->arena, "%%%s%%", pj_like_escape(c, q)) : NULL;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_text(s, 2, like);
    pj_stmt_text(s, 3, like);
    pj_stmt_text(s, 4, like);
    pj_stmt_int(s, 5, limit + 1);
    return pj_render_query_page(c, s, limit, ind_render, w, err);
}

int pj_indicator_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return ind_render(c, id, w, err);
}

static int ind_fields(pj_ctx *c, json_t *b, int creating, const char **name, const char **unit,
                      const char **source, const char **desc, int *hib, pj_err *err)
{
    if (pj_in_text_trimmed(c->arena, b, "name", creating, 64, name, err) < 0 ||
        pj_in_text_trimmed(c->arena, b, "unit", creating, 16, unit, err) < 0 ||
        pj_in_str(b, "source", 0, 1, 128, source, err) < 0 ||
        pj_in_str(b, "description", 0, 0, 1000, desc, err) < 0 ||
        pj_in_bool(b, "higher_is_better", 0, hib, err) < 0)
        return -1;
    return 0;
}

int pj_indicator_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {
        "code", "name", "unit", "kind", "source", "description", "higher_is_better", NULL};
    const char *code, *kind, *name = NULL, *unit = NULL, *source = "manual", *desc = "";
    int hib = 1;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "code", 1, 1, 48, &code, err) < 0 ||
        pj_in_enum(body, "kind", 1, pj_indicator_kinds, &kind, err) < 0 ||
        ind_fields(c, body, 1, &name, &unit, &source, &desc, &hib, err))
        return -1;
    if (!pj_ind_code_ok(code))
        return pj_fail(err, 422, "invalid_value", "code",
                       "code is 1-48 characters of a-z, 0-9 and _");
    if (pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now(), id;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO indicators (code, name, unit, kind, higher_is_better,"
                               " source, description, created_at, updated_at) VALUES (?, ?, ?, ?,"
                               " ?, ?, ?, ?, ?) RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, name);
    pj_stmt_text(s, 3, unit);
    pj_stmt_text(s, 4, kind);
    pj_stmt_int(s, 5, hib);
    pj_stmt_text(s, 6, source);
    pj_stmt_text(s, 7, desc);
    pj_stmt_int(s, 8, now);
    pj_stmt_int(s, 9, now);
    int rc = pj_stmt_step(s, err);
    id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "code", "an indicator with code %s exists", code);
        goto fail;
    }
    if (pj_render_commit(c, "create", "indicator", id, NULL, ind_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* A new unit for an indicator with values or targets would have them read in that unit (5 亿元
 * taken as 5 万元): refused, 409 at unit. Which conversion is meant (亿元 → 万元 is × 10,000,
 * 吨 → 万吨 ÷ 10,000, % → ‰ …) is not for the platform to guess from two labels. */
static int unit_change_check(pj_ctx *c, int64_t id, const char *unit, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT code, unit, (SELECT COUNT(*) FROM indicator_values v WHERE"
                              " v.indicator_id = i.id), (SELECT COUNT(*) FROM indicator_targets t"
                              " WHERE t.indicator_id = i.id) FROM indicators i WHERE id = ?",
                              id, "indicator", err);
    if (!s) return -1;
    const char *code = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    const char *old = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    int64_t nv = pj_col_int(s, 2), nt = pj_col_int(s, 3);
    pj_stmt_done(s);
    if (!strcmp(old, unit) || (!nv && !nt)) return 0;
    if (!nt)
        return pj_fail(err, 409, "unit_in_use", "unit",
                       "%s has %lld value%s in %s: a new unit %s would have them read in %s;"
                       " define a new indicator in %s instead",
                       code, (long long)nv, nv == 1 ? "" : "s", old, unit, unit, unit);
    return pj_fail(err, 409, "unit_in_use", "unit",
                   "%s has %lld value%s and %lld target%s in %s: a new unit %s would have them read"
                   " in %s; define a new indicator in %s instead",
                   code, (long long)nv, nv == 1 ? "" : "s", (long long)nt, nt == 1 ? "" : "s", old,
                   unit, unit, unit);
}

int pj_indicator_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {
        "version", "name", "unit", "source", "description", "higher_is_better", NULL};
    int64_t version;
    const char *name = NULL, *unit = NULL, *source = NULL, *desc = NULL;
    int hib = -1;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err) ||
        ind_fields(c, body, 0, &name, &unit, &source, &desc, &hib, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before;
    if (!(before = pj_render_to_string(c, id, ind_render, err))) goto fail;
    if (unit && unit_change_check(c, id, unit, err)) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE indicators SET name = COALESCE(?, name), unit = COALESCE(?,"
                               " unit), source = COALESCE(?, source), description = COALESCE(?,"
                               " description), higher_is_better = CASE WHEN ? < 0 THEN"
                               " higher_is_better ELSE ? END, updated_at = ?, version = version +"
                               " 1 WHERE id = ? AND version = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, unit);
    pj_stmt_text(s, 3, source);
    pj_stmt_text(s, 4, desc);
    pj_stmt_int(s, 5, hib);
    pj_stmt_int(s, 6, hib);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_int(s, 8, id);
    pj_stmt_int(s, 9, version);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (pj_db_changes(c->db) == 0) {
        pj_fail(err, 409, "version_conflict", "version",
                "the indicator was changed by someone else; reload");
        goto fail;
    }
    /* a PATCH that changes nothing writes nothing: the same version, no audit row */
    if (pj_render_update_commit(c, "indicator", id, before, ind_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- values ---- */

static int value_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT v.id, v.indicator_id, i.code, v.region, v.period, v.value,"
                              " v.unit, v.source, v.note, v.created_at, v.created_by,"
                              " v.updated_at, v.updated_by, v.version, i.name,"
                              " " PJ_SQL_BY_NAME_OF "v.created_by" PJ_SQL_BY_NAME_END ","
                              " " PJ_SQL_BY_NAME_OF "v.updated_by" PJ_SQL_BY_NAME_END
                              " FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id"
                              " WHERE v.id = ?",
                              id, "indicator value", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "indicator_id", pj_col_int(s, 1));
    pj_render_text(w, "code", s, 2);
    pj_render_text(w, "name", s, 14);
    pj_render_text(w, "region", s, 3);
    pj_render_text(w, "period", s, 4);
    pj_jw_knum(w, "value", pj_col_double(s, 5));
    pj_render_text(w, "unit", s, 6);
    pj_render_text(w, "source", s, 7);
    pj_render_text(w, "note", s, 8);
    pj_render_time(w, "created_at", pj_col_int(s, 9));
    pj_render_by(w, "created_by", s, 10, 15);
    pj_render_time(w, "updated_at", pj_col_int(s, 11));
    pj_render_by(w, "updated_by", s, 12, 16);
    pj_jw_kint(w, "version", pj_col_int(s, 13));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ind_period_begun(const pj_period *p, pj_err *err)
{
    int64_t now = pj_now();
    if (pj_period_begun(p, pj_local_day(now))) return 0;
    char per[12], today[11];
    pj_period_format(p, per);
    pj_local_date(now, today);
    return pj_fail(err, 422, "period_not_begun", "period",
                   "%s has not begun (today is %s, Beijing time): a figure planned for it is a"
                   " target (POST /api/v1/indicators/targets)",
                   per, today);
}

/* Parses a period filter; 400 bad_query on a bad one. */
static int q_period(const char *s, const char *field, pj_period *p, pj_err *err)
{
    if (pj_period_parse(s, strlen(s), p))
        return pj_fail(err, 400, "bad_query", field,
                       "%s must be a period: 2024, 2024H1, 2024Q2 or 2024-06", field);
    return 0;
}

int pj_ind_where_make(pj_ctx *c, const pj_value_filter *f, pj_ind_where *q, pj_err *err)
{
    pj_period from = {'Y', 0, 0}, to = {'Y', 9999, 0}, per;
    memset(q, 0, sizeof *q);
    if ((f->from && q_period(f->from, "from", &from, err)) ||
        (f->to && q_period(f->to, "to", &to, err)))
        return -1;
    /* the first month of from, the last of to */
    q->from = from.year * 12 + pj_period_first_month(&from) - 1;
    q->to = to.year * 12 + pj_period_first_month(&to) + pj_period_months(&to) - 2;
    /* from begins after to ends (2025 to 2024, 2024H2 to 2024Q1): nothing could match */
    if (f->from && f->to && q->from > q->to)
        return pj_q_range_fail("from", f->from, "to", f->to, err);
    if (f->period) {
        char buf[12];
        if (q_period(f->period, "period", &per, err)) return -1;
        pj_period_format(&per, buf);
        q->period = pj_arena_strdup(c->arena, buf);
    }
    if (f->kind) {
        static const char *const codes[] = {"Y", "H", "Q", "M"}; /* as stored, in that order */
        for (int i = 0; pj_period_kinds[i]; i++)
            if (!strcmp(f->kind, pj_period_kinds[i])) q->kind = codes[i];
        if (!q->kind)
            return pj_fail(err, 400, "bad_query", "period_kind",
                           "period_kind is year, half, quarter or month");
    }
    if (f->code && (q->ind = pj_indicator_id(c, f->code, err)) <= 0) {
        if (q->ind < 0) return -1;
        q->ind = -1; /* no such code: nothing matches */
    }
    /* the region as a write takes it: spaces around it trimmed, a known district (an unknown
     * one is 422 unknown_region, not an empty list) */
    q->region = f->region, q->source = f->source;
    if (q->region && pj_ind_region_check(c, &q->region, "region", err)) return -1;
    return 0;
}

int pj_ind_where_bind(pj_stmt *s, int k, const pj_ind_where *q)
{
    pj_stmt_int(s, k++, q->ind);
    pj_stmt_int(s, k++, q->ind);
    const char *texts[] = {q->region, q->period, q->kind, q->source};
    for (int t = 0; t < 4; t++) pj_stmt_text(s, k++, texts[t]), pj_stmt_text(s, k++, texts[t]);
    for (int t = 0; t < 2; t++) pj_stmt_int(s, k++, q->from), pj_stmt_int(s, k++, q->to);
    return k;
}

int pj_ind_value_list(pj_ctx *c, const pj_value_filter *f, pj_jw *w, pj_err *err)
{
    pj_ind_where q;
    if (pj_ind_where_make(c, f, &q, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT v.id FROM indicator_values v WHERE v.id > ? AND " PJ_IND_WHERE
                      " ORDER BY v.id LIMIT ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, pj_ind_where_bind(s, 2, &q), f->limit + 1);
    return pj_render_query_page(c, s, f->limit, value_render, w, err);
}

static int value_full(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    /* the value's fields, then its revisions, oldest first */
    pj_buf b;
    pj_buf_init(&b, 1 << 16);
    pj_jw tw;
    pj_jw_init(&tw, &b);
    if (value_render(c, id, &tw, err)) {
        pj_buf_free(&b);
        return -1;
    }
    b.data[b.len - 1] = 0; /* drop the closing brace; revisions follow */
    pj_jw_raw(w, b.data);
    pj_buf_free(&b);
    pj_jw *ow = w;
    /* the raw text left the object open: continue it by hand */
    pj_buf_puts(ow->out, ",\"revisions\":[");
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id, old_value, old_source, old_note, old_version,"
                      " new_value, changed_at, changed_by,"
                      " " PJ_SQL_BY_NAME_OF "indicator_revisions.changed_by" PJ_SQL_BY_NAME_END
                      " FROM indicator_revisions WHERE value_id = ? ORDER BY id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc, first = 1;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_buf tb;
        pj_buf_init(&tb, 4096);
        pj_jw rw;
        pj_jw_init(&rw, &tb);
        pj_jw_obj(&rw);
        pj_jw_kint(&rw, "id", pj_col_int(s, 0));
        pj_jw_knum(&rw, "old_value", pj_col_double(s, 1));
        pj_render_text(&rw, "old_source", s, 2);
        pj_render_text(&rw, "old_note", s, 3);
        pj_jw_kint(&rw, "old_version", pj_col_int(s, 4));
        pj_jw_knum(&rw, "new_value", pj_col_double(s, 5));
        pj_render_time(&rw, "changed_at", pj_col_int(s, 6));
        pj_render_by(&rw, "changed_by", s, 7, 8);
        pj_jw_obj_end(&rw);
        if (!first) pj_buf_putc(ow->out, ',');
        pj_buf_add(ow->out, tb.data, tb.len);
        pj_buf_free(&tb);
        first = 0;
    }
    pj_stmt_done(s);
    pj_buf_puts(ow->out, "]}");
    return rc < 0 ? -1 : 0;
}

int pj_ind_value_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    int rc = value_full(c, id, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

/* The stored row of (ind, region, per): 1 found, 0 none, -1 error. *same: 1 when v, source and
 * note (NULL: the stored one) would leave it as it is. The same value to within a few units in
 * the last place is no revision: spreadsheet writers keep 15–16 significant digits, so a figure
 * exported to XLSX and imported back may differ from the stored double in its last bit. *o gets
 * the row, its texts copied to the arena only when copy or when it would change (an import of
 * 100,000 unchanged rows copies nothing). */
static int stored_load(pj_ctx *c, int64_t ind, const char *region, const char *per, double v,
                       const char *source, const char *note, int copy, pj_ind_stored *o, int *same,
                       pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, value, source, note, version FROM indicator_values"
                               " WHERE indicator_id = ? AND region = ? AND period = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, ind);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, per);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        o->id = pj_col_int(s, 0);
        o->value = pj_col_double(s, 1);
        o->version = pj_col_int(s, 4);
        const char *os = pj_col_text(s, 2), *on = pj_col_text(s, 3);
        os = os ? os : "", on = on ? on : "";
        double d = fabs(o->value - v);
        *same = (o->value == v || d <= 4 * DBL_EPSILON * fmax(fabs(o->value), fabs(v))) &&
                (!source || !strcmp(os, source)) && (!note || !strcmp(on, note));
        o->source = copy || !*same ? pj_arena_strdup(c->arena, os) : NULL;
        o->note = copy || !*same ? pj_arena_strdup(c->arena, on) : NULL;
    }
    pj_stmt_done(s);
    return rc;
}

int pj_ind_value_check(pj_ctx *c, int64_t ind, const char *region, const pj_period *p, double v,
                       const char *source, const char *note, pj_ind_stored *old, pj_err *err)
{
    char per[12];
    pj_period_format(p, per);
    pj_ind_stored o;
    int same = 0;
    int rc = stored_load(c, ind, region, per, v, source, note, old != NULL, &o, &same, err);
    if (rc <= 0) return rc < 0 ? -1 : 0;
    if (old) *old = o;
    return same ? 2 : 1;
}

int pj_ind_value_put(pj_ctx *c, int64_t ind, const char *region, const pj_period *p, double v,
                     const char *unit, const char *source, const char *note, int64_t now,
                     int64_t *id, pj_err *err)
{
    char per[12], kind[2] = {p->kind, 0};
    pj_period_format(p, per);
    const char *who = pj_ind_who(c);
    /* a new row in one statement (the common case of an import); else compare and revise */
    pj_stmt *s = pj_db_prepare(
        c->db,
        "INSERT INTO indicator_values (id, indicator_id, region, period,"
        " period_kind, year, sub, value, unit, source, note, created_at,"
        " created_by, updated_at, updated_by) VALUES (" PJ_NEXT_ID(
            "indicator_values") ", ?, ?, ?, ?, ?, ?, ?,"
                                " ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, region, period)"
                                " DO NOTHING RETURNING id",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, ind);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, per);
    pj_stmt_text(s, 4, kind);
    pj_stmt_int(s, 5, p->year);
    pj_stmt_int(s, 6, p->sub);
    pj_stmt_double(s, 7, v);
    pj_stmt_text(s, 8, unit);
    pj_stmt_text(s, 9, source ? source : "import");
    pj_stmt_text(s, 10, note ? note : "");
    pj_stmt_int(s, 11, now);
    pj_stmt_text(s, 12, who);
    pj_stmt_int(s, 13, now);
    pj_stmt_text(s, 14, who);
    int ins = pj_stmt_step(s, err);
    if (ins == 1) *id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (ins < 0) return -1;
    if (ins == 1) return 0;
    pj_ind_stored o;
    int same = 0;
    int rc = stored_load(c, ind, region, per, v, source, note, 0, &o, &same, err);
    if (rc < 0) return -1;
    if (rc == 0) /* deleted in between: cannot happen inside the transaction */
        return pj_fail(err, 500, "internal", "", "indicator value vanished");
    *id = o.id;
    if (same) return 2;
    if (!source) source = o.source;
    if (!note) note = o.note;
    s = pj_db_prepare(c->db,
                      "INSERT INTO indicator_revisions (value_id, old_value, old_source, old_note,"
                      " old_version, new_value, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?,"
                      " ?, ?)",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, *id);
    pj_stmt_double(s, 2, o.value);
    pj_stmt_text(s, 3, o.source);
    pj_stmt_text(s, 4, o.note);
    pj_stmt_int(s, 5, o.version);
    pj_stmt_double(s, 6, v);
    pj_stmt_int(s, 7, now);
    pj_stmt_text(s, 8, who);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    s = pj_db_prepare(c->db,
                      "UPDATE indicator_values SET value = ?, unit = ?, source = ?, note = ?,"
                      " updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
                      err);
    if (!s) return -1;
    pj_stmt_double(s, 1, v);
    pj_stmt_text(s, 2, unit);
    pj_stmt_text(s, 3, source);
    pj_stmt_text(s, 4, note);
    pj_stmt_int(s, 5, now);
    pj_stmt_text(s, 6, who);
    pj_stmt_int(s, 7, *id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 1;
}

const char *pj_ind_kind_range(const char *kind, double v)
{
    if (!strcmp(kind, "share") && (v < 0 || v > 100)) return "a share in % is between 0 and 100";
    return NULL;
}

/* 422 out_of_range at value unless v fits the indicator's kind (pj_ind_kind_range). */
static int value_in_range(const char *code, const char *kind, double v, pj_err *err)
{
    const char *why = pj_ind_kind_range(kind, v);
    return why ? pj_fail(err, 422, "out_of_range", "value",
                         "%s is a %s: %.15g is out of range (%s)", code, kind, v, why)
               : 0;
}

/* Reads and checks region, unit and source of a value body against its indicator. */
static int value_meta(pj_ctx *c, json_t *b, const pj_ind_def *d, const char **region,
                      const char **source, const char **note, pj_err *err)
{
    const char *unit = NULL;
    /* the unit as the region: spaces around it trimmed ("亿元 " was "not 亿元 ") */
    if (pj_in_str(b, "region", 0, 1, 32, region, err) < 0 || pj_in_trim(b, "unit", 1, err) ||
        pj_in_str(b, "unit", 0, 1, 16, &unit, err) < 0 ||
        pj_in_str(b, "source", 0, 1, 128, source, err) < 0 ||
        pj_in_str(b, "note", 0, 0, 500, note, err) < 0)
        return -1;
    if (!pj_ind_region_ok(*region))
        return pj_fail(err, 422, "invalid_value", "region", "region must be a district name");
    /* a known district, spaces around it trimmed: a misspelt one would be a phantom peer */
    if (pj_ind_region_check(c, region, "region", err)) return -1;
    if (unit && d && strcmp(unit, d->unit))
        return pj_fail(err, 422, "unit_mismatch", "unit",
                       "indicator %s is in %s, not %s; convert before entering", d->code, d->unit,
                       unit);
    return 0;
}

int pj_ind_value_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"code", "region", "period", "value",
                                         "unit", "source", "note",   NULL};
    const char *code, *per, *region = PJ_IND_DISTRICT, *source = "manual", *note = "";
    double v;
    pj_period p;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "code", 1, 1, 48, &code, err) < 0 ||
        pj_in_str(body, "period", 1, 4, 7, &per, err) < 0 ||
        pj_in_num(body, "value", 1, -1e15, 1e15, &v, err) < 0)
        return -1;
    if (pj_period_parse(per, strlen(per), &p))
        return pj_fail(err, 422, "invalid_value", "period",
                       "period must be 2024, 2024H1, 2024Q2 or 2024-06");
    if (pj_ind_period_begun(&p, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_ind_def d;
    int64_t id = 0;
    if (pj_ind_def_load(c, code, &d, 1, err) != 1) {
        /* a code in the body naming no indicator: unknown_id, as any reference */
        if (err && err->status == 404)
            pj_fail(err, 422, "unknown_id", "code", "no indicator with code %s", code);
        goto fail;
    }
    if (value_meta(c, body, &d, &region, &source, &note, err) ||
        value_in_range(d.code, d.kind, v, err))
        goto fail;
    char pers[12];
    pj_period_format(&p, pers);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM indicator_values WHERE indicator_id = ? AND region"
                               " = ? AND period = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, d.id);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, pers);
    int rc = pj_stmt_step(s, err);
    int64_t old = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (rc == 1) {
        pj_fail(err, 409, "value_exists", "period",
                "%s already has a value for %s %s (id %lld); change it with PATCH", code, region,
                pers, (long long)old);
        goto fail;
    }
    if (pj_ind_value_put(c, d.id, region, &p, v, d.unit, source, note, pj_now(), &id, err) < 0 ||
        pj_render_commit(c, "create", "indicator_value", id, NULL, value_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ind_value_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "value", "source", "note", NULL};
    int64_t version;
    const char *source = NULL, *note = NULL;
    double v = 0;
    int has_v;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        (has_v = pj_in_num(body, "value", 0, -1e15, 1e15, &v, err)) < 0 ||
        pj_in_str(body, "source", 0, 1, 128, &source, err) < 0 ||
        pj_in_str(body, "note", 0, 0, 500, &note, err) < 0)
        return -1;
    /* "value": null is no number to store, not "keep the value": leaving the key out keeps it */
    if (json_is_null(json_object_get(body, "value")))
        return pj_fail(err, 422, "wrong_type", "value",
                       "value must be a number, not null (leave value out to keep it)");
    if (pj_in_no_null(body, NULL, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
    if (!(before = pj_render_to_string(c, id, value_render, err))) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT v.indicator_id, v.region, v.period, v.value, v.unit,"
                               " v.source, v.version, i.code, i.kind FROM indicator_values v JOIN"
                               " indicators i ON i.id = v.indicator_id WHERE v.id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_stmt_step(s, err) != 1) {
        pj_stmt_done(s);
        goto fail;
    }
    int64_t ind = pj_col_int(s, 0), cur = pj_col_int(s, 6);
    const char *region = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    const char *per = pj_arena_strdup(c->arena, pj_col_text(s, 2));
    const char *unit = pj_arena_strdup(c->arena, pj_col_text(s, 4));
    if (!has_v) v = pj_col_double(s, 3);
    if (!source) source = pj_arena_strdup(c->arena, pj_col_text(s, 5));
    const char *code = pj_arena_strdup(c->arena, pj_col_text(s, 7));
    const char *kind = pj_arena_strdup(c->arena, pj_col_text(s, 8));
    pj_stmt_done(s);
    if (cur != version) {
        pj_version_conflict(err, "value", cur, version);
        goto fail;
    }
    if (has_v && value_in_range(code, kind, v, err)) goto fail;
    pj_period p;
    pj_period_parse(per, strlen(per), &p);
    int64_t vid;
    int rc = pj_ind_value_put(c, ind, region, &p, v, unit, source, note, pj_now(), &vid, err);
    if (rc < 0) goto fail;
    if (rc == 2) { /* nothing changed: no write, no audit row */
        pj_db_rollback(c->db);
        pj_jw_raw(w, before);
        return 0;
    }
    if (!(after = pj_render_to_string(c, id, value_render, err)) ||
        pj_audit_add(c, "update", "indicator_value", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return value_full(c, id, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* Removes row id of a table (a value with its revisions, a target), audited with the record as
 * its render gives it in before: one transaction. version 0: the stored one; another than the
 * stored one is 409 version_conflict; no such row is 404. */
typedef struct ind_removal {
    const char *noun;        /* "indicator value": the 404's and 409's words */
    const char *version_sql; /* SELECT version … WHERE id = ? */
    pj_render_fn render;
    const char *const *deletes; /* DELETE … WHERE … = ?, bound to id, in this order */
    int ndeletes;
    const char *entity; /* the audit row's */
} ind_removal;

static int ind_remove(pj_ctx *c, const ind_removal *r, int64_t id, int64_t version, pj_err *err)
{
    if (pj_ind_require_writer(c, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, r->version_sql, err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t cur = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, r->noun, id);
        goto fail;
    }
    if (version && version != cur) {
        pj_version_conflict(err, r->noun, cur, version);
        goto fail;
    }
    char *before = pj_render_to_string(c, id, r->render, err);
    if (!before) goto fail;
    for (int i = 0; i < r->ndeletes; i++) {
        if (!(s = pj_db_prepare(c->db, r->deletes[i], err))) goto fail;
        pj_stmt_int(s, 1, id);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
    }
    if (pj_audit_add(c, "delete", r->entity, id, before, NULL, err) || pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* Removes a value typed for the wrong period, region or indicator, with its revisions (the
 * audit row's before keeps both: the value as GET /indicators/values/{id} shows it). */
int pj_ind_value_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err)
{
    static const char *const deletes[] = {"DELETE FROM indicator_revisions WHERE value_id = ?",
                                          "DELETE FROM indicator_values WHERE id = ?"};
    static const ind_removal r = {.noun = "indicator value",
                                  .version_sql =
                                      "SELECT version FROM indicator_values WHERE id = ?",
                                  .render = value_full,
                                  .deletes = deletes,
                                  .ndeletes = 2,
                                  .entity = "indicator_value"};
    return ind_remove(c, &r, id, version, err);
}

/* ---- targets ---- */

static int target_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT t.id, i.code, t.region, t.period, t.value, i.unit,"
                              " t.source, t.note, t.created_at, t.created_by, t.version,"
                              " " PJ_SQL_BY_NAME_OF "t.created_by" PJ_SQL_BY_NAME_END
                              " FROM indicator_targets t JOIN indicators i ON i.id = t.indicator_id"
                              " WHERE t.id = ?",
                              id, "target", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "code", s, 1);
    pj_render_text(w, "region", s, 2);
    pj_render_text(w, "period", s, 3);
    pj_jw_knum(w, "value", pj_col_double(s, 4));
    pj_render_text(w, "unit", s, 5);
    pj_render_text(w, "source", s, 6);
    pj_render_text(w, "note", s, 7);
    pj_render_time(w, "created_at", pj_col_int(s, 8));
    pj_render_by(w, "created_by", s, 9, 11);
    pj_jw_kint(w, "version", pj_col_int(s, 10));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ind_target_list(pj_ctx *c, const char *code, int64_t cursor, int limit, pj_jw *w,
                       pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT t.id FROM indicator_targets t JOIN indicators i ON i.id ="
                               " t.indicator_id WHERE t.id > ? AND (? IS NULL OR i.code = ?)"
                               " ORDER BY t.id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_text(s, 2, code);
    pj_stmt_text(s, 3, code);
    pj_stmt_int(s, 4, limit + 1);
    return pj_render_query_page(c, s, limit, target_render, w, err);
}

int pj_ind_target_put(pj_ctx *c, int64_t ind, const char *region, const char *period, double v,
                      const char *source, const char *note, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO indicator_targets (id, indicator_id, region, period,"
                               " value, source, note, created_at, created_by) VALUES (" PJ_NEXT_ID(
                                   "indicator_targets") ", ?, ?, ?, ?,"
                                                        " ?, ?, ?, ?) RETURNING id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, ind);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, period);
    pj_stmt_double(s, 4, v);
    pj_stmt_text(s, 5, source);
    pj_stmt_text(s, 6, note);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_text(s, 8, pj_ind_who(c));
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : -1;
    pj_stmt_done(s);
    if (rc != 1 && err && err->status == 409)
        pj_fail(err, 409, "conflict", "period",
                "a target for %s %s exists: correct it (PATCH with its version)", region, period);
    return rc == 1 ? (int)id : -1;
}

/* A target is the value the indicator is to reach by its period, and progress is the value
 * over it: 0 is never one (progress would divide by it); a level (亿元, 万吨, m², a count) and
 * a share cannot be negative, a share not above 100 %. A rate (growth in %) may be a planned
 * decline below 0. */
static int target_value_ok(const pj_ind_def *d, double v, pj_err *err)
{
    if (v == 0)
        return pj_fail(err, 422, "out_of_range", "value",
                       "a target of 0 means nothing to reach (progress is the value over the"
                       " target): give the value %s is to reach",
                       d->code);
    if (strcmp(d->kind, "rate") && v < 0)
        return pj_fail(err, 422, "out_of_range", "value",
                       "%s is a %s in %s and cannot be below 0: a target must be more than 0",
                       d->code, d->kind, d->unit);
    if (!strcmp(d->kind, "share") && v > 100)
        return pj_fail(err, 422, "out_of_range", "value",
                       "%s is a share in %%: a target is at most 100", d->code);
    return 0;
}

int pj_ind_target_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"code",   "region", "period", "value",
                                         "source", "note",   NULL};
    const char *code, *per, *region = PJ_IND_DISTRICT, *source = "manual", *note = "";
    double v;
    pj_period p;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "code", 1, 1, 48, &code, err) < 0 ||
        pj_in_str(body, "period", 1, 4, 7, &per, err) < 0 ||
        pj_in_num(body, "value", 1, -1e15, 1e15, &v, err) < 0 ||
        value_meta(c, body, NULL, &region, &source, &note, err))
        return -1;
    if (pj_period_parse(per, strlen(per), &p))
        return pj_fail(err, 422, "invalid_value", "period",
                       "period must be 2024, 2024H1, 2024Q2 or 2024-06");
    char pers[12];
    pj_period_format(&p, pers);
    if (pj_db_begin(c->db, err)) return -1;
    pj_ind_def d;
    int id;
    if (pj_ind_def_load(c, code, &d, 1, err) != 1) {
        /* a code in the body naming no indicator: unknown_id, as any reference */
        if (err && err->status == 404)
            pj_fail(err, 422, "unknown_id", "code", "no indicator with code %s", code);
        goto fail;
    }
    if (target_value_ok(&d, v, err) ||
        (id = pj_ind_target_put(c, d.id, region, pers, v, source, note, err)) < 0 ||
        pj_render_commit(c, "create", "indicator_target", id, NULL, target_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ind_target_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    int rc = target_render(c, id, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

int pj_ind_target_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "value", "source", "note", NULL};
    int64_t version;
    double v = 0;
    const char *source = NULL, *note = NULL;
    int has_v;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err) ||
        (has_v = pj_in_num(body, "value", 0, -1e15, 1e15, &v, err)) < 0 ||
        pj_in_str(body, "source", 0, 1, 128, &source, err) < 0 ||
        pj_in_str(body, "note", 0, 0, 500, &note, err) < 0)
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT i.code, t.value, t.source, t.note, t.version FROM"
                               " indicator_targets t JOIN indicators i ON i.id = t.indicator_id"
                               " WHERE t.id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    const char *code = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : NULL;
    double old = rc == 1 ? pj_col_double(s, 1) : 0;
    const char *old_source = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 2)) : NULL;
    const char *old_note = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 3)) : NULL;
    int64_t stored = rc == 1 ? pj_col_int(s, 4) : 0;
    pj_stmt_done(s);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "target", id);
        goto fail;
    }
    if (version != stored) {
        pj_version_conflict(err, "target", stored, version);
        goto fail;
    }
    pj_ind_def d;
    char *before;
    if (!has_v) v = old;
    if (!source) source = old_source;
    if (!note) note = old_note;
    if (pj_ind_def_load(c, code, &d, 1, err) != 1 || target_value_ok(&d, v, err)) goto fail;
    if (!(before = pj_render_to_string(c, id, target_render, err))) goto fail;
    if (v == old && !strcmp(source, old_source) && !strcmp(note, old_note)) {
        pj_db_rollback(c->db); /* nothing changed: no write, no audit row */
        pj_jw_raw(w, before);
        return 0;
    }
    s = pj_db_prepare(c->db,
                      "UPDATE indicator_targets SET value = ?, source = ?, note = ?, version ="
                      " version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_double(s, 1, v);
    pj_stmt_text(s, 2, source);
    pj_stmt_text(s, 3, note);
    pj_stmt_int(s, 4, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 ||
        pj_render_commit(c, "update", "indicator_target", id, before, target_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* Removes a target (a wrong period or region, or one no longer in force); audited with the
 * target in before. version as pj_ind_value_delete. */
int pj_ind_target_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err)
{
    static const char *const deletes[] = {"DELETE FROM indicator_targets WHERE id = ?"};
    static const ind_removal r = {.noun = "target",
                                  .version_sql =
                                      "SELECT version FROM indicator_targets WHERE id = ?",
                                  .render = target_render,
                                  .deletes = deletes,
                                  .ndeletes = 1,
                                  .entity = "indicator_target"};
    return ind_remove(c, &r, id, version, err);
}
