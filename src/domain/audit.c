#include "domain/audit.h"

#include <stdio.h>

#include "core/util.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

/* ?1 the time, ?2 the acting user (NULL for the system), ?3 their name ("system") */
static void bind_when_who(pj_ctx *c, pj_stmt *s)
{
    pj_stmt_int(s, 1, pj_now());
    if (c->actor.user_id)
        pj_stmt_int(s, 2, c->actor.user_id);
    else
        pj_stmt_null(s, 2);
    pj_stmt_text(s, 3, c->actor.username ? c->actor.username : "system");
}

int pj_audit_add(pj_ctx *c, const char *action, const char *entity, int64_t entity_id,
                 const char *before, const char *after, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "INSERT INTO audit (at, user_id, username, action, entity, entity_id,"
                      " before_json, after_json, request_id) VALUES (?,?,?,?,?,?,?,?,?)",
                      err);
    if (!s) return -1;
    bind_when_who(c, s);
    pj_stmt_text(s, 4, action);
    pj_stmt_text(s, 5, entity);
    if (entity_id)
        pj_stmt_int(s, 6, entity_id);
    else
        pj_stmt_null(s, 6);
    pj_stmt_text(s, 7, before);
    pj_stmt_text(s, 8, after);
    pj_stmt_text(s, 9, c->request_id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_audit_reveals(pj_ctx *c, const pj_reveals *r, pj_err *err)
{
    if (c->unsent || !r->n) return 0;
    /* one statement for every row (a district's vulnerable list is some 45,000): the records
     * as one JSON array [["elder",1],["helper",7],…], each row as pj_audit_add writes it */
    pj_buf b;
    pj_buf_init(&b, (size_t)1 << 30);
    pj_buf_putc(&b, '[');
    for (size_t i = 0; i < r->n; i++)
        pj_buf_printf(&b, "%s[\"%s\",%lld]", i ? "," : "", r->entity[i], (long long)r->id[i]);
    pj_buf_putc(&b, ']');
    pj_buf_putc(&b, 0);
    if (b.overflow) {
        pj_buf_free(&b);
        return pj_fail(err, 500, "internal", "", "out of memory");
    }
    int rc = -1;
    if (pj_db_begin(c->db, err)) goto out;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "INSERT INTO audit (at, user_id, username, action, entity, entity_id, before_json,"
        " after_json, request_id) SELECT ?1, ?2, ?3, 'read_unmasked', json_extract(value, '$[0]'),"
        " json_extract(value, '$[1]'), NULL, NULL, ?4 FROM json_each(?5) ORDER BY key",
        err);
    if (!s) {
        pj_db_rollback(c->db);
        goto out;
    }
    bind_when_who(c, s);
    pj_stmt_text(s, 4, c->request_id);
    pj_stmt_text(s, 5, b.data);
    if (pj_step_done(s, err)) {
        pj_db_rollback(c->db);
        goto out;
    }
    rc = pj_db_commit(c->db, err);
out:
    pj_buf_free(&b);
    return rc;
}

int64_t pj_audit_last_at(pj_ctx *c)
{
    pj_err e = {0};
    /* the newest write's: a log-in, a failed one, a log-out or an unmasked read changes no
     * data, so it must not change the export's time (nor its bytes, nor a HEAD's length) */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT at FROM audit WHERE action NOT IN ('login', 'login_failed',"
                               " 'login_locked', 'logout', 'read_unmasked') ORDER BY id DESC"
                               " LIMIT 1",
                               &e);
    if (!s) return 0;
    int64_t at = pj_stmt_step(s, &e) == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return at;
}

/* The user name the filter `name` stands for: itself, or, when no account is so named and
 * exactly one account shows it as its display name, that account's (the console shows display
 * names: 管理员 typed in the filter found nothing beside rows showing 管理员). One name either
 * way, so the filter stays one range of the (username, id) index. */
