/* E-commerce: the village-streamer academy's catalogue — the zone enterprises (settlement date
 * and base), courses, cohorts with their state machine, and job posts at zone enterprises. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
#include "domain/refs.h"
#include "domain/input.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "db/next_id.h"
#include "core/banned.h"

const char *const pj_ac_course_categories[] = {
    "livestream_selling", "short_video", "operations", "product", "compliance", "other", NULL};
const char *const pj_ac_cohort_states[] = {"planned", "open", "running", "graduated", NULL};
const char *const pj_ac_kinds[] = {"ecommerce", "mcn", "internet_service", NULL};
const char *const pj_ac_post_states[] = {"open", "closed", NULL};

static int require_district(const pj_ctx *c, pj_err *err)
{
    return pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE);
}

/* A date field: "YYYY-MM-DD" into *day; 422 naming the field. */
int ec_in_day(json_t *b, const char *key, int required, const char **out, int64_t *day, pj_err *err)
{
    int rc = pj_in_str(b, key, required, 10, 10, out, err);
    if (rc <= 0) return rc;
    if (ec_date(*out, day, NULL, NULL, NULL))
        return pj_fail(err, 422, "invalid_value", key, "%s must be a date YYYY-MM-DD", key);
    return 1;
}

/* After an UPDATE … WHERE id = ? AND version = ? inside the write's transaction: 409
 * version_conflict unless it changed exactly the one row (another write got there first, or the
 * row is no longer in the state the update needs), so the caller rolls back and writes nothing. */
int ec_changed_one(pj_ctx *c, const char *what, pj_err *err)
{
    if (pj_db_changes(c->db) == 1) return 0;
    return pj_fail(err, 409, "version_conflict", "version",
                   "the %s was changed by someone else; reload", what);
}

/* After a conditional UPDATE of a cohort's capacity or a post's openings (`sql`: version and
 * places taken of row id) that changed no row: the version moved (409 version_conflict), or
 * the places were taken meanwhile by an enrolment, which does not move the version (422
 * out_of_range at field). */
static int places_changed_one(pj_ctx *c, const char *what, const char *sql, int64_t id,
                              int64_t version, const char *field, int64_t want, pj_err *err)
{
    if (pj_db_changes(c->db) == 1) return 0;
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t cur = rc == 1 ? pj_col_int(s, 0) : 0, taken = rc == 1 ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 1 && cur == version && want < taken)
        return pj_fail(err, 422, "out_of_range", field, "%s %lld is below the %lld enrolled", field,
                       (long long)want, (long long)taken);
    return ec_changed_one(c, what, err);
}

/* Runs the write of an update: before/after renders, the audit row, the commit. */
int ec_write_audited(pj_ctx *c, int64_t id, const char *action, const char *entity,
                     pj_render_fn render, ec_apply_fn apply, void *arg, pj_jw *w, pj_err *err)
{
    return ec_write_audited_masked(c, id, action, entity, render, render, apply, arg, w, err);
}

