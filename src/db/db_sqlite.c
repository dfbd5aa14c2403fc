/* SQLite implementation of the store interface (db.h). */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrations.h"

#include "core/banned.h"

/* pj_today(): the district's date (Beijing) as YYYY-MM-DD, from the server's clock (pj_now), the
 * clock every other "today" of the server reads. SQLite's date('now') reads the system clock,
 * which the test harness's shift of the clock does not move: a query on it and the code around
 * it could disagree on the day. */
static void sql_today(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    char d[11];
    pj_local_date(pj_now(), d);
    sqlite3_result_text(cx, d, 10, SQLITE_TRANSIENT);
}

#define CACHE_SLOTS 512

/* the size the -wal file is cut back to after a checkpoint (16 MiB) */
#define PJ_WAL_LIMIT_TEXT "16777216"

struct pj_stmt {
    sqlite3_stmt *st;
    pj_db *db;
    char *sql;
    uint64_t hash;
    int held; /* handed out by pj_db_prepare and not yet given back by pj_stmt_done */
};

struct pj_db {
    sqlite3 *h;
    int in_tx;
    uint64_t commits; /* commits made through this connection */
    uint64_t others;  /* last data_version seen (commits by other connections) */
    int batch;        /* a group-commit batch is open: transactions are savepoints in it */
    int shadow;       /* pj_db_shadow: begin is deferred, writes to main refused */
    uint64_t busy;    /* statements refused because another connection held a lock */
    pj_stmt cache[CACHE_SLOTS];
};

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int db_fail(pj_db *db, pj_err *err, const char *what)
{
    int rc = sqlite3_extended_errcode(db->h);
    int prim = rc & 0xff;
    if (prim == SQLITE_CONSTRAINT) {
        /* "UNIQUE constraint failed: table.col, table.col2": the first column is the field */
        const char *m = sqlite3_errmsg(db->h), *t = strstr(m, "constraint failed: ");
        char field[64] = "";
        if ((rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) && t) {
            const char *dot = strchr(t, '.');
            size_t n = dot ? strcspn(dot + 1, ", ") : 0;
            if (n && n < sizeof field) memcpy(field, dot + 1, n), field[n] = 0;
        }
        return pj_fail(err, 409, "conflict", field, "%s: %s", what, m);
    }
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
        db->busy++;
        pj_fail(err, 503, "busy", "", "database busy, try again");
        if (err) err->retry_after = 1;
        return -1;
    }
    if (prim == SQLITE_INTERRUPT) /* ended by pj_db_progress's fn: not the database's fault */
        return pj_fail(err, 503, "interrupted", "", "the query was interrupted");
    if (prim == SQLITE_READONLY) /* opened from a read-only file: reads work, writes do not */
        return pj_fail(err, 500, "internal", "", "the database file is read-only: %s",
                       sqlite3_errmsg(db->h));
    pj_error("db: %s: %s", what, sqlite3_errmsg(db->h));
    return pj_fail(err, 500, "internal", "", "database error");
}

int pj_db_exec(pj_db *db, const char *sql, pj_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        /* db_fail logs what is an error; a lock waited out (503 busy, retried by the client: a
         * CLI or another server writing) is not one — 703 such lines in 16 s drowned the rest */
        int r = db_fail(db, err, "exec");
        sqlite3_free(msg);
        return r;
    }
    return 0;
}

static int known_migration(int number)
{
    for (int i = 0; i < pj_migrations_count; i++)
        if (pj_migrations[i].number == number) return 1;
    return 0;
}

/* The highest migration recorded in h's schema_migrations that this build does not have (0:
 * none, or no such table). Modules number their migrations in their own ranges, so a newer
 * build's migration may lie below this build's highest (a foundation migration 11 while this
 * build ends at 481): the highest number alone does not tell a newer database. */
static int unknown_migration(sqlite3 *h)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(h, "SELECT version FROM schema_migrations ORDER BY version DESC", -1,
                           &st, NULL) != SQLITE_OK)
        return 0;
    while (!found && sqlite3_step(st) == SQLITE_ROW) {
        int v = sqlite3_column_int(st, 0);
        if (!known_migration(v)) found = v;
    }
    sqlite3_finalize(st);
    return found;
}

