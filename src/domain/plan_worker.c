/* Plans solved in the background (see plan.h): a small pool of worker threads, each with its
 * own database connection and arena. A job is the saved plan's id and its request; the worker
 * solves it (pj_plan_solve), keeping its phase and fraction here for GET /plans/{id}, and
 * stores the result or the failure (pj_plan_store_outcome). A job handed over inside the
 * server's batch waits until the batch commits and is dropped if it fails (the plan was never
 * saved). A stopping pool fails the queued
 * jobs at once; the running ones' solvers end their search at once (pj_algo_opts.cancelled)
 * and the plan fails at its next phase boundary. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "algo/algo.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/plan_int.h"

#include "core/banned.h"

#define MAX_WORKERS 4

typedef struct pjob {
    struct pjob *next;
    int64_t id;
    char *request; /* JSON text, owned */
    char username[64];
    char request_id[24];
    pj_actor actor;
    /* progress, under the pool's lock */
    const char *phase; /* static storage */
    double frac;
    int64_t t0_ms;
    struct pj_plan_pool *pool;
    int held; /* its plan's row is in a batch not yet committed (pj_plan_pool_release) */
} pjob;

struct pj_plan_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pjob *head, **tail;
    pjob *running[MAX_WORKERS];
    int nworkers, nqueued, queue_max, started;
    atomic_int nheld; /* queued jobs waiting for their batch (pj_plan_pool_release) */
    atomic_int stopping;
    atomic_uint_fast64_t commits;
    pthread_t th[MAX_WORKERS];
    pj_db *db[MAX_WORKERS]; /* each worker's connection, opened before it starts */
    char *db_path;
    pj_settings settings;
    int efd; /* eventfd: one count per stored outcome, for the event loop */
};

static pj_plan_pool *g_pool; /* the process's pool, for progress lookups */

static void on_progress(void *ud, const char *phase, double frac)
{
    pjob *j = ud;
    pthread_mutex_lock(&j->pool->mu);
    j->phase = phase;
    j->frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    pthread_mutex_unlock(&j->pool->mu);
}

static int on_cancelled(void *ud)
{
    pjob *j = ud;
    return atomic_load(&j->pool->stopping);
}

static void job_run(pj_plan_pool *p, pj_db *db, pjob *j)
{
    pj_arena arena;
    pj_arena_init(&arena, 1 << 16);
    pj_ctx c;
    pj_ctx_for_job(&c, db, &arena, &j->actor, j->username, j->request_id, &p->settings);
    pj_err err;
    pj_err_clear(&err);
    char *result = NULL;
    pj_plan_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = -1;
    if (atomic_load(&p->stopping)) {
        pj_fail(&err, 503, "stopped", "",
                "the server stopped before the plan was solved; plan it again");
    } else {
        json_t *body = json_loads(j->request, 0, NULL);
        pj_plan_progress prog = {on_progress, j, on_cancelled};
        if (!body)
            pj_fail(&err, 500, "internal", "", "the saved request could not be read");
        else
            rc = pj_plan_solve(&c, body, &prog, &result, &sum, &err);
        json_decref(body);
    }
    on_progress(j, "saving", 1);
    pj_err serr;
    /* the plan's row is saved (a job of a batch starts once it committed, see
     * pj_plan_pool_release); another connection (a command-line plan) may hold the write lock
     * a while: busy is tried again */
    int tries = 0, st;
    do {
        pj_err_clear(&serr);
        st = pj_plan_store_outcome(&c, j->id, rc ? NULL : result, &sum, rc ? &err : NULL, &serr);
    } while (st < 0 && serr.status == 503 && ++tries < 60);
    if (st < 0)
        pj_log(PJ_LOG_WARN, "plan %lld: the outcome could not be stored: %s", (long long)j->id,
               serr.message);
    else if (st > 0)
        atomic_fetch_add(&p->commits, 1);
    if (p->efd >= 0) {
        uint64_t one = 1;
        if (write(p->efd, &one, sizeof one) < 0 && errno != EAGAIN)
            pj_log(PJ_LOG_WARN, "plan %lld: cannot notify the server: %s", (long long)j->id,
                   strerror(errno));
    }
    pj_arena_free(&arena);
}

/* Takes *at (a job of the queue) out of it. Under the lock. */
static void unlink_job(pj_plan_pool *p, pjob **at)
{
    pjob *j = *at;
    *at = j->next;
    if (p->tail == &j->next) p->tail = at;
    p->nqueued--;
}

static void *worker(void *arg)
{
    pj_plan_pool *p = arg;
    pj_db *db = NULL;
    int slot = -1;
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->nworkers; i++)
        if (pthread_equal(p->th[i], pthread_self())) slot = i;
    if (slot >= 0) db = p->db[slot];
    for (;;) {
        pjob **at;
        for (;;) { /* the first job whose plan is saved */
            for (at = &p->head; *at && (*at)->held; at = &(*at)->next) {
            }
            if (*at || atomic_load(&p->stopping)) break;
            pthread_cond_wait(&p->cv, &p->mu);
        }
        pjob *j = *at;
        if (!j) break; /* stopping, nothing ready */
        unlink_job(p, at);
        if (slot >= 0) p->running[slot] = j;
        j->phase = "load";
        j->frac = 0;
        pthread_mutex_unlock(&p->mu);
        if (db) job_run(p, db, j);
        pthread_mutex_lock(&p->mu);
        if (slot >= 0) p->running[slot] = NULL;
        free(j->request);
        free(j);
    }
    pthread_mutex_unlock(&p->mu);
    pj_algo_thread_done(); /* the solvers' per-thread state (GLPK's environment) */
    return NULL;
}

