/* XLSX import and export of indicator values: a round trip gives the same values, one bad row
 * among many imports nothing and names its row, a corrupt, malformed or bomb-like file is a
 * 422 with a clear message and writes nothing. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/buf.h"
#include "core/util.h"
#include "core/xlsx.h"
#include "domain/indicator.h"
#include "t.h"
#include "th.h"

#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static pj_db *db_open(th_server *s)
{
    pj_db *db;
    pj_err err;
    pj_err_clear(&err);
    if (pj_db_open(&db, s->db, &err)) t_fail(__FILE__, __LINE__, "db: %s", err.message);
    return db;
}

/* Every value as text, to 15 significant digits (what a spreadsheet keeps). */
static char *values_text(th_server *s)
{
    pj_db *db = db_open(s);
    pj_stmt *q = pj_db_prepare(db,
                               "SELECT group_concat(x, ';') FROM (SELECT i.code || '|' || v.region"
                               " || '|' || v.period || '|' || printf('%.15g', v.value) || '|' ||"
                               " v.source AS x FROM indicator_values v JOIN indicators i ON i.id ="
                               " v.indicator_id ORDER BY 1)",
                               NULL);
    CHECK(q && pj_stmt_step(q, NULL) == 1);
    char *out = strdup(pj_col_text(q, 0) ? pj_col_text(q, 0) : "");
    pj_stmt_done(q);
    pj_db_close(db);
    return out;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) t_fail(__FILE__, __LINE__, "cannot read %s", path);
    pj_buf b;
    pj_buf_init(&b, 256u << 20);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) pj_buf_add(&b, chunk, k);
    fclose(f);
    *n = b.len;
    return b.data;
}

/* A zip holding one part with the given bytes (repeated `times`), as a malformed workbook. */
static char *zip_one(const char *part, const char *data, size_t len, int times, size_t *n)
{
    char path[700];
    snprintf(path, sizeof path, "%s/crafted.xlsx", t_tmpdir());
    zipFile z = zipOpen64(path, 0);
    CHECK(z != NULL);
    CHECK(zipOpenNewFileInZip64(z, part, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 1, 1) == ZIP_OK);
    for (int i = 0; i < times; i++) CHECK(zipWriteInFileInZip(z, data, (unsigned)len) == ZIP_OK);
    CHECK(zipCloseFileInZip(z) == ZIP_OK);
    CHECK(zipClose(z, NULL) == ZIP_OK);
    return slurp(path, n);
}

/* A workbook of one worksheet (sheet's XML) and, when styles is not NULL, its styles part,
 * read by pj_xlsx_read into x (memory in a); 0, or -1 with err set. */
static int read_sheet(pj_arena *a, const char *styles, const char *sheet, pj_xlsx *x, pj_err *err)
{
    size_t n;
    char *wb = th_xlsx_book(styles, sheet, &n);
    int rc = pj_xlsx_read(a, wb, n, 10, x, err);
    free(wb);
    return rc;
}

static json_t *upload(th_server *s, const char *tok, const char *path, const char *ctype,
                      const char *data, size_t n, int want)
{
    json_t *o = NULL;
    int st = th_call_raw(s, "POST", path, tok, data, (long)n, ctype, &o, NULL, 0);
    if (st != want)
        t_fail(__FILE__, __LINE__, "POST %s: %d, expected %d (%s)", path, st, want,
               o ? json_string_value(json_object_get(json_object_get(o, "error"), "message"))
                 : "-");
    return o;
}

static const char *err_msg(json_t *o)
{
    return json_string_value(json_object_get(json_object_get(o, "error"), "message"));
}