static int migrate(pj_db *db, int upto, pj_err *err)
{
    if (pj_db_exec(db,
                   "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                   " title TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                   err))
        return -1;
    int have = pj_db_schema_version(db);
    if (have > pj_db_schema_latest())
        return pj_fail(err, 500, "schema_too_new", "",
                       "database schema %d is newer than this build knows (%d)", have,
                       pj_db_schema_latest());
    /* a newer build's migration below this build's highest: refused as well, before anything
     * is applied or written (this build's code does not know that schema) */
    int unknown = unknown_migration(db->h);
    if (unknown)
        return pj_fail(err, 500, "schema_too_new", "",
                       "database has migration %d, which this build does not know: it was"
                       " made or upgraded by a newer build",
                       unknown);
    /* every migration not yet recorded is applied, in number order: modules number their
     * migrations in their own ranges, so a gap is filled when its module arrives */
    /* in number order, whatever the order of the array */
    int order[256], n = pj_migrations_count < 256 ? pj_migrations_count : 256;
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = 1; i < n; i++)
        for (int k = i;
             k > 0 && pj_migrations[order[k]].number < pj_migrations[order[k - 1]].number; k--) {
            int t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        const pj_migration *m = &pj_migrations[order[i]];
        if (upto && m->number > upto) continue;
        pj_stmt *q = pj_db_prepare(db, "SELECT 1 FROM schema_migrations WHERE version = ?", err);
        if (!q) return -1;
        pj_stmt_int(q, 1, m->number);
        int done = pj_stmt_step(q, err);
        pj_stmt_done(q);
        if (done < 0) return -1;
        if (done) continue;
        if (pj_db_begin(db, err)) return -1;
        /* recorded first, in the same transaction: a migration that writes rows stamped with
         * the time (audit rows) reads it as its own schema_migrations row's applied_at */
        pj_stmt *s = pj_db_prepare(
            db, "INSERT INTO schema_migrations (version, title, applied_at) VALUES (?, ?, ?)", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, m->number);
        pj_stmt_text(s, 2, m->title);
        pj_stmt_int(s, 3, pj_now());
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
        if (pj_db_exec(db, m->sql, err) || (m->run && m->run(db, err))) {
            /* which migration and why, read before the rollback (after it SQLite's message
             * is "not an error"); a busy database keeps its own answer */
            if (strcmp(err->code, "busy"))
                pj_fail(err, 500, "migration_failed", "",
                        "migration %d (%s) failed: %s; the database is left as it was", m->number,
                        m->title, sqlite3_errmsg(db->h));
            goto fail;
        }
        if (pj_db_commit(db, err)) goto fail;
        pj_info("db: applied migration %d (%s)", m->number, m->title);
    }
    return 0;
fail:
    pj_db_rollback(db);
    return -1;
}

int pj_migration_shared_ids(pj_db *db, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(db,
                               "SELECT COUNT(*), COUNT(DISTINCT id_number) FROM ec_streamers x"
                               " WHERE anonymised = 0 AND id_number IS NOT NULL AND EXISTS"
                               " (SELECT 1 FROM ec_streamers y WHERE y.id_number = x.id_number"
                               " AND y.anonymised = 0 AND y.id <> x.id)",
                               err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int64_t n = rc == 1 ? pj_col_int(s, 0) : 0, numbers = rc == 1 ? pj_col_int(s, 1) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (n)
        pj_warn("db: %lld live streamers share %lld ID numbers with another (one person"
                " registered twice, with 'x' and 'X'): GET /api/v1/ecommerce/streamers"
                "?id_shared=true lists them; keep one of each and delete the other",
                (long long)n, (long long)numbers);
    return 0;
}

/* 0 when h is empty (new) or a pingji database (it has schema_migrations); -1 otherwise, with
 * *foreign set when it is not a database or another program's, else SQLite's error on h. */
static int check_pingji(sqlite3 *h, int *foreign)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h,
                                "SELECT COUNT(*), COALESCE(SUM(name = 'schema_migrations'), 0)"
                                " FROM sqlite_master WHERE type = 'table'",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    int tables = 0, ours = 0;
    if (rc == SQLITE_ROW) {
        tables = sqlite3_column_int(st, 0);
        ours = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        *foreign = (sqlite3_extended_errcode(h) & 0xff) == SQLITE_NOTADB;
        return -1;
    }
    if (tables && !ours) {
        *foreign = 1;
        return -1;
    }
    return 0;
}

/* A database made before pingji ran with umask 077 (or chmod-ed since) may be readable by
 * group or others, and SQLite gives its -wal and -shm the database's own mode: such a file,
 * and the -wal/-shm/-journal beside it, is made owner-only once it is known to be a pingji
 * database (a file the open refuses, a text file or another program's database, is left as it
 * was), with one warning. A file of another owner is left as it is, with a warning. */
