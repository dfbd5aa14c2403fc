/* The command line: `pingji VERB [SUB] [ARGS] [--opt value]`. Verbs live in one table; each
 * has its --help. Exit codes: 0 ok, 1 failed, 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/agritech.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/demo.h"
#include "domain/dualuse.h"
#include "domain/ecommerce.h"
#include "domain/enterprise.h"
#include "domain/indicator.h"
#include "domain/input.h"
#include "domain/logistics.h"
#include "domain/registry.h"
#include "http/server.h"
#include "pingji/pingji.h"
#include "cli/cli_int.h"

#include "core/banned.h"

const char *cli_opt(cli *a, const char *k)
{
    for (int i = 0; i < a->nopt; i++)
        if (!strcmp(a->key[i], k)) return a->val[i] ? a->val[i] : "";
    return NULL;
}

const char *cli_db_path(cli *a)
{
    const char *p = cli_opt(a, "db");
    if (!p) p = getenv("PINGJI_DB");
    return p && *p ? p : "data/pingji.db";
}

/* 1 when the file at path is st's (the same device and inode). */
static int same_file(const struct stat *st, const char *path)
{
    struct stat o;
    return stat(path, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

/* The database of the command line, or one of its side files, that st is (by any name: a hard
 * link, a path through another directory) into buf; NULL when it is none of them. */
static const char *database_file(cli *a, const struct stat *st, char *buf, size_t cap)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        snprintf(buf, cap, "%s%s", cli_db_path(a), sides[i]);
        if (same_file(st, buf)) return buf;
    }
    return NULL;
}

/* The directory part of path into buf ("." for a bare name, "/" for one at the root), its last
 * part returned. */
static const char *split_dir(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, cap, ".");
    else
        snprintf(buf, cap, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    return slash ? slash + 1 : path;
}

/* The database's side file (-wal, -shm, -journal) that path names, whether or not it is there
 * now (SQLite makes them while the database is open: a plan's --out pj.db-wal checked before
 * the database was opened passed, and a -journal written as an export was deleted by SQLite
 * at the next open), into buf; NULL when it names none. By directory (device and inode) and
 * name, so another path to the same directory is found too. */
static const char *database_side_name(cli *a, const char *path, char *buf, size_t cap)
{
    static const char *const sides[] = {"-wal", "-shm", "-journal"};
    char pdir[PATH_MAX], ddir[PATH_MAX];
    const char *db = cli_db_path(a), *pbase = split_dir(path, pdir, sizeof pdir),
               *dbase = split_dir(db, ddir, sizeof ddir);
    struct stat ds;
    size_t dn = strlen(dbase);
    if (strncmp(pbase, dbase, dn) || stat(ddir, &ds) || !same_file(&ds, pdir)) return NULL;
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++)
        if (!strcmp(pbase + dn, sides[i])) {
            snprintf(buf, cap, "%s%s", db, sides[i]);
            return buf;
        }
    return NULL;
}

/* What the name tells of --out path: 0, or 1 after saying why it is not written */
static int out_refused(cli *a, const char *path)
{
    struct stat st;
    char dbf[PATH_MAX + 16];
    const char *db;
    if ((db = database_side_name(a, path, dbf, sizeof dbf))) {
        fprintf(stderr, "pingji: --out %s is a file of the database's own (%s); not writing it\n",
                path, db);
        return 1;
    }
    if (lstat(path, &st) == 0) {
        const char *why = S_ISLNK(st.st_mode)   ? "is a symbolic link; not writing through it"
                          : S_ISDIR(st.st_mode) ? "is a directory; give a file name"
                                                : NULL;
        if (why) {
            fprintf(stderr, "pingji: --out %s %s\n", path, why);
            return 1;
        }
        if ((db = database_file(a, &st, dbf, sizeof dbf))) {
            fprintf(stderr, "pingji: --out %s is the database (%s); not writing over it\n", path,
                    db);
            return 1;
        }
        if (!S_ISREG(st.st_mode)) {
            fprintf(stderr, "pingji: --out %s is not a regular file; not writing over it\n", path);
            return 1;
        }
        if (!cli_opt(a, "force")) {
            fprintf(stderr,
                    "pingji: --out %s already exists; not overwriting it (--force replaces it)\n",
                    path);
            return 1;
        }
    } else if (errno != ENOENT) {
        fprintf(stderr, "pingji: --out %s: %s\n", path, strerror(errno));
        return 1;
    }
    /* the file is made in its directory (a replaced one too: written beside it, then renamed) */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    errno = 0;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK)) {
        fprintf(stderr, "pingji: --out %s: cannot write it (cannot create a file in %s: %s)\n",
                path, dir, errno ? strerror(errno) : "not a directory");
        return 1;
    }
    return 0;
}

int cli_out_check(cli *a, const char *path)
{
    if (out_refused(a, path)) return 1;
    /* and the file it is written under made there now, and removed: what the permissions do
     * not tell (a file system that takes no new file, such as /proc) is known before the work
     * (a plan solved and saved, then not written) */
    pj_file_whole f;
    pj_err e;
    pj_err_clear(&e);
    int fd = pj_file_whole_begin(&f, path, 1, "out", &e);
    if (fd < 0) {
        fprintf(stderr, "pingji: --out %s: cannot write it (%s)\n", path, e.message);
        return 1;
    }
    close(fd);
    pj_file_whole_drop(&f);
    return 0;
}

int cli_out_write(cli *a, const char *path, const void *data, size_t n)
{
    /* (the file made next says what the name does not: no trial file made first) */
    if (out_refused(a, path)) return 1;
    /* written beside it and renamed (core/file.h): a reader, or a killed write, never leaves
     * half a file under its name; with --force an existing file is replaced at once */
    int replace = cli_opt(a, "force") != NULL;
    pj_err err;
    pj_err_clear(&err);
    pj_file_whole f;
    int fd = pj_file_whole_begin(&f, path, replace, "write", &err);
    if (fd < 0) {
        fprintf(stderr, "pingji: --out %s\n", err.message);
        return 1;
    }
    const char *p = data;
    size_t left = n;
    int bad = 0;
    while (left && !bad) {
        ssize_t k = write(fd, p, left);
        if (k < 0 && errno == EINTR) continue;
        bad = k <= 0;
        if (!bad) {
            p += k;
            left -= (size_t)k;
        }
    }
    if (bad) {
        int e = errno;
        close(fd);
        pj_file_whole_drop(&f);
        fprintf(stderr, "pingji: cannot write %s: %s\n", path, strerror(e ? e : EIO));
        return 1;
    }
    if (pj_file_whole_end(&f, fd, replace, "write", &err)) {
        fprintf(stderr, "pingji: %s\n", err.message);
        return 1;
    }
    return 0;
}

int cli_usage(const char *msg)
{
    fprintf(stderr, "pingji: %s (see pingji help)\n", msg);
    return 2;
}

int cli_extra_args(cli *a, int max)
{
    if (a->npos <= max) return 0;
    fprintf(stderr, "pingji: unexpected argument '%s' for %s; see pingji %s --help\n", a->pos[max],
            a->pos[0], a->pos[0]);
    return 2;
}

/* The command line being run (pj_cli_main's), for cli_fail. */
static const cli *cli_now;

/* Whether e refuses a value the command line gave as an option as malformed: its field is an
 * option given (`month` --month, `zone_enterprise_id` --zone-enterprise-id, `graduated_on`
 * --on) and e says the value's form is wrong — not a month, not one of the values, not a date,
 * empty, too long, no district — as the input checks word it ("F must be …"); a well-formed
 * value the record's rules refuse ("graduated_on 2024-05-01 is before the latest practice") is
 * a failure, exit 1. */
static int refused_option(const pj_err *e)
{
    static const char *const form[] = {"bad_id",        "wrong_type",     "too_long",
                                       "missing_field", "unknown_region", NULL};
    if (!cli_now || (e->status != 400 && e->status != 422) || !e->field[0]) return 0;
    size_t n = strlen(e->field);
    int malformed = 0;
    for (int i = 0; form[i] && !malformed; i++) malformed = !strcmp(e->code, form[i]);
    if (!malformed && (!strcmp(e->code, "invalid_value") || !strcmp(e->code, "out_of_range")))
        malformed = !strncmp(e->message, e->field, n) && !strncmp(e->message + n, " must be ", 9);
    if (!malformed) return 0;
    char f[64];
    if (n >= sizeof f) return 0;
    for (size_t i = 0; i <= n; i++) f[i] = e->field[i] == '_' ? '-' : e->field[i];
    for (int j = 0; j < cli_now->nopt; j++) {
        const char *k = cli_now->key[j];
        size_t kn = strlen(k);
        /* an option naming a file or holding JSON: the field is the file's, not the option's
         * value (plan --scenario F whose JSON has no scenario is a refused file, exit 1) */
        if (!strcmp(k, "json") || !strcmp(k, "csv") || !strcmp(k, "out") ||
            (!strcmp(k, "scenario") && cli_now->npos && !strcmp(cli_now->pos[0], "plan")))
            continue;
        if (!strcmp(f, k) || (n > kn && f[n - kn - 1] == '-' && !strcmp(f + n - kn, k))) return 1;
    }
    return 0;
}

int cli_fail(const pj_err *e)
{
    /* a message may quote a record's text (a facility's name) */
    pj_buf m;
    pj_buf_init(&m, 1 << 20);
    cli_term_text(&m, e->message, strlen(e->message), 0);
    pj_buf_putc(&m, 0);
    fprintf(stderr, "pingji: %s%s%s%s (%s)\n", m.data ? m.data : "", e->field[0] ? " [field " : "",
            e->field, e->field[0] ? "]" : "", e->code);
    pj_buf_free(&m);
    /* the API's parameters are the command's options: a malformed or reversed one (a date, a
     * period, from after to) is a usage error, whichever verb gave it; so is a value given as
     * an option that the command refuses (--month 2024-13, --state bogus) */
    return !strcmp(e->code, "bad_query") || !strcmp(e->code, "unknown_parameter") ||
                   refused_option(e)
               ? 2
               : 1;
}

/* The length of the well-formed UTF-8 character at p (n bytes left), 0 when p starts none
 * (a stray or cut byte, an overlong form, a surrogate); *cp gets the code point. */
static size_t utf8_char(const unsigned char *p, size_t n, unsigned *cp)
{
    unsigned c = p[0];
    size_t len = c < 0x80                 ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (!len || len > n) return 0;
    unsigned v = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        v = v << 6 | (p[k] & 0x3Fu);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    *cp = v;
    return len;
}

void cli_term_text(pj_buf *out, const char *s, size_t n, int json)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = 0;
    while (i < n) {
        unsigned cp = 0;
        size_t len = utf8_char(p + i, n - i, &cp);
        char rep[16] = "";
        int c0 = len && (cp < 0x20 || cp == 0x7F);
        if (!len && json) /* not UTF-8: a byte a terminal might take for a C1 control */
            snprintf(rep, sizeof rep, "\\ufffd");
        else if (!len || (c0 && !json))
            snprintf(rep, sizeof rep, "\\x%02x", len ? cp : p[i]);
        else if (!json && cp == '\\') /* doubled: a stored "\\x1b" is not taken for an ESC */
            snprintf(rep, sizeof rep, "\\\\");
        else if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
                 (cp >= 0x2066 && cp <= 0x2069))
            snprintf(rep, sizeof rep, json ? "\\u%04X" : "\\u%04x", cp); /* as jansson's */
        if (!rep[0]) { /* printed as it is (in JSON the writer has escaped C0 already) */
            i += len ? len : 1;
            continue;
        }
        pj_buf_add(out, s + start, i - start);
        pj_buf_puts(out, rep);
        i += len ? len : 1;
        start = i;
    }
    pj_buf_add(out, s + start, n - start);
}

void cli_term_strings(json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) cli_term_strings(x);
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) cli_term_strings(x);
    } else if (json_is_string(v)) {
        pj_buf b;
        pj_buf_init(&b, 64 << 20);
        cli_term_text(&b, json_string_value(v), json_string_length(v), 0);
        if (b.len) json_string_setn(v, b.data, b.len);
        pj_buf_free(&b);
    }
}

/* Only init and serve create a database: for the other verbs a missing file, a directory or
 * an empty file (SQLite would take it for a new database) is not a pingji database. */
