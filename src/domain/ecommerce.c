/* E-commerce: bases, studios and the booking calendar (one row per studio × slot). */
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
#include "domain/indicator.h"
#include "domain/input.h"
#include "domain/record.h"
#include "domain/render.h"

#include "core/banned.h"

const char *const pj_ec_tiers[] = {"hq", "platform", "village", NULL};
const char *const pj_ec_platforms[] = {"douyin",          "kuaishou", "taobao",
                                       "wechat_channels", "jd",       "pinduoduo",
                                       "xiaohongshu",     "other",    NULL};
const char *const pj_ec_categories[] = {"peach",     "eggs",  "farming", "culture_tourism",
                                        "vegetable", "fruit", "grain",   "handicraft",
                                        "food",      "other", NULL};
const char *const pj_ec_channels[] = {"livestream", "ecommerce", "offline", "wholesale", NULL};

const char *ec_who(const pj_ctx *c)
{
    return c->actor.username && *c->actor.username ? c->actor.username : "system";
}

int ec_require_writer(const pj_ctx *c, pj_err *err)
{
    return pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                          PJ_ROLE_ENTERPRISE, PJ_ROLE_NONE);
}

int ec_privileged(const pj_ctx *c, int64_t town, int64_t org)
{
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
        return 1;
    case PJ_ROLE_TOWNSHIP_OFFICER:
        return town && town == c->actor.township_id;
    case PJ_ROLE_ENTERPRISE:
        return org && org == c->actor.organisation_id;
    default:
        return 0;
    }
}

int ec_scope(const pj_ctx *c, int64_t town, int64_t org, const char *field, pj_err *err)
{
    if (ec_privileged(c, town, org)) return 0;
    if (c->actor.role == PJ_ROLE_ENTERPRISE)
        return pj_fail(err, 403, "forbidden", field ? field : "organisation_id",
                       "an enterprise acts only for its own organisation");
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER)
        return pj_fail(err, 403, "forbidden", field ? field : "township_id",
                       "outside your township");
    return pj_fail(err, 403, "forbidden", "", "your role may not do this");
}

int ec_streamer_privileged(const pj_ctx *c, int64_t town, int64_t org, int64_t org_town)
{
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
        return 1;
    case PJ_ROLE_TOWNSHIP_OFFICER:
        /* the organisation a streamer signs with sees its personal data too: an officer's
         * writes would reach another township's company */
        return town && town == c->actor.township_id && (!org || org_town == c->actor.township_id);
    case PJ_ROLE_ENTERPRISE:
        return org && org == c->actor.organisation_id;
    default:
        return 0;
    }
}

int ec_streamer_scope(const pj_ctx *c, int64_t town, int64_t org, int64_t org_town,
                      const char *field, pj_err *err)
{
    if (ec_streamer_privileged(c, town, org, org_town)) return 0;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && town == c->actor.township_id)
        return pj_fail(err, 403, "forbidden", field ? field : "organisation_id",
                       org_town ? "the streamer's organisation is of another township"
                                : "the streamer's organisation is of no township, not of yours");
    return ec_scope(c, town, org, field, err);
}

int ec_ref(pj_ctx *c, const char *sql, int64_t id, const char *field, pj_err *err)
{
    int rc = pj_render_exists(c, sql, id, err);
    if (rc < 0) return -1;
    if (!rc) return pj_fail(err, 422, "unknown_id", field, "no %s %lld", field, (long long)id);
    return 0;
}

int ec_date(const char *s, int64_t *days, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10) return -1;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return -1;
    int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int mm = (s[5] - '0') * 10 + (s[6] - '0'), dd = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (yy < 1900 || mm < 1 || mm > 12 || dd < 1 || dd > mdays[mm - 1]) return -1;
    int leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
    if (mm == 2 && dd == 29 && !leap) return -1;
    if (days) *days = pj_days_from_civil(yy, mm, dd);
    if (y) *y = yy;
    if (m) *m = mm;
    if (d) *d = dd;
    return 0;
}

int64_t ec_today(void)
{
    return pj_local_day(pj_now()); /* the district's date, not UTC's */
}

