/* libFuzzer target: the CSV reader (manual import). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pj_arena a;
    pj_arena_init(&a, 8192);
    pj_csv csv;
    pj_err e = {0};
    if (pj_csv_parse(&a, (const char *)data, size, &csv, &e) == 0)
        for (int r = 0; r < csv.nrows; r++)
            for (int c = 0; c < csv.ncols[r]; c++) (void)strlen(csv.cells[r][c]);
    pj_arena_free(&a);
    return 0;
}
