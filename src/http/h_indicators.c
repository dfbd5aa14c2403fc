/* Routes of district development's indicators and carbon: definitions, values (with revision
 * history), targets, derived figures, CSV import/export, the dashboard, emission factors,
 * energy use, emissions and energy intensity. Every role reads (energy use and its emissions
 * as far as the carbon module scopes them); admin and district officers write. */
#include <string.h>
#include <strings.h>

#include "domain/carbon.h"
#include "core/xlsx.h"
#include "domain/indicator.h"
#include "http/hutil.h"

#include "core/banned.h"

static int h_ind_list(pj_req *r)
{
    static const char *const acc[] = {"q", NULL};
    pj_list_filter f;
    return pj_h_list_params(r, &f, acc)
               ? -1
               : pj_indicator_list(&r->ctx, f.q, f.cursor, f.limit, &r->w, &r->err);
}
static int h_ind_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_indicator_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_ind_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_indicator_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_ind_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_indicator_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}

static int value_filter(pj_req *r, pj_value_filter *vf, int export)
{
    static const char *const acc[] = {"code", "region",      "period", "from",
                                      "to",   "period_kind", "source", NULL};
    static const char *const acc_export[] = {"code",        "region", "period", "from",     "to",
                                             "period_kind", "source", "format", "headings", NULL};
    pj_list_filter f;
    memset(vf, 0, sizeof *vf);
    if ((export ? pj_h_filter_params(r, &f, acc_export) : pj_h_list_params(r, &f, acc)) ||
        pj_h_q_str(r, "code", &vf->code) || pj_h_q_str(r, "region", &vf->region) ||
        pj_h_q_str(r, "period", &vf->period) || pj_h_q_str(r, "from", &vf->from) ||
        pj_h_q_str(r, "to", &vf->to) || pj_h_q_str(r, "period_kind", &vf->kind) ||
        pj_h_q_str(r, "source", &vf->source))
        return -1;
    vf->cursor = f.cursor;
    vf->limit = f.limit;
    return 0;
}
static int h_values(pj_req *r)
{
    pj_value_filter vf;
    return value_filter(r, &vf, 0) ? -1 : pj_ind_value_list(&r->ctx, &vf, &r->w, &r->err);
}
static int h_value_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ind_value_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_value_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ind_value_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
/* A DELETE that takes ?version=N (optional; when given, the stored one) and answers 204 */
static int q_version_delete(pj_req *r, int (*del)(pj_ctx *, int64_t, int64_t, pj_err *))
{
    static const char *const acc[] = {"version", NULL};
    int64_t version = 0;
    return pj_h_q_only(r, acc) || pj_h_q_int(r, "version", 1, INT64_MAX, &version) ||
                   del(&r->ctx, r->id, version, &r->err)
               ? -1
               : pj_h_no_content(r);
}
static int h_value_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ind_value_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_value_delete(pj_req *r)
{
    return q_version_delete(r, pj_ind_value_delete);
}
static int h_targets(pj_req *r)
{
    static const char *const acc[] = {"code", NULL};
    pj_list_filter f;
    const char *code = NULL;
    return pj_h_list_params(r, &f, acc) || pj_h_q_str(r, "code", &code)
               ? -1
               : pj_ind_target_list(&r->ctx, code, f.cursor, f.limit, &r->w, &r->err);
}
static int h_target_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ind_target_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_target_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ind_target_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_target_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1 : pj_ind_target_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_target_delete(pj_req *r)
{
    return q_version_delete(r, pj_ind_target_delete);
}
static int h_derived(pj_req *r)
{
    static const char *const acc[] = {"fn",     "code", "region", "period", "from",   "to",
                                      "method", "of",   "base",   "by",     "target", NULL};
    pj_list_filter f;
    pj_derive_args a = {0};
    if (pj_h_filter_params(r, &f, acc) || pj_h_q_str(r, "fn", &a.fn) ||
        pj_h_q_str(r, "code", &a.code) || pj_h_q_str(r, "region", &a.region) ||
        pj_h_q_str(r, "period", &a.period) || pj_h_q_str(r, "from", &a.from) ||
        pj_h_q_str(r, "to", &a.to) || pj_h_q_str(r, "method", &a.method) ||
        pj_h_q_str(r, "of", &a.of) || pj_h_q_str(r, "base", &a.base) ||
        pj_h_q_str(r, "by", &a.by) || pj_h_q_str(r, "target", &a.target))
        return -1;
    return pj_ind_derive(&r->ctx, &a, &r->w, &r->err);
}

/* The table as JSON {csv | xlsx, dry_run}, or uploaded as it is: an XLSX workbook (its content
 * type, or any type with a zip signature) or CSV text (text/csv), dry_run=1 in the query. */
