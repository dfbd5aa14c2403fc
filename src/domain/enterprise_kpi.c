/* KPIs of the appeal workflow, per department and district-wide, after Beijing's 12345
 * regulation: response, resolution and satisfaction rates (weighted into a composite), on-time
 * rate, median time to close, appeals by category and by month, and problems solved. One scan
 * of the period's appeals; aggregation in C.
 *
 * Satisfaction counts every rating given (one per reply: a not_satisfied one reopens the appeal
 * and the next reply is rated again), so a dissatisfaction stays counted after a later
 * satisfied rating. On time is judged on the last round of handling: the reply that ended it
 * by that round's deadline (a reopened round has its own). An appeal returned and not yet
 * re-dispatched belongs to no department; each department's returns are counted apart.
 *
 * Per department each figure is of the department it is about, not of whoever holds the appeal
 * now (a reopened appeal returned and sent to a second department carried the first one's
 * rating and response to the second): a rating counts for the department whose reply it rated
 * (its ent_appeal_ratings row); the response, when given by its deadline, for the department
 * that gave it (the first accept or reply), and when late or still missing past it, for the
 * department that held the appeal when the deadline passed (none when it was then received
 * and not dispatched, or returned). The appeal itself and what follows from its last round
 * (closed, resolved, on time, overdue, hours to close) count for the department holding it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/util.h"
#include "domain/enterprise_int.h"

#include "core/banned.h"

#define MAX_DEPTS  128
#define MAX_CATS   16
#define MAX_MONTHS 240

typedef struct agg {
    int64_t dept;
    const char *name;
    int total, due_resp, resp_ok, closed, resolved, rated, satisfied, basically, due_done, done_ok,
        open_overdue, solved_rd, returned;
    double *close_h;
    int nclose;
} agg;

static double rate(int a, int b)
{
    return b ? (double)a / b : -1;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    if (!n) return -1;
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The figures as the JSON, the console and the CSV all give them: a rate to four decimals, the
 * median hours to close to one (halves up); below 0 (none) stays as it is. */
static double round_to(double v, double scale)
{
    return v < 0 ? v : (double)(int64_t)(v * scale + 0.5) / scale;
}

static double median_hours(double *v, int n)
{
    return round_to(median(v, n), 10);
}

static void kput(pj_jw *w, const char *k, double v)
{
    if (v < 0)
        pj_jw_knull(w, k);
    else
        pj_jw_knum(w, k, round_to(v, 10000));
}

static int cmp_dept(const void *a, const void *b)
{
    int64_t x = ((const agg *)a)->dept, y = ((const agg *)b)->dept;
    return x < y ? -1 : x > y;
}

/* *out = the entry of department id in dep[*n], added (named from the organisations) when
 * missing; it closes none: the closings are counted in the scan, for the departments holding
 * appeals. *out = NULL when MAX_DEPTS are listed already. -1 on an error. */
static int dept_slot(pj_ctx *c, agg *dep, int *n, int64_t id, double *pool, agg **out, pj_err *err)
{
    *out = NULL;
    for (int k = 0; k < *n; k++)
        if (dep[k].dept == id) {
            *out = &dep[k];
            return 0;
        }
    if (*n == MAX_DEPTS) return 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT name FROM organisations WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    const char *name = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : "";
    pj_stmt_done(s);
    if (rc < 0) return -1;
    agg *d = &dep[(*n)++];
    d->dept = id;
    d->name = name;
    d->close_h = pool;
    *out = d;
    return 0;
}

typedef struct weights {
    double r, s, sat;
} weights;

static double composite(const agg *a, const weights *wt)
{
    double rr = rate(a->resp_ok, a->due_resp), rs = rate(a->resolved, a->closed),
           sa = rate(a->satisfied + a->basically, a->rated);
    double num = 0, den = 0;
    if (rr >= 0) num += wt->r * rr, den += wt->r;
    if (rs >= 0) num += wt->s * rs, den += wt->s;
    if (sa >= 0) num += wt->sat * sa, den += wt->sat;
    return den > 0 ? num / den : -1;
}

