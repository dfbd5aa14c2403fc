/* E-commerce: the academy's KPIs (毕业即就业) per cohort and overall, as of a day —
 *   placement rate          placed / graduated (both by the as-of day), in %;
 *   time to first sale      median days from graduation to the streamer's first live session
 *                           with orders on or after graduation;
 *   still streaming at 6 m  of the graduates whose six-month mark has passed, the share with a
 *                           live session on or after that mark.
 * Computed from enrolments and live sessions only: anonymising a streamer changes nothing. */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/ecommerce_int.h"
#include "domain/indicator.h"

#include "core/banned.h"

int64_t pj_ac_plus_6_months(int64_t day)
{
    int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    m += 6;
    if (m > 12) {
        m -= 12;
        y++;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return pj_days_from_civil(y, m, d > last ? last : d);
}

typedef struct kpi_acc {
    int64_t enrolled, graduated, placed, at_post, due6, streaming6;
    int64_t *days;
    size_t n, cap;
} kpi_acc;

static int acc_day(kpi_acc *k, int64_t v)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        if (cap > ((size_t)1 << 24)) return -1; /* a bound on what one answer holds */
        int64_t *p = realloc(k->days, cap * sizeof *p);
        if (!p) return -1;
        k->days = p;
        k->cap = cap;
    }
    k->days[k->n++] = v;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void pct(pj_jw *w, const char *key, int64_t num, int64_t den)
{
    pj_jw_key(w, key);
    if (den)
        pj_jw_fixed(w, 100.0 * (double)num / (double)den, 1);
    else
        pj_jw_null(w);
}

static void acc_write(pj_jw *w, kpi_acc *k)
{
    pj_jw_kint(w, "enrolled", k->enrolled);
    pj_jw_kint(w, "graduated", k->graduated);
    pj_jw_kint(w, "placed", k->placed);
    pj_jw_kint(w, "placed_at_post", k->at_post);
    pct(w, "placement_rate", k->placed, k->graduated);
    pj_jw_kint(w, "graduates_with_sale", (int64_t)k->n);
    pj_jw_key(w, "median_days_to_first_sale");
    if (k->n) {
        qsort(k->days, k->n, sizeof *k->days, cmp_i64);
        size_t h = k->n / 2;
        if (k->n % 2)
            pj_jw_int(w, k->days[h]);
        else
            pj_jw_fixed(w, (double)(k->days[h - 1] + k->days[h]) / 2.0, 1);
    } else {
        pj_jw_null(w);
    }
    pj_jw_kint(w, "graduates_6_months_on", k->due6);
    pj_jw_kint(w, "streaming_6_months_on", k->streaming6);
    pct(w, "streaming_6_months_share", k->streaming6, k->due6);
}

