/* Eldercare: the helpers' registry (互助员: neighbours, volunteers, younger elders helping
 * older ones, 低龄助高龄). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/registry.h"
#include "domain/render.h"

#include "core/banned.h"

static int helper_render_x(pj_ctx *c, int64_t id, pj_jw *w, int reveal, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT h.id, h.name, h.sex, h.birth_date, h.id_number, h.phone, h.grid_id, g.name,"
        " h.village_id, h.township_id, h.lat, h.lon, h.skills, h.availability, h.capacity,"
        " h.elder_id, h.active, h.source, h.created_at, h.updated_at, h.version,"
        " (SELECT COUNT(*) FROM elder_pairs p WHERE p.helper_id = h.id AND p.state = 'active'),"
        " a.id, a.balance_min, e.grid_id, e.township_id"
        " FROM helpers h JOIN regions g ON g.id = h.grid_id"
        " LEFT JOIN credit_accounts a ON a.owner_kind = 'helper' AND a.owner_id = h.id"
        " LEFT JOIN elders e ON e.id = h.elder_id"
        " WHERE h.id = ?",
        id, "helper", err);
    if (!s) return -1;
    /* the helper's own elder record (the same person and ID number) only to a reader who may
     * see that elder: to anyone else the link would tell that the elder exists, and its ID
     * number */
    int link = 0;
    if (!pj_col_is_null(s, 15)) {
        link = pj_el_in_scope(c, pj_col_int(s, 24), pj_col_int(s, 25), err);
        if (link < 0) {
            pj_stmt_done(s);
            return -1;
        }
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "sex", s, 2);
    pj_render_text(w, "birth_date", s, 3);
    pj_jw_kint(w, "age", pj_el_age(pj_col_text(s, 3), pj_el_today(c, pj_now())));
    pj_jw_kstr(w, "id_number", pj_el_mask_id(c, pj_col_text(s, 4), reveal));
    pj_jw_kstr(w, "phone", pj_el_mask_phone(c, pj_col_text(s, 5), reveal));
    pj_jw_kint(w, "grid_id", pj_col_int(s, 6));
    pj_render_text(w, "grid_name", s, 7);
    pj_jw_kint(w, "village_id", pj_col_int(s, 8));
    pj_jw_kint(w, "township_id", pj_col_int(s, 9));
    pj_jw_key(w, "lat");
    pj_jw_fixed(w, pj_col_double(s, 10), 6);
    pj_jw_key(w, "lon");
    pj_jw_fixed(w, pj_col_double(s, 11), 6);
    pj_el_skills_write(w, "skills", (int)pj_col_int(s, 12));
    pj_render_text(w, "availability", s, 13);
    int64_t cap = pj_col_int(s, 14), load = pj_col_int(s, 21);
    pj_jw_kint(w, "capacity", cap);
    pj_jw_kint(w, "paired_elders", load);
    pj_jw_kint(w, "places_left", cap > load ? cap - load : 0);
    if (link)
        pj_render_ref(w, "elder_id", s, 15);
    else
        pj_jw_knull(w, "elder_id");
    pj_jw_kbool(w, "active", (int)pj_col_int(s, 16));
    pj_render_ref(w, "credit_account_id", s, 22);
    pj_jw_kint(w, "credit_balance_min", pj_col_int(s, 23));
    pj_jw_key(w, "credits");
    pj_jw_fixed(w, (double)pj_col_int(s, 23) / 60.0, 2);
    pj_render_text(w, "source", s, 17);
    pj_render_time(w, "created_at", pj_col_int(s, 18));
    pj_render_time(w, "updated_at", pj_col_int(s, 19));
    pj_jw_kint(w, "version", pj_col_int(s, 20));
    pj_jw_kbool(w, "masked", !reveal);
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

static int helper_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return helper_render_x(c, id, w, 0, err);
}

