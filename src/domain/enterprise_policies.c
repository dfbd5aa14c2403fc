/* Enterprise profiles, the policy library (惠企政策) and its matching: every policy's rule is
 * evaluated on every enterprise when the policy is saved (and for one firm when its profile
 * changes); newly eligible firms get a notice; a firm sees only what it qualifies for.
 * A policy is in force from valid_from to valid_until (inclusive, Beijing dates; no
 * valid_until: open-ended): only a policy in force today sends notices or shows in a firm's
 * lists; officers see every policy with its status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/enterprise_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

/* the values a rule may compare them with too (pj_rule_check_values) */
static const char *const *const scales = pj_rule_scales;

/* Binds today's Beijing date twice: p.valid_from <= ? AND (… valid_until >= ?) */
#define IN_FORCE "(p.valid_from <= ? AND (p.valid_until IS NULL OR p.valid_until >= ?))"

static void today(char out[11])
{
    pj_cal_format(pj_cal_local_day(pj_now()), out);
}

static int in_force(const char *from, const char *until)
{
    char d[11];
    today(d);
    return strcmp(from, d) <= 0 && (!until || !*until || strcmp(until, d) >= 0);
}
static const char *const *const credits = pj_rule_credits;

/* ---- profiles ---- */

/* named: with the firm's name (for readers; audit rows keep the attributes only) */
static int profile_render_as(pj_ctx *c, int64_t org, pj_jw *w, int named, pj_err *err)
{
    pj_rule_rec r;
    if (ent_load_rec(c, org, &r, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT (SELECT version FROM ent_profiles WHERE org_id = o.id),"
                               " o.name FROM organisations o WHERE o.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org);
    int rc = pj_stmt_step(s, err);
    int64_t v = rc == 1 ? pj_col_int(s, 0) : 0;
    char *name = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 1)) : NULL;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "organisation_id", org);
    if (named) pj_jw_kstr(w, "name", name);
    for (int i = 0; i < PJ_RA_COUNT; i++) {
        const char *k = pj_rule_attrs[i].name;
        if (!r.known[i])
            pj_jw_knull(w, k);
        else if (pj_rule_attrs[i].type == PJ_RT_STR)
            pj_jw_kstr(w, k, r.s[i]);
        else if (pj_rule_attrs[i].type == PJ_RT_BOOL)
            pj_jw_kbool(w, k, r.n[i] != 0);
        else
            pj_jw_knum(w, k, r.n[i]);
    }
    pj_jw_kint(w, "version", v);
    pj_jw_obj_end(w);
    return 0;
}

static int profile_render(pj_ctx *c, int64_t org, pj_jw *w, pj_err *err)
{
    return profile_render_as(c, org, w, 0, err);
}

int pj_ent_profile_get(pj_ctx *c, int64_t org, pj_jw *w, pj_err *err)
{
    pj_rule_rec r;
    if (ent_load_visible(c, org, &r, err)) return -1;
    return profile_render_as(c, org, w, 1, err);
}

/* Re-evaluates every policy for one firm (org) or for every firm (0): matches replaced, notices
 * (kind) for new eligibility. */
static int match_policies(pj_ctx *c, int64_t org, const char *kind, pj_err *err);

