/* Records described by a table: the common shape of the agri-tech and logistics registers
 * (list with equality filters and a cursor, get, create, update with an optimistic version,
 * delete), with one set of rules for input, scope and audit.
 *
 * A kind names its table, its fields (type, range, whether required, filterable, fixed after
 * creation, a reference query), how a row's organisation and township are found (for scope),
 * read-only figures computed in SQL, and an optional check of rules across fields (state
 * transitions). Bad input is a 4xx that writes nothing; every write is one transaction with its
 * audit row (entity = the kind's name, before/after = the rendered record).
 *
 * Scope. Every role reads, except that an enterprise user sees only the rows of a kind with an
 * organisation (org_sql) whose organisation is theirs, or whose seen_sql is (others are 404).
 * Writes: admin and district officers anything; a township officer rows whose township (town_sql)
 * is theirs; an enterprise user, for kinds that allow it, rows of their own organisation (an absent
 * organisation_id is filled in with theirs; a facility_id must be a facility their organisation
 * operates) and without moving them to another township (403 on the field that would). Everyone
 * else: 403. */
#ifndef PJ_RECORD_H
#define PJ_RECORD_H

#include <jansson.h>
#include <stdint.h>

#include "domain/ctx.h"

typedef enum pj_rec_type {
    PJ_RT_TEXT,  /* min..max characters */
    PJ_RT_INT,   /* integer in min..max */
    PJ_RT_NUM,   /* number in min..max */
    PJ_RT_ENUM,  /* one of values */
    PJ_RT_DATE,  /* "YYYY-MM-DD" */
    PJ_RT_MONTH, /* "YYYY-MM" */
    PJ_RT_REF,   /* id checked with ref ("SELECT 1 FROM … WHERE id = ?"); null clears */
    PJ_RT_BOOL
} pj_rec_type;

#define PJ_RF_REQ    1u /* required on create */
#define PJ_RF_FILTER 2u /* list filter (equality) of the same name */
#define PJ_RF_FIXED  4u /* given on create only */
#define PJ_RF_NULL   8u /* may be null (cleared) */

typedef struct pj_rec_field {
    const char *name; /* JSON key and column */
    pj_rec_type type;
    unsigned flags;
    double min, max;
    const char *const *values; /* ENUM: NULL-terminated */
    const char *ref;           /* REF */
} pj_rec_field;

/* A read-only figure: `sql` is an expression over the row aliased t. A figure over rows of
 * organisations (e.g. a park's warehouses) has `own_sql` too: what an enterprise user reads
 * instead, the same figure over its organisation's rows only, its organisation bound as ?2. */
typedef struct pj_rec_extra {
    const char *name, *sql;
    pj_rec_type type; /* TEXT, INT, NUM or BOOL */
    const char *own_sql;
} pj_rec_extra;

typedef struct pj_rec_kind pj_rec_kind;
struct pj_rec_kind {
    const char *name;  /* audit entity, e.g. "lg_warehouse" */
    const char *noun;  /* for messages, e.g. "warehouse" */
    const char *table; /* e.g. "lg_warehouses" */
    const pj_rec_field *fields;
    int nfields;
    const pj_rec_extra *extras;
    int nextras;
    const char *org_sql;  /* the row's organisation over alias t; NULL = not owned */
    const char *town_sql; /* the row's township over alias t; NULL = none */
    /* Another organisation that may read the row (not write it) over alias t, e.g. the owner of
     * the warehouse a tenancy is in; NULL = none. */
    const char *seen_sql;
    const char *range; /* DATE or MONTH field the list's from/to bound; NULL = none */
    int enterprise_writes;
    int deletable;
    /* Rules across fields, after each field is checked: id is 0 on create. row is the record as
     * it would be written — on update the stored fields overlaid by the body's, on create the
     * body itself — so rules across fields see both sides; body is what was sent and may be
     * normalised (e.g. set a default). Runs inside the write's transaction, so rules across
     * rows (a tenancy's share of its warehouse) hold against concurrent writers. 0 ok, -1 with
     * err. */
    int (*check)(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, const json_t *row,
                 pj_err *err);
    /* Whether a deletable row may go, beyond what refers to it: inside the delete's
     * transaction; 0 ok, -1 with err. NULL = any row. */
    int (*del_check)(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err);
    /* More figures computed in C: s holds id, then the fields in order (columns 1..nfields). */
    void (*more)(pj_stmt *s, pj_jw *w);
};

