/* CSV and XLSX import and export of indicator values. The import reads the statistical
 * bureau's table row by row (core/sheet.c: CSV streamed, XLSX from the first worksheet) through
 * one pipeline: every row is checked before
 * any is written, then all rows are written in one transaction with one audit row, or none. */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/sheet.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/indicator_int.h"
#include "domain/input.h"

#include "core/banned.h"

#define MAX_ERRORS  100
#define MAX_PREVIEW 20
#define NCOLS       7

enum { C_CODE, C_REGION, C_PERIOD, C_VALUE, C_UNIT, C_SOURCE, C_NOTE };
static const char *const col_names[NCOLS] = {"code", "region", "period", "value",
                                             "unit", "source", "note"};
/* The Chinese headings a column may have instead: the console's words first (what an export
 * with Chinese headings writes), then shorter ones a bureau's sheet may use. */
static const char *const col_zh[NCOLS][3] = {
    {"指标代码", "代码", NULL}, {"地区", NULL}, {"期间", "时期", NULL},
    {"数值", "值", NULL},       {"单位", NULL}, {"来源", NULL},
    {"备注", "说明", NULL},
};

/* The column a heading names (English or Chinese), or -1. */
static int column_of(const char *h)
{
    for (int k = 0; k < NCOLS; k++) {
        if (!strcmp(h, col_names[k])) return k;
        for (int i = 0; col_zh[k][i]; i++)
            if (!strcmp(h, col_zh[k][i])) return k;
    }
    return -1;
}

/* The indicators, sorted by code, for lookups without a query per row. */
typedef struct defs {
    pj_ind_def *d;
    int n;
} defs;

