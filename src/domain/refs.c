#include "domain/refs.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/rows.h"

#include "core/banned.h"

/* The words for the tables that refer to registry records; a table not listed is named as it
 * is. */
static const struct {
    const char *table, *one, *many;
} nouns[] = {
    {"ac_cohorts", "academy cohort", "academy cohorts"},
    {"ac_enrolments", "academy enrolment", "academy enrolments"},
    {"ac_posts", "job post", "job posts"},
    {"ac_practice", "practice record", "practice records"},
    {"ag_experts", "expert", "experts"},
    {"ag_farms", "doctor farm", "doctor farms"},
    {"ag_labs", "agri-tech lab", "agri-tech labs"},
    {"ag_milestones", "project milestone", "project milestones"},
    {"ag_projects", "agri-tech project", "agri-tech projects"},
    {"ag_results", "research result", "research results"},
    {"ag_sections", "greenhouse section", "greenhouse sections"},
    {"ag_transfers", "result transfer", "result transfers"},
    {"conversion_checks", "conversion check", "conversion checks"},
    {"conversion_steps", "conversion step", "conversion steps"},
    {"conversions", "conversion", "conversions"},
    {"credit_entries", "time-credit entry", "time-credit entries"},
    {"drill_plans", "drill plan", "drill plans"},
    {"elder_pair_requests", "pairing request", "pairing requests"},
    {"ec_bases", "e-commerce base", "e-commerce bases"},
    {"ec_booking_slots", "studio booking slot", "studio booking slots"},
    {"ec_bookings", "studio booking", "studio bookings"},
    {"ec_followers", "follower count", "follower counts"},
    {"ec_product_sales", "product sales record", "product sales records"},
    {"ec_products", "e-commerce product", "e-commerce products"},
    {"ec_session_products", "live session product", "live session products"},
    {"ec_sessions", "live session", "live sessions"},
    {"ec_streamers", "streamer", "streamers"},
    {"ec_studios", "livestream studio", "livestream studios"},
    {"ec_zone_enterprises", "zone enterprise", "zone enterprises"},
    {"elder_alerts", "eldercare alert", "eldercare alerts"},
    {"elder_centres", "eldercare centre", "eldercare centres"},
    {"elder_pair_proposals", "pairing proposal", "pairing proposals"},
    {"elder_pair_runs", "pairing run", "pairing runs"},
    {"elder_pairs", "helper pair", "helper pairs"},
    {"elder_service_logs", "service log", "service logs"},
    {"elders", "elder", "elders"},
    {"energy_use", "energy use record", "energy use records"},
    {"ent_appeal_events", "appeal history entry", "appeal history entries"},
    {"ent_appeal_ratings", "appeal rating", "appeal ratings"},
    {"ent_appeals", "enterprise appeal", "enterprise appeals"},
    {"ent_bank_products", "bank product", "bank products"},
    {"ent_coop_contacts", "cooperation contact", "cooperation contacts"},
    {"ent_coop_posts", "cooperation post", "cooperation posts"},
    {"ent_dispatch", "appeal dispatch", "appeal dispatches"},
    {"ent_fin_matches", "financing match", "financing matches"},
    {"ent_fin_needs", "financing need", "financing needs"},
    {"ent_notices", "notice to a firm", "notices to firms"},
    {"ent_signups", "reception day sign-up", "reception day sign-ups"},
    {"facilities", "facility", "facilities"},
    {"helpers", "helper", "helpers"},
    {"indicator_revisions", "indicator revision", "indicator revisions"},
    {"indicator_targets", "indicator target", "indicator targets"},
    {"indicator_values", "indicator value", "indicator values"},
    {"lg_freight", "freight record", "freight records"},
    {"lg_parcels", "parcel record", "parcel records"},
    {"lg_parks", "logistics park", "logistics parks"},
    {"lg_tenants", "warehouse tenant", "warehouse tenants"},
    {"lg_trains", "freight train line", "freight train lines"},
    {"lg_warehouses", "warehouse", "warehouses"},
    {"organisations", "organisation", "organisations"},
    {"plan_conversions", "planned conversion", "planned conversions"},
    {"plan_shipments", "plan shipment", "plan shipments"},
    {"regions", "sub-region", "sub-regions"},
    {"stock_lines", "stock line", "stock lines"},
};

