/* Bank–enterprise matching (政银企): banks publish financing products whose eligibility is a
 * rule (docs/rules-language.md); an enterprise posts a financing need and pingji ranks the
 * products that fit it (eligible by rule, amount within range, term covered; by rate, then
 * amount fit); the enterprise consents per match before the bank sees who it is; the outcome
 * is tracked. A bank user is an enterprise-role user whose organisation is of type bank. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/enterprise_int.h"
#include "domain/input.h"
#include "domain/render.h"
#include "db/migrations.h"

#include "core/banned.h"

const char *const pj_fin_need_states[] = {"open", "matched", NULL};
/* a match's outcome: pending until the firm applies; the outcomes one may set follow it */
const char *const pj_fin_match_outcomes[] = {"pending",  "applied",   "approved",
                                             "rejected", "withdrawn", NULL};

#define FEN_PER_WAN 1000000.0 /* 1 万元 = 10,000 yuan = 1,000,000 fen */
#define MAX_MATCHES 50        /* matches kept per need */

static int64_t wan_to_fen(double wan)
{
    return (int64_t)(wan * FEN_PER_WAN + 0.5);
}

int64_t ent_bank_of(pj_ctx *c)
{
    if (c->actor.role != PJ_ROLE_ENTERPRISE || !c->actor.organisation_id) return 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT type FROM organisations WHERE id = ?", NULL);
    if (!s) return 0;
    pj_stmt_int(s, 1, c->actor.organisation_id);
    int bank = pj_stmt_step(s, NULL) == 1 && !strcmp(pj_col_text(s, 0), "bank");
    pj_stmt_done(s);
    return bank ? c->actor.organisation_id : 0;
}

/* ---- products ---- */

/* tree: with the rule's structured form (for readers; audit rows keep the text only) */
static int product_render_as(pj_ctx *c, int64_t id, pj_jw *w, int tree, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT p.id, p.bank_id, o.name, p.name, p.min_fen, p.max_fen,"
                              " p.rate_pct, p.term_months, p.conditions, p.source, p.version"
                              " FROM ent_bank_products p JOIN organisations o ON o.id ="
                              " p.bank_id WHERE p.id = ?",
                              id, "bank product", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "bank_id", pj_col_int(s, 1));
    pj_render_text(w, "bank", s, 2);
    pj_render_text(w, "name", s, 3);
    pj_jw_knum(w, "min_wan", (double)pj_col_int(s, 4) / FEN_PER_WAN);
    pj_jw_knum(w, "max_wan", (double)pj_col_int(s, 5) / FEN_PER_WAN);
    pj_jw_knum(w, "rate_pct", pj_col_double(s, 6));
    pj_jw_kint(w, "term_months", pj_col_int(s, 7));
    pj_render_text(w, "conditions", s, 8);
    if (tree) ent_rule_tree(c, w, pj_col_text(s, 8));
    pj_render_text(w, "source", s, 9);
    pj_jw_kint(w, "version", pj_col_int(s, 10));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

static int product_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return product_render_as(c, id, w, 0, err);
}

static int product_read(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return product_render_as(c, id, w, 1, err);
}

int pj_ent_product_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return product_read(c, id, w, err);
}

int pj_ent_product_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ent_bank_products WHERE id > ? AND (? = 0 OR"
                               " bank_id = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->bank_id);
    pj_stmt_int(s, 3, f->bank_id);
    pj_stmt_int(s, 4, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, product_read, w, err);
}

