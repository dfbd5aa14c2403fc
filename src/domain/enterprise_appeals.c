/* Reception days and appeals (诉求): receive → dispatch → handle → evaluate, with returns,
 * reopenings, escalation of overdue appeals, return visits, and the KPIs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/enterprise_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "db/migrations.h"
#include "db/next_id.h"

#include "core/banned.h"

int ent_check_department(pj_ctx *c, int64_t id, const char *field, pj_err *err);

const char *const pj_appeal_types[] = {"inquiry", "help",       "complaint",
                                       "report",  "suggestion", NULL};
const char *const pj_appeal_categories[] = {"permits", "land",   "financing", "talent", "utilities",
                                            "tax",     "market", "logistics", "other",  NULL};
const char *const pj_appeal_channels[] = {"reception_day", "phone", "account", "visit", NULL};
const char *const pj_appeal_states[] = {"received", "dispatched", "in_progress",
                                        "replied",  "closed",     "returned",
                                        "reopened", "escalated",  NULL};
const char *const pj_reception_states[] = {"planned", "held", "cancelled", NULL};
static const char *const ratings[] = {"satisfied", "basically", "not_satisfied", NULL};

/* What the actor sees of appeals and sign-ups: an enterprise its own organisation's, a township
 * officer their township's (-1: nothing, for an account without one); 0: no limit. */
static int scope_where(pj_ctx *c, int64_t *org, int64_t *town)
{
    *org = c->actor.role == PJ_ROLE_ENTERPRISE
               ? (c->actor.organisation_id ? c->actor.organisation_id : -1)
               : 0;
    *town = c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER
                ? (c->actor.township_id ? c->actor.township_id : -1)
                : 0;
    return 0;
}

/* ---- reception days ---- */

static int reception_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    /* appeals: those raised at the day that the actor sees in the appeal list (all for the
     * district's roles and viewers, the township's for a township officer, its own for an
     * enterprise), counted from ent_appeals_day */
    int64_t only, town;
    scope_where(c, &only, &town);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT id, held_on, first_monday, moved_reason, leaders,"
        " department_ids, minutes, state, source, version,"
        " (SELECT COUNT(*) FROM ent_signups g WHERE g.reception_day_id ="
        " r.id), move_kind, r.state = 'planned' AND " ENT_NOT_WORKDAY(
            "r.held_on") ", (SELECT COUNT(*) FROM ent_appeals a WHERE a.reception_day_id = r.id"
                         " AND a.channel = 'reception_day' AND (?2 = 0 OR a.org_id = ?2) AND"
                         " (?3 = 0 OR a.township_id = ?3)) FROM ent_reception_days r WHERE id = ?1",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, only);
    pj_stmt_int(s, 3, town);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        return rc == 0 ? pj_not_found(err, "reception day", id) : -1;
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "held_on", s, 1);
    pj_render_text(w, "first_monday", s, 2);
    pj_render_text(w, "moved_reason", s, 3);
    pj_render_text(w, "move_kind", s, 11);
    pj_jw_key(w, "leaders");
    pj_jw_raw(w, pj_col_text(s, 4));
    pj_jw_key(w, "department_ids");
    pj_jw_raw(w, pj_col_text(s, 5));
    pj_render_text(w, "minutes", s, 6);
    pj_render_text(w, "state", s, 7);
    pj_render_text(w, "source", s, 8);
    pj_jw_kint(w, "version", pj_col_int(s, 9));
    pj_jw_kint(w, "signup_count", pj_col_int(s, 10));
    /* a planned day whose date the calendar has since made no working day: to be moved */
    pj_jw_kbool(w, "not_workday", (int)pj_col_int(s, 12));
    /* a day with appeals keeps its date and is not cancelled (409 has_appeals) */
    pj_jw_kint(w, "appeals", pj_col_int(s, 13));
    pj_stmt_done(s);
    /* signups: the district's roles and viewers see all; a township officer those of the
     * township's firms (as its appeals); an enterprise its own. The others count only in
     * signup_count. */
    s = pj_db_prepare(c->db,
                      "SELECT g.id, g.org_id, o.name, g.topic FROM ent_signups g JOIN"
                      " organisations o ON o.id = g.org_id WHERE g.reception_day_id = ?"
                      " AND (? = 0 OR g.org_id = ?) AND (? = 0 OR o.township_id = ?) ORDER BY"
                      " g.id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, only);
    pj_stmt_int(s, 3, only);
    pj_stmt_int(s, 4, town);
    pj_stmt_int(s, 5, town);
    pj_jw_key(w, "signups");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", pj_col_int(s, 0));
        pj_jw_kint(w, "organisation_id", pj_col_int(s, 1));
        pj_render_text(w, "organisation", s, 2);
        pj_render_text(w, "topic", s, 3);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

int pj_ent_reception_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    /* by date (a year scheduled after a later one still lists in calendar order); the cursor
     * is the last day's id, the page continues after that day's (held_on, id) */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ent_reception_days WHERE (?1 = 0 OR (held_on, id) >"
                               " (SELECT held_on, id FROM ent_reception_days WHERE id = ?1))"
                               " AND (?2 IS NULL OR state = ?2) ORDER BY held_on, id LIMIT ?3",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_text(s, 2, f->state);
    pj_stmt_int(s, 3, f->limit + 1);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(f->limit + 1));
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return pj_render_page(c, ids, n, f->limit, reception_render, w, err);
}

int pj_ent_reception_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return reception_render(c, id, w, err);
}

int pj_ent_reception_schedule(pj_ctx *c, json_t *body, pj_jw *w, int *created, pj_err *err)
{
    int added = 0;
    static const char *const fields[] = {"year", "from_today", NULL};
    int64_t year;
    int from_today = 0;
    pj_cal cal;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "year", 1, PJ_ENT_CAL_YEAR_MIN, PJ_ENT_CAL_YEAR_MAX, &year, err) < 0 ||
        pj_in_bool(body, "from_today", 0, &from_today, err) < 0 || ent_calendar_load(c, &cal, err))
        return -1;
    /* from_today: the days of the months to come only (a day before today, Beijing, is left
     * out); else every month, a past one's day recorded as the district held it */
    char today[11];
    pj_local_date(pj_now(), today);
    int skipped = 0;
    /* without the year's holidays the days would fall on them unseen (the State Council
     * publishes each year's in the November before) */
    int32_t y0 = pj_cal_from_civil((int)year, 1, 1), y1 = pj_cal_from_civil((int)year + 1, 1, 1);
    int have = 0;
    for (int i = 0; i < cal.n; i++) have += cal.days[i].day >= y0 && cal.days[i].day < y1;
    if (!have)
        return pj_fail(err, 422, "no_calendar", "year",
                       "the holiday calendar has no days for %lld; add the year's public"
                       " holidays and make-up working days first (the calendar: POST"
                       " /api/v1/enterprise/calendar, or pingji enterprise calendar-set)",
                       (long long)year);
    if (pj_db_begin(c->db, err)) return -1;
    pj_jw_obj(w);
    pj_jw_key(w, "created");
    pj_jw_arr(w);
    for (int m = 1; m <= 12; m++) {
        int32_t mon, held = pj_cal_reception_day(&cal, (int)year, m, &mon);
        char hs[11], ms[11];
        pj_cal_format(held, hs);
        pj_cal_format(mon, ms);
        pj_stmt *s = pj_db_prepare(
            c->db, "SELECT 1 FROM ent_reception_days WHERE first_monday = ? OR held_on = ?", err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, ms);
        pj_stmt_text(s, 2, hs);
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
        if (rc == 1) continue;
        if (from_today && strcmp(hs, today) < 0) { /* a month without a day, left out */
            skipped++;
            continue;
        }
        char reason[128] = "";
        if (held != mon)
            snprintf(reason, sizeof reason, "%s is not a working day; moved to the next one", ms);
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_reception_days (held_on, first_monday, moved_reason,"
                          " move_kind, created_at, updated_at) VALUES (?,?,?,?,?,?) RETURNING id",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, hs);
        pj_stmt_text(s, 2, ms);
        pj_stmt_text(s, 3, reason);
        pj_stmt_text(s, 4, *reason ? "calendar" : NULL);
        pj_stmt_int(s, 5, pj_now());
        pj_stmt_int(s, 6, pj_now());
        rc = pj_stmt_step(s, err);
        int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc != 1) goto fail;
        char *after = pj_render_to_string(c, id, reception_render, err);
        if (!after || pj_audit_add(c, "create", "ent_reception_day", id, NULL, after, err))
            goto fail;
        pj_jw_raw(w, after);
        added++;
    }
    pj_jw_arr_end(w);
    pj_jw_kint(w, "skipped_past", skipped);
    pj_jw_obj_end(w);
    if (pj_db_commit(c->db, err)) goto fail;
    if (created) *created = added;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* Each firm signed up for the day (a withdrawn sign-up is no more) gets a notice of `kind`
 * naming the day's date before and after (NULL: cancelled), with one `notify` audit row for
 * the day when any firm was told. Answers how many were, -1 on error. */