static int db_present(const char *path)
{
    struct stat st;
    if (stat(path, &st)) {
        if (errno == ENOENT)
            fprintf(stderr, "pingji: no database at %s (create one with pingji init)\n", path);
        else
            fprintf(stderr, "pingji: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "pingji: cannot open %s: it is a directory\n", path);
        return -1;
    }
    if (st.st_size == 0) {
        fprintf(stderr, "pingji: %s is not a pingji database (it is empty)\n", path);
        return -1;
    }
    return 0;
}

/* held: this process holds the database as its server (serve), which migrates it itself */
static int session_open(session *s, cli *a, int may_create, int held)
{
    memset(s, 0, sizeof *s);
    pj_settings_default(&s->settings);
    if (!may_create && db_present(cli_db_path(a))) return 1;
    /* opening applies the migrations this build has and the database has not: never under a
     * running server (perhaps an older build's), which would go on serving a schema it does not
     * know. Checked only when there is one to apply: a command on a current database runs
     * beside a server. */
    int pending = held ? 0 : pj_db_migrations_pending(cli_db_path(a));
    if (pending && pj_db_check_unserved(cli_db_path(a), "upgrade", &s->err)) {
        fprintf(stderr,
                "pingji: %s; this build has %d migration%s the database has not had, and"
                " opening it applies them (nothing was changed)\n",
                s->err.message, pending, pending == 1 ? "" : "s");
        return 1;
    }
    if (pj_db_open(&s->db, cli_db_path(a), &s->err)) return cli_fail(&s->err);
    pj_arena_init(&s->arena, 16384);
    s->ctx = (pj_ctx){.db = s->db,
                      .arena = &s->arena,
                      .settings = &s->settings,
                      .request_id = cli_request_id(),
                      .actor = {.user_id = 0, .username = "cli", .role = PJ_ROLE_ADMIN}};
    return 0;
}

/* The command line's request id in its audit rows: who ran it where, "cli:LOGIN@HOST" (the
 * operating system's account and machine: the rows' username is "cli", no account of the
 * platform, and a password reset or a restore from the command line named nobody) */
const char *cli_request_id(void)
{
    static char rid[160];
    if (rid[0]) return rid;
    const struct passwd *pw = getpwuid(geteuid());
    char host[64] = "";
    if (gethostname(host, sizeof host - 1)) snprintf(host, sizeof host, "%s", "?");
    host[sizeof host - 1] = 0;
    if (pw && pw->pw_name)
        snprintf(rid, sizeof rid, "cli:%.40s@%.60s", pw->pw_name, host);
    else
        snprintf(rid, sizeof rid, "cli:uid%u@%.60s", (unsigned)geteuid(), host);
    return rid;
}

int cli_session_open(session *s, cli *a)
{
    return session_open(s, a, 0, 0);
}

void cli_session_close(session *s)
{
    pj_arena_free(&s->arena);
    pj_db_close(s->db);
}

void cli_print_json(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);
    if (!v) {
        /* a stored text that is not UTF-8 (the writer passes its bytes through): each stray byte
         * as \ufffd, then the document is JSON again and printed as such (it was printed with a
         * table's \xNN escapes, which no JSON reader takes) */
        pj_buf fixed;
        pj_buf_init(&fixed, (size_t)-1 / 2);
        cli_term_text(&fixed, text, strlen(text), 1);
        pj_buf_putc(&fixed, 0);
        if (fixed.data) v = json_loads(fixed.data, 0, NULL);
        pj_buf_free(&fixed);
    }
    /* 15 significant digits: a number prints as it was stored (0.2, not 0.20000000000000001) */
    char *out =
        v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) : NULL;
    const char *o = out ? out : text;
    /* the writers escape C0 controls; DEL, C1 and the bidirectional controls (which a
     * terminal would act on) get \u escapes too: the same JSON value */
    pj_buf b;
    pj_buf_init(&b, (size_t)-1 / 2);
    /* a text that is not JSON (a stored column the writer passed through) is escaped as a
     * table's cell: its C0 controls were not escaped by any writer */
    cli_term_text(&b, o, strlen(o), out != NULL);
    pj_buf_putc(&b, 0);
    puts(b.data ? b.data : "");
    pj_buf_free(&b);
    free(out);
    json_decref(v);
}

/* ---- init / serve ---- */

static int64_t count_rows(pj_ctx *c, const char *sql)
{
    pj_err err = {0};
    pj_stmt *q = pj_db_prepare(c->db, sql, &err);
    if (!q) return -1;
    int64_t n = pj_stmt_step(q, &err) == 1 ? pj_col_int(q, 0) : -1;
    pj_stmt_done(q);
    return n;
}

static int bootstrap(session *s, int demo, uint64_t seed)
{
    char pw[32];
    int made = pj_auth_bootstrap(&s->ctx, pw, sizeof pw, &s->err);
    if (made < 0) return cli_fail(&s->err);
    /* drills finished before they kept their verdict get it, once; only a speed-up (the
     * overview judges those it finds without), so a failure (the database busy) is said and
     * the next opening tries again */
    if (pj_drill_judge_unkept(&s->ctx, &s->err) < 0) {
        pj_warn("drills: keeping the verdicts of earlier drills failed: %s (%s); tried again at"
                " the next start",
                s->err.message, s->err.code);
        pj_err_clear(&s->err);
    }
    if (made) {
        printf("pingji: admin login — user: admin  password: %s\n"
               "        (shown once; change it after logging in)\n",
               pw);
        /* out now, also to a file: the account exists from here on, and a server stopped while
         * the demo is built would otherwise lose its only copy */
        fflush(stdout);
    }
    if (demo) {
        char dpw[32];
        pj_demo_stats st;
        /* demo accounts share one random password, printed once */
        unsigned char raw[8];
        pj_random_bytes(raw, sizeof raw);
        char hex[17];
        pj_hex(raw, sizeof raw, hex);
        snprintf(dpw, sizeof dpw, "demo-%s", hex);
        if (pj_demo_build(&s->ctx, seed, dpw, &st, &s->err)) return cli_fail(&s->err);
        /* enterprise service: firms, reception days, appeals, policies (own transaction) */
        if (pj_enterprise_demo(&s->ctx, seed, &s->err)) return cli_fail(&s->err);
        /* district indicators (the seed's figures) and carbon accounts (own transaction) */
        if (pj_indicators_demo(&s->ctx, seed, &s->err)) return cli_fail(&s->err);
        /* livestream e-commerce: bases, studios, streamers, sessions (own transaction) */
        if (pj_ecommerce_demo(&s->ctx, seed, &s->err)) return cli_fail(&s->err);
        /* the village-streamer academy on top of it (synthetic, own transaction) */
        if (pj_academy_demo(&s->ctx, seed, &s->err)) return cli_fail(&s->err);
        /* agri-tech and logistics: labs, doctor farms, warehouses, freight (own transactions) */
        if (pj_agritech_demo(&s->ctx, seed, &s->err) || pj_logistics_demo(&s->ctx, seed, &s->err))
            return cli_fail(&s->err);
        /* the demo is complete: marked, so that a build stopped before this point is found
         * at the next start (demo_unfinished) and not served as if it were the demo */
        if (pj_db_begin(s->db, &s->err) ||
            pj_db_exec(s->db,
                       "INSERT OR REPLACE INTO settings (key, value) VALUES ('demo_complete',"
                       " strftime('%s', 'now'))",
                       &s->err) ||
            pj_db_commit(s->db, &s->err)) {
            pj_db_rollback(s->db);
            return cli_fail(&s->err);
        }
        /* the modules' demos add facilities (doctor farms) and organisations (firms): the
         * summary counts what the database holds */
        st.facilities = (int)count_rows(&s->ctx, "SELECT count(*) FROM facilities");
        st.organisations = (int)count_rows(&s->ctx, "SELECT count(*) FROM organisations");
        printf("pingji: demo district 平谷区: %d townships, %d villages/communities, %d grids, "
               "%lld residents, %d facilities, %d organisations (synthetic detail labelled)\n",
               st.townships, st.villages, st.grids, (long long)st.residents, st.facilities,
               st.organisations);
        printf(
            "pingji: demo accounts officer, jinhaihu, wanda, grid01, jd, viewer — password: %s\n",
            dpw);
    }
    fflush(stdout); /* the demo accounts' password, likewise */
    return 0;
}

/* 1 (with the message said) when the database holds a demo district whose build was stopped
 * before it finished (no demo_complete mark): half a demo, whose accounts' password was never
 * shown. Not removed here: the file may hold more than the demo. */
static int demo_unfinished(session *s, const char *path)
{
    if (count_rows(&s->ctx, "SELECT COUNT(*) FROM audit WHERE action = 'demo' AND entity ="
                            " 'district'") <= 0 ||
        count_rows(&s->ctx, "SELECT COUNT(*) FROM settings WHERE key = 'demo_complete'") != 0)
        return 0;
    fprintf(stderr,
            "pingji: %s holds a demo district whose build was stopped before it finished (its"
            " accounts' password was never shown); not serving half a demo. If it holds nothing"
            " else, remove %s and its -wal and -shm files and start again to build the demo"
            " anew; else restore a backup\n",
            path, path);
    return 1;
}

static int mkparent(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) return 0;
    *slash = 0;
    if (!*dir) return 0;
    mkdir(dir, 0755);
    return 0;
}

/* --seed N (the demo's seed): 0 or a usage error (2). */
static int seed_opt(cli *a, uint64_t *seed)
{
    int64_t v = 20240801;
    const char *s = cli_opt(a, "seed");
    if (s && (pj_parse_i64(s, &v) || v < 0)) return cli_usage("--seed takes a number (0 or more)");
    *seed = (uint64_t)v;
    return 0;
}

static int v_init(cli *a)
{
    uint64_t seed;
    if (cli_extra_args(a, 1) || seed_opt(a, &seed)) return 2;
    /* the seed is the demo's: without --demo it would do nothing */
    if (cli_opt(a, "seed") && !cli_opt(a, "demo"))
        return cli_usage("init --seed N seeds the demo district: give it with --demo");
    mkparent(cli_db_path(a));
    session s;
    if (session_open(&s, a, 1, 0)) return 1;
    if (cli_opt(a, "demo") && demo_unfinished(&s, cli_db_path(a))) {
        cli_session_close(&s);
        return 1;
    }
    int rc = bootstrap(&s, cli_opt(a, "demo") != NULL, seed);
    if (!rc)
        printf("pingji: database %s ready (schema %d)\n", cli_db_path(a),
               pj_db_schema_version(s.db));
    cli_session_close(&s);
    return rc;
}

/* --NAME as a number in lo..hi into *v (left as is when absent): 0 or a usage error (2). */
static int num_opt(cli *a, const char *name, int64_t lo, int64_t hi, const char *what, int64_t *v)
{
    const char *s = cli_opt(a, name);
    if (!s) return 0;
    if (pj_parse_i64(s, v) || *v < lo || *v > hi) {
        fprintf(stderr, "pingji: --%s takes %s, not '%s' (see pingji serve --help)\n", name, what,
                s);
        return 2;
    }
    return 0;
}

/* Every --trusted-proxy ADDR[/BITS] into nets[0..*n): 0 or a usage error (2). */
static int proxy_opts(cli *a, pj_net nets[PJ_TRUSTED_PROXIES_MAX], int *n)
{
    *n = 0;
    for (int i = 0; i < a->nopt; i++) {
        if (strcmp(a->key[i], "trusted-proxy")) continue;
        const char *v = a->val[i] ? a->val[i] : "";
        if (*n == PJ_TRUSTED_PROXIES_MAX) {
            fprintf(stderr, "pingji: at most %d --trusted-proxy (see pingji serve --help)\n",
                    PJ_TRUSTED_PROXIES_MAX);
            return 2;
        }
        if (pj_net_parse(v, &nets[*n])) {
            fprintf(stderr,
                    "pingji: --trusted-proxy takes an IPv4 or IPv6 address, optionally with a "
                    "prefix length whose host bits are zero (127.0.0.1, 10.0.0.0/8, ::1), not "
                    "'%s' (see pingji serve --help)\n",
                    v);
            return 2;
        }
        (*n)++;
    }
    return 0;
}