/* References the schema does not declare: integer columns that hold a region's, an
 * organisation's or a facility's id without REFERENCES (the area an alert or a service log was
 * raised in, the department an appeal's history names). They stop a delete as a declared key
 * does, so the row never keeps the id of a record that is gone. A new such column is listed
 * here (tests/http/test_registry_refs.c checks the schema for one that is not). */
const pj_plain_ref pj_plain_refs[] = {
    {"elder_alerts", "grid_id", "regions"},
    {"elder_alerts", "township_id", "regions"},
    {"elder_pair_runs", "township_id", "regions"},
    {"elder_service_logs", "grid_id", "regions"},
    {"elder_service_logs", "township_id", "regions"},
    {"elder_service_logs", "village_id", "regions"},
    {"ent_appeal_events", "department_id", "organisations"},
    {"ent_appeal_ratings", "department_id", "organisations"},
    {"ent_appeals", "township_id", "regions"},
    {"ent_coop_posts", "township_id", "regions"},
    {"ent_fin_matches", "org_id", "organisations"},
};
const size_t pj_plain_refs_count = sizeof pj_plain_refs / sizeof pj_plain_refs[0];

const char *pj_refs_noun(const char *table, int64_t n)
{
    for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
        if (!strcmp(nouns[i].table, table)) return n == 1 ? nouns[i].one : nouns[i].many;
    return NULL;
}

static const char *noun(const char *table, int64_t n)
{
    const char *w = pj_refs_noun(table, n);
    return w ? w : table;
}

/* "name" with its quotes doubled: an identifier from the schema, spelt for SQL */
static const char *ident(pj_ctx *c, const char *name)
{
    size_t n = strlen(name), k = 0;
    char *out = pj_arena_alloc(c->arena, 2 * n + 3);
    out[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '"') out[k++] = '"';
        out[k++] = name[i];
    }
    out[k++] = '"';
    out[k] = 0;
    return out;
}

#define REFS_MAX   64 /* tables that may block one delete */
#define REFS_DEPTH 4  /* cascades followed: facility → manual → manual step → … */

typedef struct blocker {
    const char *table;
    const char *cond; /* rows of table referring to the record (SQL, ?1 the record's id) */
} blocker;

typedef struct walk {
    blocker b[REFS_MAX];
    int n;
} walk;

typedef struct fk {
    const char *child, *from, *to, *on_delete;
} fk;