int pj_plan_pool_start(pj_plan_pool **out, const char *db_path, const pj_settings *settings,
                       int workers, int queue_max, pj_err *err)
{
    *out = NULL;
    if (workers < 1) workers = 1;
    if (workers > MAX_WORKERS) workers = MAX_WORKERS;
    /* plans left solving by a process that is gone fail first */
    pj_db *db;
    if (pj_db_open(&db, db_path, err)) return -1;
    pj_arena arena;
    pj_arena_init(&arena, 4096);
    pj_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.arena = &arena;
    c.actor.username = "server";
    c.request_id = "startup";
    c.settings = settings;
    int rc = pj_plan_recover(&c, 1, err);
    pj_arena_free(&arena);
    pj_db_close(db);
    if (rc) return -1;
    pj_plan_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->db_path = strdup(db_path))) {
        free(p);
        return pj_fail(err, 500, "internal", "", "out of memory");
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->tail = &p->head;
    p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    p->settings = *settings;
    p->queue_max = queue_max < 1 ? 1 : queue_max;
    /* every worker's connection first: a worker without one could only drop its jobs */
    for (int i = 0; i < workers; i++)
        if (pj_db_open(&p->db[i], db_path, err)) {
            char msg[sizeof err->message];
            snprintf(msg, sizeof msg, "%s", err->message);
            pj_plan_pool_stop(p);
            return pj_fail(err, 500, "internal", "",
                           "the planner's worker cannot open the database: %s", msg);
        }
    /* the workers wait for jobs with every signal blocked: the event loop handles them */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < workers; i++) {
        if (pthread_create(&p->th[i], NULL, worker, p)) break;
        p->nworkers++;
    }
    pthread_mutex_unlock(&p->mu);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!p->nworkers) {
        pj_plan_pool_stop(p);
        return pj_fail(err, 500, "internal", "", "cannot start the planner's worker");
    }
    g_pool = p;
    *out = p;
    return 0;
}

void pj_plan_pool_cancel(pj_plan_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->stopping, 1);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void pj_plan_pool_stop(pj_plan_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->stopping, 1);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nworkers; i++) pthread_join(p->th[i], NULL);
    if (g_pool == p) g_pool = NULL;
    for (int i = 0; i < MAX_WORKERS; i++) pj_db_close(p->db[i]);
    for (pjob *j = p->head, *n; j; j = n) { /* only when no worker ever started */
        n = j->next;
        free(j->request);
        free(j);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    if (p->efd >= 0) close(p->efd);
    free(p->db_path);
    free(p);
}

int pj_plan_pool_notify_fd(pj_plan_pool *p)
{
    return p ? p->efd : -1;
}

pj_plan_pool *pj_plan_pool_current(void)
{
    return g_pool;
}

uint64_t pj_plan_pool_commits(pj_plan_pool *p)
{
    return p ? (uint64_t)atomic_load(&p->commits) : 0;
}

int pj_plan_pool_full(pj_plan_pool *p)
{
    pthread_mutex_lock(&p->mu);
    int busy = p->nqueued;
    for (int i = 0; i < p->nworkers; i++) busy += p->running[i] != NULL;
    int full = busy >= p->queue_max || atomic_load(&p->stopping);
    pthread_mutex_unlock(&p->mu);
    return full;
}

int pj_plan_pool_capacity(pj_plan_pool *p)
{
    return p->queue_max;
}

int pj_plan_pool_add(pj_plan_pool *p, pj_ctx *c, int64_t id, const char *request, pj_err *err)
{
    pjob *j = calloc(1, sizeof *j);
    if (!j || !(j->request = strdup(request))) {
        free(j);
        return pj_fail(err, 500, "internal", "", "out of memory");
    }
    j->id = id;
    j->pool = p;
    j->actor = c->actor;
    snprintf(j->username, sizeof j->username, "%s", c->actor.username ? c->actor.username : "");
    snprintf(j->request_id, sizeof j->request_id, "%s", c->request_id ? c->request_id : "");
    j->actor.username = NULL;
    j->phase = "queued";
    j->t0_ms = pj_now_ms();
    j->held = c->db && pj_db_batch_active(c->db);
    pthread_mutex_lock(&p->mu);
    if (j->held) atomic_fetch_add(&p->nheld, 1);
    *p->tail = j;
    p->tail = &j->next;
    p->nqueued++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

void pj_plan_pool_release(pj_plan_pool *p, int committed)
{
    /* every batch of the server ends here: most hand over no plan */
    if (!p || !atomic_load(&p->nheld)) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->nheld, 0);
    for (pjob **at = &p->head; *at;) {
        pjob *j = *at;
        if (!j->held) {
            at = &j->next;
        } else if (committed) {
            j->held = 0;
            at = &j->next;
        } else { /* its plan was never saved: nothing to solve or store */
            unlink_job(p, at);
            free(j->request);
            free(j);
        }
    }
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

int pj_plan_pool_progress(int64_t id, const char **phase, double *frac, int64_t *elapsed_ms)
{
    pj_plan_pool *p = g_pool;
    if (!p) return 0;
    int found = 0;
    pthread_mutex_lock(&p->mu);
    for (pjob *j = p->head; j && !found; j = j->next)
        if (j->id == id)
            found = 1, *phase = j->phase, *frac = j->frac, *elapsed_ms = pj_now_ms() - j->t0_ms;
    for (int i = 0; i < p->nworkers && !found; i++) {
        pjob *j = p->running[i];
        if (j && j->id == id)
            found = 1, *phase = j->phase, *frac = j->frac, *elapsed_ms = pj_now_ms() - j->t0_ms;
    }
    pthread_mutex_unlock(&p->mu);
    return found;
}
