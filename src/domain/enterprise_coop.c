/* The cooperation board (企间合作): enterprises post offers and needs (supply, logistics,
 * processing, livestream, other) in a township; a post's counterparts are the open posts of
 * the other kind in the same category, same township first; a contact request to another
 * firm's post reveals the two organisations' contact details only once the receiver accepts.
 * A post's firm (or an officer in scope) corrects it or closes it once the need is met: a
 * closed post leaves the counterparts and takes no contact request, and can be opened again. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/enterprise_int.h"
#include "domain/registry.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

const char *const pj_coop_kinds[] = {"offer", "need", NULL};
const char *const pj_coop_categories[] = {"supply",     "logistics", "processing",
                                          "livestream", "other",     NULL};
const char *const pj_coop_post_states[] = {"open", "closed", NULL};
const char *const pj_coop_contact_states[] = {"pending", "accepted", "declined", NULL};

/* ---- posts ---- */

static int post_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT p.id, p.org_id, o.name, p.kind, p.category, p.township_id,"
                              " t.name, p.title, p.body, p.state, p.source, p.created_at,"
                              " p.version, o.township_id FROM ent_coop_posts p JOIN organisations o"
                              " ON o.id ="
                              " p.org_id LEFT JOIN regions t ON t.id = p.township_id WHERE"
                              " p.id = ?",
                              id, "cooperation post", err);
    if (!s) return -1;
    /* public: never the contact details (those come through an accepted contact request) */
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "organisation_id", pj_col_int(s, 1));
    pj_render_text(w, "organisation", s, 2);
    pj_render_text(w, "kind", s, 3);
    pj_render_text(w, "category", s, 4);
    pj_render_ref(w, "township_id", s, 5);
    pj_render_text(w, "township", s, 6);
    /* the firm's own township: the one whose officer may change the post (may differ from
     * the township the post is for) */
    pj_render_ref(w, "organisation_township_id", s, 13);
    pj_render_text(w, "title", s, 7);
    pj_render_text(w, "body", s, 8);
    pj_render_text(w, "state", s, 9);
    pj_render_text(w, "source", s, 10);
    pj_render_time(w, "created_at", pj_col_int(s, 11));
    pj_jw_kint(w, "version", pj_col_int(s, 12));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ent_post_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return post_render(c, id, w, err);
}

int pj_ent_post_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    /* a board is read newest first: a post just made heads the first page. Newest first as
     * the audit trail: the cursor is the last id shown, the next page holds the smaller ids
     * (a post made meanwhile takes a larger one: no page skips or repeats a post for it) */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ent_coop_posts WHERE (? = 0 OR id < ?) AND (? IS"
                               " NULL OR kind = ?) AND (? IS NULL OR category = ?) AND (? = 0 OR"
                               " township_id = ?) AND (? = 0 OR org_id = ?) AND (? IS NULL OR"
                               " state = ?) ORDER BY id DESC LIMIT ?",
                               err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_text(s, i++, f->kind);
    pj_stmt_text(s, i++, f->kind);
    pj_stmt_text(s, i++, f->category);
    pj_stmt_text(s, i++, f->category);
    pj_stmt_int(s, i++, f->township_id);
    pj_stmt_int(s, i++, f->township_id);
    pj_stmt_int(s, i++, f->organisation_id);
    pj_stmt_int(s, i++, f->organisation_id);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_int(s, i++, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, post_render, w, err);
}

