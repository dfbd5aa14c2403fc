/* Routes of the dual-use module: standards, team types, manuals, conversions, drills,
 * findings, stock lines and the emergency overview. */
#include <string.h>

#include "domain/dualuse.h"
#include "domain/input.h"
#include "domain/record.h"
#include "domain/registry.h"
#include "http/hrec.h"
#include "http/hutil.h"

#include "core/banned.h"

static const char *fmt_param(pj_req *r)
{
    const char *f = pj_req_param(r, "format");
    return f && *f ? f : "json";
}

static int csv_reply(pj_req *r, pj_buf *csv)
{
    pj_buf_free(&r->out);
    r->out = *csv; /* the reply takes the buffer */
    r->content_type = "text/csv; charset=utf-8";
    return 0;
}

static int h_standards(pj_req *r)
{
    static const char *const acc[] = {"facility_type", "scenario", "role", "in_force", NULL};
    pj_list_filter f;
    const char *ftype = NULL, *scn = NULL;
    int64_t in_force = 0; /* 1 or 0: "true" or "yes" is refused, not read as every version */
    if (pj_h_list_params(r, &f, acc) ||
        pj_h_q_enum(r, "facility_type", pj_facility_types, &ftype) ||
        pj_h_q_enum(r, "scenario", pj_scenarios, &scn) ||
        pj_h_q_enum(r, "role", pj_emergency_roles, &f.role) ||
        pj_h_q_int(r, "in_force", 0, 1, &in_force))
        return -1;
    return pj_standard_list(&r->ctx, ftype, scn, f.role, (int)in_force, f.cursor, f.limit, &r->w,
                            &r->err);
}
static int h_standard_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_standard_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_standard_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_standard_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_team_types(pj_req *r)
{
    /* the whole short list, no paging */
    return pj_h_no_query(r) || pj_team_type_list(&r->ctx, &r->w, &r->err) ? -1 : 0;
}
static int h_team_type_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_team_type_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_team_type_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_team_type_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
/* ?version=N, the version of the team type the client read */
static int h_team_type_delete(pj_req *r)
{
    static const char *const acc[] = {"version", NULL};
    int64_t version = 0;
    if (pj_h_q_only(r, acc) || pj_h_q_int(r, "version", 1, INT64_MAX, &version)) return -1;
    if (!version)
        return pj_fail(&r->err, 400, "bad_query", "version",
                       "version is required: the version of the team type you read (?version=N)");
    return pj_team_type_delete(&r->ctx, r->id, version, &r->err) ? -1 : pj_h_no_content(r);
}

static int h_manuals(pj_req *r)
{
    static const char *const acc[] = {"facility_id", "scenario", "latest", NULL};
    pj_list_filter f;
    int64_t fid = 0, latest = 0;
    const char *scn = NULL;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "facility_id", 1, INT64_MAX, &fid) ||
        pj_h_q_enum(r, "scenario", pj_scenarios, &scn) || pj_h_q_int(r, "latest", 0, 1, &latest))
        return -1;
    return pj_manual_list(&r->ctx, fid, scn, (int)latest, f.cursor, f.limit, &r->w, &r->err);
}
static int h_manual_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_manual_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_manual_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_manual_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_manual_export(pj_req *r)
{
    static const char *const acc[] = {"format", NULL};
    if (pj_h_q_only(r, acc)) return -1;
    const char *f = fmt_param(r);
    if (!strcmp(f, "json")) return pj_manual_get(&r->ctx, r->id, &r->w, &r->err);
    if (strcmp(f, "csv"))
        return pj_fail(&r->err, 400, "bad_query", "format", "format is json or csv");
    pj_buf csv;
    pj_buf_init(&csv, 8 << 20);
    if (pj_manual_export_csv(&r->ctx, r->id, &csv, &r->err)) {
        pj_buf_free(&csv);
        return -1;
    }
    return csv_reply(r, &csv);
}

