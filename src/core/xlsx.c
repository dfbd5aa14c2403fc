/* XLSX reader: minizip over memory, expat streamed part by part. See xlsx.h. */
#include "core/xlsx.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unzip.h>

#include "core/util.h"

#include "core/banned.h"

/* ---- the archive in memory, as minizip's I/O callbacks ---- */

typedef struct mem {
    const unsigned char *p;
    size_t n, pos;
} mem;

static voidpf mem_open(voidpf opaque, const void *name, int mode)
{
    mem *m = opaque;
    m->pos = 0;
    return m;
}
static uLong mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    mem *m = stream;
    size_t k = m->n - m->pos < size ? m->n - m->pos : size;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (uLong)k;
}
static uLong mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    return 0;
}
static ZPOS64_T mem_tell(voidpf opaque, voidpf stream)
{
    return ((mem *)stream)->pos;
}
static long mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    mem *m = stream;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                    : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
                                                       : m->n;
    if (off > m->n - base) return -1;
    m->pos = (size_t)(base + off);
    return 0;
}
static int mem_close(voidpf opaque, voidpf stream)
{
    return 0;
}
static int mem_error(voidpf opaque, voidpf stream)
{
    return 0;
}

/* ---- one reading ---- */

typedef struct ctx {
    pj_arena *a;
    pj_err *err;
    unzFile uf;
    size_t unpacked; /* bytes unpacked so far, all parts */
    XML_Parser xp;
    const char *part;
    int failed; /* err is set */
    /* text being collected */
    char *text;
    size_t tlen, tcap;
    int collect;
    /* shared strings */
    char **ss;
    int nss, capss, in_si, in_rph;
    /* styles: per cellXfs index, how its number shows (XF_*) */
    unsigned char *xf_kind;
    int nxf, capxf, in_cellxfs;
    struct {
        int id, kind;
    } fmts[256];
    int nfmts;
    int date1904;
    /* workbook: the first sheet's relationship id; rels: its target */
    char first_rid[64], sheet_path[256];
    int have_sheet;
    /* the worksheet */
    int max_rows;
    pj_xlsx *out;
    int caprows;
    int in_data, row_line, next_line, cell_col, next_col, cell_xf;
    char cell_ref[16]; /* the cell's reference ("BN1"), for a cell beyond the columns kept */
    char cell_t[12];
    char *cells[PJ_XLSX_MAX_COLS];
    unsigned char pct[PJ_XLSX_MAX_COLS];
    unsigned char errv[PJ_XLSX_MAX_COLS]; /* the cell is an error value (t="e") */
    int ncells, in_is, in_v;
} ctx;

/* how a cell format shows a number: as it is, as a date (year; year-month; a full date) or as
 * a percentage (0.062 shown as 6.2%) */
enum { XF_PLAIN, XF_YEAR, XF_YEAR_MONTH, XF_DATE, XF_PERCENT };

static int failf(ctx *c, int status, const char *code, const char *fmt, const char *a1,
                 const char *a2)
{
    if (!c->failed) pj_fail(c->err, status, code, "file", fmt, a1, a2);
    c->failed = 1;
    if (c->xp) XML_StopParser(c->xp, XML_FALSE);
    return -1;
}

/* a non-negative attribute number, clamped; 0 when absent or malformed */
static int num(const char *s)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    return !s || end == s || v < 0 ? 0 : v > 1000000000 ? 1000000000 : (int)v;
}

/* local name of an expat "uri|local" (or plain) name */
static const char *local(const char *n)
{
    const char *b = strrchr(n, '|');
    return b ? b + 1 : n;
}
static const char *attr(const char **at, const char *name, int ns)
{
    for (int i = 0; at[i]; i += 2)
        if (!strcmp(local(at[i]), name) && (!ns || strchr(at[i], '|'))) return at[i + 1];
    return NULL;
}

