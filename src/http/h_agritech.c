/* Routes of agri-tech 农业科技: labs, innovation-port projects and milestones, doctor farms and
 * experts, greenhouse sections, research results and transfers (record.h), the output read from
 * the indicators, the KPIs. Every role reads; writes are checked by role and scope in the
 * domain. */
#include "domain/agritech.h"
#include "http/hrec.h"
#include "http/hutil.h"

#include "core/banned.h"

PJ_H_REC(labs, pj_ag_labs)
PJ_H_REC(projects, pj_ag_projects)
PJ_H_REC(milestones, pj_ag_milestones)
PJ_H_REC(farms, pj_ag_farms)
PJ_H_REC(experts, pj_ag_experts)
PJ_H_REC(sections, pj_ag_sections)
PJ_H_REC(results, pj_ag_results)
PJ_H_REC(transfers, pj_ag_transfers)

/* the figures take no parameter: `limit` or `cursor` is 400 unknown_parameter as anything else
 * (they were taken, a cursor's value checked, and did nothing) */
static int h_kpi(pj_req *r)
{
    return pj_h_no_query(r) || pj_agri_kpi(&r->ctx, &r->w, &r->err) ? -1 : 0;
}
static int h_output(pj_req *r)
{
    return pj_h_no_query(r) || pj_agri_output(&r->ctx, &r->w, &r->err) ? -1 : 0;
}

const pj_route pj_routes_agritech[] = {
    PJ_H_REC_ROUTES("/api/v1/agri/labs", labs, "labs (national key labs, 国农港 …)"),
    PJ_H_REC_ROUTES("/api/v1/agri/projects", projects, "innovation-port projects"),
    PJ_H_REC_ROUTES("/api/v1/agri/milestones", milestones, "project milestones"),
    PJ_H_REC_ROUTES("/api/v1/agri/farms", farms, "doctor farms (博士农场)"),
    PJ_H_REC_ROUTES("/api/v1/agri/experts", experts, "experts (academicians, doctors)"),
    PJ_H_REC_ROUTES("/api/v1/agri/sections", sections, "greenhouse cluster sections"),
    PJ_H_REC_ROUTES("/api/v1/agri/results", results, "research results"),
    PJ_H_REC_ROUTES("/api/v1/agri/transfers", transfers, "transfers of results to farms"),
    {"GET", "/api/v1/agri/output", h_output, R_ALL,
     "Agricultural output by year (indicator agri_output) with growth computed"},
    {"GET", "/api/v1/agri/kpi", h_kpi, R_ALL,
     "Doctor farms, experts, stations, milestones, greenhouse area, transfers, output growth"},
};
const int pj_routes_agritech_count =
    (int)(sizeof pj_routes_agritech / sizeof pj_routes_agritech[0]);
