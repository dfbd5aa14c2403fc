/* E-commerce: live sessions, local products with their monthly sales by channel, the KPIs. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/ec_livestream.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
#include "domain/indicator.h"
#include "domain/input.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

/* masked: the audit row's snapshot, with the streamer's name masked (audit rows are never
 * changed: a name in them would outlive the streamer's anonymising) */
static int session_render_mode(pj_ctx *c, int64_t id, pj_jw *w, int masked, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT e.id, e.streamer_id, x.name, e.studio_id, e.platform, e.day,"
                              " e.duration_min, e.orders, e.gmv_fen, e.source, e.created_at,"
                              " e.created_by, x.anonymised, e.updated_at, e.version,"
                              " " PJ_SQL_BY_NAME_OF "e.created_by" PJ_SQL_BY_NAME_END ","
                              " EXISTS (SELECT 1 FROM ac_practice a WHERE a.session_id = e.id)"
                              " FROM ec_sessions e JOIN ec_streamers x ON x.id = e.streamer_id"
                              " WHERE e.id = ?",
                              id, "session", err);
    if (!s) return -1;
    int rc;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "streamer_id", pj_col_int(s, 1));
    if (masked && !pj_col_int(s, 12))
        pj_jw_kstr(w, "streamer", pj_mask_name(c->arena, pj_col_text(s, 2)));
    else
        pj_render_text(w, "streamer", s, 2);
    pj_render_ref(w, "studio_id", s, 3);
    pj_render_text(w, "platform", s, 4);
    pj_render_text(w, "date", s, 5);
    pj_jw_kint(w, "duration_min", pj_col_int(s, 6));
    pj_jw_kint(w, "orders", pj_col_int(s, 7));
    pj_jw_kint(w, "gmv_fen", pj_col_int(s, 8));
    pj_render_text(w, "source", s, 9);
    pj_render_time(w, "created_at", pj_col_int(s, 10));
    pj_render_by(w, "created_by", s, 11, 15);
    pj_render_time(w, "updated_at", pj_col_is_null(s, 13) ? pj_col_int(s, 10) : pj_col_int(s, 13));
    pj_jw_kint(w, "version", pj_col_int(s, 14));
    /* counted as an enrolment's practical training: its date and duration stay, it stays (a
     * figure of the answer, not of the session's audit rows) */
    if (!masked) pj_jw_kbool(w, "practice", (int)pj_col_int(s, 16));
    pj_stmt_done(s);
    s = pj_db_prepare(c->db,
                      "SELECT product_id FROM ec_session_products WHERE session_id = ? ORDER BY"
                      " product_id LIMIT 100",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_jw_key(w, "product_ids");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) pj_jw_int(w, pj_col_int(s, 0));
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

static int session_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return session_render_mode(c, id, w, 0, err);
}

static int session_render_masked(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return session_render_mode(c, id, w, 1, err);
}

static int q_day(const char *s, const char *field, pj_err *err)
{
    if (s && ec_date(s, NULL, NULL, NULL, NULL))
        return pj_fail(err, 400, "bad_query", field, "%s must be a date YYYY-MM-DD", field);
    return 0;
}

int pj_ec_session_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (q_day(f->from, "from", err) || q_day(f->to, "to", err)) return -1;
    if (f->from && f->to && strcmp(f->from, f->to) > 0)
        return pj_q_range_fail("from", f->from, "to", f->to, err);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ec_sessions WHERE id > ? AND (? = 0 OR streamer_id"
                               " = ?) AND (? IS NULL OR day >= ?) AND (? IS NULL OR day <= ?)"
                               " ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->streamer_id);
    pj_stmt_int(s, 3, f->streamer_id);
    pj_stmt_text(s, 4, f->from);
    pj_stmt_text(s, 5, f->from);
    pj_stmt_text(s, 6, f->to);
    pj_stmt_text(s, 7, f->to);
    pj_stmt_int(s, 8, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, session_render, w, err);
}

int pj_ec_session_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    int rc = session_render(c, id, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

/* A session's values as a request gives them (create: all; update: those present over the
 * stored ones). */
typedef struct session_in {
    int64_t streamer, studio, dur, orders, gmv;
    const char *platform, *date;
    json_t *pids; /* NULL: none (update: the stored ones kept unless product_ids is given) */
} session_in;

static const char *const session_fields[] = {
    "version",      "streamer_id", "studio_id", "platform",    "date",
    "duration_min", "orders",      "gmv_fen",   "product_ids", NULL};

static int session_body(json_t *b, int create, session_in *x, pj_err *err)
{
    if ((create && pj_in_ref(b, "streamer_id", 1, &x->streamer, err) < 0) ||
        pj_in_ref(b, "studio_id", 0, &x->studio, err) < 0 ||
        pj_in_enum(b, "platform", create, pj_ec_platforms, &x->platform, err) < 0 ||
        pj_in_str(b, "date", create, 10, 10, &x->date, err) < 0 ||
        pj_in_int(b, "duration_min", create, 1, 24 * 60, &x->dur, err) < 0 ||
        pj_in_int(b, "orders", create, 0, 100000000, &x->orders, err) < 0 ||
        pj_in_int(b, "gmv_fen", create, 0, INT64_C(1000000000000000), &x->gmv, err) < 0)
        return -1;
    if (!create)
        for (int k = 3; session_fields[k]; k++)
            if (strcmp(session_fields[k], "product_ids") &&
                json_is_null(json_object_get(b, session_fields[k])))
                return pj_fail(err, 422, "invalid_value", session_fields[k], "%s may not be null",
                               session_fields[k]);
    json_t *pids = json_object_get(b, "product_ids");
    x->pids = NULL;
    if (pids && !json_is_null(pids)) {
        if (pj_in_list(pids, "product_ids", 50, "product ids", err)) return -1;
        for (size_t i = 0; i < json_array_size(pids); i++) {
            json_t *v = json_array_get(pids, i);
            if (!json_is_integer(v) || json_integer_value(v) < 1)
                return pj_fail(err, 422, "wrong_type", "product_ids", "product_ids holds ids");
        }
        x->pids = pids;
    }
    return 0;
}

/* The streamer of a session: 422 unknown_id when missing (or, for a new session, deleted),
 * the actor's scope over it (the streamer rule; a refusal at field: "streamer_id" for a new
 * session, "id" for a stored one), its birth date into *birth and its guardian's consent date
 * into *consent (NULL when none; consent may be NULL) and whether it is anonymised. */
static int session_streamer(pj_ctx *c, int64_t streamer, const char *field, const char **birth,
                            const char **consent, int *anon, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT x.township_id, x.organisation_id, x.anonymised,"
                               " o.township_id, x.birth_date, x.guardian_consent_date FROM"
                               " ec_streamers x LEFT JOIN organisations o ON o.id ="
                               " x.organisation_id WHERE x.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, streamer);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0, org = rc == 1 ? pj_col_int(s, 1) : 0;
    int64_t org_town = rc == 1 ? pj_col_int(s, 3) : 0;
    *anon = rc == 1 && pj_col_int(s, 2);
    *birth = rc == 1 && !pj_col_is_null(s, 4) ? pj_arena_strdup(c->arena, pj_col_text(s, 4)) : NULL;
    if (consent)
        *consent =
            rc == 1 && !pj_col_is_null(s, 5) ? pj_arena_strdup(c->arena, pj_col_text(s, 5)) : NULL;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", "streamer_id", "no streamer %lld",
                       (long long)streamer);
    return ec_streamer_scope(c, town, org, org_town, field, err);
}

