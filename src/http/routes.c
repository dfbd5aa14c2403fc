/* The route table and the handlers: each translates HTTP to one domain call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "core/xlsx.h"
#include "domain/audit.h"
#include "domain/input.h"
#include "domain/auth.h"
#include "domain/registry.h"
#include "domain/todo.h"
#include "http/hutil.h"
#include "http/server.h"

#include "core/banned.h"

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

/* ---- work handed to the workers ---- */

/* Hands w to the workers: run there, then answered on the loop by then (see pj_req.work);
 * the server frees w. */
static int hand_off(pj_req *r, pj_work *w, void (*run)(pj_work *), void (*free_fn)(pj_work *),
                    int (*then)(pj_req *, pj_work *))
{
    w->run = run;
    w->free = free_fn;
    r->work = w;
    r->then = then;
    return 0;
}

/* A password hashed on a worker thread (one's own changed, a user created, a password set by
 * an admin), with what the finish needs of the request. */
typedef struct pw_job {
    pj_work work; /* first: the worker pool's part */
    pj_pwjob pw;
    json_t *body; /* the request's body, taken over (the finish reads it again), or NULL */
    int64_t id;   /* the request's id */
} pw_job;

static void pw_run(pj_work *w)
{
    pj_pwjob_run(&((pw_job *)w)->pw);
}

static void pw_free(pj_work *w)
{
    pw_job *j = (pw_job *)w;
    pj_pwjob_clear(&j->pw);
    if (j->body) {
        pj_json_wipe(j->body); /* the passwords it held (PJ_ROUTE_SECRET) */
        json_decref(j->body);
    }
    free(j);
}

/* A new job for r, or NULL (500 in r->err). */
static pw_job *pw_job_new(pj_req *r)
{
    pw_job *j = calloc(1, sizeof *j);
    if (!j)
        pj_fail(&r->err, 500, "internal", "", "out of memory");
    else
        j->id = r->id;
    return j;
}

/* Hands j, filled by a *_start call, to the workers, r answered by then once its password is
 * hashed; with none to hash (an update without one), then answers at once. With keep_body
 * the job takes r's body over for then. */
static int pw_hand(pj_req *r, pw_job *j, int keep_body, int (*then)(pj_req *, pj_work *))
{
    if (keep_body) { /* pw_free wipes it */
        j->body = r->body;
        r->body = NULL;
    }
    if (!j->pw.password) {
        int rc = then(r, &j->work);
        pw_free(&j->work);
        return rc;
    }
    return hand_off(r, &j->work, pw_run, pw_free, then);
}

/* ---- auth ---- */

/* A log-in whose password is being checked on a worker thread. */
typedef struct login_job {
    pj_work work; /* first: the worker pool's part */
    pj_login l;
} login_job;

static void login_run(pj_work *w)
{
    pj_login_verify(&((login_job *)w)->l);
}

static void login_free(pj_work *w)
{
    login_job *j = (login_job *)w;
    pj_login_clear(&j->l);
    free(j);
}

/* "; Secure" when the session cookie is to be sent back over HTTPS only: the server was told
 * so (serve --secure-cookies), or the proxy in front says the request came over HTTPS. */
static const char *cookie_secure(pj_req *r)
{
    const char *proto = pj_head_get(r->head, "X-Forwarded-Proto");
    return r->secure_cookies || (proto && !strcmp(proto, "https")) ? "; Secure" : "";
}

/* The rest of a log-in, on the loop once its password is checked. */
static int h_login_done(pj_req *r, pj_work *w)
{
    char token[PJ_TOKEN_HEX + 1];
    if (pj_login_finish(&r->ctx, &((login_job *)w)->l, &r->w, token, &r->err)) return -1;
    /* a session cookie: the server's idle expiry decides when it stops working */
    r->set_cookie = pj_arena_printf(&r->arena, "pj_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
                                    token, cookie_secure(r));
    return 0;
}

