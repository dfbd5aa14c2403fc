/* RCPSP readers: PSPLIB single-mode .sm files, optimum CSV files, PSPLIB solution lists
 * (jXXhrs.sm). See rcpsp.h. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/rcpsp.h"

#define SM_MAX_JOBS 1000000
#define SM_MAX_RES  1000

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Reads a whole file; returns a malloc'd NUL-terminated buffer (caller frees) or NULL. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        seterr(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = cap > ((size_t)1 << 30) ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - 1 - n, f);
        n += r;
        if (r == 0) break;
    }
    int ioerr = ferror(f);
    fclose(f);
    if (!buf || ioerr) {
        free(buf);
        seterr(err, errlen, "%s: %s", path, buf ? "read error" : "out of memory or too large");
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Line cursor over a buffer. */
typedef struct lines {
    const char *p, *end;
    const char *line; /* current line start */
    size_t len;       /* current line length (without newline / CR) */
    int no;           /* current line number (1-based) */
} lines;

static int next_line(lines *L)
{
    if (L->p >= L->end) return 0;
    const char *s = L->p, *e = memchr(s, '\n', (size_t)(L->end - s));
    if (!e) e = L->end;
    L->line = s;
    L->len = (size_t)(e - s);
    if (L->len > 0 && s[L->len - 1] == '\r') L->len--;
    L->p = e < L->end ? e + 1 : e;
    L->no++;
    return 1;
}

/* Parses up to max whitespace-separated integers of s[0..len); returns the count, or -1 when a
 * token is not an integer (or out of int range). */
static int parse_ints(const char *s, size_t len, long *out, int max)
{
    size_t i = 0;
    int c = 0;
    while (i < len) {
        while (i < len && isspace((unsigned char)s[i])) i++;
        if (i >= len) break;
        size_t j = i;
        while (j < len && !isspace((unsigned char)s[j])) j++;
        char tok[32];
        if (j - i >= sizeof tok) return -1;
        memcpy(tok, s + i, j - i);
        tok[j - i] = 0;
        char *endp;
        errno = 0;
        long v = strtol(tok, &endp, 10);
        if (*endp || errno || v < INT_MIN || v > INT_MAX) return -1;
        if (c >= max) return -1;
        out[c++] = v;
        i = j;
    }
    return c;
}

static int starts_with(const lines *L, const char *pfx)
{
    size_t k = strlen(pfx);
    const char *s = L->line;
    size_t len = L->len;
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    return len >= k && strncmp(s, pfx, k) == 0;
}

/* The integer after the first ':' of the current line, or -1. */
static long value_after_colon(const lines *L)
{
    const char *c = memchr(L->line, ':', L->len);
    if (!c) return -1;
    long v[2];
    size_t rest = L->len - (size_t)(c + 1 - L->line);
    /* "renewable : 4 R": take the first token only. */
    const char *s = c + 1;
    size_t i = 0;
    while (i < rest && isspace((unsigned char)s[i])) i++;
    size_t j = i;
    while (j < rest && !isspace((unsigned char)s[j])) j++;
    if (parse_ints(s + i, j - i, v, 2) != 1) return -1;
    return v[0];
}

void pj_rcpsp_free(pj_rcpsp *p)
{
    if (!p) return;
    free(p->duration);
    free(p->demand);
    free(p->capacity);
    free(p->succ_start);
    free(p->succ);
    free(p->project);
    free(p->project_value);
    memset(p, 0, sizeof *p);
}

