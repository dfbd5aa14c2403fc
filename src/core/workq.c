/* The worker pool (see workq.h): one lock over a queue of waiting jobs and a list of finished
 * ones; a worker appends what it finished and counts the eventfd up by one. */
#include "core/workq.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/banned.h"

struct pj_workq {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pj_work *waiting, **waiting_tail;       /* oldest first */
    pj_work *done, **done_tail;             /* finished, not yet taken, oldest first */
    pj_work *running[PJ_WORKQ_THREADS_MAX]; /* the jobs the workers run (a free slot: NULL) */
    int held;                               /* jobs waiting or running */
    int64_t started_tag;                    /* the greatest tag started */
    int max_held;
    int cancelled; /* pj_workq_cancel: no more jobs; the running ones asked to end */
    int stopping;
    int nthreads;
    pthread_t th[PJ_WORKQ_THREADS_MAX];
    int efd;
};

static void *worker(void *arg)
{
    pj_workq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->waiting && !q->stopping) pthread_cond_wait(&q->cv, &q->mu);
        if (q->stopping) break; /* the waiting jobs go back to the caller of pj_workq_stop */
        /* the least tag, the oldest of equal ones */
        pj_work **at = &q->waiting;
        for (pj_work **p = &q->waiting; *p; p = &(*p)->next)
            if ((*p)->tag < (*at)->tag) at = p;
        pj_work *w = *at;
        *at = w->next;
        if (!*at) q->waiting_tail = at;
        if (w->tag > q->started_tag) q->started_tag = w->tag;
        int slot = 0;
        while (q->running[slot]) slot++; /* a worker runs one job at a time: one is free */
        q->running[slot] = w;
        pthread_mutex_unlock(&q->mu);
        w->run(w);
        pthread_mutex_lock(&q->mu);
        q->running[slot] = NULL;
        w->ran = 1;
        w->next = NULL;
        *q->done_tail = w;
        q->done_tail = &w->next;
        q->held--;
        /* one count per job (the counter cannot overflow); pj_workq_stop closes the
         * descriptor only after the join */
        uint64_t one = 1;
        ssize_t k = write(q->efd, &one, sizeof one);
        (void)k;
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

int pj_workq_start(pj_workq **out, int threads, int max_waiting, pj_err *err)
{
    *out = NULL;
    if (threads < 1) threads = 1;
    if (threads > PJ_WORKQ_THREADS_MAX) threads = PJ_WORKQ_THREADS_MAX;
    pj_workq *q = calloc(1, sizeof *q);
    if (!q) return pj_fail(err, 500, "internal", "", "out of memory");
    q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (q->efd < 0) {
        free(q);
        return pj_fail(err, 500, "internal", "", "cannot create the workers' eventfd");
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    q->waiting_tail = &q->waiting;
    q->done_tail = &q->done;
    q->max_held = threads + (max_waiting > 0 ? max_waiting : 0);
    /* the workers run with every signal blocked: the event loop handles them */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_mutex_lock(&q->mu);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&q->th[i], NULL, worker, q)) break;
        q->nthreads++;
    }
    pthread_mutex_unlock(&q->mu);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!q->nthreads) {
        pj_workq_stop(q);
        return pj_fail(err, 500, "internal", "", "cannot start a worker thread");
    }
    *out = q;
    return 0;
}

int pj_workq_full(pj_workq *q)
{
    if (!q) return 1;
    pthread_mutex_lock(&q->mu);
    int full = q->held >= q->max_held || q->stopping || q->cancelled;
    pthread_mutex_unlock(&q->mu);
    return full;
}

int pj_workq_add(pj_workq *q, pj_work *w)
{
    if (!q) return -1;
    pthread_mutex_lock(&q->mu);
    int full = q->held >= q->max_held || q->stopping || q->cancelled;
    if (!full) {
        w->next = NULL;
        w->ran = 0;
        atomic_store(&w->cancel, 0);
        *q->waiting_tail = w;
        q->waiting_tail = &w->next;
        q->held++;
        pthread_cond_signal(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return full ? -1 : 0;
}

int64_t pj_workq_started_tag(pj_workq *q)
{
    pthread_mutex_lock(&q->mu);
    int64_t t = q->started_tag;
    pthread_mutex_unlock(&q->mu);
    return t;
}

int pj_workq_remove(pj_workq *q, pj_work *w)
{
    if (!q) return -1;
    pthread_mutex_lock(&q->mu);
    int rc = -1;
    for (pj_work **p = &q->waiting; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            if (!*p) q->waiting_tail = p;
            w->next = NULL;
            q->held--;
            rc = 0;
            break;
        }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

int pj_workq_retag(pj_workq *q, pj_work *w, int64_t tag)
{
    if (!q) return -1;
    pthread_mutex_lock(&q->mu);
    int rc = -1;
    for (pj_work *p = q->waiting; p; p = p->next)
        if (p == w) {
            w->tag = tag;
            rc = 0;
            break;
        }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

int pj_workq_fd(const pj_workq *q)
{
    return q->efd;
}

pj_work *pj_workq_take(pj_workq *q)
{
    pthread_mutex_lock(&q->mu);
    /* under the lock, as the workers count it up: readable exactly while jobs wait here */
    uint64_t n;
    ssize_t k = read(q->efd, &n, sizeof n); /* EAGAIN: nothing to clear */
    (void)k;
    pj_work *list = q->done;
    q->done = NULL;
    q->done_tail = &q->done;
    pthread_mutex_unlock(&q->mu);
    return list;
}

/* Under q->mu: asks the running jobs to end early. */
static void cancel_running(pj_workq *q)
{
    for (int i = 0; i < PJ_WORKQ_THREADS_MAX; i++)
        if (q->running[i]) atomic_store(&q->running[i]->cancel, 1);
}

pj_work *pj_workq_cancel(pj_workq *q)
{
    if (!q) return NULL;
    pthread_mutex_lock(&q->mu);
    q->cancelled = 1;
    cancel_running(q);
    pj_work *list = q->waiting;
    for (pj_work *w = list; w; w = w->next) q->held--;
    q->waiting = NULL;
    q->waiting_tail = &q->waiting;
    pthread_mutex_unlock(&q->mu);
    return list;
}

pj_work *pj_workq_stop(pj_workq *q)
{
    if (!q) return NULL;
    pthread_mutex_lock(&q->mu);
    q->stopping = 1;
    cancel_running(q);
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    for (int i = 0; i < q->nthreads; i++) pthread_join(q->th[i], NULL);
    /* the finished jobs, then the waiting ones */
    *q->done_tail = q->waiting;
    pj_work *list = q->done;
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    close(q->efd);
    free(q);
    return list;
}