int64_t ec_run(pj_ctx *c, pj_err *err, const char *sql, const char *kinds, ...)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    va_list ap;
    va_start(ap, kinds);
    for (int i = 0; kinds[i]; i++) {
        if (kinds[i] == 's') {
            pj_stmt_text(s, i + 1, va_arg(ap, const char *));
        } else {
            int64_t v = va_arg(ap, int64_t);
            if (kinds[i] == 'r' && !v)
                pj_stmt_null(s, i + 1);
            else
                pj_stmt_int(s, i + 1, v);
        }
    }
    va_end(ap);
    int rc = pj_stmt_step(s, err);
    int64_t v = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : v;
}

int ec_int(pj_ctx *c, const char *sql, int64_t id, int64_t *out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) *out = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc;
}

void ec_day_str(int64_t day, char out[11])
{
    char iso[21];
    pj_time_iso(day * 86400, iso);
    memcpy(out, iso, 10);
    out[10] = 0;
}

/* ---- bases ---- */

static int base_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT b.id, b.name, b.tier, b.township_id, r.name, b.organisation_id, b.facility_id,"
        " b.source, b.created_at, b.updated_at, b.version, (SELECT COUNT(*) FROM ec_studios t"
        " WHERE t.base_id = b.id), (SELECT COUNT(*) FROM ec_streamers x WHERE x.base_id = b.id"
        " AND x.anonymised = 0) FROM ec_bases b LEFT JOIN regions r ON r.id = b.township_id"
        " WHERE b.id = ?",
        id, "base", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "name", s, 1);
    pj_render_text(w, "tier", s, 2);
    pj_render_ref(w, "township_id", s, 3);
    pj_render_text(w, "township", s, 4);
    pj_render_ref(w, "organisation_id", s, 5);
    pj_render_ref(w, "facility_id", s, 6);
    pj_jw_kint(w, "studios", pj_col_int(s, 11));
    pj_jw_kint(w, "streamers", pj_col_int(s, 12));
    pj_render_text(w, "source", s, 7);
    pj_render_time(w, "created_at", pj_col_int(s, 8));
    pj_render_time(w, "updated_at", pj_col_int(s, 9));
    pj_jw_kint(w, "version", pj_col_int(s, 10));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ec_base_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_q_enum("tier", f->tier, pj_ec_tiers, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ec_bases WHERE id > ? AND (? IS NULL OR tier = ?)"
                               " AND (? = 0 OR township_id = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_text(s, 2, f->tier);
    pj_stmt_text(s, 3, f->tier);
    pj_stmt_int(s, 4, f->township_id);
    pj_stmt_int(s, 5, f->township_id);
    pj_stmt_int(s, 6, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, base_render, w, err);
}

int pj_ec_base_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return base_render(c, id, w, err);
}

