/* Dual-use: standards, team types, manuals (with critical path), stock lines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/cpm.h"
#include "core/csv.h"
#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/dualuse_int.h"
#include "domain/input.h"
#include "domain/record.h"
#include "domain/registry.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

const char *const pj_scenarios[] = {"epidemic", "disaster", "holiday", "event", NULL};

int pj_du_facility_scope(pj_ctx *c, int64_t facility_id, const char *field, const char **type,
                         pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT township_id, type FROM facilities WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, facility_id);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
    if (rc == 1 && type) *type = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return field ? pj_fail(err, 422, "unknown_id", field, "no facility %lld",
                               (long long)facility_id)
                     : pj_not_found(err, "facility", facility_id);
    if (pj_ctx_district(c)) return 0;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && c->actor.township_id == town) return 0;
    if (c->actor.role == PJ_ROLE_FACILITY_OPERATOR && c->actor.facility_id == facility_id) return 0;
    return pj_fail(err, 403, "forbidden", "", "this facility is outside your scope");
}

double pj_du_setting(pj_ctx *c, const char *key, double def)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT value FROM settings WHERE key = ?", NULL);
    if (!s) return def;
    pj_stmt_text(s, 1, key);
    double v = def;
    if (pj_stmt_step(s, NULL) == 1) pj_parse_double(pj_col_text(s, 0), &v);
    pj_stmt_done(s);
    return v;
}

int64_t pj_du_standard_in_force(pj_ctx *c, const char *ftype, const char *scenario,
                                const char *role, double *target_hours, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, target_hours FROM standards WHERE facility_type = ?"
                               " AND scenario = ? AND role = ? AND effective_from <= ?"
                               " ORDER BY version DESC LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, ftype);
    pj_stmt_text(s, 2, scenario);
    pj_stmt_text(s, 3, role);
    pj_stmt_int(s, 4, pj_now());
    int64_t id = 0;
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        id = pj_col_int(s, 0);
        if (target_hours) *target_hours = pj_col_double(s, 1);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : id;
}

/* ---- versions of a document (a standard, a manual) ---- */

/* An edit of a versioned document names, as based_on, the version it started from; s (prepared
 * and bound by the caller, inside the write's transaction) selects the newest version of the
 * document's series: id, version, created_at, created_by and its PJ_SQL_BY_NAME_OF. 0 when
 * based_on is that newest version; 409 version_conflict at based_on when a newer one was saved
 * since, naming it (its id under id_key, version, when and by whom, also as details); 422
 * invalid_value when the series has no version based_on. what names the document ("the holiday
 * manual of facility 1"). Releases s. */
static int based_on_newest(pj_stmt *s, int64_t based_on, const char *what, const char *id_key,
                           pj_err *err)
{
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0, newest = rc == 1 ? pj_col_int(s, 1) : 0;
    if (rc < 0 || based_on == newest) {
        pj_stmt_done(s);
        return rc < 0 ? -1 : 0;
    }
    if (based_on > newest) {
        pj_stmt_done(s);
        if (!newest)
            return pj_fail(err, 422, "invalid_value", "based_on",
                           "%s has no version yet: leave based_on out for its first version", what);
        return pj_fail(err, 422, "invalid_value", "based_on",
                       "%s has no version %lld (the newest is version %lld)", what,
                       (long long)based_on, (long long)newest);
    }
    char at[21];
    pj_time_iso(pj_col_int(s, 2), at);
    const char *by = pj_col_text(s, 3), *name = pj_col_is_null(s, 4) ? NULL : pj_col_text(s, 4);
    pj_fail(err, 409, "version_conflict", "based_on",
            "%s has a newer version than the version %lld this edit is based on: version %lld"
            " (id %lld), saved %s by %s%s%s%s; open it and apply the change again",
            what, (long long)based_on, (long long)newest, (long long)id, at, name ? name : by,
            name ? " (" : "", name ? by : "", name ? ")" : "");
    pj_err_detail(err, id_key, id);
    pj_err_detail(err, "version", newest);
    pj_err_detail_str(err, "created_at", at);
    pj_err_detail_str(err, "created_by", by);
    if (name) pj_err_detail_str(err, "created_by_name", name);
    pj_stmt_done(s);
    return -1;
}

/* ---- standards ---- */

static int standard_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_row_by_id(c,
                     "SELECT id, facility_type, scenario, role, version, effective_from,"
                     " target_hours, checklist, coverage_per_10k, notes, created_at,"
                     " created_by, " PJ_SQL_BY_NAME_OF "standards.created_by" PJ_SQL_BY_NAME_END
                     " FROM standards WHERE id = ?",
                     id, "standard", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "facility_type", s, 1);
    pj_render_text(w, "scenario", s, 2);
    pj_render_text(w, "role", s, 3);
    pj_jw_kint(w, "version", pj_col_int(s, 4));
    pj_render_time(w, "effective_from", pj_col_int(s, 5));
    pj_jw_knum(w, "target_hours", pj_col_double(s, 6));
    pj_jw_key(w, "checklist");
    pj_jw_raw(w, pj_col_text(s, 7));
    if (pj_col_is_null(s, 8))
        pj_jw_knull(w, "coverage_per_10k");
    else
        pj_jw_knum(w, "coverage_per_10k", pj_col_double(s, 8));
    pj_render_text(w, "notes", s, 9);
    pj_render_time(w, "created_at", pj_col_int(s, 10));
    pj_render_by(w, "created_by", s, 11, 12);
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_standard_list(pj_ctx *c, const char *ftype, const char *scenario, const char *role,
                     int in_force_only, int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT id FROM standards s WHERE id > ?6 AND (?1 IS NULL OR facility_type = ?1)"
        " AND (?2 IS NULL OR scenario = ?2) AND (?3 IS NULL OR role = ?3)"
        " AND (?4 = 0 OR version = (SELECT MAX(version) FROM standards x WHERE"
        " x.facility_type = s.facility_type AND x.scenario = s.scenario AND x.role = s.role"
        " AND x.effective_from <= ?5)) ORDER BY id LIMIT ?7",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, ftype);
    pj_stmt_text(s, 2, scenario);
    pj_stmt_text(s, 3, role);
    pj_stmt_int(s, 4, in_force_only);
    pj_stmt_int(s, 5, pj_now());
    pj_stmt_int(s, 6, cursor);
    pj_stmt_int(s, 7, limit + 1);
    return pj_render_query_page(c, s, limit, standard_render, w, err);
}

int pj_standard_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return standard_render(c, id, w, err);
}

/* A JSON array of 0–max non-empty strings of ≤ maxlen characters. */
static int string_list(json_t *v, const char *field, int max, size_t maxlen, pj_err *err)
{
    if (!v) return 0;
    /* more than max: too long (as the CSV's limit), not of the wrong type */
    if (pj_in_list(v, field, (size_t)max, "entries", err)) return -1;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        size_t from;
        if (!json_is_string(x) || json_string_length(x) == 0 ||
            pj_utf8_len(json_string_value(x), json_string_length(x)) > maxlen ||
            !pj_text_trim(json_string_value(x), &from))
            return pj_fail(err, 422, "invalid_value", field,
                           "%s[%zu] must be a string of at most %zu characters, not blank", field,
                           i, maxlen);
        if (pj_text_check(field, json_string_value(x), json_string_length(x), err)) return -1;
    }
    return 0;
}