/* Every field in full, for telling whether an update changed anything (a masked rendering
 * hides a new ID number or phone that keeps its first digits); never sent or stored. */
static int helper_render_full(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return helper_render_x(c, id, w, 1, err);
}

static int helper_render_revealed(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    if (pj_el_audit_reveal(c, "helper", id, err)) return -1;
    return helper_render_x(c, id, w, 1, err);
}

/* skills=meals,nursing: the mask of every skill named, each one of the skill list (400
 * bad_query on `skills` otherwise: an empty name, an unknown one) */
static int skills_all_mask(const char *v, int *mask, pj_err *err)
{
    *mask = 0;
    if (!v) return 0;
    const char *p = v;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int bit = pj_elder_skill_bit(p, n);
        if (bit < 0)
            return pj_fail(err, 400, "bad_query", "skills",
                           "skills is a comma-separated list of meals, cleaning, escort,"
                           " companionship, nursing");
        *mask |= 1 << bit;
        if (!e) return 0;
        p = e + 1;
    }
}

int pj_helper_list(pj_ctx *c, const pj_helper_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_el_require_personal(c, err)) return -1;
    int64_t town, region = f->region_id;
    if (pj_el_region_check(c, &region, "region_id", &town, err)) return -1;
    /* the skills every helper listed has: skill=one and skills=a,b together */
    int all = 0;
    if (pj_q_enum("skill", f->skill, pj_elder_skills, err) || skills_all_mask(f->skills, &all, err))
        return -1;
    if (f->skill) all |= 1 << pj_elder_skill_bit(f->skill, strlen(f->skill));
    const char *sql =
        pj_arena_printf(c->arena,
                        "SELECT h.id FROM helpers h WHERE h.id > ?%s%s"
                        " AND (h.skills & ?) = ?"
                        " AND (? = 0 OR h.active = 1)"
                        " AND (? IS NULL OR h.sex = ?)"
                        " AND (? = 0 OR h.capacity > (SELECT COUNT(*) FROM elder_pairs p"
                        "  WHERE p.helper_id = h.id AND p.state = 'active'))"
                        " AND (? IS NULL OR h.name LIKE '%%' || ? || '%%' ESCAPE '\\')"
                        " ORDER BY h.id LIMIT ?",
                        pj_el_scope_sql(c, "h"), pj_el_region_sql(c, region, "h"));
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_el_scope_bind(c, s, &i);
    pj_el_region_bind(s, region, &i);
    pj_stmt_int(s, i++, all);
    pj_stmt_int(s, i++, all);
    pj_stmt_int(s, i++, f->active_only);
    pj_stmt_text(s, i++, f->sex);
    pj_stmt_text(s, i++, f->sex);
    pj_stmt_int(s, i++, f->free_only);
    /* q is text to find: %, _ and \ in it match themselves */
    const char *q = pj_like_escape(c, f->q);
    pj_stmt_text(s, i++, q);
    pj_stmt_text(s, i++, q);
    pj_stmt_int(s, i++, f->limit + 1);
    if (!f->reveal) return pj_render_query_page(c, s, f->limit, helper_render, w, err);
    if (pj_db_begin(c->db, err)) {
        pj_stmt_done(s);
        return -1;
    }
    if (pj_render_query_page(c, s, f->limit, helper_render_revealed, w, err) ||
        pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

int pj_helper_get(pj_ctx *c, int64_t id, int reveal, pj_jw *w, pj_err *err)
{
    return pj_el_get(c, "helper", id, reveal, helper_render, helper_render_revealed, w, err);
}

typedef struct helper_rec {
    pj_el_person p;
    const char *availability, *source;
    pj_el_place place;
    double lat, lon;
    int skills;
    int64_t capacity, elder_id;
    int active;
    /* as loaded (helper_read): the link, the ID number and active before the request */
    int64_t linked;
    const char *old_idn;
    int was_active;
    /* the request names elder_id (not null): a link it asks for, not one kept */
    int elder_named;
} helper_rec;

static const char *const helper_fields[] = {
    "name",   "sex",      "birth_date",   "id_number", "phone",  "grid_id", "lat",     "lon",
    "skills", "capacity", "availability", "elder_id",  "active", "source",  "version", NULL};

static int helper_load(pj_ctx *c, int64_t id, helper_rec *r, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT name, sex, birth_date, id_number, phone, grid_id,"
                               " village_id, township_id, lat, lon, skills, availability,"
                               " capacity, elder_id, active, source FROM helpers WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_el_person_cols(c, s, &r->p);
        r->place.grid_id = pj_col_int(s, 5), r->place.village_id = pj_col_int(s, 6);
        r->place.township_id = pj_col_int(s, 7);
        r->lat = pj_col_double(s, 8), r->lon = pj_col_double(s, 9);
        r->skills = (int)pj_col_int(s, 10), r->availability = pj_el_dup(c, s, 11);
        r->capacity = pj_col_int(s, 12), r->elder_id = pj_col_int(s, 13);
        r->active = (int)pj_col_int(s, 14), r->source = pj_el_dup(c, s, 15);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "helper", id);
    return 0;
}

