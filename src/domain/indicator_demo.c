/* The demo's indicators: the seed's figures (source 'seed') and the synthetic detail they need
 * to be computed rather than typed (source 'synthetic'): e.g. GDP levels whose growth rates
 * chain to the seed's 9.1 % three-year average, the 2023 H1 revenue that makes 54.8 亿元 a
 * 10.2 % growth, peer districts' values for ranks. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/carbon.h"
#include "domain/indicator_int.h"

#include "core/banned.h"

static const struct {
    const char *code, *name, *unit, *kind;
    int hib;
} defs[] = {
    {"gdp", "地区生产总值（不变价）", "亿元", "level", 1},
    {"gdp_growth", "地区生产总值增速", "%", "rate", 1},
    {"budget_revenue", "一般公共预算收入", "亿元", "level", 1},
    {"agri_output", "农业总产值", "亿元", "level", 1},
    {"industrial_output", "规模以上工业总产值", "亿元", "level", 1},
    {"hightech_output", "高技术制造业产值", "亿元", "level", 1},
    {"strategic_output", "战略性新兴产业产值", "亿元", "level", 1},
    {"freight_volume", "货运量", "万吨", "level", 1},
    {"warehouse_area_started", "高标准仓储开工面积", "m²", "level", 1},
    {"land_transfer_rate", "东久新宜物流谷土地出让率", "%", "share", 1},
    {"energy_consumption", "能源消费总量", "万吨标准煤", "level", 0},
    {"ecommerce_enterprises", "直播电商产业功能区企业数", "家", "level", 1},
    {"new_farmer_streamers", "新农人主播", "人", "level", 1},
    {"doctor_farms", "博士农场", "个", "level", 1},
    {"enterprise_problems_solved", "服务企业解决问题（累计）", "个", "level", 1},
};

typedef struct dv {
    const char *code, *period;
    double v;
    const char *source, *note;
} dv;

static const dv vals[] = {
    /* GDP at constant prices: rates 10.5 %, 8.0 %, 8.8 % chain to a 9.09 % ≈ 9.1 % average */
    {"gdp", "2020", 400.00, "synthetic", "不变价水平，合成：使三年平均增速符合种子数据 9.1%"},
    {"gdp", "2021", 442.00, "synthetic", ""},
    {"gdp", "2022", 477.36, "synthetic", ""},
    {"gdp", "2023", 519.36768, "synthetic", ""},
    {"gdp_growth", "2021", 10.5, "synthetic", "与不变价水平一致"},
    {"gdp_growth", "2022", 8.0, "synthetic", ""},
    {"gdp_growth", "2023", 8.8, "synthetic", ""},
    /* H1 2024 +6.2 % (seed) */
    {"gdp", "2023H1", 250.00, "synthetic", ""},
    {"gdp", "2024H1", 265.50, "synthetic", "合成：同比 +6.2% 为种子数据"},
    {"budget_revenue", "2024H1", 54.8, "seed", "上半年一般公共预算收入54.8亿元"},
    {"budget_revenue", "2023H1", 49.73, "synthetic", "合成：使同比增长为种子数据 10.2%"},
    {"agri_output", "2023", 39.4, "seed", "2023年农业总产值39.4亿元，全市第一"},
    {"agri_output", "2022", 34.68, "synthetic", "合成：使同比增长为种子数据 13.6%"},
    /* shares of above-scale industrial output: 48 % and 51.3 % in 2023, +23.5 / +23.3 pp */
    {"industrial_output", "2021", 200.0, "synthetic", ""},
    {"industrial_output", "2023", 250.0, "synthetic", ""},
    {"hightech_output", "2021", 49.0, "synthetic", "24.5% × 200"},
    {"hightech_output", "2023", 120.0, "synthetic", "48% × 250（比重为种子数据）"},
    {"strategic_output", "2021", 56.0, "synthetic", "28.0% × 200"},
    {"strategic_output", "2023", 128.25, "synthetic", "51.3% × 250（比重为种子数据）"},
    {"freight_volume", "2023", 1250.0, "synthetic", ""},
    {"warehouse_area_started", "2024", 2870000, "seed", "已开工287万平方米"},
    {"land_transfer_rate", "2023", 61.29, "seed", "整理前；期间为合成（来源未注明年份）"},
    {"land_transfer_rate", "2024", 74.88, "seed", "整理后；期间为合成"},
    {"energy_consumption", "2022", 120.0, "synthetic", ""},
    {"energy_consumption", "2023", 122.0, "synthetic", ""},
    {"ecommerce_enterprises", "2024H1", 284, "seed", "直播电商产业功能区集聚企业284家"},
    {"new_farmer_streamers", "2024H1", 140, "seed", "新农人主播140名"},
    {"doctor_farms", "2024", 117, "seed", "博士农场117个"},
    {"enterprise_problems_solved", "2024H1", 290, "seed", "精准解决企业问题290个"},
};