static int defs_load(pj_ctx *c, defs *D, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM indicators", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int64_t cnt = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    D->d = pj_arena_calloc(c->arena, (size_t)cnt + 1, sizeof *D->d);
    D->n = 0;
    s = pj_db_prepare(c->db, "SELECT id, code, unit, kind FROM indicators ORDER BY code", err);
    if (!s) return -1;
    while (D->n < cnt && (rc = pj_stmt_step(s, err)) == 1) {
        pj_ind_def *d = &D->d[D->n++];
        d->id = pj_col_int(s, 0);
        d->code = pj_arena_strdup(c->arena, pj_col_text(s, 1));
        d->unit = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        d->kind = pj_arena_strdup(c->arena, pj_col_text(s, 3));
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static const pj_ind_def *defs_find(const defs *D, const char *code)
{
    int lo = 0, hi = D->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, k = strcmp(D->d[mid].code, code);
        if (!k) return &D->d[mid];
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

typedef struct row {
    const pj_ind_def *d;
    const char *region, *source, *note; /* source, note NULL: keep the stored ones */
    pj_period p;
    double v;
} row;

/* The number a percentage-formatted cell shows: its text (0.062, 6.2E-2) with the decimal
 * exponent raised by 2, read as decimal, so 0.062 gives exactly the 6.2 on screen (0.062 * 100
 * would give 6.2000000000000002). 0 ok, -1 not a number. */
static int percent_value(const char *t, double *out)
{
    char buf[80];
    size_t n = strcspn(t, "eE");
    long e = 0;
    if (t[n]) {
        char *end;
        e = strtol(t + n + 1, &end, 10);
        if (end == t + n + 1 || *end || e < -400 || e > 400) return -1;
    }
    if (n > 40) return -1;
    snprintf(buf, sizeof buf, "%.*se%ld", (int)n, t, e + 2);
    double x;
    if (pj_parse_double(t, &x)) return -1; /* the same refusals as a plain cell */
    if (pj_parse_double(buf, out)) return -1;
    /* to the 12 significant digits a sheet shows: a share computed in the workbook (=A2/B2)
     * holds 1.0000000000000002 for the 100 % on screen, which was out of the share's range */
    if (isfinite(*out) && *out != 0) {
        snprintf(buf, sizeof buf, "%.12g", *out);
        return pj_parse_double(buf, out);
    }
    return 0;
}

typedef pj_rowerr rowerr;
#define re_arg pj_rowerr_arg

/* Checks one record of a table whose header has ncols columns; fills *out or records why not
 * (line, column, reason) in re. Texts of re point into the record or the arena. */
static int row_check(pj_ctx *c, const defs *D, const pj_ind_regions *R, pj_sheet *r, const int *map,
                     const char *const *names, int ncols, int64_t today, row *out, rowerr *re)
{
    pj_err *e = &re->e;
    re->n = 0;
    re->reason = "bad_row";
    const char *cell[NCOLS];
    for (int k = 0; k < NCOLS; k++) cell[k] = map[k] >= 0 && map[k] < r->nf ? r->f[map[k]] : NULL;
    /* a cell beyond the header would be dropped unread (empty ones, a trailing comma, are not) */
    for (int j = ncols; j < r->nf; j++)
        if (*r->f[j]) {
            re->reason = "extra_cells";
            re_arg(re, "cells", pj_arena_printf(c->arena, "%d", r->nf));
            re_arg(re, "columns", pj_arena_printf(c->arena, "%d", ncols));
            return pj_fail(e, 422, "bad_row", r->field,
                           "line %d: %d cells, the header names %d columns", r->line, r->nf, ncols);
        }
#define BAD(k, why, ...) (re->reason = (why), pj_fail(e, 422, "bad_row", col_names[k], __VA_ARGS__))
    /* a failed formula's #REF!, #N/A is no value (its message names the column as the header
     * does, its field by the column's English name) */
    for (int k = 0; k < NCOLS; k++)
        if (map[k] >= 0 && pj_sheet_formula_error(r, map[k], names[k], re)) {
            snprintf(e->field, sizeof e->field, "%s", col_names[k]);
            return -1;
        }
    if (!cell[C_CODE] || !*cell[C_CODE])
        return BAD(C_CODE, "empty_code", "line %d, column %s: empty", r->line, names[C_CODE]);
    if (!(out->d = defs_find(D, cell[C_CODE]))) {
        re_arg(re, "code", cell[C_CODE]);
        return BAD(C_CODE, "unknown_indicator", "line %d, column %s: no indicator %.60s", r->line,
                   names[C_CODE], cell[C_CODE]);
    }
    out->region = cell[C_REGION] && *cell[C_REGION] ? cell[C_REGION] : PJ_IND_DISTRICT;
    const char *known = pj_ind_region_ok(out->region) ? pj_ind_region_find(R, out->region) : NULL;
    if (!known) {
        re_arg(re, "region", out->region);
        re_arg(re, "known", R->text);
        return BAD(C_REGION, "unknown_region",
                   "line %d, column %s: '%.40s' is not a district name (known: %s)", r->line,
                   names[C_REGION], out->region, re->v[1]);
    }
    out->region = known;
    if (!cell[C_PERIOD] || pj_period_parse(cell[C_PERIOD], strlen(cell[C_PERIOD]), &out->p)) {
        re_arg(re, "period", cell[C_PERIOD]);
        return BAD(C_PERIOD, "bad_period",
                   "line %d, column %s: '%.20s' is not 2024, 2024H1, 2024Q2 or 2024-06", r->line,
                   names[C_PERIOD], cell[C_PERIOD] ? cell[C_PERIOD] : "");
    }
    if (!pj_period_begun(&out->p, today)) {
        re_arg(re, "period", cell[C_PERIOD]);
        return BAD(C_PERIOD, "period_not_begun",
                   "line %d, column %s: %.20s has not begun; a figure planned for it is a target",
                   r->line, names[C_PERIOD], cell[C_PERIOD]);
    }
    /* a workbook cell showing 6.2 % holds 0.062: an indicator in % takes the 6.2 shown */
    int pct = cell[C_VALUE] && r->pct && r->pct[map[C_VALUE]] && !strcmp(out->d->unit, "%");
    if (!cell[C_VALUE] ||
        (pct ? percent_value(cell[C_VALUE], &out->v) : pj_parse_double(cell[C_VALUE], &out->v)) ||
        isnan(out->v)) {
        re_arg(re, "value", cell[C_VALUE]);
        return BAD(C_VALUE, "not_a_number", "line %d, column %s: '%.30s' is not a number", r->line,
                   names[C_VALUE], cell[C_VALUE] ? cell[C_VALUE] : "");
    }
    if (!isfinite(out->v) || fabs(out->v) > 1e15) {
        re_arg(re, "value", cell[C_VALUE]);
        return BAD(C_VALUE, "out_of_range",
                   "line %d, column %s: %.30s is out of range: a value is between -1e15 and 1e15",
                   r->line, names[C_VALUE], cell[C_VALUE]);
    }
    /* the indicator's kind: a share is between 0 and 100, as its targets are */
    const char *why = pj_ind_kind_range(out->d->kind, out->v);
    if (why) {
        re_arg(re, "value", cell[C_VALUE]);
        re_arg(re, "code", out->d->code);
        return BAD(C_VALUE, "out_of_range", "line %d, column %s: %.30s is out of range for %s (%s)",
                   r->line, names[C_VALUE], cell[C_VALUE], out->d->code, why);
    }
    if (cell[C_UNIT] && *cell[C_UNIT] && strcmp(cell[C_UNIT], out->d->unit)) {
        re_arg(re, "code", out->d->code);
        re_arg(re, "unit", out->d->unit);
        re_arg(re, "given", cell[C_UNIT]);
        return BAD(C_UNIT, "unit_mismatch", "line %d, column %s: %s is in %s, not %.16s", r->line,
                   names[C_UNIT], out->d->code, out->d->unit, cell[C_UNIT]);
    }
    /* no source column, or an empty cell, keeps the stored source (a new value: "import"); no
     * note column keeps the stored note, an empty note cell clears it */
    out->source = cell[C_SOURCE] && *cell[C_SOURCE] ? cell[C_SOURCE] : NULL;
    out->note = map[C_NOTE] >= 0 ? (cell[C_NOTE] ? cell[C_NOTE] : "") : NULL;
    if (out->source && pj_utf8_len(out->source, strlen(out->source)) > 128) {
        re_arg(re, "max", "128");
        return BAD(C_SOURCE, "too_long", "line %d, column %s: longer than 128 characters", r->line,
                   names[C_SOURCE]);
    }
    if (out->note && pj_utf8_len(out->note, strlen(out->note)) > 500) {
        re_arg(re, "max", "500");
        return BAD(C_NOTE, "too_long", "line %d, column %s: longer than 500 characters", r->line,
                   names[C_NOTE]);
    }
    /* the texts stored as they are: the rules of the API's source and note (pj_in_str) */
    static const int texts[] = {C_SOURCE, C_NOTE};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        int k = texts[i];
        const char *t = k == C_SOURCE ? out->source : out->note;
        long bad = t ? pj_text_bad_char(t, strlen(t), pj_text_multiline(col_names[k])) : -1;
        if (bad < 0) continue;
        const char *cp = pj_arena_printf(c->arena, "U+%04lX", bad);
        re_arg(re, "char", cp);
        return BAD(k, "bad_character",
                   "line %d, column %s: holds a control or bidirectional character (%s)", r->line,
                   names[k], cp);
    }
#undef BAD
    return 0;
}

/* A row's key (indicator, region, period) and line, to find a key given twice in one table:
 * which of the two values would be meant is not for the import to guess. */
typedef struct rkey {
    const pj_ind_def *d;
    const char *region;
    int year, kind, sub, line;
    int action; /* a dry run: what the row would do (0 insert, 1 revise, 2 unchanged) */
} rkey;

static int rkey_cmp(const void *a, const void *b)
{
    const rkey *x = a, *y = b;
    if (x->d->id != y->d->id) return x->d->id < y->d->id ? -1 : 1;
    int c = strcmp(x->region, y->region);
    if (c) return c;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->sub != y->sub) return x->sub < y->sub ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* A row of a dry run's preview, kept until the table's end shows whether it is a bad row (a
 * key given twice is found only then). */
typedef struct prow {
    const pj_ind_def *d;
    const char *region, *source;
    pj_period p;
    double v, old;
    int line, action, bad;
} prow;
/* candidates: the first rows that passed their own checks, enough for MAX_PREVIEW good ones
 * unless most of them turn out duplicates */
#define MAX_PCAND (MAX_PREVIEW + MAX_ERRORS)

static void preview_json(pj_jw *w, const prow *pr, int n)
{
    static const char *const actions[] = {"insert", "revise", "unchanged"};
    pj_jw_arr(w);
    for (int i = 0, shown = 0; i < n && shown < MAX_PREVIEW; i++) {
        if (pr[i].bad) continue;
        char per[12];
        pj_period_format(&pr[i].p, per);
        pj_jw_obj(w);
        pj_jw_kint(w, "line", pr[i].line);
        pj_jw_kstr(w, "code", pr[i].d->code);
        pj_jw_kstr(w, "region", pr[i].region);
        pj_jw_kstr(w, "period", per);
        pj_jw_knum(w, "value", pr[i].v);
        pj_jw_kstr(w, "unit", pr[i].d->unit);
        pj_jw_kstr(w, "source", pr[i].source);
        pj_jw_kstr(w, "action", actions[pr[i].action]);
        if (pr[i].action) pj_jw_knum(w, "old_value", pr[i].old);
        pj_jw_obj_end(w);
        shown++;
    }
    pj_jw_arr_end(w);
}

/* The pipeline both sources share: the header, then every row checked, then all written or
 * none. */
static int import_rows(pj_ctx *c, pj_sheet *r, int dry_run, int max_rows, pj_jw *w, pj_err *err)
{
    int rc = pj_sheet_next(r, err);
    if (rc <= 0) return rc < 0 ? -1 : pj_fail(err, 422, r->bad, r->field, "the table is empty");
    if (pj_sheet_header(r, err)) return -1;
    /* each column by its English or Chinese heading; names[k] is the heading the table gives it,
     * which a bad row's message names */
    int map[NCOLS];
    const char *names[NCOLS];
    for (int k = 0; k < NCOLS; k++) map[k] = -1, names[k] = col_names[k];
    for (int j = 0; j < r->nf; j++) {
        /* a heading with spaces around it (typed in a spreadsheet) is that heading */
        const char *h = pj_text_trimmed(c->arena, r->f[j]);
        int k = column_of(h);
        if (k < 0)
            return pj_fail(
                err, 422, r->bad, r->field,
                "line %d: unknown column '%.40s' (code, region, period, value, unit,"
                " source, note, or their Chinese headings 指标代码, 地区, 期间, 数值, 单位,"
                " 来源, 备注)",
                r->line, h);
        if (map[k] >= 0)
            return strcmp(names[k], h)
                       ? pj_fail(err, 422, r->bad, r->field,
                                 "line %d: column %s twice (%s and %s are one column)", r->line, h,
                                 names[k], h)
                       : pj_fail(err, 422, r->bad, r->field, "line %d: column %s twice", r->line,
                                 h);
        map[k] = j;
        names[k] = h; /* in the arena: the record's cells are read over */
    }
    if (map[C_CODE] < 0 || map[C_PERIOD] < 0 || map[C_VALUE] < 0)
        return pj_fail(err, 422, r->bad, r->field,
                       "line %d: the header needs code, period, value (指标代码, 期间, 数值)",
                       r->line);

    /* too many rows refused before any is checked */
    if (pj_sheet_limit(r, max_rows, err)) return -1;
    int started = 0;
    if (dry_run)
        started = pj_db_read_begin(c->db);
    else if (pj_db_begin(c->db, err))
        return -1;
    defs D;
    pj_buf eb;
    pj_buf_init(&eb, 4 << 20);
    pj_jw ew;
    pj_jw_init(&ew, &eb);
    pj_jw_arr(&ew);
    prow *pr = dry_run ? pj_arena_calloc(c->arena, MAX_PCAND, sizeof *pr) : NULL;
    int rows = 0, nerr = 0, counts[3] = {0, 0, 0}, ncols = r->nf, npr = 0;
    pj_err first;
    pj_err_clear(&first);
    int64_t now = pj_now(), today = pj_local_day(now);
    rkey *keys = NULL;
    size_t nkeys = 0, capkeys = 0;
    pj_ind_regions R;
    if (defs_load(c, &D, err) || pj_ind_regions_load(c, &R, err)) goto fail;
    while ((rc = pj_sheet_next(r, err)) == 1) {
        if (++rows > max_rows) {
            pj_fail(err, 413, "too_many_rows", r->field, "more than %d rows; split the file",
                    max_rows);
            goto fail;
        }
        row x;
        rowerr re;
        if (row_check(c, &D, &R, r, map, names, ncols, today, &x, &re)) {
            if (!nerr) first = re.e;
            if (nerr++ < MAX_ERRORS) pj_rowerr_json(&ew, &re, r->line);
            continue;
        }
        if (nkeys == capkeys) {
            capkeys = capkeys ? capkeys * 2 : 1024;
            rkey *nk = realloc(keys, capkeys * sizeof *keys);
            if (!nk) {
                pj_fail(err, 500, "internal", "", "out of memory");
                goto fail;
            }
            keys = nk;
        }
        keys[nkeys++] = (rkey){
            x.d, pj_arena_strdup(c->arena, x.region), x.p.year, x.p.kind, x.p.sub, r->line, -1};
        if (dry_run) { /* what a commit would do with this row, past bad rows too */
            pj_ind_stored old;
            int k = pj_ind_value_check(c, x.d->id, x.region, &x.p, x.v, x.source, x.note,
                                       npr < MAX_PCAND ? &old : NULL, err);
            if (k < 0) goto fail;
            counts[k]++;
            keys[nkeys - 1].action = k;
            if (npr < MAX_PCAND)
                pr[npr++] = (prow){.d = x.d,
                                   .region = keys[nkeys - 1].region,
                                   .source = x.source ? pj_arena_strdup(c->arena, x.source)
                                             : k      ? old.source
                                                      : "import",
                                   .p = x.p,
                                   .v = x.v,
                                   .old = k ? old.value : 0,
                                   .line = r->line,
                                   .action = k};
            continue;
        }
        if (nerr) continue; /* a commit will not happen: only look for more errors */
        int64_t id;
        int k = pj_ind_value_put(c, x.d->id, x.region, &x.p, x.v, x.d->unit, x.source, x.note, now,
                                 &id, err);
        if (k < 0) goto fail;
        counts[k]++;
    }
    if (rc < 0) goto fail;
    if (nkeys > 1) qsort(keys, nkeys, sizeof *keys, rkey_cmp);
    for (size_t i = 1; i < nkeys; i++) {
        rkey a = keys[i - 1], b = keys[i];
        a.line = b.line;
        if (rkey_cmp(&a, &b)) continue;
        rowerr re = {.reason = "duplicate"};
        char per[12];
        pj_period p = {.kind = (char)b.kind, .year = b.year, .sub = b.sub};
        pj_period_format(&p, per);
        pj_fail(&re.e, 422, "bad_row", "period",
                "line %d: %s %s %s is also on line %d; give each value once", b.line, b.d->code,
                b.region, per, keys[i - 1].line);
        re_arg(&re, "code", b.d->code);
        re_arg(&re, "region", b.region);
        re_arg(&re, "period", pj_arena_strdup(c->arena, per));
        re_arg(&re, "other_line", pj_arena_printf(c->arena, "%d", keys[i - 1].line));
        if (!nerr) first = re.e;
        if (nerr++ < MAX_ERRORS) pj_rowerr_json(&ew, &re, b.line);
        if (b.action >= 0) counts[b.action]--; /* a bad row: not counted as a good one */
        for (int k = 0; k < npr; k++)
            if (pr[k].line == b.line) pr[k].bad = 1;
    }
    free(keys);
    keys = NULL;
    pj_jw_arr_end(&ew);
    if (!dry_run && nerr) {
        pj_fail(err, 422, "bad_row", first.field, "%s; %d bad row%s of %d, nothing imported",
                first.message, nerr, nerr == 1 ? "" : "s", rows);
        goto fail;
    }
    if (!dry_run) {
        char *summary = pj_arena_printf(c->arena,
                                        "{\"rows\":%d,\"inserted\":%d,\"revised\":%d,"
                                        "\"unchanged\":%d}",
                                        rows, counts[0], counts[1], counts[2]);
        if (pj_audit_add(c, "import", "indicator_values", 0, NULL, summary, err) ||
            pj_db_commit(c->db, err))
            goto fail;
    } else {
        pj_db_read_end(c->db, started);
    }
    pj_jw_obj(w);
    pj_jw_kbool(w, "dry_run", dry_run);
    pj_jw_kbool(w, "ok", nerr == 0);
    pj_jw_kint(w, "rows", rows);
    pj_jw_kint(w, "bad_rows", nerr);
    /* a dry run: what a commit would do with the good rows (with bad rows it does nothing) */
    pj_jw_kint(w, "inserted", counts[0]);
    pj_jw_kint(w, "revised", counts[1]);
    pj_jw_kint(w, "unchanged", counts[2]);
    pj_jw_key(w, "errors");
    pj_jw_raw(w, eb.data);
    if (dry_run) {
        pj_jw_key(w, "preview");
        preview_json(w, pr, npr);
    }
    pj_jw_obj_end(w);
    pj_buf_free(&eb);
    return 0;
fail:
    free(keys);
    if (dry_run)
        pj_db_read_end(c->db, started);
    else
        pj_db_rollback(c->db);
    pj_buf_free(&eb);
    return -1;
}

int pj_ind_import_csv(pj_ctx *c, const char *text, size_t len, int dry_run, int max_rows, pj_jw *w,
                      pj_err *err)
{
    if (pj_ind_require_writer(c, err)) return -1;
    pj_sheet r;
    if (pj_sheet_csv(c->arena, &r, text, len, err)) return -1;
    return import_rows(c, &r, dry_run, max_rows, w, err);
}

int pj_ind_import_xlsx(pj_ctx *c, const void *data, size_t len, int dry_run, int max_rows, pj_jw *w,
                       pj_err *err)
{
    if (pj_ind_require_writer(c, err)) return -1;
    pj_sheet r;
    if (pj_sheet_xlsx(c->arena, &r, data, len, max_rows, err)) return -1;
    return import_rows(c, &r, dry_run, max_rows, w, err);
}

int pj_ind_import(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"csv", "xlsx", "dry_run", NULL};
    int dry = 0;
    if (pj_ind_require_writer(c, err) || pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_bool(body, "dry_run", 0, &dry, err) < 0)
        return -1;
    /* xlsx: the workbook's bytes in base64 (a raw upload goes to pj_ind_import_xlsx directly) */
    json_t *x = json_object_get(body, "xlsx");
    if (x && json_object_get(body, "csv"))
        return pj_fail(err, 422, "invalid_value", "xlsx", "send csv or xlsx, not both");
    if (x) {
        if (!json_is_string(x) || !json_string_length(x))
            return pj_fail(err, 422, "wrong_type", "xlsx", "xlsx is the workbook in base64");
        size_t cap = json_string_length(x) / 4 * 3 + 3, n = 0;
        unsigned char *bin = pj_arena_alloc(c->arena, cap);
        if (sodium_base642bin(bin, cap, json_string_value(x), json_string_length(x), " \r\n", &n,
                              NULL, sodium_base64_VARIANT_ORIGINAL))
            return pj_fail(err, 422, "invalid_value", "xlsx", "xlsx is not valid base64");
        return pj_ind_import_xlsx(c, bin, n, dry, 100000, w, err);
    }
    /* csv: the text, or (for tables over the 64 KiB a JSON string may hold) its lines */
    json_t *v = json_object_get(body, "csv");
    if (json_is_string(v))
        return pj_ind_import_csv(c, json_string_value(v), json_string_length(v), dry, 100000, w,
                                 err);
    if (!json_is_array(v) || !json_array_size(v))
        return pj_fail(err, 422, v ? "wrong_type" : "missing_field", "csv",
                       "csv is the CSV text or an array of its lines");
    pj_buf b;
    pj_buf_init(&b, 1u << 24);
    size_t i;
    json_t *line;
    json_array_foreach(v, i, line)
    {
        if (!json_is_string(line)) {
            pj_buf_free(&b);
            return pj_fail(err, 422, "wrong_type", "csv", "csv[%zu] must be a string", i);
        }
        pj_buf_add(&b, json_string_value(line), json_string_length(line));
        pj_buf_putc(&b, '\n');
    }
    int rc = pj_ind_import_csv(c, b.data, b.len, dry, 100000, w, err);
    pj_buf_free(&b);
    return rc;
}

/* The rows of an export: the values the list with the same filters holds, in the import's
 * columns, by code, region and period. NULL on error (a bad filter: 400). */
static pj_stmt *export_rows(pj_ctx *c, const pj_value_filter *f, pj_err *err)
{
    pj_ind_where q;
    if (pj_ind_where_make(c, f, &q, err)) return NULL;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT i.code, v.region, v.period, v.value, v.unit, v.source, v.note FROM"
        " indicator_values v JOIN indicators i ON i.id = v.indicator_id WHERE " PJ_IND_WHERE
        " ORDER BY i.code, v.region, v.year, v.period",
        err);
    if (s) pj_ind_where_bind(s, 1, &q);
    return s;
}

