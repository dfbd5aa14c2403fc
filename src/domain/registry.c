#include "domain/registry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/ecommerce.h"
#include "domain/enterprise.h"
#include "domain/input.h"
#include "domain/plan.h"
#include "domain/refs.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

const char *const pj_region_types[] = {"district",  "township", "village",
                                       "community", "grid",     NULL};
const char *const pj_facility_types[] = {"hotel",
                                         "homestay_cluster",
                                         "village_community",
                                         "expressway_service_area",
                                         "warehouse",
                                         "medical_base",
                                         "sports_venue",
                                         "school",
                                         "other",
                                         NULL};
const char *const pj_facility_states[] = {"peacetime", "converting", "emergency", "restoring",
                                          NULL};
const char *const pj_emergency_roles[] = {"isolation", "resettlement",  "supply_store",
                                          "medical",   "transport_hub", NULL};
const char *const pj_org_types[] = {"enterprise", "government", "bank", "lab",
                                    "operator",   "other",      NULL};

static const char *const units_isolation[] = {"rooms", NULL};
static const char *const units_beds[] = {"beds", NULL};
static const char *const units_store[] = {"m3", "t", NULL};
static const char *const units_hub[] = {"vehicles_per_hour", NULL};

const char *const *pj_emergency_role_units(const char *role)
{
    if (!strcmp(role, "isolation")) return units_isolation;
    if (!strcmp(role, "resettlement") || !strcmp(role, "medical")) return units_beds;
    if (!strcmp(role, "supply_store")) return units_store;
    if (!strcmp(role, "transport_hub")) return units_hub;
    return NULL;
}

/* ---- shared pieces ---- */

/* q as a LIKE pattern body: %, _ and \ match themselves (ESCAPE '\'). NULL stays NULL. */
const char *pj_like_escape(pj_ctx *c, const char *q)
{
    if (!q) return NULL;
    size_t n = strlen(q);
    char *out = pj_arena_alloc(c->arena, 2 * n + 1), *o = out;
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') *o++ = '\\';
        *o++ = *p;
    }
    *o = 0;
    return out;
}

/* Ends an update in the caller's transaction: a write that changed nothing is rolled back (no
 * new version, no audit row) and answers the record as it was; any other is audited and
 * committed. */
static int update_commit(pj_ctx *c, const char *entity, int64_t id, const char *before,
                         pj_render_fn fn, pj_jw *w, pj_err *err)
{
    return pj_render_update_commit(c, entity, id, before, fn, w, err);
}

/* 409 in_use naming what still uses record id of `table` (`what` in the message): the user
 * accounts whose scope it is (accounts_sql selects their user names and whether each is
 * disabled, ?1 the id) — a delete would leave them without one, unaudited; a disabled account
 * keeps its scope (it may be enabled again), named "(disabled)" so that the admin who
 * disabled it knows why it still counts — and the rows of other tables referring to it
 * (pj_refs_describe). 0 when nothing does. Inside the delete's transaction, before the
 * DELETE. */
static int check_unused(pj_ctx *c, const char *table, const char *what, int64_t id,
                        const char *accounts_sql, pj_err *err)
{
    char names[320] = "", refs[320];
    size_t len = 0;
    int accounts = 0, rc;
    pj_stmt *s = pj_db_prepare(c->db, accounts_sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        /* a name whole or not at all (5 names of 32 characters, each "(disabled)": 235) */
        char one[96];
        int n = snprintf(one, sizeof one, "%s%s%s", accounts ? ", " : "", pj_col_text(s, 0),
                         pj_col_int(s, 1) ? " (disabled)" : "");
        if (accounts < 5 && n > 0 && len + (size_t)n < sizeof names) {
            memcpy(names + len, one, (size_t)n + 1);
            len += (size_t)n;
        }
        accounts++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (accounts > 5 && len < sizeof names)
        snprintf(names + len, sizeof names - len, " and %d more", accounts - 5);
    int tables = pj_refs_describe(c, table, id, refs, sizeof refs, err);
    if (tables < 0) return -1;
    if (!accounts && !tables) return 0;
    return pj_fail(err, 409, "in_use", "id", "%s %lld %s%s%s%s%s", what, (long long)id,
                   !accounts       ? ""
                   : accounts == 1 ? "is the scope of the user account "
                                   : "is the scope of the user accounts ",
                   names, accounts && tables ? " and " : "", tables ? "is referred to by " : "",
                   tables ? refs : "");
}

/* The DELETE of a record check_unused passed; should a reference it does not foresee refuse
 * it all the same, the answer is still 409 in_use, not the database's words. */
static int delete_row(pj_ctx *c, const char *sql, const char *what, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    if (!pj_step_done(s, err)) return 0;
    if (err->status == 409)
        pj_fail(err, 409, "in_use", "id", "%s %lld is still referred to by other records", what,
                (long long)id);
    return -1;
}

int64_t pj_region_township(pj_ctx *c, int64_t id, pj_err *err)
{
    for (int depth = 0; depth < 6 && id; depth++) {
        pj_stmt *s = pj_db_prepare(c->db, "SELECT type, parent_id FROM regions WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        if (rc <= 0) {
            pj_stmt_done(s);
            return rc < 0 ? -1 : 0;
        }
        int is_town = strcmp(pj_col_text(s, 0), "township") == 0;
        int64_t parent = pj_col_int(s, 1);
        pj_stmt_done(s);
        if (is_town) return id;
        id = parent;
    }
    return 0;
}

/* Write scope: district roles anywhere; a township officer inside their township. */
static int require_township_scope(pj_ctx *c, int64_t township_id, pj_err *err)
{
    if (pj_ctx_district(c)) return 0;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && township_id &&
        township_id == c->actor.township_id)
        return 0;
    return pj_fail(err, 403, "forbidden", "", "outside your scope");
}

/* ---- regions ---- */

static int region_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_row_by_id(c,
                     "SELECT id, parent_id, code, name, type, lat, lon, population, source,"
                     " created_at, updated_at, version FROM regions WHERE id = ?",
                     id, "region", err);
    if (!s) return -1;
    int rc;
    int grid = strcmp(pj_col_text(s, 4), "grid") == 0;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_ref(w, "parent_id", s, 1);
    pj_render_text(w, "code", s, 2);
    pj_render_text(w, "name", s, 3);
    pj_render_text(w, "type", s, 4);
    if (pj_col_is_null(s, 5)) {
        pj_jw_knull(w, "lat");
        pj_jw_knull(w, "lon");
    } else {
        pj_jw_key(w, "lat");
        pj_jw_fixed(w, pj_col_double(s, 5), 6);
        pj_jw_key(w, "lon");
        pj_jw_fixed(w, pj_col_double(s, 6), 6);
    }
    pj_jw_kint(w, "population", pj_col_int(s, 7));
    pj_render_text(w, "source", s, 8);
    pj_render_time(w, "created_at", pj_col_int(s, 9));
    pj_render_time(w, "updated_at", pj_col_int(s, 10));
    pj_jw_kint(w, "version", pj_col_int(s, 11));
    pj_stmt_done(s);
    /* the accounts that look after the grid (a disabled one does no more): named to the roles
     * of the eldercare records, whose grids they are, not to viewers, facility operators or
     * enterprises (a person's name; the answer is cached per role) */
    if (grid &&
        (c->actor.role == PJ_ROLE_ADMIN || c->actor.role == PJ_ROLE_DISTRICT_OFFICER ||
         c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER || c->actor.role == PJ_ROLE_GRID_WORKER)) {
        pj_jw_key(w, "grid_workers");
        pj_jw_arr(w);
        s = pj_db_prepare(
            c->db,
            "SELECT u.id, u.username, u.display_name FROM grid_workers g"
            " JOIN users u ON u.id = g.user_id WHERE g.region_id = ? AND u.disabled = 0"
            " ORDER BY u.id",
            err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        while ((rc = pj_stmt_step(s, err)) == 1) {
            pj_jw_obj(w);
            pj_jw_kint(w, "id", pj_col_int(s, 0));
            pj_render_text(w, "username", s, 1);
            pj_render_text(w, "display_name", s, 2);
            pj_jw_obj_end(w);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
        pj_jw_arr_end(w);
    }
    pj_jw_obj_end(w);
    return 0;
}

int pj_region_list(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM regions WHERE id > ? AND (? = 0 OR parent_id = ?)"
                               " AND (? IS NULL OR type = ?) AND (? IS NULL OR name LIKE '%' || ? "
                               "|| '%' ESCAPE '\\' OR code = ?)"
                               " AND (? = 0 OR id = ? OR parent_id = ? OR parent_id IN"
                               "      (SELECT id FROM regions WHERE parent_id = ?))"
                               " ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, f->parent_id);
    pj_stmt_int(s, i++, f->parent_id);
    pj_stmt_text(s, i++, f->type);
    pj_stmt_text(s, i++, f->type);
    pj_stmt_text(s, i++, f->q);
    pj_stmt_text(s, i++, pj_like_escape(c, f->q));
    pj_stmt_text(s, i++, f->q);
    for (int k = 0; k < 4; k++) pj_stmt_int(s, i++, f->township_id);
    pj_stmt_int(s, i++, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, region_render, w, err);
}

int pj_region_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return region_render(c, id, w, err);
}