static int reception_notify(pj_ctx *c, int64_t id, const char *kind, const char *old_date,
                            const char *new_date, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ent_notices (org_id, reception_day_id, kind, old_date,"
                               " new_date, created_at) SELECT org_id, ?, ?, ?, ?, ? FROM"
                               " ent_signups WHERE reception_day_id = ? ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_text(s, 2, kind);
    pj_stmt_text(s, 3, old_date);
    pj_stmt_text(s, 4, new_date);
    pj_stmt_int(s, 5, pj_now());
    pj_stmt_int(s, 6, id);
    if (pj_step_done(s, err)) return -1;
    int n = pj_db_changes(c->db);
    if (!n) return 0;
    pj_buf b;
    pj_buf_init(&b, 256);
    pj_jw bw;
    pj_jw_init(&bw, &b);
    pj_jw_obj(&bw);
    pj_jw_kstr(&bw, "notice", kind);
    pj_jw_kstr(&bw, "held_on_before", old_date);
    if (new_date)
        pj_jw_kstr(&bw, "held_on", new_date);
    else
        pj_jw_knull(&bw, "held_on");
    pj_jw_kint(&bw, "notified_firms", n);
    pj_jw_obj_end(&bw);
    char *after = pj_arena_strdup(c->arena, b.data);
    pj_buf_free(&b);
    return pj_audit_add(c, "notify", "ent_reception_day", id, NULL, after, err) ? -1 : n;
}

/* The answer of a PATCH: the day as rendered, with how many firms were told of the change
 * (notified_firms). */
static int reception_answer(pj_ctx *c, pj_jw *w, const char *day, int told)
{
    pj_jw_raw(w, pj_render_with(c, day, pj_arena_printf(c->arena, "\"notified_firms\":%d", told)));
    return 0;
}

int pj_ent_reception_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "leaders", "department_ids", "minutes", "state",
                                         "held_on", NULL};
    int64_t version;
    const char *minutes = NULL, *state = NULL, *held_on = NULL;
    int32_t new_day = 0;
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, NULL, err) ||
        pj_in_str(body, "minutes", 0, 0, 20000, &minutes, err) < 0 ||
        pj_in_enum(body, "state", 0, pj_reception_states, &state, err) < 0 ||
        pj_in_str(body, "held_on", 0, 10, 10, &held_on, err) < 0)
        return -1;
    if (held_on && pj_cal_parse(held_on, &new_day))
        return pj_fail(err, 422, "invalid_value", "held_on", "held_on must be a date YYYY-MM-DD");
    json_t *leaders = json_object_get(body, "leaders"),
           *depts = json_object_get(body, "department_ids");
    if (leaders) {
        if (pj_in_list(leaders, "leaders", 20, "names", err)) return -1;
        for (size_t i = 0; i < json_array_size(leaders); i++) {
            json_t *v = json_array_get(leaders, i);
            if (!json_is_string(v))
                return pj_fail(err, 422, "wrong_type", "leaders", "leaders holds names (strings)");
            /* a name is stored without the spaces around it; one of spaces only is none (a
             * blank name was stored and listed as a leader) */
            size_t from, n = pj_text_trim(json_string_value(v), &from);
            if (!n || pj_utf8_len(json_string_value(v) + from, n) > 64)
                return pj_fail(err, 422, "invalid_value", "leaders",
                               "each leader is a name of 1–64 characters, not blank");
            if (pj_text_check("leaders", json_string_value(v) + from, n, err)) return -1;
            if (n < json_string_length(v))
                json_array_set_new(leaders, i, json_stringn(json_string_value(v) + from, n));
            v = json_array_get(leaders, i);
            /* each leader named once */
            for (size_t j = 0; j < i; j++)
                if (json_equal(json_array_get(leaders, j), v))
                    return pj_fail(err, 422, "invalid_value", "leaders", "%s is named twice",
                                   json_string_value(v));
        }
    }
    if (depts) {
        if (pj_in_list(depts, "department_ids", 40, "department ids", err)) return -1;
        for (size_t i = 0; i < json_array_size(depts); i++) {
            json_t *v = json_array_get(depts, i);
            if (!json_is_integer(v) ||
                ent_check_department(c, json_integer_value(v), "department_ids", err))
                return json_is_integer(v) ? -1
                                          : pj_fail(err, 422, "wrong_type", "department_ids",
                                                    "department_ids holds integers");
            /* each department invited once (a repeat was stored and listed twice) */
            for (size_t j = 0; j < i; j++)
                if (json_integer_value(json_array_get(depts, j)) == json_integer_value(v))
                    return pj_fail(err, 422, "invalid_value", "department_ids",
                                   "department %lld is named twice",
                                   (long long)json_integer_value(v));
        }
    }
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM ent_reception_days WHERE id = ?", id, version,
                         "reception day", err))
        goto fail;
    char held[11] = "", cur[16] = "", first[11] = "";
    int64_t appeals = 0;
    if (state || held_on) {
        pj_stmt *q = pj_db_prepare(c->db,
                                   "SELECT held_on, state, (SELECT COUNT(*) FROM ent_appeals a"
                                   " WHERE a.channel = 'reception_day' AND"
                                   " a.reception_day_id = r.id), first_monday"
                                   " FROM ent_reception_days r WHERE id = ?",
                                   err);
        if (!q) goto fail;
        pj_stmt_int(q, 1, id);
        int rc = pj_stmt_step(q, err);
        if (rc == 1) {
            snprintf(held, sizeof held, "%s", pj_col_text(q, 0));
            snprintf(cur, sizeof cur, "%s", pj_col_text(q, 1));
            appeals = pj_col_int(q, 2);
            snprintf(first, sizeof first, "%s", pj_col_text(q, 3));
        }
        pj_stmt_done(q);
        if (rc < 0) goto fail;
    }
    /* a day's state changes from planned, to held or cancelled (the same state again is no
     * change); a cancelled day may be put back to planned up to its date (Beijing), its
     * sign-ups open again; a held day stays so */
    char today[11];
    pj_cal_format(pj_cal_local_day(pj_now()), today);
    int reinstate = state && !strcmp(cur, "cancelled") && !strcmp(state, "planned");
    if (state && strcmp(state, cur) && strcmp(cur, "planned") && !reinstate) {
        pj_fail(err, 409, "wrong_state", "state",
                "the reception day %s is %s: a day's state changes only from planned (to held"
                " or cancelled), or from cancelled back to planned, not to %s",
                held, cur, state);
        goto fail;
    }
    if (reinstate && strcmp(held, today) < 0) {
        pj_fail(err, 409, "day_past", "state",
                "the reception day %s has passed (today is %s, Beijing time): a cancelled day is"
                " put back to planned only up to its date",
                held, today);
        goto fail;
    }
    /* appeals raised at a day count among the problems solved at reception days: it took
     * place and is not cancelled */
    if (state && strcmp(state, cur) && !strcmp(state, "cancelled") && appeals > 0) {
        pj_fail(err, 409, "has_appeals", "state",
                "%lld appeal%s raised at the reception day %s: a day with appeals is not"
                " cancelled",
                (long long)appeals, appeals == 1 ? " was" : "s were", held);
        goto fail;
    }
    /* a day is held on its date: marking it held before (Beijing) would close its sign-ups */
    if (state && strcmp(state, cur) && !strcmp(state, "held")) {
        if (strcmp(held, today) > 0) {
            pj_fail(err, 409, "day_ahead", "state",
                    "the reception day %s has not come yet (today is %s, Beijing time): it can"
                    " be marked held from that day on",
                    held, today);
            goto fail;
        }
    }
    /* a planned day (or one put back to planned) moves to another working day of its month,
     * not past: a day the calendar made a holiday after it was scheduled; its sign-ups stay */
    char reason[160] = "", nd[11] = "";
    int moving = 0;
    if (held_on) pj_cal_format(new_day, nd);
    if (held_on && strcmp(nd, held)) {
        const char *after_state = state ? state : cur;
        pj_cal cal;
        if (strcmp(after_state, "planned")) {
            pj_fail(err, 409, "wrong_state", "held_on",
                    "the reception day %s is %s: only a planned day moves", held, after_state);
            goto fail;
        }
        /* appeals raised at the day say it took place on its date: moved, they would have been
         * raised at a day still ahead (and the day could no longer be marked held) */
        if (appeals > 0) {
            pj_fail(err, 409, "has_appeals", "held_on",
                    "%lld appeal%s raised at the reception day %s: a day with appeals is not"
                    " moved to another date",
                    (long long)appeals, appeals == 1 ? " was" : "s were", held);
            goto fail;
        }
        if (strncmp(nd, first, 7)) {
            pj_fail(err, 422, "invalid_value", "held_on",
                    "the reception day of %.7s stays in that month: %s is not", first, nd);
            goto fail;
        }
        if (strcmp(nd, today) < 0) {
            pj_fail(err, 409, "day_past", "held_on",
                    "%s has passed (today is %s, Beijing time): a day moves to today or later", nd,
                    today);
            goto fail;
        }
        if (ent_calendar_load(c, &cal, err)) goto fail;
        if (!pj_cal_is_workday(&cal, new_day)) {
            pj_fail(err, 422, "invalid_value", "held_on",
                    "%s is not a working day (holiday calendar: GET /api/v1/enterprise/calendar)",
                    nd);
            goto fail;
        }
        /* back on its first Monday it is no longer moved (no reason, nobody moved it) */
        if (strcmp(nd, first))
            snprintf(reason, sizeof reason, "moved from %s to %s by the district", held, nd);
        moving = 1;
    }
    char *before = pj_render_to_string(c, id, reception_render, err);
    if (!before) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE ent_reception_days SET leaders = COALESCE(?, leaders),"
                               " department_ids = COALESCE(?, department_ids),"
                               " minutes = COALESCE(?, minutes), state = COALESCE(?, state),"
                               " held_on = COALESCE(?, held_on),"
                               " moved_reason = CASE WHEN ? THEN ? ELSE moved_reason END,"
                               " move_kind = CASE WHEN ? THEN ? ELSE move_kind END,"
                               " updated_at = ?, version = version + 1 WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, leaders ? ent_json_text(c, leaders) : NULL);
    pj_stmt_text(s, 2, depts ? ent_json_text(c, depts) : NULL);
    pj_stmt_text(s, 3, minutes);
    pj_stmt_text(s, 4, state);
    pj_stmt_text(s, 5, moving ? nd : NULL);
    pj_stmt_int(s, 6, moving);
    pj_stmt_text(s, 7, reason);
    pj_stmt_int(s, 8, moving);
    pj_stmt_text(s, 9, *reason ? "district" : NULL);
    pj_stmt_int(s, 10, pj_now());
    pj_stmt_int(s, 11, id);
    if (pj_step_done(s, err)) {
        if (err->status == 409)
            pj_fail(err, 409, "conflict", "held_on", "another reception day is held on %s", nd);
        goto fail;
    }
    /* a change that changes nothing (the same state again, the same minutes) keeps the
     * version and writes no audit row (nor notice: a notice goes with a change of date or
     * state, which is a change) */
    char *after = pj_render_to_string(c, id, reception_render, err);
    if (!after) goto fail;
    if (pj_render_same(before, after)) {
        pj_db_rollback(c->db);
        return reception_answer(c, w, before, 0);
    }
    if (pj_audit_add(c, "update", "ent_reception_day", id, before, after, err)) goto fail;
    /* the firms signed up are told of a move, a cancellation or a day put back (maybe moved
     * in the same save) */
    const char *kind = NULL;
    if (state && strcmp(state, cur) && !strcmp(state, "cancelled"))
        kind = "reception_cancelled";
    else if (reinstate)
        kind = "reception_reinstated";
    else if (moving)
        kind = "reception_moved";
    int told = kind ? reception_notify(
                          c, id, kind, held,
                          strcmp(kind, "reception_cancelled") ? (moving ? nd : held) : NULL, err)
                    : 0;
    if (told < 0 || pj_db_commit(c->db, err)) goto fail;
    return reception_answer(c, w, after, told);
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* Sign-ups of a reception day are open (made or withdrawn) while it is planned and not past:
 * else 404 / 409 wrong_state / 409 day_past. */