static void tighten_mode(const char *path)
{
    /* by path, never opening the file: closing a descriptor of it would drop the POSIX locks
     * of this process's other connections to it */
    struct stat st;
    if (stat(path, &st) || !S_ISREG(st.st_mode)) return; /* not there yet (made 0600) */
    static const char *const sides[] = {"-wal", "-shm", "-journal"};
    unsigned mode = (unsigned)st.st_mode & 07777;
    char side[4096], done[64] = "";
    const char *failed = NULL; /* what could not be changed ("" the file itself), errno in ferr */
    int ferr = 0;
    size_t dn = 0;
    int main_done = 0, others = 0;
    if ((mode & 077) && st.st_uid != geteuid())
        others = 1;
    else if (mode & 077) {
        if (chmod(path, mode & 0700))
            failed = "", ferr = errno;
        else
            main_done = 1;
    }
    for (int i = 0; i < 3; i++) {
        struct stat ss;
        if (snprintf(side, sizeof side, "%s%s", path, sides[i]) >= (int)sizeof side) continue;
        if (stat(side, &ss) || !S_ISREG(ss.st_mode) || !(ss.st_mode & 077)) continue;
        if (ss.st_uid != geteuid() || st.st_uid != geteuid()) {
            others = 1;
            continue;
        }
        if (chmod(side, ss.st_mode & 0700)) {
            if (!failed) failed = sides[i], ferr = errno;
            continue;
        }
        int n = snprintf(done + dn, sizeof done - dn, "%s%s", dn ? ", " : "", sides[i]);
        if (n > 0 && (size_t)n < sizeof done - dn) dn += (size_t)n;
    }
    if (others)
        pj_warn("db: %s (mode %04o) or its -wal/-shm/-journal is readable by others but owned by"
                " another user, not this process (uid %u): left as it is; make it owner-only"
                " (chmod 600)",
                path, mode, (unsigned)geteuid());
    else if (failed)
        pj_warn("db: %s%s is readable by others and could not be made owner-only: %s", path, failed,
                strerror(ferr));
    else if (main_done)
        pj_warn("db: %s was readable by others (mode %04o): made owner-only (%04o)%s%s", path, mode,
                mode & 0700, dn ? ", and its " : "", done);
    else if (dn)
        pj_warn("db: the %s of %s were readable by others: made owner-only", done, path);
}

int pj_db_open_at(pj_db **out, const char *path, int upto, pj_err *err)
{
    *out = NULL;
    pj_db *db = calloc(1, sizeof *db);
    if (!db) return pj_fail(err, 500, "internal", "", "out of memory");
    /* the reason named (SQLite says "unable to open database file" for all of them) */
    struct stat st;
    int there = !stat(path, &st);
    if (there && S_ISDIR(st.st_mode)) {
        free(db);
        return pj_fail(err, 500, "db_open", "", "cannot open database %s: it is a directory", path);
    }
    /* SQLite keeps a database's write-ahead log beside the name it is opened under: opened by
     * two names (hard links), each keeps its own log, blind to the other's commits — a server
     * on one name and a command on another gave one id to two records and corrupted the file */
    if (there && S_ISREG(st.st_mode) && st.st_nlink > 1) {
        free(db);
        return pj_fail(err, 500, "db_open", "",
                       "cannot open database %s: the file has %lu names (hard links), and a"
                       " database opened by two names corrupts (each name keeps its own"
                       " write-ahead log); keep one name (find the others with find / -samefile"
                       " %s) or copy the file",
                       path, (unsigned long)st.st_nlink, path);
    }
    if (sqlite3_open_v2(path, &db->h,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        int e = db->h ? sqlite3_system_errno(db->h) : 0;
        /* a new file SQLite could not create: it then tries to open it read-only and keeps
         * that attempt's ENOENT, so the reason is the directory's (permission, missing) */
        char dir[4096];
        const char *slash = strrchr(path, '/');
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
                 slash ? path : ".");
        if (db->h && stat(path, &st) && errno == ENOENT && access(dir, W_OK | X_OK))
            pj_fail(err, 500, "db_open", "", "cannot create database %s: %s (directory %s)", path,
                    strerror(errno), dir);
        else
            pj_fail(err, 500, "db_open", "", "cannot open database %s: %s", path,
                    !db->h ? "out of memory"
                    : e    ? strerror(e)
                           : sqlite3_errmsg(db->h));
        sqlite3_close(db->h);
        free(db);
        return -1;
    }
    sqlite3_busy_timeout(db->h, 5000);
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_create_function_v2(db->h, "pj_today", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                               sql_today, NULL, NULL, NULL);
    /* a file of another kind, or another program's database, is refused, not migrated */
    int foreign = 0;
    if (check_pingji(db->h, &foreign)) {
        if (foreign)
            pj_fail(err, 500, "db_open", "", "%s is not a pingji database", path);
        else
            pj_fail(err, 500, "db_open", "", "cannot open %s: %s", path, sqlite3_errmsg(db->h));
        pj_db_close(db);
        return -1;
    }
    /* a pingji database (or a new one): it, and the -wal/-shm reading it may have made with
     * its mode, become owner-only */
    tighten_mode(path);
    /* WAL + synchronous=FULL: a commit is fsynced before it is acknowledged. The -wal file
     * grows to hold the largest burst of writes between two checkpoints and, left alone, keeps
     * that size while the server runs: the first commit after a checkpoint cuts it back to
     * PJ_WAL_LIMIT. */
    if (pj_db_exec(db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                   "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;"
                   "PRAGMA journal_size_limit=" PJ_WAL_LIMIT_TEXT ";",
                   err) ||
        migrate(db, upto, err)) {
        /* name the file and the reason (a busy database keeps its own message) */
        if (!strcmp(err->code, "internal"))
            pj_fail(err, 500, "db_open", "", "cannot open %s: %s", path, sqlite3_errmsg(db->h));
        else if (!strcmp(err->code, "migration_failed")) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "%s", err->message);
            pj_fail(err, 500, "migration_failed", "", "cannot open %s: %s", path, why);
        }
        pj_db_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

