/* Long read-only reports off the event loop (see hutil.h): a job carries what the domain call
 * needs of the request (copies: the request's memory is the loop's), runs on a report worker
 * with that thread's own read-only connection, and its answer is moved into the response on
 * the loop. */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/log.h"
#include "domain/audit.h"
#include "http/hutil.h"

#include "core/banned.h"

void (*pj_h_report_hook)(const atomic_int *cancel);

typedef struct report_job {
    pj_work work; /* first: the worker pool's part */
    pj_read_fn fn;
    pj_read_args_fn fn_args; /* or this, with args */
    const char *content_type;
    char *db_path;
    char *username;
    char request_id[24];
    pj_actor actor; /* username: the job's copy */
    pj_settings settings;
    int audited; /* the call may read unmasked: its reads to audit are collected (reveals) */
    int unsent;  /* a HEAD's: nothing is shown, nothing to audit */
    /* the outcome, read on the loop once the job is back */
    int rc;
    int interrupted; /* a statement was ended by the stop (report_progress) */
    pj_err err;
    pj_buf out;
    pj_reveals reveals; /* audited (read_unmasked rows) before the answer leaves the worker */
    /* a write made apart (pj_h_write_apart): fn on a connection of its own, again on the
     * loop's when fn answers 2; data[0..len) the request's body, copied */
    pj_apart_fn apart, again;
    void *data;
    size_t len;
    max_align_t args[]; /* fn_args's parameters (aligned for any struct) */
} report_job;

/* ---- each report worker's own connection ---- */

/* Opened at a worker's first report, kept for its next ones, closed when the worker ends (the
 * key's destructor runs as its thread exits: the pool's stop joins it). */
static pthread_key_t conn_key;
static int conn_key_ok;
static pthread_once_t conn_once = PTHREAD_ONCE_INIT;

static void conn_close(void *db)
{
    pj_db_close(db);
}

static void conn_key_make(void)
{
    conn_key_ok = pthread_key_create(&conn_key, conn_close) == 0;
}

/* The calling thread's connection to path, opened now if it has none: read-only (query_only:
 * a write fails, whatever the call tries), WAL letting it read while the loop writes. */
static pj_db *thread_conn(const char *path, pj_err *err)
{
    pthread_once(&conn_once, conn_key_make);
    if (!conn_key_ok) {
        pj_fail(err, 500, "internal", "", "cannot keep the report worker's connection");
        return NULL;
    }
    pj_db *db = pthread_getspecific(conn_key);
    if (db && !strcmp(pj_db_path(db), path)) return db;
    if (db) { /* another server's database (one process serving one after another) */
        pthread_setspecific(conn_key, NULL);
        pj_db_close(db);
    }
    /* the worker's first report: from now on it yields the CPU to the event loop and the
     * password checks (nice 10 for this thread alone: on Linux a thread has its own) */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10))
        pj_log(PJ_LOG_DEBUG, "report worker: cannot lower its priority");
    if (pj_db_open(&db, path, err)) return NULL;
    if (pj_db_exec(db, "PRAGMA query_only = 1", err) || pthread_setspecific(conn_key, db)) {
        pj_db_close(db);
        if (!err->status) pj_fail(err, 500, "internal", "", "cannot keep the report connection");
        return NULL;
    }
    return db;
}

/* ---- the job ---- */

/* SQLite's progress handler while a report runs: a stop (the job's cancel, set by the pool)
 * ends the statement running, and so the report. */
static int report_progress(void *arg)
{
    report_job *j = arg;
    if (!atomic_load_explicit(&j->work.cancel, memory_order_relaxed)) return 0;
    j->interrupted = 1;
    return 1;
}

/* What the call showed unmasked (j->reveals) audited before its answer leaves the worker: the
 * read_unmasked rows in one short write transaction of their own (one statement; the read's
 * snapshot is over), on this connection made writable for it alone. The insert, its commit
 * and the checkpoint after it run here, not on the loop; the loop's own writes wait for the
 * lock at most as long as that statement and commit. 0, or -1 (j->err; nothing written). */
