#include "domain/demo.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "algo/algo.h"
#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/dualuse.h"
#include "domain/elder.h"
#include "domain/registry.h"

#include "core/banned.h"

/* The 18 townships (public knowledge); centroids approximate, kind = 街道 gets communities. */
static const struct {
    const char *name;
    double lat, lon;
    int street; /* a sub-district (街道): communities instead of villages */
} towns[] = {
    {"滨河街道", 40.138, 117.105, 1},   {"兴谷街道", 40.160, 117.095, 1},
    {"渔阳地区", 40.125, 117.135, 0},   {"峪口地区", 40.195, 117.005, 0},
    {"马坊地区", 40.070, 117.005, 0},   {"金海湖地区", 40.185, 117.300, 0},
    {"东高村镇", 40.085, 117.185, 0},   {"山东庄镇", 40.190, 117.150, 0},
    {"南独乐河镇", 40.210, 117.235, 0}, {"大华山镇", 40.255, 117.085, 0},
    {"夏各庄镇", 40.135, 117.225, 0},   {"马昌营镇", 40.105, 117.030, 0},
    {"王辛庄镇", 40.190, 117.055, 0},   {"大兴庄镇", 40.130, 117.050, 0},
    {"刘家店镇", 40.265, 117.025, 0},   {"镇罗营镇", 40.320, 117.150, 0},
    {"黄松峪乡", 40.255, 117.255, 0},   {"熊儿寨乡", 40.300, 117.110, 0},
};
#define NTOWNS ((int)(sizeof towns / sizeof towns[0]))

static const char *const stem1[] = {"东", "西", "南", "北", "前", "后", "上", "下", "大", "小",
                                    "新", "中", "高", "杨", "王", "李", "张", "刘", "韩", "胡"};
static const char *const stem2[] = {"营", "庄", "峪",   "店",   "寨",   "河",   "沟",
                                    "坨", "台", "各庄", "辛庄", "官庄", "家务", "山",
                                    "屯", "桥", "岭",   "关",   "柳",   "坡"};

typedef struct {
    pj_ctx *c;
    pj_err *err;
    uint64_t rng;
    int64_t now;
} demo;

static double jitter(demo *d, double r)
{
    return (pj_rng_unit(&d->rng) * 2 - 1) * r;
}

static int exec_insert(demo *d, pj_stmt *s, int64_t *id)
{
    int rc = pj_stmt_step(s, d->err);
    if (rc == 1 && id) *id = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static int add_region(demo *d, int64_t parent, const char *code, const char *name, const char *type,
                      double lat, double lon, int64_t pop, const char *source, int64_t *id)
{
    pj_stmt *s = pj_db_prepare(d->c->db,
                               "INSERT INTO regions (id, parent_id, code, name, type, lat, lon,"
                               " population, source, created_at, updated_at)"
                               " VALUES (" PJ_NEXT_ID("regions") ",?,?,?,?,?,?,?,?,?,?)"
                                                                 " RETURNING id",
                               d->err);
    if (!s) return -1;
    if (parent) pj_stmt_int(s, 1, parent);
    pj_stmt_text(s, 2, code);
    pj_stmt_text(s, 3, name);
    pj_stmt_text(s, 4, type);
    pj_stmt_double(s, 5, lat);
    pj_stmt_double(s, 6, lon);
    pj_stmt_int(s, 7, pop);
    pj_stmt_text(s, 8, source);
    pj_stmt_int(s, 9, d->now);
    pj_stmt_int(s, 10, d->now);
    return exec_insert(d, s, id);
}

static void make_uscc(demo *d, char out[19])
{
    static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    memcpy(out, "91110117", 8);
    for (int i = 8; i < 17; i++) out[i] = cs[pj_rng_below(&d->rng, 31)];
    out[17] = pj_uscc_check_char(out);
    out[18] = 0;
}

static int add_org(demo *d, const char *name, const char *type, const char *industry, int64_t town,
                   const char *source, int64_t *id)
{
    char uscc[19], phone[16];
    make_uscc(d, uscc);
    /* draws in a fixed order (arguments are evaluated in an order of the compiler's: the same
     * seed made another demo with another compiler), the last argument's first */
    uint32_t tail = pj_rng_below(&d->rng, 100000000), head = 30 + pj_rng_below(&d->rng, 60);
    snprintf(phone, sizeof phone, "1%02u%08u", head, tail);
    pj_stmt *s = pj_db_prepare(
        d->c->db,
        "INSERT INTO organisations (id, name, uscc, type, industry,"
        " township_id, contact_name, contact_phone, source, created_at,"
        " updated_at) VALUES (" PJ_NEXT_ID("organisations") ",?,?,?,?,?,?,?,?,?,?) RETURNING id",
        d->err);
    if (!s) return -1;
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈",
                                           "杨", "赵", "黄", "周", "吴"};
    static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇"};
    char contact[32];
    uint32_t gi = pj_rng_below(&d->rng, 10), si = pj_rng_below(&d->rng, 10); /* in this order */
    snprintf(contact, sizeof contact, "%s%s", surnames[si], given[gi]);
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, uscc);
    pj_stmt_text(s, 3, type);
    pj_stmt_text(s, 4, industry);
    if (town) pj_stmt_int(s, 5, town);
    pj_stmt_text(s, 6, contact);
    pj_stmt_text(s, 7, phone);
    pj_stmt_text(s, 8, source);
    pj_stmt_int(s, 9, d->now);
    pj_stmt_int(s, 10, d->now);
    return exec_insert(d, s, id);
}