static int product_save(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"bank_id",    "name",     "min_wan",
                                         "max_wan",    "rate_pct", "term_months",
                                         "conditions", "version",  NULL};
    int create = id == 0;
    const char *name = NULL, *cond = NULL;
    int64_t bank = 0, term = 0, version = 0;
    double minw = -1, maxw = -1, rate = -1;
    pj_rule *r = NULL;
    int64_t own_bank = ent_bank_of(c);
    if (!pj_ctx_district(c) && !own_bank)
        return pj_fail(err, 403, "forbidden", "", "only a bank or a district officer");
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        (!create && (pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
                     pj_in_no_null(body, NULL, err))) ||
        pj_in_ref(body, "bank_id", create && !own_bank, &bank, err) < 0 ||
        pj_in_text_trimmed(c->arena, body, "name", create, 200, &name, err) < 0 ||
        pj_in_num(body, "min_wan", create, 0, 1e6, &minw, err) < 0 ||
        pj_in_num(body, "max_wan", create, 0.01, 1e6, &maxw, err) < 0 ||
        pj_in_num(body, "rate_pct", create, 0.01, 36, &rate, err) < 0 ||
        pj_in_int(body, "term_months", create, 1, 360, &term, err) < 0 ||
        pj_in_str(body, "conditions", create, 1, PJ_RULE_MAX_LEN, &cond, err) < 0)
        return -1;
    if (create && json_object_get(body, "version"))
        return pj_fail(err, 422, "read_only", "version", "version is set by the server");
    /* a change never takes bank_id, whoever sends it and whichever it names (a bank naming
     * another was 403, and so told that the product existed when it was another bank's) */
    if (!create && json_object_get(body, "bank_id"))
        return pj_fail(err, 422, "read_only", "bank_id", "a product stays with its bank");
    if (own_bank) {
        if (bank && bank != own_bank)
            return pj_fail(err, 403, "forbidden", "bank_id", "a bank publishes only its own");
        bank = own_bank;
    }
    if (create) {
        int rc = pj_render_exists(c, "SELECT 1 FROM organisations WHERE id = ? AND type = 'bank'",
                                  bank, err);
        if (rc <= 0)
            return rc < 0 ? -1
                          : pj_fail(err, 422, "unknown_id", "bank_id", "no bank %lld",
                                    (long long)bank);
    } else {
        /* the current product: in the caller's reach, and the range checked as a whole */
        pj_stmt *s = pj_db_prepare(
            c->db, "SELECT bank_id, min_fen, max_fen FROM ent_bank_products WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        int64_t pb = rc == 1 ? pj_col_int(s, 0) : 0;
        double cmin = rc == 1 ? (double)pj_col_int(s, 1) / FEN_PER_WAN : 0;
        double cmax = rc == 1 ? (double)pj_col_int(s, 2) / FEN_PER_WAN : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (rc == 0 || (own_bank && pb != own_bank)) return pj_not_found(err, "bank product", id);
        if (minw < 0) minw = cmin;
        if (maxw < 0) maxw = cmax;
    }
    /* at the field the request gave (a PATCH of min_wan alone above the stored max_wan was
     * refused at max_wan, which it never sent) */
    if (maxw < minw)
        return json_object_get(body, "max_wan")
                   ? pj_fail(err, 422, "invalid_value", "max_wan",
                             "max_wan must be at least min_wan")
                   : pj_fail(err, 422, "invalid_value", "min_wan",
                             "min_wan must be at most max_wan (%g)", maxw);
    if (cond && ent_rule_accept(c, cond, "conditions", &r, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL;
    pj_stmt *s;
    if (create) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_bank_products (bank_id, name, min_fen, max_fen,"
                          " rate_pct, term_months, conditions, created_at) VALUES"
                          " (?,?,?,?,?,?,?,?) RETURNING id",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, bank);
        pj_stmt_text(s, 2, name);
        pj_stmt_int(s, 3, wan_to_fen(minw));
        pj_stmt_int(s, 4, wan_to_fen(maxw));
        pj_stmt_double(s, 5, rate);
        pj_stmt_int(s, 6, term);
        pj_stmt_text(s, 7, cond);
        pj_stmt_int(s, 8, pj_now());
        int rc = pj_stmt_step(s, err);
        id = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc != 1) goto fail;
    } else {
        if (pj_version_check(c, "SELECT version FROM ent_bank_products WHERE id = ?", id, version,
                             "bank product", err) ||
            !(before = pj_render_to_string(c, id, product_render, err)))
            goto fail;
        s = pj_db_prepare(c->db,
                          "UPDATE ent_bank_products SET name = COALESCE(?, name), min_fen = ?,"
                          " max_fen = ?, rate_pct = COALESCE(?, rate_pct), term_months ="
                          " COALESCE(?, term_months), conditions = COALESCE(?, conditions),"
                          " version = version + 1 WHERE id = ?",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, name);
        pj_stmt_int(s, 2, wan_to_fen(minw));
        pj_stmt_int(s, 3, wan_to_fen(maxw));
        if (rate > 0) pj_stmt_double(s, 4, rate);
        if (term > 0) pj_stmt_int(s, 5, term);
        pj_stmt_text(s, 6, cond);
        pj_stmt_int(s, 7, id);
        if (pj_step_done(s, err)) goto fail;
    }
    char *after = pj_render_to_string(c, id, product_render, err);
    if (!after) goto fail;
    /* the warnings of the rule as it now stands (the one sent, else the one stored), as a
     * policy's: an industry or township no firm has */
    char *warnings = NULL;
    s = pj_db_prepare(c->db, "SELECT conditions FROM ent_bank_products WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_stmt_step(s, err) == 1)
        warnings = ent_rule_warnings_text(c, pj_arena_strdup(c->arena, pj_col_text(s, 0)), err);
    pj_stmt_done(s);
    if (!warnings) goto fail;
    /* a change that changes nothing (the version alone, the same values again) keeps the
     * version and writes nothing: no audit row */
    if (!create && pj_render_same(before, after)) {
        pj_db_rollback(c->db);
        after = before;
    } else if (pj_audit_add(c, create ? "create" : "update", "ent_bank_product", id, before, after,
                            err) ||
               pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, pj_render_with(c, after, pj_arena_printf(c->arena, "\"warnings\":%s", warnings)));
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_product_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    return product_save(c, 0, body, w, err);
}

int pj_ent_product_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    return product_save(c, id, body, w, err);
}