static void text_add(ctx *c, const char *s, int n)
{
    if (!c->collect || c->failed) return;
    if (c->tlen + (size_t)n > PJ_XLSX_MAX_CELL) {
        char lim[16];
        snprintf(lim, sizeof lim, "%d", PJ_XLSX_MAX_CELL);
        failf(c, 422, "bad_xlsx", "%s: a cell's text is longer than %s bytes", c->part, lim);
        return;
    }
    if (c->tlen + (size_t)n + 1 > c->tcap) {
        size_t cap = c->tcap ? c->tcap : 256;
        while (cap < c->tlen + (size_t)n + 1) cap *= 2;
        char *t = realloc(c->text, cap);
        if (!t) {
            failf(c, 500, "internal", "%s: out of memory%s", c->part, "");
            return;
        }
        c->text = t, c->tcap = cap;
    }
    memcpy(c->text + c->tlen, s, (size_t)n);
    c->tlen += (size_t)n;
    c->text[c->tlen] = 0;
}
static void XMLCALL on_text(void *u, const XML_Char *s, int n)
{
    text_add(u, s, n);
}
static void text_start(ctx *c)
{
    c->collect = 1;
    c->tlen = 0;
    if (c->text) c->text[0] = 0;
}
/* empty text, collected only inside <t> elements (whitespace between elements is not text) */
static void text_reset(ctx *c)
{
    text_start(c);
    c->collect = 0;
}
static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char h = s[i];
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0) return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

/* ECMA-376's escapes in a text (ST_Xstring) undone in place: _xHHHH_ is the UTF-16 code unit
 * HHHH. Writers use them for what XML cannot hold — a carriage return is _x000D_, a control
 * character _x0007_ (libxlsxwriter, Excel) — and for a literal "_x0041_", whose '_' is
 * _x005F_. NUL and surrogate halves stay as they are written. Returns the new length. */
static size_t xstring_decode(char *t, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned u;
        if (i + 7 <= n && t[i] == '_' && t[i + 1] == 'x' && t[i + 6] == '_' &&
            hex4(t + i + 2, &u) && u && (u < 0xD800 || u > 0xDFFF)) {
            if (u < 0x80) {
                t[o++] = (char)u;
            } else if (u < 0x800) {
                t[o++] = (char)(0xC0 | (u >> 6));
                t[o++] = (char)(0x80 | (u & 0x3F));
            } else {
                t[o++] = (char)(0xE0 | (u >> 12));
                t[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
                t[o++] = (char)(0x80 | (u & 0x3F));
            }
            i += 7;
        } else {
            t[o++] = t[i++];
        }
    }
    return o;
}

static char *text_take(ctx *c)
{
    c->collect = 0;
    size_t n = c->text ? xstring_decode(c->text, c->tlen) : 0;
    return pj_arena_strndup(c->a, c->text ? c->text : "", n);
}

/* a DTD is never part of a workbook: refusing it closes the door on entity expansion */
static void XMLCALL on_doctype(void *u, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int internal)
{
    ctx *c = u;
    failf(c, 422, "bad_xlsx", "%s: a document type declaration is not allowed%s", c->part, "");
}

