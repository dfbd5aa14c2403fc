/* The route table and the handlers: each translates HTTP to one domain call. */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/input.h"
#include "domain/auth.h"
#include "domain/registry.h"
#include "http/server.h"

#include "core/banned.h"

/* ---- query parameters ---- */

static int q_int(pj_req *r, const char *key, int64_t min, int64_t max, int64_t *out)
{
    const char *v = pj_req_param(r, key);
    if (!v || !*v) return 0; /* an empty filter is no filter */
    int64_t x;
    if (pj_parse_i64(v, &x) || x < min || x > max)
        return pj_fail(&r->err, 400, "bad_query", key, "%s must be an integer from %lld to %lld",
                       key, (long long)min, (long long)max);
    *out = x;
    return 0;
}

static int q_str(pj_req *r, const char *key, const char **out)
{
    const char *v = pj_req_param(r, key);
    if (!v || !*v) return 0;
    if (pj_utf8_len(v, strlen(v)) > 64)
        return pj_fail(&r->err, 400, "bad_query", key, "%s is longer than 64 characters", key);
    *out = v;
    return 0;
}

/* Reads the list parameters a route accepts; any other parameter is a 400 (names starting
 * with '_' are left for cache-busting). */
static int list_params(pj_req *r, pj_list_filter *f, const char *const *accepted)
{
    memset(f, 0, sizeof *f);
    f->limit = 50;
    for (int i = 0; i < r->nquery; i++) {
        const char *k = r->query[i].key;
        int ok = !strcmp(k, "limit") || !strcmp(k, "cursor") || k[0] == '_';
        for (int a = 0; accepted[a] && !ok; a++) ok = !strcmp(k, accepted[a]);
        if (!ok) return pj_fail(&r->err, 400, "unknown_parameter", k, "unknown parameter %s", k);
    }
    int64_t limit = 50;
    if (q_int(r, "limit", 1, PJ_LIST_LIMIT_MAX, &limit) ||
        q_int(r, "cursor", 0, INT64_MAX, &f->cursor) ||
        q_int(r, "parent_id", 1, INT64_MAX, &f->parent_id) ||
        q_int(r, "township_id", 1, INT64_MAX, &f->township_id) ||
        q_int(r, "village_id", 1, INT64_MAX, &f->village_id) ||
        q_int(r, "operator_id", 1, INT64_MAX, &f->operator_id) || q_str(r, "type", &f->type) ||
        q_str(r, "role", &f->role) || q_str(r, "state", &f->state) || q_str(r, "q", &f->q) ||
        q_str(r, "industry", &f->industry))
        return -1;
    f->limit = (int)limit;
    return 0;
}

static int need_body(pj_req *r)
{
    if (!r->body)
        return pj_fail(&r->err, 400, "invalid_json", "", "a JSON object body is required");
    return 0;
}

static int created(pj_req *r)
{
    r->status = 201;
    return 0;
}

static int no_content(pj_req *r)
{
    r->status = 204;
    return 0;
}

/* ---- system ---- */

static int h_health(pj_req *r)
{
    pj_jw_obj(&r->w);
    pj_jw_kstr(&r->w, "status", "ok");
    pj_jw_kstr(&r->w, "version", PJ_VERSION);
    pj_jw_kint(&r->w, "schema", pj_db_schema_version(r->ctx.db));
    pj_jw_obj_end(&r->w);
    return 0;
}

static int h_meta(pj_req *r)
{
    return pj_registry_meta(&r->ctx, &r->w, &r->err);
}

/* ---- auth ---- */

static int h_login(pj_req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    const char *u, *p;
    char token[PJ_TOKEN_HEX + 1];
    if (need_body(r) || pj_in_object(r->body, &r->err) || pj_in_only(r->body, allowed, &r->err) ||
        pj_in_str(r->body, "username", 1, 1, 64, &u, &r->err) < 0 ||
        pj_in_str(r->body, "password", 1, 1, 256, &p, &r->err) < 0 ||
        pj_auth_login(&r->ctx, u, p, &r->w, token, &r->err))
        return -1;
    r->set_cookie =
        pj_arena_printf(&r->arena, "pj_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
                        token, r->ctx.settings->session_idle_s);
    return 0;
}

static int h_logout(pj_req *r)
{
    if (pj_auth_logout(&r->ctx, r->token, &r->err)) return -1;
    r->set_cookie = "pj_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    return no_content(r);
}

static int h_me(pj_req *r)
{
    return pj_auth_me(&r->ctx, &r->w, &r->err);
}

