/* E-commerce: live sessions, local products with their monthly sales by channel, the KPIs. */
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

static int session_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT e.id, e.streamer_id, x.name, e.studio_id, e.platform, e.day,"
                               " e.duration_min, e.orders, e.gmv_fen, e.source, e.created_at,"
                               " e.created_by FROM ec_sessions e JOIN ec_streamers x ON x.id ="
                               " e.streamer_id WHERE e.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        return rc < 0 ? -1 : pj_fail(err, 404, "not_found", "", "no session %lld", (long long)id);
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "streamer_id", pj_col_int(s, 1));
    pj_render_text(w, "streamer", s, 2);
    pj_render_ref(w, "studio_id", s, 3);
    pj_render_text(w, "platform", s, 4);
    pj_render_text(w, "date", s, 5);
    pj_jw_kint(w, "duration_min", pj_col_int(s, 6));
    pj_jw_kint(w, "orders", pj_col_int(s, 7));
    pj_jw_kint(w, "gmv_fen", pj_col_int(s, 8));
    pj_render_text(w, "source", s, 9);
    pj_render_time(w, "created_at", pj_col_int(s, 10));
    pj_render_text(w, "created_by", s, 11);
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

static int q_day(const char *s, const char *field, pj_err *err)
{
    if (s && ec_date(s, NULL, NULL, NULL, NULL))
        return pj_fail(err, 400, "bad_query", field, "%s must be a date YYYY-MM-DD", field);
    return 0;
}

int pj_ec_session_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (q_day(f->from, "from", err) || q_day(f->to, "to", err)) return -1;
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

