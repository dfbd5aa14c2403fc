/* Reading the first worksheet of an XLSX workbook (Office Open XML, ECMA-376) into rows of
 * text cells, the shape the CSV readers give: shared strings, inline strings, numbers as
 * written, booleans, and numbers formatted as dates turned into YYYY-MM-DD (YYYY-MM or YYYY when
 * the format shows no day or month); numbers formatted as percentages are flagged (percent), and
 * so are a failed formula's error values (error: the reader's callers refuse them). Takes
 * outside input: every unpacked part is bounded (zip bomb guard), XML with a DTD is refused, and it
 * is fuzzed (fuzz/fuzz_xlsx.c). Unzip: minizip over the bytes in memory; XML: expat, streamed. */
#ifndef PJ_XLSX_H
#define PJ_XLSX_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define PJ_XLSX_MAX_PART    (64u << 20) /* bytes of one unpacked part (a sheet, the strings) */
#define PJ_XLSX_MAX_TOTAL   (96u << 20) /* bytes unpacked in all */
#define PJ_XLSX_MAX_COLS    64
#define PJ_XLSX_MAX_CELL    4096
#define PJ_XLSX_MAX_STRINGS 2000000

typedef struct pj_xlsx_row {
    int line;  /* the worksheet's row number (1 = the first row) */
    int ncols; /* cells[0..ncols), "" where the sheet has no cell */
    char **cells;
    /* percent[i] 1 when cells[i] is a number whose format shows it as a percentage: the cell
     * holds 0.062 and shows 6.2% (the text is the number held) */
    unsigned char *percent;
    /* error[i] 1 when cells[i] is an error value, not a value: a formula that failed (an error
     * cell, t="e"), cells[i] the error Excel shows (#REF!, #N/A, #VALUE!, #DIV/0!, #NAME?,
     * #NULL!, #NUM!, …) */
    unsigned char *error;
} pj_xlsx_row;

typedef struct pj_xlsx {
    int nrows; /* rows with at least one non-empty cell, in sheet order */
    pj_xlsx_row *rows;
} pj_xlsx;

/* 1 when the bytes start like a zip archive (an XLSX file), else 0. */
int pj_xlsx_sniff(const void *data, size_t len);

/* Reads the first worksheet; all memory in a. More than max_rows rows: 413 too_many_rows.
 * Anything else wrong: 422 bad_xlsx with a message naming the part and what is wrong (not a
 * zip, no worksheet, a part unpacking beyond the limits, malformed XML, a shared-string index
 * out of range, limits of columns and cell length). */
int pj_xlsx_read(pj_arena *a, const void *data, size_t len, int max_rows, pj_xlsx *out,
                 pj_err *err);

#endif