/* Unpacks one part and feeds it to the parser with the given handlers. 1 parsed, 0 absent. */
static int part_parse(ctx *c, const char *name, XML_StartElementHandler st,
                      XML_EndElementHandler en)
{
    if (unzLocateFile(c->uf, name, 2) != UNZ_OK) return 0;
    c->part = name;
    unz_file_info64 fi;
    if (unzGetCurrentFileInfo64(c->uf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
        return failf(c, 422, "bad_xlsx", "%s: unreadable entry in the archive%s", name, "");
    if (fi.uncompressed_size > PJ_XLSX_MAX_PART ||
        fi.uncompressed_size > PJ_XLSX_MAX_TOTAL - c->unpacked)
        return failf(c, 422, "bad_xlsx", "%s unpacks to more than the limit (%s MiB)", name,
                     fi.uncompressed_size > PJ_XLSX_MAX_PART ? "64" : "96 in all");
    if (unzOpenCurrentFile(c->uf) != UNZ_OK)
        return failf(c, 422, "bad_xlsx",
                     "%s: cannot unpack (unsupported compression or"
                     " encrypted)%s",
                     name, "");
    c->xp = XML_ParserCreateNS(NULL, '|');
    if (!c->xp) {
        unzCloseCurrentFile(c->uf);
        return failf(c, 500, "internal", "%s: out of memory%s", name, "");
    }
    XML_SetUserData(c->xp, c);
    XML_SetElementHandler(c->xp, st, en);
    XML_SetCharacterDataHandler(c->xp, on_text);
    XML_SetStartDoctypeDeclHandler(c->xp, on_doctype);
    char buf[1 << 16];
    size_t part = 0;
    int rc = 1;
    for (;;) {
        int k = unzReadCurrentFile(c->uf, buf, sizeof buf);
        if (k < 0) {
            rc = failf(c, 422, "bad_xlsx", "%s: the archive is corrupt (%s)", name,
                       k == UNZ_CRCERROR ? "CRC error" : "cannot inflate");
            break;
        }
        part += (size_t)k;
        c->unpacked += (size_t)k;
        /* the size in the header may lie: count what really comes out */
        if (part > PJ_XLSX_MAX_PART || c->unpacked > PJ_XLSX_MAX_TOTAL) {
            rc = failf(c, 422, "bad_xlsx", "%s unpacks to more than the limit (%s MiB)", name,
                       part > PJ_XLSX_MAX_PART ? "64" : "96 in all");
            break;
        }
        if (XML_Parse(c->xp, buf, k, k == 0) == XML_STATUS_ERROR) {
            if (!c->failed) {
                char at[96];
                snprintf(at, sizeof at, "line %lu: %s",
                         (unsigned long)XML_GetCurrentLineNumber(c->xp),
                         XML_ErrorString(XML_GetErrorCode(c->xp)));
                failf(c, 422, "bad_xlsx", "%s: malformed XML at %s", name, at);
            }
            rc = -1;
            break;
        }
        if (c->failed) {
            rc = -1;
            break;
        }
        if (k == 0) break;
    }
    if (unzCloseCurrentFile(c->uf) == UNZ_CRCERROR && rc > 0)
        rc = failf(c, 422, "bad_xlsx", "%s: the archive is corrupt (%s)", name, "CRC error");
    XML_ParserFree(c->xp);
    c->xp = NULL;
    return rc;
}

/* ---- workbook.xml and its relationships: which part is the first sheet ---- */

static void XMLCALL wb_start(void *u, const XML_Char *n, const XML_Char **at)
{
    ctx *c = u;
    const char *l = local(n);
    if (!strcmp(l, "workbookPr")) {
        const char *d = attr(at, "date1904", 0);
        c->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
    } else if (!strcmp(l, "sheet") && !c->first_rid[0]) {
        const char *id = attr(at, "id", 1);
        if (id) snprintf(c->first_rid, sizeof c->first_rid, "%s", id);
    }
}
static void XMLCALL no_end(void *u, const XML_Char *n) {}
static void XMLCALL rels_start(void *u, const XML_Char *n, const XML_Char **at)
{
    ctx *c = u;
    if (strcmp(local(n), "Relationship") || c->have_sheet) return;
    const char *id = attr(at, "Id", 0), *t = attr(at, "Target", 0);
    if (!id || !t || strcmp(id, c->first_rid)) return;
    if (t[0] == '/')
        snprintf(c->sheet_path, sizeof c->sheet_path, "%s", t + 1);
    else
        snprintf(c->sheet_path, sizeof c->sheet_path, "xl/%s", t);
    c->have_sheet = 1;
}

/* ---- styles.xml: which cell formats show dates or percentages ---- */

/* XF_* of a format code */
static int fmt_kind(const char *code)
{
    int y = 0, m = 0, d = 0, h = 0, pct = 0, sect = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"') { /* quoted text */
            while (p[1] && p[1] != '"') p++;
            if (p[1]) p++;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1]) p++;
        } else if (*p == '[') { /* [Red], [$-804] */
            while (p[1] && p[1] != ']') p++;
            if (p[1]) p++;
        } else if (!strncasecmp(p, "General", 7)) { /* the plain format by its name */
            p += 6;
        } else if (*p == 'e' && (p[1] == '+' || p[1] == '-')) { /* scientific: 0.00e+00 */
            p++;
        } else if (*p == 'y' || *p == 'Y' || *p == 'e') { /* e: the era's year */
            y = 1;
        } else if (*p == 'm' || *p == 'M') {
            m = 1;
        } else if (*p == 'd' || *p == 'D') {
            d = 1;
        } else if (*p == 'h' || *p == 'H' || *p == 's' || *p == 'S') {
            h = 1;
        } else if (*p == '%') {
            pct |= !sect; /* the positive section decides: 0.0%;-0.0% or 0%;[Red]-0% */
        } else if (*p == ';') {
            sect = 1;
        }
    }
    if (d || (y && m && h)) return XF_DATE;
    if (y && m) return XF_YEAR_MONTH;
    if (y) return XF_YEAR;
    if (pct) return XF_PERCENT;
    return XF_PLAIN;
}
/* A built-in format, written by its id only (no numFmt element), as fmt_kind reads its code.
 * The ids are ECMA-376 Part 1, 18.8.30 (numFmt); 27–36 and 50–58 as a Chinese (zh-CN) Excel
 * writes them, which is what the district's workbooks hold:
 *   14 m/d/yyyy, 15 d-mmm-yy, 16 d-mmm, 22 m/d/yy h:mm, 30 m-d-yy         a full date
 *   17 mmm-yy                                                             year-month
 *   18 h:mm AM/PM, 19 h:mm:ss AM/PM, 20 h:mm, 21 h:mm:ss                  a time of day
 *   27, 36, 50, 52, 57 yyyy"年"m"月"                                      year-month
 *   28, 29, 51, 53, 54, 58 m"月"d"日"                                     a full date (as its code)
 *   31 yyyy"年"m"月"d"日"                                                 a full date
 *   32 h"时"mm"分", 33 h"时"mm"分"ss"秒", 34 and 55 上午/下午h"时"mm"分",
 *   35 and 56 上午/下午h"时"mm"分"ss"秒"                                    a time of day
 * A time of day shows no date: the number is read as it is, as fmt_kind reads h:mm. */