int pj_rcpsp_parse_sm(const char *buf, size_t len, const char *name, pj_rcpsp *p, char *err,
                      size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (!name) name = "(buffer)";
    lines L = {buf, buf + len, NULL, 0, 0};
    long N = -1, K = -1, nonren = 0, doubly = 0;
    long *vals = NULL;
    int *succ_cnt = NULL, **succ_lists = NULL;
    int got_prec = 0, got_req = 0, got_cap = 0;
    int rc = -1;
    int maxv = 0;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        char m_[160];                                                                              \
        snprintf(m_, sizeof m_, __VA_ARGS__);                                                      \
        seterr(err, errlen, "%s:%d: %s", name, L.no, m_);                                          \
        goto out;                                                                                  \
    } while (0)
    while (next_line(&L)) {
        if (starts_with(&L, "jobs (incl. supersource/sink")) {
            N = value_after_colon(&L);
            if (N < 1 || N > SM_MAX_JOBS) FAIL("bad job count");
        } else if (starts_with(&L, "- renewable")) {
            K = value_after_colon(&L);
            if (K < 0 || K > SM_MAX_RES) FAIL("bad number of renewable resources");
        } else if (starts_with(&L, "- nonrenewable")) {
            nonren = value_after_colon(&L);
            if (nonren != 0) FAIL("nonrenewable resources are not supported");
        } else if (starts_with(&L, "- doubly constrained")) {
            doubly = value_after_colon(&L);
            if (doubly != 0) FAIL("doubly constrained resources are not supported");
        } else if (starts_with(&L, "PRECEDENCE RELATIONS:")) {
            if (N < 1) FAIL("PRECEDENCE RELATIONS before the job count");
            if (got_prec) FAIL("second PRECEDENCE RELATIONS section");
            got_prec = 1;
            maxv = (int)N + 8;
            vals = malloc((size_t)maxv * sizeof(long));
            succ_cnt = calloc((size_t)N, sizeof(int));
            succ_lists = calloc((size_t)N, sizeof(int *));
            if (!vals || !succ_cnt || !succ_lists) FAIL("out of memory");
            if (!next_line(&L)) FAIL("unexpected end of file");
            if (!starts_with(&L, "jobnr")) FAIL("expected the column header line");
            for (long j = 0; j < N; j++) {
                if (!next_line(&L)) FAIL("unexpected end of file in PRECEDENCE RELATIONS");
                if (starts_with(&L, "*"))
                    FAIL("PRECEDENCE RELATIONS ends after %ld of %ld jobs", j, N);
                int c = parse_ints(L.line, L.len, vals, maxv);
                if (c < 3) FAIL("expected 'jobnr #modes #successors successors...'");
                if (vals[0] != j + 1) FAIL("expected job %ld, found %ld", j + 1, vals[0]);
                if (vals[1] != 1)
                    FAIL("job %ld has %ld modes; only single-mode is supported", j + 1, vals[1]);
                if (vals[2] < 0 || vals[2] != c - 3)
                    FAIL("job %ld: %ld successors announced, %d listed", j + 1, vals[2], c - 3);
                succ_cnt[j] = c - 3;
                succ_lists[j] = malloc(((size_t)c - 3 + 1) * sizeof(int));
                if (!succ_lists[j]) FAIL("out of memory");
                for (int a = 3; a < c; a++) {
                    if (vals[a] < 1 || vals[a] > N)
                        FAIL("job %ld: successor %ld outside 1..%ld", j + 1, vals[a], N);
                    succ_lists[j][a - 3] = (int)vals[a] - 1;
                }
            }
        } else if (starts_with(&L, "REQUESTS/DURATIONS:")) {
            if (!got_prec) FAIL("REQUESTS/DURATIONS before PRECEDENCE RELATIONS");
            if (K < 0) FAIL("REQUESTS/DURATIONS before the resource count");
            if (got_req) FAIL("second REQUESTS/DURATIONS section");
            got_req = 1;
            p->n_jobs = (int)N;
            p->n_res = (int)K;
            p->duration = malloc((size_t)N * sizeof(int));
            p->demand = calloc((size_t)N * (size_t)(K > 0 ? K : 1), sizeof(int));
            if (!p->duration || !p->demand) FAIL("out of memory");
            if (!next_line(&L) || !starts_with(&L, "jobnr")) FAIL("expected the column header");
            if (!next_line(&L) || !starts_with(&L, "---")) FAIL("expected a line of dashes");
            for (long j = 0; j < N; j++) {
                if (!next_line(&L)) FAIL("unexpected end of file in REQUESTS/DURATIONS");
                if (starts_with(&L, "*"))
                    FAIL("REQUESTS/DURATIONS ends after %ld of %ld jobs", j, N);
                int c = parse_ints(L.line, L.len, vals, maxv);
                if (c != 3 + K) FAIL("expected 'jobnr mode duration' and %ld demands", K);
                if (vals[0] != j + 1) FAIL("expected job %ld, found %ld", j + 1, vals[0]);
                if (vals[1] != 1)
                    FAIL("job %ld: mode %ld, only mode 1 is supported", j + 1, vals[1]);
                if (vals[2] < 0) FAIL("job %ld: negative duration", j + 1);
                p->duration[j] = (int)vals[2];
                for (long k = 0; k < K; k++) {
                    if (vals[3 + k] < 0) FAIL("job %ld: negative demand", j + 1);
                    p->demand[j * K + k] = (int)vals[3 + k];
                }
            }
        } else if (starts_with(&L, "RESOURCEAVAILABILITIES:")) {
            if (K < 0) FAIL("RESOURCEAVAILABILITIES before the resource count");
            if (got_cap) FAIL("second RESOURCEAVAILABILITIES section");
            got_cap = 1;
            if (!next_line(&L)) FAIL("unexpected end of file");
            if (!next_line(&L)) FAIL("unexpected end of file");
            long cv[SM_MAX_RES + 1];
            int c = parse_ints(L.line, L.len, cv, SM_MAX_RES + 1);
            if (c != K) FAIL("expected %ld capacities", K);
            p->capacity = malloc(((size_t)K + 1) * sizeof(int));
            if (!p->capacity) FAIL("out of memory");
            for (long k = 0; k < K; k++) {
                if (cv[k] < 0) FAIL("negative capacity");
                p->capacity[k] = (int)cv[k];
            }
        }
    }
    if (N < 0) FAIL("no 'jobs (incl. supersource/sink )' line");
    if (K < 0) FAIL("no '- renewable' line");
    if (!got_prec) FAIL("no PRECEDENCE RELATIONS section");
    if (!got_req) FAIL("no REQUESTS/DURATIONS section");
    if (!got_cap) FAIL("no RESOURCEAVAILABILITIES section");
    /* CSR successors. */
    p->succ_start = malloc(((size_t)N + 1) * sizeof(int));
    if (!p->succ_start) FAIL("out of memory");
    long m = 0;
    for (long j = 0; j < N; j++) {
        p->succ_start[j] = (int)m;
        m += succ_cnt[j];
        if (m > INT_MAX / 2) FAIL("too many arcs");
    }
    p->succ_start[N] = (int)m;
    p->succ = malloc(((size_t)m + 1) * sizeof(int));
    if (!p->succ) FAIL("out of memory");
    for (long j = 0; j < N; j++)
        memcpy(p->succ + p->succ_start[j], succ_lists[j], (size_t)succ_cnt[j] * sizeof(int));
    rc = 0;
