/* Routes of the emergency planner: make, list, fetch, compare and adopt plans; record and list
 * the shipments of an adopted plan's supply flows. */
#include <string.h>

#include "core/util.h"
#include "domain/plan.h"
#include "http/hutil.h"

#include "core/banned.h"

static int h_plans(pj_req *r)
{
    static const char *const acc[] = {"status", "facility_id", NULL};
    pj_list_filter f;
    const char *status = NULL;
    int64_t fid = 0;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_enum(r, "status", pj_plan_statuses, &status) ||
        pj_h_q_int(r, "facility_id", 1, INT64_MAX, &fid))
        return -1;
    return pj_plan_list(&r->ctx, status, fid, f.cursor, f.limit, &r->w, &r->err);
}
/* Default: validated at once, solved by the planner's worker: 202 with the plan 'solving' and
 * its progress. ?wait=1: the same, but the answer waits for the outcome (201 with the solved
 * plan, or the error it failed with) while the server goes on serving others. Without a
 * worker pool (in-process use) the plan is solved inside the call. */
static int h_plan_create(pj_req *r)
{
    int64_t wait = 0;
    for (int i = 0; i < r->nquery; i++)
        if (strcmp(r->query[i].key, "wait") && r->query[i].key[0] != '_')
            return pj_fail(&r->err, 400, "unknown_parameter", r->query[i].key,
                           "unknown parameter %s", r->query[i].key);
    if (pj_h_q_int(r, "wait", 0, 1, &wait) || pj_h_need_body(r)) return -1;
    pj_plan_pool *pool = pj_plan_pool_current();
    if (!pool) return pj_plan_create(&r->ctx, r->body, NULL, &r->w, &r->err) ? -1 : pj_h_created(r);
    int64_t id = 0;
    if (pj_plan_submit(&r->ctx, pool, r->body, &id, &r->w, &r->err)) return -1;
    r->status = 202;
    if (wait) {
        r->wait_plan = id;
        r->status = 201;
    }
    return 0;
}
static int h_plan_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_plan_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_plan_compare(pj_req *r)
{
    int64_t a = 0, b = 0;
    for (int i = 0; i < r->nquery; i++)
        if (strcmp(r->query[i].key, "a") && strcmp(r->query[i].key, "b") &&
            r->query[i].key[0] != '_')
            return pj_fail(&r->err, 400, "unknown_parameter", r->query[i].key,
                           "unknown parameter %s", r->query[i].key);
    if (pj_h_q_int(r, "a", 1, INT64_MAX, &a) || pj_h_q_int(r, "b", 1, INT64_MAX, &b)) return -1;
    if (!a || !b)
        return pj_fail(&r->err, 400, "bad_query", a ? "b" : "a", "give two plan ids: ?a=ID&b=ID");
    return pj_plan_compare(&r->ctx, a, b, &r->w, &r->err);
}
static int h_plan_adopt(pj_req *r)
{
    return pj_plan_adopt(&r->ctx, r->id, r->body, &r->w, &r->err);
}

static int h_plan_close(pj_req *r)
{
    return pj_h_need_body(r) || pj_plan_close(&r->ctx, r->id, r->body, &r->w, &r->err);
}

static int h_plan_ship(pj_req *r)
{
    return pj_h_need_body(r) || pj_plan_ship(&r->ctx, r->id, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_plan_shipments(pj_req *r)
{
    static const char *const acc[] = {NULL};
    pj_list_filter f;
    if (pj_h_list_params(r, &f, acc)) return -1;
    return pj_plan_shipments(&r->ctx, r->id, f.cursor, f.limit, &r->w, &r->err);
}

/* The {sid} of /plans/{id}/shipments/{sid}/void (the router reads the id only); 0 when it is
 * no id. */
static int h_plan_shipment_void(pj_req *r)
{
    const char *p = strstr(r->path, "/shipments/");
    p = p ? p + 11 : "";
    const char *seg = pj_arena_strndup(&r->arena, p, strcspn(p, "/"));
    int64_t sid = 0;
    if (pj_parse_i64(seg, &sid) || sid <= 0) sid = 0; /* 400 bad_id once the body is read */
    return pj_h_need_body(r) ? -1
                             : pj_plan_shipment_void(&r->ctx, r->id, sid, r->body, &r->w, &r->err);
}

#define READERS  (R_ALL & ~R(PJ_ROLE_ENTERPRISE))
#define PLANNERS (R_DISTRICT | R(PJ_ROLE_TOWNSHIP_OFFICER))
/* the store's scope (as for its stock lines) is checked by pj_plan_ship */
#define SHIPPERS (PLANNERS | R(PJ_ROLE_FACILITY_OPERATOR))

/* compare before {id}: the first route whose path matches wins */
const pj_route pj_routes_plan[] = {
    {"GET", "/api/v1/plans", h_plans, READERS, "Emergency plans, newest first"},
    {"POST", "/api/v1/plans", h_plan_create, PLANNERS,
     "Plan a scenario (solved in the background: 202; ?wait=1: 201 once solved)", PJ_ROUTE_Q_WAIT},
    {"GET", "/api/v1/plans/compare", h_plan_compare, READERS, "Two plans side by side"},
    {"GET", "/api/v1/plans/{id}", h_plan_get, READERS, "One plan with its request and result"},
    {"POST", "/api/v1/plans/{id}/adopt", h_plan_adopt, R_DISTRICT,
     "Adopt a draft plan: start the conversions of its sites"},
    {"POST", "/api/v1/plans/{id}/close", h_plan_close, R_DISTRICT,
     "Close an adopted plan when its crisis is over (its people, holds and flows released), or set "
     "a"
     " draft aside"},
    {"GET", "/api/v1/plans/{id}/shipments", h_plan_shipments, READERS,
     "The shipments of a plan's supply flows, newest first"},
    {"POST", "/api/v1/plans/{id}/shipments", h_plan_ship, SHIPPERS,
     "Record a shipment of an adopted plan's supply flow (taken off the store's stock)"},
    {"POST", "/api/v1/plans/{id}/shipments/{sid}/void", h_plan_shipment_void, SHIPPERS,
     "Void a shipment recorded in error: its quantity back on the store's stock lines"},
};
const int pj_routes_plan_count = (int)(sizeof pj_routes_plan / sizeof pj_routes_plan[0]);