static int signups_open(pj_ctx *c, int64_t day_id, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT state, held_on FROM ent_reception_days WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, day_id);
    int rc = pj_stmt_step(s, err);
    int planned = rc == 1 && !strcmp(pj_col_text(s, 0), "planned");
    char held[11] = "", today[11], state[16] = "";
    if (rc == 1) {
        snprintf(state, sizeof state, "%s", pj_col_text(s, 0));
        snprintf(held, sizeof held, "%s", pj_col_text(s, 1));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "reception day", day_id);
    if (!planned)
        return pj_fail(err, 409, "wrong_state", "",
                       "the reception day %s is %s: sign-ups are closed", held, state);
    /* a day past is closed even when nobody marked it held (Beijing date) */
    pj_cal_format(pj_cal_local_day(pj_now()), today);
    if (strcmp(held, today) < 0)
        return pj_fail(err, 409, "day_past", "", "the reception day %s is past", held);
    return 0;
}

/* A sign-up as its audit rows and the sign-up answer hold it (in c's arena). */
static char *signup_json(pj_ctx *c, int64_t id, int64_t day_id, int64_t org, const char *topic)
{
    pj_buf b;
    pj_buf_init(&b, 4096);
    pj_jw bw;
    pj_jw_init(&bw, &b);
    pj_jw_obj(&bw);
    pj_jw_kint(&bw, "id", id);
    pj_jw_kint(&bw, "reception_day_id", day_id);
    pj_jw_kint(&bw, "organisation_id", org);
    pj_jw_kstr(&bw, "topic", topic);
    pj_jw_obj_end(&bw);
    char *t = pj_arena_strdup(c->arena, b.data);
    pj_buf_free(&b);
    return t;
}

int pj_ent_signup_create(pj_ctx *c, int64_t day_id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"organisation_id", "topic", NULL};
    const char *topic;
    int64_t org, town;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_text(body, "topic", 1, 1, 500, &topic, err) < 0 ||
        ent_acting_org(c, body, &org, &town, err) || signups_open(c, day_id, err))
        return -1;
    int rc;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "INSERT INTO ent_signups (id, reception_day_id, org_id, topic, created_at)"
                      " VALUES (" PJ_NEXT_ID("ent_signups") ",?,?,?,?) RETURNING id",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, day_id);
    pj_stmt_int(s, 2, org);
    pj_stmt_text(s, 3, topic);
    pj_stmt_int(s, 4, pj_now());
    rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0 && err->status == 409)
        pj_fail(err, 409, "conflict", "organisation_id", "already signed up for this day");
    if (rc != 1) goto fail;
    char *after = signup_json(c, id, day_id, org, topic);
    if (pj_audit_add(c, "create", "ent_signup", id, NULL, after, err) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_signup_withdraw(pj_ctx *c, int64_t day_id, json_t *body, pj_err *err)
{
    static const char *const fields[] = {"organisation_id", NULL};
    int64_t org, town;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        ent_acting_org(c, body, &org, &town, err) || signups_open(c, day_id, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "DELETE FROM ent_signups WHERE reception_day_id = ? AND org_id = ?"
                               " RETURNING id, topic",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, day_id);
    pj_stmt_int(s, 2, org);
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    char *topic = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 1)) : NULL;
    pj_stmt_done(s);
    if (rc == 0)
        pj_fail(err, 404, "not_found", "organisation_id",
                "the enterprise is not signed up for this day");
    if (rc != 1) goto fail;
    char *before = signup_json(c, id, day_id, org, topic);
    if (pj_audit_add(c, "delete", "ent_signup", id, before, NULL, err) || pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- appeals ---- */

typedef struct appeal {
    int64_t id, org_id, township_id, department_id, version, complete_due, responded_at, reopens;
    char state[16], type[16], category[16];
} appeal;

static int appeal_load(pj_ctx *c, int64_t id, appeal *a, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT org_id, township_id, department_id, version, state,"
                               " complete_due, responded_at, reopens, type, category"
                               " FROM ent_appeals WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        a->id = id;
        a->org_id = pj_col_int(s, 0);
        a->township_id = pj_col_int(s, 1);
        a->department_id = pj_col_int(s, 2);
        a->version = pj_col_int(s, 3);
        snprintf(a->state, sizeof a->state, "%s", pj_col_text(s, 4));
        a->complete_due = pj_col_int(s, 5);
        a->responded_at = pj_col_int(s, 6);
        a->reopens = pj_col_int(s, 7);
        snprintf(a->type, sizeof a->type, "%s", pj_col_text(s, 8));
        snprintf(a->category, sizeof a->category, "%s", pj_col_text(s, 9));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "appeal", id);
    return ent_can_see(c, a->org_id, a->township_id, "appeal", id, err);
}

