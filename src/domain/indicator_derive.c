/* Derived figures over stored values — growth, average growth, shares, points, progress to a
 * target, rank among peer districts — each with the value rows it was computed from; and the
 * district dashboard built from them. Nothing here is typed in: every figure is computed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/carbon.h"
#include "domain/indicator_int.h"
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
        if (required) return pj_fail(err, 400, "missing_parameter", field, "%s is required", field);
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
                     : pj_fail(err, 422, "undefined", "code",
                               "average growth needs positive first and last levels (%g and %g):"
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
    if (!a->of) return pj_fail(err, 400, "missing_parameter", "of", "of (the whole) is required");
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

static int d_progress(pj_ctx *c, const pj_derive_args *a, const pj_ind_def *d, const char *region,
                      pj_jw *w, pj_err *err)
{
    pj_period p;
    srcs S = {.n = 0};
    double now;
    if (period_arg(a->period, "period", 1, &p, err) || need(c, d, region, &p, &now, &S, err))
        return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, period, value, source, note FROM indicator_targets"
                               " WHERE indicator_id = ? AND region = ? AND (? IS NULL OR period ="
                               " ?) ORDER BY period DESC LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, d->id);
    pj_stmt_text(s, 2, region);
    pj_stmt_text(s, 3, a->target);
    pj_stmt_text(s, 4, a->target);
    int rc = pj_stmt_step(s, err);
    if (rc != 1) {
        pj_stmt_done(s);
        return rc < 0 ? -1
                      : pj_fail(err, 404, "missing_target", "target", "%s has no target for %s",
                                d->code, region);
    }
    double target = pj_col_double(s, 2);
    head(w, "progress", d, region);
    kper(w, "period", &p);
    pj_jw_knum(w, "current", now);
    pj_jw_key(w, "target");
    pj_jw_obj(w);
    pj_jw_kint(w, "target_id", pj_col_int(s, 0));
    pj_render_text(w, "period", s, 1);
    pj_jw_knum(w, "value", target);
    pj_render_text(w, "source", s, 3);
    pj_render_text(w, "note", s, 4);
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    pj_jw_kstr(w, "value_unit", d->unit);
    pj_jw_knum(w, "remaining", target - now);
    result(w, target ? now / target * 100.0 : NAN, 2, "%");
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
            if (!done[i] && (best < 0 || (desc ? vals[i] > vals[best] : vals[i] < vals[best])))
                best = i;
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
    if (!a->code) return pj_fail(err, 400, "missing_parameter", "code", "code is required");
    const char *region = a->region ? a->region : PJ_IND_DISTRICT;
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

int pj_ind_derive(pj_ctx *c, const pj_derive_args *a, pj_jw *w, pj_err *err)
{
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

typedef struct dash_item {
    const char *key, *label;
    pj_derive_args a;
} dash_item;

static const dash_item dash[] = {
    {"gdp_avg_growth_3y",
     "地区生产总值近三年年均增速 (GDP, 3-year average growth)",
     {.fn = "cagr", .code = "gdp_growth", .from = "2021", .to = "2023", .method = "rates"}},
    {"gdp_avg_growth_3y_levels",
     "同上，按不变价水平计算 (the same from constant-price levels)",
     {.fn = "cagr", .code = "gdp", .from = "2020", .to = "2023", .method = "levels"}},
    {"gdp_h1_growth",
     "2024年上半年地区生产总值增速 (GDP H1 2024, year on year)",
     {.fn = "yoy", .code = "gdp", .period = "2024H1"}},
    {"revenue_h1",
     "2024年上半年一般公共预算收入 (general public budget revenue H1 2024)",
     {.fn = "yoy", .code = "budget_revenue", .period = "2024H1"}},
    {"revenue_h1_rank",
     "一般公共预算收入增速全市排名 (rank of its growth among districts)",
     {.fn = "rank", .code = "budget_revenue", .period = "2024H1", .by = "yoy"}},
    {"agri_output",
     "2023年农业总产值 (agricultural output 2023)",
     {.fn = "yoy", .code = "agri_output", .period = "2023"}},
    {"agri_output_rank",
     "农业总产值增速全市排名 (rank of its growth among districts)",
     {.fn = "rank", .code = "agri_output", .period = "2023", .by = "yoy"}},
    {"high_tech_share",
     "高技术制造业占规上工业产值比重 (high-tech manufacturing share)",
     {.fn = "share",
      .code = "hightech_output",
      .of = "industrial_output",
      .period = "2023",
      .base = "2021"}},
    {"strategic_emerging_share",
     "战略性新兴产业占规上工业产值比重 (strategic emerging share)",
     {.fn = "share",
      .code = "strategic_output",
      .of = "industrial_output",
      .period = "2023",
      .base = "2021"}},
    {"freight_progress",
     "货运量对2035年目标的进度 (freight against the 2035 target)",
     {.fn = "progress", .code = "freight_volume", .period = "2023", .target = "2035"}},
    {"warehouse_progress",
     "高标准仓储开工面积对规划面积 (warehouses started / planned)",
     {.fn = "progress", .code = "warehouse_area_started", .period = "2024"}},
    {"land_transfer_points",
     "东久新宜物流谷土地可转让率变化 (land-transfer rate change)",
     {.fn = "points", .code = "land_transfer_rate", .period = "2024", .base = "2023"}},
};

static const struct {
    const char *key, *label, *code;
} dash_levels[] = {
    {"ecommerce_enterprises", "直播电商产业功能区企业 (e-commerce enterprises)",
     "ecommerce_enterprises"},
    {"streamers", "新农人主播 (new-farmer streamers)", "new_farmer_streamers"},
    {"doctor_farms", "博士农场 (doctor farms)", "doctor_farms"},
    {"enterprise_problems_solved", "服务企业解决问题 (enterprise problems solved)",
     "enterprise_problems_solved"},
};

static void missing(pj_jw *w, const pj_err *e)
{
    pj_jw_obj(w);
    pj_jw_kstr(w, "missing", e->code);
    pj_jw_kstr(w, "message", e->message);
    pj_jw_obj_end(w);
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
        pj_jw_obj(w);
        pj_jw_kstr(w, "key", dash[i].key);
        pj_jw_kstr(w, "label", dash[i].label);
        pj_jw_key(w, "figure");
        if (pj_ind_derive_one(c, &dash[i].a, &tw, &e) == 0) {
            pj_jw_raw(w, b.data);
        } else if (e.status == 500) {
            *err = e;
            pj_jw_null(w);
            pj_jw_obj_end(w);
            goto fail;
        } else {
            missing(w, &e);
        }
        pj_jw_obj_end(w);
    }
    { /* energy per 10,000 yuan of GDP: computed by the carbon module */
        pj_err e;
        pj_err_clear(&e);
        pj_buf_reset(&b);
        pj_jw tw;
        pj_jw_init(&tw, &b);
        pj_jw_obj(w);
        pj_jw_kstr(w, "key", "energy_intensity_decline");
        pj_jw_kstr(w, "label", "万元地区生产总值能耗下降率 (energy per 10,000 yuan GDP, decline)");
        pj_jw_key(w, "figure");
        if (pj_carbon_intensity(c, PJ_IND_DISTRICT, 2023, &tw, &e) == 0)
            pj_jw_raw(w, b.data);
        else
            missing(w, &e);
        pj_jw_obj_end(w);
    }
    /* counts: the latest value of each, with its source row */
    for (size_t i = 0; i < sizeof dash_levels / sizeof dash_levels[0]; i++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT v.id, v.period, v.value, v.unit, v.source, v.note FROM"
                                   " indicator_values v JOIN indicators i ON i.id ="
                                   " v.indicator_id WHERE i.code = ? AND v.region = ? ORDER BY"
                                   " v.year DESC, v.period DESC LIMIT 1",
                                   err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, dash_levels[i].code);
        pj_stmt_text(s, 2, PJ_IND_DISTRICT);
        int rc = pj_stmt_step(s, err);
        pj_jw_obj(w);
        pj_jw_kstr(w, "key", dash_levels[i].key);
        pj_jw_kstr(w, "label", dash_levels[i].label);
        pj_jw_key(w, "figure");
        if (rc == 1) {
            pj_jw_obj(w);
            pj_jw_kstr(w, "fn", "latest");
            pj_jw_kstr(w, "code", dash_levels[i].code);
            pj_render_text(w, "period", s, 1);
            pj_jw_knum(w, "value", pj_col_double(s, 2));
            pj_render_text(w, "unit", s, 3);
            pj_jw_key(w, "sources");
            pj_jw_arr(w);
            pj_jw_obj(w);
            pj_jw_kint(w, "value_id", pj_col_int(s, 0));
            pj_render_text(w, "period", s, 1);
            pj_jw_knum(w, "value", pj_col_double(s, 2));
            pj_render_text(w, "source", s, 4);
            pj_render_text(w, "note", s, 5);
            pj_jw_obj_end(w);
            pj_jw_arr_end(w);
            pj_jw_obj_end(w);
        } else {
            pj_err e = {.status = 404};
            snprintf(e.code, sizeof e.code, "missing_value");
            snprintf(e.message, sizeof e.message, "no value of %s", dash_levels[i].code);
            missing(w, &e);
        }
        pj_jw_obj_end(w);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
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
