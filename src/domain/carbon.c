/* Carbon: emission factors (versioned), energy use, emissions and energy intensity. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/carbon.h"
#include "domain/indicator_int.h"
#include "domain/input.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

/* Whose energy use a caller reads (issue #8's role scoping). A record of an organisation is
 * that firm's data: the district's roles and viewers read every record; a township officer the
 * records of its township's organisations and those recorded without one (a sector total, no
 * single firm's); an enterprise its own organisation's only; the other roles the sector totals
 * only. The emissions of a scoped caller are computed over what it reads, in every grouping: a
 * sector or an energy type of a few firms, less the firm's own use, would give another firm's
 * (the demo's logistics sector holds two). */
typedef struct use_scope {
    int all, totals;   /* every record; the records without an organisation */
    int64_t org, town; /* this organisation's; this township's organisations' (-1: none) */
    const char *name;  /* district | township | organisation | sector_totals */
} use_scope;

static const use_scope scope_all = {1, 1, -1, -1, "district"};

static use_scope scope_of(const pj_ctx *c)
{
    use_scope u = {0, 0, -1, -1, "sector_totals"};
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
    case PJ_ROLE_VIEWER:
        return scope_all;
    case PJ_ROLE_TOWNSHIP_OFFICER:
        u.totals = 1;
        u.town = c->actor.township_id ? c->actor.township_id : -1;
        u.name = "township";
        break;
    case PJ_ROLE_ENTERPRISE:
        u.org = c->actor.organisation_id ? c->actor.organisation_id : -1;
        u.name = "organisation";
        break;
    default:
        u.totals = 1;
        break;
    }
    return u;
}

/* The scope's condition on energy_use e: four parameters, bound by scope_bind. */
#define SCOPE_SQL                                                                                  \
    " AND (? = 1 OR e.organisation_id = ? OR (? = 1 AND e.organisation_id IS NULL) OR"             \
    " e.organisation_id IN (SELECT so.id FROM organisations so WHERE so.township_id = ?))"

static void scope_bind(pj_stmt *s, int first, const use_scope *u)
{
    pj_stmt_int(s, first, u->all);
    pj_stmt_int(s, first + 1, u->org);
    pj_stmt_int(s, first + 2, u->totals);
    pj_stmt_int(s, first + 3, u->town);
}

/* What a change of the factors does to the recorded use: the records of the energy type whose
 * emissions it moves, their periods (sorted) and whether it was a dry run. */
typedef struct recomputed {
    int records, nperiods, dry;
    const char **periods;
} recomputed;

static void recomputed_write(pj_jw *w, const recomputed *r)
{
    pj_jw_key(w, "recomputed");
    pj_jw_obj(w);
    pj_jw_kint(w, "energy_records", r->records);
    pj_jw_key(w, "periods");
    pj_jw_arr(w);
    for (int i = 0; i < r->nperiods; i++) pj_jw_str(w, r->periods[i]);
    pj_jw_arr_end(w);
    pj_jw_key(w, "years");
    pj_jw_arr(w);
    for (int i = 0; i < r->nperiods; i++)
        if (!i || strncmp(r->periods[i], r->periods[i - 1], 4))
            pj_jw_int(w, strtol(r->periods[i], NULL, 10));
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    pj_jw_kbool(w, "dry_run", r->dry);
}

/* A factor version; with r (a write's answer) what the write did to the recorded use. */
static int factor_write(pj_ctx *c, int64_t id, const recomputed *r, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id, energy_type, unit, kg_co2e_per_unit, kgce_per_unit,"
                      " effective_from, source, created_at, created_by, version,"
                      " " PJ_SQL_BY_NAME_OF "emission_factors.created_by" PJ_SQL_BY_NAME_END
                      " FROM emission_factors WHERE id = ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        pj_render_text(w, "energy_type", s, 1);
        pj_render_text(w, "unit", s, 2);
        pj_jw_knum(w, "kg_co2e_per_unit", pj_col_double(s, 3));
        pj_jw_knum(w, "kgce_per_unit", pj_col_double(s, 4));
        pj_render_text(w, "effective_from", s, 5);
        pj_render_text(w, "source", s, 6);
        pj_render_time(w, "created_at", pj_col_int(s, 7));
        pj_render_by(w, "created_by", s, 8, 10);
        pj_jw_kint(w, "version", pj_col_int(s, 9));
        if (r) recomputed_write(w, r);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    return rc == 1 ? 0 : rc < 0 ? -1 : pj_not_found(err, "factor", id);
}

static int factor_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return factor_write(c, id, NULL, w, err);
}

