/* Shared helpers for writing entities as JSON and for list pages. */
#ifndef PJ_RENDER_H
#define PJ_RENDER_H

#include "domain/ctx.h"

typedef int (*pj_render_fn)(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);

/* key: integer column or null when the column is NULL/0. */
void pj_render_ref(pj_jw *w, const char *key, pj_stmt *s, int col);
/* key: ISO-8601 UTC time from epoch seconds. */
void pj_render_time(pj_jw *w, const char *key, int64_t t);
/* key: ISO-8601 UTC time from an epoch-seconds column, or null when the column is NULL (a time
 * that has not happened: voided_at, closed_at, ended_at). */
void pj_render_time_col(pj_jw *w, const char *key, pj_stmt *s, int col);
/* key: text column or null. */
void pj_render_text(pj_jw *w, const char *key, pj_stmt *s, int col);
/* SQL for a select list: the display name of the user whose username is in a column,
 * written PJ_SQL_BY_NAME_OF "a.created_by" PJ_SQL_BY_NAME_END (the column expression as a
 * string literal between them); NULL when there is no such user (deleted, or a name such as
 * the demo's "demo" that never was an account), the name is empty or the column is NULL. A
 * scalar subquery on users.username (UNIQUE, so its index finds at most one row): what a LEFT
 * JOIN of users on it gives, without a join and alias per column, so a row with several *_by
 * columns, and a list of rows, stays one statement. (Two string macros rather than one taking
 * the column: clang-format keeps string concatenations with them as written.) */
#define PJ_SQL_BY_NAME_OF                                                                          \
    "(SELECT NULLIF(by_u.display_name, '') FROM users by_u WHERE by_u.username NOT IN "            \
    "(" PJ_PSEUDO_ACTORS_SQL ") AND by_u.username = "
#define PJ_SQL_BY_NAME_END ")"
/* The names the platform acts under itself, never an account's: the alert scan ("system"), the
 * plan worker ("server"), the command line ("cli"), the demo loader ("demo") and the upgrades'
 * audit rows ("migration"). No account may take one (user creation refuses them), and none is
 * looked up for a display name. */
#define PJ_PSEUDO_ACTORS_SQL "'system', 'server', 'cli', 'demo', 'migration'"
/* A column naming who acted (a username, as stored): key ("created_by") from column col and
 * key_name ("created_by_name") from column name_col (a PJ_SQL_BY_NAME_OF), each text or null. The
 * console shows the name and falls back to the username when it is null. */
void pj_render_by(pj_jw *w, const char *key, pj_stmt *s, int col, int name_col);
/* Renders entity id with fn into a new string in c->arena (for audit rows); NULL on error. */
char *pj_render_to_string(pj_ctx *c, int64_t id, pj_render_fn fn, pj_err *err);
/* A record's rendering (pj_render_to_string, an object) with more members at its end, in a new
 * string in c->arena: `members` is their JSON text without braces ("\"plan_id\":3"). For an
 * audit row that names what the write was done for (the shipment a stock line was taken by). */
char *pj_render_with(pj_ctx *c, const char *rendered, const char *members);
/* Whether two renderings of a record (pj_render_to_string) differ only in their top-level
 * `updated_at` and `version`: a write that changed nothing. Compared as text, the renderings
 * being made by the same code (the commas left around a stamp are the same on both sides). */
int pj_render_same(const char *before, const char *after);
/* The tail of a write inside its transaction: renders record id with fn (the state after),
 * writes the audit row (action on entity, before = NULL for a create), commits, and puts the
 * rendering into w. On failure -1 with the transaction still open: the caller rolls back. */
int pj_render_commit(pj_ctx *c, const char *action, const char *entity, int64_t id,
                     const char *before, pj_render_fn fn, pj_jw *w, pj_err *err);
/* The tail of an update inside its transaction: an update that changed nothing (pj_render_same
 * of before and the rendering after) is rolled back — no new version, no audit row — and w
 * gets before; any other is pj_render_commit's "update". On failure -1 with the transaction
 * still open: the caller rolls back. */
int pj_render_update_commit(pj_ctx *c, const char *entity, int64_t id, const char *before,
                            pj_render_fn fn, pj_jw *w, pj_err *err);
/* Writes the key "next_cursor" of a page: the text of cursor (the position the next page starts
 * after) when there is more, else null. */
void pj_render_next_cursor(pj_jw *w, int more, int64_t cursor);
/* Writes {"items":[fn(ids[0]) …],"next_cursor":…}; n may be limit+1 (then there is more). */
int pj_render_page(pj_ctx *c, const int64_t *ids, int n, int limit, pj_render_fn fn, pj_jw *w,
                   pj_err *err);
/* pj_render_page with the next page's cursor given (for a list whose order depends on more
 * than the id): next_cursor is the text of `cursor` when there is a next page. */
int pj_render_page_at(pj_ctx *c, const int64_t *ids, int n, int limit, int64_t cursor,
                      pj_render_fn fn, pj_jw *w, pj_err *err);
/* Steps s (bound, selecting ids in column 0, with LIMIT limit + 1), then writes the page as
 * pj_render_page does, all in one read transaction (a no-op inside a transaction already
 * open). s is done afterwards. */
int pj_render_query_page(pj_ctx *c, pj_stmt *s, int limit, pj_render_fn fn, pj_jw *w, pj_err *err);
/* Steps s (bound, selecting ids in column 0) to its end: *ids the ids in an array of c's arena
 * (NULL when none), *n their count. s is done afterwards. 0, or -1 on error. */
int pj_render_ids(pj_ctx *c, pj_stmt *s, int64_t **ids, int *n, pj_err *err);
/* 1 when `sql` (one ? for id) returns a row, 0 when not, -1 on error. */
int pj_render_exists(pj_ctx *c, const char *sql, int64_t id, pj_err *err);
/* Masks a phone number: a mobile (11 digits from 1) keeps its prefix (keep_prefix characters)
 * and last 4 (138****1234); any other number of 8 characters or more only its last 2 after 4
 * stars (6996 1234 → ****34: a landline's exchange is known, its last 4 would give it back);
 * a shorter one is ****. */
char *pj_mask(pj_arena *a, const char *s, int keep_prefix);
/* Masks a person's name to its first character and one '*' (张三丰 → 张*), so neither the
 * name nor its length is kept; NULL stays NULL, "" stays "". */
char *pj_mask_name(pj_arena *a, const char *s);
/* Masks a resident ID number: the first 6 digits (the region, which the address tells anyway)
 * kept, the other 12 hidden: 110117************. The birth date and the sequence and check
 * digits stay hidden, so the masked number together with a birth date, sex or age shown
 * beside it does not give the number back; the full number only through an audited reveal. */
char *pj_mask_id(pj_arena *a, const char *s);

#endif
