/* Routes of the eldercare module (互助养老): elders, helpers, pairing runs and pairs, service
 * logs, time-credit accounts, alerts, centres, the coverage report and the vulnerable list.
 * Each handler translates HTTP to one domain call (src/domain/elder*.c). */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/elder.h"
#include "domain/input.h"
#include "http/hutil.h"

#include "core/banned.h"

/* format=json|csv: 1 for csv, 0 for json, -1 (400) otherwise. */
static int want_csv(pj_req *r)
{
    const char *f = pj_req_param(r, "format");
    if (!f || !*f || !strcmp(f, "json")) return 0;
    if (!strcmp(f, "csv")) return 1;
    return pj_fail(&r->err, 400, "bad_query", "format", "format is json or csv");
}

/* A period bound: a time "YYYY-MM-DDTHH:MM:SSZ" as given, or a bare date as a day in Pinggu,
 * its first instant in Beijing time (UTC+8), as the enterprise KPIs read `from` and `to`. */
static int q_time(pj_req *r, const char *key, int64_t *out)
{
    const char *v = pj_req_param(r, key);
    if (!v || !*v) return 0;
    if (pj_time_parse_local(v, out))
        return pj_fail(&r->err, 400, "bad_query", key,
                       "%s must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, of the years 1900 to 2200",
                       key);
    return 0;
}

static int q_flag(pj_req *r, const char *key, int *out)
{
    int64_t v = 0;
    if (pj_h_q_int(r, key, 0, 1, &v)) return -1;
    *out = (int)v;
    return 0;
}

/* ---- elders and helpers ---- */

static int h_elders(pj_req *r)
{
    static const char *const acc[] = {
        "region_id",    "visit_tier", "status",        "q",          "vulnerable",
        "unpaired",     "reveal",     "living_alone",  "empty_nest", "disabled",
        "no_meals",     "no_doctor",  "ability_level", "view",       "visit_overdue",
        "visit_due_by", NULL};
    pj_list_filter lf;
    pj_elder_filter f = {.ability_level = -1};
    const char *view = NULL;
    if (pj_h_list_params(r, &lf, acc) || pj_h_q_int(r, "region_id", 1, INT64_MAX, &f.region_id) ||
        pj_h_q_enum(r, "visit_tier", pj_visit_tiers, &f.visit_tier) ||
        pj_h_q_enum(r, "status", pj_elder_statuses, &f.status) ||
        q_flag(r, "vulnerable", &f.vulnerable_only) || q_flag(r, "unpaired", &f.unpaired_only) ||
        q_flag(r, "reveal", &f.reveal) || q_flag(r, "living_alone", &f.living_alone) ||
        q_flag(r, "empty_nest", &f.empty_nest) || q_flag(r, "disabled", &f.disabled) ||
        q_flag(r, "no_meals", &f.no_meals) || q_flag(r, "no_doctor", &f.no_doctor) ||
        pj_h_q_int(r, "ability_level", 0, 4, &f.ability_level) || pj_h_q_str(r, "view", &view) ||
        q_flag(r, "visit_overdue", &f.visit_overdue) ||
        pj_h_q_str(r, "visit_due_by", &f.visit_due_by))
        return -1;
    f.ability_set = f.ability_level >= 0;
    if (view && strcmp(view, "list") && strcmp(view, "full"))
        return pj_fail(&r->err, 400, "bad_query", "view", "view is list or full");
    f.full = view && !strcmp(view, "full");
    f.q = lf.q, f.cursor = lf.cursor, f.limit = lf.limit;
    return pj_elder_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_elder_get(pj_req *r)
{
    static const char *const acc[] = {"reveal", NULL};
    pj_list_filter lf;
    int reveal = 0;
    if (pj_h_filter_params(r, &lf, acc) || q_flag(r, "reveal", &reveal)) return -1;
    return pj_elder_get(&r->ctx, r->id, reveal, &r->w, &r->err);
}
static int h_elder_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_elder_create(&r->ctx, r->body, &r->w, &r->err) ? -1
                                                                                  : pj_h_created(r);
}
static int h_elder_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_elder_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_helpers(pj_req *r)
{
    static const char *const acc[] = {"region_id", "skill", "skills", "sex", "q",
                                      "active",    "free",  "reveal", NULL};
    pj_list_filter lf;
    pj_helper_filter f = {0};
    if (pj_h_list_params(r, &lf, acc) || pj_h_q_int(r, "region_id", 1, INT64_MAX, &f.region_id) ||
        pj_h_q_str(r, "skill", &f.skill) || pj_h_q_str(r, "skills", &f.skills) ||
        pj_h_q_enum(r, "sex", pj_elder_sexes, &f.sex) || q_flag(r, "active", &f.active_only) ||
        q_flag(r, "free", &f.free_only) || q_flag(r, "reveal", &f.reveal))
        return -1;
    f.q = lf.q, f.cursor = lf.cursor, f.limit = lf.limit;
    return pj_helper_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_helper_get(pj_req *r)
{
    static const char *const acc[] = {"reveal", NULL};
    pj_list_filter lf;
    int reveal = 0;
    if (pj_h_filter_params(r, &lf, acc) || q_flag(r, "reveal", &reveal)) return -1;
    return pj_helper_get(&r->ctx, r->id, reveal, &r->w, &r->err);
}
static int h_helper_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_helper_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_helper_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_helper_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}

