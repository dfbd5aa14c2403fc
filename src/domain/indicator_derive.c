/* Derived figures over stored values — growth, average growth, shares, points, progress to a
 * target, rank among peer districts — each with the value rows it was computed from; and the
 * district dashboard built from them. Nothing here is typed in: every figure is computed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/agritech.h"
#include "domain/carbon.h"
#include "domain/ecommerce.h"
#include "domain/enterprise.h"
#include "domain/indicator_int.h"
#include "domain/logistics.h"
#include "domain/render.h"

#include "core/banned.h"

#define MAX_SRC 64

typedef struct srcs {
    int64_t id[MAX_SRC];
    int n;
} srcs;

static void src_add(srcs *S, int64_t id)
{
    for (int i = 0; i < S->n; i++)
        if (S->id[i] == id) return;
    if (S->n < MAX_SRC) S->id[S->n++] = id;
}

/* 1 found (*v), 0 none, -1 error. */
static int val_get(pj_ctx *c, int64_t ind, const char *region, const pj_period *p, double *v,
                   srcs *S, pj_err *err)
{
    char per[12];
    pj_period_format(p, per);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, value FROM indicator_values WHERE indicator_id = ? AND"
                               " region = ? AND period = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, ind);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, per);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        *v = pj_col_double(s, 1);
        if (S) src_add(S, pj_col_int(s, 0));
    }
    pj_stmt_done(s);
    return rc;
}

static int need(pj_ctx *c, const pj_ind_def *d, const char *region, const pj_period *p, double *v,
                srcs *S, pj_err *err)
{
    int rc = val_get(c, d->id, region, p, v, S, err);
    if (rc == 0) {
        char per[12];
        pj_period_format(p, per);
        return pj_fail(err, 404, "missing_value", "period", "%s has no value for %s %s", d->code,
                       region, per);
    }
    return rc < 0 ? -1 : 0;
}

int pj_ind_write_sources(pj_ctx *c, const int64_t *ids, int n, pj_jw *w, pj_err *err)
{
    pj_jw_key(w, "sources");
    pj_jw_arr(w);
    for (int i = 0; i < n; i++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT v.id, i.code, v.region, v.period, v.value, v.unit,"
                                   " v.source, v.note, v.version FROM indicator_values v JOIN"
                                   " indicators i ON i.id = v.indicator_id WHERE v.id = ?",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, ids[i]);
        if (pj_stmt_step(s, err) == 1) {
            pj_jw_obj(w);
            pj_jw_kint(w, "value_id", pj_col_int(s, 0));
            pj_render_text(w, "code", s, 1);
            pj_render_text(w, "region", s, 2);
            pj_render_text(w, "period", s, 3);
            pj_jw_knum(w, "value", pj_col_double(s, 4));
            pj_render_text(w, "unit", s, 5);
            pj_render_text(w, "source", s, 6);
            pj_render_text(w, "note", s, 7);
            pj_jw_kint(w, "version", pj_col_int(s, 8));
            pj_jw_obj_end(w);
        }
        pj_stmt_done(s);
    }
    pj_jw_arr_end(w);
    return 0;
}

static int write_sources(pj_ctx *c, const srcs *S, pj_jw *w, pj_err *err)
{
    return pj_ind_write_sources(c, S->id, S->n, w, err);
}

static int period_arg(const char *s, const char *field, int required, pj_period *p, pj_err *err)
{
    if (!s) {
        if (required) return pj_fail(err, 400, "bad_query", field, "%s is required", field);
        return 1;
    }
    if (pj_period_parse(s, strlen(s), p))
        return pj_fail(err, 400, "bad_query", field,
                       "%s must be a period: 2024, 2024H1, 2024Q2 or 2024-06", field);
    return 0;
}

static void head(pj_jw *w, const char *fn, const pj_ind_def *d, const char *region)
{
    pj_jw_obj(w);
    pj_jw_kstr(w, "fn", fn);
    pj_jw_kstr(w, "code", d->code);
    pj_jw_kstr(w, "name", d->name);
    pj_jw_kstr(w, "region", region);
}

static void result(pj_jw *w, double v, int decimals, const char *unit)
{
    pj_jw_knum(w, "value", v);
    pj_jw_knum(w, "rounded", isfinite(v) ? pj_ind_round(v, decimals) : NAN);
    pj_jw_kstr(w, "unit", unit);
}

static void kper(pj_jw *w, const char *k, const pj_period *p)
{
    char b[12];
    pj_period_format(p, b);
    pj_jw_kstr(w, k, b);
}

/* Growth (levels) or change in points (shares, rates) against an earlier period. */
static int d_change(pj_ctx *c, const pj_derive_args *a, const pj_ind_def *d, const char *region,
                    int yoy, pj_jw *w, pj_err *err)
{
    pj_period p, q;
    srcs S = {.n = 0};
    double cur, prev;
    if (period_arg(a->period, "period", 1, &p, err)) return -1;
    q = yoy ? pj_period_add_years(p, -1) : pj_period_prev(p);
    if (need(c, d, region, &p, &cur, &S, err) || need(c, d, region, &q, &prev, &S, err)) return -1;
    int level = !strcmp(d->kind, "level");
    double v = level ? pj_ind_growth(cur, prev) : pj_ind_points(cur, prev);
    if (!isfinite(v))
        return pj_fail(err, 422, "undefined", "period", "the base value is 0: growth undefined");
    head(w, yoy ? "yoy" : "prev", d, region);
    kper(w, "period", &p);
    kper(w, "base_period", &q);
    pj_jw_knum(w, "current", cur);
    pj_jw_knum(w, "previous", prev);
    pj_jw_kstr(w, "value_unit", d->unit);
    pj_jw_kstr(w, "method",
               level ? "(current - previous) / |previous|" : "current - previous (points)");
    result(w, v, level ? 1 : 2, level ? "%" : "pp");
    return 0;
}

static int year_arg(const char *s, const char *field, int *y, pj_err *err)
{
    pj_period p;
    if (period_arg(s, field, 1, &p, err)) return -1;
    if (p.kind != 'Y') return pj_fail(err, 400, "bad_query", field, "%s must be a year", field);
    *y = p.year;
    return 0;
}

