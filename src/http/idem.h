#ifndef PJ_IDEM_H
#define PJ_IDEM_H
/* Idempotency-Key: a write sent again with the key it was first sent with — its answer lost
 * on the way back, a button pressed again after a timeout — is answered as it was the first
 * time, and nothing is done twice. The key is the caller's (any 1–255 visible ASCII
 * characters; a new random one per write, e.g. a UUID), kept PJ_IDEM_KEEP_S per account with
 * the request it came with (method, path and query, a hash of the body) and the answer given
 * (its status, content type and body), in the same transaction as the write itself: a write
 * that did not happen kept no key, one that happened kept its key. Only answers of success
 * (2xx) are kept: a refused write changed nothing and is simply tried again. */
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "db/db.h"
#include "http/wire.h"

#define PJ_IDEM_HEADER  "Idempotency-Key"
#define PJ_IDEM_KEY_MAX 255
#define PJ_IDEM_KEEP_S  (24 * 3600)

typedef struct pj_idem {
    const char *key;     /* the header's value */
    const char *request; /* "POST /api/v1/…?query" */
    char hash[33];       /* of the body's bytes, hex */
} pj_idem;

/* The request's key from its head: 0 none sent, 1 one (k filled, strings in a), -1 a
 * malformed one, or two of them (400 bad_idempotency_key on "Idempotency-Key"). target: the
 * request target without its fragment (tlen bytes). */
int pj_idem_take(const pj_head *h, const char *method, const char *target, size_t tlen,
                 const char *body, size_t blen, pj_arena *a, pj_idem *k, pj_err *err);

/* The answer kept for user's key k: 0 none (or one older than PJ_IDEM_KEEP_S), 1 kept for the
 * same request (*status, *ctype — NULL for JSON, in a — and its body appended to out), -1 the
 * key kept for another request (422 idempotency_key_reused, naming it) or a database error. */
int pj_idem_find(pj_db *db, int64_t user, const pj_idem *k, int *status, const char **ctype,
                 pj_buf *out, pj_arena *a, pj_err *err);

/* Keeps the answer to user's key k (a transaction of its own, or a savepoint of the open
 * group commit: durable with the write it answers). An answer with a NUL byte is not kept
 * (returns 0). */
int pj_idem_keep(pj_db *db, int64_t user, const pj_idem *k, int status, const char *ctype,
                 const char *body, size_t len, pj_err *err);

/* Forgets the keys older than PJ_IDEM_KEEP_S (their answers hold what the writes answered,
 * personal data too); the server runs it with its removal of expired sessions: the number
 * removed, or -1 (err: 503 busy while another program writes). */
int pj_idem_purge(pj_db *db, pj_err *err);

#endif