int pj_db_open(pj_db **out, const char *path, pj_err *err)
{
    return pj_db_open_at(out, path, 0, err);
}

void pj_db_close(pj_db *db)
{
    if (!db) return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (db->cache[i].st) sqlite3_finalize(db->cache[i].st);
        free(db->cache[i].sql);
    }
    if (db->in_tx) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db->h);
    free(db);
}

const char *pj_db_path(pj_db *db)
{
    return sqlite3_db_filename(db->h, "main");
}

int pj_db_schema_version(pj_db *db)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(db->h, "SELECT COALESCE(MAX(version),0) FROM schema_migrations", -1, &st,
                           NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

int pj_db_schema_latest(void)
{
    int max = 0;
    for (int i = 0; i < pj_migrations_count; i++)
        if (pj_migrations[i].number > max) max = pj_migrations[i].number;
    return max;
}

int pj_db_begin(pj_db *db, pj_err *err)
{
    if (db->in_tx) return pj_fail(err, 500, "internal", "", "nested transaction");
    if (pj_db_exec(db,
                   db->batch    ? "SAVEPOINT pj_tx"
                   : db->shadow ? "BEGIN"
                                : "BEGIN IMMEDIATE",
                   err))
        return -1;
    db->in_tx = 1;
    return 0;
}

int pj_db_commit(pj_db *db, pj_err *err)
{
    if (pj_db_exec(db, db->batch ? "RELEASE pj_tx" : "COMMIT", err)) {
        pj_db_rollback(db);
        return -1;
    }
    db->in_tx = 0;
    db->commits++;
    return 0;
}

void pj_db_rollback(pj_db *db)
{
    if (!db->in_tx) return;
    sqlite3_exec(db->h, db->batch ? "ROLLBACK TO pj_tx; RELEASE pj_tx" : "ROLLBACK", NULL, NULL,
                 NULL);
    db->in_tx = 0;
}

/* The authorizer of a shadow run: no write to the database itself. */
static int shadow_auth(void *arg, int action, const char *a1, const char *a2, const char *dbname,
                       const char *trigger)
{
    /* the schema's own tables are SQLite's (a table-valued function such as json_each
     * declares itself through them when a statement naming it is prepared) */
    if ((action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE) && dbname &&
        !strcmp(dbname, "main") && !(a1 && !strncmp(a1, "sqlite_", 7))) {
        pj_error("db: a shadow run tried to write main.%s", a1 ? a1 : "?");
        return SQLITE_DENY;
    }
    return SQLITE_OK;
}

void pj_db_shadow(pj_db *db, int on)
{
    db->shadow = on;
    sqlite3_set_authorizer(db->h, on ? shadow_auth : NULL, NULL);
}

int pj_db_read_begin(pj_db *db)
{
    if (db->in_tx || db->batch) return 0;
    if (sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return 0;
    db->in_tx = 1;
    return 1;
}

void pj_db_read_end(pj_db *db, int started)
{
    if (!started) return;
    sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
    db->in_tx = 0;
}

int pj_db_batch_open(pj_db *db, pj_err *err)
{
    if (db->batch || db->in_tx)
        return pj_fail(err, 500, "internal", "", "batch inside a transaction");
    if (pj_db_exec(db, "BEGIN IMMEDIATE", err)) return -1;
    db->batch = 1;
    return 0;
}

int pj_db_batch_active(pj_db *db)
{
    return db->batch;
}

int pj_db_batch_close(pj_db *db, pj_err *err)
{
    if (!db->batch) return 0;
    if (db->in_tx) pj_db_rollback(db); /* a transaction left open: it does not count */
    db->batch = 0;
    db->commits++; /* readers may have cached what this batch wrote: look again either way */
    if (pj_db_exec(db, "COMMIT", err)) {
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int pj_db_in_tx(pj_db *db)
{
    return db->in_tx;
}

pj_stmt *pj_db_prepare(pj_db *db, const char *sql, pj_err *err)
{
    uint64_t h = fnv(sql);
    unsigned slot = (unsigned)(h % CACHE_SLOTS);
    for (int probe = 0; probe < 8; probe++) {
        pj_stmt *c = &db->cache[(slot + (unsigned)probe) % CACHE_SLOTS];
        if (c->st && c->hash == h && strcmp(c->sql, sql) == 0) {
            c->held = 1;
            return c;
        }
        if (!c->st) {
            if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) !=
                SQLITE_OK) {
                pj_error("db prepare: %s in: %s", sqlite3_errmsg(db->h), sql);
                c->st = NULL;
                db_fail(db, err, "prepare");
                return NULL;
            }
            c->sql = strdup(sql);
            c->hash = h;
            c->db = db;
            c->held = 1;
            return c;
        }
    }
    /* neighbourhood full: take the first slot whose statement no caller holds — one prepared
     * and bound but not stepped yet is held too (sqlite3_stmt_busy says no until its first
     * step), and taking it would hand the caller's statement to this SQL; failing that (a
     * caller that never gave one back), the first one not being stepped */
    pj_stmt *c = NULL;
    for (int probe = 0; probe < CACHE_SLOTS && !c; probe++) {
        pj_stmt *x = &db->cache[(slot + (unsigned)probe) % CACHE_SLOTS];
        if (!x->st || (!x->held && !sqlite3_stmt_busy(x->st))) c = x;
    }
    for (int probe = 0; probe < CACHE_SLOTS && !c; probe++) {
        pj_stmt *x = &db->cache[(slot + (unsigned)probe) % CACHE_SLOTS];
        if (!sqlite3_stmt_busy(x->st)) {
            pj_warn("db: statement cache full of held statements; reusing one not stepped");
            c = x;
        }
    }
    if (!c) {
        pj_fail(err, 500, "internal", "", "too many statements in use at once");
        return NULL;
    }
    sqlite3_finalize(c->st);
    free(c->sql);
    c->st = NULL;
    c->sql = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) != SQLITE_OK) {
        c->st = NULL;
        db_fail(db, err, "prepare");
        return NULL;
    }
    c->sql = strdup(sql);
    c->hash = h;
    c->db = db;
    c->held = 1;
    return c;
}