int pj_ent_profile_update(pj_ctx *c, int64_t org, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version",     "scale",   "credit",       "employees",
                                         "revenue_wan", "tax_wan", "founded_year", "high_tech",
                                         "specialized", NULL};
    int64_t version, emp = -1, year = -1;
    const char *scale = NULL, *credit = NULL;
    double rev = -1, tax = -1;
    int ht = -1, sp = -1;
    /* a firm founded no later than this year (Beijing time) */
    char today[11];
    pj_local_date(pj_now(), today);
    int64_t this_year = strtoll(today, NULL, 10);
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 0, INT64_MAX, &version, err) < 0 ||
        pj_in_enum(body, "scale", 0, scales, &scale, err) < 0 ||
        pj_in_enum(body, "credit", 0, credits, &credit, err) < 0 ||
        pj_in_int(body, "employees", 0, 0, 10000000, &emp, err) < 0 ||
        pj_in_num(body, "revenue_wan", 0, 0, 1e9, &rev, err) < 0 ||
        pj_in_num(body, "tax_wan", 0, 0, 1e9, &tax, err) < 0 ||
        pj_in_int(body, "founded_year", 0, 1900, this_year, &year, err) < 0 ||
        pj_in_bool(body, "high_tech", 0, &ht, err) < 0 ||
        pj_in_bool(body, "specialized", 0, &sp, err) < 0)
        return -1;
    pj_rule_rec r;
    if (ent_load_visible(c, org, &r, err)) return -1;
    pj_stmt *s;
    if (c->actor.role == PJ_ROLE_VIEWER)
        return pj_fail(err, 403, "forbidden", "", "viewers do not write");
    /* the credit rating, the high-tech and the 专精特新 standings are certified by the
     * authorities: the district's officials and the township's officer change them, not the
     * firm (it qualified at once for the policies asking for them). The value it has, sent
     * again, is no change. */
    if (c->actor.role == PJ_ROLE_ENTERPRISE) {
        static const struct {
            const char *name;
            int attr;
        } certified[] = {{"credit", PJ_RA_CREDIT},
                         {"high_tech", PJ_RA_HIGH_TECH},
                         {"specialized", PJ_RA_SPECIALIZED}};
        const char *texts[] = {credit, NULL, NULL};
        int bools[] = {-1, ht, sp};
        for (int k = 0; k < 3; k++) {
            int a = certified[k].attr;
            if (!json_object_get(body, certified[k].name)) continue;
            int same;
            if (pj_in_is_null(body, certified[k].name))
                same = !r.known[a];
            else if (k == 0)
                same = r.known[a] && !strcmp(r.s[a], texts[k]);
            else
                same = r.known[a] && (r.n[a] != 0) == (bools[k] != 0);
            if (!same)
                return pj_fail(err, 403, "forbidden", certified[k].name,
                               "%s is certified by the district or the firm's township: their"
                               " officers change it, not the firm",
                               certified[k].name);
        }
    }
    if (pj_db_begin(c->db, err)) return -1;
    s = pj_db_prepare(c->db, "SELECT version FROM ent_profiles WHERE org_id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, org);
    int rc = pj_stmt_step(s, err);
    int64_t cur = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (cur != version) {
        pj_version_conflict(err, "profile", cur, version);
        goto fail;
    }
    char *before = pj_render_to_string(c, org, profile_render, err);
    if (!before) goto fail;
    if (!cur) {
        s = pj_db_prepare(
            c->db, "INSERT INTO ent_profiles (org_id, updated_at, version) VALUES (?,?,0)", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, org);
        pj_stmt_int(s, 2, pj_now());
        if (pj_step_done(s, err)) goto fail;
    }
    /* a figure sent as null is not reported any more (each has its bit in ?11) */
    static const char *const cols[] = {"scale",   "credit",       "employees", "revenue_wan",
                                       "tax_wan", "founded_year", "high_tech", "specialized"};
    int64_t cleared = 0;
    for (int k = 0; k < 8; k++)
        if (pj_in_is_null(body, cols[k])) cleared |= 1 << k;
    s = pj_db_prepare(c->db,
                      "UPDATE ent_profiles SET"
                      " scale = IIF(?11 & 1, NULL, COALESCE(?1, scale)),"
                      " credit = IIF(?11 & 2, NULL, COALESCE(?2, credit)),"
                      " employees = IIF(?11 & 4, NULL, COALESCE(?3, employees)),"
                      " revenue_wan = IIF(?11 & 8, NULL, COALESCE(?4, revenue_wan)),"
                      " tax_wan = IIF(?11 & 16, NULL, COALESCE(?5, tax_wan)),"
                      " founded_year = IIF(?11 & 32, NULL, COALESCE(?6, founded_year)),"
                      " high_tech = IIF(?11 & 64, NULL, COALESCE(?7, high_tech)),"
                      " specialized = IIF(?11 & 128, NULL, COALESCE(?8, specialized)),"
                      " updated_at = ?9, version = version + 1 WHERE org_id = ?10",
                      err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, scale);
    pj_stmt_text(s, 2, credit);
    if (emp >= 0) pj_stmt_int(s, 3, emp);
    if (rev >= 0) pj_stmt_double(s, 4, rev);
    if (tax >= 0) pj_stmt_double(s, 5, tax);
    if (year >= 0) pj_stmt_int(s, 6, year);
    if (ht >= 0) pj_stmt_int(s, 7, ht);
    if (sp >= 0) pj_stmt_int(s, 8, sp);
    pj_stmt_int(s, 11, cleared);
    pj_stmt_int(s, 9, pj_now());
    pj_stmt_int(s, 10, org);
    /* one that changes nothing writes nothing: the same version, no audit row, no matching */
    if (pj_step_done(s, err) || match_policies(c, org, "profile_changed", err)) goto fail;
    if (pj_render_update_commit(c, "ent_profile", org, before, profile_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- rules ---- */

static void clauses_json(pj_jw *w, pj_rule *r, const pj_rule_rec *rec)
{
    int n = pj_rule_nclauses(r);
    pj_rule_clause cl[PJ_RULE_MAX_NODES];
    pj_rule_rec none;
    memset(&none, 0, sizeof none);
    int v = pj_rule_explain(r, rec ? rec : &none, cl);
    if (rec)
        pj_jw_kstr(w, "result",
                   v == PJ_RULE_TRUE    ? "eligible"
                   : v == PJ_RULE_FALSE ? "not_eligible"
                                        : "unknown");
    pj_jw_key(w, "clauses");
    pj_jw_arr(w);
    for (int i = 0; i < n; i++) {
        pj_jw_obj(w);
        pj_jw_kstr(w, "text", cl[i].text);
        pj_jw_kint(w, "column", cl[i].col);
        pj_rule_clause_form_json(w, &cl[i]);
        if (rec) {
            /* value: the clause's own truth; under `not`, effect is what it counts as */
            pj_jw_kstr(w, "value",
                       cl[i].value == PJ_RULE_TRUE    ? "held"
                       : cl[i].value == PJ_RULE_FALSE ? "failed"
                                                      : "unknown");
            pj_jw_kbool(w, "negated", cl[i].negated);
            pj_jw_kstr(w, "effect",
                       cl[i].effect == PJ_RULE_TRUE    ? "held"
                       : cl[i].effect == PJ_RULE_FALSE ? "failed"
                                                       : "unknown");
            pj_jw_kbool(w, "decisive", cl[i].decisive);
        }
        if (cl[i].any_of)
            pj_jw_kint(w, "any_of", cl[i].any_of);
        else
            pj_jw_knull(w, "any_of");
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    if (rec && v != PJ_RULE_TRUE) {
        /* the near miss: the single clauses whose change would make the firm eligible */
        pj_jw_key(w, "near_miss");
        pj_jw_arr(w);
        for (int i = 0; i < n; i++)
            if (cl[i].decisive) pj_jw_str(w, cl[i].text);
        pj_jw_arr_end(w);
    }
}

int pj_ent_rule_check(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"conditions", "organisation_id", NULL};
    const char *text;
    int64_t org = 0;
    pj_rule *r;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "conditions", 1, 1, PJ_RULE_MAX_LEN, &text, err) < 0 ||
        pj_in_ref(body, "organisation_id", 0, &org, err) < 0 ||
        ent_rule_accept(c, text, "conditions", &r, err))
        return -1;
    pj_rule_rec rec;
    if (org && ent_load_visible(c, org, &rec, err)) return -1;
    pj_jw_obj(w);
    pj_jw_kbool(w, "ok", 1);
    pj_jw_key(w, "attributes");
    pj_jw_arr(w);
    unsigned used = pj_rule_attrs_used(r);
    for (int i = 0; i < PJ_RA_COUNT; i++)
        if (used & (1u << i)) pj_jw_str(w, pj_rule_attrs[i].name);
    pj_jw_arr_end(w);
    pj_jw_key(w, "warnings");
    if (ent_rule_warnings(c, r, w, err)) return -1;
    clauses_json(w, r, org ? &rec : NULL);
    pj_jw_obj_end(w);
    return 0;
}

/* ---- matching ---- */

/* Replaces the matches of one policy over fs. A policy in force sends a notice (kind) to each
 * eligible firm never told of it (newly eligible, or matched while the policy was not in
 * force); *newly gets their count. Inside the caller's transaction. */
static int match_policy(pj_ctx *c, int64_t pid, pj_rule *r, const ent_firms *fs, const char *kind,
                        int force, int *newly, int *eligible, pj_err *err)
{
    *newly = *eligible = 0;
    int64_t now = pj_now();
    for (int i = 0; i < fs->n; i++) {
        int yes = pj_rule_eval(r, &fs->rec[i]) == PJ_RULE_TRUE;
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT 1 FROM ent_policy_matches WHERE policy_id = ? AND"
                                   " org_id = ?",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, pid);
        pj_stmt_int(s, 2, fs->ids[i]);
        int had = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (had < 0) return -1;
        *eligible += yes;
        if (yes != had) {
            s = pj_db_prepare(c->db,
                              yes ? "INSERT INTO ent_policy_matches (policy_id, org_id) VALUES"
                                    " (?, ?)"
                                  : "DELETE FROM ent_policy_matches WHERE policy_id = ? AND"
                                    " org_id = ?",
                              err);
            if (!s) return -1;
            pj_stmt_int(s, 1, pid);
            pj_stmt_int(s, 2, fs->ids[i]);
            if (pj_step_done(s, err)) return -1;
        }
        if (!yes || !force) continue;
        /* a firm told of the policy once is not told again: one that drops out (its figures
         * crossed a threshold) and qualifies again holds its notice still */
        s = pj_db_prepare(c->db, "SELECT 1 FROM ent_notices WHERE policy_id = ? AND org_id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, pid);
        pj_stmt_int(s, 2, fs->ids[i]);
        int told = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (told) {
            if (told < 0) return -1;
            continue;
        }
        (*newly)++;
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_notices (org_id, policy_id, kind, created_at)"
                          " VALUES (?,?,?,?)",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, fs->ids[i]);
        pj_stmt_int(s, 2, pid);
        pj_stmt_text(s, 3, kind);
        pj_stmt_int(s, 4, now);
        if (pj_step_done(s, err)) return -1;
    }
    return 0;
}

