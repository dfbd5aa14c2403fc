/* The district registry: regions (district → township → village/community → grid),
 * organisations and facilities with their emergency roles. Every authenticated user may read
 * the registry (personal contact numbers are masked); writes are scoped by role. */
#ifndef PJ_REGISTRY_H
#define PJ_REGISTRY_H

#include "domain/ctx.h"

typedef struct pj_list_filter {
    int64_t parent_id, township_id, village_id, operator_id;
    const char *type, *role, *state, *q, *industry;
    int64_t cursor;
    int limit;
} pj_list_filter;

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
int pj_facility_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_facility_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_facility_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_facility_delete(pj_ctx *c, int64_t id, pj_err *err);

/* Enumerations for clients: {"facility_types":[…],"emergency_roles":{role:[units]},…}. */
int pj_registry_meta(pj_ctx *c, pj_jw *w, pj_err *err);

#endif