static void agg_json(pj_jw *w, agg *a, const weights *wt)
{
    pj_jw_kint(w, "appeals", a->total);
    kput(w, "response_rate", rate(a->resp_ok, a->due_resp));
    kput(w, "resolution_rate", rate(a->resolved, a->closed));
    kput(w, "satisfaction_rate", rate(a->satisfied + a->basically, a->rated));
    kput(w, "on_time_rate", rate(a->done_ok, a->due_done));
    kput(w, "composite", composite(a, wt));
    double m = median_hours(a->close_h, a->nclose);
    if (m < 0)
        pj_jw_knull(w, "median_hours_to_close");
    else
        pj_jw_knum(w, "median_hours_to_close", m);
    pj_jw_kint(w, "closed", a->closed);
    pj_jw_kint(w, "resolved", a->resolved);
    pj_jw_kint(w, "rated", a->rated);
    pj_jw_kint(w, "satisfied", a->satisfied);
    pj_jw_kint(w, "basically_satisfied", a->basically);
    pj_jw_kint(w, "open_overdue", a->open_overdue);
    pj_jw_kint(w, "returned", a->returned);
}

/* Binds a KPI query's "time >= ? AND time < ? AND (? = 0 OR township_id = ?)": the period
 * [from, to) and the township (0 the district). */
static void bind_period(pj_stmt *s, int64_t from, int64_t to, int64_t town)
{
    pj_stmt_int(s, 1, from);
    pj_stmt_int(s, 2, to);
    pj_stmt_int(s, 3, town);
    pj_stmt_int(s, 4, town);
}

/* The years (Beijing time) in which appeals in the scope were received, ascending, into
 * years[max]: what a year picker offers. One indexed look-up per year: the first appeal at or
 * after the start of the year after the last one found. */
#define MAX_YEARS 100
static int appeal_years(pj_ctx *c, int64_t town, int *years, int *n, pj_err *err)
{
    *n = 0;
    int64_t after = INT64_MIN;
    while (*n < MAX_YEARS) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT MIN(received_at) FROM ent_appeals WHERE received_at >= ?"
                                   " AND (? = 0 OR township_id = ?)",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, after);
        pj_stmt_int(s, 2, town);
        pj_stmt_int(s, 3, town);
        int rc = pj_stmt_step(s, err);
        int none = rc != 1 || pj_col_is_null(s, 0);
        int64_t first = none ? 0 : pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (none) break;
        int y, m, d;
        pj_cal_to_civil(pj_cal_local_day(first), &y, &m, &d);
        years[(*n)++] = y;
        after = pj_cal_day_start(pj_cal_from_civil(y + 1, 1, 1));
    }
    return 0;
}

