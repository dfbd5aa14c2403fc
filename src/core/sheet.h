/* The tables people upload, read row by row whatever they came as, and the pieces every import
 * of such a table shares: CSV text (a streaming RFC-4180 reader: the shared pj_csv_parse holds
 * the whole table and stops at 10,000 rows, while a yearly table may have 100,000) or the first
 * worksheet of an XLSX workbook (core/xlsx.c) through one interface; a bad row's error as the
 * imports answer it (line, column, stable reason and its particulars); and an XLSX workbook
 * written for an export. The statistics import (domain/indicator_import.c) and the facility
 * import (domain/registry_import.c) read through it. */
#ifndef PJ_SHEET_H
#define PJ_SHEET_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/json.h"
#include "core/xlsx.h"

typedef struct pj_sheet {
    int line;                 /* the line (CSV) or worksheet row (XLSX) of the current record */
    char *f[PJ_CSV_MAX_COLS]; /* its cells, f[0..nf) */
    int nf;
    const unsigned char *pct;  /* XLSX: per cell, 1 a number formatted as a percentage */
    const unsigned char *ferr; /* XLSX: per cell, 1 a failed formula's error value (#REF!) */
    const char *bad, *field;   /* error code and field of a malformed table: bad_csv / csv */
    /* the source: CSV text, or the rows of a worksheet */
    int (*next)(struct pj_sheet *r, pj_err *err);
    const char *s;
    size_t n, i;
    int nextln;
    char *buf; /* cell text, NUL-separated */
    size_t cap;
    pj_xlsx x;
    int xi;
} pj_sheet;

/* A CSV table: UTF-8 (anything else, e.g. Excel's GBK "CSV", is 422 bad_csv "the CSV is not
 * valid UTF-8"; a NUL byte, e.g. of a UTF-16 file, 422 bad_csv naming its line), a byte order
 * mark skipped. The reader undoes the CSV export's formula guard
 * (pj_csv_field): '=…, '+…, '-…, '@… read back with one apostrophe less. */
int pj_sheet_csv(pj_arena *a, pj_sheet *r, const char *text, size_t len, pj_err *err);
/* The first worksheet of a workbook: a header and up to max_rows rows (more: 413
 * too_many_rows "more than max_rows rows"; pj_xlsx_read's other errors). */
int pj_sheet_xlsx(pj_arena *a, pj_sheet *r, const void *data, size_t len, int max_rows,
                  pj_err *err);
/* The next record into r->f[0..nf), r->line its line. 1 a record, 0 the end, -1 malformed
 * (422 bad_csv naming the line). Blank lines and lines of empty cells only (",,") are skipped,
 * as a worksheet's empty rows. */
static inline int pj_sheet_next(pj_sheet *r, pj_err *err)
{
    return r->next(r, err);
}

/* The current record as a header: trailing empty headings dropped (a trailing comma, a
 * styled empty cell: a value under one is then a cell beyond the header); an empty heading
 * between others is 422 (bad_csv / bad_xlsx) naming its column. */
int pj_sheet_header(pj_sheet *r, pj_err *err);
/* Before any row is handled: 413 too_many_rows when more than max_rows records follow the
 * current one, 422 no_rows when none does (a header alone: an import that would report
 * success having done nothing), a malformed record its 422, else 0; the reader stays where
 * it was (the current record's cells may be overwritten: read the header first). */
int pj_sheet_limit(pj_sheet *r, int max_rows, pj_err *err);

/* Why a row is bad: the error (code bad_row, column as field, English message), a stable
 * reason a console translates, and that message's particulars by name (texts). */
#define PJ_ROWERR_ARGS 4
typedef struct pj_rowerr {
    pj_err e;
    const char *reason;
    const char *k[PJ_ROWERR_ARGS], *v[PJ_ROWERR_ARGS];
    int n;
} pj_rowerr;
void pj_rowerr_arg(pj_rowerr *re, const char *k, const char *v);
/* A cell of the current record holding no value but a failed formula's error (an XLSX error
 * cell: #REF!, #N/A, #VALUE!, #DIV/0!, #NAME?, #NULL!, #NUM!), which an import must not take
 * as text: -1 with the row's error in re (reason formula_error {value}, field column, "line 2,
 * column address: the cell holds the formula error #REF!"); 0 when cell j holds a value (a
 * CSV's text "#N/A" is text). */
int pj_sheet_formula_error(const pj_sheet *r, int j, const char *column, pj_rowerr *re);
/* {line, column, code, reason, message, args:{…}}: one bad row of an import's answer; an
 * argument longer than PJ_ROWERR_ARG_MAX bytes is cut there (between characters) and ends in …. */
#define PJ_ROWERR_ARG_MAX 200
void pj_rowerr_json(pj_jw *w, const pj_rowerr *re, int line);

/* An XLSX export: libxlsxwriter writes files only, so a temporary file (in $TMPDIR), read back
 * into out by pj_sheet_out_close and removed. */
typedef struct pj_sheet_out {
    char path[512];
    lxw_workbook *wb;
    lxw_worksheet *ws;
} pj_sheet_out;
/* A workbook with one worksheet named sheet (o->ws); 500 when it cannot be started. created:
 * the time the workbook says it was made (its properties and its zip entries' times), 0 for now;
 * the same rows and time give the same bytes, so that a HEAD's Content-Length is its GET's. */
int pj_sheet_out_open(pj_sheet_out *o, const char *sheet, int64_t created, pj_err *err);
/* Closes the workbook; when rc is 0, appends its bytes to out (413 too_large beyond out's
 * limit). Returns rc, or -1 when that fails. The temporary file is removed either way. */
int pj_sheet_out_close(pj_sheet_out *o, int rc, pj_buf *out, pj_err *err);
/* Text into a cell, read back as it is by core/xlsx.c and by Excel: libxlsxwriter writes the
 * characters XML cannot hold (a carriage return, a control character) as ECMA-376's _xHHHH_,
 * and this escapes a literal "_xHHHH_" in s (its '_' as _x005F_), which such readers would
 * otherwise take for one character. 0, or -1 when the cell could not be written. */
int pj_sheet_out_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s);

#endif