int ec_session_age(const char *date, const char *birth, const char *consent, pj_err *err)
{
    int64_t day;
    int y, m, d;
    if (ec_date(date, &day, NULL, NULL, NULL)) return 0;
    if (birth && !ec_date(birth, NULL, &y, &m, &d) && pj_ec_age(y, m, d, day) < 16) {
        char s16[11]; /* the 16th birthday (29 February: 1 March of a common year) */
        ec_day_str(pj_days_from_civil(y + 16, m, 1) + d - 1, s16);
        return pj_fail(err, 422, "invalid_value", "date",
                       "the streamer was under 16 on %s (16 from %s): a session is from the 16th"
                       " birthday on",
                       date, s16);
    }
    /* a minor works with the guardian's consent given that day or before */
    int64_t cday;
    if (birth && !ec_date(birth, NULL, &y, &m, &d) && pj_ec_age(y, m, d, day) < 18 &&
        (!consent || ec_date(consent, &cday, NULL, NULL, NULL) || cday > day)) {
        if (consent)
            return pj_fail(err, 422, "guardian_consent_required", "date",
                           "the streamer was under 18 on %s and the guardian's consent is dated"
                           " %s, after it: a session of a streamer of 16 or 17 is from the"
                           " consent on",
                           date, consent);
        return pj_fail(err, 422, "guardian_consent_required", "date",
                       "the streamer was under 18 on %s and has no guardian's consent on record",
                       date);
    }
    return 0;
}

/* The rules of a session as it will be stored: a date not in the future and not before the
 * streamer's 16th birthday, at 16 and 17 on or after the guardian's consent (as an enrolment),
 * GMV only with orders, known studio and products. */
static int session_check(pj_ctx *c, const session_in *x, const char *birth, const char *consent,
                         pj_err *err)
{
    int64_t day;
    if (ec_date(x->date, &day, NULL, NULL, NULL) || day > ec_today())
        return pj_fail(err, 422, "invalid_value", "date", "date must be a date, not in the future");
    /* as the zone's monthly sales: 1900-01-01 is a slip, not a session */
    if (strncmp(x->date, PJ_EC_SALES_FIRST_MONTH, 7) < 0)
        return pj_fail(err, 422, "invalid_value", "date",
                       "date %s is before %s: sessions are recorded from " PJ_EC_SALES_FIRST_MONTH
                       "-01 on",
                       x->date, PJ_EC_SALES_FIRST_MONTH);
    if (ec_session_age(x->date, birth, consent, err)) return -1;
    if (x->gmv > 0 && x->orders == 0)
        return pj_fail(err, 422, "invalid_value", "orders",
                       "a session with GMV (gmv_fen %lld) has at least one order",
                       (long long)x->gmv);
    if (x->studio &&
        ec_ref(c, "SELECT 1 FROM ec_studios WHERE id = ?", x->studio, "studio_id", err))
        return -1;
    for (size_t i = 0; x->pids && i < json_array_size(x->pids); i++)
        if (ec_ref(c, "SELECT 1 FROM ec_products WHERE id = ?",
                   json_integer_value(json_array_get(x->pids, i)), "product_ids", err))
            return -1;
    return 0;
}

int ec_livestream_derive(pj_ctx *c, int64_t pid, const char *month, pj_err *err)
{
    int64_t lo = pid ? pid : 0, hi = pid ? pid : INT64_MAX;
    const char *mlo = month ? month : "0000-00", *mhi = month ? month : "9999-99";
    return ec_run(c, err, PJ_EC_LIVESTREAM_DROP("?1", "?2", "?3", "?4"), "iiss", lo, hi, mlo, mhi) <
                       0 ||
                   ec_run(c, err, PJ_EC_LIVESTREAM_PUT("?1", "?2", "?3", "?4", "?5"), "iissi", lo,
                          hi, mlo, mhi, pj_now()) < 0
               ? -1
               : 0;
}

static int product_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
static const char *with_sale(pj_ctx *c, const char *product, const char *month, const char *channel,
                             int64_t orders, int64_t gmv);
static int sales_bump(pj_ctx *c, int64_t pid, int64_t version, pj_err *err);

/* A product's sale of a month and channel: 1 (*orders, *gmv set), 0 none, -1 error. */
static int sale_get(pj_ctx *c, int64_t pid, const char *month, const char *channel, int64_t *orders,
                    int64_t *gmv, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT orders, gmv_fen FROM ec_product_sales WHERE product_id = ?"
                               " AND month = ? AND channel = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pid);
    pj_stmt_text(s, 2, month);
    pj_stmt_text(s, 3, channel);
    int rc = pj_stmt_step(s, err);
    *orders = rc == 1 ? pj_col_int(s, 0) : 0;
    *gmv = rc == 1 ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    return rc;
}

/* The livestream sales of product pid in month, its sessions' summed (in floating point: no
 * integer overflow), within what a month's sales row holds, 10^15 fen as a hand-recorded row:
 * else 422 out_of_range at gmv_fen (sessions of 10^15 each summed past the integers' range, and
 * every read of the product, its streamer and the KPIs was a 500 from then on). */
