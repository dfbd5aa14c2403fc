/* Enterprise module: shared helpers, the holiday calendar, settings, the dispatch catalogue
 * and reception days. */
#include "domain/enterprise_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

/* ---- helpers ---- */

int ent_calendar_load(pj_ctx *c, pj_cal *out, pj_err *err)
{
    return ent_calendar_load_without(c, "", "", out, err);
}

int ent_calendar_load_without(pj_ctx *c, const char *year, const char *source, pj_cal *out,
                              pj_err *err)
{
#define ENT_CAL_KEPT " WHERE NOT (substr(day, 1, 4) = ?1 AND source = ?2)"
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM ent_calendar" ENT_CAL_KEPT, err);
    if (!s) return -1;
    pj_stmt_text(s, 1, year);
    pj_stmt_text(s, 2, source);
    int rc = pj_stmt_step(s, err);
    int n = rc == 1 ? (int)pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_cal_day *days = pj_arena_alloc(c->arena, sizeof(pj_cal_day) * (size_t)(n + 1));
    s = pj_db_prepare(c->db, "SELECT day, kind FROM ent_calendar" ENT_CAL_KEPT " ORDER BY day",
                      err);
#undef ENT_CAL_KEPT
    if (!s) return -1;
    pj_stmt_text(s, 1, year);
    pj_stmt_text(s, 2, source);
    int k = 0;
    while (k < n && (rc = pj_stmt_step(s, err)) == 1) {
        int32_t d;
        if (pj_cal_parse(pj_col_text(s, 0), &d)) continue;
        days[k].day = d;
        days[k].kind = strcmp(pj_col_text(s, 1), "workday") ? PJ_CAL_HOLIDAY : PJ_CAL_WORKDAY;
        k++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    out->days = days;
    out->n = k;
    return 0;
}

double ent_setting(pj_ctx *c, const char *key, double def)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT value FROM settings WHERE key = ?", NULL);
    if (!s) return def;
    pj_stmt_text(s, 1, key);
    double v = def;
    if (pj_stmt_step(s, NULL) == 1 && pj_parse_double(pj_col_text(s, 0), &v)) v = def;
    pj_stmt_done(s);
    return v;
}

int ent_is_officer(const pj_ctx *c)
{
    return pj_ctx_district(c) || c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER;
}

int64_t ent_list_org(const pj_ctx *c, int64_t filter_org, int64_t bank)
{
    if (c->actor.role != PJ_ROLE_ENTERPRISE || bank) return filter_org;
    /* a firm's lists are of its own organisation: a filter naming another selects nothing (not
     * the firm's own rows under the other's id) */
    if (!c->actor.organisation_id || (filter_org && filter_org != c->actor.organisation_id))
        return -1;
    return c->actor.organisation_id;
}

int64_t ent_list_town(const pj_ctx *c)
{
    return c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER ? c->actor.township_id : 0;
}

int ent_can_see(pj_ctx *c, int64_t org_id, int64_t township_id, const char *what, int64_t id,
                pj_err *err)
{
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
    case PJ_ROLE_VIEWER:
        return 0;
    case PJ_ROLE_TOWNSHIP_OFFICER:
        if (township_id && township_id == c->actor.township_id) return 0;
        break;
    case PJ_ROLE_ENTERPRISE:
        if (org_id && org_id == c->actor.organisation_id) return 0;
        break;
    default:
        break;
    }
    return pj_not_found(err, what, id);
}

