/* Eldercare: service logs and the time-credit ledger (时间银行, 1 hour = 1 credit).
 *
 * The ledger is double-entry: every transaction has entries summing to zero, posted to
 * accounts whose balance is kept with them in the same transaction. Credits are issued from
 * the system issuance account (which therefore holds minus everything in circulation), so the
 * sum of all balances is always 0. Amounts are whole minutes. Personal accounts may not go
 * below -credit_overdraft_min (a setting, default 0). */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

#define ACC_ISSUE    1 /* owner_id of the system issuance account */
#define ACC_REDEEMED 2 /* owner_id of the system account of care redeemed */

static const char *const relations[] = {"spouse",      "parent",     "child",
                                        "grandparent", "grandchild", NULL};

static int account_str(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);

int64_t pj_credit_account_of(pj_ctx *c, const char *kind, int64_t owner_id, const char *name,
                             pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id FROM credit_accounts WHERE owner_kind = ? AND owner_id = ?", err);
    if (!s) return 0;
    pj_stmt_text(s, 1, kind);
    pj_stmt_int(s, 2, owner_id);
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0 || id) return id;
    s = pj_db_prepare(c->db,
                      "INSERT INTO credit_accounts (owner_kind, owner_id, name) VALUES (?,?,?)"
                      " RETURNING id",
                      err);
    if (!s) return 0;
    pj_stmt_text(s, 1, kind);
    pj_stmt_int(s, 2, owner_id);
    pj_stmt_text(s, 3, name ? name : "");
    rc = pj_stmt_step(s, err);
    id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    /* a person's account opened (a helper registered, an elder's by a transfer): audited as
     * created, empty, wherever it is opened (a helper's had no row) */
    if (id && strcmp(kind, "system")) {
        char *opened = pj_render_to_string(c, id, account_str, err);
        if (!opened || pj_audit_add(c, "create", "credit_account", id, NULL, opened, err)) return 0;
    }
    return id;
}

typedef struct entry {
    int64_t account, amount;
} entry;

/* Posts one balanced transaction; inside the caller's transaction. Returns the txn id, 0 on
 * failure (409 insufficient_credits when a personal account would go below the overdraft). */
static int64_t post(pj_ctx *c, const char *kind, const entry *e, int n, int64_t log_id,
                    const char *relation, const char *note, int64_t at, pj_err *err)
{
    int64_t sum = 0;
    for (int i = 0; i < n; i++) sum += e[i].amount;
    if (sum != 0) {
        pj_fail(err, 500, "internal", "", "unbalanced ledger transaction");
        return 0;
    }
    int64_t overdraft = (int64_t)pj_el_setting(c, "credit_overdraft_min", 0);
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO credit_txns (kind, at, log_id, relation, note,"
                               " created_by) VALUES (?,?,?,?,?,?) RETURNING id",
                               err);
    if (!s) return 0;
    pj_stmt_text(s, 1, kind);
    pj_stmt_int(s, 2, at);
    if (log_id)
        pj_stmt_int(s, 3, log_id);
    else
        pj_stmt_null(s, 3);
    pj_stmt_text(s, 4, relation);
    pj_stmt_text(s, 5, note ? note : "");
    pj_stmt_text(s, 6, c->actor.username ? c->actor.username : "system");
    int rc = pj_stmt_step(s, err);
    int64_t txn = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (!txn) return 0;
    for (int i = 0; i < n; i++) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO credit_entries (txn_id, account_id, amount_min, at)"
                          " VALUES (?,?,?,?)",
                          err);
        if (!s) return 0;
        pj_stmt_int(s, 1, txn);
        pj_stmt_int(s, 2, e[i].account);
        pj_stmt_int(s, 3, e[i].amount);
        pj_stmt_int(s, 4, at);
        if (pj_step_done(s, err)) return 0;
        s = pj_db_prepare(c->db,
                          "UPDATE credit_accounts SET balance_min = balance_min + ?,"
                          " version = version + 1 WHERE id = ? RETURNING balance_min, owner_kind",
                          err);
        if (!s) return 0;
        pj_stmt_int(s, 1, e[i].amount);
        pj_stmt_int(s, 2, e[i].account);
        rc = pj_stmt_step(s, err);
        int64_t bal = rc == 1 ? pj_col_int(s, 0) : 0;
        int personal = rc == 1 && strcmp(pj_col_text(s, 1), "system") != 0;
        pj_stmt_done(s);
        if (rc < 0) return 0;
        if (rc == 0) {
            pj_fail(err, 422, "unknown_id", "account_id", "no credit account %lld",
                    (long long)e[i].account);
            return 0;
        }
        if (personal && e[i].amount < 0 && bal < -overdraft) {
            pj_fail(err, 409, "insufficient_credits", "minutes",
                    "the account would hold %lld minutes (the limit is %lld)", (long long)bal,
                    (long long)-overdraft);
            return 0;
        }
    }
    return txn;
}

/* ---- service logs ---- */

static const char *const log_fields[] = {"elder_id", "helper_id", "kind",    "time_in",
                                         "time_out", "minutes",   "remarks", NULL};

typedef struct elder_where {
    int64_t grid, village, town;
    char status[16];
    int64_t left_at; /* when a moved or deceased elder left the register (0: unknown, active) */
} elder_where;

static int elder_where_of(pj_ctx *c, int64_t id, const char *field, elder_where *p, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT grid_id, village_id, township_id, status, COALESCE(left_at, 0) FROM elders"
        " WHERE id = ?",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        p->grid = pj_col_int(s, 0), p->village = pj_col_int(s, 1), p->town = pj_col_int(s, 2);
        snprintf(p->status, sizeof p->status, "%s", pj_col_text(s, 3));
        p->left_at = pj_col_int(s, 4);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_fail(err, 422, "unknown_id", field, "no elder %lld", (long long)id);
    return 0;
}