static int audit_reveals(pj_db *db, pj_ctx *c, report_job *j)
{
    if (!j->reveals.n) return 0;
    int rc = pj_db_exec(db, "PRAGMA query_only = 0", &j->err) ||
                     pj_audit_reveals(c, &j->reveals, &j->err)
                 ? -1
                 : 0;
    pj_err e;
    pj_err_clear(&e);
    if (pj_db_exec(db, "PRAGMA query_only = 1", &e)) {
        /* a connection that cannot be made read-only again is not kept for the next report */
        pj_log(PJ_LOG_WARN, "report %s: %s", j->request_id, e.message);
        pthread_setspecific(conn_key, NULL);
        pj_db_close(db);
    }
    return rc;
}

/* A write made apart: fn on a connection opened for it alone (it changes that connection's
 * schema: TEMP tables, an authorizer), closed after. */
static void apart_run(report_job *j)
{
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10))
        pj_log(PJ_LOG_DEBUG, "report worker: cannot lower its priority");
    pj_db *db;
    if (pj_db_open(&db, j->db_path, &j->err)) {
        pj_log(PJ_LOG_WARN, "write %s: no connection: %s", j->request_id, j->err.message);
        j->rc = -1;
        return;
    }
    if (pj_h_report_hook) pj_h_report_hook(&j->work.cancel);
    pj_arena arena;
    pj_arena_init(&arena, 1 << 16);
    pj_ctx c;
    pj_ctx_for_job(&c, db, &arena, &j->actor, j->username, j->request_id, &j->settings);
    pj_jw jw;
    pj_jw_init(&jw, &j->out);
    pj_db_progress(db, report_progress, j);
    j->rc = j->apart(&c, j->args, j->data, j->len, &jw, &j->err);
    pj_db_progress(db, NULL, NULL);
    pj_arena_free(&arena);
    pj_db_close(db);
    if (j->interrupted) {
        pj_log(PJ_LOG_INFO, "write %s: interrupted by the stop", j->request_id);
        pj_buf_reset(&j->out);
        pj_err_clear(&j->err);
        pj_fail(&j->err, 503, "stopping", "", "the server is stopping");
        j->rc = -1;
    }
}

static void report_run(pj_work *w)
{
    report_job *j = (report_job *)w;
    if (j->apart) {
        apart_run(j);
        return;
    }
    pj_db *db = thread_conn(j->db_path, &j->err);
    if (!db) {
        pj_log(PJ_LOG_WARN, "report %s: no connection: %s", j->request_id, j->err.message);
        j->rc = -1;
        return;
    }
    /* One snapshot for the whole report, taken here: a write committed while it runs is not
     * half in it (the KPIs and the coverage report read in several statements). Inside it the
     * generation is that of the snapshot: other connections' commits since this one's last
     * report move it, and what is cached per thread and generation (pj_el_today's settings)
     * is read again, from the snapshot. */
    int started = pj_db_read_begin(db);
    pj_db_generation(db, 1);
    if (pj_h_report_hook) pj_h_report_hook(&j->work.cancel);
    pj_arena arena;
    pj_arena_init(&arena, 1 << 16);
    pj_ctx c;
    pj_ctx_for_job(&c, db, &arena, &j->actor, j->username, j->request_id, &j->settings);
    c.unsent = j->unsent;
    if (j->audited) c.reveals = &j->reveals;
    pj_jw jw;
    pj_jw_init(&jw, &j->out);
    pj_db_progress(db, report_progress, j);
    j->rc = j->fn ? j->fn(&c, &jw, &j->err) : j->fn_args(&c, j->args, &jw, &j->err);
    pj_db_progress(db, NULL, NULL);
    pj_db_read_end(db, started);
    if (!j->rc && !j->interrupted && j->audited && audit_reveals(db, &c, j)) {
        pj_buf_reset(&j->out); /* not audited: not shown */
        j->rc = -1;
    }
    pj_arena_free(&arena);
    if (j->interrupted) {
        /* a statement was cut short: whatever the call made of it is not the answer */
        pj_log(PJ_LOG_INFO, "report %s: interrupted by the stop", j->request_id);
        pj_buf_reset(&j->out);
        pj_reveals_free(&j->reveals);
        pj_err_clear(&j->err);
        pj_fail(&j->err, 503, "stopping", "", "the server is stopping");
        j->rc = -1;
    }
}