int ent_acting_org(pj_ctx *c, json_t *body, int64_t *org_id, int64_t *township_id, pj_err *err)
{
    int64_t org = 0;
    if (c->actor.role == PJ_ROLE_ENTERPRISE) {
        if (json_object_get(body, "organisation_id") &&
            (pj_in_ref(body, "organisation_id", 0, &org, err) < 0 ||
             org != c->actor.organisation_id))
            return pj_fail(err, 403, "forbidden", "organisation_id",
                           "an enterprise acts only for its own organisation");
        org = c->actor.organisation_id;
        if (!org) return pj_fail(err, 403, "forbidden", "", "your account has no organisation");
    } else if (pj_in_ref(body, "organisation_id", 1, &org, err) < 0) {
        return -1;
    }
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT township_id, type FROM organisations WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
    int is_ent = rc == 1 && !strcmp(pj_col_text(s, 1), "enterprise");
    char type[32] = "";
    if (rc == 1) snprintf(type, sizeof type, "%s", pj_col_text(s, 1));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* a bank's (or a department's) own account acts for no firm: refused as such, not at a
     * field it did not send */
    if (c->actor.role == PJ_ROLE_ENTERPRISE && !is_ent)
        return pj_fail(err, 403, "forbidden", "",
                       "your account's organisation is not an enterprise (%s%s): only a firm's"
                       " account, or an officer for a firm, does this",
                       rc == 1 ? "it is of type " : "it no longer exists", rc == 1 ? type : "");
    if (rc == 0 || !is_ent)
        return pj_fail(err, 422, "unknown_id", "organisation_id", "no enterprise %lld",
                       (long long)org);
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && town != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "organisation_id", "outside your township");
    *org_id = org;
    *township_id = town;
    return 0;
}

int ent_firms_load(pj_ctx *c, int64_t org, ent_firms *f, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT COUNT(*) FROM organisations WHERE type = 'enterprise'"
                               " AND (? = 0 OR id = ?)",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org);
    pj_stmt_int(s, 2, org);
    int rc = pj_stmt_step(s, err);
    int n = rc == 1 ? (int)pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    f->ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(n + 1));
    f->rec = pj_arena_calloc(c->arena, (size_t)(n + 1), sizeof(pj_rule_rec));
    s = pj_db_prepare(
        c->db,
        "SELECT o.id, o.industry, t.name, p.scale, p.credit, p.employees, p.revenue_wan,"
        " p.tax_wan, p.founded_year, p.high_tech, p.specialized FROM organisations o"
        " LEFT JOIN regions t ON t.id = o.township_id LEFT JOIN ent_profiles p ON p.org_id = o.id"
        " WHERE o.type = 'enterprise' AND (? = 0 OR o.id = ?) ORDER BY o.id",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org);
    pj_stmt_int(s, 2, org);
    int k = 0;
    while (k < n && (rc = pj_stmt_step(s, err)) == 1) {
        f->ids[k] = pj_col_int(s, 0);
        pj_rule_rec *r = &f->rec[k];
        for (int i = 0; i < PJ_RA_COUNT; i++) {
            if (pj_col_is_null(s, i + 1)) continue;
            if (pj_rule_attrs[i].type == PJ_RT_STR) {
                /* empty text is not reported: unknown, like NULL (docs/rules-language.md) */
                const char *v = pj_col_text(s, i + 1);
                if (!*v) continue;
                r->s[i] = pj_arena_strdup(c->arena, v);
            } else {
                r->n[i] = pj_col_double(s, i + 1);
            }
            r->known[i] = 1;
        }
        k++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    f->n = k;
    return 0;
}

int ent_load_rec(pj_ctx *c, int64_t org_id, pj_rule_rec *rec, pj_err *err)
{
    ent_firms f;
    memset(rec, 0, sizeof *rec);
    if (ent_firms_load(c, org_id ? org_id : -1, &f, err)) return -1;
    if (!f.n) return pj_not_found(err, "enterprise", org_id);
    *rec = f.rec[0];
    return 0;
}

