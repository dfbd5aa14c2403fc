/* Tables read row by row from CSV or XLSX, bad rows as the imports answer them, XLSX exports
 * (sheet.h). */
#include "core/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

#include "core/banned.h"

/* Next worksheet row into r->f; its line is the sheet's row number. */
static int xlsx_next(pj_sheet *r, pj_err *err)
{
    (void)err;
    if (r->xi >= r->x.nrows) return 0;
    const pj_xlsx_row *row = &r->x.rows[r->xi++];
    r->line = row->line;
    r->nf = row->ncols < PJ_CSV_MAX_COLS ? row->ncols : PJ_CSV_MAX_COLS;
    for (int k = 0; k < r->nf; k++) r->f[k] = row->cells[k];
    r->pct = row->percent;
    r->ferr = row->error;
    return 1;
}

/* 1 when s starts with a character the CSV export guards with an apostrophe. */
static int guarded(const char *s)
{
    return *s && strchr("=+-@\t\r", *s) != NULL;
}

/* Next record into r->f[0..nf). 1 a record, 0 end, -1 malformed (err). Blank lines skip. */
static int csv_next(pj_sheet *r, pj_err *err)
{
    for (;;) {
        if (r->i >= r->n) return 0;
        r->line = r->nextln;
        size_t o = 0;
        r->nf = 0;
        int blank = 1;
        for (;;) {
            if (r->nf == PJ_CSV_MAX_COLS)
                return pj_fail(err, 422, "bad_csv", "csv", "line %d: more than %d fields", r->line,
                               PJ_CSV_MAX_COLS);
            r->f[r->nf++] = r->buf + o;
            size_t start = o;
            if (r->i < r->n && r->s[r->i] == '"') {
                blank = 0;
                r->i++;
                for (;;) {
                    if (r->i >= r->n)
                        return pj_fail(err, 422, "bad_csv", "csv",
                                       "line %d, field %d: unclosed quote", r->line, r->nf);
                    char ch = r->s[r->i];
                    if (ch == '"') {
                        if (r->i + 1 < r->n && r->s[r->i + 1] == '"') {
                            r->i += 2;
                        } else {
                            r->i++;
                            break;
                        }
                    } else {
                        if (ch == '\n') r->nextln++;
                        r->i++;
                    }
                    if (o - start >= PJ_CSV_MAX_CELL) goto too_long;
                    r->buf[o++] = ch;
                }
                if (r->i < r->n && r->s[r->i] != ',' && r->s[r->i] != '\n' && r->s[r->i] != '\r')
                    return pj_fail(err, 422, "bad_csv", "csv",
                                   "line %d, field %d: text after a closing quote", r->line, r->nf);
            } else {
                while (r->i < r->n && r->s[r->i] != ',' && r->s[r->i] != '\n' &&
                       r->s[r->i] != '\r') {
                    if (r->s[r->i] == '"')
                        return pj_fail(err, 422, "bad_csv", "csv",
                                       "line %d, field %d: a quote inside an unquoted field",
                                       r->line, r->nf);
                    if (o - start >= PJ_CSV_MAX_CELL) goto too_long;
                    r->buf[o++] = r->s[r->i++];
                }
                if (o > start) blank = 0;
            }
            r->buf[o++] = 0;
            /* the export's guard against formulas ('=…, '+…, '-…, '@…, and ''=… for a text
             * that starts '=) read back as it was: one apostrophe less */
            if (r->buf[start] == '\'' &&
                (guarded(r->buf + start + 1) ||
                 (r->buf[start + 1] == '\'' && guarded(r->buf + start + 2))))
                r->f[r->nf - 1]++;
            if (r->i < r->n && r->s[r->i] == ',') {
                r->i++;
                continue;
            }
            break;
        }
        if (r->i < r->n && r->s[r->i] == '\r') r->i++;
        if (r->i < r->n && r->s[r->i] == '\n') r->i++;
        r->nextln++;
        if (blank) continue; /* no cell holds anything (",,,"): as a worksheet's empty row */
        return 1;
    }
too_long:
    return pj_fail(err, 422, "bad_csv", "csv", "line %d: a field is longer than %d bytes", r->line,
                   PJ_CSV_MAX_CELL);
}