int pj_standard_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    static const char *const fields[] = {
        "facility_type",    "scenario", "role",           "target_hours", "checklist",
        "coverage_per_10k", "notes",    "effective_from", "based_on",     NULL};
    const char *ftype, *scenario, *role, *notes = "", *eff = NULL;
    double target, cov = NAN;
    int64_t based_on = 0;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_enum(body, "facility_type", 1, pj_facility_types, &ftype, err) < 0 ||
        pj_in_enum(body, "scenario", 1, pj_scenarios, &scenario, err) < 0 ||
        pj_in_enum(body, "role", 1, pj_emergency_roles, &role, err) < 0 ||
        pj_in_num(body, "target_hours", 1, 0.1, 24 * 90, &target, err) < 0 ||
        pj_in_num(body, "coverage_per_10k", 0, 0, 100000, &cov, err) < 0 ||
        pj_in_str(body, "notes", 0, 0, 1000, &notes, err) < 0 ||
        /* (a time of another form, "…+08:00", is refused below as not of the form) */
        pj_in_str(body, "effective_from", 0, 1, 64, &eff, err) < 0 ||
        pj_in_int(body, "based_on", 0, 1, INT64_MAX, &based_on, err) < 0 ||
        string_list(json_object_get(body, "checklist"), "checklist", 100, 200, err))
        return -1;
    int64_t from = pj_now();
    /* a bare date is a day in Pinggu: in force from its first instant in Beijing time */
    if (eff && pj_time_parse_local(eff, &from))
        return pj_fail(
            err, 422, "invalid_value", "effective_from",
            "effective_from must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, of the years 1900 to 2200");
    json_t *cl = json_object_get(body, "checklist");
    /* each item once, as a manual step's checklist (["a","a"] was a standard of two items) */
    for (size_t i = 0; cl && i < json_array_size(cl); i++)
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(cl, i), json_array_get(cl, j)))
                return pj_fail(err, 422, "duplicate", "checklist", "\"%s\" is listed twice",
                               json_string_value(json_array_get(cl, i)));
    char *cljson = cl ? json_dumps(cl, JSON_COMPACT) : NULL;
    if (pj_db_begin(c->db, err)) {
        free(cljson);
        return -1;
    }
    char *after = NULL;
    int64_t id = 0;
    pj_stmt *s;
    if (based_on) { /* the version the edit started from is still the newest */
        char what[160];
        snprintf(what, sizeof what, "the standard for %s × %s × %s", ftype, scenario, role);
        s = pj_db_prepare(c->db,
                          "SELECT id, version, created_at, created_by, " PJ_SQL_BY_NAME_OF
                          "standards.created_by" PJ_SQL_BY_NAME_END " FROM standards WHERE"
                          " facility_type = ?1 AND scenario = ?2 AND role = ?3"
                          " ORDER BY version DESC LIMIT 1",
                          err);
        if (s) {
            pj_stmt_text(s, 1, ftype);
            pj_stmt_text(s, 2, scenario);
            pj_stmt_text(s, 3, role);
        }
        if (based_on_newest(s, based_on, what, "standard_id", err)) goto fail;
    }
    s = pj_db_prepare(
        c->db,
        "INSERT INTO standards (facility_type, scenario, role, version, effective_from,"
        " target_hours, checklist, coverage_per_10k, notes, created_at, created_by)"
        " SELECT ?1, ?2, ?3, COALESCE(MAX(version), 0) + 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10"
        " FROM standards WHERE facility_type = ?1 AND scenario = ?2 AND role = ?3 RETURNING id",
        err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, ftype);
    pj_stmt_text(s, 2, scenario);
    pj_stmt_text(s, 3, role);
    pj_stmt_int(s, 4, from);
    pj_stmt_double(s, 5, target);
    pj_stmt_text(s, 6, cljson ? cljson : "[]");
    if (!isnan(cov)) pj_stmt_double(s, 7, cov);
    pj_stmt_text(s, 8, notes);
    pj_stmt_int(s, 9, pj_now());
    pj_stmt_text(s, 10, c->actor.username);
    if (pj_stmt_step(s, err) == 1) id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (!id || !(after = pj_render_to_string(c, id, standard_render, err)) ||
        pj_audit_add(c, "create", "standard", id, NULL, after, err) || pj_db_commit(c->db, err))
        goto fail;
    free(cljson);
    pj_jw_raw(w, after);
    return 0;
fail:
    free(cljson);
    pj_db_rollback(c->db);
    return -1;
}

/* Inside the write's transaction: deletes row `id` (`sql`, one ? for the id), audits it as
 * `delete` of `entity` with the record as it was (`before`) and commits. */
static int delete_commit(pj_ctx *c, const char *sql, const char *entity, int64_t id,
                         const char *before, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    return pj_step_done(s, err) || pj_audit_add(c, "delete", entity, id, before, NULL, err) ||
                   pj_db_commit(c->db, err)
               ? -1
               : 0;
}

/* ---- team types ---- */

/* A team type of a row (id, code, name, version, available), in the list and as one record;
 * available: how many the district can put to work at once, null when not recorded */
#define TEAM_TYPE_COLS "id, code, name, version, available"
static void team_type_row(pj_jw *w, pj_stmt *s)
{
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "code", s, 1);
    pj_render_text(w, "name", s, 2);
    if (pj_col_is_null(s, 4))
        pj_jw_knull(w, "available");
    else
        pj_jw_kint(w, "available", pj_col_int(s, 4));
    pj_jw_kint(w, "version", pj_col_int(s, 3));
    pj_jw_obj_end(w);
}

/* "available" of a body: 1 with *set and *n (-1 for null: not recorded), 0 when absent, -1 on a
 * bad value (422 at available) */
static int team_type_available(json_t *body, int *set, int64_t *n, pj_err *err)
{
    *set = 0, *n = -1;
    if (pj_in_is_null(body, "available")) return *set = 1;
    int rc = pj_in_int(body, "available", 0, 0, 10000, n, err);
    if (rc == 1) *set = 1;
    return rc;
}

int pj_team_type_list(pj_ctx *c, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT " TEAM_TYPE_COLS " FROM team_types ORDER BY id", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) team_type_row(w, s);
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

/* A team type as answered and as its audit row keeps it: {"id","code","name","available",
 * "version"}. */
static int team_type_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c, "SELECT " TEAM_TYPE_COLS " FROM team_types WHERE id = ?", id,
                              "team type", err);
    if (!s) return -1;
    team_type_row(w, s);
    pj_stmt_done(s);
    return 0;
}

/* 409 at name when another team type (not `except`) is named `name`: the console offers team
 * types by name, and two of one name could not be told apart (Latin letters without case) */
static int team_type_name_free(pj_ctx *c, const char *name, int64_t except, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, code, name FROM team_types WHERE name = ? COLLATE"
                               " NOCASE AND id <> ? ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, name);
    pj_stmt_int(s, 2, except);
    int rc = pj_stmt_step(s, err);
    /* its name as stored: "Abc Team" meets "abc team" */
    if (rc == 1)
        pj_fail(err, 409, "conflict", "name", "team type %lld (%s) is already named %s",
                (long long)pj_col_int(s, 0), pj_col_text(s, 1), pj_col_text(s, 2));
    pj_stmt_done(s);
    return rc ? -1 : 0;
}