int ec_write_audited_masked(pj_ctx *c, int64_t id, const char *action, const char *entity,
                            pj_render_fn render, pj_render_fn audit_render, ec_apply_fn apply,
                            void *arg, pj_jw *w, pj_err *err)
{
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL, *after, *audited;
    if ((action && !(before = pj_render_to_string(c, id, audit_render, err))) ||
        apply(c, id, arg, err) || !(audited = pj_render_to_string(c, id, audit_render, err)))
        goto fail;
    /* an update that changes nothing writes nothing: the same version, no audit row */
    if (action && !strcmp(action, "update") && pj_render_same(before, audited)) {
        pj_db_rollback(c->db);
        if (render == audit_render) {
            pj_jw_raw(w, before);
            return 0;
        }
        return render(c, id, w, err);
    }
    if (pj_audit_add(c, action ? action : "create", entity, id, before, audited, err) ||
        !(after = render == audit_render ? audited : pj_render_to_string(c, id, render, err)) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- zone enterprises ---- */

static int zone_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT z.id, z.name, z.kind, z.organisation_id, o.name, z.base_id,"
                              " b.name, z.settled_on, z.source, z.created_at, z.version, (SELECT"
                              " COUNT(*) FROM ac_posts p WHERE p.zone_enterprise_id = z.id AND"
                              " p.state = 'open'), (SELECT COUNT(*) FROM ac_posts p WHERE"
                              " p.zone_enterprise_id = z.id) FROM ec_zone_enterprises z LEFT JOIN"
                              " organisations o ON o.id = z.organisation_id LEFT JOIN ec_bases b"
                              " ON b.id = z.base_id WHERE z.id = ?",
                              id, "zone enterprise", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "kind", s, 2);
    pj_render_ref(w, "organisation_id", s, 3);
    pj_render_text(w, "organisation", s, 4);
    pj_render_ref(w, "base_id", s, 5);
    pj_render_text(w, "base", s, 6);
    pj_render_text(w, "settled_on", s, 7);
    pj_jw_kbool(w, "settled", !pj_col_is_null(s, 7));
    pj_jw_kint(w, "open_posts", pj_col_int(s, 11));
    pj_jw_kint(w, "posts", pj_col_int(s, 12)); /* open or closed: any keeps it from deletion */
    pj_render_text(w, "source", s, 8);
    pj_render_time(w, "created_at", pj_col_int(s, 9));
    pj_jw_kint(w, "version", pj_col_int(s, 10));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ec_zone_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_q_enum("kind", f->kind, pj_ac_kinds, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ec_zone_enterprises WHERE id > ? AND (? IS NULL OR"
                               " kind = ?) AND (? = 0 OR base_id = ?) AND (? = 0 OR"
                               " organisation_id = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_text(s, 2, f->kind);
    pj_stmt_text(s, 3, f->kind);
    pj_stmt_int(s, 4, f->base_id);
    pj_stmt_int(s, 5, f->base_id);
    pj_stmt_int(s, 6, f->organisation_id);
    pj_stmt_int(s, 7, f->organisation_id);
    pj_stmt_int(s, 8, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, zone_render, w, err);
}

int pj_ec_zone_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return zone_render(c, id, w, err);
}

typedef struct zone_in {
    const char *name, *kind, *settled;
    int64_t org, base, settled_day;
    int has_org, has_base, has_settled;
    int64_t version; /* updates: the version the caller read */
} zone_in;

static int zone_body(pj_ctx *c, json_t *b, int create, zone_in *z, pj_err *err)
{
    if ((create && (pj_in_text_trimmed(c->arena, b, "name", 1, 64, &z->name, err) < 0 ||
                    pj_in_enum(b, "kind", 1, pj_ac_kinds, &z->kind, err) < 0)) ||
        (z->has_org = pj_in_ref(b, "organisation_id", 0, &z->org, err)) < 0 ||
        (z->has_base = pj_in_ref(b, "base_id", 0, &z->base, err)) < 0 ||
        (z->has_settled = ec_in_day(b, "settled_on", 0, &z->settled, &z->settled_day, err)) < 0)
        return -1;
    /* null: not settled (as everywhere: settled is settled_on given) — the date cleared */
    if (!z->has_settled && json_is_null(json_object_get(b, "settled_on"))) {
        z->has_settled = 1;
        z->settled = NULL;
        z->settled_day = 0;
    }
    if (z->settled && z->settled_day > ec_today())
        return pj_fail(err, 422, "invalid_value", "settled_on", "settled_on is in the future");
    if (z->org &&
        ec_ref(c, "SELECT 1 FROM organisations WHERE id = ?", z->org, "organisation_id", err))
        return -1;
    if (z->base && ec_ref(c, "SELECT 1 FROM ec_bases WHERE id = ?", z->base, "base_id", err))
        return -1;
    return 0;
}

int pj_ec_zone_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"name",    "kind",       "organisation_id",
                                         "base_id", "settled_on", NULL};
    zone_in z = {0};
    if (require_district(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        zone_body(c, body, 1, &z, err) || pj_db_begin(c->db, err))
        return -1;
    /* one enterprise once: names compared without the spaces around them */
    pj_stmt *q = pj_db_prepare(
        c->db, "SELECT id FROM ec_zone_enterprises WHERE trim(name) = ? LIMIT 1", err);
    int rc = q ? (pj_stmt_text(q, 1, z.name), pj_stmt_step(q, err)) : -1;
    int64_t other = rc == 1 ? pj_col_int(q, 0) : 0;
    if (q) pj_stmt_done(q);
    if (rc != 0) {
        if (rc == 1)
            pj_fail(err, 409, "conflict", "name", "zone enterprise %lld is named %s already",
                    (long long)other, z.name);
        pj_db_rollback(c->db);
        return -1;
    }
    int64_t id =
        ec_run(c, err,
               "INSERT INTO ec_zone_enterprises (id, name, kind, organisation_id, base_id,"
               " settled_on, created_at) VALUES (" PJ_NEXT_ID(
                   "ec_zone_enterprises") ", ?, ?, ?, ?, ?, ?) RETURNING id",
               "ssrrsi", z.name, z.kind, z.org, z.base, z.has_settled ? z.settled : NULL, pj_now());
    if (id <= 0 ||
        pj_render_commit(c, "create", "ec_zone_enterprise", id, NULL, zone_render, w, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

static int zone_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    zone_in *z = arg;
    return ec_run(c, err,
                  "UPDATE ec_zone_enterprises SET organisation_id = CASE WHEN ? THEN ? ELSE"
                  " organisation_id END, base_id = CASE WHEN ? THEN ? ELSE base_id END,"
                  " settled_on = CASE WHEN ? THEN ? ELSE settled_on END, version = version + 1"
                  " WHERE id = ? AND version = ?",
                  "iririsii", (int64_t)z->has_org, z->org, (int64_t)z->has_base, z->base,
                  (int64_t)z->has_settled, z->has_settled ? z->settled : NULL, id, z->version) < 0
               ? -1
               : ec_changed_one(c, "zone enterprise", err);
}

int pj_ec_zone_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "organisation_id", "base_id", "settled_on",
                                         NULL};
    zone_in z = {0};
    int64_t version;
    if (require_district(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        zone_body(c, body, 0, &z, err) ||
        pj_version_check(c, "SELECT version FROM ec_zone_enterprises WHERE id = ?", id, version,
                         "zone enterprise", err))
        return -1;
    /* its enrolments were made on its settlement (a post at a settled enterprise, settled by
     * the day of enrolment): the settlement is not cleared, nor moved after the first of them */
    int64_t enrolled = 0;
    if (z.has_settled &&
        ec_int(c,
               "SELECT COUNT(*) FROM ac_enrolments e JOIN ac_posts p ON p.id = e.post_id WHERE"
               " p.zone_enterprise_id = ?",
               id, &enrolled, err) < 0)
        return -1;
    if (enrolled && !z.settled)
        return pj_fail(err, 409, "invalid_state", "settled_on",
                       "%lld enrolments are on the enterprise's posts: its settlement stays",
                       (long long)enrolled);
    if (enrolled) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT MIN(e.enrolled_on) FROM ac_enrolments e JOIN ac_posts p"
                                   " ON p.id = e.post_id WHERE p.zone_enterprise_id = ?",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        char first[11] = "";
        if (rc == 1 && !pj_col_is_null(s, 0))
            snprintf(first, sizeof first, "%s", pj_col_text(s, 0));
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (*first && strcmp(z.settled, first) > 0)
            return pj_fail(err, 409, "invalid_state", "settled_on",
                           "settled_on %s is after the first enrolment on the enterprise's posts"
                           " (%s): it was settled by then",
                           z.settled, first);
    }
    z.version = version;
    return ec_write_audited(c, id, "update", "ec_zone_enterprise", zone_render, zone_apply, &z, w,
                            err);
}

