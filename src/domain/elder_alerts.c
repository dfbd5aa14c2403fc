/* Eldercare: alerts. A scan at time `now` raises
 *   missed_meal    — an elder whose plan includes meals today (on meal_weekdays; without
 *                    them, the first meal_days days from Monday) has no meal logged from local
 *                    midnight up to the cut-off (elder_meal_cutoff_min after midnight,
 *                    inclusive), once the cut-off passed;
 *   overdue_visit  — the last companionship visit (or registration) is more than the tier's
 *                    interval ago (elder_visit_days_*);
 *   no_doctor      — no family-doctor contract in force today;
 *   helper_over_capacity — a helper with more active pairs than their capacity;
 * each once (a dedupe key per condition), at level "grid"; alerts still open (not
 * acknowledged) elder_alert_escalate_hours after they were raised go to level "township".
 * Before escalating, the scan re-checks the open and acknowledged alerts: those of elders no
 * longer active are closed, those whose condition no longer holds are resolved (by "system",
 * with the reason); either way the alert's dedupe key is released, so the condition is raised
 * afresh should it return.
 * Raised by a write, not by the scan: helper_id_departed — an elder recorded moved or deceased
 * whose ID number an active helper record still has: unlinked, outside the recording caller's
 * scope, or linked to another elder record (pj_el_alert_id_departed; departures recorded before
 * it: migration 116); resolved by the scan once that helper is inactive.
 * Local time is UTC + elder_tz_offset_min (Beijing, 480). */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

int pj_el_alert_scan_tx(pj_ctx *c, int64_t now, int counts[PJ_EL_SCAN_COUNTS], pj_err *err)
{
    return pj_el_alert_scan_part(c, now, 0, INT64_MAX, 1, counts, err);
}

/* One kind of elder alert re-checked, in one pass over its open and acknowledged alerts of
 * the elders in [lo, hi] raised by now: closed when the elder is no longer active, resolved
 * when `cond` (SQL on the elder `e` and the alert) holds, with `reason` (an SQL expression on
 * the same) as the reason; the dedupe key released. cond's parameters: v[0..nv), then day
 * twice when given. Adds to *resolved and *closed. */
static int cure(pj_ctx *c, const char *kind, const char *cond, const char *reason, int64_t now,
                int64_t lo, int64_t hi, const int64_t *v, int nv, const char *day, int *resolved,
                int *closed, pj_err *err)
{
    const char *sql = pj_arena_printf(
        c->arena,
        "UPDATE elder_alerts SET (state, resolved_reason) = (SELECT CASE e.status WHEN 'active'"
        " THEN 'resolved' ELSE 'closed' END, CASE e.status WHEN 'active' THEN %s ELSE"
        " 'the elder is ' || e.status END FROM elders e WHERE e.id = elder_alerts.elder_id),"
        " resolved_at = ?, resolved_by = 'system', dedupe_key = dedupe_key || '#' || id,"
        " version = version + 1 WHERE state IN ('open', 'acked') AND kind = ?"
        " AND elder_id BETWEEN ? AND ? AND raised_at <= ? AND EXISTS (SELECT 1 FROM elders e"
        " WHERE e.id = elder_alerts.elder_id AND (e.status <> 'active' OR (%s))) RETURNING state",
        reason, cond);
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    pj_stmt_int(s, i++, now);
    pj_stmt_text(s, i++, kind);
    pj_stmt_int(s, i++, lo);
    pj_stmt_int(s, i++, hi);
    pj_stmt_int(s, i++, now);
    for (int k = 0; k < nv; k++) pj_stmt_int(s, i++, v[k]);
    if (day) {
        pj_stmt_text(s, i++, day);
        pj_stmt_text(s, i++, day);
    }
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1)
        ++*(strcmp(pj_col_text(s, 0), "closed") ? resolved : closed);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* One kind of helper alert resolved, its open and acknowledged alerts raised by now whose
 * helper `h` meets `cond` (SQL on h), with `reason` (a text) as the reason; the dedupe key
 * released. Adds to *resolved. */