/* Average annual growth as a geometric mean, from levels or from chained yearly rates. */
static int d_cagr(pj_ctx *c, const pj_derive_args *a, const pj_ind_def *d, const char *region,
                  pj_jw *w, pj_err *err)
{
    int from, to;
    if (year_arg(a->from, "from", &from, err) || year_arg(a->to, "to", &to, err)) return -1;
    const char *method = a->method ? a->method : !strcmp(d->kind, "rate") ? "rates" : "levels";
    int rates = !strcmp(method, "rates");
    if (!rates && strcmp(method, "levels"))
        return pj_fail(err, 400, "bad_query", "method", "method is levels or rates");
    /* levels chained as if rates (or rates taken as levels) give a figure that means nothing */
    if (!strcmp(d->kind, "share"))
        return pj_fail(err, 422, "wrong_kind", "code",
                       "%s is a share; its change is in percentage points (fn=points), not an"
                       " average growth",
                       d->code);
    if (rates && strcmp(d->kind, "rate"))
        return pj_fail(err, 422, "wrong_kind", "method",
                       "%s is a level (%s), not a growth rate: method=rates chains yearly rates;"
                       " use method=levels",
                       d->code, d->unit);
    if (!rates && strcmp(d->kind, "level"))
        return pj_fail(err, 422, "wrong_kind", "method",
                       "%s is a growth rate (%s), not a level: method=levels compares the first"
                       " and last levels; use method=rates",
                       d->code, d->unit);
    if (to < from) /* a range's start after its end: at the start, as every range's */
        return pj_fail(err, 400, "bad_query", "from", "from %d is after to %d", from, to);
    if (to <= from - (rates ? 1 : 0) || to - from > 60)
        return pj_fail(err, 400, "bad_query", "to", "to must be after from (at most 60 years)");
    srcs S = {.n = 0};
    double v[64], out;
    int n = 0;
    for (int y = from; y <= to; y++) {
        pj_period p = {'Y', y, 0};
        if (rates || y == from || y == to) {
            if (need(c, d, region, &p, &v[n], &S, err)) return -1;
            n++;
        } else {
            double ignored; /* intermediate levels are shown as sources, not needed */
            if (val_get(c, d->id, region, &p, &ignored, &S, err) < 0) return -1;
        }
    }
    if (!rates) { /* the levels method uses the end points over to − from years */
        v[to - from] = v[1];
        n = to - from + 1;
    }
    if (rates ? pj_ind_cagr_rates(v, n, &out) : pj_ind_cagr_levels(v, n, &out))
        return rates ? pj_fail(err, 422, "undefined", "code",
                               "average growth needs every rate above -100 %%")
                     : pj_fail(
                           err, 422, "undefined", "code",
                           "average growth needs positive first and last levels (%.15g and %.15g):"
                           " a geometric mean from a zero or negative level is undefined",
                           v[0], v[n - 1]);
    if (!isfinite(out)) /* a base level near 0: the growth overflows, like yoy's on 0 */
        return pj_fail(err, 422, "undefined", "from",
                       "the base value is too near 0: growth undefined");
    head(w, "cagr", d, region);
    pj_jw_kint(w, "from", from);
    pj_jw_kint(w, "to", to);
    pj_jw_kstr(w, "method",
               rates ? "rates: (prod(1 + r_i))^(1/n) - 1 over the years' rates"
                     : "levels: (last / first)^(1/years) - 1");
    pj_jw_kint(w, "years", rates ? n : to - from);
    result(w, out, 1, "%");
    return write_sources(c, &S, w, err);
}

static int d_share(pj_ctx *c, const pj_derive_args *a, const pj_ind_def *d, const char *region,
                   pj_jw *w, pj_err *err)
{
    pj_period p, b;
    pj_ind_def whole;
    srcs S = {.n = 0};
    double part, all, bpart = 0, ball = 0;
    if (!a->of) return pj_fail(err, 400, "bad_query", "of", "of (the whole) is required");
    int hasbase;
    if (period_arg(a->period, "period", 1, &p, err) ||
        (hasbase = period_arg(a->base, "base", 0, &b, err)) < 0)
        return -1;
    if (pj_ind_def_load(c, a->of, &whole, 1, err) != 1) return -1;
    /* a share is part / whole of two levels in the same unit (亿元 of 亿元, not of 万吨) */
    if (strcmp(d->kind, "level"))
        return pj_fail(err, 422, "wrong_kind", "code",
                       "%s is a %s, not a level: a share divides a level by a level", d->code,
                       d->kind);
    if (strcmp(whole.kind, "level"))
        return pj_fail(err, 422, "wrong_kind", "of",
                       "%s is a %s, not a level: a share divides a level by a level", whole.code,
                       whole.kind);
    if (strcmp(d->unit, whole.unit))
        return pj_fail(err, 422, "unit_mismatch", "of",
                       "%s is in %s and %s in %s: a share needs both in the same unit", d->code,
                       d->unit, whole.code, whole.unit);
    if (need(c, d, region, &p, &part, &S, err) || need(c, &whole, region, &p, &all, &S, err))
        return -1;
    if (!hasbase &&
        (need(c, d, region, &b, &bpart, &S, err) || need(c, &whole, region, &b, &ball, &S, err)))
        return -1;
    double sh = pj_ind_share(part, all);
    if (!isfinite(sh)) return pj_fail(err, 422, "undefined", "of", "the whole is 0");
    head(w, "share", d, region);
    pj_jw_kstr(w, "of", whole.code);
    kper(w, "period", &p);
    pj_jw_knum(w, "part", part);
    pj_jw_knum(w, "whole", all);
    result(w, sh, 1, "%");
    if (!hasbase) {
        double bs = pj_ind_share(bpart, ball);
        kper(w, "base_period", &b);
        pj_jw_knum(w, "base_share", bs);
        pj_jw_knum(w, "points", pj_ind_points(sh, bs));
        pj_jw_knum(w, "points_rounded", pj_ind_round(pj_ind_round(sh, 1) - pj_ind_round(bs, 1), 1));
    }
    return write_sources(c, &S, w, err);
}