static int log_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT l.id, l.elder_id, e.name, l.helper_id, h.name, l.kind,"
                              " l.time_in, l.time_out, l.minutes, l.remarks, l.recorded_by,"
                              " l.grid_id, l.credit_txn_id, l.source, l.created_at,"
                              " " PJ_SQL_BY_NAME_OF "l.recorded_by" PJ_SQL_BY_NAME_END ","
                              " l.voided_at, l.voided_by, l.void_reason, l.version,"
                              " (SELECT MAX(t.id) FROM credit_txns t WHERE t.log_id = l.id AND"
                              " t.kind = 'void'),"
                              " " PJ_SQL_BY_NAME_OF "l.voided_by" PJ_SQL_BY_NAME_END
                              " FROM elder_service_logs l JOIN elders e ON e.id = l.elder_id"
                              " LEFT JOIN helpers h ON h.id = l.helper_id WHERE l.id = ?",
                              id, "service log", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "elder_id", pj_col_int(s, 1));
    pj_render_text(w, "elder_name", s, 2);
    pj_render_ref(w, "helper_id", s, 3);
    pj_render_text(w, "helper_name", s, 4);
    pj_render_text(w, "kind", s, 5);
    pj_render_time(w, "time_in", pj_col_int(s, 6));
    pj_render_time(w, "time_out", pj_col_int(s, 7));
    pj_jw_kint(w, "minutes", pj_col_int(s, 8));
    pj_jw_key(w, "credits");
    pj_jw_fixed(w, pj_col_is_null(s, 12) ? 0.0 : (double)pj_col_int(s, 8) / 60.0, 2);
    pj_render_text(w, "remarks", s, 9);
    pj_render_by(w, "recorded_by", s, 10, 15);
    pj_jw_kint(w, "grid_id", pj_col_int(s, 11));
    pj_render_ref(w, "credit_txn_id", s, 12);
    pj_render_text(w, "source", s, 13);
    pj_render_time(w, "created_at", pj_col_int(s, 14));
    /* a voided log stays listed with who voided it, when and why (its credits were taken back
     * by the transaction void_txn_id) */
    pj_jw_kbool(w, "voided", !pj_col_is_null(s, 16));
    pj_render_time_col(w, "voided_at", s, 16);
    pj_render_by(w, "voided_by", s, 17, 21);
    pj_render_text(w, "void_reason", s, 18);
    pj_render_ref(w, "void_txn_id", s, 20);
    pj_jw_kint(w, "version", pj_col_int(s, 19));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

/* The same service entered twice (a form sent again, a quick entry repeated a second later,
 * so with a time_in a second later) would count twice in the reports and earn its credits
 * twice: a log of the same elder, kind and helper (or none) overlapping [t_in, t_out), or
 * starting at t_in, is the same service — 409 duplicate. Earlier entries of a quick entry are
 * in the table already (one transaction), so they count too. */
static int log_dup(pj_ctx *c, int64_t elder_id, const char *kind, int64_t helper_id, int64_t t_in,
                   int64_t t_out, const int64_t *earlier, size_t n_earlier, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM elder_service_logs WHERE elder_id = ? AND kind = ?"
                               " AND helper_id IS ? AND voided_at IS NULL AND (time_in = ? OR"
                               " (time_in < ? AND time_out > ?)) ORDER BY id LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, elder_id);
    pj_stmt_text(s, 2, kind);
    if (helper_id)
        pj_stmt_int(s, 3, helper_id);
    else
        pj_stmt_null(s, 3);
    pj_stmt_int(s, 4, t_in);
    pj_stmt_int(s, 5, t_out);
    pj_stmt_int(s, 6, t_in);
    int drc = pj_stmt_step(s, err);
    int64_t dup = drc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (drc < 0) return -1;
    for (size_t j = 0; dup && j < n_earlier; j++)
        if (earlier[j] == dup) /* that log is rolled back with this one: no id to name */
            return pj_fail(err, 409, "duplicate", "time_in",
                           "this service is entered twice: entries[%zu] is the same elder, kind"
                           " and helper at an overlapping time",
                           j);
    if (dup)
        return pj_fail(err, 409, "duplicate", "time_in",
                       "this service is logged already (log %lld: the same elder, kind and"
                       " helper at an overlapping time)",
                       (long long)dup);
    return 0;
}

/* One log (body already an object): validated, inserted with its credits; inside the caller's
 * transaction. *out_id gets the log id. earlier holds the ids of the n_earlier entries of the
 * same quick entry written before it (a repeat of one is named by its place in the entries). */