out:
#undef FAIL
    if (succ_lists)
        for (long j = 0; j < N; j++) free(succ_lists[j]);
    free(succ_lists);
    free(succ_cnt);
    free(vals);
    if (rc != 0) pj_rcpsp_free(p);
    return rc;
}

int pj_rcpsp_read_sm(const char *path, pj_rcpsp *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    size_t len;
    char *buf = slurp(path, &len, err, errlen);
    if (!buf) return -1;
    int rc = pj_rcpsp_parse_sm(buf, len, path, p, err, errlen);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Known values                                                                                 */

void pj_rcpsp_known_free(pj_rcpsp_known_set *s)
{
    if (!s) return;
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static int known_push(pj_rcpsp_known_set *s, int *cap, const char *name, size_t nlen, int lb,
                      int ub)
{
    if (nlen == 0 || nlen >= sizeof s->v[0].name) return -1;
    if (s->n == *cap) {
        int nc = *cap ? *cap * 2 : 256;
        pj_rcpsp_known *nv = realloc(s->v, (size_t)nc * sizeof *nv);
        if (!nv) return -2;
        s->v = nv;
        *cap = nc;
    }
    pj_rcpsp_known *e = &s->v[s->n++];
    memcpy(e->name, name, nlen);
    e->name[nlen] = 0;
    e->lb = lb;
    e->ub = ub;
    return 0;
}

/* Parses a non-negative integer of s[0..len) into *v; returns 0 or -1. */
static int parse_nat(const char *s, size_t len, int *v)
{
    long x[2];
    if (len == 0 || parse_ints(s, len, x, 2) != 1 || x[0] < 0) return -1;
    *v = (int)x[0];
    return 0;
}

int pj_rcpsp_known_read_csv(const char *path, pj_rcpsp_known_set *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    size_t len;
    char *buf = slurp(path, &len, err, errlen);
    if (!buf) return -1;
    lines L = {buf, buf + len, NULL, 0, 0};
    int cap = 0;
    while (next_line(&L)) {
        if (L.len == 0) continue;
        if (L.no == 1 && starts_with(&L, "problem")) continue;
        const char *comma = memchr(L.line, ',', L.len);
        if (!comma) {
            seterr(err, errlen, "%s:%d: expected 'name,value'", path, L.no);
            goto fail;
        }
        size_t nlen = (size_t)(comma - L.line);
        const char *v = comma + 1;
        size_t vlen = L.len - nlen - 1;
        while (vlen > 0 && isspace((unsigned char)v[vlen - 1])) vlen--;
        int lb = -1, ub = -1;
        const char *dots = NULL;
        for (size_t i = 0; i + 1 < vlen; i++)
            if (v[i] == '.' && v[i + 1] == '.') {
                dots = v + i;
                break;
            }
        int bad;
        if (dots) {
            size_t l1 = (size_t)(dots - v);
            bad = (l1 > 0 && parse_nat(v, l1, &lb)) || parse_nat(dots + 2, vlen - l1 - 2, &ub);
        } else {
            bad = parse_nat(v, vlen, &ub);
            lb = ub;
        }
        if (bad || (lb >= 0 && ub < lb)) {
            seterr(err, errlen, "%s:%d: bad value (expected 'v', 'LB..UB' or '..UB')", path, L.no);
            goto fail;
        }
        int r = known_push(s, &cap, L.line, nlen, lb, ub);
        if (r) {
            seterr(err, errlen, "%s:%d: %s", path, L.no, r == -2 ? "out of memory" : "bad name");
            goto fail;
        }
    }
    free(buf);
    return 0;
fail:
    free(buf);
    pj_rcpsp_known_free(s);
    return -1;
}

int pj_rcpsp_known_read_hrs(const char *path, const char *prefix, pj_rcpsp_known_set *s, char *err,
                            size_t errlen)
{
    memset(s, 0, sizeof *s);
    char pfx[24];
    if (prefix) {
        snprintf(pfx, sizeof pfx, "%s", prefix);
    } else {
        const char *b = strrchr(path, '/');
        b = b ? b + 1 : path;
        const char *h = strstr(b, "hrs");
        if (!h || h == b || (size_t)(h - b) >= sizeof pfx) {
            seterr(err, errlen, "%s: cannot derive the instance prefix from the file name", path);
            return -1;
        }
        memcpy(pfx, b, (size_t)(h - b));
        pfx[h - b] = 0;
    }
    size_t len;
    char *buf = slurp(path, &len, err, errlen);
    if (!buf) return -1;
    lines L = {buf, buf + len, NULL, 0, 0};
    int cap = 0;
    while (next_line(&L)) {
        size_t i = 0;
        while (i < L.len && isspace((unsigned char)L.line[i])) i++;
        if (i >= L.len || !isdigit((unsigned char)L.line[i])) continue; /* header, rules */
        /* First three tokens: Par Inst Makespan. */
        long v[3];
        int c = 0;
        const char *q = L.line + i, *e = L.line + L.len;
        while (c < 3 && q < e) {
            const char *t = q;
            while (t < e && !isspace((unsigned char)*t)) t++;
            if (parse_ints(q, (size_t)(t - q), v + c, 1) != 1) break;
            c++;
            while (t < e && isspace((unsigned char)*t)) t++;
            q = t;
        }
        if (c != 3 || v[0] < 0 || v[1] < 0 || v[2] < 0) {
            seterr(err, errlen, "%s:%d: expected 'Par Inst Makespan ...'", path, L.no);
            goto fail;
        }
        char name[64];
        int nl = snprintf(name, sizeof name, "%s%ld_%ld.sm", pfx, v[0], v[1]);
        int r = known_push(s, &cap, name, (size_t)nl, -1, (int)v[2]);
        if (r) {
            seterr(err, errlen, "%s:%d: %s", path, L.no, r == -2 ? "out of memory" : "bad name");
            goto fail;
        }
    }
    free(buf);
    if (s->n == 0) {
        seterr(err, errlen, "%s: no entries", path);
        return -1;
    }
    return 0;
fail:
    free(buf);
    pj_rcpsp_known_free(s);
    return -1;
}

const pj_rcpsp_known *pj_rcpsp_known_find(const pj_rcpsp_known_set *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0) return &s->v[i];
    return NULL;
}

void pj_rcpsp_known_merge(pj_rcpsp_known_set *dst, const pj_rcpsp_known_set *src)
{
    for (int i = 0; i < dst->n; i++) {
        const pj_rcpsp_known *o = pj_rcpsp_known_find(src, dst->v[i].name);
        if (!o) continue;
        if (o->ub >= 0 && (dst->v[i].ub < 0 || o->ub < dst->v[i].ub)) dst->v[i].ub = o->ub;
        if (o->lb > dst->v[i].lb) dst->v[i].lb = o->lb;
    }
}