static int d_points(pj_ctx *c, const pj_derive_args *a, const pj_ind_def *d, const char *region,
                    pj_jw *w, pj_err *err)
{
    pj_period p, b;
    srcs S = {.n = 0};
    double now, base;
    if (!strcmp(d->kind, "level"))
        return pj_fail(err, 422, "wrong_kind", "code",
                       "%s is a level; points compare shares or rates", d->code);
    if (period_arg(a->period, "period", 1, &p, err) || period_arg(a->base, "base", 1, &b, err) ||
        need(c, d, region, &p, &now, &S, err) || need(c, d, region, &b, &base, &S, err))
        return -1;
    head(w, "points", d, region);
    kper(w, "period", &p);
    kper(w, "base_period", &b);
    pj_jw_knum(w, "current", now);
    pj_jw_knum(w, "base", base);
    result(w, pj_ind_points(now, base), 2, "pp");
    return write_sources(c, &S, w, err);
}

static const char *kind_word(const pj_period *p)
{
    return p->kind == 'Y' ? "year" : p->kind == 'H' ? "half" : p->kind == 'Q' ? "quarter" : "month";
}

static int d_progress(pj_ctx *c, const pj_derive_args *a, const pj_ind_def *d, const char *region,
                      pj_jw *w, pj_err *err)
{
    pj_period p;
    srcs S = {.n = 0};
    double now;
    if (period_arg(a->period, "period", 1, &p, err)) return -1;
    /* target: a period as the period parser reads it (2035h1 is 2035H1), bound as stored;
     * another text is 400 bad_query at target, not a target that is missing */
    pj_period tp;
    char tps[12];
    int has_target = period_arg(a->target, "target", 0, &tp, err);
    if (has_target < 0) return -1;
    if (has_target == 0) pj_period_format(&tp, tps);
    const char *want = has_target == 0 ? tps : NULL;
    if (need(c, d, region, &p, &now, &S, err)) return -1;
    /* without a target asked for, a level's latest target of the value's length first: a
     * quarter's target set after the year's would otherwise be picked and the year's value
     * refused (or, scaled, read as four times as far along); with none of its length, the
     * latest, refused below as of another length */
    int months = !want && !strcmp(d->kind, "level") ? pj_period_months(&p) : 0;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT id, period, value, source, note FROM indicator_targets"
        " WHERE indicator_id = ? AND region = ? AND (? IS NULL OR period ="
        " ?) ORDER BY " PJ_IND_PERIOD_MONTHS("period") " = ? DESC,"
                                                       " " PJ_IND_LATEST_FIRST("period") " LIMIT 1",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, d->id);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, want);
    pj_stmt_text(s, 4, want);
    pj_stmt_int(s, 5, months);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        if (rc < 0) return -1;
        /* the period asked for, when one was (another target may exist) */
        return want ? pj_fail(err, 404, "missing_target", "target",
                              "%s has no target for %s for the period %s", d->code, region, want)
                    : pj_fail(err, 404, "missing_target", "target", "%s has no target for %s",
                              d->code, region);
    }
    double target = pj_col_double(s, 2);
    /* like with like: a level of one month (100 万吨 of freight in October) against a target of
     * a year (4000 万吨 a year) would read as 2.5 % done. A level may be a flow (freight,
     * output) or a stock (area started), which the indicator does not say, so months are not
     * summed to a year: a value of another length than the target's is refused. A share or a
     * rate is a percentage whatever its period's length and compares as it is. */
    pj_period tpp;
    const char *tper = pj_col_text(s, 1);
    int tparsed = tper && !pj_period_parse(tper, strlen(tper), &tpp);
    if (tparsed && !strcmp(d->kind, "level") && pj_period_months(&tpp) != pj_period_months(&p)) {
        char ps[12];
        pj_period_format(&p, ps);
        int rc2 = pj_fail(err, 422, "wrong_period", "period",
                          "%s is a level: the value of %s (a %s) cannot be compared with the "
                          "target for %s (a %s); give a period of a %s",
                          d->code, ps, kind_word(&p), tper, kind_word(&tpp), kind_word(&tpp));
        pj_stmt_done(s);
        return rc2;
    }
    /* a cap (higher_is_better false: energy, emissions) is met by staying at or below it, so
     * its progress is target / current: 100 % at the cap, below 100 % above it — the current
     * value over the cap would read a cap exceeded by 15 % as 115 % "achieved" */
    int hib = d->higher_is_better;
    if (!hib && now <= 0) {
        pj_stmt_done(s);
        return pj_fail(err, 422, "undefined", "period",
                       "%s is lower-is-better: progress is the target over the current value, "
                       "undefined for a current value of %.15g",
                       d->code, now);
    }
    head(w, "progress", d, region);
    kper(w, "period", &p);
    pj_jw_kstr(w, "period_kind", kind_word(&p));
    pj_jw_knum(w, "current", now);
    pj_jw_key(w, "target");
    pj_jw_obj(w);
    pj_jw_kint(w, "target_id", pj_col_int(s, 0));
    pj_render_text(w, "period", s, 1);
    if (tparsed) pj_jw_kstr(w, "period_kind", kind_word(&tpp));
    pj_jw_knum(w, "value", target);
    pj_render_text(w, "source", s, 3);
    pj_render_text(w, "note", s, 4);
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    pj_jw_kstr(w, "value_unit", d->unit);
    pj_jw_kbool(w, "higher_is_better", hib);
    /* what is still to do towards the target: to gain (higher is better) or to cut (a cap);
     * 0 or below once the target is reached */
    pj_jw_knum(w, "remaining", hib ? target - now : now - target);
    pj_jw_kbool(w, "achieved", hib ? now >= target : now <= target);
    result(w, hib ? (target ? now / target * 100.0 : NAN) : target / now * 100.0, 2, "%");
    return write_sources(c, &S, w, err);
}

typedef struct ranked {
    const char *region;
    double v;
    int64_t id, prev_id;
} ranked;