/* A column's heading in the export: its English name, or the console's Chinese word for it. */
static const char *heading(int k, int zh)
{
    return zh ? col_zh[k][0] : col_names[k];
}

int pj_ind_export_csv(pj_ctx *c, const pj_value_filter *f, int zh, pj_buf *out, pj_err *err)
{
    pj_stmt *s = export_rows(c, f, err);
    if (!s) return -1;
    for (int k = 0; k < NCOLS; k++) pj_csv_field(out, heading(k, zh), k == NCOLS - 1);
    int rc, started = pj_db_read_begin(c->db);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        char num[40];
        pj_fmt_double(num, sizeof num, pj_col_double(s, 3)); /* round-trips, shortest */
        pj_csv_field(out, pj_col_text(s, 0), 0);
        pj_csv_field(out, pj_col_text(s, 1), 0);
        pj_csv_field(out, pj_col_text(s, 2), 0);
        pj_csv_field(out, num, 0);
        pj_csv_field(out, pj_col_text(s, 4), 0);
        pj_csv_field(out, pj_col_text(s, 5), 0);
        pj_csv_field(out, pj_col_text(s, 6), 1);
    }
    pj_stmt_done(s);
    pj_db_read_end(c->db, started);
    if (rc < 0) return -1;
    if (out->overflow)
        return pj_fail(err, 413, "too_large", "", "the export is larger than the limit; filter it");
    return 0;
}

