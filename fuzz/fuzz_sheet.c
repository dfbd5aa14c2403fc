/* libFuzzer target: the table reader of the imports (core/sheet.c), CSV text read record by
 * record as the statistics and facility imports read it: every record's cells within the
 * limits and NUL-terminated, the line numbers never going back; a table with a NUL byte is
 * refused, never read with a cell cut short at it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pj_arena a;
    pj_arena_init(&a, 8192);
    pj_sheet r;
    pj_err e = {0};
    if (pj_sheet_csv(&a, &r, (const char *)data, size, &e) == 0) {
        if (memchr(data, 0, size)) abort(); /* a NUL would cut a cell short */
        int rc, last = 0;
        while ((rc = pj_sheet_next(&r, &e)) == 1) {
            if (r.nf < 1 || r.nf > PJ_CSV_MAX_COLS || r.line < last) abort();
            last = r.line;
            for (int k = 0; k < r.nf; k++)
                if (strlen(r.f[k]) > PJ_CSV_MAX_CELL) abort();
        }
        if (rc < 0 && strcmp(e.code, "bad_csv")) abort();
    }
    pj_arena_free(&a);
    return 0;
}
