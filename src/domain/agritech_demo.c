/* The agri-tech demo: the seed's figures (source 'seed') — the two national key labs, the
 * CACMS graduate school, the innovation port 国农港, 117 doctor farms with 13 post-doctoral
 * stations, 13 academicians and 411 doctors — and synthetic detail labelled 'synthetic': the
 * farms' and experts' names, areas and crops, the port's projects and milestones, the
 * greenhouse cluster's sections, research results and their transfers. The 13 farms with a
 * post-doctoral station get a registry facility with a supply_store capacity in tonnes and a
 * stock line of vegetables: the food reserves (藏粮于地) the dual-use module plans with. Output is
 * the indicator agri_output. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/agritech.h"
#include "domain/audit.h"
#include "domain/registry.h"

#include "core/banned.h"

#define FARMS        117
#define STATIONS     13
#define ACADEMICIANS 13
#define DOCTORS      411

static int year_of(const char *date)
{
    return (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
}

/* A registry facility for a farm: its land as a food reserve (supply_store, tonnes). */
static int farm_facility(pj_ctx *c, const char *name, int64_t town, double tonnes, int64_t *id,
                         pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "INSERT INTO facilities (id, name, type, township_id, lat, lon,"
        " peacetime_function, peacetime_capacity, peacetime_unit, source,"
        " created_at, updated_at) SELECT " PJ_NEXT_ID(
            "facilities") ", ?, 'other', r.id, r.lat, r.lon,"
                          " '博士农场（农业生产）', 0, 'mu', 'synthetic', ?, ? FROM regions r"
                          " WHERE r.id = ? AND r.lat IS NOT NULL RETURNING id",
        err);
    if (!s) return -1;
    int64_t now = pj_now();
    pj_stmt_text(s, 1, name);
    pj_stmt_int(s, 2, now);
    pj_stmt_int(s, 3, now);
    pj_stmt_int(s, 4, town);
    int rc = pj_stmt_step(s, err);
    *id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) return rc < 0 ? -1 : 0; /* no coordinates: no facility */
    s = pj_db_prepare(c->db,
                      "INSERT INTO facility_roles (facility_id, role, unit, capacity) VALUES (?,"
                      " 'supply_store', 't', ?)",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, *id);
    pj_stmt_double(s, 2, tonnes);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* the standing crop as a stock line, so that the planner's supply flows draw on it: half
     * the reserve, vegetables, good for half a year */
    s = pj_db_prepare(c->db,
                      "INSERT INTO stock_lines (facility_id, category, quantity, unit, expiry,"
                      " source, created_at, updated_at) SELECT ?, code, ?, unit, ?, 'synthetic',"
                      " ?, ? FROM supply_categories WHERE code = 'vegetables' AND unit = 'kg'",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, *id);
    pj_stmt_double(s, 2, tonnes * 500.0);
    pj_stmt_int(s, 3, now + 180 * 86400);
    pj_stmt_int(s, 4, now);
    pj_stmt_int(s, 5, now);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static int demo_body(pj_ctx *c, uint64_t seed, pj_err *err)
{
    uint64_t rs = seed ? seed * 2654435761u + 1 : 0x9E3779B97F4A7C15ull;
    const char *org_sql = "SELECT id FROM organisations WHERE name = ?";
    const char *town_sql = "SELECT id FROM regions WHERE type = 'township' AND name = ?";
    int64_t veg_org = pj_rec_id_by_name(c, org_sql, "蔬菜生物育种全国重点实验室", err);
    int64_t herb_org = pj_rec_id_by_name(c, org_sql, "道地药材全国重点实验室", err);
    int64_t yukou = pj_rec_id_by_name(c, town_sql, "峪口地区", err);
    if (veg_org < 0 || herb_org < 0 || yukou < 0) return -1;

    /* labs: the seed's */
    int64_t veg, herb, school, port;
    if (pj_rec_put(c, &pj_ag_labs,
                   pj_rec_ref(pj_rec_ref(json_pack("{s:s, s:s, s:s, s:s}", "name",
                                                   "蔬菜生物育种全国重点实验室", "kind",
                                                   "national_key_lab", "field", "蔬菜生物育种",
                                                   "source", "seed"),
                                         "organisation_id", veg_org),
                              "township_id", yukou),
                   &veg, err) ||
        pj_rec_put(
            c, &pj_ag_labs,
            pj_rec_ref(pj_rec_ref(json_pack("{s:s, s:s, s:s, s:s}", "name",
                                            "道地药材全国重点实验室", "kind", "national_key_lab",
                                            "field", "道地药材", "source", "seed"),
                                  "organisation_id", herb_org),
                       "township_id", yukou),
            &herb, err) ||
        pj_rec_put(
            c, &pj_ag_labs,
            pj_rec_ref(json_pack("{s:s, s:s, s:s, s:s}", "name", "中国中医科学院研究生院（平谷）",
                                 "kind", "graduate_school", "field", "中医药", "source", "seed"),
                       "township_id", yukou),
            &school, err) ||
        pj_rec_put(c, &pj_ag_labs,
                   pj_rec_ref(json_pack("{s:s, s:s, s:s, s:s}", "name",
                                        "国家农业科技创新港（国农港）", "kind", "innovation_port",
                                        "field", "农业科技创新", "source", "seed"),
                              "township_id", yukou),
                   &port, err))
        return -1;

    /* innovation-port projects and milestones: synthetic */
    static const struct {
        const char *name, *state, *start;
        int lab; /* 0 vegetable lab, 1 herb lab, 2 port */
        int64_t budget_fen;
    } projects[] = {
        {"蔬菜种质资源库建设（合成）", "in_progress", "2023-03-01", 0, 120000000000},
        {"道地药材良种繁育基地（合成）", "in_progress", "2023-06-01", 1, 80000000000},
        {"智能温室装备中试平台（合成）", "completed", "2022-03-01", 2, 45000000000},
        {"农业大数据中心（合成）", "planned", "2025-01-01", 2, 30000000000},
        {"大桃品种改良示范（合成）", "in_progress", "2024-02-01", 0, 15000000000},
    };
    int64_t lab_of[3] = {veg, herb, port};
    for (size_t i = 0; i < sizeof projects / sizeof projects[0]; i++) {
        int64_t pid;
        if (pj_rec_put(
                c, &pj_ag_projects,
                pj_rec_ref(
                    pj_rec_ref(json_pack("{s:s, s:s, s:s, s:I, s:s}", "name", projects[i].name,
                                         "state", projects[i].state, "start_date",
                                         projects[i].start, "budget_fen",
                                         (json_int_t)projects[i].budget_fen, "source", "synthetic"),
                               "lab_id", lab_of[projects[i].lab]),
                    "township_id", yukou),
                &pid, err))
            return -1;
        static const char *const ms[] = {"立项与设计", "建设与采购", "验收与推广"};
        for (int m = 0; m < 3; m++) {
            int y = year_of(projects[i].start) + m;
            char due[16], done[16];
            snprintf(due, sizeof due, "%04d-%s", y, m == 2 ? "12-31" : "06-30");
            snprintf(done, sizeof done, "%04d-%s", y, m == 2 ? "12-20" : "06-15");
            int is_done = !strcmp(projects[i].state, "completed") ||
                          (!strcmp(projects[i].state, "in_progress") && m == 0);
            json_t *b = json_pack("{s:I, s:s, s:s, s:s}", "project_id", (json_int_t)pid, "name",
                                  ms[m], "due", due, "source", "synthetic");
            if (b && is_done) json_object_set_new(b, "done", json_string(done));
            if (pj_rec_put(c, &pj_ag_milestones, b, NULL, err)) return -1;
        }
    }

    /* 117 doctor farms; 13 with a post-doctoral station and a registry facility (food reserve) */
    static const char *const crops[] = {"大桃", "蔬菜", "草莓", "中药材", "小麦", "食用菌", "鸡蛋"};
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id, name FROM regions WHERE type = 'township' ORDER BY id", err);
    if (!s) return -1;
    int64_t towns[32];
    char tname[32][64];
    int ntown = 0, rc;
    while (ntown < 32 && (rc = pj_stmt_step(s, err)) == 1) {
        towns[ntown] = pj_col_int(s, 0);
        snprintf(tname[ntown], sizeof tname[ntown], "%s", pj_col_text(s, 1));
        ntown++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int64_t farm[FARMS];
    double farm_mu[FARMS];
    for (int i = 0; i < FARMS; i++) {
        int t = ntown ? (int)(pj_rec_rnd(&rs) % (uint64_t)ntown) : 0;
        char name[128];
        snprintf(name, sizeof name, "%s博士农场%03d号（合成）", ntown ? tname[t] : "平谷", i + 1);
        double area = 50.0 + (double)(pj_rec_rnd(&rs) % 451);
        farm_mu[i] = area;
        int64_t fac = 0;
        if (i < STATIONS && ntown && farm_facility(c, name, towns[t], area * 2.0, &fac, err))
            return -1;
        json_t *b = json_pack("{s:s, s:f, s:s, s:b, s:s}", "name", name, "area_mu", area,
                              "main_crop", crops[pj_rec_rnd(&rs) % 7], "postdoc_station",
                              i < STATIONS, "source", "synthetic");
        pj_rec_ref(b, "township_id", ntown ? towns[t] : 0);
        pj_rec_ref(b, "facility_id", fac);
        pj_rec_ref(b, "lab_id", i % 3 == 1 ? herb : veg);
        if (pj_rec_put(c, &pj_ag_farms, b, &farm[i], err)) return -1;
    }
    /* experts: 13 academicians (one per post-doctoral station), 411 doctors over the farms */
    for (int i = 0; i < ACADEMICIANS + DOCTORS; i++) {
        int acad = i < ACADEMICIANS;
        char name[64];
        if (acad)
            snprintf(name, sizeof name, "院士%02d（合成）", i + 1);
        else
            snprintf(name, sizeof name, "博士%03d（合成）", i - ACADEMICIANS + 1);
        int f = acad ? i : (i - ACADEMICIANS) % FARMS;
        if (pj_rec_put(c, &pj_ag_experts,
                       json_pack("{s:s, s:s, s:I, s:s, s:s}", "name", name, "title",
                                 acad ? "academician" : "doctor", "farm_id", (json_int_t)farm[f],
                                 "field", crops[f % 7], "source", "synthetic"),
                       NULL, err))
            return -1;
    }

    /* the greenhouse cluster (the largest efficient smart-greenhouse cluster under construction
     * in North China): its sections are synthetic */
    static const struct {
        const char *name, *state, *crop;
        double area, yield;
    } secs[] = {
        {"A区", "operating", "番茄", 52000, 1820000},
        {"B区", "operating", "黄瓜", 48000, 1536000},
        {"C区", "operating", "草莓", 36000, 144000},
        {"D区", "under_construction", "彩椒", 60000, 0},
        {"E区", "under_construction", "叶菜", 45000, 0},
        {"F区", "under_construction", "番茄", 58000, 0},
        {"G区", "planned", "育苗", 40000, 0},
        {"H区", "planned", "中药材", 30000, 0},
    };
    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++)
        if (pj_rec_put(
                c, &pj_ag_sections,
                pj_rec_ref(json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:s}", "cluster",
                                     "华北最大高效智能温室集群", "name", secs[i].name, "state",
                                     secs[i].state, "crop", secs[i].crop, "area_m2", secs[i].area,
                                     "yield_kg", secs[i].yield, "source", "synthetic"),
                           "township_id", yukou),
                NULL, err))
            return -1;

    /* research results and their transfer to farms: synthetic */
    static const struct {
        const char *title, *kind;
        int lab, year, farms;
    } res[] = {
        {"耐低温番茄新品种“京平1号”（合成）", "variety", 0, 2023, 12},
        {"黄瓜抗病砧木嫁接技术（合成）", "technique", 0, 2022, 20},
        {"道地黄芩规范化种植技术规程（合成）", "standard", 1, 2023, 8},
        {"设施蔬菜水肥一体化装置（合成）", "patent", 0, 2024, 15},
        {"大桃晚熟品种“谷秋红”（合成）", "variety", 0, 2024, 10},
        {"中药材林下种植模式（合成）", "technique", 1, 2022, 6},
    };
    int64_t res_lab[2] = {veg, herb};
    for (size_t i = 0; i < sizeof res / sizeof res[0]; i++) {
        int64_t rid;
        if (pj_rec_put(c, &pj_ag_results,
                       json_pack("{s:s, s:s, s:I, s:i, s:s}", "title", res[i].title, "kind",
                                 res[i].kind, "lab_id", (json_int_t)res_lab[res[i].lab], "year",
                                 res[i].year, "source", "synthetic"),
                       &rid, err))
            return -1;
        int first = (int)(pj_rec_rnd(&rs) % FARMS);
        for (int k = 0; k < res[i].farms; k++) {
            char date[16];
            snprintf(date, sizeof date, "%04d-%02d-15", res[i].year, 3 + k % 9);
            int f = (first + k * 7) % FARMS;
            /* a transfer covers no more than the farm has */
            double mu = 20.0 + (double)(pj_rec_rnd(&rs) % 80);
            if (mu > farm_mu[f]) mu = farm_mu[f];
            if (pj_rec_put(c, &pj_ag_transfers,
                           json_pack("{s:I, s:I, s:s, s:f, s:I, s:s}", "result_id", (json_int_t)rid,
                                     "farm_id", (json_int_t)farm[f], "date", date, "area_mu", mu,
                                     "value_fen", (json_int_t)(100000 * (1 + pj_rec_rnd(&rs) % 50)),
                                     "source", "synthetic"),
                           NULL, err))
                return -1;
        }
    }
    return 0;
}

int pj_agritech_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT COUNT(*) FROM ag_labs WHERE name = '国家农业科技创新港（国农港）'", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int64_t have = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (have) return 0;
    if (pj_db_begin(c->db, err)) return -1;
    if (demo_body(c, seed, err) ||
        pj_audit_add(c, "demo", "agritech", 0, NULL,
                     "{\"labs\":4,\"doctor_farms\":117,\"postdoc_stations\":13,"
                     "\"academicians\":13,\"doctors\":411,\"source\":\"seed + synthetic\"}",
                     err) ||
        pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}
