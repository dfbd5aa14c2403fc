/* The context every domain call runs in: the store, an arena for the call, the acting user
 * (with role and scope), the request id and the settings. Built by the HTTP layer per request
 * and by the CLI per command. */
#ifndef PJ_CTX_H
#define PJ_CTX_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/json.h"
#include "db/db.h"

typedef enum pj_role {
    PJ_ROLE_NONE = 0,
    PJ_ROLE_ADMIN,
    PJ_ROLE_DISTRICT_OFFICER,
    PJ_ROLE_TOWNSHIP_OFFICER,
    PJ_ROLE_FACILITY_OPERATOR,
    PJ_ROLE_GRID_WORKER,
    PJ_ROLE_ENTERPRISE,
    PJ_ROLE_VIEWER,
    PJ_ROLE_COUNT
} pj_role;

const char *pj_role_name(pj_role r);
pj_role pj_role_parse(const char *s); /* PJ_ROLE_NONE when unknown */

typedef struct pj_actor {
    int64_t user_id; /* 0 for the local command line */
    const char *username;
    pj_role role;
    int64_t township_id, facility_id, organisation_id; /* scope, 0 when none */
} pj_actor;

typedef struct pj_settings {
    int session_idle_s;   /* idle expiry of a session, default 1800 */
    int lockout_failures; /* failed logins before a lockout, default 5 */
    int lockout_s;        /* default 900 */
    int fast_hash;        /* tests only: minimal argon2id cost */
} pj_settings;

/* The records a read showed unmasked, in the order shown, to be audited by another connection
 * than the read's (pj_ctx.reveals). entity: static storage ("elder", "helper"). */
typedef struct pj_reveals {
    const char **entity;
    int64_t *id;
    size_t n, cap;
} pj_reveals;

typedef struct pj_ctx {
    pj_db *db;
    pj_arena *arena;
    pj_actor actor;
    const char *request_id;
    const pj_settings *settings;
    const char *token;  /* the caller's session token, NULL outside HTTP */
    const char *client; /* the client's address over HTTP ("1.2.3.4"), NULL outside HTTP */
    /* what log-in failures are counted by: the address, an IPv6 one's /64 ("2001:db8::/64");
     * NULL = client */
    const char *client_key;
    /* A read whose answer depends on the clock sets the time (unix s) until which it stays
     * true; 0 = until the data changes. The server's response cache honours it. */
    int64_t valid_until;
    /* 1: the answer is made but not sent (HTTP HEAD: the headers of a GET, no body). Numbers
     * rendered unmasked then reach nobody, so they are not audited as a read of them
     * (pj_el_audit_reveal writes no row); every check before them is made as for a GET, and
     * the session's check does not advance its last_seen (a probe keeps no session alive). */
    int unsent;
    /* Set where the call's connection cannot write (a report worker's, read-only): each
     * unmasked read pj_el_audit_reveal would audit is added here instead, and the caller
     * writes the rows (pj_audit_reveals) once the read is over, before the answer is sent.
     * NULL: audited at once. */
    pj_reveals *reveals;
} pj_ctx;

void pj_settings_default(pj_settings *s);

/* A context for work on a thread of its own (a report, a plan): the thread's connection and
 * arena, the actor who asked (their username copied with the work: username), the request id
 * and the settings; no token, no client address. */
void pj_ctx_for_job(pj_ctx *c, pj_db *db, pj_arena *arena, const pj_actor *actor,
                    const char *username, const char *request_id, const pj_settings *settings);

/* Adds (entity, id) to r: 0, or -1 (500 in err) out of memory. */
int pj_reveals_add(pj_reveals *r, const char *entity, int64_t id, pj_err *err);
void pj_reveals_free(pj_reveals *r);

/* 1 for admin and district officer: the whole district. */
int pj_ctx_district(const pj_ctx *c);
/* Fails with 403 unless the actor's role is one of the given (PJ_ROLE_NONE-terminated). */
int pj_ctx_require(const pj_ctx *c, pj_err *err, ...);

#endif
