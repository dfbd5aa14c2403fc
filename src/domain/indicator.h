/* District indicators (issue #8): a time series of statistics per indicator, region and period,
 * with a revision history; derived figures (growth, average growth, shares, points, progress to
 * targets, rank among peer districts) computed from the stored values; CSV import (preview and
 * an all-or-nothing commit) and export; the district dashboard.
 *
 * Units: a value is stored in its indicator's published unit (亿元, 万吨, m², %, 家 …) as a
 * decimal; money indicators are in 亿元 (10^8 yuan), not fen, because the bureau publishes them
 * so, with decimals. Regions are district names ('平谷区' by default; the other Beijing
 * districts as peers for ranks). Periods: "2024", "2024H1", "2024Q2", "2024-06". */
#ifndef PJ_INDICATOR_H
#define PJ_INDICATOR_H

#include <stddef.h>
#include <stdint.h>

#include "domain/ctx.h"

#define PJ_IND_DISTRICT "平谷区"

/* ---- periods (pure) ---- */

typedef struct pj_period {
    char kind; /* 'Y' year, 'H' half-year, 'Q' quarter, 'M' month */
    int year;  /* 1900..2999 */
    int sub;   /* 0 for a year, 1..2, 1..4, 1..12 */
} pj_period;

/* Parses exactly n bytes of s ("2024", "2024H1", "2024Q3", "2024-06"); 0 ok, -1 bad. */
int pj_period_parse(const char *s, size_t n, pj_period *out);
/* Canonical text of p into out (12 bytes). */
void pj_period_format(const pj_period *p, char out[12]);
int pj_period_months(const pj_period *p);      /* 12, 6, 3 or 1 */
int pj_period_first_month(const pj_period *p); /* 1..12 */
/* The same period `years` years later (negative: earlier). */
pj_period pj_period_add_years(pj_period p, int years);
/* The period just before p of the same kind (2024-01 → 2023-12, 2024Q1 → 2023Q4). */
pj_period pj_period_prev(pj_period p);
/* Days since 1970-01-01 of the first day of p and of the first day after p. */
void pj_period_days(const pj_period *p, int64_t *first, int64_t *after);
/* Whether p has begun by `today` (days since 1970-01-01, the district's local date): a value
 * is recorded for a period under way or past; one for a period to come is a target. */
int pj_period_begun(const pj_period *p, int64_t today);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t pj_days_from_civil(int y, int m, int d);
/* SQL ORDER BY terms putting rows latest first by the END of their period, `col` a column of
 * canonical period text ("2024", "2024H2", "2024Q4", "2024-12"): a later end first; of periods
 * ending together the longer first (2024 before 2024H2, 2024Q4 and 2024-12). Text order would
 * put 2024Q1 and 2024H1 before 2024 and 2024-12. E.g. ORDER BY PJ_IND_LATEST_FIRST("v.period"). */
#define PJ_IND_LATEST_FIRST(col)                                                                   \
    "substr(" col ", 1, 4) DESC, (CASE WHEN length(" col ") = 4 THEN 12 WHEN substr(" col          \
    ", 5, 1) = 'H' THEN 6 * CAST(substr(" col ", 6, 1) AS INTEGER) WHEN substr(" col               \
    ", 5, 1) = 'Q' THEN 3 * CAST(substr(" col ", 6, 1) AS INTEGER) ELSE CAST(substr(" col          \
    ", 6, 2) AS INTEGER) END) DESC, (CASE WHEN length(" col ") = 4 THEN 12 WHEN substr(" col       \
    ", 5, 1) = 'H' THEN 6 WHEN substr(" col ", 5, 1) = 'Q' THEN 3 ELSE 1 END) DESC"
/* SQL: the months of the period text in `col` (12, 6, 3 or 1), to match a figure's length. */
#define PJ_IND_PERIOD_MONTHS(col)                                                                  \
    "(CASE WHEN length(" col ") = 4 THEN 12 WHEN substr(" col                                      \
    ", 5, 1) = 'H' THEN 6 WHEN substr(" col ", 5, 1) = 'Q' THEN 3 ELSE 1 END)"

/* ---- derived arithmetic (pure; percentages as numbers, 9.1 means 9.1 %) ---- */

/* Growth of cur over prev in %: (cur − prev) / |prev|, so that a rise from a negative base
 * (a loss of 2 becoming 0) is +100 %, not −100 %; NAN when prev is 0 (no growth figure). */
double pj_ind_growth(double cur, double prev);
/* Average annual growth in % as a geometric mean from n yearly levels v[0..n) spanning n-1
 * years: (v[n-1]/v[0])^(1/(n-1)) − 1. 0 ok, -1 when n < 2 or the first or last level is ≤ 0
 * (the geometric mean is undefined there: no figure rather than a wrong one). */
int pj_ind_cagr_levels(const double *v, int n, double *out);
/* The same from n yearly growth rates r[i] in %: (Π(1 + r/100))^(1/n) − 1. */
int pj_ind_cagr_rates(const double *r, int n, double *out);
/* part / whole in %; NAN when whole is 0. */
double pj_ind_share(double part, double whole);
/* Change between two shares in percentage points. */
double pj_ind_points(double now, double base);
/* a is better than b (larger when desc = 1, smaller otherwise) by more than a relative 1e-9:
 * values equal but for floating-point error are tied. */
int pj_ind_better(double a, double b, int desc);
/* Competition rank ("1224") of v[idx] among v[0..n): 1 + the number of better values
 * (pj_ind_better: a tie within floating-point error shares the rank); desc = 1 when larger is
 * better. */