static int h_password(pj_req *r)
{
    if (need_body(r) || pj_auth_change_password(&r->ctx, r->body, &r->err)) return -1;
    return no_content(r);
}

/* ---- users ---- */

static int h_users(pj_req *r)
{
    static const char *const acc[] = {"role", NULL};
    pj_list_filter f;
    if (list_params(r, &f, acc)) return -1;
    return pj_user_list(&r->ctx, f.role, f.cursor, f.limit, &r->w, &r->err);
}
static int h_user_get(pj_req *r)
{
    return pj_user_get(&r->ctx, r->id, &r->w, &r->err);
}
static int h_user_create(pj_req *r)
{
    return need_body(r) || pj_user_create(&r->ctx, r->body, &r->w, &r->err) ? -1 : created(r);
}
static int h_user_update(pj_req *r)
{
    return need_body(r) ? -1 : pj_user_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_user_delete(pj_req *r)
{
    return pj_user_delete(&r->ctx, r->id, &r->err) ? -1 : no_content(r);
}

/* ---- regions ---- */

static int h_regions(pj_req *r)
{
    static const char *const acc[] = {"parent_id", "township_id", "type", "q", NULL};
    pj_list_filter f;
    return list_params(r, &f, acc) ? -1 : pj_region_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_region_get(pj_req *r)
{
    return pj_region_get(&r->ctx, r->id, &r->w, &r->err);
}
static int h_region_create(pj_req *r)
{
    return need_body(r) || pj_region_create(&r->ctx, r->body, &r->w, &r->err) ? -1 : created(r);
}
static int h_region_update(pj_req *r)
{
    return need_body(r) ? -1 : pj_region_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_region_delete(pj_req *r)
{
    return pj_region_delete(&r->ctx, r->id, &r->err) ? -1 : no_content(r);
}

/* ---- organisations ---- */

static int h_orgs(pj_req *r)
{
    static const char *const acc[] = {"township_id", "type", "industry", "q", NULL};
    pj_list_filter f;
    return list_params(r, &f, acc) ? -1 : pj_org_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_org_get(pj_req *r)
{
    return pj_org_get(&r->ctx, r->id, &r->w, &r->err);
}
static int h_org_create(pj_req *r)
{
    return need_body(r) || pj_org_create(&r->ctx, r->body, &r->w, &r->err) ? -1 : created(r);
}
static int h_org_update(pj_req *r)
{
    return need_body(r) ? -1 : pj_org_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_org_delete(pj_req *r)
{
    return pj_org_delete(&r->ctx, r->id, &r->err) ? -1 : no_content(r);
}

/* ---- facilities ---- */

static int h_facilities(pj_req *r)
{
    static const char *const acc[] = {"township_id", "village_id", "operator_id", "type",
                                      "role",        "state",      "q",           NULL};
    pj_list_filter f;
    return list_params(r, &f, acc) ? -1 : pj_facility_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_facility_get(pj_req *r)
{
    return pj_facility_get(&r->ctx, r->id, &r->w, &r->err);
}
static int h_facility_create(pj_req *r)
{
    return need_body(r) || pj_facility_create(&r->ctx, r->body, &r->w, &r->err) ? -1 : created(r);
}
static int h_facility_update(pj_req *r)
{
    return need_body(r) ? -1 : pj_facility_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_facility_delete(pj_req *r)
{
    return pj_facility_delete(&r->ctx, r->id, &r->err) ? -1 : no_content(r);
}

/* ---- audit ---- */

static int h_audit(pj_req *r)
{
    static const char *const acc[] = {"entity", "entity_id", "user_id", "username",
                                      "action", "since",     "until",   NULL};
    pj_list_filter lf;
    if (list_params(r, &lf, acc)) return -1;
    pj_audit_filter f = {.limit = lf.limit, .cursor = lf.cursor};
    if (q_str(r, "entity", &f.entity) || q_str(r, "action", &f.action) ||
        q_str(r, "username", &f.username) || q_int(r, "entity_id", 1, INT64_MAX, &f.entity_id) ||
        q_int(r, "user_id", 1, INT64_MAX, &f.user_id))
        return -1;
    const char *since = pj_req_param(r, "since"), *until = pj_req_param(r, "until");
    if (since && pj_time_parse(since, &f.since))
        return pj_fail(&r->err, 400, "bad_query", "since",
                       "since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    if (until && pj_time_parse(until, &f.until))
        return pj_fail(&r->err, 400, "bad_query", "until",
                       "until must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    return pj_audit_list(&r->ctx, &f, &r->w, &r->err);
}

#define WRITE_REGISTRY (R_DISTRICT | R(PJ_ROLE_TOWNSHIP_OFFICER))

static const pj_route core_routes[] = {
    {"GET", "/api/v1/health", h_health, 0, "Liveness, version and schema"},
    {"GET", "/api/v1/meta", h_meta, R_ALL, "Enumerations: types, roles, units", PJ_ROUTE_SHARED},
    {"POST", "/api/v1/auth/login", h_login, 0, "Log in; returns a bearer token and sets a cookie"},
    {"POST", "/api/v1/auth/logout", h_logout, R_ALL, "End the session"},
    {"GET", "/api/v1/auth/me", h_me, R_ALL, "The logged-in user"},
    {"POST", "/api/v1/auth/password", h_password, R_ALL, "Change one's own password"},
    {"GET", "/api/v1/users", h_users, R(PJ_ROLE_ADMIN), "List users"},
    {"POST", "/api/v1/users", h_user_create, R(PJ_ROLE_ADMIN), "Create a user"},
    {"GET", "/api/v1/users/{id}", h_user_get, R_ALL, "One user (admin, or oneself)"},
    {"PATCH", "/api/v1/users/{id}", h_user_update, R(PJ_ROLE_ADMIN), "Change a user"},
    {"DELETE", "/api/v1/users/{id}", h_user_delete, R(PJ_ROLE_ADMIN), "Disable a user"},
    {"GET", "/api/v1/regions", h_regions, R_ALL, "List regions", PJ_ROUTE_SHARED},
    {"POST", "/api/v1/regions", h_region_create, WRITE_REGISTRY, "Create a region"},
    {"GET", "/api/v1/regions/{id}", h_region_get, R_ALL, "One region", PJ_ROUTE_SHARED},
    {"PATCH", "/api/v1/regions/{id}", h_region_update, WRITE_REGISTRY | R(PJ_ROLE_GRID_WORKER),
     "Change a region"},
    {"DELETE", "/api/v1/regions/{id}", h_region_delete, WRITE_REGISTRY, "Delete an unused region"},
    {"GET", "/api/v1/organisations", h_orgs, R_ALL, "List organisations"},
    {"POST", "/api/v1/organisations", h_org_create, WRITE_REGISTRY, "Create an organisation"},
    {"GET", "/api/v1/organisations/{id}", h_org_get, R_ALL, "One organisation"},
    {"PATCH", "/api/v1/organisations/{id}", h_org_update, WRITE_REGISTRY | R(PJ_ROLE_ENTERPRISE),
     "Change an organisation"},
    {"DELETE", "/api/v1/organisations/{id}", h_org_delete, WRITE_REGISTRY,
     "Delete an unused organisation"},
    {"GET", "/api/v1/facilities", h_facilities, R_ALL, "List facilities", PJ_ROUTE_SHARED},
    {"POST", "/api/v1/facilities", h_facility_create, WRITE_REGISTRY, "Create a facility"},
    {"GET", "/api/v1/facilities/{id}", h_facility_get, R_ALL, "One facility", PJ_ROUTE_SHARED},
    {"PATCH", "/api/v1/facilities/{id}", h_facility_update,
     WRITE_REGISTRY | R(PJ_ROLE_FACILITY_OPERATOR), "Change a facility"},
    {"DELETE", "/api/v1/facilities/{id}", h_facility_delete, WRITE_REGISTRY,
     "Delete a facility in peacetime"},
    {"GET", "/api/v1/audit", h_audit, R_DISTRICT, "The audit trail"},
};

/* The route table: the foundation's routes above, then each module's table (one line per
 * module: its routes live beside its handlers in src/http/h_<module>.c). */
static const struct {
    const pj_route *routes;
    const int *count;
} modules[] = {
    {core_routes, NULL},
};

static pj_route all_routes[512];
static int nall = -1;

const pj_route *pj_routes(int *n)
{
    if (nall < 0) {
        nall = 0;
        for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++) {
            int cnt = modules[m].count ? *modules[m].count
                                       : (int)(sizeof core_routes / sizeof core_routes[0]);
            for (int i = 0; i < cnt && nall < (int)(sizeof all_routes / sizeof all_routes[0]); i++)
                all_routes[nall++] = modules[m].routes[i];
        }
    }
    *n = nall;
    return all_routes;
}