static int builtin_kind(int id)
{
    switch (id) {
    case 9:
    case 10: /* 0%, 0.00% */
        return XF_PERCENT;
    case 17:
    case 27:
    case 36:
    case 50:
    case 52:
    case 57:
        return XF_YEAR_MONTH;
    case 14:
    case 15:
    case 16:
    case 22:
    case 28:
    case 29:
    case 30:
    case 31:
    case 51:
    case 53:
    case 54:
    case 58:
        return XF_DATE;
    default: /* times of day (18–21, 32–35, 55, 56, 45–47) and the numbers' formats */
        return XF_PLAIN;
    }
}
static void XMLCALL st_start(void *u, const XML_Char *n, const XML_Char **at)
{
    ctx *c = u;
    const char *l = local(n);
    if (!strcmp(l, "numFmt")) {
        const char *id = attr(at, "numFmtId", 0), *code = attr(at, "formatCode", 0);
        if (id && code && c->nfmts < (int)(sizeof c->fmts / sizeof c->fmts[0])) {
            c->fmts[c->nfmts].id = num(id);
            c->fmts[c->nfmts].kind = fmt_kind(code);
            c->nfmts++;
        }
    } else if (!strcmp(l, "cellXfs")) {
        c->in_cellxfs = 1;
    } else if (!strcmp(l, "xf") && c->in_cellxfs) {
        if (c->nxf >= 65536) return;
        if (c->nxf == c->capxf) {
            int cap = c->capxf ? c->capxf * 2 : 64;
            unsigned char *x = realloc(c->xf_kind, (size_t)cap);
            if (!x) return;
            c->xf_kind = x, c->capxf = cap;
        }
        const char *id = attr(at, "numFmtId", 0);
        int fid = num(id), kind = builtin_kind(fid);
        for (int i = 0; i < c->nfmts; i++)
            if (c->fmts[i].id == fid) kind = c->fmts[i].kind;
        c->xf_kind[c->nxf++] = (unsigned char)kind;
    }
}
static void XMLCALL st_end(void *u, const XML_Char *n)
{
    ctx *c = u;
    if (!strcmp(local(n), "cellXfs")) c->in_cellxfs = 0;
}

