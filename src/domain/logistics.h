/* Logistics hub 物流高地 (issue #8): parks, high-standard warehouses (status planned →
 * under_construction → operating, nothing else; automation level), tenants, monthly freight,
 * land parcels with their transfer rate before and after consolidation, freight train services
 * (China–Europe, city, intra-city), and the KPIs: warehouse area by status against the plan,
 * freight against the 2035 target.
 *
 * An operating warehouse is a registry facility of type warehouse (facility_id): its
 * supply_store capacity is what the dual-use module plans emergency supplies with (藏粮于库).
 * Targets (freight 4000 万吨/year by 2035, 5.6 million m² of warehouses) are data of the
 * indicators module (indicator targets freight_volume and warehouse_area_started), read here.
 *
 * Units: area m² (warehouses) and mu (land, 1 mu = 666.67 m², as land is administered), freight
 * in tonnes, money in fen. Scope (record.h): every role reads; an enterprise user sees and
 * writes only the warehouses, tenancies and freight of their own organisation and sees no
 * parcels; parks and train services are public. */
#ifndef PJ_LOGISTICS_H
#define PJ_LOGISTICS_H

#include "domain/record.h"

extern const pj_rec_kind pj_lg_parks, pj_lg_warehouses, pj_lg_tenants, pj_lg_freight, pj_lg_parcels,
    pj_lg_trains;
extern const pj_rec_named pj_lg_kinds[];
extern const char *const pj_lg_statuses[]; /* planned, under_construction, operating */

/* 1 when a warehouse may go from status `from` to `to` (the same status, or the next one). */
int pj_lg_transition_ok(const char *from, const char *to);

/* A parcel's land-transfer figures, computed: rates in % (transferable / area), their change in
 * percentage points, the added transferable area and the land revenue it adds. */
typedef struct pj_lg_transfer {
    double rate_before_pct, rate_after_pct, points, added_mu;
    int64_t added_revenue_fen;
} pj_lg_transfer;
/* A parcel's largest area (mu) and land price (fen per mu, i.e. 1000 万元/mu). */
#define PJ_LG_MAX_MU        1e6
#define PJ_LG_MAX_PRICE_FEN 1e9
/* 0 ok, -1 when area ≤ 0 or the revenue does not fit 64 bits. Rates, points and mu are rounded
 * to 2 decimals; points is the difference of the unrounded rates, rounded. */
int pj_lg_transfer_calc(double area_mu, double before_mu, double after_mu, int64_t price_fen_per_mu,
                        pj_lg_transfer *out);
/* Change between two rates in percentage points, rounded to 2 decimals (61.29 → 74.88: 13.59). */
double pj_lg_points(double before_pct, double after_pct);

/* {warehouses:{by status, area_m2 by status, started_m2, total_m2, started_share_pct, plan,
 * by_automation, supply_store}, freight:{latest_month, year, year_t, last_12_months_t,
 * months_recorded, annualised_t (last 12 months scaled to 12), by_month, target, progress_pct},
 * parcels:{…}, trains:{by kind}, tenancies, parks}. */
int pj_lg_kpi(pj_ctx *c, pj_jw *w, pj_err *err);

/* The seed's figures — 5.6 million m² of warehouses planned of which 2.87 million started, the
 * five named tenants, the 东久新宜物流谷 consolidation (61.29 % → 74.88 %, +101.84 mu, ≈ 3.36
 * 亿元), the three kinds of freight train — with synthetic detail labelled 'synthetic', in its
 * own transaction. Idempotent (does nothing once 东久新宜物流谷 is there). Needs the demo
 * district's regions, organisations and warehouse facilities (409 demo_needs_registry). */
int pj_logistics_demo(pj_ctx *c, uint64_t seed, pj_err *err);

#endif