static void opt_time(pj_jw *w, const char *k, pj_stmt *s, int col)
{
    if (pj_col_is_null(s, col))
        pj_jw_knull(w, k);
    else
        pj_render_time(w, k, pj_col_int(s, col));
}

/* The round (1 + the reopenings before it) the appeal's `reply` was given in, null while it has
 * none: a reopened appeal keeps its earlier round's reply until the new round is replied to, and
 * the department handling the new round is not to read it as its own. Event ids order a reply
 * and a reopening within one second; an appeal without a reply event (the demo's, in their only
 * round) has its reply in round 1. */
#define REPLY_ROUND                                                                                \
    "CASE WHEN COALESCE(a.reply, '') = '' THEN NULL ELSE 1 + (SELECT COUNT(*) FROM"                \
    " ent_appeal_events r WHERE r.appeal_id = a.id AND r.to_state = 'reopened' AND r.id <"         \
    " COALESCE((SELECT MAX(e.id) FROM ent_appeal_events e WHERE e.appeal_id = a.id AND"            \
    " e.action = 'reply'), 0)) END"

/* the deadlines of an appeal not closed are provisional while its year's holidays are not in */
#define PROVISIONAL                                                                                \
    "a.state != 'closed' AND (" ENT_NO_CALENDAR_YEAR("a.received_at") " OR " ENT_NO_CALENDAR_YEAR( \
        "a.complete_due - 1") ")"