/* ---- sharedStrings.xml ---- */

static void XMLCALL ss_start(void *u, const XML_Char *n, const XML_Char **at)
{
    ctx *c = u;
    const char *l = local(n);
    if (!strcmp(l, "si")) {
        c->in_si = 1;
        text_reset(c);
    } else if (!strcmp(l, "rPh")) { /* phonetic guide: not part of the text */
        c->in_rph = 1;
    } else if (!strcmp(l, "t")) {
        c->collect = c->in_si && !c->in_rph;
    }
}
static void XMLCALL ss_end(void *u, const XML_Char *n)
{
    ctx *c = u;
    const char *l = local(n);
    if (!strcmp(l, "rPh")) {
        c->in_rph = 0;
    } else if (!strcmp(l, "t")) {
        c->collect = 0;
    } else if (!strcmp(l, "si") && c->in_si) {
        c->in_si = 0;
        if (c->nss >= PJ_XLSX_MAX_STRINGS) {
            failf(c, 422, "bad_xlsx", "%s: more shared strings than the limit%s", c->part, "");
            return;
        }
        if (c->nss == c->capss) {
            int cap = c->capss ? c->capss * 2 : 256;
            char **s = realloc(c->ss, sizeof *s * (size_t)cap);
            if (!s) {
                failf(c, 500, "internal", "%s: out of memory%s", c->part, "");
                return;
            }
            c->ss = s, c->capss = cap;
        }
        c->ss[c->nss++] = text_take(c);
    }
}

/* ---- the worksheet ---- */

/* column index of a reference such as "AB12": 0-based, -1 when malformed */
static int ref_col(const char *r)
{
    int col = 0, k = 0;
    for (; *r >= 'A' && *r <= 'Z' && k < 4; r++, k++) col = col * 26 + (*r - 'A' + 1);
    if (!k || *r < '0' || *r > '9') return -1;
    return col - 1;
}

static void row_flush(ctx *c)
{
    int any = 0;
    for (int i = 0; i < c->ncells; i++)
        if (c->cells[i] && c->cells[i][0]) any = 1;
    if (any) {
        pj_xlsx *o = c->out;
        if (o->nrows >= c->max_rows) {
            char lim[16];
            snprintf(lim, sizeof lim, "%d", c->max_rows);
            failf(c, 413, "too_many_rows", "%s: more than %s rows; split the file", c->part, lim);
            return;
        }
        if (o->nrows == c->caprows) { /* doubling in the arena: at most twice the space */
            int cap = c->caprows ? c->caprows * 2 : 256;
            pj_xlsx_row *r = pj_arena_alloc(c->a, sizeof *r * (size_t)cap);
            if (o->nrows) memcpy(r, o->rows, sizeof *r * (size_t)o->nrows);
            o->rows = r, c->caprows = cap;
        }
        pj_xlsx_row *r = &o->rows[o->nrows++];
        r->line = c->row_line;
        r->ncols = c->ncells;
        r->cells = pj_arena_alloc(c->a, sizeof *r->cells * (size_t)c->ncells);
        r->percent = pj_arena_alloc(c->a, (size_t)c->ncells);
        r->error = pj_arena_alloc(c->a, (size_t)c->ncells);
        for (int i = 0; i < c->ncells; i++) r->cells[i] = c->cells[i] ? c->cells[i] : "";
        memcpy(r->percent, c->pct, (size_t)c->ncells);
        memcpy(r->error, c->errv, (size_t)c->ncells);
    }
    memset(c->cells, 0, sizeof c->cells);
    memset(c->pct, 0, sizeof c->pct);
    memset(c->errv, 0, sizeof c->errv);
    c->ncells = 0;
}