/* ---- pairing ---- */

static int h_runs(pj_req *r)
{
    static const char *const acc[] = {NULL};
    pj_list_filter f;
    return pj_h_list_params(r, &f, acc)
               ? -1
               : pj_pair_run_list(&r->ctx, f.cursor, f.limit, &r->w, &r->err);
}
static int h_run_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_pair_run_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_run_get(pj_req *r)
{
    static const char *const acc[] = {"state", NULL};
    pj_list_filter f;
    return pj_h_list_params(r, &f, acc) || pj_h_q_enum(r, "state", pj_proposal_states, &f.state)
               ? -1
               : pj_pair_run_get(&r->ctx, r->id, f.state, f.cursor, f.limit, &r->w, &r->err);
}
static int h_run_accept(pj_req *r)
{
    return pj_pair_run_decide(&r->ctx, r->id, "accept", r->body, &r->w, &r->err);
}
static int h_run_reject(pj_req *r)
{
    return pj_pair_run_decide(&r->ctx, r->id, "reject", r->body, &r->w, &r->err);
}
static int h_proposal_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1
                             : pj_pair_proposal_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_pairs(pj_req *r)
{
    static const char *const acc[] = {"elder_id", "helper_id", "state", "order", NULL};
    pj_list_filter f;
    int64_t eid = 0, hid = 0;
    const char *order = NULL;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "elder_id", 1, INT64_MAX, &eid) ||
        pj_h_q_int(r, "helper_id", 1, INT64_MAX, &hid) ||
        pj_h_q_enum(r, "state", pj_pair_states, &f.state) ||
        pj_h_q_enum(r, "order", pj_list_orders, &order))
        return -1;
    return pj_pair_list(&r->ctx, eid, hid, f.state, order && !strcmp(order, "newest"), f.cursor,
                        f.limit, &r->w, &r->err);
}
static int h_pair_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_pair_create(&r->ctx, r->body, &r->w, &r->err) ? -1
                                                                                 : pj_h_created(r);
}
static int h_pair_end(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_pair_end(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_requests(pj_req *r)
{
    static const char *const acc[] = {"state", "elder_id", NULL};
    pj_list_filter f;
    int64_t eid = 0;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "elder_id", 1, INT64_MAX, &eid) ||
        pj_h_q_enum(r, "state", pj_pair_request_states, &f.state))
        return -1;
    return pj_pair_request_list(&r->ctx, f.state, eid, f.cursor, f.limit, &r->w, &r->err);
}
static int h_request_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_pair_request_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_request_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_pair_request_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
#define H_DECIDE(name, action)                                                                     \
    static int name(pj_req *r)                                                                     \
    {                                                                                              \
        return pj_h_need_body(r)                                                                   \
                   ? -1                                                                            \
                   : pj_pair_request_decide(&r->ctx, r->id, action, r->body, &r->w, &r->err);      \
    }