int pj_team_type_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    static const char *const fields[] = {"code", "name", "available", NULL};
    const char *code, *name = NULL;
    int avail_set;
    int64_t avail;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "code", 1, 1, 32, &code, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "name", 1, 64, &name, err) < 0 ||
        team_type_available(body, &avail_set, &avail, err) < 0)
        return -1;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return pj_fail(err, 422, "invalid_value", "code", "code may use a-z, 0-9 and '_'");
    if (pj_db_begin(c->db, err)) return -1;
    if (team_type_name_free(c, name, 0, err)) goto fail;
    /* an id never given before, not even to a deleted team type (migration 13) */
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "INSERT INTO team_types (id, code, name, available) VALUES (" PJ_NEXT_ID(
                          "team_types") ", ?, ?, ?) RETURNING id",
                      err);
    int64_t id = 0;
    if (!s) goto fail;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, name);
    if (avail >= 0) pj_stmt_int(s, 3, avail);
    if (pj_stmt_step(s, err) == 1) id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (!id) {
        if (err->status == 409) pj_fail(err, 409, "conflict", "code", "team type %s exists", code);
        goto fail;
    }
    if (pj_render_commit(c, "create", "team_type", id, NULL, team_type_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* The team type's code and version, or 404; 409 version_conflict when `version` (non-zero) is
 * not the current one. `code` is copied to the arena. */
static int team_type_at(pj_ctx *c, int64_t id, int64_t version, const char **code, pj_err *err)
{
    pj_stmt *s =
        pj_row_by_id(c, "SELECT code, version FROM team_types WHERE id = ?", id, "team type", err);
    if (!s) return -1;
    *code = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    int64_t cur = pj_col_int(s, 1);
    pj_stmt_done(s);
    return version && cur != version ? pj_version_conflict(err, "team type", cur, version) : 0;
}

int pj_team_type_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    static const char *const fields[] = {"code", "name", "available", "version", NULL};
    static const char *const nullable[] = {"available", NULL};
    const char *name = NULL, *code;
    int64_t version, avail;
    int avail_set;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_no_null(body, nullable, err))
        return -1;
    if (json_object_get(body, "code"))
        return pj_fail(err, 422, "read_only", "code",
                       "a team type keeps its code: manuals' steps name it so");
    if (pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "name", 0, 64, &name, err) < 0 ||
        team_type_available(body, &avail_set, &avail, err) < 0)
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before;
    if (team_type_at(c, id, version, &code, err) ||
        (name && team_type_name_free(c, name, id, err)) ||
        !(before = pj_render_to_string(c, id, team_type_render, err)))
        goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE team_types SET name = COALESCE(?, name), available = CASE"
                               " WHEN ? THEN ? ELSE available END, version = version + 1"
                               " WHERE id = ?",
                               err);
    if (!s) goto fail;
    if (name) pj_stmt_text(s, 1, name);
    pj_stmt_int(s, 2, avail_set);
    if (avail >= 0) pj_stmt_int(s, 3, avail);
    pj_stmt_int(s, 4, id);
    /* the same name and count: nothing written, no audit row (pj_render_update_commit) */
    if (pj_step_done(s, err) ||
        pj_render_update_commit(c, "team_type", id, before, team_type_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_team_type_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    const char *code;
    char *before;
    if (pj_db_begin(c->db, err)) return -1;
    if (team_type_at(c, id, version, &code, err)) goto fail;
    /* the steps of every manual version name it (a conversion under way follows its manual's
     * steps): say how many and in which manuals, so the officer knows what to change first */
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT (SELECT COUNT(*) FROM manual_steps WHERE team_type = ?1),"
        " (SELECT COUNT(DISTINCT manual_id) FROM manual_steps WHERE team_type = ?1),"
        " (SELECT group_concat(manual_id, ', ') FROM (SELECT DISTINCT manual_id FROM manual_steps"
        " WHERE team_type = ?1 ORDER BY manual_id LIMIT 5))",
        err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, code);
    int rc = pj_stmt_step(s, err);
    int64_t steps = rc == 1 ? pj_col_int(s, 0) : 0, manuals = rc == 1 ? pj_col_int(s, 1) : 0;
    if (steps)
        pj_fail(err, 409, "in_use", "id",
                "team type %s is named by %lld step(s) of %lld manual(s) (ids %s%s); change those "
                "steps to another team type first",
                code, (long long)steps, (long long)manuals, pj_col_text(s, 2),
                manuals > 5 ? ", …" : "");
    pj_stmt_done(s);
    if (rc != 1 || steps || !(before = pj_render_to_string(c, id, team_type_render, err)))
        goto fail;
    if (delete_commit(c, "DELETE FROM team_types WHERE id = ?", "team_type", id, before, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- manuals ---- */

typedef struct step_in {
    const char *phase, *code, *name, *team;
    int64_t minutes, count;
    json_t *pred, *check; /* arrays of strings (borrowed or owned by the parse) */
} step_in;

/* Reads one phase's steps from a JSON array into st[*n…]. */
static int steps_from_json(pj_ctx *c, json_t *arr, const char *phase, const char *field,
                           step_in *st, int *n, int max, pj_err *err)
{
    if (!arr) return 0;
    if (!json_is_array(arr))
        return pj_fail(err, 422, "wrong_type", field, "%s must be an array of steps", field);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        char f[48];
        snprintf(f, sizeof f, "%s[%u]", field, (unsigned)(i % 1000));
        if (*n >= max) return pj_fail(err, 422, "too_long", field, "at most %d steps", max);
        if (!json_is_object(o))
            return pj_fail(err, 422, "wrong_type", f, "%s must be an object", f);
        static const char *const allowed[] = {"code",      "name",       "planned_minutes",
                                              "team_type", "team_count", "predecessors",
                                              "checklist", NULL};
        step_in *s = &st[(*n)++];
        memset(s, 0, sizeof *s);
        s->phase = phase;
        s->count = 1;
        pj_err sub;
        pj_err_clear(&sub);
        if (pj_in_only(o, allowed, &sub) || pj_in_str(o, "code", 1, 1, 32, &s->code, &sub) < 0 ||
            pj_in_str(o, "name", 1, 1, 128, &s->name, &sub) < 0 ||
            pj_in_int(o, "planned_minutes", 1, 1, 60 * 24 * 30, &s->minutes, &sub) < 0 ||
            pj_in_str(o, "team_type", 1, 1, 32, &s->team, &sub) < 0 ||
            pj_in_int(o, "team_count", 0, 1, 1000, &s->count, &sub) < 0 ||
            string_list(json_object_get(o, "predecessors"), "predecessors", 50, 32, &sub) ||
            string_list(json_object_get(o, "checklist"), "checklist", 50, 200, &sub)) {
            *err = sub;
            snprintf(err->field, sizeof err->field, "%.30s.%.30s", f, sub.field);
            return -1;
        }
        s->pred = json_object_get(o, "predecessors");
        s->check = json_object_get(o, "checklist");
    }
    (void)c;
    return 0;
}

/* CSV columns: phase,code,name,planned_minutes,team_type,team_count,predecessors,checklist
 * with predecessors and checklist items separated by ';' or the full-width '；' a Chinese
 * keyboard types. */
static const char *const csv_header[] = {"phase",           "code",      "name",
                                         "planned_minutes", "team_type", "team_count",
                                         "predecessors",    "checklist"};

#define FULLWIDTH_SEMICOLON "\xEF\xBC\x9B" /* U+FF1B '；' */

static json_t *split_list(const char *s)
{
    json_t *a = json_array();
    const char *p = s;
    while (p && *p) {
        const char *e = strchr(p, ';'), *fw = strstr(p, FULLWIDTH_SEMICOLON);
        size_t skip = 1;
        if (fw && (!e || fw < e)) e = fw, skip = 3;
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (*p == ' ')) p++, n--;
        while (n && p[n - 1] == ' ') n--;
        if (n) json_array_append_new(a, json_stringn(p, n));
        p = e ? e + skip : NULL;
    }
    return a;
}

static int steps_from_csv(pj_ctx *c, const char *text, step_in *st, int *n, int max, json_t *keep,
                          pj_err *err)
{
    /* U+FFFD is what a client writes for bytes it could not decode: a GBK file (Excel's "CSV"
     * on a Chinese Windows) read as UTF-8 arrives as valid text of unreadable names */
    if (strstr(text, "\xEF\xBF\xBD"))
        return pj_fail(err, 422, "bad_csv", "csv",
                       "the CSV holds U+FFFD, the mark of bytes that were not UTF-8: the file was"
                       " not UTF-8 text (e.g. Excel's GBK \"CSV\"); save it as \"CSV UTF-8\" and"
                       " import it again");
    pj_csv csv;
    if (pj_csv_parse(c->arena, text, strlen(text), &csv, err)) {
        err->status = 422; /* the request is well-formed; its csv field is not */
        return -1;
    }
    if (csv.nrows < 1 || csv.ncols[0] < 8)
        return pj_fail(err, 422, "bad_csv", "csv",
                       "the first line must name the 8 columns: phase,"
                       "code,name,planned_minutes,team_type,team_count,"
                       "predecessors,checklist");
    for (int k = 0; k < 8; k++)
        if (strcmp(csv.cells[0][k], csv_header[k]))
            return pj_fail(err, 422, "bad_csv", "csv", "column %d must be %s, not %s", k + 1,
                           csv_header[k], csv.cells[0][k]);
    for (int r = 1; r < csv.nrows; r++) {
        char **cell = csv.cells[r];
        /* a line of empty cells (",,,,,,,", what a spreadsheet writes for a row it formatted or
         * cleared) is skipped, as a blank line is and as the table imports skip it */
        int empty = 1;
        for (int k = 0; k < csv.ncols[r] && empty; k++) empty = !*cell[k];
        if (empty) continue;
        if (*n >= max) return pj_fail(err, 422, "too_long", "csv", "at most %d steps", max);
        if (csv.ncols[r] != 8)
            return pj_fail(err, 422, "bad_csv", "csv", "line %d has %d fields, not 8", r + 1,
                           csv.ncols[r]);
        /* the export guards a text that begins like a formula ('-清场复核): read back as it was,
         * so that a manual exported and imported again keeps its names and checklist items */
        for (int k = 0; k < 8; k++) cell[k] = pj_csv_unguarded(cell[k]);
        if (strcmp(cell[0], "convert") && strcmp(cell[0], "restore"))
            return pj_fail(err, 422, "bad_csv", "csv", "line %d: phase must be convert or restore",
                           r + 1);
        step_in *s = &st[(*n)++];
        memset(s, 0, sizeof *s);
        s->phase = !strcmp(cell[0], "convert") ? "convert" : "restore";
        s->code = cell[1];
        s->name = cell[2];
        s->team = cell[4];
        if (!*s->code || !*s->name || !*s->team)
            return pj_fail(err, 422, "bad_csv", "csv",
                           "line %d: code, name and team_type are needed", r + 1);
        /* a text of one line, as the JSON steps' (pj_in_str): no control or bidirectional
         * character in any cell */
        for (int k = 0; k < 8; k++) {
            long bad = pj_text_bad_char(cell[k], strlen(cell[k]), 0);
            if (bad >= 0)
                return pj_fail(err, 422, "bad_csv", "csv",
                               "line %d: %s holds a control or bidirectional character (U+%04lX)",
                               r + 1, csv_header[k], bad);
        }
        if (pj_parse_i64(cell[3], &s->minutes) || s->minutes < 1 || s->minutes > 60 * 24 * 30 ||
            pj_parse_i64(*cell[5] ? cell[5] : "1", &s->count) || s->count < 1 || s->count > 1000)
            return pj_fail(err, 422, "bad_csv", "csv",
                           "line %d: planned_minutes (1–43200) and team_count (1–1000) are numbers",
                           r + 1);
        s->pred = split_list(cell[6]);
        s->check = split_list(cell[7]);
        json_array_append_new(keep, s->pred); /* keep owns them */
        json_array_append_new(keep, s->check);
    }
    return 0;
}

/* One rule for both inputs (JSON or CSV): names, codes, team types, predecessors and checklist
 * items are stored trimmed of the spaces around them (a no-break or ideographic space too), so
 * that a manual exported as CSV and imported again keeps them as they were (the CSV list is
 * split on ';' and its items trimmed) and a checklist signed by its item text finds the same
 * text in the next version. A list is rebuilt, owned by keep. */
static void step_trim(pj_ctx *c, step_in *s, json_t *keep)
{
    s->code = pj_text_trimmed(c->arena, s->code);
    s->name = pj_text_trimmed(c->arena, s->name);
    s->team = pj_text_trimmed(c->arena, s->team);
    json_t **lists[2] = {&s->pred, &s->check};
    for (int l = 0; l < 2; l++) {
        if (!*lists[l]) continue;
        json_t *t = json_array(), *x;
        size_t i;
        json_array_foreach(*lists[l], i, x)
        {
            const char *v = json_string_value(x);
            json_array_append_new(t, json_string(v ? pj_text_trimmed(c->arena, v) : ""));
        }
        json_array_append_new(keep, t);
        *lists[l] = t;
    }
}

/* Rules every step obeys, however it came (JSON or CSV): a code of [A-Za-z0-9_.-]{1,32}, a
 * name of 1–128 characters, ≤ 50 distinct predecessors and ≤ 50 distinct checklist items of
 * 1–200 characters without ';' or '；' (the CSV list separators). */
static int step_rules(const step_in *s, const char *field, pj_err *err)
{
    size_t cl = strlen(s->code);
    if (!cl || cl > 32 ||
        strspn(s->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789_.-") != cl)
        return pj_fail(err, 422, "invalid_value", field,
                       "step code \"%.40s\" must be 1–32 of A-Z, a-z, 0-9, '_', '.', '-'", s->code);
    size_t nl = pj_utf8_len(s->name, strlen(s->name)), from;
    if (!nl || nl > 128 || !pj_text_trim(s->name, &from))
        return pj_fail(err, 422, "invalid_value", field,
                       "step %s: the name must have 1–128 characters, not blank", s->code);
    json_t *lists[2] = {s->pred, s->check};
    for (int l = 0; l < 2; l++) {
        json_t *a = lists[l];
        if (!a) continue;
        if (json_array_size(a) > 50)
            return pj_fail(err, 422, "too_long", field, "step %s: at most 50 %s", s->code,
                           l ? "checklist items" : "predecessors");
        for (size_t i = 0; i < json_array_size(a); i++) {
            const char *v = json_string_value(json_array_get(a, i));
            size_t vl = v ? pj_utf8_len(v, strlen(v)) : 0;
            if (!vl || vl > 200 || strchr(v, ';') || strstr(v, FULLWIDTH_SEMICOLON) ||
                !pj_text_trim(v, &from))
                return pj_fail(err, 422, "invalid_value", field,
                               "step %s: a %s must have 1–200 characters, not blank, and no ';'"
                               " or '；'",
                               s->code, l ? "checklist item" : "predecessor");
            for (size_t k = 0; k < i; k++)
                if (!strcmp(v, json_string_value(json_array_get(a, k))))
                    return pj_fail(err, 422, "duplicate", field, "step %s: \"%s\" is listed twice",
                                   s->code, v);
        }
    }
    return 0;
}

/* Validates codes, team types and predecessors of one phase, and that it is a DAG. */
static int steps_check(pj_ctx *c, step_in *st, int n, const char *phase, const char *field,
                       double *critical_min, pj_err *err)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(st[i].phase, phase) && step_rules(&st[i], field, err)) return -1;
    int idx[512], m = 0;
    for (int i = 0; i < n; i++)
        if (!strcmp(st[i].phase, phase)) idx[m++] = i;
    if (!m) {
        *critical_min = 0;
        return 0;
    }
    for (int a = 0; a < m; a++) {
        step_in *s = &st[idx[a]];
        for (int b = 0; b < a; b++)
            if (!strcmp(st[idx[b]].code, s->code))
                return pj_fail(err, 422, "duplicate", field, "step code %s is used twice", s->code);
        pj_stmt *q = pj_db_prepare(c->db, "SELECT 1 FROM team_types WHERE code = ?", err);
        if (!q) return -1;
        pj_stmt_text(q, 1, s->team);
        int rc = pj_stmt_step(q, err);
        pj_stmt_done(q);
        if (rc < 0) return -1;
        if (!rc)
            return pj_fail(err, 422, "unknown_id", field, "step %s: no team type %s", s->code,
                           s->team);
    }
    double *dur = pj_arena_alloc(c->arena, sizeof(double) * (size_t)m);
    int *np = pj_arena_alloc(c->arena, sizeof(int) * (size_t)m);
    int **pred = pj_arena_alloc(c->arena, sizeof(int *) * (size_t)m);
    for (int a = 0; a < m; a++) {
        step_in *s = &st[idx[a]];
        dur[a] = (double)s->minutes;
        np[a] = s->pred ? (int)json_array_size(s->pred) : 0;
        pred[a] = pj_arena_alloc(c->arena, sizeof(int) * (size_t)(np[a] + 1));
        for (int k = 0; k < np[a]; k++) {
            const char *pc = json_string_value(json_array_get(s->pred, (size_t)k));
            int found = -1;
            for (int b = 0; b < m && found < 0; b++)
                if (!strcmp(st[idx[b]].code, pc)) found = b;
            if (found < 0)
                return pj_fail(err, 422, "unknown_id", field,
                               "step %s: predecessor %s is not a %s step of this manual", s->code,
                               pc, phase);
            pred[a][k] = found;
        }
    }
    pj_cpm_result r;
    int rc = pj_cpm_solve(m, dur, np, (const int *const *)pred, &r);
    if (rc) {
        char names[200] = "";
        size_t len = 0;
        int k = 0;
        for (; k < r.cycle_len && len + 40 < sizeof names; k++) {
            int q = snprintf(names + len, sizeof names - len, "%s%s", k ? " → " : "",
                             st[idx[r.cycle[k]]].code);
            if (q > 0) len += (size_t)q;
        }
        /* closed by its first step when whole; a cycle too long to name is said to go on (it
         * was closed after a cut, naming a step S21 → S0 that does not exist) */
        if (r.cycle_len && k == r.cycle_len)
            snprintf(names + len, sizeof names - len, " → %s", st[idx[r.cycle[0]]].code);
        else if (r.cycle_len)
            snprintf(names + len, sizeof names - len, " → … (%d steps in all)", r.cycle_len);
        pj_cpm_free(&r);
        return pj_fail(err, 422, "cycle", field, "the %s steps have a cycle: %s", phase, names);
    }
    *critical_min = r.length;
    pj_cpm_free(&r);
    return 0;
}

static int manual_steps_render(pj_ctx *c, int64_t id, const char *phase, pj_jw *w, double *len,
                               pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, code, name, planned_minutes, team_type, team_count,"
                               " predecessors, checklist FROM manual_steps WHERE manual_id = ?"
                               " AND phase = ? ORDER BY seq",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_text(s, 2, phase);
    /* load, compute the critical path, then write */
    int n = 0, rc;
    struct row {
        int64_t id, minutes, count;
        char *code, *name, *team, *pred, *check;
    } rows[512];
    while ((rc = pj_stmt_step(s, err)) == 1 && n < 512) {
        struct row *r = &rows[n++];
        r->id = pj_col_int(s, 0);
        r->code = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        r->name = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        r->minutes = pj_col_int(s, 3);
        r->team = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        r->count = pj_col_int(s, 5);
        r->pred = pj_arena_strdup(c->arena, pj_col_text(s, 6));
        r->check = pj_arena_strdup(c->arena, pj_col_text(s, 7));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    double *dur = pj_arena_alloc(c->arena, sizeof(double) * (size_t)(n + 1));
    int *np = pj_arena_alloc(c->arena, sizeof(int) * (size_t)(n + 1));
    int **pred = pj_arena_alloc(c->arena, sizeof(int *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        dur[i] = (double)rows[i].minutes;
        json_t *p = json_loads(rows[i].pred, 0, NULL);
        np[i] = 0;
        pred[i] = pj_arena_alloc(c->arena, sizeof(int) * (json_array_size(p) + 1));
        for (size_t k = 0; k < json_array_size(p); k++)
            for (int b = 0; b < n; b++)
                if (!strcmp(rows[b].code, json_string_value(json_array_get(p, k))))
                    pred[i][np[i]++] = b;
        json_decref(p);
    }
    pj_cpm_result cp;
    memset(&cp, 0, sizeof cp);
    int ok = pj_cpm_solve(n, dur, np, (const int *const *)pred, &cp) == 0;
    *len = ok ? cp.length : 0;
    pj_jw_arr(w);
    for (int i = 0; i < n; i++) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", rows[i].id);
        pj_jw_kstr(w, "code", rows[i].code);
        pj_jw_kstr(w, "name", rows[i].name);
        pj_jw_kint(w, "planned_minutes", rows[i].minutes);
        pj_jw_kstr(w, "team_type", rows[i].team);
        pj_jw_kint(w, "team_count", rows[i].count);
        pj_jw_key(w, "predecessors");
        pj_jw_raw(w, rows[i].pred);
        pj_jw_key(w, "checklist");
        pj_jw_raw(w, rows[i].check);
        if (ok) {
            pj_jw_knum(w, "earliest_start", cp.es[i]);
            pj_jw_knum(w, "slack", cp.ls[i] - cp.es[i]);
            pj_jw_kbool(w, "critical", cp.critical[i]);
        }
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_cpm_free(&cp);
    return 0;
}

double pj_du_manual_critical_minutes(pj_ctx *c, int64_t manual_id, const char *phase, int *nsteps,
                                     pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT code, planned_minutes, predecessors FROM manual_steps"
                               " WHERE manual_id = ? AND phase = ? ORDER BY seq",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, manual_id);
    pj_stmt_text(s, 2, phase);
    /* step codes are [A-Za-z0-9_.-]{1,32} (step_rules), so a quoted code found in the stored
     * JSON list of predecessors is exactly that predecessor */
    struct step {
        char code[36];
        char *preds;
        double dur;
    } *st = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            struct step *g = realloc(st, sizeof *st * (size_t)cap);
            if (!g) abort();
            st = g;
        }
        snprintf(st[n].code, sizeof st[n].code, "\"%s\"", pj_col_text(s, 0));
        st[n].dur = (double)pj_col_int(s, 1);
        st[n].preds = strdup(pj_col_text(s, 2));
        n++;
    }
    pj_stmt_done(s);
    double len = -1;
    if (rc < 0) goto out;
    if (nsteps) *nsteps = n;
    double *dur = malloc(sizeof(double) * ((size_t)n + 1));
    int *np = calloc((size_t)n + 1, sizeof(int));
    int **pred = malloc(sizeof(int *) * ((size_t)n + 1));
    for (int i = 0; i < n; i++) {
        dur[i] = st[i].dur;
        pred[i] = malloc(sizeof(int) * ((size_t)n + 1));
        for (int b = 0; b < n; b++)
            if (strstr(st[i].preds, st[b].code)) pred[i][np[i]++] = b;
    }
    pj_cpm_result r;
    if (pj_cpm_solve(n, dur, np, (const int *const *)pred, &r))
        pj_fail(err, 500, "internal", "", "manual %lld has a cycle", (long long)manual_id);
    else
        len = r.length;
    pj_cpm_free(&r);
    for (int i = 0; i < n; i++) free(pred[i]);
    free(pred);
    free(np);
    free(dur);
out:
    for (int i = 0; i < n; i++) free(st[i].preds);
    free(st);
    return len;
}