static void report_free(pj_work *w)
{
    report_job *j = (report_job *)w;
    pj_buf_free(&j->out);
    pj_reveals_free(&j->reveals);
    free(j->db_path);
    free(j->username);
    free(j->data);
    free(j);
}

/* On the loop once the report is done: its answer becomes the response (an unmasked one's
 * audit rows are committed by then: audit_reveals). */
static int report_done(pj_req *r, pj_work *w)
{
    report_job *j = (report_job *)w;
    if (j->apart) {
        /* what it wrote is another connection's write: what the loop caches sees it now */
        pj_db_generation(r->ctx.db, 1);
        if (j->rc == 2) { /* made again here, on the loop's connection */
            pj_buf_reset(&j->out);
            int rc = j->again(&r->ctx, j->args, j->data, j->len, &r->w, &r->err);
            if (rc == 1) r->status = 422;
            return rc < 0 ? -1 : 0;
        }
        if (j->rc == 1) {
            r->status = 422;
            j->rc = 0;
        }
    }
    if (j->rc) {
        r->err = j->err;
        if (!r->err.status) pj_fail(&r->err, 500, "internal", "", "the report failed");
        return -1;
    }
    /* its audit rows are another connection's write: what the loop caches sees it now */
    if (j->reveals.n) pj_db_generation(r->ctx.db, 1);
    pj_buf_free(&r->out);
    r->out = j->out; /* the reply takes the buffer */
    memset(&j->out, 0, sizeof j->out);
    r->content_type = j->content_type;
    return 0;
}

static int hand(pj_req *r, pj_read_fn fn, pj_read_args_fn fn_args, const void *args, size_t size,
                const char *content_type, int audited)
{
    report_job *j = calloc(1, sizeof *j + size);
    if (!j) return pj_fail(&r->err, 500, "internal", "", "out of memory");
    j->db_path = strdup(pj_db_path(r->ctx.db));
    j->username = strdup(r->ctx.actor.username ? r->ctx.actor.username : "");
    if (!j->db_path || !j->username) {
        report_free(&j->work);
        return pj_fail(&r->err, 500, "internal", "", "out of memory");
    }
    j->fn = fn;
    j->fn_args = fn_args;
    if (size) memcpy(j->args, args, size);
    j->content_type = content_type;
    j->audited = audited;
    j->unsent = r->ctx.unsent;
    snprintf(j->request_id, sizeof j->request_id, "%s", r->request_id);
    j->actor = r->ctx.actor;
    j->actor.username = NULL; /* the copy, set on the worker */
    if (r->ctx.settings) j->settings = *r->ctx.settings;
    pj_err_clear(&j->err);
    pj_buf_init(&j->out, 64 << 20); /* as a response's (req_init) */
    j->work.run = report_run;
    j->work.free = report_free;
    r->work = &j->work;
    r->then = report_done;
    r->report = 1;
    return 0;
}

int pj_h_report(pj_req *r, pj_read_fn fn)
{
    return hand(r, fn, NULL, NULL, 0, NULL, 0);
}

int pj_h_report_args(pj_req *r, pj_read_args_fn fn, const void *args, size_t size,
                     const char *content_type)
{
    return hand(r, NULL, fn, args, size, content_type, 0);
}

int pj_h_report_audited(pj_req *r, pj_read_args_fn fn, const void *args, size_t size,
                        const char *content_type)
{
    return hand(r, NULL, fn, args, size, content_type, 1);
}

int pj_h_write_apart(pj_req *r, pj_apart_fn fn, pj_apart_fn again, const void *args, size_t size)
{
    void *data = malloc(r->raw_len ? r->raw_len : 1);
    if (!data) return pj_fail(&r->err, 500, "internal", "", "out of memory");
    if (r->raw_len) memcpy(data, r->raw, r->raw_len);
    if (hand(r, NULL, NULL, args, size, NULL, 0)) {
        free(data);
        return -1;
    }
    report_job *j = (report_job *)r->work;
    j->apart = fn;
    j->again = again;
    j->data = data;
    j->len = r->raw_len;
    return 0;
}