static int match_policies(pj_ctx *c, int64_t org, const char *kind, pj_err *err)
{
    ent_firms fs;
    if (ent_firms_load(c, org, &fs, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM ent_policies", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int n = rc == 1 ? (int)pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(n + 1));
    char **conds = pj_arena_alloc(c->arena, sizeof(char *) * (size_t)(n + 1));
    int *force = pj_arena_alloc(c->arena, sizeof(int) * (size_t)(n + 1));
    s = pj_db_prepare(c->db,
                      "SELECT id, conditions, valid_from, valid_until FROM ent_policies"
                      " ORDER BY id",
                      err);
    if (!s) return -1;
    int k = 0;
    while (k < n && (rc = pj_stmt_step(s, err)) == 1) {
        ids[k] = pj_col_int(s, 0);
        force[k] = in_force(pj_col_text(s, 2), pj_col_text(s, 3));
        conds[k++] = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    for (int i = 0; i < k; i++) {
        pj_rule *r;
        int nw, el;
        if (pj_rule_compile(c->arena, conds[i], "conditions", &r, err) ||
            match_policy(c, ids[i], r, &fs, kind, force[i], &nw, &el, err))
            return -1;
    }
    return 0;
}

/* ---- policies ---- */

/* tree: with the rule's structured form (for readers; audit rows keep the text only) */
static int policy_render_as(pj_ctx *c, int64_t id, pj_jw *w, int tree, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT id, title, issuer, issued_on, valid_from, valid_until,"
                              " benefit, conditions, source, version"
                              " FROM ent_policies p WHERE id = ?",
                              id, "policy", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "title", s, 1);
    pj_render_text(w, "issuer", s, 2);
    pj_render_text(w, "issued_on", s, 3);
    pj_render_text(w, "valid_from", s, 4);
    pj_render_text(w, "valid_until", s, 5);
    {
        char d[11];
        today(d);
        const char *until = pj_col_is_null(s, 5) ? NULL : pj_col_text(s, 5);
        pj_jw_kstr(w, "status",
                   strcmp(pj_col_text(s, 4), d) > 0          ? "not_yet"
                   : until && *until && strcmp(until, d) < 0 ? "expired"
                                                             : "in_force");
    }
    pj_render_text(w, "benefit", s, 6);
    pj_render_text(w, "conditions", s, 7);
    if (tree) ent_rule_tree(c, w, pj_col_text(s, 7));
    pj_render_text(w, "source", s, 8);
    pj_jw_kint(w, "version", pj_col_int(s, 9));
    pj_stmt_done(s);
    if (c->actor.role != PJ_ROLE_ENTERPRISE) {
        /* the eligible firms the reader is shown (GET /policies/{id}/matches): a township
         * officer's, those of their township */
        int64_t town = ent_list_town(c);
        s = pj_db_prepare(c->db,
                          town ? "SELECT COUNT(*) FROM ent_policy_matches m JOIN organisations o"
                                 " ON o.id = m.org_id WHERE m.policy_id = ? AND o.township_id = ?"
                               : "SELECT COUNT(*) FROM ent_policy_matches WHERE policy_id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        if (town) pj_stmt_int(s, 2, town);
        int rc = pj_stmt_step(s, err);
        int64_t n = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        pj_jw_kint(w, "eligible_count", n);
    }
    pj_jw_obj_end(w);
    return 0;
}

/* An enterprise sees a policy only when it qualifies (无事不扰). */
static int policy_visible(pj_ctx *c, int64_t id, pj_err *err)
{
    if (c->actor.role != PJ_ROLE_ENTERPRISE) {
        int rc = pj_render_exists(c, "SELECT 1 FROM ent_policies WHERE id = ?", id, err);
        return rc < 0 ? -1 : rc ? 0 : pj_not_found(err, "policy", id);
    }
    /* … and only while it is in force */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT 1 FROM ent_policy_matches m JOIN ent_policies p ON p.id ="
                               " m.policy_id WHERE m.policy_id = ? AND m.org_id = ? AND " IN_FORCE,
                               err);
    if (!s) return -1;
    char d[11];
    today(d);
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, c->actor.organisation_id);
    pj_stmt_text(s, 3, d);
    pj_stmt_text(s, 4, d);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    /* said as what the firm reads: "no policy 1" read as none, while its explanation
     * (GET /policies/1/explain, a near miss) shows it */
    return rc < 0 ? -1
           : rc   ? 0
                  : pj_fail(err, 404, "not_found", "id",
                            "no policy %lld in force that your organisation qualifies for",
                            (long long)id);
}

static int policy_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return policy_render_as(c, id, w, 0, err);
}