static int helper_read(pj_ctx *c, json_t *b, int create, helper_rec *r, pj_err *err)
{
    int64_t grid = 0, linked = r->elder_id;
    r->linked = linked, r->old_idn = r->p.id_number, r->was_active = !create && r->active;
    double lat = NAN, lon = NAN;
    if (pj_el_in_person(c, b, create, &r->p, 18, err) ||
        pj_in_int(b, "grid_id", create, 1, INT64_MAX, &grid, err) < 0 ||
        pj_in_num(b, "lat", 0, -90, 90, &lat, err) < 0 ||
        pj_in_num(b, "lon", 0, -180, 180, &lon, err) < 0 ||
        pj_el_in_skills(b, "skills", create, &r->skills, err) < 0 ||
        pj_in_int(b, "capacity", create, 0, 20, &r->capacity, err) < 0 ||
        pj_in_str(b, "availability", 0, 0, 128, &r->availability, err) < 0 ||
        pj_in_ref(b, "elder_id", 0, &r->elder_id, err) < 0 ||
        pj_in_bool(b, "active", 0, &r->active, err) < 0 ||
        pj_in_str(b, "source", 0, 1, 32, &r->source, err) < 0)
        return -1;
    json_t *named = json_object_get(b, "elder_id");
    r->elder_named = named && !json_is_null(named);
    if (linked && !r->elder_id) {
        /* a link to an elder outside the caller's scope reads null to them (helper_render_x):
         * their null, sent back with the record, keeps it */
        int64_t eg, et;
        if (pj_el_scope_of(c, "elder", linked, &eg, &et, err)) return -1;
        int in = pj_el_in_scope(c, eg, et, err);
        if (in < 0) return -1;
        if (!in) r->elder_id = linked;
    }
    if (!r->skills) return pj_fail(err, 422, "invalid_value", "skills", "name at least one skill");
    return pj_el_locate(c, grid, lat, lon, &r->place, &r->lat, &r->lon, err);
}

/* The helper's elder record (elder_id), or the elder records of its ID number, after every
 * other check of the request (the grid's too): a refusal before it would tell a right ID
 * number from a wrong one. from_id: the helper (0 on a registration). */
