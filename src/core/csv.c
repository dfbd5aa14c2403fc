#include "core/csv.h"

#include <string.h>

#include "core/util.h"

#include "core/banned.h"

int pj_csv_parse(pj_arena *a, const char *s, size_t n, pj_csv *out, pj_err *err)
{
    memset(out, 0, sizeof *out);
    if (!pj_utf8_valid(s, n))
        return pj_fail(err, 400, "bad_csv", "csv",
                       "the CSV is not valid UTF-8 (GBK, as Excel saves \"CSV\" on a Chinese"
                       " Windows?): save it as \"CSV UTF-8\" and send it again");
    int cap = 64;
    out->ncols = pj_arena_alloc(a, sizeof(int) * (size_t)cap);
    out->cells = pj_arena_alloc(a, sizeof(char **) * (size_t)cap);
    char *cell = pj_arena_alloc(a, PJ_CSV_MAX_CELL + 1);
    char *row[PJ_CSV_MAX_COLS];
    size_t i = 0;
    int line = 1;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        i = 3; /* a UTF-8 byte-order mark, as spreadsheet programs write it */
    while (i < n) {
        int ncol = 0, blank = 1;
        for (;;) { /* one field */
            size_t len = 0;
            if (i < n && s[i] == '"') {
                int opened = line; /* named where it opened: the text may end lines later */
                blank = 0;
                i++;
                for (;;) {
                    if (i >= n)
                        return pj_fail(err, 400, "bad_csv", "csv",
                                       "line %d, field %d: unclosed quote", opened, ncol + 1);
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            i += 2;
                            if (len == PJ_CSV_MAX_CELL) goto too_long;
                            cell[len++] = '"';
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (s[i] == '\n') line++;
                    if (len == PJ_CSV_MAX_CELL) goto too_long;
                    cell[len++] = s[i++];
                }
                if (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                    return pj_fail(err, 400, "bad_csv", "csv",
                                   "line %d, field %d: text after a closing quote", line, ncol + 1);
            } else {
                while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
                    if (s[i] == '"')
                        return pj_fail(err, 400, "bad_csv", "csv",
                                       "line %d, field %d: a quote inside an unquoted field", line,
                                       ncol + 1);
                    if (len == PJ_CSV_MAX_CELL) goto too_long;
                    cell[len++] = s[i++];
                }
                if (len) blank = 0;
            }
            if (ncol == PJ_CSV_MAX_COLS)
                return pj_fail(err, 400, "bad_csv", "csv", "line %d: more than %d fields", line,
                               PJ_CSV_MAX_COLS);
            row[ncol++] = pj_arena_strndup(a, cell, len);
            if (i < n && s[i] == ',') {
                i++;
                blank = 0;
                continue;
            }
            break;
        }
        if (i < n && s[i] == '\r') i++;
        if (i < n && s[i] == '\n') i++;
        line++;
        if (blank && ncol == 1) continue;
        if (out->nrows == PJ_CSV_MAX_ROWS)
            return pj_fail(err, 400, "bad_csv", "csv", "more than %d rows", PJ_CSV_MAX_ROWS);
        if (out->nrows == cap) {
            int ncap = cap * 2;
            int *nc = pj_arena_alloc(a, sizeof(int) * (size_t)ncap);
            char ***nce = pj_arena_alloc(a, sizeof(char **) * (size_t)ncap);
            memcpy(nc, out->ncols, sizeof(int) * (size_t)cap);
            memcpy(nce, out->cells, sizeof(char **) * (size_t)cap);
            out->ncols = nc;
            out->cells = nce;
            cap = ncap;
        }
        out->ncols[out->nrows] = ncol;
        out->cells[out->nrows] = pj_arena_alloc(a, sizeof(char *) * (size_t)ncol);
        memcpy(out->cells[out->nrows], row, sizeof(char *) * (size_t)ncol);
        out->nrows++;
    }
    return 0;
too_long:
    return pj_fail(err, 400, "bad_csv", "csv", "line %d: a field is longer than %d bytes", line,
                   PJ_CSV_MAX_CELL);
}

char *pj_csv_unguarded(char *s)
{
    static const char guards[] = "=+-@\t\r";
    if (s && s[0] == '\'' &&
        ((s[1] && strchr(guards, s[1])) || (s[1] == '\'' && s[2] && strchr(guards, s[2]))))
        return s + 1;
    return s;
}

void pj_csv_field(pj_buf *out, const char *s, int last)
{
    if (!s) s = "";
    /* a text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
     * apostrophe; numbers ("-3.5", "+1") stay as they are */
    double num;
    int formula = strchr("=+-@\t\r", s[0]) && s[0] && pj_parse_double(s, &num);
    /* a text that starts like a guarded one ('=…) gets one too: a reader that drops the guard's
     * apostrophe (the indicator import) gets it back as it was */
    if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1])) formula = 1;
    if (formula || strpbrk(s, ",\"\r\n")) {
        pj_buf_putc(out, '"');
        if (formula) pj_buf_putc(out, '\'');
        for (const char *p = s; *p; p++) {
            if (*p == '"') pj_buf_putc(out, '"');
            pj_buf_putc(out, *p);
        }
        pj_buf_putc(out, '"');
    } else {
        pj_buf_puts(out, s);
    }
    pj_buf_puts(out, last ? "\r\n" : ",");
}