H_DECIDE(h_request_accept, "accept")
H_DECIDE(h_request_decline, "decline")
H_DECIDE(h_request_withdraw, "withdraw")

/* ---- service logs and credits ---- */

static int h_logs(pj_req *r)
{
    static const char *const acc[] = {"elder_id", "helper_id", "kind", "since",
                                      "until",    "voided",    NULL};
    pj_list_filter f;
    int64_t eid = 0, hid = 0, since = 0, until = 0, voided = -1;
    const char *kind = NULL;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "elder_id", 1, INT64_MAX, &eid) ||
        pj_h_q_int(r, "helper_id", 1, INT64_MAX, &hid) ||
        pj_h_q_enum(r, "kind", pj_service_kinds, &kind) || q_time(r, "since", &since) ||
        q_time(r, "until", &until) || pj_h_q_int(r, "voided", 0, 1, &voided))
        return -1;
    if (since && until && since > until)
        return pj_q_range_fail("since", pj_req_param(r, "since"), "until", pj_req_param(r, "until"),
                               &r->err);
    return pj_service_log_list(&r->ctx, eid, hid, kind, since, until, (int)voided, f.cursor,
                               f.limit, &r->w, &r->err);
}
static int h_log_void(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_service_log_void(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_log_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_service_log_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_account(pj_req *r)
{
    static const char *const acc[] = {NULL};
    pj_list_filter f;
    return pj_h_list_params(r, &f, acc)
               ? -1
               : pj_credit_account_get(&r->ctx, r->id, f.cursor, f.limit, &r->w, &r->err);
}
static int h_redeem(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_credit_redeem(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_transfer(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_credit_transfer(&r->ctx, r->id, r->body, &r->w, &r->err);
}
/* It sums every credit entry ever made (1.3 s on a district grown for years): on a report
 * worker, not the loop. */
static int h_bank_check(pj_req *r)
{
    return pj_h_report(r, pj_credit_check);
}

/* ---- alerts ---- */

static int h_alerts(pj_req *r)
{
    static const char *const acc[] = {"state", "kind", "level", "elder_id", NULL};
    pj_list_filter f;
    const char *kind = NULL, *level = NULL;
    int64_t eid = 0;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_enum(r, "state", pj_alert_states, &f.state) ||
        pj_h_q_enum(r, "kind", pj_alert_kinds, &kind) ||
        pj_h_q_enum(r, "level", pj_alert_levels, &level) ||
        pj_h_q_int(r, "elder_id", 1, INT64_MAX, &eid))
        return -1;
    return pj_alert_list(&r->ctx, f.state, kind, level, eid, f.cursor, f.limit, &r->w, &r->err);
}
static int h_alert_scan(pj_req *r)
{
    /* body {"at": time} optional: scan as of a past time (tests, catching up) */
    static const char *const fields[] = {"at", NULL};
    int64_t at = pj_now();
    const char *v = NULL;
    if (r->body && (pj_in_object(r->body, &r->err) || pj_in_only(r->body, fields, &r->err) ||
                    pj_in_str(r->body, "at", 0, 1, 40, &v, &r->err) < 0))
        return -1;
    /* a bare date is that day's start in Beijing, as every date a person gives */
    if (v && pj_time_parse_local(v, &at))
        return pj_fail(&r->err, 422, "invalid_value", "at",
                       "at must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, of the years 1900 to 2200");
    return pj_alert_scan(&r->ctx, at, &r->w, &r->err);
}
static int h_alert_ack(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_alert_action(&r->ctx, r->id, "ack", r->body, &r->w, &r->err);
}
static int h_alert_resolve(pj_req *r)
{
    return pj_h_need_body(r) ? -1
                             : pj_alert_action(&r->ctx, r->id, "resolve", r->body, &r->w, &r->err);
}

/* ---- centres ---- */

static int h_centres(pj_req *r)
{
    static const char *const acc[] = {"kind", "township_id", NULL};
    pj_list_filter f;
    const char *kind = NULL;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_str(r, "kind", &kind)) return -1;
    return pj_centre_list(&r->ctx, kind, f.township_id, f.cursor, f.limit, &r->w, &r->err);
}
static int h_centre_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_centre_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_centre_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_centre_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_centre_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_centre_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_centre_delete(pj_req *r)
{
    return pj_centre_delete(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);
}

/* ---- reports ---- */

/* The coverage report's parameters, copied into its job. */
typedef struct coverage_args {
    char group[16]; /* one of pj_coverage_groups, "" = the default */
    int64_t region, since, until;
    int csv;
} coverage_args;

static int coverage_run(pj_ctx *c, const void *args, pj_jw *w, pj_err *err)
{
    const coverage_args *a = args;
    const char *group = a->group[0] ? a->group : NULL;
    if (!a->csv) return pj_elder_coverage(c, group, a->region, a->since, a->until, w, NULL, err);
    pj_buf b;
    pj_buf_init(&b, 16 << 20);
    if (pj_elder_coverage(c, group, a->region, a->since, a->until, NULL, &b, err)) {
        pj_buf_free(&b);
        return -1;
    }
    pj_buf_free(w->out);
    *w->out = b; /* the answer takes the buffer */
    return 0;
}

/* It reads the period's service logs and alerts of the whole district (240 ms on one grown for
 * years): on a report worker, not the loop. */
static int h_coverage(pj_req *r)
{
    static const char *const acc[] = {"group", "region_id", "since", "until", "format", NULL};
    pj_list_filter f;
    const char *group = NULL;
    coverage_args a;
    memset(&a, 0, sizeof a);
    if (pj_h_filter_params(r, &f, acc) || pj_h_q_str(r, "group", &group) ||
        pj_h_q_int(r, "region_id", 1, INT64_MAX, &a.region) || q_time(r, "since", &a.since) ||
        q_time(r, "until", &a.until) || (a.csv = want_csv(r)) < 0 ||
        /* checked here too (as the report would, after the others): so that it fits a.group */
        pj_q_enum("group", group, pj_coverage_groups, &r->err))
        return -1;
    /* the report reads 0 as "not given" (the last 30 days, now): a bound at or before the
     * epoch (since=1970-01-01 is 1969-12-31T16:00:00Z) was replaced by the default, unsaid */
    static const char *const bound[] = {"since", "until"};
    int64_t *at[] = {&a.since, &a.until};
    for (int k = 0; k < 2; k++)
        if (pj_req_param(r, bound[k]) && *pj_req_param(r, bound[k]) && *at[k] <= 0)
            return pj_fail(&r->err, 400, "bad_query", bound[k],
                           "%s must be after 1970-01-01T00:00:00Z", bound[k]);
    if (group) snprintf(a.group, sizeof a.group, "%s", group);
    return pj_h_report_args(r, coverage_run, &a, sizeof a,
                            a.csv ? "text/csv; charset=utf-8" : NULL);
}
/* The vulnerable list's CSV, its parameters copied into its job. */
typedef struct vulnerable_args {
    int64_t region;
    int reveal;
} vulnerable_args;
static int vulnerable_csv_run(pj_ctx *c, const void *args, pj_jw *w, pj_err *err)
{
    const vulnerable_args *a = args;
    pj_buf b;
    pj_buf_init(&b, 64 << 20);
    if (pj_vulnerable_list(c, a->region, a->reveal, 0, 0, NULL, &b, err)) {
        pj_buf_free(&b);
        return -1;
    }
    pj_buf_free(w->out);
    *w->out = b; /* the answer takes the buffer */
    return 0;
}

/* The CSV is every vulnerable elder of the area, a row read for each (0.4–0.5 s for the
 * demo's district): it runs on a report worker, not the loop. With reveal=1 it shows every
 * elder's and paired helper's number: the worker collects what it showed, and the loop writes
 * a read_unmasked audit row for each, in one short transaction, before the CSV is sent
 * (pj_h_report_audited). */
static int h_vulnerable(pj_req *r)
{
    static const char *const acc[] = {"region_id", "reveal", "format", NULL};
    pj_list_filter f;
    vulnerable_args a = {0};
    int csv;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "region_id", 1, INT64_MAX, &a.region) ||
        q_flag(r, "reveal", &a.reveal) || (csv = want_csv(r)) < 0)
        return -1;
    if (!csv)
        return pj_vulnerable_list(&r->ctx, a.region, a.reveal, f.cursor, f.limit, &r->w, NULL,
                                  &r->err);
    /* the CSV is the whole list: a page asked for (limit=2&reveal=1) would unmask and audit
     * every elder of the area while the caller meant two */
    static const char *const paging[] = {"limit", "cursor"};
    for (int i = 0; i < 2; i++)
        if (pj_req_param(r, paging[i]))
            return pj_fail(&r->err, 400, "unknown_parameter", paging[i],
                           "the CSV is the whole list: %s does not apply with format=csv",
                           paging[i]);
    return (a.reveal ? pj_h_report_audited : pj_h_report_args)(r, vulnerable_csv_run, &a, sizeof a,
                                                               "text/csv; charset=utf-8");
}