static const char *audit_username(pj_ctx *c, const char *name)
{
    pj_err e;
    pj_err_clear(&e);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT (SELECT COUNT(*) FROM users WHERE username = ?1),"
                               " (SELECT COUNT(*) FROM users WHERE display_name = ?1 AND"
                               " display_name <> ''), (SELECT username FROM users WHERE"
                               " display_name = ?1 AND display_name <> '' LIMIT 1)",
                               &e);
    if (!s) return name;
    pj_stmt_text(s, 1, name);
    const char *out = name;
    if (pj_stmt_step(s, &e) == 1 && pj_col_int(s, 0) == 0 && pj_col_int(s, 1) == 1)
        out = pj_arena_strdup(c->arena, pj_col_text(s, 2));
    pj_stmt_done(s);
    return out;
}

int pj_audit_list(pj_ctx *c, const pj_audit_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    const char *username = f->username ? audit_username(c, f->username) : NULL;
    /* only the filters given, as plain comparisons, so that an index serves them: a record's
     * history is one range of (entity, entity_id), an entity's entries one of (entity, id), a
     * user's one of (user_id); written "? IS NULL OR entity = ?" no index could be used and
     * every filter read the trail from the newest entry down (the whole trail for a filter
     * that matches nothing) */
    /* the accounts' own rows (created, changed, log-ins with the client's address, failed
     * log-ins with the name tried) are the user administration's: a district officer, who may
     * read no account but their own, reads only their own account's */
    int accounts = c->actor.role == PJ_ROLE_ADMIN;
    const char *sql = pj_arena_printf(
        c->arena,
        "SELECT id, at, user_id, username, action, entity, entity_id, before_json, after_json,"
        " request_id, (SELECT NULLIF(u.display_name, '') FROM users u WHERE u.id ="
        " audit.user_id) FROM audit WHERE 1 = 1%s%s%s%s%s%s%s%s%s ORDER BY id DESC LIMIT ?",
        accounts ? "" : " AND (entity <> 'user' OR entity_id = ?)",
        f->entity ? " AND entity = ?" : "", f->action ? " AND action = ?" : "",
        f->username ? " AND username = ?" : "", f->entity_id ? " AND entity_id = ?" : "",
        f->user_id ? " AND user_id = ?" : "", f->since ? " AND at >= ?" : "",
        f->until ? " AND at < ?" : "", f->cursor ? " AND id < ?" : "");
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    if (!accounts) pj_stmt_int(s, i++, c->actor.user_id);
    if (f->entity) pj_stmt_text(s, i++, f->entity);
    if (f->action) pj_stmt_text(s, i++, f->action);
    if (f->username) pj_stmt_text(s, i++, username);
    if (f->entity_id) pj_stmt_int(s, i++, f->entity_id);
    if (f->user_id) pj_stmt_int(s, i++, f->user_id);
    if (f->since) pj_stmt_int(s, i++, f->since);
    if (f->until) pj_stmt_int(s, i++, f->until);
    if (f->cursor) pj_stmt_int(s, i++, f->cursor);
    pj_stmt_int(s, i++, f->limit + 1);
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int n = 0, rc;
    int64_t last = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        if (n == f->limit) break;
        n++;
        last = pj_col_int(s, 0);
        char at[21];
        pj_time_iso(pj_col_int(s, 1), at);
        pj_jw_obj(w);
        pj_jw_kint(w, "id", last);
        pj_jw_kstr(w, "at", at);
        if (pj_col_is_null(s, 2))
            pj_jw_knull(w, "user_id");
        else
            pj_jw_kint(w, "user_id", pj_col_int(s, 2));
        pj_jw_kstr(w, "username", pj_col_text(s, 3));
        /* who acted by their display name, as every record's `_by_name` (null: none, or an
         * actor of the platform's own: cli, demo, system) */
        if (pj_col_is_null(s, 10))
            pj_jw_knull(w, "username_name");
        else
            pj_jw_kstr(w, "username_name", pj_col_text(s, 10));
        pj_jw_kstr(w, "action", pj_col_text(s, 4));
        pj_jw_kstr(w, "entity", pj_col_text(s, 5));
        if (pj_col_is_null(s, 6))
            pj_jw_knull(w, "entity_id");
        else
            pj_jw_kint(w, "entity_id", pj_col_int(s, 6));
        pj_jw_key(w, "before");
        pj_jw_raw(w, pj_col_text(s, 7));
        pj_jw_key(w, "after");
        pj_jw_raw(w, pj_col_text(s, 8));
        pj_jw_kstr(w, "request_id", pj_col_text(s, 9));
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