/* XLSX through libxlsxwriter (pj_sheet_out: a temporary file, read back and removed). */
int pj_ind_export_xlsx(pj_ctx *c, const pj_value_filter *f, int zh, pj_buf *out, pj_err *err)
{
    pj_stmt *s = export_rows(c, f, err);
    if (!s) return -1;
    pj_sheet_out so;
    if (pj_sheet_out_open(&so, "indicators", pj_audit_last_at(c), err)) {
        pj_stmt_done(s);
        return -1;
    }
    lxw_worksheet *ws = so.ws;
    for (int k = 0; k < NCOLS; k++)
        worksheet_write_string(ws, 0, (lxw_col_t)k, heading(k, zh), NULL);
    int rc = -1;
    int started = pj_db_read_begin(c->db), st;
    lxw_row_t rn = 0;
    while ((st = pj_stmt_step(s, err)) == 1 && rn < LXW_ROW_MAX - 1) {
        rn++;
        for (int k = 0; k < NCOLS; k++) {
            if (k == C_VALUE)
                worksheet_write_number(ws, rn, (lxw_col_t)k, pj_col_double(s, k), NULL);
            else if (pj_col_text(s, k) && *pj_col_text(s, k))
                pj_sheet_out_text(ws, rn, (lxw_col_t)k, pj_col_text(s, k));
        }
    }
    pj_stmt_done(s);
    pj_db_read_end(c->db, started);
    if (st < 0) goto done;
    if (st == 1) {
        pj_fail(err, 413, "too_large", "", "more rows than a worksheet holds; filter the export");
        goto done;
    }
    rc = 0;
done:
    return pj_sheet_out_close(&so, rc, out, err);
}