static int h_conversions(pj_req *r)
{
    static const char *const acc[] = {"facility_id", "township_id", "plan_id",
                                      "mode",        "state",       NULL};
    pj_list_filter f;
    int64_t fid = 0, tid = 0, pid = 0;
    const char *mode = NULL;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "facility_id", 1, INT64_MAX, &fid) ||
        pj_h_q_int(r, "township_id", 1, INT64_MAX, &tid) ||
        pj_h_q_int(r, "plan_id", 1, INT64_MAX, &pid) ||
        pj_h_q_enum(r, "mode", pj_conversion_modes, &mode) ||
        pj_h_q_enum(r, "state", pj_conversion_states, &f.state))
        return -1;
    return pj_conversion_list(&r->ctx, fid, tid, pid, mode, f.state, f.cursor, f.limit, &r->w,
                              &r->err);
}
static int h_conversion_start(pj_req *r)
{
    return pj_h_need_body(r) || pj_conversion_start(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_conversion_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_conversion_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_conversion_restore(pj_req *r)
{
    return pj_conversion_action(&r->ctx, r->id, "restore", r->body, &r->w, &r->err);
}
static int h_conversion_abort(pj_req *r)
{
    return pj_h_need_body(r)
               ? -1
               : pj_conversion_action(&r->ctx, r->id, "abort", r->body, &r->w, &r->err);
}
static int h_conversion_timeline(pj_req *r)
{
    return pj_h_no_query(r) || pj_conversion_timeline(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_step_start(pj_req *r)
{
    return pj_conversion_step_action(&r->ctx, r->id, "start", r->body, &r->w, &r->err);
}
static int h_step_finish(pj_req *r)
{
    return pj_conversion_step_action(&r->ctx, r->id, "finish", r->body, &r->w, &r->err);
}
static int h_step_sign(pj_req *r)
{
    return pj_h_need_body(r)
               ? -1
               : pj_conversion_step_action(&r->ctx, r->id, "sign", r->body, &r->w, &r->err);
}
static int h_drill_report(pj_req *r)
{
    static const char *const acc[] = {"format", NULL};
    if (pj_h_q_only(r, acc)) return -1;
    const char *f = fmt_param(r);
    if (!strcmp(f, "json")) return pj_drill_report(&r->ctx, r->id, &r->w, &r->err);
    if (strcmp(f, "csv"))
        return pj_fail(&r->err, 400, "bad_query", "format", "format is json or csv");
    pj_buf csv;
    pj_buf_init(&csv, 8 << 20);
    if (pj_drill_report_csv(&r->ctx, r->id, &csv, &r->err)) {
        pj_buf_free(&csv);
        return -1;
    }
    return csv_reply(r, &csv);
}
static int h_drill_trend(pj_req *r)
{
    return pj_h_no_query(r) || pj_drill_trend(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_finding_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_finding_create(&r->ctx, r->id, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_finding_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_finding_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_findings(pj_req *r)
{
    static const char *const acc[] = {"status", "facility_id", NULL};
    pj_list_filter f;
    int64_t fid = 0;
    const char *status = NULL;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "facility_id", 1, INT64_MAX, &fid) ||
        pj_h_q_enum(r, "status", pj_finding_statuses, &status))
        return -1;
    return pj_finding_list(&r->ctx, status, fid, f.cursor, f.limit, &r->w, &r->err);
}
/* ?expiry_state= ok|soon|expired (the summary's rule); ?offset=N skips N lines after the cursor
 * (a page of a numbered pager) */
static int h_stock(pj_req *r)
{
    static const char *const acc[] = {"facility_id", "category", "expiry_state", "offset", NULL};
    pj_list_filter f;
    int64_t fid = 0, offset = 0;
    const char *cat = NULL, *state = NULL;
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "facility_id", 1, INT64_MAX, &fid) ||
        pj_h_q_str(r, "category", &cat) ||
        pj_h_q_enum(r, "expiry_state", pj_stock_expiry_states, &state) ||
        pj_h_q_int(r, "offset", 0, PJ_STOCK_OFFSET_MAX, &offset))
        return -1;
    return pj_stock_list(&r->ctx, fid, cat, state, f.cursor, offset, f.limit, &r->w, &r->err);
}
/* ?by=category (the default) or facility (the one category's stores) */
static int h_stock_summary(pj_req *r)
{
    static const char *const acc[] = {"facility_id", "category", "by", NULL};
    pj_list_filter f;
    int64_t fid = 0;
    const char *cat = NULL, *by = "category";
    if (pj_h_filter_params(r, &f, acc) || pj_h_q_int(r, "facility_id", 1, INT64_MAX, &fid) ||
        pj_h_q_str(r, "category", &cat) || pj_h_q_enum(r, "by", pj_stock_summary_bys, &by))
        return -1;
    return pj_stock_summary(&r->ctx, fid, cat, !strcmp(by, "facility"), &r->w, &r->err);
}
static int h_stock_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_stock_create(&r->ctx, r->body, &r->w, &r->err) ? -1
                                                                                  : pj_h_created(r);
}
static int h_stock_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_stock_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
/* ?version=N, the version of the line the client read: a page showing a line that has changed
 * (or gone) since does not delete what it did not see */
static int h_stock_delete(pj_req *r)
{
    static const char *const acc[] = {"version", NULL};
    int64_t version = 0;
    if (pj_h_q_only(r, acc) || pj_h_q_int(r, "version", 1, INT64_MAX, &version)) return -1;
    if (!version)
        return pj_fail(&r->err, 400, "bad_query", "version",
                       "version is required: the version of the stock line you read (?version=N)");
    return pj_stock_delete(&r->ctx, r->id, version, &r->err) ? -1 : pj_h_no_content(r);
}
static int h_overview(pj_req *r)
{
    static const char *const acc[] = {"scenario", "population", NULL};
    pj_list_filter f;
    const char *scn = "epidemic";
    int64_t pop = 0;
    if (pj_h_filter_params(r, &f, acc) || pj_h_q_enum(r, "scenario", pj_scenarios, &scn) ||
        pj_h_q_int(r, "population", 1, 100000000, &pop))
        return -1;
    return pj_overview(&r->ctx, scn, pop, &r->w, &r->err);
}

PJ_H_REC(drill_plans, pj_du_drill_plans)

#define ALL       R_ALL
#define DISTRICT  R_DISTRICT
#define OFFICERS  (R_DISTRICT | R(PJ_ROLE_TOWNSHIP_OFFICER))
#define OPERATORS (OFFICERS | R(PJ_ROLE_FACILITY_OPERATOR))
#define OFFICIALS (R_ALL & ~R(PJ_ROLE_ENTERPRISE))

const pj_route pj_routes_dualuse[] = {
    {"GET", "/api/v1/standards", h_standards, OFFICIALS, "Conversion standards"},
    {"POST", "/api/v1/standards", h_standard_create, DISTRICT, "A new version of a standard"},
    {"GET", "/api/v1/standards/{id}", h_standard_get, OFFICIALS, "One standard version"},
    {"GET", "/api/v1/team-types", h_team_types, OFFICIALS, "Team types"},
    {"POST", "/api/v1/team-types", h_team_type_create, DISTRICT, "Add a team type"},
    {"PATCH", "/api/v1/team-types/{id}", h_team_type_update, DISTRICT,
     "Rename a team type, record its teams available"},
    {"DELETE", "/api/v1/team-types/{id}", h_team_type_delete, DISTRICT,
     "Remove a team type no manual uses", PJ_ROUTE_Q_VERSION},
    {"GET", "/api/v1/manuals", h_manuals, OFFICIALS, "Conversion manuals"},
    {"POST", "/api/v1/manuals", h_manual_create, OPERATORS,
     "A new manual version (steps as JSON or CSV)"},
    {"GET", "/api/v1/manuals/{id}", h_manual_get, OFFICIALS, "One manual with its critical path"},
    {"GET", "/api/v1/manuals/{id}/export", h_manual_export, OFFICIALS,
     "A manual as JSON or CSV (format=json|csv)"},
    {"GET", "/api/v1/conversions", h_conversions, OFFICIALS, "Conversions and drills"},
    {"POST", "/api/v1/conversions", h_conversion_start, OPERATORS,
     "Start a live conversion or a drill"},
    {"GET", "/api/v1/conversions/{id}", h_conversion_get, OFFICIALS,
     "One conversion with steps, checklist and progress"},
    {"POST", "/api/v1/conversions/{id}/restore", h_conversion_restore, OPERATORS,
     "Start restoring to peacetime"},
    {"POST", "/api/v1/conversions/{id}/abort", h_conversion_abort, OPERATORS,
     "Abort a conversion or drill with a reason"},
    {"GET", "/api/v1/conversions/{id}/timeline", h_conversion_timeline, OFFICIALS,
     "Who did what, in order"},
    {"GET", "/api/v1/conversions/{id}/report", h_drill_report, OFFICIALS,
     "Drill or live conversion report (format=json|csv)"},
    {"POST", "/api/v1/conversions/{id}/findings", h_finding_create, OPERATORS,
     "Record a finding of a drill or live conversion"},
    {"POST", "/api/v1/conversion-steps/{id}/start", h_step_start, OPERATORS, "Start a step"},
    {"POST", "/api/v1/conversion-steps/{id}/finish", h_step_finish, OPERATORS, "Finish a step"},
    {"POST", "/api/v1/conversion-steps/{id}/sign", h_step_sign, OPERATORS,
     "Sign a checklist item of a step"},
    {"GET", "/api/v1/findings", h_findings, OFFICIALS, "Drill findings"},
    {"PATCH", "/api/v1/findings/{id}", h_finding_update, OPERATORS, "Update or close a finding"},
    {"GET", "/api/v1/facilities/{id}/drills", h_drill_trend, OFFICIALS,
     "A facility's drills over time"},
    {"GET", "/api/v1/drill-plans", drill_plans_list, OFFICIALS,
     "Drill plans: the drills facilities are due to hold, by scenario and date"},
    {"POST", "/api/v1/drill-plans", drill_plans_create, OFFICERS, "Plan a drill"},
    {"GET", "/api/v1/drill-plans/{id}", drill_plans_get, OFFICIALS, "One drill plan"},
    {"PATCH", "/api/v1/drill-plans/{id}", drill_plans_update, OFFICERS,
     "Move, annotate or cancel a drill plan"},
    {"DELETE", "/api/v1/drill-plans/{id}", drill_plans_delete, OFFICERS, "Delete a drill plan"},
    {"GET", "/api/v1/stock", h_stock, OFFICIALS, "Stock lines of supply stores"},
    {"GET", "/api/v1/stock/summary", h_stock_summary, OFFICIALS,
     "Stock per supply category: usable, expiring within 90 days, expired (the list's filters)"},
    {"POST", "/api/v1/stock", h_stock_create, OPERATORS, "Add a stock line"},
    {"PATCH", "/api/v1/stock/{id}", h_stock_update, OPERATORS, "Change a stock line"},
    {"DELETE", "/api/v1/stock/{id}", h_stock_delete, OPERATORS, "Remove a stock line",
     PJ_ROUTE_Q_VERSION},
    {"GET", "/api/v1/overview", h_overview, OFFICIALS, "The emergency overview of a scenario"},
};
const int pj_routes_dualuse_count = (int)(sizeof pj_routes_dualuse / sizeof pj_routes_dualuse[0]);