static int log_insert(pj_ctx *c, json_t *b, int quick, const int64_t *earlier, size_t n_earlier,
                      int64_t *out_id, pj_err *err)
{
    int64_t elder_id, helper_id = 0, minutes = -1, now = pj_now();
    const char *kind, *tin = NULL, *tout = NULL, *remarks = "";
    /* a visit's length is bounded by the setting, whichever way it is given: minutes sent alone
     * are refused at `minutes` with the setting's range (they were checked against a day's
     * 1440 and then refused at a time_out the entry did not have) */
    int64_t max = (int64_t)pj_el_setting(c, "elder_log_max_minutes", 480);
    if (pj_in_only(b, log_fields, err) ||
        pj_in_int(b, "elder_id", 1, 1, INT64_MAX, &elder_id, err) < 0 ||
        pj_in_ref(b, "helper_id", 0, &helper_id, err) < 0 ||
        pj_in_enum(b, "kind", 1, pj_service_kinds, &kind, err) < 0 ||
        /* (a time of another length, "…+08:00" or "….5Z", is refused below as not of the form,
         * not as too long) */
        pj_in_str(b, "time_in", !quick, 1, 64, &tin, err) < 0 ||
        pj_in_str(b, "time_out", 0, 1, 64, &tout, err) < 0 ||
        pj_in_int(b, "minutes", 0, 0, max, &minutes, err) < 0 ||
        pj_in_str(b, "remarks", 0, 0, 500, &remarks, err) < 0)
        return -1;
    int64_t t_in = now, t_out;
    /* a visit has a time of day: a bare date would be read as 08:00 in Beijing */
    if (tin && (strlen(tin) != 20 || pj_time_parse(tin, &t_in)))
        return pj_fail(err, 422, "invalid_value", "time_in",
                       "time_in must be a time YYYY-MM-DDTHH:MM:SSZ");
    if (tout && (strlen(tout) != 20 || pj_time_parse(tout, &t_out)))
        return pj_fail(err, 422, "invalid_value", "time_out",
                       "time_out must be a time YYYY-MM-DDTHH:MM:SSZ");
    if (!tout) t_out = t_in + (minutes > 0 ? minutes * 60 : 0);
    /* a quick entry line without a time: the service was done just now (its time is ours) */
    int undated = quick && !tin && minutes > 0;
    if (undated) t_in = now - minutes * 60, t_out = now;
    if (t_in > now + 300)
        return pj_fail(err, 422, "out_of_range", "time_in", "time_in is in the future");
    /* nor long past: a visit of 1971 made the elder's last visit 1971 (overdue at once, an
     * alert at the next scan) and earned its credits all the same. The bound is the alert
     * scan's catch-up limit: a log older than that could no longer be judged by a scan. */
    if (t_in < now - (int64_t)PJ_ALERT_SCAN_BACK_DAYS * 86400)
        return pj_fail(err, 422, "out_of_range", "time_in", "time_in is more than %d days ago",
                       PJ_ALERT_SCAN_BACK_DAYS);
    if (t_out < t_in)
        return pj_fail(err, 422, "out_of_range", "time_out", "time_out is before time_in");
    /* an end worked out from minutes: the minutes sent are what is refused */
    if (t_out > now + 300)
        return tout ? pj_fail(err, 422, "out_of_range", "time_out", "time_out is in the future")
                    : pj_fail(err, 422, "out_of_range", "minutes",
                              "time_in + minutes is in the future");
    int64_t mins = (t_out - t_in) / 60;
    /* both given: they must tell the same length (minutes was dropped for time_out's, so a
     * visit sent as 400 minutes was logged, and credited, as the 10 its times said) */
    if (tout && minutes >= 0 && minutes != mins)
        return pj_fail(err, 422, "invalid_value", "minutes",
                       "minutes %lld differs from time_out − time_in (%lld minutes): give one"
                       " of them, or both alike",
                       (long long)minutes, (long long)mins);
    if (mins > max)
        return pj_fail(err, 422, "out_of_range", tout ? "time_out" : "minutes",
                       "a visit lasts at most %lld minutes", (long long)max);
    elder_where e;
    if (elder_where_of(c, elder_id, "elder_id", &e, err)) return -1;
    /* a quick entry line names an elder outside the caller's scope as it names a missing one,
     * at its own field (a bare 403 left the line to be found by hand among 100, and told an
     * elder of another grid apart from no elder at all) */
    if (quick) {
        int in = pj_el_in_scope(c, e.grid, e.town, err);
        if (in < 0) return -1;
        if (!in)
            return pj_fail(err, 422, "unknown_id", "elder_id", "no elder %lld",
                           (long long)elder_id);
    } else if (pj_el_scope_check(c, e.grid, e.town, err)) {
        return -1;
    }
    /* an elder who died or moved away: a service of before the change was recorded (up to
     * left_at: the last second of a departure day given as left_on) is still logged (the company of
     * an elder's last days is entered after the family or the grid worker recorded the death), one
     * of the time since is not */
    if (strcmp(e.status, "active") && !(e.left_at && t_in <= e.left_at))
        return pj_fail(err, 422, "invalid_value", "elder_id",
                       "elder %lld is %s: only a service before that was recorded is logged",
                       (long long)elder_id, e.status);
    const char *hname = NULL;
    if (helper_id) {
        /* the helper earns credits: one the caller may see, or the elder's own pair's */
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT name, active, grid_id, township_id, EXISTS (SELECT 1"
                                   " FROM elder_pairs WHERE elder_id = ?1 AND helper_id = h.id"
                                   " AND state = 'active'), (h.elder_id = ?1 OR h.id_number ="
                                   " (SELECT id_number FROM elders WHERE id = ?1)) FROM"
                                   " helpers h WHERE id = ?2",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, elder_id);
        pj_stmt_int(s, 2, helper_id);
        int rc = pj_stmt_step(s, err);
        int active = rc == 1 && pj_col_int(s, 1);
        int64_t hgrid = rc == 1 ? pj_col_int(s, 2) : 0, htown = rc == 1 ? pj_col_int(s, 3) : 0;
        int paired = rc == 1 && pj_col_int(s, 4), self = rc == 1 && pj_col_int(s, 5);
        if (rc == 1) hname = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        pj_stmt_done(s);
        if (rc < 0) return -1;
        int seen = active && (paired || (rc = pj_el_in_scope(c, hgrid, htown, err)) == 1);
        if (rc < 0) return -1;
        if (!seen)
            return pj_fail(err, 422, "unknown_id", "helper_id",
                           "no active helper %lld in your scope or paired with elder %lld",
                           (long long)helper_id, (long long)elder_id);
        /* nor the elder themselves (a helper on the elders' register too, 低龄助高龄): a visit
         * to oneself is no service and earns no credits */
        if (self)
            return pj_fail(err, 422, "invalid_value", "helper_id",
                           "helper %lld is elder %lld (the same person): a person is never"
                           " their own helper",
                           (long long)helper_id, (long long)elder_id);
    }
    if (log_dup(c, elder_id, kind, helper_id, t_in, t_out, earlier, n_earlier, err)) return -1;
    /* a helper is in one place at a time: minutes already logged (and credited) with another
     * elder are not earned a second time (with the same elder, a meal served during a visit is
     * a service of its own). A log without a helper has no one to check; one without minutes
     * overlaps nothing. A quick entry line without a time was dated by us, not by the caller:
     * when the helper is logged with another elder then, the services were done one after
     * another (three meals delivered on one round, entered together or one by one), so the line
     * ends where those logs begin instead of being refused. */
    for (int moves = 0; helper_id && t_out > t_in; moves++) {
        pj_stmt *s =
            pj_db_prepare(c->db,
                          "SELECT id, elder_id, time_in, time_out, grid_id, township_id FROM"
                          " elder_service_logs WHERE"
                          " helper_id = ? AND time_in < ? AND time_out > ? AND elder_id <> ?"
                          " AND voided_at IS NULL ORDER BY time_in LIMIT 1",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, helper_id);
        pj_stmt_int(s, 2, t_out);
        pj_stmt_int(s, 3, t_in);
        pj_stmt_int(s, 4, elder_id);
        int drc = pj_stmt_step(s, err);
        int64_t other = drc == 1 ? pj_col_int(s, 0) : 0,
                other_elder = drc == 1 ? pj_col_int(s, 1) : 0,
                other_in = drc == 1 ? pj_col_int(s, 2) : 0,
                other_out = drc == 1 ? pj_col_int(s, 3) : 0,
                other_grid = drc == 1 ? pj_col_int(s, 4) : 0,
                other_town = drc == 1 ? pj_col_int(s, 5) : 0;
        pj_stmt_done(s);
        if (drc < 0) return -1;
        if (!other) break;
        if (undated && moves < 100 &&
            other_in - (t_out - t_in) >= now - (int64_t)PJ_ALERT_SCAN_BACK_DAYS * 86400) {
            t_out = other_in, t_in = other_in - mins * 60;
            /* moved onto the same service logged already: the same service, as above */
            if (log_dup(c, elder_id, kind, helper_id, t_in, t_out, earlier, n_earlier, err))
                return -1;
            continue;
        }
        /* the other log and its elder are named to a caller who may open them; to another,
         * an elder outside their scope is as unknown as one that does not exist: only until
         * when the helper is taken (Beijing time) */
        int in = pj_el_in_scope(c, other_grid, other_town, err);
        if (in < 0) return -1;
        if (in)
            return pj_fail(err, 409, "helper_busy", "time_in",
                           "helper %lld is logged with another elder at an overlapping time"
                           " (log %lld, elder %lld)",
                           (long long)helper_id, (long long)other, (long long)other_elder);
        int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
        int64_t sec = ((other_out + tz) % 86400 + 86400) % 86400;
        return pj_fail(err, 409, "helper_busy", "time_in",
                       "helper %lld is logged elsewhere at an overlapping time (until %02d:%02d)",
                       (long long)helper_id, (int)(sec / 3600), (int)(sec / 60 % 60));
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO elder_service_logs (elder_id, helper_id, kind,"
                               " time_in, time_out, minutes, remarks, recorded_by, grid_id,"
                               " village_id, township_id, created_at)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, elder_id);
    if (helper_id)
        pj_stmt_int(s, 2, helper_id);
    else
        pj_stmt_null(s, 2);
    pj_stmt_text(s, 3, kind);
    pj_stmt_int(s, 4, t_in);
    pj_stmt_int(s, 5, t_out);
    pj_stmt_int(s, 6, mins);
    pj_stmt_text(s, 7, remarks);
    pj_stmt_text(s, 8, c->actor.username ? c->actor.username : "system");
    pj_stmt_int(s, 9, e.grid);
    pj_stmt_int(s, 10, e.village);
    pj_stmt_int(s, 11, e.town);
    pj_stmt_int(s, 12, now);
    int rc = pj_stmt_step(s, err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) return -1;
    if (helper_id && mins > 0) {
        int64_t acc = pj_credit_account_of(c, "helper", helper_id, hname, err);
        int64_t issue = acc ? pj_credit_account_of(c, "system", ACC_ISSUE, NULL, err) : 0;
        if (!acc || !issue) return -1;
        entry en[2] = {{issue, -mins}, {acc, mins}};
        int64_t txn = post(c, "earn", en, 2, id, NULL, kind, t_out, err);
        if (!txn) return -1;
        s = pj_db_prepare(c->db, "UPDATE elder_service_logs SET credit_txn_id = ? WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, txn);
        pj_stmt_int(s, 2, id);
        if (pj_step_done(s, err)) return -1;
    }
    if (!strcmp(kind, "companionship")) {
        s = pj_db_prepare(c->db,
                          "UPDATE elders SET last_visit_at = ? WHERE id = ?"
                          " AND (last_visit_at IS NULL OR last_visit_at < ?)",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, t_out);
        pj_stmt_int(s, 2, elder_id);
        pj_stmt_int(s, 3, t_out);
        if (pj_step_done(s, err)) return -1;
    } else if (!strcmp(kind, "doctor_visit")) {
        char day[11];
        pj_el_date(pj_el_today(c, t_in), day);
        s = pj_db_prepare(c->db,
                          "UPDATE elders SET doctor_last_visit = ? WHERE id = ?"
                          " AND (doctor_last_visit IS NULL OR doctor_last_visit < ?)",
                          err);
        if (!s) return -1;
        pj_stmt_text(s, 1, day);
        pj_stmt_int(s, 2, elder_id);
        pj_stmt_text(s, 3, day);
        if (pj_step_done(s, err)) return -1;
    }
    *out_id = id;
    return 0;
}

int pj_service_log_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    if (pj_el_require_personal(c, err) || pj_in_object(body, err)) return -1;
    /* {"entries":[…]}: the grid worker's quick entry, all or nothing; otherwise one log */
    json_t *entries = json_object_get(body, "entries");
    int quick = entries != NULL;
    if (quick) {
        static const char *const only[] = {"entries", NULL};
        if (pj_in_only(body, only, err)) return -1;
        if (pj_in_list(entries, "entries", 100, "logs", err)) return -1;
        if (!json_array_size(entries))
            return pj_fail(err, 422, "missing_field", "entries",
                           "entries must hold at least one log");
    }
    size_t n = quick ? json_array_size(entries) : 1;
    int64_t *ids = pj_arena_alloc(c->arena, sizeof(int64_t) * n);
    if (pj_db_begin(c->db, err)) return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *b = quick ? json_array_get(entries, i) : body;
        if (!json_is_object(b)) {
            /* named as the other refusals of an entry are: entries[i], counted from 0 */
            char f[32];
            snprintf(f, sizeof f, "entries[%zu]", i);
            pj_fail(err, 422, "wrong_type", quick ? f : "", "%s is not an object",
                    quick ? f : "the body");
            goto fail;
        }
        if (log_insert(c, b, quick, ids, i, &ids[i], err)) {
            if (quick && (err->status == 422 || err->status == 409)) {
                char f[128];
                snprintf(f, sizeof f, "entries[%zu].%s", i, err->field);
                size_t l = strlen(f) < sizeof err->field ? strlen(f) : sizeof err->field - 1;
                memcpy(err->field, f, l);
                err->field[l] = 0;
            }
            goto fail;
        }
    }
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_jw bw;
    pj_jw_init(&bw, &b);
    if (quick) {
        pj_jw_obj(&bw);
        pj_jw_key(&bw, "items");
        pj_jw_arr(&bw);
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) rc = log_render(c, ids[i], &bw, err);
    if (quick) {
        pj_jw_arr_end(&bw);
        pj_jw_obj_end(&bw);
    }
    char *after = rc ? NULL : pj_arena_strndup(c->arena, b.data ? b.data : "", b.len);
    pj_buf_free(&b);
    if (!after) goto fail;
    /* one audit row per log, each naming its own (a quick entry named only its first) */
    for (size_t i = 0; i < n; i++) {
        char *one = quick ? pj_render_to_string(c, ids[i], log_render, err) : after;
        if (!one || pj_audit_add(c, "create", "service_log", ids[i], NULL, one, err)) goto fail;
    }
    if (pj_db_commit(c->db, err)) goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_service_log_list(pj_ctx *c, int64_t elder_id, int64_t helper_id, const char *kind,
                        int64_t since, int64_t until, int voided, int64_t cursor, int limit,
                        pj_jw *w, pj_err *err)
{
    if (pj_el_require_personal(c, err) ||
        pj_el_filter_check(c, "elder", elder_id, "elder_id", err) ||
        pj_el_filter_check(c, "helper", helper_id, "helper_id", err))
        return -1;
    /* One elder's logs (the elder's page) are newest first by when the service was done, then
     * by id: a visit entered late sits at its own time, not above today's. The cursor is the
     * last log shown, so the next page starts after its (time_in, id). Other lists stay newest
     * entered first (id order), each one range of its index. */
    int by_time = elder_id != 0;
    int64_t cur_in = 0;
    if (cursor && by_time) {
        pj_stmt *q = pj_db_prepare(
            c->db, "SELECT time_in FROM elder_service_logs WHERE id = ? AND elder_id = ?", err);
        if (!q) return -1;
        pj_stmt_int(q, 1, cursor);
        pj_stmt_int(q, 2, elder_id);
        int rc = pj_stmt_step(q, err);
        cur_in = rc == 1 ? pj_col_int(q, 0) : 0;
        pj_stmt_done(q);
        if (rc < 0) return -1;
        if (rc == 0)
            return pj_fail(err, 400, "bad_query", "cursor", "no service log %lld of elder %lld",
                           (long long)cursor, (long long)elder_id);
    }
    /* only the filters given, as plain comparisons, so that an index serves them: a
     * township's logs are one range of (township_id), a grid worker's grids' a few of
     * (grid_id), a period one of (time_in, …) — written "? = 0 OR l.time_in >= ?" none could
     * be used and every list read the logs from the newest down to the first match */
    const char *sql = pj_arena_printf(
        c->arena,
        "SELECT l.id FROM elder_service_logs l WHERE 1 = 1%s%s%s%s%s%s%s%s ORDER BY %s LIMIT ?",
        !cursor   ? ""
        : by_time ? " AND (l.time_in, l.id) < (?, ?)"
                  : " AND l.id < ?",
        pj_el_scope_sql(c, "l"), elder_id ? " AND l.elder_id = ?" : "",
        helper_id ? " AND l.helper_id = ?" : "", kind ? " AND l.kind = ?" : "",
        since ? " AND l.time_in >= ?" : "", until ? " AND l.time_in < ?" : "",
        voided < 0 ? ""
        : voided   ? " AND l.voided_at IS NOT NULL"
                   : " AND l.voided_at IS NULL",
        by_time ? "l.time_in DESC, l.id DESC" : "l.id DESC");
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    if (cursor && by_time) pj_stmt_int(s, i++, cur_in);
    if (cursor) pj_stmt_int(s, i++, cursor);
    pj_el_scope_bind(c, s, &i);
    if (elder_id) pj_stmt_int(s, i++, elder_id);
    if (helper_id) pj_stmt_int(s, i++, helper_id);
    if (kind) pj_stmt_text(s, i++, kind);
    if (since) pj_stmt_int(s, i++, since);
    if (until) pj_stmt_int(s, i++, until);
    pj_stmt_int(s, i++, limit + 1);
    return pj_render_query_page(c, s, limit, log_render, w, err);
}

/* A log entered by mistake (wrong minutes, the wrong elder) is voided, never edited or deleted:
 * it stays listed, marked, and counts nowhere any more — coverage, the overlap rules
 * (duplicate, helper_busy), the elder's last visit and the alert scan read only the logs in
 * force — so the right one can then be entered. Its credits are taken back by a reversing
 * transaction (each entry of its earn transaction with the opposite sign, at the time of the
 * void), so each balance stays the sum of its entries; a helper who spent them meanwhile would
 * go below the overdraft: 409 insufficient_credits, nothing written. */
static const char *const void_fields[] = {"reason", "version", NULL};

int pj_service_log_void(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    const char *reason = NULL;
    int64_t version = 0, now = pj_now();
    if (pj_el_require_personal(c, err) || pj_in_object(body, err) ||
        pj_in_only(body, void_fields, err) ||
        pj_in_text(body, "reason", 1, 1, 500, &reason, err) < 0 ||
        pj_in_int(body, "version", 0, 1, INT64_MAX, &version, err) < 0)
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT elder_id, kind, time_in, time_out, grid_id, township_id,"
                              " credit_txn_id, voided_at, voided_by, version, helper_id, minutes"
                              " FROM elder_service_logs WHERE id = ?",
                              id, "service log", err);
    if (!s) goto fail;
    int64_t elder_id = pj_col_int(s, 0), t_in = pj_col_int(s, 2), t_out = pj_col_int(s, 3),
            grid = pj_col_int(s, 4), town = pj_col_int(s, 5), txn = pj_col_int(s, 6),
            voided_at = pj_col_is_null(s, 7) ? 0 : pj_col_int(s, 7), cur = pj_col_int(s, 9),
            helper_id = pj_col_int(s, 10), mins = pj_col_int(s, 11);
    char kind[32], by[64];
    snprintf(kind, sizeof kind, "%s", pj_col_text(s, 1));
    snprintf(by, sizeof by, "%s", pj_col_is_null(s, 8) ? "" : pj_col_text(s, 8));
    pj_stmt_done(s);
    /* the roles and scope of logging it: a grid worker voids the logs of their grids, a
     * township officer their township's (the log's grid follows its elder's moves) */
    if (pj_el_scope_check(c, grid, town, err)) goto fail;
    if (voided_at) {
        char at[21];
        pj_time_iso(voided_at, at);
        pj_fail(err, 409, "invalid_state", "id", "service log %lld was voided already (%s by %s)",
                (long long)id, at, by);
        goto fail;
    }
    /* (voided already is said first: a void sent twice, by a double click, is told so) */
    if (version && version != cur) {
        pj_version_conflict(err, "service log", cur, version);
        goto fail;
    }
    char *before = pj_render_to_string(c, id, log_render, err);
    if (!before) goto fail;
    if (txn) {
        entry en[8];
        int n = 0;
        s = pj_db_prepare(c->db,
                          "SELECT account_id, amount_min FROM credit_entries WHERE txn_id = ?"
                          " ORDER BY id",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, txn);
        int rc;
        while ((rc = pj_stmt_step(s, err)) == 1 && n < 8)
            en[n].account = pj_col_int(s, 0), en[n].amount = -pj_col_int(s, 1), n++;
        pj_stmt_done(s);
        if (rc < 0) goto fail;
        /* the note is the reason as typed: the transaction's kind (void) and log_id say the
         * rest, and a reader words it in its own language (it was "void of log N: …", shown
         * raw in the zh-CN console) */
        if (n && !post(c, "void", en, n, id, NULL, reason, now, err)) {
            if (err->status == 409 && !strcmp(err->code, "insufficient_credits")) {
                pj_err_clear(err);
                long long floor = (long long)pj_el_setting(c, "credit_overdraft_min", 0);
                pj_fail(err, 409, "insufficient_credits", "id",
                        "the %lld minutes this log earned cannot be taken back: helper %lld has"
                        " spent them (the account may not go below %s%lld minutes)",
                        (long long)mins, (long long)helper_id, floor ? "-" : "", floor);
            }
            goto fail;
        }
    }
    s = pj_db_prepare(c->db,
                      "UPDATE elder_service_logs SET voided_at = ?, voided_by = ?, void_reason = ?,"
                      " version = version + 1 WHERE id = ?",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, now);
    pj_stmt_text(s, 2, c->actor.username ? c->actor.username : "system");
    pj_stmt_text(s, 3, reason);
    pj_stmt_int(s, 4, id);
    if (pj_step_done(s, err)) goto fail;
    /* the elder's last visit (doctor visit) is the latest of the logs left, when this log was
     * the one that set it; none left: none */
    if (!strcmp(kind, "companionship")) {
        s = pj_db_prepare(c->db,
                          "UPDATE elders SET last_visit_at = (SELECT MAX(time_out) FROM"
                          " elder_service_logs WHERE elder_id = elders.id AND kind ="
                          " 'companionship' AND voided_at IS NULL) WHERE id = ? AND"
                          " last_visit_at = ?",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, elder_id);
        pj_stmt_int(s, 2, t_out);
        if (pj_step_done(s, err)) goto fail;
    } else if (!strcmp(kind, "doctor_visit")) {
        char day[11];
        pj_el_date(pj_el_today(c, t_in), day);
        int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
        s = pj_db_prepare(c->db,
                          "UPDATE elders SET doctor_last_visit = (SELECT date(MAX(time_in) + ?,"
                          " 'unixepoch') FROM elder_service_logs WHERE elder_id = elders.id AND"
                          " kind = 'doctor_visit' AND voided_at IS NULL) WHERE id = ? AND"
                          " doctor_last_visit = ?",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, tz);
        pj_stmt_int(s, 2, elder_id);
        pj_stmt_text(s, 3, day);
        if (pj_step_done(s, err)) goto fail;
    }
    char *after = pj_render_to_string(c, id, log_render, err);
    if (!after || pj_audit_add(c, "void", "service_log", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- accounts ---- */

typedef struct owner {
    char kind[16];
    int64_t owner_id, grid, town, balance;
    int active; /* the helper active, the elder's status active (system accounts: 1) */
    char birth[11];
    char name[64];
    char id_number[20]; /* the holder's (system accounts: empty): one person, one number */
    int on_register;    /* the person on the elders' register is active: an elder's own status,
                           a helper's own elder record (低龄助高龄) if any; else 1 */
} owner;

static int account_owner(pj_ctx *c, int64_t account, const char *field, owner *o, pj_err *err)
{
    memset(o, 0, sizeof *o);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT a.owner_kind, a.owner_id, a.balance_min, a.name,"
        " COALESCE(h.grid_id, e.grid_id), COALESCE(h.township_id, e.township_id),"
        " COALESCE(h.birth_date, e.birth_date), COALESCE(h.active, e.status = 'active', 1),"
        " COALESCE(h.id_number, e.id_number),"
        /* a helper who is on the elders' register too: that record's status */
        " COALESCE(e.status = 'active', (SELECT x.status = 'active' FROM elders x WHERE x.id ="
        " COALESCE(h.elder_id, (SELECT y.id FROM elders y WHERE y.id_number = h.id_number))),"
        " 1) FROM credit_accounts a"
        " LEFT JOIN helpers h ON a.owner_kind = 'helper' AND h.id = a.owner_id"
        " LEFT JOIN elders e ON a.owner_kind = 'elder' AND e.id = a.owner_id WHERE a.id = ?",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, account);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        snprintf(o->kind, sizeof o->kind, "%s", pj_col_text(s, 0));
        o->owner_id = pj_col_int(s, 1), o->balance = pj_col_int(s, 2);
        snprintf(o->name, sizeof o->name, "%s", pj_col_text(s, 3));
        o->grid = pj_col_int(s, 4), o->town = pj_col_int(s, 5);
        if (!pj_col_is_null(s, 6)) snprintf(o->birth, sizeof o->birth, "%s", pj_col_text(s, 6));
        o->active = pj_col_int(s, 7) != 0;
        if (!pj_col_is_null(s, 8))
            snprintf(o->id_number, sizeof o->id_number, "%s", pj_col_text(s, 8));
        o->on_register = pj_col_int(s, 9) != 0;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) {
        if (field)
            return pj_fail(err, 422, "unknown_id", field, "no credit account %lld",
                           (long long)account);
        return pj_not_found(err, "credit account", account);
    }
    return 0;
}

/* Whether the holder o may redeem credits for their own care: a person (not a system account)
 * aged at least the setting credit_redeem_age (*age_min) today. The one rule of redemptions and
 * of the may_redeem an account's page shows. */
/* An elder who moved away or died receives no care here: their account redeems nothing (a
 * helper's does, active or not: the credits are theirs for their own care — unless the helper
 * is on the elders' register too and that record moved away or died). */
static int holder_may_redeem(const owner *o)
{
    return strcmp(o->kind, "system") && o->on_register;
}

static int may_redeem(pj_ctx *c, const owner *o, int *age_min)
{
    *age_min = (int)pj_el_setting(c, "credit_redeem_age", 60);
    return holder_may_redeem(o) && o->birth[0] &&
           pj_el_age(o->birth, pj_el_today(c, pj_now())) >= *age_min;
}

/* Why the holder o may not redeem (the account page's redeem_refusal), as the redemption
 * refuses it: a system account's, "not_active" (409: off the elders' register), "too_young"
 * (409: under *age_min); NULL when they may. */
static const char *redeem_refusal(pj_ctx *c, const owner *o, int *age_min)
{
    if (may_redeem(c, o, age_min)) return NULL;
    if (!strcmp(o->kind, "system")) return "system_account";
    return holder_may_redeem(o) ? "too_young" : "not_active";
}

/* An account with a page of its entries; full (the account's page, not an audit row's copy)
 * adds entries_total, redeem_age, may_redeem and redeem_refusal. */
static int account_render(pj_ctx *c, int64_t id, int64_t cursor, int limit, int full, pj_jw *w,
                          pj_err *err)
{
    owner o;
    if (account_owner(c, id, NULL, &o, err)) return -1;
    /* Newest first by when it happened (a service's end, a transfer's or redemption's
     * posting), then by entry: a service logged late sits at its own time, not at the top.
     * The cursor is the last entry shown, so the next page starts after its (at, id). */
    int64_t cur_at = 0;
    pj_stmt *s;
    if (cursor) {
        s = pj_db_prepare(c->db, "SELECT at FROM credit_entries WHERE id = ? AND account_id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, cursor);
        pj_stmt_int(s, 2, id);
        int rc = pj_stmt_step(s, err);
        cur_at = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (rc == 0)
            return pj_fail(err, 400, "bad_query", "cursor", "no entry %lld in credit account %lld",
                           (long long)cursor, (long long)id);
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "id", id);
    pj_jw_kstr(w, "owner_kind", o.kind);
    pj_jw_kint(w, "owner_id", o.owner_id);
    pj_jw_kstr(w, "name", o.name);
    pj_jw_kint(w, "balance_min", o.balance);
    pj_jw_key(w, "credits");
    pj_jw_fixed(w, (double)o.balance / 60.0, 2);
    if (full) {
        s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM credit_entries WHERE account_id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        int64_t total = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        int age_min;
        const char *refusal = redeem_refusal(c, &o, &age_min);
        pj_jw_kint(w, "entries_total", total);
        pj_jw_kint(w, "redeem_age", age_min);
        pj_jw_kbool(w, "may_redeem", !refusal);
        if (refusal)
            pj_jw_kstr(w, "redeem_refusal", refusal);
        else
            pj_jw_knull(w, "redeem_refusal");
        pj_jw_kbool(w, "holder_active", o.active);
    }
    pj_jw_key(w, "entries");
    pj_jw_arr(w);
    /* the other side of each entry: its account, whose it is (a system account, a helper, an
     * elder) and the person's name with their grid and township for the scope check. The
     * entry's own copy of its transaction's time orders the page: one range of the index on
     * (account_id, at, id), not every entry of the account joined and sorted (the issuance
     * account has one per service ever logged) */
    s = pj_db_prepare(
        c->db,
        pj_arena_printf(c->arena,
                        "SELECT e.id, e.txn_id, e.amount_min, t.kind, e.at, t.note,"
                        " t.relation, t.log_id, x.account_id, ca.owner_kind, ca.owner_id,"
                        " COALESCE(h.name, el.name), COALESCE(h.grid_id, el.grid_id),"
                        " COALESCE(h.township_id, el.township_id)"
                        " FROM credit_entries e JOIN credit_txns t ON t.id = e.txn_id"
                        " LEFT JOIN credit_entries x ON x.id = (SELECT MIN(y.id) FROM"
                        " credit_entries y WHERE y.txn_id = e.txn_id AND y.id <> e.id)"
                        " LEFT JOIN credit_accounts ca ON ca.id = x.account_id"
                        " LEFT JOIN helpers h ON ca.owner_kind = 'helper' AND h.id = ca.owner_id"
                        " LEFT JOIN elders el ON ca.owner_kind = 'elder' AND el.id = ca.owner_id"
                        " WHERE e.account_id = ?%s ORDER BY e.at DESC, e.id DESC LIMIT ?",
                        cursor ? " AND (e.at, e.id) < (?, ?)" : ""),
        err);
    if (!s) return -1;
    int k = 1;
    pj_stmt_int(s, k++, id);
    if (cursor) {
        pj_stmt_int(s, k++, cur_at);
        pj_stmt_int(s, k++, cursor);
    }
    pj_stmt_int(s, k++, limit + 1);
    int rc, n = 0;
    int64_t last = 0;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < limit) {
        pj_jw_obj(w);
        pj_jw_kint(w, "id", last = pj_col_int(s, 0));
        pj_jw_kint(w, "txn_id", pj_col_int(s, 1));
        pj_jw_kint(w, "amount_min", pj_col_int(s, 2));
        pj_render_text(w, "kind", s, 3);
        pj_render_time(w, "at", pj_col_int(s, 4));
        pj_render_text(w, "note", s, 5);
        pj_render_text(w, "relation", s, 6);
        pj_render_ref(w, "log_id", s, 7);
        pj_render_ref(w, "counter_account_id", s, 8);
        if (pj_col_is_null(s, 9)) {
            pj_jw_knull(w, "counter_kind");
            pj_jw_knull(w, "counter_owner_id");
            pj_jw_knull(w, "counter_name");
        } else {
            const char *kind = pj_col_text(s, 9);
            pj_jw_kstr(w, "counter_kind", kind);
            pj_jw_kint(w, "counter_owner_id", pj_col_int(s, 10));
            /* a person's name only when the reader may see that person's record */
            int in = 0;
            if (strcmp(kind, "system") && !pj_col_is_null(s, 11)) {
                in = pj_el_in_scope(c, pj_col_int(s, 12), pj_col_int(s, 13), err);
                if (in < 0) {
                    rc = -1;
                    break;
                }
            }
            if (in)
                pj_render_text(w, "counter_name", s, 11);
            else
                pj_jw_knull(w, "counter_name");
        }
        pj_jw_obj_end(w);
        n++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_render_next_cursor(w, rc == 1, last);
    pj_jw_obj_end(w);
    return 0;
}

static int account_scope(pj_ctx *c, const owner *o, pj_err *err)
{
    if (!strcmp(o->kind, "system")) {
        if (pj_ctx_district(c)) return 0;
        return pj_fail(err, 403, "forbidden", "", "system accounts are for district roles");
    }
    return pj_el_scope_check(c, o->grid, o->town, err);
}

int pj_credit_account_get(pj_ctx *c, int64_t id, int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    owner o;
    if (pj_el_require_personal(c, err) || account_owner(c, id, NULL, &o, err) ||
        account_scope(c, &o, err))
        return -1;
    int started = pj_db_read_begin(c->db);
    int rc = account_render(c, id, cursor, limit, 1, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

static int account_str(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return account_render(c, id, 0, 5, 0, w, err);
}

static int move(pj_ctx *c, int64_t account_id, json_t *body, int transfer, pj_jw *w, pj_err *err)
{
    static const char *const redeem_fields[] = {"minutes", "note", NULL};
    static const char *const transfer_fields[] = {"minutes",  "to_account_id", "to_elder_id",
                                                  "relation", "note",          NULL};
    int64_t minutes, to = 0, to_elder = 0;
    const char *note = "", *relation = NULL, *elder_name = NULL;
    char to_idn[20] = "";
    owner o, t;
    if (pj_in_object(body, err) ||
        pj_in_only(body, transfer ? transfer_fields : redeem_fields, err) ||
        pj_in_int(body, "minutes", 1, 1, 1000000, &minutes, err) < 0 ||
        pj_in_str(body, "note", 0, 0, 200, &note, err) < 0 ||
        (transfer && (pj_in_int(body, "to_account_id", 0, 1, INT64_MAX, &to, err) < 0 ||
                      pj_in_int(body, "to_elder_id", 0, 1, INT64_MAX, &to_elder, err) < 0 ||
                      pj_in_enum(body, "relation", 1, relations, &relation, err) < 0)))
        return -1;
    if (transfer && !to == !to_elder)
        return pj_fail(err, 422, to ? "invalid_value" : "missing_field", "to_account_id",
                       to ? "name the relative's account (to_account_id) or, for an elder, the"
                            " elder (to_elder_id), not both"
                          : "name the relative's account (to_account_id) or, for an elder, the"
                            " elder (to_elder_id)");
    if (account_owner(c, account_id, NULL, &o, err)) return -1;
    if (!strcmp(o.kind, "system"))
        return pj_fail(err, 422, "invalid_value", "id",
                       "system accounts do not redeem or transfer");
    if (pj_el_officer_check(c, o.town, err)) return -1;
    if (to_elder) {
        /* only after the caller's check on the source: an elder out of the caller's scope (as
         * GET /elders/{id} judges it), unknown or not active is one answer, so no officer
         * learns another township's elders or their status by probing ids */
        pj_stmt *s = pj_db_prepare(
            c->db,
            "SELECT e.name, e.status, (SELECT a.id FROM credit_accounts a WHERE a.owner_kind ="
            " 'elder' AND a.owner_id = e.id), e.grid_id, e.township_id, e.id_number FROM elders e"
            " WHERE e.id = ?",
            err);
        if (!s) return -1;
        pj_stmt_int(s, 1, to_elder);
        int rc = pj_stmt_step(s, err);
        int active = rc == 1 && !strcmp(pj_col_text(s, 1), "active");
        int64_t grid = 0, town = 0;
        if (rc == 1) {
            elder_name = pj_arena_strdup(c->arena, pj_col_text(s, 0));
            to = pj_col_is_null(s, 2) ? 0 : pj_col_int(s, 2);
            grid = pj_col_int(s, 3), town = pj_col_int(s, 4);
            snprintf(to_idn, sizeof to_idn, "%s", pj_col_text(s, 5));
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
        int in = rc == 1 ? pj_el_in_scope(c, grid, town, err) : 0;
        if (in < 0) return -1;
        if (!in || !active)
            return pj_fail(err, 422, "unknown_id", "to_elder_id",
                           "no active elder %lld in your scope", (long long)to_elder);
        /* the helper who is this elder too (低龄助高龄: one person in both registers) gives
         * nothing to themselves */
        if (o.id_number[0] && !strcmp(o.id_number, to_idn))
            return pj_fail(err, 422, "invalid_value", "to_elder_id",
                           "transfer to another person's account: elder %lld is the account's"
                           " holder (the same ID number)",
                           (long long)to_elder);
    }
    if (!transfer) {
        int age_min;
        if (!holder_may_redeem(&o))
            return pj_fail(err, 409, "not_active", "id",
                           !strcmp(o.kind, "helper")
                               ? "the helper's own elder record is no longer on the register"
                                 " (moved or deceased): credits are redeemed for an active"
                                 " person's own care"
                               : "the elder is no longer on the register (moved or deceased):"
                                 " credits are redeemed for an active elder's own care");
        if (!may_redeem(c, &o, &age_min))
            return pj_fail(err, 409, "too_young", "id",
                           "credits are redeemed for one's own care from age %d", age_min);
    } else if (to) {
        const char *field = to_elder ? "to_elder_id" : "to_account_id";
        /* by account id as by elder id: the account's holder in the caller's scope and active
         * (a deceased elder's or an inactive helper's account takes no credits), unknown
         * accounts alike — one answer, so no holder or status is learnt by probing ids */
        int known = account_owner(c, to, field, &t, err) == 0;
        if (!known && (to_elder || err->status != 422)) return -1;
        /* the scope before the holder: an account out of scope answered "another person's"
         * when its holder had the source's ID number, telling the officer that this helper
         * is on the elders' register in another township */
        int in = known && !to_elder ? pj_el_in_scope(c, t.grid, t.town, err) : 1;
        if (in < 0) return -1;
        if (!to_elder && (!known || !in || !t.active))
            return pj_fail(err, 422, "unknown_id", field,
                           "no account %lld of an active person in your scope", (long long)to);
        if (to == account_id || !strcmp(t.kind, "system") ||
            (o.id_number[0] && !strcmp(o.id_number, t.id_number)))
            return pj_fail(err, 422, "invalid_value", field,
                           "transfer to another person's account");
    }
    if (pj_db_begin(c->db, err)) return -1;
    char *before = pj_render_to_string(c, account_id, account_str, err);
    if (!before) goto fail;
    int64_t dest = !transfer ? pj_credit_account_of(c, "system", ACC_REDEEMED, NULL, err)
                   : to      ? to
                             : pj_credit_account_of(c, "elder", to_elder, elder_name, err);
    if (!dest) goto fail; /* an elder's account opened by it is audited as created (empty) */
    entry en[2] = {{account_id, -minutes}, {dest, minutes}};
    int64_t txn =
        post(c, transfer ? "transfer" : "redeem", en, 2, 0, relation, note, pj_now(), err);
    if (!txn) goto fail;
    char *after = pj_render_to_string(c, account_id, account_str, err);
    if (!after ||
        pj_audit_add(c, transfer ? "transfer" : "redeem", "credit_account", account_id, before,
                     after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_credit_redeem(pj_ctx *c, int64_t account_id, json_t *body, pj_jw *w, pj_err *err)
{
    return move(c, account_id, body, 0, w, err);
}

int pj_credit_transfer(pj_ctx *c, int64_t account_id, json_t *body, pj_jw *w, pj_err *err)
{
    return move(c, account_id, body, 1, w, err);
}

int pj_credit_check(pj_ctx *c, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE)) return -1;
    int64_t sum, drift, unbalanced, below, accounts, txns, issued, redeemed;
    int64_t overdraft = (int64_t)pj_el_setting(c, "credit_overdraft_min", 0);
    int started = pj_db_read_begin(c->db);
    int rc =
        pj_query_int(c, "SELECT COALESCE(SUM(balance_min), 0) FROM credit_accounts", &sum, err) ||
        pj_query_int(c,
                     "SELECT COUNT(*) FROM credit_accounts a WHERE a.balance_min <>"
                     " (SELECT COALESCE(SUM(amount_min), 0) FROM credit_entries e"
                     " WHERE e.account_id = a.id)",
                     &drift, err) ||
        pj_query_int(c,
                     "SELECT COUNT(*) FROM (SELECT txn_id FROM credit_entries GROUP BY txn_id"
                     " HAVING SUM(amount_min) <> 0) x",
                     &unbalanced, err) ||
        pj_query_int(c, "SELECT COUNT(*) FROM credit_accounts", &accounts, err) ||
        pj_query_int(c, "SELECT COUNT(*) FROM credit_txns", &txns, err) ||
        pj_query_int(c,
                     "SELECT COALESCE(-balance_min, 0) FROM credit_accounts WHERE owner_kind ="
                     " 'system' AND owner_id = 1",
                     &issued, err) ||
        pj_query_int(c,
                     "SELECT COALESCE(balance_min, 0) FROM credit_accounts WHERE owner_kind ="
                     " 'system' AND owner_id = 2",
                     &redeemed, err);
    if (!rc) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT COUNT(*) FROM credit_accounts WHERE owner_kind <>"
                                   " 'system' AND balance_min < ?",
                                   err);
        if (!s)
            rc = -1;
        else {
            pj_stmt_int(s, 1, -overdraft);
            rc = pj_stmt_step(s, err) < 0 ? -1 : 0;
            below = pj_col_int(s, 0);
            pj_stmt_done(s);
        }
    }
    pj_db_read_end(c->db, started);
    if (rc) return -1;
    pj_jw_obj(w);
    pj_jw_kbool(w, "ok", sum == 0 && drift == 0 && unbalanced == 0 && below == 0);
    pj_jw_kint(w, "sum_of_balances_min", sum);
    pj_jw_kint(w, "accounts_drifted", drift);
    pj_jw_kint(w, "unbalanced_txns", unbalanced);
    pj_jw_kint(w, "accounts_below_limit", below);
    pj_jw_kint(w, "accounts", accounts);
    pj_jw_kint(w, "txns", txns);
    pj_jw_kint(w, "issued_min", issued);
    pj_jw_kint(w, "redeemed_min", redeemed);
    pj_jw_kint(w, "in_circulation_min", issued - redeemed);
    pj_jw_obj_end(w);
    return 0;
}