int pj_carbon_factor_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    int rc = factor_render(c, id, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

int pj_carbon_factor_list(pj_ctx *c, const char *energy_type, int64_t cursor, int limit, pj_jw *w,
                          pj_err *err)
{
    /* paged by id as every list is: an order by type and date has no cursor to go on from */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM emission_factors WHERE id > ? AND (? IS NULL OR"
                               " energy_type = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cursor);
    pj_stmt_text(s, 2, energy_type);
    pj_stmt_text(s, 3, energy_type);
    pj_stmt_int(s, 4, limit + 1);
    return pj_render_query_page(c, s, limit, factor_render, w, err);
}

/* ---- what a change of the factors does to the recorded use ---- */

/* The recorded uses of one energy type, each with its emissions under the factors as they
 * stand in the caller's transaction (ok 0: no factor covers all of its period). */
typedef struct use_calc {
    int64_t id;
    const char *period;
    double q, t, ce;
    int ok;
} use_calc;

typedef struct use_set {
    use_calc *u;
    int n;
} use_set;

static int uses_calc(pj_ctx *c, const char *type, use_set *set, pj_err *err)
{
    for (int i = 0; i < set->n; i++) {
        use_calc *u = &set->u[i];
        pj_err e;
        pj_err_clear(&e);
        u->ok = pj_carbon_convert(c, type, u->period, u->q, &u->t, &u->ce, &e) == 0;
        if (!u->ok && e.status >= 500) {
            *err = e;
            return -1;
        }
    }
    return 0;
}

static int uses_load(pj_ctx *c, const char *type, use_set *set, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id, period, quantity FROM energy_use WHERE energy_type = ? ORDER BY id",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, type);
    int cap = 0, rc;
    set->n = 0;
    set->u = NULL;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        set->u = pj_arena_room(c->arena, set->u, set->n, &cap, sizeof *set->u, 256);
        use_calc *u = &set->u[set->n++];
        u->id = pj_col_int(s, 0);
        u->period = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        u->q = pj_col_double(s, 2);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : uses_calc(c, type, set, err);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int moved(double a, double b)
{
    return fabs(a - b) > 1e-9 * fmax(1.0, fabs(a));
}

/* The uses of type whose emissions the change in the caller's transaction moved, from `was` (as
 * they were before it) into *r. A use left without a factor is 409 factor_in_use at field:
 * its period would count nothing, and the next use of the type could not be recorded. */
static int uses_moved(pj_ctx *c, const char *type, const use_set *was, const char *doing,
                      const char *field, recomputed *r, pj_err *err)
{
    use_set now = {pj_arena_alloc(c->arena, sizeof *now.u * (size_t)(was->n ? was->n : 1)), was->n};
    if (was->n) memcpy(now.u, was->u, sizeof *now.u * (size_t)was->n);
    if (uses_calc(c, type, &now, err)) return -1;
    r->records = r->nperiods = 0;
    r->periods = pj_arena_calloc(c->arena, (size_t)(was->n ? was->n : 1), sizeof *r->periods);
    int bare = 0;
    int64_t first = 0;
    const char *first_per = "";
    for (int i = 0; i < now.n; i++) {
        const use_calc *a = &was->u[i], *b = &now.u[i];
        if (!b->ok) {
            if (!bare++) {
                first = b->id;
                first_per = b->period;
            }
            continue;
        }
        if (a->ok && !moved(a->t, b->t) && !moved(a->ce, b->ce)) continue;
        r->records++;
        int k = 0;
        while (k < r->nperiods && strcmp(r->periods[k], b->period)) k++;
        if (k == r->nperiods) r->periods[r->nperiods++] = b->period;
    }
    if (bare)
        return pj_fail(err, 409, "factor_in_use", field,
                       "%s would leave %d recorded use(s) of %s without a factor (energy use %lld,"
                       " %s, the first): the factor in force for a period governs it, so a"
                       " version must still cover every recorded period; add or correct"
                       " another version first",
                       doing, bare, type, (long long)first, first_per);
    qsort(r->periods, (size_t)r->nperiods, sizeof *r->periods, by_text);
    return 0;
}

/* The end of a factor's change inside its transaction: a dry run renders what it would do and
 * writes nothing; otherwise the audit row (before / after), the commit and the answer. The
 * transaction is over when it returns. */
static int factor_finish(pj_ctx *c, const char *action, int64_t id, const char *before,
                         const recomputed *r, pj_jw *w, pj_err *err)
{
    int del = !strcmp(action, "delete");
    char *after = NULL;
    if (r->dry) {
        int rc = del ? 0 : factor_write(c, id, r, w, err);
        pj_db_rollback(c->db);
        if (rc || !del) return rc;
    } else if ((!del && !(after = pj_render_to_string(c, id, factor_render, err))) ||
               pj_audit_add(c, action, "emission_factor", id, before, after, err) ||
               pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    } else if (!del) {
        return factor_write(c, id, r, w, err);
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "id", id);
    pj_jw_kbool(w, "deleted", !r->dry);
    recomputed_write(w, r);
    pj_jw_obj_end(w);
    return 0;
}

/* The stored factor version id (texts in the arena): 1 found, 0 none (404), -1 error. */
typedef struct factor_row {
    const char *type, *from, *source;
    double co2, ce;
    int64_t version;
} factor_row;

static int factor_load(pj_ctx *c, int64_t id, factor_row *f, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT energy_type, effective_from, source, kg_co2e_per_unit,"
                               " kgce_per_unit, version FROM emission_factors WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        f->type = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        f->from = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        f->source = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        f->co2 = pj_col_double(s, 3);
        f->ce = pj_col_double(s, 4);
        f->version = pj_col_int(s, 5);
    }
    pj_stmt_done(s);
    if (rc == 0) pj_not_found(err, "factor", id);
    return rc;
}

static int factor_version(const factor_row *f, int64_t version, pj_err *err)
{
    if (!version || version == f->version) return 0;
    return pj_version_conflict(err, "factor", f->version, version);
}

static int in_dry_run(json_t *body, int *dry, pj_err *err)
{
    *dry = 0;
    return pj_in_bool(body, "dry_run", 0, dry, err) < 0 ? -1 : 0;
}

int pj_carbon_factor_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {
        "energy_type",    "unit",   "kg_co2e_per_unit", "kgce_per_unit",
        "effective_from", "source", "dry_run",          NULL};
    const char *type, *unit, *eff, *source = "manual";
    double co2, ce;
    int64_t t;
    recomputed r = {0};
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "energy_type", 1, 1, 32, &type, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "unit", 1, 16, &unit, err) < 0 ||
        pj_in_num(body, "kg_co2e_per_unit", 1, 0, 1e6, &co2, err) < 0 ||
        pj_in_num(body, "kgce_per_unit", 1, 0, 1e6, &ce, err) < 0 ||
        pj_in_str(body, "effective_from", 1, 10, 10, &eff, err) < 0 ||
        pj_in_str(body, "source", 0, 1, 128, &source, err) < 0 || in_dry_run(body, &r.dry, err))
        return -1;
    if (!pj_ind_code_ok(type))
        return pj_fail(err, 422, "invalid_value", "energy_type", "energy_type is a-z, 0-9, _");
    if (pj_time_parse(eff, &t))
        return pj_fail(err, 422, "invalid_value", "effective_from", "effective_from is YYYY-MM-DD");
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT unit FROM emission_factors WHERE energy_type = ?", err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, type);
    int rc = pj_stmt_step(s, err);
    int same = rc == 1 ? !strcmp(pj_col_text(s, 0), unit) : 1;
    char had[64] = "";
    if (!same) snprintf(had, sizeof had, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (!same) {
        /* its factors and recorded uses are of that unit: a version in another would mix them */
        pj_fail(err, 422, "unit_mismatch", "unit",
                "%s is measured in %s, not %s: give the factor per %s (convert it first)", type,
                had, unit, had);
        goto fail;
    }
    /* a version dated before recorded periods governs them from its date: their totals follow */
    use_set was;
    if (uses_load(c, type, &was, err)) goto fail;
    s = pj_db_prepare(
        c->db,
        "INSERT INTO emission_factors (id, energy_type, unit, kg_co2e_per_unit,"
        " kgce_per_unit, effective_from, source, created_at, created_by) VALUES (" PJ_NEXT_ID(
            "emission_factors") ", ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, type);
    pj_stmt_text(s, 2, unit);
    pj_stmt_double(s, 3, co2);
    pj_stmt_double(s, 4, ce);
    pj_stmt_text(s, 5, eff);
    pj_stmt_text(s, 6, source);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_text(s, 8, pj_ind_who(c));
    rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "effective_from",
                    "%s already has a factor from %s: correct that version instead", type, eff);
        goto fail;
    }
    if (uses_moved(c, type, &was, "this version", "effective_from", &r, err)) goto fail;
    return factor_finish(c, "create", id, NULL, &r, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_carbon_factor_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {
        "version", "kg_co2e_per_unit", "kgce_per_unit", "effective_from", "source", "dry_run",
        NULL};
    int64_t version, t;
    double co2 = 0, ce = 0;
    const char *eff = NULL, *source = NULL;
    int has_co2, has_ce;
    recomputed r = {0};
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err) ||
        (has_co2 = pj_in_num(body, "kg_co2e_per_unit", 0, 0, 1e6, &co2, err)) < 0 ||
        (has_ce = pj_in_num(body, "kgce_per_unit", 0, 0, 1e6, &ce, err)) < 0 ||
        pj_in_str(body, "effective_from", 0, 10, 10, &eff, err) < 0 ||
        pj_in_str(body, "source", 0, 1, 128, &source, err) < 0 || in_dry_run(body, &r.dry, err))
        return -1;
    if (eff && pj_time_parse(eff, &t))
        return pj_fail(err, 422, "invalid_value", "effective_from", "effective_from is YYYY-MM-DD");
    if (pj_db_begin(c->db, err)) return -1;
    factor_row f;
    use_set was;
    char *before;
    if (factor_load(c, id, &f, err) != 1 || factor_version(&f, version, err)) goto fail;
    if (!has_co2) co2 = f.co2;
    if (!has_ce) ce = f.ce;
    if (!eff) eff = f.from;
    if (!source) source = f.source;
    if (co2 == f.co2 && ce == f.ce && !strcmp(eff, f.from) && !strcmp(source, f.source)) {
        pj_db_rollback(c->db); /* nothing changed: no write, no audit row */
        return factor_write(c, id, &r, w, err);
    }
    if (!(before = pj_render_to_string(c, id, factor_render, err)) ||
        uses_load(c, f.type, &was, err))
        goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE emission_factors SET kg_co2e_per_unit = ?, kgce_per_unit ="
                               " ?, effective_from = ?, source = ?, version = version + 1 WHERE"
                               " id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_double(s, 1, co2);
    pj_stmt_double(s, 2, ce);
    pj_stmt_text(s, 3, eff);
    pj_stmt_text(s, 4, source);
    pj_stmt_int(s, 5, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "effective_from", "%s already has a factor from %s",
                    f.type, eff);
        goto fail;
    }
    if (uses_moved(c, f.type, &was, "this change", "effective_from", &r, err)) goto fail;
    return factor_finish(c, "update", id, before, &r, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_carbon_factor_delete(pj_ctx *c, int64_t id, int64_t version, int dry_run, pj_jw *w,
                            pj_err *err)
{
    recomputed r = {.dry = dry_run};
    if (pj_ind_require_writer(c, err) || pj_db_begin(c->db, err)) return -1;
    factor_row f;
    use_set was;
    char *before;
    if (factor_load(c, id, &f, err) != 1 || factor_version(&f, version, err) ||
        !(before = pj_render_to_string(c, id, factor_render, err)) ||
        uses_load(c, f.type, &was, err))
        goto fail;
    pj_stmt *s = pj_db_prepare(c->db, "DELETE FROM emission_factors WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || uses_moved(c, f.type, &was, "removing this version", "", &r, err)) goto fail;
    return factor_finish(c, "delete", id, before, &r, w, err);
fail:
    pj_db_rollback(c->db);
    return -1;
}

static int64_t day_of(const char *ymd)
{
    int64_t t = 0;
    pj_time_parse(ymd, &t);
    return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}

int pj_carbon_convert(pj_ctx *c, const char *energy_type, const char *period, double quantity,
                      double *t_co2e, double *tce, pj_err *err)
{
    pj_period p;
    if (pj_period_parse(period, strlen(period), &p))
        return pj_fail(err, 422, "invalid_value", "period", "bad period %s", period);
    int64_t first, after;
    pj_period_days(&p, &first, &after);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT effective_from, kg_co2e_per_unit, kgce_per_unit FROM"
                               " emission_factors WHERE energy_type = ? ORDER BY effective_from",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, energy_type);
    /* each version is in effect from its date to the next version's date */
    double co2 = 0, ce = 0, covered = 0;
    int64_t prev_from = 0;
    double prev_co2 = 0, prev_ce = 0;
    int rc, have = 0;
    for (;;) {
        rc = pj_stmt_step(s, err);
        if (rc < 0) break;
        int64_t from = rc == 1 ? day_of(pj_col_text(s, 0)) : INT64_MAX;
        if (have) {
            int64_t a = prev_from > first ? prev_from : first, b = from < after ? from : after;
            if (b > a) {
                co2 += prev_co2 * (double)(b - a);
                ce += prev_ce * (double)(b - a);
                covered += (double)(b - a);
            }
        }
        if (rc == 0) break;
        prev_from = from;
        prev_co2 = pj_col_double(s, 1);
        prev_ce = pj_col_double(s, 2);
        have = 1;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    double days = (double)(after - first);
    if (covered < days)
        return pj_fail(err, 422, "no_factor", "energy_type",
                       "no emission factor of %s covers all of %s", energy_type, period);
    *t_co2e = quantity * co2 / days / 1000.0;
    *tce = quantity * ce / days / 1000.0;
    return 0;
}

/* An energy use's columns 1–7 of its INSERT and UPDATE: organisation (null: none), sector,
 * period, year, energy type, quantity, source. */
static void energy_bind(pj_stmt *s, int64_t org, const char *sector, const char *period, int year,
                        const char *type, double q, const char *source)
{
    if (org)
        pj_stmt_int(s, 1, org);
    else
        pj_stmt_null(s, 1);
    pj_stmt_text(s, 2, sector);
    pj_stmt_text(s, 3, period);
    pj_stmt_int(s, 4, year);
    pj_stmt_text(s, 5, type);
    pj_stmt_double(s, 6, q);
    pj_stmt_text(s, 7, source);
}

static int energy_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT e.id, e.organisation_id, o.name, e.sector, e.period,"
                              " e.energy_type, e.quantity, f.unit, e.source, e.created_at,"
                              " e.created_by, e.version,"
                              " " PJ_SQL_BY_NAME_OF "e.created_by" PJ_SQL_BY_NAME_END
                              " FROM energy_use e LEFT JOIN"
                              " organisations o ON o.id = e.organisation_id LEFT JOIN (SELECT"
                              " energy_type, MIN(unit) AS unit FROM emission_factors GROUP BY"
                              " energy_type) f ON f.energy_type = e.energy_type WHERE e.id = ?",
                              id, "energy use", err);
    if (!s) return -1;
    const char *type = pj_arena_strdup(c->arena, pj_col_text(s, 5));
    const char *per = pj_arena_strdup(c->arena, pj_col_text(s, 4));
    double q = pj_col_double(s, 6);
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_ref(w, "organisation_id", s, 1);
    pj_render_text(w, "organisation", s, 2);
    pj_render_text(w, "sector", s, 3);
    pj_jw_kstr(w, "period", per);
    pj_jw_kstr(w, "energy_type", type);
    pj_jw_knum(w, "quantity", q);
    pj_render_text(w, "unit", s, 7);
    pj_render_text(w, "source", s, 8);
    pj_render_time(w, "created_at", pj_col_int(s, 9));
    pj_render_by(w, "created_by", s, 10, 12);
    pj_jw_kint(w, "version", pj_col_int(s, 11));
    pj_stmt_done(s);
    double t, ce;
    pj_err e;
    if (pj_carbon_convert(c, type, per, q, &t, &ce, &e) == 0) {
        pj_jw_knum(w, "t_co2e", t);
        pj_jw_knum(w, "tce", ce);
    } else {
        pj_jw_knull(w, "t_co2e");
        pj_jw_knull(w, "tce");
    }
    pj_jw_obj_end(w);
    return 0;
}