static int h_import(pj_req *r)
{
    /* ?dry_run=1 previews an upload and a JSON body alike (a preview must never write) */
    static const char *const acc[] = {"dry_run", NULL};
    int64_t dry = -1;
    if (pj_h_q_only(r, acc) || pj_h_q_int(r, "dry_run", 0, 1, &dry)) return -1;
    if (!r->raw) {
        if (pj_h_need_body(r)) return -1;
        json_t *b = json_object_get(r->body, "dry_run");
        if (dry >= 0 && json_is_object(r->body)) {
            if (b && (!json_is_boolean(b) || json_is_true(b) != (dry == 1)))
                return pj_fail(&r->err, 422, "invalid_value", "dry_run",
                               "dry_run differs between the query and the body");
            json_object_set_new(r->body, "dry_run", json_boolean(dry == 1));
        }
        return pj_ind_import(&r->ctx, r->body, &r->w, &r->err);
    }
    if (dry < 0) dry = 0;
    int kind = pj_h_sheet_kind(r, 1);
    if (kind < 0) return -1;
    return kind ? pj_ind_import_xlsx(&r->ctx, r->raw, r->raw_len, (int)dry, 100000, &r->w, &r->err)
                : pj_ind_import_csv(&r->ctx, r->raw, r->raw_len, (int)dry, 100000, &r->w, &r->err);
}
static int value_table(pj_ctx *c, int xlsx, int zh, const void *f, pj_buf *out, pj_err *err)
{
    return (xlsx ? pj_ind_export_xlsx : pj_ind_export_csv)(c, f, zh, out, err);
}
static int h_export(pj_req *r)
{
    pj_value_filter vf;
    return value_filter(r, &vf, 1) ? -1 : pj_h_export(r, value_table, &vf);
}
static int h_dashboard(pj_req *r)
{
    return pj_h_no_query(r) || pj_ind_dashboard(&r->ctx, &r->w, &r->err) ? -1 : 0;
}

static int h_factors(pj_req *r)
{
    static const char *const acc[] = {"energy_type", NULL};
    pj_list_filter f;
    const char *t = NULL;
    return pj_h_list_params(r, &f, acc) || pj_h_q_str(r, "energy_type", &t)
               ? -1
               : pj_carbon_factor_list(&r->ctx, t, f.cursor, f.limit, &r->w, &r->err);
}
static int h_factor_create(pj_req *r)
{
    if (pj_h_need_body(r) || pj_carbon_factor_create(&r->ctx, r->body, &r->w, &r->err)) return -1;
    return json_is_true(json_object_get(r->body, "dry_run")) ? 0 : pj_h_created(r);
}
static int h_factor_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1
                             : pj_carbon_factor_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_factor_delete(pj_req *r)
{
    static const char *const acc[] = {"version", "dry_run", NULL};
    int64_t version = 0, dry = 0;
    return pj_h_q_only(r, acc) || pj_h_q_int(r, "version", 1, INT64_MAX, &version) ||
                   pj_h_q_int(r, "dry_run", 0, 1, &dry)
               ? -1
               : pj_carbon_factor_delete(&r->ctx, r->id, version, (int)dry, &r->w, &r->err);
}
static int h_energy(pj_req *r)
{
    static const char *const acc[] = {"period", "year", "organisation_id", "sector", NULL};
    pj_list_filter f;
    const char *per = NULL, *sector = NULL;
    int64_t org = 0, year = 0;
    return pj_h_list_params(r, &f, acc) || pj_h_q_str(r, "period", &per) ||
                   pj_h_q_int(r, "year", 1900, 2200, &year) ||
                   pj_h_q_enum(r, "sector", pj_carbon_sectors, &sector) ||
                   pj_h_q_int(r, "organisation_id", 1, INT64_MAX, &org)
               ? -1
               : pj_carbon_energy_list(&r->ctx, per, (int)year, org, sector, f.cursor, f.limit,
                                       &r->w, &r->err);
}
static int h_energy_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_carbon_energy_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_energy_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_carbon_energy_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_energy_update(pj_req *r)
{
    return pj_h_need_body(r) ? -1
                             : pj_carbon_energy_update(&r->ctx, r->id, r->body, &r->w, &r->err);
}
static int h_energy_delete(pj_req *r)
{
    return q_version_delete(r, pj_carbon_energy_delete);
}
/* the organisations named by=organisation (the rest are one group) */
#define MAX_TOP 500
static int h_emissions(pj_req *r)
{
    static const char *const acc[] = {"year", "period", "by", "top", NULL};
    pj_list_filter f;
    int64_t year = 0, top = 0;
    const char *per = NULL, *by = NULL;
    if (pj_h_filter_params(r, &f, acc) || pj_h_q_int(r, "year", 1900, 2999, &year) ||
        pj_h_q_str(r, "period", &per) || pj_h_q_str(r, "by", &by) ||
        pj_h_q_int(r, "top", 1, MAX_TOP, &top))
        return -1;
    if (!year) return pj_fail(&r->err, 400, "bad_query", "year", "year is required");
    return pj_carbon_emissions(&r->ctx, (int)year, per, by, (int)top, &r->w, &r->err);
}
static int h_intensity(pj_req *r)
{
    static const char *const acc[] = {"year", "region", NULL};
    pj_list_filter f;
    int64_t year = 0;
    const char *region = NULL;
    if (pj_h_filter_params(r, &f, acc) || pj_h_q_int(r, "year", 1901, 2999, &year) ||
        pj_h_q_str(r, "region", &region))
        return -1;
    if (!year) return pj_fail(&r->err, 400, "bad_query", "year", "year is required");
    return pj_carbon_intensity(&r->ctx, region, (int)year, &r->w, &r->err);
}

