/* What still refers to a record about to be deleted, found from the schema's foreign keys
 * rather than from a list kept by hand, so a module's new table is covered the day it is
 * added (and from the few integer columns holding a region's, organisation's or facility's id
 * without one, pj_plain_refs): the rows that would make the DELETE fail ("FOREIGN KEY constraint
 * failed"), counted per table and named in words ("3 enterprise appeals, 1 bank product"). */
#ifndef PJ_REFS_H
#define PJ_REFS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/ctx.h"
#include "domain/render.h"

/* An integer column that holds the id of a row of `parent` without a declared foreign key;
 * pj_refs_describe counts its rows as it counts a declared NO ACTION reference. */
typedef struct pj_plain_ref {
    const char *table, *column, *parent;
} pj_plain_ref;
extern const pj_plain_ref pj_plain_refs[];
extern const size_t pj_plain_refs_count;

/* Describes the rows referring to row `id` (its INTEGER PRIMARY KEY) of `table` that would
 * refuse its delete: the references whose ON DELETE is NO ACTION or RESTRICT, also those
 * reached through rows the delete would remove by ON DELETE CASCADE (a facility's manuals,
 * which conversions refer to). out gets "N noun[, N noun…]" (table names mapped to words, the
 * table's name when it has none). Returns the number of tables named (0: nothing refers to
 * it, out ""), -1 on error. The columns of pj_plain_refs count as declared references. Reads only:
 * call it inside the delete's transaction, before the DELETE. */
int pj_refs_describe(pj_ctx *c, const char *table, int64_t id, char *out, size_t size, pj_err *err);

/* The word for n rows of `table` as pj_refs_describe names them ("1 expert", "2 experts"), NULL
 * for a table without one (named by its table name then). */
const char *pj_refs_noun(const char *table, int64_t n);

/* 0 when nothing refers to row `id` of `table`, else 409 in_use at "id" naming what ("NOUN ID is
 * referred to by 2 practice records"), -1 either way with err. Inside the delete's transaction,
 * before the DELETE. */
int pj_refs_refuse_used(pj_ctx *c, const char *table, const char *noun, int64_t id, pj_err *err);

/* Deletes row `id` of `table` as one audited write: 404 when render (the record as the audit
 * row keeps it) finds none; 409 in_use naming what still refers to it (pj_refs_describe:
 * "academy cohort 3 is referred to by 2 academy enrolments"), noun being the record's word;
 * else the DELETE and an audit row `delete` on entity, committed. The caller checks the role and
 * scope first. 0, or -1 with err and nothing written. */
int pj_refs_delete_unused(pj_ctx *c, const char *table, const char *entity, const char *noun,
                          int64_t id, pj_render_fn render, pj_err *err);

#endif