int pj_ent_problems_solved(pj_ctx *c, int64_t town, int64_t *out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT COUNT(*) FROM ent_appeals WHERE channel = 'reception_day'"
                               " AND state = 'closed' AND resolved = 1 AND (rating IS NULL OR"
                               " rating <> 'not_satisfied') AND (? = 0 OR township_id = ?)",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, town);
    pj_stmt_int(s, 2, town);
    int rc = pj_stmt_step(s, err);
    *out = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_ent_kpis(pj_ctx *c, int64_t from, int64_t to, pj_jw *w, pj_buf *csv, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_VIEWER, PJ_ROLE_NONE))
        return -1;
    if (to < from) return pj_fail(err, 400, "bad_query", "from", "from is after to");
    if (to <= from) return pj_fail(err, 400, "bad_query", "to", "to must be after from");
    /* the trend has a month for every month of the period: a longer period was cut short
     * at its 240th month, the later months (those with the appeals) silently left out */
    {
        int y0, m0, d0, y1, m1, d1;
        pj_cal_to_civil(pj_cal_local_day(from), &y0, &m0, &d0);
        pj_cal_to_civil(pj_cal_local_day(to - 1), &y1, &m1, &d1);
        if ((int64_t)(y1 - y0) * 12 + (m1 - m0) + 1 > MAX_MONTHS)
            return pj_fail(err, 400, "bad_query", "from",
                           "the period spans more than %d months (20 years): choose a later from"
                           " or an earlier to",
                           MAX_MONTHS);
    }
    int64_t town = ent_list_town(c);
    weights wt = {ent_setting(c, "ent_w_response", 0.2), ent_setting(c, "ent_w_resolution", 0.4),
                  ent_setting(c, "ent_w_satisfaction", 0.4)};
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT COUNT(*) FROM ent_appeals WHERE received_at >= ? AND received_at < ?"
                      " AND (? = 0 OR township_id = ?)",
                      err);
    if (!s) return -1;
    bind_period(s, from, to, town);
    int rc = pj_stmt_step(s, err);
    int total = rc == 1 ? (int)pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* what the total covers: the district, or the township officer's township (named so in
     * the CSV's total row and in `scope`; the JSON keeps the key `district` for readers) */
    agg all = {.name = "district"};
    if (town) {
        s = pj_db_prepare(c->db, "SELECT name FROM regions WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, town);
        rc = pj_stmt_step(s, err);
        all.name = rc == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : "township";
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    agg *dep = pj_arena_calloc(c->arena, MAX_DEPTS, sizeof(agg));
    int ndep = 0;
    all.close_h = pj_arena_alloc(c->arena, sizeof(double) * (size_t)(total + 1));
    double *pool = pj_arena_alloc(c->arena, sizeof(double) * (size_t)(total + 1));
    int pool_used = 0;
    int bycat[MAX_CATS] = {0};
    /* by month (Beijing time): appeals received in the month, and appeals closed in the month
     * (by the day of closing, whenever received) */
    int y0, m0, d0, y1, m1, d1;
    pj_cal_to_civil(pj_cal_local_day(from), &y0, &m0, &d0);
    pj_cal_to_civil(pj_cal_local_day(to - 1), &y1, &m1, &d1);
    int nmonths = (y1 - y0) * 12 + (m1 - m0) + 1;
    int *mrecv = pj_arena_calloc(c->arena, (size_t)nmonths, sizeof(int));
    int *mclosed = pj_arena_calloc(c->arena, (size_t)nmonths, sizeof(int));
    int64_t now = pj_now();
    /* whose response it is, from the appeal's events: the department of the first accept or
     * reply (the response given), and the one holding the appeal when the response fell due
     * (the latest event at or before it that hands the appeal on: 0 after a receipt or a
     * return, or an escalation without a department). NULL without such events (the demo's
     * appeals have none): the department holding it now. */
    s = pj_db_prepare(c->db,
                      "SELECT a.department_id, d.name, a.category, a.state, a.received_at,"
                      " a.responded_at, a.response_due, a.replied_at, a.complete_due,"
                      " a.closed_at, a.resolved, a.rating, a.channel,"
                      " (SELECT e.department_id FROM ent_appeal_events e WHERE e.appeal_id ="
                      " a.id AND e.action IN ('accept', 'reply') ORDER BY e.id LIMIT 1),"
                      " (SELECT CASE WHEN e.action IN ('receive', 'return') THEN 0 ELSE"
                      " COALESCE(e.department_id, 0) END FROM ent_appeal_events e WHERE"
                      " e.appeal_id = a.id AND e.at <= a.response_due AND e.action IN ('receive',"
                      " 'dispatch', 'escalate', 'return') ORDER BY e.id DESC LIMIT 1)"
                      " FROM ent_appeals a LEFT JOIN organisations d ON d.id = a.department_id"
                      " WHERE a.received_at >= ? AND a.received_at < ?"
                      " AND (? = 0 OR a.township_id = ?) ORDER BY a.department_id",
                      err);
    if (!s) return -1;
    bind_period(s, from, to, town);
    /* each appeal's response, for the department it is of (added after the scan: that
     * department need not hold any appeal of the period) */
    typedef struct resp_of {
        int64_t dept;
        int ok;
    } resp_of;
    resp_of *resps = pj_arena_alloc(c->arena, sizeof(resp_of) * (size_t)(total + 1));
    int nresp = 0;
    int seen = 0;
    while (seen < total && (rc = pj_stmt_step(s, err)) == 1) {
        seen++;
        int64_t dept = pj_col_int(s, 0);
        agg *d = NULL;
        /* returned and not re-dispatched: not the returning department's appeal */
        if (dept && strcmp(pj_col_text(s, 3), "returned")) {
            if (ndep && dep[ndep - 1].dept == dept)
                d = &dep[ndep - 1];
            else if (ndep < MAX_DEPTS) {
                d = &dep[ndep++];
                d->dept = dept;
                d->name = pj_arena_strdup(c->arena, pj_col_text(s, 1));
                d->close_h = pool + pool_used;
            }
        }
        const char *cat = pj_col_text(s, 2), *state = pj_col_text(s, 3);
        for (int k = 0; pj_appeal_categories[k] && k < MAX_CATS; k++)
            if (!strcmp(cat, pj_appeal_categories[k])) bycat[k]++;
        int64_t recv = pj_col_int(s, 4), resp = pj_col_int(s, 5), rdue = pj_col_int(s, 6),
                repl = pj_col_int(s, 7), cdue = pj_col_int(s, 8), clos = pj_col_int(s, 9);
        int resolved = (int)pj_col_int(s, 10);
        const char *rating = pj_col_text(s, 11);
        int from_rd = !strcmp(pj_col_text(s, 12), "reception_day");
        /* the response: due once given or past its deadline; on time for the department that
         * gave it, late or missing for the one that held the appeal at the deadline */
        if (resp || rdue < now) {
            int ok = resp && resp <= rdue;
            int64_t holder = d ? d->dept : 0;
            int64_t of = ok ? (pj_col_is_null(s, 13) ? holder : pj_col_int(s, 13))
                            : (pj_col_is_null(s, 14) ? holder : pj_col_int(s, 14));
            if (of) resps[nresp++] = (resp_of){of, ok};
        }
        /* the last round has been replied to only in these states: a reopened round's
         * replied_at is the earlier round's reply, which does not count */
        int repl_last = repl && (!strcmp(state, "closed") || !strcmp(state, "replied"));
        int closed = !strcmp(state, "closed");
        {
            int y, m, dd;
            pj_cal_to_civil(pj_cal_local_day(recv), &y, &m, &dd);
            int mi = (y - y0) * 12 + (m - m0);
            if (mi >= 0 && mi < nmonths) mrecv[mi]++;
        }
        agg *targets[2] = {&all, d};
        for (int k = 0; k < 2; k++) {
            agg *a = targets[k];
            if (!a) continue;
            a->total++;
            if (a == &all && (resp || rdue < now)) {
                a->due_resp++;
                if (resp && resp <= rdue) a->resp_ok++;
            }
            if (repl_last) {
                a->due_done++;
                if (repl <= cdue) a->done_ok++;
            } else if (cdue < now && !closed) {
                a->due_done++;
                a->open_overdue++;
            }
            if (closed) {
                a->closed++;
                int ok = resolved && (!rating || strcmp(rating, "not_satisfied"));
                a->resolved += ok;
                if (ok && from_rd) a->solved_rd++;
                a->close_h[a->nclose++] = (double)(clos - recv) / 3600.0;
                if (a == d) pool_used++;
            }
        }
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    for (int i = 0; i < nresp; i++) {
        agg *d;
        if (dept_slot(c, dep, &ndep, resps[i].dept, pool, &d, err)) return -1;
        if (!d) continue; /* more departments than MAX_DEPTS */
        d->due_resp++;
        d->resp_ok += resps[i].ok;
    }
    /* every rating given to the period's appeals, for the department whose reply it rated
     * (none recorded: the total only) */
    s = pj_db_prepare(c->db,
                      "SELECT r.department_id, COUNT(*), SUM(r.rating = 'satisfied'),"
                      " SUM(r.rating = 'basically') FROM ent_appeal_ratings r JOIN ent_appeals a"
                      " ON a.id = r.appeal_id WHERE a.received_at >= ? AND a.received_at < ?"
                      " AND (? = 0 OR a.township_id = ?) GROUP BY r.department_id",
                      err);
    if (!s) return -1;
    bind_period(s, from, to, town);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int n = (int)pj_col_int(s, 1), sat = (int)pj_col_int(s, 2), bas = (int)pj_col_int(s, 3);
        all.rated += n;
        all.satisfied += sat;
        all.basically += bas;
        if (pj_col_is_null(s, 0)) continue;
        agg *d;
        if (dept_slot(c, dep, &ndep, pj_col_int(s, 0), pool, &d, err)) {
            rc = -1;
            break;
        }
        if (!d) continue;
        d->rated += n;
        d->satisfied += sat;
        d->basically += bas;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* closings by the Beijing month of closing: an appeal received in one month and closed in
     * the next counts for the next, and one received before the period and closed in it counts
     * too (closing is final: a not_satisfied rating reopens a replied appeal, never a closed one)
     */
    s = pj_db_prepare(c->db,
                      "SELECT closed_at FROM ent_appeals WHERE state = 'closed' AND closed_at >= ?"
                      " AND closed_at < ? AND (? = 0 OR township_id = ?)",
                      err);
    if (!s) return -1;
    bind_period(s, from, to, town);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int y, m, dd;
        pj_cal_to_civil(pj_cal_local_day(pj_col_int(s, 0)), &y, &m, &dd);
        int mi = (y - y0) * 12 + (m - m0);
        if (mi >= 0 && mi < nmonths) mclosed[mi]++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* returns, to the department that returned the appeal */
    s = pj_db_prepare(c->db,
                      "SELECT e.department_id, d.name, COUNT(*) FROM ent_appeal_events e"
                      " JOIN ent_appeals a ON a.id = e.appeal_id"
                      " JOIN organisations d ON d.id = e.department_id"
                      " WHERE e.action = 'return' AND a.received_at >= ? AND a.received_at < ?"
                      " AND (? = 0 OR a.township_id = ?) GROUP BY e.department_id, d.name"
                      " ORDER BY e.department_id",
                      err);
    if (!s) return -1;
    bind_period(s, from, to, town);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t dept = pj_col_int(s, 0);
        int k = 0;
        while (k < ndep && dep[k].dept != dept) k++;
        if (k == ndep) {
            if (ndep == MAX_DEPTS) continue;
            dep[ndep].dept = dept;
            dep[ndep].name = pj_arena_strdup(c->arena, pj_col_text(s, 1));
            dep[ndep++].close_h = pool; /* closes none */
        }
        dep[k].returned += (int)pj_col_int(s, 2);
        all.returned += (int)pj_col_int(s, 2);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* by department id, whichever figure listed a department first */
    qsort(dep, (size_t)ndep, sizeof *dep, cmp_dept);
    /* problems solved from reception days, since the mechanism started (not only the period) */
    int64_t solved_all;
    if (pj_ent_problems_solved(c, town, &solved_all, err)) return -1;
    if (csv) {
        pj_csv_field(csv, "department_id", 0);
        pj_csv_field(csv, "department", 0);
        /* the JSON's columns, in its order (the counts behind the rates too), then returned */
        static const char *const hdr[] = {"appeals",
                                          "response_rate",
                                          "resolution_rate",
                                          "satisfaction_rate",
                                          "on_time_rate",
                                          "composite",
                                          "median_hours_to_close",
                                          "closed",
                                          "resolved",
                                          "rated",
                                          "satisfied",
                                          "basically_satisfied",
                                          "open_overdue",
                                          "returned"};
        enum { NHDR = sizeof hdr / sizeof hdr[0] };
        for (int k = 0; k < NHDR; k++) pj_csv_field(csv, hdr[k], k == NHDR - 1);
        for (int i = 0; i <= ndep; i++) {
            agg *a = i < ndep ? &dep[i] : &all;
            char v[32];
            snprintf(v, sizeof v, "%lld", (long long)a->dept);
            pj_csv_field(csv, i < ndep ? v : "", 0);
            pj_csv_field(csv, a->name ? a->name : "", 0);
            double vals[7] = {a->total,
                              rate(a->resp_ok, a->due_resp),
                              rate(a->resolved, a->closed),
                              rate(a->satisfied + a->basically, a->rated),
                              rate(a->done_ok, a->due_done),
                              composite(a, &wt),
                              median_hours(a->close_h, a->nclose)};
            for (int k = 0; k < 7; k++) {
                if (vals[k] < 0)
                    v[0] = 0;
                else
                    snprintf(v, sizeof v,
                             k == 0   ? "%.0f"
                             : k == 6 ? "%.1f"
                                      : "%.4f",
                             k == 0 || k == 6 ? vals[k] : round_to(vals[k], 10000));
                pj_csv_field(csv, v, 0);
            }
            long long counts[] = {a->closed,    a->resolved,     a->rated,   a->satisfied,
                                  a->basically, a->open_overdue, a->returned};
            enum { NCOUNTS = sizeof counts / sizeof counts[0] };
            for (int k = 0; k < NCOUNTS; k++) {
                snprintf(v, sizeof v, "%lld", counts[k]);
                pj_csv_field(csv, v, k == NCOUNTS - 1);
            }
        }
        return csv->overflow ? pj_fail(err, 500, "too_large", "", "report too large") : 0;
    }
    int years[MAX_YEARS], nyears;
    if (appeal_years(c, town, years, &nyears, err)) return -1;
    char f1[21], t1[21];
    pj_time_iso(from, f1);
    pj_time_iso(to, t1);
    pj_jw_obj(w);
    pj_jw_kstr(w, "from", f1);
    pj_jw_kstr(w, "to", t1);
    pj_jw_key(w, "years");
    pj_jw_arr(w);
    for (int i = 0; i < nyears; i++) pj_jw_int(w, years[i]);
    pj_jw_arr_end(w);
    pj_jw_key(w, "weights");
    pj_jw_obj(w);
    pj_jw_knum(w, "response", wt.r);
    pj_jw_knum(w, "resolution", wt.s);
    pj_jw_knum(w, "satisfaction", wt.sat);
    pj_jw_obj_end(w);
    pj_jw_key(w, "scope");
    pj_jw_obj(w);
    pj_jw_kstr(w, "level", town ? "township" : "district");
    if (town) {
        pj_jw_kint(w, "township_id", town);
        pj_jw_kstr(w, "name", all.name);
    } else {
        pj_jw_knull(w, "township_id");
        pj_jw_kstr(w, "name", "district");
    }
    pj_jw_obj_end(w);
    pj_jw_key(w, "district");
    pj_jw_obj(w);
    agg_json(w, &all, &wt);
    pj_jw_obj_end(w);
    pj_jw_kint(w, "problems_solved", solved_all);
    pj_jw_kint(w, "problems_solved_in_period", all.solved_rd);
    pj_jw_key(w, "departments");
    pj_jw_arr(w);
    for (int i = 0; i < ndep; i++) {
        pj_jw_obj(w);
        pj_jw_kint(w, "department_id", dep[i].dept);
        pj_jw_kstr(w, "department", dep[i].name);
        agg_json(w, &dep[i], &wt);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_key(w, "by_category");
    pj_jw_obj(w);
    for (int k = 0; pj_appeal_categories[k] && k < MAX_CATS; k++)
        pj_jw_kint(w, pj_appeal_categories[k], bycat[k]);
    pj_jw_obj_end(w);
    pj_jw_key(w, "trend");
    pj_jw_arr(w);
    for (int i = 0; i < nmonths; i++) {
        char mon[16];
        int y = y0 + (m0 - 1 + i) / 12, m = (m0 - 1 + i) % 12 + 1;
        snprintf(mon, sizeof mon, "%04d-%02d", y % 10000, m % 100);
        pj_jw_obj(w);
        pj_jw_kstr(w, "month", mon);
        pj_jw_kint(w, "received", mrecv[i]);
        pj_jw_kint(w, "closed", mclosed[i]);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}