int pj_sheet_csv(pj_arena *a, pj_sheet *r, const char *text, size_t len, pj_err *err)
{
    if (!pj_utf8_valid(text, len))
        return pj_fail(err, 422, "bad_csv", "csv",
                       "the CSV is not valid UTF-8 (GBK, as Excel saves \"CSV\" on a Chinese"
                       " Windows?): save it as \"CSV UTF-8\", or send the .xlsx workbook");
    /* a NUL is valid UTF-8 but no text: a cell holding one was cut short at it, silently (the
     * cells are C strings); a UTF-16 file ("Unicode Text") is mostly NULs */
    const char *nul = memchr(text, 0, len);
    if (nul) {
        int line = 1;
        for (const char *p = text; p < nul; p++) line += *p == '\n';
        return pj_fail(err, 422, "bad_csv", "csv",
                       "line %d: a NUL byte; the CSV must be UTF-8 text (save it as \"CSV UTF-8\")",
                       line);
    }
    memset(r, 0, sizeof *r);
    r->s = text, r->n = len, r->line = 1, r->nextln = 1;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        r->i = 3;
    /* cells of one record are at most the record's length plus terminators */
    size_t maxrec = len + PJ_CSV_MAX_COLS + 1;
    r->cap = maxrec < (1u << 20) ? maxrec : (1u << 20);
    r->buf = pj_arena_alloc(a, r->cap);
    r->next = csv_next;
    r->bad = "bad_csv", r->field = "csv";
    return 0;
}

int pj_sheet_xlsx(pj_arena *a, pj_sheet *r, const void *data, size_t len, int max_rows, pj_err *err)
{
    memset(r, 0, sizeof *r);
    /* the header row comes on top of max_rows */
    if (pj_xlsx_read(a, data, len, max_rows < INT32_MAX ? max_rows + 1 : max_rows, &r->x, err)) {
        if (err->status == 413)
            pj_fail(err, 413, "too_many_rows", "xlsx", "more than %d rows; split the file",
                    max_rows);
        return -1;
    }
    r->next = xlsx_next;
    r->bad = "bad_xlsx", r->field = "xlsx";
    return 0;
}

/* 1 when s holds only spaces and tabs (or nothing) */
static int blank_text(const char *s)
{
    return !s[strspn(s, " \t")];
}

int pj_sheet_header(pj_sheet *r, pj_err *err)
{
    while (r->nf > 0 && blank_text(r->f[r->nf - 1])) r->nf--;
    for (int j = 0; j < r->nf; j++)
        if (blank_text(r->f[j]))
            return pj_fail(err, 422, r->bad, r->field,
                           "line %d: column %d has no heading (name it, or delete the column)",
                           r->line, j + 1);
    return 0;
}

int pj_sheet_limit(pj_sheet *r, int max_rows, pj_err *err)
{
    pj_sheet at = *r;
    int n = 0, rc;
    while ((rc = pj_sheet_next(r, err)) == 1)
        if (++n > max_rows) {
            *r = at;
            return pj_fail(err, 413, "too_many_rows", r->field, "more than %d rows; split the file",
                           max_rows);
        }
    *r = at;
    if (rc < 0) return -1;
    if (!n)
        return pj_fail(err, 422, "no_rows", r->field,
                       "the table has its header and no rows: nothing to import");
    return 0;
}

void pj_rowerr_arg(pj_rowerr *re, const char *k, const char *v)
{
    if (re->n < PJ_ROWERR_ARGS) re->k[re->n] = k, re->v[re->n++] = v ? v : "";
}

int pj_sheet_formula_error(const pj_sheet *r, int j, const char *column, pj_rowerr *re)
{
    if (!r->ferr || j < 0 || j >= r->nf || !r->ferr[j]) return 0;
    re->reason = "formula_error";
    pj_rowerr_arg(re, "value", r->f[j]);
    return pj_fail(&re->e, 422, "bad_row", column,
                   "line %d, column %s: the cell holds the formula error %.30s", r->line, column,
                   r->f[j]);
}

