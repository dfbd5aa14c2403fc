/* Routes of the enterprise module (服务企业): calendar, settings, reception days, dispatch
 * catalogue, appeals and their actions, KPIs, profiles, policies, rule checks, notices, bank
 * products, financing needs and matches (政银企), the cooperation board (企间合作). */
#include <string.h>

#include "core/util.h"
#include "domain/enterprise.h"
#include "domain/input.h"
#include "http/hutil.h"

#include "core/banned.h"

static int ent_params(pj_req *r, pj_ent_filter *f, const char *const *acc)
{
    pj_list_filter lf;
    memset(f, 0, sizeof *f);
    if (pj_h_list_params(r, &lf, acc)) return -1;
    f->limit = lf.limit;
    f->cursor = lf.cursor;
    f->state = lf.state;
    int64_t overdue = 0;
    if (pj_h_q_int(r, "organisation_id", 1, INT64_MAX, &f->organisation_id) ||
        pj_h_q_int(r, "department_id", 1, INT64_MAX, &f->department_id) ||
        pj_h_q_int(r, "policy_id", 1, INT64_MAX, &f->policy_id) ||
        pj_h_q_int(r, "overdue", 0, 1, &overdue) ||
        pj_h_q_int(r, "need_id", 1, INT64_MAX, &f->need_id) ||
        pj_h_q_int(r, "bank_id", 1, INT64_MAX, &f->bank_id) ||
        pj_h_q_int(r, "post_id", 1, INT64_MAX, &f->post_id) ||
        pj_h_q_int(r, "township_id", 1, INT64_MAX, &f->township_id) ||
        pj_h_q_str(r, "kind", &f->kind) || pj_h_q_str(r, "category", &f->category) ||
        pj_h_q_str(r, "channel", &f->channel))
        return -1;
    f->overdue = (int)overdue;
    return 0;
}

static const char *const no_filters[] = {NULL};

