/* The district registry: regions (district → township → village/community → grid),
 * organisations and facilities with their emergency roles. Every authenticated user may read
 * the registry (personal contact numbers are masked); writes are scoped by role. */
#ifndef PJ_REGISTRY_H
#define PJ_REGISTRY_H

#include "core/buf.h"
#include "domain/ctx.h"

typedef struct pj_list_filter {
    int64_t parent_id, township_id, village_id, operator_id;
    const char *type, *role, *state, *q, *industry;
    int64_t cursor;
    int limit;
} pj_list_filter;

/* q as a LIKE pattern body: %, _ and \ match themselves (ESCAPE '\'). NULL stays NULL. */
const char *pj_like_escape(pj_ctx *c, const char *q);

extern const char *const pj_region_types[];
extern const char *const pj_facility_types[];
extern const char *const pj_facility_states[];
extern const char *const pj_emergency_roles[];
extern const char *const pj_org_types[];
/* Units allowed for an emergency role (NULL-terminated), NULL for an unknown role. */
const char *const *pj_emergency_role_units(const char *role);

int pj_region_list(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err);
int pj_region_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_region_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_region_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_region_delete(pj_ctx *c, int64_t id, pj_err *err);
/* Township id of a region (itself when a township), 0 for the district, -1 on error. */
int64_t pj_region_township(pj_ctx *c, int64_t id, pj_err *err);

/* 1 when the caller sees an organisation's contact phone in full (docs/api.md, section 3):
 * district roles, the officer of its township, its own enterprise user. */
int pj_org_sees_contacts(const pj_ctx *c, int64_t org_id, int64_t township_id);

int pj_org_list(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err);
int pj_org_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_org_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_org_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_org_delete(pj_ctx *c, int64_t id, pj_err *err);

int pj_facility_list(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err);
/* The facilities the list's filters select, every one counted (docs/api.md, "GET
 * /api/v1/facilities/summary"): {facilities, states, capacity, townships}. */
int pj_facility_summary(pj_ctx *c, const pj_list_filter *f, pj_jw *w, pj_err *err);
int pj_facility_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_facility_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_facility_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_facility_delete(pj_ctx *c, int64_t id, pj_err *err);
/* A create and an update of one facility inside the caller's transaction (no begin or
 * commit), with every check of pj_facility_create / pj_facility_update (the body's fields and
 * references, the caller's township scope, the roles) and its audit row: for the import. A
 * create's source is the one given (the API's: "manual"); an update applies to the current
 * version, and one that changes nothing (*changed 0) writes no audit row — the caller rolls
 * its write back (the version stays). */
int pj_facility_create_in(pj_ctx *c, json_t *body, const char *source, int64_t *id, pj_err *err);
int pj_facility_update_in(pj_ctx *c, int64_t id, json_t *body, int *changed, const char **before,
                          const char **after, pj_err *err);

/* Facilities from a table (docs/api.md, "Facility import"): CSV text or an XLSX workbook, one
 * facility a row, every row checked as the single-record API checks it, then all written in
 * one transaction (an audit row each and one for the import) or — with any bad row, or a dry
 * run — none. Answers {dry_run, ok, rows, bad_rows, created, updated, unchanged, errors, preview}.
 * More than max_rows rows: 413. */
int pj_facility_import_csv(pj_ctx *c, const char *text, size_t len, int dry_run, int max_rows,
                           pj_jw *w, pj_err *err);
int pj_facility_import_xlsx(pj_ctx *c, const void *data, size_t len, int dry_run, int max_rows,
                            pj_jw *w, pj_err *err);
/* The same import made apart from the connection that writes everything else (a report
 * worker's own connection, c->db, opened for it alone): every row checked and written, as
 * above, on TEMP copies of the tables the import writes (facilities, facility_roles, audit),
 * which takes no lock on the database; then, for a commit, what it wrote copied into the
 * database in one short write transaction. That transaction first looks whether a facility,
 * region, organisation, manual, plan, conversion or standard, or the caller's own account, was
 * written since the copies were made (their audit rows): if so it writes nothing and answers 2 —
 * the import must be made again (pj_facility_import_csv/xlsx on the writing connection), its checks
 * having read what has since changed. Otherwise as pj_facility_import_csv/xlsx: 0, 1 or -1. */
int pj_facility_import_apart(pj_ctx *c, int xlsx, const void *data, size_t len, int dry_run,
                             int max_rows, pj_jw *w, pj_err *err);
/* Tests only: called between the trial and the write (NULL = none). */
extern void (*pj_facility_import_apart_hook)(void);
/* The facilities the list with the same filters holds (every page), in the import's columns:
 * under their English headings (zh 0: id, version, name, …) or the Chinese ones the import
 * reads (zh 1: 编号, 版本, 名称, …). */
int pj_facility_export_csv(pj_ctx *c, const pj_list_filter *f, int zh, pj_buf *out, pj_err *err);
int pj_facility_export_xlsx(pj_ctx *c, const pj_list_filter *f, int zh, pj_buf *out, pj_err *err);

/* Enumerations for clients: {"facility_types":[…],"emergency_roles":{role:[units]},…}. */
int pj_registry_meta(pj_ctx *c, pj_jw *w, pj_err *err);

#endif
