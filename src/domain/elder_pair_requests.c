/* Pairing requests (结对申请): a grid worker, who knows the elders and helpers of their grids,
 * asks for an elder to be paired with a helper; the township's officer (or the district) accepts
 * it — the pair is made then, as a pair by hand, with the checks of that moment — or declines it
 * with a reason; the grid worker may withdraw it while it waits. One request waits per elder. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/elder.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

const char *const pj_pair_request_states[] = {"pending", "accepted", "declined", "withdrawn", NULL};

static int request_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT r.id, r.elder_id, e.name, e.grid_id, g.name, r.helper_id, h.name, r.note,"
        " r.state, r.requested_by, r.requested_at, r.decided_by, r.decided_at, r.decision_note,"
        " r.pair_id, r.version, " PJ_SQL_BY_NAME_OF "r.requested_by" PJ_SQL_BY_NAME_END
        ", " PJ_SQL_BY_NAME_OF "r.decided_by" PJ_SQL_BY_NAME_END
        " FROM elder_pair_requests r JOIN elders e ON e.id = r.elder_id JOIN helpers h ON h.id ="
        " r.helper_id LEFT JOIN regions g ON g.id = e.grid_id WHERE r.id = ?",
        id, "pairing request", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "elder_id", pj_col_int(s, 1));
    pj_render_text(w, "elder_name", s, 2);
    pj_render_ref(w, "grid_id", s, 3);
    pj_render_text(w, "grid_name", s, 4);
    pj_jw_kint(w, "helper_id", pj_col_int(s, 5));
    pj_render_text(w, "helper_name", s, 6);
    pj_render_text(w, "note", s, 7);
    pj_render_text(w, "state", s, 8);
    pj_render_by(w, "requested_by", s, 9, 16);
    pj_render_time(w, "requested_at", pj_col_int(s, 10));
    pj_render_by(w, "decided_by", s, 11, 17);
    pj_render_time_col(w, "decided_at", s, 12);
    pj_render_text(w, "decision_note", s, 13);
    pj_render_ref(w, "pair_id", s, 14);
    pj_jw_kint(w, "version", pj_col_int(s, 15));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

/* The request's elder in the caller's scope (a grid worker's grids, a township officer's
 * township): 404 when there is no such request or the caller may not see it. */
static int request_scope(pj_ctx *c, int64_t id, int64_t *eid, pj_err *err)
{
    if (pj_el_require_personal(c, err) ||
        pj_el_int(c, "SELECT elder_id FROM elder_pair_requests WHERE id = ?", id, 0, eid, err))
        return -1;
    int64_t grid = 0, town = 0;
    int in = 0;
    if (*eid && pj_el_scope_of(c, "elder", *eid, &grid, &town, err)) return -1;
    if (*eid && (in = pj_el_in_scope(c, grid, town, err)) < 0) return -1;
    if (!in) return pj_not_found(err, "pairing request", id);
    return 0;
}

int pj_pair_request_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int64_t eid;
    return request_scope(c, id, &eid, err) ? -1 : request_render(c, id, w, err);
}

int pj_pair_request_list(pj_ctx *c, const char *state, int64_t elder_id, int64_t cursor, int limit,
                         pj_jw *w, pj_err *err)
{
    if (pj_el_require_personal(c, err) || pj_el_filter_check(c, "elder", elder_id, "elder_id", err))
        return -1;
    const char *sql = pj_arena_printf(
        c->arena,
        "SELECT r.id FROM elder_pair_requests r JOIN elders e ON e.id = r.elder_id WHERE r.id < ?"
        "%s AND (? = 0 OR r.elder_id = ?) AND (? IS NULL OR r.state = ?) ORDER BY r.id DESC"
        " LIMIT ?",
        pj_el_scope_sql(c, "e"));
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, cursor ? cursor : INT64_MAX);
    pj_el_scope_bind(c, s, &i);
    pj_stmt_int(s, i++, elder_id);
    pj_stmt_int(s, i++, elder_id);
    pj_stmt_text(s, i++, state);
    pj_stmt_text(s, i++, state);
    pj_stmt_int(s, i++, limit + 1);
    return pj_render_query_page(c, s, limit, request_render, w, err);
}