static int d_rank(pj_ctx *c, const pj_derive_args *a, const pj_ind_def *d, const char *region,
                  pj_jw *w, pj_err *err)
{
    pj_period p;
    if (period_arg(a->period, "period", 1, &p, err)) return -1;
    const char *by = a->by ? a->by : "value";
    int yoy = !strcmp(by, "yoy");
    if (!yoy && strcmp(by, "value"))
        return pj_fail(err, 400, "bad_query", "by", "by is value or yoy");
    char per[12], prev[12];
    pj_period q = pj_period_add_years(p, -1);
    pj_period_format(&p, per);
    pj_period_format(&q, prev);
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT v.region, v.value, v.id, b.value, b.id FROM indicator_values v LEFT JOIN"
        " indicator_values b ON b.indicator_id = v.indicator_id AND b.region = v.region AND"
        " b.period = ? WHERE v.indicator_id = ? AND v.period = ? ORDER BY v.region LIMIT 200",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, prev);
    pj_stmt_int(s, 2, d->id);
    pj_stmt_text(s, 3, per);
    ranked r[200];
    double vals[200];
    int n = 0, me = -1, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        double v = pj_col_double(s, 1);
        if (yoy) {
            if (pj_col_is_null(s, 4)) continue; /* no base: not ranked */
            v = !strcmp(d->kind, "level") ? pj_ind_growth(v, pj_col_double(s, 3))
                                          : pj_ind_points(v, pj_col_double(s, 3));
            if (!isfinite(v)) continue;
        }
        r[n].region = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        r[n].v = vals[n] = v;
        r[n].id = pj_col_int(s, 2);
        r[n].prev_id = yoy ? pj_col_int(s, 4) : 0;
        if (!strcmp(r[n].region, region)) me = n;
        n++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (me < 0)
        return pj_fail(err, 404, "missing_value", "region", "%s has no %s%s for %s", region,
                       d->code, yoy ? " growth" : "", per);
    srcs S = {.n = 0};
    src_add(&S, r[me].id);
    if (r[me].prev_id) src_add(&S, r[me].prev_id);
    int desc = d->higher_is_better;
    head(w, "rank", d, region);
    kper(w, "period", &p);
    pj_jw_kstr(w, "by", by);
    pj_jw_kint(w, "rank", pj_ind_rank(vals, n, me, desc));
    pj_jw_kint(w, "of", n);
    pj_jw_knum(w, "value", r[me].v);
    pj_jw_kstr(w, "unit", yoy ? (!strcmp(d->kind, "level") ? "%" : "pp") : d->unit);
    pj_jw_key(w, "ranking");
    pj_jw_arr(w);
    /* in rank order; ties keep their shared rank */
    int done[200] = {0};
    for (int k = 0; k < n; k++) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (!done[i] && (best < 0 || pj_ind_better(vals[i], vals[best], desc))) best = i;
        done[best] = 1;
        pj_jw_obj(w);
        pj_jw_kint(w, "rank", pj_ind_rank(vals, n, best, desc));
        pj_jw_kstr(w, "region", r[best].region);
        pj_jw_knum(w, "value", r[best].v);
        pj_jw_kint(w, "value_id", r[best].id);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    return write_sources(c, &S, w, err);
}

const char *const pj_derive_fns[] = {"yoy",    "prev",     "cagr", "share",
                                     "points", "progress", "rank", NULL};

int pj_ind_derive_one(pj_ctx *c, const pj_derive_args *a, pj_jw *w, pj_err *err)
{
    const char *const *fns = pj_derive_fns;
    int k = -1;
    for (int i = 0; a->fn && fns[i]; i++)
        if (!strcmp(a->fn, fns[i])) k = i;
    if (k < 0)
        return pj_fail(err, 400, "bad_query", "fn",
                       "fn is yoy, prev, cagr, share, points, progress or rank");
    if (!a->code) return pj_fail(err, 400, "bad_query", "code", "code is required");
    const char *region = a->region ? a->region : PJ_IND_DISTRICT;
    /* as writes take it: trimmed, a known district (else 422 unknown_region) */
    if (a->region && pj_ind_region_check(c, &region, "region", err)) return -1;
    pj_ind_def d;
    if (pj_ind_def_load(c, a->code, &d, 1, err) != 1) return -1;
    /* yoy/prev write their own sources after the head, so finish them here */
    if (k <= 1) {
        srcs S = {.n = 0};
        pj_period p, q;
        if (d_change(c, a, &d, region, k == 0, w, err)) return -1;
        pj_period_parse(a->period, strlen(a->period), &p);
        q = k == 0 ? pj_period_add_years(p, -1) : pj_period_prev(p);
        double ignored;
        if (val_get(c, d.id, region, &p, &ignored, &S, err) < 0 ||
            val_get(c, d.id, region, &q, &ignored, &S, err) < 0 || write_sources(c, &S, w, err))
            return -1;
        pj_jw_obj_end(w);
        return 0;
    }
    int rc = k == 2   ? d_cagr(c, a, &d, region, w, err)
             : k == 3 ? d_share(c, a, &d, region, w, err)
             : k == 4 ? d_points(c, a, &d, region, w, err)
             : k == 5 ? d_progress(c, a, &d, region, w, err)
                      : d_rank(c, a, &d, region, w, err);
    if (rc) return -1;
    pj_jw_obj_end(w);
    return 0;
}

/* The parameters each function takes (docs/api-development.md), in the order of pj_derive_fns;
 * code and region every one. Another one given is 400 bad_query at it: `fn=yoy&method=rates`
 * answered as if the method had been taken. */
static const char *const derive_takes[] = {"period",           "period",       "from, to, method",
                                           "period, of, base", "period, base", "period, target",
                                           "period, by"};

static int derive_params_fit(const pj_derive_args *a, pj_err *err)
{
    int k = -1;
    for (int i = 0; a->fn && pj_derive_fns[i]; i++)
        if (!strcmp(a->fn, pj_derive_fns[i])) k = i;
    if (k < 0) return 0; /* named as unknown by the function's own check */
    const struct {
        const char *name, *value;
    } given[] = {{"period", a->period}, {"from", a->from}, {"to", a->to}, {"method", a->method},
                 {"of", a->of},         {"base", a->base}, {"by", a->by}, {"target", a->target}};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
        if (!given[i].value) continue;
        const char *t = derive_takes[k];
        size_t n = strlen(given[i].name);
        int takes = 0;
        for (const char *p = t; (p = strstr(p, given[i].name)) != NULL; p += n)
            if ((p == t || p[-1] == ' ') && (p[n] == ',' || !p[n])) takes = 1;
        if (!takes)
            return pj_fail(err, 400, "bad_query", given[i].name,
                           "%s does not apply to fn=%s, which takes code, region, %s",
                           given[i].name, a->fn, t);
    }
    return 0;
}