static int helper_cure(pj_ctx *c, int64_t now, const char *kind, const char *reason,
                       const char *cond, int *resolved, pj_err *err)
{
    const char *sql = pj_arena_printf(
        c->arena,
        "UPDATE elder_alerts SET state = 'resolved', resolved_reason = ?, resolved_at = ?,"
        " resolved_by = 'system', dedupe_key = dedupe_key || '#' || id, version = version + 1"
        " WHERE state IN ('open', 'acked') AND kind = ? AND raised_at <= ? AND EXISTS (SELECT 1"
        " FROM helpers h WHERE h.id = elder_alerts.helper_id AND (%s))",
        cond);
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_text(s, 1, reason);
    pj_stmt_int(s, 2, now);
    pj_stmt_text(s, 3, kind);
    pj_stmt_int(s, 4, now);
    if (pj_step_done(s, err)) return -1;
    *resolved += pj_db_changes(c->db);
    return 0;
}

/* Re-checks the open and acknowledged alerts of the elders in [lo, hi] (and the helpers' when
 * others) as of now, before anything is escalated. Only alerts raised by now are judged: a scan
 * catching up on a past time leaves later ones alone. */
static int alert_cure(pj_ctx *c, int64_t now, int64_t lo, int64_t hi, int others, int64_t tz,
                      int64_t cutoff_min, const char *day, int *resolved, int *closed, pj_err *err)
{
    /* a visit logged by now; no longer overdue: due today or later (by the Beijing date) */
    int64_t day_start = pj_el_today(c, now) * 86400 - tz;
    int64_t visit[] = {now, pj_el_visit_days(c, "high_risk"), pj_el_visit_days(c, "key"),
                       pj_el_visit_days(c, "normal"), day_start};
    int64_t meal[] = {tz, tz, cutoff_min * 60};
    if (cure(c, "no_doctor",
             "e.doctor_until >= ? AND (e.doctor_from IS NULL OR e.doctor_from <= ?)",
             "'a family-doctor contract is in force'", now, lo, hi, NULL, 0, day, resolved, closed,
             err) ||
        /* still none in force, but not the contract the alert was raised for (a lapsed one
         * renewed from a later date, one recorded where there was none): that alert is
         * superseded by the one this scan raises for the contract as it is now, not kept open
         * beside it (one elder had two open no_doctor alerts, the older describing a contract
         * no longer on record) */
        cure(c, "no_doctor",
             "elder_alerts.dedupe_key <> 'no_doctor:' || e.id || ':' ||"
             " COALESCE(e.doctor_until, 'none')",
             "'the family-doctor contract changed'", now, lo, hi, NULL, 0, NULL, resolved, closed,
             err) ||
        /* the visit it waited for was logged (the last visit is not the one in its key), or the
         * interval changed (another tier or setting) */
        cure(c, "overdue_visit",
             "(e.last_visit_at <= ? AND elder_alerts.dedupe_key <> 'overdue_visit:' || e.id ||"
             " ':' || e.last_visit_at) OR COALESCE(e.last_visit_at, e.created_at) + 86400 *"
             " (CASE e.visit_tier WHEN 'high_risk' THEN ? WHEN 'key' THEN ? ELSE ? END) >= ?",
             "CASE WHEN elder_alerts.dedupe_key <> 'overdue_visit:' || e.id || ':' ||"
             " COALESCE(e.last_visit_at, e.created_at) THEN 'a companionship visit was logged'"
             " ELSE 'no longer overdue at the elder''s visit interval' END",
             now, lo, hi, visit, 5, NULL, resolved, closed, err) ||
        /* a meal logged since for that day's window: local midnight to the cut-off of the day
         * the alert was raised */
        cure(c, "missed_meal",
             "EXISTS (SELECT 1 FROM elder_service_logs l WHERE l.elder_id = e.id AND l.kind ="
             " 'meal' AND l.voided_at IS NULL AND l.time_in >= elder_alerts.raised_at - "
             "(elder_alerts.raised_at + ?) %"
             " 86400 AND l.time_in <= elder_alerts.raised_at - (elder_alerts.raised_at + ?) %"
             " 86400 + ?)",
             "'a meal was logged for that day'", now, lo, hi, meal, 3, NULL, resolved, closed, err))
        return -1;
    if (!others) return 0;
    if (helper_cure(c, now, "helper_over_capacity", "no longer over capacity",
                    "h.active = 0 OR h.capacity >= (SELECT COUNT(*) FROM elder_pairs p WHERE"
                    " p.helper_id = h.id AND p.state = 'active')",
                    resolved, err) ||
        /* a helper of a departed elder's ID number: stopped (by the district office, or by its
         * own township or grid) ... */
        helper_cure(c, now, "helper_id_departed", "the helper is inactive", "h.active = 0",
                    resolved, err) ||
        /* ... or the cause corrected: no elder of the helper's ID number is off the register
         * any more (the departure recorded by mistake and put back, or the number corrected) */
        helper_cure(c, now, "helper_id_departed",
                    "no elder of the helper's ID number is moved or deceased any more",
                    "NOT EXISTS (SELECT 1 FROM elders e WHERE e.id_number = h.id_number AND"
                    " e.status <> 'active')",
                    resolved, err))
        return -1;
    return 0;
}