int pj_ac_kpi(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    int64_t asof = ec_today();
    char asof_s[11];
    if (f->as_of && ec_date(f->as_of, &asof, NULL, NULL, NULL))
        return pj_fail(err, 400, "bad_query", "as_of", "as_of must be a date YYYY-MM-DD");
    if (asof > ec_today())
        return pj_fail(err, 400, "bad_query", "as_of",
                       "as_of %s is after today: the KPIs are of what has happened", f->as_of);
    ec_day_str(asof, asof_s);
    int started = pj_db_read_begin(c->db);
    int rc = -1;
    kpi_acc all = {0}, one = {0};
    if (f->cohort_id) {
        int k = pj_render_exists(c, "SELECT 1 FROM ac_cohorts WHERE id = ?", f->cohort_id, err);
        if (k <= 0) {
            if (k == 0)
                pj_fail(err, 404, "not_found", "cohort_id", "no cohort %lld",
                        (long long)f->cohort_id);
            goto done;
        }
    }
    /* one row per cohort × enrolment (enrolled by the as-of day, not withdrawn) */
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT h.id, h.name, h.state, e.id, e.state, e.graduated_on, e.placed_on, e.placed_at,"
        " (SELECT MIN(q.day) FROM ec_sessions q WHERE q.streamer_id = e.streamer_id AND q.orders"
        " > 0 AND q.day >= e.graduated_on AND q.day <= ?), (SELECT MAX(q.day) FROM ec_sessions q"
        " WHERE q.streamer_id = e.streamer_id AND q.day <= ?) FROM ac_cohorts h LEFT JOIN"
        " ac_enrolments e ON e.cohort_id = h.id AND e.state <> 'withdrawn' AND e.enrolled_on <= ?"
        " WHERE (? = 0 OR h.id = ?) ORDER BY h.id, e.id",
        err);
    if (!s) goto done;
    pj_stmt_text(s, 1, asof_s);
    pj_stmt_text(s, 2, asof_s);
    pj_stmt_text(s, 3, asof_s);
    pj_stmt_int(s, 4, f->cohort_id);
    pj_stmt_int(s, 5, f->cohort_id);
    pj_jw_obj(w);
    pj_jw_kstr(w, "as_of", asof_s);
    pj_jw_key(w, "cohorts");
    pj_jw_arr(w);
    int64_t cur = 0;
    int k;
    while ((k = pj_stmt_step(s, err)) == 1) {
        int64_t hid = pj_col_int(s, 0);
        if (hid != cur) {
            if (cur) {
                acc_write(w, &one);
                pj_jw_obj_end(w);
            }
            one.enrolled = one.graduated = one.placed = one.at_post = one.due6 = one.streaming6 = 0;
            one.n = 0;
            cur = hid;
            pj_jw_obj(w);
            pj_jw_kint(w, "cohort_id", hid);
            pj_jw_kstr(w, "cohort", pj_col_text(s, 1));
            pj_jw_kstr(w, "state", pj_col_text(s, 2));
        }
        if (pj_col_is_null(s, 3)) continue;
        kpi_acc *accs[2] = {&one, &all};
        int64_t g = -1, p = -1, first = -1, last = -1;
        const char *st = pj_col_text(s, 4);
        int grad = !strcmp(st, "graduated") || !strcmp(st, "placed");
        if (grad && !pj_col_is_null(s, 5) && !ec_date(pj_col_text(s, 5), &g, NULL, NULL, NULL) &&
            g > asof)
            grad = 0;
        int placed = grad && !strcmp(st, "placed") && !pj_col_is_null(s, 6) &&
                     !ec_date(pj_col_text(s, 6), &p, NULL, NULL, NULL) && p <= asof;
        int at_post = placed && !strcmp(pj_col_text(s, 7), "post");
        if (!pj_col_is_null(s, 8) && ec_date(pj_col_text(s, 8), &first, NULL, NULL, NULL))
            first = -1;
        if (!pj_col_is_null(s, 9) && ec_date(pj_col_text(s, 9), &last, NULL, NULL, NULL)) last = -1;
        for (int i = 0; i < 2; i++) {
            kpi_acc *a = accs[i];
            a->enrolled++;
            if (!grad || g < 0) continue;
            a->graduated++;
            a->placed += placed;
            a->at_post += at_post;
            if (first >= 0 && acc_day(a, first - g)) {
                pj_fail(err, 500, "internal", "", "too many graduates for one answer");
                pj_stmt_done(s);
                goto done;
            }
            int64_t mark = pj_ac_plus_6_months(g);
            if (mark <= asof) {
                a->due6++;
                a->streaming6 += last >= mark;
            }
        }
    }
    pj_stmt_done(s);
    if (k < 0) goto done;
    if (cur) {
        acc_write(w, &one);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_key(w, "overall");
    pj_jw_obj(w);
    acc_write(w, &all);
    pj_jw_obj_end(w);
    pj_jw_obj_end(w);
    rc = 0;
done:
    free(all.days);
    free(one.days);
    pj_db_read_end(c->db, started);
    return rc;
}