int pj_ind_derive(pj_ctx *c, const pj_derive_args *a, pj_jw *w, pj_err *err)
{
    if (derive_params_fit(a, err)) return -1;
    /* render into a scratch buffer so a failure half-way leaves the reply clean */
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_jw tw;
    pj_jw_init(&tw, &b);
    int started = pj_db_read_begin(c->db);
    int rc = pj_ind_derive_one(c, a, &tw, err);
    pj_db_read_end(c->db, started);
    if (rc == 0) pj_jw_raw(w, b.data);
    pj_buf_free(&b);
    return rc;
}

/* ---- the dashboard ---- */

/* How a figure's periods are found: the latest data, not years fixed in code. */
typedef enum dash_pick {
    PICK_CAGR_RATES,  /* the 3 years to the latest year with a rate */
    PICK_CAGR_LEVELS, /* the 3 years to the latest year with a level (4 levels) */
    PICK_YOY,         /* the latest period with a value a year before */
    PICK_SHARE,       /* the latest year of part and whole; base: the five-year plan's start */
    PICK_POINTS,      /* the latest year against the year before */
    PICK_PROGRESS,    /* the latest year against the latest target */
} dash_pick;

typedef struct dash_item {
    const char *key, *label;
    dash_pick pick;
    int yearly; /* only yearly values (else any period) */
    pj_derive_args a;
} dash_item;

static const dash_item dash[] = {
    {"gdp_avg_growth_3y",
     "地区生产总值近三年年均增速 (GDP, average growth over the latest 3 years)",
     PICK_CAGR_RATES,
     1,
     {.fn = "cagr", .code = "gdp_growth", .method = "rates"}},
    {"gdp_avg_growth_3y_levels",
     "地区生产总值近三年年均增速（按不变价水平计算） "
     "(GDP, average growth over the latest 3 years from constant-price levels)",
     PICK_CAGR_LEVELS,
     1,
     {.fn = "cagr", .code = "gdp", .method = "levels"}},
    {"gdp_h1_growth",
     "地区生产总值最新一期同比增速 (GDP growth, latest period, year on year)",
     PICK_YOY,
     0,
     {.fn = "yoy", .code = "gdp"}},
    {"revenue_h1",
     "一般公共预算收入最新一期同比增速 (Budget revenue growth, latest period, year on year)",
     PICK_YOY,
     0,
     {.fn = "yoy", .code = "budget_revenue"}},
    {"revenue_h1_rank",
     "一般公共预算收入增速全市排名 (Budget revenue growth, rank among districts)",
     PICK_YOY,
     0,
     {.fn = "rank", .code = "budget_revenue", .by = "yoy"}},
    {"agri_output",
     "农业总产值同比增速（最新年度） (Agricultural output growth, latest year, year on year)",
     PICK_YOY,
     1,
     {.fn = "yoy", .code = "agri_output"}},
    {"agri_output_rank",
     "农业总产值增速全市排名 (Agricultural output growth, rank among districts)",
     PICK_YOY,
     1,
     {.fn = "rank", .code = "agri_output", .by = "yoy"}},
    {"high_tech_share",
     "高技术制造业占规上工业产值比重 (High-tech manufacturing share of industrial output)",
     PICK_SHARE,
     1,
     {.fn = "share", .code = "hightech_output", .of = "industrial_output"}},
    {"strategic_emerging_share",
     "战略性新兴产业占规上工业产值比重 (Strategic emerging industries' share of industrial output)",
     PICK_SHARE,
     1,
     {.fn = "share", .code = "strategic_output", .of = "industrial_output"}},
    {"freight_progress",
     "统计年报货运量对规划目标的进度 (Freight in the yearly statistics against its target)",
     PICK_PROGRESS,
     1,
     {.fn = "progress", .code = "freight_volume"}},
    {"land_transfer_points",
     "东久新宜物流谷土地出让率变化 (Land-transfer rate change, Dongjiu Xinyi logistics valley)",
     PICK_POINTS,
     1,
     {.fn = "points", .code = "land_transfer_rate"}},
};

/* The latest period (by its end) of indicator `code` in the district: yearly only when asked;
 * with a value of the same period a year before when prev_year; with a value of `with` for the
 * same period when given. 1 found, 0 none, -1 error. */
static int latest_period(pj_ctx *c, const char *code, int yearly, int prev_year, const char *with,
                         char out[12], pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT v.period FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id"
        " WHERE i.code = ? AND v.region = ? AND (? = 0 OR v.period_kind = 'Y') AND (? = 0 OR"
        " EXISTS (SELECT 1 FROM indicator_values b WHERE b.indicator_id = v.indicator_id AND"
        " b.region = v.region AND b.period_kind = v.period_kind AND b.sub = v.sub AND b.year ="
        " v.year - 1)) AND (? IS NULL OR EXISTS (SELECT 1 FROM indicator_values x JOIN indicators"
        " xi ON xi.id = x.indicator_id WHERE xi.code = ? AND x.region = v.region AND x.period ="
        " v.period)) ORDER BY " PJ_IND_LATEST_FIRST("v.period") " LIMIT 1",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, PJ_IND_DISTRICT);
    pj_stmt_int(s, 3, yearly);
    pj_stmt_int(s, 4, prev_year);
    pj_stmt_text(s, 5, with);
    pj_stmt_text(s, 6, with);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) snprintf(out, 12, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    return rc;
}

static int has_value(pj_ctx *c, const char *code, const char *period, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT 1 FROM indicator_values v JOIN indicators i ON i.id ="
                               " v.indicator_id WHERE i.code = ? AND v.region = ? AND v.period = ?",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, PJ_IND_DISTRICT);
    pj_stmt_text(s, 3, period);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc;
}

/* The first year of the five-year plan a year falls in (2021–2025 is the 14th); a plan's first
 * year compares with the previous plan's. */