int pj_ec_session_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"streamer_id", "studio_id",    "platform",
                                         "date",        "duration_min", "orders",
                                         "gmv_fen",     "product_ids",  NULL};
    int64_t streamer, studio = 0, dur, orders, gmv, day;
    const char *platform, *date;
    if (ec_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "streamer_id", 1, &streamer, err) < 0 ||
        pj_in_ref(body, "studio_id", 0, &studio, err) < 0 ||
        pj_in_enum(body, "platform", 1, pj_ec_platforms, &platform, err) < 0 ||
        pj_in_str(body, "date", 1, 10, 10, &date, err) < 0 ||
        pj_in_int(body, "duration_min", 1, 1, 24 * 60, &dur, err) < 0 ||
        pj_in_int(body, "orders", 1, 0, 100000000, &orders, err) < 0 ||
        pj_in_int(body, "gmv_fen", 1, 0, INT64_C(1000000000000000), &gmv, err) < 0)
        return -1;
    if (ec_date(date, &day, NULL, NULL, NULL) || day > ec_today())
        return pj_fail(err, 422, "invalid_value", "date", "date must be a date, not in the future");
    json_t *pids = json_object_get(body, "product_ids");
    if (pids && !json_is_null(pids)) {
        if (!json_is_array(pids) || json_array_size(pids) > 50)
            return pj_fail(err, 422, "wrong_type", "product_ids",
                           "product_ids must be an array of at most 50 ids");
        for (size_t i = 0; i < json_array_size(pids); i++) {
            json_t *v = json_array_get(pids, i);
            if (!json_is_integer(v) || json_integer_value(v) < 1)
                return pj_fail(err, 422, "wrong_type", "product_ids", "product_ids holds ids");
            if (ec_ref(c, "SELECT 1 FROM ec_products WHERE id = ?", json_integer_value(v),
                       "product_ids", err))
                return -1;
        }
    }
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT township_id, organisation_id, anonymised FROM ec_streamers WHERE id = ?",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, streamer);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0, org = rc == 1 ? pj_col_int(s, 1) : 0;
    int anon = rc == 1 && pj_col_int(s, 2);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0 || anon)
        return pj_fail(err, 422, "unknown_id", "streamer_id", "no streamer %lld",
                       (long long)streamer);
    if (studio && ec_ref(c, "SELECT 1 FROM ec_studios WHERE id = ?", studio, "studio_id", err))
        return -1;
    if (ec_scope(c, town, org, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *after;
    s = pj_db_prepare(c->db,
                      "INSERT INTO ec_sessions (streamer_id, studio_id, platform, day,"
                      " duration_min, orders, gmv_fen, created_at, created_by) VALUES (?, ?, ?,"
                      " ?, ?, ?, ?, ?, ?) RETURNING id",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, streamer);
    if (studio)
        pj_stmt_int(s, 2, studio);
    else
        pj_stmt_null(s, 2);
    pj_stmt_text(s, 3, platform);
    pj_stmt_text(s, 4, date);
    pj_stmt_int(s, 5, dur);
    pj_stmt_int(s, 6, orders);
    pj_stmt_int(s, 7, gmv);
    pj_stmt_int(s, 8, pj_now());
    pj_stmt_text(s, 9, ec_who(c));
    rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    for (size_t i = 0; pids && i < json_array_size(pids); i++) {
        s = pj_db_prepare(
            c->db, "INSERT INTO ec_session_products (session_id, product_id) VALUES (?, ?)", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, id);
        pj_stmt_int(s, 2, json_integer_value(json_array_get(pids, i)));
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) {
            if (err && err->status == 409)
                pj_fail(err, 422, "invalid_value", "product_ids", "a product is listed twice");
            goto fail;
        }
    }
    if (!(after = pj_render_to_string(c, id, session_render, err)) ||
        pj_audit_add(c, "create", "ec_session", id, NULL, after, err) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- products and sales ---- */

static int product_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT p.id, p.name, p.category, p.township_id, p.source,"
                               " p.created_at, p.version, (SELECT COALESCE(SUM(q.orders), 0) FROM"
                               " ec_product_sales q WHERE q.product_id = p.id), (SELECT"
                               " COALESCE(SUM(q.gmv_fen), 0) FROM ec_product_sales q WHERE"
                               " q.product_id = p.id) FROM ec_products p WHERE p.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        return rc < 0 ? -1 : pj_fail(err, 404, "not_found", "", "no product %lld", (long long)id);
    }
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
        pj_in_str(body, "name", 1, 1, 64, &name, err) < 0 ||
        pj_in_enum(body, "category", 1, pj_ec_categories, &cat, err) < 0 ||
        pj_in_ref(body, "township_id", 0, &town, err) < 0)
        return -1;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && !town) town = c->actor.township_id;
    if (town && ec_ref(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'", town,
                       "township_id", err))
        return -1;
    if (ec_scope(c, town, 0, err) || pj_db_begin(c->db, err)) return -1;
    char *after;
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
    if (!(after = pj_render_to_string(c, id, product_render, err)) ||
        pj_audit_add(c, "create", "ec_product", id, NULL, after, err) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ec_sales_add(pj_ctx *c, int64_t pid, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"month", "channel", "orders", "gmv_fen", NULL};
    const char *month, *channel;
    int64_t orders, gmv;
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
    if (rc == 0) return pj_fail(err, 404, "not_found", "", "no product %lld", (long long)pid);
    if (ec_scope(c, town, 0, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "month", 1, 7, 7, &month, err) < 0 ||
        pj_in_enum(body, "channel", 1, pj_ec_channels, &channel, err) < 0 ||
        pj_in_int(body, "orders", 1, 0, 1000000000, &orders, err) < 0 ||
        pj_in_int(body, "gmv_fen", 1, 0, INT64_C(1000000000000000), &gmv, err) < 0)
        return -1;
    if (!pj_month_valid(month))
        return pj_fail(err, 422, "invalid_value", "month", "month must be YYYY-MM");
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
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
    if (rc < 0 || !(after = pj_render_to_string(c, pid, product_render, err)) ||
        pj_audit_add(c, "sales", "ec_product", pid, before, after, err) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ec_sales_list(pj_ctx *c, int64_t pid, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if ((f->from && !pj_month_valid(f->from)) || (f->to && !pj_month_valid(f->to)))
        return pj_fail(err, 400, "bad_query", f->from && !pj_month_valid(f->from) ? "from" : "to",
                       "from and to are months YYYY-MM");
    if (pj_q_enum("channel", f->channel, pj_ec_channels, err)) return -1;
    int started = pj_db_read_begin(c->db);
    int rc = pj_render_exists(c, "SELECT 1 FROM ec_products WHERE id = ?", pid, err);
    pj_stmt *s = NULL;
    if (rc == 0) pj_fail(err, 404, "not_found", "", "no product %lld", (long long)pid);
    if (rc == 1)
        s = pj_db_prepare(c->db,
                          "SELECT month, channel, orders, gmv_fen, source FROM ec_product_sales"
                          " WHERE product_id = ? AND (? IS NULL OR month >= ?) AND (? IS NULL OR"
                          " month <= ?) AND (? IS NULL OR channel = ?) ORDER BY month, channel"
                          " LIMIT 500",
                          err);
    if (!s) {
        pj_db_read_end(c->db, started);
        return -1;
    }
    pj_stmt_int(s, 1, pid);
    pj_stmt_text(s, 2, f->from);
    pj_stmt_text(s, 3, f->from);
    pj_stmt_text(s, 4, f->to);
    pj_stmt_text(s, 5, f->to);
    pj_stmt_text(s, 6, f->channel);
    pj_stmt_text(s, 7, f->channel);
    pj_jw_obj(w);
    pj_jw_kint(w, "product_id", pid);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int64_t orders = 0, gmv = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_text(w, "month", s, 0);
        pj_render_text(w, "channel", s, 1);
        pj_jw_kint(w, "orders", pj_col_int(s, 2));
        pj_jw_kint(w, "gmv_fen", pj_col_int(s, 3));
        pj_render_text(w, "source", s, 4);
        pj_jw_obj_end(w);
        orders += pj_col_int(s, 2);
        gmv += pj_col_int(s, 3);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    pj_jw_kint(w, "orders", orders);
    pj_jw_kint(w, "gmv_fen", gmv);
    pj_jw_obj_end(w);
    pj_db_read_end(c->db, started);
    return rc < 0 ? -1 : 0;
}

/* ---- KPIs ---- */

static int one_int(pj_ctx *c, const char *sql, int64_t *out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    *out = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_ec_kpi(pj_ctx *c, const char *from, const char *to, pj_jw *w, pj_err *err)
{
    if (q_day(from, "from", err) || q_day(to, "to", err)) return -1;
    static const char *const range = " (? IS NULL OR day >= ?) AND (? IS NULL OR day <= ?)";
    int64_t sessions, orders, gmv, active, streamers, anon, avg_f, zone, studios, minutes;
    int started = pj_db_read_begin(c->db);
    int rc = -1;
    char *q1 = pj_arena_printf(c->arena, "SELECT COUNT(*) FROM ec_sessions WHERE%s", range);
    char *q2 = pj_arena_printf(c->arena, "SELECT COALESCE(SUM(orders), 0) FROM ec_sessions WHERE%s",
                               range);
    char *q3 = pj_arena_printf(c->arena,
                               "SELECT COALESCE(SUM(gmv_fen), 0) FROM ec_sessions WHERE%s", range);
    /* active: of the streamers counted (on the register, not deleted), those with a session in
     * the range — a deleted streamer's sessions stay in the totals but not among the active,
     * which would otherwise outnumber the register */
    char *q4 = pj_arena_printf(c->arena,
                               "SELECT COUNT(DISTINCT streamer_id) FROM ec_sessions WHERE"
                               " streamer_id IN (SELECT id FROM ec_streamers WHERE anonymised ="
                               " 0) AND%s",
                               range);
    char *q5 = pj_arena_printf(
        c->arena, "SELECT COALESCE(SUM(duration_min), 0) FROM ec_sessions WHERE%s", range);
    const char *a = from, *b = to;
    pj_stmt *s;
    const char *qs[5] = {q1, q2, q3, q4, q5};
    int64_t *outs[5] = {&sessions, &orders, &gmv, &active, &minutes};
    for (int i = 0; i < 5; i++) {
        s = pj_db_prepare(c->db, qs[i], err);
        if (!s) goto done;
        pj_stmt_text(s, 1, a);
        pj_stmt_text(s, 2, a);
        pj_stmt_text(s, 3, b);
        pj_stmt_text(s, 4, b);
        int k = pj_stmt_step(s, err);
        *outs[i] = k == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (k < 0) goto done;
    }
    if (one_int(c, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0", &streamers, err) ||
        one_int(c, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 1", &anon, err) ||
        one_int(c, "SELECT COUNT(*) FROM ec_zone_enterprises", &zone, err) ||
        one_int(c, "SELECT COUNT(*) FROM ec_studios", &studios, err))
        goto done;
    /* followers as they stood at the end of the range (the latest count per platform on or
     * before `to`; the latest of all without one) */
    s = pj_db_prepare(c->db,
                      "SELECT COALESCE(SUM(f.followers), 0) FROM ec_followers f JOIN ec_streamers"
                      " x ON x.id = f.streamer_id WHERE x.anonymised = 0 AND f.as_of = (SELECT"
                      " MAX(g.as_of) FROM ec_followers g WHERE g.streamer_id = f.streamer_id AND"
                      " g.platform = f.platform AND (? IS NULL OR g.as_of <= ?))",
                      err);
    if (!s) goto done;
    pj_stmt_text(s, 1, to);
    pj_stmt_text(s, 2, to);
    int kf = pj_stmt_step(s, err);
    avg_f = kf == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (kf < 0) goto done;
    pj_jw_obj(w);
    pj_jw_kstr(w, "from", from);
    pj_jw_kstr(w, "to", to);
    pj_jw_kint(w, "sessions", sessions);
    pj_jw_key(w, "hours"); /* 140,746 min: 2345.8, not 2345 */
    pj_jw_fixed(w, (double)minutes / 60, 1);
    pj_jw_kint(w, "orders", orders);
    pj_jw_kint(w, "gmv_fen", gmv);
    pj_jw_kint(w, "streamers", streamers);
    pj_jw_kint(w, "streamers_deleted", anon);
    pj_jw_kint(w, "streamers_active", active);
    pj_jw_kint(w, "followers_total", avg_f);
    pj_jw_kint(w, "avg_followers", streamers ? (avg_f + streamers / 2) / streamers : 0);
    pj_jw_kint(w, "zone_enterprises", zone);
    pj_jw_key(w, "zone_enterprises_by_kind");
    pj_jw_obj(w);
    s = pj_db_prepare(
        c->db, "SELECT kind, COUNT(*) FROM ec_zone_enterprises GROUP BY kind ORDER BY kind", err);
    if (!s) goto done;
    int k;
    while ((k = pj_stmt_step(s, err)) == 1) pj_jw_kint(w, pj_col_text(s, 0), pj_col_int(s, 1));
    pj_stmt_done(s);
    if (k < 0) goto done;
    pj_jw_obj_end(w);
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
    pj_jw_obj_end(w);
    rc = 0;
done:
    pj_db_read_end(c->db, started);
    return rc;
}
