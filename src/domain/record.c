/* Records described by a table (record.h): SQL built from the kind's static description —
 * column names come from the description only, every value is a bound parameter. */
#include "domain/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/input.h"
#include "domain/refs.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

#define SQL_MAX 4096

typedef struct sqlb {
    char s[SQL_MAX];
    size_t n;
    int over; /* the text did not fit: never run it (a cut could drop the scope clause) */
} sqlb;

static void add(sqlb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(sqlb *b, const char *fmt, ...)
{
    if (b->over) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    if (k < 0 || b->n + (size_t)k >= sizeof b->s) {
        b->over = 1;
        b->s[b->n] = 0;
        return;
    }
    b->n += (size_t)k;
}

/* Prepares the built statement; 500 when it was too long to build whole. */
static pj_stmt *prep(pj_ctx *c, const sqlb *b, pj_err *err)
{
    if (b->over) {
        pj_fail(err, 500, "internal", "", "query longer than %d bytes", SQL_MAX);
        return NULL;
    }
    return pj_db_prepare(c->db, b->s, err);
}

static int run_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_err *err);

int pj_rec_date_ok(const char *s)
{
    if (!s || strlen(s) != 10) return 0;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

void pj_rec_today(char out[11])
{
    pj_local_date(pj_now(), out); /* the district's date, not UTC's */
}

int pj_rec_state_rank(const char *const states[], const char *s)
{
    for (int i = 0; s && states[i]; i++)
        if (!strcmp(s, states[i])) return i;
    return -1;
}

int pj_rec_state_step_ok(const char *const states[], const char *from, const char *to)
{
    int a = pj_rec_state_rank(states, from), b = pj_rec_state_rank(states, to);
    return a >= 0 && b >= 0 && (b == a || b == a + 1);
}

int pj_rec_date_happened(json_t *body, const json_t *row, const char *key, int reaching, int stored,
                         const char *today, const char *noun, const char *what, pj_err *err)
{
    const char *d = json_string_value(json_object_get(row, key));
    if (!d) {
        if (reaching && !stored) {
            json_object_set_new(body, key, json_string(today));
            return 0;
        }
        /* cleared, or never given for a state reached before (a train recorded as suspended) */
        return pj_fail(err, 422, "invalid_value", key, "%s %s: the %s %s", key,
                       stored ? "may not be cleared" : "is required", noun, what);
    }
    if (strcmp(d, today) > 0)
        return pj_fail(err, 422, "invalid_value", key,
                       "%s %s is in the future: the %s %s (today is %s, Beijing time)", key, d,
                       noun, what, today);
    return 0;
}

int pj_rec_stored_state(pj_ctx *c, const pj_rec_kind *k, int64_t id, const char *date,
                        const char **state, int *has_date, pj_err *err)
{
    *state = NULL;
    if (has_date) *has_date = 0;
    if (!id) return 0;
    sqlb b = {.n = 0};
    add(&b, "SELECT state, %s FROM %s WHERE id = ?", date ? date : "NULL", k->table);
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        *state = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        if (has_date) *has_date = !pj_col_is_null(s, 1);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static const pj_rec_field *field_of(const pj_rec_kind *k, const char *name)
{
    for (int i = 0; i < k->nfields; i++)
        if (!strcmp(k->fields[i].name, name)) return &k->fields[i];
    return NULL;
}

/* ---- rendering ---- */

static int has_key(const pj_rec_kind *k, const char *name)
{
    for (int i = 0; i < k->nfields; i++)
        if (!strcmp(k->fields[i].name, name)) return 1;
    for (int i = 0; i < k->nextras; i++)
        if (!strcmp(k->extras[i].name, name)) return 1;
    return 0;
}

/* The scope a row is written under, shown with it when it is not a field of its own (a
 * tenancy's township is its warehouse's): so that a client can tell who may change it. */
static const char *scope_town(const pj_rec_kind *k)
{
    return k->town_sql && !has_key(k, "township_id") ? k->town_sql : NULL;
}
static const char *scope_org(const pj_rec_kind *k)
{
    return k->org_sql && strcmp(k->org_sql, "NULL") && !has_key(k, "organisation_id") ? k->org_sql
                                                                                      : NULL;
}

static int own_extras(const pj_rec_kind *k)
{
    for (int i = 0; i < k->nextras; i++)
        if (k->extras[i].own_sql) return 1;
    return 0;
}

/* own: an enterprise user reads it, the extras with own_sql bind its organisation as ?2 */
static void select_list(sqlb *b, const pj_rec_kind *k, int own)
{
    add(b, "SELECT t.id");
    for (int i = 0; i < k->nfields; i++) add(b, ", t.%s", k->fields[i].name);
    add(b, ", t.source, t.created_at, t.updated_at, t.version");
    for (int i = 0; i < k->nextras; i++)
        add(b, ", (%s)", own && k->extras[i].own_sql ? k->extras[i].own_sql : k->extras[i].sql);
    if (scope_town(k)) add(b, ", (%s)", scope_town(k));
    if (scope_org(k)) add(b, ", (%s)", scope_org(k));
    add(b, " FROM %s t", k->table);
}

static void render_col(pj_jw *w, const char *key, pj_rec_type type, pj_stmt *s, int col)
{
    if (pj_col_is_null(s, col)) {
        pj_jw_knull(w, key);
        return;
    }
    switch (type) {
    case PJ_RT_INT:
    case PJ_RT_REF:
        pj_jw_kint(w, key, pj_col_int(s, col));
        break;
    case PJ_RT_NUM:
        pj_jw_knum(w, key, pj_col_double(s, col));
        break;
    case PJ_RT_BOOL:
        pj_jw_kbool(w, key, pj_col_int(s, col) != 0);
        break;
    default:
        pj_jw_kstr(w, key, pj_col_text(s, col));
    }
}

static int render(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_jw *w, pj_err *err)
{
    sqlb b = {.n = 0};
    int own = c->actor.role == PJ_ROLE_ENTERPRISE && own_extras(k);
    select_list(&b, k, own);
    add(&b, " WHERE t.id = ?1");
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    if (own) pj_stmt_int(s, 2, c->actor.organisation_id ? c->actor.organisation_id : -1);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        return rc < 0 ? -1 : pj_not_found(err, k->noun, id);
    }
    int n = k->nfields;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    for (int i = 0; i < n; i++) render_col(w, k->fields[i].name, k->fields[i].type, s, 1 + i);
    for (int i = 0; i < k->nextras; i++)
        render_col(w, k->extras[i].name, k->extras[i].type, s, n + 5 + i);
    int col = n + 5 + k->nextras;
    if (scope_town(k)) render_col(w, "township_id", PJ_RT_REF, s, col++);
    if (scope_org(k)) render_col(w, "organisation_id", PJ_RT_REF, s, col++);
    if (k->more) k->more(s, w);
    pj_render_text(w, "source", s, n + 1);
    char iso[21];
    pj_time_iso(pj_col_int(s, n + 2), iso);
    pj_jw_kstr(w, "created_at", iso);
    pj_time_iso(pj_col_int(s, n + 3), iso);
    pj_jw_kstr(w, "updated_at", iso);
    pj_jw_kint(w, "version", pj_col_int(s, n + 4));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

char *pj_rec_render_string(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err)
{
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    char *r = NULL;
    if (render(c, k, id, &w, err) == 0) r = pj_arena_strdup(c->arena, out.data ? out.data : "");
    pj_buf_free(&out);
    if (!r && err && !err->status) pj_fail(err, 500, "internal", "", "out of memory");
    return r;
}

/* ---- scope ---- */

/* An enterprise's rows: its organisation's, or (seen_sql) those of things it owns; one parameter,
 * the organisation. */
static void own_clause(sqlb *b, const pj_rec_kind *k, int own)
{
    if (!own) return;
    if (k->seen_sql)
        add(b, " AND ? IN ((%s), (%s))", k->org_sql, k->seen_sql);
    else
        add(b, " AND (%s) = ?", k->org_sql);
}

/* 1 when the actor may see the row, 0 when it does not exist for them, -1 on error. */
static int visible(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err)
{
    sqlb b = {.n = 0};
    int own = c->actor.role == PJ_ROLE_ENTERPRISE && k->org_sql;
    add(&b, "SELECT 1 FROM %s t WHERE t.id = ?", k->table);
    own_clause(&b, k, own);
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    if (own) pj_stmt_int(s, 2, c->actor.organisation_id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc;
}

static int may_write(const pj_ctx *c, const pj_rec_kind *k, pj_err *err)
{
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
        return 0;
    case PJ_ROLE_TOWNSHIP_OFFICER:
        if (k->town_sql && c->actor.township_id) return 0;
        break;
    case PJ_ROLE_ENTERPRISE:
        if (k->enterprise_writes && k->org_sql && c->actor.organisation_id) return 0;
        break;
    default:
        break;
    }
    return pj_fail(err, 403, "forbidden", "", "your role may not change %ss", k->noun);
}

/* The row's township (town = 1) or organisation (town = 0) into *v. */
static int scope_value(pj_ctx *c, const pj_rec_kind *k, int64_t id, int town, int64_t *v,
                       pj_err *err)
{
    sqlb b = {.n = 0};
    add(&b, "SELECT (%s) FROM %s t WHERE t.id = ?", town ? k->town_sql : k->org_sql, k->table);
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    *v = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* The written (or to be written) row must lie in the actor's scope. */
static int row_scope(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err)
{
    if (c->actor.role != PJ_ROLE_TOWNSHIP_OFFICER && c->actor.role != PJ_ROLE_ENTERPRISE) return 0;
    int town = c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER;
    int64_t v;
    if (scope_value(c, k, id, town, &v, err)) return -1;
    if (town && v != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "township_id", "the %s is outside your township",
                       k->noun);
    if (!town && v != c->actor.organisation_id)
        return pj_fail(err, 403, "forbidden", "organisation_id",
                       "an enterprise acts only for its own organisation");
    return 0;
}

/* An enterprise changes its rows but does not move them to another township: that would hand
 * them to another township's officers (the field named: township_id, else the reference that
 * moved it). */
static int same_township(pj_ctx *c, const pj_rec_kind *k, int64_t id, int64_t before,
                         const char *field, pj_err *err)
{
    int64_t after;
    if (scope_value(c, k, id, 1, &after, err)) return -1;
    if (after == before) return 0;
    return pj_fail(err, 403, "forbidden", field,
                   "an enterprise cannot move a %s to another township; its township's officers"
                   " or the district can",
                   k->noun);
}

/* ---- input ---- */

static int check_field(pj_ctx *c, const pj_rec_field *f, json_t *body, int creating, pj_err *err)
{
    json_t *v = json_object_get(body, f->name);
    if (!v) {
        if (creating && (f->flags & PJ_RF_REQ))
            return pj_fail(err, 422, "missing_field", f->name, "%s is required", f->name);
        return 0;
    }
    if (!creating && (f->flags & PJ_RF_FIXED))
        return pj_fail(err, 422, "read_only", f->name, "%s is set when the record is created",
                       f->name);
    if (json_is_null(v)) {
        if ((f->flags & PJ_RF_NULL) || (f->type == PJ_RT_REF && !(f->flags & PJ_RF_REQ))) return 0;
        return pj_fail(err, 422, "invalid_value", f->name, "%s may not be null", f->name);
    }
    const char *str;
    int64_t i;
    double d;
    int bv;
    switch (f->type) {
    case PJ_RT_TEXT:
        /* stored as checked: without the spaces around it, never blank */
        if (pj_in_trim(body, f->name, f->min > 0, err)) return -1;
        return pj_in_str(body, f->name, 1, (size_t)f->min, (size_t)f->max, &str, err) < 0 ? -1 : 0;
    case PJ_RT_INT:
        return pj_in_int(body, f->name, 1, (int64_t)f->min, (int64_t)f->max, &i, err) < 0 ? -1 : 0;
    case PJ_RT_NUM:
        return pj_in_num(body, f->name, 1, f->min, f->max, &d, err) < 0 ? -1 : 0;
    case PJ_RT_BOOL:
        return pj_in_bool(body, f->name, 1, &bv, err) < 0 ? -1 : 0;
    case PJ_RT_ENUM:
        return pj_in_enum(body, f->name, 1, f->values, &str, err) < 0 ? -1 : 0;
    case PJ_RT_DATE:
    case PJ_RT_MONTH: {
        /* a text of another length is not "too long" (a date-time in a date field) */
        size_t n = f->type == PJ_RT_DATE ? 10 : 7;
        if (pj_in_str(body, f->name, 1, n, n, &str, err) < 0) return -1;
        if (f->type == PJ_RT_DATE ? !pj_rec_date_ok(str) : !pj_month_valid(str))
            return pj_fail(err, 422, "invalid_value", f->name, "%s must be %s", f->name,
                           f->type == PJ_RT_DATE ? "a date YYYY-MM-DD" : "a month YYYY-MM");
        return 0;
    }
    case PJ_RT_REF: {
        if (pj_in_ref(body, f->name, 1, &i, err) < 0) return -1;
        pj_stmt *s = pj_db_prepare(c->db, f->ref, err);
        if (!s) return -1;
        pj_stmt_int(s, 1, i);
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (!rc)
            return pj_fail(err, 422, "unknown_id", f->name, "no %s %lld", f->name, (long long)i);
        return 0;
    }
    }
    return 0;
}

/* Checks the body of a create (creating = 1) or an update. */
static int check_body(pj_ctx *c, const pj_rec_kind *k, json_t *body, int creating, pj_err *err)
{
    if (pj_in_object(body, err)) return -1;
    const char **allowed = pj_arena_alloc(c->arena, sizeof(char *) * (size_t)(k->nfields + 2));
    for (int i = 0; i < k->nfields; i++) allowed[i] = k->fields[i].name;
    allowed[k->nfields] = creating ? "source" : "version";
    allowed[k->nfields + 1] = NULL;
    if (pj_in_only(body, allowed, err)) return -1;
    if (creating) {
        const char *src;
        if (json_is_null(json_object_get(body, "source")))
            return pj_fail(err, 422, "invalid_value", "source", "source may not be null");
        if (pj_in_str(body, "source", 0, 1, 32, &src, err) < 0) return -1;
    } else {
        int64_t v;
        if (pj_in_int(body, "version", 1, 1, INT64_MAX, &v, err) < 0) return -1;
    }
    for (int i = 0; i < k->nfields; i++)
        if (check_field(c, &k->fields[i], body, creating, err)) return -1;
    return 0;
}

int pj_rec_facility_reach(pj_ctx *c, int64_t fac, pj_err *err)
{
    int town = c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER;
    if (!fac || (!town && c->actor.role != PJ_ROLE_ENTERPRISE)) return 0;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT township_id, operator_id FROM facilities WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fac);
    int rc = pj_stmt_step(s, err);
    int64_t v = rc == 1 ? pj_col_int(s, town ? 0 : 1) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return 0; /* the reference's own check says it does not exist */
    if (town && v != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "facility_id",
                       "facility %lld is township %lld's: link a facility of your township",
                       (long long)fac, (long long)v);
    if (!town && v != c->actor.organisation_id)
        return pj_fail(err, 403, "forbidden", "facility_id",
                       "the facility is not operated by your organisation");
    return 0;
}

/* The facility_id a create or a change of row id (0 for a create) links is one the writer
 * reaches (pj_rec_facility_reach); a change that sends the stored one again is no new link. */
static int facility_reach(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_err *err)
{
    json_t *fac = json_object_get(body, "facility_id");
    if (!field_of(k, "facility_id") || !json_is_integer(fac)) return 0;
    /* a link beside the row's own township (organisation); a row whose township is its
     * facility's (a drill plan) is scoped by it instead (row_scope) */
    if (!field_of(k, c->actor.role == PJ_ROLE_ENTERPRISE ? "organisation_id" : "township_id"))
        return 0;
    if (id) {
        sqlb b = {.n = 0};
        add(&b, "SELECT 1 FROM %s WHERE id = ? AND facility_id = ?", k->table);
        pj_stmt *s = prep(c, &b, err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_stmt_int(s, 2, json_integer_value(fac));
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc) return rc < 0 ? -1 : 0;
    }
    return pj_rec_facility_reach(c, json_integer_value(fac), err);
}

/* An enterprise writes for its own organisation: an absent organisation_id becomes theirs; and
 * any writer links only a facility they reach. */
static int own_org(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, int creating,
                   pj_err *err)
{
    if (facility_reach(c, k, id, body, err)) return -1;
    if (c->actor.role != PJ_ROLE_ENTERPRISE || !field_of(k, "organisation_id")) return 0;
    json_t *v = json_object_get(body, "organisation_id");
    if (!v && creating && json_is_object(body))
        return json_object_set_new(body, "organisation_id", json_integer(c->actor.organisation_id))
                   ? pj_fail(err, 500, "internal", "", "out of memory")
                   : 0;
    if (v && !(json_is_integer(v) && json_integer_value(v) == c->actor.organisation_id))
        return pj_fail(err, 403, "forbidden", "organisation_id",
                       "an enterprise acts only for its own organisation");
    return 0;
}

static void bind_json(pj_stmt *s, int idx, const pj_rec_field *f, json_t *v)
{
    if (!v || json_is_null(v)) {
        pj_stmt_null(s, idx);
        return;
    }
    switch (f->type) {
    case PJ_RT_INT:
    case PJ_RT_REF:
        pj_stmt_int(s, idx, json_integer_value(v));
        break;
    case PJ_RT_NUM:
        pj_stmt_double(s, idx, json_number_value(v));
        break;
    case PJ_RT_BOOL:
        pj_stmt_int(s, idx, json_is_true(v));
        break;
    default:
        pj_stmt_text(s, idx, json_string_value(v));
    }
}

/* A unique key refused the row: 409 naming the field the database named (its first column). */
static void conflict(pj_err *err, const pj_rec_kind *k)
{
    char f[sizeof err->field];
    snprintf(f, sizeof f, "%s", err->field);
    if (*f)
        pj_fail(err, 409, "conflict", f, "such a %s exists already (the same %s)", k->noun, f);
    else
        pj_fail(err, 409, "conflict", "", "such a %s exists already", k->noun);
}

int pj_rec_link_once(pj_ctx *c, const pj_rec_kind *k, int64_t id, const json_t *row,
                     const char *field, pj_err *err)
{
    json_t *v = json_object_get(row, field);
    if (!json_is_integer(v)) return 0;
    sqlb b = {.n = 0};
    add(&b, "SELECT 1 FROM %s WHERE %s = ? AND id <> ?", k->table, field);
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(v));
    pj_stmt_int(s, 2, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* the other record is not named: it may be one the caller may not see */
    if (rc == 1)
        return pj_fail(err, 409, "conflict", field,
                       "%s %lld is linked to another %s already; it can be one %s's only", field,
                       (long long)json_integer_value(v), k->noun, k->noun);
    return 0;
}

static int do_insert(pj_ctx *c, const pj_rec_kind *k, json_t *body, int64_t *id, pj_err *err)
{
    sqlb b = {.n = 0};
    add(&b, "INSERT INTO %s (id, ", k->table);
    int n = 0;
    for (int i = 0; i < k->nfields; i++)
        if (json_object_get(body, k->fields[i].name)) add(&b, "%s, ", k->fields[i].name);
    add(&b, "source, created_at, updated_at) VALUES (" PJ_NEXT_ID("%s") ", ", k->table, k->table);
    for (int i = 0; i < k->nfields; i++)
        if (json_object_get(body, k->fields[i].name)) add(&b, "?, ");
    add(&b, "?, ?, ?) RETURNING id");
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    for (int i = 0; i < k->nfields; i++) {
        json_t *v = json_object_get(body, k->fields[i].name);
        if (v) bind_json(s, ++n, &k->fields[i], v);
    }
    json_t *src = json_object_get(body, "source");
    pj_stmt_text(s, ++n, src ? json_string_value(src) : "manual");
    int64_t now = pj_now();
    pj_stmt_int(s, ++n, now);
    pj_stmt_int(s, ++n, now);
    int rc = pj_stmt_step(s, err);
    *id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) {
        if (rc == 0) pj_fail(err, 500, "internal", "", "insert returned no row");
        if (err && err->status == 409) conflict(err, k);
        return -1;
    }
    return 0;
}

int pj_rec_insert(pj_ctx *c, const pj_rec_kind *k, json_t *body, int64_t *id, pj_err *err)
{
    if (check_body(c, k, body, 1, err) || run_check(c, k, 0, body, err)) return -1;
    return do_insert(c, k, body, id, err);
}

/* ---- for demos ---- */

int pj_rec_put(pj_ctx *c, const pj_rec_kind *k, json_t *b, int64_t *id, pj_err *err)
{
    int64_t dummy;
    if (!b) return pj_fail(err, 500, "internal", "", "out of memory");
    int rc = pj_rec_insert(c, k, b, id ? id : &dummy, err);
    json_decref(b);
    return rc;
}

json_t *pj_rec_ref(json_t *b, const char *key, int64_t id)
{
    if (b && id > 0) json_object_set_new(b, key, json_integer(id));
    return b;
}

int64_t pj_rec_id_by_name(pj_ctx *c, const char *sql, const char *name, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_text(s, 1, name);
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : id;
}

uint64_t pj_rec_rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* ---- the calls ---- */

int pj_rec_get(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_jw *w, pj_err *err)
{
    int rc = visible(c, k, id, err);
    if (rc < 0) return -1;
    if (!rc) return pj_not_found(err, k->noun, id);
    return render(c, k, id, w, err);
}

static int q_value(const pj_rec_field *f, const char *key, const char *v, pj_stmt *s, int idx,
                   pj_err *err)
{
    int64_t i;
    double d;
    switch (f->type) {
    case PJ_RT_INT:
        if (pj_parse_i64(v, &i))
            return pj_fail(err, 400, "bad_query", key, "%s must be an integer", key);
        /* outside what the field holds, no row has it: a mistake, said as the field's range
         * (year=-1 listed nothing, as if no result were of that year) */
        if ((f->min < f->max) && ((double)i < f->min || (double)i > f->max))
            return pj_fail(err, 400, "bad_query", key, "%s must be between %.15g and %.15g", key,
                           f->min, f->max);
        pj_stmt_int(s, idx, i);
        return 0;
    case PJ_RT_REF:
        /* an id, as the registry's lists take one: 0 or below is a mistake, not a filter that
         * matches nothing */
        if (pj_parse_i64(v, &i) || i < 1)
            return pj_fail(err, 400, "bad_query", key, "%s must be an integer from 1 to %lld", key,
                           (long long)INT64_MAX);
        pj_stmt_int(s, idx, i);
        return 0;
    case PJ_RT_NUM:
        if (pj_parse_double(v, &d))
            return pj_fail(err, 400, "bad_query", key, "%s must be a number", key);
        pj_stmt_double(s, idx, d);
        return 0;
    case PJ_RT_BOOL:
        if (strcmp(v, "true") && strcmp(v, "false"))
            return pj_fail(err, 400, "bad_query", key, "%s is true or false", key);
        pj_stmt_int(s, idx, !strcmp(v, "true"));
        return 0;
    case PJ_RT_ENUM:
        if (pj_q_enum(key, v, f->values, err)) return -1;
        break;
    case PJ_RT_DATE:
        if (!pj_rec_date_ok(v))
            return pj_fail(err, 400, "bad_query", key, "%s must be a date YYYY-MM-DD", key);
        break;
    case PJ_RT_MONTH:
        if (!pj_month_valid(v))
            return pj_fail(err, 400, "bad_query", key, "%s must be a month YYYY-MM", key);
        break;
    default:
        if (pj_utf8_len(v, strlen(v)) > 64)
            return pj_fail(err, 400, "bad_query", key, "%s is longer than 64 characters", key);
    }
    pj_stmt_text(s, idx, v);
    return 0;
}

/* 1 when q's i-th parameter was given before it: a repeated parameter counts with its first
 * value (an empty one included), as everywhere in the API, the later ones are left out. */
static int repeated(const pj_rec_query *q, int i)
{
    for (int j = 0; j < i; j++)
        if (!strcmp(q->keys[j], q->keys[i])) return 1;
    return 0;
}

int pj_rec_list(pj_ctx *c, const pj_rec_kind *k, const pj_rec_query *q, pj_jw *w, pj_err *err)
{
    int64_t limit = 50, cursor = 0;
    const pj_rec_field *range = k->range ? field_of(k, k->range) : NULL;
    sqlb b = {.n = 0};
    add(&b, "SELECT t.id FROM %s t WHERE t.id > ?", k->table);
    /* first pass: names and the SQL; second: binding in the same order */
    for (int i = 0; i < q->n; i++) {
        const char *key = q->keys[i], *v = q->vals[i];
        if (key[0] == '_' || repeated(q, i)) continue;
        if (!strcmp(key, "limit") || !strcmp(key, "cursor")) {
            int64_t x;
            int lim = !strcmp(key, "limit");
            if (!*v) continue;
            if (pj_parse_i64(v, &x) || x < (lim ? 1 : 0) || x > (lim ? 500 : INT64_MAX))
                return pj_fail(err, 400, "bad_query", key, "%s must be an integer from %d to %s",
                               key, lim, lim ? "500" : "2^63");
            *(lim ? &limit : &cursor) = x;
            continue;
        }
        const pj_rec_field *f = field_of(k, key);
        if (f && (f->flags & PJ_RF_FILTER)) {
            if (*v) add(&b, " AND t.%s = ?", f->name);
            continue;
        }
        if (range && (!strcmp(key, "from") || !strcmp(key, "to"))) {
            if (*v) add(&b, " AND t.%s %s ?", range->name, key[0] == 'f' ? ">=" : "<=");
            continue;
        }
        return pj_fail(err, 400, "unknown_parameter", key, "unknown parameter %s", key);
    }
    int own = c->actor.role == PJ_ROLE_ENTERPRISE && k->org_sql;
    own_clause(&b, k, own);
    add(&b, " ORDER BY t.id LIMIT ?");
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    int idx = 1;
    pj_stmt_int(s, idx++, cursor);
    for (int i = 0; i < q->n; i++) {
        const char *key = q->keys[i], *v = q->vals[i];
        if (key[0] == '_' || !*v || repeated(q, i) || !strcmp(key, "limit") ||
            !strcmp(key, "cursor"))
            continue;
        const pj_rec_field *f = field_of(k, key);
        if (!(f && (f->flags & PJ_RF_FILTER))) f = range;
        if (q_value(f, key, v, s, idx++, err)) {
            pj_stmt_done(s);
            return -1;
        }
    }
    /* the range's bounds, each checked above: a start after the end would match nothing */
    const char *rfrom = NULL, *rto = NULL;
    for (int i = 0; range && i < q->n; i++) {
        if (!*q->vals[i] || repeated(q, i)) continue;
        if (!rfrom && !strcmp(q->keys[i], "from")) rfrom = q->vals[i];
        if (!rto && !strcmp(q->keys[i], "to")) rto = q->vals[i];
    }
    if (rfrom && rto && strcmp(rfrom, rto) > 0) {
        pj_stmt_done(s);
        return pj_q_range_fail("from", rfrom, "to", rto, err);
    }
    if (own) pj_stmt_int(s, idx++, c->actor.organisation_id);
    pj_stmt_int(s, idx, limit + 1);
    int started = pj_db_read_begin(c->db);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(limit + 1));
    int n = 0, rc = 0;
    while (n <= limit && (rc = pj_stmt_step(s, err)) == 1) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) {
        pj_db_read_end(c->db, started);
        return -1;
    }
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    for (int i = 0; i < n && i < limit; i++)
        if (render(c, k, ids[i], w, err)) {
            pj_db_read_end(c->db, started);
            return -1;
        }
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, n > limit, n > limit ? ids[limit - 1] : 0);
    pj_jw_obj_end(w);
    pj_db_read_end(c->db, started);
    return 0;
}