static int livestream_fits(pj_ctx *c, int64_t pid, const char *month, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT TOTAL(s.gmv_fen) FROM ec_session_products p JOIN ec_sessions"
                               " s ON s.id = p.session_id WHERE p.product_id = ? AND substr(s.day,"
                               " 1, 7) = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pid);
    pj_stmt_text(s, 2, month);
    int rc = pj_stmt_step(s, err);
    double total = rc == 1 ? pj_col_double(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (total > 1e15)
        return pj_fail(err, 422, "out_of_range", "gmv_fen",
                       "product %lld's live sessions of %s would sell %.15g fen, more than a"
                       " month's sales of a product holds (1000000000000000)",
                       (long long)pid, month, total);
    return 0;
}

/* Inside a session write's transaction, after it: the livestream row of product pid and the
 * month of day re-derived; when it changed, the product's version is raised and the change
 * audited on the product as a hand-recorded row's is (`sales`, `sales_update`, `sales_delete`
 * with the sale in `after.sale` / `before.sale`). */
static int session_sale(pj_ctx *c, int64_t pid, const char *day, pj_err *err)
{
    char month[8];
    snprintf(month, sizeof month, "%.7s", day);
    int64_t o0, g0, o1, g1;
    int had = sale_get(c, pid, month, "livestream", &o0, &g0, err);
    char *before = had < 0 ? NULL : pj_render_to_string(c, pid, product_render, err);
    if (!before || livestream_fits(c, pid, month, err) || ec_livestream_derive(c, pid, month, err))
        return -1;
    int has = sale_get(c, pid, month, "livestream", &o1, &g1, err);
    if (has < 0) return -1;
    if (has == had && o0 == o1 && g0 == g1) return 0;
    char *after;
    if (sales_bump(c, pid, 0, err) || !(after = pj_render_to_string(c, pid, product_render, err)))
        return -1;
    const char *action = !had ? "sales" : has ? "sales_update" : "sales_delete";
    return pj_audit_add(c, action, "ec_product", pid,
                        had ? with_sale(c, before, month, "livestream", o0, g0) : before,
                        has ? with_sale(c, after, month, "livestream", o1, g1) : after, err);
}

/* The products of session id (as stored now) into *out (arena), their number into *n. */
static int session_pids(pj_ctx *c, int64_t id, int64_t **out, int *n, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT product_id FROM ec_session_products WHERE session_id = ?"
                               " ORDER BY product_id LIMIT 100",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int64_t *v = pj_arena_alloc(c->arena, 100 * sizeof *v);
    int rc;
    *n = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) v[(*n)++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    *out = v;
    return rc < 0 ? -1 : 0;
}

/* Inside a session write's transaction: the livestream rows its products had on day0 (n0
 * products pids0; none for a new session) and have now (session id as stored; 0 when deleted)
 * re-derived, the old month's and the new one's. */
static int session_sales(pj_ctx *c, int64_t id, const char *day0, const int64_t *pids0, int n0,
                         pj_err *err)
{
    for (int i = 0; i < n0; i++)
        if (session_sale(c, pids0[i], day0, err)) return -1;
    if (!id) return 0;
    int64_t *pids;
    int n;
    const char *day = NULL;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT day FROM ec_sessions WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) day = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0 || session_pids(c, id, &pids, &n, err)) return -1;
    for (int i = 0; day && i < n; i++)
        if (session_sale(c, pids[i], day, err)) return -1;
    return 0;
}

/* Inside the write's transaction: the session's products replaced by pids. */
static int session_products(pj_ctx *c, int64_t id, json_t *pids, pj_err *err)
{
    if (ec_run(c, err, "DELETE FROM ec_session_products WHERE session_id = ?", "i", id) < 0)
        return -1;
    for (size_t i = 0; pids && i < json_array_size(pids); i++) {
        if (ec_run(c, err, "INSERT INTO ec_session_products (session_id, product_id) VALUES (?, ?)",
                   "ii", id, (int64_t)json_integer_value(json_array_get(pids, i))) < 0) {
            if (err && err->status == 409)
                pj_fail(err, 422, "invalid_value", "product_ids", "a product is listed twice");
            return -1;
        }
    }
    return 0;
}

int pj_ec_session_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    session_in x = {0};
    const char *birth, *consent;
    int anon;
    if (ec_require_writer(c, err) || pj_in_object(body, err) ||
        pj_in_only(body, session_fields + 1, err) || session_body(body, 1, &x, err) ||
        session_streamer(c, x.streamer, "streamer_id", &birth, &consent, &anon, err))
        return -1;
    if (anon)
        return pj_fail(err, 422, "unknown_id", "streamer_id", "no streamer %lld",
                       (long long)x.streamer);
    if (session_check(c, &x, birth, consent, err) || pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now();
    int64_t id =
        ec_run(c, err,
               "INSERT INTO ec_sessions (id, streamer_id, studio_id, platform, day,"
               " duration_min, orders, gmv_fen, created_at, created_by, updated_at)"
               " VALUES (" PJ_NEXT_ID("ec_sessions") ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               "irssiiiisi", x.streamer, x.studio, x.platform, x.date, x.dur, x.orders, x.gmv, now,
               ec_who(c), now);
    char *after;
    if (id <= 0 || session_products(c, id, x.pids, err) ||
        !(after = pj_render_to_string(c, id, session_render_masked, err)) ||
        pj_audit_add(c, "create", "ec_session", id, NULL, after, err) ||
        session_sales(c, id, NULL, NULL, 0, err) ||
        !(after = pj_render_to_string(c, id, session_render, err)) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    pj_jw_raw(w, after);
    return 0;
}

/* A stored session for a write: its values into *x, the actor's scope over its streamer, 409
 * when the streamer was deleted (its sessions stay as they are); *counted: practice minutes
 * of an enrolment were taken from it. */
static int session_load(pj_ctx *c, int64_t id, session_in *x, int *counted, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT streamer_id, COALESCE(studio_id, 0), platform, day,"
                               " duration_min, orders, gmv_fen, EXISTS (SELECT 1 FROM ac_practice"
                               " a WHERE a.session_id = ec_sessions.id) FROM ec_sessions WHERE id"
                               " = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        x->streamer = pj_col_int(s, 0);
        x->studio = pj_col_int(s, 1);
        x->platform = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        x->date = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        x->dur = pj_col_int(s, 4);
        x->orders = pj_col_int(s, 5);
        x->gmv = pj_col_int(s, 6);
        *counted = (int)pj_col_int(s, 7);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "session", id);
    const char *birth;
    int anon;
    if (session_streamer(c, x->streamer, "id", &birth, NULL, &anon, err)) return -1;
    if (anon)
        return pj_fail(err, 409, "invalid_state", "",
                       "the streamer was deleted: its sessions stay as they are");
    return 0;
}