int pj_ind_rank(const double *v, int n, int idx, int desc);
/* v rounded to `decimals` places, half away from zero. */
double pj_ind_round(double v, int decimals);

/* ---- the store (all need a logged-in actor; writes: admin and district officers) ---- */

extern const char *const pj_indicator_kinds[]; /* level, share, rate */

int pj_indicator_list(pj_ctx *c, const char *q, int64_t cursor, int limit, pj_jw *w, pj_err *err);
int pj_indicator_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* {code, name, unit, kind, source?, description?, higher_is_better?} */
int pj_indicator_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {version, name?, unit?, source?, description?, higher_is_better?} (code, kind fixed) */
int pj_indicator_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Id of the indicator with code; 0 when none, -1 on error. */
int64_t pj_indicator_id(pj_ctx *c, const char *code, pj_err *err);

typedef struct pj_value_filter {
    const char *code, *region, *period, *from, *to, *kind, *source;
    int64_t cursor;
    int limit;
} pj_value_filter;

/* The value list's period_kind filter: year, half, quarter, month (periods YYYY, YYYY-H1,
 * YYYY-Q1, YYYY-MM); another is 400 bad_query. */
extern const char *const pj_period_kinds[];
int pj_ind_value_list(pj_ctx *c, const pj_value_filter *f, pj_jw *w, pj_err *err);
/* One value with its revision history. */
int pj_ind_value_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* {code, region?, period, value, unit?, source?, note?}: 409 value_exists when the indicator
 * already has a value for that region and period (change it with update). */
int pj_ind_value_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {version, value?, source?, note?}: the old value goes to the revision history. */
int pj_ind_value_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Removes a value (one typed for the wrong period, region or indicator) with its revisions, audited
 * `delete` / indicator_value with both in before. version 0: the stored one; another than the
 * stored one is 409 version_conflict; 404 not_found. */
int pj_ind_value_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err);

int pj_ind_target_list(pj_ctx *c, const char *code, int64_t cursor, int limit, pj_jw *w,
                       pj_err *err);
/* {code, region?, period, value, source?, note?}: the value the indicator is to reach by period;
 * 422 out_of_range for 0, for a level or share below 0 and a share above 100 (a rate may be
 * below 0); 409 conflict when the region and period have one (correct it with update). */
int pj_ind_target_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ind_target_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* {version, value?, source?, note?}: corrects a target (the same checks), audited with before
 * and after; 409 version_conflict. Nothing changed: no write. */
int pj_ind_target_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Removes a target, audited `delete` / indicator_target with it in before; version as
 * pj_ind_value_delete's. */
int pj_ind_target_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err);

/* Derived figures. fn: yoy | prev | cagr | share | points | progress | rank. Parameters by
 * name (NULL when absent): code, region, period, from, to, method (levels|rates), of (the
 * whole's code for share), base (period for share/points), by (value|yoy for rank), target
 * (period of the target for progress). Writes {fn, value, unit, …, sources:[…]}. */
extern const char *const pj_derive_fns[]; /* the fn names above, in order, NULL-terminated */
typedef struct pj_derive_args {
    const char *fn, *code, *region, *period, *from, *to, *method, *of, *base, *by, *target;
} pj_derive_args;
int pj_ind_derive(pj_ctx *c, const pj_derive_args *a, pj_jw *w, pj_err *err);

/* CSV import. Columns (header row required, any order): code, period, value, and optionally
 * region, unit, source, note (absent: a value keeps its source and note). dry_run = 1 checks
 * everything and writes nothing, counting what a commit would do with the good rows and
 * previewing the first of them with their action; otherwise all rows are written in one
 * transaction or none (the first bad row is the error: line, column, reason). Writes {dry_run,
 * rows, bad_rows, inserted, revised, unchanged, errors:[…], preview:[…] (dry run)}.
 * max_rows bounds the file (the API passes its body limit's worth; the CLI more). */
int pj_ind_import_csv(pj_ctx *c, const char *text, size_t len, int dry_run, int max_rows, pj_jw *w,
                      pj_err *err);
/* The same from the first worksheet of an XLSX workbook (core/xlsx.h): the same checks,
 * preview and errors, `line` being the worksheet's row number; a percentage-formatted value
 * cell (0.062 shown as 6.2%) gives an indicator in % the 6.2 shown. A file that is not a readable
 * workbook is 422 bad_xlsx (field "file") with what is wrong. */
int pj_ind_import_xlsx(pj_ctx *c, const void *data, size_t len, int dry_run, int max_rows, pj_jw *w,
                       pj_err *err);
/* POST body {csv | xlsx (base64), dry_run?}. */
int pj_ind_import(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* The same values as pj_ind_export_csv as an XLSX workbook (one worksheet "indicators", the
 * import's columns, values as numbers); the bytes are appended to out. */
int pj_ind_export_xlsx(pj_ctx *c, const pj_value_filter *f, int zh, pj_buf *out, pj_err *err);
/* The values the filter selects as CSV in the import's format (round-trips): the columns under
 * their English headings (zh 0: code, region, …) or the Chinese ones (zh 1: 指标代码, 地区, …). */
int pj_ind_export_csv(pj_ctx *c, const pj_value_filter *f, int zh, pj_buf *out, pj_err *err);

/* The district dashboard: the headline figures, each with its source rows. */
int pj_ind_dashboard(pj_ctx *c, pj_jw *w, pj_err *err);

/* Loads the seed's indicators and values (source 'seed'; synthetic detail 'synthetic') and
 * the carbon demo, in its own transaction. Idempotent: does nothing when already loaded. */
int pj_indicators_demo(pj_ctx *c, uint64_t seed, pj_err *err);

#endif