static int helper_link_check(pj_ctx *c, helper_rec *r, int64_t from_id, pj_err *err)
{
    int64_t linked = r->linked;
    const char *old_idn = r->old_idn;
    int was_active = r->was_active;
    if (r->elder_id) {
        /* a younger elder helping: the same person in the elders' register */
        pj_stmt *s = pj_db_prepare(
            c->db, "SELECT id_number, grid_id, township_id, status FROM elders WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, r->elder_id);
        int rc = pj_stmt_step(s, err);
        int same = rc == 1 && !strcmp(pj_col_text(s, 0), r->p.id_number);
        int in = rc == 1 ? pj_el_in_scope(c, pj_col_int(s, 1), pj_col_int(s, 2), err) : 0;
        char status[16] = "";
        if (rc == 1) snprintf(status, sizeof status, "%s", pj_col_text(s, 3));
        pj_stmt_done(s);
        if (rc < 0 || in < 0) return -1;
        /* an elder outside the caller's grids or township is as unknown as one that does not
         * exist: linking to it would confirm its ID number (and that it exists) */
        if (rc == 1 && !in && r->elder_id == linked && !r->elder_named) {
            /* linked by someone who sees the elder, read as null by this caller and sent back
             * so: kept, but its ID number is not compared for this caller (a changed number
             * would be refused or confirmed by it). Named by its id, it is as unknown as any
             * other elder outside the scope (a 200 there confirmed a guessed link) */
            if (old_idn && strcmp(old_idn, r->p.id_number))
                return pj_fail(err, 403, "forbidden", "id_number",
                               "the helper is linked to an elder outside your scope: a district"
                               " officer changes the ID number");
            /* nor made active again while that record is not (a departure stopped it) */
            if (r->active && !was_active && strcmp(status, "active"))
                return pj_fail(err, 422, "invalid_value", "active",
                               "the helper's own elder record, outside your scope, is no longer"
                               " active: its area makes that record active first");
            return 0;
        }
        if (rc == 0 || !in)
            return pj_fail(err, 422, "unknown_id", "elder_id", "no elder %lld",
                           (long long)r->elder_id);
        /* a number tried: a registration, a new ID number or a new elder record to compare
         * it with (the condition of pj_el_id_clash_guard); an edit of anything else of a
         * helper whose linked elder's number was corrected since is refused without a row */
        int tried = !old_idn || strcmp(old_idn, r->p.id_number) || r->elder_id != linked;
        if (!same && !tried)
            return pj_fail(err, 422, "invalid_value", "elder_id",
                           "elder %lld has another ID number", (long long)r->elder_id);
        if (!same) {
            /* an ID number tried against an elder's, as against the register's uniqueness: an
             * id_clash row on the elder, counted toward the day's limit (pj_el_id_clash_guard
             * before this check) */
            pj_err e2;
            pj_err_clear(&e2);
            pj_db_rollback(c->db); /* an update's transaction: the row is written on its own */
            if (pj_el_id_clash_audit(c, "elder", r->elder_id, from_id, &e2)) {
                *err = e2;
                return -1;
            }
            return pj_fail(err, 422, "invalid_value", "elder_id",
                           "elder %lld has another ID number", (long long)r->elder_id);
        }
        /* a person who died or moved away helps no more (their helper record stopped with the
         * status change): not registered or made active again as a helper meanwhile */
        if (r->active && !was_active && strcmp(status, "active"))
            return pj_fail(err, 422, "invalid_value", "active",
                           "elder %lld, the helper's own elder record, is %s: make that record"
                           " active first",
                           (long long)r->elder_id, status);
    } else if (r->active && !was_active) {
        /* not linked, but on the register by the same ID number (the same person, as the
         * status change stops them): likewise, for an elder record the caller may see */
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT id, status, grid_id, township_id FROM elders WHERE"
                                   " id_number = ? AND status <> 'active'",
                                   err);
        if (!s) return -1;
        pj_stmt_text(s, 1, r->p.id_number);
        int rc = pj_stmt_step(s, err), in = 0;
        int64_t eid = 0;
        char status[16] = "";
        if (rc == 1) {
            eid = pj_col_int(s, 0);
            snprintf(status, sizeof status, "%s", pj_col_text(s, 1));
            in = pj_el_in_scope(c, pj_col_int(s, 2), pj_col_int(s, 3), err);
        }
        pj_stmt_done(s);
        if (rc < 0 || in < 0) return -1;
        if (in)
            return pj_fail(err, 422, "invalid_value", "active",
                           "elder %lld, of the helper's ID number, is %s: make that record"
                           " active first",
                           (long long)eid, status);
    }
    return 0;
}