int pj_ec_zone_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    if (require_district(c, err)) return -1;
    return pj_refs_delete_unused(c, "ec_zone_enterprises", "ec_zone_enterprise", "zone enterprise",
                                 id, zone_render, err);
}

/* ---- courses ---- */

static int course_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT id, title, category, hours, level, practice_hours, source,"
                              " created_at, updated_at, version, (SELECT COUNT(*) FROM ac_cohorts"
                              " h WHERE h.course_id = ac_courses.id) FROM ac_courses WHERE id = ?",
                              id, "course", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "title", s, 1);
    pj_render_text(w, "category", s, 2);
    pj_jw_kint(w, "hours", pj_col_int(s, 3));
    pj_jw_kint(w, "level", pj_col_int(s, 4));
    pj_jw_kint(w, "practice_hours", pj_col_int(s, 5));
    pj_jw_kint(w, "cohorts", pj_col_int(s, 10));
    pj_render_text(w, "source", s, 6);
    pj_render_time(w, "created_at", pj_col_int(s, 7));
    pj_render_time(w, "updated_at", pj_col_int(s, 8));
    pj_jw_kint(w, "version", pj_col_int(s, 9));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ac_course_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_q_enum("category", f->category, pj_ac_course_categories, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ac_courses WHERE id > ? AND (? IS NULL OR category"
                               " = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_text(s, 2, f->category);
    pj_stmt_text(s, 3, f->category);
    pj_stmt_int(s, 4, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, course_render, w, err);
}

int pj_ac_course_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return course_render(c, id, w, err);
}

typedef struct course_in {
    const char *title, *category;
    int64_t hours, level, practice;
    int has[5];
    int64_t version;
} course_in;

static int course_body(json_t *b, int req, course_in *k, pj_err *err)
{
    /* trimmed, as the bases' and zone enterprises' names: " 直播销售基础 " stood beside the
     * course of that title, past the unique title */
    if (pj_in_trim(b, "title", 1, err) ||
        (k->has[0] = pj_in_text(b, "title", req, 1, 64, &k->title, err)) < 0 ||
        (k->has[1] = pj_in_enum(b, "category", req, pj_ac_course_categories, &k->category, err)) <
            0 ||
        (k->has[2] = pj_in_int(b, "hours", req, 1, 2000, &k->hours, err)) < 0 ||
        (k->has[3] = pj_in_int(b, "level", req, 1, 5, &k->level, err)) < 0 ||
        (k->has[4] = pj_in_int(b, "practice_hours", req, 0, 2000, &k->practice, err)) < 0)
        return -1;
    return 0;
}

static int course_conflict(pj_err *err, const char *title)
{
    if (err && err->status == 409)
        pj_fail(err, 409, "conflict", "title", "a course titled %s exists", title);
    return -1;
}

