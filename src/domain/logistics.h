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
/* The first month freight is recorded for (YYYY-MM). */
#define PJ_LG_FREIGHT_FIRST_MONTH "2000-01"
/* 0 ok, -1 when area ≤ 0 or the revenue does not fit 64 bits. Rates, points and mu are rounded
 * to 2 decimals; points is the difference of the unrounded rates, rounded. */
int pj_lg_transfer_calc(double area_mu, double before_mu, double after_mu, int64_t price_fen_per_mu,
                        pj_lg_transfer *out);
/* Change between two rates in percentage points, rounded to 2 decimals (61.29 → 74.88: 13.59). */
double pj_lg_points(double before_pct, double after_pct);

/* {warehouses:{by status, area_m2 by status, started_m2, total_m2, started_share_pct, plan,
 * by_automation, supply_store}, freight:{latest_month (the latest complete month, see
 * pj_lg_freight_window), window_from, reporters, year, year_t, last_12_months_t,
 * months_recorded, annualised_t (last 12 months scaled to 12), by_month, pending (the next
 * month recorded, not counted yet: its reporters of those expected), target, progress_pct},
 * parcels:{…}, trains:{by kind}, tenancies, parks}. */
int pj_lg_kpi(pj_ctx *c, pj_jw *w, pj_err *err);

/* Warehouse area (m²) and count by status, in pj_lg_statuses order: the register's figures the
 * KPIs and the district dashboard both show. */
int pj_lg_warehouse_area(pj_ctx *c, double area_m2[3], int64_t count[3], pj_err *err);

/* The district's freight over its latest complete window. A month counts once it is complete:
 * every reporter (the organisation, else the park, of a record) that reported in any of the three
 * recorded months before it has reported it too (the first month recorded is complete; a reporter
 * that stops is waited for three recorded months); the running month and later are never counted.
 * The window is the 12 months up to the latest complete month; annual_t scales its tonnes to
 * 12 months from the months recorded in it (rounded). All zero / "" when no month is complete. */
typedef struct pj_lg_freight_win {
    char latest[16], first[16]; /* the window's last and first month ("YYYY-MM") */
    int reporters;              /* reporters of the latest month */
    int months;                 /* months of the window with records */
    double last12_t, annual_t;
    int year, year_months; /* the latest month's year: its tonnes and months so far */
    double year_t;
    char pending[16]; /* the month after the window with records, "" when none */
    int pending_reporters, pending_expected, pending_reported, pending_months;
    /* the window's months with records that are not whole (waiting for a reporter the latest
     * month has): not counted, as a JSON array of "YYYY-MM" */
    char skipped[16 * 12 + 8];
} pj_lg_freight_win;
int pj_lg_freight_window(pj_ctx *c, pj_lg_freight_win *out, pj_err *err);

/* The seed's figures — 5.6 million m² of warehouses planned of which 2.87 million started, the
 * five named tenants, the 东久新宜物流谷 consolidation (61.29 % → 74.88 %, +101.84 mu, ≈ 3.36
 * 亿元), the three kinds of freight train — with synthetic detail labelled 'synthetic', in its
 * own transaction. Idempotent (does nothing once 东久新宜物流谷 is there). Needs the demo
 * district's regions, organisations and warehouse facilities (409 demo_needs_registry). */
int pj_logistics_demo(pj_ctx *c, uint64_t seed, pj_err *err);

#endif