static int v_serve(cli *a)
{
    const char *path = cli_db_path(a);
    /* every option is checked before the database (its admin, the demo) is created */
    int64_t port = 8080, idle = 30, check_ms = 50, scan_s = 300;
    uint64_t seed;
    pj_net proxies[PJ_TRUSTED_PROXIES_MAX];
    int nproxies;
    if (num_opt(a, "port", 0, 65535, "a number from 0 to 65535", &port) ||
        num_opt(a, "idle-minutes", 1, 1440, "a number from 1 to 1440", &idle) ||
        num_opt(a, "cache-check-ms", 0, 10000, "0 to 10000", &check_ms) ||
        num_opt(a, "alert-scan-s", 0, 86400, "0 (off) to 86400", &scan_s) || seed_opt(a, &seed) ||
        proxy_opts(a, proxies, &nproxies) || cli_extra_args(a, 1))
        return 2;
    /* the seed is the demo's, as init's: without --demo-if-new it would do nothing */
    if (cli_opt(a, "seed") && !cli_opt(a, "demo-if-new"))
        return cli_usage("serve --seed N seeds the demo district: give it with --demo-if-new");
    const char *host = cli_opt(a, "host"), *web = cli_opt(a, "web");
    if (host && !*host) return cli_usage("--host takes an address");
    struct stat st;
    if (web && (!*web || stat(web, &st) || !S_ISDIR(st.st_mode))) {
        fprintf(stderr, "pingji: --web %s is not a directory\n", web);
        return 2;
    }
    if (web && pj_path_inside(path, web)) {
        fprintf(stderr,
                "pingji: --web %s holds the database %s, whose files would be served to anyone:"
                " keep the database outside the console's directory\n",
                web, path);
        return 2;
    }
    if (!cli_opt(a, "idle-minutes")) idle = -1; /* the default of the settings */
    pj_err err;
    pj_err_clear(&err);
    /* the port first: a port in use (another pingji) creates no database, admin or demo */
    int lfd = pj_server_listen(host, (int)port, &err);
    if (lfd < 0) return cli_fail(&err);
    int fresh = access(path, F_OK) != 0;
    mkparent(path);
    /* held from before the first open to the end (as the server holds it): a database a
     * restore is writing is neither opened nor migrated, and the restore's message is shown at
     * once. Closed last: closing a descriptor of the file drops the process's SQLite locks. */
    int hold = pj_db_hold(path, &err);
    if (hold < 0) {
        close(lfd);
        return cli_fail(&err);
    }
    session s;
    if (session_open(&s, a, 1, 1)) {
        close(lfd);
        close(hold);
        return 1;
    }
    if (cli_opt(a, "fast-hash")) s.settings.fast_hash = 1;
    /* a database whose demo build was stopped: said, not served — with --demo-if-new or
     * without (plain serve served it as it was, its accounts' password never shown) */
    if (!fresh && demo_unfinished(&s, path)) {
        cli_session_close(&s);
        close(lfd);
        close(hold);
        return 1;
    }
    int rc = bootstrap(&s, fresh && cli_opt(a, "demo-if-new"), seed);
    cli_session_close(&s);
    if (rc) {
        close(lfd);
        close(hold);
        return rc;
    }
    pj_server_opts so = {.db_path = path,
                         .host = host,
                         .access_log = !cli_opt(a, "quiet"),
                         .listen_fd_given = 1,
                         .listen_fd = lfd};
    pj_settings_default(&so.settings);
    if (cli_opt(a, "fast-hash")) so.settings.fast_hash = 1, so.login_unthrottled = 1;
    if (cli_opt(a, "trust-proxy")) so.trust_proxy = 1;
    if (cli_opt(a, "secure-cookies")) so.secure_cookies = 1;
    so.trusted_proxies = proxies;
    so.n_trusted_proxies = nproxies; /* implies trust_proxy */
    if (idle > 0) so.settings.session_idle_s = (int)(idle * 60);
    so.port = (int)port;
    so.cache_check_ms = (int)check_ms;
    so.alert_scan_s = (int)scan_s;
    so.web_dir = web;
    if (!so.web_dir && stat("web/dist/index.html", &st) == 0) so.web_dir = "web/dist";
    pj_server *srv;
    if (pj_server_open(&srv, &so, &err)) {
        close(hold);
        return cli_fail(&err);
    }
    /* an IPv6 address is bracketed in a URL (http://[::1]:8080/), as a browser takes it */
    const char *shown = so.host ? so.host : "127.0.0.1";
    int v6 = strchr(shown, ':') && shown[0] != '[';
    printf("pingji: serving http://%s%s%s:%d/ (database %s)\n", v6 ? "[" : "", shown, v6 ? "]" : "",
           pj_server_port(srv), path);
    fflush(stdout);
    pj_server_run(srv);
    pj_server_free(srv);
    close(hold);
    return 0;
}

/* ---- entity verbs ---- */

typedef int (*list_fn)(pj_ctx *, const pj_list_filter *, pj_jw *, pj_err *);
typedef int (*get_fn)(pj_ctx *, int64_t, pj_jw *, pj_err *);
typedef int (*create_fn)(pj_ctx *, json_t *, pj_jw *, pj_err *);
typedef int (*update_fn)(pj_ctx *, int64_t, json_t *, pj_jw *, pj_err *);
typedef int (*delete_fn)(pj_ctx *, int64_t, pj_err *);
typedef struct entity_ops {
    list_fn list;
    get_fn get;
    create_fn create;
    update_fn update;
    delete_fn del;
    /* the values list's --type, --role and --state take, as the API's (NULL: no such filter) */
    const char *const *types, *const *roles, *const *states;
    /* the verb's sub-commands besides these five, which it runs itself (NULL: none), named
     * when an unknown one is refused */
    const char *more;
} entity_ops;

int cli_parse_id(const char *s, int64_t *id)
{
    return !s || pj_parse_i64(s, id) || *id <= 0 ? -1 : 0;
}

json_t *cli_json_text(const char *what, const char *text, size_t len)
{
    /* a byte order mark (a file saved as "UTF-8 with BOM") is no part of the JSON */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) text += 3, len -= 3;
    json_error_t je;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    pj_in_whole_numbers(v);
    /* jansson names its own flag for a NUL escape: said as the API says it */
    if (!v && strstr(je.text, "JSON_ALLOW_NUL"))
        snprintf(je.text, sizeof je.text, "a text holds \\u0000 (NUL), which no text may hold");
    if (!v && je.line > 0)
        fprintf(stderr, "pingji: %s: %s (line %d)\n", what, je.text, je.line);
    else if (!v)
        fprintf(stderr, "pingji: %s: %s\n", what, je.text);
    return v;
}

json_t *cli_json_file(const char *what, const char *path, int *rc)
{
    pj_buf text;
    pj_err err;
    json_t *v = NULL;
    *rc = 1; /* a file that cannot be read fails the run, as every verb's input file does */
    if (pj_file_read(path, (size_t)64 << 20, &text, "", &err))
        fprintf(stderr, "pingji: %s: %s\n", what, err.message);
    else if (!(v = cli_json_text(what, text.data ? text.data : "", text.len)))
        *rc = 2; /* read, but no JSON: a bad value */
    pj_buf_free(&text);
    return v;
}

int cli_json_body(cli *a, json_t **body)
{
    const char *j = cli_opt(a, "json");
    int rc = 2;
    if (!j) return cli_usage("give --json '{…}' or --json @file.json");
    if (!strcmp(j, "@")) return cli_usage("--json @ names no file: give --json @file.json");
    *body =
        j[0] == '@' ? cli_json_file("--json", j + 1, &rc) : cli_json_text("--json", j, strlen(j));
    return *body ? 0 : rc;
}

/* The registry's id filters (0 or more): each one given into *dst; 2 after naming the first
 * that is not such a number. */
typedef struct id_opt {
    const char *k;
    int64_t *dst;
} id_opt;
/* Each of opts given: an id (1 or more: 0 is no record, as the API's 400, not "no filter"),
 * the cursor 0 or more; else a usage error naming it (2). */
static int id_opts(cli *a, const id_opt *opts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int min = !strcmp(opts[i].k, "cursor") ? 0 : 1;
        if (cli_opt(a, opts[i].k) &&
            (pj_parse_i64(cli_opt(a, opts[i].k), opts[i].dst) || *opts[i].dst < min)) {
            fprintf(stderr, "pingji: --%s takes %s, not '%s'\n", opts[i].k,
                    min ? "an id (a number, 1 or more)" : "a number, 0 or more",
                    cli_opt(a, opts[i].k));
            return 2;
        }
    }
    return 0;
}

static int run_entity(cli *a, const entity_ops *ops)
{
    const char *sub = a->npos > 1 ? a->pos[1] : "list";
    static const char *const subs[] = {"list", "get", "add", "update", "delete", NULL};
    int known = 0;
    for (int i = 0; subs[i] && !known; i++) known = !strcmp(sub, subs[i]);
    if (!known) {
        if (ops->more)
            fprintf(stderr, "pingji: %s takes list, get, add, update, delete, %s, not '%s'\n",
                    a->pos[0], ops->more, sub);
        else
            fprintf(stderr, "pingji: %s takes list, get, add, update or delete, not '%s'\n",
                    a->pos[0], sub);
        return 2;
    }
    if (cli_extra_args(a, !strcmp(sub, "list") || !strcmp(sub, "add") ? 2 : 3)) return 2;
    /* a filter value the API would refuse is refused here too, not answered with nothing */
    if (!strcmp(sub, "list") && ((ops->types && cli_opt_enum(a, "type", ops->types)) ||
                                 (ops->roles && cli_opt_enum(a, "role", ops->roles)) ||
                                 (ops->states && cli_opt_enum(a, "state", ops->states)) ||
                                 cli_opt_text(a, "q") || cli_opt_text(a, "industry")))
        return 2;
    session s;
    if (cli_session_open(&s, a)) return 1;
    pj_buf out;
    pj_buf_init(&out, 256 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc = 0;
    int64_t id = 0;
    json_t *body = NULL;
    if (!strcmp(sub, "list")) {
        pj_list_filter f = {.limit = 50};
        int64_t v;
        const id_opt ints[] = {{"parent-id", &f.parent_id},
                               {"township-id", &f.township_id},
                               {"village-id", &f.village_id},
                               {"operator-id", &f.operator_id},
                               {"cursor", &f.cursor}};
        if ((rc = id_opts(a, ints, sizeof ints / sizeof ints[0]))) goto out;
        if (cli_opt(a, "limit")) {
            if (pj_parse_i64(cli_opt(a, "limit"), &v) || v < 1 || v > PJ_LIST_LIMIT_MAX) {
                rc = cli_usage("--limit takes 1 to 500");
                goto out;
            }
            f.limit = (int)v;
        }
        f.type = cli_opt(a, "type");
        f.role = cli_opt(a, "role");
        f.state = cli_opt(a, "state");
        f.q = cli_opt(a, "q");
        f.industry = cli_opt(a, "industry");
        if (ops->list(&s.ctx, &f, &w, &s.err)) rc = cli_fail(&s.err);
    } else if (!strcmp(sub, "get") || !strcmp(sub, "delete")) {
        if (cli_parse_id(a->npos > 2 ? a->pos[2] : NULL, &id)) {
            rc = cli_usage("give the id");
            goto out;
        }
        if (!strcmp(sub, "get") ? ops->get(&s.ctx, id, &w, &s.err) : ops->del(&s.ctx, id, &s.err))
            rc = cli_fail(&s.err);
        else if (!strcmp(sub, "delete"))
            cli_deleted(&w, id);
    } else if (!strcmp(sub, "add") || !strcmp(sub, "update")) {
        int upd = !strcmp(sub, "update");
        if (upd && cli_parse_id(a->npos > 2 ? a->pos[2] : NULL, &id)) {
            rc = cli_usage("give the id");
            goto out;
        }
        if ((rc = cli_json_body(a, &body))) goto out;
        if (upd && !json_object_get(body, "version")) {
            /* the command line edits the current version */
            pj_buf cur;
            pj_buf_init(&cur, 1 << 20);
            pj_jw cw;
            pj_jw_init(&cw, &cur);
            if (ops->get(&s.ctx, id, &cw, &s.err)) {
                pj_buf_free(&cur);
                rc = cli_fail(&s.err); /* no such record: say so, not that the version is missing */
                goto out;
            }
            cli_set_version(id, body, cur.data);
            pj_buf_free(&cur);
        }
        if (upd ? ops->update(&s.ctx, id, body, &w, &s.err) : ops->create(&s.ctx, body, &w, &s.err))
            rc = cli_fail(&s.err);
    } else {
        rc = cli_usage("sub-commands: list, get ID, add --json J, update ID --json J, delete ID");
    }
    if (!rc && out.len) cli_print_json(out.data);
out:
    json_decref(body);
    pj_buf_free(&out);
    cli_session_close(&s);
    return rc;
}

static int v_region(cli *a)
{
    static const entity_ops ops = {pj_region_list,   pj_region_get,    pj_region_create,
                                   pj_region_update, pj_region_delete, pj_region_types};
    return run_entity(a, &ops);
}
/* facility export [--csv|--xlsx] [--headings en|zh] [--out FILE] [the list's filters]: CSV
 * unless --xlsx or an --out ending in .xlsx, under the import's English or Chinese headings; to
 * FILE or standard output (a workbook not onto a terminal). */
static int facility_export(cli *a)
{
    if (cli_extra_args(a, 2)) return 2;
    const char *path = cli_opt(a, "out");
    if (path && !*path) return cli_usage("facility export: --out needs a file name");
    if (cli_opt(a, "csv") && cli_opt(a, "xlsx")) return cli_usage("give --csv or --xlsx, not both");
    /* a file named for the other format would not open as what it holds */
    if (path && cli_opt(a, "csv") && cli_ends_with_ci(path, ".xlsx"))
        return cli_usage("facility export --csv writes CSV, not a workbook: name the file .csv, or"
                         " leave --csv out to write a workbook");
    if (path && cli_opt(a, "xlsx") && cli_ends_with_ci(path, ".csv"))
        return cli_usage("facility export --xlsx writes a workbook, not CSV: name the file .xlsx,"
                         " or leave --xlsx out to write CSV");
    int xlsx =
        cli_opt(a, "xlsx") || (!cli_opt(a, "csv") && path && cli_ends_with_ci(path, ".xlsx"));
    if (xlsx && !path && isatty(STDOUT_FILENO))
        return cli_usage("facility export --xlsx writes a workbook: give --out FILE.xlsx or"
                         " redirect standard output");
    int zh;
    if (cli_opt_enum(a, "type", pj_facility_types) || cli_opt_enum(a, "role", pj_emergency_roles) ||
        cli_opt_enum(a, "state", pj_facility_states) || cli_opt_text(a, "q") ||
        cli_opt_headings(a, &zh))
        return 2;
    pj_list_filter f = {0};
    const id_opt ints[] = {{"township-id", &f.township_id},
                           {"village-id", &f.village_id},
                           {"operator-id", &f.operator_id}};
    if (id_opts(a, ints, sizeof ints / sizeof ints[0])) return 2;
    f.type = cli_opt(a, "type");
    f.role = cli_opt(a, "role");
    f.state = cli_opt(a, "state");
    f.q = cli_opt(a, "q");
    if (path && cli_out_check(a, path)) return 1;
    session s;
    if (cli_session_open(&s, a)) return 1;
    pj_buf data, out;
    pj_buf_init(&data, 256 << 20);
    pj_buf_init(&out, 1 << 16);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc =
        (xlsx ? pj_facility_export_xlsx : pj_facility_export_csv)(&s.ctx, &f, zh, &data, &s.err);
    if (rc == 0 && data.overflow) rc = pj_fail(&s.err, 500, "internal", "", "export too large");
    rc = rc ? cli_fail(&s.err) : cli_write_export(a, &data, path, xlsx, &w);
    if (!rc && out.len) cli_print_json(out.data);
    pj_buf_free(&data);
    pj_buf_free(&out);
    cli_session_close(&s);
    return rc;
}

static int v_facility(cli *a)
{
    if (a->npos > 1 && !strcmp(a->pos[1], "import"))
        return cli_import_file(a, 2, "facility import FILE.csv|FILE.xlsx [--dry-run]",
                               pj_facility_import_csv, pj_facility_import_xlsx);
    if (a->npos > 1 && !strcmp(a->pos[1], "export")) return facility_export(a);
    static const entity_ops ops = {pj_facility_list,   pj_facility_get,    pj_facility_create,
                                   pj_facility_update, pj_facility_delete, pj_facility_types,
                                   pj_emergency_roles, pj_facility_states, "import or export"};
    return run_entity(a, &ops);
}
static int v_org(cli *a)
{
    static const entity_ops ops = {pj_org_list,   pj_org_get,    pj_org_create,
                                   pj_org_update, pj_org_delete, pj_org_types};
    return run_entity(a, &ops);
}

static int user_list_adapter(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err)
{
    return pj_user_list(c, f->role, f->cursor, f->limit, w, err);
}

/* Reads the password on the first line of standard input into buf (its line end removed);
 * 2 with a message when there is none or it is too long. */
static int read_password_line(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin)) {
        fprintf(stderr, "pingji: --password-stdin: no password on standard input\n");
        return 2;
    }
    size_t n = strlen(buf);
    int whole = n > 0 && buf[n - 1] == '\n';
    if (!whole && !feof(stdin)) {
        sodium_memzero(buf, size);
        fprintf(stderr, "pingji: --password-stdin: the line is longer than %zu bytes\n", size - 2);
        return 2;
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
    if (!n) {
        fprintf(stderr, "pingji: --password-stdin: the first line of standard input is empty\n");
        return 2;
    }
    return 0;
}

