/* Agri-tech 农业科技 (issue #8): the national key labs and other research bodies, the national
 * agri-tech innovation port (国农港) projects with their milestones, doctor farms (博士农场) with
 * their experts (academicians, doctors) and post-doctoral stations, greenhouse cluster sections
 * (area, crop, yield), research results and their transfer to farms, and the KPIs.
 *
 * Agricultural output is not a second time series: it is the indicator `agri_output` (亿元) of
 * the indicators module, read here with its growth computed (pj_agri_output). A farm or a lab
 * may name its registry facility (facility_id): a farm's facility with the supply_store role is
 * a food reserve of the dual-use module (藏粮于地) and is counted as such in the KPIs.
 *
 * Scope (record.h): every role reads; an enterprise user sees only the projects, milestones,
 * farms, experts, sections and transfers of their own organisation and writes those; labs and
 * results are public and written by admin and district officers (township officers: labs,
 * projects, farms and sections of their township). */
#ifndef PJ_AGRITECH_H
#define PJ_AGRITECH_H

#include "domain/record.h"

extern const pj_rec_kind pj_ag_labs, pj_ag_projects, pj_ag_milestones, pj_ag_farms, pj_ag_experts,
    pj_ag_sections, pj_ag_results, pj_ag_transfers;

/* The module's kinds by their path segment ("labs", "projects", …). */
extern const pj_rec_named pj_ag_kinds[];

/* Agricultural output by year from the indicator agri_output (平谷区): value (亿元), growth in %
 * over the year before (computed), the value's source, and the rank of the latest year's growth
 * among the districts with values. */
int pj_agri_output(pj_ctx *c, pj_jw *w, pj_err *err);
/* {labs:{by kind}, projects:{by state}, milestones:{total, done, open, overdue}, doctor_farms,
 * postdoc_stations, experts:{academicians, doctors}, sections:{count, area_m2, yield_kg,
 * by state}, results, transfers, farms_reached, food_reserve:{farms, t}, output:{…}}. */
int pj_agri_kpi(pj_ctx *c, pj_jw *w, pj_err *err);
/* The doctor farms in the register: the count the KPIs and the district dashboard both show. */
int pj_agri_farm_count(pj_ctx *c, int64_t *out, pj_err *err);

/* The seed's figures (2 national key labs, the CACMS graduate school, 国农港, 117 doctor farms
 * with 13 post-doctoral stations, 13 academicians and 411 doctors) with synthetic detail
 * (names, areas, projects, sections, results, transfers) labelled 'synthetic', in its own
 * transaction. Idempotent (does nothing once 国农港 is there). Links to the demo district's
 * regions and organisations where they exist. */
int pj_agritech_demo(pj_ctx *c, uint64_t seed, pj_err *err);

#endif