/* The name looked up and the lock checked here; the password (argon2id, ~100 ms) on a worker
 * thread, so the loop serves everyone else meanwhile; then h_login_done. */
static int h_login(pj_req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    const char *u, *p;
    if (pj_h_need_body(r) || pj_in_object(r->body, &r->err) ||
        pj_in_only(r->body, allowed, &r->err) ||
        pj_in_str(r->body, "username", 1, 1, 64, &u, &r->err) < 0 ||
        pj_in_str(r->body, "password", 1, 1, 256, &p, &r->err) < 0)
        return -1;
    login_job *j = calloc(1, sizeof *j);
    if (!j) return pj_fail(&r->err, 500, "internal", "", "out of memory");
    if (pj_login_start(&r->ctx, u, p, &j->l, &r->err)) {
        free(j);
        return -1;
    }
    return hand_off(r, &j->work, login_run, login_free, h_login_done);
}

static int h_logout(pj_req *r)
{
    if (pj_auth_logout(&r->ctx, r->token, &r->err)) return -1;
    r->set_cookie = pj_arena_printf(
        &r->arena, "pj_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", cookie_secure(r));
    return pj_h_no_content(r);
}

static int h_todo(pj_req *r)
{
    return pj_todo(&r->ctx, &r->w, &r->err);
}

static int h_me(pj_req *r)
{
    return pj_auth_me(&r->ctx, &r->w, &r->err);
}

/* The rest of a password change, on the loop once the old password is checked and the new
 * one hashed. */
static int h_password_done(pj_req *r, pj_work *w)
{
    if (pj_auth_change_password_finish(&r->ctx, &((pw_job *)w)->pw, &r->err)) return -1;
    return pj_h_no_content(r);
}

/* The body checked here; the old password's check and the new one's hash on a worker thread;
 * then h_password_done. */
static int h_password(pj_req *r)
{
    pw_job *j;
    if (pj_h_need_body(r) || !(j = pw_job_new(r))) return -1;
    if (pj_auth_change_password_start(&r->ctx, r->body, &j->pw, &r->err)) {
        free(j);
        return -1;
    }
    return pw_hand(r, j, 0, h_password_done);
}

/* ---- users ---- */

static int h_users(pj_req *r)
{
    static const char *const acc[] = {"role", NULL};
    pj_list_filter f;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_enum(r, "role", pj_user_roles, &f.role)) return -1;
    return pj_user_list(&r->ctx, f.role, f.cursor, f.limit, &r->w, &r->err);
}
static int h_user_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_user_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
/* A user created, or changed, once the password is hashed on a worker thread. */
static int h_user_create_done(pj_req *r, pj_work *w)
{
    pw_job *j = (pw_job *)w;
    return pj_user_create_finish(&r->ctx, j->body, &j->pw, &r->w, &r->err) ? -1 : pj_h_created(r);
}
static int h_user_create(pj_req *r)
{
    pw_job *j;
    if (pj_h_need_body(r) || !(j = pw_job_new(r))) return -1;
    if (pj_user_create_start(&r->ctx, r->body, &j->pw, &r->err)) {
        free(j);
        return -1;
    }
    return pw_hand(r, j, 1, h_user_create_done);
}
static int h_user_update_done(pj_req *r, pj_work *w)
{
    pw_job *j = (pw_job *)w;
    return pj_user_update_finish(&r->ctx, j->id, j->body, &j->pw, &r->w, &r->err);
}
static int h_user_update(pj_req *r)
{
    pw_job *j;
    if (pj_h_need_body(r) || !(j = pw_job_new(r))) return -1;
    if (pj_user_update_start(&r->ctx, r->id, r->body, &j->pw, &r->err)) {
        free(j);
        return -1;
    }
    return pw_hand(r, j, 1, h_user_update_done);
}
static int h_user_delete(pj_req *r)
{
    return pj_user_delete(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);
}

/* ---- regions ---- */