int ent_load_visible(pj_ctx *c, int64_t org_id, pj_rule_rec *rec, pj_err *err)
{
    if (ent_load_rec(c, org_id, rec, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT township_id FROM organisations WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org_id);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return ent_can_see(c, org_id, town, "enterprise", org_id, err);
}

void ent_rule_tree(pj_ctx *c, pj_jw *w, const char *cond)
{
    pj_rule *r;
    pj_err e2 = {0};
    pj_jw_key(w, "conditions_tree");
    if (!cond || pj_rule_compile(c->arena, cond, "conditions", &r, &e2))
        pj_jw_null(w);
    else
        pj_rule_tree_json(w, r);
}

int ent_rule_accept(pj_ctx *c, const char *text, const char *field, pj_rule **out, pj_err *err)
{
    return pj_rule_compile(c->arena, text, field, out, err) ||
                   pj_rule_check_values(*out, field, err)
               ? -1
               : 0;
}

typedef struct rule_text {
    int attr, col;
    const char *value;
} rule_text;

typedef struct rule_texts {
    pj_arena *a;
    rule_text *v;
    int n, cap;
} rule_texts;

static void collect_text(void *ud, int attr, const char *value, int col)
{
    rule_texts *t = ud;
    if (attr != PJ_RA_INDUSTRY && attr != PJ_RA_TOWNSHIP) return;
    t->v = pj_arena_room(t->a, t->v, t->n, &t->cap, sizeof *t->v, 8);
    t->v[t->n++] = (rule_text){attr, col, value};
}

int ent_rule_warnings(pj_ctx *c, const pj_rule *r, pj_jw *w, pj_err *err)
{
    rule_texts t = {c->arena, NULL, 0, 0};
    pj_rule_each_text(r, collect_text, &t);
    pj_jw_arr(w);
    for (int i = 0; i < t.n; i++) {
        int town = t.v[i].attr == PJ_RA_TOWNSHIP;
        /* what a firm's attribute reads (ent_firms_load): its organisation's industry, its
         * township's name; and, for a value of another case, the one meant */
        pj_stmt *s = pj_db_prepare(
            c->db,
            town ? "SELECT name, name = ?1 FROM regions WHERE type = 'township' AND lower(name) ="
                   " lower(?1) ORDER BY name = ?1 DESC LIMIT 1"
                 : "SELECT industry, industry = ?1 FROM organisations WHERE type = 'enterprise'"
                   " AND lower(industry) = lower(?1) ORDER BY industry = ?1 DESC LIMIT 1",
            err);
        if (!s) return -1;
        pj_stmt_text(s, 1, t.v[i].value);
        int rc = pj_stmt_step(s, err);
        int found = rc == 1 && pj_col_int(s, 1);
        char *meant = rc == 1 && !found ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : NULL;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (found) continue;
        const char *name = pj_rule_attrs[t.v[i].attr].name;
        pj_jw_obj(w);
        pj_jw_kstr(w, "field", name);
        pj_jw_kstr(w, "value", t.v[i].value);
        pj_jw_kint(w, "column", t.v[i].col);
        /* what the value matches, not what the clause does: under != or not, or beside known
         * items of an in-list, a clause with it still holds for many firms */
        char *msg = pj_arena_printf(
            c->arena, "column %d: %s \"%s\": %s, so the value matches no firm now%s%s%s",
            t.v[i].col, name, t.v[i].value,
            town ? "no township has that name" : "no enterprise has that industry",
            meant ? " (did you mean \"" : "", meant ? meant : "", meant ? "\"?)" : "");
        pj_jw_kstr(w, "message", msg);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    return 0;
}

char *ent_rule_warnings_text(pj_ctx *c, const char *cond, pj_err *err)
{
    pj_rule *r;
    pj_err e2 = {0};
    /* a stored rule of an older build that no longer parses: no warnings */
    if (!cond || pj_rule_compile(c->arena, cond, "conditions", &r, &e2)) return "[]";
    pj_buf b;
    pj_buf_init(&b, 256);
    pj_jw bw;
    pj_jw_init(&bw, &b);
    int rc = ent_rule_warnings(c, r, &bw, err);
    char *out = rc ? NULL : pj_arena_strdup(c->arena, b.data);
    pj_buf_free(&b);
    return out;
}

char *ent_json_text(pj_ctx *c, json_t *v)
{
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    char *out = pj_arena_strdup(c->arena, t ? t : "null");
    free(t);
    return out;
}

/* ---- calendar ---- */

int pj_ent_calendar_list(pj_ctx *c, int year, pj_jw *w, pj_err *err)
{
    char lo[24], hi[24];
    snprintf(lo, sizeof lo, "%04d-01-01", year ? year : 1900);
    snprintf(hi, sizeof hi, "%04d-01-01", year ? year + 1 : 3000);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, day, kind, name, source FROM ent_calendar"
                               " WHERE day >= ? AND day < ? ORDER BY day",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, lo);
    pj_stmt_text(s, 2, hi);
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        pj_render_text(w, "day", s, 1);
        pj_render_text(w, "kind", s, 2);
        pj_render_text(w, "name", s, 3);
        pj_render_text(w, "source", s, 4);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    /* the years the calendar holds no day of, into which the deadline of an appeal not closed
     * runs: those deadlines are provisional until the year's days are entered */
    s = pj_db_prepare(c->db,
                      "SELECT DISTINCT CAST(strftime('%Y', t + 28800, 'unixepoch') AS INTEGER) AS y"
                      " FROM (SELECT received_at AS t FROM ent_appeals WHERE state != 'closed'"
                      " UNION SELECT complete_due - 1 FROM ent_appeals WHERE state != 'closed')"
                      " WHERE " ENT_NO_CALENDAR_YEAR("t") " ORDER BY y",
                      err);
    if (!s) return -1;
    pj_jw_key(w, "years_missing");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) pj_jw_int(w, pj_col_int(s, 0));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

/* One calendar day as an object; left open (close 0) for the caller to add to. */
static int calendar_obj(pj_ctx *c, int64_t id, pj_jw *w, int close, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, day, kind, name, source FROM ent_calendar"
                               " WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        pj_render_text(w, "day", s, 1);
        pj_render_text(w, "kind", s, 2);
        pj_render_text(w, "name", s, 3);
        pj_render_text(w, "source", s, 4);
        if (close) pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return rc == 0 ? pj_not_found(err, "calendar day", id) : 0;
}

static int calendar_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return calendar_obj(c, id, w, 1, err);
}