static int policy_read(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return policy_render_as(c, id, w, 1, err);
}

int pj_ent_policy_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return policy_visible(c, id, err) ? -1 : policy_read(c, id, w, err);
}

int pj_ent_policy_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    /* which policies a firm qualifies for is its data: only for firms the caller may see (a
     * firm sees its own: another one named is 404, as for anyone outside its scope, not the
     * caller's own list under the other firm's id) */
    if (c->actor.role == PJ_ROLE_ENTERPRISE && f->organisation_id &&
        f->organisation_id != c->actor.organisation_id)
        return pj_not_found(err, "enterprise", f->organisation_id);
    int64_t org = ent_list_org(c, f->organisation_id, 0);
    pj_rule_rec rec;
    if (org > 0 && c->actor.role != PJ_ROLE_ENTERPRISE && ent_load_visible(c, org, &rec, err))
        return -1;
    /* a firm's own list: only policies in force today */
    int own = c->actor.role == PJ_ROLE_ENTERPRISE;
    char d[11];
    today(d);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ent_policies p WHERE id > ? AND (? = 0 OR EXISTS"
                               " (SELECT 1 FROM ent_policy_matches m WHERE m.policy_id = p.id"
                               " AND m.org_id = ?)) AND (? = 0 OR " IN_FORCE ")"
                               " ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, org);
    pj_stmt_int(s, 3, org);
    pj_stmt_int(s, 4, own);
    pj_stmt_text(s, 5, d);
    pj_stmt_text(s, 6, d);
    pj_stmt_int(s, 7, f->limit + 1);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(f->limit + 1));
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return pj_render_page(c, ids, n, f->limit, policy_read, w, err);
}