TEST_T(indicator_xlsx_round_trip_bad_row_and_corrupt_files, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    /* the demo's values, exported as XLSX */
    th_ctx t;
    th_ctx_open(&s, &t, "test", PJ_ROLE_ADMIN);
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_indicators_demo(&t.c, 7, &err), 0);
    pj_buf x;
    pj_buf_init(&x, 64 << 20);
    pj_value_filter all = {0};
    CHECK_INT(pj_ind_export_xlsx(&t.c, &all, 0, &x, &err), 0);
    CHECK(pj_xlsx_sniff(x.data, x.len));
    th_ctx_close(&t);
    char *before = values_text(&s);
    long long nvalues = th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values");
    CHECK(nvalues > 50);

    /* round trip: with every value gone, importing the export brings them all back */
    th_sql_exec(&s, "DELETE FROM indicator_revisions; DELETE FROM indicator_values");
    json_t *o = upload(&s, tok, "/api/v1/indicators/import?dry_run=1", XLSX, x.data, x.len, 200);
    CHECK_INT(th_int(o, "rows"), nvalues);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "preview"), 0), "line"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values"), 0); /* a preview */
    o = upload(&s, tok, "/api/v1/indicators/import", "application/octet-stream", x.data, x.len,
               200);
    CHECK_INT(th_int(o, "inserted"), nvalues);
    json_decref(o);
    char *after = values_text(&s);
    CHECK_STR(after, before);
    free(after);
    /* again: nothing changes (values equal to the last bit that spreadsheets keep) */
    o = upload(&s, tok, "/api/v1/indicators/import", XLSX, x.data, x.len, 200);
    CHECK_INT(th_int(o, "unchanged"), nvalues);
    json_decref(o);
    /* a hand-written, indented workbook: whitespace between elements is not cell text; rich
     * text runs join, phonetic guides are left out, a period cell formatted yyyy-mm */
    static const char *const names[] = {"xl/styles.xml", "xl/sharedStrings.xml",
                                        "xl/worksheets/sheet1.xml"};
    static const char *const texts[] = {
        "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\"/></numFmts>"
        "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>",
        "<sst>\n <si>\n  <r><t>g</t></r>\n  <r><t>dp</t></r>\n  <rPh><t>ジ</t></rPh>\n "
        "</si>\n</sst>",
        "<worksheet><sheetData>\n <row r=\"1\">\n  <c r=\"A1\" t=\"inlineStr\">\n   <is>\n"
        "    <t>code</t>\n   </is>\n  </c>\n  <c r=\"B1\" t=\"inlineStr\"><is><t>period</t></is>"
        "</c>\n  <c r=\"C1\" t=\"inlineStr\"><is><t>value</t></is></c>\n </row>\n"
        " <row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" s=\"1\"><v>45444</v></c>"
        "<c r=\"C2\"><v>1.5</v></c></row>\n</sheetData></worksheet>"};
    size_t hn;
    char *hand = th_zip_parts(names, texts, 3, &hn);
    o = upload(&s, tok, "/api/v1/indicators/import?dry_run=1", XLSX, hand, hn, 200);
    json_t *p0 = json_array_get(json_object_get(o, "preview"), 0);
    CHECK_STR(th_str(p0, "code"), "gdp");
    CHECK_STR(th_str(p0, "period"), "2024-06"); /* serial 45444 = 2024-06-01, shown yyyy-mm */
    CHECK_INT(th_int(p0, "line"), 2);
    json_decref(o);
    free(hand);
    /* the same as JSON with the workbook in base64 */
    size_t b64n = sodium_base64_encoded_len(x.len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64n);
    sodium_bin2base64(b64, b64n, (const unsigned char *)x.data, x.len,
                      sodium_base64_VARIANT_ORIGINAL);
    char *body = malloc(b64n + 64);
    snprintf(body, b64n + 64, "{\"xlsx\":\"%s\",\"dry_run\":true}", b64);
    o = upload(&s, tok, "/api/v1/indicators/import", "application/json", body, strlen(body), 200);
    CHECK_INT(th_int(o, "rows"), nvalues);
    json_decref(o);
    free(b64);
    free(body);

    /* one bad row among 3,000 (row 2,500 of the sheet): nothing imported, that row named */
    char fingerprint[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fingerprint, sizeof fingerprint);
    char path[700];
    snprintf(path, sizeof path, "%s/bad.xlsx", t_tmpdir());
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *head[] = {"code", "region", "period", "value", "source"};
    for (int k = 0; k < 5; k++) worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], NULL);
    for (int r = 1; r <= 3000; r++) {
        /* a month per row, 1900-01 … 2024-12 of two districts (no value is for a period
         * to come) */
        char per[12];
        int k = (r - 1) % 1500;
        snprintf(per, sizeof per, "%d-%02d", 1900 + k / 12, k % 12 + 1);
        worksheet_write_string(ws, (lxw_row_t)r, 0, "gdp", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, r <= 1500 ? "平谷区" : "密云区", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 2, per, NULL);
        if (r == 2499)
            worksheet_write_string(ws, (lxw_row_t)r, 3, "4.2.1", NULL);
        else
            worksheet_write_number(ws, (lxw_row_t)r, 3, 100.5 + r, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 4, "统计局", NULL);
    }
    CHECK(workbook_close(wb) == LXW_NO_ERROR);
    size_t bn;
    char *bad = slurp(path, &bn);
    o = upload(&s, tok, "/api/v1/indicators/import", XLSX, bad, bn, 422);
    CHECK_STR(th_err_code(o), "bad_row");
    CHECK(strstr(err_msg(o), "line 2500, column value") != NULL);
    CHECK(strstr(err_msg(o), "1 bad row of 3000, nothing imported") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp2, sizeof fp2);
    CHECK_STR(fp2, fingerprint);
    o = upload(&s, tok, "/api/v1/indicators/import?dry_run=1", XLSX, bad, bn, 200);
    CHECK_INT(th_int(o, "bad_rows"), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "errors"), 0), "line"), 2500);
    json_decref(o);
    free(bad);

    /* a cut-off file, malformed XML, a document type (entity expansion), a zip bomb */
    o = upload(&s, tok, "/api/v1/indicators/import", XLSX, x.data, x.len / 2, 422);
    CHECK_STR(th_err_code(o), "bad_xlsx");
    CHECK(strstr(err_msg(o), "not an XLSX file") != NULL);
    json_decref(o);
    size_t zn;
    const char *broken = "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>code";
    char *z = zip_one("xl/worksheets/sheet1.xml", broken, strlen(broken), 1, &zn);
    o = upload(&s, tok, "/api/v1/indicators/import", XLSX, z, zn, 422);
    CHECK(strstr(err_msg(o), "xl/worksheets/sheet1.xml: malformed XML") != NULL);
    json_decref(o);
    free(z);
    const char *dtd = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet/>";
    z = zip_one("xl/worksheets/sheet1.xml", dtd, strlen(dtd), 1, &zn);
    o = upload(&s, tok, "/api/v1/indicators/import", XLSX, z, zn, 422);
    CHECK(strstr(err_msg(o), "document type declaration is not allowed") != NULL);
    json_decref(o);
    free(z);
    char zeros[1 << 20] = {0};
    memset(zeros, ' ', sizeof zeros);
    z = zip_one("xl/worksheets/sheet1.xml", zeros, sizeof zeros, 100, &zn);
    CHECK(zn < 1000000); /* 100 MiB packed small */
    o = upload(&s, tok, "/api/v1/indicators/import", XLSX, z, zn, 422);
    CHECK(strstr(err_msg(o), "unpacks to more than the limit") != NULL);
    json_decref(o);
    free(z);
    o = upload(&s, tok, "/api/v1/indicators/import", "image/png", "xyz", 3, 415);
    json_decref(o);
    th_fingerprint(&s, fp2, sizeof fp2);
    CHECK_STR(fp2, fingerprint);

    /* export: the content type, and a format that does not exist */
    char hdr[2048];
    CHECK_INT(th_call_raw(&s, "GET", "/api/v1/indicators/export?format=xlsx", tok, NULL, -1, NULL,
                          NULL, hdr, sizeof hdr),
              200);
    CHECK(strstr(hdr, XLSX) != NULL);
    CHECK_INT(th_call(&s, "GET", "/api/v1/indicators/export?format=ods", tok, NULL, NULL), 400);
    free(before);
    pj_buf_free(&x);
    th_stop(&s);
}

