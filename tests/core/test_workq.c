/* Unit tests of src/core/workq.c: the worker pool's bound, its completion queue and its stop. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/workq.h"
#include "t.h"

typedef struct job {
    pj_work work; /* first */
    int n;
    int out;
} job;

/* jobs block here until the test opens the gate */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_open, started;

static void gate(int open)
{
    pthread_mutex_lock(&gate_mu);
    gate_open = open;
    started = 0;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

static void job_run(pj_work *w)
{
    pthread_mutex_lock(&gate_mu);
    started++;
    pthread_cond_broadcast(&gate_cv);
    while (!gate_open) pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    job *j = (job *)w;
    j->out = j->n * 2;
}

static int readable(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, ms) == 1;
}

/* One worker and two waiting: a fourth job is refused; each comes back once, run, in the
 * order it finished; the descriptor tells when. */
TEST(core_workq_bound_and_completion)
{
    pj_workq *q;
    pj_err err;
    pj_err_clear(&err);
    gate(0);
    CHECK_INT(pj_workq_start(&q, 1, 2, &err), 0);
    job jobs[4];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 4; i++) jobs[i].n = i + 1, jobs[i].work.run = job_run;
    for (int i = 0; i < 3; i++) CHECK_INT(pj_workq_add(q, &jobs[i].work), 0);
    CHECK(pj_workq_full(q));
    CHECK_INT(pj_workq_add(q, &jobs[3].work), -1);
    CHECK(!readable(pj_workq_fd(q), 50));
    CHECK(pj_workq_take(q) == NULL);
    gate(1);
    int got = 0;
    while (got < 3) {
        CHECK(readable(pj_workq_fd(q), 5000));
        for (pj_work *w = pj_workq_take(q); w; w = w->next) {
            job *j = (job *)w;
            CHECK(w->ran);
            CHECK_INT(j->n, got + 1); /* one worker: they finish in order */
            CHECK_INT(j->out, 2 * j->n);
            got++;
        }
    }
    CHECK(!pj_workq_full(q));
    CHECK_INT(pj_workq_add(q, &jobs[3].work), 0);
    CHECK(readable(pj_workq_fd(q), 5000));
    pj_work *w = pj_workq_take(q);
    CHECK(w == &jobs[3].work && !w->next && jobs[3].out == 8);
    CHECK(pj_workq_stop(q) == NULL);
}

/* Opens the gate once the pool is stopping (pj_workq_full answers 1 then: it holds 3 of 5),
 * so the worker cannot take the waiting jobs before the stop does: not a fixed wait, which a
 * paused test thread could outlast. The pool stays valid meanwhile: its stop joins the worker,
 * which waits at the gate. */
static void *open_later(void *arg)
{
    pj_workq *q = arg;
    struct timespec ts = {0, 1000000};
    while (!pj_workq_full(q)) nanosleep(&ts, NULL);
    gate(1);
    return NULL;
}

/* Stopped with a job running and two waiting: the running one finishes and comes back with
 * ran = 1, before the two never started. */
TEST(core_workq_stop_returns_what_it_held)
{
    pj_workq *q;
    pj_err err;
    pj_err_clear(&err);
    gate(0);
    CHECK_INT(pj_workq_start(&q, 1, 4, &err), 0);
    job jobs[3];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 3; i++) {
        jobs[i].n = i + 1;
        jobs[i].work.run = job_run;
        CHECK_INT(pj_workq_add(q, &jobs[i].work), 0);
    }
    pthread_mutex_lock(&gate_mu); /* the worker has taken the first job */
    while (!started) pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    pthread_t th;
    CHECK(!pj_workq_full(q)); /* 3 held of 5: full only once stopping */
    CHECK_INT(pthread_create(&th, NULL, open_later, q), 0);
    pj_work *w = pj_workq_stop(q);
    pthread_join(th, NULL);
    CHECK(w == &jobs[0].work && w->ran && jobs[0].out == 2);
    CHECK(w->next == &jobs[1].work && !jobs[1].work.ran && !jobs[1].out);
    CHECK(w->next->next == &jobs[2].work && !jobs[2].work.ran && !w->next->next->next);
}

/* A job that runs until the pool asks it to end (or the gate opens); saw: it was asked. */
typedef struct long_job {
    pj_work work; /* first */
    int saw;
} long_job;

static void long_run(pj_work *w)
{
    pthread_mutex_lock(&gate_mu);
    started++;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
    struct timespec ts = {0, 1000000};
    for (;;) {
        if (atomic_load(&w->cancel)) {
            ((long_job *)w)->saw = 1;
            return;
        }
        pthread_mutex_lock(&gate_mu);
        int open = gate_open;
        pthread_mutex_unlock(&gate_mu);
        if (open) return;
        nanosleep(&ts, NULL);
    }
}

