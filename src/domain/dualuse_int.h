/* Internal helpers shared by the dual-use files. */
#ifndef PJ_DUALUSE_INT_H
#define PJ_DUALUSE_INT_H

#include "domain/dualuse.h"

/* Checks that facility_id exists (404, or 422 on `field` when field is non-NULL) and that the
 * actor may act on it: district roles anywhere, a township officer in their township, a
 * facility operator on their own facility (403 otherwise). Fills *type (arena) if non-NULL. */
int pj_du_facility_scope(pj_ctx *c, int64_t facility_id, const char *field, const char **type,
                         pj_err *err);
/* Numeric setting from the settings table, def when absent. */
double pj_du_setting(pj_ctx *c, const char *key, double def);
/* The id and target hours of the standard in force for facility type × scenario × role;
 * 0 when none. */
int64_t pj_du_standard_in_force(pj_ctx *c, const char *ftype, const char *scenario,
                                const char *role, double *target_hours, pj_err *err);
/* Critical path of a manual's phase ("convert"/"restore") in minutes; -1 on error. Fills
 * *nsteps when non-NULL. */
double pj_du_manual_critical_minutes(pj_ctx *c, int64_t manual_id, const char *phase, int *nsteps,
                                     pj_err *err);
/* 1 when drill conv (finished) passed as its report judges it (every convert step done, none
 * too fast, within the target of the standard in force when it started), 0 when not, -1 on
 * error. */
int pj_du_drill_passed(pj_ctx *c, int64_t conv, pj_err *err);
/* Keeps that verdict on the finished drill conv (conversions.drill_passed) inside the caller's
 * transaction: when it finishes, and for the demo's drills. 0, or -1. */
int pj_du_drill_keep_result(pj_ctx *c, int64_t conv, pj_err *err);
/* Starts a conversion (live = 1) or drill of facility fid by manual mid (0 = the newest for
 * the scenario) inside the caller's transaction: scope, state machine, steps, facility state,
 * and, with audit, its audit row (`convert_start` / `drill_start`). Returns the conversion id,
 * or -1. A plan's adoption starts it without (audit 0) and writes the row with
 * pj_du_conversion_audit_start once the conversion is linked to the plan and scheduled, so the
 * row shows its plan_id and the steps' planned times. */
int64_t pj_du_conversion_start_tx(pj_ctx *c, int64_t fid, const char *scenario, int live,
                                  int64_t mid, int audit, pj_err *err);
/* The `convert_start` audit row of live conversion id, as it is now. 0, or -1. */
int pj_du_conversion_audit_start(pj_ctx *c, int64_t id, pj_err *err);

/* Takes qty units of category off facility fid's usable stock inside the caller's transaction.
 * Usable: the lines not expired (usable through their expiry date, pj_stock_expired_before),
 * summed and rounded down to whole units — the stock the planner offers; *usable gets it.
 * When qty is more than that, returns 1 and writes nothing (the caller refuses in its words).
 * Else takes the soonest expiry first (lines without an expiry last, then the oldest line):
 * each line touched is updated (one taken to 0 is kept at 0, as a stock edit keeps it) and
 * audited as "ship" on stock_line, its after with the members `why` (JSON text without braces,
 * e.g. the plan and shipment taken for; may be NULL); lines (may be NULL) gets an array of
 * {stock_line_id, quantity (taken), expiry, left}; returns 0. -1 with err on a database error. */
int pj_du_stock_take_tx(pj_ctx *c, int64_t fid, const char *category, int64_t qty, int64_t *usable,
                        const char *why, pj_jw *lines, pj_err *err);

/* Within the caller's transaction: puts back what pj_du_stock_take_tx took (taken: its `lines`
 * array as JSON text) on store fid's lines of category (unit its unit), as a void of the
 * shipment: each part goes back on the line it came from when that line is still there with the
 * same category and unit (added to what it holds now, whatever was edited since), else on a new
 * line of the category with the part's expiry (the line was deleted, or made another category):
 * each audited "ship_void" on stock_line (an update, or a create for a new line), its after with
 * the members `why`. back (may be NULL) gets an array of {stock_line_id, quantity, expiry,
 * from_stock_line_id (the line it was taken from), new (a new line)}. -1 with err on a database
 * error or lines that cannot be read. */
int pj_du_stock_return_tx(pj_ctx *c, int64_t fid, const char *category, const char *unit,
                          const char *taken, const char *why, pj_jw *back, pj_err *err);

#endif