const char *pj_rec_list_param(const pj_rec_kind *k, int i)
{
    for (int j = 0; j < k->nfields; j++)
        if ((k->fields[j].flags & PJ_RF_FILTER) && i-- == 0) return k->fields[j].name;
    static const char *const ranged[] = {"from", "to", "limit", "cursor", NULL};
    const char *const *rest = k->range ? ranged : ranged + 2;
    for (int j = 0; rest[j]; j++)
        if (i-- == 0) return rest[j];
    return NULL;
}

static int own_row_first(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_err *err);

int pj_rec_create(pj_ctx *c, const pj_rec_kind *k, json_t *body, pj_jw *w, pj_err *err)
{
    int64_t id;
    char *after;
    if (may_write(c, k, err) || own_org(c, k, 0, body, 1, err) || check_body(c, k, body, 1, err))
        return -1;
    /* the rule across rows (a tenancy's share of its warehouse) is checked inside the write's
     * transaction, so that no other writer slips in between the check and the write */
    if (pj_db_begin(c->db, err)) return -1;
    if (own_row_first(c, k, 0, body, err) || run_check(c, k, 0, body, err) ||
        do_insert(c, k, body, &id, err) || row_scope(c, k, id, err) ||
        !(after = pj_rec_render_string(c, k, id, err)) ||
        pj_audit_add(c, "create", k->name, id, NULL, after, err) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    pj_jw_raw(w, after);
    return 0;
}

static int64_t cur_version(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err)
{
    sqlb b = {.n = 0};
    add(&b, "SELECT version FROM %s WHERE id = ?", k->table);
    pj_stmt *s = prep(c, &b, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t v = rc == 1 ? pj_col_int(s, 0) : -1;
    pj_stmt_done(s);
    return v;
}

/* The stored row's fields overlaid by the body's: what an update would leave (NULL on error). */
static json_t *merged_row(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_err *err)
{
    sqlb b = {.n = 0};
    add(&b, "SELECT t.id");
    for (int i = 0; i < k->nfields; i++) add(&b, ", t.%s", k->fields[i].name);
    add(&b, " FROM %s t WHERE t.id = ?", k->table);
    pj_stmt *s = prep(c, &b, err);
    if (!s) return NULL;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    json_t *row = rc == 1 ? json_object() : NULL;
    for (int i = 0; row && i < k->nfields; i++) {
        const pj_rec_field *f = &k->fields[i];
        json_t *v = json_object_get(body, f->name);
        if (v) {
            json_object_set(row, f->name, v);
            continue;
        }
        if (pj_col_is_null(s, 1 + i)) {
            v = json_null();
        } else {
            switch (f->type) {
            case PJ_RT_INT:
            case PJ_RT_REF:
                v = json_integer(pj_col_int(s, 1 + i));
                break;
            case PJ_RT_NUM:
                v = json_real(pj_col_double(s, 1 + i));
                break;
            case PJ_RT_BOOL:
                v = json_boolean(pj_col_int(s, 1 + i) != 0);
                break;
            default:
                v = json_string(pj_col_text(s, 1 + i));
            }
        }
        json_object_set_new(row, f->name, v);
    }
    pj_stmt_done(s);
    if (rc == 0) pj_not_found(err, k->noun, id);
    return row;
}

/* An enterprise's write lies in its own organisation as the row would be written (its
 * organisation, or that of the project, farm or warehouse it refers to), checked before the
 * kind's rules and the write itself: a refusal of those names what the row refers to (a
 * project's start, a farm's area, a name taken), which a row of another organisation must not
 * tell. Township officers read every row; their scope is checked once the row is written (a
 * kind's rules may fill its township in). */
static int own_row_first(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_err *err)
{
    if (c->actor.role != PJ_ROLE_ENTERPRISE || !k->org_sql) return 0;
    json_t *row = id ? merged_row(c, k, id, body, err) : json_incref(body);
    if (!row) return -1;
    sqlb b = {.n = 0};
    add(&b, "WITH t(id");
    for (int i = 0; i < k->nfields; i++) add(&b, ", %s", k->fields[i].name);
    add(&b, ") AS (SELECT ?");
    for (int i = 0; i < k->nfields; i++) add(&b, ", ?");
    add(&b, ") SELECT (%s) FROM t", k->org_sql);
    pj_stmt *s = prep(c, &b, err);
    if (!s) {
        json_decref(row);
        return -1;
    }
    pj_stmt_int(s, 1, id);
    for (int i = 0; i < k->nfields; i++)
        bind_json(s, 2 + i, &k->fields[i], json_object_get(row, k->fields[i].name));
    int rc = pj_stmt_step(s, err);
    int64_t org = rc == 1 && !pj_col_is_null(s, 0) ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    json_decref(row);
    if (rc < 0) return -1;
    if (org == c->actor.organisation_id) return 0;
    /* the row is another organisation's through what it refers to (a milestone's project, a
     * transfer's farm): that record is as unknown as a missing one, as a GET of it is 404 */
    for (int i = 0; i < k->nfields; i++) {
        const pj_rec_field *f = &k->fields[i];
        char col[80];
        snprintf(col, sizeof col, "t.%s", f->name);
        json_t *v = json_object_get(body, f->name);
        if (f->type == PJ_RT_REF && json_is_integer(v) && strstr(k->org_sql, col))
            return pj_fail(err, 422, "unknown_id", f->name, "no %s %lld", f->name,
                           (long long)json_integer_value(v));
    }
    return pj_fail(err, 403, "forbidden", "organisation_id",
                   "an enterprise acts only for its own organisation");
}

/* The kind's rule across fields, over the row as it would be written. */
static int run_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_err *err)
{
    if (!k->check) return 0;
    if (!id) return k->check(c, k, 0, body, body, err);
    json_t *row = merged_row(c, k, id, body, err);
    if (!row) return -1;
    int rc = k->check(c, k, id, body, row, err);
    json_decref(row);
    return rc;
}

int pj_rec_update(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int rc = visible(c, k, id, err);
    if (rc < 0) return -1;
    if (!rc) return pj_not_found(err, k->noun, id);
    if (may_write(c, k, err) || row_scope(c, k, id, err) || own_org(c, k, id, body, 0, err) ||
        check_body(c, k, body, 0, err))
        return -1;
    int64_t version = json_integer_value(json_object_get(body, "version"));
    char *before, *after;
    int keep_town = c->actor.role == PJ_ROLE_ENTERPRISE && k->town_sql;
    int64_t town = 0;
    /* the field a move is refused on: township_id when sent, else the reference sent that
     * carries the row (the kind's check may fill township_id in from it) */
    const char *move_field = "township_id";
    for (int i = 0; !json_object_get(body, move_field) && i < k->nfields; i++)
        if (k->fields[i].type == PJ_RT_REF && json_object_get(body, k->fields[i].name))
            move_field = k->fields[i].name;
    if (pj_db_begin(c->db, err)) return -1;
    if (own_row_first(c, k, id, body, err) || run_check(c, k, id, body, err) ||
        !(before = pj_rec_render_string(c, k, id, err)) ||
        (keep_town && scope_value(c, k, id, 1, &town, err)))
        goto fail;
    sqlb b = {.n = 0};
    add(&b, "UPDATE %s SET ", k->table);
    for (int i = 0; i < k->nfields; i++)
        if (json_object_get(body, k->fields[i].name)) add(&b, "%s = ?, ", k->fields[i].name);
    add(&b, "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?");
    pj_stmt *s = prep(c, &b, err);
    if (!s) goto fail;
    int n = 0;
    for (int i = 0; i < k->nfields; i++) {
        json_t *v = json_object_get(body, k->fields[i].name);
        if (v) bind_json(s, ++n, &k->fields[i], v);
    }
    pj_stmt_int(s, ++n, pj_now());
    pj_stmt_int(s, ++n, id);
    pj_stmt_int(s, ++n, version);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) {
        if (err->status == 409) conflict(err, k);
        goto fail;
    }
    if (pj_db_changes(c->db) == 0) {
        int64_t cur = cur_version(c, k, id, err);
        pj_version_conflict(err, k->noun, cur, version);
        goto fail;
    }
    if (row_scope(c, k, id, err) || (keep_town && same_township(c, k, id, town, move_field, err)) ||
        !(after = pj_rec_render_string(c, k, id, err)))
        goto fail;
    /* a PATCH that changes nothing writes nothing: the same version, no audit row */
    if (pj_render_same(before, after)) {
        pj_db_rollback(c->db);
        pj_jw_raw(w, before);
        return 0;
    }
    if (pj_audit_add(c, "update", k->name, id, before, after, err) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_rec_delete(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err)
{
    int rc = visible(c, k, id, err);
    if (rc < 0) return -1;
    if (!rc) return pj_not_found(err, k->noun, id);
    if (may_write(c, k, err) || row_scope(c, k, id, err)) return -1;
    if (!k->deletable)
        return pj_fail(err, 409, "not_deletable", "", "%ss are kept; change the state instead",
                       k->noun);
    char *before, refs[320];
    if (pj_db_begin(c->db, err)) return -1;
    if (!(before = pj_rec_render_string(c, k, id, err))) goto fail;
    if (k->del_check && k->del_check(c, k, id, err)) goto fail;
    /* what still refers to it, named as the registry's deletes name it */
    int tables = pj_refs_describe(c, k->table, id, refs, sizeof refs, err);
    if (tables < 0) goto fail;
    if (tables) {
        pj_fail(err, 409, "in_use", "id", "%s %lld is referred to by %s", k->noun, (long long)id,
                refs);
        goto fail;
    }
    sqlb b = {.n = 0};
    add(&b, "DELETE FROM %s WHERE id = ?", k->table);
    pj_stmt *s = prep(c, &b, err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) {
        if (err->status == 409)
            pj_fail(err, 409, "in_use", "id", "other records refer to this %s; remove them first",
                    k->noun);
        goto fail;
    }
    if (pj_audit_add(c, "delete", k->name, id, before, NULL, err) || pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
