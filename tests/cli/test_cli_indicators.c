/* `pingji indicator export` from the command line: CSV to standard output or a file, an XLSX
 * workbook (--format xlsx, or an --out file ending in .xlsx) that the project's own XLSX reader
 * opens and that holds the same rows and values as the CSV, and a bad format refused. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/xlsx.h"
#include "t.h"
#include "th.h"

/* The whole file, NUL-terminated; *len its size (NULL when unreadable). Caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    fclose(f);
    b[got] = 0;
    *len = got;
    return b;
}

/* Compares the workbook's rows with the CSV's: same row count and header, every cell the same
 * text (empty cells at a row's end count as ""), the value column the same number (the workbook
 * keeps numbers as numbers; its writer's 16 significant digits may drop the 17th). Returns the
 * number of data rows, -1 on a mismatch. */
static int same_rows(const char *csv_text, const char *xlsx, size_t xlen)
{
    pj_arena a;
    pj_arena_init(&a, 1 << 20);
    pj_err err;
    pj_err_clear(&err);
    pj_csv c;
    pj_xlsx x;
    int rc = -1;
    if (pj_csv_parse(&a, csv_text, strlen(csv_text), &c, &err)) {
        t_fail(__FILE__, __LINE__, "CSV: %s", err.message);
        goto out;
    }
    if (pj_xlsx_read(&a, xlsx, xlen, 1000000, &x, &err)) {
        t_fail(__FILE__, __LINE__, "XLSX: %s", err.message);
        goto out;
    }
    if (x.nrows != c.nrows) {
        t_fail(__FILE__, __LINE__, "XLSX has %d rows, CSV %d", x.nrows, c.nrows);
        goto out;
    }
    int vcol = -1;
    for (int j = 0; j < c.ncols[0]; j++)
        if (!strcmp(c.cells[0][j], "value")) vcol = j;
    if (vcol < 0) {
        t_fail(__FILE__, __LINE__, "no value column in the CSV header");
        goto out;
    }
    for (int i = 0; i < c.nrows; i++) {
        /* a workbook row ends at its last cell with a value: empty ones after it are "" */
        int nc = c.ncols[i] > x.rows[i].ncols ? c.ncols[i] : x.rows[i].ncols;
        for (int j = 0; j < nc; j++) {
            const char *xv = j < x.rows[i].ncols ? x.rows[i].cells[j] : "",
                       *cv = j < c.ncols[i] ? c.cells[i][j] : "";
            if (!strcmp(xv, cv)) continue;
            double dx = strtod(xv, NULL), dc = strtod(cv, NULL);
            if (i > 0 && j == vcol && fabs(dx - dc) <= 1e-15 * fabs(dc)) continue;
            t_fail(__FILE__, __LINE__, "row %d column %d: XLSX '%s', CSV '%s'", i + 1, j + 1, xv,
                   cv);
            goto out;
        }
    }
    rc = c.nrows - 1;
out:
    pj_arena_free(&a);
    return rc;
}