static const char *parent_type_for(const char *type)
{
    if (!strcmp(type, "township")) return "district";
    if (!strcmp(type, "village") || !strcmp(type, "community")) return "township";
    if (!strcmp(type, "grid")) return "village|community";
    return NULL;
}

static int check_region_parent(pj_ctx *c, const char *type, int64_t parent, pj_err *err)
{
    const char *want = parent_type_for(type);
    if (!want) {
        if (parent)
            return pj_fail(err, 422, "invalid_value", "parent_id", "a district has no parent");
        return 0;
    }
    if (!parent)
        return pj_fail(err, 422, "missing_field", "parent_id", "a %s needs parent_id (a %s)", type,
                       want);
    pj_stmt *s = pj_db_prepare(c->db, "SELECT type FROM regions WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, parent);
    int rc = pj_stmt_step(s, err);
    char ptype[32] = "";
    if (rc == 1) snprintf(ptype, sizeof ptype, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", "parent_id", "no region %lld", (long long)parent);
    if (!strstr(want, ptype) || !*ptype)
        return pj_fail(err, 422, "invalid_value", "parent_id",
                       "the parent of a %s must be a %s, not a %s", type, want, ptype);
    return 0;
}

/* the most residents a region holds (its own edit, and its ancestors' sums) */
#define PJ_REGION_POPULATION_MAX 100000000

static const char *const region_fields[] = {"parent_id", "code",       "name",   "type",    "lat",
                                            "lon",       "population", "source", "version", NULL};

static int region_read_common(pj_ctx *c, json_t *b, int required, const char **name,
                              const char **code, double *lat, double *lon, int64_t *pop,
                              const char **source, pj_err *err)
{
    if (pj_in_text_trimmed(c->arena, b, "name", required, 64, name, err) < 0 ||
        pj_in_text_trimmed(c->arena, b, "code", required, 32, code, err) < 0 ||
        pj_in_num(b, "lat", 0, -90, 90, lat, err) < 0 ||
        pj_in_num(b, "lon", 0, -180, 180, lon, err) < 0 ||
        pj_in_int(b, "population", 0, 0, PJ_REGION_POPULATION_MAX, pop, err) < 0 ||
        pj_in_str(b, "source", 0, 1, 32, source, err) < 0)
        return -1;
    return 0;
}

/* A region's population changed by delta (an edit, a new region, a region deleted): every
 * ancestor up to the district gains the same delta in the caller's transaction, so that a
 * township reads what its villages add up to and the district what its townships do, while
 * residents a parent records beyond its children stay. Each ancestor changed gets a new
 * version and an audit row "population_follow" naming the child whose change it follows
 * (following_region_id). A parent never goes below 0. */
static int region_population_follow(pj_ctx *c, int64_t child, int64_t parent, int64_t delta,
                                    pj_err *err)
{
    char member[64];
    snprintf(member, sizeof member, "\"following_region_id\":%lld", (long long)child);
    for (int depth = 0; depth < 6 && parent && delta; depth++) {
        char *before = pj_render_to_string(c, parent, region_render, err);
        if (!before) return -1;
        pj_stmt *s = pj_db_prepare(c->db,
                                   "UPDATE regions SET population = MAX(0, population + ?),"
                                   " updated_at = ?, version = version + 1 WHERE id = ?"
                                   " RETURNING parent_id, population, name",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, delta);
        pj_stmt_int(s, 2, pj_now());
        pj_stmt_int(s, 3, parent);
        int rc = pj_stmt_step(s, err);
        int64_t next = rc == 1 && !pj_col_is_null(s, 0) ? pj_col_int(s, 0) : 0;
        int64_t total = rc == 1 ? pj_col_int(s, 1) : 0;
        const char *name = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 2)) : "";
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (rc == 0) return 0;
        /* an ancestor stays within the range a region's own edit is held to: a rise beyond it
         * is refused, a fall never (one stored beyond it by an earlier build comes down) */
        if (delta > 0 && total > PJ_REGION_POPULATION_MAX)
            return pj_fail(err, 422, "out_of_range", "population",
                           "this would bring %s to %lld residents, above %d",
                           name ? name : "its parent", (long long)total, PJ_REGION_POPULATION_MAX);
        char *after = pj_render_to_string(c, parent, region_render, err);
        if (!after || pj_audit_add(c, "population_follow", "region", parent, before,
                                   pj_render_with(c, after, member), err))
            return -1;
        parent = next;
    }
    return 0;
}

