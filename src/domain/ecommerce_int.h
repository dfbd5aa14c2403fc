/* Shared helpers of the e-commerce module (ecommerce*.c). */
#ifndef PJ_ECOMMERCE_INT_H
#define PJ_ECOMMERCE_INT_H

#include "domain/ecommerce.h"
#include "domain/render.h"
#include "domain/rows.h"

/* An enrolment is dated at most this many days before its cohort starts (the academy opens
 * a cohort for enrolment during the term before; the longest gap between terms is ~5 months). */
#define PJ_AC_ENROL_WINDOW_DAYS 180

const char *ec_who(const pj_ctx *c);
/* 403 unless the actor writes in this module at all. */
int ec_require_writer(const pj_ctx *c, pj_err *err);
/* 0 when the actor may write for something of township `town` and organisation `org`
 * (enterprise: org must be theirs; township officer: town must be theirs); else 403 at field:
 * the request's own field naming what is out of scope ("studio_id", "streamer_id", "id" for
 * the path's record), NULL for the organisation_id / township_id the body gives. */
int ec_scope(const pj_ctx *c, int64_t town, int64_t org, const char *field, pj_err *err);
/* 1 when the actor may see personal data of something in town / of org. */
int ec_privileged(const pj_ctx *c, int64_t town, int64_t org);
/* The streamer rule (reads of personal data and writes agree): admin and district officers all;
 * a township officer a streamer of their township whose organisation, if any, is of their
 * township too (org_town: the organisation's township, 0 when none); an enterprise its own
 * organisation's streamers. */
int ec_streamer_privileged(const pj_ctx *c, int64_t town, int64_t org, int64_t org_town);
/* 0 when ec_streamer_privileged, else 403 at field (as ec_scope). */
int ec_streamer_scope(const pj_ctx *c, int64_t town, int64_t org, int64_t org_town,
                      const char *field, pj_err *err);
/* 422 unknown_id unless `sql` (one ? for id) finds a row; 0 ok. */
int ec_ref(pj_ctx *c, const char *sql, int64_t id, const char *field, pj_err *err);
/* Strict "YYYY-MM-DD" into days since 1970 (and y/m/d when non-NULL); 0 ok, -1 bad. */
int ec_date(const char *s, int64_t *days, int *y, int *m, int *d);
/* Today in days since 1970 (UTC). */
int64_t ec_today(void);
/* Strict "YYYY-MM"; 0 ok. */

/* Runs sql binding the variadic arguments by kinds: 'i' int64_t, 'r' int64_t id (0 binds NULL),
 * 's' const char * (NULL binds NULL). Returns column 0 of the first row (e.g. RETURNING id) or
 * 0 when no row, -1 on error (err filled; a constraint is 409). */
int64_t ec_run(pj_ctx *c, pj_err *err, const char *sql, const char *kinds, ...);
/* One integer from sql with one id parameter: 1 found (*out set), 0 none, -1 error. */
int ec_int(pj_ctx *c, const char *sql, int64_t id, int64_t *out, pj_err *err);
/* "YYYY-MM-DD" of a day number. */
void ec_day_str(int64_t day, char out[11]);
/* The age rules of a session on date (YYYY-MM-DD) of a streamer born on birth with the
 * guardian's consent of date consent (either NULL: none): 16 or over, at 16 and 17 with the
 * consent given by then. 0, or 422 at "date" saying which fails. */
int ec_session_age(const char *date, const char *birth, const char *consent, pj_err *err);
/* The age rule of an enrolment on day (days since 1970) of a streamer with these dates and
 * guardian (NULL: none): 0, or 422 at streamer_id. */
int ac_enrol_age(pj_ctx *c, const char *birth, const char *gn, const char *gr, const char *gd,
                 int64_t day, pj_err *err);
/* A date field "YYYY-MM-DD" of body b into *out and *day: 1 present, 0 absent, -1 (422). */
int ec_in_day(json_t *b, const char *key, int required, const char **out, int64_t *day,
              pj_err *err);
/* Inside a write's transaction, after its UPDATE … AND version = ?: 0 when exactly one row
 * changed, else 409 version_conflict (the caller rolls back). */
int ec_changed_one(pj_ctx *c, const char *what, pj_err *err);
/* One audited write in its own transaction: renders before (unless action is NULL), runs
 * apply, renders after into w, writes the audit row and commits; rolls back on failure. */
typedef int (*ec_apply_fn)(pj_ctx *c, int64_t id, void *arg, pj_err *err);
int ec_write_audited(pj_ctx *c, int64_t id, const char *action, const char *entity,
                     pj_render_fn render, ec_apply_fn apply, void *arg, pj_jw *w, pj_err *err);
/* ec_write_audited with the audit row's before and after rendered by audit_render (personal
 * data masked: audit rows are never changed, so a name in them would outlive its deletion). */
int ec_write_audited_masked(pj_ctx *c, int64_t id, const char *action, const char *entity,
                            pj_render_fn render, pj_render_fn audit_render, ec_apply_fn apply,
                            void *arg, pj_jw *w, pj_err *err);

/* The livestream sales rows of product pid (0: every one) and month "YYYY-MM" (NULL: every
 * one) re-derived from the sessions (db/ec_livestream.h): a product's livestream sales of a month
 * are exactly its sessions' of that month. Inside the caller's transaction. */
int ec_livestream_derive(pj_ctx *c, int64_t pid, const char *month, pj_err *err);

/* ---- the demo (ecommerce_demo.c, ecommerce_academy_demo.c) ----
 * Its products with their season (a weight per calendar month: peaches July–September,
 * 北寨红杏 in June, 佛见喜梨 and 磨盘柿 in autumn, eggs, honey and vegetables all year) and price
 * range in fen. */
typedef struct ec_demo_product {
    const char *name, *category, *source;
    int64_t price_lo, price_hi;
    unsigned char season[12];
} ec_demo_product;
extern const ec_demo_product ec_demo_products[];
extern const int ec_demo_nproducts;
/* The index of the product a session on month m (1..12) sells for a streamer of categories
 * `cats` (comma-separated; NULL: any product), drawn with r by the season's weights; -1 when
 * none of the streamer's products is in season. */
int ec_demo_pick(const char *cats, int m, uint64_t r);
/* The livestream channel of every product's monthly sales re-derived from the sessions
 * (ec_livestream_derive of every product and month; each demo session sells one product). */
int ec_demo_derive_livestream(pj_ctx *c, pj_err *err);

#endif
