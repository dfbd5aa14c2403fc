/* CFLP benchmark readers: see cflp_io.h. */
#include "algo/cflp_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS 200000000.0 /* m*n sanity limit */
#define MAX_FILE  (512L << 20)

typedef struct lexer {
    const char *p;
    long tok; /* 1-based index of the last token read */
    char *err;
    size_t errlen;
} lexer;

static int lex_fail(lexer *lx, const char *what)
{
    if (lx->err && lx->errlen) snprintf(lx->err, lx->errlen, "token %ld: %s", lx->tok, what);
    return -1;
}

/* Next token into buf (truncated); returns its length, 0 at end of text. */
static size_t lex_next(lexer *lx, char *buf, size_t cap)
{
    const char *p = lx->p;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') p++;
    const char *s = p;
    while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v'))
        p++;
    lx->p = p;
    size_t len = (size_t)(p - s);
    if (len) {
        lx->tok++;
        size_t c = len < cap - 1 ? len : cap - 1;
        memcpy(buf, s, c);
        buf[c] = 0;
    }
    return len;
}

/* Reads a finite number >= 0. is_cap: the word `capacity` is accepted (returns 1). */
static int lex_num(lexer *lx, double *out, const char *what, int is_cap)
{
    char buf[64], msg[160];
    size_t len = lex_next(lx, buf, sizeof buf);
    if (!len) {
        lx->tok++;
        snprintf(msg, sizeof msg, "unexpected end of file, expected %s", what);
        return lex_fail(lx, msg);
    }
    if (is_cap && strcmp(buf, "capacity") == 0) return 1;
    char *end;
    errno = 0;
    double v = len < sizeof buf ? strtod(buf, &end) : NAN;
    if (len >= sizeof buf || end == buf || *end || errno == ERANGE || !isfinite(v) || v < 0) {
        snprintf(msg, sizeof msg, "expected %s (a finite number >= 0), got '%.24s'", what, buf);
        return lex_fail(lx, msg);
    }
    *out = v;
    return 0;
}

static int lex_size(lexer *lx, int *out, const char *what)
{
    double v;
    if (lex_num(lx, &v, what, 0) != 0) return -1;
    if (v != floor(v) || v < 1 || v > 1e7) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must be a positive integer, got %g", what, v);
        return lex_fail(lx, msg);
    }
    *out = (int)v;
    return 0;
}

static int lex_end(lexer *lx)
{
    char buf[32];
    if (lex_next(lx, buf, sizeof buf)) return lex_fail(lx, "unexpected trailing data");
    return 0;
}

static int header(lexer *lx, pj_cflp *out)
{
    int m, n;
    if (lex_size(lx, &m, "site count m") || lex_size(lx, &n, "customer count n")) return -1;
    if ((double)m * n > MAX_CELLS) return lex_fail(lx, "instance too large");
    if (pj_cflp_init(out, m, n) != 0) return lex_fail(lx, "out of memory");
    return 0;
}

int pj_cflp_parse_orlib(const char *text, double capacity_override, pj_cflp *out, char *err,
                        size_t errlen)
{
    lexer lx = {text, 0, err, errlen};
    memset(out, 0, sizeof *out);
    if (header(&lx, out)) goto fail;
    int m = out->m, n = out->n;
    for (int i = 0; i < m; i++) {
        int r = lex_num(&lx, &out->capacity[i], "capacity", 1);
        if (r < 0) goto fail;
        if (r == 1) {
            if (!(capacity_override > 0) || !isfinite(capacity_override)) {
                lex_fail(&lx, "file has the word 'capacity': pass a capacity value > 0");
                goto fail;
            }
            out->capacity[i] = capacity_override;
        }
        if (lex_num(&lx, &out->fixed_cost[i], "fixed cost", 0)) goto fail;
    }
    for (int j = 0; j < n; j++) {
        if (lex_num(&lx, &out->demand[j], "demand", 0)) goto fail;
        for (int i = 0; i < m; i++)
            if (lex_num(&lx, &out->cost[(size_t)i * n + j], "allocation cost", 0)) goto fail;
    }
    if (lex_end(&lx)) goto fail;
    return 0;
fail:
    pj_cflp_free(out);
    return -1;
}

int pj_cflp_parse_sscflp(const char *text, pj_cflp *out, char *err, size_t errlen)
{
    lexer lx = {text, 0, err, errlen};
    memset(out, 0, sizeof *out);
    if (header(&lx, out)) goto fail;
    int m = out->m, n = out->n;
    for (int i = 0; i < m; i++)
        if (lex_num(&lx, &out->capacity[i], "capacity", 0) ||
            lex_num(&lx, &out->fixed_cost[i], "fixed cost", 0))
            goto fail;
    for (int j = 0; j < n; j++)
        if (lex_num(&lx, &out->demand[j], "demand", 0)) goto fail;
    for (size_t k = 0; k < (size_t)m * n; k++)
        if (lex_num(&lx, &out->cost[k], "assignment cost", 0)) goto fail;
    if (lex_end(&lx)) goto fail;
    return 0;
fail:
    pj_cflp_free(out);
    return -1;
}

/* Whole file into a NUL-terminated buffer owned by the caller (free), or NULL. NUL bytes in
 * the file become spaces. */
static char *slurp(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err && errlen) snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            if (cap >= (size_t)MAX_FILE) {
                if (err && errlen) snprintf(err, errlen, "%s: file too large", path);
                free(buf);
                buf = NULL;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + len, 1, cap - 1 - len, f);
        len += r;
        if (r == 0) {
            if (ferror(f)) {
                if (err && errlen) snprintf(err, errlen, "%s: read error", path);
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    fclose(f);
    if (buf) {
        buf[len] = 0;
        /* Some public copies (Holmberg p10, p47, ...) carry NUL padding: read it as blanks. */
        for (size_t k = 0; k < len; k++)
            if (buf[k] == 0) buf[k] = ' ';
    } else if (err && errlen && !err[0]) {
        snprintf(err, errlen, "%s: out of memory", path);
    }
    return buf;
}

static void prefix_path(char *err, size_t errlen, const char *path)
{
    if (!err || !errlen) return;
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", err);
    snprintf(err, errlen, "%s: %s", path, tmp);
}

int pj_cflp_read_orlib(const char *path, double capacity_override, pj_cflp *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (err && errlen) err[0] = 0;
    char *text = slurp(path, err, errlen);
    if (!text) return -1;
    int rc = pj_cflp_parse_orlib(text, capacity_override, out, err, errlen);
    free(text);
    if (rc) prefix_path(err, errlen, path);
    return rc;
}

int pj_cflp_read_sscflp(const char *path, pj_cflp *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (err && errlen) err[0] = 0;
    char *text = slurp(path, err, errlen);
    if (!text) return -1;
    int rc = pj_cflp_parse_sscflp(text, out, err, errlen);
    free(text);
    if (rc) prefix_path(err, errlen, path);
    return rc;
}

int pj_cflp_read_values(const char *path, double *vals, int max, char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    char *text = slurp(path, err, errlen);
    if (!text) return -1;
    lexer lx = {text, 0, err, errlen};
    int k = 0;
    char buf[64];
    while (k < max && lex_next(&lx, buf, sizeof buf)) {
        char *end;
        errno = 0;
        double v = strtod(buf, &end);
        if (end == buf || *end || errno == ERANGE) {
            lex_fail(&lx, "not a number");
            prefix_path(err, errlen, path);
            free(text);
            return -1;
        }
        vals[k++] = v;
    }
    free(text);
    return k;
}
