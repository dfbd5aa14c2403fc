/* What every record's row answers the same way, whichever module keeps it: a row that is not
 * there is 404 not_found on "id", and a write naming a version the row has moved on from is
 * 409 version_conflict (optimistic concurrency: each write names the version it read). And the
 * two ways every module runs a statement without reading rows back. */
#ifndef PJ_ROWS_H
#define PJ_ROWS_H

#include <stdint.h>

#include "core/err.h"
#include "domain/ctx.h"

/* 404 not_found on field "id": "no <what> <id>". Returns -1. */
int pj_not_found(pj_err *err, const char *what, int64_t id);
/* 409 version_conflict on field "version": "the <what> was changed by someone else (version
 * <cur>, yours <yours>); reload". Returns -1. */
int pj_version_conflict(pj_err *err, const char *what, int64_t cur, int64_t yours);
/* The row sql (one ? for id) selects, stepped to: the statement, for the caller to read and
 * pj_stmt_done; NULL on an error, or with pj_not_found(what) when there is no row. */
pj_stmt *pj_row_by_id(pj_ctx *c, const char *sql, int64_t id, const char *what, pj_err *err);
/* The row's version as sql (one ? for id) selects it: 0 when it is `version`; else
 * pj_not_found when there is no row, pj_version_conflict when it differs. */
int pj_version_check(pj_ctx *c, const char *sql, int64_t id, int64_t version, const char *what,
                     pj_err *err);

/* Steps s once, for its effect (an INSERT, UPDATE or DELETE; no row wanted), and releases it:
 * 0, or -1 with err. */
int pj_step_done(pj_stmt *s, pj_err *err);
/* Steps s (prepared and bound) to its end, collecting the integer in the first column of each
 * row into an array of the context's arena (*ids; NULL when there is none), and releases it:
 * the number of rows, or -1 with err. For a write that goes through rows one at a time (each
 * rendered before and after for its audit row) without holding a statement open meanwhile. */
int pj_stmt_ids(pj_ctx *c, pj_stmt *s, int64_t **ids, pj_err *err);
/* The integer in the first column of the first row of sql (no parameters) into *out, 0 when
 * there is no row: 0, or -1 with err. */
int pj_query_int(pj_ctx *c, const char *sql, int64_t *out, pj_err *err);

#endif