/* ---- matching ---- */

typedef struct cand {
    int64_t id;
    double rate, fit;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->rate != y->rate) return x->rate < y->rate ? -1 : 1;
    if (x->fit != y->fit) return x->fit > y->fit ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

int ent_fin_match_need(pj_ctx *c, int64_t need, int64_t org, int64_t amount_fen, int64_t term,
                       int *nmatch, pj_err *err)
{
    pj_rule_rec rec;
    *nmatch = 0;
    if (ent_load_rec(c, org, &rec, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM ent_bank_products", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int n = rc == 1 ? (int)pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    cand *cs = pj_arena_alloc(c->arena, sizeof(cand) * (size_t)(n + 1));
    s = pj_db_prepare(c->db,
                      "SELECT id, min_fen, max_fen, rate_pct, term_months, conditions FROM"
                      " ent_bank_products ORDER BY id",
                      err);
    if (!s) return -1;
    int k = 0, seen = 0;
    while (seen < n && (rc = pj_stmt_step(s, err)) == 1) {
        seen++;
        int64_t mn = pj_col_int(s, 1), mx = pj_col_int(s, 2);
        if (amount_fen < mn || amount_fen > mx || pj_col_int(s, 4) < term) continue;
        pj_rule *r;
        pj_err e2 = {0};
        if (pj_rule_compile(c->arena, pj_col_text(s, 5), "conditions", &r, &e2)) continue;
        if (pj_rule_eval(r, &rec) != PJ_RULE_TRUE) continue;
        cs[k].id = pj_col_int(s, 0);
        cs[k].rate = pj_col_double(s, 3);
        cs[k].fit = mx > 0 ? (double)amount_fen / (double)mx : 0;
        k++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    qsort(cs, (size_t)k, sizeof(cand), cand_cmp);
    if (k > MAX_MATCHES) k = MAX_MATCHES;
    int64_t now = pj_now();
    for (int i = 0; i < k; i++) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_fin_matches (need_id, product_id, org_id, rank, score,"
                          " created_at) VALUES (?,?,?,?,?,?)",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, need);
        pj_stmt_int(s, 2, cs[i].id);
        pj_stmt_int(s, 3, org);
        pj_stmt_int(s, 4, i + 1);
        pj_stmt_double(s, 5, cs[i].fit);
        pj_stmt_int(s, 6, now);
        if (pj_step_done(s, err)) return -1;
    }
    *nmatch = k;
    return 0;
}

/* ---- matches ---- */

/* Scope of one match: 0 ok, else 404. Bank users see only matches of their products that the
 * enterprise consented to. */
static int match_scope(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT m.org_id, o.township_id, p.bank_id, m.consent FROM"
                               " ent_fin_matches m JOIN organisations o ON o.id = m.org_id JOIN"
                               " ent_bank_products p ON p.id = m.product_id WHERE m.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t org = rc == 1 ? pj_col_int(s, 0) : 0, town = rc == 1 ? pj_col_int(s, 1) : 0,
            bank = rc == 1 ? pj_col_int(s, 2) : 0;
    int granted = rc == 1 && !strcmp(pj_col_text(s, 3), "granted");
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "financing match", id);
    int64_t own_bank = ent_bank_of(c);
    if (own_bank) return bank == own_bank && granted ? 0 : pj_not_found(err, "financing match", id);
    return ent_can_see(c, org, town, "financing match", id, err);
}

/* The explanation of rule cond for firm org, as a value: null without a rule or a profile. */
static void explain_value(pj_ctx *c, pj_jw *w, const char *cond, int64_t org)
{
    pj_rule *r;
    pj_rule_rec rec;
    pj_err e2 = {0};
    if (pj_rule_compile(c->arena, cond, "conditions", &r, &e2) || ent_load_rec(c, org, &rec, &e2)) {
        pj_jw_null(w);
        return;
    }
    int n = pj_rule_nclauses(r);
    pj_rule_clause *cl = pj_arena_alloc(c->arena, sizeof(pj_rule_clause) * (size_t)(n + 1));
    int v = pj_rule_explain(r, &rec, cl);
    pj_jw_obj(w);
    pj_jw_kstr(w, "result",
               v == PJ_RULE_TRUE    ? "eligible"
               : v == PJ_RULE_FALSE ? "not_eligible"
                                    : "unknown");
    /* what held for the rule: a clause under `not` holds when it is false ("not (…)") */
    pj_jw_key(w, "held");
    pj_jw_arr(w);
    for (int i = 0; i < n; i++) {
        if (cl[i].effect != PJ_RULE_TRUE) continue;
        if (cl[i].negated) {
            size_t len = strlen(cl[i].text) + 8;
            char *t = pj_arena_alloc(c->arena, len);
            snprintf(t, len, "not (%s)", cl[i].text);
            pj_jw_str(w, t);
        } else
            pj_jw_str(w, cl[i].text);
    }
    pj_jw_arr_end(w);
    pj_jw_key(w, "clauses");
    pj_jw_arr(w);
    static const char *const vn[] = {"failed", "held", "unknown"};
    for (int i = 0; i < n; i++) {
        pj_jw_obj(w);
        pj_jw_kstr(w, "text", cl[i].text);
        pj_jw_kstr(w, "value", vn[cl[i].value]);
        pj_jw_kbool(w, "negated", cl[i].negated);
        pj_jw_kstr(w, "effect", vn[cl[i].effect]);
        pj_rule_clause_form_json(w, &cl[i]);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
}

static void explain_json(pj_ctx *c, pj_jw *w, const char *cond, int64_t org)
{
    pj_jw_key(w, "explanation");
    explain_value(c, w, cond, org);
}

int ent_fin_consent_snapshots(pj_ctx *c, int64_t match_id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT m.id, p.conditions, m.org_id FROM ent_fin_matches m JOIN"
                               " ent_bank_products p ON p.id = m.product_id WHERE m.consent ="
                               " 'granted' AND m.consent_explanation IS NULL AND (? = 0 OR m.id ="
                               " ?) ORDER BY m.id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, match_id);
    pj_stmt_int(s, 2, match_id);
    typedef struct snap {
        int64_t id, org;
        char *cond;
        struct snap *next;
    } snap;
    snap *head = NULL;
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        snap *x = pj_arena_alloc(c->arena, sizeof *x);
        x->id = pj_col_int(s, 0);
        x->cond = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        x->org = pj_col_int(s, 2);
        x->next = head;
        head = x;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    rc = 0;
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    for (snap *x = head; x && !rc; x = x->next) {
        pj_buf_reset(&b);
        pj_jw w;
        pj_jw_init(&w, &b);
        explain_value(c, &w, x->cond, x->org);
        pj_buf_putc(&b, 0);
        s = pj_db_prepare(c->db, "UPDATE ent_fin_matches SET consent_explanation = ? WHERE id = ?",
                          err);
        if (!s) {
            rc = -1;
            break;
        }
        pj_stmt_text(s, 1, b.data ? b.data : "null");
        pj_stmt_int(s, 2, x->id);
        rc = pj_step_done(s, err);
    }
    pj_buf_free(&b);
    return rc;
}

int pj_ent_migration_consent_snapshots(pj_db *db, pj_err *err)
{
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_settings settings;
    pj_settings_default(&settings);
    pj_ctx c = {.db = db, .arena = &a, .settings = &settings};
    c.actor.username = "migration";
    int rc = ent_fin_consent_snapshots(&c, 0, err);
    pj_arena_free(&a);
    return rc;
}

static void enterprise_json(pj_ctx *c, pj_jw *w, pj_stmt *s, int col)
{
    /* columns col..col+4: org id, name, township id, contact name, contact phone */
    pj_jw_key(w, "enterprise");
    pj_jw_obj(w);
    pj_jw_kint(w, "organisation_id", pj_col_int(s, col));
    pj_render_text(w, "name", s, col + 1);
    pj_render_ref(w, "township_id", s, col + 2);
    pj_render_text(w, "contact_name", s, col + 3);
    const char *ph = pj_col_text(s, col + 4);
    pj_jw_kstr(w, "contact_phone", c->actor.role == PJ_ROLE_VIEWER ? pj_mask(c->arena, ph, 3) : ph);
    pj_jw_obj_end(w);
}

static int match_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT m.id, m.need_id, m.product_id, p.name, p.bank_id, b.name, m.rank, m.score,"
        " p.rate_pct, p.term_months, p.min_fen, p.max_fen, m.consent, m.consent_at, m.outcome,"
        " m.approved_fen, m.version, n.amount_fen, n.term_months, n.purpose, p.conditions,"
        " o.id, o.name, o.township_id, o.contact_name, o.contact_phone, n.state,"
        " m.consent_explanation FROM ent_fin_matches m JOIN ent_bank_products p ON p.id = "
        "m.product_id"
        " JOIN organisations b ON b.id = p.bank_id JOIN ent_fin_needs n ON n.id = m.need_id"
        " JOIN organisations o ON o.id = m.org_id WHERE m.id = ?",
        id, "financing match", err);
    if (!s) return -1;
    int granted = !strcmp(pj_col_text(s, 12), "granted");
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "need_id", pj_col_int(s, 1));
    pj_jw_kint(w, "product_id", pj_col_int(s, 2));
    pj_render_text(w, "product", s, 3);
    pj_jw_kint(w, "bank_id", pj_col_int(s, 4));
    pj_render_text(w, "bank", s, 5);
    pj_jw_kint(w, "rank", pj_col_int(s, 6));
    pj_jw_knum(w, "amount_fit", pj_col_double(s, 7));
    pj_jw_knum(w, "rate_pct", pj_col_double(s, 8));
    pj_jw_kint(w, "product_term_months", pj_col_int(s, 9));
    pj_jw_knum(w, "min_wan", (double)pj_col_int(s, 10) / FEN_PER_WAN);
    pj_jw_knum(w, "max_wan", (double)pj_col_int(s, 11) / FEN_PER_WAN);
    pj_render_text(w, "consent", s, 12);
    pj_render_time_col(w, "consent_at", s, 13);
    pj_render_text(w, "outcome", s, 14);
    if (pj_col_is_null(s, 15))
        pj_jw_knull(w, "approved_wan");
    else
        pj_jw_knum(w, "approved_wan", (double)pj_col_int(s, 15) / FEN_PER_WAN);
    pj_jw_kint(w, "version", pj_col_int(s, 16));
    pj_jw_key(w, "need");
    pj_jw_obj(w);
    pj_jw_knum(w, "amount_wan", (double)pj_col_int(s, 17) / FEN_PER_WAN);
    pj_jw_kint(w, "term_months", pj_col_int(s, 18));
    pj_render_text(w, "purpose", s, 19);
    pj_render_text(w, "state", s, 26);
    pj_jw_obj_end(w);
    /* the enterprise behind the need: to a bank only after consent */
    if (!ent_bank_of(c) || granted)
        enterprise_json(c, w, s, 21);
    else
        pj_jw_knull(w, "enterprise");
    char *cond = pj_arena_strdup(c->arena, pj_col_text(s, 20));
    int64_t org = pj_col_int(s, 21);
    char *snap = pj_col_is_null(s, 27) ? NULL : pj_arena_strdup(c->arena, pj_col_text(s, 27));
    pj_stmt_done(s);
    /* a bank reads the explanation the firm consented to share, as it stood then: its rule
     * evaluated afresh on each read would tell the firm's revenue, tax, staff and credit grade
     * threshold by threshold to a bank that edits its product's conditions */
    if (ent_bank_of(c)) {
        pj_jw_key(w, "explanation");
        pj_jw_raw(w, granted ? snap : NULL);
    } else
        explain_json(c, w, cond, org);
    pj_jw_obj_end(w);
    return 0;
}