int pj_ec_base_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"name",        "tier", "township_id", "organisation_id",
                                         "facility_id", NULL};
    const char *name, *tier;
    int64_t town = 0, org = 0, fac = 0;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_text_trimmed(c->arena, body, "name", 1, 64, &name, err) < 0 ||
        pj_in_enum(body, "tier", 1, pj_ec_tiers, &tier, err) < 0 ||
        pj_in_ref(body, "township_id", 0, &town, err) < 0 ||
        pj_in_ref(body, "organisation_id", 0, &org, err) < 0 ||
        pj_in_ref(body, "facility_id", 0, &fac, err) < 0)
        return -1;
    if (town && ec_ref(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'", town,
                       "township_id", err))
        return -1;
    if (org && ec_ref(c, "SELECT 1 FROM organisations WHERE id = ?", org, "organisation_id", err))
        return -1;
    if (fac && ec_ref(c, "SELECT 1 FROM facilities WHERE id = ?", fac, "facility_id", err))
        return -1;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && town != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "township_id", "outside your township");
    if (pj_rec_facility_reach(c, fac, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now(), id;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ec_bases (name, tier, township_id, organisation_id,"
                               " facility_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                               " RETURNING id",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, tier);
    if (town)
        pj_stmt_int(s, 3, town);
    else
        pj_stmt_null(s, 3);
    if (org)
        pj_stmt_int(s, 4, org);
    else
        pj_stmt_null(s, 4);
    if (fac)
        pj_stmt_int(s, 5, fac);
    else
        pj_stmt_null(s, 5);
    pj_stmt_int(s, 6, now);
    pj_stmt_int(s, 7, now);
    int rc = pj_stmt_step(s, err);
    id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "name", "a base named %s exists", name);
        goto fail;
    }
    /* the "1+5+N" layout: one academy HQ, five platforms, any number of village points */
    int64_t have = 0;
    pj_stmt *q = pj_db_prepare(c->db, "SELECT COUNT(*) FROM ec_bases WHERE tier = ?", err);
    if (!q) goto fail;
    pj_stmt_text(q, 1, tier);
    rc = pj_stmt_step(q, err);
    if (rc == 1) have = pj_col_int(q, 0);
    pj_stmt_done(q);
    if (rc < 0) goto fail;
    if ((!strcmp(tier, "hq") && have > 1) || (!strcmp(tier, "platform") && have > 5)) {
        pj_fail(err, 409, "conflict", "tier",
                "the \"1+5+N\" layout has one academy HQ and five platforms, and they are all"
                " here: add a village point");
        goto fail;
    }
    if (pj_render_commit(c, "create", "ec_base", id, NULL, base_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- studios ---- */

static int studio_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT t.id, t.base_id, b.name, t.name, t.source, t.created_at,"
                              " t.version FROM ec_studios t JOIN ec_bases b ON b.id = t.base_id"
                              " WHERE t.id = ?",
                              id, "studio", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "base_id", pj_col_int(s, 1));
    pj_render_text(w, "base", s, 2);
    pj_render_text(w, "name", s, 3);
    pj_render_text(w, "source", s, 4);
    pj_render_time(w, "created_at", pj_col_int(s, 5));
    pj_jw_kint(w, "version", pj_col_int(s, 6));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ec_studio_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ec_studios WHERE id > ? AND (? = 0 OR base_id = ?)"
                               " ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->base_id);
    pj_stmt_int(s, 3, f->base_id);
    pj_stmt_int(s, 4, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, studio_render, w, err);
}

/* Township of a base (0 when none); -1 and 404 when the base is missing. */
static int base_town(pj_ctx *c, int64_t base_id, int64_t *town, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT township_id FROM ec_bases WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, base_id);
    int rc = pj_stmt_step(s, err);
    *town = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return rc == 0 ? pj_not_found(err, "base", base_id) : 0;
}