static const char *const policy_fields[] = {"title",      "issuer",      "issued_on",
                                            "valid_from", "valid_until", "benefit",
                                            "conditions", "version",     NULL};

static int read_date(json_t *b, const char *k, int req, const char **out, pj_err *err)
{
    int rc = pj_in_str(b, k, req, 10, 10, out, err);
    int32_t d;
    if (rc == 1 && pj_cal_parse(*out, &d))
        return pj_fail(err, 422, "invalid_value", k, "%s must be a date YYYY-MM-DD", k);
    return rc < 0 ? -1 : 0;
}

/* what a change may empty: the end of a policy's term */
static const char *const until_nullable[] = {"valid_until", NULL};

static int policy_save(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int create = id == 0;
    const char *title = NULL, *issuer = NULL, *issued = NULL, *vfrom = NULL, *vuntil = NULL,
               *benefit = NULL, *cond = NULL;
    int64_t version = 0;
    pj_rule *r = NULL;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, policy_fields, err) ||
        (!create && (pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
                     pj_in_no_null(body, until_nullable, err))) ||
        pj_in_text(body, "title", create, 1, 200, &title, err) < 0 ||
        pj_in_text(body, "issuer", create, 1, 100, &issuer, err) < 0 ||
        read_date(body, "issued_on", create, &issued, err) ||
        read_date(body, "valid_from", create, &vfrom, err) ||
        read_date(body, "valid_until", 0, &vuntil, err) ||
        pj_in_text(body, "benefit", 0, 0, 2000, &benefit, err) < 0 ||
        pj_in_str(body, "conditions", create, 1, PJ_RULE_MAX_LEN, &cond, err) < 0)
        return -1;
    if (create && json_object_get(body, "version"))
        return pj_fail(err, 422, "read_only", "version", "version is set by the server");
    /* null valid_until: the policy stays in force with no end */
    int open_ended = !create && pj_in_is_null(body, "valid_until");
    if (cond && ent_rule_accept(c, cond, "conditions", &r, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL;
    pj_stmt *s;
    /* the dates as they will be: valid_from ≤ valid_until; a change of dates rematches (a
     * policy coming into force notices its firms) */
    char *from_now = vfrom ? pj_arena_strdup(c->arena, vfrom) : NULL,
         *until_now = vuntil ? pj_arena_strdup(c->arena, vuntil) : NULL, *stored_cond = NULL,
         *issued_now = issued ? pj_arena_strdup(c->arena, issued) : NULL;
    if (!create) {
        s = pj_db_prepare(c->db,
                          "SELECT valid_from, valid_until, conditions, issued_on FROM"
                          " ent_policies WHERE id = ?",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        if (rc == 1) {
            if (!from_now) from_now = pj_arena_strdup(c->arena, pj_col_text(s, 0));
            if (!until_now && !open_ended && !pj_col_is_null(s, 1))
                until_now = pj_arena_strdup(c->arena, pj_col_text(s, 1));
            stored_cond = pj_arena_strdup(c->arena, pj_col_text(s, 2));
            if (!issued_now) issued_now = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        }
        pj_stmt_done(s);
        if (rc < 0) goto fail;
        if (rc == 0) {
            pj_not_found(err, "policy", id);
            goto fail;
        }
    }
    if (from_now && until_now && strcmp(from_now, until_now) > 0) {
        pj_fail(err, 422, "invalid_value", "valid_until", "valid_until %s is before valid_from %s",
                until_now, from_now);
        goto fail;
    }
    /* a policy is recorded once issued, and is not issued after its term has ended (checked on
     * what the change sends: a policy stored before these checks keeps its dates) */
    char today[11];
    pj_local_date(pj_now(), today);
    if (issued && strcmp(issued, today) > 0) {
        pj_fail(err, 422, "invalid_value", "issued_on",
                "issued_on %s is in the future: a policy is recorded once issued (today is %s,"
                " Beijing time); its term may begin later (valid_from)",
                issued, today);
        goto fail;
    }
    if ((issued || vuntil) && issued_now && until_now && strcmp(issued_now, until_now) > 0) {
        pj_fail(err, 422, "invalid_value", issued ? "issued_on" : "valid_until",
                "issued_on %s is after valid_until %s: a policy is not issued after its term has"
                " ended",
                issued_now, until_now);
        goto fail;
    }
    if (!r && (vfrom || vuntil || open_ended) && stored_cond &&
        pj_rule_compile(c->arena, stored_cond, "conditions", &r, err))
        goto fail;
    if (create) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_policies (title, issuer, issued_on, valid_from,"
                          " valid_until, benefit, conditions, created_at, updated_at)"
                          " VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, title);
        pj_stmt_text(s, 2, issuer);
        pj_stmt_text(s, 3, issued);
        pj_stmt_text(s, 4, vfrom);
        pj_stmt_text(s, 5, vuntil);
        pj_stmt_text(s, 6, benefit ? benefit : "");
        pj_stmt_text(s, 7, cond);
        pj_stmt_int(s, 8, pj_now());
        pj_stmt_int(s, 9, pj_now());
        int rc = pj_stmt_step(s, err);
        id = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc != 1) goto fail;
    } else {
        if (pj_version_check(c, "SELECT version FROM ent_policies WHERE id = ?", id, version,
                             "policy", err) ||
            !(before = pj_render_to_string(c, id, policy_render, err)))
            goto fail;
        s = pj_db_prepare(c->db,
                          "UPDATE ent_policies SET title = COALESCE(?1, title), issuer ="
                          " COALESCE(?2, issuer), issued_on = COALESCE(?3, issued_on), valid_from ="
                          " COALESCE(?4, valid_from), valid_until = CASE WHEN ?10 THEN NULL ELSE"
                          " COALESCE(?5, valid_until) END, benefit = COALESCE(?6, benefit),"
                          " conditions = COALESCE(?7, conditions), updated_at = ?8,"
                          " version = version + 1 WHERE id = ?9",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, title);
        pj_stmt_text(s, 2, issuer);
        pj_stmt_text(s, 3, issued);
        pj_stmt_text(s, 4, vfrom);
        pj_stmt_text(s, 5, vuntil);
        pj_stmt_text(s, 6, benefit);
        pj_stmt_text(s, 7, cond);
        pj_stmt_int(s, 8, pj_now());
        pj_stmt_int(s, 9, id);
        pj_stmt_int(s, 10, open_ended);
        if (pj_step_done(s, err)) goto fail;
    }
    int newly = 0, eligible = -1;
    if (r) {
        ent_firms fs;
        if (ent_firms_load(c, 0, &fs, err) ||
            match_policy(c, id, r, &fs, create ? "new_policy" : "policy_changed",
                         in_force(from_now, until_now), &newly, &eligible, err))
            goto fail;
    }
    char *after = pj_render_to_string(c, id, policy_render, err);
    if (!after) goto fail;
    /* the warnings of the rule as it now stands (the one sent, else the one stored) */
    char *warnings = ent_rule_warnings_text(c, cond ? cond : stored_cond, err);
    if (!warnings) goto fail;
    /* a change that changes nothing (the version alone, the same values again) keeps the
     * version and writes nothing: no audit row, no notice */
    int same = !create && pj_render_same(before, after);
    if (same) {
        pj_db_rollback(c->db);
        after = before;
        newly = 0;
    } else if (pj_audit_add(c, create ? "create" : "update", "ent_policy", id, before, after,
                            err) ||
               pj_db_commit(c->db, err))
        goto fail;
    pj_jw_obj(w);
    pj_jw_key(w, "policy");
    pj_jw_raw(w, after);
    pj_jw_kint(w, "newly_eligible", newly);
    pj_jw_key(w, "warnings");
    pj_jw_raw(w, warnings);
    pj_jw_obj_end(w);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_policy_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    return policy_save(c, 0, body, w, err);
}

int pj_ent_policy_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    return policy_save(c, id, body, w, err);
}