int pj_region_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    const char *name, *code, *type, *source = "manual";
    int64_t parent = 0, pop = 0;
    double lat = NAN, lon = NAN;
    if (pj_in_object(body, err) || pj_in_only(body, region_fields, err) ||
        pj_in_create_version(body, err) ||
        pj_in_enum(body, "type", 1, pj_region_types, &type, err) < 0 ||
        pj_in_ref(body, "parent_id", 0, &parent, err) < 0 ||
        region_read_common(c, body, 1, &name, &code, &lat, &lon, &pop, &source, err) ||
        check_region_parent(c, type, parent, err))
        return -1;
    if (isnan(lat) != isnan(lon))
        return pj_fail(err, 422, "missing_field", isnan(lat) ? "lat" : "lon",
                       "give both lat and lon, or neither");
    int64_t town = parent ? pj_region_township(c, parent, err) : 0;
    if (town < 0 || require_township_scope(c, strcmp(type, "township") ? town : 0, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s;
    if (!strcmp(type, "district")) {
        /* the tree has one root: the district the platform serves */
        s = pj_db_prepare(c->db, "SELECT id FROM regions WHERE type = 'district' LIMIT 1", err);
        if (!s) goto fail;
        int rc = pj_stmt_step(s, err);
        int64_t root = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) goto fail;
        if (root) {
            pj_fail(err, 409, "conflict", "type",
                    "there is one district, region %lld; add townships under it", (long long)root);
            goto fail;
        }
    }
    s = pj_db_prepare(c->db,
                      "INSERT INTO regions (id, parent_id, code, name, type, lat, lon,"
                      " population, source, created_at, updated_at) VALUES (" PJ_NEXT_ID(
                          "regions") ",?,?,?,?,?,?,?,?,?,?)"
                                     " RETURNING id",
                      err);
    if (!s) goto fail;
    if (parent) pj_stmt_int(s, 1, parent);
    pj_stmt_text(s, 2, code);
    pj_stmt_text(s, 3, name);
    pj_stmt_text(s, 4, type);
    if (!isnan(lat)) {
        pj_stmt_double(s, 5, lat);
        pj_stmt_double(s, 6, lon);
    }
    pj_stmt_int(s, 7, pop);
    pj_stmt_text(s, 8, source);
    pj_stmt_int(s, 9, pj_now());
    pj_stmt_int(s, 10, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0 && err->status == 409)
        pj_fail(err, 409, "conflict", "code", "region code %s is taken", code);
    if (rc != 1 || region_population_follow(c, id, parent, pop, err)) goto fail;
    if (pj_render_commit(c, "create", "region", id, NULL, region_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_region_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int64_t version;
    if (pj_in_object(body, err) || pj_in_only(body, region_fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0)
        return -1;
    if (json_object_get(body, "type") || json_object_get(body, "parent_id"))
        return pj_fail(err, 422, "read_only", json_object_get(body, "type") ? "type" : "parent_id",
                       "a region's type and parent cannot change; create a new region");
    static const char *const nullable[] = {"lat", "lon", NULL};
    if (pj_in_no_null(body, nullable, err)) return -1;
    int64_t town = pj_region_township(c, id, err);
    if (town < 0) return -1;
    if (c->actor.role == PJ_ROLE_GRID_WORKER) {
        /* a grid worker keeps the population of their own grids current, nothing else */
        static const char *const gw_fields[] = {"population", "version", NULL};
        if (pj_in_only(body, gw_fields, err)) {
            char field[64];
            snprintf(field, sizeof field, "%s", err->field);
            return pj_fail(err, 403, "forbidden", field, "a grid worker may not change %s", field);
        }
        pj_stmt *s = pj_db_prepare(
            c->db, "SELECT 1 FROM grid_workers WHERE region_id = ? AND user_id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_stmt_int(s, 2, c->actor.user_id);
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (rc == 0) return pj_fail(err, 403, "forbidden", "", "not one of your grids");
    } else if (require_township_scope(c, town, err)) {
        return -1;
    }
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM regions WHERE id = ?", id, version, "region", err))
        goto fail;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT name, code, lat, lon, population, source, parent_id FROM regions"
                      " WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_stmt_step(s, err) != 1) {
        pj_stmt_done(s);
        goto fail;
    }
    const char *name = pj_arena_strdup(c->arena, pj_col_text(s, 0)), *old_name = name;
    const char *code = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    double lat = pj_col_is_null(s, 2) ? NAN : pj_col_double(s, 2);
    double lon = pj_col_is_null(s, 3) ? NAN : pj_col_double(s, 3);
    int64_t pop = pj_col_int(s, 4), old_pop = pop;
    int64_t parent = pj_col_is_null(s, 6) ? 0 : pj_col_int(s, 6);
    const char *source = pj_arena_strdup(c->arena, pj_col_text(s, 5));
    pj_stmt_done(s);
    if (region_read_common(c, body, 0, &name, &code, &lat, &lon, &pop, &source, err)) goto fail;
    if (pj_in_is_null(body, "lat")) lat = NAN; /* a region may have no point */
    if (pj_in_is_null(body, "lon")) lon = NAN;
    if (isnan(lat) != isnan(lon)) {
        pj_fail(err, 422, "missing_field", isnan(lat) ? "lat" : "lon",
                "give both lat and lon, or neither");
        goto fail;
    }
    char *before = pj_render_to_string(c, id, region_render, err);
    if (!before) goto fail;
    s = pj_db_prepare(c->db,
                      "UPDATE regions SET name = ?, code = ?, lat = ?, lon = ?, population = ?,"
                      " source = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, code);
    if (!isnan(lat)) pj_stmt_double(s, 3, lat);
    if (!isnan(lon)) pj_stmt_double(s, 4, lon);
    pj_stmt_int(s, 5, pop);
    pj_stmt_text(s, 6, source);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_int(s, 8, id);
    if (pj_step_done(s, err)) {
        if (err->status == 409)
            pj_fail(err, 409, "conflict", "code", "region code %s is taken", code);
        goto fail;
    }
    /* a township's name is its firms' `township` attribute: their policies are matched again */
    if (region_population_follow(c, id, parent, pop - old_pop, err) ||
        (strcmp(name, old_name) && pj_ent_township_rematch(c, id, err)) ||
        update_commit(c, "region", id, before, region_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* The parent (0 for none) and population of region id. */
static int region_parent_population(pj_ctx *c, int64_t id, int64_t *parent, int64_t *pop,
                                    pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT parent_id, population FROM regions WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        *parent = pj_col_is_null(s, 0) ? 0 : pj_col_int(s, 0);
        *pop = pj_col_int(s, 1);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_region_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    int64_t town = pj_region_township(c, id, err);
    if (town < 0) return -1;
    /* deleting a township itself is a district decision */
    if (town == id ? pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)
                   : require_township_scope(c, town, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t parent = 0, pop = 0;
    char *before = pj_render_to_string(c, id, region_render, err);
    /* a township officer's township, a grid worker's grid: their accounts keep their scope */
    if (!before ||
        check_unused(c, "regions", "region", id,
                     "SELECT username, disabled FROM users WHERE township_id = ?1 UNION SELECT"
                     " u.username, u.disabled FROM grid_workers g JOIN users u ON u.id = g.user_id"
                     " WHERE g.region_id = ?1 ORDER BY 1",
                     err) ||
        region_parent_population(c, id, &parent, &pop, err) ||
        delete_row(c, "DELETE FROM regions WHERE id = ?", "region", id, err) ||
        region_population_follow(c, id, parent, -pop, err) ||
        pj_audit_add(c, "delete", "region", id, before, NULL, err) || pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- organisations ---- */

/* Whether the actor may see an organisation's contact number unmasked. */
int pj_org_sees_contacts(const pj_ctx *c, int64_t org_id, int64_t township_id)
{
    if (pj_ctx_district(c)) return 1;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && township_id == c->actor.township_id) return 1;
    if (c->actor.role == PJ_ROLE_ENTERPRISE && org_id == c->actor.organisation_id) return 1;
    return 0;
}

static int org_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT id, name, uscc, type, industry, township_id, contact_name,"
                              " contact_phone, source, created_at, updated_at, version"
                              " FROM organisations WHERE id = ?",
                              id, "organisation", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "uscc", s, 2);
    pj_render_text(w, "type", s, 3);
    pj_render_text(w, "industry", s, 4);
    pj_render_ref(w, "township_id", s, 5);
    /* a firm reads the registry without the other organisations' contact persons: it meets
     * another firm's contact on the cooperation board, once its request is accepted */
    if (c->actor.role == PJ_ROLE_ENTERPRISE && id != c->actor.organisation_id) {
        pj_jw_knull(w, "contact_name");
        pj_jw_knull(w, "contact_phone");
    } else {
        pj_render_text(w, "contact_name", s, 6);
        const char *phone = pj_col_text(s, 7);
        pj_jw_kstr(w, "contact_phone",
                   pj_org_sees_contacts(c, id, pj_col_int(s, 5)) ? phone
                                                                 : pj_mask(c->arena, phone, 3));
    }
    pj_render_text(w, "source", s, 8);
    pj_render_time(w, "created_at", pj_col_int(s, 9));
    pj_render_time(w, "updated_at", pj_col_int(s, 10));
    pj_jw_kint(w, "version", pj_col_int(s, 11));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_org_list(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id FROM organisations WHERE id > ? AND (? IS NULL OR type = ?)"
                      " AND (? = 0 OR township_id = ?) AND (? IS NULL OR industry = ?)"
                      " AND (? IS NULL OR name LIKE '%' || ? || '%' ESCAPE '\\' OR uscc = upper(?))"
                      " ORDER BY id LIMIT ?",
                      err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_text(s, i++, f->type);
    pj_stmt_text(s, i++, f->type);
    pj_stmt_int(s, i++, f->township_id);
    pj_stmt_int(s, i++, f->township_id);
    pj_stmt_text(s, i++, f->industry);
    pj_stmt_text(s, i++, f->industry);
    pj_stmt_text(s, i++, f->q);
    pj_stmt_text(s, i++, pj_like_escape(c, f->q));
    pj_stmt_text(s, i++, f->q);
    pj_stmt_int(s, i++, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, org_render, w, err);
}

int pj_org_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return org_render(c, id, w, err);
}

static const char *const org_fields[] = {
    "name",         "uscc",          "type",   "industry", "township_id",
    "contact_name", "contact_phone", "source", "version",  NULL};

static int org_read(pj_ctx *c, json_t *b, int required, const char **name, const char **uscc,
                    const char **type, const char **industry, int64_t *town, const char **cname,
                    const char **cphone, const char **source, pj_err *err)
{
    if (pj_in_text_trimmed(c->arena, b, "name", required, 128, name, err) < 0 ||
        pj_in_str(b, "uscc", 0, 18, 18, uscc, err) < 0 ||
        pj_in_enum(b, "type", required, pj_org_types, type, err) < 0 ||
        pj_in_str(b, "industry", 0, 0, 64, industry, err) < 0 ||
        pj_in_ref(b, "township_id", 0, town, err) < 0 ||
        pj_in_str(b, "contact_name", 0, 0, 64, cname, err) < 0 ||
        pj_in_trim(b, "contact_phone", 0, err) ||
        pj_in_str(b, "contact_phone", 0, 0, 32, cphone, err) < 0 ||
        pj_in_str(b, "source", 0, 1, 32, source, err) < 0)
        return -1;
    if (**uscc) {
        /* the code's letters are capitals (GB 32100-2015); one typed in lower case is the same
         * code, checked and stored in capitals */
        char *up = pj_arena_strdup(c->arena, *uscc);
        for (char *p = up; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        *uscc = up;
    }
    if (**uscc && !pj_uscc_valid(*uscc))
        return pj_fail(err, 422, "invalid_credit_code", "uscc",
                       "not a valid unified social credit code (GB 32100-2015 check failed)");
    const char *bad = pj_phone_problem(*cphone);
    if (bad) return pj_fail(err, 422, "invalid_value", "contact_phone", "%s", bad);
    if (*town) {
        int rc = pj_render_exists(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'",
                                  *town, err);
        if (rc < 0) return -1;
        if (!rc)
            return pj_fail(err, 422, "unknown_id", "township_id", "no township %lld",
                           (long long)*town);
    }
    return 0;
}

static int org_write(pj_ctx *c, int64_t id, const char *name, const char *uscc, const char *type,
                     const char *industry, int64_t town, const char *cname, const char *cphone,
                     const char *source, int64_t *id_out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        id ? "UPDATE organisations SET name = ?1, uscc = ?2, type = ?3, industry = ?4,"
             " township_id = ?5, contact_name = ?6, contact_phone = ?7, source = ?8,"
             " updated_at = ?9, version = version + 1 WHERE id = ?10 RETURNING id"
           : "INSERT INTO organisations (id, name, uscc, type, industry, township_id,"
             " contact_name, contact_phone, source, created_at, updated_at) VALUES "
             "(" PJ_NEXT_ID("organisations") ",?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)"
                                             " RETURNING id",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, uscc && *uscc ? uscc : NULL);
    pj_stmt_text(s, 3, type);
    pj_stmt_text(s, 4, industry);
    if (town) pj_stmt_int(s, 5, town);
    pj_stmt_text(s, 6, cname);
    pj_stmt_text(s, 7, cphone);
    pj_stmt_text(s, 8, source);
    pj_stmt_int(s, 9, pj_now());
    if (id) pj_stmt_int(s, 10, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) *id_out = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0 && err->status == 409)
        return pj_fail(err, 409, "conflict", "uscc", "credit code %s is already registered", uscc);
    return rc == 1 ? 0 : -1;
}

int pj_org_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    const char *name, *uscc = "", *type, *industry = "", *cname = "", *cphone = "",
                      *source = "manual";
    int64_t town = 0, id;
    if (pj_in_object(body, err) || pj_in_only(body, org_fields, err) ||
        pj_in_create_version(body, err) ||
        org_read(c, body, 1, &name, &uscc, &type, &industry, &town, &cname, &cphone, &source,
                 err) ||
        require_township_scope(c, town, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    /* a new enterprise is matched to the policies at once (its industry and township) */
    if (org_write(c, 0, name, uscc, type, industry, town, cname, cphone, source, &id, err) ||
        pj_ent_org_rematch(c, id, err) ||
        pj_render_commit(c, "create", "organisation", id, NULL, org_render, w, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

/* An organisation that serves as its type — a department in the appeals' dispatch catalogue
 * or holding appeals still open or reception days to come, a bank with products — keeps that
 * type: retyped, the catalogue dispatched to "no government department" (422 at a field the
 * caller never sent), its open appeals were held by a firm, and the firm counted for policies.
 * 409 in_use on type, naming what holds it. */
static int org_type_in_use(pj_ctx *c, int64_t id, const char *old_type, pj_err *err)
{
    int gov = !strcmp(old_type, "government");
    if (!gov && strcmp(old_type, "bank")) return 0;
    pj_stmt *s = pj_db_prepare(
        c->db,
        gov ? "SELECT (SELECT COUNT(*) FROM ent_dispatch WHERE department_id = ?1), (SELECT"
              " COUNT(*) FROM ent_appeals WHERE department_id = ?1 AND state <> 'closed'),"
              " (SELECT COUNT(*) FROM ent_reception_days d, json_each(d.department_ids) j WHERE"
              " d.state = 'planned' AND j.value = ?1)"
            : "SELECT (SELECT COUNT(*) FROM ent_bank_products WHERE bank_id = ?1), 0, 0",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    long long a = rc == 1 ? pj_col_int(s, 0) : 0, b = rc == 1 ? pj_col_int(s, 1) : 0,
              d = rc == 1 ? pj_col_int(s, 2) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (!a && !b && !d) return 0;
    if (gov)
        return pj_fail(err, 409, "in_use", "type",
                       "the department is in the appeals' dispatch catalogue (%lld categories),"
                       " holds %lld open appeals and is invited to %lld reception days to come:"
                       " give those to another department first; its type stays government",
                       a, b, d);
    return pj_fail(err, 409, "in_use", "type",
                   "the bank offers %lld loan products (bank–enterprise matching); its type"
                   " stays bank",
                   a);
}

int pj_org_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int64_t version;
    static const char *const nullable[] = {"township_id", "uscc", NULL};
    if (pj_in_object(body, err) || pj_in_only(body, org_fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, nullable, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT name, COALESCE(uscc, ''), type, industry, township_id,"
                      " contact_name, contact_phone, source FROM organisations WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int found = pj_stmt_step(s, err);
    if (found != 1) {
        pj_stmt_done(s);
        if (found == 0) pj_not_found(err, "organisation", id);
        goto fail;
    }
    pj_arena *a = c->arena;
    const char *name = pj_arena_strdup(a, pj_col_text(s, 0)),
               *uscc = pj_arena_strdup(a, pj_col_text(s, 1)),
               *type = pj_arena_strdup(a, pj_col_text(s, 2)),
               *industry = pj_arena_strdup(a, pj_col_text(s, 3)),
               *cname = pj_arena_strdup(a, pj_col_text(s, 5)),
               *cphone = pj_arena_strdup(a, pj_col_text(s, 6)),
               *source = pj_arena_strdup(a, pj_col_text(s, 7));
    int64_t town = pj_col_int(s, 4), old_town = town;
    pj_stmt_done(s);
    /* an enterprise user edits its own record; officers within their township */
    int own = c->actor.role == PJ_ROLE_ENTERPRISE && c->actor.organisation_id == id;
    if (c->actor.role == PJ_ROLE_ENTERPRISE) {
        /* an enterprise keeps its own contact details and industry current, nothing else */
        static const char *const ent_fields[] = {"industry", "contact_name", "contact_phone",
                                                 "version", NULL};
        if (!own) {
            pj_fail(err, 403, "forbidden", "", "not your organisation");
            goto fail;
        }
        if (pj_in_only(body, ent_fields, err)) {
            char field[64];
            snprintf(field, sizeof field, "%s", err->field);
            pj_fail(err, 403, "forbidden", field, "an enterprise user may not change %s", field);
            goto fail;
        }
    } else if (require_township_scope(c, old_town, err)) {
        goto fail;
    }
    if (pj_version_check(c, "SELECT version FROM organisations WHERE id = ?", id, version,
                         "organisation", err))
        goto fail;
    const char *old_type = type;
    if (org_read(c, body, 0, &name, &uscc, &type, &industry, &town, &cname, &cphone, &source, err))
        goto fail;
    if (strcmp(old_type, type) && org_type_in_use(c, id, old_type, err)) goto fail;
    if (pj_in_is_null(body, "uscc")) uscc = ""; /* an organisation without a credit code */
    if (!own && town != old_town && require_township_scope(c, town, err)) goto fail;
    char *before = pj_render_to_string(c, id, org_render, err);
    int64_t got;
    if (!before ||
        org_write(c, id, name, uscc, type, industry, town, cname, cphone, source, &got, err) ||
        (town != old_town &&
         (pj_ent_org_moved(c, id, town, err) || pj_ec_org_moved(c, id, town, err))) ||
        pj_ent_org_rematch(c, id, err) ||
        update_commit(c, "organisation", id, before, org_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_org_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT township_id FROM organisations WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "organisation", id);
        goto fail;
    }
    if (require_township_scope(c, town, err)) goto fail;
    char *before = pj_render_to_string(c, id, org_render, err);
    /* an enterprise user's organisation keeps its account's scope */
    if (!before ||
        check_unused(c, "organisations", "organisation", id,
                     "SELECT username, disabled FROM users WHERE organisation_id = ?1 ORDER BY 1",
                     err) ||
        delete_row(c, "DELETE FROM organisations WHERE id = ?", "organisation", id, err) ||
        pj_audit_add(c, "delete", "organisation", id, before, NULL, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- facilities ---- */

#define FAC_COLS                                                                                   \
    "f.id, f.name, f.type, f.township_id, t.name, f.village_id, f.address, f.lat, f.lon,"          \
    " f.operator_id, f.peacetime_function, f.peacetime_capacity, f.peacetime_unit, f.state,"       \
    " f.source, f.created_at, f.updated_at, f.version, r.role, r.unit, r.capacity,"                \
    " f.barrier_free_rooms"

/* Writes facilities from rows ordered by facility id (roles joined, one row per role).
 * Returns the number of facilities written, up to max; *last gets the last id written and
 * *more whether another facility followed. */
static int facility_emit(pj_stmt *s, pj_jw *w, int max, int64_t *last, int *more, pj_err *err)
{
    int n = 0, rc;
    int64_t cur = 0;
    *more = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t id = pj_col_int(s, 0);
        if (id != cur) {
            if (cur) {
                pj_jw_arr_end(w);
                pj_jw_obj_end(w);
            }
            if (n == max) {
                *more = 1;
                cur = 0;
                break;
            }
            n++;
            cur = *last = id;
            pj_jw_obj(w);
            pj_jw_kint(w, "id", id);
            pj_render_text(w, "name", s, 1);
            pj_render_text(w, "type", s, 2);
            pj_jw_kint(w, "township_id", pj_col_int(s, 3));
            pj_render_text(w, "township_name", s, 4);
            pj_render_ref(w, "village_id", s, 5);
            pj_render_text(w, "address", s, 6);
            pj_jw_key(w, "lat");
            pj_jw_fixed(w, pj_col_double(s, 7), 6);
            pj_jw_key(w, "lon");
            pj_jw_fixed(w, pj_col_double(s, 8), 6);
            pj_render_ref(w, "operator_id", s, 9);
            pj_render_text(w, "peacetime_function", s, 10);
            pj_jw_kint(w, "peacetime_capacity", pj_col_int(s, 11));
            pj_render_text(w, "peacetime_unit", s, 12);
            pj_jw_kint(w, "barrier_free_rooms", pj_col_int(s, 21));
            pj_render_text(w, "state", s, 13);
            pj_render_text(w, "source", s, 14);
            pj_render_time(w, "created_at", pj_col_int(s, 15));
            pj_render_time(w, "updated_at", pj_col_int(s, 16));
            pj_jw_kint(w, "version", pj_col_int(s, 17));
            pj_jw_key(w, "emergency_roles");
            pj_jw_arr(w);
        }
        if (!pj_col_is_null(s, 18)) {
            pj_jw_obj(w);
            pj_render_text(w, "role", s, 18);
            pj_jw_knum(w, "capacity", pj_col_double(s, 20));
            pj_render_text(w, "unit", s, 19);
            pj_jw_obj_end(w);
        }
    }
    if (cur) {
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    return rc < 0 ? -1 : n;
}

static int facility_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT " FAC_COLS " FROM facilities f"
                               " JOIN regions t ON t.id = f.township_id"
                               " LEFT JOIN facility_roles r ON r.facility_id = f.id"
                               " WHERE f.id = ? ORDER BY r.role, r.unit",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int64_t last;
    int more;
    int n = facility_emit(s, w, 1, &last, &more, err);
    pj_stmt_done(s);
    if (n < 0) return -1;
    return n == 0 ? pj_not_found(err, "facility", id) : 0;
}

int pj_facility_list(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT " FAC_COLS " FROM (SELECT * FROM facilities WHERE id > ?1"
        " AND (?2 = 0 OR township_id = ?2) AND (?3 IS NULL OR type = ?3)"
        " AND (?4 IS NULL OR state = ?4) AND (?5 IS NULL OR name LIKE '%' || ?5 || '%' ESCAPE '\\')"
        " AND (?6 = 0 OR village_id = ?6) AND (?7 = 0 OR operator_id = ?7)"
        " AND (?8 IS NULL OR EXISTS (SELECT 1 FROM facility_roles x WHERE x.facility_id ="
        " facilities.id AND x.role = ?8)) ORDER BY id LIMIT ?9) f"
        " JOIN regions t ON t.id = f.township_id"
        " LEFT JOIN facility_roles r ON r.facility_id = f.id ORDER BY f.id, r.role, r.unit",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->township_id);
    pj_stmt_text(s, 3, f->type);
    pj_stmt_text(s, 4, f->state);
    pj_stmt_text(s, 5, pj_like_escape(c, f->q));
    pj_stmt_int(s, 6, f->village_id);
    pj_stmt_int(s, 7, f->operator_id);
    pj_stmt_text(s, 8, f->role);
    pj_stmt_int(s, 9, f->limit + 1);
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int64_t last = 0;
    int more;
    int n = facility_emit(s, w, f->limit, &last, &more, err);
    pj_stmt_done(s);
    if (n < 0) return -1;
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, more, last);
    pj_jw_obj_end(w);
    return 0;
}

/* The facilities the list's filters select (every page), as a CTE `sel`: ?1 township, ?2 type,
 * ?3 state, ?4 name, ?5 village, ?6 operator, ?7 role (the list's conditions). */
#define FAC_SELECTED                                                                               \
    "WITH sel AS (SELECT * FROM facilities WHERE (?1 = 0 OR township_id = ?1)"                     \
    " AND (?2 IS NULL OR type = ?2) AND (?3 IS NULL OR state = ?3)"                                \
    " AND (?4 IS NULL OR name LIKE '%' || ?4 || '%' ESCAPE '\\')"                                  \
    " AND (?5 = 0 OR village_id = ?5) AND (?6 = 0 OR operator_id = ?6)"                            \
    " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM facility_roles x WHERE x.facility_id ="             \
    " facilities.id AND x.role = ?7))) "

static pj_stmt *selected_prepare(pj_ctx *c, const pj_list_filter *f, const char *sql, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return NULL;
    pj_stmt_int(s, 1, f->township_id);
    pj_stmt_text(s, 2, f->type);
    pj_stmt_text(s, 3, f->state);
    pj_stmt_text(s, 4, pj_like_escape(c, f->q));
    pj_stmt_int(s, 5, f->village_id);
    pj_stmt_int(s, 6, f->operator_id);
    pj_stmt_text(s, 7, f->role);
    return s;
}

int pj_facility_summary(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err)
{
    int rc;
    pj_jw_obj(w);
    /* how many, and how many in each state (every state, 0 where none is) */
    pj_stmt *s =
        selected_prepare(c, f, FAC_SELECTED "SELECT state, COUNT(*) FROM sel GROUP BY state", err);
    if (!s) return -1;
    int64_t by_state[8] = {0}, all = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        const char *st = pj_col_text(s, 0);
        int64_t n = pj_col_int(s, 1);
        all += n;
        for (int i = 0; pj_facility_states[i] && i < 8; i++)
            if (st && !strcmp(st, pj_facility_states[i])) by_state[i] += n;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_kint(w, "facilities", all);
    pj_jw_key(w, "states");
    pj_jw_obj(w);
    for (int i = 0; pj_facility_states[i] && i < 8; i++)
        pj_jw_kint(w, pj_facility_states[i], by_state[i]);
    pj_jw_obj_end(w);
    /* capacity per role and unit: the facilities with it, and its sum in each state */
    s = selected_prepare(c, f,
                         FAC_SELECTED
                         "SELECT r.role, r.unit, sel.state, COUNT(*), SUM(r.capacity) FROM sel"
                         " JOIN facility_roles r ON r.facility_id = sel.id"
                         " GROUP BY r.role, r.unit, sel.state ORDER BY r.role, r.unit",
                         err);
    if (!s) return -1;
    pj_jw_key(w, "capacity");
    pj_jw_arr(w);
    char role[64] = "", unit[64] = "";
    int64_t n = 0;
    double cap[8] = {0}, total = 0;
    int open = 0;
    for (;;) {
        rc = pj_stmt_step(s, err);
        const char *r = rc == 1 ? pj_col_text(s, 0) : NULL, *u = rc == 1 ? pj_col_text(s, 1) : NULL;
        if (open && (rc != 1 || strcmp(role, r ? r : "") || strcmp(unit, u ? u : ""))) {
            pj_jw_obj(w);
            pj_jw_kstr(w, "role", role);
            pj_jw_kstr(w, "unit", unit);
            pj_jw_kint(w, "facilities", n);
            for (int i = 0; pj_facility_states[i] && i < 8; i++)
                pj_jw_knum(w, pj_facility_states[i], cap[i]);
            pj_jw_knum(w, "total", total);
            pj_jw_obj_end(w);
            open = 0;
        }
        if (rc != 1) break;
        if (!open) {
            snprintf(role, sizeof role, "%s", r ? r : "");
            snprintf(unit, sizeof unit, "%s", u ? u : "");
            n = 0;
            total = 0;
            memset(cap, 0, sizeof cap);
            open = 1;
        }
        const char *st = pj_col_text(s, 2);
        double sum = pj_col_double(s, 4);
        n += pj_col_int(s, 3);
        total += sum;
        for (int i = 0; pj_facility_states[i] && i < 8; i++)
            if (st && !strcmp(st, pj_facility_states[i])) cap[i] += sum;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    /* per township (those with a facility selected): how many, and each role's capacity */
    s = selected_prepare(c, f,
                         FAC_SELECTED
                         "SELECT sel.township_id, t.name, NULL, NULL, COUNT(*), NULL FROM sel"
                         " JOIN regions t ON t.id = sel.township_id GROUP BY sel.township_id"
                         " UNION ALL SELECT sel.township_id, NULL, r.role, r.unit, NULL,"
                         " SUM(r.capacity) FROM sel JOIN facility_roles r ON r.facility_id ="
                         " sel.id GROUP BY sel.township_id, r.role, r.unit"
                         " ORDER BY 1, 3, 4",
                         err);
    if (!s) return -1;
    pj_jw_key(w, "townships");
    pj_jw_arr(w);
    int64_t town = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        if (pj_col_is_null(s, 2)) {
            if (town) {
                pj_jw_arr_end(w);
                pj_jw_obj_end(w);
            }
            town = pj_col_int(s, 0);
            pj_jw_obj(w);
            pj_jw_kint(w, "township_id", town);
            pj_render_text(w, "name", s, 1);
            pj_jw_kint(w, "facilities", pj_col_int(s, 4));
            pj_jw_key(w, "capacity");
            pj_jw_arr(w);
            continue;
        }
        pj_jw_obj(w);
        pj_render_text(w, "role", s, 2);
        pj_render_text(w, "unit", s, 3);
        pj_jw_knum(w, "total", pj_col_double(s, 5));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (town) {
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

int pj_facility_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return facility_render(c, id, w, err);
}

static const char *const facility_fields[] = {"name",
                                              "type",
                                              "township_id",
                                              "village_id",
                                              "address",
                                              "lat",
                                              "lon",
                                              "operator_id",
                                              "peacetime_function",
                                              "peacetime_capacity",
                                              "peacetime_unit",
                                              "barrier_free_rooms",
                                              "emergency_roles",
                                              "source",
                                              "version",
                                              NULL};
static const char *const operator_fields[] = {"name",
                                              "address",
                                              "peacetime_function",
                                              "peacetime_capacity",
                                              "peacetime_unit",
                                              "barrier_free_rooms",
                                              "emergency_roles",
                                              "version",
                                              "confirm",
                                              "reason",
                                              NULL};
/* An update's fields: a facility's, and confirm with its reason to lower a capacity below the
 * people adopted plans placed there (occupied_check). */
static const char *const update_fields[] = {"name",
                                            "type",
                                            "township_id",
                                            "village_id",
                                            "address",
                                            "lat",
                                            "lon",
                                            "operator_id",
                                            "peacetime_function",
                                            "peacetime_capacity",
                                            "peacetime_unit",
                                            "barrier_free_rooms",
                                            "emergency_roles",
                                            "source",
                                            "version",
                                            "confirm",
                                            "reason",
                                            NULL};

typedef struct fac_in {
    const char *name, *type, *address, *pfunc, *punit, *source;
    int64_t town, village, op, pcap, bf;
    double lat, lon;
} fac_in;

static int facility_read(pj_ctx *c, json_t *b, int required, fac_in *f, pj_err *err)
{
    if (pj_in_text_trimmed(c->arena, b, "name", required, 128, &f->name, err) < 0 ||
        pj_in_enum(b, "type", required, pj_facility_types, &f->type, err) < 0 ||
        pj_in_ref(b, "township_id", required, &f->town, err) < 0 ||
        pj_in_ref(b, "village_id", 0, &f->village, err) < 0 ||
        pj_in_str(b, "address", 0, 0, 256, &f->address, err) < 0 ||
        pj_in_num(b, "lat", required, -90, 90, &f->lat, err) < 0 ||
        pj_in_num(b, "lon", required, -180, 180, &f->lon, err) < 0 ||
        pj_in_ref(b, "operator_id", 0, &f->op, err) < 0 ||
        pj_in_str(b, "peacetime_function", 0, 0, 128, &f->pfunc, err) < 0 ||
        pj_in_int(b, "peacetime_capacity", 0, 0, 10000000, &f->pcap, err) < 0 ||
        pj_in_str(b, "peacetime_unit", 0, 0, 32, &f->punit, err) < 0 ||
        pj_in_int(b, "barrier_free_rooms", 0, 0, 100000, &f->bf, err) < 0 ||
        pj_in_str(b, "source", 0, 1, 32, &f->source, err) < 0)
        return -1;
    int rc = pj_render_exists(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'",
                              f->town, err);
    if (rc <= 0)
        return rc < 0 ? -1
                      : pj_fail(err, 422, "unknown_id", "township_id", "no township %lld",
                                (long long)f->town);
    if (f->village) {
        pj_stmt *s = pj_db_prepare(c->db, "SELECT parent_id, type FROM regions WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, f->village);
        rc = pj_stmt_step(s, err);
        int ok = rc == 1 && pj_col_int(s, 0) == f->town &&
                 (!strcmp(pj_col_text(s, 1), "village") || !strcmp(pj_col_text(s, 1), "community"));
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (!ok)
            return pj_fail(err, 422, "unknown_id", "village_id",
                           "village %lld is not a village or community of township %lld",
                           (long long)f->village, (long long)f->town);
    }
    if (f->op) {
        rc = pj_render_exists(c, "SELECT 1 FROM organisations WHERE id = ?", f->op, err);
        if (rc <= 0)
            return rc < 0 ? -1
                          : pj_fail(err, 422, "unknown_id", "operator_id", "no organisation %lld",
                                    (long long)f->op);
    }
    return 0;
}

/* Validates emergency_roles: [{role, capacity, unit}], no duplicate (role, unit). */
static int roles_check(json_t *roles, pj_err *err)
{
    if (!json_is_array(roles))
        return pj_fail(err, 422, "wrong_type", "emergency_roles",
                       "emergency_roles must be an array of {role, capacity, unit}");
    if (json_array_size(roles) > 20)
        return pj_fail(err, 422, "too_long", "emergency_roles", "at most 20 emergency roles");
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        char field[24];
        snprintf(field, sizeof field, "emergency_roles[%u]", (unsigned)(i % 100));
        if (!json_is_object(r))
            return pj_fail(err, 422, "wrong_type", field, "%s must be an object", field);
        static const char *const allowed[] = {"role", "capacity", "unit", NULL};
        const char *role, *unit;
        double cap;
        pj_err sub;
        pj_err_clear(&sub);
        if (pj_in_only(r, allowed, &sub) ||
            pj_in_enum(r, "role", 1, pj_emergency_roles, &role, &sub) < 0 ||
            pj_in_num(r, "capacity", 1, 0, 1e9, &cap, &sub) < 0) {
            *err = sub;
            snprintf(err->field, sizeof err->field, "%s.%.16s", field, sub.field);
            return -1;
        }
        const char *const *units = pj_emergency_role_units(role);
        if (pj_in_enum(r, "unit", 0, units, &unit, &sub) < 0) {
            *err = sub;
            snprintf(err->field, sizeof err->field, "%s.unit", field);
            return -1;
        }
        if (!json_object_get(r, "unit")) unit = units[0];
        /* rooms, beds and vehicles are counted; only stores (m3, t) hold part units */
        if (strcmp(unit, "m3") && strcmp(unit, "t") && cap != floor(cap)) {
            char cf[40];
            snprintf(cf, sizeof cf, "%s.capacity", field);
            return pj_fail(err, 422, "wrong_type", cf, "%s in %s must be a whole number", cf, unit);
        }
        for (size_t k = 0; k < i; k++) {
            json_t *o = json_array_get(roles, k);
            const char *ou = json_string_value(json_object_get(o, "unit"));
            if (!ou) ou = pj_emergency_role_units(json_string_value(json_object_get(o, "role")))[0];
            if (!strcmp(json_string_value(json_object_get(o, "role")), role) && !strcmp(ou, unit))
                return pj_fail(err, 422, "duplicate", field, "%s %s is listed twice", role, unit);
        }
    }
    return 0;
}

/* 422 out_of_range when the facility's figures contradict its own size (a typed extra zero):
 * a role counted in the facility's peacetime unit (rooms, beds) above its peacetime_capacity,
 * barrier-free rooms above its rooms (peacetime unit rooms). Not checked without a peacetime
 * capacity (0: not given) nor for a village or community: its peacetime figure counts one
 * business of the place (its homestays), its emergency roles the village's buildings. roles:
 * the body's; NULL: the stored ones of facility id (0 for none), checked only when body
 * changes the peacetime figures (field peacetime_capacity). barrier_free_rooms likewise only
 * when body gives it or the peacetime figures. */
static int figures_check(pj_ctx *c, int64_t id, const fac_in *f, json_t *body, json_t *roles,
                         pj_err *err)
{
    if (f->pcap <= 0 || !strcmp(f->type, "village_community")) return 0;
    int peace = json_object_get(body, "peacetime_capacity") ||
                json_object_get(body, "peacetime_unit") || json_object_get(body, "type");
    if ((peace || json_object_get(body, "barrier_free_rooms")) && !strcmp(f->punit, "rooms") &&
        f->bf > f->pcap)
        return pj_fail(err, 422, "out_of_range",
                       json_object_get(body, "barrier_free_rooms") ? "barrier_free_rooms"
                                                                   : "peacetime_capacity",
                       "%lld barrier-free rooms is more rooms than the facility's %lld"
                       " (peacetime_capacity)",
                       (long long)f->bf, (long long)f->pcap);
    if (roles) {
        size_t i;
        json_t *r;
        json_array_foreach(roles, i, r)
        {
            const char *role = json_string_value(json_object_get(r, "role"));
            const char *unit = json_string_value(json_object_get(r, "unit"));
            if (!unit) unit = pj_emergency_role_units(role)[0];
            double cap = json_number_value(json_object_get(r, "capacity"));
            if (strcmp(unit, f->punit) || cap <= (double)f->pcap) continue;
            char field[48];
            snprintf(field, sizeof field, "emergency_roles[%u].capacity", (unsigned)(i % 100));
            return pj_fail(err, 422, "out_of_range", field,
                           "%s capacity of %.0f %s is more %s than the facility's %lld"
                           " (peacetime_capacity)",
                           role, cap, unit, unit, (long long)f->pcap);
        }
        return 0;
    }
    if (!peace || !id) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT role, capacity FROM facility_roles WHERE facility_id = ?"
                               " AND unit = ? AND capacity > ? ORDER BY role LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_text(s, 2, f->punit);
    pj_stmt_int(s, 3, f->pcap);
    int rc = pj_stmt_step(s, err);
    if (rc == 1)
        pj_fail(err, 422, "out_of_range", "peacetime_capacity",
                "the facility's %lld %s are fewer than the %.0f %s of its %s capacity",
                (long long)f->pcap, f->punit, pj_col_double(s, 1), f->punit, pj_col_text(s, 0));
    pj_stmt_done(s);
    return rc != 0 ? -1 : 0;
}

static int roles_write(pj_ctx *c, int64_t id, json_t *roles, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "DELETE FROM facility_roles WHERE facility_id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    if (pj_step_done(s, err)) return -1;
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        const char *role = json_string_value(json_object_get(r, "role"));
        const char *unit = json_string_value(json_object_get(r, "unit"));
        if (!unit) unit = pj_emergency_role_units(role)[0];
        s = pj_db_prepare(c->db,
                          "INSERT INTO facility_roles (facility_id, role, unit, capacity)"
                          " VALUES (?,?,?,?)",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_stmt_text(s, 2, role);
        pj_stmt_text(s, 3, unit);
        pj_stmt_double(s, 4, json_number_value(json_object_get(r, "capacity")));
        if (pj_step_done(s, err)) return -1;
    }
    return 0;
}

static int facility_write(pj_ctx *c, int64_t id, const fac_in *f, int64_t *id_out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        id ? "UPDATE facilities SET name = ?1, type = ?2, township_id = ?3, village_id = ?4,"
             " address = ?5, lat = ?6, lon = ?7, operator_id = ?8, peacetime_function = ?9,"
             " peacetime_capacity = ?10, peacetime_unit = ?11, source = ?12, updated_at = ?13,"
             " barrier_free_rooms = ?15, version = version + 1 WHERE id = ?14 RETURNING id"
           : "INSERT INTO facilities (id, name, type, township_id, village_id, address, lat,"
             " lon, operator_id, peacetime_function, peacetime_capacity, peacetime_unit, source,"
             " created_at, updated_at, barrier_free_rooms) VALUES (" PJ_NEXT_ID(
                 "facilities") ",?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13,?15) RETURNING id",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, f->name);
    pj_stmt_text(s, 2, f->type);
    pj_stmt_int(s, 3, f->town);
    if (f->village) pj_stmt_int(s, 4, f->village);
    pj_stmt_text(s, 5, f->address);
    pj_stmt_double(s, 6, f->lat);
    pj_stmt_double(s, 7, f->lon);
    if (f->op) pj_stmt_int(s, 8, f->op);
    pj_stmt_text(s, 9, f->pfunc);
    pj_stmt_int(s, 10, f->pcap);
    pj_stmt_text(s, 11, f->punit);
    pj_stmt_text(s, 12, f->source);
    pj_stmt_int(s, 13, pj_now());
    if (id) pj_stmt_int(s, 14, id);
    pj_stmt_int(s, 15, f->bf);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) *id_out = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc == 1 ? 0 : -1;
}

/* A create's checks: the body's fields and references, the caller's township scope, the
 * roles. */
static int facility_create_check(pj_ctx *c, json_t *body, fac_in *f, json_t **roles, pj_err *err)
{
    if (pj_in_object(body, err) || pj_in_only(body, facility_fields, err) ||
        pj_in_create_version(body, err) || facility_read(c, body, 1, f, err) ||
        require_township_scope(c, f->town, err))
        return -1;
    *roles = json_object_get(body, "emergency_roles");
    return (*roles && roles_check(*roles, err)) || figures_check(c, 0, f, body, *roles, err) ? -1
                                                                                             : 0;
}

/* A create's writes, audited, in the caller's transaction; *after its rendering. */
static int facility_create_write(pj_ctx *c, const fac_in *f, json_t *roles, int64_t *id,
                                 char **after, pj_err *err)
{
    return facility_write(c, 0, f, id, err) || (roles && roles_write(c, *id, roles, err)) ||
                   !(*after = pj_render_to_string(c, *id, facility_render, err)) ||
                   pj_audit_add(c, "create", "facility", *id, NULL, *after, err)
               ? -1
               : 0;
}

int pj_facility_create_in(pj_ctx *c, json_t *body, const char *source, int64_t *id, pj_err *err)
{
    fac_in f = {.address = "", .pfunc = "", .punit = "", .source = source};
    json_t *roles;
    char *after;
    return facility_create_check(c, body, &f, &roles, err) ||
                   facility_create_write(c, &f, roles, id, &after, err)
               ? -1
               : 0;
}

int pj_facility_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    fac_in f = {.address = "", .pfunc = "", .punit = "", .source = "manual"};
    json_t *roles;
    if (facility_create_check(c, body, &f, &roles, err)) return -1;
    int64_t id;
    char *after;
    if (pj_db_begin(c->db, err)) return -1;
    if (facility_create_write(c, &f, roles, &id, &after, err) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    pj_jw_raw(w, after);
    return 0;
}

/* 409 conflict when an update would pull the ground from under the facility's live conversion
 * (converting, emergency or restoring): its type or township changed (the standard and the
 * township's command the conversion answers to), or the emergency role its manual converts the
 * facility to removed. Other edits, other roles and the role's capacity stay open. */
static int live_conversion_check(pj_ctx *c, int64_t id, json_t *body, const char *old_type,
                                 int64_t old_town, json_t *roles, pj_err *err)
{
    json_t *type = json_object_get(body, "type"), *town = json_object_get(body, "township_id");
    int new_type = json_is_string(type) && strcmp(json_string_value(type), old_type);
    int new_town = json_is_integer(town) && json_integer_value(town) != old_town;
    if (!new_type && !new_town && !roles) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT v.id, v.state, m.role FROM conversions v JOIN manuals m ON"
                               " m.id = v.manual_id WHERE v.facility_id = ? AND v.mode = 'live'"
                               " AND v.state IN ('converting', 'emergency', 'restoring')",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        return rc < 0 ? -1 : 0;
    }
    long long conv = (long long)pj_col_int(s, 0);
    const char *state = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    const char *role = pj_arena_strdup(c->arena, pj_col_text(s, 2));
    pj_stmt_done(s);
    if (new_type)
        return pj_fail(err, 409, "conflict", "type",
                       "the facility's live conversion %lld is %s: its type cannot change until"
                       " it is back in peacetime",
                       conv, state);
    if (new_town)
        return pj_fail(err, 409, "conflict", "township_id",
                       "the facility's live conversion %lld is %s: it cannot move to another"
                       " township until it is back in peacetime",
                       conv, state);
    if (!roles) return 0;
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        if (!strcmp(json_string_value(json_object_get(r, "role")), role)) return 0;
    }
    return pj_fail(err, 409, "conflict", "emergency_roles",
                   "the facility's live conversion %lld is %s as %s: that emergency role stays"
                   " until it is back in peacetime",
                   conv, state, role);
}

/* The people of adopted plans an update was confirmed over (occupied_check): none when people
 * is 0. */
typedef struct fac_occupied {
    int64_t people;
    char ids[160]; /* "9,12" */
} fac_occupied;

/* 409 occupied when an update lowers what the people adopted plans placed into facility id
 * (in force: pj_plan_occupants, as restore and abort count them) hold: the capacity of the role
 * of its live conversion below those people, or its barrier-free rooms below those needing
 * medical care (not for a medical site, which takes them in any place) — unless the update
 * confirms it (confirm 1, with a reason; held gets the people and plans for the audit row; -1:
 * an import, which cannot confirm, is told to edit the facility instead). Only
 * a lowering is asked: an edit that leaves the figure as it is goes through. While the
 * conversion still converts nobody is there yet: the message names the people the plans are to
 * place there (pj_plan_occupants' planned wording), not people the site houses. name: the
 * facility's; roles: the body's or NULL; bf: the new barrier-free rooms, old_bf as stored. */
static int occupied_check(pj_ctx *c, int64_t id, const char *name, json_t *roles, int64_t bf,
                          int64_t old_bf, int confirm, fac_occupied *held, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT m.role, (SELECT MAX(capacity) FROM facility_roles r WHERE r.facility_id ="
        " v.facility_id AND r.role = m.role), EXISTS (SELECT 1 FROM facility_roles r WHERE"
        " r.facility_id = v.facility_id AND r.role = 'medical'), v.state = 'converting' FROM"
        " conversions v JOIN manuals m ON m.id = v.manual_id WHERE v.facility_id = ? AND"
        " v.mode = 'live' AND v.state IN ('converting', 'emergency')",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    const char *role = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : NULL;
    double old_cap = rc == 1 ? pj_col_double(s, 1) : 0;
    int medical = rc == 1 && pj_col_int(s, 2);
    int planned = rc == 1 && pj_col_int(s, 3); /* still converting: nobody there yet */
    pj_stmt_done(s);
    if (rc != 1) return rc < 0 ? -1 : 0;
    char occ[320], ids[160];
    int64_t people;
    if (roles) {
        /* the role's new capacity: its largest, as adoption reads it */
        double cap = -1;
        size_t i, at = 0;
        json_t *r;
        medical = !strcmp(role, "medical");
        json_array_foreach(roles, i, r)
        {
            const char *rr = json_string_value(json_object_get(r, "role"));
            double v = json_number_value(json_object_get(r, "capacity"));
            if (!strcmp(rr, "medical")) medical = 1;
            if (!strcmp(rr, role) && v > cap) cap = v, at = i;
        }
        if (cap >= 0 && cap < old_cap) {
            if (pj_plan_occupants(c, id, "used", planned, &people, occ, sizeof occ, ids, sizeof ids,
                                  err))
                return -1;
            if ((double)people > cap) {
                if (confirm <= 0) {
                    char field[48];
                    snprintf(field, sizeof field, "emergency_roles[%u].capacity",
                             (unsigned)(at % 100));
                    pj_fail(err, 409, "occupied", field,
                            planned ? "%s is still converting: %s, and a %s capacity of %.0f is"
                                      " below them; %s"
                                    : "%s houses %s: a %s capacity of %.0f is below them; %s",
                            name, occ, role, cap,
                            confirm < 0 ? "an import does not lower it: edit the facility and"
                                          " confirm with a reason"
                                        : "to lower it anyway, confirm with a reason");
                    pj_err_detail(err, "people", (long long)people);
                    pj_err_detail_str(err, "plan_ids", ids);
                    return -1;
                }
                held->people = people;
                snprintf(held->ids, sizeof held->ids, "%s", ids);
            }
        }
    } else if (!strcmp(role, "medical")) {
        medical = 1;
    }
    if (medical || bf >= old_bf) return 0;
    if (pj_plan_occupants(c, id, "vulnerable", planned, &people, occ, sizeof occ, ids, sizeof ids,
                          err))
        return -1;
    if (people <= bf) return 0;
    if (confirm <= 0) {
        pj_fail(err, 409, "occupied", "barrier_free_rooms",
                planned ? "%s is still converting: %s, and %lld barrier-free rooms are fewer than"
                          " them; %s"
                        : "%s houses %s: %lld barrier-free rooms are fewer than them; %s",
                name, occ, (long long)bf,
                confirm < 0 ? "an import does not lower them: edit the facility and confirm"
                              " with a reason"
                            : "to lower them anyway, confirm with a reason");
        pj_err_detail(err, "people", (long long)people);
        pj_err_detail_str(err, "plan_ids", ids);
        return -1;
    }
    if (!held->people) {
        held->people = people;
        snprintf(held->ids, sizeof held->ids, "%s", ids);
    }
    return 0;
}

/* An update's reads and writes in the caller's transaction, after its checks of the body: the
 * facility, the caller's scope (a facility operator: their facility; others: the township, the
 * old and any new one), the version (0: the current one), the body's fields over the stored
 * ones and its roles written. *before: the facility's rendering before. */
static int facility_update_write(pj_ctx *c, int64_t id, json_t *body, json_t *roles,
                                 int64_t version, int confirm, fac_occupied *held, char **before,
                                 pj_err *err)
{
    int operator= c->actor.role == PJ_ROLE_FACILITY_OPERATOR;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT name, type, township_id, village_id, address, lat, lon,"
                               " operator_id, peacetime_function, peacetime_capacity,"
                               " peacetime_unit, source, barrier_free_rooms FROM facilities"
                               " WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int found = pj_stmt_step(s, err);
    if (found != 1) {
        pj_stmt_done(s);
        if (found == 0) pj_not_found(err, "facility", id);
        return -1;
    }
    pj_arena *a = c->arena;
    fac_in f = {.name = pj_arena_strdup(a, pj_col_text(s, 0)),
                .type = pj_arena_strdup(a, pj_col_text(s, 1)),
                .town = pj_col_int(s, 2),
                .village = pj_col_int(s, 3),
                .address = pj_arena_strdup(a, pj_col_text(s, 4)),
                .lat = pj_col_double(s, 5),
                .lon = pj_col_double(s, 6),
                .op = pj_col_int(s, 7),
                .pfunc = pj_arena_strdup(a, pj_col_text(s, 8)),
                .pcap = pj_col_int(s, 9),
                .punit = pj_arena_strdup(a, pj_col_text(s, 10)),
                .source = pj_arena_strdup(a, pj_col_text(s, 11)),
                .bf = pj_col_int(s, 12)};
    pj_stmt_done(s);
    int64_t old_town = f.town;
    if (operator) {
        if (c->actor.facility_id != id) {
            pj_fail(err, 403, "forbidden", "", "you operate another facility");
            return -1;
        }
    } else if (require_township_scope(c, old_town, err)) {
        return -1;
    }
    if (version && pj_version_check(c, "SELECT version FROM facilities WHERE id = ?", id, version,
                                    "facility", err))
        return -1;
    /* moving it to a township outside the caller's scope: 403 first, not what the new
     * township makes of the rest (its village no longer fitting) */
    json_t *to = json_object_get(body, "township_id");
    if (json_is_integer(to) && json_integer_value(to) != old_town &&
        require_township_scope(c, json_integer_value(to), err))
        return -1;
    if (live_conversion_check(c, id, body, f.type, old_town, roles, err)) return -1;
    int64_t old_bf = f.bf;
    const char *old_name = f.name;
    if (facility_read(c, body, 0, &f, err)) return -1;
    if (f.town != old_town && require_township_scope(c, f.town, err)) return -1;
    if (figures_check(c, id, &f, body, roles, err) ||
        occupied_check(c, id, old_name, roles, f.bf, old_bf, confirm, held, err))
        return -1;
    int64_t got;
    if (!(*before = pj_render_to_string(c, id, facility_render, err)) ||
        facility_write(c, id, &f, &got, err) || (roles && roles_write(c, id, roles, err)))
        return -1;
    return 0;
}

int pj_facility_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int64_t version;
    int operator= c->actor.role == PJ_ROLE_FACILITY_OPERATOR, confirm = 0;
    const char *reason = NULL;
    if (pj_in_object(body, err) ||
        pj_in_only(body, operator? operator_fields : update_fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0) {
        if (operator&& !strcmp(err->code, "unknown_field") &&
            pj_in_only(body, update_fields, NULL) == 0) {
            err->status = 403;
            snprintf(err->code, sizeof err->code, "forbidden");
            snprintf(err->message, sizeof err->message, "a facility operator may not change %s",
                     err->field);
        }
        return -1;
    }
    /* lowering a capacity below the people adopted plans placed there: confirmed with a reason */
    if (pj_in_bool(body, "confirm", 0, &confirm, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "reason", confirm, 500, &reason, err) < 0)
        return -1;
    static const char *const nullable[] = {"village_id", "operator_id", NULL};
    if (pj_in_no_null(body, nullable, err)) return -1;
    json_t *roles = json_object_get(body, "emergency_roles");
    if (roles && roles_check(roles, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
    fac_occupied held = {0};
    if (facility_update_write(c, id, body, roles, version, confirm, &held, &before, err)) goto fail;
    if (!held.people) {
        if (update_commit(c, "facility", id, before, facility_render, w, err)) goto fail;
        return 0;
    }
    /* confirmed over the people of adopted plans: the audit row's after says so, with the
     * reason (as a confirmed restore's does) */
    if (!(after = pj_render_to_string(c, id, facility_render, err))) goto fail;
    json_t *o = json_loads(after, 0, NULL), *plans = json_array();
    for (const char *q = held.ids; o && *q;) {
        json_array_append_new(plans, json_integer(strtoll(q, NULL, 10)));
        q = strchr(q, ',');
        if (!q) break;
        q++;
    }
    char *t = NULL;
    if (o) {
        json_object_set_new(o, "occupied",
                            json_pack("{s:I, s:o, s:s}", "people", (json_int_t)held.people,
                                      "plan_ids", plans, "reason", reason));
        t = json_dumps(o, JSON_COMPACT);
        json_decref(o);
    } else {
        json_decref(plans);
    }
    if (!t) {
        pj_fail(err, 500, "internal", "", "cannot write the facility's audit row");
        goto fail;
    }
    int rc = pj_audit_add(c, "update", "facility", id, before, t, err);
    free(t);
    if (rc || pj_db_commit(c->db, err)) goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_facility_update_in(pj_ctx *c, int64_t id, json_t *body, int *changed,
                          const char **before_out, const char **after_out, pj_err *err)
{
    if (pj_in_object(body, err) || pj_in_only(body, facility_fields, err)) return -1;
    json_t *roles = json_object_get(body, "emergency_roles");
    if (roles && roles_check(roles, err)) return -1;
    char *before, *after;
    fac_occupied held = {0};
    /* an import cannot confirm (-1: its refusal says to edit the facility instead) */
    if (facility_update_write(c, id, body, roles, 0, -1, &held, &before, err) ||
        !(after = pj_render_to_string(c, id, facility_render, err)))
        return -1;
    *changed = !pj_render_same(before, after);
    *before_out = before, *after_out = after;
    return *changed ? pj_audit_add(c, "update", "facility", id, before, after, err) : 0;
}

/* 409 in_use when facility id holds stock lines: emergency supplies are accounted for (each
 * line removed, audited) before their store goes, not dropped with it unaudited. No API moves
 * a line to another facility, so the message offers none. */
static int stock_held(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM stock_lines WHERE facility_id = ?",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t n = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (!n) return 0;
    return pj_fail(err, 409, "in_use", "id",
                   "facility %lld holds %lld stock line%s: remove %s first", (long long)id,
                   (long long)n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}

/* The conversion manuals that go with facility id (never used: a used one's conversions
 * keep the facility): an audit row each, with what it was. */
static int audit_manuals_going(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT m.id, json_object('id', m.id, 'facility_id', m.facility_id, 'scenario',"
        " m.scenario, 'role', m.role, 'version', m.version, 'title', m.title, 'steps',"
        " (SELECT COUNT(*) FROM manual_steps WHERE manual_id = m.id))"
        " FROM manuals m WHERE m.facility_id = ? ORDER BY m.id",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        char *before = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        if (pj_audit_add(c, "delete", "manual", pj_col_int(s, 0), before, NULL, err)) {
            rc = -1;
            break;
        }
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_facility_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT township_id, state FROM facilities WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
    int peace = rc == 1 && !strcmp(pj_col_text(s, 1), "peacetime");
    pj_stmt_done(s);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "facility", id);
        goto fail;
    }
    if (require_township_scope(c, town, err)) goto fail;
    if (!peace) {
        pj_fail(err, 409, "in_use", "state", "only a facility in peacetime can be deleted");
        goto fail;
    }
    char *before = pj_render_to_string(c, id, facility_render, err);
    /* a facility operator's facility keeps its account's scope */
    if (!before ||
        check_unused(c, "facilities", "facility", id,
                     "SELECT username, disabled FROM users WHERE facility_id = ?1 ORDER BY 1",
                     err) ||
        stock_held(c, id, err) || audit_manuals_going(c, id, err) ||
        delete_row(c, "DELETE FROM facilities WHERE id = ?", "facility", id, err) ||
        pj_audit_add(c, "delete", "facility", id, before, NULL, err) || pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

static void write_list(pj_jw *w, const char *key, const char *const *values)
{
    pj_jw_key(w, key);
    pj_jw_arr(w);
    for (int i = 0; values[i]; i++) pj_jw_str(w, values[i]);
    pj_jw_arr_end(w);
}

int pj_registry_meta(pj_ctx *c, pj_jw *w, pj_err *err)
{
    static const char *const roles[] = {
        "admin",       "district_officer", "township_officer", "facility_operator",
        "grid_worker", "enterprise",       "viewer",           NULL};
    pj_jw_obj(w);
    write_list(w, "region_types", pj_region_types);
    write_list(w, "facility_types", pj_facility_types);
    write_list(w, "facility_states", pj_facility_states);
    write_list(w, "organisation_types", pj_org_types);
    write_list(w, "user_roles", roles);
    pj_jw_key(w, "emergency_roles");
    pj_jw_obj(w);
    for (int i = 0; pj_emergency_roles[i]; i++)
        write_list(w, pj_emergency_roles[i], pj_emergency_role_units(pj_emergency_roles[i]));
    pj_jw_obj_end(w);
    /* the supply categories of stock lines: their unit and the daily need per person */
    pj_jw_key(w, "supply_categories");
    pj_jw_arr(w);
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT code, name, unit, per_person_day FROM supply_categories ORDER BY rowid",
        err);
    if (!s) return -1;
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_text(w, "code", s, 0);
        pj_render_text(w, "name", s, 1);
        pj_render_text(w, "unit", s, 2);
        pj_jw_knum(w, "per_person_day", pj_col_double(s, 3));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}
