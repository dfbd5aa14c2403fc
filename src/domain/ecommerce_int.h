/* Shared helpers of the e-commerce module (ecommerce*.c). */
#ifndef PJ_ECOMMERCE_INT_H
#define PJ_ECOMMERCE_INT_H

#include "domain/ecommerce.h"

const char *ec_who(const pj_ctx *c);
/* 403 unless the actor writes in this module at all. */
int ec_require_writer(const pj_ctx *c, pj_err *err);
/* 0 when the actor may write for something of township `town` and organisation `org`
 * (enterprise: org must be theirs; township officer: town must be theirs); else 403. */
int ec_scope(const pj_ctx *c, int64_t town, int64_t org, pj_err *err);
/* 1 when the actor may see personal data of something in town / of org. */
int ec_privileged(const pj_ctx *c, int64_t town, int64_t org);
/* 422 unknown_id unless `sql` (one ? for id) finds a row; 0 ok. */
int ec_ref(pj_ctx *c, const char *sql, int64_t id, const char *field, pj_err *err);
/* Strict "YYYY-MM-DD" into days since 1970 (and y/m/d when non-NULL); 0 ok, -1 bad. */
int ec_date(const char *s, int64_t *days, int *y, int *m, int *d);
/* Today in days since 1970 (UTC). */
int64_t ec_today(void);
/* Strict "YYYY-MM"; 0 ok. */
int ec_month_ok(const char *s);

#endif