int pj_db_plans(pj_db *db, const char *word, pj_buf *out, pj_err *err)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        const pj_stmt *c = &db->cache[i];
        if (!c->st || !strstr(c->sql, word)) continue;
        char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", c->sql);
        sqlite3_stmt *st = NULL;
        int rc = q ? sqlite3_prepare_v2(db->h, q, -1, &st, NULL) : SQLITE_NOMEM;
        sqlite3_free(q);
        if (rc != SQLITE_OK) return db_fail(db, err, "plan");
        pj_buf_printf(out, "%s\n", c->sql);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            pj_buf_printf(out, "  %s\n", (const char *)sqlite3_column_text(st, 3));
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return db_fail(db, err, "plan");
    }
    return 0;
}

void pj_stmt_int(pj_stmt *s, int idx, int64_t v)
{
    sqlite3_bind_int64(s->st, idx, v);
}
void pj_stmt_double(pj_stmt *s, int idx, double v)
{
    sqlite3_bind_double(s->st, idx, v);
}
void pj_stmt_text(pj_stmt *s, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(s->st, idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->st, idx);
}
void pj_stmt_textn(pj_stmt *s, int idx, const char *v, size_t n)
{
    sqlite3_bind_text(s->st, idx, v, (int)n, SQLITE_TRANSIENT);
}
void pj_stmt_null(pj_stmt *s, int idx)
{
    sqlite3_bind_null(s->st, idx);
}

int pj_stmt_param_count(pj_stmt *s)
{
    return sqlite3_bind_parameter_count(s->st);
}

int pj_stmt_step(pj_stmt *s, pj_err *err)
{
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return db_fail(s->db, err, "step");
}

int64_t pj_col_int(pj_stmt *s, int col)
{
    return sqlite3_column_int64(s->st, col);
}
double pj_col_double(pj_stmt *s, int col)
{
    return sqlite3_column_double(s->st, col);
}
const char *pj_col_text(pj_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s->st, col);
}
int pj_col_is_null(pj_stmt *s, int col)
{
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}
int pj_col_count(pj_stmt *s)
{
    return sqlite3_column_count(s->st);
}
const char *pj_col_name(pj_stmt *s, int col)
{
    return sqlite3_column_name(s->st, col);
}

void pj_stmt_done(pj_stmt *s)
{
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->held = 0;
}

void pj_db_busy_wait(pj_db *db, int ms)
{
    sqlite3_busy_timeout(db->h, ms);
}

uint64_t pj_db_busy_count(pj_db *db)
{
    return db->busy;
}

uint64_t pj_db_generation(pj_db *db, int check_others)
{
    /* data_version moves when another connection commits (reading it costs a read
     * transaction); our own commits are counted */
    if (check_others) {
        pj_stmt *s = pj_db_prepare(db, "PRAGMA data_version", NULL);
        if (s && sqlite3_step(s->st) == SQLITE_ROW)
            db->others = (uint64_t)sqlite3_column_int64(s->st, 0);
        if (s) pj_stmt_done(s); /* given back to the cache, not only reset */
    }
    return (db->others << 32) ^ db->commits;
}