static int manual_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_row_by_id(c,
                     "SELECT m.id, m.facility_id, f.name, f.type, m.scenario, m.role,"
                     " m.version, m.title, m.created_at, m.created_by,"
                     " " PJ_SQL_BY_NAME_OF "m.created_by" PJ_SQL_BY_NAME_END ","
                     " (SELECT n.id FROM manuals n WHERE n.facility_id = m.facility_id AND"
                     " n.scenario = m.scenario ORDER BY n.version DESC LIMIT 1),"
                     " (SELECT MAX(n.version) FROM manuals n WHERE n.facility_id = m.facility_id"
                     " AND n.scenario = m.scenario) FROM manuals m"
                     " JOIN facilities f ON f.id = m.facility_id WHERE m.id = ?",
                     id, "manual", err);
    if (!s) return -1;
    const char *ftype = pj_arena_strdup(c->arena, pj_col_text(s, 3));
    const char *scenario = pj_arena_strdup(c->arena, pj_col_text(s, 4));
    const char *role = pj_arena_strdup(c->arena, pj_col_text(s, 5));
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "facility_id", pj_col_int(s, 1));
    pj_render_text(w, "facility_name", s, 2);
    pj_jw_kstr(w, "scenario", scenario);
    pj_jw_kstr(w, "role", role);
    pj_jw_kint(w, "version", pj_col_int(s, 6));
    pj_render_text(w, "title", s, 7);
    pj_render_time(w, "created_at", pj_col_int(s, 8));
    pj_render_by(w, "created_by", s, 9, 10);
    pj_jw_kint(w, "newest_id", pj_col_int(s, 11));
    pj_jw_kint(w, "newest_version", pj_col_int(s, 12));
    pj_stmt_done(s);
    double conv = 0, rest = 0, target = 0;
    pj_jw_key(w, "steps");
    if (manual_steps_render(c, id, "convert", w, &conv, err)) return -1;
    pj_jw_key(w, "restore_steps");
    if (manual_steps_render(c, id, "restore", w, &rest, err)) return -1;
    int64_t std = pj_du_standard_in_force(c, ftype, scenario, role, &target, err);
    if (std < 0) return -1;
    pj_jw_key(w, "analysis");
    pj_jw_obj(w);
    pj_jw_knum(w, "critical_path_minutes", conv);
    pj_jw_knum(w, "restore_critical_path_minutes", rest);
    if (std) {
        pj_jw_kint(w, "standard_id", std);
        pj_jw_knum(w, "target_hours", target);
        pj_jw_kbool(w, "meets_target", conv <= target * 60 + 1e-9);
    } else {
        pj_jw_knull(w, "standard_id");
        pj_jw_knull(w, "target_hours");
        pj_jw_knull(w, "meets_target");
    }
    pj_jw_obj_end(w);
    pj_jw_obj_end(w);
    return 0;
}