#define PERSONAL (R_DISTRICT | R(PJ_ROLE_TOWNSHIP_OFFICER) | R(PJ_ROLE_GRID_WORKER))
#define OFFICERS (R_DISTRICT | R(PJ_ROLE_TOWNSHIP_OFFICER))
#define OFFICIAL (R_ALL & ~R(PJ_ROLE_ENTERPRISE))
#define REPORTS  (PERSONAL | R(PJ_ROLE_VIEWER))

const pj_route pj_routes_eldercare[] = {
    {"GET", "/api/v1/elders", h_elders, PERSONAL, "Elders in one's scope (masked numbers)",
     PJ_ROUTE_PER_USER},
    {"POST", "/api/v1/elders", h_elder_create, PERSONAL, "Register an elder"},
    {"GET", "/api/v1/elders/{id}", h_elder_get, PERSONAL,
     "One elder (reveal=1: unmasked, audited)"},
    {"PATCH", "/api/v1/elders/{id}", h_elder_update, PERSONAL, "Update an elder"},
    {"GET", "/api/v1/helpers", h_helpers, PERSONAL, "Helpers in one's scope"},
    {"POST", "/api/v1/helpers", h_helper_create, PERSONAL, "Register a helper"},
    {"GET", "/api/v1/helpers/{id}", h_helper_get, PERSONAL, "One helper"},
    {"PATCH", "/api/v1/helpers/{id}", h_helper_update, PERSONAL, "Update a helper"},
    {"GET", "/api/v1/pairing-runs", h_runs, OFFICERS, "Pairing runs"},
    {"POST", "/api/v1/pairing-runs", h_run_create, OFFICERS,
     "Propose pairings for a region (min-cost flow)"},
    {"GET", "/api/v1/pairing-runs/{id}", h_run_get, OFFICERS,
     "A pairing run with its proposals and reasons"},
    {"POST", "/api/v1/pairing-runs/{id}/accept", h_run_accept, OFFICERS,
     "Accept proposals (all open, or the ids given)"},
    {"POST", "/api/v1/pairing-runs/{id}/reject", h_run_reject, OFFICERS,
     "Reject proposals (all open, or the ids given)"},
    {"PATCH", "/api/v1/pair-proposals/{id}", h_proposal_update, OFFICERS,
     "Edit a proposal: another helper"},
    {"GET", "/api/v1/pairs", h_pairs, PERSONAL, "Pairs and their history"},
    {"POST", "/api/v1/pairs", h_pair_create, OFFICERS, "Pair an elder with a helper by hand"},
    {"POST", "/api/v1/pairs/{id}/end", h_pair_end, OFFICERS, "End a pair"},
    {"GET", "/api/v1/pair-requests", h_requests, PERSONAL,
     "Pairing requests of grid workers, newest first (state, elder_id)"},
    {"POST", "/api/v1/pair-requests", h_request_create, R(PJ_ROLE_GRID_WORKER),
     "Ask for an elder of one's grids to be paired with a helper"},
    {"GET", "/api/v1/pair-requests/{id}", h_request_get, PERSONAL, "One pairing request"},
    {"POST", "/api/v1/pair-requests/{id}/accept", h_request_accept, OFFICERS,
     "Accept a pairing request: the pair is made (version, start_date)"},
    {"POST", "/api/v1/pair-requests/{id}/decline", h_request_decline, OFFICERS,
     "Decline a pairing request with a reason (version, note)"},
    {"POST", "/api/v1/pair-requests/{id}/withdraw", h_request_withdraw, R(PJ_ROLE_GRID_WORKER),
     "Withdraw a pairing request still waiting (version)"},
    {"GET", "/api/v1/service-logs", h_logs, PERSONAL, "Service logs, newest first"},
    {"POST", "/api/v1/service-logs", h_log_create, PERSONAL,
     "Log a service (or a batch: quick entry); earns the helper time credits"},
    {"POST", "/api/v1/service-logs/{id}/void", h_log_void, PERSONAL,
     "Void a log entered by mistake (reason); its credits are taken back"},
    {"GET", "/api/v1/credit-accounts/{id}", h_account, PERSONAL,
     "A time-credit account with its entries"},
    {"POST", "/api/v1/credit-accounts/{id}/redeem", h_redeem, OFFICERS,
     "Redeem credits for the owner's own care (age ≥ 60)"},
    {"POST", "/api/v1/credit-accounts/{id}/transfer", h_transfer, OFFICERS,
     "Transfer credits to a direct relative"},
    {"GET", "/api/v1/time-bank/check", h_bank_check, R_DISTRICT,
     "The ledger's invariants (sum of balances 0, no drift)"},
    {"GET", "/api/v1/elder-alerts", h_alerts, PERSONAL, "Alerts in one's scope"},
    {"POST", "/api/v1/elder-alerts/scan", h_alert_scan, R_DISTRICT,
     "Raise due alerts and escalate unacknowledged ones"},
    {"POST", "/api/v1/elder-alerts/{id}/ack", h_alert_ack, PERSONAL, "Acknowledge an alert"},
    {"POST", "/api/v1/elder-alerts/{id}/resolve", h_alert_resolve, PERSONAL,
     "Resolve an alert with a note"},
    {"GET", "/api/v1/elder-centres", h_centres, OFFICIAL, "Village and township centres"},
    {"POST", "/api/v1/elder-centres", h_centre_create, OFFICERS, "Add a centre"},
    {"GET", "/api/v1/elder-centres/{id}", h_centre_get, OFFICIAL, "One centre"},
    {"PATCH", "/api/v1/elder-centres/{id}", h_centre_update, OFFICERS,
     "Update a centre (status, checklist, occupancy)"},
    {"DELETE", "/api/v1/elder-centres/{id}", h_centre_delete, OFFICERS,
     "Delete a centre entered by mistake (none with residents)"},
    {"GET", "/api/v1/eldercare/coverage", h_coverage, REPORTS,
     "Coverage of the three needs, visits, alerts, helpers (format=json|csv)"},
    {"GET", "/api/v1/eldercare/vulnerable", h_vulnerable, PERSONAL,
     "The vulnerable-person list for an area (format=json|csv)"},
};
const int pj_routes_eldercare_count =
    (int)(sizeof pj_routes_eldercare / sizeof pj_routes_eldercare[0]);