static void helper_bind(pj_stmt *s, const helper_rec *r, int *idx)
{
    int i = *idx;
    pj_el_person_bind(s, &r->p, &i);
    pj_stmt_int(s, i++, r->place.grid_id);
    pj_stmt_int(s, i++, r->place.village_id);
    pj_stmt_int(s, i++, r->place.township_id);
    pj_stmt_double(s, i++, r->lat);
    pj_stmt_double(s, i++, r->lon);
    pj_stmt_int(s, i++, r->skills);
    pj_stmt_text(s, i++, r->availability ? r->availability : "");
    pj_stmt_int(s, i++, r->capacity);
    if (r->elder_id)
        pj_stmt_int(s, i++, r->elder_id);
    else
        pj_stmt_null(s, i++);
    pj_stmt_int(s, i++, r->active);
    pj_stmt_text(s, i++, r->source);
    *idx = i;
}

int pj_helper_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    helper_rec r = {.source = "manual", .active = 1, .lat = NAN, .lon = NAN};
    if (pj_el_create_check(c, body, helper_fields, err)) return -1;
    if (helper_read(c, body, 1, &r, err) || pj_el_grid_check(c, &r.place, err) ||
        pj_el_id_clash_guard(c, err) || helper_link_check(c, &r, 0, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "INSERT INTO helpers (name, sex, birth_date, id_number, phone, grid_id,"
                      " village_id, township_id, lat, lon, skills, availability, capacity,"
                      " elder_id, active, source, created_at, updated_at)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                      err);
    if (!s) goto fail;
    int i = 1;
    helper_bind(s, &r, &i);
    pj_stmt_int(s, i++, pj_now());
    pj_stmt_int(s, i++, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0 && err->status == 409) {
        pj_db_rollback(c->db);
        return pj_el_id_clash(c, "helper", 0, r.p.id_number, err);
    }
    if (rc != 1) goto fail;
    if (!pj_credit_account_of(c, "helper", id, r.p.name, err)) goto fail;
    if (pj_render_commit(c, "create", "helper", id, NULL, helper_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_helper_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int ended;
    return pj_helper_update_n(c, id, body, w, &ended, err);
}

int pj_helper_update_n(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, int *pairs_ended, pj_err *err)
{
    *pairs_ended = 0;
    int64_t version, grid;
    static const char *const nullable[] = {"elder_id", NULL};
    if (pj_el_update_check(c, "helper", id, body, helper_fields, nullable, &version, &grid, err))
        return -1;
    helper_rec r;
    memset(&r, 0, sizeof r);
    if (helper_load(c, id, &r, err)) return -1;
    const char *old_idn = r.p.id_number, *old_sex = r.p.sex;
    int old_skills = r.skills;
    if (helper_read(c, body, 0, &r, err) || pj_el_move_check(c, grid, &r.place, err)) return -1;
    /* a new ID number, or a new elder record to compare it with: within the day's clashes */
    if ((strcmp(r.p.id_number, old_idn) || (r.elder_id && r.elder_id != r.linked)) &&
        pj_el_id_clash_guard(c, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM helpers WHERE id = ?", id, version, "helper", err))
        goto fail;
    /* a lowered capacity may not leave an active helper with more elders than places */
    if (r.active) {
        pj_stmt *q = pj_db_prepare(c->db,
                                   "SELECT h.capacity, (SELECT COUNT(*) FROM elder_pairs p WHERE"
                                   " p.helper_id = h.id AND p.state = 'active') FROM helpers h"
                                   " WHERE h.id = ?",
                                   err);
        if (!q) goto fail;
        pj_stmt_int(q, 1, id);
        int qr = pj_stmt_step(q, err);
        int64_t old_cap = qr == 1 ? pj_col_int(q, 0) : 0, pairs = qr == 1 ? pj_col_int(q, 1) : 0;
        pj_stmt_done(q);
        if (qr < 0) goto fail;
        if (r.capacity < old_cap && r.capacity < pairs) {
            pj_fail(err, 409, "conflict", "capacity",
                    "the helper is paired with %lld elders: end pairs first, or keep a capacity"
                    " of at least %lld",
                    (long long)pairs, (long long)pairs);
            goto fail;
        }
    }
    /* the last check of the request (helper_link_check) */
    if (helper_link_check(c, &r, id, err)) goto fail;
    int64_t old_town;
    if (pj_el_int(c, "SELECT township_id FROM helpers WHERE id = ?", id, 0, &old_town, err))
        goto fail;
    char *before = pj_render_to_string(c, id, helper_render, err);
    char *full = before ? pj_render_to_string(c, id, helper_render_full, err) : NULL;
    if (!full) goto fail;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "UPDATE helpers SET name = ?, sex = ?, birth_date = ?, id_number = ?, phone = ?,"
        " grid_id = ?, village_id = ?, township_id = ?, lat = ?, lon = ?, skills = ?,"
        " availability = ?, capacity = ?, elder_id = ?, active = ?, source = ?, updated_at = ?,"
        " version = version + 1 WHERE id = ?",
        err);
    if (!s) goto fail;
    int i = 1;
    helper_bind(s, &r, &i);
    pj_stmt_int(s, i++, pj_now());
    pj_stmt_int(s, i++, id);
    if (pj_step_done(s, err)) {
        if (err->status != 409) goto fail;
        pj_db_rollback(c->db);
        return pj_el_id_clash(c, "helper", id, r.p.id_number, err);
    }
    /* a PATCH that changed nothing writes nothing: no new version, no audit row */
    char *now_full = pj_render_to_string(c, id, helper_render_full, err);
    if (!now_full) goto fail;
    /* the answer tells how many pairs this write ended (pairs_ended: the console's message) */
    if (pj_render_same(full, now_full)) {
        pj_db_rollback(c->db);
        pj_jw_raw(w, pj_render_with(c, before, "\"pairs_ended\":0"));
        return 0;
    }
    int ended = 0;
    /* a helper no longer active keeps no pair: their elders are free to be paired again */
    if (!r.active && pj_el_pairs_end_n(c, "helper", id, "helper inactive", &ended, err)) goto fail;
    /* nor one who moved to another township: their elders stayed in the old one, and pairing
     * is organised within a township */
    else if (r.active && r.place.township_id != old_town &&
             pj_el_pairs_end_n(c, "helper", id, "moved township", &ended, err))
        goto fail;
    /* a skill taken away, or the sex corrected, keeps the pairs only that pairing would make
     * (as a lowered capacity keeps its elders, above) */
    int fewer = old_skills & ~r.skills;
    if (r.active && (fewer || strcmp(old_sex, r.p.sex)) &&
        pj_el_pairs_fit(c, "helper", id, fewer ? "skills" : "sex", err))
        goto fail;
    /* a helper moved to another grid takes their open alerts to its grid worker */
    if (r.place.grid_id != grid &&
        pj_el_alerts_follow(c, "helper", id, r.place.grid_id, r.place.township_id, err))
        goto fail;
    char *after = pj_render_to_string(c, id, helper_render, err);
    if (!after || pj_audit_add(c, "update", "helper", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, pj_render_with(c, after, pj_arena_printf(c->arena, "\"pairs_ended\":%d", ended)));
    *pairs_ended = ended;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_el_helpers_of_elder_stop(pj_ctx *c, int64_t elder_id, int64_t day, int64_t **shown,
                                int *n_shown, pj_err *err)
{
    /* the elder's helper records: linked to it (whoever sees it: the link was made by one who
     * saw both), or unlinked with its ID number (the same person, as pairing, logging and
     * redeeming take them) in the caller's scope: an unlinked record elsewhere is another
     * township's, whose pairs the caller may not end unseen (the district office settles it);
     * one of the number linked to another elder record, still on the register, is that
     * record's person as its link says (which of the number or the link is wrong is settled by
     * those who may act on it: pj_el_alert_id_departed tells them) */
    pj_stmt *s = pj_db_prepare(
        c->db,
        pj_arena_printf(c->arena,
                        "SELECT h.id FROM helpers h WHERE h.active = 1 AND (h.elder_id = ?1 OR"
                        " (h.elder_id IS NULL AND h.id_number = (SELECT id_number FROM elders"
                        " WHERE id = ?1)%s)) ORDER BY h.id",
                        pj_el_scope_sql(c, "h")),
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, elder_id);
    int bi = 2;
    pj_el_scope_bind(c, s, &bi);
    int64_t *ids;
    int n;
    if (pj_render_ids(c, s, &ids, &n, err)) return -1;
    *shown = pj_arena_alloc(c->arena, sizeof **shown * (size_t)(n ? n : 1));
    *n_shown = 0;
    for (int k = 0; k < n; k++) {
        int64_t hg, ht;
        if (pj_el_scope_of(c, "helper", ids[k], &hg, &ht, err)) return -1;
        int in = pj_el_in_scope(c, hg, ht, err);
        if (in < 0) return -1;
        if (in) (*shown)[(*n_shown)++] = ids[k];
        char *before = pj_render_to_string(c, ids[k], helper_render, err);
        if (!before) return -1;
        s = pj_db_prepare(c->db,
                          "UPDATE helpers SET active = 0, updated_at = ?, version = version + 1"
                          " WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, pj_now());
        pj_stmt_int(s, 2, ids[k]);
        if (pj_step_done(s, err) ||
            pj_el_pairs_end_on(c, "helper", ids[k], "helper inactive", day, err))
            return -1;
        char *after = pj_render_to_string(c, ids[k], helper_render, err);
        if (!after || pj_audit_add(c, "update", "helper", ids[k], before, after, err)) return -1;
    }
    return 0;
}

int pj_el_helpers_follow_number(pj_ctx *c, int64_t elder_id, const char *old_idn, int64_t *tried,
                                pj_err *err)
{
    /* the elder's own helper record: linked to it with the number it had (the link's check,
     * helper_link_check) — wherever it is, as a departure stops it: the link was made by one
     * who saw both. A record linked with another number already (a number corrected by an
     * older build) is left as it is: which of its number or its link is wrong is not said by
     * this correction (pj_el_alert_id_departed tells those who may act on it) */
    *tried = 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM helpers WHERE elder_id = ? AND id_number = ?"
                               " ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, elder_id);
    pj_stmt_text(s, 2, old_idn);
    int64_t *ids;
    int n;
    if (pj_render_ids(c, s, &ids, &n, err)) return -1;
    for (int k = 0; k < n; k++) {
        char *before = pj_render_to_string(c, ids[k], helper_render, err);
        if (!before) return -1;
        /* the number, and the birth date and sex it encodes (the elder's, checked against it) */
        s = pj_db_prepare(c->db,
                          "UPDATE helpers SET (id_number, birth_date, sex) = (SELECT id_number,"
                          " birth_date, sex FROM elders WHERE id = ?), updated_at = ?,"
                          " version = version + 1 WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, elder_id);
        pj_stmt_int(s, 2, pj_now());
        pj_stmt_int(s, 3, ids[k]);
        if (pj_step_done(s, err)) {
            if (err->status == 409) *tried = ids[k];
            return -1;
        }
        char *after = pj_render_to_string(c, ids[k], helper_render, err);
        if (!after || pj_audit_add(c, "update", "helper", ids[k], before, after, err)) return -1;
    }
    return 0;
}