void pj_db_progress(pj_db *db, int (*fn)(void *arg), void *arg)
{
    /* the cost: one call per 1,000 virtual machine steps (a few microseconds of a query) */
    sqlite3_progress_handler(db->h, fn ? 1000 : 0, fn, arg);
}

int pj_db_changes(pj_db *db)
{
    return sqlite3_changes(db->h);
}

int64_t pj_db_total_changes(pj_db *db)
{
    return sqlite3_total_changes64(db->h);
}

static int copy_db(sqlite3 *src, sqlite3 *dst, pj_err *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) return pj_fail(err, 500, "backup", "", "backup init: %s", sqlite3_errmsg(dst));
    /* in one step: a copy made in slices starts over whenever another connection (the server)
     * commits between two of them, and under steady writes never ended. One step reads one
     * snapshot (in WAL mode the writers go on meanwhile) and copies it whole. */
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(10);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return pj_fail(err, 500, "backup", "", "backup failed: %s", sqlite3_errstr(rc));
    return 0;
}

int pj_db_backup(pj_db *db, const char *path, pj_err *err)
{
    /* made whole or not at all: a backup killed midway leaves a PATH.partial-XXXXXX, never a
     * file under the name asked for that a restore, days later, finds broken */
    pj_file_whole f;
    int fd = pj_file_whole_begin(&f, path, 0, "backup", err);
    if (fd < 0) return -1;
    close(fd);
    sqlite3 *dst;
    if (sqlite3_open_v2(f.tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK) {
        sqlite3_close(dst);
        pj_file_whole_drop(&f);
        return pj_fail(err, 500, "backup", "file", "cannot create %s", path);
    }
    int r = copy_db(db->h, dst, err);
    /* the copy has the source's write-ahead-log header: reading it would need a -shm file
     * beside it, which a read-only disk, a snapshot or another account's directory cannot
     * take; in rollback mode the backup is one self-contained file (a server opening it, or the
     * database it is restored into, is in WAL mode again) */
    if (!r && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        r = pj_fail(err, 500, "backup", "file", "cannot finish %s: %s", path, sqlite3_errmsg(dst));
    sqlite3_close(dst);
    if (r) {
        pj_file_whole_drop(&f);
        return r;
    }
    return pj_file_whole_end(&f, -1, 0, "backup", err);
}

/* "file:" URI of absolute path `path` with "?immutable=1": read without locks or a -shm file
 * (a file that nothing writes, in a directory this process cannot write). NULL if too long. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path), size = 3 * n + 32, k = 0;
    if (n > 4096) return NULL;
    char *u = malloc(size);
    if (!u) return NULL;
    k += (size_t)snprintf(u, size, "file://");
    for (const char *p = path; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '/' || ch == '-' || ch == '_' || ch == '.' || ch == '~')
            u[k++] = (char)ch;
        else
            k += (size_t)snprintf(u + k, size - k, "%%%02X", ch);
    }
    snprintf(u + k, size - k, "?immutable=1");
    return u;
}

/* Opens backup file src read-only and runs its integrity check: ok 1 when it is "ok". A
 * backup in write-ahead-log mode (one made before backups were self-contained, or a copy of a
 * live database) needs a -shm file beside it; where that cannot be made (a read-only disk or
 * snapshot, another account's directory) and there is no -wal file holding changes, the file
 * is the whole database and is read as immutable. 0 when it was read, -1 with err naming the
 * reason when it could not be. */
static int open_backup(const char *src, sqlite3 **out, int *ok, pj_err *err)
{
    for (int immutable = 0;; immutable = 1) {
        sqlite3 *s = NULL;
        char *uri = NULL;
        if (immutable) {
            char *abs = realpath(src, NULL);
            uri = abs ? immutable_uri(abs) : NULL;
            free(abs);
            if (!uri)
                return pj_fail(err, 400, "restore", "file", "cannot open %s: %s", src,
                               strerror(errno ? errno : ENAMETOOLONG));
        }
        int rc = sqlite3_open_v2(immutable ? uri : src, &s,
                                 SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0), NULL);
        free(uri);
        if (rc != SQLITE_OK) {
            int e = sqlite3_system_errno(s);
            pj_fail(err, 400, "restore", "file", "cannot open %s: %s", src,
                    e ? strerror(e) : sqlite3_errmsg(s));
            sqlite3_close(s);
            return -1;
        }
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(s, "PRAGMA integrity_check", -1, &st, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const char *res = (const char *)sqlite3_column_text(st, 0);
            *ok = res && !strcmp(res, "ok");
            sqlite3_finalize(st);
            *out = s;
            return 0;
        }
        sqlite3_finalize(st);
        rc = sqlite3_errcode(s);
        int e = sqlite3_system_errno(s);
        char msg[256];
        snprintf(msg, sizeof msg, "%s%s%s", sqlite3_errmsg(s), e ? ": " : "", e ? strerror(e) : "");
        sqlite3_close(s);
        if (rc == SQLITE_NOTADB)
            return pj_fail(err, 400, "restore", "file", "%s is not a pingji database", src);
        /* changes beside the file (a -wal, or the -journal of a write cut short): the file
         * alone is not the database, it is not read as immutable */
        char wal[4200];
        struct stat wst;
        snprintf(wal, sizeof wal, "%s-journal", src);
        if (stat(wal, &wst) == 0 && wst.st_size > 0)
            return pj_fail(err, 400, "restore", "file",
                           "cannot read %s: %s lies beside it (a write cut short) and cannot be"
                           " rolled back there (%s)",
                           src, wal, msg);
        snprintf(wal, sizeof wal, "%s-wal", src);
        int has_wal = stat(wal, &wst) == 0 && wst.st_size > 0;
        /* no -shm file can be made or written there (SQLite's "unable to open database file",
         * or "attempt to write a readonly database" when the backup is another user's) */
        int no_shm = (rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY;
        if (!immutable && no_shm && !has_wal) continue;
        if (has_wal && no_shm)
            return pj_fail(err, 400, "restore", "file",
                           "cannot read %s: its changes in %s need a %s-shm file beside it,"
                           " which cannot be made there (a read-only directory); copy the"
                           " database with its -wal file to a writable directory and restore"
                           " from there",
                           src, wal, src);
        return pj_fail(err, 400, "restore", "file", "cannot read %s: %s", src, msg);
    }
}

/* Holds the database file at path exclusively (the advisory lock a server keeps shared,
 * pj_db_hold): 0 with *fd (-1 when the file could not be opened to lock it); -1 with err, 409
 * `conflict_code` "a server is running on PATH: WHAT" while a server holds it.
 * Taken before any connection to the file, whose POSIX locks closing *fd would drop. */
static int lock_out(const char *path, int create, const char *conflict_code, const char *what,
                    int *fd, pj_err *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (*fd >= 0 && flock(*fd, LOCK_EX | LOCK_NB)) {
        int e = errno;
        close(*fd);
        *fd = -1;
        if (e == EWOULDBLOCK)
            return pj_fail(err, 409, conflict_code, "", "a server is running on %s: %s", path,
                           what);
        return pj_fail(err, 500, conflict_code, "", "cannot lock %s: %s", path, strerror(e));
    }
    return 0;
}

int pj_db_migrations_pending(const char *path)
{
    struct stat st;
    if (stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size == 0) return 0;
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return 0;
    }
    sqlite3_busy_timeout(h, 5000);
    int pending = 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(h, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &q, NULL) ==
        SQLITE_OK)
        for (int i = 0; i < pj_migrations_count; i++) {
            sqlite3_bind_int(q, 1, pj_migrations[i].number);
            if (sqlite3_step(q) != SQLITE_ROW) pending++;
            sqlite3_reset(q);
        }
    sqlite3_finalize(q);
    sqlite3_close(h);
    return pending;
}