/* The planned reception days held on `day`, today or later (Beijing time: a past day no longer
 * moves), that are no working day under the calendar as it now is (the calendar made their date
 * a holiday): the district is to move them (PATCH held_on). Written as
 * "reception_days_to_move": [{id, held_on, first_monday, signup_count, appeals}] (appeals: all
 * raised at the day, a district write; a day with appeals keeps its date, 409 has_appeals). */
static int calendar_days_to_move(pj_ctx *c, const char *day, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT r.id, r.held_on, r.first_monday, (SELECT COUNT(*) FROM"
        " ent_signups g WHERE g.reception_day_id = r.id), (SELECT COUNT(*) FROM"
        " ent_appeals a WHERE a.reception_day_id = r.id AND a.channel ="
        " 'reception_day') FROM ent_reception_days r WHERE r.held_on = ? AND r.held_on >= ? AND"
        " r.state = 'planned' AND " ENT_NOT_WORKDAY("r.held_on") " ORDER BY r.id",
        err);
    if (!s) return -1;
    char today[11];
    pj_local_date(pj_now(), today);
    pj_stmt_text(s, 1, day);
    pj_stmt_text(s, 2, today);
    pj_jw_key(w, "reception_days_to_move");
    pj_jw_arr(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        pj_render_text(w, "held_on", s, 1);
        pj_render_text(w, "first_monday", s, 2);
        pj_jw_kint(w, "signup_count", pj_col_int(s, 3));
        pj_jw_kint(w, "appeals", pj_col_int(s, 4));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    return 0;
}

int pj_ent_calendar_set(pj_ctx *c, json_t *body, pj_jw *w, int *created, pj_err *err)
{
    static const char *const fields[] = {"day", "kind", "name", "source", NULL};
    static const char *const kinds[] = {"holiday", "workday", NULL};
    /* source: where the day comes from (the seeded days say gov.cn, the State Council's
     * notice); a day entered without one is 'manual' */
    const char *day, *kind, *name = "", *source = "manual";
    int32_t d;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_str(body, "day", 1, 10, 10, &day, err) < 0 ||
        pj_in_enum(body, "kind", 1, kinds, &kind, err) < 0 ||
        pj_in_text(body, "name", 0, 0, 64, &name, err) < 0 ||
        pj_in_text(body, "source", 0, 1, 32, &source, err) < 0)
        return -1;
    int y, m, dd;
    if (pj_cal_parse(day, &d))
        return pj_fail(err, 422, "invalid_value", "day", "day must be a date YYYY-MM-DD");
    pj_cal_to_civil(d, &y, &m, &dd);
    if (y < PJ_ENT_CAL_YEAR_MIN || y > PJ_ENT_CAL_YEAR_MAX)
        return pj_fail(err, 422, "invalid_value", "day",
                       "day must be a date YYYY-MM-DD in the years %d to %d (not %d)",
                       PJ_ENT_CAL_YEAR_MIN, PJ_ENT_CAL_YEAR_MAX, y);
    if (pj_db_begin(c->db, err)) return -1;
    int64_t id = 0;
    char *before = NULL;
    pj_cal was, now;
    if (ent_calendar_load(c, &was, err)) goto fail;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT id FROM ent_calendar WHERE day = ?", err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, day);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) id = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    /* a make-up working day (调休上班) is a Saturday or Sunday worked: a weekday is a working
     * day already, so a new workday there is a mistyped date (a holiday of the calendar made a
     * working day again is a change of that day) */
    if (!id && !strcmp(kind, "workday") && pj_cal_weekday(d) < 5) {
        pj_fail(err, 422, "invalid_value", "day",
                "%s is a weekday, a working day already: a make-up working day (workday) is a"
                " Saturday or Sunday",
                day);
        goto fail;
    }
    if (id) {
        if (!(before = pj_render_to_string(c, id, calendar_render, err))) goto fail;
        s = pj_db_prepare(
            c->db, "UPDATE ent_calendar SET kind = ?, name = ?, source = ? WHERE id = ?", err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, kind);
        pj_stmt_text(s, 2, name);
        pj_stmt_text(s, 3, source);
        pj_stmt_int(s, 4, id);
        if (pj_step_done(s, err)) goto fail;
    } else {
        s = pj_db_prepare(
            c->db,
            "INSERT INTO ent_calendar (id, day, kind, name, source) VALUES (" PJ_NEXT_ID(
                "ent_calendar") ",?,?,?,?) RETURNING id",
            err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, day);
        pj_stmt_text(s, 2, kind);
        pj_stmt_text(s, 3, name);
        pj_stmt_text(s, 4, source);
        rc = pj_stmt_step(s, err);
        if (rc == 1) id = pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc != 1) goto fail;
    }
    char *after = pj_render_to_string(c, id, calendar_render, err);
    if (!after) goto fail;
    /* the day as it was (sent again): nothing written, no audit row, no deadline redone */
    int same = before && pj_render_same(before, after);
    if (!same &&
        (pj_audit_add(c, before ? "update" : "create", "ent_calendar", id, before, after, err) ||
         ent_calendar_load(c, &now, err) ||
         ent_appeal_deadlines_redo(c, &was, &now, INT64_MAX, err)))
        goto fail;
    /* the day as stored, and the reception days it leaves on a day off (a calendar change
     * moves none by itself: the answer tells the district which to move) */
    if (calendar_obj(c, id, w, 0, err) || calendar_days_to_move(c, day, w, err)) goto fail;
    pj_jw_obj_end(w);
    if (same)
        pj_db_rollback(c->db);
    else if (pj_db_commit(c->db, err))
        goto fail;
    if (created) *created = !before;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_calendar_delete(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before = pj_render_to_string(c, id, calendar_render, err);
    char day[11] = "";
    pj_cal was, now;
    if (!before || ent_calendar_load(c, &was, err)) goto fail;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT day FROM ent_calendar WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) snprintf(day, sizeof day, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    s = pj_db_prepare(c->db, "DELETE FROM ent_calendar WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    if (pj_step_done(s, err) || pj_audit_add(c, "delete", "ent_calendar", id, before, NULL, err) ||
        ent_calendar_load(c, &now, err) || ent_appeal_deadlines_redo(c, &was, &now, INT64_MAX, err))
        goto fail;
    /* a make-up working day removed makes its date a day off again: the reception days it
     * leaves there are named as by a holiday entered (the district is to move them) */
    pj_jw_obj(w);
    if (calendar_days_to_move(c, day, w, err)) goto fail;
    pj_jw_obj_end(w);
    if (pj_db_commit(c->db, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- settings ---- */

static const char *const day_keys[] = {"inquiry", "help",       "complaint",
                                       "report",  "suggestion", NULL};
static const char *const weight_keys[] = {"response", "resolution", "satisfaction", NULL};

static void settings_render(pj_ctx *c, pj_jw *w)
{
    char key[48];
    pj_jw_obj(w);
    pj_jw_kint(w, "response_days", (int64_t)ent_setting(c, "ent_response_days", 1));
    pj_jw_key(w, "completion_days");
    pj_jw_obj(w);
    for (int i = 0; day_keys[i]; i++) {
        snprintf(key, sizeof key, "ent_days_%s", day_keys[i]);
        pj_jw_kint(w, day_keys[i], (int64_t)ent_setting(c, key, 13));
    }
    pj_jw_obj_end(w);
    pj_jw_key(w, "kpi_weights");
    pj_jw_obj(w);
    for (int i = 0; weight_keys[i]; i++) {
        snprintf(key, sizeof key, "ent_w_%s", weight_keys[i]);
        pj_jw_knum(w, weight_keys[i], ent_setting(c, key, 1.0 / 3));
    }
    pj_jw_obj_end(w);
    pj_jw_kint(w, "version", (int64_t)ent_setting(c, "ent_settings_version", 1));
    pj_jw_obj_end(w);
}

/* The settings as a string (for the audit row and the answer), through pj_render_to_string. */
static int settings_fn(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    (void)id;
    (void)err;
    settings_render(c, w);
    return 0;
}

int pj_ent_settings_get(pj_ctx *c, pj_jw *w, pj_err *err)
{
    settings_render(c, w);
    return 0;
}

static int set_value(pj_ctx *c, const char *key, double v, pj_err *err)
{
    char val[32];
    snprintf(val, sizeof val, "%.17g", v); /* the value as given (%.6g rounded 0.1234567) */
    pj_stmt *s = pj_db_prepare(c->db, "DELETE FROM settings WHERE key = ?", err);
    if (!s) return -1;
    pj_stmt_text(s, 1, key);
    if (pj_step_done(s, err)) return -1;
    s = pj_db_prepare(c->db, "INSERT INTO settings (key, value) VALUES (?, ?)", err);
    if (!s) return -1;
    pj_stmt_text(s, 1, key);
    pj_stmt_text(s, 2, val);
    return pj_step_done(s, err);
}

int pj_ent_settings_update(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"response_days", "completion_days", "kpi_weights",
                                         "version", NULL};
    int64_t rd = 0, version = 0;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_NONE) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) || pj_in_int(body, "response_days", 0, 1, 30, &rd, err) < 0 ||
        pj_in_int(body, "version", 0, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err))
        return -1;
    json_t *cd = json_object_get(body, "completion_days");
    json_t *kw = json_object_get(body, "kpi_weights");
    /* each an object of its own keys: another value is the field's wrong type, the body
     * itself well-formed */
    if (cd && !json_is_object(cd))
        return pj_fail(err, 422, "wrong_type", "completion_days",
                       "completion_days must be an object of days by appeal kind");
    if (kw && !json_is_object(kw))
        return pj_fail(err, 422, "wrong_type", "kpi_weights",
                       "kpi_weights must be an object of weights by measure");
    if (cd && pj_in_only(cd, day_keys, err)) {
        snprintf(err->field, sizeof err->field, "completion_days");
        return -1;
    }
    if (kw && pj_in_only(kw, weight_keys, err)) {
        snprintf(err->field, sizeof err->field, "kpi_weights");
        return -1;
    }
    int64_t days[8] = {0};
    double wts[4] = {-1, -1, -1, -1};
    /* a value at fault inside is named by its path (completion_days.inquiry), not the key
     * alone, which reads as a body field of its own */
    for (int i = 0; cd && day_keys[i]; i++)
        if (pj_in_int(cd, day_keys[i], 0, 1, 120, &days[i], err) < 0) {
            snprintf(err->field, sizeof err->field, "completion_days.%s", day_keys[i]);
            return -1;
        }
    for (int i = 0; kw && weight_keys[i]; i++)
        if (pj_in_num(kw, weight_keys[i], 0, 0, 100, &wts[i], err) < 0) {
            snprintf(err->field, sizeof err->field, "kpi_weights.%s", weight_keys[i]);
            return -1;
        }
    if (pj_db_begin(c->db, err)) return -1;
    /* read in the transaction: another writer's change just before is this change's "before" */
    char *before = pj_render_to_string(c, 0, settings_fn, err), *after;
    if (!before) goto fail;
    /* optional optimistic version: two admins editing at once do not overwrite each other */
    int64_t cur = (int64_t)ent_setting(c, "ent_settings_version", 1);
    if (version && version != cur) {
        pj_fail(err, 409, "version_conflict", "version",
                "the settings were changed by someone else (version %lld, yours %lld); reload",
                (long long)cur, (long long)version);
        goto fail;
    }
    char key[48];
    if (rd && set_value(c, "ent_response_days", (double)rd, err)) goto fail;
    for (int i = 0; day_keys[i]; i++) {
        snprintf(key, sizeof key, "ent_days_%s", day_keys[i]);
        if (days[i] && set_value(c, key, (double)days[i], err)) goto fail;
    }
    for (int i = 0; weight_keys[i]; i++) {
        snprintf(key, sizeof key, "ent_w_%s", weight_keys[i]);
        if (wts[i] >= 0 && set_value(c, key, wts[i], err)) goto fail;
    }
    /* the composite score divides by the weights' sum: all zero would leave every department
     * without one */
    double sum = 0;
    for (int i = 0; weight_keys[i]; i++) {
        snprintf(key, sizeof key, "ent_w_%s", weight_keys[i]);
        sum += ent_setting(c, key, 1.0 / 3);
    }
    if (!(sum > 0)) {
        pj_fail(err, 422, "invalid_value", "kpi_weights", "at least one weight must be above 0");
        goto fail;
    }
    if (!(after = pj_render_to_string(c, 0, settings_fn, err))) goto fail;
    if (!strcmp(before, after)) { /* nothing changed: nothing written, no audit row */
        pj_db_rollback(c->db);
        pj_jw_raw(w, after);
        return 0;
    }
    if (set_value(c, "ent_settings_version", (double)(cur + 1), err) ||
        !(after = pj_render_to_string(c, 0, settings_fn, err)) ||
        pj_audit_add(c, "update", "ent_settings", 0, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- dispatch catalogue ---- */

int pj_ent_dispatch_list(pj_ctx *c, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT d.category, d.department_id, o.name, d.version"
                               " FROM ent_dispatch d JOIN organisations o ON o.id ="
                               " d.department_id ORDER BY d.category",
                               err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_key(w, "items");
    pj_jw_arr(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_text(w, "category", s, 0);
        pj_jw_kint(w, "department_id", pj_col_int(s, 1));
        pj_render_text(w, "department", s, 2);
        pj_jw_kint(w, "version", pj_col_int(s, 3));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

/* 422 unless id is a government department. */
int ent_check_department(pj_ctx *c, int64_t id, const char *field, pj_err *err);
int ent_check_department(pj_ctx *c, int64_t id, const char *field, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT 1 FROM organisations WHERE id = ? AND type = 'government'", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", field, "no government department %lld",
                       (long long)id);
    return 0;
}

int pj_ent_dispatch_set(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"category", "department_id", NULL};
    const char *cat;
    int64_t dept;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_enum(body, "category", 1, pj_appeal_categories, &cat, err) < 0 ||
        pj_in_ref(body, "department_id", 1, &dept, err) < 0 ||
        ent_check_department(c, dept, "department_id", err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char before[96] = "";
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT department_id FROM ent_dispatch WHERE category = ?", err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, cat);
    int rc = pj_stmt_step(s, err);
    if (rc == 1)
        snprintf(before, sizeof before, "{\"category\":\"%s\",\"department_id\":%lld}", cat,
                 (long long)pj_col_int(s, 0));
    int64_t had = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    char *after = pj_arena_printf(c->arena, "{\"category\":\"%s\",\"department_id\":%lld}", cat,
                                  (long long)dept);
    if (rc == 1 && had == dept) { /* the department it has: nothing written, no audit row */
        pj_db_rollback(c->db);
        pj_jw_raw(w, after);
        return 0;
    }
    s = pj_db_prepare(c->db,
                      rc == 1 ? "UPDATE ent_dispatch SET department_id = ?, version = version + 1"
                                " WHERE category = ?"
                              : "INSERT INTO ent_dispatch (department_id, category) VALUES (?, ?)",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, dept);
    pj_stmt_text(s, 2, cat);
    if (pj_step_done(s, err)) goto fail;
    if (pj_audit_add(c, rc == 1 ? "update" : "create", "ent_dispatch", 0, before[0] ? before : NULL,
                     after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