int pj_ac_course_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"title", "category",       "hours",
                                         "level", "practice_hours", NULL};
    course_in k = {0};
    if (require_district(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        course_body(body, 1, &k, err) || pj_db_begin(c->db, err))
        return -1;
    int64_t now = pj_now();
    int64_t id = ec_run(c, err,
                        "INSERT INTO ac_courses (id, title, category, hours, level,"
                        " practice_hours, created_at, updated_at) VALUES (" PJ_NEXT_ID(
                            "ac_courses") ", ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        "ssiiiii", k.title, k.category, k.hours, k.level, k.practice, now, now);
    if (id < 0) course_conflict(err, k.title);
    if (id <= 0 || pj_render_commit(c, "create", "ac_course", id, NULL, course_render, w, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

static int course_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    course_in *k = arg;
    int64_t rc = ec_run(c, err,
                        "UPDATE ac_courses SET title = COALESCE(?, title), category = COALESCE(?,"
                        " category), hours = CASE WHEN ? THEN ? ELSE hours END, level = CASE WHEN"
                        " ? THEN ? ELSE level END, practice_hours = CASE WHEN ? THEN ? ELSE"
                        " practice_hours END, updated_at = ?, version = version + 1 WHERE id = ?"
                        " AND version = ?",
                        "ssiiiiiiiii", k->has[0] ? k->title : NULL, k->has[1] ? k->category : NULL,
                        (int64_t)(k->has[2] > 0), k->hours, (int64_t)(k->has[3] > 0), k->level,
                        (int64_t)(k->has[4] > 0), k->practice, pj_now(), id, k->version);
    return rc < 0 ? course_conflict(err, k->title) : ec_changed_one(c, "course", err);
}

int pj_ac_course_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "title",          "category", "hours",
                                         "level",   "practice_hours", NULL};
    course_in k = {0};
    int64_t version;
    if (require_district(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err) || course_body(body, 0, &k, err) ||
        pj_version_check(c, "SELECT version FROM ac_courses WHERE id = ?", id, version, "course",
                         err))
        return -1;
    k.version = version;
    return ec_write_audited(c, id, "update", "ac_course", course_render, course_apply, &k, w, err);
}

int pj_ac_course_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    if (require_district(c, err)) return -1;
    return pj_refs_delete_unused(c, "ac_courses", "ac_course", "course", id, course_render, err);
}

/* ---- cohorts ---- */

static int cohort_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT h.id, h.course_id, k.title, k.level, h.base_id, b.name, b.tier, b.township_id,"
        " h.name, h.starts_on, h.ends_on, h.capacity, h.enrolled, h.state, h.source,"
        " h.created_at, h.updated_at, h.version, (SELECT COUNT(*) FROM ac_enrolments e WHERE"
        " e.cohort_id = h.id AND e.state IN ('graduated', 'placed')), (SELECT COUNT(*) FROM"
        " ac_enrolments e WHERE e.cohort_id = h.id AND e.state = 'placed') FROM ac_cohorts h JOIN"
        " ac_courses k ON k.id = h.course_id JOIN ec_bases b ON b.id = h.base_id WHERE h.id = ?",
        id, "cohort", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "course_id", pj_col_int(s, 1));
    pj_render_text(w, "course", s, 2);
    pj_jw_kint(w, "level", pj_col_int(s, 3));
    pj_jw_kint(w, "base_id", pj_col_int(s, 4));
    pj_render_text(w, "base", s, 5);
    pj_render_text(w, "base_tier", s, 6);
    pj_render_ref(w, "township_id", s, 7);
    pj_render_text(w, "name", s, 8);
    pj_render_text(w, "starts_on", s, 9);
    pj_render_text(w, "ends_on", s, 10);
    pj_jw_kint(w, "capacity", pj_col_int(s, 11));
    pj_jw_kint(w, "enrolled", pj_col_int(s, 12));
    pj_jw_kint(w, "places_left", pj_col_int(s, 11) - pj_col_int(s, 12));
    pj_jw_kint(w, "graduated", pj_col_int(s, 18));
    pj_jw_kint(w, "placed", pj_col_int(s, 19));
    pj_render_text(w, "state", s, 13);
    pj_render_text(w, "source", s, 14);
    pj_render_time(w, "created_at", pj_col_int(s, 15));
    pj_render_time(w, "updated_at", pj_col_int(s, 16));
    pj_jw_kint(w, "version", pj_col_int(s, 17));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ac_cohort_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_q_enum("state", f->state, pj_ac_cohort_states, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT h.id FROM ac_cohorts h JOIN ec_bases b ON b.id = h.base_id"
                               " WHERE h.id > ? AND (? = 0 OR h.course_id = ?) AND (? = 0 OR"
                               " h.base_id = ?) AND (? IS NULL OR h.state = ?) AND (? = 0 OR"
                               " b.township_id = ?) ORDER BY h.id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->course_id);
    pj_stmt_int(s, 3, f->course_id);
    pj_stmt_int(s, 4, f->base_id);
    pj_stmt_int(s, 5, f->base_id);
    pj_stmt_text(s, 6, f->state);
    pj_stmt_text(s, 7, f->state);
    pj_stmt_int(s, 8, f->township_id);
    pj_stmt_int(s, 9, f->township_id);
    pj_stmt_int(s, 10, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, cohort_render, w, err);
}

int pj_ac_cohort_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return cohort_render(c, id, w, err);
}

/* Cohort writers: admin, district officers, and a township officer for the bases of their
 * township; a refusal names field (the request's base_id, or the path's id). */
static int cohort_writer(pj_ctx *c, int64_t base_town, const char *field, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE))
        return -1;
    return ec_scope(c, base_town, 0, field, err);
}

typedef struct cohort_in {
    const char *name, *starts, *ends;
    int64_t start_day, end_day, capacity;
    int has[4];
    int64_t version;
} cohort_in;