static int h_regions(pj_req *r)
{
    static const char *const acc[] = {"parent_id", "township_id", "type", "q", NULL};
    pj_list_filter f;
    return pj_h_list_params(r, &f, acc) || pj_h_q_enum(r, "type", pj_region_types, &f.type)
               ? -1
               : pj_region_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_region_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_region_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_region_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_region_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_region_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_region_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_region_delete(pj_req *r)
{
    return pj_region_delete(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);
}

/* ---- organisations ---- */

static int h_orgs(pj_req *r)
{
    static const char *const acc[] = {"township_id", "type", "industry", "q", NULL};
    pj_list_filter f;
    return pj_h_list_params(r, &f, acc) || pj_h_q_enum(r, "type", pj_org_types, &f.type)
               ? -1
               : pj_org_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_org_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_org_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_org_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_org_create(&r->ctx, r->body, &r->w, &r->err) ? -1
                                                                                : pj_h_created(r);
}
static int h_org_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_org_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_org_delete(pj_req *r)
{
    return pj_org_delete(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);
}

/* ---- facilities ---- */

static int h_facilities(pj_req *r)
{
    static const char *const acc[] = {"township_id", "village_id", "operator_id", "type",
                                      "role",        "state",      "q",           NULL};
    pj_list_filter f;
    return pj_h_list_params(r, &f, acc) || pj_h_q_enum(r, "type", pj_facility_types, &f.type) ||
                   pj_h_q_enum(r, "role", pj_emergency_roles, &f.role) ||
                   pj_h_q_enum(r, "state", pj_facility_states, &f.state)
               ? -1
               : pj_facility_list(&r->ctx, &f, &r->w, &r->err);
}

/* A facility table uploaded as it is: an XLSX workbook (its content type, or any type with a
 * zip signature) or CSV text (text/csv); ?dry_run=1 previews. A commit refused for bad rows
 * answers 422 with the rows (the error and the import's answer in one object). Up to 10,000
 * rows of checks and writes (0.3–1 s): made on a report worker, apart from the loop
 * (pj_h_write_apart, pj_facility_import_apart), and again on the loop only when a record its
 * checks read was written meanwhile. */
typedef struct import_args {
    int xlsx, dry_run;
} import_args;
static int import_apart(pj_ctx *c, const void *args, const void *data, size_t len, pj_jw *w,
                        pj_err *err)
{
    const import_args *a = args;
    return pj_facility_import_apart(c, a->xlsx, data, len, a->dry_run, 10000, w, err);
}
static int import_here(pj_ctx *c, const void *args, const void *data, size_t len, pj_jw *w,
                       pj_err *err)
{
    const import_args *a = args;
    return a->xlsx ? pj_facility_import_xlsx(c, data, len, a->dry_run, 10000, w, err)
                   : pj_facility_import_csv(c, data, len, a->dry_run, 10000, w, err);
}
static int h_facility_import(pj_req *r)
{
    static const char *const acc[] = {"dry_run", NULL};
    int64_t dry = 0;
    if (pj_h_q_only(r, acc) || pj_h_q_int(r, "dry_run", 0, 1, &dry)) return -1;
    if (!r->raw)
        return pj_fail(&r->err, 415, "unsupported_media_type", "",
                       "send the table itself as " PJ_XLSX_TYPE " or text/csv");
    int kind = pj_h_sheet_kind(r, 0);
    if (kind < 0) return -1;
    import_args a = {.xlsx = kind, .dry_run = (int)dry};
    return pj_h_write_apart(r, import_apart, import_here, &a, sizeof a);
}
static int facility_table(pj_ctx *c, int xlsx, int zh, const void *f, pj_buf *out, pj_err *err)
{
    return (xlsx ? pj_facility_export_xlsx : pj_facility_export_csv)(c, f, zh, out, err);
}
/* The list's facilities (its filters, every page) in the import's columns, CSV or XLSX, under
 * English or Chinese headings. */
static int h_facility_export(pj_req *r)
{
    static const char *const acc[] = {"township_id", "village_id", "operator_id", "type",
                                      "role",        "state",      "q",           "format",
                                      "headings",    NULL};
    pj_list_filter f;
    return pj_h_filter_params(r, &f, acc) || pj_h_q_enum(r, "type", pj_facility_types, &f.type) ||
                   pj_h_q_enum(r, "role", pj_emergency_roles, &f.role) ||
                   pj_h_q_enum(r, "state", pj_facility_states, &f.state)
               ? -1
               : pj_h_export(r, facility_table, &f);
}
/* What the list with the same filters holds, counted: every facility, not a page. */
static int h_facility_summary(pj_req *r)
{
    static const char *const acc[] = {"township_id", "village_id", "operator_id", "type",
                                      "role",        "state",      "q",           NULL};
    pj_list_filter f;
    return pj_h_filter_params(r, &f, acc) || pj_h_q_enum(r, "type", pj_facility_types, &f.type) ||
                   pj_h_q_enum(r, "role", pj_emergency_roles, &f.role) ||
                   pj_h_q_enum(r, "state", pj_facility_states, &f.state)
               ? -1
               : pj_facility_summary(&r->ctx, &f, &r->w, &r->err);
}
static int h_facility_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_facility_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_facility_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_facility_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_facility_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_facility_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_facility_delete(pj_req *r)
{
    return pj_facility_delete(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);
}

/* ---- audit ---- */

static int h_audit(pj_req *r)
{
    static const char *const acc[] = {"entity", "entity_id", "user_id", "username",
                                      "action", "since",     "until",   NULL};
    pj_list_filter lf;
    if (pj_h_list_params(r, &lf, acc)) return -1;
    pj_audit_filter f = {.limit = lf.limit, .cursor = lf.cursor};
    if (pj_h_q_str(r, "entity", &f.entity) || pj_h_q_str(r, "action", &f.action) ||
        pj_h_q_str(r, "username", &f.username) ||
        pj_h_q_int(r, "entity_id", 1, INT64_MAX, &f.entity_id) ||
        pj_h_q_int(r, "user_id", 1, INT64_MAX, &f.user_id))
        return -1;
    const char *since = pj_req_param(r, "since"), *until = pj_req_param(r, "until");
    if (since && pj_time_parse_local(since, &f.since))
        return pj_fail(
            &r->err, 400, "bad_query", "since",
            "since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, of the years 1900 to 2200");
    if (until && pj_time_parse_local(until, &f.until))
        return pj_fail(
            &r->err, 400, "bad_query", "until",
            "until must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, of the years 1900 to 2200");
    if (since && until && f.since > f.until)
        return pj_q_range_fail("since", since, "until", until, &r->err);
    return pj_audit_list(&r->ctx, &f, &r->w, &r->err);
}

#define WRITE_REGISTRY (R_DISTRICT | R(PJ_ROLE_TOWNSHIP_OFFICER))

static const pj_route core_routes[] = {
    {"GET", "/api/v1/health", h_health, 0, "Liveness, version and schema"},
    {"GET", "/api/v1/meta", h_meta, R_ALL, "Enumerations: types, roles, units", PJ_ROUTE_SHARED},
    {"POST", "/api/v1/auth/login", h_login, 0, "Log in; returns a bearer token and sets a cookie",
     PJ_ROUTE_LOGIN | PJ_ROUTE_SECRET},
    {"POST", "/api/v1/auth/logout", h_logout, R_ALL, "End the session"},
    {"GET", "/api/v1/auth/me", h_me, R_ALL, "The logged-in user"},
    {"GET", "/api/v1/todo", h_todo, R_ALL,
     "What waits on the caller: per kind of work their role does, how many in their scope"},
    {"POST", "/api/v1/auth/password", h_password, R_ALL, "Change one's own password",
     PJ_ROUTE_SECRET},
    {"GET", "/api/v1/users", h_users, R(PJ_ROLE_ADMIN), "List users"},
    {"POST", "/api/v1/users", h_user_create, R(PJ_ROLE_ADMIN), "Create a user", PJ_ROUTE_SECRET},
    {"GET", "/api/v1/users/{id}", h_user_get, R_ALL, "One user (admin, or oneself)"},
    {"PATCH", "/api/v1/users/{id}", h_user_update, R(PJ_ROLE_ADMIN), "Change a user",
     PJ_ROUTE_SECRET},
    {"DELETE", "/api/v1/users/{id}", h_user_delete, R(PJ_ROLE_ADMIN), "Disable a user"},
    {"GET", "/api/v1/regions", h_regions, R_ALL, "List regions",
     PJ_ROUTE_SHARED | PJ_ROUTE_PER_ROLE},
    {"POST", "/api/v1/regions", h_region_create, WRITE_REGISTRY, "Create a region"},
    {"GET", "/api/v1/regions/{id}", h_region_get, R_ALL, "One region",
     PJ_ROUTE_SHARED | PJ_ROUTE_PER_ROLE},
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
    {"POST", "/api/v1/facilities/import", h_facility_import, WRITE_REGISTRY,
     "Import facilities from a CSV or XLSX table (dry_run previews; all or nothing)",
     PJ_ROUTE_UPLOAD | PJ_ROUTE_Q_DRY_RUN},
    {"GET", "/api/v1/facilities/export", h_facility_export, R_ALL,
     "Facilities as CSV or XLSX in the import's columns (format, the list's filters)"},
    {"GET", "/api/v1/facilities/summary", h_facility_summary, R_ALL,
     "Facilities counted: by state, capacity per role and unit, per township (the list's filters)",
     PJ_ROUTE_SHARED},
    {"GET", "/api/v1/facilities/{id}", h_facility_get, R_ALL, "One facility", PJ_ROUTE_SHARED},
    {"PATCH", "/api/v1/facilities/{id}", h_facility_update,
     WRITE_REGISTRY | R(PJ_ROLE_FACILITY_OPERATOR), "Change a facility"},
    {"DELETE", "/api/v1/facilities/{id}", h_facility_delete, WRITE_REGISTRY,
     "Delete a facility in peacetime"},
    {"GET", "/api/v1/audit", h_audit, R_DISTRICT, "The audit trail"},
};

/* The route table: the foundation's routes above, then each module's table (one line per
 * module: its routes live beside its handlers in src/http/h_<module>.c). */
extern const pj_route pj_routes_dualuse[];
extern const int pj_routes_dualuse_count;
extern const pj_route pj_routes_enterprise[];
extern const int pj_routes_enterprise_count;
extern const pj_route pj_routes_eldercare[];
extern const int pj_routes_eldercare_count;
extern const pj_route pj_routes_plan[];
extern const int pj_routes_plan_count;
extern const pj_route pj_routes_indicators[];
extern const int pj_routes_indicators_count;
extern const pj_route pj_routes_ecommerce[];
extern const int pj_routes_ecommerce_count;
extern const pj_route pj_routes_agritech[];
extern const int pj_routes_agritech_count;
extern const pj_route pj_routes_logistics[];
extern const int pj_routes_logistics_count;

static const struct {
    const pj_route *routes;
    const int *count;
} modules[] = {
    {core_routes, NULL},
    {pj_routes_dualuse, &pj_routes_dualuse_count},
    {pj_routes_enterprise, &pj_routes_enterprise_count},
    {pj_routes_eldercare, &pj_routes_eldercare_count},
    {pj_routes_plan, &pj_routes_plan_count},
    {pj_routes_indicators, &pj_routes_indicators_count},
    {pj_routes_ecommerce, &pj_routes_ecommerce_count},
    {pj_routes_agritech, &pj_routes_agritech_count},
    {pj_routes_logistics, &pj_routes_logistics_count},
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