int pj_ent_policy_matches(pj_ctx *c, int64_t id, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    if (policy_visible(c, id, err)) return -1;
    int64_t town = ent_list_town(c);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT o.id, o.name, o.township_id FROM ent_policy_matches m"
                               " JOIN organisations o ON o.id = m.org_id WHERE m.policy_id = ?"
                               " AND o.id > ? AND (? = 0 OR o.township_id = ?)"
                               " ORDER BY o.id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, f->cursor);
    pj_stmt_int(s, 3, town);
    pj_stmt_int(s, 4, town);
    pj_stmt_int(s, 5, f->limit + 1);
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int n = 0, rc;
    int64_t last = 0;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < f->limit) {
        n++;
        last = pj_col_int(s, 0);
        pj_jw_obj(w);
        pj_jw_kint(w, "organisation_id", last);
        pj_render_text(w, "name", s, 1);
        pj_render_ref(w, "township_id", s, 2);
        pj_jw_obj_end(w);
    }
    int more = rc == 1;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, more, last);
    pj_jw_obj_end(w);
    return 0;
}

int pj_ent_policy_explain(pj_ctx *c, int64_t id, int64_t org, pj_jw *w, pj_err *err)
{
    if (c->actor.role == PJ_ROLE_ENTERPRISE) {
        if (org && org != c->actor.organisation_id)
            return pj_not_found(err, "enterprise", org); /* outside the caller's scope */
        org = c->actor.organisation_id;
        /* a firm may ask why it does not qualify for a policy in force; one not yet (or no
         * longer) in force it may not read, as GET /policies/{id}: its rule stays unseen */
        pj_stmt *s =
            pj_db_prepare(c->db, "SELECT 1 FROM ent_policies p WHERE p.id = ? AND " IN_FORCE, err);
        if (!s) return -1;
        char d[11];
        today(d);
        pj_stmt_int(s, 1, id);
        pj_stmt_text(s, 2, d);
        pj_stmt_text(s, 3, d);
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc <= 0) return rc < 0 ? -1 : pj_not_found(err, "policy", id);
    } else if (policy_visible(c, id, err))
        return -1;
    if (!org)
        return pj_fail(err, 400, "bad_query", "organisation_id", "organisation_id is required");
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT conditions, title FROM ent_policies WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    char *cond = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : NULL;
    /* the title, for a firm that no longer qualifies: it reads the policy through this only */
    char *title = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 1)) : NULL;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_rule *r;
    pj_rule_rec rec;
    if (ent_load_visible(c, org, &rec, err) ||
        pj_rule_compile(c->arena, cond, "conditions", &r, err))
        return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "policy_id", id);
    pj_jw_kint(w, "organisation_id", org);
    pj_jw_kstr(w, "title", title);
    pj_jw_kstr(w, "conditions", cond);
    clauses_json(w, r, &rec);
    pj_jw_obj_end(w);
    return 0;
}