static int h_calendar(pj_req *r)
{
    static const char *const acc[] = {"year", NULL};
    int64_t year = 0;
    if (pj_h_q_only(r, acc) ||
        pj_h_q_int(r, "year", PJ_ENT_CAL_YEAR_MIN, PJ_ENT_CAL_YEAR_MAX, &year))
        return -1;
    return pj_ent_calendar_list(&r->ctx, (int)year, &r->w, &r->err);
}
/* 201 when the day is new, 200 when it replaced the day of that date */
static int h_calendar_set(pj_req *r)
{
    int created = 0;
    if (pj_h_need_body(r) || pj_ent_calendar_set(&r->ctx, r->body, &r->w, &created, &r->err))
        return -1;
    return created ? pj_h_created(r) : 0;
}
/* 200 with the reception days the removal leaves on a day off (reception_days_to_move) */
static int h_calendar_delete(pj_req *r)
{
    return pj_ent_calendar_delete(&r->ctx, r->id, &r->w, &r->err);
}
static int h_settings(pj_req *r)
{
    return pj_ent_settings_get(&r->ctx, &r->w, &r->err);
}
static int h_settings_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_settings_update(&r->ctx, r->body, &r->w, &r->err);
}
static int h_receptions(pj_req *r)
{
    static const char *const acc[] = {"state", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) || pj_h_q_enum(r, "state", pj_reception_states, &f.state)
               ? -1
               : pj_ent_reception_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_reception_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_reception_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_reception_schedule(pj_req *r)
{
    /* 201 when days were added; 200 for a year scheduled already (nothing created) */
    int created = 0;
    if (pj_h_need_body(r) || pj_ent_reception_schedule(&r->ctx, r->body, &r->w, &created, &r->err))
        return -1;
    return created ? pj_h_created(r) : 0;
}
static int h_reception_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1
                             : pj_ent_reception_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_signup(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_signup_create(&r->ctx, r->id, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_signup_withdraw(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_signup_withdraw(&r->ctx, r->id, r->body, &r->err)
               ? -1
               : pj_h_no_content(r);
}
static int h_dispatch(pj_req *r)
{
    /* the whole short list, no paging */
    return pj_h_no_query(r) || pj_ent_dispatch_list(&r->ctx, &r->w, &r->err) ? -1 : 0;
}
static int h_dispatch_set(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_dispatch_set(&r->ctx, r->body, &r->w, &r->err);
}
static int h_appeals(pj_req *r)
{
    static const char *const acc[] = {"organisation_id", "department_id", "state", "category",
                                      "channel",         "overdue",       NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) || pj_h_q_enum(r, "state", pj_appeal_states, &f.state) ||
                   pj_h_q_enum(r, "category", pj_appeal_categories, &f.category) ||
                   pj_h_q_enum(r, "channel", pj_appeal_channels, &f.channel)
               ? -1
               : pj_ent_appeal_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_appeal_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_appeal_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_appeal_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_appeal_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
#define ACT(name)                                                                                  \
    static int h_appeal_##name(pj_req *r)                                                          \
    {                                                                                              \
        return pj_h_need_body(r)                                                                   \
                   ? -1                                                                            \
                   : pj_ent_appeal_act(&r->ctx, r->id, #name, r->body, &r->w, &r->err);            \
    }
ACT(dispatch)
ACT(accept)
ACT(return )
ACT(reply)
ACT(rate)
ACT(close)
ACT(escalate)
ACT(visit)
static int h_sweep(pj_req *r)
{
    /* takes nothing: no body, or an empty object */
    static const char *const none[] = {NULL};
    if (r->body && (pj_in_object(r->body, &r->err) || pj_in_only(r->body, none, &r->err)))
        return -1;
    return pj_ent_appeal_sweep(&r->ctx, &r->w, &r->err);
}
static int h_visits(pj_req *r)
{
    pj_ent_filter f;
    return ent_params(r, &f, no_filters) ? -1 : pj_ent_return_visits(&r->ctx, &f, &r->w, &r->err);
}
/* The KPIs' parameters, copied into their job. */
typedef struct kpis_args {
    int64_t from, to;
    int csv;
} kpis_args;

static int kpis_run(pj_ctx *c, const void *args, pj_jw *w, pj_err *err)
{
    const kpis_args *a = args;
    if (!a->csv) return pj_ent_kpis(c, a->from, a->to, w, NULL, err);
    pj_buf csv;
    pj_buf_init(&csv, 4 << 20);
    if (pj_ent_kpis(c, a->from, a->to, NULL, &csv, err)) {
        pj_buf_free(&csv);
        return -1;
    }
    pj_buf_free(w->out);
    *w->out = csv; /* the answer takes the buffer */
    return 0;
}

/* One pass over the period's appeals (128 ms for three years of a district grown for years):
 * on a report worker, not the loop. */
static int h_kpis(pj_req *r)
{
    static const char *const acc[] = {"from", "to", "format", NULL};
    if (pj_h_q_only(r, acc)) return -1;
    const char *from = pj_req_param(r, "from"), *to = pj_req_param(r, "to"),
               *fmt = pj_req_param(r, "format");
    /* an empty value is no value, as for every filter */
    if (to && !*to) to = NULL;
    if (fmt && !*fmt) fmt = NULL;
    int64_t f = 0, t = pj_now() + 1;
    /* a bare date is a day in Pinggu: midnight Beijing time (UTC+8) */
    if (!from || !*from)
        return pj_fail(&r->err, 400, "bad_query", "from", "from is required: YYYY-MM-DD");
    if (pj_time_parse_local(from, &f))
        return pj_fail(&r->err, 400, "bad_query", "from", "from must be a date YYYY-MM-DD");
    if (to && pj_time_parse_local(to, &t))
        return pj_fail(&r->err, 400, "bad_query", "to", "to must be YYYY-MM-DD");
    if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "json"))
        return pj_fail(&r->err, 400, "bad_query", "format", "format is json or csv");
    kpis_args a = {f, t, fmt && !strcmp(fmt, "csv")};
    return pj_h_report_args(r, kpis_run, &a, sizeof a, a.csv ? "text/csv; charset=utf-8" : NULL);
}
static int h_profile(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_profile_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_profile_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_profile_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_rule_check(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_rule_check(&r->ctx, r->body, &r->w, &r->err);
}
static int h_policies(pj_req *r)
{
    static const char *const acc[] = {"organisation_id", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) ? -1 : pj_ent_policy_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_policy_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_policy_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_policy_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_policy_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_policy_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_policy_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_policy_matches(pj_req *r)
{
    pj_ent_filter f;
    return ent_params(r, &f, no_filters)
               ? -1
               : pj_ent_policy_matches(&r->ctx, r->id, &f, &r->w, &r->err);
}
static int h_policy_explain(pj_req *r)
{
    static const char *const acc[] = {"organisation_id", NULL};
    int64_t org = 0;
    if (pj_h_q_only(r, acc) || pj_h_q_int(r, "organisation_id", 1, INT64_MAX, &org)) return -1;
    return pj_ent_policy_explain(&r->ctx, r->id, org, &r->w, &r->err);
}
static int h_notices(pj_req *r)
{
    static const char *const acc[] = {"organisation_id", "policy_id", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) ? -1 : pj_ent_notice_list(&r->ctx, &f, &r->w, &r->err);
}

/* bank–enterprise matching (政银企) */
static int h_products(pj_req *r)
{
    static const char *const acc[] = {"bank_id", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) ? -1 : pj_ent_product_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_product_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_product_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_product_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_product_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_product_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_product_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_needs(pj_req *r)
{
    static const char *const acc[] = {"organisation_id", "state", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) || pj_h_q_enum(r, "state", pj_fin_need_states, &f.state)
               ? -1
               : pj_ent_need_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_need_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_need_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_need_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_need_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_matches(pj_req *r)
{
    static const char *const acc[] = {"organisation_id", "need_id", "bank_id", "state", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) || pj_h_q_enum(r, "state", pj_fin_match_outcomes, &f.state)
               ? -1
               : pj_ent_match_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_match_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_match_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_match_consent(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_match_consent(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_match_outcome(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_match_outcome(&r->ctx, r->id, r->body, &r->w, &r->err);
}

/* cooperation board (企间合作) */
static int h_posts(pj_req *r)
{
    static const char *const acc[] = {"kind",  "category", "township_id", "organisation_id",
                                      "state", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) || pj_h_q_enum(r, "kind", pj_coop_kinds, &f.kind) ||
                   pj_h_q_enum(r, "category", pj_coop_categories, &f.category) ||
                   pj_h_q_enum(r, "state", pj_coop_post_states, &f.state)
               ? -1
               : pj_ent_post_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_post_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_post_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_post_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_post_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_post_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_post_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_post_matches(pj_req *r)
{
    pj_ent_filter f;
    return ent_params(r, &f, no_filters) ? -1
                                         : pj_ent_post_matches(&r->ctx, r->id, &f, &r->w, &r->err);
}
static int h_contact_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ent_contact_create(&r->ctx, r->id, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_contacts(pj_req *r)
{
    static const char *const acc[] = {"organisation_id", "post_id", "state", NULL};
    pj_ent_filter f;
    return ent_params(r, &f, acc) || pj_h_q_enum(r, "state", pj_coop_contact_states, &f.state)
               ? -1
               : pj_ent_contact_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_contact_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ent_contact_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_contact_respond(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ent_contact_respond(&r->ctx, r->id, r->body, &r->w, &r->err);
}

#define OFFICERS (R_DISTRICT | R(PJ_ROLE_TOWNSHIP_OFFICER))
#define ENT_READ (OFFICERS | R(PJ_ROLE_ENTERPRISE) | R(PJ_ROLE_VIEWER))
#define ENT_ACT  (OFFICERS | R(PJ_ROLE_ENTERPRISE))

const pj_route pj_routes_enterprise[] = {
    {"GET", "/api/v1/enterprise/calendar", h_calendar, R_ALL,
     "Holiday calendar: public holidays and make-up working days"},
    {"POST", "/api/v1/enterprise/calendar", h_calendar_set, R_DISTRICT,
     "Mark a day a holiday or a make-up working day"},
    {"DELETE", "/api/v1/enterprise/calendar/{id}", h_calendar_delete, R_DISTRICT,
     "Remove a calendar exception"},
    {"GET", "/api/v1/enterprise/settings", h_settings, ENT_READ, "Deadlines and KPI weights"},
    {"PATCH", "/api/v1/enterprise/settings", h_settings_update, R(PJ_ROLE_ADMIN),
     "Change deadlines and KPI weights"},
    {"GET", "/api/v1/enterprise/reception-days", h_receptions, ENT_READ,
     "Reception days in date order (held_on, then id)"},
    {"POST", "/api/v1/enterprise/reception-days", h_reception_schedule, R_DISTRICT,
     "Schedule a year's reception days (first Mondays, moved off holidays)"},
    {"GET", "/api/v1/enterprise/reception-days/{id}", h_reception_get, ENT_READ,
     "One reception day with its sign-ups"},
    {"PATCH", "/api/v1/enterprise/reception-days/{id}", h_reception_update, R_DISTRICT,
     "Leaders, departments, minutes, state of a reception day"},
    {"POST", "/api/v1/enterprise/reception-days/{id}/signups", h_signup, ENT_ACT,
     "Sign an enterprise up for a reception day with its topic"},
    {"POST", "/api/v1/enterprise/reception-days/{id}/signups/withdraw", h_signup_withdraw, ENT_ACT,
     "Withdraw an enterprise's sign-up while the day is planned"},
    {"GET", "/api/v1/enterprise/dispatch-catalogue", h_dispatch, ENT_READ,
     "Which department handles which category"},
    {"POST", "/api/v1/enterprise/dispatch-catalogue", h_dispatch_set, R_DISTRICT,
     "Map a category to a department"},
    {"GET", "/api/v1/enterprise/appeals", h_appeals, ENT_READ, "Appeals in scope"},
    {"POST", "/api/v1/enterprise/appeals", h_appeal_create, ENT_ACT, "File an appeal"},
    {"GET", "/api/v1/enterprise/appeals/{id}", h_appeal_get, ENT_READ,
     "One appeal with its history"},
    {"POST", "/api/v1/enterprise/appeals/{id}/dispatch", h_appeal_dispatch, OFFICERS,
     "Dispatch to a department (catalogue default)"},
    {"POST", "/api/v1/enterprise/appeals/{id}/accept", h_appeal_accept, OFFICERS,
     "The department takes the appeal on"},
    {"POST", "/api/v1/enterprise/appeals/{id}/return", h_appeal_return, OFFICERS,
     "Return a wrongly dispatched appeal with a reason"},
    {"POST", "/api/v1/enterprise/appeals/{id}/reply", h_appeal_reply, OFFICERS,
     "Reply to the enterprise"},
    {"POST", "/api/v1/enterprise/appeals/{id}/rate", h_appeal_rate, ENT_ACT,
     "Rate the result: closes, or reopens when not satisfied"},
    {"POST", "/api/v1/enterprise/appeals/{id}/close", h_appeal_close, OFFICERS,
     "Close a replied appeal without a rating"},
    {"POST", "/api/v1/enterprise/appeals/{id}/escalate", h_appeal_escalate, OFFICERS,
     "Escalate an overdue appeal"},
    {"POST", "/api/v1/enterprise/appeals/{id}/visit", h_appeal_visit, OFFICERS,
     "Record the return visit (call-back)"},
    {"POST", "/api/v1/enterprise/appeal-sweeps", h_sweep, R_DISTRICT,
     "Escalate every overdue appeal"},
    {"GET", "/api/v1/enterprise/return-visits", h_visits, OFFICERS,
     "Appeals past their deadline awaiting the call-back"},
    {"GET", "/api/v1/enterprise/kpis", h_kpis, OFFICERS | R(PJ_ROLE_VIEWER),
     "Response, resolution, satisfaction, on-time rates; JSON or CSV"},
    {"GET", "/api/v1/enterprise/profiles/{id}", h_profile, ENT_READ,
     "An enterprise's attributes the rules read"},
    {"PATCH", "/api/v1/enterprise/profiles/{id}", h_profile_update, ENT_ACT,
     "Change an enterprise's attributes (rematches every policy)"},
    {"POST", "/api/v1/enterprise/rules/check", h_rule_check, ENT_READ,
     "Parse a rule (column-precise errors); optionally explain it for a firm"},
    {"GET", "/api/v1/enterprise/policies", h_policies, ENT_READ,
     "Policies (an enterprise sees only those it qualifies for)"},
    {"POST", "/api/v1/enterprise/policies", h_policy_create, R_DISTRICT,
     "Add a policy; matches every enterprise, notices the eligible"},
    {"GET", "/api/v1/enterprise/policies/{id}", h_policy_get, ENT_READ, "One policy"},
    {"PATCH", "/api/v1/enterprise/policies/{id}", h_policy_update, R_DISTRICT,
     "Change a policy; notices newly eligible firms"},
    {"GET", "/api/v1/enterprise/policies/{id}/matches", h_policy_matches,
     OFFICERS | R(PJ_ROLE_VIEWER), "Eligible enterprises"},
    {"GET", "/api/v1/enterprise/policies/{id}/explain", h_policy_explain, ENT_READ,
     "Why a firm qualifies (clauses held) or not (near miss)"},
    {"GET", "/api/v1/enterprise/notices", h_notices, ENT_READ,
     "Policy notices (an enterprise: its own)"},
    {"GET", "/api/v1/enterprise/bank-products", h_products, ENT_READ,
     "Banks' financing products (政银企)"},
    {"POST", "/api/v1/enterprise/bank-products", h_product_create,
     R_DISTRICT | R(PJ_ROLE_ENTERPRISE),
     "Publish a financing product (a bank user, or a district officer for a bank)"},
    {"GET", "/api/v1/enterprise/bank-products/{id}", h_product_get, ENT_READ,
     "One financing product"},
    {"PATCH", "/api/v1/enterprise/bank-products/{id}", h_product_update,
     R_DISTRICT | R(PJ_ROLE_ENTERPRISE), "Change a financing product (its bank)"},
    {"GET", "/api/v1/enterprise/financing-needs", h_needs, ENT_READ,
     "Financing needs in scope (a bank: those consented to it)"},
    {"POST", "/api/v1/enterprise/financing-needs", h_need_create, ENT_ACT,
     "Post a financing need; ranks the matching products"},
    {"GET", "/api/v1/enterprise/financing-needs/{id}", h_need_get, ENT_READ,
     "One financing need with its ranked matches"},
    {"GET", "/api/v1/enterprise/financing-matches", h_matches, ENT_READ,
     "Need–product matches in scope (a bank: consented ones only)"},
    {"GET", "/api/v1/enterprise/financing-matches/{id}", h_match_get, ENT_READ,
     "One match with its explanation"},
    {"POST", "/api/v1/enterprise/financing-matches/{id}/consent", h_match_consent,
     R(PJ_ROLE_ENTERPRISE), "The enterprise grants or refuses sharing its data with the bank"},
    {"POST", "/api/v1/enterprise/financing-matches/{id}/outcome", h_match_outcome, ENT_ACT,
     "Track the outcome: applied, approved, rejected, withdrawn"},
    {"GET", "/api/v1/enterprise/coop-posts", h_posts, ENT_READ,
     "Cooperation board: offers and needs (no contact details)"},
    {"POST", "/api/v1/enterprise/coop-posts", h_post_create, ENT_ACT, "Post an offer or a need"},
    {"GET", "/api/v1/enterprise/coop-posts/{id}", h_post_get, ENT_READ, "One cooperation post"},
    {"PATCH", "/api/v1/enterprise/coop-posts/{id}", h_post_update, ENT_ACT,
     "Correct, close or reopen a post (its enterprise, officers in scope)"},
    {"GET", "/api/v1/enterprise/coop-posts/{id}/matches", h_post_matches, ENT_READ,
     "Counterpart posts: other kind, same category, same township first"},
    {"POST", "/api/v1/enterprise/coop-posts/{id}/contacts", h_contact_create, ENT_ACT,
     "Ask the post's enterprise for contact"},
    {"GET", "/api/v1/enterprise/coop-contacts", h_contacts, ENT_READ,
     "Contact requests sent or received (details once accepted)"},
    {"GET", "/api/v1/enterprise/coop-contacts/{id}", h_contact_get, ENT_READ,
     "One contact request"},
    {"POST", "/api/v1/enterprise/coop-contacts/{id}/respond", h_contact_respond,
     R(PJ_ROLE_ENTERPRISE), "The receiver accepts or declines (reveals contact details)"},
};
const int pj_routes_enterprise_count =
    (int)(sizeof pj_routes_enterprise / sizeof pj_routes_enterprise[0]);