/* Regression: a cell formatted as a percentage holds 0.062 and shows 6.2 %; an indicator in %
 * takes the 6.2 shown (it took 0.062, 100 times too small). Built-in formats 0% and 0.00%, a
 * custom 0.0%; a format with a literal "%" shows the number as it is and is not scaled; an
 * indicator in another unit keeps the number the cell holds. */
TEST_T(indicator_xlsx_percent_cells_into_percent_indicators, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    th_ctx t;
    th_ctx_open(&s, &t, "test", PJ_ROLE_ADMIN);
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_indicators_demo(&t.c, 7, &err), 0);
    th_ctx_close(&t);
    /* xf 0 general, 1 built-in 10 (0.00%), 2 custom 0.0%, 3 custom 0.0"%", 4 built-in 9 (0%) */
    static const char *const names[] = {"xl/styles.xml", "xl/worksheets/sheet1.xml"};
    static const char *const texts[] = {
        "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"0.0&quot;%&quot;\"/></numFmts>"
        "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"10\"/><xf numFmtId=\"164\"/>"
        "<xf numFmtId=\"165\"/><xf numFmtId=\"9\"/></cellXfs></styleSheet>",
        "<worksheet><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>code</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>period</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>value</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>gdp_growth</t></is></c>"
        "<c r=\"B2\" t=\"inlineStr\"><is><t>2024</t></is></c><c r=\"C2\" s=\"1\"><v>0.062</v></c>"
        "</row>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>gdp_growth</t></is></c>"
        "<c r=\"B3\" t=\"inlineStr\"><is><t>2025</t></is></c><c r=\"C3\" s=\"2\"><v>5.5E-2</v></c>"
        "</row>"
        "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>gdp_growth</t></is></c>"
        "<c r=\"B4\" t=\"inlineStr\"><is><t>2026</t></is></c><c r=\"C4\" s=\"3\"><v>4.9</v></c>"
        "</row>"
        "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>land_transfer_rate</t></is></c>"
        "<c r=\"B5\" t=\"inlineStr\"><is><t>2025</t></is></c><c r=\"C5\" s=\"4\"><v>0.8</v></c>"
        "</row>"
        "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>gdp</t></is></c>"
        "<c r=\"B6\" t=\"inlineStr\"><is><t>1930</t></is></c><c r=\"C6\" s=\"1\"><v>0.5</v></c>"
        "</row>"
        /* a share computed in the workbook: 100 % on screen, 1.0000000000000002 in the cell
         * (was out of the share's 0–100) */
        "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>land_transfer_rate</t></is></c>"
        "<c r=\"B7\" t=\"inlineStr\"><is><t>2021</t></is></c><c r=\"C7\" s=\"4\">"
        "<v>1.0000000000000002</v></c></row>"
        "</sheetData></worksheet>"};
    size_t n;
    char *wb = th_zip_parts(names, texts, 2, &n);
    json_t *o = upload(&s, tok, "/api/v1/indicators/import", XLSX, wb, n, 200);
    CHECK_INT(th_int(o, "inserted"), 6);
    json_decref(o);
    free(wb);
    static const struct {
        const char *code, *period;
        double v;
    } want[] = {{"land_transfer_rate", "2021", 100}, {"gdp_growth", "2024", 6.2},
                {"gdp_growth", "2025", 5.5},         {"gdp_growth", "2026", 4.9},
                {"land_transfer_rate", "2025", 80},  {"gdp", "1930", 0.5}};
    pj_db *db = db_open(&s);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pj_stmt *q = pj_db_prepare(db,
                                   "SELECT v.value FROM indicator_values v JOIN indicators i ON"
                                   " i.id = v.indicator_id WHERE i.code = ? AND v.period = ?",
                                   NULL);
        CHECK(q != NULL);
        pj_stmt_text(q, 1, want[i].code);
        pj_stmt_text(q, 2, want[i].period);
        CHECK_INT(pj_stmt_step(q, NULL), 1);
        double v = pj_col_double(q, 0);
        pj_stmt_done(q);
        if (v != want[i].v) /* exactly the decimal shown, not 0.062 * 100 */
            t_fail(__FILE__, __LINE__, "%s %s: %.17g, expected %g", want[i].code, want[i].period, v,
                   want[i].v);
    }
    pj_db_close(db);
    th_stop(&s);
}