static int cohort_body(json_t *b, int req, cohort_in *h, pj_err *err)
{
    if (pj_in_trim(b, "name", 1, err) ||
        (h->has[0] = pj_in_text(b, "name", req, 1, 64, &h->name, err)) < 0 ||
        (h->has[1] = ec_in_day(b, "starts_on", req, &h->starts, &h->start_day, err)) < 0 ||
        (h->has[2] = ec_in_day(b, "ends_on", req, &h->ends, &h->end_day, err)) < 0 ||
        (h->has[3] = pj_in_int(b, "capacity", req, 1, 1000, &h->capacity, err)) < 0)
        return -1;
    return 0;
}

static int cohort_conflict(pj_err *err, const char *name)
{
    if (err && err->status == 409)
        pj_fail(err, 409, "conflict", "name", "a cohort named %s exists", name);
    return -1;
}

int pj_ac_cohort_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"course_id", "base_id",  "name", "starts_on",
                                         "ends_on",   "capacity", NULL};
    cohort_in h = {0};
    int64_t course, base;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "course_id", 1, &course, err) < 0 ||
        pj_in_ref(body, "base_id", 1, &base, err) < 0 || cohort_body(body, 1, &h, err))
        return -1;
    if (h.end_day < h.start_day)
        return pj_fail(err, 422, "invalid_value", "ends_on", "ends_on is before starts_on");
    if (ec_ref(c, "SELECT 1 FROM ac_courses WHERE id = ?", course, "course_id", err)) return -1;
    /* the academy teaches at its HQ and at the village points of the 1+5+N layout */
    pj_stmt *s = pj_db_prepare(c->db, "SELECT tier, township_id FROM ec_bases WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, base);
    int rc = pj_stmt_step(s, err);
    int teach = rc == 1 && strcmp(pj_col_text(s, 0), "platform");
    int64_t town = rc == 1 ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_fail(err, 422, "unknown_id", "base_id", "no base %lld", (long long)base);
    if (!teach)
        return pj_fail(err, 422, "invalid_value", "base_id",
                       "cohorts are taught at the academy HQ or a village point, not a platform");
    if (cohort_writer(c, town, "base_id", err) || pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now();
    int64_t id = ec_run(c, err,
                        "INSERT INTO ac_cohorts (id, course_id, base_id, name, starts_on,"
                        " ends_on, capacity, created_at, updated_at) VALUES (" PJ_NEXT_ID(
                            "ac_cohorts") ", ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        "iisssiii", course, base, h.name, h.starts, h.ends, h.capacity, now, now);
    if (id < 0) cohort_conflict(err, h.name);
    if (id <= 0 || pj_render_commit(c, "create", "ac_cohort", id, NULL, cohort_render, w, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

/* Township of a cohort's base, its state, dates and places; 404 when missing. */
typedef struct cohort_row {
    int64_t town, capacity, enrolled, start_day, end_day;
    char state[16], starts[11], ends[11];
} cohort_row;

static int cohort_load(pj_ctx *c, int64_t id, cohort_row *r, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT b.township_id, h.state, h.capacity, h.enrolled, h.starts_on,"
                               " h.ends_on FROM ac_cohorts h JOIN ec_bases b ON b.id = h.base_id"
                               " WHERE h.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        r->town = pj_col_int(s, 0);
        snprintf(r->state, sizeof r->state, "%s", pj_col_text(s, 1));
        r->capacity = pj_col_int(s, 2);
        r->enrolled = pj_col_int(s, 3);
        snprintf(r->starts, sizeof r->starts, "%s", pj_col_text(s, 4));
        snprintf(r->ends, sizeof r->ends, "%s", pj_col_text(s, 5));
        ec_date(r->starts, &r->start_day, NULL, NULL, NULL);
        ec_date(r->ends, &r->end_day, NULL, NULL, NULL);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "cohort", id);
    return 0;
}

static int cohort_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    cohort_in *h = arg;
    int64_t rc =
        ec_run(c, err,
               "UPDATE ac_cohorts SET name = COALESCE(?, name), starts_on = COALESCE(?,"
               " starts_on), ends_on = COALESCE(?, ends_on), capacity = CASE WHEN ? THEN"
               " ? ELSE capacity END, updated_at = ?, version = version + 1 WHERE id = ? AND"
               " version = ? AND (? = 0 OR ? >= enrolled)",
               "sssiiiiiii", h->has[0] ? h->name : NULL, h->has[1] ? h->starts : NULL,
               h->has[2] ? h->ends : NULL, (int64_t)(h->has[3] > 0), h->capacity, pj_now(), id,
               h->version, (int64_t)(h->has[3] > 0), h->capacity);
    /* an enrolment takes a place without moving the version: the capacity is checked here,
     * inside the transaction, not only before it */
    return rc < 0 ? cohort_conflict(err, h->name)
                  : places_changed_one(
                        c, "cohort", "SELECT version, enrolled FROM ac_cohorts WHERE id = ?", id,
                        h->version, "capacity", h->has[3] > 0 ? h->capacity : INT64_MAX, err);
}

/* New dates for cohort id (days s0..e0, texts starts..ends) keep what was recorded under the old
 * ones within the rules those followed: every enrolment at most PJ_AC_ENROL_WINDOW_DAYS before
 * the start and not after the end, every practice session within the dates, no graduation before
 * the start, and a running cohort started. 0, or -1 with 422/409 naming the date. */
static int cohort_dates_keep(pj_ctx *c, int64_t id, const cohort_row *r, int64_t s0, int64_t e0,
                             const char *starts, const char *ends, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT (SELECT MIN(enrolled_on) FROM ac_enrolments WHERE cohort_id = ?1), (SELECT"
        " MAX(enrolled_on) FROM ac_enrolments WHERE cohort_id = ?1), (SELECT MIN(graduated_on)"
        " FROM ac_enrolments WHERE cohort_id = ?1 AND graduated_on IS NOT NULL), (SELECT"
        " MIN(x.day) FROM ac_practice a JOIN ac_enrolments e ON e.id = a.enrolment_id JOIN"
        " ec_sessions x ON x.id = a.session_id WHERE e.cohort_id = ?1), (SELECT MAX(x.day) FROM"
        " ac_practice a JOIN ac_enrolments e ON e.id = a.enrolment_id JOIN ec_sessions x ON"
        " x.id = a.session_id WHERE e.cohort_id = ?1)",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    char first_enrol[11] = "", last_enrol[11] = "", first_grad[11] = "", first_prac[11] = "",
         last_prac[11] = "";
    char *const out[] = {first_enrol, last_enrol, first_grad, first_prac, last_prac};
    for (int k = 0; rc == 1 && k < 5; k++)
        if (!pj_col_is_null(s, k)) snprintf(out[k], 11, "%s", pj_col_text(s, k));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int64_t d;
    if (*first_enrol && !ec_date(first_enrol, &d, NULL, NULL, NULL) &&
        d < s0 - PJ_AC_ENROL_WINDOW_DAYS)
        return pj_fail(err, 422, "invalid_value", "starts_on",
                       "a student enrolled on %s, more than %d days before a start on %s",
                       first_enrol, PJ_AC_ENROL_WINDOW_DAYS, starts);
    if (*first_grad && !ec_date(first_grad, &d, NULL, NULL, NULL) && d < s0)
        return pj_fail(err, 422, "invalid_value", "starts_on",
                       "a student graduated on %s, before a start on %s", first_grad, starts);
    if (*first_prac && !ec_date(first_prac, &d, NULL, NULL, NULL) && d < s0)
        return pj_fail(err, 422, "invalid_value", "starts_on",
                       "a practice session on %s counts for the cohort, before a start on %s",
                       first_prac, starts);
    if (*last_prac && !ec_date(last_prac, &d, NULL, NULL, NULL) && d > e0)
        return pj_fail(err, 422, "invalid_value", "ends_on",
                       "a practice session on %s counts for the cohort, after an end on %s",
                       last_prac, ends);
    if (*last_enrol && !ec_date(last_enrol, &d, NULL, NULL, NULL) && d > e0)
        return pj_fail(err, 422, "invalid_value", "ends_on",
                       "a student enrolled on %s, after an end on %s", last_enrol, ends);
    if (!strcmp(r->state, "running") && s0 > ec_today())
        return pj_fail(err, 409, "invalid_state", "starts_on",
                       "the cohort is running: it cannot start on %s, after today", starts);
    return 0;
}

int pj_ac_cohort_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "name",     "starts_on",
                                         "ends_on", "capacity", NULL};
    cohort_in h = {0};
    cohort_row r;
    int64_t version;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        cohort_load(c, id, &r, err) || cohort_writer(c, r.town, "id", err) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err) || cohort_body(body, 0, &h, err))
        return -1;
    int64_t s0 = h.has[1] ? h.start_day : r.start_day, e0 = h.has[2] ? h.end_day : r.end_day;
    if (e0 < s0)
        return pj_fail(err, 422, "invalid_value", h.has[2] ? "ends_on" : "starts_on",
                       "ends_on is before starts_on");
    if (h.has[3] && h.capacity < r.enrolled)
        return pj_fail(err, 422, "out_of_range", "capacity",
                       "capacity %lld is below the %lld enrolled", (long long)h.capacity,
                       (long long)r.enrolled);
    if (strcmp(r.state, "graduated") == 0) {
        /* a graduated cohort is changed no more; a PATCH that changes nothing answers it as it
         * is (as every PATCH: 200, no write), one that would change a field names it */
        const char *changed = h.has[1] && strcmp(h.starts, r.starts) ? "starts_on"
                              : h.has[2] && strcmp(h.ends, r.ends)   ? "ends_on"
                              : h.has[3] && h.capacity != r.capacity ? "capacity"
                                                                     : NULL;
        if (!changed && h.has[0]) {
            pj_stmt *q = pj_db_prepare(c->db, "SELECT name FROM ac_cohorts WHERE id = ?", err);
            if (!q) return -1;
            pj_stmt_int(q, 1, id);
            int rc = pj_stmt_step(q, err);
            int same = rc == 1 && !strcmp(pj_col_text(q, 0), h.name);
            pj_stmt_done(q);
            if (rc < 0) return -1;
            if (!same) changed = "name";
        }
        if (changed)
            return pj_fail(err, 409, "invalid_state", changed,
                           "the cohort has graduated: its %s is not changed any more", changed);
        if (pj_version_check(c, "SELECT version FROM ac_cohorts WHERE id = ?", id, version,
                             "cohort", err))
            return -1;
        return cohort_render(c, id, w, err);
    }
    if ((h.has[1] || h.has[2]) &&
        cohort_dates_keep(c, id, &r, s0, e0, h.has[1] ? h.starts : r.starts,
                          h.has[2] ? h.ends : r.ends, err))
        return -1;
    if (pj_version_check(c, "SELECT version FROM ac_cohorts WHERE id = ?", id, version, "cohort",
                         err))
        return -1;
    h.version = version;
    return ec_write_audited(c, id, "update", "ac_cohort", cohort_render, cohort_apply, &h, w, err);
}