int pj_db_check_unserved(const char *path, const char *what, pj_err *err)
{
    int fd;
    char then[64];
    snprintf(then, sizeof then, "stop it, then %s", what);
    if (lock_out(path, 0, "server_running", then, &fd, err)) return -1;
    if (fd >= 0) close(fd);
    return 0;
}

int pj_db_restore_file(const char *src, const char *dst_path, pj_err *err)
{
    return pj_db_restore_file_then(src, dst_path, NULL, NULL, err);
}

int pj_db_restore_file_then(const char *src, const char *dst_path, pj_db_restored_fn then,
                            void *arg, pj_err *err)
{
    sqlite3 *s = NULL;
    struct stat sst;
    if (stat(src, &sst))
        return pj_fail(err, 400, "restore", "file", "cannot open %s: %s", src, strerror(errno));
    if (S_ISDIR(sst.st_mode))
        return pj_fail(err, 400, "restore", "file", "cannot open %s: it is a directory", src);
    /* Check it is a sound pingji database before replacing anything. */
    int ok = 0;
    if (open_backup(src, &s, &ok, err)) return -1;
    sqlite3_stmt *st = NULL;
    int ver = 0;
    if (ok && sqlite3_prepare_v2(s, "SELECT MAX(version) FROM schema_migrations", -1, &st, NULL) ==
                  SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) ver = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (!ok) {
        sqlite3_close(s);
        return pj_fail(err, 400, "restore", "file",
                       "%s is damaged: its integrity check fails; not restoring from it", src);
    }
    if (ver < 1) {
        sqlite3_close(s);
        return pj_fail(err, 400, "restore", "file", "%s is not a pingji database", src);
    }
    if (ver > pj_db_schema_latest()) {
        sqlite3_close(s);
        return pj_fail(err, 400, "restore", "file", "%s has schema %d, newer than this build", src,
                       ver);
    }
    int unknown = unknown_migration(s);
    if (unknown) {
        sqlite3_close(s);
        return pj_fail(err, 400, "restore", "file",
                       "%s has migration %d, which this build does not know: it was made or"
                       " upgraded by a newer build",
                       src, unknown);
    }
    /* the database by another name (a hard link) is refused as an open refuses it, before
     * anything is replaced: the restore's last step opens it and failed there every time,
     * after the copy ("restore again" could never finish) */
    struct stat dst;
    if (!stat(dst_path, &dst) && S_ISREG(dst.st_mode) && dst.st_nlink > 1) {
        sqlite3_close(s);
        return pj_fail(err, 400, "restore", "",
                       "%s has %lu names (hard links), and a database opened by two names"
                       " corrupts; keep one name (find the others with find / -samefile %s),"
                       " then restore; nothing was changed",
                       dst_path, (unsigned long)dst.st_nlink, dst_path);
    }
    /* a pingji database: a backup that others may read (one made by an older build) becomes
     * owner-only, with the warning an open gives */
    tighten_mode(src);
    /* a server on the database holds it (pj_db_hold): its writes acknowledged during the copy
     * would be lost, so the restore is refused; held exclusively from here, so that a server
     * does not start on it while it is copied. Taken before any connection to it, whose
     * POSIX locks closing this descriptor would drop. */
    int lock;
    if (lock_out(dst_path, 1, "restore", "stop it first, then restore", &lock, err)) {
        sqlite3_close(s);
        return -1;
    }
    sqlite3 *d;
    if (sqlite3_open(dst_path, &d) != SQLITE_OK) {
        int e = sqlite3_system_errno(d);
        pj_fail(err, 500, "restore", "", "cannot open %s: %s", dst_path,
                e ? strerror(e) : sqlite3_errmsg(d));
        sqlite3_close(d);
        sqlite3_close(s);
        if (lock >= 0) close(lock);
        return -1;
    }
    sqlite3_busy_timeout(d, 5000);
    /* what finishes the restore (the backup's sessions ended, its audit row) is written into a
     * staged copy beside the database (migrated as an open migrates it), and the stage is
     * copied over the database in one step: a restore stopped anywhere (killed, the machine
     * down) leaves the database as it was, or restored and finished — never restored with the
     * backup's sessions working and no record of the restore. All while the file is held, so
     * that no server starts on it in between. */
    pj_file_whole stage = {0};
    int r = 0;
    if (then) {
        sqlite3 *t = NULL;
        pj_db *db = NULL;
        int fd = pj_file_whole_begin(&stage, dst_path, 1, "restore", err);
        if (fd < 0)
            r = -1;
        else
            close(fd);
        if (!r && sqlite3_open_v2(stage.tmp, &t, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                                  NULL) != SQLITE_OK)
            r = pj_fail(err, 500, "restore", "", "cannot stage the restore beside %s: %s", dst_path,
                        sqlite3_errmsg(t));
        if (!r) r = copy_db(s, t, err);
        sqlite3_close(t);
        t = NULL;
        if (!r && (pj_db_open(&db, stage.tmp, err) || then(db, arg, err))) r = -1;
        pj_db_close(db);
        if (!r && sqlite3_open_v2(stage.tmp, &t, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
            r = pj_fail(err, 500, "restore", "", "cannot read the staged restore: %s",
                        sqlite3_errmsg(t));
        if (!r) r = copy_db(t, d, err);
        sqlite3_close(t);
    } else
        r = copy_db(s, d, err);
    sqlite3_close(d);
    sqlite3_close(s);
    if (stage.tmp) {
        char side[4200];
        static const char *const ext[] = {"-wal", "-shm", "-journal"};
        for (int i = 0; i < 3; i++) {
            snprintf(side, sizeof side, "%s%s", stage.tmp, ext[i]);
            unlink(side);
        }
        pj_file_whole_drop(&stage);
    }
    /* the restored database as a new one is: owner-only (a file there before may not be) */
    if (!r) tighten_mode(dst_path);
    /* the connections are closed before the lock's descriptor, whose closing would drop its
     * locks */
    if (lock >= 0) close(lock);
    return r;
}

int pj_db_hold(const char *path, pj_err *err)
{
    /* a new database's file is made here (empty, owner-only; SQLite takes it as a new one),
     * so that it is held from its start */
    struct stat st;
    int fresh = stat(path, &st) && errno == ENOENT;
    int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return pj_fail(err, 500, "db_open", "", "cannot %s database %s: %s",
                       fresh ? "create" : "open", path, strerror(errno));
    if (flock(fd, LOCK_SH | LOCK_NB)) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return pj_fail(err, 503, "busy", "",
                           "%s is being restored from a backup: start the server when the"
                           " restore has finished",
                           path);
        return pj_fail(err, 500, "db_open", "", "cannot lock %s: %s", path, strerror(e));
    }
    return fd;
}