int pj_manual_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return manual_render(c, id, w, err);
}

/* latest: only the newest version of each facility × scenario (the one a conversion or a
 * drill runs), so that a page of the list is not taken by versions replaced since. */
int pj_manual_list(pj_ctx *c, int64_t facility_id, const char *scenario, int latest, int64_t cursor,
                   int limit, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id FROM manuals m WHERE id > ? AND (? = 0 OR facility_id = ?)"
                      " AND (? IS NULL OR scenario = ?) AND (? = 0 OR NOT EXISTS (SELECT 1"
                      " FROM manuals n WHERE n.facility_id = m.facility_id AND"
                      " n.scenario = m.scenario AND n.version > m.version))"
                      " ORDER BY id LIMIT ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_int(s, 2, facility_id);
    pj_stmt_int(s, 3, facility_id);
    pj_stmt_text(s, 4, scenario);
    pj_stmt_text(s, 5, scenario);
    pj_stmt_int(s, 6, latest);
    pj_stmt_int(s, 7, limit + 1);
    return pj_render_query_page(c, s, limit, manual_render, w, err);
}

/* A manual converts its facility into one of the facility's own emergency roles: a conversion
 * by it puts the facility in emergency for that role, and the overview, the planner and the
 * registry's guard on a live conversion all count the facility's capacity in it. 0, or 422
 * invalid_value at role naming the roles the facility has. */
