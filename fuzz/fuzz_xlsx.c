/* libFuzzer target for the XLSX reader (statistics imports): any bytes are read or refused
 * cleanly, within the limits, and every row read has its cells in bounds and in order, each
 * valid UTF-8 (ECMA-376's _xHHHH_ escapes decoded never make a surrogate half or a NUL), and a
 * cell flagged as a failed formula's error holds the error's text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pj_arena a;
    pj_arena_init(&a, 8192);
    pj_xlsx x;
    pj_err e = {0};
    if (pj_xlsx_read(&a, data, size, 1000, &x, &e) == 0) {
        int last = 0;
        for (int r = 0; r < x.nrows; r++) {
            const pj_xlsx_row *row = &x.rows[r];
            if (row->line <= last || row->ncols < 1 || row->ncols > PJ_XLSX_MAX_COLS) abort();
            last = row->line;
            for (int c = 0; c < row->ncols; c++)
                if (strlen(row->cells[c]) > PJ_XLSX_MAX_CELL * 2 ||
                    !pj_utf8_valid(row->cells[c], strlen(row->cells[c])) ||
                    (row->error[c] && !row->cells[c][0])) /* an error value names its error */
                    abort();
        }
    } else if (e.status != 413 && e.status != 422) {
        abort();
    }
    pj_arena_free(&a);
    return 0;
}