static int appeal_render_x(pj_ctx *c, int64_t id, pj_jw *w, int events, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT a.id, a.org_id, o.name, a.township_id, a.channel, a.type, a.category, a.title,"
        " a.description, a.attachments, a.contact_phone, a.reception_day_id, a.state,"
        " a.department_id, d.name, a.first_department_id, a.received_at, a.dispatched_at,"
        " a.responded_at, a.replied_at, a.closed_at, a.response_due, a.complete_due, a.reply,"
        " a.resolved, a.rating, a.returns, a.reopens, a.escalated, a.visit_due, a.visited_at,"
        " a.visit_note, a.source, a.created_by, a.version, a.reopened_at,"
        " " PJ_SQL_BY_NAME_OF "a.created_by" PJ_SQL_BY_NAME_END ","
        " " PROVISIONAL ", " REPLY_ROUND " FROM ent_appeals a JOIN organisations o ON o.id ="
        " a.org_id LEFT JOIN organisations d ON d.id = a.department_id WHERE a.id = ?",
        id, "appeal", err);
    if (!s) return -1;
    int rc;
    int full_phone =
        pj_ctx_district(c) || c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER ||
        (c->actor.role == PJ_ROLE_ENTERPRISE && c->actor.organisation_id == pj_col_int(s, 1));
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "organisation_id", pj_col_int(s, 1));
    pj_render_text(w, "organisation", s, 2);
    pj_render_ref(w, "township_id", s, 3);
    pj_render_text(w, "channel", s, 4);
    pj_render_text(w, "type", s, 5);
    pj_render_text(w, "category", s, 6);
    pj_render_text(w, "title", s, 7);
    pj_render_text(w, "description", s, 8);
    pj_jw_key(w, "attachments");
    pj_jw_raw(w, pj_col_text(s, 9));
    pj_jw_kstr(w, "contact_phone",
               full_phone ? pj_col_text(s, 10) : pj_mask(c->arena, pj_col_text(s, 10), 3));
    pj_render_ref(w, "reception_day_id", s, 11);
    pj_render_text(w, "state", s, 12);
    /* a returned appeal is no department's until dispatched again (the KPIs count it for
     * none): the firm is not shown the department that sent it back as the one handling it */
    int firm = c->actor.role == PJ_ROLE_ENTERPRISE;
    if (firm && !strcmp(pj_col_text(s, 12), "returned")) {
        pj_jw_knull(w, "department_id");
        pj_jw_knull(w, "department");
    } else {
        pj_render_ref(w, "department_id", s, 13);
        pj_render_text(w, "department", s, 14);
    }
    pj_render_ref(w, "first_department_id", s, 15);
    pj_render_time(w, "received_at", pj_col_int(s, 16));
    opt_time(w, "dispatched_at", s, 17);
    opt_time(w, "responded_at", s, 18);
    opt_time(w, "replied_at", s, 19);
    opt_time(w, "closed_at", s, 20);
    pj_render_time(w, "response_due", pj_col_int(s, 21));
    pj_render_time(w, "complete_due", pj_col_int(s, 22));
    pj_render_text(w, "reply", s, 23);
    pj_jw_kbool(w, "resolved", (int)pj_col_int(s, 24));
    pj_render_text(w, "rating", s, 25);
    pj_jw_kint(w, "returns", pj_col_int(s, 26));
    pj_jw_kint(w, "reopens", pj_col_int(s, 27));
    pj_jw_kbool(w, "escalated", (int)pj_col_int(s, 28));
    opt_time(w, "visit_due", s, 29);
    opt_time(w, "visited_at", s, 30);
    pj_render_text(w, "visit_note", s, 31);
    pj_render_text(w, "source", s, 32);
    pj_render_by(w, "created_by", s, 33, 36);
    pj_jw_kint(w, "version", pj_col_int(s, 34));
    opt_time(w, "reopened_at", s, 35);
    pj_jw_kbool(w, "deadline_provisional", (int)pj_col_int(s, 37));
    pj_render_ref(w, "reply_round", s, 38);
    pj_stmt_done(s);
    if (events) {
        /* every rating given, one per reply: `rating` above is the current round's only */
        s = pj_db_prepare(c->db,
                          "SELECT r.round, r.rating, r.department_id, r.at, r.username, d.name,"
                          " " PJ_SQL_BY_NAME_OF "r.username" PJ_SQL_BY_NAME_END
                          " FROM ent_appeal_ratings r LEFT JOIN organisations d ON d.id ="
                          " r.department_id WHERE r.appeal_id = ? ORDER BY r.id",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_jw_key(w, "ratings");
        pj_jw_arr(w);
        while ((rc = pj_stmt_step(s, err)) == 1) {
            pj_jw_obj(w);
            pj_jw_kint(w, "round", pj_col_int(s, 0));
            pj_render_text(w, "rating", s, 1);
            pj_render_ref(w, "department_id", s, 2);
            pj_render_text(w, "department", s, 5); /* its name: who may read the appeal reads it */
            pj_render_time(w, "at", pj_col_int(s, 3));
            pj_render_text(w, "username", s, 4);
            pj_render_text(w, "display_name", s, 6); /* the user's, as for *_by_name */
            pj_jw_obj_end(w);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
        pj_jw_arr_end(w);
        s = pj_db_prepare(c->db,
                          "SELECT e.at, e.action, e.from_state, e.to_state, e.department_id,"
                          " e.username, e.note, d.name,"
                          " " PJ_SQL_BY_NAME_OF "e.username" PJ_SQL_BY_NAME_END
                          " FROM ent_appeal_events e LEFT JOIN"
                          " organisations d ON d.id = e.department_id WHERE e.appeal_id = ?"
                          " ORDER BY e.id",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_jw_key(w, "events");
        pj_jw_arr(w);
        while ((rc = pj_stmt_step(s, err)) == 1) {
            pj_jw_obj(w);
            pj_render_time(w, "at", pj_col_int(s, 0));
            pj_render_text(w, "action", s, 1);
            pj_render_text(w, "from_state", s, 2);
            pj_render_text(w, "to_state", s, 3);
            pj_render_ref(w, "department_id", s, 4);
            pj_render_text(w, "department", s, 7);
            pj_render_text(w, "username", s, 5);
            pj_render_text(w, "display_name", s, 8);
            /* a return's reason is written for the dispatcher, not for the firm */
            if (firm && !strcmp(pj_col_text(s, 1), "return"))
                pj_jw_kstr(w, "note", "");
            else
                pj_render_text(w, "note", s, 6);
            pj_jw_obj_end(w);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
        pj_jw_arr_end(w);
    }
    pj_jw_obj_end(w);
    return 0;
}

static int appeal_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return appeal_render_x(c, id, w, 0, err);
}

int pj_ent_appeal_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    appeal a;
    if (appeal_load(c, id, &a, err)) return -1;
    return appeal_render_x(c, id, w, 1, err);
}

int pj_ent_appeal_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    int64_t org, town;
    scope_where(c, &org, &town);
    /* open ones first, newest first among them, then the closed ones newest first: by
     * (closed, received_at desc, id desc). The cursor holds the last appeal's id and the group
     * it was listed in (closed: + CLOSED_BIT), so a page continues where the last one ended
     * even when that appeal was closed or reopened meanwhile. Each group is read on its own:
     * the open ones (a few, whatever the years) sorted, then the closed ones in the order of
     * the index on (state, received_at) — not every appeal ever received sorted per page. */
    const int64_t CLOSED_BIT = INT64_C(1) << 40;
    int64_t cur_id = f->cursor & (CLOSED_BIT - 1), cur_closed = f->cursor >= CLOSED_BIT;
    char open_states[160] = "";
    for (int k = 0; pj_appeal_states[k]; k++)
        if (strcmp(pj_appeal_states[k], "closed"))
            snprintf(open_states + strlen(open_states), sizeof open_states - strlen(open_states),
                     "%s'%s'", open_states[0] ? ", " : "", pj_appeal_states[k]);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(f->limit + 1));
    int n = 0, last_closed = 0;
    for (int closed = (int)cur_closed; closed <= 1 && n <= f->limit; closed++) {
        int after = f->cursor && closed == cur_closed;
        pj_stmt *s = pj_db_prepare(
            c->db,
            pj_arena_printf(
                c->arena,
                "SELECT id FROM ent_appeals WHERE state %s%s%s%s"
                " AND (? = 0 OR org_id = ?) AND (? = 0 OR township_id = ?)"
                " AND (? = 0 OR org_id = ?)"
                " AND (? = 0 OR (department_id = ? AND state <> 'returned'))"
                " AND (? IS NULL OR state = ?) AND (? IS NULL OR category = ?)"
                " AND (? IS NULL OR channel = ?)"
                " AND (? = 0 OR (complete_due < ? AND state NOT IN ('replied', 'closed')))"
                " ORDER BY received_at DESC, id DESC LIMIT ?",
                closed ? "= 'closed'" : "IN (", closed ? "" : open_states, closed ? "" : ")",
                after ? " AND (received_at, id) < ((SELECT received_at FROM ent_appeals WHERE"
                        " id = ?), ?)"
                      : ""),
            err);
        if (!s) return -1;
        int i = 1;
        if (after) {
            pj_stmt_int(s, i++, cur_id);
            pj_stmt_int(s, i++, cur_id);
        }
        pj_stmt_int(s, i++, org);
        pj_stmt_int(s, i++, org);
        pj_stmt_int(s, i++, town);
        pj_stmt_int(s, i++, town);
        pj_stmt_int(s, i++, f->organisation_id);
        pj_stmt_int(s, i++, f->organisation_id);
        pj_stmt_int(s, i++, f->department_id);
        pj_stmt_int(s, i++, f->department_id);
        pj_stmt_text(s, i++, f->state);
        pj_stmt_text(s, i++, f->state);
        pj_stmt_text(s, i++, f->category);
        pj_stmt_text(s, i++, f->category);
        pj_stmt_text(s, i++, f->channel);
        pj_stmt_text(s, i++, f->channel);
        pj_stmt_int(s, i++, f->overdue);
        pj_stmt_int(s, i++, pj_now());
        pj_stmt_int(s, i++, f->limit + 1 - n);
        int rc;
        while ((rc = pj_stmt_step(s, err)) == 1) {
            if (n < f->limit) last_closed = closed;
            ids[n++] = pj_col_int(s, 0);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    int shown = n > f->limit ? f->limit : n;
    int64_t next = shown ? ids[shown - 1] + (last_closed ? CLOSED_BIT : 0) : 0;
    return pj_render_page_at(c, ids, n, f->limit, next, appeal_render, w, err);
}

static int add_event(pj_ctx *c, int64_t id, const char *action, const char *from, const char *to,
                     int64_t dept, const char *note, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ent_appeal_events (appeal_id, at, action, from_state,"
                               " to_state, department_id, username, note) VALUES (?,?,?,?,?,?,?,?)",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_text(s, 3, action);
    pj_stmt_text(s, 4, from);
    pj_stmt_text(s, 5, to);
    if (dept) pj_stmt_int(s, 6, dept);
    pj_stmt_text(s, 7, c->actor.username ? c->actor.username : "system");
    pj_stmt_text(s, 8, note ? note : "");
    return pj_step_done(s, err);
}

int pj_ent_appeal_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {
        "organisation_id", "channel",     "type",          "category",         "title",
        "description",     "attachments", "contact_phone", "reception_day_id", NULL};
    const char *channel = "account", *type, *cat, *title, *desc, *phone = "";
    int64_t org, town, rday = 0;
    if (pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_enum(body, "channel", c->actor.role != PJ_ROLE_ENTERPRISE, pj_appeal_channels,
                   &channel, err) < 0 ||
        pj_in_enum(body, "type", 1, pj_appeal_types, &type, err) < 0 ||
        pj_in_enum(body, "category", 1, pj_appeal_categories, &cat, err) < 0 ||
        pj_in_text(body, "title", 1, 1, 100, &title, err) < 0 ||
        pj_in_text(body, "description", 1, 1, 5000, &desc, err) < 0 ||
        pj_in_trim(body, "contact_phone", 0, err) ||
        pj_in_str(body, "contact_phone", 0, 0, 20, &phone, err) < 0 ||
        pj_in_ref(body, "reception_day_id", 0, &rday, err) < 0)
        return -1;
    if (c->actor.role == PJ_ROLE_ENTERPRISE && strcmp(channel, "account"))
        return pj_fail(err, 422, "invalid_value", "channel",
                       "an enterprise files through its account");
    /* an officer records what a firm said on a reception day, by phone or on a visit: the
     * firm's own account is the firm's channel, not one an officer files on its behalf */
    if (c->actor.role != PJ_ROLE_ENTERPRISE && !strcmp(channel, "account"))
        return pj_fail(err, 422, "invalid_value", "channel",
                       "an officer records an appeal made on a reception day, by phone or on a"
                       " visit (reception_day, phone, visit); account is the enterprise's own");
    const char *bad = phone ? pj_phone_problem(phone) : NULL;
    if (bad) return pj_fail(err, 422, "invalid_value", "contact_phone", "%s", bad);
    json_t *att = json_object_get(body, "attachments");
    if (att) {
        if (pj_in_list(att, "attachments", 10, "references", err)) return -1;
        for (size_t i = 0; i < json_array_size(att); i++) {
            json_t *v = json_array_get(att, i);
            if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) > 256)
                return pj_fail(err, 422, "invalid_value", "attachments",
                               "each attachment is a reference of 1–256 bytes");
            if (pj_text_check("attachments", json_string_value(v), json_string_length(v), err))
                return -1;
        }
    }
    if (!strcmp(channel, "reception_day") != !!rday)
        return pj_fail(err, 422, rday ? "invalid_value" : "missing_field", "reception_day_id",
                       "reception_day_id goes with channel reception_day, and only with it");
    if (ent_acting_org(c, body, &org, &town, err)) return -1;
    if (rday) {
        /* an appeal raised at a reception day comes from one that took place: not one
         * cancelled, nor one still ahead (Beijing date) — it would count among the problems
         * solved from reception days */
        pj_stmt *q =
            pj_db_prepare(c->db, "SELECT state, held_on FROM ent_reception_days WHERE id = ?", err);
        if (!q) return -1;
        pj_stmt_int(q, 1, rday);
        int rc = pj_stmt_step(q, err);
        char rstate[16] = "", held[11] = "", today[11];
        if (rc == 1) {
            snprintf(rstate, sizeof rstate, "%s", pj_col_text(q, 0));
            snprintf(held, sizeof held, "%s", pj_col_text(q, 1));
        }
        pj_stmt_done(q);
        if (rc < 0) return -1;
        if (rc == 0)
            return pj_fail(err, 422, "unknown_id", "reception_day_id", "no reception day %lld",
                           (long long)rday);
        if (!strcmp(rstate, "cancelled"))
            return pj_fail(err, 409, "wrong_state", "reception_day_id",
                           "the reception day %s was cancelled: no appeal was raised at it", held);
        pj_cal_format(pj_cal_local_day(pj_now()), today);
        if (strcmp(held, today) > 0)
            return pj_fail(err, 409, "day_ahead", "reception_day_id",
                           "the reception day %s has not come yet (today is %s, Beijing time):"
                           " an appeal is raised at it from that day on",
                           held, today);
    }
    pj_cal cal;
    if (ent_calendar_load(c, &cal, err)) return -1;
    char key[48];
    snprintf(key, sizeof key, "ent_days_%s", type);
    int64_t now = pj_now();
    int64_t rdue = pj_cal_deadline(&cal, now, (int)ent_setting(c, "ent_response_days", 1));
    int64_t cdue = pj_cal_deadline(&cal, now, (int)ent_setting(c, key, 13));
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "INSERT INTO ent_appeals (org_id, township_id, channel, type, category, title,"
        " description, attachments, contact_phone, reception_day_id, state, received_at,"
        " response_due, complete_due, visit_due, created_by)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,'received',?,?,?,?,?) RETURNING id",
        err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, org);
    if (town) pj_stmt_int(s, 2, town);
    pj_stmt_text(s, 3, channel);
    pj_stmt_text(s, 4, type);
    pj_stmt_text(s, 5, cat);
    pj_stmt_text(s, 6, title);
    pj_stmt_text(s, 7, desc);
    pj_stmt_text(s, 8, att ? ent_json_text(c, att) : "[]");
    pj_stmt_text(s, 9, phone);
    if (rday) pj_stmt_int(s, 10, rday);
    pj_stmt_int(s, 11, now);
    pj_stmt_int(s, 12, rdue);
    pj_stmt_int(s, 13, cdue);
    pj_stmt_int(s, 14, cdue);
    pj_stmt_text(s, 15, c->actor.username ? c->actor.username : "system");
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    if (add_event(c, id, "receive", NULL, "received", 0, channel, err)) goto fail;
    if (pj_render_commit(c, "create", "ent_appeal", id, NULL, appeal_render, w, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

#define WHO_OFFICER    1
#define WHO_ENTERPRISE 2

/* Escalating an appeal nobody has taken on hands it to a department: binds department,
 * department, now, id. */
#define ESCALATE_UNASSIGNED_SQL                                                                    \
    "UPDATE ent_appeals SET state = 'escalated', escalated = 1, department_id = ?,"                \
    " first_department_id = COALESCE(first_department_id, ?), dispatched_at ="                     \
    " COALESCE(dispatched_at, ?), version = version + 1 WHERE id = ?"

/* An appeal is escalated once per round of handling: true when an `escalate` event follows
 * the latest reopening (none: since receipt). Once escalated and taken up again (dispatched,
 * accepted) the appeal is still past its deadline; escalating it anew bumped its version under
 * the department's open reply and forced a fresh acceptance at every sweep. Event ids, not
 * times, order the two: both may fall within one second. */
#define ESCALATED_THIS_ROUND                                                                       \
    "EXISTS (SELECT 1 FROM ent_appeal_events e WHERE e.appeal_id = ent_appeals.id AND"             \
    " e.action = 'escalate' AND e.id > COALESCE((SELECT MAX(r.id) FROM ent_appeal_events r"        \
    " WHERE r.appeal_id = ent_appeals.id AND r.to_state = 'reopened'), 0))"

/* The states nobody has taken on: escalating one of them names a department (below). */
#define UNASSIGNED " received returned "
/* What a return visit can follow: anything some department has had in hand (not received);
 * GET /return-visits lists only these. */
#define VISITABLE " dispatched in_progress replied closed returned reopened escalated "

/* Each action takes its own fields and no others: a rating given with a reply or a close
 * was recorded as a rating nobody gave, and a reason or reply sent with a rating stood in the
 * event log in the rating's place. */
static const char *const f_plain[] = {"version", NULL};
static const char *const f_dept[] = {"version", "department_id", NULL};
static const char *const f_return[] = {"version", "reason", NULL};
static const char *const f_reply[] = {"version", "reply", "resolved", NULL};
static const char *const f_rate[] = {"version", "rating", NULL};
static const char *const f_visit[] = {"version", "note", NULL};

static const struct {
    const char *action;
    const char *from; /* space-separated states */
    unsigned who;
    const char *const *fields;
} transitions[] = {
    /* escalated: only one the sweep escalated without a department (none could be named) */
    {"dispatch", " received returned escalated ", WHO_OFFICER, f_dept},
    {"accept", " dispatched reopened escalated ", WHO_OFFICER, f_plain},
    {"return", " dispatched in_progress ", WHO_OFFICER, f_return},
    /* escalated: only one with a department (none: dispatched first) */
    {"reply", " in_progress escalated ", WHO_OFFICER, f_reply},
    {"rate", " replied ", WHO_OFFICER | WHO_ENTERPRISE, f_rate},
    {"close", " replied ", WHO_OFFICER, f_plain},
    {"escalate", " received returned dispatched in_progress reopened ", WHO_OFFICER, f_dept},
    {"visit", VISITABLE, WHO_OFFICER, f_visit},
};

static int state_in(const char *list, const char *state)
{
    char k[24];
    snprintf(k, sizeof k, " %s ", state);
    return strstr(list, k) != NULL;
}

/* The department an overdue appeal nobody has taken on is escalated to: the one asked for,
 * else the dispatch catalogue's for its category; never the department that returned it.
 * *out = 0 when none can be named. */
static int escalation_department(pj_ctx *c, const appeal *a, int64_t asked, int64_t *out,
                                 pj_err *err)
{
    *out = asked;
    if (!asked) {
        pj_stmt *s =
            pj_db_prepare(c->db, "SELECT department_id FROM ent_dispatch WHERE category = ?", err);
        if (!s) return -1;
        pj_stmt_text(s, 1, a->category);
        int rc = pj_stmt_step(s, err);
        if (rc == 1) *out = pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    if (*out && !strcmp(a->state, "returned") && *out == a->department_id) {
        if (asked)
            return pj_fail(err, 422, "invalid_value", "department_id",
                           "the department returned this appeal; escalate it to another");
        *out = 0;
    }
    return 0;
}

/* The department that returned the appeal in this round of handling (the latest `return`
 * since the latest reopening, none: since receipt), for one nobody holds (returned, or
 * escalated without a department after a return); *out = 0 when there is none. */
static int round_returner(pj_ctx *c, const appeal *a, int64_t *out, pj_err *err)
{
    *out = 0;
    if (strcmp(a->state, "returned") && strcmp(a->state, "escalated")) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT department_id FROM ent_appeal_events WHERE appeal_id = ?"
                               " AND action = 'return' AND id > COALESCE((SELECT MAX(r.id) FROM"
                               " ent_appeal_events r WHERE r.appeal_id = ? AND r.to_state ="
                               " 'reopened'), 0) ORDER BY id DESC LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, a->id);
    pj_stmt_int(s, 2, a->id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) *out = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* The deadline of a round of handling that starts at t: as on receipt. */
static int64_t round_deadline(pj_ctx *c, const pj_cal *cal, const char *type, int64_t t)
{
    char key[48];
    snprintf(key, sizeof key, "ent_days_%s", type);
    return pj_cal_deadline(cal, t, (int)ent_setting(c, key, 13));
}

static int add_rating(pj_ctx *c, const appeal *a, const char *rating, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ent_appeal_ratings (appeal_id, round, rating,"
                               " department_id, at, username) VALUES (?,?,?,?,?,?)",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, a->id);
    pj_stmt_int(s, 2, a->reopens + 1);
    pj_stmt_text(s, 3, rating);
    if (a->department_id) pj_stmt_int(s, 4, a->department_id);
    pj_stmt_int(s, 5, pj_now());
    pj_stmt_text(s, 6, c->actor.username ? c->actor.username : "system");
    return pj_step_done(s, err);
}

int pj_ent_appeal_act(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                      pj_err *err)
{
    int t = -1;
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (!strcmp(transitions[i].action, action)) t = (int)i;
    if (t < 0) return pj_fail(err, 404, "not_found", "", "no action %s", action);
    json_t *empty = NULL;
    if (!body) body = empty = json_object();
    int64_t version = 0, dept = 0;
    const char *reason = NULL, *reply = NULL, *rating = NULL, *note = "";
    int resolved = 0;
    int bad = pj_in_object(body, err) || pj_in_only(body, transitions[t].fields, err) ||
              pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
              pj_in_ref(body, "department_id", 0, &dept, err) < 0 ||
              pj_in_text(body, "reason", !strcmp(action, "return"), 1, 1000, &reason, err) < 0 ||
              pj_in_text(body, "reply", !strcmp(action, "reply"), 1, 5000, &reply, err) < 0 ||
              pj_in_bool(body, "resolved", !strcmp(action, "reply"), &resolved, err) < 0 ||
              pj_in_enum(body, "rating", !strcmp(action, "rate"), ratings, &rating, err) < 0 ||
              pj_in_text(body, "note", !strcmp(action, "visit"), 1, 2000, &note, err) < 0;
    json_decref(empty);
    if (bad) return -1;
    appeal a;
    if (appeal_load(c, id, &a, err)) return -1;
    unsigned who = c->actor.role == PJ_ROLE_ENTERPRISE ? WHO_ENTERPRISE
                   : ent_is_officer(c)                 ? WHO_OFFICER
                                                       : 0;
    if (!(transitions[t].who & who))
        return pj_fail(err, 403, "forbidden", "", "role %s may not %s an appeal",
                       pj_role_name(c->actor.role), action);
    if (!state_in(transitions[t].from, a.state))
        return pj_fail(err, 409, "wrong_state", "state", "cannot %s an appeal that is %s", action,
                       a.state);
    int64_t now = pj_now();
    int unassigned = state_in(UNASSIGNED, a.state);
    if (!strcmp(a.state, "escalated") && !strcmp(action, "dispatch") && a.department_id)
        return pj_fail(err, 409, "wrong_state", "state",
                       "an escalated appeal with a department is accepted, not dispatched");
    /* one escalated without a department has nobody to accept or answer it */
    if (!strcmp(a.state, "escalated") && (!strcmp(action, "accept") || !strcmp(action, "reply")) &&
        !a.department_id)
        return pj_fail(err, 409, "wrong_state", "state",
                       "the appeal was escalated without a department: dispatch it first");
    if (!strcmp(action, "dispatch")) {
        /* never back to the department that returned it, also once the sweep escalated it
         * without a department (it has none then, but the return stands) */
        int64_t returner = 0, named = dept;
        if (round_returner(c, &a, &returner, err)) return -1;
        if (!dept) {
            pj_stmt *s = pj_db_prepare(
                c->db,
                "SELECT d.department_id FROM ent_dispatch d JOIN ent_appeals a ON a.category ="
                " d.category WHERE a.id = ?",
                err);
            if (!s) return -1;
            pj_stmt_int(s, 1, id);
            int rc = pj_stmt_step(s, err);
            if (rc == 1) dept = pj_col_int(s, 0);
            pj_stmt_done(s);
            if (rc < 0) return -1;
            if (!dept)
                return pj_fail(err, 422, "missing_field", "department_id",
                               "the dispatch catalogue has no department for this category;"
                               " give department_id");
        }
        if (ent_check_department(c, dept, "department_id", err)) return -1;
        if (returner && dept == returner && named)
            return pj_fail(err, 422, "invalid_value", "department_id",
                           "the department returned this appeal; dispatch it to another");
        if (returner && dept == returner)
            return pj_fail(err, 422, "missing_field", "department_id",
                           "the dispatch catalogue names only the department that returned this"
                           " appeal; give department_id");
    }
    if (!strcmp(action, "escalate") && now <= a.complete_due)
        return pj_fail(err, 409, "not_overdue", "", "the appeal is not past its deadline");
    /* an officer rates for the firm only at the return visit of this round, after the reply:
     * a rating straight after replying stood for the firm's own judgement in the KPIs. Closing
     * a reply the firm has not rated takes its rating (and the reopening not_satisfied
     * causes) away from it: also only once the call-back of this round is recorded. */
    int is_close = !strcmp(action, "close");
    if ((!strcmp(action, "rate") && who != WHO_ENTERPRISE) || is_close) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT visited_at IS NOT NULL AND visited_at >= replied_at"
                                   " FROM ent_appeals WHERE id = ?",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        int visited = rc == 1 && pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (!visited && is_close)
            return pj_fail(err, 409, "visit_required", "",
                           "the enterprise has not rated this reply: record the return visit"
                           " after the reply first, then close it, or let the enterprise rate it");
        if (!visited)
            return pj_fail(err, 409, "visit_required", "",
                           "an officer rates an appeal at its return visit: record the visit"
                           " after the reply first, or let the enterprise rate it");
    }
    if (!strcmp(action, "escalate")) {
        pj_stmt *s = pj_db_prepare(
            c->db, "SELECT " ESCALATED_THIS_ROUND " FROM ent_appeals WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        int done = rc == 1 && pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (done)
            return pj_fail(err, 409, "already_escalated", "",
                           "the appeal was already escalated in this round of handling");
    }
    if (!strcmp(action, "escalate") && unassigned) {
        if (escalation_department(c, &a, dept, &dept, err)) return -1;
        if (!dept)
            return pj_fail(err, 422, "missing_field", "department_id",
                           "nobody has taken this appeal on and the dispatch catalogue names no"
                           " other department; give department_id");
        if (ent_check_department(c, dept, "department_id", err)) return -1;
    } else if (!strcmp(action, "escalate") && dept)
        return pj_fail(err, 422, "invalid_value", "department_id",
                       "the appeal has a department; department_id only escalates one nobody"
                       " has taken on");
    int64_t new_due = 0;
    if (!strcmp(action, "rate") && !strcmp(rating, "not_satisfied")) {
        pj_cal cal;
        if (ent_calendar_load(c, &cal, err)) return -1;
        new_due = round_deadline(c, &cal, a.type, now);
    }
    const char *to = a.state;
    const char *sql = NULL, *binds = "i"; /* d dept, n now, i id, r reply, v resolved, g rating,
                                              o note, c new deadline: bound in this order */
    if (!strcmp(action, "dispatch")) {
        to = "dispatched";
        sql = "UPDATE ent_appeals SET state = 'dispatched', department_id = ?,"
              " first_department_id = COALESCE(first_department_id, ?), dispatched_at = ?,"
              " version = version + 1 WHERE id = ?";
        binds = "ddni";
    } else if (!strcmp(action, "accept")) {
        to = "in_progress";
        sql = "UPDATE ent_appeals SET state = 'in_progress', responded_at ="
              " COALESCE(responded_at, ?), version = version + 1 WHERE id = ?";
        binds = "ni";
    } else if (!strcmp(action, "return")) {
        to = "returned";
        sql = "UPDATE ent_appeals SET state = 'returned', returns = returns + 1,"
              " version = version + 1 WHERE id = ?";
    } else if (!strcmp(action, "reply")) {
        to = "replied";
        /* a reply starts a new round to be rated: `rating` is the current round's (every
         * rating given stays in ent_appeal_ratings). A call-back made while the appeal was in
         * hand is not the call-back on the reply: the reply clears it (kept in the events), so
         * the appeal awaits the return visit again (GET /return-visits) and visited_at, when
         * set, is always of a visit after the reply (times are whole seconds: comparing them
         * cannot order a visit and a reply within one second) */
        sql = "UPDATE ent_appeals SET state = 'replied', reply = ?, resolved = ?,"
              " replied_at = ?, responded_at = COALESCE(responded_at, ?), rating = NULL,"
              " visited_at = NULL, visit_note = '', version = version + 1 WHERE id = ?";
        binds = "rvnni";
    } else if (!strcmp(action, "rate")) {
        int bad_rating = !strcmp(rating, "not_satisfied");
        to = bad_rating ? "reopened" : "closed";
        /* a reopened round gets a deadline of its own, computed as on receipt, and a return
         * visit of its own, due with it: an earlier round's call-back (kept in the events)
         * does not answer for this one. Its rating is its own too: none until its reply is
         * rated (the not_satisfied given stays in ent_appeal_ratings and the events; left on
         * the appeal, the department the appeal is sent to next read it as its own) */
        sql = bad_rating ? "UPDATE ent_appeals SET state = 'reopened', rating = NULL,"
                           " reopens = reopens + 1, reopened_at = ?, complete_due = ?,"
                           " visit_due = ?, visited_at = NULL, visit_note = '',"
                           " version = version + 1 WHERE id = ?"
                         : "UPDATE ent_appeals SET state = 'closed', rating = ?, closed_at = ?,"
                           " version = version + 1 WHERE id = ?";
        binds = bad_rating ? "ncci" : "gni";
    } else if (!strcmp(action, "close")) {
        to = "closed";
        sql = "UPDATE ent_appeals SET state = 'closed', closed_at = ?, version = version + 1"
              " WHERE id = ?";
        binds = "ni";
    } else if (!strcmp(action, "escalate") && unassigned) {
        to = "escalated";
        sql = ESCALATE_UNASSIGNED_SQL;
        binds = "ddni";
    } else if (!strcmp(action, "escalate")) {
        to = "escalated";
        sql = "UPDATE ent_appeals SET state = 'escalated', escalated = 1, version = version + 1"
              " WHERE id = ?";
    } else {
        sql = "UPDATE ent_appeals SET visited_at = ?, visit_note = ?, version = version + 1"
              " WHERE id = ?";
        binds = "noi";
    }
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM ent_appeals WHERE id = ?", id, version, "appeal",
                         err))
        goto fail;
    char *before = pj_render_to_string(c, id, appeal_render, err);
    if (!before) goto fail;
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) goto fail;
    for (int k = 0; binds[k]; k++) {
        switch (binds[k]) {
        case 'd':
            pj_stmt_int(s, k + 1, dept);
            break;
        case 'n':
            pj_stmt_int(s, k + 1, now);
            break;
        case 'i':
            pj_stmt_int(s, k + 1, id);
            break;
        case 'r':
            pj_stmt_text(s, k + 1, reply);
            break;
        case 'v':
            pj_stmt_int(s, k + 1, resolved);
            break;
        case 'g':
            pj_stmt_text(s, k + 1, rating);
            break;
        case 'c':
            pj_stmt_int(s, k + 1, new_due);
            break;
        default:
            pj_stmt_text(s, k + 1, note);
        }
    }
    if (pj_step_done(s, err)) goto fail;
    int rate = !strcmp(action, "rate");
    if (rate && add_rating(c, &a, rating, err)) goto fail;
    /* the note of the action's own field: the rating, the return's reason, the reply, the
     * call-back's note */
    const char *ev_note = rate                        ? rating
                          : !strcmp(action, "return") ? reason
                          : !strcmp(action, "reply")  ? reply
                          : !strcmp(action, "visit")  ? note
                                                      : "";
    if (add_event(c, id, action, a.state, to, dept ? dept : a.department_id, ev_note, err))
        goto fail;
    char *after = pj_render_to_string(c, id, appeal_render, err);
    if (!after || pj_audit_add(c, action, "ent_appeal", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_appeal_sweep(pj_ctx *c, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    int64_t now = pj_now();
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id FROM ent_appeals WHERE complete_due < ? AND state IN"
                      " ('received', 'returned', 'dispatched', 'in_progress',"
                      " 'reopened') AND NOT " ESCALATED_THIS_ROUND " ORDER BY id LIMIT 10000",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, now);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * 10000);
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    for (int i = 0; i < n; i++) {
        appeal a;
        if (appeal_load(c, ids[i], &a, err)) goto fail;
        char *before = pj_render_to_string(c, ids[i], appeal_render, err);
        if (!before) goto fail;
        int64_t dept = a.department_id;
        if (state_in(UNASSIGNED, a.state)) {
            /* to the department the catalogue names; none (or only the one that returned
             * it): escalated without one, to be dispatched */
            if (escalation_department(c, &a, 0, &dept, err)) goto fail;
            s = pj_db_prepare(c->db, ESCALATE_UNASSIGNED_SQL, err);
            if (!s) goto fail;
            if (dept) {
                pj_stmt_int(s, 1, dept);
                pj_stmt_int(s, 2, dept);
                pj_stmt_int(s, 3, now);
            }
            pj_stmt_int(s, 4, ids[i]);
        } else {
            s = pj_db_prepare(c->db,
                              "UPDATE ent_appeals SET state = 'escalated', escalated = 1,"
                              " version = version + 1 WHERE id = ?",
                              err);
            if (!s) goto fail;
            pj_stmt_int(s, 1, ids[i]);
        }
        if (pj_step_done(s, err) ||
            add_event(c, ids[i], "escalate", a.state, "escalated", dept, "overdue", err))
            goto fail;
        char *after = pj_render_to_string(c, ids[i], appeal_render, err);
        if (!after || pj_audit_add(c, "escalate", "ent_appeal", ids[i], before, after, err))
            goto fail;
    }
    if (pj_db_commit(c->db, err)) goto fail;
    pj_jw_obj(w);
    pj_jw_kint(w, "escalated", n);
    pj_jw_obj_end(w);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ent_org_moved(pj_ctx *c, int64_t org_id, int64_t township_id, pj_err *err)
{
    /* the firm's whole history follows it, closed appeals too (as its sign-ups, which are
     * scoped through the organisation): the new township's officer handles and reports them,
     * the old one no longer sees the firm's contact phone */
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id FROM ent_appeals WHERE org_id = ? AND township_id IS NOT ?"
                      " ORDER BY id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org_id);
    if (township_id) pj_stmt_int(s, 2, township_id);
    int64_t *ids;
    int n = pj_stmt_ids(c, s, &ids, err);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        char *before = pj_render_to_string(c, ids[i], appeal_render, err);
        if (!before) return -1;
        s = pj_db_prepare(c->db,
                          "UPDATE ent_appeals SET township_id = ?, version = version + 1"
                          " WHERE id = ?",
                          err);
        if (!s) return -1;
        if (township_id) pj_stmt_int(s, 1, township_id);
        pj_stmt_int(s, 2, ids[i]);
        if (pj_step_done(s, err)) return -1;
        char *after = pj_render_to_string(c, ids[i], appeal_render, err);
        if (!after || pj_audit_add(c, "update", "ent_appeal", ids[i], before, after, err))
            return -1;
    }
    return 0;
}

/* A deadline of n working days after day `from` that ends on day `due` under calendar `was`
 * is moved to the n-th working day after `from` under `now`. The stored deadline is the end
 * (24:00 Beijing) of its day; one not computed that way (e.g. set by hand) is left alone. */
static int64_t redo_deadline(const pj_cal *was, const pj_cal *now, int64_t start, int64_t due)
{
    int32_t from = pj_cal_local_day(start), day = pj_cal_local_day(due) - 1;
    if (pj_cal_day_start(day + 1) != due || day <= from) return due;
    int n = pj_cal_workdays_between(was, from, day);
    if (n < 1 || pj_cal_add_workdays(was, from, n) != day) return due;
    return pj_cal_day_start(pj_cal_add_workdays(now, from, n) + 1);
}

int ent_appeal_deadlines_redo(pj_ctx *c, const pj_cal *was, const pj_cal *now,
                              int64_t counted_before, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, received_at, reopened_at, reopens, response_due,"
                               " complete_due, visit_due FROM ent_appeals"
                               " WHERE state != 'closed' ORDER BY id",
                               err);
    if (!s) return -1;
    typedef struct {
        int64_t id, rdue, cdue, vdue;
        int has_visit;
    } moved;
    moved *m = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t recv = pj_col_int(s, 1), round_start = recv;
        if (pj_col_int(s, 3) > 0 && !pj_col_is_null(s, 2)) round_start = pj_col_int(s, 2);
        int64_t rdue = pj_col_int(s, 4), cdue = pj_col_int(s, 5);
        int has_visit = !pj_col_is_null(s, 6);
        int64_t vdue = has_visit ? pj_col_int(s, 6) : 0;
        int64_t r2 = recv < counted_before ? redo_deadline(was, now, recv, rdue) : rdue;
        int64_t c2 =
            round_start < counted_before ? redo_deadline(was, now, round_start, cdue) : cdue;
        /* the return visit is due with the round's deadline (receipt, reopening) */
        int64_t v2 = has_visit && vdue == cdue ? c2 : vdue;
        if (r2 == rdue && c2 == cdue && v2 == vdue) continue;
        m = pj_arena_room(c->arena, m, n, &cap, sizeof *m, 16);
        m[n++] = (moved){pj_col_int(s, 0), r2, c2, v2, has_visit};
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    for (int i = 0; i < n; i++) {
        char *before = pj_render_to_string(c, m[i].id, appeal_render, err);
        if (!before) return -1;
        s = pj_db_prepare(c->db,
                          "UPDATE ent_appeals SET response_due = ?, complete_due = ?,"
                          " visit_due = ?, version = version + 1 WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, m[i].rdue);
        pj_stmt_int(s, 2, m[i].cdue);
        if (m[i].has_visit) pj_stmt_int(s, 3, m[i].vdue);
        pj_stmt_int(s, 4, m[i].id);
        if (pj_step_done(s, err)) return -1;
        char *after = pj_render_to_string(c, m[i].id, appeal_render, err);
        if (!after || pj_audit_add(c, "update", "ent_appeal", m[i].id, before, after, err))
            return -1;
    }
    return 0;
}

int pj_ent_migration_recount_2026(pj_db *db, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(db, "SELECT applied_at FROM schema_migrations WHERE version = 202", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int64_t at = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc <= 0) return rc;
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_settings settings;
    pj_settings_default(&settings);
    pj_ctx c = {.db = db, .arena = &a, .settings = &settings};
    c.actor.username = "migration";
    pj_cal was, now;
    rc = ent_calendar_load_without(&c, "2026", "gov.cn", &was, err) ||
                 ent_calendar_load(&c, &now, err) ||
                 ent_appeal_deadlines_redo(&c, &was, &now, at, err)
             ? -1
             : 0;
    pj_arena_free(&a);
    return rc;
}

int pj_ent_return_visits(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err)
{
    int64_t org, town;
    scope_where(c, &org, &town);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ent_appeals WHERE id > ? AND visit_due < ?"
                               " AND visited_at IS NULL AND state IN ('dispatched',"
                               " 'in_progress', 'replied', 'closed', 'returned', 'reopened',"
                               " 'escalated') AND (? = 0 OR org_id = ?)"
                               " AND (? = 0 OR township_id = ?) ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, org);
    pj_stmt_int(s, 4, org);
    pj_stmt_int(s, 5, town);
    pj_stmt_int(s, 6, town);
    pj_stmt_int(s, 7, f->limit + 1);
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * (size_t)(f->limit + 1));
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) ids[n++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    return pj_render_page(c, ids, n, f->limit, appeal_render, w, err);
}