int pj_ent_policy_notices_due(pj_ctx *c, pj_err *err)
{
    char d[11];
    today(d);
    if (pj_db_begin(c->db, err)) return -1;
    /* every matched firm of a policy in force today that was never told: it matched while the
     * policy was announced ahead of its valid_from */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT m.policy_id, m.org_id FROM ent_policy_matches m JOIN"
                               " ent_policies p ON p.id = m.policy_id WHERE " IN_FORCE
                               " AND NOT EXISTS (SELECT 1 FROM ent_notices n WHERE n.policy_id ="
                               " m.policy_id AND n.org_id = m.org_id) ORDER BY m.policy_id,"
                               " m.org_id",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, d);
    pj_stmt_text(s, 2, d);
    int n = 0, cap = 0, k;
    int64_t *pairs = NULL;
    while ((k = pj_stmt_step(s, err)) == 1) {
        pairs = pj_arena_room(c->arena, pairs, n, &cap, 2 * sizeof *pairs, 64); /* two a pair */
        pairs[2 * n] = pj_col_int(s, 0);
        pairs[2 * n + 1] = pj_col_int(s, 1);
        n++;
    }
    pj_stmt_done(s);
    if (k < 0) goto fail;
    int64_t now = pj_now();
    for (int i = 0, first = 0; i < n; i++) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_notices (org_id, policy_id, kind, created_at)"
                          " VALUES (?, ?, 'in_force', ?)",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, pairs[2 * i + 1]);
        pj_stmt_int(s, 2, pairs[2 * i]);
        pj_stmt_int(s, 3, now);
        if (pj_step_done(s, err)) goto fail;
        /* one audit row per policy: how many firms it told on the day it came into force */
        if (i + 1 == n || pairs[2 * (i + 1)] != pairs[2 * i]) {
            char after[96];
            snprintf(after, sizeof after, "{\"in_force_from\":\"%s\",\"notices\":%d}", d,
                     i + 1 - first);
            if (pj_audit_add(c, "notify", "ent_policy", pairs[2 * i], NULL, after, err)) goto fail;
            first = i + 1;
        }
    }
    if (pj_db_commit(c->db, err)) goto fail;
    return n;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_notice_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    int64_t org = ent_list_org(c, f->organisation_id, 0);
    int64_t town = ent_list_town(c);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT n.id, n.org_id, o.name, n.policy_id, p.title, n.kind, n.created_at,"
        " n.reception_day_id, n.old_date, n.new_date"
        " FROM ent_notices n JOIN organisations o ON o.id = n.org_id LEFT JOIN ent_policies p"
        " ON p.id = n.policy_id WHERE (? = 0 OR n.id < ?) AND (? = 0 OR n.org_id = ?) AND (? = 0 OR"
        " o.township_id = ?) AND (? = 0 OR n.policy_id = ?) AND (? = 0 OR n.policy_id IS NULL"
        " OR (" IN_FORCE " AND EXISTS (SELECT 1 FROM ent_policy_matches m WHERE m.policy_id ="
        " n.policy_id AND m.org_id = n.org_id)))"
        " ORDER BY n.id DESC LIMIT ?",
        err);
    if (!s) return -1;
    /* newest first, as the cooperation board: the cursor is the last id shown, the next page
     * holds the smaller ids (a notice made meanwhile takes a larger one: no page skips or
     * repeats a notice for it). A firm's notices: of policies in force today that it still
     * qualifies for (GET /policies/{id} answers 404 for any other: the notice linked to nothing),
     * and every one of a reception day (moved, cancelled, put back; every role reads the days) */
    char d[11];
    today(d);
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, f->policy_id);
    pj_stmt_int(s, i++, f->policy_id);
    pj_stmt_int(s, i++, c->actor.role == PJ_ROLE_ENTERPRISE);
    pj_stmt_text(s, i++, d);
    pj_stmt_text(s, i++, d);
    pj_stmt_int(s, i++, f->limit + 1);
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int n = 0, rc;
    int64_t last = 0;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < f->limit) {
        n++;
        last = pj_col_int(s, 0);
        pj_jw_obj(w);
        pj_jw_kint(w, "id", last);
        pj_jw_kint(w, "organisation_id", pj_col_int(s, 1));
        pj_render_text(w, "organisation", s, 2);
        pj_render_ref(w, "policy_id", s, 3);
        pj_render_text(w, "policy", s, 4);
        pj_render_text(w, "kind", s, 5);
        pj_render_time(w, "created_at", pj_col_int(s, 6));
        pj_render_ref(w, "reception_day_id", s, 7);
        pj_render_text(w, "old_date", s, 8);
        pj_render_text(w, "new_date", s, 9);
        pj_jw_obj_end(w);
    }
    int more = rc == 1;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, more, last);
    pj_jw_obj_end(w);
    return 0;
}