static int manual_role_held(pj_ctx *c, int64_t fid, const char *role, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT f.name, (SELECT group_concat(role, ', ') FROM (SELECT"
                               " DISTINCT r.role FROM facility_roles r WHERE r.facility_id = f.id"
                               " ORDER BY r.role)), EXISTS (SELECT 1 FROM facility_roles r WHERE"
                               " r.facility_id = f.id AND r.role = ?2) FROM facilities f"
                               " WHERE f.id = ?1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, role);
    int rc = pj_stmt_step(s, err);
    if (rc == 1 && !pj_col_int(s, 2)) {
        const char *roles = pj_col_is_null(s, 1) ? NULL : pj_col_text(s, 1);
        pj_fail(err, 422, "invalid_value", "role",
                "%s (facility %lld) has no emergency role %s (%s%s): a manual converts a facility"
                " into one of its roles",
                pj_col_text(s, 0), (long long)fid, role, roles ? "its roles: " : "it has none",
                roles ? roles : "");
        rc = -1;
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_manual_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"facility_id",   "scenario", "role",     "title", "steps",
                                         "restore_steps", "csv",      "based_on", NULL};
    int64_t fid, based_on = 0;
    const char *scenario, *role, *title = NULL, *csv = NULL;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "facility_id", 1, &fid, err) < 0 ||
        pj_in_enum(body, "scenario", 1, pj_scenarios, &scenario, err) < 0 ||
        pj_in_enum(body, "role", 1, pj_emergency_roles, &role, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "title", 1, 200, &title, err) < 0 ||
        pj_in_str(body, "csv", 0, 1, 1 << 20, &csv, err) < 0 ||
        pj_in_int(body, "based_on", 0, 1, INT64_MAX, &based_on, err) < 0 ||
        pj_du_facility_scope(c, fid, "facility_id", NULL, err) ||
        manual_role_held(c, fid, role, err))
        return -1;
    if (csv && (json_object_get(body, "steps") || json_object_get(body, "restore_steps")))
        return pj_fail(err, 422, "invalid_value", "csv",
                       "give the steps as csv or as JSON, not both");
    step_in *st = pj_arena_alloc(c->arena, sizeof(step_in) * 512);
    int n = 0, rc, nconv = 0;
    double crit = 0, rcrit = 0;
    int64_t id = 0;
    char *after = NULL;
    json_t *keep = json_array();
    pj_stmt *s;
    /* one transaction from the version check to the insert: no other version comes between */
    if (pj_db_begin(c->db, err)) goto fail;
    if (based_on) { /* the version the edit started from is still the newest */
        char what[80];
        snprintf(what, sizeof what, "the %s manual of facility %lld", scenario, (long long)fid);
        s = pj_db_prepare(c->db,
                          "SELECT m.id, m.version, m.created_at, m.created_by, " PJ_SQL_BY_NAME_OF
                          "m.created_by" PJ_SQL_BY_NAME_END " FROM manuals m WHERE"
                          " m.facility_id = ?1 AND m.scenario = ?2 ORDER BY m.version DESC LIMIT 1",
                          err);
        if (s) {
            pj_stmt_int(s, 1, fid);
            pj_stmt_text(s, 2, scenario);
        }
        if (based_on_newest(s, based_on, what, "manual_id", err)) goto fail;
    }
    rc = csv ? steps_from_csv(c, csv, st, &n, 512, keep, err)
             : (steps_from_json(c, json_object_get(body, "steps"), "convert", "steps", st, &n, 512,
                                err) ||
                steps_from_json(c, json_object_get(body, "restore_steps"), "restore",
                                "restore_steps", st, &n, 512, err));
    for (int i = 0; !rc && i < n; i++) {
        step_trim(c, &st[i], keep);
        nconv += !strcmp(st[i].phase, "convert");
    }
    if (!rc && !nconv)
        rc = pj_fail(err, 422, "missing_field", csv ? "csv" : "steps",
                     "a manual needs at least one conversion step");
    if (!rc) rc = steps_check(c, st, n, "convert", csv ? "csv" : "steps", &crit, err);
    if (!rc) rc = steps_check(c, st, n, "restore", csv ? "csv" : "restore_steps", &rcrit, err);
    if (rc) goto fail;
    s = pj_db_prepare(c->db,
                      "INSERT INTO manuals (id, facility_id, scenario, role, version, title,"
                      " created_at, created_by) SELECT " PJ_NEXT_ID(
                          "manuals") ", ?1, ?2, ?3, COALESCE(MAX(version), 0)"
                                     " + 1, ?4, ?5, ?6 FROM manuals WHERE facility_id = ?1 AND"
                                     " scenario = ?2 RETURNING id",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, scenario);
    pj_stmt_text(s, 3, role);
    pj_stmt_text(s, 4, title);
    pj_stmt_int(s, 5, pj_now());
    pj_stmt_text(s, 6, c->actor.username);
    if (pj_stmt_step(s, err) == 1) id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (!id) goto fail;
    for (int i = 0; i < n; i++) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO manual_steps (manual_id, phase, seq, code, name,"
                          " planned_minutes, team_type, team_count, predecessors, checklist)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?)",
                          err);
        if (!s) goto fail;
        char *pj = st[i].pred ? json_dumps(st[i].pred, JSON_COMPACT) : NULL;
        char *cj = st[i].check ? json_dumps(st[i].check, JSON_COMPACT) : NULL;
        pj_stmt_int(s, 1, id);
        pj_stmt_text(s, 2, st[i].phase);
        pj_stmt_int(s, 3, i + 1);
        pj_stmt_text(s, 4, st[i].code);
        pj_stmt_text(s, 5, st[i].name);
        pj_stmt_int(s, 6, st[i].minutes);
        pj_stmt_text(s, 7, st[i].team);
        pj_stmt_int(s, 8, st[i].count);
        pj_stmt_text(s, 9, pj ? pj : "[]");
        pj_stmt_text(s, 10, cj ? cj : "[]");
        int r2 = pj_step_done(s, err);
        free(pj);
        free(cj);
        if (r2) goto fail;
    }
    if (!(after = pj_render_to_string(c, id, manual_render, err)) ||
        pj_audit_add(c, "create", "manual", id, NULL, after, err) || pj_db_commit(c->db, err))
        goto fail;
    json_decref(keep);
    pj_jw_raw(w, after);
    return 0;
fail:
    json_decref(keep);
    pj_db_rollback(c->db);
    return -1;
}

int pj_manual_export_csv(pj_ctx *c, int64_t id, pj_buf *out, pj_err *err)
{
    if (pj_render_exists(c, "SELECT 1 FROM manuals WHERE id = ?", id, err) <= 0)
        return err->status ? -1 : pj_not_found(err, "manual", id);
    for (int k = 0; k < 8; k++) pj_csv_field(out, csv_header[k], k == 7);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT phase, code, name, planned_minutes, team_type, team_count,"
                               " predecessors, checklist FROM manual_steps WHERE manual_id = ?"
                               " ORDER BY phase, seq",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        char num[24];
        for (int k = 0; k < 8; k++) {
            const char *v = pj_col_text(s, k);
            if (k == 3 || k == 5) {
                snprintf(num, sizeof num, "%lld", (long long)pj_col_int(s, k));
                v = num;
            }
            if (k >= 6) { /* JSON list → "a;b" */
                json_t *a = json_loads(v, 0, NULL);
                pj_buf t;
                pj_buf_init(&t, 1 << 16);
                for (size_t q = 0; q < json_array_size(a); q++) {
                    if (q) pj_buf_putc(&t, ';');
                    pj_buf_puts(&t, json_string_value(json_array_get(a, q)));
                }
                pj_csv_field(out, t.data ? t.data : "", k == 7);
                pj_buf_free(&t);
                json_decref(a);
                continue;
            }
            pj_csv_field(out, v, 0);
        }
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* ---- stock lines ---- */

int64_t pj_stock_expired_before(int64_t now)
{
    return pj_local_day(now) * 86400; /* Beijing's today, as an expiry is stored */
}

/* A stock line's expiry as its date ("YYYY-MM-DD"), null when it has none. */
static void expiry_put(pj_jw *w, int none, int64_t t)
{
    if (none) {
        pj_jw_knull(w, "expiry");
        return;
    }
    char d[21];
    pj_time_iso(t, d);
    d[10] = 0;
    pj_jw_kstr(w, "expiry", d);
}

static int stock_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT l.id, l.facility_id, f.name, l.category, l.quantity, l.unit,"
                              " l.expiry, l.source, l.updated_at, l.version, f.township_id"
                              " FROM stock_lines l"
                              " JOIN facilities f ON f.id = l.facility_id WHERE l.id = ?",
                              id, "stock line", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "facility_id", pj_col_int(s, 1));
    pj_render_text(w, "facility_name", s, 2);
    pj_render_ref(w, "township_id", s, 10);
    pj_render_text(w, "category", s, 3);
    pj_jw_knum(w, "quantity", pj_col_double(s, 4));
    pj_render_text(w, "unit", s, 5);
    expiry_put(w, pj_col_is_null(s, 6), pj_col_int(s, 6));
    pj_jw_kbool(w, "expired",
                !pj_col_is_null(s, 6) && pj_col_int(s, 6) < pj_stock_expired_before(pj_now()));
    pj_render_text(w, "source", s, 7);
    pj_render_time(w, "updated_at", pj_col_int(s, 8));
    pj_jw_kint(w, "version", pj_col_int(s, 9));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

const char *const pj_stock_expiry_states[] = {"ok", "soon", "expired", NULL};
const char *const pj_stock_summary_bys[] = {"category", "facility", NULL};

/* A stock line's expiry state on Beijing's today, as SQL: 'expired' before today (the line's
 * `expired`), 'soon' from today through today + PJ_STOCK_SOON_DAYS days, 'ok' later or without
 * an expiry. T and S name the bound parameters holding today and today + 90 days
 * (stock_days). The one rule of the list's expiry_state and of the summary's sums and counts. */
#define STOCK_STATE(col, T, S)                                                                     \
    "(CASE WHEN " col " < " T " THEN 'expired' WHEN " col " <= " S " THEN 'soon' ELSE 'ok' END)"

/* Beijing's today as an expiry is stored, and the last day that is expiring soon. */
static void stock_days(int64_t *today, int64_t *soon)
{
    *today = pj_stock_expired_before(pj_now());
    *soon = *today + (int64_t)PJ_STOCK_SOON_DAYS * 86400;
}