int pj_ec_studio_create(pj_ctx *c, int64_t base_id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"name", NULL};
    const char *name;
    int64_t town;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_NONE) ||
        base_town(c, base_id, &town, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) ||
        pj_in_text_trimmed(c->arena, body, "name", 1, 64, &name, err) < 0 ||
        ec_scope(c, town, 0, "id", err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(
        c->db, "INSERT INTO ec_studios (base_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
        err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, base_id);
    pj_stmt_text(s, 2, name);
    pj_stmt_int(s, 3, pj_now());
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "name", "the base has a studio named %s", name);
        goto fail;
    }
    if (pj_render_commit(c, "create", "ec_studio", id, NULL, studio_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- bookings ---- */

static int booking_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_row_by_id(c,
                     "SELECT k.id, k.studio_id, t.name, t.base_id, k.organisation_id,"
                     " o.name, k.streamer_id, k.starts_at, k.ends_at, k.purpose, k.state,"
                     " k.source, k.created_at, k.created_by, k.version,"
                     " " PJ_SQL_BY_NAME_OF "k.created_by" PJ_SQL_BY_NAME_END " FROM ec_bookings"
                     " k JOIN ec_studios t ON t.id = k.studio_id LEFT JOIN organisations"
                     " o ON o.id = k.organisation_id WHERE k.id = ?",
                     id, "booking", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "studio_id", pj_col_int(s, 1));
    pj_render_text(w, "studio", s, 2);
    pj_jw_kint(w, "base_id", pj_col_int(s, 3));
    pj_render_ref(w, "organisation_id", s, 4);
    pj_render_text(w, "organisation", s, 5);
    pj_render_ref(w, "streamer_id", s, 6);
    pj_render_time(w, "starts_at", pj_col_int(s, 7));
    pj_render_time(w, "ends_at", pj_col_int(s, 8));
    pj_jw_kint(w, "slots", (pj_col_int(s, 8) - pj_col_int(s, 7)) / PJ_EC_SLOT_S);
    pj_render_text(w, "purpose", s, 9);
    pj_render_text(w, "state", s, 10);
    pj_render_text(w, "source", s, 11);
    pj_render_time(w, "created_at", pj_col_int(s, 12));
    pj_render_by(w, "created_by", s, 13, 15);
    pj_jw_kint(w, "version", pj_col_int(s, 14));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_ec_booking_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return booking_render(c, id, w, err);
}

/* A calendar bound: an ISO-8601 UTC time as given, or a bare date as a day of Beijing time —
 * `from` its first instant, `to` the end of it (so from=to=D is the day D). */
static int q_time(const char *s, const char *field, int end_of_day, int64_t *out, pj_err *err)
{
    if (s && pj_time_parse_local(s, out))
        return pj_fail(err, 400, "bad_query", field, "%s must be a date or an ISO-8601 UTC time",
                       field);
    if (s && end_of_day && strlen(s) == 10) *out += 86400;
    return 0;
}

int pj_ec_booking_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    int64_t from = INT64_MIN, to = INT64_MAX;
    if (q_time(f->from, "from", 0, &from, err) || q_time(f->to, "to", 1, &to, err)) return -1;
    /* to's last second (a date to is its whole day): a from after it is a reversed range */
    if (f->from && f->to && from > to - (strlen(f->to) == 10 ? 1 : 0))
        return pj_q_range_fail("from", f->from, "to", f->to, err);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT k.id FROM ec_bookings k JOIN ec_studios t ON t.id ="
                               " k.studio_id WHERE k.id > ? AND k.state = 'booked' AND (? = 0 OR"
                               " k.studio_id = ?) AND (? = 0 OR t.base_id = ?) AND (? = 0 OR"
                               " k.organisation_id = ?) AND k.ends_at > ? AND k.starts_at < ?"
                               " ORDER BY k.id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->studio_id);
    pj_stmt_int(s, 3, f->studio_id);
    pj_stmt_int(s, 4, f->base_id);
    pj_stmt_int(s, 5, f->base_id);
    pj_stmt_int(s, 6, f->organisation_id);
    pj_stmt_int(s, 7, f->organisation_id);
    pj_stmt_int(s, 8, from);
    pj_stmt_int(s, 9, to);
    pj_stmt_int(s, 10, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, booking_render, w, err);
}

static int body_time(json_t *b, const char *key, int64_t *out, pj_err *err)
{
    const char *v;
    if (pj_in_str(b, key, 1, 1, 32, &v, err) < 0) return -1;
    /* a slot has a time of day: a bare date (a day in Beijing, api.md) names none, and read as
     * 00:00 UTC it was 08:00 in Beijing */
    if (strlen(v) != 20 || pj_time_parse(v, out))
        return pj_fail(err, 422, "invalid_value", key,
                       "%s must be an ISO-8601 UTC time YYYY-MM-DDTHH:MM:SSZ", key);
    if (*out % PJ_EC_SLOT_S)
        return pj_fail(err, 422, "invalid_value", key, "%s must be on a 30-minute boundary", key);
    return 0;
}

/* "YYYY-MM-DD HH:MM" of t in Beijing time */
static void local_hm(int64_t t, char out[17])
{
    char iso[21];
    pj_time_iso(t + PJ_LOCAL_OFFSET_S, iso);
    snprintf(out, 17, "%.10s %.5s", iso, iso + 11);
}

/* 409 studio_booked for slot time t of studio: the booking holding it, its times in Beijing
 * time (as dates are judged: UTC+8), at starts_at when the clash is at the start, else at
 * ends_at (the start is free, the booking runs into the other). */