/* Sets request id's state with who decided, now, note and pair (0: none); 0 or -1 with err. */
static int request_set(pj_ctx *c, int64_t id, const char *state, const char *note, int64_t pair,
                       pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE elder_pair_requests SET state = ?, decided_by = ?,"
                               " decided_at = ?, decision_note = ?, pair_id = ?, version = version"
                               " + 1 WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, state);
    pj_stmt_text(s, 2, c->actor.username ? c->actor.username : "system");
    pj_stmt_int(s, 3, pj_now());
    pj_stmt_text(s, 4, note ? note : "");
    if (pair)
        pj_stmt_int(s, 5, pair);
    else
        pj_stmt_null(s, 5);
    pj_stmt_int(s, 6, id);
    return pj_step_done(s, err);
}

int pj_el_pair_requests_close(pj_ctx *c, const char *who, int64_t id, const char *note,
                              int64_t pair_id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               !strcmp(who, "helper")
                                   ? "SELECT id FROM elder_pair_requests WHERE helper_id = ? AND"
                                     " state = 'pending' ORDER BY id"
                                   : "SELECT id FROM elder_pair_requests WHERE elder_id = ? AND"
                                     " state = 'pending' ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int64_t *ids;
    int n = pj_stmt_ids(c, s, &ids, err);
    for (int i = 0; i < n; i++) {
        char *before = pj_render_to_string(c, ids[i], request_render, err), *after;
        if (!before || request_set(c, ids[i], "declined", note, pair_id, err) ||
            !(after = pj_render_to_string(c, ids[i], request_render, err)) ||
            pj_audit_add(c, "decline", "pair_request", ids[i], before, after, err))
            return -1;
    }
    return n < 0 ? -1 : 0;
}