static int plan_start(int year)
{
    int k = year - 2021, start = 2021 + (k >= 0 ? k / 5 : -((-k + 4) / 5)) * 5;
    return start == year ? start - 5 : start;
}

typedef struct dash_periods {
    char per[12], from[12], to[12], base[12];
} dash_periods;

/* Fills a's periods from the data: 0 done, 1 no data (e says which), -1 error. */
static int dash_resolve(pj_ctx *c, const dash_item *it, pj_derive_args *a, dash_periods *P,
                        pj_err *e)
{
    *a = it->a;
    int rc;
    switch (it->pick) {
    case PICK_CAGR_RATES:
    case PICK_CAGR_LEVELS:
        rc = latest_period(c, a->code, 1, 0, NULL, P->to, e);
        if (rc == 1) {
            int y = (int)strtol(P->to, NULL, 10);
            snprintf(P->from, sizeof P->from, "%d", y - (it->pick == PICK_CAGR_RATES ? 2 : 3));
            a->from = P->from;
            a->to = P->to;
        }
        break;
    case PICK_YOY:
        rc = latest_period(c, a->code, it->yearly, 1, NULL, P->per, e);
        a->period = P->per;
        break;
    case PICK_SHARE:
        rc = latest_period(c, a->code, 1, 0, a->of, P->per, e);
        if (rc == 1) {
            a->period = P->per;
            snprintf(P->base, sizeof P->base, "%d", plan_start((int)strtol(P->per, NULL, 10)));
            int hb = has_value(c, a->code, P->base, e),
                hw = hb == 1 ? has_value(c, a->of, P->base, e) : 0;
            if (hb < 0 || hw < 0) return -1;
            a->base = hb == 1 && hw == 1 ? P->base : NULL; /* no base: the share alone */
        }
        break;
    case PICK_POINTS:
    case PICK_PROGRESS:
        rc = latest_period(c, a->code, it->yearly, 0, NULL, P->per, e);
        a->period = P->per;
        if (rc == 1 && it->pick == PICK_POINTS) {
            pj_period p, q;
            pj_period_parse(P->per, strlen(P->per), &p);
            q = pj_period_prev(p);
            pj_period_format(&q, P->base);
            a->base = P->base;
        }
        break;
    default:
        rc = 0;
    }
    if (rc == 0)
        pj_fail(e, 404, "missing_value", "period", "no value of %s for %s%s", a->code,
                PJ_IND_DISTRICT, it->pick == PICK_YOY ? " with the same period a year before" : "");
    return rc < 0 ? -1 : rc == 0 ? 1 : 0;
}

static void missing(pj_jw *w, const pj_err *e)
{
    pj_jw_obj(w);
    pj_jw_kstr(w, "missing", e->code);
    pj_jw_kstr(w, "message", e->message);
    pj_jw_obj_end(w);
}

/* The district's latest target of `code` of a period of `months` (0: any) as {target_id,
 * period, value, source, note}; 0 when there is none (then *value is 0). */
static int dash_target(pj_ctx *c, const char *code, int months, pj_jw *w, double *value,
                       pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT t.id, t.period, t.value, t.source, t.note FROM"
        " indicator_targets t JOIN indicators i ON i.id = t.indicator_id"
        " WHERE i.code = ? AND t.region = ? AND (? = 0 OR"
        " " PJ_IND_PERIOD_MONTHS("t.period") " = ?) ORDER BY"
                                             " " PJ_IND_LATEST_FIRST("t.period") " LIMIT 1",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, PJ_IND_DISTRICT);
    pj_stmt_int(s, 3, months);
    pj_stmt_int(s, 4, months);
    int rc = pj_stmt_step(s, err);
    *value = 0;
    if (rc == 1) {
        *value = pj_col_double(s, 2);
        pj_jw_obj(w);
        pj_jw_kint(w, "target_id", pj_col_int(s, 0));
        pj_render_text(w, "period", s, 1);
        pj_jw_knum(w, "value", *value);
        pj_render_text(w, "source", s, 3);
        pj_render_text(w, "note", s, 4);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    return rc;
}

/* A source row of a register: what was counted, as of when. */
static void reg_source(pj_jw *w, const char *what, const char *period, double v, const char *unit,
                       const char *note)
{
    pj_jw_obj(w);
    pj_jw_kstr(w, "code", what);
    pj_jw_kstr(w, "region", PJ_IND_DISTRICT);
    pj_jw_kstr(w, "period", period);
    pj_jw_knum(w, "value", v);
    pj_jw_kstr(w, "unit", unit);
    pj_jw_kstr(w, "source", "register");
    pj_jw_kstr(w, "note", note);
    pj_jw_obj_end(w);
}

/* Warehouses started / planned, from the logistics register (the logistics page's figure);
 * 1 when the register is empty. */