/* Regression: a workbook saved by LibreOffice styles its cells with a custom format named
 * "General"; its letter e was taken for the era's year, so every number read as a year
 * (2 → "1900") and a facility import's id 2 updated facility 1900. "General" (also after a
 * locale), scientific 0.00e+00 are plain; yyyy and the era's e stay years. */
TEST(xlsx_general_and_scientific_formats_are_plain)
{
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_xlsx x;
    pj_err err;
    pj_err_clear(&err);
    if (read_sheet(&a,
                   "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"General\"/>"
                   "<numFmt numFmtId=\"165\" formatCode=\"[$-804]GENERAL\"/>"
                   "<numFmt numFmtId=\"166\" formatCode=\"0.00e+00\"/>"
                   "<numFmt numFmtId=\"167\" formatCode=\"yyyy\"/>"
                   "<numFmt numFmtId=\"168\" formatCode=\"[$-804]e&quot;年&quot;\"/></numFmts>"
                   "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
                   "<xf numFmtId=\"166\"/><xf numFmtId=\"167\"/><xf numFmtId=\"168\"/></cellXfs>"
                   "</styleSheet>",
                   "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"><v>2</v></c>"
                   "<c r=\"B1\" s=\"2\"><v>1200</v></c><c r=\"C1\" s=\"3\"><v>12345</v></c>"
                   "<c r=\"D1\" s=\"4\"><v>45444</v></c><c r=\"E1\" s=\"5\"><v>45444</v></c>"
                   "<c r=\"F1\" s=\"1\"><v>40.12345678</v></c></row></sheetData></worksheet>",
                   &x, &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    CHECK_INT(x.nrows, 1);
    CHECK_INT(x.rows[0].ncols, 6);
    static const char *const want[] = {"2", "1200", "12345", "2024", "2024", "40.12345678"};
    for (int i = 0; i < 6; i++) CHECK_STR(x.rows[0].cells[i], want[i]);
    pj_arena_free(&a);
}

/* Regression: an empty cell with a style beyond the 64 columns kept (a border drawn across the
 * sheet) refused the whole workbook ("more than 64 columns", no cell named); now only a cell
 * there that holds something is refused, by its reference. */
TEST(xlsx_empty_styled_cells_beyond_the_columns_are_not_columns)
{
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_xlsx x;
    pj_err err;
    pj_err_clear(&err);
    if (read_sheet(&a, NULL,
                   "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>code"
                   "</t></is></c><c r=\"BN1\" s=\"1\"/><c r=\"ZZ1\" s=\"1\"><v></v></c></row>"
                   "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>gdp</t></is></c></row>"
                   "</sheetData></worksheet>",
                   &x, &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    CHECK_INT(x.nrows, 2);
    CHECK_INT(x.rows[0].ncols, 1);
    CHECK_STR(x.rows[1].cells[0], "gdp");
    CHECK_INT(read_sheet(&a, NULL,
                         "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
                         "<t>code</t></is></c></row><row r=\"2\"><c r=\"BN2\"><v>7</v></c></row>"
                         "</sheetData></worksheet>",
                         &x, &err),
              -1);
    CHECK_INT(err.status, 422);
    CHECK(strstr(err.message, "cell BN2 is beyond the 64 columns") != NULL);
    pj_arena_free(&a);
}

/* Regression: a cell whose formula failed (t="e": #REF!, #N/A, #VALUE!, #DIV/0!, #NAME?,
 * #NULL!, #NUM!) was read as the text of its error, and a statistics import took "#N/A" for a
 * value's source. The reader flags it; the import refuses the row at that column. */
TEST_T(xlsx_formula_error_cells_are_no_values, 60)
{
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_xlsx x;
    pj_err err;
    pj_err_clear(&err);
    if (read_sheet(&a, NULL,
                   "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"e\"><v>#DIV/0!</v></c>"
                   "<c r=\"B1\" t=\"str\"><f>A1</f><v>#N/A</v></c><c r=\"C1\" t=\"e\">"
                   "<v>#NAME?</v></c><c r=\"C1\"><v>3</v></c></row></sheetData></worksheet>",
                   &x, &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    CHECK_INT(x.nrows, 1);
    CHECK_INT(x.rows[0].ncols, 3);
    CHECK_STR(x.rows[0].cells[0], "#DIV/0!");
    CHECK_INT(x.rows[0].error[0], 1);
    CHECK_INT(x.rows[0].error[1], 0); /* a formula's text result is text */
    CHECK_INT(x.rows[0].error[2], 0); /* the cell given again holds a number */
    pj_arena_free(&a);

    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    th_demo(&s, pj_indicators_demo);
    size_t n;
    char *wb = th_xlsx_book(
        NULL,
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>code</t></is>"
        "</c><c r=\"B1\" t=\"inlineStr\"><is><t>period</t></is></c><c r=\"C1\" "
        "t=\"inlineStr\"><is><t>value</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>source"
        "</t></is></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>gdp</t></is></c>"
        "<c r=\"B2\" t=\"inlineStr\"><is><t>2024</t></is></c><c r=\"C2\"><v>1.5</v></c>"
        "<c r=\"D2\" t=\"e\"><f>VLOOKUP(A2,来源!A:B,2,0)</f><v>#N/A</v></c></row>"
        "</sheetData></worksheet>",
        &n);
    json_t *o = upload(&s, tok, "/api/v1/indicators/import?dry_run=1", XLSX, wb, n, 200);
    json_t *e0 = json_array_get(json_object_get(o, "errors"), 0);
    CHECK_INT(th_int(o, "bad_rows"), 1);
    CHECK_STR(th_str(e0, "column"), "source");
    CHECK_STR(th_str(e0, "reason"), "formula_error");
    CHECK_STR(th_str(json_object_get(e0, "args"), "value"), "#N/A");
    CHECK_STR(th_str(e0, "message"),
              "line 2, column source: the cell holds the formula error #N/A");
    json_decref(o);
    long long before = th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values");
    o = upload(&s, tok, "/api/v1/indicators/import", XLSX, wb, n, 422);
    CHECK_STR(th_err_code(o), "bad_row");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM indicator_values"), before);
    free(wb);
    th_stop(&s);
}

/* Regression: a Chinese Excel writes its year-month format yyyy"年"m"月" by built-in id only
 * (27, 36, 50, 52, 57); every id of 27–36 and 50–58 was read as a full date, so a period
 * column showing 2024年6月 read as 2024-06-01 and was refused, while the same format written
 * as a custom code read 2024-06. Month-day ids stay full dates, times of day are numbers. */
TEST(xlsx_chinese_builtin_date_formats_read_as_their_codes)
{
    static const int ids[] = {57, 27, 36, 50, 52, 31, 28, 51, 58, 30, 32, 35, 55, 20, 164};
    enum { N = sizeof ids / sizeof ids[0] };
    static const char *const want[N] = {"2024-06",    "2024-06",    "2024-06",    "2024-06",
                                        "2024-06",    "2024-06-01", "2024-06-01", "2024-06-01",
                                        "2024-06-01", "2024-06-01", "45444.5",    "45444.5",
                                        "45444.5",    "45444.5",    "2024-06"};
    char styles[2048], sheet[4096];
    size_t o = (size_t)snprintf(styles, sizeof styles,
                                "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\""
                                "yyyy&quot;年&quot;m&quot;月&quot;\"/></numFmts><cellXfs>"
                                "<xf numFmtId=\"0\"/>");
    for (int i = 0; i < N; i++)
        o += (size_t)snprintf(styles + o, sizeof styles - o, "<xf numFmtId=\"%d\"/>", ids[i]);
    snprintf(styles + o, sizeof styles - o, "</cellXfs></styleSheet>");
    o = (size_t)snprintf(sheet, sizeof sheet, "<worksheet><sheetData><row r=\"1\">");
    for (int i = 0; i < N; i++)
        o += (size_t)snprintf(sheet + o, sizeof sheet - o, "<c s=\"%d\"><v>%s</v></c>", i + 1,
                              i >= 10 && i < 14 ? "45444.5" : "45444");
    snprintf(sheet + o, sizeof sheet - o, "</row></sheetData></worksheet>");
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_xlsx x;
    pj_err err;
    pj_err_clear(&err);
    if (read_sheet(&a, styles, sheet, &x, &err)) t_fail(__FILE__, __LINE__, "%s", err.message);
    CHECK_INT(x.nrows, 1);
    CHECK_INT(x.rows[0].ncols, N);
    for (int i = 0; i < N; i++)
        if (strcmp(x.rows[0].cells[i], want[i]))
            t_fail(__FILE__, __LINE__, "numFmtId %d: '%s', expected '%s'", ids[i],
                   x.rows[0].cells[i], want[i]);
    pj_arena_free(&a);
}