typedef struct session_upd {
    session_in x;
    int64_t version;
    int products; /* product_ids given */
} session_upd;

static int session_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    session_upd *u = arg;
    /* the products and the month as they were: their livestream rows follow too */
    int64_t *pids0;
    int n0;
    const char *day0 = NULL;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT day FROM ec_sessions WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) day0 = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc < 0 || session_pids(c, id, &pids0, &n0, err)) return -1;
    if (ec_run(c, err,
               "UPDATE ec_sessions SET studio_id = ?, platform = ?, day = ?, duration_min = ?,"
               " orders = ?, gmv_fen = ?, updated_at = ?, version = version + 1 WHERE id = ? AND"
               " version = ?",
               "rssiiiiii", u->x.studio, u->x.platform, u->x.date, u->x.dur, u->x.orders, u->x.gmv,
               pj_now(), id, u->version) < 0 ||
        ec_changed_one(c, "session", err) ||
        (u->products && session_products(c, id, u->x.pids, err)))
        return -1;
    return session_sales(c, id, day0, pids0, day0 ? n0 : 0, err);
}

int pj_ec_session_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    session_upd u = {0};
    int counted = 0;
    if (ec_require_writer(c, err) || session_load(c, id, &u.x, &counted, err) ||
        pj_in_object(body, err) || pj_in_only(body, session_fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &u.version, err) < 0)
        return -1;
    if (json_object_get(body, "streamer_id"))
        return pj_fail(err, 422, "invalid_value", "streamer_id",
                       "a session stays its streamer's: delete it and record it for the other");
    const char *date0 = u.x.date;
    int64_t dur0 = u.x.dur;
    if (session_body(body, 0, &u.x, err)) return -1;
    u.products = json_object_get(body, "product_ids") != NULL;
    /* practice minutes were taken from the session: its day and length stay */
    if (counted && (strcmp(date0, u.x.date) || dur0 != u.x.dur))
        return pj_fail(err, 409, "session_counted",
                       strcmp(date0, u.x.date) ? "date" : "duration_min",
                       "the session counts as an enrolment's practical training: its date and"
                       " duration stay");
    const char *birth, *consent;
    int anon;
    if (session_streamer(c, u.x.streamer, "id", &birth, &consent, &anon, err) ||
        session_check(c, &u.x, birth, consent, err) ||
        pj_version_check(c, "SELECT version FROM ec_sessions WHERE id = ?", id, u.version,
                         "session", err))
        return -1;
    return ec_write_audited_masked(c, id, "update", "ec_session", session_render,
                                   session_render_masked, session_apply, &u, w, err);
}

int pj_ec_session_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    session_in x = {0};
    int counted = 0;
    if (ec_require_writer(c, err) || session_load(c, id, &x, &counted, err)) return -1;
    if (counted)
        return pj_fail(err, 409, "session_counted", "",
                       "the session counts as an enrolment's practical training");
    if (pj_db_begin(c->db, err)) return -1;
    char *before = pj_render_to_string(c, id, session_render_masked, err);
    int64_t *pids0;
    int n0;
    if (!before || session_pids(c, id, &pids0, &n0, err) ||
        ec_run(c, err, "DELETE FROM ec_session_products WHERE session_id = ?", "i", id) < 0 ||
        ec_run(c, err, "DELETE FROM ec_sessions WHERE id = ?", "i", id) < 0 ||
        pj_audit_add(c, "delete", "ec_session", id, before, NULL, err) ||
        session_sales(c, 0, x.date, pids0, n0, err) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

/* ---- products and sales ---- */

static int product_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT p.id, p.name, p.category, p.township_id, p.source,"
                              " p.created_at, p.version, (SELECT COALESCE(SUM(q.orders), 0) FROM"
                              " ec_product_sales q WHERE q.product_id = p.id), (SELECT"
                              " CAST(TOTAL(q.gmv_fen) AS INTEGER) FROM ec_product_sales q WHERE"
                              " q.product_id = p.id) FROM ec_products p WHERE p.id = ?",
                              id, "product", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "category", s, 2);
    pj_render_ref(w, "township_id", s, 3);
    pj_jw_kint(w, "orders", pj_col_int(s, 7));
    pj_jw_kint(w, "gmv_fen", pj_col_int(s, 8));
    pj_render_text(w, "source", s, 4);
    pj_render_time(w, "created_at", pj_col_int(s, 5));
    pj_jw_kint(w, "version", pj_col_int(s, 6));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ec_product_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_q_enum("category", f->category, pj_ec_categories, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ec_products WHERE id > ? AND (? IS NULL OR category"
                               " = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_text(s, 2, f->category);
    pj_stmt_text(s, 3, f->category);
    pj_stmt_int(s, 4, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, product_render, w, err);
}

int pj_ec_product_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"name", "category", "township_id", NULL};
    const char *name, *cat;
    int64_t town = 0;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_text_trimmed(c->arena, body, "name", 1, 64, &name, err) < 0 ||
        pj_in_enum(body, "category", 1, pj_ec_categories, &cat, err) < 0 ||
        pj_in_ref(body, "township_id", 0, &town, err) < 0)
        return -1;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && !town) town = c->actor.township_id;
    if (town && ec_ref(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'", town,
                       "township_id", err))
        return -1;
    if (ec_scope(c, town, 0, "township_id", err) || pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ec_products (name, category, township_id, created_at)"
                               " VALUES (?, ?, ?, ?) RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, cat);
    if (town)
        pj_stmt_int(s, 3, town);
    else
        pj_stmt_null(s, 3);
    pj_stmt_int(s, 4, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "name", "a product named %s exists", name);
        goto fail;
    }
    if (pj_render_commit(c, "create", "ec_product", id, NULL, product_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* A month's sales as POST takes them: YYYY-MM from PJ_EC_SALES_FIRST_MONTH to the current
 * month (422 invalid_value at month). */
static int sales_month_check(const char *month, pj_err *err)
{
    if (!pj_month_valid(month))
        return pj_fail(err, 422, "invalid_value", "month", "month must be YYYY-MM");
    /* the zone's records begin in this century: 1900-01 is a slip, not a sale */
    if (strcmp(month, PJ_EC_SALES_FIRST_MONTH) < 0)
        return pj_fail(err, 422, "invalid_value", "month",
                       "month %s is before %s: sales are recorded from " PJ_EC_SALES_FIRST_MONTH
                       " on",
                       month, PJ_EC_SALES_FIRST_MONTH);
    char today[11];
    ec_day_str(ec_today(), today);
    if (strncmp(month, today, 7) > 0)
        return pj_fail(err, 422, "invalid_value", "month",
                       "month %s is after the current one (%.7s): sales are recorded as they"
                       " happen",
                       month, today);
    return 0;
}

/* As a live session: GMV without an order is a mistyped row (422 invalid_value at orders). */
static int sales_figures_check(int64_t orders, int64_t gmv, pj_err *err)
{
    if (gmv > 0 && orders == 0)
        return pj_fail(err, 422, "invalid_value", "orders",
                       "sales with GMV (gmv_fen %lld) have at least one order", (long long)gmv);
    return 0;
}

/* The product's rendering with the sale beside it, for an audit row: {…, "sale": {month,
 * channel, orders, gmv_fen}}. */
static const char *with_sale(pj_ctx *c, const char *product, const char *month, const char *channel,
                             int64_t orders, int64_t gmv)
{
    size_t n = strlen(product);
    return n && product[n - 1] == '}'
               ? pj_arena_printf(c->arena,
                                 "%.*s,\"sale\":{\"month\":\"%s\",\"channel\":\"%s\","
                                 "\"orders\":%lld,\"gmv_fen\":%lld}}",
                                 (int)(n - 1), product, month, channel, (long long)orders,
                                 (long long)gmv)
               : product;
}

/* Who records a product's sales: admin, district and township officers, the last for a product
 * of their township. 0, or -1 (403; 404 for no such product). */
static int sales_writer(pj_ctx *c, int64_t pid, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE))
        return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT township_id FROM ec_products WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pid);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "product", pid);
    return ec_scope(c, town, 0, "id", err);
}