static int v_user(cli *a)
{
    const char *sub = a->npos > 1 ? a->pos[1] : "list";
    if (strcmp(sub, "add") || cli_opt(a, "json")) {
        if (cli_opt(a, "password") || cli_opt(a, "password-stdin"))
            return cli_usage("--password and --password-stdin go with user add NAME; with "
                             "--json J the password is the JSON's (give it as --json @FILE)");
        /* nor the fields of that form beside --json: they were dropped without a word (an
         * account made admin by its JSON while --role viewer was written) */
        static const char *const named[] = {
            "role", "name", "township-id", "facility-id", "organisation-id", "grid-ids"};
        if (!strcmp(sub, "add"))
            for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
                if (cli_opt(a, named[i])) {
                    fprintf(stderr,
                            "pingji: user add --json J does not take --%s: put it in the JSON,"
                            " or use user add NAME --%s …\n",
                            named[i], named[i]);
                    return 2;
                }
        static const entity_ops ops = {user_list_adapter, pj_user_get,    pj_user_create,
                                       pj_user_update,    pj_user_delete, NULL,
                                       pj_user_roles};
        return run_entity(a, &ops);
    }
    /* user add NAME --role R [--password P] [--township-id N] … */
    if (a->npos < 3 || !cli_opt(a, "role")) return cli_usage("user add NAME --role ROLE");
    if (cli_extra_args(a, 3)) return 2;
    json_t *b = json_object();
    json_object_set_new(b, "username", json_string(a->pos[2]));
    json_object_set_new(b, "role", json_string(cli_opt(a, "role")));
    char gen[32] = "", line[1024];
    const char *pw = cli_opt(a, "password");
    if (pw && cli_opt(a, "password-stdin")) {
        json_decref(b);
        return cli_usage("give --password P or --password-stdin, not both");
    }
    if (cli_opt(a, "password-stdin")) {
        /* one line of standard input, without its line end: the password is in no process
         * list nor shell history */
        if (read_password_line(line, sizeof line)) {
            json_decref(b);
            return 2;
        }
        pw = line;
    }
    if (!pw) {
        pj_password_generate(a->pos[2], gen);
        pw = gen;
    }
    json_object_set_new(b, "password", json_string(pw));
    sodium_memzero(line, sizeof line);
    if (cli_opt(a, "name")) json_object_set_new(b, "display_name", json_string(cli_opt(a, "name")));
    static const char *const refs[][2] = {{"township-id", "township_id"},
                                          {"facility-id", "facility_id"},
                                          {"organisation-id", "organisation_id"}};
    for (int i = 0; i < 3; i++) {
        int64_t v;
        if (!cli_opt(a, refs[i][0])) continue;
        if (cli_parse_id(cli_opt(a, refs[i][0]), &v)) {
            json_decref(b);
            fprintf(stderr, "pingji: --%s takes a positive id (see pingji help)\n", refs[i][0]);
            return 2;
        }
        json_object_set_new(b, refs[i][1], json_integer(v));
    }
    if (cli_opt(a, "grid-ids")) {
        json_t *arr = json_array();
        char *list = strdup(cli_opt(a, "grid-ids"));
        int bad = 0;
        /* every item an id: an empty one (",4", "4,,5", "4,") is a typo, not nothing */
        for (char *t = list, *end; !bad; t = end + 1) {
            end = strchr(t, ',');
            if (end) *end = '\0';
            int64_t v;
            if (cli_parse_id(t, &v))
                bad = 1;
            else
                json_array_append_new(arr, json_integer(v));
            if (!end) break;
        }
        free(list);
        if (bad) {
            json_decref(arr);
            json_decref(b);
            return cli_usage("--grid-ids takes positive ids separated by commas (1,2,3)");
        }
        json_object_set_new(b, "grid_ids", arr);
    }
    /* the account's one-time password goes to standard output: none open, no account (its
     * password would be lost) */
    if (fcntl(STDOUT_FILENO, F_GETFL) < 0) {
        json_decref(b);
        fprintf(stderr, "pingji: standard output is closed: the new account's password could not"
                        " be shown; no account made\n");
        return 1;
    }
    session s;
    if (cli_session_open(&s, a)) {
        json_decref(b);
        return 1;
    }
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc = 0;
    if (pj_user_create(&s.ctx, b, &w, &s.err))
        rc = cli_fail(&s.err);
    else if (gen[0]) {
        /* the password made up goes into the account's JSON (shown once): standard output
         * stays one JSON document a script can read it from */
        json_t *o = json_loads(out.data, 0, NULL);
        char *text = NULL;
        if (o && !json_object_set_new(o, "password", json_string(gen)))
            text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        json_decref(o);
        if (text) {
            cli_print_json(text);
            sodium_memzero(text, strlen(text));
            free(text);
        } else {
            cli_print_json(out.data);
            fprintf(stderr, "pingji: password: %s (shown once)\n", gen);
        }
        sodium_memzero(gen, sizeof gen);
        if (fflush(stdout) || ferror(stdout)) {
            /* made, but its password went nowhere: say how to give it one */
            json_t *made = json_loads(out.data, 0, NULL);
            long long uid = (long long)json_integer_value(json_object_get(made, "id"));
            fprintf(stderr,
                    "pingji: cannot write standard output: the account %s (id %lld) was made but"
                    " its password was not shown; set one with pingji user update %lld --json"
                    " @FILE\n",
                    a->pos[2], uid, uid);
            json_decref(made);
            rc = 1;
        }
    } else {
        cli_print_json(out.data);
    }
    pj_buf_free(&out);
    json_decref(b);
    cli_session_close(&s);
    return rc;
}