static void booked_at(pj_ctx *c, int64_t studio, int64_t t, int at_start, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT k.starts_at, k.ends_at FROM ec_booking_slots q JOIN"
                               " ec_bookings k ON k.id = q.booking_id WHERE q.studio_id = ? AND"
                               " q.slot = ?",
                               NULL);
    int64_t a = t, b = t + PJ_EC_SLOT_S;
    if (s) {
        pj_stmt_int(s, 1, studio);
        pj_stmt_int(s, 2, t / PJ_EC_SLOT_S);
        if (pj_stmt_step(s, NULL) == 1) {
            a = pj_col_int(s, 0);
            b = pj_col_int(s, 1);
        }
        pj_stmt_done(s);
    }
    char la[17], lb[17];
    local_hm(a, la);
    local_hm(b, lb);
    pj_fail(err, 409, "studio_booked", at_start ? "starts_at" : "ends_at",
            "studio %lld is booked from %s to %s Beijing time (UTC+08:00)", (long long)studio, la,
            memcmp(la, lb, 10) ? lb : lb + 11);
}

int pj_ec_booking_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"studio_id",   "starts_at", "ends_at", "organisation_id",
                                         "streamer_id", "purpose",   NULL};
    int64_t studio, t0, t1, org = 0, streamer = 0, town = 0;
    const char *purpose = "";
    if (ec_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "studio_id", 1, &studio, err) < 0 ||
        body_time(body, "starts_at", &t0, err) || body_time(body, "ends_at", &t1, err) ||
        pj_in_ref(body, "organisation_id", 0, &org, err) < 0 ||
        pj_in_ref(body, "streamer_id", 0, &streamer, err) < 0 ||
        pj_in_str(body, "purpose", 0, 0, 200, &purpose, err) < 0)
        return -1;
    if (t1 <= t0)
        return pj_fail(err, 422, "invalid_value", "ends_at", "ends_at must be after starts_at");
    /* from the slot under way on: a studio is not booked for a time gone */
    int64_t now = pj_now();
    if (t0 < now - now % PJ_EC_SLOT_S)
        return pj_fail(err, 422, "invalid_value", "starts_at",
                       "starts_at is in the past: a booking starts in the current 30-minute slot"
                       " or later");
    if ((t1 - t0) / PJ_EC_SLOT_S > PJ_EC_MAX_SLOTS)
        return pj_fail(err, 422, "out_of_range", "ends_at", "a booking is at most 24 hours");
    if (c->actor.role == PJ_ROLE_ENTERPRISE) {
        if (org && org != c->actor.organisation_id)
            return pj_fail(err, 403, "forbidden", "organisation_id",
                           "an enterprise books only for its own organisation");
        org = c->actor.organisation_id;
        if (!org) return pj_fail(err, 403, "forbidden", "", "your account has no organisation");
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT b.township_id FROM ec_studios t JOIN ec_bases b ON b.id ="
                               " t.base_id WHERE t.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, studio);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) town = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", "studio_id", "no studio %lld", (long long)studio);
    if (org && ec_ref(c, "SELECT 1 FROM organisations WHERE id = ?", org, "organisation_id", err))
        return -1;
    /* the streamer named: one the caller acts for (the streamer rule, as for its sessions),
     * and the booking is its organisation's (taken from it when not given) */
    if (streamer) {
        s = pj_db_prepare(c->db,
                          "SELECT x.township_id, x.organisation_id, o.township_id FROM"
                          " ec_streamers x LEFT JOIN organisations o ON o.id = x.organisation_id"
                          " WHERE x.id = ? AND x.anonymised = 0",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, streamer);
        rc = pj_stmt_step(s, err);
        int64_t stown = rc == 1 ? pj_col_int(s, 0) : 0, sorg = rc == 1 ? pj_col_int(s, 1) : 0;
        int64_t sorg_town = rc == 1 ? pj_col_int(s, 2) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (rc == 0)
            return pj_fail(err, 422, "unknown_id", "streamer_id", "no streamer %lld",
                           (long long)streamer);
        if (!ec_streamer_privileged(c, stown, sorg, sorg_town))
            return pj_fail(err, 403, "forbidden", "streamer_id",
                           c->actor.role == PJ_ROLE_ENTERPRISE
                               ? "the streamer is not of your organisation"
                               : "the streamer is not one you act for (of another township, or"
                                 " signed with an organisation of another township or of none)");
        if (sorg && !org) org = sorg;
        if (sorg && org != sorg)
            return pj_fail(err, 422, "invalid_value", "streamer_id",
                           "streamer %lld is of organisation %lld, not of the booking's"
                           " (organisation %lld): a booking naming a streamer is its"
                           " organisation's",
                           (long long)streamer, (long long)sorg, (long long)org);
    }
    /* a township officer books the studios of their township's bases; an enterprise any
     * shared studio for itself */
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && ec_scope(c, town, 0, "studio_id", err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    s = pj_db_prepare(c->db,
                      "INSERT INTO ec_bookings (studio_id, organisation_id, streamer_id,"
                      " starts_at, ends_at, purpose, created_at, created_by) VALUES (?, ?, ?, ?,"
                      " ?, ?, ?, ?) RETURNING id",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, studio);
    if (org)
        pj_stmt_int(s, 2, org);
    else
        pj_stmt_null(s, 2);
    if (streamer)
        pj_stmt_int(s, 3, streamer);
    else
        pj_stmt_null(s, 3);
    pj_stmt_int(s, 4, t0);
    pj_stmt_int(s, 5, t1);
    pj_stmt_text(s, 6, purpose);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_text(s, 8, ec_who(c));
    rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    /* one row per slot: the primary key (studio_id, slot) refuses a second booking */
    for (int64_t t = t0; t < t1; t += PJ_EC_SLOT_S) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO ec_booking_slots (studio_id, slot, booking_id) VALUES (?,"
                          " ?, ?)",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, studio);
        pj_stmt_int(s, 2, t / PJ_EC_SLOT_S);
        pj_stmt_int(s, 3, id);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) {
            if (err && err->status == 409) booked_at(c, studio, t, t == t0, err);
            goto fail;
        }
    }
    if (pj_render_commit(c, "create", "ec_booking", id, NULL, booking_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ec_booking_cancel(pj_ctx *c, int64_t id, pj_err *err)
{
    if (ec_require_writer(c, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT k.organisation_id, b.township_id, k.state, k.starts_at FROM"
                               " ec_bookings k JOIN ec_studios t ON t.id = k.studio_id JOIN"
                               " ec_bases b ON b.id = t.base_id WHERE k.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t org = rc == 1 ? pj_col_int(s, 0) : 0, town = rc == 1 ? pj_col_int(s, 1) : 0;
    int booked = rc == 1 && !strcmp(pj_col_text(s, 2), "booked");
    int64_t t0 = rc == 1 ? pj_col_int(s, 3) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "booking", id);
    if (ec_scope(c, town, org, "id", err)) return -1;
    if (!booked) return pj_fail(err, 409, "invalid_state", "", "the booking is cancelled already");
    /* a booking begun (before the current 30-minute slot, as a new one may not start) is the
     * studio's record of who used it: it stays */
    int64_t now = pj_now();
    if (t0 < now - now % PJ_EC_SLOT_S) {
        char at[17];
        local_hm(t0, at);
        return pj_fail(err, 409, "invalid_state", "starts_at",
                       "the booking began at %s Beijing time (UTC+08:00): only a booking not yet"
                       " begun is cancelled",
                       at);
    }
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
    if (!(before = pj_render_to_string(c, id, booking_render, err))) goto fail;
    /* the check above was made before the transaction: a cancel committed since by another
     * process is seen here, by the UPDATE's own condition */
    s = pj_db_prepare(c->db,
                      "UPDATE ec_bookings SET state = 'cancelled', version = version + 1 WHERE id"
                      " = ? AND state = 'booked'",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (pj_db_changes(c->db) != 1) {
        pj_fail(err, 409, "invalid_state", "", "the booking is cancelled already");
        goto fail;
    }
    s = pj_db_prepare(c->db, "DELETE FROM ec_booking_slots WHERE booking_id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || !(after = pj_render_to_string(c, id, booking_render, err)) ||
        pj_audit_add(c, "cancel", "ec_booking", id, before, after, err) || pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