int pj_el_alert_scan_part(pj_ctx *c, int64_t now, int64_t lo, int64_t hi, int others,
                          int counts[PJ_EL_SCAN_COUNTS], pj_err *err)
{
    int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
    int64_t cutoff_min = (int64_t)pj_el_setting(c, "elder_meal_cutoff_min", 720);
    int64_t esc_h = (int64_t)pj_el_setting(c, "elder_alert_escalate_hours", 24);
    if (cutoff_min < 0 || cutoff_min >= 1440) cutoff_min = 720;
    int64_t today = pj_el_today(c, now);
    int64_t day_start = today * 86400 - tz, cutoff = day_start + cutoff_min * 60;
    int weekday = (int)(((today + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday; Monday = 0 */
    char day[11], hhmm[16];
    pj_el_date(today, day);
    snprintf(hhmm, sizeof hhmm, "%02d:%02d", (int)(cutoff_min / 60 % 24), (int)(cutoff_min % 60));
    int *raised = counts;
    for (int k = 0; k < PJ_EL_SCAN_COUNTS; k++) counts[k] = 0;
    if (alert_cure(c, now, lo, hi, others, tz, cutoff_min, day, &counts[5], &counts[6], err))
        goto fail;
    pj_stmt *s;
    if (now >= cutoff) {
        s = pj_db_prepare(
            c->db,
            "INSERT INTO elder_alerts (kind, elder_id, grid_id, township_id, dedupe_key, detail,"
            " raised_at) SELECT 'missed_meal', e.id, e.grid_id, e.township_id,"
            " 'missed_meal:' || e.id || ':' || ?, 'no meal logged by ' || ? || ' on ' || ?, ?"
            " FROM elders e WHERE e.status = 'active' AND e.meal_provider <> 'none'"
            " AND (COALESCE(e.meal_weekdays, (1 << e.meal_days) - 1) >> ?) & 1"
            " AND e.created_at <= ? AND e.id BETWEEN ? AND ?"
            " AND NOT EXISTS (SELECT 1 FROM"
            " elder_service_logs l WHERE l.elder_id = e.id AND l.kind = 'meal'"
            " AND l.voided_at IS NULL AND l.time_in >= ? AND l.time_in <= ?) ON CONFLICT "
            "(dedupe_key) DO NOTHING",
            err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, day);
        pj_stmt_text(s, 2, hhmm);
        pj_stmt_text(s, 3, day);
        pj_stmt_int(s, 4, now);
        pj_stmt_int(s, 5, weekday);
        pj_stmt_int(s, 6, cutoff);
        pj_stmt_int(s, 7, lo);
        pj_stmt_int(s, 8, hi);
        pj_stmt_int(s, 9, day_start);
        pj_stmt_int(s, 10, cutoff);
        if (pj_step_done(s, err)) goto fail;
        raised[0] = pj_db_changes(c->db);
    }
    s = pj_db_prepare(
        c->db,
        "INSERT INTO elder_alerts (kind, elder_id, grid_id, township_id, dedupe_key, detail,"
        " raised_at) SELECT 'overdue_visit', e.id, e.grid_id, e.township_id,"
        " 'overdue_visit:' || e.id || ':' || COALESCE(e.last_visit_at, e.created_at),"
        " 'no companionship visit for more than ' || (CASE e.visit_tier WHEN 'high_risk' THEN ?"
        " WHEN 'key' THEN ? ELSE ? END) || ' days (' || e.visit_tier || ')', ?"
        " FROM elders e WHERE e.status = 'active' AND COALESCE(e.last_visit_at, e.created_at)"
        " + 86400 * (CASE e.visit_tier WHEN 'high_risk' THEN ? WHEN 'key' THEN ? ELSE ? END) < ?"
        " AND e.id BETWEEN ? AND ? ON CONFLICT (dedupe_key) DO NOTHING",
        err);
    if (!s) goto fail;
    int d1 = pj_el_visit_days(c, "high_risk"), d2 = pj_el_visit_days(c, "key"),
        d3 = pj_el_visit_days(c, "normal");
    pj_stmt_int(s, 1, d1);
    pj_stmt_int(s, 2, d2);
    pj_stmt_int(s, 3, d3);
    pj_stmt_int(s, 4, now);
    pj_stmt_int(s, 5, d1);
    pj_stmt_int(s, 6, d2);
    pj_stmt_int(s, 7, d3);
    /* overdue from the day after the due date, Beijing time (as the elder's visit_overdue) */
    pj_stmt_int(s, 8, day_start);
    pj_stmt_int(s, 9, lo);
    pj_stmt_int(s, 10, hi);
    if (pj_step_done(s, err)) goto fail;
    raised[1] = pj_db_changes(c->db);
    s = pj_db_prepare(
        c->db,
        "INSERT INTO elder_alerts (kind, elder_id, grid_id, township_id, dedupe_key, detail,"
        " raised_at) SELECT 'no_doctor', e.id, e.grid_id, e.township_id,"
        " 'no_doctor:' || e.id || ':' || COALESCE(e.doctor_until, 'none'),"
        " CASE WHEN e.doctor_until IS NULL THEN 'no family-doctor contract'"
        " ELSE 'family-doctor contract not in force (' || COALESCE(e.doctor_from, '') || ' – '"
        " || e.doctor_until || ')' END, ?"
        " FROM elders e WHERE e.status = 'active' AND (e.doctor_until IS NULL OR"
        " e.doctor_until < ? OR (e.doctor_from IS NOT NULL AND e.doctor_from > ?))"
        " AND e.id BETWEEN ? AND ? ON CONFLICT (dedupe_key) DO NOTHING",
        err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, now);
    pj_stmt_text(s, 2, day);
    pj_stmt_text(s, 3, day);
    pj_stmt_int(s, 4, lo);
    pj_stmt_int(s, 5, hi);
    if (pj_step_done(s, err)) goto fail;
    raised[2] = pj_db_changes(c->db);
    if (!others) return 0;
    s = pj_db_prepare(
        c->db,
        "INSERT INTO elder_alerts (kind, helper_id, grid_id, township_id, dedupe_key, detail,"
        " raised_at) SELECT 'helper_over_capacity', h.id, h.grid_id, h.township_id,"
        " 'over_capacity:' || h.id || ':' || x.n, 'paired with ' || x.n || ' elders, capacity '"
        " || h.capacity, ? FROM helpers h JOIN (SELECT helper_id, COUNT(*) AS n FROM elder_pairs"
        " WHERE state = 'active' GROUP BY helper_id) x ON x.helper_id = h.id"
        " WHERE x.n > h.capacity ON CONFLICT (dedupe_key) DO NOTHING",
        err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, now);
    if (pj_step_done(s, err)) goto fail;
    raised[3] = pj_db_changes(c->db);
    s = pj_db_prepare(c->db,
                      "UPDATE elder_alerts SET level = 'township', escalated_at = ?,"
                      " version = version + 1 WHERE state = 'open' AND level = 'grid'"
                      " AND raised_at + ? <= ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, now);
    pj_stmt_int(s, 2, esc_h * 3600);
    pj_stmt_int(s, 3, now);
    if (pj_step_done(s, err)) goto fail;
    counts[4] = pj_db_changes(c->db);
    return 0;
fail:
    return -1;
}

/* The latest scan's time (0 when none yet) into *last: -1 on error. */
static int scan_last(pj_ctx *c, int64_t *last, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT last_at FROM elder_alert_scan_state WHERE id = 1", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    *last = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* Records a scan as of `at` (kept when a later one is recorded), in the caller's transaction;
 * the number of rows changed (0 or 1), -1 on error. */
static int scan_record(pj_ctx *c, int64_t at, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "UPDATE elder_alert_scan_state SET last_at = ?, version = version + 1"
                      " WHERE id = 1 AND last_at < ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, at);
    pj_stmt_int(s, 2, at);
    if (pj_step_done(s, err)) return -1;
    return pj_db_changes(c->db);
}

int pj_alert_scan(pj_ctx *c, int64_t now, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    /* a past time catches up after an outage; further back it would raise every alert the
     * district ever had due (tens of thousands as of 1900) */
    int64_t t = pj_now();
    if (now > t + 60 || now < t - PJ_ALERT_SCAN_BACK_DAYS * 86400)
        return pj_fail(err, 422, "out_of_range", "at",
                       "at must be within the last %d days and not in the future",
                       PJ_ALERT_SCAN_BACK_DAYS);
    int n[PJ_EL_SCAN_COUNTS];
    if (pj_db_begin(c->db, err)) return -1;
    /* as of a time before the latest scan it would raise again what that scan resolved (and
     * judge by rules that no longer held): refused */
    int64_t last;
    if (scan_last(c, &last, err)) goto fail;
    if (now < last) {
        char was[21], asked[21];
        pj_time_iso(last, was);
        pj_time_iso(now, asked);
        pj_fail(err, 409, "invalid_state", "at",
                "at %s is before the latest alert scan (as of %s): a scan may not go back past it",
                asked, was);
        goto fail;
    }
    if (pj_el_alert_scan_tx(c, now, n, err) || scan_record(c, now, err) < 0) goto fail;
    char at[21];
    pj_time_iso(now, at);
    char *after = pj_arena_printf(
        c->arena,
        "{\"at\":\"%s\",\"raised\":%d,\"missed_meal\":%d,\"overdue_visit\":%d,\"no_doctor\":%d,"
        "\"helper_over_capacity\":%d,\"escalated\":%d,\"resolved\":%d,\"closed\":%d}",
        at, n[0] + n[1] + n[2] + n[3], n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
    if (pj_audit_add(c, "scan", "elder_alerts", 0, NULL, after, err) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- the server's scheduled scan ---- */

int pj_alert_scan_slice(pj_ctx *c, pj_alert_scan_job *j, int max_elders, pj_err *err)
{
    if (!j->at) return 1;
    /* this slice: the next max_elders elders by id; the last one also does helpers and
     * escalation */
    int64_t hi = INT64_MAX;
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id FROM elders WHERE id >= ? ORDER BY id LIMIT 1 OFFSET ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, j->next_id);
    pj_stmt_int(s, 2, max_elders > 0 ? max_elders - 1 : 0);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) hi = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int last = hi == INT64_MAX, n[PJ_EL_SCAN_COUNTS];
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_el_alert_scan_part(c, j->at, j->next_id, hi, last, n, err)) goto fail;
    int changed = 0;
    for (int k = 0; k < PJ_EL_SCAN_COUNTS; k++) j->counts[k] += n[k], changed += n[k];
    /* the run's time is recorded by its first slice: a scan on request as of an earlier time
     * is refused from then on, also while the run's later slices are still to come */
    int recorded = j->slices ? 0 : scan_record(c, j->at, err);
    if (recorded < 0) goto fail;
    if (!changed && !recorded) {
        pj_db_rollback(c->db); /* nothing to keep: no commit, no audit row, caches stay */
    } else if (!changed) {
        if (pj_db_commit(c->db, err)) goto fail; /* only the run's time: no audit row */
    } else {
        char at[21];
        pj_time_iso(j->at, at);
        char *after = pj_arena_printf(
            c->arena,
            "{\"at\":\"%s\",\"scheduled\":true,\"elder_ids\":[%lld,%lld],\"raised\":%d,"
            "\"missed_meal\":%d,\"overdue_visit\":%d,\"no_doctor\":%d,"
            "\"helper_over_capacity\":%d,\"escalated\":%d,\"resolved\":%d,\"closed\":%d}",
            at, (long long)j->next_id, (long long)(last ? -1 : hi), n[0] + n[1] + n[2] + n[3], n[0],
            n[1], n[2], n[3], n[4], n[5], n[6]);
        if (pj_audit_add(c, "scan", "elder_alerts", 0, NULL, after, err) ||
            pj_db_commit(c->db, err))
            goto fail;
    }
    j->slices++;
    if (last) {
        j->at = 0;
        return 1;
    }
    j->next_id = hi + 1;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int64_t pj_alert_scan_next(pj_ctx *c, int64_t now, int interval_s)
{
    int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
    int64_t cutoff_min = (int64_t)pj_el_setting(c, "elder_meal_cutoff_min", 720);
    if (cutoff_min < 0 || cutoff_min >= 1440) cutoff_min = 720;
    if (interval_s < 1) interval_s = 1;
    int64_t next = now + interval_s;
    /* one second after today's or tomorrow's meal cut-off, if that comes first */
    int64_t t = now + tz, day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    for (int k = 0; k < 2; k++) {
        int64_t at = (day + k) * 86400 - tz + cutoff_min * 60 + 1;
        if (at > now && at < next) return at;
    }
    return next;
}

static int alert_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s =
        pj_row_by_id(c,
                     "SELECT a.id, a.kind, a.elder_id, e.name, a.helper_id, h.name,"
                     " a.grid_id, g.name, a.township_id, a.detail, a.level, a.state,"
                     " a.raised_at, a.escalated_at, a.acked_at, a.acked_by,"
                     " a.resolved_at, a.resolved_by, a.note, a.version,"
                     " a.resolved_reason, " PJ_SQL_BY_NAME_OF "a.acked_by" PJ_SQL_BY_NAME_END ","
                     " " PJ_SQL_BY_NAME_OF "a.resolved_by" PJ_SQL_BY_NAME_END
                     " FROM elder_alerts a LEFT JOIN elders e ON e.id = a.elder_id"
                     " LEFT JOIN helpers h ON h.id = a.helper_id"
                     " LEFT JOIN regions g ON g.id = a.grid_id WHERE a.id = ?",
                     id, "alert", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_render_text(w, "kind", s, 1);
    pj_render_ref(w, "elder_id", s, 2);
    pj_render_text(w, "elder_name", s, 3);
    pj_render_ref(w, "helper_id", s, 4);
    /* a helper of an ID number recorded as departed elsewhere: raised by a write of someone
     * who may not open that helper, and read by those who may (the link opens the record):
     * the name masked in the alert, its audit rows included */
    if (!strcmp(pj_col_text(s, 1), "helper_id_departed"))
        pj_jw_kstr(w, "helper_name", pj_mask_name(c->arena, pj_col_text(s, 5)));
    else
        pj_render_text(w, "helper_name", s, 5);
    pj_jw_kint(w, "grid_id", pj_col_int(s, 6));
    pj_render_text(w, "grid_name", s, 7);
    pj_jw_kint(w, "township_id", pj_col_int(s, 8));
    pj_render_text(w, "detail", s, 9);
    pj_render_text(w, "level", s, 10);
    pj_render_text(w, "state", s, 11);
    pj_render_time(w, "raised_at", pj_col_int(s, 12));
    static const char *const tkeys[] = {"escalated_at", "acked_at", NULL, "resolved_at"};
    for (int k = 0; k < 4; k++) {
        if (!tkeys[k]) continue;
        if (pj_col_is_null(s, 13 + k))
            pj_jw_knull(w, tkeys[k]);
        else
            pj_render_time(w, tkeys[k], pj_col_int(s, 13 + k));
    }
    pj_render_by(w, "acked_by", s, 15, 21);
    pj_render_by(w, "resolved_by", s, 17, 22);
    pj_render_text(w, "resolved_reason", s, 20);
    pj_render_text(w, "note", s, 18);
    pj_jw_kint(w, "version", pj_col_int(s, 19));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

int pj_el_alert_id_departed(pj_ctx *c, int64_t elder_id, const char *status, int64_t day,
                            pj_err *err)
{
    /* the same person's helper records left active by the departure: one of the elder's ID
     * number, unlinked and outside the caller's scope, or linked to another elder record (still
     * on the register, whoever recorded the departure: which record is the person's is for
     * those who may act on the helper to settle); those linked to the elder, and unlinked ones
     * in the caller's scope, were stopped just before */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT h.id FROM helpers h WHERE h.active = 1 AND h.id_number ="
                               " (SELECT id_number FROM elders WHERE id = ?1) AND (h.elder_id IS"
                               " NULL OR h.elder_id <> ?1) ORDER BY h.id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, elder_id);
    int64_t *ids;
    int n;
    if (pj_render_ids(c, s, &ids, &n, err)) return -1;
    char on[11];
    pj_el_date(day, on);
    for (int k = 0; k < n; k++) {
        s = pj_db_prepare(
            c->db,
            "INSERT INTO elder_alerts (kind, helper_id, grid_id, township_id, dedupe_key, detail,"
            " raised_at) SELECT 'helper_id_departed', h.id, h.grid_id, h.township_id,"
            " 'helper_id_departed:' || h.id || ':' || ? || ':' || ?, 'an elder of the same ID"
            " number was recorded ' || ? || ' on ' || ?, ? FROM helpers h WHERE h.id = ?"
            " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            err);
        if (!s) return -1;
        pj_stmt_int(s, 1, elder_id);
        pj_stmt_text(s, 2, on);
        pj_stmt_text(s, 3, status);
        pj_stmt_text(s, 4, on);
        pj_stmt_int(s, 5, pj_now());
        pj_stmt_int(s, 6, ids[k]);
        int rc = pj_stmt_step(s, err);
        int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (!id) continue; /* raised already for this departure */
        char *after = pj_render_to_string(c, id, alert_render, err);
        if (!after || pj_audit_add(c, "create", "elder_alert", id, NULL, after, err)) return -1;
    }
    return 0;
}

int pj_el_alerts_follow(pj_ctx *c, const char *who, int64_t id, int64_t grid, int64_t town,
                        pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               !strcmp(who, "helper")
                                   ? "SELECT id FROM elder_alerts WHERE helper_id = ? AND state IN"
                                     " ('open', 'acked') AND (grid_id <> ? OR township_id <> ?)"
                                     " ORDER BY id"
                                   : "SELECT id FROM elder_alerts WHERE elder_id = ? AND state IN"
                                     " ('open', 'acked') AND (grid_id <> ? OR township_id <> ?)"
                                     " ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_int(s, 2, grid);
    pj_stmt_int(s, 3, town);
    int64_t *ids;
    int n;
    if (pj_render_ids(c, s, &ids, &n, err)) return -1;
    for (int k = 0; k < n; k++) {
        char *before = pj_render_to_string(c, ids[k], alert_render, err);
        if (!before) return -1;
        s = pj_db_prepare(c->db,
                          "UPDATE elder_alerts SET grid_id = ?, township_id = ?,"
                          " version = version + 1 WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, grid);
        pj_stmt_int(s, 2, town);
        pj_stmt_int(s, 3, ids[k]);
        if (pj_step_done(s, err)) return -1;
        char *after = pj_render_to_string(c, ids[k], alert_render, err);
        if (!after || pj_audit_add(c, "update", "elder_alert", ids[k], before, after, err))
            return -1;
    }
    return 0;
}

int pj_alert_list(pj_ctx *c, const char *state, const char *kind, const char *level,
                  int64_t elder_id, int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    if (pj_el_require_personal(c, err) || pj_el_filter_check(c, "elder", elder_id, "elder_id", err))
        return -1;
    /* only the filters given, so that an index can serve them: a state's alerts newest first
     * are one range of (state, id), a township's one range of (state, township_id) — years of
     * resolved alerts are no longer read past to find the open ones (a filter written
     * "? IS NULL OR a.state = ?" could use no index). A grid worker's open or acknowledged
     * alerts (a few per elder, whatever the years) are read grid by grid from (grid_id, state)
     * and sorted: from the state's range they would be sought among the district's. */
    int by_grid = c->actor.role == PJ_ROLE_GRID_WORKER && state &&
                  (!strcmp(state, "open") || !strcmp(state, "acked"));
    const char *sql = pj_arena_printf(
        c->arena, "SELECT a.id FROM %s WHERE 1 = 1%s%s%s%s%s%s ORDER BY a.id DESC LIMIT ?",
        by_grid ? "grid_workers g CROSS JOIN elder_alerts a ON a.grid_id = g.region_id"
                : "elder_alerts a",
        cursor ? " AND a.id < ?" : "", by_grid ? " AND g.user_id = ?" : pj_el_scope_sql(c, "a"),
        state ? " AND a.state = ?" : "", kind ? " AND a.kind = ?" : "",
        level ? " AND a.level = ?" : "", elder_id ? " AND a.elder_id = ?" : "");
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    if (cursor) pj_stmt_int(s, i++, cursor);
    if (by_grid)
        pj_stmt_int(s, i++, c->actor.user_id);
    else
        pj_el_scope_bind(c, s, &i);
    if (state) pj_stmt_text(s, i++, state);
    if (kind) pj_stmt_text(s, i++, kind);
    if (level) pj_stmt_text(s, i++, level);
    if (elder_id) pj_stmt_int(s, i++, elder_id);
    pj_stmt_int(s, i++, limit + 1);
    return pj_render_query_page(c, s, limit, alert_render, w, err);
}

int pj_alert_action(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"note", "version", NULL};
    int resolve = !strcmp(action, "resolve");
    int64_t version;
    const char *note = NULL;
    if (pj_el_require_personal(c, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_text(body, "note", resolve, 1, 500, &note, err) < 0)
        return -1;
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT grid_id, township_id, state FROM elder_alerts WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t grid = rc == 1 ? pj_col_int(s, 0) : 0, town = rc == 1 ? pj_col_int(s, 1) : 0;
    char state[16] = "";
    if (rc == 1) snprintf(state, sizeof state, "%s", pj_col_text(s, 2));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "alert", id);
    if (pj_el_scope_check(c, grid, town, err)) return -1;
    /* ack: open only; resolve: open or acked (not resolved, nor closed by the scan) */
    if (strcmp(state, "open") && (!resolve || strcmp(state, "acked")))
        return pj_fail(err, 409, "invalid_state", "id", "the alert is %s", state);
    if (pj_db_begin(c->db, err)) return -1;
    if (pj_version_check(c, "SELECT version FROM elder_alerts WHERE id = ?", id, version, "alert",
                         err))
        goto fail;
    char *before = pj_render_to_string(c, id, alert_render, err);
    if (!before) goto fail;
    s = pj_db_prepare(c->db,
                      resolve ? "UPDATE elder_alerts SET state = 'resolved', resolved_at = ?,"
                                " resolved_by = ?, note = ?, version = version + 1 WHERE id = ?"
                              : "UPDATE elder_alerts SET state = 'acked', acked_at = ?,"
                                " acked_by = ?, note = ?, version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, pj_now());
    pj_stmt_text(s, 2, c->actor.username ? c->actor.username : "system");
    pj_stmt_text(s, 3, note ? note : "");
    pj_stmt_int(s, 4, id);
    if (pj_step_done(s, err)) goto fail;
    char *after = pj_render_to_string(c, id, alert_render, err);
    if (!after || pj_audit_add(c, action, "elder_alert", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