static void XMLCALL ws_start(void *u, const XML_Char *n, const XML_Char **at)
{
    ctx *c = u;
    if (c->failed) return;
    const char *l = local(n);
    if (!strcmp(l, "sheetData")) {
        c->in_data = 1;
    } else if (!c->in_data) {
        return;
    } else if (!strcmp(l, "row")) {
        const char *r = attr(at, "r", 0);
        long v = r ? strtol(r, NULL, 10) : 0;
        c->row_line = v >= c->next_line && v <= 10000000 ? (int)v : c->next_line;
        c->next_line = c->row_line + 1;
        c->next_col = 0;
        c->ncells = 0;
        memset(c->cells, 0, sizeof c->cells);
        memset(c->pct, 0, sizeof c->pct);
        memset(c->errv, 0, sizeof c->errv);
    } else if (!strcmp(l, "c")) {
        const char *r = attr(at, "r", 0), *t = attr(at, "t", 0), *s = attr(at, "s", 0);
        int col = r ? ref_col(r) : c->next_col;
        if (col < 0) col = c->next_col;
        /* a cell beyond the columns kept is refused only when it holds something (store):
         * an empty one with a style (a border, a fill) is not a column */
        if (col > PJ_XLSX_MAX_COLS) col = PJ_XLSX_MAX_COLS;
        snprintf(c->cell_ref, sizeof c->cell_ref, "%s", r ? r : "?");
        c->cell_col = col;
        c->next_col = col + 1;
        if (col < PJ_XLSX_MAX_COLS) c->pct[col] = c->errv[col] = 0; /* a cell given again */
        snprintf(c->cell_t, sizeof c->cell_t, "%s", t ? t : "n");
        c->cell_xf = num(s);
        c->in_is = 0, c->in_v = 0;
    } else if (!strcmp(l, "v")) {
        c->in_v = 1;
        text_start(c);
    } else if (!strcmp(l, "is")) {
        c->in_is = 1;
        text_reset(c);
    } else if (!strcmp(l, "rPh")) {
        c->in_rph = 1;
    } else if (!strcmp(l, "t")) {
        c->collect = c->in_is && !c->in_rph;
    }
}

static char *cell_value(ctx *c, char *v)
{
    if (!strcmp(c->cell_t, "s")) {
        char *end;
        long i = strtol(v, &end, 10);
        if (end == v || *end || i < 0 || i >= c->nss) {
            failf(c, 422, "bad_xlsx", "%s: shared string %s does not exist", c->part, v);
            return NULL;
        }
        return c->ss[i];
    }
    if (!strcmp(c->cell_t, "b")) return !strcmp(v, "1") ? "TRUE" : "FALSE";
    if (!strcmp(c->cell_t, "e")) { /* a failed formula: its error (#REF!, #N/A) is no value */
        if (*v && c->cell_col < PJ_XLSX_MAX_COLS) c->errv[c->cell_col] = 1;
        return v;
    }
    int kind = !strcmp(c->cell_t, "n") && c->cell_xf >= 0 && c->cell_xf < c->nxf
                   ? c->xf_kind[c->cell_xf]
                   : XF_PLAIN;
    if (kind == XF_PERCENT && *v && c->cell_col < PJ_XLSX_MAX_COLS) c->pct[c->cell_col] = 1;
    if (kind >= XF_YEAR && kind <= XF_DATE && *v) {
        /* a serial day number shown as a date: 1900 system counts from 1899-12-30 */
        double d;
        if (pj_parse_double(v, &d) || !isfinite(d) || d < 0 || d > 2958465) return v;
        int64_t day = (int64_t)floor(d) + (c->date1904 ? 1462 : 0) - 25569; /* → 1970 days */
        char iso[21];
        pj_time_iso(day * 86400, iso);
        iso[kind == XF_YEAR ? 4 : kind == XF_YEAR_MONTH ? 7 : 10] = 0;
        return pj_arena_strdup(c->a, iso);
    }
    return v;
}

