/* Store interface. SQLite now (WAL, foreign keys, busy timeout, synchronous=FULL);
 * PostgreSQL later behind the same calls. SQL text uses `?` placeholders and the subset of
 * SQL both engines run. Statements are cached per connection by their text. */
#ifndef PJ_DB_H
#define PJ_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

typedef struct pj_db pj_db;
typedef struct pj_stmt pj_stmt;

/* Opens (creating if needed) the database at path and applies pending migrations.
 * On success *out is owned by the caller (pj_db_close). */
int pj_db_open(pj_db **out, const char *path, pj_err *err);
/* Same, applying migrations only up to `upto` (0 = all); for upgrade tests. */
int pj_db_open_at(pj_db **out, const char *path, int upto, pj_err *err);
void pj_db_close(pj_db *db);
/* The file db is connected to (absolute; SQLite's), for opening another connection to it. */
const char *pj_db_path(pj_db *db);
/* Highest applied migration number, and the number this build knows. */
int pj_db_schema_version(pj_db *db);
int pj_db_schema_latest(void);

/* Transactions. begin takes the write lock at once (BEGIN IMMEDIATE). */
int pj_db_begin(pj_db *db, pj_err *err);
int pj_db_commit(pj_db *db, pj_err *err);
void pj_db_rollback(pj_db *db);
int pj_db_in_tx(pj_db *db);

/* Shadow writes (a trial run on TEMP copies of the tables it writes, see the facility
 * import): with on set, pj_db_begin is a deferred BEGIN, which takes no lock on the database
 * until a statement writes to it, and no statement that writes to the database itself
 * ("main") may be prepared (refused: 500 on prepare). 0 off again. */
void pj_db_shadow(pj_db *db, int on);

/* A read transaction around several queries: one consistent snapshot and one lock cycle.
 * Returns 1 when it started one (pass that to pj_db_read_end), 0 when already inside one. */
int pj_db_read_begin(pj_db *db);
void pj_db_read_end(pj_db *db, int started);

/* Group commit. While a batch is open, pj_db_begin/commit/rollback work on savepoints inside
 * one outer transaction, and nothing is durable until pj_db_batch_close commits it all with one
 * fsync. The caller must not acknowledge any write of the batch before batch_close returns 0;
 * on failure every write of the batch is gone. */
int pj_db_batch_open(pj_db *db, pj_err *err);
int pj_db_batch_active(pj_db *db);
int pj_db_batch_close(pj_db *db, pj_err *err);

/* fn(arg) is called every thousand or so steps of the statement db runs (on the thread that
 * runs it); when it answers nonzero the statement ends at once, failing (503 "interrupted"): for a
 * long read that another thread may want ended. NULL fn: none from then on. */
void pj_db_progress(pj_db *db, int (*fn)(void *arg), void *arg);

/* How long a statement waits for a lock another connection holds (the write lock, mostly)
 * before it fails 503 "busy": 5000 ms from pj_db_open; 0 = not at all (the server's
 * connection, whose thread is its event loop: it retries a refused request later itself). */
void pj_db_busy_wait(pj_db *db, int ms);
/* How many statements on db have failed so far because another connection held a lock
 * (503 "busy"): a caller compares it before and after, to tell that failure from others. */
uint64_t pj_db_busy_count(pj_db *db);

/* Runs SQL with no parameters and no rows (DDL, pragmas). */
int pj_db_exec(pj_db *db, const char *sql, pj_err *err);

/* Returns a cached prepared statement for sql, reset and with bindings cleared; owned by db.
 * Call pj_stmt_done when finished so it may be reused. NULL + err on failure. */
pj_stmt *pj_db_prepare(pj_db *db, const char *sql, pj_err *err);
void pj_stmt_int(pj_stmt *s, int idx, int64_t v);
void pj_stmt_double(pj_stmt *s, int idx, double v);
void pj_stmt_text(pj_stmt *s, int idx, const char *v); /* NULL binds NULL; copied */
void pj_stmt_textn(pj_stmt *s, int idx, const char *v, size_t n);
void pj_stmt_null(pj_stmt *s, int idx);
/* How many parameters the statement takes (its largest ?N). */
int pj_stmt_param_count(pj_stmt *s);
/* 1 = a row, 0 = done, -1 = error (err filled; a constraint violation is 409 "conflict"). */
int pj_stmt_step(pj_stmt *s, pj_err *err);
int64_t pj_col_int(pj_stmt *s, int col);
double pj_col_double(pj_stmt *s, int col);
/* Valid until the next step/done on s. NULL for SQL NULL. */
const char *pj_col_text(pj_stmt *s, int col);
int pj_col_is_null(pj_stmt *s, int col);
int pj_col_count(pj_stmt *s);
const char *pj_col_name(pj_stmt *s, int col);
void pj_stmt_done(pj_stmt *s);
/* A number that changes whenever the database may have changed: at once for commits through
 * this connection; for other connections' commits when check_others asks the file (a read
 * transaction). For caches. */
uint64_t pj_db_generation(pj_db *db, int check_others);
/* Rows changed by the last statement. */
int pj_db_changes(pj_db *db);
/* Rows changed by every statement this connection has completed (triggers' rows too); a
 * statement that fails changes nothing, so an unchanged count means nothing was written. */
int64_t pj_db_total_changes(pj_db *db);
/* How the statements this connection has cached and whose text mentions `word` are run:
 * each statement's text on a line, then its query plan (one line per step, indented, as
 * SQLite's EXPLAIN QUERY PLAN words it: "SCAN t" reads the whole table t, "SEARCH t USING
 * INDEX i (…)" a part of it). Appended to out (the caller's). For tests of what an index is
 * for: a statement's plan with its placeholders unbound, the plan the cache runs it by. */
int pj_db_plans(pj_db *db, const char *word, pj_buf *out, pj_err *err);

/* Online backup of the whole database into a new file at path. */
int pj_db_backup(pj_db *db, const char *path, pj_err *err);
/* Replaces the database at dst_path by the backup file src (checked first). Refused (409
 * `restore`) while a server holds dst_path (pj_db_hold). A backup file, and the database
 * restored, readable by group or others are made owner-only with a warning, as at an open. */
int pj_db_restore_file(const char *src, const char *dst_path, pj_err *err);
/* What finishes a restore, run on the restored database while dst_path is still held: 0, or
 * -1 with err (it rolls back what it wrote). */
typedef int (*pj_db_restored_fn)(pj_db *db, void *arg, pj_err *err);
/* pj_db_restore_file, with `then` (when not NULL) run on a staged copy of the backup beside
 * dst_path (opened and migrated), which then replaces the database in one step, all while
 * dst_path is held: the database is replaced restored and finished, or not at all. -1 with
 * err when nothing was replaced (`then` failing included). */
int pj_db_restore_file_then(const char *src, const char *dst_path, pj_db_restored_fn then,
                            void *arg, pj_err *err);
/* How many of this build's migrations the database file at path has not had (0 when it is
 * not there, empty or cannot be read: opening it says why). Read only: nothing is written. */
int pj_db_migrations_pending(const char *path);
/* 0 when no server holds the database file at path (pj_db_hold) or it is not there; -1 with
 * err (409 `server_running`: "a server is running on PATH: stop it, then WHAT") when one does. */
int pj_db_check_unserved(const char *path, const char *what, pj_err *err);
/* A server's hold on the database file at path (an advisory lock, shared, kept until the
 * descriptor returned is closed): a restore onto it is refused while it is held. -1 with err
 * (503 `busy`) while a restore is writing the file. */
int pj_db_hold(const char *path, pj_err *err);

#endif