int pj_ec_sales_add(pj_ctx *c, int64_t pid, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"month", "channel", "orders", "gmv_fen", NULL};
    const char *month, *channel;
    int64_t orders, gmv;
    pj_stmt *s;
    int rc;
    if (sales_writer(c, pid, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "month", 1, 7, 7, &month, err) < 0 ||
        pj_in_enum(body, "channel", 1, pj_ec_channels, &channel, err) < 0 ||
        pj_in_int(body, "orders", 1, 0, 1000000000, &orders, err) < 0 ||
        pj_in_int(body, "gmv_fen", 1, 0, INT64_C(1000000000000000), &gmv, err) < 0)
        return -1;
    if (sales_month_check(month, err) || sales_figures_check(orders, gmv, err)) return -1;
    /* a product's livestream sales of a month are exactly its sessions' of that month */
    if (!strcmp(channel, "livestream"))
        return pj_fail(err, 409, "invalid_state", "channel",
                       "livestream sales are the product's live sessions': record the session"
                       " with the product, not the row");
    if (pj_db_begin(c->db, err)) return -1;
    char *before;
    if (!(before = pj_render_to_string(c, pid, product_render, err))) goto fail;
    s = pj_db_prepare(c->db,
                      "INSERT INTO ec_product_sales (product_id, month, channel, orders, gmv_fen,"
                      " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, pid);
    pj_stmt_text(s, 2, month);
    pj_stmt_text(s, 3, channel);
    pj_stmt_int(s, 4, orders);
    pj_stmt_int(s, 5, gmv);
    pj_stmt_int(s, 6, pj_now());
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "month", "sales for %s by %s exist", month, channel);
        goto fail;
    }
    s = pj_db_prepare(c->db, "UPDATE ec_products SET version = version + 1 WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, pid);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    /* the audit row says what was recorded, beside the product's totals before and after */
    char *after;
    if (rc < 0 || !(after = pj_render_to_string(c, pid, product_render, err))) goto fail;
    const char *logged = with_sale(c, after, month, channel, orders, gmv);
    if (pj_audit_add(c, "sales", "ec_product", pid, before, logged, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* A stored sale for a correction or a delete: the writers and scope of a new one, the row's
 * figures into *orders, *gmv. 404 when the product or the row is missing (a month or channel
 * that is none: 400 bad_id at month or channel), 409 invalid_state for a livestream row. */
static int sales_row(pj_ctx *c, int64_t pid, const char *month, const char *channel,
                     int64_t *orders, int64_t *gmv, pj_err *err)
{
    if (sales_writer(c, pid, err)) return -1;
    pj_stmt *s;
    int rc;
    if (!pj_month_valid(month))
        return pj_fail(err, 400, "bad_id", "month", "%s is not a month YYYY-MM", month);
    if (!pj_one_of(pj_ec_channels, channel))
        return pj_fail(err, 400, "bad_id", "channel", "%s is not a channel", channel);
    s = pj_db_prepare(c->db,
                      "SELECT orders, gmv_fen FROM ec_product_sales WHERE product_id = ? AND"
                      " month = ? AND channel = ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pid);
    pj_stmt_text(s, 2, month);
    pj_stmt_text(s, 3, channel);
    rc = pj_stmt_step(s, err);
    *orders = rc == 1 ? pj_col_int(s, 0) : 0;
    *gmv = rc == 1 ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 404, "not_found", "month", "no sales of product %lld for %s by %s",
                       (long long)pid, month, channel);
    /* a product's livestream sales of a month are exactly its sessions' of that month */
    if (!strcmp(channel, "livestream"))
        return pj_fail(err, 409, "invalid_state", "channel",
                       "livestream sales are the product's live sessions': correct or delete the"
                       " session, not the row");
    return 0;
}

/* Inside the write's transaction: the product's version checked and raised. */
static int sales_bump(pj_ctx *c, int64_t pid, int64_t version, pj_err *err)
{
    int64_t cur = 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT version FROM ec_products WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pid);
    int rc = pj_stmt_step(s, err);
    cur = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (version && cur != version) return pj_version_conflict(err, "product", cur, version);
    return ec_run(c, err, "UPDATE ec_products SET version = version + 1 WHERE id = ?", "i", pid) < 0
               ? -1
               : 0;
}

int pj_ec_sales_update(pj_ctx *c, int64_t pid, const char *month, const char *channel, json_t *body,
                       pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "orders", "gmv_fen", NULL};
    int64_t orders0, gmv0, version;
    /* the body's shape first: a field no one knows is named whatever the path */
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) || pj_db_begin(c->db, err))
        return -1;
    /* the row as the transaction finds it: its figures are the ones replaced and audited */
    if (sales_row(c, pid, month, channel, &orders0, &gmv0, err) || pj_in_no_null(body, NULL, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0)
        goto fail;
    int64_t orders = orders0, gmv = gmv0;
    if (pj_in_int(body, "orders", 0, 0, 1000000000, &orders, err) < 0 ||
        pj_in_int(body, "gmv_fen", 0, 0, INT64_C(1000000000000000), &gmv, err) < 0 ||
        sales_figures_check(orders, gmv, err))
        goto fail;
    char *before, *after;
    if (!(before = pj_render_to_string(c, pid, product_render, err))) goto fail;
    /* the figures as they are: nothing written, the product as it stands (its version checked) */
    if (orders == orders0 && gmv == gmv0) {
        int64_t cur = 0;
        if (ec_int(c, "SELECT version FROM ec_products WHERE id = ?", pid, &cur, err) < 0)
            goto fail;
        if (cur != version) {
            pj_version_conflict(err, "product", cur, version);
            goto fail;
        }
        pj_db_rollback(c->db);
        pj_jw_raw(w, before);
        return 0;
    }
    if (sales_bump(c, pid, version, err) ||
        ec_run(c, err,
               "UPDATE ec_product_sales SET orders = ?, gmv_fen = ? WHERE product_id = ? AND"
               " month = ? AND channel = ?",
               "iiiss", orders, gmv, pid, month, channel) < 0 ||
        ec_changed_one(c, "sale", err) ||
        !(after = pj_render_to_string(c, pid, product_render, err)) ||
        pj_audit_add(c, "sales_update", "ec_product", pid,
                     with_sale(c, before, month, channel, orders0, gmv0),
                     with_sale(c, after, month, channel, orders, gmv), err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ec_sales_delete(pj_ctx *c, int64_t pid, const char *month, const char *channel, pj_err *err)
{
    int64_t orders, gmv;
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
    if (sales_row(c, pid, month, channel, &orders, &gmv, err) ||
        !(before = pj_render_to_string(c, pid, product_render, err)) ||
        sales_bump(c, pid, 0, err) ||
        ec_run(c, err,
               "DELETE FROM ec_product_sales WHERE product_id = ? AND month = ? AND channel = ?",
               "iss", pid, month, channel) < 0 ||
        ec_changed_one(c, "sale", err) ||
        !(after = pj_render_to_string(c, pid, product_render, err)) ||
        pj_audit_add(c, "sales_delete", "ec_product", pid,
                     with_sale(c, before, month, channel, orders, gmv), after, err) ||
        pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

/* A product's sales filter's seven parameters. */
static void sales_bind(pj_stmt *s, int64_t pid, const pj_ec_filter *f)
{
    pj_stmt_int(s, 1, pid);
    pj_stmt_text(s, 2, f->from);
    pj_stmt_text(s, 3, f->from);
    pj_stmt_text(s, 4, f->to);
    pj_stmt_text(s, 5, f->to);
    pj_stmt_text(s, 6, f->channel);
    pj_stmt_text(s, 7, f->channel);
}

int pj_ec_sales_list(pj_ctx *c, int64_t pid, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if ((f->from && !pj_month_valid(f->from)) || (f->to && !pj_month_valid(f->to)))
        return pj_fail(err, 400, "bad_query", f->from && !pj_month_valid(f->from) ? "from" : "to",
                       "from and to are months YYYY-MM");
    if (f->from && f->to && strcmp(f->from, f->to) > 0)
        return pj_q_range_fail("from", f->from, "to", f->to, err);
    if (pj_q_enum("channel", f->channel, pj_ec_channels, err)) return -1;
    int started = pj_db_read_begin(c->db);
    int rc = pj_render_exists(c, "SELECT 1 FROM ec_products WHERE id = ?", pid, err);
    pj_stmt *s = NULL;
    if (rc == 0) pj_not_found(err, "product", pid);
#define SALES_WHERE                                                                                \
    " WHERE product_id = ? AND (? IS NULL OR month >= ?) AND (? IS NULL OR month <= ?) AND (? IS"  \
    " NULL OR channel = ?)"
    /* the totals of every row the filter takes, whether or not all of them are listed */
    int64_t orders = 0, gmv = 0, nrows = 0;
    if (rc == 1) {
        s = pj_db_prepare(
            c->db,
            "SELECT COUNT(*), COALESCE(SUM(orders), 0), CAST(TOTAL(gmv_fen) AS INTEGER)"
            " FROM ec_product_sales" SALES_WHERE,
            err);
        if (!s) {
            rc = -1;
        } else {
            sales_bind(s, pid, f);
            rc = pj_stmt_step(s, err);
            nrows = rc == 1 ? pj_col_int(s, 0) : 0;
            orders = rc == 1 ? pj_col_int(s, 1) : 0;
            gmv = rc == 1 ? pj_col_int(s, 2) : 0;
            pj_stmt_done(s);
            s = NULL;
        }
    }
    /* the latest 500 rows, in order of month */
    if (rc == 1)
        s = pj_db_prepare(c->db,
                          "SELECT month, channel, orders, gmv_fen, source FROM (SELECT * FROM"
                          " ec_product_sales" SALES_WHERE " ORDER BY month DESC, channel DESC LIMIT"
                          " 500) ORDER BY month, channel",
                          err);
    if (!s) {
        pj_db_read_end(c->db, started);
        return -1;
    }
    sales_bind(s, pid, f);
    pj_jw_obj(w);
    pj_jw_kint(w, "product_id", pid);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int64_t listed = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_text(w, "month", s, 0);
        pj_render_text(w, "channel", s, 1);
        pj_jw_kint(w, "orders", pj_col_int(s, 2));
        pj_jw_kint(w, "gmv_fen", pj_col_int(s, 3));
        pj_render_text(w, "source", s, 4);
        pj_jw_obj_end(w);
        listed++;
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_kint(w, "rows", nrows);
    pj_jw_kbool(w, "complete", listed == nrows);
    pj_jw_kint(w, "orders", orders);
    pj_jw_kint(w, "gmv_fen", gmv);
    pj_jw_obj_end(w);
    pj_db_read_end(c->db, started);
    return rc < 0 ? -1 : 0;
#undef SALES_WHERE
}

/* ---- KPIs ---- */

int pj_ec_register_counts(pj_ctx *c, int64_t *zone_settled, int64_t *streamers, pj_err *err)
{
    return (zone_settled &&
            pj_query_int(c, "SELECT COUNT(*) FROM ec_zone_enterprises WHERE settled_on IS NOT NULL",
                         zone_settled, err)) ||
                   (streamers &&
                    pj_query_int(c, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0",
                                 streamers, err))
               ? -1
               : 0;
}

const char *const pj_ec_kpi_bys[] = {"month", NULL};

/* Minutes of streaming as tenths of an hour, half up (the KPI's total `hours`). */
static int64_t kpi_tenths(int64_t minutes)
{
    return (minutes + 3) / 6;
}

/* The sessions of the range by calendar month: the KPI's session figures, month by month. A
 * month's `hours` are its minutes in tenths of an hour rounded so that the months add up to the
 * total's: each month's tenths rounded down, the tenths the total has over their sum given one
 * each to the months with the largest remainders (the earlier month on a tie). */
static int kpi_months(pj_ctx *c, const char *from, const char *to, const char *range, pj_jw *w,
                      pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        pj_arena_printf(c->arena,
                        "SELECT substr(day, 1, 7) AS m, COUNT(*), COALESCE(SUM(orders), 0),"
                        " CAST(TOTAL(gmv_fen) AS INTEGER), COALESCE(SUM(duration_min), 0) FROM"
                        " ec_sessions WHERE 1 = 1%s GROUP BY m ORDER BY m",
                        range),
        err);
    if (!s) return -1;
    int j = 1;
    if (from) pj_stmt_text(s, j++, from);
    if (to) pj_stmt_text(s, j++, to);
    struct kpi_month {
        char month[8];
        int64_t sessions, orders, gmv, minutes, tenths;
    } *ms = NULL;
    int n = 0, cap = 0, k;
    int64_t minutes = 0, tenths = 0;
    while ((k = pj_stmt_step(s, err)) == 1) {
        ms = pj_arena_room(c->arena, ms, n, &cap, sizeof *ms, 32);
        struct kpi_month *x = &ms[n++];
        snprintf(x->month, sizeof x->month, "%s", pj_col_text(s, 0));
        x->sessions = pj_col_int(s, 1);
        x->orders = pj_col_int(s, 2);
        x->gmv = pj_col_int(s, 3);
        x->minutes = pj_col_int(s, 4);
        x->tenths = x->minutes / 6;
        minutes += x->minutes;
        tenths += x->tenths;
    }
    pj_stmt_done(s);
    if (k < 0) return -1;
    /* the tenths left over, to the largest remainders (minutes % 6), earliest first */
    for (int64_t left = kpi_tenths(minutes) - tenths; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (ms[i].tenths * 6 <= ms[i].minutes &&
                (best < 0 ||
                 ms[i].minutes - ms[i].tenths * 6 > ms[best].minutes - ms[best].tenths * 6))
                best = i;
        if (best < 0) break;
        ms[best].tenths++;
    }
    pj_jw_key(w, "months");
    pj_jw_arr(w);
    for (int i = 0; i < n; i++) {
        pj_jw_obj(w);
        pj_jw_kstr(w, "month", ms[i].month);
        pj_jw_kint(w, "sessions", ms[i].sessions);
        pj_jw_kint(w, "orders", ms[i].orders);
        pj_jw_kint(w, "gmv_fen", ms[i].gmv);
        pj_jw_kint(w, "minutes", ms[i].minutes);
        pj_jw_key(w, "hours");
        pj_jw_fixed(w, (double)ms[i].tenths / 10, 1);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    return 0;
}

int pj_ec_kpi(pj_ctx *c, const char *from, const char *to, pj_jw *w, pj_err *err)
{
    return pj_ec_kpi_by(c, from, to, NULL, w, err);
}

int pj_ec_kpi_by(pj_ctx *c, const char *from, const char *to, const char *by, pj_jw *w, pj_err *err)
{
    if (by && pj_q_enum("by", by, pj_ec_kpi_bys, err)) return -1;
    if (q_day(from, "from", err) || q_day(to, "to", err)) return -1;
    if (from && to && strcmp(from, to) > 0) return pj_q_range_fail("from", from, "to", to, err);
    /* the sessions of the range in one pass, the range as plain comparisons (only the bounds
     * given) so that the index on day serves it: five passes over every session ever
     * recorded, each with "? IS NULL OR day >= ?", before */
    const char *range =
        pj_arena_printf(c->arena, "%s%s", from ? " AND day >= ?" : "", to ? " AND day <= ?" : "");
    int64_t sessions, orders, gmv, active, streamers, anon, avg_f, zone = 0, studios, minutes;
    int64_t unsettled;
    int started = pj_db_read_begin(c->db);
    int rc = -1;
    /* active: of the streamers counted (on the register, not deleted), those with a session in
     * the range — a deleted streamer's sessions stay in the totals but not among the active,
     * which would otherwise outnumber the register */
    const char *qs[2] = {
        pj_arena_printf(
            c->arena,
            "SELECT COUNT(*), COALESCE(SUM(orders), 0), CAST(TOTAL(gmv_fen) AS INTEGER),"
            " COALESCE(SUM(duration_min), 0) FROM ec_sessions WHERE 1 = 1%s",
            range),
        pj_arena_printf(c->arena,
                        "SELECT COUNT(DISTINCT streamer_id) FROM ec_sessions WHERE streamer_id IN"
                        " (SELECT id FROM ec_streamers WHERE anonymised = 0)%s",
                        range)};
    int64_t *outs[2][4] = {{&sessions, &orders, &gmv, &minutes}, {&active}};
    pj_stmt *s;
    for (int i = 0; i < 2; i++) {
        s = pj_db_prepare(c->db, qs[i], err);
        if (!s) goto done;
        int j = 1;
        if (from) pj_stmt_text(s, j++, from);
        if (to) pj_stmt_text(s, j++, to);
        int k = pj_stmt_step(s, err);
        for (int col = 0; col < 4 && outs[i][col]; col++)
            *outs[i][col] = k == 1 ? pj_col_int(s, col) : 0;
        pj_stmt_done(s);
        if (k < 0) goto done;
    }
    if (pj_ec_register_counts(c, NULL, &streamers, err) ||
        pj_query_int(c, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 1", &anon, err) ||
        pj_query_int(c, "SELECT COUNT(*) FROM ec_zone_enterprises WHERE settled_on IS NULL",
                     &unsettled, err) ||
        pj_query_int(c, "SELECT COUNT(*) FROM ec_studios", &studios, err))
        goto done;
    /* followers as they stood at the end of the range (the latest count per platform on or
     * before `to`; the latest of all without one), of the streamers on the register then, and
     * their average over those streamers. Without `to` the register is today's. With it, a
     * streamer was on the register at the end of `to` when registered by then (created before
     * the end of that day, Beijing time, or with a follower count or a live session dated on
     * or before it: a history entered later) and not deleted by then (live, or anonymised
     * after it: the time of its `anonymise` audit row, else of its last change, for a deleted
     * streamer is never changed again). */
    int64_t end = 0;
    if (to && !pj_time_parse_local(to, &end)) end += 86400;
    const char *reg =
        to ? "(x.created_at < ? OR EXISTS (SELECT 1 FROM ec_followers h WHERE h.streamer_id ="
             " x.id AND h.as_of <= ?) OR EXISTS (SELECT 1 FROM ec_sessions e WHERE e.streamer_id"
             " = x.id AND e.day <= ?)) AND (x.anonymised = 0 OR COALESCE((SELECT MIN(a.at) FROM"
             " audit a WHERE a.entity = 'ec_streamer' AND a.entity_id = x.id AND a.action ="
             " 'anonymise'), x.updated_at) >= ?)"
           : "x.anonymised = 0";
    int64_t reg_n = 0, kf = 0;
    for (int q = 0; q < 2; q++) {
        s = pj_db_prepare(
            c->db,
            q ? pj_arena_printf(c->arena,
                                "SELECT COALESCE(SUM(f.followers), 0) FROM ec_followers f JOIN"
                                " ec_streamers x ON x.id = f.streamer_id WHERE %s AND f.as_of ="
                                " (SELECT MAX(g.as_of) FROM ec_followers g WHERE g.streamer_id ="
                                " f.streamer_id AND g.platform = f.platform AND (? IS NULL OR"
                                " g.as_of <= ?))",
                                reg)
              : pj_arena_printf(c->arena, "SELECT COUNT(*) FROM ec_streamers x WHERE %s", reg),
            err);
        if (!s) goto done;
        int j = 1;
        if (to) {
            pj_stmt_int(s, j++, end);
            pj_stmt_text(s, j++, to);
            pj_stmt_text(s, j++, to);
            pj_stmt_int(s, j++, end);
        }
        if (q) {
            pj_stmt_text(s, j++, to);
            pj_stmt_text(s, j++, to);
        }
        kf = pj_stmt_step(s, err);
        *(q ? &avg_f : &reg_n) = kf == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (kf < 0) goto done;
    }
    pj_jw_obj(w);
    pj_jw_kstr(w, "from", from);
    pj_jw_kstr(w, "to", to);
    pj_jw_kint(w, "sessions", sessions);
    pj_jw_kint(w, "minutes", minutes);
    pj_jw_key(w, "hours"); /* 140,746 min: 2345.8, not 2345 */
    pj_jw_fixed(w, (double)kpi_tenths(minutes) / 10, 1);
    pj_jw_kint(w, "orders", orders);
    pj_jw_kint(w, "gmv_fen", gmv);
    pj_jw_kint(w, "streamers", streamers);
    pj_jw_kint(w, "streamers_deleted", anon);
    pj_jw_kint(w, "streamers_active", active);
    pj_jw_kint(w, "followers_total", avg_f);
    pj_jw_kint(w, "followers_streamers", reg_n);
    pj_jw_kint(w, "avg_followers", reg_n ? (avg_f + reg_n / 2) / reg_n : 0);
    /* the zone's enterprises: those settled by the end of the range (all settled ones
     * without `to`); the ones not settled yet apart */
    s = pj_db_prepare(c->db,
                      "SELECT kind, COUNT(*) FROM ec_zone_enterprises WHERE settled_on IS NOT NULL"
                      " AND (? IS NULL OR settled_on <= ?) GROUP BY kind ORDER BY kind",
                      err);
    if (!s) goto done;
    pj_stmt_text(s, 1, to);
    pj_stmt_text(s, 2, to);
    int k;
    pj_buf kinds;
    pj_buf_init(&kinds, 256);
    pj_jw kw;
    pj_jw_init(&kw, &kinds);
    pj_jw_obj(&kw);
    while ((k = pj_stmt_step(s, err)) == 1) {
        pj_jw_kint(&kw, pj_col_text(s, 0), pj_col_int(s, 1));
        zone += pj_col_int(s, 1);
    }
    pj_stmt_done(s);
    pj_jw_obj_end(&kw);
    pj_buf_putc(&kinds, 0);
    if (k < 0) {
        pj_buf_free(&kinds);
        goto done;
    }
    pj_jw_kint(w, "zone_enterprises", zone);
    pj_jw_kint(w, "zone_enterprises_unsettled", unsettled);
    pj_jw_key(w, "zone_enterprises_by_kind");
    pj_jw_raw(w, kinds.data);
    pj_buf_free(&kinds);
    pj_jw_key(w, "bases");
    pj_jw_obj(w);
    for (int i = 0; pj_ec_tiers[i]; i++) {
        s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM ec_bases WHERE tier = ?", err);
        if (!s) goto done;
        pj_stmt_text(s, 1, pj_ec_tiers[i]);
        k = pj_stmt_step(s, err);
        pj_jw_kint(w, pj_ec_tiers[i], k == 1 ? pj_col_int(s, 0) : 0);
        pj_stmt_done(s);
        if (k < 0) goto done;
    }
    pj_jw_obj_end(w);
    pj_jw_kint(w, "studios", studios);
    if (by && kpi_months(c, from, to, range, w, err)) goto done;
    pj_jw_obj_end(w);
    rc = 0;
done:
    pj_db_read_end(c->db, started);
    return rc;
}