/* A cell's value into the row; beyond the columns kept, a value is 422 naming the cell. */
static void store(ctx *c, char *v)
{
    if (c->cell_col >= PJ_XLSX_MAX_COLS) {
        if (v && *v) {
            char what[64];
            snprintf(what, sizeof what, "cell %s is beyond the %d columns", c->cell_ref,
                     PJ_XLSX_MAX_COLS);
            failf(c, 422, "bad_xlsx", "%s: %s a table may have", c->part, what);
        }
        return;
    }
    c->cells[c->cell_col] = v;
    if (c->cell_col + 1 > c->ncells) c->ncells = c->cell_col + 1;
}

static void XMLCALL ws_end(void *u, const XML_Char *n)
{
    ctx *c = u;
    if (c->failed) return;
    const char *l = local(n);
    if (!strcmp(l, "sheetData")) {
        c->in_data = 0;
    } else if (!c->in_data) {
        return;
    } else if (!strcmp(l, "row")) {
        row_flush(c);
    } else if (!strcmp(l, "v") && c->in_v) {
        c->in_v = 0;
        char *v = cell_value(c, text_take(c));
        if (v && !c->in_is) store(c, v);
    } else if (!strcmp(l, "is") && c->in_is) {
        c->in_is = 0;
        store(c, text_take(c));
    } else if (!strcmp(l, "rPh")) {
        c->in_rph = 0;
    } else if (!strcmp(l, "t")) {
        c->collect = 0;
    }
}

int pj_xlsx_sniff(const void *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

int pj_xlsx_read(pj_arena *a, const void *data, size_t len, int max_rows, pj_xlsx *out, pj_err *err)
{
    memset(out, 0, sizeof *out);
    if (!pj_xlsx_sniff(data, len))
        return pj_fail(err, 422, "bad_xlsx", "file", "not an XLSX file (no zip signature)");
    mem m = {data, len, 0};
    zlib_filefunc64_def ff = {mem_open, mem_read,  mem_write, mem_tell,
                              mem_seek, mem_close, mem_error, &m};
    ctx c = {.a = a, .err = err, .max_rows = max_rows, .out = out, .next_line = 1};
    c.uf = unzOpen2_64("mem", &ff);
    if (!c.uf)
        return pj_fail(err, 422, "bad_xlsx", "file",
                       "not an XLSX file (the zip archive is corrupt)");
    int rc = -1;
    if (part_parse(&c, "xl/workbook.xml", wb_start, no_end) < 0) goto out;
    if (c.first_rid[0] && part_parse(&c, "xl/_rels/workbook.xml.rels", rels_start, no_end) < 0)
        goto out;
    if (!c.have_sheet) snprintf(c.sheet_path, sizeof c.sheet_path, "xl/worksheets/sheet1.xml");
    if (part_parse(&c, "xl/styles.xml", st_start, st_end) < 0 ||
        part_parse(&c, "xl/sharedStrings.xml", ss_start, ss_end) < 0)
        goto out;
    int k = part_parse(&c, c.sheet_path, ws_start, ws_end);
    if (k < 0) goto out;
    if (k == 0) {
        pj_fail(err, 422, "bad_xlsx", "file", "no worksheet %.200s in the workbook", c.sheet_path);
        goto out;
    }
    rc = 0;
out:
    unzClose(c.uf);
    free(c.text);
    free(c.ss);
    free(c.xf_kind);
    if (rc) memset(out, 0, sizeof *out);
    return rc;
}