static int dash_warehouses(pj_ctx *c, pj_jw *w, pj_err *err)
{
    double area[3], plan;
    int64_t n[3];
    if (pj_lg_warehouse_area(c, area, n, err)) return -1;
    if (n[0] + n[1] + n[2] == 0) return 1;
    char today[11], note[64];
    pj_rec_today(today);
    double started = area[1] + area[2];
    pj_jw_obj(w);
    pj_jw_kstr(w, "fn", "progress");
    pj_jw_kstr(w, "code", "warehouse_area_started");
    pj_jw_kstr(w, "region", PJ_IND_DISTRICT);
    pj_jw_kstr(w, "register", "lg_warehouses");
    pj_jw_kstr(w, "period", today);
    pj_jw_knum(w, "current", started);
    pj_jw_key(w, "target");
    int rc = dash_target(c, "warehouse_area_started", 0, w, &plan, err);
    if (rc < 0) return -1;
    if (rc == 0) pj_jw_null(w);
    pj_jw_kstr(w, "value_unit", "m²");
    pj_jw_kstr(w, "method", "(under construction + operating) m² / the planned m² (target)");
    if (rc == 1) pj_jw_knum(w, "remaining", plan - started);
    result(w, plan > 0 ? started / plan * 100.0 : NAN, 2, "%");
    pj_jw_key(w, "sources");
    pj_jw_arr(w);
    for (int i = 0; i < 3; i++) {
        char what[64];
        snprintf(what, sizeof what, "lg_warehouses %s", pj_lg_statuses[i]);
        snprintf(note, sizeof note, "%lld", (long long)n[i]);
        reg_source(w, what, today, area[i], "m²", note);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

/* Freight of the latest complete 12 months from the logistics register, annualised, against
 * the freight target (the logistics page's figure); 1 when no month is complete. */
static int dash_freight(pj_ctx *c, pj_jw *w, pj_err *err)
{
    pj_lg_freight_win fw;
    double target;
    if (pj_lg_freight_window(c, &fw, err)) return -1;
    if (!*fw.latest) return 1;
    pj_jw_obj(w);
    pj_jw_kstr(w, "fn", "progress");
    pj_jw_kstr(w, "code", "freight_volume");
    pj_jw_kstr(w, "region", PJ_IND_DISTRICT);
    pj_jw_kstr(w, "register", "lg_freight");
    pj_jw_kstr(w, "period", fw.latest);
    pj_jw_kstr(w, "window_from", fw.first);
    pj_jw_kint(w, "months_recorded", fw.months);
    pj_jw_kint(w, "reporters", fw.reporters);
    pj_jw_knum(w, "current", fw.annual_t / 10000.0); /* 万吨, as the target */
    pj_jw_key(w, "target");
    int rc = dash_target(c, "freight_volume", 12, w, &target, err);
    if (rc < 0) return -1;
    if (rc == 0) pj_jw_null(w);
    pj_jw_kstr(w, "value_unit", "万吨");
    pj_jw_kstr(w, "method",
               "the tonnes of the 12 months to the latest complete month, scaled to 12 months"
               " from the months recorded, / the target");
    if (rc == 1) pj_jw_knum(w, "remaining", target - fw.annual_t / 10000.0);
    result(w, target > 0 ? fw.annual_t / (target * 10000.0) * 100.0 : NAN, 2, "%");
    pj_jw_key(w, "sources");
    pj_jw_arr(w);
    char per[40], note[96];
    snprintf(per, sizeof per, "%s..%s", fw.first, fw.latest);
    snprintf(note, sizeof note, "%d months recorded; %d reporters in %s", fw.months, fw.reporters,
             fw.latest);
    reg_source(w, "lg_freight", per, fw.last12_t, "t", note);
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

/* A count kept in a register, as of today (Beijing): `fn: count`, labelled with the register
 * and its date rather than a period; 1 when the register counts none. */
static int dash_count(pj_jw *w, const char *code, const char *reg, int64_t n, const char *unit)
{
    if (!n) return 1;
    char today[11];
    pj_rec_today(today);
    pj_jw_obj(w);
    pj_jw_kstr(w, "fn", "count");
    pj_jw_kstr(w, "code", code);
    pj_jw_kstr(w, "register", reg);
    pj_jw_kstr(w, "period", today);
    pj_jw_knum(w, "value", (double)n);
    pj_jw_kstr(w, "unit", unit);
    pj_jw_key(w, "sources");
    pj_jw_arr(w);
    reg_source(w, reg, today, (double)n, unit, "");
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    return 0;
}

/* Doctor farms counted in the agri-tech register (the agri-tech page's figure); 1 when empty. */
static int dash_farms(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int64_t n;
    if (pj_agri_farm_count(c, &n, err)) return -1;
    return dash_count(w, "doctor_farms", "ag_farms", n, "个");
}

/* The zone's enterprises settled, from the e-commerce register (the e-commerce KPIs'
 * `zone_enterprises`); 1 when none is settled. */
static int dash_zone(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int64_t zone;
    if (pj_ec_register_counts(c, &zone, NULL, err)) return -1;
    return dash_count(w, "ecommerce_enterprises", "ec_zone_enterprises", zone, "家");
}

/* The streamers on the e-commerce register, not deleted (the e-commerce KPIs' `streamers`); 1
 * when none. */
static int dash_streamers(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int64_t streamers;
    if (pj_ec_register_counts(c, NULL, &streamers, err)) return -1;
    return dash_count(w, "new_farmer_streamers", "ec_streamers", streamers, "人");
}

/* Problems solved from reception days, district-wide, from the appeals (the appeal KPIs'
 * `problems_solved`); 1 when none. */
static int dash_solved(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int64_t n;
    if (pj_ent_problems_solved(c, 0, &n, err)) return -1;
    return dash_count(w, "enterprise_problems_solved", "ent_appeals", n, "个");
}

/* The latest value (by its period's end) of a count or stock, with its source row. */
static int dash_latest(pj_ctx *c, const char *code, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT v.id, v.period, v.value, v.unit, v.source, v.note FROM"
                               " indicator_values v JOIN indicators i ON i.id ="
                               " v.indicator_id WHERE i.code = ? AND v.region = ? ORDER BY"
                               " " PJ_IND_LATEST_FIRST("v.period") " LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, code);
    pj_stmt_text(s, 2, PJ_IND_DISTRICT);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        pj_jw_obj(w);
        pj_jw_kstr(w, "fn", "latest");
        pj_jw_kstr(w, "code", code);
        pj_render_text(w, "period", s, 1);
        pj_jw_knum(w, "value", pj_col_double(s, 2));
        pj_render_text(w, "unit", s, 3);
        pj_jw_key(w, "sources");
        pj_jw_arr(w);
        pj_jw_obj(w);
        pj_jw_kint(w, "value_id", pj_col_int(s, 0));
        pj_jw_kstr(w, "code", code);
        pj_jw_kstr(w, "region", PJ_IND_DISTRICT);
        pj_render_text(w, "period", s, 1);
        pj_jw_knum(w, "value", pj_col_double(s, 2));
        pj_render_text(w, "unit", s, 3);
        pj_render_text(w, "source", s, 4);
        pj_render_text(w, "note", s, 5);
        pj_jw_obj_end(w);
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc == 0) pj_fail(err, 404, "missing_value", "code", "no value of %s", code);
    return rc < 0 ? -1 : rc == 0 ? 1 : 0;
}

/* Figures kept in a register or in indicator values: the register when it has rows, else the
 * indicator's latest value; basis says which. */
static const struct {
    const char *key, *label, *code;
    int (*reg)(pj_ctx *c, pj_jw *w, pj_err *err);
    int derive; /* the fallback: progress to the latest target, else the latest value */
    /* the register's total is a few firms' records (the logistics KPIs' rule): an enterprise
     * user gets the indicator instead, or no figure where there is none (derive -1) */
    int firms;
} dash_kept[] = {
    {"freight_register_progress",
     "货运量（物流登记近12个月折年）对规划目标的进度 (Freight, last 12 months from the logistics"
     " records annualised, against its target)",
     "freight_volume", dash_freight, -1, 1},
    {"warehouse_progress", "高标准仓储开工面积对规划面积 (Warehouses started / planned)",
     "warehouse_area_started", dash_warehouses, 1, 1},
    {"ecommerce_enterprises", "直播电商产业功能区企业 (E-commerce enterprises)",
     "ecommerce_enterprises", dash_zone, 0, 0},
    {"streamers", "新农人主播 (New-farmer streamers)", "new_farmer_streamers", dash_streamers, 0,
     0},
    {"doctor_farms", "博士农场 (Doctor farms)", "doctor_farms", dash_farms, 0, 0},
    {"enterprise_problems_solved", "服务企业解决问题 (Enterprise problems solved)",
     "enterprise_problems_solved", dash_solved, 0, 0},
};

/* One figure into w as {key, label, basis?, figure}: 0 done (a missing figure included), -1 a
 * failure that ends the dashboard (err). */
static int dash_emit(pj_ctx *c, pj_jw *w, pj_buf *b, const char *key, const char *label,
                     const char *basis, int rc, const pj_err *e, pj_err *err)
{
    pj_jw_obj(w);
    pj_jw_kstr(w, "key", key);
    pj_jw_kstr(w, "label", label);
    if (basis && rc == 0) pj_jw_kstr(w, "basis", basis);
    pj_jw_key(w, "figure");
    if (rc == 0) {
        pj_jw_raw(w, b->data);
    } else if (e->status == 500 || e->status == 0) {
        *err = *e;
        pj_jw_null(w);
        pj_jw_obj_end(w);
        return -1;
    } else {
        missing(w, e);
    }
    pj_jw_obj_end(w);
    return 0;
}

int pj_ind_dashboard(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_jw_obj(w);
    pj_jw_kstr(w, "region", PJ_IND_DISTRICT);
    pj_jw_key(w, "figures");
    pj_jw_arr(w);
    for (size_t i = 0; i < sizeof dash / sizeof dash[0]; i++) {
        pj_err e;
        pj_err_clear(&e);
        pj_buf_reset(&b);
        pj_jw tw;
        pj_jw_init(&tw, &b);
        pj_derive_args a;
        dash_periods P;
        int rc = dash_resolve(c, &dash[i], &a, &P, &e);
        if (rc == 0) rc = pj_ind_derive_one(c, &a, &tw, &e);
        if (rc < 0 && e.status == 0) e.status = 500;
        if (dash_emit(c, w, &b, dash[i].key, dash[i].label, NULL, rc, &e, err)) goto fail;
    }
    { /* energy per 10,000 yuan of GDP, the latest year against the one before: computed by
       * the carbon module */
        pj_err e;
        pj_err_clear(&e);
        pj_buf_reset(&b);
        pj_jw tw;
        pj_jw_init(&tw, &b);
        char year[12];
        int rc = latest_period(c, "energy_consumption", 1, 1, "gdp", year, &e);
        if (rc == 0)
            pj_fail(&e, 404, "missing_value", "period",
                    "no year of energy_consumption with GDP and the year before");
        rc = rc == 1 ? pj_carbon_intensity(c, PJ_IND_DISTRICT, (int)strtol(year, NULL, 10), &tw, &e)
                     : -1;
        if (rc && e.status == 500) e.status = 422; /* as before: the figure is missing */
        if (dash_emit(c, w, &b, "energy_intensity_decline",
                      "万元地区生产总值能耗下降率 (Energy per 10,000 yuan of GDP, decline)", NULL,
                      rc, &e, err))
            goto fail;
    }
    for (size_t i = 0; i < sizeof dash_kept / sizeof dash_kept[0]; i++) {
        pj_err e;
        pj_err_clear(&e);
        pj_buf_reset(&b);
        pj_jw tw;
        pj_jw_init(&tw, &b);
        const char *basis = dash_kept[i].reg ? "register" : NULL;
        int withheld = dash_kept[i].firms && c->actor.role == PJ_ROLE_ENTERPRISE;
        int rc = dash_kept[i].reg && !withheld ? dash_kept[i].reg(c, &tw, &e) : 1;
        if (rc == 1 && withheld && dash_kept[i].derive < 0) {
            pj_fail(&e, 403, "withheld", "",
                    "the district total of the logistics records (a few firms' reports) is not"
                    " shown to an enterprise: the logistics page shows your own");
        } else if (rc == 1 && dash_kept[i].derive >= 0) { /* no register rows: the indicator */
            pj_err_clear(&e);
            pj_buf_reset(&b);
            pj_jw_init(&tw, &b);
            basis = dash_kept[i].reg ? "indicator" : NULL;
            if (dash_kept[i].derive) {
                char per[12];
                pj_derive_args a = {.fn = "progress", .code = dash_kept[i].code, .period = per};
                rc = latest_period(c, dash_kept[i].code, 0, 0, NULL, per, &e);
                if (rc == 0)
                    pj_fail(&e, 404, "missing_value", "period", "no value of %s",
                            dash_kept[i].code);
                rc = rc == 1 ? pj_ind_derive_one(c, &a, &tw, &e) : -1;
            } else {
                rc = dash_latest(c, dash_kept[i].code, &tw, &e);
            }
        } else if (rc == 1) {
            pj_fail(&e, 404, "missing_value", "", "no complete month of %s in the register",
                    dash_kept[i].code);
        }
        if (rc > 0) rc = -1;
        if (dash_emit(c, w, &b, dash_kept[i].key, dash_kept[i].label, basis, rc, &e, err))
            goto fail;
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    pj_buf_free(&b);
    pj_db_read_end(c->db, started);
    return 0;
fail:
    pj_buf_free(&b);
    pj_db_read_end(c->db, started);
    return -1;
}
