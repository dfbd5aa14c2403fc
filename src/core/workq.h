/* A small pool of worker threads for work that must not hold up an event loop (a password
 * check): jobs wait in a bounded queue, run on a worker, and come back to the loop through a
 * completion queue whose descriptor (an eventfd) is readable while finished jobs wait there.
 * The loop owns a job again once it has taken it back. */
#ifndef PJ_WORKQ_H
#define PJ_WORKQ_H

#include <stdatomic.h>
#include <stdint.h>

#include "core/err.h"

#define PJ_WORKQ_THREADS_MAX 4

/* A job: embed it first in the job's own struct. The pool uses next and sets ran and cancel;
 * owner and tag are the submitter's (the pool does not change them). */
typedef struct pj_work {
    struct pj_work *next;
    /* the order jobs start in: a free worker starts the waiting job of the least tag, of equal
     * ones the oldest (all 0: first come, first served) */
    int64_t tag;
    void (*run)(struct pj_work *w);  /* on a worker thread: touches only the job */
    void (*free)(struct pj_work *w); /* the submitter's, for freeing it; never called by the pool */
    void *owner;
    int ran; /* 1 once run has returned */
    /* 1 once the pool asks the running job to end early (pj_workq_cancel, pj_workq_stop): a
     * long run looks at it now and then (another thread sets it) */
    atomic_int cancel;
} pj_work;

typedef struct pj_workq pj_workq;

/* Starts `threads` workers (1..PJ_WORKQ_THREADS_MAX) holding at most threads + max_waiting jobs
 * (running and waiting). 0, or -1 with err set. */
int pj_workq_start(pj_workq **out, int threads, int max_waiting, pj_err *err);
/* 1 when a job handed over now would be refused (the pool holds all it may, or stops; or q
 * is NULL, stopped). */
int pj_workq_full(pj_workq *q);
/* Hands w over: 0, or -1 when the pool is full or stopping, or q is NULL (w is still the
 * caller's). */
int pj_workq_add(pj_workq *q, pj_work *w);
/* The greatest tag of the jobs started so far (0 before any). */
int64_t pj_workq_started_tag(pj_workq *q);
/* Takes w back out of the queue while it waits: 0 (w is the caller's again, never run), or
 * -1 when it has started or finished (or q does not hold it). */
int pj_workq_remove(pj_workq *q, pj_work *w);
/* Gives w a new tag while it waits: 0, or -1 when it has started or finished (or q does not
 * hold it). */
int pj_workq_retag(pj_workq *q, pj_work *w, int64_t tag);
/* The descriptor that is readable while finished jobs wait to be taken. */
int pj_workq_fd(const pj_workq *q);
/* The finished jobs in the order they finished, as a list through next (the caller's again),
 * NULL when none; the descriptor is clear until the next one finishes. */
pj_work *pj_workq_take(pj_workq *q);
/* For a stop that answers what waits at once and does not wait for long jobs: takes the jobs
 * not yet started out of the queue and returns them (the caller's again, ran = 0), oldest
 * first, NULL when none; asks the running ones to end early (their cancel set: each still
 * finishes and comes back as usual, at once when its run looks at cancel); from then on the
 * pool takes no job (pj_workq_add refuses, pj_workq_full answers 1). NULL q: nothing. */
pj_work *pj_workq_cancel(pj_workq *q);
/* Stops the workers (a running job is asked to end, as by pj_workq_cancel, and finishes;
 * waiting ones are not started), joins them and frees the pool. Returns the jobs it still
 * held, for the caller: the finished ones not yet taken (ran = 1), then those never started
 * (ran = 0). NULL q: nothing. */
pj_work *pj_workq_stop(pj_workq *q);

#endif