/* A kind under its path segment ("labs", "warehouses", …); tables end with {NULL, NULL}. */
typedef struct pj_rec_named {
    const char *path;
    const pj_rec_kind *kind;
} pj_rec_named;

/* A list filter as name/value text pairs (the query string); limit 1..500, cursor = last id. */
typedef struct pj_rec_query {
    const char *const *keys, *const *vals;
    int n;
} pj_rec_query;

/* Writes {"items":[…],"next_cursor":…}; 400 bad_query / unknown_parameter on bad parameters.
 * Accepted: limit, cursor, the kind's FILTER fields, and from/to when it has a range. */
int pj_rec_list(pj_ctx *c, const pj_rec_kind *k, const pj_rec_query *q, pj_jw *w, pj_err *err);
/* The i-th parameter (0, 1, …) a list of k takes, as pj_rec_list accepts them: its FILTER fields
 * in order, from and to when it has a range, then limit and cursor; NULL past the last. A static
 * string. */
const char *pj_rec_list_param(const pj_rec_kind *k, int i);
int pj_rec_get(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_jw *w, pj_err *err);
/* Body: the fields (required ones present) and optionally "source"; writes the new record. */
int pj_rec_create(pj_ctx *c, const pj_rec_kind *k, json_t *body, pj_jw *w, pj_err *err);
/* Body: {version, fields…}; 409 version_conflict when the record changed meanwhile. */
int pj_rec_update(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* 405-like 409 not_deletable when the kind keeps its rows; 409 in_use when referenced. */
int pj_rec_delete(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err);

/* For demos: checks body like create and inserts it inside the caller's transaction, without
 * scope or audit rows; *id the new row. */
int pj_rec_insert(pj_ctx *c, const pj_rec_kind *k, json_t *body, int64_t *id, pj_err *err);
/* Demo helpers. pj_rec_put inserts body b (taking it; NULL is out of memory) with
 * pj_rec_insert, *id the new row (id may be NULL); pj_rec_ref adds key = id when id is known
 * (demos also run over a bare registry); pj_rec_id_by_name runs sql with name as its one
 * parameter: the first column, 0 when no row, -1 on error; pj_rec_rnd is xorshift64. */
int pj_rec_put(pj_ctx *c, const pj_rec_kind *k, json_t *b, int64_t *id, pj_err *err);
json_t *pj_rec_ref(json_t *b, const char *key, int64_t id);
int64_t pj_rec_id_by_name(pj_ctx *c, const char *sql, const char *name, pj_err *err);
uint64_t pj_rec_rnd(uint64_t *s);
/* Renders record id into a string in c->arena (NULL on error). */
char *pj_rec_render_string(pj_ctx *c, const pj_rec_kind *k, int64_t id, pj_err *err);

/* The registry facility fac may be linked by the caller: a township officer's is in their
 * township, an enterprise user's is operated by their organisation (else 403 forbidden at
 * facility_id); any facility for the other writers, and 0 for fac 0 or one that does not exist
 * (its reference check says so). */
int pj_rec_facility_reach(pj_ctx *c, int64_t fac, pj_err *err);

/* For checks: 409 conflict naming `field` when another row of k (not id) holds the row's value
 * of it — a link made once, e.g. a registry facility is one warehouse's (a unique index keeps the
 * table so); 0 when none does or the value is null. */
int pj_rec_link_once(pj_ctx *c, const pj_rec_kind *k, int64_t id, const json_t *row,
                     const char *field, pj_err *err);

/* For checks of a kind whose state moves along a NULL-ended list of states (planned →
 * under_construction → operating): the place of `s` in it (-1 when not in it), and whether a
 * change from → to keeps the state or moves it one step on (1) or not (0). */
int pj_rec_state_rank(const char *const states[], const char *s);
int pj_rec_state_step_ok(const char *const states[], const char *from, const char *to);
/* For checks: the stored `state` of record id of kind k, copied into the arena (NULL for a
 * new record, id 0), and whether its date column `date` (NULL: none asked) is set. */
int pj_rec_stored_state(pj_ctx *c, const pj_rec_kind *k, int64_t id, const char *date,
                        const char **state, int *has_date, pj_err *err);
/* For checks: the date `key` of a row whose state says it has happened (a warehouse's `opened`
 * when operating): present — a date not yet set takes `today` in body when the state is being
 * reached (`reaching`) and none was stored (`stored` 0); a stored one is not cleared — and not
 * after today; else 422 invalid_value at key, the message "the <noun> <what>". */
int pj_rec_date_happened(json_t *body, const json_t *row, const char *key, int reaching, int stored,
                         const char *today, const char *noun, const char *what, pj_err *err);

/* Strict "YYYY-MM-DD" (a real date); 1 valid, 0 not (months: pj_month_valid in core/util.h). */
int pj_rec_date_ok(const char *s);
/* Today in the district (Beijing) as "YYYY-MM-DD". */
void pj_rec_today(char out[11]);
/* The same date as an SQL expression, for a kind's extras (which take no parameters): the
 * database's pj_today() (db_sqlite.c), read from the same clock as pj_rec_today. */
#define PJ_REC_TODAY_SQL "pj_today()"

/* Field descriptions, for the kinds' tables. */
#define PJ_F_TEXT(n, fl, lo, hi)                                                                   \
    {                                                                                              \
        n, PJ_RT_TEXT, fl, lo, hi, NULL, NULL                                                      \
    }
#define PJ_F_INT(n, fl, lo, hi)                                                                    \
    {                                                                                              \
        n, PJ_RT_INT, fl, lo, hi, NULL, NULL                                                       \
    }
#define PJ_F_NUM(n, fl, lo, hi)                                                                    \
    {                                                                                              \
        n, PJ_RT_NUM, fl, lo, hi, NULL, NULL                                                       \
    }
#define PJ_F_ENUM(n, fl, v)                                                                        \
    {                                                                                              \
        n, PJ_RT_ENUM, fl, 0, 0, v, NULL                                                           \
    }
#define PJ_F_DATE(n, fl)                                                                           \
    {                                                                                              \
        n, PJ_RT_DATE, fl, 0, 0, NULL, NULL                                                        \
    }
#define PJ_F_MONTH(n, fl)                                                                          \
    {                                                                                              \
        n, PJ_RT_MONTH, fl, 0, 0, NULL, NULL                                                       \
    }
#define PJ_F_BOOL(n, fl)                                                                           \
    {                                                                                              \
        n, PJ_RT_BOOL, fl, 0, 0, NULL, NULL                                                        \
    }
#define PJ_F_REF(n, fl, sql)                                                                       \
    {                                                                                              \
        n, PJ_RT_REF, fl, 0, 0, NULL, sql                                                          \
    }
#define PJ_REF_TOWNSHIP "SELECT 1 FROM regions WHERE id = ? AND type = 'township'"
#define PJ_REF_ORG      "SELECT 1 FROM organisations WHERE id = ?"
#define PJ_REF_FACILITY "SELECT 1 FROM facilities WHERE id = ?"
/* Read-only names of the records a row refers to (alias t), shown beside the ids. */
#define PJ_X_NAME(key, sql)                                                                        \
    {                                                                                              \
        key, sql, PJ_RT_TEXT                                                                       \
    }
#define PJ_X_ORG                                                                                   \
    PJ_X_NAME("organisation", "SELECT o.name FROM organisations o WHERE o.id = t.organisation_id")
#define PJ_X_TOWN PJ_X_NAME("township", "SELECT g.name FROM regions g WHERE g.id = t.township_id")
#define PJ_X_FACIL                                                                                 \
    PJ_X_NAME("facility", "SELECT f.name FROM facilities f WHERE f.id = t.facility_id")
#define PJ_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