int pj_ent_match_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return match_scope(c, id, err) ? -1 : match_render(c, id, w, err);
}

int pj_ent_match_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    int64_t bank = ent_bank_of(c);
    int64_t org = ent_list_org(c, f->organisation_id, bank);
    int64_t town = ent_list_town(c);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT m.id FROM ent_fin_matches m JOIN organisations o ON o.id = m.org_id"
        " JOIN ent_bank_products p ON p.id = m.product_id WHERE m.id > ? AND (? = 0 OR m.org_id"
        " = ?) AND (? = 0 OR o.township_id = ?) AND (? = 0 OR (p.bank_id = ? AND m.consent ="
        " 'granted')) AND (? = 0 OR p.bank_id = ?) AND (? = 0 OR m.need_id = ?) AND (? IS NULL"
        " OR m.outcome = ?) ORDER BY m.id LIMIT ?",
        err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, bank);
    pj_stmt_int(s, i++, bank);
    pj_stmt_int(s, i++, f->bank_id);
    pj_stmt_int(s, i++, f->bank_id);
    pj_stmt_int(s, i++, f->need_id);
    pj_stmt_int(s, i++, f->need_id);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_int(s, i++, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, match_render, w, err);
}

/* The match's need's enterprise and its product's bank, state and consent (after scope). */
typedef struct match_row {
    int64_t org, bank, max_fen, need_id, need_fen;
    char consent[16], outcome[16];
} match_row;