int pj_pair_request_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"elder_id", "helper_id", "note", NULL};
    int64_t eid, hid, grid = 0, town = 0, paired = 0;
    const char *note = NULL;
    if (pj_ctx_require(c, err, PJ_ROLE_GRID_WORKER, PJ_ROLE_NONE)) {
        /* say who does what instead: an officer pairs by hand */
        if (err->status == 403)
            pj_fail(err, 403, "forbidden", "",
                    "a pairing request is a grid worker's; officers pair by hand (POST "
                    "/api/v1/pairs) or accept requests");
        return -1;
    }
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "elder_id", 1, 1, INT64_MAX, &eid, err) < 0 ||
        pj_in_int(body, "helper_id", 1, 1, INT64_MAX, &hid, err) < 0 ||
        pj_in_text(body, "note", 0, 0, 200, &note, err) < 0)
        return -1;
    int64_t found = 0;
    if (pj_el_int(c, "SELECT id FROM elders WHERE id = ?", eid, 0, &found, err)) return -1;
    if (!found) return pj_fail(err, 422, "unknown_id", "elder_id", "no elder %lld", (long long)eid);
    if (pj_el_scope_of(c, "elder", eid, &grid, &town, err)) return -1;
    int in = pj_el_in_scope(c, grid, town, err);
    if (in < 0) return -1;
    if (!in)
        return pj_fail(err, 422, "unknown_id", "elder_id", "elder %lld is in none of your grids",
                       (long long)eid);
    if (pj_db_begin(c->db, err)) return -1;
    int64_t pending = 0;
    if (pj_el_int(c, "SELECT id FROM elder_pair_requests WHERE elder_id = ? AND state = 'pending'",
                  eid, 0, &pending, err) ||
        pj_el_int(c, "SELECT id FROM elder_pairs WHERE elder_id = ? AND state = 'active'", eid, 0,
                  &paired, err))
        goto fail;
    if (paired) {
        pj_fail(err, 409, "already_paired", "elder_id", "the elder has an active pair (pair %lld)",
                (long long)paired);
        goto fail;
    }
    if (pending) {
        pj_fail(err, 409, "request_pending", "elder_id",
                "a request to pair the elder waits already (request %lld): withdraw it first",
                (long long)pending);
        goto fail;
    }
    /* what a pair by hand would refuse now (another township, skills, sex, no place left) */
    if (pj_el_pair_check(c, eid, hid, err)) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO elder_pair_requests (elder_id, helper_id, note,"
                               " requested_by, requested_at) VALUES (?,?,?,?,?) RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, eid);
    pj_stmt_int(s, 2, hid);
    pj_stmt_text(s, 3, note ? note : "");
    pj_stmt_text(s, 4, c->actor.username);
    pj_stmt_int(s, 5, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (!id || pj_render_commit(c, "create", "pair_request", id, NULL, request_render, w, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* A decision on request id (action "accept", "decline" or "withdraw") with its body. */
int pj_pair_request_decide(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                           pj_err *err)
{
    static const char *const accept_f[] = {"version", "start_date", NULL};
    static const char *const decline_f[] = {"version", "note", NULL};
    static const char *const withdraw_f[] = {"version", NULL};
    int accept = !strcmp(action, "accept"), decline = !strcmp(action, "decline");
    int64_t eid = 0, hid = 0, version, grid = 0, town = 0;
    const char *start = NULL, *note = NULL;
    int64_t today = pj_el_today(c, pj_now());
    const char *const *fields = accept ? accept_f : decline ? decline_f : withdraw_f;
    /* the body's shape first, then the request and who may decide it */
    if (pj_el_require_personal(c, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) || request_scope(c, id, &eid, err) ||
        pj_el_scope_of(c, "elder", eid, &grid, &town, err))
        return -1;
    if (accept || decline) {
        if (pj_el_officer_check(c, town, err)) return -1;
    } else if (pj_ctx_require(c, err, PJ_ROLE_GRID_WORKER, PJ_ROLE_NONE))
        return -1;
    if (pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        (accept && pj_el_in_date(body, "start_date", 0, 1, today, &start, err) < 0) ||
        (decline && pj_in_text(body, "note", 1, 1, 200, &note, err) < 0))
        return -1;
    char day[11];
    pj_el_date(today, day);
    if (!start) start = day;
    if (pj_db_begin(c->db, err)) return -1;
    char *before;
    if (pj_version_check(c, "SELECT version FROM elder_pair_requests WHERE id = ?", id, version,
                         "pairing request", err) ||
        !(before = pj_render_to_string(c, id, request_render, err)))
        goto fail;
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT state, helper_id, requested_by, note FROM elder_pair_requests WHERE id = ?",
        err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    /* the texts whole (a note of 200 characters is up to 800 bytes), in the arena */
    const char *state = "", *by = "", *asked = "";
    if (pj_stmt_step(s, err) == 1) {
        state = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        hid = pj_col_int(s, 1);
        by = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        asked = pj_arena_strdup(c->arena, pj_col_text(s, 3));
    }
    pj_stmt_done(s);
    if (strcmp(state, "pending")) {
        pj_fail(err, 409, "invalid_state", "id", "the request was %s already", state);
        goto fail;
    }
    /* the request answered first, so that the pair it makes finds no request of the elder
     * waiting (pj_el_pair_requests_close); then the pair, checked as a pair by hand is now
     * (the helper may have no place left), named in the request */
    if (request_set(c, id, accept ? "accepted" : decline ? "declined" : "withdrawn", note, 0, err))
        goto fail;
    if (accept) {
        const char *reason = *asked ? pj_arena_printf(c->arena, "requested by %s: %s", by, asked)
                                    : pj_arena_printf(c->arena, "requested by %s", by);
        int64_t pair = pj_el_pair_add(c, eid, hid, start, reason, err);
        char *made;
        if (!pair || !(made = pj_render_to_string(c, pair, pj_el_pair_render, err)) ||
            pj_audit_add(c, "create", "pair", pair, NULL, made, err))
            goto fail;
        s = pj_db_prepare(c->db, "UPDATE elder_pair_requests SET pair_id = ? WHERE id = ?", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, pair);
        pj_stmt_int(s, 2, id);
        if (pj_step_done(s, err)) goto fail;
    }
    if (pj_render_commit(c, action, "pair_request", id, before, request_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
