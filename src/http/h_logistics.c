/* Routes of the logistics hub 物流高地: parks, warehouses, tenants, monthly freight, land
 * parcels, freight train services (record.h) and the KPIs. Every role reads; writes are checked
 * by role and scope in the domain. */
#include "domain/logistics.h"
#include "http/hrec.h"
#include "http/hutil.h"

#include "core/banned.h"

PJ_H_REC(parks, pj_lg_parks)
PJ_H_REC(warehouses, pj_lg_warehouses)
PJ_H_REC(tenants, pj_lg_tenants)
PJ_H_REC(freight, pj_lg_freight)
PJ_H_REC(parcels, pj_lg_parcels)
PJ_H_REC(trains, pj_lg_trains)

static int h_kpi(pj_req *r)
{
    return pj_h_no_query(r) || pj_lg_kpi(&r->ctx, &r->w, &r->err) ? -1 : 0;
}

const pj_route pj_routes_logistics[] = {
    PJ_H_REC_ROUTES("/api/v1/logistics/parks", parks, "logistics parks"),
    PJ_H_REC_ROUTES("/api/v1/logistics/warehouses", warehouses,
                    "high-standard warehouses (planned → under_construction → operating)"),
    PJ_H_REC_ROUTES("/api/v1/logistics/tenants", tenants, "warehouse tenancies"),
    PJ_H_REC_ROUTES("/api/v1/logistics/freight", freight, "monthly freight records (t)"),
    PJ_H_REC_ROUTES("/api/v1/logistics/parcels", parcels,
                    "land parcels with transfer rates before/after consolidation"),
    PJ_H_REC_ROUTES("/api/v1/logistics/trains", trains,
                    "freight train services (China–Europe, city, intra-city)"),
    {"GET", "/api/v1/logistics/kpi", h_kpi, R_ALL,
     "Warehouse area by status against the plan, freight against the 2035 target, parcels"},
};
const int pj_routes_logistics_count =
    (int)(sizeof pj_routes_logistics / sizeof pj_routes_logistics[0]);