typedef struct {
    const char *role, *unit;
    double cap;
} role_cap;

static int add_facility(demo *d, const char *name, const char *type, int64_t town, int64_t village,
                        double lat, double lon, int64_t op, const char *pfunc, int64_t pcap,
                        const char *punit, const char *source, const role_cap *roles, int nroles,
                        int64_t *id_out)
{
    pj_stmt *s =
        pj_db_prepare(d->c->db,
                      "INSERT INTO facilities (id, name, type, township_id, village_id, address,"
                      " lat, lon, operator_id, peacetime_function, peacetime_capacity,"
                      " peacetime_unit, source, created_at, updated_at) VALUES (" PJ_NEXT_ID(
                          "facilities") ",?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                      d->err);
    if (!s) return -1;
    char addr[160];
    snprintf(addr, sizeof addr, "北京市平谷区%s", name);
    pj_stmt_text(s, 1, name);
    pj_stmt_text(s, 2, type);
    pj_stmt_int(s, 3, town);
    if (village) pj_stmt_int(s, 4, village);
    pj_stmt_text(s, 5, addr);
    pj_stmt_double(s, 6, lat);
    pj_stmt_double(s, 7, lon);
    if (op) pj_stmt_int(s, 8, op);
    pj_stmt_text(s, 9, pfunc);
    pj_stmt_int(s, 10, pcap);
    pj_stmt_text(s, 11, punit);
    pj_stmt_text(s, 12, source);
    pj_stmt_int(s, 13, d->now);
    pj_stmt_int(s, 14, d->now);
    int64_t id = 0;
    if (exec_insert(d, s, &id)) return -1;
    for (int i = 0; i < nroles; i++) {
        s = pj_db_prepare(d->c->db,
                          "INSERT INTO facility_roles (facility_id, role, unit, capacity)"
                          " VALUES (?,?,?,?)",
                          d->err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        pj_stmt_text(s, 2, roles[i].role);
        pj_stmt_text(s, 3, roles[i].unit);
        pj_stmt_double(s, 4, roles[i].cap);
        if (exec_insert(d, s, NULL)) return -1;
    }
    if (id_out) *id_out = id;
    return 0;
}

static int add_user(demo *d, const char *username, const char *display, const char *role,
                    int64_t town, int64_t facility, int64_t org, const char *pw, int64_t *id)
{
    char hash[crypto_pwhash_STRBYTES];
    int fast = d->c->settings && d->c->settings->fast_hash;
    if (crypto_pwhash_str_alg(
            hash, pw, strlen(pw),
            fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
            fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE,
            crypto_pwhash_ALG_ARGON2ID13) != 0)
        return pj_fail(d->err, 500, "internal", "", "password hashing failed");
    pj_stmt *s =
        pj_db_prepare(d->c->db,
                      "INSERT INTO users (username, display_name, role, township_id,"
                      " facility_id, organisation_id, password_hash, created_at, updated_at)"
                      " VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                      d->err);
    if (!s) return -1;
    pj_stmt_text(s, 1, username);
    pj_stmt_text(s, 2, display);
    pj_stmt_text(s, 3, role);
    if (town) pj_stmt_int(s, 4, town);
    if (facility) pj_stmt_int(s, 5, facility);
    if (org) pj_stmt_int(s, 6, org);
    pj_stmt_text(s, 7, hash);
    pj_stmt_int(s, 8, d->now);
    pj_stmt_int(s, 9, d->now);
    return exec_insert(d, s, id);
}

int pj_demo_build(pj_ctx *c, uint64_t seed, const char *pw, pj_demo_stats *st, pj_err *err)
{
    memset(st, 0, sizeof *st);
    demo d = {.c = c, .err = err, .rng = seed, .now = pj_now()};
    int rc = pj_db_begin(c->db, err);
    if (rc) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM regions", err);
    if (!s) goto fail;
    rc = pj_stmt_step(s, err);
    int64_t existing = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (existing) {
        pj_fail(err, 409, "not_empty", "", "the registry already has regions; demo not loaded");
        goto fail;
    }
    int64_t district;
    if (add_region(&d, 0, "110117", "平谷区", "district", 40.140, 117.121, 0, "seed", &district))
        goto fail;

    /* townships → villages/communities → grids; residents spread to ≈ 450,000 */
    int64_t town_id[NTOWNS];
    int64_t village_ids[NTOWNS][24];
    double village_ll[NTOWNS][24][2];
    int nvill[NTOWNS];
    const double target = 450000.0;
    /* weights: sub-districts are denser */
    double wsum = 0, tw[NTOWNS];
    for (int t = 0; t < NTOWNS; t++) wsum += tw[t] = towns[t].street ? 2.2 : 1.0;
    int64_t total_pop = 0, town_pop_sum[NTOWNS];
    for (int t = 0; t < NTOWNS; t++) {
        char code[16];
        snprintf(code, sizeof code, "110117%03d", t + 1);
        if (add_region(&d, district, code, towns[t].name, "township", towns[t].lat, towns[t].lon, 0,
                       "seed", &town_id[t]))
            goto fail;
        st->townships++;
        int nv =
            towns[t].street ? 10 + (int)pj_rng_below(&d.rng, 5) : 13 + (int)pj_rng_below(&d.rng, 8);
        nvill[t] = nv;
        int64_t town_pop = (int64_t)(target * tw[t] / wsum);
        town_pop_sum[t] = 0;
        for (int v = 0; v < nv; v++) {
            char vname[48], vcode[20];
            uint32_t s2 = pj_rng_below(&d.rng, 20), s1 = pj_rng_below(&d.rng, 20); /* in order */
            snprintf(vname, sizeof vname, towns[t].street ? "%s%s社区" : "%s%s村", stem1[s1],
                     stem2[s2]);
            /* the seed's first dual-use village, and well-known homestay villages */
            const char *source = "synthetic";
            if (!strcmp(towns[t].name, "金海湖地区") && v == 0)
                snprintf(vname, sizeof vname, "南山村"), source = "seed";
            if (!strcmp(towns[t].name, "金海湖地区") && v == 1)
                snprintf(vname, sizeof vname, "将军关村");
            if (!strcmp(towns[t].name, "大华山镇") && v == 0)
                snprintf(vname, sizeof vname, "挂甲峪村");
            if (!strcmp(towns[t].name, "黄松峪乡") && v == 0)
                snprintf(vname, sizeof vname, "玻璃台村");
            if (!strcmp(towns[t].name, "山东庄镇") && v == 0)
                snprintf(vname, sizeof vname, "鱼子山村");
            snprintf(vcode, sizeof vcode, "%s%03d", code, v + 1);
            double lat = towns[t].lat + jitter(&d, 0.035), lon = towns[t].lon + jitter(&d, 0.045);
            village_ll[t][v][0] = lat;
            village_ll[t][v][1] = lon;
            int64_t vpop =
                v == nv - 1 ? town_pop - town_pop_sum[t]
                            : (int64_t)((double)town_pop / nv * (0.6 + 0.8 * pj_rng_unit(&d.rng)));
            if (vpop < 200) vpop = 200;
            town_pop_sum[t] += vpop;
            if (add_region(&d, town_id[t], vcode, vname, towns[t].street ? "community" : "village",
                           lat, lon, vpop, source, &village_ids[t][v]))
                goto fail;
            st->villages++;
            int ng = 2 + (int)pj_rng_below(&d.rng, 3);
            int64_t left = vpop;
            for (int g = 0; g < ng; g++) {
                char gcode[40], gname[96];
                snprintf(gcode, sizeof gcode, "%s%02d", vcode, g + 1);
                snprintf(gname, sizeof gname, "%s第%d网格", vname, g + 1);
                int64_t gpop = g == ng - 1 ? left : vpop / ng;
                left -= gpop;
                double dlon = jitter(&d, 0.005), dlat = jitter(&d, 0.004); /* in this order */
                if (add_region(&d, village_ids[t][v], gcode, gname, "grid", lat + dlat, lon + dlon,
                               gpop, "synthetic", NULL))
                    goto fail;
                st->grids++;
            }
        }
        /* township population = sum of its villages */
        s = pj_db_prepare(c->db, "UPDATE regions SET population = ? WHERE id = ?", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, town_pop_sum[t]);
        pj_stmt_int(s, 2, town_id[t]);
        if (exec_insert(&d, s, NULL)) goto fail;
        total_pop += town_pop_sum[t];
    }
    s = pj_db_prepare(c->db, "UPDATE regions SET population = ? WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, total_pop);
    pj_stmt_int(s, 2, district);
    if (exec_insert(&d, s, NULL)) goto fail;
    st->residents = total_pop;

    int ti_jhh = 5, ti_binhe = 0, ti_mafang = 4, ti_dhs = 9, ti_hsy = 16, ti_sdz = 7, ti_xgz = 10;

    /* organisations: the seed's named firms, departments, banks, labs */
    static const struct {
        const char *name, *type, *industry;
        int town;
    } orgs[] = {
        {"普洛斯（平谷）物流有限公司", "enterprise", "logistics", 4},
        {"京东（平谷）物流有限公司", "enterprise", "logistics", 4},
        {"菜鸟（平谷）供应链有限公司", "enterprise", "logistics", 4},
        {"贝莱特（平谷）物流有限公司", "enterprise", "logistics", 4},
        {"正创（平谷）物流有限公司", "enterprise", "logistics", 4},
        {"万达锦华酒店管理有限公司", "operator", "hospitality", 0},
        {"承平高速金海湖服务区运营公司", "operator", "transport", 5},
        {"平谷区应急管理局", "government", "emergency", 0},
        {"平谷区卫生健康委员会", "government", "health", 0},
        {"平谷区商务局", "government", "commerce", 0},
        {"平谷区文化和旅游局", "government", "tourism", 0},
        {"平谷区农业农村局", "government", "agriculture", 0},
        {"平谷区发展和改革委员会", "government", "planning", 0},
        {"中国农业银行北京平谷支行", "bank", "finance", 0},
        {"北京农商银行平谷支行", "bank", "finance", 1},
        {"中国建设银行北京平谷支行", "bank", "finance", 1},
        {"蔬菜生物育种全国重点实验室", "lab", "agritech", 2},
        {"道地药材全国重点实验室", "lab", "agritech", 2},
        {"国家医疗应急演训基地运营中心", "operator", "health", 2},
        {"中国中医科学院国家中医药应急基地", "operator", "health", 6},
    };
    int64_t org_id[sizeof orgs / sizeof orgs[0]];
    for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
        if (add_org(&d, orgs[i].name, orgs[i].type, orgs[i].industry, town_id[orgs[i].town], "seed",
                    &org_id[i]))
            goto fail;
        st->organisations++;
    }

    /* the seed's facilities */
    struct {
        const char *name, *type;
        int town, org;
        const char *pfunc;
        int64_t pcap;
        const char *punit;
        role_cap roles[3];
        int nroles;
    } seeds[] = {
        {"万达锦华酒店",
         "hotel",
         ti_binhe,
         5,
         "酒店住宿",
         320,
         "rooms",
         {{"isolation", "rooms", 300}, {"resettlement", "beds", 500}},
         2},
        {"南山村",
         "village_community",
         ti_jhh,
         -1,
         "乡村民宿",
         60,
         "rooms",
         {{"resettlement", "beds", 400}, {"isolation", "rooms", 80}},
         2},
        {"承平高速金海湖服务区",
         "expressway_service_area",
         ti_jhh,
         6,
         "高速公路服务、休闲旅游",
         1200,
         "vehicles_per_day",
         {{"transport_hub", "vehicles_per_hour", 120}, {"supply_store", "m3", 8000}},
         2},
        {"国家医疗应急演训基地",
         "medical_base",
         2,
         18,
         "医疗应急培训",
         600,
         "trainees",
         {{"medical", "beds", 500}, {"isolation", "rooms", 200}},
         2},
        {"中国中医科学院国家中医药应急基地",
         "medical_base",
         6,
         19,
         "中医药科研与培训",
         300,
         "beds",
         {{"medical", "beds", 300}},
         1},
        {"普洛斯平谷物流园",
         "warehouse",
         ti_mafang,
         0,
         "高标仓储",
         320000,
         "m2",
         {{"supply_store", "m3", 600000}, {"supply_store", "t", 90000}},
         2},
        {"京东平谷物流园",
         "warehouse",
         ti_mafang,
         1,
         "电商仓储配送",
         250000,
         "m2",
         {{"supply_store", "m3", 450000}, {"supply_store", "t", 70000}},
         2},
        {"菜鸟平谷物流园",
         "warehouse",
         ti_mafang,
         2,
         "电商仓储配送",
         200000,
         "m2",
         {{"supply_store", "m3", 380000}, {"supply_store", "t", 60000}},
         2},
        {"贝莱特平谷冷链仓",
         "warehouse",
         ti_mafang,
         3,
         "冷链仓储",
         60000,
         "m2",
         {{"supply_store", "m3", 120000}, {"supply_store", "t", 20000}},
         2},
        {"正创平谷物流中心",
         "warehouse",
         ti_mafang,
         4,
         "仓储配送",
         80000,
         "m2",
         {{"supply_store", "m3", 150000}, {"supply_store", "t", 25000}},
         2},
        {"挂甲峪村",
         "village_community",
         ti_dhs,
         -1,
         "乡村民宿",
         40,
         "rooms",
         {{"resettlement", "beds", 260}},
         1},
        {"玻璃台村",
         "village_community",
         ti_hsy,
         -1,
         "乡村民宿",
         30,
         "rooms",
         {{"resettlement", "beds", 200}},
         1},
        {"将军关村",
         "village_community",
         ti_jhh,
         -1,
         "乡村民宿",
         35,
         "rooms",
         {{"resettlement", "beds", 220}},
         1},
        {"鱼子山村",
         "village_community",
         ti_sdz,
         -1,
         "乡村民宿",
         25,
         "rooms",
         {{"resettlement", "beds", 180}},
         1},
    };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        int t = seeds[i].town;
        int64_t village = 0;
        double lat = towns[t].lat + jitter(&d, 0.02), lon = towns[t].lon + jitter(&d, 0.03);
        /* a village facility sits in its village */
        for (int v = 0; v < nvill[t] && seeds[i].type[0] == 'v'; v++) {
            pj_stmt *q = pj_db_prepare(c->db, "SELECT name FROM regions WHERE id = ?", err);
            if (!q) goto fail;
            pj_stmt_int(q, 1, village_ids[t][v]);
            int found = pj_stmt_step(q, err) == 1 && !strcmp(pj_col_text(q, 0), seeds[i].name);
            pj_stmt_done(q);
            if (found) {
                village = village_ids[t][v];
                lat = village_ll[t][v][0];
                lon = village_ll[t][v][1];
            }
        }
        int is_seed = i < 10 || !strcmp(seeds[i].name, "南山村");
        if (add_facility(&d, seeds[i].name, seeds[i].type, town_id[t], village, lat, lon,
                         seeds[i].org >= 0 ? org_id[seeds[i].org] : 0, seeds[i].pfunc,
                         seeds[i].pcap, seeds[i].punit, is_seed ? "seed" : "synthetic",
                         seeds[i].roles, seeds[i].nroles, NULL))
            goto fail;
        st->facilities++;
    }
    (void)ti_xgz;

    /* synthetic facilities: hotels, homestay clusters, schools, sports venues, warehouses */
    static const struct {
        const char *type, *label, *pfunc, *punit;
        int count;
    } kinds[] = {
        {"hotel", "酒店", "酒店住宿", "rooms", 26},
        {"homestay_cluster", "民宿集群", "乡村民宿", "rooms", 150},
        {"school", "学校", "教育", "students", 54},
        {"sports_venue", "体育馆", "体育健身", "seats", 16},
        {"warehouse", "仓储中心", "仓储", "m2", 22},
        {"other", "培训中心", "会议培训", "rooms", 18},
    };
    int64_t hotel_facility = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (int i = 0; i < kinds[k].count; i++) {
            int t = (int)pj_rng_below(&d.rng, NTOWNS);
            int v = (int)pj_rng_below(&d.rng, (uint32_t)nvill[t]);
            char vname[64] = "";
            pj_stmt *q = pj_db_prepare(c->db, "SELECT name FROM regions WHERE id = ?", err);
            if (!q) goto fail;
            pj_stmt_int(q, 1, village_ids[t][v]);
            if (pj_stmt_step(q, err) == 1) snprintf(vname, sizeof vname, "%s", pj_col_text(q, 0));
            pj_stmt_done(q);
            char name[128];
            snprintf(name, sizeof name, "%s%s%s%d号", towns[t].name, vname, kinds[k].label, i + 1);
            role_cap roles[2];
            int nr = 0;
            int64_t pcap = 0;
            if (!strcmp(kinds[k].type, "hotel")) {
                pcap = 60 + pj_rng_below(&d.rng, 200);
                roles[nr++] = (role_cap){"isolation", "rooms", (double)(pcap * 9 / 10)};
                roles[nr++] = (role_cap){"resettlement", "beds", (double)(pcap * 2)};
            } else if (!strcmp(kinds[k].type, "homestay_cluster")) {
                pcap = 8 + pj_rng_below(&d.rng, 50);
                roles[nr++] = (role_cap){"resettlement", "beds", (double)(pcap * 2)};
                if (pj_rng_below(&d.rng, 3) == 0)
                    roles[nr++] = (role_cap){"isolation", "rooms", (double)pcap};
            } else if (!strcmp(kinds[k].type, "school")) {
                pcap = 300 + pj_rng_below(&d.rng, 1500);
                roles[nr++] = (role_cap){"resettlement", "beds", (double)(pcap / 3)};
            } else if (!strcmp(kinds[k].type, "sports_venue")) {
                pcap = 800 + pj_rng_below(&d.rng, 4000);
                roles[nr++] = (role_cap){"resettlement", "beds", (double)(pcap / 4)};
            } else if (!strcmp(kinds[k].type, "warehouse")) {
                pcap = 5000 + pj_rng_below(&d.rng, 45000);
                roles[nr++] = (role_cap){"supply_store", "m3", (double)(pcap * 2)};
                roles[nr++] = (role_cap){"supply_store", "t", (double)(pcap / 4)};
            } else {
                pcap = 30 + pj_rng_below(&d.rng, 120);
                roles[nr++] = (role_cap){"isolation", "rooms", (double)pcap};
            }
            int64_t fid;
            double dlon = jitter(&d, 0.008), dlat = jitter(&d, 0.006); /* in this order */
            if (add_facility(&d, name, kinds[k].type, town_id[t], village_ids[t][v],
                             village_ll[t][v][0] + dlat, village_ll[t][v][1] + dlon, 0,
                             kinds[k].pfunc, pcap, kinds[k].punit, "synthetic", roles, nr, &fid))
                goto fail;
            if (!hotel_facility && !strcmp(kinds[k].type, "hotel")) hotel_facility = fid;
            st->facilities++;
        }
    }

    /* demo accounts, one per role */
    if (pw) {
        int64_t uid[6], wanda = 0;
        s = pj_db_prepare(c->db, "SELECT id FROM facilities WHERE name = '万达锦华酒店'", err);
        if (!s) goto fail;
        if (pj_stmt_step(s, err) == 1) wanda = pj_col_int(s, 0);
        pj_stmt_done(s);
        if (add_user(&d, "officer", "区应急局值班员", "district_officer", 0, 0, 0, pw, &uid[0]) ||
            add_user(&d, "jinhaihu", "金海湖地区干部", "township_officer", town_id[ti_jhh], 0, 0,
                     pw, &uid[1]) ||
            add_user(&d, "wanda", "万达锦华酒店值班经理", "facility_operator", 0, wanda, 0, pw,
                     &uid[2]) ||
            add_user(&d, "grid01", "网格员一号", "grid_worker", 0, 0, 0, pw, &uid[3]))
            goto fail;
        /* grid01 looks after three grids of one village or community: the first three of the
         * first that has three (region ids are not all grids: a village's grids are followed
         * by the next village) */
        s = pj_db_prepare(c->db,
                          "INSERT INTO grid_workers (region_id, user_id) SELECT g.id, ? FROM"
                          " regions g WHERE g.type = 'grid' AND g.parent_id = (SELECT v.id FROM"
                          " regions v WHERE v.type IN ('village', 'community') AND (SELECT"
                          " COUNT(*) FROM regions x WHERE x.parent_id = v.id AND x.type ="
                          " 'grid') >= 3 ORDER BY v.id LIMIT 1) ORDER BY g.id LIMIT 3",
                          err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, uid[3]);
        if (exec_insert(&d, s, NULL)) goto fail;
        if (add_user(&d, "jd", "京东物流联络员", "enterprise", 0, 0, org_id[1], pw, &uid[4]) ||
            add_user(&d, "viewer", "观察员", "viewer", 0, 0, 0, pw, &uid[5]))
            goto fail;
        st->users = 6;
        /* each account's create row, as the user administration writes it (grid01's with its
         * grids): the accounts are written here, not through it */
        for (int i = 0; i < 6; i++) {
            char *after = pj_user_snapshot(c, uid[i], err);
            if (!after || pj_audit_add(c, "create", "user", uid[i], NULL, after, err)) goto fail;
        }
    }
    /* barrier-free rooms (synthetic: the seed has no such figure): hotels about 5 % of their
     * rooms (at least 2), medical bases 10 % of their beds */
    if (pj_db_exec(c->db,
                   "UPDATE facilities SET barrier_free_rooms = CASE type"
                   " WHEN 'hotel' THEN MAX(2, (peacetime_capacity + 19) / 20)"
                   " ELSE (peacetime_capacity + 9) / 10 END"
                   " WHERE type IN ('hotel', 'medical_base') AND barrier_free_rooms = 0",
                   err))
        goto fail;
    /* dual-use: standards, manuals, stock, a conversion in progress, past drills */
    if (pj_dualuse_demo(c, seed, err)) goto fail;
    /* mutual-aid elderly care: elders, helpers, pairs, a month of logs ($PINGJI_DEMO_ELDERS) */
    if (pj_eldercare_demo(c, seed, err)) goto fail;
    char summary[256];
    snprintf(summary, sizeof summary,
             "{\"townships\":%d,\"villages\":%d,\"grids\":%d,\"facilities\":%d,"
             "\"organisations\":%d,\"residents\":%lld}",
             st->townships, st->villages, st->grids, st->facilities, st->organisations,
             (long long)st->residents);
    if (pj_audit_add(c, "demo", "district", district, NULL, summary, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