static int h_intensity_years(pj_req *r)
{
    static const char *const acc[] = {"region", NULL};
    const char *region = NULL;
    return pj_h_q_only(r, acc) || pj_h_q_str(r, "region", &region)
               ? -1
               : pj_carbon_intensity_years(&r->ctx, region, &r->w, &r->err);
}

#define WRITE R_DISTRICT

const pj_route pj_routes_indicators[] = {
    {"GET", "/api/v1/indicators", h_ind_list, R_ALL, "Indicator definitions"},
    {"POST", "/api/v1/indicators", h_ind_create, WRITE, "Define an indicator"},
    {"GET", "/api/v1/indicators/values", h_values, R_ALL, "Indicator values (filters)"},
    {"POST", "/api/v1/indicators/values", h_value_create, WRITE, "Enter a value"},
    {"GET", "/api/v1/indicators/values/{id}", h_value_get, R_ALL,
     "One value with its revision history"},
    {"PATCH", "/api/v1/indicators/values/{id}", h_value_update, WRITE,
     "Revise a value (the old one is kept)"},
    {"DELETE", "/api/v1/indicators/values/{id}", h_value_delete, WRITE,
     "Remove a value with its revisions (version; audited)", PJ_ROUTE_Q_VERSION},
    {"GET", "/api/v1/indicators/targets", h_targets, R_ALL, "Targets"},
    {"POST", "/api/v1/indicators/targets", h_target_create, WRITE, "Set a target"},
    {"GET", "/api/v1/indicators/targets/{id}", h_target_get, R_ALL, "One target"},
    {"PATCH", "/api/v1/indicators/targets/{id}", h_target_update, WRITE,
     "Correct a target (version)"},
    {"DELETE", "/api/v1/indicators/targets/{id}", h_target_delete, WRITE,
     "Remove a target (version; audited)", PJ_ROUTE_Q_VERSION},
    {"GET", "/api/v1/indicators/derived", h_derived, R_ALL,
     "A derived figure: yoy, prev, cagr, share, points, progress, rank"},
    {"POST", "/api/v1/indicators/import", h_import, WRITE,
     "Import a CSV or XLSX table (dry_run previews; a commit is all or nothing)",
     PJ_ROUTE_UPLOAD | PJ_ROUTE_Q_DRY_RUN},
    {"GET", "/api/v1/indicators/export", h_export, R_ALL, "Values as CSV or XLSX (format)"},
    {"GET", "/api/v1/indicators/{id}", h_ind_get, R_ALL, "One indicator definition"},
    {"PATCH", "/api/v1/indicators/{id}", h_ind_update, WRITE, "Change a definition"},
    {"GET", "/api/v1/dashboard", h_dashboard, R_ALL,
     "The district's headline figures with their source rows", PJ_ROUTE_SHARED | PJ_ROUTE_PER_ROLE},
    {"GET", "/api/v1/carbon/factors", h_factors, R_ALL, "Emission factors, every version"},
    {"POST", "/api/v1/carbon/factors", h_factor_create, WRITE,
     "A new factor version from a date (dry_run: what it would recompute)"},
    {"PATCH", "/api/v1/carbon/factors/{id}", h_factor_update, WRITE,
     "Correct a factor version (version; dry_run)"},
    {"DELETE", "/api/v1/carbon/factors/{id}", h_factor_delete, WRITE,
     "Remove a factor version unless recorded use would be left without one (version, dry_run)",
     PJ_ROUTE_Q_VERSION | PJ_ROUTE_Q_DRY_RUN},
    {"GET", "/api/v1/carbon/energy", h_energy, R_ALL, "Energy use records"},
    {"POST", "/api/v1/carbon/energy", h_energy_create, WRITE, "Record energy use"},
    {"GET", "/api/v1/carbon/energy/{id}", h_energy_get, R_ALL, "One energy use record"},
    {"PATCH", "/api/v1/carbon/energy/{id}", h_energy_update, WRITE,
     "Correct an energy use record (version)"},
    {"DELETE", "/api/v1/carbon/energy/{id}", h_energy_delete, WRITE, "Remove an energy use record",
     PJ_ROUTE_Q_VERSION},
    {"GET", "/api/v1/carbon/emissions", h_emissions, R_ALL,
     "Tonnes CO2e and tce by sector, organisation or energy type"},
    {"GET", "/api/v1/carbon/intensity", h_intensity, R_ALL,
     "Energy per 10,000 yuan of GDP and its decline"},
    {"GET", "/api/v1/carbon/intensity/years", h_intensity_years, R_ALL,
     "Every year with the intensity's data: its intensity, or why the two years do not compare"},
};
const int pj_routes_indicators_count =
    (int)(sizeof pj_routes_indicators / sizeof pj_routes_indicators[0]);