int pj_ac_cohort_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    cohort_row r;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        cohort_load(c, id, &r, err) || cohort_writer(c, r.town, "id", err))
        return -1;
    return pj_refs_delete_unused(c, "ac_cohorts", "ac_cohort", "cohort", id, cohort_render, err);
}

typedef struct cohort_step {
    const char *to, *from;
    int64_t version;
} cohort_step;

static int cohort_state_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    const cohort_step *st = arg;
    int64_t rc = ec_run(c, err,
                        "UPDATE ac_cohorts SET state = ?, updated_at = ?, version = version + 1"
                        " WHERE id = ? AND state = ? AND version = ?",
                        "siisi", st->to, pj_now(), id, st->from, st->version);
    return rc < 0 ? -1 : ec_changed_one(c, "cohort", err);
}

int pj_ac_cohort_transition(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"state", "version", NULL};
    cohort_row r;
    const char *to;
    int64_t version;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        cohort_load(c, id, &r, err) || cohort_writer(c, r.town, "id", err) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_enum(body, "state", 1, pj_ac_cohort_states, &to, err) < 0 ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0)
        return -1;
    /* planned → open → running → graduated, one step at a time */
    int from_i = -1, to_i = -1;
    for (int i = 0; pj_ac_cohort_states[i]; i++) {
        if (!strcmp(r.state, pj_ac_cohort_states[i])) from_i = i;
        if (!strcmp(to, pj_ac_cohort_states[i])) to_i = i;
    }
    if (to_i != from_i + 1)
        return pj_fail(err, 409, "invalid_transition", "state", "%s %s cohort cannot become %s",
                       r.state[0] == 'o' ? "an" : "a", r.state, to);
    if (to_i == 2 && r.enrolled == 0)
        return pj_fail(err, 409, "invalid_transition", "state",
                       "a cohort without enrolments cannot start");
    if (to_i == 2 && r.start_day > ec_today())
        return pj_fail(err, 409, "invalid_transition", "state",
                       "the cohort starts on %s: it cannot run before", r.starts);
    if (pj_version_check(c, "SELECT version FROM ac_cohorts WHERE id = ?", id, version, "cohort",
                         err))
        return -1;
    cohort_step st = {to, pj_arena_strdup(c->arena, r.state), version};
    return ec_write_audited(c, id, to, "ac_cohort", cohort_render, cohort_state_apply, &st, w, err);
}

