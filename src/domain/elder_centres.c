/* Eldercare: village mutual-aid centres (村级互助养老点, with their age-friendly renovation
 * checklist, 适老化改造) and township elderly-service centres (乡镇区域养老服务中心, with
 * capacity and occupancy). Not personal data: every official may read them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

const char *const pj_centre_checklist[] = {
    "handrails",      "step_free_entrance", "accessible_toilet",
    "emergency_call", "non_slip_floor",     "grab_bars",
    "night_lighting", "wheelchair_access",  NULL};
const char *const pj_centre_kinds[] = {"village", "township", NULL};
static const char *const statuses[] = {"planned", "renovating", "open", "closed", NULL};

static int centre_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT x.id, x.kind, x.name, x.region_id, r.name, x.township_id,"
                              " x.lat, x.lon, x.status, x.checklist, x.capacity, x.occupancy,"
                              " x.source, x.created_at, x.updated_at, x.version, r.code"
                              " FROM elder_centres x JOIN regions r ON r.id = x.region_id"
                              " WHERE x.id = ?",
                              id, "centre", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "kind", s, 1);
    pj_render_text(w, "name", s, 2);
    pj_jw_kint(w, "region_id", pj_col_int(s, 3));
    pj_render_text(w, "region_name", s, 4);
    pj_render_text(w, "region_code", s, 16); /* two villages of one name told apart */
    pj_jw_kint(w, "township_id", pj_col_int(s, 5));
    if (pj_col_is_null(s, 6)) {
        pj_jw_knull(w, "lat");
        pj_jw_knull(w, "lon");
    } else {
        pj_jw_key(w, "lat");
        pj_jw_fixed(w, pj_col_double(s, 6), 6);
        pj_jw_key(w, "lon");
        pj_jw_fixed(w, pj_col_double(s, 7), 6);
    }
    pj_render_text(w, "status", s, 8);
    json_t *cl = json_loads(pj_col_text(s, 9), 0, NULL);
    int done = 0, total = 0;
    pj_jw_key(w, "checklist");
    pj_jw_obj(w);
    for (int k = 0; pj_centre_checklist[k]; k++) {
        int v = json_is_true(json_object_get(cl, pj_centre_checklist[k]));
        pj_jw_kbool(w, pj_centre_checklist[k], v);
        done += v, total++;
    }
    pj_jw_obj_end(w);
    json_decref(cl);
    pj_jw_kint(w, "checklist_done", done);
    pj_jw_kint(w, "checklist_total", total);
    int64_t cap = pj_col_int(s, 10), occ = pj_col_int(s, 11);
    pj_jw_kint(w, "capacity", cap);
    pj_jw_kint(w, "occupancy", occ);
    if (cap > 0) {
        pj_jw_key(w, "occupancy_pct");
        pj_jw_fixed(w, 100.0 * (double)occ / (double)cap, 1);
    } else {
        pj_jw_knull(w, "occupancy_pct");
    }
    pj_render_text(w, "source", s, 12);
    pj_render_time(w, "created_at", pj_col_int(s, 13));
    pj_render_time(w, "updated_at", pj_col_int(s, 14));
    pj_jw_kint(w, "version", pj_col_int(s, 15));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_centre_list(pj_ctx *c, const char *kind, int64_t township_id, int64_t cursor, int limit,
                   pj_jw *w, pj_err *err)
{
    /* an unknown kind is a mistake, not a filter that matches nothing */
    if (pj_q_enum("kind", kind, pj_centre_kinds, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM elder_centres WHERE id > ? AND (? IS NULL OR kind ="
                               " ?) AND (? = 0 OR township_id = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_text(s, 2, kind);
    pj_stmt_text(s, 3, kind);
    pj_stmt_int(s, 4, township_id);
    pj_stmt_int(s, 5, township_id);
    pj_stmt_int(s, 6, limit + 1);
    return pj_render_query_page(c, s, limit, centre_render, w, err);
}

int pj_centre_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return centre_render(c, id, w, err);
}

/* One centre of a kind and name per region: a second (the same name, spaces around it aside)
 * is 409 conflict on `name` — an officer adding the township's centre again, or a village's
 * point twice. `except`: the centre being renamed. In the write's transaction. */
static int centre_unique(pj_ctx *c, const char *kind, int64_t region, const char *name,
                         int64_t except, pj_err *err)
{
    /* the names compared without the spaces around them, as pj_in_text judges spaces */
    size_t a0, an = pj_text_trim(name, &a0);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, name FROM elder_centres WHERE kind = ? AND region_id = ?"
                               " AND id <> ? ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, kind);
    pj_stmt_int(s, 2, region);
    pj_stmt_int(s, 3, except);
    int rc;
    int64_t other = 0;
    while (!other && (rc = pj_stmt_step(s, err)) == 1) {
        const char *b = pj_col_text(s, 1);
        size_t b0, bn = b ? pj_text_trim(b, &b0) : 0;
        if (b && bn == an && !memcmp(b + b0, name + a0, an)) other = pj_col_int(s, 0);
    }
    pj_stmt_done(s);
    if (!other && rc < 0) return -1;
    if (other)
        return pj_fail(err, 409, "conflict", "name",
                       "centre %lld of this region is already named %s", (long long)other, name);
    return 0;
}

static const char *const fields[] = {"kind",      "name",   "region_id", "lat",
                                     "lon",       "status", "checklist", "capacity",
                                     "occupancy", "source", "version",   NULL};

/* checklist: {item: bool} over the known items → JSON text (merged over `base`). */
static int in_checklist(pj_ctx *c, json_t *b, const char *base, const char **out, pj_err *err)
{
    json_t *v = json_object_get(b, "checklist");
    if (!v) return 0;
    if (!json_is_object(v))
        return pj_fail(err, 422, "wrong_type", "checklist", "checklist is an object of booleans");
    json_t *merged = json_loads(base ? base : "{}", 0, NULL);
    if (!merged) merged = json_object();
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        int known = 0;
        for (int i = 0; pj_centre_checklist[i]; i++) known |= !strcmp(k, pj_centre_checklist[i]);
        if (!known || !json_is_boolean(x)) {
            json_decref(merged);
            return pj_fail(err, 422, "invalid_value", "checklist",
                           "checklist item %s is unknown or not a boolean", k);
        }
        json_object_set(merged, k, x);
    }
    char *t = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(merged);
    if (!t) return pj_fail(err, 500, "internal", "", "out of memory");
    *out = pj_arena_strdup(c->arena, t);
    free(t);
    return 1;
}

int pj_centre_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    const char *kind, *name, *status = "planned", *cl = "{}", *source = "manual";
    int64_t region, town, cap = 0, occ = 0;
    double lat = 0, lon = 0;
    int has_ll = 0, has_lon = 0;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_enum(body, "kind", 1, pj_centre_kinds, &kind, err) < 0 ||
        pj_in_text(body, "name", 1, 1, 64, &name, err) < 0 ||
        pj_in_int(body, "region_id", 1, 1, INT64_MAX, &region, err) < 0 ||
        (has_ll = pj_in_num(body, "lat", 0, -90, 90, &lat, err)) < 0 ||
        (has_lon = pj_in_num(body, "lon", has_ll, -180, 180, &lon, err)) < 0 ||
        pj_in_enum(body, "status", 0, statuses, &status, err) < 0 ||
        in_checklist(c, body, NULL, &cl, err) < 0 ||
        pj_in_int(body, "capacity", 0, 0, 100000, &cap, err) < 0 ||
        pj_in_int(body, "occupancy", 0, 0, 100000, &occ, err) < 0 ||
        pj_in_str(body, "source", 0, 1, 32, &source, err) < 0)
        return -1;
    if (json_object_get(body, "version"))
        return pj_fail(err, 422, "unknown_field", "version", "version is set by the server");
    /* a lon without its lat was dropped (the centre created without a point): refused, as a
     * lat without its lon is */
    if (has_lon && !has_ll)
        return pj_fail(err, 422, "missing_field", "lat", "give both lat and lon, or neither");
    if (occ > cap)
        return pj_fail(err, 422, "out_of_range", "occupancy", "occupancy exceeds capacity");
    /* a village centre sits in a village or community, a township centre in a township */
    pj_stmt *s = pj_db_prepare(c->db, "SELECT type FROM regions WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, region);
    int rc = pj_stmt_step(s, err);
    char type[16] = "";
    if (rc == 1) snprintf(type, sizeof type, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int ok = !strcmp(kind, "township") ? !strcmp(type, "township")
                                       : !strcmp(type, "village") || !strcmp(type, "community");
    if (!ok)
        return pj_fail(err, 422, "unknown_id", "region_id", "region %lld is not a %s",
                       (long long)region, !strcmp(kind, "township") ? "township" : "village");
    if (pj_el_region_check(c, &(int64_t){region}, "region_id", &town, err) ||
        pj_el_officer_check(c, town, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    if (centre_unique(c, kind, region, name, 0, err)) goto fail;
    s = pj_db_prepare(
        c->db,
        "INSERT INTO elder_centres (id, kind, name, region_id, township_id, lat, lon,"
        " status, checklist, capacity, occupancy, source, created_at, updated_at)"
        " VALUES (" PJ_NEXT_ID("elder_centres") ", ?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, kind);
    pj_stmt_text(s, 2, name);
    pj_stmt_int(s, 3, region);
    pj_stmt_int(s, 4, town);
    if (has_ll) {
        pj_stmt_double(s, 5, lat);
        pj_stmt_double(s, 6, lon);
    }
    pj_stmt_text(s, 7, status);
    pj_stmt_text(s, 8, cl);
    pj_stmt_int(s, 9, cap);
    pj_stmt_int(s, 10, occ);
    pj_stmt_text(s, 11, source);
    pj_stmt_int(s, 12, pj_now());
    pj_stmt_int(s, 13, pj_now());
    rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    if (pj_render_commit(c, "create", "elder_centre", id, NULL, centre_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* a centre may have no point: lat and lon null together clear it */
static const char *const centre_nullable[] = {"lat", "lon", NULL};

int pj_centre_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int64_t version, town;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, centre_nullable, err))
        return -1;
    if (json_object_get(body, "kind") || json_object_get(body, "region_id"))
        return pj_fail(err, 422, "read_only", json_object_get(body, "kind") ? "kind" : "region_id",
                       "a centre's kind and region cannot change");
    if (pj_el_int(c, "SELECT township_id FROM elder_centres WHERE id = ?", id, 0, &town, err))
        return -1;
    if (!town) return pj_not_found(err, "centre", id);
    if (pj_el_officer_check(c, town, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT name, status, checklist, capacity, occupancy, source, lat,"
                               " lon, kind, region_id FROM elder_centres WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    if (pj_stmt_step(s, err) != 1) {
        pj_stmt_done(s);
        return -1;
    }
    const char *name = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    const char *status = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    const char *base = pj_arena_strdup(c->arena, pj_col_text(s, 2)), *cl = base;
    int64_t cap = pj_col_int(s, 3), occ = pj_col_int(s, 4);
    const char *source = pj_arena_strdup(c->arena, pj_col_text(s, 5));
    int had_ll = !pj_col_is_null(s, 6);
    double lat = pj_col_double(s, 6), lon = pj_col_double(s, 7);
    const char *kind = pj_arena_strdup(c->arena, pj_col_text(s, 8));
    int64_t region = pj_col_int(s, 9);
    pj_stmt_done(s);
    const char *old_name = name;
    int has_ll;
    if (pj_in_text(body, "name", 0, 1, 64, &name, err) < 0 ||
        pj_in_enum(body, "status", 0, statuses, &status, err) < 0 ||
        in_checklist(c, body, base, &cl, err) < 0 ||
        pj_in_int(body, "capacity", 0, 0, 100000, &cap, err) < 0 ||
        pj_in_int(body, "occupancy", 0, 0, 100000, &occ, err) < 0 ||
        pj_in_str(body, "source", 0, 1, 32, &source, err) < 0 ||
        (has_ll = pj_in_num(body, "lat", 0, -90, 90, &lat, err)) < 0 ||
        /* a centre with a point takes one of them alone (the other kept); one without needs
         * both */
        pj_in_num(body, "lon", has_ll && !had_ll, -180, 180, &lon, err) < 0)
        return -1;
    if (pj_in_is_null(body, "lat") != pj_in_is_null(body, "lon"))
        return pj_fail(err, 422, "missing_field", pj_in_is_null(body, "lat") ? "lon" : "lat",
                       "give both lat and lon, or neither");
    if (pj_in_is_null(body, "lat")) had_ll = 0;
    /* a lon alone for a centre without a point was dropped, answered 200: refused, as on create */
    if (!has_ll && !had_ll && json_object_get(body, "lon") && !pj_in_is_null(body, "lon"))
        return pj_fail(err, 422, "missing_field", "lat", "give both lat and lon, or neither");
    if (occ > cap)
        return pj_fail(err, 422, "out_of_range", "occupancy", "occupancy exceeds capacity");
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM elder_centres WHERE id = ?", id, version, "centre",
                         err) ||
        (strcmp(name, old_name) && centre_unique(c, kind, region, name, id, err)))
        goto fail;
    char *before = pj_render_to_string(c, id, centre_render, err);
    if (!before) goto fail;
    s = pj_db_prepare(c->db,
                      "UPDATE elder_centres SET name = ?, status = ?, checklist = ?, capacity = ?,"
                      " occupancy = ?, source = ?, lat = ?, lon = ?, updated_at = ?,"
                      " version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, status);
    pj_stmt_text(s, 3, cl);
    pj_stmt_int(s, 4, cap);
    pj_stmt_int(s, 5, occ);
    pj_stmt_text(s, 6, source);
    if (has_ll || had_ll) {
        pj_stmt_double(s, 7, lat);
        pj_stmt_double(s, 8, lon);
    }
    pj_stmt_int(s, 9, pj_now());
    pj_stmt_int(s, 10, id);
    if (pj_step_done(s, err)) goto fail;
    /* one that changes nothing writes nothing: the same version, no audit row */
    if (pj_render_update_commit(c, "elder_centre", id, before, centre_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* A centre entered by mistake (a second one of a region, the wrong village): the roles that
 * add centres, in their scope. No other record refers to a centre; one with residents
 * (occupancy above 0) is in use and stays (409 in_use on `occupancy`): set it to 0 first. */
int pj_centre_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    int64_t town, occ;
    if (pj_el_int(c, "SELECT township_id FROM elder_centres WHERE id = ?", id, 0, &town, err))
        return -1;
    if (!town) return pj_not_found(err, "centre", id);
    if (pj_el_officer_check(c, town, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL;
    if (pj_el_int(c, "SELECT occupancy FROM elder_centres WHERE id = ?", id, 0, &occ, err))
        goto fail;
    if (occ > 0) {
        pj_fail(err, 409, "in_use", "occupancy",
                "centre %lld has %lld residents: set its occupancy to 0 before deleting it",
                (long long)id, (long long)occ);
        goto fail;
    }
    if (!(before = pj_render_to_string(c, id, centre_render, err))) goto fail;
    pj_stmt *s = pj_db_prepare(c->db, "DELETE FROM elder_centres WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_step_done(s, err) || pj_audit_add(c, "delete", "elder_centre", id, before, NULL, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
