/* Internals shared by the indicator files (store, import, derived figures, dashboard, demo). */
#ifndef PJ_INDICATOR_INT_H
#define PJ_INDICATOR_INT_H

#include "domain/indicator.h"

/* Name recorded as created_by / changed_by. */
const char *pj_ind_who(const pj_ctx *c);
/* 403 unless admin or district officer. */
int pj_ind_require_writer(const pj_ctx *c, pj_err *err);
/* 422 period_not_begun (field period) unless p has begun by Beijing's today: a value is for
 * a period under way or past (a figure for one to come is a target). */
int pj_ind_period_begun(const pj_period *p, pj_err *err);
/* 1 when code is [a-z0-9_]{1,48}. */
int pj_ind_code_ok(const char *s);
/* Region text check: 1..32 characters of valid UTF-8, no control characters. */
int pj_ind_region_ok(const char *s);

/* The regions a value or a target may be for: the platform's district (PJ_IND_DISTRICT), the
 * registry's top regions and the peer districts of the setting indicator_peer_regions (names
 * separated by spaces, commas or 、; absent: Beijing's 16 districts). */
#define PJ_IND_MAX_REGIONS 64
typedef struct pj_ind_regions {
    const char *names[PJ_IND_MAX_REGIONS]; /* in c->arena */
    int n;
    const char *text; /* the names separated by spaces, for a message */
} pj_ind_regions;
int pj_ind_regions_load(pj_ctx *c, pj_ind_regions *R, pj_err *err);
/* The known name s means, spaces around it (full-width ones too) trimmed; NULL when none. */
const char *pj_ind_region_find(const pj_ind_regions *R, const char *s);
/* Replaces *region by the known name it means, or 422 unknown_region at field. */
int pj_ind_region_check(pj_ctx *c, const char **region, const char *field, pj_err *err);

/* A value filter (GET /indicators/values and the export) made ready for SQL: the indicator's
 * id (0 any, -1 an unknown code: nothing matches), the period and kind as stored, and the range
 * from..to as months (year * 12 + month - 1): the first month of `from`, the last of `to`. A
 * value is in the range when its whole period lies inside it (from=2025-06 holds 2025-06,
 * 2025Q3 and 2025H2, not 2025Q2 nor the year 2025). 400 bad_query at the field of a bad period
 * or kind. */
typedef struct pj_ind_where {
    int64_t ind;
    const char *region, *period, *kind, *source;
    int from, to;
} pj_ind_where;
int pj_ind_where_make(pj_ctx *c, const pj_value_filter *f, pj_ind_where *q, pj_err *err);
/* The condition on indicator_values v that pj_ind_where_bind fills from placeholder k on;
 * returns the next placeholder's index. */
#define PJ_IND_WHERE                                                                               \
    "(? = 0 OR v.indicator_id = ?) AND (? IS NULL OR v.region = ?) AND (? IS NULL OR v.period = "  \
    "?) AND (? IS NULL OR v.period_kind = ?) AND (? IS NULL OR v.source = ?) AND v.year BETWEEN "  \
    "? / 12 AND ? / 12 AND v.year * 12 + CASE v.period_kind WHEN 'H' THEN (v.sub - 1) * 6 WHEN "   \
    "'Q' THEN (v.sub - 1) * 3 WHEN 'M' THEN v.sub - 1 ELSE 0 END BETWEEN ? AND ? - CASE "          \
    "v.period_kind WHEN 'H' THEN 5 WHEN 'Q' THEN 2 WHEN 'M' THEN 0 ELSE 11 END"
int pj_ind_where_bind(pj_stmt *s, int k, const pj_ind_where *q);

typedef struct pj_ind_def {
    int64_t id;
    const char *code, *name, *unit, *kind; /* in c->arena */
    int higher_is_better;
} pj_ind_def;
/* The range a recorded value of the indicator's kind has: a share (%) is between 0 and 100, as
 * its targets are. A level may be below 0 as a value (a net result, a loss: growth from a
 * negative base is defined for it) though not as a target; a rate (growth in %) may be
 * negative. NULL when v fits kind, else what the range is. */
const char *pj_ind_kind_range(const char *kind, double v);
/* 1 found, 0 none (404 in err when want404), -1 error. */
int pj_ind_def_load(pj_ctx *c, const char *code, pj_ind_def *d, int want404, pj_err *err);

/* Writes value v of indicator ind for region/period inside the caller's transaction: a new
 * row, or a changed one whose old value goes to the revision history, or nothing when equal.
 * source / note NULL keep the stored ones (a new row: source "import", note ""), so a table
 * without those columns changes neither. Returns 0 inserted, 1 revised, 2 unchanged, -1
 * error; *id the row. */
int pj_ind_value_put(pj_ctx *c, int64_t ind, const char *region, const pj_period *p, double v,
                     const char *unit, const char *source, const char *note, int64_t now,
                     int64_t *id, pj_err *err);

/* The stored row of a value (texts in c->arena). */
typedef struct pj_ind_stored {
    int64_t id, version;
    double value;
    const char *source, *note;
} pj_ind_stored;

/* What pj_ind_value_put would do with the same arguments, writing nothing: 0 insert, 1 revise,
 * 2 unchanged, -1 error; *old (NULL: not wanted) the stored row when there is one. */
int pj_ind_value_check(pj_ctx *c, int64_t ind, const char *region, const pj_period *p, double v,
                       const char *source, const char *note, pj_ind_stored *old, pj_err *err);

/* Into a target, whose period and region are data. */
int pj_ind_target_put(pj_ctx *c, int64_t ind, const char *region, const char *period, double v,
                      const char *source, const char *note, pj_err *err);

/* "sources": [the value rows ids[0..n) as every figure traces them: {value_id, code, region,
 * period, value, unit, source, note, version}]. */
int pj_ind_write_sources(pj_ctx *c, const int64_t *ids, int n, pj_jw *w, pj_err *err);

/* Renders one derived figure as a JSON object (see pj_ind_derive). */
int pj_ind_derive_one(pj_ctx *c, const pj_derive_args *a, pj_jw *w, pj_err *err);

#endif