static int v_audit(cli *a)
{
    if (cli_extra_args(a, 1) || cli_opt_text(a, "entity") || cli_opt_text(a, "action") ||
        cli_opt_text(a, "username"))
        return 2;
    /* an empty filter would match no row, where the API's ?username= is no filter: neither is
     * meant, so it is refused */
    static const char *const texts[] = {"entity", "action", "username"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (cli_opt(a, texts[i]) && !*cli_opt(a, texts[i])) {
            fprintf(stderr,
                    "pingji: --%s is empty: give a value, or leave --%s out for every row (see "
                    "pingji audit --help)\n",
                    texts[i], texts[i]);
            return 2;
        }
    pj_audit_filter f = {.limit = 50,
                         .entity = cli_opt(a, "entity"),
                         .action = cli_opt(a, "action"),
                         .username = cli_opt(a, "username")};
    if ((f.entity_id = cli_opt_id(a, "entity-id")) < 0)
        return cli_usage("--entity-id takes a positive id");
    if ((f.user_id = cli_opt_id(a, "user-id")) < 0)
        return cli_usage("--user-id takes a positive id");
    /* the API's since and until: a date (from Beijing midnight) or a time (UTC); since not
     * after until */
    const char *since = cli_opt(a, "since"), *until = cli_opt(a, "until");
    if (since && pj_time_parse_local(since, &f.since))
        return cli_usage("--since takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    if (until && pj_time_parse_local(until, &f.until))
        return cli_usage("--until takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    if (since && until && f.since > f.until) {
        fprintf(stderr,
                "pingji: --since (%.40s) must not be after --until (%.40s) (see pingji "
                "audit --help)\n",
                since, until);
        return 2;
    }
    /* the rows older than the page before: its next_cursor */
    if ((f.cursor = cli_opt_id(a, "cursor")) < 0)
        return cli_usage("--cursor takes the next_cursor of the page before");
    if ((f.limit = cli_opt_limit(a)) < 0) return cli_usage("--limit takes 1 to 500");
    session s;
    if (cli_session_open(&s, a)) return 1;
    pj_buf out;
    pj_buf_init(&out, 64 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc = pj_audit_list(&s.ctx, &f, &w, &s.err) ? cli_fail(&s.err) : 0;
    if (!rc) cli_print_json(out.data);
    pj_buf_free(&out);
    cli_session_close(&s);
    return rc;
}

static int v_backup(cli *a)
{
    if (a->npos < 2) return cli_usage("backup FILE");
    if (cli_extra_args(a, 2)) return 2;
    if (!*a->pos[1]) {
        fprintf(stderr, "pingji: backup needs a FILE name\n");
        return 2;
    }
    /* nor the database's own side files, by any name: a -journal, absent in WAL mode, was
     * written, said backed up, and deleted by SQLite at the next open as a hot journal */
    char dbf[PATH_MAX + 16];
    const char *side = database_side_name(a, a->pos[1], dbf, sizeof dbf);
    if (side) {
        fprintf(stderr, "pingji: backup %s is a file of the database's own (%s); not writing it\n",
                a->pos[1], side);
        return 1;
    }
    session s;
    if (cli_session_open(&s, a)) return 1;
    int rc = pj_db_backup(s.db, a->pos[1], &s.err) ? cli_fail(&s.err) : 0;
    if (!rc) {
        printf("pingji: backed up %s to %s\n", cli_db_path(a), a->pos[1]);
        /* a copy of every password hash, ID number and phone leaves the database: audited, as a
         * restore is (who, from where, into which file) */
        char *to = realpath(a->pos[1], NULL);
        json_t *what = json_pack("{s:s}", "to", to ? to : a->pos[1]);
        char *after = json_dumps(what, JSON_COMPACT);
        json_decref(what);
        free(to);
        if (pj_db_begin(s.db, &s.err) ||
            pj_audit_add(&s.ctx, "backup", "database", 0, NULL, after, &s.err) ||
            pj_db_commit(s.db, &s.err)) {
            pj_db_rollback(s.db);
            fprintf(stderr,
                    "pingji: warning: the backup is made but not recorded in the audit: %s\n",
                    s.err.message);
        }
        free(after);
    }
    cli_session_close(&s);
    return rc;
}

/* path with suffix (SQLite's side files: -wal, -shm) */
static const char *side_file(char out[1100], const char *path, const char *suffix)
{
    snprintf(out, 1100, "%s%s", path, suffix);
    return out;
}

typedef struct restored {
    const char *from; /* the backup, as the restore names it */
    const char *live; /* the database replaced (its accounts compared), NULL when none */
    int ended;        /* the backup's sessions ended */
    json_t *undone;   /* the account changes made after the backup that it undoes */
} restored;

/* The accounts the restore turns back (the live database's, attached as `live`, against the
 * backup's): [{username, change}], change one of enabled (disabled since the backup: it logs in
 * again), password (changed since: the old one works again), role (changed since: back to the
 * backup's), deleted (deleted since: it is back), created (created since: gone). NULL when they
 * cannot be compared (no database there, or none of this kind): the restore goes on. */
static json_t *accounts_undone(pj_db *db, const char *live)
{
    pj_err e;
    pj_err_clear(&e);
    if (!live || access(live, F_OK) != 0) return NULL;
    pj_stmt *s = pj_db_prepare(db, "ATTACH DATABASE ? AS live", &e);
    if (!s) return NULL;
    pj_stmt_text(s, 1, live);
    int ok = pj_stmt_step(s, &e) >= 0;
    pj_stmt_done(s);
    if (!ok) return NULL;
    json_t *out = NULL;
    s = pj_db_prepare(
        db,
        "SELECT l.username, CASE WHEN r.id IS NULL THEN 'created' WHEN l.disabled AND"
        " NOT r.disabled THEN 'enabled' WHEN l.password_hash <> r.password_hash THEN"
        " 'password' WHEN l.role <> r.role THEN 'role' END AS change FROM live.users"
        " l LEFT JOIN main.users r ON r.username = l.username WHERE change IS NOT NULL"
        " UNION ALL SELECT r.username, 'deleted' FROM main.users r WHERE NOT EXISTS"
        " (SELECT 1 FROM live.users l WHERE l.username = r.username) ORDER BY 1",
        &e);
    if (s) {
        out = json_array();
        while (pj_stmt_step(s, &e) == 1)
            json_array_append_new(out, json_pack("{s:s, s:s}", "username", pj_col_text(s, 0),
                                                 "change", pj_col_text(s, 1)));
        pj_stmt_done(s);
    }
    pj_err_clear(&e);
    pj_db_exec(db, "DETACH DATABASE live", &e);
    return out;
}

/* Finishes a restore, on the restored database while it is still held: the backup's sessions
 * end (a token logged out or ended, a new password, a disabled account, after the backup was
 * taken must not work again; everyone logs in again) and the restore is audited, in one
 * transaction. */
static int restore_finish(pj_db *db, void *arg, pj_err *err)
{
    restored *r = arg;
    r->undone = accounts_undone(db, r->live);
    pj_settings settings;
    pj_settings_default(&settings);
    pj_arena arena;
    pj_arena_init(&arena, 16384);
    pj_ctx ctx = {.db = db,
                  .arena = &arena,
                  .settings = &settings,
                  .request_id = cli_request_id(),
                  .actor = {.user_id = 0, .username = "cli", .role = PJ_ROLE_ADMIN}};
    char *after = NULL;
    int rc = -1;
    if (pj_db_begin(db, err)) goto done;
    if (pj_db_exec(db, "DELETE FROM sessions", err)) goto fail;
    r->ended = pj_db_changes(db);
    json_t *what = json_pack("{s:s, s:i, s:i}", "from", r->from, "schema", pj_db_schema_version(db),
                             "sessions_ended", r->ended);
    if (r->undone && json_array_size(r->undone))
        json_object_set(what, "accounts_undone", r->undone);
    after = json_dumps(what, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(what);
    if (pj_audit_add(&ctx, "restore", "database", 0, NULL, after, err) || pj_db_commit(db, err))
        goto fail;
    rc = 0;
    goto done;
fail:
    pj_db_rollback(db);
done:
    free(after);
    pj_arena_free(&arena);
    return rc;
}

static int v_restore(cli *a)
{
    if (a->npos < 2) return cli_usage("restore FILE");
    if (cli_extra_args(a, 2)) return 2;
    const char *src = a->pos[1], *dst = cli_db_path(a);
    struct stat ss, ds;
    if (stat(src, &ss) == 0 && stat(dst, &ds) == 0 && ss.st_dev == ds.st_dev &&
        ss.st_ino == ds.st_ino) {
        fprintf(stderr, "pingji: cannot restore %s onto itself\n", dst);
        return 1;
    }
    /* reading the backup leaves SQLite's side files next to it: remove the ones it made */
    char wal[1100], shm[1100];
    int had_wal = access(side_file(wal, src, "-wal"), F_OK) == 0,
        had_shm = access(side_file(shm, src, "-shm"), F_OK) == 0;
    pj_err err;
    pj_err_clear(&err);
    /* the restored database records what replaced it, from where */
    char *from = realpath(src, NULL);
    restored r = {.from = from ? from : src, .live = dst};
    int rc = pj_db_restore_file_then(src, dst, restore_finish, &r, &err);
    free(from);
    if (!had_wal) unlink(wal);
    if (!had_shm) unlink(shm);
    if (rc) {
        json_decref(r.undone);
        return cli_fail(&err);
    }
    printf("pingji: restored %s from %s (%d session%s ended: everyone logs in again)\n", dst, src,
           r.ended, r.ended == 1 ? "" : "s");
    /* account changes made after the backup are undone with it: a disabled account that logs in
     * again is what an admin must be told of (also in the restore's audit row) */
    size_t i;
    json_t *u;
    static const char *const said[][2] = {
        {"enabled", "enabled again (disabled after the backup)"},
        {"password", "its earlier password works again (changed after the backup)"},
        {"role", "its earlier role is back (changed after the backup)"},
        {"deleted", "back (deleted after the backup)"},
        {"created", "gone (created after the backup)"}};
    json_array_foreach(r.undone, i, u)
    {
        const char *ch = json_string_value(json_object_get(u, "change"));
        for (size_t k = 0; k < sizeof said / sizeof said[0]; k++)
            if (!strcmp(ch, said[k][0]))
                fprintf(stderr, "pingji: warning: account %s: %s\n",
                        json_string_value(json_object_get(u, "username")), said[k][1]);
    }
    if (json_array_size(r.undone))
        fprintf(stderr,
                "pingji: check those accounts (pingji user get, user update) before serving\n");
    json_decref(r.undone);
    return 0;
}

static int v_version(cli *a)
{
    if (cli_extra_args(a, 1)) return 2;
    printf("pingji %s (schema %d)\n", pj_version(), pj_db_schema_latest());
    return 0;
}

static int v_help(cli *a);

static const verb verbs[] = {
    {"serve",
     "serve [--db F] [--host H] [--port N] [--web DIR] [--demo-if-new] [--seed N] [--quiet]\n"
     "      [--idle-minutes N] [--cache-check-ms N] [--alert-scan-s N] [--trust-proxy]\n"
     "      [--trusted-proxy ADDR[/BITS]]... [--secure-cookies] [--fast-hash]",
     "Run the HTTP server. A new database gets an admin account (password printed once) and,\n"
     "with --demo-if-new, the Pinggu demo district. Cached reads notice writes made by other\n"
     "processes (the CLI) within --cache-check-ms (default 50; 0 = on every request).\n"
     "The eldercare alert scan runs every --alert-scan-s seconds (default 300; 0 = off) and\n"
     "just after the meal cut-off, in slices between requests, as the user \"system\"; each\n"
     "run also notifies the firms of policies that have come into force since they matched.\n"
     "--trust-proxy: behind a reverse proxy on this machine: on a connection from a loopback\n"
     "address (127.0.0.0/8, ::1) the client is the last address of X-Forwarded-For, for the\n"
     "log-in throttle and lockouts, the audit and the access log, and the limit of 1024\n"
     "connections per client address is left to the proxy. --trusted-proxy ADDR[/BITS]\n"
     "(repeatable, at most 16; implies --trust-proxy) names the proxies instead, e.g.\n"
     "--trusted-proxy 10.0.0.5 --trusted-proxy fd00::/64. A connection from any other address\n"
     "is its own client: its X-Forwarded-For is ignored and the connection limit applies.\n"
     "--secure-cookies: the session cookie is set with Secure (browsers send it back over\n"
     "HTTPS only), for a server reached through an HTTPS reverse proxy; without it, only when\n"
     "the proxy sends X-Forwarded-Proto: https (off by default: the quick start is plain HTTP).\n"
     "--seed makes the demo deterministic; --fast-hash (tests only) hashes passwords weakly\n"
     "and lifts the limit on log-in attempts per client address.",
     v_serve},
    {"init", "init [--db F] [--demo] [--seed N]",
     "Create the database, apply migrations, create the admin account; --demo loads the demo\n"
     "district (deterministic for a seed: --seed N, with --demo only).",
     v_init},
    {"user",
     "user list [--role R] [--limit N] [--cursor N]|get ID|add --json J|\n"
     "     add NAME --role R [--name DISPLAY_NAME] [--password P] [--password-stdin]\n"
     "     [--township-id N] [--facility-id N] [--organisation-id N]\n"
     "     [--grid-ids 1,2]|update ID --json J|delete ID",
     "Manage user accounts. Roles: admin, district_officer, township_officer,\n"
     "facility_operator, grid_worker, enterprise, viewer. add NAME --password-stdin reads the\n"
     "password from the first line of standard input (printf '%s\\n' \"$PW\" | pingji user add\n"
     "NAME --role R --password-stdin). --password P works too, but every local user sees P in\n"
     "the process list and it stays in the shell history. Without either, add NAME makes a\n"
     "random password and prints it once, as the \"password\" of the account's JSON (pingji\n"
     "user add NAME --role R | jq -r .password). A password set by --json J (add, update) is seen\n"
     "likewise: give it as --json @FILE (a file only you can read, or @/dev/stdin).\n"
     "delete disables the account. \"locked\" is true while the server has locked the name out\n"
     "of some address after failed log-ins (as the API says); a new password lifts the lock.",
     v_user},
    {"region",
     "region list [--parent-id N] [--township-id N] [--type T] [--q S] [--limit N]\n"
     "       [--cursor N]|get ID|add --json J|update ID --json J|delete ID",
     "The region tree: district → township → village/community → grid.", v_region},
    {"org",
     "org list [--township-id N] [--type T] [--industry I] [--q S] [--limit N] [--cursor N]|\n"
     "    get ID|add --json J|update ID --json J|delete ID",
     "Organisations: enterprises, departments, banks, labs, operators.", v_org},
    {"facility",
     "facility list [--township-id N] [--village-id N] [--operator-id N] [--type T] [--role R]\n"
     "         [--state S] [--q S] [--limit N] [--cursor N]|get ID|add --json J|\n"
     "         update ID --json J|delete ID|import FILE.csv|FILE.xlsx [--dry-run]|\n"
     "         export [--csv|--xlsx] [--headings en|zh] [--out FILE] [--force] [--township-id N]\n"
     "         [--village-id N] [--operator-id N] [--type T] [--role R] [--state S] [--q S]",
     "Facilities and their emergency roles. import reads a facility table, CSV or the first\n"
     "worksheet of an XLSX workbook (the columns: docs/api.md, POST /api/v1/facilities/import):\n"
     "a row with an id, or naming a facility of its township by name, updates it, any other\n"
     "creates one; all rows or none (--dry-run checks every row and writes nothing). export\n"
     "writes the facilities in the same columns, CSV or (--xlsx, or --out FILE.xlsx) a workbook.\n"
     "--out FILE is made new, readable by you only (0600); an existing FILE is refused unless\n"
     "--force replaces it (at once, whole); never the database, a directory or a symbolic link.",
     v_facility},
    {"standard",
     "standard list [--facility-type T] [--scenario S] [--role R] [--in-force] [--limit N]\n"
     "         [--cursor N]|get ID|add --json J",
     "Conversion standards (转换标准): target hours, checklist and coverage per facility type ×\n"
     "scenario × role; add makes a new version.",
     cli_standard},
    {"manual",
     "manual list [--facility-id N] [--scenario S] [--latest] [--limit N] [--cursor N]|get ID|\n"
     "       add --json J|export ID [--csv]|\n"
     "       import --facility-id N --scenario S --role R --title T --csv FILE\n"
     "       [--based-on N]",
     "Conversion manuals (工作手册): steps with minutes, predecessors, teams and checklists;\n"
     "the critical path is checked against the standard's target. --based-on N (or based_on\n"
     "in add's JSON): the version the edit started from, refused when a newer one exists.",
     cli_manual},
    {"convert",
     "convert list [--facility-id N] [--township-id N] [--plan-id N] [--state S] [--limit N]\n"
     "        [--cursor N]|\n"
     "        start --facility-id N --scenario S [--manual-id N]|get ID|\n"
     "        step-start STEP [--remarks R]|step-finish STEP [--remarks R]|sign STEP --item I|\n"
     "        restore ID [--confirm --reason R]|abort ID --reason R [--confirm]|timeline ID",
     "Live conversions: peacetime → converting → emergency → restoring → peacetime.\n"
     "step-start, step-finish, sign and abort act on live conversions only (a drill's: use\n"
     "pingji drill). Restoring or aborting a site that still houses people of adopted plans\n"
     "is refused (occupied) unless --confirm is given, with --reason.",
     cli_convert},
    {"drill",
     "drill list [--facility-id N] [--township-id N] [--state S] [--limit N] [--cursor N]|\n"
     "      start --facility-id N --scenario S [--manual-id N]|get ID|\n"
     "      step-start STEP [--remarks R]|step-finish STEP [--remarks R]|sign STEP --item I|\n"
     "      abort ID --reason R|report ID [--csv]|trend FACILITY_ID|finding-add ID --json J|\n"
     "      finding-update ID --json J|\n"
     "      findings [--status S] [--facility-id N] [--limit N] [--cursor N]|\n"
     "      plans list [--facility-id N] [--scenario S] [--state S] [--from D] [--to D]\n"
     "      [--limit N] [--cursor N]|plans get ID|plans add --json J|plans update ID --json J|\n"
     "      plans delete ID",
     "Drills (转换演练): run a manual without changing the facility's state, then score it.\n"
     "step-start, step-finish, sign and abort act on drills only (a live conversion's: use\n"
     "pingji convert). plans: drill plans (演练计划), a facility's drills by scenario and date\n"
     "({\"facility_id\",\"scenario\",\"planned_date\",\"note\"}; update: planned_date, note,\n"
     "state planned|cancelled); a drill started is held under the earliest open plan of its\n"
     "facility and scenario, an aborted drill gives it back.",
     cli_drill, cli_rec_options},
    {"overview", "overview [show] [--scenario S] [--population N]",
     "The emergency overview: capacity ready/converting/convertible, coverage, manuals over\n"
     "target, drills overdue, days of supply.",
     cli_overview},
    {"stock",
     "stock list [--facility-id N] [--category C] [--limit N] [--cursor N]|add --json J|\n"
     "      update ID --json J|delete ID [--version N]",
     "Stock lines of the supply stores. delete removes the line as it is now; with --version N\n"
     "only that version (a line changed since is refused, as by the API).",
     cli_stock},
    {"plan",
     "plan --scenario FILE.json [--out RESULT.json] [--progress] [--force]|\n"
     "     list [--status S] [--limit N] [--cursor N]|\n"
     "     show ID|"
     "adopt ID [--confirm]|close ID --reason R|compare A B|\n"
     "     ship ID --store S --site F --category C --quantity Q|\n"
     "     void-shipment ID SID --reason R",
     "Emergency plans (应急规划): which facilities to convert, who goes where, supplies and the\n"
     "conversion schedule; saved as drafts, adopted to start the conversions, closed (reason R)\n"
     "when the crisis is over: its people, stock held and flows are released (a draft no one\n"
     "will adopt is closed to set it aside). ship records Q\n"
     "whole units of an adopted plan's supply flow (store S → site F, category C) as shipped:\n"
     "taken off the store's stock lines (soonest expiry first), no longer held off later plans.\n"
     "void-shipment voids shipment SID recorded in error (reason R): its quantity goes back on\n"
     "the stock lines it came from (a new line for one deleted since) and it counts no more.\n"
     "adopt is refused (teams_busy) while conversions under way still need teams the plan's\n"
     "schedule takes as free, unless --confirm adopts it as it is.\n"
     "--out RESULT.json is made new, readable by you only (0600); an existing file is refused\n"
     "(before the plan is saved) unless --force replaces it (at once, whole); never the\n"
     "database, a directory or a symbolic link. list prints a page of 500 (--limit N: 1 to\n"
     "500); --cursor N, the answer's next_cursor, prints the next page.",
     cli_plan},
    {"indicator",
     "indicator list [--q S] [--limit N] [--cursor N]|get ID|add --json J|\n"
     "          values [--code C] [--region R] [--period P] [--from Y] [--to Y]\n"
     "          [--period-kind year|half|quarter|month] [--source S] [--limit N] [--cursor N]|\n"
     "          set --json J|revise ID --json J|delete ID [--version N]|\n"
     "          derive FN --code C [--region R] [--period P] [--from Y] [--to Y] [--method M]\n"
     "          [--of C] [--base P] [--by B] [--target T]|\n"
     "          export [--code C] [--region R] [--period P] [--from Y] [--to Y]\n"
     "          [--format csv|xlsx] [--headings en|zh] [--out FILE] [--force]|dashboard|demo|\n"
     "          targets [--code C] [--limit N] [--cursor N]|target-set --json J|\n"
     "          target-update ID --json J|\n"
     "          target-delete ID [--version N]",
     "District indicators (统计指标): values with revision history; derive FN, where FN is\n"
     "yoy|prev|cagr|share|points|progress|rank; the dashboard; demo loads the seed's figures.\n"
     "export writes CSV, or an XLSX workbook with --format xlsx or an --out file ending in .xlsx;\n"
     "--out FILE is made new, readable by you only (0600); an existing FILE is refused unless\n"
     "--force replaces it (at once, whole); never the database, a directory or a symbolic link.\n"
     "target-set {code, region?, period, value, source?, note?}: the value to reach by period\n"
     "(more than 0; a share at most 100; a rate may be below 0); target-update corrects one\n"
     "({value?, source?, note?}, without \"version\" the current one). delete and target-delete\n"
     "remove a value (with its revisions) or a target typed for the wrong period or region.\n"
     "list, values and targets print a page of 500 (--limit N: 1 to 500); --cursor N, the\n"
     "answer's next_cursor, prints the next page.",
     cli_indicator},
    {"carbon",
     "carbon factors [--energy-type T] [--cursor N]|factor-add --json J|factor-update ID --json "
     "J|\n"
     "       factor-delete ID [--version N] [--dry-run]|energy [--period P] [--sector S] [--cursor "
     "N]|\n"
     "       energy-add --json J|energy-get ID|energy-update ID --json J|\n"
     "       energy-delete ID [--version N]|\n"
     "       emissions --year Y [--period P] [--by sector|organisation|energy_type] [--top N]|\n"
     "       intensity --year Y [--region R]|intensity-years [--region R]",
     "Carbon: versioned emission factors, energy use, tonnes CO2e, energy per 10,000 yuan GDP.\n"
     "A use is recorded for a sector (industry, logistics, services, public, agriculture,\n"
     "residential, transport) and a period that has ended; energy-update corrects one (without\n"
     "\"version\" in the JSON, the current one), energy-delete removes one. A factor version\n"
     "governs the periods from its date to the next version's: factor-add, factor-update and\n"
     "factor-delete say in \"recomputed\" whose totals change (\"dry_run\": true in the JSON, or\n"
     "factor-delete's --dry-run, only says it); a version that recorded use still needs cannot\n"
     "be removed.",
     cli_carbon},
    {"import", "import FILE.csv|FILE.xlsx [--dry-run]",
     "Import a statistics table (code,region,period,value,unit,source,note) from CSV or the\n"
     "first worksheet of an XLSX workbook: all rows or none; --dry-run checks every row and\n"
     "writes nothing.",
     cli_import},
    {"agri",
     "agri kpi|output|demo;\n"
     "     agri labs|projects|milestones|farms|experts|sections|results|transfers\n"
     "     list [--FILTER V …] [--limit N] [--cursor N]|get ID|add --json J|update ID --json J|\n"
     "     delete ID",
     "Agri-tech (农业科技): labs, 国农港 projects and milestones, doctor farms and experts,\n"
     "greenhouse sections, research results and transfers; KPIs; output from the indicators.\n"
     "demo loads the agri-tech demo (once) and prints the KPIs.",
     cli_agri, cli_rec_options, cli_rec_help},
    {"logistics",
     "logistics kpi|demo;\n"
     "          logistics parks|warehouses|tenants|freight|parcels|trains\n"
     "          list [--FILTER V …] [--limit N] [--cursor N]|get ID|add --json J|\n"
     "          update ID --json J|delete ID",
     "Logistics hub (物流高地): warehouses planned → under_construction → operating, tenants,\n"
     "monthly freight against the 2035 target, land parcels, freight trains; KPIs.\n"
     "demo loads the logistics demo (once; it needs the demo district) and prints the KPIs.",
     cli_logistics, cli_rec_options, cli_rec_help},
    {"elder",
     "elder list [--region-id N] [--tier T] [--vulnerable] [--unpaired] [--reveal] [--q S]\n"
     "      [--limit N] [--cursor N]|get ID [--reveal]|add --json J|update ID --json J|\n"
     "      alerts [--state S] [--kind K] [--level L] [--elder-id N] [--limit N] [--cursor N]|\n"
     "      alert-ack ID [--json J]|alert-resolve ID --json J|alerts-scan [--at T]|\n"
     "      credit ACCOUNT_ID [--limit N] [--cursor N]|transfer ACCOUNT_ID --json J|\n"
     "      redeem ACCOUNT_ID --json J|coverage [--group G] [--region-id N] [--csv]|\n"
     "      ledger-check|demo [--elders N]",
     "Mutual-aid elderly care (互助养老): elders, alerts, coverage, the time-credit ledger.\n"
     "alerts: states open|acked|resolved|closed (the scan's reason in resolved_reason), kinds\n"
     "missed_meal|overdue_visit|no_doctor|helper_over_capacity|helper_id_departed, levels\n"
     "grid|township;\n"
     "alert-ack takes {note}, alert-resolve {note} (required). credit shows a time-credit\n"
     "account (an elder's or helper's credit_account_id) with its entries; transfer takes\n"
     "{minutes, to_account_id or to_elder_id, relation, note} (relation: a direct relative;\n"
     "to_elder_id opens the elder's account), redeem {minutes, note} (owner aged 60+).\n"
     "alerts-scan raises, resolves and escalates alerts as of --at (YYYY-MM-DDTHH:MM:SSZ, or a\n"
     "date: its start in Beijing; default now; up to 31 days back, never before the latest\n"
     "scan: a past scan must not undo a later one).",
     cli_elder},
    {"helper",
     "helper list [--region-id N] [--skill S] [--reveal] [--q S] [--limit N] [--cursor N]|\n"
     "       get ID [--reveal]|add --json J|update ID --json J",
     "Helpers (互助员) and their skills, capacity and credits; update with {\"active\":false}\n"
     "ends the helper's pairs.",
     cli_helper},
    {"pair",
     "pair show ID [--state S] [--limit N] [--cursor N]|run --region-id N|accept ID|\n"
     "     reject ID|list [--elder-id N] [--helper-id N] [--state S] [--limit N] [--cursor N]|\n"
     "     add --json J|end ID [--json J]|requests [--state S] [--elder-id N] [--limit N]\n"
     "     [--cursor N]|request-get ID|request-accept ID [--json J]|request-decline ID --json J",
     "Pairing runs (结对): proposals by min-cost flow, with reasons; accept or reject.\n"
     "add pairs by hand: {elder_id, helper_id, start_date, reason} (the last two optional).\n"
     "end takes {end_date, note}, both optional.\n"
     "requests: the grid workers' pairing requests (结对申请), states pending|accepted|\n"
     "declined|withdrawn; request-accept takes {start_date} (optional) and makes the pair with\n"
     "the checks of a pair by hand; request-decline takes {note} (the reason, required).",
     cli_pair},
    {"vulnerable", "vulnerable [--region-id N] [--csv] [--reveal] [--limit N] [--cursor N]",
     "The vulnerable-person list of an area, for door-to-door evacuation: a page of --limit N\n"
     "(50; 1 to 500), --cursor N the answer's next_cursor. --csv writes the whole list of the\n"
     "area as CSV, not a page: --limit and --cursor do not apply to it.",
     cli_vulnerable},
    {"ecommerce",
     "ecommerce kpis [--from D] [--to D] [--by month]|bases [--tier T] [--township-id N]|base-get "
     "ID|\n"
     "          base-add --json J|studios [--base-id N]|studio-add BASE_ID --json J|\n"
     "          bookings [--base-id N] [--studio-id N] [--organisation-id N] [--from T] [--to T]|\n"
     "          book --json J|booking-get ID|booking-cancel ID|\n"
     "          streamers [--base-id N] [--organisation-id N] [--township-id N] [--q NAME]\n"
     "          [--id-shared true|false]|\n"
     "          streamer-get ID|streamer-add --json J|streamer-update ID --json J|\n"
     "          streamer-delete ID|followers-add ID --json J|\n"
     "          followers-update ID --platform P --as-of D --json J|\n"
     "          followers-delete ID --platform P --as-of D|\n"
     "          sessions [--streamer-id N] [--from D] [--to D]|session-get ID|session-add --json "
     "J|\n"
     "          session-update ID --json J|session-delete ID|products [--category C]|\n"
     "          product-add --json J|sales PRODUCT_ID [--channel C] [--from D] [--to D]|\n"
     "          sales-add PRODUCT_ID --json J|\n"
     "          sales-update PRODUCT_ID --month M --channel C --json J|\n"
     "          sales-delete PRODUCT_ID --month M --channel C|\n"
     "          zones [--kind K] [--base-id N] [--organisation-id N]|\n"
     "          zone-get ID|zone-add --json J|zone-update ID --json J|zone-delete ID|demo\n"
     "          (bases, studios, bookings, streamers, sessions, products and zones also take\n"
     "          [--limit N] [--cursor N])",
     "Livestream e-commerce (直播电商): the 1+5+N bases, studio bookings, streamers, sessions,\n"
     "sales, zone enterprises, KPIs; demo loads the seed's figures and the academy demo.",
     cli_ecommerce},
    {"academy",
     "academy kpis [--cohort-id N] [--as-of D]|courses [--category C]|course-get ID|\n"
     "        course-add --json J|course-update ID --json J|course-delete ID|\n"
     "        cohorts [--state S] [--course-id N] [--base-id N] [--township-id N]|cohort-get ID|\n"
     "        cohort-add --json J|cohort-update ID --json J|cohort-delete ID|\n"
     "        cohort-state ID --state S [--version N]|\n"
     "        posts [--state S] [--organisation-id N] [--zone-enterprise-id N]|post-get ID|\n"
     "        post-add --json J|post-update ID --json J|post-delete ID|\n"
     "        enrolments [--cohort-id N] [--course-id N] [--post-id N] [--streamer-id N]\n"
     "        [--zone-enterprise-id N] [--state S]|enrolment-get ID|enrol --json J|\n"
     "        practice ID --session-id N|graduate ID [--version N] [--on D]|place ID --json J|\n"
     "        withdraw ID [--version N]|enrolment-delete ID|demo\n"
     "        (courses, cohorts, posts and enrolments also take [--limit N] [--cursor N])",
     "The village-streamer academy (村播学院): courses, cohorts, job posts, enrolments, practice,\n"
     "graduation, placement; KPIs per cohort and overall. The deletes are for records entered\n"
     "by mistake: one another record refers to is refused (409), a graduated or placed\n"
     "enrolment is kept (withdraw one that ends).",
     cli_academy},
    {"enterprise",
     "enterprise receptions [--state S]|reception-get ID|reception-add --json J|\n"
     "           reception-update ID --json J|signup DAY_ID --json J|calendar [--year Y]|\n"
     "           calendar-set --json J|settings|settings-update --json J|dispatch|\n"
     "           dispatch-set --json J|kpis --from D [--to D] [--csv]|profile ORG_ID|\n"
     "           profile-update ORG_ID --json J|bank-products [--bank-id N]|bank-product-get ID|\n"
     "           bank-product-add --json J|bank-product-update ID --json J|\n"
     "           needs [--organisation-id N] [--state S]|need-get ID|need-add --json J|\n"
     "           matches [--organisation-id N] [--bank-id N] [--need-id N] [--state S]|\n"
     "           match-get ID|match-consent ID --json J|match-outcome ID --json J|\n"
     "           posts [--organisation-id N] [--township-id N] [--state S] [--category C] [--kind "
     "K]|\n"
     "           post-get ID|post-add --json J|post-matches ID|contact-add POST_ID --json J|\n"
     "           contacts [--organisation-id N] [--post-id N] [--state S]|contact-get ID|\n"
     "           contact-respond ID --json J\n"
     "           (receptions, bank-products, needs, matches, posts, post-matches and contacts "
     "also\n"
     "           take [--limit N] [--cursor N])",
     "Enterprise service (服务企业): reception days, the calendar, KPIs, profiles, "
     "bank–enterprise\n"
     "matching (政银企) and the cooperation board (企间合作).",
     cli_enterprise},
    {"appeal",
     "appeal list [--state S] [--category C] [--channel C] [--organisation-id N]\n"
     "       [--department-id N] [--overdue] [--limit N] [--cursor N]|get ID|\n"
     "       add --json J|dispatch ID [--json J]|accept ID [--json J]|return ID [--json J]|\n"
     "       reply ID [--json J]|rate ID [--json J]|close ID [--json J]|escalate ID [--json J]|\n"
     "       visit ID [--json J]|sweep|return-visits [--limit N] [--cursor N]",
     "Enterprise appeals (诉求) from filing to rating: 接-派-办-评, deadlines, escalation.\n"
     "The actions' JSON: dispatch, escalate {department_id}; return {reason}; reply {reply,\n"
     "resolved}; rate {rating: satisfied|basically|not_satisfied}; visit {note}; accept and\n"
     "close none.\n"
     "--state: received|dispatched|in_progress|replied|closed|returned|reopened|escalated;\n"
     "--category: permits|land|financing|talent|utilities|tax|market|logistics|other;\n"
     "--channel: reception_day|phone|account|visit.",
     cli_appeal},
    {"policy",
     "policy list [--organisation-id N] [--limit N] [--cursor N]|get ID|add --json J|\n"
     "       update ID --json J|matches ID [--limit N] [--cursor N]|\n"
     "       explain ID --organisation-id N|\n"
     "       notices [--policy-id N] [--organisation-id N] [--limit N] [--cursor N]|\n"
     "       rule-check --json J",
     "The policy library (政策): eligibility rules matched to every firm, with explanations.\n"
     "notices: the notices sent to firms, as GET /enterprise/notices, newest first (--cursor N:\n"
     "the last id shown; the next page holds smaller ids): of policies (new_policy,\n"
     "policy_changed, profile_changed, in_force) and of reception days moved, cancelled or put\n"
     "back (reception_moved, reception_cancelled, reception_reinstated: the day, its old and\n"
     "new date); --policy-id lists a policy's notices only.",
     cli_policy},
    {"audit",
     "audit [--entity E] [--entity-id N] [--action A] [--user-id N] [--username U]\n"
     "      [--since T] [--until T] [--limit N] [--cursor N]",
     "The audit trail, newest first, with the filters of GET /api/v1/audit: --user-id and\n"
     "--username the acting user; --since T (at or after) and --until T (before) take\n"
     "YYYY-MM-DD (from 00:00 Beijing time) or YYYY-MM-DDTHH:MM:SSZ; --since after --until\n"
     "is refused (exit 2), as is any other bad value and an empty --entity, --action or\n"
     "--username (leave it out for every row).",
     v_audit},
    {"backup", "backup [--db F] [--] FILE", "Online backup of the database into a new FILE.",
     v_backup},
    {"restore", "restore [--db F] [--] FILE",
     "Replace the database by a backup (stop the server first: refused, exit 1, while a\n"
     "server runs on it); the backup is checked first, and the restored database gets an audit\n"
     "row naming it. Creates --db F when missing. A backup readable by others is made\n"
     "owner-only, with a warning.",
     v_restore},
    {"version", "version", "Print the version.", v_version},
    {"help", "help [VERB]", "List the verbs, or explain one.", v_help},
};
#define NVERBS ((int)(sizeof verbs / sizeof verbs[0]))

static int form_count(const verb *v);

static void verb_help(const verb *v)
{
    printf(
        "usage: pingji %s\n\n%s\n\nCommon: --db FILE (default data/pingji.db or $PINGJI_DB); -h is "
        "--help.\nAny other word beginning with one dash is an unknown option, never a file: a "
        "FILE\nwhose name begins with '-' goes after -- (pingji %s -- -x) or as ./-x.\n",
        v->usage, v->help, v->name);
    if (strstr(v->usage, "--json"))
        printf(
            "An update or action whose JSON has no \"version\" applies to the current version.\n");
    if (form_count(v) > 1)
        printf("Each sub-command takes the options its form above names, and --db; any other\n"
               "option is refused (exit 2).\n");
    if (v->more_help) v->more_help(v->name);
}

/* The verbs, each with the first sentence of its help, to o: standard output when asked for
 * (pingji help), standard error after a usage error (no verb, an unknown one). */
static void print_usage(FILE *o)
{
    fprintf(o, "usage: pingji VERB [ARGS]   (pingji VERB --help for one verb)\n\nverbs:\n");
    int width = 0; /* the longest verb's: every description starts in one column */
    for (int i = 0; i < NVERBS; i++)
        if ((int)strlen(verbs[i].name) > width) width = (int)strlen(verbs[i].name);
    for (int i = 0; i < NVERBS; i++) { /* the first sentence of each verb's help, on one line */
        fprintf(o, "  %-*s ", width, verbs[i].name);
        for (const char *p = verbs[i].help; *p; p++) {
            fputc(*p == '\n' ? ' ' : *p, o);
            if (*p == '.' && (p[1] == ' ' || p[1] == '\n' || !p[1])) break;
            if (!strncmp(p, "。", strlen("。"))) break;
        }
        fputc('\n', o);
    }
    fprintf(o, "\n-h is --help; after -- every word is an argument (a file named -x).\n"
               "exit codes: 0 ok, 1 failed, 2 usage\n");
}

static int v_help(cli *a)
{
    if (cli_extra_args(a, 2)) return 2;
    if (a->npos > 1) {
        for (int i = 0; i < NVERBS; i++)
            if (!strcmp(verbs[i].name, a->pos[1])) {
                verb_help(&verbs[i]);
                return 0;
            }
        fprintf(stderr, "pingji: no such verb '%s' (see pingji help)\n", a->pos[1]);
        return 2;
    }
    print_usage(stdout);
    return 0;
}

/* A verb's usage lists its forms, separated by '|': `VERB SUB [ID] [--opt V]…` (the verb's
 * name written or not; a form that begins with an option is the verb without a sub-command).
 * A '|' within brackets, or before a capital or a '-' (FILE.csv|FILE.xlsx), is within a form;
 * ';' also ends one. A note "(SUB, SUB … also take [--opt V]…)" gives the sub-commands it
 * names more options. The forms are what the command line checks options against. */
typedef struct form {
    const char *b, *e; /* its text, the verb's name left out */
    const char *name;  /* its sub-command ("" when none) … */
    size_t nlen;       /* … of this length */
    int note;          /* a note: the sub-commands it names are before "take" */
} form;

static int is_space(char c)
{
    return c == ' ' || c == '\n';
}

/* The form of v's usage at *p, *p then past it; 0 when none is left. */
static int next_form(const verb *v, const char **p, form *f)
{
    const char *s = *p;
    while (is_space(*s) || *s == '|' || *s == ';') s++;
    if (!*s) return 0;
    size_t vn = strlen(v->name);
    if (!strncmp(s, v->name, vn) && is_space(s[vn])) s += vn;
    while (is_space(*s)) s++;
    f->b = s;
    f->note = *s == '(';
    int depth = 0;
    const char *e = s;
    for (; *e; e++) {
        if (*e == '[' || *e == '(') {
            if (!depth && *e == '(' && e > s && is_space(e[-1])) break; /* a note follows */
            depth++;
        } else if (*e == ']' || *e == ')') {
            if (--depth == 0 && f->note) {
                e++;
                break;
            }
        } else if (!depth && *e == ';') {
            break;
        } else if (!depth && *e == '|') {
            const char *n = e + 1;
            while (is_space(*n)) n++;
            if (!((*n >= 'A' && *n <= 'Z') || *n == '-')) break;
        }
    }
    f->e = e;
    f->name = s;
    f->nlen = 0;
    if (!f->note && *s != '-' && *s != '[')
        while (s + f->nlen < e && !is_space(s[f->nlen]) && s[f->nlen] != '|') f->nlen++;
    *p = e;
    return 1;
}

/* Whether the form f is sub's ("" for the verb without one), or a note naming sub. */
static int form_of(const form *f, const char *sub)
{
    size_t n = strlen(sub);
    if (!f->note) return f->nlen == n && !strncmp(f->name, sub, n);
    const char *take = strstr(f->b, " take");
    for (const char *w = f->b + 1; take && w < take && w < f->e; w++)
        if (!strncmp(w, sub, n) && (w == f->b + 1 || w[-1] == ' ' || w[-1] == '\n') &&
            (w[n] == ',' || is_space(w[n])))
            return n > 0;
    return 0;
}

static int is_option_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* The next option --NAME in f at or after *p: its name (not terminated) and length, *p then
 * past it, *value whether a capital follows (--NAME VALUE); NULL when none is left. */
static const char *next_option(const form *f, const char **p, size_t *len, int *value)
{
    for (const char *o = strstr(*p, "--"); o && o < f->e; o = strstr(o + 2, "--")) {
        const char *n = o + 2;
        size_t k = 0;
        while (is_option_char(n[k])) k++;
        if (!k) continue;
        *len = k;
        *value = n[k] == ' ' && n[k + 1] >= 'A' && n[k + 1] <= 'Z';
        *p = n + k;
        return n;
    }
    return NULL;
}

/* Whether text names the option --name (a whole token: --region does not name --region-id). */
static int names_option(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, "--"); p; p = strstr(p + 2, "--")) {
        if (strncmp(p + 2, name, n)) continue;
        char next = p[2 + n]; /* within the text: the name matched up to here */
        if (!is_option_char(next)) return 1;
    }
    return 0;
}

/* The number of forms of v's usage (its notes left out). */
static int form_count(const verb *v)
{
    form f;
    int n = 0;
    for (const char *p = v->usage; next_form(v, &p, &f);) n += !f.note;
    return n;
}

/* The sub-command the command line gives v: pos[1], or without one the form without a
 * sub-command (plan --scenario F) or else the first (the one the verb runs by default), its
 * name copied into name; NULL when v has a single form (its options are those its usage and
 * help name). */
static const char *sub_of(const verb *v, cli *a, char name[64])
{
    if (form_count(v) < 2) return NULL;
    if (a->npos > 1) return a->pos[1];
    form f;
    name[0] = 0;
    for (const char *p = v->usage; next_form(v, &p, &f);) {
        if (f.note) continue;
        if (!f.nlen) return ""; /* the form without a sub-command */
        if (!name[0]) snprintf(name, 64, "%.*s", (int)(f.nlen < 63 ? f.nlen : 63), f.name);
    }
    return name;
}

/* The options sub of v takes, by its forms and the notes naming it: "--a, --b" into out; 0
 * when v has no such sub-command. */
static int sub_options(const verb *v, const char *sub, char *out, size_t cap)
{
    form f;
    size_t used = 0;
    int known = 0;
    out[0] = 0;
    for (const char *p = v->usage; next_form(v, &p, &f);) {
        if (!form_of(&f, sub)) continue;
        known |= !f.note;
        size_t len;
        int value;
        for (const char *q = f.b, *o; (o = next_option(&f, &q, &len, &value));) {
            char name[72];
            snprintf(name, sizeof name, "--%.*s", (int)(len < 64 ? len : 64), o);
            if (names_option(out, name + 2)) continue;
            int k = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", name);
            if (k > 0 && (size_t)k < cap - used) used += (size_t)k;
        }
    }
    return known;
}

/* The options a sub-command takes are the ones the forms of its verb's usage give it, or the
 * verb's sub_options for the sub-commands they do not spell out (a list of agri-tech or
 * logistics records: the API's parameters of that list); a verb with a single form takes the
 * ones its usage and help name. --db and --help go with every verb. A sub-command the verb does
 * not have is left to the verb to name (3: before its options are looked at). 0 when they are
 * the sub-command's, 2 when one is not (said). Nothing is read or written before. */
static int check_options(const verb *v, cli *a)
{
    char name[64], list[1024];
    int own = v->sub_options ? v->sub_options(a, name, sizeof name, list, sizeof list) : 0;
    if (own < 0) return 3;
    const char *sub = own ? name : sub_of(v, a, name);
    if (!own && sub && !sub_options(v, sub, list, sizeof list)) return 3;
    for (int i = 0; i < a->nopt; i++) {
        const char *k = a->key[i];
        if (!strcmp(k, "db") || !strcmp(k, "help")) continue;
        if (!sub) {
            if (names_option(v->usage, k) || names_option(v->help, k)) continue;
            fprintf(stderr, "pingji: unknown option --%s for %s; see pingji %s --help\n", k,
                    v->name, v->name);
            return 2;
        }
        if (names_option(list, k)) continue;
        fprintf(stderr, "pingji: %s%s%s does not take --%s; it takes %s%s (see pingji %s --help)\n",
                v->name, *sub ? " " : "", sub, k, *list ? list : "no option but",
                *list ? " and --db" : " --db", v->name);
        return 2;
    }
    return 0;
}

/* The options that are flags: they take no value, so the argument after one is never taken
 * for its value (import --dry-run FILE). Every other option takes the next argument. */
static const char *const flags[] = {"confirm",  "csv",        "demo",    "demo-if-new",
                                    "dry-run",  "fast-hash",  "force",   "help",
                                    "in-force", "latest",     "overdue", "password-stdin",
                                    "progress", "quiet",      "reveal",  "trust-proxy",
                                    "unpaired", "vulnerable", "xlsx",    "secure-cookies",
                                    NULL};

/* Whether --k is a flag for the verb v (NULL: not known yet) and its sub-command sub (NULL: not
 * known yet): one of the flags, unless the usage of v sub gives it a value (manual import …
 * --csv FILE takes a file, manual export ID --csv is a flag). */
static int is_flag(const verb *v, const char *sub, const char *k)
{
    int listed = 0;
    for (int i = 0; flags[i]; i++) listed |= !strcmp(k, flags[i]);
    if (!listed || !v) return listed;
    size_t kn = strlen(k);
    /* pass 0: the forms of the sub-command; pass 1 (when none is the sub-command's, as for a
     * verb without sub-commands): all of them */
    for (int pass = sub ? 0 : 1, seen = 0; pass < 2 && !seen; pass++) {
        form f;
        for (const char *p = v->usage; next_form(v, &p, &f);) {
            if (!pass && !form_of(&f, sub)) continue;
            seen = 1;
            size_t len;
            int value;
            for (const char *q = f.b, *o; (o = next_option(&f, &q, &len, &value));)
                if (len == kn && !strncmp(o, k, kn) && value) return 0;
        }
    }
    return 1;
}

/* Whether arg is a word of one dash (-h, -x, a lone -): no file nor value, but help or an
 * option the command line does not have. */
static int is_short_option(const char *arg)
{
    return arg[0] == '-' && arg[1] != '-';
}

/* The verb the command line names: its first argument that is no option nor an option's
 * value (after a "--", the next one); NULL when none or unknown. */
static const verb *find_verb(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int ended = !strcmp(argv[i], "--");
        if (ended && ++i >= argc) break;
        if (!ended && is_short_option(argv[i])) continue;
        if (ended || strncmp(argv[i], "--", 2)) {
            for (int k = 0; k < NVERBS; k++)
                if (!strcmp(verbs[k].name, argv[i])) return &verbs[k];
            return NULL;
        }
        if (!strchr(argv[i], '=') && !is_flag(NULL, NULL, argv[i] + 2) && i + 1 < argc &&
            strncmp(argv[i + 1], "--", 2))
            i++; /* the option's value */
    }
    return NULL;
}

/* The options that may be given more than once (each occurrence is one more value). */
static int repeatable(const char *k)
{
    return !strcmp(k, "trusted-proxy");
}

const char *pj_version(void)
{
    return PJ_VERSION;
}

/* Standard error through terminal-safe text: a message quoting an argument (an unknown option,
 * verb or value, a file name) printed its control characters raw — an ESC sequence cleared the
 * screen or set the terminal's title. Each control character but the line end and a tab, and
 * each byte that is not UTF-8, is written as \xNN, as the messages quoting stored text write
 * them (cli_term_text); the rest as it is. */
static ssize_t stderr_write(void *cookie, const char *buf, size_t n)
{
    (void)cookie;
    pj_buf b;
    pj_buf_init(&b, n * 4 + 16);
    const unsigned char *p = (const unsigned char *)buf;
    size_t i = 0, start = 0;
    while (i < n) {
        unsigned cp = 0;
        size_t len = utf8_char(p + i, n - i, &cp);
        int ctl = len && (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) && cp != '\n' &&
                  cp != '\t';
        if (len && !ctl) {
            i += len;
            continue;
        }
        char rep[8];
        snprintf(rep, sizeof rep, len && cp > 0xFF ? "\\u%04x" : "\\x%02x", len ? cp : p[i]);
        pj_buf_add(&b, buf + start, i - start);
        pj_buf_puts(&b, rep);
        i += len ? len : 1;
        start = i;
    }
    pj_buf_add(&b, buf + start, n - start);
    size_t off = 0;
    while (off < b.len) {
        ssize_t w = write(STDERR_FILENO, b.data + off, b.len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    pj_buf_free(&b);
    return (ssize_t)n;
}

static void safe_stderr(void)
{
    FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){.write = stderr_write});
    if (!f) return;
    setvbuf(f, NULL, _IOLBF, 0); /* a message written whole, a line at a time */
    stderr = f;
}

/* An option's value is UTF-8 text, as the API's query and body are (a value that is not was
 * dropped as no value at all: a step done with no remarks, an account with no display name,
 * "username is required"; a filter found nothing); exit 2 naming the option. The options
 * naming a file are left: a file's name is the file system's bytes. */
static int values_utf8(const cli *a, const char *vname)
{
    static const char *const files[] = {"db", "out", "scenario", "csv", "dry-run", "web", NULL};
    for (int i = 0; i < a->nopt; i++) {
        const char *v = a->val[i];
        int file = 0;
        for (int k = 0; files[k] && !file; k++) file = !strcmp(a->key[i], files[k]);
        if (!v || file || (!strcmp(a->key[i], "json") && v[0] == '@')) continue;
        if (!pj_utf8_valid(v, strlen(v))) {
            fprintf(stderr, "pingji: --%s is not UTF-8 text: %s (see pingji %s --help)\n",
                    a->key[i], v, vname);
            return 2;
        }
    }
    /* user add NAME: the name is the account's */
    if (!strcmp(vname, "user") && a->npos > 2 && !strcmp(a->pos[1], "add") &&
        !pj_utf8_valid(a->pos[2], strlen(a->pos[2]))) {
        fprintf(stderr, "pingji: the user name is not UTF-8 text: %s\n", a->pos[2]);
        return 2;
    }
    return 0;
}

/* A verb's answer reached standard output, else exit 1 saying so (a full disk, a closed
 * output: the answer was lost, and exit 0 said all was well). A verb that failed keeps its
 * code. The message is said once (user add says its own). */
static int output_written(int rc)
{
    if (!fflush(stdout) && !ferror(stdout)) return rc;
    int e = errno;
    /* the command ran to its end: a write is committed, only its answer is lost (a script that
     * ran it again on exit 1 made it twice) */
    if (!rc)
        fprintf(stderr,
                "pingji: cannot write standard output: %s; the command itself ran to its end"
                " (a change it made is saved: look before running it again)\n",
                strerror(e));
    return rc ? rc : 1;
}

int pj_cli_main(int argc, char **argv)
{
    /* the database, its -wal/-shm, backups and exports hold password hashes, ID numbers and
     * phone numbers: files the tool makes are its user's alone (0600, directories 0700) */
    umask(077);
    pj_err ierr;
    pj_err_clear(&ierr);
    if (pj_auth_init(&ierr)) {
        fprintf(stderr, "pingji: %s\n", ierr.message);
        return 1;
    }
    static cli a;
    memset(&a, 0, sizeof a);
    cli_now = &a;
    const verb *vb = find_verb(argc, argv);
    /* the server's log is its own (its lines are escaped where they are made) */
    if (!vb || strcmp(vb->name, "serve")) safe_stderr();
    int ended = 0;    /* after "--" every argument is a positional one (a file named -h) */
    int novalue = -1; /* the first option that takes a value given none */
    char valued[MAX_OPTS] = {0}; /* the options given as --name=value */
    for (int i = 1; i < argc; i++) {
        if (!ended && !strcmp(argv[i], "--")) {
            ended = 1;
            continue;
        }
        if (!ended && is_short_option(argv[i]) && strcmp(argv[i], "-h")) {
            /* never a file: pingji restore -x would replace the database by a file "-x" */
            const char *name = vb ? vb->name : "help";
            fprintf(stderr,
                    "pingji: unknown option '%s'; a file whose name begins with '-' is given as "
                    "./%s or after -- (see pingji %s%s)\n",
                    argv[i], argv[i], name, vb ? " --help" : "");
            return 2;
        }
        if (!ended && (!strcmp(argv[i], "-h") || (!strncmp(argv[i], "--", 2) && argv[i][2]))) {
            if (a.nopt == MAX_OPTS) return cli_usage("too many options");
            /* -h is --help */
            const char *k = argv[i][1] == 'h' ? "help" : argv[i] + 2, *eq = strchr(k, '=');
            if (eq) {
                size_t n = (size_t)(eq - k);
                if (n == 0 || n >= sizeof a.keys[0]) {
                    fprintf(stderr, "pingji: unknown option %s (see pingji help)\n", argv[i]);
                    return 2;
                }
                memcpy(a.keys[a.nopt], k, n);
                a.keys[a.nopt][n] = 0;
                a.key[a.nopt] = a.keys[a.nopt];
                a.val[a.nopt] = eq + 1;
                valued[a.nopt] = 1;
            } else {
                a.key[a.nopt] = k;
                /* a flag takes no value: pingji --help VERB is help VERB */
                int takes_none = is_flag(vb, a.npos >= 2 ? a.pos[1] : NULL, k);
                int flag = i + 1 >= argc || !strncmp(argv[i + 1], "--", 2) || takes_none;
                /* facility list --q (nothing after it) is no empty filter: said once the
                 * options are known to be the verb's (--bogus at the end is unknown) */
                if (flag && !takes_none && vb && novalue < 0) novalue = a.nopt;
                a.val[a.nopt] = flag ? NULL : argv[++i];
            }
            for (int j = 0; j < a.nopt && !repeatable(a.key[a.nopt]); j++)
                if (!strcmp(a.key[j], a.key[a.nopt])) {
                    fprintf(stderr, "pingji: --%s is given twice (see pingji help)\n", a.key[j]);
                    return 2;
                }
            a.nopt++;
        } else {
            if (a.npos == MAX_POS) return cli_usage("too many arguments");
            a.pos[a.npos++] = argv[i];
        }
    }
    if (a.npos == 0) {
        /* pingji --help, pingji --version: as the verbs */
        if (a.nopt == 1 && cli_opt(&a, "help")) return output_written(v_help(&a));
        if (a.nopt == 1 && cli_opt(&a, "version")) return output_written(v_version(&a));
        if (a.nopt) /* pingji --db F, pingji --bogus: no verb */
            fprintf(stderr, "pingji: give a verb (see pingji help)\n");
        print_usage(stderr);
        return 2;
    }
    for (int i = 0; i < NVERBS; i++) {
        if (strcmp(verbs[i].name, a.pos[0])) continue;
        if (cli_opt(&a, "help")) {
            verb_help(&verbs[i]);
            return output_written(0);
        }
        int checked = check_options(&verbs[i], &a);
        if (checked == 2) return 2;
        /* an unknown sub-command is named first (indicator bogus --bogusopt: no "--bogusopt
         * needs a value"), by the verb, with the ones it has */
        if (checked != 3 && novalue >= 0) {
            fprintf(stderr, "pingji: --%s needs a value (see pingji %s --help)\n", a.key[novalue],
                    verbs[i].name);
            return 2;
        }
        /* a flag is on when given: --force=no, --reveal=false would switch it on */
        for (int j = 0; j < a.nopt && checked != 3; j++)
            if (valued[j] && is_flag(&verbs[i], a.npos >= 2 ? a.pos[1] : NULL, a.key[j])) {
                fprintf(stderr, "pingji: --%s takes no value (see pingji %s --help)\n", a.key[j],
                        verbs[i].name);
                return 2;
            }
        /* --db "$DB" with DB unset names no file: not $PINGJI_DB, not data/pingji.db */
        const char *db = cli_opt(&a, "db");
        if (db && !*db) {
            fprintf(stderr,
                    "pingji: --db is empty: give the database file (without --db: $PINGJI_DB, else "
                    "data/pingji.db)\n");
            return 2;
        }
        /* so is PINGJI_DB="" (set to a variable that is not): no fallback to data/pingji.db */
        const char *env = getenv("PINGJI_DB");
        if (!db && env && !*env && verbs[i].fn != v_help && verbs[i].fn != v_version) {
            fprintf(stderr, "pingji: $PINGJI_DB is empty: give the database file (or unset it for "
                            "data/pingji.db)\n");
            return 2;
        }
        if (values_utf8(&a, verbs[i].name)) return 2;
        return output_written(verbs[i].fn(&a));
    }
    fprintf(stderr, "pingji: unknown verb '%s'\n", a.pos[0]);
    print_usage(stderr);
    return 2;
}