void pj_rowerr_json(pj_jw *w, const pj_rowerr *re, int line)
{
    pj_jw_obj(w);
    pj_jw_kint(w, "line", line);
    pj_jw_kstr(w, "column", re->e.field);
    pj_jw_kstr(w, "code", re->e.code);
    pj_jw_kstr(w, "reason", re->reason);
    pj_jw_kstr(w, "message", re->e.message);
    pj_jw_key(w, "args");
    pj_jw_obj(w);
    for (int i = 0; i < re->n; i++) {
        /* a cell quoted whole could be 4 KiB (and six bytes an escaped byte): 200 bytes at most,
         * cut between characters, then … */
        const char *v = re->v[i];
        size_t n = strlen(v);
        char cut[PJ_ROWERR_ARG_MAX + 4];
        if (n > PJ_ROWERR_ARG_MAX) {
            n = PJ_ROWERR_ARG_MAX;
            while (n && ((unsigned char)v[n] & 0xC0) == 0x80) n--;
            memcpy(cut, v, n);
            memcpy(cut + n, "\xe2\x80\xa6", 4); /* … and the NUL */
            v = cut;
        }
        pj_jw_kstr(w, re->k[i], v);
    }
    pj_jw_obj_end(w);
    pj_jw_obj_end(w);
}

int pj_sheet_out_open(pj_sheet_out *o, const char *sheet, int64_t created, pj_err *err)
{
    char *tmp = getenv("TMPDIR");
    snprintf(o->path, sizeof o->path, "%s/pingji-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    o->wb = NULL, o->ws = NULL;
    int fd = mkstemp(o->path);
    if (fd < 0) return pj_fail(err, 500, "internal", "", "cannot create a temporary file");
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmp && *tmp ? tmp : NULL};
    o->wb = workbook_new_opt(o->path, &opt);
    lxw_doc_properties props = {.created = (time_t)created};
    if (o->wb && created > 0) workbook_set_properties(o->wb, &props);
    o->ws = o->wb ? workbook_add_worksheet(o->wb, sheet) : NULL;
    if (!o->ws) {
        if (o->wb) workbook_close(o->wb);
        o->wb = NULL;
        unlink(o->path);
        return pj_fail(err, 500, "internal", "", "cannot start the workbook");
    }
    return 0;
}

/* "_xHHHH_" at s: what a reader of ECMA-376's escapes takes for one character */
static int xstring_escape_at(const char *s)
{
    if (s[0] != '_' || s[1] != 'x') return 0;
    for (int i = 2; i < 6; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return 0;
    return s[6] == '_';
}

int pj_sheet_out_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s)
{
    size_t extra = 0, n = strlen(s);
    for (size_t i = 0; i < n; i++) extra += xstring_escape_at(s + i) ? 6 : 0;
    if (!extra) return worksheet_write_string(ws, row, col, s, NULL) == LXW_NO_ERROR ? 0 : -1;
    char *t = malloc(n + extra + 1);
    if (!t) return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (xstring_escape_at(s + i)) {
            memcpy(t + o, "_x005F", 6); /* its '_' escaped; the "x0041_" follows as it is */
            o += 6;
        }
        t[o++] = s[i];
    }
    t[o] = 0;
    int rc = worksheet_write_string(ws, row, col, t, NULL) == LXW_NO_ERROR ? 0 : -1;
    free(t);
    return rc;
}

int pj_sheet_out_close(pj_sheet_out *o, int rc, pj_buf *out, pj_err *err)
{
    if (workbook_close(o->wb) != LXW_NO_ERROR && rc == 0)
        rc = pj_fail(err, 500, "internal", "", "cannot write the workbook");
    o->wb = NULL;
    if (rc == 0) {
        FILE *fp = fopen(o->path, "rb");
        char buf[1 << 16];
        size_t k;
        while (fp && (k = fread(buf, 1, sizeof buf, fp)) > 0) pj_buf_add(out, buf, k);
        if (!fp) rc = pj_fail(err, 500, "internal", "", "cannot read the workbook back");
        if (fp) fclose(fp);
        if (rc == 0 && out->overflow)
            rc = pj_fail(err, 413, "too_large", "",
                         "the export is larger than the limit; filter it");
    }
    unlink(o->path);
    return rc;
}