int pj_stock_list(pj_ctx *c, int64_t facility_id, const char *category, const char *expiry_state,
                  int64_t cursor, int64_t offset, int limit, pj_jw *w, pj_err *err)
{
    int64_t today, soon;
    stock_days(&today, &soon);
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id FROM stock_lines WHERE id > ?1 AND (?2 = 0 OR facility_id"
                      " = ?2) AND (?3 IS NULL OR category = ?3) AND (?4 IS NULL OR " STOCK_STATE(
                          "expiry", "?5", "?6") " = ?4) ORDER BY id LIMIT ?7 OFFSET ?8",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_int(s, 2, facility_id);
    pj_stmt_text(s, 3, category);
    pj_stmt_text(s, 4, expiry_state);
    pj_stmt_int(s, 5, today);
    pj_stmt_int(s, 6, soon);
    pj_stmt_int(s, 7, limit + 1);
    pj_stmt_int(s, 8, offset);
    return pj_render_query_page(c, s, limit, stock_render, w, err);
}

static void as_of(pj_jw *w, int64_t today)
{
    char d[21];
    pj_time_iso(today, d);
    d[10] = 0;
    pj_jw_kstr(w, "as_of_date", d);
    pj_jw_kint(w, "soon_days", PJ_STOCK_SOON_DAYS);
}

/* {"ok":n,"soon":n,"expired":n}: the lines in each expiry state */
static void by_state(pj_jw *w, const int64_t n[3])
{
    pj_jw_key(w, "lines_by_state");
    pj_jw_obj(w);
    for (int i = 0; i < 3; i++) pj_jw_kint(w, pj_stock_expiry_states[i], n[i]);
    pj_jw_obj_end(w);
}

/* The stock lines of one category (of one facility, when given) per facility holding any, the
 * most usable first (then by id): where the category is held (the stock page's chart). */
static int stock_by_facility(pj_ctx *c, int64_t facility_id, const char *category, pj_jw *w,
                             pj_err *err)
{
    int64_t today, soon;
    stock_days(&today, &soon);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT l.facility_id, f.name, f.township_id, COUNT(*), COALESCE(SUM(CASE WHEN l.st <>"
        " 'expired' THEN l.quantity END), 0) AS usable, COALESCE(SUM(CASE WHEN l.st = 'soon' THEN"
        " l.quantity END), 0), COALESCE(SUM(CASE WHEN l.st = 'expired' THEN l.quantity END), 0)"
        " FROM (SELECT facility_id, quantity, " STOCK_STATE(
            "expiry", "?1", "?2") " AS st FROM"
                                  " stock_lines WHERE category = ?3 AND (?4 = 0 OR facility_id = "
                                  "?4)) l JOIN facilities f"
                                  " ON f.id = l.facility_id GROUP BY l.facility_id ORDER BY usable "
                                  "DESC, l.facility_id",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, today);
    pj_stmt_int(s, 2, soon);
    pj_stmt_text(s, 3, category);
    pj_stmt_int(s, 4, facility_id);
    pj_jw_obj(w);
    as_of(w, today);
    pj_jw_kstr(w, "category", category);
    pj_jw_key(w, "facilities");
    pj_jw_arr(w);
    int rc;
    int64_t lines = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "facility_id", pj_col_int(s, 0));
        pj_render_text(w, "facility_name", s, 1);
        pj_render_ref(w, "township_id", s, 2);
        pj_jw_kint(w, "lines", pj_col_int(s, 3));
        pj_jw_knum(w, "usable", pj_col_double(s, 4));
        pj_jw_knum(w, "soon", pj_col_double(s, 5));
        pj_jw_knum(w, "expired", pj_col_double(s, 6));
        pj_jw_obj_end(w);
        lines += pj_col_int(s, 3);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_kint(w, "lines", lines);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

/* Per supply category, the stock lines GET /stock holds with the same filters, every one of
 * them (not a page): usable (not expired: no expiry, or expiring on Beijing's today or later),
 * of that what expires within PJ_STOCK_SOON_DAYS days (expiry ≤ today + 90 days), expired, and
 * the number of lines, in all and per expiry state (what GET /stock?expiry_state= lists). Every
 * category the filter keeps, in the order of the catalogue (meta's), 0 where none is. The stock
 * page's cards and its pager read these, never sums of the lines it loaded. by_facility: per
 * facility of the one category instead. */
int pj_stock_summary(pj_ctx *c, int64_t facility_id, const char *category, int by_facility,
                     pj_jw *w, pj_err *err)
{
    if (by_facility) {
        if (!category)
            return pj_fail(err, 400, "bad_query", "category",
                           "by=facility needs a category (quantities of different units do not add"
                           " up)");
        return stock_by_facility(c, facility_id, category, w, err);
    }
    int64_t today, soon;
    stock_days(&today, &soon);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT k.code, k.name, k.unit, COUNT(l.id), COALESCE(SUM(CASE WHEN l.st <> 'expired'"
        " THEN l.quantity END), 0), COALESCE(SUM(CASE WHEN l.st = 'soon' THEN l.quantity END), 0),"
        " COALESCE(SUM(CASE WHEN l.st = 'expired' THEN l.quantity END), 0), COUNT(CASE WHEN l.st"
        " = 'ok' THEN 1 END), COUNT(CASE WHEN l.st = 'soon' THEN 1 END), COUNT(CASE WHEN l.st ="
        " 'expired' THEN 1 END) FROM supply_categories k LEFT JOIN (SELECT id, category, "
        "quantity, " STOCK_STATE("expiry", "?1",
                                 "?2") " AS st FROM stock_lines WHERE ?3 = 0 OR facility_id ="
                                       " ?3) l ON l.category = k.code WHERE (?4 IS NULL OR k.code "
                                       "= ?4) GROUP BY k.code ORDER BY"
                                       " k.rowid",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, today);
    pj_stmt_int(s, 2, soon);
    pj_stmt_int(s, 3, facility_id);
    pj_stmt_text(s, 4, category);
    pj_jw_obj(w);
    as_of(w, today);
    pj_jw_key(w, "categories");
    pj_jw_arr(w);
    int rc;
    int64_t lines = 0, states[3] = {0, 0, 0};
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_text(w, "category", s, 0);
        pj_render_text(w, "name", s, 1);
        pj_render_text(w, "unit", s, 2);
        pj_jw_kint(w, "lines", pj_col_int(s, 3));
        int64_t n[3] = {pj_col_int(s, 7), pj_col_int(s, 8), pj_col_int(s, 9)};
        by_state(w, n);
        pj_jw_knum(w, "usable", pj_col_double(s, 4));
        pj_jw_knum(w, "soon", pj_col_double(s, 5));
        pj_jw_knum(w, "expired", pj_col_double(s, 6));
        pj_jw_obj_end(w);
        lines += pj_col_int(s, 3);
        for (int i = 0; i < 3; i++) states[i] += n[i];
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_kint(w, "lines", lines);
    by_state(w, states);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

/* An expiry: a date YYYY-MM-DD of the years 2000–2100 (a Beijing date, stored as its 00:00
 * UTC), none is null. *set: 0 the body has no expiry, 1 it has (*has: 0 null, 1 a date). */
static int stock_expiry(json_t *b, int *set, int *has, int64_t *expiry, pj_err *err)
{
    json_t *v = json_object_get(b, "expiry");
    *set = v != NULL;
    if (!v) return 0;
    *has = !json_is_null(v);
    if (!*has) return 0;
    const char *d = json_is_string(v) ? json_string_value(v) : NULL;
    int64_t t;
    if (!d || !pj_rec_date_ok(d) || strncmp(d, "2000", 4) < 0 || strncmp(d, "2100", 4) > 0 ||
        pj_time_parse(d, &t))
        return pj_fail(err, 422, "invalid_value", "expiry",
                       "expiry must be a date YYYY-MM-DD of the years 2000–2100, or null for none");
    *expiry = t;
    return 0;
}

/* category and quantity of the body (on update: over the line's), the category's unit */
static int stock_read(pj_ctx *c, json_t *b, int required, const char **cat, double *qty,
                      const char **unit, pj_err *err)
{
    if (pj_in_trim(b, "category", 1, err) ||
        pj_in_str(b, "category", required, 1, 32, cat, err) < 0 ||
        pj_in_num(b, "quantity", required, 0, 1e12, qty, err) < 0)
        return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT unit FROM supply_categories WHERE code = ?", err);
    if (!s) return -1;
    pj_stmt_text(s, 1, *cat);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) *unit = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (!rc) return pj_fail(err, 422, "unknown_id", "category", "no supply category %s", *cat);
    return 0;
}

int pj_stock_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"facility_id", "category", "quantity",
                                         "expiry",      "source",   NULL};
    int64_t fid, expiry = 0;
    int set = 0, has = 0;
    const char *cat, *unit = "", *source = "manual";
    double qty;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "facility_id", 1, &fid, err) < 0 ||
        pj_in_str(body, "source", 0, 1, 32, &source, err) < 0)
        return -1;
    if (!*(source = pj_text_trimmed(c->arena, source)))
        return pj_fail(err, 422, "missing_field", "source",
                       "source must have more than spaces (leave it out for manual)");
    /* a new line holds something: 0 is a line used up, which only an update records; a
     * quantity below 0 is told the same (the range 0–1e12 of a line named 0 as allowed) */
    json_t *q = json_object_get(body, "quantity");
    if (json_is_number(q) && json_number_value(q) <= 0)
        return pj_fail(err, 422, "out_of_range", "quantity",
                       "a new stock line's quantity must be more than 0 (a line used up is"
                       " updated to 0)");
    if (stock_read(c, body, 1, &cat, &qty, &unit, err)) return -1;
    if (stock_expiry(body, &set, &has, &expiry, err) ||
        pj_du_facility_scope(c, fid, "facility_id", NULL, err))
        return -1;
    int64_t id = 0;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO stock_lines (facility_id, category, quantity, unit,"
                               " expiry, source, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)"
                               " RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, cat);
    pj_stmt_double(s, 3, qty);
    pj_stmt_text(s, 4, unit);
    if (has) pj_stmt_int(s, 5, expiry);
    pj_stmt_text(s, 6, source);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_int(s, 8, pj_now());
    if (pj_stmt_step(s, err) == 1) id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (!id || pj_render_commit(c, "create", "stock_line", id, NULL, stock_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

static int64_t stock_facility(pj_ctx *c, int64_t id, int64_t *version, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT facility_id, version FROM stock_lines WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t f = rc == 1 ? pj_col_int(s, 0) : 0;
    if (rc == 1 && version) *version = pj_col_int(s, 1);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (!rc) return pj_not_found(err, "stock line", id);
    return f;
}

/* Checks a version the caller read against the line's (*cur): 409 when the line has changed. */
static int stock_version(int64_t cur, int64_t version, pj_err *err)
{
    return cur == version ? 0 : pj_version_conflict(err, "stock line", cur, version);
}

int pj_stock_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"category", "quantity", "expiry", "version", NULL};
    static const char *const nullable[] = {"expiry", NULL}; /* null: keeps without expiry */
    int64_t version, cur = 0;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, nullable, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t fid = stock_facility(c, id, &cur, err);
    char *before;
    if (fid < 0 || pj_du_facility_scope(c, fid, NULL, NULL, err) ||
        stock_version(cur, version, err))
        goto fail;
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT category, quantity, expiry, unit FROM stock_lines WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_stmt_step(s, err) != 1) {
        pj_stmt_done(s);
        goto fail;
    }
    const char *cat = pj_arena_strdup(c->arena, pj_col_text(s, 0)), *unit = "";
    const char *was_cat = cat, *was_unit = pj_arena_strdup(c->arena, pj_col_text(s, 3));
    double qty = pj_col_double(s, 1), was_qty = qty;
    int was_has = !pj_col_is_null(s, 2), has = was_has, set = 0;
    int64_t was_expiry = pj_col_int(s, 2), expiry = was_expiry;
    pj_stmt_done(s);
    if (stock_read(c, body, 0, &cat, &qty, &unit, err) ||
        stock_expiry(body, &set, &has, &expiry, err) ||
        !(before = pj_render_to_string(c, id, stock_render, err)))
        goto fail;
    if (!strcmp(cat, was_cat) && !strcmp(unit, was_unit) && qty == was_qty && has == was_has &&
        (!has || expiry == was_expiry)) { /* nothing changed: no write, no audit row */
        pj_db_rollback(c->db);
        pj_jw_raw(w, before);
        return 0;
    }
    s = pj_db_prepare(c->db,
                      "UPDATE stock_lines SET category = ?, quantity = ?, unit = ?, expiry = ?,"
                      " updated_at = ?, version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, cat);
    pj_stmt_double(s, 2, qty);
    pj_stmt_text(s, 3, unit);
    if (has) pj_stmt_int(s, 4, expiry); /* else NULL: none */
    pj_stmt_int(s, 5, pj_now());
    pj_stmt_int(s, 6, id);
    if (pj_step_done(s, err) ||
        pj_render_commit(c, "update", "stock_line", id, before, stock_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_du_stock_take_tx(pj_ctx *c, int64_t fid, const char *category, int64_t qty, int64_t *usable,
                        const char *why, pj_jw *lines, pj_err *err)
{
    /* every usable line first (one statement open at a time; their sum is the check), then
     * each update */
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id, quantity, expiry FROM stock_lines WHERE facility_id = ? AND"
                      " category = ? AND quantity > 0 AND (expiry IS NULL OR expiry >= ?)"
                      " ORDER BY expiry IS NULL, expiry, id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, category);
    pj_stmt_int(s, 3, pj_stock_expired_before(pj_now()));
    struct line {
        int64_t id, exp; /* exp INT64_MIN: none */
        double have;
    } *l = NULL;
    int cap = 0, n = 0, rc;
    double total = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        l = pj_arena_room(c->arena, l, n, &cap, sizeof *l, 16);
        l[n] = (struct line){pj_col_int(s, 0), pj_col_is_null(s, 2) ? INT64_MIN : pj_col_int(s, 2),
                             pj_col_double(s, 1)};
        total += l[n++].have;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* whole units, as the planner counts the stock it offers */
    *usable = (int64_t)floor(total);
    if (qty > *usable) return 1;
    if (lines) pj_jw_arr(lines);
    double rest = (double)qty;
    for (int i = 0; i < n && rest > 1e-9; i++) {
        double take = l[i].have < rest ? l[i].have : rest, left = l[i].have - take;
        if (fabs(left) < 1e-9) left = 0;
        rest -= take;
        char *before, *after;
        if (!(before = pj_render_to_string(c, l[i].id, stock_render, err))) return -1;
        s = pj_db_prepare(c->db,
                          "UPDATE stock_lines SET quantity = ?, updated_at = ?,"
                          " version = version + 1 WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_double(s, 1, left);
        pj_stmt_int(s, 2, pj_now());
        pj_stmt_int(s, 3, l[i].id);
        if (pj_step_done(s, err) || !(after = pj_render_to_string(c, l[i].id, stock_render, err)) ||
            pj_audit_add(c, "ship", "stock_line", l[i].id, before,
                         why ? pj_render_with(c, after, why) : after, err))
            return -1;
        if (lines) {
            pj_jw_obj(lines);
            pj_jw_kint(lines, "stock_line_id", l[i].id);
            pj_jw_knum(lines, "quantity", take);
            expiry_put(lines, l[i].exp == INT64_MIN, l[i].exp);
            pj_jw_knum(lines, "left", left);
            pj_jw_obj_end(lines);
        }
    }
    if (lines) pj_jw_arr_end(lines);
    return 0;
}

int pj_du_stock_return_tx(pj_ctx *c, int64_t fid, const char *category, const char *unit,
                          const char *taken, const char *why, pj_jw *back, pj_err *err)
{
    json_t *parts = json_loads(taken ? taken : "", 0, NULL);
    if (!json_is_array(parts)) {
        json_decref(parts);
        return pj_fail(err, 500, "internal", "", "cannot read the stock lines of the shipment");
    }
    if (back) pj_jw_arr(back);
    size_t i;
    json_t *e;
    int rc = -1;
    json_array_foreach(parts, i, e)
    {
        int64_t from = json_integer_value(json_object_get(e, "stock_line_id")), exp = 0, id = 0;
        double qty = json_number_value(json_object_get(e, "quantity"));
        const char *d = json_string_value(json_object_get(e, "expiry"));
        int has = d && !pj_time_parse(d, &exp);
        if (!(qty > 0)) continue;
        /* the line it came from, when it is still the store's line of that category */
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT id FROM stock_lines WHERE id = ? AND facility_id = ? AND"
                                   " category = ? AND unit = ?",
                                   err);
        if (!s) goto out;
        pj_stmt_int(s, 1, from);
        pj_stmt_int(s, 2, fid);
        pj_stmt_text(s, 3, category);
        pj_stmt_text(s, 4, unit);
        int found = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (found < 0) goto out;
        char *before = NULL, *after;
        if (found) {
            id = from;
            if (!(before = pj_render_to_string(c, id, stock_render, err))) goto out;
            s = pj_db_prepare(c->db,
                              "UPDATE stock_lines SET quantity = quantity + ?, updated_at = ?,"
                              " version = version + 1 WHERE id = ?",
                              err);
            if (!s) goto out;
            pj_stmt_double(s, 1, qty);
            pj_stmt_int(s, 2, pj_now());
            pj_stmt_int(s, 3, id);
            if (pj_step_done(s, err)) goto out;
        } else {
            s = pj_db_prepare(c->db,
                              "INSERT INTO stock_lines (facility_id, category, quantity, unit,"
                              " expiry, source, created_at, updated_at)"
                              " VALUES (?,?,?,?,?,'shipment_void',?,?) RETURNING id",
                              err);
            if (!s) goto out;
            pj_stmt_int(s, 1, fid);
            pj_stmt_text(s, 2, category);
            pj_stmt_double(s, 3, qty);
            pj_stmt_text(s, 4, unit);
            if (has) pj_stmt_int(s, 5, exp); /* else NULL: none */
            pj_stmt_int(s, 6, pj_now());
            pj_stmt_int(s, 7, pj_now());
            if (pj_stmt_step(s, err) == 1) id = pj_col_int(s, 0);
            pj_stmt_done(s);
            if (!id) goto out;
        }
        if (!(after = pj_render_to_string(c, id, stock_render, err)) ||
            pj_audit_add(c, "ship_void", "stock_line", id, before,
                         why ? pj_render_with(c, after, why) : after, err))
            goto out;
        if (back) {
            pj_jw_obj(back);
            pj_jw_kint(back, "stock_line_id", id);
            pj_jw_knum(back, "quantity", qty);
            expiry_put(back, !has, exp);
            pj_jw_kint(back, "from_stock_line_id", from);
            pj_jw_kbool(back, "new", !found);
            pj_jw_obj_end(back);
        }
    }
    if (back) pj_jw_arr_end(back);
    rc = 0;
out:
    json_decref(parts);
    return rc;
}

int pj_stock_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err)
{
    int64_t cur = 0;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t fid = stock_facility(c, id, &cur, err);
    char *before;
    if (fid < 0 || pj_du_facility_scope(c, fid, NULL, NULL, err) ||
        (version && stock_version(cur, version, err)) ||
        !(before = pj_render_to_string(c, id, stock_render, err)))
        goto fail;
    if (delete_commit(c, "DELETE FROM stock_lines WHERE id = ?", "stock_line", id, before, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