int pj_ent_org_rematch(pj_ctx *c, int64_t org, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "DELETE FROM ent_policy_matches WHERE org_id = ? AND NOT EXISTS"
                               " (SELECT 1 FROM organisations WHERE id = ? AND type ="
                               " 'enterprise')",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org);
    pj_stmt_int(s, 2, org);
    if (pj_step_done(s, err)) return -1;
    return org > 0 ? match_policies(c, org, "profile_changed", err) : 0;
}

int pj_ent_township_rematch(pj_ctx *c, int64_t town, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT COUNT(*) FROM organisations WHERE township_id = ? AND"
                               " type = 'enterprise'",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, town);
    int rc = pj_stmt_step(s, err);
    int n = rc == 1 ? (int)pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(n + 1));
    s = pj_db_prepare(c->db,
                      "SELECT id FROM organisations WHERE township_id = ? AND type = 'enterprise'"
                      " ORDER BY id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, town);
    int k = 0;
    while (k < n && (rc = pj_stmt_step(s, err)) == 1) ids[k++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    for (int i = 0; i < k; i++)
        if (pj_ent_org_rematch(c, ids[i], err)) return -1;
    return 0;
}

int ent_policies_match_all(pj_ctx *c, pj_err *err)
{
    return match_policies(c, 0, "new_policy", err);
}