/* Cancelled with one job running and two waiting: the waiting ones come back unrun, oldest
 * first; the running one is asked to end (it would run until the gate opens, which never
 * happens), ends and is taken as usual; the pool takes no more jobs, and its stop holds
 * nothing. */
TEST(core_workq_cancel)
{
    pj_workq *q;
    pj_err err;
    pj_err_clear(&err);
    gate(0);
    CHECK_INT(pj_workq_start(&q, 1, 2, &err), 0);
    long_job jobs[4];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 4; i++) jobs[i].work.run = long_run;
    for (int i = 0; i < 3; i++) CHECK_INT(pj_workq_add(q, &jobs[i].work), 0);
    pthread_mutex_lock(&gate_mu); /* the worker has taken the first job */
    while (!started) pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    pj_work *w = pj_workq_cancel(q);
    CHECK(w == &jobs[1].work && !w->ran && w->next == &jobs[2].work && !w->next->ran);
    CHECK(!w->next->next);
    CHECK(!atomic_load(&jobs[1].work.cancel) && !jobs[1].saw && !jobs[2].saw);
    CHECK(pj_workq_full(q));
    CHECK_INT(pj_workq_add(q, &jobs[3].work), -1);
    CHECK(pj_workq_cancel(q) == NULL);
    CHECK(readable(pj_workq_fd(q), 20000));
    w = pj_workq_take(q);
    CHECK(w == &jobs[0].work && w->ran && !w->next && jobs[0].saw);
    CHECK(pj_workq_stop(q) == NULL);
    CHECK(!jobs[3].work.ran && !jobs[3].saw);
}

/* Stopped with a job running that would run until the gate opens: the stop asks it to end,
 * and returns it run. */
TEST(core_workq_stop_cancels_the_running)
{
    pj_workq *q;
    pj_err err;
    pj_err_clear(&err);
    gate(0);
    CHECK_INT(pj_workq_start(&q, 1, 0, &err), 0);
    long_job j;
    memset(&j, 0, sizeof j);
    j.work.run = long_run;
    CHECK_INT(pj_workq_add(q, &j.work), 0);
    pthread_mutex_lock(&gate_mu);
    while (!started) pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    pj_work *w = pj_workq_stop(q);
    CHECK(w == &j.work && w->ran && !w->next && j.saw);
}

/* A free worker starts the waiting job of the least tag, of equal ones the oldest (the
 * log-in queue's turns by client address rest on it); a waiting job can be given a new tag,
 * or taken back out, never run, while a running one cannot. */
TEST(core_workq_tag_order_and_remove)
{
    pj_workq *q;
    pj_err err;
    pj_err_clear(&err);
    gate(0);
    CHECK_INT(pj_workq_start(&q, 1, 8, &err), 0);
    job jobs[6];
    memset(jobs, 0, sizeof jobs);
    static const int64_t tags[6] = {0, 5, 3, 3, 1, 3};
    for (int i = 0; i < 6; i++) {
        jobs[i].n = i;
        jobs[i].work.run = job_run;
        jobs[i].work.tag = tags[i];
    }
    CHECK_INT(pj_workq_add(q, &jobs[0].work), 0);
    pthread_mutex_lock(&gate_mu); /* the worker has taken the first job */
    while (!started) pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    for (int i = 1; i < 6; i++) CHECK_INT(pj_workq_add(q, &jobs[i].work), 0);
    CHECK_INT(pj_workq_remove(q, &jobs[0].work), -1); /* running */
    CHECK_INT(pj_workq_remove(q, &jobs[2].work), 0);  /* the older of the tag-3 ones */
    CHECK_INT(pj_workq_remove(q, &jobs[2].work), -1); /* no longer held */
    CHECK_INT(pj_workq_retag(q, &jobs[2].work, 0), -1);
    CHECK_INT(pj_workq_retag(q, &jobs[0].work, 9), -1);
    CHECK_INT(pj_workq_retag(q, &jobs[5].work, 2), 0); /* now before job 3 */
    gate(1);
    static const int order[5] = {0, 4, 5, 3, 1};
    int got = 0;
    while (got < 5) {
        CHECK(readable(pj_workq_fd(q), 5000));
        for (pj_work *w = pj_workq_take(q); w; w = w->next) {
            CHECK(got < 5);
            CHECK(w == &jobs[order[got]].work && w->ran);
            got++;
        }
    }
    CHECK(!jobs[2].work.ran && !jobs[2].out);
    CHECK(pj_workq_started_tag(q) == 5);
    CHECK(pj_workq_stop(q) == NULL);
}
