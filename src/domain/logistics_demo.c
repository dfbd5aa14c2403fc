/* The logistics demo. The seed's figures hold as totals: high-standard warehouses planned
 * 5,600,000 m² in all, 2,870,000 m² of them started (under construction or operating); the
 * five named tenants (GLP, JD, 贝莱特, Cainiao, 正创) in operating warehouses that are the
 * registry's warehouse facilities (supply stores of the dual-use module); the 东久新宜物流谷
 * consolidation whose computed figures are the seed's (61.29 % → 74.88 %, +13.59 points,
 * +101.84 mu, ≈ 3.36 亿元); China–Europe, city and intra-city freight trains ("321"). Every
 * split, area, name of a synthetic warehouse, freight tonnage and train timetable is invented
 * and labelled 'synthetic'. The targets (4000 万吨 by 2035, 560 万 m²) are the indicators'. */
#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/logistics.h"

#include "core/banned.h"

static int demo_body(pj_ctx *c, uint64_t seed, pj_err *err)
{
    uint64_t rs = seed ? seed * 40503u + 7 : 0x2545F4914F6CDD1Dull;
    const char *org_sql = "SELECT id FROM organisations WHERE name = ?";
    const char *fac_sql = "SELECT id FROM facilities WHERE type = 'warehouse' AND name = ?";
    int64_t mafang = pj_rec_id_by_name(
        c, "SELECT id FROM regions WHERE type = 'township' AND name = ?", "马坊地区", err);
    if (mafang < 0) return -1;

    int64_t base, valley, port;
    if (pj_rec_put(c, &pj_lg_parks,
                   pj_rec_ref(json_pack("{s:s, s:f, s:s}", "name", "马坊物流基地", "area_mu",
                                        6000.0, "source", "synthetic"),
                              "township_id", mafang),
                   &base, err) ||
        pj_rec_put(c, &pj_lg_parks,
                   pj_rec_ref(json_pack("{s:s, s:f, s:s}", "name", "东久新宜物流谷", "area_mu",
                                        749.4, "source", "seed"),
                              "township_id", mafang),
                   &valley, err) ||
        pj_rec_put(c, &pj_lg_parks,
                   pj_rec_ref(json_pack("{s:s, s:f, s:s}", "name", "平谷国际陆港（合成）",
                                        "area_mu", 3000.0, "source", "synthetic"),
                              "township_id", mafang),
                   &port, err))
        return -1;

    /* operating: the seed's tenants in the registry's warehouse facilities (areas = the
     * facilities' peacetime capacity, synthetic); 910,000 m² */
    static const struct {
        const char *org, *facility, *automation, *opened;
        int cold;
    } op[] = {
        {"普洛斯（平谷）物流有限公司", "普洛斯平谷物流园", "automated", "2019-06-30", 0},
        {"京东（平谷）物流有限公司", "京东平谷物流园", "unmanned", "2020-09-30", 0},
        {"菜鸟（平谷）供应链有限公司", "菜鸟平谷物流园", "automated", "2021-05-31", 0},
        {"贝莱特（平谷）物流有限公司", "贝莱特平谷冷链仓", "mechanised", "2021-11-30", 1},
        {"正创（平谷）物流有限公司", "正创平谷物流中心", "conventional", "2022-04-30", 0},
    };
    int64_t op_org[5];
    for (int i = 0; i < 5; i++) {
        int64_t org = pj_rec_id_by_name(c, org_sql, op[i].org, err);
        int64_t fac = pj_rec_id_by_name(c, fac_sql, op[i].facility, err);
        if (org < 0 || fac < 0) return -1;
        if (!org || !fac)
            return pj_fail(err, 409, "demo_needs_registry", "",
                           "the logistics demo needs the demo district (%s)", op[i].facility);
        pj_stmt *s =
            pj_db_prepare(c->db, "SELECT peacetime_capacity FROM facilities WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, fac);
        int rc = pj_stmt_step(s, err);
        double area = rc == 1 ? (double)pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        int64_t wid;
        op_org[i] = org;
        if (pj_rec_put(
                c, &pj_lg_warehouses,
                pj_rec_ref(json_pack("{s:s, s:I, s:I, s:I, s:f, s:s, s:s, s:b, s:s, s:s, s:s}",
                                     "name", op[i].facility, "park_id", (json_int_t)base,
                                     "organisation_id", (json_int_t)org, "facility_id",
                                     (json_int_t)fac, "area_m2", area, "status", "operating",
                                     "automation", op[i].automation, "cold_chain", op[i].cold,
                                     "started", "2018-03-01", "opened", op[i].opened, "source",
                                     "synthetic"),
                           "township_id", mafang),
                &wid, err) ||
            pj_rec_put(c, &pj_lg_tenants,
                       json_pack("{s:I, s:I, s:f, s:s, s:s}", "warehouse_id", (json_int_t)wid,
                                 "organisation_id", (json_int_t)org, "area_m2", area, "since",
                                 op[i].opened, "source", "synthetic"),
                       NULL, err))
            return -1;
    }
    /* under construction 1,960,000 m² (started: 910,000 + 1,960,000 = 2,870,000, the seed's);
     * planned 2,730,000 m² (in all 5,600,000, the seed's plan) */
    static const double uc[] = {400000, 360000, 350000, 320000, 280000, 250000};
    static const double planned[] = {500000, 450000, 420000, 400000, 380000, 330000, 250000};
    for (int i = 0; i < 6; i++) {
        char name[96];
        snprintf(name, sizeof name, "马坊高标仓%c区（合成，在建）", 'A' + i);
        if (pj_rec_put(
                c, &pj_lg_warehouses,
                pj_rec_ref(pj_rec_ref(json_pack("{s:s, s:I, s:f, s:s, s:s, s:s, s:s}", "name", name,
                                                "park_id", (json_int_t)(i % 2 ? port : base),
                                                "area_m2", uc[i], "status", "under_construction",
                                                "automation", i % 3 == 0 ? "unmanned" : "automated",
                                                "started", "2024-03-01", "source", "synthetic"),
                                      "organisation_id", i < 5 ? op_org[i] : 0),
                           "township_id", mafang),
                NULL, err))
            return -1;
    }
    for (int i = 0; i < 7; i++) {
        char name[96];
        snprintf(name, sizeof name, "陆港高标仓%d号（合成，规划）", i + 1);
        if (pj_rec_put(c, &pj_lg_warehouses,
                       pj_rec_ref(json_pack("{s:s, s:I, s:f, s:s, s:s, s:s}", "name", name,
                                            "park_id", (json_int_t)(i < 3 ? valley : port),
                                            "area_m2", planned[i], "status", "planned",
                                            "automation", "automated", "source", "synthetic"),
                                  "township_id", mafang),
                       NULL, err))
            return -1;
    }

    /* monthly freight by tenant, January–June 2024: synthetic */
    static const int base_t[5] = {280000, 250000, 200000, 60000, 75000};
    for (int m = 1; m <= 6; m++)
        for (int i = 0; i < 5; i++) {
            char month[16];
            snprintf(month, sizeof month, "2024-%02d", m);
            int64_t t = base_t[i] + (int64_t)(pj_rec_rnd(&rs) % 40000) + 8000 * m;
            if (pj_rec_put(c, &pj_lg_freight,
                           json_pack("{s:I, s:I, s:s, s:s, s:I, s:s}", "park_id", (json_int_t)base,
                                     "organisation_id", (json_int_t)op_org[i], "month", month,
                                     "mode", i == 1 ? "multimodal" : "road", "tonnes",
                                     (json_int_t)t, "source", "synthetic"),
                           NULL, err))
                return -1;
        }

    /* 东久新宜物流谷: area, transferable mu and price are synthetic, chosen so that the
     * computed figures are the seed's: 459.31 / 749.4 = 61.29 %, 561.15 / 749.4 = 74.88 %,
     * +101.84 mu × 330 万元 ≈ 3.36 亿元 */
    if (pj_rec_put(
            c, &pj_lg_parcels,
            pj_rec_ref(json_pack("{s:s, s:I, s:f, s:f, s:f, s:I, s:s, s:s}", "name",
                                 "东久新宜物流谷土地整理", "park_id", (json_int_t)valley, "area_mu",
                                 749.4, "transferable_before_mu", 459.31, "transferable_after_mu",
                                 561.15, "price_fen_per_mu", (json_int_t)330000000, "consolidated",
                                 "2024-06-30", "source", "synthetic"),
                       "township_id", mafang),
            NULL, err))
        return -1;

    /* "321": China–Europe, city and intra-city freight trains (details synthetic) */
    static const struct {
        const char *name, *kind, *from, *to, *state, *started;
        double per_week;
    } trains[] = {
        {"平谷—中欧班列（合成）", "china_europe", "平谷国际陆港", "杜伊斯堡", "planned", NULL, 0},
        {"京平城际货运班列（合成）", "city", "马坊物流基地", "北京城区", "operating", "2023-10-01",
         14},
        {"平谷城内配送班列（合成）", "intra_city", "马坊物流基地", "平谷城区", "operating",
         "2024-01-15", 21},
    };
    for (size_t i = 0; i < sizeof trains / sizeof trains[0]; i++) {
        json_t *b =
            json_pack("{s:s, s:s, s:I, s:s, s:s, s:f, s:s, s:s}", "name", trains[i].name, "kind",
                      trains[i].kind, "park_id", (json_int_t)(i ? base : port), "origin",
                      trains[i].from, "destination", trains[i].to, "trains_per_week",
                      trains[i].per_week, "state", trains[i].state, "source", "synthetic");
        if (b && trains[i].started)
            json_object_set_new(b, "started", json_string(trains[i].started));
        if (pj_rec_put(c, &pj_lg_trains, b, NULL, err)) return -1;
    }
    return 0;
}

int pj_logistics_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT COUNT(*) FROM lg_parks WHERE name = '东久新宜物流谷'", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int64_t have = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (have) return 0;
    if (pj_db_begin(c->db, err)) return -1;
    if (demo_body(c, seed, err) ||
        pj_audit_add(c, "demo", "logistics", 0, NULL,
                     "{\"warehouses_planned_m2\":5600000,\"warehouses_started_m2\":2870000,"
                     "\"source\":\"seed + synthetic\"}",
                     err) ||
        pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}