/* ---- job posts ---- */

static int post_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT p.id, p.zone_enterprise_id, z.name, z.organisation_id,"
                              " p.title, p.openings, p.filled, p.state, p.source, p.created_at,"
                              " p.updated_at, p.version FROM ac_posts p JOIN ec_zone_enterprises"
                              " z ON z.id = p.zone_enterprise_id WHERE p.id = ?",
                              id, "post", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "zone_enterprise_id", pj_col_int(s, 1));
    pj_render_text(w, "zone_enterprise", s, 2);
    pj_render_ref(w, "organisation_id", s, 3);
    pj_render_text(w, "title", s, 4);
    pj_jw_kint(w, "openings", pj_col_int(s, 5));
    pj_jw_kint(w, "filled", pj_col_int(s, 6));
    pj_render_text(w, "state", s, 7);
    pj_render_text(w, "source", s, 8);
    pj_render_time(w, "created_at", pj_col_int(s, 9));
    pj_render_time(w, "updated_at", pj_col_int(s, 10));
    pj_jw_kint(w, "version", pj_col_int(s, 11));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ac_post_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_q_enum("state", f->state, pj_ac_post_states, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT p.id FROM ac_posts p JOIN ec_zone_enterprises z ON z.id ="
                               " p.zone_enterprise_id WHERE p.id > ? AND (? = 0 OR"
                               " p.zone_enterprise_id = ?) AND (? = 0 OR z.organisation_id = ?)"
                               " AND (? IS NULL OR p.state = ?) ORDER BY p.id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->zone_enterprise_id);
    pj_stmt_int(s, 3, f->zone_enterprise_id);
    pj_stmt_int(s, 4, f->organisation_id);
    pj_stmt_int(s, 5, f->organisation_id);
    pj_stmt_text(s, 6, f->state);
    pj_stmt_text(s, 7, f->state);
    pj_stmt_int(s, 8, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, post_render, w, err);
}