int pj_carbon_energy_list(pj_ctx *c, const char *period, int year, int64_t org, const char *sector,
                          int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    /* the period as it is stored (2024q1 is 2024Q1, as when recorded); a text that is no
     * period is refused rather than matching nothing */
    char per[12];
    if (period) {
        pj_period p;
        if (pj_period_parse(period, strlen(period), &p))
            return pj_fail(err, 400, "bad_query", "period",
                           "period must be a period: 2024, 2024H1, 2024Q2 or 2024-06");
        pj_period_format(&p, per);
        period = per;
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT e.id FROM energy_use e WHERE e.id > ? AND (? IS NULL OR"
                               " e.period = ?) AND (? = 0 OR e.organisation_id = ?) AND (? IS NULL"
                               " OR e.sector = ?) AND (? = 0 OR e.year = ?)" SCOPE_SQL
                               " ORDER BY e.id LIMIT ?",
                               err);
    if (!s) return -1;
    use_scope u = scope_of(c);
    pj_stmt_int(s, 1, cursor);
    pj_stmt_text(s, 2, period);
    pj_stmt_text(s, 3, period);
    pj_stmt_int(s, 4, org);
    pj_stmt_int(s, 5, org);
    pj_stmt_text(s, 6, sector);
    pj_stmt_text(s, 7, sector);
    pj_stmt_int(s, 8, year);
    pj_stmt_int(s, 9, year);
    scope_bind(s, 10, &u);
    pj_stmt_int(s, 14, limit + 1);
    return pj_render_query_page(c, s, limit, energy_render, w, err);
}

const char *const pj_carbon_sectors[] = {"industry",    "logistics",   "services",  "public",
                                         "agriculture", "residential", "transport", NULL};
const char *const pj_carbon_groupings[] = {"sector", "organisation", "energy_type", NULL};

/* 409 overlapping_period when the same organisation, sector and energy type already has use
 * recorded for a period overlapping p (2024 and 2024H2, 2024Q3 and 2024-08): both would count
 * in the year's totals. The very same period is left to the unique key (409 conflict). self:
 * the record being changed (0 for a new one), which overlaps nothing. */
static int energy_overlap(pj_ctx *c, int64_t org, const char *sector, const char *type,
                          const pj_period *p, int64_t self, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, period FROM energy_use WHERE COALESCE(organisation_id,"
                               " 0) = ? AND sector = ? AND energy_type = ? AND year = ? AND id <>"
                               " ? ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org);
    pj_stmt_text(s, 2, sector);
    pj_stmt_text(s, 3, type);
    pj_stmt_int(s, 4, p->year);
    pj_stmt_int(s, 5, self);
    char mine[12];
    pj_period_format(p, mine);
    int a0 = pj_period_first_month(p), a1 = a0 + pj_period_months(p), rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        const char *ps = pj_col_text(s, 1);
        pj_period o;
        if (!ps || pj_period_parse(ps, strlen(ps), &o) || !strcmp(ps, mine)) continue;
        int b0 = pj_period_first_month(&o), b1 = b0 + pj_period_months(&o);
        if (a0 < b1 && b0 < a1) {
            int64_t id = pj_col_int(s, 0);
            char theirs[12];
            pj_period_format(&o, theirs);
            pj_stmt_done(s);
            return pj_fail(err, 409, "overlapping_period", "period",
                           "%s overlaps %s (energy use %lld) of the same organisation, sector and"
                           " energy type: both would count; record periods that do not overlap",
                           mine, theirs, (long long)id);
        }
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* A use can be recorded once its period is over: the quantity of a period is what was metered
 * or billed for all of it, and a figure for a period still running (or not begun) would count
 * as the whole period's in the year's totals and block the real one (overlapping_period). The
 * period has ended when its last day is before Beijing's today. */
static int period_ended(const pj_period *p, pj_err *err)
{
    int64_t first, after, now = pj_now();
    pj_period_days(p, &first, &after);
    if (after <= pj_local_day(now)) return 0;
    char per[12], today[11];
    pj_period_format(p, per);
    pj_local_date(now, today);
    return pj_fail(err, 422, "period_not_ended", "period",
                   "%s has not ended (today is %s, Beijing time): record a use once its period"
                   " is over",
                   per, today);
}

/* The checks of a use as it would be stored (new or changed), inside the caller's
 * transaction: a known sector, a period that has ended, more than nothing, an organisation
 * that exists, no overlap with another record, a factor for all of the period. */
static int energy_check(pj_ctx *c, int64_t self, int64_t org, const char *sector,
                        const pj_period *p, const char *type, double q, pj_err *err)
{
    char list[160] = "";
    size_t len = 0;
    int known = 0;
    for (int i = 0; pj_carbon_sectors[i]; i++) {
        known |= !strcmp(sector, pj_carbon_sectors[i]);
        int n =
            snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", pj_carbon_sectors[i]);
        if (n > 0 && (size_t)n < sizeof list - len) len += (size_t)n;
    }
    if (!known)
        return pj_fail(err, 422, "invalid_value", "sector", "sector must be one of: %s", list);
    if (period_ended(p, err)) return -1;
    if (!(q > 0))
        return pj_fail(err, 422, "out_of_range", "quantity",
                       "quantity must be more than 0 (a use of nothing is not recorded)");
    if (org) {
        int rc = pj_render_exists(c, "SELECT 1 FROM organisations WHERE id = ?", org, err);
        if (rc <= 0)
            return rc < 0 ? -1
                          : pj_fail(err, 422, "unknown_id", "organisation_id",
                                    "no organisation %lld", (long long)org);
    }
    char per[12];
    pj_period_format(p, per);
    double t, ce;
    return energy_overlap(c, org, sector, type, p, self, err) ||
                   pj_carbon_convert(c, type, per, q, &t, &ce, err)
               ? -1
               : 0;
}

static int parse_period(const char *per, pj_period *p, pj_err *err)
{
    if (pj_period_parse(per, strlen(per), p))
        return pj_fail(err, 422, "invalid_value", "period",
                       "period must be 2024, 2024H1, 2024Q2 or 2024-06");
    return 0;
}

int pj_carbon_energy_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    /* a record outside the caller's scope is not there for them: the same 404 */
    use_scope u = scope_of(c);
    pj_stmt *s = pj_db_prepare(c->db, "SELECT 1 FROM energy_use e WHERE e.id = ?" SCOPE_SQL, err);
    int rc = s ? 0 : -1;
    if (s) {
        pj_stmt_int(s, 1, id);
        scope_bind(s, 2, &u);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
    }
    if (rc == 0) rc = pj_not_found(err, "energy use", id);
    if (rc == 1) rc = energy_render(c, id, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

int pj_carbon_energy_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"organisation_id", "sector", "period", "energy_type",
                                         "quantity",        "source", NULL};
    int64_t org = 0;
    const char *sector, *per, *type, *source = "manual";
    double q;
    pj_period p;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "organisation_id", 0, &org, err) < 0 ||
        pj_in_str(body, "sector", 1, 1, 32, &sector, err) < 0 ||
        pj_in_str(body, "period", 1, 4, 7, &per, err) < 0 ||
        pj_in_str(body, "energy_type", 1, 1, 32, &type, err) < 0 ||
        pj_in_num(body, "quantity", 1, 0, 1e13, &q, err) < 0 ||
        pj_in_str(body, "source", 0, 1, 128, &source, err) < 0 || parse_period(per, &p, err))
        return -1;
    char pers[12];
    pj_period_format(&p, pers);
    if (pj_db_begin(c->db, err)) return -1;
    if (energy_check(c, 0, org, sector, &p, type, q, err)) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO energy_use (id, organisation_id, sector, period, year,"
                               " energy_type, quantity, source, created_at, created_by,"
                               " updated_at) VALUES (" PJ_NEXT_ID(
                                   "energy_use") ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                               err);
    if (!s) goto fail;
    int64_t now = pj_now();
    energy_bind(s, org, sector, pers, p.year, type, q, source);
    pj_stmt_int(s, 8, now);
    pj_stmt_text(s, 9, pj_ind_who(c));
    pj_stmt_int(s, 10, now);
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "period", "this use is already recorded for %s", pers);
        goto fail;
    }
    if (pj_render_commit(c, "create", "energy_use", id, NULL, energy_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* The stored record id: its fields into the arena, its version. 1 found, 0 none, -1 error. */
typedef struct energy_row {
    int64_t org, version;
    const char *sector, *period, *type, *source;
    double q;
} energy_row;

static int energy_load(pj_ctx *c, int64_t id, energy_row *r, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT COALESCE(organisation_id, 0), sector, period, energy_type,"
                               " quantity, source, version FROM energy_use WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        r->org = pj_col_int(s, 0);
        r->sector = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        r->period = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        r->type = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        r->q = pj_col_double(s, 4);
        r->source = pj_arena_strdup(c->arena, pj_col_text(s, 5));
        r->version = pj_col_int(s, 6);
    }
    pj_stmt_done(s);
    return rc;
}

static int energy_version(const energy_row *r, int64_t version, pj_err *err)
{
    if (!version || version == r->version) return 0;
    return pj_version_conflict(err, "record", r->version, version);
}

static const char *const energy_nullable[] = {"organisation_id", NULL};

int pj_carbon_energy_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version",     "organisation_id", "sector", "period",
                                         "energy_type", "quantity",        "source", NULL};
    int64_t version, org = 0;
    const char *sector = NULL, *per = NULL, *type = NULL, *source = NULL;
    double q = 0;
    int has_org, has_q;
    pj_period p;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, energy_nullable, err) ||
        (has_org = pj_in_ref(body, "organisation_id", 0, &org, err)) < 0 ||
        pj_in_str(body, "sector", 0, 1, 32, &sector, err) < 0 ||
        pj_in_str(body, "period", 0, 4, 7, &per, err) < 0 ||
        pj_in_str(body, "energy_type", 0, 1, 32, &type, err) < 0 ||
        (has_q = pj_in_num(body, "quantity", 0, 0, 1e13, &q, err)) < 0 ||
        pj_in_str(body, "source", 0, 1, 128, &source, err) < 0 ||
        (per && parse_period(per, &p, err)))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    energy_row r;
    char *before;
    int rc = energy_load(c, id, &r, err);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "energy use", id);
        goto fail;
    }
    if (energy_version(&r, version, err)) goto fail;
    if (!(before = pj_render_to_string(c, id, energy_render, err))) goto fail;
    if (!has_org) org = r.org;
    if (!sector) sector = r.sector;
    if (!per && parse_period(r.period, &p, err)) goto fail;
    if (!type) type = r.type;
    if (!has_q) q = r.q;
    if (!source) source = r.source;
    char pers[12];
    pj_period_format(&p, pers);
    if (org == r.org && !strcmp(sector, r.sector) && !strcmp(pers, r.period) &&
        !strcmp(type, r.type) && q == r.q && !strcmp(source, r.source)) {
        pj_db_rollback(c->db); /* nothing changed: no write, no audit row */
        pj_jw_raw(w, before);
        return 0;
    }
    if (energy_check(c, id, org, sector, &p, type, q, err)) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE energy_use SET organisation_id = ?, sector = ?, period = ?,"
                               " year = ?, energy_type = ?, quantity = ?, source = ?, updated_at"
                               " = ?, version = version + 1 WHERE id = ?",
                               err);
    if (!s) goto fail;
    energy_bind(s, org, sector, pers, p.year, type, q, source);
    pj_stmt_int(s, 8, pj_now());
    pj_stmt_int(s, 9, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "period", "this use is already recorded for %s", pers);
        goto fail;
    }
    if (pj_render_commit(c, "update", "energy_use", id, before, energy_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_carbon_energy_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err)
{
    if (pj_ind_require_writer(c, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    energy_row r;
    char *before;
    int rc = energy_load(c, id, &r, err);
    if (rc <= 0) {
        if (rc == 0) pj_not_found(err, "energy use", id);
        goto fail;
    }
    if (energy_version(&r, version, err) ||
        !(before = pj_render_to_string(c, id, energy_render, err)))
        goto fail;
    pj_stmt *s = pj_db_prepare(c->db, "DELETE FROM energy_use WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || pj_audit_add(c, "delete", "energy_use", id, before, NULL, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

#define MAX_GROUPS  500
#define TOP_DEFAULT 20

/* A group of the emissions: its key (sector, organisation's name, energy type), organisation id
 * (by organisation; 0 the use recorded without one), t CO2e and tce; `others` the organisations
 * beyond the top ones, summed. */
typedef struct em_group {
    const char *name;
    int64_t org;
    double co2, ce;
    int others;
} em_group;

static int by_org_id(const void *a, const void *b)
{
    int64_t x = ((const em_group *)a)->org, y = ((const em_group *)b)->org;
    return (x > y) - (x < y);
}

/* Most emissions first; of equal emissions the lower id first (a stable answer). */
static int by_emissions(const void *a, const void *b)
{
    const em_group *x = a, *y = b;
    if (x->co2 != y->co2) return x->co2 < y->co2 ? 1 : -1;
    return (x->org > y->org) - (x->org < y->org);
}

/* The emissions over the records of scope u (pj_carbon_emissions: the caller's). By
 * organisation, the `top` organisations of most emissions and the rest as one group. */
static int emissions(pj_ctx *c, int year, const char *period, const char *by, int top,
                     const use_scope *sc, pj_jw *w, pj_err *err)
{
    int k = -1;
    for (int i = 0; pj_carbon_groupings[i]; i++)
        if (!strcmp(by ? by : "sector", pj_carbon_groupings[i])) k = i;
    if (k < 0)
        return pj_fail(err, 400, "bad_query", "by", "by is sector, organisation or energy_type");
    if (top && k != 1) return pj_fail(err, 400, "bad_query", "top", "top is for by=organisation");
    if (!top) top = TOP_DEFAULT;
    /* a period is one of the year's: 2024-01 of 2024; another year's is a contradiction */
    char pers[12];
    pj_period p;
    if (period) {
        if (pj_period_parse(period, strlen(period), &p))
            return pj_fail(err, 400, "bad_query", "period",
                           "period must be 2024, 2024H1, 2024Q2 or 2024-06");
        if (p.year != year)
            return pj_fail(err, 400, "bad_query", "period", "period %s is not in the year %d",
                           period, year);
        pj_period_format(&p, pers);
        period = pers;
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT e.sector, COALESCE(o.name, ''), e.energy_type, e.period,"
                               " e.quantity, e.id, COALESCE(e.organisation_id, 0) FROM energy_use"
                               " e LEFT JOIN organisations o ON o.id = e.organisation_id WHERE"
                               " e.year = ?" SCOPE_SQL " ORDER BY e.id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, year);
    scope_bind(s, 2, sc);
    /* a period's emissions: the uses recorded for it or for periods inside it (2024Q1 counts
     * 2024Q1, 2024-01 … 2024-03); a use of a longer period that holds it (2024, 2024H1) cannot
     * be split and is counted as left out, so that the total is not read as complete */
    int a0 = period ? pj_period_first_month(&p) : 1, a1 = period ? a0 + pj_period_months(&p) : 13;
    int left_out = 0;
    em_group *g = NULL;
    int ng = 0, gcap = 0, rows = 0, rc;
    double tot = 0, totce = 0;
    int started = pj_db_read_begin(c->db);
    /* rows first (the statement cache reuses the conversion's statement) */
    typedef struct use {
        const char *key, *type, *per;
        double q;
        int64_t org;
    } use;
    int cap = 0;
    use *u = NULL;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        u = pj_arena_room(c->arena, u, rows, &cap, sizeof *u, 1024);
        if (period) {
            const char *ps = pj_col_text(s, 3);
            pj_period o;
            if (!ps || pj_period_parse(ps, strlen(ps), &o)) continue;
            int b0 = pj_period_first_month(&o), b1 = b0 + pj_period_months(&o);
            if (b0 < a0 || b1 > a1) {
                left_out += b0 < a1 && a0 < b1;
                continue;
            }
        }
        u[rows].key = pj_arena_strdup(c->arena, pj_col_text(s, k == 0 ? 0 : k == 1 ? 1 : 2));
        u[rows].org = pj_col_int(s, 6);
        u[rows].type = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        u[rows].per = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        u[rows].q = pj_col_double(s, 4);
        rows++;
    }
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    for (int i = 0; i < rows; i++) {
        double t, ce;
        if (pj_carbon_convert(c, u[i].type, u[i].per, u[i].q, &t, &ce, err)) goto fail;
        /* organisations by id (two may share a name; summed below), the rest by their text */
        int j = 0;
        if (k != 1)
            while (j < ng && strcmp(g[j].name, u[i].key) != 0) j++;
        else
            j = ng;
        if (j == ng) {
            if (k != 1 && ng == MAX_GROUPS) {
                pj_fail(err, 413, "too_many_groups", "by", "more than %d groups", MAX_GROUPS);
                goto fail;
            }
            g = pj_arena_room(c->arena, g, ng, &gcap, sizeof *g, 64);
            g[ng++] = (em_group){u[i].key, u[i].org, 0, 0, 0};
        }
        g[j].co2 += t;
        g[j].ce += ce;
        tot += t;
        totce += ce;
    }
    pj_db_read_end(c->db, started);
    int orgs = 0, shown = ng, others = 0;
    if (k == 1 && ng) {
        /* one group an organisation: the rows by id, summed */
        qsort(g, (size_t)ng, sizeof *g, by_org_id);
        int m = 0;
        for (int i = 0; i < ng; i++) {
            if (m && g[m - 1].org == g[i].org) {
                g[m - 1].co2 += g[i].co2;
                g[m - 1].ce += g[i].ce;
            } else {
                g[m++] = g[i];
            }
        }
        ng = m;
        /* the top organisations by emissions, the use without one (no organisation's) as it is,
         * the rest summed as one group: the groups still add up to the total */
        qsort(g, (size_t)ng, sizeof *g, by_emissions);
        em_group rest = {NULL, 0, 0, 0, 1};
        shown = 0;
        for (int i = 0; i < ng; i++) {
            if (g[i].org) orgs++;
            if (!g[i].org || orgs <= top) {
                g[shown++] = g[i];
            } else {
                rest.co2 += g[i].co2;
                rest.ce += g[i].ce;
                others++;
            }
        }
        if (others) {
            g = pj_arena_room(c->arena, g, shown, &gcap, sizeof *g, 64);
            g[shown++] = rest;
        }
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "year", year);
    if (period)
        pj_jw_kstr(w, "period", period);
    else
        pj_jw_knull(w, "period");
    pj_jw_kstr(w, "by", pj_carbon_groupings[k]);
    pj_jw_kstr(w, "scope", sc->name);
    pj_jw_kint(w, "rows", rows);
    pj_jw_kint(w, "rows_left_out", left_out);
    pj_jw_knum(w, "total_t_co2e", tot);
    pj_jw_knum(w, "total_tce", totce);
    if (k == 1) {
        pj_jw_kint(w, "top", top);
        pj_jw_kint(w, "organisations", orgs);
        pj_jw_kint(w, "other_organisations", others);
    }
    pj_jw_key(w, "groups");
    pj_jw_arr(w);
    for (int i = 0; i < shown; i++) {
        pj_jw_obj(w);
        if (k == 1) {
            /* the use recorded without an organisation (a sector total): key and id null; the
             * organisations beyond the top ones: others true, how many */
            if (g[i].others) {
                pj_jw_knull(w, "key");
                pj_jw_knull(w, "organisation_id");
                pj_jw_kbool(w, "others", 1);
                pj_jw_kint(w, "organisations", others);
            } else if (g[i].org) {
                pj_jw_kstr(w, "key", g[i].name);
                pj_jw_kint(w, "organisation_id", g[i].org);
            } else {
                pj_jw_knull(w, "key");
                pj_jw_knull(w, "organisation_id");
            }
        } else {
            pj_jw_kstr(w, "key", g[i].name);
        }
        pj_jw_knum(w, "t_co2e", g[i].co2);
        pj_jw_knum(w, "tce", g[i].ce);
        pj_jw_knum(w, "share", tot > 0 ? g[i].co2 / tot * 100.0 : 0);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
fail:
    pj_db_read_end(c->db, started);
    return -1;
}

int pj_carbon_emissions(pj_ctx *c, int year, const char *period, const char *by, int top, pj_jw *w,
                        pj_err *err)
{
    use_scope u = scope_of(c);
    return emissions(c, year, period, by, top, &u, w, err);
}

/* One value of an indicator for region and year: 1 found (*v, *id), 0 none, -1 error. */
static int year_value(pj_ctx *c, const char *code, const char *region, int year, double *v,
                      int64_t *id, pj_err *err)
{
    char per[12];
    snprintf(per, sizeof per, "%04d", year % 10000);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT v.id, v.value FROM indicator_values v JOIN indicators i ON"
                               " i.id = v.indicator_id WHERE i.code = ? AND v.region = ? AND"
                               " v.period = ?",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, per);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        *id = pj_col_int(s, 0);
        *v = pj_col_double(s, 1);
    }
    pj_stmt_done(s);
    return rc;
}

/* The energy of year in both of its sources: the indicator energy_consumption (万吨标准煤 → t)
 * and, for the district, the sum of the recorded energy use (tce). has_* 1 when there. */
typedef struct year_energy {
    double gdp, ind, use;        /* 万元, t, t */
    double gdp_value, ind_value; /* as recorded: 亿元, 万吨标准煤 */
    int64_t gdp_id, ind_id;
    int has_gdp, has_ind, has_use, use_rows;
    /* who recorded the use: each organisation, and each sector's total recorded without one,
     * ordered (organisation id, 0 and the sector for a total) */
    int nrep;
    int64_t *rep_org;
    const char **rep_sector;
} year_energy;

/* The reporters of the district's recorded use in year (year_energy's rep_*). */
static int year_reporters(pj_ctx *c, int year, year_energy *y, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT DISTINCT COALESCE(organisation_id, 0), CASE WHEN"
                               " organisation_id IS NULL THEN sector ELSE '' END FROM energy_use"
                               " WHERE year = ? ORDER BY 1, 2",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, year);
    int rc, cap = 0, cap2 = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        y->rep_org = pj_arena_room(c->arena, y->rep_org, y->nrep, &cap, sizeof *y->rep_org, 64);
        y->rep_sector =
            pj_arena_room(c->arena, y->rep_sector, y->nrep, &cap2, sizeof *y->rep_sector, 64);
        y->rep_org[y->nrep] = pj_col_int(s, 0);
        y->rep_sector[y->nrep++] = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* How many reporters of a are not reporters of b (both ordered). */
static int reporters_only(const year_energy *a, const year_energy *b)
{
    int i = 0, j = 0, n = 0;
    while (i < a->nrep) {
        int d = j == b->nrep                     ? -1
                : a->rep_org[i] != b->rep_org[j] ? (a->rep_org[i] < b->rep_org[j] ? -1 : 1)
                                                 : strcmp(a->rep_sector[i], b->rep_sector[j]);
        if (d < 0) {
            n++;
            i++;
        } else if (d > 0) {
            j++;
        } else {
            i++;
            j++;
        }
    }
    return n;
}

static int year_energy_load(pj_ctx *c, const char *region, int year, year_energy *y, pj_err *err)
{
    memset(y, 0, sizeof *y);
    int rc = year_value(c, "gdp", region, year, &y->gdp, &y->gdp_id, err);
    if (rc < 0) return -1;
    /* a GDP recorded is there whatever its value (0 or below makes the intensity undefined,
     * not missing: intensity_case) */
    y->has_gdp = rc == 1;
    y->gdp_value = y->gdp;
    y->gdp *= 10000.0; /* 亿元 → 万元 */
    if ((rc = year_value(c, "energy_consumption", region, year, &y->ind, &y->ind_id, err)) < 0)
        return -1;
    y->has_ind = rc == 1;
    y->ind_value = y->ind;
    y->ind *= 10000.0;                             /* 万吨标准煤 → t */
    if (strcmp(region, PJ_IND_DISTRICT)) return 0; /* energy use is recorded for the district */
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_jw tw;
    pj_jw_init(&tw, &b);
    /* the district's total whoever asks: it names no firm, and the dashboard is the same for all */
    rc = emissions(c, year, NULL, "sector", 0, &scope_all, &tw, err);
    if (rc == 0) {
        json_t *o = json_loadb(b.data, b.len, 0, NULL);
        y->use = json_number_value(json_object_get(o, "total_tce"));
        y->use_rows = (int)json_integer_value(json_object_get(o, "rows"));
        y->has_use = y->use_rows > 0;
        json_decref(o);
    }
    pj_buf_free(&b);
    if (rc == 0 && y->has_use) rc = year_reporters(c, year, y, err);
    return rc;
}

static const char *year_sources(const year_energy *y)
{
    return y->has_ind && y->has_use ? "both"
           : y->has_ind             ? "only the indicator energy_consumption"
           : y->has_use             ? "only the sum of the recorded energy use"
                                    : "none";
}

/* The same in one word: both, indicator, use, none. */
static const char *year_source_word(const year_energy *y)
{
    return y->has_ind && y->has_use ? "both"
           : y->has_ind             ? "indicator"
           : y->has_use             ? "use"
                                    : "none";
}

enum { INT_OK, INT_MISSING, INT_NOT_COMPARABLE, INT_OTHER_REPORTERS, INT_UNDEFINED };

/* The recorded value that leaves the intensity undefined (INT_UNDEFINED): which, of what year,
 * its value row and why. */
typedef struct int_bad {
    const char *code, *why;
    int year;
    double value;
    int64_t value_id;
} int_bad;

static int undefined_by(int_bad *bad, const char *code, int year, double v, int64_t id,
                        const char *why)
{
    *bad = (int_bad){code, why, year, v, id};
    return INT_UNDEFINED;
}

/* Whether year (y1) and the year before (y0) compare: both have GDP and some energy, and
 * from one source (*ind 1: the statistics bureau's total; 0: the recorded use). Data that are
 * there but give no intensity — a GDP of 0 or below, an energy total below 0, or a base year's
 * energy of 0 (no decline from an intensity of 0) — are INT_UNDEFINED, *bad naming the value. */
static int intensity_case(const year_energy *y1, const year_energy *y0, int year, int *ind,
                          int_bad *bad)
{
    if (!y1->has_gdp || !y0->has_gdp || !(y1->has_ind || y1->has_use) ||
        !(y0->has_ind || y0->has_use))
        return INT_MISSING;
    static const char *const gdp_why = "energy per GDP is undefined for a GDP of 0 or below";
    if (y1->gdp_value <= 0)
        return undefined_by(bad, "gdp", year, y1->gdp_value, y1->gdp_id, gdp_why);
    if (y0->gdp_value <= 0)
        return undefined_by(bad, "gdp", year - 1, y0->gdp_value, y0->gdp_id, gdp_why);
    /* both years from the same source: the statistics bureau's total when both years have it,
     * else the recorded use when both have that; one year's total against the other's sum of
     * a few organisations' use is no decline */
    *ind = y1->has_ind && y0->has_ind;
    if (!*ind && !(y1->has_use && y0->has_use)) return INT_NOT_COMPARABLE;
    /* the recorded use of two years compares only when the same reporters recorded it: seven
     * firms' use against two firms' is no decline (it gave -234.4 %) */
    if (!*ind && (reporters_only(y1, y0) || reporters_only(y0, y1))) return INT_OTHER_REPORTERS;
    /* the recorded use is more than 0 (every use is); the statistics' total is as typed */
    static const char *const below = "an energy total below 0 gives no intensity";
    if (*ind && y1->ind_value < 0)
        return undefined_by(bad, "energy_consumption", year, y1->ind_value, y1->ind_id, below);
    if (*ind && y0->ind_value < 0)
        return undefined_by(bad, "energy_consumption", year - 1, y0->ind_value, y0->ind_id, below);
    if (*ind && y0->ind_value == 0)
        return undefined_by(bad, "energy_consumption", year - 1, 0, y0->ind_id,
                            "a decline from an intensity of 0 is undefined");
    return INT_OK;
}

/* 422 undefined at year naming the value that leaves the intensity undefined. */
static int intensity_undefined(const char *region, const int_bad *bad, pj_err *err)
{
    return pj_fail(err, 422, "undefined", "year", "%s of %s for %d is %.15g (value %lld): %s",
                   bad->code, region, bad->year, bad->value, (long long)bad->value_id, bad->why);
}

static int intensity_write(pj_ctx *c, pj_jw *w, const char *region, int year, const year_energy *y1,
                           const year_energy *y0, int ind, int listed, pj_err *err)
{
    double e1 = ind ? y1->ind : y1->use, e0 = ind ? y0->ind : y0->use;
    double i1 = e1 / y1->gdp, i0 = e0 / y0->gdp;
    pj_jw_obj(w);
    pj_jw_kstr(w, "region", region);
    pj_jw_kint(w, "year", year);
    if (listed) pj_jw_kbool(w, "comparable", 1);
    pj_jw_kstr(w, "unit", "tce per 10,000 yuan");
    pj_jw_knum(w, "intensity", i1);
    pj_jw_knum(w, "previous", i0);
    pj_jw_knum(w, "decline_rate", (1.0 - i1 / i0) * 100.0);
    pj_jw_knum(w, "decline_rate_rounded", pj_ind_round((1.0 - i1 / i0) * 100.0, 1));
    pj_jw_kstr(w, "energy_from", ind ? "indicator energy_consumption" : "sum of energy use");
    pj_jw_knum(w, "energy_tce", e1);
    pj_jw_knum(w, "previous_energy_tce", e0);
    /* the value rows, as every figure gives them (the recorded use is no indicator value) */
    int64_t all[4] = {y1->gdp_id, ind ? y1->ind_id : 0, y0->gdp_id, ind ? y0->ind_id : 0}, ids[4];
    int n = 0;
    for (int i = 0; i < 4; i++)
        if (all[i]) ids[n++] = all[i];
    if (pj_ind_write_sources(c, ids, n, w, err)) return -1;
    pj_jw_obj_end(w);
    return 0;
}

/* The year whose energy_consumption would make year and year − 1 compare. */
static int needs_indicator(const year_energy *y1, int year)
{
    return y1->has_ind ? year - 1 : year;
}

/* 422 not_comparable for the recorded use of two years whose reporters differ. */
static int other_reporters(const year_energy *y1, const year_energy *y0, int year, pj_err *err)
{
    return pj_fail(err, 422, "not_comparable", "year",
                   "the recorded energy use of %d and %d comes from different reporters (%d: %d"
                   " reporters, %d of them not in %d; %d: %d reporters, %d of them not in %d);"
                   " enter energy_consumption for both years, or the use of the same reporters,"
                   " to compare",
                   year, year - 1, year, y1->nrep, reporters_only(y1, y0), year - 1, year - 1,
                   y0->nrep, reporters_only(y0, y1), year);
}

int pj_carbon_intensity(pj_ctx *c, const char *region, int year, pj_jw *w, pj_err *err)
{
    /* as the indicators take it: spaces around it trimmed, a known district (else 422
     * unknown_region, not "no data" for a typo) */
    if (!region)
        region = PJ_IND_DISTRICT;
    else if (pj_ind_region_check(c, &region, "region", err))
        return -1;
    year_energy y1, y0;
    int_bad bad;
    int started = pj_db_read_begin(c->db), ind = 0;
    int rc = year_energy_load(c, region, year, &y1, err) ||
                     year_energy_load(c, region, year - 1, &y0, err)
                 ? -1
                 : intensity_case(&y1, &y0, year, &ind, &bad);
    if (rc == INT_MISSING)
        rc = pj_fail(err, 404, "missing_value", "year", "%s needs gdp and energy for %d and %d",
                     region, year, year - 1);
    else if (rc == INT_NOT_COMPARABLE)
        rc = pj_fail(err, 422, "not_comparable", "year",
                     "the energy of %d and %d comes from different sources (%d: %s; %d: %s);"
                     " enter energy_consumption for %d to compare",
                     year, year - 1, year, year_sources(&y1), year - 1, year_sources(&y0),
                     needs_indicator(&y1, year));
    else if (rc == INT_OTHER_REPORTERS)
        rc = other_reporters(&y1, &y0, year, err);
    else if (rc == INT_UNDEFINED)
        rc = intensity_undefined(region, &bad, err);
    else if (rc == INT_OK)
        rc = intensity_write(c, w, region, year, &y1, &y0, ind, 0, err);
    pj_db_read_end(c->db, started);
    return rc;
}

#define MAX_YEARS 200

int pj_carbon_intensity_years(pj_ctx *c, const char *region, pj_jw *w, pj_err *err)
{
    /* as the indicators take it: spaces around it trimmed, a known district (else 422
     * unknown_region, not "no data" for a typo) */
    if (!region)
        region = PJ_IND_DISTRICT;
    else if (pj_ind_region_check(c, &region, "region", err))
        return -1;
    int started = pj_db_read_begin(c->db);
    /* the years with the region's GDP: a year and the one before both need it */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT DISTINCT v.year FROM indicator_values v JOIN indicators i"
                               " ON i.id = v.indicator_id WHERE i.code = 'gdp' AND v.region = ?"
                               " AND v.period_kind = 'Y' ORDER BY v.year",
                               err);
    if (!s) {
        pj_db_read_end(c->db, started);
        return -1;
    }
    pj_stmt_text(s, 1, region);
    int years[MAX_YEARS], n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1)
        if (n < MAX_YEARS) years[n++] = (int)pj_col_int(s, 0);
    pj_stmt_done(s);
    year_energy *ye = pj_arena_calloc(c->arena, (size_t)(n ? n : 1), sizeof *ye);
    for (int i = 0; rc == 0 && i < n; i++)
        if (year_energy_load(c, region, years[i], &ye[i], err)) rc = -1;
    if (rc < 0) {
        pj_db_read_end(c->db, started);
        return -1;
    }
    pj_jw_obj(w);
    pj_jw_kstr(w, "region", region);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    for (int i = 1; i < n; i++) {
        if (years[i - 1] != years[i] - 1) continue;
        const year_energy *y1 = &ye[i], *y0 = &ye[i - 1];
        int_bad bad;
        int ind = 0, k = intensity_case(y1, y0, years[i], &ind, &bad);
        if (k == INT_MISSING) continue; /* no data for the year: not listed */
        if (k == INT_OK) {
            if (intensity_write(c, w, region, years[i], y1, y0, ind, 1, err)) {
                rc = -1;
                break;
            }
            continue;
        }
        pj_jw_obj(w);
        pj_jw_kstr(w, "region", region);
        pj_jw_kint(w, "year", years[i]);
        pj_jw_kbool(w, "comparable", 0);
        if (k == INT_UNDEFINED) { /* the data are there but give no intensity: which value */
            pj_err e;
            pj_err_clear(&e);
            intensity_undefined(region, &bad, &e);
            pj_jw_kstr(w, "reason", "undefined");
            pj_jw_key(w, "value");
            pj_jw_obj(w);
            pj_jw_kstr(w, "code", bad.code);
            pj_jw_kint(w, "year", bad.year);
            pj_jw_knum(w, "value", bad.value);
            pj_jw_kint(w, "value_id", bad.value_id);
            pj_jw_obj_end(w);
            pj_jw_kstr(w, "message", e.message);
            pj_jw_obj_end(w);
            continue;
        }
        pj_jw_kstr(w, "reason", "not_comparable");
        pj_jw_kstr(w, "energy_source", year_source_word(y1));
        pj_jw_kstr(w, "previous_energy_source", year_source_word(y0));
        pj_jw_kint(w, "needs_energy_consumption", needs_indicator(y1, years[i]));
        if (k == INT_OTHER_REPORTERS) { /* both years' use, recorded by different reporters */
            pj_err e;
            pj_err_clear(&e);
            other_reporters(y1, y0, years[i], &e);
            pj_jw_kstr(w, "why", "different_reporters");
            pj_jw_kint(w, "reporters", y1->nrep);
            pj_jw_kint(w, "previous_reporters", y0->nrep);
            pj_jw_kint(w, "reporters_not_in_previous", reporters_only(y1, y0));
            pj_jw_kint(w, "previous_reporters_not_in_year", reporters_only(y0, y1));
            pj_jw_kstr(w, "message", e.message);
        } else {
            pj_jw_kstr(w, "why", "different_sources");
        }
        pj_jw_obj_end(w);
    }
    pj_db_read_end(c->db, started);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

/* Typical published defaults (national grid average, IPCC/GB/T 2589 coefficients), labelled
 * synthetic: check them against the district's own list before relying on the totals. */
static const struct {
    const char *type, *unit, *from;
    double co2, ce;
} demo_factors[] = {
    {"electricity", "kWh", "2023-01-01", 0.5810, 0.1229},
    {"electricity", "kWh", "2024-07-01", 0.5703, 0.1229},
    {"natural_gas", "m³", "2023-01-01", 2.162, 1.2143},
    {"coal", "t", "2023-01-01", 1900.3, 714.3},
    {"gasoline", "L", "2023-01-01", 2.26, 1.0741},
    {"diesel", "L", "2023-01-01", 2.68, 1.224},
    {"heat", "GJ", "2023-01-01", 110.0, 34.12},
};

int pj_carbon_demo(pj_ctx *c, pj_err *err)
{
    int64_t now = pj_now();
    for (size_t i = 0; i < sizeof demo_factors / sizeof demo_factors[0]; i++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "INSERT INTO emission_factors (id, energy_type, unit,"
                                   " kg_co2e_per_unit, kgce_per_unit, effective_from, source,"
                                   " created_at, created_by) VALUES (" PJ_NEXT_ID(
                                       "emission_factors") ", ?, ?, ?, ?, ?, 'synthetic',"
                                                           " ?, 'demo')",
                                   err);
        if (!s) return -1;
        pj_stmt_text(s, 1, demo_factors[i].type);
        pj_stmt_text(s, 2, demo_factors[i].unit);
        pj_stmt_double(s, 3, demo_factors[i].co2);
        pj_stmt_double(s, 4, demo_factors[i].ce);
        pj_stmt_text(s, 5, demo_factors[i].from);
        pj_stmt_int(s, 6, now);
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    /* monthly use of a few organisations (the first ones of the registry), synthetic */
    pj_stmt *q = pj_db_prepare(c->db, "SELECT id FROM organisations ORDER BY id LIMIT 6", err);
    if (!q) return -1;
    int64_t orgs[6];
    int n = 0, rc;
    while (n < 6 && (rc = pj_stmt_step(q, err)) == 1) orgs[n++] = pj_col_int(q, 0);
    pj_stmt_done(q);
    static const char *const sectors[] = {"industry", "logistics", "services"};
    for (int o = 0; o <= n; o++)
        for (int m = 1; m <= 12; m++) {
            char per[12];
            snprintf(per, sizeof per, "2024-%02d", m);
            pj_stmt *s =
                pj_db_prepare(c->db,
                              "INSERT INTO energy_use (id, organisation_id, sector, period,"
                              " year, energy_type, quantity, source, created_at,"
                              " created_by, updated_at) VALUES (" PJ_NEXT_ID(
                                  "energy_use") ", ?, ?, ?, 2024, ?, ?,"
                                                " 'synthetic', ?, 'demo', ?)",
                              err);
            if (!s) return -1;
            if (o < n)
                pj_stmt_int(s, 1, orgs[o]);
            else
                pj_stmt_null(s, 1);
            pj_stmt_text(s, 2, o < n ? sectors[o % 3] : "public");
            pj_stmt_text(s, 3, per);
            pj_stmt_text(s, 4, o % 2 ? "natural_gas" : "electricity");
            pj_stmt_double(s, 5,
                           (o % 2 ? 20000.0 : 150000.0) * (1.0 + 0.1 * o) +
                               (m >= 6 && m <= 8 ? 30000.0 : 0));
            pj_stmt_int(s, 6, now);
            pj_stmt_int(s, 7, now);
            rc = pj_stmt_step(s, err);
            pj_stmt_done(s);
            if (rc < 0) return -1;
        }
    return 0;
}