/* a figure of 亿元 to two decimals, as published (29.0664 was exported 29.066399999999998) */
static double cents(double v)
{
    return round(v * 100) / 100;
}

static const char *const peers[] = {"东城区",   "西城区",   "朝阳区", "海淀区", "丰台区",
                                    "石景山区", "门头沟区", "房山区", "通州区", "顺义区",
                                    "昌平区",   "大兴区",   "怀柔区", "密云区", "延庆区"};

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int put(pj_ctx *c, const char *code, const char *region, const char *period, double v,
               const char *source, const char *note, pj_err *err)
{
    pj_ind_def d;
    pj_period p;
    int64_t id;
    if (pj_ind_def_load(c, code, &d, 1, err) != 1) return -1;
    pj_period_parse(period, strlen(period), &p);
    return pj_ind_value_put(c, d.id, region, &p, v, d.unit, source, note, pj_now(), &id, err) < 0
               ? -1
               : 0;
}

int pj_indicators_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    int64_t have = pj_indicator_id(c, "gdp", err);
    if (have < 0) return -1;
    if (have) return 0;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now();
    uint64_t s = seed ? seed : 88172645463325252ull;
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        pj_stmt *st = pj_db_prepare(c->db,
                                    "INSERT INTO indicators (code, name, unit, kind,"
                                    " higher_is_better, source, created_at, updated_at) VALUES"
                                    " (?, ?, ?, ?, ?, 'seed', ?, ?)",
                                    err);
        if (!st) goto fail;
        pj_stmt_text(st, 1, defs[i].code);
        pj_stmt_text(st, 2, defs[i].name);
        pj_stmt_text(st, 3, defs[i].unit);
        pj_stmt_text(st, 4, defs[i].kind);
        pj_stmt_int(st, 5, defs[i].hib);
        pj_stmt_int(st, 6, now);
        pj_stmt_int(st, 7, now);
        int rc = pj_stmt_step(st, err);
        pj_stmt_done(st);
        if (rc < 0) goto fail;
    }
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (put(c, vals[i].code, PJ_IND_DISTRICT, vals[i].period, vals[i].v, vals[i].source,
                vals[i].note, err))
            goto fail;
    /* peers: revenue growth below Pinggu's 10.2 % except one (2nd in Beijing, as the seed says);
     * agricultural output growth below 13.6 % for all (first in Beijing) */
    for (size_t i = 0; i < sizeof peers / sizeof peers[0]; i++) {
        double base = 40.0 + (double)(rnd(&s) % 4000) / 10.0;
        double g = i == 4 ? 11.4 : (double)(rnd(&s) % 90) / 10.0; /* 0.0 .. 8.9 % */
        double ab = 2.0 + (double)(rnd(&s) % 300) / 10.0, ag = (double)(rnd(&s) % 120) / 10.0;
        if (put(c, "budget_revenue", peers[i], "2023H1", base, "synthetic", "", err) ||
            put(c, "budget_revenue", peers[i], "2024H1", cents(base * (1 + g / 100)), "synthetic",
                "", err) ||
            put(c, "agri_output", peers[i], "2022", ab, "synthetic", "", err) ||
            put(c, "agri_output", peers[i], "2023", cents(ab * (1 + ag / 100)), "synthetic", "",
                err))
            goto fail;
    }
    pj_ind_def d;
    if (pj_ind_def_load(c, "freight_volume", &d, 1, err) != 1 ||
        pj_ind_target_put(c, d.id, PJ_IND_DISTRICT, "2035", 4000, "seed",
                          "2035年货运量4000万吨/年，占全市六分之一", err) < 0 ||
        pj_ind_def_load(c, "warehouse_area_started", &d, 1, err) != 1 ||
        pj_ind_target_put(c, d.id, PJ_IND_DISTRICT, "2035", 5600000, "seed",
                          "规划高标准仓储560万平方米；目标年份为合成（来源未注明）", err) < 0 ||
        pj_carbon_demo(c, err))
        goto fail;
    if (pj_audit_add(c, "demo", "indicators", 0, NULL,
                     "{\"indicators\":15,\"source\":\"seed + synthetic\"}", err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