int pj_ac_post_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return post_render(c, id, w, err);
}

/* Post writers: admin, district officers, an enterprise user for its own zone enterprise. */
static int post_writer(pj_ctx *c, int64_t zone_org, const char *field, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_ENTERPRISE,
                       PJ_ROLE_NONE))
        return -1;
    if (c->actor.role == PJ_ROLE_ENTERPRISE && (!zone_org || zone_org != c->actor.organisation_id))
        return pj_fail(err, 403, "forbidden", field,
                       "an enterprise posts jobs only for its own organisation");
    return 0;
}

int pj_ac_post_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"zone_enterprise_id", "title", "openings", NULL};
    const char *title;
    int64_t zone, openings, zorg = 0;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_ENTERPRISE,
                       PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "zone_enterprise_id", 1, &zone, err) < 0 ||
        pj_in_trim(body, "title", 1, err) || pj_in_text(body, "title", 1, 1, 64, &title, err) < 0 ||
        pj_in_int(body, "openings", 1, 1, 1000, &openings, err) < 0)
        return -1;
    int rc = ec_int(c, "SELECT COALESCE(organisation_id, 0) FROM ec_zone_enterprises WHERE id = ?",
                    zone, &zorg, err);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", "zone_enterprise_id", "no zone enterprise %lld",
                       (long long)zone);
    if (post_writer(c, zorg, "zone_enterprise_id", err) || pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now();
    int64_t id = ec_run(
        c, err,
        "INSERT INTO ac_posts (id, zone_enterprise_id, title, openings,"
        " created_at, updated_at) VALUES (" PJ_NEXT_ID("ac_posts") ", ?, ?, ?, ?, ?) RETURNING id",
        "isiii", zone, title, openings, now, now);
    if (id <= 0 || pj_render_commit(c, "create", "ac_post", id, NULL, post_render, w, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

typedef struct post_in {
    const char *title, *state;
    int64_t openings;
    int has[3];
    int64_t version;
} post_in;

static int post_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    post_in *p = arg;
    return ec_run(c, err,
                  "UPDATE ac_posts SET title = COALESCE(?, title), state = COALESCE(?, state),"
                  " openings = CASE WHEN ? THEN ? ELSE openings END, updated_at = ?, version ="
                  " version + 1 WHERE id = ? AND version = ? AND (? = 0 OR ? >= filled)",
                  "ssiiiiiii", p->has[0] ? p->title : NULL, p->has[1] ? p->state : NULL,
                  (int64_t)(p->has[2] > 0), p->openings, pj_now(), id, p->version,
                  (int64_t)(p->has[2] > 0), p->openings) < 0
               ? -1
               /* an enrolment fills an opening without moving the version */
               : places_changed_one(c, "post", "SELECT version, filled FROM ac_posts WHERE id = ?",
                                    id, p->version, "openings",
                                    p->has[2] > 0 ? p->openings : INT64_MAX, err);
}

/* May the caller change post id (post_writer for its zone enterprise's organisation)? 404 when
 * there is none. */
static int post_scope(pj_ctx *c, int64_t id, pj_err *err)
{
    int64_t zorg = 0;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_ENTERPRISE,
                       PJ_ROLE_NONE))
        return -1;
    int rc = ec_int(c,
                    "SELECT COALESCE(z.organisation_id, 0) FROM ac_posts p JOIN"
                    " ec_zone_enterprises z ON z.id = p.zone_enterprise_id WHERE p.id = ?",
                    id, &zorg, err);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "post", id);
    return post_writer(c, zorg, "", err);
}

int pj_ac_post_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    if (post_scope(c, id, err)) return -1;
    return pj_refs_delete_unused(c, "ac_posts", "ac_post", "job post", id, post_render, err);
}

int pj_ac_post_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "title", "state", "openings", NULL};
    post_in p = {0};
    int64_t version, filled = 0;
    if (post_scope(c, id, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err) || pj_in_trim(body, "title", 1, err) ||
        (p.has[0] = pj_in_text(body, "title", 0, 1, 64, &p.title, err)) < 0 ||
        (p.has[1] = pj_in_enum(body, "state", 0, pj_ac_post_states, &p.state, err)) < 0 ||
        (p.has[2] = pj_in_int(body, "openings", 0, 1, 1000, &p.openings, err)) < 0 ||
        ec_int(c, "SELECT filled FROM ac_posts WHERE id = ?", id, &filled, err) < 0)
        return -1;
    if (p.has[2] && p.openings < filled)
        return pj_fail(err, 422, "out_of_range", "openings",
                       "openings %lld is below the %lld enrolled on the post",
                       (long long)p.openings, (long long)filled);
    if (pj_version_check(c, "SELECT version FROM ac_posts WHERE id = ?", id, version, "post", err))
        return -1;
    p.version = version;
    return ec_write_audited(c, id, "update", "ac_post", post_render, post_apply, &p, w, err);
}
