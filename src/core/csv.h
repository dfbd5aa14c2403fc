/* CSV reading (RFC 4180: quoted fields, doubled quotes, CRLF or LF) and writing. The reader
 * takes outside input: it is bounded and fuzzed (fuzz/fuzz_csv.c). */
#ifndef PJ_CSV_H
#define PJ_CSV_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

#define PJ_CSV_MAX_ROWS 10000
#define PJ_CSV_MAX_COLS 64
#define PJ_CSV_MAX_CELL 4096

typedef struct pj_csv {
    int nrows;
    int *ncols;    /* per row */
    char ***cells; /* cells[row][col], NUL-terminated, in the arena */
} pj_csv;

/* Parses text into out (all memory in a). 400 bad_csv with the row/column on malformed input
 * (an unclosed quote, text after a closing quote, limits, invalid UTF-8). Blank lines skip. */
int pj_csv_parse(pj_arena *a, const char *text, size_t len, pj_csv *out, pj_err *err);
/* Appends one field, quoted when needed, and a separator or line end. A text that begins like
 * a spreadsheet formula (=, +, -, @, tab, CR) and is not a number is written as '… so that
 * opening an export never runs what someone typed into a record. */
void pj_csv_field(pj_buf *out, const char *s, int last);
/* A cell as it was before pj_csv_field guarded it: '=…, '+…, '-…, '@… (and ''=… for a text
 * that started '=) lose one apostrophe; any other cell is returned as it is. Into s. */
char *pj_csv_unguarded(char *s);

#endif