TEST_T(cli_indicator_export_csv_and_xlsx, 120)
{
    struct {
        char out[4 << 20], csv[4 << 20], zh[4 << 20];
    } *b = th_scratch(sizeof *b);
    char db[600], fx[600], fc[600], fu[600], fbad[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(fx, sizeof fx, "%s/values.xlsx", t_tmpdir());
    snprintf(fu, sizeof fu, "%s/VALUES.XLSX", t_tmpdir());
    snprintf(fc, sizeof fc, "%s/values.csv", t_tmpdir());
    snprintf(fbad, sizeof fbad, "%s/no-such-dir/values.xlsx", t_tmpdir());
    CHECK_INT(RUN(b->out, "init", "--db", db), 0);
    CHECK_INT(RUN(b->out, "indicator", "demo", "--db", db), 0);

    /* CSV to standard output, as before */
    CHECK_INT(RUN(b->csv, "indicator", "export", "--db", db), 0);
    CHECK(strncmp(b->csv, "code,", 5) == 0);
    CHECK(strstr(b->csv, "agri_output") != NULL);

    /* --format xlsx --out FILE: a workbook with the CSV's rows and values */
    CHECK_INT(RUN(b->out, "indicator", "export", "--format", "xlsx", "--out", fx, "--db", db), 0);
    CHECK(strstr(b->out, "\"format\": \"xlsx\"") != NULL);
    size_t n = 0;
    char *x = slurp(fx, &n);
    CHECK(x != NULL);
    CHECK(pj_xlsx_sniff(x, n));
    int rows = same_rows(b->csv, x, n);
    CHECK(rows > 50);
    free(x);

    /* the format inferred from the file name (any case); filters as for CSV */
    char csv1[1 << 16];
    CHECK_INT(RUN(csv1, "indicator", "export", "--code", "agri_output", "--db", db), 0);
    CHECK_INT(RUN(b->out, "indicator", "export", "--code", "agri_output", "--out", fu, "--db", db),
              0);
    CHECK(strstr(b->out, "\"format\": \"xlsx\"") != NULL);
    x = slurp(fu, &n);
    CHECK(x != NULL && pj_xlsx_sniff(x, n));
    int rows1 = same_rows(csv1, x, n);
    CHECK(rows1 > 0 && rows1 < rows);
    free(x);

    /* CSV to a file: the same bytes as to standard output; an explicit format wins */
    CHECK_INT(RUN(b->out, "indicator", "export", "--out", fc, "--db", db), 0);
    CHECK(strstr(b->out, "\"format\": \"csv\"") != NULL);
    char *c = slurp(fc, &n);
    CHECK(c != NULL);
    CHECK_STR(c, b->csv);
    free(c);
    /* fc holds the CSV already: refused, then replaced with --force */
    CHECK_INT(RUN(b->out, "indicator", "export", "--format", "csv", "--out", fc, "--db", db), 1);
    CHECK(strstr(b->out, "already exists") != NULL);
    CHECK_INT(
        RUN(b->out, "indicator", "export", "--format", "csv", "--out", fc, "--force", "--db", db),
        0);
    c = slurp(fc, &n);
    CHECK(c != NULL && !pj_xlsx_sniff(c, n) && !strcmp(c, b->csv));
    free(c);
    /* a format against the file's name is refused, exit 2, as facility export's — regression:
     * --format csv --out F.xlsx wrote CSV under a name a spreadsheet opens as a workbook, and
     * --format xlsx --out F.csv a workbook named .csv */
    CHECK_INT(
        RUN(b->out, "indicator", "export", "--format", "csv", "--out", fx, "--force", "--db", db),
        2);
    CHECK(strstr(b->out, "writes CSV, not a workbook") != NULL);
    CHECK_INT(
        RUN(b->out, "indicator", "export", "--format", "xlsx", "--out", fc, "--force", "--db", db),
        2);
    CHECK(strstr(b->out, "writes a workbook, not CSV") != NULL);
    c = slurp(fx, &n); /* untouched: the workbook */
    CHECK(c != NULL && pj_xlsx_sniff(c, n));
    free(c);

    /* --headings zh: the Chinese headings the import reads over the same rows */
    CHECK_INT(RUN(b->zh, "indicator", "export", "--headings", "zh", "--db", db), 0);
    CHECK(!strncmp(b->zh, "指标代码,地区,期间,数值,单位,来源,备注",
                   strlen("指标代码,地区,期间,数值,单位,来源,备注")));
    CHECK(strchr(b->zh, '\n') && strchr(b->csv, '\n'));
    CHECK_STR(strchr(b->zh, '\n'), strchr(b->csv, '\n'));
    CHECK_INT(RUN(b->out, "indicator", "export", "--headings", "ZH", "--db", db), 2);
    CHECK(strstr(b->out, "--headings takes en, zh") != NULL);

    /* a bad format, an empty --out, an unwritable file: a message and a non-zero exit */
    CHECK_INT(RUN(b->out, "indicator", "export", "--format", "ods", "--out", fx, "--db", db), 2);
    CHECK(strstr(b->out, "unknown export format 'ods'") != NULL);
    c = slurp(fx, &n); /* the earlier file is untouched */
    CHECK(c != NULL && pj_xlsx_sniff(c, n));
    free(c);
    CHECK_INT(RUN(b->out, "indicator", "export", "--format", "xlsx", "--out", "", "--db", db), 2);
    CHECK_INT(RUN(b->out, "indicator", "export", "--out", fbad, "--db", db), 1);
    CHECK(strstr(b->out, "cannot write") != NULL);
}