int pj_ent_post_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"organisation_id", "kind", "category", "township_id",
                                         "title",           "body", NULL};
    const char *kind, *cat, *title, *text = "";
    int64_t org, town, ptown = 0;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_enum(body, "kind", 1, pj_coop_kinds, &kind, err) < 0 ||
        pj_in_enum(body, "category", 1, pj_coop_categories, &cat, err) < 0 ||
        pj_in_ref(body, "township_id", 0, &ptown, err) < 0 ||
        pj_in_text(body, "title", 1, 1, 200, &title, err) < 0 ||
        pj_in_text(body, "body", 0, 0, 2000, &text, err) < 0 ||
        ent_acting_org(c, body, &org, &town, err))
        return -1;
    if (ptown) {
        int rc = pj_render_exists(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'",
                                  ptown, err);
        if (rc <= 0)
            return rc < 0 ? -1
                          : pj_fail(err, 422, "unknown_id", "township_id", "no township %lld",
                                    (long long)ptown);
    } else
        ptown = town;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ent_coop_posts (org_id, kind, category, township_id,"
                               " title, body, created_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, org);
    pj_stmt_text(s, 2, kind);
    pj_stmt_text(s, 3, cat);
    if (ptown)
        pj_stmt_int(s, 4, ptown);
    else
        pj_stmt_null(s, 4);
    pj_stmt_text(s, 5, title);
    pj_stmt_text(s, 6, text);
    pj_stmt_int(s, 7, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    if (pj_render_commit(c, "create", "ent_coop_post", id, NULL, post_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* A post's firm, or an officer over that firm as for posting (ent_acting_org): the district's
 * officers, a township officer of the firm's township, changes it; state closes or reopens it. */
int pj_ent_post_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "state", "title", "body", "category", NULL};
    const char *state = NULL, *cat = NULL, *title = NULL, *text = NULL;
    int64_t version;
    /* null is never "keep it": {"title": null} was answered 200, the post unchanged */
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_no_null(body, NULL, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_enum(body, "state", 0, pj_coop_post_states, &state, err) < 0 ||
        pj_in_enum(body, "category", 0, pj_coop_categories, &cat, err) < 0 ||
        pj_in_text(body, "title", 0, 1, 200, &title, err) < 0 ||
        pj_in_text(body, "body", 0, 0, 2000, &text, err) < 0)
        return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT p.org_id, o.township_id FROM ent_coop_posts p JOIN"
                               " organisations o ON o.id = p.org_id WHERE p.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t org = rc == 1 ? pj_col_int(s, 0) : 0, town = rc == 1 ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    if (rc <= 0) return rc < 0 ? -1 : pj_not_found(err, "cooperation post", id);
    /* the board is public: another firm's post is seen, so changing it is refused, not hidden */
    if (c->actor.role == PJ_ROLE_ENTERPRISE ? c->actor.organisation_id != org : !ent_is_officer(c))
        return pj_fail(err, 403, "forbidden", "", "only the post's enterprise changes it");
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && town != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "", "outside your township");
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL;
    if (pj_version_check(c, "SELECT version FROM ent_coop_posts WHERE id = ?", id, version,
                         "cooperation post", err) ||
        !(before = pj_render_to_string(c, id, post_render, err)))
        goto fail;
    s = pj_db_prepare(c->db,
                      "UPDATE ent_coop_posts SET state = COALESCE(?, state), title = COALESCE(?,"
                      " title), body = COALESCE(?, body), category = COALESCE(?, category),"
                      " version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, state);
    pj_stmt_text(s, 2, title);
    pj_stmt_text(s, 3, text);
    pj_stmt_text(s, 4, cat);
    pj_stmt_int(s, 5, id);
    /* a PATCH that changes nothing writes nothing: the same version, no audit row */
    if (pj_step_done(s, err) ||
        pj_render_update_commit(c, "ent_coop_post", id, before, post_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* Counterparts: open posts of the other kind in the same category by other firms; same
 * township first, then by id. The cursor is the sort key (township group × 2^40 + id). */
int pj_ent_post_matches(pj_ctx *c, int64_t id, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT kind, category, township_id, org_id FROM ent_coop_posts WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    char kind[16] = "", cat[16] = "";
    int64_t town = 0, org = 0;
    if (rc == 1) {
        snprintf(kind, sizeof kind, "%s", pj_col_text(s, 0));
        snprintf(cat, sizeof cat, "%s", pj_col_text(s, 1));
        town = pj_col_int(s, 2);
        org = pj_col_int(s, 3);
    }
    pj_stmt_done(s);
    if (rc <= 0) return rc < 0 ? -1 : pj_not_found(err, "cooperation post", id);
    s = pj_db_prepare(c->db,
                      "SELECT id, k FROM (SELECT id, (CASE WHEN township_id = ? THEN 0 ELSE 1"
                      " END) * 1099511627776 + id AS k FROM ent_coop_posts WHERE kind != ? AND"
                      " category = ? AND state = 'open' AND org_id != ?) WHERE k > ? ORDER BY k"
                      " LIMIT ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, town);
    pj_stmt_text(s, 2, kind);
    pj_stmt_text(s, 3, cat);
    pj_stmt_int(s, 4, org);
    pj_stmt_int(s, 5, f->cursor);
    pj_stmt_int(s, 6, f->limit + 1);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(f->limit + 1));
    int64_t *keys = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(f->limit + 1));
    int n = 0;
    while (n <= f->limit && (rc = pj_stmt_step(s, err)) == 1) {
        ids[n] = pj_col_int(s, 0);
        keys[n++] = pj_col_int(s, 1);
    }
    pj_stmt_done(s);
    if (n <= f->limit && rc < 0) return -1;
    int more = n > f->limit;
    if (more) n = f->limit;
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    for (int i = 0; i < n; i++) {
        pj_jw_obj(w);
        pj_jw_kbool(w, "same_township", keys[i] < 1099511627776LL);
        pj_jw_key(w, "post");
        if (post_render(c, ids[i], w, err)) return -1;
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, more, more ? keys[n - 1] : 0);
    pj_jw_obj_end(w);
    return 0;
}

/* ---- contact requests ---- */

static void party_json(pj_ctx *c, pj_jw *w, const char *key, pj_stmt *s, int col, int reveal,
                       int64_t other_org)
{
    /* columns col..col+4: org id, name, contact name, contact phone, township; the phone in
     * full to those who see the firm's contacts anyway and, once accepted, to the other firm */
    pj_jw_key(w, key);
    pj_jw_obj(w);
    int64_t org = pj_col_int(s, col);
    pj_jw_kint(w, "organisation_id", org);
    pj_render_text(w, "name", s, col + 1);
    if (reveal) {
        pj_render_text(w, "contact_name", s, col + 2);
        const char *ph = pj_col_text(s, col + 3);
        int full = pj_org_sees_contacts(c, org, pj_col_int(s, col + 4)) ||
                   (c->actor.role == PJ_ROLE_ENTERPRISE && c->actor.organisation_id == other_org);
        pj_jw_kstr(w, "contact_phone", full ? ph : pj_mask(c->arena, ph, 3));
    }
    pj_jw_obj_end(w);
}

static int contact_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT k.id, k.post_id, p.title, k.message, k.state, k.created_at, k.responded_at,"
        " k.version, f.id, f.name, f.contact_name, f.contact_phone, f.township_id, t.id, t.name,"
        " t.contact_name, t.contact_phone, t.township_id FROM ent_coop_contacts k JOIN"
        " ent_coop_posts p ON p.id = k.post_id JOIN organisations f ON f.id = k.from_org_id JOIN"
        " organisations t ON t.id = p.org_id WHERE k.id = ?",
        id, "contact request", err);
    if (!s) return -1;
    /* contact details: to the two firms once the receiver accepted; officers always (a phone
     * masked unless they see that firm's contacts) */
    int reveal = ent_is_officer(c) || !strcmp(pj_col_text(s, 4), "accepted");
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "post_id", pj_col_int(s, 1));
    pj_render_text(w, "post_title", s, 2);
    pj_render_text(w, "message", s, 3);
    pj_render_text(w, "state", s, 4);
    pj_render_time(w, "created_at", pj_col_int(s, 5));
    pj_render_time_col(w, "responded_at", s, 6);
    pj_jw_kint(w, "version", pj_col_int(s, 7));
    party_json(c, w, "from", s, 8, reveal, pj_col_int(s, 13));
    party_json(c, w, "to", s, 13, reveal, pj_col_int(s, 8));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

/* Scope of one request: the two firms, officers of either firm's township, district, viewers. */
static int contact_scope(pj_ctx *c, int64_t id, int64_t *from, int64_t *to, char *state,
                         size_t state_size, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT k.from_org_id, p.org_id, f.township_id, t.township_id,"
                               " k.state FROM ent_coop_contacts k JOIN ent_coop_posts p ON p.id ="
                               " k.post_id JOIN organisations f ON f.id = k.from_org_id JOIN"
                               " organisations t ON t.id = p.org_id WHERE k.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t fo = 0, tor = 0, ft = 0, tt = 0;
    if (rc == 1) {
        fo = pj_col_int(s, 0);
        tor = pj_col_int(s, 1);
        ft = pj_col_int(s, 2);
        tt = pj_col_int(s, 3);
        if (state) snprintf(state, state_size, "%s", pj_col_text(s, 4));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "contact request", id);
    if (from) *from = fo;
    if (to) *to = tor;
    pj_err e2 = {0};
    if (!ent_can_see(c, fo, ft, "contact request", id, &e2)) return 0;
    return ent_can_see(c, tor, tt, "contact request", id, err);
}

int pj_ent_contact_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return contact_scope(c, id, NULL, NULL, NULL, 0, err) ? -1 : contact_render(c, id, w, err);
}

int pj_ent_contact_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    /* an enterprise: the requests it sent or received; the filter: those touching that firm
     * (for an enterprise, its requests with that firm). Newest first, as the board: the cursor
     * is the last id shown, the next page holds the smaller ids (a request made meanwhile
     * takes a larger one: no page skips or repeats a request for it) */
    int64_t own = ent_list_org(c, 0, 0), org = f->organisation_id;
    int64_t town = ent_list_town(c);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT k.id FROM ent_coop_contacts k JOIN ent_coop_posts p ON p.id = k.post_id JOIN"
        " organisations fo ON fo.id = k.from_org_id JOIN organisations t ON t.id = p.org_id"
        " WHERE (? = 0 OR k.id < ?) AND (? = 0 OR k.from_org_id = ? OR p.org_id = ?) AND (? = 0 OR"
        " k.from_org_id = ? OR p.org_id = ?) AND (? = 0 OR"
        " fo.township_id = ? OR t.township_id = ?) AND (? = 0 OR k.post_id = ?) AND (? IS NULL"
        " OR k.state = ?) ORDER BY k.id DESC LIMIT ?",
        err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, own);
    pj_stmt_int(s, i++, own);
    pj_stmt_int(s, i++, own);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, org);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, town);
    pj_stmt_int(s, i++, f->post_id);
    pj_stmt_int(s, i++, f->post_id);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_text(s, i++, f->state);
    pj_stmt_int(s, i++, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, contact_render, w, err);
}

