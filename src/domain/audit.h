/* The audit trail: every write appends a row in the same transaction (who, when, what,
 * before/after JSON). Rows are never updated or deleted by any API. */
#ifndef PJ_AUDIT_H
#define PJ_AUDIT_H

#include "domain/ctx.h"

/* Appends an audit row; before/after are JSON texts or NULL. Call inside the write's
 * transaction. */
int pj_audit_add(pj_ctx *c, const char *action, const char *entity, int64_t entity_id,
                 const char *before, const char *after, pj_err *err);

/* A read_unmasked row for each record of r, in its order, as pj_audit_add writes them, in one
 * statement and one transaction of its own (a savepoint in a write batch): the audit of a read
 * made where it could not write (pj_ctx.reveals). Nothing for a HEAD (c->unsent). 0, or -1
 * (nothing written). */
int pj_audit_reveals(pj_ctx *c, const pj_reveals *r, pj_err *err);

typedef struct pj_audit_filter {
    const char *entity, *action, *username;
    int64_t entity_id, user_id;
    int64_t since, until; /* epoch seconds, 0 = open */
    int64_t cursor;       /* rows with id < cursor, 0 = newest first */
    int limit;
} pj_audit_filter;

/* Writes {"items":[...],"next_cursor":...}. Admin and district officers only; a district
 * officer gets no row about another user account (entity "user"). */
/* The time of the newest audit row of a write (every write has one; log-ins, failed log-ins,
 * log-outs and read_unmasked rows are no write): when the data last changed, for an export that
 * says when it was made and is the same file for the same data; 0 when none. */
int64_t pj_audit_last_at(pj_ctx *c);
int pj_audit_list(pj_ctx *c, const pj_audit_filter *f, pj_jw *w, pj_err *err);

#endif