static int match_load(pj_ctx *c, int64_t id, match_row *m, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT m.org_id, p.bank_id, p.max_fen, m.consent, m.outcome,"
                               " n.id, n.amount_fen FROM ent_fin_matches m"
                               " JOIN ent_bank_products p ON p.id = m.product_id"
                               " JOIN ent_fin_needs n ON n.id = m.need_id WHERE m.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        m->org = pj_col_int(s, 0);
        m->bank = pj_col_int(s, 1);
        m->max_fen = pj_col_int(s, 2);
        snprintf(m->consent, sizeof m->consent, "%s", pj_col_text(s, 3));
        snprintf(m->outcome, sizeof m->outcome, "%s", pj_col_text(s, 4));
        m->need_id = pj_col_int(s, 5);
        m->need_fen = pj_col_int(s, 6);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return rc == 0 ? pj_not_found(err, "financing match", id) : 0;
}

static int need_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);

/* A need is met once: after one of its matches was approved (the need `matched`), no other is
 * applied for or approved — two banks lending for one need — and no other bank is let see the
 * firm (consent granted). 0 while the need is open and none of its matches approved, else 409
 * already_matched on `field` naming the approved match. Inside the write's transaction, so two
 * approvals of one need cannot both pass. */
static int need_open(pj_ctx *c, int64_t need, const char *field, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT n.state, (SELECT MIN(m.id) FROM ent_fin_matches m WHERE"
                               " m.need_id = n.id AND m.outcome = 'approved') FROM ent_fin_needs n"
                               " WHERE n.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, need);
    int rc = pj_stmt_step(s, err);
    int open = rc == 1 && !strcmp(pj_col_text(s, 0), "open") && pj_col_is_null(s, 1);
    int64_t by = rc == 1 && !pj_col_is_null(s, 1) ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (open) return 0;
    if (by)
        return pj_fail(err, 409, "already_matched", field,
                       "financing need %lld is matched already: match %lld was approved",
                       (long long)need, (long long)by);
    return pj_fail(err, 409, "already_matched", field, "financing need %lld is no longer open",
                   (long long)need);
}

int pj_ent_match_consent(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "consent", NULL};
    static const char *const vals[] = {"granted", "refused", "revoked", NULL};
    int64_t version;
    const char *consent;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_enum(body, "consent", 1, vals, &consent, err) < 0 || match_scope(c, id, err))
        return -1;
    match_row m;
    if (match_load(c, id, &m, err)) return -1;
    /* consent is the enterprise's own decision: no one else gives it */
    if (c->actor.role != PJ_ROLE_ENTERPRISE || c->actor.organisation_id != m.org)
        return pj_fail(err, 403, "forbidden", "", "only the enterprise itself consents");
    /* granted or refused once, from pending; a consent granted is taken back (revoked) while
     * no application stands on it: the bank no longer sees the match, the need through it, the
     * firm's contact nor the explanation stored (withdraw an application first; an approval or
     * a rejection is the bank's record of what it decided) */
    int revoke = !strcmp(consent, "revoked");
    if (revoke && strcmp(m.consent, "granted"))
        return pj_fail(err, 409, "wrong_state", "consent",
                       "only a consent granted is revoked; this one is %s", m.consent);
    if (revoke && !strcmp(m.outcome, "applied"))
        return pj_fail(err, 409, "wrong_state", "consent",
                       "an application stands on this consent: withdraw it first");
    if (revoke && strcmp(m.outcome, "pending") && strcmp(m.outcome, "withdrawn"))
        return pj_fail(err, 409, "wrong_state", "consent",
                       "the bank has %s the application: its decision keeps what it saw",
                       m.outcome);
    if (!revoke && strcmp(m.consent, "pending"))
        return pj_fail(err, 409, "wrong_state", "consent", "consent was %s already", m.consent);
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL;
    /* a need met (one of its matches approved) is shown to no other bank; refusing stays open */
    if (pj_version_check(c, "SELECT version FROM ent_fin_matches WHERE id = ?", id, version,
                         "financing match", err) ||
        (!strcmp(consent, "granted") && need_open(c, m.need_id, "consent", err)) ||
        !(before = pj_render_to_string(c, id, match_render, err)))
        goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE ent_fin_matches SET consent = ?1, consent_at = ?2,"
                               " consent_explanation = CASE WHEN ?1 = 'revoked' THEN NULL ELSE"
                               " consent_explanation END, version = version + 1 WHERE id = ?3",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, consent);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, id);
    if (pj_step_done(s, err) ||
        (!strcmp(consent, "granted") && ent_fin_consent_snapshots(c, id, err)) ||
        pj_render_commit(c, "consent", "ent_fin_match", id, before, match_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_match_outcome(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "status", "approved_wan", NULL};
    const char *const *vals = pj_fin_match_outcomes + 1; /* all but pending */
    int64_t version;
    const char *st;
    double appr = -1;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_enum(body, "status", 1, vals, &st, err) < 0 ||
        pj_in_num(body, "approved_wan", 0, 0.01, 1e6, &appr, err) < 0 || match_scope(c, id, err))
        return -1;
    match_row m;
    if (match_load(c, id, &m, err)) return -1;
    int64_t bank = ent_bank_of(c);
    int is_firm = c->actor.role == PJ_ROLE_ENTERPRISE && !bank && c->actor.organisation_id == m.org;
    int is_bank = bank && bank == m.bank;
    int by_bank = !strcmp(st, "approved") || !strcmp(st, "rejected");
    if (!ent_is_officer(c) && !(by_bank ? is_bank : is_firm))
        return pj_fail(err, 403, "forbidden", "status",
                       by_bank ? "only the bank decides"
                               : "only the enterprise applies or"
                                 " withdraws");
    /* pending → applied → approved | rejected; pending | applied → withdrawn */
    const char *from = m.outcome;
    int ok = !strcmp(st, "applied")     ? !strcmp(from, "pending")
             : !strcmp(st, "withdrawn") ? !strcmp(from, "pending") || !strcmp(from, "applied")
                                        : !strcmp(from, "applied");
    if (!ok) return pj_fail(err, 409, "wrong_state", "status", "cannot go from %s to %s", from, st);
    if (!strcmp(st, "applied") && strcmp(m.consent, "granted"))
        return pj_fail(err, 409, "consent_required", "status",
                       "the enterprise must consent before applying");
    if (!strcmp(st, "approved")) {
        if (appr < 0)
            return pj_fail(err, 422, "missing_field", "approved_wan",
                           "approved_wan is required to approve");
        if (wan_to_fen(appr) > m.max_fen)
            return pj_fail(err, 422, "invalid_value", "approved_wan",
                           "approved_wan exceeds the product's maximum");
        if (wan_to_fen(appr) > m.need_fen)
            return pj_fail(err, 422, "invalid_value", "approved_wan",
                           "approved_wan exceeds the amount the enterprise asked for");
    } else if (appr >= 0)
        return pj_fail(err, 422, "invalid_value", "approved_wan",
                       "approved_wan only with status approved");
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL;
    if (pj_version_check(c, "SELECT version FROM ent_fin_matches WHERE id = ?", id, version,
                         "financing match", err) ||
        ((!strcmp(st, "applied") || !strcmp(st, "approved")) &&
         need_open(c, m.need_id, "status", err)) ||
        !(before = pj_render_to_string(c, id, match_render, err)))
        goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE ent_fin_matches SET outcome = ?, approved_fen = ?, version"
                               " = version + 1 WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, st);
    if (appr >= 0)
        pj_stmt_int(s, 2, wan_to_fen(appr));
    else
        pj_stmt_null(s, 2);
    pj_stmt_int(s, 3, id);
    if (pj_step_done(s, err)) goto fail;
    if (!strcmp(st, "approved")) {
        /* the need is met: open → matched, its version bumped, with an audit row of its own
         * (the match's row shows the need's state only as part of the match) */
        char *nb = pj_render_to_string(c, m.need_id, need_render, err), *na;
        if (!nb) goto fail;
        s = pj_db_prepare(c->db,
                          "UPDATE ent_fin_needs SET state = 'matched', version = version + 1"
                          " WHERE id = ?",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, m.need_id);
        if (pj_step_done(s, err) || !(na = pj_render_to_string(c, m.need_id, need_render, err)) ||
            pj_audit_add(c, "update", "ent_fin_need", m.need_id, nb, na, err))
            goto fail;
    }
    if (pj_render_commit(c, "outcome", "ent_fin_match", id, before, match_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- needs ---- */

static int need_scope(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT n.org_id, o.township_id FROM ent_fin_needs n JOIN"
                               " organisations o ON o.id = n.org_id WHERE n.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t org = rc == 1 ? pj_col_int(s, 0) : 0, town = rc == 1 ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "financing need", id);
    int64_t bank = ent_bank_of(c);
    if (bank) {
        s = pj_db_prepare(c->db,
                          "SELECT 1 FROM ent_fin_matches m JOIN ent_bank_products p ON p.id ="
                          " m.product_id WHERE m.need_id = ? AND p.bank_id = ? AND m.consent ="
                          " 'granted'",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_stmt_int(s, 2, bank);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        return rc < 0 ? -1 : rc ? 0 : pj_not_found(err, "financing need", id);
    }
    return ent_can_see(c, org, town, "financing need", id, err);
}

static int need_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT n.id, n.amount_fen, n.term_months, n.purpose, n.state,"
                              " n.source, n.created_at, n.version, o.id, o.name, o.township_id,"
                              " o.contact_name, o.contact_phone FROM ent_fin_needs n JOIN"
                              " organisations o ON o.id = n.org_id WHERE n.id = ?",
                              id, "financing need", err);
    if (!s) return -1;
    int rc;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "organisation_id", pj_col_int(s, 8));
    pj_jw_knum(w, "amount_wan", (double)pj_col_int(s, 1) / FEN_PER_WAN);
    pj_jw_kint(w, "term_months", pj_col_int(s, 2));
    pj_render_text(w, "purpose", s, 3);
    pj_render_text(w, "state", s, 4);
    pj_render_text(w, "source", s, 5);
    pj_render_time(w, "created_at", pj_col_int(s, 6));
    pj_jw_kint(w, "version", pj_col_int(s, 7));
    /* a bank reaches a need only through a consented match */
    enterprise_json(c, w, s, 8);
    pj_stmt_done(s);
    int64_t bank = ent_bank_of(c);
    s = pj_db_prepare(c->db,
                      "SELECT m.id FROM ent_fin_matches m JOIN ent_bank_products p ON p.id ="
                      " m.product_id WHERE m.need_id = ? AND (? = 0 OR (p.bank_id = ? AND"
                      " m.consent = 'granted')) ORDER BY m.rank",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, bank);
    pj_stmt_int(s, 3, bank);
    int64_t ids[MAX_MATCHES];
    int n = 0;
    while (n < MAX_MATCHES && (rc = pj_stmt_step(s, err)) == 1) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_key(w, "matches");
    pj_jw_arr(w);
    for (int i = 0; i < n; i++)
        if (match_render(c, ids[i], w, err)) return -1;
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

int pj_ent_need_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return need_scope(c, id, err) ? -1 : need_render(c, id, w, err);
}

int pj_ent_need_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    int64_t bank = ent_bank_of(c);
    int64_t org = ent_list_org(c, f->organisation_id, bank);
    int64_t town = ent_list_town(c);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT n.id FROM ent_fin_needs n JOIN organisations o ON o.id = n.org_id WHERE n.id > ?"
        " AND (? = 0 OR n.org_id = ?) AND (? = 0 OR o.township_id = ?) AND (? = 0 OR EXISTS"
        " (SELECT 1 FROM ent_fin_matches m JOIN ent_bank_products p ON p.id = m.product_id"
        " WHERE m.need_id = n.id AND p.bank_id = ? AND m.consent = 'granted')) AND (? IS NULL OR"
        " n.state = ?) ORDER BY n.id LIMIT ?",
        err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, bank);
    pj_stmt_int(s, i++, bank);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_int(s, i++, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, need_render, w, err);
}

int pj_ent_need_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"organisation_id", "amount_wan", "term_months", "purpose",
                                         NULL};
    double amount;
    int64_t term, org, town;
    const char *purpose;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_num(body, "amount_wan", 1, 0.01, 1e6, &amount, err) < 0 ||
        pj_in_int(body, "term_months", 1, 1, 360, &term, err) < 0 ||
        pj_in_text(body, "purpose", 1, 1, 500, &purpose, err) < 0 ||
        ent_acting_org(c, body, &org, &town, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ent_fin_needs (org_id, amount_fen, term_months,"
                               " purpose, created_at) VALUES (?,?,?,?,?) RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, org);
    pj_stmt_int(s, 2, wan_to_fen(amount));
    pj_stmt_int(s, 3, term);
    pj_stmt_text(s, 4, purpose);
    pj_stmt_int(s, 5, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    int nm;
    if (ent_fin_match_need(c, id, org, wan_to_fen(amount), term, &nm, err) ||
        pj_render_commit(c, "create", "ent_fin_need", id, NULL, need_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