int pj_ent_contact_create(pj_ctx *c, int64_t post_id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"organisation_id", "message", NULL};
    const char *msg;
    int64_t org, town;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_text(body, "message", 1, 1, 1000, &msg, err) < 0 ||
        ent_acting_org(c, body, &org, &town, err))
        return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT org_id, state FROM ent_coop_posts WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, post_id);
    int rc = pj_stmt_step(s, err);
    int64_t owner = rc == 1 ? pj_col_int(s, 0) : 0;
    int open = rc == 1 && !strcmp(pj_col_text(s, 1), "open");
    pj_stmt_done(s);
    if (rc <= 0) return rc < 0 ? -1 : pj_not_found(err, "cooperation post", post_id);
    if (owner == org)
        return pj_fail(err, 409, "own_post", "organisation_id", "this is your own post");
    if (!open) return pj_fail(err, 409, "wrong_state", "", "the post is closed");
    /* an accepted request gives each firm the other's contact: a firm asking with none on file
     * got the post's firm's name and phone and gave nothing back. It adds its own first (an
     * officer entering a request for a firm, at a reception day say, relays the contacts) */
    if (c->actor.role == PJ_ROLE_ENTERPRISE) {
        s = pj_db_prepare(c->db, "SELECT TRIM(contact_phone) <> '' FROM organisations WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, org);
        rc = pj_stmt_step(s, err);
        int reachable = rc == 1 && pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (!reachable)
            return pj_fail(
                err, 422, "missing_contact", "",
                "your organisation has no contact phone on file: the firm you write to gets"
                " your contact when it accepts; add contact_name and contact_phone to"
                " your organisation first");
    }
    s = pj_db_prepare(c->db,
                      "SELECT 1 FROM ent_coop_contacts WHERE post_id = ? AND from_org_id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, post_id);
    pj_stmt_int(s, 2, org);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 1)
        return pj_fail(err, 409, "conflict", "", "a contact request to this post exists already");
    if (pj_db_begin(c->db, err)) return -1;
    s = pj_db_prepare(c->db,
                      "INSERT INTO ent_coop_contacts (post_id, from_org_id, message, state,"
                      " created_at) VALUES (?,?,?,'pending',?) RETURNING id",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, post_id);
    pj_stmt_int(s, 2, org);
    pj_stmt_text(s, 3, msg);
    pj_stmt_int(s, 4, pj_now());
    rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    if (pj_render_commit(c, "create", "ent_coop_contact", id, NULL, contact_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_contact_respond(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "decision", NULL};
    static const char *const vals[] = {"accept", "decline", NULL};
    int64_t version, to;
    const char *dec;
    char state[16] = "";
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_enum(body, "decision", 1, vals, &dec, err) < 0 ||
        contact_scope(c, id, NULL, &to, state, sizeof state, err))
        return -1;
    /* the receiver's consent: only the firm whose post it is decides */
    if (c->actor.role != PJ_ROLE_ENTERPRISE || c->actor.organisation_id != to)
        return pj_fail(err, 403, "forbidden", "", "only the receiving enterprise decides");
    if (strcmp(state, "pending"))
        return pj_fail(err, 409, "wrong_state", "decision", "the request was %s already", state);
    if (pj_db_begin(c->db, err)) return -1;
    char *before = NULL;
    if (pj_version_check(c, "SELECT version FROM ent_coop_contacts WHERE id = ?", id, version,
                         "contact request", err) ||
        !(before = pj_render_to_string(c, id, contact_render, err)))
        goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE ent_coop_contacts SET state = ?, responded_at = ?, version"
                               " = version + 1 WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, !strcmp(dec, "accept") ? "accepted" : "declined");
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, id);
    if (pj_step_done(s, err) ||
        pj_render_commit(c, "respond", "ent_coop_contact", id, before, contact_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