/* The single-column foreign keys that point at `table`, with the key column they refer to. */
static int fks_to(pj_ctx *c, const char *table, fk **out, int *n, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT m.name, f.\"from\", f.\"to\", f.on_delete FROM sqlite_master m,"
        " pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = ?1"
        " COLLATE NOCASE GROUP BY m.name, f.id HAVING COUNT(*) = 1 ORDER BY m.name, f.id",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, table);
    int cap = 0, k = 0, rc;
    fk *v = NULL;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        v = pj_arena_room(c->arena, v, k, &cap, sizeof *v, 16);
        v[k].child = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        v[k].from = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        v[k].to = pj_col_is_null(s, 2) ? NULL : pj_arena_strdup(c->arena, pj_col_text(s, 2));
        v[k].on_delete = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        k++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* a key naming no column refers to the parent's primary key */
    for (int i = 0; i < k; i++) {
        if (v[i].to && *v[i].to) continue;
        s = pj_db_prepare(c->db, "SELECT name FROM pragma_table_info(?1) WHERE pk = 1", err);
        if (!s) return -1;
        pj_stmt_text(s, 1, table);
        rc = pj_stmt_step(s, err);
        v[i].to = pj_arena_strdup(c->arena, rc == 1 ? pj_col_text(s, 0) : "rowid");
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

/* Adds the rows of table `child` given by `rows` (SQL) to those that refuse the delete. */
static void block(pj_ctx *c, walk *wk, const char *child, const char *rows)
{
    int k = 0;
    while (k < wk->n && strcmp(wk->b[k].table, child)) k++;
    if (k == wk->n) {
        if (wk->n < REFS_MAX) wk->b[wk->n++] = (blocker){child, rows};
    } else {
        wk->b[k].cond = pj_arena_printf(c->arena, "%s OR %s", wk->b[k].cond, rows);
    }
}

/* Rows of `table` matching cond (SQL over its columns) are to go: collects, per table, the
 * rows that would refuse that, following cascades. */
static int walk_refs(pj_ctx *c, walk *wk, const char *table, const char *cond, int depth,
                     pj_err *err)
{
    for (size_t i = 0; i < pj_plain_refs_count; i++)
        if (!strcmp(pj_plain_refs[i].parent, table))
            block(c, wk, pj_plain_refs[i].table,
                  pj_arena_printf(c->arena, "%s IN (SELECT rowid FROM %s WHERE %s)",
                                  ident(c, pj_plain_refs[i].column), ident(c, table), cond));
    fk *v;
    int n;
    if (fks_to(c, table, &v, &n, err)) return -1;
    for (int i = 0; i < n; i++) {
        const char *rows =
            pj_arena_printf(c->arena, "%s IN (SELECT %s FROM %s WHERE %s)", ident(c, v[i].from),
                            ident(c, v[i].to), ident(c, table), cond);
        if (!strcmp(v[i].on_delete, "CASCADE")) {
            /* those rows go too: what refers to them stops the delete as well */
            if (depth < REFS_DEPTH && walk_refs(c, wk, v[i].child, rows, depth + 1, err)) return -1;
            continue;
        }
        if (!strcmp(v[i].on_delete, "SET NULL") || !strcmp(v[i].on_delete, "SET DEFAULT")) continue;
        block(c, wk, v[i].child, rows);
    }
    return 0;
}

int pj_refs_describe(pj_ctx *c, const char *table, int64_t id, char *out, size_t size, pj_err *err)
{
    walk wk = {.n = 0};
    if (size) *out = 0;
    if (walk_refs(c, &wk, table, "rowid = ?1", 0, err)) return -1;
    int named = 0;
    size_t len = 0;
    for (int i = 0; i < wk.n; i++) {
        const char *sql = pj_arena_printf(c->arena, "SELECT COUNT(*) FROM %s WHERE %s",
                                          ident(c, wk.b[i].table), wk.b[i].cond);
        pj_stmt *s = pj_db_prepare(c->db, sql, err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        int64_t count = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (!count) continue;
        if (len < size) {
            int w = snprintf(out + len, size - len, "%s%lld %s", named ? ", " : "",
                             (long long)count, noun(wk.b[i].table, count));
            len += w > 0 ? (size_t)w : 0;
        }
        named++;
    }
    return named;
}

int pj_refs_refuse_used(pj_ctx *c, const char *table, const char *noun, int64_t id, pj_err *err)
{
    char refs[320];
    int tables = pj_refs_describe(c, table, id, refs, sizeof refs, err);
    if (tables < 0) return -1;
    if (tables)
        return pj_fail(err, 409, "in_use", "id", "%s %lld is referred to by %s", noun,
                       (long long)id, refs);
    return 0;
}

int pj_refs_delete_unused(pj_ctx *c, const char *table, const char *entity, const char *noun,
                          int64_t id, pj_render_fn render, pj_err *err)
{
    char *before, sql[96];
    if (pj_db_begin(c->db, err)) return -1;
    if (!(before = pj_render_to_string(c, id, render, err)) ||
        pj_refs_refuse_used(c, table, noun, id, err))
        goto fail;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?", table);
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_step_done(s, err)) {
        /* a reference pj_refs_describe does not foresee: still 409 in_use, in these words */
        if (err->status == 409)
            pj_fail(err, 409, "in_use", "id", "%s %lld is still referred to by other records", noun,
                    (long long)id);
        goto fail;
    }
    if (pj_audit_add(c, "delete", entity, id, before, NULL, err) || pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
